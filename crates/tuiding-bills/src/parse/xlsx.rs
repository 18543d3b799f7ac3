//! Workbooks: WeChat Pay's XLSX bill (2025+), the banks' XLS (BIFF8: CCB, CITIC, SPDB) and
//! XLSX (CIB) statements, and any other layout the CSV reader knows, saved as a workbook.
//! The sheet holding the header row is found by content; rows go through the same row
//! readers as CSV, so the checks and errors are the same (the column of an error
//! is the cell's column).
//!
//! The 2026 WeChat layout stores amounts as numeric cells, i.e. binary floats such as
//! `548.58000000000004`: they are rounded to the fen once, here, as text — the only place a
//! float meets money, because the file itself holds one.

use std::io::Cursor;

use calamine::{Data, Reader};

use super::*;

/// The first bytes of an OLE2 compound file: a BIFF8 `.xls` workbook.
pub(super) const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

pub(super) fn parse(
    file: &str,
    bytes: Vec<u8>,
    expected_rows: usize,
    banks: &[BankMapping],
) -> Result<Export, BillError> {
    let kind = if bytes.starts_with(OLE_MAGIC) {
        "XLS"
    } else {
        "XLSX"
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        BillError::new(
            file,
            0,
            0,
            format!("not a readable {kind} workbook: {e}"),
            format!("不是可读的 {kind} 工作簿：{e}"),
        )
    };
    let limits = if kind == "XLSX" {
        super::xlsx_limits::check(&bytes)
    } else {
        super::xlsx_limits::check_cfb(&bytes)
    };
    {
        limits.map_err(|refusal| {
            BillError::new(
                file,
                0,
                0,
                format!("not a readable {kind} workbook: {}", refusal.en),
                format!("不是可读的 {kind} 工作簿：{}", refusal.zh),
            )
        })?;
    }
    // The reader for the kind checked above, never auto-detection: a file that fails as
    // one kind must not be read as another (XLSB, ODS) that was never checked.
    let mut workbook: calamine::Sheets<_> = if kind == "XLS" {
        calamine::Sheets::Xls(
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?,
        )
    } else {
        calamine::Sheets::Xlsx(
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?,
        )
    };
    let mut search = HeaderSearch::new(banks);
    for sheet in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| unreadable(&e))?;
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        let mut preamble: Vec<String> = Vec::new();
        let mut found = None;
        for (i, cells) in rows.iter().enumerate().take(HEADER_WITHIN) {
            let cells: Vec<String> = cells.iter().map(|c| clean(c).to_string()).collect();
            if let Some((format, bank)) = search.check(&cells, &preamble, first_row + i + 1) {
                found = Some((i, format, bank));
                break;
            }
            preamble.push(cells.join(" "));
        }
        let Some((header_at, format, bank)) = found else {
            continue;
        };
        let header: Vec<String> = rows[header_at]
            .iter()
            .map(|c| clean(c).to_string())
            .collect();
        let (period_start, period_end) = preamble_period(&preamble);
        let line_of = |i: usize| first_row + i + 1;
        let mut sink = match bank {
            Some(mapping) => Sink::Bank(BankRows::new(
                file,
                mapping,
                &header,
                line_of(header_at),
                expected_rows,
                &preamble,
            )?),
            None => Sink::Wallet(Rows::new(
                file,
                format,
                &header,
                line_of(header_at),
                expected_rows,
            )?),
        };
        let mut text = String::new();
        let mut bounds = Vec::new();
        for (i, cells) in rows.iter().enumerate().skip(header_at + 1) {
            text.clear();
            bounds.clear();
            for (k, cell) in cells.iter().enumerate() {
                if k > 0 {
                    text.push(',');
                }
                let start = text.len();
                // A comma inside a cell would shift the columns of an error message only.
                text.push_str(cell);
                bounds.push((start, text.len()));
            }
            if sink.push(
                Record {
                    text: &text,
                    bounds: &bounds,
                },
                &text,
                line_of(i),
            )? {
                break;
            }
        }
        let mut transactions = match sink {
            Sink::Wallet(rows) => rows.transactions,
            Sink::Bank(rows) => rows.transactions,
        };
        link_refunds(&mut transactions);
        let period_end = period_end.or_else(|| transactions.iter().map(|t| t.time.date()).max());
        return Ok(Export {
            format,
            encoding: kind,
            transactions,
            period_start,
            period_end,
            bank: bank.map(|b| b.name.clone()),
        });
    }
    Err(search.error(file))
}

/// A cell as the CSV reader would have seen it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Whole numbers (ids) stay whole; others are amounts: the fen, rounded once.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => format!("{f:.2}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_serial_to_text(d.as_f64()).unwrap_or_default(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD HH:MM:SS`.
fn excel_serial_to_text(serial: f64) -> Option<String> {
    if !serial.is_finite() {
        return None;
    }
    let days = serial.floor() as i64;
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    // A serial beyond any calendar is no date (`days.days()` would panic).
    let date = jiff::civil::date(1899, 12, 30)
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()?;
    Some(format!(
        "{date} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    ))
}
