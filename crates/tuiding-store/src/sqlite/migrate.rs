//! Applies the migrations of [`crate::migrations::MIGRATIONS`] to a SQLite database.
//!
//! Each migration's SQLite text is a file in `migrations/` named by its version; applied
//! versions are recorded in `schema_migrations`.

use rusqlite::{Connection, params};

use crate::StoreError;
use crate::migrations::Migration;

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
    for m in pending(&tx)? {
        let version = m.version;
        tx.execute_batch(m.sqlite)?;
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
fn pending(conn: &Connection) -> Result<Vec<Migration>, StoreError> {
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
    crate::migrations::pending(&applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::MIGRATIONS;
    #[allow(unused_imports)]
    use crate::prelude::*;

    #[test]
    fn migrations_are_sorted_and_idempotent() {
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
