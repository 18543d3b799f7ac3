//! # tuiding-terms
//!
//! The clause reader: a membership agreement (plain text or HTML; UTF-8 or GBK; Simplified
//! or Traditional Chinese, or English) → the fields that decide a refund, each with the
//! exact sentence it came from and its character offsets in the input; the disclosures the
//! rules require and whether the text meets them; and the terms users should know are
//! contestable. Offline and deterministic: sentence segmentation, lexicons and patterns,
//! and normalisation of numbers and durations (七日, 十五个工作日, 3-7个工作日, 24小时,
//! 前五日, ¥8/年, 8元每年). [`Reading::policy_toml`] drafts a policy for `tuiding-core`.
//!
//! Precision comes first: a rule reports only wording that says the thing, in the context
//! it belongs to.

mod checks;
mod extract;
pub mod numbers;
mod policy_out;
pub mod screenshot;
mod segment;
mod text;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

pub use crate::checks::REQUIREMENTS;
/// Every field, in reading order.
pub use crate::extract::FIELDS as FIELD_ORDER;
use crate::extract::{FIELDS, Sentence};
use crate::text::Text;

/// One finding: a value and the sentence it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The value (`null` when the text promises something without saying how much).
    pub value: Value,
    /// The exact source sentence.
    pub quote: String,
    /// Character offset of the sentence in the input.
    pub start: usize,
    /// Character offset just after it.
    pub end: usize,
    /// 0–1.
    pub confidence: f64,
}

/// Whether the agreement meets one disclosure requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disclosure {
    /// The requirement, e.g. `reminder_5_days_before_renewal`.
    pub requirement: &'static str,
    /// `met`, `insufficient` or `missing`.
    pub status: &'static str,
    /// Why, in English.
    pub reason: String,
    /// Why, in Chinese.
    pub reason_zh: String,
    /// The sentence the judgement rests on, if any.
    pub quote: Option<String>,
    /// Its offsets, if any.
    pub start: Option<usize>,
    /// End offset, if any.
    pub end: Option<usize>,
}

/// A contestable term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// The flag, e.g. `final_interpretation_right`.
    pub flag: &'static str,
    /// The sentence.
    pub quote: String,
    /// Character offset in the input.
    pub start: usize,
    /// End offset.
    pub end: usize,
    /// 0–1.
    pub confidence: f64,
    /// Why it matters (zh).
    pub why_zh: &'static str,
    /// Why it matters (en).
    pub why_en: &'static str,
}

/// What the reader found in one agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// Characters in the input.
    pub input_chars: usize,
    /// `zh-Hans`, `zh-Hant` or `en`.
    pub language: &'static str,
    /// Every field, each a list of findings (empty when not found).
    pub fields: BTreeMap<&'static str, Vec<Finding>>,
    /// One entry per disclosure requirement.
    pub disclosures: Vec<Disclosure>,
    /// Contestable terms.
    pub flags: Vec<Flag>,
}

/// Why the input cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermsError {
    /// The bytes are not text (UTF-8 or GBK).
    NotText,
}

impl std::fmt::Display for TermsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "the input is not text in UTF-8 or GBK: give the agreement as plain text or HTML",
        )
    }
}

impl std::error::Error for TermsError {}

impl tuiding_core::Localized for TermsError {
    fn localized(&self, lang: tuiding_core::Lang) -> String {
        match lang {
            tuiding_core::Lang::En => self.to_string(),
            tuiding_core::Lang::Zh => {
                "输入不是 UTF-8 或 GBK 文本：请提供纯文本或 HTML 格式的协议".into()
            }
        }
    }
}

/// Decodes an agreement's bytes (UTF-8, GBK or GB18030) into the text whose character
/// offsets the findings of [`read_bytes`] give.
pub fn decode_text(bytes: &[u8]) -> Result<String, TermsError> {
    text::decode(bytes).map_err(|_| TermsError::NotText)
}

/// Reads an agreement from bytes (UTF-8, GBK or GB18030; text or HTML).
pub fn read_bytes(bytes: &[u8]) -> Result<Reading, TermsError> {
    let text = text::decode(bytes).map_err(|_| TermsError::NotText)?;
    Ok(read(&text))
}

