//! Price history: every change of a membership's price with its day and where it was seen
//! (an edit, a charge in the bills, a renewal notice), and the rises that matter — the
//! "cheap first month, full price later" pattern.

use jiff::civil::Date;

use crate::membership::{Billing, Membership};
use crate::money::{Money, MoneyError, Rounding};

/// Where a price change was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceSource {
    /// The user changed the price.
    Edit,
    /// A charge in imported bills.
    Charge,
    /// A renewal or price-change notice from the platform.
    Notice,
}

impl PriceSource {
    /// `edit`, `charge` or `notice`.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceSource::Edit => "edit",
            PriceSource::Charge => "charge",
            PriceSource::Notice => "notice",
        }
    }

    /// Parses [`PriceSource::as_str`].
    pub fn parse(text: &str) -> Option<PriceSource> {
        [PriceSource::Edit, PriceSource::Charge, PriceSource::Notice]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// One change of price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceChange {
    /// The day it took effect (or was seen).
    pub on: Date,
    /// The price before.
    pub old: Money,
    /// The price after.
    pub new: Money,
    /// Where it was seen.
    pub source: PriceSource,
}

/// The changes in a series of charges (oldest first): one wherever the amount differs from
/// the charge before.
pub fn changes_in_charges(charges: &[(Date, Money)]) -> Vec<PriceChange> {
    charges
        .windows(2)
        .filter(|w| w[0].1 != w[1].1 && w[0].1.currency() == w[1].1.currency())
        .map(|w| PriceChange {
            on: w[1].0,
            old: w[0].1,
            new: w[1].1,
            source: PriceSource::Charge,
        })
        .collect()
}

/// One membership's changes out of the whole ledger's, which the store returns sorted by
/// membership id: found by binary search, so a listing of n memberships with m changes
/// costs n·log m, not n·m (100,000 memberships used to take minutes).
pub fn changes_of(all: &[(i64, PriceChange)], membership_id: i64) -> &[(i64, PriceChange)] {
    debug_assert!(
        all.windows(2).all(|w| w[0].0 <= w[1].0),
        "sorted by membership id"
    );
    let start = all.partition_point(|(id, _)| *id < membership_id);
    let end = start + all[start..].partition_point(|(id, _)| *id == membership_id);
    &all[start..end]
}

/// The price in effect on `day`, given the membership's current price and its recorded
/// changes. A change seen in a notice or in the charges takes effect on its day: before it
/// the old price applies (what was paid for a period already under way never changes). A
/// change made by hand (`edit --price`) is a correction and applies throughout.
pub fn price_on(current: Money, changes: &[PriceChange], day: Date) -> Money {
    let mut dated: Vec<&PriceChange> = changes
        .iter()
        .filter(|c| c.source != PriceSource::Edit && c.new.currency() == current.currency())
        .collect();
    dated.sort_by_key(|c| c.on);
    // A correction made by hand after a dated change overrides it from that change on.
    let corrected_after = changes
        .iter()
        .filter(|c| c.source == PriceSource::Edit)
        .map(|c| c.on)
        .max();
    match dated.iter().rev().find(|c| c.on <= day) {
        Some(c) if corrected_after.is_some_and(|e| e >= c.on) => current,
        Some(c) => c.new,
        None => dated.first().map_or(current, |c| c.old),
    }
}

/// How much more a year the membership costs now than at `first` (the first price paid),
/// when it costs more; `None` for non-periodic billing or no rise.
pub fn yearly_rise(m: &Membership, first: Money) -> Result<Option<Money>, MoneyError> {
    let Billing::Periodic(period) = m.billing else {
        return Ok(None);
    };
    if first.currency() != m.price.currency() || m.price.minor_units() <= first.minor_units() {
        return Ok(None);
    }
    let (num, den) = period.per_year();
    Ok(Some(m.price.checked_sub(first)?.mul_ratio(
        num,
        den,
        Rounding::HalfUp,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::period::Period;
    use jiff::civil::date;

    fn cny(minor: i64) -> Money {
        Money::from_minor(minor, Currency::CNY)
    }

    #[test]
    fn a_notice_changes_the_price_from_its_day_only() {
        let notice = PriceChange {
            on: date(2026, 12, 15),
            old: cny(2500),
            new: cny(3000),
            source: PriceSource::Notice,
        };
        assert_eq!(
            price_on(cny(3000), &[notice], date(2026, 11, 20)),
            cny(2500)
        );
        assert_eq!(
            price_on(cny(3000), &[notice], date(2026, 12, 15)),
            cny(3000)
        );
        let edit = PriceChange {
            source: PriceSource::Edit,
            ..notice
        };
        assert_eq!(price_on(cny(3000), &[edit], date(2026, 11, 20)), cny(3000));
        assert_eq!(price_on(cny(3000), &[], date(2026, 11, 20)), cny(3000));
        // The notice said 30 from 12-15; a later edit corrected it to 28.
        let fix = PriceChange {
            on: date(2026, 12, 20),
            old: cny(3000),
            new: cny(2800),
            source: PriceSource::Edit,
        };
        assert_eq!(
            price_on(cny(2800), &[notice, fix], date(2027, 1, 5)),
            cny(2800)
        );
        assert_eq!(
            price_on(cny(2800), &[notice, fix], date(2026, 11, 20)),
            cny(2500)
        );
    }

    #[test]
    fn a_rise_in_charges_is_found_and_costed_per_year() {
        let charges = [
            (date(2026, 1, 15), cny(600)),
            (date(2026, 2, 15), cny(2500)),
            (date(2026, 3, 15), cny(2500)),
            (date(2026, 9, 15), cny(3000)),
        ];
        let changes = changes_in_charges(&charges);
        assert_eq!(changes.len(), 2);
        assert_eq!(
            (changes[0].on, changes[0].old, changes[0].new),
            (date(2026, 2, 15), cny(600), cny(2500))
        );
        let m = Membership {
            platform: "爱奇艺".into(),
            plan: "连续包月".into(),
            billing: Billing::Periodic(Period::month()),
            price: cny(3000),
            start: date(2026, 1, 15),
            paid_through: None,
            trial_until: None,
            auto_renew: vec![],
            benefits: vec![],
            category: None,
            notes: None,
        };
        assert_eq!(yearly_rise(&m, cny(600)).unwrap(), Some(cny(28800)));
        assert_eq!(yearly_rise(&m, cny(3000)).unwrap(), None);
    }
}
