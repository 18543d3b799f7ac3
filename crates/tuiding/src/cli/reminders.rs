//! `tuiding reminders ID`: how many days ahead a membership's reminders come.

use clap::Args;
use tuiding_app::reminders::{self, *};

use super::{Term, output};

/// Reminder lead times.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding reminders 1                  # 查看 / show\n  tuiding reminders 1 --days 14,7,1\n  tuiding reminders 1 --default\n\nconfig.toml（数据目录）/ in the data directory:\n  [reminders]\n  lead_days = [7, 1]"
)]
pub struct RemindersArgs {
    /// 会员编号 / Membership id
    pub id: i64,
    /// 提前几天提醒，逗号分隔 / Days ahead, comma-separated
    #[arg(
        long,
        value_name = "DAYS",
        value_delimiter = ',',
        conflicts_with = "default",
        value_parser = clap::value_parser!(u32).range(0..=i64::from(tuiding_core::bounds::MAX_DAYS))
    )]
    pub days: Vec<u32>,
    /// 恢复默认 / Back to the default
    #[arg(long)]
    pub default: bool,
}

impl RemindersArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let change = if self.default {
            LeadChange::Default
        } else if self.days.is_empty() {
            LeadChange::None
        } else {
            LeadChange::Days(self.days.clone())
        };
        let view = reminders::lead_days(ctx, self.id, &change)?;
        if ctx.json {
            return output::print_json(&view);
        }
        let from = match (view.source, lang) {
            (Source::Membership, tuiding_core::Lang::Zh) => "本会员设置",
            (Source::Config, tuiding_core::Lang::Zh) => "config.toml",
            (Source::BuiltIn, tuiding_core::Lang::Zh) => "默认",
            (Source::Membership, _) => "set for this membership",
            (Source::Config, _) => "config.toml",
            (Source::BuiltIn, _) => "default",
        };
        let days: Vec<String> = view.lead_days.iter().map(u32::to_string).collect();
        let mut lines = vec![format!(
            "#{} {}{}{}",
            self.id,
            ctx.t("提前提醒天数：", "reminds this many days ahead: "),
            days.join(", "),
            output::paren(lang, from)
        )];
        match view.last_safe_cancel_day {
            Some(last) => {
                lines.push(format!(
                    "{}{last}",
                    ctx.t("最后安全退订日：", "last safe cancel day: ")
                ));
                for r in &view.reminders {
                    lines.push(format!(
                        "  {}  {}",
                        r.date,
                        match lang {
                            tuiding_core::Lang::Zh => format!("提前 {} 天", r.days_before),
                            tuiding_core::Lang::En => format!("{} days before", r.days_before),
                        }
                    ));
                }
            }
            None => lines.push(
                ctx.t(
                    "不会再续费，没有需要提醒的日期。",
                    "It will not renew: nothing to remind.",
                )
                .to_string(),
            ),
        }
        output::line(lines.join("\n"))
    }
}
