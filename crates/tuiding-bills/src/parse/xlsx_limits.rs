//! Limits checked on an XLSX workbook before calamine reads it. calamine sizes its buffers
//! from what the file declares (a sheet's cell references, the shared-string count), so a
//! crafted file (one cell at `XFE99999999`, a count of 4,294,967,295) would make it ask for
//! terabytes and abort the process. The zip is read here first, streaming: entry count and
//! sizes (declared and real), the shared-string count, and every cell reference of every
//! sheet, so the area calamine will allocate is known to be bounded.

use std::io::{Cursor, Read};

use memchr::memmem;

/// The most zip entries a workbook may hold.
const MAX_ENTRIES: usize = 10_000;
/// The most bytes one entry may inflate to.
const MAX_ENTRY_BYTES: u64 = 512 << 20;
/// The most bytes all entries together may inflate to.
const MAX_TOTAL_BYTES: u64 = 1 << 30;
/// The most cells of a sheet's bounding box (a 500,000-row statement of 20 columns).
pub(super) const MAX_CELLS: u64 = 10_000_000;
/// The most shared strings.
const MAX_SHARED_STRINGS: u64 = 10_000_000;
/// Excel's own limits.
const MAX_ROW: u64 = 1_048_576;
const MAX_COLUMN: u64 = 16_384;

/// What is wrong with a workbook, in English and Chinese.
pub(super) struct Refusal {
    pub(super) en: String,
    pub(super) zh: String,
}

fn refuse(en: String, zh: String) -> Refusal {
    Refusal { en, zh }
}

/// Checks the workbook's zip; `Ok` when calamine can read it within bounded memory.
/// A file that is not a zip at all is left to calamine to report.
pub(super) fn check(bytes: &[u8]) -> Result<(), Refusal> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.len() > MAX_ENTRIES {
        return Err(refuse(
            format!("{} parts: more than a workbook has", zip.len()),
            format!("有 {} 个部件，不像是账单工作簿", zip.len()),
        ));
    }
    let mut total = 0_u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().unwrap_or_default().to_string();
        let declared = entry.size();
        if declared > MAX_ENTRY_BYTES {
            return Err(too_large(&name, declared));
        }
        total = total.saturating_add(declared);
        if total > MAX_TOTAL_BYTES {
            return Err(too_large("the workbook", total));
        }
        let is_sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        let is_strings = name == "xl/sharedStrings.xml";
        if !is_sheet && !is_strings {
            continue;
        }
        let mut xml = Vec::with_capacity(usize::try_from(declared).unwrap_or(0).min(1 << 24));
        let read = entry
            .take(declared + 1)
            .read_to_end(&mut xml)
            .map_err(|e| refuse(format!("{name}: {e}"), format!("{name}：{e}")))?;
        if read as u64 != declared {
            return Err(refuse(
                format!("{name} inflates to {read} bytes where the zip declares {declared}"),
                format!("{name} 解压后 {read} 字节，与声明的 {declared} 字节不符"),
            ));
        }
        if is_strings {
            check_shared_strings(&xml)?;
        } else {
            check_sheet(&name, &xml)?;
        }
    }
    Ok(())
}

fn too_large(name: &str, bytes: u64) -> Refusal {
    refuse(
        format!("{name} inflates to {bytes} bytes: more than a bill holds"),
        format!("{name} 解压后有 {bytes} 字节，超出账单的合理大小"),
    )
}

/// `count` and `uniqueCount` of `<sst>`: bounded, and no more than the strings the
/// part's bytes could hold (each takes at least `<si/>`, 5 bytes).
fn check_shared_strings(xml: &[u8]) -> Result<(), Refusal> {
    let head = &xml[..xml.len().min(4096)];
    let possible = (xml.len() as u64 / 5).max(1);
    for attr in [&b" count=\""[..], b" uniqueCount=\""] {
        if let Some(n) = attribute_number(head, attr)
            && (n > MAX_SHARED_STRINGS || n > possible)
        {
            return Err(refuse(
                format!(
                    "the shared-string table declares {n} strings in {} bytes",
                    xml.len()
                ),
                format!("共享字符串表声明了 {n} 个字符串，而只有 {} 字节", xml.len()),
            ));
        }
    }
    Ok(())
}

/// The number in `attr"N"` (attr given with its opening quote).
fn attribute_number(xml: &[u8], attr: &[u8]) -> Option<u64> {
    let at = memmem::find(xml, attr)? + attr.len();
    let digits = xml[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&xml[at..at + digits])
        .ok()?
        .parse()
        .ok()
}

