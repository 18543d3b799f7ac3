//! PostgreSQL for the store tests: the database `TUIDING_TEST_DATABASE_URL` names,
//! connected once per test binary, and a fresh account for every test.

use std::sync::OnceLock;

use tuiding_store::{PgStore, Postgres};

/// The test database, connected once per test binary, or `None` (after saying why) when
/// there is none and that is allowed.
pub fn database() -> Option<&'static Postgres> {
    static DB: OnceLock<Option<Postgres>> = OnceLock::new();
    DB.get_or_init(|| {
        tuiding_store::testing::database_url().map(|url| {
            Postgres::connect(&url, 8).unwrap_or_else(|e| panic!("TUIDING_TEST_DATABASE_URL: {e}"))
        })
    })
    .as_ref()
}

pub use tuiding_store::testing::unique;

/// A new account's empty ledger in the test database.
pub fn postgres_store() -> Option<PgStore> {
    let db = database()?;
    let account = db.add_account(&unique("suite"), None).unwrap();
    Some(db.store(account.id).unwrap())
}
