//! Verifying the vault: the journal's chain (every line's hash, its link to the line
//! before, the order, the head the ledger recorded) and every object's content. A later
//! verification given what an earlier one found ([`VerifiedObjects`]) re-reads the journal
//! only when it grew or changed and re-hashes only the objects whose files changed: a case
//! page checks a vault of 100 MB on every view without reading 100 MB each time.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant, SystemTime};

use crate::digest::digests;
use crate::journal::{Entry, GENESIS};
use crate::vault::{Problem, Vault, VaultError, VerifyReport, io};

/// A file's size and modification time.
type FileStamp = (u64, Option<SystemTime>);

/// How long the objects' files, found unchanged, are not looked at again while the journal
/// is unchanged: a change on disk shows within this long; a full verification
/// ([`Vault::verify`]) re-hashes everything at once.
pub const RECHECK_FILES_AFTER: Duration = Duration::from_secs(60);

/// What an earlier verification found: the objects it re-hashed intact (with their files'
/// stamps), and the journal it walked (with the journal's stamp and the head it was
/// checked against).
#[derive(Debug, Clone)]
pub struct VerifiedObjects {
    objects: HashMap<String, FileStamp>,
    journal: Option<WalkedJournal>,
    /// The last report, and when its objects' files were looked at.
    last: Option<(VerifyReport, Instant)>,
    recheck_after: Duration,
}

impl Default for VerifiedObjects {
    fn default() -> VerifiedObjects {
        VerifiedObjects::rechecking_after(RECHECK_FILES_AFTER)
    }
}

impl VerifiedObjects {
    /// Nothing known yet; objects' files looked at again after `recheck_after` while the
    /// journal is unchanged (zero: every time).
    pub fn rechecking_after(recheck_after: Duration) -> VerifiedObjects {
        VerifiedObjects {
            objects: HashMap::new(),
            journal: None,
            last: None,
            recheck_after,
        }
    }

    /// How many objects are known intact.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

/// The journal as one walk found it.
#[derive(Debug, Clone)]
struct WalkedJournal {
    stamp: FileStamp,
    recorded: Option<(u64, String)>,
    /// The chain's problems, in line order.
    problems: Vec<Problem>,
    /// Each distinct object: its digests, the first line naming it and the file's name.
    objects: Vec<ObjectRef>,
    entries: usize,
    unrecorded: usize,
}

#[derive(Debug, Clone)]
struct ObjectRef {
    sha256: String,
    sm3: String,
    line: usize,
    name: String,
}

impl Vault {
    /// Re-hashes every object and walks the chain; names every missing, altered, edited or
    /// reordered item, and, given the head the ledger `recorded`, a journal cut short,
    /// emptied, deleted or rolled back.
    pub fn verify(&self, recorded: Option<(u64, &str)>) -> Result<VerifyReport, VaultError> {
        self.verify_since(recorded, &mut VerifiedObjects::default())
    }

    /// [`Vault::verify`], reusing what `known` holds from an earlier verification: the
    /// journal is walked again only when its size or modification time (or the recorded
    /// head) changed; an object is re-hashed only when it is new or its file's size or
    /// modification time differs from when it was found intact. While the journal is
    /// unchanged and all was intact, the objects' files are looked at again only after
    /// [`RECHECK_FILES_AFTER`]. `known` is updated with what this verification found.
    pub fn verify_since(
        &self,
        recorded: Option<(u64, &str)>,
        known: &mut VerifiedObjects,
    ) -> Result<VerifyReport, VaultError> {
        let stamp = file_stamp(&self.journal_path());
        let owned = recorded.map(|(seq, hash)| (seq, hash.to_string()));
        let unchanged =
            |j: &WalkedJournal| stamp.is_some() && Some(j.stamp) == stamp && j.recorded == owned;
        if let (Some(j), Some((report, at))) = (&known.journal, &known.last)
            && unchanged(j)
            && at.elapsed() < known.recheck_after
            && report.problems.is_empty()
        {
            return Ok(VerifyReport {
                rehashed: 0,
                ..report.clone()
            });
        }
        let walked = match known.journal.take() {
            Some(j) if unchanged(&j) => j,
            _ => {
                let mut walked = self.walk_journal(recorded)?;
                walked.stamp = stamp.unwrap_or((0, None));
                walked.recorded = owned;
                walked
            }
        };
        let mut problems = walked.problems.clone();
        let mut rehashed = 0;
        for object in &walked.objects {
            let path = self.object_path(&object.sha256);
            let now = file_stamp(&path);
            if now.is_some() && known.objects.get(&object.sha256) == now.as_ref() {
                continue;
            }
            known.objects.remove(&object.sha256);
            let problem = |kind: &'static str, detail: String| Problem {
                kind,
                line: Some(object.line),
                name: Some(object.name.clone()),
                detail,
            };
            match std::fs::read(&path) {
                Ok(bytes) => {
                    rehashed += 1;
                    let (sha256, sm3) = digests(&bytes);
                    if sha256 != object.sha256 || sm3 != object.sm3 {
                        problems.push(problem(
                            "altered_object",
                            format!("object {} was changed", object.sha256),
                        ));
                    } else if let Some(now) = now {
                        known.objects.insert(object.sha256.clone(), now);
                    }
                }
                Err(_) => problems.push(problem(
                    "missing_object",
                    format!("object {} is missing", object.sha256),
                )),
            }
        }
        // Line order, as a reader goes through the journal; a truncation (no line) last.
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        let report = VerifyReport {
            entries: walked.entries,
            objects: walked.objects.len(),
            rehashed,
            unrecorded: walked.unrecorded,
            problems,
        };
        // A journal that cannot be stamped (there is none) is walked every time.
        if stamp.is_some() {
            known.journal = Some(walked);
            known.last = Some((report.clone(), Instant::now()));
        }
        Ok(report)
    }

