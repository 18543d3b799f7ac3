//! One normalised bill transaction, whatever export it came from. Parsed by
//! `tuiding-bills`, stored by `tuiding-store`, read by recurring-charge detection.
//!
//! Text that repeats across rows (merchant, item, category, method, status) is shared
//! (`Arc<str>`), so a million-row export costs one copy of each distinct value.

use std::sync::Arc;

use jiff::civil::DateTime;

use crate::money::Money;

/// Which export a transaction came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Alipay 交易明细.
    Alipay,
    /// WeChat Pay 账单.
    WechatPay,
    /// A bank or card statement (read through a column mapping).
    Bank,
    /// JD (京东) wallet bill.
    Jd,
    /// Meituan (美团) bill.
    Meituan,
}

impl Source {
    /// `alipay`, `wechat_pay`, `bank`, `jd` or `meituan`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Alipay => "alipay",
            Source::WechatPay => "wechat_pay",
            Source::Bank => "bank",
            Source::Jd => "jd",
            Source::Meituan => "meituan",
        }
    }

    /// Reads [`Source::as_str`] back.
    pub fn parse(text: &str) -> Option<Source> {
        match text {
            "alipay" => Some(Source::Alipay),
            "wechat_pay" => Some(Source::WechatPay),
            "bank" => Some(Source::Bank),
            "jd" => Some(Source::Jd),
            "meituan" => Some(Source::Meituan),
            _ => None,
        }
    }
}

/// Money out, in, or neither (不计收支, 中性交易).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// 支出.
    Out,
    /// 收入.
    In,
    /// 不计收支 / `/`: moves between the user's own accounts, refunds, closed orders.
    Neutral,
}

/// What happened to the transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxStatus {
    /// Paid (交易成功, 支付成功, 等待确认收货 — the money has left).
    Success,
    /// Closed (交易关闭, 已全额退款): either never paid or paid and fully refunded.
    Closed,
    /// The row is itself a refund (退款成功, a `…-退款` row).
    Refund,
    /// Anything else; the text is in [`Transaction::status_text`].
    Other,
}

/// One transaction from an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Which export.
    pub source: Source,
    /// The export's own transaction id, trimmed (交易订单号 / 交易单号).
    pub source_id: Box<str>,
    /// Local time (Beijing) as written.
    pub time: DateTime,
    /// 交易对方.
    pub counterparty: Arc<str>,
    /// 商品说明 / 商品.
    pub description: Arc<str>,
    /// 交易分类 / 交易类型.
    pub category: Arc<str>,
    /// In, out or neutral.
    pub direction: Direction,
    /// Always positive; the direction says which way.
    pub amount: Money,
    /// 收/付款方式 / 支付方式.
    pub method: Arc<str>,
    /// 交易状态 / 当前状态, classified.
    pub status: TxStatus,
    /// The status text as written.
    pub status_text: Arc<str>,
    /// 1-based line in the file.
    pub line: u32,
    /// For a refund row: the id of the charge it refunds, when it could be linked.
    pub refund_of: Option<Box<str>>,
}

impl Transaction {
    /// Money that actually left the account for a purchase: out, paid, not a refund row.
    pub fn is_charge(&self) -> bool {
        self.direction == Direction::Out
            && matches!(self.status, TxStatus::Success | TxStatus::Other)
            && !self.amount.is_zero()
    }
}
