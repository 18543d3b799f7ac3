//! The grounds of a complaint: which rules the facts of a case show were breached, and the
//! claim stated concretely ("退还 2026-10-03 扣款 25.00 元").
//!
//! Only facts the case holds are used; nothing is presumed. A breach is named only when a
//! fact shows it: a charge after the channel was closed, a refund past its due day, a
//! refund short of what was promised, terms that remind fewer than 5 days ahead.

use jiff::civil::Date;
use serde::Serialize;

use crate::case::RefundTrack;
use crate::membership::Channel;
use crate::money::{Currency, Money, MoneyError};
use crate::refund::Line;

/// A charge that arrived after its channel had been closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateChargeFact {
    /// The day of the charge.
    pub date: Date,
    /// The amount charged.
    pub amount: Money,
    /// The channel it came through.
    pub channel: Channel,
    /// The day that channel was closed.
    pub closed_on: Date,
}

/// What a case knows, as far as a complaint cares.
#[derive(Debug, Clone)]
pub struct ComplaintFacts<'a> {
    /// The platform complained about.
    pub platform: &'a str,
    /// The case's currency.
    pub currency: Currency,
    /// Charges after cancellation, from imported bills.
    pub late_charges: Vec<LateChargeFact>,
    /// Extra charges within one period (charged twice), from imported bills: day, amount,
    /// order number.
    pub duplicate_charges: Vec<(Date, Money, String)>,
    /// The refund as tracked.
    pub refund: RefundTrack,
    /// The day the refund is due (promised, else the terms' window from the request).
    pub refund_due: Option<Date>,
    /// The refund the terms give for cancelling on the request day, when computable.
    pub refund_by_terms: Option<Money>,
    /// How many days ahead the terms promise a renewal reminder.
    pub reminder_days: Option<u32>,
    /// Today.
    pub today: Date,
}

/// A rule the facts show was breached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breach {
    /// Stable code: `charged_after_cancellation`, `refund_overdue`, `refund_short`,
    /// `reminder_too_late`.
    pub code: &'static str,
    /// The rule, with its source.
    pub rule: Line,
    /// The fact that breaches it.
    pub fact: Line,
}

/// One thing asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimItem {
    /// Money asked for, if any (serialized as its decimal amount).
    #[serde(serialize_with = "amount_opt")]
    pub amount: Option<Money>,
    /// The request, stated concretely.
    pub text: Line,
}

/// The breaches and the claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grounds {
    /// Rules breached, in the order of the facts.
    pub breaches: Vec<Breach>,
    /// What is asked for.
    pub claim: Vec<ClaimItem>,
    /// The money asked for in total (serialized as its decimal amount).
    #[serde(serialize_with = "amount")]
    pub total: Money,
}

fn amount<S: serde::Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&m.amount_string())
}

fn amount_opt<S: serde::Serializer>(m: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
    match m {
        Some(m) => s.serialize_str(&m.amount_string()),
        None => s.serialize_none(),
    }
}

const ART_18: (&str, &str) = (
    "《网络交易监督管理办法》第十八条：采取自动展期、自动续费等方式提供服务的，经营者应当在消费者接受服务前和自动展期、自动续费等日期前五日，以显著方式提请消费者注意，由消费者自主选择；在服务期间内，应当为消费者提供显著、简便的随时取消或者变更的选项，并不得收取不合理费用。",
    "Online Transaction Supervision Measures, art. 18: for auto-renewed services the operator must remind the consumer prominently before the service is accepted and 5 days before each renewal, let the consumer choose, and offer a prominent, simple way to cancel at any time without unreasonable fees.",
);