    /// Reads the journal and checks its chain against the head the ledger `recorded`.
    fn walk_journal(&self, recorded: Option<(u64, &str)>) -> Result<WalkedJournal, VaultError> {
        let path = self.journal_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(io(&path)(e)),
        };
        let complete = text.rfind('\n').map_or("", |i| &text[..i]);
        let mut problems = Vec::new();
        let mut prev = GENESIS.to_string();
        let mut seen = BTreeSet::new();
        let mut objects = Vec::new();
        let mut entries = 0;
        let mut head_found = false;
        let mut unrecorded = 0;
        for (i, line) in complete
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let line_no = i + 1;
            entries += 1;
            let entry: Entry = match crate::journal::parse_line(line) {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Problem {
                        kind: "unreadable_entry",
                        line: Some(line_no),
                        name: None,
                        detail: e,
                    });
                    continue;
                }
            };
            let name = Some(entry.name.clone());
            let problem = |kind: &'static str, detail: String| Problem {
                kind,
                line: Some(line_no),
                name: name.clone(),
                detail,
            };
            if let Some((seq, hash)) = recorded {
                if entry.seq == seq && entry.hash == hash {
                    head_found = true;
                } else if head_found {
                    unrecorded += 1;
                    problems.push(problem(
                        "unrecorded_entry",
                        "after the last entry the ledger recorded: an `evidence add` interrupted after storing it, or added by hand; if it is yours, `tuiding vault verify --accept` records it".into(),
                    ));
                }
            }
            if entry.seq != entries as u64 {
                problems.push(problem(
                    "out_of_order",
                    format!("entry {} stands at position {entries}", entry.seq),
                ));
            }
            if entry.compute_hash() != entry.hash {
                problems.push(problem(
                    "edited_entry",
                    "its content no longer matches its hash".into(),
                ));
            }
            if entry.prev != prev {
                problems.push(problem(
                    "broken_chain",
                    "it does not follow the entry before it (an entry was removed, inserted or moved)".into(),
                ));
            }
            prev = entry.hash.clone();
            if seen.insert(entry.sha256.clone()) {
                objects.push(ObjectRef {
                    sha256: entry.sha256,
                    sm3: entry.sm3,
                    line: line_no,
                    name: entry.name,
                });
            }
        }
        if let Some((seq, hash)) = recorded
            && !head_found
        {
            problems.push(Problem {
                kind: "truncated_journal",
                line: None,
                name: None,
                detail: format!(
                    "the ledger recorded {seq} entries, the last with hash {}…; the journal holds {entries} and not that one: entries were removed, or the journal was emptied, replaced or rolled back",
                    &hash[..hash.len().min(12)]
                ),
            });
        }
        Ok(WalkedJournal {
            stamp: (0, None),
            recorded: None,
            problems,
            objects,
            entries,
            unrecorded,
        })
    }
}

/// A file's size and modification time; none when it cannot be read.
pub(crate) fn file_stamp(path: &std::path::Path) -> Option<FileStamp> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}
