//! What every operation needs: language, today's date, the data directory with the store
//! opened lazily, and where to report warnings and progress (a front end's [`Reporter`]).

use crate::config::Config;
use crate::error::{Localize, UserError};
use anyhow::Context as _;
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tuiding_bills::BankMapping;
use tuiding_core::catalogue::{Catalogue, Origin};
use tuiding_core::policy::PolicyError;
use tuiding_core::{Lang, Localized, WorkCalendar};
use tuiding_store::prelude::*;
use tuiding_store::{AnyStore, SqliteStore, StoredMembership};

/// The database file inside the data directory.
pub const DB_FILE: &str = "tuiding.db";

/// Newer holiday data a user may drop into the data directory.
pub const HOLIDAYS_FILE: &str = "holidays.json";

/// The user's own bank statement mappings, one TOML file each.
pub const BANKS_DIR: &str = "banks";

/// The user's own policy templates, one TOML file each.
pub const PLATFORMS_DIR: &str = "platforms";

/// A policy error located in a file: `p.toml:3:10: refund.method: …` (zh: `p.toml 第 3 行…`).
pub fn policy_error_in_file(err: &PolicyError, file: &str, lang: Lang) -> String {
    match lang {
        Lang::En => err.in_file(file),
        Lang::Zh => format!("{file} {}", err.localized(lang)),
    }
}

/// Where an operation reports what is not its result: warnings (a row left out) and the
/// progress of long work. The CLI prints them to stderr and draws a progress bar; the
/// server writes warnings to its log. Nothing in the application prints.
pub trait Reporter: Send + Sync {
    /// Something the user should know that does not stop the operation.
    fn warn(&self, text: &str);
    /// Long work of `total` steps begins (`what`: a short label).
    fn start(&self, _total: u64, _what: &str) {}
    /// `n` more steps are done.
    fn advance(&self, _n: u64) {}
    /// The long work is over.
    fn finish(&self) {}
}

/// A reporter that keeps nothing.
pub struct Silent;

impl Reporter for Silent {
    fn warn(&self, _text: &str) {}
}

/// Where the ledger is kept: every operation opens its store through its context's
/// backend, so the application is generic over the [`Store`] (SQLite in the data directory
/// by default; an in-memory store for fast tests; PostgreSQL next).
pub trait Backend: Clone + Send + Sync + 'static {
    /// The store this backend opens.
    type Store: Store;
    /// Opens the store; `dir` is the data directory (for a file database).
    fn open(&self, dir: &Path, lang: Lang) -> anyhow::Result<Self::Store>;
}

/// The default backend: `tuiding.db` (SQLite) in the data directory, created when
/// missing, waiting `TUIDING_BUSY_TIMEOUT_MS` (default 60 s) for another writer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

impl Backend for Sqlite {
    type Store = SqliteStore;

    fn open(&self, dir: &Path, lang: Lang) -> anyhow::Result<SqliteStore> {
        create_private_dir(dir).with_context(|| {
            format!(
                "{} {}",
                lang.pick("无法创建数据目录", "cannot create data directory"),
                dir.display()
            )
        })?;
        let store = SqliteStore::open(&dir.join(DB_FILE)).localize(lang)?;
        // How long to wait for another writer (default 60 s); tests and impatient
        // scripts shorten it.
        if let Some(ms) = std::env::var("TUIDING_BUSY_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            store
                .set_busy_timeout(std::time::Duration::from_millis(ms))
                .localize(lang)?;
        }
        Ok(store)
    }
}

/// Where the ledger is, chosen at run time: a SQLite file in the data directory (the
/// default, no setup) or one account in a shared PostgreSQL database (`--database-url`).
/// The same binary serves both; operations never branch on it.
#[derive(Debug, Clone, Default)]
pub enum Database {
    /// `tuiding.db` in the data directory.
    #[default]
    Sqlite,
    /// An account in a PostgreSQL database; its evidence and files live in its own data
    /// directory ([`account_dir`]).
    Postgres {
        /// The database (a pool).
        db: tuiding_store::Postgres,
        /// The account's id.
        account: i64,
    },
}

impl Backend for Database {
    type Store = AnyStore;

    fn open(&self, dir: &Path, lang: Lang) -> anyhow::Result<AnyStore> {
        match self {
            Database::Sqlite => Sqlite.open(dir, lang).map(AnyStore::Sqlite),
            Database::Postgres { db, account } => {
                create_private_dir(dir).with_context(|| dir.display().to_string())?;
                Ok(AnyStore::Postgres(db.store(*account).localize(lang)?))
            }
        }
    }
}

/// An account's own data directory under the server's: its evidence vault, dossiers and
/// data files, named by id (names may hold any character), so one account's files are
/// never addressed through another's.
pub fn account_dir(base: &Path, account: i64) -> PathBuf {
    base.join("accounts").join(account.to_string())
}

