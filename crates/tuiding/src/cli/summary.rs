//! `tuiding summary`: what the memberships that still renew cost per month and per
//! year, per currency and per category. Currencies are never added together.

use super::Term;
use super::output::{self, Align, Table};
use clap::Args;
use tuiding_app::summary::{self, *};
use tuiding_core::Lang;

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

impl SummaryArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let summary = summary::summary(ctx, self.by == Some(By::Member))?;
        if ctx.json {
            return output::print_json(&summary);
        }
        output::line(render(ctx, &summary))
    }
}

/// The summary as text.
pub fn render(ctx: &Term, s: &Summary) -> String {
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
