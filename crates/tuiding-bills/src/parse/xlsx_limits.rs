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
        // calamine finds parts through the relationships, case-insensitively: every XML
        // part is checked, whatever its name.
        let lower = name.replace('\\', "/").to_ascii_lowercase();
        if !lower.ends_with(".xml") && !lower.ends_with(".rels") {
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
        check_shared_strings(&xml)?;
        check_sheet(&name, &xml)?;
    }
    Ok(())
}

fn too_large(name: &str, bytes: u64) -> Refusal {
    refuse(
        format!("{name} inflates to {bytes} bytes: more than a bill holds"),
        format!("{name} 解压后有 {bytes} 字节，超出账单的合理大小"),
    )
}

/// The values of attribute `name` anywhere in `xml`, as quick-xml reads them: after
/// whitespace, `name=` with either quote.
fn attribute_values<'a>(xml: &'a [u8], name: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    memmem::find_iter(xml, name).filter_map(move |at| {
        let before = at.checked_sub(1).map(|i| xml[i])?;
        if !before.is_ascii_whitespace() {
            return None;
        }
        let mut i = at + name.len();
        while xml.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if xml.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        while xml.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let quote = *xml.get(i).filter(|q| **q == b'"' || **q == b'\'')?;
        let start = i + 1;
        let len = xml[start..].iter().take_while(|b| **b != quote).count();
        Some(&xml[start..start + len])
    })
}

