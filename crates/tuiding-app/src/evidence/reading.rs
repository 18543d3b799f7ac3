//! Evidence that reads itself (issue 19): the text of an evidence image read on this
//! machine ([`tuiding_ocr`]), kept masked beside the vault, and what it proposes — a refund
//! promise with its due day in working days, a step confirmed (解约成功), a contradiction
//! (续费成功 on a step that should show the opposite), a charge matched against the bills.
//! The proposals are [`Offer`]s the user accepts (`evidence add --accept`,
//! `evidence accept`, the case page's buttons).

use std::collections::HashSet;
use std::sync::PoisonError;
use std::time::Duration;

use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::{Currency, Money};
use tuiding_store::prelude::*;
use tuiding_terms::screenshot::{Proposal, RefundWindow, read_screenshot_text};
use tuiding_vault::{Entry, EvidenceText, TextLine};

use crate::case::{CaseData, LocalizeVault, load, step_done};
use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};

/// How long one image may take before Tesseract is stopped.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// What the application keeps about reading: the engine once found (or why not, looked
/// for again after a minute: the user may install Tesseract while the server runs), the
/// images being read now (the server reads off the request path; a page asks whether one
/// is pending), a count that moves whenever that set changes, and the turn: one image is
/// read at a time, so uploads in a row queue instead of fighting over two cores.
#[derive(Default)]
pub struct Readers {
    engine: std::sync::Mutex<Option<(Result<tuiding_ocr::Engine, Unread>, std::time::Instant)>>,
    reading: std::sync::Mutex<HashSet<String>>,
    /// The last failure of a reading off the request path, by image, until one succeeds:
    /// the page says what went wrong instead of "not read yet".
    failures: std::sync::Mutex<std::collections::HashMap<String, String>>,
    generation: std::sync::atomic::AtomicU64,
    turn: std::sync::Mutex<()>,
}

/// An image marked as being read, unmarked when dropped — also when the reading panicked,
/// so that no page says "reading…" for ever.
struct Marked<'a> {
    readers: &'a Readers,
    sha256: String,
}

impl Drop for Marked<'_> {
    fn drop(&mut self) {
        self.readers.set_reading(&self.sha256, false);
    }
}

impl Readers {
    fn failed(&self, sha256: &str, failure: Option<String>) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = match failure {
            Some(reason) => failures.insert(sha256.to_string(), reason.clone()) != Some(reason),
            None => failures.remove(sha256).is_some(),
        };
        if changed {
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn failure(&self, sha256: &str) -> Option<String> {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(sha256)
            .cloned()
    }

    fn set_reading(&self, sha256: &str, on: bool) -> bool {
        let mut reading = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
        let changed = if on {
            reading.insert(sha256.to_string())
        } else {
            reading.remove(sha256)
        };
        if changed {
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        changed
    }

    fn is_reading(&self, sha256: &str) -> bool {
        self.reading
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(sha256)
    }
}

/// What is known of an image's text.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TextState {
    /// Read and kept (masked).
    Read {
        /// The text.
        #[serde(flatten)]
        text: EvidenceText,
    },
    /// Being read now.
    Reading,
    /// Not read, and why (Tesseract missing, not read yet, a failure).
    Unread(Unread),
    /// Not an image (a PDF, a recording): nothing to read.
    NotAnImage,
}

/// Why an image's text is not there.
#[derive(Debug, Clone, Serialize)]
pub struct Unread {
    /// What kind of reason (pages word it their own way).
    #[serde(skip)]
    pub why: Why,
    /// The reason, worded for the command line (with the command to run).
    pub reason: String,
}

/// The kinds of [`Unread`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Tesseract or its Chinese model is missing.
    NotInstalled,
    /// Never read (stored before Tesseract was there, or a reading cut short).
    NotYet,
    /// Reading failed (a timeout, Tesseract failed): tried again when asked.
    Failed,
    /// The file is no decodable image (named .png, but something else): it never will be.
    Unreadable,
}

/// One proposal read from a screenshot, as JSON and pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalView {
    /// `refund_promise`, `cancellation_confirmed`, `contradiction` or `charge`.
    pub kind: &'static str,
    /// The line (1-based) it was read from.
    pub line: usize,
    /// That line, masked.
    pub text: String,
    /// 0–100: the reading's confidence times the recogniser's.
    pub confidence: u8,
    /// The amount (refund or charge), `24.43`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// Its currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<&'static str>,
    /// How long the refund may take.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<RefundWindow>,
    /// The last day the refund may arrive, counted from the day the screenshot was taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_on: Option<Date>,
    /// The words that confirm (or contradict) a cancellation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phrase: Option<String>,
    /// The step it proves (a confirmation) or contradicts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// A charge's time, order number and merchant as the page shows them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The order or transaction number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// The merchant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant: Option<String>,
    /// The same charge in the imported bills.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill: Option<BillMatch>,
    /// What it says, for people.
    pub summary: String,
}

/// A bill row that is the charge a screenshot shows.
#[derive(Debug, Clone, Serialize)]
pub struct BillMatch {
    /// `alipay`, `wechat` …
    pub source: String,
    /// The row's id in its export.
    pub source_id: String,
    /// Its local time.
    pub time: String,
    /// Who was paid.
    pub counterparty: String,
    /// Why it is the same charge: `order` (the same order number) or `amount_and_time`.
    pub by: &'static str,
}

/// What accepting a screenshot's proposals does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "offer", rename_all = "snake_case")]
pub enum Offer {
    /// Record the refund promise, as `case refund --promised AMOUNT --by DAY` does.
    RefundPromise {
        /// The amount, `24.43`.
        amount: String,
        /// The day it is due.
        by: Date,
    },
    /// Mark a step done, as `case step` does, the screenshot its proof.
    MarkStep {
        /// The step.
        step: String,
    },
    /// Record the refund as received, as `case refund --received AMOUNT --on DAY` does.
    RefundReceived {
        /// The amount, `24.43`.
        amount: String,
        /// The day it arrived.
        on: Date,
    },
}

