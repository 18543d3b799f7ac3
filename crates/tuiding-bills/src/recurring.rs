//! Recurring-charge detection: which charges in the bills repeat on a calendar cadence.
//!
//! 1. **Charges only**: money out, paid (closed orders, refund rows, income and neutral
//!    moves never count). A refunded or duplicated charge stays in its stream: it was
//!    charged by that subscription, and it is evidence.
//! 2. **Groups**: charges with the same normalised item at the same merchant. A brand's
//!    rows that arrive under its company name (深圳市腾讯计算机系统有限公司 vs 腾讯视频) join
//!    the brand's group when they share the item; one platform (the App Store) carrying
//!    several subscriptions stays split by item.
//! 3. **Cadence**: each group is fitted against weekly, biweekly, monthly, quarterly,
//!    semiannual and yearly schedules **anchored** on its first charge (shifted by the
//!    median drift), so month ends stay month ends and a few days of drift, a duplicate
//!    charge or one missed period are tolerated. The best fit wins; a group that fits
//!    nothing is not a stream, which is what keeps coffee, lunch and metro rides out.
//!    When a group fits nothing as a whole, each price line is tried on its own, and two
//!    price tiers that interleave at one merchant become two streams.
//! 4. **Status and next date** are judged against the export's end, not today: a stream is
//!    active when its last charge is within 1.5 periods of that end, and its next date is
//!    the anchored schedule's next boundary after the last charge.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::fxhash::FxBuild;
use std::sync::OnceLock;
use tuiding_core::transaction::Source;

use jiff::ToSpan;
use jiff::civil::Date;
use tuiding_core::{Money, Period, Rounding};

use tuiding_core::transaction::Transaction;

/// How often a stream charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    /// Every 7 days.
    Weekly,
    /// Every 14 days.
    Biweekly,
    /// Every calendar month.
    Monthly,
    /// Every 3 months.
    Quarterly,
    /// Every 6 months.
    Semiannual,
    /// Every year.
    Yearly,
}

impl Frequency {
    const ALL: [Frequency; 6] = [
        Frequency::Weekly,
        Frequency::Biweekly,
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::Semiannual,
        Frequency::Yearly,
    ];

    /// `weekly`, `biweekly`, `monthly`, `quarterly`, `semiannual`, `yearly`.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Biweekly => "biweekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Semiannual => "semiannual",
            Frequency::Yearly => "yearly",
        }
    }

    /// The billing period (for adopting a stream as a membership).
    pub fn period(self) -> Period {
        match self {
            Frequency::Weekly => Period::week(),
            Frequency::Biweekly => Period::Weeks(2),
            Frequency::Monthly => Period::month(),
            Frequency::Quarterly => Period::quarter(),
            Frequency::Semiannual => Period::half_year(),
            Frequency::Yearly => Period::year(),
        }
    }

    fn nominal_days(self) -> i64 {
        match self {
            Frequency::Weekly => 7,
            Frequency::Biweekly => 14,
            Frequency::Monthly => 30,
            Frequency::Quarterly => 91,
            Frequency::Semiannual => 182,
            Frequency::Yearly => 365,
        }
    }

    /// How far a charge may drift from its anchored date, in days.
    fn tolerance(self) -> i64 {
        match self {
            Frequency::Weekly => 1,
            Frequency::Biweekly => 2,
            Frequency::Monthly => 4,
            Frequency::Quarterly => 7,
            Frequency::Semiannual => 10,
            Frequency::Yearly => 15,
        }
    }

    /// The fewest charges that can establish the cadence: short cadences need more
    /// repetitions; long ones need the wording of a membership as well when seen twice.
    fn min_charges(self, worded: bool) -> usize {
        match (self, worded) {
            (Frequency::Weekly | Frequency::Biweekly, _) => 4,
            (Frequency::Monthly, _) => 3,
            (Frequency::Quarterly, true) => 2,
            (Frequency::Semiannual | Frequency::Yearly, true) => 2,
            (_, false) => 3,
        }
    }
}

/// What a stream pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A membership or subscription.
    Subscription,
    /// A utility or service bill (物业, 电费, 话费 …).
    Bill,
    /// A transfer to a person (rent …).
    Transfer,
    /// Recurring, but none of the above.
    Other,
}

