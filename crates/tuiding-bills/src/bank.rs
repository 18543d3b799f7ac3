//! Bank and card statements, read through a small column mapping.
//!
//! Banks export in many layouts; a mapping (TOML) names the columns that hold the date, the
//! amount (one signed column, or separate money-out and money-in columns), the description
//! and, when present, the counterparty, an id and the currency. Mappings for three Chinese
//! banks ship in `data/banks/`; users add their own. A file is matched to a mapping by its
//! header row, so no flag is needed for the shipped ones.
//!
//! Card lines caused by a wallet payment name the wallet first (`支付宝-北京百度网讯科技有限公司`,
//! `财付通-美团`): the wallet becomes the method and the rest the counterparty, which is what
//! lets detection count such a payment once when the wallet's own export is read too.

use std::collections::HashMap;

use jiff::civil::{Date, DateTime, Time};
use serde::Deserialize;
use tuiding_core::transaction::{Direction, Source, Transaction, TxStatus};
use tuiding_core::{Currency, Money};

use crate::error::BillError;
use crate::parse::{Interner, Record, field_column};

/// The shipped mappings: (name, TOML text).
const EMBEDDED: &[(&str, &str)] = &[
    (
        "abc-debit",
        include_str!("../../../data/banks/abc-debit.toml"),
    ),
    (
        "boc-credit",
        include_str!("../../../data/banks/boc-credit.toml"),
    ),
    (
        "boc-debit",
        include_str!("../../../data/banks/boc-debit.toml"),
    ),
    (
        "bocom-credit",
        include_str!("../../../data/banks/bocom-credit.toml"),
    ),
    (
        "bocom-debit",
        include_str!("../../../data/banks/bocom-debit.toml"),
    ),
    (
        "ccb-debit",
        include_str!("../../../data/banks/ccb-debit.toml"),
    ),
    (
        "ccb-mobile",
        include_str!("../../../data/banks/ccb-mobile.toml"),
    ),
    (
        "cgb-credit",
        include_str!("../../../data/banks/cgb-credit.toml"),
    ),
    (
        "cib-debit",
        include_str!("../../../data/banks/cib-debit.toml"),
    ),
    (
        "citic-credit",
        include_str!("../../../data/banks/citic-credit.toml"),
    ),
    (
        "cmb-credit",
        include_str!("../../../data/banks/cmb-credit.toml"),
    ),
    (
        "cmb-debit",
        include_str!("../../../data/banks/cmb-debit.toml"),
    ),
    (
        "hsbc-hk-account",
        include_str!("../../../data/banks/hsbc-hk-account.toml"),
    ),
    (
        "hsbc-hk-credit",
        include_str!("../../../data/banks/hsbc-hk-credit.toml"),
    ),
    (
        "icbc-credit",
        include_str!("../../../data/banks/icbc-credit.toml"),
    ),
    (
        "icbc-debit",
        include_str!("../../../data/banks/icbc-debit.toml"),
    ),
    (
        "spdb-debit",
        include_str!("../../../data/banks/spdb-debit.toml"),
    ),
];

/// Which sign a single amount column gives money out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OutSign {
    /// Debit-card statements: `-25.00` is a payment.
    #[default]
    Negative,
    /// Credit-card statements: `25.00` is a purchase, `-25.00` a repayment or refund.
    Positive,
}

/// The columns of a statement, by their header names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The booking or transaction date.
    pub date: String,
    /// A separate time column, if any.
    pub time: Option<String>,
    /// One signed amount column…
    pub amount: Option<String>,
    /// …or a money-out column…
    pub out: Option<String>,
    /// …and a money-in column.
    #[serde(rename = "in")]
    pub into: Option<String>,
    /// What the line says (摘要, 交易描述).
    pub description: String,
    /// The other party, if a column has it.
    pub counterparty: Option<String>,
    /// A transaction id, if any (else one is derived from the row).
    pub id: Option<String>,
    /// A currency column, if any.
    pub currency: Option<String>,
    /// A date to use when `date` is empty (CMB credit: repayments have no 交易日).
    pub date_fallback: Option<String>,
    /// A column that says which way the money went (借贷, Credit / Debit); see
    /// `amounts.out_words`.
    pub direction: Option<String>,
    /// Another text column where a wallet marker may stand (附言).
    pub note: Option<String>,
}

