//! The rule check (规则体检): everything to know before touching a cancel button, for
//! cancelling on a given day, and the advice that follows — cancel now, keep until the
//! period ends, or have customer service act — with the numbers behind it.
//!
//! Pure: the membership, its policy (if any), the date and the working-day calendar
//! come in; a [`Checkup`] comes out.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::calendar::WorkCalendar;
use crate::i18n::Lang;
use crate::membership::{
    Billing, Channel, ContractStatus, Membership, MembershipError, MembershipStatus,
};
use crate::money::{Money, Rounding};
use crate::period::PeriodSpan;
use crate::policy::Policy;
use crate::refund::{Line, Refund, RefundError};

/// One auto-renew contract that must be closed, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelToClose {
    /// Where.
    pub channel: Channel,
    /// Active or unknown.
    pub status: ContractStatus,
    /// The usual path to close it (paths change; see the playbooks).
    pub how: Line,
}

/// A benefit that cancelling voids.
#[derive(Debug, Clone, PartialEq)]
pub struct VoidedBenefit {
    /// Its name.
    pub name: String,
    /// Units not yet redeemed.
    pub remaining: u32,
    /// Their value, when the unit value is known.
    pub value: Option<Money>,
}

/// When the refund should arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundEta {
    /// The day the refund is requested (the cancel day).
    pub requested_on: Date,
    /// The earliest promised arrival (working days after the request).
    pub earliest: Option<Date>,
    /// The latest promised arrival.
    pub latest: Option<Date>,
    /// After this day the refund is overdue.
    pub overdue_after: Option<Date>,
}

/// A warning, risk or missing fact, with a stable code for machines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// A stable identifier, e.g. `in_app_is_not_enough`.
    pub code: &'static str,
    /// The text.
    pub line: Line,
}

pub use crate::decision::{Advice, AdviceAction, BenefitsValue, Choice, Intent};

/// The refund if cancelled on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurvePoint {
    /// The cancel day.
    pub date: Date,
    /// The refund (the claimed reading).
    pub amount: Money,
    /// Why this day: `today`, `week`, `last_safe_day`, `zero`, `period_end`.
    pub label: &'static str,
}

/// The refund under one reading of an ambiguous refund clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingRefund {
    /// The method this reading applies.
    pub method: crate::policy::RefundMethod,
    /// The refund under it.
    pub amount: Money,
    /// Whether this is the reading claimed (the one that favours the user).
    pub claimed: bool,
    /// The arithmetic.
    pub lines: Vec<Line>,
}

/// What the rule check knows beyond the membership and its policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct Situation<'a> {
    /// Whether the user is leaving.
    pub intent: Intent,
    /// The membership's recorded price changes (a notice changes the price from its day).
    pub price_changes: &'a [crate::price::PriceChange],
    /// Whether to fill in `refund_curve` (a refund per week ahead): wanted where the check is
    /// shown, not where many memberships are checked for a date or an advice.
    pub with_curve: bool,
}

