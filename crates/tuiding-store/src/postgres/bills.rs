//! Imported bill transactions and stream decisions in PostgreSQL.

use jiff::civil::{Date, DateTime};
use tuiding_core::Membership;
use tuiding_core::price::PriceChange;
use tuiding_core::transaction::Transaction;

use crate::postgres::memberships::{insert_membership, insert_price_changes, require_membership};
use crate::postgres::{PgStore, Wrote, day};
use crate::rows::{TxRow, direction_str, status_str};
use crate::{BillImport, BillStore, ImportCounts, StoreError, StreamDecision};

/// Rows sent in one statement: large enough that a 100,000-row export is a hundred round
/// trips, small enough that a progress bar moves.
const BATCH: usize = 1000;

impl BillStore for PgStore {
    fn import_bills(&mut self, import: &BillImport<'_>) -> Result<ImportCounts, StoreError> {
        self.write(|s| {
            let import_id: i64 = s
                .one(
                    "INSERT INTO bill_import (account_id, file, format, rows_read, rows_added,
                         period_start, period_end)
                     VALUES ($1, $2, $3, $4, 0, $5::text::date, $6::text::date) RETURNING id",
                    &[
                        &{ s.account },
                        &import.file,
                        &import.format,
                        &(import.transactions.len() as i64),
                        &import.period_start.map(day),
                        &import.period_end.map(day),
                    ],
                )?
                .get(0);
            let mut added = 0;
            for chunk in import.transactions.chunks(BATCH) {
                // A negative amount breaks the schema's CHECK: skipped, as SQLite's INSERT
                // OR IGNORE skips it.
                let rows: Vec<&Transaction> = chunk
                    .iter()
                    .filter(|t| t.amount.minor_units() >= 0)
                    .collect();
                let column = |f: &dyn Fn(&Transaction) -> String| -> Vec<String> {
                    rows.iter().map(|t| f(t)).collect()
                };
                added += s.exec(
                    "INSERT INTO bill_transaction (account_id, import_id, source, source_id, time,
                         counterparty, description, category, direction, amount_minor, currency,
                         method, status, status_text, refund_of, line)
                     SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[]::timestamp[],
                         $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[],
                         $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[])
                     ON CONFLICT DO NOTHING",
                    &[
                        &{ s.account },
                        &import_id,
                        &column(&|t| t.source.as_str().to_string()),
                        &column(&|t| t.source_id.to_string()),
                        &column(&|t| t.time.to_string()),
                        &column(&|t| t.counterparty.to_string()),
                        &column(&|t| t.description.to_string()),
                        &column(&|t| t.category.to_string()),
                        &column(&|t| direction_str(t.direction).to_string()),
                        &rows
                            .iter()
                            .map(|t| t.amount.minor_units())
                            .collect::<Vec<i64>>(),
                        &column(&|t| t.amount.currency().code().to_string()),
                        &column(&|t| t.method.to_string()),
                        &column(&|t| status_str(&t.status).to_string()),
                        &column(&|t| t.status_text.to_string()),
                        &rows
                            .iter()
                            .map(|t| t.refund_of.as_deref().map(str::to_string))
                            .collect::<Vec<Option<String>>>(),
                        &rows.iter().map(|t| i64::from(t.line)).collect::<Vec<i64>>(),
                    ],
                )? as usize;
                if let Some(progress) = import.progress {
                    chunk.iter().for_each(|_| progress());
                }
            }
            s.exec(
                "UPDATE bill_import SET rows_added = $3 WHERE account_id = $1 AND id = $2",
                &[&{ s.account }, &import_id, &(added as i64)],
            )?;
            Ok(Wrote::Changed(ImportCounts {
                read: import.transactions.len(),
                added,
            }))
        })
    }

    fn bill_transactions(&self) -> Result<Vec<Transaction>, StoreError> {
        self.read_one(|s| {
            let rows = s.query(
                "SELECT id, source, source_id, to_char(time, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'),
                        counterparty, description, category, direction, amount_minor, currency,
                        method, status, status_text, refund_of, line
                 FROM bill_transaction WHERE account_id = $1 ORDER BY time, id",
                &[&{ s.account }],
            )?;
            rows.iter()
                .map(|r| {
                    TxRow {
                        id: r.get(0),
                        source: r.get(1),
                        source_id: r.get(2),
                        time: r.get(3),
                        counterparty: r.get(4),
                        description: r.get(5),
                        category: r.get(6),
                        direction: r.get(7),
                        amount_minor: r.get(8),
                        currency: r.get(9),
                        method: r.get(10),
                        status: r.get(11),
                        status_text: r.get(12),
                        refund_of: r.get(13),
                        line: r.get(14),
                    }
                    .into_transaction()
                })
                .collect()
        })
    }

    fn bills_period_end(&self) -> Result<Option<Date>, StoreError> {
        self.read_one(|s| {
            let row = s.one(
                "SELECT (SELECT max(period_end)::text FROM bill_import WHERE account_id = $1),
                        (SELECT to_char(max(time), 'YYYY-MM-DD\"T\"HH24:MI:SS')
                         FROM bill_transaction WHERE account_id = $1)",
                &[&{ s.account }],
            )?;
            let stated = row
                .get::<_, Option<String>>(0)
                .and_then(|d| d.parse::<Date>().ok());
            let seen = row
                .get::<_, Option<String>>(1)
                .and_then(|t| t.parse::<DateTime>().ok())
                .map(|t| t.date());
            Ok(stated.max(seen))
        })
    }

    fn bills_fingerprint(&self) -> Result<(i64, i64), StoreError> {
        self.read_one(|s| {
            let row = s.one(
                "SELECT count(*), coalesce(max(id), 0) FROM bill_transaction WHERE account_id = $1",
                &[&{ s.account }],
            )?;
            Ok((row.get(0), row.get(1)))
        })
    }

    fn stream_decisions(&self) -> Result<Vec<StreamDecision>, StoreError> {
        self.read_one(|s| {
            let rows = s.query(
                "SELECT stream_key, decision, membership_id FROM stream_decision
                 WHERE account_id = $1 ORDER BY stream_key COLLATE \"C\"",
                &[&{ s.account }],
            )?;
            Ok(rows
                .iter()
                .map(|r| {
                    let key: String = r.get(0);
                    match r.get::<_, &str>(1) {
                        "adopted" => StreamDecision::Adopted {
                            key,
                            membership_id: r.get(2),
                        },
                        _ => StreamDecision::Dismissed { key },
                    }
                })
                .collect())
        })
    }

    fn dismiss_stream(&mut self, key: &str) -> Result<(), StoreError> {
        self.write(|s| {
            s.exec(
                "INSERT INTO stream_decision (account_id, stream_key, decision)
                 VALUES ($1, $2, 'dismissed')
                 ON CONFLICT (account_id, stream_key) DO UPDATE SET decision = 'dismissed',
                     membership_id = NULL, decided_at = now()",
                &[&{ s.account }, &key],
            )?;
            Ok(Wrote::Changed(()))
        })
    }

    fn link_stream(&mut self, key: &str, membership_id: i64) -> Result<(), StoreError> {
        self.write(|s| {
            require_membership(s, membership_id)?;
            adopted(s, key, membership_id)?;
            Ok(Wrote::Changed(()))
        })
    }

    fn adopt_stream(
        &mut self,
        key: &str,
        membership: &Membership,
        price_changes: &[PriceChange],
    ) -> Result<i64, StoreError> {
        membership.validate()?;
        self.write(|s| {
            let existing: Option<Option<i64>> = s
                .opt(
                    "SELECT membership_id FROM stream_decision
                     WHERE account_id = $1 AND stream_key = $2 AND decision = 'adopted'",
                    &[&{ s.account }, &key],
                )?
                .map(|r| r.get(0));
            if let Some(Some(id)) = existing {
                return Err(StoreError::Conflict { id });
            }
            let id = insert_membership(s, membership)?;
            adopted(s, key, id)?;
            insert_price_changes(s, id, price_changes)?;
            Ok(Wrote::Changed(id))
        })
    }
}

/// Records a stream as adopted into membership `id`.
fn adopted(s: &mut crate::postgres::Session<'_, '_>, key: &str, id: i64) -> Result<(), StoreError> {
    s.exec(
        "INSERT INTO stream_decision (account_id, stream_key, decision, membership_id)
         VALUES ($1, $2, 'adopted', $3)
         ON CONFLICT (account_id, stream_key) DO UPDATE SET decision = 'adopted',
             membership_id = excluded.membership_id, decided_at = now()",
        &[&{ s.account }, &key, &id],
    )?;
    Ok(())
}
