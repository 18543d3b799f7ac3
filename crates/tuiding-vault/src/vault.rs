//! The vault on disk: `objects/ab/cdef…` named by SHA-256, and `journal.jsonl`.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::digest::digests;
use crate::journal::{Entry, GENESIS};

/// What is recorded with a file.
#[derive(Debug, Clone)]
pub struct AddMeta {
    /// The case.
    pub case_id: i64,
    /// The step it proves.
    pub step: Option<String>,
    /// `operation`, `communication` or `payment`.
    pub kind: String,
    /// The user's note.
    pub note: Option<String>,
    /// Capture time (RFC 3339), given by the caller.
    pub captured_at: String,
}

/// Why the vault could not do something.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// An object no longer matches its journal entry.
    #[error("evidence #{seq} {name} was altered since it was stored; run `tuiding vault verify`")]
    Altered {
        /// The original name.
        name: String,
        /// The journal entry.
        seq: u64,
    },
    /// The journal no longer holds the entry the ledger recorded as its head: entries
    /// were removed, or the journal was replaced or rolled back.
    #[error(
        "the evidence journal lost entries: the ledger recorded {recorded} of them, the journal holds {found}; run `tuiding vault verify` and restore the vault from a backup"
    )]
    Truncated {
        /// The head's sequence number as recorded.
        recorded: u64,
        /// The entries the journal holds.
        found: usize,
    },
    /// The journal holds entries after the head the ledger recorded.
    #[error(
        "the evidence journal holds {count} entries the ledger never recorded (an `evidence add` interrupted after storing them, or added by hand); look at them with `tuiding vault verify` and, if they are yours, record them with `tuiding vault verify --accept`"
    )]
    Unrecorded {
        /// How many.
        count: usize,
    },
    /// The journal cannot be read.
    #[error("journal line {line}: {message}")]
    Journal {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One thing `verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `missing_object`, `altered_object`, `edited_entry`, `broken_chain`, `out_of_order`, `unreadable_entry`.
    pub kind: &'static str,
    /// The journal line (1-based), when it concerns one.
    pub line: Option<usize>,
    /// The file's original name, when known.
    pub name: Option<String>,
    /// What exactly.
    pub detail: String,
}

/// What `verify` checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Journal entries read.
    pub entries: usize,
    /// Distinct objects checked.
    pub objects: usize,
    /// Of those, objects re-hashed in this verification (the others were re-hashed by an
    /// earlier one and their files have not changed since: [`Vault::verify_since`]).
    pub rehashed: usize,
    /// Entries after the head the ledger recorded (each also an `unrecorded_entry`
    /// problem): an `evidence add` interrupted before it finished, or entries added by hand.
    /// Only the user can tell; `vault verify --accept` records them.
    pub unrecorded: usize,
    /// Everything wrong (empty: all intact).
    pub problems: Vec<Problem>,
}

/// The evidence vault in a directory.
pub struct Vault {
    dir: PathBuf,
}

pub(crate) fn io(path: &Path) -> impl Fn(std::io::Error) -> VaultError + '_ {
    move |source| VaultError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl Vault {
    /// Opens (creating) the vault in `dir`, owner-only.
    pub fn open(dir: &Path) -> Result<Vault, VaultError> {
        let objects = dir.join("objects");
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&objects).map_err(io(&objects))?;
        Ok(Vault {
            dir: dir.to_path_buf(),
        })
    }

    /// The vault in `dir` as it is, for reading: nothing is created (a missing vault reads
    /// as empty). Adding needs [`Vault::open`].
    pub fn at(dir: &Path) -> Vault {
        Vault {
            dir: dir.to_path_buf(),
        }
    }

    /// The vault's directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn journal_path(&self) -> PathBuf {
        self.dir.join("journal.jsonl")
    }

    /// The journal's size and modification time: what was read from it still holds while
    /// these are the same (the journal is only ever appended to).
    pub fn journal_stamp(&self) -> (u64, Option<std::time::SystemTime>) {
        crate::verify::file_stamp(&self.journal_path()).unwrap_or((0, None))
    }

    /// Where an object with this SHA-256 lives.
    pub fn object_path(&self, sha256: &str) -> PathBuf {
        if !crate::journal::is_digest(sha256) {
            // Never a path outside the store; no object lives here.
            return self.dir.join("objects").join("not-a-digest");
        }
        let (a, b) = sha256.split_at(2);
        self.dir.join("objects").join(a).join(b)
    }

    /// Adds a file's content under its original name.
    pub fn add_file(&self, path: &Path, meta: AddMeta) -> Result<Entry, VaultError> {
        let bytes = std::fs::read(path).map_err(io(path))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().to_string(),
        );
        self.add_bytes(&name, &bytes, meta)
    }

    /// Adds content: the object first (atomically, once), then the journal entry.
    pub fn add_bytes(&self, name: &str, bytes: &[u8], meta: AddMeta) -> Result<Entry, VaultError> {
        let (sha256, sm3) = digests(bytes);
        self.store_object(&sha256, bytes)?;
        let entries = self.entries()?;
        let (seq, prev) = entries
            .last()
            .map_or((1, GENESIS.to_string()), |e| (e.seq + 1, e.hash.clone()));
        let mut entry = Entry {
            seq,
            prev,
            captured_at: meta.captured_at,
            case_id: meta.case_id,
            step: meta.step,
            kind: meta.kind,
            name: name.to_string(),
            size: bytes.len() as u64,
            media_type: media_type(name).to_string(),
            sha256,
            sm3,
            note: meta.note,
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        self.append(&entry)?;
        Ok(entry)
    }

    fn store_object(&self, sha256: &str, bytes: &[u8]) -> Result<(), VaultError> {
        let target = self.object_path(sha256);
        if target.exists() {
            return Ok(());
        }
        write_durably(&target, bytes).map_err(io(&target))
    }

    /// Appends one line; a line left incomplete by an interrupted append is dropped first
    /// (it was never acknowledged).
    fn append(&self, entry: &Entry) -> Result<(), VaultError> {
        let path = self.journal_path();
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .write(true)
            .truncate(false)
            .open(&path)
            .map_err(io(&path))?;
        let len = file.metadata().map_err(io(&path))?.len();
        if len > 0 {
            let mut content = Vec::new();
            file.read_to_end(&mut content).map_err(io(&path))?;
            if content.last() != Some(&b'\n') {
                let keep = content
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                file.set_len(keep as u64).map_err(io(&path))?;
            }
        }
        file.seek(SeekFrom::End(0)).map_err(io(&path))?;
        let mut line = serde_json::to_string(entry).expect("an entry serialises");
        line.push('\n');
        file.write_all(line.as_bytes()).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))
    }

    /// Every complete journal entry, in order (an incomplete last line is ignored).
    pub fn entries(&self) -> Result<Vec<Entry>, VaultError> {
        let path = self.journal_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&path)(e)),
        };
        let complete = text.rfind('\n').map_or("", |i| &text[..i]);
        complete
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                crate::journal::parse_line(l).map_err(|message| VaultError::Journal {
                    line: i + 1,
                    message,
                })
            })
            .collect()
    }

    /// Removes what an addition killed mid-write left: temporary objects of processes that
    /// are gone. Returns how many.
    pub fn remove_leftovers(&self) -> usize {
        let Ok(dirs) = std::fs::read_dir(self.dir.join("objects")) else {
            return 0;
        };
        dirs.flatten()
            .map(|d| crate::leftovers::remove_stale(&d.path(), ".tmp-"))
            .sum()
    }

    /// Refuses a journal that no longer holds the head the ledger `recorded` (its `seq`
    /// and `hash`): what is added next must follow what was acknowledged.
    pub fn check_head(&self, recorded: Option<(u64, &str)>) -> Result<(), VaultError> {
        let Some((seq, hash)) = recorded else {
            return Ok(());
        };
        let entries = self.entries()?;
        let Some(at) = entries.iter().position(|e| e.seq == seq && e.hash == hash) else {
            return Err(VaultError::Truncated {
                recorded: seq,
                found: entries.len(),
            });
        };
        // Entries after the head were never acknowledged: nothing is added on top of them
        // until the user has looked at them.
        let after = entries.len() - at - 1;
        if after > 0 {
            return Err(VaultError::Unrecorded { count: after });
        }
        Ok(())
    }

    /// The journal's last complete entry, if any.
    pub fn last_entry(&self) -> Result<Option<Entry>, VaultError> {
        Ok(self.entries()?.pop())
    }

    /// The content of an entry's object, re-hashed: an object that no longer matches its
    /// journal entry is an error, never silently handed on.
    pub fn read_object(&self, entry: &Entry) -> Result<Vec<u8>, VaultError> {
        let path = self.object_path(&entry.sha256);
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let (sha256, sm3) = digests(&bytes);
        if sha256 != entry.sha256 || sm3 != entry.sm3 {
            return Err(VaultError::Altered {
                name: entry.name.clone(),
                seq: entry.seq,
            });
        }
        Ok(bytes)
    }
}

/// Writes `bytes` to `target` durably: a temporary file in the same directory, fsynced,
/// renamed into place, and the directory fsynced so the rename itself reaches the disk.
pub(crate) fn write_durably(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_durably_from(target, bytes).map(|_| ())
}

/// As [`write_durably`], streaming from `reader`; returns the bytes written.
pub(crate) fn write_durably_from(target: &Path, mut reader: impl Read) -> std::io::Result<u64> {
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = parent.join(format!(".tmp-{}-{name}", std::process::id()));
    let result = (|| {
        // Owner-only: evidence and restored databases hold personal data.
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        let mut file = open.open(&temp)?;
        let written = std::io::copy(&mut reader, &mut file)?;
        file.sync_all()?;
        std::fs::rename(&temp, target)?;
        File::open(parent)?.sync_all()?;
        Ok(written)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// A media type from the file name.
pub fn media_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "eml" => "message/rfc822",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "m4a" => "audio/mp4",
        "mp3" => "audio/mpeg",
        "amr" => "audio/amr",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VerifiedObjects;

    fn meta(case_id: i64) -> AddMeta {
        AddMeta {
            case_id,
            step: Some("close:wechat_pay".into()),
            kind: "operation".into(),
            note: None,
            captured_at: "2026-11-23T10:00:00+08:00".into(),
        }
    }

    fn vault_with_three() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path()).unwrap();
        vault.add_bytes("关闭前.png", b"before", meta(1)).unwrap();
        vault.add_bytes("关闭后.png", b"after", meta(1)).unwrap();
        vault.add_bytes("聊天记录.png", b"chat", meta(1)).unwrap();
        (dir, vault)
    }

    #[test]
    fn content_is_stored_once_and_chained() {
        let (_dir, vault) = vault_with_three();
        let again = vault.add_bytes("重复.png", b"before", meta(2)).unwrap();
        let entries = vault.entries().unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[3].sha256, entries[0].sha256);
        assert_eq!(again.prev, entries[2].hash);
        assert_eq!(entries[0].prev, GENESIS);
        let report = vault.verify(None).unwrap();
        assert_eq!(
            (report.entries, report.objects, report.problems.len()),
            (4, 3, 0)
        );
        assert_eq!(entries[0].media_type, "image/png");
    }

    #[test]
    fn a_flipped_byte_in_an_object_is_caught() {
        let (_dir, vault) = vault_with_three();
        let entry = &vault.entries().unwrap()[1];
        let path = vault.object_path(&entry.sha256);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[0] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let problems = vault.verify(None).unwrap().problems;
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (
                problems[0].kind,
                problems[0].line,
                problems[0].name.as_deref()
            ),
            ("altered_object", Some(2), Some("关闭后.png"))
        );
    }

    #[test]
    fn a_later_verification_rehashes_only_what_was_added_or_touched() {
        let (_dir, vault) = vault_with_three();
        let mut known = VerifiedObjects::rechecking_after(std::time::Duration::ZERO);
        let first = vault.verify_since(None, &mut known).unwrap();
        assert_eq!((first.objects, first.rehashed, known.len()), (3, 3, 3));
        let again = vault.verify_since(None, &mut known).unwrap();
        assert_eq!((again.objects, again.rehashed), (3, 0));
        assert!(again.problems.is_empty());
        vault.add_bytes("退款.png", b"refund", meta(1)).unwrap();
        let added = vault.verify_since(None, &mut known).unwrap();
        assert_eq!((added.entries, added.objects, added.rehashed), (4, 4, 1));
        // An object changed in place (another size) is re-hashed and reported.
        let entry = &vault.entries().unwrap()[1];
        let path = vault.object_path(&entry.sha256);
        std::fs::write(&path, b"altered!").unwrap();
        let altered = vault.verify_since(None, &mut known).unwrap();
        assert_eq!(altered.rehashed, 1);
        assert_eq!(altered.problems[0].kind, "altered_object");
        assert_eq!(
            vault.verify_since(None, &mut known).unwrap().problems.len(),
            1
        );
        // A removed object is missed without reading anything.
        std::fs::remove_file(vault.object_path(&vault.entries().unwrap()[0].sha256)).unwrap();
        let missing = vault.verify_since(None, &mut known).unwrap();
        assert!(missing.problems.iter().any(|p| p.kind == "missing_object"));
        // The chain is always walked in full: an edited entry is caught at once.
        let journal = std::fs::read_to_string(vault.journal_path()).unwrap();
        std::fs::write(
            vault.journal_path(),
            journal.replacen("退款.png", "退款2.png", 1),
        )
        .unwrap();
        let edited = vault.verify_since(None, &mut known).unwrap();
        assert!(edited.problems.iter().any(|p| p.kind == "edited_entry"));
    }

    #[test]
    fn an_unchanged_journal_is_not_read_again_for_a_while_but_a_new_entry_is() {
        let (_dir, vault) = vault_with_three();
        let mut known = VerifiedObjects::default();
        assert_eq!(vault.verify_since(None, &mut known).unwrap().rehashed, 3);
        // An object changed in place within the window is left to the full verification.
        let entry = vault.entries().unwrap()[0].clone();
        std::fs::write(vault.object_path(&entry.sha256), b"tampered").unwrap();
        let quick = vault.verify_since(None, &mut known).unwrap();
        assert!(quick.problems.is_empty() && quick.rehashed == 0);
        assert_eq!(
            vault.verify(None).unwrap().problems[0].kind,
            "altered_object"
        );
        // An addition changes the journal: it is walked again and every file looked at.
        vault.add_bytes("新.png", b"new", meta(1)).unwrap();
        let grown = vault.verify_since(None, &mut known).unwrap();
        assert_eq!(grown.entries, 4);
        assert!(grown.problems.iter().any(|p| p.kind == "altered_object"));
    }

    #[test]
    fn an_altered_object_is_never_read_out() {
        let (_dir, vault) = vault_with_three();
        let entry = vault.entries().unwrap()[1].clone();
        assert_eq!(vault.read_object(&entry).unwrap(), b"after");
        let path = vault.object_path(&entry.sha256);
        std::fs::write(&path, b"afteR").unwrap();
        assert!(matches!(
            vault.read_object(&entry),
            Err(VaultError::Altered { seq: 2, .. })
        ));
    }

    #[test]
    fn a_journal_digest_that_is_not_hex_is_unreadable_not_a_path() {
        let (dir, vault) = vault_with_three();
        let journal = dir.path().join("journal.jsonl");
        let text = std::fs::read_to_string(&journal).unwrap();
        let sha = vault.entries().unwrap()[0].sha256.clone();
        std::fs::write(&journal, text.replacen(&sha, "ab/../../../etc/passwd", 1)).unwrap();
        assert!(matches!(
            vault.entries(),
            Err(VaultError::Journal { line: 1, .. })
        ));
        let problems = vault.verify(None).unwrap().problems;
        assert_eq!(problems[0].kind, "unreadable_entry");
        assert!(vault.object_path("ab/../../etc").starts_with(dir.path()));
    }

    #[test]
    fn a_deleted_object_is_caught() {
        let (_dir, vault) = vault_with_three();
        let entry = &vault.entries().unwrap()[0];
        std::fs::remove_file(vault.object_path(&entry.sha256)).unwrap();
        let problems = vault.verify(None).unwrap().problems;
        assert_eq!(
            problems.iter().map(|p| p.kind).collect::<Vec<_>>(),
            ["missing_object"]
        );
    }

    #[test]
    fn an_edited_journal_line_is_caught() {
        let (dir, vault) = vault_with_three();
        let path = dir.path().join("journal.jsonl");
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replacen("关闭后.png", "另一张.png", 1);
        std::fs::write(&path, text).unwrap();
        let problems = vault.verify(None).unwrap().problems;
        assert!(
            problems
                .iter()
                .any(|p| p.kind == "edited_entry" && p.line == Some(2)),
            "{problems:?}"
        );
    }

    #[test]
    fn a_reordered_or_removed_entry_is_caught() {
        let (dir, vault) = vault_with_three();
        let path = dir.path().join("journal.jsonl");
        let lines: Vec<String> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        std::fs::write(&path, format!("{}\n{}\n{}\n", lines[1], lines[0], lines[2])).unwrap();
        let kinds: Vec<&str> = vault
            .verify(None)
            .unwrap()
            .problems
            .iter()
            .map(|p| p.kind)
            .collect();
        assert!(
            kinds.contains(&"out_of_order") && kinds.contains(&"broken_chain"),
            "{kinds:?}"
        );
        std::fs::write(&path, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
        let kinds: Vec<&str> = vault
            .verify(None)
            .unwrap()
            .problems
            .iter()
            .map(|p| p.kind)
            .collect();
        assert!(kinds.contains(&"broken_chain"), "{kinds:?}");
    }

    /// With the head the ledger recorded, a journal that lost its last line, was cut to
    /// fewer entries, emptied or deleted no longer verifies; without it, it would.
    #[test]
    fn a_journal_cut_short_fails_against_the_recorded_head() {
        let (dir, vault) = vault_with_three();
        let last = vault.last_entry().unwrap().unwrap();
        let head = Some((last.seq, last.hash.as_str()));
        assert!(vault.verify(head).unwrap().problems.is_empty());
        let path = dir.path().join("journal.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let kinds = |vault: &Vault| -> Vec<&'static str> {
            vault
                .verify(head)
                .unwrap()
                .problems
                .iter()
                .map(|p| p.kind)
                .collect()
        };
        for cut in [
            format!("{}\n{}\n", lines[0], lines[1]),
            format!("{}\n", lines[0]),
            String::new(),
        ] {
            std::fs::write(&path, &cut).unwrap();
            assert!(
                vault.verify(None).unwrap().problems.is_empty(),
                "a prefix chains"
            );
            assert_eq!(kinds(&vault), ["truncated_journal"], "{cut:?}");
            assert!(matches!(
                vault.check_head(head),
                Err(VaultError::Truncated { recorded: 3, .. })
            ));
        }
        std::fs::remove_file(&path).unwrap();
        assert_eq!(kinds(&vault), ["truncated_journal"]);
        // Entries after the head (an add interrupted before the ledger recorded it, or one
        // added by hand) are named: only the user can tell which.
        std::fs::write(&path, &text).unwrap();
        vault.add_bytes("后来.png", b"later", meta(1)).unwrap();
        let report = vault.verify(head).unwrap();
        let kinds: Vec<&str> = report.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["unrecorded_entry"]);
        assert_eq!(report.unrecorded, 1);
        assert!(matches!(
            vault.check_head(head),
            Err(VaultError::Unrecorded { count: 1 })
        ));
    }

    #[test]
    fn an_interrupted_add_leaves_nothing_half_written() {
        let (dir, vault) = vault_with_three();
        // A crash while writing an object leaves only a temporary file, never an object.
        let objects = dir.path().join("objects").join("ab");
        std::fs::create_dir_all(&objects).unwrap();
        std::fs::write(objects.join(".tmp-1-abababababababab"), b"half").unwrap();
        // A crash while appending leaves an incomplete last line.
        let path = dir.path().join("journal.jsonl");
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"seq\":4,\"prev\":\"ab").unwrap();
        drop(file);
        assert_eq!(
            vault.entries().unwrap().len(),
            3,
            "the incomplete line is not an entry"
        );
        assert!(vault.verify(None).unwrap().problems.is_empty());
        let next = vault.add_bytes("之后.png", b"later", meta(1)).unwrap();
        assert_eq!(next.seq, 4);
        assert!(
            vault.verify(None).unwrap().problems.is_empty(),
            "the next add drops the incomplete line"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 4);
    }
}
