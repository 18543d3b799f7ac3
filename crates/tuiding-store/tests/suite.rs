//! The shared store suite: the same tests, through the [`Store`] trait only, for every
//! backend. A new backend joins with one line: `store_suite!(name, || Some(open_it()))`.
//!
//! PostgreSQL runs when `TUIDING_TEST_DATABASE_URL` names a database
//! (`bash scripts/pg-cluster.sh start DIR` starts a throwaway one and prints its URL);
//! every test gets an account of its own in it. Without it the PostgreSQL tests say how
//! to get one and pass, except under `CI=true`, where they fail unless
//! `TUIDING_SKIP_POSTGRES=1` says the skip is meant.
//!
//! Each test is a generic function below; [`store_suite!`] instantiates every one of them
//! for a backend (a test left out of the list is dead code, which the lints refuse).

use jiff::Timestamp;
use jiff::civil::{Date, date};
use tuiding_core::case::{CaseState, RefundTrack};
use tuiding_core::price::{PriceChange, PriceSource};
use tuiding_core::split::SplitRule;
use tuiding_core::transaction::{Direction, Source, Transaction, TxStatus};
use tuiding_core::{
    AutoRenewContract, Benefit, Billing, Channel, ContractStatus, Currency, Membership, Money,
    Period,
};
use tuiding_store::prelude::*;
use tuiding_store::{
    AnyStore, BillImport, CaseChange, ImportCounts, MemoryStore, PolicyInput, ReminderKey,
    SqliteStore, StoreError, StreamDecision, VaultHead,
};

/// Generates the whole suite for one backend: `$open` makes a fresh, empty store.
macro_rules! store_suite {
    ($backend:ident, $open:expr) => {
        mod $backend {
            #[allow(unused_imports)]
            use super::*;

            fn open() -> Option<impl Store> {
                ($open)()
            }

            suite_tests!(
                round_trips_every_field,
                names_are_stored_trimmed,
                an_invalid_member_in_a_batch_writes_nothing,
                a_refused_batch_uses_no_ids,
                benefits_differing_only_by_spaces_are_refused,
                updates_check_the_revision_and_replace_children,
                a_failed_update_writes_nothing,
                removal_cascades_and_ids_are_never_reused,
                policies_are_checked_stored_verbatim_and_removed_with_the_membership,
                price_changes_are_recorded_with_updates_and_on_their_own,
                imports_are_idempotent_and_round_trip,
                the_period_end_is_the_later_of_stated_and_seen,
                decisions_are_remembered_and_adoption_is_atomic,
                links_need_a_membership_and_replace_decisions,
                a_case_moves_records_and_closes_channels_in_one_transaction,
                marking_a_closed_channel_again_keeps_the_day_it_was_closed,
                steps_keep_their_time_and_take_a_new_note,
                ending_the_service_closes_every_contract,
                refunds_are_tracked_and_checked,
                a_step_marked_by_mistake_is_undone,
                cases_outlive_their_membership,
                the_vault_head_moves_only_when_the_addition_succeeds,
                members_and_splits_round_trip_and_refuse_what_is_wrong,
                a_refused_split_keeps_the_one_before,
                reminder_days_are_set_and_cleared,
                a_reminder_is_claimed_once_per_channel_and_can_be_given_back,
                a_period_that_cannot_be_read_back_is_faulty,
                the_data_version_moves_with_every_write_and_only_then,
            );
        }
    };
}

/// One `#[test]` per suite function, on a fresh store from `open()`.
macro_rules! suite_tests {
    ($($test:ident),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                if let Some(store) = open() {
                    super::$test(store);
                }
            }
        )*
    };
}

store_suite!(sqlite, || Some(SqliteStore::open_in_memory().unwrap()));
store_suite!(memory, || Some(MemoryStore::new()));
store_suite!(postgres, common::postgres_store);
// The run-time choice forwards every method unchanged.
store_suite!(any, || Some(AnyStore::Sqlite(
    SqliteStore::open_in_memory().unwrap()
)));

mod common;

// --- values -------------------------------------------------------------------------

fn sample() -> Membership {
    Membership {
        platform: "爱奇艺".into(),
        plan: "黄金VIP连续包月".into(),
        billing: Billing::Periodic(Period::month()),
        price: Money::from_minor(2500, Currency::CNY),
        start: date(2026, 1, 31),
        paid_through: Some(date(2026, 2, 27)),
        trial_until: None,
        auto_renew: vec![
            AutoRenewContract {
                channel: Channel::WechatPay,
                status: ContractStatus::Active,
            },
            AutoRenewContract {
                channel: Channel::InApp,
                status: ContractStatus::Closed(date(2026, 3, 1)),
            },
            AutoRenewContract {
                channel: Channel::Alipay,
                status: ContractStatus::Unknown,
            },
        ],
        benefits: vec![
            Benefit {
                name: "观影券".into(),
                unit_value: Some(Money::from_minor(1500, Currency::CNY)),
                quantity: 4,
                redeemed: 1,
            },
            Benefit {
                name: "云包场".into(),
                unit_value: None,
                quantity: 1,
                redeemed: 0,
            },
        ],
        category: Some("视频".into()),
        notes: Some("family account".into()),
    }
}

/// A membership with one active WeChat Pay contract.
fn plain() -> Membership {
    Membership {
        platform: "芒果TV".into(),
        plan: "会员".into(),
        billing: Billing::Periodic(Period::month()),
        price: Money::from_minor(2200, Currency::CNY),
        start: date(2026, 1, 28),
        paid_through: None,
        trial_until: None,
        auto_renew: vec![AutoRenewContract {
            channel: Channel::WechatPay,
            status: ContractStatus::Active,
        }],
        benefits: vec![],
        category: None,
        notes: None,
    }
}

fn invalid() -> Membership {
    Membership {
        platform: String::new(),
        ..plain()
    }
}

fn cny(minor: i64) -> Money {
    Money::from_minor(minor, Currency::CNY)
}

