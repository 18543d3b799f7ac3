//! A server of accounts (PostgreSQL): signing in per account, sessions kept in the
//! database, and the wall between accounts measured from outside — every route of the
//! router (walked from `tuiding_web::routes()`, so a new route cannot escape), asked by
//! account A with account B's ids, answers 404 and writes nothing; routes without ids
//! never carry a byte of B's. Needs `TUIDING_TEST_DATABASE_URL` (see `common`).

mod common;

use axum::Router;
use axum::http::{Method, StatusCode, header};
use common::Answer;
use serde_json::{Value, json};
use tuiding_core::Lang;
use tuiding_web::state::AppState;

const PASSWORD: &str = "correct horse battery";
/// A word only B's ledger holds: it must never appear in anything A is sent.
const B_MARK: &str = "乙方专属会员";

struct Server {
    app: Router,
    db: tuiding_app::accounts::Postgres,
    base: tempfile::TempDir,
}

/// Runs synchronous database work (the driver blocks) off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(work).await.unwrap()
}

async fn server() -> Option<Server> {
    let url = common::postgres_url()?;
    let db = blocking(move || tuiding_app::accounts::connect(&url, Lang::En).unwrap()).await;
    let base = tempfile::tempdir().unwrap();
    let app = app_on(&db, base.path());
    Some(Server { app, db, base })
}

/// The router of a server of accounts on `db` (a "restart" makes another on the same).
fn app_on(db: &tuiding_app::accounts::Postgres, base: &std::path::Path) -> Router {
    tuiding_web::router(AppState::for_accounts(
        base.to_path_buf(),
        Some(common::TODAY),
        Lang::Zh,
        db.clone(),
    ))
}

/// A new account with the test password; returns its name.
async fn account(s: &Server, prefix: &str) -> String {
    let (db, name) = (s.db.clone(), common::unique_name(prefix));
    let hash = tuiding_web::security::hash_password(PASSWORD).unwrap();
    let added = name.clone();
    blocking(move || tuiding_app::accounts::add(&db, &added, Some(&hash), Lang::En).unwrap()).await;
    name
}

/// One request as a browser reaching the server by its public name.
async fn send(
    app: &Router,
    cookie: Option<&str>,
    method: Method,
    uri: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    common::send(
        app,
        "tuiding.example.org",
        cookie,
        method,
        uri,
        content_type,
        body,
    )
    .await
}

/// Signs in through the API; the cookie header to send afterwards (with a CSRF cookie
/// that forms repeat as `csrf=t`).
async fn sign_in(app: &Router, name: &str, password: &str) -> Result<String, StatusCode> {
    let body = serde_json::to_vec(&json!({"name": name, "password": password})).unwrap();
    let answer = send(
        app,
        None,
        Method::POST,
        "/api/v1/login",
        Some("application/json"),
        body,
    )
    .await;
    if answer.status != StatusCode::NO_CONTENT {
        return Err(answer.status);
    }
    let session = answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tuiding_session="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    Ok(format!("{session}; tuiding_csrf=t"))
}

async fn get(app: &Router, cookie: &str, uri: &str) -> Answer {
    send(app, Some(cookie), Method::GET, uri, None, vec![]).await
}

