//! `tuiding evidence add|list` and `tuiding vault verify`.

use super::Term;
use super::output::{self, Align, Table};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::PathBuf;
use tuiding_app::error::UserError;
use tuiding_app::evidence::{self, reading, *};
use tuiding_app::text::InputFile;
use tuiding_core::Lang;
use tuiding_core::playbook::EvidenceKind;

/// Evidence for a case.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding evidence add 1 关闭前.png 关闭后.png --kind operation --step close:wechat_pay\n  tuiding evidence add 1 退订成功.png --kind operation --accept   # 识别并采纳 / read and take its proposals\n  tuiding evidence list 1 --json\n  tuiding evidence show 3 --text\n  tuiding evidence search 退款 工作日\n  tuiding vault verify\n\n截图识别需要 Tesseract / Reading screenshots needs Tesseract: sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim"
)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    pub command: EvidenceCommand,
}

/// What to do with evidence.
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// 存证 / Add files to a case's evidence
    #[command(
        after_help = "示例 / Examples:\n  tuiding evidence add 1 关闭前.png 关闭后.png --kind operation --step close:wechat_pay\n  tuiding evidence add 1 客服聊天.png --kind communication --note \"客服承诺3个工作日退款\"\n  tuiding evidence add 1 扣款记录.pdf --kind payment --json"
    )]
    Add {
        /// 案件编号 / Case id
        case: i64,
        /// 文件 / Files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 类别 / operation (操作记录), communication (沟通记录) or payment (支付凭证)
        #[arg(long)]
        kind: String,
        /// 对应步骤 / The step it proves
        #[arg(long)]
        step: Option<String>,
        /// 备注 / Note
        #[arg(long)]
        note: Option<String>,
        /// 采纳截图中识别出的提议（退款承诺、步骤完成）/ Take what the screenshots propose
        /// (the refund promise, the steps they confirm)
        #[arg(long)]
        accept: bool,
    },
    /// 查看一份证据及其识别文字 / One piece of evidence, with the text read from it
    #[command(
        after_help = "示例 / Examples:\n  tuiding evidence show 3 --text\n  tuiding evidence show 3 --json"
    )]
    Show {
        /// 证据编号（evidence list 的序号）/ The evidence id (# in evidence list)
        id: u64,
        /// 显示识别出的全部文字 / Print the whole text read
        #[arg(long)]
        text: bool,
    },
    /// 识别案件截图中的文字并保存 / Read the text of a case's screenshots and keep it
    #[command(
        after_help = "示例 / Examples:\n  tuiding evidence read 1\n  tuiding evidence read 1 --again --json"
    )]
    Read {
        /// 案件编号 / Case id
        case: i64,
        /// 已识别的也重新识别 / Read those read before again
        #[arg(long)]
        again: bool,
    },
    /// 采纳截图的提议 / Take what screenshots propose (steps first, then the refund promise)
    #[command(
        after_help = "示例 / Examples:\n  tuiding evidence accept 3\n  tuiding evidence accept 3 4 --json"
    )]
    Accept {
        /// 证据编号 / The evidence ids
        #[arg(required = true)]
        ids: Vec<u64>,
    },
    /// 在截图文字中搜索 / Search the text of the screenshots
    #[command(
        after_help = "示例 / Examples:\n  tuiding evidence search 退款\n  tuiding evidence search 工作日 退款 --case 1 --json"
    )]
    Search {
        /// 词（全部出现才算）/ Words (all must appear)
        #[arg(required = true)]
        words: Vec<String>,
        /// 只搜这个案件 / Only this case
        #[arg(long)]
        case: Option<i64>,
    },
    /// 列出证据 / List a case's evidence
    #[command(
        after_help = "示例 / Examples:\n  tuiding evidence list 1\n  tuiding evidence list 1 --json"
    )]
    List {
        /// 案件编号 / Case id
        case: i64,
    },
}

/// The vault.
#[derive(Debug, Args)]
#[command(after_help = "示例 / Examples:\n  tuiding vault verify\n  tuiding vault verify --json")]
pub struct VaultArgs {
    #[command(subcommand)]
    pub command: VaultCommand,
}

/// What to do with the vault.
#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// 校验证据库 / Re-hash every object and walk the journal's chain (exit 1 when anything is wrong)
    #[command(
        after_help = "示例 / Examples:\n  tuiding vault verify\n  tuiding vault verify --json\n  tuiding vault verify --accept   # 登记中断时留下的记录 / record entries an interrupted addition left"
    )]
    Verify {
        /// 登记账本尚未记录的日志条目（仅当其余一切完好）/ Record journal entries the ledger
        /// has not (an interrupted `evidence add`); only when nothing else is wrong
        #[arg(long)]
        accept: bool,
    },
}

