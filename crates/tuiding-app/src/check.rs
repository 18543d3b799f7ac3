//! `tuiding check ID [--on DATE]`: the rule check (规则体检) before touching any button.

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};
use crate::memberships::PeriodView;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::checkup::{self, Checkup, Intent, Notice, Situation};
use tuiding_core::policy::Policy;
use tuiding_core::{Lang, Localized};
use tuiding_store::prelude::*;

/// The JSON printed by `check --json`.
#[derive(Debug, Serialize)]
pub struct CheckView {
    pub id: i64,
    pub platform: String,
    pub plan: String,
    pub on: Date,
    pub billing: &'static str,
    pub period: Option<String>,
    pub price: String,
    pub currency: &'static str,
    pub status: &'static str,
    pub current_period: Option<PeriodView>,
    pub next_renewal: Option<Date>,
    pub last_safe_cancel_day: Option<Date>,
    pub cancel_cutoff_hours: u32,
    pub channels_to_close: Vec<ChannelView>,
    pub refund: Option<RefundView>,
    pub voided_benefits: Vec<VoidedView>,
    pub refund_eta: Option<EtaView>,
    pub warnings: Vec<NoticeView>,
    pub risks: Vec<NoticeView>,
    pub missing_facts: Vec<NoticeView>,
    /// `leaving`, `staying` or `undecided`.
    pub intent: &'static str,
    pub refund_curve: Vec<CurvePointView>,
    pub refund_zero_on: Option<Date>,
    pub benefits: BenefitsView,
    /// One per reading of an ambiguous refund clause (empty when it reads one way).
    pub readings: Vec<ReadingView>,
    /// Every option, best net first.
    pub options: Vec<OptionView>,
    pub advice: AdviceView,
    /// Where the policy came from (`null`: no policy).
    pub policy_origin: Option<String>,
}

impl CheckView {
    /// The currency's symbol, for amounts printed without one.
    pub fn currency_symbol(&self) -> &'static str {
        tuiding_core::Currency::from_code(self.currency).map_or("", |c| c.symbol())
    }
}

