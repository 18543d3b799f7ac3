//! The complaint dossier: `tuiding case export` gathers a case's facts, grounds and
//! evidence into a zip; `tuiding dossier verify` checks a zip against its manifest.

mod documents;

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;
use tuiding_core::complaint::{self, ComplaintFacts, Grounds};
use tuiding_core::{Currency, Lang};
use tuiding_vault::dossier::{self, ManifestFile};
use tuiding_vault::mask::mask_sensitive;
use tuiding_vault::{Problem, Vault};

use crate::cmd::case::{CaseData, CaseView, Completeness, LocalizeVault, load, view};
use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::output;

/// Dossiers.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding case export 1 --out 案件1.zip\n  tuiding dossier verify 案件1.zip\n  tuiding dossier verify 案件1.zip --json"
)]
pub struct DossierArgs {
    #[command(subcommand)]
    pub command: DossierCommand,
}

/// What to do with a dossier.
#[derive(Debug, Subcommand)]
pub enum DossierCommand {
    /// 校验投诉材料 / Check every file of a dossier against its manifest (exit 1 when anything is wrong)
    #[command(
        after_help = "示例 / Examples:\n  tuiding dossier verify 案件1.zip\n  tuiding dossier verify 案件1.zip --json"
    )]
    Verify {
        /// 投诉材料 zip / The dossier
        file: PathBuf,
    },
}

/// Everything the documents are written from.
pub struct DossierFacts<'a> {
    pub data: &'a CaseData,
    pub view: &'a CaseView,
    pub grounds: &'a Grounds,
    /// The refund claimed under the terms, with its basis (both readings of an ambiguous
    /// clause, the favourable one claimed).
    pub claim: Option<crate::cmd::case::message::RefundClaim>,
    /// Evidence entries with their path inside the zip.
    pub evidence_paths: Vec<String>,
}

#[derive(Serialize)]
struct ExportView<'a> {
    out: String,
    masked: bool,
    completeness: &'a Completeness,
    grounds: &'a Grounds,
    files: &'a [ManifestFile],
}

/// A dossier written: what it holds.
pub struct Written {
    pub completeness: Completeness,
    pub grounds: Grounds,
    pub files: Vec<ManifestFile>,
    pub evidence: usize,
}

/// Writes the dossier of case `id` to `out` and prints what it holds (`case export`).
pub fn export(ctx: &Ctx, id: i64, out: &Path, mask: bool) -> anyhow::Result<()> {
    let written = write(ctx, id, out, mask, |c| warn_incomplete(ctx, c))?;
    let (grounds, manifest_files) = (&written.grounds, &written.files);
    if ctx.json {
        return output::print_json(&ExportView {
            out: out.display().to_string(),
            masked: mask,
            completeness: &written.completeness,
            grounds,
            files: manifest_files,
        });
    }
    let mut lines = vec![match ctx.lang {
        Lang::Zh => format!(
            "已导出 {}：{} 个文件（报告、12315 投诉表、{} 份证据、清单）。",
            out.display(),
            manifest_files.len() + 1,
            written.evidence
        ),
        Lang::En => format!(
            "Exported {}: {} files (report, 12315 complaint, {} evidence files, manifest).",
            out.display(),
            manifest_files.len() + 1,
            written.evidence
        ),
    }];
    for b in &grounds.breaches {
        lines.push(format!("  ⚠ {}", b.fact.text(ctx.lang)));
    }
    lines.push(format!(
        "{}{}",
        ctx.t("诉求合计：", "Claimed in total: "),
        grounds.total
    ));
    if !mask {
        lines.push(
            ctx.t(
                "注意：未遮盖身份证、银行卡和手机号。",
                "Note: ID, card and phone numbers are not masked.",
            )
            .to_string(),
        );
    }
    lines.push(format!(
        "{}tuiding dossier verify {}",
        ctx.t("校验：", "Check it with: "),
        out.display()
    ));
    output::line(lines.join("\n"))
}