/// Reads an agreement.
///
/// ```
/// let r = tuiding_terms::read("本服务为连续包月，每月25元，到期前24小时自动扣费。我们将在续费前5日通过短信提醒您。会员服务一经开通，不支持退款。");
/// assert_eq!(r.fields["renewal_cycle"][0].value, "month");
/// assert_eq!(r.fields["renewal_reminder"][0].value["days_before"], 5);
/// assert_eq!(r.fields["refund_method"][0].value, "none");
/// ```
pub fn read(input: &str) -> Reading {
    let text = Text::new(input);
    let spans = segment::sentences(&text.chars);
    let sentences: Vec<Sentence> = spans
        .iter()
        .map(|&(start, end)| Sentence {
            start,
            end,
            folded: text.folded[start..end].iter().collect(),
        })
        .collect();
    let originals: Vec<String> = spans.iter().map(|&(s, e)| text.slice(s, e)).collect();
    let hits = extract::extract(&sentences, &originals);

    let finding = |sentence: usize, value: Value, confidence: f64| {
        let s = &sentences[sentence];
        let (start, end) = text.input_span(s.start, s.end);
        Finding {
            value,
            quote: originals[sentence].clone(),
            start,
            end,
            confidence,
        }
    };
    let mut fields: BTreeMap<&'static str, Vec<Finding>> =
        FIELDS.iter().map(|f| (*f, Vec::new())).collect();
    for hit in hits {
        let list = fields.entry(hit.field).or_default();
        let value = if hit.field == "non_refundable_cases" {
            Value::String(originals[hit.sentence].clone())
        } else {
            hit.value
        };
        let same = |f: &Finding| match hit.field {
            "cancel_methods" => f.value["channel"] == value["channel"],
            _ => f.value == value,
        };
        match list.iter_mut().find(|f| same(f)) {
            // A cancel channel with a path beats the same channel without one.
            Some(existing)
                if hit.field == "cancel_methods"
                    && existing.value["path"].is_null()
                    && !value["path"].is_null() =>
            {
                *existing = finding(hit.sentence, value, hit.confidence);
            }
            Some(_) => {}
            None => list.push(finding(hit.sentence, value, hit.confidence)),
        }
    }
    let mut flags = Vec::new();
    for rule in checks::flag_rules() {
        if let Some(i) = sentences.iter().position(|s| rule.matches(&s.folded)) {
            let f = finding(i, Value::Null, 0.85);
            flags.push(Flag {
                flag: rule.name,
                quote: f.quote,
                start: f.start,
                end: f.end,
                confidence: f.confidence,
                why_zh: rule.why_zh,
                why_en: rule.why_en,
            });
        }
    }
    let no_fee = sentences
        .iter()
        .position(|s| extract::states_no_fee(&s.folded))
        .map(|i| finding(i, Value::Null, 0.8));
    let disclosures = disclosures(&fields, no_fee);
    let han = text
        .chars
        .iter()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    let latin = text
        .chars
        .iter()
        .filter(|c| c.is_ascii_alphabetic())
        .count();
    let language = if han * 4 < latin {
        "en"
    } else if text.traditional {
        "zh-Hant"
    } else {
        "zh-Hans"
    };
    Reading {
        input_chars: text.input_chars,
        language,
        fields,
        disclosures,
        flags,
    }
}

