//! Read terms: paste or upload an agreement, see what it says about renewal, cancelling
//! and refunds highlighted in the text itself, and attach the result as a membership's
//! refund policy.

use axum::Extension;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, html};
use serde::Deserialize;
use tuiding_app::error::UserError;
use tuiding_app::terms::{
    self, FIELD_ORDER, Reading, disclosure_mark, field_label, finding_text, requirement_label,
};
use tuiding_core::Lang;

use super::{Chrome, OrPage, PageResult, page};
use crate::error::WebError;
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};
use crate::upload;

fn chrome(state: &AppState, lang: Lang, csrf: CsrfToken) -> Chrome {
    Chrome::new(state, lang, csrf, "terms")
}

/// `GET /terms`.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let c = chrome(&state, lang, csrf);
    Ok(page(&c, c.t("条款阅读", "Read terms"), input_form(&c, "")).into_response())
}

fn input_form(c: &Chrome, text: &str) -> Markup {
    html! {
        section.card {
            form.stack.dropzone method="post" action="/terms" enctype="multipart/form-data" {
                (c.csrf_field())
                label for="text" { (c.t("粘贴会员服务协议（或自动续费规则）全文", "Paste the membership agreement (or auto-renewal terms)")) }
                textarea #text name="text" rows="8" { (text) }
                label for="file" { (c.t("或上传文件（TXT / HTML，UTF-8 或 GBK）", "or upload a file (TXT / HTML, UTF-8 or GBK)")) }
                input #file type="file" name="file" accept=".txt,.html,.htm";
                button type="submit" { (c.t("阅读", "Read")) }
            }
        }
    }
}

/// `POST /terms`: reads the pasted or uploaded agreement.
pub async fn read(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    multipart: Multipart,
) -> PageResult {
    let up = upload::read(multipart).await.or_page(lang)?;
    check_form_token(&headers, up.field("csrf")).or_page(lang)?;
    let pasted = up.field("text").to_string();
    let file = up.files.into_iter().next();
    // Decoding and reading a long agreement is CPU work: off the async threads.
    let (name, text, reading) = tokio::task::spawn_blocking(move || {
        let (name, text) = match file {
            Some((name, bytes)) => {
                let text =
                    terms::decode(&bytes, lang).map_err(|e| WebError::bad_field("file", e))?;
                (crate::security::safe_file_name(&name), text)
            }
            None => ("pasted.txt".to_string(), pasted),
        };
        if text.trim().is_empty() {
            return Err(WebError::bad_field(
                "text",
                lang.pick(
                    "请粘贴协议文本或上传文件",
                    "paste the agreement or upload a file",
                ),
            ));
        }
        let reading = terms::read_text(&text);
        Ok((name, text, reading))
    })
    .await
    .map_err(|e| WebError::internal(anyhow::anyhow!(e.to_string())))
    .or_page(lang)?
    .or_page(lang)?;
    let memberships = state
        .run(lang, |ctx| {
            Ok(tuiding_app::memberships::all(ctx)?
                .iter()
                .map(|v| {
                    (
                        v.id,
                        v.platform.clone(),
                        format!("{} {}", v.platform, v.plan),
                    )
                })
                .collect::<Vec<_>>())
        })
        .await
        .or_page(lang)?;
    // The membership the agreement names, when exactly one platform of the ledger appears
    // in it; otherwise the user chooses (never a silent default).
    let head: String = text.chars().take(2000).collect();
    let named: Vec<i64> = memberships
        .iter()
        .filter(|(_, platform, _)| !platform.is_empty() && head.contains(platform.as_str()))
        .map(|(id, _, _)| *id)
        .collect();
    let chosen = match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let c = chrome(&state, lang, csrf);
    let body = html! {
        (findings(&c, &reading))
        section.card #attach {
            h2 { (c.t("保存为退款规则", "Attach as a refund policy")) }
            @if memberships.is_empty() {
                p.muted { (c.t("先添加会员，再把协议保存为它的规则。", "Add the membership first, then attach the agreement to it.")) }
            } @else {
                form.stack method="post" action="/terms/attach" {
                    (c.csrf_field())
                    input type="hidden" name="name" value=(name);
                    textarea hidden name="text" { (text) }
                    label for="membership" { (c.t("会员", "Membership")) }
                    select #membership name="membership" required {
                        option value="" selected[chosen.is_none()] { (c.t("— 选择会员 —", "— choose a membership —")) }
                        @for (id, _, label) in &memberships { option value=(id) selected[chosen == Some(*id)] { "#" (id) " " (label) } }
                    }
                    button type="submit" { (c.t("保存为规则", "Attach")) }
                }
            }
        }
        section.card #agreement {
            h2 { (c.t("原文（标出的句子即依据）", "The text (marked sentences are the sources)")) }
            div.agreement { (highlighted(&c, &text, &reading)) }
        }
    };
    Ok(page(&c, c.t("条款阅读", "Read terms"), body).into_response())
}

