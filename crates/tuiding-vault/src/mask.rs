//! Masking sensitive numbers in text tuiding writes: 18-digit resident ID numbers (only
//! when their check digit is valid), bank-card numbers (only when they pass Luhn) and
//! mainland mobile numbers. Look-alikes (order numbers, invalid IDs) are left alone.

use std::sync::OnceLock;

use regex::Regex;

fn runs() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[0-9]+[Xx]?").expect("valid pattern"))
}

/// Replaces the middle digits of every ID, card and mobile number in `text` with `*`.
///
/// ```
/// use tuiding_vault::mask::mask_sensitive;
/// assert_eq!(mask_sensitive("手机13812345678"), "手机138****5678");
/// assert_eq!(mask_sensitive("卡号4111111111111111"), "卡号4111********1111");
/// assert_eq!(mask_sensitive("订单号4111111111111112"), "订单号4111111111111112");
/// // Inside a hex digest: left alone.
/// assert_eq!(mask_sensitive("sha256 f13812345678e0"), "sha256 f13812345678e0");
/// ```
pub fn mask_sensitive(text: &str) -> String {
    runs()
        .replace_all(text, |caps: &regex::Captures<'_>| {
            let whole = caps.get(0).expect("group 0 always matches");
            let run = whole.as_str();
            // A run glued to ASCII letters or digits is part of a token (a SHA-256 or SM3
            // digest, an order code), not a number on its own.
            let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if glued(text[..whole.start()].chars().next_back())
                || glued(text[whole.end()..].chars().next())
            {
                return run.to_string();
            }
            match classify(run) {
                Some(Kind::ResidentId) => keep(run, 3, 4),
                Some(Kind::BankCard) => keep(run, 4, 4),
                Some(Kind::Mobile) => keep(run, 3, 4),
                None => run.to_string(),
            }
        })
        .into_owned()
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
