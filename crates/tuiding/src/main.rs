//! # tuiding (退订)
//!
//! The command-line app: parses flags with clap, turns them into validated domain
//! values, calls `tuiding-core` and `tuiding-store`, and prints text (zh-CN first) or
//! JSON. It reads the clock once ([`clock`]) and reports every error in one place
//! ([`main`]): exit 0 ok, 1 failure, 2 usage.

mod cli;
mod clock;
mod cmd;
mod context;
mod error;
mod input;
mod output;
mod prompt;
mod view;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::error::UserError;

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
