//! Imported bill transactions and stream decisions in SQLite.

use crate::BillStore;
use jiff::civil::{Date, DateTime};
use rusqlite::{OptionalExtension, Row, params};
use tuiding_core::Membership;
use tuiding_core::transaction::Transaction;

use crate::rows::{TxRow, direction_str, status_str};

use crate::sqlite::{SqliteStore, insert_membership_tx};
use crate::{BillImport, ImportCounts, StoreError, StreamDecision};

impl BillStore for SqliteStore {
    fn import_bills(&mut self, import: &BillImport<'_>) -> Result<ImportCounts, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO bill_import (file, format, rows_read, rows_added, period_start, period_end)
             VALUES (?1, ?2, ?3, 0, ?4, ?5)",
            params![
                import.file,
                import.format,
                import.transactions.len() as i64,
                import.period_start.map(|d| d.to_string()),
                import.period_end.map(|d| d.to_string()),
            ],
        )?;
        let import_id = tx.last_insert_rowid();
        let mut added = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO bill_transaction (import_id, source, source_id, time, counterparty,
                     description, category, direction, amount_minor, currency, method, status,
                     status_text, refund_of, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?;
            for t in import.transactions {
                added += insert.execute(params![
                    import_id,
                    t.source.as_str(),
                    t.source_id,
                    t.time.to_string(),
                    t.counterparty,
                    t.description,
                    t.category,
                    direction_str(t.direction),
                    t.amount.minor_units(),
                    t.amount.currency().code(),
                    t.method,
                    status_str(&t.status),
                    t.status_text,
                    t.refund_of,
                    t.line as i64,
                ])?;
                if let Some(progress) = import.progress {
                    progress();
                }
            }
        }
        tx.execute(
            "UPDATE bill_import SET rows_added = ?2 WHERE id = ?1",
            params![import_id, added as i64],
        )?;
        tx.commit()?;
        Ok(ImportCounts {
            read: import.transactions.len(),
            added,
        })
    }

    fn bill_transactions(&self) -> Result<Vec<Transaction>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, source, source_id, time, counterparty, description, category, direction,
                    amount_minor, currency, method, status, status_text, refund_of, line
             FROM bill_transaction ORDER BY time, id",
        )?;
        let rows = stmt.query_map([], read_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok(out)
    }

    fn bills_fingerprint(&self) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(max(id), 0) FROM bill_transaction",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    fn bills_period_end(&self) -> Result<Option<Date>, StoreError> {
        let end: Option<String> = self.conn.query_row(
            "SELECT max(coalesce(period_end, '')) FROM bill_import",
            [],
            |r| r.get(0),
        )?;
        let from_imports = end
            .filter(|e| !e.is_empty())
            .and_then(|e| e.parse::<Date>().ok());
        let latest: Option<String> =
            self.conn
                .query_row("SELECT max(time) FROM bill_transaction", [], |r| r.get(0))?;
        let latest = latest
            .and_then(|t| t.parse::<DateTime>().ok())
            .map(|t| t.date());
        Ok(from_imports.max(latest))
    }

    fn stream_decisions(&self) -> Result<Vec<StreamDecision>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT stream_key, decision, membership_id FROM stream_decision ORDER BY stream_key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, decision, membership) = row?;
            out.push(match decision.as_str() {
                "adopted" => StreamDecision::Adopted {
                    key,
                    membership_id: membership,
                },
                _ => StreamDecision::Dismissed { key },
            });
        }
        Ok(out)
    }

    fn dismiss_stream(&mut self, key: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO stream_decision (stream_key, decision) VALUES (?1, 'dismissed')
             ON CONFLICT (stream_key) DO UPDATE SET decision = 'dismissed', membership_id = NULL,
                 decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            [key],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn link_stream(&mut self, key: &str, membership_id: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        crate::sqlite::require_membership(&tx, membership_id)?;
        tx.execute(
            "INSERT INTO stream_decision (stream_key, decision, membership_id) VALUES (?1, 'adopted', ?2)
             ON CONFLICT (stream_key) DO UPDATE SET decision = 'adopted', membership_id = ?2,
                 decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![key, membership_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn adopt_stream(
        &mut self,
        key: &str,
        membership: &Membership,
        price_changes: &[tuiding_core::price::PriceChange],
    ) -> Result<i64, StoreError> {
        membership.validate()?;
        let tx = self.conn.transaction()?;
        let existing: Option<Option<i64>> = tx
            .query_row(
                "SELECT membership_id FROM stream_decision WHERE stream_key = ?1 AND decision = 'adopted'",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(Some(id)) = existing {
            return Err(StoreError::Conflict { id });
        }
        let id = insert_membership_tx(&tx, membership)?;
        tx.execute(
            "INSERT INTO stream_decision (stream_key, decision, membership_id) VALUES (?1, 'adopted', ?2)
             ON CONFLICT (stream_key) DO UPDATE SET decision = 'adopted', membership_id = ?2,
                 decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![key, id],
        )?;
        crate::sqlite::prices::insert_changes(&tx, id, price_changes)?;
        tx.commit()?;
        Ok(id)
    }
}

fn read_row(r: &Row<'_>) -> rusqlite::Result<Result<Transaction, StoreError>> {
    Ok(TxRow {
        id: r.get(0)?,
        source: r.get(1)?,
        source_id: r.get(2)?,
        time: r.get(3)?,
        counterparty: r.get(4)?,
        description: r.get(5)?,
        category: r.get(6)?,
        direction: r.get(7)?,
        amount_minor: r.get(8)?,
        currency: r.get(9)?,
        method: r.get(10)?,
        status: r.get(11)?,
        status_text: r.get(12)?,
        refund_of: r.get(13)?,
        line: r.get(14)?,
    }
    .into_transaction())
}
