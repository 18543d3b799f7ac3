//! Reads never write: every page and API read, served with a future `--today` on a
//! ledger with a refund long past its promised day, leaves the database byte for byte as
//! it was. Recording that a refund became overdue is the job of an explicit tick
//! (`tuiding due`, `tuiding remind`, the server's timer), never of a page view.

mod common;
// The same database dump as the CLI's tests use.
#[path = "../../tuiding/tests/common/dump.rs"]
mod dump_rows;
use dump_rows::dump;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use jiff::civil::date;
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

async fn send(app: &Router, method: Method, uri: &str, json: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::COOKIE, format!("tuiding_csrf={TOKEN}; lang=zh"))
        .header("x-csrf-token", TOKEN);
    if json.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = Body::from(json.unwrap_or("").to_string());
    let response = app
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn page_views_and_api_reads_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    // Today (2026-11-26): a case whose refund is promised by 2026-12-05.
    let now = tuiding_web::router(common::state(&dir, None));
    let (status, body) = send(
        &now,
        Method::POST,
        "/api/v1/cases",
        Some(r#"{"membership_id": 1}"#),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = send(
        &now,
        Method::POST,
        "/api/v1/cases/1/steps/close:wechat_pay",
        None,
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = send(
        &now,
        Method::POST,
        "/api/v1/cases/1/refund",
        Some(r#"{"promised": "25", "by": "2026-12-05"}"#),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let before = dump(&dir);
    assert!(before.contains("refund_promised"), "{before}");

    // Months later, someone only looks.
    let later = tuiding_web::router(tuiding_web::state::AppState::new(
        dir.clone(),
        Some(date(2027, 3, 1)),
        tuiding_core::Lang::En,
        None,
    ));
    let reads = [
        "/",
        "/memberships",
        "/memberships/new",
        "/memberships/1",
        "/memberships/1/edit",
        "/memberships/1/policy",
        "/import",
        "/terms",
        "/cases",
        "/cases/1",
        "/cases/1?verify=full",
        "/cases/1?evidence=all",
        "/memberships?page=2",
        "/cases/1/dossier.zip",
        "/memberships?q=%E8%A7%86%E9%A2%91&sort=last_safe&channel=wechat_pay",
        "/household",
        "/data",
        "/manifest.webmanifest",
        "/calendar.ics",
        "/api/v1/openapi.json",
        "/api/v1/memberships",
        "/api/v1/memberships/1",
        "/api/v1/memberships/1/check",
        "/api/v1/memberships/1/check?intent=leaving",
        "/api/v1/summary",
        "/api/v1/renewals",
        "/api/v1/due",
        "/api/v1/reminders",
        "/api/v1/streams",
        "/api/v1/cases",
        "/api/v1/cases/1",
        "/api/v1/cases/1/messages/refund_request",
        "/api/v1/cases/1/dossier",
        "/api/v1/vault/verify",
    ];
    let mut overdue_seen = false;
    for uri in reads {
        let (status, body) = send(&later, Method::GET, uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        overdue_seen |= uri == "/api/v1/due" && body.contains("refund_overdue");
        let after = dump(&dir);
        let changed: Vec<&str> = after.lines().filter(|l| !before.contains(l)).collect();
        assert!(
            after == before,
            "GET {uri} wrote to the ledger: {changed:?}"
        );
    }
    // The read still tells the truth: the refund is overdue, computed, not stored.
    assert!(overdue_seen, "the due list shows the overdue refund");
    let (_, case) = send(&later, Method::GET, "/api/v1/cases/1", None).await;
    assert!(case.contains("\"overdue\""), "{case}");
}
