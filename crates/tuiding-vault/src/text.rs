//! The text read from an evidence image, kept beside the vault in `text/<sha256>.json`.
//! It is derived (the image stays byte for byte in `objects/`), so it is outside the
//! journal's chain, and it is masked before it is written: ID, bank-card and phone numbers
//! never reach the disk as text. Keyed by the image's SHA-256: the same picture added twice
//! is read once.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::mask::mask_sensitive;
use crate::vault::{io, write_durably};
use crate::{Vault, VaultError};

/// One line read, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextLine {
    /// The line, with ID, card and phone numbers masked.
    pub text: String,
    /// 0–100: the recogniser's confidence.
    pub confidence: u8,
}

/// What was read from one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceText {
    /// What read it (`tesseract 5.3.0 chi_sim+eng`).
    pub engine: String,
    /// When (RFC 3339).
    pub read_at: String,
    /// Whether the image was dark and was inverted before reading.
    pub inverted: bool,
    /// How long reading took, in milliseconds.
    pub millis: u64,
    /// The lines, top to bottom.
    pub lines: Vec<TextLine>,
    /// Why nothing could be read, when the file is no decodable image (named .png but
    /// something else): kept so that it is not tried again on every view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}

impl EvidenceText {
    /// The lines as one text.
    pub fn text(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|l| l.text.as_str()).collect();
        lines.join("\n")
    }

    /// The same, every line masked.
    pub fn masked(mut self) -> EvidenceText {
        for line in &mut self.lines {
            line.text = mask_sensitive(&line.text);
        }
        self
    }
}

impl Vault {
    fn text_path(&self, sha256: &str) -> Option<PathBuf> {
        crate::journal::is_digest(sha256)
            .then(|| self.dir().join("text").join(format!("{sha256}.json")))
    }

    /// The text kept for the object with this SHA-256, if it was read.
    pub fn text_of(&self, sha256: &str) -> Result<Option<EvidenceText>, VaultError> {
        let Some(path) = self.text_path(sha256) else {
            return Ok(None);
        };
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| VaultError::Io {
                    path: path.display().to_string(),
                    source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path)(e)),
        }
    }

    /// Keeps the text read from the object with this SHA-256, masked first; returns what
    /// was kept. Written to a temporary file, synced and renamed: never half a file.
    pub fn keep_text(&self, sha256: &str, text: EvidenceText) -> Result<EvidenceText, VaultError> {
        let path = self.text_path(sha256).ok_or_else(|| VaultError::Io {
            path: sha256.to_string(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a SHA-256 digest"),
        })?;
        let masked = text.masked();
        let json = serde_json::to_vec_pretty(&masked).map_err(|e| VaultError::Io {
            path: path.display().to_string(),
            source: std::io::Error::other(e),
        })?;
        write_durably(&path, &json).map_err(io(&path))?;
        Ok(masked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> EvidenceText {
        EvidenceText {
            engine: "tesseract 5.3.0 chi_sim+eng".into(),
            read_at: "2026-11-30T01:00:00Z".into(),
            inverted: false,
            millis: 600,
            unreadable: None,
            lines: lines
                .iter()
                .map(|t| TextLine {
                    text: t.to_string(),
                    confidence: 90,
                })
                .collect(),
        }
    }

    #[test]
    fn kept_text_is_masked_on_disk_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path()).unwrap();
        let sha = "a".repeat(64);
        assert_eq!(vault.text_of(&sha).unwrap(), None);
        let kept = vault
            .keep_text(
                &sha,
                read(&["我的手机号13812345678", "订单号4200002311202611230001"]),
            )
            .unwrap();
        assert_eq!(kept.lines[0].text, "我的手机号138****5678");
        assert_eq!(kept.lines[1].text, "订单号4200002311202611230001");
        assert_eq!(vault.text_of(&sha).unwrap(), Some(kept));
        let on_disk =
            std::fs::read_to_string(dir.path().join("text").join(format!("{sha}.json"))).unwrap();
        assert!(!on_disk.contains("13812345678"), "{on_disk}");
    }

    #[test]
    fn a_name_that_is_no_digest_reaches_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path()).unwrap();
        assert_eq!(vault.text_of("../../etc/passwd").unwrap(), None);
        assert!(vault.keep_text("../x", read(&["x"])).is_err());
    }
}
