//! `tuiding case …`: open a cancellation case, follow its steps, track the refund, close it,
//! and export the dossier.

use super::Term;
use super::output::{self, Align, Table};
use clap::{Args, Subcommand};
use tuiding_app::case::{self, *};
use tuiding_core::Lang;
use tuiding_core::case::CaseState;
use tuiding_core::playbook::EvidenceKind;

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
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        match &self.command {
            CaseCommand::Open { membership } => {
                let id = case::open(ctx, *membership)?;
                if !ctx.json {
                    output::line(format!("{} #{id}", ctx.t("已开启案件", "Opened case")))?;
                }
                print_case(ctx, id)
            }
            CaseCommand::Show { case } => print_case(ctx, *case),
            CaseCommand::List => list(ctx),
            CaseCommand::Step {
                case,
                step,
                note,
                undo,
                ..
            } => {
                if *undo {
                    case::undo_step(ctx, *case, step)?;
                } else {
                    case::mark_step(ctx, *case, step, note.clone())?;
                }
                print_case(ctx, *case)
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
                case::record_refund(ctx, *case, &facts)?;
                print_case(ctx, *case)
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
                let msg = case::message(ctx, *case, kind, order.as_deref())?;
                if ctx.json {
                    return output::print_json(&msg);
                }
                output::line(format!("【{}】\n{}", msg.title, msg.text.trim_end()))
            }
            CaseCommand::Export { case, out, no_mask } => {
                super::dossier::export(ctx, *case, out, !*no_mask)
            }
        }
    }
}

fn print_case(ctx: &Term, id: i64) -> anyhow::Result<()> {
    let v = case::show(ctx, id)?;
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
            output::paren(lang, v.state_label)
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
        for l in v.late_charges.iter().map(|l| &l.fact) {
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

fn list(ctx: &Term) -> anyhow::Result<()> {
    let items = case::list_items(ctx)?;
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

fn transition(ctx: &Term, id: i64, to: CaseState, note: Option<String>) -> anyhow::Result<()> {
    case::move_case(ctx, id, to, note)?;
    print_case(ctx, id)
}
