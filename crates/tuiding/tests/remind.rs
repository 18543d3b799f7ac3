//! `tuiding remind`: what is due goes through every configured channel once, a failed
//! channel is retried on the next run, and nothing is sent twice. Each channel kind is
//! checked against a local server that records what it receives.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use common::{http_server, json, tuiding_at};

/// A local SMTP server (no TLS) keeping each message's text.
fn smtp_server() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = mails.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            stream.write_all(b"220 localhost ESMTP test\r\n").unwrap();
            let mut data = None::<String>;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(text) = data.as_mut() {
                    if line == ".\r\n" {
                        log.lock().unwrap().push(data.take().unwrap());
                        stream.write_all(b"250 queued\r\n").unwrap();
                    } else {
                        text.push_str(&line);
                    }
                    continue;
                }
                let command = line.to_ascii_uppercase();
                let reply: &[u8] = if command.starts_with("EHLO") {
                    b"250-localhost\r\n250 8BITMIME\r\n"
                } else if command.starts_with("DATA") {
                    data = Some(String::new());
                    b"354 go ahead\r\n"
                } else if command.starts_with("QUIT") {
                    stream.write_all(b"221 bye\r\n").unwrap();
                    break;
                } else {
                    b"250 ok\r\n"
                };
                stream.write_all(reply).unwrap();
            }
        }
    });
    (port, mails)
}

/// A membership renewing on 2026-12-01 (last safe day 2026-11-30 with no policy).
fn ledger(dir: &Path) {
    tuiding_at(dir, "2026-11-20")
        .args([
            "add",
            "--platform",
            "爱奇艺",
            "--plan",
            "黄金VIP",
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
}

#[test]
fn reminders_go_through_every_channel_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    ledger(&dir);
    let (base, received) = http_server();
    let (smtp_port, mails) = smtp_server();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            r#"
[[notify]]
kind = "webhook"
url = "{base}/hook"

[[notify]]
kind = "ntfy"
url = "{base}/ntfy"
topic = "my-tuiding"

[[notify]]
kind = "bark"
url = "{base}"
device_key = "KEY"

[[notify]]
kind = "wecom"
url = "{base}/wecom?key=abc"

[[notify]]
kind = "dingtalk"
url = "{base}/dingtalk?access_token=abc"
secret = "SEC"

[[notify]]
kind = "feishu"
url = "{base}/feishu"
secret = "SEC"

[[notify]]
kind = "smtp"
host = "127.0.0.1"
port = {smtp_port}
tls = "none"
from = "tuiding <me@example.com>"
to = ["me@example.com"]
"#
        ),
    )
    .unwrap();

    // Nothing is due more than 7 days ahead.
    let early = json(tuiding_at(&dir, "2026-11-20").args(["remind"]));
    assert!(early["due"].as_array().unwrap().is_empty());
    assert!(received.lock().unwrap().is_empty());

    // 2026-11-23 is 7 days before the last safe day: every channel gets one reminder.
    let report = json(tuiding_at(&dir, "2026-11-23").args(["remind"]));
    assert_eq!(report["due"][0]["lead_days"], 7, "{report}");
    assert_eq!(report["due"][0]["key_day"], "2026-11-30");
    assert_eq!(report["sent"].as_array().unwrap().len(), 7, "{report}");
    assert!(report["failed"].as_array().unwrap().is_empty(), "{report}");
    {
        let got = received.lock().unwrap();
        let by = |prefix: &str| {
            got.iter()
                .find(|(p, _)| p.starts_with(prefix))
                .unwrap_or_else(|| panic!("nothing at {prefix}: {got:?}"))
                .1
                .clone()
        };
        assert_eq!(by("/hook")["reminder"]["membership_id"], 1);
        assert!(by("/hook")["text"].as_str().unwrap().contains("2026-11-30"));
        assert_eq!(by("/ntfy")["topic"], "my-tuiding");
        assert_eq!(by("/push")["device_key"], "KEY");
        assert_eq!(by("/wecom")["msgtype"], "text");
        assert!(
            by("/wecom")["text"]["content"]
                .as_str()
                .unwrap()
                .contains("爱奇艺")
        );
        assert_eq!(by("/feishu")["msg_type"], "text");
        assert!(
            by("/feishu")["sign"]
                .as_str()
                .is_some_and(|s| s.ends_with('='))
        );
        let ding = got
            .iter()
            .find(|(p, _)| p.starts_with("/dingtalk"))
            .unwrap();
        assert!(
            ding.0.contains("&timestamp=") && ding.0.contains("&sign="),
            "{}",
            ding.0
        );
        assert_eq!(got.len(), 6);
    }
    let mail = mails.lock().unwrap()[0].clone();
    assert!(mail.contains("To: me@example.com"), "{mail}");
    assert!(mail.contains("Subject:"), "{mail}");

    // Run again the same day, and the next: nothing twice.
    let again = json(tuiding_at(&dir, "2026-11-24").args(["remind"]));
    assert!(again["sent"].as_array().unwrap().is_empty(), "{again}");
    assert_eq!(received.lock().unwrap().len(), 6);

    // The day before the last safe day, the 1-day reminder goes out.
    let last = json(tuiding_at(&dir, "2026-11-29").args(["remind"]));
    assert_eq!(last["due"][0]["lead_days"], 1);
    assert_eq!(last["sent"].as_array().unwrap().len(), 7);
    assert_eq!(received.lock().unwrap().len(), 12);
    assert_eq!(mails.lock().unwrap().len(), 2);
}

