//! Your data: a backup of the whole data directory (ledger, bills, cases, evidence) to
//! download, the ledger in open formats, and the calendar feed to subscribe to.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use maud::html;
use serde::Deserialize;
use tuiding_app::export::Format;

use super::{Chrome, OrPage, PageResult, page};
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};

/// `GET /data`.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let c = Chrome::new(&state, lang, csrf, "data");
    let body = html! {
        section.card #backup {
            h2 { (c.t("备份", "Backup")) }
            p { (c.t("整个数据目录打包为一个 zip：会员账本、账单、案件和全部证据原件，附 SHA-256 与 SM3 校验清单。用 tuiding restore 恢复。", "The whole data directory in one zip: the ledger, bills, cases and every evidence file, with a manifest of SHA-256 and SM3 digests. Restore it with tuiding restore.")) }
            form method="post" action="/data/backup" {
                (c.csrf_field())
                button type="submit" #download-backup { (c.t("下载备份", "Download a backup")) }
            }
        }
        section.card #export {
            h2 { (c.t("导出", "Export")) }
            p { (c.t("账本的开放格式，可用于表格软件或其他工具。", "The ledger in open formats, for spreadsheets and other tools.")) }
            form.row method="post" action="/data/export" {
                (c.csrf_field())
                button.secondary type="submit" name="format" value="csv" { "CSV" }
                button.secondary type="submit" name="format" value="json" { "JSON" }
            }
        }
        section.card #calendar {
            h2 { (c.t("日历订阅", "Calendar feed")) }
            p { (c.t("在日历应用中订阅，续费日、最后安全退订日和退款到期日会自动出现。", "Subscribe in your calendar app: renewals, last safe cancel days and refund due dates show up by themselves.")) }
            p { a.button.secondary href="/calendar.ics" { (c.t("日历文件 (.ics)", "Calendar file (.ics)")) } }
        }
    };
    Ok(page(&c, c.t("数据与备份", "Data and backup"), body).into_response())
}

/// A form with only the CSRF token, and an export's format.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DataForm {
    csrf: String,
    format: String,
}

fn attachment(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

/// `POST /data/backup`: the backup zip (`tuiding backup`), written to a temporary file
/// outside the data directory and sent.
pub async fn backup(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Form(f): Form<DataForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let (name, bytes) = state
        .run(lang, |ctx| {
            let tmp = tempfile::tempdir()?;
            let name = format!("tuiding-backup-{}.zip", ctx.today);
            let file = tmp.path().join(&name);
            tuiding_app::backup::backup(ctx, &file)?;
            Ok((name, std::fs::read(&file)?))
        })
        .await
        .or_page(lang)?;
    Ok(attachment("application/zip", &name, bytes))
}

/// `POST /data/export`: the ledger as CSV (with a BOM, for Excel) or JSON (`tuiding
/// export`).
pub async fn export(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Form(f): Form<DataForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let (format, content_type, ext) = match f.format.as_str() {
        "json" => (Format::Json, "application/json", "json"),
        _ => (Format::Csv, "text/csv; charset=utf-8", "csv"),
    };
    let (today, export) = state
        .run(lang, move |ctx| {
            Ok((ctx.today, tuiding_app::export::export(ctx, format, true)?))
        })
        .await
        .or_page(lang)?;
    Ok(attachment(
        content_type,
        &format!("tuiding-{today}.{ext}"),
        export.bytes,
    ))
}

/// This page's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/data", show)
        .post("/data/backup", backup)
        .post("/data/export", export)
}
