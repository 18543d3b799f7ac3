//! What the text of an evidence screenshot says that a case can use (issue 19): a refund
//! promise (an amount, a window such as 预计3-7个工作日内到账 or 24小时内到账), a cancellation
//! confirmed (解约成功, 已关闭自动续费, 退订成功), the opposite of one (开通成功, 续费成功: a
//! screenshot that contradicts the step it is attached to), and a charge or order (amount,
//! time, order number, merchant). The input is text already recognised (OCR lines); each
//! finding names its line and a confidence. Nothing is masked here: whoever shows a line
//! masks ID, card and phone numbers first.

use std::sync::OnceLock;

use jiff::civil::{Date, DateTime};
use regex::Regex;
use serde::Serialize;
use tuiding_core::{Currency, Money, WorkCalendar};

/// How long a refund was promised to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum RefundWindow {
    /// `3-7个工作日`: at most `max` working days.
    WorkingDays {
        /// The fewest working days said (3 of 3-7).
        min: u32,
        /// The most (7 of 3-7): the promise.
        max: u32,
    },
    /// `7天内`: at most `max` calendar days.
    Days {
        /// The fewest days said.
        min: u32,
        /// The most: the promise.
        max: u32,
    },
    /// `24小时内`.
    Hours {
        /// The hours promised.
        max: u32,
    },
    /// `预计到账时间 2026-12-02`, `预计12月2日前到账`: a day named.
    ByDay {
        /// The year, when the page writes it.
        year: Option<i16>,
        /// The month (1–12).
        month: i8,
        /// The day of the month.
        day: i8,
    },
}

impl RefundWindow {
    /// The last day the refund may arrive when promised on `from`: working days count
    /// on the calendar of public holidays and adjusted workdays.
    pub fn due(&self, from: Date, calendar: &WorkCalendar) -> Option<Date> {
        match *self {
            RefundWindow::WorkingDays { max, .. } => calendar.add_working_days(from, max).ok(),
            RefundWindow::Days { max, .. } => from.checked_add(jiff::Span::new().days(max)).ok(),
            RefundWindow::Hours { max } => from
                .checked_add(jiff::Span::new().days(i64::from(max.div_ceil(24))))
                .ok(),
            RefundWindow::ByDay { year, month, day } => {
                let on = Date::new(year.unwrap_or(from.year()), month, day).ok()?;
                // A day without its year that is already past is next year's.
                match year {
                    None if on < from => Date::new(from.year() + 1, month, day).ok(),
                    _ => Some(on),
                }
            }
        }
    }
}

/// What a line (or the page) proposes. (The application words it for JSON and pages.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// A refund promised: its amount and window, when the text gives them.
    RefundPromise {
        /// The amount to be refunded, when the line says it.
        amount: Option<Money>,
        /// How long it may take, when the line says it.
        window: Option<RefundWindow>,
    },
    /// The page confirms a cancellation (`解约成功`).
    CancellationConfirmed {
        /// The words that say so.
        phrase: String,
    },
    /// The page says the opposite of a cancellation (`开通成功`, `续费成功`).
    Contradiction {
        /// The words that say so.
        phrase: String,
    },
    /// The refund arrived (退款成功, 已退款, 退款已到账): its amount and when, when the page
    /// shows them.
    RefundReceived {
        /// The amount refunded.
        amount: Option<Money>,
        /// When it arrived, as the page shows it (local time).
        at: Option<DateTime>,
    },
    /// A payment: its amount, and the time, order number and merchant the page shows.
    Charge {
        /// The amount paid.
        amount: Money,
        /// When, as the page shows it (local time).
        at: Option<DateTime>,
        /// The order or transaction number.
        order: Option<String>,
        /// The merchant or product named.
        merchant: Option<String>,
    },
}

/// A proposal with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What it proposes.
    pub proposal: Proposal,
    /// The line (1-based) it was read from.
    pub line: usize,
    /// That line's text, as recognised (mask it before showing it).
    pub text: String,
    /// 0–100: how sure the reading is.
    pub confidence: u8,
}

const CONFIRMATIONS: [&str; 10] = [
    "解约成功",
    "已解约",
    "关闭成功",
    "已关闭自动续费",
    "自动续费已关闭",
    "已取消自动续费",
    "取消自动续费成功",
    "退订成功",
    "已退订",
    "取消成功",
];

