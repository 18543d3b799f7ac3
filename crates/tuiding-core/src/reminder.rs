//! Reminder lead times: how many days before a key date (the last safe cancel day before a
//! renewal or a trial's conversion) the user wants to hear about it. Several per
//! membership; a default for all of them.

use jiff::civil::Date;

/// Used when neither the membership nor the config says otherwise.
pub const DEFAULT_LEAD_DAYS: [u32; 2] = [7, 1];

/// The longest lead time accepted.
pub const MAX_LEAD_DAYS: u32 = 366;

/// Lead days as stored: unique, longest first, each at most [`MAX_LEAD_DAYS`].
pub fn normalize(days: &[u32]) -> Result<Vec<u32>, String> {
    if days.is_empty() {
        return Err("give at least one lead time in days".into());
    }
    if let Some(d) = days.iter().find(|d| **d > MAX_LEAD_DAYS) {
        return Err(format!("{d} days is more than {MAX_LEAD_DAYS}"));
    }
    let mut out = days.to_vec();
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    Ok(out)
}

/// The day of each reminder for `key`: `key` minus each lead (0 is the day itself).
pub fn reminder_dates(key: Date, lead_days: &[u32]) -> Vec<(u32, Date)> {
    lead_days
        .iter()
        .filter_map(|d| {
            key.checked_sub(jiff::Span::new().days(i64::from(*d)))
                .ok()
                .map(|date| (*d, date))
        })
        .collect()
}

/// The reminder due on `today` for a key day: the shortest lead whose day has come, as
/// long as the key day itself has not passed. A reminder run that was missed for days
/// still sends one reminder (the latest due), never a burst of stale ones.
pub fn due_lead(key: Date, lead_days: &[u32], today: Date) -> Option<u32> {
    if today > key {
        return None;
    }
    reminder_dates(key, lead_days)
        .into_iter()
        .filter(|(_, day)| *day <= today)
        .map(|(lead, _)| lead)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_latest_due_reminder_is_the_one_sent() {
        let key = date(2026, 12, 10);
        assert_eq!(due_lead(key, &[7, 1], date(2026, 12, 2)), None);
        assert_eq!(due_lead(key, &[7, 1], date(2026, 12, 3)), Some(7));
        assert_eq!(due_lead(key, &[7, 1], date(2026, 12, 8)), Some(7));
        assert_eq!(due_lead(key, &[7, 1], date(2026, 12, 9)), Some(1));
        assert_eq!(due_lead(key, &[7, 1], date(2026, 12, 10)), Some(1));
        assert_eq!(due_lead(key, &[7, 1, 0], date(2026, 12, 10)), Some(0));
        assert_eq!(due_lead(key, &[7, 1], date(2026, 12, 11)), None);
    }

    #[test]
    fn lead_days_are_sorted_unique_and_bounded() {
        assert_eq!(normalize(&[1, 7, 7, 3]).unwrap(), [7, 3, 1]);
        assert!(normalize(&[]).is_err());
        assert!(normalize(&[400]).is_err());
        assert_eq!(normalize(&[0]).unwrap(), [0]);
    }

    #[test]
    fn reminders_fall_before_the_key_date_across_months() {
        assert_eq!(
            reminder_dates(date(2026, 3, 2), &[7, 1, 0]),
            [
                (7, date(2026, 2, 23)),
                (1, date(2026, 3, 1)),
                (0, date(2026, 3, 2))
            ]
        );
    }
}
