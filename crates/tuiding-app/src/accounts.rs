//! Accounts of a shared PostgreSQL database (`tuiding user add|passwd|rm|list`), and
//! moving a SQLite data dir into one (`tuiding migrate --to`). Passwords arrive hashed
//! (argon2id PHC strings) from the front end.

use std::path::Path;

use serde::Serialize;
use tuiding_core::Lang;
pub use tuiding_store::Postgres;
#[doc(hidden)]
pub use tuiding_store::testing;
use tuiding_store::{Account, SqliteStore};

use crate::context::{Ctx, DB_FILE, account_dir, create_private_dir};
use crate::error::{Localize, UserError};

/// Connections each process keeps at most (`TUIDING_DB_POOL`, default 16).
fn pool_size() -> u32 {
    std::env::var("TUIDING_DB_POOL")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(16)
}

/// Connects to the database `url` names and brings its schema up to date.
pub fn connect(url: &str, lang: Lang) -> anyhow::Result<Postgres> {
    Postgres::connect(url, pool_size()).localize(lang)
}

/// An account as shown (never its password hash).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AccountView {
    pub id: i64,
    pub name: String,
    pub lang: String,
    pub time_zone: String,
    /// Whether a password is set (it can sign in to the web app).
    pub password_set: bool,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> AccountView {
        AccountView {
            id: a.id,
            name: a.name.clone(),
            lang: a.lang.clone(),
            time_zone: a.time_zone.clone(),
            password_set: a.password.is_some(),
        }
    }
}

/// Checks an account name: 1–64 characters after trimming, none of them a control
/// character (it is typed at sign-in and shown in logs).
pub fn check_name(name: &str, lang: Lang) -> anyhow::Result<String> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0 || length > 64 || name.chars().any(char::is_control) {
        return Err(UserError::usage(
            "NAME",
            lang.pick(
                "账户名需 1–64 个字符，不含控制字符",
                "an account name is 1–64 characters, no control characters",
            ),
        ));
    }
    Ok(name.to_string())
}

/// Adds an account, with a password hash when given.
pub fn add(
    db: &Postgres,
    name: &str,
    password: Option<&str>,
    lang: Lang,
) -> anyhow::Result<AccountView> {
    let name = check_name(name, lang)?;
    Ok(AccountView::from(
        &db.add_account(&name, password).localize(lang)?,
    ))
}

/// The account named `name` ([`UserError`] not found when there is none).
pub fn find(db: &Postgres, name: &str, lang: Lang) -> anyhow::Result<Account> {
    db.account(name)
        .localize(lang)?
        .ok_or_else(|| tuiding_store::StoreError::AccountNotFound(name.trim().to_string()))
        .localize(lang)
}

/// Replaces an account's password hash.
pub fn set_password(db: &Postgres, name: &str, password: &str, lang: Lang) -> anyhow::Result<()> {
    db.set_password(name, password).localize(lang)
}

/// Sets an account's language (the web app's page language from its sign-in on); its time
/// zone is kept as it is.
pub fn set_lang(
    db: &Postgres,
    name: &str,
    chosen: Lang,
    lang: Lang,
) -> anyhow::Result<AccountView> {
    let account = find(db, name, lang)?;
    db.set_preferences(&account.name, chosen.code(), &account.time_zone)
        .localize(lang)?;
    Ok(AccountView {
        lang: chosen.code().to_string(),
        ..AccountView::from(&account)
    })
}

/// Removes an account with everything it owns: its rows (one transaction) and then its
/// files (evidence, dossiers).
pub fn remove(db: &Postgres, name: &str, base: &Path, lang: Lang) -> anyhow::Result<AccountView> {
    let account = find(db, name, lang)?;
    db.remove_account(name).localize(lang)?;
    let dir = account_dir(base, account.id);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(UserError::failure(format!("{}: {e}", dir.display()))),
    }
    Ok(AccountView::from(&account))
}

/// Every account, by id.
pub fn list(db: &Postgres, lang: Lang) -> anyhow::Result<Vec<AccountView>> {
    Ok(db
        .accounts()
        .localize(lang)?
        .iter()
        .map(AccountView::from)
        .collect())
}

/// What a migration moved.
#[derive(Debug, Serialize)]
pub struct MigrateView {
    pub account: AccountView,
    /// Rows copied per table.
    pub rows: Vec<(String, usize)>,
    /// Evidence files (distinct objects) copied and verified.
    pub evidence_objects: usize,
    /// Journal entries verified.
    pub evidence_entries: usize,
    /// Other files of the data dir copied (config, holidays, templates, kept texts …).
    pub files: usize,
    /// The account's data directory.
    pub data_dir: String,
}

