//! What `case show` knows and prints as JSON: a case loaded with its membership, policy,
//! steps and evidence, and the view built from it (steps done, completeness, refund due).

use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::case::CaseState;
use tuiding_core::complaint::LateChargeFact;
use tuiding_core::playbook::{EvidenceKind, Playbooks, Step};
use tuiding_core::policy::Policy;
use tuiding_core::{Lang, Money};
use tuiding_store::StoredCase;
use tuiding_store::prelude::*;
use tuiding_vault::{Entry, Vault};

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};

/// Everything `case show` knows about a case.
pub struct CaseData {
    pub case: StoredCase,
    pub membership: Option<tuiding_core::Membership>,
    pub policy: Option<Policy>,
    pub steps: Vec<Step>,
    pub evidence: Vec<Entry>,
    /// Charges in imported bills after a channel of this membership was closed.
    pub late_charges: Vec<LateChargeFact>,
    /// The membership's recorded price changes (what was paid for the period).
    pub price_changes: Vec<tuiding_core::price::PriceChange>,
    /// Extra charges (twice in one period) in the bills of this membership's stream.
    pub duplicate_charges: Vec<crate::bills::scan::DuplicateView>,
    /// Screenshots whose text confirms a step (解约成功 on the channel's page): journal
    /// seq and step id. They prove the step as evidence attached to it does.
    pub proofs: Vec<(u64, String)>,
}

/// The JSON of `case show`.
#[derive(Serialize)]
pub struct CaseView {
    pub id: i64,
    pub membership_id: Option<i64>,
    pub membership: String,
    /// The state as of today (overdue once a waited-for refund is past due).
    pub state: &'static str,
    /// The state in the reader's language.
    #[serde(skip)]
    pub state_label: &'static str,
    pub opened_on: Date,
    pub steps: Vec<StepView>,
    pub refund: RefundView,
    pub completeness: Completeness,
    pub evidence: Vec<Entry>,
    pub transitions: Vec<TransitionView>,
    /// Charges after cancellation found in imported bills: evidence for the claim.
    pub late_charges: Vec<LateChargeView>,
    /// The refund the case claims: amount, basis, clause, deadline (`null` when the terms
    /// do not allow computing it).
    pub refund_claim: Option<super::message::RefundClaim>,
    /// Extra charges (twice in one period) of this membership, to claim back.
    pub duplicate_charges: Vec<crate::bills::scan::DuplicateView>,
}

/// A charge after cancellation, as JSON.
#[derive(Serialize)]
pub struct LateChargeView {
    pub date: Date,
    pub amount: String,
    pub currency: &'static str,
    pub channel: &'static str,
    pub closed_on: Date,
    /// The fact itself, for wording (never serialised).
    #[serde(skip)]
    pub fact: LateChargeFact,
}

#[derive(Serialize)]
pub struct StepView {
    pub id: String,
    pub title: String,
    /// Marked done in this case, or (for a channel) its contract is already closed.
    pub done: bool,
    pub done_at: Option<String>,
    pub note: Option<String>,
    pub paths: Vec<String>,
    pub success: String,
    pub evidence_wanted: Vec<String>,
    pub evidence_count: usize,
    pub notes: Vec<String>,
    /// On the refund step: what to claim, on what basis, by when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_claim: Option<super::message::RefundClaim>,
}

#[derive(Serialize)]
pub struct RefundView {
    pub requested_on: Option<Date>,
    pub promised: Option<String>,
    pub promised_by: Option<Date>,
    pub received: Option<String>,
    pub received_on: Option<Date>,
    pub currency: String,
    /// The promised date, else the policy's window from the request.
    pub due: Option<Date>,
    pub overdue: bool,
}

#[derive(Serialize)]
pub struct Completeness {
    /// Groups of evidence with nothing in them.
    pub empty_groups: Vec<&'static str>,
    /// Done steps with no evidence attached.
    pub unproven_steps: Vec<String>,
    pub complete: bool,
}

