//! The HTML pages without a browser: forms keep what the user did not touch, problems are
//! shown beside their fields, every page answers for a fresh and a demo ledger.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    form: Option<&str>,
) -> (StatusCode, String, Option<String>) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::COOKIE, format!("tuiding_csrf={TOKEN}; lang=zh"));
    if form.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let body = Body::from(form.unwrap_or("").to_string());
    let response = app
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap(), location)
}

#[tokio::test]
async fn every_page_answers_on_a_demo_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let app = tuiding_web::router(common::state(&dir, None));
    for path in [
        "/",
        "/memberships",
        "/memberships/new",
        "/memberships/1",
        "/memberships/1/edit",
        "/import",
        "/terms",
        "/cases",
        "/login",
    ] {
        let (status, page, _) = send(&app, Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(page.starts_with("<!DOCTYPE html>"), "{path}");
    }
    let (status, page, _) = send(&app, Method::GET, "/memberships/999", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("没有编号为 999 的会员"), "{page}");
    let (status, _, _) = send(&app, Method::GET, "/cases/999", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_edit_form_keeps_a_period_of_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), false);
    let app = tuiding_web::router(common::state(&dir, None));
    let form = format!(
        "csrf={TOKEN}&platform=Gym&billing=30d&price=99&start=2026-11-01&auto_renew=bank_card"
    );
    let (status, _, location) = send(&app, Method::POST, "/memberships", Some(&form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/memberships/1?done=added"));
    let (_, page, _) = send(&app, Method::GET, "/memberships/1/edit", None).await;
    assert!(page.contains(r#"<option value="30d" selected>"#), "{page}");
    // Saving the form unchanged keeps the period and the price.
    let form = format!(
        "csrf={TOKEN}&platform=Gym&billing=30d&price=99.00&currency=CNY&start=2026-11-01&notes=a%0D%0Ab&revision=1"
    );
    let (status, _, _) = send(&app, Method::POST, "/memberships/1/edit", Some(&form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = send(&app, Method::GET, "/memberships/1", None).await;
    assert!(page.contains("¥99.00/30天"), "{page}");
    let (_, page, _) = send(&app, Method::GET, "/memberships/1/edit", None).await;
    assert!(
        page.contains(">a\nb</textarea>"),
        "a textarea's CRLF is stored as LF: {page}"
    );
    // Saving a form made from an old revision is refused.
    let form = format!("csrf={TOKEN}&platform=Gym&billing=30d&price=1&start=2026-11-01&revision=1");
    let (status, page, _) = send(&app, Method::POST, "/memberships/1/edit", Some(&form)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("被修改过"), "{page}");
}

#[tokio::test]
async fn problems_are_shown_beside_their_fields_and_nothing_is_added() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), false);
    let app = tuiding_web::router(common::state(&dir, None));
    let form = format!("csrf={TOKEN}&platform=&billing=month&price=abc&start=2026-02-30");
    let (status, page, _) = send(&app, Method::POST, "/memberships", Some(&form)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for field in ["platform", "price", "start"] {
        assert!(
            page.contains(&format!("id=\"{field}-problem\"")),
            "{field}: {page}"
        );
        assert!(
            page.contains(&format!("id=\"{field}\" name=\"{field}\"")),
            "{field}"
        );
    }
    assert!(
        page.contains(r#"value="abc""#),
        "what was typed stays in the form"
    );
    let (_, page, _) = send(&app, Method::GET, "/memberships", None).await;
    assert!(page.contains("还没有会员"));
    // A form without the token is refused, whatever it holds.
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/memberships",
        Some("platform=X&billing=month&price=5"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, page, _) = send(&app, Method::GET, "/memberships", None).await;
    assert!(page.contains("还没有会员"));
}
