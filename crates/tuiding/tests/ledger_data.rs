//! Black-box tests of the ledger's data beyond memberships: backup and restore, export,
//! Wallos import, and costs shared in the household.

mod common;
use common::json;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn tuiding(data: &Path) -> Command {
    tuiding_on(data, "2026-11-20")
}

fn tuiding_on(data: &Path, today: &str) -> Command {
    common::tuiding_at(data, today)
}

/// A ledger with one membership, a case and two pieces of evidence.
fn ledger(data: &Path, dir: &TempDir) {
    tuiding(data)
        .args([
            "add",
            "--platform",
            "爱奇艺",
            "--plan",
            "黄金VIP连续包月",
            "--period",
            "month",
            "--price",
            "25",
            "--start",
            "2026-01-31",
            "--auto-renew",
            "wechat_pay",
        ])
        .assert()
        .success();
    json(tuiding(data).args(["case", "open", "1"]));
    for (name, text) in [("关闭前.png", "before"), ("客服.png", "chat")] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        json(
            tuiding(data)
                .args(["evidence", "add", "1"])
                .arg(&path)
                .args(["--kind", "operation"]),
        );
    }
}

/// Copies a zip, replacing the bytes of the first file whose name starts with `prefix`.
fn tamper(from: &Path, to: &Path, prefix: &str) {
    let mut done = false;
    common::rewrite_zip(from, to, |name, content| {
        if !done && name.starts_with(prefix) {
            content[0] ^= 1;
            done = true;
        }
    });
    assert!(done, "nothing under {prefix}");
}

#[test]
fn backup_then_restore_reproduces_the_ledger_and_the_vault() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a");
    ledger(&a, &dir);
    let archive = dir.path().join("备份.zip");
    let made = json(tuiding(&a).arg("backup").arg(&archive));
    assert_eq!(made["evidence_objects"], 2);
    // Into a new data dir.
    let b = dir.path().join("b");
    let restored = json(tuiding(&b).arg("restore").arg(&archive));
    assert_eq!(restored["previous_data_dir"], Value::Null);
    assert_eq!(json(tuiding(&a).arg("list")), json(tuiding(&b).arg("list")));
    assert_eq!(
        json(tuiding(&a).args(["evidence", "list", "1"])),
        json(tuiding(&b).args(["evidence", "list", "1"]))
    );
    assert_eq!(json(tuiding(&b).args(["vault", "verify"]))["ok"], true);
    assert_eq!(
        json(tuiding(&b).args(["case", "show", "1"]))["state"],
        "opened"
    );
    // Over an existing one: the old one is kept aside, not deleted.
    tuiding(&b).args(["rm", "1", "--yes"]).assert().success();
    let again = json(tuiding(&b).arg("restore").arg(&archive));
    let aside = again["previous_data_dir"].as_str().unwrap();
    assert!(Path::new(aside).join("tuiding.db").is_file());
    assert_eq!(json(tuiding(&b).arg("list")).as_array().unwrap().len(), 1);
}

#[test]
fn a_corrupted_backup_is_refused_and_nothing_changes() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a");
    ledger(&a, &dir);
    let archive = dir.path().join("b.zip");
    json(tuiding(&a).arg("backup").arg(&archive));
    let before = json(tuiding(&a).arg("list"));
    for prefix in ["data/vault/objects/", "data/tuiding.db"] {
        let bad = dir.path().join("bad.zip");
        tamper(&archive, &bad, prefix);
        tuiding(&a)
            .arg("restore")
            .arg(&bad)
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains("备份已损坏")
                    .and(predicate::str::contains("altered_object")),
            );
        assert_eq!(json(tuiding(&a).arg("list")), before, "nothing was changed");
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("before-restore") || n.contains("scratch")),
        "{names:?}"
    );
    // Not a backup at all: a dossier.
    let dossier = dir.path().join("d.zip");
    tuiding(&a)
        .args(["case", "export", "1", "--out"])
        .arg(&dossier)
        .assert()
        .success();
    tuiding(&a)
        .arg("restore")
        .arg(&dossier)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不是 tuiding 备份"));
}

