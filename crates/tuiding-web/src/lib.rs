//! # tuiding-web
//!
//! The local web app of tuiding (退订) and its reminders:
//!
//! - [`pages`]: server-rendered HTML (maud), zh-CN first with an English switch, usable on
//!   a phone; [`api`]: the JSON API under `/api/v1` with its OpenAPI document;
//!   `/calendar.ics`: renewals, last safe cancel days and refund due dates (RFC 5545).
//! - the reminders due today go out on a schedule inside the server, through
//!   `tuiding-notify` (the same run as `tuiding remind`).
//! - [`security`]: loopback by default, a password (argon2) and session cookie to listen
//!   anywhere else, CSRF protection, upload limits, security headers.
//!
//! Every handler runs an operation of `tuiding-app`, the same one the CLI runs: this
//! crate adds HTTP, HTML and sending, no logic of its own.

pub mod api;
pub mod error;
pub mod pages;
pub mod routes;
pub mod security;
pub mod state;
pub mod upload;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use tower_http::csrf::CsrfLayer;
use tuiding_app::context::Ctx;
use tuiding_app::error::UserError;

use crate::state::{AppState, ReqLang};

/// Every route: pages, the API, the calendar feed, `/healthz` and the static files.
pub fn routes() -> routes::Routes {
    routes::Routes::new()
        .merge(pages::dashboard::router())
        .merge(pages::memberships::router())
        .merge(pages::policy::router())
        .merge(pages::bills::router())
        .merge(pages::terms::router())
        .merge(pages::cases::router())
        .merge(pages::login::router())
        .merge(pages::household::router())
        .merge(pages::data::router())
        .get("/calendar.ics", calendar)
        .get("/healthz", healthz)
        .get("/static/app.css", css)
        .get("/static/app.js", js)
        .get("/manifest.webmanifest", manifest)
        .get("/static/icon-192.png", icon_192)
        .get("/static/icon-512.png", icon_512)
        .nest("/api/v1", api::router())
}

/// The routes with the security layers around them.
pub fn router(state: AppState) -> Router {
    routes()
        .into_router()
        .layer(middleware::from_fn(security::csrf_cookie))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::require_login,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::local_host_only,
        ))
        .layer(DefaultBodyLimit::max(upload::MAX_UPLOAD_BYTES))
        .layer(CsrfLayer::new())
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::secure_cookies,
        ))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// `GET /calendar.ics`: the same calendar as `tuiding export --format ics`, kept while the
/// ledger is unchanged; its `ETag` moves with the ledger, and a calendar app that sends
/// the one it has (`If-None-Match`) gets 304 without the calendar being built.
async fn calendar(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: axum::http::HeaderMap,
) -> Response {
    let asked = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let answer = state
        .run(lang, move |ctx| {
            let etag = format!("\"{}\"", ctx.stamp()?.tag("calendar.ics"));
            if asked.is_some_and(|asked| etag_matches(&asked, &etag)) {
                return Ok((etag, None));
            }
            // Kept as bytes: each answer shares them instead of copying megabytes.
            let text = ctx.remembered("calendar.ics", "", |ctx| {
                Ok(axum::body::Bytes::from(tuiding_app::export::calendar(ctx)?))
            })?;
            Ok((etag, Some(text)))
        })
        .await;
    let (etag, text) = match answer {
        Ok(answer) => answer,
        Err(e) => return e.json(),
    };
    let etag = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    let Some(text) = text else {
        return (axum::http::StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline; filename=\"tuiding.ics\""),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        text.as_ref().clone(),
    )
        .into_response()
}

/// Whether an `If-None-Match` list names `etag` (or is `*`); weak tags compare as strong
/// ones, as RFC 9110 asks for this header.
fn etag_matches(asked: &str, etag: &str) -> bool {
    asked
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// The web app manifest: the app installs on a phone's home screen.
async fn manifest() -> Response {
    static_file(
        "application/manifest+json",
        include_bytes!("../static/manifest.webmanifest"),
    )
}

async fn icon_192() -> Response {
    static_file("image/png", include_bytes!("../static/icon-192.png"))
}

async fn icon_512() -> Response {
    static_file("image/png", include_bytes!("../static/icon-512.png"))
}

fn static_file(content_type: &'static str, bytes: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        bytes,
    )
        .into_response()
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.js"),
    )
        .into_response()
}

/// How `tuiding serve` serves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Minutes between reminder runs (0: none).
    pub remind_every: u64,
    /// Behind an HTTPS reverse proxy: every cookie is `Secure`.
    pub behind_https: bool,
    /// A fixed "today" (`--today`), for reproducible figures.
    pub fixed_today: Option<jiff::civil::Date>,
    /// A server of accounts on this PostgreSQL database (`--database-url`); `None`: the
    /// data dir's own ledger.
    pub database: Option<tuiding_app::accounts::Postgres>,
}

