//! `tuiding due`: what needs action today — overdue refunds (the case is marked overdue by
//! [`tick`], which `due` runs first; a read alone never writes),
//! last safe cancel days within each membership's reminder lead (7 days by default), the next step of every open case, and charges that
//! arrived after a cancellation.

use crate::case::{CaseSources, expected_refund_date, step_done};
use crate::context::{Backend, Ctx};
use crate::error::Localize;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::case::CaseState;
use tuiding_core::checkup;
use tuiding_core::policy::Policy;
use tuiding_core::{Lang, Membership};
use tuiding_store::prelude::*;

/// One thing to do.
#[derive(Debug, Serialize)]
pub struct DueItem {
    /// `refund_overdue`, `last_safe_cancel_day`, `step_waiting`, `charged_after_cancellation`
    /// or `duplicate_charge`.
    pub kind: &'static str,
    /// The day it is about.
    pub date: Date,
    pub membership_id: Option<i64>,
    pub case_id: Option<i64>,
    /// What to do, in the user's language, with the command that does it.
    pub text: String,
    /// The same without the command, for front ends that link to the page instead.
    #[serde(skip)]
    pub plain: String,
}

/// Everything that needs action (`tuiding due`): overdue refunds, last safe cancel days within `within` days (default: each membership's
/// longest reminder lead), the next step of every open case, charges after cancellation.
pub fn items(ctx: &Ctx<impl Backend>, within: Option<u32>) -> anyhow::Result<Vec<DueItem>> {
    let store = ctx.open_store()?;
    // Bills, journal and playbooks are read once for every case below.
    let sources = CaseSources::load(ctx, &store)?;
    let mut items = refunds_and_steps(ctx, &store, &sources)?;
    items.extend(cancel_days(ctx, &store, within)?);
    let cases = store.cases().localize(ctx.lang)?;
    for (membership_id, f) in sources.late_charges() {
        let membership_id = *membership_id;
        // The charge belongs to the open case of its membership, if there is one.
        let case_id = cases
            .iter()
            .find(|c| c.membership_id == Some(membership_id) && c.state != CaseState::Closed)
            .map(|c| c.id);
        items.push(DueItem {
                kind: "charged_after_cancellation",
                date: f.date,
                membership_id: Some(membership_id),
                case_id,
                text: match ctx.lang {
                    Lang::Zh => format!("{} 经{}扣款 {}，该渠道已于 {} 关闭：开案件并要求退还", f.date, f.channel.label(Lang::Zh), f.amount, f.closed_on),
                    Lang::En => format!("{} charged through {} on {} after it was closed on {}: open a case and claim it back", f.amount, f.channel.label(Lang::En), f.date, f.closed_on),
                },
                plain: String::new(),
            });
    }
    for (membership_id, d) in sources.duplicates() {
        let case_id = membership_id.and_then(|mid| {
            cases
                .iter()
                .find(|c| c.membership_id == Some(mid) && c.state != CaseState::Closed)
                .map(|c| c.id)
        });
        items.push(DueItem {
            kind: "duplicate_charge",
            date: d.date,
            membership_id: *membership_id,
            case_id,
            text: match ctx.lang {
                Lang::Zh => format!(
                    "{} {} 同一周期扣了两次 {}（订单号 {}）：要求退回",
                    d.date, d.merchant, d.display, d.order
                ),
                Lang::En => format!(
                    "{} charged {} twice in one period on {} (order {}): ask for it back",
                    d.merchant, d.display, d.date, d.order
                ),
            },
            plain: String::new(),
        });
    }
    for item in &mut items {
        // These name no command: the text is already plain.
        if item.plain.is_empty() {
            item.plain = item.text.clone();
        }
    }
    items.sort_by_key(|i| (i.date, i.kind));
    Ok(items)
}

