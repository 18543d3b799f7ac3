//! The decision (决策): the options a member really has on a given day — cancel now, use
//! the remaining benefits and then cancel, keep to the period's end — each with the cash
//! it brings back, the value the user can still use, the charges still to come and the
//! net, and the advice: the option with the best net, by how much it beats the next one,
//! and what to do by which date.
//!
//! The user's intent counts: someone who is leaving values the service left at zero;
//! someone who still uses it values it pro rata. Unknown terms never silently mean
//! "keep": the unknown refund counts as 0 (the worst case), the advice names the missing
//! fact, where to find it, what each answer would change, and the step that is safe in
//! every case.

use crate::i18n::Lang;
use crate::membership::{Billing, Membership, MembershipStatus, days_between};
use crate::money::{Money, Rounding};
use crate::period::PeriodSpan;
use crate::refund::Line;

/// Whether the user is leaving or still uses the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Intent {
    /// Not said: the service left is valued pro rata, and the advice says what changes
    /// for someone who is leaving.
    #[default]
    Undecided,
    /// Leaving: the service left is worth nothing to this user.
    Leaving,
    /// Still using it: the service left is worth its pro-rata price.
    Staying,
}

impl Intent {
    /// `undecided`, `leaving` or `staying`.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Undecided => "undecided",
            Intent::Leaving => "leaving",
            Intent::Staying => "staying",
        }
    }
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdviceAction {
    /// Cancel (and request the refund) today.
    CancelNow,
    /// Use the remaining benefits (vouchers, coupons), then cancel.
    UseBenefitsThenCancel,
    /// Keep using it; close every auto-renew channel before the last safe day.
    KeepUntilPeriodEnd,
    /// Only customer service can act (gifted members, buy-outs).
    ContactSupport,
}

impl AdviceAction {
    /// `cancel_now`, `use_benefits_then_cancel`, `keep_until_period_end` or
    /// `contact_support`.
    pub fn as_str(self) -> &'static str {
        match self {
            AdviceAction::CancelNow => "cancel_now",
            AdviceAction::UseBenefitsThenCancel => "use_benefits_then_cancel",
            AdviceAction::KeepUntilPeriodEnd => "keep_until_period_end",
            AdviceAction::ContactSupport => "contact_support",
        }
    }

    /// A name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AdviceAction::CancelNow => lang.pick("现在退订", "cancel now"),
            AdviceAction::UseBenefitsThenCancel => {
                lang.pick("先用完权益再退订", "use the benefits, then cancel")
            }
            AdviceAction::KeepUntilPeriodEnd => lang.pick(
                "用到本期结束，期末前关闭自动续费",
                "keep until the period ends, close auto-renew before then",
            ),
            AdviceAction::ContactSupport => lang.pick("联系客服处理", "contact customer service"),
        }
    }

    /// Which of two options with the same net comes first: money in hand, then ending
    /// sooner (one less thing to forget).
    fn rank(self) -> u8 {
        match self {
            AdviceAction::CancelNow => 0,
            AdviceAction::ContactSupport => 1,
            AdviceAction::UseBenefitsThenCancel => 2,
            AdviceAction::KeepUntilPeriodEnd => 3,
        }
    }
}

/// One option, with its figures: `net = cash + usable_value − further_charges`.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// What the option is.
    pub action: AdviceAction,
    /// Money back (the refund). When the terms are unknown this is the worst case, 0.
    pub cash: Money,
    /// False when the refund could not be computed (terms unknown).
    pub cash_known: bool,
    /// When the refund is unknown: what a pro-rata refund would give (the common fair
    /// reading), to show what is at stake.
    pub cash_estimate: Option<Money>,
    /// What the user can still use: the service left (pro rata, zero for someone leaving)
    /// and benefits that stay usable.
    pub usable_value: Money,
    /// Charges still to come under this option (a renewal that can no longer be avoided).
    pub further_charges: Money,
    /// The net for the user.
    pub net: Money,
    /// The day to act by.
    pub by: Option<jiff::civil::Date>,
    /// How the figures come about.
    pub lines: Vec<Line>,
}

/// The advice and the reasons, with numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    /// What to do: the action of the option with the best net.
    pub action: AdviceAction,
    /// By when.
    pub by: Option<jiff::civil::Date>,
    /// How much better it is than the next option.
    pub margin: Option<Money>,
    /// Why.
    pub reasons: Vec<Line>,
}

