//! Black-box tests of `tuiding policy` and `tuiding check`, including the worked
//! examples E1–E9 of docs/policy.md.

mod common;
use common::json;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn tuiding(dir: &TempDir) -> Command {
    common::tuiding_at(dir.path(), "2026-11-23")
}

/// Adds a membership with a policy (written to a file) and returns the check on `on`.
fn check_with(dir: &TempDir, add: &[&str], policy: &str, on: &str) -> Value {
    let file = dir
        .path()
        .join(format!("policy-{}.toml", rand_suffix(add, policy)));
    std::fs::write(&file, policy).unwrap();
    let added = json(tuiding(dir).arg("add").args(add).arg("--policy").arg(&file));
    let id = added["id"].to_string();
    json(tuiding(dir).args(["check", &id, "--on", on]))
}

fn rand_suffix(add: &[&str], policy: &str) -> usize {
    add.iter().map(|s| s.len()).sum::<usize>() * 1000 + policy.len()
}

const E1: &str = "[refund]\nmethod = \"pro_rata_days\"\nrounding = \"down\"\n";
const E2: &str =
    "[refund]\nmethod = \"used_months_at_list_price\"\nlist_price_per_month = \"25.00\"\n";
const MONTHLY_30: &[&str] = &[
    "--platform",
    "某视频",
    "--period",
    "month",
    "--price",
    "30.00",
    "--start",
    "2026-11-01",
];
const YEARLY_198: &[&str] = &[
    "--platform",
    "某会员",
    "--period",
    "year",
    "--price",
    "198.00",
    "--start",
    "2026-03-01",
];

#[test]
fn e1_to_e4_refund_methods() {
    let dir = TempDir::new().unwrap();
    let c = check_with(&dir, MONTHLY_30, E1, "2026-11-21");
    assert_eq!(c["refund"]["amount"], "9.00");
    assert_eq!(c["refund"]["currency"], "CNY");
    assert!(
        c["refund"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().contains("× 9 / 30"))
    );
    assert_eq!(
        check_with(&dir, YEARLY_198, E2, "2026-06-15")["refund"]["amount"],
        "98.00"
    );
    let e3 = [
        "--platform",
        "卡盟",
        "--period",
        "year",
        "--price",
        "292.00",
        "--start",
        "2026-01-01",
    ];
    let c = check_with(
        &dir,
        &e3,
        "[refund]\nmethod = \"consumed_days_fee\"\ndiscount_ratio = 0.8\n",
        "2026-04-10",
    );
    assert_eq!(c["refund"]["amount"], "192.00");
    assert_eq!(c["refund"]["days_used"], 100);
    let c = check_with(
        &dir,
        MONTHLY_30,
        &format!("{E1}handling_fee_percent = 10\n"),
        "2026-11-21",
    );
    assert_eq!(c["refund"]["amount"], "8.10");
}

#[test]
fn e5_redeemed_voucher_and_e6_cooling_off_and_e7_buyout() {
    let dir = TempDir::new().unwrap();
    let with_voucher: Vec<&str> = YEARLY_198
        .iter()
        .copied()
        .chain(["--benefit", "观影券:4:15:1"])
        .collect();
    let c = check_with(
        &dir,
        &with_voucher,
        &format!("{E2}redeemed_benefits = \"deduct_value\"\n"),
        "2026-06-15",
    );
    assert_eq!(c["refund"]["amount"], "83.00");
    let c = check_with(
        &dir,
        &with_voucher,
        &format!("{E2}redeemed_benefits = \"void_refund\"\n"),
        "2026-06-15",
    );
    assert_eq!(c["refund"]["amount"], "0.00");
    assert!(c["refund"]["lines"].to_string().contains("void_refund"));
    let e6 = [
        "--platform",
        "x",
        "--period",
        "year",
        "--price",
        "198.00",
        "--start",
        "2026-11-18",
    ];
    let c = check_with(
        &dir,
        &e6,
        "[refund]\nmethod = \"pro_rata_days\"\ncooling_off_days = 7\n",
        "2026-11-23",
    );
    assert_eq!(c["refund"]["amount"], "198.00");
    assert_eq!(c["advice"]["action"], "cancel_now");
    let e7 = [
        "--platform",
        "京东",
        "--one-time",
        "--price",
        "198",
        "--start",
        "2026-06-18",
        "--paid-through",
        "2027-06-17",
    ];
    let c = check_with(&dir, &e7, "[refund]\nmethod = \"none\"\n", "2026-11-23");
    assert_eq!(c["refund"]["amount"], "0.00");
    assert!(c["refund"]["lines"].to_string().contains("不予退款"));
    assert!(c["risks"].to_string().contains("one_time_buyout"));
}

