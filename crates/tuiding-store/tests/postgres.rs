//! PostgreSQL only: accounts, and the walls between them. One account's ledger can never
//! read or change another's rows, whatever ids it is asked with; row-level security holds
//! even for a connection that forgets to name its account; migrations run once however
//! many processes start at the same time.
//!
//! Runs against `TUIDING_TEST_DATABASE_URL` (see `common`); skipped without it, except
//! under `CI=true`.

mod common;

use jiff::Timestamp;
use jiff::civil::date;
use tuiding_core::case::{CaseState, RefundTrack};
use tuiding_core::price::{PriceChange, PriceSource};
use tuiding_core::split::SplitRule;
use tuiding_core::{
    AutoRenewContract, Billing, Channel, ContractStatus, Currency, Membership, Money, Period,
};
use tuiding_store::prelude::*;
use tuiding_store::{
    BillImport, CaseChange, PgStore, PolicyInput, Postgres, ReminderKey, SqliteStore, StoreError,
    VaultHead,
};

fn plain(platform: &str) -> Membership {
    Membership {
        platform: platform.into(),
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

/// A new account's empty ledger (the database is there: the caller checked).
fn account(_: &Postgres) -> PgStore {
    common::postgres_store().expect("the test database")
}

const POLICY: PolicyInput<'static> = PolicyInput {
    text: "[refund]\nmethod = \"full\"\n",
    origin: "p.toml",
};

/// An account holding one of everything, and its case id.
fn filled(db: &Postgres) -> (PgStore, i64) {
    let mut a = account(db);
    let case = fill(&mut a);
    (a, case)
}

/// One of everything in a ledger (a removed membership among them); returns the case id.
fn fill<S: Store>(a: &mut S) -> i64 {
    let gone = a.add_membership(&plain("已删除")).unwrap();
    a.remove_membership(gone).unwrap();
    let id = a
        .add_membership_with_policy(&plain("腾讯视频"), Some(POLICY))
        .unwrap();
    a.add_member("我").unwrap();
    a.set_split(id, &[("我".into(), SplitRule::Shares(1))])
        .unwrap();
    a.set_reminder_days(id, Some(&[7, 1])).unwrap();
    let change = PriceChange {
        on: date(2026, 2, 1),
        old: Money::from_minor(2000, Currency::CNY),
        new: Money::from_minor(2200, Currency::CNY),
        source: PriceSource::Notice,
    };
    a.record_price_changes(id, &[change]).unwrap();
    let rows = [
        charge("T1", date(2026, 2, 28).at(10, 0, 0, 0)),
        charge("T2", date(2026, 3, 28).at(9, 5, 7, 250_000_000)),
    ];
    a.import_bills(&BillImport {
        file: "alipay.csv",
        format: "alipay",
        transactions: &rows,
        period_start: Some(date(2026, 2, 1)),
        period_end: Some(date(2026, 4, 30)),
        progress: None,
    })
    .unwrap();
    a.link_stream("wechat_pay|腾讯视频|2200", id).unwrap();
    a.dismiss_stream("alipay|某店|100").unwrap();
    let case = a
        .open_case(
            id,
            date(2026, 3, 1),
            "2026-03-01T02:03:04.5Z".parse().unwrap(),
        )
        .unwrap();
    let step = CaseChange {
        step: Some("close:wechat_pay".into()),
        note: Some("已解约".into()),
        ..CaseChange::default()
    };
    a.change_case(
        case,
        1,
        &step,
        "2026-03-01T02:05:00.123456Z".parse().unwrap(),
    )
    .unwrap();
    a.append_to_vault(|_| -> Result<_, StoreError> {
        Ok((
            VaultHead {
                seq: 1,
                hash: "a".repeat(64),
            },
            (),
        ))
    })
    .unwrap();
    let key = reminder(id);
    assert!(
        a.claim_reminder(&key, "ntfy", Timestamp::UNIX_EPOCH)
            .unwrap()
    );
    case
}

fn reminder(membership_id: i64) -> ReminderKey {
    ReminderKey {
        membership_id,
        key_day: date(2026, 3, 27),
        lead_days: 7,
    }
}

fn charge(id: &str, time: jiff::civil::DateTime) -> tuiding_core::transaction::Transaction {
    use tuiding_core::transaction::{Direction, Source, Transaction, TxStatus};
    Transaction {
        source: Source::Alipay,
        source_id: id.into(),
        time,
        counterparty: "腾讯视频".into(),
        description: "VIP 连续包月".into(),
        category: "文化休闲".into(),
        direction: Direction::Out,
        amount: Money::from_minor(2200, Currency::CNY),
        method: "余额宝".into(),
        status: TxStatus::Success,
        status_text: "交易成功".into(),
        line: 3,
        refund_of: None,
    }
}

/// Everything a ledger answers, to compare before and after (but the data version).
fn ledger_text<S: Store>(s: &S) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        s.memberships().unwrap(),
        s.policy(2).ok(),
        s.cases().unwrap(),
        s.bill_transactions().unwrap(),
        s.bills_period_end().unwrap(),
        s.stream_decisions().unwrap(),
        s.members().unwrap(),
        s.splits().unwrap(),
        s.reminder_days().unwrap(),
        s.price_changes().unwrap(),
        s.vault_head().unwrap(),
        s.bills_fingerprint().unwrap().0,
    )
}

