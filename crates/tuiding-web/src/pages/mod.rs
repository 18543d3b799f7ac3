//! The HTML pages: server-rendered with maud, zh-CN first with an English switch, usable
//! on a phone. Each handler runs one `tuiding-app` operation and renders its view; forms
//! post back here (with the CSRF token) and redirect to the page that shows the result.

pub mod bills;
pub mod cases;
pub mod dashboard;
pub mod data;
pub mod decision;
pub mod evidence_text;
pub mod household;
pub mod login;
pub mod memberships;
pub mod policy;
pub mod terms;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use tuiding_core::Lang;

use crate::error::WebError;

/// What a page needs from the request besides its data.
#[derive(Clone)]
pub struct Chrome {
    /// The request's language.
    pub lang: Lang,
    /// The CSRF token forms must carry.
    pub csrf: String,
    /// Which navigation entry is current.
    pub nav: &'static str,
    /// Whether a login is in use (shows "log out").
    pub login: bool,
}

impl Chrome {
    /// The chrome of a page under navigation entry `nav`.
    pub fn new(
        state: &crate::state::AppState,
        lang: Lang,
        csrf: crate::security::CsrfToken,
        nav: &'static str,
    ) -> Chrome {
        Chrome {
            lang,
            csrf: csrf.0,
            nav,
            login: state.0.password.is_some(),
        }
    }

    /// Picks the text for the page's language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// The hidden CSRF field of a form.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }
}

/// A whole page around `body`.
pub fn page(c: &Chrome, title: &str, body: Markup) -> Markup {
    let nav = [
        ("home", "/", c.t("总览", "Overview")),
        ("memberships", "/memberships", c.t("会员", "Memberships")),
        ("import", "/import", c.t("账单导入", "Import bills")),
        ("terms", "/terms", c.t("条款阅读", "Read terms")),
        ("cases", "/cases", c.t("退订案件", "Cases")),
    ];
    html! {
        (DOCTYPE)
        html lang=(c.t("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (c.t("退订", "tuiding")) }
                meta name="theme-color" content="#c2410c" media="(prefers-color-scheme: light)";
                meta name="theme-color" content="#171a21" media="(prefers-color-scheme: dark)";
                meta name="color-scheme" content="light dark";
                link rel="manifest" href="/manifest.webmanifest";
                link rel="icon" href="/static/icon-192.png" type="image/png";
                link rel="apple-touch-icon" href="/static/icon-192.png";
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { (c.t("跳到正文", "Skip to content")) }
                header.top {
                    a.brand href="/" { "退订 " span.sub { "tuiding" } }
                    nav aria-label=(c.t("主导航", "Main")) {
                        @for (key, href, label) in nav {
                            a href=(href) class=[(key == c.nav).then_some("current")] aria-current=[(key == c.nav).then_some("page")] { (label) }
                        }
                    }
                    div.tools {
                        @if c.lang == Lang::Zh {
                            a href="/lang/en" hreflang="en" { "English" }
                        } @else {
                            a href="/lang/zh" hreflang="zh-CN" { "中文" }
                        }
                        @if c.login {
                            form.inline method="post" action="/logout" {
                                (c.csrf_field())
                                button.link type="submit" { (c.t("退出", "Log out")) }
                            }
                        }
                    }
                }
                main #main tabindex="-1" { h1 { (title) } (body) }
                footer {
                    a href="/household" { (c.t("家庭成员", "Household")) } " · "
                    a href="/data" { (c.t("数据与备份", "Data and backup")) } " · "
                    a href="/calendar.ics" { (c.t("日历订阅", "Calendar feed")) } " · "
                    a href="/api/v1/openapi.json" { "API" }
                }
            }
        }
    }
}

/// A note to show after a redirect (`?done=added`): what the form did.
#[derive(Debug, serde::Deserialize, Default)]
pub struct Done {
    /// What was done.
    #[serde(default)]
    pub done: Option<String>,
}

/// A note above a page's content (after a form succeeded, say).
pub fn notice(text: Option<&str>) -> Markup {
    html! { @if let Some(text) = text { p.notice role="status" { (text) } } }
}

/// A page-rendering error: the status and a page saying what was wrong.
pub struct PageError {
    error: WebError,
    lang: Lang,
}

impl PageError {
    /// An error in the request's language.
    pub fn new(error: impl Into<WebError>, lang: Lang) -> PageError {
        PageError {
            error: error.into(),
            lang,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let c = Chrome {
            lang: self.lang,
            csrf: String::new(),
            nav: "",
            login: false,
        };
        let title = match self.error.status {
            StatusCode::NOT_FOUND => c.t("找不到", "Not found"),
            StatusCode::FORBIDDEN => c.t("已拒绝", "Refused"),
            s if s.is_client_error() => c.t("无法完成", "Could not do that"),
            _ => c.t("出错了", "Something went wrong"),
        };
        let body = html! {
            p.error role="alert" { (self.error.message) }
            p { a href="/" { (c.t("回到总览", "Back to the overview")) } }
        };
        crate::error::with_retry_after(
            self.error.status,
            (self.error.status, page(&c, title, body)).into_response(),
        )
    }
}

/// A page handler's result.
pub type PageResult = Result<Response, PageError>;

/// Extension trait: turns any error into a page error in a language.
pub trait OrPage<T> {
    /// The error as a page.
    fn or_page(self, lang: Lang) -> Result<T, PageError>;
}

impl<T, E: Into<WebError>> OrPage<T> for Result<T, E> {
    fn or_page(self, lang: Lang) -> Result<T, PageError> {
        self.map_err(|e| PageError::new(e, lang))
    }
}

/// One bar of a chart: its label, its amount in minor units, and the amount as text.
pub struct Bar {
    /// What the bar is (a month, a category).
    pub label: String,
    /// The amount, in minor units of the chart's one currency.
    pub minor: i64,
    /// The amount as shown beside the bar (`482.00 CNY`).
    pub text: String,
}

/// A horizontal bar chart of amounts in one currency: a text label and value beside every
/// bar (readable on a phone, read out by screen readers), each bar's length its amount's
/// share of the largest. Amounts of another currency get a chart of their own: one scale
/// never mixes currencies.
pub fn bars(caption: &str, rows: &[Bar], past: bool) -> Markup {
    let max = rows.iter().map(|r| r.minor).max().unwrap_or(0).max(1);
    html! {
        figure.bars.past[past] {
            figcaption { (caption) }
            ol {
                @for r in rows {
                    // Thousandths of the largest, so a bar of 1 fen still shows.
                    @let width = if r.minor <= 0 { 0 } else { (r.minor.saturating_mul(1000) / max).max(2) };
                    li data-minor=(r.minor) {
                        span.label { (r.label) }
                        svg viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
                            rect width=(width) height="10" rx="1" {}
                        }
                        span.value { (r.text) }
                    }
                }
            }
        }
    }
}
