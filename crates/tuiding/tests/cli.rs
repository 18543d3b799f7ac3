//! Black-box tests of the `tuiding` binary on temporary data directories.

mod common;
use common::json;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const TODAY: &str = "2026-11-23";

/// A `tuiding` command on `dir` with a fixed date, Chinese text, and nothing inherited
/// from the developer's environment that would change the output.
fn tuiding(dir: &TempDir) -> Command {
    common::tuiding_at(dir.path(), TODAY)
}

fn add_iqiyi(dir: &TempDir) {
    tuiding(dir)
        .args([
            "add",
            "--platform",
            "爱奇艺",
            "--plan",
            "黄金VIP连续包月",
            "--period",
            "month",
        ])
        .args([
            "--price",
            "25",
            "--start",
            "2026-01-31",
            "--auto-renew",
            "wechat_pay",
        ])
        .assert()
        .success();
}

#[test]
fn the_ledger_contract() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    let list = json(tuiding(&dir).arg("list"));
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 1);
    let m = &items[0];
    assert_eq!(m["id"], 1);
    assert_eq!(m["platform"], "爱奇艺");
    assert_eq!(m["plan"], "黄金VIP连续包月");
    assert_eq!(m["price"], "25.00");
    assert_eq!(m["currency"], "CNY");
    assert_eq!(m["next_renewal"], "2026-11-30");
    assert_eq!(m["days_until_renewal"], 7);
    assert_eq!(
        m["auto_renew"],
        serde_json::json!([{"channel": "wechat_pay", "status": "active"}])
    );
    assert_eq!(m["monthly_cost"], "25.00");
    assert_eq!(m["yearly_cost"], "300.00");
    let show = json(tuiding(&dir).args(["show", "1"]));
    assert_eq!(&show, m);
}

#[test]
fn one_time_and_gifted() {
    let dir = TempDir::new().unwrap();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "京东",
            "--plan",
            "PLUS年卡",
            "--one-time",
            "--price",
            "¥198",
        ])
        .args([
            "--start",
            "2026-06-18",
            "--paid-through",
            "2027-06-17",
            "--benefit",
            "运费券:60:6:14",
        ])
        .assert()
        .success();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "Keep",
            "--gifted",
            "--paid-through",
            "2026-12-05",
            "--start",
            "2026-11-05",
        ])
        .assert()
        .success();
    let list = json(tuiding(&dir).arg("list"));
    let jd = &list[0];
    assert_eq!(jd["billing"], "one_time");
    assert_eq!(jd["period"], Value::Null);
    assert_eq!(jd["next_renewal"], Value::Null);
    assert_eq!(jd["status"], "ending");
    assert_eq!(jd["ends_on"], "2027-06-17");
    assert_eq!(jd["benefits"][0]["remaining"], 46);
    assert_eq!(jd["benefits"][0]["unit_value"], "6.00");
    let keep = &list[1];
    assert_eq!(keep["billing"], "gifted");
    assert_eq!(keep["price"], "0.00");
    assert_eq!(keep["ends_on"], "2026-12-05");
    // --one-time with --period is a usage error.
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "x",
            "--one-time",
            "--period",
            "month",
            "--price",
            "1",
        ])
        .assert()
        .code(2);
}

