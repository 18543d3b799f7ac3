//! `tuiding case …`: open a cancellation case, follow its steps, track the refund, close it,
//! and export the dossier.

use clap::{Args, Subcommand};
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::Lang;
use tuiding_core::case::{CaseState, RefundTrack};
use tuiding_core::playbook::EvidenceKind;
use tuiding_store::{CaseChange, SqliteStore, Store};

pub mod message;
mod view;

pub use view::{
    CaseData, CaseSources, CaseView, Completeness, LocalizeVault, effective_state,
    expected_refund_date, load, overdue_note, step_done, transition_note, view,
};

/// The label of a view's state in the user's language.
fn state_label(v: &CaseView, lang: Lang) -> &'static str {
    CaseState::ALL
        .into_iter()
        .find(|s| s.as_str() == v.state)
        .map_or("", |s| s.label(lang))
}

use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::input;
use crate::output::{self, Align, Table};

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding case open 5                                  # 为 #5 开启退订案件 / open a case for membership 5
  tuiding case show 1
  tuiding case step 1 close:wechat_pay --note \"已在微信关闭\"
  tuiding evidence add 1 关闭后.png --kind operation --step close:wechat_pay
  tuiding case refund 1 --requested
  tuiding case refund 1 --promised 13.00 --by 2026-12-01
  tuiding case refund 1 --received 13.00 --on 2026-11-28
  tuiding case message 1 --kind refund_request         # 写好的退款申请 / the refund request, ready to send
  tuiding case message 1 --kind written_confirmation --order 2026051012345
  tuiding case export 1 --out 案件1.zip                # 投诉材料 / the complaint dossier
  tuiding case close 1";

/// Cancellation cases.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CaseArgs {
    #[command(subcommand)]
    pub command: CaseCommand,
}

