//! One file per subcommand; this module only dispatches.

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
pub mod policy;
pub mod policy_form;
pub mod remind;
pub mod reminders;
pub mod renewals;
pub mod rm;
pub mod scan;
pub mod show;
pub mod streams;
pub mod summary;
pub mod terms;
pub mod web;
pub mod workdays;

use crate::cli::{Cli, Command};
use crate::context::Ctx;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Completions(args) = &cli.command {
        // Needs no date, data dir or language.
        return args.run();
    }
    let ctx = Ctx::from_args(&cli.global)?;
    match &cli.command {
        Command::Add(args) => args.run(&ctx),
        Command::List(args) => args.run(&ctx),
        Command::Show(args) => args.run(&ctx),
        Command::Edit(args) => args.run(&ctx),
        Command::Rm(args) => args.run(&ctx),
        Command::Renewals(args) => args.run(&ctx),
        Command::Summary(args) => args.run(&ctx),
        Command::Demo(args) => args.run(&ctx),
        Command::Check(args) => args.run(&ctx),
        Command::Scan(args) => args.run(&ctx),
        Command::Terms(args) => args.run(&ctx),
        Command::Import(args) => args.run(&ctx),
        Command::Streams(args) => args.run(&ctx),
        Command::Policy(args) => args.run(&ctx),
        Command::Workdays(args) => args.run(&ctx),
        Command::Case(args) => args.run(&ctx),
        Command::Evidence(args) => args.run(&ctx),
        Command::Vault(args) => args.run(&ctx),
        Command::Dossier(args) => args.run(&ctx),
        Command::Due(args) => args.run(&ctx),
        Command::Backup(args) => args.run(&ctx),
        Command::Export(args) => args.run(&ctx),
        Command::Reminders(args) => args.run(&ctx),
        Command::Member(args) => args.run(&ctx),
        Command::Split(args) => args.run(&ctx),
        Command::ImportFrom(args) => args.run(&ctx),
        Command::Restore(args) => args.run(&ctx),
        Command::Completions(_) => unreachable!("handled above"),
        Command::Serve(_) | Command::Remind(_) | Command::User(_) => {
            Err(crate::error::UserError::failure(
                "serve, remind and user are run by the tuiding binary",
            ))
        }
    }
}