/// The benefits: what is still unused, what cancelling voids, what redeeming changes.
#[derive(Debug, Clone, PartialEq)]
pub struct BenefitsValue {
    /// Remaining quantity × unit value, over the benefits with a known value.
    pub unused_value: Option<Money>,
    /// Units not yet redeemed.
    pub unused_units: u32,
    /// What cancelling voids (zero when the terms keep them; the whole unused value when
    /// they void them or do not say).
    pub voided_on_cancel: Option<Money>,
    /// Whether the terms say cancelling voids them (`None`: not said).
    pub voids: Option<bool>,
    /// The refund today after redeeming every remaining benefit first, when computable.
    pub refund_after_redeeming: Option<Money>,
}

/// Everything the decision needs, computed by the rule check.
pub(crate) struct Facts<'a> {
    pub m: &'a Membership,
    pub on: jiff::civil::Date,
    pub status: MembershipStatus,
    pub intent: Intent,
    pub next_renewal: Option<jiff::civil::Date>,
    pub last_safe: Option<jiff::civil::Date>,
    /// The paid period containing `on` and what was paid for it.
    pub period: Option<(PeriodSpan, Money)>,
    /// The refund today (the claimed reading), when computable.
    pub refund: Option<Money>,
    /// The refund tomorrow, to say what a day of waiting costs.
    pub refund_tomorrow: Option<Money>,
    /// The day the refund reaches zero.
    pub zero_on: Option<jiff::civil::Date>,
    /// When the refund is unknown: a pro-rata estimate.
    pub estimate: Option<Money>,
    /// When the refund is unknown: what each possible answer gives.
    pub hypotheses: &'a [(Line, Money)],
    /// When the refund is unknown: the facts missing, with where to look.
    pub missing: &'a [Line],
    pub benefits: &'a BenefitsValue,
    /// The price of the next renewal.
    pub renewal_price: Money,
}

/// The options and the advice.
pub(crate) fn decide(f: &Facts) -> (Vec<Choice>, Advice) {
    let list = options(f);
    let mut advice = advise(f, &list);
    if f.intent == Intent::Undecided {
        let leaving = Facts {
            intent: Intent::Leaving,
            ..*f
        };
        let other = options(&leaving);
        if let Some(best) = other.first()
            && best.action != advice.action
        {
            advice.reasons.push(Line::new(
                format!(
                    "若你已决定不再使用（--leaving），剩下的服务对你不值钱，更好的选择是「{}」：净得 {}。",
                    best.action.label(Lang::Zh),
                    best.net
                ),
                format!(
                    "If you are leaving for good (--leaving), the service left is worth nothing to you and the better option is \"{}\": {} net.",
                    best.action.label(Lang::En),
                    best.net
                ),
            ));
        }
    }
    (list, advice)
}

/// The options, best net first (ties: more cash, then the one that ends sooner).
fn options(f: &Facts) -> Vec<Choice> {
    let mut list = options_for(f);
    list.sort_by(|a, b| {
        b.net
            .minor_units()
            .cmp(&a.net.minor_units())
            .then(b.cash.minor_units().cmp(&a.cash.minor_units()))
            .then(a.action.rank().cmp(&b.action.rank()))
    });
    list
}

/// The service left after `on`, as this user values it.
fn service_left(f: &Facts) -> Money {
    let zero = Money::zero(f.m.price.currency());
    if f.intent == Intent::Leaving {
        return zero;
    }
    if let MembershipStatus::Trial(converts) = f.status {
        // A free trial is worth what the days left would cost at the plan's price.
        let Some(period) = f.m.billing.period() else {
            return zero;
        };
        let anchor = f.m.anchor();
        let Ok(next) = period.boundary(anchor, 1) else {
            return zero;
        };
        let period_days = days_between(anchor, next).max(1);
        let left = days_between(f.on, converts).saturating_sub(1).max(0);
        return f
            .m
            .price
            .mul_ratio(left.min(period_days), period_days, Rounding::Down)
            .unwrap_or(zero);
    }
    let Some((span, paid)) = f.period else {
        return zero;
    };
    let total = span.days().max(1);
    let used = (days_between(span.start, f.on) + 1).clamp(0, total);
    paid.mul_ratio(total - used, total, Rounding::Down)
        .unwrap_or(zero)
}

/// Whether the last safe cancel day has passed (the next renewal may be unavoidable).
fn past_last_safe(f: &Facts) -> bool {
    matches!((f.last_safe, f.next_renewal), (Some(last), Some(_)) if f.on > last)
}

fn add(a: Money, b: Money) -> Money {
    a.checked_add(b).unwrap_or(a)
}

