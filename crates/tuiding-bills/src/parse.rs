//! Reading bill exports (Alipay, WeChat Pay, JD, Meituan and bank statements), streaming.
//!
//! The bytes are decoded on the fly (UTF-8, or GB18030 for Alipay's GBK), read line by
//! line and split by `csv-core` (`text`), so a million-row export never sits in memory
//! twice: only the transactions are kept, with repeated text shared. The layout is
//! recognised from the header row, found by content wherever the preamble ends (`header`);
//! workbooks go through the same row readers (`xlsx`). Columns are mapped by name, so
//! reordered layouts still read; a missing column, an unreadable date or amount, or bytes
//! that are not text fail the whole file with its line and column.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use encoding_rs::Encoding;
use jiff::civil::{Date, DateTime};
use tuiding_core::transaction::{Direction, Source, Transaction, TxStatus};
use tuiding_core::{Currency, Money};

use self::header::{HEADER_WITHIN, HeaderSearch};
pub(crate) use self::text::Record;
use self::text::{Fed, Lines, Splitter, decode_chunks, encoding_label, sniff_encoding};
use crate::bank::{BankMapping, BankRows};
use crate::error::BillError;
use crate::fxhash::FxBuild;

/// The layout of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Alipay 交易明细 (GBK): the app exports of 2023+ and 2021–2023, and the PC web
    /// 交易记录明细查询 (≤ 2021).
    AlipayCsv,
    /// WeChat Pay 账单 (UTF-8 CSV, or XLSX).
    WechatCsv,
    /// JD (京东) wallet bill, both layouts.
    JdCsv,
    /// Meituan (美团) 交易账单明细.
    MeituanCsv,
    /// A bank or card statement, read through a [`BankMapping`].
    BankCsv,
}

impl Format {
    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Format::AlipayCsv => "Alipay CSV",
            Format::WechatCsv => "WeChat Pay CSV",
            Format::JdCsv => "JD CSV",
            Format::MeituanCsv => "Meituan CSV",
            Format::BankCsv => "bank CSV",
        }
    }

    /// The wallet layouts, with the header columns each needs (for "nearest layout").
    pub(crate) const WALLETS: [Format; 4] = [
        Format::AlipayCsv,
        Format::WechatCsv,
        Format::JdCsv,
        Format::MeituanCsv,
    ];

    /// The name used in messages (zh).
    pub fn label_zh(self) -> &'static str {
        match self {
            Format::AlipayCsv => "支付宝",
            Format::WechatCsv => "微信支付",
            Format::JdCsv => "京东",
            Format::MeituanCsv => "美团",
            Format::BankCsv => "银行对账单",
        }
    }
}

/// One parsed export.
#[derive(Debug, Clone)]
pub struct Export {
    /// The layout recognised.
    pub format: Format,
    /// The text encoding found.
    pub encoding: &'static str,
    /// Every transaction row, in file order.
    pub transactions: Vec<Transaction>,
    /// 起始时间 from the preamble, if stated.
    pub period_start: Option<Date>,
    /// 终止时间 from the preamble, if stated (else the last transaction's date).
    pub period_end: Option<Date>,
    /// For bank statements: the mapping's name (e.g. 招商银行借记卡).
    pub bank: Option<String>,
}

/// A column's role; declared in the order of [`ROLES`], so `role as usize` is its slot.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Time,
    Category,
    Counterparty,
    Description,
    Direction,
    Amount,
    Method,
    Status,
    Id,
}

const ROLES: [Role; 9] = [
    Role::Time,
    Role::Category,
    Role::Counterparty,
    Role::Description,
    Role::Direction,
    Role::Amount,
    Role::Method,
    Role::Status,
    Role::Id,
];

