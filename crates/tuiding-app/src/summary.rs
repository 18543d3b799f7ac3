//! `tuiding summary`: what the memberships that still renew cost per month and per
//! year, per currency and per category. Currencies are never added together.

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;
use tuiding_core::split::SplitRule;
use tuiding_core::{Currency, Localized, Money};
use tuiding_store::StoredMembership;
use tuiding_store::prelude::*;

/// A price rise.
#[derive(Debug, Serialize)]
pub struct PriceIncrease {
    pub id: i64,
    pub platform: String,
    pub on: Date,
    pub old: String,
    pub new: String,
    pub currency: &'static str,
    /// What the rise costs a year at the new price.
    pub yearly_more: Option<String>,
}

/// What one member pays per month and year in one currency.
#[derive(Debug, Serialize)]
pub struct MemberCost {
    /// The member, or null for costs nobody shares.
    pub member: Option<String>,
    pub currency: &'static str,
    pub memberships: usize,
    pub monthly: String,
    pub yearly: String,
}

/// The JSON printed by `summary --json`.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub today: Date,
    /// Memberships in the ledger.
    pub memberships: usize,
    /// Of which will charge again.
    pub renewing: usize,
    /// Of which will not (one-time, gifted, or every auto-renew channel closed).
    pub not_renewing: usize,
    /// Per currency: monthly and yearly cost of the renewing memberships.
    pub totals: Vec<CostLine>,
    /// Per category and currency.
    pub by_category: Vec<CostLine>,
    /// Price rises in the last 12 months.
    pub price_increases: Vec<PriceIncrease>,
    /// Per household member and currency (`--by member`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_member: Option<Vec<MemberCost>>,
}

/// Costs of a group in one currency.
#[derive(Debug, Serialize)]
pub struct CostLine {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub currency: &'static str,
    pub memberships: usize,
    pub monthly: String,
    pub yearly: String,
    #[serde(skip)]
    pub monthly_money: Money,
    #[serde(skip)]
    pub yearly_money: Money,
}

#[derive(Default)]
struct Acc {
    count: usize,
    monthly: i64,
    yearly: i64,
}

/// What the ledger costs (`tuiding summary`, `GET /api/v1/summary`); with `by_member`,
/// also per household member.
pub fn summary(ctx: &Ctx<impl Backend>, by_member_too: bool) -> anyhow::Result<Summary> {
    let store = ctx.open_store()?;
    let stored = ctx.memberships(&store)?;
    let mut summary = build(ctx, &stored, &store.price_changes().localize(ctx.lang)?)?;
    if by_member_too {
        summary.by_member = Some(by_member(
            ctx,
            &stored,
            &store.splits().localize(ctx.lang)?,
        )?);
    }
    Ok(summary)
}

/// Sums the renewing memberships' cost equivalents, with the price rises of the last 12
/// months from the recorded price changes: what `summary --json`, `/api/v1/summary` and
/// the overview all show.
pub fn build(
    ctx: &Ctx<impl Backend>,
    stored: &[StoredMembership],
    price_changes: &[(i64, tuiding_core::price::PriceChange)],
) -> anyhow::Result<Summary> {
    let mut totals: BTreeMap<Currency, Acc> = BTreeMap::new();
    let mut by_category: BTreeMap<(String, Currency), Acc> = BTreeMap::new();
    let mut renewing = 0;
    let failed = |s: &StoredMembership, e: &dyn Localized| {
        UserError::failure(format!("#{}: {}", s.id, e.localized(ctx.lang)))
    };
    for s in stored {
        let m = &s.membership;
        if !m.renews() {
            continue;
        }
        let (Some(monthly), Some(yearly)) = (
            m.monthly_cost().map_err(|e| failed(s, &e))?,
            m.yearly_cost().map_err(|e| failed(s, &e))?,
        ) else {
            continue;
        };
        renewing += 1;
        let currency = m.price.currency();
        let category = m
            .category
            .clone()
            .unwrap_or_else(|| ctx.t("未分类", "uncategorised").to_string());
        for acc in [
            totals.entry(currency).or_default(),
            by_category.entry((category, currency)).or_default(),
        ] {
            acc.count += 1;
            acc.monthly = acc
                .monthly
                .checked_add(monthly.minor_units())
                .ok_or_else(|| overflow(ctx))?;
            acc.yearly = acc
                .yearly
                .checked_add(yearly.minor_units())
                .ok_or_else(|| overflow(ctx))?;
        }
    }
    let line = |category: Option<String>, currency: Currency, acc: &Acc| {
        let monthly_money = Money::from_minor(acc.monthly, currency);
        let yearly_money = Money::from_minor(acc.yearly, currency);
        CostLine {
            category,
            currency: currency.code(),
            memberships: acc.count,
            monthly: monthly_money.amount_string(),
            yearly: yearly_money.amount_string(),
            monthly_money,
            yearly_money,
        }
    };
    let mut by_category: Vec<CostLine> = by_category
        .iter()
        .map(|((cat, cur), acc)| line(Some(cat.clone()), *cur, acc))
        .collect();
    // Most expensive first within each currency.
    by_category.sort_by(|a, b| {
        a.currency.cmp(b.currency).then(
            b.yearly_money
                .minor_units()
                .cmp(&a.yearly_money.minor_units()),
        )
    });
    Ok(Summary {
        today: ctx.today,
        memberships: stored.len(),
        renewing,
        not_renewing: stored.len() - renewing,
        totals: totals
            .iter()
            .map(|(cur, acc)| line(None, *cur, acc))
            .collect(),
        by_category,
        price_increases: increases(ctx, stored, price_changes)?,
        by_member: None,
    })
}