/// Serves the web app: refuses to listen beyond loopback without a password, then serves
/// until Ctrl-C, sending reminders every `remind_every` minutes.
pub fn serve(ctx: &Ctx, args: &ServeOptions) -> anyhow::Result<()> {
    let fixed_today = args.fixed_today;
    let data_dir = ctx.data_dir()?;
    tuiding_app::context::create_private_dir(&data_dir)?;
    init_log();
    let state = match &args.database {
        // Everyone signs in to their account: any address may be listened on.
        Some(db) => AppState::for_accounts(data_dir, fixed_today, ctx.lang, db.clone()),
        None => {
            // Opening the ledger first applies migrations and fails early on a bad data dir.
            ctx.prepare()?;
            ctx.config()?;
            let password = security::read_password(&data_dir)?;
            if !args.listen.ip().is_loopback() && password.is_none() {
                return Err(UserError::usage(
                    "--listen",
                    ctx.t(
                        "监听本机以外的地址需要登录密码：先运行 `tuiding user set-password`",
                        "listening beyond this machine needs a password: run `tuiding user set-password` first",
                    ),
                ));
            }
            AppState::new(data_dir, fixed_today, ctx.lang, password)
        }
    }
    .behind_https(args.behind_https);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| UserError::failure(format!("{}: {e}", args.listen)))?;
        let addr: SocketAddr = listener.local_addr()?;
        eprintln!(
            "{} http://{addr}/ ({})",
            ctx.t("tuiding 网页版：", "tuiding web app:"),
            ctx.t("Ctrl-C 停止", "Ctrl-C to stop")
        );
        if args.remind_every > 0 {
            tokio::spawn(reminder_schedule(
                state.clone(),
                Duration::from_secs(args.remind_every * 60),
            ));
        }
        axum::serve(listener, router(state))
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        Ok(())
    })
}

/// Sends the reminders due, now and then every `every` — on a server of accounts, each
/// account's through its own channels (its `config.toml`); never prints (no channel:
/// nothing is sent, `tuiding remind` prints them instead).
async fn reminder_schedule(state: AppState, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        let lang = state.0.default_lang;
        let Some(db) = state.0.accounts.clone() else {
            let report = state
                .run(lang, |ctx| tuiding_notify::run_once(ctx, false, false))
                .await;
            log_reminders(None, report);
            continue;
        };
        let accounts = match tokio::task::spawn_blocking(move || db.accounts()).await {
            Ok(Ok(accounts)) => accounts,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "reminders: cannot list the accounts");
                continue;
            }
            Err(_) => continue,
        };
        for account in accounts {
            let report = state
                .run_as(account.id, lang, |ctx| {
                    tuiding_notify::run_once(ctx, false, false)
                })
                .await;
            log_reminders(Some(account.id), report);
        }
    }
}

fn log_reminders(
    account: Option<i64>,
    report: Result<tuiding_notify::RunReport, crate::error::WebError>,
) {
    match report {
        Ok(report) => {
            for s in &report.sent {
                tracing::info!(
                    account,
                    membership = s.membership_id,
                    key_day = %s.key_day,
                    lead_days = s.lead_days,
                    channel = %s.channel,
                    "reminder sent"
                );
            }
            for f in &report.failed {
                tracing::warn!(
                    account,
                    membership = f.membership_id,
                    channel = %f.channel,
                    error = %f.error,
                    "reminder failed"
                );
            }
        }
        Err(e) => tracing::warn!(account, error = %e.message, "reminders"),
    }
}

/// `GET /healthz`: 200 `ok` when the database answers, else 503. Needs no session.
async fn healthz(State(state): State<AppState>) -> Response {
    let ok = match state.0.accounts.clone() {
        Some(db) => tokio::task::spawn_blocking(move || db.ping())
            .await
            .is_ok_and(|r| r.is_ok()),
        None => state
            .run(tuiding_core::Lang::En, |ctx| ctx.prepare())
            .await
            .is_ok(),
    };
    let status = if ok {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        if ok { "ok\n" } else { "database unavailable\n" },
    )
        .into_response()
}

/// One log line per request: a request id (also sent back as `X-Request-Id`), the
/// method, the route as registered (`/cases/{id}`: never the ids, a query, a body, a
/// cookie or a file name), the status and the latency.
async fn log_request(request: axum::extract::Request, next: middleware::Next) -> Response {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let started = std::time::Instant::now();
    let id = format!(
        "{:x}-{:x}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "(no route)".to_string(), |p| p.as_str().to_string());
    let mut response = next.run(request).await;
    tracing::info!(
        request_id = %id,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = %format!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Sets up the server's log (stderr, one line per event; `NO_COLOR` respected). A second
/// call (tests start several servers) keeps the first.
pub fn init_log() {
    let ansi = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(ansi)
        .try_init();
}

/// Ctrl-C or SIGTERM (what systemd sends to stop a service): stop accepting, finish the
/// requests in flight, then return.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
