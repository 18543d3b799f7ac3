//! Issue 14 from outside: `scan --json` on every documented layout counts exactly the
//! transaction rows; extra charges are listed under `duplicate_charges` with the stream's
//! stable id; streams are adopted by id, linked to a membership already in the ledger
//! instead of duplicating it; a malformed file stores nothing; price rises are net.

mod common;

use std::path::{Path, PathBuf};

use common::{json, tuiding_at};
use serde_json::Value;
use tempfile::TempDir;

fn layouts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tuiding-bills/tests/layouts")
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(layouts().join("expected.json")).unwrap()).unwrap()
}

#[test]
fn scan_counts_the_transaction_rows_of_every_layout() {
    let dir = TempDir::new().unwrap();
    for (name, want) in expected().as_object().unwrap() {
        let report = json(
            tuiding_at(dir.path(), "2026-11-30")
                .arg("scan")
                .arg(layouts().join(name)),
        );
        assert_eq!(
            report["transactions_read"], want["rows"],
            "{name}: totals, summaries and banners are not transactions"
        );
        for stream in report["streams"].as_array().unwrap() {
            assert_eq!(stream["id"].as_str().map(str::len), Some(12), "{name}");
        }
    }
}

#[test]
fn duplicate_charges_name_their_stream_and_order() {
    let dir = TempDir::new().unwrap();
    let report = json(
        tuiding_at(dir.path(), "2026-11-30")
            .arg("scan")
            .arg(layouts().join("alipay-1a.csv")),
    );
    let dups = report["duplicate_charges"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{report}");
    let d = &dups[0];
    assert_eq!(
        (d["date"].as_str(), d["amount"].as_str()),
        (Some("2026-03-08"), Some("25.00"))
    );
    assert!(d["order"].as_str().unwrap().starts_with("20260308"));
    let ids: Vec<&str> = report["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&d["stream"].as_str().unwrap()));
    // The same file again: the same id.
    let again = json(
        tuiding_at(dir.path(), "2026-11-30")
            .arg("scan")
            .arg(layouts().join("alipay-1a.csv")),
    );
    assert_eq!(again["streams"][0]["id"], report["streams"][0]["id"]);
}

#[test]
fn streams_are_adopted_by_id_and_linked_instead_of_duplicated() {
    let dir = TempDir::new().unwrap();
    let t = || tuiding_at(dir.path(), "2026-11-30");
    t().arg("import")
        .arg(layouts().join("jd-3a.csv"))
        .arg(layouts().join("meituan.csv"))
        .arg(layouts().join("ccb-debit.xls"))
        .assert()
        .success();
    let streams = json(t().arg("streams"));
    let find = |merchant: &str| -> String {
        streams["streams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["merchant"] == merchant)
            .unwrap_or_else(|| panic!("no {merchant}: {streams}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let meituan = find("美团");
    let netease = find("网易云音乐官方旗舰店");
    // 美团会员 is already in the ledger: the stream says so, and adopting it is refused
    // with the way to link it.
    t().args(["add", "--platform", "美团", "--plan", "美团会员月卡"])
        .args([
            "--period",
            "month",
            "--price",
            "15",
            "--start",
            "2026-01-06",
        ])
        .args(["--auto-renew", "wechat_pay"])
        .assert()
        .success();
    let streams = json(t().arg("streams"));
    let listed = streams["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == meituan.as_str())
        .unwrap();
    assert_eq!(listed["matches_membership"], 1);
    let refused = t().args(["streams", "adopt", &meituan]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--into 1"));
    let linked = json(t().args(["streams", "adopt", &meituan[..6], "--into", "1"]));
    assert_eq!(linked["id"], 1);
    // The other one becomes a membership; a second adopt is refused.
    let adopted = json(t().args(["streams", "adopt", &netease]));
    assert_eq!(adopted["id"], 2);
    t().args(["streams", "adopt", &netease]).assert().failure();
    let listed = json(t().arg("list"));
    assert_eq!(
        listed.as_array().unwrap().len(),
        2,
        "no duplicate membership"
    );
    // An id that names nothing is not found (as a membership id would be), listing the ids.
    let unknown = t().args(["streams", "adopt", "ffffffff"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains(&meituan));
}

#[test]
fn a_malformed_file_stores_nothing_and_names_the_nearest_layout() {
    let dir = TempDir::new().unwrap();
    let bad = dir.path().join("对账单.csv");
    std::fs::write(
        &bad,
        "记账日期,货币,交易金额,联机余额,对手信息\n2026-01-08,CNY,-25.00,1.00,x\n",
    )
    .unwrap();
    let good = layouts().join("cmb-debit.csv");
    let out = tuiding_at(dir.path(), "2026-11-30")
        .arg("import")
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("对账单.csv") && err.contains("招商银行借记卡"),
        "{err}"
    );
    assert!(!err.contains("docs/"), "no doc the user cannot open: {err}");
    let streams = json(tuiding_at(dir.path(), "2026-11-30").arg("streams"));
    assert_eq!(streams["transactions_stored"], 0, "nothing half-imported");
}

#[test]
fn price_rises_are_net_over_twelve_months() {
    let dir = TempDir::new().unwrap();
    let t = |day: &str| tuiding_at(dir.path(), day);
    t("2026-01-10")
        .args(["add", "--platform", "爱奇艺", "--plan", "黄金VIP连续包月"])
        .args([
            "--period",
            "month",
            "--price",
            "25",
            "--start",
            "2025-06-01",
        ])
        .assert()
        .success();
    for (day, price) in [
        ("2026-03-01", "30"),
        ("2026-05-01", "20"),
        ("2026-08-01", "28"),
    ] {
        t(day)
            .args([
                "edit",
                "1",
                "--price",
                price,
                "--price-source",
                "notice",
                "--price-on",
                day,
            ])
            .assert()
            .success();
    }
    let summary = json(t("2026-11-30").arg("summary"));
    let rises = summary["price_increases"].as_array().unwrap();
    assert_eq!(rises.len(), 1, "{summary}");
    assert_eq!(
        (rises[0]["old"].as_str(), rises[0]["new"].as_str()),
        (Some("25.00"), Some("28.00"))
    );
}

#[test]
fn a_double_charge_reaches_due_the_case_and_its_dossier() {
    let dir = TempDir::new().unwrap();
    let t = || tuiding_at(dir.path(), "2026-05-01");
    t().arg("import")
        .arg(layouts().join("alipay-1a.csv"))
        .assert()
        .success();
    let streams = json(t().arg("streams"));
    assert_eq!(streams["duplicate_charges"].as_array().unwrap().len(), 1);
    let id = streams["streams"][0]["id"].as_str().unwrap().to_string();
    json(t().args(["streams", "adopt", &id]));
    let due = json(t().arg("due"));
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "duplicate_charge" && i["membership_id"] == 1),
        "{due}"
    );
    t().args(["case", "open", "1"]).assert().success();
    let case = json(t().args(["case", "show", "1"]));
    assert_eq!(case["duplicate_charges"][0]["amount"], "25.00");
    let zip_path = dir.path().join("case.zip");
    t().args(["case", "export", "1", "--out"])
        .arg(&zip_path)
        .assert()
        .success();
    let complaint = common::zip_text(&zip_path, "complaint.txt");
    assert!(complaint.contains("重复扣款 ¥25.00"), "{complaint}");
}
