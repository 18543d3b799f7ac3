//! `tuiding user add|passwd|rm|list` (accounts of a PostgreSQL database) and
//! `tuiding migrate --to URL` (a SQLite data dir into an account).

use clap::Args;
use tuiding_app::accounts::{self, AccountView};
use tuiding_app::error::UserError;

use super::serve::{UserCommand, new_password};
use super::{Term, output};

/// The database `--database-url` names; account commands need one.
fn database(ctx: &Term, url: Option<&str>) -> anyhow::Result<accounts::Postgres> {
    let url = url.ok_or_else(|| {
        UserError::usage(
            "--database-url",
            ctx.t(
                "账户保存在 PostgreSQL 中：用 --database-url（或 TUIDING_DATABASE_URL）指定数据库",
                "accounts live in PostgreSQL: name the database with --database-url (or TUIDING_DATABASE_URL)",
            ),
        )
    })?;
    accounts::connect(url, ctx.lang)
}

fn show(ctx: &Term, what: (&str, &str), account: &AccountView) -> anyhow::Result<()> {
    if ctx.json {
        return output::print_json(account);
    }
    output::line(format!(
        "{} {} (#{})",
        ctx.t(what.0, what.1),
        account.name,
        account.id
    ))
}

/// Runs an account command.
pub fn run_user(ctx: &Term, command: &UserCommand, url: Option<&str>) -> anyhow::Result<()> {
    let db = database(ctx, url)?;
    let lang = ctx.lang;
    match command {
        UserCommand::Add {
            name,
            password_stdin,
            no_password,
        } => {
            accounts::check_name(name, lang)?;
            let hash = if *no_password {
                None
            } else {
                let password = new_password(ctx, *password_stdin)?;
                Some(tuiding_web::security::hash_password(&password)?)
            };
            let added = accounts::add(&db, name, hash.as_deref(), lang)?;
            show(ctx, ("已添加账户", "Account added:"), &added)
        }
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let account = accounts::find(&db, name, lang)?;
            let password = new_password(ctx, *password_stdin)?;
            let hash = tuiding_web::security::hash_password(&password)?;
            accounts::set_password(&db, &account.name, &hash, lang)?;
            let view = AccountView {
                password_set: true,
                ..AccountView::from(&account)
            };
            show(ctx, ("已修改密码：", "Password changed:"), &view)
        }
        UserCommand::Rm { name, yes } => {
            if !yes {
                return Err(UserError::usage(
                    "--yes",
                    ctx.t(
                        "删除账户会删除它的账本、证据和投诉材料，无法恢复：确认请加 --yes",
                        "removing an account removes its ledger, evidence and dossiers for good: add --yes to confirm",
                    ),
                ));
            }
            let removed = accounts::remove(&db, name, &ctx.data_dir()?, lang)?;
            show(ctx, ("已删除账户", "Account removed:"), &removed)
        }
        UserCommand::Set { name, lang: code } => {
            let Some(chosen) = tuiding_core::Lang::from_locale(code) else {
                return Err(UserError::usage(
                    "--lang",
                    ctx.t("语言应为 zh 或 en", "the language is zh or en"),
                ));
            };
            let view = accounts::set_lang(&db, name, chosen, lang)?;
            show(ctx, ("已设置账户语言：", "Account language set:"), &view)
        }
        UserCommand::List => {
            let all = accounts::list(&db, lang)?;
            if ctx.json {
                return output::print_json(&all);
            }
            if all.is_empty() {
                return output::line(ctx.t(
                    "还没有账户：tuiding user add 名字",
                    "No accounts yet: tuiding user add NAME",
                ));
            }
            for a in &all {
                let password = if a.password_set {
                    ""
                } else {
                    ctx.t("（未设密码）", " (no password)")
                };
                output::line(format!(
                    "#{:<4} {}  {} {}{password}",
                    a.id, a.name, a.lang, a.time_zone
                ))?;
            }
            Ok(())
        }
        UserCommand::SetPassword { .. } | UserCommand::ClearPassword => Err(UserError::failure(
            "set-password and clear-password are the single-user web password",
        )),
    }
}