fn choice(
    f: &Facts,
    action: AdviceAction,
    cash: Option<Money>,
    usable: Money,
    by: Option<jiff::civil::Date>,
) -> Choice {
    let zero = Money::zero(f.m.price.currency());
    let unavoidable = past_last_safe(f);
    let further = if unavoidable { f.renewal_price } else { zero };
    let cash_known = cash.is_some();
    let cash = cash.unwrap_or(zero);
    let net = add(cash, usable).checked_sub(further).unwrap_or(cash);
    let mut lines = vec![Line::new(
        format!(
            "现金 {cash}{} + 可用价值 {usable} − 后续扣费 {further} = 净得 {net}",
            if cash_known {
                ""
            } else {
                "（退款规则未知，按最坏情况 0 计）"
            }
        ),
        format!(
            "cash {cash}{} + usable value {usable} − further charges {further} = net {net}",
            if cash_known {
                ""
            } else {
                " (refund terms unknown: counted at the worst case, 0)"
            }
        ),
    )];
    if unavoidable && let Some(renewal) = f.next_renewal {
        lines.push(Line::new(
            format!("已过最后安全退订日：{renewal} 的续费 {further} 可能已无法避免。"),
            format!("The last safe cancel day has passed: the renewal of {further} on {renewal} may be unavoidable."),
        ));
    }
    Choice {
        action,
        cash,
        cash_known,
        cash_estimate: if cash_known { None } else { f.estimate },
        usable_value: usable,
        further_charges: further,
        net,
        by,
        lines,
    }
}

fn options_for(f: &Facts) -> Vec<Choice> {
    let zero = Money::zero(f.m.price.currency());
    let unused = f.benefits.unused_value.unwrap_or(zero);
    let kept_after_cancel = if f.benefits.voids == Some(false) {
        unused
    } else {
        zero
    };
    let period_last = f.period.and_then(|(s, _)| s.end.yesterday().ok());
    // Past the last safe day the deadline is today: close everything now.
    let deadline = if past_last_safe(f) {
        Some(f.on)
    } else {
        f.last_safe.or(period_last)
    };
    let keep_value = add(service_left(f), unused);
    let mut list = Vec::new();
    if let MembershipStatus::Ended(_) = f.status {
        list.push(choice(
            f,
            AdviceAction::CancelNow,
            Some(zero),
            zero,
            Some(f.on),
        ));
        return list;
    }
    if let MembershipStatus::Trial(_) = f.status {
        list.push(choice(
            f,
            AdviceAction::CancelNow,
            Some(zero),
            zero,
            Some(f.on),
        ));
        list.push(choice(
            f,
            AdviceAction::KeepUntilPeriodEnd,
            Some(zero),
            keep_value,
            deadline,
        ));
        return list;
    }
    match f.m.billing {
        Billing::Gifted | Billing::OneTime => {
            let nothing_to_gain = f.refund.is_some_and(|r| r.is_zero())
                && matches!(f.m.billing, Billing::OneTime)
                && !f.m.renews();
            if !nothing_to_gain {
                list.push(choice(
                    f,
                    AdviceAction::ContactSupport,
                    f.refund,
                    kept_after_cancel,
                    Some(f.on),
                ));
            }
            list.push(choice(
                f,
                AdviceAction::KeepUntilPeriodEnd,
                Some(zero),
                keep_value,
                period_last,
            ));
        }
        Billing::Periodic(_) => {
            list.push(choice(
                f,
                AdviceAction::CancelNow,
                f.refund,
                kept_after_cancel,
                Some(f.on),
            ));
            if f.benefits.unused_units > 0 && !unused.is_zero() {
                let cash = f.benefits.refund_after_redeeming.or(f.refund.map(|_| zero));
                let by = if cash.is_some_and(|c| !c.is_zero()) {
                    Some(f.on)
                } else {
                    deadline
                };
                list.push(choice(
                    f,
                    AdviceAction::UseBenefitsThenCancel,
                    cash,
                    unused,
                    by,
                ));
            }
            list.push(choice(
                f,
                AdviceAction::KeepUntilPeriodEnd,
                Some(zero),
                keep_value,
                deadline,
            ));
        }
    }
    list
}