/// The header names a role may have in a layout (the first is the one named in errors).
fn column_names(format: Format, role: Role) -> &'static [&'static str] {
    use Format::*;
    match (format, role) {
        (BankCsv, _) => &[],
        (AlipayCsv, Role::Time) => &["交易时间", "交易创建时间"],
        (AlipayCsv, Role::Category) => &["交易分类", "类型"],
        (AlipayCsv, Role::Description) => &["商品说明", "商品名称"],
        (AlipayCsv, Role::Amount) => &["金额", "金额（元）", "金额(元)"],
        (AlipayCsv, Role::Method) => &["收/付款方式"],
        (AlipayCsv, Role::Status) => &["交易状态"],
        (AlipayCsv, Role::Id) => &["交易订单号", "交易号"],
        (AlipayCsv | WechatCsv, Role::Counterparty) => &["交易对方"],
        (WechatCsv, Role::Time) => &["交易时间"],
        (WechatCsv, Role::Category) => &["交易类型"],
        (WechatCsv, Role::Description) => &["商品"],
        (WechatCsv, Role::Amount) => &["金额(元)", "金额（元）", "金额"],
        (WechatCsv, Role::Method) => &["支付方式"],
        (WechatCsv, Role::Status) => &["当前状态"],
        (WechatCsv, Role::Id) => &["交易单号"],
        (JdCsv, Role::Time) => &["交易时间"],
        (JdCsv, Role::Category) => &["交易分类"],
        (JdCsv, Role::Counterparty) => &["商户名称"],
        (JdCsv, Role::Description) => &["交易说明"],
        (JdCsv, Role::Amount) => &["金额"],
        (JdCsv, Role::Method) => &["收/付款方式"],
        (JdCsv, Role::Status) => &["交易状态"],
        (JdCsv, Role::Id) => &["交易订单号"],
        (MeituanCsv, Role::Time) => &["交易创建时间"],
        (MeituanCsv, Role::Category) => &["交易类型"],
        (MeituanCsv, Role::Counterparty) => &[],
        (MeituanCsv, Role::Description) => &["订单标题"],
        (MeituanCsv, Role::Amount) => &["实付金额", "订单金额"],
        (MeituanCsv, Role::Method) => &["支付方式"],
        (MeituanCsv, Role::Status) => &[],
        (MeituanCsv, Role::Id) => &["交易单号"],
        (_, Role::Direction) => &["收/支"],
    }
}

/// Roles a layout may lack: the PC web Alipay export has no payment method, Meituan's
/// bill no counterparty and no status column.
fn optional(format: Format, role: Role) -> bool {
    matches!(
        (format, role),
        (Format::AlipayCsv, Role::Method) | (Format::MeituanCsv, Role::Counterparty | Role::Status)
    )
}

/// Reads an export held in memory. `file` is only used in error messages.
pub fn parse_export(file: &str, bytes: &[u8]) -> Result<Export, BillError> {
    parse_reader(file, bytes, bytes.len() / 200)
}

/// Like [`parse_reader_with`], with the shipped bank mappings.
pub fn parse_reader(
    file: &str,
    reader: impl Read + Send,
    expected_rows: usize,
) -> Result<Export, BillError> {
    parse_reader_with(file, reader, expected_rows, &BankMapping::embedded())
}

/// Reads an export from any reader, streaming: the file is never held in memory whole.
/// `expected_rows` sizes the result up front (file size / 200 is a good guess; 0 is fine).
/// Alipay and WeChat Pay exports are recognised by their header; a bank statement by the
/// first of `banks` whose columns its header has.
pub fn parse_reader_with(
    file: &str,
    reader: impl Read + Send,
    expected_rows: usize,
    banks: &[BankMapping],
) -> Result<Export, BillError> {
    let io_error = |e: std::io::Error| {
        BillError::new(
            file,
            0,
            0,
            format!("cannot read: {e}"),
            format!("无法读取：{e}"),
        )
    };
    let mut raw = BufReader::with_capacity(1 << 16, reader);
    let prefix = raw.fill_buf().map_err(io_error)?;
    if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(xlsx::OLE_MAGIC) {
        // A zip container (an XLSX workbook: WeChat Pay's current export, CIB) or an OLE2
        // file (an XLS workbook: CCB, CITIC, SPDB).
        let mut bytes = Vec::new();
        raw.read_to_end(&mut bytes).map_err(io_error)?;
        return xlsx::parse(file, bytes, expected_rows, banks);
    }
    let encoding = sniff_encoding(prefix);
    // Reading and decoding run on a thread of their own while this one builds the rows:
    // on two cores the decoding (a fifth of the work) costs no wall time.
    std::thread::scope(|scope| {
        let (sender, chunks) = std::sync::mpsc::sync_channel(8);
        scope.spawn(move || decode_chunks(raw, encoding, file, &sender));
        let lines = Lines::new(chunks);
        read_text(file, lines, encoding, expected_rows, banks)
    })
}