impl Kind {
    /// `subscription`, `bill`, `transfer` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Subscription => "subscription",
            Kind::Bill => "bill",
            Kind::Transfer => "transfer",
            Kind::Other => "other",
        }
    }
}

/// Whether a stream still charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamStatus {
    /// Charged within about 1.5 periods of the export's end.
    Active,
    /// No charge for longer than that.
    Ended,
}

impl StreamStatus {
    /// `active` or `ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamStatus::Active => "active",
            StreamStatus::Ended => "ended",
        }
    }
}

/// One recurring stream of charges.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// A short stable id (12 hex digits) derived from what the stream is — its key and
    /// frequency — so it names the same stream in every listing, whatever else changes.
    pub id: String,
    /// A stable identity: merchant and normalised item (and the price line when one
    /// merchant's item holds several), for remembering decisions about the stream.
    pub key: String,
    /// The merchant (brand when known).
    pub merchant: String,
    /// The most common item text.
    pub description: String,
    /// The cadence.
    pub frequency: Frequency,
    /// What it pays for.
    pub kind: Kind,
    /// Mean charge, rounded half-up to the fen.
    pub average_amount: Money,
    /// The latest charge.
    pub last_amount: Money,
    /// The first charge's date.
    pub first_date: Date,
    /// The latest charge's date.
    pub last_date: Date,
    /// The next charge on the anchored schedule (active streams only).
    pub next_date: Option<Date>,
    /// Active or ended, judged at the export's end.
    pub status: StreamStatus,
    /// 0–1: how sure the detector is.
    pub confidence: f64,
    /// Indices into the transactions given, in date order.
    pub transactions: Vec<usize>,
    /// The most common payment method (for guessing the auto-renew channel).
    pub method: String,
    /// Extra charges: a second (third …) charge within one period of the schedule, not
    /// refunded — money to claim back. Indices into the transactions given.
    pub duplicates: Vec<usize>,
    /// For each of `duplicates`, the earlier charge of the same period.
    pub duplicate_partners: Vec<usize>,
}

/// The id of a stream: FNV-1a (64-bit) of its key and frequency, as 12 hex digits.
pub fn stream_id(key: &str, frequency: Frequency) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes().chain(*b"|").chain(frequency.as_str().bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:012x}", hash >> 16)
}

/// Finds the recurring streams among `transactions`, judging status at `as_of` (the
/// export's end date).
pub fn detect_streams(transactions: &[Transaction], as_of: Date) -> Vec<Stream> {
    let charges: Vec<usize> = (0..transactions.len())
        .filter(|&i| transactions[i].is_charge())
        .collect();
    let facts = Facts::new(transactions);
    let charges = without_wallet_duplicates(transactions, &facts, charges);
    let mut streams = Vec::new();
    for (key, members) in group(transactions, &facts, &charges) {
        streams.extend(streams_in_group(
            transactions,
            &facts,
            &key,
            &members,
            as_of,
        ));
    }
    // A double charge is settled when either charge of the pair was refunded, or when money
    // of the same amount came back from the same merchant afterwards (a refund in a later
    // export, a card credit): only the others are money to claim.
    if streams.iter().all(|s| s.duplicates.is_empty()) {
        return sorted(streams);
    }
    let refunded: std::collections::HashSet<&str> = transactions
        .iter()
        .filter_map(|t| t.refund_of.as_deref())
        .collect();
    let mut money_back: HashMap<(&str, i64), Vec<i64>, FxBuild> = HashMap::default();
    for (i, t) in transactions.iter().enumerate() {
        if t.status == tuiding_core::transaction::TxStatus::Refund
            || t.direction == tuiding_core::transaction::Direction::In
        {
            money_back
                .entry((&*t.counterparty, facts.fen[i]))
                .or_default()
                .push(facts.day[i]);
        }
    }
    for stream in &mut streams {
        let pairs: Vec<(usize, usize)> = stream
            .duplicates
            .iter()
            .copied()
            .zip(stream.duplicate_partners.iter().copied())
            .filter(|&(dup, partner)| {
                let t = &transactions[dup];
                let settled = refunded.contains(&*t.source_id)
                    || refunded.contains(&*transactions[partner].source_id)
                    || money_back
                        .get(&(&*t.counterparty, facts.fen[dup]))
                        .is_some_and(|days| days.iter().any(|&d| d >= facts.day[dup]));
                !settled
            })
            .collect();
        (stream.duplicates, stream.duplicate_partners) = pairs.into_iter().unzip();
    }
    sorted(streams)
}

