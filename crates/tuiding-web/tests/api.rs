//! The JSON API: every endpoint, good and bad input. Bad input answers 4xx with a JSON
//! error naming the field, and writes nothing (the ledger, the bills and the vault are
//! compared before and after).
//!
//! The tests of the ledger's operations run twice: on a SQLite data dir (`sqlite::…`) and
//! as a signed-in account of a PostgreSQL server of accounts (`postgres::…`, with
//! `TUIDING_TEST_DATABASE_URL`; the demo data migrated into the account). The tests of the
//! single-user login (loopback, the password, its brake) run on SQLite only.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;

tokio::task_local! {
    /// Set by the `postgres::…` tests: `Api::new` makes a server of accounts.
    static ON_POSTGRES: bool;
}

/// Runs each named test on SQLite and as an account on PostgreSQL.
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    if super::common::postgres_url().is_some() {
                        super::ON_POSTGRES.scope(true, super::$test()).await;
                    }
                }
            )*
        }
    };
}

on_both_backends!(
    memberships_are_listed_added_changed_and_removed,
    bad_membership_input_is_refused_field_by_field_and_writes_nothing,
    overview_endpoints_answer_as_the_cli_does,
    terms_are_read_and_attached_as_a_policy,
    bills_are_imported_once_and_streams_adopted_or_dismissed,
    cases_move_through_steps_evidence_and_the_dossier,
    the_openapi_document_describes_every_route,
    out_of_range_values_are_refused_and_nothing_is_stored,
    stale_edits_and_stale_stream_numbers_are_refused,
    a_refund_is_requested_promised_and_received,
    a_policy_without_toml_the_decision_and_the_messages,
    an_edit_with_an_unknown_key_is_refused,
    a_screenshot_is_read_after_its_upload_answers_and_its_promise_can_be_taken,
);

use common::Answer;

struct Api {
    app: Router,
    dir: std::path::PathBuf,
    _tmp: tempfile::TempDir,
    cookie: Option<String>,
}

impl Api {
    fn new(demo: bool) -> Api {
        Api::with_password(demo, None)
    }

    fn with_password(demo: bool, password: Option<&str>) -> Api {
        let tmp = tempfile::tempdir().unwrap();
        let dir = common::data_dir(tmp.path(), demo);
        if password.is_none() && ON_POSTGRES.try_with(|on| *on).unwrap_or(false) {
            return Api::on_account(tmp, dir, demo);
        }
        let app = tuiding_web::router(common::state(&dir, password));
        Api {
            app,
            dir,
            _tmp: tmp,
            cookie: None,
        }
    }

    /// The same ledger as an account of a server of accounts: the data dir migrated into a
    /// new account (the demo's, or an empty one), and a session of it.
    fn on_account(tmp: tempfile::TempDir, source: std::path::PathBuf, demo: bool) -> Api {
        let url = common::postgres_url().expect("run only with a test database");
        let base = tmp.path().join("server");
        let server = base.clone();
        // The database driver blocks: on a thread of its own, outside the test's runtime.
        let (db, account, token) = std::thread::spawn(move || {
            let lang = tuiding_core::Lang::Zh;
            let db = tuiding_app::accounts::connect(&url, lang).unwrap();
            let name = common::unique_name("api");
            let account = tuiding_app::accounts::add(&db, &name, None, lang).unwrap();
            if demo {
                let ctx = tuiding_app::context::Ctx::for_service(lang, common::TODAY, source);
                tuiding_app::accounts::migrate(&ctx, &db, &name, &server).unwrap();
            }
            let token = tuiding_web::security::random_token();
            let digest = tuiding_web::security::sessions::digest(&token);
            let expires = tuiding_app::clock::now() + jiff::SignedDuration::from_hours(1);
            db.start_session(account.id, &digest, expires).unwrap();
            (db, account.id, token)
        })
        .join()
        .unwrap();
        let state = tuiding_web::state::AppState::for_accounts(
            base.clone(),
            Some(common::TODAY),
            tuiding_core::Lang::Zh,
            db,
        );
        Api {
            app: tuiding_web::router(state),
            dir: tuiding_app::context::account_dir(&base, account),
            _tmp: tmp,
            cookie: Some(format!("tuiding_session={token}")),
        }
    }

