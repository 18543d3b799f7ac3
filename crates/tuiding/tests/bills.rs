//! Black-box tests of `tuiding scan` (and the bill commands that build on it) on
//! fixtures written for these tests in tests/data/.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const ALIPAY: &str = "tests/data/alipay-small.csv";
const WECHAT: &str = "tests/data/wechat-small.csv";
const MALFORMED: &str = "tests/data/alipay-malformed.csv";

fn tuiding(dir: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("tuiding").unwrap();
    for var in [
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "TUIDING_LANG",
        "TUIDING_TODAY",
        "TUIDING_DATA_DIR",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--today")
        .arg("2026-11-01");
    cmd
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn scan_follows_the_contract_and_stores_nothing() {
    let dir = TempDir::new().unwrap();
    let report = json(tuiding(&dir).args(["scan", ALIPAY, WECHAT]));
    assert_eq!(report["transactions_read"], 289);
    let streams = report["streams"].as_array().unwrap();
    let by_merchant = |m: &str| {
        streams
            .iter()
            .find(|s| s["merchant"] == m)
            .unwrap_or_else(|| panic!("no {m} in {streams:#?}"))
    };
    let iqiyi = by_merchant("爱奇艺");
    for key in [
        "description",
        "kind",
        "average_amount",
        "last_amount",
        "currency",
        "first_date",
        "last_date",
        "next_date",
        "status",
        "confidence",
    ] {
        assert!(iqiyi.get(key).is_some(), "{key} missing");
    }
    assert_eq!(iqiyi["frequency"], "monthly");
    assert_eq!(iqiyi["kind"], "subscription");
    assert_eq!(iqiyi["average_amount"], "25.00");
    assert_eq!(iqiyi["currency"], "CNY");
    assert_eq!(iqiyi["first_date"], "2026-01-15");
    assert_eq!(iqiyi["next_date"], "2026-11-15");
    assert_eq!(iqiyi["status"], "active");
    assert_eq!(iqiyi["transactions"].as_array().unwrap().len(), 10);
    assert_eq!(
        iqiyi["transactions"][0], "202600000001",
        "ids as written, trimmed of the tab"
    );
    let weekly = by_merchant("星辰卡盟");
    assert_eq!(
        (weekly["frequency"].as_str(), weekly["status"].as_str()),
        (Some("weekly"), Some("ended"))
    );
    assert_eq!(
        weekly["transactions"].as_array().unwrap().len(),
        21,
        "the refunded charge stays, the refund row does not"
    );
    assert_eq!(by_merchant("张**")["kind"], "transfer");
    assert_eq!(by_merchant("知乎")["next_date"], "2026-11-30");
    assert_eq!(
        streams.len(),
        4,
        "lunch, coffee and the corner shop are habits: {streams:#?}"
    );
    assert!(!dir.path().join("data").exists(), "scan is stateless");
}

#[test]
fn scan_text_and_errors() {
    let dir = TempDir::new().unwrap();
    tuiding(&dir)
        .args(["scan", ALIPAY])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("爱奇艺VIP会员连续包月").and(predicate::str::contains("每月")),
        );
    tuiding(&dir)
        .args(["scan", ALIPAY, MALFORMED])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("alipay-malformed.csv:34:47: 金额")
                .and(predicate::str::contains("25.0O")),
        );
    tuiding(&dir)
        .args(["--lang", "en", "scan", MALFORMED])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("expected an amount like 25.00"));
    tuiding(&dir)
        .args(["scan", "tests/data/nope.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nope.csv"));
    tuiding(&dir)
        .args(["scan", "Cargo.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("找不到表头"));
    tuiding(&dir).arg("scan").assert().code(2);
}
