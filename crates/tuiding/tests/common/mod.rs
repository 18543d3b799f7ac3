//! Shared by the CLI tests: a `tuiding` command on a data directory with a fixed date,
//! Chinese text, and nothing inherited from the developer's environment.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// `tuiding --data-dir DATA --today TODAY`, isolated from the environment.
pub fn tuiding_at(data: &Path, today: &str) -> Command {
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
        .arg(data)
        .arg("--today")
        .arg(today);
    cmd
}

/// Runs the command with `--json`, asserts success and parses the output.
pub fn json(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
