//! Playbooks: for each channel, the paths to close an auto-renewal (with their sources and
//! variants), what success looks like, and which evidence proves it; and the steps a case
//! gets, generated from the membership's contracts and policy.
//!
//! Shipped in `data/playbooks/` (embedded); a user's file of the same channel name in the
//! data directory replaces a shipped one (see [`Playbooks::insert`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::membership::{Billing, Channel, Membership};
use crate::policy::{Policy, RefundMethod};
use crate::refund::Line;

const EMBEDDED: &[&str] = &[
    include_str!("../../../data/playbooks/alipay.toml"),
    include_str!("../../../data/playbooks/app_store.toml"),
    include_str!("../../../data/playbooks/bank_card.toml"),
    include_str!("../../../data/playbooks/carrier.toml"),
    include_str!("../../../data/playbooks/customer_service.toml"),
    include_str!("../../../data/playbooks/google_play.toml"),
    include_str!("../../../data/playbooks/huawei.toml"),
    include_str!("../../../data/playbooks/in_app.toml"),
    include_str!("../../../data/playbooks/other.toml"),
    include_str!("../../../data/playbooks/wechat_pay.toml"),
];

/// One way to reach the cancel button, with where the path comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathVariant {
    /// The taps, `→`-separated.
    pub steps: String,
    /// The source and its date.
    pub source: String,
}

/// A platform's own in-app path.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformPath {
    /// The platform, as in the ledger (爱奇艺, 腾讯视频 …).
    pub name: String,
    /// The taps.
    pub steps: String,
    /// The source and its date.
    pub source: String,
}

/// A channel's playbook.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// `in_app`, `wechat_pay`, … or `customer_service`.
    pub channel: String,
    /// What to do (zh).
    pub title: String,
    /// What to do (en).
    pub title_en: String,
    /// What success looks like (zh).
    pub success: String,
    /// What success looks like (en).
    pub success_en: String,
    /// Evidence that proves it: `kind|what`, kind being operation, communication or payment.
    pub evidence: Vec<String>,
    /// The same evidence in English, in the same order (text only, no kind).
    #[serde(default)]
    pub evidence_en: Vec<String>,
    /// Paths, most common first.
    #[serde(default)]
    pub path: Vec<PathVariant>,
    /// Platform-specific in-app paths.
    #[serde(default)]
    pub platform: Vec<PlatformPath>,
}

/// The three groups of evidence a dispute needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceKind {
    /// What the user did (screenshots of cancelling, closing channels).
    Operation,
    /// What was said (chat records, written confirmations, notices).
    Communication,
    /// Money (payment orders, charge and refund notices, bills).
    Payment,
}

impl EvidenceKind {
    /// Every kind.
    pub const ALL: [EvidenceKind; 3] = [
        EvidenceKind::Operation,
        EvidenceKind::Communication,
        EvidenceKind::Payment,
    ];

    /// `operation`, `communication` or `payment`.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Operation => "operation",
            EvidenceKind::Communication => "communication",
            EvidenceKind::Payment => "payment",
        }
    }

    /// Reads [`EvidenceKind::as_str`].
    pub fn parse(text: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
    }

    /// A name for people.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            EvidenceKind::Operation => lang.pick("操作记录", "operation records"),
            EvidenceKind::Communication => lang.pick("沟通记录", "communication records"),
            EvidenceKind::Payment => lang.pick("支付凭证", "payment vouchers"),
        }
    }
}

/// Evidence a step asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceHint {
    /// Which group.
    pub kind: EvidenceKind,
    /// What to capture.
    pub what: Line,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// A stable id: `check_rules`, `cancel:in_app`, `close:wechat_pay`, `contact_support`,
    /// `request_refund`, `confirm_in_writing`.
    pub id: String,
    /// What to do.
    pub title: Line,
    /// How, most likely path first.
    pub paths: Vec<PathVariant>,
    /// What success looks like.
    pub success: Line,
    /// The evidence that proves it.
    pub evidence: Vec<EvidenceHint>,
    /// Warnings and advice for this step.
    pub notes: Vec<Line>,
}