impl EvidenceArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        match &self.command {
            EvidenceCommand::Add {
                case,
                files,
                kind,
                step,
                note,
                accept,
            } => {
                let files: Vec<InputFile> = files.iter().map(|p| InputFile::path(p)).collect();
                let added = evidence::add(ctx, *case, &files, kind, step.clone(), note.clone())?;
                let mut readouts = reading::read_added(ctx, &added)?;
                let accepted = if *accept {
                    reading::accept(ctx, &readouts)
                } else {
                    Vec::new()
                };
                for r in &mut readouts {
                    r.accepted = accepted
                        .iter()
                        .filter(|a| a.evidence == r.entry.seq)
                        .cloned()
                        .collect();
                }
                if ctx.json {
                    output::print_json(&readouts)?;
                    return refused(ctx, &accepted);
                }
                let mut lines = Vec::new();
                for r in &readouts {
                    let e = &r.entry;
                    lines.push(match ctx.lang {
                        Lang::Zh => format!(
                            "已存证 #{} {}（{} 字节，SHA-256 {}，SM3 {}）",
                            e.seq,
                            e.name,
                            e.size,
                            &e.sha256[..16],
                            &e.sm3[..16]
                        ),
                        Lang::En => format!(
                            "Stored #{} {} ({} bytes, SHA-256 {}, SM3 {})",
                            e.seq,
                            e.name,
                            e.size,
                            &e.sha256[..16],
                            &e.sm3[..16]
                        ),
                    });
                    lines.extend(readout_lines(ctx, r, false));
                }
                if *accept {
                    lines.extend(accepted_lines(ctx, &accepted));
                    output::line(lines.join("\n"))?;
                    return refused(ctx, &accepted);
                } else if readouts.iter().any(|r| !r.offers.is_empty()) {
                    let ids: Vec<String> = readouts
                        .iter()
                        .filter(|r| !r.offers.is_empty())
                        .map(|r| r.entry.seq.to_string())
                        .collect();
                    lines.push(format!(
                        "{}tuiding evidence accept {}",
                        ctx.t("采纳以上提议：", "To take these proposals: "),
                        ids.join(" ")
                    ));
                }
                output::line(lines.join("\n"))
            }
            EvidenceCommand::Show { id, text } => {
                let r = reading::show(ctx, *id)?;
                if ctx.json {
                    return output::print_json(&r);
                }
                let e = &r.entry;
                let kind =
                    EvidenceKind::parse(&e.kind).map_or(e.kind.as_str(), |k| k.label(ctx.lang));
                let mut lines = vec![format!(
                    "#{} {} · {} · {} · {} {}",
                    e.seq,
                    e.name,
                    kind,
                    tuiding_app::clock::text_for_people(&e.captured_at),
                    ctx.t("案件", "case"),
                    e.case_id
                )];
                lines.push(format!("SHA-256 {}\nSM3     {}", e.sha256, e.sm3));
                lines.extend(readout_lines(ctx, &r, *text));
                output::line(lines.join("\n"))
            }
            EvidenceCommand::Read { case, again } => {
                let readouts = reading::read_case(ctx, *case, *again)?;
                if ctx.json {
                    return output::print_json(&readouts);
                }
                if readouts.is_empty() {
                    return output::line(ctx.t(
                        "这个案件没有截图（PNG 或 JPEG）。",
                        "This case has no screenshots (PNG or JPEG).",
                    ));
                }
                let mut lines = Vec::new();
                for r in &readouts {
                    lines.push(format!("#{} {}", r.entry.seq, r.entry.name));
                    lines.extend(readout_lines(ctx, r, false));
                }
                output::line(lines.join("\n"))
            }
            EvidenceCommand::Accept { ids } => {
                let mut readouts = Vec::new();
                for id in ids {
                    let r = reading::show(ctx, *id)?;
                    if r.ocr.is_none() {
                        return Err(UserError::failure(format!(
                            "#{id}: {}",
                            r.ocr_missing.unwrap_or_default()
                        )));
                    }
                    readouts.push(r);
                }
                let accepted = reading::accept(ctx, &readouts);
                if ctx.json {
                    output::print_json(&accepted)?;
                } else if accepted.is_empty() {
                    output::line(ctx.t("没有可采纳的提议。", "Nothing proposed to take."))?;
                } else {
                    output::line(accepted_lines(ctx, &accepted).join("\n"))?;
                }
                refused(ctx, &accepted)
            }
            EvidenceCommand::Search { words, case } => {
                let hits = reading::search(ctx, words, *case)?;
                if ctx.json {
                    return output::print_json(&hits);
                }
                if hits.is_empty() {
                    return output::line(ctx.t(
                        "没有截图文字包含这些词（只搜已识别的截图：tuiding evidence read 案件编号）。",
                        "No screenshot's text holds these words (only screenshots read are searched: tuiding evidence read CASE).",
                    ));
                }
                let mut lines = Vec::new();
                for h in &hits {
                    lines.push(format!(
                        "#{} {} ({} {})",
                        h.entry.seq,
                        h.entry.name,
                        ctx.t("案件", "case"),
                        h.entry.case_id
                    ));
                    lines.extend(h.lines.iter().map(|l| format!("  {l}")));
                }
                output::line(lines.join("\n"))
            }
            EvidenceCommand::List { case } => {
                let entries = evidence::list(ctx, *case)?;
                if ctx.json {
                    return output::print_json(&entries);
                }
                if entries.is_empty() {
                    return output::line(
                        ctx.t("这个案件还没有证据。", "This case has no evidence yet."),
                    );
                }
                let mut table = Table::new(
                    &[
                        ctx.t("序号", "#"),
                        ctx.t("类别", "kind"),
                        ctx.t("文件", "file"),
                        ctx.t("大小", "bytes"),
                        ctx.t("采集时间", "captured"),
                        ctx.t("步骤", "step"),
                        "SHA-256",
                        "SM3",
                    ],
                    &[
                        Align::Right,
                        Align::Left,
                        Align::Left,
                        Align::Right,
                        Align::Left,
                        Align::Left,
                        Align::Left,
                        Align::Left,
                    ],
                );
                for e in &entries {
                    let kind =
                        EvidenceKind::parse(&e.kind).map_or(e.kind.as_str(), |k| k.label(ctx.lang));
                    table.row(vec![
                        e.seq.to_string().into(),
                        kind.into(),
                        e.name.clone().into(),
                        e.size.to_string().into(),
                        tuiding_app::clock::text_for_people(&e.captured_at).into(),
                        e.step.clone().unwrap_or_default().into(),
                        e.sha256[..16].to_string().into(),
                        e.sm3[..16].to_string().into(),
                    ]);
                }
                output::line(table.render(ctx.color).trim_end())
            }
        }
    }
}

