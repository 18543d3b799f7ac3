//! Billing periods, anchored on the start date.
//!
//! The n-th renewal is always computed as `start + n × period`, never as the previous
//! renewal plus one period: a plan started on Jan 31 renews on Feb 28, then Mar 31 (not
//! Mar 28), and a yearly plan started on Feb 29 renews on Feb 28 in common years and on
//! Feb 29 again in leap years. Chaining would drift; anchoring cannot.

use std::fmt;
use std::str::FromStr;

use jiff::Span;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::i18n::{Lang, Localized};

/// A billing period: a number of days, weeks, months or years.
///
/// ```
/// use jiff::civil::date;
/// use tuiding_core::Period;
/// let monthly: Period = "month".parse().unwrap();
/// let start = date(2026, 1, 31);
/// assert_eq!(monthly.boundary(start, 1).unwrap(), date(2026, 2, 28));
/// assert_eq!(monthly.boundary(start, 2).unwrap(), date(2026, 3, 31));
/// assert_eq!(monthly.boundary(start, 3).unwrap(), date(2026, 4, 30));
/// let yearly = Period::year();
/// assert_eq!(yearly.boundary(date(2024, 2, 29), 1).unwrap(), date(2025, 2, 28));
/// assert_eq!(yearly.boundary(date(2024, 2, 29), 4).unwrap(), date(2028, 2, 29));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Every N days (e.g. 30-day passes).
    Days(u16),
    /// Every N weeks.
    Weeks(u16),
    /// Every N calendar months (3 = quarter, 6 = half-year).
    Months(u16),
    /// Every N years.
    Years(u16),
}

/// One billing period: `[start, end)`, the `index`-th since the membership began
/// (0 for the first, paid period).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodSpan {
    /// 0 for the first period.
    pub index: i64,
    /// The first day of the period (a renewal day for index ≥ 1).
    pub start: Date,
    /// The day the next period begins (exclusive end).
    pub end: Date,
}

impl PeriodSpan {
    /// How many days the period has.
    pub fn days(&self) -> i64 {
        i64::from((self.end - self.start).get_days())
    }
}

impl Period {
    /// The period's length in days, rounded up for months (31) and years (366): what
    /// bounds checks compare against.
    pub fn approx_days(self) -> u32 {
        match self {
            Period::Days(n) => u32::from(n),
            Period::Weeks(n) => u32::from(n) * 7,
            Period::Months(n) => u32::from(n) * 31,
            Period::Years(n) => u32::from(n) * 366,
        }
    }

    /// One week.
    pub const fn week() -> Period {
        Period::Weeks(1)
    }
    /// One month.
    pub const fn month() -> Period {
        Period::Months(1)
    }
    /// One quarter (three months).
    pub const fn quarter() -> Period {
        Period::Months(3)
    }
    /// Half a year (six months).
    pub const fn half_year() -> Period {
        Period::Months(6)
    }
    /// One year.
    pub const fn year() -> Period {
        Period::Years(1)
    }

    /// The date `n` periods after `start`, anchored on `start` (day clamped to the end of
    /// shorter months).
    pub fn boundary(self, start: Date, n: i64) -> Result<Date, PeriodError> {
        let out_of_range = || PeriodError::OutOfRange { start, n };
        let span = match self {
            Period::Days(k) => Span::new().try_days(n * i64::from(k)),
            Period::Weeks(k) => Span::new().try_days(n * 7 * i64::from(k)),
            Period::Months(k) => Span::new().try_months(n * i64::from(k)),
            Period::Years(k) => Span::new().try_months(n * 12 * i64::from(k)),
        }
        .map_err(|_| out_of_range())?;
        start.checked_add(span).map_err(|_| out_of_range())
    }

    /// The period that contains `date`, counting from `start`; `None` before `start`.
    pub fn span_containing(
        self,
        start: Date,
        date: Date,
    ) -> Result<Option<PeriodSpan>, PeriodError> {
        if date < start {
            return Ok(None);
        }
        let mut n = self.estimate_index(start, date);
        // The estimate is at most one or two off because of month lengths; settle it.
        while n > 0 && self.boundary(start, n)? > date {
            n -= 1;
        }
        while self.boundary(start, n + 1)? <= date {
            n += 1;
        }
        Ok(Some(PeriodSpan {
            index: n,
            start: self.boundary(start, n)?,
            end: self.boundary(start, n + 1)?,
        }))
    }

