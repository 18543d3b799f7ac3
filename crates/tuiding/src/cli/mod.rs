//! The command line: global flags, the list of subcommands and the terminal they print
//! to. One file per command holds its flags and its text renderer; the work is done by
//! `tuiding-app`.

pub mod accounts;
pub mod add;
pub mod backup;
pub mod case;
pub mod check;
pub mod completions;
pub mod demo;
pub mod dossier;
pub mod due;
pub mod edit;
pub mod evidence;
pub mod export;
pub mod fields;
pub mod household;
pub mod import;
pub mod import_from;
pub mod list;
pub mod output;
pub mod policy;
pub mod prompt;
pub mod remind;
pub mod reminders;
pub mod renewals;
pub mod rm;
pub mod scan;
pub mod serve;
pub mod show;
pub mod streams;
pub mod summary;
mod term;
pub mod terms;
pub mod workdays;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use term::{Term, resolve_lang};

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding demo                                   # 演示数据 + 首页报告 / demo data and the overview
  tuiding add --platform 爱奇艺 --plan 黄金VIP连续包月 --period month --price 25 \\
              --start 2026-01-31 --auto-renew wechat_pay
  tuiding list --json
  tuiding policy set 1 --template video-monthly-vip
  tuiding check 1                                # 规则体检 / the rule check
  tuiding renewals --within 30d
  tuiding summary --lang en
  tuiding case open 1                            # 开启退订案件 / open a cancellation case
  tuiding due                                    # 今日待办 / what needs action today
  tuiding --today 2026-11-23 show 1              # 固定日期，结果可复现 / reproducible figures

  tuiding --database-url postgres://… --user 小王 list   # 共享服务器上的账户 / an account on a server

环境变量 / Environment: TUIDING_DATA_DIR, TUIDING_TODAY, TUIDING_LANG, LANG, NO_COLOR,
  TUIDING_DATABASE_URL, TUIDING_USER";