/// What to do with a case.
#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// 开启案件 / Open a case for a membership
    #[command(
        after_help = "示例 / Examples:\n  tuiding case open 5                # 为会员 #5 开启退订案件 / a case for membership 5\n  tuiding case open 5 --json"
    )]
    Open {
        /// 会员编号 / Membership id
        membership: i64,
    },
    /// 查看案件 / Show a case: steps, evidence, completeness, refund
    #[command(after_help = "示例 / Examples:\n  tuiding case show 1\n  tuiding case show 1 --json")]
    Show {
        /// 案件编号 / Case id
        case: i64,
    },
    /// 列出案件 / List cases
    #[command(after_help = "示例 / Examples:\n  tuiding case list\n  tuiding case list --json")]
    List,
    /// 完成一个步骤 / Mark a step done (`--undo` takes it back)
    #[command(after_help = "示例 / Examples:
  tuiding case step 1 close:wechat_pay --note \"已在微信关闭\"
  tuiding case step 1 request_refund
  tuiding case step 1 close:wechat_pay --undo       # 标错了，撤回 / marked by mistake
  tuiding case show 1                               # 步骤编号 / the step ids")]
    Step {
        /// 案件编号 / Case id
        case: i64,
        /// 步骤 / Step id (see `case show`)
        step: String,
        /// 标记为已完成（默认即如此，可省略）/ Mark it done (what the command does anyway)
        #[arg(long, conflicts_with = "undo")]
        done: bool,
        /// 撤回“已完成”/ Take back a step marked done by mistake
        #[arg(long)]
        undo: bool,
        /// 备注 / Note
        #[arg(long, conflicts_with = "undo")]
        note: Option<String>,
    },
    /// 退款进展 / Record the refund: requested, promised (amount, date) or received
    #[command(
        after_help = "示例 / Examples:\n  tuiding case refund 1 --requested\n  tuiding case refund 1 --promised 13.00 --by 2026-12-01\n  tuiding case refund 1 --received 13.00 --on 2026-11-28"
    )]
    Refund {
        /// 案件编号 / Case id
        case: i64,
        /// 已申请退款 / The refund was requested (on --on, default today)
        #[arg(long, conflicts_with_all = ["promised", "received"])]
        requested: bool,
        /// 承诺金额 / The amount promised
        #[arg(
            long,
            value_name = "AMOUNT",
            requires = "by",
            conflicts_with = "received"
        )]
        promised: Option<String>,
        /// 承诺到账日 / The date promised
        #[arg(long, value_name = "DATE")]
        by: Option<String>,
        /// 到账金额 / The amount received
        #[arg(long, value_name = "AMOUNT")]
        received: Option<String>,
        /// 日期 / The date (requested or received) [default: today]
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// 投诉升级 / Escalate (complaint to the platform, 12315 or the bank)
    #[command(
        after_help = "示例 / Examples:\n  tuiding case escalate 1 --note \"已向 12315 投诉\""
    )]
    Escalate {
        /// 案件编号 / Case id
        case: i64,
        /// 备注 / Note
        #[arg(long)]
        note: Option<String>,
    },
    /// 已解决 / Mark resolved
    #[command(after_help = "示例 / Examples:\n  tuiding case resolve 1 --note \"退款已到账\"")]
    Resolve {
        /// 案件编号 / Case id
        case: i64,
        /// 备注 / Note
        #[arg(long)]
        note: Option<String>,
    },
    /// 结案 / Close the case
    #[command(after_help = "示例 / Examples:\n  tuiding case close 1")]
    Close {
        /// 案件编号 / Case id
        case: i64,
        /// 备注 / Note
        #[arg(long)]
        note: Option<String>,
    },
    /// 写好的消息 / A ready-to-send message: refund request, written confirmation, follow-up, complaint notice
    #[command(
        after_help = "示例 / Examples:\n  tuiding case message 1 --kind refund_request\n  tuiding case message 1 --kind written_confirmation --order 2026051012345\n  tuiding case message 1 --kind complaint_notice --json"
    )]
    Message {
        /// 案件编号 / Case id
        case: i64,
        /// 哪种消息 / Which message
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(message::KINDS))]
        kind: String,
        /// 订单号 / The order number to quote
        #[arg(long)]
        order: Option<String>,
    },
    /// 导出投诉材料 / Export the dossier (zip: report.html, complaint.txt, evidence, manifest)
    #[command(
        after_help = "示例 / Examples:\n  tuiding case export 1 --out 案件1.zip\n  tuiding case export 1 --out 案件1.zip --no-mask   # 不遮盖号码 / numbers unmasked\n  tuiding dossier verify 案件1.zip"
    )]
    Export {
        /// 案件编号 / Case id
        case: i64,
        /// 输出文件 / The zip to write
        #[arg(long, value_name = "FILE.zip")]
        out: std::path::PathBuf,
        /// 不遮盖身份证、银行卡、手机号 / Keep ID, card and phone numbers unmasked
        #[arg(long)]
        no_mask: bool,
    },
}

impl CaseArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        match &self.command {
            CaseCommand::Open { membership } => {
                let mut store = ctx.open_store()?;
                let id = open(ctx, &mut store, *membership)?;
                if !ctx.json {
                    output::line(format!("{} #{id}", ctx.t("已开启案件", "Opened case")))?;
                }
                show(ctx, &store, id)
            }
            CaseCommand::Show { case } => show(ctx, &ctx.open_store()?, *case),
            CaseCommand::List => list(ctx),
            CaseCommand::Step {
                case,
                step,
                note,
                undo,
                ..
            } => {
                let mut store = ctx.open_store()?;
                if *undo {
                    undo_step(ctx, &mut store, *case, step)?;
                } else {
                    mark_step(ctx, &mut store, *case, step, note.clone())?;
                }
                show(ctx, &store, *case)
            }
            CaseCommand::Refund {
                case,
                requested,
                promised,
                by,
                received,
                on,
            } => {
                let facts = RefundFacts {
                    requested: *requested,
                    promised: promised.clone(),
                    by: by.clone(),
                    received: received.clone(),
                    on: on.clone(),
                };
                let mut store = ctx.open_store()?;
                record_refund(ctx, &mut store, *case, &facts)?;
                show(ctx, &store, *case)
            }
            CaseCommand::Escalate { case, note } => {
                transition(ctx, *case, CaseState::Escalated, note.clone())
            }
            CaseCommand::Resolve { case, note } => {
                transition(ctx, *case, CaseState::Resolved, note.clone())
            }
            CaseCommand::Close { case, note } => {
                transition(ctx, *case, CaseState::Closed, note.clone())
            }
            CaseCommand::Message { case, kind, order } => {
                let store = ctx.open_store()?;
                let data = load(ctx, &store, *case)?;
                let claim = message::refund_claim(ctx, &data);
                let msg = message::message(ctx, &data, claim.as_ref(), kind, order.as_deref())
                    .ok_or_else(|| UserError::usage("--kind", kind.clone()))?;
                if ctx.json {
                    return output::print_json(&msg);
                }
                output::line(format!("【{}】\n{}", msg.title, msg.text.trim_end()))
            }
            CaseCommand::Export { case, out, no_mask } => {
                crate::cmd::dossier::export(ctx, *case, out, !*no_mask)
            }
        }
    }
}

