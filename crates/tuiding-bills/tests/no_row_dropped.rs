//! Every line after the header is a transaction, a known footer, or an error naming the
//! line: mutations of real layouts (an empty or wordy time cell, a repeated header, a row
//! cut off by a download that stopped, classic Mac line ends) never import fewer rows
//! silently.

use tuiding_bills::parse_export;

const WECHAT: &[u8] = include_bytes!("layouts/wechat-2a.csv");
const ALIPAY: &[u8] = include_bytes!("layouts/alipay-1a.csv");

fn rows(bytes: &[u8]) -> usize {
    parse_export("t.csv", bytes).unwrap().transactions.len()
}

/// The file with line `n` (1-based) replaced by `with(line)`.
fn with_line(bytes: &[u8], n: usize, with: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        if i + 1 == n {
            out.extend(with(line));
        } else {
            out.extend(line);
        }
    }
    out
}

/// The 1-based number of the first transaction line (the first starting with a date).
fn first_row(bytes: &[u8]) -> usize {
    bytes
        .split(|b| *b == b'\n')
        .position(|l| l.starts_with(b"2026-"))
        .unwrap()
        + 1
}

#[test]
fn a_bad_time_cell_is_an_error_naming_its_line() {
    for (name, file) in [("wechat", WECHAT), ("alipay", ALIPAY)] {
        let n = first_row(file) + 3;
        for replacement in [&b""[..], b"abc", "共计".as_bytes()] {
            let mutated = with_line(file, n, |line| {
                let comma = line.iter().position(|b| *b == b',').unwrap();
                [replacement, &line[comma..]].concat()
            });
            let err = parse_export("t.csv", &mutated).unwrap_err();
            assert_eq!(err.line, n, "{name} {replacement:?}: {err}");
        }
    }
}

#[test]
fn a_repeated_header_is_an_error() {
    let n = first_row(WECHAT) + 2;
    let header = WECHAT
        .split_inclusive(|b| *b == b'\n')
        .nth(first_row(WECHAT) - 2)
        .unwrap()
        .to_vec();
    let mutated = with_line(WECHAT, n, |line| [&header[..], line].concat());
    let err = parse_export("t.csv", &mutated).unwrap_err();
    assert_eq!(err.line, n, "{err}");
}

#[test]
fn a_row_cut_off_at_the_end_is_an_error() {
    let whole = rows(WECHAT);
    let body = WECHAT.strip_suffix(b"\n").unwrap_or(WECHAT);
    // A complete last row without its line break is fine.
    assert_eq!(rows(body), whole);
    let last_line = body.len() - body.iter().rposition(|b| *b == b'\n').unwrap() - 1;
    let mut silent = Vec::new();
    for cut in 2..last_line {
        let cut_file = &body[..body.len() - cut];
        match parse_export("t.csv", cut_file) {
            // Cut off, or cut inside a character: an error either way.
            Err(err) => assert!(err.line > 0, "cut {cut}: {err}"),
            Ok(export) => {
                assert_eq!(export.transactions.len(), whole, "cut {cut}: a row dropped");
                silent.push(cut);
            }
        }
    }
    // Only a cut that leaves a complete-looking row (an empty last field) is undetectable.
    assert!(
        silent.len() <= 1,
        "cut-off rows imported silently at cuts {silent:?}"
    );
}

#[test]
fn classic_mac_line_ends_read_every_row() {
    let cr: Vec<u8> = WECHAT
        .iter()
        .map(|b| if *b == b'\n' { b'\r' } else { *b })
        .collect();
    assert_eq!(rows(&cr), rows(WECHAT));
    let cr: Vec<u8> = ALIPAY
        .iter()
        .map(|b| if *b == b'\n' { b'\r' } else { *b })
        .collect();
    assert_eq!(rows(&cr), rows(ALIPAY));
}

#[test]
fn one_very_long_line_is_read_in_linear_time() {
    // 20 MB without a line break: refused (no header), quickly, not after copying the
    // growing line once per 128 KB chunk.
    let long = vec![b'x'; 20 << 20];
    let started = std::time::Instant::now();
    assert!(parse_export("t.csv", &long).is_err());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn amounts_and_dates_beyond_the_ledgers_range_are_errors() {
    let n = first_row(WECHAT) + 1;
    let huge = with_line(WECHAT, n, |line| {
        let text = String::from_utf8(line.to_vec()).unwrap();
        let at = text.find('¥').unwrap();
        let end = at + text[at..].find(',').unwrap();
        format!("{}¥92233720368547758.07{}", &text[..at], &text[end..]).into_bytes()
    });
    assert_eq!(parse_export("t.csv", &huge).unwrap_err().line, n);
    let far = with_line(WECHAT, n, |line| [&b"9999"[..], &line[4..]].concat());
    assert_eq!(parse_export("t.csv", &far).unwrap_err().line, n);
}

/// A bank statement that ends with its 合计 line and no line break: the short footer is no
/// cut-off row (the check ran before footer detection and refused such files).
#[test]
fn a_footer_without_a_line_break_is_not_a_cut_row() {
    let icbc: &[u8] = include_bytes!("layouts/icbc-credit.csv");
    let whole = rows(icbc);
    let trimmed = icbc.trim_ascii_end();
    assert_eq!(rows(trimmed), whole);
}

/// A stray carriage return inside a field of an LF file stays in its field.
#[test]
fn a_stray_carriage_return_in_an_lf_file_does_not_split_the_row() {
    // An unquoted row (…,转账,李*华,转账备注:微信转账,…).
    let n = first_row(WECHAT) + 2;
    let stray = with_line(WECHAT, n, |line| {
        let text = String::from_utf8(line.to_vec()).unwrap();
        assert!(!text.contains('"') && text.contains("转账备注"), "{text}");
        text.replacen("转账备注", "转账\r备注", 1).into_bytes()
    });
    assert_eq!(rows(&stray), rows(WECHAT));
}
