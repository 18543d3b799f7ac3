//! Printing: JSON, aligned tables that measure CJK characters as two columns, and a
//! little colour (only on a terminal, never with NO_COLOR).

use std::io::Write;

use serde::Serialize;
pub use tuiding_app::text::{colon, paren};
use unicode_width::UnicodeWidthStr;

/// Prints a value as pretty JSON followed by a newline.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    // Serialised first, then written: a reader that stops early (`| head`) is then an
    // io::Error the binary recognises, not a serde_json error hiding it.
    let mut text = serde_json::to_vec_pretty(value)?;
    text.push(b'\n');
    std::io::stdout().lock().write_all(&text)?;
    Ok(())
}

/// Writes a line to stdout, so that a closed pipe surfaces as an error to stop on.
pub fn line(text: impl AsRef<str>) -> anyhow::Result<()> {
    writeln!(std::io::stdout().lock(), "{}", text.as_ref())?;
    Ok(())
}

/// How a cell is aligned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A plain text table.
pub struct Table {
    headers: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<Vec<Cell>>,
}

/// A cell: its text and an optional ANSI style applied after padding.
pub struct Cell {
    text: String,
    style: Option<&'static str>,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell { text, style: None }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell {
            text: text.to_string(),
            style: None,
        }
    }
}

impl Cell {
    /// A cell shown in a style (e.g. [`RED`]) when colour is on.
    pub fn styled(text: impl Into<String>, style: Option<&'static str>) -> Cell {
        Cell {
            text: text.into(),
            style,
        }
    }
}

/// Bold.
pub const BOLD: &str = "1";
/// Red: due within three days.
pub const RED: &str = "31";
/// Yellow: due within a week.
pub const YELLOW: &str = "33";
/// Dim: ended or inactive.
pub const DIM: &str = "2";

impl Table {
    /// A table with these column headers and alignments.
    pub fn new(headers: &[&str], aligns: &[Align]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            aligns: aligns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// Renders the table; `color` turns styles on.
    pub fn render(&self, color: bool) -> String {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.text.width());
            }
        }
        let mut out = String::new();
        let header: Vec<Cell> = self
            .headers
            .iter()
            .map(|h| Cell::styled(h.clone(), Some(BOLD)))
            .collect();
        for row in std::iter::once(&header).chain(self.rows.iter()) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(columns) {
                let pad = " ".repeat(widths[i] - cell.text.width());
                let text = paint(&cell.text, cell.style, color);
                let last = i + 1 == columns;
                match self.aligns.get(i).copied().unwrap_or(Align::Left) {
                    Align::Left if last => line.push_str(&text),
                    Align::Left => line.push_str(&format!("{text}{pad}")),
                    Align::Right => line.push_str(&format!("{pad}{text}")),
                }
                if !last {
                    line.push_str("  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Pads text with spaces to `width` terminal columns (CJK characters count two).
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// Wraps text in an ANSI style when colour is on.
pub fn paint(text: &str, style: Option<&str>, color: bool) -> String {
    match style {
        Some(code) if color && !text.is_empty() => format!("\x1b[{code}m{text}\x1b[0m"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_wide_characters() {
        let mut t = Table::new(&["平台", "price"], &[Align::Left, Align::Right]);
        t.row(vec!["爱奇艺".into(), "¥25.00".into()]);
        t.row(vec!["QQ".into(), "¥8.00".into()]);
        assert_eq!(
            t.render(false),
            "平台     price\n爱奇艺  ¥25.00\nQQ       ¥8.00\n"
        );
        assert!(!t.render(false).contains('\x1b'));
        assert!(t.render(true).contains("\x1b[1m"));
    }
}