fn change(on: Date, old: i64, new: i64, source: PriceSource) -> PriceChange {
    PriceChange {
        on,
        old: cny(old),
        new: cny(new),
        source,
    }
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn ids<S: Store>(store: &S) -> Vec<i64> {
    store.memberships().unwrap().iter().map(|s| s.id).collect()
}

/// RFC 3339 in UTC with milliseconds, as SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')`.
fn assert_stamp(text: &str) {
    assert!(text.parse::<Timestamp>().is_ok(), "{text}");
    assert_eq!(text.len(), "2026-01-01T00:00:00.000Z".len(), "{text}");
    assert!(text.ends_with('Z') && text.as_bytes()[19] == b'.', "{text}");
}

fn policy<'a>(text: &'a str, origin: &'a str) -> PolicyInput<'a> {
    PolicyInput { text, origin }
}

// --- memberships --------------------------------------------------------------------

fn round_trips_every_field<S: Store>(mut store: S) {
    let m = sample();
    let id = store.add_membership(&m).unwrap();
    assert_eq!(id, 1, "ids count up from 1");
    let stored = store.membership(id).unwrap();
    assert_eq!(stored.membership, m);
    assert_eq!((stored.id, stored.revision), (id, 1));
    assert_stamp(&stored.created_at);
    assert_eq!(stored.created_at, stored.updated_at);

    let variants = [
        Membership {
            billing: Billing::OneTime,
            auto_renew: vec![],
            ..sample()
        },
        Membership {
            billing: Billing::Gifted,
            price: Money::from_minor(0, Currency::from_code("JPY").unwrap()),
            paid_through: None,
            benefits: vec![],
            ..sample()
        },
        Membership {
            billing: Billing::Periodic(Period::Days(30)),
            trial_until: Some(date(2026, 2, 7)),
            category: None,
            notes: None,
            ..plain()
        },
        Membership {
            billing: Billing::Periodic(Period::Years(2)),
            price: Money::from_minor(9900, Currency::from_code("USD").unwrap()),
            ..plain()
        },
    ];
    let added = store.add_memberships(&variants).unwrap();
    assert_eq!(added, [2, 3, 4, 5]);
    for (id, m) in added.iter().zip(&variants) {
        assert_eq!(&store.membership(*id).unwrap().membership, m);
    }
    assert_eq!(ids(&store), [1, 2, 3, 4, 5]);
    let ledger = store.ledger().unwrap();
    assert!(ledger.faulty.is_empty());
    assert_eq!(ledger.memberships, store.memberships().unwrap());
    assert_eq!(ledger.memberships[0], stored);
    assert!(matches!(
        store.membership(99),
        Err(StoreError::NotFound { id: 99 })
    ));
}

fn names_are_stored_trimmed<S: Store>(mut store: S) {
    let mut m = sample();
    m.platform = "  爱奇艺 ".into();
    m.plan = " VIP ".into();
    m.benefits[0].name = " 观影券 ".into();
    m.notes = Some(" kept as typed ".into());
    let id = store.add_membership(&m).unwrap();
    let stored = store.membership(id).unwrap().membership;
    assert_eq!(
        (stored.platform.as_str(), stored.plan.as_str()),
        ("爱奇艺", "VIP")
    );
    assert_eq!(stored.benefits[0].name, "观影券");
    assert_eq!(stored.notes.as_deref(), Some(" kept as typed "));
    store.update_membership(id, 1, &m).unwrap();
    assert_eq!(store.membership(id).unwrap().membership, stored);
}

fn an_invalid_member_in_a_batch_writes_nothing<S: Store>(mut store: S) {
    assert!(matches!(
        store.add_memberships(&[sample(), invalid()]),
        Err(StoreError::Invalid(_))
    ));
    assert!(store.memberships().unwrap().is_empty());
    let bad = policy("[refund]\nmethod = \"nope\"\n", "x");
    assert!(matches!(
        store.add_memberships_with_policies(&[(sample(), None), (plain(), Some(bad))]),
        Err(StoreError::InvalidPolicy(_))
    ));
    assert!(matches!(
        store.add_membership(&invalid()),
        Err(StoreError::Invalid(_))
    ));
    assert!(store.ledger().unwrap().memberships.is_empty());
}

fn a_refused_batch_uses_no_ids<S: Store>(mut store: S) {
    let mut twins = sample();
    twins.benefits[1].name = " 观影券".into();
    assert!(store.add_memberships(&[plain(), twins]).is_err());
    assert!(store.memberships().unwrap().is_empty());
    assert_eq!(store.add_membership(&plain()).unwrap(), 1);
}

fn benefits_differing_only_by_spaces_are_refused<S: Store>(mut store: S) {
    let id = store.add_membership(&sample()).unwrap();
    let mut twins = sample();
    twins.benefits[1].name = "观影券 ".into();
    assert!(store.add_membership(&twins).is_err());
    assert!(store.update_membership(id, 1, &twins).is_err());
    let stored = store.membership(id).unwrap();
    assert_eq!((stored.revision, stored.membership), (1, sample()));
    assert_eq!(ids(&store), [id]);
}

fn updates_check_the_revision_and_replace_children<S: Store>(mut store: S) {
    let id = store.add_membership(&sample()).unwrap();
    let before = store.membership(id).unwrap();
    let mut m = sample();
    m.auto_renew.truncate(1);
    m.benefits.clear();
    m.price = cny(3000);
    m.paid_through = None;
    m.category = None;
    let revision = store.update_membership(id, 1, &m).unwrap();
    assert_eq!(revision, 2);
    let after = store.membership(id).unwrap();
    assert_eq!((after.revision, &after.membership), (2, &m));
    assert_eq!(after.created_at, before.created_at);
    assert_stamp(&after.updated_at);
    assert!(after.updated_at >= before.updated_at);
    assert!(matches!(
        store.update_membership(id, 1, &m),
        Err(StoreError::Conflict { id: c }) if c == id
    ));
    assert!(matches!(
        store.update_membership(99, 1, &m),
        Err(StoreError::NotFound { id: 99 })
    ));
    // The membership is checked before the ledger is read.
    assert!(matches!(
        store.update_membership(99, 1, &invalid()),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.update_membership(id, 2, &invalid()),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.update_membership(id, 2, &sample()).unwrap(), 3);
    assert_eq!(store.membership(id).unwrap().membership, sample());
}

fn a_failed_update_writes_nothing<S: Store>(mut store: S) {
    let id = store.add_membership(&plain()).unwrap();
    let mut m = plain();
    m.price = cny(2500);
    let negative = change(date(2026, 3, 1), -1, 2500, PriceSource::Edit);
    assert!(
        store
            .update_membership_noting_price(id, 1, &m, Some(&negative))
            .is_err()
    );
    let stored = store.membership(id).unwrap();
    assert_eq!((stored.revision, stored.membership), (1, plain()));
    assert!(store.price_changes().unwrap().is_empty());
}

fn removal_cascades_and_ids_are_never_reused<S: Store>(mut store: S) {
    let first = store.add_membership(&plain()).unwrap();
    let id = store
        .add_membership_with_policy(&sample(), Some(policy("", "stdin")))
        .unwrap();
    store.add_member("我").unwrap();
    store
        .set_split(id, &[("我".into(), SplitRule::Shares(1))])
        .unwrap();
    store.set_reminder_days(id, Some(&[7, 1])).unwrap();
    store
        .record_price_changes(
            id,
            &[change(date(2026, 2, 1), 2000, 2500, PriceSource::Charge)],
        )
        .unwrap();
    store.link_stream("爱奇艺|VIP", id).unwrap();
    let case = store
        .open_case(id, date(2026, 3, 1), at("2026-03-01T00:00:00Z"))
        .unwrap();
    let key = ReminderKey {
        membership_id: id,
        key_day: date(2026, 3, 30),
        lead_days: 7,
    };
    assert!(
        store
            .claim_reminder(&key, "ntfy", Timestamp::UNIX_EPOCH)
            .unwrap()
    );

    store.remove_membership(id).unwrap();
    assert!(matches!(
        store.membership(id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.remove_membership(id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(store.policy(id), Err(StoreError::NotFound { .. })));
    assert!(store.splits().unwrap().is_empty());
    assert!(store.reminder_days().unwrap().is_empty());
    assert!(store.price_changes().unwrap().is_empty());
    assert_eq!(
        store.stream_decisions().unwrap(),
        [StreamDecision::Adopted {
            key: "爱奇艺|VIP".into(),
            membership_id: None
        }]
    );
    let kept = store.case(case).unwrap();
    assert_eq!(kept.membership_id, None);
    assert_eq!(kept.membership_label, "爱奇艺 黄金VIP连续包月");
    // The member is free again, and what was said stays said.
    store.remove_member("我").unwrap();
    assert!(
        !store
            .claim_reminder(&key, "ntfy", Timestamp::UNIX_EPOCH)
            .unwrap()
    );

    assert_eq!(ids(&store), [first]);
    assert_eq!(store.add_membership(&sample()).unwrap(), id + 1);
    store.remove_membership(id + 1).unwrap();
    assert_eq!(store.add_membership(&sample()).unwrap(), id + 2);
}

fn policies_are_checked_stored_verbatim_and_removed_with_the_membership<S: Store>(mut store: S) {
    let text = "# my notes\n[refund]\nmethod = \"none\"\n";
    let id = store
        .add_membership_with_policy(&sample(), Some(policy(text, "p.toml")))
        .unwrap();
    let stored = store.policy(id).unwrap().unwrap();
    assert_eq!(
        (stored.text.as_str(), stored.origin.as_str()),
        (text, "p.toml")
    );
    assert_stamp(&stored.updated_at);
    let bad = policy("[refund]\nmethod = \"nope\"\n", "x");
    assert!(matches!(
        store.set_policy(id, bad),
        Err(StoreError::InvalidPolicy(_))
    ));
    // The text is checked before the membership is looked for.
    assert!(matches!(
        store.set_policy(99, bad),
        Err(StoreError::InvalidPolicy(_))
    ));
    assert!(matches!(
        store.add_membership_with_policy(&sample(), Some(bad)),
        Err(StoreError::InvalidPolicy(_))
    ));
    assert_eq!(store.memberships().unwrap().len(), 1);
    assert_eq!(store.policy(id).unwrap().unwrap().text, text);
    store
        .set_policy(id, policy("[refund]\nmethod = \"full\"\n", "template:x"))
        .unwrap();
    let replaced = store.policy(id).unwrap().unwrap();
    assert_eq!(
        (replaced.text.as_str(), replaced.origin.as_str()),
        ("[refund]\nmethod = \"full\"\n", "template:x")
    );
    assert!(replaced.updated_at >= stored.updated_at);
    assert!(matches!(
        store.set_policy(99, policy("", "")),
        Err(StoreError::NotFound { id: 99 })
    ));
    assert!(matches!(
        store.policy(99),
        Err(StoreError::NotFound { id: 99 })
    ));
    assert!(matches!(
        store.remove_policy(99),
        Err(StoreError::NotFound { id: 99 })
    ));
    assert!(store.remove_policy(id).unwrap());
    assert!(!store.remove_policy(id).unwrap());
    assert_eq!(store.policy(id).unwrap(), None);
    store.set_policy(id, policy("", "")).unwrap();
    let other = store.add_membership(&plain()).unwrap();
    assert_eq!(store.policy(other).unwrap(), None);
    store.remove_membership(id).unwrap();
    let again = store.add_membership(&sample()).unwrap();
    assert_eq!(store.policy(again).unwrap(), None);
}

fn price_changes_are_recorded_with_updates_and_on_their_own<S: Store>(mut store: S) {
    let a = store.add_membership(&plain()).unwrap();
    let b = store.add_membership(&sample()).unwrap();
    assert!(store.price_changes().unwrap().is_empty());
    let mut m = plain();
    m.price = cny(2500);
    let edit = change(date(2026, 4, 1), 2200, 2500, PriceSource::Edit);
    assert_eq!(
        store
            .update_membership_noting_price(a, 1, &m, Some(&edit))
            .unwrap(),
        2
    );
    assert_eq!(store.membership(a).unwrap().membership.price, cny(2500));
    let charges = [
        change(date(2026, 3, 1), 1800, 2200, PriceSource::Charge),
        change(date(2026, 5, 1), 2500, 2800, PriceSource::Notice),
    ];
    store.record_price_changes(b, &charges[..1]).unwrap();
    store.record_price_changes(a, &charges).unwrap();
    store.record_price_changes(a, &[]).unwrap();
    // By membership, then day, then as recorded.
    assert_eq!(
        store.price_changes().unwrap(),
        [(a, charges[0]), (a, edit), (a, charges[1]), (b, charges[0]),]
    );
    assert!(matches!(
        store.record_price_changes(99, &charges),
        Err(StoreError::NotFound { id: 99 })
    ));
    // All or nothing: the second change is refused, so the first is not kept either.
    let refused = [
        change(date(2026, 6, 1), 2800, 3000, PriceSource::Edit),
        change(date(2026, 7, 1), 3000, -1, PriceSource::Edit),
    ];
    assert!(store.record_price_changes(a, &refused).is_err());
    assert_eq!(store.price_changes().unwrap().len(), 4);
    // A conflicting update records no change.
    assert!(matches!(
        store.update_membership_noting_price(a, 1, &m, Some(&edit)),
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(store.price_changes().unwrap().len(), 4);
}

// --- bills and streams --------------------------------------------------------------

fn row(id: &str, day: i8, fen: i64) -> Transaction {
    Transaction {
        source: Source::Alipay,
        source_id: id.into(),
        time: date(2026, 3, day).at(10, 0, 0, 0),
        counterparty: "爱奇艺".into(),
        description: "爱奇艺VIP会员连续包月".into(),
        category: "日用百货".into(),
        direction: Direction::Out,
        amount: cny(fen),
        method: "花呗".into(),
        status: TxStatus::Success,
        status_text: "交易成功".into(),
        line: 20,
        refund_of: None,
    }
}

fn import<'a>(rows: &'a [Transaction], end: Option<Date>) -> BillImport<'a> {
    BillImport {
        file: "a.csv",
        format: "Alipay CSV",
        transactions: rows,
        period_start: None,
        period_end: end,
        progress: None,
    }
}

fn imports_are_idempotent_and_round_trip<S: Store>(mut store: S) {
    assert_eq!(store.bills_fingerprint().unwrap(), (0, 0));
    assert!(store.bill_transactions().unwrap().is_empty());
    let first = [row("A2", 2, 2500), row("A1", 1, 2500)];
    assert_eq!(
        store
            .import_bills(&import(&first, Some(date(2026, 3, 31))))
            .unwrap(),
        ImportCounts { read: 2, added: 2 }
    );
    // Ids are the backend's (PostgreSQL's are shared by every account): what counts is
    // that the fingerprint moves when rows are added, and only then.
    let (count, first_max) = store.bills_fingerprint().unwrap();
    assert_eq!(count, 2);
    let overlapping = [row("A2", 2, 2500), row("A3", 3, 1900)];
    let calls = std::cell::Cell::new(0);
    let progress = || calls.set(calls.get() + 1);
    let counts = store
        .import_bills(&BillImport {
            progress: Some(&progress),
            ..import(&overlapping, None)
        })
        .unwrap();
    assert_eq!(counts, ImportCounts { read: 2, added: 1 });
    assert_eq!(calls.get(), 2, "once per row");
    let fingerprint = store.bills_fingerprint().unwrap();
    assert!(
        fingerprint.0 == 3 && fingerprint.1 > first_max,
        "{fingerprint:?}"
    );
    // Nothing new: the fingerprint stays.
    assert_eq!(
        store.import_bills(&import(&first, None)).unwrap(),
        ImportCounts { read: 2, added: 0 }
    );
    assert_eq!(store.bills_fingerprint().unwrap(), fingerprint);
    let stored = store.bill_transactions().unwrap();
    assert_eq!(
        stored,
        [first[1].clone(), first[0].clone(), overlapping[1].clone()]
    );
    assert_eq!(store.bills_period_end().unwrap(), Some(date(2026, 3, 31)));

    // Every field round-trips; the key is (source, id, time, amount, direction,
    // description): a row differing elsewhere is the same row, one differing there is not.
    let mut every = row("W1", 5, 990);
    every.source = Source::WechatPay;
    every.time = date(2026, 3, 5).at(23, 59, 58, 0);
    every.counterparty = "腾讯视频".into();
    every.category = "娱乐".into();
    every.direction = Direction::In;
    every.amount = Money::from_minor(990, Currency::from_code("USD").unwrap());
    every.method = "零钱".into();
    every.status = TxStatus::Refund;
    every.status_text = "已全额退款".into();
    every.line = 7;
    every.refund_of = Some("W0".into());
    let same_row = Transaction {
        counterparty: "other".into(),
        method: "other".into(),
        line: 8,
        status: TxStatus::Closed,
        ..every.clone()
    };
    let other_rows = [
        Transaction {
            description: "other".into(),
            ..every.clone()
        },
        Transaction {
            direction: Direction::Neutral,
            status: TxStatus::Other,
            ..every.clone()
        },
        Transaction {
            source: Source::Jd,
            ..every.clone()
        },
        Transaction {
            amount: Money::from_minor(991, Currency::CNY),
            ..every.clone()
        },
    ];
    let mut batch = vec![every.clone(), same_row, every.clone()];
    batch.extend(other_rows.iter().cloned());
    assert_eq!(
        store.import_bills(&import(&batch, None)).unwrap(),
        ImportCounts { read: 7, added: 5 }
    );
    assert_eq!(store.bills_fingerprint().unwrap().0, 8);
    let stored = store.bill_transactions().unwrap();
    assert_eq!(stored[3..], [&[every][..], &other_rows[..]].concat()[..]);
}

fn the_period_end_is_the_later_of_stated_and_seen<S: Store>(mut store: S) {
    assert_eq!(store.bills_period_end().unwrap(), None);
    store.import_bills(&import(&[], None)).unwrap();
    assert_eq!(store.bills_period_end().unwrap(), None);
    store
        .import_bills(&import(&[], Some(date(2026, 2, 28))))
        .unwrap();
    assert_eq!(store.bills_period_end().unwrap(), Some(date(2026, 2, 28)));
    assert_eq!(store.bills_fingerprint().unwrap(), (0, 0));
    store
        .import_bills(&import(&[row("A1", 9, 100)], Some(date(2026, 1, 31))))
        .unwrap();
    assert_eq!(store.bills_period_end().unwrap(), Some(date(2026, 3, 9)));
    store
        .import_bills(&import(&[], Some(date(2026, 12, 31))))
        .unwrap();
    assert_eq!(store.bills_period_end().unwrap(), Some(date(2026, 12, 31)));
}

fn decisions_are_remembered_and_adoption_is_atomic<S: Store>(mut store: S) {
    let key = "爱奇艺|爱奇艺VIP会员连续包月";
    store.dismiss_stream("美团|美团团购午餐").unwrap();
    store.dismiss_stream(key).unwrap();
    // Refused adoptions write nothing: an invalid membership, a refused price change.
    assert!(matches!(
        store.adopt_stream(key, &invalid(), &[]),
        Err(StoreError::Invalid(_))
    ));
    let refused = [change(date(2026, 2, 15), -5, 2500, PriceSource::Charge)];
    assert!(store.adopt_stream(key, &plain(), &refused).is_err());
    assert!(store.memberships().unwrap().is_empty());
    assert!(store.price_changes().unwrap().is_empty());
    assert_eq!(
        store.stream_decisions().unwrap(),
        [
            StreamDecision::Dismissed { key: key.into() },
            StreamDecision::Dismissed {
                key: "美团|美团团购午餐".into()
            },
        ]
    );

    let seen = [change(date(2026, 2, 15), 1500, 2500, PriceSource::Charge)];
    let id = store.adopt_stream(key, &plain(), &seen).unwrap();
    assert_eq!(id, 1);
    assert_eq!(store.membership(id).unwrap().membership, plain());
    assert_eq!(store.price_changes().unwrap(), [(id, seen[0])]);
    assert!(matches!(
        store.adopt_stream(key, &plain(), &seen),
        Err(StoreError::Conflict { id: c }) if c == id
    ));
    assert_eq!(ids(&store), [id]);
    assert_eq!(store.price_changes().unwrap().len(), 1);
    let decisions = store.stream_decisions().unwrap();
    assert_eq!(
        decisions,
        [
            StreamDecision::Adopted {
                key: key.into(),
                membership_id: Some(id)
            },
            StreamDecision::Dismissed {
                key: "美团|美团团购午餐".into()
            },
        ]
    );
    assert_eq!(decisions[0].key(), key);
    store.remove_membership(id).unwrap();
    assert!(
        store
            .stream_decisions()
            .unwrap()
            .contains(&StreamDecision::Adopted {
                key: key.into(),
                membership_id: None
            })
    );
    // Its membership gone, the stream can be adopted again.
    let again = store.adopt_stream(key, &plain(), &[]).unwrap();
    assert_eq!(again, id + 1);
}

fn links_need_a_membership_and_replace_decisions<S: Store>(mut store: S) {
    assert!(matches!(
        store.link_stream("k", 1),
        Err(StoreError::NotFound { id: 1 })
    ));
    assert!(store.stream_decisions().unwrap().is_empty());
    let id = store.add_membership(&plain()).unwrap();
    store.dismiss_stream("k").unwrap();
    store.link_stream("k", id).unwrap();
    store.link_stream("j", id).unwrap();
    assert_eq!(
        store.stream_decisions().unwrap(),
        [
            StreamDecision::Adopted {
                key: "j".into(),
                membership_id: Some(id)
            },
            StreamDecision::Adopted {
                key: "k".into(),
                membership_id: Some(id)
            },
        ]
    );
    assert!(matches!(
        store.adopt_stream("k", &plain(), &[]),
        Err(StoreError::Conflict { .. })
    ));
    store.dismiss_stream("k").unwrap();
    assert_eq!(
        store.stream_decisions().unwrap()[1],
        StreamDecision::Dismissed { key: "k".into() }
    );
    assert_eq!(store.adopt_stream("k", &plain(), &[]).unwrap(), id + 1);
}

// --- cases --------------------------------------------------------------------------

fn with_member<S: Store>(store: &mut S) -> i64 {
    store.add_membership(&plain()).unwrap()
}

fn a_case_moves_records_and_closes_channels_in_one_transaction<S: Store>(mut store: S) {
    let mid = with_member(&mut store);
    let at = at("2026-11-23T02:00:00Z");
    assert!(matches!(
        store.open_case(99, date(2026, 11, 23), at),
        Err(StoreError::NotFound { id: 99 })
    ));
    let id = store.open_case(mid, date(2026, 11, 23), at).unwrap();
    assert_eq!(id, 1);
    let case = store.case(id).unwrap();
    assert_eq!(
        (case.state, case.membership_label.as_str()),
        (CaseState::Opened, "芒果TV 会员")
    );
    assert_eq!(
        (case.membership_id, case.currency.as_str(), case.opened_on),
        (Some(mid), "CNY", date(2026, 11, 23))
    );
    assert_eq!((case.revision, case.refund), (1, RefundTrack::default()));
    assert!(case.steps_done.is_empty());
    assert_eq!(case.transitions.len(), 1);
    let first = &case.transitions[0];
    assert_eq!(
        (first.from, first.to, first.at, &first.note),
        (CaseState::Opened, CaseState::Opened, at, &None)
    );

    let later = jiff::Timestamp::from_second(at.as_second() + 60).unwrap();
    let change = CaseChange {
        to: Some(CaseState::ChannelsClosed),
        step: Some("close:wechat_pay".into()),
        note: Some("关了".into()),
        close_channel: Some((Channel::WechatPay, date(2026, 11, 23))),
        ..CaseChange::default()
    };
    store
        .change_case(id, case.revision, &change, later)
        .unwrap();
    let case = store.case(id).unwrap();
    assert_eq!((case.state, case.revision), (CaseState::ChannelsClosed, 2));
    assert_eq!(case.steps_done.len(), 1);
    let step = &case.steps_done[0];
    assert_eq!(
        (step.step_id.as_str(), step.done_at, step.note.as_deref()),
        ("close:wechat_pay", later, Some("关了"))
    );
    assert_eq!(case.transitions.len(), 2);
    let moved = &case.transitions[1];
    assert_eq!(
        (moved.from, moved.to, moved.at, moved.note.as_deref()),
        (
            CaseState::Opened,
            CaseState::ChannelsClosed,
            later,
            Some("关了")
        )
    );
    let stored = store.membership(mid).unwrap();
    assert_eq!(stored.revision, 2, "the membership changed with the case");
    assert_eq!(
        stored.membership.auto_renew,
        [AutoRenewContract {
            channel: Channel::WechatPay,
            status: ContractStatus::Closed(date(2026, 11, 23)),
        }]
    );
    // Illegal: straight to received; and a stale revision.
    let illegal = CaseChange {
        to: Some(CaseState::RefundReceived),
        step: Some("x".into()),
        ..CaseChange::default()
    };
    assert!(matches!(
        store.change_case(id, case.revision, &illegal, at),
        Err(StoreError::IllegalTransition(_))
    ));
    assert!(matches!(
        store.change_case(
            id,
            case.revision,
            &CaseChange {
                to: Some(CaseState::Opened),
                ..CaseChange::default()
            },
            at
        ),
        Err(StoreError::IllegalTransition(_))
    ));
    let ok = CaseChange {
        to: Some(CaseState::RefundRequested),
        ..CaseChange::default()
    };
    assert!(matches!(
        store.change_case(id, case.revision - 1, &ok, at),
        Err(StoreError::Conflict { id: c }) if c == id
    ));
    assert_eq!(store.case(id).unwrap(), case, "nothing was written");
    assert!(matches!(
        store.case(99),
        Err(StoreError::CaseNotFound { id: 99 })
    ));
    assert!(matches!(
        store.change_case(99, 1, &ok, at),
        Err(StoreError::CaseNotFound { id: 99 })
    ));
    // A channel the membership did not record is added, closed.
    let close_alipay = CaseChange {
        to: Some(CaseState::RefundRequested),
        close_channel: Some((Channel::Alipay, date(2026, 11, 24))),
        ..CaseChange::default()
    };
    store.change_case(id, 2, &close_alipay, at).unwrap();
    let m = store.membership(mid).unwrap();
    assert_eq!(m.revision, 3);
    assert_eq!(
        m.membership.auto_renew[1],
        AutoRenewContract {
            channel: Channel::Alipay,
            status: ContractStatus::Closed(date(2026, 11, 24)),
        }
    );
    // An edit based on the membership before the case closed its channel conflicts.
    assert!(matches!(
        store.update_membership(mid, 2, &plain()),
        Err(StoreError::Conflict { .. })
    ));
    // A move with nothing else still counts as a change.
    let case = store.case(id).unwrap();
    store
        .change_case(id, case.revision, &CaseChange::default(), at)
        .unwrap();
    let after = store.case(id).unwrap();
    assert_eq!(after.revision, case.revision + 1);
    assert_eq!(after.transitions, case.transitions);
    let second = store.open_case(mid, date(2026, 12, 1), at).unwrap();
    assert_eq!(
        store
            .cases()
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        [id, second]
    );
    assert_eq!(store.cases().unwrap()[0], after);
}

fn marking_a_closed_channel_again_keeps_the_day_it_was_closed<S: Store>(mut store: S) {
    let mid = with_member(&mut store);
    let at = at("2026-11-23T02:00:00Z");
    let id = store.open_case(mid, date(2026, 11, 23), at).unwrap();
    for day in [23, 26] {
        let change = CaseChange {
            step: Some("close:wechat_pay".into()),
            close_channel: Some((Channel::WechatPay, date(2026, 11, day))),
            ..CaseChange::default()
        };
        let revision = store.case(id).unwrap().revision;
        store.change_case(id, revision, &change, at).unwrap();
    }
    let m = store.membership(mid).unwrap();
    assert_eq!(
        m.membership.auto_renew[0].status,
        ContractStatus::Closed(date(2026, 11, 23))
    );
    assert_eq!(m.revision, 3, "each change rewrote the contracts");
}

fn steps_keep_their_time_and_take_a_new_note<S: Store>(mut store: S) {
    let mid = with_member(&mut store);
    let t = |s: &str| at(&format!("2026-11-23T02:00:{s}Z"));
    let id = store.open_case(mid, date(2026, 11, 23), t("00")).unwrap();
    let mark = |step: &str, note: Option<&str>| CaseChange {
        step: Some(step.into()),
        note: note.map(str::to_string),
        ..CaseChange::default()
    };
    store
        .change_case(id, 1, &mark("b", Some("first")), t("05"))
        .unwrap();
    store.change_case(id, 2, &mark("a", None), t("05")).unwrap();
    store.change_case(id, 3, &mark("c", None), t("01")).unwrap();
    store.change_case(id, 4, &mark("b", None), t("09")).unwrap();
    let case = store.case(id).unwrap();
    let steps: Vec<_> = case
        .steps_done
        .iter()
        .map(|s| (s.step_id.as_str(), s.done_at, s.note.as_deref()))
        .collect();
    assert_eq!(
        steps,
        [
            ("c", t("01"), None),
            ("a", t("05"), None),
            ("b", t("05"), Some("first")),
        ]
    );
    store
        .change_case(id, 5, &mark("b", Some("second")), t("10"))
        .unwrap();
    let case = store.case(id).unwrap();
    assert_eq!(case.steps_done[2].note.as_deref(), Some("second"));
    assert_eq!(case.steps_done[2].done_at, t("05"));
    assert_eq!(case.transitions.len(), 1, "steps are no moves");
}

fn ending_the_service_closes_every_contract<S: Store>(mut store: S) {
    let mut m = sample();
    m.paid_through = None;
    let mid = store.add_membership(&m).unwrap();
    let bare = store
        .add_membership(&Membership {
            auto_renew: vec![],
            ..plain()
        })
        .unwrap();
    let at = at("2026-11-23T02:00:00Z");
    let end = CaseChange {
        end_service: Some(date(2026, 11, 30)),
        ..CaseChange::default()
    };
    let id = store.open_case(mid, date(2026, 11, 23), at).unwrap();
    store.change_case(id, 1, &end, at).unwrap();
    let ended = store.membership(mid).unwrap();
    assert_eq!(ended.revision, 2);
    assert_eq!(ended.membership.paid_through, Some(date(2026, 11, 30)));
    let statuses: Vec<_> = ended
        .membership
        .auto_renew
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(
        statuses,
        [
            ContractStatus::Closed(date(2026, 11, 30)),
            ContractStatus::Closed(date(2026, 3, 1)),
            ContractStatus::Closed(date(2026, 11, 30)),
        ]
    );
    assert_eq!(
        Membership {
            auto_renew: vec![],
            paid_through: None,
            ..ended.membership
        },
        Membership {
            auto_renew: vec![],
            ..m
        },
        "nothing else changed"
    );
    // No contract recorded: one that cannot charge is; a day before the start is the start.
    let id = store.open_case(bare, date(2026, 11, 23), at).unwrap();
    let early = CaseChange {
        end_service: Some(date(2025, 12, 31)),
        ..CaseChange::default()
    };
    store.change_case(id, 1, &early, at).unwrap();
    let ended = store.membership(bare).unwrap().membership;
    assert_eq!(ended.paid_through, Some(plain().start));
    assert_eq!(
        ended.auto_renew,
        [AutoRenewContract {
            channel: Channel::Other,
            status: ContractStatus::Closed(date(2025, 12, 31)),
        }]
    );
    // A day outside the ledger's range is refused, and nothing is written.
    let id = store.open_case(mid, date(2026, 11, 23), at).unwrap();
    let absurd = CaseChange {
        to: Some(CaseState::Closed),
        end_service: Some(date(2999, 1, 1)),
        ..CaseChange::default()
    };
    let before = store.membership(mid).unwrap();
    assert!(matches!(
        store.change_case(id, 1, &absurd, at),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.membership(mid).unwrap(), before);
    assert_eq!(store.case(id).unwrap().revision, 1);
}

fn refunds_are_tracked_and_checked<S: Store>(mut store: S) {
    let mid = with_member(&mut store);
    let at = at("2026-11-23T02:00:00Z");
    let id = store.open_case(mid, date(2026, 11, 23), at).unwrap();
    let refund = RefundTrack {
        requested_on: Some(date(2026, 11, 24)),
        promised_minor: Some(2200),
        promised_by: Some(date(2026, 12, 1)),
        received_minor: Some(2000),
        received_on: Some(date(2026, 11, 30)),
    };
    let change = CaseChange {
        to: Some(CaseState::RefundRequested),
        refund: Some(refund),
        ..CaseChange::default()
    };
    // Refund moves are checked against the machine like any other.
    assert!(matches!(
        store.change_case(id, 1, &change, at),
        Err(StoreError::IllegalTransition(_))
    ));
    let change = CaseChange { to: None, ..change };
    store.change_case(id, 1, &change, at).unwrap();
    assert_eq!(store.case(id).unwrap().refund, refund);
    let partial = RefundTrack {
        requested_on: Some(date(2026, 11, 24)),
        ..RefundTrack::default()
    };
    store
        .change_case(
            id,
            2,
            &CaseChange {
                refund: Some(partial),
                ..CaseChange::default()
            },
            at,
        )
        .unwrap();
    assert_eq!(store.case(id).unwrap().refund, partial);
    // A negative amount is refused with the rest of the change.
    let negative = CaseChange {
        step: Some("ask".into()),
        refund: Some(RefundTrack {
            received_minor: Some(-1),
            ..RefundTrack::default()
        }),
        ..CaseChange::default()
    };
    let before = store.case(id).unwrap();
    assert!(store.change_case(id, 3, &negative, at).is_err());
    assert_eq!(store.case(id).unwrap(), before);
}

fn a_step_marked_by_mistake_is_undone<S: Store>(mut store: S) {
    let mid = with_member(&mut store);
    let at = at("2026-11-23T02:00:00Z");
    let id = store.open_case(mid, date(2026, 11, 23), at).unwrap();
    let change = CaseChange {
        to: Some(CaseState::ChannelsClosed),
        step: Some("close:wechat_pay".into()),
        note: Some("oops".into()),
        close_channel: Some((Channel::WechatPay, date(2026, 11, 23))),
        ..CaseChange::default()
    };
    store.change_case(id, 1, &change, at).unwrap();
    assert!(matches!(
        store.undo_step(id, 1, "close:wechat_pay"),
        Err(StoreError::Conflict { id: c }) if c == id
    ));
    // A missing case reads as a stale revision.
    assert!(matches!(
        store.undo_step(99, 1, "close:wechat_pay"),
        Err(StoreError::Conflict { id: 99 })
    ));
    store.undo_step(id, 2, "close:wechat_pay").unwrap();
    let case = store.case(id).unwrap();
    assert!(case.steps_done.is_empty());
    assert_eq!((case.state, case.revision), (CaseState::ChannelsClosed, 3));
    assert_eq!(case.transitions.len(), 2, "the move stays");
    assert_eq!(
        store.membership(mid).unwrap().membership.auto_renew[0].status,
        ContractStatus::Closed(date(2026, 11, 23)),
        "the channel stays closed"
    );
    // Undoing a step not done still takes a revision.
    store.undo_step(id, 3, "never").unwrap();
    assert_eq!(store.case(id).unwrap().revision, 4);
}

fn cases_outlive_their_membership<S: Store>(mut store: S) {
    let mid = with_member(&mut store);
    let at = at("2026-11-23T02:00:00Z");
    let id = store.open_case(mid, date(2026, 11, 23), at).unwrap();
    store.remove_membership(mid).unwrap();
    // Closing a channel of a membership that is gone changes the case only.
    let change = CaseChange {
        to: Some(CaseState::ChannelsClosed),
        close_channel: Some((Channel::WechatPay, date(2026, 11, 23))),
        end_service: Some(date(2026, 11, 30)),
        ..CaseChange::default()
    };
    store.change_case(id, 1, &change, at).unwrap();
    let case = store.case(id).unwrap();
    assert_eq!(
        (case.membership_id, case.state, case.revision),
        (None, CaseState::ChannelsClosed, 2)
    );
    assert!(matches!(
        store.open_case(mid, date(2026, 11, 23), at),
        Err(StoreError::NotFound { .. })
    ));
    let other = with_member(&mut store);
    assert_eq!(
        store.open_case(other, date(2026, 11, 23), at).unwrap(),
        id + 1
    );
}

// --- vault --------------------------------------------------------------------------

trait CloneWithSeq {
    fn clone_with_seq(&self, seq: u64) -> Self;
}

impl CloneWithSeq for VaultHead {
    fn clone_with_seq(&self, seq: u64) -> VaultHead {
        VaultHead {
            seq,
            hash: self.hash.clone(),
        }
    }
}

fn head(seq: u64, c: char) -> VaultHead {
    VaultHead {
        seq,
        hash: c.to_string().repeat(64),
    }
}

fn the_vault_head_moves_only_when_the_addition_succeeds<S: Store>(mut store: S) {
    assert_eq!(store.vault_head().unwrap(), None);
    let out = store
        .append_to_vault(|seen| -> Result<_, StoreError> {
            assert_eq!(seen, None);
            Ok((head(1, 'a'), "first"))
        })
        .unwrap();
    assert_eq!(out, "first");
    assert_eq!(store.vault_head().unwrap(), Some(head(1, 'a')));
    /// The caller's own error, as the application's.
    #[derive(Debug)]
    enum AppError {
        Journal(&'static str),
        Store,
    }
    impl From<StoreError> for AppError {
        fn from(_: StoreError) -> AppError {
            AppError::Store
        }
    }
    let failed: Result<(), AppError> = store.append_to_vault(|seen| {
        assert_eq!(seen, Some(&head(1, 'a')));
        Err(AppError::Journal("the journal is read-only"))
    });
    assert!(matches!(
        failed,
        Err(AppError::Journal("the journal is read-only"))
    ));
    let refused: Result<(), AppError> =
        store.append_to_vault(|_| Ok((head(2, 'a').clone_with_seq(0), ())));
    assert!(matches!(refused, Err(AppError::Store)));
    assert_eq!(store.vault_head().unwrap(), Some(head(1, 'a')));
    // A head the ledger cannot hold is refused, and the one before stays.
    for bad in [
        VaultHead {
            seq: 2,
            hash: "short".into(),
        },
        head(0, 'b'),
    ] {
        let refused = store.append_to_vault(|_| -> Result<_, StoreError> { Ok((bad, ())) });
        assert!(refused.is_err());
        assert_eq!(store.vault_head().unwrap(), Some(head(1, 'a')));
    }
    store
        .append_to_vault(|seen| -> Result<_, StoreError> {
            let next = seen.unwrap().seq + 1;
            Ok((head(next, '二'), ()))
        })
        .unwrap();
    assert_eq!(store.vault_head().unwrap(), Some(head(2, '二')));
}

// --- household and reminders --------------------------------------------------------

fn members_and_splits_round_trip_and_refuse_what_is_wrong<S: Store>(mut store: S) {
    assert!(store.members().unwrap().is_empty());
    let me = store.add_member("我").unwrap();
    let wang = store.add_member(" 小王 ").unwrap();
    assert!(wang > me);
    assert!(matches!(
        store.add_member(" 我 "),
        Err(StoreError::MemberExists(n)) if n == "我"
    ));
    assert!(store.add_member("  ").is_err());
    assert_eq!(store.members().unwrap(), ["我", "小王"]);
    assert!(matches!(
        store.set_split(1, &[("我".into(), SplitRule::Shares(1))]),
        Err(StoreError::NotFound { id: 1 })
    ));
    assert!(store.splits().unwrap().is_empty());
    assert!(matches!(
        store.remove_member(" nobody "),
        Err(StoreError::MemberNotFound(n)) if n == "nobody"
    ));

    let a = store.add_membership(&plain()).unwrap();
    let b = store.add_membership(&sample()).unwrap();
    let split_b = vec![
        ("小王".to_string(), SplitRule::Fixed(500)),
        ("我".to_string(), SplitRule::Shares(2)),
    ];
    store.set_split(b, &split_b).unwrap();
    store
        .set_split(a, &[(" 我 ".into(), SplitRule::Shares(1))])
        .unwrap();
    assert_eq!(
        store.splits().unwrap(),
        [
            (a, vec![("我".to_string(), SplitRule::Shares(1))]),
            (b, split_b.clone()),
        ]
    );
    assert!(matches!(
        store.remove_member("小王"),
        Err(StoreError::MemberInUse(n)) if n == "小王"
    ));
    store
        .set_split(b, &[("我".into(), SplitRule::Fixed(0))])
        .unwrap();
    store.remove_member(" 小王").unwrap();
    assert_eq!(store.members().unwrap(), ["我"]);
    store.set_split(a, &[]).unwrap();
    assert_eq!(
        store.splits().unwrap(),
        [(b, vec![("我".to_string(), SplitRule::Fixed(0))])]
    );
    // Ids are never reused.
    assert!(store.add_member("小王").unwrap() > wang);
    assert_eq!(store.members().unwrap(), ["我", "小王"]);
}

fn a_refused_split_keeps_the_one_before<S: Store>(mut store: S) {
    let id = store.add_membership(&plain()).unwrap();
    store.add_member("我").unwrap();
    store.add_member("小王").unwrap();
    let before = vec![("我".to_string(), SplitRule::Shares(1))];
    store.set_split(id, &before).unwrap();
    let mine = ("我".to_string(), SplitRule::Shares(1));
    assert!(matches!(
        store.set_split(id, &[mine.clone(), ("nobody".into(), SplitRule::Shares(1))]),
        Err(StoreError::MemberNotFound(n)) if n == "nobody"
    ));
    for refused in [
        vec![("小王".to_string(), SplitRule::Shares(0))],
        vec![("小王".to_string(), SplitRule::Fixed(-1))],
        vec![mine.clone(), (" 我".to_string(), SplitRule::Fixed(1))],
    ] {
        assert!(store.set_split(id, &refused).is_err(), "{refused:?}");
    }
    assert_eq!(store.splits().unwrap(), [(id, before)]);
    store.remove_member("小王").unwrap();
}

fn reminder_days_are_set_and_cleared<S: Store>(mut store: S) {
    assert!(matches!(
        store.set_reminder_days(1, Some(&[7])),
        Err(StoreError::NotFound { id: 1 })
    ));
    let a = store.add_membership(&plain()).unwrap();
    let b = store.add_membership(&sample()).unwrap();
    store.set_reminder_days(b, Some(&[14, 3, 0])).unwrap();
    store.set_reminder_days(a, Some(&[7])).unwrap();
    assert_eq!(
        store.reminder_days().unwrap(),
        [(a, vec![7]), (b, vec![14, 3, 0])]
    );
    store.set_reminder_days(a, Some(&[1, 7])).unwrap();
    store.set_reminder_days(b, None).unwrap();
    assert_eq!(store.reminder_days().unwrap(), [(a, vec![1, 7])]);
    store.set_reminder_days(a, Some(&[])).unwrap();
    assert!(store.reminder_days().unwrap().is_empty());
    store.set_reminder_days(a, None).unwrap();
}

fn a_reminder_is_claimed_once_per_channel_and_can_be_given_back<S: Store>(mut store: S) {
    // No membership needed: what was sent is kept when a membership goes.
    let key = ReminderKey {
        membership_id: 1,
        key_day: date(2026, 11, 30),
        lead_days: 7,
    };
    let at = Timestamp::UNIX_EPOCH;
    assert!(store.claim_reminder(&key, "ntfy", at).unwrap());
    assert!(
        !store.claim_reminder(&key, "ntfy", at).unwrap(),
        "claimed already"
    );
    assert!(
        store.claim_reminder(&key, "mail", at).unwrap(),
        "each channel on its own"
    );
    let next_lead = ReminderKey {
        lead_days: 1,
        ..key
    };
    assert!(store.claim_reminder(&next_lead, "ntfy", at).unwrap());
    let next_day = ReminderKey {
        key_day: date(2026, 12, 30),
        ..key
    };
    assert!(store.claim_reminder(&next_day, "ntfy", at).unwrap());
    let other = ReminderKey {
        membership_id: 2,
        ..key
    };
    assert!(store.claim_reminder(&other, "ntfy", at).unwrap());
    store.release_reminder(&key, "ntfy").unwrap();
    store.release_reminder(&key, "never claimed").unwrap();
    assert!(
        store.claim_reminder(&key, "ntfy", at).unwrap(),
        "given back after a failure"
    );
    assert!(!store.claim_reminder(&key, "mail", at).unwrap());
    // A row the ledger cannot hold is never claimed.
    assert!(!store.claim_reminder(&key, "", at).unwrap());
}

fn a_period_that_cannot_be_read_back_is_faulty<S: Store>(mut store: S) {
    let good = store.add_membership(&plain()).unwrap();
    let zero = Membership {
        billing: Billing::Periodic(Period::Days(0)),
        ..plain()
    };
    let id = store.add_membership(&zero).unwrap();
    assert!(matches!(
        store.membership(id),
        Err(StoreError::Corrupt {
            field: "period",
            ..
        })
    ));
    let ledger = store.ledger().unwrap();
    assert_eq!(ids(&store), [good]);
    assert_eq!(ledger.faulty.len(), 1);
    assert_eq!(
        (ledger.faulty[0].id, ledger.faulty[0].platform.as_str()),
        (id, "芒果TV")
    );
    assert!(matches!(
        store.open_case(id, date(2026, 1, 1), Timestamp::UNIX_EPOCH),
        Err(StoreError::Corrupt { .. })
    ));
    // Still reachable by id: replaced, it reads again.
    store.update_membership(id, 1, &plain()).unwrap();
    assert!(store.ledger().unwrap().faulty.is_empty());
}

// --- the backends against each other ------------------------------------------------

/// Refusals that come from the SQLite schema rather than from validation are the same
/// errors (variant, codes and message) from the in-memory store.
#[test]
fn schema_refusals_read_the_same_in_both_backends() {
    fn refusals<S: Store>(mut store: S) -> Vec<String> {
        let mut out = Vec::new();
        let mut err = |r: Result<(), StoreError>| out.push(format!("{:?}", r.unwrap_err()));
        let id = store.add_membership(&plain()).unwrap();
        let mut twins = sample();
        twins.benefits[1].name = " 观影券".into();
        err(store.add_membership(&twins).map(drop));
        err(store.update_membership(id, 1, &twins).map(drop));
        for (old, new, on) in [(-1, 1, 2026), (1, -1, 2026), (-1, -1, 2026), (-1, -1, -1)] {
            let c = change(date(on, 1, 1), old, new, PriceSource::Edit);
            err(store.record_price_changes(id, &[c]));
        }
        let c = change(date(-1, 1, 1), 1, 1, PriceSource::Edit);
        err(store.record_price_changes(id, &[c]));
        err(store.add_member(" ").map(drop));
        store.add_member("我").unwrap();
        let me = "我".to_string();
        err(store.set_split(id, &[(me.clone(), SplitRule::Shares(0))]));
        err(store.set_split(id, &[(me.clone(), SplitRule::Fixed(-1))]));
        err(store.set_split(
            id,
            &[
                (me.clone(), SplitRule::Shares(1)),
                (me, SplitRule::Shares(1)),
            ],
        ));
        let case = store
            .open_case(id, date(2026, 1, 1), Timestamp::UNIX_EPOCH)
            .unwrap();
        for (promised, received) in [(Some(-1), None), (None, Some(-1)), (Some(-1), Some(-1))] {
            let refund = RefundTrack {
                promised_minor: promised,
                received_minor: received,
                ..RefundTrack::default()
            };
            let change = CaseChange {
                refund: Some(refund),
                ..CaseChange::default()
            };
            err(store.change_case(case, 1, &change, Timestamp::UNIX_EPOCH));
        }
        for bad in [
            head(0, 'a'),
            head(1, 'a').with_hash("x"),
            head(0, 'a').with_hash("x"),
        ] {
            err(store.append_to_vault(|_| -> Result<_, StoreError> { Ok((bad, ())) }));
        }
        let far = ReminderKey {
            membership_id: 1,
            key_day: date(-1, 1, 1),
            lead_days: 0,
        };
        out.push(format!(
            "claim: {}",
            store
                .claim_reminder(&far, "ntfy", Timestamp::UNIX_EPOCH)
                .unwrap()
        ));
        out
    }
    trait WithHash {
        fn with_hash(self, hash: &str) -> Self;
    }
    impl WithHash for VaultHead {
        fn with_hash(self, hash: &str) -> VaultHead {
            VaultHead {
                hash: hash.into(),
                ..self
            }
        }
    }
    let sqlite = refusals(SqliteStore::open_in_memory().unwrap());
    let memory = refusals(MemoryStore::new());
    assert_eq!(memory, sqlite);
}

/// A negative amount in a bill is skipped by both (SQLite's INSERT OR IGNORE skips a row
/// its CHECK refuses).
#[test]
fn negative_bill_amounts_are_skipped_alike() {
    fn counts<S: Store>(mut store: S) -> (ImportCounts, (i64, i64)) {
        let rows = [row("A1", 1, -100), row("A2", 2, 100)];
        let counts = store.import_bills(&import(&rows, None)).unwrap();
        (counts, store.bills_fingerprint().unwrap())
    }
    let sqlite = counts(SqliteStore::open_in_memory().unwrap());
    assert_eq!(sqlite, counts(MemoryStore::new()));
}

/// Times are ordered as text, as SQLite orders them: a fractional second sorts before the
/// whole second it follows ("…05.5Z" < "…05Z"). Both backends agree.
#[test]
fn orderings_by_time_text_agree() {
    fn orders<S: Store>(mut store: S) -> (Vec<String>, Vec<u32>) {
        let id = store.add_membership(&plain()).unwrap();
        let case = store
            .open_case(id, date(2026, 1, 1), Timestamp::UNIX_EPOCH)
            .unwrap();
        for (revision, (step, time)) in [
            ("a", "2026-01-01T00:00:05Z"),
            ("b", "2026-01-01T00:00:05.5Z"),
            ("c", "2026-01-01T00:00:04.999Z"),
        ]
        .into_iter()
        .enumerate()
        {
            let change = CaseChange {
                step: Some(step.into()),
                ..CaseChange::default()
            };
            store
                .change_case(case, revision as i64 + 1, &change, at(time))
                .unwrap();
        }
        let steps = store.case(case).unwrap().steps_done;
        let mut rows = [row("A1", 1, 100), row("A2", 1, 100), row("A3", 1, 100)];
        rows[0].time = date(2026, 3, 1).at(10, 0, 0, 0);
        rows[1].time = date(2026, 3, 1).at(10, 0, 0, 500_000_000);
        rows[2].time = date(2026, 3, 1).at(9, 59, 59, 0);
        for (line, row) in (1..).zip(rows.iter_mut()) {
            row.line = line;
        }
        store.import_bills(&import(&rows, None)).unwrap();
        let lines = store
            .bill_transactions()
            .unwrap()
            .iter()
            .map(|t| t.line)
            .collect();
        (steps.into_iter().map(|s| s.step_id).collect(), lines)
    }
    let sqlite = orders(SqliteStore::open_in_memory().unwrap());
    assert_eq!(
        sqlite,
        (vec!["c".to_string(), "b".into(), "a".into()], vec![3, 1, 2])
    );
    assert_eq!(orders(MemoryStore::new()), sqlite);
}

// --- the data version ------------------------------------------------------------------

fn the_data_version_moves_with_every_write_and_only_then<S: Store>(mut store: S) {
    let mut seen = store.data_version().unwrap();
    let mut moved = |store: &S, what: &str| {
        let now = store.data_version().unwrap();
        assert!(now > seen, "{what}: the data version stayed at {seen}");
        seen = now;
    };
    let id = store.add_membership(&sample()).unwrap();
    moved(&store, "add");
    let mut changed = store.membership(id).unwrap();
    changed.membership.plan = "另一个套餐".into();
    store
        .update_membership(id, changed.revision, &changed.membership)
        .unwrap();
    moved(&store, "update");
    let rows = [row("T1", 3, 1800)];
    store.import_bills(&import(&rows, None)).unwrap();
    moved(&store, "import");
    store.add_member("小明").unwrap();
    moved(&store, "household member");
    store.set_reminder_days(id, Some(&[3, 1])).unwrap();
    moved(&store, "reminder days");
    store
        .append_to_vault(|_| -> Result<_, StoreError> { Ok((head(1, 'a'), ())) })
        .unwrap();
    moved(&store, "vault head");
    let key = ReminderKey {
        membership_id: id,
        key_day: date(2026, 11, 30),
        lead_days: 7,
    };
    assert!(
        store
            .claim_reminder(&key, "ntfy", Timestamp::UNIX_EPOCH)
            .unwrap()
    );
    moved(&store, "reminder claimed");
    store.release_reminder(&key, "ntfy").unwrap();
    moved(&store, "reminder given back");
    // Reads and refused writes leave it alone.
    let before = store.data_version().unwrap();
    store.ledger().unwrap();
    store.bill_transactions().unwrap();
    store.cases().unwrap();
    assert!(store.add_membership(&invalid()).is_err());
    assert!(store.update_membership(id, 1, &sample()).is_err());
    assert!(
        !store
            .claim_reminder(&key, "", Timestamp::UNIX_EPOCH)
            .unwrap()
    );
    store.release_reminder(&key, "ntfy").unwrap();
    assert_eq!(store.data_version().unwrap(), before);
    store.remove_membership(id).unwrap();
    moved(&store, "remove");
}
