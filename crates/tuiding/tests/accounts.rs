//! A shared PostgreSQL server from the command line: accounts (`user add|passwd|rm|list`),
//! every ledger command on an account (`--database-url … --user NAME`), one account's
//! ids never reaching another's, `migrate --to` from a SQLite data dir (the same
//! memberships, the vault verified on the copy), and an account's backup restoring into a
//! SQLite data dir. Needs `TUIDING_TEST_DATABASE_URL` (see `common::postgres_url`).

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{json, postgres_url, tuiding_at, unique_name};
use serde_json::Value;

const TODAY: &str = "2026-11-30";

/// `tuiding --data-dir BASE --database-url URL --user NAME …`.
fn on(base: &Path, url: &str, user: &str) -> Command {
    on_day(base, url, user, TODAY)
}

/// The same on another day.
fn on_day(base: &Path, url: &str, user: &str, today: &str) -> Command {
    let mut cmd = tuiding_at(base, today);
    cmd.args(["--database-url", url, "--user", user]);
    cmd
}

/// `tuiding --database-url URL user …` (no account).
fn users(base: &Path, url: &str) -> Command {
    let mut cmd = tuiding_at(base, TODAY);
    cmd.args(["--database-url", url, "user"]);
    cmd
}

fn add_user(base: &Path, url: &str, name: &str) {
    users(base, url)
        .args(["add", name, "--password-stdin"])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
}

fn add_membership(cmd: &mut Command, platform: &str) {
    add_membership_starting(cmd, platform, "2026-10-31");
}

fn add_membership_starting(cmd: &mut Command, platform: &str, start: &str) {
    cmd.args([
        "add",
        "--platform",
        platform,
        "--plan",
        "会员",
        "--period",
        "month",
        "--price",
        "25",
        "--start",
        start,
        "--auto-renew",
        "wechat_pay",
    ])
    .assert()
    .success();
}

#[test]
fn accounts_are_added_listed_given_a_password_and_removed() {
    let Some(url) = postgres_url() else { return };
    let base = tempfile::tempdir().unwrap();
    let name = unique_name("cli");
    add_user(base.path(), &url, &name);
    let list = json(users(base.path(), &url).arg("list"));
    let me = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name.as_str())
        .unwrap()
        .clone();
    assert_eq!(me["password_set"], true);
    assert_eq!(me["lang"], "zh");
    users(base.path(), &url)
        .args(["set", &name, "--lang", "en"])
        .assert()
        .success();
    users(base.path(), &url)
        .args(["set", &name, "--lang", "fr"])
        .assert()
        .code(2);
    let me = json(users(base.path(), &url).arg("list"));
    let me = me
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name.as_str())
        .unwrap();
    assert_eq!(me["lang"], "en");
    assert!(me.get("password").is_none(), "never the hash: {me}");
    // Taken names, short passwords and removal without --yes are refused.
    users(base.path(), &url)
        .args(["add", &name, "--no-password"])
        .assert()
        .code(1);
    users(base.path(), &url)
        .args(["passwd", &name, "--password-stdin"])
        .write_stdin("short\n")
        .assert()
        .code(2);
    users(base.path(), &url)
        .args(["passwd", &name, "--password-stdin"])
        .write_stdin("another long one\n")
        .assert()
        .success();
    on(base.path(), &url, &name)
        .args(["evidence", "add", "1"])
        .assert()
        .failure();
    add_membership(&mut on(base.path(), &url, &name), "爱奇艺");
    users(base.path(), &url)
        .args(["rm", &name])
        .assert()
        .code(2);
    users(base.path(), &url)
        .args(["rm", &name, "--yes"])
        .assert()
        .success();
    on(base.path(), &url, &name).arg("list").assert().code(1);
    // Account commands need the database; ledger commands on it need --user.
    tuiding_at(base.path(), TODAY)
        .args(["user", "list"])
        .assert()
        .code(2);
    let mut no_user = tuiding_at(base.path(), TODAY);
    no_user
        .args(["--database-url", &url, "list"])
        .assert()
        .code(2);
}

