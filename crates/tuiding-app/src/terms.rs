//! `tuiding terms read FILE`: the clause reader. Findings with their source sentences, the
//! disclosure check, contestable terms, and a policy draft.

use crate::context::{Backend, Ctx};
use crate::error::UserError;
use tuiding_core::{Lang, Localized};
use tuiding_terms::read_bytes;

pub use tuiding_terms::{FIELD_ORDER, Reading};

/// Reads an agreement's text (plain or HTML).
pub fn read_text(text: &str) -> Reading {
    tuiding_terms::read(text)
}

/// Decodes an uploaded agreement (UTF-8 or GBK) into text; an error in the reader's
/// language when it is no text.
pub fn decode(bytes: &[u8], lang: Lang) -> Result<String, String> {
    tuiding_terms::decode_text(bytes).map_err(|e| e.localized(lang))
}

/// Reads an agreement (text or HTML, UTF-8 or GBK), named `name` in messages.
pub fn read_agreement(
    ctx: &Ctx<impl Backend>,
    name: &str,
    bytes: &[u8],
) -> anyhow::Result<Reading> {
    read_bytes(bytes).map_err(|e| UserError::failure(format!("{name}: {}", e.localized(ctx.lang))))
}

/// The label of a field of the reading.
pub fn field_label(field: &str, lang: Lang) -> &'static str {
    match field {
        "renewal_cycle" => lang.pick("续费周期", "renewal cycle"),
        "renewal_price" => lang.pick("续费价格", "renewal price"),
        "first_period_price" => lang.pick("首期价格", "first-period price"),
        "charge_timing" => lang.pick("扣费时间", "charge timing"),
        "renewal_reminder" => lang.pick("续费提醒", "renewal reminder"),
        "cancel_methods" => lang.pick("取消方式", "how to cancel"),
        "cancel_cutoff_hours" => lang.pick("取消时限", "cancel cut-off"),
        "refund_method" => lang.pick("退款方式", "refund method"),
        "cooling_off_days" => lang.pick("无理由退款期", "cooling-off period"),
        "discount_ratio" => lang.pick("折扣比例", "discount ratio"),
        "refund_working_days" => lang.pick("退款到账", "refund arrives"),
        "handling_fee" => lang.pick("手续费", "handling fee"),
        "non_refundable_cases" => lang.pick("不退款情形", "non-refundable cases"),
        "price_change" => lang.pick("价格变动", "price changes"),
        "other_readings" => lang.pick("条款的另一种理解", "another reading"),
        "redeemed_benefits" => lang.pick("已用权益", "redeemed benefits"),
        "voids_unredeemed_benefits" => lang.pick("退订后未用权益", "unused benefits on cancelling"),
        _ => "",
    }
}

