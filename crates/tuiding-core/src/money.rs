//! Money: an integer count of minor units (fen, cents) with an ISO 4217 currency.
//!
//! No float ever touches money. Parsing accepts what people type ("25", "25.00", "¥25",
//! "25元", "25.00 CNY", "$9.99", "1,299.00") and refuses, with a reason, what it cannot
//! represent exactly: more decimals than the currency has, amounts that overflow, and
//! negatives where the caller says they make no sense. Every division names its
//! [`Rounding`] rule.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::i18n::{Lang, Localized};

/// What is known about one ISO 4217 currency.
#[derive(Debug, PartialEq, Eq, Hash)]
struct CurrencyInfo {
    code: &'static str,
    /// Digits after the decimal point (the minor unit exponent).
    exponent: u8,
    /// The symbol shown before an amount.
    symbol: &'static str,
    name_zh: &'static str,
}

/// The currencies tuiding knows. CNY first: `¥` alone means yuan.
static CURRENCIES: &[CurrencyInfo] = &[
    CurrencyInfo {
        code: "CNY",
        exponent: 2,
        symbol: "¥",
        name_zh: "人民币",
    },
    CurrencyInfo {
        code: "USD",
        exponent: 2,
        symbol: "$",
        name_zh: "美元",
    },
    CurrencyInfo {
        code: "EUR",
        exponent: 2,
        symbol: "€",
        name_zh: "欧元",
    },
    CurrencyInfo {
        code: "GBP",
        exponent: 2,
        symbol: "£",
        name_zh: "英镑",
    },
    CurrencyInfo {
        code: "JPY",
        exponent: 0,
        symbol: "JP¥",
        name_zh: "日元",
    },
    CurrencyInfo {
        code: "HKD",
        exponent: 2,
        symbol: "HK$",
        name_zh: "港元",
    },
    CurrencyInfo {
        code: "MOP",
        exponent: 2,
        symbol: "MOP$",
        name_zh: "澳门元",
    },
    CurrencyInfo {
        code: "TWD",
        exponent: 2,
        symbol: "NT$",
        name_zh: "新台币",
    },
    CurrencyInfo {
        code: "KRW",
        exponent: 0,
        symbol: "₩",
        name_zh: "韩元",
    },
    CurrencyInfo {
        code: "SGD",
        exponent: 2,
        symbol: "S$",
        name_zh: "新加坡元",
    },
    CurrencyInfo {
        code: "AUD",
        exponent: 2,
        symbol: "A$",
        name_zh: "澳元",
    },
    CurrencyInfo {
        code: "CAD",
        exponent: 2,
        symbol: "CA$",
        name_zh: "加元",
    },
    CurrencyInfo {
        code: "NZD",
        exponent: 2,
        symbol: "NZ$",
        name_zh: "新西兰元",
    },
    CurrencyInfo {
        code: "CHF",
        exponent: 2,
        symbol: "CHF ",
        name_zh: "瑞士法郎",
    },
    CurrencyInfo {
        code: "THB",
        exponent: 2,
        symbol: "฿",
        name_zh: "泰铢",
    },
    CurrencyInfo {
        code: "MYR",
        exponent: 2,
        symbol: "RM",
        name_zh: "马来西亚林吉特",
    },
    CurrencyInfo {
        code: "INR",
        exponent: 2,
        symbol: "₹",
        name_zh: "印度卢比",
    },
    CurrencyInfo {
        code: "RUB",
        exponent: 2,
        symbol: "₽",
        name_zh: "卢布",
    },
    CurrencyInfo {
        code: "VND",
        exponent: 0,
        symbol: "₫",
        name_zh: "越南盾",
    },
    CurrencyInfo {
        code: "PHP",
        exponent: 2,
        symbol: "₱",
        name_zh: "菲律宾比索",
    },
];

