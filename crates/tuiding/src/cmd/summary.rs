//! `tuiding summary`: what the memberships that still renew cost per month and per
//! year, per currency and per category. Currencies are never added together.

use std::collections::BTreeMap;

use clap::Args;
use jiff::civil::Date;
use serde::Serialize;
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
pub struct SummaryArgs {}

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
    monthly_money: Money,
    #[serde(skip)]
    yearly_money: Money,
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
        let stored = store.memberships().localize(ctx.lang)?;
        let summary = build(ctx, &stored)?;
        if ctx.json {
            return output::print_json(&summary);
        }
        output::line(render(ctx, &summary))
    }
}

/// Sums the renewing memberships' cost equivalents.
pub fn build(ctx: &Ctx, stored: &[StoredMembership]) -> anyhow::Result<Summary> {
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
    })
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
    out.push_str(lang.pick(
        "（按续费中的会员折算：周付按每年 52 周，N 天按每年 365 天；不同币种分开合计）",
        "(renewing memberships only; weekly plans count 52 weeks a year, N-day plans 365 days; currencies are summed separately)",
    ));
    out
}
