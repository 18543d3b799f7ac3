//! Black-box tests of cancellation cases: the state machine, evidence and the vault, the
//! dossier round trip, and `tuiding due`.

mod common;
use common::json;

use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn tuiding(dir: &TempDir, today: &str) -> Command {
    common::tuiding_at(&dir.path().join("data"), today)
}

/// A monthly membership paid through WeChat Pay and Alipay, with the video template.
fn membership(dir: &TempDir) {
    tuiding(dir, "2026-11-20")
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
        ])
        .args(["--auto-renew", "wechat_pay", "--auto-renew", "alipay"])
        .assert()
        .success();
    tuiding(dir, "2026-11-20")
        .args(["policy", "set", "1", "--template", "video-monthly-vip"])
        .assert()
        .success();
}

fn file(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn step_ids(case: &Value) -> Vec<&str> {
    case["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect()
}

#[test]
fn a_case_walks_the_state_machine_and_closing_a_channel_updates_the_contract() {
    let dir = TempDir::new().unwrap();
    membership(&dir);
    let t = |day: &str| tuiding(&dir, day);
    let case = json(t("2026-11-20").args(["case", "open", "1"]));
    assert_eq!(case["state"], "opened");
    assert_eq!(
        step_ids(&case),
        [
            "check_rules",
            "close:wechat_pay",
            "close:alipay",
            "confirm_in_writing"
        ]
    );
    // Illegal: resolving a case that has done nothing. Refused, with what is allowed.
    t("2026-11-20")
        .args(["case", "resolve", "1"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("不能变为“已解决”")
                .and(predicate::str::contains("已做规则体检")),
        );
    t("2026-11-20")
        .args(["case", "step", "1", "no_such_step", "--done"])
        .assert()
        .code(2);
    // No refund to record before the channels are closed.
    t("2026-11-20")
        .args([
            "case",
            "refund",
            "1",
            "--received",
            "13",
            "--on",
            "2026-11-20",
        ])
        .assert()
        .code(1);
    assert_eq!(
        json(t("2026-11-20").args(["case", "step", "1", "check_rules", "--done"]))["state"],
        "rules_checked"
    );
    let after_one = json(t("2026-11-20").args([
        "case",
        "step",
        "1",
        "close:wechat_pay",
        "--done",
        "--note",
        "已关闭",
    ]));
    assert_eq!(
        after_one["state"], "rules_checked",
        "one channel of two is not every channel"
    );
    let shown = json(t("2026-11-20").args(["show", "1"]));
    let contracts = shown["membership"]["auto_renew"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| shown["auto_renew"].as_array().unwrap().clone());
    assert!(
        contracts
            .iter()
            .any(|c| c["channel"] == "wechat_pay" && c["status"] == "closed"),
        "{contracts:?}"
    );
    assert!(
        contracts
            .iter()
            .any(|c| c["channel"] == "alipay" && c["status"] == "active"),
        "{contracts:?}"
    );
    assert_eq!(
        json(t("2026-11-21").args(["case", "step", "1", "close:alipay", "--done"]))["state"],
        "channels_closed"
    );
    let promised = json(t("2026-11-21").args([
        "case",
        "refund",
        "1",
        "--promised",
        "13.00",
        "--by",
        "2026-11-27",
    ]));
    assert_eq!(promised["state"], "refund_promised");
    assert_eq!(promised["refund"]["due"], "2026-11-27");
    let received = json(t("2026-11-25").args([
        "case",
        "refund",
        "1",
        "--received",
        "13.00",
        "--on",
        "2026-11-25",
    ]));
    assert_eq!(received["state"], "refund_received");
    assert_eq!(received["refund"]["overdue"], false);
    json(t("2026-11-25").args(["case", "resolve", "1"]));
    let closed = json(t("2026-11-25").args(["case", "close", "1", "--note", "已全额退款"]));
    let moves: Vec<(&str, &str)> = closed["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["from"].as_str().unwrap(), m["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        moves,
        [
            ("opened", "opened"),
            ("opened", "rules_checked"),
            ("rules_checked", "channels_closed"),
            ("channels_closed", "refund_requested"),
            ("refund_requested", "refund_promised"),
            ("refund_promised", "refund_received"),
            ("refund_received", "resolved"),
            ("resolved", "closed"),
        ]
    );
    assert!(
        closed["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["at"].as_str().unwrap().ends_with('Z'))
    );
    t("2026-11-25")
        .args(["case", "escalate", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不能再变更"));
    let list = json(t("2026-11-25").args(["case", "list"]));
    assert_eq!(list[0]["state"], "closed");
    t("2026-11-25").args(["case", "show", "9"]).assert().code(1);
}

fn objects(dir: &TempDir) -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(p).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, out)
            } else {
                out.push(path)
            }
        }
    }
    let mut out = Vec::new();
    walk(&dir.path().join("data/vault/objects"), &mut out);
    out
}

#[test]
fn evidence_is_stored_once_and_the_vault_names_what_was_altered() {
    let dir = TempDir::new().unwrap();
    membership(&dir);
    json(tuiding(&dir, "2026-11-20").args(["case", "open", "1"]));
    let shot = file(&dir, "关闭前.png", "pretend png");
    let added = json(
        tuiding(&dir, "2026-11-20")
            .args(["evidence", "add", "1"])
            .arg(&shot)
            .args(["--kind", "operation", "--step", "close:wechat_pay"]),
    );
    assert_eq!(added[0]["sm3"].as_str().unwrap().len(), 64);
    json(
        tuiding(&dir, "2026-11-20")
            .args(["evidence", "add", "1"])
            .arg(&shot)
            .args(["--kind", "operation"]),
    );
    tuiding(&dir, "2026-11-20")
        .args(["evidence", "add", "1"])
        .arg(&shot)
        .args(["--kind", "video"])
        .assert()
        .code(2);
    tuiding(&dir, "2026-11-20")
        .args(["evidence", "add", "1"])
        .arg(&shot)
        .args(["--kind", "operation", "--step", "nope"])
        .assert()
        .code(2);
    let listed = json(tuiding(&dir, "2026-11-20").args(["evidence", "list", "1"]));
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        listed[1]["prev"], listed[0]["hash"],
        "each entry holds the previous entry's hash"
    );
    assert_eq!(objects(&dir).len(), 1, "stored once however often added");
    let ok = json(tuiding(&dir, "2026-11-20").args(["vault", "verify"]));
    assert_eq!(
        (ok["ok"].as_bool(), ok["entries"].as_u64()),
        (Some(true), Some(2))
    );
    // Flip one byte of the stored object.
    let object = &objects(&dir)[0];
    let mut bytes = std::fs::read(object).unwrap();
    bytes[0] ^= 1;
    std::fs::write(object, bytes).unwrap();
    let out = tuiding(&dir, "2026-11-20")
        .args(["vault", "verify", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["problems"][0]["kind"], "altered_object");
    tuiding(&dir, "2026-11-20")
        .args(["vault", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("文件被改动"));
}

fn zip_text(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Copies a zip, replacing one file's bytes.
fn tamper(from: &Path, to: &Path, name: &str, bytes: &[u8]) {
    common::rewrite_zip(from, to, |file, content| {
        if file == name {
            *content = bytes.to_vec();
        }
    });
}

#[test]
fn the_dossier_round_trips_masks_numbers_and_states_the_claim() {
    let dir = TempDir::new().unwrap();
    membership(&dir);
    let t = |day: &str| tuiding(&dir, day);
    json(t("2026-11-20").args(["case", "open", "1"]));
    json(t("2026-11-20").args([
        "case",
        "step",
        "1",
        "close:wechat_pay",
        "--done",
        "--note",
        "客服13812345678，身份证110101199003074514",
    ]));
    json(t("2026-11-20").args(["case", "step", "1", "close:alipay", "--done"]));
    json(t("2026-11-20").args([
        "case",
        "refund",
        "1",
        "--promised",
        "13.00",
        "--by",
        "2026-11-24",
    ]));
    let chat = file(&dir, "客服聊天.png", "chat");
    json(
        t("2026-11-20")
            .args(["evidence", "add", "1"])
            .arg(&chat)
            .args(["--kind", "communication", "--step", "close:wechat_pay"]),
    );
    // Overdue on the 26th: `due` says so and marks the case.
    let due = json(t("2026-11-26").arg("due"));
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "refund_overdue" && i["case_id"] == 1),
        "{due}"
    );
    assert_eq!(
        json(t("2026-11-26").args(["case", "show", "1"]))["state"],
        "overdue"
    );

    let out = dir.path().join("案件1.zip");
    let export = t("2026-11-26")
        .args(["case", "export", "1", "--json", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    assert!(
        String::from_utf8_lossy(&export.stderr).contains("缺少支付凭证"),
        "completeness is shown before export"
    );
    let report: Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(report["grounds"]["breaches"][0]["code"], "refund_overdue");
    assert_eq!(report["grounds"]["total"], "13.00");
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "report.html",
            "complaint.txt",
            "journal.jsonl",
            "evidence/001-客服聊天.png"
        ]
    );
    let complaint = zip_text(&out, "complaint.txt");
    assert!(complaint.contains("按承诺退还 ¥13.00"), "{complaint}");
    assert!(complaint.contains("逾期 2 天"), "{complaint}");
    assert!(
        complaint.contains("138****5678") && !complaint.contains("13812345678"),
        "{complaint}"
    );
    assert!(!complaint.contains("110101199003074514"), "{complaint}");
    assert!(
        complaint.contains(&added_sha(&dir)),
        "masking never touches a digest"
    );
    let html = zip_text(&out, "report.html");
    assert!(
        html.contains("<h2>六、证据目录</h2>") && html.contains(&added_sha(&dir)),
        "the index holds the digests"
    );
    assert_eq!(zip_text(&out, "evidence/001-客服聊天.png"), "chat");
    let verified = json(t("2026-11-26").arg("dossier").arg("verify").arg(&out));
    assert_eq!(verified["ok"], true);

    // --no-mask keeps the numbers.
    let plain = dir.path().join("plain.zip");
    t("2026-11-26")
        .args(["case", "export", "1", "--no-mask", "--out"])
        .arg(&plain)
        .assert()
        .success();
    assert!(zip_text(&plain, "complaint.txt").contains("13812345678"));

    // One changed file, named.
    let bad = dir.path().join("bad.zip");
    tamper(&out, &bad, "complaint.txt", "退还 1300 元".as_bytes());
    let out = t("2026-11-26")
        .args(["dossier", "verify", "--json"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let problems: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(problems["problems"][0]["kind"], "altered_object");
    assert_eq!(problems["problems"][0]["name"], "complaint.txt");
}

fn added_sha(dir: &TempDir) -> String {
    let listed = json(tuiding(dir, "2026-11-26").args(["evidence", "list", "1"]));
    listed[0]["sha256"].as_str().unwrap().to_string()
}

#[test]
fn a_charge_after_cancellation_lands_in_the_dossier() {
    let dir = TempDir::new().unwrap();
    let t = |day: &str| tuiding(&dir, day);
    json(t("2026-11-01").args(["import", "tests/data/alipay-small.csv"]));
    let streams = json(t("2026-11-01").arg("streams"));
    let number = streams["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["merchant"] == "爱奇艺")
        .unwrap()["number"]
        .to_string();
    json(t("2026-11-01").args(["streams", "adopt", &number]));
    t("2026-11-01")
        .args(["edit", "1", "--close", "alipay:2026-08-01"])
        .assert()
        .success();
    json(t("2026-11-01").args(["case", "open", "1"]));
    let out = dir.path().join("d.zip");
    let report = json(
        t("2026-11-01")
            .args(["case", "export", "1", "--out"])
            .arg(&out),
    );
    let codes: Vec<&str> = report["grounds"]["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["charged_after_cancellation"; 3]);
    assert_eq!(report["grounds"]["total"], "75.00");
    let complaint = zip_text(&out, "complaint.txt");
    assert!(
        complaint.contains("退还 2026-08-15 经支付宝扣款 ¥25.00"),
        "{complaint}"
    );
    assert!(complaint.contains("第十八条"), "{complaint}");
    let due = json(t("2026-11-01").arg("due"));
    let late: Vec<&Value> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "charged_after_cancellation")
        .collect();
    assert_eq!(late.len(), 3);
    assert!(
        late.iter().all(|i| i["case_id"] == 1),
        "the charges belong to the open case"
    );
    let shown = json(t("2026-11-01").args(["case", "show", "1"]));
    assert_eq!(shown["late_charges"][0]["date"], "2026-08-15");
    assert_eq!(shown["late_charges"][0]["channel"], "alipay");
}

#[test]
fn due_shows_the_last_safe_cancel_day_and_waiting_steps() {
    let dir = TempDir::new().unwrap();
    membership(&dir);
    // Renews 2026-11-30 (month-end clamp of the 31st); the template's cut-off is a day ahead.
    let due = json(tuiding(&dir, "2026-11-26").arg("due"));
    let cancel = due
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "last_safe_cancel_day")
        .expect("a cancel day");
    assert_eq!(cancel["membership_id"], 1);
    assert!(cancel["date"].as_str().unwrap() >= "2026-11-26");
    json(tuiding(&dir, "2026-11-26").args(["case", "open", "1"]));
    let due = json(tuiding(&dir, "2026-11-26").arg("due"));
    let waiting = due
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "step_waiting")
        .unwrap();
    assert!(
        waiting["text"]
            .as_str()
            .unwrap()
            .contains("tuiding case step 1 check_rules"),
        "{waiting}"
    );
    // Nothing due a month before.
    let early = json(tuiding(&dir, "2026-10-01").arg("due"));
    assert!(
        early
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] != "last_safe_cancel_day"),
        "{early}"
    );
    tuiding(&dir, "2026-11-26")
        .args(["due", "--lang", "en"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("last_safe_cancel_day").or(predicate::str::contains("renews")),
        );
}

/// `case step CASE STEP` marks it done without a flag; `--undo` takes it back, and undoing
/// a step that is not done is refused without writing.
#[test]
fn a_step_is_marked_by_naming_it_and_taken_back_with_undo() {
    let dir = TempDir::new().unwrap();
    membership(&dir);
    let t = |today| tuiding(&dir, today);
    t("2026-11-20")
        .args(["case", "open", "1"])
        .assert()
        .success();
    let done = |case: &Value| -> Vec<String> {
        case["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["done"] == true)
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    let marked = json(t("2026-11-20").args(["case", "step", "1", "check_rules"]));
    assert_eq!(done(&marked), ["check_rules"]);
    let undone = json(t("2026-11-20").args(["case", "step", "1", "check_rules", "--undo"]));
    assert!(done(&undone).is_empty(), "{undone:#}");
    t("2026-11-20")
        .args(["case", "step", "1", "check_rules", "--undo"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("没有标记为完成"));
}

/// The journal's head is recorded in the ledger: a journal that loses its last line, is
/// cut to fewer entries, emptied or deleted fails `vault verify` (it used to pass), `case
/// export` refuses to export from it, and adding evidence refuses to build on it.
#[test]
fn a_journal_cut_short_is_caught() {
    let dir = TempDir::new().unwrap();
    membership(&dir);
    let t = |day: &str| tuiding(&dir, day);
    json(t("2026-11-20").args(["case", "open", "1"]));
    for i in 0..5 {
        let shot = file(&dir, &format!("截图{i}.png"), &format!("pretend png {i}"));
        json(
            t("2026-11-20")
                .args(["evidence", "add", "1"])
                .arg(&shot)
                .args(["--kind", "operation"]),
        );
    }
    let journal = dir.path().join("data/vault/journal.jsonl");
    let whole = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<&str> = whole.lines().collect();
    let out = dir.path().join("case.zip");
    for cut in [
        lines[..4].join("\n") + "\n",
        lines[..2].join("\n") + "\n",
        String::new(),
    ] {
        std::fs::write(&journal, &cut).unwrap();
        let report = json_failure(t("2026-11-20").args(["vault", "verify"]));
        assert_eq!(
            report["problems"][0]["kind"], "truncated_journal",
            "{report}"
        );
        t("2026-11-20")
            .args(["case", "export", "1", "--out"])
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("证据库校验未通过"));
        assert!(!out.exists());
        let shot = file(&dir, "新的.png", "new");
        t("2026-11-20")
            .args(["evidence", "add", "1"])
            .arg(&shot)
            .args(["--kind", "operation"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("证据日志丢失了记录"));
    }
    std::fs::remove_file(&journal).unwrap();
    t("2026-11-20").args(["vault", "verify"]).assert().code(1);
    // The whole journal back: everything verifies and exports again.
    std::fs::write(&journal, &whole).unwrap();
    json(t("2026-11-20").args(["vault", "verify"]));
    // An entry appended behind the ledger's back (its chain hash is right: it has no key)
    // is named, blocks export until the user accepts it, and is then recorded.
    let vault = tuiding_vault::Vault::open(&dir.path().join("data/vault")).unwrap();
    vault
        .add_bytes(
            "伪造.png",
            b"forged",
            tuiding_vault::AddMeta {
                case_id: 1,
                step: None,
                kind: "operation".into(),
                note: None,
                captured_at: "2026-11-20T00:00:00Z".into(),
            },
        )
        .unwrap();
    let report = json_failure(t("2026-11-20").args(["vault", "verify"]));
    assert_eq!(
        report["problems"][0]["kind"], "unrecorded_entry",
        "{report}"
    );
    t("2026-11-20")
        .args(["case", "export", "1", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    json(t("2026-11-20").args(["vault", "verify", "--accept"]));
    json(t("2026-11-20").args(["vault", "verify"]));
    t("2026-11-20")
        .args(["case", "export", "1", "--out"])
        .arg(&out)
        .assert()
        .success();
    // A dossier whose journal names another digest than its evidence: refused, even with
    // the manifest rewritten to match the changed journal.
    let journal_text = zip_text(&out, "journal.jsonl");
    let first: Value = serde_json::from_str(journal_text.lines().next().unwrap()).unwrap();
    let sha = first["sha256"].as_str().unwrap();
    let forged = journal_text.replacen(sha, &"0".repeat(64), 1);
    let forged_zip = dir.path().join("forged.zip");
    common::rewrite_zip(&out, &forged_zip, |name, content| {
        if name == "journal.jsonl" {
            *content = forged.clone().into_bytes();
        }
    });
    let manifest_fixed = dir.path().join("forged2.zip");
    let (fsha, fsm3) = tuiding_vault::digest::digests(forged.as_bytes());
    common::rewrite_zip(&forged_zip, &manifest_fixed, |name, content| {
        if name == "manifest.json" {
            let mut manifest: Value = serde_json::from_slice(content).unwrap();
            for f in manifest["files"].as_array_mut().unwrap() {
                if f["path"] == "journal.jsonl" {
                    f["sha256"] = fsha.clone().into();
                    f["sm3"] = fsm3.clone().into();
                    f["size"] = forged.len().into();
                }
            }
            *content = serde_json::to_vec(&manifest).unwrap();
        }
    });
    let out = t("2026-11-20")
        .args(["dossier", "verify"])
        .arg(&manifest_fixed)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"not_in_journal"), "{report}");
}

/// Runs with `--json`, asserts exit 1 and parses the output.
fn json_failure(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_case_opened_after_its_channels_were_closed_takes_a_refund_promise() {
    let dir = TempDir::new().unwrap();
    membership(&dir);
    // Both channels closed on the membership before the case was opened.
    tuiding(&dir, "2026-11-20")
        .args(["edit", "1", "--close", "wechat_pay", "--close", "alipay"])
        .assert()
        .success();
    json(tuiding(&dir, "2026-11-20").args(["case", "open", "1"]));
    let case = json(tuiding(&dir, "2026-11-20").args(["case", "show", "1"]));
    assert_eq!(case["state"], "opened");
    // Before: refused as "too early". Now the case catches up with its channels first.
    tuiding(&dir, "2026-11-21")
        .args([
            "case",
            "refund",
            "1",
            "--promised",
            "13.00",
            "--by",
            "2026-12-01",
        ])
        .assert()
        .success();
    let case = json(tuiding(&dir, "2026-11-21").args(["case", "show", "1"]));
    assert_eq!(case["state"], "refund_promised");
    let moves: Vec<&str> = case["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        moves,
        [
            "opened",
            "channels_closed",
            "refund_requested",
            "refund_promised"
        ]
    );
}

#[test]
fn a_refused_refund_command_changes_nothing() {
    let dir = TempDir::new().unwrap();
    membership(&dir);
    tuiding(&dir, "2026-11-20")
        .args(["edit", "1", "--close", "wechat_pay", "--close", "alipay"])
        .assert()
        .success();
    json(tuiding(&dir, "2026-11-20").args(["case", "open", "1"]));
    // No fact given, or a bad amount: refused before the case catches up with its channels.
    tuiding(&dir, "2026-11-21")
        .args(["case", "refund", "1"])
        .assert()
        .code(2);
    tuiding(&dir, "2026-11-21")
        .args([
            "case",
            "refund",
            "1",
            "--promised",
            "abc",
            "--by",
            "2026-12-01",
        ])
        .assert()
        .code(2);
    let case = json(tuiding(&dir, "2026-11-21").args(["case", "show", "1"]));
    assert_eq!(case["state"], "opened");
    assert_eq!(case["transitions"].as_array().unwrap().len(), 1);
}
