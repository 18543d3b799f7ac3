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

use super::{Bar, Chrome, OrPage, PageResult, bars, page};
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
            section.card.empty {
                h2 { (c.t("从这里开始", "Start here")) }
                p { (c.t("还没有会员。把每月扣费的会员记下来：退订会算出每个会员的最后安全退订日、还能退多少钱，并提醒你关闭每一个还能扣费的渠道。", "No memberships yet. Write down what charges you every month: tuiding works out the last safe day to cancel each membership, what you can get back, and reminds you to close every channel that can still charge.")) }
                div.actions {
                    a.button href="/memberships/new" { (c.t("添加会员", "Add a membership")) }
                    a.button.secondary href="/import" { (c.t("从账单导入", "Find them in bill exports")) }
                }
            }
        }
        @if !alerts.is_empty() || !d.still_charging.is_empty() {
            section.card.alert #alerts {
                h2 { (c.t("警报", "Alerts")) }
                ul {
                    @for w in &d.still_charging {
                        li.still-charging {
                            strong { (c.t("仍可扣费", "Can still charge")) } " "
                            a href={"/memberships/" (w.id) "#channels"} { (w.platform) " " (w.plan) }
                            (c.t("：已在别处关闭自动续费，但", ": auto-renew was closed elsewhere, but "))
                            (w.channels.iter().map(|ch| ch.label(c.lang)).collect::<Vec<_>>().join(c.t("、", ", ")))
                            (c.t(" 的扣费协议仍然有效，下次续费还会扣款。", " can still charge at the next renewal."))
                        }
                    }
                    @for a in &alerts { li { strong { (due::kind_label(a.kind, c.lang)) } " " span.date { (a.date) } " " (a.plain) " " (links(c, a)) } }
                }
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
                    thead { tr { th scope="col" { (c.t("会员", "Membership")) } th scope="col" { (c.t("日期", "Date")) } th.num scope="col" { (c.t("金额", "Amount")) } th scope="col" { (c.t("最后安全退订日", "Last safe cancel day")) } } }
                    tbody {
                        @for r in &d.soon {
                            tr {
                                td.title { a href={"/memberships/" (r.id)} { (r.platform) " " (r.plan) } " " (kind(c.lang, r.kind)) }
                                td data-label=(c.t("日期", "Date")) { span.date { (r.date) } " " small.muted { (days(c.lang, r.days_until)) } }
                                td.num data-label=(c.t("金额", "Amount")) { @if let Some(a) = &r.amount { (a) " " (r.currency) } @else { "—" } }
                                td data-label=(c.t("最后安全退订日", "Last safe cancel day")) { (last_safe(&d.key_days, r.id, r.date, c.lang)) }
                            }
                        }
                    }
                }
            }
        }
        @if !actions.is_empty() {
            section.card #due {
                h2 { (c.t("待办", "To do")) }
                ul.plain { @for a in &actions { li { span.date { (a.date) } " · " (a.plain) " " (links(c, a)) } } }
            }
        }
        section.grid2 {
            div.card #by-month {
                h2 { (c.t("未来 12 个月预计扣费", "Expected charges, next 12 months")) }
                @let charts = by_currency(&d.months);
                @if charts.is_empty() { p.muted { (c.t("未来 12 个月没有扣费。", "No charges in the next 12 months.")) } }
                @for (currency, rows) in &charts { (bars(currency, rows, false)) }
            }
            div.card #by-category {
                h2 { (c.t("按类别（每月）", "By category (per month)")) }
                @let charts = categories(c, d.summary.by_category.iter().map(|l| (&l.category, l.currency, l.monthly_money.minor_units(), &l.monthly)));
                @if charts.is_empty() { p.muted { (c.t("还没有会续费的会员。", "Nothing renews yet.")) } }
                @for (currency, rows) in &charts { (bars(currency, rows, false)) }
            }
        }
        section.grid2 #spent {
            div.card #spent-by-month {
                h2 { (c.t("过去 12 个月实际扣费（来自账单）", "Paid in the last 12 months (from your bills)")) }
                @if d.spent.by_month.is_empty() {
                    p.muted { (c.t("导入支付宝、微信等账单后，这里显示每月实际为会员付了多少。", "Import your Alipay, WeChat Pay or bank bills to see what you actually paid each month.")) }
                    p { a.button.secondary href="/import" { (c.t("导入账单", "Import bills")) } }
                } @else {
                    @for (currency, rows) in &by_currency(&d.spent.by_month) { (bars(currency, rows, true)) }
                }
            }
            @if !d.spent.by_category.is_empty() {
                div.card #spent-by-category {
                    h2 { (c.t("过去 12 个月按类别", "Paid in the last 12 months, by category")) }
                    @let charts = categories(c, d.spent.by_category.iter().map(|(cat, t)| (cat, t.currency, t.money.minor_units(), &t.amount)));
                    @for (currency, rows) in &charts { (bars(currency, rows, true)) }
                }
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

/// One chart per currency: every month of the list in each, with 0 where a currency has
/// no charge that month, so bars of different currencies never share a scale.
fn by_currency(months: &[(String, Vec<CurrencyTotal>)]) -> Vec<(&'static str, Vec<Bar>)> {
    let mut currencies: Vec<&'static str> = months
        .iter()
        .flat_map(|(_, totals)| totals.iter().map(|t| t.currency))
        .collect();
    currencies.sort_unstable();
    currencies.dedup();
    currencies
        .into_iter()
        .map(|currency| {
            let rows = months
                .iter()
                .map(|(month, totals)| {
                    let t = totals.iter().find(|t| t.currency == currency);
                    Bar {
                        label: month.clone(),
                        minor: t.map_or(0, |t| t.money.minor_units()),
                        text: format!("{} {currency}", t.map_or("0.00", |t| t.amount.as_str())),
                    }
                })
                .collect();
            (currency, rows)
        })
        .collect()
}

/// Category rows grouped into one chart per currency, in the order given.
fn categories<'a>(
    c: &Chrome,
    lines: impl Iterator<Item = (&'a Option<String>, &'static str, i64, &'a String)>,
) -> Vec<(&'static str, Vec<Bar>)> {
    let mut charts: Vec<(&'static str, Vec<Bar>)> = Vec::new();
    for (category, currency, minor, amount) in lines {
        let bar = Bar {
            label: category
                .clone()
                .unwrap_or_else(|| c.t("未分类", "uncategorised").to_string()),
            minor,
            text: format!("{amount} {currency}"),
        };
        match charts.iter_mut().find(|(cur, _)| *cur == currency) {
            Some((_, rows)) => rows.push(bar),
            None => charts.push((currency, vec![bar])),
        }
    }
    charts
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
            span { strong.key.date { (k.last_safe) } br; a.small href={"/memberships/" (id) "#check"} { (k.advice.label(lang)) } }
        },
        None => html! { "—" },
    }
}

/// Where to act on an item: its case, else its membership's rule check.
fn links(c: &Chrome, item: &DueItem) -> Markup {
    html! {
        @if let Some(case) = item.case_id { a href={"/cases/" (case)} { (c.t("打开案件 #", "Open case #")) (case) } }
        @else if let Some(m) = item.membership_id { a href={"/memberships/" (m) "#check"} { (c.t("查看并决定", "Check and decide")) } }
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
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new().get("/", show)
}
