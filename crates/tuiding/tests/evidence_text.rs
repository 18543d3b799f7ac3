//! Black-box tests of evidence that reads itself (issue 19): `evidence add --json` with the
//! text and proposals of drawn screenshots (crates/tuiding-ocr/tests/fixtures), accepting a
//! promise exactly as `case refund --promised` records one, masking, contradictions,
//! search, and `ocr: null` with the way to install Tesseract when it is missing.
//!
//! The tests that read need Tesseract with its Chinese model
//! (`sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim`); without it they say so and
//! pass, except under `CI=true`, where `.ci/run` installs it.

mod common;
use common::json;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn tuiding(dir: &TempDir) -> Command {
    let mut cmd = common::tuiding_at(&dir.path().join("data"), "2026-11-29");
    cmd.env_remove("TUIDING_TESSERACT");
    cmd
}

fn shot(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tuiding-ocr/tests/fixtures")
        .join(name)
}

/// `evidence add CASE` of drawn screenshots with `--kind KIND` and more arguments, as JSON.
fn add(dir: &TempDir, case: &str, shots: &[&str], kind: &str, more: &[&str]) -> Value {
    let mut cmd = tuiding(dir);
    cmd.args(["evidence", "add", case]);
    for name in shots {
        cmd.arg(shot(name));
    }
    json(cmd.args(["--kind", kind]).args(more))
}

use tuiding_app::evidence::testing::tesseract_here;

/// A monthly membership paid through WeChat Pay with the video template, and its case.
fn case(dir: &TempDir) {
    tuiding(dir)
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
    tuiding(dir)
        .args(["policy", "set", "1", "--template", "video-monthly-vip"])
        .assert()
        .success();
    json(tuiding(dir).args(["case", "open", "1"]));
}

/// The element of a JSON array whose `field` is `value` (a test fails without one).
fn named<'a>(array: &'a Value, field: &str, value: &str) -> &'a Value {
    array
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item[field] == value)
        .unwrap_or_else(|| panic!("no {field} {value} in {array}"))
}