fn findings(c: &Chrome, r: &Reading) -> Markup {
    html! {
        section.card #findings {
            h2 { (c.t("读到的条款", "What the terms say")) }
            dl.facts {
                @for field in FIELD_ORDER {
                    @if let Some(list) = r.fields.get(field) {
                        @for f in list {
                            dt { (field_label(field, c.lang)) }
                            dd { (finding_text(field, &f.value, c.lang)) " " a href={"#m-" (f.start)} { "¶" } }
                        }
                    }
                }
            }
            @if r.fields.is_empty() { p.muted { (c.t("没有读到续费、取消或退款条款。", "Nothing about renewal, cancelling or refunds was found.")) } }
            @if !r.flags.is_empty() {
                h3 { (c.t("可争议的条款", "Contestable terms")) }
                ul { @for f in &r.flags { li.flag { (c.lang.pick(f.why_zh, f.why_en)) " " a href={"#m-" (f.start)} { "¶" } } } }
            }
            h3 { (c.t("法定告知检查", "Required disclosures")) }
            ul { @for d in &r.disclosures {
                li class=(d.status) { (disclosure_mark(d.status)) " " strong { (requirement_label(d.requirement, c.lang)) } (c.t("：", ": ")) (c.lang.pick(&d.reason_zh, &d.reason)) }
            } }
        }
    }
}

/// A marked sentence: its start, its label, and whether it is a contestable term.
type Mark = (usize, String, bool);

/// The text with each finding's sentence marked (by character offset); overlapping marks
/// are merged into the first.
fn highlighted(c: &Chrome, text: &str, r: &Reading) -> Markup {
    let mut spans: Vec<(usize, usize, String, bool)> = Vec::new();
    for (field, list) in &r.fields {
        for f in list {
            spans.push((
                f.start,
                f.end,
                field_label(field, c.lang).to_string(),
                false,
            ));
        }
    }
    for f in &r.flags {
        spans.push((
            f.start,
            f.end,
            c.lang.pick(f.why_zh, f.why_en).to_string(),
            true,
        ));
    }
    spans.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
    let chars: Vec<char> = text.chars().collect();
    let mut pieces: Vec<(String, Option<Mark>)> = Vec::new();
    let mut at = 0;
    for (start, end, label, flag) in spans {
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        if start < at || start >= end {
            if let Some((_, Some((_, l, f)))) = pieces.last_mut().filter(|_| start < at) {
                l.push_str(" · ");
                l.push_str(&label);
                *f |= flag;
            }
            continue;
        }
        pieces.push((chars[at..start].iter().collect(), None));
        pieces.push((
            chars[start..end].iter().collect(),
            Some((start, label, flag)),
        ));
        at = end;
    }
    pieces.push((chars[at..].iter().collect(), None));
    html! {
        @for (piece, mark) in pieces {
            @match mark {
                Some((start, label, flag)) => mark id={"m-" (start)} class=(if flag { "flag" } else { "field" }) title=(label) { (piece) },
                None => (piece),
            }
        }
    }
}

/// The attach form.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AttachForm {
    /// The form's CSRF token.
    pub csrf: String,
    /// The membership chosen.
    pub membership: String,
    /// The agreement's file name.
    pub name: String,
    /// The agreement's text.
    pub text: String,
}

/// `POST /terms/attach`: the reading's policy draft becomes the membership's policy.
pub async fn attach(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Form(f): Form<AttachForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let id: i64 = f
        .membership
        .trim()
        .parse()
        .map_err(|_| {
            WebError::bad_field("membership", lang.pick("请选择会员", "choose a membership"))
        })
        .or_page(lang)?;
    let name = crate::security::safe_file_name(&f.name);
    let text = f.text;
    state
        .run(lang, move |ctx| {
            tuiding_app::memberships::membership(ctx, id)?;
            if text.trim().is_empty() {
                return Err(UserError::usage(
                    "--text",
                    ctx.t("协议文本为空", "the agreement is empty"),
                ));
            }
            let reading = terms::read_text(&text);
            tuiding_app::policy::attach_reading(ctx, id, &name, &reading)
        })
        .await
        .or_page(lang)?;
    // The reading is a draft: the form shows it for checking and asks for what it lacks.
    Ok(Redirect::to(&format!("/memberships/{id}/policy?done=policy")).into_response())
}

/// This page's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/terms", show)
        .post("/terms", read)
        .post("/terms/attach", attach)
}
