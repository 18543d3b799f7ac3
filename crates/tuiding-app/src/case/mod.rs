//! `tuiding case …`: open a cancellation case, follow its steps, track the refund, close it,
//! and export the dossier.

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};
use crate::input;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::Lang;
use tuiding_core::case::{CaseState, RefundTrack};
use tuiding_store::CaseChange;
use tuiding_store::prelude::*;
pub use view::{
    CaseData, CaseSources, CaseView, Completeness, LocalizeVault, effective_state,
    expected_refund_date, load, overdue_note, step_done, transition_note, view,
};

pub mod message;

mod view;

/// A case in full: steps, refund, evidence, transitions (`tuiding case show`, the case
/// page, `GET /api/v1/cases/{id}`).
pub fn show(ctx: &Ctx<impl Backend>, id: i64) -> anyhow::Result<CaseView> {
    let store = ctx.open_store()?;
    Ok(view(ctx, &load(ctx, &store, id)?))
}

/// A case's written message (`refund_request`, `complaint`, …), with the refund it
/// claims; `None` for a kind there is none of.
pub fn message(
    ctx: &Ctx<impl Backend>,
    id: i64,
    kind: &str,
    order: Option<&str>,
) -> anyhow::Result<message::Message> {
    let store = ctx.open_store()?;
    let data = load(ctx, &store, id)?;
    let claim = message::refund_claim(ctx, &data);
    message::message(ctx, &data, claim.as_ref(), kind, order)
        .ok_or_else(|| UserError::usage("--kind", kind.to_string()))
}

/// The case page: the case in full, its ready-to-send messages and what its screenshots
/// say ([`crate::evidence::reading::Readout`]).
pub type CasePage = (
    CaseView,
    Vec<message::Message>,
    Vec<crate::evidence::reading::Readout>,
);

/// [`show_with_messages`] with the readouts of the case's evidence, kept while the ledger,
/// the evidence journal, the texts read, the screenshots being read, the data files, today
/// and the language are unchanged ([`crate::memo`]): the case page of a case with a
/// thousand pieces of evidence is read many times between two changes.
pub fn page(ctx: &Ctx<impl Backend>, id: i64) -> anyhow::Result<std::sync::Arc<CasePage>> {
    use std::hash::{Hash, Hasher};
    let mut also = std::hash::DefaultHasher::new();
    crate::evidence::journal_stamp(ctx)?.hash(&mut also);
    // A screenshot's text kept since (read off the request path) changes the page.
    crate::evidence::reading::texts_stamp(ctx)?.hash(&mut also);
    crate::evidence::reading::generation(ctx).hash(&mut also);
    // Tesseract installed since: the page offers to read what was stored before.
    crate::evidence::reading::engine_ready(ctx).hash(&mut also);
    ctx.remembered_given("case", &id.to_string(), also.finish(), |ctx| {
        let store = ctx.open_store()?;
        let data = load(ctx, &store, id)?;
        let (view, messages) = view_with_messages(ctx, &data);
        let readouts = crate::evidence::reading::readouts_of(ctx, &data, None)?;
        Ok((view, messages, readouts))
    })
}

/// A case in full with every ready-to-send message it has.
pub fn show_with_messages(
    ctx: &Ctx<impl Backend>,
    id: i64,
) -> anyhow::Result<(CaseView, Vec<message::Message>)> {
    let store = ctx.open_store()?;
    let data = load(ctx, &store, id)?;
    Ok(view_with_messages(ctx, &data))
}

fn view_with_messages(
    ctx: &Ctx<impl Backend>,
    data: &CaseData,
) -> (CaseView, Vec<message::Message>) {
    let view = view(ctx, data);
    let messages = message::KINDS
        .iter()
        .filter_map(|kind| message::message(ctx, data, view.refund_claim.as_ref(), kind, None))
        .collect();
    (view, messages)
}

/// Opens a case for a membership; returns its id.
pub fn open(ctx: &Ctx<impl Backend>, membership: i64) -> anyhow::Result<i64> {
    ctx.open_store()?
        .open_case(membership, ctx.today, ctx.now())
        .localize(ctx.lang)
}

/// One case in the list.
#[derive(Serialize)]
pub struct ListItem {
    pub id: i64,
    pub membership_id: Option<i64>,
    pub membership: String,
    pub state: &'static str,
    #[serde(skip)]
    pub state_label: &'static str,
    pub opened_on: Date,
    pub steps_done: usize,
}

