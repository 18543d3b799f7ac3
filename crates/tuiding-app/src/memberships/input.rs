//! The one input that describes a membership, shared by adding and editing and by every
//! front end, and its validation into a [`Membership`].

use jiff::civil::Date;
use tuiding_core::{Billing, Currency, Lang, Localized, Membership, MembershipError};

use crate::context::{Backend, Ctx};
use crate::error::UserError;
use crate::input;

/// What describes a membership, as text the way a person types it: the CLI's flags, the
/// web's form fields and the API's JSON all fill this one type, and every front end gets
/// the same checks and messages ([`MembershipInput::to_new_membership`],
/// [`MembershipInput::problems`]). Errors name the field (`price`, `paid_through`).
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MembershipInput {
    /// Platform or brand, e.g. 爱奇艺.
    pub platform: Option<String>,
    /// Plan, e.g. 黄金VIP连续包月.
    pub plan: Option<String>,
    /// Billing period: `week`, `month`, `quarter`, `half-year`, `year`, or `30d`, `2w`, `2m`.
    pub period: Option<String>,
    /// A one-time buy-out (does not renew).
    pub one_time: bool,
    /// A gifted or promotional membership.
    pub gifted: bool,
    /// Price per period (or paid once): `25`, `25.00`, `¥25`, `25元`, `$9.99`.
    pub price: Option<String>,
    /// ISO 4217 currency when the price names none (default CNY).
    pub currency: Option<String>,
    /// First day of the first paid period, YYYY-MM-DD (default today).
    pub start: Option<String>,
    /// Last day already paid for (inclusive); `none` clears it when editing.
    pub paid_through: Option<String>,
    /// The day a trial converts: the first charge at the price; `none` clears it.
    pub trial_until: Option<String>,
    /// Trial length in days from the start; the first charge follows it.
    pub trial_days: Option<u32>,
    /// Where auto-renewal is contracted: `CHANNEL[:active|unknown|closed[:DATE]]`; channels:
    /// in_app, wechat_pay, alipay, app_store, google_play, huawei, carrier, bank_card, other.
    pub auto_renew: Vec<String>,
    /// Benefits: `NAME:QUANTITY[:UNIT_VALUE[:REDEEMED]]`, e.g. `观影券:4:15:1`.
    pub benefits: Vec<String>,
    /// Category, e.g. 视频, 音乐, 网盘.
    pub category: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
    /// A catalogue template that fills the fields not given and becomes the policy (when
    /// adding only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

impl MembershipInput {
    /// True when no field flag was given at all.
    pub fn is_empty(&self) -> bool {
        self.platform.is_none()
            && self.plan.is_none()
            && self.period.is_none()
            && !self.one_time
            && !self.gifted
            && self.price.is_none()
            && self.currency.is_none()
            && self.start.is_none()
            && self.paid_through.is_none()
            && self.trial_until.is_none()
            && self.trial_days.is_none()
            && self.auto_renew.is_empty()
            && self.benefits.is_empty()
            && self.category.is_none()
            && self.notes.is_none()
    }

    /// Builds a new membership; required: `--platform`, one of `--period`/`--one-time`/
    /// `--gifted`, and `--price` (0 for gifted when omitted).
    pub fn to_new_membership(&self, ctx: &Ctx<impl Backend>) -> anyhow::Result<Membership> {
        let lang = ctx.lang;
        let platform = self
            .platform
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .ok_or_else(|| UserError::usage("--platform", required(lang)))?;
        let billing = self.billing(lang)?.ok_or_else(|| {
            UserError::usage(
                "--period",
                ctx.t(
                    "请用 --period（周期扣费）、--one-time（一次性买断）或 --gifted（赠送/活动）说明计费方式",
                    "say how it bills: --period (periodic), --one-time (buy-out) or --gifted",
                ),
            )
        })?;
        let explicit_currency = input::parse_currency(self.currency.as_deref(), lang)?;
        let default_currency = explicit_currency.unwrap_or(Currency::CNY);
        let price = match (&self.price, billing) {
            (Some(text), _) => {
                input::parse_price("--price", text, explicit_currency, default_currency, lang)?
            }
            (None, Billing::Gifted) => tuiding_core::Money::zero(default_currency),
            (None, _) => return Err(UserError::usage("--price", required(lang))),
        };
        let start = match &self.start {
            Some(text) => input::parse_date("--start", text, lang)?,
            None => ctx.today,
        };
        let paid_through = self
            .paid_through
            .as_deref()
            .map(|t| input::parse_date("--paid-through", t, lang))
            .transpose()?;
        let auto_renew = input::parse_contracts("--auto-renew", &self.auto_renew, ctx.today, lang)?;
        let benefits = self
            .benefits
            .iter()
            .map(|spec| input::parse_benefit(spec, price.currency(), lang))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let membership = Membership {
            platform: platform.trim().to_string(),
            plan: self.plan.as_deref().unwrap_or_default().trim().to_string(),
            billing,
            price,
            start,
            paid_through,
            trial_until: self.trial_until(start, lang)?,
            auto_renew,
            benefits,
            category: non_empty(self.category.as_deref()),
            notes: non_empty(self.notes.as_deref()),
        };
        validate(&membership, lang)?;
        Ok(membership)
    }

    /// Every problem of the fields at once, as (field, message), for a form that shows
    /// each beside its field; empty when [`Self::to_new_membership`] would succeed.
    pub fn problems(&self, ctx: &Ctx<impl Backend>) -> Vec<(String, String)> {
        let lang = ctx.lang;
        let mut out = Vec::new();
        let mut note = |result: anyhow::Result<()>| {
            if let Err(e) = result {
                out.push(crate::error::field_and_reason(&e));
            }
        };
        if self.platform.as_deref().is_none_or(|p| p.trim().is_empty()) {
            note(Err(UserError::usage("--platform", required(lang))));
        }
        match self.billing(lang) {
            Ok(Some(_)) => {}
            Ok(None) => note(Err(UserError::usage(
                "--period",
                ctx.t(
                    "请说明计费方式：周期扣费、一次性买断或赠送",
                    "say how it bills: periodic, one-time or gifted",
                ),
            ))),
            Err(e) => note(Err(e)),
        }
        let currency = input::parse_currency(self.currency.as_deref(), lang);
        if let (Some(text), Ok(explicit)) = (&self.price, &currency) {
            let default = explicit.unwrap_or(Currency::CNY);
            note(input::parse_price("--price", text, *explicit, default, lang).map(drop));
        }
        note(currency.map(drop));
        let start = self
            .start
            .as_deref()
            .map(|t| input::parse_date("--start", t, lang))
            .transpose();
        if let Some(t) = &self.paid_through {
            note(input::parse_date("--paid-through", t, lang).map(drop));
        }
        if let Ok(start) = &start {
            note(self.trial_until(start.unwrap_or(ctx.today), lang).map(drop));
        }
        note(start.map(drop));
        note(input::parse_contracts("--auto-renew", &self.auto_renew, ctx.today, lang).map(drop));
        if out.is_empty()
            && let Err(e) = self.to_new_membership(ctx)
        {
            out.push(crate::error::field_and_reason(&e));
        }
        out
    }

    /// The trial's end from `--trial-until` or `--trial-days` (counted from `start`).
    pub fn trial_until(&self, start: Date, lang: Lang) -> anyhow::Result<Option<Date>> {
        if let Some(text) = &self.trial_until {
            return Ok(Some(input::parse_date("--trial-until", text, lang)?));
        }
        match self.trial_days {
            None => Ok(None),
            Some(0) => Err(UserError::usage(
                "--trial-days",
                lang.pick("应大于 0", "must be more than 0"),
            )),
            Some(days) => Ok(Some(
                start
                    .checked_add(jiff::Span::new().days(i64::from(days)))
                    .map_err(|e| UserError::usage("--trial-days", e.to_string()))?,
            )),
        }
    }

    /// The billing the flags ask for, if any.
    pub fn billing(&self, lang: Lang) -> anyhow::Result<Option<Billing>> {
        Ok(match (&self.period, self.one_time, self.gifted) {
            (Some(p), _, _) => Some(Billing::Periodic(input::parse_period(p, lang)?)),
            (None, true, _) => Some(Billing::OneTime),
            (None, false, true) => Some(Billing::Gifted),
            (None, false, false) => None,
        })
    }
}

/// `Some(trimmed)` unless empty: an empty `--category ""` clears it.
pub fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn required(lang: Lang) -> &'static str {
    lang.pick("必填", "is required")
}

/// Validates a membership, naming the flag of the field at fault.
pub fn validate(m: &Membership, lang: Lang) -> anyhow::Result<()> {
    m.validate().map_err(|e| match &e {
        MembershipError::Invalid { field, reason } => {
            let flag = match *field {
                "platform" => "--platform",
                "price" => "--price",
                "start" => "--start",
                "period" => "--period",
                "paid_through" => "--paid-through",
                "trial_until" => "--trial-until",
                "auto_renew" => "--auto-renew",
                "benefit" => "--benefit",
                other => other,
            };
            UserError::usage(flag, reason.describe(lang))
        }
        _ => UserError::usage("", e.localized(lang)),
    })
}
