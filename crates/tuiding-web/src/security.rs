//! Safety of the server: the login (an argon2 password hash in the data directory and
//! session cookies), the CSRF token of every form, and the response headers.
//!
//! Cross-site requests are refused before any handler runs (`tower_http::csrf`: the
//! `Sec-Fetch-Site` and `Origin` headers); on top of that every HTML form carries a token
//! that must equal the `tuiding_csrf` cookie (SameSite=Strict), so a forged form post fails
//! twice. Cookies are HttpOnly and SameSite=Strict; uploads are bounded; no name from a
//! request becomes a path without [`safe_file_name`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::{SignedDuration, Timestamp};

use crate::error::WebError;
use crate::state::AppState;

/// The file in the data directory holding the password's argon2 hash (PHC string).
pub const PASSWORD_FILE: &str = "web-password";
/// The session cookie.
pub const SESSION_COOKIE: &str = "tuiding_session";
/// The CSRF cookie; forms repeat its value in the `csrf` field.
pub const CSRF_COOKIE: &str = "tuiding_csrf";
/// How long a login lasts.
const SESSION_DAYS: i64 = 30;

/// Logged-in sessions: token → expiry. Kept in memory: a restart logs everyone out.
#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, Timestamp>>);

impl Sessions {
    /// Starts a session; returns its token.
    pub fn start(&self) -> String {
        let token = random_token();
        let expires = tuiding_app::clock::now() + SignedDuration::from_hours(24 * SESSION_DAYS);
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = tuiding_app::clock::now();
        map.retain(|_, until| *until > now);
        map.insert(token.clone(), expires);
        token
    }

    /// Whether a token is a live session.
    pub fn is_valid(&self, token: &str) -> bool {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(token)
            .is_some_and(|until| *until > tuiding_app::clock::now())
    }

    /// Ends a session.
    pub fn end(&self, token: &str) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(token);
    }
}

/// Guessing passwords is slowed down: at most two argon2 checks run at once (each takes
/// ~19 MiB and tens of milliseconds), a wrong password is answered after a second, and
/// once ten attempts in a minute have failed or are still being checked, every login is
/// refused for the next minute, a right password included.
///
/// The attempt is counted before the password is checked, under one lock, so a burst of
/// concurrent guesses cannot all pass the count before any of them is recorded; and a
/// right password is granted only if the brake did not trip while it was being checked.
pub struct LoginGuard {
    permits: tokio::sync::Semaphore,
    brake: Mutex<Brake>,
}

/// Attempts of the last minute (failed or in flight) and when logins open again.
#[derive(Default)]
struct Brake {
    attempts: Vec<(u64, Timestamp)>,
    next_id: u64,
    closed_until: Option<Timestamp>,
}

impl Default for LoginGuard {
    fn default() -> LoginGuard {
        LoginGuard {
            permits: tokio::sync::Semaphore::new(2),
            brake: Mutex::new(Brake::default()),
        }
    }
}

/// Why a login was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginRefused {
    /// No password is set: there is nothing to log in to.
    NoPassword,
    /// The password is wrong.
    Wrong,
    /// Too many wrong passwords in the last minute.
    TooMany,
}

/// Attempts (failed or being checked) allowed per minute before logins pause.
const MAX_FAILURES_PER_MINUTE: usize = 10;

impl LoginGuard {
    fn brake(&self) -> std::sync::MutexGuard<'_, Brake> {
        self.brake.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts an attempt before its password is checked; refused when the brake is on.
    fn begin(&self) -> Result<u64, LoginRefused> {
        let now = tuiding_app::clock::now();
        let mut brake = self.brake();
        if brake.closed_until.is_some_and(|until| until > now) {
            return Err(LoginRefused::TooMany);
        }
        let cutoff = now - SignedDuration::from_secs(60);
        brake.attempts.retain(|(_, t)| *t > cutoff);
        if brake.attempts.len() >= MAX_FAILURES_PER_MINUTE {
            brake.closed_until = Some(now + SignedDuration::from_secs(60));
            return Err(LoginRefused::TooMany);
        }
        brake.next_id += 1;
        let id = brake.next_id;
        brake.attempts.push((id, now));
        Ok(id)
    }

    /// A right password: the attempt is no failure, and it stands only if the brake did
    /// not trip meanwhile.
    fn succeeded(&self, id: u64) -> Result<(), LoginRefused> {
        let mut brake = self.brake();
        brake.attempts.retain(|(a, _)| *a != id);
        match brake.closed_until {
            Some(until) if until > tuiding_app::clock::now() => Err(LoginRefused::TooMany),
            _ => Ok(()),
        }
    }

