//! `tuiding check ID [--on DATE]`: the rule check (规则体检) before touching any button.

use clap::Args;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::checkup::{self, Checkup, Intent, Notice, Situation};
use tuiding_core::policy::Policy;
use tuiding_core::{ContractStatus, Lang, Localized};
use tuiding_store::{SqliteStore, Store, StoredMembership};

use crate::cmd::list::price_label;
use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::input;
use crate::output::{self, Table};
use crate::view::PeriodView;

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding check 1                      # 今天退订会怎样 / cancelling today
  tuiding check 1 --on 2026-12-15      # 换一天算 / cancelling on another day
  tuiding check 1 --leaving            # 已决定不再使用 / you are leaving for good
  tuiding check 1 --staying            # 还在用 / you still use it
  tuiding check 1 --json
  tuiding --lang en check 1";

/// The rule check.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// 会员编号 / Membership id
    pub id: i64,
    /// 按哪天退订计算 / The day to cancel on [default: today]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// 已决定不再使用：剩余服务按 0 计 / You are leaving: the service left is worth nothing to you
    #[arg(long, conflicts_with = "staying")]
    pub leaving: bool,
    /// 还在使用：剩余服务按天折算 / You still use it: the service left is worth its pro-rata price
    #[arg(long)]
    pub staying: bool,
}

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

impl CheckArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let on = match &self.on {
            Some(text) => input::parse_date("--on", text, ctx.lang)?,
            None => ctx.today,
        };
        let intent = self.intent(ctx)?;
        let store = ctx.open_store()?;
        let (stored, view) = check_view(ctx, &store, self.id, on, intent)?;
        if ctx.json {
            return output::print_json(&view);
        }
        output::line(render(ctx, &stored.membership, &view))
    }
}