/// A piece of evidence with what was read from it.
#[derive(Debug, Clone, Serialize)]
pub struct Readout {
    /// The journal entry.
    #[serde(flatten)]
    pub entry: Entry,
    /// The text read, or `null` with [`Readout::ocr_missing`] saying why.
    pub ocr: Option<OcrView>,
    /// Why there is no text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_missing: Option<String>,
    /// Whether it is being read now (the server).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reading: bool,
    /// Why there is no text, for pages to word (with `ocr_missing`).
    #[serde(skip)]
    pub unread: Option<Why>,
    /// What the text proposes.
    pub proposals: Vec<ProposalView>,
    /// What accepting does.
    pub offers: Vec<Offer>,
    /// A finding that contradicts the step the screenshot is attached to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// The offers of this screenshot taken (`--accept`), each done or refused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<Accepted>,
}

/// The text read from an image (masked).
#[derive(Debug, Clone, Serialize)]
pub struct OcrView {
    /// The whole text, a line each.
    pub text: String,
    /// The lines with their confidence.
    pub lines: Vec<TextLine>,
    /// What read it.
    pub engine: String,
    /// Milliseconds it took.
    pub millis: u64,
    /// Whether a dark-mode image was inverted first.
    pub inverted: bool,
}

fn is_image(entry: &Entry) -> bool {
    matches!(entry.media_type.as_str(), "image/png" | "image/jpeg")
}

/// The engine, found once per application (a failure is looked for again next time: the
/// user may install Tesseract while the server runs).
fn engine(ctx: &Ctx<impl Backend>) -> Result<tuiding_ocr::Engine, Unread> {
    let mut kept = ctx
        .caches()
        .readers
        .engine
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some((found, at)) = kept.as_ref()
        && (found.is_ok() || at.elapsed() < Duration::from_secs(60))
    {
        return found.clone();
    }
    let found = tuiding_ocr::Engine::find().map_err(|e| reason(ctx, &e));
    *kept = Some((found.clone(), std::time::Instant::now()));
    found
}

fn reason(ctx: &Ctx<impl Backend>, error: &tuiding_ocr::OcrError) -> Unread {
    match error {
        tuiding_ocr::OcrError::NotInstalled { .. } => Unread { why: Why::NotInstalled, reason: ctx
            .t(
                "未安装 Tesseract 文字识别（或其简体中文模型），截图未识别。安装：sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim（macOS：brew install tesseract tesseract-lang），再运行 tuiding evidence read 案件编号",
                "Tesseract (or its Simplified Chinese model) is not installed, so the screenshot was not read. Install it: sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim (macOS: brew install tesseract tesseract-lang), then run tuiding evidence read CASE",
            )
            .to_string() },
        tuiding_ocr::OcrError::NotAnImage(_) => Unread {
            why: Why::Unreadable,
            reason: format!("{}: {error}", ctx.t("无法识别", "cannot be read")),
        },
        e => Unread {
            why: Why::Failed,
            reason: format!("{}: {e}", ctx.t("识别失败", "reading failed")),
        },
    }
}

/// What is known of an entry's text, without reading anything.
pub fn state(ctx: &Ctx<impl Backend>, entry: &Entry) -> anyhow::Result<TextState> {
    if !is_image(entry) {
        return Ok(TextState::NotAnImage);
    }
    match super::vault_to_read(ctx)?.text_of(&entry.sha256) {
        Ok(Some(text)) => return Ok(kept_state(text)),
        Ok(None) => {}
        // A kept text that cannot be read (damaged, from another version) is read again
        // when asked; it never takes the case page down.
        Err(e) => {
            return Ok(TextState::Unread(Unread {
                why: Why::NotYet,
                reason: e.to_string(),
            }));
        }
    }
    let readers = &ctx.caches().readers;
    if let Some(reason) = readers.failure(&entry.sha256) {
        return Ok(TextState::Unread(Unread {
            why: Why::Failed,
            reason,
        }));
    }
    Ok(if readers.is_reading(&entry.sha256) {
        TextState::Reading
    } else {
        TextState::Unread(match engine(ctx) {
            Ok(_) => Unread {
                why: Why::NotYet,
                reason: ctx
                    .t(
                        "尚未识别：运行 tuiding evidence read 案件编号",
                        "not read yet: run tuiding evidence read CASE",
                    )
                    .to_string(),
            },
            Err(unread) => unread,
        })
    })
}

/// Reads an image's text now, without keeping it (a read writes nothing).
fn read_now(
    ctx: &Ctx<impl Backend>,
    entry: &Entry,
) -> anyhow::Result<Result<EvidenceText, Unread>> {
    let engine = match engine(ctx) {
        Ok(engine) => engine,
        Err(reason) => return Ok(Err(reason)),
    };
    let path = super::vault_to_read(ctx)?.object_path(&entry.sha256);
    let bytes = std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(match engine.read(&bytes, READ_TIMEOUT) {
        Ok(reading) => Ok(EvidenceText {
            engine: reading.engine.clone(),
            read_at: ctx.now().to_string(),
            inverted: reading.inverted,
            millis: reading.millis,
            unreadable: None,
            lines: reading
                .lines
                .into_iter()
                .map(|l| TextLine {
                    text: l.text,
                    confidence: l.confidence,
                })
                .collect(),
        }
        .masked()),
        Err(e) => Err(reason(ctx, &e)),
    })
}

