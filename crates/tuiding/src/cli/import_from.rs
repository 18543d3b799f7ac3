//! `tuiding import-from wallos FILE`: move from Wallos without losing anything.

use std::path::PathBuf;
use tuiding_app::wallos;

use clap::{Args, ValueEnum};
use tuiding_app::error::UserError;
use tuiding_core::Lang;

use super::{Term, output};

/// Import from another tracker.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding import-from wallos subscriptions.json\n  tuiding import-from wallos subscriptions.csv --dry-run --json"
)]
pub struct ImportFromArgs {
    /// 来源 / Where the export comes from
    #[arg(value_enum)]
    pub source: Source,
    /// 导出文件（JSON 或 CSV）/ The export (JSON or CSV)
    pub file: PathBuf,
    /// 只显示将导入什么，不写入 / Show what would be imported; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Trackers tuiding reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// Wallos (https://github.com/ellite/Wallos): Settings → Export
    Wallos,
}

impl ImportFromArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let name = self.file.display().to_string();
        let bytes =
            std::fs::read(&self.file).map_err(|e| UserError::failure(format!("{name}: {e}")))?;
        let report = match self.source {
            Source::Wallos => wallos::import_wallos(ctx, &name, &bytes, self.dry_run)?,
        };
        if ctx.json {
            return output::print_json(&report);
        }
        let mut lines = vec![match (lang, self.dry_run) {
            (Lang::Zh, false) => format!(
                "从 Wallos 导入了 {} 个会员，跳过 {} 条。",
                report.imported.len(),
                report.skipped.len()
            ),
            (Lang::Zh, true) => format!(
                "试运行：将导入 {} 个会员，跳过 {} 条（未写入）。",
                report.imported.len(),
                report.skipped.len()
            ),
            (Lang::En, false) => format!(
                "Imported {} memberships from Wallos; skipped {}.",
                report.imported.len(),
                report.skipped.len()
            ),
            (Lang::En, true) => format!(
                "Dry run: would import {} memberships and skip {} (nothing written).",
                report.imported.len(),
                report.skipped.len()
            ),
        }];
        for i in &report.imported {
            let id = i.id.map(|id| format!(" → #{id}")).unwrap_or_default();
            lines.push(match lang {
                Lang::Zh => format!(
                    "  ✓ 第 {} 条 {} {} {}{id}",
                    i.line, i.platform, i.price, i.currency
                ),
                Lang::En => format!(
                    "  ✓ record {}: {} {} {}{id}",
                    i.line, i.platform, i.price, i.currency
                ),
            });
            for r in &i.remarks {
                lines.push(format!("      · {r}"));
            }
        }
        for s in &report.skipped {
            lines.push(match lang {
                Lang::Zh => format!("  ✗ 第 {} 条 {}：{}", s.line, s.name, s.reason),
                Lang::En => format!("  ✗ record {}: {}: {}", s.line, s.name, s.reason),
            });
        }
        output::line(lines.join("\n"))
    }
}
