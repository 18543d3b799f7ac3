//! `tuiding renewals --within 30d`: every charge and service end coming up, with the
//! total that will leave the account per currency.

use std::collections::BTreeMap;

use clap::Args;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::membership::days_between;
use tuiding_core::{Lang, Localized, Money};
use tuiding_store::Store;

use crate::cmd::list::channels_label;
use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::input;
use crate::output::{self, Align, Cell, Table};

/// Renewals and service ends within a window.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding renewals\n  tuiding renewals --within 7d\n  tuiding renewals --within 3m --json\n  tuiding renewals --within 1y --by-month    # 每月扣费合计 / charges per month"
)]
pub struct RenewalsArgs {
    /// 时间范围 / Window after today: 30d, 2w, 1m, 1y (a bare number is days)
    #[arg(long, default_value = "30d", value_name = "WINDOW")]
    pub within: String,
    /// 按月合计 / The charges of the window added up per calendar month
    #[arg(long)]
    pub by_month: bool,
}

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
}

/// A sum in one currency.
#[derive(Debug, Serialize)]
pub struct CurrencyTotal {
    pub currency: &'static str,
    pub amount: String,
    #[serde(skip)]
    pub money: Money,
}

impl RenewalsArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let until = input::parse_window(&self.within, ctx.today, ctx.lang)?;
        let store = ctx.open_store()?;
        let stored = ctx.memberships(&store)?;
        let report = build(
            ctx,
            &stored,
            until,
            &store.price_changes().localize(ctx.lang)?,
        )?;
        if self.by_month {
            let months: Vec<MonthTotal> = by_month(&report)?
                .into_iter()
                .map(|(month, totals)| MonthTotal { month, totals })
                .collect();
            if ctx.json {
                return output::print_json(&months);
            }
            let mut table = Table::new(
                &[ctx.t("月份", "month"), ctx.t("扣费合计", "charges")],
                &[Align::Left, Align::Right],
            );
            for m in &months {
                let text: Vec<String> = m.totals.iter().map(|t| t.money.to_string()).collect();
                table.row(vec![m.month.clone().into(), text.join(" + ").into()]);
            }
            if months.is_empty() {
                return output::line(ctx.t("这段时间没有扣费。", "No charges in this window."));
            }
            return output::line(table.render(ctx.color).trim_end());
        }
        if ctx.json {
            return output::print_json(&report);
        }
        output::line(render(ctx, &stored, &report))
    }
}

/// Gathers the key dates of every membership in `(today, until]`, each charge at the price
/// in effect on its day (a price notice applies from its date).
pub fn build(
    ctx: &Ctx,
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

/// The report as text.
pub fn render(
    ctx: &Ctx,
    stored: &[tuiding_store::StoredMembership],
    report: &RenewalsReport,
) -> String {
    let lang = ctx.lang;
    let mut out = String::new();
    let title = match lang {
        Lang::Zh => format!("{} 至 {} 的续费与到期", report.today, report.until),
        Lang::En => format!(
            "Renewals and service ends, {} to {}",
            report.today, report.until
        ),
    };
    out.push_str(&output::paint(&title, Some(output::BOLD), ctx.color));
    out.push('\n');
    if report.renewals.is_empty() {
        out.push_str(lang.pick(
            "这段时间没有续费或到期。",
            "Nothing renews or ends in this window.",
        ));
        return out;
    }
    let mut table = Table::new(
        &[
            lang.pick("日期", "date"),
            lang.pick("天数", "days"),
            lang.pick("编号", "id"),
            lang.pick("平台", "platform"),
            lang.pick("套餐", "plan"),
            lang.pick("金额", "amount"),
            lang.pick("扣费渠道", "charged via"),
        ],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
        ],
    );
    for r in &report.renewals {
        // The ledger is listed by id: a binary search, not a scan per row.
        let Ok(at) = stored.binary_search_by_key(&r.id, |s| s.id) else {
            continue;
        };
        let m = &stored[at].membership;
        let urgency = match r.days_until {
            0..=3 => Some(output::RED),
            4..=7 => Some(output::YELLOW),
            _ => None,
        };
        let (amount, via) = if r.kind == "renewal" || r.kind == "trial_converts" {
            let via = channels_label(m, lang);
            let via = if r.kind == "trial_converts" {
                format!("{}{via}", lang.pick("试用转正 · ", "trial converts · "))
            } else {
                via
            };
            // The price in effect on that day (a price notice applies from its date).
            (r.money.unwrap_or(m.price).to_string(), via)
        } else {
            (
                lang.pick("到期", "ends").to_string(),
                lang.pick("不再续费", "will not renew").to_string(),
            )
        };
        table.row(vec![
            Cell::styled(r.date.to_string(), urgency),
            Cell::styled(r.days_until.to_string(), urgency),
            r.id.to_string().into(),
            m.platform.clone().into(),
            m.plan.clone().into(),
            amount.into(),
            via.into(),
        ]);
    }
    out.push_str(&table.render(ctx.color));
    let totals: Vec<String> = report.totals.iter().map(|t| t.money.to_string()).collect();
    if !totals.is_empty() {
        out.push_str(&match lang {
            Lang::Zh => format!("合计将扣费 {}", totals.join(" + ")),
            Lang::En => format!("Total to be charged: {}", totals.join(" + ")),
        });
    }
    out.trim_end().to_string()
}