    async fn send(
        &self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Answer {
        common::send(
            &self.app,
            "127.0.0.1:7878",
            self.cookie.as_deref(),
            method,
            uri,
            content_type,
            body,
        )
        .await
    }

    async fn get(&self, uri: &str) -> Answer {
        self.send(Method::GET, uri, None, vec![]).await
    }

    async fn json(&self, method: Method, uri: &str, body: Value) -> Answer {
        self.send(
            method,
            uri,
            Some("application/json"),
            serde_json::to_vec(&body).unwrap(),
        )
        .await
    }

    async fn multipart(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Answer {
        let boundary = "tuidingtestboundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes());
        }
        for (name, file_name, bytes) in files {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes());
            body.extend(bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").into_bytes());
        self.send(
            Method::POST,
            uri,
            Some(&format!("multipart/form-data; boundary={boundary}")),
            body,
        )
        .await
    }

    /// Everything stored, to show a refused request wrote nothing.
    async fn stored(&self) -> (Value, Value, Value, Vec<u8>) {
        let journal = std::fs::read(self.dir.join("vault/journal.jsonl")).unwrap_or_default();
        (
            self.get("/api/v1/memberships").await.json(),
            self.get("/api/v1/cases").await.json(),
            self.get("/api/v1/streams").await.json(),
            journal,
        )
    }
}

async fn memberships_are_listed_added_changed_and_removed() {
    let api = Api::new(true);
    let list = api.get("/api/v1/memberships").await;
    assert_eq!(list.status, StatusCode::OK);
    let n = list.json().as_array().unwrap().len();
    assert_eq!(n, 11);

    let added = api
        .json(Method::POST, "/api/v1/memberships", json!({"platform": "网易云音乐", "plan": "黑胶VIP", "period": "month", "price": "15", "start": "2026-11-01", "auto_renew": ["alipay"], "category": "音乐"}))
        .await;
    assert_eq!(
        added.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&added.bytes)
    );
    let m = added.json();
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["price"], "15.00");
    assert_eq!(m["next_renewal"], "2026-12-01");

    let one = api.get(&format!("/api/v1/memberships/{id}")).await;
    assert_eq!(one.json()["platform"], "网易云音乐");

    let changed = api
        .json(
            Method::PATCH,
            &format!("/api/v1/memberships/{id}"),
            json!({"price": "18", "price_source": "notice", "price_on": "2026-11-20"}),
        )
        .await;
    assert_eq!(
        changed.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&changed.bytes)
    );
    let c = changed.json();
    assert_eq!(c["price"], "18.00");
    assert_eq!(c["price_history"][0]["source"], "notice");

    let check = api
        .get(&format!("/api/v1/memberships/{id}/check"))
        .await
        .json();
    assert_eq!(check["id"], id);
    assert!(check["advice"]["action"].is_string());
    let check_on = api
        .get(&format!("/api/v1/memberships/{id}/check?on=2026-11-10"))
        .await
        .json();
    assert_eq!(check_on["on"], "2026-11-10");

    let removed = api
        .send(
            Method::DELETE,
            &format!("/api/v1/memberships/{id}"),
            None,
            vec![],
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    api.send(
        Method::DELETE,
        &format!("/api/v1/memberships/{id}"),
        None,
        vec![],
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, None);
    assert_eq!(
        api.get("/api/v1/memberships")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        n
    );
}