#[derive(Debug, Serialize)]
pub struct CurvePointView {
    pub date: Date,
    pub amount: String,
    /// `today`, `week`, `last_safe_day`, `zero` or `period_end`.
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct BenefitsView {
    /// Remaining × unit value (`null`: no benefit with a value).
    pub unused_value: Option<String>,
    pub unused_units: u32,
    /// What cancelling voids.
    pub voided_on_cancel: Option<String>,
    /// Whether the terms say cancelling voids them (`null`: not said).
    pub voids: Option<bool>,
    /// The refund today after redeeming every remaining benefit first.
    pub refund_after_redeeming: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReadingView {
    pub method: &'static str,
    #[serde(skip)]
    pub label: &'static str,
    pub amount: String,
    pub claimed: bool,
    pub lines: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OptionView {
    pub action: &'static str,
    pub label: &'static str,
    pub cash: String,
    /// False when the refund terms are unknown (`cash` is then the worst case, 0).
    pub cash_known: bool,
    pub cash_estimate: Option<String>,
    pub usable_value: String,
    pub further_charges: String,
    pub net: String,
    pub by: Option<Date>,
    pub lines: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ChannelView {
    pub channel: &'static str,
    pub status: &'static str,
    pub how: String,
}

#[derive(Debug, Serialize)]
pub struct RefundView {
    pub amount: String,
    #[serde(skip)]
    pub display: String,
    pub currency: &'static str,
    pub paid: String,
    pub method: &'static str,
    pub days_used: i64,
    pub days_total: i64,
    pub lines: Vec<String>,
    pub fields_used: Vec<&'static str>,
    pub clauses: Vec<tuiding_core::refund::Clause>,
}

#[derive(Debug, Serialize)]
pub struct VoidedView {
    pub name: String,
    pub remaining: u32,
    pub value: Option<String>,
    #[serde(skip)]
    pub display: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EtaView {
    pub requested_on: Date,
    pub earliest: Option<Date>,
    pub latest: Option<Date>,
    pub overdue_after: Option<Date>,
}

#[derive(Debug, Serialize)]
pub struct NoticeView {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct AdviceView {
    pub action: &'static str,
    pub label: &'static str,
    pub by: Option<Date>,
    /// How much more the advised option nets than the next one.
    pub margin: Option<String>,
    pub reasons: Vec<String>,
}

/// An answer to "will you still use it?" (also the web form's value).
pub fn parse_intent(answer: &str) -> Intent {
    match answer.trim().to_lowercase().as_str() {
        "1" | "leaving" | "no" | "n" | "不用了" | "不用" | "离开" => Intent::Leaving,
        "2" | "staying" | "yes" | "y" | "还在用" | "用" => Intent::Staying,
        _ => Intent::Undecided,
    }
}

/// The rule check of membership `id` on day `on` (`tuiding check`).
pub fn check_view(
    ctx: &Ctx<impl Backend>,
    id: i64,
    on: Date,
    intent: Intent,
) -> anyhow::Result<(tuiding_core::Membership, CheckView)> {
    {
        let store = ctx.open_store()?;
        let stored = store.membership(id).localize(ctx.lang)?;
        let policy_record = store.policy(id).localize(ctx.lang)?;
        let policy = policy_record
            .as_ref()
            .map(|p| Policy::from_toml(&p.text))
            .transpose()
            .localize(ctx.lang)?;
        let calendar = ctx.calendar()?;
        let m = &stored.membership;
        let history: Vec<tuiding_core::price::PriceChange> = store
            .price_changes()
            .localize(ctx.lang)?
            .into_iter()
            .filter(|(with, _)| *with == id)
            .map(|(_, change)| change)
            .collect();
        let situation = Situation {
            intent,
            price_changes: &history,
            with_curve: true,
        };
        let mut c = checkup::check_with(m, policy.as_ref(), on, &calendar, &situation)
            .map_err(|e| UserError::failure(e.localized(ctx.lang)))?;
        // The first price paid is the oldest recorded change's old price.
        if let Some(notice) = history
            .first()
            .and_then(|first| checkup::price_rise_notice(m, first.old))
        {
            c.warnings.push(notice);
        }
        let view = build_view(ctx, stored.id, m, &c, policy_record.map(|p| p.origin));
        Ok((stored.membership, view))
    }
}

fn notices(list: &[Notice], lang: Lang) -> Vec<NoticeView> {
    list.iter()
        .map(|n| NoticeView {
            code: n.code,
            message: n.line.text(lang).to_string(),
        })
        .collect()
}

fn build_view(
    ctx: &Ctx<impl Backend>,
    id: i64,
    m: &tuiding_core::Membership,
    c: &Checkup,
    policy_origin: Option<String>,
) -> CheckView {
    let lang = ctx.lang;
    CheckView {
        id,
        platform: m.platform.clone(),
        plan: m.plan.clone(),
        on: c.on,
        billing: c.billing.kind(),
        period: c.billing.period().map(|p| p.to_string()),
        price: m.price.amount_string(),
        currency: m.price.currency().code(),
        status: c.status.as_str(),
        current_period: c.current_period.map(|s| PeriodView {
            start: s.start,
            last_day: s.end.yesterday().unwrap_or(s.end),
            days: s.days(),
        }),
        next_renewal: c.next_renewal,
        last_safe_cancel_day: c.last_safe_cancel_day,
        cancel_cutoff_hours: c.cancel_cutoff_hours,
        channels_to_close: c
            .channels_to_close
            .iter()
            .map(|ch| ChannelView {
                channel: ch.channel.as_str(),
                status: ch.status.as_str(),
                how: ch.how.text(lang).to_string(),
            })
            .collect(),
        refund: c.refund.as_ref().map(|r| RefundView {
            amount: r.amount.amount_string(),
            display: r.amount.to_string(),
            currency: r.amount.currency().code(),
            paid: r.paid.amount_string(),
            method: r.method.as_str(),
            days_used: r.days_used,
            days_total: r.days_total,
            lines: r.lines.iter().map(|l| l.text(lang).to_string()).collect(),
            fields_used: r.fields_used.clone(),
            clauses: r.clauses.clone(),
        }),
        voided_benefits: c
            .voided_benefits
            .iter()
            .map(|v| VoidedView {
                name: v.name.clone(),
                remaining: v.remaining,
                value: v.value.map(|x| x.amount_string()),
                display: v.value.map(|x| x.to_string()),
            })
            .collect(),
        refund_eta: c.refund_eta.map(|e| EtaView {
            requested_on: e.requested_on,
            earliest: e.earliest,
            latest: e.latest,
            overdue_after: e.overdue_after,
        }),
        warnings: notices(&c.warnings, lang),
        risks: notices(&c.risks, lang),
        missing_facts: notices(&c.missing_facts, lang),
        intent: c.intent.as_str(),
        refund_curve: c
            .refund_curve
            .iter()
            .map(|p| CurvePointView {
                date: p.date,
                amount: p.amount.amount_string(),
                label: p.label,
            })
            .collect(),
        refund_zero_on: c.refund_zero_on,
        benefits: BenefitsView {
            unused_value: c.benefits.unused_value.map(|v| v.amount_string()),
            unused_units: c.benefits.unused_units,
            voided_on_cancel: c.benefits.voided_on_cancel.map(|v| v.amount_string()),
            voids: c.benefits.voids,
            refund_after_redeeming: c.benefits.refund_after_redeeming.map(|v| v.amount_string()),
        },
        readings: c
            .readings
            .iter()
            .map(|r| ReadingView {
                method: r.method.as_str(),
                label: tuiding_core::outlook::method_label(r.method, lang),
                amount: r.amount.amount_string(),
                claimed: r.claimed,
                lines: r.lines.iter().map(|l| l.text(lang).to_string()).collect(),
            })
            .collect(),
        options: c
            .options
            .iter()
            .map(|o| OptionView {
                action: o.action.as_str(),
                label: o.action.label(lang),
                cash: o.cash.amount_string(),
                cash_known: o.cash_known,
                cash_estimate: o.cash_estimate.map(|v| v.amount_string()),
                usable_value: o.usable_value.amount_string(),
                further_charges: o.further_charges.amount_string(),
                net: o.net.amount_string(),
                by: o.by,
                lines: o.lines.iter().map(|l| l.text(lang).to_string()).collect(),
            })
            .collect(),
        advice: AdviceView {
            action: c.advice.action.as_str(),
            label: c.advice.action.label(lang),
            by: c.advice.by,
            margin: c.advice.margin.map(|m| m.amount_string()),
            reasons: c
                .advice
                .reasons
                .iter()
                .map(|l| l.text(lang).to_string())
                .collect(),
        },
        policy_origin,
    }
}

/// The advice in words.
pub fn advice_label(action: &str, lang: Lang) -> &'static str {
    match action {
        "cancel_now" => lang.pick("现在退订", "cancel now"),
        "use_benefits_then_cancel" => {
            lang.pick("先用完权益再退订", "use the benefits, then cancel")
        }
        "keep_until_period_end" => lang.pick(
            "用到本期结束，期末前关闭自动续费",
            "keep until the period ends, close auto-renew before then",
        ),
        _ => lang.pick("联系客服处理", "contact customer service"),
    }
}