#[test]
fn one_accounts_ids_never_reach_another_account() {
    let Some(url) = postgres_url() else { return };
    let base = tempfile::tempdir().unwrap();
    let (a, b) = (unique_name("a"), unique_name("b"));
    add_user(base.path(), &url, &a);
    add_user(base.path(), &url, &b);
    add_membership(&mut on(base.path(), &url, &a), "腾讯视频");
    on(base.path(), &url, &a)
        .args(["case", "open", "1"])
        .assert()
        .success();
    let a_before = json(on(base.path(), &url, &a).arg("list"));
    // B has no membership 1 and no case 1: every command says so and writes nothing.
    for args in [
        vec!["show", "1"],
        vec!["check", "1"],
        vec!["case", "show", "1"],
        vec!["rm", "1", "--yes"],
        vec!["edit", "1", "--price", "1"],
        vec!["case", "open", "1"],
        vec!["evidence", "list", "1"],
    ] {
        let out = on(base.path(), &url, &b).args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    assert_eq!(
        json(on(base.path(), &url, &b).arg("list")),
        Value::Array(vec![])
    );
    assert_eq!(json(on(base.path(), &url, &a).arg("list")), a_before);
    // B's own membership 1 is B's.
    add_membership(&mut on(base.path(), &url, &b), "优酷");
    let b_list = json(on(base.path(), &url, &b).arg("list"));
    assert_eq!(b_list[0]["id"], 1);
    assert_eq!(b_list[0]["platform"], "优酷");
    assert_eq!(json(on(base.path(), &url, &a).arg("list")), a_before);
}

#[test]
fn a_sqlite_data_dir_migrates_into_an_account_with_its_evidence() {
    let Some(url) = postgres_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (src, server) = (dir.path().join("src"), dir.path().join("server"));
    tuiding_at(&src, TODAY).arg("demo").assert().success();
    tuiding_at(&src, TODAY)
        .args(["case", "open", "1"])
        .assert()
        .success();
    let evidence = dir.path().join("客服承诺.txt");
    std::fs::write(&evidence, "客服承诺 3 个工作日内退款").unwrap();
    tuiding_at(&src, TODAY)
        .args(["evidence", "add", "1"])
        .arg(&evidence)
        .args(["--kind", "communication"])
        .assert()
        .success();
    let name = unique_name("migrate");
    // The database from --database-url (or TUIDING_DATABASE_URL): no password in argv.
    let view = json(
        tuiding_at(&src, TODAY)
            .args([
                "--database-url",
                &url,
                "migrate",
                "--account",
                &name,
                "--create",
            ])
            .arg("--files-dir")
            .arg(&server),
    );
    assert_eq!(view["evidence_objects"], 1);
    let on_pg = |args: &[&str]| {
        let mut cmd = on(&server, &url, &name);
        cmd.args(args);
        cmd
    };
    assert_eq!(
        json(&mut on_pg(&["list"])),
        json(tuiding_at(&src, TODAY).arg("list"))
    );
    assert_eq!(
        json(&mut on_pg(&["case", "show", "1"])),
        json(tuiding_at(&src, TODAY).args(["case", "show", "1"]))
    );
    on_pg(&["vault", "verify"]).assert().success();
    // The copy is the account's own: a second migration into it is refused, and new
    // memberships continue the numbering.
    tuiding_at(&src, TODAY)
        .args(["migrate", "--to", &url, "--account", &name, "--files-dir"])
        .arg(&server)
        .assert()
        .failure();
    let count = json(tuiding_at(&src, TODAY).arg("list"))
        .as_array()
        .unwrap()
        .len();
    add_membership(&mut on_pg(&[]), "新会员");
    let ids: Vec<i64> = json(&mut on_pg(&["list"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), count + 1);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn an_accounts_backup_restores_into_a_sqlite_data_dir() {
    let Some(url) = postgres_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = dir.path().join("server");
    let name = unique_name("backup");
    add_user(&server, &url, &name);
    add_membership(&mut on(&server, &url, &name), "网易云音乐");
    on(&server, &url, &name)
        .args(["case", "open", "1"])
        .assert()
        .success();
    let zip = dir.path().join("b.zip");
    on(&server, &url, &name)
        .arg("backup")
        .arg(&zip)
        .assert()
        .success();
    // Never over the server's data dir (its accounts' files would be moved aside), even
    // when the database is named: a backup restores as a personal data dir.
    tuiding_at(&server, TODAY)
        .args(["--database-url", &url, "restore"])
        .arg(&zip)
        .assert()
        .code(1);
    assert!(server.join("accounts").is_dir());
    let restored = dir.path().join("restored");
    tuiding_at(&restored, TODAY)
        .args(["--database-url", &url, "restore"])
        .arg(&zip)
        .assert()
        .success();
    assert_eq!(
        json(tuiding_at(&restored, TODAY).arg("list")),
        json(on(&server, &url, &name).arg("list"))
    );
    assert_eq!(
        json(tuiding_at(&restored, TODAY).args(["case", "show", "1"])),
        json(on(&server, &url, &name).args(["case", "show", "1"]))
    );
}

#[test]
fn reminders_go_to_each_accounts_own_channels() {
    let Some(url) = postgres_url() else { return };
    let base = tempfile::tempdir().unwrap();
    let (a, b) = (unique_name("remind-a"), unique_name("remind-b"));
    add_user(base.path(), &url, &a);
    add_user(base.path(), &url, &b);
    // Both renew on 2026-12-01 (last safe day 2026-11-30); only A has a channel.
    for (user, platform) in [(&a, "爱奇艺"), (&b, "优酷")] {
        let mut cmd = on_day(base.path(), &url, user, "2026-11-20");
        add_membership_starting(&mut cmd, platform, "2026-11-01");
    }
    let (hook, received) = common::http_server();
    let a_id = json(users(base.path(), &url).arg("list"))
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == a.as_str())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let a_dir = base.path().join("accounts").join(a_id.to_string());
    std::fs::create_dir_all(&a_dir).unwrap();
    std::fs::write(
        a_dir.join("config.toml"),
        format!("[[notify]]\nkind = \"webhook\"\nurl = \"{hook}/hook\"\n"),
    )
    .unwrap();
    let remind = |user: &str| json(on_day(base.path(), &url, user, "2026-11-23").arg("remind"));
    let sent_a = remind(&a);
    assert_eq!(sent_a["sent"].as_array().unwrap().len(), 1, "{sent_a}");
    let sent_b = remind(&b);
    // B has no channel of its own: its reminder is printed (`stdout`), not sent to A's.
    let b_channels: Vec<&str> = sent_b["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["channel"].as_str().unwrap())
        .collect();
    assert_eq!(b_channels, ["stdout"], "{sent_b}");
    assert_eq!(sent_b["due"][0]["key_day"], "2026-11-30", "{sent_b}");
    let got = received.lock().unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].1.to_string().contains("爱奇艺"), "{got:?}");
    assert!(
        !got[0].1.to_string().contains("优酷"),
        "B's reminder reached A's channel"
    );
}
