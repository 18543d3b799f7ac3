//! `tuiding list`: every membership, one line each.

use crate::memberships::MembershipView;
use tuiding_core::{Billing, ContractStatus, Lang, Membership};

/// `¥25.00/月`, `¥198.00 买断`, `赠送`.
pub fn price_label(m: &Membership, lang: Lang) -> String {
    match m.billing {
        Billing::Periodic(period) => format!("{}/{}", m.price, period.label(lang)),
        Billing::OneTime => format!("{} {}", m.price, lang.pick("买断", "once")),
        Billing::Gifted if m.price.is_zero() => lang.pick("赠送", "gifted").to_string(),
        Billing::Gifted => format!("{} {}", m.price, lang.pick("赠送", "gifted")),
    }
}

/// Channels that can still charge: `微信支付, 支付宝?` (a `?` marks unknown).
pub fn channels_label(m: &Membership, lang: Lang) -> String {
    let open: Vec<String> = m
        .auto_renew
        .iter()
        .filter_map(|c| match c.status {
            ContractStatus::Active => Some(c.channel.label(lang).to_string()),
            ContractStatus::Unknown => Some(format!("{}?", c.channel.label(lang))),
            ContractStatus::Closed(_) => None,
        })
        .collect();
    match (open.is_empty(), m.auto_renew.is_empty()) {
        (false, _) => open.join(", "),
        (true, true) => "—".into(),
        (true, false) => lang.pick("已全部关闭", "all closed").into(),
    }
}

/// The status in words, with its date.
pub fn status_label(v: &MembershipView, lang: Lang) -> String {
    match (v.status, v.ends_on) {
        ("active", _) => lang.pick("续费中", "renewing").into(),
        ("trial", _) => match v.trial_until {
            Some(day) => match lang {
                Lang::Zh => format!("试用中，{day} 转正扣费"),
                Lang::En => format!("trial; converts on {day}"),
            },
            None => lang.pick("试用中", "trial").into(),
        },
        ("upcoming", _) => lang.pick("未开始", "not started").into(),
        ("ending", Some(end)) => format!(
            "{} {end}",
            lang.pick("不再续费，服务至", "will not renew; service until")
        ),
        ("ended", Some(end)) => format!("{} {end}", lang.pick("已结束于", "ended on")),
        _ => lang
            .pick("已结束（无到期日）", "ended (no end date known)")
            .into(),
    }
}
