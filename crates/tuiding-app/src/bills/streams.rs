//! `tuiding streams`: recurring streams in everything imported, with alerts for charges
//! made after cancellation and extra charges to claim back; `streams adopt ID` makes one a
//! membership (or, with `--into M`, links it to membership M already in the ledger),
//! `streams dismiss ID` hides it for good. A stream's id is derived from what it is, so it
//! never names another stream; the listing's numbers stay a convenience that a dismissal
//! does not shift.

use crate::bills::scan::StreamView;
use jiff::civil::Date;
use serde::Serialize;
use std::sync::Arc;
use tuiding_bills::alerts::{channel_of, charged_after_cancellation};
use tuiding_bills::{Kind, Stream, Transaction, detect_streams};
use tuiding_core::complaint::LateChargeFact;
use tuiding_core::{AutoRenewContract, Billing, ContractStatus, Lang, Membership};
use tuiding_store::StreamDecision;
use tuiding_store::prelude::*;

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};

/// How a command names a stream: its id (or a unique prefix of 4+ characters), or its
/// number in the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamRef {
    /// An id or a prefix of it.
    Id(String),
    /// A listing number (stable across dismissals; may change when bills are imported).
    Number(usize),
}

impl StreamRef {
    /// Reads a number (1–3 digits) or an id.
    pub fn parse(text: &str) -> StreamRef {
        let text = text.trim().trim_start_matches('#');
        match text.parse::<usize>() {
            Ok(n) if text.len() <= 3 => StreamRef::Number(n),
            _ => StreamRef::Id(text.to_ascii_lowercase()),
        }
    }
}

/// One stream as listed: its number is what `adopt N` and `dismiss N` take.
#[derive(Serialize)]
pub struct Listed {
    pub number: usize,
    pub key: String,
    /// The membership made from it (or linked to it), if adopted.
    pub membership_id: Option<i64>,
    /// A membership already in the ledger that this stream looks like (same platform,
    /// period and price): link it with `adopt ID --into M` rather than adding another.
    pub matches_membership: Option<i64>,
    #[serde(flatten)]
    pub stream: StreamView,
}

/// A charge after a channel was closed.
#[derive(Serialize)]
pub struct Alert {
    pub kind: &'static str,
    pub membership_id: i64,
    pub platform: String,
    pub date: Date,
    pub amount: String,
    pub currency: &'static str,
    #[serde(skip)]
    pub display: String,
    #[serde(skip)]
    pub channel_label: &'static str,
    pub channel: &'static str,
    pub closed_on: Date,
    pub source: &'static str,
    pub source_id: String,
    pub line: u32,
    #[serde(skip)]
    pub fact: LateChargeFact,
}

/// Charges after cancellation, and extra charges with the membership of their stream.
pub type Findings = (
    Vec<Alert>,
    Vec<(Option<i64>, crate::bills::scan::DuplicateView)>,
);

/// What the bills show that needs action, from one analysis: charges after cancellation,
/// and every extra charge with the membership its stream was adopted as or linked to.
pub fn bill_findings(ctx: &Ctx<impl Backend>, store: &impl Store) -> anyhow::Result<Findings> {
    let analysis = analyse(ctx, store, false)?;
    let alerts = alerts(ctx, store, &analysis)?;
    let duplicates = analysis
        .streams
        .iter()
        .flat_map(|e| {
            crate::bills::scan::duplicate_charges(
                std::slice::from_ref(&e.stream),
                &analysis.transactions,
            )
            .into_iter()
            .map(|d| (e.membership_id, d))
        })
        .collect();
    Ok((alerts, duplicates))
}

/// What the imported bills show was paid for memberships, month by month: every charge of
/// a subscription stream (or of a stream adopted as a membership) that was not dismissed,
/// in the twelve months up to the bills' end.
#[derive(Debug, Default, Serialize)]
pub struct Spending {
    /// The bills' end: the last month counted.
    pub as_of: Option<Date>,
    /// `YYYY-MM` and the totals of that month per currency, oldest first.
    pub by_month: Vec<(String, Vec<crate::renewals::CurrencyTotal>)>,
    /// Per category (the adopted membership's, else none) and currency, largest first.
    pub by_category: Vec<(Option<String>, crate::renewals::CurrencyTotal)>,
}

