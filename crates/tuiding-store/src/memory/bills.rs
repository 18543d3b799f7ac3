//! Imported bill transactions and stream decisions in memory.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use tuiding_core::Membership;
use tuiding_core::price::PriceChange;
use tuiding_core::transaction::{Direction, Source, Transaction};

use crate::memory::{Data, Decision};
use crate::{BillImport, ImportCounts, StoreError, StreamDecision};

/// What makes two rows the same row (the table's UNIQUE constraint): the same row from the
/// same or an overlapping export is stored once.
type RowKey = (Source, Box<str>, DateTime, i64, Direction, Arc<str>);

fn row_key(t: &Transaction) -> RowKey {
    (
        t.source,
        t.source_id.clone(),
        t.time,
        t.amount.minor_units(),
        t.direction,
        t.description.clone(),
    )
}

impl Data {
    pub(super) fn import_bills(&mut self, import: &BillImport<'_>) -> ImportCounts {
        self.import_ends.push(import.period_end);
        let mut stored: HashSet<RowKey> = self.bills.iter().map(row_key).collect();
        let mut added = 0;
        for t in import.transactions {
            // INSERT OR IGNORE: a row the table's CHECK refuses (a negative amount) is
            // skipped like one stored before.
            if !t.amount.is_negative() && stored.insert(row_key(t)) {
                self.bills.push(t.clone());
                added += 1;
            }
            if let Some(progress) = import.progress {
                progress();
            }
        }
        ImportCounts {
            read: import.transactions.len(),
            added,
        }
    }

    /// Oldest first, as SQLite orders them: by the time's text, then by id.
    pub(super) fn bill_transactions(&self) -> Vec<Transaction> {
        let mut order: Vec<(String, usize)> = self
            .bills
            .iter()
            .enumerate()
            .map(|(i, t)| (t.time.to_string(), i))
            .collect();
        order.sort();
        order
            .into_iter()
            .map(|(_, i)| self.bills[i].clone())
            .collect()
    }

    /// The later of the latest stated end and the latest transaction's day (compared as
    /// text, as SQLite's `max` does).
    pub(super) fn bills_period_end(&self) -> Option<Date> {
        let from_imports = self
            .import_ends
            .iter()
            .flatten()
            .map(Date::to_string)
            .max()
            .and_then(|e| e.parse::<Date>().ok());
        let latest = self
            .bills
            .iter()
            .map(|t| t.time.to_string())
            .max()
            .and_then(|t| t.parse::<DateTime>().ok())
            .map(|t| t.date());
        from_imports.max(latest)
    }

    pub(super) fn stream_decisions(&self) -> Vec<StreamDecision> {
        self.decisions
            .iter()
            .map(|(key, decision)| match *decision {
                Decision::Dismissed => StreamDecision::Dismissed { key: key.clone() },
                Decision::Adopted(membership_id) => StreamDecision::Adopted {
                    key: key.clone(),
                    membership_id,
                },
            })
            .collect()
    }

    /// Adds a (validated) membership for a stream with its price changes and the link.
    pub(super) fn adopt_stream(
        &mut self,
        key: &str,
        membership: &Membership,
        price_changes: &[PriceChange],
    ) -> Result<i64, StoreError> {
        if let Some(Decision::Adopted(Some(id))) = self.decisions.get(key) {
            return Err(StoreError::Conflict { id: *id });
        }
        let id = self.insert_membership(membership)?;
        self.decisions
            .insert(key.to_string(), Decision::Adopted(Some(id)));
        self.insert_price_changes(id, price_changes)?;
        Ok(id)
    }
}
