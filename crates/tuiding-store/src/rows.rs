//! Rows as the SQL backends read them, checked into domain values: both backends hand
//! over text for dates and codes, and one function turns them into a [`StoredMembership`]
//! or names the column that cannot be read.

use jiff::civil::Date;
use tuiding_core::{
    AutoRenewContract, Benefit, Billing, Channel, ContractStatus, Currency, Membership, Money,
    Period,
};

use tuiding_core::transaction::{Direction, Source, Transaction, TxStatus};

use crate::{StoreError, StoredMembership};

/// A membership row as a backend returns it (dates as ISO text), before it is checked into domain values.
pub(crate) struct MembershipRow {
    pub(crate) id: i64,
    pub(crate) revision: i64,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) platform: String,
    pub(crate) plan: String,
    pub(crate) billing: String,
    pub(crate) period: Option<String>,
    pub(crate) price_minor: i64,
    pub(crate) currency: String,
    pub(crate) start_date: String,
    pub(crate) paid_through: Option<String>,
    pub(crate) trial_until: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) notes: Option<String>,
}

/// Checks a row and its contracts and benefits into a stored membership; a value that
/// cannot be read is [`StoreError::Corrupt`], naming the column.
pub(crate) fn assemble(
    row: MembershipRow,
    (auto_renew, benefits): (Vec<AutoRenewContract>, Vec<Benefit>),
) -> Result<StoredMembership, StoreError> {
    let id = row.id;
    let corrupt = |field: &'static str, value: &str| StoreError::Corrupt {
        id,
        field,
        value: value.to_string(),
    };
    let currency = currency(id, &row.currency)?;
    let billing = match (row.billing.as_str(), row.period.as_deref()) {
        ("periodic", Some(p)) => {
            Billing::Periodic(p.parse::<Period>().map_err(|_| corrupt("period", p))?)
        }
        ("one_time", None) => Billing::OneTime,
        ("gifted", None) => Billing::Gifted,
        (other, _) => return Err(corrupt("billing", other)),
    };
    let membership = Membership {
        platform: row.platform,
        plan: row.plan,
        billing,
        price: Money::from_minor(row.price_minor, currency),
        start: date(id, "start_date", &row.start_date)?,
        paid_through: row
            .paid_through
            .as_deref()
            .map(|d| date(id, "paid_through", d))
            .transpose()?,
        trial_until: row
            .trial_until
            .as_deref()
            .map(|d| date(id, "trial_until", d))
            .transpose()?,
        auto_renew,
        benefits,
        category: row.category,
        notes: row.notes,
    };
    Ok(StoredMembership {
        id,
        revision: row.revision,
        created_at: row.created_at,
        updated_at: row.updated_at,
        membership,
    })
}

/// An auto-renew contract from its columns.
pub(crate) fn contract(
    id: i64,
    channel: &str,
    status: &str,
    closed_on: Option<&str>,
) -> Result<AutoRenewContract, StoreError> {
    let corrupt = |field: &'static str, value: &str| StoreError::Corrupt {
        id,
        field,
        value: value.to_string(),
    };
    let channel: Channel = channel.parse().map_err(|_| corrupt("channel", channel))?;
    let status = match (status, closed_on) {
        ("active", None) => ContractStatus::Active,
        ("unknown", None) => ContractStatus::Unknown,
        ("closed", Some(on)) => ContractStatus::Closed(date(id, "closed_on", on)?),
        (other, _) => return Err(corrupt("status", other)),
    };
    Ok(AutoRenewContract { channel, status })
}

/// A benefit from its columns.
pub(crate) fn benefit(
    id: i64,
    name: String,
    value: (Option<i64>, Option<String>),
    quantity: u32,
    redeemed: u32,
) -> Result<Benefit, StoreError> {
    let unit_value = match value {
        (Some(minor), Some(code)) => Some(Money::from_minor(minor, currency(id, &code)?)),
        _ => None,
    };
    Ok(Benefit {
        name,
        unit_value,
        quantity,
        redeemed,
    })
}