/// The charges of the last twelve months of bills, by month and by category.
pub fn spending(ctx: &Ctx<impl Backend>, store: &impl Store) -> anyhow::Result<Spending> {
    use std::collections::BTreeMap;
    use tuiding_core::Money;
    if store.bills_fingerprint().localize(ctx.lang)?.0 == 0 {
        return Ok(Spending::default());
    }
    let analysis = analyse(ctx, store, false)?;
    let from = analysis
        .as_of
        .first_of_month()
        .checked_sub(jiff::Span::new().months(11))
        .unwrap_or(analysis.as_of);
    let categories: std::collections::HashMap<i64, Option<String>> = store
        .memberships()
        .localize(ctx.lang)?
        .into_iter()
        .map(|m| (m.id, m.membership.category))
        .collect();
    let add = |total: &mut Money, amount: Money| -> anyhow::Result<()> {
        *total = total
            .checked_add(amount)
            .map_err(|e| UserError::failure(e.to_string()))?;
        Ok(())
    };
    let mut months: BTreeMap<String, BTreeMap<&'static str, Money>> = BTreeMap::new();
    let mut by_category: BTreeMap<(Option<String>, &'static str), Money> = BTreeMap::new();
    for entry in &analysis.streams {
        if entry.membership_id.is_none() && entry.stream.kind != Kind::Subscription {
            continue;
        }
        let category = entry
            .membership_id
            .and_then(|id| categories.get(&id).cloned().flatten());
        for &i in &entry.stream.transactions {
            let t = &analysis.transactions[i];
            let day = t.time.date();
            if day < from || day > analysis.as_of {
                continue;
            }
            let code = t.amount.currency().code();
            let zero = Money::zero(t.amount.currency());
            let month = format!("{:04}-{:02}", day.year(), day.month());
            add(
                months.entry(month).or_default().entry(code).or_insert(zero),
                t.amount,
            )?;
            add(
                by_category.entry((category.clone(), code)).or_insert(zero),
                t.amount,
            )?;
        }
    }
    let total = |currency: &'static str, money: Money| crate::renewals::CurrencyTotal {
        currency,
        amount: money.amount_string(),
        money,
    };
    let mut categories: Vec<_> = by_category
        .into_iter()
        .map(|((category, code), money)| (category, total(code, money)))
        .collect();
    categories.sort_by_key(|(_, t)| std::cmp::Reverse(t.money.minor_units()));
    Ok(Spending {
        as_of: Some(analysis.as_of),
        by_month: months
            .into_iter()
            .map(|(month, totals)| {
                let totals = totals.into_iter().map(|(c, m)| total(c, m)).collect();
                (month, totals)
            })
            .collect(),
        by_category: categories,
    })
}

/// Everything imported: the streams found (minus dismissed ones) and the alerts.
#[derive(Serialize)]
pub struct Report {
    pub as_of: Date,
    pub transactions_stored: usize,
    pub streams: Vec<Listed>,
    pub alerts: Vec<Alert>,
    /// Extra charges within one period of a stream: money to claim back.
    pub duplicate_charges: Vec<crate::bills::scan::DuplicateView>,
}

/// What `streams dismiss` hid.
#[derive(Serialize)]
pub struct Dismissed {
    #[serde(rename = "dismissed")]
    pub key: String,
    pub id: String,
    #[serde(skip)]
    pub merchant: String,
    #[serde(skip)]
    pub description: String,
}

/// The streams in everything imported (`tuiding streams`).
pub fn report(ctx: &Ctx<impl Backend>) -> anyhow::Result<Report> {
    let store = ctx.open_store()?;
    let analysis = analyse(ctx, &store, true)?;
    build_report(ctx, &store, &analysis)
}

/// What `streams adopt` did.
pub enum Adoption {
    /// A new membership.
    Created(i64),
    /// Linked to a membership already in the ledger.
    Linked(i64),
}

impl Adoption {
    /// The membership.
    pub fn id(&self) -> i64 {
        match self {
            Adoption::Created(id) | Adoption::Linked(id) => *id,
        }
    }
}

