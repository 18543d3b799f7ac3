//! Policies without TOML: every field of `docs/policy.md` by its dotted key, with a label
//! for people, its value as text, and setting it from text (a flag `--set
//! refund.discount_ratio=0.9`, a prompt, a web form field) with an error that names the key.
//! [`Policy::to_toml`] writes the result back as the policy file, sources kept.

use std::fmt::Write;

use crate::i18n::Lang;
use crate::money::{Currency, Money, Rounding};
use crate::policy::{
    Amount, Policy, PolicyError, Ratio, RedeemedBenefits, RefundMethod, Sourced, WorkingDayWindow,
};

/// What kind of value a field holds (how it is typed in and shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One of fixed words.
    Choice(&'static [&'static str]),
    /// Several of fixed words, comma-separated.
    Choices(&'static [&'static str]),
    /// An exact decimal such as `0.9`.
    Ratio,
    /// An amount such as `25.00`.
    Amount,
    /// A whole number.
    Count,
    /// `true` / `false`.
    Bool,
    /// Working days: `3-7` or `5`.
    Window,
}

/// One field of a policy.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The dotted key, e.g. `refund.discount_ratio`.
    pub key: &'static str,
    /// What it is called (zh, en).
    pub label: (&'static str, &'static str),
    /// What to type and where to find it in an agreement (zh, en).
    pub hint: (&'static str, &'static str),
    /// Its kind.
    pub kind: FieldKind,
}

impl FieldSpec {
    /// The label in one language.
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label.0, self.label.1)
    }

    /// The hint in one language.
    pub fn hint(&self, lang: Lang) -> &'static str {
        lang.pick(self.hint.0, self.hint.1)
    }

    /// "折扣比例未写明（refund.discount_ratio）：…": the field is missing, and where to look.
    pub fn not_stated(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("{}未写明（{}）：{}。", self.label.0, self.key, self.hint.0),
            Lang::En => format!(
                "The {} is not stated ({}): {}.",
                self.label.1.to_lowercase(),
                self.key,
                self.hint.1
            ),
        }
    }
}

const METHODS: &[&str] = &[
    "full",
    "pro_rata_days",
    "pro_rata_months",
    "used_months_at_list_price",
    "consumed_days_fee",
    "none",
];