/// A finding's value in words.
pub fn describe(field: &str, value: &serde_json::Value, lang: Lang) -> String {
    let n = |key: &str| {
        value[key]
            .as_u64()
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    match field {
        "renewal_cycle" => per_label(value.as_str().unwrap_or(""), lang).to_string(),
        "renewal_price" | "first_period_price" => {
            let per = value["per"]
                .as_str()
                .map(|p| format!("/{}", per_label(p, lang)))
                .unwrap_or_default();
            let symbol = if value["currency"] == "USD" {
                "$"
            } else {
                "¥"
            };
            format!("{symbol}{}{per}", value["amount"].as_str().unwrap_or(""))
        }
        "charge_timing" => match lang {
            Lang::Zh => format!("到期前 {} 小时", n("hours_before_end")),
            Lang::En => format!("{} hours before the period ends", n("hours_before_end")),
        },
        "renewal_reminder" if value.is_null() => lang
            .pick("会提醒，但未写提前几天", "promised, with no day count")
            .to_string(),
        "renewal_reminder" => match lang {
            Lang::Zh => format!("续费前 {} 天", n("days_before")),
            Lang::En => format!("{} days before renewal", n("days_before")),
        },
        "cancel_methods" => {
            let channel = value["channel"].as_str().unwrap_or("");
            match value["path"].as_str() {
                Some(path) => format!("{channel}：{path}"),
                None => channel.to_string(),
            }
        }
        "cancel_cutoff_hours" => match lang {
            Lang::Zh => format!("至少提前 {} 小时", value.as_u64().unwrap_or(0)),
            Lang::En => format!("at least {} hours ahead", value.as_u64().unwrap_or(0)),
        },
        "cooling_off_days" => match lang {
            Lang::Zh => format!("{} 天内", value.as_u64().unwrap_or(0)),
            Lang::En => format!("within {} days", value.as_u64().unwrap_or(0)),
        },
        "refund_working_days" => match lang {
            Lang::Zh => format!("{}–{} 个工作日", value[0], value[1]),
            Lang::En => format!("{}–{} working days", value[0], value[1]),
        },
        "handling_fee" => value
            .get("percent")
            .and_then(|p| p.as_str())
            .map(|p| format!("{p}%"))
            .unwrap_or_else(|| format!("¥{}", value["amount"].as_str().unwrap_or(""))),
        "non_refundable_cases" => lang.pick("见原文", "see the quote").to_string(),
        "price_change" => {
            let leave = if value["may_leave"].as_bool().unwrap_or(false) {
                lang.pick("可退出", "may leave")
            } else {
                lang.pick("未写明可退出", "no right to leave stated")
            };
            let days = value["notice_days"].as_u64().map(|d| match lang {
                Lang::Zh => format!("提前 {d} 天通知，"),
                Lang::En => format!("{d} days' notice, "),
            });
            format!("{}{leave}", days.unwrap_or_default())
        }
        _ => value
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| value.to_string()),
    }
}

fn per_label(per: &str, lang: Lang) -> &'static str {
    match per {
        "week" => lang.pick("周", "week"),
        "month" => lang.pick("月", "month"),
        "quarter" => lang.pick("季", "quarter"),
        "half_year" => lang.pick("半年", "half-year"),
        "year" => lang.pick("年", "year"),
        "none" => lang.pick("不退款", "no refund"),
        "full" => lang.pick("全额退款", "full refund"),
        "pro_rata_days" => lang.pick("按剩余天数折算", "pro rata by days"),
        "pro_rata_months" => lang.pick("按剩余月数折算", "pro rata by months"),
        "used_months_at_list_price" => lang.pick("已用月份按原价扣除", "used months at list price"),
        "consumed_days_fee" => lang.pick("按已用天数扣费", "fee for days used"),
        _ => "",
    }
}

/// The human report.
/// A finding's value in words, as the CLI and the web show it.
pub fn finding_text(field: &str, value: &serde_json::Value, lang: Lang) -> String {
    match (field, value.as_str()) {
        ("refund_method" | "other_readings", Some(m)) => per_label(m, lang).to_string(),
        ("redeemed_benefits", Some("deduct_value")) => lang
            .pick("从退款中扣除其价值", "their value is deducted")
            .to_string(),
        ("redeemed_benefits", Some("void_refund")) => lang
            .pick("用过任何权益即不退款", "any use voids the refund")
            .to_string(),
        ("voids_unredeemed_benefits", _) => lang.pick("作废", "voided").to_string(),
        _ => describe(field, value, lang),
    }
}

/// ✓ met, △ insufficient, ✗ missing.
pub fn disclosure_mark(status: &str) -> &'static str {
    match status {
        "met" => "✓",
        "insufficient" => "△",
        _ => "✗",
    }
}

/// A disclosure requirement in words.
pub fn requirement_label(requirement: &str, lang: Lang) -> &'static str {
    tuiding_terms::REQUIREMENTS
        .iter()
        .find(|(k, ..)| *k == requirement)
        .map_or("", |(_, zh, en)| lang.pick(zh, en))
}
