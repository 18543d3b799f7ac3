//! The machine-readable terms of one plan: how it refunds, how long refunds take, when
//! to cancel, and what the platform promises. Written as TOML by hand, by the catalogue,
//! or by the clause reader; the schema is documented in `docs/policy.md`.
//!
//! Every field is either a bare value (`method = "pro_rata_days"`) or a table that also
//! carries where it came from (`method = { value = "none", source = "…不予退还…",
//! confidence = 0.9 }`). Unknown keys and impossible values are errors that name the key.
//! Ratios written as TOML floats (`discount_ratio = 0.8`) are turned into exact decimal
//! fractions before any arithmetic: no float touches money.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};
use crate::membership::Channel;
use crate::money::{Currency, Money, MoneyError, Rounding};
use crate::period::Period;

/// A policy value with the sentence it was read from and how sure the reader was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// The quoted source sentence, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 0.0–1.0: how sure the reader was (absent: stated by the user).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

impl<T> Sourced<T> {
    /// A value with no source.
    pub fn plain(value: T) -> Sourced<T> {
        Sourced {
            value,
            source: None,
            confidence: None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sourced<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SourcedVisitor(PhantomData))
    }
}

struct SourcedVisitor<T>(PhantomData<T>);

macro_rules! forward_plain {
    ($($visit:ident: $ty:ty => $de:ident),* $(,)?) => {$(
        fn $visit<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            T::deserialize(de::value::$de::<E>::new(v)).map(Sourced::plain)
        }
    )*};
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for SourcedVisitor<T> {
    type Value = Sourced<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, or a table { value = …, source = \"…\", confidence = 0.9 }")
    }

    forward_plain! {
        visit_bool: bool => BoolDeserializer,
        visit_i64: i64 => I64Deserializer,
        visit_u64: u64 => U64Deserializer,
        visit_f64: f64 => F64Deserializer,
        visit_str: &str => StrDeserializer,
        visit_string: String => StringDeserializer,
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Sourced::plain)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value = None;
        let mut source = None;
        let mut confidence: Option<f64> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => value = Some(map.next_value::<T>()?),
                "source" => source = Some(map.next_value::<String>()?),
                "confidence" => {
                    let c = map.next_value::<f64>()?;
                    if !(0.0..=1.0).contains(&c) {
                        return Err(de::Error::custom(format!(
                            "confidence {c} is outside 0.0–1.0"
                        )));
                    }
                    confidence = Some(c);
                }
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["value", "source", "confidence"],
                    ));
                }
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
        Ok(Sourced {
            value,
            source,
            confidence,
        })
    }
}

/// An exact non-negative fraction, read from `0.8`, `"0.8"`, `80%`-free decimals or `"4/5"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    /// Numerator.
    pub num: i64,
    /// Denominator (> 0).
    pub den: i64,
}

impl Ratio {
    /// Reads a decimal (`0.8`, `12.5`) or a fraction (`4/5`).
    pub fn parse(text: &str) -> Result<Ratio, String> {
        let text = text.trim();
        if let Some((n, d)) = text.split_once('/') {
            let num: i64 = n
                .trim()
                .parse()
                .map_err(|_| format!("{text:?} is not a fraction like 4/5"))?;
            let den: i64 = d
                .trim()
                .parse()
                .map_err(|_| format!("{text:?} is not a fraction like 4/5"))?;
            if den <= 0 || num < 0 {
                return Err(format!(
                    "{text:?} must be a non-negative fraction with a positive denominator"
                ));
            }
            // Kept small enough that refund arithmetic on them cannot overflow.
            if den > 1_000_000_000 || num > 1_000_000_000_000 {
                return Err(format!("{text:?} has too many digits"));
            }
            return Ok(Ratio { num, den });
        }
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits_ok = !int.is_empty()
            && int.chars().all(|c| c.is_ascii_digit())
            && frac.chars().all(|c| c.is_ascii_digit());
        if !digits_ok || frac.len() > 9 {
            return Err(format!(
                "{text:?} is not a non-negative decimal such as 0.8"
            ));
        }
        let den = 10_i64.pow(frac.len() as u32);
        let num = format!("{int}{frac}")
            .parse::<i64>()
            .map_err(|_| format!("{text:?} is too large"))?;
        Ok(Ratio { num, den })
    }