fn kinds(readout: &Value) -> Vec<&str> {
    readout["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn a_refund_page_proposes_its_promise_and_accepting_records_what_case_refund_would() {
    if !tesseract_here() {
        return;
    }
    let read = TempDir::new().unwrap();
    case(&read);
    let added = add(
        &read,
        "1",
        &[
            "refund-promise-light-1170.png",
            "wechat-cancelled-dark-1080.png",
        ],
        "operation",
        &[],
    );
    let refund_page = &added[0];
    assert!(
        refund_page["ocr"]["text"].as_str().unwrap().contains("3-7"),
        "{refund_page}"
    );
    assert_eq!(
        kinds(refund_page),
        ["cancellation_confirmed", "refund_promise", "refund_promise"]
    );
    let promise = &refund_page["proposals"][1];
    assert_eq!(promise["amount"], "24.43");
    assert_eq!(promise["line"], 4);
    assert!(promise["confidence"].as_u64().unwrap() > 0);
    let window = &refund_page["proposals"][2];
    assert_eq!(window["window"]["unit"], "working_days");
    assert_eq!(window["window"]["max"], 7);
    // The WeChat Pay page confirms the channel's step.
    let wechat = &added[1];
    assert_eq!(wechat["proposals"][0]["kind"], "cancellation_confirmed");
    assert_eq!(wechat["proposals"][0]["step"], "close:wechat_pay");
    assert_eq!(wechat["offers"][0]["offer"], "mark_step");

    let offer = &refund_page["offers"][0];
    assert_eq!(offer["offer"], "refund_promise");
    assert_eq!(offer["amount"], "24.43");
    let by = offer["by"].as_str().unwrap().to_string();
    assert_eq!(by, window["due_on"].as_str().unwrap());

    // Accepting: the step first, then the promise.
    json(tuiding(&read).args(["evidence", "accept", "2"]));
    let accepted = json(tuiding(&read).args(["evidence", "accept", "1"]));
    assert_eq!(accepted[0]["offer"], "refund_promise");
    assert!(accepted[0].get("refused").is_none(), "{accepted}");

    // The same by hand in another data dir.
    let typed = TempDir::new().unwrap();
    case(&typed);
    json(tuiding(&typed).args(["case", "step", "1", "close:wechat_pay"]));
    json(tuiding(&typed).args(["case", "refund", "1", "--promised", "24.43", "--by", &by]));

    let a = json(tuiding(&read).args(["case", "show", "1"]));
    let b = json(tuiding(&typed).args(["case", "show", "1"]));
    assert_eq!(a["refund"], b["refund"]);
    assert_eq!(a["state"], b["state"]);
    let moves = |c: &Value| -> Vec<(String, String)> {
        c["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["from"].to_string(), t["to"].to_string()))
            .collect()
    };
    assert_eq!(moves(&a), moves(&b));
    // The screenshot proves the step it confirmed.
    let step = named(&a["steps"], "id", "close:wechat_pay");
    assert_eq!(step["evidence_count"], 1);

    // The dossier's evidence index quotes the line that says most: the promise.
    let zip = read.path().join("dossier.zip");
    tuiding(&read)
        .args(["case", "export", "1", "--out"])
        .arg(&zip)
        .assert()
        .success();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut complaint = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("complaint.txt").unwrap(),
        &mut complaint,
    )
    .unwrap();
    let quoted: Vec<&str> = complaint
        .lines()
        .filter(|l| l.contains("截图文字"))
        .collect();
    assert_eq!(quoted.len(), 2, "{complaint}");
    assert!(quoted[0].contains("24.43"), "{quoted:?}");
    assert!(quoted[1].contains("解约成功"), "{quoted:?}");
}

#[test]
fn numbers_are_masked_in_everything_derived_and_the_original_stays_byte_for_byte() {
    if !tesseract_here() {
        return;
    }
    let dir = TempDir::new().unwrap();
    case(&dir);
    let added = add(
        &dir,
        "1",
        &["chat-promise-light-750.png", "order-charge-dark-1170.png"],
        "communication",
        &[],
    );
    let chat = added[0]["ocr"]["text"].as_str().unwrap().replace(' ', "");
    assert!(chat.contains("138****5678"), "{chat}");
    assert!(!chat.contains("13812345678"), "{chat}");
    assert!(chat.contains("110***********002X"), "{chat}");
    assert!(!chat.contains("11010519491231002X"), "{chat}");
    assert_eq!(
        kinds(&added[0]),
        ["refund_promise", "refund_promise"],
        "{}",
        added[0]
    );
    assert_eq!(added[0]["proposals"][0]["amount"], "24.43");
    assert_eq!(added[0]["proposals"][1]["window"]["unit"], "hours");

    let order = &added[1];
    let text = order["ocr"]["text"].as_str().unwrap().replace(' ', "");
    assert!(text.contains("6222***********0128"), "{text}");
    let charge = named(&order["proposals"], "kind", "charge");
    assert_eq!(charge["amount"], "25.00");
    assert_eq!(charge["order"], "4200002311202611230001");
    assert_eq!(charge["at"], "2026-11-23 10:00:01");

    // Nothing on disk holds the numbers as text; the original is the same bytes.
    let vault = dir.path().join("data/vault");
    for file in std::fs::read_dir(vault.join("text")).unwrap() {
        let kept = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(!kept.contains("13812345678") && !kept.contains("6222021234567890128"));
    }
    let sha = added[0]["sha256"].as_str().unwrap();
    let stored = std::fs::read(vault.join("objects").join(&sha[..2]).join(&sha[2..])).unwrap();
    assert_eq!(
        stored,
        std::fs::read(shot("chat-promise-light-750.png")).unwrap()
    );
    tuiding(&dir).args(["vault", "verify"]).assert().success();

    // Search finds the chat by its words, spaces and all.
    let hits = json(tuiding(&dir).args(["evidence", "search", "24小时", "退回"]));
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(hits[0]["seq"], 1);
    let none = json(tuiding(&dir).args(["evidence", "search", "解约成功"]));
    assert_eq!(none, serde_json::json!([]));
}

#[test]
fn a_renewal_page_attached_to_a_closing_step_is_flagged_and_proves_nothing() {
    if !tesseract_here() {
        return;
    }
    let dir = TempDir::new().unwrap();
    case(&dir);
    let added = json(
        tuiding(&dir)
            .args(["evidence", "add", "1"])
            .arg(shot("renewed-light-1170.png"))
            .args([
                "--kind",
                "operation",
                "--step",
                "close:wechat_pay",
                "--accept",
            ]),
    );
    assert_eq!(kinds(&added[0]), ["contradiction"]);
    assert_eq!(added[0]["proposals"][0]["step"], "close:wechat_pay");
    assert!(added[0]["flag"].as_str().unwrap().contains("续费成功"));
    assert_eq!(added[0]["offers"], serde_json::json!([]));
    let shown = tuiding(&dir)
        .args(["evidence", "show", "1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&shown).contains("⚠"));
}

#[test]
fn without_tesseract_evidence_is_stored_and_ocr_is_null_with_how_to_install_it() {
    let dir = TempDir::new().unwrap();
    case(&dir);
    let added = json(
        tuiding(&dir)
            .env("TUIDING_TESSERACT", "/nonexistent/tesseract")
            .args(["evidence", "add", "1"])
            .arg(shot("refund-promise-light-1170.png"))
            .args(["--kind", "operation"]),
    );
    assert_eq!(added[0]["ocr"], Value::Null);
    assert!(
        added[0]["ocr_missing"]
            .as_str()
            .unwrap()
            .contains("tesseract-ocr-chi-sim"),
        "{}",
        added[0]
    );
    assert_eq!(added[0]["proposals"], serde_json::json!([]));
    assert_eq!(added[0]["seq"], 1);
    assert!(!dir.path().join("data/vault/text").exists());
    // A file that is no image is not read at all.
    let pdf = dir.path().join("扣款.pdf");
    std::fs::write(&pdf, b"%PDF-1.7").unwrap();
    let added = json(
        tuiding(&dir)
            .args(["evidence", "add", "1"])
            .arg(&pdf)
            .args(["--kind", "payment"]),
    );
    assert_eq!(added[0]["ocr"], Value::Null);
    assert!(added[0]["ocr_missing"].as_str().unwrap().contains("PNG"));
}

#[test]
fn showing_the_text_of_a_screenshot_never_read_keeps_nothing() {
    if !tesseract_here() {
        return;
    }
    let dir = TempDir::new().unwrap();
    case(&dir);
    json(
        tuiding(&dir)
            .env("TUIDING_TESSERACT", "/nonexistent/tesseract")
            .args(["evidence", "add", "1"])
            .arg(shot("wechat-cancelled-dark-1080.png"))
            .args(["--kind", "operation"]),
    );
    let shown = json(tuiding(&dir).args(["evidence", "show", "1", "--text"]));
    assert!(shown["ocr"]["text"].as_str().unwrap().contains("解约成功"));
    assert!(!dir.path().join("data/vault/text").exists(), "a read wrote");
    // `evidence read` keeps it.
    let read = json(tuiding(&dir).args(["evidence", "read", "1"]));
    assert_eq!(read[0]["proposals"][0]["kind"], "cancellation_confirmed");
    assert!(dir.path().join("data/vault/text").is_dir());

    // A file named .png that is no image: said so, remembered, never tried again.
    let fake = dir.path().join("截图.png");
    std::fs::write(&fake, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let added = json(
        tuiding(&dir)
            .args(["evidence", "add", "1"])
            .arg(&fake)
            .args(["--kind", "operation"]),
    );
    assert_eq!(added[0]["ocr"], Value::Null);
    assert!(
        added[0]["ocr_missing"]
            .as_str()
            .unwrap()
            .contains("无法识别"),
        "{}",
        added[0]
    );
    let again = json(
        tuiding(&dir)
            .env("TUIDING_TESSERACT", "/nonexistent/tesseract")
            .args(["evidence", "read", "1"]),
    );
    assert_eq!(again[1]["ocr_missing"], added[0]["ocr_missing"], "{again}");
}

#[test]
fn a_bill_detail_and_a_dark_refund_detail_read_as_charge_and_promise_by_day() {
    if !tesseract_here() {
        return;
    }
    let dir = TempDir::new().unwrap();
    case(&dir);
    let added = add(
        &dir,
        "1",
        &["alipay-bill-light-1170.png", "refund-detail-dark-1284.png"],
        "payment",
        &[],
    );
    // Label/value rows are read as one line each: the order number beside its label.
    let bill = &added[0];
    assert_eq!(kinds(bill), ["charge"], "{bill}");
    let charge = &bill["proposals"][0];
    assert_eq!(charge["amount"], "25.00");
    assert_eq!(charge["order"], "2026112322001412341234567890");
    assert_eq!(charge["at"], "2026-11-23 10:00:01");
    assert!(charge["summary"].as_str().unwrap().contains("25.00"));

    let refund = &added[1];
    assert!(refund["ocr"]["inverted"].as_bool().unwrap());
    let by_day = refund["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["window"]["unit"] == "by_day")
        .unwrap_or_else(|| panic!("{refund}"));
    assert_eq!(by_day["due_on"], "2026-12-02");
    assert_eq!(refund["offers"][0]["amount"], "24.43");
    assert_eq!(refund["offers"][0]["by"], "2026-12-02");
    let text = refund["ocr"]["text"].as_str().unwrap();
    assert!(text.contains("139 **** 5678"), "{text}");
}

#[test]
fn a_taken_promise_is_offered_no_more_and_a_damaged_kept_text_is_read_again() {
    if !tesseract_here() {
        return;
    }
    let dir = TempDir::new().unwrap();
    case(&dir);
    let added = add(
        &dir,
        "1",
        &[
            "wechat-cancelled-dark-1080.png",
            "refund-promise-light-1170.png",
        ],
        "operation",
        &["--accept"],
    );
    // The promise counts from the day the page says the refund was asked for (申请时间
    // 2026-11-29, a Sunday): seven working days end on Tuesday 2026-12-08.
    assert_eq!(added[1]["offers"][0]["by"], "2026-12-08", "{}", added[1]);
    // Taken: offered no more, so an old button cannot rewrite the record.
    let shown = json(tuiding(&dir).args(["evidence", "show", "2"]));
    assert_eq!(shown["offers"], serde_json::json!([]), "{shown}");
    let again = json(tuiding(&dir).args(["evidence", "accept", "2"]));
    assert_eq!(again, serde_json::json!([]));

    // A kept text damaged on disk: the case still shows, and `evidence read` reads it again.
    let sha = added[1]["sha256"].as_str().unwrap();
    let kept = dir.path().join(format!("data/vault/text/{sha}.json"));
    std::fs::write(&kept, b"{ not json").unwrap();
    json(tuiding(&dir).args(["case", "show", "1"]));
    let read = json(tuiding(&dir).args(["evidence", "read", "1"]));
    assert!(
        read[1]["ocr"]["text"].as_str().unwrap().contains("3-7"),
        "{}",
        read[1]
    );
}

#[test]
fn an_apps_refund_page_naming_wechat_proves_no_wechat_pay_contract_closed() {
    if !tesseract_here() {
        return;
    }
    let dir = TempDir::new().unwrap();
    case(&dir);
    // 退订成功 on the app's page, the refund going back to WeChat: the 扣费服务 contract
    // may still be live, so no close:wechat_pay is proposed.
    let added = add(
        &dir,
        "1",
        &["refund-promise-light-1170.png"],
        "operation",
        &[],
    );
    let confirmation = named(&added[0]["proposals"], "kind", "cancellation_confirmed");
    assert!(confirmation.get("step").is_none(), "{confirmation}");
}

#[test]
fn the_same_step_proposed_in_two_cases_is_taken_in_both() {
    if !tesseract_here() {
        return;
    }
    let dir = TempDir::new().unwrap();
    case(&dir);
    tuiding(&dir)
        .args(["add", "--platform", "芒果TV", "--plan", "会员连续包月"])
        .args([
            "--period",
            "month",
            "--price",
            "22",
            "--start",
            "2026-02-23",
        ])
        .args(["--auto-renew", "wechat_pay"])
        .assert()
        .success();
    json(tuiding(&dir).args(["case", "open", "2"]));
    for case in ["1", "2"] {
        json(
            tuiding(&dir)
                .env("TUIDING_TESSERACT", "/nonexistent/tesseract")
                .args(["evidence", "add", case])
                .arg(shot("wechat-cancelled-dark-1080.png"))
                .args(["--kind", "operation"]),
        );
    }
    let taken = json(tuiding(&dir).args(["evidence", "accept", "1", "2"]));
    assert_eq!(taken.as_array().unwrap().len(), 2, "{taken}");
    for case in ["1", "2"] {
        let shown = json(tuiding(&dir).args(["case", "show", case]));
        let step = named(&shown["steps"], "id", "close:wechat_pay");
        assert!(step["done_at"].is_string(), "case {case}: {step}");
    }
}

#[test]
fn a_refund_received_page_records_the_refund_as_case_refund_received_would() {
    if !tesseract_here() {
        return;
    }
    let dir = TempDir::new().unwrap();
    case(&dir);
    add(
        &dir,
        "1",
        &[
            "wechat-cancelled-dark-1080.png",
            "refund-promise-light-1170.png",
        ],
        "operation",
        &["--accept"],
    );
    let added = add(
        &dir,
        "1",
        &["refund-received-light-1170.png"],
        "payment",
        &[],
    );
    let received = &added[0];
    assert_eq!(kinds(received), ["refund_received"], "{received}");
    assert_eq!(received["proposals"][0]["amount"], "24.43");
    assert_eq!(
        received["offers"][0],
        serde_json::json!({"offer": "refund_received", "amount": "24.43", "on": "2026-12-01"})
    );
    let taken = json(tuiding(&dir).args(["evidence", "accept", "3"]));
    assert!(taken[0].get("refused").is_none(), "{taken}");
    let shown = json(tuiding(&dir).args(["case", "show", "1"]));
    assert_eq!(shown["state"], "refund_received");
    assert_eq!(shown["refund"]["received"], "24.43");
    assert_eq!(shown["refund"]["received_on"], "2026-12-01");
    // Taken: offered no more.
    let again = json(tuiding(&dir).args(["evidence", "show", "3"]));
    assert_eq!(again["offers"], serde_json::json!([]));
}