/// Every case, newest last (`tuiding case list`).
pub fn list_items(ctx: &Ctx<impl Backend>) -> anyhow::Result<Vec<ListItem>> {
    let store = ctx.open_store()?;
    let store = &store;
    let cases = store.cases().localize(ctx.lang)?;
    let mut items = Vec::with_capacity(cases.len());
    for c in &cases {
        let state = current_state(ctx, store, c)?;
        items.push(ListItem {
            id: c.id,
            membership_id: c.membership_id,
            membership: c.membership_label.clone(),
            state: state.as_str(),
            state_label: state.label(ctx.lang),
            opened_on: c.opened_on,
            steps_done: c.steps_done.len(),
        });
    }
    Ok(items)
}

/// Records that a case's refund became overdue when it did (the state a read shows, written
/// down): a requested or promised refund past its due day moves the case to overdue with a
/// language-neutral note. Returns whether it wrote. Used by [`crate::due::tick`], and by
/// the operations that move a case, so that the history keeps the overdue step even when no
/// tick ran since the due day.
pub(crate) fn record_overdue(
    ctx: &Ctx<impl Backend>,
    store: &mut impl Store,
    case: &tuiding_store::StoredCase,
) -> anyhow::Result<bool> {
    let Some(due) = overdue_since(ctx, store, case)? else {
        return Ok(false);
    };
    let change = CaseChange {
        to: Some(CaseState::Overdue),
        note: Some(overdue_note(due)),
        ..CaseChange::default()
    };
    store
        .change_case(case.id, case.revision, &change, ctx.now())
        .localize(ctx.lang)?;
    Ok(true)
}

/// A case's state today ([`view::effective_state`]), reading its membership's policy only
/// when a refund is being waited for.
pub fn current_state(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    case: &tuiding_store::StoredCase,
) -> anyhow::Result<CaseState> {
    Ok(match overdue_since(ctx, store, case)? {
        Some(_) => CaseState::Overdue,
        None => case.state,
    })
}

/// The day a case's requested or promised refund was due, when that day has passed
/// without it; `None` for a case that waits for no refund or is still within time.
fn overdue_since(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    case: &tuiding_store::StoredCase,
) -> anyhow::Result<Option<jiff::civil::Date>> {
    if !matches!(
        case.state,
        CaseState::RefundRequested | CaseState::RefundPromised
    ) {
        return Ok(None);
    }
    let policy = match case.membership_id {
        Some(mid) => store
            .policy(mid)
            .localize(ctx.lang)?
            .and_then(|p| tuiding_core::policy::Policy::from_toml(&p.text).ok()),
        None => None,
    };
    let expected = view::expected_refund_date_of(ctx, case, policy.as_ref());
    Ok(
        (view::effective_state(ctx, case, expected) == CaseState::Overdue)
            .then(|| case.refund.due(expected).unwrap_or(ctx.today)),
    )
}

/// The state a done step moves the case to, if forward from where it is.
fn state_after_step(data: &CaseData, step: &str) -> Option<CaseState> {
    let channel_steps: Vec<&str> = data
        .steps
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| tuiding_core::playbook::channel_of_step(id).is_some())
        .collect();
    let all_closed_with = |extra: &str| {
        channel_steps
            .iter()
            .all(|id| *id == extra || step_done(data, id))
    };
    let target = match step {
        "check_rules" => CaseState::RulesChecked,
        "contact_support" => CaseState::ChannelsClosed,
        "request_refund" => CaseState::RefundRequested,
        s if tuiding_core::playbook::channel_of_step(s).is_some() => {
            if all_closed_with(s) {
                CaseState::ChannelsClosed
            } else if s == "cancel:in_app" {
                CaseState::CancelledInApp
            } else {
                return None;
            }
        }
        _ => return None,
    };
    (target > data.case.state && data.case.state.check(target).is_ok()).then_some(target)
}

/// Marks a step of a case done (moving the case forward, closing the step's channel).
/// Takes back a step marked done; refused when it is not marked.
pub fn undo_step(ctx: &Ctx<impl Backend>, id: i64, step: &str) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let data = load(ctx, &store, id)?;
    if !data.case.steps_done.iter().any(|s| s.step_id == step) {
        return Err(UserError::usage(
            "STEP",
            match ctx.lang {
                Lang::Zh => format!("案件 #{id} 的步骤 {step:?} 没有标记为完成，无需撤回"),
                Lang::En => {
                    format!("step {step:?} of case #{id} is not marked done; nothing to undo")
                }
            },
        ));
    }
    store
        .undo_step(id, data.case.revision, step)
        .localize(ctx.lang)
}

