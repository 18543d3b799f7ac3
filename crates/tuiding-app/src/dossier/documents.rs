//! The documents of a dossier: `report.html` (printable, rendered with maud like the web
//! app) and `complaint.txt` (the fields a 12315 complaint asks for). Both are written in
//! the user's language, zh-CN by default; times are China Standard Time.

use tuiding_core::membership::Billing;
use tuiding_core::playbook::EvidenceKind;
use tuiding_core::{ContractStatus, Lang};

use maud::{DOCTYPE, PreEscaped, html};

use super::DossierFacts;
use crate::context::{Backend, Ctx};
use crate::text::paren;

/// One dated event: a moment (a transition, a step, a file) or a whole day (a start, a
/// promise), ordered by the instant (a day by its first moment in China time).
struct Event {
    at: jiff::Timestamp,
    when: String,
    what: String,
}

impl Event {
    fn at(at: jiff::Timestamp, what: String) -> Event {
        Event {
            at,
            when: crate::clock::for_people(at),
            what,
        }
    }

    fn on(day: jiff::civil::Date, what: String) -> Event {
        Event {
            at: crate::clock::start_of(day),
            when: day.to_string(),
            what,
        }
    }
}

/// Every dated fact of the case, oldest first.
fn timeline(ctx: &Ctx<impl Backend>, f: &DossierFacts<'_>) -> Vec<Event> {
    let lang = ctx.lang;
    let c = &f.data.case;
    let mut events = Vec::new();
    if let Some(m) = &f.data.membership {
        events.push(Event::on(
            m.start,
            format!(
                "{}{} {}{}",
                ctx.t("开通 ", "Started "),
                m.platform,
                m.plan,
                paren(lang, &m.price.to_string())
            ),
        ));
        for contract in &m.auto_renew {
            if let ContractStatus::Closed(on) = contract.status {
                events.push(Event::on(
                    on,
                    format!(
                        "{}{}",
                        ctx.t("关闭自动续费：", "Auto-renewal closed: "),
                        contract.channel.label(lang)
                    ),
                ));
            }
        }
    }
    for t in &c.transitions {
        let note = t
            .note
            .as_ref()
            .map(|n| paren(lang, &crate::case::transition_note(lang, n)))
            .unwrap_or_default();
        let what = if t.from == t.to {
            format!("{}{note}", ctx.t("开启退订案件", "Case opened"))
        } else {
            format!(
                "{}{} → {}{note}",
                ctx.t("案件：", "Case: "),
                t.from.label(lang),
                t.to.label(lang)
            )
        };
        events.push(Event::at(t.at, what));
    }
    for d in &c.steps_done {
        let title = f
            .data
            .steps
            .iter()
            .find(|s| s.id == d.step_id)
            .map_or(d.step_id.as_str(), |s| s.title.text(lang));
        let note = d.note.as_ref().map(|n| paren(lang, n)).unwrap_or_default();
        events.push(Event::at(
            d.done_at,
            format!("{}{title}{note}", ctx.t("完成：", "Done: ")),
        ));
    }
    for e in &f.data.evidence {
        let what = format!("{}#{} {}", ctx.t("存证 ", "Evidence "), e.seq, e.name);
        match e.captured_at.parse::<jiff::Timestamp>() {
            Ok(at) => events.push(Event::at(at, what)),
            // A journal written by hand: kept, at the end of the day it names if any.
            Err(_) => events.push(Event {
                at: jiff::Timestamp::MAX,
                when: e.captured_at.clone(),
                what,
            }),
        }
    }
    let r = &f.view.refund;
    if let Some(on) = r.requested_on {
        events.push(Event::on(
            on,
            ctx.t("申请退款", "Refund requested").to_string(),
        ));
    }
    if let (Some(amount), Some(by)) = (&r.promised, r.promised_by) {
        events.push(Event::on(
            by,
            format!(
                "{}{amount}{}",
                ctx.t("平台承诺的退款 ", "Refund of "),
                ctx.t(" 最晚到账日", " promised by this day")
            ),
        ));
    }
    if let (Some(amount), Some(on)) = (&r.received, r.received_on) {
        events.push(Event::on(
            on,
            format!("{}{amount}", ctx.t("退款到账 ", "Refund received: ")),
        ));
    }
    for l in &f.data.late_charges {
        events.push(Event::on(
            l.date,
            format!(
                "{}{}{}",
                ctx.t("取消后仍被扣款 ", "Charged after cancellation: "),
                l.amount,
                paren(lang, l.channel.label(lang))
            ),
        ));
    }
    // Stable: facts of one moment keep the order above.
    events.sort_by_key(|e| e.at);
    events
}

