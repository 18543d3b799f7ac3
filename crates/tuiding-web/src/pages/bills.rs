//! Import: upload Alipay, WeChat Pay or bank exports, see the recurring charges found in
//! everything imported, adopt each as a membership or dismiss it.

use axum::Extension;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, html};
use serde::Deserialize;
use tuiding_app::bills::FileSummary;
use tuiding_app::bills::scan::frequency_label;
use tuiding_app::bills::streams::{self, Report};
use tuiding_core::Lang;

use super::{Chrome, Done, OrPage, PageResult, notice, page};
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};
use crate::upload;

fn chrome(state: &AppState, lang: Lang, csrf: CsrfToken) -> Chrome {
    Chrome::new(state, lang, csrf, "import")
}

/// `GET /import`.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Query(done): Query<Done>,
) -> PageResult {
    let (report, ledger) = state
        .run(lang, |ctx| Ok((streams::report(ctx)?, ledger_names(ctx)?)))
        .await
        .or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    let note = match done.done.as_deref() {
        Some("dismissed") => Some(c.t(
            "已忽略，以后不再显示。",
            "Dismissed; it will not be shown again.",
        )),
        _ => None,
    };
    let body = html! { (notice(note)) (render(&c, &[], &report, &ledger)) };
    Ok(page(&c, c.t("账单导入", "Import bills"), body).into_response())
}

/// `POST /import`: stores the uploaded exports, then shows what was found.
pub async fn upload(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    multipart: Multipart,
) -> PageResult {
    let up = upload::read(multipart).await.or_page(lang)?;
    check_form_token(&headers, up.field("csrf")).or_page(lang)?;
    if up.files.is_empty() {
        return Err(super::PageError::new(
            crate::error::WebError::bad_field(
                "file",
                lang.pick("请选择账单文件", "choose an export file"),
            ),
            lang,
        ));
    }
    let (summaries, report, ledger) = state
        .run(lang, move |ctx| {
            let summaries = tuiding_app::bills::import(ctx, &up.input_files(str::to_string), &[])?;
            Ok((summaries, streams::report(ctx)?, ledger_names(ctx)?))
        })
        .await
        .or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    Ok(page(
        &c,
        c.t("账单导入", "Import bills"),
        render(&c, &summaries, &report, &ledger),
    )
    .into_response())
}

/// Every membership's id and name, for linking a stream to one already in the ledger.
fn ledger_names(ctx: &tuiding_app::context::Ctx) -> anyhow::Result<Vec<(i64, String)>> {
    Ok(tuiding_app::memberships::all(ctx)?
        .iter()
        .map(|v| {
            (
                v.id,
                format!("{} {}", v.platform, v.plan).trim().to_string(),
            )
        })
        .collect())
}

