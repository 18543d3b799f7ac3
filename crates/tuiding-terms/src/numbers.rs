//! Numbers as agreements write them: `5`, `五`, `十五`, `二十四`, `两`, and amounts.

/// Reads an integer written with digits or Chinese numerals (up to the thousands).
///
/// ```
/// # use tuiding_terms::numbers::parse_int;
/// assert_eq!(parse_int("15"), Some(15));
/// assert_eq!(parse_int("十五"), Some(15));
/// assert_eq!(parse_int("二十四"), Some(24));
/// assert_eq!(parse_int("七"), Some(7));
/// assert_eq!(parse_int("两"), Some(2));
/// assert_eq!(parse_int("三百六十五"), Some(365));
/// assert_eq!(parse_int("abc"), None);
/// ```
pub fn parse_int(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let digit = |c: char| match c {
        '零' | '〇' => Some(0),
        '一' | '壹' => Some(1),
        '二' | '两' | '贰' => Some(2),
        '三' | '叁' => Some(3),
        '四' | '肆' => Some(4),
        '五' | '伍' => Some(5),
        '六' | '陆' => Some(6),
        '七' | '柒' => Some(7),
        '八' | '捌' => Some(8),
        '九' | '玖' => Some(9),
        _ => None,
    };
    let mut total = 0_u32;
    let mut current = 0_u32;
    let mut seen = false;
    for c in text.chars() {
        if let Some(d) = digit(c) {
            current = d;
            seen = true;
            continue;
        }
        let unit = match c {
            '十' | '拾' => 10,
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            _ => return None,
        };
        // 十五: a unit with no digit before it means one of it.
        let value = if current == 0 && !seen { 1 } else { current };
        total += value * unit;
        current = 0;
        seen = true;
    }
    Some(total + current)
}

/// The number-words the patterns capture: ASCII digits or Chinese numerals.
pub const NUM: &str = "[0-9]+|[零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]+";

/// An amount written in an agreement, to the fen: `25`, `25.5`, `8.00`.
pub fn parse_amount(text: &str) -> Option<String> {
    let text = text.trim().replace(',', "");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    if int.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let int: u64 = int.parse().ok()?;
    let frac = format!("{frac:0<2}");
    Some(format!("{int}.{frac}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("25").as_deref(), Some("25.00"));
        assert_eq!(parse_amount("8.5").as_deref(), Some("8.50"));
        assert_eq!(parse_amount("1,299.00").as_deref(), Some("1299.00"));
        assert_eq!(parse_amount("1.234"), None);
    }
}
