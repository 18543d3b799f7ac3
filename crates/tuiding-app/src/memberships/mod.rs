//! Memberships: adding ([`add`]), changing and removing ([`edit`]) them from one input
//! ([`input::MembershipInput`]), and what one looks like to the outside on a given day
//! ([`MembershipView`]: the JSON object of `list --json` and `show --json`, a contract
//! other tools rely on; keep its keys stable).

pub mod add;
pub mod edit;
pub mod input;
pub mod labels;
pub mod listing;

use serde::Serialize;
use tuiding_core::{Benefit, ContractStatus, Lang, Localized, Membership, MembershipError};
use tuiding_store::StoredMembership;

use jiff::civil::Date;

use crate::context::{Backend, Ctx};
use crate::error::Localize;

/// One membership with everything derived from it on `today`.
#[derive(Debug, Serialize)]
pub struct MembershipView {
    pub id: i64,
    pub platform: String,
    pub plan: String,
    /// `periodic`, `one_time` or `gifted`.
    pub billing: &'static str,
    /// `month`, `quarter`, `30d`, … for periodic billing.
    pub period: Option<String>,
    pub price: String,
    pub currency: &'static str,
    pub start: Date,
    pub paid_through: Option<Date>,
    /// The day a trial converts (its first charge), when there is a trial.
    pub trial_until: Option<Date>,
    /// `upcoming`, `active`, `ending` or `ended`.
    pub status: &'static str,
    pub current_period: Option<PeriodView>,
    pub next_renewal: Option<Date>,
    pub days_until_renewal: Option<i64>,
    /// Last day of service when it will not renew.
    pub ends_on: Option<Date>,
    pub auto_renew: Vec<ContractView>,
    pub benefits: Vec<BenefitView>,
    pub monthly_cost: Option<String>,
    pub yearly_cost: Option<String>,
    pub category: Option<String>,
    pub notes: Option<String>,
    /// Every recorded price change, oldest first.
    pub price_history: Vec<PriceChangeView>,
    /// The cancellation cases of this membership: the story of how it ended (`show` only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<CaseStoryView>,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The membership itself, for renderers that word its parts (never serialised).
    #[serde(skip)]
    pub membership: Membership,
}

/// One price change, as JSON.
#[derive(Debug, Serialize)]
pub struct PriceChangeView {
    pub on: Date,
    pub old: String,
    pub new: String,
    pub currency: &'static str,
    /// `edit`, `charge` or `notice`.
    pub source: &'static str,
}

/// A case of a membership, as `show` tells it.
#[derive(Debug, Serialize)]
pub struct CaseStoryView {
    pub id: i64,
    pub state: &'static str,
    #[serde(skip)]
    pub state_label: &'static str,
    /// The day it was cancelled (refund requested, or channels closed), when it was.
    pub cancelled_on: Option<Date>,
    /// The refund received, and when.
    pub refunded: Option<String>,
    pub refunded_on: Option<Date>,
}

impl MembershipView {
    /// Fills in the cases of this membership, each with its state as of today.
    pub fn with_cases(
        mut self,
        cases: &[(tuiding_store::StoredCase, tuiding_core::case::CaseState)],
        lang: tuiding_core::Lang,
    ) -> MembershipView {
        self.cases = cases
            .iter()
            .filter(|(c, _)| c.membership_id == Some(self.id))
            .map(|(c, state)| CaseStoryView {
                id: c.id,
                state: state.as_str(),
                state_label: state.label(lang),
                cancelled_on: tuiding_core::case::cancelled_on(&c.transitions, &c.refund),
                refunded: tuiding_core::Currency::from_code(&c.currency)
                    .ok()
                    .zip(c.refund.received_minor)
                    .map(|(cur, v)| tuiding_core::Money::from_minor(v, cur).to_string()),
                refunded_on: c.refund.received_on,
            })
            .collect();
        self
    }

    /// Fills in the price history of this membership from all recorded changes.
    pub fn with_price_history(
        mut self,
        changes: &[(i64, tuiding_core::price::PriceChange)],
    ) -> MembershipView {
        self.price_history = tuiding_core::price::changes_of(changes, self.id)
            .iter()
            .map(|(_, c)| PriceChangeView {
                on: c.on,
                old: c.old.amount_string(),
                new: c.new.amount_string(),
                currency: c.new.currency().code(),
                source: c.source.as_str(),
            })
            .collect();
        self
    }
}

#[derive(Debug, Serialize)]
pub struct PeriodView {
    pub start: Date,
    /// The last day of the period (inclusive).
    pub last_day: Date,
    pub days: i64,
}

#[derive(Debug, Serialize)]
pub struct ContractView {
    pub channel: &'static str,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<Date>,
}

#[derive(Debug, Serialize)]
pub struct BenefitView {
    pub name: String,
    pub quantity: u32,
    pub redeemed: u32,
    pub remaining: u32,
    pub unit_value: Option<String>,
}

