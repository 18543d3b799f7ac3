//! Leftovers of a process killed mid-write: temporary files and scratch directories named
//! with the writer's process id (`.tmp-4242-…`, `.backup-4242`). The next run removes
//! those whose process is gone; a live process's files are never touched.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// Removes the entries of `dir` named `{prefix}{pid}` or `{prefix}{pid}-…` whose process
/// no longer runs. Returns how many were removed; errors are ignored (a leftover that
/// cannot be removed now is tried again next time).
pub fn remove_stale(dir: &Path, prefix: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(pid) = digits.parse::<u32>() else {
            continue;
        };
        let after = &rest[digits.len()..];
        if !(after.is_empty() || after.starts_with('-')) || is_running(pid, &entry.path()) {
            continue;
        }
        let path = entry.path();
        let gone = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if gone.is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether the process that named `path` still runs: on Linux, `/proc/PID`; elsewhere a
/// leftover younger than a day is assumed to be in use.
fn is_running(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    let age = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok());
    age.is_none_or(|age| age < Duration::from_secs(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_dead_processs_leftovers_go() {
        let dir = tempfile::tempdir().unwrap();
        let dead = 4_000_000; // above Linux's pid_max
        let mine = std::process::id();
        for name in [
            format!(".tmp-{dead}-shot.png"),
            format!(".tmp-{mine}-shot.png"),
            ".tmp-abc".to_string(),
            "shot.png".to_string(),
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::create_dir(dir.path().join(format!(".backup-{dead}"))).unwrap();
        let removed = remove_stale(dir.path(), ".tmp-") + remove_stale(dir.path(), ".backup-");
        if cfg!(target_os = "linux") {
            assert_eq!(removed, 2);
            assert!(!dir.path().join(format!(".tmp-{dead}-shot.png")).exists());
        }
        assert!(dir.path().join(format!(".tmp-{mine}-shot.png")).exists());
        assert!(dir.path().join(".tmp-abc").exists());
        assert!(dir.path().join("shot.png").exists());
    }
}
