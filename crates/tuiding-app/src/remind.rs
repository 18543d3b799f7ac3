//! The reminders due today (a last safe cancel day coming up, at each
//! of the membership's lead days), worded for the user, and the channels they go to
//! (`[[notify]]` in `config.toml`). Sending is `tuiding-notify`'s job; this module
//! says what is due, so the CLI and the server's schedule send the same reminders.

pub use crate::config::{NotifyChannel, host_of};
use crate::context::{Backend, Ctx};
use crate::due::key_days;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::Lang;
use tuiding_core::reminder::due_lead;
use tuiding_store::ReminderKey;
use tuiding_store::prelude::*;

/// One reminder due today.
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    pub membership_id: i64,
    pub platform: String,
    pub plan: String,
    /// The last safe cancel day.
    pub key_day: Date,
    /// The lead this reminder is for (days before `key_day`).
    pub lead_days: u32,
    pub days_left: i64,
    pub renewal: Date,
    pub trial_converts: bool,
    pub price: String,
    pub currency: &'static str,
    pub title: String,
    pub text: String,
}

impl Reminder {
    /// What identifies it in the sent log.
    pub fn key(&self) -> ReminderKey {
        ReminderKey {
            membership_id: self.membership_id,
            key_day: self.key_day,
            lead_days: self.lead_days,
        }
    }
}

/// The reminders due today, whatever was sent already: for each membership whose last
/// safe cancel day is within its longest lead, the shortest lead whose day has come.
pub fn pending(ctx: &Ctx<impl Backend>) -> anyhow::Result<Vec<Reminder>> {
    let store = ctx.open_store()?;
    let mut out = Vec::new();
    for k in key_days(ctx, &store, None)? {
        let Some(lead) = due_lead(k.last_safe, &k.lead_days, ctx.today) else {
            continue;
        };
        let days_left = (k.last_safe - ctx.today).get_days().into();
        let (renewal, last) = (k.renewal, k.last_safe);
        let name = format!("{} {}", k.platform, k.plan).trim().to_string();
        let days = if days_left == 1 { "day" } else { "days" };
        let (title, text) = match (ctx.lang, k.trial_converts) {
            (Lang::Zh, converts) => (
                format!("退订提醒：{name}，还剩 {days_left} 天"),
                format!(
                    "{name} 将于 {renewal} {} {}。不想继续就在 {last} 前取消（还剩 {days_left} 天）。规则体检：tuiding check {}",
                    if converts {
                        "试用转正扣费"
                    } else {
                        "自动续费"
                    },
                    k.price,
                    k.membership_id
                ),
            ),
            (Lang::En, converts) => (
                format!("tuiding: {name}, {days_left} {days} left to cancel"),
                format!(
                    "{name} {} on {renewal} for {}. Cancel by {last} ({days_left} {days} left) to avoid it. Rule check: tuiding check {}",
                    if converts {
                        "converts from its trial"
                    } else {
                        "renews"
                    },
                    k.price,
                    k.membership_id
                ),
            ),
        };
        out.push(Reminder {
            membership_id: k.membership_id,
            platform: k.platform,
            plan: k.plan,
            key_day: last,
            lead_days: lead,
            days_left,
            renewal,
            trial_converts: k.trial_converts,
            price: k.price.amount_string(),
            currency: k.price.currency().code(),
            title,
            text,
        });
    }
    Ok(out)
}

/// Which reminders went through which channel: each is claimed before it is sent (a run at
/// the same time then skips it) and given back when sending fails (the next run tries
/// again).
pub struct Outbox<S: Store> {
    store: S,
    lang: Lang,
}

impl<S: Store> Outbox<S> {
    /// Opens the outbox of the ledger.
    pub fn open<B: Backend<Store = S>>(ctx: &Ctx<B>) -> anyhow::Result<Outbox<S>> {
        Ok(Outbox {
            store: ctx.open_store()?,
            lang: ctx.lang,
        })
    }

    /// Claims `reminder` for `channel`; false when it was sent (or claimed) already.
    pub fn claim(
        &mut self,
        reminder: &Reminder,
        channel: &str,
        now: jiff::Timestamp,
    ) -> anyhow::Result<bool> {
        use crate::error::Localize;
        self.store
            .claim_reminder(&reminder.key(), channel, now)
            .localize(self.lang)
    }

    /// Gives a claim back after a failed send.
    pub fn release(&mut self, reminder: &Reminder, channel: &str) -> anyhow::Result<()> {
        use crate::error::Localize;
        self.store
            .release_reminder(&reminder.key(), channel)
            .localize(self.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_carry_no_secrets_and_stay_distinct() {
        let robot = |key: &str| NotifyChannel::Wecom {
            url: format!("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={key}"),
            name: None,
        };
        let (a, b) = (robot("SECRET-ONE").id(), robot("SECRET-TWO").id());
        assert!(a.starts_with("wecom:qyapi.weixin.qq.com#"), "{a}");
        assert!(!a.contains("SECRET"));
        assert_ne!(a, b);
        assert_eq!(a, robot("SECRET-ONE").id(), "stable");
        let bark = NotifyChannel::Bark {
            url: "https://api.day.app".into(),
            device_key: "DEVICEKEY".into(),
            name: None,
        };
        assert!(!bark.id().contains("DEVICEKEY"));
        let feishu = NotifyChannel::Feishu {
            url: "https://user:pw@open.feishu.cn/open-apis/bot/v2/hook/TOKEN".into(),
            secret: None,
            name: Some("team".into()),
        };
        assert_eq!(feishu.id(), "team");
        assert_eq!(
            host_of("https://user:pw@open.feishu.cn/x"),
            "open.feishu.cn"
        );
        assert_eq!(host_of("http://127.0.0.1:8080/hook?k=1"), "127.0.0.1:8080");
    }
}
