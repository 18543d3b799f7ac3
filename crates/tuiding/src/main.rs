//! # tuiding (退订)
//!
//! The command-line app: `cli` parses the flags (clap), runs each command's operation in
//! `tuiding-app` and prints the result as text (zh-CN first) or JSON; `serve` runs the web
//! app of `tuiding-web`. This is the **only** place errors are printed: exit 0 ok, 1
//! failure, 2 usage.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use tuiding_app::error::{self, UserError};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let lang = cli::resolve_lang(cli.global.lang.as_deref());
    match cli::run(cli) {
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
