//! Finding the header row by content: the first row that names a wallet layout's columns or
//! a bank mapping's, within the first [`HEADER_WITHIN`] lines. The row that came nearest is
//! kept, so a file matching no layout is told which one it resembles and what it lacks.

use super::*;

/// A header row must be within this many lines (or spreadsheet rows) of the top.
pub(crate) const HEADER_WITHIN: usize = 200;

/// Looks for the header row, remembering the row that came nearest to a layout so that a
/// file matching none says which layout it resembles and what it lacks.
pub(crate) struct HeaderSearch<'b> {
    banks: &'b [BankMapping],
    /// (names matched, layout, line, names missing).
    nearest: Option<(usize, String, usize, Vec<String>)>,
}

impl<'b> HeaderSearch<'b> {
    pub(crate) fn new(banks: &'b [BankMapping]) -> HeaderSearch<'b> {
        HeaderSearch {
            banks,
            nearest: None,
        }
    }

    /// The layout a row is the header of, if any.
    pub(crate) fn check(
        &mut self,
        cells: &[String],
        preamble: &[String],
        line: usize,
    ) -> Option<(Format, Option<&'b BankMapping>)> {
        if let Some(format) = header_format(cells) {
            return Some((format, None));
        }
        if let Some(bank) = crate::bank::best_bank(self.banks, cells, preamble) {
            return Some((Format::BankCsv, Some(bank)));
        }
        let has = |name: &str| cells.iter().any(|c| c == name);
        let mut candidates: Vec<(usize, String, Vec<String>)> = Format::WALLETS
            .iter()
            .map(|f| {
                let names = wallet_signature(*f);
                let missing: Vec<String> = names
                    .iter()
                    .filter(|n| !has(n))
                    .map(|n| n.to_string())
                    .collect();
                (
                    names.len() - missing.len(),
                    f.label_zh().to_string(),
                    missing,
                )
            })
            .collect();
        for bank in self.banks {
            let (matched, missing) = bank.coverage(cells);
            candidates.push((matched, bank.name.clone(), missing));
        }
        if let Some((matched, name, missing)) = candidates
            .into_iter()
            .filter(|(matched, _, _)| *matched >= 2)
            .max_by_key(|(matched, _, missing)| (*matched, std::cmp::Reverse(missing.len())))
            && self
                .nearest
                .as_ref()
                .is_none_or(|(best, ..)| matched > *best)
        {
            self.nearest = Some((matched, name, line, missing));
        }
        None
    }

    /// The error for a file with no header row.
    pub(crate) fn error(&self, file: &str) -> BillError {
        let banks: Vec<&str> = self.banks.iter().map(|b| b.name.as_str()).collect();
        let tried_zh = format!(
            "支付宝、微信支付、京东、美团，以及银行对账单（{}）",
            banks.join("、")
        );
        let tried_en = format!(
            "Alipay, WeChat Pay, JD, Meituan and the bank statements ({})",
            banks.join(", ")
        );
        let (line, nearest_zh, nearest_en) = match &self.nearest {
            Some((_, name, line, missing)) => (
                *line,
                format!("最接近的是{name}（第 {line} 行），但缺少 {}。", missing.join("、")),
                format!("The nearest is {name} (line {line}), which lacks {}.", missing.join(", ")),
            ),
            None => (
                0,
                "没有哪一行像账单的表头：这是账单明细文件吗（不是 PDF、截图或另存过的文件）？".to_string(),
                "No line looks like a bill's header: is this a bill export (not a PDF, a screenshot or a re-saved file)?".to_string(),
            ),
        };
        BillError::new(
            file,
            line,
            0,
            format!(
                "no header row found in the first {HEADER_WITHIN} lines. Layouts tried: {tried_en}. {nearest_en} Export the bill again from the app (账单明细, CSV or XLSX), or describe your bank's columns in banks/NAME.toml in the data directory."
            ),
            format!(
                "前 {HEADER_WITHIN} 行里找不到表头。已尝试：{tried_zh}。{nearest_zh}请从应用里重新导出账单明细（CSV 或 XLSX），或在数据目录的 banks/名称.toml 里写明你的银行的列。"
            ),
        )
    }
}
