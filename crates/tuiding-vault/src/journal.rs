//! The journal: one JSON object per line, each holding the previous line's hash.

use serde::{Deserialize, Serialize};

use crate::digest::sha256_hex;

/// The hash before the first entry.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One addition to the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// 1, 2, 3 … in journal order.
    pub seq: u64,
    /// The previous entry's hash.
    pub prev: String,
    /// When the file was captured (RFC 3339).
    pub captured_at: String,
    /// The case it belongs to.
    pub case_id: i64,
    /// The case step it proves, if any.
    pub step: Option<String>,
    /// `operation`, `communication` or `payment`.
    pub kind: String,
    /// The file's original name.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// The media type guessed from the name.
    pub media_type: String,
    /// SHA-256 of the content (the object's name).
    pub sha256: String,
    /// SM3 of the content (GB/T 32905).
    pub sm3: String,
    /// The user's note.
    pub note: Option<String>,
    /// This entry's hash: SHA-256 of `prev` and the fields above.
    pub hash: String,
}

impl Entry {
    /// The hash this entry should carry.
    pub(crate) fn compute_hash(&self) -> String {
        let mut copy = self.clone();
        copy.hash = String::new();
        let body = serde_json::to_string(&copy).expect("an entry serialises");
        sha256_hex(format!("{}\n{body}", self.prev).as_bytes())
    }
}

/// Whether `s` is a digest as the vault writes them: 64 lower-case hex digits.
pub fn is_digest(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Parses one journal line, refusing digests the vault could not have written (they would
/// name paths outside the object store).
pub fn parse_line(line: &str) -> Result<Entry, String> {
    let entry: Entry = serde_json::from_str(line).map_err(|e| e.to_string())?;
    if !is_digest(&entry.sha256) || !is_digest(&entry.sm3) {
        return Err("sha256 and sm3 must be 64 lower-case hex digits".into());
    }
    Ok(entry)
}
