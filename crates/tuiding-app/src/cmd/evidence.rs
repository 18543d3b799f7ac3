//! `tuiding evidence add|list` and `tuiding vault verify`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tuiding_core::Lang;
use tuiding_core::playbook::EvidenceKind;
use tuiding_store::Store;
use tuiding_vault::{AddMeta, Vault};

use crate::cmd::case::{LocalizeVault, load};
use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::output::{self, Align, Table};

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

fn vault(ctx: &Ctx) -> anyhow::Result<Vault> {
    Vault::open(&ctx.data_dir()?.join("vault")).localize_vault(ctx.lang)
}

/// Stores files as evidence of a case (`tuiding evidence add`): every file is checked
/// before the first is stored.
pub fn add(
    ctx: &Ctx,
    case: i64,
    files: &[PathBuf],
    kind: &str,
    step: Option<String>,
    note: Option<String>,
) -> anyhow::Result<Vec<tuiding_vault::Entry>> {
    let kind = EvidenceKind::parse(kind).ok_or_else(|| {
        UserError::usage(
            "--kind",
            ctx.t(
                "应为 operation（操作记录）、communication（沟通记录）或 payment（支付凭证）",
                "must be operation, communication or payment",
            ),
        )
    })?;
    let mut store = ctx.open_store()?;
    let data = load(ctx, &store, case)?;
    if let Some(step) = &step
        && !data.steps.iter().any(|s| &s.id == step)
    {
        let ids: Vec<&str> = data.steps.iter().map(|s| s.id.as_str()).collect();
        return Err(UserError::usage(
            "--step",
            format!("{step:?}: {}", ids.join(", ")),
        ));
    }
    for file in files {
        if !file.is_file() {
            return Err(UserError::usage(
                "FILE",
                format!(
                    "{}: {}",
                    file.display(),
                    ctx.t("不是可读的文件", "not a readable file")
                ),
            ));
        }
    }
    let vault = vault(ctx)?;
    vault.remove_leftovers();
    let captured_at = crate::clock::now().to_string();
    let mut added = Vec::new();
    // Many large files take seconds (each is hashed twice and fsynced).
    let bar = if ctx.json || files.len() < 20 {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(files.len() as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Under the ledger's write lock: the journal must still hold the head the ledger
    // recorded, and the new head is recorded with the additions (a journal cut short
    // later is then caught by `vault verify`).
    store.append_to_vault(|head| -> anyhow::Result<_> {
        vault
            .check_head(head.map(|h| (h.seq, h.hash.as_str())))
            .localize_vault(ctx.lang)?;
        for file in files {
            bar.inc(1);
            let meta = AddMeta {
                case_id: case,
                step: step.clone(),
                kind: kind.as_str().into(),
                note: note.clone(),
                captured_at: captured_at.clone(),
            };
            added.push(vault.add_file(file, meta).localize_vault(ctx.lang)?);
        }
        // `check_head` refused entries after the recorded head, so the last one added is
        // the journal's last: the new head.
        let last = added
            .last()
            .ok_or_else(|| anyhow::anyhow!("no file was added"))?;
        Ok((
            tuiding_store::VaultHead {
                seq: last.seq,
                hash: last.hash.clone(),
            },
            (),
        ))
    })?;
    bar.finish_and_clear();
    Ok(added)
}

/// Verifies every file of the vault and its journal's chain (`tuiding vault verify`).
/// Records the journal's last entry as the head: the user has looked at the entries after
/// the old head and says they are theirs.
fn accept_unrecorded(ctx: &Ctx) -> anyhow::Result<()> {
    let vault = vault(ctx)?;
    ctx.open_store()?.append_to_vault(|_| -> anyhow::Result<_> {
        let last = vault
            .last_entry()
            .localize_vault(ctx.lang)?
            .ok_or_else(|| anyhow::anyhow!("the journal is empty"))?;
        Ok((
            tuiding_store::VaultHead {
                seq: last.seq,
                hash: last.hash,
            },
            (),
        ))
    })
}

/// Verifies the vault against the journal head the ledger recorded.
pub fn verify(ctx: &Ctx) -> anyhow::Result<tuiding_vault::VerifyReport> {
    let head = ctx.open_store()?.vault_head().localize(ctx.lang)?;
    vault(ctx)?
        .verify(head.as_ref().map(|h| (h.seq, h.hash.as_str())))
        .localize_vault(ctx.lang)
}

impl EvidenceArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        match &self.command {
            EvidenceCommand::Add {
                case,
                files,
                kind,
                step,
                note,
            } => {
                let added = add(ctx, *case, files, kind, step.clone(), note.clone())?;
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
                let store = ctx.open_store()?;
                store.case(*case).localize(ctx.lang)?;
                let entries: Vec<_> = vault(ctx)?
                    .entries()
                    .localize_vault(ctx.lang)?
                    .into_iter()
                    .filter(|e| e.case_id == *case)
                    .collect();
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
                        crate::clock::text_for_people(&e.captured_at).into(),
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
    report: &'a tuiding_vault::VerifyReport,
}

impl VaultArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        match self.command {
            VaultCommand::Verify { accept } => {
                let mut report = verify(ctx)?;
                if accept
                    && report.unrecorded > 0
                    && report.problems.iter().all(|p| p.kind == "unrecorded_entry")
                {
                    accept_unrecorded(ctx)?;
                    report = verify(ctx)?;
                }
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