/// Reads an image's text (unless it was read before, or `again`) and keeps it, masked.
/// A failure to read is a state, not an error: the evidence is stored either way.
pub fn read_and_keep(
    ctx: &Ctx<impl Backend>,
    entry: &Entry,
    again: bool,
) -> anyhow::Result<TextState> {
    if !is_image(entry) {
        return Ok(TextState::NotAnImage);
    }
    let vault = super::vault_to_read(ctx)?;
    if !again && let Ok(Some(text)) = vault.text_of(&entry.sha256) {
        return Ok(kept_state(text));
    }
    let readers = &ctx.caches().readers;
    if !readers.set_reading(&entry.sha256, true) {
        return Ok(TextState::Reading);
    }
    let _marked = Marked {
        readers,
        sha256: entry.sha256.clone(),
    };
    read_keeping(ctx, entry)
}

/// A kept text as a state: read, or known to be unreadable.
fn kept_state(text: EvidenceText) -> TextState {
    match text.unreadable.clone() {
        Some(reason) => TextState::Unread(Unread {
            why: Why::Unreadable,
            reason,
        }),
        None => TextState::Read { text },
    }
}

/// Reads an image now and keeps what came of it: its text, or that it is no image at all
/// (so it is not tried again on every view). A transient failure keeps nothing.
fn read_keeping(ctx: &Ctx<impl Backend>, entry: &Entry) -> anyhow::Result<TextState> {
    let vault = super::vault_to_read(ctx)?;
    match read_now(ctx, entry)? {
        Ok(text) => Ok(kept_state(
            vault
                .keep_text(&entry.sha256, text)
                .localize_vault(ctx.lang)?,
        )),
        Err(unread) if unread.why == Why::Unreadable => {
            let marker = EvidenceText {
                engine: String::new(),
                read_at: ctx.now().to_string(),
                inverted: false,
                millis: 0,
                lines: Vec::new(),
                unreadable: Some(unread.reason.clone()),
            };
            vault
                .keep_text(&entry.sha256, marker)
                .localize_vault(ctx.lang)?;
            Ok(TextState::Unread(unread))
        }
        Err(unread) => Ok(TextState::Unread(unread)),
    }
}

/// Marks images as being read before a reader thread starts on them, so a page served
/// in between says "reading…". Images whose text is kept already are not read again (the
/// same picture uploaded twice is read once).
pub fn mark_reading(ctx: &Ctx<impl Backend>, entries: &[Entry]) -> Vec<Entry> {
    let readers = &ctx.caches().readers;
    let Ok(vault) = super::vault_to_read(ctx) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|e| is_image(e) && !matches!(vault.text_of(&e.sha256), Ok(Some(_))))
        .filter(|e| readers.set_reading(&e.sha256, true))
        .cloned()
        .collect()
}

/// Gives back images marked by [`mark_reading`] that no thread will read (it could not be
/// started).
pub fn unmark_reading(ctx: &Ctx<impl Backend>, entries: &[Entry]) {
    for entry in entries {
        ctx.caches().readers.set_reading(&entry.sha256, false);
    }
}

/// Reads images marked by [`mark_reading`] and keeps their text (the server's reader
/// thread), one image at a time in the application; each is unmarked when done, whatever
/// happened (a failure shows on the page with its reason until a reading succeeds).
pub fn read_marked(ctx: &Ctx<impl Backend>, entries: &[Entry]) {
    let readers = &ctx.caches().readers;
    for entry in entries {
        let _marked = Marked {
            readers,
            sha256: entry.sha256.clone(),
        };
        let turn = readers.turn.lock().unwrap_or_else(PoisonError::into_inner);
        let failure = match read_keeping(ctx, entry) {
            Ok(TextState::Unread(unread)) if unread.why != Why::Unreadable => Some(unread.reason),
            Ok(_) => None,
            Err(e) => Some(format!("{e:#}")),
        };
        drop(turn);
        if let Some(reason) = &failure {
            ctx.reporter()
                .warn(&format!("evidence #{}: {reason}", entry.seq));
        }
        readers.failed(&entry.sha256, failure);
    }
}

/// Whether Tesseract is here, as last looked for (part of what keeps the case page: once
/// it is installed, the page offers to read what was stored before).
pub fn engine_ready(ctx: &Ctx<impl Backend>) -> bool {
    engine(ctx).is_ok()
}

/// A number that moves whenever an image starts or stops being read (part of what keeps
/// the case page: [`crate::case::page`]).
pub fn generation(ctx: &Ctx<impl Backend>) -> u64 {
    ctx.caches()
        .readers
        .generation
        .load(std::sync::atomic::Ordering::SeqCst)
}

/// The day a screenshot was taken, in China Standard Time (a promise counts from it).
/// The day a promise counts from: the day the page says the refund or cancellation was
/// asked for (申请时间 …), else the day the screenshot was added — never later than that.
fn taken_on(ctx: &Ctx<impl Backend>, entry: &Entry, text: &str) -> Date {
    let added = entry
        .captured_at
        .parse::<jiff::Timestamp>()
        .map_or(ctx.today, |at| crate::clock::zone().to_datetime(at).date());
    tuiding_terms::screenshot::page_day(text).map_or(added, |asked| asked.min(added))
}

/// Text as compared: without the spaces the recogniser puts between characters, lower case.
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where a cancellation confirmed on a payment channel's page belongs: the channel the
/// page names.
fn channel_named(text: &str) -> Option<&'static str> {
    let lower = squeezed(text);
    [
        ("微信", "wechat_pay"),
        // WeChat Pay calls its contracts 扣费服务; Alipay 自动扣款 and 免密支付.
        ("扣费服务", "wechat_pay"),
        ("自动扣款", "alipay"),
        ("免密支付", "alipay"),
        ("wechat", "wechat_pay"),
        ("支付宝", "alipay"),
        ("alipay", "alipay"),
        ("appstore", "app_store"),
        ("apple", "app_store"),
        ("苹果", "app_store"),
        ("华为", "huawei"),
        ("googleplay", "google_play"),
        ("话费", "carrier"),
    ]
    .iter()
    .find(|(word, _)| lower.contains(word))
    .map(|(_, channel)| *channel)
}