    /// The first boundary strictly after `date` (at least the first renewal).
    pub fn next_boundary_after(self, start: Date, date: Date) -> Result<Date, PeriodError> {
        match self.span_containing(start, date)? {
            Some(span) => Ok(span.end),
            None => self.boundary(start, 1),
        }
    }

    fn estimate_index(self, start: Date, date: Date) -> i64 {
        let days = i64::from((date - start).get_days());
        let months = (i64::from(date.year()) - i64::from(start.year())) * 12
            + i64::from(date.month())
            - i64::from(start.month());
        let estimate = match self {
            Period::Days(k) => days / i64::from(k),
            Period::Weeks(k) => days / (7 * i64::from(k)),
            Period::Months(k) => months / i64::from(k),
            Period::Years(k) => months / (12 * i64::from(k)),
        };
        estimate.max(0)
    }

    /// How many periods fall in a year, as a fraction `(numerator, denominator)`: used to
    /// turn a price into yearly and monthly equivalents. A week counts 52 to the year
    /// (as trackers and bills do), N days count 365/N.
    ///
    /// ```
    /// use tuiding_core::Period;
    /// assert_eq!(Period::month().per_year(), (12, 1));
    /// assert_eq!(Period::quarter().per_year(), (12, 3));
    /// assert_eq!(Period::Days(30).per_year(), (365, 30));
    /// ```
    pub fn per_year(self) -> (i64, i64) {
        match self {
            Period::Days(k) => (365, i64::from(k)),
            Period::Weeks(k) => (52, i64::from(k)),
            Period::Months(k) => (12, i64::from(k)),
            Period::Years(k) => (1, i64::from(k)),
        }
    }

    /// A label for people: "月", "季", "30天" in Chinese; "month", "quarter", "30 days".
    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Period::Weeks(1), _) => lang.pick("周", "week").into(),
            (Period::Months(1), _) => lang.pick("月", "month").into(),
            (Period::Months(3), _) => lang.pick("季", "quarter").into(),
            (Period::Months(6), _) => lang.pick("半年", "half-year").into(),
            (Period::Years(1), _) => lang.pick("年", "year").into(),
            (Period::Days(k), Lang::Zh) => format!("{k}天"),
            (Period::Weeks(k), Lang::Zh) => format!("{k}周"),
            (Period::Months(k), Lang::Zh) => format!("{k}个月"),
            (Period::Years(k), Lang::Zh) => format!("{k}年"),
            (Period::Days(k), Lang::En) => format!("{k} days"),
            (Period::Weeks(k), Lang::En) => format!("{k} weeks"),
            (Period::Months(k), Lang::En) => format!("{k} months"),
            (Period::Years(k), Lang::En) => format!("{k} years"),
        }
    }
}

/// The canonical, machine-readable form that [`FromStr`] reads back: `week`, `month`,
/// `quarter`, `half-year`, `year`, or `30d`, `2w`, `2m`, `2y`.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Weeks(1) => f.write_str("week"),
            Period::Months(1) => f.write_str("month"),
            Period::Months(3) => f.write_str("quarter"),
            Period::Months(6) => f.write_str("half-year"),
            Period::Years(1) => f.write_str("year"),
            Period::Days(k) => write!(f, "{k}d"),
            Period::Weeks(k) => write!(f, "{k}w"),
            Period::Months(k) => write!(f, "{k}m"),
            Period::Years(k) => write!(f, "{k}y"),
        }
    }
}