/// Latest charge first, then by merchant.
fn sorted(mut streams: Vec<Stream>) -> Vec<Stream> {
    streams.sort_by(|a, b| {
        b.last_date
            .cmp(&a.last_date)
            .then_with(|| a.merchant.cmp(&b.merchant))
    });
    streams
}

/// The few numbers the detector reads again and again, laid out densely (16 bytes a
/// transaction instead of a whole `Transaction`), so a million rows stay in cache-friendly
/// arrays: the day, the time as seconds, and the amount in fen.
struct Facts {
    day: Vec<i64>,
    stamp: Vec<i64>,
    fen: Vec<i64>,
}

impl Facts {
    fn new(transactions: &[Transaction]) -> Facts {
        let mut facts = Facts {
            day: Vec::with_capacity(transactions.len()),
            stamp: Vec::with_capacity(transactions.len()),
            fen: Vec::with_capacity(transactions.len()),
        };
        for t in transactions {
            let day = day_number(t.time.date());
            let seconds = i64::from(t.time.hour()) * 3600
                + i64::from(t.time.minute()) * 60
                + i64::from(t.time.second());
            facts.day.push(day);
            facts.stamp.push(day * 86_400 + seconds);
            facts.fen.push(t.amount.minor_units());
        }
        facts
    }
}

/// Drops the bank-card lines that only repeat a wallet payment already read from the
/// wallet's own export (`支付宝-…` on the card statement for an Alipay charge of the same
/// amount, posted within three days): the same payment counts once.
fn without_wallet_duplicates(
    transactions: &[Transaction],
    facts: &Facts,
    charges: Vec<usize>,
) -> Vec<usize> {
    let wallet_of = |t: &Transaction| match (t.source, &*t.method) {
        (Source::Bank, "支付宝") => Some(Source::Alipay),
        (Source::Bank, "财付通") => Some(Source::WechatPay),
        _ => None,
    };
    if !charges
        .iter()
        .any(|&i| wallet_of(&transactions[i]).is_some())
    {
        return charges;
    }
    // Wallet charges by (wallet, amount): how many on each day, so a card line finds one
    // within three days in O(log n) however many charges share the amount.
    let mut paid: HashMap<(Source, i64), BTreeMap<i64, u32>, FxBuild> = HashMap::default();
    for &i in &charges {
        let t = &transactions[i];
        if t.source != Source::Bank {
            *paid
                .entry((t.source, facts.fen[i]))
                .or_default()
                .entry(facts.day[i])
                .or_default() += 1;
        }
    }
    charges
        .into_iter()
        .filter(|&i| {
            let Some(wallet) = wallet_of(&transactions[i]) else {
                return true;
            };
            let Some(days) = paid.get_mut(&(wallet, facts.fen[i])) else {
                return true;
            };
            let day = facts.day[i];
            let Some((&found, _)) = days.range(day - 3..=day + 3).next() else {
                return true;
            };
            let count = days.get_mut(&found).expect("found above");
            *count -= 1;
            if *count == 0 {
                days.remove(&found);
            }
            false
        })
        .collect()
}

/// Company → brand, from `data/merchants.tsv`.
fn aliases() -> &'static HashMap<&'static str, &'static str> {
    static ALIASES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    ALIASES.get_or_init(|| {
        include_str!("../../../data/merchants.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(company, brand)| (company.trim(), brand.trim()))
            .collect()
    })
}

fn is_company(name: &str) -> bool {
    ["有限公司", "公司", "集团", "Co.", "Ltd", "Inc"]
        .iter()
        .any(|w| name.contains(w))
}

/// The item text without order numbers and padding: `美团订单-123456789` → `美团订单-#`.
fn normalize_item(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.chars().count() >= 5 {
            out.push('#');
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for ch in text.trim().chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            flush(&mut digits, &mut out);
            if !ch.is_whitespace() {
                out.push(ch);
            }
        }
    }
    flush(&mut digits, &mut out);
    if out.is_empty() || out == "/" {
        String::new()
    } else {
        out
    }
}