/// Whether a step is one a confirmation proves (a cancellation or a channel closed).
fn cancelling(step: &str) -> bool {
    step.starts_with("close:") || step.starts_with("cancel:")
}

/// The step a screenshot's text confirms, if any: the cancelling step it is attached to,
/// else the channel step a payment channel's page names (解约成功 on 扣费服务). A
/// screenshot that also says the opposite proves nothing.
fn confirmed_step(
    entry: &Entry,
    text: &str,
    found: &[tuiding_terms::screenshot::Found],
    steps: &[tuiding_core::playbook::Step],
) -> Option<String> {
    let confirms = found
        .iter()
        .any(|f| matches!(f.proposal, Proposal::CancellationConfirmed { .. }));
    let contradicts = found
        .iter()
        .any(|f| matches!(f.proposal, Proposal::Contradiction { .. }));
    if !confirms || contradicts {
        return None;
    }
    // Only a payment channel's own words (解约成功, 自动续费已关闭 …) prove its contract
    // closed: an app's 退订成功 page that says the refund goes back to WeChat does not.
    let contract_closed = found.iter().any(|f| {
        matches!(&f.proposal, Proposal::CancellationConfirmed { phrase }
            if !["退订成功", "已退订", "取消成功"].contains(&phrase.as_str()))
    });
    entry.step.clone().filter(|s| cancelling(s)).or_else(|| {
        contract_closed
            .then(|| channel_named(text))
            .flatten()
            .map(|c| format!("close:{c}"))
            .filter(|s| steps.iter().any(|st| &st.id == s))
    })
}

/// Screenshots of a case whose kept text confirms a step (see [`confirmed_step`]).
pub(crate) fn proofs(
    ctx: &Ctx<impl Backend>,
    evidence: &[Entry],
    steps: &[tuiding_core::playbook::Step],
) -> anyhow::Result<Vec<(u64, String)>> {
    let vault = super::vault_to_read(ctx)?;
    let mut proofs = Vec::new();
    for entry in evidence.iter().filter(|e| is_image(e)) {
        // Unreadable kept text proves nothing; it is not the case's failure.
        let Ok(Some(text)) = vault.text_of(&entry.sha256) else {
            continue;
        };
        let whole = text.text();
        let found = read_screenshot_text(&whole, Currency::CNY);
        if let Some(step) = confirmed_step(entry, &whole, &found, steps) {
            proofs.push((entry.seq, step));
        }
    }
    Ok(proofs)
}

/// The size and time of the directory of kept texts: it changes when a text is kept, so
/// a page computed before shows "reading…" no longer.
pub fn texts_stamp(ctx: &Ctx<impl Backend>) -> anyhow::Result<Option<std::time::SystemTime>> {
    let dir = ctx.data_dir()?.join("vault").join("text");
    Ok(std::fs::metadata(dir).and_then(|m| m.modified()).ok())
}

/// Reads the evidence of one case: what every readout shares (the case, the working-day
/// calendar, the refund claimed, the bills) is got once, and only when needed.
pub struct CaseReader<'a, B: Backend> {
    ctx: &'a Ctx<B>,
    data: &'a CaseData,
    calendar: std::cell::OnceCell<tuiding_core::WorkCalendar>,
    claim: std::cell::OnceCell<Option<crate::case::message::RefundClaim>>,
    bills: std::cell::OnceCell<Vec<tuiding_core::transaction::Transaction>>,
}

impl<'a, B: Backend> CaseReader<'a, B> {
    /// A reader of the case `data`.
    pub fn new(ctx: &'a Ctx<B>, data: &'a CaseData) -> Self {
        CaseReader {
            ctx,
            data,
            calendar: std::cell::OnceCell::new(),
            claim: std::cell::OnceCell::new(),
            bills: std::cell::OnceCell::new(),
        }
    }

    fn calendar(&self) -> anyhow::Result<&tuiding_core::WorkCalendar> {
        if let Some(c) = self.calendar.get() {
            return Ok(c);
        }
        let calendar = self.ctx.calendar()?;
        Ok(self.calendar.get_or_init(|| calendar))
    }

    fn claim(&self) -> Option<&crate::case::message::RefundClaim> {
        self.claim
            .get_or_init(|| crate::case::message::refund_claim(self.ctx, self.data))
            .as_ref()
    }

    fn bills(&self) -> anyhow::Result<&[tuiding_core::transaction::Transaction]> {
        if let Some(b) = self.bills.get() {
            return Ok(b);
        }
        let bills = self
            .ctx
            .open_store()?
            .bill_transactions()
            .localize(self.ctx.lang)?;
        Ok(self.bills.get_or_init(|| bills))
    }

    /// The readout of one entry of the case, from what is known of its text.
    pub fn readout(&self, entry: &Entry, state: TextState) -> anyhow::Result<Readout> {
        readout(self, entry, state)
    }
}