#[derive(Serialize)]
pub struct TransitionView {
    pub from: &'static str,
    pub to: &'static str,
    pub at: String,
    pub note: Option<String>,
}

/// Loads a case with its membership, policy, steps and evidence.
pub fn load(ctx: &Ctx<impl Backend>, store: &impl Store, id: i64) -> anyhow::Result<CaseData> {
    CaseSources::load(ctx, store)?.case(ctx, store, id)
}

/// What every case draws from outside its own rows: the playbooks, the vault's journal and
/// the charges after cancellation found in the bills. Read once per command, however many
/// cases it loads.
pub struct CaseSources {
    playbooks: Playbooks,
    evidence: Vec<Entry>,
    late_charges: Vec<(i64, LateChargeFact)>,
    price_changes: Vec<(i64, tuiding_core::price::PriceChange)>,
    duplicates: Vec<(Option<i64>, crate::bills::scan::DuplicateView)>,
}

impl CaseSources {
    /// Reads the playbooks, the journal and the bills once.
    pub fn load(ctx: &Ctx<impl Backend>, store: &impl Store) -> anyhow::Result<CaseSources> {
        let vault = Vault::at(&ctx.data_dir()?.join("vault"));
        let (alerts, duplicates) = crate::bills::streams::bill_findings(ctx, store)?;
        Ok(CaseSources {
            playbooks: ctx.playbooks()?,
            evidence: vault.entries().localize_vault(ctx.lang)?,
            duplicates,
            late_charges: alerts
                .into_iter()
                .map(|a| (a.membership_id, a.fact))
                .collect(),
            price_changes: store.price_changes().localize(ctx.lang)?,
        })
    }

    /// Charges after cancellation in the bills, by membership id.
    pub fn late_charges(&self) -> &[(i64, LateChargeFact)] {
        &self.late_charges
    }

    /// Extra charges in the bills, with the membership of their stream when adopted.
    pub fn duplicates(&self) -> &[(Option<i64>, crate::bills::scan::DuplicateView)] {
        &self.duplicates
    }

    /// Loads a case with its membership, policy, steps and evidence.
    pub fn case(
        &self,
        ctx: &Ctx<impl Backend>,
        store: &impl Store,
        id: i64,
    ) -> anyhow::Result<CaseData> {
        let case = store.case(id).localize(ctx.lang)?;
        let membership = case
            .membership_id
            .and_then(|mid| store.membership(mid).ok())
            .map(|s| s.membership);
        let policy = match case.membership_id {
            Some(mid) => store
                .policy(mid)
                .ok()
                .flatten()
                .and_then(|p| Policy::from_toml(&p.text).ok()),
            None => None,
        };
        let mut steps = membership
            .as_ref()
            .map(|m| self.playbooks.steps_for(m, policy.as_ref()))
            .unwrap_or_default();
        if let Some(mid) = case.membership_id {
            for path in steps.iter_mut().flat_map(|s| s.paths.iter_mut()) {
                path.steps = path.steps.replace("<ID>", &mid.to_string());
            }
        }
        let evidence: Vec<Entry> = self
            .evidence
            .iter()
            .filter(|e| e.case_id == id)
            .cloned()
            .collect();
        let proofs = crate::evidence::reading::proofs(ctx, &evidence, &steps)?;
        let late_charges = self
            .late_charges
            .iter()
            .filter(|(mid, _)| case.membership_id == Some(*mid))
            .map(|(_, fact)| fact.clone())
            .collect();
        let price_changes = self
            .price_changes
            .iter()
            .filter(|(mid, _)| case.membership_id == Some(*mid))
            .map(|(_, change)| *change)
            .collect();
        let duplicate_charges = self
            .duplicates
            .iter()
            .filter(|(mid, _)| mid.is_some() && *mid == case.membership_id)
            .map(|(_, d)| d.clone())
            .collect();
        Ok(CaseData {
            case,
            membership,
            policy,
            steps,
            evidence,
            late_charges,
            price_changes,
            duplicate_charges,
            proofs,
        })
    }
}

