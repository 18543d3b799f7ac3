//! Cases: each step with its playbook paths, marking steps done, evidence upload (drag
//! and drop, several files), the completeness check, the dossier download, the vault's
//! verification status, and escalating, resolving or closing.

use axum::Extension;
use axum::Form;
use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use tuiding_app::case;
use tuiding_app::evidence;
use tuiding_app::evidence::reading;
use tuiding_app::evidence::{Entry, VerifyReport};
use tuiding_core::Lang;
use tuiding_core::case::CaseState;
use tuiding_core::playbook::EvidenceKind;

use super::{Chrome, OrPage, PageResult, evidence_text, notice, page};
use crate::error::WebError;
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};
use crate::upload;

fn chrome(state: &AppState, lang: Lang, csrf: CsrfToken) -> Chrome {
    Chrome::new(state, lang, csrf, "cases")
}

/// `?done=…` after a form.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
    /// `full`: re-hash every evidence file, not only those added since the last check.
    #[serde(default)]
    verify: Option<String>,
    /// `all`: list every piece of evidence, not only the latest.
    #[serde(default)]
    evidence: Option<String>,
    /// Words to find in the text of the case's screenshots.
    #[serde(default)]
    q: Option<String>,
}

/// Evidence rows listed unless all are asked for: a case with a thousand screenshots stays
/// readable (and fast) on a phone.
const EVIDENCE_SHOWN: usize = 50;

/// `GET /cases`.
pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let items = state.run(lang, case::list_items).await.or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    let body = html! {
        @if items.is_empty() {
            p.muted { (c.t("还没有案件。在会员页面点“开始退订”开启。", "No cases yet. Open one with “Start cancelling” on a membership's page.")) }
        } @else {
            table.list #cases {
                thead { tr { th scope="col" { (c.t("案件", "Case")) } th scope="col" { (c.t("状态", "State")) } th scope="col" { (c.t("开启", "Opened")) } th.num scope="col" { (c.t("已完成步骤", "Steps done")) } } }
                tbody { @for i in &items { tr {
                    td.title { a href={"/cases/" (i.id)} { "#" (i.id) " " (i.membership) } }
                    td data-label=(c.t("状态", "State")) { (i.state_label) }
                    td.date data-label=(c.t("开启", "Opened")) { (i.opened_on) }
                    td.num data-label=(c.t("已完成步骤", "Steps done")) { (i.steps_done) }
                } } }
            }
        }
    };
    Ok(page(&c, c.t("退订案件", "Cases"), body).into_response())
}

/// The case view, its ready-to-send messages and the vault's verification.
type CasePage = std::sync::Arc<case::CasePage>;

/// What the case page shows: the case with what its screenshots say (kept), the vault's
/// check, and the screenshots found by a search.
struct Loaded {
    case: CasePage,
    vault: VerifyReport,
    hits: Option<Vec<reading::Hit>>,
}

fn load(
    ctx: &tuiding_app::context::Ctx,
    id: i64,
    full: bool,
    q: Option<String>,
) -> anyhow::Result<Loaded> {
    // The vault is verified on every view; the view itself is kept while nothing changed.
    let case = case::page(ctx, id)?;
    let vault = evidence::verify_recent(ctx, full)?;
    let hits = match q {
        Some(q) if !q.trim().is_empty() => {
            let words: Vec<String> = q.split_whitespace().map(str::to_string).collect();
            Some(reading::search(ctx, &words, Some(id))?)
        }
        _ => None,
    };
    Ok(Loaded { case, vault, hits })
}

