//! Charges after cancellation: a charge from a stream whose membership had already closed
//! the channel it came through (or every channel) is money taken after the user left —
//! the strongest evidence in a dispute.

use jiff::civil::Date;
use tuiding_core::transaction::{Source, Transaction};
use tuiding_core::{Channel, ContractStatus, Membership};

/// The auto-renew channel a charge most likely came through.
pub fn channel_of(t: &Transaction) -> Channel {
    let text = format!("{} {}", t.counterparty, t.method);
    if text.contains("App Store") || text.contains("Apple") {
        return Channel::AppStore;
    }
    match t.source {
        Source::Alipay => Channel::Alipay,
        Source::WechatPay => Channel::WechatPay,
        Source::Bank => Channel::BankCard,
        Source::Jd | Source::Meituan => Channel::Other,
    }
}

/// Why a charge is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateCharge {
    /// Index into the transactions given.
    pub transaction: usize,
    /// The channel it came through.
    pub channel: Channel,
    /// The day that channel (or the last channel) was closed.
    pub closed_on: Date,
}

/// The charges (indices into `transactions`) made after `membership` had closed the
/// channel they came through, or after every channel was closed.
pub fn charged_after_cancellation(
    membership: &Membership,
    transactions: &[Transaction],
    charges: &[usize],
) -> Vec<LateCharge> {
    let all_closed_on = if membership.auto_renew.is_empty() || membership.renews() {
        None
    } else {
        membership
            .auto_renew
            .iter()
            .filter_map(|c| match c.status {
                ContractStatus::Closed(on) => Some(on),
                _ => None,
            })
            .max()
    };
    charges
        .iter()
        .filter_map(|&i| {
            let t = &transactions[i];
            let channel = channel_of(t);
            let closed_here = membership.contract(channel).and_then(|c| match c.status {
                ContractStatus::Closed(on) => Some(on),
                _ => None,
            });
            let closed_on = match (closed_here, all_closed_on) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }?;
            (t.time.date() > closed_on).then_some(LateCharge {
                transaction: i,
                channel,
                closed_on,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use tuiding_core::transaction::{Direction, TxStatus};
    use tuiding_core::{AutoRenewContract, Billing, Currency, Money, Period};

    fn charge(day: Date, source: Source) -> Transaction {
        Transaction {
            source,
            source_id: day.to_string().into(),
            time: day.at(2, 0, 0, 0),
            counterparty: "芒果TV".into(),
            description: "芒果TV会员自动续费".into(),
            category: "".into(),
            direction: Direction::Out,
            amount: Money::from_minor(1900, Currency::CNY),
            method: "零钱".into(),
            status: TxStatus::Success,
            status_text: "支付成功".into(),
            line: 9,
            refund_of: None,
        }
    }

    #[test]
    fn a_charge_through_a_closed_channel_is_flagged() {
        let mut m = Membership {
            platform: "芒果TV".into(),
            plan: String::new(),
            billing: Billing::Periodic(Period::month()),
            price: Money::from_minor(1900, Currency::CNY),
            start: date(2026, 1, 28),
            paid_through: None,
            trial_until: None,
            auto_renew: vec![
                AutoRenewContract {
                    channel: Channel::InApp,
                    status: ContractStatus::Closed(date(2026, 8, 1)),
                },
                AutoRenewContract {
                    channel: Channel::WechatPay,
                    status: ContractStatus::Active,
                },
            ],
            benefits: vec![],
            category: None,
            notes: None,
        };
        let rows = [
            charge(date(2026, 7, 28), Source::WechatPay),
            charge(date(2026, 8, 28), Source::WechatPay),
        ];
        // Closed only in the app: WeChat Pay still charges, and that is not yet "after
        // cancellation" (the rule check warns about it instead).
        assert!(charged_after_cancellation(&m, &rows, &[0, 1]).is_empty());
        m.auto_renew[1].status = ContractStatus::Closed(date(2026, 8, 10));
        let late = charged_after_cancellation(&m, &rows, &[0, 1]);
        assert_eq!(
            late,
            [LateCharge {
                transaction: 1,
                channel: Channel::WechatPay,
                closed_on: date(2026, 8, 10)
            }]
        );
    }
}
