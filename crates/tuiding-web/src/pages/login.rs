//! Logging in (when a password is set), logging out, and the language switch.

use axum::Extension;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use tuiding_core::Lang;

use super::{Chrome, OrPage, PageResult, page};
use crate::security::{
    CsrfToken, LoginRefused, SESSION_COOKIE, check_form_token, cookie, set_cookie,
};
use crate::state::{AppState, ReqLang};

/// `GET /login`.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    Ok(login_page(&state, lang, csrf, None).into_response())
}

fn login_page(
    state: &AppState,
    lang: Lang,
    csrf: CsrfToken,
    problem: Option<&str>,
) -> maud::Markup {
    let c = Chrome {
        lang,
        csrf: csrf.0,
        nav: "",
        login: false,
    };
    let _ = state;
    let body = html! {
        form.stack.narrow method="post" action="/login" {
            (c.csrf_field())
            label for="password" { (c.t("密码", "Password")) }
            input #password type="password" name="password" autocomplete="current-password" autofocus;
            @if let Some(p) = problem { span.problem role="alert" { (p) } }
            button type="submit" { (c.t("登录", "Log in")) }
        }
    };
    page(&c, c.t("登录", "Log in"), body)
}

/// The login form.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    /// The form's CSRF token.
    pub csrf: String,
    /// The password.
    pub password: String,
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    match start_session(&state, f.password).await {
        Ok(token) => Ok(with_session(Redirect::to("/").into_response(), &token)),
        Err(refused) => {
            let (status, text) = refusal(refused, lang);
            let body = login_page(&state, lang, csrf, Some(text));
            Ok((status, body).into_response())
        }
    }
}

/// The status and words of a refused login.
pub fn refusal(refused: LoginRefused, lang: Lang) -> (StatusCode, &'static str) {
    match refused {
        LoginRefused::NoPassword => (
            StatusCode::NOT_FOUND,
            lang.pick(
                "未设置密码，无需登录",
                "no password is set; no login needed",
            ),
        ),
        LoginRefused::Wrong => (
            StatusCode::UNAUTHORIZED,
            lang.pick("密码不正确", "wrong password"),
        ),
        LoginRefused::TooMany => (
            StatusCode::TOO_MANY_REQUESTS,
            lang.pick(
                "错误次数过多，请一分钟后再试",
                "too many wrong passwords; try again in a minute",
            ),
        ),
    }
}

/// Checks a password (slowed down against guessing); a session token when it is right.
pub async fn start_session(state: &AppState, password: String) -> Result<String, LoginRefused> {
    state
        .0
        .login_guard
        .check(state.0.password.clone(), password)
        .await?;
    Ok(state.0.sessions.start())
}

/// Adds the session cookie to a response.
pub fn with_session(mut response: Response, token: &str) -> Response {
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, token, 30));
    response
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Form(f): Form<super::memberships::TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.0.sessions.end(&token);
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0));
    Ok(response)
}

/// `GET /lang/{zh|en}`: remembers the language and goes back to the page it came from.
pub async fn switch(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::from_locale(&code).unwrap_or_default();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    // Only a page of this site: the path of a same-host referrer, else the overview.
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest.to_string()))
        .and_then(|rest| rest.strip_prefix(host).map(str::to_string))
        .filter(|path| {
            path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !host.is_empty()
        })
        .unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&back).into_response();
    let code = match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie("lang", code, 365));
    response
}

/// This page's routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/login", get(show).post(login))
        .route("/logout", post(logout))
        .route("/lang/{code}", get(switch))
}