/// How amounts are read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Amounts {
    /// With a single `amount` column: which sign is money out.
    #[serde(default)]
    pub out_sign: OutSign,
    /// The currency when no column gives it (default CNY).
    pub currency: Option<String>,
    /// With a `direction` column (or `direction_from_description`): the words (prefixes)
    /// that mean money out…
    #[serde(default)]
    pub out_words: Vec<String>,
    /// …and money in. A value matching neither is money out.
    #[serde(default)]
    pub in_words: Vec<String>,
    /// The direction is the first word of the description (BOCOM credit: 消费 out, 退货 in).
    #[serde(default)]
    pub direction_from_description: bool,
}

/// How dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `2026-11-15`, `2026/11/15`, `20261115` (a time may follow).
    #[default]
    Ymd,
    /// `15/11/2026` (HSBC Hong Kong).
    Dmy,
    /// `11/15` with the year from the statement's title (`2026年01月`): a month after the
    /// bill's month is the year before (CMB credit).
    Md,
}

/// The `[dates]` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    /// How the date column is written.
    #[serde(default)]
    pub order: DateOrder,
}

/// A bank statement layout.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankMapping {
    /// A name for people, e.g. 招商银行借记卡.
    pub name: String,
    /// The columns.
    pub columns: Columns,
    /// Amount conventions.
    #[serde(default)]
    pub amounts: Amounts,
    /// Date conventions.
    #[serde(default)]
    pub dates: Dates,
    /// Text the lines before the header must contain (a statement's title), to tell apart
    /// layouts with the same columns.
    pub title: Option<String>,
    /// More header names that must be present, for the same reason.
    #[serde(default)]
    pub also: Vec<String>,
    /// Descriptions end with a country code (`…京东商城CHN`): drop it from the merchant.
    #[serde(default)]
    pub strip_country_code: bool,
}

impl BankMapping {
    /// Reads a mapping; the error names the key and the reason.
    pub fn from_toml(text: &str) -> Result<BankMapping, String> {
        let mapping: BankMapping = toml::from_str(text).map_err(|e| e.to_string())?;
        let c = &mapping.columns;
        match (&c.amount, &c.out, &c.into) {
            (Some(_), None, None) | (None, Some(_), Some(_)) => Ok(mapping),
            _ => Err(
                "columns: give either `amount` (one signed column) or both `out` and `in`".into(),
            ),
        }
    }

    /// The mappings shipped with tuiding.
    pub fn embedded() -> Vec<BankMapping> {
        EMBEDDED
            .iter()
            .map(|(_, text)| {
                BankMapping::from_toml(text).expect("shipped bank mappings are valid (unit test)")
            })
            .collect()
    }

