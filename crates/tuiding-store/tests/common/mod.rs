//! PostgreSQL for the store tests: the database `TUIDING_TEST_DATABASE_URL` names,
//! connected once per test binary, and a fresh account for every test.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use tuiding_store::{PgStore, Postgres};

/// How to get PostgreSQL for these tests.
const HOW: &str = "PostgreSQL tests skipped: set TUIDING_TEST_DATABASE_URL to a database they may write to, e.g. \
     TUIDING_TEST_DATABASE_URL=$(bash scripts/pg-cluster.sh start /tmp/tuiding-pg) \
     (Debian: sudo apt-get install postgresql); TUIDING_SKIP_POSTGRES=1 skips them knowingly";

/// The test database, or `None` (after saying why) when there is none and that is allowed.
pub fn database() -> Option<&'static Postgres> {
    static DB: OnceLock<Option<Postgres>> = OnceLock::new();
    DB.get_or_init(|| match std::env::var("TUIDING_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(
            Postgres::connect(&url, 8).unwrap_or_else(|e| panic!("TUIDING_TEST_DATABASE_URL: {e}")),
        ),
        _ => {
            let skip_knowingly = std::env::var("TUIDING_SKIP_POSTGRES").is_ok_and(|v| v == "1");
            let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(skip_knowingly || !in_ci, "{HOW}");
            eprintln!("{HOW}");
            None
        }
    })
    .as_ref()
}

/// A name no other test (in this or another process) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A new account's empty ledger in the test database.
pub fn postgres_store() -> Option<PgStore> {
    let db = database()?;
    let account = db.add_account(&unique("suite"), None).unwrap();
    Some(db.store(account.id).unwrap())
}