/// Reads `week`/`weekly`/`周`, `month`/`monthly`/`月`/`包月`, `quarter`/`季`/`季度`,
/// `half-year`/`semiannual`/`半年`, `year`/`yearly`/`annual`/`年`/`包年`, and counts such as
/// `30d`, `30天`, `2w`, `2m`, `18个月`, `2y`.
impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim().to_lowercase();
        let named = match text.as_str() {
            "week" | "weekly" | "w" | "周" | "每周" | "包周" | "周卡" => {
                Some(Period::week())
            }
            "biweekly" | "fortnight" | "双周" => Some(Period::Weeks(2)),
            "month" | "monthly" | "m" | "月" | "每月" | "包月" | "连续包月" | "月卡" => {
                Some(Period::month())
            }
            "quarter" | "quarterly" | "q" | "季" | "季度" | "包季" | "连续包季" | "季卡" => {
                Some(Period::quarter())
            }
            "half-year" | "half_year" | "halfyear" | "semiannual" | "semi-annual" | "半年"
            | "半年卡" => Some(Period::half_year()),
            "year" | "yearly" | "annual" | "annually" | "y" | "年" | "每年" | "包年"
            | "连续包年" | "年卡" => Some(Period::year()),
            _ => None,
        };
        if let Some(period) = named {
            return Ok(period);
        }
        let invalid = || PeriodError::Invalid {
            input: s.trim().to_string(),
        };
        let digits_end = text
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(invalid)?;
        let (count, unit) = text.split_at(digits_end);
        let count: u16 = count.parse().map_err(|_| invalid())?;
        if count == 0 {
            return Err(invalid());
        }
        match unit.trim() {
            "d" | "day" | "days" | "天" | "日" => Ok(Period::Days(count)),
            "w" | "week" | "weeks" | "周" | "星期" => Ok(Period::Weeks(count)),
            "m" | "month" | "months" | "个月" | "月" => Ok(Period::Months(count)),
            "y" | "year" | "years" | "年" => Ok(Period::Years(count)),
            _ => Err(invalid()),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a period was refused or could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PeriodError {
    /// The text is not a period.
    #[error(
        "{input:?} is not a billing period; use week, month, quarter, half-year, year, or a count such as 30d, 2w, 2m, 2y"
    )]
    Invalid {
        /// What was typed.
        input: String,
    },
    /// The date arithmetic left jiff's supported range (years -9999 to 9999).
    #[error("{n} periods after {start} is out of the supported date range")]
    OutOfRange {
        /// The anchor date.
        start: Date,
        /// How many periods.
        n: i64,
    },
}

