//! The dossier: a zip of documents, evidence files, `manifest.json` (every file with its
//! SHA-256, SM3 and size) and the journal excerpt; and its verification.

use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::digest::digests;
use crate::vault::{Problem, VaultError};

/// One file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Path inside the zip.
    pub path: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256.
    pub sha256: String,
    /// SM3.
    pub sm3: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// What made it.
    pub generator: String,
    /// When (RFC 3339, from the caller).
    pub created_at: String,
    /// Every file but the manifest itself.
    pub files: Vec<ManifestFile>,
}

/// Writes the dossier atomically (a temporary file renamed into place).
pub fn write(
    out: &Path,
    created_at: &str,
    files: &[(String, Vec<u8>)],
) -> Result<Manifest, VaultError> {
    let io = |source: std::io::Error| VaultError::Io {
        path: out.display().to_string(),
        source,
    };
    let zip_err = |e: zip::result::ZipError| io(std::io::Error::other(e.to_string()));
    let manifest = Manifest {
        generator: format!("tuiding {}", env!("CARGO_PKG_VERSION")),
        created_at: created_at.to_string(),
        files: files
            .iter()
            .map(|(path, bytes)| {
                let (sha256, sm3) = digests(bytes);
                ManifestFile {
                    path: path.clone(),
                    size: bytes.len() as u64,
                    sha256,
                    sm3,
                }
            })
            .collect(),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "dossier.zip".into());
    // A write killed before its rename left a temporary file: removed now.
    if let Some(parent) = out.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        crate::leftovers::remove_stale(parent, &format!(".{name}.tmp-"));
    }
    let temp = out.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        // Owner-only: a dossier or backup holds evidence and the whole ledger.
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        let file = open.open(&temp).map_err(io)?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        // Evidence is mostly screenshots and video, already compressed: deflating them
        // again costs time and saves nothing.
        let stored = options.compression_method(zip::CompressionMethod::Stored);
        for (path, bytes) in files {
            let how = if path.starts_with("evidence/") {
                stored
            } else {
                options
            };
            zip.start_file(path.as_str(), how).map_err(zip_err)?;
            zip.write_all(bytes).map_err(io)?;
        }
        zip.start_file("manifest.json", options).map_err(zip_err)?;
        zip.write_all(
            serde_json::to_string_pretty(&manifest)
                .expect("a manifest serialises")
                .as_bytes(),
        )
        .map_err(io)?;
        let file = zip.finish().map_err(zip_err)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&temp, out).map_err(io)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map(|()| manifest)
}

/// The most entries an archive (dossier or backup) may hold.
pub const MAX_ENTRIES: usize = 1_000_000;
/// The most bytes one entry may hold once extracted (a long screen recording fits).
pub const MAX_ENTRY_BYTES: u64 = 8 << 30;
/// The most bytes the manifest may hold.
const MAX_MANIFEST_BYTES: u64 = 256 << 20;

fn problem(kind: &'static str, name: &str, detail: &str) -> Problem {
    Problem {
        kind,
        line: None,
        name: Some(name.to_string()),
        detail: detail.to_string(),
    }
}

