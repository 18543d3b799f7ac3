//! The PostgreSQL store, for a server shared by many people: one database, many
//! processes, every row belonging to an account.
//!
//! [`Postgres`] is the database (a connection pool, migrated when connected) and its
//! accounts; [`PgStore`] is one account's ledger behind the same [`crate::Store`] trait as
//! SQLite. Isolation has two walls: every query the store sends names the account
//! (`account_id = $1`, and every key and reference includes it), and row-level security
//! shows a connection only the rows of the account it was taken for.
//!
//! Driver: the synchronous `postgres` crate (rust-postgres) with an `r2d2` pool, because
//! the store trait is synchronous (the application runs it on blocking threads, as it
//! runs SQLite); an async driver would need a runtime inside every call.

mod accounts;
mod bills;
pub(crate) mod cases;
mod household;
mod memberships;

pub use accounts::Account;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use postgres::types::ToSql;
use postgres::{NoTls, Row, Statement};
use r2d2_postgres::PostgresConnectionManager;

use crate::StoreError;

type Manager = PostgresConnectionManager<NoTls>;
type Pooled = r2d2::PooledConnection<Manager>;

/// A PostgreSQL database holding tuiding's accounts: a pool of connections.
///
/// Cloning is cheap (the pool is shared).
#[derive(Clone)]
pub struct Postgres {
    pool: std::sync::Arc<Pool>,
}

/// The pool, closed on a thread of its own: closing a synchronous connection blocks on
/// the driver's own runtime, which panics on a thread that drives async tasks — and the
/// last handle may well be dropped there (a server shutting down, a test ending).
struct Pool(Option<r2d2::Pool<Manager>>);

impl Drop for Pool {
    fn drop(&mut self) {
        if let Some(pool) = self.0.take() {
            let _ = std::thread::spawn(move || drop(pool)).join();
        }
    }
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may hold a password.
        f.debug_struct("Postgres").finish_non_exhaustive()
    }
}

/// Every connection speaks UTC and ISO dates, whatever the server's defaults: the store
/// reads dates and times as text in one known form.
#[derive(Debug)]
struct SessionSettings;

impl r2d2::CustomizeConnection<postgres::Client, postgres::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut postgres::Client) -> Result<(), postgres::Error> {
        conn.batch_execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'")
    }
}

impl Postgres {
    /// Connects to `url` (`postgres://user:password@host/db`, or
    /// `postgresql:///db?host=/run/postgresql` for a Unix socket) with a pool of up to
    /// `pool_size` connections, and brings the schema up to date.
    pub fn connect(url: &str, pool_size: u32) -> Result<Postgres, StoreError> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::Unavailable(e.to_string()))?;
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(SessionSettings))
            .build(PostgresConnectionManager::new(config, NoTls))
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let db = Postgres {
            pool: std::sync::Arc::new(Pool(Some(pool))),
        };
        db.migrate()?;
        Ok(db)
    }

    fn get(&self) -> Result<Pooled, StoreError> {
        let pool = self
            .pool
            .0
            .as_ref()
            .ok_or_else(|| StoreError::Unavailable("the connection pool is closed".into()))?;
        pool.get()
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    /// Applies pending migrations in one transaction; concurrent processes wait for each
    /// other on an advisory lock, and the later finds nothing left to do.
    fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.get()?;
        let mut tx = client.transaction()?;
        // Any number: the lock is tuiding's schema, held until the transaction ends.
        tx.execute("SELECT pg_advisory_xact_lock(74687569)", &[])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    text PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now()
             )",
        )?;
        let applied: Vec<String> = tx
            .query(
                "SELECT version FROM schema_migrations ORDER BY version",
                &[],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for m in crate::migrations::pending(&applied)? {
            tx.batch_execute(m.postgres)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&m.version],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The ledger of account `id` ([`StoreError::AccountNotFound`] when there is none).
    pub fn store(&self, account: i64) -> Result<PgStore, StoreError> {
        let mut client = self.get()?;
        // The second wall: from here on this connection sees this account's rows only —
        // and none at all when there is no such account (a pooled connection keeps its
        // setting: it is always overwritten here).
        let set: String = client
            .query_one(
                "SELECT set_config('tuiding.account',
                     coalesce((SELECT id::text FROM account WHERE id = $1), ''), false)",
                &[&account],
            )?
            .get(0);
        if set.is_empty() {
            return Err(StoreError::AccountNotFound(format!("#{account}")));
        }
        Ok(PgStore {
            account,
            conn: Mutex::new(Box::new(Conn {
                client,
                statements: HashMap::new(),
            })),
        })
    }
}

/// One account's ledger in PostgreSQL: a connection from the pool, scoped to the account,
/// with the statements it prepared.
pub struct PgStore {
    account: i64,
    // Boxed: a pooled client is large, and stores are moved around in enums.
    conn: Mutex<Box<Conn>>,
}

struct Conn {
    client: Pooled,
    statements: HashMap<String, Statement>,
}

