//! `tuiding summary`: what the memberships that still renew cost per month and per
//! year, per currency and per category. Currencies are never added together.

use std::collections::BTreeMap;

use clap::Args;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::split::SplitRule;
use tuiding_core::{Currency, Lang, Localized, Money};
use tuiding_store::{Store, StoredMembership};

use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::output::{self, Align, Table};

/// Monthly and yearly totals.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding summary\n  tuiding summary --json\n  tuiding summary --lang en"
)]
pub struct SummaryArgs {
    /// 按家庭成员汇总（见 `tuiding split`）/ Also total per household member (see `tuiding split`)
    #[arg(long, value_enum, value_name = "member")]
    pub by: Option<By>,
}

/// Extra groupings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// 家庭成员 / Household member
    Member,
}

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

impl SummaryArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let store = ctx.open_store()?;
        let stored = ctx.memberships(&store)?;
        let mut summary = build(ctx, &stored, &store.price_changes().localize(ctx.lang)?)?;
        if self.by == Some(By::Member) {
            summary.by_member = Some(by_member(
                ctx,
                &stored,
                &store.splits().localize(ctx.lang)?,
            )?);
        }
        if ctx.json {
            return output::print_json(&summary);
        }
        output::line(render(ctx, &summary))
    }
}

/// Sums the renewing memberships' cost equivalents, with the price rises of the last 12
/// months from the recorded price changes: what `summary --json`, `/api/v1/summary` and
/// the overview all show.
pub fn build(
    ctx: &Ctx,
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
    ctx: &Ctx,
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
    ctx: &Ctx,
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
                        eprintln!("#{}: {}", s.id, e.localized(ctx.lang));
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

fn overflow(ctx: &Ctx) -> anyhow::Error {
    UserError::failure(ctx.t("金额合计过大", "the total is too large"))
}

/// The summary as text.
pub fn render(ctx: &Ctx, s: &Summary) -> String {
    let lang = ctx.lang;
    let mut out = String::new();
    let title = match lang {
        Lang::Zh => format!("费用汇总（{}）", s.today),
        Lang::En => format!("Cost summary ({})", s.today),
    };
    out.push_str(&output::paint(&title, Some(output::BOLD), ctx.color));
    out.push('\n');
    out.push_str(&match lang {
        Lang::Zh => format!(
            "共 {} 个会员：{} 个会续费，{} 个不会再扣费。\n",
            s.memberships, s.renewing, s.not_renewing
        ),
        Lang::En => format!(
            "{} memberships: {} renew, {} will not charge again.\n",
            s.memberships, s.renewing, s.not_renewing
        ),
    });
    for t in &s.totals {
        out.push_str(&match lang {
            Lang::Zh => format!(
                "{}：每月约 {}，每年约 {}\n",
                t.currency, t.monthly_money, t.yearly_money
            ),
            Lang::En => format!(
                "{}: about {} a month, {} a year\n",
                t.currency, t.monthly_money, t.yearly_money
            ),
        });
    }
    if !s.by_category.is_empty() {
        out.push('\n');
        let mut table = Table::new(
            &[
                lang.pick("类别", "category"),
                lang.pick("个数", "count"),
                lang.pick("每月", "monthly"),
                lang.pick("每年", "yearly"),
            ],
            &[Align::Left, Align::Right, Align::Right, Align::Right],
        );
        for c in &s.by_category {
            table.row(vec![
                c.category.clone().unwrap_or_default().into(),
                c.memberships.to_string().into(),
                c.monthly_money.to_string().into(),
                c.yearly_money.to_string().into(),
            ]);
        }
        out.push_str(&table.render(ctx.color));
    }
    if !s.price_increases.is_empty() {
        out.push('\n');
        out.push_str(lang.pick(
            "过去 12 个月涨价：\n",
            "Price rises in the last 12 months:\n",
        ));
        for p in &s.price_increases {
            let more = p
                .yearly_more
                .as_ref()
                .map(|m| match lang {
                    Lang::Zh => format!("，每年多 {m} {}", p.currency),
                    Lang::En => format!(", {m} {} more a year", p.currency),
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "  #{} {} {} {} → {} {}{more}\n",
                p.id, p.platform, p.on, p.old, p.new, p.currency
            ));
        }
    }
    if let Some(members) = &s.by_member {
        out.push('\n');
        let mut table = Table::new(
            &[
                lang.pick("成员", "member"),
                lang.pick("个数", "count"),
                lang.pick("币种", "currency"),
                lang.pick("每月", "monthly"),
                lang.pick("每年", "yearly"),
            ],
            &[
                Align::Left,
                Align::Right,
                Align::Left,
                Align::Right,
                Align::Right,
            ],
        );
        for c in members {
            table.row(vec![
                c.member
                    .clone()
                    .unwrap_or_else(|| lang.pick("（未分摊）", "(not shared)").to_string())
                    .into(),
                c.memberships.to_string().into(),
                c.currency.into(),
                c.monthly.clone().into(),
                c.yearly.clone().into(),
            ]);
        }
        out.push_str(&table.render(ctx.color));
    }
    out.push_str(lang.pick(
        "（按续费中的会员折算：周付按每年 52 周，N 天按每年 365 天；不同币种分开合计）",
        "(renewing memberships only; weekly plans count 52 weeks a year, N-day plans 365 days; currencies are summed separately)",
    ));
    out
}