/// Every `r="…"` of the sheet (rows `r="12"`, cells `r="B12"`, the `<dimension ref>`):
/// within Excel's limits, and a bounding box of at most [`MAX_CELLS`].
fn check_sheet(name: &str, xml: &[u8]) -> Result<(), Refusal> {
    let (mut min_row, mut max_row, mut min_col, mut max_col) = (u64::MAX, 0, u64::MAX, 0);
    let refs = memmem::find_iter(xml, b" r=\"").chain(memmem::find_iter(xml, b" ref=\""));
    for at in refs {
        let start = at + if xml[at + 2] == b'=' { 4 } else { 6 };
        let end = start + xml[start..].iter().take_while(|b| **b != b'"').count();
        for reference in xml[start..end].split(|b| *b == b':') {
            let Some((col, row)) = cell_reference(reference) else {
                continue;
            };
            if row > MAX_ROW || col > MAX_COLUMN {
                let shown = String::from_utf8_lossy(&reference[..reference.len().min(20)]);
                return Err(refuse(
                    format!("{name}: cell {shown} is beyond a sheet's last row or column"),
                    format!("{name}：单元格 {shown} 超出工作表的最大行列"),
                ));
            }
            min_row = min_row.min(row);
            max_row = max_row.max(row);
            if col > 0 {
                min_col = min_col.min(col);
                max_col = max_col.max(col);
            }
        }
    }
    if max_row == 0 || max_col == 0 {
        return Ok(());
    }
    let cells = (max_row - min_row + 1).saturating_mul(max_col - min_col + 1);
    if cells > MAX_CELLS {
        return Err(refuse(
            format!("{name}: its cells span {cells} cells, more than {MAX_CELLS}"),
            format!("{name}：单元格范围有 {cells} 格，超过 {MAX_CELLS}"),
        ));
    }
    Ok(())
}

/// `B12` → (2, 12); `12` (a row) → (0, 12); anything else → `None`.
fn cell_reference(text: &[u8]) -> Option<(u64, u64)> {
    let letters = text.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let digits = &text[letters..];
    if digits.is_empty() || digits.len() > 12 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if letters > 4 {
        return Some((u64::MAX, 0));
    }
    let col = text[..letters]
        .iter()
        .fold(0_u64, |c, b| c * 26 + u64::from(b - b'A' + 1));
    let row = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((col, row))
}

/// An XLS (BIFF) workbook: every DIMENSIONS record (type 0x0200) found in the file must
/// span at most [`MAX_CELLS`] cells, computed as calamine does (it reserves that many cells
/// before reading any). Records are found by their header bytes in the file as stored; a
/// workbook stream is stored in order in the files Excel and banks write.
pub(super) fn check_xls(bytes: &[u8]) -> Result<(), Refusal> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([bytes[i], bytes[i + 1]]));
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    for at in memmem::find_iter(bytes, &[0x00, 0x02]) {
        if at + 4 > bytes.len() {
            break;
        }
        let len = u16_at(at + 2) as usize;
        let data = at + 4;
        if !matches!(len, 10 | 14 | 16) || data + len > bytes.len() {
            continue;
        }
        let (rf, rl, mut cf, cl) = if len == 10 {
            (
                u16_at(data),
                u16_at(data + 2),
                u16_at(data + 4),
                u16_at(data + 6),
            )
        } else {
            (
                u32_at(data),
                u32_at(data + 4),
                u16_at(data + 8),
                u16_at(data + 10),
            )
        };
        if 0xFF < cf || cl < cf {
            cf = 0;
        }
        let (end_row, end_col) = if rl >= 1 && cl >= 1 {
            (rl - 1, cl - 1)
        } else {
            (rf, cf)
        };
        let rows = u64::from(end_row.wrapping_sub(rf).wrapping_add(1));
        let cols = u64::from(end_col.wrapping_sub(cf).wrapping_add(1));
        let cells = rows.saturating_mul(cols);
        if cells > MAX_CELLS {
            return Err(refuse(
                format!("a sheet declares {cells} cells, more than {MAX_CELLS}"),
                format!("工作表声明了 {cells} 个单元格，超过 {MAX_CELLS}"),
            ));
        }
    }
    Ok(())
}