/// The result of the rule check.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkup {
    /// The day cancelling is considered for.
    pub on: Date,
    /// How it bills.
    pub billing: Billing,
    /// Where it stands on that day.
    pub status: MembershipStatus,
    /// The paid period containing the day.
    pub current_period: Option<PeriodSpan>,
    /// The next charge.
    pub next_renewal: Option<Date>,
    /// The last day on which cancelling still avoids the next charge.
    pub last_safe_cancel_day: Option<Date>,
    /// The cut-off applied, in hours before the renewal.
    pub cancel_cutoff_hours: u32,
    /// Every contract that can still charge.
    pub channels_to_close: Vec<ChannelToClose>,
    /// The refund for cancelling that day, when the terms allow computing it.
    pub refund: Option<Refund>,
    /// Benefits that cancelling voids.
    pub voided_benefits: Vec<VoidedBenefit>,
    /// When the refund should arrive.
    pub refund_eta: Option<RefundEta>,
    /// Things that can cost money if ignored.
    pub warnings: Vec<Notice>,
    /// Situations that make leaving harder.
    pub risks: Vec<Notice>,
    /// Facts the check needed but did not have, and where to find them.
    pub missing_facts: Vec<Notice>,
    /// The user's intent the decision was made for.
    pub intent: Intent,
    /// The refund on the key days ahead (today, weekly, the last safe day, the day it
    /// reaches zero, the period's last day); never rising.
    pub refund_curve: Vec<CurvePoint>,
    /// The first day of the period on which the refund is zero.
    pub refund_zero_on: Option<Date>,
    /// Unused benefits and what cancelling does to them.
    pub benefits: BenefitsValue,
    /// One per reading when the refund clause can be read more than one way.
    pub readings: Vec<ReadingRefund>,
    /// The options, best net first.
    pub options: Vec<Choice>,
    /// What to do: the best option.
    pub advice: Advice,
}