/// The readout of one entry: its text as known (kept, or read now by `show`), the
/// proposals, the offers and the flag.
fn readout<B: Backend>(
    reader: &CaseReader<'_, B>,
    entry: &Entry,
    state: TextState,
) -> anyhow::Result<Readout> {
    let (ctx, data) = (reader.ctx, reader.data);
    let mut out = Readout {
        entry: entry.clone(),
        ocr: None,
        ocr_missing: None,
        reading: false,
        unread: None,
        proposals: Vec::new(),
        offers: Vec::new(),
        flag: None,
        accepted: Vec::new(),
    };
    let text = match state {
        TextState::Read { text } => text,
        TextState::Reading => {
            out.reading = true;
            out.ocr_missing = Some(ctx.t("正在识别…", "reading…").into());
            return Ok(out);
        }
        TextState::Unread(unread) => {
            out.ocr_missing = Some(unread.reason);
            out.unread = Some(unread.why);
            return Ok(out);
        }
        TextState::NotAnImage => {
            out.ocr_missing = Some(
                ctx.t(
                    "不是图片（PNG 或 JPEG），不识别文字",
                    "not an image (PNG or JPEG): no text is read",
                )
                .into(),
            );
            return Ok(out);
        }
    };
    let currency = Currency::from_code(&data.case.currency).unwrap_or(Currency::CNY);
    let whole = text.text();
    let found_all = read_screenshot_text(&whole, currency);
    let found = found_all.clone();
    let from = taken_on(ctx, entry, &whole);
    for f in found {
        let line_confidence = text.lines.get(f.line - 1).map_or(0, |l| l.confidence);
        let confidence =
            u8::try_from(u32::from(f.confidence) * u32::from(line_confidence) / 100).unwrap_or(0);
        let mut view = ProposalView {
            kind: "",
            line: f.line,
            text: f.text.clone(),
            confidence,
            amount: None,
            currency: None,
            window: None,
            due_on: None,
            phrase: None,
            step: None,
            at: None,
            order: None,
            merchant: None,
            bill: None,
            summary: String::new(),
        };
        match f.proposal {
            Proposal::RefundPromise { amount, window } => {
                view.kind = "refund_promise";
                view.amount = amount.map(Money::amount_string);
                view.currency = amount.map(|a| a.currency().code());
                view.window = window;
                view.due_on = match window {
                    Some(w) => w.due(from, reader.calendar()?),
                    None => None,
                };
                view.summary = refund_summary(ctx, amount, view.due_on);
            }
            Proposal::CancellationConfirmed { phrase } => {
                view.kind = "cancellation_confirmed";
                view.step = confirmed_step(entry, &whole, &found_all, &data.steps);
                view.summary = match &view.step {
                    Some(step) => format!(
                        "{}{phrase}{}{step}",
                        ctx.t("页面写着“", "The page says “"),
                        ctx.t("”：可作为步骤的证明 ", "”: proof of step ")
                    ),
                    None => format!("{}{phrase}”", ctx.t("页面写着“", "The page says “")),
                };
                view.phrase = Some(phrase);
            }
            Proposal::Contradiction { phrase } => {
                view.kind = "contradiction";
                view.step = entry.step.clone().filter(|s| cancelling(s));
                view.summary = match &view.step {
                    Some(step) => format!(
                        "{}{phrase}{}{step}{}",
                        ctx.t("页面写着“", "The page says “"),
                        ctx.t("”，与所附步骤 ", "”, the opposite of what step "),
                        ctx.t(
                            " 要证明的相反：请核对截图",
                            " should prove: check the screenshot"
                        )
                    ),
                    None => format!(
                        "{}{phrase}{}",
                        ctx.t("页面写着“", "The page says “"),
                        ctx.t("”：自动续费仍开通", "”: the renewal is on")
                    ),
                };
                if view.step.is_some() {
                    out.flag = Some(view.summary.clone());
                }
                view.phrase = Some(phrase);
            }
            Proposal::RefundReceived { amount, at } => {
                view.kind = "refund_received";
                view.amount = amount.map(Money::amount_string);
                view.currency = amount.map(|a| a.currency().code());
                view.at = at.map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string());
                view.due_on = Some(at.map_or(from, |t| t.date()));
                view.summary = match (amount, ctx.lang) {
                    (Some(a), tuiding_core::Lang::Zh) => format!("退款 {a} 已到账"),
                    (Some(a), tuiding_core::Lang::En) => format!("A refund of {a} arrived"),
                    (None, _) => ctx.t("退款已到账", "The refund arrived").into(),
                };
            }
            Proposal::Charge {
                amount,
                at,
                order,
                merchant,
            } => {
                view.kind = "charge";
                view.amount = Some(amount.amount_string());
                view.currency = Some(amount.currency().code());
                view.at = at.map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string());
                view.bill = same_charge(reader.bills()?, amount, at, order.as_deref());
                view.summary = format!(
                    "{}{amount}{}{}",
                    ctx.t("扣款 ", "A charge of "),
                    at.map(|t| format!(" {}", t.strftime("%Y-%m-%d %H:%M")))
                        .unwrap_or_default(),
                    match &view.bill {
                        Some(b) => format!(
                            "{}{} {}",
                            ctx.t("：即账单中的 ", ": the bills' "),
                            b.source,
                            b.time
                        ),
                        None => ctx
                            .t("：导入的账单中没有这笔", ": not in the imported bills")
                            .into(),
                    }
                );
                view.order = order;
                view.merchant = merchant;
            }
        }
        out.proposals.push(view);
    }
    out.offers = offers(reader, &out.proposals);
    out.ocr = Some(OcrView {
        text: whole,
        lines: text.lines,
        engine: text.engine,
        millis: text.millis,
        inverted: text.inverted,
    });
    Ok(out)
}

fn refund_summary(ctx: &Ctx<impl Backend>, amount: Option<Money>, due: Option<Date>) -> String {
    let amount = amount.map(|a| a.to_string());
    match (amount, due, ctx.lang) {
        (Some(a), Some(d), tuiding_core::Lang::Zh) => format!("承诺退款 {a}，最晚 {d} 到账"),
        (Some(a), Some(d), tuiding_core::Lang::En) => format!("A refund of {a} promised by {d}"),
        (Some(a), None, tuiding_core::Lang::Zh) => format!("承诺退款 {a}"),
        (Some(a), None, tuiding_core::Lang::En) => format!("A refund of {a} promised"),
        (None, Some(d), tuiding_core::Lang::Zh) => format!("承诺最晚 {d} 退款到账"),
        (None, Some(d), tuiding_core::Lang::En) => format!("A refund promised by {d}"),
        (None, None, _) => ctx.t("提到退款", "A refund mentioned").into(),
    }
}

