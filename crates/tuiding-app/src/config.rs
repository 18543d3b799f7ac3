//! `config.toml` in the data directory: settings that apply to every membership — the
//! reminders' lead days and the channels reminders go to (`[[notify]]`).

use serde::Deserialize;

/// `config.toml`: settings that apply to every membership.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Reminders.
    #[serde(default)]
    pub reminders: RemindersConfig,
    /// Where reminders are sent (`[[notify]]`, any number).
    #[serde(default)]
    pub notify: Vec<NotifyChannel>,
}

/// `[reminders]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemindersConfig {
    /// Days before each last safe cancel day (renewal or trial end) to remind.
    #[serde(default = "default_lead_days")]
    pub lead_days: Vec<u32>,
}

impl Default for RemindersConfig {
    fn default() -> RemindersConfig {
        RemindersConfig {
            lead_days: default_lead_days(),
        }
    }
}

fn default_lead_days() -> Vec<u32> {
    tuiding_core::reminder::DEFAULT_LEAD_DAYS.to_vec()
}

/// One channel reminders go to: `[[notify]]` in `config.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum NotifyChannel {
    /// Any URL: a JSON POST with the reminder's fields.
    Webhook { url: String, name: Option<String> },
    /// ntfy (https://ntfy.sh or a self-hosted server).
    Ntfy {
        #[serde(default = "ntfy_server")]
        url: String,
        topic: String,
        /// An access token, for protected topics.
        token: Option<String>,
        name: Option<String>,
    },
    /// Bark (iOS push): the server and the device key.
    Bark {
        #[serde(default = "bark_server")]
        url: String,
        device_key: String,
        name: Option<String>,
    },
    /// A WeCom (企业微信) group robot's webhook URL.
    Wecom { url: String, name: Option<String> },
    /// A DingTalk (钉钉) group robot's webhook URL, and its signing secret if set.
    Dingtalk {
        url: String,
        secret: Option<String>,
        name: Option<String>,
    },
    /// A Feishu / Lark (飞书) group robot's webhook URL, and its signing secret if set.
    Feishu {
        url: String,
        secret: Option<String>,
        name: Option<String>,
    },
    /// E-mail through an SMTP server.
    Smtp {
        host: String,
        /// Default: 465 for `tls`, 587 for `starttls`, 25 for `none`.
        port: Option<u16>,
        /// `tls` (implicit, port 465), `starttls` or `none`.
        #[serde(default = "smtp_tls")]
        tls: String,
        username: Option<String>,
        password: Option<String>,
        from: String,
        to: Vec<String>,
        name: Option<String>,
    },
}

fn ntfy_server() -> String {
    "https://ntfy.sh".into()
}

fn bark_server() -> String {
    "https://api.day.app".into()
}

fn smtp_tls() -> String {
    "tls".into()
}

impl NotifyChannel {
    /// The channel's name in the sent log and in messages: its `name`, else its kind, the
    /// server's host and a digest of the whole address (`wecom:qyapi.weixin.qq.com#1a2b3c4d`).
    /// Robot keys, tokens and device keys live in the address; they never appear in the name.
    pub fn id(&self) -> String {
        let (kind, address, name) = match self {
            NotifyChannel::Webhook { url, name } => ("webhook", url.clone(), name),
            NotifyChannel::Ntfy {
                url, topic, name, ..
            } => (
                "ntfy",
                format!("{}/{topic}", url.trim_end_matches('/')),
                name,
            ),
            NotifyChannel::Bark {
                url,
                device_key,
                name,
            } => ("bark", format!("{url}#{device_key}"), name),
            NotifyChannel::Wecom { url, name } => ("wecom", url.clone(), name),
            NotifyChannel::Dingtalk { url, name, .. } => ("dingtalk", url.clone(), name),
            NotifyChannel::Feishu { url, name, .. } => ("feishu", url.clone(), name),
            NotifyChannel::Smtp { to, name, .. } => ("smtp", to.join(","), name),
        };
        if let Some(name) = name {
            return name.clone();
        }
        if kind == "smtp" {
            return format!("smtp:{address}");
        }
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(address.as_bytes());
        let short: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        format!("{kind}:{}#{short}", host_of(&address))
    }
}

/// The host of a URL (`https://host:port/path?query` → `host:port`).
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    // Credentials in the URL are not part of the host.
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}