    /// The header names this mapping needs to find in a header row.
    pub(crate) fn required(&self) -> Vec<&str> {
        let c = &self.columns;
        let mut names = vec![c.date.as_str(), c.description.as_str()];
        names.extend(
            [&c.amount, &c.out, &c.into]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
        names
    }

    /// Every header name that identifies this layout: the columns it needs and `also`.
    fn header_names(&self) -> Vec<&str> {
        self.required()
            .into_iter()
            .chain(self.also.iter().map(String::as_str))
            .collect()
    }

    /// Whether a header row (after the lines `preamble`) is this layout: every column it
    /// needs, its extra columns, and its title. `Some(score)` when it is (more columns
    /// named is a more specific match), else `None`.
    pub(crate) fn score(&self, header: &[String], preamble: &[String]) -> Option<usize> {
        let names = self.header_names();
        let all = names.iter().all(|name| header.iter().any(|h| h == name));
        let titled = self
            .title
            .as_ref()
            .is_none_or(|t| preamble.iter().any(|line| line.contains(t.as_str())));
        (all && titled).then_some(names.len() + usize::from(self.title.is_some()))
    }

    /// The header names present and missing in a row, for "the nearest layout".
    pub(crate) fn coverage(&self, header: &[String]) -> (usize, Vec<String>) {
        let names = self.header_names();
        let missing: Vec<String> = names
            .iter()
            .filter(|name| !header.iter().any(|h| h == *name))
            .map(|n| n.to_string())
            .collect();
        (names.len() - missing.len(), missing)
    }
}

/// The mapping a header row matches best, if any.
pub(crate) fn best_bank<'b>(
    banks: &'b [BankMapping],
    header: &[String],
    preamble: &[String],
) -> Option<&'b BankMapping> {
    banks
        .iter()
        .filter_map(|b| b.score(header, preamble).map(|s| (s, b)))
        .max_by_key(|(s, _)| *s)
        .map(|(_, b)| b)
}

/// Splits a wallet marker off a card line: `支付宝-北京百度网讯科技有限公司` → (`支付宝`,
/// `北京百度网讯科技有限公司`).
pub(crate) fn wallet_marker(text: &str) -> Option<(&'static str, &str)> {
    const WALLETS: &[(&str, &str)] = &[
        ("支付宝", "支付宝"),
        ("财付通", "财付通"),
        ("微信支付", "财付通"),
        ("微信", "财付通"),
    ];
    let text = strip_tag(text);
    for (prefix, wallet) in WALLETS {
        if let Some(rest) = text.strip_prefix(prefix) {
            // The wallet is a marker only when a separator follows: 支付宝（中国）网络技术有限公司
            // and 财付通还款 are names, not wallet lines.
            if !rest.starts_with(['-', '－', '—', ' ', ':', '：']) {
                continue;
            }
            let rest = rest.trim_start_matches(['-', '－', '—', ' ', ':', '：']);
            // CCB writes 支付宝-支付宝外部商户-中移动金融科技有限公司: the merchant is last.
            let rest = match rest.split_once(['-', '－', '—']) {
                Some((first, last)) if first.contains("商户") && !last.is_empty() => last,
                _ => rest,
            };
            if !rest.is_empty() {
                return Some((wallet, rest));
            }
        }
    }
    None
}

/// Drops a leading tag such as CGB's （消费） or （退款）.
fn strip_tag(text: &str) -> &str {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = text.strip_prefix(open)
            && let Some((tag, after)) = rest.split_once(close)
            && tag.chars().count() <= 4
        {
            return after.trim_start();
        }
    }
    text
}

/// Drops a trailing country code (`…京东商城CHN` → `…京东商城`).
fn strip_country(text: &str) -> &str {
    let bytes = text.as_bytes();
    if bytes.len() > 3
        && bytes[bytes.len() - 3..].iter().all(u8::is_ascii_uppercase)
        && !bytes[bytes.len() - 4].is_ascii()
    {
        return text[..text.len() - 3].trim_end();
    }
    text
}

/// Turns a statement's records into transactions through a mapping.
pub(crate) struct BankRows<'a> {
    file: &'a str,
    mapping: &'a BankMapping,
    header_len: usize,
    date: usize,
    time: Option<usize>,
    amount: Option<usize>,
    out: Option<usize>,
    into: Option<usize>,
    description: usize,
    counterparty: Option<usize>,
    id: Option<usize>,
    currency: Option<usize>,
    date_fallback: Option<usize>,
    direction: Option<usize>,
    note: Option<usize>,
    /// For month/day dates: the statement's year and month.
    bill_month: Option<(i16, i8)>,
    default_currency: Currency,
    interner: Interner,
    /// How often a (date, amount, description) was seen, for ids derived from content.
    seen: HashMap<(Date, i64, String), u32>,
    pub(crate) transactions: Vec<Transaction>,
}

