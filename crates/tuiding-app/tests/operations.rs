//! The application's operations on the in-memory store: what each returns, what it
//! writes, and the kind of error each front end words. No SQLite, no process, no HTTP: the
//! same operations the CLI and the web run, against `MemoryStore`, with a handle kept to
//! look at what was stored.

use jiff::civil::{Date, date};
use tuiding_app::case::{self, RefundFacts};
use tuiding_app::context::Ctx;
use tuiding_app::error::{ErrorKind, UserError};
use tuiding_app::memberships::edit::MembershipChange;
use tuiding_app::memberships::input::MembershipInput;
use tuiding_app::text::InputFile;
use tuiding_core::Lang;
use tuiding_core::case::CaseState;
use tuiding_store::MemoryStore;
use tuiding_store::prelude::*;

const TODAY: Date = date(2026, 11, 26);

/// A context on a fresh in-memory ledger (files such as the vault go to `dir`), and a
/// handle on the ledger.
fn ledger(dir: &std::path::Path, today: Date) -> (Ctx<MemoryStore>, MemoryStore) {
    let store = MemoryStore::new();
    let ctx = Ctx::with_backend(store.clone(), Lang::Zh, today, Some(dir.to_path_buf()));
    (ctx, store)
}

fn on(store: &MemoryStore, lang: Lang, today: Date, dir: &std::path::Path) -> Ctx<MemoryStore> {
    Ctx::with_backend(store.clone(), lang, today, Some(dir.to_path_buf()))
}

fn iqiyi() -> MembershipInput {
    MembershipInput {
        platform: Some("爱奇艺".into()),
        plan: Some("黄金VIP".into()),
        period: Some("month".into()),
        price: Some("25".into()),
        start: Some("2026-01-31".into()),
        auto_renew: vec!["wechat_pay".into()],
        ..MembershipInput::default()
    }
}

fn kind(err: &anyhow::Error) -> ErrorKind {
    err.downcast_ref::<UserError>()
        .expect("a worded error")
        .kind()
        .clone()
}

#[test]
fn a_membership_is_added_shown_changed_and_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let (ctx, store) = ledger(tmp.path(), TODAY);
    let id = tuiding_app::memberships::add::add(&ctx, iqiyi(), None).unwrap();
    let shown = tuiding_app::memberships::membership(&ctx, id).unwrap();
    assert_eq!(shown.price, "25.00");
    assert_eq!(
        shown.next_renewal,
        Some(date(2026, 11, 30)),
        "anchored on the 31st"
    );
    assert_eq!(store.memberships().unwrap().len(), 1);

    let changed = MembershipChange {
        expected_revision: Some(shown.revision),
        close: vec!["wechat_pay:2026-11-20".into()],
        ..MembershipChange::new(id, MembershipInput::default())
    }
    .save(&ctx)
    .unwrap();
    assert_eq!(changed.unwrap().auto_renew[0].status, "closed");
    // The same change again, from the revision read before it: a conflict, nothing written.
    let stale = MembershipChange {
        expected_revision: Some(shown.revision),
        ..MembershipChange::new(
            id,
            MembershipInput {
                price: Some("30".into()),
                ..MembershipInput::default()
            },
        )
    }
    .save(&ctx)
    .unwrap_err();
    assert_eq!(kind(&stale), ErrorKind::Conflict);
    assert_eq!(
        store.membership(id).unwrap().membership.price.minor_units(),
        2500
    );

    tuiding_app::memberships::edit::remove(&ctx, id).unwrap();
    let gone = tuiding_app::memberships::membership(&ctx, id).unwrap_err();
    assert_eq!(kind(&gone), ErrorKind::NotFound);
}

