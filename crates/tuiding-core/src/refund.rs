//! The refund engine: what cancelling on a given day returns under a [`Policy`].
//!
//! Exact integer arithmetic on minor units; every division is rounded once, by the rule
//! the policy names. The result is never below zero, never above what was paid for the
//! period, and never larger when the cancel date moves later within the period. Each
//! result explains itself: lines of arithmetic in zh-CN and English, the policy keys it
//! used, and the quoted clauses behind them.
//!
//! Day counting: the period runs from its start date to the next renewal date
//! (exclusive); the cancellation day counts as used.

use jiff::civil::Date;
use serde::Serialize;

use crate::i18n::{Lang, Localized};
use crate::membership::{Billing, Membership, MembershipError, MembershipStatus, days_between};
use crate::money::{Money, MoneyError, Rounding};
use crate::period::{Period, PeriodSpan};
use crate::policy::{Policy, RedeemedBenefits, RefundMethod, Sourced};

/// One line of explanation, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Line {
    /// A line in both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Line {
        Line {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in one language.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A policy clause a figure rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    /// The policy key, e.g. `refund.method`.
    pub key: &'static str,
    /// The quoted source sentence.
    pub quote: String,
    /// How sure the reader was, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// What cancelling on one day refunds, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    /// The refund.
    pub amount: Money,
    /// What was paid for the period (the upper bound).
    pub paid: Money,
    /// The method applied (`full` during a cooling-off window).
    pub method: RefundMethod,
    /// The cancel date.
    pub cancel_on: Date,
    /// The period the refund is for, `[start, end)`.
    pub period_start: Date,
    /// The first day after the period.
    pub period_end: Date,
    /// Days used, the cancel day included.
    pub days_used: i64,
    /// Days in the period.
    pub days_total: i64,
    /// The arithmetic, step by step.
    pub lines: Vec<Line>,
    /// The policy keys used.
    pub fields_used: Vec<&'static str>,
    /// The quoted clauses behind the keys used, where the policy has them.
    pub clauses: Vec<Clause>,
}

/// Why no refund figure can be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RefundError {
    /// The policy does not say how refunds are computed.
    #[error("the policy does not state a refund method (refund.method)")]
    NoMethod,
    /// The cancel date is not within a paid period.
    #[error("{on} is not within a paid period of this membership")]
    NotInPeriod {
        /// The cancel date.
        on: Date,
    },
    /// A fact the method needs is missing.
    #[error("the refund needs {fact}")]
    Missing {
        /// What is missing (a policy key or a membership field).
        fact: &'static str,
    },
    /// Money arithmetic failed (e.g. a policy amount in another currency).
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// Date arithmetic failed.
    #[error(transparent)]
    Membership(#[from] MembershipError),
}

impl Localized for RefundError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (RefundError::NoMethod, Lang::Zh) => "规则里没有写退款方式（refund.method）".into(),
            (RefundError::NotInPeriod { on }, Lang::Zh) => {
                format!("{on} 不在这个会员的已付费周期内")
            }
            (RefundError::Missing { fact }, Lang::Zh) => format!("计算退款还缺少 {fact}"),
            (RefundError::Money(e), Lang::Zh) => e.localized(lang),
            (RefundError::Membership(e), Lang::Zh) => e.localized(lang),
        }
    }
}

/// The paid period a cancellation on `on` falls into: the billing period for periodic
/// plans, `[start, paid_through]` for one-time and gifted ones.
pub fn paid_period(m: &Membership, on: Date) -> Result<PeriodSpan, RefundError> {
    if on < m.start {
        return Err(RefundError::NotInPeriod { on });
    }
    if !matches!(m.billing, Billing::Periodic(_)) && m.paid_through.is_none() {
        return Err(RefundError::Missing {
            fact: "paid_through",
        });
    }
    if let MembershipStatus::Ended(_) = m.status(on)? {
        return Err(RefundError::NotInPeriod { on });
    }
    m.current_period(on)?.ok_or(RefundError::NotInPeriod { on })
}

