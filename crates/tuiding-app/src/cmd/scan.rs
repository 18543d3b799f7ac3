//! `tuiding scan FILE...`: recurring charges in bill exports, without storing anything.

use std::path::PathBuf;

use clap::Args;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_bills::{Export, Stream, Transaction, detect_streams, parse_reader_with};
use tuiding_core::Lang;

use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::output::{self, Align, Cell, Table};

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding scan 支付宝交易明细.csv
  tuiding scan alipay.csv wechat.csv --json
  
  tuiding scan 招行流水.csv --mapping my-bank.toml

支持 / Reads: Alipay (app 2023+ and 2021–2023, PC web; GBK), WeChat Pay (CSV, XLSX), JD 京东,
Meituan 美团, and bank statements (CMB, ICBC, CCB XLS, BOCOM, BOC, ABC, CGB, CITIC XLS, SPDB XLS,
CIB XLSX, HSBC HK; more in banks/ in the data dir or with --mapping). The layout is recognised
from the content; extra charges in one period are listed under duplicate_charges.
Nothing is stored: use `tuiding import` for that.";

/// Scan bill exports.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ScanArgs {
    /// 账单文件 / Export files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// 银行对账单的列映射 / A bank statement column mapping (TOML; see docs/bills.md)
    #[arg(long, value_name = "FILE")]
    pub mapping: Vec<PathBuf>,
}

/// The JSON contract of DESIGN.md.
#[derive(Debug, Serialize)]
pub struct ScanReport {
    pub transactions_read: usize,
    pub streams: Vec<StreamView>,
    /// Extra charges within one period of a stream: money to claim back.
    pub duplicate_charges: Vec<DuplicateView>,
}

/// One extra charge.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateView {
    /// The stream's id.
    pub stream: String,
    pub date: Date,
    pub time: String,
    pub amount: String,
    pub currency: &'static str,
    /// The charge's order number as the export wrote it.
    pub order: String,
    #[serde(skip)]
    pub merchant: String,
    #[serde(skip)]
    pub display: String,
}

/// The extra charges of streams.
pub fn duplicate_charges(streams: &[Stream], transactions: &[Transaction]) -> Vec<DuplicateView> {
    streams
        .iter()
        .flat_map(|s| {
            s.duplicates.iter().map(move |&i| {
                let t = &transactions[i];
                DuplicateView {
                    stream: s.id.clone(),
                    date: t.time.date(),
                    time: t.time.time().to_string(),
                    amount: t.amount.amount_string(),
                    currency: t.amount.currency().code(),
                    order: t.source_id.to_string(),
                    merchant: s.merchant.clone(),
                    display: t.amount.to_string(),
                }
            })
        })
        .collect()
}

/// One stream, as the contract spells it.
#[derive(Debug, Serialize)]
pub struct StreamView {
    /// Stable: derived from the merchant, the item and the frequency.
    pub id: String,
    pub merchant: String,
    pub description: String,
    pub frequency: &'static str,
    pub kind: &'static str,
    pub average_amount: String,
    pub last_amount: String,
    pub currency: &'static str,
    pub first_date: Date,
    pub last_date: Date,
    pub next_date: Option<Date>,
    pub status: &'static str,
    pub confidence: f64,
    pub transactions: Vec<String>,
    /// The last amount as people read it (`¥25.00`).
    #[serde(skip)]
    pub last_display: String,
}

impl StreamView {
    pub fn new(s: &Stream, transactions: &[Transaction]) -> StreamView {
        StreamView {
            id: s.id.clone(),
            merchant: s.merchant.clone(),
            description: s.description.clone(),
            frequency: s.frequency.as_str(),
            kind: s.kind.as_str(),
            average_amount: s.average_amount.amount_string(),
            last_amount: s.last_amount.amount_string(),
            currency: s.last_amount.currency().code(),
            first_date: s.first_date,
            last_date: s.last_date,
            next_date: s.next_date,
            status: s.status.as_str(),
            confidence: s.confidence,
            transactions: s
                .transactions
                .iter()
                .map(|&i| transactions[i].source_id.to_string())
                .collect(),
            last_display: s.last_amount.to_string(),
        }
    }
}

/// Reads every file; the first malformed one fails the command (nothing half-read).
/// Each file is named in messages by its given name (the user's own name of an upload,
/// never a server's temporary path).
pub fn read_exports(
    ctx: &Ctx,
    files: &[(PathBuf, String)],
    mappings: &[PathBuf],
) -> anyhow::Result<Vec<Export>> {
    let banks = ctx.bank_mappings(mappings)?;
    files
        .iter()
        .map(|(path, name)| {
            let file = std::fs::File::open(path).map_err(|e| {
                UserError::failure(match ctx.lang {
                    Lang::Zh => format!("无法读取 {name}：{e}"),
                    Lang::En => format!("cannot read {name}: {e}"),
                })
            })?;
            let expected_rows = file.metadata().map_or(0, |m| m.len() as usize / 200);
            parse_reader_with(name, file, expected_rows, &banks).localize(ctx.lang)
        })
        .collect()
}

/// Files named by their paths, as the CLI gives them.
pub fn named(paths: &[PathBuf]) -> Vec<(PathBuf, String)> {
    paths
        .iter()
        .map(|p| (p.clone(), p.display().to_string()))
        .collect()
}

