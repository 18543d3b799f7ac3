//! Sentences: the unit a finding quotes.

/// Splits text into sentences `(start, end)` (character offsets, end exclusive) at 。！？
/// and line breaks, and at `. ! ?` followed by a space or the end (so `25.00` stays whole).
/// Semicolons do not end a sentence: clauses joined by one belong together (a condition and
/// its exception, a price change and the right to leave).
/// Leading spaces are not part of a sentence; empty sentences are dropped.
pub fn sentences(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let ends = match c {
            '。' | '！' | '？' | '\n' => true,
            '.' | '!' | '?' => chars
                .get(i + 1)
                .is_none_or(|n| n.is_whitespace() || *n == '"' || *n == '”'),
            _ => false,
        };
        if ends {
            push(&mut out, chars, start, i + 1);
            start = i + 1;
        }
        i += 1;
    }
    push(&mut out, chars, start, chars.len());
    out
}

fn push(out: &mut Vec<(usize, usize)>, chars: &[char], mut start: usize, mut end: usize) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if end > start && chars[start..end].iter().any(|c| c.is_alphanumeric()) {
        out.push((start, end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_chinese_and_english() {
        let text: Vec<char> =
            "第一条 会员费为25.00元/月。到期前5日提醒您；详见下文\nFees are $9.99. No refunds!"
                .chars()
                .collect();
        let got: Vec<String> = sentences(&text)
            .iter()
            .map(|&(s, e)| text[s..e].iter().collect())
            .collect();
        assert_eq!(
            got,
            [
                "第一条 会员费为25.00元/月。",
                "到期前5日提醒您；详见下文",
                "Fees are $9.99.",
                "No refunds!"
            ]
        );
    }
}
