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
    // A read creates nothing: no evidence vault appears before evidence is added.
    let ctx =
        tuiding_app::context::Ctx::for_service(tuiding_core::Lang::Zh, common::TODAY, dir.clone());
    tuiding_app::case::open(&ctx, 1).unwrap();
    for path in ["/cases/1", "/cases/1?verify=full", "/api/v1/vault/verify"] {
        let (status, _, _) = send(&app, Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    assert!(!dir.join("vault").exists(), "a read created the vault");
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

/// The policy form (issue 13): no TOML, every problem beside its field, nothing written on
/// a refusal; the rule check's intent switch and options; the case's messages.
#[tokio::test]
async fn the_policy_form_the_decision_and_the_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), false);
    let ctx = common::add_kameng(&dir, false);
    let app = tuiding_web::router(common::state(&dir, None));

    let (status, page, _) = send(&app, Method::GET, "/memberships/1/policy", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("refund.discount_ratio") && page.contains("折扣比例"));
    let (_, page, _) = send(
        &app,
        Method::GET,
        "/memberships/1/policy?template=kameng-annual",
        None,
    )
    .await;
    assert!(
        page.contains("consumed_days_fee"),
        "prefilled from the template"
    );

    // Two bad fields: both named, nothing stored.
    let bad = format!(
        "csrf={TOKEN}&template=&refund.method=consumed_days_fee&refund.discount_ratio=1.5&timing.refund_working_days=7-3"
    );
    let (status, page, _) = send(&app, Method::POST, "/memberships/1/policy", Some(&bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(page.matches("class=\"field invalid\"").count(), 2, "{page}");
    assert!(
        tuiding_app::policy::show(&ctx, 1).is_err(),
        "no policy stored"
    );

    let good = format!(
        "csrf={TOKEN}&template=&refund.method=consumed_days_fee&refund.other_readings=pro_rata_days&refund.discount_ratio=0.9&refund.redeemed_benefits=deduct_value&refund.voids_unredeemed_benefits=true&timing.refund_working_days=3-7"
    );
    let (status, _, location) =
        send(&app, Method::POST, "/memberships/1/policy", Some(&good)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/memberships/1?done=policy#check")
    );
    let stored = tuiding_app::policy::show(&ctx, 1).unwrap();
    assert_eq!(stored.origin, "form");
    assert!(
        stored.text.contains("discount_ratio = \"0.9\""),
        "{}",
        stored.text
    );

    let (_, page, _) = send(&app, Method::GET, "/memberships/1?intent=leaving", None).await;
    assert!(page.contains("id=\"options\""));
    assert!(page.contains("data-action=\"use_benefits_then_cancel\""));
    assert!(page.contains("id=\"readings\""));
    let best = page.find("class=\"best\"").unwrap();
    assert!(page[best..].starts_with("class=\"best\" data-action=\"use_benefits_then_cancel\""));

    tuiding_app::case::open(&ctx, 1).unwrap();
    let (status, page, _) = send(&app, Method::GET, "/cases/1", None).await;
    assert_eq!(status, StatusCode::OK);
    for kind in [
        "refund_request",
        "written_confirmation",
        "follow_up",
        "complaint_notice",
    ] {
        assert!(
            page.contains(&format!("data-copy=\"message-{kind}\"")),
            "{kind}"
        );
    }
}

async fn get_with(
    app: &Router,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> axum::response::Response {
    let mut request = Request::builder()
        .uri(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::COOKIE, format!("tuiding_csrf={TOKEN}; lang=zh"));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    app.clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_calendar_answers_304_until_the_ledger_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let app = tuiding_web::router(common::state(&dir, None));
    let first = get_with(&app, "/calendar.ics", &[]).await;
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()[header::ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let same = get_with(&app, "/calendar.ics", &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(same.headers()[header::ETAG], etag.as_str());
    let listed = format!("\"other\", W/{etag}");
    let weak = get_with(&app, "/calendar.ics", &[(header::IF_NONE_MATCH, &listed)]).await;
    assert_eq!(weak.status(), StatusCode::NOT_MODIFIED);
    // A change made outside the server (the CLI) moves the tag and the content.
    common::add_kameng(&dir, false);
    let changed = get_with(&app, "/calendar.ics", &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()[header::ETAG], etag.as_str());
    let body = axum::body::to_bytes(changed.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&body).contains("星辰卡盟"));
}

#[tokio::test]
async fn kept_pages_show_a_change_made_by_another_process() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let app = tuiding_web::router(common::state(&dir, None));
    for path in ["/", "/memberships", "/api/v1/memberships"] {
        let (_, before, _) = send(&app, Method::GET, path, None).await;
        assert!(!before.contains("另一进程加的会员"), "{path}");
    }
    let ctx =
        tuiding_app::context::Ctx::for_service(tuiding_core::Lang::Zh, common::TODAY, dir.clone());
    let fields = tuiding_app::memberships::input::MembershipInput {
        platform: Some("另一进程加的会员".into()),
        period: Some("month".into()),
        price: Some("15".into()),
        ..Default::default()
    };
    tuiding_app::memberships::add::add(&ctx, fields, None).unwrap();
    for path in ["/", "/memberships", "/api/v1/memberships"] {
        let (status, after, _) = send(&app, Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            after.contains("另一进程加的会员"),
            "{path} shows a stale ledger"
        );
    }
}

/// The `data-minor` amount and the drawn width of every bar in the chart that follows
/// `caption` (a figure's caption) inside the element with id `section`.
fn bars_of(page: &str, section: &str, caption: &str) -> Vec<(i64, i64)> {
    let start = page.find(&format!("id=\"{section}\"")).unwrap();
    let rest = &page[start..];
    let figure = rest
        .find(&format!("<figcaption>{caption}</figcaption>"))
        .unwrap_or_else(|| panic!("no {caption} chart in #{section}"));
    let figure = &rest[figure..rest[figure..].find("</figure>").unwrap() + figure];
    figure
        .split("data-minor=\"")
        .skip(1)
        .map(|bar| {
            let minor = bar[..bar.find('"').unwrap()].parse().unwrap();
            let width = bar.split("<rect width=\"").nth(1).unwrap();
            (minor, width[..width.find('"').unwrap()].parse().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn charts_draw_each_currency_on_its_own_scale_in_proportion() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let app = tuiding_web::router(common::state(&dir, None));
    let (status, page, _) = send(&app, Method::GET, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    for caption in ["CNY", "USD"] {
        for section in ["by-month", "by-category"] {
            let bars = bars_of(&page, section, caption);
            assert!(!bars.is_empty(), "{section} {caption}");
            let max = bars.iter().map(|b| b.0).max().unwrap();
            for (minor, width) in bars {
                // Thousandths of the largest bar of the same currency (at least 2 when not 0).
                let expected = if minor == 0 {
                    0
                } else {
                    (minor * 1000 / max).max(2)
                };
                assert_eq!(width, expected, "{section} {caption}: {minor}");
            }
        }
    }
    // The largest USD month is as long as the largest CNY month: never one scale.
    let usd = bars_of(&page, "by-month", "USD");
    assert!(usd.iter().any(|b| b.1 == 1000), "{usd:?}");
}

#[tokio::test]
async fn a_backup_and_exports_download_from_the_data_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let app = tuiding_web::router(common::state(&dir, None));
    let (status, page, _) = send(&app, Method::GET, "/data", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("下载备份"));
    for (path, form, kind, starts) in [
        (
            "/data/backup",
            format!("csrf={TOKEN}"),
            "application/zip",
            &b"PK"[..],
        ),
        (
            "/data/export",
            format!("csrf={TOKEN}&format=csv"),
            "text/csv; charset=utf-8",
            &b"\xEF\xBB\xBFid,"[..],
        ),
        (
            "/data/export",
            format!("csrf={TOKEN}&format=json"),
            "application/json",
            &b"{"[..],
        ),
    ] {
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "127.0.0.1:7878")
            .header(header::COOKIE, format!("tuiding_csrf={TOKEN}; lang=zh"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()[header::CONTENT_TYPE], kind);
        assert!(
            response.headers()[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert!(bytes.starts_with(starts), "{path}");
    }
    // Nothing was left in the data directory.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".backup"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn the_list_is_paged_and_keeps_its_search_and_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), false);
    let ctx =
        tuiding_app::context::Ctx::for_service(tuiding_core::Lang::Zh, common::TODAY, dir.clone());
    for i in 0..150 {
        let input = tuiding_app::memberships::input::MembershipInput {
            platform: Some(format!("平台{i:03}")),
            period: Some("month".into()),
            price: Some(format!("{}", 5 + i % 40)),
            category: Some(if i % 2 == 0 { "视频" } else { "音乐" }.into()),
            ..Default::default()
        };
        tuiding_app::memberships::add::add(&ctx, input, None).unwrap();
    }
    let app = tuiding_web::router(common::state(&dir, None));
    let rows = |page: &str| page.matches("<td class=\"title\">").count();
    let (_, first, _) = send(&app, Method::GET, "/memberships?sort=name", None).await;
    assert_eq!(rows(&first), 100);
    assert!(first.contains("平台000") && !first.contains("平台100"));
    assert!(
        first.contains("href=\"/memberships?sort=name&amp;page=2\""),
        "a next link keeps the order"
    );
    let (_, second, _) = send(&app, Method::GET, "/memberships?sort=name&page=2", None).await;
    assert_eq!(rows(&second), 50);
    assert!(second.contains("平台100") && second.contains("rel=\"prev\""));
    // A search narrows before paging: 75 videos fit on one page.
    let (_, videos, _) = send(
        &app,
        Method::GET,
        "/memberships?q=%E8%A7%86%E9%A2%91&page=9",
        None,
    )
    .await;
    assert_eq!(rows(&videos), 75, "a page past the end shows the last");
    assert!(videos.contains("75 / 150"));
}

async fn post_multipart(app: &Router, uri: &str, file: (&str, &[u8])) -> (StatusCode, String) {
    let boundary = "tuidingpagesboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{TOKEN}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        file.0
    )
    .into_bytes();
    body.extend_from_slice(file.1);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::COOKIE, format!("tuiding_csrf={TOKEN}; lang=zh"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn a_wallos_export_moves_in_from_the_import_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), false);
    let app = tuiding_web::router(common::state(&dir, None));
    let export = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tuiding/tests/data/wallos.json"),
    )
    .unwrap();
    let (status, page) = post_multipart(&app, "/import/wallos", ("wallos.json", &export)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("<strong>wallos.json</strong>：导入 4 个会员"),
        "{page}"
    );
    let (_, list, _) = send(&app, Method::GET, "/memberships", None).await;
    let ctx =
        tuiding_app::context::Ctx::for_service(tuiding_core::Lang::Zh, common::TODAY, dir.clone());
    let count = tuiding_app::memberships::memberships(&ctx, None)
        .unwrap()
        .len();
    assert!(
        count > 0 && list.contains(&format!("{count} / {count}")),
        "{count}"
    );
    // Not a Wallos export: refused with the file's name, nothing written.
    let (status, page) = post_multipart(&app, "/import/wallos", ("notes.json", b"{\"x\": 1")).await;
    assert!(status.is_client_error(), "{status}");
    assert!(page.contains("notes.json"), "{page}");
    assert_eq!(
        tuiding_app::memberships::memberships(&ctx, None)
            .unwrap()
            .len(),
        count
    );
}

#[tokio::test]
async fn a_step_marked_by_mistake_is_undone_from_the_case_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let ctx =
        tuiding_app::context::Ctx::for_service(tuiding_core::Lang::Zh, common::TODAY, dir.clone());
    tuiding_app::case::open(&ctx, 1).unwrap();
    let app = tuiding_web::router(common::state(&dir, None));
    let form = format!("csrf={TOKEN}");
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/cases/1/steps/check_rules",
        Some(&form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = send(&app, Method::GET, "/cases/1", None).await;
    assert!(page.contains("/cases/1/steps/check_rules/undo"));
    let (status, _, location) = send(
        &app,
        Method::POST,
        "/cases/1/steps/check_rules/undo",
        Some(&form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/cases/1?done=undone#steps"));
    assert!(
        !tuiding_app::case::show(&ctx, 1)
            .unwrap()
            .steps
            .iter()
            .any(|s| s.id == "check_rules" && s.done)
    );
}

#[tokio::test]
async fn a_bad_benefit_row_is_named_beside_the_benefits() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), false);
    let app = tuiding_web::router(common::state(&dir, None));
    let base = format!("csrf={TOKEN}&platform=Gym&billing=month&price=99&start=2026-11-01");
    for (row, says) in [
        (
            "benefit_0=%E8%A7%82%E5%BD%B1%E5%88%B8%EF%BC%9A%E6%AF%8F%E6%9C%88&quantity_0=4",
            "名称里不能有冒号",
        ),
        (
            "benefit_0=%E8%A7%82%E5%BD%B1%E5%88%B8&quantity_0=",
            "观影券",
        ),
    ] {
        let (status, page, _) = send(
            &app,
            Method::POST,
            "/memberships",
            Some(&format!("{base}&{row}")),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{row}");
        let at = page.find("id=\"benefits-fieldset\"").unwrap();
        let fieldset = &page[at..at + page[at..].find("</fieldset>").unwrap()];
        assert!(
            fieldset.contains("benefits-problem") && fieldset.contains(says),
            "{row}: {fieldset}"
        );
    }
    let ctx =
        tuiding_app::context::Ctx::for_service(tuiding_core::Lang::Zh, common::TODAY, dir.clone());
    assert!(
        tuiding_app::memberships::memberships(&ctx, None)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_backups_at_once_are_both_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let app = tuiding_web::router(common::state(&dir, None));
    let backup = || {
        let app = app.clone();
        async move {
            let request = Request::builder()
                .method(Method::POST)
                .uri("/data/backup")
                .header(header::HOST, "127.0.0.1:7878")
                .header(header::COOKIE, format!("tuiding_csrf={TOKEN}; lang=zh"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf={TOKEN}")))
                .unwrap();
            let response = app.oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
        }
    };
    let (a, b) = tokio::join!(tokio::spawn(backup()), tokio::spawn(backup()));
    for (i, zip) in [a.unwrap(), b.unwrap()].into_iter().enumerate() {
        let path = tmp.path().join(format!("backup-{i}.zip"));
        std::fs::write(&path, &zip).unwrap();
        let (manifest, problems) = tuiding_app::dossier::verify(&path).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(manifest.files.iter().any(|f| f.path == "data/tuiding.db"));
    }
}

#[tokio::test]
async fn the_split_form_refuses_what_it_cannot_mean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let ctx =
        tuiding_app::context::Ctx::for_service(tuiding_core::Lang::Zh, common::TODAY, dir.clone());
    tuiding_app::household::add_member(&ctx, "小明").unwrap();
    tuiding_app::household::add_member(&ctx, "a=b").unwrap();
    let app = tuiding_web::router(common::state(&dir, None));
    let members = "member_0=%E5%B0%8F%E6%98%8E&member_1=a%3Db";
    for (values, says) in [
        ("", "至少给一人填份额或固定金额"),
        ("&share_0=1&fixed_0=10", "只填一个"),
    ] {
        let form = format!("csrf={TOKEN}&{members}{values}");
        let (status, page, _) = send(&app, Method::POST, "/memberships/1/split", Some(&form)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{values}");
        assert!(page.contains(says), "{values}: {page}");
    }
    // A member whose name holds '=' takes a share like anyone else.
    let form = format!("csrf={TOKEN}&{members}&share_0=1&share_1=1");
    let (status, _, _) = send(&app, Method::POST, "/memberships/1/split", Some(&form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = send(&app, Method::GET, "/memberships/1", None).await;
    assert!(page.contains("a=b：<strong>12.50"), "{page}");
    // A page number that is not one is the first page, not an error.
    let (status, _, _) = send(&app, Method::GET, "/memberships?page=abc", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_price_notice_and_removing_the_terms_work_from_the_forms() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::data_dir(tmp.path(), true);
    let ctx =
        tuiding_app::context::Ctx::for_service(tuiding_core::Lang::Zh, common::TODAY, dir.clone());
    let before = tuiding_app::memberships::membership(&ctx, 1).unwrap();
    let (_, edit, _) = send(&app_for(&dir), Method::GET, "/memberships/1/edit", None).await;
    assert!(edit.contains("id=\"price_source\"") && edit.contains("id=\"price_on\""));
    let form = format!(
        "csrf={TOKEN}&revision={}&platform={}&billing=month&price=30&start={}&price_source=notice&price_on=2026-12-01",
        before.revision, "%E7%88%B1%E5%A5%87%E8%89%BA", before.start
    );
    let (status, page, _) = send(
        &app_for(&dir),
        Method::POST,
        "/memberships/1/edit",
        Some(&form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let after = tuiding_app::memberships::membership(&ctx, 1).unwrap();
    let change = after.price_history.last().unwrap();
    assert_eq!(
        (change.on.to_string().as_str(), change.source),
        ("2026-12-01", "notice")
    );
    // The membership's terms are removed from the policy form.
    let (_, policy, _) = send(&app_for(&dir), Method::GET, "/memberships/1/policy", None).await;
    assert!(policy.contains("/memberships/1/policy/remove"));
    let (status, _, location) = send(
        &app_for(&dir),
        Method::POST,
        "/memberships/1/policy/remove",
        Some(&format!("csrf={TOKEN}")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/memberships/1?done=policy_removed#check")
    );
    let (_, check) =
        tuiding_app::check::check_view(&ctx, 1, common::TODAY, Default::default()).unwrap();
    assert_eq!(check.policy_origin, None, "the terms are gone");
}

fn app_for(dir: &std::path::Path) -> Router {
    tuiding_web::router(common::state(dir, None))
}
