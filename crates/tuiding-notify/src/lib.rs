//! # tuiding-notify
//!
//! Reminders leave the machine here: [`run::run_once`] takes the reminders due today from
//! the application (`tuiding_app::remind`), sends each through every channel of
//! `config.toml` once ([`send`]: a JSON webhook, ntfy, Bark, the WeCom / DingTalk /
//! Feishu group robots, SMTP), and remembers what went out. `tuiding remind` and the
//! schedule inside `tuiding serve` both call it, so they send the same reminders.

pub mod run;
pub mod send;

pub use run::{RunReport, STDOUT, run_once};
