//! # tuiding (退订)
//!
//! The command-line app: parses flags with clap and hands them to `tuiding-app`, which
//! validates them, does the work and prints text (zh-CN first) or JSON; `serve` and
//! `remind` go to `tuiding-web`. This is the **only** place errors are printed: exit 0 ok,
//! 1 failure, 2 usage.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use tuiding_app::cli::{Cli, Command};
use tuiding_app::error::{self, UserError};
use tuiding_app::{cmd, context};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = context::resolve_lang(cli.global.lang.as_deref());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = std::io::stdout().flush();
            let label = lang.pick("错误", "error");
            eprintln!("{label}: {}", error::render(&err));
            match err.downcast_ref::<UserError>() {
                Some(e) if e.is_usage() => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}

/// `serve`, `remind` and `user` belong to the web crate; everything else to the app.
fn run(cli: Cli) -> anyhow::Result<()> {
    let web = matches!(
        cli.command,
        Command::Serve(_) | Command::Remind(_) | Command::User(_)
    );
    if !web {
        return cmd::run(cli);
    }
    let ctx = context::Ctx::from_args(&cli.global)?;
    match &cli.command {
        Command::Serve(args) => {
            let fixed_today = cli.global.today.is_some().then_some(ctx.today);
            tuiding_web::serve(&ctx, args, fixed_today)
        }
        Command::Remind(args) => tuiding_web::remind_command(&ctx, args),
        Command::User(args) => tuiding_web::user_command(&ctx, args),
        _ => unreachable!("only the web commands reach here"),
    }
}

/// Output piped into `head` that stops reading is not a failure (as in ripgrep).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