fn advise(f: &Facts, options: &[Choice]) -> Advice {
    let best = &options[0];
    let runner_up = options.get(1);
    let margin = runner_up.and_then(|r| best.net.checked_sub(r.net).ok());
    let mut reasons = Vec::new();
    let mut say = |zh: String, en: String| reasons.push(Line::new(zh, en));
    let period_last = f.period.and_then(|(s, _)| s.end.yesterday().ok());
    match best.action {
        AdviceAction::CancelNow if matches!(f.status, MembershipStatus::Ended(_)) => say(
            "服务已结束；若仍有渠道可扣费，请立即关闭。".into(),
            "The service has ended; if any channel can still charge, close it now.".into(),
        ),
        AdviceAction::CancelNow
            if matches!(f.status, MembershipStatus::Trial(_)) && !past_last_safe(f) =>
        {
            say(
                format!(
                    "还在免费试用期：现在退订并关闭所有渠道，一分钱都不用花{}。",
                    f.last_safe
                        .map(|d| format!("（最晚 {d}）"))
                        .unwrap_or_default()
                ),
                format!(
                    "Still in the free trial: cancel now and close every channel, and you pay nothing{}.",
                    f.last_safe
                        .map(|d| format!(" (at the latest by {d})"))
                        .unwrap_or_default()
                ),
            )
        }
        AdviceAction::CancelNow => {
            let (zh, en) = match (best.cash_known, f.refund_tomorrow) {
                (true, Some(tomorrow)) if tomorrow.minor_units() < best.cash.minor_units() => {
                    let drop = best.cash.checked_sub(tomorrow).unwrap_or(best.cash);
                    let zero = f
                        .zero_on
                        .map(|d| (format!("，{d} 起为 0"), format!(", and 0 from {d}")))
                        .unwrap_or_default();
                    (
                        format!("；明天只能退 {tomorrow}（每晚一天少 {drop}{}）", zero.0),
                        format!(
                            "; tomorrow it is {tomorrow} ({drop} less for each day of waiting{})",
                            zero.1
                        ),
                    )
                }
                _ => (String::new(), String::new()),
            };
            if best.cash_known {
                say(
                    format!("今天退订并申请退款：拿回 {}{zh}。", best.cash),
                    format!(
                        "Cancel today and request the refund: {} back{en}.",
                        best.cash
                    ),
                );
            } else {
                say(
                    format!(
                        "今天退订：你不再使用，退多少都不亏；按剩余天数折算约可退 {}，至少也不会再被扣费。",
                        f.estimate.unwrap_or(best.cash)
                    ),
                    format!(
                        "Cancel today: you are not using it, so any refund is a gain; pro rata it would be about {}, and at least nothing more is charged.",
                        f.estimate.unwrap_or(best.cash)
                    ),
                );
            }
            say(
                "退订当天就关闭所有自动续费渠道并申请退款，保留截图和退款通知。".into(),
                "On the day you cancel, close every auto-renew channel and request the refund; keep screenshots and the refund notice.".into(),
            );
        }
        AdviceAction::UseBenefitsThenCancel => {
            let units = f.benefits.unused_units;
            let by = best.by.map(|d| d.to_string()).unwrap_or_default();
            say(
                format!(
                    "先用掉剩下的 {units} 份权益（价值 {}），再退订{}：比直接退订拿的现金更多。{} 前办完。",
                    best.usable_value,
                    if best.cash.is_zero() {
                        String::new()
                    } else {
                        format!("并申请退款 {}", best.cash)
                    },
                    by
                ),
                format!(
                    "Use the {units} remaining benefits (worth {}) first, then cancel{}: worth more than cancelling for the cash. Finish by {by}.",
                    best.usable_value,
                    if best.cash.is_zero() {
                        String::new()
                    } else {
                        format!(" and request the {} refund", best.cash)
                    },
                ),
            );
            say(
                "保留兑换记录和订单截图：退订时平台会按已用权益扣款，这些记录证明用了什么、没用什么。".into(),
                "Keep the redemption records and order screenshots: they prove what was used and what was not when the platform deducts redeemed benefits.".into(),
            );
        }
        AdviceAction::KeepUntilPeriodEnd => {
            if past_last_safe(f) {
                say(
                    "已过最后安全退订日：续费可能已无法避免。现在就关闭所有自动续费渠道，并要求退还这次扣费。".into(),
                    "The last safe cancel day has passed: the renewal may no longer be avoidable. Close every auto-renew channel now and ask for that charge back.".into(),
                );
            } else if let MembershipStatus::Trial(converts) = f.status {
                say(
                    format!(
                        "免费试用到 {converts} 转正；在 {}（含）前关闭所有渠道，一分钱都不用花。",
                        f.last_safe.map(|d| d.to_string()).unwrap_or_default()
                    ),
                    format!(
                        "Use the free trial until it converts on {converts}; close every channel by {} and pay nothing.",
                        f.last_safe.map(|d| d.to_string()).unwrap_or_default()
                    ),
                );
            } else if let Some(last) = period_last {
                let service = service_left(f);
                let days_left = f.period.map_or(0, |(s, _)| {
                    days_between(f.on, s.end).saturating_sub(1).max(0)
                });
                let benefits = f
                    .benefits
                    .unused_value
                    .filter(|v| !v.is_zero())
                    .map(|v| {
                        (
                            format!("和未用权益 {v}"),
                            format!(" and unused benefits worth {v}"),
                        )
                    })
                    .unwrap_or_default();
                say(
                    format!(
                        "继续用到本期最后一天 {last}：剩下 {days_left} 天的服务（按天折算约 {service}）{}，共值 {}，多于现在退订能拿回的。",
                        benefits.0, best.usable_value
                    ),
                    format!(
                        "Keep using it until the period's last day {last}: the {days_left} days left (about {service} pro rata){}, {} in all, are worth more than cancelling now returns.",
                        benefits.1, best.usable_value
                    ),
                );
            } else {
                say(
                    "没有可退的钱，也没有自动续费要关：继续使用即可。".into(),
                    "Nothing to get back and no auto-renewal to close: just keep using it.".into(),
                );
            }
        }
        AdviceAction::ContactSupport => say(
            if matches!(f.m.billing, Billing::Gifted) {
                "赠送/活动会员一般不能自助退订：请客服取消，并要求书面确认不会再扣费。".into()
            } else {
                format!(
                    "买断会员须由客服办理退款：按规则可退 {}{}，并要求书面答复。",
                    best.cash,
                    if best.cash_known {
                        ""
                    } else {
                        "（规则未知，先问清）"
                    }
                )
            },
            if matches!(f.m.billing, Billing::Gifted) {
                "Gifted or promotional members usually cannot cancel themselves: ask customer service to cancel and to confirm in writing that nothing more will be charged.".into()
            } else {
                format!(
                    "A buy-out's refund is handled by customer service: {} under the terms{}; ask for the answer in writing.",
                    best.cash,
                    if best.cash_known {
                        ""
                    } else {
                        " (terms unknown: ask first)"
                    }
                )
            },
        ),
    }
    if let Some(r) = runner_up {
        let m = margin.unwrap_or(best.net);
        let lower = options.iter().skip(1).find(|o| o.net != best.net);
        let (zh, en) = if m.is_zero() {
            let extra = lower
                .and_then(|o| best.net.checked_sub(o.net).ok().map(|d| (o, d)))
                .map(|(o, d)| {
                    (
                        format!("；比「{}」多 {d}", o.action.label(Lang::Zh)),
                        format!("; {d} more than \"{}\"", o.action.label(Lang::En)),
                    )
                })
                .unwrap_or_default();
            (
                format!(
                    "与「{}」净得一样多（{}），但更早了结{}。",
                    r.action.label(Lang::Zh),
                    best.net,
                    extra.0
                ),
                format!(
                    "The same net as \"{}\" ({}), but settled sooner{}.",
                    r.action.label(Lang::En),
                    best.net,
                    extra.1
                ),
            )
        } else {
            (
                format!(
                    "净得 {}，比次优的「{}」（{}）多 {m}。",
                    best.net,
                    r.action.label(Lang::Zh),
                    r.net
                ),
                format!(
                    "Net {}, {m} more than the next best, \"{}\" ({}).",
                    best.net,
                    r.action.label(Lang::En),
                    r.net
                ),
            )
        };
        say(zh, en);
    }
    if !f.missing.is_empty() {
        for line in f.missing {
            reasons.push(line.clone());
        }
        for (case, amount) in f.hypotheses {
            reasons.push(Line::new(
                format!("若{}：今天退订可退 {amount}。", case.zh),
                format!("If {}: cancelling today refunds {amount}.", case.en),
            ));
        }
    }
    if past_last_safe(f) {
        reasons.push(Line::new(
            "已过最后安全退订日：无论选哪个，都要今天就关闭所有自动续费渠道。",
            "The last safe cancel day has passed: whichever you choose, close every auto-renew channel today.",
        ));
    } else if let (Some(last), Some(renewal)) = (f.last_safe, f.next_renewal) {
        reasons.push(Line::new(
            format!("无论选哪个，都要在 {last}（最后安全退订日）之前关闭所有自动续费渠道，{renewal} 就不会再扣款。"),
            format!("Whichever you choose, close every auto-renew channel by {last} (the last safe cancel day) and nothing is charged on {renewal}."),
        ));
    }
    Advice {
        action: best.action,
        by: best.by,
        margin,
        reasons,
    }
}

#[cfg(test)]
#[path = "decision_tests.rs"]
mod tests;
