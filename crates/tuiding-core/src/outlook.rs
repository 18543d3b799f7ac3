//! The refund seen over time and under every reading: what cancelling returns on the key
//! days ahead and the day it reaches zero, what the benefits are worth and what redeeming
//! them changes, and — when the terms are incomplete — what each possible answer would
//! give. Used by the rule check; pure.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::checkup::{CurvePoint, Notice, ReadingRefund, notice};
use crate::decision::BenefitsValue;
use crate::i18n::Lang;
use crate::membership::{Billing, Membership, days_between};
use crate::money::{Money, Rounding};
use crate::period::PeriodSpan;
use crate::policy::{Policy, Ratio, RedeemedBenefits, RefundMethod, Sourced};
use crate::price::PriceChange;
use crate::refund::{Line, Refund, RefundError, claimed, compute_readings, compute_refund_paid};

/// At most this many weekly points on the curve (half a year).
const MAX_WEEKS: i64 = 26;

/// A membership, its terms and its price history, ready to be asked about any day.
pub(crate) struct Outlook<'a> {
    m: &'a Membership,
    pub policy: Option<&'a Policy>,
    changes: &'a [PriceChange],
}

impl<'a> Outlook<'a> {
    pub fn new(
        m: &'a Membership,
        policy: Option<&'a Policy>,
        changes: &'a [PriceChange],
    ) -> Outlook<'a> {
        Outlook { m, policy, changes }
    }

    /// The price in effect on a day.
    pub fn price_on(&self, day: Date) -> Money {
        crate::price::price_on(self.m.price, self.changes, day)
    }

    /// What was paid for the period containing `on`.
    pub fn paid_for(&self, on: Date) -> Money {
        match self.m.current_period(on) {
            Ok(Some(span)) if matches!(self.m.billing, Billing::Periodic(_)) => {
                self.price_on(span.start)
            }
            _ => self.m.price,
        }
    }

    /// The refund under every reading for cancelling on `on`.
    pub fn readings_on(&self, on: Date) -> Result<Vec<Refund>, RefundError> {
        let policy = self.policy.ok_or(RefundError::NoMethod)?;
        compute_readings(self.m, policy, on, Some(self.paid_for(on)))
    }

    /// The claimed refund for cancelling on `on`.
    pub fn refund_on(&self, on: Date) -> Option<Money> {
        let readings = self.readings_on(on).ok()?;
        claimed(&readings).map(|r| r.amount)
    }

    /// One view per reading, the claimed one marked (empty when there is one reading).
    pub fn reading_views(&self, readings: &[Refund]) -> Vec<ReadingRefund> {
        if readings.len() < 2 {
            return Vec::new();
        }
        let best = crate::refund::claimed_index(readings);
        readings
            .iter()
            .enumerate()
            .map(|(i, r)| ReadingRefund {
                method: r.method,
                amount: r.amount,
                claimed: Some(i) == best,
                lines: r.lines.clone(),
            })
            .collect()
    }

    /// The refund on the key days ahead, and the first day of the period it is zero.
    pub fn curve(
        &self,
        on: Date,
        span: PeriodSpan,
        last_safe: Option<Date>,
    ) -> (Vec<CurvePoint>, Option<Date>) {
        let Ok(period_last) = span.end.yesterday() else {
            return (Vec::new(), None);
        };
        let zero_on = self.zero_day(span);
        let mut days: Vec<(Date, &'static str)> = vec![(on, "today")];
        let weekly_until = zero_on.map_or(period_last, |z| z.min(period_last));
        for week in 1..=MAX_WEEKS {
            match on.checked_add((7 * week).days()) {
                Ok(d) if d < weekly_until => days.push((d, "week")),
                _ => break,
            }
        }
        if let Some(last) = last_safe.filter(|d| *d >= on && *d <= period_last) {
            days.push((last, "last_safe_day"));
        }
        if let Some(z) = zero_on.filter(|d| *d >= on) {
            days.push((z, "zero"));
        }
        if period_last >= on {
            days.push((period_last, "period_end"));
        }
        days.sort_by_key(|(d, _)| *d);
        // One point per day; a named day wins over a weekly one.
        let mut points: Vec<CurvePoint> = Vec::new();
        for (date, label) in days {
            if let Some(p) = points.last_mut().filter(|p| p.date == date) {
                if p.label == "week" || label != "week" && p.label != "today" {
                    p.label = label;
                }
                continue;
            }
            if let Some(amount) = self.refund_on(date) {
                points.push(CurvePoint {
                    date,
                    amount,
                    label,
                });
            }
        }
        (points, zero_on)
    }

    /// The first day of `span` on which the refund is zero (the refund never rises within
    /// a period, so a binary search finds it).
    pub fn zero_day(&self, span: PeriodSpan) -> Option<Date> {
        let (first, last) = (span.start, span.end.yesterday().ok()?);
        let is_zero = |offset: i64| {
            first
                .checked_add(offset.days())
                .ok()
                .and_then(|d| self.refund_on(d))
                .is_some_and(|a| a.is_zero())
        };
        let span = days_between(first, last);
        if span < 0 || !is_zero(span) {
            return None;
        }
        let (mut lo, mut hi) = (0, span);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if is_zero(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        first.checked_add(lo.days()).ok()
    }

    /// The unused benefits, what cancelling voids and what redeeming first changes.
    pub fn benefits(&self, on: Date, refund: Option<&Refund>) -> BenefitsValue {
        let currency = self.m.price.currency();
        let mut unused_value: Option<Money> = None;
        let mut unused_units = 0;
        for b in &self.m.benefits {
            unused_units += b.remaining();
            if let Some(unit) = b.unit_value.filter(|u| u.currency() == currency)
                && let Ok(v) = unit.mul_ratio(i64::from(b.remaining()), 1, Rounding::HalfUp)
            {
                let sum = unused_value.unwrap_or(Money::zero(currency));
                unused_value = Some(sum.checked_add(v).unwrap_or(sum));
            }
        }
        let voids = self
            .policy
            .and_then(|p| p.refund.voids_unredeemed_benefits.as_ref())
            .map(|v| v.value);
        let voided_on_cancel = match voids {
            Some(false) => Some(Money::zero(currency)),
            _ => unused_value,
        };
        let refund_after_redeeming = match (refund, self.policy) {
            (Some(_), Some(policy)) if unused_units > 0 => {
                let mut all_used = self.m.clone();
                for b in &mut all_used.benefits {
                    b.redeemed = b.quantity;
                }
                // Unstated terms: assume the platform deducts what was redeemed (the worst
                // case), so the option is never flattered.
                let mut worst = policy.clone();
                if worst.refund.redeemed_benefits.is_none() {
                    worst.refund.redeemed_benefits =
                        Some(Sourced::plain(RedeemedBenefits::DeductValue));
                }
                compute_readings(&all_used, &worst, on, Some(self.paid_for(on)))
                    .ok()
                    .and_then(|r| claimed(&r).map(|c| c.amount))
            }
            _ => None,
        };
        BenefitsValue {
            unused_value,
            unused_units,
            voided_on_cancel,
            voids,
            refund_after_redeeming,
        }
    }

    /// A pro-rata refund for the period under way (what a fair refund would be).
    pub fn estimate(&self, on: Date) -> Option<Money> {
        let pro_rata = Policy {
            refund: crate::policy::RefundPolicy {
                method: Some(Sourced::plain(RefundMethod::ProRataDays)),
                ..Default::default()
            },
            ..Default::default()
        };
        compute_refund_paid(self.m, &pro_rata, on, Some(self.paid_for(on)))
            .ok()
            .map(|r| r.amount)
    }

    /// When the refund is unknown: what each possible answer would give, and the lines
    /// that say which fact is missing and where to find it.
    pub fn hypotheses(&self, on: Date, missing: &[Notice]) -> (Vec<(Line, Money)>, Vec<Line>) {
        let lines: Vec<Line> = missing
            .iter()
            .filter(|n| n.code == "policy" || n.code.starts_with("refund"))
            .map(|n| n.line.clone())
            .collect();
        if lines.is_empty() {
            return (Vec::new(), lines);
        }
        let mut cases = Vec::new();
        let paid = Some(self.paid_for(on));
        let ratio_missing = self
            .policy
            .is_some_and(|p| p.missing_numbers().contains(&"refund.discount_ratio"));
        if let Some(policy) = self.policy.filter(|_| ratio_missing) {
            for ratio in ["1", "0.9", "0.8"] {
                let mut p = policy.clone();
                p.refund.discount_ratio = Ratio::parse(ratio).ok().map(Sourced::plain);
                if let Some(amount) = compute_readings(self.m, &p, on, paid)
                    .ok()
                    .and_then(|r| claimed(&r).map(|c| c.amount))
                {
                    cases.push((
                        Line::new(
                            format!("折扣比例为 {ratio}"),
                            format!("the discount ratio is {ratio}"),
                        ),
                        amount,
                    ));
                }
            }
        } else if self.policy.and_then(Policy::method).is_none() {
            if let Some(amount) = self.estimate(on) {
                cases.push((
                    Line::new(
                        "协议写明按剩余天数退款",
                        "the terms refund pro rata by days",
                    ),
                    amount,
                ));
            }
            cases.push((
                Line::new("协议写明不予退款", "the terms refund nothing"),
                Money::zero(self.m.price.currency()),
            ));
        }
        (cases, lines)
    }
}

/// The name of a refund method for people.
pub fn method_label(method: RefundMethod, lang: Lang) -> &'static str {
    match method {
        RefundMethod::None => lang.pick("不退款", "no refund"),
        RefundMethod::Full => lang.pick("全额退款", "full refund"),
        RefundMethod::ProRataDays => lang.pick("按剩余天数折算", "pro rata by days"),
        RefundMethod::ProRataMonths => lang.pick("按剩余月数折算", "pro rata by months"),
        RefundMethod::UsedMonthsAtListPrice => {
            lang.pick("已用月份按原价扣除", "used months at list price")
        }
        RefundMethod::ConsumedDaysFee => lang.pick("按已用天数扣费", "fee for days used"),
    }
}