impl ScanArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let exports = read_exports(ctx, &named(&self.files), &self.mapping)?;
        let as_of = exports
            .iter()
            .filter_map(|e| e.period_end)
            .max()
            .unwrap_or(ctx.today);
        let transactions = concat(exports);
        let streams = detect_streams(&transactions, as_of);
        let report = ScanReport {
            transactions_read: transactions.len(),
            streams: streams
                .iter()
                .map(|s| StreamView::new(s, &transactions))
                .collect(),
            duplicate_charges: duplicate_charges(&streams, &transactions),
        };
        let printed = if ctx.json {
            output::print_json(&report)
        } else {
            output::line(render(ctx, &streams, &report, as_of))
        };
        // The process ends right after this command: freeing a million rows one by one
        // would only delay the exit (the operating system reclaims the memory at once).
        std::mem::forget(transactions);
        printed
    }
}

/// All exports' transactions in one list, moving rather than copying: a single export's
/// list is used as it is (a million rows must not be held twice).
pub fn concat(exports: Vec<Export>) -> Vec<Transaction> {
    let total: usize = exports.iter().map(|e| e.transactions.len()).sum();
    let mut exports = exports.into_iter();
    let Some(first) = exports.next() else {
        return Vec::new();
    };
    let mut all = first.transactions;
    all.reserve_exact(total - all.len());
    for export in exports {
        all.extend(export.transactions);
    }
    all
}

/// A frequency in words.
pub fn frequency_label(frequency: &str, lang: Lang) -> &'static str {
    match frequency {
        "weekly" => lang.pick("每周", "weekly"),
        "biweekly" => lang.pick("每两周", "biweekly"),
        "monthly" => lang.pick("每月", "monthly"),
        "quarterly" => lang.pick("每季", "quarterly"),
        "semiannual" => lang.pick("每半年", "semiannual"),
        "yearly" => lang.pick("每年", "yearly"),
        _ => lang.pick("不定期", "irregular"),
    }
}

fn render(ctx: &Ctx, streams: &[Stream], report: &ScanReport, as_of: Date) -> String {
    let lang = ctx.lang;
    let mut out = match lang {
        Lang::Zh => format!(
            "读取 {} 笔交易，截至 {as_of} 发现 {} 个周期扣费：\n",
            report.transactions_read,
            streams.len()
        ),
        Lang::En => format!(
            "Read {} transactions; {} recurring streams as of {as_of}:\n",
            report.transactions_read,
            streams.len()
        ),
    };
    let mut table = Table::new(
        &[
            lang.pick("商户", "merchant"),
            lang.pick("项目", "item"),
            lang.pick("周期", "every"),
            lang.pick("类型", "kind"),
            lang.pick("最近金额", "last"),
            lang.pick("次数", "charges"),
            lang.pick("最近扣费", "last date"),
            lang.pick("下次", "next"),
            lang.pick("状态", "status"),
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
        ],
    );
    for s in streams {
        let active = s.status == tuiding_bills::StreamStatus::Active;
        let dim = (!active).then_some(output::DIM);
        let kind = match s.kind {
            tuiding_bills::Kind::Subscription => lang.pick("订阅", "subscription"),
            tuiding_bills::Kind::Bill => lang.pick("账单", "bill"),
            tuiding_bills::Kind::Transfer => lang.pick("转账", "transfer"),
            tuiding_bills::Kind::Other => lang.pick("其他", "other"),
        };
        table.row(vec![
            Cell::styled(s.merchant.clone(), dim),
            Cell::styled(s.description.clone(), dim),
            Cell::styled(frequency_label(s.frequency.as_str(), lang), dim),
            Cell::styled(kind, dim),
            Cell::styled(s.last_amount.to_string(), dim),
            Cell::styled(s.transactions.len().to_string(), dim),
            Cell::styled(s.last_date.to_string(), dim),
            Cell::styled(
                s.next_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into()),
                dim,
            ),
            Cell::styled(
                if active {
                    lang.pick("扣费中", "active")
                } else {
                    lang.pick("已停止", "ended")
                },
                dim,
            ),
        ]);
    }
    out.push_str(table.render(ctx.color).trim_end());
    out.push_str(&duplicates_text(ctx, &report.duplicate_charges));
    out
}

/// The extra charges, as lines to print after a listing (empty when there are none).
pub fn duplicates_text(ctx: &Ctx, duplicates: &[DuplicateView]) -> String {
    if duplicates.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n\n{}",
        output::paint(
            ctx.t(
                "⚠ 重复扣费（同一周期扣了两次，可以要求退回）：",
                "⚠ Charged twice in one period (ask for it back):"
            ),
            Some(output::RED),
            ctx.color
        )
    );
    for d in duplicates {
        out.push_str(&match ctx.lang {
            Lang::Zh => format!(
                "\n  {} {} {} {}，订单号 {}（周期扣费 {}）",
                d.date, d.time, d.merchant, d.display, d.order, d.stream
            ),
            Lang::En => format!(
                "\n  {} {} {} {}, order {} (stream {})",
                d.date, d.time, d.merchant, d.display, d.order, d.stream
            ),
        });
    }
    out
}
