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
        assert!(
            stderr.contains("#1（爱奇艺）有无法使用的值"),
            "{cmd:?}: {stderr}"
        );
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

/// Output read by a pipe that is already closed (`| head` that stopped): the command
/// ends quietly with exit 0, no panic, no "Broken pipe" message.
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    add_one(data, "爱奇艺");
    for args in [
        &["completions", "bash"][..],
        &["list", "--json"],
        &["list"],
        &["export", "--format", "csv"],
        &["summary", "--json"],
        &["--help"],
    ] {
        let mut child = common::process_at(data, "2026-11-30")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// The CSV opens in Excel on Chinese Windows (a UTF-8 BOM by default, `--no-bom` for
/// scripts), and a name a spreadsheet would run as a formula is written as text.
#[test]
fn the_csv_export_has_a_bom_and_no_formulas() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    tuiding(data)
        .args([
            "add",
            "--platform",
            "=cmd|' /C calc'!A0",
            "--plan",
            "@SUM(A1)",
        ])
        .args([
            "--period",
            "month",
            "--price",
            "25",
            "--start",
            "2026-01-31",
        ])
        .args(["--category", "+视频", "--notes=-2+3"])
        .assert()
        .success();
    let out = tuiding(data)
        .args(["export", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFid,platform,"));
    let text = String::from_utf8(out.stdout[3..].to_vec()).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=cmd|' /C calc'!A0");
    assert_eq!(&row[2], "'@SUM(A1)");
    assert_eq!(&row[16], "'+视频");
    assert_eq!(&row[17], "'-2+3");
    let plain = tuiding(data)
        .args(["export", "--format", "csv", "--no-bom"])
        .output()
        .unwrap();
    assert!(plain.stdout.starts_with(b"id,platform,"));
}

/// Calendar events ring: the last safe cancel day at each reminder lead day.
#[test]
fn calendar_events_carry_alarms_at_the_lead_days() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    add_one(data, "爱奇艺");
    tuiding(data)
        .args(["reminders", "1", "--days", "7,1"])
        .assert()
        .success();
    let out = tuiding(data).args(["export", "ics"]).output().unwrap();
    let ics = String::from_utf8(out.stdout).unwrap().replace("\r\n ", "");
    let last_safe = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("UID:last-safe-1-"))
        .expect("a last safe day event");
    assert!(last_safe.contains("TRIGGER:-P6DT15H"), "{last_safe}");
    assert!(last_safe.contains("TRIGGER:-PT15H"), "{last_safe}");
}

/// A monthly membership to add while something else holds the database.
const ADD_TENCENT: [&str; 9] = [
    "add",
    "--platform",
    "腾讯视频",
    "--period",
    "month",
    "--price",
    "30",
    "--start",
    "2026-01-01",
];

/// A writer that finds the database held by another process past the busy timeout says
/// so (not a raw SQLite message) and writes nothing; within the timeout it waits.
#[test]
fn a_busy_database_is_named_and_nothing_is_written() {
    let dir = TempDir::new().unwrap();
    let data = dir.path();
    add_one(data, "爱奇艺");
    let before = dump(data);
    let conn = rusqlite::Connection::open(data.join("tuiding.db")).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = tuiding(data)
        .env("TUIDING_BUSY_TIMEOUT_MS", "200")
        .args(ADD_TENCENT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("数据库正被另一个 tuiding 进程占用"),
        "{stderr}"
    );
    conn.execute_batch("ROLLBACK").unwrap();
    drop(conn);
    assert_eq!(dump(data), before);
    // Held for a moment only: the writer waits and succeeds.
    while_held_for_a_moment(data, &ADD_TENCENT);
    // An edit reads before it writes: in a deferred transaction SQLite answered "busy" at
    // once, without waiting. Every write transaction now takes the lock as it begins.
    while_held_for_a_moment(data, &["edit", "1", "--price", "31"]);
}

/// Runs `args` while another connection holds the write lock for 300 ms: it must wait
/// and succeed.
fn while_held_for_a_moment(data: &Path, args: &[&str]) {
    let conn = rusqlite::Connection::open(data.join("tuiding.db")).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        conn.execute_batch("COMMIT").unwrap();
    });
    tuiding(data).args(args).assert().success();
    release.join().unwrap();
}

/// Many commands on a data dir that does not exist yet: each one waits for the one that
/// creates it, none fails.
#[test]
fn commands_on_a_new_data_dir_at_once_all_succeed() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("new");
    let children: Vec<_> = (0..8)
        .map(|i| {
            common::process_at(&data, "2026-11-30")
                .args([
                    "add",
                    "--platform",
                    &format!("平台{i}"),
                    "--period",
                    "month",
                ])
                .args(["--price", "10", "--start", "2026-01-01"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        json(tuiding(&data).arg("list")).as_array().unwrap().len(),
        8
    );
}

/// `restore` writes owner-only files and refuses a backup whose database has a damaged
/// page even when the archive's manifest matches it (it used to check only that it opens).
#[test]
fn restore_writes_owner_only_files_and_refuses_a_damaged_database() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    for i in 0..200 {
        tuiding(&data)
            .args([
                "add",
                "--platform",
                &format!("平台{i}"),
                "--period",
                "month",
            ])
            .args([
                "--price",
                "10",
                "--start",
                "2026-01-01",
                "--notes",
                &"备注".repeat(50),
            ])
            .assert()
            .success();
    }
    let archive = dir.path().join("b.zip");
    tuiding(&data)
        .args(["backup", archive.to_str().unwrap()])
        .assert()
        .success();
    tuiding(&data)
        .args(["restore", archive.to_str().unwrap()])
        .assert()
        .success();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("tuiding.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Damage a page in the middle of the database, and rewrite the manifest to match.
    let damaged = dir.path().join("damaged.zip");
    let mut db = Vec::new();
    common::rewrite_zip(&archive, &damaged, |name, content| {
        if name == "data/tuiding.db" {
            let page = 4096 * (content.len() / 4096 / 2);
            for b in &mut content[page..page + 64] {
                *b = 0xFF;
            }
            db = content.clone();
        }
    });
    let fixed = dir.path().join("damaged-fixed.zip");
    let (sha, sm3) = tuiding_vault::digest::digests(&db);
    common::rewrite_zip(&damaged, &fixed, |name, content| {
        if name == "manifest.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(content).unwrap();
            for f in manifest["files"].as_array_mut().unwrap() {
                if f["path"] == "data/tuiding.db" {
                    f["sha256"] = sha.clone().into();
                    f["sm3"] = sm3.clone().into();
                }
            }
            *content = serde_json::to_vec(&manifest).unwrap();
        }
    });
    let before = dump(&data);
    let out = tuiding(&data)
        .args(["restore", fixed.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("损坏") || stderr.contains("malformed"),
        "{stderr}"
    );
    assert_eq!(dump(&data), before, "nothing was changed");
}