/// Checks every file of a dossier against its manifest, streaming (constant memory
/// whatever the sizes) and in time linear in the entries; lists what is missing, altered,
/// not listed, larger than declared, and evidence whose digest `journal.jsonl` does not
/// name (or names without the file).
pub fn verify(path: &Path) -> Result<(Manifest, Vec<Problem>), VaultError> {
    let io = |source: std::io::Error| VaultError::Io {
        path: path.display().to_string(),
        source,
    };
    let zip_err = |e: zip::result::ZipError| io(std::io::Error::other(e.to_string()));
    let file = std::fs::File::open(path).map_err(io)?;
    let mut zip = zip::ZipArchive::new(file).map_err(zip_err)?;
    if zip.len() > MAX_ENTRIES {
        return Err(io(std::io::Error::other(format!(
            "{} entries: more than the {MAX_ENTRIES} a dossier may hold",
            zip.len()
        ))));
    }
    let manifest: Manifest = {
        let entry = zip.by_name("manifest.json").map_err(zip_err)?;
        let mut text = String::new();
        entry
            .take(MAX_MANIFEST_BYTES)
            .read_to_string(&mut text)
            .map_err(io)?;
        serde_json::from_str(&text)
            .map_err(|e| io(std::io::Error::other(format!("manifest.json: {e}"))))?
    };
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for listed in &manifest.files {
        // Listed twice, it would be read twice: a small archive naming one large entry a
        // million times would take forever.
        if !seen.insert(listed.path.as_str()) {
            problems.push(problem(
                "duplicate_entry",
                &listed.path,
                "listed more than once in the manifest",
            ));
            continue;
        }
        let entry = match zip.by_name(&listed.path) {
            Ok(entry) => entry,
            Err(_) => {
                problems.push(problem(
                    "missing_object",
                    &listed.path,
                    "listed in the manifest but not in the dossier",
                ));
                continue;
            }
        };
        // One byte more than the manifest says is enough to know it is altered: a bomb
        // that inflates to gigabytes is never read whole.
        let limit = listed.size.min(MAX_ENTRY_BYTES).saturating_add(1);
        let (sha256, sm3, size) = crate::digest::digests_of(entry.take(limit)).map_err(io)?;
        if sha256 != listed.sha256 || sm3 != listed.sm3 || size != listed.size {
            problems.push(problem(
                "altered_object",
                &listed.path,
                "its digests differ from the manifest",
            ));
        }
    }
    let listed: std::collections::HashSet<&str> =
        manifest.files.iter().map(|f| f.path.as_str()).collect();
    for name in zip.file_names() {
        let name = name.map_err(zip_err)?;
        if name != "manifest.json" && !listed.contains(name.as_ref()) {
            problems.push(problem(
                "unlisted_file",
                &name,
                "in the dossier but not in the manifest",
            ));
        }
    }
    problems.extend(journal_problems(&mut zip, &manifest).map_err(io)?);
    Ok((manifest, problems))
}

/// `journal.jsonl` against the manifest: every evidence file's digest is named by a
/// journal entry, and every entry names a file that is there.
fn journal_problems(
    zip: &mut zip::ZipArchive<std::fs::File>,
    manifest: &Manifest,
) -> std::io::Result<Vec<Problem>> {
    let has_evidence = manifest
        .files
        .iter()
        .any(|f| f.path.starts_with("evidence/"));
    let Some(listed) = manifest.files.iter().find(|f| f.path == "journal.jsonl") else {
        // Evidence without the journal excerpt that names it cannot be cross-checked.
        return Ok(if has_evidence {
            vec![problem(
                "missing_object",
                "journal.jsonl",
                "the dossier holds evidence but no journal.jsonl",
            )]
        } else {
            Vec::new()
        });
    };
    let Ok(entry) = zip.by_name("journal.jsonl") else {
        return Ok(Vec::new());
    };
    let mut text = String::new();
    entry
        .take(listed.size.min(MAX_MANIFEST_BYTES))
        .read_to_string(&mut text)?;
    let mut problems = Vec::new();
    let mut journal = std::collections::HashSet::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match crate::journal::parse_line(line) {
            Ok(entry) => {
                journal.insert(entry.sha256);
            }
            Err(e) => problems.push(Problem {
                kind: "unreadable_entry",
                line: Some(i + 1),
                name: Some("journal.jsonl".into()),
                detail: e,
            }),
        }
    }
    let evidence: std::collections::HashSet<&str> = manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with("evidence/"))
        .map(|f| f.sha256.as_str())
        .collect();
    for f in manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with("evidence/"))
    {
        if !journal.contains(&f.sha256) {
            problems.push(problem(
                "not_in_journal",
                &f.path,
                "its digest is named by no entry of journal.jsonl",
            ));
        }
    }
    for digest in journal.iter().filter(|d| !evidence.contains(d.as_str())) {
        problems.push(problem(
            "missing_object",
            "journal.jsonl",
            &format!("an entry names {digest}, which no evidence file has"),
        ));
    }
    Ok(problems)
}