impl<'a> BankRows<'a> {
    pub(crate) fn new(
        file: &'a str,
        mapping: &'a BankMapping,
        header: &[String],
        header_line: usize,
        expected_rows: usize,
        preamble: &[String],
    ) -> Result<BankRows<'a>, BillError> {
        let find = |name: &str| header.iter().position(|h| h == name);
        let need = |name: &str| {
            find(name).ok_or_else(|| {
                BillError::new(
                    file,
                    header_line,
                    1,
                    format!(
                        "the header has no column {name} (bank mapping {})",
                        mapping.name
                    ),
                    format!("表头缺少 {name} 列（银行映射 {}）", mapping.name),
                )
            })
        };
        let optional = |name: &Option<String>| name.as_deref().and_then(find);
        let c = &mapping.columns;
        let default_currency = match &mapping.amounts.currency {
            Some(code) => currency_of(code).ok_or_else(|| {
                BillError::new(
                    file,
                    0,
                    0,
                    format!("bank mapping {}: unknown currency {code:?}", mapping.name),
                    format!("银行映射 {}：不认识的币种 {code:?}", mapping.name),
                )
            })?,
            None => Currency::CNY,
        };
        if mapping.dates.order == DateOrder::Md && bill_month(preamble).is_none() {
            return Err(BillError::new(
                file,
                header_line,
                1,
                format!(
                    "{}: dates have no year and the title gives no bill month (such as 2026年01月)",
                    mapping.name
                ),
                format!(
                    "{}：日期没有年份，标题里也没有账单月份（如 2026年01月）",
                    mapping.name
                ),
            ));
        }
        Ok(BankRows {
            file,
            mapping,
            header_len: header.len(),
            date: need(&c.date)?,
            time: optional(&c.time),
            amount: c.amount.as_deref().map(need).transpose()?,
            out: c.out.as_deref().map(need).transpose()?,
            into: c.into.as_deref().map(need).transpose()?,
            description: need(&c.description)?,
            counterparty: optional(&c.counterparty),
            id: optional(&c.id),
            currency: optional(&c.currency),
            date_fallback: optional(&c.date_fallback),
            direction: optional(&c.direction),
            note: optional(&c.note),
            bill_month: bill_month(preamble),
            default_currency,
            interner: Interner::default(),
            seen: HashMap::new(),
            transactions: Vec::with_capacity(expected_rows),
        })
    }

    /// Adds one record; `true` when the rows have ended (a footer such as 合计 began).
    pub(crate) fn push(
        &mut self,
        fields: Record<'_>,
        raw: &str,
        line: usize,
    ) -> Result<bool, BillError> {
        if fields.text().trim().is_empty() {
            return Ok(false);
        }
        let mut date_column = self.date;
        let mut first = fields.cell(self.date);
        if first.is_empty()
            && let Some(fallback) = self.date_fallback
        {
            date_column = fallback;
            first = fields.cell(fallback);
        }
        if !first.starts_with(|c: char| c.is_ascii_digit()) && crate::parse::ends_rows(&fields) {
            // Footers (合计, 人民币合计, 以上数据仅供参考) end the rows.
            return Ok(true);
        }
        let file = self.file;
        if fields.len() > self.header_len + 1 {
            return Err(BillError::new(
                file,
                line,
                field_column(raw, self.header_len),
                format!(
                    "expected {} fields as in the header, found {}",
                    self.header_len,
                    fields.len()
                ),
                format!(
                    "应与表头一样有 {} 个字段，实际 {} 个",
                    self.header_len,
                    fields.len()
                ),
            ));
        }
        let at = |column: usize| field_column(raw, column);
        let date = self.parse_date(first).ok_or_else(|| {
            BillError::new(
                file,
                line,
                at(date_column),
                format!(
                    "{}: expected a date like 2026-11-15, 2026/11/15 or 20261115, found {first:?}",
                    self.mapping.columns.date
                ),
                format!(
                    "{}：应为 2026-11-15、2026/11/15 或 20261115 这样的日期，实际是 {first:?}",
                    self.mapping.columns.date
                ),
            )
        })?;
        let time = self
            .time
            .and_then(|t| parse_clock(fields.cell(t)))
            .or_else(|| {
                // `2025/12/03  14:06:51`: the time in the date's cell.
                let (_, clock) = first.split_once(char::is_whitespace)?;
                parse_clock(clock.trim())
            })
            .unwrap_or(Time::midnight());
        let amount_error = |column: usize, name: &str, text: &str| {
            BillError::new(
                file,
                line,
                at(column),
                format!("{name}: expected an amount like -25.00 or 1,299.00, found {text:?}"),
                format!("{name}：应为 -25.00 或 1,299.00 这样的金额，实际是 {text:?}"),
            )
        };
        let mut row_currency: Option<Currency> = None;
        let (direction, fen) = match (self.amount, self.out, self.into) {
            (Some(column), _, _) => {
                let (prefix, text) = currency_prefix(fields.cell(column));
                let name = self.mapping.columns.amount.as_deref().unwrap_or("");
                let signed = signed_fen(text).ok_or_else(|| amount_error(column, name, text))?;
                if let Some(code) = prefix {
                    row_currency = Some(code);
                }
                let out = match self.said_direction(&fields) {
                    Some(out) => out,
                    None => match self.mapping.amounts.out_sign {
                        OutSign::Negative => signed < 0,
                        OutSign::Positive => signed > 0,
                    },
                };
                (
                    if out { Direction::Out } else { Direction::In },
                    signed.abs(),
                )
            }
            (None, Some(out), Some(into)) => {
                let (out_text, in_text) = (fields.cell(out), fields.cell(into));
                let name_out = self.mapping.columns.out.as_deref().unwrap_or("");
                let name_in = self.mapping.columns.into.as_deref().unwrap_or("");
                let spent = if out_text.is_empty() {
                    0
                } else {
                    signed_fen(out_text).ok_or_else(|| amount_error(out, name_out, out_text))?
                };
                let received = if in_text.is_empty() {
                    0
                } else {
                    signed_fen(in_text).ok_or_else(|| amount_error(into, name_in, in_text))?
                };
                if spent != 0 {
                    (Direction::Out, spent.abs())
                } else {
                    (Direction::In, received.abs())
                }
            }
            _ => {
                unreachable!("a mapping has either `amount` or `out` and `in` (checked when read)")
            }
        };
        let currency = match self
            .currency
            .map(|c| fields.cell(c))
            .filter(|c| !c.is_empty() && row_currency.is_none())
        {
            Some(text) => currency_of(text).ok_or_else(|| {
                BillError::new(
                    file,
                    line,
                    at(self.currency.unwrap_or(0)),
                    format!("unknown currency {text:?}"),
                    format!("不认识的币种 {text:?}"),
                )
            })?,
            None => row_currency.unwrap_or(self.default_currency),
        };
        let description = fields.cell(self.description);
        // BOCOM credit: the direction word (消费, 退货) comes first; the merchant follows.
        let merchant_text = if self.mapping.amounts.direction_from_description {
            let amounts = &self.mapping.amounts;
            amounts
                .out_words
                .iter()
                .chain(&amounts.in_words)
                .find_map(|w| strip_tag(description).strip_prefix(w.as_str()))
                .map_or(description, |rest| {
                    rest.trim_start_matches([' ', '-', '－', ':', '：'])
                })
        } else {
            description
        };
        let named = self
            .counterparty
            .map(|c| fields.cell(c))
            .filter(|c| !c.is_empty() && !c.starts_with('-'));
        let note = self.note.map_or("", |c| fields.cell(c));
        let (method, counterparty) = match wallet_marker(named.unwrap_or(merchant_text))
            .or_else(|| wallet_marker(merchant_text))
            .or_else(|| wallet_marker(note))
        {
            Some((wallet, rest)) => (wallet, rest),
            None => (
                self.mapping.name.as_str(),
                named.unwrap_or_else(|| strip_tag(merchant_text)),
            ),
        };
        let counterparty = if self.mapping.strip_country_code {
            strip_country(counterparty)
        } else {
            counterparty
        };
        let id = match self.id.map(|c| fields.cell(c)).filter(|c| !c.is_empty()) {
            Some(id) => id.to_string(),
            None => {
                // Derived from the content, so re-reading the same statement gives the same ids.
                let n = self
                    .seen
                    .entry((date, fen, description.to_string()))
                    .or_insert(0);
                *n += 1;
                format!("{date}/{fen}/{n}/{description}")
            }
        };
        self.transactions.push(Transaction {
            source: Source::Bank,
            source_id: id.into(),
            time: DateTime::from_parts(date, time),
            counterparty: self.interner.get(0, counterparty),
            description: self.interner.get(1, description),
            category: self.interner.get(2, ""),
            direction,
            amount: Money::from_minor(fen, currency),
            method: self.interner.get(3, method),
            status: TxStatus::Success,
            status_text: self.interner.get(4, ""),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            refund_of: None,
        });
        Ok(false)
    }
}