/// Groups charges by (merchant, item); company-named rows join the brand sharing their item.
fn group(
    transactions: &[Transaction],
    facts: &Facts,
    charges: &[usize],
) -> Vec<(String, Vec<usize>)> {
    // By counterparty and item as written. Parsing shares equal text, so the pair of
    // pointers identifies the pair of strings within one export: hashing two addresses is
    // much cheaper than hashing the text (equal text from another export lands in another
    // bucket here and is merged by text below).
    let mut raw: HashMap<(usize, usize), Vec<usize>, FxBuild> = HashMap::default();
    for &i in charges {
        let t = &transactions[i];
        let key = (
            Arc::as_ptr(&t.counterparty) as *const u8 as usize,
            Arc::as_ptr(&t.description) as *const u8 as usize,
        );
        raw.entry(key).or_default().push(i);
    }
    // Then by normalised item; company-named rows join the brand sharing their item.
    let mut by_item: HashMap<(&str, String), Vec<usize>, FxBuild> = HashMap::default();
    for members in raw.into_values() {
        let t = &transactions[members[0]];
        by_item
            .entry((t.counterparty.trim(), normalize_item(&t.description)))
            .or_default()
            .extend(members);
    }
    let mut brand_of_item: HashMap<&str, (&str, usize)> = HashMap::new();
    for ((cp, item), members) in &by_item {
        if is_company(cp) {
            continue;
        }
        let best = brand_of_item.entry(item.as_str()).or_insert((cp, 0));
        if members.len() > best.1 || (members.len() == best.1 && *cp < best.0) {
            *best = (cp, members.len());
        }
    }
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for ((cp, item), members) in &by_item {
        // A membership's wording is specific enough that the same item under two names is
        // one merchant (a brand renamed, or two spellings of it): join the brand's group.
        let worded = has_any(item, SUBSCRIPTION_WORDS) || has_any(item, RENEWAL_WORDS);
        let merchant = if is_company(cp) || worded {
            brand_of_item
                .get(item.as_str())
                .map(|(brand, _)| brand.to_string())
                .or_else(|| aliases().get(cp).map(|b| b.to_string()))
                .unwrap_or_else(|| cp.to_string())
        } else {
            cp.to_string()
        };
        groups
            .entry((merchant, item.clone()))
            .or_default()
            .extend(members);
    }
    groups
        .into_iter()
        .map(|((merchant, item), mut members)| {
            sort_by_time(facts, &mut members);
            (format!("{merchant}|{item}"), members)
        })
        .collect()
}

/// Orders a group's charges by time (ties by index, i.e. file order).
fn sort_by_time(facts: &Facts, members: &mut [usize]) {
    members.sort_by_key(|&i| (facts.stamp[i], i));
}

/// How well a series of dates follows one cadence.
#[derive(Debug, Clone, Copy)]
struct Fit {
    frequency: Frequency,
    anchor: Date,
    /// Index of the last charge's period on the anchored schedule.
    last_index: i64,
    bad: usize,
    misses: i64,
    dups: usize,
    mean_dev: f64,
}

impl Fit {
    fn cost(&self) -> f64 {
        self.bad as f64 * 3.0
            + self.misses as f64 * 2.0
            + self.dups as f64
            + self.mean_dev / self.frequency.tolerance() as f64
    }
}

fn days(a: Date, b: Date) -> i64 {
    day_number(b) - day_number(a)
}

