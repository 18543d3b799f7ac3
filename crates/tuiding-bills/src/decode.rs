//! Bytes to text: a BOM wins, then strict UTF-8, then GB18030 (the superset of the GBK
//! that Alipay writes). A file that is none of these is an error, never mojibake.

use encoding_rs::{GB18030, UTF_8};

/// Decodes an export; returns the text and the encoding's name.
pub fn decode_text(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return UTF_8
            .decode_without_bom_handling_and_without_replacement(rest)
            .map(|t| (t.into_owned(), "UTF-8"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some((text.to_string(), "UTF-8"));
    }
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| (t.into_owned(), "GB18030"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_gbk() {
        assert_eq!(
            decode_text("交易".as_bytes()).unwrap(),
            ("交易".to_string(), "UTF-8")
        );
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc").unwrap().0, "abc");
        let (gbk, _, _) = GB18030.encode("交易时间");
        assert_eq!(
            decode_text(&gbk).unwrap(),
            ("交易时间".to_string(), "GB18030")
        );
    }
}
