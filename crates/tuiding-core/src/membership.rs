//! A paid membership in the ledger, and what follows from it on a given day.
//!
//! The stored facts are what the user knows (platform, plan, how it bills, price, start,
//! paid-through date, where auto-renewal is contracted, benefits). Everything else — the
//! current period, the next renewal, the cost equivalents — is derived from them and the
//! date passed in, never stored, so it cannot go stale.

use std::fmt;
use std::str::FromStr;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::bounds;
use crate::i18n::{Lang, Localized};
use crate::money::{Money, Rounding};
use crate::period::{Period, PeriodError, PeriodSpan};

/// How a membership is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// Charged every period (连续包月, 自动续费 …).
    Periodic(Period),
    /// Bought once for a fixed term (a buy-out; 单次购买).
    OneTime,
    /// Given away or promotional (赠送 / 活动会员): nothing was paid for it directly.
    Gifted,
}

impl Billing {
    /// `periodic`, `one_time` or `gifted`.
    pub fn kind(self) -> &'static str {
        match self {
            Billing::Periodic(_) => "periodic",
            Billing::OneTime => "one_time",
            Billing::Gifted => "gifted",
        }
    }

    /// The period, for periodic billing.
    pub fn period(self) -> Option<Period> {
        match self {
            Billing::Periodic(p) => Some(p),
            _ => None,
        }
    }
}

/// Where an auto-renewal (a deduction agreement) can be contracted. Closing it in one
/// place does not close it in another: that is why each is tracked on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Inside the platform's own app or site.
    InApp,
    /// WeChat Pay 扣费服务 / 自动续费.
    WechatPay,
    /// Alipay 自动扣款 / 免密支付.
    Alipay,
    /// Apple App Store subscriptions.
    AppStore,
    /// Google Play subscriptions.
    GooglePlay,
    /// Huawei account 自动续费.
    Huawei,
    /// A mobile carrier's phone-bill deduction (话费代扣).
    Carrier,
    /// A bank card's recurring debit.
    BankCard,
    /// Anything else.
    Other,
}

impl Channel {
    /// Every channel, in display order.
    pub const ALL: [Channel; 9] = [
        Channel::InApp,
        Channel::WechatPay,
        Channel::Alipay,
        Channel::AppStore,
        Channel::GooglePlay,
        Channel::Huawei,
        Channel::Carrier,
        Channel::BankCard,
        Channel::Other,
    ];

    /// The machine name: `in_app`, `wechat_pay`, `alipay`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::WechatPay => "wechat_pay",
            Channel::Alipay => "alipay",
            Channel::AppStore => "app_store",
            Channel::GooglePlay => "google_play",
            Channel::Huawei => "huawei",
            Channel::Carrier => "carrier",
            Channel::BankCard => "bank_card",
            Channel::Other => "other",
        }
    }

    /// A name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Channel::InApp => lang.pick("应用内", "in app"),
            Channel::WechatPay => lang.pick("微信支付", "WeChat Pay"),
            Channel::Alipay => lang.pick("支付宝", "Alipay"),
            Channel::AppStore => lang.pick("App Store", "App Store"),
            Channel::GooglePlay => lang.pick("Google Play", "Google Play"),
            Channel::Huawei => lang.pick("华为", "Huawei"),
            Channel::Carrier => lang.pick("运营商话费", "carrier billing"),
            Channel::BankCard => lang.pick("银行卡", "bank card"),
            Channel::Other => lang.pick("其他", "other"),
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads the machine names and the words people use (`wechat`, `微信`, `支付宝`, `apple`, …).
impl FromStr for Channel {
    type Err = MembershipError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim().to_lowercase().replace(['-', ' '], "_");
        Ok(match text.as_str() {
            "in_app" | "app" | "inapp" | "应用内" | "app内" => Channel::InApp,
            "wechat_pay" | "wechat" | "weixin" | "wxpay" | "微信" | "微信支付" => {
                Channel::WechatPay
            }
            "alipay" | "支付宝" => Channel::Alipay,
            "app_store" | "appstore" | "apple" | "ios" | "itunes" | "苹果" => Channel::AppStore,
            "google_play" | "googleplay" | "google" => Channel::GooglePlay,
            "huawei" | "华为" => Channel::Huawei,
            "carrier" | "phone_bill" | "运营商" | "话费" => Channel::Carrier,
            "bank_card" | "bank" | "card" | "银行卡" => Channel::BankCard,
            "other" | "其他" => Channel::Other,
            _ => {
                return Err(MembershipError::Invalid {
                    field: "auto_renew",
                    reason: InvalidReason::UnknownChannel(s.trim().to_string()),
                });
            }
        })
    }
}