#[test]
fn every_problem_of_a_form_is_named_by_its_field_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let (ctx, store) = ledger(tmp.path(), TODAY);
    let bad = MembershipInput {
        platform: Some(" ".into()),
        price: Some("-3".into()),
        start: Some("2026-02-30".into()),
        auto_renew: vec!["pigeon_post".into()],
        ..MembershipInput::default()
    };
    let fields: Vec<String> = bad.problems(&ctx).into_iter().map(|(f, _)| f).collect();
    for field in ["platform", "period", "price", "start", "auto_renew"] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    let err = tuiding_app::memberships::add::add(&ctx, bad, None).unwrap_err();
    assert!(matches!(kind(&err), ErrorKind::Invalid { .. }));
    assert!(store.memberships().unwrap().is_empty());
}

#[test]
fn the_summary_carries_the_price_rises_the_overview_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let (ctx, _) = ledger(tmp.path(), TODAY);
    let id = tuiding_app::memberships::add::add(&ctx, iqiyi(), None).unwrap();
    MembershipChange {
        price_on: Some("2026-10-01".into()),
        ..MembershipChange::new(
            id,
            MembershipInput {
                price: Some("30".into()),
                ..MembershipInput::default()
            },
        )
    }
    .save(&ctx)
    .unwrap();
    let summary = tuiding_app::summary::summary(&ctx, false).unwrap();
    assert_eq!(summary.price_increases.len(), 1);
    assert_eq!(summary.price_increases[0].new, "30.00");
    assert_eq!(
        summary.price_increases[0].yearly_more.as_deref(),
        Some("60.00")
    );
    let overview = tuiding_app::overview::overview(&ctx).unwrap();
    assert_eq!(
        serde_json::to_value(&overview.summary).unwrap(),
        serde_json::to_value(&summary).unwrap(),
        "the overview shows the summary the API and the CLI give"
    );
}

/// A case whose promised refund (by 2026-12-05) is long overdue by 2027-03-01.
fn overdue_case(dir: &std::path::Path) -> (MemoryStore, i64) {
    let (ctx, store) = ledger(dir, TODAY);
    let id = tuiding_app::memberships::add::add(&ctx, iqiyi(), None).unwrap();
    let case = case::open(&ctx, id).unwrap();
    case::mark_step(&ctx, case, "close:wechat_pay", None).unwrap();
    case::record_refund(
        &ctx,
        case,
        &RefundFacts {
            promised: Some("25".into()),
            by: Some("2026-12-05".into()),
            ..RefundFacts::default()
        },
    )
    .unwrap();
    (store, case)
}

#[test]
fn reads_compute_what_time_changed_and_only_a_tick_records_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, id) = overdue_case(tmp.path());
    let later = on(&store, Lang::En, date(2027, 3, 1), tmp.path());
    let stored = || store.case(id).unwrap();
    let before = stored();
    assert_eq!(before.state, CaseState::RefundPromised);

    // Every read shows it overdue and leaves the case as it was.
    assert_eq!(case::show(&later, id).unwrap().state, "overdue");
    assert_eq!(case::list_items(&later).unwrap()[0].state, "overdue");
    let due = tuiding_app::due::items(&later, None).unwrap();
    assert!(due.iter().any(|i| i.kind == "refund_overdue"));
    tuiding_app::overview::overview(&later).unwrap();
    tuiding_app::remind::pending(&later).unwrap();
    assert_eq!(stored(), before, "a read wrote to the ledger");

    // The tick records it once, in a form any language can word.
    assert_eq!(tuiding_app::due::tick(&later).unwrap(), vec![id]);
    assert_eq!(tuiding_app::due::tick(&later).unwrap(), Vec::<i64>::new());
    let after = stored();
    assert_eq!(after.state, CaseState::Overdue);
    let note = after.transitions.last().unwrap().note.clone().unwrap();
    assert_eq!(note, "refund_due:2026-12-05");
    let zh = case::show(&on(&store, Lang::Zh, date(2027, 3, 1), tmp.path()), id).unwrap();
    let en = case::show(&later, id).unwrap();
    assert_eq!(
        zh.transitions.last().unwrap().note.as_deref(),
        Some("应于 2026-12-05 前到账，逾期未到账")
    );
    assert_eq!(
        en.transitions.last().unwrap().note.as_deref(),
        Some("due by 2026-12-05, not received in time")
    );
}

