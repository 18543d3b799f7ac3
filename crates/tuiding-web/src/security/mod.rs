//! Safety of the server, in three parts: [`authentication`] (the argon2 password hash in
//! the data directory, the brake on guessing, the login gate), [`sessions`] (the session
//! cookies) and [`csrf`] (the token of every form, compared in constant time). This
//! module holds what they share: cookies, the loopback gate, HTTPS detection, response
//! headers and safe file names.
//!
//! Cross-site requests are refused before any handler runs (`tower_http::csrf`: the
//! `Sec-Fetch-Site` and `Origin` headers); on top of that every HTML form carries a token
//! that must equal the `tuiding_csrf` cookie (SameSite=Strict), so a forged form post fails
//! twice. Cookies are HttpOnly and SameSite=Strict; uploads are bounded; no name from a
//! request becomes a path without [`safe_file_name`].

pub mod authentication;
pub mod csrf;
pub mod sessions;

pub use authentication::{
    LoginGuard, LoginRefused, PASSWORD_FILE, hash_password, password_file, read_password,
    require_login, verify_password,
};
pub use csrf::{CSRF_COOKIE, CsrfToken, check_form_token, csrf_cookie};
pub use sessions::{SESSION_COOKIE, Sessions, Signed};

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

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

/// Without a password the app answers only requests addressed to this machine by name
/// (`localhost`, `127.0.0.1`, `[::1]`): a web page whose domain is made to resolve to
/// 127.0.0.1 (DNS rebinding) would otherwise be "same-origin" and could read the ledger.
pub async fn local_host_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if state.login_required() {
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
    use super::csrf::same_secret;
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
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }

    #[tokio::test]
    async fn sessions_start_and_end() {
        let s = Sessions::default();
        let t = s.start(None).await.unwrap();
        assert_eq!(s.who(&t).await, Some(sessions::Signed::In));
        assert_eq!(s.who("nope").await, None);
        s.end(&t).await;
        assert_eq!(s.who(&t).await, None);
    }
}
