//! The complaint dossier: `tuiding case export` gathers a case's facts, grounds and
//! evidence into a zip; `tuiding dossier verify` checks a zip against its manifest.

use super::Term;
use super::output;
use clap::{Args, Subcommand};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tuiding_app::case::Completeness;
use tuiding_app::dossier;
use tuiding_app::dossier::{ManifestFile, Problem};
use tuiding_app::error::UserError;
use tuiding_core::Lang;
use tuiding_core::complaint::Grounds;

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

#[derive(Serialize)]
struct ExportView<'a> {
    out: String,
    masked: bool,
    completeness: &'a Completeness,
    grounds: &'a Grounds,
    files: &'a [ManifestFile],
}

/// Writes the dossier of case `id` to `out` and prints what it holds (`case export`).
pub fn export(ctx: &Term, id: i64, out: &Path, mask: bool) -> anyhow::Result<()> {
    let written = dossier::write(ctx, id, out, mask, |c| warn_incomplete(ctx, c))?;
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

fn warn_incomplete(ctx: &Term, c: &Completeness) {
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

#[derive(Serialize)]
struct VerifyView<'a> {
    ok: bool,
    file: String,
    created_at: &'a str,
    files: usize,
    problems: &'a [Problem],
}

impl DossierArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let DossierCommand::Verify { file } = &self.command;
        let (manifest, problems) = dossier::verify(file)?;
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
                    tuiding_app::clock::text_for_people(&manifest.created_at)
                ),
                Lang::En => format!(
                    "{}: the manifest lists {} files (made {}).",
                    file.display(),
                    manifest.files.len(),
                    tuiding_app::clock::text_for_people(&manifest.created_at)
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