fn render(
    c: &Chrome,
    imported: &[FileSummary],
    report: &Report,
    ledger: &[(i64, String)],
) -> Markup {
    html! {
        @if !imported.is_empty() {
            section.card.ok #imported role="status" {
                @for s in imported {
                    p { strong { (s.file) } " — " (s.bank.as_deref().unwrap_or(s.format)) "，" (s.encoding) "："
                        (match c.lang { Lang::Zh => format!("读取 {} 笔，新增 {} 笔", s.read, s.added), Lang::En => format!("read {}, added {}", s.read, s.added) }) }
                }
            }
        }
        section.card {
            form.stack.dropzone method="post" action="/import" enctype="multipart/form-data" {
                (c.csrf_field())
                label for="files" { (c.t("支付宝、微信支付（CSV / XLSX）或银行账单，可多选或拖放到此处", "Alipay, WeChat Pay (CSV / XLSX) or bank exports: choose several or drop them here")) }
                input #files type="file" name="files" multiple accept=".csv,.xlsx,.txt";
                button type="submit" { (c.t("导入", "Import")) }
            }
            p.muted.small { (c.t("重复导入不会重复记录。文件只在本机处理。", "Importing the same file twice adds nothing twice. Files stay on this machine.")) }
        }
        section.card #wallos {
            h2 { (c.t("从 Wallos 迁移", "Moving from Wallos")) }
            form.stack method="post" action="/import/wallos" enctype="multipart/form-data" {
                (c.csrf_field())
                label for="wallos-file" { (c.t("Wallos 导出的 JSON 或 CSV（设置 → 导出）", "Wallos's JSON or CSV export (Settings → Export)")) }
                input #wallos-file type="file" name="file" accept=".json,.csv";
                button.secondary type="submit" { (c.t("导入 Wallos 订阅", "Import the subscriptions")) }
            }
        }
        @if !report.alerts.is_empty() {
            section.card.alert #charge-alerts {
                h2 { (c.t("退订后仍被扣费", "Charged after cancellation")) }
                ul { @for a in &report.alerts {
                    li { (a.date) " " (a.platform) " " (a.display) " — " (a.channel_label) (c.t(" 已于 ", " closed on ")) (a.closed_on) (c.t(" 关闭", "")) " " a href={"/memberships/" (a.membership_id)} { "→" } }
                } }
            }
        }
        section.card #streams {
            h2 { (c.t("识别出的周期扣费", "Recurring charges found")) }
            @if report.transactions_stored == 0 {
                p.muted { (c.t("还没有导入账单。", "No bills imported yet.")) }
            } @else {
                p.muted { (match c.lang {
                    Lang::Zh => format!("已导入 {} 笔交易，截至 {}。", report.transactions_stored, report.as_of),
                    Lang::En => format!("{} transactions imported, as of {}.", report.transactions_stored, report.as_of),
                }) }
                table.list {
                    thead { tr {
                        th scope="col" { (c.t("商户", "Merchant")) } th scope="col" { (c.t("周期", "Every")) } th.num scope="col" { (c.t("最近金额", "Last amount")) }
                        th scope="col" { (c.t("最近扣费", "Last charge")) } th scope="col" { (c.t("下次", "Next")) } th scope="col" { (c.t("操作", "Actions")) }
                    } }
                    tbody { @for l in &report.streams {
                        @let s = &l.stream;
                        tr.ended[s.status != "active"] id={"stream-" (s.id)} {
                            td.title { (s.merchant) " " small.muted { (s.description) " · #" (l.number) } }
                            td data-label=(c.t("周期", "Every")) { (frequency_label(s.frequency, c.lang)) }
                            td.num data-label=(c.t("最近金额", "Last amount")) { (s.last_display) }
                            td.date data-label=(c.t("最近扣费", "Last charge")) { (s.last_date) }
                            td.date data-label=(c.t("下次", "Next")) { @if let Some(d) = s.next_date { (d) } @else { "—" } }
                            td.actions data-label="" { (stream_actions(c, l, ledger)) }
                        }
                    } }
                }
            }
        }
    }
}

/// Adopt a stream as a new membership, link it to one already in the ledger (the one it
/// looks like is chosen first), or dismiss it.
fn stream_actions(c: &Chrome, l: &streams::Listed, ledger: &[(i64, String)]) -> Markup {
    let s = &l.stream;
    let action = format!("/streams/{}/adopt", s.id);
    html! {
        @if let Some(id) = l.membership_id {
            a href={"/memberships/" (id)} { (c.t("会员 #", "membership #")) (id) }
        } @else {
            div.actions {
                form.inline method="post" action=(action) {
                    (c.csrf_field())
                    input type="hidden" name="key" value=(l.key);
                    input type="hidden" name="new" value="1";
                    button.small type="submit" { (c.t("记为新会员", "Adopt")) }
                }
                @if !ledger.is_empty() {
                    form.inline.link-stream method="post" action=(action) {
                        (c.csrf_field())
                        input type="hidden" name="key" value=(l.key);
                        label for={"into-" (s.id)} { (c.t("关联到已有会员", "Link to a membership")) }
                        " "
                        select id={"into-" (s.id)} name="into" {
                            @for (id, name) in ledger {
                                option value=(id) selected[l.matches_membership == Some(*id)] { "#" (id) " " (name) }
                            }
                        }
                        " "
                        button.small.secondary type="submit" { (c.t("关联", "Link")) }
                    }
                }
                form.inline method="post" action={"/streams/" (s.id) "/dismiss"} {
                    (c.csrf_field())
                    input type="hidden" name="key" value=(l.key);
                    button.small.secondary type="submit" { (c.t("忽略", "Dismiss")) }
                }
            }
        }
    }
}

