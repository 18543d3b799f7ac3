//! The complaint dossier: `tuiding case export` gathers a case's facts, grounds and
//! evidence into a zip; `tuiding dossier verify` checks a zip against its manifest.

use crate::case::{CaseData, CaseView, Completeness, LocalizeVault, load, view};
use std::path::Path;
use tuiding_core::complaint::{self, ComplaintFacts, Grounds};
use tuiding_core::{Currency, Lang};
pub use tuiding_vault::Problem;
use tuiding_vault::Vault;
use tuiding_vault::dossier;
pub use tuiding_vault::dossier::{Manifest, ManifestFile};
use tuiding_vault::mask::mask_sensitive;

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};

mod documents;

/// Everything the documents are written from.
pub struct DossierFacts<'a> {
    pub data: &'a CaseData,
    pub view: &'a CaseView,
    pub grounds: &'a Grounds,
    /// The refund claimed under the terms, with its basis (both readings of an ambiguous
    /// clause, the favourable one claimed).
    pub claim: Option<crate::case::message::RefundClaim>,
    /// Evidence entries with their path inside the zip.
    pub evidence_paths: Vec<String>,
    /// What each piece of evidence says, quoted in the index (a screenshot's key line).
    pub key_lines: Vec<Option<String>>,
}

/// A dossier written: what it holds.
pub struct Written {
    pub completeness: Completeness,
    pub grounds: Grounds,
    pub files: Vec<ManifestFile>,
    pub evidence: usize,
}

/// Writes the dossier of case `id` to `out` (the report, the 12315 complaint, the
/// evidence byte for byte, the journal excerpt, the manifest). `incomplete` hears about
/// missing evidence before anything is written.
pub fn write(
    ctx: &Ctx<impl Backend>,
    id: i64,
    out: &Path,
    mask: bool,
    incomplete: impl FnOnce(&Completeness),
) -> anyhow::Result<Written> {
    let store = ctx.open_store()?;
    let data = load(ctx, &store, id)?;
    let v = view(ctx, &data);
    let currency = Currency::from_code(&data.case.currency).localize(ctx.lang)?;
    // The claim the refund request made: the reading that favours the user.
    let claim = crate::case::message::refund_claim(ctx, &data);
    let refund_by_terms = claim
        .as_ref()
        .filter(|_| data.case.refund.requested_on.is_some())
        .and_then(|c| tuiding_core::Money::parse(&c.amount, currency).ok());
    let facts = ComplaintFacts {
        platform: data
            .membership
            .as_ref()
            .map_or(data.case.membership_label.as_str(), |m| m.platform.as_str()),
        currency,
        late_charges: data.late_charges.clone(),
        duplicate_charges: data
            .duplicate_charges
            .iter()
            .filter_map(|d| {
                tuiding_core::Money::parse(&d.amount, currency)
                    .ok()
                    .map(|m| (d.date, m, d.order.clone()))
            })
            .collect(),
        refund: data.case.refund,
        refund_due: v.refund.due,
        refund_by_terms,
        reminder_days: data
            .policy
            .as_ref()
            .and_then(|p| p.timing.renewal_reminder_days.as_ref())
            .map(|d| d.value),
        today: ctx.today,
    };
    let grounds = complaint::grounds(&facts).localize(ctx.lang)?;

    if !v.completeness.complete {
        incomplete(&v.completeness);
    }
    // A vault that does not verify (an object altered, the journal cut short) would hand
    // on evidence that no longer proves anything: refused, with what is wrong.
    let report = crate::evidence::verify(ctx)?;
    if let Some(first) = report.problems.first() {
        return Err(UserError::failure(match ctx.lang {
            Lang::Zh => format!(
                "证据库校验未通过（{} 处问题，第一处：{} {}），不导出投诉材料；运行 `tuiding vault verify` 查看，并从备份恢复证据库",
                report.problems.len(),
                first.kind,
                first.detail
            ),
            Lang::En => format!(
                "the evidence vault does not verify ({} problems, the first: {} {}); no dossier is exported. Run `tuiding vault verify` and restore the vault from a backup",
                report.problems.len(),
                first.kind,
                first.detail
            ),
        }));
    }
    let vault = Vault::at(&ctx.data_dir()?.join("vault"));
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut evidence_paths = Vec::new();
    let mut key_lines = Vec::new();
    for e in &data.evidence {
        let path = format!("evidence/{:03}-{}", e.seq, safe_name(&e.name));
        files.push((path.clone(), vault.read_object(e).localize_vault(ctx.lang)?));
        evidence_paths.push(path);
        key_lines.push(crate::evidence::reading::key_line(ctx, &data, e));
    }
    let doc = DossierFacts {
        data: &data,
        view: &v,
        grounds: &grounds,
        claim,
        evidence_paths,
        key_lines,
    };
    let masked = |text: String| if mask { mask_sensitive(&text) } else { text };
    let mut docs = vec![
        (
            "report.html".to_string(),
            masked(documents::report_html(ctx, &doc)).into_bytes(),
        ),
        (
            "complaint.txt".to_string(),
            masked(documents::complaint_txt(ctx, &doc)).into_bytes(),
        ),
    ];
    let journal: Vec<String> = data
        .evidence
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    docs.push((
        "journal.jsonl".to_string(),
        masked(journal.join("\n") + "\n").into_bytes(),
    ));
    docs.append(&mut files);
    let manifest = dossier::write(out, &ctx.now().to_string(), &docs).localize_vault(ctx.lang)?;
    Ok(Written {
        completeness: v.completeness,
        grounds,
        files: manifest.files,
        evidence: data.evidence.len(),
    })
}

/// A file name safe inside a zip: no directories, no control characters.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "file".into()
    } else {
        trimmed.into()
    }
}

/// Checks every file of a dossier (or a backup) against its manifest (`tuiding dossier
/// verify`): the manifest and every problem found.
pub fn verify(file: &Path) -> anyhow::Result<(tuiding_vault::dossier::Manifest, Vec<Problem>)> {
    dossier::verify(file).map_err(|e| UserError::failure(format!("{}: {e}", file.display())))
}

/// The dossier of case `id` as the bytes of its zip, for a download (written to a private
/// temporary file first: the archive writer needs a file).
pub fn bytes(ctx: &Ctx<impl Backend>, id: i64, mask: bool) -> anyhow::Result<Vec<u8>> {
    let dir = tempfile::Builder::new()
        .prefix("tuiding-dossier-")
        .tempdir()?;
    let out = dir.path().join("dossier.zip");
    write(ctx, id, &out, mask, |_| {})?;
    Ok(std::fs::read(&out)?)
}
