//! The household: who shares the memberships. Members are added and removed here; each
//! membership's page splits its cost between them.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maud::html;
use serde::Deserialize;

use super::{Chrome, Done, OrPage, PageResult, notice, page};
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};

/// `GET /household`.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Query(done): Query<Done>,
) -> PageResult {
    let (members, summary) = state
        .run(lang, |ctx| {
            Ok((
                tuiding_app::household::members(ctx)?,
                tuiding_app::summary::summary(ctx, true)?,
            ))
        })
        .await
        .or_page(lang)?;
    let per_member = summary.by_member.unwrap_or_default();
    let c = Chrome::new(&state, lang, csrf, "memberships");
    let note = match done.done.as_deref() {
        Some("added") => Some(c.t("已添加。", "Added.")),
        Some("removed") => Some(c.t("已移除。", "Removed.")),
        _ => None,
    };
    let body = html! {
        (notice(note))
        section.card {
            p.hint { (c.t("添加和你合用会员的家人，再到各会员页面分摊费用；下面按人汇总每月费用。", "Add the people you share memberships with, then split each membership's cost on its page; the costs per person are added up below.")) }
            @if members.is_empty() {
                p.muted #no-members { (c.t("还没有家庭成员。", "No household members yet.")) }
            } @else {
                ul.plain #members { @for m in &members {
                    li.row {
                        span { (m) }
                        form.inline method="post" action="/household/remove" {
                            (c.csrf_field())
                            input type="hidden" name="name" value=(m);
                            button.small.secondary type="submit" aria-label={(c.t("移除 ", "Remove ")) (m)} data-confirm=(c.t("确定移除？", "Remove?")) { (c.t("移除", "Remove")) }
                        }
                    }
                } }
            }
            form.stack.narrow method="post" action="/household" {
                (c.csrf_field())
                div.field {
                    label for="name" { (c.t("成员名字", "Name")) }
                    input type="text" id="name" name="name" required autocomplete="off";
                }
                button type="submit" { (c.t("添加成员", "Add member")) }
            }
        }
        @if !members.is_empty() && !per_member.is_empty() {
            section.card #per-member {
                h2 { (c.t("每人每月", "Per person, per month")) }
                table.list {
                    thead { tr { th scope="col" { (c.t("成员", "Member")) } th.num scope="col" { (c.t("每月", "Per month")) } th.num scope="col" { (c.t("每年", "Per year")) } th.num scope="col" { (c.t("会员数", "Memberships")) } } }
                    tbody { @for m in &per_member { tr {
                        td.title { (m.member.as_deref().unwrap_or(c.t("未分摊", "not shared"))) }
                        td.num data-label=(c.t("每月", "Per month")) { (m.monthly) " " (m.currency) }
                        td.num data-label=(c.t("每年", "Per year")) { (m.yearly) " " (m.currency) }
                        td.num data-label=(c.t("会员数", "Memberships")) { (m.memberships) }
                    } } }
                }
            }
        }
        p { a href="/memberships" { "← " (c.t("会员", "Memberships")) } }
    };
    Ok(page(&c, c.t("家庭成员", "Household"), body).into_response())
}

/// A member's name.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    csrf: String,
    name: String,
}

/// `POST /household`: adds a member (`tuiding member add NAME`).
pub async fn add(
    state: State<AppState>,
    lang: ReqLang,
    headers: HeaderMap,
    form: Form<MemberForm>,
) -> PageResult {
    change(
        state,
        lang,
        headers,
        form,
        "added",
        tuiding_app::household::add_member,
    )
    .await
}

/// `POST /household/remove`: removes a member, refused while a split names them.
pub async fn remove(
    state: State<AppState>,
    lang: ReqLang,
    headers: HeaderMap,
    form: Form<MemberForm>,
) -> PageResult {
    change(
        state,
        lang,
        headers,
        form,
        "removed",
        tuiding_app::household::remove_member,
    )
    .await
}

/// Runs a change of the household's members and goes back to the page.
async fn change(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Form(f): Form<MemberForm>,
    done: &str,
    op: fn(&tuiding_app::context::Ctx, &str) -> anyhow::Result<Vec<String>>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    state
        .run(lang, move |ctx| op(ctx, &f.name).map(drop))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/household?done={done}")).into_response())
}

/// This page's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/household", show)
        .post("/household", add)
        .post("/household/remove", remove)
}