/// `GET /cases/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let full = done.verify.as_deref() == Some("full");
    let q = done.q.clone().unwrap_or_default();
    let asked = done.q.clone();
    let loaded = state
        .run(lang, move |ctx| load(ctx, id, full, asked))
        .await
        .or_page(lang)?;
    let (v, messages) = (&loaded.case.0, &loaded.case.1);
    let vault = &loaded.vault;
    let readouts = &loaded.case.2;
    let read: std::collections::HashMap<u64, &reading::Readout> =
        readouts.iter().map(|r| (r.entry.seq, r)).collect();
    let unread = readouts
        .iter()
        .any(|r| r.unread == Some(reading::Why::NotYet));
    let all_evidence = done.evidence.as_deref() == Some("all");
    let hidden = if all_evidence {
        0
    } else {
        v.evidence.len().saturating_sub(EVIDENCE_SHOWN)
    };
    let c = chrome(&state, lang, csrf);
    let note = match done.done.as_deref() {
        Some("opened") => Some(c.t(
            "已开启案件。按下面的步骤逐一完成，每步留存截图。",
            "Case opened. Work through the steps below and keep a screenshot of each.",
        )),
        Some("step") => Some(c.t("已记录该步骤完成。", "Step recorded as done.")),
        Some("undone") => Some(c.t("已撤销该步骤。", "The step is no longer marked done.")),
        Some("evidence") => Some(c.t(
            "证据已存入证据库。截图的文字正在识别，完成后显示在下面。",
            "Evidence stored in the vault. The screenshots' text is being read and shows below when done.",
        )),
        Some("accepted") => Some(c.t("已采纳截图的提议。", "The screenshot's proposals were taken.")),
        Some("moved") => Some(c.t("案件状态已更新。", "Case state updated.")),
        Some("refund") => Some(c.t("已记录退款进展。", "Refund progress recorded.")),
        _ => None,
    };
    let title = format!("{} #{} · {}", c.t("案件", "Case"), v.id, v.membership);
    let body = html! {
        (notice(note))
        section.card {
            dl.facts {
                dt { (c.t("状态", "State")) } dd #state { (v.state_label) }
                dt { (c.t("开启于", "Opened on")) } dd { (v.opened_on) }
                @if let Some(m) = v.membership_id { dt { (c.t("会员", "Membership")) } dd { a href={"/memberships/" (m)} { (v.membership) } } }
                @if let Some(d) = v.refund.requested_on { dt { (c.t("申请退款", "Refund requested")) } dd { (d) } }
                @if let Some(p) = &v.refund.promised { dt { (c.t("承诺退款", "Refund promised")) } dd { (p) " " (v.refund.currency) } }
                @if let Some(d) = v.refund.due { dt { (c.t("退款应到账", "Refund due")) } dd.key[v.refund.overdue] { (d) @if v.refund.overdue { " " strong { (c.t("已逾期", "overdue")) } } } }
                @if let Some(r) = &v.refund.received { dt { (c.t("已收到退款", "Refund received")) } dd { (r) " " (v.refund.currency) } }
            }
        }
        @if !v.late_charges.is_empty() {
            section.card.alert {
                h2 { (c.t("关闭后仍被扣款", "Charged after closing")) }
                ul { @for l in &v.late_charges { li { (l.date) " " (l.amount) " " (l.currency) " — " (l.channel) (c.t(" 已于 ", " closed on ")) (l.closed_on) } } }
            }
        }
        section.card #steps {
            h2 { (c.t("步骤", "Steps")) }
            ol.steps { @for s in &v.steps {
                li.done[s.done] id={"step-" (s.id.replace(':', "-"))} {
                    div.steptitle {
                        strong { (s.title) }
                        @if s.done {
                            " ✓ " small.muted { (s.done_at.as_deref().map(tuiding_app::clock::text_for_people).unwrap_or_default()) }
                            form.inline method="post" action={"/cases/" (v.id) "/steps/" (s.id) "/undo"} {
                                (c.csrf_field())
                                button.small.secondary type="submit" aria-label={(c.t("撤销：", "Undo: ")) (s.title)} { (c.t("撤销", "Undo")) }
                            }
                        }
                        @else {
                            form.inline method="post" action={"/cases/" (v.id) "/steps/" (s.id)} {
                                (c.csrf_field())
                                button.small type="submit" { (c.t("标为完成", "Mark done")) }
                            }
                        }
                    }
                    @if s.id == "check_rules" {
                        // The CLI's path is `tuiding check`; here it is the membership's page.
                        @if let Some(m) = v.membership_id { ul.paths { li { a href={"/memberships/" (m) "#check"} { (c.t("打开规则体检", "Open the rule check")) } } } }
                    } @else if !s.paths.is_empty() { ul.paths { @for p in &s.paths { li { (p) } } } }
                    @if !s.success.is_empty() { p.small { (c.t("成功的标志：", "You know it worked when: ")) (s.success) } }
                    @if !s.evidence_wanted.is_empty() { p.small.muted { (c.t("需留存：", "Keep: ")) (s.evidence_wanted.join("；")) " · " (s.evidence_count) (c.t(" 份已存", " stored")) } }
                    @for n in &s.notes { p.small.muted { (n) } }
                }
            } }
        }
        section.card #evidence {
            h2 { (c.t("证据", "Evidence")) }
            form.stack.dropzone #evidence-form method="post" action={"/cases/" (v.id) "/evidence"} enctype="multipart/form-data" {
                (c.csrf_field())
                label for="files" { (c.t("截图、聊天记录、支付凭证：可多选，或拖放到此处", "Screenshots, chats, receipts: choose several or drop them here")) }
                input #files type="file" name="files" multiple;
                div.row {
                    label for="kind" { (c.t("类型", "Kind")) }
                    select #kind name="kind" { @for k in EvidenceKind::ALL { option value=(k.as_str()) { (k.label(lang)) } } }
                    label for="step" { (c.t("对应步骤", "Step")) }
                    select #step name="step" {
                        option value="" { "—" }
                        @for s in &v.steps { option value=(s.id) { (s.title) } }
                    }
                }
                input type="text" name="note" placeholder=(c.t("备注（可选）", "Note (optional)"));
                button type="submit" { (c.t("存证", "Store as evidence")) }
            }
            @if hidden > 0 {
                p.small.muted #evidence-count {
                    (c.t("显示最近 ", "The latest ")) (EVIDENCE_SHOWN) (c.t(" 件，共 ", " of ")) (v.evidence.len()) (c.t(" 件。", ". "))
                    a href={"/cases/" (v.id) "?evidence=all#evidence"} { (c.t("全部显示", "Show all")) }
                }
            }
            @if !v.evidence.is_empty() {
                (evidence_text::search(&c, v.id, &q, loaded.hits.as_deref()))
                @if unread { (evidence_text::read_button(&c, v.id)) }
                table.list {
                    thead { tr { th scope="col" { (c.t("文件", "File")) } th scope="col" { (c.t("类型", "Kind")) } th scope="col" { (c.t("步骤", "Step")) } th scope="col" { "SHA-256" } } }
                    tbody { @for e in v.evidence.iter().skip(hidden) { tr {
                        td.title {
                            "#" (e.seq) " " (e.name) br; small.muted { (e.size) " B · " span.date { (tuiding_app::clock::text_for_people(&e.captured_at)) } }
                            @if let Some(r) = read.get(&e.seq) { (evidence_text::block(&c, v.id, r)) }
                        }
                        td data-label=(c.t("类型", "Kind")) { (EvidenceKind::parse(&e.kind).map_or(e.kind.as_str(), |k| k.label(lang))) }
                        td data-label=(c.t("步骤", "Step")) { (e.step.as_deref().unwrap_or("—")) }
                        td data-label="SHA-256" { code { (&e.sha256[..16]) "…" } }
                    } } }
                }
            }
            div #completeness {
                @if v.completeness.complete {
                    p.ok { (c.t("证据齐全。", "The evidence is complete.")) }
                } @else {
                    p.warn { (c.t("证据尚不完整：", "The evidence is not complete yet: "))
                        @for g in &v.completeness.empty_groups { (EvidenceKind::parse(g).map_or(*g, |k| k.label(lang))) (c.t("缺失；", " missing; ")) }
                        @for s in &v.completeness.unproven_steps { (s) (c.t(" 无证据；", " has no evidence; ")) } }
                }
            }
            p #vault class=(if vault.problems.is_empty() { "ok" } else { "error" }) {
                @if vault.problems.is_empty() {
                    (c.t("证据库校验通过：", "Vault verified: ")) (vault.entries) (c.t(" 条记录，", " entries, ")) (vault.objects) (c.t(" 个文件未被改动", " files unchanged"))
                    @if vault.rehashed < vault.objects {
                        (c.t("（本次重新计算了新增或有变动的 ", " (re-hashed the ")) (vault.rehashed) (c.t(" 个文件的摘要，其余已在之前校验）", " added or touched since the last check)"))
                    }
                    "。 "
                } @else {
                    (c.t("证据库校验失败：", "Vault verification failed: ")) (vault.problems.len()) (c.t(" 处问题：", " problems: "))
                    @for p in vault.problems.iter().take(5) { br; (p.kind) @if let Some(n) = &p.name { " · " (n) } }
                    br;
                }
                a href={"/cases/" (v.id) "?verify=full#vault"} { (c.t("完整校验全部文件", "Verify every file again")) }
            }
        }
        section.card #dossier {
            h2 { (c.t("投诉材料", "Complaint dossier")) }
            p { (c.t("报告、12315 投诉表、全部证据原件和校验清单，打包为 zip。身份证、银行卡、手机号默认遮盖。", "The report, the 12315 complaint, every evidence file and a manifest of digests, in one zip. ID, card and phone numbers are masked.")) }
            p { a.button #download href={"/cases/" (v.id) "/dossier.zip"} download { (c.t("下载投诉材料", "Download the dossier")) } }
        }
        section.card #refund {
            h2 { (c.t("退款进展", "Refund")) }
            p.small.muted { (c.t("到账期限按工作日计算（法定节假日和调休已计入）。", "Due dates count working days (public holidays and adjusted workdays included).")) }
            form.stack #refund-form method="post" action={"/cases/" (v.id) "/refund"} {
                (c.csrf_field())
                div.row {
                    label for="what" { (c.t("记录", "Record")) }
                    select #what name="what" {
                        option value="requested" { (c.t("已申请退款", "refund requested")) }
                        option value="promised" { (c.t("平台承诺退款", "refund promised")) }
                        option value="received" { (c.t("退款已到账", "refund received")) }
                    }
                }
                div.row {
                    label for="amount" { (c.t("金额", "Amount")) }
                    input #amount type="text" name="amount" inputmode="decimal" placeholder=(c.t("承诺或到账时填写", "for a promise or a payment"));
                }
                div.row {
                    label for="date" { (c.t("日期", "Date")) }
                    input #date type="date" name="date";
                    small.hint { (c.t("申请或到账日（默认今天）；承诺时为承诺到账日", "the day requested or received (default today); for a promise, the day promised")) }
                }
                button type="submit" { (c.t("记录", "Record")) }
            }
        }
        section.card #messages {
            h2 { (c.t("写好的消息", "Messages, ready to send")) }
            @if let Some(claim) = &v.refund_claim {
                p { (c.t("申请退款 ", "Claim ")) strong #claim-amount { (claim.display) }
                    @if let Some(d) = claim.due { (c.t("，最迟 ", ", due by ")) strong { (d) } }
                    (c.t("（按 ", " (cancelled on ")) (claim.cancel_on) (c.t(" 退订计算）", ")")) }
            }
            p.small.muted { (c.t("复制后粘贴到客服聊天或邮件；订单号处换成你的订单号。", "Copy into the customer-service chat or an e-mail; put your order number where it says so.")) }
            @for m in messages {
                details.message data-kind=(m.kind) open[m.kind == "refund_request"] {
                    summary { (m.title) }
                    textarea readonly rows="10" id={"message-" (m.kind)} aria-label=(m.title) { (m.text) }
                    button.small.secondary type="button" data-copy={"message-" (m.kind)} { (c.t("复制", "Copy")) }
                }
            }
        }
        section.card #moves {
            h2 { (c.t("案件进展", "Move the case")) }
            @for (to, label) in [("escalated", c.t("升级投诉（12315 / 平台）", "Escalate (12315 / the platform)")), ("resolved", c.t("已解决", "Resolved")), ("closed", c.t("关闭案件", "Close the case"))] {
                form.inline method="post" action={"/cases/" (v.id) "/move"} {
                    (c.csrf_field())
                    input type="hidden" name="to" value=(to);
                    button.secondary.small type="submit" { (label) }
                }
                " "
            }
        }
    };
    Ok(page(&c, &title, body).into_response())
}

