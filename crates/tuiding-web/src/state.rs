//! What every request shares: the data directory, the date, the login, and the way a
//! request becomes an operation's context (its language, today, the store — and, on a
//! server of accounts, the signed-in account's ledger).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jiff::civil::Date;
use tuiding_app::accounts::Postgres;
use tuiding_app::context::{Caches, Ctx, Reporter};
use tuiding_core::Lang;

use crate::error::WebError;
use crate::security::{LoginGuard, Sessions, cookie};

/// Accounts whose caches a process keeps at most (a server of accounts).
pub const MAX_CACHED_ACCOUNTS: usize = 256;

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
    /// A server of accounts: their database. `None`: one person's data dir.
    pub accounts: Option<Postgres>,
    /// On a server of accounts, what is kept per account: one account's figures are
    /// never answered from another's.
    account_caches: Mutex<HashMap<i64, (Arc<Caches>, std::time::Instant)>>,
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
            accounts: None,
            account_caches: Mutex::default(),
            log: Arc::new(ServerLog),
        }))
    }

    /// A state serving the accounts of a PostgreSQL database; their files live under
    /// `data_dir/accounts/ID`. Everyone signs in, sessions are kept in the database.
    pub fn for_accounts(
        data_dir: PathBuf,
        today: Option<Date>,
        default_lang: Lang,
        db: Postgres,
    ) -> AppState {
        AppState(Arc::new(Inner {
            data_dir,
            today,
            default_lang,
            password: None,
            sessions: Sessions::Stored(db.clone()),
            login_guard: LoginGuard::default(),
            behind_https: false,
            caches: Arc::default(),
            accounts: Some(db),
            account_caches: Mutex::default(),
            log: Arc::new(ServerLog),
        }))
    }

    /// Whether requests need a session: a password is set, or this is a server of
    /// accounts.
    pub fn login_required(&self) -> bool {
        self.0.password.is_some() || self.0.accounts.is_some()
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

    /// The context an operation of this request runs in: on a server of accounts, the
    /// ledger of the account the request's session signed in ([`signed_in_as`]); a
    /// request without one gets no ledger at all (401), never a default one.
    pub fn ctx(&self, lang: Lang) -> Result<Ctx, WebError> {
        match &self.0.accounts {
            None => Ok(
                Ctx::for_service(lang, self.today(), self.0.data_dir.clone())
                    .sharing(self.0.caches.clone())
                    .reporting_to(self.0.log.clone()),
            ),
            Some(db) => {
                let account = ACCOUNT.try_with(|a| *a).map_err(|_| {
                    WebError::new(
                        axum::http::StatusCode::UNAUTHORIZED,
                        "需要登录 / sign in first",
                    )
                })?;
                Ok(self.ctx_of(db, account, lang))
            }
        }
    }

    /// The context of an account's ledger (a server of accounts), sharing what is kept for
    /// the account between requests.
    fn ctx_of(&self, db: &Postgres, account: i64, lang: Lang) -> Ctx {
        let caches = self.caches_of(account);
        Ctx::for_account(db.clone(), account, lang, self.today(), &self.0.data_dir)
            .sharing(caches)
            .reporting_to(self.0.log.clone())
    }

    /// What is kept for an account between requests. At most [`MAX_CACHED_ACCOUNTS`]
    /// accounts are kept; past that, the one used longest ago is forgotten (it is computed
    /// again on its next request).
    fn caches_of(&self, account: i64) -> Arc<Caches> {
        let mut kept = self
            .0
            .account_caches
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let now = std::time::Instant::now();
        if !kept.contains_key(&account) && kept.len() >= MAX_CACHED_ACCOUNTS {
            let oldest = kept
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(id, _)| *id);
            if let Some(oldest) = oldest {
                kept.remove(&oldest);
            }
        }
        let entry = kept.entry(account).or_insert_with(|| (Arc::default(), now));
        entry.1 = now;
        entry.0.clone()
    }

    /// Runs a blocking operation (SQLite, PostgreSQL, files) off the async threads.
    pub async fn run<T, F>(&self, lang: Lang, op: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Ctx) -> anyhow::Result<T> + Send + 'static,
    {
        let ctx = self.ctx(lang)?;
        run_blocking(ctx, op).await
    }

    /// Runs an operation on one account's ledger, outside any request (the reminders).
    pub async fn run_as<T, F>(&self, account: i64, lang: Lang, op: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Ctx) -> anyhow::Result<T> + Send + 'static,
    {
        let db = self
            .0
            .accounts
            .as_ref()
            .ok_or_else(|| WebError::internal(anyhow::anyhow!("not a server of accounts")))?;
        run_blocking(self.ctx_of(db, account, lang), op).await
    }
}

async fn run_blocking<T, F>(ctx: Ctx, op: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Ctx) -> anyhow::Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(move || op(&ctx))
        .await
        .map_err(|e| WebError::internal(anyhow::anyhow!(e.to_string())))?
        .map_err(WebError::from)
}

tokio::task_local! {
    /// The account the current request's session signed in (a server of accounts). Set
    /// by the login gate around the whole request, read by [`AppState::ctx`].
    static ACCOUNT: i64;
}

/// Runs `request` as `account`: every operation it starts works on that account's ledger.
pub async fn signed_in_as<F: std::future::Future>(account: i64, request: F) -> F::Output {
    ACCOUNT.scope(account, request).await
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
