//! Price history rows.

use crate::PriceStore;
use rusqlite::{Transaction, params};
use tuiding_core::Money;
use tuiding_core::price::{PriceChange, PriceSource};

use crate::StoreError;
use crate::sqlite::{SqliteStore, currency, date};

/// Writes changes inside the caller's transaction.
pub(crate) fn insert_changes(
    tx: &Transaction<'_>,
    membership_id: i64,
    changes: &[PriceChange],
) -> Result<(), StoreError> {
    for c in changes {
        tx.execute(
            "INSERT INTO price_change (membership_id, changed_on, old_minor, new_minor, currency, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![membership_id, c.on.to_string(), c.old.minor_units(), c.new.minor_units(), c.new.currency().code(), c.source.as_str()],
        )?;
    }
    Ok(())
}

impl PriceStore for SqliteStore {
    fn record_price_changes(
        &mut self,
        membership_id: i64,
        changes: &[PriceChange],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        crate::sqlite::require_membership(&tx, membership_id)?;
        insert_changes(&tx, membership_id, changes)?;
        tx.commit()?;
        Ok(())
    }

    fn price_changes(&self) -> Result<Vec<(i64, PriceChange)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT membership_id, changed_on, old_minor, new_minor, currency, source FROM price_change ORDER BY membership_id, changed_on, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, on, old, new, code, source) = row?;
            let cur = currency(id, &code)?;
            let source = PriceSource::parse(&source).ok_or_else(|| StoreError::Corrupt {
                id,
                field: "price_change.source",
                value: source.clone(),
            })?;
            out.push((
                id,
                PriceChange {
                    on: date(id, "price_change.changed_on", &on)?,
                    old: Money::from_minor(old, cur),
                    new: Money::from_minor(new, cur),
                    source,
                },
            ));
        }
        Ok(out)
    }
}
