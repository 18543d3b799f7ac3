//! Memberships: the list, the add and edit forms (each problem shown beside its field),
//! and the detail page with the rule check, the channels to close and the advice.

use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, html};
use serde::Deserialize;
use tuiding_app::memberships::edit::MembershipChange;
use tuiding_app::memberships::input::MembershipInput;
use tuiding_app::memberships::labels::{price_label, status_label};
use tuiding_app::memberships::listing::{ListQuery, Row, categories};
use tuiding_core::{Channel, Lang};

mod form;
mod show;

pub use form::MembershipForm;

use super::{Chrome, OrPage, PageResult, notice, page};
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};

pub(crate) fn chrome(state: &AppState, lang: Lang, csrf: CsrfToken) -> Chrome {
    Chrome::new(state, lang, csrf, "memberships")
}

/// A note to show after a redirect (`?done=added`).
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    pub(crate) done: Option<String>,
    /// `leaving`, `staying` or `undecided`: the rule check's intent switch.
    #[serde(default)]
    pub(crate) intent: Option<String>,
}

pub(crate) fn done_text(c: &Chrome, done: &Done) -> Option<&'static str> {
    match done.done.as_deref()? {
        "added" => Some(c.t("已添加。", "Added.")),
        "saved" => Some(c.t("已保存。", "Saved.")),
        "closed" => Some(c.t("已记录该渠道关闭。", "The channel is recorded as closed.")),
        "removed" => Some(c.t("已删除。", "Removed.")),
        "adopted" => Some(c.t("已从账单记为会员。", "Adopted from your bills.")),
        "policy" => Some(c.t("已保存为退款规则。", "Saved as the refund policy.")),
        "policy_removed" => Some(c.t("已删除退款规则。", "The refund terms are removed.")),
        "redeemed" => Some(c.t("已记录用掉一个。", "One use recorded.")),
        "split" => Some(c.t("已保存分摊。", "The split is saved.")),
        "reminders" => Some(c.t("已保存提醒。", "The reminders are saved.")),
        _ => None,
    }
}

/// Memberships per page of the list: a phone shows a hundred cards, not a thousand.
const PAGE_SIZE: usize = 100;

/// `GET /memberships`: the list with search, filters, sort and pages
/// (`?q=&category=&channel=&status=&sort=&page=`).
pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Query(done): Query<Done>,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let rows = state
        .run(lang, tuiding_app::memberships::listing::rows)
        .await
        .or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    let matching = query.apply(&rows);
    let pages = matching.len().div_ceil(PAGE_SIZE).max(1);
    let at = query.page.clamp(1, pages);
    let shown = &matching[(at - 1) * PAGE_SIZE..matching.len().min(at * PAGE_SIZE)];
    let body = html! {
        (notice(done_text(&c, &done)))
        div.actions {
            a.button href="/memberships/new" { (c.t("添加会员", "Add a membership")) }
            a.button.secondary href="/import" { (c.t("从账单找出会员", "Find them in bill exports")) }
        }
        @if rows.is_empty() {
            section.card.empty {
                p { (c.t("还没有会员。添加第一个，或导入支付宝、微信账单让退订替你找出每月扣费的会员。", "No memberships yet. Add the first one, or import your Alipay or WeChat Pay bills and tuiding finds what charges you every month.")) }
            }
        } @else {
            (filters(&c, &query, &rows))
            p.small.muted role="status" #count {
                (matching.len()) " / " (rows.len()) (c.t(" 个会员", " memberships"))
                @if pages > 1 { (c.t("，第 ", "; page ")) (at) " / " (pages) (c.t(" 页", "")) }
            }
            @if shown.is_empty() {
                section.card.empty {
                    p { (c.t("没有符合条件的会员。", "No membership matches.")) }
                    a.button.secondary href="/memberships" { (c.t("清除筛选", "Clear the filters")) }
                }
            } @else {
                table.list #memberships {
                    thead { tr {
                        th scope="col" { (c.t("会员", "Membership")) }
                        th.num scope="col" { (c.t("价格", "Price")) }
                        th.num scope="col" { (c.t("每月", "Per month")) }
                        th scope="col" { (c.t("下次续费", "Next renewal")) }
                        th scope="col" { (c.t("最后安全退订日", "Last safe cancel day")) }
                        th scope="col" { (c.t("仍可扣费的渠道", "Channels still able to charge")) }
                        th scope="col" { (c.t("状态", "Status")) }
                    } }
                    tbody { @for r in shown { (row(&c, r)) } }
                }
                @if pages > 1 {
                    nav.actions aria-label=(c.t("分页", "Pages")) {
                        @if at > 1 { a.button.secondary rel="prev" href={"/memberships?" (query.with_page(at - 1))} { "← " (c.t("上一页", "Previous")) } }
                        @if at < pages { a.button.secondary rel="next" href={"/memberships?" (query.with_page(at + 1))} { (c.t("下一页", "Next")) " →" } }
                    }
                }
            }
        }
    };
    Ok(page(&c, c.t("会员", "Memberships"), body).into_response())
}

