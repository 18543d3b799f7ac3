//! Raw flag text → validated domain values, with errors that name the flag.
//!
//! Commands take strings from clap and call these before doing any work, so a bad value
//! is reported in the user's language and nothing is written (ripgrep's low → high args).

use jiff::civil::Date;
use tuiding_core::{
    AutoRenewContract, Benefit, Channel, ContractStatus, Currency, Lang, Localized,
    MembershipError, Money, Period,
};

use tuiding_core::bounds::{self, quote};

use crate::error::{Localize, UserError};

/// Reads `2026-11-23`, `2026/11/23`, `2026.11.23` or `2026年11月23日`.
pub fn parse_date(flag: &str, text: &str, lang: Lang) -> anyhow::Result<Date> {
    let trimmed = text.trim();
    let normalized: String = trimmed
        .trim_end_matches('日')
        .replace(['/', '.', '年', '月'], "-");
    let parts: Vec<&str> = normalized.split('-').collect();
    let bad = || {
        let trimmed = quote(trimmed);
        UserError::usage(
            flag,
            match lang {
                Lang::Zh => format!("{trimmed:?} 不是有效日期；请写成 YYYY-MM-DD，例如 2026-01-31"),
                Lang::En => format!(
                    "{trimmed:?} is not a valid date; write it as YYYY-MM-DD, e.g. 2026-01-31"
                ),
            },
        )
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) else {
        return Err(bad());
    };
    let day = Date::new(y, m, d).map_err(|_| bad())?;
    if !bounds::date_in_range(day) {
        let (from, to) = (bounds::EARLIEST_DATE, bounds::LATEST_DATE);
        return Err(UserError::usage(
            flag,
            match lang {
                Lang::Zh => format!("日期 {day} 超出 {from} 至 {to} 的范围"),
                Lang::En => format!("{day} is outside {from} to {to}"),
            },
        ));
    }
    Ok(day)
}

/// Reads a price. `default` applies when the text names no currency; an `explicit`
/// `--currency` must agree with a currency the text names.
pub fn parse_price(
    flag: &str,
    text: &str,
    explicit: Option<Currency>,
    default: Currency,
    lang: Lang,
) -> anyhow::Result<Money> {
    let money = Money::parse(text, default).for_flag(flag, lang)?;
    if let Some(currency) = explicit
        && currency != money.currency()
    {
        return Err(UserError::usage(
            flag,
            match lang {
                Lang::Zh => format!(
                    "{:?} 是 {}，与 --currency {} 不一致",
                    quote(text),
                    money.currency(),
                    currency
                ),
                Lang::En => format!(
                    "{:?} is in {}, but --currency says {}",
                    quote(text),
                    money.currency(),
                    currency
                ),
            },
        ));
    }
    Ok(money)
}

/// Reads `--currency`.
pub fn parse_currency(text: Option<&str>, lang: Lang) -> anyhow::Result<Option<Currency>> {
    text.map(|t| Currency::from_code(t).for_flag("--currency", lang))
        .transpose()
}

/// Reads `--period`.
pub fn parse_period(text: &str, lang: Lang) -> anyhow::Result<Period> {
    text.parse::<Period>().for_flag("--period", lang)
}

/// Reads a channel name.
pub fn parse_channel(flag: &str, text: &str, lang: Lang) -> anyhow::Result<Channel> {
    text.parse::<Channel>().map_err(|e| match e {
        MembershipError::Invalid { reason, .. } => UserError::usage(flag, reason.describe(lang)),
        other => UserError::usage(flag, other.localized(lang)),
    })
}

/// Reads auto-renew specs: `wechat_pay`, `alipay:unknown`, `in_app:closed:2026-11-20`,
/// several separated by commas. A closed contract without a date was closed `today`.
pub fn parse_contracts(
    flag: &str,
    specs: &[String],
    today: Date,
    lang: Lang,
) -> anyhow::Result<Vec<AutoRenewContract>> {
    let mut contracts = Vec::new();
    for spec in specs
        .iter()
        .flat_map(|s| s.split([',', '，']))
        .filter(|s| !s.trim().is_empty())
    {
        let mut parts = spec.trim().splitn(3, ':');
        let channel = parse_channel(flag, parts.next().unwrap_or_default(), lang)?;
        let status = match (parts.next().map(str::trim), parts.next()) {
            (None | Some("active"), None) => ContractStatus::Active,
            (Some("unknown"), None) => ContractStatus::Unknown,
            (Some("closed"), None) => ContractStatus::Closed(today),
            (Some("closed"), Some(date)) => ContractStatus::Closed(parse_date(flag, date, lang)?),
            _ => {
                return Err(UserError::usage(
                    flag,
                    match lang {
                        Lang::Zh => format!(
                            "{:?} 写法不对；请写成 渠道[:active|unknown|closed[:日期]]，例如 wechat_pay 或 alipay:closed:2026-11-20",
                            quote(spec)
                        ),
                        Lang::En => format!(
                            "{:?} is not CHANNEL[:active|unknown|closed[:DATE]], e.g. wechat_pay or alipay:closed:2026-11-20",
                            quote(spec)
                        ),
                    },
                ));
            }
        };
        if contracts
            .iter()
            .any(|c: &AutoRenewContract| c.channel == channel)
        {
            return Err(UserError::usage(
                flag,
                match lang {
                    Lang::Zh => format!("渠道 {channel} 重复出现"),
                    Lang::En => format!("channel {channel} is given twice"),
                },
            ));
        }
        contracts.push(AutoRenewContract { channel, status });
    }
    Ok(contracts)
}

