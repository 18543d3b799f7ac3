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
use axum::routing::get;
use tower_http::csrf::CsrfLayer;
use tuiding_app::context::Ctx;
use tuiding_app::error::UserError;

use crate::state::{AppState, ReqLang};

/// The routes: pages, the API, the calendar feed and the static files, with the
/// security layers around them.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::dashboard::router())
        .merge(pages::memberships::router())
        .merge(pages::policy::router())
        .merge(pages::bills::router())
        .merge(pages::terms::router())
        .merge(pages::cases::router())
        .merge(pages::login::router())
        .merge(pages::household::router())
        .merge(pages::data::router())
        .route("/calendar.ics", get(calendar))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/manifest.webmanifest", get(manifest))
        .route("/static/icon-192.png", get(icon_192))
        .route("/static/icon-512.png", get(icon_512))
        .nest("/api/v1", api::router())
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
}

/// Serves the web app: refuses to listen beyond loopback without a password, then serves
/// until Ctrl-C, sending reminders every `remind_every` minutes.
pub fn serve(ctx: &Ctx, args: &ServeOptions) -> anyhow::Result<()> {
    let fixed_today = args.fixed_today;
    let data_dir = ctx.data_dir()?;
    tuiding_app::context::create_private_dir(&data_dir)?;
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
    let state =
        AppState::new(data_dir, fixed_today, ctx.lang, password).behind_https(args.behind_https);
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
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

/// Sends the reminders due, now and then every `every`; never prints (no channel: nothing
/// is sent, `tuiding remind` prints them instead).
async fn reminder_schedule(state: AppState, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        let lang = state.0.default_lang;
        match state
            .run(lang, |ctx| tuiding_notify::run_once(ctx, false, false))
            .await
        {
            Ok(report) => {
                for s in &report.sent {
                    eprintln!(
                        "tuiding serve: reminder #{} ({} {}) → {}",
                        s.membership_id, s.key_day, s.lead_days, s.channel
                    );
                }
                for f in &report.failed {
                    eprintln!(
                        "tuiding serve: reminder #{} → {} failed: {}",
                        f.membership_id, f.channel, f.error
                    );
                }
            }
            Err(e) => eprintln!("tuiding serve: reminders: {}", e.message),
        }
    }
}