#[test]
fn e8_refund_eta_and_e9_last_safe_day() {
    let dir = TempDir::new().unwrap();
    let add = [
        "--platform",
        "x",
        "--period",
        "month",
        "--price",
        "30",
        "--start",
        "2026-09-01",
    ];
    let c = check_with(
        &dir,
        &add,
        "[refund]\nmethod = \"pro_rata_days\"\n[timing]\nrefund_working_days = [3, 7]\nrefund_max_days = 15\n",
        "2026-09-28",
    );
    assert_eq!(c["refund_eta"]["earliest"], "2026-10-08");
    assert_eq!(c["refund_eta"]["latest"], "2026-10-13");
    assert_eq!(c["refund_eta"]["overdue_after"], "2026-10-13");
    let add = [
        "--platform",
        "爱奇艺",
        "--period",
        "month",
        "--price",
        "25",
        "--start",
        "2026-01-31",
        "--auto-renew",
        "wechat_pay",
    ];
    let c = check_with(&dir, &add, "", "2026-11-23");
    assert_eq!(c["next_renewal"], "2026-11-30");
    assert_eq!(c["last_safe_cancel_day"], "2026-11-29");
    let c = check_with(
        &dir,
        &add,
        "[timing]\ncancel_cutoff_hours = 24\n",
        "2026-11-23",
    );
    assert_eq!(c["last_safe_cancel_day"], "2026-11-28");
    assert_eq!(c["channels_to_close"][0]["channel"], "wechat_pay");
    assert!(
        c["channels_to_close"][0]["how"]
            .as_str()
            .unwrap()
            .contains("扣费")
            || c["channels_to_close"][0]["how"]
                .as_str()
                .unwrap()
                .contains("自动续费")
    );
    assert!(c["warnings"].to_string().contains("in_app_is_not_enough"));
    assert!(c["missing_facts"].to_string().contains("refund.method"));
    assert_eq!(c["refund"], Value::Null);
    assert_eq!(c["advice"]["action"], "keep_until_period_end");
    assert!(!c["advice"]["reasons"].as_array().unwrap().is_empty());
}

#[test]
fn check_without_policy_says_what_is_missing() {
    let dir = TempDir::new().unwrap();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "芒果TV",
            "--period",
            "month",
            "--price",
            "22",
            "--start",
            "2026-05-17",
        ])
        .assert()
        .success();
    let c = json(tuiding(&dir).args(["check", "1"]));
    assert_eq!(c["policy_origin"], Value::Null);
    let missing = c["missing_facts"].to_string();
    assert!(
        missing.contains("\"policy\"") && missing.contains("auto_renew_channels"),
        "{missing}"
    );
    assert_eq!(c["voided_benefits"], serde_json::json!([]));
    tuiding(&dir)
        .args(["check", "1", "--on", "someday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--on"));
    tuiding(&dir).args(["check", "7"]).assert().code(1);
}