/// Opens a case for a membership; returns its id.
pub fn open(ctx: &Ctx, store: &mut SqliteStore, membership: i64) -> anyhow::Result<i64> {
    store
        .open_case(membership, ctx.today, crate::clock::now())
        .localize(ctx.lang)
}

fn show(ctx: &Ctx, store: &SqliteStore, id: i64) -> anyhow::Result<()> {
    let data = load(ctx, store, id)?;
    let v = view(ctx, &data);
    if ctx.json {
        return output::print_json(&v);
    }
    let lang = ctx.lang;
    let mut out = vec![output::paint(
        &format!(
            "{} #{} {}{}",
            ctx.t("案件", "Case"),
            v.id,
            v.membership,
            output::paren(lang, state_label(&v, lang))
        ),
        Some(output::BOLD),
        ctx.color,
    )];
    out.push(format!("  {}{}", ctx.t("开启于 ", "opened "), v.opened_on));
    out.push(String::new());
    out.push(ctx.t("步骤：", "Steps:").to_string());
    for s in &v.steps {
        let mark = if s.done { "✓" } else { "□" };
        out.push(format!("  {mark} [{}] {}", s.id, s.title));
        for p in s.paths.iter().take(2) {
            out.push(format!("      → {p}"));
        }
        for n in &s.notes {
            out.push(format!("      ⚠ {n}"));
        }
        if let Some(claim) = &s.refund_claim {
            out.push(format!(
                "      {}{}{}",
                ctx.t("申请金额：", "claim: "),
                claim.display,
                claim.due.map_or(String::new(), |d| match lang {
                    Lang::Zh => format!("，{d} 前到账"),
                    Lang::En => format!(", due by {d}"),
                })
            ));
            for c in &claim.clauses {
                out.push(format!(
                    "      {}「{}」",
                    ctx.t("依据：", "clause: "),
                    c.quote
                ));
            }
            for line in &claim.basis {
                out.push(format!("        {line}"));
            }
            out.push(format!(
                "      {}",
                ctx.t(
                    "写好的申请：tuiding case message {ID} --kind refund_request",
                    "ready to send: tuiding case message {ID} --kind refund_request"
                )
                .replace("{ID}", &v.id.to_string())
            ));
        }
        if !s.evidence_wanted.is_empty() {
            out.push(format!(
                "      {}{}{}",
                ctx.t("证据：", "evidence: "),
                s.evidence_wanted.join(ctx.t("；", "; ")),
                output::paren(
                    lang,
                    &format!("{} {}", s.evidence_count, ctx.t("份", "attached"))
                )
            ));
        }
    }
    out.push(String::new());
    let r = &v.refund;
    out.push(match lang {
        Lang::Zh => format!(
            "退款：申请 {}，承诺 {} 于 {}，到账 {} 于 {}{}",
            r.requested_on.map_or("—".into(), |d| d.to_string()),
            r.promised.clone().unwrap_or("—".into()),
            r.promised_by.map_or("—".into(), |d| d.to_string()),
            r.received.clone().unwrap_or("—".into()),
            r.received_on.map_or("—".into(), |d| d.to_string()),
            r.due.map_or(String::new(), |d| format!(
                "；应于 {d} 前到账{}",
                if r.overdue { "（已逾期）" } else { "" }
            )),
        ),
        Lang::En => format!(
            "Refund: requested {}, promised {} by {}, received {} on {}{}",
            r.requested_on.map_or("—".into(), |d| d.to_string()),
            r.promised.clone().unwrap_or("—".into()),
            r.promised_by.map_or("—".into(), |d| d.to_string()),
            r.received.clone().unwrap_or("—".into()),
            r.received_on.map_or("—".into(), |d| d.to_string()),
            r.due.map_or(String::new(), |d| format!(
                "; due by {d}{}",
                if r.overdue { " (overdue)" } else { "" }
            )),
        ),
    });
    out.push(String::new());
    if !v.late_charges.is_empty() {
        out.push(output::paint(
            ctx.t(
                "取消后仍被扣款（来自导入的账单）：",
                "Charged after cancellation (from imported bills):",
            ),
            Some(output::YELLOW),
            ctx.color,
        ));
        for l in &data.late_charges {
            out.push(match lang {
                Lang::Zh => format!(
                    "  • {} 经{}扣款 {}（该渠道 {} 已关闭）",
                    l.date,
                    l.channel.label(lang),
                    l.amount,
                    l.closed_on
                ),
                Lang::En => format!(
                    "  • {} charged through {} on {} (closed on {})",
                    l.amount,
                    l.channel.label(lang),
                    l.date,
                    l.closed_on
                ),
            });
        }
        out.push(String::new());
    }
    if !v.duplicate_charges.is_empty() {
        out.push(output::paint(
            ctx.t(
                "同一周期重复扣费（来自导入的账单，可要求退回）：",
                "Charged twice in one period (from imported bills; claim it back):",
            ),
            Some(output::YELLOW),
            ctx.color,
        ));
        for d in &v.duplicate_charges {
            out.push(match lang {
                Lang::Zh => format!(
                    "  • {} {} {}，订单号 {}",
                    d.date, d.time, d.display, d.order
                ),
                Lang::En => format!("  • {} {} {}, order {}", d.date, d.time, d.display, d.order),
            });
        }
        out.push(String::new());
    }
    out.push(ctx.t("证据：", "Evidence:").to_string());
    if v.evidence.is_empty() {
        out.push(format!("  {}", ctx.t("（还没有）", "(none yet)")));
    } else {
        let mut table = Table::new(
            &[
                ctx.t("序号", "#"),
                ctx.t("类别", "kind"),
                ctx.t("文件", "file"),
                ctx.t("步骤", "step"),
                "SHA-256",
            ],
            &[
                Align::Right,
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Left,
            ],
        );
        for e in &v.evidence {
            let kind = EvidenceKind::parse(&e.kind).map_or(e.kind.as_str(), |k| k.label(lang));
            table.row(vec![
                e.seq.to_string().into(),
                kind.into(),
                e.name.clone().into(),
                e.step.clone().unwrap_or_default().into(),
                e.sha256[..16].to_string().into(),
            ]);
        }
        out.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    let c = &v.completeness;
    if !c.complete {
        out.push(String::new());
        out.push(output::paint(
            ctx.t("证据还不完整：", "Evidence is incomplete:"),
            Some(output::YELLOW),
            ctx.color,
        ));
        for g in &c.empty_groups {
            let label = EvidenceKind::parse(g).map_or(*g, |k| k.label(lang));
            out.push(format!("  • {}{label}", ctx.t("缺少", "no ")));
        }
        for s in &c.unproven_steps {
            out.push(format!(
                "  • {} {s} {}",
                ctx.t("已完成的步骤", "done step"),
                ctx.t("没有证据", "has no evidence")
            ));
        }
    }
    output::line(out.join("\n"))
}

/// One case in the list.
#[derive(Serialize)]
pub struct ListItem {
    pub id: i64,
    pub membership_id: Option<i64>,
    pub membership: String,
    pub state: &'static str,
    #[serde(skip)]
    pub state_label: &'static str,
    pub opened_on: Date,
    pub steps_done: usize,
}

/// Every case, newest last (`tuiding case list`).
pub fn list_items(ctx: &Ctx, store: &SqliteStore) -> anyhow::Result<Vec<ListItem>> {
    let cases = store.cases().localize(ctx.lang)?;
    let mut items = Vec::with_capacity(cases.len());
    for c in &cases {
        let state = current_state(ctx, store, c)?;
        items.push(ListItem {
            id: c.id,
            membership_id: c.membership_id,
            membership: c.membership_label.clone(),
            state: state.as_str(),
            state_label: state.label(ctx.lang),
            opened_on: c.opened_on,
            steps_done: c.steps_done.len(),
        });
    }
    Ok(items)
}

/// A case's state today ([`view::effective_state`]), reading its membership's policy only
/// when a refund is being waited for.
pub fn current_state(
    ctx: &Ctx,
    store: &SqliteStore,
    case: &tuiding_store::StoredCase,
) -> anyhow::Result<CaseState> {
    if !matches!(
        case.state,
        CaseState::RefundRequested | CaseState::RefundPromised
    ) {
        return Ok(case.state);
    }
    let policy = match case.membership_id {
        Some(mid) => store
            .policy(mid)
            .localize(ctx.lang)?
            .and_then(|p| tuiding_core::policy::Policy::from_toml(&p.text).ok()),
        None => None,
    };
    let expected = view::expected_refund_date_of(ctx, case, policy.as_ref());
    Ok(view::effective_state(ctx, case, expected))
}

fn list(ctx: &Ctx) -> anyhow::Result<()> {
    let items = list_items(ctx, &ctx.open_store()?)?;
    if ctx.json {
        return output::print_json(&items);
    }
    if items.is_empty() {
        return output::line(ctx.t(
            "还没有案件。用 `tuiding case open 会员编号` 开启。",
            "No cases yet. Open one with `tuiding case open MEMBERSHIP`.",
        ));
    }
    let mut table = Table::new(
        &[
            ctx.t("编号", "id"),
            ctx.t("会员", "membership"),
            ctx.t("状态", "state"),
            ctx.t("开启", "opened"),
            ctx.t("已完成步骤", "steps done"),
        ],
        &[
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
        ],
    );
    for item in &items {
        table.row(vec![
            item.id.to_string().into(),
            item.membership.clone().into(),
            item.state_label.into(),
            item.opened_on.to_string().into(),
            item.steps_done.to_string().into(),
        ]);
    }
    output::line(table.render(ctx.color).trim_end())
}

/// The state a done step moves the case to, if forward from where it is.
fn state_after_step(data: &CaseData, step: &str) -> Option<CaseState> {
    let channel_steps: Vec<&str> = data
        .steps
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| tuiding_core::playbook::channel_of_step(id).is_some())
        .collect();
    let all_closed_with = |extra: &str| {
        channel_steps
            .iter()
            .all(|id| *id == extra || step_done(data, id))
    };
    let target = match step {
        "check_rules" => CaseState::RulesChecked,
        "contact_support" => CaseState::ChannelsClosed,
        "request_refund" => CaseState::RefundRequested,
        s if tuiding_core::playbook::channel_of_step(s).is_some() => {
            if all_closed_with(s) {
                CaseState::ChannelsClosed
            } else if s == "cancel:in_app" {
                CaseState::CancelledInApp
            } else {
                return None;
            }
        }
        _ => return None,
    };
    (target > data.case.state && data.case.state.check(target).is_ok()).then_some(target)
}