/// Copy this SQLite data dir into an account of a PostgreSQL database.
#[derive(Debug, Args)]
#[command(after_help = "示例 / Examples:
  tuiding --data-dir ~/.local/share/tuiding migrate --to postgres://tuiding@localhost/tuiding --account 小王 --create
  TUIDING_DATABASE_URL=postgres://… tuiding --data-dir ~/.local/share/tuiding migrate --account 小王   # 密码不进命令行 / no password in argv
  tuiding --database-url postgres://tuiding@localhost/tuiding --user 小王 list --json

账本、账单、案件、证据库和数据文件都会复制；证据库在复制前后各校验一次。原数据目录不变。
The ledger, bills, cases, evidence vault and data files are copied; the vault is verified
before and after. The SQLite data dir is left as it was. The account's files go under
--files-dir (default: the data dir of the server, i.e. the same --data-dir the server runs with).")]
pub struct MigrateArgs {
    /// 目标数据库 [默认：--database-url / TUIDING_DATABASE_URL] / The PostgreSQL database to
    /// copy into [default: --database-url, TUIDING_DATABASE_URL: keeps a password out of argv]
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    /// 目标账户（须为空）/ The account to copy into (it must hold nothing yet)
    #[arg(long = "account", value_name = "NAME")]
    pub account: String,
    /// 账户不存在时创建（无密码，之后用 user passwd 设置）/ Create the account when missing
    /// (no password: set one with `user passwd`)
    #[arg(long)]
    pub create: bool,
    /// 服务器的数据目录（账户文件放在其 accounts/ 下）/ The server's data dir, where the
    /// account's files go (accounts/ID) [default: the server default data dir]
    #[arg(long, value_name = "DIR")]
    pub files_dir: Option<std::path::PathBuf>,
}

impl MigrateArgs {
    pub fn run(&self, ctx: &Term, database_url: Option<&str>) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let url = self.to.as_deref().or(database_url).ok_or_else(|| {
            UserError::usage(
                "--to",
                ctx.t(
                    "用 --to（或 TUIDING_DATABASE_URL）指定目标 PostgreSQL 数据库",
                    "name the PostgreSQL database with --to (or TUIDING_DATABASE_URL)",
                ),
            )
        })?;
        let db = accounts::connect(url, lang)?;
        if self.create && accounts::find(&db, &self.account, lang).is_err() {
            accounts::add(&db, &self.account, None, lang)?;
        }
        let base = match &self.files_dir {
            Some(dir) => dir.clone(),
            None => tuiding_app::context::Ctx::new(lang, ctx.today, None).data_dir()?,
        };
        let view = accounts::migrate(ctx, &db, &self.account, &base)?;
        if ctx.json {
            return output::print_json(&view);
        }
        let rows = |t: &str| {
            view.rows
                .iter()
                .find(|(n, _)| n == t)
                .map_or(0, |(_, n)| *n)
        };
        output::line(match lang {
            tuiding_core::Lang::Zh => format!(
                "已迁移到账户 {}（#{}）：{} 个会员、{} 个案件、{} 条账单、{} 个证据文件（校验通过）、{} 个其他文件\n账户文件：{}",
                view.account.name,
                view.account.id,
                rows("membership"),
                rows("case_file"),
                rows("bill_transaction"),
                view.evidence_objects,
                view.files,
                view.data_dir
            ),
            tuiding_core::Lang::En => format!(
                "Migrated into account {} (#{}): {} memberships, {} cases, {} bill rows, {} evidence files (verified), {} other files\nAccount files: {}",
                view.account.name,
                view.account.id,
                rows("membership"),
                rows("case_file"),
                rows("bill_transaction"),
                view.evidence_objects,
                view.files,
                view.data_dir
            ),
        })
    }
}