/// Markers people write before or after an amount, mapped to a currency code.
/// Longer markers come first so that "US$" wins over "$" and "港元" over "元".
static MARKERS: &[(&str, &str)] = &[
    ("人民币", "CNY"),
    ("块钱", "CNY"),
    ("美元", "USD"),
    ("美金", "USD"),
    ("欧元", "EUR"),
    ("英镑", "GBP"),
    ("日元", "JPY"),
    ("港元", "HKD"),
    ("港币", "HKD"),
    ("澳门元", "MOP"),
    ("新台币", "TWD"),
    ("韩元", "KRW"),
    ("MOP$", "MOP"),
    ("US$", "USD"),
    ("HK$", "HKD"),
    ("NT$", "TWD"),
    ("CA$", "CAD"),
    ("NZ$", "NZD"),
    ("JP¥", "JPY"),
    ("RMB", "CNY"),
    ("S$", "SGD"),
    ("RM", "MYR"),
    ("A$", "AUD"),
    ("元", "CNY"),
    ("块", "CNY"),
    ("¥", "CNY"),
    ("￥", "CNY"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("₩", "KRW"),
    ("฿", "THB"),
    ("₹", "INR"),
    ("₽", "RUB"),
    ("₫", "VND"),
    ("₱", "PHP"),
];

/// An ISO 4217 currency that tuiding knows (CNY, USD, EUR, JPY, HKD, …).
///
/// ```
/// use tuiding_core::Currency;
/// let cny: Currency = "cny".parse().unwrap();
/// assert_eq!(cny.code(), "CNY");
/// assert_eq!(cny.exponent(), 2);
/// assert_eq!(Currency::from_code("JPY").unwrap().exponent(), 0);
/// assert!(Currency::from_code("XYZ").is_err());
/// ```
#[derive(Clone, Copy)]
pub struct Currency(&'static CurrencyInfo);

impl Currency {
    /// Chinese yuan renminbi, the default.
    pub const CNY: Currency = Currency(&CURRENCIES[0]);

    /// Looks up a currency by its ISO 4217 code (case-insensitive).
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        let code = code.trim();
        CURRENCIES
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
            .map(Currency)
            .ok_or_else(|| MoneyError::UnknownCurrency {
                code: code.to_string(),
            })
    }

    /// The ISO 4217 code, e.g. `"CNY"`.
    pub fn code(self) -> &'static str {
        self.0.code
    }

    /// How many digits the minor unit has (2 for CNY, 0 for JPY).
    pub fn exponent(self) -> u8 {
        self.0.exponent
    }

    /// The symbol written before amounts, e.g. `"¥"`.
    pub fn symbol(self) -> &'static str {
        self.0.symbol
    }

    /// The currency's Chinese name, e.g. `"人民币"`.
    pub fn name_zh(self) -> &'static str {
        self.0.name_zh
    }

    /// Every currency tuiding knows.
    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES.iter().map(Currency)
    }

    fn scale(self) -> i64 {
        10_i64.pow(u32::from(self.0.exponent))
    }
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        self.0.code == other.0.code
    }
}

impl Eq for Currency {}

impl std::hash::Hash for Currency {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.code.hash(state);
    }
}

impl PartialOrd for Currency {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Currency {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.code.cmp(other.0.code)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::from_code(&code).map_err(serde::de::Error::custom)
    }
}

/// How a division is rounded to the currency's minor unit. Rounding acts on the
/// magnitude, so a refund and a charge of the same size round alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Toward zero (truncate): 1.239 → 1.23.
    Down,
    /// Half away from zero (四舍五入): 1.235 → 1.24, 1.234 → 1.23.
    #[default]
    HalfUp,
    /// Away from zero: 1.231 → 1.24.
    Up,
}

impl Rounding {
    /// Divides `num` by a positive `den`, rounding by this rule.
    fn divide(self, num: i128, den: i128) -> i128 {
        debug_assert!(den > 0);
        let quotient = num / den;
        let remainder = (num % den).abs();
        if remainder == 0 {
            return quotient;
        }
        let away = match self {
            Rounding::Down => false,
            Rounding::Up => true,
            Rounding::HalfUp => remainder * 2 >= den,
        };
        if away {
            quotient + num.signum()
        } else {
            quotient
        }
    }
}