pub fn mark_step(
    ctx: &Ctx<impl Backend>,
    id: i64,
    step: &str,
    note: Option<String>,
) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let data = load(ctx, &store, id)?;
    if !data.steps.iter().any(|s| s.id == step) {
        let ids: Vec<&str> = data.steps.iter().map(|s| s.id.as_str()).collect();
        return Err(UserError::usage(
            "STEP",
            match ctx.lang {
                Lang::Zh => format!("案件 #{id} 没有步骤 {step:?}；可用：{}", ids.join("、")),
                Lang::En => format!(
                    "case #{id} has no step {step:?}; its steps are {}",
                    ids.join(", ")
                ),
            },
        ));
    }
    let close_channel = tuiding_core::playbook::channel_of_step(step);
    let mut refund = None;
    if step == "request_refund" && data.case.refund.requested_on.is_none() {
        refund = Some(RefundTrack {
            requested_on: Some(ctx.today),
            ..data.case.refund
        });
    }
    let change = CaseChange {
        to: state_after_step(&data, step),
        step: Some(step.to_string()),
        note,
        refund,
        close_channel: close_channel.map(|c| (c, ctx.today)),
        end_service: None,
    };
    store
        .change_case(id, data.case.revision, &change, ctx.now())
        .localize(ctx.lang)?;
    Ok(())
}

/// A case opened after its membership's channels were closed elsewhere (the membership's
/// form, `edit --close`) still says "opened" though nothing can charge any more: its
/// refund would be refused as too early. When every channel step is done, the case first
/// moves to "channels closed" (a legal move from where it stands), as marking the last
/// step would have moved it. Returns the case as it now is.
fn catch_up_with_channels(
    ctx: &Ctx<impl Backend>,
    store: &mut impl tuiding_store::Store,
    id: i64,
) -> anyhow::Result<tuiding_store::StoredCase> {
    let case = store.case(id).localize(ctx.lang)?;
    if case.state >= CaseState::ChannelsClosed
        || case.state.check(CaseState::ChannelsClosed).is_err()
    {
        return Ok(case);
    }
    let data = load(ctx, store, id)?;
    let mut channel_steps = data
        .steps
        .iter()
        .filter(|s| tuiding_core::playbook::channel_of_step(&s.id).is_some())
        .peekable();
    let all_closed =
        channel_steps.peek().is_some() && channel_steps.all(|s| step_done(&data, &s.id));
    if !all_closed {
        return Ok(case);
    }
    let change = CaseChange {
        to: Some(CaseState::ChannelsClosed),
        ..CaseChange::default()
    };
    store
        .change_case(id, case.revision, &change, ctx.now())
        .localize(ctx.lang)?;
    store.case(id).localize(ctx.lang)
}

/// What `case refund` records: a request, a promise (amount and date) or a payment.
#[derive(Debug, Default, Clone)]
pub struct RefundFacts {
    pub requested: bool,
    pub promised: Option<String>,
    pub by: Option<String>,
    pub received: Option<String>,
    /// The day of the request or the payment [default: today].
    pub on: Option<String>,
}