/// A refund that arrived (a payment to the user, not a promise).
const RECEIVED: [&str; 7] = [
    "退款成功",
    "已退款",
    "退款已到账",
    "退款完成",
    "已原路退回",
    "已退回",
    "退款到账成功",
];

const OPPOSITES: [&str; 6] = [
    "开通成功",
    "续费成功",
    "签约成功",
    "已开通自动续费",
    "自动续费已开通",
    "开通自动续费成功",
];

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid pattern"))
}

/// An amount written with a currency sign or 元: `¥24.43`, `￥ 25`, `24.43元`.
fn amount_in(line: &str, currency: Currency) -> Option<Money> {
    static AMOUNT: OnceLock<Regex> = OnceLock::new();
    let caps = re(
        &AMOUNT,
        r"[¥￥]\s*(\d{1,9}(?:\.\d{1,2})?)|(\d{1,9}(?:\.\d{1,2})?)\s*元",
    )
    .captures(line)?;
    let digits = caps.get(1).or_else(|| caps.get(2))?.as_str();
    Money::parse(digits, currency).ok()
}

/// An amount on a line that is about money (退款, 实付 …) even when OCR dropped its `¥`:
/// with a sign or 元, else a number with its cents standing alone (`退款 24.43`; never a
/// date's `2026.12`).
fn money_in(line: &str, currency: Currency) -> Option<Money> {
    static CENTS: OnceLock<Regex> = OnceLock::new();
    amount_in(line, currency).or_else(|| {
        let caps = re(&CENTS, r"(?:^|[^\d.])(\d{1,7}\.\d{2})(?:[^\d.]|$)").captures(line)?;
        Money::parse(&caps[1], currency).ok()
    })
}

/// A line that is only an amount with its cents, as bill pages write the sum paid:
/// `-25.00`, `¥25.00`.
fn bare_amount(line: &str, currency: Currency) -> Option<Money> {
    static BARE: OnceLock<Regex> = OnceLock::new();
    let caps = re(&BARE, r"^[-−]?[¥￥]?(\d{1,7}\.\d{2})$").captures(line)?;
    Money::parse(&caps[1], currency).ok()
}

/// A day a refund is due by, as a page writes it: `2026-12-02`, `2026年12月2日`, `12月2日`.
/// Every candidate is tried (an amount such as 24.43 is no day); a time after the day
/// (`2026-12-02 23:59`) is allowed.
fn day_in(line: &str) -> Option<RefundWindow> {
    static FULL: OnceLock<Regex> = OnceLock::new();
    static MONTH_DAY: OnceLock<Regex> = OnceLock::new();
    let full = re(
        &FULL,
        r"(?:^|[^\d.])(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})(?:日|号)?",
    );
    let month_day = re(&MONTH_DAY, r"(?:^|[^\d.])(\d{1,2})月(\d{1,2})(?:日|号)");
    let day = |year: Option<i16>, month: &str, day: &str| -> Option<RefundWindow> {
        let month: i8 = month.parse().ok()?;
        let day: i8 = day.parse().ok()?;
        Date::new(year.unwrap_or(2000), month, day).ok()?;
        Some(RefundWindow::ByDay { year, month, day })
    };
    full.captures_iter(line)
        .find_map(|c| day(c[1].parse().ok(), &c[2], &c[3]))
        .or_else(|| {
            month_day
                .captures_iter(line)
                .find_map(|c| day(None, &c[1], &c[2]))
        })
}

/// The day the page says the refund or cancellation was asked for (申请时间, 退款时间,
/// 退订时间 …): a promise in working days counts from it.
pub fn page_day(text: &str) -> Option<Date> {
    text.lines()
        .filter(|l| {
            let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
            [
                "申请时间",
                "申请日期",
                "退款时间",
                "退订时间",
                "解约时间",
                "取消时间",
                "提交时间",
            ]
            .iter()
            .any(|w| l.contains(w))
        })
        .find_map(|l| time_in(l).map(|t| t.date()))
}

fn window_in(line: &str) -> Option<RefundWindow> {
    static WINDOW: OnceLock<Regex> = OnceLock::new();
    let caps = re(
        &WINDOW,
        r"(\d{1,3})\s*(?:[-~～至到]\s*(\d{1,3}))?\s*(个?工作日|个?自然日|天|日|小时)",
    )
    .captures(line)?;
    let first: u32 = caps.get(1)?.as_str().parse().ok()?;
    let last: u32 = caps
        .get(2)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(first);
    let (min, max) = (first.min(last), first.max(last));
    Some(match caps.get(3)?.as_str() {
        unit if unit.ends_with("工作日") => RefundWindow::WorkingDays { min, max },
        "小时" => RefundWindow::Hours { max },
        _ => RefundWindow::Days { min, max },
    })
}