fn row(c: &Chrome, r: &Row) -> Markup {
    let v = &r.view;
    let lang = c.lang;
    html! {
        tr.ended[v.status == "ended"] {
            td.title {
                a href={"/memberships/" (v.id)} { (v.platform) " " (v.plan) }
                @if let Some(cat) = &v.category { " " small.muted { (cat) } }
            }
            td.num data-label=(c.t("价格", "Price")) { (price_label(&v.membership, lang)) }
            td.num data-label=(c.t("每月", "Per month")) { @if let Some(m) = &v.monthly_cost { (m) " " (v.currency) } @else { "—" } }
            td.date data-label=(c.t("下次续费", "Next renewal")) { @if let Some(d) = v.next_renewal { (d) } @else { "—" } }
            td.date data-label=(c.t("最后安全退订日", "Last safe cancel day")) { @if let Some(d) = r.last_safe_cancel_day { strong.key { (d) } } @else { "—" } }
            td data-label=(c.t("仍可扣费", "Can still charge")) {
                @if r.open_channels.is_empty() { span.muted { (c.t("无", "none")) } }
                @else { span.chips { @for ch in &r.open_channels {
                    span.chip.open { (ch.parse::<Channel>().map_or(*ch, |x| x.label(lang))) }
                } } }
            }
            td data-label=(c.t("状态", "Status")) { (status_label(v, lang)) }
        }
    }
}

fn filters(c: &Chrome, q: &ListQuery, rows: &[Row]) -> Markup {
    let sorts = [
        ("next_renewal", c.t("下次续费", "next renewal")),
        ("last_safe", c.t("最后安全退订日", "last safe cancel day")),
        ("price", c.t("价格", "price")),
        ("monthly", c.t("每月费用", "monthly cost")),
        ("name", c.t("名称", "name")),
    ];
    let statuses = [
        ("renewing", c.t("会续费", "will renew")),
        ("active", c.t("生效中", "active")),
        ("ending", c.t("到期不续", "ending")),
        ("upcoming", c.t("未开始", "upcoming")),
        ("ended", c.t("已结束", "ended")),
    ];
    html! {
        form.filters method="get" action="/memberships" role="search" {
            div.field {
                label for="q" { (c.t("搜索", "Search")) }
                input type="search" id="q" name="q" value=(q.q) placeholder=(c.t("平台、套餐、备注", "platform, plan, notes"));
            }
            div.field {
                label for="category" { (c.t("类别", "Category")) }
                select id="category" name="category" {
                    option value="" { (c.t("全部", "all")) }
                    @for cat in categories(rows) { option value=(cat) selected[q.category == cat] { (cat) } }
                    option value="-" selected[q.category == "-"] { (c.t("未分类", "uncategorised")) }
                }
            }
            div.field {
                label for="channel" { (c.t("仍可扣费的渠道", "Can still charge through")) }
                select id="channel" name="channel" {
                    option value="" { (c.t("全部", "all")) }
                    @for ch in Channel::ALL { option value=(ch.as_str()) selected[q.channel == ch.as_str()] { (ch.label(c.lang)) } }
                    option value="none" selected[q.channel == "none"] { (c.t("没有渠道能扣费", "no channel")) }
                }
            }
            div.field {
                label for="status" { (c.t("状态", "Status")) }
                select id="status" name="status" {
                    option value="" { (c.t("全部", "all")) }
                    @for (value, label) in statuses { option value=(value) selected[q.status == value] { (label) } }
                }
            }
            div.field {
                label for="sort" { (c.t("排序", "Sort by")) }
                select id="sort" name="sort" {
                    @for (value, label) in sorts { option value=(value) selected[q.sort == value || (q.sort.is_empty() && value == "next_renewal")] { (label) } }
                }
            }
            div.field { button.secondary type="submit" { (c.t("筛选", "Apply")) } }
        }
    }
}

/// A form with only the CSRF token.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    /// The form's CSRF token.
    pub csrf: String,
}

/// A channel the user closed.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CloseForm {
    /// The form's CSRF token.
    pub csrf: String,
    /// The channel.
    pub channel: String,
}

/// `POST /memberships/{id}/close`: records a channel as closed today (`edit --close`).
pub async fn close(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CloseForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let args = MembershipChange {
        close: vec![f.channel.clone()],
        ..MembershipChange::new(id, MembershipInput::default())
    };
    state
        .run(lang, move |ctx| args.save(ctx).map(drop))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/memberships/{id}?done=closed")).into_response())
}

/// `POST /memberships/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    state
        .run(lang, move |ctx| {
            tuiding_app::memberships::edit::remove(ctx, id)
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to("/memberships?done=removed").into_response())
}

/// `POST /memberships/{id}/case`: opens a cancellation case.
pub async fn open_case(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let case = state
        .run(lang, move |ctx| tuiding_app::case::open(ctx, id))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{case}?done=opened")).into_response())
}

/// This page's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/memberships", list)
        .post("/memberships", form::create)
        .get("/memberships/new", form::new)
        .get("/memberships/{id}", show::show)
        .post("/memberships/{id}/redeem", show::redeem)
        .post("/memberships/{id}/split", show::split)
        .post("/memberships/{id}/reminders", show::reminders)
        .get("/memberships/{id}/edit", form::edit)
        .post("/memberships/{id}/edit", form::update)
        .post("/memberships/{id}/close", close)
        .post("/memberships/{id}/delete", delete)
        .post("/memberships/{id}/case", open_case)
}
