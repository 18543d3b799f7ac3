//! `tuiding due`: what needs action today — overdue refunds (the case is marked overdue by
//! [`tick`], which `due` runs first; a read alone never writes),
//! last safe cancel days within each membership's reminder lead (7 days by default), the next step of every open case, and charges that
//! arrived after a cancellation.

use super::Term;
use super::output::{self, Align, Table};
use clap::Args;
use tuiding_app::due::*;
use tuiding_core::Lang;

/// What needs action.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding due\n  tuiding due --within 14\n  tuiding --today 2026-12-01 due --json"
)]
pub struct DueArgs {
    /// 提前几天提示最后安全退订日 / Days ahead to show last safe cancel days
    /// [default: each membership's longest reminder lead, see `tuiding reminders`]
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=i64::from(tuiding_core::bounds::MAX_DAYS)))]
    pub within: Option<u32>,
}

impl DueArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        tick(ctx)?;
        let items = items(ctx, self.within)?;
        if ctx.json {
            return output::print_json(&items);
        }
        if items.is_empty() {
            return output::line(ctx.t("今天没有需要处理的事项。", "Nothing needs action today."));
        }
        let mut table = Table::new(
            &[
                ctx.t("日期", "date"),
                ctx.t("事项", "what"),
                ctx.t("会员", "membership"),
                ctx.t("案件", "case"),
                ctx.t("说明", "details"),
            ],
            &[
                Align::Left,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Left,
            ],
        );
        for i in &items {
            let kind = match ctx.lang {
                Lang::Zh => kind_label(i.kind, ctx.lang),
                Lang::En => i.kind,
            };
            let id = |v: Option<i64>| v.map(|v| format!("#{v}")).unwrap_or_default();
            table.row(vec![
                i.date.to_string().into(),
                kind.into(),
                id(i.membership_id).into(),
                id(i.case_id).into(),
                i.text.clone().into(),
            ]);
        }
        output::line(table.render(ctx.color).trim_end())
    }
}