async fn bad_membership_input_is_refused_field_by_field_and_writes_nothing() {
    let api = Api::new(true);
    let before = api.stored().await;

    // Two bad fields: both are named.
    let bad = api
        .json(
            Method::POST,
            "/api/v1/memberships",
            json!({"platform": "X", "period": "month", "price": "abc", "start": "2026-13-40"}),
        )
        .await;
    let v = bad.assert_error(StatusCode::BAD_REQUEST, Some("price"));
    let fields: Vec<&str> = v["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["price", "start"], "{v}");

    // Missing platform and billing.
    let v = api
        .json(Method::POST, "/api/v1/memberships", json!({"price": "5"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("platform"));
    assert!(
        v["error"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["field"] == "period")
    );
    // An unknown field, malformed JSON, the wrong content type.
    assert!(
        api.json(
            Method::POST,
            "/api/v1/memberships",
            json!({"platfrom": "X"})
        )
        .await
        .status
        .is_client_error()
    );
    api.send(
        Method::POST,
        "/api/v1/memberships",
        Some("application/json"),
        b"{not json".to_vec(),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("body"));
    api.send(
        Method::POST,
        "/api/v1/memberships",
        Some("text/plain"),
        b"platform=X".to_vec(),
    )
    .await
    .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("body"));
    // Edits: a bad price, an unknown channel to close, a bad price source, no such id.
    api.json(
        Method::PATCH,
        "/api/v1/memberships/1",
        json!({"price": "-3"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("price"));
    assert!(
        api.json(
            Method::PATCH,
            "/api/v1/memberships/1",
            json!({"close": ["pigeon_post"]})
        )
        .await
        .status
        .is_client_error()
    );
    api.json(
        Method::PATCH,
        "/api/v1/memberships/1",
        json!({"price": "30", "price_source": "rumour"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("price_source"));
    api.json(
        Method::PATCH,
        "/api/v1/memberships/999",
        json!({"price": "30"}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, None);
    // Bad ids and queries.
    api.get("/api/v1/memberships/999")
        .await
        .assert_error(StatusCode::NOT_FOUND, None);
    api.get("/api/v1/memberships/abc")
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("path"));
    api.get("/api/v1/memberships/1/check?on=tomorrow")
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("on"));
    api.get("/api/v1/renewals?within=forever")
        .await
        .assert_error(StatusCode::BAD_REQUEST, None);
    api.get("/api/v1/no-such-thing")
        .await
        .assert_error(StatusCode::NOT_FOUND, None);

    assert_eq!(
        api.stored().await,
        before,
        "a refused request changed something"
    );
}

async fn overview_endpoints_answer_as_the_cli_does() {
    let api = Api::new(true);
    let s = api.get("/api/v1/summary").await.json();
    assert_eq!(s["memberships"], 11);
    assert_eq!(s["today"], "2026-11-26");
    let r = api.get("/api/v1/renewals?within=7d").await.json();
    assert_eq!(r["until"], "2026-12-03");
    assert!(
        r["renewals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["date"].as_str().unwrap() <= "2026-12-03")
    );
    let due = api.get("/api/v1/due").await.json();
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "last_safe_cancel_day"),
        "{due}"
    );
    let due_far = api.get("/api/v1/due?days=60").await.json();
    assert!(due_far.as_array().unwrap().len() >= due.as_array().unwrap().len());
    api.get("/api/v1/due?days=soon")
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("query"));
    let reminders = api.get("/api/v1/reminders").await.json();
    // The demo's iQIYI membership: last safe day 2026-11-28, within its 7-day lead.
    assert!(
        reminders
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["key_day"] == "2026-11-28" && r["lead_days"] == 7),
        "{reminders}"
    );

    let ics = api.get("/calendar.ics").await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = String::from_utf8(ics.bytes).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR"));
    assert!(text.contains("UID:last-safe-1-20261130@tuiding"), "{text}");
}

async fn terms_are_read_and_attached_as_a_policy() {
    let api = Api::new(true);
    let text = "本服务为连续包月，每月25元，到期前24小时自动扣费。我们将在续费前5日通过短信提醒您。会员服务一经开通，不支持退款。";
    let r = api
        .json(Method::POST, "/api/v1/terms/read", json!({"text": text}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["fields"]["renewal_cycle"][0]["value"], "month");
    assert_eq!(v["fields"]["refund_method"][0]["value"], "none");

    let before = api.stored().await;
    api.json(Method::POST, "/api/v1/terms/read", json!({"text": "  "}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("text"));
    api.json(
        Method::PUT,
        "/api/v1/memberships/1/policy",
        json!({"text": ""}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("text"));
    api.json(
        Method::PUT,
        "/api/v1/memberships/999/policy",
        json!({"text": text}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, None);
    assert!(
        api.json(
            Method::PUT,
            "/api/v1/memberships/1/policy",
            json!({"txt": text})
        )
        .await
        .status
        .is_client_error()
    );
    assert_eq!(api.stored().await, before);

    let attached = api
        .json(
            Method::PUT,
            "/api/v1/memberships/1/policy",
            json!({"text": text, "name": "../../iqiyi.txt"}),
        )
        .await;
    assert_eq!(
        attached.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&attached.bytes)
    );
    let a = attached.json();
    assert_eq!(a["origin"], "terms:iqiyi.txt");
    assert!(a["policy_toml"].as_str().unwrap().contains("[refund]"));
}

async fn bills_are_imported_once_and_streams_adopted_or_dismissed() {
    let api = Api::new(false);
    let csv = std::fs::read(common::data("alipay-small.csv")).unwrap();

    // Refused uploads write nothing: no file, a malformed export, nothing multipart.
    let before = api.stored().await;
    api.multipart("/api/v1/imports", &[], &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("files"));
    let malformed = std::fs::read(common::data("alipay-malformed.csv")).unwrap();
    let bad = api
        .multipart(
            "/api/v1/imports",
            &[],
            &[
                ("files", "alipay.csv", csv.clone()),
                ("files", "bad.csv", malformed),
            ],
        )
        .await;
    assert!(
        bad.status.is_client_error(),
        "{}",
        String::from_utf8_lossy(&bad.bytes)
    );
    // Issue 14: a file that matches no layout is named as the user named it, never by the
    // server's temporary path, and no doc the user cannot open is cited.
    let garbage = api
        .multipart(
            "/api/v1/imports",
            &[],
            &[("files", "我的账单.txt", b"hello\nworld\n".to_vec())],
        )
        .await;
    let message = garbage.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.starts_with("我的账单.txt"), "{message}");
    assert!(
        !message.contains("/tmp") && !message.contains("docs/"),
        "{message}"
    );
    api.json(Method::POST, "/api/v1/imports", json!({}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("body"));
    assert_eq!(api.stored().await, before);

    let first = api
        .multipart(
            "/api/v1/imports",
            &[],
            &[("files", "支付宝账单.csv", csv.clone())],
        )
        .await;
    assert_eq!(
        first.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&first.bytes)
    );
    let f = first.json();
    assert_eq!(f[0]["file"], "支付宝账单.csv");
    assert_eq!(f[0]["read"], 276);
    assert_eq!(f[0]["added"], 276);
    let again = api
        .multipart("/api/v1/imports", &[], &[("files", "again.csv", csv)])
        .await
        .json();
    assert_eq!(again[0]["added"], 0);

    let streams = api.get("/api/v1/streams").await.json();
    let list = streams["streams"].as_array().unwrap();
    let iqiyi = list.iter().find(|s| s["merchant"] == "爱奇艺").unwrap();
    let n = iqiyi["number"].as_u64().unwrap();
    api.json(Method::POST, "/api/v1/streams/99/adopt", json!({}))
        .await
        .assert_error(StatusCode::NOT_FOUND, None);
    api.send(
        Method::POST,
        &format!("/api/v1/streams/{n}/adopt"),
        Some("application/json"),
        b"{\"categ\": 1}".to_vec(),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("body"));
    let adopted = api
        .json(
            Method::POST,
            &format!("/api/v1/streams/{n}/adopt"),
            json!({"category": "视频"}),
        )
        .await;
    assert_eq!(
        adopted.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&adopted.bytes)
    );
    assert_eq!(adopted.json()["platform"], "爱奇艺");
    assert_eq!(adopted.json()["category"], "视频");
    api.send(
        Method::POST,
        &format!("/api/v1/streams/{n}/adopt"),
        None,
        vec![],
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, None);

    let rent = list.iter().find(|s| s["merchant"] == "张**").unwrap()["number"]
        .as_u64()
        .unwrap();
    let dismissed = api
        .send(
            Method::POST,
            &format!("/api/v1/streams/{rent}/dismiss"),
            None,
            vec![],
        )
        .await;
    assert_eq!(dismissed.status, StatusCode::OK);
    let after = api.get("/api/v1/streams").await.json();
    assert!(
        after["streams"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["merchant"] != "张**")
    );
}

async fn cases_move_through_steps_evidence_and_the_dossier() {
    let api = Api::new(true);
    let before = api.stored().await;
    api.json(Method::POST, "/api/v1/cases", json!({"membership_id": 999}))
        .await
        .assert_error(StatusCode::NOT_FOUND, None);
    assert!(
        api.json(Method::POST, "/api/v1/cases", json!({"membership": 1}))
            .await
            .status
            .is_client_error()
    );
    api.get("/api/v1/cases/5")
        .await
        .assert_error(StatusCode::NOT_FOUND, None);
    assert_eq!(api.stored().await, before);

    let opened = api
        .json(Method::POST, "/api/v1/cases", json!({"membership_id": 1}))
        .await;
    assert_eq!(
        opened.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&opened.bytes)
    );
    let case = opened.json();
    let id = case["id"].as_i64().unwrap();
    assert_eq!(case["state"], "opened");
    assert_eq!(api.get("/api/v1/cases").await.json()[0]["id"], id);

    let before = api.stored().await;
    api.send(
        Method::POST,
        &format!("/api/v1/cases/{id}/steps/fly_to_the_moon"),
        None,
        vec![],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("step"));
    api.json(
        Method::POST,
        &format!("/api/v1/cases/{id}/move"),
        json!({"to": "sideways"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("to"));
    api.json(
        Method::POST,
        &format!("/api/v1/cases/{id}/move"),
        json!({"to": "resolved"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, None);
    let png = b"\x89PNG\r\n\x1a\n fake screenshot".to_vec();
    api.multipart(
        &format!("/api/v1/cases/{id}/evidence"),
        &[("kind", "operation")],
        &[],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("files"));
    api.multipart(
        &format!("/api/v1/cases/{id}/evidence"),
        &[("kind", "gossip")],
        &[("files", "a.png", png.clone())],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("kind"));
    api.multipart(
        &format!("/api/v1/cases/{id}/evidence"),
        &[("kind", "operation"), ("step", "nope")],
        &[("files", "a.png", png.clone())],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("step"));
    api.multipart(
        "/api/v1/cases/77/evidence",
        &[("kind", "operation")],
        &[("files", "a.png", png.clone())],
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, None);
    assert_eq!(api.stored().await, before);

    let stepped = api
        .json(
            Method::POST,
            &format!("/api/v1/cases/{id}/steps/check_rules"),
            json!({"note": "read the terms"}),
        )
        .await;
    assert_eq!(
        stepped.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&stepped.bytes)
    );
    assert_eq!(stepped.json()["state"], "rules_checked");
    let stored = api
        .multipart(
            &format!("/api/v1/cases/{id}/evidence"),
            &[
                ("kind", "operation"),
                ("step", "close:wechat_pay"),
                ("note", "关闭自动续费"),
            ],
            &[
                ("files", "../../关闭前.png", png.clone()),
                ("files", "关闭后.png", b"after".to_vec()),
            ],
        )
        .await;
    assert_eq!(
        stored.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&stored.bytes)
    );
    let entries = stored.json();
    assert_eq!(entries[0]["name"], "关闭前.png");
    assert_eq!(entries[1]["name"], "关闭后.png");
    assert_eq!(entries[0]["step"], "close:wechat_pay");

    let verify = api.get("/api/v1/vault/verify").await.json();
    assert_eq!(verify["ok"], true, "{verify}");
    assert_eq!(verify["entries"], 2);

    let zip = api.get(&format!("/api/v1/cases/{id}/dossier")).await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.headers[header::CONTENT_TYPE], "application/zip");
    let path = api.dir.join("dossier.zip");
    std::fs::write(&path, &zip.bytes).unwrap();
    let (manifest, problems) = tuiding_app::dossier::verify(&path).expect("the dossier reads");
    assert!(problems.is_empty(), "{problems:?}");
    assert!(
        manifest
            .files
            .iter()
            .any(|f| f.path.ends_with("关闭前.png"))
    );
    assert!(manifest.files.iter().any(|f| f.path == "complaint.txt"));
    api.get("/api/v1/cases/77/dossier")
        .await
        .assert_error(StatusCode::NOT_FOUND, None);
    api.get(&format!("/api/v1/cases/{id}/dossier?mask=no"))
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("query"));

    let moved = api
        .json(
            Method::POST,
            &format!("/api/v1/cases/{id}/move"),
            json!({"to": "closed", "note": "gave up"}),
        )
        .await;
    assert_eq!(
        moved.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&moved.bytes)
    );
    assert_eq!(moved.json()["state"], "closed");
}

async fn the_openapi_document_describes_every_route() {
    let api = Api::new(false);
    let doc = api.get("/api/v1/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/memberships", "get"),
        ("/api/v1/memberships", "post"),
        ("/api/v1/memberships/{id}", "get"),
        ("/api/v1/memberships/{id}", "patch"),
        ("/api/v1/memberships/{id}", "delete"),
        ("/api/v1/memberships/{id}/check", "get"),
        ("/api/v1/memberships/{id}/policy", "put"),
        ("/api/v1/terms/read", "post"),
        ("/api/v1/summary", "get"),
        ("/api/v1/renewals", "get"),
        ("/api/v1/due", "get"),
        ("/api/v1/reminders", "get"),
        ("/api/v1/imports", "post"),
        ("/api/v1/streams", "get"),
        ("/api/v1/streams/{stream}/adopt", "post"),
        ("/api/v1/streams/{stream}/dismiss", "post"),
        ("/api/v1/memberships/{id}/policy", "patch"),
        ("/api/v1/cases/{id}/messages/{kind}", "get"),
        ("/api/v1/cases", "get"),
        ("/api/v1/cases", "post"),
        ("/api/v1/cases/{id}", "get"),
        ("/api/v1/cases/{id}/steps/{step}", "post"),
        ("/api/v1/cases/{id}/move", "post"),
        ("/api/v1/cases/{id}/refund", "post"),
        ("/api/v1/cases/{id}/evidence", "post"),
        ("/api/v1/cases/{id}/evidence", "get"),
        ("/api/v1/cases/{id}/evidence/{seq}/accept", "post"),
        ("/api/v1/cases/{id}/dossier", "get"),
        ("/api/v1/vault/verify", "get"),
        ("/api/v1/login", "post"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is not documented"
        );
    }
    assert!(doc["components"]["schemas"]["MembershipInput"]["properties"]["price"].is_object());
}

