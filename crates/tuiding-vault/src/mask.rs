//! Masking sensitive numbers in text tuiding writes: 18-digit resident ID numbers (only
//! when their check digit is valid), bank-card numbers (only when they pass Luhn) and
//! mainland mobile numbers. Look-alikes (order numbers, invalid IDs) are left alone.

use std::sync::OnceLock;

use regex::Regex;

fn runs() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[0-9]+[Xx]?").expect("valid pattern"))
}

/// Digits in groups separated by single spaces or dashes, as people write cards and
/// phones ("6222 0212 3456 7890 128", "138-1234-5678"), with an optional "+86 " in front.
fn grouped() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:\+86[ -]?)?[0-9]+(?:[ -][0-9]+)+[Xx]?").expect("valid pattern")
    })
}

/// Replaces the middle digits of every ID, card and mobile number in `text` with `*`.
///
/// ```
/// use tuiding_vault::mask::mask_sensitive;
/// assert_eq!(mask_sensitive("手机13812345678"), "手机138****5678");
/// assert_eq!(mask_sensitive("卡号4111111111111111"), "卡号4111********1111");
/// assert_eq!(mask_sensitive("订单号4111111111111112"), "订单号4111111111111112");
/// assert_eq!(mask_sensitive("卡 4111 1111 1111 1111"), "卡 4111 **** **** 1111");
/// assert_eq!(mask_sensitive("电话 +86 138-1234-5678"), "电话 +86 138-****-5678");
/// // Inside a hex digest: left alone.
/// assert_eq!(mask_sensitive("sha256 f13812345678e0"), "sha256 f13812345678e0");
/// ```
pub fn mask_sensitive(text: &str) -> String {
    // Grouped numbers first, judged as a whole; what is not a number as a whole is
    // judged run by run below.
    let grouped_done = grouped()
        .replace_all(text, |caps: &regex::Captures<'_>| {
            let whole = caps.get(0).expect("group 0 always matches");
            if glued(text, whole.start(), whole.end()) {
                return whole.as_str().to_string();
            }
            let found = whole.as_str();
            let body_start = country_prefix_len(found);
            let (head, body) = found.split_at(body_start);
            let digits: String = body.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            match classify(&digits) {
                Some(kind) => {
                    let (a, b) = kind.kept();
                    format!("{head}{}", keep_digits(body, a, b))
                }
                None => found.to_string(),
            }
        })
        .into_owned();
    let text = grouped_done.as_str();
    runs()
        .replace_all(text, |caps: &regex::Captures<'_>| {
            let whole = caps.get(0).expect("group 0 always matches");
            let run = whole.as_str();
            // A run glued to ASCII letters or digits is part of a token (a SHA-256 or SM3
            // digest, an order code), not a number on its own; one glued to `*` was masked.
            if glued(text, whole.start(), whole.end())
                || text[..whole.start()].ends_with('*')
                || text[whole.end()..].starts_with('*')
            {
                return run.to_string();
            }
            // "+8613812345678": the country code, then a mobile number.
            if text[..whole.start()].ends_with('+')
                && let Some(national) = run.strip_prefix("86")
                && let Some(Kind::Mobile) = classify(national)
            {
                return format!("86{}", keep(national, 3, 4));
            }
            match classify(run) {
                Some(kind) => {
                    let (a, b) = kind.kept();
                    keep(run, a, b)
                }
                None => run.to_string(),
            }
        })
        .into_owned()
}

/// The length of a leading "+86", "+86 " or "+86-".
fn country_prefix_len(found: &str) -> usize {
    match found.strip_prefix("+86") {
        Some(rest) if rest.starts_with([' ', '-']) => 4,
        Some(_) => 3,
        None => 0,
    }
}

/// Whether the match at `start..end` touches an ASCII letter or digit on either side.
fn glued(text: &str, start: usize, end: usize) -> bool {
    let touches = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    touches(text[..start].chars().next_back()) || touches(text[end..].chars().next())
}

/// Keeps the first `head` and last `tail` digits of `text`, masking the digits between
/// and leaving separators where they are.
fn keep_digits(text: &str, head: usize, tail: usize) -> String {
    let n = text.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > n - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

impl Kind {
    /// Digits kept at the start and at the end.
    fn kept(&self) -> (usize, usize) {
        match self {
            Kind::ResidentId | Kind::Mobile => (3, 4),
            Kind::BankCard => (4, 4),
        }
    }
}

enum Kind {
    ResidentId,
    BankCard,
    Mobile,
}

fn classify(run: &str) -> Option<Kind> {
    let b = run.as_bytes();
    if b.len() == 18 && valid_resident_id(run) {
        return Some(Kind::ResidentId);
    }
    if !run.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return Some(Kind::Mobile);
    }
    if (13..=19).contains(&b.len()) && luhn(run) {
        return Some(Kind::BankCard);
    }
    None
}

/// GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check = "10X98765432"[sum % 11].
pub fn valid_resident_id(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

/// The Luhn check of card numbers.
pub fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

fn keep(run: &str, head: usize, tail: usize) -> String {
    let n = run.chars().count();
    run.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_written_in_groups_or_with_the_country_code_are_masked() {
        assert_eq!(
            mask_sensitive("卡号 4111-1111-1111-1111。"),
            "卡号 4111-****-****-1111。"
        );
        assert_eq!(mask_sensitive("手机 138 1234 5678"), "手机 138 **** 5678");
        assert_eq!(mask_sensitive("+8613812345678"), "+86138****5678");
        assert_eq!(mask_sensitive("+86-138-1234-5678"), "+86-138-****-5678");
        assert_eq!(
            mask_sensitive("身份证 110101 19900307 4514"),
            "身份证 110*** ******** 4514"
        );
        // Two numbers side by side: the group is no number, each run is judged alone.
        assert_eq!(
            mask_sensitive("订单 123 13812345678"),
            "订单 123 138****5678"
        );
        // Look-alikes in groups stay.
        assert_eq!(mask_sensitive("4111 1111 1111 1112"), "4111 1111 1111 1112");
        assert_eq!(mask_sensitive("2026-11-26 10:00"), "2026-11-26 10:00");
    }

    #[test]
    fn valid_numbers_are_masked_and_look_alikes_are_not() {
        // A valid ID (check digit X) and the same with a wrong check digit.
        assert!(valid_resident_id("11010519491231002X"));
        assert_eq!(
            mask_sensitive("身份证11010519491231002X。"),
            "身份证110***********002X。"
        );
        assert_eq!(
            mask_sensitive("身份证110105194912310021。"),
            "身份证110105194912310021。"
        );
        assert_eq!(
            mask_sensitive("6222021234567890128"),
            if luhn("6222021234567890128") {
                "6222***********0128".to_string()
            } else {
                "6222021234567890128".to_string()
            }
        );
        assert_eq!(
            mask_sensitive("卡 4111111111111111 与 4111111111111112"),
            "卡 4111********1111 与 4111111111111112"
        );
        assert_eq!(
            mask_sensitive("电话 13912345678，座机 02112345678"),
            "电话 139****5678，座机 02112345678"
        );
        let order = "202611152200452180077663000696";
        assert_eq!(
            mask_sensitive(order),
            order,
            "a 30-digit order number is neither"
        );
    }
}
