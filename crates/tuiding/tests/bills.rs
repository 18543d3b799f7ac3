//! Black-box tests of `tuiding scan` (and the bill commands that build on it) on
//! fixtures written for these tests in tests/data/.

mod common;
use common::json;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const ALIPAY: &str = "tests/data/alipay-small.csv";
const WECHAT: &str = "tests/data/wechat-small.csv";
const MALFORMED: &str = "tests/data/alipay-malformed.csv";

fn tuiding(dir: &TempDir) -> Command {
    common::tuiding_at(&dir.path().join("data"), "2026-11-01")
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

#[test]
fn import_is_idempotent_and_streams_can_be_adopted_dismissed_and_alerted() {
    let dir = TempDir::new().unwrap();
    let first = json(tuiding(&dir).args(["import", ALIPAY, WECHAT]));
    assert_eq!(
        (first[0]["read"].as_u64(), first[0]["added"].as_u64()),
        (Some(276), Some(276))
    );
    assert_eq!(first[1]["format"], "WeChat Pay CSV");
    let again = json(tuiding(&dir).args(["import", ALIPAY]));
    assert_eq!(again[0]["added"], 0, "re-importing adds nothing");
    // A malformed file in the batch imports nothing at all.
    tuiding(&dir)
        .args(["import", WECHAT, MALFORMED])
        .assert()
        .code(1);
    let listed = json(tuiding(&dir).arg("streams"));
    assert_eq!(listed["transactions_stored"], 289);
    assert_eq!(listed["as_of"], "2026-10-31");
    let streams = listed["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 4);
    let number_of = |m: &str| {
        streams.iter().find(|s| s["merchant"] == m).unwrap()["number"]
            .as_u64()
            .unwrap()
            .to_string()
    };
    let iqiyi = number_of("爱奇艺");
    let rent = number_of("张**");
    let adopted = json(tuiding(&dir).args(["streams", "adopt", &iqiyi]));
    assert_eq!(adopted["platform"], "爱奇艺");
    assert_eq!(adopted["period"], "month");
    assert_eq!(adopted["price"], "25.00");
    assert_eq!(adopted["start"], "2026-01-15");
    assert_eq!(
        adopted["auto_renew"],
        serde_json::json!([{"channel": "alipay", "status": "active"}])
    );
    tuiding(&dir)
        .args(["streams", "adopt", &iqiyi])
        .assert()
        .code(1);
    json(tuiding(&dir).args(["streams", "dismiss", &rent]));
    let listed = json(tuiding(&dir).arg("streams"));
    let streams = listed["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 3, "the dismissed stream is gone");
    assert!(
        streams
            .iter()
            .any(|s| s["merchant"] == "爱奇艺" && s["membership_id"] == 1)
    );
    assert_eq!(listed["alerts"], serde_json::json!([]));
    // Closing the Alipay agreement on 2026-08-01 turns the later charges into evidence.
    tuiding(&dir)
        .args(["edit", "1", "--close", "alipay:2026-08-01"])
        .assert()
        .success();
    let alerts = json(tuiding(&dir).arg("streams"))["alerts"].clone();
    let dates: Vec<&str> = alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-08-15", "2026-09-15", "2026-10-15"]);
    assert_eq!(alerts[0]["kind"], "charged_after_cancellation");
    assert_eq!(alerts[0]["amount"], "25.00");
    assert_eq!(alerts[0]["source_id"], "202600000008");
    assert!(alerts[0]["line"].as_u64().unwrap() > 13);
    tuiding(&dir)
        .arg("streams")
        .assert()
        .success()
        .stdout(predicate::str::contains("退订后仍被扣费"));
    tuiding(&dir)
        .args(["streams", "adopt", "99"])
        .assert()
        .code(1);
}

#[test]
fn bank_statements_are_recognised_and_a_payment_seen_twice_counts_once() {
    let dir = TempDir::new().unwrap();
    let bank_only = json(tuiding(&dir).args(["scan", "tests/data/cmb-debit.csv"]));
    assert_eq!(bank_only["transactions_read"], 104);
    let streams = bank_only["streams"].as_array().unwrap();
    let mobile = streams
        .iter()
        .find(|s| s["merchant"].as_str().unwrap().contains("中国移动"))
        .expect("the phone bill");
    assert_eq!(
        (mobile["frequency"].as_str(), mobile["kind"].as_str()),
        (Some("monthly"), Some("bill"))
    );
    assert!(
        streams
            .iter()
            .any(|s| s["merchant"] == "北京爱奇艺科技有限公司" || s["merchant"] == "爱奇艺"),
        "{streams:#?}"
    );
    assert!(
        !streams.iter().any(|s| s["description"] == "代发工资"),
        "income is not a charge"
    );
    // With the Alipay export too, the card lines of Alipay payments are not counted again.
    let both = json(tuiding(&dir).args(["scan", ALIPAY, "tests/data/cmb-debit.csv"]));
    let streams = both["streams"].as_array().unwrap();
    let iqiyi: Vec<&Value> = streams
        .iter()
        .filter(|s| {
            s["description"].as_str().unwrap_or("").contains("爱奇艺")
                || s["merchant"].as_str().unwrap().contains("爱奇艺")
        })
        .collect();
    assert_eq!(iqiyi.len(), 1, "{iqiyi:#?}");
    assert_eq!(iqiyi[0]["transactions"].as_array().unwrap().len(), 10);
    assert!(
        iqiyi[0]["transactions"][0]
            .as_str()
            .unwrap()
            .starts_with("2026"),
        "the Alipay rows are kept"
    );
}

#[test]
fn a_custom_bank_mapping_reads_another_layout() {
    let dir = TempDir::new().unwrap();
    let statement = dir.path().join("mybank.csv");
    let mut text = String::from("流水日期,金额,用途,对方\n");
    for month in 1..=8 {
        text.push_str(&format!("2026{month:02}20,-88.00,会员月费,某健身房\n"));
    }
    std::fs::write(&statement, text).unwrap();
    tuiding(&dir)
        .args(["scan"])
        .arg(&statement)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("找不到表头"));
    let mapping = dir.path().join("mybank.toml");
    std::fs::write(&mapping, "name = \"我的银行\"\n[columns]\ndate = \"流水日期\"\namount = \"金额\"\ndescription = \"用途\"\ncounterparty = \"对方\"\n").unwrap();
    let report = json(
        tuiding(&dir)
            .args(["scan"])
            .arg(&statement)
            .arg("--mapping")
            .arg(&mapping),
    );
    assert_eq!(report["streams"][0]["merchant"], "某健身房");
    assert_eq!(report["streams"][0]["frequency"], "monthly");
    // The same mapping in the data dir's banks/ folder needs no flag.
    std::fs::create_dir_all(dir.path().join("data").join("banks")).unwrap();
    std::fs::copy(
        &mapping,
        dir.path().join("data").join("banks").join("mybank.toml"),
    )
    .unwrap();
    let imported = json(tuiding(&dir).args(["import"]).arg(&statement));
    assert_eq!(imported[0]["bank"], "我的银行");
    std::fs::write(&mapping, "name = \"坏\"\n[columns]\ndate = \"流水日期\"\n").unwrap();
    tuiding(&dir)
        .args(["scan"])
        .arg(&statement)
        .arg("--mapping")
        .arg(&mapping)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("mybank.toml"));
}

#[test]
fn wechat_xlsx_scans_and_imports() {
    let dir = TempDir::new().unwrap();
    let report = json(tuiding(&dir).args(["scan", "tests/data/wechat-2026.xlsx"]));
    assert_eq!(report["streams"][0]["merchant"], "芒果TV");
    assert_eq!(report["streams"][0]["last_amount"], "22.00");
    let imported = json(tuiding(&dir).args(["import", "tests/data/wechat-2026.xlsx"]));
    assert_eq!(
        (
            imported[0]["read"].as_u64(),
            imported[0]["encoding"].as_str()
        ),
        (Some(10), Some("XLSX"))
    );
    std::fs::write(
        dir.path().join("broken.xlsx"),
        b"PK\x03\x04 not really a zip",
    )
    .unwrap();
    tuiding(&dir)
        .args(["scan"])
        .arg(dir.path().join("broken.xlsx"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("XLSX"));
}