/// The state of one auto-renew contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractStatus {
    /// It will charge at the next renewal.
    Active,
    /// Closed (解约) on this date.
    Closed(Date),
    /// Not known: treat as able to charge until proven closed.
    Unknown,
}

impl ContractStatus {
    /// `active`, `closed` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Active => "active",
            ContractStatus::Closed(_) => "closed",
            ContractStatus::Unknown => "unknown",
        }
    }

    /// Whether the contract can still charge.
    pub fn can_charge(self) -> bool {
        !matches!(self, ContractStatus::Closed(_))
    }
}

/// One auto-renew contract: a channel and its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoRenewContract {
    /// Where it is contracted.
    pub channel: Channel,
    /// Whether it is active.
    pub status: ContractStatus,
}

/// A benefit that comes with the membership (coupons, vouchers, free items), which a
/// cancellation may void or a refund may deduct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Benefit {
    /// What it is, e.g. "观影券".
    pub name: String,
    /// What one unit is worth, if known.
    pub unit_value: Option<Money>,
    /// How many units the membership grants (per period).
    pub quantity: u32,
    /// How many have been used.
    pub redeemed: u32,
}

impl Benefit {
    /// Units not yet used.
    pub fn remaining(&self) -> u32 {
        self.quantity.saturating_sub(self.redeemed)
    }
}

/// One paid membership.
///
/// ```
/// use jiff::civil::date;
/// use tuiding_core::{AutoRenewContract, Billing, Channel, ContractStatus, Currency, Membership, Money, Period};
/// let m = Membership {
///     platform: "爱奇艺".into(),
///     plan: "黄金VIP连续包月".into(),
///     billing: Billing::Periodic(Period::month()),
///     price: Money::parse("25", Currency::CNY).unwrap(),
///     start: date(2026, 1, 31),
///     paid_through: None,
///     trial_until: None,
///     auto_renew: vec![AutoRenewContract { channel: Channel::WechatPay, status: ContractStatus::Active }],
///     benefits: vec![],
///     category: Some("视频".into()),
///     notes: None,
/// };
/// let today = date(2026, 11, 23);
/// assert_eq!(m.next_renewal(today).unwrap(), Some(date(2026, 11, 30)));
/// assert_eq!(m.days_until_renewal(today).unwrap(), Some(7));
/// assert_eq!(m.yearly_cost().unwrap().unwrap().amount_string(), "300.00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The platform or brand, e.g. "爱奇艺".
    pub platform: String,
    /// The plan, e.g. "黄金VIP连续包月".
    pub plan: String,
    /// How it bills.
    pub billing: Billing,
    /// The price per period (periodic), the price paid (one-time), or 0 (gifted).
    pub price: Money,
    /// The first day of the first paid period.
    pub start: Date,
    /// The last day already paid for (inclusive), when known.
    pub paid_through: Option<Date>,
    /// The day a free (or token-price) trial converts: the first charge at `price`, the
    /// anchor of every renewal after it. `None` when there is no trial.
    pub trial_until: Option<Date>,
    /// One contract per channel where auto-renewal is (or was) set up.
    pub auto_renew: Vec<AutoRenewContract>,
    /// Benefits that come with it.
    pub benefits: Vec<Benefit>,
    /// A category such as 视频, 音乐, 网盘.
    pub category: Option<String>,
    /// Free-form notes.
    pub notes: Option<String>,
}

/// Where a membership stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipStatus {
    /// It has not started yet.
    Upcoming,
    /// In a trial that converts (charges `price`) on this day unless cancelled before.
    Trial(Date),
    /// It runs (and renews, when periodic; a buy-out with no known end runs on).
    Active,
    /// It runs but will not renew; the service ends after the given day.
    Ending(Date),
    /// It ended on the given day, or ends with no known date.
    Ended(Option<Date>),
}

