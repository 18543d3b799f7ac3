//! Black-box tests of `tuiding terms read` and `tuiding policy import`.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const GOOD: &str = "../tuiding-terms/tests/corpus/good-monthly.txt";
const BAD: &str = "../tuiding-terms/tests/corpus/bad-terms.txt";

fn tuiding(dir: &TempDir) -> Command {
    common::tuiding_at(&dir.path().join("data"), "2026-11-23")
}

#[test]
fn terms_read_reports_and_drafts_a_policy() {
    let dir = TempDir::new().unwrap();
    let out = tuiding(&dir)
        .args(["terms", "read", GOOD, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        r["fields"]["renewal_reminder"][0]["value"]["days_before"],
        5
    );
    let quote = r["fields"]["renewal_reminder"][0]["quote"]
        .as_str()
        .unwrap();
    let text: Vec<char> = std::fs::read_to_string(GOOD).unwrap().chars().collect();
    let (start, end) = (
        r["fields"]["renewal_reminder"][0]["start"]
            .as_u64()
            .unwrap() as usize,
        r["fields"]["renewal_reminder"][0]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[start..end].iter().collect::<String>(), quote);
    let policy = dir.path().join("draft.toml");
    tuiding(&dir)
        .args(["terms", "read", BAD, "--policy-out"])
        .arg(&policy)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("最终解释权").and(predicate::str::contains("已写出规则草稿")),
        );
    let draft = std::fs::read_to_string(&policy).unwrap();
    assert!(draft.contains("method = { value = \"none\""), "{draft}");
    tuiding(&dir)
        .args(["--lang", "en", "terms", "read", BAD])
        .assert()
        .success()
        .stdout(predicate::str::contains("Disclosure check"));
    tuiding(&dir)
        .args(["terms", "read", "-"])
        .write_stdin("本服务为连续包月，每月25元。")
        .assert()
        .success()
        .stdout(predicate::str::contains("续费周期"));
    tuiding(&dir)
        .args(["terms", "read", "nope.txt"])
        .assert()
        .code(1);
    tuiding(&dir)
        .args(["terms", "read", "-"])
        .write_stdin(vec![0_u8, 0xff, 0xfe, 1, 2, 0, 0, 3])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不是 UTF-8 或 GBK"));
}

#[test]
fn policy_import_reads_and_attaches() {
    let dir = TempDir::new().unwrap();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "星河视频",
            "--period",
            "month",
            "--price",
            "25",
            "--start",
            "2026-11-01",
            "--auto-renew",
            "wechat_pay",
        ])
        .assert()
        .success();
    let out = tuiding(&dir)
        .args(["policy", "import", "1", GOOD, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let imported: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(imported["origin"], "terms:good-monthly.txt");
    assert_eq!(
        imported["policy"]["refund"]["method"]["value"],
        "pro_rata_days"
    );
    let check: Value = serde_json::from_slice(
        &tuiding(&dir)
            .args(["check", "1", "--on", "2026-11-21", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        check["refund"]["amount"], "7.50",
        "25.00 × 9 days left / 30"
    );
    assert!(
        check["refund"]["clauses"][0]["quote"]
            .as_str()
            .unwrap()
            .contains("按剩余天数比例退还")
    );
    assert_eq!(
        check["last_safe_cancel_day"], "2026-11-29",
        "24 h cut-off: the renewal is 2026-12-01"
    );
    tuiding(&dir)
        .args(["policy", "import", "9", GOOD])
        .assert()
        .code(1);
}