#[test]
fn export_writes_the_whole_ledger_as_json_and_csv() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a");
    ledger(&a, &dir);
    tuiding(&a)
        .args(["policy", "set", "1", "--template", "video-monthly-vip"])
        .assert()
        .success();
    tuiding(&a)
        .args([
            "add",
            "--platform",
            "Spotify, Inc.",
            "--plan",
            "Premium \"Family\"",
            "--period",
            "month",
            "--price",
            "16.99",
            "--currency",
            "USD",
            "--start",
            "2026-03-15",
        ])
        .assert()
        .success();
    let out = tuiding(&a)
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let ledger: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ledger["format"], "tuiding-ledger");
    assert_eq!(
        ledger["memberships"],
        json(tuiding(&a).arg("list")),
        "memberships as list --json"
    );
    assert!(
        ledger["policies"][0]["toml"]
            .as_str()
            .unwrap()
            .contains("[refund]")
    );
    assert_eq!(ledger["cases"][0]["evidence"].as_array().unwrap().len(), 2);
    let file = dir.path().join("会员.csv");
    tuiding(&a)
        .args(["export", "--format", "csv", "--out"])
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    let mut rows = csv::Reader::from_path(&file).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(&records[0][1], "爱奇艺");
    assert_eq!(&records[0][13], "wechat_pay:active");
    assert_eq!(
        (
            &records[1][1],
            &records[1][2],
            &records[1][5],
            &records[1][6]
        ),
        ("Spotify, Inc.", "Premium \"Family\"", "16.99", "USD")
    );
    tuiding(&a)
        .args(["export", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn a_wallos_export_lands_field_by_field_and_says_what_it_skipped() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a");
    let wallos = |file: &str| {
        let mut cmd = tuiding_on(&a, "2026-12-05");
        cmd.args(["import-from", "wallos", file]);
        cmd
    };
    let dry = json(wallos("tests/data/wallos.json").arg("--dry-run"));
    assert_eq!(
        (
            dry["imported"].as_array().unwrap().len(),
            dry["skipped"].as_array().unwrap().len()
        ),
        (4, 1)
    );
    assert_eq!(
        json(tuiding(&a).arg("list")),
        serde_json::json!([]),
        "a dry run writes nothing"
    );
    let report = json(&mut wallos("tests/data/wallos.json"));
    assert_eq!(report["skipped"][0]["name"], "Broken", "{report:#}");
    assert_eq!(
        report["imported"][0]["remarks"].as_array().unwrap().len(),
        1,
        "{report:#}"
    );
    assert!(
        report["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Sometimes")
    );
    let list = json(tuiding_on(&a, "2026-12-05").arg("list"));
    let by = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|m| m["platform"] == name)
            .unwrap()
            .clone()
    };
    let netflix = by("Netflix");
    assert_eq!(
        (netflix["price"].as_str(), netflix["currency"].as_str()),
        (Some("15.49"), Some("USD"))
    );
    assert_eq!(netflix["next_renewal"], "2026-12-31", "{netflix:#}");
    assert_eq!(netflix["category"], "Entertainment");
    assert_eq!(
        netflix["auto_renew"],
        serde_json::json!([{"channel": "alipay", "status": "active"}])
    );
    let notes = netflix["notes"].as_str().unwrap();
    assert!(
        notes.contains("family plan")
            && notes.contains("https://www.netflix.com")
            && notes.contains("Paid by: Bob"),
        "{notes}"
    );
    let iqiyi = by("爱奇艺");
    assert_eq!(
        (iqiyi["period"].as_str(), iqiyi["next_renewal"].as_str()),
        (Some("quarter"), Some("2027-01-15"))
    );
    assert_eq!(iqiyi["auto_renew"][0]["channel"], "wechat_pay");
    // A manual renewal keeps its cycle (issue 14: it was turned into a buy-out).
    let domain = by("Domain");
    assert_eq!(
        (
            domain["billing"].as_str(),
            domain["period"].as_str(),
            domain["next_renewal"].as_str(),
            domain["currency"].as_str()
        ),
        (
            Some("periodic"),
            Some("year"),
            Some("2027-03-01"),
            Some("EUR")
        )
    );
    assert_eq!(domain["auto_renew"], serde_json::json!([]));
    let gym = by("Old Gym");
    assert_eq!(
        gym["auto_renew"],
        serde_json::json!([{"channel": "bank_card", "status": "closed", "closed_on": "2026-08-20"}])
    );
    assert_ne!(gym["status"], "active");
    // CSV, the same fields.
    let csv = json(&mut wallos("tests/data/wallos.csv"));
    assert_eq!(csv["imported"].as_array().unwrap().len(), 2);
    assert_eq!(csv["skipped"][0]["line"], 4);
    assert!(
        csv["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("价格")
    );
    tuiding(&a)
        .args(["import-from", "wallos", "Cargo.toml"])
        .assert()
        .code(1);
}