impl BankRows<'_> {
    /// A date in the mapping's order, within the ledger's range.
    fn parse_date(&self, text: &str) -> Option<Date> {
        self.parse_date_any(text)
            .filter(|d| tuiding_core::bounds::date_in_range(*d))
    }

    fn parse_date_any(&self, text: &str) -> Option<Date> {
        match self.mapping.dates.order {
            DateOrder::Ymd => parse_date(text),
            DateOrder::Dmy => {
                let text = text.split_whitespace().next()?;
                let mut parts = text.split(['/', '-', '.']);
                let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
                // A two-digit year (15/11/26) is refused rather than read as year 26.
                if y.len() != 4 || parts.next().is_some() {
                    return None;
                }
                Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
            }
            DateOrder::Md => {
                let (year, bill) = self.bill_month?;
                let text = text.split_whitespace().next()?;
                let (m, d) = text.split_once(['/', '-'])?;
                let (m, d): (i8, i8) = (m.parse().ok()?, d.parse().ok()?);
                let year = if m > bill { year - 1 } else { year };
                Date::new(year, m, d).ok()
            }
        }
    }

    /// Money out (`true`) or in, when a column or the description says so.
    fn said_direction(&self, fields: &Record<'_>) -> Option<bool> {
        let amounts = &self.mapping.amounts;
        let word = match (self.direction, amounts.direction_from_description) {
            (Some(column), _) => fields.cell(column),
            (None, true) => strip_tag(fields.cell(self.description)),
            (None, false) => return None,
        };
        let word = word.to_lowercase();
        let starts = |words: &[String]| {
            words
                .iter()
                .any(|w| word.starts_with(w.to_lowercase().as_str()))
        };
        Some(if starts(&amounts.in_words) {
            false
        } else {
            // Neither listed: money out, the safe reading for spotting charges.
            true
        })
    }
}

