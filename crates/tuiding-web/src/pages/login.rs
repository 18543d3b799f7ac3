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
use crate::security::sessions::SESSION_DAYS;
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
    let accounts = state.0.accounts.is_some();
    let body = html! {
        form.stack.narrow method="post" action="/login" {
            (c.csrf_field())
            @if accounts {
                label for="name" { (c.t("账户名", "Account")) }
                input #name type="text" name="name" autocomplete="username" required autofocus;
            }
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
    /// The account (a server of accounts).
    pub name: String,
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
    match start_session(&state, &f.name, f.password).await {
        Ok(signed) => Ok(signed.on(Redirect::to("/").into_response())),
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

/// A session just started: its token, and the account's language (a server of accounts).
pub struct SignedIn {
    token: String,
    lang: Option<Lang>,
}

impl SignedIn {
    /// Adds the session cookie (and the account's language) to a response.
    pub fn on(self, mut response: Response) -> Response {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, &self.token, SESSION_DAYS),
        );
        if let Some(lang) = self.lang {
            response
                .headers_mut()
                .append(header::SET_COOKIE, set_cookie("lang", lang.code(), 365));
        }
        response
    }
}

/// A real argon2id hash of a random password nobody knows, checked for a name that has no
/// account, so an unknown name takes as long to refuse as a wrong password (nobody learns
/// which names exist).
fn no_account() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        crate::security::hash_password(&crate::security::random_token()).unwrap_or_default()
    })
    .clone()
}

/// Checks a password (slowed down against guessing) — on a server of accounts, the
/// password of account `name` — and starts a session when it is right.
pub async fn start_session(
    state: &AppState,
    name: &str,
    password: String,
) -> Result<SignedIn, LoginRefused> {
    let Some(db) = state.0.accounts.clone() else {
        state
            .0
            .login_guard
            .check(state.0.password.clone(), password)
            .await?;
        let token = state
            .0
            .sessions
            .start(None)
            .await
            .map_err(|_| LoginRefused::Wrong)?;
        return Ok(SignedIn { token, lang: None });
    };
    let name_typed = name.trim().to_string();
    let name = name_typed.clone();
    let found = tokio::task::spawn_blocking(move || db.account(&name))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten();
    let own = found.as_ref().and_then(|a| a.password.clone());
    let hash = match own {
        Some(hash) => hash,
        None => tokio::task::spawn_blocking(no_account)
            .await
            .map_err(|_| LoginRefused::Wrong)?,
    };
    state
        .0
        .login_guard
        .check_as(&name_typed, Some(hash), password)
        .await?;
    // The guard passed: the hash was the account's own (no password matches the other).
    let account = found.ok_or(LoginRefused::Wrong)?;
    let token = state
        .0
        .sessions
        .start(Some(account.id))
        .await
        .map_err(|_| LoginRefused::Wrong)?;
    Ok(SignedIn {
        token,
        lang: Lang::from_locale(&account.lang),
    })
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
        state.0.sessions.end(&token).await;
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
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie("lang", lang.code(), 365));
    response
}

/// This page's routes.
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/login", show)
        .post("/login", login)
        .post("/logout", logout)
        .get("/lang/{code}", switch)
}