/// The playbooks by channel.
#[derive(Debug, Clone, Default)]
pub struct Playbooks {
    by_channel: BTreeMap<String, Playbook>,
}

impl Playbooks {
    /// The shipped playbooks.
    pub fn embedded() -> Playbooks {
        let mut p = Playbooks::default();
        for text in EMBEDDED {
            p.insert(text)
                .expect("shipped playbooks are valid (unit test)");
        }
        p
    }

    /// Adds (or replaces, by channel) a playbook written in TOML.
    pub fn insert(&mut self, text: &str) -> Result<(), String> {
        let playbook: Playbook = toml::from_str(text).map_err(|e| e.to_string())?;
        for e in &playbook.evidence {
            let (kind, _) = e
                .split_once('|')
                .ok_or_else(|| format!("evidence {e:?}: write it as kind|what"))?;
            EvidenceKind::parse(kind).ok_or_else(|| {
                format!("evidence {e:?}: kind must be operation, communication or payment")
            })?;
        }
        self.by_channel.insert(playbook.channel.clone(), playbook);
        Ok(())
    }

    /// A channel's playbook.
    pub fn get(&self, channel: &str) -> Option<&Playbook> {
        self.by_channel.get(channel)
    }

    /// The steps for cancelling `m`, from its contracts and policy.
    pub fn steps_for(&self, m: &Membership, policy: Option<&Policy>) -> Vec<Step> {
        let mut steps = vec![Step {
            id: "check_rules".into(),
            title: Line::new(
                "规则体检：看清退款规则、最后安全退订日和要关闭的渠道",
                "Rule check: the refund terms, the last safe cancel day and the channels to close",
            ),
            paths: vec![PathVariant {
                steps: "tuiding check <ID>".into(),
                source: "tuiding".into(),
            }],
            success: Line::new(
                "知道能退多少、哪天前必须关闭、要关哪些渠道。",
                "You know the refund, the deadline and every channel to close.",
            ),
            evidence: vec![EvidenceHint {
                kind: EvidenceKind::Operation,
                what: Line::new(
                    "会员服务协议/自动续费规则原文或截图（含日期）",
                    "The membership agreement or auto-renewal rules, as text or screenshots (dated)",
                ),
            }],
            notes: Vec::new(),
        }];
        let paid_directly = matches!(m.billing, Billing::Periodic(_));
        if paid_directly {
            // Closed contracts keep their step so a case shows it done rather than losing it.
            let mut channels: Vec<Channel> = m.auto_renew.iter().map(|c| c.channel).collect();
            if m.auto_renew.is_empty() {
                channels.push(Channel::InApp);
            }
            for channel in channels {
                steps.push(self.channel_step(m, channel));
            }
        } else {
            steps.push(self.support_step(m));
        }
        let refund_expected = policy
            .and_then(Policy::method)
            .is_none_or(|method| method != RefundMethod::None);
        if refund_expected {
            let mut notes = Vec::new();
            if m.benefits.iter().any(|b| b.redeemed > 0) {
                notes.push(Line::new(
                    "已使用部分权益：申请按未使用部分退款，并附上显示剩余权益的截图。",
                    "Some benefits were used: ask for a refund of the unused part, with a screenshot of what is left.",
                ));
            }
            steps.push(Step {
                id: "request_refund".into(),
                title: Line::new(
                    "申请退款：写明金额、计算依据和到账期限",
                    "Request the refund: the amount, how it is computed, and by when",
                ),
                paths: self
                    .get("customer_service")
                    .map(|p| p.path.clone())
                    .unwrap_or_default(),
                success: Line::new(
                    "平台给出退款金额和到账日期（书面）。",
                    "The platform states the amount and the date, in writing.",
                ),
                evidence: vec![
                    EvidenceHint {
                        kind: EvidenceKind::Communication,
                        what: Line::new(
                            "退款申请记录（聊天或工单截图）",
                            "The refund request (chat or ticket screenshots)",
                        ),
                    },
                    EvidenceHint {
                        kind: EvidenceKind::Payment,
                        what: Line::new(
                            "原支付订单截图（订单号、金额、时间）",
                            "Screenshot of the original payment (order number, amount, time)",
                        ),
                    },
                ],
                notes,
            });
        }
        steps.push(Step {
            id: "confirm_in_writing".into(),
            title: Line::new("把聊天中的承诺变成书面确认", "Turn every promise made in chat into a written confirmation"),
            paths: Vec::new(),
            success: Line::new("客服通过邮件、短信或工单确认：已取消、不会再扣费、退款金额和日期。", "Customer service confirms by e-mail, SMS or ticket: cancelled, no further charges, the refund amount and date."),
            evidence: vec![EvidenceHint { kind: EvidenceKind::Communication, what: Line::new("书面确认（邮件、短信或工单）", "Written confirmation (e-mail, SMS or ticket)") }],
            notes: Vec::new(),
        });
        steps
    }

