//! One run of the reminders, for `tuiding remind` and the server's schedule: the reminders due today go
//! through every configured channel once; each (reminder, channel) sent is remembered, and
//! a channel that failed is tried again on the next run.

use serde::Serialize;
use tuiding_app::context::{Backend, Ctx};
use tuiding_app::remind::{self, Outbox, Reminder};

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
    /// Cases whose refund became overdue, recorded by this run.
    pub overdue_recorded: Vec<i64>,
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
/// there are none and `print_without_channels`); remembers each success, and records
/// refunds that became overdue (`due::tick`).
pub fn run_once(
    ctx: &Ctx<impl Backend>,
    dry_run: bool,
    print_without_channels: bool,
) -> anyhow::Result<RunReport> {
    let due = remind::pending(ctx)?;
    let mut report = RunReport {
        dry_run,
        ..RunReport::default()
    };
    if dry_run {
        report.due = due;
        return Ok(report);
    }
    let channels = ctx.config()?.notify;
    let mut outbox = Outbox::open(ctx)?;
    let now = ctx.now();
    for reminder in &due {
        if channels.is_empty() && print_without_channels {
            if outbox.claim(reminder, STDOUT, now)? {
                report.sent.push(sent(STDOUT, reminder));
            }
            continue;
        }
        for channel in &channels {
            let id = channel.id();
            // Claimed before sending, so a second run at the same time skips it; given back
            // when sending fails, so the next run tries again.
            match outbox.claim(reminder, &id, now) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    report.failed.push(failed(&id, reminder, &format!("{e:#}")));
                    continue;
                }
            }
            match crate::send::send(channel, reminder, now.as_millisecond()) {
                Ok(()) => report.sent.push(sent(&id, reminder)),
                Err(e) => {
                    let mut error = format!("{e:#}");
                    if let Err(release) = outbox.release(reminder, &id) {
                        error.push_str(&format!(
                            " (and it could not be marked for a retry: {release})"
                        ));
                    }
                    report.failed.push(failed(&id, reminder, &error));
                }
            }
        }
    }
    report.due = due;
    // What time changed (refunds now overdue) is recorded by this explicit tick, never by a
    // read. It comes after sending: a case that cannot be recorded now must not keep a
    // reminder from going out; it is said, and the next run tries again.
    match tuiding_app::due::tick(ctx) {
        Ok(moved) => report.overdue_recorded = moved,
        Err(e) => ctx.reporter().warn(&format!(
            "{}{e:#}",
            ctx.t(
                "未能记录逾期的退款（下次运行会再试）：",
                "could not record overdue refunds (the next run tries again): "
            )
        )),
    }
    Ok(report)
}

fn failed(channel: &str, r: &Reminder, error: &str) -> Failed {
    Failed {
        channel: channel.to_string(),
        membership_id: r.membership_id,
        error: error.to_string(),
    }
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
