//! `tuiding streams`: recurring streams in everything imported, with alerts for charges
//! made after cancellation; `streams adopt N` makes one a membership, `streams dismiss N`
//! hides it for good.

use std::sync::{Arc, Mutex};

use clap::{Args, Subcommand};
use jiff::civil::Date;
use serde::Serialize;
use tuiding_bills::alerts::{channel_of, charged_after_cancellation};
use tuiding_bills::{Kind, Stream, Transaction, detect_streams};
use tuiding_core::complaint::LateChargeFact;
use tuiding_core::{AutoRenewContract, Billing, ContractStatus, Lang, Membership};
use tuiding_store::{SqliteStore, Store, StreamDecision};

use crate::cmd::scan::{StreamView, frequency_label};
use crate::cmd::show::print_membership;
use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::output::{self, Align, Cell, Table};

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding streams                 # 识别出的周期扣费 / the recurring streams
  tuiding streams adopt 2         # 把第 2 个记为会员 / make stream 2 a membership
  tuiding streams dismiss 5       # 不是订阅，不再显示 / not a subscription: never show it again
  tuiding streams --json";

/// Recurring streams over everything imported.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct StreamsArgs {
    #[command(subcommand)]
    pub action: Option<StreamsAction>,
}

/// What to do with a stream.
#[derive(Debug, Subcommand)]
pub enum StreamsAction {
    /// 记为会员 / Create a membership from a stream (number from `tuiding streams`)
    Adopt {
        /// 编号 / The stream's number in the listing
        number: usize,
        /// 类别 / Category for the new membership
        #[arg(long)]
        category: Option<String>,
    },
    /// 不是订阅 / Remember that a stream is not a subscription
    Dismiss {
        /// 编号 / The stream's number in the listing
        number: usize,
    },
}