#[test]
fn a_three_way_split_sums_exactly_and_summary_shows_who_pays_what() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a");
    tuiding(&a)
        .args([
            "add",
            "--platform",
            "爱奇艺",
            "--period",
            "month",
            "--price",
            "25",
            "--start",
            "2026-01-31",
        ])
        .assert()
        .success();
    for name in ["我", "小王", "小李"] {
        json(tuiding(&a).args(["member", "add", name]));
    }
    tuiding(&a)
        .args(["member", "add", "我"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("已存在"));
    let split = json(tuiding(&a).args([
        "split", "1", "--share", "我=1", "--share", "小王=1", "--share", "小李=1",
    ]));
    let amounts: Vec<&str> = split["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount"].as_str().unwrap())
        .collect();
    assert_eq!(
        amounts,
        ["8.34", "8.33", "8.33"],
        "the extra fen goes to the first listed"
    );
    let summary = json(tuiding(&a).args(["summary", "--by", "member"]));
    let yearly: Vec<(&str, &str)> = summary["by_member"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["member"].as_str().unwrap(), m["yearly"].as_str().unwrap()))
        .collect();
    assert_eq!(
        yearly,
        [("小李", "99.96"), ("小王", "99.96"), ("我", "100.08")]
    );
    // Refused, and the split stays as it was.
    tuiding(&a)
        .args(["split", "1", "--fixed", "我=30", "--share", "小王=1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("超过了价格"));
    tuiding(&a)
        .args(["split", "1", "--share", "老张=1"])
        .assert()
        .code(1);
    tuiding(&a).args(["member", "rm", "我"]).assert().code(1);
    assert_eq!(
        json(tuiding(&a).args(["split", "1"]))["parts"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Members' monthly figures add up to the membership's exactly.
    let monthly: Vec<String> = summary_monthly(&a);
    assert_eq!(monthly, ["8.33", "8.33", "8.34"]);
    // A price the split no longer fits is refused.
    json(tuiding(&a).args(["split", "1", "--fixed", "我=10", "--share", "小王=1"]));
    tuiding(&a)
        .args(["edit", "1", "--price", "8"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("分摊"));
    assert_eq!(
        json(tuiding(&a).args(["split", "1"]))["parts"][0]["fixed"],
        "10.00"
    );
    json(tuiding(&a).args(["split", "1", "--clear"]));
    json(tuiding(&a).args(["member", "rm", "我"]));
    let summary = json(tuiding(&a).args(["summary", "--by", "member"]));
    assert_eq!(
        summary["by_member"][0]["member"],
        Value::Null,
        "unshared costs stay visible"
    );
    assert_eq!(summary["by_member"][0]["yearly"], "300.00");
}

fn summary_monthly(data: &Path) -> Vec<String> {
    let summary = json(tuiding(data).args(["summary", "--by", "member"]));
    summary["by_member"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["monthly"].as_str().unwrap().to_string())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_backup_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a");
    ledger(&a, &dir);
    let archive = dir.path().join("b.zip");
    let made = json(tuiding(&a).arg("backup").arg(&archive));
    assert_eq!(
        std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let db = std::fs::metadata(a.join("tuiding.db")).unwrap().len();
    assert!(
        made["memberships_db_bytes"].as_u64().unwrap() > 0
            && made["memberships_db_bytes"].as_u64().unwrap() <= db * 2
    );
}

#[cfg(unix)]
#[test]
fn backup_skips_links_and_restore_follows_a_linked_data_dir() {
    let dir = TempDir::new().unwrap();
    let real = dir.path().join("real");
    ledger(&real, &dir);
    // A link back up the tree must not make the backup recurse.
    std::os::unix::fs::symlink(&real, real.join("loop")).unwrap();
    let archive = dir.path().join("b.zip");
    json(tuiding(&real).arg("backup").arg(&archive));
    // Restoring through a link restores into the directory it points at.
    let target = dir.path().join("target");
    std::fs::create_dir(&target).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    json(tuiding(&link).arg("restore").arg(&archive));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(
        json(tuiding(&link).arg("list")).as_array().unwrap().len(),
        1
    );
}