/// Marks a step of a case done (moving the case forward, closing the step's channel).
/// Takes back a step marked done; refused when it is not marked.
pub fn undo_step(ctx: &Ctx, store: &mut SqliteStore, id: i64, step: &str) -> anyhow::Result<()> {
    let data = load(ctx, store, id)?;
    if !data.case.steps_done.iter().any(|s| s.step_id == step) {
        return Err(UserError::usage(
            "STEP",
            match ctx.lang {
                Lang::Zh => format!("案件 #{id} 的步骤 {step:?} 没有标记为完成，无需撤回"),
                Lang::En => {
                    format!("step {step:?} of case #{id} is not marked done; nothing to undo")
                }
            },
        ));
    }
    store
        .undo_step(id, data.case.revision, step)
        .localize(ctx.lang)
}

pub fn mark_step(
    ctx: &Ctx,
    store: &mut SqliteStore,
    id: i64,
    step: &str,
    note: Option<String>,
) -> anyhow::Result<()> {
    let data = load(ctx, store, id)?;
    if !data.steps.iter().any(|s| s.id == step) {
        let ids: Vec<&str> = data.steps.iter().map(|s| s.id.as_str()).collect();
        return Err(UserError::usage(
            "STEP",
            match ctx.lang {
                Lang::Zh => format!("案件 #{id} 没有步骤 {step:?}；可用：{}", ids.join("、")),
                Lang::En => format!(
                    "case #{id} has no step {step:?}; its steps are {}",
                    ids.join(", ")
                ),
            },
        ));
    }
    let close_channel = tuiding_core::playbook::channel_of_step(step);
    let mut refund = None;
    if step == "request_refund" && data.case.refund.requested_on.is_none() {
        refund = Some(RefundTrack {
            requested_on: Some(ctx.today),
            ..data.case.refund
        });
    }
    let change = CaseChange {
        to: state_after_step(&data, step),
        step: Some(step.to_string()),
        note,
        refund,
        close_channel: close_channel.map(|c| (c, ctx.today)),
        end_service: None,
    };
    store
        .change_case(id, data.case.revision, &change, crate::clock::now())
        .localize(ctx.lang)?;
    Ok(())
}