fn disclosures(
    fields: &BTreeMap<&'static str, Vec<Finding>>,
    no_fee: Option<Finding>,
) -> Vec<Disclosure> {
    let first = |name: &str| fields.get(name).and_then(|l| l.first());
    let judge = |requirement: &'static str,
                 status: &'static str,
                 reason: &str,
                 reason_zh: &str,
                 at: Option<&Finding>| Disclosure {
        requirement,
        status,
        reason: reason.to_string(),
        reason_zh: reason_zh.to_string(),
        quote: at.map(|f| f.quote.clone()),
        start: at.map(|f| f.start),
        end: at.map(|f| f.end),
    };
    let mut out = Vec::new();
    out.push(match first("renewal_cycle") {
        Some(f) => judge(
            "renewal_cycle_stated",
            "met",
            "the renewal cycle is stated",
            "写明了续费周期",
            Some(f),
        ),
        None => judge(
            "renewal_cycle_stated",
            "missing",
            "no renewal cycle is stated",
            "没有写明续费周期",
            None,
        ),
    });
    out.push(
        match (first("renewal_price"), first("first_period_price")) {
            (Some(f), _) => judge(
                "renewal_price_stated",
                "met",
                "the renewal price is stated",
                "写明了续费价格",
                Some(f),
            ),
            (None, Some(f)) => judge(
                "renewal_price_stated",
                "insufficient",
                "only a first-period price is stated, not what renewals cost",
                "只写了首期价格，没写之后续费的价格",
                Some(f),
            ),
            (None, None) => judge(
                "renewal_price_stated",
                "missing",
                "no renewal price is stated",
                "没有写明续费价格",
                None,
            ),
        },
    );
    let reminders = fields
        .get("renewal_reminder")
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let best = reminders
        .iter()
        .max_by_key(|f| f.value["days_before"].as_u64().unwrap_or(0));
    out.push(match best {
        Some(f) if f.value["days_before"].as_u64().is_some_and(|d| d >= 5) => judge(
            "reminder_5_days_before_renewal",
            "met",
            "a reminder at least 5 days before renewal is promised",
            "承诺续费前至少五日提醒",
            Some(f),
        ),
        Some(f) if f.value.is_null() => judge(
            "reminder_5_days_before_renewal",
            "insufficient",
            "a reminder is promised, but not how many days before renewal (the rules ask for 5)",
            "承诺会提醒，但没写提前几天（规定为前五日）",
            Some(f),
        ),
        Some(f) => judge(
            "reminder_5_days_before_renewal",
            "insufficient",
            "the reminder comes less than 5 days before renewal",
            "提醒时间不足续费前五日",
            Some(f),
        ),
        None => judge(
            "reminder_5_days_before_renewal",
            "missing",
            "no reminder before renewal is promised",
            "没有承诺续费前提醒",
            None,
        ),
    });
    let methods = fields
        .get("cancel_methods")
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let with_path = methods.iter().find(|f| !f.value["path"].is_null());
    let self_service = methods
        .iter()
        .find(|f| f.value["channel"] != "customer_service");
    out.push(match (with_path, self_service, methods.first()) {
        (Some(f), _, _) => judge(
            "cancellation_method_stated",
            "met",
            "how to cancel is stated, with the path",
            "写明了取消方式和路径",
            Some(f),
        ),
        (None, Some(f), _) => judge(
            "cancellation_method_stated",
            "insufficient",
            "where to cancel is named, but not the path",
            "提到了在哪里取消，但没写具体路径",
            Some(f),
        ),
        (None, None, Some(f)) => judge(
            "cancellation_method_stated",
            "insufficient",
            "cancelling only through customer service is not a simple way to cancel",
            "只能通过客服取消，不算简便的取消方式",
            Some(f),
        ),
        _ => judge(
            "cancellation_method_stated",
            "missing",
            "no way to cancel is stated",
            "没有写明如何取消",
            None,
        ),
    });
    out.push(match (first("handling_fee"), no_fee.as_ref()) {
        (Some(f), _) => judge(
            "no_cancellation_fee",
            "insufficient",
            "a fee is charged on cancelling or refunding",
            "取消或退款要收取费用",
            Some(f),
        ),
        (None, Some(f)) => judge(
            "no_cancellation_fee",
            "met",
            "cancelling is stated to be free",
            "写明了取消不收费",
            Some(f),
        ),
        (None, None) => judge(
            "no_cancellation_fee",
            "missing",
            "the text does not say that cancelling is free",
            "没有写明取消是否收费",
            None,
        ),
    });
    out.push(match first("price_change") {
        Some(f) => {
            let notice = f.value["notice_by"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
                || !f.value["notice_days"].is_null();
            let leave = f.value["may_leave"].as_bool().unwrap_or(false);
            match (notice, leave) {
                (true, true) => judge(
                    "price_change_notice",
                    "met",
                    "price changes are notified in advance and the user may leave",
                    "价格变动会提前告知，且可选择退出",
                    Some(f),
                ),
                (true, false) => judge(
                    "price_change_notice",
                    "insufficient",
                    "price changes are notified, but no right to leave is stated",
                    "价格变动会通知，但没写明可以退出",
                    Some(f),
                ),
                _ => judge(
                    "price_change_notice",
                    "insufficient",
                    "price changes are mentioned without a notice",
                    "提到价格可能变动，但没承诺提前告知",
                    Some(f),
                ),
            }
        }
        None => judge(
            "price_change_notice",
            "missing",
            "nothing is said about price changes",
            "没有说明价格变动如何处理",
            None,
        ),
    });
    out
}
