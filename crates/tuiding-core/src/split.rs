//! Shared costs: a price split among household members by fixed amounts and shares, in
//! exact minor units. Fixed amounts come off first; what is left is divided by shares with
//! the largest-remainder method, and the leftover fen go one each to the largest
//! remainders (ties to the earlier member as listed), so the parts always sum to the price.

use serde::{Deserialize, Serialize};

use crate::money::{Money, MoneyError};

/// How one member takes part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitRule {
    /// This many shares of what is left after the fixed amounts.
    Shares(u32),
    /// Exactly this amount (minor units, the price's currency).
    Fixed(i64),
}

/// One member's part of a price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The member.
    pub member: String,
    /// What they pay.
    pub amount: Money,
}

/// Why a split cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// Nobody to split among.
    #[error("a split needs at least one member")]
    Empty,
    /// The same member twice.
    #[error("{0} is listed twice")]
    Duplicate(String),
    /// Fixed amounts exceed the price.
    #[error("the fixed amounts ({fixed}) are more than the price ({price})")]
    FixedOverPrice {
        /// Their sum.
        fixed: String,
        /// The price.
        price: String,
    },
    /// Fixed amounts only, and they do not add up to the price.
    #[error(
        "the fixed amounts ({fixed}) do not add up to the price ({price}); give someone shares to take the rest"
    )]
    Unbalanced {
        /// Their sum.
        fixed: String,
        /// The price.
        price: String,
    },
    /// A share of zero or a negative fixed amount.
    #[error("{0}: shares must be at least 1 and fixed amounts not negative")]
    Invalid(String),
    /// Arithmetic left the supported range.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl crate::i18n::Localized for SplitError {
    fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (SplitError::Empty, Lang::Zh) => "分摊至少要有一位成员".into(),
            (SplitError::Duplicate(n), Lang::Zh) => format!("{n} 出现了两次"),
            (SplitError::FixedOverPrice { fixed, price }, Lang::Zh) => {
                format!("固定金额合计 {fixed} 超过了价格 {price}")
            }
            (SplitError::Unbalanced { fixed, price }, Lang::Zh) => {
                format!("固定金额合计 {fixed} 不等于价格 {price}；请给某位成员份额来承担余下部分")
            }
            (SplitError::Invalid(n), Lang::Zh) => format!("{n}：份额至少为 1，固定金额不能为负"),
            (SplitError::Money(e), Lang::Zh) => e.localized(lang),
        }
    }
}