#[test]
fn templates_fill_the_membership_and_set_the_policy() {
    let dir = TempDir::new().unwrap();
    let names: Vec<String> = json(tuiding(&dir).args(["policy", "templates"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    for required in [
        "kameng-annual",
        "video-monthly-vip",
        "one-time-buyout",
        "gifted-member",
        "app-store-subscription",
    ] {
        assert!(
            names.iter().any(|n| n == required),
            "{required} missing from {names:?}"
        );
    }
    let m = json(tuiding(&dir).args([
        "add",
        "--platform",
        "星辰卡盟",
        "--template",
        "kameng-annual",
        "--start",
        "2026-03-01",
    ]));
    assert_eq!(
        (m["period"].as_str(), m["price"].as_str()),
        (Some("year"), Some("128.00"))
    );
    assert_eq!(m["auto_renew"][0]["channel"], "alipay");
    let p = json(tuiding(&dir).args(["policy", "show", "1"]));
    assert_eq!(p["origin"], "template:kameng-annual");
    assert_eq!(
        p["policy"]["refund"]["method"]["value"],
        "consumed_days_fee"
    );
    let m = json(tuiding(&dir).args([
        "add",
        "--platform",
        "Keep",
        "--template",
        "gifted-member",
        "--paid-through",
        "2026-12-31",
        "--start",
        "2026-11-01",
    ]));
    assert_eq!(m["billing"], "gifted");
    let c = json(tuiding(&dir).args(["check", "2"]));
    assert_eq!(c["advice"]["action"], "contact_support");
    let m = json(tuiding(&dir).args([
        "add",
        "--platform",
        "ChatGPT",
        "--price",
        "$20",
        "--template",
        "app-store-subscription",
        "--start",
        "2026-10-06",
    ]));
    assert_eq!(m["currency"], "USD");
    let c = json(tuiding(&dir).args(["check", "3"]));
    assert_eq!(c["next_renewal"], "2026-12-06");
    assert_eq!(c["last_safe_cancel_day"], "2026-12-04");
    tuiding(&dir)
        .args(["add", "--platform", "x", "--template", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kameng-annual"));
    let text = tuiding(&dir)
        .args(["policy", "template", "video-monthly-vip"])
        .output()
        .unwrap()
        .stdout;
    assert!(
        String::from_utf8(text)
            .unwrap()
            .contains("method = \"none\"")
    );
}

#[test]
fn policy_set_show_rm_and_user_templates() {
    let dir = TempDir::new().unwrap();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "x",
            "--period",
            "month",
            "--price",
            "30",
            "--start",
            "2026-11-01",
        ])
        .assert()
        .success();
    let file = dir.path().join("mine.toml");
    let text = "# 我的规则\n[refund]\nmethod = { value = \"pro_rata_days\", source = \"未使用天数按比例退还。\", confidence = 0.8 }\n";
    std::fs::write(&file, text).unwrap();
    tuiding(&dir)
        .args(["policy", "set", "1"])
        .arg(&file)
        .assert()
        .success();
    let shown = tuiding(&dir)
        .args(["policy", "show", "1"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(shown.stdout)
            .unwrap()
            .contains(text.trim_end())
    );
    let c = json(tuiding(&dir).args(["check", "1", "--on", "2026-11-21"]));
    assert_eq!(c["refund"]["clauses"][0]["quote"], "未使用天数按比例退还。");
    assert_eq!(
        c["refund"]["fields_used"],
        serde_json::json!(["refund.method"])
    );
    tuiding(&dir)
        .args(["policy", "set", "1", "-"])
        .write_stdin("[refund]\nmethod = \"full\"\n")
        .assert()
        .success();
    assert_eq!(
        json(tuiding(&dir).args(["policy", "show", "1"]))["origin"],
        "stdin"
    );
    let removed = json(tuiding(&dir).args(["policy", "rm", "1"]));
    assert_eq!(removed["removed"], true);
    tuiding(&dir)
        .args(["policy", "show", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("policy set"));
    std::fs::create_dir(dir.path().join("platforms")).unwrap();
    std::fs::write(dir.path().join("platforms").join("my-gym.toml"), "[plan]\ndescription = \"健身房月卡\"\nbilling = \"periodic\"\nperiod = \"month\"\nprice = \"199\"\n[refund]\nmethod = \"none\"\n").unwrap();
    let m = json(tuiding(&dir).args(["add", "--platform", "乐刻", "--template", "my-gym"]));
    assert_eq!(m["price"], "199.00");
}

#[test]
fn policy_typos_fail_with_file_line_key_and_reason() {
    let dir = TempDir::new().unwrap();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "x",
            "--period",
            "month",
            "--price",
            "30",
        ])
        .assert()
        .success();
    let before = json(tuiding(&dir).arg("list"));
    let bad = dir.path().join("bad.toml");
    for (text, needle) in [
        (
            "[refund]\nmethod = \"pro_rata\"\n",
            "bad.toml 第 2 行第 10 列：refund.method：",
        ),
        ("[refund]\nmethd = \"full\"\n", "refund.methd"),
        (
            "[timing]\nrefund_working_days = [7, 3]\n",
            "timing.refund_working_days",
        ),
        ("[refund]\ndiscount_ratio = 1.5\n", "refund.discount_ratio"),
    ] {
        std::fs::write(&bad, text).unwrap();
        tuiding(&dir)
            .args(["policy", "set", "1"])
            .arg(&bad)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(needle));
        tuiding(&dir)
            .args([
                "add",
                "--platform",
                "y",
                "--period",
                "month",
                "--price",
                "1",
                "--policy",
            ])
            .arg(&bad)
            .assert()
            .code(1);
    }
    std::fs::write(&bad, "[refund]\nmethod = \"pro_rata\"\n").unwrap();
    tuiding(&dir)
        .args(["--lang", "en", "policy", "set", "1"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            ":2:10: refund.method: unknown variant `pro_rata`",
        ));
    assert_eq!(before, json(tuiding(&dir).arg("list")));
    tuiding(&dir).args(["policy", "show", "1"]).assert().code(1);
}

#[test]
fn check_report_snapshot() {
    let dir = TempDir::new().unwrap();
    tuiding(&dir)
        .args([
            "add",
            "--platform",
            "百度网盘",
            "--plan",
            "超级会员连续包年",
            "--period",
            "year",
            "--price",
            "258",
        ])
        .args([
            "--start",
            "2026-03-01",
            "--auto-renew",
            "alipay",
            "--auto-renew",
            "in_app:closed:2026-11-20",
        ])
        .args([
            "--benefit",
            "免费试用券:12:5:4",
            "--template",
            "annual-list-price",
        ])
        .assert()
        .success();
    for lang in ["zh", "en"] {
        let out = tuiding(&dir)
            .args(["--lang", lang, "check", "1"])
            .output()
            .unwrap();
        assert!(out.status.success());
        insta::assert_snapshot!(
            format!("check_{lang}"),
            String::from_utf8(out.stdout).unwrap()
        );
    }
}