/// One stream as listed: its number is what `adopt N` and `dismiss N` take.
#[derive(Serialize)]
pub struct Listed {
    pub number: usize,
    pub key: String,
    /// The membership made from it, if adopted.
    pub membership_id: Option<i64>,
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

/// Charges after cancellation in everything imported, for every adopted membership.
pub fn charge_alerts(ctx: &Ctx, store: &impl Store) -> anyhow::Result<Vec<Alert>> {
    alerts(ctx, store, &analyse(ctx, store)?)
}

/// Everything imported: the streams found (minus dismissed ones) and the alerts.
#[derive(Serialize)]
pub struct Report {
    pub as_of: Date,
    pub transactions_stored: usize,
    pub streams: Vec<Listed>,
    pub alerts: Vec<Alert>,
}

/// What `streams dismiss` hid.
#[derive(Serialize)]
pub struct Dismissed {
    #[serde(rename = "dismissed")]
    pub key: String,
    #[serde(skip)]
    pub merchant: String,
    #[serde(skip)]
    pub description: String,
}

/// The streams in everything imported (`tuiding streams`).
pub fn report(ctx: &Ctx, store: &impl Store) -> anyhow::Result<Report> {
    let analysis = analyse(ctx, store)?;
    build_report(ctx, store, &analysis)
}

/// Adopts stream `number` as a membership, with the price changes its charges show;
/// returns the new membership's id. With `expected_key` (a form or API client that listed
/// the streams), a list that changed meanwhile is refused rather than adopting another one.
pub fn adopt(
    ctx: &Ctx,
    store: &mut SqliteStore,
    number: usize,
    category: Option<String>,
    expected_key: Option<&str>,
) -> anyhow::Result<i64> {
    let analysis = analyse(ctx, store)?;
    let (stream, adopted) = pick(ctx, &analysis, number, expected_key)?;
    if let Some(id) = adopted {
        return Err(UserError::failure(match ctx.lang {
            Lang::Zh => format!("第 {number} 个已经记为会员 #{id}"),
            Lang::En => format!("stream {number} is already membership #{id}"),
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
}

/// Hides stream `number` from now on (`expected_key` as for [`adopt`]).
pub fn dismiss(
    ctx: &Ctx,
    store: &mut SqliteStore,
    number: usize,
    expected_key: Option<&str>,
) -> anyhow::Result<Dismissed> {
    let analysis = analyse(ctx, store)?;
    let (stream, _) = pick(ctx, &analysis, number, expected_key)?;
    store.dismiss_stream(&stream.key).localize(ctx.lang)?;
    Ok(Dismissed {
        key: stream.key.clone(),
        merchant: stream.merchant.clone(),
        description: stream.description.clone(),
    })
}

struct Analysis {
    transactions: Arc<Vec<Transaction>>,
    as_of: Date,
    /// Not dismissed, in listing order, with the membership they were adopted as.
    streams: Vec<(Stream, Option<i64>)>,
}

/// Detection of one data dir's bills: the transactions and the streams found.
struct Detected {
    key: (std::path::PathBuf, (i64, i64), Date),
    transactions: Arc<Vec<Transaction>>,
    streams: Vec<Stream>,
}

/// The last detection, for a long-running process (the web app): reading and detecting
/// 100,000 transactions takes a quarter of a second, and the result only changes when an
/// import adds transactions (the store's fingerprint) or the as-of day moves.
static DETECTED: Mutex<Option<Arc<Detected>>> = Mutex::new(None);

fn detected(ctx: &Ctx, store: &impl Store) -> anyhow::Result<Arc<Detected>> {
    let as_of = store
        .bills_period_end()
        .localize(ctx.lang)?
        .unwrap_or(ctx.today);
    let key = (
        ctx.data_dir()?,
        store.bills_fingerprint().localize(ctx.lang)?,
        as_of,
    );
    let mut cache = DETECTED.lock().unwrap_or_else(|p| p.into_inner());
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

fn analyse(ctx: &Ctx, store: &impl Store) -> anyhow::Result<Analysis> {
    let detected = detected(ctx, store)?;
    let as_of = detected.key.2;
    let transactions = detected.transactions.clone();
    let decisions = store.stream_decisions().localize(ctx.lang)?;
    let streams = detected
        .streams
        .iter()
        .cloned()
        .filter_map(|s| match decisions.iter().find(|d| d.key() == s.key) {
            Some(StreamDecision::Dismissed { .. }) => None,
            Some(StreamDecision::Adopted { membership_id, .. }) => Some((s, *membership_id)),
            None => Some((s, None)),
        })
        .collect();
    Ok(Analysis {
        transactions,
        as_of,
        streams,
    })
}

impl StreamsArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let mut store = ctx.open_store()?;
        match &self.action {
            None => list(ctx, &store),
            Some(StreamsAction::Adopt { number, category }) => {
                let id = adopt(ctx, &mut store, *number, category.clone(), None)?;
                if !ctx.json {
                    output::line(format!(
                        "{} #{id}",
                        ctx.t("已记为会员", "Adopted as membership")
                    ))?;
                }
                print_membership(ctx, &store, &store.membership(id).localize(ctx.lang)?)
            }
            Some(StreamsAction::Dismiss { number }) => {
                let gone = dismiss(ctx, &mut store, *number, None)?;
                if ctx.json {
                    return output::print_json(&gone);
                }
                output::line(match ctx.lang {
                    Lang::Zh => format!(
                        "已忽略 {}（{}），以后不再显示",
                        gone.merchant, gone.description
                    ),
                    Lang::En => format!(
                        "Dismissed {} ({}); it will not be shown again",
                        gone.merchant, gone.description
                    ),
                })
            }
        }
    }
}

fn pick<'a>(
    ctx: &Ctx,
    analysis: &'a Analysis,
    number: usize,
    expected_key: Option<&str>,
) -> anyhow::Result<&'a (Stream, Option<i64>)> {
    let picked = pick_number(ctx, analysis, number)?;
    match expected_key {
        Some(key) if key != picked.0.key => Err(UserError::failure(ctx.t(
            "周期扣费列表已经变化（有新导入或已忽略的项）；请刷新后再选",
            "the list of streams changed meanwhile (an import or a dismissal); reload it and choose again",
        ))),
        _ => Ok(picked),
    }
}

fn pick_number<'a>(
    ctx: &Ctx,
    analysis: &'a Analysis,
    number: usize,
) -> anyhow::Result<&'a (Stream, Option<i64>)> {
    analysis.streams.get(number.wrapping_sub(1)).ok_or_else(|| {
        UserError::usage(
            "N",
            match ctx.lang {
                Lang::Zh => format!(
                    "没有第 {number} 个周期扣费；`tuiding streams` 列出了 {} 个",
                    analysis.streams.len()
                ),
                Lang::En => format!(
                    "there is no stream {number}; `tuiding streams` lists {}",
                    analysis.streams.len()
                ),
            },
        )
    })
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

fn alerts(ctx: &Ctx, store: &impl Store, analysis: &Analysis) -> anyhow::Result<Vec<Alert>> {
    let mut out = Vec::new();
    for (stream, membership_id) in &analysis.streams {
        let Some(id) = membership_id else { continue };
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

fn build_report(ctx: &Ctx, store: &impl Store, analysis: &Analysis) -> anyhow::Result<Report> {
    let alerts = alerts(ctx, store, analysis)?;
    Ok(Report {
        as_of: analysis.as_of,
        transactions_stored: analysis.transactions.len(),
        streams: analysis
            .streams
            .iter()
            .enumerate()
            .map(|(i, (s, membership_id))| Listed {
                number: i + 1,
                key: s.key.clone(),
                membership_id: *membership_id,
                stream: StreamView::new(s, &analysis.transactions),
            })
            .collect(),
        alerts,
    })
}

fn list(ctx: &Ctx, store: &impl Store) -> anyhow::Result<()> {
    let report = report(ctx, store)?;
    if ctx.json {
        return output::print_json(&report);
    }
    let lang = ctx.lang;
    if report.transactions_stored == 0 {
        return output::line(ctx.t(
            "还没有导入账单。用 `tuiding import 账单.csv` 导入支付宝或微信支付账单。",
            "No bills imported yet. Import an Alipay or WeChat Pay export with `tuiding import FILE`.",
        ));
    }
    let mut out = vec![match lang {
        Lang::Zh => format!(
            "已导入 {} 笔交易，截至 {}：",
            report.transactions_stored, report.as_of
        ),
        Lang::En => format!(
            "{} transactions imported, as of {}:",
            report.transactions_stored, report.as_of
        ),
    }];
    let mut table = Table::new(
        &[
            lang.pick("编号", "#"),
            lang.pick("商户", "merchant"),
            lang.pick("项目", "item"),
            lang.pick("周期", "every"),
            lang.pick("最近金额", "last"),
            lang.pick("最近扣费", "last date"),
            lang.pick("下次", "next"),
            lang.pick("状态", "status"),
            lang.pick("会员", "membership"),
        ],
        &[
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
        ],
    );
    for listed in &report.streams {
        let s = &listed.stream;
        let active = listed.stream.status == "active";
        let dim = (!active).then_some(output::DIM);
        table.row(vec![
            Cell::styled(listed.number.to_string(), dim),
            Cell::styled(s.merchant.clone(), dim),
            Cell::styled(s.description.clone(), dim),
            Cell::styled(frequency_label(listed.stream.frequency, lang), dim),
            Cell::styled(s.last_display.clone(), dim),
            Cell::styled(s.last_date.to_string(), dim),
            Cell::styled(
                s.next_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into()),
                dim,
            ),
            Cell::styled(
                if active {
                    lang.pick("扣费中", "active")
                } else {
                    lang.pick("已停止", "ended")
                },
                dim,
            ),
            Cell::styled(
                listed
                    .membership_id
                    .map(|id| format!("#{id}"))
                    .unwrap_or_default(),
                dim,
            ),
        ]);
    }
    out.push(table.render(ctx.color).trim_end().to_string());
    if !report.alerts.is_empty() {
        out.push(String::new());
        out.push(output::paint(
            lang.pick(
                "⚠ 退订后仍被扣费（可作为证据）：",
                "⚠ Charged after cancellation (evidence):",
            ),
            Some(output::RED),
            ctx.color,
        ));
        for a in &report.alerts {
            out.push(match lang {
                Lang::Zh => format!(
                    "  #{} {}：{} 扣款 {}（经 {}，该渠道已于 {} 关闭），账单行：{} 第 {} 行，交易号 {}",
                    a.membership_id, a.platform, a.date, a.display, a.channel_label, a.closed_on, a.source, a.line, a.source_id
                ),
                Lang::En => format!(
                    "  #{} {}: {} charged {} via {} (closed {}); bill row: {} line {}, id {}",
                    a.membership_id, a.platform, a.date, a.display, a.channel_label, a.closed_on, a.source, a.line, a.source_id
                ),
            });
        }
    }
    out.push(String::new());
    out.push(ctx.t(
        "`tuiding streams adopt 编号` 记为会员；`tuiding streams dismiss 编号` 忽略。",
        "`tuiding streams adopt N` makes one a membership; `tuiding streams dismiss N` hides it.",
    ).to_string());
    output::line(out.join("\n"))
}
