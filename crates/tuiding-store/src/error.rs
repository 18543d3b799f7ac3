//! The store's errors: typed so callers can tell "missing" from "conflict" from "broken"
//! without matching strings.

use std::path::PathBuf;

use tuiding_core::policy::PolicyError;
use tuiding_core::{Lang, Localized, MembershipError};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No membership has this id.
    #[error("no membership with id {id}; `tuiding list` shows the ids")]
    NotFound {
        /// The id asked for.
        id: i64,
    },
    /// The membership changed since it was read.
    #[error("membership {id} was changed by someone else meanwhile; read it again and retry")]
    Conflict {
        /// The id.
        id: i64,
    },
    /// The membership is not valid; nothing was written.
    #[error(transparent)]
    Invalid(#[from] MembershipError),
    /// The policy text is not a valid policy; nothing was written.
    #[error(transparent)]
    InvalidPolicy(#[from] PolicyError),
    /// The case cannot move that way.
    #[error(transparent)]
    IllegalTransition(#[from] tuiding_core::case::CaseError),
    /// A household member with this name exists already.
    #[error("a household member named {0:?} exists already")]
    MemberExists(String),
    /// No household member has this name.
    #[error("no household member named {0:?}; add them with `tuiding member add NAME`")]
    MemberNotFound(String),
    /// The member is named in a split.
    #[error(
        "{0:?} still shares a membership; change those splits first (`tuiding split ID --clear`)"
    )]
    MemberInUse(String),
    /// No case has this id.
    #[error("no case with id {id}; `tuiding case list` shows the ids")]
    CaseNotFound {
        /// The id asked for.
        id: i64,
    },
    /// The database was written by a newer tuiding.
    #[error(
        "the database has migration {version}, which this tuiding does not know; it was written by a newer version: upgrade tuiding"
    )]
    NewerSchema {
        /// The unknown migration.
        version: String,
    },
    /// A stored value cannot be read back.
    #[error(
        "membership {id}: stored {field} {value:?} cannot be read; the database may have been edited by hand"
    )]
    Corrupt {
        /// The row.
        id: i64,
        /// The column.
        field: &'static str,
        /// What it holds.
        value: String,
    },
    /// The database file could not be created or opened.
    #[error("cannot open database {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Another process held the database longer than the busy timeout (a very long
    /// import, say): nothing was written; trying again later works.
    #[error(
        "the database is busy with another tuiding process (a long import?); nothing was written, try again in a moment"
    )]
    Busy,
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// PostgreSQL reported an error.
    #[error("database error: {}", postgres_message(.0))]
    Postgres(postgres::Error),
    /// The PostgreSQL server cannot be reached (or refused the connection).
    #[error(
        "cannot connect to PostgreSQL: {0}; check --database-url (TUIDING_DATABASE_URL) and that the server runs"
    )]
    Unavailable(String),
    /// A ledger cannot be copied (the target holds data, or a row is refused).
    #[error("cannot copy the ledger: {0}")]
    NotCopied(String),
    /// An account with this name exists already.
    #[error("an account named {0:?} exists already")]
    AccountExists(String),
    /// No account has this name (or id).
    #[error(
        "no account named {0:?}; `tuiding user list` shows them, `tuiding user add NAME` adds one"
    )]
    AccountNotFound(String),
}

/// PostgreSQL's own message with its SQLSTATE and detail, when the server sent one
/// (`postgres::Error`'s `Display` says only "db error").
fn postgres_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({}): {detail}", db.message(), db.code().code()),
            None => format!("{} ({})", db.message(), db.code().code()),
        },
        None => e.to_string(),
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        use postgres::error::SqlState;
        match e.code() {
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                StoreError::Busy
            }
            _ if e.is_closed() => StoreError::Unavailable(e.to_string()),
            _ => StoreError::Postgres(e),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

impl Localized for StoreError {
    fn is_busy(&self) -> bool {
        matches!(self, StoreError::Busy)
    }

    fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict { .. })
    }

    fn is_refused(&self) -> bool {
        matches!(self, StoreError::IllegalTransition(_))
    }

    fn is_not_found(&self) -> bool {
        matches!(
            self,
            StoreError::NotFound { .. }
                | StoreError::CaseNotFound { .. }
                | StoreError::MemberNotFound(_)
                | StoreError::AccountNotFound(_)
        )
    }

    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (StoreError::Invalid(e), _) => e.localized(lang),
            (StoreError::InvalidPolicy(e), _) => e.localized(lang),
            (StoreError::IllegalTransition(e), _) => e.localized(lang),
            (StoreError::CaseNotFound { id }, Lang::Zh) => {
                format!("没有编号为 {id} 的案件；用 `tuiding case list` 查看编号")
            }
            (StoreError::MemberExists(n), Lang::Zh) => format!("家庭成员 {n:?} 已存在"),
            (StoreError::MemberNotFound(n), Lang::Zh) => {
                format!("没有名为 {n:?} 的家庭成员；先用 `tuiding member add 名字` 添加")
            }
            (StoreError::MemberInUse(n), Lang::Zh) => {
                format!("{n:?} 还在分摊会员费用；先修改那些分摊（`tuiding split 编号 --clear`）")
            }
            (_, Lang::En) => self.to_string(),
            (StoreError::NotFound { id }, Lang::Zh) => {
                format!("没有编号为 {id} 的会员；用 `tuiding list` 查看编号")
            }
            (StoreError::Conflict { id }, Lang::Zh) => {
                format!("会员 {id} 在此期间被修改过；请重新读取后再试")
            }
            (StoreError::NewerSchema { version }, Lang::Zh) => format!(
                "数据库含有本版本 tuiding 不认识的迁移 {version}，它由更新的版本写入：请升级 tuiding"
            ),
            (StoreError::Corrupt { id, field, value }, Lang::Zh) => {
                format!("会员 {id} 的 {field} 存储值 {value:?} 无法读取；数据库可能被手工改动过")
            }
            (StoreError::Io { path, source }, Lang::Zh) => {
                format!("无法打开数据库 {}：{source}", path.display())
            }
            (StoreError::Busy, Lang::Zh) => {
                "数据库正被另一个 tuiding 进程占用（在导入大量账单？）；没有写入任何内容，请稍后再试".into()
            }
            (StoreError::Sqlite(e), Lang::Zh) => format!("数据库错误：{e}"),
            (StoreError::Postgres(e), Lang::Zh) => format!("数据库错误：{}", postgres_message(e)),
            (StoreError::Unavailable(e), Lang::Zh) => format!(
                "无法连接 PostgreSQL：{e}；请检查 --database-url（TUIDING_DATABASE_URL）以及服务器是否在运行"
            ),
            (StoreError::NotCopied(e), Lang::Zh) => format!("无法复制账本：{e}"),
            (StoreError::AccountExists(n), Lang::Zh) => format!("账户 {n:?} 已存在"),
            (StoreError::AccountNotFound(n), Lang::Zh) => format!(
                "没有名为 {n:?} 的账户；`tuiding user list` 列出账户，`tuiding user add 名字` 添加"
            ),
        }
    }
}