/// The risk that a refund clause reads two ways, with each amount and the rule that
/// decides between them.
pub(crate) fn ambiguity_notice(readings: &[ReadingRefund]) -> Notice {
    let list = |lang: Lang| {
        readings
            .iter()
            .map(|r| format!("{} {}", method_label(r.method, lang), r.amount))
            .collect::<Vec<_>>()
    };
    let best = readings.iter().find(|r| r.claimed).map(|r| r.amount);
    let best = best.map(|b| b.to_string()).unwrap_or_default();
    notice(
        "ambiguous_refund_clause",
        format!(
            "退款条款可以有 {} 种理解：{}。依《民法典》第四百九十八条，对格式条款有两种以上解释的，应当作出不利于提供格式条款一方的解释：按对你有利的 {best} 主张，退款申请里两种理解都要引用。",
            readings.len(),
            list(Lang::Zh).join("；")
        ),
        format!(
            "The refund clause reads {} ways: {}. Under art. 498 of the Civil Code a standard term with two readings is read against the party that wrote it: claim the {best} that favours you, and quote both readings in the request.",
            readings.len(),
            list(Lang::En).join("; ")
        ),
    )
}

/// A number the method needs but the terms do not give, said plainly.
pub(crate) fn missing_number_notice(policy: &Policy, fact: &'static str) -> Notice {
    let method = policy
        .method()
        .map(|m| (method_label(m, Lang::Zh), method_label(m, Lang::En)))
        .unwrap_or(("", ""));
    match crate::policy_form::field_spec(fact) {
        Some(spec) => notice(
            fact,
            format!(
                "协议写的是“{}”，但{}未写明（{fact}）：{}。问到后用 `tuiding policy set ID --set {fact}=…` 补上。",
                method.0, spec.label.0, spec.hint.0
            ),
            format!(
                "The terms say \"{}\", but the {} is not stated ({fact}): {}. Once known, fill it in with `tuiding policy set ID --set {fact}=…`.",
                method.1,
                spec.label.1.to_lowercase(),
                spec.hint.1
            ),
        ),
        None => notice(
            "refund_fact",
            format!("计算退款还缺少 {fact}。"),
            format!("The refund needs {fact}."),
        ),
    }
}