/// Maps vault errors into worded errors.
pub trait LocalizeVault<T> {
    /// As [`Localize::localize`].
    fn localize_vault(self, lang: Lang) -> anyhow::Result<T>;
}

impl<T> LocalizeVault<T> for Result<T, tuiding_vault::VaultError> {
    fn localize_vault(self, lang: Lang) -> anyhow::Result<T> {
        self.map_err(|e| match (e, lang) {
            (tuiding_vault::VaultError::Truncated { recorded, found }, Lang::Zh) => {
                UserError::failure(format!(
                    "证据库：证据日志丢失了记录：账本记录了 {recorded} 条，日志只有 {found} 条；请运行 `tuiding vault verify`，并从备份恢复证据库"
                ))
            }
            (tuiding_vault::VaultError::Unrecorded { count }, Lang::Zh) => UserError::failure(format!(
                "证据库：证据日志里有 {count} 条账本从未登记的记录（添加证据时被中断，或被人手工加入）；先用 `tuiding vault verify` 查看，确认是自己添加的再运行 `tuiding vault verify --accept`"
            )),
            (e, _) => UserError::failure(format!("{}{e}", lang.pick("证据库：", "evidence vault: "))),
        })
    }
}

/// The day the refund is due: promised, else the policy's window from the request.
pub fn expected_refund_date(ctx: &Ctx<impl Backend>, data: &CaseData) -> Option<Date> {
    expected_refund_date_of(ctx, &data.case, data.policy.as_ref())
}

/// [`expected_refund_date`] from a case's own rows and its membership's policy.
pub fn expected_refund_date_of(
    ctx: &Ctx<impl Backend>,
    case: &StoredCase,
    policy: Option<&Policy>,
) -> Option<Date> {
    let requested = case.refund.requested_on?;
    let timing = &policy?.timing;
    if let Some(days) = &timing.refund_max_days {
        return requested
            .checked_add(jiff::Span::new().days(i64::from(days.value)))
            .ok();
    }
    let window = timing.refund_working_days.as_ref()?.value;
    ctx.calendar()
        .ok()?
        .add_working_days(requested, window.max)
        .ok()
}

/// The state a case is in today. A refund that was requested or promised and is past its
/// due day is overdue whether or not a tick has recorded it yet: reads compute what time
/// changes, only `tick` writes it down.
pub fn effective_state(
    ctx: &Ctx<impl Backend>,
    case: &StoredCase,
    expected: Option<Date>,
) -> CaseState {
    let waiting = matches!(
        case.state,
        CaseState::RefundRequested | CaseState::RefundPromised
    );
    if waiting && case.refund.overdue(ctx.today, expected) {
        CaseState::Overdue
    } else {
        case.state
    }
}

/// The note of an automatic move to overdue: the due day in ISO form, language-neutral;
/// [`transition_note`] words it in the reader's language.
pub fn overdue_note(due: Date) -> String {
    format!("refund_due:{due}")
}

/// A transition's note for people: the automatic overdue note in the reader's language,
/// any other note as written.
pub fn transition_note(lang: Lang, note: &str) -> String {
    match note
        .strip_prefix("refund_due:")
        .and_then(|d| d.parse::<Date>().ok())
    {
        Some(due) => match lang {
            Lang::Zh => format!("应于 {due} 前到账，逾期未到账"),
            Lang::En => format!("due by {due}, not received in time"),
        },
        None => note.to_string(),
    }
}

fn money_text(minor: Option<i64>, currency: &str) -> Option<String> {
    let currency = tuiding_core::Currency::from_code(currency).ok()?;
    minor.map(|m| Money::from_minor(m, currency).amount_string())
}

