//! `tuiding evidence add|list` and `tuiding vault verify`.

use super::Term;
use super::output::{self, Align, Table};
use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::PathBuf;
use tuiding_app::error::UserError;
use tuiding_app::evidence::{self, *};
use tuiding_app::text::InputFile;
use tuiding_core::Lang;
use tuiding_core::playbook::EvidenceKind;

/// Evidence for a case.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding evidence add 1 关闭前.png 关闭后.png --kind operation --step close:wechat_pay\n  tuiding evidence add 1 客服聊天.png --kind communication --note \"客服承诺3个工作日退款\"\n  tuiding evidence list 1 --json\n  tuiding vault verify"
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
            } => {
                let files: Vec<InputFile> = files.iter().map(|p| InputFile::path(p)).collect();
                let added = evidence::add(ctx, *case, &files, kind, step.clone(), note.clone())?;
                if ctx.json {
                    return output::print_json(&added);
                }
                let lines: Vec<String> = added
                    .iter()
                    .map(|e| match ctx.lang {
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
                    })
                    .collect();
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
