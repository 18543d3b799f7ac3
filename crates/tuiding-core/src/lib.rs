//! # tuiding-core
//!
//! The domain of tuiding (退订): the values and rules every other crate builds on.
//!
//! - [`money`]: [`Money`] is an integer count of minor units (fen) with an ISO 4217
//!   [`Currency`]; parsing what users type, display with the currency's symbol, and
//!   arithmetic whose every rounding names its [`Rounding`] rule. No float touches money.
//! - [`calendar`]: [`WorkCalendar`], mainland China's working days from the State
//!   Council's holiday and adjusted-workday notices, with an error (never a guess) for
//!   years the data does not cover.
//! - [`period`]: [`Period`] arithmetic anchored on the start date (a plan started on
//!   Jan 31 renews Feb 28, then Mar 31), never chained.
//! - [`membership`]: [`Membership`], one paid membership in the ledger, and what follows
//!   from it on a given day (current period, next renewal, cost equivalents).
//! - [`i18n`]: [`Lang`], the language user-facing text is produced in.
//!
//! This crate must never do IO, spawn tasks or read the clock: the date is always passed
//! in, so every figure is reproducible.

pub mod bounds;
pub mod calendar;
pub mod case;
pub mod catalogue;
pub mod checkup;
pub mod complaint;
pub mod decision;
pub mod i18n;
pub mod ical;
pub mod membership;
pub mod money;
pub mod outlook;
pub mod period;
pub mod playbook;
pub mod policy;
pub mod policy_form;
pub mod price;
pub mod refund;
pub mod reminder;
pub mod split;
pub mod transaction;
pub mod wallos;

pub use calendar::{CalendarError, WorkCalendar};
pub use i18n::{Lang, Localized};
pub use membership::{
    AutoRenewContract, Benefit, Billing, Channel, ContractStatus, Membership, MembershipError,
    MembershipStatus, Renewal,
};
pub use money::{Currency, Money, MoneyError, Rounding};
pub use period::{Period, PeriodError, PeriodSpan};
