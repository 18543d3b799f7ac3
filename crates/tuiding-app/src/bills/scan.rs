//! `tuiding scan FILE...`: recurring charges in bill exports, without storing anything.

use jiff::civil::Date;
use serde::Serialize;
use std::path::PathBuf;
use tuiding_bills::{Export, Transaction, detect_streams, parse_reader_with};
pub use tuiding_bills::{Kind, Stream, StreamStatus};
use tuiding_core::Lang;

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};
use crate::text::InputFile;

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
    ctx: &Ctx<impl Backend>,
    files: &[InputFile],
    mappings: &[PathBuf],
) -> anyhow::Result<Vec<Export>> {
    let banks = ctx.bank_mappings(mappings)?;
    files
        .iter()
        .map(|file| match file {
            InputFile::Path { path, name } => {
                let reader = std::fs::File::open(path).map_err(|e| {
                    UserError::failure(match ctx.lang {
                        Lang::Zh => format!("无法读取 {name}：{e}"),
                        Lang::En => format!("cannot read {name}: {e}"),
                    })
                })?;
                let expected_rows = reader.metadata().map_or(0, |m| m.len() as usize / 200);
                parse_reader_with(name, reader, expected_rows, &banks).localize(ctx.lang)
            }
            InputFile::Bytes { name, bytes } => {
                let expected_rows = bytes.len() / 200;
                parse_reader_with(name, std::io::Cursor::new(bytes), expected_rows, &banks)
                    .localize(ctx.lang)
            }
        })
        .collect()
}

/// Files named by their paths, as the CLI gives them.
pub fn named(paths: &[PathBuf]) -> Vec<InputFile> {
    paths.iter().map(|p| InputFile::path(p)).collect()
}

/// What a scan found, with what the text needs: the streams and the day they were seen
/// from.
pub struct Scan {
    pub report: ScanReport,
    pub streams: Vec<Stream>,
    pub as_of: Date,
    /// Every transaction read (a million rows: the caller decides how to free them).
    pub transactions: Vec<Transaction>,
}

/// Reads bill exports and finds their recurring charges and duplicates, storing nothing
/// (`tuiding scan`).
pub fn scan(
    ctx: &Ctx<impl Backend>,
    files: &[InputFile],
    mappings: &[PathBuf],
) -> anyhow::Result<Scan> {
    let exports = read_exports(ctx, files, mappings)?;
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
    Ok(Scan {
        report,
        streams,
        as_of,
        transactions,
    })
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