    /// As a decimal string, e.g. `0.8`.
    pub fn to_decimal_string(self) -> String {
        // Exact when the denominator is a power of ten; otherwise a fraction.
        let mut den = self.den;
        let mut zeros = 0;
        while den % 10 == 0 {
            den /= 10;
            zeros += 1;
        }
        if den != 1 {
            return format!("{}/{}", self.num, self.den);
        }
        if zeros == 0 {
            return self.num.to_string();
        }
        let scale = 10_i64.pow(zeros);
        let frac = format!("{:0width$}", self.num % scale, width = zeros as usize);
        format!("{}.{}", self.num / scale, frac.trim_end_matches('0'))
            .trim_end_matches('.')
            .to_string()
    }

    /// Whether the ratio is zero.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Compares with `n / d`.
    pub fn cmp_frac(self, n: i64, d: i64) -> std::cmp::Ordering {
        (i128::from(self.num) * i128::from(d)).cmp(&(i128::from(n) * i128::from(self.den)))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

impl Serialize for Ratio {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_decimal_string())
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Ratio;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative number such as 0.8, or a fraction \"4/5\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Ratio, E> {
                if v < 0 {
                    return Err(E::custom(format!("{v} is negative")));
                }
                Ok(Ratio { num: v, den: 1 })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Ratio, E> {
                i64::try_from(v)
                    .map(|num| Ratio { num, den: 1 })
                    .map_err(|_| E::custom("too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Ratio, E> {
                // Rust prints the shortest decimal that reads back as the same f64, which
                // is the decimal the user wrote: 0.8 → "0.8" → 8/10 exactly.
                Ratio::parse(&format!("{v}")).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Ratio, E> {
                Ratio::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// An amount as written in the policy (`"25.00"`, `"¥5"`), valued in the membership's
/// currency when the policy is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Amount(String);

impl Amount {
    /// An amount already checked to parse.
    pub(crate) fn new(text: &str) -> Amount {
        Amount(text.to_string())
    }

    /// The amount in `currency` (the text may name the same currency, not another).
    pub fn to_money(&self, currency: Currency) -> Result<Money, MoneyError> {
        let money = Money::parse(&self.0, currency)?;
        if money.currency() != currency {
            return Err(MoneyError::CurrencyMismatch {
                left: currency.code(),
                right: money.currency().code(),
            });
        }
        Ok(money)
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a string, such as \"25.00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Money::parse(v, Currency::CNY).map_err(|e| E::custom(e.to_string()))?;
                Ok(Amount(v.trim().to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Amount, E> {
                Err(E::custom(
                    "write amounts as strings (\"25.00\"), not floats, so they stay exact",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

/// How the refund for the current period is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundMethod {
    /// Everything paid for the period comes back.
    Full,
    /// Paid × unused days / days in the period.
    ProRataDays,
    /// Paid × unused whole months / months in the period (the started month counts as used).
    ProRataMonths,
    /// Paid − every started month at the list price per month.
    UsedMonthsAtListPrice,
    /// Paid − days used × a daily fee ((price / days in period) / discount_ratio, or daily_rate).
    ConsumedDaysFee,
    /// Nothing is refunded.
    None,
}

impl RefundMethod {
    /// The policy's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            RefundMethod::Full => "full",
            RefundMethod::ProRataDays => "pro_rata_days",
            RefundMethod::ProRataMonths => "pro_rata_months",
            RefundMethod::UsedMonthsAtListPrice => "used_months_at_list_price",
            RefundMethod::ConsumedDaysFee => "consumed_days_fee",
            RefundMethod::None => "none",
        }
    }
}

/// What redeemed benefits do to a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedeemedBenefits {
    /// Their value is deducted from the refund.
    DeductValue,
    /// Redeeming any benefit voids the refund.
    VoidRefund,
    /// They do not matter.
    Ignore,
}

/// The `[refund]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundPolicy {
    /// How the refund is computed.
    pub method: Option<Sourced<RefundMethod>>,
    /// Rounding to the minor unit (default: down, in the platform's favour, as most do).
    pub rounding: Option<Sourced<Rounding>>,
    /// For `used_months_at_list_price`: the price charged per started month.
    pub list_price_per_month: Option<Sourced<Amount>>,
    /// For `consumed_days_fee`: the daily fee is (price / days) / discount_ratio.
    pub discount_ratio: Option<Sourced<Ratio>>,
    /// For `consumed_days_fee`: a fixed daily fee instead of the ratio.
    pub daily_rate: Option<Sourced<Amount>>,
    /// A percentage of the refund kept as a handling fee.
    pub handling_fee_percent: Option<Sourced<Ratio>>,
    /// A fixed handling fee taken from the refund.
    pub handling_fee: Option<Sourced<Amount>>,
    /// What redeemed benefits do to the refund.
    pub redeemed_benefits: Option<Sourced<RedeemedBenefits>>,
    /// Full refund within this many days of purchase when no benefit was redeemed.
    pub cooling_off_days: Option<Sourced<u32>>,
    /// Whether cancelling voids the benefits not yet redeemed (coupons, vouchers).
    pub voids_unredeemed_benefits: Option<Sourced<bool>>,
    /// Other ways the refund clause can be read (the same clause, another method). Under
    /// 《民法典》第四百九十八条 a standard term with two readings is read against the party
    /// that wrote it, so the rule check claims the reading that refunds the most.
    pub other_readings: Option<Sourced<Vec<RefundMethod>>>,
}

/// The `[timing]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimingPolicy {
    /// The stated arrival window in working days after the request: `[3, 7]` or `5`.
    pub refund_working_days: Option<Sourced<WorkingDayWindow>>,
    /// Calendar days after the request after which the refund is overdue.
    pub refund_max_days: Option<Sourced<u32>>,
    /// Cancel at least this many hours before the renewal.
    pub cancel_cutoff_hours: Option<Sourced<u32>>,
    /// How many days before a renewal the platform promises to remind.
    pub renewal_reminder_days: Option<Sourced<u32>>,
}

/// A window of working days: `[3, 7]`, or `5` for `[5, 5]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WorkingDayWindow {
    /// The earliest arrival.
    pub min: u32,
    /// The latest arrival.
    pub max: u32,
}

impl<'de> Deserialize<'de> for WorkingDayWindow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(u32),
            Two([u32; 2]),
        }
        match Raw::deserialize(d).map_err(|_| {
            de::Error::custom("expected a number of working days (5) or a window [3, 7]")
        })? {
            Raw::One(n) => Ok(WorkingDayWindow { min: n, max: n }),
            Raw::Two([a, b]) if a <= b => Ok(WorkingDayWindow { min: a, max: b }),
            Raw::Two([a, b]) => Err(de::Error::custom(format!(
                "the window [{a}, {b}] ends before it starts"
            ))),
        }
    }
}

/// The optional `[plan]` table: what a catalogue template fills in for `add --template`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTemplate {
    /// A one-line description for people.
    pub description: Option<String>,
    /// Default platform name.
    pub platform: Option<String>,
    /// Default plan name.
    pub plan: Option<String>,
    /// `periodic`, `one_time` or `gifted`.
    pub billing: Option<String>,
    /// For periodic billing.
    pub period: Option<Period>,
    /// Default price.
    pub price: Option<Amount>,
    /// Default currency code.
    pub currency: Option<Currency>,
    /// Channels where such plans usually auto-renew.
    #[serde(default)]
    pub auto_renew: Vec<Channel>,
    /// Default category.
    pub category: Option<String>,
}

/// The terms of one plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Template defaults (catalogue entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanTemplate>,
    /// How refunds are computed.
    #[serde(default)]
    pub refund: RefundPolicy,
    /// Refund timing, cut-off and reminders.
    #[serde(default)]
    pub timing: TimingPolicy,
}

impl Policy {
    /// Reads and checks a policy written in TOML.
    ///
    /// ```
    /// use tuiding_core::policy::{Policy, RefundMethod};
    /// let p = Policy::from_toml("[refund]\nmethod = \"pro_rata_days\"\nrounding = \"down\"\n").unwrap();
    /// assert_eq!(p.refund.method.unwrap().value, RefundMethod::ProRataDays);
    /// let err = Policy::from_toml("[refund]\nmethd = \"full\"\n").unwrap_err();
    /// assert_eq!(err.key.as_deref(), Some("refund.methd"));
    /// assert_eq!(err.line, Some(2));
    /// ```
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy = toml::from_str(text).map_err(|e| PolicyError::from_toml(text, &e))?;
        policy.check()?;
        Ok(policy)
    }