/// Everything an account's ledger answers, its data version included, to compare before
/// and after.
fn snapshot(s: &PgStore) -> String {
    format!("{}\n{:?}", ledger_text(s), s.data_version().unwrap())
}

#[test]
fn every_account_numbers_its_own_memberships_and_cases_from_one() {
    let Some(db) = common::database() else { return };
    let (mut a, mut b) = (account(db), account(db));
    assert_eq!(a.add_membership(&plain("A")).unwrap(), 1);
    assert_eq!(b.add_membership(&plain("B")).unwrap(), 1);
    assert_eq!(a.add_membership(&plain("A2")).unwrap(), 2);
    assert_eq!(
        a.open_case(2, date(2026, 3, 1), Timestamp::UNIX_EPOCH)
            .unwrap(),
        1
    );
    assert_eq!(
        b.open_case(1, date(2026, 3, 1), Timestamp::UNIX_EPOCH)
            .unwrap(),
        1
    );
    assert_eq!(a.membership(1).unwrap().membership.platform, "A");
    assert_eq!(b.membership(1).unwrap().membership.platform, "B");
    assert_eq!(a.case(1).unwrap().membership_label, "A2 会员");
}

#[test]
fn another_accounts_rows_are_never_found_read_or_changed() {
    let Some(db) = common::database() else { return };
    let (a, case) = filled(db);
    let before = snapshot(&a);
    let mut b = account(db);
    // Reads: nothing of A's.
    assert!(b.ledger().unwrap().memberships.is_empty());
    assert!(matches!(
        b.membership(1),
        Err(StoreError::NotFound { id: 1 })
    ));
    assert!(matches!(b.policy(2), Err(StoreError::NotFound { id: 2 })));
    assert!(matches!(b.case(case), Err(StoreError::CaseNotFound { .. })));
    assert!(b.cases().unwrap().is_empty());
    assert!(b.bill_transactions().unwrap().is_empty());
    assert!(b.stream_decisions().unwrap().is_empty());
    assert!(b.members().unwrap().is_empty());
    assert!(b.splits().unwrap().is_empty());
    assert!(b.reminder_days().unwrap().is_empty());
    assert!(b.price_changes().unwrap().is_empty());
    assert_eq!(b.vault_head().unwrap(), None);
    assert_eq!(b.bills_fingerprint().unwrap(), (0, 0));
    assert_eq!(b.bills_period_end().unwrap(), None);
    // Writes naming A's ids: refused as not found.
    let not_found = |r: Result<(), StoreError>| {
        let e = r.unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::NotFound { .. }
                    | StoreError::CaseNotFound { .. }
                    | StoreError::MemberNotFound(_)
            ),
            "{e:?}"
        );
    };
    not_found(b.update_membership(2, 1, &plain("改")).map(drop));
    not_found(b.remove_membership(2));
    not_found(b.set_policy(2, POLICY));
    not_found(b.remove_policy(2).map(drop));
    not_found(b.record_price_changes(2, &[]));
    not_found(b.link_stream("wechat_pay|腾讯视频|2200", 2));
    not_found(
        b.open_case(2, date(2026, 3, 1), Timestamp::UNIX_EPOCH)
            .map(drop),
    );
    let settle = CaseChange {
        to: Some(CaseState::Closed),
        refund: Some(RefundTrack::default()),
        ..CaseChange::default()
    };
    not_found(b.change_case(case, 2, &settle, Timestamp::UNIX_EPOCH));
    not_found(b.set_split(2, &[]));
    not_found(b.set_reminder_days(2, None));
    not_found(b.remove_member("我"));
    assert!(matches!(
        b.undo_step(case, 2, "close:wechat_pay"),
        Err(StoreError::Conflict { .. })
    ));
    // Names, stream keys and reminders are the account's own: the same ones in B are
    // B's rows, and leave A's alone.
    b.add_member("我").unwrap();
    b.dismiss_stream("wechat_pay|腾讯视频|2200").unwrap();
    let key = ReminderKey {
        membership_id: 1,
        key_day: date(2026, 3, 27),
        lead_days: 7,
    };
    assert!(
        b.claim_reminder(&key, "ntfy", Timestamp::UNIX_EPOCH)
            .unwrap()
    );
    b.release_reminder(&key, "ntfy").unwrap();
    // B's own membership 2 is B's: changing and removing it touches nothing of A's 2.
    assert_eq!(b.add_membership(&plain("B 的会员")).unwrap(), 1);
    assert_eq!(b.add_membership(&plain("B 的第二个")).unwrap(), 2);
    b.update_membership(2, 1, &plain("B 改")).unwrap();
    b.remove_membership(2).unwrap();
    assert_eq!(snapshot(&a), before, "A's ledger changed");
}

