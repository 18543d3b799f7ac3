//! Working days in mainland China.
//!
//! A day is a working day when it is Monday to Friday and not a public holiday, or when
//! it is an adjusted workday (调休上班日, usually a Saturday or Sunday). The data comes
//! from the State Council's annual notices, shipped in `data/cn-holidays.json` and
//! embedded at build time; the user may add newer years (the notice for next year is
//! usually published in November) with a file in the same format.
//!
//! A year the data does not cover is an error, never a guess: a refund promised "within
//! 7 working days" across an unknown Spring Festival cannot be dated honestly.

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Deserialize;

use crate::i18n::{Lang, Localized};

/// The calendar shipped with tuiding (2015–2026).
pub const EMBEDDED_HOLIDAYS_JSON: &str = include_str!("../../../data/cn-holidays.json");

/// What kind of day the official notices make of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// A public holiday (法定节假日 or its bridging days).
    Holiday {
        /// English name, e.g. "Spring Festival".
        name: String,
        /// Chinese name, e.g. "春节".
        name_zh: String,
    },
    /// A weekend day on which people work to make up for a holiday (调休上班).
    AdjustedWorkday {
        /// English name of the holiday it makes up for.
        name: String,
        /// Chinese name of the holiday it makes up for.
        name_zh: String,
    },
}

/// Mainland China's working-day calendar.
///
/// ```
/// use jiff::civil::date;
/// use tuiding_core::WorkCalendar;
/// let cal = WorkCalendar::embedded();
/// // National Day 2026: three working days after Monday 28 September land on 8 October.
/// assert_eq!(cal.add_working_days(date(2026, 9, 28), 3).unwrap(), date(2026, 10, 8));
/// // Saturday 28 February 2026 is an adjusted workday.
/// assert!(cal.is_working_day(date(2026, 2, 28)).unwrap());
/// // 2030 is not covered: an error, not a guess.
/// assert!(cal.is_working_day(date(2030, 1, 2)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    days: BTreeMap<Date, DayKind>,
    years: BTreeSet<i16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    /// Years the file covers completely; derived from the holidays when absent.
    #[serde(default)]
    years: Vec<i16>,
    holidays: Vec<HolidayEntry>,
    #[serde(default)]
    adjusted_workdays: Vec<WorkdayEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    date: Date,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_zh: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkdayEntry {
    date: Date,
    #[serde(default, rename = "for")]
    name: String,
    #[serde(default, rename = "for_zh")]
    name_zh: String,
}

impl WorkCalendar {
    /// The calendar embedded in the binary.
    pub fn embedded() -> WorkCalendar {
        WorkCalendar::from_json(EMBEDDED_HOLIDAYS_JSON)
            .expect("the embedded holiday data is valid (checked by a unit test)")
    }