    /// The method, when stated.
    pub fn method(&self) -> Option<RefundMethod> {
        self.refund.method.as_ref().map(|m| m.value)
    }

    /// The rounding rule: as stated, else down (the platform's usual choice).
    pub fn rounding(&self) -> Rounding {
        self.refund
            .rounding
            .as_ref()
            .map_or(Rounding::Down, |r| r.value)
    }

    /// The cut-off in hours (0 when not stated).
    pub fn cancel_cutoff_hours(&self) -> u32 {
        self.timing
            .cancel_cutoff_hours
            .as_ref()
            .map_or(0, |c| c.value)
    }

    /// Checks relations between fields and impossible values.
    pub(crate) fn check(&self) -> Result<(), PolicyError> {
        let r = &self.refund;
        if let Some(ratio) = &r.discount_ratio
            && (ratio.value.is_zero() || ratio.value.cmp_frac(1, 1).is_gt())
        {
            return Err(PolicyError::invalid(
                "refund.discount_ratio",
                format!("{} must be above 0 and at most 1", ratio.value),
            ));
        }
        if let Some(p) = &r.handling_fee_percent
            && p.value.cmp_frac(100, 1).is_gt()
        {
            return Err(PolicyError::invalid(
                "refund.handling_fee_percent",
                format!("{} is more than 100", p.value),
            ));
        }
        // A method whose number is missing (a consumed-days fee without its ratio) is an
        // incomplete policy, not a wrong one: the rule check names the missing number and
        // what each possible value would give.
        if self.method() == Some(RefundMethod::ConsumedDaysFee)
            && r.discount_ratio.is_some()
            && r.daily_rate.is_some()
        {
            return Err(PolicyError::invalid(
                "refund.daily_rate",
                "give discount_ratio or daily_rate, not both".into(),
            ));
        }
        if let Some(readings) = &r.other_readings
            && readings.value.iter().any(|m| Some(*m) == self.method())
        {
            return Err(PolicyError::invalid(
                "refund.other_readings",
                "lists refund.method itself; name only the other readings".into(),
            ));
        }
        if let Some(days) = &r.cooling_off_days
            && days.value > 366
        {
            return Err(PolicyError::invalid(
                "refund.cooling_off_days",
                format!("{} days is more than a year", days.value),
            ));
        }
        for (key, days) in [
            ("timing.refund_max_days", &self.timing.refund_max_days),
            (
                "timing.renewal_reminder_days",
                &self.timing.renewal_reminder_days,
            ),
        ] {
            if let Some(days) = days
                && days.value > crate::bounds::MAX_DAYS
            {
                return Err(PolicyError::invalid(
                    key,
                    format!(
                        "{} days is more than {}",
                        days.value,
                        crate::bounds::MAX_DAYS
                    ),
                ));
            }
        }
        if let Some(hours) = &self.timing.cancel_cutoff_hours
            && hours.value > 24 * 366
        {
            return Err(PolicyError::invalid(
                "timing.cancel_cutoff_hours",
                format!("{} hours is more than a year", hours.value),
            ));
        }
        if let Some(w) = &self.timing.refund_working_days
            && w.value.max > 366
        {
            return Err(PolicyError::invalid(
                "timing.refund_working_days",
                format!("{} working days is more than a year", w.value.max),
            ));
        }
        if let Some(plan) = &self.plan {
            if let Some(billing) = &plan.billing
                && !matches!(billing.as_str(), "periodic" | "one_time" | "gifted")
            {
                return Err(PolicyError::invalid(
                    "plan.billing",
                    format!("{billing:?} is not periodic, one_time or gifted"),
                ));
            }
            if plan.billing.as_deref() == Some("periodic") && plan.period.is_none() {
                return Err(PolicyError::invalid(
                    "plan.period",
                    "periodic billing needs a period".into(),
                ));
            }
        }
        Ok(())
    }
}