async fn post_json(app: &Router, cookie: &str, uri: &str, body: Value) -> Answer {
    let body = serde_json::to_vec(&body).unwrap();
    send(
        app,
        Some(cookie),
        Method::POST,
        uri,
        Some("application/json"),
        body,
    )
    .await
}

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "tuidingtestboundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .into_bytes(),
        );
    }
    if let Some((name, file_name, bytes)) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes());
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// B's ledger: a membership, a case with a piece of evidence, a stream from a bill.
async fn fill_b(app: &Router, cookie: &str) -> Value {
    let added = post_json(
        app,
        cookie,
        "/api/v1/memberships",
        json!({"platform": B_MARK, "plan": "年卡", "period": "month", "price": "30",
               "start": "2026-10-05", "auto_renew": ["wechat_pay"]}),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    let case = post_json(app, cookie, "/api/v1/cases", json!({"membership_id": 1})).await;
    assert!(case.status.is_success(), "{}", case.text());
    let (ct, body) = multipart(
        &[("kind", "communication")],
        Some(("file", "乙的聊天记录.txt", "客服承诺退款".as_bytes())),
    );
    let evidence = send(
        app,
        Some(cookie),
        Method::POST,
        "/api/v1/cases/1/evidence",
        Some(&ct),
        body,
    )
    .await;
    assert!(evidence.status.is_success(), "{}", evidence.text());
    snapshot(app, cookie).await
}

/// Everything an account's API answers about its ledger.
async fn snapshot(app: &Router, cookie: &str) -> Value {
    let mut all = serde_json::Map::new();
    for uri in [
        "/api/v1/memberships",
        "/api/v1/cases",
        "/api/v1/streams",
        "/api/v1/cases/1",
        "/api/v1/cases/1/evidence",
    ] {
        let answer = get(app, cookie, uri).await;
        let value = if answer.status == StatusCode::OK {
            answer.json()
        } else {
            json!(answer.status.as_u16())
        };
        all.insert(uri.to_string(), value);
    }
    Value::Object(all)
}

/// A route's path with B's ids in it.
fn with_b_ids(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{seq}", "1")
        .replace("{step}", "close:wechat_pay")
        .replace("{stream}", "1")
        .replace("{kind}", "refund_request")
        .replace("{code}", "zh")
}

/// A body the route's handler accepts far enough to look its ids up: valid input, so a
/// refusal can only come from the ids.
fn body_for(method: &Method, path: &str) -> (Option<String>, Vec<u8>) {
    let json = |v: Value| {
        (
            Some("application/json".to_string()),
            serde_json::to_vec(&v).unwrap(),
        )
    };
    let form = |text: &str| {
        (
            Some("application/x-www-form-urlencoded".to_string()),
            format!("csrf=t&{text}").into_bytes(),
        )
    };
    match path {
        "/api/v1/memberships/{id}" => return json(json!({"price": "1"})),
        "/api/v1/memberships/{id}/policy" if method == Method::PUT => {
            return json(json!({"text": "会员费不予退还。"}));
        }
        "/api/v1/memberships/{id}/policy" => {
            return json(json!({"fields": {"refund.method": "none"}}));
        }
        "/api/v1/cases/{id}/move" => return json(json!({"to": "closed"})),
        "/memberships/{id}/split" => return form("clear=1"),
        "/memberships/{id}/edit" => {
            return form("platform=X&plan=Y&period=month&price=1&start=2026-01-01");
        }
        "/cases/{id}/move" => return form("to=closed"),
        "/cases/{id}/refund" => return form("what=requested&date=2026-11-20"),
        _ => {}
    }
    if path.contains("/evidence") && !path.ends_with("/accept") && !path.ends_with("/read") {
        let (ct, body) = multipart(
            &[("kind", "communication"), ("csrf", "t")],
            Some(("file", "a.txt", b"hello")),
        );
        return (Some(ct), body);
    }
    if path.starts_with("/api/") {
        return (Some("application/json".into()), b"{}".to_vec());
    }
    (
        Some("application/x-www-form-urlencoded".into()),
        b"csrf=t".to_vec(),
    )
}

#[tokio::test]
async fn every_route_asked_with_another_accounts_ids_answers_404_and_writes_nothing() {
    let Some(s) = server().await else { return };
    let (a, b) = (account(&s, "web-a").await, account(&s, "web-b").await);
    let a_cookie = sign_in(&s.app, &a, PASSWORD).await.unwrap();
    let b_cookie = sign_in(&s.app, &b, PASSWORD).await.unwrap();
    let b_before = fill_b(&s.app, &b_cookie).await;
    let a_before = snapshot(&s.app, &a_cookie).await;
    let routes = tuiding_web::routes();
    assert!(routes.list().len() > 60, "{} routes", routes.list().len());
    let mut walked = 0;
    let mut wrong = Vec::new();
    for route in routes.list() {
        // Signing out ends A's session: walked last, below.
        if route.path == "/logout" {
            continue;
        }
        let uri = with_b_ids(&route.path);
        let (ct, body) = if route.method == Method::GET || route.method == Method::DELETE {
            (None, vec![])
        } else {
            body_for(&route.method, &route.path)
        };
        let answer = send(
            &s.app,
            Some(&a_cookie),
            route.method.clone(),
            &uri,
            ct.as_deref(),
            body,
        )
        .await;
        let names_b = answer.text().contains(B_MARK) || answer.text().contains("乙的聊天记录");
        assert!(!names_b, "{} {uri} sent B's data to A", route.method);
        let has_ids = ["{id}", "{seq}", "{step}", "{stream}"]
            .iter()
            .any(|p| route.path.contains(p));
        if has_ids && answer.status != StatusCode::NOT_FOUND {
            let text = answer.text();
            let start = text.find("role=\"alert\"").unwrap_or(0);
            let said: String = text[start..].chars().take(160).collect();
            wrong.push(format!("{} {uri}: {} {said}", route.method, answer.status));
        }
        walked += 1;
    }
    assert!(wrong.is_empty(), "not 404:\n{}", wrong.join("\n"));
    assert!(walked > 60);
    // Nothing of B changed, and A (who has nothing) still has nothing of B's.
    assert_eq!(snapshot(&s.app, &b_cookie).await, b_before);
    let a_after = get(&s.app, &a_cookie, "/api/v1/memberships").await.json();
    assert!(!a_after.to_string().contains(B_MARK));
    assert_eq!(
        get(&s.app, &a_cookie, "/api/v1/cases").await.json(),
        a_before["/api/v1/cases"]
    );
    let logout = send(
        &s.app,
        Some(&a_cookie),
        Method::POST,
        "/logout",
        Some("application/x-www-form-urlencoded"),
        b"csrf=t".to_vec(),
    )
    .await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&s.app, &a_cookie, "/api/v1/memberships").await.status,
        StatusCode::UNAUTHORIZED
    );
    let _ = &s.base;
}