/// The bill row that is this charge: the same order number, else the same amount paid
/// within ten minutes of the time the page shows.
fn same_charge(
    bills: &[tuiding_core::transaction::Transaction],
    amount: Money,
    at: Option<jiff::civil::DateTime>,
    order: Option<&str>,
) -> Option<BillMatch> {
    let found = |t: &tuiding_core::transaction::Transaction, by| BillMatch {
        source: t.source.as_str().to_string(),
        source_id: t.source_id.to_string(),
        time: t.time.strftime("%Y-%m-%d %H:%M:%S").to_string(),
        counterparty: t.counterparty.to_string(),
        by,
    };
    if let Some(order) = order.filter(|o| o.len() >= 8)
        && let Some(t) = bills.iter().find(|t| {
            t.source_id.contains(order) || order.contains(&*t.source_id) && t.source_id.len() >= 8
        })
    {
        return Some(found(t, "order"));
    }
    let at = at?;
    bills
        .iter()
        .filter(|t| t.is_charge() && t.amount == amount)
        .find(|t| t.time.duration_since(at).abs().as_secs() <= 600)
        .map(|t| found(t, "amount_and_time"))
}

/// What accepting a screenshot's proposals does: one refund promise (the amount from the
/// screenshot, else the refund the case claims; the latest due day it gives, else the one
/// the case expects) and the steps it confirms that are not done yet.
fn offers<B: Backend>(reader: &CaseReader<'_, B>, proposals: &[ProposalView]) -> Vec<Offer> {
    let mut offers = Vec::new();
    let promises: Vec<&ProposalView> = proposals
        .iter()
        .filter(|p| p.kind == "refund_promise")
        .collect();
    if !promises.is_empty() {
        let amount = promises
            .iter()
            .find_map(|p| p.amount.clone())
            .or_else(|| reader.claim().map(|c| c.amount.clone()));
        let by = promises
            .iter()
            .filter_map(|p| p.due_on)
            .max()
            .or_else(|| reader.claim().and_then(|c| c.due));
        if let (Some(amount), Some(by)) = (amount, by)
            && !promise_recorded(reader.data, &amount, by)
        {
            offers.push(Offer::RefundPromise { amount, by });
        }
    }
    let refund = &reader.data.case.refund;
    for p in proposals.iter().filter(|p| p.kind == "refund_received") {
        let amount = p.amount.clone().or_else(|| {
            refund
                .promised_minor
                .zip(Currency::from_code(&reader.data.case.currency).ok())
                .map(|(minor, c)| Money::from_minor(minor, c).amount_string())
        });
        if let (Some(amount), Some(on)) = (amount, p.due_on)
            && refund.received_on.is_none()
        {
            offers.push(Offer::RefundReceived { amount, on });
        }
    }
    for p in proposals
        .iter()
        .filter(|p| p.kind == "cancellation_confirmed")
    {
        if let Some(step) = &p.step
            && !step_done(reader.data, step)
            && !offers
                .iter()
                .any(|o| matches!(o, Offer::MarkStep { step: s } if s == step))
        {
            offers.push(Offer::MarkStep { step: step.clone() });
        }
    }
    offers
}

/// Whether the case has nothing to gain from this promise: it records it already, or the
/// refund arrived, or the case is settled (taking it then would rewrite the record).
fn promise_recorded(data: &CaseData, amount: &str, by: Date) -> bool {
    use tuiding_core::case::CaseState;
    let refund = &data.case.refund;
    let same = refund.promised_by == Some(by)
        && Currency::from_code(&data.case.currency)
            .ok()
            .and_then(|c| Money::parse(amount, c).ok())
            .is_some_and(|m| refund.promised_minor == Some(m.minor_units()));
    same || refund.received_on.is_some()
        || matches!(
            data.case.state,
            CaseState::RefundReceived | CaseState::Resolved | CaseState::Closed
        )
}

/// The readouts of a case's evidence, as kept (nothing is read: the case page, the API).
/// `only` limits them to these journal seqs.
pub fn readouts(
    ctx: &Ctx<impl Backend>,
    case: i64,
    only: Option<&[u64]>,
) -> anyhow::Result<Vec<Readout>> {
    let store = ctx.open_store()?;
    readouts_of(ctx, &load(ctx, &store, case)?, only)
}

/// The readouts of a case already loaded: every piece of its evidence, or those `only`.
pub fn readouts_of(
    ctx: &Ctx<impl Backend>,
    data: &CaseData,
    only: Option<&[u64]>,
) -> anyhow::Result<Vec<Readout>> {
    let reader = CaseReader::new(ctx, data);
    data.evidence
        .iter()
        .filter(|e| only.is_none_or(|o| o.contains(&e.seq)))
        .map(|e| reader.readout(e, state(ctx, e)?))
        .collect()
}

/// The entry with journal seq `seq`.
pub fn entry(ctx: &Ctx<impl Backend>, seq: u64) -> anyhow::Result<Entry> {
    super::vault_to_read(ctx)?
        .entries()
        .localize_vault(ctx.lang)?
        .into_iter()
        .find(|e| e.seq == seq)
        .ok_or_else(|| {
            UserError::usage(
                "ID",
                match ctx.lang {
                    tuiding_core::Lang::Zh => format!("没有编号为 #{seq} 的证据"),
                    tuiding_core::Lang::En => format!("there is no evidence #{seq}"),
                },
            )
        })
}

