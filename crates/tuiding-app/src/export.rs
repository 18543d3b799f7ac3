//! `tuiding export --format json|csv`: the whole ledger in open formats, so nothing is
//! locked in. JSON holds memberships (as `list --json`), their policies (the TOML text
//! verbatim) and cases (as `case show --json`); CSV one row per membership for
//! spreadsheets.

use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::Lang;
use tuiding_store::prelude::*;

use crate::case::{CaseSources, CaseView, view as case_view};
use crate::context::{Backend, Ctx};
use crate::error::Localize;
use crate::memberships::{self, MembershipView};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Everything: memberships, policies, cases.
    Json,
    /// One row per membership.
    Csv,
    /// Calendar (RFC 5545): renewals, last safe cancel days, refund due dates.
    Ics,
}

/// An export: its bytes, and how many memberships it holds.
pub struct Export {
    pub bytes: Vec<u8>,
    pub memberships: usize,
}

#[derive(Serialize)]
struct Ledger {
    format: &'static str,
    version: u32,
    today: Date,
    memberships: Vec<MembershipView>,
    policies: Vec<PolicyText>,
    cases: Vec<CaseView>,
    household_members: Vec<String>,
    splits: Vec<SplitText>,
    reminder_lead_days: Vec<LeadDays>,
}

#[derive(Serialize)]
struct SplitText {
    membership_id: i64,
    /// Member and rule: `{"shares": 1}` or `{"fixed": minor units}`.
    parts: Vec<(String, tuiding_core::split::SplitRule)>,
}

#[derive(Serialize)]
struct LeadDays {
    membership_id: i64,
    days: Vec<u32>,
}

#[derive(Serialize)]
struct PolicyText {
    membership_id: i64,
    toml: String,
}

/// Without it, Excel on Chinese Windows opens a UTF-8 CSV as GBK and shows mojibake.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

const CSV_HEADER: [&str; 18] = [
    "id",
    "platform",
    "plan",
    "billing",
    "period",
    "price",
    "currency",
    "start",
    "paid_through",
    "trial_until",
    "status",
    "next_renewal",
    "ends_on",
    "auto_renew",
    "monthly_cost",
    "yearly_cost",
    "category",
    "notes",
];

/// The whole ledger in an open format (`tuiding export`): JSON (everything), CSV (one
/// row per membership; `bom` first so spreadsheets read UTF-8) or a calendar.
pub fn export(ctx: &Ctx<impl Backend>, format: Format, bom: bool) -> anyhow::Result<Export> {
    let store = ctx.open_store()?;
    let stored = ctx.memberships(&store)?;
    let history = store.price_changes().localize(ctx.lang)?;
    let memberships: Vec<_> = memberships::views(&stored, ctx.today, ctx.lang)?
        .into_iter()
        .map(|v| v.with_price_history(&history))
        .collect();
    let bytes = match format {
        Format::Json => {
            let mut policies = Vec::new();
            for s in &stored {
                if let Some(p) = store.policy(s.id).localize(ctx.lang)? {
                    policies.push(PolicyText {
                        membership_id: s.id,
                        toml: p.text,
                    });
                }
            }
            let sources = CaseSources::load(ctx, &store)?;
            let mut cases = Vec::new();
            for c in store.cases().localize(ctx.lang)? {
                cases.push(case_view(ctx, &sources.case(ctx, &store, c.id)?));
            }
            let household_members = store.members().localize(ctx.lang)?;
            let splits = store
                .splits()
                .localize(ctx.lang)?
                .into_iter()
                .map(|(membership_id, parts)| SplitText {
                    membership_id,
                    parts,
                })
                .collect();
            let reminder_lead_days = store
                .reminder_days()
                .localize(ctx.lang)?
                .into_iter()
                .map(|(membership_id, days)| LeadDays {
                    membership_id,
                    days,
                })
                .collect();
            let ledger = Ledger {
                format: "tuiding-ledger",
                version: 1,
                today: ctx.today,
                memberships,
                policies,
                cases,
                household_members,
                splits,
                reminder_lead_days,
            };
            let mut text = serde_json::to_string_pretty(&ledger)?;
            text.push('\n');
            text.into_bytes()
        }
        Format::Csv => {
            let mut bytes = if !bom { Vec::new() } else { UTF8_BOM.to_vec() };
            bytes.extend(csv_bytes(&memberships)?);
            bytes
        }
        Format::Ics => calendar_text(ctx, &store, &stored)?.into_bytes(),
    };
    Ok(Export {
        bytes,
        memberships: stored.len(),
    })
}

/// A free-text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return first: a name from a Wallos export or a bill's merchant) gets a
/// leading `'`, which spreadsheets show as text (OWASP's CSV-injection advice).
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_bytes(memberships: &[MembershipView]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    for m in memberships {
        let channels: Vec<String> = m
            .auto_renew
            .iter()
            .map(|c| match c.closed_on {
                Some(on) => format!("{}:{}:{on}", c.channel, c.status),
                None => format!("{}:{}", c.channel, c.status),
            })
            .collect();
        w.write_record([
            m.id.to_string(),
            text_cell(&m.platform),
            text_cell(&m.plan),
            m.billing.to_string(),
            m.period.clone().unwrap_or_default(),
            m.price.clone(),
            m.currency.to_string(),
            m.start.to_string(),
            date(m.paid_through),
            date(m.trial_until),
            m.status.to_string(),
            date(m.next_renewal),
            date(m.ends_on),
            channels.join(";"),
            m.monthly_cost.clone().unwrap_or_default(),
            m.yearly_cost.clone().unwrap_or_default(),
            text_cell(m.category.as_deref().unwrap_or_default()),
            text_cell(m.notes.as_deref().unwrap_or_default()),
        ])?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!(e.to_string()))
}

