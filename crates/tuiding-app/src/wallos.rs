//! `tuiding import-from wallos FILE`: move from Wallos without losing anything. Reads its
//! JSON or CSV export, maps each subscription (`tuiding_core::wallos`), stores every mapped
//! one in one transaction, and reports each record that was skipped or only partly mapped.

use std::collections::BTreeMap;

use serde::Serialize;
use tuiding_core::wallos::{self, Record, Skipped};
use tuiding_store::prelude::*;

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};

#[derive(Serialize)]
pub struct Report {
    pub file: String,
    pub dry_run: bool,
    pub imported: Vec<Imported>,
    pub skipped: Vec<SkippedView>,
}

#[derive(Serialize)]
pub struct Imported {
    pub line: usize,
    pub id: Option<i64>,
    pub platform: String,
    pub price: String,
    pub currency: &'static str,
    pub billing: &'static str,
    pub remarks: Vec<String>,
}

#[derive(Serialize)]
pub struct SkippedView {
    pub line: usize,
    pub name: String,
    pub reason: String,
}

/// Imports a Wallos export (JSON or CSV, named `name` in messages): every mapped
/// subscription is stored in one transaction, each skipped or partly mapped one reported
/// (`tuiding import-from wallos`); with `dry_run` nothing is written.
pub fn import_wallos(
    ctx: &Ctx<impl Backend>,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> anyhow::Result<Report> {
    let lang = ctx.lang;
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            UserError::failure(format!(
                "{}: {} ({e})",
                name,
                ctx.t("不是 UTF-8 文本", "not UTF-8 text")
            ))
        })?;
    let records = read_records(text).map_err(|e| UserError::failure(format!("{}: {e}", name)))?;
    if records.is_empty() {
        return Err(UserError::failure(format!(
            "{}: {}",
            name,
            ctx.t("没有订阅记录", "no subscriptions in it")
        )));
    }
    let (mapped, skipped) = wallos::map_records(&records, ctx.today);
    let ids: Vec<Option<i64>> = if dry_run || mapped.is_empty() {
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
        file: name.to_string(),
        dry_run,
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
    Ok(report)
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