/// One piece of evidence with its text (`evidence show ID --text`): the text kept, or,
/// when it was never read, read now without keeping it.
pub fn show(ctx: &Ctx<impl Backend>, seq: u64) -> anyhow::Result<Readout> {
    let entry = entry(ctx, seq)?;
    let store = ctx.open_store()?;
    let data = load(ctx, &store, entry.case_id)?;
    let state = match state(ctx, &entry)? {
        TextState::Unread(_) => match read_now(ctx, &entry)? {
            Ok(text) => TextState::Read { text },
            Err(unread) => TextState::Unread(unread),
        },
        state => state,
    };
    CaseReader::new(ctx, &data).readout(&entry, state)
}

/// Reads (and keeps) the text of evidence just added (`evidence add`), with a progress bar.
pub fn read_added(ctx: &Ctx<impl Backend>, added: &[Entry]) -> anyhow::Result<Vec<Readout>> {
    let Some(first) = added.first() else {
        return Ok(Vec::new());
    };
    let store = ctx.open_store()?;
    let data = load(ctx, &store, first.case_id)?;
    let reader = CaseReader::new(ctx, &data);
    let reporter = ctx.reporter();
    let images = added.iter().filter(|e| is_image(e)).count();
    reporter.start(images as u64, ctx.t("识别截图", "reading screenshots"));
    let mut out = Vec::new();
    for entry in added {
        if is_image(entry) {
            reporter.advance(1);
        }
        match read_and_keep(ctx, entry, false).and_then(|state| reader.readout(entry, state)) {
            Ok(r) => out.push(r),
            Err(e) => {
                reporter.finish();
                return Err(e);
            }
        }
    }
    reporter.finish();
    Ok(out)
}

/// Reads (and keeps) the text of a case's images not read yet, or of all with `again`
/// (`evidence read`).
pub fn read_case(ctx: &Ctx<impl Backend>, case: i64, again: bool) -> anyhow::Result<Vec<Readout>> {
    let store = ctx.open_store()?;
    let data = load(ctx, &store, case)?;
    let reader = CaseReader::new(ctx, &data);
    let images: Vec<&Entry> = data.evidence.iter().filter(|e| is_image(e)).collect();
    let reporter = ctx.reporter();
    reporter.start(
        images.len() as u64,
        ctx.t("识别截图", "reading screenshots"),
    );
    let mut out = Vec::new();
    let mut done = HashSet::new();
    for entry in images {
        reporter.advance(1);
        // The same picture twice is read once.
        let again = again && done.insert(entry.sha256.clone());
        let state = read_and_keep(ctx, entry, again);
        let state = match state {
            Ok(s) => s,
            Err(e) => {
                reporter.finish();
                return Err(e);
            }
        };
        out.push(reader.readout(entry, state)?);
    }
    reporter.finish();
    Ok(out)
}

/// An offer taken, or why it could not be.
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    /// The screenshot (journal seq).
    pub evidence: u64,
    /// What was offered.
    #[serde(flatten)]
    pub offer: Offer,
    /// Why it was not done (the case cannot move there yet, …); `None`: done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// Takes screenshots' offers: marks the confirmed steps done first (each noting its
/// screenshot), then records the refund promise exactly as `case refund --promised AMOUNT
/// --by DAY` does — a channel's closing can be what lets the case take a promise. An offer
/// the case refuses is reported, not fatal: the others are still taken.
pub fn accept(ctx: &Ctx<impl Backend>, readouts: &[Readout]) -> Vec<Accepted> {
    let mut order: Vec<(&Readout, &Offer)> = readouts
        .iter()
        .flat_map(|r| r.offers.iter().map(move |o| (r, o)))
        .collect();
    // Steps first; of several promises to one case, the one due last (one promise stands:
    // recording each in turn would leave whichever came last).
    order.sort_by_key(|(r, o)| match o {
        Offer::MarkStep { .. } => (0, r.entry.case_id, None),
        Offer::RefundPromise { by, .. } => (1, r.entry.case_id, Some(std::cmp::Reverse(*by))),
        Offer::RefundReceived { on, .. } => (2, r.entry.case_id, Some(std::cmp::Reverse(*on))),
    });
    let mut taken: Vec<Accepted> = Vec::new();
    let mut promised: HashSet<i64> = HashSet::new();
    let mut received: HashSet<i64> = HashSet::new();
    let mut stepped: HashSet<(i64, &str)> = HashSet::new();
    for (r, offer) in order {
        let case = r.entry.case_id;
        // The same step, or a second promise, of one case is taken once.
        let first = match offer {
            Offer::MarkStep { step } => stepped.insert((case, step.as_str())),
            Offer::RefundPromise { .. } => promised.insert(case),
            Offer::RefundReceived { .. } => received.insert(case),
        };
        if !first {
            continue;
        }
        let done = match offer {
            Offer::RefundPromise { amount, by } => crate::case::record_refund(
                ctx,
                case,
                &crate::case::RefundFacts {
                    promised: Some(amount.clone()),
                    by: Some(by.to_string()),
                    ..Default::default()
                },
            ),
            Offer::RefundReceived { amount, on } => crate::case::record_refund(
                ctx,
                case,
                &crate::case::RefundFacts {
                    received: Some(amount.clone()),
                    on: Some(on.to_string()),
                    ..Default::default()
                },
            ),
            Offer::MarkStep { step } => crate::case::mark_step(
                ctx,
                case,
                step,
                Some(format!(
                    "{}#{} {}",
                    ctx.t("截图 ", "screenshot "),
                    r.entry.seq,
                    r.entry.name
                )),
            ),
        };
        taken.push(Accepted {
            evidence: r.entry.seq,
            offer: offer.clone(),
            refused: done.err().map(|e| format!("{e:#}")),
        });
    }
    taken
}