/// An amount of money: integer minor units plus a currency.
///
/// ```
/// use tuiding_core::{Currency, Money};
/// let price = Money::parse("¥25", Currency::CNY).unwrap();
/// assert_eq!(price.minor_units(), 2500);
/// assert_eq!(price.to_string(), "¥25.00");
/// assert_eq!(price.amount_string(), "25.00");
/// assert_eq!(Money::parse("$9.99", Currency::CNY).unwrap().to_string(), "$9.99");
/// assert!(Money::parse("25.001", Currency::CNY).is_err());
/// assert!(Money::parse("-3", Currency::CNY).is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// Money from a count of minor units (2500 fen = ¥25.00).
    pub const fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Zero in the given currency.
    pub const fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    /// The amount in minor units.
    pub fn minor_units(self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// True when the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.minor < 0
    }

    /// True when the amount is zero.
    pub fn is_zero(self) -> bool {
        self.minor == 0
    }

    /// Parses a non-negative amount as users type it. `default` applies when the text
    /// names no currency (`"25"`); a symbol, word or code in the text wins (`"$9.99"`).
    pub fn parse(input: &str, default: Currency) -> Result<Money, MoneyError> {
        let money = Money::parse_signed(input, default)?;
        if money.is_negative() {
            return Err(MoneyError::Negative {
                input: crate::bounds::quote(input.trim()),
            });
        }
        Ok(money)
    }

    /// Like [`Money::parse`] but also accepts a leading minus sign, for adjustments.
    pub fn parse_signed(input: &str, default: Currency) -> Result<Money, MoneyError> {
        let normalized = normalize_width(input);
        let mut rest = normalized.trim();
        if rest.is_empty() {
            return Err(MoneyError::Empty);
        }
        let mut negative = false;
        let mut found: Option<Currency> = None;
        // Signs, markers and codes may come in either order around the number:
        // "-¥25", "¥-25", "25 CNY", "CNY 25", "25元".
        loop {
            let before = rest;
            if let Some(r) = rest.strip_prefix('-') {
                if negative {
                    return Err(invalid(input, "two minus signs"));
                }
                negative = true;
                rest = r.trim_start();
            } else if let Some(r) = rest.strip_prefix('+') {
                rest = r.trim_start();
            }
            if let Some((currency, r)) = strip_marker(rest, Side::Prefix) {
                set_currency(&mut found, currency)?;
                rest = r.trim_start();
            }
            if let Some((currency, r)) = strip_marker(rest, Side::Suffix) {
                set_currency(&mut found, currency)?;
                rest = r.trim_end();
            }
            if rest == before {
                break;
            }
        }
        let currency = found.unwrap_or(default);
        let minor = parse_number(rest, currency, input)?;
        Ok(Money {
            minor: if negative { -minor } else { minor },
            currency,
        })
    }

    /// The plain decimal amount with exactly the currency's number of decimals and no
    /// symbol or grouping: `"25.00"`, `"-3.50"`, `"1200"` (JPY). Used in JSON.
    pub fn amount_string(self) -> String {
        let exponent = usize::from(self.currency.exponent());
        let sign = if self.minor < 0 { "-" } else { "" };
        let magnitude = self.minor.unsigned_abs();
        if exponent == 0 {
            return format!("{sign}{magnitude}");
        }
        let scale = 10_u64.pow(exponent as u32);
        format!(
            "{sign}{}.{:0exponent$}",
            magnitude / scale,
            magnitude % scale
        )
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money {
                minor,
                currency: self.currency,
            })
            .ok_or(MoneyError::Overflow)
    }

    /// Subtracts an amount of the same currency.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.minor
            .checked_sub(other.minor)
            .map(|minor| Money {
                minor,
                currency: self.currency,
            })
            .ok_or(MoneyError::Overflow)
    }

    /// Multiplies by `numerator / denominator`, rounding the result to the minor unit
    /// by `rounding`. Exact: the arithmetic is done in 128-bit integers.
    ///
    /// ```
    /// use tuiding_core::{Currency, Money, Rounding};
    /// let year = Money::from_minor(19_800, Currency::CNY); // ¥198.00
    /// assert_eq!(year.mul_ratio(1, 12, Rounding::HalfUp).unwrap().amount_string(), "16.50");
    /// let odd = Money::from_minor(1_000, Currency::CNY); // ¥10.00 / 3
    /// assert_eq!(odd.mul_ratio(1, 3, Rounding::Down).unwrap().amount_string(), "3.33");
    /// assert_eq!(odd.mul_ratio(1, 3, Rounding::Up).unwrap().amount_string(), "3.34");
    /// ```
    pub fn mul_ratio(
        self,
        numerator: i64,
        denominator: i64,
        rounding: Rounding,
    ) -> Result<Money, MoneyError> {
        if denominator == 0 {
            return Err(MoneyError::DivisionByZero);
        }
        let (num, den) = if denominator < 0 {
            (-i128::from(numerator), -i128::from(denominator))
        } else {
            (i128::from(numerator), i128::from(denominator))
        };
        let product = i128::from(self.minor) * num;
        let minor =
            i64::try_from(rounding.divide(product, den)).map_err(|_| MoneyError::Overflow)?;
        Ok(Money {
            minor,
            currency: self.currency,
        })
    }

    /// The larger of two amounts of the same currency.
    pub fn max(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(if other.minor > self.minor {
            other
        } else {
            self
        })
    }

    /// The smaller of two amounts of the same currency.
    pub fn min(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(if other.minor < self.minor {
            other
        } else {
            self
        })
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency.code(),
                right: other.currency.code(),
            })
        }
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_string(), self.currency.code())
    }
}

