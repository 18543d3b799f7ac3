//! What a case's screenshots say, on the case page (issue 19): under each image the text
//! read from it (masked), what it proposes with a button to take it, a warning when it
//! contradicts its step, and "reading…" while the server reads it off the request path
//! (app.js reloads the page until it is done). A search box finds screenshots by their
//! text.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, html};
use tuiding_app::evidence::reading::{self, Offer, Readout, Why};

use super::{Chrome, OrPage, PageResult};
use crate::security::check_form_token;
use crate::state::{AppState, ReqLang};

/// The text and proposals of one piece of evidence, for its row on the case page.
pub fn block(c: &Chrome, case: i64, r: &Readout) -> Markup {
    html! {
        @if r.reading {
            p.small.muted data-reading="1" role="status" { (c.t("正在识别文字…", "Reading the text…")) }
        } @else if let Some(ocr) = &r.ocr {
            @if let Some(flag) = &r.flag { p.warn.small { "⚠ " (flag) } }
            @if !r.proposals.is_empty() {
                ul.small.proposals {
                    @for p in &r.proposals {
                        li { (p.summary) " " span.muted { "(" (c.t("第 ", "line ")) (p.line) (c.t(" 行，置信度 ", ", confidence ")) (p.confidence) ")" } }
                    }
                }
            }
            @if !r.offers.is_empty() {
                form.inline method="post" action={"/cases/" (case) "/evidence/" (r.entry.seq) "/accept"} {
                    (c.csrf_field())
                    button.small type="submit" {
                        (c.t("采纳：", "Take: "))
                        @for (i, o) in r.offers.iter().enumerate() {
                            @if i > 0 { (c.t("；", "; ")) }
                            (offer_text(c, o))
                        }
                    }
                }
            }
            details.small {
                summary { (c.t("识别文字", "Text read")) " (" (ocr.lines.len()) (c.t(" 行)", " lines)")) }
                ol.ocr { @for l in &ocr.lines { li { (l.text) } } }
            }
        } @else if let Some(why) = r.unread {
            p.small.muted { (unread_text(c, why, r.ocr_missing.as_deref())) }
        }
    }
}

/// Why a screenshot has no text, worded for the page (the CLI's wording names commands).
fn unread_text(c: &Chrome, why: Why, reason: Option<&str>) -> String {
    match why {
        Why::NotInstalled => c
            .t(
                "未识别：服务器上没有安装 Tesseract 文字识别（Debian/Ubuntu 软件包 tesseract-ocr 与 tesseract-ocr-chi-sim）。",
                "Not read: Tesseract is not installed on the server (Debian/Ubuntu packages tesseract-ocr and tesseract-ocr-chi-sim).",
            )
            .to_string(),
        Why::NotYet => c.t("尚未识别文字。", "Its text is not read yet.").to_string(),
        // "识别失败: …", "无法识别: not a readable PNG…": the reason says what went wrong.
        Why::Failed | Why::Unreadable => reason.unwrap_or_default().to_string(),
    }
}

fn offer_text(c: &Chrome, offer: &Offer) -> String {
    match offer {
        Offer::RefundPromise { amount, by } => format!(
            "{}{amount}{}{by}",
            c.t("退款承诺 ", "refund promise "),
            c.t("，最晚 ", " by ")
        ),
        Offer::MarkStep { step } => format!("{}{step}", c.t("步骤完成 ", "step done ")),
        Offer::RefundReceived { amount, on } => format!(
            "{}{amount}{}{on}",
            c.t("退款到账 ", "refund received "),
            c.t("，", " on ")
        ),
    }
}

/// The search box, and what it found.
pub fn search(c: &Chrome, case: i64, q: &str, hits: Option<&[reading::Hit]>) -> Markup {
    html! {
        form.row role="search" method="get" action={"/cases/" (case) "#evidence"} {
            label for="evidence-q" { (c.t("搜索截图文字", "Search the screenshots' text")) }
            input #evidence-q type="search" name="q" value=(q);
            button.secondary type="submit" { (c.t("搜索", "Search")) }
        }
        @if let Some(hits) = hits {
            div #evidence-hits role="status" {
                @if hits.is_empty() {
                    p.muted { (c.t("没有截图的文字包含这些词。", "No screenshot's text holds these words.")) }
                } @else {
                    ul { @for h in hits {
                        li { strong { "#" (h.entry.seq) " " (h.entry.name) }
                            ul.small { @for l in &h.lines { li { (l) } } } }
                    } }
                }
            }
        }
    }
}

/// A button to read the case's screenshots never read (evidence stored before Tesseract
/// was installed, or while the server stopped mid-reading).
pub fn read_button(c: &Chrome, case: i64) -> Markup {
    html! {
        form.inline method="post" action={"/cases/" (case) "/evidence/read"} {
            (c.csrf_field())
            button.small.secondary type="submit" { (c.t("识别尚未识别的截图", "Read the screenshots not read yet")) }
        }
    }
}

/// `POST /cases/{id}/evidence/{seq}/accept`: takes what screenshot `seq` of case `id`
/// proposes, as `tuiding evidence accept` does.
pub async fn accept(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path((id, seq)): Path<(i64, u64)>,
    Form(f): Form<super::memberships::TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    state
        .run(lang, move |ctx| {
            let refused: Vec<String> = reading::accept_in_case(ctx, id, seq)?
                .into_iter()
                .filter_map(|a| a.refused)
                .collect();
            if refused.is_empty() {
                Ok(())
            } else {
                Err(tuiding_app::error::UserError::failure(refused.join("; ")))
            }
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{id}?done=accepted#evidence")).into_response())
}

/// `POST /cases/{id}/evidence/read`: reads, in the background, the case's screenshots
/// whose text was never kept.
pub async fn read(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<super::memberships::TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    state
        .run(lang, move |ctx| {
            let unread: Vec<_> = reading::readouts(ctx, id, None)?
                .into_iter()
                .filter(|r| r.unread == Some(Why::NotYet))
                .map(|r| r.entry)
                .collect();
            read_in_background(ctx, &unread);
            Ok(())
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{id}#evidence")).into_response())
}

/// Marks the images as being read and reads them on a thread of their own: the request
/// that stored them answers at once.
pub fn read_in_background(
    ctx: &tuiding_app::context::Ctx,
    entries: &[tuiding_app::evidence::Entry],
) {
    let marked = reading::mark_reading(ctx, entries);
    if marked.is_empty() {
        return;
    }
    let reader_ctx = ctx.clone();
    let to_read = marked.clone();
    let started = std::thread::Builder::new()
        .name("tuiding-ocr".into())
        .spawn(move || reading::read_marked(&reader_ctx, &to_read));
    if started.is_err() {
        // No thread: nothing will read them, so no page may say "reading…".
        reading::unmark_reading(ctx, &marked);
    }
}

/// This part's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .post("/cases/{id}/evidence/{seq}/accept", accept)
        .post("/cases/{id}/evidence/read", read)
}
