//! # tuiding-bills
//!
//! Bill exports in, normalised transactions and recurring streams out. Usable on its own,
//! without the CLI or a database:
//!
//! - [`parse_export`] reads an Alipay 交易明细 CSV (GBK) or a WeChat Pay 账单 CSV (UTF-8),
//!   detected from the content, never the file name, into [`Transaction`]s. The header is
//!   found by its column names (preamble lengths change every year), every cell is trimmed
//!   of spaces and tabs, and a malformed row fails the whole file with its line, column and
//!   what was expected.
//! - [`detect_streams`] finds the recurring charges across everything read: subscriptions,
//!   bills and transfers with their frequency, status, next date and confidence, while
//!   habits (coffee, lunch, metro) stay out.
//!
//! Money is [`tuiding_core::Money`]; no float touches it. Nothing here does IO beyond the
//! bytes it is given.

pub mod alerts;
pub mod bank;
mod error;
mod fxhash;
mod parse;
pub mod recurring;
pub mod trial;

pub use bank::BankMapping;
pub use error::BillError;
pub use parse::{Export, Format, parse_export, parse_reader, parse_reader_with};
pub use recurring::{Frequency, Kind, Stream, StreamStatus, detect_streams};

pub use tuiding_core::transaction::{Direction, Source, Transaction, TxStatus};