/// `¥1,299.00`, `-$9.99`, `JP¥1,200`: the symbol, then the amount grouped by thousands.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = self.amount_string();
        let (sign, digits) = match plain.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("", plain.as_str()),
        };
        let (int, frac) = match digits.split_once('.') {
            Some((i, fr)) => (i, Some(fr)),
            None => (digits, None),
        };
        let mut grouped = String::with_capacity(int.len() + int.len() / 3);
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}{}{grouped}", self.currency.symbol())?;
        if let Some(frac) = frac {
            write!(f, ".{frac}")?;
        }
        Ok(())
    }
}

/// Why an amount of money was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Nothing was given.
    #[error("no amount given")]
    Empty,
    /// The text is not an amount.
    #[error(
        "{input:?} is not an amount: {reason} (write it like 25, 25.00, ¥25, 25元 or 9.99 USD)"
    )]
    Invalid {
        /// What was typed.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// More digits after the point than the currency has.
    #[error("{input:?} has more decimals than {currency} allows (at most {max})")]
    TooManyDecimals {
        /// What was typed.
        input: String,
        /// The currency code.
        currency: &'static str,
        /// How many decimals the currency has.
        max: u8,
    },
    /// A negative amount where only zero or more makes sense.
    #[error("{input:?} is negative; give an amount of zero or more")]
    Negative {
        /// What was typed.
        input: String,
    },
    /// The amount does not fit.
    #[error("amount is too large")]
    Overflow,
    /// Two currencies in one amount, or arithmetic across currencies.
    #[error("cannot combine {left} and {right}")]
    CurrencyMismatch {
        /// The first currency.
        left: &'static str,
        /// The second currency.
        right: &'static str,
    },
    /// An ISO code tuiding does not know.
    #[error("unknown currency {code:?}; use an ISO 4217 code such as CNY, USD, EUR, HKD or JPY")]
    UnknownCurrency {
        /// What was typed.
        code: String,
    },
    /// A ratio with a zero denominator.
    #[error("division by zero")]
    DivisionByZero,
}

impl Localized for MoneyError {
    fn localized(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            MoneyError::Empty => "没有填写金额".into(),
            MoneyError::Invalid { input, reason } => format!(
                "{input:?} 不是金额：{}（可写成 25、25.00、¥25、25元 或 9.99 USD）",
                reason_zh(reason)
            ),
            MoneyError::TooManyDecimals {
                input,
                currency,
                max,
            } => {
                format!("{input:?} 的小数位超过 {currency} 允许的 {max} 位")
            }
            MoneyError::Negative { input } => format!("{input:?} 是负数；请填写 0 或更大的金额"),
            MoneyError::Overflow => "金额过大".into(),
            MoneyError::CurrencyMismatch { left, right } => {
                format!("不能把 {left} 和 {right} 混在一起计算")
            }
            MoneyError::UnknownCurrency { code } => {
                format!("不认识的币种 {code:?}；请使用 ISO 4217 代码，如 CNY、USD、EUR、HKD、JPY")
            }
            MoneyError::DivisionByZero => "除数为零".into(),
        }
    }
}