/// `POST /cases/{id}/steps/{step}`.
pub async fn step(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path((id, step)): Path<(i64, String)>,
    Form(f): Form<super::memberships::TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    state
        .run(lang, move |ctx| case::mark_step(ctx, id, &step, None))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{id}?done=step#steps")).into_response())
}

/// `POST /cases/{id}/steps/{step}/undo`: a step marked done by mistake (`case undo`).
pub async fn undo(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path((id, step)): Path<(i64, String)>,
    Form(f): Form<super::memberships::TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    state
        .run(lang, move |ctx| case::undo_step(ctx, id, &step))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{id}?done=undone#steps")).into_response())
}

/// The refund form: what happened, an amount and a date.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RefundForm {
    /// The form's CSRF token.
    pub csrf: String,
    /// `requested`, `promised` or `received`.
    pub what: String,
    /// The amount promised or received.
    pub amount: String,
    /// The day requested or received, or the day promised.
    pub date: String,
}

impl RefundForm {
    /// The facts as `case refund` takes them.
    pub fn facts(&self) -> Result<case::RefundFacts, WebError> {
        let some = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        let (amount, date) = (some(&self.amount), some(&self.date));
        Ok(match self.what.as_str() {
            "requested" => case::RefundFacts {
                requested: true,
                on: date,
                ..Default::default()
            },
            "promised" => case::RefundFacts {
                promised: Some(amount.unwrap_or_default()),
                by: Some(date.unwrap_or_default()),
                ..Default::default()
            },
            "received" => case::RefundFacts {
                received: Some(amount.unwrap_or_default()),
                on: date,
                ..Default::default()
            },
            _ => {
                return Err(WebError::bad_field(
                    "what",
                    "requested | promised | received",
                ));
            }
        })
    }
}