    /// Checks a password against the stored hash (off the async threads).
    pub async fn check(&self, hash: Option<String>, password: String) -> Result<(), LoginRefused> {
        let hash = hash.ok_or(LoginRefused::NoPassword)?;
        let attempt = self.begin()?;
        let ok = {
            let _permit = self
                .permits
                .acquire()
                .await
                .map_err(|_| LoginRefused::TooMany)?;
            tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .unwrap_or(false)
        };
        if ok {
            return self.succeeded(attempt);
        }
        // The attempt stays counted as a failure for a minute.
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        Err(LoginRefused::Wrong)
    }
}

/// Whether the browser reached us over HTTPS: through a proxy that says so
/// (`X-Forwarded-Proto: https`, `Forwarded: proto=https`), or because the server was told
/// it sits behind one. Trusting the header is safe here: it can only add `Secure`.
fn over_https(state: &AppState, headers: &HeaderMap) -> bool {
    let says_https = |name: header::HeaderName| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| {
                v.split([',', ';']).map(str::trim).any(|p| {
                    p.eq_ignore_ascii_case("https") || p.eq_ignore_ascii_case("proto=https")
                })
            })
    };
    state.0.behind_https
        || says_https(header::HeaderName::from_static("x-forwarded-proto"))
        || says_https(header::FORWARDED)
}

/// Marks every cookie of a response `Secure` when the request came over HTTPS, so a
/// session cookie is never sent back over plain HTTP.
pub async fn secure_cookies(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let https = over_https(&state, request.headers());
    let mut response = next.run(request).await;
    if https {
        let cookies: Vec<HeaderValue> = match response.headers_mut().entry(header::SET_COOKIE) {
            header::Entry::Occupied(e) => e.remove_entry_mult().1.collect(),
            header::Entry::Vacant(_) => Vec::new(),
        };
        for cookie in cookies {
            let secured = cookie
                .to_str()
                .ok()
                .and_then(|c| HeaderValue::from_str(&format!("{c}; Secure")).ok())
                .unwrap_or(cookie);
            response.headers_mut().append(header::SET_COOKIE, secured);
        }
    }
    response
}

/// 32 random bytes as hex, from the operating system.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, for the whole site.
pub fn set_cookie(name: &str, value: &str, max_age_days: i64) -> HeaderValue {
    let text = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        max_age_days * 86_400
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The CSRF token of this request (its cookie, or a new one the response sets).
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Gives every request a CSRF token and sets the cookie when the browser has none.
pub async fn csrf_cookie(mut request: Request, next: Next) -> Response {
    let existing = cookie(request.headers(), CSRF_COOKIE).filter(|t| t.len() == 64);
    let token = existing.clone().unwrap_or_else(random_token);
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if existing.is_none() {
        response
            .headers_mut()
            .append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &token, 365));
    }
    response
}

/// Compares two secrets in time that depends on their length only, not on where they
/// first differ, so a token cannot be guessed byte by byte from response times.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

/// Checks a form's `csrf` field against the cookie.
pub fn check_form_token(headers: &HeaderMap, submitted: &str) -> Result<(), WebError> {
    match cookie(headers, CSRF_COOKIE) {
        Some(expected) if !submitted.is_empty() && same_secret(&expected, submitted) => Ok(()),
        _ => Err(WebError::new(
            StatusCode::FORBIDDEN,
            "表单已过期或来自其他网站，请刷新页面后重试 / the form expired or came from another site; reload the page and try again",
        )),
    }
}

/// Without a password the app answers only requests addressed to this machine by name
/// (`localhost`, `127.0.0.1`, `[::1]`): a web page whose domain is made to resolve to
/// 127.0.0.1 (DNS rebinding) would otherwise be "same-origin" and could read the ledger.
pub async fn local_host_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.0.password.is_some() {
        return next.run(request).await;
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .unwrap_or("");
    if is_local_host(host) {
        return next.run(request).await;
    }
    WebError::new(
        StatusCode::FORBIDDEN,
        "只接受发往本机（localhost / 127.0.0.1）的请求；要从其他设备访问，先设置密码 / only requests addressed to this machine (localhost, 127.0.0.1) are served; set a password to serve others",
    )
    .json()
}

/// Whether a `Host` names this machine: `localhost` or a loopback address, with any port.
pub fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// When a password is set, every page and API call but the login needs a session.
pub async fn require_login(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.0.password.is_none() {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let open = path == "/login" || path == "/api/v1/login" || path.starts_with("/static/");
    let logged_in =
        cookie(request.headers(), SESSION_COOKIE).is_some_and(|t| state.0.sessions.is_valid(&t));
    if open || logged_in {
        return next.run(request).await;
    }
    if path.starts_with("/api/") || path == "/calendar.ics" {
        return WebError::new(
            StatusCode::UNAUTHORIZED,
            "需要登录：POST /api/v1/login {\"password\": …} / log in first: POST /api/v1/login",
        )
        .json();
    }
    Redirect::to("/login").into_response()
}

/// Security headers on every response.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
    response
}