fn reason_zh(reason: &str) -> &str {
    match reason {
        "no digits" => "没有数字",
        "two minus signs" => "有两个负号",
        "two decimal points" => "有两个小数点",
        "misplaced thousands separator" => "千位分隔符位置不对",
        "unexpected character" => "含有无法识别的字符",
        _ => reason,
    }
}

fn invalid(input: &str, reason: &str) -> MoneyError {
    MoneyError::Invalid {
        input: crate::bounds::quote(input.trim()),
        reason: reason.to_string(),
    }
}

/// Full-width digits and punctuation (common in Chinese input methods) to ASCII.
fn normalize_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '，' => ',',
            '－' => '-',
            '＋' => '+',
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Side {
    Prefix,
    Suffix,
}

fn strip_marker(text: &str, side: Side) -> Option<(Currency, &str)> {
    for (marker, code) in MARKERS {
        let stripped = match side {
            Side::Prefix => text.strip_prefix(marker),
            Side::Suffix => text.strip_suffix(marker),
        };
        if let Some(rest) = stripped {
            return Some((
                Currency::from_code(code).expect("marker table uses known codes"),
                rest,
            ));
        }
    }
    // ISO codes, any case, on either side: "CNY 25", "25.00 usd".
    let candidate = match side {
        Side::Prefix => text.get(..3)?,
        Side::Suffix => text.get(text.len().checked_sub(3)?..)?,
    };
    if !candidate.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let currency = Currency::from_code(candidate).ok()?;
    let rest = match side {
        Side::Prefix => &text[3..],
        Side::Suffix => &text[..text.len() - 3],
    };
    Some((currency, rest))
}

fn set_currency(found: &mut Option<Currency>, currency: Currency) -> Result<(), MoneyError> {
    match found {
        Some(previous) if *previous != currency => Err(MoneyError::CurrencyMismatch {
            left: previous.code(),
            right: currency.code(),
        }),
        _ => {
            *found = Some(currency);
            Ok(())
        }
    }
}