/// The statement's year and month from a title such as `招商银行信用卡对账单（2026年01月）`.
fn bill_month(preamble: &[String]) -> Option<(i16, i8)> {
    preamble.iter().find_map(|line| {
        let at = line.find('年')?;
        let year: i16 = line[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .chars()
            .rev()
            .collect::<String>()
            .parse()
            .ok()?;
        let rest = &line[at + '年'.len_utf8()..];
        let month: i8 = rest
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()?;
        ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some((year, month))
    })
}

/// `CNY 123.18`, `CNY13.50`, `JPY 1000.00`: the currency written before the amount.
fn currency_prefix(text: &str) -> (Option<Currency>, &str) {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 3
        && let Ok(currency) = Currency::from_code(&text[..3].to_ascii_uppercase())
    {
        return (Some(currency), text[3..].trim());
    }
    (None, text)
}

/// `2026-11-15`, `2026/11/15`, `20261115` (a time after a space is ignored).
fn parse_date(text: &str) -> Option<Date> {
    let text = text.split_whitespace().next()?;
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Date::new(
            text[..4].parse().ok()?,
            text[4..6].parse().ok()?,
            text[6..].parse().ok()?,
        )
        .ok();
    }
    let mut parts = text.split(['-', '/', '.']);
    let (y, m, d) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    if parts.next().is_some() {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// `18:53:19`, `18:53`, `185319`.
fn parse_clock(text: &str) -> Option<Time> {
    if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Time::new(
            text[..2].parse().ok()?,
            text[2..4].parse().ok()?,
            text[4..].parse().ok()?,
            0,
        )
        .ok();
    }
    let mut parts = text.split(':');
    let h = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let s = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    Time::new(h, m, s, 0).ok()
}

/// A signed amount in fen: `-1,000.00`, `+10.00`, `¥25`, `8,000.00`.
fn signed_fen(text: &str) -> Option<i64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '¥' | '￥' | ' ' | '+'))
        .collect();
    Money::parse_signed(&cleaned, Currency::CNY)
        .ok()
        .filter(|m| m.currency() == Currency::CNY && tuiding_core::bounds::amount_in_range(*m))
        .map(Money::minor_units)
}