fn order_in(text: &str) -> Option<String> {
    static ORDER: OnceLock<Regex> = OnceLock::new();
    re(
        &ORDER,
        r"(?:订单号|订单编号|交易单号|商户单号|交易号)\s*[:：]?\s*([0-9A-Za-z]{8,40})",
    )
    .captures(text)
    .map(|c| c[1].to_string())
}

fn time_in(text: &str) -> Option<DateTime> {
    static TIME: OnceLock<Regex> = OnceLock::new();
    let caps = re(
        &TIME,
        r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?",
    )
    .captures(text)?;
    let n = |i: usize| {
        caps.get(i)
            .map_or(Some(0), |m| m.as_str().parse::<i16>().ok())
    };
    DateTime::new(
        n(1)?,
        i8::try_from(n(2)?).ok()?,
        i8::try_from(n(3)?).ok()?,
        i8::try_from(n(4)?).ok()?,
        i8::try_from(n(5)?).ok()?,
        i8::try_from(n(6)?).ok()?,
        0,
    )
    .ok()
}

/// Who was paid (商户名称, 收款方全称 …), else what was bought (商品说明 …).
fn merchant_in(text: &str) -> Option<String> {
    static PAYEE: OnceLock<Regex> = OnceLock::new();
    static GOODS: OnceLock<Regex> = OnceLock::new();
    re(
        &PAYEE,
        r"(?:商户名称|商户全称|收款方全称|收款方|商户)\s*[:：]?\s*(\S[^\n]{0,40})",
    )
    .captures(text)
    .or_else(|| {
        re(
            &GOODS,
            r"(?:商品说明|商品名称|商品)\s*[:：]?\s*(\S[^\n]{0,40})",
        )
        .captures(text)
    })
    .map(|c| c[1].trim().to_string())
}

/// Undoes what OCR gets wrong in the words this reader looks for, as seen reading drawn
/// screenshots with Tesseract's chi_sim model: `¥` read as `Y`, `y`, `#` or `#Y` before an amount
/// (after a Chinese character, a colon or at the start), and 退款 read as 授款.
fn corrected(line: &str) -> String {
    static YUAN: OnceLock<Regex> = OnceLock::new();
    let line = re(&YUAN, r"(^|[\p{Han}:：])[Yy#]{1,2}(\d)").replace_all(line, "${1}¥${2}");
    line.replace("授款", "退款")
}

