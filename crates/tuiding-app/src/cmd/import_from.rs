//! `tuiding import-from wallos FILE`: move from Wallos without losing anything. Reads its
//! JSON or CSV export, maps each subscription (`tuiding_core::wallos`), stores every mapped
//! one in one transaction, and reports each record that was skipped or only partly mapped.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;
use tuiding_core::Lang;
use tuiding_core::wallos::{self, Record, Skipped};
use tuiding_store::Store;

use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::output;

/// Import from another tracker.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding import-from wallos subscriptions.json\n  tuiding import-from wallos subscriptions.csv --dry-run --json"
)]
pub struct ImportFromArgs {
    /// 来源 / Where the export comes from
    #[arg(value_enum)]
    pub source: Source,
    /// 导出文件（JSON 或 CSV）/ The export (JSON or CSV)
    pub file: PathBuf,
    /// 只显示将导入什么，不写入 / Show what would be imported; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Trackers tuiding reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// Wallos (https://github.com/ellite/Wallos): Settings → Export
    Wallos,
}

#[derive(Serialize)]
struct Report {
    file: String,
    dry_run: bool,
    imported: Vec<Imported>,
    skipped: Vec<SkippedView>,
}

#[derive(Serialize)]
struct Imported {
    line: usize,
    id: Option<i64>,
    platform: String,
    price: String,
    currency: &'static str,
    billing: &'static str,
    remarks: Vec<String>,
}

#[derive(Serialize)]
struct SkippedView {
    line: usize,
    name: String,
    reason: String,
}

impl ImportFromArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let bytes = std::fs::read(&self.file)
            .map_err(|e| UserError::failure(format!("{}: {e}", self.file.display())))?;
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
            .map_err(|e| {
                UserError::failure(format!(
                    "{}: {} ({e})",
                    self.file.display(),
                    ctx.t("不是 UTF-8 文本", "not UTF-8 text")
                ))
            })?;
        let records = read_records(text)
            .map_err(|e| UserError::failure(format!("{}: {e}", self.file.display())))?;
        if records.is_empty() {
            return Err(UserError::failure(format!(
                "{}: {}",
                self.file.display(),
                ctx.t("没有订阅记录", "no subscriptions in it")
            )));
        }
        let (mapped, skipped) = wallos::map_records(&records, ctx.today);
        let ids: Vec<Option<i64>> = if self.dry_run || mapped.is_empty() {
            vec![None; mapped.len()]
        } else {
            let members: Vec<_> = mapped.iter().map(|m| m.membership.clone()).collect();
            let mut store = ctx.open_store()?;
            store
                .add_memberships(&members)
                .localize(lang)?
                .into_iter()
                .map(Some)
                .collect()
        };
        let report = Report {
            file: self.file.display().to_string(),
            dry_run: self.dry_run,
            imported: mapped
                .iter()
                .zip(&ids)
                .map(|(m, id)| Imported {
                    line: m.line,
                    id: *id,
                    platform: m.membership.platform.clone(),
                    price: m.membership.price.amount_string(),
                    currency: m.membership.price.currency().code(),
                    billing: m.membership.billing.kind(),
                    remarks: m.remarks.iter().map(|r| r.text(lang).to_string()).collect(),
                })
                .collect(),
            skipped: skipped
                .iter()
                .map(|s: &Skipped| SkippedView {
                    line: s.line,
                    name: s.name.clone(),
                    reason: s.reason.text(lang).to_string(),
                })
                .collect(),
        };
        if ctx.json {
            return output::print_json(&report);
        }
        let mut lines = vec![match (lang, self.dry_run) {
            (Lang::Zh, false) => format!(
                "从 Wallos 导入了 {} 个会员，跳过 {} 条。",
                report.imported.len(),
                report.skipped.len()
            ),
            (Lang::Zh, true) => format!(
                "试运行：将导入 {} 个会员，跳过 {} 条（未写入）。",
                report.imported.len(),
                report.skipped.len()
            ),
            (Lang::En, false) => format!(
                "Imported {} memberships from Wallos; skipped {}.",
                report.imported.len(),
                report.skipped.len()
            ),
            (Lang::En, true) => format!(
                "Dry run: would import {} memberships and skip {} (nothing written).",
                report.imported.len(),
                report.skipped.len()
            ),
        }];
        for i in &report.imported {
            let id = i.id.map(|id| format!(" → #{id}")).unwrap_or_default();
            lines.push(match lang {
                Lang::Zh => format!(
                    "  ✓ 第 {} 条 {} {} {}{id}",
                    i.line, i.platform, i.price, i.currency
                ),
                Lang::En => format!(
                    "  ✓ record {}: {} {} {}{id}",
                    i.line, i.platform, i.price, i.currency
                ),
            });
            for r in &i.remarks {
                lines.push(format!("      · {r}"));
            }
        }
        for s in &report.skipped {
            lines.push(match lang {
                Lang::Zh => format!("  ✗ 第 {} 条 {}：{}", s.line, s.name, s.reason),
                Lang::En => format!("  ✗ record {}: {}: {}", s.line, s.name, s.reason),
            });
        }
        output::line(lines.join("\n"))
    }
}

/// The records of a Wallos export: JSON (an array, or `{"subscriptions": [...]}`) or CSV
/// with a header row.
pub fn read_records(text: &str) -> Result<Vec<Record>, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let value: serde_json::Value =
            serde_json::from_str(trimmed).map_err(|e| format!("JSON: {e}"))?;
        let items = match &value {
            serde_json::Value::Array(items) => items,
            serde_json::Value::Object(o) => o
                .get("subscriptions")
                .and_then(|s| s.as_array())
                .ok_or("JSON: no \"subscriptions\" array")?,
            _ => return Err("JSON: expected an array of subscriptions".into()),
        };
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let object = item
                    .as_object()
                    .ok_or(format!("JSON: subscription {} is not an object", i + 1))?;
                let fields: BTreeMap<String, String> = object
                    .iter()
                    .map(|(k, v)| {
                        let text = match v {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        (k.clone(), text)
                    })
                    .collect();
                Ok(Record {
                    line: i + 1,
                    fields,
                })
            })
            .collect();
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("CSV: {e}"))?.clone();
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| format!("CSV: {e}"))?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let fields = headers
            .iter()
            .zip(row.iter())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        records.push(Record { line, fields });
    }
    Ok(records)
}