/// tuiding (退订): 会员退订助手 — find every paid membership, know when it renews, leave
/// without losing money.
#[derive(Debug, Parser)]
#[command(name = "tuiding", version, about, long_about = None, after_help = EXAMPLES)]
#[command(propagate_version = true, arg_required_else_help = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// 数据目录 / Data directory [default: the platform's data dir, e.g. ~/.local/share/tuiding]
    #[arg(long, global = true, env = "TUIDING_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// 以此日期为"今天"，使结果可复现 / Treat this date as today (reproducible output)
    #[arg(long, global = true, env = "TUIDING_TODAY", value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// 输出 JSON / Print JSON instead of text
    #[arg(long, global = true)]
    pub json: bool,

    /// 界面语言 / Language of the text: zh or en [default: from LANG, else zh]
    #[arg(long, global = true, env = "TUIDING_LANG", value_name = "zh|en")]
    pub lang: Option<String>,

    /// 共享的 PostgreSQL 数据库（多账户）/ A shared PostgreSQL database with accounts,
    /// instead of the SQLite file in the data dir (postgres://user@host/db, or
    /// postgresql://user@%2Frun%2Fpostgresql/db for a Unix socket)
    #[arg(
        long,
        global = true,
        env = "TUIDING_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// 使用哪个账户（配合 --database-url）/ Which account's ledger (with --database-url)
    #[arg(long, global = true, env = "TUIDING_USER", value_name = "NAME")]
    pub user: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 添加会员 / Add a membership (prompts for fields when run on a terminal without flags)
    Add(add::AddArgs),
    /// 列出全部会员 / List every membership
    #[command(alias = "ls")]
    List(list::ListArgs),
    /// 查看一个会员 / Show one membership in full
    Show(show::ShowArgs),
    /// 修改会员 / Change a membership's fields, auto-renew channels or benefits
    Edit(edit::EditArgs),
    /// 删除会员 / Remove a membership from the ledger
    #[command(alias = "remove")]
    Rm(rm::RmArgs),
    /// 规则体检 / The rule check: refund, last safe cancel day, channels to close, advice
    Check(check::CheckArgs),
    /// 退款规则 / Refund policies: set, show, rm, and the template catalogue
    Policy(policy::PolicyArgs),
    /// 条款阅读 / Read a membership agreement: refund terms, disclosures, contestable clauses
    Terms(terms::TermsArgs),
    /// 扫描账单找自动扣费 / Find recurring charges in bill exports (stateless, nothing stored)
    Scan(scan::ScanArgs),
    /// 导入账单 / Store bill exports (re-importing adds nothing twice)
    Import(import::ImportArgs),
    /// 周期扣费 / Recurring streams in everything imported; adopt or dismiss them
    Streams(streams::StreamsArgs),
    /// 即将续费 / Renewals and service ends coming up within a window
    Renewals(renewals::RenewalsArgs),
    /// 费用汇总 / Monthly and yearly cost per currency and category
    Summary(summary::SummaryArgs),
    /// 演示 / Fill a demo data dir with realistic memberships and show the overview
    Demo(demo::DemoArgs),
    /// 退订案件 / Cancellation cases: steps, refund tracking, the complaint dossier
    Case(case::CaseArgs),
    /// 存证 / Evidence for a case: add files, list them
    Evidence(evidence::EvidenceArgs),
    /// 证据库 / The evidence vault: verify every file and the journal's chain
    Vault(evidence::VaultArgs),
    /// 投诉材料 / Dossiers: verify a zip against its manifest
    Dossier(dossier::DossierArgs),
    /// 今日待办 / What needs action: overdue refunds, last safe cancel days, waiting steps
    Due(due::DueArgs),
    /// 从其他工具迁移 / Import memberships from another tracker's export (Wallos JSON or CSV)
    ImportFrom(import_from::ImportFromArgs),
    /// 家庭成员 / Household members who share costs
    Member(household::MemberArgs),
    /// 费用分摊 / Split a membership's price among household members (shares or fixed amounts)
    Split(household::SplitArgs),
    /// 提醒提前量 / Reminder lead days before a membership's last safe cancel day
    Reminders(reminders::RemindersArgs),
    /// 导出账本 / Export the ledger as JSON (everything) or CSV (one row per membership)
    Export(export::ExportArgs),
    /// 备份 / Back up the data directory (database snapshot, evidence vault, your data files) into one zip
    Backup(backup::BackupArgs),
    /// 恢复 / Restore a backup: every digest, the database and the vault are checked first
    Restore(backup::RestoreArgs),
    /// 网页版 / Run the web app (dashboard, import, terms, cases) and the JSON API
    Serve(serve::ServeArgs),
    /// 发送提醒 / Send the reminders due today (cron-friendly; each is sent once per channel)
    Remind(remind::RemindArgs),
    /// 网页登录与账户 / The web app's login (set-password) and, on PostgreSQL, accounts
    User(serve::UserArgs),
    /// 迁移到 PostgreSQL / Copy this SQLite data dir into an account of a PostgreSQL database
    Migrate(accounts::MigrateArgs),
    /// 工作日计算 / Working days in mainland China (holidays and adjusted workdays)
    Workdays(workdays::WorkdaysArgs),
    /// 生成 shell 补全脚本 / Print shell completions
    Completions(completions::CompletionsArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Completions(args) = &cli.command {
        // Needs no date, data dir or language.
        return args.run();
    }
    // Account management, migration and the server of accounts name their database
    // themselves; every other command but two works on one ledger: with --database-url,
    // the --user account's.
    // The demo and restore make a personal SQLite data dir whatever the database.
    let on_ledger = !matches!(
        cli.command,
        Command::User(_)
            | Command::Migrate(_)
            | Command::Serve(_)
            | Command::Demo(_)
            | Command::Restore(_)
    );
    let term = Term::from_args(&cli.global, on_ledger)?;
    let ctx = &term;
    match &cli.command {
        Command::Add(args) => args.run(ctx),
        Command::List(args) => args.run(ctx),
        Command::Show(args) => args.run(ctx),
        Command::Edit(args) => args.run(ctx),
        Command::Rm(args) => args.run(ctx),
        Command::Renewals(args) => args.run(ctx),
        Command::Summary(args) => args.run(ctx),
        Command::Demo(args) => args.run(ctx),
        Command::Check(args) => args.run(ctx),
        Command::Scan(args) => args.run(ctx),
        Command::Terms(args) => args.run(ctx),
        Command::Import(args) => args.run(ctx),
        Command::Streams(args) => args.run(ctx),
        Command::Policy(args) => args.run(ctx),
        Command::Workdays(args) => args.run(ctx),
        Command::Case(args) => args.run(ctx),
        Command::Evidence(args) => args.run(ctx),
        Command::Vault(args) => args.run(ctx),
        Command::Dossier(args) => args.run(ctx),
        Command::Due(args) => args.run(ctx),
        Command::Backup(args) => args.run(ctx),
        Command::Export(args) => args.run(ctx),
        Command::Reminders(args) => args.run(ctx),
        Command::Member(args) => args.run(ctx),
        Command::Split(args) => args.run(ctx),
        Command::ImportFrom(args) => args.run(ctx),
        Command::Restore(args) => args.run(ctx),
        Command::Serve(args) => args.run(
            ctx,
            cli.global.today.is_some(),
            cli.global.database_url.as_deref(),
        ),
        Command::Remind(args) => args.run(ctx),
        Command::User(args) => args.run(ctx, cli.global.database_url.as_deref()),
        Command::Migrate(args) => args.run(ctx, cli.global.database_url.as_deref()),
        Command::Completions(_) => unreachable!("handled above"),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every command and subcommand shows examples under `--help`.
    #[test]
    fn every_subcommand_has_examples() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let path = format!("{path} {}", sub.get_name());
                let examples = sub
                    .get_after_help()
                    .is_some_and(|h| h.to_string().contains("Examples"));
                if !examples {
                    missing.push(path.clone());
                }
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "tuiding", &mut missing);
        assert!(missing.is_empty(), "no examples in --help: {missing:?}");
    }
}
