//! Crafted workbooks: a cell reference far beyond a sheet's last cell, a shared-string count
//! of 4,294,967,295, a part that inflates past its declared size. Each used to make calamine
//! ask for terabytes (the process aborted); each is now refused, quickly, with a message.

use std::io::{Cursor, Read, Write};

use tuiding_bills::parse_export;

const WECHAT: &[u8] = include_bytes!("layouts/wechat-2b.xlsx");

/// The workbook with `part` rewritten by `change`.
fn rewrite(part: &str, change: impl Fn(String) -> String) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(WECHAT)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut text = Vec::new();
        f.read_to_end(&mut text).unwrap();
        if name == part {
            text = change(String::from_utf8(text).unwrap()).into_bytes();
        }
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn refused(bytes: &[u8], says: &str) {
    let started = std::time::Instant::now();
    let err = parse_export("bill", bytes).unwrap_err();
    assert!(err.message.contains(says), "{err}");
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

#[test]
fn the_untouched_workbook_reads() {
    assert!(
        !parse_export("bill.xlsx", WECHAT)
            .unwrap()
            .transactions
            .is_empty()
    );
}

#[test]
fn a_cell_beyond_the_last_row_is_refused() {
    let far = rewrite("xl/worksheets/sheet1.xml", |xml| {
        xml.replacen(
            r#"<c r="A1" t="s">"#,
            r#"<c r="XFE99999999" t="s"><v>0</v></c><c r="A1" t="s">"#,
            1,
        )
    });
    refused(&far, "beyond a sheet's last row or column");
    let dimension = rewrite("xl/worksheets/sheet1.xml", |xml| {
        xml.replacen(
            r#"<dimension ref="A1:K31"/>"#,
            r#"<dimension ref="A1:XFE99999999"/>"#,
            1,
        )
    });
    refused(&dimension, "beyond a sheet's last row or column");
    let huge_box = rewrite("xl/worksheets/sheet1.xml", |xml| {
        xml.replacen(
            r#"<c r="A1" t="s">"#,
            r#"<c r="XFD1048576" t="s"><v>0</v></c><c r="A1" t="s">"#,
            1,
        )
    });
    refused(&huge_box, "span");
}

#[test]
fn a_huge_shared_string_count_is_refused() {
    let strings = rewrite("xl/sharedStrings.xml", |xml| {
        xml.replacen(
            r#"count="179" uniqueCount="112""#,
            r#"count="4294967295" uniqueCount="4294967295""#,
            1,
        )
    });
    refused(&strings, "strings in");
}

const XLS: &[u8] = include_bytes!("layouts/ccb-debit.xls");

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

#[test]
fn the_untouched_xls_reads() {
    assert!(
        !parse_export("bill.xls", XLS)
            .unwrap()
            .transactions
            .is_empty()
    );
}

/// The fuzzer's first finds: a directory chain that loops made calamine grow a vector
/// until the process aborted (4 GB, then 8.5 GB asked for).
#[test]
fn an_xls_whose_sector_chain_loops_is_refused() {
    let mut bytes = XLS.to_vec();
    let dir_start = u32_at(&bytes, 48) as usize;
    let fat_sector = u32_at(&bytes, 76) as usize;
    let entry = 512 + fat_sector * 512 + dir_start * 4;
    bytes[entry..entry + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
    refused(&bytes, "compound-file container is damaged");
}

/// A DIMENSIONS record of 4 billion rows: calamine reserves rows × columns cells first.
#[test]
fn an_xls_declaring_billions_of_cells_is_refused() {
    let mut bytes = XLS.to_vec();
    let at = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("a DIMENSIONS record");
    bytes[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    refused(&bytes, "declares");
}

/// The fuzzer's most frequent find (63 of 300,000 mutated bills): an XLS cut mid-sector
/// made calamine panic reading its sector table four bytes at a time.
#[test]
fn an_xls_cut_mid_sector_is_refused() {
    for cut in [1, 2, 3, 513] {
        refused(&XLS[..XLS.len() - cut], "damaged");
    }
}

/// One NUMBER cell moved to row and column 65535 while DIMENSIONS stays small: calamine
/// builds the sheet from its cells' positions (65536 × 65536 cells) and used to abort.
#[test]
fn an_xls_cell_far_away_is_refused() {
    let mut bytes = XLS.to_vec();
    // The first Number (0x0203) or LabelSst (0x00FD) record after the DIMENSIONS record.
    let dims = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .unwrap();
    let at = dims
        + bytes[dims..]
            .windows(2)
            .position(|w| w == [0xFD, 0x00] || w == [0x03, 0x02])
            .unwrap();
    bytes[at + 4..at + 8].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    refused(&bytes, "declares");
}

/// An XLSX whose shared strings sit in a part named in capitals, with single quotes: still
/// checked (calamine finds parts case-insensitively).
#[test]
fn a_shared_string_count_in_any_spelling_is_refused() {
    let mut src = zip::ZipArchive::new(Cursor::new(WECHAT)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let mut name = f.name().unwrap().to_string();
        let mut text = Vec::new();
        f.read_to_end(&mut text).unwrap();
        if name == "xl/sharedStrings.xml" {
            name = "XL/SHAREDSTRINGS.XML".into();
            text = String::from_utf8(text)
                .unwrap()
                .replacen(
                    r#"count="179" uniqueCount="112""#,
                    "count='179'\tuniqueCount='4294967295'",
                    1,
                )
                .into_bytes();
        }
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    refused(&out.finish().unwrap().into_inner(), "strings");
}
