//! The two front ends are one application: the web answers what the CLI prints, a page
//! view writes nothing, and every time shown to people is China Standard Time.

mod common;

use std::path::Path;

use common::{Server, json, tuiding_at, zip_text};
use serde_json::Value;

/// A membership whose price rose from ¥25 to ¥30 on 2026-10-01, with a case whose first
/// channel was closed.
fn ledger(dir: &Path) {
    json(tuiding_at(dir, "2026-11-26").args([
        "add",
        "--platform",
        "爱奇艺",
        "--plan",
        "黄金VIP",
        "--period",
        "month",
        "--price",
        "25",
        "--start",
        "2026-01-31",
        "--auto-renew",
        "wechat_pay",
    ]));
    json(tuiding_at(dir, "2026-11-26").args([
        "edit",
        "1",
        "--price",
        "30",
        "--price-on",
        "2026-10-01",
    ]));
    json(tuiding_at(dir, "2026-11-26").args(["case", "open", "1"]));
    json(tuiding_at(dir, "2026-11-26").args(["case", "step", "1", "close:wechat_pay"]));
}

#[test]
fn the_api_summary_is_the_cli_summary_and_the_overview_shows_price_rises() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    ledger(&dir);
    let cli = json(tuiding_at(&dir, "2026-11-26").arg("summary"));
    assert_eq!(
        cli["price_increases"][0]["new"], "30.00",
        "the CLI sees the rise: {cli}"
    );
    let server = Server::start(&dir, "2026-11-26", "0");
    let api: Value = serde_json::from_str(&server.get("/api/v1/summary")).unwrap();
    assert_eq!(api, cli, "GET /api/v1/summary is `summary --json`");
    let overview = server.get("/");
    assert!(overview.contains("id=\"price-rises\""), "{overview}");
    assert!(overview.contains("25.00 → 30.00"), "{overview}");
}

#[test]
fn times_on_pages_and_in_the_dossier_are_china_time_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    ledger(&dir);
    let case = json(tuiding_at(&dir, "2026-11-26").args(["case", "show", "1"]));
    // Stored and given to programs in UTC …
    let done_at: jiff::Timestamp = case["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "close:wechat_pay")
        .and_then(|s| s["done_at"].as_str())
        .expect("the step is done")
        .parse()
        .unwrap();
    // … and shown to people eight hours ahead.
    let china = jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
        .to_datetime(done_at)
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    let server = Server::start(&dir, "2026-11-26", "0");
    let page = server.get("/cases/1");
    assert!(page.contains(&china), "{china} on the case page: {page}");
    assert!(
        !page.contains(&done_at.to_string()),
        "no UTC instant on the page"
    );
    drop(server);

    let zip = tmp.path().join("case.zip");
    tuiding_at(&dir, "2026-11-26")
        .args(["case", "export", "1", "--out"])
        .arg(&zip)
        .assert()
        .success();
    let complaint = zip_text(&zip, "complaint.txt");
    assert!(complaint.contains("北京时间"), "{complaint}");
    assert!(!complaint.contains("UTC "), "{complaint}");
    assert!(complaint.contains(&china), "{complaint}");
    // The timeline is in order: the start day, then the case's moments.
    let events: Vec<&str> = complaint
        .lines()
        .skip_while(|l| !l.contains("经过（北京时间）"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.trim().split("  ").next().unwrap())
        .collect();
    assert!(events.len() >= 3, "{complaint}");
    let mut sorted = events.clone();
    sorted.sort();
    assert_eq!(events, sorted, "{complaint}");
    let html = zip_text(&zip, "report.html");
    assert!(html.contains(&china) && !html.contains(" UTC<"), "{html}");
}