/// Works out what the facts show and what to ask for.
pub fn grounds(facts: &ComplaintFacts<'_>) -> Result<Grounds, MoneyError> {
    let mut breaches = Vec::new();
    let mut claim = Vec::new();
    for late in &facts.late_charges {
        breaches.push(Breach {
            code: "charged_after_cancellation",
            rule: Line::new(ART_18.0, ART_18.1),
            fact: Line::new(
                format!(
                    "{} 经{}扣款 {}，而该渠道的自动续费已于 {} 关闭。",
                    late.date,
                    late.channel.label(crate::Lang::Zh),
                    late.amount,
                    late.closed_on
                ),
                format!(
                    "{} was charged through {} on {}, after that channel's auto-renewal was closed on {}.",
                    late.amount,
                    late.channel.label(crate::Lang::En),
                    late.date,
                    late.closed_on
                ),
            ),
        });
        claim.push(ClaimItem {
            amount: Some(late.amount),
            text: Line::new(
                format!(
                    "退还 {} 经{}扣款 {}",
                    late.date,
                    late.channel.label(crate::Lang::Zh),
                    late.amount
                ),
                format!(
                    "Refund the {} charged through {} on {}",
                    late.amount,
                    late.channel.label(crate::Lang::En),
                    late.date
                ),
            ),
        });
    }
    for (date, amount, order) in &facts.duplicate_charges {
        breaches.push(Breach {
            code: "charged_twice",
            rule: Line::new(
                "《消费者权益保护法》第十条：消费者享有公平交易的权利；同一周期重复扣费没有对应的服务。",
                "Consumer Protection Law art. 10: consumers are entitled to fair dealing; a second charge for the same period buys nothing.",
            ),
            fact: Line::new(
                format!("{date} 同一周期内被重复扣款 {amount}（订单号 {order}）。"),
                format!("{amount} was charged a second time for the same period on {date} (order {order})."),
            ),
        });
        claim.push(ClaimItem {
            amount: Some(*amount),
            text: Line::new(
                format!("退还 {date} 重复扣款 {amount}（订单号 {order}）"),
                format!("Refund the {amount} charged twice on {date} (order {order})"),
            ),
        });
    }
    refund_grounds(facts, &mut breaches, &mut claim)?;
    if let Some(days) = facts.reminder_days.filter(|d| *d < 5) {
        breaches.push(Breach {
            code: "reminder_too_late",
            rule: Line::new(ART_18.0, ART_18.1),
            fact: Line::new(
                format!("{} 的协议只承诺在续费前 {days} 天提醒，少于规定的五日。", facts.platform),
                format!("{}'s terms promise a reminder only {days} days before renewal, fewer than the 5 required.", facts.platform),
            ),
        });
    }
    claim.push(ClaimItem {
        amount: None,
        text: Line::new(
            format!("确认已解除本人在 {} 的全部自动续费协议，今后不再扣费", facts.platform),
            format!("Confirm that every auto-renewal agreement with {} is ended and no further charge will be made", facts.platform),
        ),
    });
    let mut total = Money::from_minor(0, facts.currency);
    for item in &claim {
        if let Some(amount) = item.amount.filter(|a| a.currency() == facts.currency) {
            total = total.checked_add(amount)?;
        }
    }
    Ok(Grounds {
        breaches,
        claim,
        total,
    })
}