#[test]
fn bad_input_names_the_field_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    let before = json(tuiding(&dir).arg("list"));
    let base = ["add", "--platform", "腾讯视频", "--period", "month"];
    for (extra, field) in [
        (vec!["--price", "-3"], "--price"),
        (vec!["--price", "25.001"], "--price"),
        (vec!["--price", "abc"], "--price"),
        (vec!["--price", "99999999999999999999"], "--price"),
        (vec!["--price", "25", "--start", "2026-02-30"], "--start"),
        (
            vec!["--price", "25", "--auto-renew", "paypal"],
            "--auto-renew",
        ),
        (
            vec![
                "--price",
                "25",
                "--auto-renew",
                "alipay",
                "--auto-renew",
                "alipay",
            ],
            "--auto-renew",
        ),
        (
            vec![
                "--price",
                "25",
                "--start",
                "2026-03-01",
                "--paid-through",
                "2026-02-01",
            ],
            "--paid-through",
        ),
        (vec!["--price", "25", "--benefit", "券:2:5:3"], "--benefit"),
        (vec!["--price", "25", "--currency", "XYZ"], "--currency"),
        (vec!["--price", "$25", "--currency", "CNY"], "--price"),
    ] {
        tuiding(&dir)
            .args(base)
            .args(&extra)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(field));
    }
    tuiding(&dir)
        .args(["add", "--period", "month", "--price", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--platform"));
    tuiding(&dir)
        .args(["add", "--platform", "x", "--price", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--period"));
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "x",
            "--period",
            "fortnightly",
            "--price",
            "1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--period"));
    tuiding(&dir)
        .args(["edit", "1", "--price", "-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--price"));
    tuiding(&dir)
        .args(["edit", "1", "--close", "paypal"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--close"));
    let after = json(tuiding(&dir).arg("list"));
    assert_eq!(before, after);
}

#[test]
fn errors_in_english_and_zh() {
    let dir = TempDir::new().unwrap();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "x",
            "--period",
            "month",
            "--price",
            "-3",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("错误: --price").and(predicate::str::contains("负数")));
    tuiding(&dir)
        .args([
            "--lang",
            "en",
            "add",
            "--platform",
            "x",
            "--period",
            "month",
            "--price",
            "-3",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("error: --price").and(predicate::str::contains("negative")),
        );
    tuiding(&dir)
        .env("LANG", "en_US.UTF-8")
        .args(["show", "42"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no membership with id 42"));
    tuiding(&dir)
        .args(["show", "42"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("没有编号为 42 的会员"));
    tuiding(&dir)
        .args(["--today", "2026-13-01", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--today"));
    tuiding(&dir)
        .args(["--lang", "fr", "list"])
        .assert()
        .code(2);
    tuiding(&dir).args(["frobnicate"]).assert().code(2);
}

#[test]
fn edit_changes_fields_channels_and_benefits() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    let m = json(tuiding(&dir).args([
        "edit",
        "1",
        "--price",
        "30",
        "--category",
        "视频",
        "--auto-renew",
        "alipay:unknown",
    ]));
    assert_eq!(m["price"], "30.00");
    assert_eq!(m["category"], "视频");
    assert_eq!(m["revision"], 2);
    assert_eq!(
        m["auto_renew"][1],
        serde_json::json!({"channel": "alipay", "status": "unknown"})
    );
    let m = json(tuiding(&dir).args([
        "edit",
        "1",
        "--close",
        "wechat_pay",
        "--close",
        "alipay:2026-11-20",
    ]));
    assert_eq!(
        m["auto_renew"][0],
        serde_json::json!({"channel": "wechat_pay", "status": "closed", "closed_on": TODAY})
    );
    assert_eq!(m["auto_renew"][1]["closed_on"], "2026-11-20");
    assert_eq!(m["status"], "ending");
    assert_eq!(m["next_renewal"], Value::Null);
    assert_eq!(m["ends_on"], "2026-11-29");
    let m = json(tuiding(&dir).args([
        "edit",
        "1",
        "--benefit",
        "观影券:4:15",
        "--redeem",
        "观影券:2",
        "--drop-channel",
        "alipay",
    ]));
    assert_eq!(m["benefits"][0]["redeemed"], 2);
    assert_eq!(m["auto_renew"].as_array().unwrap().len(), 1);
    let m = json(tuiding(&dir).args([
        "edit",
        "1",
        "--period",
        "year",
        "--price",
        "$99",
        "--category",
        "",
    ]));
    assert_eq!(m["period"], "year");
    assert_eq!(m["currency"], "USD");
    assert_eq!(m["category"], Value::Null);
    tuiding(&dir).args(["edit", "1"]).assert().code(2);
    tuiding(&dir)
        .args(["edit", "1", "--redeem", "观影券:3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--benefit"));
    tuiding(&dir)
        .args(["edit", "9", "--price", "1"])
        .assert()
        .code(1);
}

#[test]
fn rm_removes_and_ids_are_not_reused() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    let removed = json(tuiding(&dir).args(["rm", "1"]));
    assert_eq!(removed["removed"]["platform"], "爱奇艺");
    tuiding(&dir).args(["rm", "1"]).assert().code(1);
    add_iqiyi(&dir);
    let list = json(tuiding(&dir).arg("list"));
    assert_eq!(list[0]["id"], 2);
    tuiding(&dir)
        .args(["rm", "2", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("已删除 #2"));
    tuiding(&dir)
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("账本是空的"));
}

#[test]
fn renewals_lists_every_charge_in_the_window() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "阅读星球",
            "--period",
            "week",
            "--price",
            "19",
            "--start",
            "2026-11-02",
        ])
        .assert()
        .success();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "ChatGPT",
            "--period",
            "month",
            "--price",
            "$20",
            "--start",
            "2026-10-06",
        ])
        .assert()
        .success();
    let r = json(tuiding(&dir).args(["renewals", "--within", "30d"]));
    assert_eq!(r["until"], "2026-12-23");
    let dates: Vec<&str> = r["renewals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2026-11-30",
            "2026-11-30",
            "2026-12-06",
            "2026-12-07",
            "2026-12-14",
            "2026-12-21"
        ]
    );
    assert_eq!(
        r["totals"],
        serde_json::json!([{"currency": "CNY", "amount": "101.00"}, {"currency": "USD", "amount": "20.00"}])
    );
    let r = json(tuiding(&dir).args(["renewals", "--within", "7"]));
    assert_eq!(r["renewals"].as_array().unwrap().len(), 2);
    tuiding(&dir)
        .args(["renewals", "--within", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--within"));
    tuiding(&dir)
        .args(["renewals"])
        .assert()
        .success()
        .stdout(predicate::str::contains("合计将扣费 ¥101.00 + $20.00"));
}

#[test]
fn summary_totals_per_currency_and_category() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    tuiding(&dir)
        .args(["edit", "1", "--category", "视频"])
        .assert()
        .success();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "腾讯视频",
            "--period",
            "quarter",
            "--price",
            "68",
            "--category",
            "视频",
        ])
        .assert()
        .success();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "百度网盘",
            "--period",
            "year",
            "--price",
            "258",
            "--category",
            "网盘",
        ])
        .assert()
        .success();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "ChatGPT",
            "--period",
            "month",
            "--price",
            "$20",
        ])
        .assert()
        .success();
    tuiding(&dir)
        .args(["add", "--platform", "京东", "--one-time", "--price", "198"])
        .assert()
        .success();
    let s = json(tuiding(&dir).arg("summary"));
    assert_eq!(s["memberships"], 5);
    assert_eq!(s["renewing"], 4);
    assert_eq!(s["not_renewing"], 1);
    // 25 + 68/3 (22.67) + 258/12 (21.50) = 69.17 a month; 300 + 272 + 258 = 830 a year.
    assert_eq!(
        s["totals"],
        serde_json::json!([
            {"currency": "CNY", "memberships": 3, "monthly": "69.17", "yearly": "830.00"},
            {"currency": "USD", "memberships": 1, "monthly": "20.00", "yearly": "240.00"}
        ])
    );
    assert_eq!(
        s["by_category"][0],
        serde_json::json!({"category": "视频", "currency": "CNY", "memberships": 2, "monthly": "47.67", "yearly": "572.00"})
    );
}

