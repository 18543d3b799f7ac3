//! Black-box tests of what trackers need: free trials, reminder lead days and price history.

mod common;
use common::{json, tuiding_at};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn tuiding(dir: &TempDir, today: &str) -> Command {
    common::tuiding_at(&dir.path().join("data"), today)
}

#[test]
fn a_trial_converting_on_a_month_end_is_a_key_date_everywhere() {
    let dir = TempDir::new().unwrap();
    let t = |day: &str| tuiding(&dir, day);
    json(t("2027-01-24").args([
        "add",
        "--platform",
        "腾讯视频",
        "--plan",
        "VIP连续包月",
        "--period",
        "month",
        "--price",
        "30",
        "--trial-days",
        "7",
        "--auto-renew",
        "wechat_pay",
    ]));
    let shown = json(t("2027-01-25").args(["show", "1"]));
    assert_eq!(
        (
            shown["status"].as_str(),
            shown["trial_until"].as_str(),
            shown["next_renewal"].as_str()
        ),
        (Some("trial"), Some("2027-01-31"), Some("2027-01-31"))
    );
    let renewals = json(t("2027-01-25").args(["renewals", "--within", "70d"]));
    let kinds: Vec<(&str, &str)> = renewals["renewals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["date"].as_str().unwrap(), r["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("2027-01-31", "trial_converts"),
            ("2027-02-28", "renewal"),
            ("2027-03-31", "renewal")
        ]
    );
    let check = json(t("2027-01-25").args(["check", "1"]));
    assert_eq!(check["last_safe_cancel_day"], "2027-01-30");
    assert!(
        check["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "trial_converts"),
        "{check:#}"
    );
    let due = json(t("2027-01-25").arg("due"));
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "last_safe_cancel_day" && i["date"] == "2027-01-30"),
        "{due:#}"
    );
    // Converted: active, renewing on month ends.
    let later = json(t("2027-02-01").args(["show", "1"]));
    assert_eq!(
        (later["status"].as_str(), later["next_renewal"].as_str()),
        (Some("active"), Some("2027-02-28"))
    );
    // Closed during the trial: nothing is ever charged.
    json(t("2027-01-26").args(["edit", "1", "--close", "wechat_pay"]));
    let closed = json(t("2027-01-27").args(["show", "1"]));
    assert_eq!(
        (
            closed["status"].as_str(),
            closed["next_renewal"].as_str(),
            closed["ends_on"].as_str()
        ),
        (Some("ending"), None, Some("2027-01-30"))
    );
    // Bad input.
    t("2027-01-24")
        .args([
            "add",
            "--platform",
            "x",
            "--period",
            "month",
            "--price",
            "1",
            "--trial-days",
            "0",
        ])
        .assert()
        .code(2);
    t("2027-01-24")
        .args([
            "add",
            "--platform",
            "x",
            "--period",
            "month",
            "--price",
            "1",
            "--start",
            "2027-01-24",
            "--trial-until",
            "2027-01-20",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--trial-until"));
    json(t("2027-01-26").args(["edit", "1", "--trial-until", "none"]));
    assert_eq!(
        json(t("2027-01-27").args(["show", "1"]))["trial_until"],
        Value::Null
    );
}

#[test]
fn a_token_charge_before_a_stream_is_adopted_as_a_trial() {
    let dir = TempDir::new().unwrap();
    json(tuiding(&dir, "2026-11-01").args(["import", "tests/data/alipay-trial.csv"]));
    let adopted = json(tuiding(&dir, "2026-11-01").args(["streams", "adopt", "1"]));
    assert_eq!(
        (adopted["start"].as_str(), adopted["trial_until"].as_str()),
        (Some("2026-05-24"), Some("2026-05-31"))
    );
    assert_eq!(adopted["price"], "25.00");
    assert_eq!(
        adopted["next_renewal"], "2026-11-30",
        "renewals anchored on the first full charge (a 31st)"
    );
}

#[test]
fn reminder_lead_days_per_membership_with_a_default_in_config() {
    let dir = TempDir::new().unwrap();
    let t = |day: &str| tuiding(&dir, day);
    json(t("2026-11-10").args([
        "add",
        "--platform",
        "爱奇艺",
        "--period",
        "month",
        "--price",
        "25",
        "--start",
        "2026-01-31",
    ]));
    let shown = json(t("2026-11-10").args(["reminders", "1"]));
    assert_eq!(
        (shown["lead_days"].clone(), shown["source"].as_str()),
        (serde_json::json!([7, 1]), Some("built_in"))
    );
    assert_eq!(shown["last_safe_cancel_day"], "2026-11-29");
    assert_eq!(shown["reminders"][0]["date"], "2026-11-22");
    // 19 days ahead: nothing due with the default 7-day lead.
    assert_eq!(json(t("2026-11-10").arg("due")), serde_json::json!([]));
    let set = json(t("2026-11-10").args(["reminders", "1", "--days", "1,21,21"]));
    assert_eq!(set["lead_days"], serde_json::json!([21, 1]));
    assert_eq!(set["reminders"][0]["date"], "2026-11-08");
    assert_eq!(
        json(t("2026-11-10").arg("due"))[0]["kind"],
        "last_safe_cancel_day"
    );
    // The config default applies once the membership's own is removed.
    std::fs::write(
        dir.path().join("data/config.toml"),
        "[reminders]\nlead_days = [30, 3]\n",
    )
    .unwrap();
    let back = json(t("2026-11-10").args(["reminders", "1", "--default"]));
    assert_eq!(
        (back["lead_days"].clone(), back["source"].as_str()),
        (serde_json::json!([30, 3]), Some("config"))
    );
    std::fs::write(
        dir.path().join("data/config.toml"),
        "[reminders]\nlead_dayz = [30]\n",
    )
    .unwrap();
    t("2026-11-10")
        .args(["reminders", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 2").and(predicate::str::contains("lead_dayz")));
    t("2026-11-10")
        .args(["reminders", "1", "--days", "400"])
        .assert()
        .code(2);
    t("2026-11-10").args(["reminders", "9"]).assert().code(1);
}

#[test]
fn a_price_rise_detected_from_charges_is_history_a_warning_and_in_the_summary() {
    let dir = TempDir::new().unwrap();
    let t = |day: &str| tuiding(&dir, day);
    json(t("2026-11-01").args(["import", "tests/data/alipay-rise.csv"]));
    let adopted = json(t("2026-11-01").args(["streams", "adopt", "1"]));
    let history: Vec<(&str, &str, &str, &str)> = adopted["price_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["on"].as_str().unwrap(),
                c["old"].as_str().unwrap(),
                c["new"].as_str().unwrap(),
                c["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("2026-05-15", "6.00", "25.00", "charge"),
            ("2026-09-15", "25.00", "30.00", "charge")
        ]
    );
    let check = json(t("2026-11-01").args(["check", "1"]));
    let rose = check["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "price_rose")
        .expect("a price_rose warning");
    assert!(
        rose["text"]
            .as_str()
            .unwrap_or(&rose.to_string())
            .contains("288.00"),
        "(30 - 6) x 12 = 288: {rose}"
    );
    let summary = json(t("2026-11-01").arg("summary"));
    let rises: Vec<(&str, Option<&str>)> = summary["price_increases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["on"].as_str().unwrap(), p["yearly_more"].as_str()))
        .collect();
    // Net over the 12 months (issue 14): ¥6.00 → ¥25.00 → ¥30.00 is one rise of ¥24.00 a
    // month, dated by its last step.
    assert_eq!(rises, [("2026-09-15", Some("288.00"))]);
    // An edit records a change in the same transaction; a notice can say when it applies.
    json(t("2026-11-01").args([
        "edit",
        "1",
        "--price",
        "35",
        "--price-source",
        "notice",
        "--price-on",
        "2026-12-15",
    ]));
    let shown = json(t("2026-11-01").args(["show", "1"]));
    assert_eq!(shown["price_history"][2]["source"], "notice");
    assert_eq!(shown["price_history"][2]["on"], "2026-12-15");
    assert_eq!(
        json(t("2026-11-01").arg("list"))[0]["price_history"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn the_calendar_export_has_renewals_last_safe_days_and_refund_due_dates() {
    let dir = TempDir::new().unwrap();
    let t = |day: &str| tuiding(&dir, day);
    json(t("2027-01-24").args([
        "add",
        "--platform",
        "腾讯视频",
        "--plan",
        "VIP",
        "--period",
        "month",
        "--price",
        "30",
        "--trial-days",
        "7",
        "--auto-renew",
        "wechat_pay",
    ]));
    let ics = |day: &str| {
        let out = t(day).args(["export", "--format", "ics"]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = ics("2027-01-25");
    // `tuiding export ics` is the same as `--format ics`.
    let word = t("2027-01-25").args(["export", "ics"]).output().unwrap();
    assert_eq!(String::from_utf8(word.stdout).unwrap(), text);
    let both = t("2027-01-25")
        .args(["export", "ics", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        both.status.code(),
        Some(2),
        "a format twice is a usage error"
    );
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains("UID:renewal-1-20270131@tuiding\r\nDTSTAMP:20270125T000000Z\r\nDTSTART;VALUE=DATE:20270131\r\n"), "{unfolded}");
    assert!(unfolded.contains("试用转正扣费"), "the conversion is named");
    assert!(unfolded.contains("UID:last-safe-1-20270131@tuiding\r\nDTSTAMP:20270125T000000Z\r\nDTSTART;VALUE=DATE:20270130\r\n"));
    assert!(
        unfolded.contains("DTSTART;VALUE=DATE:20270228"),
        "month-end renewals follow"
    );
    assert_eq!(
        unfolded.matches("BEGIN:VEVENT").count(),
        24,
        "12 renewals in the year ahead, each with its last safe day"
    );
    // Stable UIDs: the same facts, the same ids on another day.
    let uids = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("UID:renewal-1-2027"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        uids(&ics("2027-01-25"))[1..3],
        uids(&ics("2027-01-27"))[1..3]
    );
    // A refund awaited in a case is on the calendar.
    json(t("2027-01-25").args(["case", "open", "1"]));
    json(t("2027-01-25").args(["case", "step", "1", "close:wechat_pay", "--done"]));
    json(t("2027-01-25").args([
        "case",
        "refund",
        "1",
        "--promised",
        "5",
        "--by",
        "2027-02-03",
    ]));
    assert!(ics("2027-01-25").contains("UID:refund-due-case-1@tuiding\r\nDTSTAMP:20270125T000000Z\r\nDTSTART;VALUE=DATE:20270203\r\n"));
}

#[test]
fn renewals_by_month_add_up_to_the_window_total() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    tuiding_at(&dir, "2026-11-26")
        .arg("demo")
        .assert()
        .success();
    let cents = |amount: &serde_json::Value| -> i64 {
        amount.as_str().unwrap().replace('.', "").parse().unwrap()
    };
    let report = json(tuiding_at(&dir, "2026-11-26").args(["renewals", "--within", "1y"]));
    let months =
        json(tuiding_at(&dir, "2026-11-26").args(["renewals", "--within", "1y", "--by-month"]));
    let months = months.as_array().unwrap();
    assert_eq!(months.first().unwrap()["month"], "2026-11");
    assert_eq!(months.last().unwrap()["month"], "2027-11");
    for total in report["totals"].as_array().unwrap() {
        let currency = &total["currency"];
        let summed: i64 = months
            .iter()
            .flat_map(|m| m["totals"].as_array().unwrap())
            .filter(|t| &t["currency"] == currency)
            .map(|t| cents(&t["amount"]))
            .sum();
        assert_eq!(summed, cents(&total["amount"]), "{currency}");
    }
}