/// Takes what piece `seq` of case `id`'s evidence proposes, as kept (the case page's button,
/// the API): not found when the case has no such piece, whatever other case holds it.
pub fn accept_in_case(ctx: &Ctx<impl Backend>, id: i64, seq: u64) -> anyhow::Result<Vec<Accepted>> {
    let readouts = readouts(ctx, id, Some(&[seq]))?;
    if readouts.is_empty() {
        return Err(UserError::not_found(
            ctx.t("这个案件没有这份证据", "this case has no such evidence"),
        ));
    }
    Ok(accept(ctx, &readouts))
}

/// A piece of evidence whose text holds every word searched for, with the lines that do.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The journal entry.
    #[serde(flatten)]
    pub entry: Entry,
    /// The lines holding a word, masked.
    pub lines: Vec<String>,
}

/// Evidence whose kept text holds every word (`evidence search`, the case page's search);
/// spaces the recogniser put between characters and letter case do not matter.
pub fn search(
    ctx: &Ctx<impl Backend>,
    words: &[String],
    case: Option<i64>,
) -> anyhow::Result<Vec<Hit>> {
    let words: Vec<String> = words
        .iter()
        .map(|w| squeezed(w))
        .filter(|w| !w.is_empty())
        .collect();
    let vault = super::vault_to_read(ctx)?;
    let mut hits = Vec::new();
    if words.is_empty() {
        return Ok(hits);
    }
    for entry in vault.entries().localize_vault(ctx.lang)? {
        if case.is_some_and(|c| c != entry.case_id) || !is_image(&entry) {
            continue;
        }
        // A damaged kept text is skipped, not the search's failure.
        let Ok(Some(text)) = vault.text_of(&entry.sha256) else {
            continue;
        };
        let whole = squeezed(&text.text());
        if words.iter().all(|w| whole.contains(w.as_str())) {
            let lines = text
                .lines
                .iter()
                .filter(|l| {
                    let l = squeezed(&l.text);
                    words.iter().any(|w| l.contains(w.as_str()))
                })
                .map(|l| l.text.clone())
                .collect();
            hits.push(Hit { entry, lines });
        }
    }
    Ok(hits)
}

/// The line of a screenshot's text that says most (for the dossier's evidence index): the
/// line of its weightiest proposal (a refund promise, a charge, a confirmation), else its
/// longest line.
pub fn key_line(ctx: &Ctx<impl Backend>, data: &CaseData, entry: &Entry) -> Option<String> {
    if !is_image(entry) {
        return None;
    }
    let text = super::vault_to_read(ctx)
        .ok()?
        .text_of(&entry.sha256)
        .ok()??;
    let currency = Currency::from_code(&data.case.currency).unwrap_or(Currency::CNY);
    let found = read_screenshot_text(&text.text(), currency);
    // A refund promise says most in a complaint, then a charge, then a confirmation; the
    // more confident, then the earlier line, among equals.
    let rank = |f: &tuiding_terms::screenshot::Found| {
        let kind = match f.proposal {
            Proposal::RefundPromise { .. } | Proposal::RefundReceived { .. } => 3,
            Proposal::Charge { .. } => 2,
            Proposal::CancellationConfirmed { .. } => 1,
            Proposal::Contradiction { .. } => 0,
        };
        (kind, f.confidence, std::cmp::Reverse(f.line))
    };
    let best = found.iter().max_by_key(|f| rank(f)).map(|f| f.text.clone());
    best.or_else(|| {
        text.lines
            .iter()
            .max_by_key(|l| l.text.chars().count())
            .map(|l| l.text.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::sync::Arc;
    use tuiding_core::transaction::{Direction, Source, Transaction, TxStatus};

    fn charge(id: &str, minor: i64, at: jiff::civil::DateTime) -> Transaction {
        Transaction {
            source: Source::WechatPay,
            source_id: id.into(),
            time: at,
            counterparty: Arc::from("爱奇艺"),
            description: Arc::from("黄金VIP会员"),
            category: Arc::from("商户消费"),
            direction: Direction::Out,
            amount: Money::from_minor(minor, Currency::CNY),
            method: Arc::from("零钱"),
            status: TxStatus::Success,
            status_text: Arc::from("支付成功"),
            line: 2,
            refund_of: None,
        }
    }

    #[test]
    fn a_screenshot_charge_is_the_bill_row_with_its_order_or_its_amount_and_time() {
        let at = date(2026, 11, 23).at(10, 0, 1, 0);
        let bills = [
            charge("4200002311202611230001", 2500, at),
            charge("4200009999", 2500, date(2026, 11, 23).at(10, 5, 0, 0)),
        ];
        let yuan = |minor| Money::from_minor(minor, Currency::CNY);
        let by_order = same_charge(&bills, yuan(2500), None, Some("4200002311202611230001"));
        assert_eq!(
            by_order.map(|m| (m.by, m.source_id)),
            Some(("order", "4200002311202611230001".into()))
        );
        // No order number: the same amount within ten minutes.
        let near = same_charge(
            &bills,
            yuan(2500),
            Some(date(2026, 11, 23).at(10, 4, 0, 0)),
            None,
        );
        assert_eq!(near.map(|m| m.by), Some("amount_and_time"));
        // Another amount, or an hour away: not the same charge.
        assert!(same_charge(&bills, yuan(2200), Some(at), None).is_none());
        assert!(
            same_charge(
                &bills,
                yuan(2500),
                Some(date(2026, 11, 23).at(11, 30, 0, 0)),
                None
            )
            .is_none()
        );
        // A short number read by mistake matches nothing by order.
        assert!(same_charge(&bills, yuan(100), None, Some("4200")).is_none());
    }

    #[test]
    fn a_payment_page_names_its_channel() {
        assert_eq!(channel_named("扣费服务\n解约成功"), Some("wechat_pay"));
        assert_eq!(channel_named("支 付 宝 自动扣款"), Some("alipay"));
        assert_eq!(channel_named("App Store 订阅已取消"), Some("app_store"));
        assert_eq!(channel_named("会员中心"), None);
    }
}