/// The refund's basis: the clauses quoted, each reading of an ambiguous clause with the
/// rule that decides between them, and the computation.
fn refund_basis(ctx: &Ctx<impl Backend>, f: &DossierFacts<'_>) -> Vec<String> {
    let Some(claim) = &f.claim else {
        return Vec::new();
    };
    let mut out = vec![match ctx.lang {
        Lang::Zh => format!(
            "退款依据（按 {} 退订计算，应退 {}）：",
            claim.cancel_on, claim.display
        ),
        Lang::En => format!(
            "The refund under the terms (cancelled on {}): {}",
            claim.cancel_on, claim.display
        ),
    }];
    for c in &claim.clauses {
        out.push(format!(
            "{}「{}」",
            ctx.t("协议原文：", "The agreement: "),
            c.quote
        ));
    }
    if claim.readings.len() > 1 {
        let list: Vec<String> = claim
            .readings
            .iter()
            .map(|r| format!("{} {}", r.label, r.amount))
            .collect();
        out.push(match ctx.lang {
            Lang::Zh => format!(
                "该条款有两种理解：{}；依《民法典》第四百九十八条，对格式条款有两种以上解释的，应当作出不利于提供格式条款一方的解释，故主张 {}。",
                list.join("；"),
                claim.display
            ),
            Lang::En => format!(
                "The clause reads two ways: {}; under art. 498 of the Civil Code a standard term is read against the party that supplied it, so {} is claimed.",
                list.join("; "),
                claim.display
            ),
        });
    }
    out.extend(claim.basis.iter().cloned());
    out
}

fn billing_text(billing: Billing, lang: Lang) -> String {
    match billing {
        Billing::Periodic(p) => p.label(lang),
        Billing::OneTime => lang.pick("单次购买", "one-time").into(),
        Billing::Gifted => lang.pick("赠送", "gifted").into(),
    }
}