/// Every field, in the order forms show them.
pub const POLICY_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        key: "refund.method",
        label: ("退款方式", "Refund method"),
        hint: (
            "协议“退款”“不予退还”条款：全额、按剩余天数、按剩余整月、已用月份按原价、按已用天数扣费、不退",
            "the agreement's refund clause: full, pro rata by days or months, used months at list price, a consumed-days fee, none",
        ),
        kind: FieldKind::Choice(METHODS),
    },
    FieldSpec {
        key: "refund.other_readings",
        label: ("条款的其他理解", "Other readings of the clause"),
        hint: (
            "同一条款还能读成的退款方式（逗号分隔）；按《民法典》第四百九十八条取对你有利的理解",
            "other methods the same clause can be read as (comma-separated); the reading that favours you is claimed (Civil Code art. 498)",
        ),
        kind: FieldKind::Choices(METHODS),
    },
    FieldSpec {
        key: "refund.discount_ratio",
        label: ("折扣比例", "Discount ratio"),
        hint: (
            "按已用天数扣费时：每日费用 = 价格 ÷ 天数 ÷ 比例；找“折扣比例”“÷0.8”“8折”，如 0.9",
            "for a consumed-days fee: daily fee = price ÷ days ÷ ratio; look for 折扣比例, ÷0.8, 8折; e.g. 0.9",
        ),
        kind: FieldKind::Ratio,
    },
    FieldSpec {
        key: "refund.daily_rate",
        label: ("每日费用", "Daily fee"),
        hint: (
            "按已用天数扣费时的固定日费（与折扣比例二选一），如 0.60",
            "a fixed daily fee for a consumed-days fee (instead of the ratio), e.g. 0.60",
        ),
        kind: FieldKind::Amount,
    },
    FieldSpec {
        key: "refund.list_price_per_month",
        label: ("单月原价", "List price per month"),
        hint: (
            "已用月份按原价扣时的单月价格，找“单月原价”“连续包月价格”，如 25.00",
            "the monthly list price charged per used month, e.g. 25.00",
        ),
        kind: FieldKind::Amount,
    },
    FieldSpec {
        key: "refund.redeemed_benefits",
        label: ("已用权益", "Redeemed benefits"),
        hint: (
            "找“已兑换”“已使用”：扣除其价值（deduct_value）、使用过即不退（void_refund）、不影响（ignore）",
            "look for 已兑换/已使用: deduct their value, void the refund, or ignore",
        ),
        kind: FieldKind::Choice(&["deduct_value", "void_refund", "ignore"]),
    },
    FieldSpec {
        key: "refund.voids_unredeemed_benefits",
        label: ("退订后未用权益作废", "Cancelling voids unused benefits"),
        hint: (
            "找“未使用的券”“自动失效”“作废”：true 或 false",
            "look for unused coupons being voided: true or false",
        ),
        kind: FieldKind::Bool,
    },
    FieldSpec {
        key: "refund.handling_fee_percent",
        label: ("手续费比例（%）", "Handling fee (%)"),
        hint: (
            "从退款中扣的百分比，如 10",
            "a percentage kept from the refund, e.g. 10",
        ),
        kind: FieldKind::Ratio,
    },
    FieldSpec {
        key: "refund.handling_fee",
        label: ("固定手续费", "Fixed handling fee"),
        hint: (
            "从退款中扣的固定金额，如 5.00",
            "a fixed amount kept, e.g. 5.00",
        ),
        kind: FieldKind::Amount,
    },
    FieldSpec {
        key: "refund.cooling_off_days",
        label: ("冷静期（天）", "Cooling-off days"),
        hint: (
            "购买后几天内未使用可全额退款，找“7天无理由”",
            "full refund within N days of purchase with nothing used",
        ),
        kind: FieldKind::Count,
    },
    FieldSpec {
        key: "refund.rounding",
        label: ("取整", "Rounding"),
        hint: (
            "退款取整到分：down（默认）、half_up、up",
            "rounding to the fen: down (default), half_up, up",
        ),
        kind: FieldKind::Choice(&["down", "half_up", "up"]),
    },
    FieldSpec {
        key: "timing.refund_working_days",
        label: ("退款到账（工作日）", "Refund arrives (working days)"),
        hint: (
            "找“个工作日”，如 3-7 或 5",
            "look for working days: 3-7 or 5",
        ),
        kind: FieldKind::Window,
    },
    FieldSpec {
        key: "timing.refund_max_days",
        label: ("逾期天数", "Overdue after (days)"),
        hint: (
            "申请后超过多少个自然日算逾期",
            "calendar days after the request after which it is overdue",
        ),
        kind: FieldKind::Count,
    },
    FieldSpec {
        key: "timing.cancel_cutoff_hours",
        label: ("提前取消（小时）", "Cancel cut-off (hours)"),
        hint: (
            "需在续费前多少小时取消，找“到期前24小时扣费”",
            "cancel at least this many hours before the renewal",
        ),
        kind: FieldKind::Count,
    },
    FieldSpec {
        key: "timing.renewal_reminder_days",
        label: ("续费前提醒（天）", "Renewal reminder (days)"),
        hint: (
            "平台承诺续费前几天提醒；少于 5 天可投诉（第十八条）",
            "days before renewal the platform reminds; under 5 supports a complaint (art. 18)",
        ),
        kind: FieldKind::Count,
    },
];

/// The spec of a key, if it is a policy field.
pub fn field_spec(key: &str) -> Option<&'static FieldSpec> {
    POLICY_FIELDS.iter().find(|f| f.key == key)
}