/// `CNY`, `人民币`, `人民币元`, `美元` ….
fn currency_of(text: &str) -> Option<Currency> {
    match text {
        "人民币" | "人民币元" | "RMB" | "rmb" => Some(Currency::CNY),
        "美元" => Currency::from_code("USD").ok(),
        "港币" | "港元" => Currency::from_code("HKD").ok(),
        "欧元" => Currency::from_code("EUR").ok(),
        "日元" => Currency::from_code("JPY").ok(),
        "英镑" => Currency::from_code("GBP").ok(),
        code => Currency::from_code(code).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_mappings_are_valid() {
        let mappings = BankMapping::embedded();
        assert_eq!(mappings.len(), 17);
        assert!(
            mappings
                .iter()
                .any(|m| m.name == "招商银行借记卡" && m.columns.amount.is_some())
        );
        assert!(
            mappings
                .iter()
                .any(|m| m.name == "工商银行借记卡" && m.columns.out.is_some())
        );
    }

    #[test]
    fn bad_mappings_say_why() {
        assert!(
            BankMapping::from_toml("name = \"x\"\n[columns]\ndate = \"d\"\ndescription = \"s\"\n")
                .unwrap_err()
                .contains("amount")
        );
        assert!(
            BankMapping::from_toml("name = \"x\"\n[columns]\ndat = \"d\"\n")
                .unwrap_err()
                .contains("dat")
        );
    }

    #[test]
    fn dates_clocks_and_amounts() {
        assert_eq!(
            parse_date("2025-01-05"),
            Some(jiff::civil::date(2025, 1, 5))
        );
        assert_eq!(parse_date("20250105"), Some(jiff::civil::date(2025, 1, 5)));
        assert_eq!(
            parse_date("2025/1/5 12:00"),
            Some(jiff::civil::date(2025, 1, 5))
        );
        assert_eq!(parse_date("合计"), None);
        assert_eq!(parse_clock("18:53:19"), Time::new(18, 53, 19, 0).ok());
        assert_eq!(parse_clock("185319"), Time::new(18, 53, 19, 0).ok());
        assert_eq!(signed_fen("-1,000.00"), Some(-100_000));
        assert_eq!(signed_fen("+10.00"), Some(1000));
        assert_eq!(signed_fen("abc"), None);
        assert_eq!(currency_of("人民币"), Some(Currency::CNY));
    }

    #[test]
    fn wallet_markers() {
        assert_eq!(
            wallet_marker("支付宝-北京百度网讯科技有限公司"),
            Some(("支付宝", "北京百度网讯科技有限公司"))
        );
        assert_eq!(
            wallet_marker("财付通－美团平台商户"),
            Some(("财付通", "美团平台商户"))
        );
        assert_eq!(wallet_marker("快捷支付"), None);
    }
}
