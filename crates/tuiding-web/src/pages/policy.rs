//! The policy form: a membership's refund terms without writing TOML, prefilled from its
//! policy, a template or the clause reader, each problem shown beside its field.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;
use tuiding_app::policy_form::{self, PolicyFormView};

use super::{Chrome, OrPage, PageResult, notice, page};
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};

/// `?template=NAME` and `?done=policy`.
#[derive(Debug, Deserialize, Default)]
pub struct FormQuery {
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

fn body(c: &Chrome, f: &PolicyFormView) -> Markup {
    let action = format!("/memberships/{}/policy", f.id);
    html! {
        p { a href={"/memberships/" (f.id)} { "← " (f.membership) } }
        @if let Some(o) = &f.origin { p.muted { (c.t("当前规则来源：", "Current policy from: ")) (o) } }
        @if !f.missing.is_empty() {
            p.notice.warn role="alert" #missing {
                (c.t("协议没有写明：", "The agreement does not state: "))
                @for (i, key) in f.missing.iter().enumerate() {
                    @if i > 0 { "、" }
                    (f.fields.iter().find(|x| x.key == *key).map_or(*key, |x| x.label))
                }
                (c.t("。问客服要书面答复后填在下面；不填也能体检，会列出各种取值下的退款。", ". Ask customer service in writing and fill it in below; without it the check shows the refund for each likely value."))
            }
        }
        form.inline method="get" action=(action) {
            label { (c.t("从模板开始：", "Start from a template: "))
                select name="template" {
                    option value="" { "—" }
                    @for t in &f.templates { option value=(t) selected[f.template.as_deref() == Some(t.as_str())] { (t) } }
                }
            }
            " " button.secondary type="submit" { (c.t("套用", "Use")) }
        }
        form.policy method="post" action=(action) {
            (c.csrf_field())
            input type="hidden" name="template" value=(f.template.clone().unwrap_or_default());
            @for field in &f.fields {
                div class={ "field" @if field.error.is_some() { " invalid" } } {
                    label for=(field.key) { (field.label) " " code.muted { (field.key) } }
                    @if field.choices.is_empty() || field.multiple {
                        input type="text" id=(field.key) name=(field.key) value=(field.value)
                            placeholder=(if field.multiple { field.choices.join(",") } else { String::new() })
                            aria-invalid=[field.error.is_some().then_some("true")];
                    } @else {
                        select id=(field.key) name=(field.key) aria-invalid=[field.error.is_some().then_some("true")] {
                            option value="" { "—" }
                            @for choice in &field.choices { option value=(choice) selected[field.value == *choice] { (choice) } }
                        }
                    }
                    @if let Some(e) = &field.error { p.error role="alert" { (e) } }
                    p.hint { (field.hint) }
                    @if let Some(s) = &field.source { p.quote { (c.t("原文：", "Source: ")) "「" (s) "」" } }
                }
            }
            button type="submit" { (c.t("保存规则", "Save the terms")) }
        }
        @if f.origin.is_some() {
            form.inline method="post" action={"/memberships/" (f.id) "/policy/remove"} {
                (c.csrf_field())
                button.secondary type="submit" data-confirm=(c.t("确定删除这个会员的退款规则？", "Remove this membership's refund terms?")) { (c.t("删除规则", "Remove the terms")) }
            }
        }
    }
}

/// `GET /memberships/{id}/policy`.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<i64>,
    Query(q): Query<FormQuery>,
) -> PageResult {
    let template = q.template.clone().filter(|t| !t.trim().is_empty());
    let f = state
        .run(lang, move |ctx| {
            policy_form::form(ctx, id, template.as_deref())
        })
        .await
        .or_page(lang)?;
    let c = Chrome::new(&state, lang, csrf, "memberships");
    let done = (q.done.as_deref() == Some("policy")).then(|| {
        c.t(
            "已从协议读出规则：请核对，并补上协议没写的数。",
            "The terms were read from the agreement: check them and fill in what it leaves out.",
        )
    });
    let content = html! { (notice(done)) (body(&c, &f)) };
    Ok(page(&c, c.t("退款规则", "Refund terms"), content).into_response())
}

/// `POST /memberships/{id}/policy`.
pub async fn save(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(mut form): Form<BTreeMap<String, String>>,
) -> PageResult {
    let token = form.remove("csrf").unwrap_or_default();
    check_form_token(&headers, &token).or_page(lang)?;
    let template = form.remove("template").filter(|t| !t.trim().is_empty());
    let values: Vec<(String, String)> = form
        .into_iter()
        .map(|(k, v)| (k, v.replace("\r\n", "\n")))
        .collect();
    let outcome = state
        .run(lang, move |ctx| {
            policy_form::save(ctx, id, template.as_deref(), &values)
        })
        .await
        .or_page(lang)?;
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/memberships/{id}?done=policy#check")).into_response()),
        Err(f) => {
            let c = Chrome::new(&state, lang, csrf, "memberships");
            Ok((
                StatusCode::BAD_REQUEST,
                page(&c, c.t("退款规则", "Refund terms"), body(&c, &f)),
            )
                .into_response())
        }
    }
}

/// `POST /memberships/{id}/policy/remove`: the membership has no refund terms any more
/// (`tuiding policy rm`); the rule check then lists what it cannot know.
pub async fn remove(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<super::memberships::TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    state
        .run(lang, move |ctx| {
            tuiding_app::policy::remove(ctx, id).map(drop)
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/memberships/{id}?done=policy_removed#check")).into_response())
}

/// This page's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/memberships/{id}/policy", show)
        .post("/memberships/{id}/policy", save)
        .post("/memberships/{id}/policy/remove", remove)
}
