//! Migration from Wallos: its subscription export (JSON or CSV, one record per
//! subscription with the fields Name, Payment Cycle, Next Payment, Renewal, Category,
//! Payment Method, Paid By, Price, Notes, URL, State, Notifications, Cancellation Date,
//! Active) mapped onto memberships. Decoding the file is the caller's job; this module
//! maps records and says what it could not map.
//!
//! Wallos keeps no start date, only the next payment: the membership is anchored on that
//! date (for monthly cycles a whole year back, so a payment on the 31st stays on the 31st
//! in every month that has one).

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::membership::{AutoRenewContract, Billing, Channel, ContractStatus, Membership};
use crate::money::{Currency, Money};
use crate::period::Period;
use crate::refund::Line;

/// One exported subscription: field name → text, and where it was in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based record number (the CSV line, or the position in the JSON array).
    pub line: usize,
    /// Field name → value, as exported.
    pub fields: BTreeMap<String, String>,
}

/// A subscription that became a membership.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    /// Where it was.
    pub line: usize,
    /// The membership.
    pub membership: Membership,
    /// What was kept only in the notes or dropped, and what was assumed.
    pub remarks: Vec<Line>,
}

/// A subscription that could not be mapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Where it was.
    pub line: usize,
    /// Its name, if it had one.
    pub name: String,
    /// Why.
    pub reason: Line,
}

impl Record {
    /// A field by name, ignoring case and surrounding space; empty counts as absent.
    fn get(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| {
            self.fields
                .iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(n))
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        })
    }
}

/// Maps every record; none is lost: each is either mapped or skipped with the reason.
pub fn map_records(records: &[Record], today: Date) -> (Vec<Mapped>, Vec<Skipped>) {
    let mut mapped = Vec::new();
    let mut skipped = Vec::new();
    for r in records {
        match map_one(r, today) {
            Ok(m) => mapped.push(m),
            Err(reason) => skipped.push(Skipped {
                line: r.line,
                name: r.get(&["Name"]).unwrap_or_default().to_string(),
                reason,
            }),
        }
    }
    (mapped, skipped)
}

/// The Wallos cycle text as a period: "Monthly", "Every 3 Months", "Daily", "Weekly" …
pub fn parse_cycle(text: &str) -> Option<Period> {
    let lower = text.trim().to_lowercase();
    let lower = lower
        .strip_prefix("every ")
        .unwrap_or(&lower)
        .trim()
        .to_string();
    match lower.as_str() {
        "daily" | "day" => Some(Period::Days(1)),
        "month" | "monthly" => Some(Period::month()),
        _ => lower.parse().ok(),
    }
}

/// A payment method label as a channel: Wallos users name them freely.
pub fn channel_of_method(method: &str) -> Option<Channel> {
    let m = method.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| m.contains(w));
    if has(&["alipay", "支付宝"]) {
        Some(Channel::Alipay)
    } else if has(&["wechat", "weixin", "微信"]) {
        Some(Channel::WechatPay)
    } else if has(&["app store", "apple", "itunes", "苹果"]) {
        Some(Channel::AppStore)
    } else if has(&["google"]) {
        Some(Channel::GooglePlay)
    } else if has(&["huawei", "华为"]) {
        Some(Channel::Huawei)
    } else if has(&[
        "card",
        "visa",
        "master",
        "amex",
        "unionpay",
        "银联",
        "银行卡",
        "信用卡",
        "借记卡",
        "bank",
    ]) {
        Some(Channel::BankCard)
    } else if has(&["话费", "carrier", "中国移动", "中国联通", "中国电信"]) {
        Some(Channel::Carrier)
    } else {
        None
    }
}