/// What was read from a piece of evidence, for people: the proposals (or why there is no
/// text), the flag, and with `whole` every line.
fn readout_lines(ctx: &Term, r: &reading::Readout, whole: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let Some(ocr) = &r.ocr else {
        if let Some(why) = &r.ocr_missing {
            lines.push(format!("  · {why}"));
        }
        return lines;
    };
    if whole {
        lines.push(match ctx.lang {
            Lang::Zh => format!("识别文字（{}，{} 毫秒）：", ocr.engine, ocr.millis),
            Lang::En => format!("Text read ({}, {} ms):", ocr.engine, ocr.millis),
        });
        lines.extend(
            ocr.lines
                .iter()
                .map(|l| format!("  {:>3}  {}", l.confidence, l.text)),
        );
    } else if r.proposals.is_empty() {
        lines.push(match ctx.lang {
            Lang::Zh => format!("  · 识别出 {} 行文字，没有可用的提议", ocr.lines.len()),
            Lang::En => format!("  · Read {} lines, nothing to propose", ocr.lines.len()),
        });
    }
    for p in &r.proposals {
        lines.push(match ctx.lang {
            Lang::Zh => format!(
                "  → {}（第 {} 行，置信度 {}）：{}",
                p.summary, p.line, p.confidence, p.text
            ),
            Lang::En => format!(
                "  → {} (line {}, confidence {}): {}",
                p.summary, p.line, p.confidence, p.text
            ),
        });
    }
    if let Some(flag) = &r.flag {
        lines.push(format!("  ⚠ {flag}"));
    }
    lines
}

/// Exit 1 when an offer was refused (what was taken stays taken).
fn refused(ctx: &Term, accepted: &[reading::Accepted]) -> anyhow::Result<()> {
    let n = accepted.iter().filter(|a| a.refused.is_some()).count();
    if n == 0 {
        return Ok(());
    }
    Err(UserError::failure(match ctx.lang {
        Lang::Zh => format!("有 {n} 项提议未能采纳（见上）"),
        Lang::En => format!("{n} proposals could not be taken (see above)"),
    }))
}