/// The rows of a text export, line by line from `lines`.
fn read_text(
    file: &str,
    mut lines: Lines,
    encoding: &'static Encoding,
    expected_rows: usize,
    banks: &[BankMapping],
) -> Result<Export, BillError> {
    // The preamble, up to the header row.
    let mut preamble = Vec::new();
    let mut splitter = Splitter::default();
    let mut search = HeaderSearch::new(banks);
    let (format, bank, header) = loop {
        if !lines.advance()? || lines.number > HEADER_WITHIN {
            return Err(search.error(file));
        }
        let cells: Vec<String> = splitter
            .split_line(&lines.buffer)
            .into_iter()
            .map(|c| clean(&c).to_string())
            .collect();
        if let Some((format, bank)) = search.check(&cells, &preamble, lines.number) {
            break (format, bank, cells);
        }
        preamble.push(lines.buffer.clone());
    };
    let header_line = lines.number;
    let (period_start, period_end) = preamble_period(&preamble);
    let mut sink = match bank {
        Some(mapping) => Sink::Bank(BankRows::new(
            file,
            mapping,
            &header,
            header_line,
            expected_rows,
            &preamble,
        )?),
        None => Sink::Wallet(Rows::new(
            file,
            format,
            &header,
            header_line,
            expected_rows,
        )?),
    };
    // Error columns are counted in a record's first line; it is copied aside only when a
    // record continues over several lines (rare), never for the common one-line record.
    let mut first_line = String::new();
    let mut bounds: Vec<(usize, usize)> = Vec::with_capacity(32);
    let mut record_line = 0;
    let mut in_record = false;
    // The truncation check: the fields of the row before, and whether the record being
    // read has a quote still open.
    let mut previous_fields = None;
    let mut quote_open = false;
    loop {
        let more = lines.advance()?;
        if !in_record {
            record_line = lines.number;
            quote_open = false;
        }
        let unterminated = more && !lines.buffer.ends_with(['\n', '\r']);
        // Exports rarely quote (Alipay never does): a line without quotes splits at its
        // commas directly, without copying; anything else goes through csv-core.
        if more && !in_record && !lines.buffer.as_bytes().contains(&b'"') {
            let text = lines.buffer.trim_end_matches(['\n', '\r']);
            bounds.clear();
            let mut start = 0;
            for i in memchr::memchr_iter(b',', text.as_bytes()) {
                bounds.push((start, i));
                start = i + 1;
            }
            bounds.push((start, text.len()));
            // A footer line (合计…, 共…笔) is shorter than the rows by nature.
            if unterminated
                && !ends_rows(&Record {
                    text,
                    bounds: &bounds,
                })
            {
                check_cut_off(file, record_line, bounds.len(), previous_fields)?;
            }
            if !text.trim().is_empty() {
                previous_fields = Some(bounds.len());
            }
            if sink.push(
                Record {
                    text,
                    bounds: &bounds,
                },
                text,
                record_line,
            )? {
                break;
            }
            continue;
        }
        let input: &[u8] = if more { lines.buffer.as_bytes() } else { &[] };
        quote_open ^= memchr::memchr_iter(b'"', input).count() % 2 == 1;
        if !more && in_record && quote_open {
            return Err(BillError::new(
                file,
                record_line,
                0,
                "the last row is cut off: a quote opened in it is never closed (a download that did not finish?); download the export again".to_string(),
                "最后一行被截断：其中的引号没有闭合（下载没有完成？）；请重新下载账单".to_string(),
            ));
        }
        match splitter.feed(input) {
            Fed::Record => {
                let raw = if in_record {
                    first_line.as_str()
                } else {
                    lines.buffer.as_str()
                };
                let at_end = unterminated || !more;
                in_record = false;
                splitter.bounds(&mut bounds);
                if at_end && !ends_rows(&splitter.record(&bounds)) {
                    check_cut_off(file, record_line, bounds.len(), previous_fields)?;
                }
                previous_fields = Some(bounds.len());
                let stop = sink.push(splitter.record(&bounds), raw, record_line)?;
                splitter.clear();
                if stop {
                    break;
                }
            }
            Fed::NeedMore if more && !in_record => {
                first_line.clear();
                first_line.push_str(&lines.buffer);
                in_record = true;
            }
            Fed::NeedMore => {}
        }
        if !more {
            break;
        }
    }
    let mut transactions = match sink {
        Sink::Wallet(rows) => rows.transactions,
        Sink::Bank(rows) => rows.transactions,
    };
    link_refunds(&mut transactions);
    let period_end = period_end.or_else(|| transactions.iter().map(|t| t.time.date()).max());
    Ok(Export {
        format,
        encoding: encoding_label(encoding),
        transactions,
        period_start,
        period_end,
        bank: bank.map(|b| b.name.clone()),
    })
}