#[test]
fn a_failed_channel_is_retried_and_the_others_are_not_repeated() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    ledger(&dir);
    let (base, received) = http_server();
    // A port nobody listens on.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = |dead: &str| {
        format!(
            "[[notify]]\nkind = \"webhook\"\nurl = \"{base}/hook\"\n\n[[notify]]\nkind = \"ntfy\"\nurl = \"{dead}\"\ntopic = \"t\"\nname = \"phone\"\n"
        )
    };
    std::fs::write(dir.join("config.toml"), config(&format!("http://{closed}"))).unwrap();
    let out = tuiding_at(&dir, "2026-11-23")
        .args(["remind"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed channel fails the run (cron reports it)"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("phone"), "{stderr}");
    assert_eq!(received.lock().unwrap().len(), 1);

    // The channel works again: only it is sent to.
    std::fs::write(dir.join("config.toml"), config(&format!("{base}/ntfy"))).unwrap();
    let report = json(tuiding_at(&dir, "2026-11-24").args(["remind"]));
    let sent: Vec<&str> = report["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["channel"].as_str().unwrap())
        .collect();
    assert_eq!(sent, ["phone"]);
    let got = received.lock().unwrap();
    assert_eq!(got.len(), 2);
    assert!(got[1].0.starts_with("/ntfy"));
}

#[test]
fn without_channels_reminders_are_printed_once_and_dry_runs_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    ledger(&dir);
    let dry = tuiding_at(&dir, "2026-11-23")
        .args(["remind", "--dry-run"])
        .assert()
        .success();
    let text = String::from_utf8(dry.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("退订提醒：爱奇艺 黄金VIP，还剩 7 天"),
        "{text}"
    );
    let printed = tuiding_at(&dir, "2026-11-23")
        .args(["remind"])
        .assert()
        .success();
    let text = String::from_utf8(printed.get_output().stdout.clone()).unwrap();
    assert!(text.contains("2026-11-30 前取消"), "{text}");
    let again = tuiding_at(&dir, "2026-11-23")
        .args(["remind"])
        .assert()
        .success();
    let text = String::from_utf8(again.get_output().stdout.clone()).unwrap();
    assert!(text.contains("没有需要发送的提醒"), "{text}");
    // English, and a config that names an unknown channel kind is refused.
    let en = tuiding_at(&dir, "2026-11-29")
        .args(["--lang", "en", "remind", "--dry-run"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&en.get_output().stdout).contains("1 day left to cancel"));
    std::fs::write(dir.join("config.toml"), "[[notify]]\nkind = \"pigeon\"\n").unwrap();
    let out = tuiding_at(&dir, "2026-11-29")
        .args(["remind"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("config.toml"));
}

#[test]
fn listening_beyond_loopback_needs_a_password_set_with_argon2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    ledger(&dir);
    let out = tuiding_at(&dir, "2026-11-23")
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tuiding user set-password"));
    let short = tuiding_at(&dir, "2026-11-23")
        .args(["user", "set-password", "--password-stdin"])
        .write_stdin("short\n")
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(2));
    assert!(!dir.join("web-password").exists());
    tuiding_at(&dir, "2026-11-23")
        .args(["user", "set-password", "--password-stdin"])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    let hash = std::fs::read_to_string(dir.join("web-password")).unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("correct horse"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("web-password"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    tuiding_at(&dir, "2026-11-23")
        .args(["user", "clear-password"])
        .assert()
        .success();
    assert!(!dir.join("web-password").exists());
}

#[test]
fn serve_sends_the_same_reminders_on_its_schedule() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    ledger(&dir);
    let (base, received) = http_server();
    std::fs::write(
        dir.join("config.toml"),
        format!("[[notify]]\nkind = \"webhook\"\nurl = \"{base}/hook\"\n"),
    )
    .unwrap();
    let server = common::Server::start(&dir, "2026-11-23", "1");
    let started = std::time::Instant::now();
    // The first run is at start-up; the API answers meanwhile (200, asserted by `get`).
    let answer = server.get("/api/v1/reminders");
    assert!(answer.contains("\"key_day\":\"2026-11-30\""), "{answer}");
    while received.lock().unwrap().is_empty() {
        assert!(started.elapsed().as_secs() < 20, "no reminder was sent");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    drop(server);
    let got = received.lock().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1["reminder"]["lead_days"], 7);
    // Remembered: the CLI does not send it again.
    let report = json(tuiding_at(&dir, "2026-11-23").args(["remind"]));
    assert!(report["sent"].as_array().unwrap().is_empty(), "{report}");
}