/// Net rises of the 12 months up to today: per membership, the price 12 months ago against
/// the price now. Up, down and up again is one rise (or none, when it came back down).
fn increases(
    ctx: &Ctx<impl Backend>,
    stored: &[StoredMembership],
    changes: &[(i64, tuiding_core::price::PriceChange)],
) -> anyhow::Result<Vec<PriceIncrease>> {
    let since = ctx
        .today
        .checked_sub(jiff::Span::new().years(1))
        .unwrap_or(ctx.today);
    let mut out = Vec::new();
    for s in stored {
        let mut within: Vec<&tuiding_core::price::PriceChange> =
            tuiding_core::price::changes_of(changes, s.id)
                .iter()
                .filter(|(_, c)| c.on >= since && c.on <= ctx.today)
                .map(|(_, c)| c)
                .collect();
        within.sort_by_key(|c| c.on);
        let (Some(first), Some(last)) = (within.first(), within.last()) else {
            continue;
        };
        let (old, new) = (first.old, last.new);
        if old.currency() != new.currency() || new.minor_units() <= old.minor_units() {
            continue;
        }
        let at_new = tuiding_core::Membership {
            price: new,
            ..s.membership.clone()
        };
        let yearly_more = tuiding_core::price::yearly_rise(&at_new, old).localize(ctx.lang)?;
        out.push(PriceIncrease {
            id: s.id,
            platform: s.membership.platform.clone(),
            on: last.on,
            old: old.amount_string(),
            new: new.amount_string(),
            currency: new.currency().code(),
            yearly_more: yearly_more.map(|m| m.amount_string()),
        });
    }
    out.sort_by_key(|p| (p.on, p.id));
    Ok(out)
}

/// Each renewing membership's cost split by its rule (unsplit costs under no member).
fn by_member(
    ctx: &Ctx<impl Backend>,
    stored: &[StoredMembership],
    splits: &[(i64, tuiding_store::Split)],
) -> anyhow::Result<Vec<MemberCost>> {
    let mut acc: BTreeMap<(Option<String>, Currency), Acc> = BTreeMap::new();
    for s in stored.iter().filter(|s| s.membership.renews()) {
        let m = &s.membership;
        let (Some(monthly), Some(yearly)) = (
            m.monthly_cost().localize(ctx.lang)?,
            m.yearly_cost().localize(ctx.lang)?,
        ) else {
            continue;
        };
        // The membership's monthly and yearly figures are split in the proportions of the
        // price parts, so the members' figures add up to the membership's exactly.
        let rows: Vec<(Option<String>, Money, Money)> =
            match splits.iter().find(|(id, _)| *id == s.id) {
                Some((_, rules)) => match tuiding_core::split::split(m.price, rules) {
                    Ok(parts) => {
                        let weights: Vec<(String, SplitRule)> = parts
                            .iter()
                            .filter(|p| p.amount.minor_units() > 0)
                            .map(|p| {
                                (
                                    p.member.clone(),
                                    SplitRule::Shares(
                                        u32::try_from(p.amount.minor_units()).unwrap_or(u32::MAX),
                                    ),
                                )
                            })
                            .collect();
                        if weights.is_empty() {
                            vec![(None, monthly, yearly)]
                        } else {
                            let by_month =
                                tuiding_core::split::split(monthly, &weights).localize(ctx.lang)?;
                            let by_year =
                                tuiding_core::split::split(yearly, &weights).localize(ctx.lang)?;
                            by_month
                                .into_iter()
                                .zip(by_year)
                                .map(|(a, b)| (Some(a.member), a.amount, b.amount))
                                .collect()
                        }
                    }
                    // A split the price no longer fits: counted as unshared, and said.
                    Err(e) => {
                        ctx.reporter()
                            .warn(&format!("#{}: {}", s.id, e.localized(ctx.lang)));
                        vec![(None, monthly, yearly)]
                    }
                },
                None => vec![(None, monthly, yearly)],
            };
        for (member, monthly, yearly) in rows {
            let a = acc.entry((member, monthly.currency())).or_default();
            a.count += 1;
            a.monthly = a
                .monthly
                .checked_add(monthly.minor_units())
                .ok_or_else(|| overflow(ctx))?;
            a.yearly = a
                .yearly
                .checked_add(yearly.minor_units())
                .ok_or_else(|| overflow(ctx))?;
        }
    }
    Ok(acc
        .into_iter()
        .map(|((member, currency), a)| MemberCost {
            member,
            currency: currency.code(),
            memberships: a.count,
            monthly: Money::from_minor(a.monthly, currency).amount_string(),
            yearly: Money::from_minor(a.yearly, currency).amount_string(),
        })
        .collect())
}

fn overflow(ctx: &Ctx<impl Backend>) -> anyhow::Error {
    UserError::failure(ctx.t("金额合计过大", "the total is too large"))
}