impl MembershipView {
    /// Derives the view; fails only when date arithmetic leaves the supported range.
    pub fn new(stored: &StoredMembership, today: Date) -> Result<MembershipView, MembershipError> {
        let m: &Membership = &stored.membership;
        let current_period = m.current_period(today)?.map(|span| PeriodView {
            start: span.start,
            last_day: span.end.yesterday().unwrap_or(span.end),
            days: span.days(),
        });
        Ok(MembershipView {
            id: stored.id,
            platform: m.platform.clone(),
            plan: m.plan.clone(),
            billing: m.billing.kind(),
            period: m.billing.period().map(|p| p.to_string()),
            price: m.price.amount_string(),
            currency: m.price.currency().code(),
            start: m.start,
            paid_through: m.paid_through,
            trial_until: m.trial_until,
            status: m.status(today)?.as_str(),
            current_period,
            next_renewal: m.next_renewal(today)?,
            days_until_renewal: m.days_until_renewal(today)?,
            ends_on: m.ends_on(today)?,
            auto_renew: m
                .auto_renew
                .iter()
                .map(|c| ContractView {
                    channel: c.channel.as_str(),
                    status: c.status.as_str(),
                    closed_on: match c.status {
                        ContractStatus::Closed(on) => Some(on),
                        _ => None,
                    },
                })
                .collect(),
            benefits: m.benefits.iter().map(benefit_view).collect(),
            monthly_cost: m.monthly_cost()?.map(|c| c.amount_string()),
            yearly_cost: m.yearly_cost()?.map(|c| c.amount_string()),
            category: m.category.clone(),
            notes: m.notes.clone(),
            price_history: Vec::new(),
            cases: Vec::new(),
            revision: stored.revision,
            created_at: stored.created_at.clone(),
            updated_at: stored.updated_at.clone(),
            membership: m.clone(),
        })
    }
}

fn benefit_view(b: &Benefit) -> BenefitView {
    BenefitView {
        name: b.name.clone(),
        quantity: b.quantity,
        redeemed: b.redeemed,
        remaining: b.remaining(),
        unit_value: b.unit_value.map(|v| v.amount_string()),
    }
}

/// Builds views for many memberships, worded errors included.
pub fn views(
    stored: &[StoredMembership],
    today: Date,
    lang: Lang,
) -> anyhow::Result<Vec<MembershipView>> {
    stored
        .iter()
        .map(|s| {
            MembershipView::new(s, today).map_err(|e| {
                crate::error::UserError::failure(format!("#{}: {}", s.id, e.localized(lang)))
            })
        })
        .collect()
}

/// One membership in full, with its price history and cases (`tuiding show`, `GET
/// /api/v1/memberships/{id}`, the membership page).
pub fn membership(ctx: &Ctx<impl Backend>, id: i64) -> anyhow::Result<MembershipView> {
    use tuiding_store::prelude::*;
    let store = ctx.open_store()?;
    let stored = store.membership(id).localize(ctx.lang)?;
    // Each case's state as it is today (a refund past due shows overdue before a tick
    // records it), as the case pages show it.
    let mut cases = Vec::new();
    for case in store.cases().localize(ctx.lang)? {
        if case.membership_id == Some(id) {
            let state = crate::case::current_state(ctx, &store, &case)?;
            cases.push((case, state));
        }
    }
    Ok(MembershipView::new(&stored, ctx.today)
        .map_err(|e| crate::error::UserError::failure(e.localized(ctx.lang)))?
        .with_price_history(&store.price_changes().localize(ctx.lang)?)
        .with_cases(&cases, ctx.lang))
}

/// Every membership, kept while the ledger is unchanged ([`crate::memo`]): what the web's
/// list and `GET /api/v1/memberships` show, asked for many times between two changes.
pub fn all(ctx: &Ctx<impl Backend>) -> anyhow::Result<std::sync::Arc<Vec<MembershipView>>> {
    ctx.remembered("memberships", "", |ctx| memberships(ctx, None))
}

/// Every membership, or those of one category, each with its price history
/// (`tuiding list`, `GET /api/v1/memberships`, the memberships page).
pub fn memberships(
    ctx: &Ctx<impl Backend>,
    category: Option<&str>,
) -> anyhow::Result<Vec<MembershipView>> {
    use tuiding_store::prelude::*;
    let store = ctx.open_store()?;
    let stored: Vec<StoredMembership> = ctx
        .memberships(&store)?
        .into_iter()
        .filter(|s| category.is_none_or(|c| s.membership.category.as_deref() == Some(c)))
        .collect();
    let history = store.price_changes().localize(ctx.lang)?;
    Ok(views(&stored, ctx.today, ctx.lang)?
        .into_iter()
        .map(|v| v.with_price_history(&history))
        .collect())
}