/// Reads the recognised text of one screenshot; amounts without a currency of their own
/// are in `currency`.
pub fn read_screenshot_text(text: &str, currency: Currency) -> Vec<Found> {
    let mut found = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    // OCR often splits words with spaces: 解 约 成 功. `plain` keeps what was read (order
    // numbers: 号#123 is no ¥); `squeezed` also corrects money lines.
    let plain: Vec<String> = lines
        .iter()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let squeezed: Vec<String> = plain.iter().map(|l| corrected(l)).collect();
    let at = |i: usize, proposal: Proposal, confidence: u8| Found {
        proposal,
        line: i + 1,
        text: lines[i].trim().to_string(),
        confidence,
    };
    let mut charge_line = None;
    // A page that says the refund arrived: its refund lines are the payment, not a promise.
    let received_line = squeezed
        .iter()
        .position(|l| RECEIVED.iter().any(|p| l.contains(p)));
    for (i, line) in squeezed.iter().enumerate() {
        if let Some(phrase) = CONFIRMATIONS.iter().find(|p| line.contains(*p)) {
            found.push(at(
                i,
                Proposal::CancellationConfirmed {
                    phrase: phrase.to_string(),
                },
                90,
            ));
        }
        if let Some(phrase) = OPPOSITES.iter().find(|p| line.contains(*p)) {
            found.push(at(
                i,
                Proposal::Contradiction {
                    phrase: phrase.to_string(),
                },
                85,
            ));
        }
        let refund = line.contains("退款") || line.contains("退回") || line.contains("原路返回");
        let arrives = line.contains("到账") || line.contains("退还");
        if (refund || arrives) && received_line.is_none() {
            let amount = money_in(line, currency);
            // A day named first: in 12月2日前, "2日" is no window of two days. A day is a
            // due day only where the line speaks of the refund arriving (退款申请日 is not).
            let expects = ["到账", "预计", "前", "内"]
                .iter()
                .any(|w| line.contains(w));
            let window = expects
                .then(|| day_in(lines[i]).or_else(|| day_in(line)))
                .flatten()
                .or_else(|| window_in(line));
            if amount.is_some() || window.is_some() {
                let confidence = match (amount.is_some(), window.is_some(), refund) {
                    (true, true, _) => 90,
                    (_, _, true) => 75,
                    _ => 60,
                };
                found.push(at(
                    i,
                    Proposal::RefundPromise { amount, window },
                    confidence,
                ));
                continue;
            }
        }
        let paid = [
            "实付",
            "支付金额",
            "付款金额",
            "扣款金额",
            "实付款",
            "订单金额",
            "支付成功",
        ]
        .iter()
        .any(|w| line.contains(w));
        if paid && charge_line.is_none() && money_in(line, currency).is_some() {
            charge_line = Some(i);
        }
    }
    if let Some(i) = received_line {
        // The amount: on the line that says so, else on a refund line (退款金额 ¥24.43),
        // else written alone (¥24.43); the time on a line about its arrival.
        let amount = money_in(&squeezed[i], currency)
            .or_else(|| {
                squeezed
                    .iter()
                    .filter(|l| l.contains("退款") || l.contains("退回") || l.contains("金额"))
                    .find_map(|l| money_in(l, currency))
            })
            .or_else(|| squeezed.iter().find_map(|l| bare_amount(l, currency)));
        let at_time = lines
            .iter()
            .zip(&plain)
            .filter(|(_, p)| {
                ["到账时间", "退款时间", "完成时间", "退回时间"]
                    .iter()
                    .any(|w| p.contains(w))
            })
            .find_map(|(l, _)| time_in(l));
        let confidence = if amount.is_some() { 85 } else { 65 };
        found.push(at(
            i,
            Proposal::RefundReceived {
                amount,
                at: at_time,
            },
            confidence,
        ));
    }
    // A bill's detail page writes the amount alone, large (`-25.00`), over 交易成功 and
    // label/value rows: a charge, unless the page is about a refund.
    let page_paid = squeezed.iter().any(|l| {
        [
            "交易成功",
            "支付成功",
            "付款成功",
            "扣款成功",
            "支付时间",
            "付款时间",
            "交易时间",
            "付款方式",
            "支付方式",
        ]
        .iter()
        .any(|w| l.contains(w))
    });
    let refund_page = squeezed.iter().any(|l| l.contains("退款"));
    if charge_line.is_none() && page_paid && !refund_page {
        charge_line = squeezed
            .iter()
            .position(|l| bare_amount(l, currency).is_some());
    }
    if let Some(i) = charge_line {
        let order = order_in(&plain.join("\n"));
        let page = lines.join("\n");
        let at_time = time_in(&page);
        let merchant = merchant_in(&page);
        let confidence = 60
            + 10 * [order.is_some(), at_time.is_some(), merchant.is_some()]
                .iter()
                .filter(|x| **x)
                .count() as u8;
        if let Some(amount) =
            money_in(&squeezed[i], currency).or_else(|| bare_amount(&squeezed[i], currency))
        {
            found.push(at(
                i,
                Proposal::Charge {
                    amount,
                    at: at_time,
                    order,
                    merchant,
                },
                confidence,
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// The window of a refund promise found (a test fails on anything else).
    fn window_of(found: &Found) -> RefundWindow {
        match found.proposal {
            Proposal::RefundPromise {
                window: Some(window),
                ..
            } => window,
            _ => panic!("no refund window: {found:?}"),
        }
    }

    fn kinds(found: &[Found]) -> Vec<&'static str> {
        found
            .iter()
            .map(|f| match f.proposal {
                Proposal::RefundPromise { .. } => "refund_promise",
                Proposal::CancellationConfirmed { .. } => "cancellation_confirmed",
                Proposal::Contradiction { .. } => "contradiction",
                Proposal::Charge { .. } => "charge",
                Proposal::RefundReceived { .. } => "refund_received",
            })
            .collect()
    }

    #[test]
    fn a_refund_promise_gives_its_amount_and_working_day_window() {
        let text = "退订成功\n您的退款¥24.43将原路返回\n预计3-7个工作日内退款至原支付账户\n";
        let found = read_screenshot_text(text, Currency::CNY);
        assert_eq!(
            kinds(&found),
            ["cancellation_confirmed", "refund_promise", "refund_promise"]
        );
        assert_eq!(
            found[1].proposal,
            Proposal::RefundPromise {
                amount: Some(Money::from_minor(2443, Currency::CNY)),
                window: None
            }
        );
        assert_eq!(found[2].line, 3);
        let window = window_of(&found[2]);
        assert_eq!(window, RefundWindow::WorkingDays { min: 3, max: 7 });
        // Seven working days from Monday 2026-11-23: the Wednesday of the next week.
        let calendar = WorkCalendar::embedded();
        assert_eq!(
            window.due(date(2026, 11, 23), &calendar),
            Some(date(2026, 12, 2))
        );
        assert_eq!(
            RefundWindow::Hours { max: 24 }.due(date(2026, 11, 23), &calendar),
            Some(date(2026, 11, 24))
        );
    }

    #[test]
    fn spaced_ocr_text_and_the_opposite_of_a_cancellation_are_read() {
        let found =
            read_screenshot_text("自动续费\n开 通 成 功\n下次扣款 2026-12-23", Currency::CNY);
        assert_eq!(kinds(&found), ["contradiction"]);
        assert_eq!((found[0].line, found[0].text.as_str()), (2, "开 通 成 功"));
        let found = read_screenshot_text("微信支付\n解 约 成 功", Currency::CNY);
        assert_eq!(kinds(&found), ["cancellation_confirmed"]);
    }

    #[test]
    fn an_order_page_is_one_charge_with_its_order_time_and_merchant() {
        let text = "支付成功\n实付款 ¥25.00\n商户名称 爱奇艺\n订单号：4200002311202611230001\n支付时间 2026-11-23 10:00:01";
        let found = read_screenshot_text(text, Currency::CNY);
        assert_eq!(kinds(&found), ["charge"]);
        assert_eq!(
            found[0].proposal,
            Proposal::Charge {
                amount: Money::from_minor(2500, Currency::CNY),
                at: Some(date(2026, 11, 23).at(10, 0, 1, 0)),
                order: Some("4200002311202611230001".into()),
                merchant: Some("爱奇艺".into()),
            }
        );
        assert_eq!((found[0].line, found[0].confidence), (2, 90));
    }

    #[test]
    fn what_ocr_misreads_in_a_refund_line_is_corrected() {
        // As Tesseract read tests/fixtures/refund-promise-light-1170.png of tuiding-ocr.
        let text = "退订成功\n您的退款Y24.43将原路返回\n预计3-7个工作日内授款至原支付账户";
        let found = read_screenshot_text(text, Currency::CNY);
        assert_eq!(
            kinds(&found),
            ["cancellation_confirmed", "refund_promise", "refund_promise"]
        );
        assert_eq!(
            found[1].proposal,
            Proposal::RefundPromise {
                amount: Some(Money::from_minor(2443, Currency::CNY)),
                window: None
            }
        );
        // The line shown is as read.
        assert_eq!(found[2].text, "预计3-7个工作日内授款至原支付账户");
        // A Y in a Latin word stays.
        assert!(read_screenshot_text("退款 RMBY5", Currency::CNY).is_empty());
        // ¥ dropped, or read as y: the amount with its cents on a refund line still counts;
        // a date does not.
        for line in ["您的退款 24.43 将原路返回", "您的退款 y24.43 将原路返回"] {
            let found = read_screenshot_text(line, Currency::CNY);
            assert!(
                matches!(found[0].proposal, Proposal::RefundPromise { amount: Some(a), .. } if a == Money::from_minor(2443, Currency::CNY)),
                "{line}: {found:?}"
            );
        }
        assert!(read_screenshot_text("退款申请日 2026.12.02", Currency::CNY).is_empty());
    }

    #[test]
    fn a_bill_detail_page_with_the_amount_alone_is_a_charge() {
        // As Tesseract read tuiding-ocr's alipay-bill-light-1170.png (psm 4).
        let text = "9:41\n账单详情\n爱奇艺\n-25.00\n交易成功\n支付时间 2026-11-23 10:00:01\n付款方式 余额宝\n商品说明 爱奇艺黄金 VIP 会员连续包月\n收款方全称 北京爱奇艺科技有限公司\n订单号 2026112322001412341234567890";
        let found = read_screenshot_text(text, Currency::CNY);
        assert_eq!(kinds(&found), ["charge"]);
        assert_eq!(
            found[0].proposal,
            Proposal::Charge {
                amount: Money::from_minor(2500, Currency::CNY),
                at: Some(date(2026, 11, 23).at(10, 0, 1, 0)),
                order: Some("2026112322001412341234567890".into()),
                merchant: Some("北京爱奇艺科技有限公司".into()),
            }
        );
        assert_eq!(found[0].line, 4);
        // A refund page's amount alone is not a charge.
        let refund =
            "退款详情\n¥24.43\n退款处理中\n退款方式 原路退回\n交易时间 2026-11-23 10:00:01";
        assert!(!kinds(&read_screenshot_text(refund, Currency::CNY)).contains(&"charge"));
    }

    #[test]
    fn a_refund_due_on_a_named_day_is_a_promise_until_that_day() {
        let text = "退款详情\n¥24.43\n退款处理中\n退款金额 Y24.43\n预计到账时间 2026-12-02\n退款方式 原路退回";
        let found = read_screenshot_text(text, Currency::CNY);
        assert_eq!(kinds(&found), ["refund_promise", "refund_promise"]);
        let window = window_of(&found[1]);
        let calendar = WorkCalendar::embedded();
        assert_eq!(
            window.due(date(2026, 11, 29), &calendar),
            Some(date(2026, 12, 2))
        );
        // A day without its year: this year's, or next year's once past.
        let found = read_screenshot_text("预计12月2日前退款到账", Currency::CNY);
        let window = window_of(&found[0]);
        assert_eq!(
            window.due(date(2026, 11, 29), &calendar),
            Some(date(2026, 12, 2))
        );
        assert_eq!(
            window.due(date(2026, 12, 20), &calendar),
            Some(date(2027, 12, 2))
        );
        // "3-7" stays a window of working days, not March 7th.
        let found = read_screenshot_text("预计3-7个工作日内退款", Currency::CNY);
        assert!(matches!(
            found[0].proposal,
            Proposal::RefundPromise {
                window: Some(RefundWindow::WorkingDays { min: 3, max: 7 }),
                ..
            }
        ));
    }

    #[test]
    fn a_due_day_beside_the_amount_on_one_line_is_read() {
        let calendar = WorkCalendar::embedded();
        for (line, due) in [
            ("您的退款¥24.43预计12月2日前到账", date(2026, 12, 2)),
            ("退款24.43元，预计2026-12-02到账", date(2026, 12, 2)),
            ("预计到账时间 2026-12-02 23:59", date(2026, 12, 2)),
        ] {
            let found = read_screenshot_text(line, Currency::CNY);
            let window = window_of(&found[0]);
            assert_eq!(
                window.due(date(2026, 11, 29), &calendar),
                Some(due),
                "{line}"
            );
        }
        // The order number after 号# stays as read; the day the page says it was asked for.
        let text = "退款详情\n退款申请时间 2026-11-28 09:12\n订单号#4200001234";
        assert_eq!(page_day(text), Some(date(2026, 11, 28)));
        assert_eq!(page_day("支付时间 2026-08-01 10:00"), None);
    }

    #[test]
    fn a_refund_that_arrived_is_no_promise() {
        let text = "退款详情\n¥24.43\n退款成功\n退款金额 ¥24.43\n到账时间 2026-12-01 10:20:00\n退款方式 原路退回";
        let found = read_screenshot_text(text, Currency::CNY);
        assert_eq!(kinds(&found), ["refund_received"], "{found:?}");
        assert_eq!(
            found[0].proposal,
            Proposal::RefundReceived {
                amount: Some(Money::from_minor(2443, Currency::CNY)),
                at: Some(date(2026, 12, 1).at(10, 20, 0, 0)),
            }
        );
        assert_eq!(found[0].line, 3);
        // Still on its way: a promise.
        let pending = "退款处理中\n退款金额 ¥24.43\n预计到账时间 2026-12-02";
        assert!(!kinds(&read_screenshot_text(pending, Currency::CNY)).contains(&"refund_received"));
    }

    #[test]
    fn text_without_a_finding_proposes_nothing() {
        assert!(
            read_screenshot_text("客服：您好，请问有什么可以帮您？\n", Currency::CNY).is_empty()
        );
        assert!(read_screenshot_text("", Currency::CNY).is_empty());
    }
}