impl PgStore {
    /// The account this store belongs to.
    pub fn account(&self) -> i64 {
        self.account
    }

    fn lock(&self) -> MutexGuard<'_, Box<Conn>> {
        // A panic while holding it left no transaction open (the transaction rolled back
        // when it was dropped): the connection is still usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` outside a transaction (one statement needs none).
    fn read_one<T>(
        &self,
        f: impl FnOnce(&mut Session<'_, '_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.lock();
        let Conn { client, statements } = &mut **guard;
        f(&mut Session {
            client: On::Client(client),
            statements,
            account: self.account,
        })
    }

    /// Runs `f` in one read-only snapshot: several statements see the same ledger.
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&mut Session<'_, '_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.lock();
        let Conn { client, statements } = &mut **guard;
        let mut tx = client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let out = f(&mut Session {
            client: On::Transaction(&mut tx),
            statements,
            account: self.account,
        })?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` as one write transaction. It first locks the account's row and moves its
    /// data version on, so an account's writes are serial (as in SQLite) and ids and
    /// revisions are checked without races; when `f` reports that it changed nothing
    /// ([`Wrote::Nothing`]), everything is rolled back and the version stays.
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut Session<'_, '_>) -> Result<Wrote<T>, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.lock();
        let Conn { client, statements } = &mut **guard;
        let mut tx = client.transaction()?;
        let mut session = Session {
            client: On::Transaction(&mut tx),
            statements,
            account: self.account,
        };
        let locked = session.exec(
            "UPDATE account SET data_version = data_version + 1 WHERE id = $1",
            &[&self.account],
        )?;
        if locked == 0 {
            return Err(StoreError::AccountNotFound(format!("#{}", self.account)));
        }
        match f(&mut session)? {
            Wrote::Changed(out) => {
                tx.commit()?;
                Ok(out)
            }
            Wrote::Nothing(out) => {
                tx.rollback()?;
                Ok(out)
            }
        }
    }
}

/// What a write did.
pub(crate) enum Wrote<T> {
    /// Something changed: commit.
    Changed(T),
    /// Nothing changed: roll back (the data version stays).
    Nothing(T),
}

/// A connection (or a transaction on it) scoped to one account, preparing each statement
/// once per store.
pub(crate) struct Session<'a, 't> {
    client: On<'a, 't>,
    statements: &'a mut HashMap<String, Statement>,
    pub(crate) account: i64,
}

type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

/// Where a session's statements go: the connection itself, or a transaction on it.
enum On<'a, 't> {
    Client(&'a mut postgres::Client),
    Transaction(&'a mut postgres::Transaction<'t>),
}

/// Calls the same method on either kind of client (`GenericClient` is not object safe).
macro_rules! on {
    ($on:expr, $method:ident($($arg:expr),*)) => {
        match $on {
            On::Client(c) => c.$method($($arg),*),
            On::Transaction(t) => t.$method($($arg),*),
        }
    };
}

impl Session<'_, '_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = on!(&mut self.client, prepare(sql))?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    /// As [`Session::query`], for a statement put together at run time (the copy's).
    pub(crate) fn query_dynamic(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let s = self.statement(sql)?;
        Ok(on!(&mut self.client, query(&s, params))?)
    }

    pub(crate) fn query(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        let s = self.statement(sql)?;
        Ok(on!(&mut self.client, query(&s, params))?)
    }

    pub(crate) fn opt(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Option<Row>, StoreError> {
        let s = self.statement(sql)?;
        Ok(on!(&mut self.client, query_opt(&s, params))?)
    }

    pub(crate) fn one(&mut self, sql: &'static str, params: Params<'_>) -> Result<Row, StoreError> {
        let s = self.statement(sql)?;
        Ok(on!(&mut self.client, query_one(&s, params))?)
    }

    pub(crate) fn exec(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<u64, StoreError> {
        let s = self.statement(sql)?;
        Ok(on!(&mut self.client, execute(&s, params))?)
    }
}

/// A `timestamptz` column as RFC 3339 text in UTC with milliseconds, as SQLite's
/// `strftime('%Y-%m-%dT%H:%M:%fZ')` writes it (`created_at`, `updated_at`).
macro_rules! millis {
    ($column:literal) => {
        concat!(
            "to_char(",
            $column,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        )
    };
}

/// A `timestamptz` column as RFC 3339 text in UTC with microseconds (PostgreSQL's
/// precision), for instants the application set (a case's moves).
macro_rules! micros {
    ($column:literal) => {
        concat!(
            "to_char(",
            $column,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        )
    };
}

pub(crate) use {micros, millis};

/// A date as PostgreSQL reads it (`$n::text::date`); `None` for a day it cannot hold
/// (before year 1: jiff writes `-000001-01-01`), which the caller refuses or skips.
pub(crate) fn day(d: jiff::civil::Date) -> String {
    d.to_string()
}

/// Whether PostgreSQL's `date` holds this day the way it is written (years 1–9999).
pub(crate) fn storable(d: jiff::civil::Date) -> bool {
    d.year() >= 1
}
