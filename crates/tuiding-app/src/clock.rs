//! The one place the binary reads the clock. Everything else receives the date.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

/// Today in China Standard Time (UTC+8, no daylight saving since 1991: the default zone
/// of DESIGN.md, without depending on the system's time zone database).
#[allow(clippy::disallowed_methods)]
pub fn today_in_china() -> Date {
    let zone = TimeZone::fixed(Offset::constant(8));
    zone.to_datetime(jiff::Timestamp::now()).date()
}

/// The current instant, for timestamping case transitions and evidence.
#[allow(clippy::disallowed_methods)]
pub fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}