/// Records a refund's request, promise or payment on case `id`, moving the case where that
/// is a legal move (`case refund`).
pub fn record_refund(ctx: &Ctx<impl Backend>, id: i64, facts: &RefundFacts) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let stored = store.case(id).localize(ctx.lang)?;
    record_overdue(ctx, &mut store, &stored)?;
    let RefundFacts {
        requested,
        promised,
        by,
        received,
        on,
    } = facts;
    let (requested, promised, by, received, on) = (
        *requested,
        promised.as_deref(),
        by.as_deref(),
        received.as_deref(),
        on.as_deref(),
    );
    // Everything given is checked before anything is changed.
    let currency = tuiding_core::Currency::from_code(&stored.currency).localize(ctx.lang)?;
    let on = on
        .map(|d| input::parse_date("--on", d, ctx.lang))
        .transpose()?
        .unwrap_or(ctx.today);
    enum Fact {
        Requested,
        Promised(i64, Date),
        Received(i64),
    }
    let fact = if requested {
        Fact::Requested
    } else if let Some(amount) = promised {
        Fact::Promised(
            input::parse_price("--promised", amount, None, currency, ctx.lang)?.minor_units(),
            input::parse_date("--by", by.unwrap_or_default(), ctx.lang)?,
        )
    } else if let Some(amount) = received {
        Fact::Received(
            input::parse_price("--received", amount, None, currency, ctx.lang)?.minor_units(),
        )
    } else {
        return Err(UserError::usage(
            "",
            ctx.t(
                "请给出 --requested、--promised 金额 --by 日期，或 --received 金额 --on 日期",
                "give --requested, --promised AMOUNT --by DATE, or --received AMOUNT --on DATE",
            ),
        ));
    };
    let case = catch_up_with_channels(ctx, &mut store, id)?;
    let mut track = case.refund;
    let to = match fact {
        Fact::Requested => {
            track.requested_on = Some(on);
            CaseState::RefundRequested
        }
        Fact::Promised(minor, by) => {
            track.promised_minor = Some(minor);
            track.promised_by = Some(by);
            // A promise implies a request: made on the day the membership was cancelled.
            let asked = message::cancel_day_of(&case, ctx.today);
            track.requested_on.get_or_insert(asked);
            CaseState::RefundPromised
        }
        Fact::Received(minor) => {
            track.received_minor = Some(minor);
            track.received_on = Some(on);
            CaseState::RefundReceived
        }
    };
    // A promise or a payment implies a request: with every channel closed, the case passes
    // through "refund requested" first so the timeline shows both moves.
    let mut revision = case.revision;
    if case.state.check(to).is_err()
        && case.state.check(CaseState::RefundRequested).is_ok()
        && CaseState::RefundRequested.check(to).is_ok()
    {
        // The implied request was made when the membership was cancelled, not on the day the
        // money arrived (that would move the cancel day and shrink the claim).
        let asked = message::cancel_day_of(&case, on);
        track.requested_on.get_or_insert(asked);
        let change = CaseChange {
            to: Some(CaseState::RefundRequested),
            refund: Some(track),
            ..CaseChange::default()
        };
        store
            .change_case(id, revision, &change, ctx.now())
            .localize(ctx.lang)?;
        let moved = store.case(id).localize(ctx.lang)?;
        revision = moved.revision;
        let change = CaseChange {
            to: Some(to),
            refund: Some(track),
            end_service: service_end(ctx, &store, &moved, to, track.received_minor)?,
            ..CaseChange::default()
        };
        store
            .change_case(id, revision, &change, ctx.now())
            .localize(ctx.lang)?;
        return Ok(());
    }
    // Before every channel is closed there is no refund to track, and a finished case takes
    // no more: both are refused. Later (after an escalation, say) the amounts are recorded
    // and the state moves only where that is a legal move.
    let too_early = case.state < CaseState::ChannelsClosed;
    let finished = matches!(case.state, CaseState::Resolved | CaseState::Closed);
    if case.state != to && (too_early || finished) {
        return Err(tuiding_store::StoreError::IllegalTransition(
            tuiding_core::case::CaseError::Illegal {
                from: case.state,
                to,
            },
        ))
        .localize(ctx.lang);
    }
    let to = (case.state != to && case.state.check(to).is_ok()).then_some(to);
    let end_service = match to {
        Some(to) => service_end(ctx, &store, &case, to, track.received_minor)?,
        None => None,
    };
    let change = CaseChange {
        to,
        refund: Some(track),
        end_service,
        ..CaseChange::default()
    };
    store
        .change_case(id, revision, &change, ctx.now())
        .localize(ctx.lang)?;
    Ok(())
}

/// The last day of service when a move settles the case (refund received, resolved or
/// closed after every channel was closed): the cancel day when money came back (the refund
/// paid for the rest), else the end of the period the user kept. `None` for other moves
/// and for cases given up before the channels were closed.
fn service_end(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    case: &tuiding_store::StoredCase,
    to: CaseState,
    received_now: Option<i64>,
) -> anyhow::Result<Option<Date>> {
    let settles = matches!(
        to,
        CaseState::RefundReceived | CaseState::Resolved | CaseState::Closed
    );
    let Some(mid) = case.membership_id.filter(|_| settles) else {
        return Ok(None);
    };
    if case.state < CaseState::ChannelsClosed {
        return Ok(None);
    }
    let Ok(stored) = store.membership(mid) else {
        return Ok(None);
    };
    let m = stored.membership;
    // A buy-out or gift has no renewal to stop; its term stays as recorded (shortening it
    // would turn the claim computed on it into 0).
    if !matches!(m.billing, tuiding_core::Billing::Periodic(_)) {
        return Ok(None);
    }
    let cancel = message::cancel_day_of(case, ctx.today);
    // Money back (not a refusal recorded as 0): the refund paid for the rest of the period.
    let refunded = received_now
        .or(case.refund.received_minor)
        .is_some_and(|v| v > 0);
    if refunded {
        return Ok(Some(cancel));
    }
    let period_last = m
        .current_period(cancel)
        .ok()
        .flatten()
        .and_then(|s| s.end.yesterday().ok());
    Ok(Some(period_last.unwrap_or(cancel)))
}

/// Moves a case to `to` (escalate, resolve, close); an illegal move is refused with the
/// moves that are allowed.
pub fn move_case(
    ctx: &Ctx<impl Backend>,
    id: i64,
    to: CaseState,
    note: Option<String>,
) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let case = store.case(id).localize(ctx.lang)?;
    // What a reader saw as overdue is written down first, so the history keeps it.
    let case = if record_overdue(ctx, &mut store, &case)? {
        store.case(id).localize(ctx.lang)?
    } else {
        case
    };
    let change = CaseChange {
        to: Some(to),
        note,
        end_service: service_end(ctx, &store, &case, to, None)?,
        ..CaseChange::default()
    };
    store
        .change_case(id, case.revision, &change, ctx.now())
        .localize(ctx.lang)?;
    Ok(())
}