/// Copies the SQLite data dir of `source` into account `name` of `db`, whose files go
/// under `base`: the evidence vault is verified first (a vault that does not verify is
/// not moved), the files are copied into a staging directory, the ledger is copied in one
/// transaction, the staging directory is renamed into place, and the vault is verified
/// again where it landed, against the journal head now in PostgreSQL.
pub fn migrate(
    source: &Ctx,
    db: &Postgres,
    name: &str,
    base: &Path,
) -> anyhow::Result<MigrateView> {
    let lang = source.lang;
    let source_dir = source.data_dir()?;
    let db_file = source_dir.join(DB_FILE);
    if !db_file.is_file() {
        return Err(UserError::failure(match lang {
            Lang::Zh => format!(
                "{} 中没有账本（{DB_FILE}）；用 --data-dir 指定要迁移的数据目录",
                source_dir.display()
            ),
            Lang::En => format!(
                "no ledger ({DB_FILE}) in {}; name the data dir to migrate with --data-dir",
                source_dir.display()
            ),
        }));
    }
    let report = crate::evidence::verify(source)?;
    if !report.problems.is_empty() {
        return Err(UserError::refused(match lang {
            Lang::Zh => format!(
                "{} 的证据库校验未通过（{} 个问题），不迁移：先运行 `tuiding vault verify` 查看",
                source_dir.display(),
                report.problems.len()
            ),
            Lang::En => format!(
                "the evidence vault in {} does not verify ({} problems), nothing was migrated: run `tuiding vault verify` to see them",
                source_dir.display(),
                report.problems.len()
            ),
        }));
    }
    let account = find(db, name, lang)?;
    let target = account_dir(base, account.id);
    if std::fs::read_dir(&target).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(UserError::refused(match lang {
            Lang::Zh => format!(
                "账户 {} 的数据目录 {} 已有文件；请迁移到新账户",
                account.name,
                target.display()
            ),
            Lang::En => format!(
                "account {}'s data dir {} holds files already; migrate into a new account",
                account.name,
                target.display()
            ),
        }));
    }
    let parent = target.parent().unwrap_or(base);
    create_private_dir(parent)
        .map_err(|e| UserError::failure(format!("{}: {e}", parent.display())))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".migrate-{}-", account.id))
        .tempdir_in(parent)
        .map_err(|e| UserError::failure(format!("{}: {e}", parent.display())))?;
    let files = copy_tree(&source_dir, staging.path(), true)?;
    let sqlite = SqliteStore::open(&db_file).localize(lang)?;
    let counts = db
        .store(account.id)
        .and_then(|mut pg| pg.copy_from_sqlite(&sqlite))
        .localize(lang)?;
    let staged = staging.keep();
    std::fs::rename(&staged, &target).map_err(|e| {
        UserError::failure(format!("{} → {}: {e}", staged.display(), target.display()))
    })?;
    let copied = Ctx::for_account(db.clone(), account.id, lang, source.today, base);
    let report = crate::evidence::verify(&copied)?;
    if !report.problems.is_empty() {
        return Err(UserError::failure(match lang {
            Lang::Zh => format!(
                "迁移后的证据库校验未通过（{} 个问题）：用 `tuiding user rm {}` 删除该账户后重试",
                report.problems.len(),
                account.name
            ),
            Lang::En => format!(
                "the migrated evidence vault does not verify ({} problems): remove the account (`tuiding user rm {}`) and try again",
                report.problems.len(),
                account.name
            ),
        }));
    }
    Ok(MigrateView {
        account: AccountView::from(&account),
        rows: counts
            .rows
            .iter()
            .map(|(t, n)| ((*t).to_string(), *n))
            .collect(),
        evidence_objects: report.objects,
        evidence_entries: report.entries,
        files,
        data_dir: target.display().to_string(),
    })
}

/// Copies the files of a data dir (not the database, nothing hidden, no other account's
/// directory, no links) into `to`, each synced to disk; returns how many.
fn copy_tree(from: &Path, to: &Path, top: bool) -> anyhow::Result<usize> {
    let failure =
        |path: &Path, e: std::io::Error| UserError::failure(format!("{}: {e}", path.display()));
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(failure(from, e)),
    };
    create_private_dir(to).map_err(|e| failure(to, e))?;
    let mut copied = 0;
    for entry in entries {
        let entry = entry.map_err(|e| failure(from, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name.starts_with(DB_FILE) || (top && name == "accounts") {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| failure(&path, e))?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            copied += copy_tree(&path, &dest, false)?;
        } else if kind.is_file() {
            std::fs::copy(&path, &dest).map_err(|e| failure(&path, e))?;
            std::fs::File::open(&dest)
                .and_then(|f| f.sync_all())
                .map_err(|e| failure(&dest, e))?;
            copied += 1;
        }
    }
    Ok(copied)
}