    fn channel_step(&self, m: &Membership, channel: Channel) -> Step {
        let playbook = self.get(channel.as_str()).or_else(|| self.get("other"));
        let mut paths: Vec<PathVariant> = Vec::new();
        if channel == Channel::InApp
            && let Some(p) = playbook
        {
            paths.extend(
                p.platform
                    .iter()
                    .filter(|pp| m.platform.contains(&pp.name) || pp.name.contains(&m.platform))
                    .map(|pp| PathVariant {
                        steps: pp.steps.clone(),
                        source: pp.source.clone(),
                    }),
            );
        }
        if let Some(p) = playbook {
            paths.extend(p.path.iter().cloned());
        }
        let mut notes = Vec::new();
        if channel == Channel::InApp {
            notes.push(Line::new(
                "只在应用内关闭，可能只停了提醒：支付渠道的扣费协议还要分别关闭。",
                "Closing in the app may only stop the reminder: close each payment channel's agreement too.",
            ));
        }
        if channel == Channel::AppStore {
            notes.push(Line::new(
                "至少在本期结束前 24 小时取消。",
                "Cancel at least 24 hours before the period ends.",
            ));
        }
        let id = if channel == Channel::InApp {
            "cancel:in_app".to_string()
        } else {
            format!("close:{}", channel.as_str())
        };
        Step {
            id,
            title: playbook.map_or_else(
                || {
                    Line::new(
                        format!("在{}取消自动扣费", channel.label(crate::Lang::Zh)),
                        format!("Cancel the charge at {}", channel.label(crate::Lang::En)),
                    )
                },
                |p| Line::new(p.title.clone(), p.title_en.clone()),
            ),
            paths,
            success: playbook.map_or_else(
                || Line::new("", ""),
                |p| Line::new(p.success.clone(), p.success_en.clone()),
            ),
            evidence: playbook.map(hints).unwrap_or_default(),
            notes,
        }
    }

    fn support_step(&self, m: &Membership) -> Step {
        let p = self.get("customer_service");
        let note = match m.billing {
            Billing::Gifted => Line::new(
                "赠送/活动会员通常没有退订按钮：请客服取消，并确认活动结束后不会转为付费续费。",
                "Gifted members usually have no cancel button: have customer service cancel, and confirm it will not turn into a paid renewal.",
            ),
            _ => Line::new(
                "买断会员没有自动续费可关：退款只能向客服申请。",
                "A buy-out has no auto-renewal to close: a refund can only be requested from customer service.",
            ),
        };
        Step {
            id: "contact_support".into(),
            title: p.map_or_else(
                || Line::new("联系客服办理", "Contact customer service"),
                |p| Line::new(p.title.clone(), p.title_en.clone()),
            ),
            paths: p.map(|p| p.path.clone()).unwrap_or_default(),
            success: p.map_or_else(
                || Line::new("", ""),
                |p| Line::new(p.success.clone(), p.success_en.clone()),
            ),
            evidence: p.map(hints).unwrap_or_default(),
            notes: vec![note],
        }
    }
}