/// Overdue or short refunds, and the refund still owed.
fn refund_grounds(
    facts: &ComplaintFacts<'_>,
    breaches: &mut Vec<Breach>,
    claim: &mut Vec<ClaimItem>,
) -> Result<(), MoneyError> {
    let r = &facts.refund;
    let promised = r
        .promised_minor
        .map(|m| Money::from_minor(m, facts.currency));
    let received = r
        .received_minor
        .map(|m| Money::from_minor(m, facts.currency));
    let owed = promised.or(facts.refund_by_terms);
    let source = if promised.is_some() {
        Line::new(
            "平台在沟通中承诺的退款金额和到账日期（见沟通记录）。",
            "The refund amount and date the platform promised (see the communication records).",
        )
    } else {
        Line::new(
            "会员协议约定的退款期限（见协议条款）。",
            "The refund window in the membership terms (see the terms).",
        )
    };
    if r.received_on.is_none()
        && let (Some(due), Some(requested)) = (facts.refund_due, r.requested_on)
        && facts.today > due
    {
        let late_days = due
            .until(facts.today)
            .map(|s| s.get_days())
            .unwrap_or_default();
        breaches.push(Breach {
            code: "refund_overdue",
            rule: source.clone(),
            fact: Line::new(
                format!("{requested} 申请退款，应于 {due} 前到账，截至 {} 仍未到账（逾期 {late_days} 天）。", facts.today),
                format!("The refund requested on {requested} was due by {due} and has not arrived by {} ({late_days} days late).", facts.today),
            ),
        });
    }
    match (owed, received) {
        (Some(owed), None) if !owed.is_zero() => claim.push(ClaimItem {
            amount: Some(owed),
            text: if promised.is_some() {
                Line::new(
                    format!("按承诺退还 {owed}"),
                    format!("Pay the promised refund of {owed}"),
                )
            } else {
                Line::new(
                    format!("按协议退还 {owed}"),
                    format!("Pay the refund of {owed} the terms provide"),
                )
            },
        }),
        (Some(owed), Some(got)) if got.minor_units() < owed.minor_units() => {
            let short = owed.checked_sub(got)?;
            breaches.push(Breach {
                code: "refund_short",
                rule: source,
                fact: Line::new(
                    format!("应退 {owed}，实际到账 {got}，少退 {short}。"),
                    format!("{owed} was owed, {got} arrived: {short} short."),
                ),
            });
            claim.push(ClaimItem {
                amount: Some(short),
                text: Line::new(
                    format!("补足少退的 {short}"),
                    format!("Pay the missing {short}"),
                ),
            });
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn cny(minor: i64) -> Money {
        Money::from_minor(minor, Currency::from_code("CNY").unwrap())
    }

    fn facts() -> ComplaintFacts<'static> {
        ComplaintFacts {
            platform: "爱奇艺",
            currency: Currency::from_code("CNY").unwrap(),
            late_charges: vec![],
            duplicate_charges: vec![],
            refund: RefundTrack::default(),
            refund_due: None,
            refund_by_terms: None,
            reminder_days: None,
            today: d("2026-11-26"),
        }
    }

    #[test]
    fn a_charge_twice_in_one_period_is_claimed_back() {
        let mut f = facts();
        let cny = Currency::from_code("CNY").unwrap();
        f.duplicate_charges = vec![(d("2026-03-08"), Money::from_minor(2500, cny), "A1".into())];
        let g = grounds(&f).unwrap();
        assert!(g.breaches.iter().any(|b| b.code == "charged_twice"));
        assert_eq!(g.total, Money::from_minor(2500, cny));
    }

    #[test]
    fn no_facts_no_breaches_and_only_the_confirmation() {
        let g = grounds(&facts()).unwrap();
        assert!(g.breaches.is_empty());
        assert_eq!(g.claim.len(), 1);
        assert!(g.total.is_zero());
    }

    #[test]
    fn a_late_charge_is_a_breach_and_a_claim() {
        let mut f = facts();
        f.late_charges.push(LateChargeFact {
            date: d("2026-10-03"),
            amount: cny(2500),
            channel: Channel::WechatPay,
            closed_on: d("2026-09-20"),
        });
        let g = grounds(&f).unwrap();
        assert_eq!(g.breaches[0].code, "charged_after_cancellation");
        assert!(
            g.claim[0].text.zh.contains("退还 2026-10-03"),
            "{}",
            g.claim[0].text.zh
        );
        assert_eq!(g.total, cny(2500));
    }

    #[test]
    fn overdue_only_after_the_due_day() {
        let mut f = facts();
        f.refund = RefundTrack {
            requested_on: Some(d("2026-11-10")),
            promised_minor: Some(1300),
            promised_by: Some(d("2026-11-26")),
            ..RefundTrack::default()
        };
        f.refund_due = Some(d("2026-11-26"));
        let on_the_day = grounds(&f).unwrap();
        assert!(on_the_day.breaches.is_empty());
        assert_eq!(on_the_day.total, cny(1300));
        f.today = d("2026-11-28");
        let late = grounds(&f).unwrap();
        assert_eq!(late.breaches[0].code, "refund_overdue");
        assert!(
            late.breaches[0].fact.zh.contains("逾期 2 天"),
            "{}",
            late.breaches[0].fact.zh
        );
    }

    #[test]
    fn a_short_refund_claims_the_difference_and_a_full_one_nothing() {
        let mut f = facts();
        f.refund = RefundTrack {
            requested_on: Some(d("2026-11-10")),
            promised_minor: Some(1300),
            received_minor: Some(1000),
            received_on: Some(d("2026-11-20")),
            ..RefundTrack::default()
        };
        let g = grounds(&f).unwrap();
        assert_eq!(g.breaches[0].code, "refund_short");
        assert_eq!(g.total, cny(300));
        f.refund.received_minor = Some(1300);
        let g = grounds(&f).unwrap();
        assert!(g.breaches.is_empty());
        assert!(g.total.is_zero());
    }

    #[test]
    fn a_short_reminder_is_a_breach_five_days_is_not() {
        let mut f = facts();
        f.reminder_days = Some(3);
        assert_eq!(grounds(&f).unwrap().breaches[0].code, "reminder_too_late");
        f.reminder_days = Some(5);
        assert!(grounds(&f).unwrap().breaches.is_empty());
    }

    #[test]
    fn terms_refund_is_claimed_when_nothing_was_promised() {
        let mut f = facts();
        f.refund = RefundTrack {
            requested_on: Some(d("2026-11-10")),
            ..RefundTrack::default()
        };
        f.refund_by_terms = Some(cny(1834));
        let g = grounds(&f).unwrap();
        assert!(g.claim[0].text.zh.starts_with("按协议退还"));
        assert_eq!(g.total, cny(1834));
    }
}
