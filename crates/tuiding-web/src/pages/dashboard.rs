//! The overview: what renews soon and the last day to cancel it, what it all costs a
//! month and a year, the charges of the next twelve months by month and by category, and
//! alerts (charged after cancellation, overdue refunds).

use axum::Extension;
use axum::extract::State;
use axum::response::IntoResponse;
use maud::{Markup, html};
use tuiding_app::due::{self, DueItem};
use tuiding_app::overview::{Overview, overview};
use tuiding_app::renewals::CurrencyTotal;
use tuiding_core::Lang;

use super::{Chrome, OrPage, PageResult, bar_chart, page};
use crate::security::CsrfToken;
use crate::state::{AppState, ReqLang};

/// `GET /`.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let data = state
        .run(lang, |ctx| ctx.remembered("overview", "", overview))
        .await
        .or_page(lang)?;
    let c = Chrome::new(&state, lang, csrf, "home");
    Ok(page(&c, c.t("总览", "Overview"), render(&c, &data)).into_response())
}

fn render(c: &Chrome, d: &Overview) -> Markup {
    let alerts: Vec<&DueItem> = d
        .due
        .iter()
        .filter(|i| {
            matches!(
                i.kind,
                "charged_after_cancellation" | "refund_overdue" | "duplicate_charge"
            )
        })
        .collect();
    let actions: Vec<&DueItem> = d
        .due
        .iter()
        .filter(|i| matches!(i.kind, "last_safe_cancel_day" | "step_waiting"))
        .collect();
    html! {
        @if d.summary.memberships == 0 {
            section.card {
                p { (c.t("还没有会员。", "No memberships yet.")) }
                p {
                    a.button href="/memberships/new" { (c.t("添加会员", "Add a membership")) } " "
                    a.button.secondary href="/import" { (c.t("从账单导入", "Find them in bill exports")) }
                }
            }
        }
        @if !alerts.is_empty() {
            section.card.alert #alerts {
                h2 { (c.t("警报", "Alerts")) }
                ul { @for a in &alerts { li { strong { (due::kind_label(a.kind, c.lang)) } " " (a.date) "：" (a.text) " " (links(a)) } } }
            }
        }
        section.stats {
            div.stat { span.k { (c.t("会员", "Memberships")) } span.v { (d.summary.memberships) } span.s { (d.summary.renewing) (c.t(" 个会续费", " renew")) } }
            @for t in &d.summary.totals {
                div.stat { span.k { (c.t("每月", "Per month")) " " (t.currency) } span.v { (t.monthly) } span.s { (c.t("每年 ", "per year ")) (t.yearly) } }
            }
        }
        section.card #soon {
            h2 { (c.t("即将续费（30 天内）", "Renewing in the next 30 days")) }
            @if d.soon.is_empty() {
                p.muted { (c.t("30 天内没有续费。", "Nothing renews in the next 30 days.")) }
            } @else {
                table.list {
                    thead { tr { th { (c.t("日期", "Date")) } th { (c.t("会员", "Membership")) } th.num { (c.t("金额", "Amount")) } th { (c.t("最后安全退订日", "Last safe cancel day")) } } }
                    tbody {
                        @for r in &d.soon {
                            tr {
                                td { (r.date) br; small.muted { (days(c.lang, r.days_until)) } }
                                td { a href={"/memberships/" (r.id)} { (r.platform) " " (r.plan) } " " (kind(c.lang, r.kind)) }
                                td.num { @if let Some(a) = &r.amount { (a) " " (r.currency) } @else { "—" } }
                                td { (last_safe(&d.key_days, r.id, r.date, c.lang)) }
                            }
                        }
                    }
                }
            }
        }
        @if !actions.is_empty() {
            section.card #due {
                h2 { (c.t("待办", "To do")) }
                ul { @for a in &actions { li { (a.date) " · " (a.text) " " (links(a)) } } }
            }
        }
        section.grid2 {
            div.card #by-month {
                h2 { (c.t("未来 12 个月预计扣费", "Expected charges, next 12 months")) }
                (month_chart(c, &d.months))
            }
            div.card #by-category {
                h2 { (c.t("按类别（每月）", "By category (per month)")) }
                @let rows: Vec<(String, i64, String)> = d.summary.by_category.iter().map(|l| (
                    l.category.clone().unwrap_or_else(|| c.t("未分类", "uncategorised").to_string()),
                    l.monthly_money.minor_units(),
                    format!("{} {}", l.monthly, l.currency),
                )).collect();
                @if rows.is_empty() { p.muted { "—" } } @else { (bar_chart(&rows, c.t("按类别的每月费用", "Monthly cost by category"))) }
            }
        }
        @if !d.summary.price_increases.is_empty() {
            section.card #price-rises {
                h2 { (c.t("近 12 个月涨价", "Price rises in the last 12 months")) }
                ul { @for p in &d.summary.price_increases {
                    li { a href={"/memberships/" (p.id)} { (p.platform) } " " (p.on) "：" (p.old) " → " (p.new) " " (p.currency)
                        @if let Some(more) = &p.yearly_more { " (" (c.t("每年多 ", "+")) (more) (c.t("", " a year")) ")" } }
                } }
            }
        }
    }
}