impl CheckArgs {
    /// The intent from the flags, or asked on a terminal.
    fn intent(&self, ctx: &Ctx) -> anyhow::Result<Intent> {
        if self.leaving {
            return Ok(Intent::Leaving);
        }
        if self.staying {
            return Ok(Intent::Staying);
        }
        if ctx.json || !ctx.interactive() {
            return Ok(Intent::Undecided);
        }
        use std::io::{BufRead, Write};
        let mut err = std::io::stderr();
        write!(
            err,
            "{}",
            ctx.t(
                "你以后还会用这个会员吗？[1] 不用了，要离开  [2] 还在用  [回车] 不确定：",
                "Will you still use this membership? [1] no, I am leaving  [2] yes  [Enter] not sure: "
            )
        )?;
        err.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(parse_intent(&answer))
    }
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
    ctx: &Ctx,
    store: &SqliteStore,
    id: i64,
    on: Date,
    intent: Intent,
) -> anyhow::Result<(StoredMembership, CheckView)> {
    {
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
        Ok((stored, view))
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
    ctx: &Ctx,
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

fn render(ctx: &Ctx, m: &tuiding_core::Membership, v: &CheckView) -> String {
    let lang = ctx.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = Vec::new();
    let title = match lang {
        Lang::Zh => format!(
            "规则体检 #{} {} {}（按 {} 退订计算）",
            v.id, v.platform, v.plan, v.on
        ),
        Lang::En => format!(
            "Rule check #{} {} {} (cancelling on {})",
            v.id, v.platform, v.plan, v.on
        ),
    };
    out.push(output::paint(&title, Some(output::BOLD), ctx.color));
    let width = if lang == Lang::Zh { 16 } else { 22 };
    let mut kv = |k: &str, val: String| out.push(format!("  {}{val}", output::pad(k, width)));
    kv(t("计费", "Billing"), price_label(m, lang));
    if let Some(p) = &v.current_period {
        let days = format!("{} {}", p.days, t("天", "days"));
        kv(
            t("本期", "This period"),
            format!("{} ~ {}{}", p.start, p.last_day, output::paren(lang, &days)),
        );
    }
    kv(
        t("下次续费", "Next renewal"),
        v.next_renewal.map_or_else(
            || t("不会续费", "does not renew").to_string(),
            |d| d.to_string(),
        ),
    );
    if let Some(last) = v.last_safe_cancel_day {
        let cutoff = if v.cancel_cutoff_hours > 0 {
            match lang {
                Lang::Zh => format!("（需提前 {} 小时）", v.cancel_cutoff_hours),
                Lang::En => format!(" ({} h cut-off)", v.cancel_cutoff_hours),
            }
        } else {
            String::new()
        };
        kv(
            t("最后安全退订日", "Last safe cancel day"),
            format!("{last}{cutoff}"),
        );
    }
    if let Some(origin) = &v.policy_origin {
        kv(t("规则来源", "Policy from"), origin.clone());
    }

    out.push(String::new());
    out.push(t("需要关闭的自动续费渠道：", "Auto-renew channels to close:").to_string());
    if v.channels_to_close.is_empty() {
        out.push(format!("  {}", t("无", "none")));
    }
    for ch in &m.auto_renew {
        if let Some(view) = v
            .channels_to_close
            .iter()
            .find(|c| c.channel == ch.channel.as_str())
        {
            let status = match ch.status {
                ContractStatus::Unknown => t("状态未知", "status unknown"),
                _ => t("生效中", "active"),
            };
            out.push(format!(
                "  • {}{}{}{}",
                ch.channel.label(lang),
                output::paren(lang, status),
                output::colon(lang),
                view.how
            ));
        }
    }

    out.push(String::new());
    match &v.refund {
        Some(r) => {
            out.push(output::paint(
                &format!("{}{}", t("退款：", "Refund: "), r.display),
                Some(output::BOLD),
                ctx.color,
            ));
            out.extend(r.lines.iter().map(|l| format!("  {l}")));
            for c in &r.clauses {
                out.push(format!(
                    "  {} {}{}「{}」",
                    t("依据", "clause"),
                    c.key,
                    output::colon(lang),
                    c.quote
                ));
            }
        }
        None => out.push(format!(
            "{}{}",
            t("退款：", "Refund: "),
            t(
                "无法计算（见下方缺少的信息）",
                "cannot be computed (see the missing facts below)"
            )
        )),
    }
    if v.readings.len() > 1 {
        out.push(String::new());
        out.push(
            t(
                "退款条款有两种以上理解（按对你有利的主张，《民法典》第四百九十八条）：",
                "The refund clause reads more than one way (claim the one that favours you, Civil Code art. 498):",
            )
            .to_string(),
        );
        for r in &v.readings {
            let mark = if r.claimed {
                t("  ← 主张", "  ← claimed")
            } else {
                ""
            };
            out.push(format!(
                "  • {}{}{}{}{mark}",
                r.label,
                output::colon(lang),
                v.currency_symbol(),
                r.amount
            ));
        }
    }
    if !v.refund_curve.is_empty() {
        out.push(String::new());
        out.push(t("退款随退订日变化：", "The refund by cancel day:").to_string());
        let mut table = Table::new(
            &[t("日期", "date"), t("可退", "refund"), ""],
            &[
                output::Align::Left,
                output::Align::Right,
                output::Align::Left,
            ],
        );
        for p in &v.refund_curve {
            let note = match p.label {
                "today" => t("今天", "today"),
                "last_safe_day" => t("最后安全退订日", "last safe cancel day"),
                "zero" => t("从这天起为 0", "zero from this day"),
                "period_end" => t("本期最后一天", "period's last day"),
                _ => "",
            };
            table.row(vec![
                p.date.to_string().into(),
                format!("{}{}", v.currency_symbol(), p.amount).into(),
                note.into(),
            ]);
        }
        out.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    if !v.voided_benefits.is_empty() {
        out.push(String::new());
        out.push(t("退订会作废的权益：", "Benefits that cancelling voids:").to_string());
        let mut table = Table::new(
            &[t("名称", "name"), t("剩余", "left"), t("价值", "value")],
            &[
                output::Align::Left,
                output::Align::Right,
                output::Align::Right,
            ],
        );
        for b in &v.voided_benefits {
            let value = b.display.clone().unwrap_or_else(|| "—".to_string());
            table.row(vec![
                b.name.clone().into(),
                b.remaining.to_string().into(),
                value.into(),
            ]);
        }
        out.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    if let Some(eta) = &v.refund_eta {
        out.push(String::new());
        let window = match (eta.earliest, eta.latest) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} ~ {b}"),
            _ => t("未说明", "not stated").to_string(),
        };
        let overdue = eta
            .overdue_after
            .map_or_else(|| t("未说明", "not stated").to_string(), |d| d.to_string());
        out.push(match lang {
            Lang::Zh => format!("退款到账：{window}（{} 申请，按工作日计，已含节假日与调休）；超过 {overdue} 仍未到账即为逾期。", eta.requested_on),
            Lang::En => format!("Refund expected: {window} (requested {}, in working days, holidays and adjusted workdays respected); overdue after {overdue}.", eta.requested_on),
        });
    }
    for (title, list, style) in [
        (t("⚠ 警告", "⚠ Warnings"), &v.warnings, Some(output::RED)),
        (t("风险", "Risks"), &v.risks, Some(output::YELLOW)),
        (t("缺少的信息", "Missing facts"), &v.missing_facts, None),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push(String::new());
        out.push(output::paint(title, style, ctx.color));
        out.extend(list.iter().map(|n| format!("  • {}", n.message)));
    }
    if !v.options.is_empty() {
        out.push(String::new());
        let intent = match v.intent {
            "leaving" => t(
                "（按你已决定离开计：剩余服务按 0 计）",
                " (for someone leaving: the service left counts as 0)",
            ),
            "staying" => t(
                "（按你还在使用计：剩余服务按天折算）",
                " (for someone still using it: the service left at its pro-rata price)",
            ),
            _ => t(
                "（剩余服务按天折算；已决定离开请加 --leaving）",
                " (the service left at its pro-rata price; add --leaving if you are leaving)",
            ),
        };
        out.push(format!("{}{intent}", t("你的选择", "Your options")));
        let mut table = Table::new(
            &[
                t("选择", "option"),
                t("现金", "cash"),
                t("可用价值", "usable"),
                t("后续扣费", "charges"),
                t("净得", "net"),
                t("截止", "by"),
            ],
            &[
                output::Align::Left,
                output::Align::Right,
                output::Align::Right,
                output::Align::Right,
                output::Align::Right,
                output::Align::Left,
            ],
        );
        let sym = v.currency_symbol();
        for o in &v.options {
            let cash = if o.cash_known {
                format!("{sym}{}", o.cash)
            } else {
                format!("{} ?", t("未知", "unknown"))
            };
            table.row(vec![
                o.label.into(),
                cash.into(),
                format!("{sym}{}", o.usable_value).into(),
                format!("{sym}{}", o.further_charges).into(),
                format!("{sym}{}", o.net).into(),
                o.by.map_or("—".to_string(), |d| d.to_string()).into(),
            ]);
        }
        out.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    out.push(String::new());
    let action = advice_label(v.advice.action, lang);
    let advice = format!(
        "{}{action}{}",
        t("建议：", "Advice: "),
        output::paren(lang, v.advice.action)
    );
    out.push(output::paint(&advice, Some(output::BOLD), ctx.color));
    out.extend(v.advice.reasons.iter().map(|r| format!("  • {r}")));
    out.join("\n")
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
