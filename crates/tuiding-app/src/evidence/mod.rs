//! Evidence of a case and the vault that keeps it (`tuiding evidence`, `tuiding vault`,
//! the case page's uploads).

pub mod reading;

#[doc(hidden)]
pub use tuiding_ocr::testing;

use crate::case::{LocalizeVault, load};
use tuiding_core::playbook::EvidenceKind;
use tuiding_store::prelude::*;
use tuiding_vault::{AddMeta, Vault};
pub use tuiding_vault::{Entry, VerifyReport};

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};
use crate::text::InputFile;

/// The vault, created when missing: for adding evidence.
fn vault(ctx: &Ctx<impl Backend>) -> anyhow::Result<Vault> {
    Vault::open(&ctx.data_dir()?.join("vault")).localize_vault(ctx.lang)
}

/// The vault as it is, for reading: a read creates nothing.
fn vault_to_read(ctx: &Ctx<impl Backend>) -> anyhow::Result<Vault> {
    Ok(Vault::at(&ctx.data_dir()?.join("vault")))
}

/// Stores files as evidence of a case (`tuiding evidence add`): every file is checked
/// before the first is stored.
pub fn add(
    ctx: &Ctx<impl Backend>,
    case: i64,
    files: &[InputFile],
    kind: &str,
    step: Option<String>,
    note: Option<String>,
) -> anyhow::Result<Vec<tuiding_vault::Entry>> {
    let kind = EvidenceKind::parse(kind).ok_or_else(|| {
        UserError::usage(
            "--kind",
            ctx.t(
                "应为 operation（操作记录）、communication（沟通记录）或 payment（支付凭证）",
                "must be operation, communication or payment",
            ),
        )
    })?;
    let mut store = ctx.open_store()?;
    let data = load(ctx, &store, case)?;
    if let Some(step) = &step
        && !data.steps.iter().any(|s| &s.id == step)
    {
        let ids: Vec<&str> = data.steps.iter().map(|s| s.id.as_str()).collect();
        return Err(UserError::usage(
            "--step",
            format!("{step:?}: {}", ids.join(", ")),
        ));
    }
    for file in files {
        if let InputFile::Path { path, name } = file
            && !path.is_file()
        {
            return Err(UserError::usage(
                "FILE",
                format!("{name}: {}", ctx.t("不是可读的文件", "not a readable file")),
            ));
        }
    }
    let vault = vault(ctx)?;
    vault.remove_leftovers();
    let captured_at = ctx.now().to_string();
    let mut added = Vec::new();
    // Many large files take seconds (each is hashed twice and fsynced).
    let reporter = ctx.reporter();
    reporter.start(files.len() as u64, ctx.t("存证", "adding evidence"));
    // Under the ledger's write lock: the journal must still hold the head the ledger
    // recorded, and the new head is recorded with the additions (a journal cut short
    // later is then caught by `vault verify`).
    let appended = store.append_to_vault(|head| -> anyhow::Result<_> {
        vault
            .check_head(head.map(|h| (h.seq, h.hash.as_str())))
            .localize_vault(ctx.lang)?;
        for file in files {
            reporter.advance(1);
            let meta = AddMeta {
                case_id: case,
                step: step.clone(),
                kind: kind.as_str().into(),
                note: note.clone(),
                captured_at: captured_at.clone(),
            };
            let entry = match file {
                InputFile::Path { path, .. } => vault.add_file(path, meta),
                InputFile::Bytes { name, bytes } => vault.add_bytes(name, bytes, meta),
            };
            added.push(entry.localize_vault(ctx.lang)?);
        }
        // `check_head` refused entries after the recorded head, so the last one added is
        // the journal's last: the new head.
        let last = added
            .last()
            .ok_or_else(|| anyhow::anyhow!("no file was added"))?;
        Ok((
            tuiding_store::VaultHead {
                seq: last.seq,
                hash: last.hash.clone(),
            },
            (),
        ))
    });
    // The bar ends whether or not the additions did.
    reporter.finish();
    appended?;
    Ok(added)
}