    /// Reads a calendar in the format of `data/cn-holidays.json`:
    /// `{"holidays": [{"date", "name", "name_zh"}], "adjusted_workdays": [{"date", "for",
    /// "for_zh"}], "years": [optional list of covered years]}`.
    pub fn from_json(text: &str) -> Result<WorkCalendar, CalendarError> {
        let file: CalendarFile = serde_json::from_str(text).map_err(|e| CalendarError::Parse {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let mut calendar = WorkCalendar {
            days: BTreeMap::new(),
            years: BTreeSet::new(),
        };
        calendar.years.extend(file.years.iter().copied());
        for h in file.holidays {
            calendar.years.insert(h.date.year());
            calendar.days.insert(
                h.date,
                DayKind::Holiday {
                    name: h.name,
                    name_zh: h.name_zh,
                },
            );
        }
        for w in file.adjusted_workdays {
            calendar.years.insert(w.date.year());
            if let Some(DayKind::Holiday { .. }) = calendar.days.get(&w.date) {
                return Err(CalendarError::Contradiction { date: w.date });
            }
            calendar.days.insert(
                w.date,
                DayKind::AdjustedWorkday {
                    name: w.name,
                    name_zh: w.name_zh,
                },
            );
        }
        Ok(calendar)
    }

    /// Adds another calendar's years to this one. For every year `newer` covers, its
    /// days replace this calendar's (so a corrected notice wins).
    pub fn merge(&mut self, newer: WorkCalendar) {
        for year in &newer.years {
            self.days.retain(|d, _| d.year() != *year);
        }
        self.years.extend(newer.years.iter().copied());
        self.days.extend(newer.days);
    }

    /// The years this calendar covers, in order.
    pub fn years(&self) -> impl Iterator<Item = i16> + '_ {
        self.years.iter().copied()
    }

    /// What the notices say about a date, if anything (`None` for ordinary days).
    pub fn day_kind(&self, date: Date) -> Option<&DayKind> {
        self.days.get(&date)
    }

    /// Whether people work on `date`.
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        self.check_covered(date)?;
        Ok(match self.days.get(&date) {
            Some(DayKind::AdjustedWorkday { .. }) => true,
            Some(DayKind::Holiday { .. }) => false,
            None => !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday),
        })
    }

    /// The date `n` working days after `date`; `date` itself is not counted, so a refund
    /// "within 3 working days" of a request on a Friday is due on the following
    /// Wednesday. `n = 0` gives `date` back.
    pub fn add_working_days(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day
                .checked_add(1.day())
                .map_err(|_| CalendarError::OutOfRange { date })?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// How many working days lie after `from` up to and including `to` (0 when `to` is
    /// not after `from`). The inverse of [`WorkCalendar::add_working_days`].
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<u32, CalendarError> {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day
                .checked_add(1.day())
                .map_err(|_| CalendarError::OutOfRange { date: from })?;
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(count)
    }

    fn check_covered(&self, date: Date) -> Result<(), CalendarError> {
        if self.years.contains(&date.year()) {
            Ok(())
        } else {
            Err(CalendarError::YearNotCovered {
                year: date.year(),
                first: self.years.first().copied(),
                last: self.years.last().copied(),
            })
        }
    }
}

/// Why the calendar cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The holiday data does not cover the year.
    #[error(
        "the holiday calendar has no data for {year} (it covers {}); put the State Council's notice for {year} in holidays.json in the data directory",
        covered(*first, *last)
    )]
    YearNotCovered {
        /// The year asked about.
        year: i16,
        /// The first covered year.
        first: Option<i16>,
        /// The last covered year.
        last: Option<i16>,
    },
    /// The calendar file is not valid.
    #[error("holiday calendar line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON reader expected.
        message: String,
    },
    /// A date listed both as a holiday and as an adjusted workday.
    #[error("{date} is listed both as a holiday and as an adjusted workday")]
    Contradiction {
        /// The date.
        date: Date,
    },
    /// Date arithmetic left the supported range.
    #[error("date arithmetic from {date} is out of range")]
    OutOfRange {
        /// Where it started.
        date: Date,
    },
}

fn covered(first: Option<i16>, last: Option<i16>) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("{f}–{l}"),
        _ => "no years".to_string(),
    }
}