fn accepted_lines(ctx: &Term, accepted: &[reading::Accepted]) -> Vec<String> {
    accepted
        .iter()
        .map(|a| {
            let line = accepted_line(ctx, &a.offer);
            match &a.refused {
                None => line,
                Some(why) => format!(
                    "✗ {}{}{why}",
                    line.trim_start_matches("✓ "),
                    ctx.t("——未采纳：", " — not taken: ")
                ),
            }
        })
        .collect()
}

fn accepted_line(ctx: &Term, offer: &reading::Offer) -> String {
    match (offer, ctx.lang) {
        (reading::Offer::RefundPromise { amount, by }, Lang::Zh) => {
            format!("✓ 已记录退款承诺：{amount}，最晚 {by} 到账")
        }
        (reading::Offer::RefundPromise { amount, by }, Lang::En) => {
            format!("✓ Recorded the refund promise: {amount} by {by}")
        }
        (reading::Offer::MarkStep { step }, Lang::Zh) => format!("✓ 已标记步骤完成：{step}"),
        (reading::Offer::MarkStep { step }, Lang::En) => format!("✓ Marked step done: {step}"),
        (reading::Offer::RefundReceived { amount, on }, Lang::Zh) => {
            format!("✓ 已记录退款到账：{amount}，{on}")
        }
        (reading::Offer::RefundReceived { amount, on }, Lang::En) => {
            format!("✓ Recorded the refund received: {amount} on {on}")
        }
    }
}

#[derive(Serialize)]
struct VerifyView<'a> {
    ok: bool,
    #[serde(flatten)]
    report: &'a VerifyReport,
}

impl VaultArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        match self.command {
            VaultCommand::Verify { accept } => {
                let report = evidence::verify_accepting(ctx, accept)?;
                let ok = report.problems.is_empty();
                if ctx.json {
                    output::print_json(&VerifyView {
                        ok,
                        report: &report,
                    })?;
                } else {
                    let mut lines = vec![match ctx.lang {
                        Lang::Zh => format!(
                            "校验了 {} 条记录、{} 个文件。",
                            report.entries, report.objects
                        ),
                        Lang::En => format!(
                            "Checked {} entries and {} files.",
                            report.entries, report.objects
                        ),
                    }];
                    for p in &report.problems {
                        let what = match (p.kind, ctx.lang) {
                            ("missing_object", Lang::Zh) => "文件缺失",
                            ("altered_object", Lang::Zh) => "文件被改动",
                            ("edited_entry", Lang::Zh) => "记录被改动",
                            ("broken_chain", Lang::Zh) => "记录链断开（被删除、插入或移动）",
                            ("out_of_order", Lang::Zh) => "记录顺序被打乱",
                            ("truncated_journal", Lang::Zh) => {
                                "日志被截短（记录被删除，或日志被清空、替换、回滚）"
                            }
                            (_, Lang::Zh) => "记录无法读取",
                            (k, Lang::En) => k,
                        };
                        lines.push(format!(
                            "  ✗ {what}{}{}：{}",
                            p.line
                                .map(|l| format!(
                                    " {}{l}",
                                    ctx.t("第行 ", "line ").replace("第行 ", "第 ")
                                ))
                                .unwrap_or_default(),
                            p.name.as_ref().map(|n| format!(" {n}")).unwrap_or_default(),
                            p.detail
                        ));
                    }
                    if report.unrecorded > 0 {
                        lines.push(match ctx.lang {
                            Lang::Zh => format!(
                                "  · 有 {} 条记录账本没有登记：添加证据时被中断，或被人手工加入。确认是自己添加的，再运行 `tuiding vault verify --accept` 登记。",
                                report.unrecorded
                            ),
                            Lang::En => format!(
                                "  · {} entries were never recorded by the ledger: an addition interrupted, or added by hand. If they are yours, `tuiding vault verify --accept` records them.",
                                report.unrecorded
                            ),
                        });
                    }
                    if ok {
                        lines.push(
                            ctx.t(
                                "✓ 全部完好：没有缺失、改动或顺序错乱。",
                                "✓ All intact: nothing missing, altered or reordered.",
                            )
                            .to_string(),
                        );
                    }
                    output::line(lines.join("\n"))?;
                }
                if ok {
                    Ok(())
                } else {
                    Err(UserError::failure(match ctx.lang {
                        Lang::Zh => format!("证据库有 {} 处问题", report.problems.len()),
                        Lang::En => format!("the vault has {} problems", report.problems.len()),
                    }))
                }
            }
        }
    }
}