fn kind_label(kind: &str, lang: Lang) -> String {
    EvidenceKind::parse(kind).map_or(kind.to_string(), |k| k.label(lang).to_string())
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#111}\
h1{font-size:1.5rem}h2{font-size:1.15rem;border-bottom:1px solid #999;margin-top:2rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}\
code{font-size:.75rem;word-break:break-all}.warn{color:#a40}@media print{body{margin:0}h2{break-after:avoid}}";

/// How an auto-renew contract stands, for the membership table.
fn contract_text(ctx: &Ctx<impl Backend>, a: &tuiding_core::AutoRenewContract) -> String {
    let lang = ctx.lang;
    let state = match a.status {
        ContractStatus::Closed(on) => format!("{}{on}", ctx.t("已关闭于 ", "closed on ")),
        ContractStatus::Active => ctx.t("仍有效", "active").to_string(),
        ContractStatus::Unknown => ctx.t("状态不明", "status unknown").to_string(),
    };
    format!("{}{}", a.channel.label(lang), paren(lang, &state))
}

/// `report.html`: the printable report, rendered with the same templating (maud) as the
/// web app, so every value is escaped by construction.
pub fn report_html(ctx: &Ctx<impl Backend>, f: &DossierFacts<'_>) -> String {
    let lang = ctx.lang;
    let c = &f.data.case;
    let title = match lang {
        Lang::Zh => format!("退订纠纷材料：{}（案件 #{}）", c.membership_label, c.id),
        Lang::En => format!(
            "Cancellation dispute: {} (case #{})",
            c.membership_label, c.id
        ),
    };
    let platform = f
        .data
        .membership
        .as_ref()
        .map_or(c.membership_label.as_str(), |m| m.platform.as_str());
    let membership_rows: Vec<(&str, String)> = match &f.data.membership {
        Some(m) => vec![
            (ctx.t("平台", "Platform"), m.platform.clone()),
            (ctx.t("套餐", "Plan"), m.plan.clone()),
            (ctx.t("计费", "Billing"), billing_text(m.billing, lang)),
            (ctx.t("价格", "Price"), m.price.to_string()),
            (ctx.t("开通", "Started"), m.start.to_string()),
            (
                ctx.t("自动续费渠道", "Auto-renew channels"),
                m.auto_renew
                    .iter()
                    .map(|a| contract_text(ctx, a))
                    .collect::<Vec<_>>()
                    .join(ctx.t("；", "; ")),
            ),
        ],
        None => Vec::new(),
    };
    let comp = &f.view.completeness;
    let mut missing: Vec<String> = comp
        .empty_groups
        .iter()
        .map(|g| format!("{}{}", ctx.t("缺少", "no "), kind_label(g, lang)))
        .collect();
    missing.extend(
        comp.unproven_steps
            .iter()
            .map(|s| format!("{s} {}", ctx.t("没有证据", "has no evidence"))),
    );
    let page = html! {
        (DOCTYPE)
        html lang=(lang.pick("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (title) }
                p { (ctx.t("生成日期：", "Prepared on ")) (ctx.today) }
                h2 { (ctx.t("一、当事人", "1. Parties")) }
                table {
                    tr { th { (ctx.t("投诉人", "Complainant")) } td { (ctx.t("（姓名、联系电话，提交前填写）", "(name and phone, fill in before filing)")) } }
                    tr { th { (ctx.t("被投诉人", "Respondent")) } td { (platform) (ctx.t("（经营者全称、地址、统一社会信用代码，提交前填写）", " (company name, address and registration code: fill in before filing)")) } }
                }
                h2 { (ctx.t("二、会员", "2. The membership")) }
                table {
                    @if membership_rows.is_empty() {
                        tr { td { (c.membership_label) } }
                    }
                    @for (k, v) in &membership_rows {
                        tr { th { (k) } td { (v) } }
                    }
                }
                h2 { (ctx.t("三、经过", "3. Timeline")) }
                table {
                    tr { th { (ctx.t("时间（北京时间）", "When (China Standard Time, UTC+8)")) } th { (ctx.t("事件", "What")) } }
                    @for e in timeline(ctx, f) {
                        tr { td { (e.when) } td { (e.what) } }
                    }
                }
                h2 { (ctx.t("四、诉求", "4. The claim")) }
                ol { @for item in &f.grounds.claim { li { (item.text.text(lang)) } } }
                p { strong { (ctx.t("金额合计：", "Total: ")) (f.grounds.total) } }
                h2 { (ctx.t("五、事实与理由", "5. Facts and rules breached")) }
                @if f.grounds.breaches.is_empty() {
                    p { (ctx.t("现有事实未显示违反具体规定；诉求依据会员协议和双方沟通。", "The facts on record show no specific rule breached; the claim rests on the terms and the correspondence.")) }
                } @else {
                    ol { @for b in &f.grounds.breaches {
                        li {
                            p.warn { (b.fact.text(lang)) }
                            p { (ctx.t("依据：", "Rule: ")) (b.rule.text(lang)) }
                        }
                    } }
                }
                @for line in refund_basis(ctx, f) { p { (line) } }
                h2 { (ctx.t("六、证据目录", "6. Evidence index")) }
                table {
                    tr {
                        th { "#" } th { (ctx.t("类别", "Kind")) } th { (ctx.t("文件（材料内路径）", "File (path in this dossier)")) }
                        th { (ctx.t("采集时间（北京时间）", "Captured (China Standard Time)")) } th { (ctx.t("大小（字节）", "Bytes")) } th { (ctx.t("摘要 SHA-256 / SM3", "Digests SHA-256 / SM3")) }
                    }
                    @for ((e, path), said) in f.data.evidence.iter().zip(&f.evidence_paths).zip(&f.key_lines) {
                        tr {
                            td { (e.seq) }
                            td { (kind_label(&e.kind, lang)) }
                            td {
                                (e.name) br; code { (path) } @if let Some(n) = &e.note { br; (n) }
                                @if let Some(said) = said {
                                    br; (ctx.t("截图文字：", "The screenshot says: ")) q { (said) }
                                }
                            }
                            td { (crate::clock::text_for_people(&e.captured_at)) }
                            td { (e.size) }
                            td { code { (e.sha256) } br; code { (e.sm3) } }
                        }
                    }
                }
                @if !comp.complete {
                    p.warn { (ctx.t("证据完整性：", "Completeness: ")) (missing.join(ctx.t("；", "; "))) }
                }
                p { (ctx.t(
                    "每份证据的 SHA-256 与 SM3（GB/T 32905）摘要见 manifest.json；journal.jsonl 是证据库日志的摘录，每条记录含上一条的哈希。用 `tuiding dossier verify` 可校验全部文件。",
                    "manifest.json holds the SHA-256 and SM3 (GB/T 32905) digest of every file; journal.jsonl is the excerpt of the vault's journal, each entry holding the previous entry's hash. `tuiding dossier verify` checks every file."
                )) }
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

/// `complaint.txt`: the fields of a 12315 complaint, in order.
pub fn complaint_txt(ctx: &Ctx<impl Backend>, f: &DossierFacts<'_>) -> String {
    let lang = ctx.lang;
    let c = &f.data.case;
    let m = f.data.membership.as_ref();
    let platform = m.map_or(c.membership_label.as_str(), |m| m.platform.as_str());
    let fill = ctx.t("（请填写）", "(fill in)");
    let mut t = Vec::new();
    t.push(
        ctx.t(
            "12315 投诉（由 tuiding 生成，提交前请核对）",
            "12315 complaint (prepared by tuiding; check before filing)",
        )
        .to_string(),
    );
    t.push(String::new());
    t.push(ctx.t("一、投诉人", "1. Complainant").to_string());
    t.push(format!("  {}{fill}", ctx.t("姓名：", "Name: ")));
    t.push(format!("  {}{fill}", ctx.t("联系电话：", "Phone: ")));
    t.push(format!(
        "  {}",
        ctx.t("电子邮箱（选填）：", "E-mail (optional): ")
    ));
    t.push(String::new());
    t.push(ctx.t("二、被投诉人", "2. Respondent").to_string());
    t.push(format!(
        "  {}{platform}{}",
        ctx.t("名称：", "Name: "),
        ctx.t("（请补充经营者全称）", " (add the company's full name)")
    ));
    t.push(format!("  {}{fill}", ctx.t("地址：", "Address: ")));
    t.push(format!(
        "  {}{}",
        ctx.t("统一社会信用代码：", "Unified social credit code: "),
        ctx.t("（如知道请填写）", "(if known)")
    ));
    t.push(format!("  {}{fill}", ctx.t("联系电话：", "Phone: ")));
    t.push(String::new());
    t.push(ctx.t("三、事发经过", "3. What happened").to_string());
    t.push(format!(
        "  {}{}",
        ctx.t("时间：", "When: "),
        m.map_or(c.opened_on, |m| m.start)
    ));
    t.push(format!(
        "  {}{}",
        ctx.t("地点：", "Where: "),
        ctx.t(
            "网络（线上购买的会员服务）",
            "online (a membership bought online)"
        )
    ));
    if let Some(m) = m {
        t.push(format!(
            "  {}{} {}{}",
            ctx.t("商品或服务：", "Goods or service: "),
            m.platform,
            m.plan,
            paren(lang, &billing_text(m.billing, lang))
        ));
        t.push(format!("  {}{}", ctx.t("金额：", "Amount: "), m.price));
    }
    t.push(format!(
        "  {}",
        ctx.t("经过（北京时间）：", "Events (China Standard Time, UTC+8):")
    ));
    for e in timeline(ctx, f) {
        t.push(format!("    {}  {}", e.when, e.what));
    }
    t.push(String::new());
    t.push(format!(
        "{}{}",
        ctx.t("四、投诉类型：", "4. Type: "),
        ctx.t(
            "合同纠纷（自动续费、退款）",
            "contract dispute (auto-renewal, refund)"
        )
    ));
    t.push(String::new());
    t.push(ctx.t("五、投诉诉求", "5. Requests").to_string());
    for (i, item) in f.grounds.claim.iter().enumerate() {
        t.push(format!("  {}. {}", i + 1, item.text.text(lang)));
    }
    t.push(format!(
        "  {}{}",
        ctx.t("金额合计：", "Total: "),
        f.grounds.total
    ));
    t.push(String::new());
    t.push(ctx.t("六、事实与理由", "6. Facts and reasons").to_string());
    if f.grounds.breaches.is_empty() {
        t.push(format!(
            "  {}",
            ctx.t(
                "见经过；诉求依据会员协议和双方沟通。",
                "See the events; the requests rest on the terms and the correspondence."
            )
        ));
    }
    for (i, b) in f.grounds.breaches.iter().enumerate() {
        t.push(format!("  {}. {}", i + 1, b.fact.text(lang)));
        t.push(format!(
            "     {}{}",
            ctx.t("依据：", "Rule: "),
            b.rule.text(lang)
        ));
    }
    for line in refund_basis(ctx, f) {
        t.push(format!("  {line}"));
    }
    t.push(String::new());
    t.push(ctx.t("七、证据清单", "7. Attachments").to_string());
    if f.data.evidence.is_empty() {
        t.push(format!("  {}", ctx.t("（无）", "(none)")));
    }
    let indexed = f
        .data
        .evidence
        .iter()
        .zip(&f.evidence_paths)
        .zip(&f.key_lines);
    for (i, ((e, path), said)) in indexed.enumerate() {
        t.push(format!(
            "  {}. {}{}",
            i + 1,
            e.name,
            paren(
                lang,
                &format!("{}{}{path}", kind_label(&e.kind, lang), ctx.t("，", ", "))
            )
        ));
        if let Some(said) = said {
            t.push(format!(
                "     {}“{said}”",
                ctx.t("截图文字：", "The screenshot says: ")
            ));
        }
        t.push(format!("     SHA-256 {}", e.sha256));
        t.push(format!("     SM3     {}", e.sm3));
    }
    t.push(String::new());
    t.push(format!(
        "{}{}",
        ctx.t(
            "投诉人签名：                日期：",
            "Signature:                  Date: "
        ),
        ctx.today
    ));
    t.join("\n") + "\n"
}
