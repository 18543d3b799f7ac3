//! The refund a case claims (amount, basis line by line, the clause, the deadline, the rules
//! that back it) and the ready-to-send messages built from it: the refund request, the
//! request for a written confirmation, the follow-up and the complaint notice
//! (`tuiding case message`).

use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::checkup::{self, Intent, Situation};
use tuiding_core::{Lang, Money};

use super::CaseData;
use crate::context::{Backend, Ctx};

/// What the case claims back, and on what grounds.
#[derive(Debug, Clone, Serialize)]
pub struct RefundClaim {
    /// The day the membership was cancelled (the refund is computed for it).
    pub cancel_on: Date,
    pub amount: String,
    #[serde(skip)]
    pub display: String,
    pub currency: &'static str,
    /// What was paid for the period.
    pub paid: String,
    /// The computation, line by line.
    pub basis: Vec<String>,
    /// The quoted clauses it rests on.
    pub clauses: Vec<tuiding_core::refund::Clause>,
    /// Each reading of an ambiguous clause (empty when it reads one way).
    pub readings: Vec<ClaimReading>,
    /// The day after which the refund is overdue.
    pub due: Option<Date>,
    /// The rules that back the claim.
    pub rules: Vec<String>,
}

/// One reading of an ambiguous clause.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimReading {
    pub method: &'static str,
    pub label: &'static str,
    pub amount: String,
    pub claimed: bool,
}

/// The kinds of message.
pub const KINDS: [&str; 4] = [
    "refund_request",
    "written_confirmation",
    "follow_up",
    "complaint_notice",
];

/// A message ready to paste into the customer-service chat or an e-mail.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub kind: &'static str,
    #[serde(skip)]
    pub title: &'static str,
    pub text: String,
    /// The amount claimed (`null` when the terms do not allow computing it).
    pub amount: Option<String>,
    pub currency: Option<&'static str>,
    /// The deadline the message sets.
    pub due: Option<Date>,
}

/// The day the membership was cancelled: the refund request, else the day the case moved
/// past cancelling, else today.
pub(crate) fn cancel_day(ctx: &Ctx<impl Backend>, data: &CaseData) -> Date {
    cancel_day_of(&data.case, ctx.today)
}

/// [`cancel_day`] of a stored case (see [`tuiding_core::case::cancelled_on`]), else
/// `fallback`.
pub(crate) fn cancel_day_of(case: &tuiding_store::StoredCase, fallback: Date) -> Date {
    tuiding_core::case::cancelled_on(&case.transitions, &case.refund).unwrap_or(fallback)
}

/// The refund the case claims, computed by the rule check for the cancel day.
pub fn refund_claim(ctx: &Ctx<impl Backend>, data: &CaseData) -> Option<RefundClaim> {
    let m = data.membership.as_ref()?;
    let on = cancel_day(ctx, data);
    let calendar = ctx.calendar().ok()?;
    let situation = Situation {
        intent: Intent::Leaving,
        price_changes: &data.price_changes,
        with_curve: false,
    };
    let c = checkup::check_with(m, data.policy.as_ref(), on, &calendar, &situation).ok()?;
    let refund = c.refund.as_ref()?;
    let lang = ctx.lang;
    let mut rules = Vec::new();
    if c.readings.len() > 1 {
        rules.push(lang.pick(
            "《民法典》第四百九十八条：对格式条款有两种以上解释的，应当作出不利于提供格式条款一方的解释。",
            "Civil Code art. 498: a standard term with two or more readings is read against the party that supplied it.",
        ).to_string());
    }
    if c.risks.iter().any(|r| r.code == "reminder_too_late") {
        rules.push(lang.pick(
            "《网络交易监督管理办法》第十八条：自动续费应在扣费前五日以显著方式提醒消费者。",
            "Online Transaction Supervision Measures art. 18: auto-renewal must be brought to the consumer's attention five days before the charge.",
        ).to_string());
    }
    let due = c
        .refund_eta
        .and_then(|e| e.overdue_after.or(e.latest))
        .or(data.case.refund.promised_by);
    Some(RefundClaim {
        cancel_on: on,
        amount: refund.amount.amount_string(),
        display: refund.amount.to_string(),
        currency: refund.amount.currency().code(),
        paid: refund.paid.to_string(),
        basis: refund
            .lines
            .iter()
            .map(|l| l.text(lang).to_string())
            .collect(),
        clauses: refund.clauses.clone(),
        readings: c
            .readings
            .iter()
            .map(|r| ClaimReading {
                method: r.method.as_str(),
                label: tuiding_core::outlook::method_label(r.method, lang),
                amount: r.amount.to_string(),
                claimed: r.claimed,
            })
            .collect(),
        due,
        rules,
    })
}

