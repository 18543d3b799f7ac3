//! The membership flags shared by `add` and `edit`; they fill the application's one
//! [`MembershipInput`], as the web's forms and JSON do.

use clap::Args;
use tuiding_app::memberships::input::MembershipInput;

/// Flags that describe a membership.
#[derive(Debug, Args, Default, Clone)]
pub struct MembershipFields {
    /// 平台 / Platform or brand, e.g. 爱奇艺
    #[arg(long)]
    pub platform: Option<String>,
    /// 套餐 / Plan, e.g. 黄金VIP连续包月
    #[arg(long)]
    pub plan: Option<String>,
    /// 计费周期 / Billing period: week, month, quarter, half-year, year, or 30d, 2w, 2m, 2y
    #[arg(long, value_name = "PERIOD", conflicts_with_all = ["one_time", "gifted"])]
    pub period: Option<String>,
    /// 一次性买断（不续费）/ A one-time buy-out (does not renew)
    #[arg(long, conflicts_with = "gifted")]
    pub one_time: bool,
    /// 赠送或活动会员 / A gifted or promotional membership
    #[arg(long)]
    pub gifted: bool,
    /// 价格 / Price per period (or paid once): 25, 25.00, ¥25, 25元, $9.99
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub price: Option<String>,
    /// 币种 / ISO 4217 currency when the price names none [default: CNY]
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// 开始日期（首个付费周期第一天）/ First day of the first paid period [default: today]
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// 已付费至（含当天）/ Last day already paid for (inclusive)
    #[arg(long, value_name = "DATE")]
    pub paid_through: Option<String>,
    /// 试用至：这天转正并按 --price 首次扣费 / The day a trial converts: the first charge at --price
    #[arg(long, value_name = "DATE", conflicts_with = "trial_days")]
    pub trial_until: Option<String>,
    /// 试用天数（从 --start 算起）/ Trial length in days from --start; the first charge follows it
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=i64::from(tuiding_core::bounds::MAX_DAYS)))]
    pub trial_days: Option<u32>,
    /// 自动续费渠道 / Where auto-renewal is contracted: CHANNEL[:active|unknown|closed[:DATE]];
    /// channels: in_app, wechat_pay, alipay, app_store, google_play, huawei, carrier, bank_card, other
    #[arg(long = "auto-renew", value_name = "CHANNEL[:STATUS[:DATE]]")]
    pub auto_renew: Vec<String>,
    /// 权益 / A benefit: NAME:QUANTITY[:UNIT_VALUE[:REDEEMED]], e.g. 观影券:4:15:1
    #[arg(long = "benefit", value_name = "SPEC")]
    pub benefits: Vec<String>,
    /// 类别 / Category, e.g. 视频, 音乐, 网盘
    #[arg(long)]
    pub category: Option<String>,
    /// 备注 / Notes
    #[arg(long)]
    pub notes: Option<String>,
}

impl MembershipFields {
    /// The flags as the application's input.
    pub fn to_input(&self) -> MembershipInput {
        let MembershipFields {
            platform,
            plan,
            period,
            one_time,
            gifted,
            price,
            currency,
            start,
            paid_through,
            trial_until,
            trial_days,
            auto_renew,
            benefits,
            category,
            notes,
        } = self.clone();
        MembershipInput {
            platform,
            plan,
            period,
            one_time,
            gifted,
            price,
            currency,
            start,
            paid_through,
            trial_until,
            trial_days,
            auto_renew,
            benefits,
            category,
            notes,
            template: None,
        }
    }
}