/// Extracts every file under `prefix/` of an archive written by [`write`] into `dest`
/// (the prefix removed), each streamed to a temporary file, fsynced and renamed. A path
/// that is absolute, climbs with `..` or lies outside `prefix` is refused, and so is an
/// archive with more than [`MAX_ENTRIES`] entries or an entry that inflates past its
/// declared size or [`MAX_ENTRY_BYTES`]. Returns the count.
pub fn extract(path: &Path, prefix: &str, dest: &Path) -> Result<usize, VaultError> {
    let io = |source: std::io::Error| VaultError::Io {
        path: path.display().to_string(),
        source,
    };
    let zip_err = |e: zip::result::ZipError| io(std::io::Error::other(e.to_string()));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).map_err(io)?).map_err(zip_err)?;
    if zip.len() > MAX_ENTRIES {
        return Err(io(std::io::Error::other(format!(
            "{} entries: more than the {MAX_ENTRIES} an archive may hold",
            zip.len()
        ))));
    }
    let mut count = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(zip_err)?;
        let name = entry.name().map_err(zip_err)?.to_string();
        if entry.is_dir() || name == "manifest.json" {
            continue;
        }
        let relative = entry
            .enclosed_name()
            .and_then(|p| p.strip_prefix(prefix).ok().map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .ok_or_else(|| {
                io(std::io::Error::other(format!(
                    "unsafe path in the archive: {name}"
                )))
            })?;
        let declared = entry.size();
        if declared > MAX_ENTRY_BYTES {
            return Err(io(std::io::Error::other(format!(
                "{name}: {declared} bytes, more than an archive entry may hold"
            ))));
        }
        let target = dest.join(relative);
        let written = crate::vault::write_durably_from(&target, entry.take(declared + 1)).map_err(
            |source| VaultError::Io {
                path: target.display().to_string(),
                source,
            },
        )?;
        if written != declared {
            let _ = std::fs::remove_file(&target);
            return Err(io(std::io::Error::other(format!(
                "{name}: {written} bytes where the archive declares {declared}"
            ))));
        }
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("case-1.zip");
        let files = vec![
            ("report.html".to_string(), b"<html>ok</html>".to_vec()),
            ("evidence/1-a.png".to_string(), b"png".to_vec()),
            ("journal.jsonl".to_string(), journal_naming(b"png")),
        ];
        let manifest = write(&out, "2026-11-23T10:00:00+08:00", &files).unwrap();
        assert_eq!(manifest.files.len(), 3);
        let (_, problems) = verify(&out).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        // Rebuild the zip with one file changed and one added.
        let tampered = dir.path().join("tampered.zip");
        let file = std::fs::File::create(&tampered).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("report.html", options).unwrap();
        zip.write_all(b"<html>changed</html>").unwrap();
        zip.start_file("extra.txt", options).unwrap();
        zip.write_all(b"x").unwrap();
        zip.start_file("manifest.json", options).unwrap();
        zip.write_all(serde_json::to_string(&manifest).unwrap().as_bytes())
            .unwrap();
        zip.finish().unwrap();
        let kinds: Vec<&str> = verify(&tampered)
            .unwrap()
            .1
            .iter()
            .map(|p| p.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                "altered_object",
                "missing_object",
                "missing_object",
                "unlisted_file"
            ]
        );
    }

    /// A journal excerpt whose one entry names `content`'s digest.
    fn journal_naming(content: &[u8]) -> Vec<u8> {
        let (sha256, sm3) = digests(content);
        let entry = crate::journal::Entry {
            seq: 1,
            prev: "0".repeat(64),
            captured_at: "2026-11-23T02:00:00Z".into(),
            case_id: 1,
            step: None,
            kind: "operation".into(),
            name: "a.png".into(),
            size: content.len() as u64,
            media_type: "image/png".into(),
            sha256,
            sm3,
            note: None,
            hash: "0".repeat(64),
        };
        format!("{}\n", serde_json::to_string(&entry).unwrap()).into_bytes()
    }

    /// Evidence without a journal, and a path listed twice: problems, and the twice-listed
    /// entry is read once.
    #[test]
    fn evidence_needs_its_journal_and_entries_are_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("d.zip");
        write(
            &out,
            "t",
            &[("evidence/1-a.png".to_string(), b"png".to_vec())],
        )
        .unwrap();
        let kinds: Vec<&str> = verify(&out).unwrap().1.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["missing_object"]);
        let files = vec![
            ("evidence/1-a.png".to_string(), b"png".to_vec()),
            ("journal.jsonl".to_string(), journal_naming(b"png")),
        ];
        let mut manifest = write(&out, "t", &files).unwrap();
        manifest.files.push(manifest.files[0].clone());
        let doubled = dir.path().join("doubled.zip");
        common_rewrite_manifest(&out, &doubled, &manifest);
        let kinds: Vec<&str> = verify(&doubled).unwrap().1.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["duplicate_entry"]);
    }

    fn common_rewrite_manifest(from: &Path, to: &Path, manifest: &Manifest) {
        let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
        let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            if name == "manifest.json" {
                bytes = serde_json::to_vec(manifest).unwrap();
            }
            out.start_file(name.as_str(), options).unwrap();
            out.write_all(&bytes).unwrap();
        }
        out.finish().unwrap();
    }
}
