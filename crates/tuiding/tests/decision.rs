//! Issue 13, measured from outside: the article's own case (a 卡盟 annual membership with
//! Alipay still charging, 5 of 12 vouchers used, an agreement that reads two ways and
//! leaves out its ratio) decided for the money the user ends with, a policy completed
//! without opening a file, the refund request written with amount, clause and deadline,
//! and the ledger following the case once it resolves.

mod common;

use std::path::Path;

use common::{json, tuiding_at};
use serde_json::Value;
use tempfile::TempDir;

const TODAY: &str = "2026-11-30";

fn agreement() -> String {
    format!(
        "{}/tests/data/kameng-agreement.txt",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn add_kameng(dir: &Path) {
    tuiding_at(dir, TODAY)
        .args(["add", "--platform", "星辰卡盟", "--plan", "年费会员"])
        .args([
            "--period",
            "year",
            "--price",
            "198",
            "--start",
            "2026-05-10",
        ])
        .args([
            "--auto-renew",
            "alipay",
            "--auto-renew",
            "in_app:closed:2026-11-20",
        ])
        .args(["--benefit", "兑换券:12:10:5"])
        .assert()
        .success();
}

fn import_policy(dir: &Path) {
    tuiding_at(dir, TODAY)
        .args(["policy", "import", "1", &agreement(), "--yes"])
        .args(["--set", "refund.discount_ratio=0.9"])
        .assert()
        .success();
}

fn best_net(check: &Value) -> (String, i64) {
    let options = check["options"].as_array().unwrap();
    let cents = |o: &Value| {
        let s = o["net"].as_str().unwrap().replace('.', "");
        s.parse::<i64>().unwrap()
    };
    // The first of the highest (options are listed best first; ties keep their order).
    let best = options
        .iter()
        .fold(None::<&Value>, |best, o| match best {
            Some(b) if cents(b) >= cents(o) => Some(b),
            _ => Some(o),
        })
        .unwrap();
    (best["action"].as_str().unwrap().to_string(), cents(best))
}

#[test]
fn the_articles_case_leads_to_the_best_net_with_both_readings_shown() {
    let dir = TempDir::new().unwrap();
    add_kameng(dir.path());
    // Without the ratio, the check says exactly which number is missing and what each
    // likely value would give; it never silently means "keep".
    tuiding_at(dir.path(), TODAY)
        .args(["policy", "import", "1", &agreement(), "--yes"])
        .assert()
        .success();
    let check = json(tuiding_at(dir.path(), TODAY).args(["check", "1", "--leaving"]));
    let missing: Vec<&str> = check["missing_facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    assert!(missing.contains(&"refund.discount_ratio"), "{missing:?}");
    assert_ne!(check["advice"]["action"], "keep_until_period_end");

    // The number given as a flag: a complete policy, no file opened.
    import_policy(dir.path());
    let check = json(tuiding_at(dir.path(), TODAY).args(["check", "1", "--leaving"]));
    assert_eq!(check["intent"], "leaving");
    let readings: Vec<(&str, &str)> = check["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["method"].as_str().unwrap(), r["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(
        readings,
        [("consumed_days_fee", "24.43"), ("pro_rata_days", "36.79")]
    );
    assert_eq!(check["refund"]["amount"], "36.79");
    let (action, net) = best_net(&check);
    assert_eq!(check["advice"]["action"], action.as_str());
    assert_eq!(action, "use_benefits_then_cancel");
    assert_eq!(net, 7000);
    assert_eq!(check["benefits"]["unused_value"], "70.00");
    assert!(check["refund_zero_on"].is_string());
    let curve = check["refund_curve"].as_array().unwrap();
    assert_eq!(curve[0]["date"], TODAY);
    assert_eq!(curve[0]["amount"], "36.79");
    for pair in curve.windows(2) {
        let cents = |p: &Value| {
            p["amount"]
                .as_str()
                .unwrap()
                .replace('.', "")
                .parse::<i64>()
                .unwrap()
        };
        assert!(cents(&pair[0]) >= cents(&pair[1]));
    }
    // Someone still using it keeps it, by the same arithmetic.
    let staying = json(tuiding_at(dir.path(), TODAY).args(["check", "1", "--staying"]));
    assert_eq!(staying["advice"]["action"], best_net(&staying).0.as_str());
    assert_eq!(staying["advice"]["action"], "keep_until_period_end");
}

#[test]
fn the_refund_request_carries_amount_clause_and_deadline_and_the_ledger_follows_the_case() {
    let dir = TempDir::new().unwrap();
    add_kameng(dir.path());
    import_policy(dir.path());
    let check = json(tuiding_at(dir.path(), TODAY).args(["check", "1", "--leaving"]));
    let amount = check["refund"]["amount"].as_str().unwrap().to_string();
    tuiding_at(dir.path(), TODAY)
        .args(["case", "open", "1"])
        .assert()
        .success();
    let msg = json(tuiding_at(dir.path(), TODAY).args([
        "case",
        "message",
        "1",
        "--kind",
        "refund_request",
    ]));
    let text = msg["text"].as_str().unwrap();
    assert_eq!(msg["amount"], amount.as_str());
    assert!(text.contains(&amount), "{text}");
    assert!(text.contains("按剩余天数比例退款"), "{text}");
    assert!(text.contains("第四百九十八条"), "{text}");
    assert!(msg["due"].is_string());
    assert!(text.contains(msg["due"].as_str().unwrap()), "{text}");
    let confirm = json(tuiding_at(dir.path(), TODAY).args([
        "case",
        "message",
        "1",
        "--kind",
        "written_confirmation",
        "--order",
        "2026051012345",
    ]));
    let text = confirm["text"].as_str().unwrap();
    assert!(
        text.contains("书面") && text.contains("2026051012345"),
        "{text}"
    );
    // The refund step of the case carries the same claim.
    let case = json(tuiding_at(dir.path(), TODAY).args(["case", "show", "1"]));
    let step = case["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "request_refund")
        .unwrap();
    assert_eq!(step["refund_claim"]["amount"], amount.as_str());
    assert!(!step["refund_claim"]["basis"].as_array().unwrap().is_empty());

    // The dossier quotes both readings and claims the favourable one.
    tuiding_at(dir.path(), TODAY)
        .args(["case", "refund", "1", "--requested"])
        .assert()
        .failure();
    let zip_path = dir.path().join("case.zip");
    tuiding_at(dir.path(), TODAY)
        .args(["case", "export", "1", "--out"])
        .arg(&zip_path)
        .assert()
        .success();
    let complaint = common::zip_text(&zip_path, "complaint.txt");
    assert!(complaint.contains("第四百九十八条"), "{complaint}");
    assert!(complaint.contains("按剩余天数比例退款"), "{complaint}");
    assert!(complaint.contains(&amount), "{complaint}");

    // Cancelled, refunded, resolved: the membership renews no more.
    tuiding_at(dir.path(), TODAY)
        .args(["case", "step", "1", "close:alipay", "--done"])
        .assert()
        .success();
    tuiding_at(dir.path(), TODAY)
        .args(["case", "refund", "1", "--requested"])
        .assert()
        .success();
    tuiding_at(dir.path(), "2026-12-05")
        .args(["case", "refund", "1", "--received", &amount])
        .assert()
        .success();
    tuiding_at(dir.path(), "2026-12-05")
        .args(["case", "resolve", "1"])
        .assert()
        .success();
    let list = json(tuiding_at(dir.path(), "2026-12-05").arg("list"));
    let m = &list.as_array().unwrap()[0];
    assert_eq!(m["next_renewal"], Value::Null, "{m}");
    assert_eq!(m["status"], "ended");
    assert_eq!(m["ends_on"], TODAY);
    let renewals =
        json(tuiding_at(dir.path(), "2026-12-05").args(["renewals", "--within", "365d"]));
    assert_eq!(
        renewals["renewals"].as_array().map(Vec::len),
        Some(0),
        "{renewals}"
    );
    let show = json(tuiding_at(dir.path(), "2026-12-05").args(["show", "1"]));
    assert_eq!(show["cases"][0]["refunded"], format!("¥{amount}"));
    assert_eq!(show["cases"][0]["cancelled_on"], TODAY);
}

#[test]
fn a_case_closed_before_cancelling_leaves_the_membership_alone() {
    let dir = TempDir::new().unwrap();
    add_kameng(dir.path());
    tuiding_at(dir.path(), TODAY)
        .args(["case", "open", "1"])
        .assert()
        .success();
    tuiding_at(dir.path(), TODAY)
        .args(["case", "close", "1"])
        .assert()
        .success();
    let show = json(tuiding_at(dir.path(), TODAY).args(["show", "1"]));
    assert_eq!(show["next_renewal"], "2027-05-10");
}

#[test]
fn e7_a_buyout_that_refunds_nothing_is_zero() {
    let dir = TempDir::new().unwrap();
    tuiding_at(dir.path(), TODAY)
        .args([
            "add",
            "--platform",
            "某平台",
            "--plan",
            "终身会员",
            "--one-time",
        ])
        .args(["--price", "99", "--start", "2026-06-01"])
        .assert()
        .success();
    tuiding_at(dir.path(), TODAY)
        .args(["policy", "set", "1", "--set", "refund.method=none"])
        .assert()
        .success();
    let check = json(tuiding_at(dir.path(), TODAY).args(["check", "1"]));
    assert_eq!(check["refund"]["amount"], "0.00");
    assert_eq!(check["status"], "active");
    assert_ne!(check["advice"]["action"], "cancel_now");
}

#[test]
fn a_price_notice_changes_renewals_not_the_period_paid() {
    let dir = TempDir::new().unwrap();
    tuiding_at(dir.path(), "2026-11-15")
        .args(["add", "--platform", "爱奇艺", "--plan", "黄金VIP连续包月"])
        .args([
            "--period",
            "month",
            "--price",
            "25",
            "--start",
            "2026-01-31",
        ])
        .args(["--auto-renew", "wechat_pay"])
        .assert()
        .success();
    tuiding_at(dir.path(), "2026-11-15")
        .args(["policy", "set", "1", "--set", "refund.method=pro_rata_days"])
        .assert()
        .success();
    tuiding_at(dir.path(), "2026-11-15")
        .args(["edit", "1", "--price", "30", "--price-source", "notice"])
        .args(["--price-on", "2026-12-15"])
        .assert()
        .success();
    let check = json(tuiding_at(dir.path(), "2026-11-15").args(["check", "1"]));
    assert_eq!(check["refund"]["paid"], "25.00");
    assert_eq!(check["refund"]["amount"], "11.66");
    // Renewals change price on the notice's day, not before.
    let renewals = json(tuiding_at(dir.path(), "2026-11-15").args(["renewals", "--within", "60d"]));
    let amounts: Vec<(&str, &str)> = renewals["renewals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["date"].as_str().unwrap(), r["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(amounts, [("2026-11-30", "25.00"), ("2026-12-31", "30.00")]);
    // The text says the same (it used to print the current price on every row).
    let text = tuiding_at(dir.path(), "2026-11-15")
        .args(["renewals", "--within", "60d"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let row = |day: &str| {
        text.lines()
            .find(|l| l.starts_with(day))
            .unwrap()
            .to_string()
    };
    assert!(row("2026-11-30").contains("¥25.00"), "{text}");
    assert!(row("2026-12-31").contains("¥30.00"), "{text}");
}

#[test]
fn a_bad_set_is_a_usage_error_and_writes_nothing() {
    let dir = TempDir::new().unwrap();
    add_kameng(dir.path());
    for bad in [
        "refund.discount_ratio=1.5",
        "refund.colour=red",
        "refund.method",
    ] {
        tuiding_at(dir.path(), TODAY)
            .args(["policy", "set", "1", "--set", bad])
            .assert()
            .code(2);
        tuiding_at(dir.path(), TODAY)
            .args(["policy", "show", "1"])
            .assert()
            .failure();
    }
}

#[test]
fn messages_and_the_decision_read_well_in_both_languages() {
    let dir = TempDir::new().unwrap();
    add_kameng(dir.path());
    import_policy(dir.path());
    tuiding_at(dir.path(), TODAY)
        .args(["case", "open", "1"])
        .assert()
        .success();
    for lang in ["zh", "en"] {
        let check = tuiding_at(dir.path(), TODAY)
            .args(["--lang", lang, "check", "1", "--leaving"])
            .output()
            .unwrap();
        let text = String::from_utf8(check.stdout).unwrap();
        insta::assert_snapshot!(format!("decision_check_{lang}"), text);
        for kind in [
            "refund_request",
            "written_confirmation",
            "follow_up",
            "complaint_notice",
        ] {
            let out = tuiding_at(dir.path(), TODAY)
                .args(["--lang", lang, "case", "message", "1", "--kind", kind])
                .output()
                .unwrap();
            assert!(out.status.success());
            let text = String::from_utf8(out.stdout).unwrap();
            insta::assert_snapshot!(format!("message_{kind}_{lang}"), text);
        }
    }
}

#[test]
fn a_refund_recorded_later_keeps_the_cancel_day_and_a_refusal_keeps_the_period() {
    for (received, ends_on) in [("36.79", TODAY), ("0", "2027-05-09")] {
        let dir = TempDir::new().unwrap();
        add_kameng(dir.path());
        import_policy(dir.path());
        tuiding_at(dir.path(), TODAY)
            .args(["case", "open", "1"])
            .assert()
            .success();
        tuiding_at(dir.path(), TODAY)
            .args(["case", "step", "1", "close:alipay", "--done"])
            .assert()
            .success();
        // No explicit request: the refund arrives a week later.
        tuiding_at(dir.path(), "2026-12-07")
            .args(["case", "refund", "1", "--received", received])
            .assert()
            .success();
        let show = json(tuiding_at(dir.path(), "2026-12-07").args(["show", "1"]));
        assert_eq!(show["ends_on"], ends_on, "received {received}: {show}");
        assert_eq!(show["next_renewal"], Value::Null);
        let case = json(tuiding_at(dir.path(), "2026-12-07").args(["case", "show", "1"]));
        assert_eq!(
            case["refund"]["requested_on"], TODAY,
            "the request is the cancel day"
        );
    }
}