#[tokio::test]
async fn accounts_sign_in_with_their_own_password_and_sessions_outlive_a_restart() {
    let Some(s) = server().await else { return };
    let a = account(&s, "web-login").await;
    // Nothing without a session, even on a server's own address; /healthz needs none.
    assert_eq!(
        send(
            &s.app,
            None,
            Method::GET,
            "/api/v1/memberships",
            None,
            vec![]
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    let page = send(&s.app, None, Method::GET, "/", None, vec![]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let health = send(&s.app, None, Method::GET, "/healthz", None, vec![]).await;
    assert_eq!(
        (health.status, health.text().as_str()),
        (StatusCode::OK, "ok\n")
    );
    assert!(health.headers.contains_key("x-request-id"));
    // A wrong password and an unknown name are refused alike.
    assert_eq!(
        sign_in(&s.app, &a, "wrong password").await,
        Err(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        sign_in(&s.app, "nobody-by-this-name", PASSWORD).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    let cookie = sign_in(&s.app, &a, PASSWORD).await.unwrap();
    assert_eq!(
        get(&s.app, &cookie, "/api/v1/memberships").await.json(),
        json!([])
    );
    // Another process (or this one restarted) knows the session.
    let restarted = app_on(&s.db, s.base.path());
    assert_eq!(
        get(&restarted, &cookie, "/api/v1/memberships").await.status,
        StatusCode::OK
    );
    // A new password signs every session out.
    let hash = tuiding_web::security::hash_password("a new long password").unwrap();
    let (db, name) = (s.db.clone(), a.clone());
    blocking(move || tuiding_app::accounts::set_password(&db, &name, &hash, Lang::En).unwrap())
        .await;
    assert_eq!(
        get(&restarted, &cookie, "/api/v1/memberships").await.status,
        StatusCode::UNAUTHORIZED
    );
    // And removing the account ends what is left.
    let cookie = sign_in(&s.app, &a, "a new long password").await.unwrap();
    let (db, name, base) = (s.db.clone(), a.clone(), s.base.path().to_path_buf());
    blocking(move || tuiding_app::accounts::remove(&db, &name, &base, Lang::En).unwrap()).await;
    assert_eq!(
        get(&s.app, &cookie, "/api/v1/memberships").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn each_account_sees_its_own_overview_and_figures() {
    let Some(s) = server().await else { return };
    let (a, b) = (
        account(&s, "web-own-a").await,
        account(&s, "web-own-b").await,
    );
    let a_cookie = sign_in(&s.app, &a, PASSWORD).await.unwrap();
    let b_cookie = sign_in(&s.app, &b, PASSWORD).await.unwrap();
    fill_b(&s.app, &b_cookie).await;
    // The overview is kept per data version: A's (empty) must never be answered with B's.
    for _ in 0..2 {
        for (cookie, has_b) in [(&b_cookie, true), (&a_cookie, false)] {
            let page = get(&s.app, cookie, "/").await;
            assert_eq!(page.status, StatusCode::OK);
            assert_eq!(page.text().contains(B_MARK), has_b);
            let summary = get(&s.app, cookie, "/api/v1/summary").await;
            assert_eq!(summary.text().contains("30"), has_b, "{}", summary.text());
            let calendar = get(&s.app, cookie, "/calendar.ics").await;
            assert_eq!(calendar.text().contains(B_MARK), has_b);
        }
    }
}