#[tokio::test]
async fn safety_cross_site_posts_logins_limits_and_headers() {
    let api = Api::new(true);
    // Security headers on every answer.
    let home = api.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
    assert_eq!(home.headers["x-frame-options"], "DENY");
    assert_eq!(home.headers["x-content-type-options"], "nosniff");
    let set_cookie = home.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );

    // A cross-site request is refused before anything runs.
    let before = api.stored().await;
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/cases")
        .header(header::HOST, "127.0.0.1:7878")
        .header("sec-fetch-site", "cross-site")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"membership_id": 1}"#))
        .unwrap();
    assert_eq!(
        api.app.clone().oneshot(request).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // A page form without the CSRF token (same site) is refused too.
    let form = api
        .send(
            Method::POST,
            "/memberships/1/delete",
            Some("application/x-www-form-urlencoded"),
            b"csrf=".to_vec(),
        )
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    // Too large an upload.
    let big = vec![b'x'; tuiding_web::upload::MAX_UPLOAD_BYTES + 1024];
    let too_big = api
        .multipart("/api/v1/imports", &[], &[("files", "big.csv", big)])
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(api.stored().await, before);
    // No password: no login.
    api.json(Method::POST, "/api/v1/login", json!({"password": "x"}))
        .await
        .assert_error(StatusCode::NOT_FOUND, None);

    // With a password every page and call needs a session.
    let mut locked = Api::with_password(true, Some("correct horse"));
    locked
        .get("/api/v1/memberships")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, None);
    locked
        .get("/calendar.ics")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, None);
    let page = locked.get("/memberships").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers[header::LOCATION], "/login");
    assert_eq!(locked.get("/login").await.status, StatusCode::OK);
    locked
        .json(Method::POST, "/api/v1/login", json!({"password": "wrong"}))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, None);
    let ok = locked
        .json(
            Method::POST,
            "/api/v1/login",
            json!({"password": "correct horse"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    let cookie = ok.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("tuiding_session="));
    locked.cookie = Some(cookie);
    assert_eq!(
        locked.get("/api/v1/memberships").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn requests_not_addressed_to_this_machine_are_refused_without_a_password() {
    let api = Api::new(true);
    let before = api.stored().await;
    for host in ["evil.example", "evil.example:7878", "127.0.0.1.nip.io:7878"] {
        let request = Request::builder()
            .method(Method::DELETE)
            .uri("/api/v1/memberships/1")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let response = api.app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{host}");
    }
    assert_eq!(api.stored().await, before);
    let request = Request::builder()
        .uri("/api/v1/summary")
        .header(header::HOST, "localhost:7878")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        api.app.clone().oneshot(request).await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test(start_paused = true)]
async fn password_guessing_is_slowed_then_paused() {
    let api = Api::with_password(false, Some("correct horse"));
    for _ in 0..10 {
        api.json(Method::POST, "/api/v1/login", json!({"password": "guess"}))
            .await
            .assert_error(StatusCode::UNAUTHORIZED, None);
    }
    // Even the right password waits out the minute.
    api.json(
        Method::POST,
        "/api/v1/login",
        json!({"password": "correct horse"}),
    )
    .await
    .assert_error(StatusCode::TOO_MANY_REQUESTS, None);
}

/// 100 wrong passwords sent at once with the right one among them: the brake counts each
/// attempt before checking it, so the burst trips it and the right one gets no session.
/// (It used to read the count before checking and write it after: 99 × 401 and a session.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_concurrent_guesses_gets_no_session() {
    let api = Api::with_password(false, Some("correct horse"));
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..101 {
        let password = if i == 50 { "correct horse" } else { "guess" };
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/login")
            .header(header::HOST, "127.0.0.1:7878")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "password": password }).to_string()))
            .unwrap();
        burst.spawn(api.app.clone().oneshot(request));
    }
    let mut statuses = Vec::new();
    while let Some(answer) = burst.join_next().await {
        let response = answer.unwrap().unwrap();
        let session = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("tuiding_session="));
        assert!(!session, "a session was handed out");
        statuses.push(response.status());
    }
    // A login that succeeds answers 204.
    assert!(!statuses.contains(&StatusCode::NO_CONTENT), "{statuses:?}");
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS));
}

