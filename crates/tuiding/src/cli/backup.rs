//! `tuiding backup FILE.zip` and `tuiding restore FILE.zip`.

use std::path::PathBuf;
use tuiding_app::backup;

use clap::Args;
use tuiding_core::Lang;

use super::{Term, output};

/// Back up the data directory.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding backup 退订备份-2026-11-26.zip\n  tuiding restore 退订备份-2026-11-26.zip"
)]
pub struct BackupArgs {
    /// 备份文件 / The archive to write
    #[arg(value_name = "FILE.zip")]
    pub file: PathBuf,
}

/// Restore the data directory from a backup.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding restore 退订备份-2026-11-26.zip\n  tuiding --data-dir ./新目录 restore 退订备份.zip --json"
)]
pub struct RestoreArgs {
    /// 备份文件 / The archive to read
    #[arg(value_name = "FILE.zip")]
    pub file: PathBuf,
}

impl BackupArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let view = backup::backup(ctx, &self.file)?;
        if ctx.json {
            return output::print_json(&view);
        }
        output::line(match ctx.lang {
            Lang::Zh => format!(
                "已备份到 {}：{} 个文件，共 {} 字节（含 {} 份证据）。恢复：tuiding restore {}",
                view.file, view.files, view.bytes, view.evidence_objects, view.file
            ),
            Lang::En => format!(
                "Backed up to {}: {} files, {} bytes ({} evidence files). Restore with: tuiding restore {}",
                view.file, view.files, view.bytes, view.evidence_objects, view.file
            ),
        })
    }
}

impl RestoreArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let view = backup::restore(ctx, &self.file)?;
        if ctx.json {
            return output::print_json(&view);
        }
        let mut text = match lang {
            Lang::Zh => format!(
                "已从 {} 恢复 {} 个文件到 {}（摘要、数据库和证据库均已校验）。",
                view.file, view.files, view.data_dir
            ),
            Lang::En => format!(
                "Restored {} files from {} into {} (digests, database and vault checked).",
                view.files, view.file, view.data_dir
            ),
        };
        if let Some(p) = &view.previous_data_dir {
            text.push_str(&match lang {
                Lang::Zh => format!("\n原来的数据保留在 {p}"),
                Lang::En => format!("\nThe previous data is kept in {p}"),
            });
        }
        output::line(text)
    }
}
