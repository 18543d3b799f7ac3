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
    trial_before_charges(&stream.transactions, transactions)
}

/// As [`trial_before`], for a stream's charges given as indices into `transactions`.
pub fn trial_before_charges(stream: &[usize], transactions: &[Transaction]) -> Option<Trial> {
    let charges: Vec<&Transaction> = stream.iter().map(|&i| &transactions[i]).collect();
    let first_full = charges.iter().find(|t| !is_token(t))?;
    let converted = first_full.time.date();
    let within_window = |started: Date| (converted - started).get_days() as i64 <= WINDOW_DAYS;
    // The stream itself may begin with one token charge, right before the first full one.
    if let [token, next, ..] = charges.as_slice()
        && is_token(token)
        && !is_token(next)
    {
        let started = token.time.date();
        return (started < converted && within_window(started))
            .then_some(Trial { started, converted });
    }
    if charges.first().is_some_and(|t| is_token(t)) {
        // Several low charges in a row are cheap paid periods, not a trial.
        return None;
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
        .filter(|d| *d < converted && within_window(*d))
        .max()
        .map(|started| Trial { started, converted })
}

fn is_token(t: &Transaction) -> bool {
    t.direction == Direction::Out
        && t.status == TxStatus::Success
        && t.amount.minor_units() > 0
        && t.amount.minor_units() <= TOKEN_MAX_MINOR
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use tuiding_core::transaction::Source;
    use tuiding_core::{Currency, Money};

    fn charge(day: Date, minor: i64) -> Transaction {
        Transaction {
            source: Source::Alipay,
            source_id: day.to_string().into(),
            time: day.at(3, 0, 0, 0),
            counterparty: "优酷".into(),
            description: "优酷VIP".into(),
            category: "".into(),
            direction: Direction::Out,
            amount: Money::from_minor(minor, Currency::CNY),
            method: "花呗".into(),
            status: TxStatus::Success,
            status_text: "交易成功".into(),
            line: 1,
            refund_of: None,
        }
    }

    #[test]
    fn one_token_charge_then_full_price_is_a_trial() {
        let rows = [
            charge(date(2026, 5, 24), 1),
            charge(date(2026, 5, 31), 2500),
            charge(date(2026, 6, 30), 2500),
        ];
        assert_eq!(
            trial_before_charges(&[0, 1, 2], &rows),
            Some(Trial {
                started: date(2026, 5, 24),
                converted: date(2026, 5, 31)
            })
        );
        // The token charge outside the stream, found by counterparty.
        assert_eq!(
            trial_before_charges(&[1, 2], &rows).map(|t| t.started),
            Some(date(2026, 5, 24))
        );
    }

    #[test]
    fn cheap_paid_months_or_a_distant_token_are_not_a_trial() {
        let months: Vec<Transaction> = (1..=12)
            .map(|m| charge(date(2026, m, 15), 99))
            .chain([charge(date(2027, 1, 15), 300)])
            .collect();
        let all: Vec<usize> = (0..months.len()).collect();
        assert_eq!(trial_before_charges(&all, &months), None);
        let far = [charge(date(2026, 1, 1), 1), charge(date(2026, 5, 31), 2500)];
        assert_eq!(trial_before_charges(&[0, 1], &far), None);
    }
}
