//! Versioned, embedded, append-only migrations.
//!
//! Each migration is a SQL file in `migrations/` named by its timestamp; applied versions
//! are recorded in `schema_migrations`. A database that has a version this binary does not
//! know was written by a newer tuiding and is refused rather than misread.

use rusqlite::{Connection, params};

use crate::StoreError;

/// Every migration, oldest first. Append only.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "20261126000000_ledger",
        include_str!("migrations/20261126000000_ledger.sql"),
    ),
    (
        "20261126010000_policy",
        include_str!("migrations/20261126010000_policy.sql"),
    ),
    (
        "20261126020000_bills",
        include_str!("migrations/20261126020000_bills.sql"),
    ),
    (
        "20261126030000_cases",
        include_str!("migrations/20261126030000_cases.sql"),
    ),
    (
        "20261126040000_trials",
        include_str!("migrations/20261126040000_trials.sql"),
    ),
    (
        "20261126050000_household",
        include_str!("migrations/20261126050000_household.sql"),
    ),
    (
        "20261126060000_reminders",
        include_str!("migrations/20261126060000_reminders.sql"),
    ),
    (
        "20261126070000_price_history",
        include_str!("migrations/20261126070000_price_history.sql"),
    ),
    (
        "20261126080000_reminders_sent",
        include_str!("migrations/20261126080000_reminders_sent.sql"),
    ),
    (
        "20261129090000_jd_meituan",
        include_str!("migrations/20261129090000_jd_meituan.sql"),
    ),
    (
        "20261130010000_vault_head",
        include_str!("migrations/20261130010000_vault_head.sql"),
    ),
    (
        "20261130020000_data_version",
        include_str!("migrations/20261130020000_data_version.sql"),
    ),
    (
        "20261130030000_data_version_bills",
        include_str!("migrations/20261130030000_data_version_bills.sql"),
    ),
];

/// Brings the schema up to date in one transaction that holds the write lock, so two
/// processes opening a new data dir at once never both create it: the second waits, then
/// finds nothing left to do. An up-to-date database is only read.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    if pending(conn)?.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    TEXT PRIMARY KEY,
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ) STRICT;",
    )?;
    for (version, sql) in pending(&tx)? {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES (?1)",
            params![version],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The migrations not applied yet; an error when the database has one this binary does
/// not know.
fn pending(conn: &Connection) -> Result<Vec<(&'static str, &'static str)>, StoreError> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        [],
        |r| r.get(0),
    )?;
    let applied: Vec<String> = if exists {
        conn.prepare("SELECT version FROM schema_migrations ORDER BY version")?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    if let Some(unknown) = applied
        .iter()
        .find(|v| !MIGRATIONS.iter().any(|(known, _)| known == v))
    {
        return Err(StoreError::NewerSchema {
            version: unknown.clone(),
        });
    }
    Ok(MIGRATIONS
        .iter()
        .filter(|(version, _)| !applied.iter().any(|v| v == version))
        .copied()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::prelude::*;

    #[test]
    fn migrations_are_sorted_and_idempotent() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations (version) VALUES ('29991231000000_future')",
            [],
        )
        .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(StoreError::NewerSchema { .. })
        ));
    }
}