impl MembershipStatus {
    /// `upcoming`, `active`, `ending` or `ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Upcoming => "upcoming",
            MembershipStatus::Trial(_) => "trial",
            MembershipStatus::Active => "active",
            MembershipStatus::Ending(_) => "ending",
            MembershipStatus::Ended(_) => "ended",
        }
    }
}

/// A date that matters: the next renewal (a charge) or the end of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Renewal {
    /// The day.
    pub date: Date,
    /// True when money will be taken on that day; false when the service ends (last day).
    pub charges: bool,
}

impl Membership {
    /// Checks what the ledger must never hold, naming the field at fault.
    pub fn validate(&self) -> Result<(), MembershipError> {
        let invalid = |field, reason| Err(MembershipError::Invalid { field, reason });
        if self.platform.trim().is_empty() {
            return invalid("platform", InvalidReason::Empty);
        }
        if self.price.is_negative() {
            return invalid("price", InvalidReason::NegativePrice);
        }
        if !bounds::amount_in_range(self.price) {
            return invalid("price", InvalidReason::AmountTooLarge);
        }
        let dates = [
            ("start", Some(self.start)),
            ("paid_through", self.paid_through),
            ("trial_until", self.trial_until),
        ];
        let closed = self.auto_renew.iter().map(|c| match c.status {
            ContractStatus::Closed(on) => ("auto_renew", Some(on)),
            _ => ("auto_renew", None),
        });
        for (field, day) in dates.into_iter().chain(closed) {
            if let Some(day) = day
                && !bounds::date_in_range(day)
            {
                return invalid(field, InvalidReason::DateOutOfRange(day));
            }
        }
        if let Billing::Periodic(period) = self.billing
            && period.approx_days() > bounds::MAX_DAYS
        {
            return invalid("period", InvalidReason::PeriodTooLong);
        }
        if let Some(trial_until) = self.trial_until
            && trial_until <= self.start
        {
            return invalid("trial_until", InvalidReason::BeforeStart(self.start));
        }
        if let Some(paid_through) = self.paid_through
            && paid_through < self.start
        {
            return invalid("paid_through", InvalidReason::BeforeStart(self.start));
        }
        for (i, contract) in self.auto_renew.iter().enumerate() {
            if self.auto_renew[..i]
                .iter()
                .any(|c| c.channel == contract.channel)
            {
                return invalid(
                    "auto_renew",
                    InvalidReason::DuplicateChannel(contract.channel),
                );
            }
        }
        for (i, benefit) in self.benefits.iter().enumerate() {
            if benefit.name.trim().is_empty() {
                return invalid("benefit", InvalidReason::Empty);
            }
            if benefit.redeemed > benefit.quantity {
                return invalid(
                    "benefit",
                    InvalidReason::RedeemedMoreThanGranted(benefit.name.clone()),
                );
            }
            if self.benefits[..i].iter().any(|b| b.name == benefit.name) {
                return invalid(
                    "benefit",
                    InvalidReason::DuplicateBenefit(benefit.name.clone()),
                );
            }
            if let Some(value) = benefit.unit_value
                && value.is_negative()
            {
                return invalid("benefit", InvalidReason::NegativePrice);
            }
            if benefit
                .unit_value
                .is_some_and(|v| !bounds::amount_in_range(v))
            {
                return invalid("benefit", InvalidReason::AmountTooLarge);
            }
            if benefit.quantity > bounds::MAX_QUANTITY {
                return invalid(
                    "benefit",
                    InvalidReason::QuantityTooLarge(benefit.name.clone()),
                );
            }
        }
        Ok(())
    }

    /// The contract for a channel, if any.
    pub fn contract(&self, channel: Channel) -> Option<&AutoRenewContract> {
        self.auto_renew.iter().find(|c| c.channel == channel)
    }

    /// Channels that can still charge although another channel has been closed: turning
    /// off auto-renew in one place (often the app) while the payment channel's deduction
    /// agreement stays active is the most common reason a cancellation fails.
    pub fn lingering_channels(&self) -> Vec<Channel> {
        let any_closed = self.auto_renew.iter().any(|c| !c.status.can_charge());
        if !any_closed || !matches!(self.billing, Billing::Periodic(_)) {
            return Vec::new();
        }
        self.auto_renew
            .iter()
            .filter(|c| c.status.can_charge())
            .map(|c| c.channel)
            .collect()
    }