/// What `case refund` records: a request, a promise (amount and date) or a payment.
#[derive(Debug, Default, Clone)]
pub struct RefundFacts {
    pub requested: bool,
    pub promised: Option<String>,
    pub by: Option<String>,
    pub received: Option<String>,
    /// The day of the request or the payment [default: today].
    pub on: Option<String>,
}

/// Records a refund's request, promise or payment on case `id`, moving the case where that
/// is a legal move (`case refund`).
pub fn record_refund(
    ctx: &Ctx,
    store: &mut SqliteStore,
    id: i64,
    facts: &RefundFacts,
) -> anyhow::Result<()> {
    let RefundFacts {
        requested,
        promised,
        by,
        received,
        on,
    } = facts;
    let (requested, promised, by, received, on) = (
        *requested,
        promised.as_deref(),
        by.as_deref(),
        received.as_deref(),
        on.as_deref(),
    );
    let case = store.case(id).localize(ctx.lang)?;
    let currency = tuiding_core::Currency::from_code(&case.currency).localize(ctx.lang)?;
    let on = on
        .map(|d| input::parse_date("--on", d, ctx.lang))
        .transpose()?
        .unwrap_or(ctx.today);
    let mut track = case.refund;
    let to = if requested {
        track.requested_on = Some(on);
        CaseState::RefundRequested
    } else if let Some(amount) = promised {
        track.promised_minor =
            Some(input::parse_price("--promised", amount, None, currency, ctx.lang)?.minor_units());
        track.promised_by = Some(input::parse_date("--by", by.unwrap_or_default(), ctx.lang)?);
        // A promise implies a request: made on the day the membership was cancelled.
        let asked = message::cancel_day_of(&case, ctx.today);
        track.requested_on.get_or_insert(asked);
        CaseState::RefundPromised
    } else if let Some(amount) = received {
        track.received_minor =
            Some(input::parse_price("--received", amount, None, currency, ctx.lang)?.minor_units());
        track.received_on = Some(on);
        CaseState::RefundReceived
    } else {
        return Err(UserError::usage(
            "",
            ctx.t(
                "请给出 --requested、--promised 金额 --by 日期，或 --received 金额 --on 日期",
                "give --requested, --promised AMOUNT --by DATE, or --received AMOUNT --on DATE",
            ),
        ));
    };
    // A promise or a payment implies a request: with every channel closed, the case passes
    // through "refund requested" first so the timeline shows both moves.
    let mut revision = case.revision;
    if case.state.check(to).is_err()
        && case.state.check(CaseState::RefundRequested).is_ok()
        && CaseState::RefundRequested.check(to).is_ok()
    {
        // The implied request was made when the membership was cancelled, not on the day the
        // money arrived (that would move the cancel day and shrink the claim).
        let asked = message::cancel_day_of(&case, on);
        track.requested_on.get_or_insert(asked);
        let change = CaseChange {
            to: Some(CaseState::RefundRequested),
            refund: Some(track),
            ..CaseChange::default()
        };
        store
            .change_case(id, revision, &change, crate::clock::now())
            .localize(ctx.lang)?;
        let moved = store.case(id).localize(ctx.lang)?;
        revision = moved.revision;
        let change = CaseChange {
            to: Some(to),
            refund: Some(track),
            end_service: service_end(ctx, store, &moved, to, track.received_minor)?,
            ..CaseChange::default()
        };
        store
            .change_case(id, revision, &change, crate::clock::now())
            .localize(ctx.lang)?;
        return Ok(());
    }
    // Before every channel is closed there is no refund to track, and a finished case takes
    // no more: both are refused. Later (after an escalation, say) the amounts are recorded
    // and the state moves only where that is a legal move.
    let too_early = case.state < CaseState::ChannelsClosed;
    let finished = matches!(case.state, CaseState::Resolved | CaseState::Closed);
    if case.state != to && (too_early || finished) {
        return Err(tuiding_store::StoreError::IllegalTransition(
            tuiding_core::case::CaseError::Illegal {
                from: case.state,
                to,
            },
        ))
        .localize(ctx.lang);
    }
    let to = (case.state != to && case.state.check(to).is_ok()).then_some(to);
    let end_service = match to {
        Some(to) => service_end(ctx, store, &case, to, track.received_minor)?,
        None => None,
    };
    let change = CaseChange {
        to,
        refund: Some(track),
        end_service,
        ..CaseChange::default()
    };
    store
        .change_case(id, revision, &change, crate::clock::now())
        .localize(ctx.lang)?;
    Ok(())
}

