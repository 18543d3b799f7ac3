//! What every request shares: the data directory, the date, the login, and the way a
//! request becomes an operation's context (its language, today, the store).

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jiff::civil::Date;
use tuiding_app::context::{Caches, Ctx, Reporter};
use tuiding_core::Lang;

use crate::error::WebError;
use crate::security::{LoginGuard, Sessions, cookie};

/// The server's shared state.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

/// See [`AppState`].
pub struct Inner {
    /// The data directory every operation works in.
    pub data_dir: PathBuf,
    /// A fixed "today" (`--today`, `TUIDING_TODAY`): figures are reproducible.
    pub today: Option<Date>,
    /// The language when the browser says nothing we have.
    pub default_lang: Lang,
    /// The password hash (PHC string) when a login is required.
    pub password: Option<String>,
    /// Logged-in sessions.
    pub sessions: Sessions,
    /// The brake on password guessing.
    pub login_guard: LoginGuard,
    /// Served behind an HTTPS reverse proxy: every cookie is `Secure`.
    pub behind_https: bool,
    /// What the application keeps between requests (the last stream detection).
    pub caches: Arc<Caches>,
    /// Where operations' warnings go: the server's log.
    log: Arc<dyn Reporter>,
}

impl AppState {
    /// A state serving `data_dir`.
    pub fn new(
        data_dir: PathBuf,
        today: Option<Date>,
        default_lang: Lang,
        password: Option<String>,
    ) -> AppState {
        AppState(Arc::new(Inner {
            data_dir,
            today,
            default_lang,
            password,
            sessions: Sessions::default(),
            login_guard: LoginGuard::default(),
            behind_https: false,
            caches: Arc::default(),
            log: Arc::new(ServerLog),
        }))
    }

    /// The same state, told whether it is served behind an HTTPS reverse proxy.
    pub fn behind_https(mut self, yes: bool) -> AppState {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.behind_https = yes;
        }
        self
    }

    /// Today: the fixed date, else the clock in China.
    pub fn today(&self) -> Date {
        self.0
            .today
            .unwrap_or_else(tuiding_app::clock::today_in_china)
    }

    /// The context an operation runs in.
    pub fn ctx(&self, lang: Lang) -> Ctx {
        Ctx::for_service(lang, self.today(), self.0.data_dir.clone())
            .sharing(self.0.caches.clone())
            .reporting_to(self.0.log.clone())
    }

    /// Runs a blocking operation (SQLite, files) off the async threads.
    pub async fn run<T, F>(&self, lang: Lang, op: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Ctx) -> anyhow::Result<T> + Send + 'static,
    {
        let ctx = self.ctx(lang);
        tokio::task::spawn_blocking(move || op(&ctx))
            .await
            .map_err(|e| WebError::internal(anyhow::anyhow!(e.to_string())))?
            .map_err(WebError::from)
    }
}

/// Warnings of an operation (a row left out of the ledger's figures) go to the server's
/// log; a request has no progress bar.
struct ServerLog;

impl Reporter for ServerLog {
    fn warn(&self, text: &str) {
        eprintln!("tuiding serve: {text}");
    }
}

/// The language of a request: the `lang` cookie (set by the switch in the page header),
/// else the browser's first preference we have, else the server's default.
#[derive(Debug, Clone, Copy)]
pub struct ReqLang(pub Lang);

impl FromRequestParts<AppState> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(lang) = cookie(&parts.headers, "lang").and_then(|v| Lang::from_locale(&v)) {
            return Ok(ReqLang(lang));
        }
        let accept = parts
            .headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let first = accept
            .split(',')
            .filter_map(|part| Lang::from_locale(part.split(';').next().unwrap_or("").trim()))
            .next();
        Ok(ReqLang(first.unwrap_or(state.0.default_lang)))
    }
}
