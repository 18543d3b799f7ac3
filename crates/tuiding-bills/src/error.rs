//! Errors that say where a file is wrong and what was expected there.

/// Why an export could not be read. Nothing from the file is used when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct BillError {
    /// The file name as given.
    pub file: String,
    /// 1-based line (0 when the whole file is at fault).
    pub line: usize,
    /// 1-based character column (0 when the whole line is at fault).
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
    /// The same in Chinese.
    pub message_zh: String,
}

impl BillError {
    pub(crate) fn new(
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> BillError {
        BillError {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            message_zh: message_zh.into(),
        }
    }
}

impl tuiding_core::Localized for BillError {
    fn localized(&self, lang: tuiding_core::Lang) -> String {
        match lang {
            tuiding_core::Lang::En => self.to_string(),
            tuiding_core::Lang::Zh => {
                format!(
                    "{}:{}:{}: {}",
                    self.file, self.line, self.column, self.message_zh
                )
            }
        }
    }
}