/// The in-memory backend (fast application tests): every open is a handle on the same
/// ledger, which lives as long as the `MemoryStore` it was made from.
impl Backend for tuiding_store::MemoryStore {
    type Store = tuiding_store::MemoryStore;

    fn open(&self, _dir: &Path, _lang: Lang) -> anyhow::Result<tuiding_store::MemoryStore> {
        Ok(self.clone())
    }
}

/// What an application keeps between operations: the last stream detection of the bills
/// (keyed by the data dir, the bills' fingerprint and the as-of day). A CLI run has its
/// own; the server gives every request's context the same one.
#[derive(Default)]
pub struct Caches {
    /// Reads of the whole ledger, kept while nothing they depend on changed.
    pub(crate) memo: crate::memo::Memo,
    /// By vault directory: the objects last found intact ([`crate::evidence::verify_recent`]).
    pub(crate) verified_objects:
        std::sync::Mutex<std::collections::HashMap<PathBuf, tuiding_vault::VerifiedObjects>>,
    pub(crate) detected_streams: std::sync::Mutex<Option<Arc<crate::bills::streams::Detected>>>,
    /// The OCR engine once found, and the images being read now.
    pub(crate) readers: crate::evidence::reading::Readers,
}

/// Shared state of one operation run: the language, today, the data directory, the
/// backend the ledger is opened through, and where warnings and progress go.
#[derive(Clone)]
pub struct Ctx<B: Backend = Database> {
    pub lang: Lang,
    pub today: Date,
    data_dir: Option<PathBuf>,
    reporter: Arc<dyn Reporter>,
    backend: B,
    caches: Arc<Caches>,
    clock: fn() -> jiff::Timestamp,
}

impl Ctx {
    /// A context in `data_dir` (the platform's default when `None`) on the SQLite
    /// backend, reporting nowhere.
    pub fn new(lang: Lang, today: Date, data_dir: Option<PathBuf>) -> Ctx {
        Ctx::with_backend(Database::Sqlite, lang, today, data_dir)
    }

    /// A context for one account of a PostgreSQL database; `base` is the server's data
    /// directory, the account's files go in [`account_dir`].
    pub fn for_account(
        db: tuiding_store::Postgres,
        account: i64,
        lang: Lang,
        today: Date,
        base: &Path,
    ) -> Ctx {
        let dir = account_dir(base, account);
        Ctx::with_backend(Database::Postgres { db, account }, lang, today, Some(dir))
    }

    /// The database this context's ledger is in.
    pub fn database(&self) -> &Database {
        &self.backend
    }

    /// A context for a service (the web app) on a fixed data directory.
    pub fn for_service(lang: Lang, today: Date, data_dir: PathBuf) -> Ctx {
        Ctx::new(lang, today, Some(data_dir))
    }

    /// Opens (creating when needed) a SQLite ledger in another directory (the demo's).
    pub(crate) fn open_store_in(&self, dir: &Path) -> anyhow::Result<SqliteStore> {
        Sqlite.open(dir, self.lang)
    }
}

impl<B: Backend> Ctx<B> {
    /// A context on another backend.
    pub fn with_backend(backend: B, lang: Lang, today: Date, data_dir: Option<PathBuf>) -> Ctx<B> {
        Ctx {
            lang,
            today,
            data_dir,
            reporter: Arc::new(Silent),
            backend,
            caches: Arc::default(),
            clock: crate::clock::now,
        }
    }

    /// The same context, reporting to `reporter`.
    pub fn reporting_to(mut self, reporter: Arc<dyn Reporter>) -> Ctx<B> {
        self.reporter = reporter;
        self
    }

    /// The same context, sharing `caches` with other contexts (a server's requests).
    pub fn sharing(mut self, caches: Arc<Caches>) -> Ctx<B> {
        self.caches = caches;
        self
    }

    /// The same context with another clock (tests: every instant the same).
    pub fn with_clock(mut self, clock: fn() -> jiff::Timestamp) -> Ctx<B> {
        self.clock = clock;
        self
    }

    /// The current instant, for stamping what happens (a case's moves, evidence): the
    /// context's clock, the system's by default. Today's date is [`Ctx::today`].
    pub fn now(&self) -> jiff::Timestamp {
        (self.clock)()
    }

    /// What the application keeps between operations.
    pub(crate) fn caches(&self) -> &Caches {
        &self.caches
    }

    /// Where warnings and progress go.
    pub fn reporter(&self) -> &dyn Reporter {
        self.reporter.as_ref()
    }