/// Builds the view of `case show`.
pub fn view(ctx: &Ctx<impl Backend>, data: &CaseData) -> CaseView {
    let lang = ctx.lang;
    let c = &data.case;
    let claim = super::message::refund_claim(ctx, data);
    let steps: Vec<StepView> = data
        .steps
        .iter()
        .map(|s| {
            let done = c.steps_done.iter().find(|d| d.step_id == s.id);
            StepView {
                id: s.id.clone(),
                title: s.title.text(lang).to_string(),
                done: step_done(data, &s.id),
                done_at: done.map(|d| d.done_at.to_string()),
                note: done.and_then(|d| d.note.clone()),
                paths: s
                    .paths
                    .iter()
                    .map(|p| format!("{}{}", p.steps, crate::text::paren(lang, &p.source)))
                    .collect(),
                success: s.success.text(lang).to_string(),
                evidence_wanted: s
                    .evidence
                    .iter()
                    .map(|e| {
                        format!(
                            "{}{}{}",
                            e.kind.label(lang),
                            crate::text::colon(lang),
                            e.what.text(lang)
                        )
                    })
                    .collect(),
                evidence_count: data
                    .evidence
                    .iter()
                    .filter(|e| {
                        e.step.as_deref() == Some(s.id.as_str())
                            || data.proofs.contains(&(e.seq, s.id.clone()))
                    })
                    .count(),
                notes: s.notes.iter().map(|n| n.text(lang).to_string()).collect(),
                refund_claim: (s.id == "request_refund").then(|| claim.clone()).flatten(),
            }
        })
        .collect();
    let empty_groups: Vec<&'static str> = EvidenceKind::ALL
        .into_iter()
        .filter(|k| !data.evidence.iter().any(|e| e.kind == k.as_str()))
        .map(EvidenceKind::as_str)
        .collect();
    let unproven_steps: Vec<String> = steps
        .iter()
        .filter(|s| s.done_at.is_some() && s.evidence_count == 0)
        .map(|s| s.id.clone())
        .collect();
    let expected = expected_refund_date(ctx, data);
    let state = effective_state(ctx, c, expected);
    let refund = RefundView {
        requested_on: c.refund.requested_on,
        promised: money_text(c.refund.promised_minor, &c.currency),
        promised_by: c.refund.promised_by,
        received: money_text(c.refund.received_minor, &c.currency),
        received_on: c.refund.received_on,
        currency: c.currency.clone(),
        due: c.refund.due(expected),
        overdue: c.refund.overdue(ctx.today, expected),
    };
    CaseView {
        id: c.id,
        membership_id: c.membership_id,
        membership: c.membership_label.clone(),
        state: state.as_str(),
        state_label: state.label(lang),
        opened_on: c.opened_on,
        completeness: Completeness {
            complete: empty_groups.is_empty() && unproven_steps.is_empty(),
            empty_groups,
            unproven_steps,
        },
        steps,
        refund,
        evidence: data.evidence.clone(),
        transitions: c
            .transitions
            .iter()
            .map(|t| TransitionView {
                from: t.from.as_str(),
                to: t.to.as_str(),
                at: t.at.to_string(),
                note: t.note.as_deref().map(|n| transition_note(lang, n)),
            })
            .collect(),
        late_charges: data
            .late_charges
            .iter()
            .map(|l| LateChargeView {
                date: l.date,
                amount: l.amount.amount_string(),
                currency: l.amount.currency().code(),
                channel: l.channel.as_str(),
                closed_on: l.closed_on,
                fact: l.clone(),
            })
            .collect(),
        refund_claim: claim,
        duplicate_charges: data.duplicate_charges.clone(),
    }
}

/// Whether a step is done: marked in the case, or (for a channel) its contract is closed.
pub fn step_done(data: &CaseData, id: &str) -> bool {
    if data.case.steps_done.iter().any(|d| d.step_id == id) {
        return true;
    }
    let channel = tuiding_core::playbook::channel_of_step(id);
    let contract = channel.and_then(|c| data.membership.as_ref()?.contract(c));
    contract.is_some_and(|c| matches!(c.status, tuiding_core::ContractStatus::Closed(_)))
}