/// A session cookie is `Secure` when the request came through an HTTPS proxy or the
/// server was told it sits behind one, and not on plain local HTTP.
#[tokio::test]
async fn session_cookies_are_secure_behind_https() {
    let login = |state: tuiding_web::state::AppState, proxy: Option<&'static str>| async move {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/login")
            .header(header::HOST, "127.0.0.1:7878")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(proto) = proxy {
            request = request.header("x-forwarded-proto", proto);
        }
        let body = Body::from(json!({ "password": "correct horse" }).to_string());
        let response = tuiding_web::router(state)
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string()
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), false);
    let plain = login(common::state(&dir, Some("correct horse")), None).await;
    assert!(!plain.contains("Secure"), "{plain}");
    let proxied = login(common::state(&dir, Some("correct horse")), Some("https")).await;
    assert!(proxied.ends_with("; Secure"), "{proxied}");
    let told = common::state(&dir, Some("correct horse")).behind_https(true);
    assert!(login(told, None).await.contains("; Secure"));
}

/// An out-of-range price or date is refused with the field named, and nothing is stored
/// (the API's 422 for such a price used to store the row, and every listing then failed).
async fn out_of_range_values_are_refused_and_nothing_is_stored() {
    let api = Api::new(true);
    let before = api.stored().await;
    for (body, field) in [
        (
            json!({"platform": "X", "period": "month", "price": "92233720368547758.07", "start": "2026-01-01"}),
            "price",
        ),
        (
            json!({"platform": "X", "period": "month", "price": "10", "start": "9999-12-31"}),
            "start",
        ),
    ] {
        let answer = api.json(Method::POST, "/api/v1/memberships", body).await;
        assert!(answer.status.is_client_error(), "{}", answer.status);
        assert_eq!(answer.json()["error"]["field"], field);
    }
    assert_eq!(api.stored().await, before);
    assert_eq!(api.get("/api/v1/summary").await.status, StatusCode::OK);
}

