//! `tuiding reminders ID`: when to be reminded before a membership's last safe cancel day
//! (before a renewal or a trial's conversion): its own lead days, else `[reminders]
//! lead_days` in config.toml, else 7 and 1.

use clap::Args;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::checkup;
use tuiding_core::policy::Policy;
use tuiding_core::reminder::{self, DEFAULT_LEAD_DAYS};
use tuiding_store::{SqliteStore, Store};

use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::output;

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

/// Where the lead days come from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Membership,
    Config,
    BuiltIn,
}

#[derive(Serialize)]
struct View {
    id: i64,
    lead_days: Vec<u32>,
    source: Source,
    /// The last safe cancel day the reminders count back from.
    last_safe_cancel_day: Option<Date>,
    reminders: Vec<ReminderView>,
}

#[derive(Serialize)]
struct ReminderView {
    days_before: u32,
    date: Date,
}

/// Every membership's own lead days and the default, read once per command; the config
/// is read only when a membership without its own days asks.
pub struct LeadDays {
    own: Vec<(i64, Vec<u32>)>,
    default: std::cell::OnceCell<(Vec<u32>, Source)>,
}

impl LeadDays {
    /// Reads the memberships' own lead days.
    pub fn load(ctx: &Ctx, store: &SqliteStore) -> anyhow::Result<LeadDays> {
        Ok(LeadDays {
            own: store.reminder_days().localize(ctx.lang)?,
            default: std::cell::OnceCell::new(),
        })
    }

    /// A membership's lead days and where they come from.
    pub fn of(&self, ctx: &Ctx, id: i64) -> anyhow::Result<(Vec<u32>, Source)> {
        if let Some((_, days)) = self.own.iter().find(|(m, _)| *m == id) {
            return Ok((days.clone(), Source::Membership));
        }
        if let Some(default) = self.default.get() {
            return Ok(default.clone());
        }
        let config = ctx.config()?.reminders.lead_days;
        let config = reminder::normalize(&config).map_err(UserError::failure)?;
        let source = if config == DEFAULT_LEAD_DAYS {
            Source::BuiltIn
        } else {
            Source::Config
        };
        Ok(self.default.get_or_init(|| (config, source)).clone())
    }
}

impl RemindersArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let mut store = ctx.open_store()?;
        let stored = store.membership(self.id).localize(lang)?;
        if self.default {
            store.set_reminder_days(self.id, None).localize(lang)?;
        } else if !self.days.is_empty() {
            let days =
                reminder::normalize(&self.days).map_err(|e| UserError::usage("--days", e))?;
            store
                .set_reminder_days(self.id, Some(&days))
                .localize(lang)?;
        }
        let (lead, source) = LeadDays::load(ctx, &store)?.of(ctx, self.id)?;
        let policy = store
            .policy(self.id)
            .localize(lang)?
            .and_then(|p| Policy::from_toml(&p.text).ok());
        let last = checkup::check(
            &stored.membership,
            policy.as_ref(),
            ctx.today,
            &ctx.calendar()?,
        )
        .ok()
        .and_then(|c| c.last_safe_cancel_day);
        let view = View {
            id: self.id,
            reminders: last
                .map(|d| reminder::reminder_dates(d, &lead))
                .unwrap_or_default()
                .into_iter()
                .map(|(days_before, date)| ReminderView { days_before, date })
                .collect(),
            lead_days: lead,
            source,
            last_safe_cancel_day: last,
        };
        if ctx.json {
            return output::print_json(&view);
        }
        let from = match (source, lang) {
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