impl Localized for CalendarError {
    fn localized(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            CalendarError::YearNotCovered { year, first, last } => format!(
                "节假日日历没有 {year} 年的数据（现有 {}）；请把国务院 {year} 年节假日安排按同样格式写入数据目录下的 holidays.json",
                covered(*first, *last)
            ),
            CalendarError::Parse {
                line,
                column,
                message,
            } => {
                format!("节假日文件第 {line} 行第 {column} 列有误：{message}")
            }
            CalendarError::Contradiction { date } => {
                format!("{date} 同时被列为节假日和调休上班日")
            }
            CalendarError::OutOfRange { date } => format!("从 {date} 起的日期计算超出范围"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn embedded_data_is_valid_and_covers_2015_to_2026() {
        let cal = WorkCalendar::embedded();
        assert_eq!(
            cal.years().collect::<Vec<_>>(),
            (2015..=2026).collect::<Vec<_>>()
        );
    }

    #[test]
    fn national_day_2026() {
        let cal = WorkCalendar::embedded();
        assert_eq!(
            cal.add_working_days(date(2026, 9, 28), 3).unwrap(),
            date(2026, 10, 8)
        );
        assert_eq!(
            cal.add_working_days(date(2026, 9, 28), 7).unwrap(),
            date(2026, 10, 13)
        );
    }

    #[test]
    fn spring_festival_2026_with_adjusted_saturdays() {
        let cal = WorkCalendar::embedded();
        assert_eq!(
            cal.add_working_days(date(2026, 2, 12), 3).unwrap(),
            date(2026, 2, 24)
        );
        // Saturday 28 February is an adjusted workday.
        assert_eq!(
            cal.add_working_days(date(2026, 2, 12), 7).unwrap(),
            date(2026, 2, 28)
        );
        assert!(matches!(
            cal.day_kind(date(2026, 2, 28)),
            Some(DayKind::AdjustedWorkday { name_zh, .. }) if name_zh == "春节"
        ));
    }

    #[test]
    fn the_start_day_is_not_counted_and_zero_is_identity() {
        let cal = WorkCalendar::embedded();
        // Friday → next Monday.
        assert_eq!(
            cal.add_working_days(date(2026, 11, 20), 1).unwrap(),
            date(2026, 11, 23)
        );
        assert_eq!(
            cal.add_working_days(date(2026, 11, 21), 0).unwrap(),
            date(2026, 11, 21)
        );
    }

    #[test]
    fn uncovered_years_are_errors_that_say_what_to_do() {
        let cal = WorkCalendar::embedded();
        let err = cal.add_working_days(date(2026, 12, 28), 7).unwrap_err();
        assert!(matches!(
            err,
            CalendarError::YearNotCovered { year: 2027, .. }
        ));
        assert!(err.localized(Lang::Zh).contains("holidays.json"));
        assert!(err.to_string().contains("2015–2026"));
    }

    #[test]
    fn newer_data_extends_and_replaces() {
        let mut cal = WorkCalendar::embedded();
        let newer = WorkCalendar::from_json(
            r#"{"holidays": [{"date": "2027-01-01", "name": "New Year's Day", "name_zh": "元旦"}],
                "adjusted_workdays": []}"#,
        )
        .unwrap();
        cal.merge(newer);
        assert!(!cal.is_working_day(date(2027, 1, 1)).unwrap());
        assert_eq!(
            cal.add_working_days(date(2026, 12, 31), 1).unwrap(),
            date(2027, 1, 4)
        );
    }

    #[test]
    fn bad_files_say_where() {
        let err = WorkCalendar::from_json("{\n  \"holidays\": [{\"date\": \"2027-02-30\"}]\n}")
            .unwrap_err();
        assert!(matches!(err, CalendarError::Parse { line: 2, .. }), "{err}");
        let err = WorkCalendar::from_json(
            r#"{"holidays": [{"date": "2027-01-01"}], "adjusted_workdays": [{"date": "2027-01-01"}]}"#,
        )
        .unwrap_err();
        assert!(matches!(err, CalendarError::Contradiction { .. }));
    }

    fn covered_date() -> impl Strategy<Value = Date> {
        (0_i32..(365 * 12 - 40))
            .prop_map(|offset| date(2015, 1, 1).checked_add(offset.days()).unwrap())
    }

    proptest! {
        #[test]
        fn add_working_days_lands_on_a_working_day(start in covered_date(), n in 1_u32..25) {
            let cal = WorkCalendar::embedded();
            let due = cal.add_working_days(start, n).unwrap();
            prop_assert!(cal.is_working_day(due).unwrap());
            prop_assert!(due > start);
            prop_assert_eq!(cal.working_days_between(start, due).unwrap(), n);
            // One working day fewer lands strictly earlier.
            prop_assert!(cal.add_working_days(start, n - 1).unwrap() < due);
        }
    }
}