async fn stale_edits_and_stale_stream_numbers_are_refused() {
    let api = Api::new(true);
    let m = api.get("/api/v1/memberships/1").await.json();
    let revision = m["revision"].as_i64().unwrap();
    let first = api
        .json(
            Method::PATCH,
            "/api/v1/memberships/1",
            json!({"notes": "first", "revision": revision}),
        )
        .await;
    assert_eq!(
        first.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&first.bytes)
    );
    let before = api.stored().await;
    // A second edit made from the same (now old) revision would overwrite the first.
    api.json(
        Method::PATCH,
        "/api/v1/memberships/1",
        json!({"price": "99", "revision": revision}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, None);
    assert_eq!(api.stored().await, before);

    let csv = std::fs::read(common::data("alipay-small.csv")).unwrap();
    assert_eq!(
        api.multipart("/api/v1/imports", &[], &[("files", "a.csv", csv)])
            .await
            .status,
        StatusCode::OK
    );
    let streams = api.get("/api/v1/streams").await.json();
    let first = &streams["streams"][0];
    let (n, key) = (
        first["number"].as_u64().unwrap(),
        first["key"].as_str().unwrap().to_string(),
    );
    let before = api.stored().await;
    api.json(
        Method::POST,
        &format!("/api/v1/streams/{n}/adopt"),
        json!({"key": "someone|else"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, None);
    api.json(
        Method::POST,
        &format!("/api/v1/streams/{n}/dismiss"),
        json!({"key": "someone|else"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, None);
    assert_eq!(api.stored().await, before);
    let ok = api
        .json(
            Method::POST,
            &format!("/api/v1/streams/{n}/dismiss"),
            json!({"key": key}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
}

async fn a_refund_is_requested_promised_and_received() {
    let api = Api::new(true);
    let id = api
        .json(Method::POST, "/api/v1/cases", json!({"membership_id": 1}))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let before = api.stored().await;
    // Before every channel is closed there is no refund to track.
    api.json(
        Method::POST,
        &format!("/api/v1/cases/{id}/refund"),
        json!({"requested": true}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, None);
    api.json(
        Method::POST,
        &format!("/api/v1/cases/{id}/refund"),
        json!({}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, None);
    api.json(
        Method::POST,
        &format!("/api/v1/cases/{id}/refund"),
        json!({"requested": true, "received": "5"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("body"));
    api.json(
        Method::POST,
        "/api/v1/cases/99/refund",
        json!({"requested": true}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, None);
    assert_eq!(api.stored().await, before);

    let closed = api
        .send(
            Method::POST,
            &format!("/api/v1/cases/{id}/steps/close:wechat_pay"),
            None,
            vec![],
        )
        .await
        .json();
    assert_eq!(closed["state"], "channels_closed", "{closed}");
    api.json(
        Method::POST,
        &format!("/api/v1/cases/{id}/refund"),
        json!({"promised": "25"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("by"));
    api.json(
        Method::POST,
        &format!("/api/v1/cases/{id}/refund"),
        json!({"promised": "lots", "by": "2026-12-05"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, Some("promised"));
    let promised = api
        .json(
            Method::POST,
            &format!("/api/v1/cases/{id}/refund"),
            json!({"promised": "25", "by": "2026-12-05"}),
        )
        .await;
    assert_eq!(
        promised.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&promised.bytes)
    );
    let p = promised.json();
    assert_eq!(p["state"], "refund_promised");
    assert_eq!(p["refund"]["due"], "2026-12-05");
    assert_eq!(p["refund"]["promised"], "25.00");
    let received = api
        .json(
            Method::POST,
            &format!("/api/v1/cases/{id}/refund"),
            json!({"received": "25", "on": "2026-12-03"}),
        )
        .await
        .json();
    assert_eq!(received["state"], "refund_received");
    assert_eq!(received["refund"]["received_on"], "2026-12-03");
}

/// Issue 13 over the API: a policy filled in field by field (every problem named, nothing
/// written on a refusal), the check for someone leaving, and a case's written messages.
async fn a_policy_without_toml_the_decision_and_the_messages() {
    let api = Api::new(false);
    let added = api
        .json(Method::POST, "/api/v1/memberships", json!({"platform": "星辰卡盟", "plan": "年费会员", "period": "year", "price": "198", "start": "2026-05-10", "auto_renew": ["alipay"], "benefits": ["兑换券:12:10:5"]}))
        .await;
    assert_eq!(added.status, StatusCode::CREATED);
    let before = api.stored().await;
    let refused = api
        .json(
            Method::PATCH,
            "/api/v1/memberships/1/policy",
            json!({"fields": {"refund.method": "consumed_days_fee", "refund.discount_ratio": "2", "timing.refund_working_days": "x"}}),
        )
        .await;
    let err = refused.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("refund.discount_ratio"),
    );
    assert_eq!(
        err["error"]["problems"].as_array().unwrap().len(),
        2,
        "{err}"
    );
    assert_eq!(api.stored().await, before);
    assert_eq!(
        api.get("/api/v1/memberships/1/check").await.json()["policy_origin"],
        Value::Null
    );

    let saved = api
        .json(
            Method::PATCH,
            "/api/v1/memberships/1/policy",
            json!({"fields": {"refund.method": "consumed_days_fee", "refund.other_readings": "pro_rata_days", "refund.discount_ratio": "0.9", "refund.redeemed_benefits": "deduct_value", "refund.voids_unredeemed_benefits": "true", "timing.refund_working_days": "3-7"}}),
        )
        .await;
    assert_eq!(
        saved.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&saved.bytes)
    );
    assert_eq!(saved.json()["missing"], json!([]));

    let check = api
        .get("/api/v1/memberships/1/check?intent=leaving")
        .await
        .json();
    assert_eq!(check["intent"], "leaving");
    assert_eq!(check["advice"]["action"], check["options"][0]["action"]);
    assert_eq!(check["advice"]["action"], "use_benefits_then_cancel");
    assert_eq!(check["readings"].as_array().unwrap().len(), 2);

    let opened = api
        .json(Method::POST, "/api/v1/cases", json!({"membership_id": 1}))
        .await;
    assert!(
        opened.status.is_success(),
        "{}",
        String::from_utf8_lossy(&opened.bytes)
    );
    let msg = api
        .get("/api/v1/cases/1/messages/refund_request?order=A123")
        .await;
    assert_eq!(msg.status, StatusCode::OK);
    let m = msg.json();
    let amount = m["amount"].as_str().unwrap();
    assert_eq!(amount, check["refund"]["amount"].as_str().unwrap());
    assert!(m["text"].as_str().unwrap().contains("A123"));
    assert!(m["text"].as_str().unwrap().contains(amount));
    api.get("/api/v1/cases/1/messages/poem")
        .await
        .assert_error(StatusCode::BAD_REQUEST, Some("kind"));
}

/// An edit names only what changes; a key the edit does not know (a typo) is refused with
/// the key named, and nothing is written — not silently ignored as an empty change.
async fn an_edit_with_an_unknown_key_is_refused() {
    let api = Api::new(true);
    let before = api.stored().await;
    let answer = api
        .json(
            Method::PATCH,
            "/api/v1/memberships/1",
            json!({"notez": "typo", "price": "30"}),
        )
        .await;
    // 422 with the field `body`, as for any body of the wrong shape (the typed extractor's).
    let err = answer.assert_error(StatusCode::UNPROCESSABLE_ENTITY, Some("body"));
    assert!(
        err["error"]["message"].as_str().unwrap().contains("notez"),
        "{err}"
    );
    assert_eq!(api.stored().await, before);
    // The same edit spelled right goes through.
    let ok = api
        .json(
            Method::PATCH,
            "/api/v1/memberships/1",
            json!({"notes": "ok", "price": "30"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["price"], "30.00");
    // A null price source is the default (an edit), as it always was.
    let null = api
        .json(
            Method::PATCH,
            "/api/v1/memberships/1",
            json!({"price": "31", "price_source": null}),
        )
        .await;
    assert_eq!(null.status, StatusCode::OK);
}

async fn a_screenshot_is_read_after_its_upload_answers_and_its_promise_can_be_taken() {
    if !common::tesseract_here() {
        return;
    }
    let api = Api::new(true);
    let case = api
        .json(Method::POST, "/api/v1/cases", json!({"membership_id": 1}))
        .await
        .json();
    let id = case["id"].as_i64().unwrap();
    let started = std::time::Instant::now();
    let stored = api
        .multipart(
            &format!("/api/v1/cases/{id}/evidence"),
            &[("kind", "operation")],
            &[
                (
                    "files",
                    "退款.png",
                    std::fs::read(common::screenshot("refund-promise-light-1170.png")).unwrap(),
                ),
                (
                    "files",
                    "解约.png",
                    std::fs::read(common::screenshot("wechat-cancelled-dark-1080.png")).unwrap(),
                ),
            ],
        )
        .await;
    assert_eq!(stored.status, StatusCode::CREATED);
    // Reading is off the request path: the upload answers before a screenshot could be read.
    assert!(
        started.elapsed() < std::time::Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    let listed = api
        .get(&format!("/api/v1/cases/{id}/evidence"))
        .await
        .json();
    assert_eq!(listed[0]["reading"], true, "{listed}");
    assert_eq!(listed[0]["ocr"], Value::Null);

    // Until both are read (the page reloads the same way).
    let mut listed = listed;
    for _ in 0..300 {
        if listed
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["ocr"].is_object())
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        listed = api
            .get(&format!("/api/v1/cases/{id}/evidence"))
            .await
            .json();
    }
    assert_eq!(
        listed[0]["offers"][0]["offer"], "refund_promise",
        "{listed}"
    );
    assert_eq!(listed[0]["offers"][0]["amount"], "24.43");
    assert_eq!(
        listed[1]["offers"][0]["step"], "close:wechat_pay",
        "{listed}"
    );

    // Another case's id with this evidence: not found, nothing taken.
    let other = api
        .json(Method::POST, "/api/v1/cases", json!({"membership_id": 2}))
        .await
        .json();
    let other = other["id"].as_i64().unwrap();
    let refused = api
        .json(
            Method::POST,
            &format!("/api/v1/cases/{other}/evidence/1/accept"),
            json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    let taken = api
        .json(
            Method::POST,
            &format!("/api/v1/cases/{id}/evidence/2/accept"),
            json!({}),
        )
        .await
        .json();
    assert!(taken[0].get("refused").is_none(), "{taken}");
    let taken = api
        .json(
            Method::POST,
            &format!("/api/v1/cases/{id}/evidence/1/accept"),
            json!({}),
        )
        .await
        .json();
    assert_eq!(taken[0]["offer"], "refund_promise", "{taken}");
    assert!(taken[0].get("refused").is_none(), "{taken}");
    let case = api.get(&format!("/api/v1/cases/{id}")).await.json();
    assert_eq!(case["state"], "refund_promised");
    assert_eq!(case["refund"]["promised"], "24.43");
    assert_eq!(case["refund"]["promised_by"], listed[0]["offers"][0]["by"]);

    // Taken: offered no more.
    let listed = api
        .get(&format!("/api/v1/cases/{id}/evidence"))
        .await
        .json();
    assert_eq!(listed[0]["offers"], json!([]), "{listed}");
    assert_eq!(listed[1]["offers"], json!([]), "{listed}");
    // The same picture uploaded again is not read again: its text is there at once.
    let again = api
        .multipart(
            &format!("/api/v1/cases/{id}/evidence"),
            &[("kind", "operation")],
            &[(
                "files",
                "退款-又一次.png",
                std::fs::read(common::screenshot("refund-promise-light-1170.png")).unwrap(),
            )],
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    let listed = api
        .get(&format!("/api/v1/cases/{id}/evidence"))
        .await
        .json();
    assert!(listed[2].get("reading").is_none(), "{}", listed[2]);
    assert!(listed[2]["ocr"]["text"].as_str().unwrap().contains("3-7"));

    // The case page shows the text.
    let page = String::from_utf8(api.get(&format!("/cases/{id}")).await.bytes).unwrap();
    assert!(
        page.contains("识别文字") || page.contains("Text read"),
        "{page}"
    );
    assert!(!page.contains("data-reading"));
    let found = String::from_utf8(
        api.get(&format!("/cases/{id}?q=%E8%A7%A3%E7%BA%A6"))
            .await
            .bytes,
    )
    .unwrap();
    assert!(
        found.contains("evidence-hits") && found.contains("解约.png"),
        "{found}"
    );
}