/// Adopts a stream as a membership, with the price changes its charges show — or, with
/// `into`, links it to a membership already in the ledger. A stream that looks like an
/// existing membership is refused (naming it) unless `new`, so a membership is not added
/// twice. With `expected_key` (a form or API client that listed the streams), a list that
/// changed meanwhile is refused rather than adopting another one.
pub fn adopt(
    ctx: &Ctx<impl Backend>,
    which: &StreamRef,
    category: Option<String>,
    expected_key: Option<&str>,
    into: Option<i64>,
    new: bool,
) -> anyhow::Result<Adoption> {
    let mut store = ctx.open_store()?;
    let analysis = analyse(ctx, &store, true)?;
    let entry = pick(ctx, &analysis, which, expected_key)?;
    let stream = &entry.stream;
    if let Some(id) = entry.membership_id {
        return Err(UserError::failure(match ctx.lang {
            Lang::Zh => format!("{} 已经记为会员 #{id}", stream.id),
            Lang::En => format!("stream {} is already membership #{id}", stream.id),
        }));
    }
    if let Some(target) = into {
        store.link_stream(&stream.key, target).localize(ctx.lang)?;
        return Ok(Adoption::Linked(target));
    }
    if let Some(existing) = entry.matches.filter(|_| !new) {
        return Err(UserError::failure(match ctx.lang {
            Lang::Zh => format!(
                "{}（{} {}）看起来就是会员 #{existing}：用 `tuiding streams adopt {} --into {existing}` 关联，避免重复记账；确实是另一个会员就加 --new",
                stream.id, stream.merchant, stream.description, stream.id
            ),
            Lang::En => format!(
                "{} ({} {}) looks like membership #{existing}: link it with `tuiding streams adopt {} --into {existing}` instead of adding it twice; add --new if it really is another one",
                stream.id, stream.merchant, stream.description, stream.id
            ),
        }));
    }
    let membership = membership_from(stream, &analysis.transactions, category, ctx.lang);
    // The price as the charges show it changing, from the first full charge on.
    let charges: Vec<_> = stream
        .transactions
        .iter()
        .map(|&i| &analysis.transactions[i])
        .map(|t| (t.time.date(), t.amount))
        .filter(|(day, _)| membership.trial_until.is_none_or(|t| *day >= t))
        .collect();
    let changes = tuiding_core::price::changes_in_charges(&charges);
    store
        .adopt_stream(&stream.key, &membership, &changes)
        .localize(ctx.lang)
        .map(Adoption::Created)
}

/// Hides a stream from now on (`expected_key` as for [`adopt`]).
pub fn dismiss(
    ctx: &Ctx<impl Backend>,
    which: &StreamRef,
    expected_key: Option<&str>,
) -> anyhow::Result<Dismissed> {
    let mut store = ctx.open_store()?;
    let analysis = analyse(ctx, &store, false)?;
    let stream = &pick(ctx, &analysis, which, expected_key)?.stream;
    store.dismiss_stream(&stream.key).localize(ctx.lang)?;
    Ok(Dismissed {
        key: stream.key.clone(),
        id: stream.id.clone(),
        merchant: stream.merchant.clone(),
        description: stream.description.clone(),
    })
}

/// One stream of the analysis.
struct Entry {
    /// Its number in the listing: its place among every stream detected, dismissed ones
    /// included, so a dismissal never renumbers the others.
    number: usize,
    stream: Stream,
    /// The membership it was adopted as or linked to.
    membership_id: Option<i64>,
    /// A membership in the ledger it looks like.
    matches: Option<i64>,
}

struct Analysis {
    transactions: Arc<Vec<Transaction>>,
    as_of: Date,
    /// Not dismissed, in listing order.
    streams: Vec<Entry>,
}

/// Detection of one data dir's bills: the transactions and the streams found.
pub(crate) struct Detected {
    key: (std::path::PathBuf, (i64, i64), Date),
    transactions: Arc<Vec<Transaction>>,
    streams: Vec<Stream>,
}

fn detected(ctx: &Ctx<impl Backend>, store: &impl Store) -> anyhow::Result<Arc<Detected>> {
    let as_of = store
        .bills_period_end()
        .localize(ctx.lang)?
        .unwrap_or(ctx.today);
    let key = (
        ctx.data_dir()?,
        store.bills_fingerprint().localize(ctx.lang)?,
        as_of,
    );
    // The last detection is kept in the context's caches: a long-running process (the web
    // app) shares them between requests, and reading and detecting 100,000 transactions
    // takes a quarter of a second while the result only changes when an import adds
    // transactions (the store's fingerprint) or the as-of day moves.
    let mut cache = ctx
        .caches()
        .detected_streams
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(hit) = cache.as_ref().filter(|d| d.key == key) {
        return Ok(hit.clone());
    }
    let transactions = Arc::new(store.bill_transactions().localize(ctx.lang)?);
    let streams = detect_streams(&transactions, as_of);
    let fresh = Arc::new(Detected {
        key,
        transactions,
        streams,
    });
    *cache = Some(fresh.clone());
    Ok(fresh)
}