pub(crate) fn date(id: i64, field: &'static str, text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt {
        id,
        field,
        value: text.to_string(),
    })
}

pub(crate) fn currency(id: i64, code: &str) -> Result<Currency, StoreError> {
    Currency::from_code(code).map_err(|_| StoreError::Corrupt {
        id,
        field: "currency",
        value: code.to_string(),
    })
}

/// A bill transaction's columns as text and integers, before they are checked.
pub(crate) struct TxRow {
    pub(crate) id: i64,
    pub(crate) source: String,
    pub(crate) source_id: String,
    pub(crate) time: String,
    pub(crate) counterparty: String,
    pub(crate) description: String,
    pub(crate) category: String,
    pub(crate) direction: String,
    pub(crate) amount_minor: i64,
    pub(crate) currency: String,
    pub(crate) method: String,
    pub(crate) status: String,
    pub(crate) status_text: String,
    pub(crate) refund_of: Option<String>,
    pub(crate) line: i64,
}

impl TxRow {
    /// The transaction, or the column that cannot be read.
    pub(crate) fn into_transaction(self) -> Result<Transaction, StoreError> {
        let id = self.id;
        let corrupt = |field: &'static str, value: &str| StoreError::Corrupt {
            id,
            field,
            value: value.to_string(),
        };
        Ok(Transaction {
            source: Source::parse(&self.source).ok_or_else(|| corrupt("source", &self.source))?,
            time: self.time.parse().map_err(|_| corrupt("time", &self.time))?,
            direction: match self.direction.as_str() {
                "out" => Direction::Out,
                "in" => Direction::In,
                "neutral" => Direction::Neutral,
                other => return Err(corrupt("direction", other)),
            },
            amount: Money::from_minor(
                self.amount_minor,
                Currency::from_code(&self.currency)
                    .map_err(|_| corrupt("currency", &self.currency))?,
            ),
            status: match self.status.as_str() {
                "success" => TxStatus::Success,
                "closed" => TxStatus::Closed,
                "refund" => TxStatus::Refund,
                _ => TxStatus::Other,
            },
            line: u32::try_from(self.line).map_err(|_| corrupt("line", &self.line.to_string()))?,
            source_id: self.source_id.into(),
            counterparty: self.counterparty.into(),
            description: self.description.into(),
            category: self.category.into(),
            method: self.method.into(),
            status_text: self.status_text.into(),
            refund_of: self.refund_of.map(Into::into),
        })
    }
}

/// A direction as stored.
pub(crate) fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Out => "out",
        Direction::In => "in",
        Direction::Neutral => "neutral",
    }
}

/// A status as stored.
pub(crate) fn status_str(s: &TxStatus) -> &'static str {
    match s {
        TxStatus::Success => "success",
        TxStatus::Closed => "closed",
        TxStatus::Refund => "refund",
        TxStatus::Other => "other",
    }
}

/// Adds a split row (membership, member, shares or a fixed amount) to the splits read so
/// far, which come ordered by membership: a row with both or neither is corrupt.
pub(crate) fn push_split(
    out: &mut Vec<(i64, crate::Split)>,
    (mid, name, shares, fixed): (i64, String, Option<i64>, Option<i64>),
) -> Result<(), StoreError> {
    use tuiding_core::split::SplitRule;
    let rule = match (shares, fixed) {
        (Some(s), None) => {
            SplitRule::Shares(u32::try_from(s).map_err(|_| StoreError::Corrupt {
                id: mid,
                field: "shares",
                value: s.to_string(),
            })?)
        }
        (None, Some(f)) => SplitRule::Fixed(f),
        _ => {
            return Err(StoreError::Corrupt {
                id: mid,
                field: "split",
                value: name,
            });
        }
    };
    match out.last_mut() {
        Some((id, split)) if *id == mid => split.push((name, rule)),
        _ => out.push((mid, vec![(name, rule)])),
    }
    Ok(())
}