    /// Whether the membership will charge again: periodic, and either no contract is
    /// recorded (unknown, so assume yes) or at least one can still charge.
    pub fn renews(&self) -> bool {
        matches!(self.billing, Billing::Periodic(_))
            && (self.auto_renew.is_empty() || self.auto_renew.iter().any(|c| c.status.can_charge()))
    }

    /// The billing period that contains `today`. For one-time and gifted memberships it
    /// is the paid term (`start` to `paid_through`), when known.
    pub fn current_period(&self, today: Date) -> Result<Option<PeriodSpan>, MembershipError> {
        match self.billing {
            Billing::Periodic(period) => Ok(period.span_containing(self.anchor(), today)?),
            Billing::OneTime | Billing::Gifted => {
                let Some(paid_through) = self.paid_through else {
                    return Ok(None);
                };
                let end = day_after(paid_through)?;
                Ok((self.start <= today && today < end).then_some(PeriodSpan {
                    index: 0,
                    start: self.start,
                    end,
                }))
            }
        }
    }

    /// The next day money will be taken: the first renewal strictly after `today` and
    /// after the paid-through date. `None` when nothing will renew.
    pub fn next_renewal(&self, today: Date) -> Result<Option<Date>, MembershipError> {
        let Billing::Periodic(period) = self.billing else {
            return Ok(None);
        };
        if !self.renews() {
            return Ok(None);
        }
        let after = match self.paid_through {
            Some(paid_through) if paid_through > today => paid_through,
            _ => today,
        };
        if let Some(trial_until) = self.trial_until
            && after < trial_until
        {
            // The trial converts: the first charge.
            return Ok(Some(trial_until));
        }
        Ok(Some(period.next_boundary_after(self.anchor(), after)?))
    }

    /// The date renewals are counted from: the trial's end when there is one, else the start.
    pub fn anchor(&self) -> Date {
        self.trial_until.unwrap_or(self.start)
    }

    /// Days from `today` until [`Membership::next_renewal`].
    pub fn days_until_renewal(&self, today: Date) -> Result<Option<i64>, MembershipError> {
        Ok(self.next_renewal(today)?.map(|d| days_between(today, d)))
    }

