//! Shared by the API and browser tests: a data directory and the app's router on it.
#![allow(dead_code)]

pub mod browser;

use std::path::{Path, PathBuf};

use jiff::civil::{Date, date};
use tuiding_app::context::Ctx;
use tuiding_core::Lang;
use tuiding_web::state::AppState;

/// An answer of the router, read whole.
pub struct Answer {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The body as JSON (a panic naming the body when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.bytes)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).to_string()
    }

    /// A 4xx with the JSON error shape.
    pub fn assert_error(
        &self,
        status: axum::http::StatusCode,
        field: Option<&str>,
    ) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.text());
        let v = self.json();
        assert_eq!(v["error"]["status"], status.as_u16());
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{v}"
        );
        if let Some(field) = field {
            assert_eq!(v["error"]["field"], field, "{v}");
        }
        v
    }
}

/// Sends one request to the router as a browser at `host` would (English preferred).
pub async fn send(
    app: &axum::Router,
    host: &str,
    cookie: Option<&str>,
    method: axum::http::Method,
    uri: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    use axum::http::header;
    use tower::ServiceExt;
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, host)
        .header(header::ACCEPT_LANGUAGE, "en");
    if let Some(ct) = content_type {
        request = request.header(header::CONTENT_TYPE, ct);
    }
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app
        .clone()
        .oneshot(request.body(axum::body::Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        bytes,
    }
}

/// The fixed "today" of every web test.
pub const TODAY: Date = date(2026, 11, 26);

/// A test file.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// A fresh data directory inside `root`; with `demo`, filled by `tuiding demo`.
pub fn data_dir(root: &Path, demo: bool) -> PathBuf {
    let dir = root.join("data");
    if demo {
        let ctx = Ctx::for_service(Lang::Zh, TODAY, dir.clone());
        tuiding_app::demo::demo(&ctx).expect("demo data");
    } else {
        std::fs::create_dir_all(&dir).unwrap();
    }
    dir
}

#[allow(unused_imports)] // each test binary uses its own subset
pub use tuiding_app::accounts::testing::{database_url as postgres_url, unique as unique_name};

/// The app's state on a data directory, with an optional password.
pub fn state(dir: &Path, password: Option<&str>) -> AppState {
    let hash = password.map(|p| tuiding_web::security::hash_password(p).unwrap());
    AppState::new(dir.to_path_buf(), Some(TODAY), Lang::Zh, hash)
}

/// The article's case in a data directory: 卡盟 ¥198/年 from 2026-05-10, Alipay still able to
/// charge, 5 of 12 ¥10 vouchers used. Returns a context on it.
pub fn add_kameng(dir: &Path, closed_in_app: bool) -> Ctx {
    let ctx = Ctx::for_service(Lang::Zh, TODAY, dir.to_path_buf());
    let mut auto_renew = vec!["alipay".to_string()];
    if closed_in_app {
        auto_renew.push("in_app:closed:2026-11-20".into());
    }
    let fields = tuiding_app::memberships::input::MembershipInput {
        platform: Some("星辰卡盟".into()),
        plan: Some("年费会员".into()),
        period: Some("year".into()),
        price: Some("198".into()),
        start: Some("2026-05-10".into()),
        auto_renew,
        benefits: vec!["兑换券:12:10:5".into()],
        ..Default::default()
    };
    tuiding_app::memberships::add::add(&ctx, fields, None).expect("the membership is added");
    ctx
}

/// A drawn phone screenshot of `crates/tuiding-ocr/tests/fixtures`.
pub fn screenshot(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tuiding-ocr/tests/fixtures")
        .join(name)
}

#[allow(unused_imports)] // each test binary uses its own subset
pub use tuiding_app::evidence::testing::tesseract_here;
