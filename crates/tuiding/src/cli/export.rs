//! `tuiding export --format json|csv|ics`: the whole ledger in open formats.

use std::path::PathBuf;
use tuiding_app::export::{self, Format as ExportFormat};

use clap::{Args, ValueEnum};
use tuiding_app::error::UserError;
use tuiding_core::Lang;

use super::Term;

/// Export the ledger.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding export --format json --out 账本.json\n  tuiding export --format csv --out 会员.csv       # Excel 可直接打开 / opens in Excel\n  tuiding export --format csv --no-bom | mlr --icsv --ojson cat\n  tuiding export ics --out 会员.ics     # 日历 / the calendar\n  tuiding backup 备份.zip        # 连同证据的完整备份 / everything, evidence included"
)]
pub struct ExportArgs {
    /// 格式，也可直接写在命令后：`tuiding export ics` / The format, also as a word: `tuiding export ics`
    #[arg(value_enum, value_name = "FORMAT", conflicts_with = "format")]
    pub format_word: Option<Format>,
    /// 格式 / Format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// 输出文件（默认标准输出）/ File to write [default: standard output]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// CSV 不加 BOM（给脚本读）/ CSV without the byte-order mark (for scripts). By default
    /// the CSV starts with one, so Excel and WPS on Chinese Windows read it as UTF-8
    #[arg(long)]
    pub no_bom: bool,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 全部数据 / Everything: memberships, policies, cases
    Json,
    /// 每个会员一行 / One row per membership
    Csv,
    /// 日历（RFC 5545）：续费、最后安全退订日、退款到期日 / Calendar: renewals, last safe cancel days, refund due dates
    Ics,
}

impl From<Format> for ExportFormat {
    fn from(f: Format) -> ExportFormat {
        match f {
            Format::Json => ExportFormat::Json,
            Format::Csv => ExportFormat::Csv,
            Format::Ics => ExportFormat::Ics,
        }
    }
}

impl ExportArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let format = self.format_word.unwrap_or(self.format);
        let export = export::export(ctx, format.into(), !self.no_bom)?;
        match &self.out {
            None => {
                use std::io::Write;
                let mut stdout = std::io::stdout().lock();
                stdout
                    .write_all(&export.bytes)
                    .and_then(|()| stdout.flush())
                    .or_else(|e| {
                        if e.kind() == std::io::ErrorKind::BrokenPipe {
                            Ok(())
                        } else {
                            Err(e)
                        }
                    })?;
                Ok(())
            }
            Some(path) => {
                tuiding_app::text::write_atomic(path, &export.bytes)
                    .map_err(|e| UserError::failure(format!("{}: {e}", path.display())))?;
                // stdout stays clean for --json; the confirmation goes to stderr.
                eprintln!(
                    "{}",
                    match ctx.lang {
                        Lang::Zh =>
                            format!("已导出 {} 个会员到 {}", export.memberships, path.display()),
                        Lang::En => format!(
                            "Exported {} memberships to {}",
                            export.memberships,
                            path.display()
                        ),
                    }
                );
                Ok(())
            }
        }
    }
}