    /// Picks the text for the user's language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// The data directory: `--data-dir`, `TUIDING_DATA_DIR`, or the platform default.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        dirs::data_dir().map(|d| d.join("tuiding")).ok_or_else(|| {
            UserError::failure(self.t(
                "找不到本机的数据目录；请用 --data-dir 或 TUIDING_DATA_DIR 指定",
                "cannot find this platform's data directory; set --data-dir or TUIDING_DATA_DIR",
            ))
        })
    }

    /// The data directory only when the user named one (`--data-dir`, `TUIDING_DATA_DIR`).
    pub fn explicit_data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    /// Opens the ledger through the backend.
    pub(crate) fn open_store(&self) -> anyhow::Result<B::Store> {
        self.backend.open(&self.data_dir()?, self.lang)
    }

    /// Opens the ledger once (creating it and applying migrations when needed), so that a
    /// server fails at start-up, not on its first request, when the data dir is unusable.
    pub fn prepare(&self) -> anyhow::Result<()> {
        self.open_store().map(drop)
    }

    /// Every membership figures can be computed from. Rows that cannot be (an
    /// out-of-range value an older version accepted) are left out and reported
    /// with how to fix them, so one bad row never hides the rest.
    pub(crate) fn memberships(&self, store: &impl Store) -> anyhow::Result<Vec<StoredMembership>> {
        let ledger = store.ledger().localize(self.lang)?;
        for faulty in &ledger.faulty {
            let id = faulty.id;
            self.reporter.warn(
                &match self.lang {
                    Lang::Zh => format!(
                        "警告：#{id}（{}）有无法使用的值，已跳过：{}。用 `tuiding edit {id}` 修正，或 `tuiding rm {id}` 删除",
                        faulty.platform,
                        faulty.error.localized(self.lang)
                    ),
                    Lang::En => format!(
                        "warning: #{id} ({}) holds a value that cannot be used and is left out: {}. Fix it with `tuiding edit {id}` or remove it with `tuiding rm {id}`",
                        faulty.platform,
                        faulty.error.localized(self.lang)
                    ),
                },
            );
        }
        Ok(ledger.memberships)
    }

    /// The working-day calendar: the embedded one, extended by `holidays.json` in the data
    /// directory when present.
    pub fn calendar(&self) -> anyhow::Result<WorkCalendar> {
        let mut calendar = WorkCalendar::embedded();
        let path = self.data_dir()?.join(HOLIDAYS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let newer = WorkCalendar::from_json(&text)
                    .localize(self.lang)
                    .with_context(|| path.display().to_string())?;
                calendar.merge(newer);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| path.display().to_string()),
        }
        Ok(calendar)
    }

    /// The policy templates: the shipped ones, plus `platforms/*.toml` in the data
    /// directory (which win over shipped ones of the same name).
    pub fn catalogue(&self) -> anyhow::Result<Catalogue> {
        let mut catalogue = Catalogue::embedded();
        let dir = self.data_dir()?.join(PLATFORMS_DIR);
        let paths = toml_files(&dir).with_context(|| dir.display().to_string())?;
        for path in paths {
            let text =
                std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            catalogue.insert(&name, &text, Origin::User).map_err(|e| {
                UserError::failure(policy_error_in_file(
                    &e,
                    &path.display().to_string(),
                    self.lang,
                ))
            })?;
        }
        Ok(catalogue)
    }

    /// Bank statement mappings: the files given with `--mapping` first, then
    /// `banks/*.toml` in the data directory, then the shipped ones.
    pub fn bank_mappings(&self, extra: &[PathBuf]) -> anyhow::Result<Vec<BankMapping>> {
        let mut paths = extra.to_vec();
        let dir = self.data_dir()?.join(BANKS_DIR);
        paths.extend(toml_files(&dir).unwrap_or_default());
        let mut mappings = Vec::new();
        for path in paths {
            let text =
                std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
            let mapping = BankMapping::from_toml(&text)
                .map_err(|e| UserError::failure(format!("{}: {e}", path.display())))?;
            mappings.push(mapping);
        }
        mappings.extend(BankMapping::embedded());
        Ok(mappings)
    }

    /// `config.toml` in the data directory; defaults when there is none.
    pub fn config(&self) -> anyhow::Result<Config> {
        let path = self.data_dir()?.join("config.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(UserError::failure(format!("{}: {e}", path.display()))),
        };
        let config: Config = toml::from_str(&text)
            .map_err(|e| UserError::failure(format!("{}: {e}", path.display())))?;
        tuiding_core::reminder::normalize(&config.reminders.lead_days).map_err(|e| {
            UserError::failure(format!("{}: [reminders] lead_days: {e}", path.display()))
        })?;
        Ok(config)
    }

    /// The playbooks: shipped ones, replaced by `playbooks/*.toml` in the data directory.
    pub fn playbooks(&self) -> anyhow::Result<tuiding_core::playbook::Playbooks> {
        let mut playbooks = tuiding_core::playbook::Playbooks::embedded();
        let dir = self.data_dir()?.join("playbooks");
        for path in toml_files(&dir).unwrap_or_default() {
            let text =
                std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
            playbooks
                .insert(&text)
                .map_err(|e| UserError::failure(format!("{}: {e}", path.display())))?;
        }
        Ok(playbooks)
    }
}

/// The `*.toml` files of a directory of the user's own data files, sorted; none when the
/// directory does not exist.
fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Creates a directory (and its parents) readable by the owner only: the ledger is private.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