pub(crate) fn notice(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Notice {
    Notice {
        code,
        line: Line::new(zh, en),
    }
}

/// A warning when the renewal price is above the first price paid (the "cheap first
/// period, full price later" pattern), with how much more that is a year.
pub fn price_rise_notice(m: &Membership, first_paid: Money) -> Option<Notice> {
    let more = crate::price::yearly_rise(m, first_paid).ok().flatten()?;
    Some(notice(
        "price_rose",
        format!(
            "续费价 {} 高于首次支付的 {first_paid}：每年多付 {more}。首期优惠后按原价续费是常见纠纷；不想按新价续就在最后安全退订日前取消。",
            m.price
        ),
        format!(
            "The renewal price {} is above the {first_paid} first paid: {more} more a year. A cheap first period renewing at full price is a common dispute; cancel before the last safe day if the new price is not worth it.",
            m.price
        ),
    ))
}

/// The usual path to close auto-renewal at a channel (from rules-and-paths.md §2).
pub fn close_path(channel: Channel) -> Line {
    match channel {
        Channel::InApp => Line::new(
            "在应用内：我的 → 会员中心 → 自动续费管理 → 关闭（各平台路径不同）",
            "In the app: Me → Membership centre → Manage auto-renew → Turn off (paths differ by platform)",
        ),
        Channel::WechatPay => Line::new(
            "微信：我 → 服务 → 钱包 → 支付设置 → 自动续费 → 选择该服务 → 关闭服务",
            "WeChat: Me → Services → Wallet → Payment settings → Auto-renew → the service → Close service",
        ),
        Channel::Alipay => Line::new(
            "支付宝：我的 → 设置 → 支付设置 → 免密支付/自动扣款 → 选择该服务 → 关闭服务",
            "Alipay: Me → Settings → Payment settings → Auto-deduct → the service → Close service",
        ),
        Channel::AppStore => Line::new(
            "iPhone：设置 → 你的名字（Apple ID）→ 订阅 → 选择该应用 → 取消订阅（至少提前 24 小时）",
            "iPhone: Settings → your name (Apple ID) → Subscriptions → the app → Cancel subscription (at least 24 h ahead)",
        ),
        Channel::GooglePlay => Line::new(
            "Google Play：头像 → 付款和订阅 → 订阅 → 选择该应用 → 取消订阅",
            "Google Play: avatar → Payments & subscriptions → Subscriptions → the app → Cancel",
        ),
        Channel::Huawei => Line::new(
            "华为：设置 → 华为账号 → 付款与账单 → 自动续费 → 取消订阅",
            "Huawei: Settings → HUAWEI ID → Payments & billing → Auto-renew → Cancel",
        ),
        Channel::Carrier => Line::new(
            "话费代扣：联系运营商（如 10086）取消该业务",
            "Phone-bill deduction: ask the carrier (e.g. 10086) to cancel the service",
        ),
        Channel::BankCard => Line::new(
            "银行卡：联系发卡行，撤销该商户的代扣/自动扣款授权",
            "Bank card: ask the issuing bank to revoke the merchant's recurring-debit authorisation",
        ),
        Channel::Other => Line::new(
            "在签约的渠道取消自动扣款授权，并截图保存",
            "Revoke the recurring-charge authorisation where it was signed, and keep a screenshot",
        ),
    }
}

/// Runs the rule check for cancelling `m` on `on` (intent undecided, no price history).
pub fn check(
    m: &Membership,
    policy: Option<&Policy>,
    on: Date,
    calendar: &WorkCalendar,
) -> Result<Checkup, MembershipError> {
    check_with(m, policy, on, calendar, &Situation::default())
}

/// Runs the rule check for cancelling `m` on `on`, for a user whose intent and price
/// history are known.
pub fn check_with(
    m: &Membership,
    policy: Option<&Policy>,
    on: Date,
    calendar: &WorkCalendar,
    situation: &Situation,
) -> Result<Checkup, MembershipError> {
    let mut warnings = Vec::new();
    let mut risks = Vec::new();
    let mut missing = Vec::new();

    let status = m.status(on)?;
    let next_renewal = m.next_renewal(on)?;
    let cutoff = cutoff_hours(m, policy, &mut warnings);
    let last_safe_cancel_day = match next_renewal {
        Some(renewal) => Some(last_safe_day(renewal, cutoff)?),
        None => None,
    };
    if let (Some(last), Some(renewal)) = (last_safe_cancel_day, next_renewal)
        && on > last
    {
        warnings.push(notice(
            "past_last_safe_day",
            format!("已过最后安全退订日 {last}：{renewal} 的续费可能已无法避免。仍请立即关闭所有渠道，并要求退还这笔续费。"),
            format!("The last safe cancel day {last} has passed: the renewal on {renewal} may no longer be avoidable. Close every channel now anyway and ask for that charge back."),
        ));
    }

    if let (MembershipStatus::Trial(converts), Some(last)) = (status, last_safe_cancel_day) {
        warnings.push(notice(
            "trial_converts",
            format!("试用期 {converts} 转正，自动扣费 {}。不想付费就在 {last}（含）前关闭所有渠道，一分钱都不用花。", m.price),
            format!("The trial converts on {converts} and charges {}. Close every channel by {last} to pay nothing.", m.price),
        ));
    }
    let channels_to_close = channels(m, &mut warnings, &mut missing);
    let current_period = m.current_period(on)?;
    let outlook = crate::outlook::Outlook::new(m, policy, situation.price_changes);
    let in_trial = matches!(status, MembershipStatus::Trial(_));
    let readings = if in_trial {
        Vec::new()
    } else {
        refund_for(&outlook, on, &mut missing)
    };
    let refund = crate::refund::claimed(&readings).cloned();
    let voided_benefits = voided(m, policy, &mut risks);
    let refund_eta = eta(
        policy,
        on,
        refund.as_ref(),
        calendar,
        &mut warnings,
        &mut missing,
    );
    billing_risks(m, policy, &mut risks);
    let reading_views = outlook.reading_views(&readings);
    if reading_views.len() > 1 {
        risks.push(crate::outlook::ambiguity_notice(&reading_views));
    }
    let (refund_curve, refund_zero_on) = match (&refund, current_period) {
        (Some(_), Some(span)) if situation.with_curve => {
            outlook.curve(on, span, last_safe_cancel_day)
        }
        (Some(_), Some(span)) => (Vec::new(), outlook.zero_day(span)),
        _ => (Vec::new(), None),
    };
    let benefits = outlook.benefits(on, refund.as_ref());
    let renewal_price = next_renewal.map_or(m.price, |d| outlook.price_on(d));
    let (hypotheses, missing_lines) = if refund.is_none() && !in_trial {
        outlook.hypotheses(on, &missing)
    } else {
        (Vec::new(), Vec::new())
    };
    let refund_tomorrow = on
        .tomorrow()
        .ok()
        .and_then(|d| outlook.refund_on(d))
        .filter(|_| refund.is_some());
    let facts = crate::decision::Facts {
        m,
        on,
        status,
        intent: situation.intent,
        next_renewal,
        last_safe: last_safe_cancel_day,
        // A gifted plan was not paid for: its service left is worth nothing in cash.
        period: current_period.map(|s| match m.billing {
            Billing::Gifted => (s, Money::zero(m.price.currency())),
            _ => (s, outlook.paid_for(on)),
        }),
        refund: refund.as_ref().map(|r| r.amount),
        refund_tomorrow,
        zero_on: refund_zero_on,
        // Only an unknown refund is estimated.
        estimate: refund.is_none().then(|| outlook.estimate(on)).flatten(),
        hypotheses: &hypotheses,
        missing: &missing_lines,
        benefits: &benefits,
        renewal_price,
    };
    let (options, advice) = crate::decision::decide(&facts);
    Ok(Checkup {
        on,
        billing: m.billing,
        status,
        current_period,
        next_renewal,
        last_safe_cancel_day,
        cancel_cutoff_hours: cutoff,
        channels_to_close,
        refund,
        voided_benefits,
        refund_eta,
        warnings,
        risks,
        missing_facts: missing,
        intent: situation.intent,
        refund_curve,
        refund_zero_on,
        benefits,
        readings: reading_views,
        options,
        advice,
    })
}

/// The cut-off in hours that `last_safe_day` needs, without the rest of the check: the
/// policy's, but at least 24 when the App Store can charge (Apple renews within the 24
/// hours before the period ends).
pub fn effective_cutoff_hours(m: &Membership, policy: Option<&Policy>) -> u32 {
    let stated = policy.map_or(0, Policy::cancel_cutoff_hours);
    let app_store = m
        .contract(Channel::AppStore)
        .is_some_and(|c| c.status.can_charge());
    if app_store { stated.max(24) } else { stated }
}

/// The cut-off: the policy's, but at least 24 h when the App Store can charge (Apple
/// renews within the 24 hours before the period ends).
fn cutoff_hours(m: &Membership, policy: Option<&Policy>, warnings: &mut Vec<Notice>) -> u32 {
    let stated = policy.map_or(0, Policy::cancel_cutoff_hours);
    let hours = effective_cutoff_hours(m, policy);
    if hours > stated {
        warnings.push(notice(
            "app_store_24h",
            "App Store 在周期结束前 24 小时内扣费：至少提前 24 小时取消。",
            "The App Store charges within the 24 hours before the period ends: cancel at least 24 hours ahead.",
        ));
    }
    hours
}

/// The day before the renewal, earlier by the cut-off rounded up to whole days (the whole
/// day must be safe).
pub fn last_safe_day(renewal: Date, cutoff_hours: u32) -> Result<Date, MembershipError> {
    let days = 1 + i64::from(cutoff_hours.div_ceil(24));
    renewal
        .checked_sub(days.days())
        .map_err(|_| MembershipError::OutOfRange(renewal))
}

fn channels(
    m: &Membership,
    warnings: &mut Vec<Notice>,
    missing: &mut Vec<Notice>,
) -> Vec<ChannelToClose> {
    let open: Vec<ChannelToClose> = m
        .auto_renew
        .iter()
        .filter(|c| c.status.can_charge())
        .map(|c| ChannelToClose {
            channel: c.channel,
            status: c.status,
            how: close_path(c.channel),
        })
        .collect();
    if !matches!(m.billing, Billing::Periodic(_)) {
        return open;
    }
    for c in open.iter().filter(|c| c.status == ContractStatus::Unknown) {
        warnings.push(notice(
            "channel_status_unknown",
            format!("{}的签约状态未知：请到该渠道确认，按可能扣费处理。", c.channel.label(Lang::Zh)),
            format!("Whether {} holds a deduction agreement is unknown: check there, and treat it as able to charge.", c.channel.label(Lang::En)),
        ));
    }
    let lingering = m.lingering_channels();
    if !lingering.is_empty() {
        let zh: Vec<&str> = lingering.iter().map(|c| c.label(Lang::Zh)).collect();
        let en: Vec<&str> = lingering.iter().map(|c| c.label(Lang::En)).collect();
        warnings.push(notice(
            "still_charging_elsewhere",
            format!(
                "已在别处关闭自动续费，但{}仍可扣费：必须在该渠道解约。",
                zh.join("、")
            ),
            format!(
                "Auto-renew was closed elsewhere, but {} can still charge: close it there too.",
                en.join(", ")
            ),
        ));
    }
    if m.renews() {
        warnings.push(notice(
            "in_app_is_not_enough",
            "只在应用内关闭自动续费，可能只是停了提醒：支付渠道的扣费协议（微信支付扣费服务、支付宝自动扣款、App Store 订阅）会继续扣款。每个渠道都要单独关闭，并截图保存。",
            "Turning off auto-renew in the app may only stop the reminder: the deduction agreement at the payment channel (WeChat Pay 扣费服务, Alipay 自动扣款, App Store subscriptions) keeps charging. Close each channel separately and keep screenshots.",
        ));
    }
    if m.auto_renew.is_empty() {
        missing.push(notice(
            "auto_renew_channels",
            "没有记录自动续费签在哪里：请查看微信（我 → 服务 → 钱包 → 支付设置 → 自动续费）、支付宝（我的 → 设置 → 支付设置 → 免密支付/自动扣款）和 App Store 订阅，然后用 `tuiding edit ID --auto-renew 渠道` 记录。",
            "Where auto-renew is contracted is not recorded: look in WeChat (Me → Services → Wallet → Payment settings → Auto-renew), Alipay (Me → Settings → Payment settings → Auto-deduct) and App Store subscriptions, then record it with `tuiding edit ID --auto-renew CHANNEL`.",
        ));
    }
    open
}

fn refund_for(
    outlook: &crate::outlook::Outlook,
    on: Date,
    missing: &mut Vec<Notice>,
) -> Vec<Refund> {
    let Some(policy) = outlook.policy else {
        missing.push(notice(
            "policy",
            "没有这项会员的退款规则：退款方式、到账时间、提前取消时限都未知。请在《会员服务协议》《自动续费服务规则》末尾查找“退款”“退订”“扣费”条款，用 `tuiding policy import ID 协议.txt` 读出来，或用 `tuiding policy set ID --template 模板名`、`--set refund.method=…` 填写。",
            "No refund terms for this membership: the refund method, timing and cancel cut-off are unknown. Look for the refund, cancellation and charging clauses at the end of the membership agreement and the auto-renewal rules; read them with `tuiding policy import ID agreement.txt`, or fill them in with `tuiding policy set ID --template NAME` or `--set refund.method=…`.",
        ));
        return Vec::new();
    };
    match outlook.readings_on(on) {
        Ok(readings) => {
            // A reading left out for a missing number (another reading gave the claim).
            for fact in policy.missing_numbers() {
                missing.push(crate::outlook::missing_number_notice(policy, fact));
            }
            readings
        }
        Err(RefundError::NoMethod) => {
            missing.push(notice(
                "refund.method",
                "规则里没有退款方式（refund.method）：查找协议中“退款”“不予退还”的条款，再用 `tuiding policy set ID --set refund.method=…` 填上。",
                "The terms do not state a refund method (refund.method): look for the refund clauses of the agreement, then fill it in with `tuiding policy set ID --set refund.method=…`.",
            ));
            Vec::new()
        }
        Err(RefundError::Missing { fact }) => {
            missing.push(crate::outlook::missing_number_notice(policy, fact));
            Vec::new()
        }
        Err(RefundError::NotInPeriod { .. }) => Vec::new(),
        Err(other) => {
            missing.push(notice("refund_error", other.to_string(), other.to_string()));
            Vec::new()
        }
    }
}

fn voided(m: &Membership, policy: Option<&Policy>, risks: &mut Vec<Notice>) -> Vec<VoidedBenefit> {
    let unused: Vec<VoidedBenefit> = m
        .benefits
        .iter()
        .filter(|b| b.remaining() > 0)
        .map(|b| VoidedBenefit {
            name: b.name.clone(),
            remaining: b.remaining(),
            value: b.unit_value.and_then(|v| {
                v.mul_ratio(i64::from(b.remaining()), 1, Rounding::HalfUp)
                    .ok()
            }),
        })
        .collect();
    if unused.is_empty() {
        return unused;
    }
    match policy
        .and_then(|p| p.refund.voids_unredeemed_benefits.as_ref())
        .map(|v| v.value)
    {
        Some(true) => unused,
        Some(false) => Vec::new(),
        None => {
            risks.push(notice(
                "benefits_may_be_voided",
                "规则没有说明退订后未用完的权益（券、兑换次数）是否作废：先用掉，或让客服书面确认。",
                "The terms do not say whether unused benefits (coupons, vouchers) survive cancellation: use them first, or get written confirmation from customer service.",
            ));
            Vec::new()
        }
    }
}

fn eta(
    policy: Option<&Policy>,
    on: Date,
    refund: Option<&Refund>,
    calendar: &WorkCalendar,
    warnings: &mut Vec<Notice>,
    missing: &mut Vec<Notice>,
) -> Option<RefundEta> {
    if refund.is_some_and(|r| r.amount.is_zero()) {
        return None;
    }
    let timing = &policy?.timing;
    let window = timing.refund_working_days.as_ref().map(|w| w.value);
    let mut eta = RefundEta {
        requested_on: on,
        earliest: None,
        latest: None,
        overdue_after: None,
    };
    if let Some(w) = window {
        match (
            calendar.add_working_days(on, w.min),
            calendar.add_working_days(on, w.max),
        ) {
            (Ok(a), Ok(b)) => {
                eta.earliest = Some(a);
                eta.latest = Some(b);
            }
            (Err(e), _) | (_, Err(e)) => warnings.push(notice(
                "calendar_not_covered",
                crate::i18n::Localized::localized(&e, Lang::Zh),
                crate::i18n::Localized::localized(&e, Lang::En),
            )),
        }
    } else {
        missing.push(notice(
            "timing.refund_working_days",
            "规则没有写退款几个工作日到账（timing.refund_working_days）；常见写法是“1-3 个工作日”或“3-7 个工作日”。",
            "The terms do not say how many working days a refund takes (timing.refund_working_days); \"1-3\" or \"3-7 working days\" are common.",
        ));
    }
    eta.overdue_after = match timing.refund_max_days.as_ref() {
        Some(days) => on.checked_add(i64::from(days.value).days()).ok(),
        None => eta.latest,
    };
    (eta.earliest.is_some() || eta.overdue_after.is_some()).then_some(eta)
}

fn billing_risks(m: &Membership, policy: Option<&Policy>, risks: &mut Vec<Notice>) {
    match m.billing {
        Billing::OneTime => risks.push(notice(
            "one_time_buyout",
            "一次性买断：没有自动续费可关，退款只能向客服申请；聊天中的承诺要请对方书面确认。",
            "One-time buy-out: there is no auto-renewal to close; a refund can only be requested from customer service. Get any promise made in chat confirmed in writing.",
        )),
        Billing::Gifted => risks.push(notice(
            "gifted_member",
            "赠送/活动会员通常没有退订按钮，需要客服操作；保留赠送或活动记录。",
            "Gifted or promotional members usually have no cancel button: customer service must act. Keep the record of the gift or promotion.",
        )),
        Billing::Periodic(_) => {}
    }
    if let Some(days) = policy.and_then(|p| p.timing.renewal_reminder_days.as_ref())
        && days.value < 5
    {
        risks.push(notice(
            "reminder_too_late",
            format!("平台只承诺续费前 {} 天提醒；《网络交易监督管理办法》第十八条要求前五日提醒，可作为投诉依据。", days.value),
            format!("The platform promises a reminder only {} days before renewal; the Online Transaction Supervision Measures (art. 18) ask for 5 days, which supports a complaint.", days.value),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::{AutoRenewContract, Benefit};
    use crate::money::Currency;
    use crate::period::Period;
    use jiff::civil::date;

    fn monthly() -> Membership {
        Membership {
            platform: "爱奇艺".into(),
            plan: "黄金VIP连续包月".into(),
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
                    status: ContractStatus::Unknown,
                },
            ],
            benefits: vec![],
            category: None,
            notes: None,
        }
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::embedded()
    }

    #[test]
    fn e9_last_safe_day() {
        let m = monthly();
        let c = check(&m, None, date(2026, 11, 23), &cal()).unwrap();
        assert_eq!(c.next_renewal, Some(date(2026, 11, 30)));
        assert_eq!(c.last_safe_cancel_day, Some(date(2026, 11, 29)));
        let policy = Policy::from_toml("[timing]\ncancel_cutoff_hours = 24\n").unwrap();
        let c = check(&m, Some(&policy), date(2026, 11, 23), &cal()).unwrap();
        assert_eq!(c.last_safe_cancel_day, Some(date(2026, 11, 28)));
        assert_eq!(
            last_safe_day(date(2026, 11, 30), 12).unwrap(),
            date(2026, 11, 28)
        );
        assert_eq!(
            last_safe_day(date(2026, 11, 30), 48).unwrap(),
            date(2026, 11, 27)
        );
    }

    #[test]
    fn e8_refund_eta_in_working_days() {
        let mut m = monthly();
        m.start = date(2026, 9, 1);
        let policy = Policy::from_toml("[refund]\nmethod = \"pro_rata_days\"\n[timing]\nrefund_working_days = [3, 7]\nrefund_max_days = 15\n").unwrap();
        let c = check(&m, Some(&policy), date(2026, 9, 28), &cal()).unwrap();
        let eta = c.refund_eta.unwrap();
        assert_eq!(
            (eta.earliest, eta.latest),
            (Some(date(2026, 10, 8)), Some(date(2026, 10, 13)))
        );
        assert_eq!(eta.overdue_after, Some(date(2026, 10, 13)));
        assert!(c.refund.is_some());
        assert_eq!(c.advice.action, AdviceAction::CancelNow);
    }

    #[test]
    fn channels_and_the_in_app_warning() {
        let m = monthly();
        let c = check(&m, None, date(2026, 11, 23), &cal()).unwrap();
        assert_eq!(c.channels_to_close.len(), 2);
        let codes: Vec<&str> = c.warnings.iter().map(|w| w.code).collect();
        assert!(codes.contains(&"in_app_is_not_enough"));
        assert!(codes.contains(&"channel_status_unknown"));
        assert!(c.missing_facts.iter().any(|n| n.code == "policy"));
        assert_eq!(c.advice.action, AdviceAction::KeepUntilPeriodEnd);
    }

    #[test]
    fn app_store_forces_a_24_hour_cutoff() {
        let mut m = monthly();
        m.auto_renew = vec![AutoRenewContract {
            channel: Channel::AppStore,
            status: ContractStatus::Active,
        }];
        let c = check(&m, None, date(2026, 11, 23), &cal()).unwrap();
        assert_eq!(c.cancel_cutoff_hours, 24);
        assert_eq!(c.last_safe_cancel_day, Some(date(2026, 11, 28)));
    }

    #[test]
    fn advice_weighs_refund_against_voided_benefits() {
        let mut m = monthly();
        m.billing = Billing::Periodic(Period::year());
        m.price = Money::from_minor(19_800, Currency::CNY);
        m.start = date(2026, 3, 1);
        m.benefits = vec![Benefit {
            name: "观影券".into(),
            unit_value: Some(Money::from_minor(1500, Currency::CNY)),
            quantity: 12,
            redeemed: 2,
        }];
        let base = "[refund]\nmethod = \"used_months_at_list_price\"\nlist_price_per_month = \"25.00\"\nvoids_unredeemed_benefits = true\n";
        let policy = Policy::from_toml(base).unwrap();
        // Refund 98.00 < 258 days of service (¥139.95) + 10 × 15.00 voided: keep.
        let c = check(&m, Some(&policy), date(2026, 6, 15), &cal()).unwrap();
        assert_eq!(c.refund.as_ref().unwrap().amount.amount_string(), "98.00");
        assert_eq!(
            c.voided_benefits[0].value.unwrap().amount_string(),
            "150.00"
        );
        assert_eq!(c.advice.action, AdviceAction::KeepUntilPeriodEnd);
        let why = &c.advice.reasons[0].zh;
        assert!(why.contains("¥139.95") && why.contains("¥150.00"), "{why}");
        // Pro rata by days, coupons kept after cancelling: the refund equals what is left,
        // so cancel now, and the reason says what a day of waiting costs.
        let text = "[refund]\nmethod = \"pro_rata_days\"\nvoids_unredeemed_benefits = false\n";
        let policy = Policy::from_toml(text).unwrap();
        let c = check(&m, Some(&policy), date(2026, 6, 15), &cal()).unwrap();
        assert_eq!(c.advice.action, AdviceAction::CancelNow);
        let why = &c.advice.reasons[0].zh;
        assert!(
            why.contains("¥139.95") && why.contains("每晚一天少"),
            "{why}"
        );
        // The same with coupons that cancelling voids (or may void: the terms are silent):
        // keep, for someone who still uses it.
        for text in [
            "[refund]\nmethod = \"pro_rata_days\"\nvoids_unredeemed_benefits = true\n",
            "[refund]\nmethod = \"pro_rata_days\"\n",
        ] {
            let policy = Policy::from_toml(text).unwrap();
            let c = check(&m, Some(&policy), date(2026, 6, 15), &cal()).unwrap();
            assert_eq!(c.advice.action, AdviceAction::KeepUntilPeriodEnd, "{text}");
        }
    }

    #[test]
    fn gifted_needs_support_and_zero_refund_means_keep() {
        let mut m = monthly();
        m.billing = Billing::Gifted;
        m.paid_through = Some(date(2026, 12, 31));
        let c = check(&m, None, date(2026, 11, 23), &cal()).unwrap();
        assert_eq!(c.advice.action, AdviceAction::ContactSupport);
        assert!(c.risks.iter().any(|r| r.code == "gifted_member"));
        let m = monthly();
        let policy = Policy::from_toml("[refund]\nmethod = \"none\"\n").unwrap();
        let c = check(&m, Some(&policy), date(2026, 11, 23), &cal()).unwrap();
        assert_eq!(c.advice.action, AdviceAction::KeepUntilPeriodEnd);
        assert!(c.refund_eta.is_none());
    }

    #[test]
    fn past_the_last_safe_day_warns() {
        let c = check(&monthly(), None, date(2026, 11, 29), &cal()).unwrap();
        // On the 29th the next renewal is still the 30th; the 29th is the last safe day itself.
        assert!(!c.warnings.iter().any(|w| w.code == "past_last_safe_day"));
        let policy = Policy::from_toml("[timing]\ncancel_cutoff_hours = 24\n").unwrap();
        let c = check(&monthly(), Some(&policy), date(2026, 11, 29), &cal()).unwrap();
        assert!(c.warnings.iter().any(|w| w.code == "past_last_safe_day"));
    }
}