/// The streams of everything imported, minus dismissed ones. With `match_ledger`, each
/// stream not yet adopted is compared with the memberships in the ledger (a listing and an
/// adoption need it; the alerts and extra charges read on every overview do not).
fn analyse(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    match_ledger: bool,
) -> anyhow::Result<Analysis> {
    let detected = detected(ctx, store)?;
    let as_of = detected.key.2;
    let transactions = detected.transactions.clone();
    let decisions = store.stream_decisions().localize(ctx.lang)?;
    let ledger = if match_ledger {
        store.memberships().localize(ctx.lang)?
    } else {
        Vec::new()
    };
    let adopted: Vec<i64> = decisions
        .iter()
        .filter_map(|d| match d {
            StreamDecision::Adopted { membership_id, .. } => *membership_id,
            StreamDecision::Dismissed { .. } => None,
        })
        .collect();
    let streams = detected
        .streams
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let membership_id = match decisions.iter().find(|d| d.key() == s.key) {
                Some(StreamDecision::Dismissed { .. }) => return None,
                Some(StreamDecision::Adopted { membership_id, .. }) => *membership_id,
                None => None,
            };
            let matches = membership_id
                .is_none()
                .then(|| matching_membership(s, &ledger, &adopted))
                .flatten();
            Some(Entry {
                number: i + 1,
                stream: s.clone(),
                membership_id,
                matches,
            })
        })
        .collect();
    Ok(Analysis {
        transactions,
        as_of,
        streams,
    })
}

/// A membership in the ledger that a stream looks like: its platform in the stream's
/// merchant or item (or the other way round), the same period, and a price within 10% of
/// the stream's last charge. Memberships already linked to another stream do not count.
fn matching_membership(
    stream: &Stream,
    ledger: &[tuiding_store::StoredMembership],
    adopted: &[i64],
) -> Option<i64> {
    let squash = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let merchant = squash(&stream.merchant);
    let item = squash(&stream.description);
    ledger
        .iter()
        .filter(|m| !adopted.contains(&m.id))
        .find(|m| {
            let m = &m.membership;
            let platform = squash(&m.platform);
            let named = !platform.is_empty()
                && (merchant.contains(&platform)
                    || item.contains(&platform)
                    || (!merchant.is_empty() && platform.contains(&merchant)));
            let period = m.billing.period() == Some(stream.frequency.period());
            let price = m.price.currency() == stream.last_amount.currency()
                && (m.price.minor_units() - stream.last_amount.minor_units()).abs() * 10
                    <= m.price.minor_units().max(1);
            named && period && price
        })
        .map(|m| m.id)
}

fn pick<'a>(
    ctx: &Ctx<impl Backend>,
    analysis: &'a Analysis,
    which: &StreamRef,
    expected_key: Option<&str>,
) -> anyhow::Result<&'a Entry> {
    let picked = match which {
        StreamRef::Number(n) => analysis.streams.iter().find(|e| e.number == *n),
        StreamRef::Id(prefix) if prefix.len() >= 4 => {
            let found: Vec<&Entry> = analysis
                .streams
                .iter()
                .filter(|e| e.stream.id.starts_with(prefix.as_str()))
                .collect();
            if found.len() > 1 {
                let ids: Vec<&str> = found.iter().map(|e| e.stream.id.as_str()).collect();
                return Err(UserError::usage(
                    "STREAM",
                    match ctx.lang {
                        Lang::Zh => {
                            format!("{prefix} 对应多个周期扣费：{}；请多写几位", ids.join("、"))
                        }
                        Lang::En => format!(
                            "{prefix} matches several streams: {}; give more of the id",
                            ids.join(", ")
                        ),
                    },
                ));
            }
            found.first().copied()
        }
        StreamRef::Id(_) => None,
    };
    let Some(entry) = picked else {
        let ids: Vec<String> = analysis
            .streams
            .iter()
            .take(8)
            .map(|e| format!("{} {}", e.stream.id, e.stream.merchant))
            .collect();
        let shown = match which {
            StreamRef::Number(n) => n.to_string(),
            StreamRef::Id(id) => id.clone(),
        };
        // A stream the ledger does not have is a record that does not exist (exit 1,
        // HTTP 404), as a membership or a case would be.
        return Err(UserError::not_found(match ctx.lang {
            Lang::Zh => format!(
                "没有 {shown:?} 这个周期扣费（id 至少写 4 位）；`tuiding streams` 列出了 {} 个：{}",
                analysis.streams.len(),
                ids.join("；")
            ),
            Lang::En => format!(
                "there is no stream {shown:?} (give 4 or more characters of an id); `tuiding streams` lists {}: {}",
                analysis.streams.len(),
                ids.join("; ")
            ),
        }));
    };
    match expected_key {
        Some(key) if key != entry.stream.key => Err(UserError::failure(ctx.t(
            "周期扣费列表已经变化（有新导入或已忽略的项）；请刷新后再选",
            "the list of streams changed meanwhile (an import or a dismissal); reload it and choose again",
        ))),
        _ => Ok(entry),
    }
}