fn hints(p: &Playbook) -> Vec<EvidenceHint> {
    p.evidence
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let (kind, what) = e.split_once('|')?;
            // A playbook without English text shows the Chinese rather than nothing.
            let en = p.evidence_en.get(i).map_or(what, String::as_str);
            Some(EvidenceHint {
                kind: EvidenceKind::parse(kind)?,
                what: Line::new(what, en),
            })
        })
        .collect()
}

/// The auto-renew channel a step closes (`cancel:in_app`, `close:<channel>`), the inverse
/// of the ids [`Playbooks::steps_for`] gives channel steps.
pub fn channel_of_step(step_id: &str) -> Option<Channel> {
    match step_id {
        "cancel:in_app" => Some(Channel::InApp),
        s => s.strip_prefix("close:").and_then(|c| c.parse().ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::{AutoRenewContract, Benefit, ContractStatus};
    use crate::money::{Currency, Money};
    use crate::period::Period;
    use jiff::civil::date;

    fn member() -> Membership {
        Membership {
            platform: "爱奇艺".into(),
            plan: "黄金VIP".into(),
            billing: Billing::Periodic(Period::month()),
            price: Money::from_minor(2500, Currency::CNY),
            start: date(2026, 1, 31),
            paid_through: None,
            trial_until: None,
            auto_renew: vec![
                AutoRenewContract {
                    channel: Channel::InApp,
                    status: ContractStatus::Active,
                },
                AutoRenewContract {
                    channel: Channel::WechatPay,
                    status: ContractStatus::Active,
                },
                AutoRenewContract {
                    channel: Channel::AppStore,
                    status: ContractStatus::Unknown,
                },
                AutoRenewContract {
                    channel: Channel::Alipay,
                    status: ContractStatus::Closed(date(2026, 5, 1)),
                },
            ],
            benefits: vec![],
            category: None,
            notes: None,
        }
    }

    #[test]
    fn shipped_playbooks_cover_every_channel() {
        let p = Playbooks::embedded();
        for channel in Channel::ALL {
            assert!(p.get(channel.as_str()).is_some(), "{channel}");
        }
        assert!(p.get("customer_service").is_some());
        for name in Channel::ALL
            .map(Channel::as_str)
            .into_iter()
            .chain(["customer_service"])
        {
            let book = p.get(name).unwrap();
            assert_eq!(
                book.evidence_en.len(),
                book.evidence.len(),
                "{name}: English evidence text"
            );
        }
        assert!(
            p.get("in_app")
                .unwrap()
                .platform
                .iter()
                .any(|pp| pp.name == "爱奇艺")
        );
    }

    #[test]
    fn steps_follow_the_contracts_and_policy() {
        let p = Playbooks::embedded();
        let steps = p.steps_for(&member(), None);
        let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "check_rules",
                "cancel:in_app",
                "close:wechat_pay",
                "close:app_store",
                // Already closed: kept, so a case shows it done instead of dropping it.
                "close:alipay",
                "request_refund",
                "confirm_in_writing"
            ]
        );
        assert!(
            steps[1].paths[0].steps.contains("会员管理"),
            "the platform's own path first"
        );
        assert!(steps[3].notes[0].zh.contains("24 小时"));
        let none = Policy::from_toml("[refund]\nmethod = \"none\"\n").unwrap();
        let ids: Vec<String> = p
            .steps_for(&member(), Some(&none))
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert!(!ids.contains(&"request_refund".to_string()));
        let mut gifted = member();
        gifted.billing = Billing::Gifted;
        gifted.benefits.push(Benefit {
            name: "券".into(),
            unit_value: None,
            quantity: 2,
            redeemed: 1,
        });
        let steps = p.steps_for(&gifted, None);
        assert_eq!(steps[1].id, "contact_support");
        assert!(
            steps
                .iter()
                .find(|s| s.id == "request_refund")
                .unwrap()
                .notes[0]
                .zh
                .contains("未使用部分")
        );
    }

    #[test]
    fn bad_playbooks_are_refused() {
        let mut p = Playbooks::default();
        assert!(p.insert("channel = \"x\"\ntitle = \"t\"\ntitle_en = \"t\"\nsuccess = \"s\"\nsuccess_en = \"s\"\nevidence = [\"photo|x\"]\n").is_err());
    }
}