/// Parses `1,299.50` into minor units of `currency`.
fn parse_number(text: &str, currency: Currency, input: &str) -> Result<i64, MoneyError> {
    if text.is_empty() {
        return Err(invalid(input, "no digits"));
    }
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => {
            if f.contains('.') {
                return Err(invalid(input, "two decimal points"));
            }
            (i, f)
        }
        None => (text, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(invalid(input, "no digits"));
    }
    if text
        .chars()
        .any(|c| !(c.is_ascii_digit() || c == ',' || c == '.'))
    {
        return Err(invalid(input, "unexpected character"));
    }
    if frac_part.contains(',') {
        return Err(invalid(input, "misplaced thousands separator"));
    }
    let int_digits: String = if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(invalid(input, "misplaced thousands separator"));
        }
        groups.concat()
    } else {
        int_part.to_string()
    };
    let exponent = usize::from(currency.exponent());
    let frac_significant = frac_part.trim_end_matches('0');
    if frac_significant.len() > exponent {
        return Err(MoneyError::TooManyDecimals {
            input: crate::bounds::quote(input.trim()),
            currency: currency.code(),
            max: currency.exponent(),
        });
    }
    let mut minor: i64 = 0;
    for digit in int_digits.bytes() {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(digit - b'0')))
            .ok_or(MoneyError::Overflow)?;
    }
    minor = minor
        .checked_mul(currency.scale())
        .ok_or(MoneyError::Overflow)?;
    let mut frac_value: i64 = 0;
    for i in 0..exponent {
        let digit = frac_significant
            .as_bytes()
            .get(i)
            .map_or(0, |d| i64::from(d - b'0'));
        frac_value = frac_value * 10 + digit;
    }
    minor.checked_add(frac_value).ok_or(MoneyError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cny(s: &str) -> Result<Money, MoneyError> {
        Money::parse(s, Currency::CNY)
    }

    #[test]
    fn parses_what_users_type() {
        for (input, minor, code) in [
            ("25", 2500, "CNY"),
            ("25.00", 2500, "CNY"),
            ("25.5", 2550, "CNY"),
            (".5", 50, "CNY"),
            ("¥25", 2500, "CNY"),
            ("￥25", 2500, "CNY"),
            ("25元", 2500, "CNY"),
            ("25 元", 2500, "CNY"),
            ("25块", 2500, "CNY"),
            ("25.00 CNY", 2500, "CNY"),
            ("cny 25", 2500, "CNY"),
            ("RMB 25", 2500, "CNY"),
            ("人民币25元", 2500, "CNY"),
            ("$9.99", 999, "USD"),
            ("US$9.99", 999, "USD"),
            ("9.99 USD", 999, "USD"),
            ("HK$38", 3800, "HKD"),
            ("38港币", 3800, "HKD"),
            ("€4.99", 499, "EUR"),
            ("1,299.00", 129_900, "CNY"),
            ("JP¥1,200", 1200, "JPY"),
            ("1200 JPY", 1200, "JPY"),
            ("２５．００元", 2500, "CNY"),
            ("0", 0, "CNY"),
            ("  25  ", 2500, "CNY"),
        ] {
            let money = cny(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(
                (money.minor_units(), money.currency().code()),
                (minor, code),
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_what_it_cannot_represent() {
        assert!(matches!(
            cny("25.001"),
            Err(MoneyError::TooManyDecimals { max: 2, .. })
        ));
        assert!(matches!(
            cny("1200.5 JPY"),
            Err(MoneyError::TooManyDecimals { max: 0, .. })
        ));
        assert!(matches!(cny("-3"), Err(MoneyError::Negative { .. })));
        assert!(matches!(cny("¥-3"), Err(MoneyError::Negative { .. })));
        assert!(matches!(
            cny("99999999999999999999"),
            Err(MoneyError::Overflow)
        ));
        assert!(matches!(
            cny("92233720368547758.08"),
            Err(MoneyError::Overflow)
        ));
        assert!(matches!(cny(""), Err(MoneyError::Empty)));
        assert!(matches!(cny("   "), Err(MoneyError::Empty)));
        assert!(matches!(cny("abc"), Err(MoneyError::Invalid { .. })));
        assert!(matches!(cny("¥"), Err(MoneyError::Invalid { .. })));
        assert!(matches!(cny("1.2.3"), Err(MoneyError::Invalid { .. })));
        assert!(matches!(cny("1,23"), Err(MoneyError::Invalid { .. })));
        assert!(matches!(cny("12,3456"), Err(MoneyError::Invalid { .. })));
        assert!(matches!(cny("--3"), Err(MoneyError::Invalid { .. })));
        assert!(matches!(
            cny("$25 CNY"),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
        assert!(matches!(cny("25 XYZ"), Err(MoneyError::Invalid { .. })));
    }

    #[test]
    fn trailing_zeros_beyond_the_exponent_are_exact() {
        assert_eq!(cny("25.000").unwrap().minor_units(), 2500);
        assert_eq!(cny("1200.00 JPY").unwrap().minor_units(), 1200);
    }

    #[test]
    fn signed_parse_accepts_negatives() {
        assert_eq!(
            Money::parse_signed("-¥3.50", Currency::CNY)
                .unwrap()
                .minor_units(),
            -350
        );
        assert_eq!(
            Money::parse_signed("¥-3.50", Currency::CNY)
                .unwrap()
                .minor_units(),
            -350
        );
    }

    #[test]
    fn displays_with_symbol_and_grouping() {
        let m = |minor, code| Money::from_minor(minor, Currency::from_code(code).unwrap());
        assert_eq!(m(2500, "CNY").to_string(), "¥25.00");
        assert_eq!(m(129_900, "CNY").to_string(), "¥1,299.00");
        assert_eq!(m(123_456_789, "CNY").to_string(), "¥1,234,567.89");
        assert_eq!(m(-999, "USD").to_string(), "-$9.99");
        assert_eq!(m(1200, "JPY").to_string(), "JP¥1,200");
        assert_eq!(m(5, "CNY").to_string(), "¥0.05");
        assert_eq!(m(5, "CNY").amount_string(), "0.05");
        assert_eq!(m(-5, "CNY").amount_string(), "-0.05");
        assert_eq!(m(100, "JPY").amount_string(), "100");
    }

    #[test]
    fn rounding_rules_act_on_magnitude() {
        let m = Money::from_minor(1001, Currency::CNY);
        assert_eq!(
            m.mul_ratio(1, 2, Rounding::HalfUp).unwrap().minor_units(),
            501
        );
        assert_eq!(
            m.mul_ratio(1, 2, Rounding::Down).unwrap().minor_units(),
            500
        );
        assert_eq!(m.mul_ratio(1, 2, Rounding::Up).unwrap().minor_units(), 501);
        let n = Money::from_minor(-1001, Currency::CNY);
        assert_eq!(
            n.mul_ratio(1, 2, Rounding::HalfUp).unwrap().minor_units(),
            -501
        );
        assert_eq!(
            n.mul_ratio(1, 2, Rounding::Down).unwrap().minor_units(),
            -500
        );
        assert_eq!(
            m.mul_ratio(1, -2, Rounding::Down).unwrap().minor_units(),
            -500
        );
        assert!(matches!(
            m.mul_ratio(1, 0, Rounding::Down),
            Err(MoneyError::DivisionByZero)
        ));
        let big = Money::from_minor(i64::MAX, Currency::CNY);
        assert!(matches!(
            big.mul_ratio(2, 1, Rounding::Down),
            Err(MoneyError::Overflow)
        ));
        assert_eq!(big.mul_ratio(2, 2, Rounding::Down).unwrap(), big);
    }

    #[test]
    fn arithmetic_refuses_mixed_currencies_and_overflow() {
        let a = Money::from_minor(100, Currency::CNY);
        let b = Money::from_minor(100, Currency::from_code("USD").unwrap());
        assert!(matches!(
            a.checked_add(b),
            Err(MoneyError::CurrencyMismatch { .. })
        ));
        let max = Money::from_minor(i64::MAX, Currency::CNY);
        assert!(matches!(max.checked_add(a), Err(MoneyError::Overflow)));
        assert_eq!(a.checked_sub(a).unwrap(), Money::zero(Currency::CNY));
    }

    #[test]
    fn errors_speak_chinese() {
        let err = cny("25.001").unwrap_err();
        assert!(err.localized(Lang::Zh).contains("小数位"));
        assert!(err.localized(Lang::En).contains("decimals"));
    }

    proptest! {
        #[test]
        fn display_and_amount_string_parse_back(minor in 0_i64..=i64::MAX / 100, idx in 0_usize..20) {
            let currency = Currency::all().nth(idx % CURRENCIES.len()).unwrap();
            let money = Money::from_minor(minor, currency);
            prop_assert_eq!(Money::parse(&money.to_string(), Currency::CNY).unwrap(), money);
            prop_assert_eq!(Money::parse(&money.amount_string(), currency).unwrap(), money);
        }

        #[test]
        fn ratio_rounding_brackets_the_exact_value(minor in -1_000_000_000_i64..1_000_000_000, num in 1_i64..1000, den in 1_i64..1000) {
            let m = Money::from_minor(minor, Currency::CNY);
            let down = m.mul_ratio(num, den, Rounding::Down).unwrap().minor_units();
            let up = m.mul_ratio(num, den, Rounding::Up).unwrap().minor_units();
            let half = m.mul_ratio(num, den, Rounding::HalfUp).unwrap().minor_units();
            prop_assert!((up - down).abs() <= 1);
            prop_assert!(half == down || half == up);
            let exact = i128::from(minor) * i128::from(num);
            // |down| * den <= |exact| <= |up| * den
            prop_assert!(i128::from(down).abs() * i128::from(den) <= exact.abs());
            prop_assert!(exact.abs() <= i128::from(up).abs() * i128::from(den));
        }
    }
}