fn bad(key: &str, message: String) -> PolicyError {
    PolicyError {
        line: None,
        column: None,
        key: Some(key.to_string()),
        message,
    }
}

/// Replaces a field's value, keeping its source when the value did not change.
fn put<T: PartialEq>(slot: &mut Option<Sourced<T>>, value: Option<T>) {
    *slot = match (slot.take(), value) {
        (Some(old), Some(v)) if old.value == v => Some(old),
        (_, Some(v)) => Some(Sourced::plain(v)),
        (_, None) => None,
    };
}

fn parse_choice<T: for<'de> serde::Deserialize<'de>>(
    key: &str,
    text: &str,
) -> Result<T, PolicyError> {
    let word = text.trim().replace('-', "_");
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(&word))
        .map_err(|_| {
            let choices = match field_spec(key).map(|f| f.kind) {
                Some(FieldKind::Choice(c) | FieldKind::Choices(c)) => c.join(", "),
                _ => String::new(),
            };
            bad(key, format!("{text:?} is not one of: {choices}"))
        })
}

fn parse_count(key: &str, text: &str) -> Result<u32, PolicyError> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| bad(key, format!("{text:?} is not a whole number of 0 or more")))
}

fn parse_amount(key: &str, text: &str) -> Result<Amount, PolicyError> {
    Money::parse(text, Currency::CNY).map_err(|e| bad(key, e.to_string()))?;
    Ok(Amount::new(text.trim()))
}

fn parse_bool(key: &str, text: &str) -> Result<bool, PolicyError> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" | "会" | "作废" => Ok(true),
        "false" | "no" | "n" | "0" | "否" | "不会" | "不作废" => Ok(false),
        _ => Err(bad(key, format!("{text:?} is not true or false"))),
    }
}

