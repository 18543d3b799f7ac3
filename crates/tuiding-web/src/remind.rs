//! `tuiding remind` and the server's reminder schedule: the reminders due today go
//! through every configured channel once; each (reminder, channel) sent is remembered, and
//! a channel that failed is tried again on the next run.

use serde::Serialize;
use tuiding_app::cmd::remind::{self, Reminder};
use tuiding_app::context::Ctx;
use tuiding_app::error::Localize;
use tuiding_store::Store;

/// The channel name when no channel is configured: the reminder is printed.
pub const STDOUT: &str = "stdout";

/// What one run did.
#[derive(Debug, Serialize, Default)]
pub struct RunReport {
    /// Every reminder due today.
    pub due: Vec<Reminder>,
    /// Sent now (channel, membership, key day, lead).
    pub sent: Vec<Sent>,
    /// Not sent; tried again next run.
    pub failed: Vec<Failed>,
    /// Whether this was a dry run (nothing sent or recorded).
    pub dry_run: bool,
}

/// One reminder sent through one channel.
#[derive(Debug, Serialize)]
pub struct Sent {
    /// The channel.
    pub channel: String,
    /// The membership.
    pub membership_id: i64,
    /// The last safe cancel day.
    pub key_day: jiff::civil::Date,
    /// Days before the key day.
    pub lead_days: u32,
    #[serde(skip)]
    /// The agreement's text.
    pub text: String,
}

/// A send that failed.
#[derive(Debug, Serialize)]
pub struct Failed {
    /// The channel.
    pub channel: String,
    /// The membership.
    pub membership_id: i64,
    /// Why it failed.
    pub error: String,
}

/// Sends what is due through the configured channels (or marks it for printing when
/// there are none and `print_without_channels`); remembers each success.
pub fn run_once(
    ctx: &Ctx,
    dry_run: bool,
    print_without_channels: bool,
) -> anyhow::Result<RunReport> {
    let mut store = ctx.open_store()?;
    let due = remind::pending(ctx, &store)?;
    let mut report = RunReport {
        dry_run,
        ..RunReport::default()
    };
    if dry_run {
        report.due = due;
        return Ok(report);
    }
    let channels = ctx.config()?.notify;
    let now = tuiding_app::clock::now();
    for reminder in &due {
        let key = reminder.key();
        if channels.is_empty() && print_without_channels {
            if store.reminder_was_sent(&key, STDOUT).localize(ctx.lang)? {
                continue;
            }
            store
                .record_reminder_sent(&key, STDOUT, now)
                .localize(ctx.lang)?;
            report.sent.push(sent(STDOUT, reminder));
        }
        for channel in &channels {
            let id = channel.id();
            if store.reminder_was_sent(&key, &id).localize(ctx.lang)? {
                continue;
            }
            match crate::notify::send(channel, reminder, now.as_millisecond()) {
                Ok(()) => {
                    store
                        .record_reminder_sent(&key, &id, now)
                        .localize(ctx.lang)?;
                    report.sent.push(sent(&id, reminder));
                }
                Err(e) => report.failed.push(Failed {
                    channel: id,
                    membership_id: reminder.membership_id,
                    error: format!("{e:#}"),
                }),
            }
        }
    }
    report.due = due;
    Ok(report)
}

fn sent(channel: &str, r: &Reminder) -> Sent {
    Sent {
        channel: channel.to_string(),
        membership_id: r.membership_id,
        key_day: r.key_day,
        lead_days: r.lead_days,
        text: format!("{}\n{}", r.title, r.text),
    }
}