/// Builds one message of a case, on the claim [`refund_claim`] computed for it (computed
/// once however many messages are built).
pub fn message(
    ctx: &Ctx<impl Backend>,
    data: &CaseData,
    claim: Option<&RefundClaim>,
    kind: &str,
    order: Option<&str>,
) -> Option<Message> {
    let kind = KINDS.into_iter().find(|k| *k == kind)?;
    let lang = ctx.lang;
    let m = data.membership.as_ref();
    let name = m.map_or_else(
        || data.case.membership_label.clone(),
        |m| format!("{} {}", m.platform, m.plan),
    );
    let order = order.map_or_else(
        || lang.pick("［请填写订单号］", "[order number]").to_string(),
        str::to_string,
    );
    let start = m.map(|m| m.start.to_string()).unwrap_or_default();
    let currency = tuiding_core::Currency::from_code(&data.case.currency).ok();
    let money = |minor: Option<i64>| currency.zip(minor).map(|(c, v)| Money::from_minor(v, c));
    let promised = money(data.case.refund.promised_minor);
    let amount_text = claim
        .as_ref()
        .map(|c| c.display.clone())
        .or_else(|| promised.map(|p| p.to_string()));
    let due = data
        .case
        .refund
        .promised_by
        .or(claim.as_ref().and_then(|c| c.due));
    let cancel_on = claim
        .as_ref()
        .map(|c| c.cancel_on)
        .unwrap_or_else(|| cancel_day(ctx, data));
    let amount = amount_text.clone().unwrap_or_else(|| {
        lang.pick("按协议应退的款项", "the refund due under the terms")
            .to_string()
    });
    let due_text = due.map_or_else(
        || {
            lang.pick("7 个工作日内", "within 7 working days")
                .to_string()
        },
        |d| match lang {
            Lang::Zh => format!("{d} 前"),
            Lang::En => format!("by {d}"),
        },
    );
    let basis = claim
        .as_ref()
        .map(|c| basis_text(c, lang))
        .unwrap_or_default();
    let (title, text) = match (kind, lang) {
        ("refund_request", Lang::Zh) => (
            "退款申请",
            format!(
                "您好，我是{name}的会员（订单号：{order}，{start} 开通）。我已于 {cancel_on} 申请退订，并关闭了所有自动续费渠道。\n\n{basis}据此，我申请退款 {amount}，请于 {due_text}原路退回，并以书面形式（邮件、短信或工单）告知处理结果。\n\n谢谢！"
            ),
        ),
        ("refund_request", Lang::En) => (
            "Refund request",
            format!(
                "Hello, I am a member of {name} (order: {order}, since {start}). On {cancel_on} I cancelled the membership and closed every auto-renewal channel.\n\n{basis}I therefore request a refund of {amount}, to the original payment method {due_text}, and a written answer (e-mail, SMS or ticket).\n\nThank you."
            ),
        ),
        ("written_confirmation", Lang::Zh) => (
            "请求书面确认",
            format!(
                "您好，关于{name}（订单号：{order}）的退订，请以书面形式（邮件、短信或工单）确认以下三点：\n1. 已取消该会员的自动续费，任何渠道都不会再扣费；\n2. 退款金额为 {amount}；\n3. 退款将于 {due_text}原路到账。\n聊天中的口头承诺无法作为凭证，请务必书面确认。谢谢！"
            ),
        ),
        ("written_confirmation", Lang::En) => (
            "Written confirmation",
            format!(
                "Hello, regarding the cancellation of {name} (order: {order}), please confirm in writing (e-mail, SMS or ticket):\n1. auto-renewal is cancelled and nothing more will be charged through any channel;\n2. the refund is {amount};\n3. it reaches the original payment method {due_text}.\nA promise in chat is not a record, so please confirm in writing. Thank you."
            ),
        ),
        ("follow_up", Lang::Zh) => {
            let requested = data.case.refund.requested_on.unwrap_or(cancel_on);
            let late = due
                .filter(|d| *d < ctx.today)
                .map(|d| format!("，已超过承诺/应到账日期 {d}"))
                .unwrap_or_default();
            (
                "催办",
                format!(
                    "您好，我于 {requested} 就{name}（订单号：{order}）申请的退款 {amount}，截至 {} 仍未到账{late}。请于 3 个工作日内处理并书面答复；逾期未处理，我将向全国 12315 平台投诉。",
                    ctx.today
                ),
            )
        }
        ("follow_up", Lang::En) => {
            let requested = data.case.refund.requested_on.unwrap_or(cancel_on);
            let late = due
                .filter(|d| *d < ctx.today)
                .map(|d| format!(", past the promised or due date {d}"))
                .unwrap_or_default();
            (
                "Follow-up",
                format!(
                    "Hello, the refund of {amount} I requested on {requested} for {name} (order: {order}) has not arrived as of {}{late}. Please settle it within 3 working days and answer in writing; otherwise I will complain to the national 12315 platform.",
                    ctx.today
                ),
            )
        }
        (_, Lang::Zh) => (
            "投诉告知",
            format!(
                "您好，关于{name}（订单号：{order}）：我已于 {cancel_on} 退订并申请退款 {amount}，至今未获解决。\n\n{basis}如 {} 前仍未退款，我将向全国 12315 平台（市场监督管理部门）投诉，并附上订单、退订截图、聊天记录和本次沟通记录；依据包括《消费者权益保护法》第二十六条（格式条款不得排除或限制消费者权利）和《网络交易监督管理办法》第十八条（自动续费须显著提醒、可随时取消）。",
                ctx.today
                    .checked_add(jiff::Span::new().days(7))
                    .unwrap_or(ctx.today)
            ),
        ),
        (_, Lang::En) => (
            "Complaint notice",
            format!(
                "Hello, regarding {name} (order: {order}): I cancelled on {cancel_on} and requested a refund of {amount}, which has not been settled.\n\n{basis}If it is not refunded by {}, I will complain to the national 12315 platform (the market regulator) with the order, cancellation screenshots, chat records and this message, citing art. 26 of the Consumer Protection Law (standard terms may not exclude consumers' rights) and art. 18 of the Online Transaction Supervision Measures (auto-renewal must be prominently notified and cancellable at any time).",
                ctx.today
                    .checked_add(jiff::Span::new().days(7))
                    .unwrap_or(ctx.today)
            ),
        ),
    };
    Some(Message {
        kind,
        title,
        text,
        amount: claim.as_ref().map(|c| c.amount.clone()),
        currency: claim.as_ref().map(|c| c.currency),
        due,
    })
}

