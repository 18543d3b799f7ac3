//! `tuiding renewals --within 30d`: every charge and service end coming up, with the
//! total that will leave the account per currency.

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;
use tuiding_core::membership::days_between;
use tuiding_core::{Localized, Money};
use tuiding_store::prelude::*;

/// One month of `renewals --by-month`.
#[derive(Debug, Serialize)]
pub struct MonthTotal {
    /// `YYYY-MM`.
    pub month: String,
    pub totals: Vec<CurrencyTotal>,
}

/// The JSON printed by `renewals --json`.
#[derive(Debug, Serialize)]
pub struct RenewalsReport {
    pub today: Date,
    pub until: Date,
    pub renewals: Vec<RenewalItem>,
    /// What the charges in the window add up to, per currency.
    pub totals: Vec<CurrencyTotal>,
}

/// One key date.
#[derive(Debug, Serialize)]
pub struct RenewalItem {
    pub id: i64,
    pub platform: String,
    pub plan: String,
    pub date: Date,
    pub days_until: i64,
    /// `renewal` (money will be taken) or `ends` (the last day of a service that will not renew).
    pub kind: &'static str,
    /// The charge for a renewal; `null` when the service ends.
    pub amount: Option<String>,
    pub currency: &'static str,
    /// Channels that can still charge.
    pub channels: Vec<&'static str>,
    /// The charge as money.
    #[serde(skip)]
    pub money: Option<Money>,
    /// The channels worded for people (every contract with its state), shared by every
    /// date of one membership.
    #[serde(skip)]
    pub via: std::sync::Arc<str>,
}

/// A sum in one currency.
#[derive(Debug, Serialize)]
pub struct CurrencyTotal {
    pub currency: &'static str,
    pub amount: String,
    #[serde(skip)]
    pub money: Money,
}

/// The renewals and service ends of the ledger in `(today, until]` (`tuiding renewals`,
/// `GET /api/v1/renewals`).
pub fn report(ctx: &Ctx<impl Backend>, until: Date) -> anyhow::Result<RenewalsReport> {
    let store = ctx.open_store()?;
    let stored = ctx.memberships(&store)?;
    build(
        ctx,
        &stored,
        until,
        &store.price_changes().localize(ctx.lang)?,
    )
}

/// Gathers the key dates of every membership in `(today, until]`, each charge at the price
/// in effect on its day (a price notice applies from its date).
pub fn build(
    ctx: &Ctx<impl Backend>,
    stored: &[tuiding_store::StoredMembership],
    until: Date,
    changes: &[(i64, tuiding_core::price::PriceChange)],
) -> anyhow::Result<RenewalsReport> {
    let mut renewals = Vec::new();
    let mut totals: BTreeMap<&'static str, Money> = BTreeMap::new();
    for s in stored {
        let m = &s.membership;
        let dates = m
            .key_dates_within(ctx.today, until)
            .map_err(|e| UserError::failure(format!("#{}: {}", s.id, e.localized(ctx.lang))))?;
        let history: Vec<tuiding_core::price::PriceChange> =
            tuiding_core::price::changes_of(changes, s.id)
                .iter()
                .map(|(_, c)| *c)
                .collect();
        let via: std::sync::Arc<str> = if dates.is_empty() {
            std::sync::Arc::from("")
        } else {
            crate::memberships::labels::channels_label(m, ctx.lang).into()
        };
        for key in dates {
            let price = tuiding_core::price::price_on(m.price, &history, key.date);
            if key.charges {
                let code = price.currency().code();
                let total = totals.entry(code).or_insert(Money::zero(price.currency()));
                *total = total.checked_add(price).localize(ctx.lang)?;
            }
            renewals.push(RenewalItem {
                id: s.id,
                platform: m.platform.clone(),
                plan: m.plan.clone(),
                date: key.date,
                days_until: days_between(ctx.today, key.date),
                kind: match (key.charges, m.trial_until) {
                    (true, Some(t)) if t == key.date => "trial_converts",
                    (true, _) => "renewal",
                    (false, _) => "ends",
                },
                amount: key.charges.then(|| price.amount_string()),
                currency: m.price.currency().code(),
                channels: m
                    .auto_renew
                    .iter()
                    .filter(|c| c.status.can_charge())
                    .map(|c| c.channel.as_str())
                    .collect(),
                money: key.charges.then_some(price),
                via: via.clone(),
            });
        }
    }
    renewals.sort_by_key(|r| (r.date, r.id));
    Ok(RenewalsReport {
        today: ctx.today,
        until,
        renewals,
        totals: totals
            .into_iter()
            .map(|(currency, money)| CurrencyTotal {
                currency,
                amount: money.amount_string(),
                money,
            })
            .collect(),
    })
}

/// The charges of a report per calendar month (`YYYY-MM`) and currency, in order.
pub fn by_month(report: &RenewalsReport) -> anyhow::Result<Vec<(String, Vec<CurrencyTotal>)>> {
    let mut months: BTreeMap<String, BTreeMap<&'static str, Money>> = BTreeMap::new();
    for r in &report.renewals {
        let Some(money) = r.money else { continue };
        let month = format!("{:04}-{:02}", r.date.year(), r.date.month());
        let total = months
            .entry(month)
            .or_default()
            .entry(r.currency)
            .or_insert(Money::zero(money.currency()));
        *total = total
            .checked_add(money)
            .map_err(|e| UserError::failure(e.to_string()))?;
    }
    Ok(months
        .into_iter()
        .map(|(month, totals)| {
            let totals = totals
                .into_iter()
                .map(|(currency, money)| CurrencyTotal {
                    currency,
                    amount: money.amount_string(),
                    money,
                })
                .collect();
            (month, totals)
        })
        .collect())
}