/// Splits `price` among `rules`, in the order given.
pub fn split(price: Money, rules: &[(String, SplitRule)]) -> Result<Vec<Part>, SplitError> {
    if rules.is_empty() {
        return Err(SplitError::Empty);
    }
    for (i, (name, rule)) in rules.iter().enumerate() {
        if rules[..i].iter().any(|(n, _)| n == name) {
            return Err(SplitError::Duplicate(name.clone()));
        }
        if matches!(rule, SplitRule::Shares(0)) || matches!(rule, SplitRule::Fixed(f) if *f < 0) {
            return Err(SplitError::Invalid(name.clone()));
        }
    }
    let currency = price.currency();
    let total = i128::from(price.minor_units());
    let fixed: i128 = rules
        .iter()
        .map(|(_, r)| match r {
            SplitRule::Fixed(f) => i128::from(*f),
            SplitRule::Shares(_) => 0,
        })
        .sum();
    let money = |minor: i128| Money::from_minor(i64::try_from(minor).unwrap_or(i64::MAX), currency);
    if fixed > total {
        return Err(SplitError::FixedOverPrice {
            fixed: money(fixed).amount_string(),
            price: price.amount_string(),
        });
    }
    let shares: i128 = rules
        .iter()
        .map(|(_, r)| match r {
            SplitRule::Shares(s) => i128::from(*s),
            SplitRule::Fixed(_) => 0,
        })
        .sum();
    if shares == 0 && fixed != total {
        return Err(SplitError::Unbalanced {
            fixed: money(fixed).amount_string(),
            price: price.amount_string(),
        });
    }
    let rest = total - fixed;
    // Floor of each share's exact part, then the leftover units by largest remainder.
    let mut parts: Vec<(i128, i128)> = rules
        .iter()
        .map(|(_, r)| match r {
            SplitRule::Fixed(f) => (i128::from(*f), -1),
            SplitRule::Shares(s) => {
                let exact = rest * i128::from(*s);
                (exact / shares, exact % shares)
            }
        })
        .collect();
    let assigned: i128 = parts.iter().map(|(a, _)| a).sum();
    let mut leftover = total - assigned;
    let mut order: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].1 >= 0).collect();
    // Largest remainder first; the sort is stable, so ties keep the listed order.
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1));
    for i in order {
        if leftover == 0 {
            break;
        }
        parts[i].0 += 1;
        leftover -= 1;
    }
    Ok(rules
        .iter()
        .zip(parts)
        .map(|((name, _), (amount, _))| Part {
            member: name.clone(),
            amount: money(amount),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use proptest::prelude::*;

    fn cny(minor: i64) -> Money {
        Money::from_minor(minor, Currency::CNY)
    }

    fn names(rules: &[(&str, SplitRule)]) -> Vec<(String, SplitRule)> {
        rules.iter().map(|(n, r)| (n.to_string(), *r)).collect()
    }

    #[test]
    fn three_ways_sums_exactly_and_the_fen_go_deterministically() {
        let parts = split(
            cny(2500),
            &names(&[
                ("我", SplitRule::Shares(1)),
                ("小王", SplitRule::Shares(1)),
                ("小李", SplitRule::Shares(1)),
            ]),
        )
        .unwrap();
        let amounts: Vec<i64> = parts.iter().map(|p| p.amount.minor_units()).collect();
        assert_eq!(amounts, [834, 833, 833]);
        let again = split(
            cny(2500),
            &names(&[
                ("我", SplitRule::Shares(1)),
                ("小王", SplitRule::Shares(1)),
                ("小李", SplitRule::Shares(1)),
            ]),
        )
        .unwrap();
        assert_eq!(parts, again);
    }

    #[test]
    fn fixed_first_then_shares() {
        let parts = split(
            cny(3000),
            &names(&[
                ("妈妈", SplitRule::Fixed(1000)),
                ("我", SplitRule::Shares(2)),
                ("弟弟", SplitRule::Shares(1)),
            ]),
        )
        .unwrap();
        let amounts: Vec<i64> = parts.iter().map(|p| p.amount.minor_units()).collect();
        assert_eq!(
            amounts,
            [1000, 1333, 667],
            "666.67 is nearer 667 than 1333.33 is to 1334"
        );
    }

    #[test]
    fn impossible_splits_say_why() {
        assert_eq!(split(cny(100), &[]), Err(SplitError::Empty));
        assert!(matches!(
            split(
                cny(100),
                &names(&[("a", SplitRule::Fixed(200)), ("b", SplitRule::Shares(1))])
            ),
            Err(SplitError::FixedOverPrice { .. })
        ));
        assert!(matches!(
            split(cny(100), &names(&[("a", SplitRule::Fixed(50))])),
            Err(SplitError::Unbalanced { .. })
        ));
        assert!(matches!(
            split(
                cny(100),
                &names(&[("a", SplitRule::Shares(1)), ("a", SplitRule::Shares(1))])
            ),
            Err(SplitError::Duplicate(_))
        ));
        assert!(matches!(
            split(cny(100), &names(&[("a", SplitRule::Shares(0))])),
            Err(SplitError::Invalid(_))
        ));
        assert_eq!(
            split(cny(100), &names(&[("a", SplitRule::Fixed(100))])).unwrap()[0].amount,
            cny(100)
        );
    }

    proptest! {
        #[test]
        fn parts_always_sum_to_the_price(
            price in 0i64..10_000_000,
            shares in proptest::collection::vec(1u32..10, 1..6),
            fixed in proptest::collection::vec(0i64..1000, 0..3),
        ) {
            let mut rules: Vec<(String, SplitRule)> = shares.iter().enumerate().map(|(i, s)| (format!("s{i}"), SplitRule::Shares(*s))).collect();
            rules.extend(fixed.iter().enumerate().map(|(i, f)| (format!("f{i}"), SplitRule::Fixed(*f))));
            match split(cny(price), &rules) {
                Ok(parts) => {
                    let sum: i64 = parts.iter().map(|p| p.amount.minor_units()).sum();
                    prop_assert_eq!(sum, price);
                    // No share part is more than one fen away from its exact value.
                    let fixed_sum: i64 = fixed.iter().sum();
                    let total_shares: i64 = shares.iter().map(|s| i64::from(*s)).sum();
                    for (p, s) in parts.iter().zip(&shares) {
                        let exact = (price - fixed_sum) as f64 * f64::from(*s) / total_shares as f64;
                        prop_assert!((p.amount.minor_units() as f64 - exact).abs() < 1.0);
                    }
                }
                Err(SplitError::FixedOverPrice { .. }) => prop_assert!(fixed.iter().sum::<i64>() > price),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
    }
}