/// The clause, each reading, the computation and the rules, as paragraphs.
fn basis_text(c: &RefundClaim, lang: Lang) -> String {
    let mut out = String::new();
    for clause in &c.clauses {
        out.push_str(&match lang {
            Lang::Zh => format!("协议原文：「{}」\n", clause.quote),
            Lang::En => format!("The agreement says: \"{}\"\n", clause.quote),
        });
    }
    if c.readings.len() > 1 {
        let list: Vec<String> = c
            .readings
            .iter()
            .map(|r| format!("{} {}", r.label, r.amount))
            .collect();
        out.push_str(&match lang {
            Lang::Zh => format!(
                "该条款可有两种理解：{}。依《民法典》第四百九十八条，对格式条款有两种以上解释的，应当作出不利于提供格式条款一方的解释，故按对我有利的理解计算。\n",
                list.join("；")
            ),
            Lang::En => format!(
                "The clause reads two ways: {}. Under art. 498 of the Civil Code a standard term with two readings is read against the party that supplied it, so the reading in my favour applies.\n",
                list.join("; ")
            ),
        });
    }
    out.push_str(lang.pick("计算：\n", "Computation:\n"));
    for line in &c.basis {
        out.push_str(&format!("  {line}\n"));
    }
    for rule in &c.rules {
        if !rule.contains("四百九十八") && !rule.contains("art. 498") {
            out.push_str(&format!("{}{rule}\n", lang.pick("依据：", "Rule: ")));
        }
    }
    out.push('\n');
    out
}