/// The last line of a file that ends without a line break, with fewer fields than the
/// row before it, is a cut-off row (a download that stopped), not a short transaction.
fn check_cut_off(
    file: &str,
    line: usize,
    fields: usize,
    previous: Option<usize>,
) -> Result<(), BillError> {
    match previous {
        Some(before) if fields < before => Err(BillError::new(
            file,
            line,
            0,
            format!(
                "the last row is cut off: {fields} fields where the row before has {before} (a download that did not finish?); download the export again"
            ),
            format!(
                "最后一行被截断：只有 {fields} 个字段，上一行有 {before} 个（下载没有完成？）；请重新下载账单"
            ),
        )),
        _ => Ok(()),
    }
}

/// Where records go: wallet rows or bank rows.
enum Sink<'a> {
    Wallet(Rows<'a>),
    Bank(BankRows<'a>),
}

impl Sink<'_> {
    fn push(&mut self, fields: Record<'_>, raw: &str, line: usize) -> Result<bool, BillError> {
        match self {
            Sink::Wallet(rows) => rows.push(fields, raw, line),
            Sink::Bank(rows) => rows.push(fields, raw, line),
        }
    }
}

/// Shares repeated text between rows.
#[derive(Default)]
pub(crate) struct Interner {
    seen: HashSet<Arc<str>, FxBuild>,
    /// The last value per column: consecutive rows often repeat it (status, category,
    /// method), and a comparison is cheaper than a hash.
    last: [Option<Arc<str>>; 5],
}

impl Interner {
    pub(crate) fn get(&mut self, column: usize, text: &str) -> Arc<str> {
        if let Some(last) = &self.last[column]
            && **last == *text
        {
            return last.clone();
        }
        let shared = match self.seen.get(text) {
            Some(found) => found.clone(),
            None => {
                let shared: Arc<str> = Arc::from(text);
                self.seen.insert(shared.clone());
                shared
            }
        };
        self.last[column] = Some(shared.clone());
        shared
    }
}

/// Turns records into transactions.
struct Rows<'a> {
    columns: [Option<usize>; 9],
    header_len: usize,
    format: Format,
    source: Source,
    file: &'a str,
    interner: Interner,
    transactions: Vec<Transaction>,
}