impl Localized for PeriodError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (PeriodError::Invalid { input }, Lang::Zh) => format!(
                "{input:?} 不是计费周期；可用 week、month、quarter、half-year、year（周/月/季/半年/年），或 30d、2w、2m、2y 这样的数量"
            ),
            (PeriodError::OutOfRange { start, n }, Lang::Zh) => {
                format!("从 {start} 起第 {n} 个周期超出支持的日期范围")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn monthly_from_jan_31_never_drifts() {
        let p = Period::month();
        let start = date(2026, 1, 31);
        let got: Vec<Date> = (1..=12).map(|n| p.boundary(start, n).unwrap()).collect();
        let want = [
            date(2026, 2, 28),
            date(2026, 3, 31),
            date(2026, 4, 30),
            date(2026, 5, 31),
            date(2026, 6, 30),
            date(2026, 7, 31),
            date(2026, 8, 31),
            date(2026, 9, 30),
            date(2026, 10, 31),
            date(2026, 11, 30),
            date(2026, 12, 31),
            date(2027, 1, 31),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn every_kind_of_period() {
        let start = date(2024, 2, 29);
        assert_eq!(Period::week().boundary(start, 1).unwrap(), date(2024, 3, 7));
        assert_eq!(
            Period::Weeks(2).boundary(start, 2).unwrap(),
            date(2024, 3, 28)
        );
        assert_eq!(
            Period::quarter().boundary(start, 1).unwrap(),
            date(2024, 5, 29)
        );
        assert_eq!(
            Period::half_year().boundary(start, 1).unwrap(),
            date(2024, 8, 29)
        );
        assert_eq!(
            Period::year().boundary(start, 1).unwrap(),
            date(2025, 2, 28)
        );
        assert_eq!(
            Period::year().boundary(start, 2).unwrap(),
            date(2026, 2, 28)
        );
        assert_eq!(
            Period::year().boundary(start, 4).unwrap(),
            date(2028, 2, 29)
        );
        assert_eq!(
            Period::Days(30).boundary(start, 1).unwrap(),
            date(2024, 3, 30)
        );
        assert_eq!(
            Period::quarter().boundary(date(2025, 11, 30), 1).unwrap(),
            date(2026, 2, 28)
        );
        assert_eq!(
            Period::quarter().boundary(date(2025, 11, 30), 2).unwrap(),
            date(2026, 5, 30)
        );
    }

    #[test]
    fn span_containing_finds_the_current_period() {
        let p = Period::month();
        let start = date(2026, 1, 31);
        let span = p
            .span_containing(start, date(2026, 11, 23))
            .unwrap()
            .unwrap();
        assert_eq!(
            (span.index, span.start, span.end),
            (9, date(2026, 10, 31), date(2026, 11, 30))
        );
        assert_eq!(span.days(), 30);
        // On a renewal day the new period has begun.
        let span = p
            .span_containing(start, date(2026, 11, 30))
            .unwrap()
            .unwrap();
        assert_eq!(
            (span.start, span.end),
            (date(2026, 11, 30), date(2026, 12, 31))
        );
        assert_eq!(p.span_containing(start, date(2026, 1, 30)).unwrap(), None);
        assert_eq!(
            p.next_boundary_after(start, date(2026, 1, 1)).unwrap(),
            date(2026, 2, 28)
        );
    }

    #[test]
    fn parses_and_prints() {
        for (text, period) in [
            ("month", Period::month()),
            ("Monthly", Period::month()),
            ("包月", Period::month()),
            ("季度", Period::quarter()),
            ("half-year", Period::half_year()),
            ("半年", Period::half_year()),
            ("year", Period::year()),
            ("年", Period::year()),
            ("week", Period::week()),
            ("biweekly", Period::Weeks(2)),
            ("30d", Period::Days(30)),
            ("30天", Period::Days(30)),
            ("18个月", Period::Months(18)),
            ("2y", Period::Years(2)),
        ] {
            assert_eq!(text.parse::<Period>().unwrap(), period, "{text}");
            assert_eq!(period.to_string().parse::<Period>().unwrap(), period);
        }
        for bad in ["", "0d", "fortnightly", "d", "-1m", "99999d", "3x"] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
        assert_eq!(Period::quarter().label(Lang::Zh), "季");
        assert_eq!(Period::Days(30).label(Lang::En), "30 days");
    }

    fn any_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            (1_u16..=90).prop_map(Period::Days),
            (1_u16..=4).prop_map(Period::Weeks),
            (1_u16..=12).prop_map(Period::Months),
            (1_u16..=3).prop_map(Period::Years),
        ]
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0_i32..(365 * 30)).prop_map(|offset| date(2000, 1, 1).checked_add(offset.days()).unwrap())
    }

    proptest! {
        #[test]
        fn anchored_boundaries_never_drift(start in any_date(), period in any_period(), n in 0_i64..400) {
            let b = period.boundary(start, n).unwrap();
            match period {
                Period::Months(_) | Period::Years(_) => {
                    // Same day of month as the anchor, or the month's last day when shorter.
                    let last_day = b.last_of_month().day();
                    prop_assert_eq!(b.day(), start.day().min(last_day));
                    // And exactly n × k months later.
                    let months = (i64::from(b.year()) - i64::from(start.year())) * 12
                        + i64::from(b.month()) - i64::from(start.month());
                    let k = match period { Period::Months(k) => i64::from(k), Period::Years(k) => 12 * i64::from(k), _ => unreachable!() };
                    prop_assert_eq!(months, n * k);
                }
                Period::Days(k) => prop_assert_eq!(i64::from((b - start).get_days()), n * i64::from(k)),
                Period::Weeks(k) => prop_assert_eq!(i64::from((b - start).get_days()), n * 7 * i64::from(k)),
            }
        }

        #[test]
        fn span_containing_contains(start in any_date(), period in any_period(), offset in 0_i32..4000) {
            let day = start.checked_add(offset.days()).unwrap();
            let span = period.span_containing(start, day).unwrap().unwrap();
            prop_assert!(span.start <= day && day < span.end);
            prop_assert_eq!(span.start, period.boundary(start, span.index).unwrap());
            prop_assert_eq!(span.end, period.boundary(start, span.index + 1).unwrap());
        }
    }
}
