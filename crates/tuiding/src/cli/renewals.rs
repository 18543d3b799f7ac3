//! `tuiding renewals --within 30d`: every charge and service end coming up, with the
//! total that will leave the account per currency.

use super::Term;
use super::output::{self, Align, Cell, Table};
use clap::Args;
use tuiding_app::input;
use tuiding_app::renewals::{self, *};
use tuiding_core::Lang;

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

impl RenewalsArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let until = input::parse_window(&self.within, ctx.today, ctx.lang)?;
        let report = renewals::report(ctx, until)?;
        if self.by_month {
            let months: Vec<MonthTotal> = renewals::by_month(&report)?
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
        output::line(render(ctx, &report))
    }
}

/// The report as text.
pub fn render(ctx: &Term, report: &RenewalsReport) -> String {
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
        let urgency = match r.days_until {
            0..=3 => Some(output::RED),
            4..=7 => Some(output::YELLOW),
            _ => None,
        };
        let (amount, via) = if r.kind == "renewal" || r.kind == "trial_converts" {
            let via = r.via.to_string();
            let via = if r.kind == "trial_converts" {
                format!("{}{via}", lang.pick("试用转正 · ", "trial converts · "))
            } else {
                via
            };
            // The price in effect on that day (a price notice applies from its date).
            (r.money.map(|m| m.to_string()).unwrap_or_default(), via)
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
            r.platform.clone().into(),
            r.plan.clone().into(),
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
