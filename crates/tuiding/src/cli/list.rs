//! `tuiding list`: every membership, one line each.

use super::Term;
use super::output::{self, Align, Cell, Table};
use clap::Args;
use tuiding_app::memberships::MembershipView;
use tuiding_app::memberships::labels::*;
use tuiding_core::Lang;

/// List every membership.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding list\n  tuiding list --json\n  tuiding list --category 视频\n  tuiding --today 2026-11-23 list --lang en"
)]
pub struct ListArgs {
    /// 只列出此类别 / Only this category
    #[arg(long)]
    pub category: Option<String>,
}

impl ListArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let views =
            tuiding_app::memberships::memberships(ctx, self.category.as_deref().map(str::trim))?;
        if ctx.json {
            return output::print_json(&views);
        }
        if views.is_empty() {
            return output::line(ctx.t(
                "账本是空的。用 `tuiding add` 添加会员，或运行 `tuiding demo` 看看示例。",
                "The ledger is empty. Add a membership with `tuiding add`, or run `tuiding demo` to see an example.",
            ));
        }
        output::line(table(ctx, &views).render(ctx.color).trim_end())?;
        output::line(match ctx.lang {
            Lang::Zh => format!("共 {} 个会员（今天 {}）", views.len(), ctx.today),
            Lang::En => format!("{} memberships (today {})", views.len(), ctx.today),
        })
    }
}

fn table(ctx: &Term, views: &[MembershipView]) -> Table {
    let lang = ctx.lang;
    let mut table = Table::new(
        &[
            lang.pick("编号", "id"),
            lang.pick("平台", "platform"),
            lang.pick("套餐", "plan"),
            lang.pick("价格", "price"),
            lang.pick("下次续费/到期", "renews/ends"),
            lang.pick("天数", "days"),
            lang.pick("自动续费", "auto-renew"),
            lang.pick("月均", "monthly"),
        ],
        &[
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Right,
        ],
    );
    for v in views {
        let m = &v.membership;
        let (when, days) = key_date(v, ctx);
        let urgency = days.and_then(|d| match d {
            0..=3 => Some(output::RED),
            4..=7 => Some(output::YELLOW),
            _ => None,
        });
        let dim = matches!(v.status, "ended").then_some(output::DIM);
        let monthly = match m.monthly_cost() {
            Ok(Some(cost)) if m.renews() => cost.to_string(),
            _ => "—".to_string(),
        };
        table.row(vec![
            Cell::styled(v.id.to_string(), dim),
            Cell::styled(m.platform.clone(), dim),
            Cell::styled(m.plan.clone(), dim),
            Cell::styled(price_label(m, lang), dim),
            Cell::styled(when, dim.or(urgency)),
            Cell::styled(
                days.map(|d| d.to_string()).unwrap_or_default(),
                dim.or(urgency),
            ),
            Cell::styled(channels_label(m, lang), dim),
            Cell::styled(monthly, dim),
        ]);
    }
    table
}

/// The next key date as text, and the days until it.
fn key_date(v: &MembershipView, ctx: &Term) -> (String, Option<i64>) {
    let days_to = |d: jiff::civil::Date| tuiding_core::membership::days_between(ctx.today, d);
    match (v.next_renewal, v.ends_on, v.status) {
        (Some(date), _, _) => (date.to_string(), v.days_until_renewal),
        (None, _, "upcoming") => (
            format!("{} {}", ctx.t("开始于", "starts"), v.start),
            Some(days_to(v.start)),
        ),
        (None, Some(end), "ending") => (
            format!("{} {end}", ctx.t("到期", "ends")),
            Some(days_to(end)),
        ),
        (None, Some(end), _) => (format!("{} {end}", ctx.t("已结束", "ended")), None),
        (None, None, _) => (ctx.t("已结束", "ended").to_string(), None),
    }
}
