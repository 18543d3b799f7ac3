//! Backing up and restoring the whole data directory (a
//! consistent database snapshot, the evidence vault, the user's holidays, templates,
//! mappings and playbooks) in one archive with a manifest of digests; a restore checks
//! every digest, the database and the vault before anything is replaced, and keeps the
//! replaced data directory aside.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tuiding_core::Lang;
use tuiding_store::SqliteStore;
use tuiding_store::prelude::*;
use tuiding_vault::Vault;
use tuiding_vault::dossier;

use crate::case::LocalizeVault;
use crate::context::{Ctx, create_private_dir};
use crate::error::{Localize, UserError};

const DB: &str = "tuiding.db";
/// Every path in a backup starts here.
const ROOT: &str = "data/";

/// What a backup holds.
#[derive(Serialize)]
pub struct BackupView {
    pub file: String,
    pub files: usize,
    pub bytes: u64,
    pub memberships_db_bytes: u64,
    pub evidence_objects: usize,
}

/// What a restore did.
#[derive(Serialize)]
pub struct RestoreView {
    pub file: String,
    pub data_dir: String,
    pub files: usize,
    /// Where the replaced data directory was moved, if there was one.
    pub previous_data_dir: Option<String>,
}

/// Writes a backup of the data directory to `file` (`tuiding backup`).
pub fn backup(ctx: &Ctx, file: &Path) -> anyhow::Result<BackupView> {
    let data_dir = ctx.data_dir()?;
    let store = ctx.open_store()?;
    // The snapshot goes in a scratch directory inside the data dir (skipped by the
    // copy: its name starts with a dot); one left by a killed backup is removed now.
    tuiding_vault::leftovers::remove_stale(&data_dir, ".backup-");
    // One scratch directory per backup (a server may take two at once), owner-only, gone
    // when this returns.
    let scratch = tempfile::Builder::new()
        .prefix(&format!(".backup-{}-", std::process::id()))
        .tempdir_in(&data_dir)
        .map_err(|e| UserError::failure(format!("{}: {e}", data_dir.display())))?;
    let snapshot = scratch.path().join(DB);
    let result = (|| {
        store.snapshot_to(&snapshot).localize(ctx.lang)?;
        let db = read(&snapshot)?;
        let db_bytes = db.len() as u64;
        let mut files = vec![(format!("{ROOT}{DB}"), db)];
        collect(&data_dir, &data_dir, &mut files)?;
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let manifest =
            dossier::write(file, &ctx.now().to_string(), &files).localize_vault(ctx.lang)?;
        Ok::<_, anyhow::Error>((files, manifest, db_bytes))
    })();
    drop(scratch);
    let (files, manifest, db_bytes) = result?;
    let view = BackupView {
        file: file.display().to_string(),
        files: manifest.files.len(),
        bytes: manifest.files.iter().map(|f| f.size).sum(),
        memberships_db_bytes: db_bytes,
        evidence_objects: files
            .iter()
            .filter(|f| f.0.starts_with("data/vault/objects/"))
            .count(),
    };
    Ok(view)
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| UserError::failure(format!("{}: {e}", path.display())))
}

/// Every file of the data directory but the live database and temporary files.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(UserError::failure(format!("{}: {e}", dir.display()))),
    };
    for entry in entries {
        let entry = entry.map_err(|e| UserError::failure(format!("{}: {e}", dir.display())))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name.starts_with(DB) {
            continue;
        }
        // Links are not followed: a link back up the tree would never end.
        let kind = entry
            .file_type()
            .map_err(|e| UserError::failure(format!("{}: {e}", path.display())))?;
        if kind.is_dir() {
            collect(root, &path, out)?;
        } else if kind.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect();
            out.push((format!("{ROOT}{}", parts.join("/")), read(&path)?));
        }
    }
    Ok(())
}