    /// The last day of service when the membership will not renew (`None` when it renews,
    /// or when no end is known).
    pub fn ends_on(&self, today: Date) -> Result<Option<Date>, MembershipError> {
        if self.renews() {
            return Ok(None);
        }
        match self.billing {
            Billing::Periodic(period) => {
                if let Some(paid_through) = self.paid_through {
                    return Ok(Some(paid_through));
                }
                // Without a paid-through date, the service runs to the end of the period
                // in which the last contract was closed.
                let closed_on = self
                    .auto_renew
                    .iter()
                    .filter_map(|c| match c.status {
                        ContractStatus::Closed(on) => Some(on),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(today);
                // Closed during the trial: the service ends with the trial.
                if let Some(trial_until) = self.trial_until
                    && closed_on < trial_until
                {
                    return Ok(Some(day_before(trial_until)?));
                }
                let period_end =
                    period.next_boundary_after(self.anchor(), closed_on.max(self.anchor()))?;
                Ok(Some(day_before(period_end)?))
            }
            Billing::OneTime | Billing::Gifted => Ok(self.paid_through),
        }
    }

    /// Where the membership stands on `today`.
    pub fn status(&self, today: Date) -> Result<MembershipStatus, MembershipError> {
        if today < self.start {
            return Ok(MembershipStatus::Upcoming);
        }
        if self.renews() {
            if let Some(trial_until) = self.trial_until
                && today < trial_until
            {
                return Ok(MembershipStatus::Trial(trial_until));
            }
            return Ok(MembershipStatus::Active);
        }
        Ok(match self.ends_on(today)? {
            Some(last) if last >= today => MembershipStatus::Ending(last),
            Some(last) => MembershipStatus::Ended(Some(last)),
            // A buy-out or gifted plan with no known end still runs: no known end is not
            // an end.
            None if !matches!(self.billing, Billing::Periodic(_)) => MembershipStatus::Active,
            None => MembershipStatus::Ended(None),
        })
    }

    /// The next key date on or after `today`: a renewal, or the last day of a service
    /// that will not renew.
    pub fn next_key_date(&self, today: Date) -> Result<Option<Renewal>, MembershipError> {
        if let Some(date) = self.next_renewal(today)? {
            return Ok(Some(Renewal {
                date,
                charges: true,
            }));
        }
        Ok(self
            .ends_on(today)?
            .filter(|last| *last >= today)
            .map(|date| Renewal {
                date,
                charges: false,
            }))
    }

    /// Every key date from the day after `today` up to and including `last`: each
    /// renewal charge (a weekly plan charges several times in a month), then the last
    /// day of service when it will not renew.
    pub fn key_dates_within(
        &self,
        today: Date,
        last: Date,
    ) -> Result<Vec<Renewal>, MembershipError> {
        let mut dates = Vec::new();
        let mut cursor = today;
        while let Some(date) = self.next_renewal(cursor)? {
            if date > last {
                break;
            }
            dates.push(Renewal {
                date,
                charges: true,
            });
            cursor = date;
        }
        if let Some(end) = self.ends_on(today)?
            && end >= today
            && end <= last
        {
            dates.push(Renewal {
                date: end,
                charges: false,
            });
        }
        Ok(dates)
    }

    /// What the membership costs per year, for periodic billing: price × periods per
    /// year (52 weeks, 12 months, 365/N days), rounded half-up to the minor unit.
    pub fn yearly_cost(&self) -> Result<Option<Money>, MembershipError> {
        let Billing::Periodic(period) = self.billing else {
            return Ok(None);
        };
        let (num, den) = period.per_year();
        Ok(Some(self.price.mul_ratio(num, den, Rounding::HalfUp)?))
    }

    /// What the membership costs per month: the yearly cost / 12, computed from the
    /// price in one step (rounded half-up once).
    pub fn monthly_cost(&self) -> Result<Option<Money>, MembershipError> {
        let Billing::Periodic(period) = self.billing else {
            return Ok(None);
        };
        let (num, den) = period.per_year();
        Ok(Some(self.price.mul_ratio(
            num,
            den * 12,
            Rounding::HalfUp,
        )?))
    }
}

fn day_after(date: Date) -> Result<Date, MembershipError> {
    date.checked_add(1.day())
        .map_err(|_| MembershipError::OutOfRange(date))
}

fn day_before(date: Date) -> Result<Date, MembershipError> {
    date.checked_sub(1.day())
        .map_err(|_| MembershipError::OutOfRange(date))
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    i64::from((b - a).get_days())
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidReason {
    /// Nothing was given where something is required.
    Empty,
    /// A price below zero.
    NegativePrice,
    /// A date before the start date.
    BeforeStart(Date),
    /// The same channel twice.
    DuplicateChannel(Channel),
    /// A channel name tuiding does not know.
    UnknownChannel(String),
    /// The same benefit twice.
    DuplicateBenefit(String),
    /// More used than granted.
    RedeemedMoreThanGranted(String),
    /// An amount beyond [`bounds::MAX_AMOUNT_MINOR`].
    AmountTooLarge,
    /// A date outside [`bounds::EARLIEST_DATE`]..=[`bounds::LATEST_DATE`].
    DateOutOfRange(Date),
    /// A period longer than [`bounds::MAX_DAYS`].
    PeriodTooLong,
    /// More units of a benefit than [`bounds::MAX_QUANTITY`].
    QuantityTooLarge(String),
}

/// Why a membership was refused or a figure could not be derived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MembershipError {
    /// A field holds a value the ledger must not hold.
    #[error("{field}: {}", reason_en(reason))]
    Invalid {
        /// The field at fault (`platform`, `price`, `paid_through`, `auto_renew`, `benefit`).
        field: &'static str,
        /// What is wrong.
        reason: InvalidReason,
    },
    /// Period arithmetic failed.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// Money arithmetic failed.
    #[error(transparent)]
    Money(#[from] crate::money::MoneyError),
    /// A date at the edge of the supported range.
    #[error("date {0} is at the edge of the supported range")]
    OutOfRange(Date),
}

impl InvalidReason {
    /// The reason in the user's language, without the field name.
    pub fn describe(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => reason_zh(self),
            Lang::En => reason_en(self),
        }
    }
}

fn reason_en(reason: &InvalidReason) -> String {
    let channels = Channel::ALL.map(Channel::as_str).join(", ");
    match reason {
        InvalidReason::Empty => "must not be empty".into(),
        InvalidReason::NegativePrice => "must not be negative".into(),
        InvalidReason::BeforeStart(start) => format!("must not be before the start date {start}"),
        InvalidReason::DuplicateChannel(c) => format!("channel {c} is listed twice"),
        InvalidReason::UnknownChannel(c) => format!("unknown channel {c:?}; use one of {channels}"),
        InvalidReason::DuplicateBenefit(b) => format!("benefit {b:?} is listed twice"),
        InvalidReason::RedeemedMoreThanGranted(b) => {
            format!("benefit {b:?} has more redeemed than granted")
        }
        InvalidReason::AmountTooLarge => format!(
            "is too large; the most the ledger holds is {} in minor units",
            bounds::MAX_AMOUNT_MINOR
        ),
        InvalidReason::DateOutOfRange(d) => format!(
            "{d} is outside {} to {}",
            bounds::EARLIEST_DATE,
            bounds::LATEST_DATE
        ),
        InvalidReason::PeriodTooLong => {
            format!("is longer than {} days", bounds::MAX_DAYS)
        }
        InvalidReason::QuantityTooLarge(b) => {
            format!("benefit {b:?} has more than {} units", bounds::MAX_QUANTITY)
        }
    }
}

fn reason_zh(reason: &InvalidReason) -> String {
    let channels = Channel::ALL.map(Channel::as_str).join("、");
    match reason {
        InvalidReason::Empty => "不能为空".into(),
        InvalidReason::NegativePrice => "不能为负数".into(),
        InvalidReason::BeforeStart(start) => format!("不能早于开始日期 {start}"),
        InvalidReason::DuplicateChannel(c) => format!("渠道 {c} 重复出现"),
        InvalidReason::UnknownChannel(c) => format!("不认识的渠道 {c:?}；可用：{channels}"),
        InvalidReason::DuplicateBenefit(b) => format!("权益 {b:?} 重复出现"),
        InvalidReason::RedeemedMoreThanGranted(b) => format!("权益 {b:?} 的已用数量超过总数"),
        InvalidReason::AmountTooLarge => format!(
            "金额过大；账本最多记 {} 个最小货币单位（人民币即 1 亿元）",
            bounds::MAX_AMOUNT_MINOR
        ),
        InvalidReason::DateOutOfRange(d) => format!(
            "日期 {d} 超出 {} 至 {} 的范围",
            bounds::EARLIEST_DATE,
            bounds::LATEST_DATE
        ),
        InvalidReason::PeriodTooLong => format!("周期超过 {} 天", bounds::MAX_DAYS),
        InvalidReason::QuantityTooLarge(b) => {
            format!("权益 {b:?} 的数量超过 {}", bounds::MAX_QUANTITY)
        }
    }
}

impl Localized for MembershipError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (MembershipError::Invalid { field, reason }, Lang::Zh) => {
                format!("{field}：{}", reason_zh(reason))
            }
            (MembershipError::Period(e), _) => e.localized(lang),
            (MembershipError::Money(e), _) => e.localized(lang),
            (MembershipError::OutOfRange(d), Lang::Zh) => format!("日期 {d} 超出支持范围"),
            _ => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use jiff::civil::date;

    fn iqiyi() -> Membership {
        Membership {
            platform: "爱奇艺".into(),
            plan: "黄金VIP连续包月".into(),
            billing: Billing::Periodic(Period::month()),
            price: Money::from_minor(2500, Currency::CNY),
            start: date(2026, 1, 31),
            paid_through: None,
            trial_until: None,
            auto_renew: vec![AutoRenewContract {
                channel: Channel::WechatPay,
                status: ContractStatus::Active,
            }],
            benefits: vec![],
            category: None,
            notes: None,
        }
    }

    #[test]
    fn a_trial_converts_on_a_month_end_and_renews_from_there() {
        let m = Membership {
            platform: "腾讯视频".into(),
            plan: "VIP".into(),
            billing: Billing::Periodic(Period::month()),
            price: Money::from_minor(3000, Currency::CNY),
            start: date(2027, 1, 24),
            paid_through: None,
            trial_until: Some(date(2027, 1, 31)),
            auto_renew: vec![],
            benefits: vec![],
            category: None,
            notes: None,
        };
        assert_eq!(
            m.status(date(2027, 1, 25)).unwrap(),
            MembershipStatus::Trial(date(2027, 1, 31))
        );
        assert_eq!(
            m.next_renewal(date(2027, 1, 25)).unwrap(),
            Some(date(2027, 1, 31))
        );
        assert_eq!(
            m.status(date(2027, 1, 31)).unwrap(),
            MembershipStatus::Active
        );
        assert_eq!(
            m.next_renewal(date(2027, 1, 31)).unwrap(),
            Some(date(2027, 2, 28))
        );
        assert_eq!(
            m.next_renewal(date(2027, 2, 28)).unwrap(),
            Some(date(2027, 3, 31))
        );
        assert_eq!(
            m.current_period(date(2027, 3, 1)).unwrap().map(|p| p.start),
            Some(date(2027, 2, 28))
        );
        // Cancelled during the trial: the service ends with it and nothing is charged.
        let mut closed = m.clone();
        closed.auto_renew = vec![AutoRenewContract {
            channel: Channel::WechatPay,
            status: ContractStatus::Closed(date(2027, 1, 26)),
        }];
        assert_eq!(closed.next_renewal(date(2027, 1, 26)).unwrap(), None);
        assert_eq!(
            closed.status(date(2027, 1, 27)).unwrap(),
            MembershipStatus::Ending(date(2027, 1, 30))
        );
        // A trial must end after it starts.
        let mut bad = m.clone();
        bad.trial_until = Some(date(2027, 1, 24));
        assert!(bad.validate().is_err());
    }

    #[test]
    fn next_renewal_follows_the_anchored_schedule() {
        let m = iqiyi();
        assert_eq!(
            m.next_renewal(date(2026, 11, 23)).unwrap(),
            Some(date(2026, 11, 30))
        );
        assert_eq!(m.days_until_renewal(date(2026, 11, 23)).unwrap(), Some(7));
        // On the renewal day itself the new period has begun: next one is Dec 31.
        assert_eq!(
            m.next_renewal(date(2026, 11, 30)).unwrap(),
            Some(date(2026, 12, 31))
        );
        // Before the start, the first renewal.
        assert_eq!(
            m.next_renewal(date(2026, 1, 1)).unwrap(),
            Some(date(2026, 2, 28))
        );
        let span = m.current_period(date(2026, 11, 23)).unwrap().unwrap();
        assert_eq!(
            (span.start, span.end),
            (date(2026, 10, 31), date(2026, 11, 30))
        );
    }

    #[test]
    fn paid_through_pushes_the_next_renewal() {
        let mut m = iqiyi();
        m.paid_through = Some(date(2027, 1, 30));
        assert_eq!(
            m.next_renewal(date(2026, 11, 23)).unwrap(),
            Some(date(2027, 1, 31))
        );
    }

    #[test]
    fn closed_contracts_stop_renewal_and_set_an_end() {
        let mut m = iqiyi();
        m.auto_renew[0].status = ContractStatus::Closed(date(2026, 11, 20));
        let today = date(2026, 11, 23);
        assert!(!m.renews());
        assert_eq!(m.next_renewal(today).unwrap(), None);
        assert_eq!(m.ends_on(today).unwrap(), Some(date(2026, 11, 29)));
        assert_eq!(
            m.status(today).unwrap(),
            MembershipStatus::Ending(date(2026, 11, 29))
        );
        assert_eq!(
            m.next_key_date(today).unwrap(),
            Some(Renewal {
                date: date(2026, 11, 29),
                charges: false
            })
        );
        // Months later it is still the period of the closure that ended it.
        assert_eq!(
            m.status(date(2027, 3, 1)).unwrap(),
            MembershipStatus::Ended(Some(date(2026, 11, 29)))
        );
        // One closed, one unknown: still renews.
        m.auto_renew.push(AutoRenewContract {
            channel: Channel::Alipay,
            status: ContractStatus::Unknown,
        });
        assert!(m.renews());
    }

    #[test]
    fn key_dates_list_every_charge_in_the_window() {
        let mut m = iqiyi();
        m.billing = Billing::Periodic(Period::week());
        m.start = date(2026, 11, 2);
        let dates = m
            .key_dates_within(date(2026, 11, 23), date(2026, 12, 23))
            .unwrap();
        let got: Vec<Date> = dates.iter().map(|r| r.date).collect();
        assert_eq!(
            got,
            [
                date(2026, 11, 30),
                date(2026, 12, 7),
                date(2026, 12, 14),
                date(2026, 12, 21)
            ]
        );
        assert!(dates.iter().all(|r| r.charges));
        m.auto_renew[0].status = ContractStatus::Closed(date(2026, 11, 23));
        let dates = m
            .key_dates_within(date(2026, 11, 23), date(2026, 12, 23))
            .unwrap();
        assert_eq!(
            dates,
            [Renewal {
                date: date(2026, 11, 29),
                charges: false
            }]
        );
    }

    #[test]
    fn one_time_and_gifted_never_renew() {
        let mut m = iqiyi();
        m.billing = Billing::OneTime;
        m.auto_renew.clear();
        m.paid_through = Some(date(2026, 12, 31));
        let today = date(2026, 11, 23);
        assert_eq!(m.next_renewal(today).unwrap(), None);
        assert_eq!(
            m.status(today).unwrap(),
            MembershipStatus::Ending(date(2026, 12, 31))
        );
        assert_eq!(
            m.status(date(2027, 1, 1)).unwrap(),
            MembershipStatus::Ended(Some(date(2026, 12, 31)))
        );
        assert_eq!(m.yearly_cost().unwrap(), None);
        m.billing = Billing::Gifted;
        m.paid_through = None;
        // No known end is not an end.
        assert_eq!(m.status(today).unwrap(), MembershipStatus::Active);
        assert_eq!(m.current_period(today).unwrap(), None);
    }

    #[test]
    fn cost_equivalents() {
        let mut m = iqiyi();
        assert_eq!(m.monthly_cost().unwrap().unwrap().amount_string(), "25.00");
        assert_eq!(m.yearly_cost().unwrap().unwrap().amount_string(), "300.00");
        m.billing = Billing::Periodic(Period::year());
        m.price = Money::from_minor(19_800, Currency::CNY);
        assert_eq!(m.monthly_cost().unwrap().unwrap().amount_string(), "16.50");
        m.billing = Billing::Periodic(Period::week());
        m.price = Money::from_minor(1_900, Currency::CNY);
        assert_eq!(m.yearly_cost().unwrap().unwrap().amount_string(), "988.00");
        assert_eq!(m.monthly_cost().unwrap().unwrap().amount_string(), "82.33");
        m.billing = Billing::Periodic(Period::quarter());
        m.price = Money::from_minor(6_800, Currency::CNY);
        assert_eq!(m.monthly_cost().unwrap().unwrap().amount_string(), "22.67");
    }

    #[test]
    fn validation_names_the_field() {
        let mut m = iqiyi();
        m.platform = " ".into();
        assert!(matches!(
            m.validate(),
            Err(MembershipError::Invalid {
                field: "platform",
                ..
            })
        ));
        let mut m = iqiyi();
        m.paid_through = Some(date(2025, 1, 1));
        assert!(matches!(
            m.validate(),
            Err(MembershipError::Invalid {
                field: "paid_through",
                ..
            })
        ));
        let mut m = iqiyi();
        m.auto_renew.push(m.auto_renew[0]);
        assert!(matches!(
            m.validate(),
            Err(MembershipError::Invalid {
                field: "auto_renew",
                ..
            })
        ));
        let mut m = iqiyi();
        m.benefits.push(Benefit {
            name: "观影券".into(),
            unit_value: None,
            quantity: 1,
            redeemed: 2,
        });
        let err = m.validate().unwrap_err();
        assert!(err.localized(Lang::Zh).contains("观影券"));
        assert!(iqiyi().validate().is_ok());
    }

    #[test]
    fn channels_read_common_words() {
        assert_eq!("微信".parse::<Channel>().unwrap(), Channel::WechatPay);
        assert_eq!("App-Store".parse::<Channel>().unwrap(), Channel::AppStore);
        assert_eq!("支付宝".parse::<Channel>().unwrap(), Channel::Alipay);
        let err = "paypal".parse::<Channel>().unwrap_err();
        assert!(err.to_string().contains("wechat_pay"), "{err}");
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>().unwrap(), c);
        }
    }
}