/// Reads a benefit: `NAME:QUANTITY[:UNIT_VALUE[:REDEEMED]]`, e.g. `观影券:4:15:1`.
pub fn parse_benefit(spec: &str, currency: Currency, lang: Lang) -> anyhow::Result<Benefit> {
    let flag = "--benefit";
    let bad = || {
        let spec = quote(spec);
        UserError::usage(
            flag,
            match lang {
                Lang::Zh => {
                    format!("{spec:?} 写法不对；请写成 名称:数量[:单价[:已用]]，例如 观影券:4:15:1")
                }
                Lang::En => format!(
                    "{spec:?} is not NAME:QUANTITY[:UNIT_VALUE[:REDEEMED]], e.g. coupon:4:15:1"
                ),
            },
        )
    };
    let parts: Vec<&str> = spec.split([':', '：']).map(str::trim).collect();
    if parts.len() < 2 || parts.len() > 4 || parts[0].is_empty() {
        return Err(bad());
    }
    let quantity: u32 = parts[1].parse().map_err(|_| bad())?;
    let unit_value = match parts.get(2) {
        Some(v) if !v.is_empty() => Some(Money::parse(v, currency).for_flag(flag, lang)?),
        _ => None,
    };
    let redeemed: u32 = match parts.get(3) {
        Some(r) => r.parse().map_err(|_| bad())?,
        None => 0,
    };
    Ok(Benefit {
        name: parts[0].to_string(),
        unit_value,
        quantity,
        redeemed,
    })
}

/// Reads a window such as `30d`, `30`, `2w`, `1m`, `1y` into its last day (inclusive).
pub fn parse_window(text: &str, today: Date, lang: Lang) -> anyhow::Result<Date> {
    let trimmed = text.trim();
    let period = if trimmed.chars().all(|c| c.is_ascii_digit()) && !trimmed.is_empty() {
        format!("{trimmed}d").parse::<Period>()
    } else {
        trimmed.parse::<Period>()
    };
    let bad = || {
        let trimmed = quote(trimmed);
        UserError::usage(
            "--within",
            match lang {
                Lang::Zh => format!("{trimmed:?} 不是时间范围；可写 30d、2w、1m、1y"),
                Lang::En => format!("{trimmed:?} is not a window; use 30d, 2w, 1m or 1y"),
            },
        )
    };
    let period = period.map_err(|_| bad())?;
    if period.approx_days() > tuiding_core::bounds::MAX_DAYS {
        return Err(UserError::usage(
            "--within",
            match lang {
                Lang::Zh => format!("时间范围最长 {} 天", tuiding_core::bounds::MAX_DAYS),
                Lang::En => format!(
                    "a window is at most {} days",
                    tuiding_core::bounds::MAX_DAYS
                ),
            },
        ));
    }
    period.boundary(today, 1).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_in_common_forms() {
        for text in [
            "2026-01-31",
            "2026/1/31",
            "2026.01.31",
            "2026年1月31日",
            " 2026-01-31 ",
        ] {
            assert_eq!(
                parse_date("--start", text, Lang::Zh).unwrap(),
                date(2026, 1, 31),
                "{text}"
            );
        }
        for text in [
            "2026-02-30",
            "2026-13-01",
            "31/01/2026",
            "tomorrow",
            "",
            "0026-01-01",
        ] {
            let err = parse_date("--start", text, Lang::Zh).unwrap_err();
            assert!(err.to_string().starts_with("--start"), "{err}");
        }
    }

    #[test]
    fn contracts_and_benefits() {
        let today = date(2026, 11, 23);
        let specs = vec![
            "wechat_pay".to_string(),
            "alipay:unknown,in_app:closed:2026-11-20".to_string(),
        ];
        let contracts = parse_contracts("--auto-renew", &specs, today, Lang::En).unwrap();
        assert_eq!(contracts.len(), 3);
        assert_eq!(
            contracts[2].status,
            ContractStatus::Closed(date(2026, 11, 20))
        );
        assert!(parse_contracts("--auto-renew", &["paypal".into()], today, Lang::En).is_err());
        assert!(
            parse_contracts("--auto-renew", &["alipay,alipay".into()], today, Lang::En).is_err()
        );
        let b = parse_benefit("观影券:4:15:1", Currency::CNY, Lang::Zh).unwrap();
        assert_eq!(
            (b.quantity, b.redeemed, b.unit_value.unwrap().minor_units()),
            (4, 1, 1500)
        );
        assert!(parse_benefit("观影券", Currency::CNY, Lang::Zh).is_err());
    }

    #[test]
    fn windows() {
        let today = date(2026, 11, 23);
        assert_eq!(
            parse_window("30d", today, Lang::En).unwrap(),
            date(2026, 12, 23)
        );
        assert_eq!(
            parse_window("30", today, Lang::En).unwrap(),
            date(2026, 12, 23)
        );
        assert_eq!(
            parse_window("1m", today, Lang::En).unwrap(),
            date(2026, 12, 23)
        );
        assert!(parse_window("soon", today, Lang::En).is_err());
    }
}