#[test]
fn an_illegal_move_is_refused_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (ctx, store) = ledger(tmp.path(), TODAY);
    let id = tuiding_app::memberships::add::add(&ctx, iqiyi(), None).unwrap();
    let case = case::open(&ctx, id).unwrap();
    let before = store.case(case).unwrap();
    let err = case::move_case(&ctx, case, CaseState::Resolved, None).unwrap_err();
    assert_eq!(kind(&err), ErrorKind::Refused);
    assert_eq!(store.case(case).unwrap(), before);
    let err = case::mark_step(&ctx, case, "fly:to_the_moon", None).unwrap_err();
    assert_eq!(
        err.downcast_ref::<UserError>().unwrap().field(),
        Some("step")
    );
}

#[test]
fn uploads_are_read_as_bytes_and_named_by_the_uploader() {
    let tmp = tempfile::tempdir().unwrap();
    let (ctx, _) = ledger(tmp.path(), TODAY);
    let id = tuiding_app::memberships::add::add(&ctx, iqiyi(), None).unwrap();
    let case = case::open(&ctx, id).unwrap();
    let added = tuiding_app::evidence::add(
        &ctx,
        case,
        &[InputFile::Bytes {
            name: "解约成功.png".into(),
            bytes: b"\x89PNG closed".to_vec(),
        }],
        "operation",
        Some("close:wechat_pay".into()),
        None,
    )
    .unwrap();
    assert_eq!(added[0].name, "解约成功.png");
    assert_eq!(tuiding_app::evidence::list(&ctx, case).unwrap().len(), 1);
    assert!(
        tuiding_app::evidence::verify(&ctx)
            .unwrap()
            .problems
            .is_empty()
    );

    // A bill upload that is no export is refused under the name the user gave it.
    let err = tuiding_app::bills::import(
        &ctx,
        &[InputFile::Bytes {
            name: "我的账单.csv".into(),
            bytes: b"just some text\nnothing like a bill\n".to_vec(),
        }],
        &[],
    )
    .unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("我的账单.csv"), "{text}");
    assert!(!text.contains(&tmp.path().display().to_string()), "{text}");
}

#[test]
fn a_wallos_export_is_imported_from_its_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (ctx, store) = ledger(tmp.path(), TODAY);
    let export = br#"[{"name": "Netflix", "price": 15.99, "currency_code": "USD", "next_payment": "2026-12-10", "cycle": 3, "frequency": 1, "auto_renew": 1, "category_name": "Video"}]"#;
    let dry = tuiding_app::wallos::import_wallos(&ctx, "subs.json", export, true).unwrap();
    assert_eq!(dry.imported.len() + dry.skipped.len(), 1);
    assert!(
        store.memberships().unwrap().is_empty(),
        "a dry run writes nothing"
    );
    let done = tuiding_app::wallos::import_wallos(&ctx, "subs.json", export, false).unwrap();
    assert_eq!(store.memberships().unwrap().len(), done.imported.len());
}

#[test]
fn a_move_from_a_case_shown_overdue_keeps_the_overdue_step_in_its_history() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, id) = overdue_case(tmp.path());
    let later = on(&store, Lang::Zh, date(2027, 3, 1), tmp.path());
    // The membership's page tells the same state as the case's.
    let membership = store.case(id).unwrap().membership_id.unwrap();
    let shown = tuiding_app::memberships::membership(&later, membership).unwrap();
    assert_eq!(shown.cases[0].state, "overdue");
    // No tick ran; the user escalates what they saw overdue.
    case::move_case(&later, id, CaseState::Escalated, None).unwrap();
    let moves: Vec<(CaseState, CaseState)> = store
        .case(id)
        .unwrap()
        .transitions
        .iter()
        .map(|t| (t.from, t.to))
        .collect();
    assert!(
        moves.ends_with(&[
            (CaseState::RefundPromised, CaseState::Overdue),
            (CaseState::Overdue, CaseState::Escalated),
        ]),
        "{moves:?}"
    );
}