fn parse_window(key: &str, text: &str) -> Result<WorkingDayWindow, PolicyError> {
    let cleaned = text.trim().trim_matches(['[', ']']);
    let parts: Vec<&str> = cleaned
        .split(['-', '~', '～', ',', '至'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let numbers: Result<Vec<u32>, _> = parts.iter().map(|p| p.parse::<u32>()).collect();
    match numbers.as_deref() {
        Ok([n]) => Ok(WorkingDayWindow { min: *n, max: *n }),
        Ok([a, b]) if a <= b => Ok(WorkingDayWindow { min: *a, max: *b }),
        _ => Err(bad(
            key,
            format!("{text:?} is not a number of working days (5) or a window (3-7)"),
        )),
    }
}

impl Policy {
    /// Sets one field from text; empty text removes it. The policy is checked as a whole
    /// afterwards (a ratio above 1, both a ratio and a daily fee), and on any error nothing
    /// changes.
    ///
    /// ```
    /// use tuiding_core::policy::Policy;
    /// let mut p = Policy::from_toml("[refund]\nmethod = \"consumed_days_fee\"\n").unwrap();
    /// p.set_field("refund.discount_ratio", "0.9").unwrap();
    /// assert_eq!(p.field_text("refund.discount_ratio").as_deref(), Some("0.9"));
    /// let err = p.set_field("refund.discount_ratio", "1.5").unwrap_err();
    /// assert_eq!(err.key.as_deref(), Some("refund.discount_ratio"));
    /// assert_eq!(Policy::from_toml(&p.to_toml()).unwrap(), p);
    /// ```
    pub fn set_field(&mut self, key: &str, text: &str) -> Result<(), PolicyError> {
        let mut next = self.clone();
        next.apply_field(key, text)?;
        next.check()?;
        *self = next;
        Ok(())
    }

    /// Sets several fields at once (a form): each is read, then the policy is checked once,
    /// so fields that only fit together (a method and its other readings swapped) are
    /// accepted. On any error nothing changes and every problem is returned by its key.
    pub fn set_fields(&mut self, values: &[(String, String)]) -> Result<(), Vec<PolicyError>> {
        let mut next = self.clone();
        let mut problems = Vec::new();
        for (key, text) in values {
            if let Err(e) = next.apply_field(key, text) {
                problems.push(e);
            }
        }
        // The whole is checked too (a ratio above 1 reads fine but is impossible), even
        // when another field failed to read, so every problem is named at once.
        if let Err(e) = next.check()
            && !problems.iter().any(|p| p.key == e.key)
        {
            problems.push(e);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        *self = next;
        Ok(())
    }

    /// Reads one field from text into the policy, without checking the whole.
    fn apply_field(&mut self, key: &str, text: &str) -> Result<(), PolicyError> {
        let next = self;
        let empty = text.trim().is_empty();
        let r = &mut next.refund;
        let t = &mut next.timing;
        macro_rules! set {
            ($slot:expr, $parse:expr) => {{
                let value = if empty { None } else { Some($parse) };
                put($slot, value)
            }};
        }
        match key {
            "refund.method" => set!(&mut r.method, parse_choice::<RefundMethod>(key, text)?),
            "refund.other_readings" => {
                let methods: Result<Vec<RefundMethod>, _> = text
                    .split([',', '，', '、', ' '])
                    .filter(|w| !w.trim().is_empty())
                    .map(|w| parse_choice::<RefundMethod>(key, w))
                    .collect();
                let methods = methods?;
                put(
                    &mut r.other_readings,
                    (!methods.is_empty()).then_some(methods),
                )
            }
            "refund.discount_ratio" => set!(
                &mut r.discount_ratio,
                Ratio::parse(text).map_err(|e| bad(key, e))?
            ),
            "refund.daily_rate" => set!(&mut r.daily_rate, parse_amount(key, text)?),
            "refund.list_price_per_month" => {
                set!(&mut r.list_price_per_month, parse_amount(key, text)?)
            }
            "refund.redeemed_benefits" => set!(
                &mut r.redeemed_benefits,
                parse_choice::<RedeemedBenefits>(key, text)?
            ),
            "refund.voids_unredeemed_benefits" => {
                set!(&mut r.voids_unredeemed_benefits, parse_bool(key, text)?)
            }
            "refund.handling_fee_percent" => set!(
                &mut r.handling_fee_percent,
                Ratio::parse(text.trim().trim_end_matches(['%', '％'])).map_err(|e| bad(key, e))?
            ),
            "refund.handling_fee" => set!(&mut r.handling_fee, parse_amount(key, text)?),
            "refund.cooling_off_days" => set!(&mut r.cooling_off_days, parse_count(key, text)?),
            "refund.rounding" => set!(&mut r.rounding, parse_choice::<Rounding>(key, text)?),
            "timing.refund_working_days" => {
                set!(&mut t.refund_working_days, parse_window(key, text)?)
            }
            "timing.refund_max_days" => set!(&mut t.refund_max_days, parse_count(key, text)?),
            "timing.cancel_cutoff_hours" => {
                set!(&mut t.cancel_cutoff_hours, parse_count(key, text)?)
            }
            "timing.renewal_reminder_days" => {
                set!(&mut t.renewal_reminder_days, parse_count(key, text)?)
            }
            other => {
                let keys: Vec<&str> = POLICY_FIELDS.iter().map(|f| f.key).collect();
                return Err(bad(
                    other,
                    format!("unknown policy field; the fields are {}", keys.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// A field's value as text (as [`Policy::set_field`] reads it back), `None` when unset.
    pub fn field_text(&self, key: &str) -> Option<String> {
        let r = &self.refund;
        let t = &self.timing;
        Some(match key {
            "refund.method" => r.method.as_ref()?.value.as_str().to_string(),
            "refund.other_readings" => r
                .other_readings
                .as_ref()?
                .value
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(","),
            "refund.discount_ratio" => r.discount_ratio.as_ref()?.value.to_string(),
            "refund.daily_rate" => r.daily_rate.as_ref()?.value.as_str().to_string(),
            "refund.list_price_per_month" => {
                r.list_price_per_month.as_ref()?.value.as_str().to_string()
            }
            "refund.redeemed_benefits" => match r.redeemed_benefits.as_ref()?.value {
                RedeemedBenefits::DeductValue => "deduct_value",
                RedeemedBenefits::VoidRefund => "void_refund",
                RedeemedBenefits::Ignore => "ignore",
            }
            .to_string(),
            "refund.voids_unredeemed_benefits" => {
                r.voids_unredeemed_benefits.as_ref()?.value.to_string()
            }
            "refund.handling_fee_percent" => r.handling_fee_percent.as_ref()?.value.to_string(),
            "refund.handling_fee" => r.handling_fee.as_ref()?.value.as_str().to_string(),
            "refund.cooling_off_days" => r.cooling_off_days.as_ref()?.value.to_string(),
            "refund.rounding" => match r.rounding.as_ref()?.value {
                Rounding::Down => "down",
                Rounding::HalfUp => "half_up",
                Rounding::Up => "up",
            }
            .to_string(),
            "timing.refund_working_days" => {
                let w = t.refund_working_days.as_ref()?.value;
                if w.min == w.max {
                    w.min.to_string()
                } else {
                    format!("{}-{}", w.min, w.max)
                }
            }
            "timing.refund_max_days" => t.refund_max_days.as_ref()?.value.to_string(),
            "timing.cancel_cutoff_hours" => t.cancel_cutoff_hours.as_ref()?.value.to_string(),
            "timing.renewal_reminder_days" => t.renewal_reminder_days.as_ref()?.value.to_string(),
            _ => return None,
        })
    }

    /// The quoted source of a field, when it has one.
    pub fn field_source(&self, key: &str) -> Option<&str> {
        self.field_meta(key).0
    }

    /// The numbers the stated method needs but the policy lacks (e.g. the discount ratio of
    /// a consumed-days fee the agreement did not give), as keys.
    pub fn missing_numbers(&self) -> Vec<&'static str> {
        let r = &self.refund;
        let mut methods: Vec<RefundMethod> = self.method().into_iter().collect();
        if let Some(other) = &r.other_readings {
            methods.extend(other.value.iter().copied());
        }
        let mut missing = Vec::new();
        for m in methods {
            let key = match m {
                RefundMethod::ConsumedDaysFee
                    if r.discount_ratio.is_none() && r.daily_rate.is_none() =>
                {
                    "refund.discount_ratio"
                }
                RefundMethod::UsedMonthsAtListPrice if r.list_price_per_month.is_none() => {
                    "refund.list_price_per_month"
                }
                _ => continue,
            };
            if !missing.contains(&key) {
                missing.push(key);
            }
        }
        missing
    }

    /// The policy as a TOML file that [`Policy::from_toml`] reads back to the same policy;
    /// every field keeps its quoted source and confidence.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        if let Some(plan) = &self.plan {
            out.push_str("[plan]\n");
            let text_fields = [
                ("description", plan.description.as_deref()),
                ("platform", plan.platform.as_deref()),
                ("plan", plan.plan.as_deref()),
                ("billing", plan.billing.as_deref()),
                ("price", plan.price.as_ref().map(Amount::as_str)),
                ("currency", plan.currency.map(Currency::code)),
                ("category", plan.category.as_deref()),
            ];
            for (key, value) in text_fields {
                if let Some(v) = value {
                    let _ = writeln!(out, "{key} = {}", toml_string(v));
                }
            }
            if let Some(period) = plan.period {
                let _ = writeln!(out, "period = {}", toml_string(&period.to_string()));
            }
            if !plan.auto_renew.is_empty() {
                let list: Vec<String> = plan
                    .auto_renew
                    .iter()
                    .map(|c| toml_string(c.as_str()))
                    .collect();
                let _ = writeln!(out, "auto_renew = [{}]", list.join(", "));
            }
            out.push('\n');
        }
        for table in ["refund", "timing"] {
            let fields: Vec<&FieldSpec> = POLICY_FIELDS
                .iter()
                .filter(|f| f.key.starts_with(table) && self.field_text(f.key).is_some())
                .collect();
            if fields.is_empty() {
                continue;
            }
            let _ = writeln!(out, "[{table}]");
            for f in fields {
                let name = &f.key[table.len() + 1..];
                let literal = self.field_literal(f);
                let (source, confidence) = self.field_meta(f.key);
                match (source, confidence) {
                    (None, None) => {
                        let _ = writeln!(out, "{name} = {literal}");
                    }
                    _ => {
                        let mut parts = vec![format!("value = {literal}")];
                        if let Some(s) = source {
                            parts.push(format!("source = {}", toml_string(s)));
                        }
                        if let Some(c) = confidence {
                            parts.push(format!("confidence = {c}"));
                        }
                        let _ = writeln!(out, "{name} = {{ {} }}", parts.join(", "));
                    }
                }
            }
            out.push('\n');
        }
        out
    }

    fn field_literal(&self, f: &FieldSpec) -> String {
        let text = self.field_text(f.key).unwrap_or_default();
        match f.kind {
            FieldKind::Count | FieldKind::Bool => text,
            FieldKind::Window => {
                let w = self
                    .timing
                    .refund_working_days
                    .as_ref()
                    .map(|w| w.value)
                    .unwrap_or(WorkingDayWindow { min: 0, max: 0 });
                format!("[{}, {}]", w.min, w.max)
            }
            FieldKind::Choices(_) => {
                let list: Vec<String> = text.split(',').map(toml_string).collect();
                format!("[{}]", list.join(", "))
            }
            FieldKind::Choice(_) | FieldKind::Ratio | FieldKind::Amount => toml_string(&text),
        }
    }

    fn field_meta(&self, key: &str) -> (Option<&str>, Option<f64>) {
        let r = &self.refund;
        let t = &self.timing;
        fn meta<T>(f: &Option<Sourced<T>>) -> (Option<&str>, Option<f64>) {
            f.as_ref()
                .map_or((None, None), |s| (s.source.as_deref(), s.confidence))
        }
        match key {
            "refund.method" => meta(&r.method),
            "refund.other_readings" => meta(&r.other_readings),
            "refund.discount_ratio" => meta(&r.discount_ratio),
            "refund.daily_rate" => meta(&r.daily_rate),
            "refund.list_price_per_month" => meta(&r.list_price_per_month),
            "refund.redeemed_benefits" => meta(&r.redeemed_benefits),
            "refund.voids_unredeemed_benefits" => meta(&r.voids_unredeemed_benefits),
            "refund.handling_fee_percent" => meta(&r.handling_fee_percent),
            "refund.handling_fee" => meta(&r.handling_fee),
            "refund.cooling_off_days" => meta(&r.cooling_off_days),
            "refund.rounding" => meta(&r.rounding),
            "timing.refund_working_days" => meta(&t.refund_working_days),
            "timing.refund_max_days" => meta(&t.refund_max_days),
            "timing.cancel_cutoff_hours" => meta(&t.cancel_cutoff_hours),
            "timing.renewal_reminder_days" => meta(&t.renewal_reminder_days),
            _ => (None, None),
        }
    }
}

/// A TOML basic string (quotes, backslashes and control characters escaped).
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = r#"
[refund]
method = { value = "consumed_days_fee", source = "按剩余天数比例退款，扣除已消费天数×折扣比例的手续费。", confidence = 0.75 }
other_readings = { value = ["pro_rata_days"], source = "按剩余天数比例退款，扣除已消费天数×折扣比例的手续费。" }
redeemed_benefits = "deduct_value"

[timing]
refund_working_days = [3, 7]
"#;

    #[test]
    fn an_incomplete_policy_names_the_missing_number() {
        let p = Policy::from_toml(SCENARIO).unwrap();
        assert_eq!(p.missing_numbers(), vec!["refund.discount_ratio"]);
        let mut p = p;
        p.set_field("refund.discount_ratio", "0.9").unwrap();
        assert!(p.missing_numbers().is_empty());
    }

    #[test]
    fn every_field_round_trips_through_text_and_toml() {
        let mut p = Policy::default();
        let values = [
            ("refund.method", "consumed_days_fee"),
            ("refund.other_readings", "pro_rata_days,full"),
            ("refund.discount_ratio", "0.9"),
            ("refund.list_price_per_month", "25.00"),
            ("refund.redeemed_benefits", "deduct_value"),
            ("refund.voids_unredeemed_benefits", "true"),
            ("refund.handling_fee_percent", "10"),
            ("refund.handling_fee", "5.00"),
            ("refund.cooling_off_days", "7"),
            ("refund.rounding", "half_up"),
            ("timing.refund_working_days", "3-7"),
            ("timing.refund_max_days", "15"),
            ("timing.cancel_cutoff_hours", "24"),
            ("timing.renewal_reminder_days", "5"),
        ];
        for (key, text) in values {
            p.set_field(key, text).unwrap();
            assert_eq!(p.field_text(key).as_deref(), Some(text), "{key}");
        }
        let back = Policy::from_toml(&p.to_toml()).unwrap();
        assert_eq!(back, p);
        p.set_field("refund.handling_fee", "").unwrap();
        assert_eq!(p.field_text("refund.handling_fee"), None);
    }

    #[test]
    fn sources_survive_an_unchanged_value_and_go_with_a_new_one() {
        let mut p = Policy::from_toml(SCENARIO).unwrap();
        p.set_field("refund.method", "consumed_days_fee").unwrap();
        assert!(p.field_source("refund.method").is_some());
        let text = p.to_toml();
        assert!(text.contains("source = \"按剩余天数比例退款"), "{text}");
        p.set_field("refund.method", "pro_rata_days").unwrap_err();
        p.set_field("refund.other_readings", "").unwrap();
        p.set_field("refund.method", "pro_rata_days").unwrap();
        assert_eq!(p.field_source("refund.method"), None);
    }

    #[test]
    fn fields_that_only_fit_together_are_set_in_one_go() {
        let mut p = Policy::from_toml(SCENARIO).unwrap();
        // Swap the method and its other reading: one at a time, each step is refused.
        let swap = [
            ("refund.method".to_string(), "pro_rata_days".to_string()),
            (
                "refund.other_readings".to_string(),
                "consumed_days_fee".to_string(),
            ),
        ];
        p.set_fields(&swap).unwrap();
        assert_eq!(
            p.field_text("refund.method").as_deref(),
            Some("pro_rata_days")
        );
        // Two bad fields: both named, nothing changed.
        let before = p.clone();
        let bad = [
            ("refund.discount_ratio".to_string(), "1.5".to_string()),
            ("timing.refund_working_days".to_string(), "7-3".to_string()),
        ];
        let problems = p.set_fields(&bad).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(p, before);
    }

    #[test]
    fn bad_text_names_the_key_and_changes_nothing() {
        let mut p = Policy::from_toml(SCENARIO).unwrap();
        let before = p.clone();
        for (key, text, words) in [
            ("refund.discount_ratio", "abc", "decimal"),
            ("refund.discount_ratio", "1.2", "at most 1"),
            ("refund.method", "prorata", "not one of"),
            ("timing.refund_working_days", "7-3", "window"),
            ("refund.voids_unredeemed_benefits", "maybe", "true or false"),
            ("refund.colour", "red", "unknown policy field"),
            ("refund.other_readings", "consumed_days_fee", "itself"),
        ] {
            let err = p.set_field(key, text).unwrap_err();
            assert_eq!(err.key.as_deref(), Some(key), "{key}={text}: {err}");
            assert!(err.to_string().contains(words), "{key}={text}: {err}");
            assert_eq!(p, before);
        }
    }
}