/// The last day of service when a move settles the case (refund received, resolved or
/// closed after every channel was closed): the cancel day when money came back (the refund
/// paid for the rest), else the end of the period the user kept. `None` for other moves
/// and for cases given up before the channels were closed.
fn service_end(
    ctx: &Ctx,
    store: &SqliteStore,
    case: &tuiding_store::StoredCase,
    to: CaseState,
    received_now: Option<i64>,
) -> anyhow::Result<Option<Date>> {
    let settles = matches!(
        to,
        CaseState::RefundReceived | CaseState::Resolved | CaseState::Closed
    );
    let Some(mid) = case.membership_id.filter(|_| settles) else {
        return Ok(None);
    };
    if case.state < CaseState::ChannelsClosed {
        return Ok(None);
    }
    let Ok(stored) = store.membership(mid) else {
        return Ok(None);
    };
    let m = stored.membership;
    // A buy-out or gift has no renewal to stop; its term stays as recorded (shortening it
    // would turn the claim computed on it into 0).
    if !matches!(m.billing, tuiding_core::Billing::Periodic(_)) {
        return Ok(None);
    }
    let cancel = message::cancel_day_of(case, ctx.today);
    // Money back (not a refusal recorded as 0): the refund paid for the rest of the period.
    let refunded = received_now
        .or(case.refund.received_minor)
        .is_some_and(|v| v > 0);
    if refunded {
        return Ok(Some(cancel));
    }
    let period_last = m
        .current_period(cancel)
        .ok()
        .flatten()
        .and_then(|s| s.end.yesterday().ok());
    Ok(Some(period_last.unwrap_or(cancel)))
}

fn transition(ctx: &Ctx, id: i64, to: CaseState, note: Option<String>) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    move_case(ctx, &mut store, id, to, note)?;
    show(ctx, &store, id)
}

/// Moves a case to `to` (escalate, resolve, close); an illegal move is refused with the
/// moves that are allowed.
pub fn move_case(
    ctx: &Ctx,
    store: &mut SqliteStore,
    id: i64,
    to: CaseState,
    note: Option<String>,
) -> anyhow::Result<()> {
    let case = store.case(id).localize(ctx.lang)?;
    let change = CaseChange {
        to: Some(to),
        note,
        end_service: service_end(ctx, store, &case, to, None)?,
        ..CaseChange::default()
    };
    store
        .change_case(id, case.revision, &change, crate::clock::now())
        .localize(ctx.lang)?;
    Ok(())
}
