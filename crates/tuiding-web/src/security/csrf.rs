//! The CSRF token of every form: a cookie the browser keeps and a field the form repeats,
//! compared in constant time.

use super::{cookie, random_token, set_cookie};
use crate::error::WebError;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The CSRF cookie; forms repeat its value in the `csrf` field.
pub const CSRF_COOKIE: &str = "tuiding_csrf";

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
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
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