/// A private scratch directory next to `file`, so renames stay on one file system; one
/// left by a killed run is removed first.
fn tempdir_beside(file: &Path) -> anyhow::Result<PathBuf> {
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "tuiding".into());
    tuiding_vault::leftovers::remove_stale(&parent, &format!(".{name}.scratch-"));
    let dir = parent.join(format!(".{name}.scratch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    create_private_dir(&dir).map_err(|e| UserError::failure(format!("{}: {e}", dir.display())))?;
    Ok(dir)
}

/// Restores the data directory from a backup (`tuiding restore`): every digest, the
/// database and the vault are checked before anything is replaced; the replaced
/// directory is kept aside.
pub fn restore(ctx: &Ctx, file: &Path) -> anyhow::Result<RestoreView> {
    let lang = ctx.lang;
    let (manifest, problems) = dossier::verify(file)
        .map_err(|e| UserError::failure(format!("{}: {e}", file.display())))?;
    if !problems.is_empty() {
        let names: Vec<String> = problems
            .iter()
            .map(|p| format!("{} ({})", p.name.as_deref().unwrap_or("?"), p.kind))
            .collect();
        return Err(UserError::failure(match lang {
            Lang::Zh => format!(
                "{}：备份已损坏，{} 个文件与清单不符：{}；什么都没有改动",
                file.display(),
                problems.len(),
                names.join("、")
            ),
            Lang::En => format!(
                "{}: the backup is corrupted, {} files do not match its manifest: {}; nothing was changed",
                file.display(),
                problems.len(),
                names.join(", ")
            ),
        }));
    }
    if !manifest
        .files
        .iter()
        .any(|f| f.path == format!("{ROOT}{DB}"))
    {
        return Err(UserError::failure(match lang {
            Lang::Zh => format!("{}：不是 tuiding 备份（没有 {ROOT}{DB}）", file.display()),
            Lang::En => format!("{}: not a tuiding backup (no {ROOT}{DB})", file.display()),
        }));
    }
    // A backup restores as a personal SQLite data dir: never over an account of a
    // database, nor over a server's data dir (its accounts' files would be moved aside).
    if matches!(ctx.database(), crate::context::Database::Postgres { .. })
        || ctx.data_dir()?.join("accounts").is_dir()
    {
        return Err(UserError::refused(match lang {
            Lang::Zh => "备份恢复为个人的 SQLite 数据目录：请用 --data-dir 指定一个新目录（不要用服务器的数据目录）；要放回服务器上的账户，恢复后再用 `tuiding migrate --to` 迁移".to_string(),
            Lang::En => "a backup restores as a personal SQLite data dir: name a new directory with --data-dir (not a server's); to put it back into an account, restore it and then `tuiding migrate --to`".to_string(),
        }));
    }
    // The real directory (a link followed, "." named): the swap renames it.
    let data_dir = ctx.data_dir()?;
    let data_dir = std::fs::canonicalize(&data_dir).unwrap_or(data_dir);
    if data_dir.file_name().is_none() {
        return Err(UserError::failure(format!(
            "{}: {}",
            data_dir.display(),
            ctx.t("不能恢复到根目录", "cannot restore into the root directory")
        )));
    }
    let staging = tempdir_beside(&data_dir)?;
    let result = extract_and_check(ctx, file, &staging);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Swap: the old directory is kept aside, never deleted.
    let previous = if data_dir.exists() {
        let stamp = ctx.now().strftime("%Y%m%dT%H%M%S").to_string();
        let name = data_dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "tuiding".into());
        // Two restores within a second must not aim at the same name.
        let mut aside = data_dir.with_file_name(format!("{name}.before-restore-{stamp}"));
        let mut n = 1;
        while aside.exists() {
            n += 1;
            aside = data_dir.with_file_name(format!("{name}.before-restore-{stamp}-{n}"));
        }
        std::fs::rename(&data_dir, &aside)
            .map_err(|e| UserError::failure(format!("{}: {e}", data_dir.display())))?;
        Some(aside)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&staging, &data_dir) {
        // Put the old directory back; nothing is lost.
        if let Some(aside) = &previous {
            let _ = std::fs::rename(aside, &data_dir);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(UserError::failure(format!("{}: {e}", data_dir.display())));
    }
    let view = RestoreView {
        file: file.display().to_string(),
        data_dir: data_dir.display().to_string(),
        files: manifest.files.len(),
        previous_data_dir: previous.map(|p| p.display().to_string()),
    };
    Ok(view)
}

/// Extracts the archive into `staging` and checks that its database opens and its vault
/// verifies.
fn extract_and_check(ctx: &Ctx, file: &Path, staging: &Path) -> anyhow::Result<()> {
    dossier::extract(file, ROOT.trim_end_matches('/'), staging).localize_vault(ctx.lang)?;
    let store = SqliteStore::open(&staging.join(DB)).localize(ctx.lang)?;
    // Opening reads the header and the schema only: a damaged page elsewhere would surface
    // later, in the restored ledger. The whole file is checked now.
    let integrity = store.integrity_check().localize(ctx.lang)?;
    if !integrity.is_empty() {
        return Err(UserError::failure(format!(
            "{}: {} ({}); {}",
            file.display(),
            ctx.t(
                "备份里的数据库已损坏",
                "the database in the backup is damaged"
            ),
            tuiding_core::bounds::quote(&integrity.join("; ")),
            ctx.t("什么都没有改动", "nothing was changed")
        )));
    }
    let head = store.vault_head().localize(ctx.lang)?;
    drop(store);
    let report = Vault::open(&staging.join("vault"))
        .and_then(|v| v.verify(head.as_ref().map(|h| (h.seq, h.hash.as_str()))))
        .localize_vault(ctx.lang)?;
    if !report.problems.is_empty() {
        return Err(UserError::failure(format!(
            "{}: the evidence vault in the backup does not verify ({} problems); nothing was changed",
            file.display(),
            report.problems.len()
        )));
    }
    Ok(())
}