impl<'a> Rows<'a> {
    fn new(
        file: &'a str,
        format: Format,
        header: &[String],
        header_line: usize,
        expected_rows: usize,
    ) -> Result<Rows<'a>, BillError> {
        let mut columns = [None; 9];
        for (slot, role) in columns.iter_mut().zip(ROLES) {
            let names = column_names(format, role);
            // Names in order of preference (Meituan: 实付金额 before 订单金额).
            *slot = names
                .iter()
                .find_map(|name| header.iter().position(|h| h == name));
            if slot.is_none() && !optional(format, role) {
                return Err(BillError::new(
                    file,
                    header_line,
                    1,
                    format!("the header has no column {} ({})", names[0], format.label()),
                    format!("表头缺少 {} 列（{}）", names[0], format.label_zh()),
                ));
            }
        }
        let source = match format {
            Format::WechatCsv => Source::WechatPay,
            Format::JdCsv => Source::Jd,
            Format::MeituanCsv => Source::Meituan,
            _ => Source::Alipay,
        };
        Ok(Rows {
            columns,
            header_len: header.len(),
            format,
            source,
            file,
            interner: Interner::default(),
            transactions: Vec::with_capacity(expected_rows),
        })
    }

    fn col(&self, role: Role) -> Option<usize> {
        self.columns[role as usize]
    }

    /// Adds one record; `true` when the rows have ended (a trailing summary began).
    fn push(&mut self, fields: Record<'_>, raw: &str, line: usize) -> Result<bool, BillError> {
        let columns = self.columns;
        // `Role` is declared in the order of `ROLES`: its discriminant is its slot.
        let cell = |role: Role| columns[role as usize].map_or("", |i| fields.cell(i));
        if fields.text.trim().is_empty() {
            return Ok(false);
        }
        let file = self.file;
        let time_column = self.col(Role::Time).unwrap_or(0);
        let time_text = cell(Role::Time);
        if !time_text.starts_with(|c: char| c.is_ascii_digit()) && ends_rows(&fields) {
            return Ok(true);
        }
        if fields.len() > self.header_len {
            return Err(BillError::new(
                file,
                line,
                field_column(raw, self.header_len),
                format!(
                    "expected {} fields as in the header, found {} (an unquoted comma inside a field?)",
                    self.header_len,
                    fields.len()
                ),
                format!(
                    "应与表头一样有 {} 个字段，实际 {} 个（字段里有未加引号的逗号？）",
                    self.header_len,
                    fields.len()
                ),
            ));
        }
        let needed = self.columns.iter().flatten().max().copied().unwrap_or(0) + 1;
        if fields.len() < needed {
            return Err(BillError::new(
                file,
                line,
                0,
                format!(
                    "expected at least {needed} fields as in the header, found {} (a cut-off row?)",
                    fields.len()
                ),
                format!(
                    "至少应有 {needed} 个字段，实际 {} 个（这一行被截断了？）",
                    fields.len()
                ),
            ));
        }
        let time_name = column_names(self.format, Role::Time)[0];
        let time = parse_time(time_text).ok_or_else(|| {
            BillError::new(
                file,
                line,
                field_column(raw, time_column),
                format!(
                    "{time_name}: expected a time like 2026-11-15 16:19:00, found {time_text:?}"
                ),
                format!("{time_name}：应为 2026-11-15 16:19:00 这样的时间，实际是 {time_text:?}"),
            )
        })?;
        let amount_text = cell(Role::Amount);
        let amount_name = column_names(self.format, Role::Amount)[0];
        let (amount, refunded) = parse_wallet_amount(amount_text).ok_or_else(|| {
            BillError::new(
                file,
                line,
                field_column(raw, self.col(Role::Amount).unwrap_or(0)),
                format!(
                    "{amount_name}: expected an amount like 25.00 or ¥25.00, found {amount_text:?}"
                ),
                format!("{amount_name}：应为 25.00 或 ¥25.00 这样的金额，实际是 {amount_text:?}"),
            )
        })?;
        let category = cell(Role::Category);
        let description = cell(Role::Description);
        let status_text = cell(Role::Status);
        let mut status = match self.format {
            // Meituan has no status column: the type says whether the row is a refund.
            Format::MeituanCsv if category == "退款" => TxStatus::Refund,
            Format::MeituanCsv => TxStatus::Success,
            _ => classify_status(self.source, status_text, category, description),
        };
        if refunded == Refunded::Fully && status == TxStatus::Success {
            status = TxStatus::Closed;
        }
        let direction = match cell(Role::Direction) {
            // A credit repayment (美团月付 还款) moves money between the user's accounts.
            _ if self.format == Format::MeituanCsv && category == "还款" => Direction::Neutral,
            "支出" => Direction::Out,
            "收入" => Direction::In,
            _ => Direction::Neutral,
        };
        let counterparty = match self.format {
            Format::MeituanCsv => "美团",
            Format::JdCsv if is_generic_jd_merchant(cell(Role::Counterparty)) => "京东",
            _ => cell(Role::Counterparty),
        };
        let transaction = Transaction {
            source: self.source,
            source_id: cell(Role::Id).into(),
            time,
            counterparty: self.interner.get(0, counterparty),
            description: self.interner.get(1, description),
            category: self.interner.get(2, category),
            direction,
            amount,
            method: self.interner.get(3, cell(Role::Method)),
            status,
            status_text: self.interner.get(4, status_text),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            refund_of: None,
        };
        self.transactions.push(transaction);
        Ok(false)
    }
}