/// Computes the refund for cancelling `m` on `on` under `policy`.
///
/// ```
/// use jiff::civil::date;
/// use tuiding_core::{Billing, Currency, Membership, Money, Period};
/// use tuiding_core::policy::Policy;
/// use tuiding_core::refund::compute_refund;
/// let m = Membership {
///     platform: "某视频".into(), plan: "月卡".into(),
///     billing: Billing::Periodic(Period::month()),
///     price: Money::from_minor(3000, Currency::CNY),
///     start: date(2026, 11, 1), paid_through: None, trial_until: None,
///     auto_renew: vec![], benefits: vec![], category: None, notes: None,
/// };
/// let policy = Policy::from_toml("[refund]\nmethod = \"pro_rata_days\"\nrounding = \"down\"").unwrap();
/// let refund = compute_refund(&m, &policy, date(2026, 11, 21)).unwrap();
/// assert_eq!(refund.amount.amount_string(), "9.00");
/// ```
pub fn compute_refund(m: &Membership, policy: &Policy, on: Date) -> Result<Refund, RefundError> {
    compute_refund_paid(m, policy, on, None)
}

/// [`compute_refund`] for a period paid at `price_paid` rather than the membership's
/// current price: a price notice changes renewals from its date, never what was already
/// paid for the period under way.
pub fn compute_refund_paid(
    m: &Membership,
    policy: &Policy,
    on: Date,
    price_paid: Option<Money>,
) -> Result<Refund, RefundError> {
    let method_field = policy.refund.method.as_ref().ok_or(RefundError::NoMethod)?;
    let price = price_paid.unwrap_or(m.price);
    if method_field.value == RefundMethod::None
        && !matches!(m.billing, Billing::Periodic(_))
        && m.paid_through.is_none()
        && on >= m.start
    {
        return Ok(no_refund_without_end(m, method_field, on, price));
    }
    let span = paid_period(m, on)?;
    let paid = match m.billing {
        Billing::Gifted => Money::zero(m.price.currency()),
        _ => price,
    };
    let rounding = policy.rounding();
    let days_total = span.days();
    let days_used = (days_between(span.start, on) + 1).min(days_total);
    let mut calc = Calc::new();
    calc.use_field("refund.method", Some(method_field));
    if policy.refund.rounding.is_some() {
        calc.use_field("refund.rounding", policy.refund.rounding.as_ref());
    }
    let last_day = span.end.yesterday().unwrap_or(span.end);
    calc.line(
        format!(
            "本期 {} 至 {}，共 {days_total} 天；退订日 {on} 计为已用：已用 {days_used} 天，剩余 {} 天。本期实付 {paid}。",
            span.start, last_day, days_total - days_used
        ),
        format!(
            "Period {} to {}: {days_total} days; the cancel day {on} counts as used: {days_used} used, {} left. Paid for the period: {paid}.",
            span.start, last_day, days_total - days_used
        ),
    );
    let finish = |calc: Calc, amount: Money, method: RefundMethod| Refund {
        amount,
        paid,
        method,
        cancel_on: on,
        period_start: span.start,
        period_end: span.end,
        days_used,
        days_total,
        lines: calc.lines,
        fields_used: calc.fields,
        clauses: calc.clauses,
    };

    if matches!(m.billing, Billing::Gifted) && paid.is_zero() {
        calc.line(
            "赠送/活动会员没有直接付费，无款可退；需要联系客服办理退订。",
            "A gifted or promotional membership was not paid for directly: nothing to refund; customer service must cancel it.",
        );
        return Ok(finish(calc, paid, method_field.value));
    }

    let redeemed_any = m.benefits.iter().any(|b| b.redeemed > 0);
    if let Some(days) = &policy.refund.cooling_off_days {
        let since = days_between(span.start, on);
        if since <= i64::from(days.value) && !redeemed_any {
            calc.use_field("refund.cooling_off_days", Some(days));
            calc.line(
                format!("购买后第 {since} 天退订，在 {} 天冷静期内且未使用任何权益：全额退款 {paid}。", days.value),
                format!("Cancelled {since} days after purchase, within the {}-day cooling-off period with no benefit redeemed: full refund {paid}.", days.value),
            );
            return Ok(finish(calc, paid, RefundMethod::Full));
        }
    }

    let mut amount = base_refund(
        &mut calc, m, policy, span, paid, days_used, days_total, on, rounding,
    )?;
    amount = apply_redeemed(&mut calc, m, policy, amount)?;
    amount = apply_fees(&mut calc, policy, amount, rounding)?;

    let clamped = amount.max(Money::zero(paid.currency()))?.min(paid)?;
    if clamped != amount {
        calc.line(
            format!("退款不能低于 0、不能超过本期实付：{amount} → {clamped}。"),
            format!("A refund is never below 0 nor above what was paid: {amount} → {clamped}."),
        );
    }
    calc.line(format!("应退 {clamped}。"), format!("Refund: {clamped}."));
    Ok(finish(calc, clamped, method_field.value))
}

