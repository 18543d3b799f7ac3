//! The ranges every value in the ledger stays within, whatever path it came in by (CLI
//! flags, forms, the JSON API, TOML policies, Wallos exports, bill files).
//!
//! Why bounds at all: a membership priced at `i64::MAX` fen fits the column but not the
//! sum of a year of it, and a next renewal in 9999 cannot be advanced by a period. One
//! such row used to make every listing fail. With these bounds, anything the ledger holds
//! can be summed (a million memberships at the largest daily price, for a year, stays
//! below `i64::MAX`) and moved by any period without leaving `jiff`'s range.

use jiff::civil::{Date, date};

use crate::money::Money;

/// The largest amount in minor units: 10,000,000,000 fen is ¥100,000,000.00.
pub const MAX_AMOUNT_MINOR: i64 = 10_000_000_000;

/// The earliest date the ledger holds.
pub const EARLIEST_DATE: Date = date(1970, 1, 1);

/// The latest date the ledger holds.
pub const LATEST_DATE: Date = date(2200, 12, 31);

/// The most days a count or a window may span (about 100 years).
pub const MAX_DAYS: u32 = 36_600;

/// The most units of a benefit.
pub const MAX_QUANTITY: u32 = 1_000_000;

/// Whether an amount's size is within [`MAX_AMOUNT_MINOR`] (either sign).
pub fn amount_in_range(amount: Money) -> bool {
    amount.minor_units().unsigned_abs() <= MAX_AMOUNT_MINOR.unsigned_abs()
}

/// Whether a date is within [`EARLIEST_DATE`]..=[`LATEST_DATE`].
pub fn date_in_range(day: Date) -> bool {
    (EARLIEST_DATE..=LATEST_DATE).contains(&day)
}

/// A bad value for an error message: at most 80 characters, cut on a character
/// boundary and marked with `…`, so a 10 MB value is never repeated whole.
pub fn quote(value: &str) -> String {
    const LIMIT: usize = 80;
    match value.char_indices().nth(LIMIT) {
        None => value.to_string(),
        Some((cut, _)) => format!("{}…", &value[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn amounts_and_dates_at_the_edges() {
        let cny = |minor| Money::from_minor(minor, Currency::CNY);
        assert!(amount_in_range(cny(MAX_AMOUNT_MINOR)));
        assert!(amount_in_range(cny(-MAX_AMOUNT_MINOR)));
        assert!(!amount_in_range(cny(MAX_AMOUNT_MINOR + 1)));
        assert!(!amount_in_range(cny(i64::MIN)));
        assert!(date_in_range(EARLIEST_DATE) && date_in_range(LATEST_DATE));
        assert!(!date_in_range(date(1969, 12, 31)));
        assert!(!date_in_range(date(9999, 12, 31)));
    }

    #[test]
    fn a_year_of_the_largest_daily_price_for_a_million_memberships_sums() {
        let year = i64::from(366_u16) * MAX_AMOUNT_MINOR;
        assert!(year.checked_mul(1_000_000).is_some());
    }

    #[test]
    fn quotes_are_cut_on_characters() {
        assert_eq!(quote("短"), "短");
        let long = "退".repeat(10_000);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), 81);
        assert!(quoted.ends_with('…'));
    }
}