/// Days since 1970-01-01 (the civil-from-days algorithm of H. Hinnant): plain integer
/// arithmetic, much cheaper than calendar spans in the detector's inner loops.
fn day_number(d: Date) -> i64 {
    let (month, day) = (i64::from(d.month()), i64::from(d.day()));
    let year = i64::from(d.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A quick look at the gaps between charges before the full anchored fit: most gaps must
/// be about one or two periods (or a same-day duplicate). Cheap, and it never rejects a
/// series the full fit would accept, since that allows far fewer stray gaps.
fn plausible(days: &[i64], frequency: Frequency) -> bool {
    let nominal = frequency.nominal_days();
    // Month lengths vary: widen the window for calendar-month cadences.
    let slack = frequency.tolerance()
        + match frequency {
            Frequency::Weekly | Frequency::Biweekly => 0,
            Frequency::Monthly => 2,
            Frequency::Quarterly => 3,
            Frequency::Semiannual => 4,
            Frequency::Yearly => 2,
        };
    let gaps = days.len().saturating_sub(1);
    let fitting = days
        .windows(2)
        .filter(|w| {
            let gap = w[1] - w[0];
            gap <= 3 || (1..=2).any(|k| (gap - k * nominal).abs() <= slack * k)
        })
        .count();
    fitting * 10 >= gaps * 7
}

/// The schedule index nearest to `date` and its deviation in days.
fn nearest(period: Period, anchor: Date, nominal: i64, date: Date) -> Option<(i64, i64)> {
    let estimate = (days(anchor, date) as f64 / nominal as f64).round() as i64;
    (estimate - 1..=estimate + 1)
        .filter_map(|k| period.boundary(anchor, k).ok().map(|b| (k, days(b, date))))
        .min_by_key(|(_, dev)| dev.abs())
}

fn fit(dates: &[Date], frequency: Frequency) -> Option<Fit> {
    let period = frequency.period();
    let nominal = frequency.nominal_days();
    let tolerance = frequency.tolerance();
    let first = *dates.first()?;
    // Anchor on the first charge, then shift by the median drift so that one early or
    // late first charge does not skew the whole schedule.
    let mut devs: Vec<i64> = dates
        .iter()
        .filter_map(|&d| nearest(period, first, nominal, d).map(|(_, dev)| dev))
        .collect();
    devs.sort_unstable();
    let shift = devs.get(devs.len() / 2).copied().unwrap_or(0);
    let anchor = first.checked_add(shift.days()).ok()?;
    let mut bad = 0;
    let mut misses = 0;
    let mut dups = 0;
    let mut dev_sum = 0;
    let mut previous: Option<(i64, Date)> = None;
    for &date in dates {
        let (k, dev) = nearest(period, anchor, nominal, date)?;
        dev_sum += dev.abs();
        if dev.abs() > tolerance {
            bad += 1;
        }
        if let Some((pk, pdate)) = previous {
            match k - pk {
                0 if days(pdate, date) <= 3 => dups += 1,
                0 => bad += 1,
                1 => {}
                step if step > 1 => misses += step - 1,
                _ => bad += 1,
            }
        }
        previous = Some((k, date));
    }
    let n = dates.len();
    let (last_index, _) = previous?;
    let spanned = last_index - nearest(period, anchor, nominal, first)?.0 + 1;
    let allowed_bad = n / 10;
    let allowed_dups = (n / 8).max(1);
    let allowed_misses = (spanned / 6).max(1);
    if bad > allowed_bad || dups > allowed_dups || misses > allowed_misses {
        return None;
    }
    Some(Fit {
        frequency,
        anchor,
        last_index,
        bad,
        misses,
        dups,
        mean_dev: dev_sum as f64 / n as f64,
    })
}

fn best_fit(
    transactions: &[Transaction],
    facts: &Facts,
    members: &[usize],
    worded: bool,
) -> Option<Fit> {
    let n = members.len() as i64;
    let day_numbers: Vec<i64> = members.iter().map(|&i| facts.day[i]).collect();
    let span = match (day_numbers.first(), day_numbers.last()) {
        (Some(&first), Some(&last)) => last - first,
        _ => return None,
    };
    let candidates: Vec<Frequency> = Frequency::ALL
        .iter()
        .copied()
        .filter(|f| members.len() >= f.min_charges(worded))
        // More charges than periods (plus a few duplicates) cannot be this cadence: skip
        // the fit, which is what keeps large groups of everyday purchases cheap.
        .filter(|f| n <= (span / f.nominal_days() + 1) * 5 / 4 + 2)
        .filter(|&f| plausible(&day_numbers, f))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let dates: Vec<Date> = members
        .iter()
        .map(|&i| transactions[i].time.date())
        .collect();
    candidates
        .into_iter()
        .filter_map(|f| fit(&dates, f))
        .min_by(|a, b| a.cost().total_cmp(&b.cost()))
}

const SUBSCRIPTION_WORDS: &[&str] = &[
    "会员",
    "VIP",
    "vip",
    "Vip",
    "连续包",
    "包月",
    "包年",
    "包季",
    "订阅",
    "月卡",
    "年卡",
    "季卡",
    "iCloud",
    "Apple Music",
    "Plus",
    "Premium",
    "网盘",
    "大会员",
    "超级",
];
const BILL_WORDS: &[&str] = &[
    "物业", "电费", "水费", "燃气", "话费", "宽带", "缴费", "充值", "代扣", "保险", "供暖", "停车",
];
const RENEWAL_WORDS: &[&str] = &["自动续费", "续费", "扣费", "自动扣款"];

fn has_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

fn classify(t: &Transaction) -> Kind {
    let text = format!("{} {}", t.description, t.counterparty);
    let to_person = t.counterparty.contains('*') && !is_company(&t.counterparty);
    if t.category.contains("转账") || t.description.contains("转账") || to_person {
        Kind::Transfer
    } else if has_any(&text, SUBSCRIPTION_WORDS) {
        Kind::Subscription
    } else if has_any(&text, BILL_WORDS) {
        Kind::Bill
    } else if has_any(&text, RENEWAL_WORDS) {
        Kind::Subscription
    } else {
        Kind::Other
    }
}

fn streams_in_group(
    transactions: &[Transaction],
    facts: &Facts,
    key: &str,
    members: &[usize],
    as_of: Date,
) -> Vec<Stream> {
    let sample = &transactions[members[0]];
    let kind = classify(sample);
    let worded = kind != Kind::Other;
    let whole = best_fit(transactions, facts, members, worded);
    let lines = price_lines(facts, members);
    // Two tiers at one merchant charged on interleaved days look like a faster cadence
    // as a whole; prefer the split when every price line has a slower cadence of its own.
    if lines.len() > 1 {
        let fits: Vec<Option<Fit>> = lines
            .iter()
            .map(|line| best_fit(transactions, facts, line, worded))
            .collect();
        let all_fit = fits.iter().all(Option::is_some);
        let slower = |f: &Option<Fit>| match (f, &whole) {
            (Some(part), Some(w)) => part.frequency > w.frequency,
            (Some(_), None) => true,
            _ => false,
        };
        if (all_fit && fits.iter().all(slower))
            || (whole.is_none() && fits.iter().any(Option::is_some))
        {
            return lines
                .iter()
                .zip(fits)
                .filter_map(|(line, f)| {
                    let min = line.iter().map(|&i| facts.fen[i]).min().unwrap_or(0);
                    f.map(|f| build(transactions, format!("{key}|{min}"), line, f, kind, as_of))
                })
                .filter(|s| kind != Kind::Other || stable_amounts(facts, &s.transactions))
                .collect();
        }
    }
    match whole {
        Some(f) if kind != Kind::Other || stable_amounts(facts, members) => {
            vec![build(
                transactions,
                key.to_string(),
                members,
                f,
                kind,
                as_of,
            )]
        }
        _ => Vec::new(),
    }
}

/// Splits a group by price: charges within 10% of each other belong to one line.
fn price_lines(facts: &Facts, members: &[usize]) -> Vec<Vec<usize>> {
    let mut amounts: Vec<i64> = members.iter().map(|&i| facts.fen[i]).collect();
    amounts.sort_unstable();
    amounts.dedup();
    let mut centres: Vec<i64> = Vec::new();
    for a in amounts {
        match centres.last() {
            Some(&c) if a * 10 <= c * 11 => {}
            _ => centres.push(a),
        }
    }
    if centres.len() < 2 {
        return vec![members.to_vec()];
    }
    let mut lines: Vec<Vec<usize>> = vec![Vec::new(); centres.len()];
    for &i in members {
        let a = facts.fen[i];
        let line = centres.iter().rposition(|&c| c <= a).unwrap_or(0);
        lines[line].push(i);
    }
    lines.retain(|l| !l.is_empty());
    lines
}

/// Without a membership's wording, a cadence alone is not enough: the price must hold too
/// (80% of charges within 10% of the median), as for a fixed transfer.
fn stable_amounts(facts: &Facts, members: &[usize]) -> bool {
    let mut amounts: Vec<i64> = members.iter().map(|&i| facts.fen[i]).collect();
    amounts.sort_unstable();
    let median = amounts[amounts.len() / 2];
    let close = amounts
        .iter()
        .filter(|&&a| (a - median).abs() * 10 <= median)
        .count();
    close * 5 >= amounts.len() * 4 && members.len() >= 4
}

fn build(
    transactions: &[Transaction],
    key: String,
    members: &[usize],
    f: Fit,
    kind: Kind,
    as_of: Date,
) -> Stream {
    let first = &transactions[members[0]];
    let last = &transactions[*members.last().expect("a stream has charges")];
    let currency = last.amount.currency();
    let total: i64 = members
        .iter()
        .map(|&i| transactions[i].amount.minor_units())
        .sum();
    let average = Money::from_minor(total, currency)
        .mul_ratio(1, members.len() as i64, Rounding::HalfUp)
        .unwrap_or(last.amount);
    let last_date = last.time.date();
    let active = days(last_date, as_of) * 2 <= f.frequency.nominal_days() * 3;
    let next_date = if active {
        f.frequency
            .period()
            .boundary(f.anchor, f.last_index + 1)
            .ok()
    } else {
        None
    };
    let n = members.len() as f64;
    let mut confidence = 0.55 + (n.min(12.0) / 12.0) * 0.3
        - f.bad as f64 * 0.05
        - f.misses as f64 * 0.03
        - f.dups as f64 * 0.02
        - (f.mean_dev / f.frequency.tolerance() as f64) * 0.05;
    if kind != Kind::Other {
        confidence += 0.1;
    }
    let confidence = (confidence.clamp(0.3, 0.99) * 100.0).round() / 100.0;
    let (duplicates, duplicate_partners) = extra_charges(transactions, members, &f);
    Stream {
        id: stream_id(&key, f.frequency),
        duplicates,
        duplicate_partners,
        key,
        merchant: display_merchant(transactions, members),
        description: most_common(members.iter().map(|&i| &*transactions[i].description)),
        frequency: f.frequency,
        kind,
        average_amount: average,
        last_amount: last.amount,
        first_date: first.time.date(),
        last_date,
        next_date,
        status: if active {
            StreamStatus::Active
        } else {
            StreamStatus::Ended
        },
        confidence,
        transactions: members.to_vec(),
        method: most_common(members.iter().map(|&i| &*transactions[i].method)),
    }
}

/// The extra charges of a stream, each with the earlier charge of its period. A charge in
/// a period already charged is extra only while the stream holds more charges than the
/// periods it spans: a late payment that lands in the next period (February's charge on
/// March 2, then March's on the 15th) is not a double charge. The extras kept are the
/// ones closest to the charge before them.
fn extra_charges(
    transactions: &[Transaction],
    members: &[usize],
    f: &Fit,
) -> (Vec<usize>, Vec<usize>) {
    let period = f.frequency.period();
    let nominal = f.frequency.nominal_days();
    let mut by_period: HashMap<i64, usize> = HashMap::new();
    let mut candidates: Vec<(i64, usize, usize)> = Vec::new();
    let (mut first_k, mut last_k) = (i64::MAX, i64::MIN);
    for &i in members {
        let date = transactions[i].time.date();
        let Some((k, _)) = nearest(period, f.anchor, nominal, date) else {
            continue;
        };
        first_k = first_k.min(k);
        last_k = last_k.max(k);
        match by_period.get(&k) {
            Some(&partner) => {
                let gap = days(transactions[partner].time.date(), date).abs();
                candidates.push((gap, i, partner));
            }
            None => {
                by_period.insert(k, i);
            }
        }
    }
    let spanned = if first_k <= last_k {
        usize::try_from(last_k - first_k + 1).unwrap_or(usize::MAX)
    } else {
        0
    };
    let surplus = members.len().saturating_sub(spanned);
    candidates.sort_by_key(|(gap, i, _)| (*gap, *i));
    candidates.truncate(surplus);
    candidates.sort_by_key(|(_, i, _)| *i);
    candidates.into_iter().map(|(_, i, p)| (i, p)).unzip()
}

fn display_merchant(transactions: &[Transaction], members: &[usize]) -> String {
    let brand = most_common(
        members
            .iter()
            .map(|&i| &*transactions[i].counterparty)
            .filter(|cp| !is_company(cp)),
    );
    if !brand.is_empty() {
        return brand;
    }
    let company = most_common(members.iter().map(|&i| &*transactions[i].counterparty));
    aliases()
        .get(company.as_str())
        .map_or(company, |b| b.to_string())
}

fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(v, n)| (*n, std::cmp::Reverse(*v)))
        .map(|(v, _)| v.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod day_number_tests {
    use super::*;
    use jiff::ToSpan;

    #[test]
    fn day_numbers_match_the_calendar() {
        let epoch = jiff::civil::date(1970, 1, 1);
        for offset in (-800_000_i64..800_000).step_by(997) {
            let d = epoch.checked_add(offset.days()).unwrap();
            assert_eq!(day_number(d), offset, "{d}");
        }
    }
}