/// `count` and `uniqueCount` (of `<sst>`, wherever they stand): bounded, and no more than
/// the strings the part's bytes could hold (each takes at least `<si/>`, 5 bytes).
fn check_shared_strings(xml: &[u8]) -> Result<(), Refusal> {
    let possible = (xml.len() as u64 / 5).max(1);
    for attr in [&b"count"[..], b"uniqueCount"] {
        for value in attribute_values(xml, attr) {
            let n = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(u64::MAX);
            if n > MAX_SHARED_STRINGS || n > possible {
                return Err(refuse(
                    format!(
                        "a part declares {} strings in {} bytes",
                        tuiding_core::bounds::quote(&String::from_utf8_lossy(value)),
                        xml.len()
                    ),
                    format!(
                        "一个部件声明了 {} 个字符串，而只有 {} 字节",
                        tuiding_core::bounds::quote(&String::from_utf8_lossy(value)),
                        xml.len()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Every `r` and `ref` attribute (rows `r="12"`, cells `r="B12"`, `<dimension ref>`):
/// readable, within Excel's limits, and a bounding box of at most [`MAX_CELLS`].
fn check_sheet(name: &str, xml: &[u8]) -> Result<(), Refusal> {
    let (mut min_row, mut max_row, mut min_col, mut max_col) = (u64::MAX, 0, u64::MAX, 0);
    let refs = attribute_values(xml, b"r").chain(attribute_values(xml, b"ref"));
    for value in refs {
        for reference in value.split(|b| *b == b':') {
            let beyond = |shown: &[u8]| {
                let shown = String::from_utf8_lossy(&shown[..shown.len().min(20)]).to_string();
                refuse(
                    format!("{name}: cell {shown} is beyond a sheet's last row or column"),
                    format!("{name}：单元格 {shown} 超出工作表的最大行列"),
                )
            };
            let Some((col, row)) = cell_reference(reference) else {
                // Not a cell (a relationship id has no digits first): calamine would not
                // read it as one either; a cell it cannot read is refused below.
                if reference.iter().any(u8::is_ascii_digit)
                    && reference.first().is_some_and(u8::is_ascii_alphanumeric)
                {
                    return Err(beyond(reference));
                }
                continue;
            };
            if row > MAX_ROW || col > MAX_COLUMN {
                return Err(beyond(reference));
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

/// `B12` or `b12` → (2, 12); `12` (a row) → (0, 12); anything else → `None`.
fn cell_reference(text: &[u8]) -> Option<(u64, u64)> {
    let text = text.trim_ascii();
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &text[letters..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if letters > 3 || digits.len() > 7 {
        return Some((u64::MAX, u64::MAX));
    }
    let col = text[..letters].iter().fold(0_u64, |c, b| {
        c * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((col, row))
}

/// An XLS (BIFF) workbook: its compound-file container walked as calamine will walk it
/// (every sector chain must end, without a loop, inside the file; no stream longer than the
/// file), then its Workbook stream rebuilt from its chain and read record by record, as
/// calamine reads it: per sheet, the DIMENSIONS record and every cell's position must span at
/// most [`MAX_CELLS`] cells (calamine reserves that many before reading any).
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
    let size: usize = match le16(bytes, 30) {
        9 => 512,
        12 => 4096,
        _ => return Err(bad("an unknown sector size", "未知的扇区大小")),
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
    let mut difat: Vec<u32> = (0..109).map(|i| le32(bytes, 76 + 4 * i)).collect();
    let mut id = le32(bytes, 68);
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
    // A chain's sectors in order: every link inside the table, no sector twice.
    let chain = |start: u32, table: &[u32], limit: u32| -> Result<Vec<u32>, Refusal> {
        let mut seen = std::collections::HashSet::new();
        let mut ids = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            if id > limit || (id as usize) >= table.len() || !seen.insert(id) {
                return Err(bad(
                    "a sector chain that loops or leaves the file",
                    "扇区链成环或超出文件",
                ));
            }
            ids.push(id);
            id = table[id as usize];
        }
        Ok(ids)
    };
    let read = |ids: &[u32]| -> Result<Vec<u8>, Refusal> {
        let mut out = Vec::new();
        for id in ids {
            out.extend_from_slice(sector(*id)?);
        }
        Ok(out)
    };
    let directory = read(&chain(le32(bytes, 48), &fats, max_id)?)?;
    let mini_fats = if le32(bytes, 64) > 0 {
        words(&read(&chain(le32(bytes, 60), &fats, max_id)?)?)
    } else {
        Vec::new()
    };
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let Some(root) = entries.first() else {
        return Ok(()); // calamine refuses an empty directory itself
    };
    let mini_stream = read(&chain(le32(root, 116), &fats, max_id)?)?;
    let mut workbook = None;
    for entry in &entries[1..] {
        if entry[66] == 0 {
            continue; // unused
        }
        let start = le32(entry, 116);
        // calamine reads 8 bytes of length from files with 4096-byte sectors.
        let len = if size == 4096 {
            u64::from_le_bytes(entry[120..128].try_into().unwrap_or_default())
        } else {
            u64::from(le32(entry, 120))
        };
        if len > bytes.len() as u64 {
            return Err(bad("a stream longer than the file", "数据流比文件还长"));
        }
        // Whatever its type: calamine finds streams by name.
        let stream = if len >= 4096 {
            read(&chain(start, &fats, max_id)?)?
        } else if len > 0 {
            let mut out = Vec::new();
            for id in chain(start, &mini_fats, max_id.saturating_mul(8))? {
                let at = (id as usize) * 64;
                out.extend_from_slice(
                    &mini_stream[at.min(mini_stream.len())..(at + 64).min(mini_stream.len())],
                );
            }
            out
        } else {
            Vec::new()
        };
        let name_len = (le16(entry, 64) as usize).min(64);
        let name: Vec<u16> = entry[..name_len]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|c| *c != 0)
            .collect();
        let name = String::from_utf16_lossy(&name).to_ascii_lowercase();
        if name == "workbook" || (name == "book" && workbook.is_none()) {
            let mut stream = stream;
            stream.truncate(len as usize);
            workbook = Some(stream);
        }
    }
    match workbook {
        Some(stream) => check_biff(&stream),
        None => Ok(()),
    }
}

/// The little-endian `u16` at `i` (0 past the end).
fn le16(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 2)
        .map_or(0, |b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

/// The little-endian `u32` at `i` (0 past the end).
fn le32(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The records of a Workbook stream, read as calamine reads them: per sheet (each BOF
/// starts one), the DIMENSIONS record and the cells' positions span at most
/// [`MAX_CELLS`].
fn check_biff(stream: &[u8]) -> Result<(), Refusal> {
    let u16_at = |i: usize| le16(stream, i);
    let u32_at = |i: usize| le32(stream, i);
    let too_many = |cells: u64| {
        refuse(
            format!("a sheet declares {cells} cells, more than {MAX_CELLS}"),
            format!("工作表声明了 {cells} 个单元格，超过 {MAX_CELLS}"),
        )
    };
    // Rows and columns seen in the current sheet.
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let check = |bounds: Option<(u32, u32, u32, u32)>| -> Result<(), Refusal> {
        if let Some((r0, r1, c0, c1)) = bounds {
            let cells = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
            if cells > MAX_CELLS {
                return Err(too_many(cells));
            }
        }
        Ok(())
    };
    let mut at = 0;
    while at + 4 <= stream.len() {
        let typ = u16_at(at);
        let len = u16_at(at + 2) as usize;
        let data = at + 4;
        let mut cell = |row: u32, col: u32| {
            bounds = Some(match bounds {
                None => (row, row, col, col),
                Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
            });
        };
        match typ {
            0x0809 => {
                check(bounds)?;
                bounds = None;
            }
            0x0200 if matches!(len, 10 | 14 | 16) => {
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
                if rows.saturating_mul(cols) > MAX_CELLS {
                    return Err(too_many(rows.saturating_mul(cols)));
                }
            }
            // Number, Label, RString, Rk, LabelSst, Formula, BoolErr: row, then column.
            0x0203 | 0x0204 | 0x00D6 | 0x027E | 0x00FD | 0x0006 | 0x0205 if len >= 4 => {
                cell(u16_at(data), u16_at(data + 2));
            }
            // MulRk: row, first column, …, last column.
            0x00BD if len >= 6 => {
                let row = u16_at(data);
                cell(row, u16_at(data + 2));
                cell(row, u16_at(data + len - 2));
            }
            _ => {}
        }
        at = data + len;
    }
    check(bounds)
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
        assert_eq!(cell_reference(b"xfd5"), Some((16_384, 5)));
        assert_eq!(
            cell_reference(b"A4298967296000"),
            Some((u64::MAX, u64::MAX))
        );
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
        // Single quotes, a tab, and the count after a long comment.
        let padded = format!(
            "<!--{}--><sst\tuniqueCount='4294967295'><si/></sst>",
            "x".repeat(5000)
        );
        assert!(check_shared_strings(padded.as_bytes()).is_err());
        assert!(check_sheet("s", b"<c\nr='xfe99999999'/>").is_err());
        assert!(check_sheet("s", br#"<c r="A4298967296000"/>"#).is_err());
    }
}