/// Records what time has changed: every case whose requested or promised refund is past
/// its due day moves to overdue, with a language-neutral note ([`crate::case::overdue_note`]). Run by
/// `tuiding due`, `tuiding remind` and the server's timer, never by a read. A case changed
/// meanwhile by someone else is left for the next tick. Returns the cases moved.
pub fn tick(ctx: &Ctx<impl Backend>) -> anyhow::Result<Vec<i64>> {
    let mut store = ctx.open_store()?;
    let mut moved = Vec::new();
    for case in store.cases().localize(ctx.lang)? {
        match crate::case::record_overdue(ctx, &mut store, &case) {
            Ok(true) => moved.push(case.id),
            Ok(false) => {}
            Err(e)
                if e.downcast_ref::<crate::error::UserError>()
                    .is_some_and(|u| *u.kind() == crate::error::ErrorKind::Conflict) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(moved)
}

/// The label of an item's kind.
pub fn kind_label(kind: &str, lang: Lang) -> &str {
    match (kind, lang) {
        ("refund_overdue", Lang::Zh) => "退款逾期",
        ("last_safe_cancel_day", Lang::Zh) => "最后安全退订日",
        ("step_waiting", Lang::Zh) => "待办步骤",
        ("charged_after_cancellation", Lang::Zh) => "取消后仍扣款",
        ("duplicate_charge", Lang::Zh) => "重复扣费",
        ("duplicate_charge", Lang::En) => "charged twice",
        ("refund_overdue", Lang::En) => "refund overdue",
        ("last_safe_cancel_day", Lang::En) => "last safe cancel day",
        ("step_waiting", Lang::En) => "step waiting",
        ("charged_after_cancellation", Lang::En) => "charged after cancellation",
        (k, _) => k,
    }
}

/// Overdue refunds and the next step of every open case.
fn refunds_and_steps(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    sources: &CaseSources,
) -> anyhow::Result<Vec<DueItem>> {
    let mut items = Vec::new();
    for case in store.cases().localize(ctx.lang)? {
        if matches!(case.state, CaseState::Resolved | CaseState::Closed) {
            continue;
        }
        let data = sources.case(ctx, store, case.id)?;
        let expected = expected_refund_date(ctx, &data);
        if case.refund.overdue(ctx.today, expected) {
            let due = case.refund.due(expected).unwrap_or(ctx.today);
            items.push(DueItem {
                kind: "refund_overdue",
                date: due,
                membership_id: case.membership_id,
                case_id: Some(case.id),
                text: match ctx.lang {
                    Lang::Zh => format!("{} 的退款应于 {due} 前到账，尚未收到：tuiding case escalate {} 并导出投诉材料", case.membership_label, case.id),
                    Lang::En => format!("The refund from {} was due by {due} and has not arrived: tuiding case escalate {} and export the dossier", case.membership_label, case.id),
                },
                plain: match ctx.lang {
                    Lang::Zh => format!("{} 的退款应于 {due} 前到账，尚未收到：升级投诉并导出投诉材料", case.membership_label),
                    Lang::En => format!("The refund from {} was due by {due} and has not arrived: escalate and export the dossier", case.membership_label),
                },
            });
            continue;
        }
        if case.state >= CaseState::RefundRequested {
            continue;
        }
        if let Some(step) = data.steps.iter().find(|s| !step_done(&data, &s.id)) {
            items.push(DueItem {
                kind: "step_waiting",
                date: ctx.today,
                membership_id: case.membership_id,
                case_id: Some(case.id),
                text: match ctx.lang {
                    Lang::Zh => format!(
                        "{}：下一步“{}”，完成后 tuiding case step {} {}",
                        case.membership_label,
                        step.title.text(Lang::Zh),
                        case.id,
                        step.id
                    ),
                    Lang::En => format!(
                        "{}: next, \"{}\"; then tuiding case step {} {}",
                        case.membership_label,
                        step.title.text(Lang::En),
                        case.id,
                        step.id
                    ),
                },
                plain: match ctx.lang {
                    Lang::Zh => format!(
                        "{}：下一步“{}”",
                        case.membership_label,
                        step.title.text(Lang::Zh)
                    ),
                    Lang::En => format!(
                        "{}: next, \"{}\"",
                        case.membership_label,
                        step.title.text(Lang::En)
                    ),
                },
            });
        }
    }
    Ok(items)
}

/// A membership's next last safe cancel day, with what it guards.
pub struct KeyDay {
    pub membership_id: i64,
    pub platform: String,
    pub plan: String,
    pub price: tuiding_core::Money,
    /// The renewal (or a trial's conversion) the day guards.
    pub renewal: Date,
    pub trial_converts: bool,
    pub last_safe: Date,
    /// The membership's reminder lead days (its own, else the config's).
    pub lead_days: Vec<u32>,
    /// What the rule check advises (`cancel_now`, `use_benefits_then_cancel`, …).
    pub advice: tuiding_core::checkup::AdviceAction,
}

/// Memberships whose last safe cancel day falls within `within` days (default: their
/// longest reminder lead), soonest first.
pub fn key_days(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    within: Option<u32>,
) -> anyhow::Result<Vec<KeyDay>> {
    let calendar = ctx.calendar()?;
    let lead = crate::reminders::LeadDays::load(ctx, store)?;
    let mut out = Vec::new();
    for stored in ctx.memberships(store)? {
        let lead_days = lead.of(ctx, stored.id)?.0;
        let within = within.unwrap_or_else(|| lead_days.iter().copied().max().unwrap_or(7));
        let horizon = ctx
            .today
            .checked_add(jiff::Span::new().days(i64::from(within)))
            .unwrap_or(ctx.today);
        let m: &Membership = &stored.membership;
        if !m.renews() {
            continue;
        }
        let policy = store
            .policy(stored.id)
            .localize(ctx.lang)?
            .and_then(|p| Policy::from_toml(&p.text).ok());
        let Ok(c) = checkup::check(m, policy.as_ref(), ctx.today, &calendar) else {
            continue;
        };
        let (Some(last), Some(renewal)) = (c.last_safe_cancel_day, c.next_renewal) else {
            continue;
        };
        if last < ctx.today || last > horizon {
            continue;
        }
        out.push(KeyDay {
            membership_id: stored.id,
            platform: m.platform.clone(),
            plan: m.plan.clone(),
            price: m.price,
            renewal,
            trial_converts: m.trial_until == Some(renewal),
            last_safe: last,
            lead_days,
            advice: c.advice.action,
        });
    }
    out.sort_by_key(|k| (k.last_safe, k.membership_id));
    Ok(out)
}

/// Memberships whose last safe cancel day falls within `within` days, as due items.
fn cancel_days(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    within: Option<u32>,
) -> anyhow::Result<Vec<DueItem>> {
    Ok(key_days(ctx, store, within)?
        .into_iter()
        .map(|k| {
            let (last, renewal) = (k.last_safe, k.renewal);
            DueItem {
                kind: "last_safe_cancel_day",
                date: last,
                membership_id: Some(k.membership_id),
                case_id: None,
                text: match ctx.lang {
                    Lang::Zh => format!("{} {}：{renewal} 续费 {}，不想续就在 {last} 前取消（tuiding check {}）", k.platform, k.plan, k.price, k.membership_id),
                    Lang::En => format!("{} {}: renews on {renewal} for {}; cancel by {last} to avoid it (tuiding check {})", k.platform, k.plan, k.price, k.membership_id),
                },
                plain: match ctx.lang {
                    Lang::Zh => format!("{} {}：{renewal} 续费 {}，不想续就在 {last} 前取消", k.platform, k.plan, k.price),
                    Lang::En => format!("{} {}: renews on {renewal} for {}; cancel by {last} to avoid it", k.platform, k.plan, k.price),
                },
            }
        })
        .collect())
}
