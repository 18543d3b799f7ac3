//! # tuiding (退订)
//!
//! The command-line app: parses flags with clap and hands them to `tuiding-app`, which
//! validates them, does the work and prints text (zh-CN first) or JSON; `serve` and
//! `remind` go to `tuiding-web`. This is the **only** place errors are printed: exit 0 ok,
//! 1 failure, 2 usage.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use tuiding_app::cli::Cli;
use tuiding_app::error::{self, UserError};
use tuiding_app::{cmd, context};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = context::resolve_lang(cli.global.lang.as_deref());
    match cmd::run(cli) {
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

/// Output piped into `head` that stops reading is not a failure (as in ripgrep).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