/// Whether a row that does not start with a time ends the transactions: a dashed line, a
/// summary (共21笔记录, 合计, 导出时间, 已收入:…), or a line with at most two cells. Any
/// other row without a time is an error, never silently dropped.
pub(crate) fn ends_rows(fields: &Record<'_>) -> bool {
    let cells: Vec<&str> = (0..fields.len())
        .map(|i| fields.cell(i))
        .filter(|c| !c.is_empty())
        .collect();
    let Some(first) = cells.first() else {
        return false;
    };
    const SUMMARY: &[&str] = &[
        "共",
        "合计",
        "总计",
        "导出",
        "收入",
        "支出",
        "不计收支",
        "其他",
        "已收入",
        "已支出",
        "待收入",
        "待支出",
        "特别提示",
        "以上数据",
        "人民币合计",
        "注",
        "本明细",
        "Total",
    ];
    // 支出 alone is a cell of a data row (the 2021–2023 Alipay layout starts with 收/支); a
    // summary says more: 支出：3笔, 共21笔记录.
    let summary_word = SUMMARY.iter().any(|w| first.starts_with(w))
        && (first.contains(['：', ':', '笔']) || first.starts_with("合计") || cells.len() <= 4);
    first.starts_with('-') || first.starts_with('—') || cells.len() <= 2 || summary_word
}

/// JD's 商户名称 is often a platform placeholder; the shop is JD itself then.
fn is_generic_jd_merchant(name: &str) -> bool {
    matches!(
        name,
        "" | "null" | "/" | "京东平台商户" | "京东物流" | "一号店" | "京东商城"
    )
}

/// How much of a JD charge was refunded, from its amount suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refunded {
    No,
    Partly,
    Fully,
}

/// A wallet amount: `25.00`, `¥25.00`, `1,299.00`, and JD's `131.77(已退款89.84)` (the net,
/// 41.93) and `468.32(已全额退款)` (the original, marked fully refunded).
fn parse_wallet_amount(text: &str) -> Option<(Money, Refunded)> {
    let Some((number, rest)) = text.split_once(['(', '（']) else {
        return parse_amount(text).map(|m| (m, Refunded::No));
    };
    let original = parse_amount(number.trim())?;
    let note = rest.trim_end_matches([')', '）']);
    if note.contains("全额退款") {
        return Some((original, Refunded::Fully));
    }
    let refunded = note
        .strip_prefix("已退款")
        .and_then(|n| parse_amount(n.trim()))?;
    let net = original.checked_sub(refunded).ok()?;
    if net.is_negative() {
        return None;
    }
    Some((net, Refunded::Partly))
}

/// Which wallet layout a header row is, by its column names.
fn header_format(cells: &[String]) -> Option<Format> {
    let has = |name: &str| cells.iter().any(|c| c == name);
    if has("交易分类") && has("商品说明") && has("交易对方") {
        // App exports: 2023+ (交易时间 first) and 2021–2023 (收/支 first).
        Some(Format::AlipayCsv)
    } else if has("交易号") && has("商品名称") && (has("金额（元）") || has("金额(元)"))
    {
        // PC web 交易记录明细查询.
        Some(Format::AlipayCsv)
    } else if has("交易类型") && has("商品") && has("交易对方") {
        Some(Format::WechatCsv)
    } else if has("商户名称") && has("交易说明") && has("收/支") {
        Some(Format::JdCsv)
    } else if has("订单标题") && has("实付金额") {
        Some(Format::MeituanCsv)
    } else {
        None
    }
}

/// The header names each wallet layout is recognised by (for "the nearest layout").
pub(crate) fn wallet_signature(format: Format) -> &'static [&'static str] {
    match format {
        Format::AlipayCsv => &[
            "交易时间",
            "交易分类",
            "交易对方",
            "商品说明",
            "收/支",
            "金额",
        ],
        Format::WechatCsv => &[
            "交易时间",
            "交易类型",
            "交易对方",
            "商品",
            "收/支",
            "金额(元)",
        ],
        Format::JdCsv => &["交易时间", "商户名称", "交易说明", "金额", "收/支"],
        Format::MeituanCsv => &["交易创建时间", "订单标题", "实付金额", "收/支"],
        Format::BankCsv => &[],
    }
}

