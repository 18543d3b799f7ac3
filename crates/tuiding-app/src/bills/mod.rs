//! Bills: reading exports and finding their recurring charges ([`scan`]), the streams in
//! everything imported ([`streams`]), and storing exports idempotently (`tuiding import`, the import page, `POST
//! /api/v1/imports`).

pub mod scan;
pub mod streams;

use crate::bills::scan::read_exports;
use crate::context::{Backend, Ctx};
use crate::error::Localize;
use crate::text::InputFile;
use serde::Serialize;
use std::path::PathBuf;
use tuiding_store::BillImport;
use tuiding_store::prelude::*;

/// What one imported file held.
#[derive(Debug, Serialize)]
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

/// Stores bill exports, each under a label (its file name); every file is read and
/// checked before anything is written, and re-importing adds nothing twice.
pub fn import(
    ctx: &Ctx<impl Backend>,
    files: &[InputFile],
    mapping: &[PathBuf],
) -> anyhow::Result<Vec<FileSummary>> {
    let exports = read_exports(ctx, files, mapping)?;
    let mut store = ctx.open_store()?;
    let total: usize = exports.iter().map(|e| e.transactions.len()).sum();
    let reporter = ctx.reporter();
    reporter.start(total as u64, ctx.t("导入", "importing"));
    let tick = || reporter.advance(1);
    let mut summaries = Vec::new();
    for (file, export) in files.iter().zip(&exports) {
        let file = file.name().to_string();
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
    reporter.finish();
    Ok(summaries)
}