/// A buy-out (or gifted plan) with no known end under terms that refund nothing: the
/// refund is 0 whatever the end, so the missing end date does not matter.
fn no_refund_without_end(
    m: &Membership,
    method: &Sourced<RefundMethod>,
    on: Date,
    price: Money,
) -> Refund {
    let mut calc = Calc::new();
    calc.use_field("refund.method", Some(method));
    calc.line(
        "规则规定不予退款（refund.method = none）：0。没有记录到期日，但不影响这个结论。",
        "The terms refund nothing (refund.method = none): 0. No end date is recorded, which does not change that.",
    );
    let zero = Money::zero(price.currency());
    calc.line(format!("应退 {zero}。"), format!("Refund: {zero}."));
    let days = days_between(m.start, on) + 1;
    Refund {
        amount: zero,
        paid: price,
        method: RefundMethod::None,
        cancel_on: on,
        period_start: m.start,
        period_end: on.tomorrow().unwrap_or(on),
        days_used: days,
        days_total: days,
        lines: calc.lines,
        fields_used: calc.fields,
        clauses: calc.clauses,
    }
}

/// The refund under every reading of the refund clause: the stated method first, then
/// each of `refund.other_readings`. A reading whose number is missing is left out — also
/// the stated one, as long as another reading can be computed (the claim rests on what is
/// known; the rule check names the missing number).
pub fn compute_readings(
    m: &Membership,
    policy: &Policy,
    on: Date,
    price_paid: Option<Money>,
) -> Result<Vec<Refund>, RefundError> {
    let mut out = Vec::new();
    let mut first_error = None;
    match compute_refund_paid(m, policy, on, price_paid) {
        Ok(r) => out.push(r),
        Err(e @ RefundError::Missing { .. }) if policy.refund.other_readings.is_some() => {
            first_error = Some(e);
        }
        Err(e) => return Err(e),
    }
    if let Some(other) = &policy.refund.other_readings {
        for method in &other.value {
            let mut alt = policy.clone();
            alt.refund.other_readings = None;
            alt.refund.method = Some(Sourced {
                value: *method,
                source: other.source.clone(),
                confidence: other.confidence,
            });
            if let Ok(r) = compute_refund_paid(m, &alt, on, price_paid) {
                out.push(r);
            }
        }
    }
    match (out.is_empty(), first_error) {
        (true, Some(e)) => Err(e),
        _ => Ok(out),
    }
}

/// The reading the user claims: the one that refunds the most (《民法典》第四百九十八条:
/// a standard term with two readings is read against the party that wrote it).
pub fn claimed(readings: &[Refund]) -> Option<&Refund> {
    claimed_index(readings).map(|i| &readings[i])
}