/// `POST /cases/{id}/refund`.
pub async fn refund(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<RefundForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let facts = f.facts().or_page(lang)?;
    state
        .run(lang, move |ctx| case::record_refund(ctx, id, &facts))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{id}?done=refund")).into_response())
}

/// The move form.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    /// The form's CSRF token.
    pub csrf: String,
    /// The state to move to.
    pub to: String,
}

/// `POST /cases/{id}/move`: escalate, resolve or close.
pub async fn move_to(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let to = match f.to.as_str() {
        "escalated" => CaseState::Escalated,
        "resolved" => CaseState::Resolved,
        "closed" => CaseState::Closed,
        _ => {
            return Err(super::PageError::new(
                WebError::bad_field("to", "escalated | resolved | closed"),
                lang,
            ));
        }
    };
    state
        .run(lang, move |ctx| case::move_case(ctx, id, to, None))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{id}?done=moved")).into_response())
}

/// `POST /cases/{id}/evidence`: stores every uploaded file.
pub async fn add_evidence(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> PageResult {
    let up = upload::read(multipart).await.or_page(lang)?;
    check_form_token(&headers, up.field("csrf")).or_page(lang)?;
    store_evidence(&state, lang, id, up).await.or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{id}?done=evidence#evidence")).into_response())
}

/// Stores an upload's files as evidence of case `id` (also the API's).
pub async fn store_evidence(
    state: &AppState,
    lang: Lang,
    id: i64,
    up: upload::Upload,
) -> Result<Vec<Entry>, WebError> {
    if up.files.is_empty() {
        return Err(WebError::bad_field(
            "files",
            lang.pick("请选择要存证的文件", "choose the files to store"),
        ));
    }
    let kind = match up.field("kind") {
        "" => "operation".to_string(),
        k => k.to_string(),
    };
    let step = Some(up.field("step").trim().to_string()).filter(|s| !s.is_empty());
    let note = Some(up.field("note").trim().to_string()).filter(|s| !s.is_empty());
    state
        .run(lang, move |ctx| {
            // Each file is stored under the name the user gave it, made safe.
            let files = up.input_files(crate::security::safe_file_name);
            let added = evidence::add(ctx, id, &files, &kind, step, note)?;
            // Screenshots are read off the request path; the page says "reading…".
            evidence_text::read_in_background(ctx, &added);
            Ok(added)
        })
        .await
}

/// The dossier's options.
#[derive(Debug, Deserialize, Default)]
pub struct DossierQuery {
    /// `0` leaves ID, card and phone numbers unmasked.
    #[serde(default)]
    pub mask: Option<String>,
}

/// `GET /cases/{id}/dossier.zip`: the dossier, written and sent as a download.
pub async fn dossier(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Query(q): Query<DossierQuery>,
) -> Result<Response, super::PageError> {
    dossier_response(&state, lang, id, q.mask.as_deref() != Some("0"))
        .await
        .or_page(lang)
}

/// Answers with the dossier of a case as a download.
pub async fn dossier_response(
    state: &AppState,
    lang: Lang,
    id: i64,
    mask: bool,
) -> Result<Response, WebError> {
    let bytes = state
        .run(lang, move |ctx| tuiding_app::dossier::bytes(ctx, id, mask))
        .await?;
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"tuiding-case-{id}.zip\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// This page's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/cases", list)
        .get("/cases/{id}", show)
        .post("/cases/{id}/steps/{step}", step)
        .post("/cases/{id}/steps/{step}/undo", undo)
        .post("/cases/{id}/move", move_to)
        .post("/cases/{id}/refund", refund)
        .post("/cases/{id}/evidence", add_evidence)
        .get("/cases/{id}/dossier.zip", dossier)
        .merge(evidence_text::router())
}