/// `POST /import/wallos`: a Wallos export becomes memberships (`tuiding import-from wallos`);
/// the page lists what was imported and each record skipped or only partly mapped.
pub async fn wallos(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    multipart: Multipart,
) -> PageResult {
    let up = upload::read(multipart).await.or_page(lang)?;
    check_form_token(&headers, up.field("csrf")).or_page(lang)?;
    let Some((name, bytes)) = up.files.into_iter().next() else {
        return Err(super::PageError::new(
            crate::error::WebError::bad_field(
                "file",
                lang.pick("请选择 Wallos 导出文件", "choose a Wallos export"),
            ),
            lang,
        ));
    };
    let report = state
        .run(lang, move |ctx| {
            tuiding_app::wallos::import_wallos(ctx, &name, &bytes, false)
        })
        .await
        .or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    let body = html! {
        section.card.ok #wallos-imported role="status" {
            p { strong { (report.file) } (c.t("：导入 ", ": imported ")) (report.imported.len()) (c.t(" 个会员。", " memberships.")) " "
                a href="/memberships" { (c.t("查看会员", "See them")) } }
            ul.plain { @for i in &report.imported {
                li { @if let Some(id) = i.id { a href={"/memberships/" (id)} { (i.platform) } } @else { (i.platform) } " · " (i.price) " " (i.currency)
                    @for r in &i.remarks { br; small.muted { (r) } } }
            } }
        }
        @if !report.skipped.is_empty() {
            section.card.alert #wallos-skipped {
                h2 { (c.t("未导入", "Not imported")) }
                ul { @for s in &report.skipped { li { (c.t("第 ", "line ")) (s.line) (c.t(" 条 ", " ")) strong { (s.name) } "：" (s.reason) } } }
            }
        }
    };
    Ok(page(&c, c.t("从 Wallos 迁移", "Moving from Wallos"), body).into_response())
}

/// The adopt form.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AdoptForm {
    /// The form's CSRF token.
    pub csrf: String,
    /// The stream's key as listed: a changed list is refused.
    pub key: String,
    /// Category, e.g. 视频, 音乐.
    pub category: String,
    /// Link to this membership instead of creating one.
    pub into: String,
    /// Create a new membership even if one looks the same.
    pub new: String,
}

/// `POST /streams/{id}/adopt`.
pub async fn adopt(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(stream): Path<String>,
    Form(f): Form<AdoptForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let category = Some(f.category.trim().to_string()).filter(|c| !c.is_empty());
    let into = match f.into.trim().trim_start_matches('#') {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| {
                    crate::error::WebError::bad_field(
                        "into",
                        lang.pick("会员编号应为数字", "the membership id must be a number"),
                    )
                })
                .or_page(lang)?,
        ),
    };
    let new = !f.new.trim().is_empty();
    let key = f.key;
    let id = state
        .run(lang, move |ctx| {
            let key = Some(key.as_str()).filter(|k| !k.is_empty());
            let which = streams::StreamRef::parse(&stream);
            streams::adopt(ctx, &which, category, key, into, new).map(|a| a.id())
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/memberships/{id}?done=adopted")).into_response())
}

/// `POST /streams/{id}/dismiss`.
pub async fn dismiss(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(stream): Path<String>,
    Form(f): Form<AdoptForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let key = f.key;
    state
        .run(lang, move |ctx| {
            let key = Some(key.as_str()).filter(|k| !k.is_empty());
            let which = streams::StreamRef::parse(&stream);
            streams::dismiss(ctx, &which, key)
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to("/import?done=dismissed").into_response())
}

/// This page's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/import", show)
        .post("/import", upload)
        .post("/import/wallos", wallos)
        .post("/streams/{stream}/adopt", adopt)
        .post("/streams/{stream}/dismiss", dismiss)
}