/// The password file of a data directory.
pub fn password_file(data_dir: &Path) -> PathBuf {
    data_dir.join(PASSWORD_FILE)
}

/// The stored password hash, if one is set.
pub fn read_password(data_dir: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(password_file(data_dir)) {
        Ok(text) if !text.trim().is_empty() => Ok(Some(text.trim().to_string())),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!(
            "{}: {e}",
            password_file(data_dir).display()
        )),
    }
}

/// The argon2id hash (PHC string) of a password, with a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// Whether a password matches a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A file name from a request, reduced to something safe to create inside a directory
/// of ours: its last path component, without control or reserved characters and without
/// leading or trailing dots and spaces, at most [`MAX_NAME_BYTES`] bytes (the extension
/// kept: the vault guesses the media type from it), never a device name (`NUL`, `COM1`);
/// `upload` when nothing is left.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if cleaned.is_empty() {
        return "upload".into();
    }
    let (stem, extension) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 16 => (stem, Some(ext)),
        _ => (cleaned, None),
    };
    let room = MAX_NAME_BYTES - extension.map_or(0, |e| e.len() + 1);
    let mut end = stem.len().min(room);
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    let mut stem = stem[..end]
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    let device = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.as_bytes()[3].is_ascii_digit());
    if reserved || stem.is_empty() {
        stem.insert(0, '_');
    }
    match extension {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem,
    }
}

/// The longest file name written (bytes; file systems allow 255).
pub const MAX_NAME_BYTES: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_names_never_leave_the_directory() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(safe_file_name(".."), "upload");
        assert_eq!(safe_file_name("/"), "upload");
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name("a\u{0}b\nc.png"), "abc.png");
        assert_eq!(safe_file_name("支付宝账单.csv"), "支付宝账单.csv");
        assert_eq!(safe_file_name(". .."), "upload");
        assert_eq!(safe_file_name(". ."), "upload");
        assert_eq!(safe_file_name("report. "), "report");
        assert_eq!(safe_file_name("NUL"), "_NUL");
        assert_eq!(safe_file_name("com1.txt"), "_com1.txt");
        assert_eq!(safe_file_name("console.txt"), "console.txt");
        let long = safe_file_name(&format!("{}.png", "截".repeat(150)));
        assert!(
            long.len() <= MAX_NAME_BYTES && long.ends_with(".png"),
            "{long}"
        );
        assert_eq!(safe_file_name(&"x".repeat(300)).len(), MAX_NAME_BYTES);
    }

    #[test]
    fn only_this_machine_is_a_local_host() {
        for ok in [
            "localhost",
            "localhost:7878",
            "127.0.0.1:7878",
            "127.0.0.2",
            "[::1]:7878",
            "LOCALHOST",
        ] {
            assert!(is_local_host(ok), "{ok}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:7878",
            "localhost.evil.example",
            "192.168.1.5:7878",
            "[fe80::1]:80",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_local_host(bad), "{bad}");
        }
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong", &hash));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; lang=en; b=2"),
        );
        assert_eq!(cookie(&h, "lang").as_deref(), Some("en"));
        assert_eq!(cookie(&h, "c"), None);
    }

    /// The right password checked while the brake trips (ten failures land during its
    /// argon2 check) gets no session.
    #[test]
    fn a_right_password_is_refused_when_the_brake_trips_during_its_check() {
        let guard = LoginGuard::default();
        let right = guard.begin().unwrap();
        for _ in 0..MAX_FAILURES_PER_MINUTE {
            let _ = guard.begin();
        }
        assert_eq!(guard.begin(), Err(LoginRefused::TooMany), "the brake is on");
        assert_eq!(guard.succeeded(right), Err(LoginRefused::TooMany));
        // Without the burst, a right password stands and is no failure.
        let calm = LoginGuard::default();
        let right = calm.begin().unwrap();
        assert_eq!(calm.succeeded(right), Ok(()));
        assert!(calm.brake().attempts.is_empty());
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }

    #[test]
    fn sessions_start_and_end() {
        let s = Sessions::default();
        let t = s.start();
        assert!(s.is_valid(&t));
        assert!(!s.is_valid("nope"));
        s.end(&t);
        assert!(!s.is_valid(&t));
    }
}