/// Why a policy was refused: where, which key, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{}", location(*line, *column), key.as_ref().map(|k| format!("{k}: ")).unwrap_or_default(), message)]
pub struct PolicyError {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The dotted key at fault, e.g. `refund.method`.
    pub key: Option<String>,
    /// What is wrong, with what was expected.
    pub message: String,
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    }
}

impl PolicyError {
    fn invalid(key: &str, message: String) -> PolicyError {
        PolicyError {
            line: None,
            column: None,
            key: Some(key.to_string()),
            message,
        }
    }

    fn from_toml(text: &str, err: &toml::de::Error) -> PolicyError {
        let message = err.message().trim().to_string();
        let Some(span) = err.span() else {
            return PolicyError {
                line: None,
                column: None,
                key: None,
                message,
            };
        };
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..span.start.min(text.len())].chars().count() + 1;
        PolicyError {
            line: Some(line),
            column: Some(column),
            key: key_at(text, line_start),
            message,
        }
    }

    /// Puts the error in a file's terms: `policy.toml:3:10: refund.method: …`.
    pub fn in_file(&self, file: &str) -> String {
        let location = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}: "),
            _ => format!("{file}: "),
        };
        let key = self
            .key
            .as_ref()
            .map(|k| format!("{k}: "))
            .unwrap_or_default();
        format!("{location}{key}{}", self.message)
    }
}

