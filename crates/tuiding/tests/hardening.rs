//! Hardening: a refused command writes nothing, out-of-range values are refused on every
//! path in (flags, policies, Wallos), an out-of-range row an older version stored never
//! hides the rest, and a bad value is quoted short in the error.

mod common;

use std::path::Path;

use common::{dump, json, tuiding_at};
use tempfile::TempDir;

fn tuiding(data: &Path) -> assert_cmd::Command {
    tuiding_at(data, "2026-11-30")
}

fn add_one(data: &Path, platform: &str) {
    tuiding(data)
        .args([
            "add",
            "--platform",
            platform,
            "--plan",
            "月卡",
            "--period",
            "month",
        ])
        .args(["--price", "25", "--start", "2026-01-31"])
        .assert()
        .success();
}

/// Runs `args`, asserts it failed with `code`, that stderr says `says`, and that the
/// database is byte for byte what it was.
fn refused(data: &Path, args: &[&str], code: i32, says: &str) {
    let before = dump(data);
    let out = tuiding(data).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stderr.contains(says), "{args:?}: {stderr}");
    assert_eq!(dump(data), before, "{args:?} wrote to the ledger");
}

#[test]
fn a_refused_add_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    add_one(data, "爱奇艺");
    let add = ["add", "--platform", "X", "--plan", "Y"];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        add.iter().chain(extra).copied().collect::<Vec<&str>>()
    };
    refused(
        data,
        &with(&[
            "--period",
            "month",
            "--price",
            "92233720368547758.07",
            "--start",
            "2026-01-01",
        ]),
        2,
        "金额过大",
    );
    refused(
        data,
        &with(&[
            "--period",
            "month",
            "--price",
            "100000000.01",
            "--start",
            "2026-01-01",
        ]),
        2,
        "--price",
    );
    refused(
        data,
        &with(&["--period", "month", "--price", "1", "--start", "9999-12-31"]),
        2,
        "超出 1970-01-01 至 2200-12-31",
    );
    refused(
        data,
        &with(&[
            "--price",
            "1",
            "--start",
            "2026-01-01",
            "--period",
            "65535y",
        ]),
        2,
        "36600",
    );
    refused(
        data,
        &with(&[
            "--period",
            "month",
            "--price",
            "1",
            "--start",
            "2026-01-01",
            "--benefit",
            "券:4294967295",
        ]),
        2,
        "--benefit",
    );
    refused(
        data,
        &["edit", "1", "--price", "92233720368547758"],
        2,
        "金额过大",
    );
    // The largest price the ledger holds is accepted and every listing still sums.
    tuiding(data)
        .args(with(&["--price", "100000000", "--start", "2026-01-01"]))
        .args(["--period", "1d"])
        .assert()
        .success();
    for cmd in [
        &["list"][..],
        &["summary"],
        &["renewals", "--within", "1y"],
        &["due"],
    ] {
        tuiding(data).args(cmd).assert().success();
    }
}

#[test]
fn the_api_and_every_window_refuse_out_of_range_numbers_without_panicking() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    add_one(data, "爱奇艺");
    refused(data, &["due", "--within", "7304485"], 2, "0..=36600");
    refused(data, &["renewals", "--within", "99999y"], 2, "--within");
    refused(
        data,
        &["workdays", "2026-11-30", "4294967295"],
        2,
        "0..=36600",
    );
    refused(
        data,
        &["reminders", "1", "--days", "7,4294967295"],
        2,
        "0..=36600",
    );
    let policy = data.join("p.toml");
    std::fs::write(
        &policy,
        "[refund]\nmethod = \"pro_rata_days\"\n[timing]\nrefund_max_days = 4294967295\n",
    )
    .unwrap();
    refused(
        data,
        &["policy", "set", "1", policy.to_str().unwrap()],
        1,
        "timing.refund_max_days",
    );
}

#[test]
fn a_row_an_older_version_stored_out_of_range_is_named_and_the_rest_still_list() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    add_one(data, "爱奇艺");
    add_one(data, "腾讯视频");
    let conn = rusqlite::Connection::open(data.join("tuiding.db")).unwrap();
    conn.execute(
        "UPDATE membership SET price_minor = 9223372036854775807 WHERE id = 1",
        [],
    )
    .unwrap();
    drop(conn);
    for cmd in [
        &["list"][..],
        &["summary"],
        &["renewals"],
        &["due"],
        &["export", "--format", "csv"],
    ] {
        let out = tuiding(data).args(cmd).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{cmd:?}: {stderr}");
        assert!(stderr.contains("#1（爱奇艺）"), "{cmd:?}: {stderr}");
    }
    let list = json(tuiding(data).arg("list"));
    let ids: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    assert_eq!(ids, [serde_json::json!(2)]);
    // The bad row is still reachable to fix it.
    tuiding(data)
        .args(["edit", "1", "--price", "30"])
        .assert()
        .success();
    assert_eq!(json(tuiding(data).arg("list")).as_array().unwrap().len(), 2);
}

#[test]
fn a_wallos_record_out_of_range_is_skipped_and_named() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    let file = data.join("wallos.json");
    std::fs::write(
        &file,
        r#"{"success": true, "subscriptions": [
  {"Name": "Huge", "Payment Cycle": "Monthly", "Next Payment": "2026-12-31", "Renewal": "Automatic", "Price": "¥92233720368547758.07", "Active": "Yes"},
  {"Name": "Far", "Payment Cycle": "Monthly", "Next Payment": "9999-12-31", "Renewal": "Automatic", "Price": "¥10", "Active": "Yes"},
  {"Name": "Fine", "Payment Cycle": "Monthly", "Next Payment": "2026-12-31", "Renewal": "Automatic", "Price": "¥10", "Active": "Yes"}
]}"#,
    )
    .unwrap();
    let report = json(tuiding(data).args(["import-from", "wallos", file.to_str().unwrap()]));
    let skipped: Vec<_> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(skipped, ["Huge", "Far"], "{report:#}");
    for cmd in [&["list"][..], &["summary"], &["due"]] {
        let out = tuiding(data).args(cmd).output().unwrap();
        assert!(out.status.success(), "{cmd:?}");
        assert!(
            out.stderr.is_empty(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_long_bad_value_is_quoted_short() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    let long = "x".repeat(100_000);
    for flag in ["--start", "--price"] {
        let mut args = vec!["add", "--platform", "X", "--period", "month"];
        if flag == "--start" {
            args.extend(["--price", "1"]);
        } else {
            args.extend(["--start", "2026-01-01"]);
        }
        args.extend([flag, long.as_str()]);
        let out = tuiding(data).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stderr.len() < 600, "{flag}: {} bytes", out.stderr.len());
    }
}
