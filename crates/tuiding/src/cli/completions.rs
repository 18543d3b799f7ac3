//! `tuiding completions SHELL`: shell completion scripts.

use crate::cli::Cli;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Print a completion script.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding completions bash > ~/.local/share/bash-completion/completions/tuiding\n  tuiding completions zsh > ~/.zfunc/_tuiding\n  tuiding completions fish > ~/.config/fish/completions/tuiding.fish"
)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    pub shell: Shell,
}

impl CompletionsArgs {
    pub fn run(&self) -> anyhow::Result<()> {
        let mut command = Cli::command();
        // Generated into memory: clap_complete panics when its writer fails, and a
        // closed pipe (`| head`) must end quietly.
        let mut script = Vec::new();
        clap_complete::generate(self.shell, &mut command, "tuiding", &mut script);
        std::io::Write::write_all(&mut std::io::stdout().lock(), &script)?;
        Ok(())
    }
}