/// The second wall: a connection that never names an account sees no row, one that names
/// account A sees A's rows only and cannot write a row into B.
#[test]
fn row_security_hides_what_the_connection_was_not_opened_for() {
    let Some(db) = common::database() else { return };
    let (a, _) = filled(db);
    let (b, _) = filled(db);
    let url = std::env::var("TUIDING_TEST_DATABASE_URL").unwrap();
    let mut raw = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let superuser: bool = raw
        .query_one(
            "SELECT usesuper FROM pg_user WHERE usename = current_user",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(
        !superuser,
        "the test database's role is a superuser, which row-level security does not bind; \
         use scripts/pg-cluster.sh, which connects as a plain role"
    );
    let count = |raw: &mut postgres::Client, table: &str| -> i64 {
        raw.query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .unwrap()
            .get(0)
    };
    for table in [
        "membership",
        "case_file",
        "membership_policy",
        "vault_head",
        "reminder_sent",
    ] {
        assert_eq!(count(&mut raw, table), 0, "{table} without an account");
    }
    raw.execute(
        "SELECT set_config('tuiding.account', $1, false)",
        &[&a.account().to_string()],
    )
    .unwrap();
    let ids: Vec<i64> = raw
        .query("SELECT DISTINCT account_id FROM membership", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids, [a.account()]);
    let refused = raw.execute(
        "INSERT INTO household_member (account_id, name) VALUES ($1, 'intruder')",
        &[&b.account()],
    );
    let error = refused.unwrap_err();
    assert!(
        error.to_string().contains("row-level security")
            || error
                .as_db_error()
                .is_some_and(|e| e.message().contains("row-level security")),
        "{error:?}"
    );
}

#[test]
fn accounts_are_unique_and_removed_with_everything_they_own() {
    let Some(db) = common::database() else { return };
    let name = common::unique("acct");
    let added = db
        .add_account(&format!(" {name} "), Some("$argon2id$x"))
        .unwrap();
    assert_eq!(added.name, name);
    assert_eq!(added.lang, "zh");
    assert_eq!(added.time_zone, "Asia/Shanghai");
    assert!(matches!(
        db.add_account(&name, None),
        Err(StoreError::AccountExists(n)) if n == name
    ));
    db.set_password(&name, "$argon2id$y").unwrap();
    db.set_preferences(&name, "en", "Europe/Berlin").unwrap();
    let found = db.account(&name).unwrap().unwrap();
    assert_eq!(
        (
            found.password.as_deref(),
            found.lang.as_str(),
            found.time_zone.as_str()
        ),
        (Some("$argon2id$y"), "en", "Europe/Berlin")
    );
    let mut store = db.store(found.id).unwrap();
    let id = store
        .add_membership_with_policy(&plain("X"), Some(POLICY))
        .unwrap();
    store
        .open_case(id, date(2026, 3, 1), Timestamp::UNIX_EPOCH)
        .unwrap();
    store
        .import_bills(&BillImport {
            file: "f.csv",
            format: "alipay",
            transactions: &[],
            period_start: None,
            period_end: Some(date(2026, 3, 1)),
            progress: None,
        })
        .unwrap();
    db.remove_account(&name).unwrap();
    assert!(db.account(&name).unwrap().is_none());
    assert!(matches!(
        db.store(found.id),
        Err(StoreError::AccountNotFound(_))
    ));
    // A store opened before the removal writes nothing more.
    assert!(matches!(
        store.add_membership(&plain("Y")),
        Err(StoreError::AccountNotFound(_))
    ));
    assert!(matches!(
        db.remove_account(&name),
        Err(StoreError::AccountNotFound(_))
    ));
    assert!(matches!(
        db.set_password(&name, "z"),
        Err(StoreError::AccountNotFound(_))
    ));
}

#[test]
fn writers_of_one_account_at_once_keep_every_change() {
    let Some(db) = common::database() else { return };
    let first = account(db);
    let id = first.account();
    let handles: Vec<_> = (0..4)
        .map(|n| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut store = db.store(id).unwrap();
                for i in 0..25 {
                    store.add_membership(&plain(&format!("{n}-{i}"))).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let ids: Vec<i64> = first.memberships().unwrap().iter().map(|s| s.id).collect();
    assert_eq!(ids, (1..=100).collect::<Vec<_>>());
    assert_eq!(first.data_version().unwrap(), 100);
}

#[test]
fn a_new_database_is_migrated_once_by_processes_starting_together() {
    let Some(_) = common::database() else { return };
    let url = std::env::var("TUIDING_TEST_DATABASE_URL").unwrap();
    let name = common::unique("migrate").replace('-', "_");
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let fresh = match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => unreachable!("a URL names its database"),
    };
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let fresh = fresh.clone();
            std::thread::spawn(move || Postgres::connect(&fresh, 2).map(drop))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    let mut client = postgres::Client::connect(&fresh, postgres::NoTls).unwrap();
    let versions: i64 = client
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    assert!(versions >= 14, "{versions}");
    client
        .execute(
            "INSERT INTO schema_migrations (version) VALUES ('29991231000000_future')",
            &[],
        )
        .unwrap();
    assert!(matches!(
        Postgres::connect(&fresh, 1),
        Err(StoreError::NewerSchema { .. })
    ));
    drop(client);
    admin
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .unwrap();
}

#[test]
fn a_sqlite_ledger_copies_into_an_account_and_back_unchanged() {
    let Some(db) = common::database() else { return };
    let mut sqlite = SqliteStore::open_in_memory().unwrap();
    fill(&mut sqlite);
    let original = ledger_text(&sqlite);
    let mut pg = account(db);
    let counts = pg.copy_from_sqlite(&sqlite).unwrap();
    assert_eq!(
        (
            counts.of("membership"),
            counts.of("bill_transaction"),
            counts.of("reminder_sent")
        ),
        (1, 2, 1)
    );
    assert_eq!(ledger_text(&pg), original);
    // What was sent stays sent; a removed id is not handed out again.
    assert!(
        !pg.claim_reminder(&reminder(2), "ntfy", Timestamp::UNIX_EPOCH)
            .unwrap()
    );
    assert!(matches!(
        pg.copy_from_sqlite(&sqlite),
        Err(StoreError::NotCopied(_))
    ));
    // And back into a new SQLite file (an account's backup).
    let mut back = SqliteStore::open_in_memory().unwrap();
    pg.copy_into_sqlite(&mut back).unwrap();
    assert_eq!(ledger_text(&back), original);
    assert!(matches!(
        pg.copy_into_sqlite(&mut back),
        Err(StoreError::NotCopied(_))
    ));
    assert_eq!(pg.add_membership(&plain("新")).unwrap(), 3);
    assert_eq!(back.add_membership(&plain("新")).unwrap(), 3);
    assert_eq!(sqlite.add_membership(&plain("新")).unwrap(), 3);
}

#[test]
fn a_row_postgres_refuses_stops_the_copy_and_nothing_is_written() {
    let Some(db) = common::database() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tuiding.db");
    fill(&mut SqliteStore::open(&path).unwrap());
    // A day that does not exist, edited in by hand.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE case_file SET opened_on = '2026-02-30'", [])
        .unwrap();
    let sqlite = SqliteStore::open(&path).unwrap();
    let mut pg = account(db);
    let error = pg.copy_from_sqlite(&sqlite).unwrap_err();
    assert!(error.to_string().contains("case_file"), "{error}");
    assert!(pg.memberships().unwrap().is_empty());
    assert_eq!(pg.data_version().unwrap(), 0);
}