/// Writes the dossier of case `id` to `out` (the report, the 12315 complaint, the
/// evidence byte for byte, the journal excerpt, the manifest). `incomplete` hears about
/// missing evidence before anything is written.
pub fn write(
    ctx: &Ctx,
    id: i64,
    out: &Path,
    mask: bool,
    incomplete: impl FnOnce(&Completeness),
) -> anyhow::Result<Written> {
    let store = ctx.open_store()?;
    let data = load(ctx, &store, id)?;
    let v = view(ctx, &data);
    let currency = Currency::from_code(&data.case.currency).localize(ctx.lang)?;
    // The claim the refund request made: the reading that favours the user.
    let claim = crate::cmd::case::message::refund_claim(ctx, &data);
    let refund_by_terms = claim
        .as_ref()
        .filter(|_| data.case.refund.requested_on.is_some())
        .and_then(|c| tuiding_core::Money::parse(&c.amount, currency).ok());
    let facts = ComplaintFacts {
        platform: data
            .membership
            .as_ref()
            .map_or(data.case.membership_label.as_str(), |m| m.platform.as_str()),
        currency,
        late_charges: data.late_charges.clone(),
        duplicate_charges: data
            .duplicate_charges
            .iter()
            .filter_map(|d| {
                tuiding_core::Money::parse(&d.amount, currency)
                    .ok()
                    .map(|m| (d.date, m, d.order.clone()))
            })
            .collect(),
        refund: data.case.refund,
        refund_due: v.refund.due,
        refund_by_terms,
        reminder_days: data
            .policy
            .as_ref()
            .and_then(|p| p.timing.renewal_reminder_days.as_ref())
            .map(|d| d.value),
        today: ctx.today,
    };
    let grounds = complaint::grounds(&facts).localize(ctx.lang)?;

    if !v.completeness.complete {
        incomplete(&v.completeness);
    }
    // A vault that does not verify (an object altered, the journal cut short) would hand
    // on evidence that no longer proves anything: refused, with what is wrong.
    let report = crate::cmd::evidence::verify(ctx)?;
    if let Some(first) = report.problems.first() {
        return Err(UserError::failure(match ctx.lang {
            Lang::Zh => format!(
                "证据库校验未通过（{} 处问题，第一处：{} {}），不导出投诉材料；运行 `tuiding vault verify` 查看，并从备份恢复证据库",
                report.problems.len(),
                first.kind,
                first.detail
            ),
            Lang::En => format!(
                "the evidence vault does not verify ({} problems, the first: {} {}); no dossier is exported. Run `tuiding vault verify` and restore the vault from a backup",
                report.problems.len(),
                first.kind,
                first.detail
            ),
        }));
    }
    let vault = Vault::open(&ctx.data_dir()?.join("vault")).localize_vault(ctx.lang)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut evidence_paths = Vec::new();
    for e in &data.evidence {
        let path = format!("evidence/{:03}-{}", e.seq, safe_name(&e.name));
        files.push((path.clone(), vault.read_object(e).localize_vault(ctx.lang)?));
        evidence_paths.push(path);
    }
    let doc = DossierFacts {
        data: &data,
        view: &v,
        grounds: &grounds,
        claim,
        evidence_paths,
    };
    let masked = |text: String| if mask { mask_sensitive(&text) } else { text };
    let mut docs = vec![
        (
            "report.html".to_string(),
            masked(documents::report_html(ctx, &doc)).into_bytes(),
        ),
        (
            "complaint.txt".to_string(),
            masked(documents::complaint_txt(ctx, &doc)).into_bytes(),
        ),
    ];
    let journal: Vec<String> = data
        .evidence
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    docs.push((
        "journal.jsonl".to_string(),
        masked(journal.join("\n") + "\n").into_bytes(),
    ));
    docs.append(&mut files);
    let manifest =
        dossier::write(out, &crate::clock::now().to_string(), &docs).localize_vault(ctx.lang)?;
    Ok(Written {
        completeness: v.completeness,
        grounds,
        files: manifest.files,
        evidence: data.evidence.len(),
    })
}

fn warn_incomplete(ctx: &Ctx, c: &Completeness) {
    let mut parts: Vec<String> = c
        .empty_groups
        .iter()
        .map(|g| {
            tuiding_core::playbook::EvidenceKind::parse(g).map_or((*g).to_string(), |k| {
                format!("{}{}", ctx.t("缺少", "no "), k.label(ctx.lang))
            })
        })
        .collect();
    parts.extend(
        c.unproven_steps
            .iter()
            .map(|s| format!("{s} {}", ctx.t("没有证据", "has no evidence"))),
    );
    eprintln!(
        "{}{}",
        ctx.t(
            "提醒：证据还不完整：",
            "warning: the evidence is incomplete: "
        ),
        parts.join(ctx.t("；", "; "))
    );
}

/// A file name safe inside a zip: no directories, no control characters.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "file".into()
    } else {
        trimmed.into()
    }
}

#[derive(Serialize)]
struct VerifyView<'a> {
    ok: bool,
    file: String,
    created_at: &'a str,
    files: usize,
    problems: &'a [Problem],
}

impl DossierArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let DossierCommand::Verify { file } = &self.command;
        let (manifest, problems) = dossier::verify(file)
            .map_err(|e| UserError::failure(format!("{}: {e}", file.display())))?;
        let ok = problems.is_empty();
        if ctx.json {
            output::print_json(&VerifyView {
                ok,
                file: file.display().to_string(),
                created_at: &manifest.created_at,
                files: manifest.files.len(),
                problems: &problems,
            })?;
        } else {
            let mut lines = vec![match ctx.lang {
                Lang::Zh => format!(
                    "{}：清单列出 {} 个文件（生成于 {}）。",
                    file.display(),
                    manifest.files.len(),
                    manifest.created_at
                ),
                Lang::En => format!(
                    "{}: the manifest lists {} files (made {}).",
                    file.display(),
                    manifest.files.len(),
                    manifest.created_at
                ),
            }];
            for p in &problems {
                let what = match (p.kind, ctx.lang) {
                    ("missing_object", Lang::Zh) => "文件缺失",
                    ("altered_object", Lang::Zh) => "文件被改动",
                    ("unlisted_file", Lang::Zh) => "清单外的文件",
                    (k, _) => k,
                };
                lines.push(format!(
                    "  ✗ {what} {}",
                    p.name.as_deref().unwrap_or_default()
                ));
            }
            if ok {
                lines.push(
                    ctx.t(
                        "✓ 每个文件都与清单一致（SHA-256 与 SM3）。",
                        "✓ Every file matches the manifest (SHA-256 and SM3).",
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
                Lang::Zh => format!("投诉材料有 {} 处与清单不符", problems.len()),
                Lang::En => format!("{} files do not match the manifest", problems.len()),
            }))
        }
    }
}
