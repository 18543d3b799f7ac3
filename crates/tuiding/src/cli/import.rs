//! `tuiding import FILE...`: store bill exports, idempotently.

use super::Term;
use super::output;
use clap::Args;
use std::path::PathBuf;
use tuiding_app::bills;
use tuiding_app::text::InputFile;
use tuiding_core::Lang;

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

impl ImportArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let files: Vec<InputFile> = self.files.iter().map(|p| InputFile::path(p)).collect();
        let summaries = bills::import(ctx, &files, &self.mapping)?;
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
