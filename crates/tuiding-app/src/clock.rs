//! The one place the binary reads the clock, and the one zone times are shown in.
//! Everything else receives the date; instants are stored in UTC and shown to people in
//! China Standard Time.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

/// China Standard Time (UTC+8, no daylight saving since 1991: the default zone of
/// DESIGN.md, without depending on the system's time zone database).
pub fn zone() -> TimeZone {
    TimeZone::fixed(Offset::constant(8))
}

/// Today in China Standard Time.
#[allow(clippy::disallowed_methods)]
pub fn today_in_china() -> Date {
    zone().to_datetime(jiff::Timestamp::now()).date()
}

/// The current instant, for timestamping case transitions and evidence, to the
/// microsecond: PostgreSQL keeps no finer, and a ledger reads the same on either backend
/// (and after `migrate`).
#[allow(clippy::disallowed_methods)]
pub fn now() -> jiff::Timestamp {
    to_micros(jiff::Timestamp::now())
}

/// An instant cut to whole microseconds.
pub fn to_micros(at: jiff::Timestamp) -> jiff::Timestamp {
    let micros = at.as_microsecond();
    jiff::Timestamp::from_microsecond(micros).unwrap_or(at)
}

/// An instant as people read it, in China Standard Time: `2026-11-30 06:24`.
pub fn for_people(at: jiff::Timestamp) -> String {
    zone()
        .to_datetime(at)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A stored instant (RFC 3339 text, as in the vault's journal) as people read it; text
/// that is no instant is shown as it is.
pub fn text_for_people(at: &str) -> String {
    at.parse::<jiff::Timestamp>()
        .map_or_else(|_| at.to_string(), for_people)
}

/// The instant a civil day begins in China Standard Time, to order dated facts among
/// timed ones.
pub fn start_of(day: Date) -> jiff::Timestamp {
    zone()
        .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_shown_in_china_time() {
        let at: jiff::Timestamp = "2026-11-29T22:24:44.981204124Z".parse().unwrap();
        assert_eq!(for_people(at), "2026-11-30 06:24");
        assert_eq!(text_for_people("2026-11-29T22:24:44Z"), "2026-11-30 06:24");
        assert_eq!(text_for_people("yesterday"), "yesterday");
        assert_eq!(
            start_of(jiff::civil::date(2026, 11, 30)).to_string(),
            "2026-11-29T16:00:00Z"
        );
    }

    #[test]
    fn instants_keep_microseconds_as_postgresql_does() {
        let at: jiff::Timestamp = "2026-11-29T22:24:44.981204124Z".parse().unwrap();
        assert_eq!(to_micros(at).to_string(), "2026-11-29T22:24:44.981204Z");
        let read = now();
        assert_eq!(read, to_micros(read));
    }
}