#[test]
fn today_comes_from_the_environment_too() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    let out = Command::cargo_bin("tuiding")
        .unwrap()
        .env("TUIDING_DATA_DIR", dir.path())
        .env("TUIDING_TODAY", "2026-12-01")
        .args(["list", "--json"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["next_renewal"], "2026-12-31");
    assert_eq!(list[0]["days_until_renewal"], 30);
}

#[test]
fn text_output_has_no_colour_when_piped() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    tuiding(&dir)
        .env_remove("NO_COLOR")
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn workdays_use_the_real_calendar_and_newer_data() {
    let dir = TempDir::new().unwrap();
    let r = json(tuiding(&dir).args(["workdays", "2026-09-28", "3"]));
    assert_eq!(r["result"], "2026-10-08");
    let r = json(tuiding(&dir).args(["workdays", "2026-02-12", "7"]));
    assert_eq!(r["result"], "2026-02-28");
    let r = json(tuiding(&dir).args(["workdays", "2026-02-28"]));
    assert_eq!(
        (r["working_day"].as_bool(), r["kind"].as_str()),
        (Some(true), Some("adjusted_workday"))
    );
    tuiding(&dir)
        .args(["workdays", "2026-12-28", "7"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2027").and(predicate::str::contains("holidays.json")));
    std::fs::write(
        dir.path().join("holidays.json"),
        r#"{"holidays": [{"date": "2027-01-01", "name": "New Year's Day", "name_zh": "元旦"}]}"#,
    )
    .unwrap();
    let r = json(tuiding(&dir).args(["workdays", "2026-12-31", "1"]));
    assert_eq!(r["result"], "2027-01-04");
    std::fs::write(
        dir.path().join("holidays.json"),
        "{\n  \"holidays\": [oops]\n}",
    )
    .unwrap();
    tuiding(&dir)
        .args(["workdays", "2026-12-31", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("第 2 行").and(predicate::str::contains("holidays.json")));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        Command::cargo_bin("tuiding")
            .unwrap()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("renewals"));
    }
}

#[test]
fn help_has_examples() {
    for sub in [
        "add",
        "list",
        "show",
        "edit",
        "rm",
        "renewals",
        "summary",
        "demo",
        "workdays",
        "completions",
    ] {
        Command::cargo_bin("tuiding")
            .unwrap()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples"));
    }
}

#[test]
fn demo_never_overwrites_a_real_ledger() {
    let dir = TempDir::new().unwrap();
    add_iqiyi(&dir);
    tuiding(&dir)
        .arg("demo")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不是空目录"));
    assert_eq!(json(tuiding(&dir).arg("list")).as_array().unwrap().len(), 1);
    let demo = TempDir::new().unwrap();
    tuiding(&demo).arg("demo").assert().success();
    // Running it again starts afresh rather than doubling the data.
    let report = json(tuiding(&demo).arg("demo"));
    assert_eq!(report["summary"]["memberships"], 11);
    assert_eq!(report["warnings"][0]["platform"], "芒果TV");
    assert_eq!(
        report["warnings"][0]["still_charging"],
        serde_json::json!(["wechat_pay"])
    );
}

#[test]
fn demo_report_snapshot() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().display().to_string();
    for lang in ["zh", "en"] {
        let out = tuiding(&dir)
            .args(["--lang", lang, "demo"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout)
            .unwrap()
            .replace(&path, "[DATA_DIR]");
        insta::assert_snapshot!(format!("demo_{lang}"), text);
    }
    let list = tuiding(&dir).arg("list").output().unwrap();
    insta::assert_snapshot!("list_zh", String::from_utf8(list.stdout).unwrap());
    let show = tuiding(&dir)
        .args(["--lang", "en", "show", "10"])
        .output()
        .unwrap();
    insta::assert_snapshot!("show_en", String::from_utf8(show.stdout).unwrap());
}