/// A membership from a stream: the merchant, the item, the cadence, the latest price, the
/// first charge as the start, and the channel the charges came through.
fn membership_from(
    stream: &Stream,
    transactions: &[Transaction],
    category: Option<String>,
    lang: Lang,
) -> Membership {
    let last = &transactions[*stream.transactions.last().expect("streams have charges")];
    let trial = tuiding_bills::trial::trial_before(stream, transactions);
    let category = category.or_else(|| match stream.kind {
        Kind::Bill => Some(lang.pick("账单", "bills").to_string()),
        Kind::Transfer => Some(lang.pick("转账", "transfers").to_string()),
        _ => None,
    });
    let notes = match lang {
        Lang::Zh => format!(
            "由账单识别：{} 次扣费，{} 至 {}（{}）",
            stream.transactions.len(),
            stream.first_date,
            stream.last_date,
            last.method
        ),
        Lang::En => format!(
            "Found in bills: {} charges, {} to {} ({})",
            stream.transactions.len(),
            stream.first_date,
            stream.last_date,
            last.method
        ),
    };
    Membership {
        platform: stream.merchant.clone(),
        plan: stream.description.clone(),
        billing: Billing::Periodic(stream.frequency.period()),
        price: stream.last_amount,
        start: trial.map_or(stream.first_date, |t| t.started),
        paid_through: None,
        trial_until: trial.map(|t| t.converted),
        auto_renew: vec![AutoRenewContract {
            channel: channel_of(last),
            status: ContractStatus::Active,
        }],
        benefits: vec![],
        category,
        notes: Some(notes),
    }
}

fn alerts(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    analysis: &Analysis,
) -> anyhow::Result<Vec<Alert>> {
    let mut out = Vec::new();
    for entry in &analysis.streams {
        let (stream, Some(id)) = (&entry.stream, &entry.membership_id) else {
            continue;
        };
        let membership = match store.membership(*id) {
            Ok(stored) => stored.membership,
            Err(tuiding_store::StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e).localize(ctx.lang),
        };
        for late in
            charged_after_cancellation(&membership, &analysis.transactions, &stream.transactions)
        {
            let t = &analysis.transactions[late.transaction];
            out.push(Alert {
                kind: "charged_after_cancellation",
                membership_id: *id,
                platform: membership.platform.clone(),
                date: t.time.date(),
                amount: t.amount.amount_string(),
                currency: t.amount.currency().code(),
                display: t.amount.to_string(),
                channel_label: late.channel.label(ctx.lang),
                channel: late.channel.as_str(),
                closed_on: late.closed_on,
                source: t.source.as_str(),
                source_id: t.source_id.to_string(),
                line: t.line,
                fact: LateChargeFact {
                    date: t.time.date(),
                    amount: t.amount,
                    channel: late.channel,
                    closed_on: late.closed_on,
                },
            });
        }
    }
    out.sort_by_key(|a| a.date);
    Ok(out)
}

fn build_report(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    analysis: &Analysis,
) -> anyhow::Result<Report> {
    let alerts = alerts(ctx, store, analysis)?;
    Ok(Report {
        as_of: analysis.as_of,
        transactions_stored: analysis.transactions.len(),
        streams: analysis
            .streams
            .iter()
            .map(|e| Listed {
                number: e.number,
                key: e.stream.key.clone(),
                membership_id: e.membership_id,
                matches_membership: e.matches,
                stream: StreamView::new(&e.stream, &analysis.transactions),
            })
            .collect(),
        duplicate_charges: crate::bills::scan::duplicate_charges(
            &analysis
                .streams
                .iter()
                .map(|e| e.stream.clone())
                .collect::<Vec<_>>(),
            &analysis.transactions,
        ),
        alerts,
    })
}