/// The calendar (RFC 5545) of `export --format ics` and the web app's `/calendar.ics`.
pub fn calendar(ctx: &Ctx<impl Backend>) -> anyhow::Result<String> {
    let store = ctx.open_store()?;
    let stored = ctx.memberships(&store)?;
    calendar_text(ctx, &store, &stored)
}

fn calendar_text(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    stored: &[tuiding_store::StoredMembership],
) -> anyhow::Result<String> {
    let events = calendar_events(ctx, store, stored)?;
    Ok(tuiding_core::ical::calendar(
        ctx.t("退订 · 会员关键日期", "tuiding · membership dates"),
        ctx.today,
        &events,
    ))
}

/// Renewals and last safe cancel days for a year ahead, and the due day of every refund
/// still awaited. UIDs name the fact and its day, so re-exporting updates events.
fn calendar_events(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    stored: &[tuiding_store::StoredMembership],
) -> anyhow::Result<Vec<tuiding_core::ical::Event>> {
    use tuiding_core::checkup;
    use tuiding_core::ical::Event;
    let lang = ctx.lang;
    let lead = crate::reminders::LeadDays::load(ctx, store)?;
    let horizon = ctx
        .today
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(ctx.today);
    let compact = |d: Date| d.to_string().replace('-', "");
    let mut events = Vec::new();
    for s in stored {
        let m = &s.membership;
        let policy = store
            .policy(s.id)
            .localize(lang)?
            .and_then(|p| tuiding_core::policy::Policy::from_toml(&p.text).ok());
        // Only the cut-off is needed, not the whole rule check (100,000 memberships).
        let cutoff_hours = checkup::effective_cutoff_hours(m, policy.as_ref());
        let lead_days = lead.of(ctx, s.id)?.0;
        let mut day = ctx.today;
        while let Ok(Some(renewal)) = m.next_renewal(day) {
            if renewal > horizon {
                break;
            }
            let converts = m.trial_until == Some(renewal);
            let what = match (converts, lang) {
                (true, Lang::Zh) => "试用转正扣费",
                (true, Lang::En) => "trial converts",
                (false, Lang::Zh) => "续费",
                (false, Lang::En) => "renews",
            };
            let title = format!("{} {} {what} {}", m.platform, m.plan, m.price).replace("  ", " ");
            events.push(Event {
                uid: format!("renewal-{}-{}@tuiding", s.id, compact(renewal)),
                date: renewal,
                summary: title.clone(),
                description: format!("tuiding check {}", s.id),
                // The charge itself: the morning before, in case the last safe day passed.
                alarms_days_before: vec![1],
            });
            if let Ok(last) = checkup::last_safe_day(renewal, cutoff_hours)
                && last >= ctx.today
            {
                events.push(Event {
                    uid: format!("last-safe-{}-{}@tuiding", s.id, compact(renewal)),
                    date: last,
                    summary: match lang {
                        Lang::Zh => format!(
                            "最后安全退订日：{} {}（{renewal} {what}）",
                            m.platform, m.plan
                        ),
                        Lang::En => format!(
                            "Last safe cancel day {} {} ({what} {renewal})",
                            m.platform, m.plan
                        ),
                    },
                    description: match lang {
                        Lang::Zh => format!(
                            "不想续就在今天前关闭所有自动续费渠道：tuiding check {}",
                            s.id
                        ),
                        Lang::En => format!(
                            "Close every auto-renew channel by today to avoid it: tuiding check {}",
                            s.id
                        ),
                    },
                    // The reminder lead days (`tuiding reminders`), as `tuiding remind` sends.
                    alarms_days_before: lead_days.clone(),
                });
            }
            day = renewal;
        }
    }
    let sources = CaseSources::load(ctx, store)?;
    for c in store.cases().localize(lang)? {
        if c.refund.received_on.is_some()
            || matches!(
                c.state,
                tuiding_core::case::CaseState::Resolved | tuiding_core::case::CaseState::Closed
            )
        {
            continue;
        }
        let data = sources.case(ctx, store, c.id)?;
        if let Some(due) = c.refund.due(crate::case::expected_refund_date(ctx, &data)) {
            events.push(Event {
                uid: format!("refund-due-case-{}@tuiding", c.id),
                date: due,
                summary: match lang {
                    Lang::Zh => format!("退款应到账：{}（案件 #{}）", c.membership_label, c.id),
                    Lang::En => format!("Refund due: {} (case #{})", c.membership_label, c.id),
                },
                description: format!("tuiding case show {}", c.id),
                alarms_days_before: vec![0],
            });
        }
    }
    events.sort_unstable_by(|a, b| a.date.cmp(&b.date).then_with(|| a.uid.cmp(&b.uid)));
    Ok(events)
}
