//! Trials in bills: a token charge (0.01, 0.10, 1.00 …) from the same counterparty shortly
//! before a recurring stream's first full-price charge is the classic "1 分钱试用, then the
//! full price every month". Adopting such a stream records a trial that converted on the
//! first full charge.

use jiff::civil::Date;
use tuiding_core::transaction::{Direction, Transaction, TxStatus};

use crate::recurring::Stream;

/// The most a token trial charge costs, in minor units (1.00 in yuan, dollars …).
const TOKEN_MAX_MINOR: i64 = 100;
/// How far before the first full charge a token charge may lie.
const WINDOW_DAYS: i64 = 35;

/// A trial found before (or at the start of) a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trial {
    /// The token charge: the trial's start.
    pub started: Date,
    /// The first full-price charge: the day the trial converted.
    pub converted: Date,
}

/// The trial that preceded `stream`, if its counterparty took a token amount first.
pub fn trial_before(stream: &Stream, transactions: &[Transaction]) -> Option<Trial> {
    let charges: Vec<&Transaction> = stream
        .transactions
        .iter()
        .map(|&i| &transactions[i])
        .collect();
    let first_full = charges.iter().find(|t| !is_token(t))?;
    let converted = first_full.time.date();
    // The stream itself may begin with the token charge.
    if let Some(token) = charges
        .first()
        .filter(|t| is_token(t) && t.time.date() < converted)
    {
        return Some(Trial {
            started: token.time.date(),
            converted,
        });
    }
    transactions
        .iter()
        .filter(|t| {
            t.counterparty == first_full.counterparty
                && t.source == first_full.source
                && is_token(t)
                && t.amount.currency() == first_full.amount.currency()
        })
        .map(|t| t.time.date())
        .filter(|d| *d < converted && (converted - *d).get_days() as i64 <= WINDOW_DAYS)
        .max()
        .map(|started| Trial { started, converted })
}

fn is_token(t: &Transaction) -> bool {
    t.direction == Direction::Out
        && t.status == TxStatus::Success
        && t.amount.minor_units() > 0
        && t.amount.minor_units() <= TOKEN_MAX_MINOR
}