fn map_one(r: &Record, today: Date) -> Result<Mapped, Line> {
    let mut remarks = Vec::new();
    let name = r
        .get(&["Name"])
        .ok_or_else(|| Line::new("没有名称（Name）", "no Name"))?;
    let price_text = r
        .get(&["Price"])
        .ok_or_else(|| Line::new("没有价格（Price）", "no Price"))?;
    let price = Money::parse(price_text, Currency::CNY).map_err(|e| {
        Line::new(
            format!("价格 {price_text:?} 无法识别：{e}"),
            format!("Price {price_text:?} cannot be read: {e}"),
        )
    })?;
    if !price_text
        .chars()
        .any(|c| !c.is_ascii_digit() && c != '.' && c != ',')
    {
        remarks.push(Line::new(
            "价格没有货币符号，按人民币计",
            "the price names no currency; taken as CNY",
        ));
    }
    let period = match r.get(&["Payment Cycle", "Cycle"]) {
        Some(text) => parse_cycle(text).ok_or_else(|| {
            Line::new(
                format!("付款周期 {text:?} 无法识别"),
                format!("Payment Cycle {text:?} cannot be read"),
            )
        })?,
        None => {
            remarks.push(Line::new(
                "没有付款周期，按每月计",
                "no Payment Cycle; taken as monthly",
            ));
            Period::month()
        }
    };
    let next_text = r
        .get(&["Next Payment"])
        .ok_or_else(|| Line::new("没有下次付款日（Next Payment）", "no Next Payment date"))?;
    let next: Date = next_text
        .get(..10)
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| {
            Line::new(
                format!("下次付款日 {next_text:?} 不是日期"),
                format!("Next Payment {next_text:?} is not a date"),
            )
        })?;
    let periods_back = match period {
        // Back to the same calendar month, so the day of the month survives.
        Period::Months(n) => 12 / gcd(u32::from(n), 12),
        _ => 1,
    };
    let start = period
        .boundary(next, -i64::from(periods_back))
        .map_err(|e| {
            Line::new(
                format!("日期超出范围：{e}"),
                format!("date out of range: {e}"),
            )
        })?;
    let manual = r
        .get(&["Renewal"])
        .is_some_and(|v| v.eq_ignore_ascii_case("manual"));
    let inactive = r
        .get(&["State"])
        .is_some_and(|v| v.eq_ignore_ascii_case("disabled"))
        || r.get(&["Active"])
            .is_some_and(|v| v.eq_ignore_ascii_case("no"));
    let cancelled_on = r
        .get(&["Cancellation Date"])
        .and_then(|d| d.get(..10))
        .and_then(|d| d.parse::<Date>().ok());
    let channel = match r.get(&["Payment Method"]) {
        Some(method) => {
            let channel = channel_of_method(method);
            if channel.is_none() {
                remarks.push(Line::new(
                    format!("付款方式 {method:?} 没有对应的渠道，已记在备注里"),
                    format!("Payment Method {method:?} matches no channel; kept in the notes"),
                ));
            }
            channel
        }
        None => None,
    };
    let (billing, paid_through, auto_renew) = if manual {
        // Paid by hand each time: it renews like any other plan on its cycle; only the
        // auto-renew channel differs (there is none to close).
        remarks.push(Line::new(
            "Wallos 记为手动续费：按周期续费，但没有自动扣款渠道",
            "manual renewal in Wallos: it renews on its cycle, with no auto-renew channel",
        ));
        // Paid up to the day before the next payment, which is when it renews.
        let last_day = next
            .yesterday()
            .map_err(|e| Line::new(e.to_string(), e.to_string()))?;
        (Billing::Periodic(period), Some(last_day), Vec::new())
    } else {
        let status = if inactive {
            ContractStatus::Closed(cancelled_on.unwrap_or(today))
        } else {
            ContractStatus::Active
        };
        let contracts = match (channel, inactive) {
            (Some(c), _) => vec![AutoRenewContract { channel: c, status }],
            // Inactive with no known channel: closed in the app, so it is not counted as renewing.
            (None, true) => vec![AutoRenewContract {
                channel: Channel::InApp,
                status,
            }],
            (None, false) => Vec::new(),
        };
        (Billing::Periodic(period), None, contracts)
    };
    if inactive && cancelled_on.is_none() && !manual {
        remarks.push(Line::new(
            format!("已停用但没有取消日期，按今天（{today}）记为关闭"),
            format!("disabled without a Cancellation Date; recorded as closed today ({today})"),
        ));
    }
    let mut notes = Vec::new();
    for (label, names) in [
        ("", &["Notes"][..]),
        ("URL: ", &["URL"][..]),
        ("Paid by: ", &["Paid By"][..]),
        ("Payment method: ", &["Payment Method"][..]),
    ] {
        if let Some(v) = r.get(names) {
            notes.push(format!("{label}{v}"));
        }
    }
    if r.get(&["Paid By"]).is_some() {
        remarks.push(Line::new(
            "付款人（Paid By）记在备注里",
            "Paid By kept in the notes",
        ));
    }
    notes.push(Line::new("从 Wallos 导入", "Imported from Wallos").zh);
    let membership = Membership {
        platform: name.to_string(),
        plan: String::new(),
        billing,
        price,
        start,
        paid_through,
        trial_until: None,
        auto_renew,
        benefits: Vec::new(),
        category: r.get(&["Category", "Categpry"]).map(str::to_string),
        notes: Some(notes.join("\n")),
    };
    let mut membership = membership;
    membership
        .validate()
        .map_err(|e| Line::new(e.to_string(), e.to_string()))?;
    // Wallos's next payment wins: when the anchor would put a charge before it (the next
    // payment lies more than one period ahead), the membership starts on that day instead.
    if !inactive && membership.next_renewal(today).ok().flatten() != Some(next) {
        membership.start = next;
        remarks.push(Line::new(
            format!("下次付款日 {next} 在一个周期之后，会员从该日起算"),
            format!(
                "the next payment {next} is more than one period away; the membership starts on it"
            ),
        ));
    }
    Ok(Mapped {
        line: r.line,
        membership,
        remarks,
    })
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn record(pairs: &[(&str, &str)]) -> Record {
        Record {
            line: 1,
            fields: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn netflix() -> Vec<(&'static str, &'static str)> {
        vec![
            ("Name", "Netflix"),
            ("Payment Cycle", "Monthly"),
            ("Next Payment", "2026-12-31"),
            ("Renewal", "Automatic"),
            ("Category", "Entertainment"),
            ("Payment Method", "AliPay"),
            ("Paid By", "Bob"),
            ("Price", "$15.49"),
            ("Notes", "family"),
            ("URL", "https://netflix.com"),
            ("State", "Enabled"),
            ("Notifications", "Enabled"),
            ("Cancellation Date", ""),
            ("Active", "Yes"),
        ]
    }

    #[test]
    fn a_monthly_payment_on_the_31st_stays_on_the_31st() {
        let (mapped, skipped) = map_records(&[record(&netflix())], date(2026, 12, 5));
        assert!(skipped.is_empty());
        let m = &mapped[0].membership;
        assert_eq!(m.start, date(2025, 12, 31));
        assert_eq!(
            m.next_renewal(date(2026, 12, 5)).unwrap(),
            Some(date(2026, 12, 31))
        );
        assert_eq!(
            m.next_renewal(date(2027, 1, 1)).unwrap(),
            Some(date(2027, 1, 31))
        );
        assert_eq!(
            m.next_renewal(date(2027, 2, 1)).unwrap(),
            Some(date(2027, 2, 28))
        );
        assert_eq!(
            m.next_renewal(date(2027, 3, 1)).unwrap(),
            Some(date(2027, 3, 31))
        );
        // Exported on 11-26 with the next payment on 12-31: nothing is charged before it.
        let (early, _) = map_records(&[record(&netflix())], date(2026, 11, 26));
        let m = &early[0].membership;
        assert_eq!(
            m.start,
            date(2026, 12, 31),
            "the first charge is the next payment"
        );
        assert_eq!(early[0].remarks.len(), 2, "{:?}", early[0].remarks);
        assert_eq!(
            m.price,
            Money::from_minor(1549, Currency::from_code("USD").unwrap())
        );
        assert_eq!(
            m.auto_renew,
            vec![AutoRenewContract {
                channel: Channel::Alipay,
                status: ContractStatus::Active
            }]
        );
        assert_eq!(m.category.as_deref(), Some("Entertainment"));
        assert!(m.notes.as_deref().unwrap().contains("Paid by: Bob"));
    }

    #[test]
    fn cycles_methods_and_states_map() {
        assert_eq!(parse_cycle("Every 3 Months"), Some(Period::Months(3)));
        assert_eq!(parse_cycle("Yearly"), Some(Period::year()));
        assert_eq!(parse_cycle("Weekly"), Some(Period::week()));
        assert_eq!(parse_cycle("Daily"), Some(Period::Days(1)));
        assert_eq!(parse_cycle("sometimes"), None);
        assert_eq!(channel_of_method("WeChat Pay"), Some(Channel::WechatPay));
        assert_eq!(
            channel_of_method("Visa ending 4242"),
            Some(Channel::BankCard)
        );
        assert_eq!(channel_of_method("PayPal"), None);
        let mut fields = netflix();
        fields.retain(|(k, _)| *k != "State" && *k != "Cancellation Date" && *k != "Active");
        fields.extend([("Active", "No"), ("Cancellation Date", "2026-10-01")]);
        fields.retain(|(k, _)| *k != "Payment Method");
        let (mapped, _) = map_records(&[record(&fields)], date(2026, 11, 26));
        let m = &mapped[0].membership;
        assert_eq!(
            m.auto_renew[0].status,
            ContractStatus::Closed(date(2026, 10, 1))
        );
        assert!(!m.renews());
        let mut manual = netflix();
        manual.retain(|(k, _)| *k != "Renewal");
        manual.push(("Renewal", "Manual"));
        let (mapped, _) = map_records(&[record(&manual)], date(2026, 11, 26));
        // A manual plan keeps its cycle: only the auto-renew channel differs.
        assert!(matches!(mapped[0].membership.billing, Billing::Periodic(_)));
        assert!(mapped[0].membership.auto_renew.is_empty());
        assert_eq!(mapped[0].membership.paid_through, Some(date(2026, 12, 30)));
        assert_eq!(
            mapped[0]
                .membership
                .next_renewal(date(2026, 11, 26))
                .unwrap(),
            Some(date(2026, 12, 31))
        );
    }

    #[test]
    fn what_cannot_be_mapped_is_skipped_with_the_reason() {
        let mut bad = netflix();
        bad.retain(|(k, _)| *k != "Price");
        bad.push(("Price", "free-ish"));
        let mut no_date = netflix();
        no_date.retain(|(k, _)| *k != "Next Payment");
        let (mapped, skipped) = map_records(&[record(&bad), record(&no_date)], date(2026, 11, 26));
        assert!(mapped.is_empty());
        assert!(skipped[0].reason.en.contains("Price"), "{:?}", skipped[0]);
        assert!(
            skipped[1].reason.en.contains("Next Payment"),
            "{:?}",
            skipped[1]
        );
    }
}