/// The index of [`claimed`]: the most, the first listed on a tie.
pub fn claimed_index(readings: &[Refund]) -> Option<usize> {
    readings
        .iter()
        .enumerate()
        .max_by_key(|(i, r)| (r.amount.minor_units(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

#[allow(clippy::too_many_arguments)]
fn base_refund(
    calc: &mut Calc,
    m: &Membership,
    policy: &Policy,
    span: PeriodSpan,
    paid: Money,
    days_used: i64,
    days_total: i64,
    on: Date,
    rounding: Rounding,
) -> Result<Money, RefundError> {
    let r = &policy.refund;
    let currency = paid.currency();
    let (rz, re) = rounding_words(rounding);
    let method = r
        .method
        .as_ref()
        .map(|m| m.value)
        .ok_or(RefundError::NoMethod)?;
    Ok(match method {
        RefundMethod::Full => {
            calc.line(
                format!("全额退款：{paid}。"),
                format!("Full refund: {paid}."),
            );
            paid
        }
        RefundMethod::None => {
            calc.line(
                "规则规定不予退款（refund.method = none）：0。",
                "The terms refund nothing (refund.method = none): 0.",
            );
            Money::zero(currency)
        }
        RefundMethod::ProRataDays => {
            let left = days_total - days_used;
            let amount = paid.mul_ratio(left, days_total, rounding)?;
            calc.line(
                format!("按剩余天数折算：{paid} × {left} / {days_total} = {amount}（{rz}）。"),
                format!("Pro rata by days left: {paid} × {left} / {days_total} = {amount} ({re})."),
            );
            amount
        }
        RefundMethod::ProRataMonths => {
            let (used, total) = months_used(m, span, on)?;
            let left = total - used;
            let amount = paid.mul_ratio(left, total, rounding)?;
            calc.line(
                format!("按剩余整月折算（已开始的月份计为已用）：共 {total} 个月，已用 {used} 个月；{paid} × {left} / {total} = {amount}（{rz}）。"),
                format!("Pro rata by whole months left (a started month counts as used): {total} months, {used} used; {paid} × {left} / {total} = {amount} ({re})."),
            );
            amount
        }
        RefundMethod::UsedMonthsAtListPrice => {
            let field = r
                .list_price_per_month
                .as_ref()
                .ok_or(RefundError::Missing {
                    fact: "refund.list_price_per_month",
                })?;
            calc.use_field("refund.list_price_per_month", Some(field));
            let list = field.value.to_money(currency)?;
            let (used, _) = months_used(m, span, on)?;
            let charged = list.mul_ratio(used, 1, rounding)?;
            let amount = paid.checked_sub(charged)?;
            calc.line(
                format!("已开始 {used} 个月，每月按原价 {list} 计：扣 {charged}；{paid} − {charged} = {amount}。"),
                format!("{used} months started, each charged at the list price {list}: {charged}; {paid} − {charged} = {amount}."),
            );
            amount
        }
        RefundMethod::ConsumedDaysFee => {
            if let Some(rate_field) = &r.daily_rate {
                calc.use_field("refund.daily_rate", Some(rate_field));
                let rate = rate_field.value.to_money(currency)?;
                let fee = rate.mul_ratio(days_used, 1, rounding)?;
                let amount = paid.checked_sub(fee)?;
                calc.line(
                    format!("已用 {days_used} 天 × 每天 {rate} = 扣费 {fee}；{paid} − {fee} = {amount}。"),
                    format!("{days_used} days used × {rate} a day = fee {fee}; {paid} − {fee} = {amount}."),
                );
                amount
            } else {
                let ratio_field = r.discount_ratio.as_ref().ok_or(RefundError::Missing {
                    fact: "refund.discount_ratio",
                })?;
                calc.use_field("refund.discount_ratio", Some(ratio_field));
                let ratio = ratio_field.value;
                // refund = paid − price × used / (days × ratio), rounded once:
                // (paid × days × num − price × used × den) / (days × num).
                // The daily fee is the price of the period being refunded.
                let price = paid;
                let numerator =
                    i128::from(paid.minor_units()) * i128::from(days_total) * i128::from(ratio.num)
                        - i128::from(price.minor_units())
                            * i128::from(days_used)
                            * i128::from(ratio.den);
                let denominator = i128::from(days_total) * i128::from(ratio.num);
                let minor = round_div(numerator, denominator, rounding)?;
                let amount = Money::from_minor(minor, currency);
                let fee = paid.checked_sub(amount)?;
                calc.line(
                    format!("每日费用 = 价格 {price} ÷ {days_total} 天 ÷ 折扣比例 {ratio}；已用 {days_used} 天，扣费 {fee}；{paid} − {fee} = {amount}（{rz}）。"),
                    format!("Daily fee = price {price} / {days_total} days / discount ratio {ratio}; {days_used} days used, fee {fee}; {paid} − {fee} = {amount} ({re})."),
                );
                amount
            }
        }
    })
}

fn apply_redeemed(
    calc: &mut Calc,
    m: &Membership,
    policy: &Policy,
    amount: Money,
) -> Result<Money, RefundError> {
    let redeemed: Vec<_> = m.benefits.iter().filter(|b| b.redeemed > 0).collect();
    if redeemed.is_empty() {
        return Ok(amount);
    }
    let Some(rule) = &policy.refund.redeemed_benefits else {
        calc.line(
            "已使用部分权益，但规则没有说明是否扣除其价值（refund.redeemed_benefits）；平台可能会扣。",
            "Some benefits were redeemed, but the terms do not say whether their value is deducted (refund.redeemed_benefits); the platform may deduct it.",
        );
        return Ok(amount);
    };
    calc.use_field("refund.redeemed_benefits", Some(rule));
    match rule.value {
        RedeemedBenefits::Ignore => Ok(amount),
        RedeemedBenefits::VoidRefund => {
            let names: Vec<&str> = redeemed.iter().map(|b| b.name.as_str()).collect();
            calc.line(
                format!("已使用权益（{}），规则规定使用过权益即不退款（redeemed_benefits = void_refund）：0。", names.join("、")),
                format!("Benefits were redeemed ({}), and the terms void the refund once any is used (redeemed_benefits = void_refund): 0.", names.join(", ")),
            );
            Ok(Money::zero(amount.currency()))
        }
        RedeemedBenefits::DeductValue => {
            let mut total = Money::zero(amount.currency());
            for b in &redeemed {
                match b.unit_value {
                    Some(unit) => {
                        let value = unit.mul_ratio(i64::from(b.redeemed), 1, Rounding::HalfUp)?;
                        total = total.checked_add(value)?;
                        calc.line(
                            format!("扣除已用权益 {}：{} × {unit} = {value}。", b.name, b.redeemed),
                            format!("Deduct redeemed {}: {} × {unit} = {value}.", b.name, b.redeemed),
                        );
                    }
                    None => calc.line(
                        format!("已用权益 {} 没有记录单价，无法计算扣除额；请补上单价。", b.name),
                        format!("Redeemed {} has no unit value recorded, so its deduction cannot be computed; add its value.", b.name),
                    ),
                }
            }
            let after = amount.checked_sub(total)?;
            calc.line(
                format!("{amount} − {total} = {after}。"),
                format!("{amount} − {total} = {after}."),
            );
            Ok(after)
        }
    }
}

fn apply_fees(
    calc: &mut Calc,
    policy: &Policy,
    mut amount: Money,
    rounding: Rounding,
) -> Result<Money, RefundError> {
    let (rz, re) = rounding_words(rounding);
    if let Some(pct) = &policy.refund.handling_fee_percent
        && amount.minor_units() > 0
    {
        calc.use_field("refund.handling_fee_percent", Some(pct));
        let p = pct.value;
        let after = amount.mul_ratio(100 * p.den - p.num, 100 * p.den, rounding)?;
        let fee = amount.checked_sub(after)?;
        calc.line(
            format!("扣 {p}% 手续费 {fee}：{amount} − {fee} = {after}（{rz}）。"),
            format!("Handling fee {p}%: {fee}; {amount} − {fee} = {after} ({re})."),
        );
        amount = after;
    }
    if let Some(fee_field) = &policy.refund.handling_fee
        && amount.minor_units() > 0
    {
        calc.use_field("refund.handling_fee", Some(fee_field));
        let fee = fee_field.value.to_money(amount.currency())?;
        let after = amount.checked_sub(fee)?;
        calc.line(
            format!("扣固定手续费 {fee}：{amount} − {fee} = {after}。"),
            format!("Fixed handling fee {fee}: {amount} − {fee} = {after}."),
        );
        amount = after;
    }
    Ok(amount)
}

/// Months in the paid period and months started by `on` (the cancel month counts).
fn months_used(m: &Membership, span: PeriodSpan, on: Date) -> Result<(i64, i64), RefundError> {
    let month = Period::month();
    let total_months = match m.billing {
        Billing::Periodic(Period::Months(k)) => i64::from(k),
        Billing::Periodic(Period::Years(k)) => 12 * i64::from(k),
        Billing::Periodic(_) => {
            return Err(RefundError::Missing {
                fact: "a period of whole months",
            });
        }
        Billing::OneTime | Billing::Gifted => {
            let mut n = 1;
            while month
                .boundary(span.start, n)
                .map_err(MembershipError::from)?
                < span.end
            {
                n += 1;
            }
            n
        }
    };
    let current = month
        .span_containing(span.start, on)
        .map_err(MembershipError::from)?
        .ok_or(RefundError::NotInPeriod { on })?;
    Ok(((current.index + 1).min(total_months), total_months))
}

fn round_div(numerator: i128, denominator: i128, rounding: Rounding) -> Result<i64, RefundError> {
    // Reuse Money's one rounding implementation through an exact ratio on 1 minor unit.
    let unit = Money::from_minor(1, crate::money::Currency::CNY);
    let num = i64::try_from(numerator).map_err(|_| MoneyError::Overflow)?;
    let den = i64::try_from(denominator).map_err(|_| MoneyError::Overflow)?;
    Ok(unit.mul_ratio(num, den, rounding)?.minor_units())
}

fn rounding_words(rounding: Rounding) -> (&'static str, &'static str) {
    match rounding {
        Rounding::Down => ("向下取整到分", "rounded down"),
        Rounding::HalfUp => ("四舍五入到分", "rounded half up"),
        Rounding::Up => ("向上取整到分", "rounded up"),
    }
}

/// Collects lines, used keys and quoted clauses as the computation goes.
struct Calc {
    lines: Vec<Line>,
    fields: Vec<&'static str>,
    clauses: Vec<Clause>,
}

impl Calc {
    fn new() -> Calc {
        Calc {
            lines: Vec::new(),
            fields: Vec::new(),
            clauses: Vec::new(),
        }
    }

    fn line(&mut self, zh: impl Into<String>, en: impl Into<String>) {
        self.lines.push(Line::new(zh, en));
    }

    fn use_field<T>(&mut self, key: &'static str, field: Option<&Sourced<T>>) {
        if !self.fields.contains(&key) {
            self.fields.push(key);
        }
        if let Some(Sourced {
            source: Some(quote),
            confidence,
            ..
        }) = field
        {
            self.clauses.push(Clause {
                key,
                quote: quote.clone(),
                confidence: *confidence,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::Benefit;
    use crate::money::Currency;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn plan(billing: Billing, price: &str, start: Date) -> Membership {
        Membership {
            platform: "p".into(),
            plan: "q".into(),
            billing,
            price: Money::parse(price, Currency::CNY).unwrap(),
            start,
            paid_through: None,
            trial_until: None,
            auto_renew: vec![],
            benefits: vec![],
            category: None,
            notes: None,
        }
    }

    fn refund(m: &Membership, policy: &str, on: Date) -> Refund {
        compute_refund(m, &Policy::from_toml(policy).unwrap(), on).unwrap()
    }

    const E1: &str = "[refund]\nmethod = \"pro_rata_days\"\nrounding = \"down\"\n";
    const E2: &str =
        "[refund]\nmethod = \"used_months_at_list_price\"\nlist_price_per_month = \"25.00\"\n";

    fn e1_plan() -> Membership {
        plan(
            Billing::Periodic(Period::month()),
            "30.00",
            date(2026, 11, 1),
        )
    }

    fn e2_plan() -> Membership {
        plan(
            Billing::Periodic(Period::year()),
            "198.00",
            date(2026, 3, 1),
        )
    }

    #[test]
    fn e1_pro_rata_days() {
        let r = refund(&e1_plan(), E1, date(2026, 11, 21));
        assert_eq!(r.amount.amount_string(), "9.00");
        assert_eq!((r.days_used, r.days_total), (21, 30));
        assert_eq!(r.fields_used, ["refund.method", "refund.rounding"]);
        assert!(
            r.lines
                .iter()
                .any(|l| l.zh.contains("¥30.00 × 9 / 30 = ¥9.00")),
            "{:#?}",
            r.lines
        );
    }

    #[test]
    fn e2_used_months_at_list_price() {
        let r = refund(&e2_plan(), E2, date(2026, 6, 15));
        assert_eq!(r.amount.amount_string(), "98.00");
        assert!(
            r.lines.iter().any(|l| l.en.contains("4 months started")),
            "{:#?}",
            r.lines
        );
    }

    #[test]
    fn e3_consumed_days_fee() {
        let m = plan(
            Billing::Periodic(Period::year()),
            "292.00",
            date(2026, 1, 1),
        );
        let r = refund(
            &m,
            "[refund]\nmethod = \"consumed_days_fee\"\ndiscount_ratio = 0.8\n",
            date(2026, 4, 10),
        );
        assert_eq!((r.days_used, r.days_total), (100, 365));
        assert_eq!(r.amount.amount_string(), "192.00");
        assert!(
            r.lines.iter().any(|l| l.en.contains("fee ¥100.00")),
            "{:#?}",
            r.lines
        );
        let r = refund(
            &m,
            "[refund]\nmethod = \"consumed_days_fee\"\ndaily_rate = \"1.00\"\n",
            date(2026, 4, 10),
        );
        assert_eq!(r.amount.amount_string(), "192.00");
    }

    #[test]
    fn e4_handling_fee_percent() {
        let r = refund(
            &e1_plan(),
            &format!("{E1}handling_fee_percent = 10\n"),
            date(2026, 11, 21),
        );
        assert_eq!(r.amount.amount_string(), "8.10");
    }

    #[test]
    fn e5_redeemed_voucher() {
        let mut m = e2_plan();
        m.benefits.push(Benefit {
            name: "观影券".into(),
            unit_value: Some(Money::from_minor(1500, Currency::CNY)),
            quantity: 4,
            redeemed: 1,
        });
        let r = refund(
            &m,
            &format!("{E2}redeemed_benefits = \"deduct_value\"\n"),
            date(2026, 6, 15),
        );
        assert_eq!(r.amount.amount_string(), "83.00");
        let r = refund(
            &m,
            &format!("{E2}redeemed_benefits = \"void_refund\"\n"),
            date(2026, 6, 15),
        );
        assert_eq!(r.amount.amount_string(), "0.00");
        assert!(
            r.lines
                .iter()
                .any(|l| l.zh.contains("观影券") && l.zh.contains("不退款")),
            "{:#?}",
            r.lines
        );
    }

    #[test]
    fn e6_cooling_off() {
        let m = plan(
            Billing::Periodic(Period::year()),
            "198.00",
            date(2026, 11, 18),
        );
        let policy = "[refund]\nmethod = \"pro_rata_days\"\ncooling_off_days = 7\n";
        let r = refund(&m, policy, date(2026, 11, 23));
        assert_eq!(r.amount.amount_string(), "198.00");
        assert_eq!(r.method, RefundMethod::Full);
        let later = refund(&m, policy, date(2026, 11, 26));
        assert!(later.amount.minor_units() < 19_800);
    }

    #[test]
    fn e7_one_time_none() {
        let mut m = plan(Billing::OneTime, "198.00", date(2026, 6, 16));
        m.paid_through = Some(date(2027, 6, 15));
        let r = refund(&m, "[refund]\nmethod = \"none\"\n", date(2026, 11, 23));
        assert_eq!(r.amount.amount_string(), "0.00");
        assert!(r.lines.iter().any(|l| l.en.contains("refund nothing")));
    }

    #[test]
    fn pro_rata_months_counts_the_started_month() {
        let r = refund(
            &e2_plan(),
            "[refund]\nmethod = \"pro_rata_months\"\n",
            date(2026, 6, 15),
        );
        // 12 months, 4 started: 198 × 8 / 12 = 132.
        assert_eq!(r.amount.amount_string(), "132.00");
    }

    #[test]
    fn gifted_and_missing_facts() {
        let mut m = plan(Billing::Gifted, "0", date(2026, 11, 1));
        m.paid_through = Some(date(2026, 11, 30));
        assert_eq!(
            refund(&m, "[refund]\nmethod = \"full\"\n", date(2026, 11, 5))
                .amount
                .minor_units(),
            0
        );
        m.paid_through = None;
        let err = compute_refund(
            &m,
            &Policy::from_toml("[refund]\nmethod = \"full\"").unwrap(),
            date(2026, 11, 5),
        )
        .unwrap_err();
        assert_eq!(
            err,
            RefundError::Missing {
                fact: "paid_through"
            }
        );
        let err = compute_refund(&e1_plan(), &Policy::default(), date(2026, 11, 5)).unwrap_err();
        assert_eq!(err, RefundError::NoMethod);
        let err = compute_refund(
            &e1_plan(),
            &Policy::from_toml(E1).unwrap(),
            date(2026, 10, 5),
        )
        .unwrap_err();
        assert!(matches!(err, RefundError::NotInPeriod { .. }));
    }

    #[test]
    fn clauses_are_quoted() {
        let policy = "[refund]\nmethod = { value = \"none\", source = \"会员服务一经开通，不支持退款。\", confidence = 0.95 }\n";
        let r = refund(&e1_plan(), policy, date(2026, 11, 21));
        assert_eq!(
            r.clauses,
            [Clause {
                key: "refund.method",
                quote: "会员服务一经开通，不支持退款。".into(),
                confidence: Some(0.95)
            }]
        );
    }

    fn any_policy() -> impl Strategy<Value = String> {
        let method = prop_oneof![
            Just("method = \"full\"".to_string()),
            Just("method = \"none\"".to_string()),
            Just("method = \"pro_rata_days\"".to_string()),
            Just("method = \"pro_rata_months\"".to_string()),
            (1_u32..5000).prop_map(|p| format!(
                "method = \"used_months_at_list_price\"\nlist_price_per_month = \"{}.{:02}\"",
                p / 100,
                p % 100
            )),
            (1_u32..=100).prop_map(|r| format!(
                "method = \"consumed_days_fee\"\ndiscount_ratio = \"{r}/100\""
            )),
            (1_u32..500).prop_map(|r| format!(
                "method = \"consumed_days_fee\"\ndaily_rate = \"{}.{:02}\"",
                r / 100,
                r % 100
            )),
        ];
        let rounding = prop_oneof![Just("down"), Just("half_up"), Just("up")];
        let extras = (
            proptest::option::of(0_u32..=100),
            proptest::option::of(0_u32..1000),
            proptest::option::of(0_u32..10),
            prop_oneof![Just("deduct_value"), Just("void_refund"), Just("ignore")],
        );
        (method, rounding, extras).prop_map(|(method, rounding, (pct, fee, cooling, redeemed))| {
            let mut text = format!("[refund]\n{method}\nrounding = \"{rounding}\"\nredeemed_benefits = \"{redeemed}\"\n");
            if let Some(p) = pct {
                text.push_str(&format!("handling_fee_percent = {p}\n"));
            }
            if let Some(f) = fee {
                text.push_str(&format!("handling_fee = \"{}.{:02}\"\n", f / 100, f % 100));
            }
            if let Some(c) = cooling {
                text.push_str(&format!("cooling_off_days = {c}\n"));
            }
            text
        })
    }

    fn any_plan() -> impl Strategy<Value = Membership> {
        let period = prop_oneof![
            Just(Period::month()),
            Just(Period::quarter()),
            Just(Period::year()),
            Just(Period::Months(2))
        ];
        (
            period,
            0_i64..10_000_000,
            0_i32..3000,
            proptest::option::of((1_u32..10, 0_u32..10, 0_i64..5000)),
        )
            .prop_map(|(period, price, offset, benefit)| {
                let start = date(2020, 1, 1)
                    .checked_add(jiff::Span::new().days(offset))
                    .unwrap();
                let mut m = plan(Billing::Periodic(period), "0", start);
                m.price = Money::from_minor(price, Currency::CNY);
                if let Some((quantity, redeemed, value)) = benefit {
                    m.benefits.push(Benefit {
                        name: "券".into(),
                        unit_value: Some(Money::from_minor(value, Currency::CNY)),
                        quantity,
                        redeemed: redeemed.min(quantity),
                    });
                }
                m
            })
    }

    proptest! {
        #[test]
        fn refunds_are_bounded_and_never_grow_later_in_the_period(
            m in any_plan(), policy in any_policy(), a in 0_i32..400, b in 0_i32..400, periods in 0_i64..30,
        ) {
            let policy = Policy::from_toml(&policy).unwrap();
            let Billing::Periodic(period) = m.billing else { unreachable!() };
            let start = period.boundary(m.start, periods).unwrap();
            let end = period.boundary(m.start, periods + 1).unwrap();
            let days = i64::from((end - start).get_days());
            let (early, late) = (i64::from(a.min(b)) % days, i64::from(a.max(b)) % days);
            let (early, late) = (early.min(late), early.max(late));
            let day = |n: i64| start.checked_add(jiff::Span::new().days(n)).unwrap();
            let r1 = compute_refund(&m, &policy, day(early)).unwrap();
            let r2 = compute_refund(&m, &policy, day(late)).unwrap();
            for r in [&r1, &r2] {
                prop_assert!(r.amount.minor_units() >= 0);
                prop_assert!(r.amount.minor_units() <= m.price.minor_units());
                prop_assert_eq!(r.period_start, start);
                prop_assert!(!r.lines.is_empty());
            }
            prop_assert!(r2.amount.minor_units() <= r1.amount.minor_units(), "{} then {}", r1.amount, r2.amount);
        }
    }
}
