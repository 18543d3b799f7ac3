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

/// Checks every file of a dossier against its manifest; lists what is missing, altered or
/// not listed.
pub fn verify(path: &Path) -> Result<(Manifest, Vec<Problem>), VaultError> {
    let io = |source: std::io::Error| VaultError::Io {
        path: path.display().to_string(),
        source,
    };
    let zip_err = |e: zip::result::ZipError| io(std::io::Error::other(e.to_string()));
    let file = std::fs::File::open(path).map_err(io)?;
    let mut zip = zip::ZipArchive::new(file).map_err(zip_err)?;
    let mut text = String::new();
    zip.by_name("manifest.json")
        .map_err(zip_err)?
        .read_to_string(&mut text)
        .map_err(io)?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| io(std::io::Error::other(format!("manifest.json: {e}"))))?;
    let mut problems = Vec::new();
    for listed in &manifest.files {
        let mut bytes = Vec::new();
        match zip.by_name(&listed.path) {
            Ok(mut f) => {
                f.read_to_end(&mut bytes).map_err(io)?;
            }
            Err(_) => {
                problems.push(Problem {
                    kind: "missing_object",
                    line: None,
                    name: Some(listed.path.clone()),
                    detail: "listed in the manifest but not in the dossier".into(),
                });
                continue;
            }
        }
        let (sha256, sm3) = digests(&bytes);
        if sha256 != listed.sha256 || sm3 != listed.sm3 || bytes.len() as u64 != listed.size {
            problems.push(Problem {
                kind: "altered_object",
                line: None,
                name: Some(listed.path.clone()),
                detail: "its digests differ from the manifest".into(),
            });
        }
    }
    for i in 0..zip.len() {
        let name = zip
            .by_index(i)
            .map_err(zip_err)?
            .name()
            .map_err(zip_err)?
            .to_string();
        if name != "manifest.json" && !manifest.files.iter().any(|f| f.path == name) {
            problems.push(Problem {
                kind: "unlisted_file",
                line: None,
                name: Some(name),
                detail: "in the dossier but not in the manifest".into(),
            });
        }
    }
    Ok((manifest, problems))
}

/// Extracts every file under `prefix/` of an archive written by [`write`] into `dest`
/// (the prefix removed), each written to a temporary file, fsynced and renamed. A path that
/// is absolute, climbs with `..` or lies outside `prefix` is refused. Returns the count.
pub fn extract(path: &Path, prefix: &str, dest: &Path) -> Result<usize, VaultError> {
    let io = |source: std::io::Error| VaultError::Io {
        path: path.display().to_string(),
        source,
    };
    let zip_err = |e: zip::result::ZipError| io(std::io::Error::other(e.to_string()));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).map_err(io)?).map_err(zip_err)?;
    let mut count = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(zip_err)?;
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
        let target = dest.join(relative);
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(io)?;
        crate::vault::write_durably(&target, &bytes).map_err(|source| VaultError::Io {
            path: target.display().to_string(),
            source,
        })?;
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
        ];
        let manifest = write(&out, "2026-11-23T10:00:00+08:00", &files).unwrap();
        assert_eq!(manifest.files.len(), 2);
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
        assert_eq!(kinds, ["altered_object", "missing_object", "unlisted_file"]);
    }
}