/// The dotted key defined on the line starting at `line_start`, with its table header.
fn key_at(text: &str, line_start: usize) -> Option<String> {
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    if line.starts_with('[') {
        return Some(line.trim_matches(['[', ']']).trim().to_string());
    }
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string());
    let table = text[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        (l.starts_with('[') && l.ends_with(']'))
            .then(|| l.trim_matches(['[', ']']).trim().to_string())
    });
    match (table, key) {
        (Some(t), Some(k)) if !k.is_empty() => Some(format!("{t}.{k}")),
        (None, Some(k)) if !k.is_empty() => Some(k),
        (Some(t), _) => Some(t),
        _ => None,
    }
}

impl Localized for PolicyError {
    fn localized(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => {
                let location = match (self.line, self.column) {
                    (Some(l), Some(c)) => format!("第 {l} 行第 {c} 列："),
                    _ => String::new(),
                };
                let key = self
                    .key
                    .as_ref()
                    .map(|k| format!("{k}："))
                    .unwrap_or_default();
                format!("{location}{key}{}", self.message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
[refund]
method = "consumed_days_fee"
rounding = "down"
discount_ratio = { value = 0.8, source = "按已使用天数×折扣比例扣除费用", confidence = 0.9 }
handling_fee_percent = 10
handling_fee = "5.00"
redeemed_benefits = "deduct_value"
cooling_off_days = 7
voids_unredeemed_benefits = true

[timing]
refund_working_days = [3, 7]
refund_max_days = 15
cancel_cutoff_hours = 24
renewal_reminder_days = 5
"#;

    #[test]
    fn reads_every_key_and_sources() {
        let p = Policy::from_toml(FULL).unwrap();
        let ratio = p.refund.discount_ratio.as_ref().unwrap();
        assert_eq!(ratio.value, Ratio { num: 8, den: 10 });
        assert_eq!(ratio.confidence, Some(0.9));
        assert!(ratio.source.as_deref().unwrap().contains("折扣比例"));
        assert_eq!(
            p.timing.refund_working_days.as_ref().unwrap().value,
            WorkingDayWindow { min: 3, max: 7 }
        );
        assert_eq!(
            p.refund.handling_fee_percent.as_ref().unwrap().value,
            Ratio { num: 10, den: 1 }
        );
        assert_eq!(p.rounding(), Rounding::Down);
        assert_eq!(p.cancel_cutoff_hours(), 24);
    }

    #[test]
    fn typos_and_impossible_values_name_the_key() {
        let cases = [
            (
                "[refund]\nmethod = \"prorata\"\n",
                "refund.method",
                "prorata",
            ),
            (
                "[refund]\nmethd = \"full\"\n",
                "refund.methd",
                "unknown field",
            ),
            ("[refnd]\nmethod = \"full\"\n", "refnd", "unknown field"),
            (
                "[refund]\nrounding = \"nearest\"\n",
                "refund.rounding",
                "nearest",
            ),
            (
                "[refund]\nhandling_fee = 5.5\n",
                "refund.handling_fee",
                "strings",
            ),
            (
                "[refund]\nhandling_fee = \"-5\"\n",
                "refund.handling_fee",
                "negative",
            ),
            (
                "[refund]\ndiscount_ratio = -0.8\n",
                "refund.discount_ratio",
                "",
            ),
            (
                "[refund]\ndiscount_ratio = 0\n",
                "refund.discount_ratio",
                "above 0",
            ),
            (
                "[refund]\nhandling_fee_percent = 120\n",
                "refund.handling_fee_percent",
                "100",
            ),
            (
                "[refund]\nmethod = \"consumed_days_fee\"\ndiscount_ratio = 0.9\ndaily_rate = \"1\"\n",
                "refund.daily_rate",
                "not both",
            ),
            (
                "[refund]\nmethod = \"full\"\nother_readings = [\"full\"]\n",
                "refund.other_readings",
                "itself",
            ),
            (
                "[timing]\nrefund_working_days = [7, 3]\n",
                "timing.refund_working_days",
                "before it starts",
            ),
            (
                "[timing]\ncancel_cutoff_hours = -1\n",
                "timing.cancel_cutoff_hours",
                "",
            ),
            (
                "[refund]\nmethod = { value = \"full\", confidence = 2.0 }\n",
                "refund.method",
                "confidence",
            ),
            (
                "[refund]\nmethod = { valeu = \"full\" }\n",
                "refund.method",
                "valeu",
            ),
        ];
        for (text, key, words) in cases {
            let err = Policy::from_toml(text).unwrap_err();
            assert_eq!(err.key.as_deref(), Some(key), "{text}: {err}");
            assert!(err.to_string().contains(words), "{text}: {err}");
        }
        let err = Policy::from_toml("[refund]\nmethod = \"prorata\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(10)));
        assert!(
            err.in_file("p.toml")
                .starts_with("p.toml:2:10: refund.method: ")
        );
        assert!(
            err.localized(Lang::Zh)
                .starts_with("第 2 行第 10 列：refund.method：")
        );
    }

    #[test]
    fn ratios_are_exact() {
        assert_eq!(Ratio::parse("0.8").unwrap(), Ratio { num: 8, den: 10 });
        assert_eq!(Ratio::parse("4/5").unwrap(), Ratio { num: 4, den: 5 });
        assert_eq!(Ratio::parse("12.5").unwrap().to_string(), "12.5");
        assert_eq!(Ratio { num: 8, den: 10 }.to_string(), "0.8");
        assert!(Ratio::parse("-1").is_err());
        assert!(Ratio::parse("abc").is_err());
        let p = Policy::from_toml("[refund]\ndiscount_ratio = 0.85\n").unwrap();
        assert_eq!(
            p.refund.discount_ratio.unwrap().value,
            Ratio { num: 85, den: 100 }
        );
    }

    #[test]
    fn an_empty_policy_is_valid() {
        assert_eq!(Policy::from_toml("").unwrap(), Policy::default());
    }
}