fn month_chart(c: &Chrome, months: &[(String, Vec<CurrencyTotal>)]) -> Markup {
    // One bar per month in the currency most memberships use; other currencies are listed.
    let main = months
        .iter()
        .flat_map(|(_, t)| t.iter().map(|t| t.currency))
        .max_by_key(|cur| {
            months
                .iter()
                .filter(|(_, t)| t.iter().any(|t| t.currency == *cur))
                .count()
        });
    let rows: Vec<(String, i64, String)> = months
        .iter()
        .map(|(month, totals)| {
            let t = totals.iter().find(|t| Some(t.currency) == main);
            let minor = t.map_or(0, |t| t.money.minor_units());
            let text = totals
                .iter()
                .map(|t| format!("{} {}", t.amount, t.currency))
                .collect::<Vec<_>>()
                .join(" + ");
            (month.clone(), minor, text)
        })
        .collect();
    if rows.is_empty() {
        return html! { p.muted { (c.t("未来 12 个月没有扣费。", "No charges in the next 12 months.")) } };
    }
    bar_chart(&rows, c.t("每月预计扣费", "Expected charges per month"))
}

fn last_safe(
    key_days: &[due::KeyDay],
    id: i64,
    renewal: jiff::civil::Date,
    lang: tuiding_core::Lang,
) -> Markup {
    match key_days
        .iter()
        .find(|k| k.membership_id == id && k.renewal == renewal)
    {
        Some(k) => html! {
            strong { (k.last_safe) } br;
            a.small href={"/memberships/" (id) "#check"} { (k.advice.label(lang)) }
        },
        None => html! { "—" },
    }
}

fn links(item: &DueItem) -> Markup {
    html! {
        @if let Some(case) = item.case_id { a href={"/cases/" (case)} { "#" (case) } }
        @else if let Some(m) = item.membership_id { a href={"/memberships/" (m)} { "→" } }
    }
}

fn days(lang: Lang, n: i64) -> String {
    match (lang, n) {
        (Lang::Zh, 0) => "今天".into(),
        (Lang::Zh, n) => format!("{n} 天后"),
        (Lang::En, 0) => "today".into(),
        (Lang::En, 1) => "tomorrow".into(),
        (Lang::En, n) => format!("in {n} days"),
    }
}

fn kind(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "trial_converts" => lang.pick("（试用转正）", "(trial converts)"),
        "ends" => lang.pick("（到期，不续费）", "(ends, no renewal)"),
        _ => "",
    }
}

/// This page's routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/", get(show))
}
