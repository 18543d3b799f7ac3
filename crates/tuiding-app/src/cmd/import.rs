//! `tuiding import FILE...`: store bill exports, idempotently.

use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tuiding_core::Lang;
use tuiding_store::{BillImport, Store};

use crate::cmd::scan::read_exports;
use crate::context::Ctx;
use crate::error::Localize;
use crate::output;

/// Import bill exports.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding import 支付宝交易明细.csv 微信支付账单.csv\n  tuiding import *.csv --json\n  tuiding streams                 # 然后看周期扣费 / then see the recurring streams\n\n同一份或有重叠的账单重复导入不会重复记账。/ Re-importing the same or an overlapping export adds nothing twice."
)]
pub struct ImportArgs {
    /// 账单文件 / Export files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// 银行对账单的列映射 / A bank statement column mapping (TOML; see docs/bills.md)
    #[arg(long, value_name = "FILE")]
    pub mapping: Vec<PathBuf>,
}

/// What one imported file held.
#[derive(Serialize)]
pub struct FileSummary {
    pub file: String,
    pub format: &'static str,
    /// The bank mapping used, for statements.
    pub bank: Option<String>,
    pub encoding: &'static str,
    pub read: usize,
    pub added: usize,
    pub period_start: Option<jiff::civil::Date>,
    pub period_end: Option<jiff::civil::Date>,
}

impl ImportArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let files: Vec<(PathBuf, String)> = self
            .files
            .iter()
            .map(|p| (p.clone(), p.display().to_string()))
            .collect();
        let summaries = import(ctx, &files, &self.mapping)?;
        if ctx.json {
            return output::print_json(&summaries);
        }
        let mut lines = Vec::new();
        for s in &summaries {
            let format = s.bank.as_deref().unwrap_or(s.format);
            let period = match (s.period_start, s.period_end) {
                (Some(a), Some(b)) => format!("{a} ~ {b}"),
                (_, Some(b)) => format!("~ {b}"),
                _ => String::new(),
            };
            lines.push(match ctx.lang {
                Lang::Zh => format!(
                    "{}（{}，{}）{period}：读取 {} 笔，新增 {} 笔，已有 {} 笔",
                    s.file,
                    format,
                    s.encoding,
                    s.read,
                    s.added,
                    s.read - s.added
                ),
                Lang::En => format!(
                    "{} ({}, {}) {period}: read {}, added {}, already stored {}",
                    s.file,
                    format,
                    s.encoding,
                    s.read,
                    s.added,
                    s.read - s.added
                ),
            });
        }
        lines.push(
            ctx.t(
                "用 `tuiding streams` 查看识别出的周期扣费。",
                "Run `tuiding streams` to see the recurring charges found.",
            )
            .to_string(),
        );
        output::line(lines.join("\n"))
    }
}

/// Stores bill exports, each under a label (its file name); every file is read and
/// checked before anything is written, and re-importing adds nothing twice.
pub fn import(
    ctx: &Ctx,
    files: &[(PathBuf, String)],
    mapping: &[PathBuf],
) -> anyhow::Result<Vec<FileSummary>> {
    let exports = read_exports(ctx, files, mapping)?;
    let mut store = ctx.open_store()?;
    let total: usize = exports.iter().map(|e| e.transactions.len()).sum();
    let bar = if ctx.json {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(total as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let tick = || bar.inc(1);
    let mut summaries = Vec::new();
    for ((_, file), export) in files.iter().zip(&exports) {
        let file = file.clone();
        bar.set_message(file.clone());
        let counts = store
            .import_bills(&BillImport {
                file: &file,
                format: export.format.label(),
                transactions: &export.transactions,
                period_start: export.period_start,
                period_end: export.period_end,
                progress: Some(&tick),
            })
            .localize(ctx.lang)?;
        summaries.push(FileSummary {
            file,
            format: export.format.label(),
            bank: export.bank.clone(),
            encoding: export.encoding,
            read: counts.read,
            added: counts.added,
            period_start: export.period_start,
            period_end: export.period_end,
        });
    }
    bar.finish_and_clear();
    Ok(summaries)
}