/// Trims the spaces and tabs exports pad cells with.
fn clean(cell: &str) -> &str {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// `起始时间：[2024-05-16 00:00:00]    终止时间：[2026-11-15 23:59:59]`.
fn preamble_period(lines: &[String]) -> (Option<Date>, Option<Date>) {
    let find = |label: &str| {
        lines.iter().find_map(|line| {
            let start = line.find(label)? + label.len();
            let rest = line[start..].trim_start_matches(['：', ':', '[', ' ']);
            rest.get(..10)?.parse::<Date>().ok()
        })
    };
    (find("起始时间"), find("终止时间"))
}

/// A transaction time, within the ledger's date range.
fn parse_time(text: &str) -> Option<DateTime> {
    parse_any_time(text).filter(|t| tuiding_core::bounds::date_in_range(t.date()))
}

fn parse_any_time(text: &str) -> Option<DateTime> {
    // The usual `2026-11-15 16:19:00`, read by position.
    let b = text.as_bytes();
    if b.len() == 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':'
    {
        let num = |range: std::ops::Range<usize>| -> Option<i32> {
            b[range].iter().try_fold(0_i32, |v, &d| {
                d.is_ascii_digit().then(|| v * 10 + i32::from(d - b'0'))
            })
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, min, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        return DateTime::new(y as i16, m as i8, d as i8, h as i8, min as i8, s as i8, 0).ok();
    }
    let (date, time) = text.split_once([' ', 'T']).unwrap_or((text, "00:00:00"));
    let mut d = date.split(['-', '/']);
    let (y, m, day) = (
        d.next()?.parse::<i16>().ok()?,
        d.next()?.parse::<i8>().ok()?,
        d.next()?.parse::<i8>().ok()?,
    );
    let mut t = time.trim().split(':');
    let hour = t.next().unwrap_or("0").parse::<i8>().ok()?;
    let minute = t.next().unwrap_or("0").parse::<i8>().ok()?;
    let second = t.next().unwrap_or("0").parse::<i8>().ok()?;
    DateTime::new(y, m, day, hour, minute, second, 0).ok()
}

/// An amount within the ledger's range.
pub(crate) fn parse_amount(text: &str) -> Option<Money> {
    parse_any_amount(text).filter(|m| tuiding_core::bounds::amount_in_range(*m))
}

fn parse_any_amount(text: &str) -> Option<Money> {
    if let Some(minor) = plain_fen(text) {
        return Some(Money::from_minor(minor, Currency::CNY));
    }
    if text.contains(['¥', '￥', ',', ' ']) {
        let cleaned: String = text
            .chars()
            .filter(|c| !matches!(c, '¥' | '￥' | ',' | ' '))
            .collect();
        return Money::parse(&cleaned, Currency::CNY).ok();
    }
    Money::parse(text, Currency::CNY).ok()
}

/// The common case without allocation: `123`, `123.4`, `123.45`.
fn plain_fen(text: &str) -> Option<i64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 15 || frac.len() > 2 || !digits(int) || !digits(frac) {
        return None;
    }
    let whole = int.bytes().fold(0_i64, |v, b| v * 10 + i64::from(b - b'0'));
    let cents = match frac.as_bytes() {
        [] => 0,
        [d] => i64::from(d - b'0') * 10,
        [d, e] => i64::from(d - b'0') * 10 + i64::from(e - b'0'),
        _ => return None,
    };
    Some(whole * 100 + cents)
}

fn classify_status(source: Source, status: &str, category: &str, description: &str) -> TxStatus {
    let refund_row =
        description.starts_with("退款-") || category == "退款" || category.ends_with("-退款");
    if refund_row || status.contains("退款成功") || status == "退税成功" {
        return TxStatus::Refund;
    }
    match (source, status) {
        (_, "交易关闭" | "已关闭" | "已全额退款" | "对方已退还") => {
            TxStatus::Closed
        }
        (Source::Alipay, "交易成功" | "支付成功" | "等待确认收货" | "还款成功" | "代付成功") => {
            TxStatus::Success
        }
        (Source::Jd | Source::Meituan, "交易成功" | "支付成功") => TxStatus::Success,
        (Source::WechatPay, s) if s.starts_with("已退款") => TxStatus::Success,
        (
            Source::WechatPay,
            "支付成功" | "已支付" | "已转账" | "朋友已收钱" | "对方已收钱" | "已收钱" | "已到账"
            | "提现已到账" | "充值完成" | "充值成功" | "已存入零钱",
        ) => TxStatus::Success,
        _ => TxStatus::Other,
    }
}

/// Links each refund row to the charge it refunds: by order number (Alipay writes the
/// original number + `_` + a suffix), else the latest earlier charge to the same
/// counterparty for the same amount and item. Indexed, so a history with many refunds
/// stays O(n log n).
fn link_refunds(transactions: &mut [Transaction]) {
    let refunds: Vec<usize> = (0..transactions.len())
        .filter(|&i| transactions[i].status == TxStatus::Refund)
        .collect();
    if refunds.is_empty() {
        return;
    }
    // Only the order numbers refunds name are looked up: hashing every id of a million-row
    // export would cost more than reading it.
    let named: HashSet<&str, FxBuild> = refunds
        .iter()
        .filter_map(|&r| transactions[r].source_id.split_once('_').map(|(id, _)| id))
        .collect();
    let by_id: std::collections::HashMap<&str, usize, FxBuild> = transactions
        .iter()
        .enumerate()
        .filter(|(_, t)| t.status != TxStatus::Refund && named.contains(&*t.source_id))
        .map(|(i, t)| (&*t.source_id, i))
        .collect();
    // Charges by (counterparty, amount, item) and by (counterparty, amount), each in time
    // order: a refund looks up the latest one not after it.
    // Only charges that some refund could match are indexed: refunds are few.
    let wanted: HashSet<(&str, i64), FxBuild> = refunds
        .iter()
        .map(|&r| {
            (
                &*transactions[r].counterparty,
                transactions[r].amount.minor_units(),
            )
        })
        .collect();
    type Index<'t> = std::collections::HashMap<(&'t str, i64, &'t str), Vec<usize>, FxBuild>;
    let mut with_item: Index = Index::default();
    let mut any_item: Index = Index::default();
    for (i, t) in transactions.iter().enumerate() {
        if t.direction == Direction::Out
            && t.status != TxStatus::Refund
            && wanted.contains(&(&*t.counterparty, t.amount.minor_units()))
        {
            let fen = t.amount.minor_units();
            with_item
                .entry((&*t.counterparty, fen, &*t.description))
                .or_default()
                .push(i);
            any_item
                .entry((&*t.counterparty, fen, ""))
                .or_default()
                .push(i);
        }
    }
    for list in with_item.values_mut().chain(any_item.values_mut()) {
        list.sort_by_key(|&i| (transactions[i].time, i));
    }
    let latest_before = |list: Option<&Vec<usize>>, refund: &Transaction| {
        let list = list?;
        let after = list.partition_point(|&i| transactions[i].time <= refund.time);
        after.checked_sub(1).map(|k| list[k])
    };
    let mut links = Vec::new();
    for &r in &refunds {
        let refund = &transactions[r];
        let fen = refund.amount.minor_units();
        let item = refund.description.trim_start_matches("退款-");
        let linked = refund
            .source_id
            .split_once('_')
            .and_then(|(original, _)| by_id.get(original).copied())
            .or_else(|| {
                if item.is_empty() {
                    latest_before(any_item.get(&(&*refund.counterparty, fen, "")), refund)
                } else {
                    latest_before(with_item.get(&(&*refund.counterparty, fen, item)), refund)
                }
            });
        if let Some(i) = linked {
            links.push((r, transactions[i].source_id.clone()));
        }
    }
    for (i, id) in links {
        transactions[i].refund_of = Some(id);
    }
}

/// The 1-based character column where field `index` starts in a CSV line.
pub(crate) fn field_column(line: &str, index: usize) -> usize {
    let mut field = 0;
    let mut in_quotes = false;
    for (column, ch) in line.chars().enumerate() {
        if field == index {
            return column + 1;
        }
        match ch {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => field += 1,
            _ => {}
        }
    }
    line.chars().count() + 1
}

mod header;
#[cfg(test)]
mod tests;
mod text;
mod xlsx;
mod xlsx_limits;