/// Verifies every file of the vault and its journal's chain (`tuiding vault verify`).
/// Records the journal's last entry as the head: the user has looked at the entries after
/// the old head and says they are theirs.
fn accept_unrecorded(ctx: &Ctx<impl Backend>) -> anyhow::Result<()> {
    let vault = vault(ctx)?;
    ctx.open_store()?.append_to_vault(|_| -> anyhow::Result<_> {
        let last = vault
            .last_entry()
            .localize_vault(ctx.lang)?
            .ok_or_else(|| anyhow::anyhow!("the journal is empty"))?;
        Ok((
            tuiding_store::VaultHead {
                seq: last.seq,
                hash: last.hash,
            },
            (),
        ))
    })
}

/// Verifies the vault against the journal head the ledger recorded.
pub fn verify(ctx: &Ctx<impl Backend>) -> anyhow::Result<tuiding_vault::VerifyReport> {
    let head = ctx.open_store()?.vault_head().localize(ctx.lang)?;
    vault_to_read(ctx)?
        .verify(head.as_ref().map(|h| (h.seq, h.hash.as_str())))
        .localize_vault(ctx.lang)
}

/// Verifies the vault as [`verify`] does, but incrementally, from what this application
/// found the last time ([`tuiding_vault::VerifiedObjects`]): the journal is walked again
/// only when its size or time (or the recorded head) changed, only new or changed objects
/// are re-hashed, and while nothing changed and all was intact the objects' files are
/// looked at again once a minute. The case page thus checks a vault of 100 MB on every
/// view without reading 100 MB each time. What it cannot see — a file or journal line
/// altered in place with its size and time kept — the full verification finds: `full`
/// re-hashes and re-walks everything (the page's link, `tuiding vault verify`).
/// Verifications of one vault take turns, so an earlier, quicker one never overwrites
/// what a full one found.
pub fn verify_recent(
    ctx: &Ctx<impl Backend>,
    full: bool,
) -> anyhow::Result<tuiding_vault::VerifyReport> {
    let head = ctx.open_store()?.vault_head().localize(ctx.lang)?;
    let dir = ctx.data_dir()?.join("vault");
    let mut kept = ctx
        .caches()
        .verified_objects
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let known = kept.entry(dir).or_default();
    if full {
        *known = tuiding_vault::VerifiedObjects::default();
    }
    let report =
        vault_to_read(ctx)?.verify_since(head.as_ref().map(|h| (h.seq, h.hash.as_str())), known);
    if report.is_err() {
        // Nothing half-learnt is kept: the next view starts over.
        *known = tuiding_vault::VerifiedObjects::default();
    }
    report.localize_vault(ctx.lang)
}

/// The evidence journal's size and modification time (see [`Vault::journal_stamp`]).
pub fn journal_stamp(
    ctx: &Ctx<impl Backend>,
) -> anyhow::Result<(u64, Option<std::time::SystemTime>)> {
    Ok(vault_to_read(ctx)?.journal_stamp())
}

/// A case's evidence, oldest first (`tuiding evidence list`).
pub fn list(ctx: &Ctx<impl Backend>, case: i64) -> anyhow::Result<Vec<tuiding_vault::Entry>> {
    ctx.open_store()?.case(case).localize(ctx.lang)?;
    Ok(vault_to_read(ctx)?
        .entries()
        .localize_vault(ctx.lang)?
        .into_iter()
        .filter(|e| e.case_id == case)
        .collect())
}

/// Verifies the vault (`tuiding vault verify`); with `accept`, first records journal
/// entries the ledger never recorded, but only when nothing else is wrong.
pub fn verify_accepting(
    ctx: &Ctx<impl Backend>,
    accept: bool,
) -> anyhow::Result<tuiding_vault::VerifyReport> {
    let report = verify(ctx)?;
    if accept
        && report.unrecorded > 0
        && report.problems.iter().all(|p| p.kind == "unrecorded_entry")
    {
        accept_unrecorded(ctx)?;
        return verify(ctx);
    }
    Ok(report)
}
