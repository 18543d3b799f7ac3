//! `tuiding reminders ID`: when to be reminded before a membership's last safe cancel day
//! (before a renewal or a trial's conversion): its own lead days, else `[reminders]
//! lead_days` in config.toml, else 7 and 1.

use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::checkup;
use tuiding_core::policy::Policy;
use tuiding_core::reminder::{self, DEFAULT_LEAD_DAYS};
use tuiding_store::prelude::*;

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};

/// Where the lead days come from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Membership,
    Config,
    BuiltIn,
}

/// A membership's reminder lead days and the dates they give.
#[derive(Serialize)]
pub struct View {
    pub id: i64,
    pub lead_days: Vec<u32>,
    pub source: Source,
    /// The last safe cancel day the reminders count back from.
    pub last_safe_cancel_day: Option<Date>,
    pub reminders: Vec<ReminderView>,
}

#[derive(Serialize)]
pub struct ReminderView {
    pub days_before: u32,
    pub date: Date,
}

/// Every membership's own lead days and the default, read once per command; the config
/// is read only when a membership without its own days asks.
pub struct LeadDays {
    own: Vec<(i64, Vec<u32>)>,
    default: std::cell::OnceCell<(Vec<u32>, Source)>,
}

impl LeadDays {
    /// Reads the memberships' own lead days.
    pub fn load(ctx: &Ctx<impl Backend>, store: &impl Store) -> anyhow::Result<LeadDays> {
        Ok(LeadDays {
            own: store.reminder_days().localize(ctx.lang)?,
            default: std::cell::OnceCell::new(),
        })
    }

    /// A membership's lead days and where they come from.
    pub fn of(&self, ctx: &Ctx<impl Backend>, id: i64) -> anyhow::Result<(Vec<u32>, Source)> {
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

/// A change to a membership's reminder lead days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadChange {
    /// Only read them.
    None,
    /// Its own days ahead.
    Days(Vec<u32>),
    /// Back to the default (config.toml or built in).
    Default,
}

/// Membership `id`'s reminder lead days after `change`, with the reminder dates they give
/// before its next last safe cancel day (`tuiding reminders`).
pub fn lead_days(ctx: &Ctx<impl Backend>, id: i64, change: &LeadChange) -> anyhow::Result<View> {
    let lang = ctx.lang;
    let mut store = ctx.open_store()?;
    let stored = store.membership(id).localize(lang)?;
    if *change == LeadChange::Default {
        store.set_reminder_days(id, None).localize(lang)?;
    } else if let LeadChange::Days(days) = change {
        let days = reminder::normalize(days).map_err(|e| UserError::usage("--days", e))?;
        store.set_reminder_days(id, Some(&days)).localize(lang)?;
    }
    let (lead, source) = LeadDays::load(ctx, &store)?.of(ctx, id)?;
    let policy = store
        .policy(id)
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
        id,
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
    Ok(view)
}
