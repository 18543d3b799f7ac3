//! The HTML pages: server-rendered with maud, zh-CN first with an English switch, usable
//! on a phone. Each handler runs one `tuiding-app` operation and renders its view; forms
//! post back here (with the CSRF token) and redirect to the page that shows the result.

pub mod bills;
pub mod cases;
pub mod dashboard;
pub mod decision;
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
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "退订 " span.sub { "tuiding" } }
                    nav {
                        @for (key, href, label) in nav {
                            a href=(href) class=[(key == c.nav).then_some("current")] { (label) }
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
                main { h1 { (title) } (body) }
                footer { a href="/api/v1/openapi.json" { "API" } " · " a href="/calendar.ics" { (c.t("日历订阅", "Calendar feed")) } }
            }
        }
    }
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

/// A horizontal bar chart as SVG: one labelled bar per row, scaled to the largest.
pub fn bar_chart(rows: &[(String, i64, String)], aria: &str) -> Markup {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = rows.len() * 26 + 4;
    html! {
        svg.chart role="img" aria-label=(aria) viewBox={"0 0 600 " (height)} preserveAspectRatio="xMinYMin meet" {
            @for (i, (label, value, text)) in rows.iter().enumerate() {
                @let y = i * 26 + 2;
                @let width = (value.max(&0) * 250 / max).max(1);
                text x="0" y=(y + 16) class="label" { (label) }
                rect x="150" y=(y + 3) width=(width) height="18" rx="3" {}
                text x=(158 + width) y=(y + 16) class="value" { (text) }
            }
        }
    }
}