/// The sector chains of an XLS's compound file (CFB) container, walked as calamine will
/// walk them: a chain that loops or points outside the FAT made calamine grow one vector
/// until the process aborted (or index out of bounds). Every chain calamine reads (the
/// directory, the mini stream and mini FAT, each stream) must end, without a loop, inside
/// the file.
pub(super) fn check_cfb(bytes: &[u8]) -> Result<(), Refusal> {
    const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    let bad = |en: &str, zh: &str| {
        refuse(
            format!("its compound-file container is damaged ({en})"),
            format!("文件容器已损坏（{zh}）"),
        )
    };
    if bytes.len() < 512 {
        return Err(bad("shorter than its header", "比文件头还短"));
    }
    // calamine reads sector tables four bytes at a time and panics on a remainder: a
    // compound file is whole sectors, so a length that is not a multiple of 4 is a cut one.
    if bytes.len() % 4 != 0 {
        return Err(bad("cut off mid-sector", "在扇区中间被截断"));
    }
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let size: usize = match u16_at(bytes, 30) {
        9 => 512,
        12 => 4096,
        _ => return Ok(()), // calamine refuses it itself
    };
    let body = &bytes[size.min(bytes.len())..];
    let max_id = (bytes.len() / size) as u32;
    let sector = |id: u32| -> Result<&[u8], Refusal> {
        if id > max_id {
            return Err(bad("a sector past the end", "扇区超出文件末尾"));
        }
        let start = (id as usize).saturating_mul(size).min(body.len());
        Ok(&body[start..(start + size).min(body.len())])
    };
    let words = |b: &[u8]| {
        b.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect::<Vec<_>>()
    };
    // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
    let mut difat: Vec<u32> = (0..109).map(|i| u32_at(bytes, 76 + 4 * i)).collect();
    let mut id = u32_at(bytes, 68);
    let mut steps = 0;
    while id < RESERVED {
        steps += 1;
        if steps > max_id as usize + 1 {
            return Err(bad("a DIFAT chain that loops", "DIFAT 链成环"));
        }
        difat.extend(words(sector(id)?));
        id = difat.pop().unwrap_or(ENDOFCHAIN);
    }
    let mut fats = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        fats.extend(words(sector(id)?));
    }
    // A chain: every link inside the FAT, no sector twice.
    let walk = |start: u32, table: &[u32], limit: u32| -> Result<usize, Refusal> {
        let mut seen = std::collections::HashSet::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            if id > limit || (id as usize) >= table.len() || !seen.insert(id) {
                return Err(bad(
                    "a sector chain that loops or leaves the file",
                    "扇区链成环或超出文件",
                ));
            }
            id = table[id as usize];
        }
        Ok(seen.len())
    };
    let directory_sectors = walk(u32_at(bytes, 48), &fats, max_id)?;
    let mut directory = Vec::new();
    let mut id = u32_at(bytes, 48);
    for _ in 0..directory_sectors {
        directory.extend_from_slice(sector(id)?);
        id = fats[id as usize];
    }
    let mini_fat_sectors = u32_at(bytes, 64);
    let mut mini_fats = Vec::new();
    if mini_fat_sectors > 0 {
        let start = u32_at(bytes, 60);
        let n = walk(start, &fats, max_id)?;
        let mut id = start;
        for _ in 0..n {
            mini_fats.extend(words(sector(id)?));
            id = fats[id as usize];
        }
    }
    for (i, entry) in directory.chunks_exact(128).enumerate() {
        let kind = entry[66];
        let start = u32_at(entry, 116);
        let len = u32_at(entry, 120);
        let is_root = i == 0;
        if kind != 2 && !is_root {
            continue;
        }
        // The root's chain is the mini stream; a stream of 4096 bytes or more lives in
        // sectors, a smaller one in the mini stream.
        if (is_root && mini_fat_sectors > 0) || (!is_root && len >= 4096) {
            walk(start, &fats, max_id)?;
        } else if !is_root && len > 0 {
            walk(start, &mini_fats, max_id.saturating_mul(8))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_reference(b"A1"), Some((1, 1)));
        assert_eq!(cell_reference(b"XFD1048576"), Some((16_384, 1_048_576)));
        assert_eq!(cell_reference(b"12"), Some((0, 12)));
        assert_eq!(cell_reference(b"abc"), None);
    }

    #[test]
    fn a_cell_far_away_or_a_huge_string_count_is_refused() {
        let sheet = br#"<worksheet><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1"/><c r="XFE99999999"/></row></sheetData></worksheet>"#;
        assert!(check_sheet("s", sheet).is_err());
        let wide = br#"<sheetData><row r="1"><c r="A1"/></row><row r="1048576"><c r="XFD1048576"/></row></sheetData>"#;
        assert!(check_sheet("s", wide).is_err(), "17 billion cells");
        let fine = br#"<dimension ref="A1:K300"/><row r="1"><c r="A1"/><c r="K300"/></row>"#;
        assert!(check_sheet("s", fine).is_ok());
        let strings = br#"<sst xmlns="x" count="4294967295" uniqueCount="4294967295"><si><t>a</t></si></sst>"#;
        assert!(check_shared_strings(strings).is_err());
        let strings = br#"<sst xmlns="x" count="1" uniqueCount="1"><si><t>a</t></si></sst>"#;
        assert!(check_shared_strings(strings).is_ok());
    }
}
