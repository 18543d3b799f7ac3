//! Reading Alipay and WeChat Pay exports.
//!
//! The format is recognised from the header row (`交易时间` first, then `交易分类` for
//! Alipay or `交易类型` for WeChat Pay), found by content wherever the preamble ends.
//! Columns are mapped by name, so reordered layouts still read; a missing required column,
//! an unreadable date or amount fails the file with its line and column.

use jiff::civil::{Date, DateTime};
use tuiding_core::{Currency, Money};

use crate::decode::decode_text;
use crate::error::BillError;
use tuiding_core::transaction::{Direction, Source, Transaction, TxStatus};

/// The layout of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Alipay 交易明细 CSV (GBK).
    AlipayCsv,
    /// WeChat Pay 账单 CSV (UTF-8).
    WechatCsv,
}

impl Format {
    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Format::AlipayCsv => "Alipay CSV",
            Format::WechatCsv => "WeChat Pay CSV",
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
}

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

const ALIPAY_COLUMNS: &[(Role, &[&str])] = &[
    (Role::Time, &["交易时间", "交易创建时间"]),
    (Role::Category, &["交易分类", "类型"]),
    (Role::Counterparty, &["交易对方"]),
    (Role::Description, &["商品说明", "商品名称"]),
    (Role::Direction, &["收/支"]),
    (Role::Amount, &["金额", "金额（元）", "金额(元)"]),
    (Role::Method, &["收/付款方式"]),
    (Role::Status, &["交易状态"]),
    (Role::Id, &["交易订单号", "交易号"]),
];

const WECHAT_COLUMNS: &[(Role, &[&str])] = &[
    (Role::Time, &["交易时间"]),
    (Role::Category, &["交易类型"]),
    (Role::Counterparty, &["交易对方"]),
    (Role::Description, &["商品"]),
    (Role::Direction, &["收/支"]),
    (Role::Amount, &["金额(元)", "金额（元）", "金额"]),
    (Role::Method, &["支付方式"]),
    (Role::Status, &["当前状态"]),
    (Role::Id, &["交易单号"]),
];

/// Reads an export from its bytes. `file` is only used in error messages.
pub fn parse_export(file: &str, bytes: &[u8]) -> Result<Export, BillError> {
    let (text, encoding) = decode_text(bytes).ok_or_else(|| {
        BillError::new(
            file,
            0,
            0,
            "not text in UTF-8, GBK or GB18030: expected an Alipay or WeChat Pay CSV export",
            "不是 UTF-8、GBK 或 GB18030 文本：需要支付宝或微信支付导出的 CSV 账单",
        )
    })?;
    let lines: Vec<&str> = text.lines().collect();
    let (header_index, format) = find_header(&lines).ok_or_else(|| {
        BillError::new(
            file,
            0,
            0,
            "no header row found: expected an Alipay 交易明细 CSV (header 交易时间,交易分类,交易对方,…) or a WeChat Pay 账单 CSV (header 交易时间,交易类型,交易对方,…)",
            "找不到表头：需要支付宝交易明细 CSV（表头 交易时间,交易分类,交易对方,…）或微信支付账单 CSV（表头 交易时间,交易类型,交易对方,…）",
        )
    })?;
    let (period_start, period_end) = preamble_period(&lines[..header_index]);
    let (source, columns) = match format {
        Format::AlipayCsv => (Source::Alipay, ALIPAY_COLUMNS),
        Format::WechatCsv => (Source::WechatPay, WECHAT_COLUMNS),
    };
    let header_cells = split_cells(lines[header_index]);
    let mut index = Vec::with_capacity(columns.len());
    for (role, names) in columns {
        let position = header_cells
            .iter()
            .position(|h| names.contains(&h.as_str()))
            .ok_or_else(|| {
                BillError::new(
                    file,
                    header_index + 1,
                    1,
                    format!("the header has no column {} ({})", names[0], format.label()),
                    format!("表头缺少 {} 列（{}）", names[0], format.label()),
                )
            })?;
        index.push((*role, position));
    }
    let col = |role: Role| {
        index
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, i)| *i)
            .expect("every role is mapped")
    };

    let body = lines[header_index + 1..].join("\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut transactions = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let ok = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize) + header_index + 1;
            BillError::new(
                file,
                line,
                0,
                format!("not readable as CSV: {e}"),
                format!("不是可读的 CSV：{e}"),
            )
        })?;
        if !ok {
            break;
        }
        let line = record.position().map_or(0, |p| p.line() as usize) + header_index + 1;
        let cell = |i: usize| record.get(i).map(clean).unwrap_or("");
        if record.iter().all(|c| clean(c).is_empty()) {
            continue;
        }
        let first = cell(0);
        // Trailing summaries (older layouts) start with dashes or words, never a date.
        if first.starts_with('-') || !first.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        let raw_line = lines.get(line - 1).copied().unwrap_or("");
        let at = |role: Role| (line, field_column(raw_line, col(role)));
        let max_col = index.iter().map(|(_, i)| *i).max().unwrap_or(0);
        if record.len() > header_cells.len() {
            return Err(BillError::new(
                file,
                line,
                field_column(raw_line, header_cells.len()),
                format!(
                    "expected {} fields as in the header, found {} (an unquoted comma inside a field?)",
                    header_cells.len(),
                    record.len()
                ),
                format!(
                    "应与表头一样有 {} 个字段，实际 {} 个（字段里有未加引号的逗号？）",
                    header_cells.len(),
                    record.len()
                ),
            ));
        }
        if record.len() <= max_col {
            return Err(BillError::new(
                file,
                line,
                0,
                format!(
                    "expected at least {} fields as in the header, found {}",
                    max_col + 1,
                    record.len()
                ),
                format!("至少应有 {} 个字段，实际 {} 个", max_col + 1, record.len()),
            ));
        }
        let time = parse_time(cell(col(Role::Time))).ok_or_else(|| {
            let (l, c) = at(Role::Time);
            BillError::new(
                file,
                l,
                c,
                format!(
                    "交易时间: expected a time like 2026-11-15 16:19:00, found {:?}",
                    cell(col(Role::Time))
                ),
                format!(
                    "交易时间：应为 2026-11-15 16:19:00 这样的时间，实际是 {:?}",
                    cell(col(Role::Time))
                ),
            )
        })?;
        let amount_text = cell(col(Role::Amount));
        let amount = parse_amount(amount_text).ok_or_else(|| {
            let (l, c) = at(Role::Amount);
            BillError::new(
                file,
                l,
                c,
                format!("金额: expected an amount like 25.00 or ¥25.00, found {amount_text:?}"),
                format!("金额：应为 25.00 或 ¥25.00 这样的金额，实际是 {amount_text:?}"),
            )
        })?;
        let category = cell(col(Role::Category)).to_string();
        let status_text = cell(col(Role::Status)).to_string();
        let status = classify_status(
            source,
            &status_text,
            &category,
            cell(col(Role::Description)),
        );
        transactions.push(Transaction {
            source,
            source_id: cell(col(Role::Id)).to_string(),
            time,
            counterparty: cell(col(Role::Counterparty)).to_string(),
            description: cell(col(Role::Description)).to_string(),
            category,
            direction: match cell(col(Role::Direction)) {
                "支出" => Direction::Out,
                "收入" => Direction::In,
                _ => Direction::Neutral,
            },
            amount,
            method: cell(col(Role::Method)).to_string(),
            status,
            status_text,
            line,
            refund_of: None,
        });
    }
    link_refunds(&mut transactions);
    let period_end = period_end.or_else(|| transactions.iter().map(|t| t.time.date()).max());
    Ok(Export {
        format,
        encoding,
        transactions,
        period_start,
        period_end,
    })
}

/// Trims the spaces and tabs exports pad cells with.
fn clean(cell: &str) -> &str {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

fn split_cells(line: &str) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|c| clean(c).to_string()).collect())
        .unwrap_or_default()
}

fn find_header(lines: &[&str]) -> Option<(usize, Format)> {
    lines.iter().take(200).enumerate().find_map(|(i, line)| {
        let cells = split_cells(line);
        if cells.first().map(String::as_str) != Some("交易时间") {
            return None;
        }
        let has = |name: &str| cells.iter().any(|c| c == name);
        if has("交易分类") && has("商品说明") {
            Some((i, Format::AlipayCsv))
        } else if has("交易类型") && has("商品") {
            Some((i, Format::WechatCsv))
        } else {
            None
        }
    })
}

/// `起始时间：[2024-05-16 00:00:00]    终止时间：[2026-11-15 23:59:59]`.
fn preamble_period(lines: &[&str]) -> (Option<Date>, Option<Date>) {
    let find = |label: &str| {
        lines.iter().find_map(|line| {
            let start = line.find(label)? + label.len();
            let rest = line[start..].trim_start_matches(['：', ':', '[', ' ']);
            rest.get(..10)?.parse::<Date>().ok()
        })
    };
    (find("起始时间"), find("终止时间"))
}

fn parse_time(text: &str) -> Option<DateTime> {
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

fn parse_amount(text: &str) -> Option<Money> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, '¥' | '￥' | ',' | ' '))
        .collect();
    Money::parse(&cleaned, Currency::CNY).ok()
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
        (Source::WechatPay, s) if s.starts_with("已退款") => TxStatus::Success,
        (
            Source::WechatPay,
            "支付成功" | "已支付" | "已转账" | "朋友已收钱" | "对方已收钱" | "已收钱" | "已到账"
            | "提现已到账" | "充值完成" | "充值成功" | "已存入零钱",
        ) => TxStatus::Success,
        (_, other) => TxStatus::Other(other.to_string()),
    }
}

/// Links each refund row to the charge it refunds: by order number (Alipay writes the
/// original number + `_` + a suffix), else the latest earlier charge to the same
/// counterparty for the same amount.
fn link_refunds(transactions: &mut [Transaction]) {
    let mut links = Vec::new();
    for (i, refund) in transactions.iter().enumerate() {
        if refund.status != TxStatus::Refund {
            continue;
        }
        let by_id = refund.source_id.split_once('_').and_then(|(original, _)| {
            transactions
                .iter()
                .find(|t| t.source_id == original && t.status != TxStatus::Refund)
        });
        let by_match = || {
            let item = refund.description.trim_start_matches("退款-");
            transactions
                .iter()
                .filter(|t| {
                    t.direction == Direction::Out
                        && t.status != TxStatus::Refund
                        && t.counterparty == refund.counterparty
                        && t.amount == refund.amount
                        && t.time <= refund.time
                        && (item.is_empty()
                            || t.description == item
                            || refund.description.is_empty())
                })
                .max_by_key(|t| t.time)
        };
        if let Some(charge) = by_id.or_else(by_match) {
            links.push((i, charge.source_id.clone()));
        }
    }
    for (i, id) in links {
        transactions[i].refund_of = Some(id);
    }
}

/// The 1-based character column where field `index` starts in a CSV line.
fn field_column(line: &str, index: usize) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GB18030;

    const ALIPAY: &str = "------------------------------------------------------------------------------------
导出信息：
姓名：测试
起始时间：[2026-01-01 00:00:00]    终止时间：[2026-03-31 23:59:59]
共4笔记录

------------------------支付宝支付科技有限公司  电子客户回单------------------------
交易时间            ,交易分类                ,交易对方                ,对方账号            ,商品说明                ,收/支                 ,金额                  ,收/付款方式               ,交易状态                ,交易订单号      ,商家订单号            ,备注                  ,
2026-03-15 01:56:11 ,日用百货                ,迅雷                    ,/                   ,迅雷白金会员自动续费    ,支出                  ,14.90                 ,花呗                      ,交易成功                ,2026031522001\t,\t,,
2026-03-16 00:49:39 ,其他 ,迅雷 ,/ ,退款-迅雷白金会员自动续费 ,不计收支 ,14.90 ,花呗 ,退款成功 ,2026031522001_77\t,\t,,
2026-02-15 01:56:11 ,日用百货 ,迅雷 ,/ ,迅雷白金会员自动续费 ,支出 ,14.90 ,花呗 ,交易关闭 ,2026021522001\t,\t,,
2026-01-15 12:00 ,转账红包 ,张** ,/ ,转账-房租 ,支出 ,4200.00 ,余额 ,交易成功 ,2026011522001\t,\t,,
";

    fn gbk(text: &str) -> Vec<u8> {
        GB18030.encode(text).0.into_owned()
    }

    #[test]
    fn reads_alipay_gbk_with_preamble_padding_tabs_and_refunds() {
        let export = parse_export("a.csv", &gbk(ALIPAY)).unwrap();
        assert_eq!(export.format, Format::AlipayCsv);
        assert_eq!(export.encoding, "GB18030");
        assert_eq!(export.period_end, Some(jiff::civil::date(2026, 3, 31)));
        let t = &export.transactions;
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].source_id, "2026031522001");
        assert_eq!(t[0].counterparty, "迅雷");
        assert_eq!(t[0].amount.minor_units(), 1490);
        assert_eq!(t[0].line, 9);
        assert!(t[0].is_charge());
        assert_eq!(t[1].status, TxStatus::Refund);
        assert_eq!(t[1].refund_of.as_deref(), Some("2026031522001"));
        assert!(!t[1].is_charge());
        assert_eq!(t[2].status, TxStatus::Closed);
        assert!(!t[2].is_charge());
        assert_eq!(t[3].time.to_string(), "2026-01-15T12:00:00");
    }

    const WECHAT: &str = "微信支付账单明细,,,,,,,,,,
微信昵称：[测试],,,,,,,,,,
起始时间：[2026-01-01 00:00:00] 终止时间：[2026-03-31 23:59:59],,,,,,,,,,
,,,,,,,,,,
----------------------微信支付账单明细列表--------------------,,,,,,,,,,
交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注
2026-03-26 12:45:27,\"商户消费\",\"美团\",\"美团神券包月卡自动续费\",\"支出\",¥19.00,\"零钱\",\"支付成功\",\"4200001\"\t,\"129847129\"\t,\"/\"
2026-03-27 10:00:00,\"商户消费-退款\",\"美团\",\"美团神券包月卡自动续费\",\"收入\",¥19.00,\"零钱\",\"已退款\",\"4200002\"\t,\"/\",\"/\"
2026-03-01 09:00:00,零钱提现,招商银行,/,/,¥100.10,零钱,提现已到账,4200003\t,/\t,服务费¥0.10
";

    #[test]
    fn reads_wechat_csv_with_quotes_tabs_and_yen() {
        let export = parse_export("w.csv", WECHAT.as_bytes()).unwrap();
        assert_eq!(export.format, Format::WechatCsv);
        let t = &export.transactions;
        assert_eq!(t.len(), 3);
        assert_eq!(
            (t[0].source_id.as_str(), t[0].amount.minor_units()),
            ("4200001", 1900)
        );
        assert!(t[0].is_charge());
        assert_eq!(t[1].status, TxStatus::Refund);
        assert_eq!(t[1].refund_of.as_deref(), Some("4200001"));
        assert_eq!(t[2].direction, Direction::Neutral);
        assert_eq!(t[2].line, 9);
    }

    #[test]
    fn malformed_rows_fail_with_line_and_column() {
        let bad = ALIPAY.replacen(",14.90                 ,花呗", ",14.9O ,花呗", 1);
        let err = parse_export("a.csv", &gbk(&bad)).unwrap_err();
        assert_eq!((err.line, err.column), (9, 123));
        assert!(
            err.message.contains("金额") && err.message.contains("14.9O"),
            "{err}"
        );
        let bad = ALIPAY.replacen(",14.90                 ,花呗", ",14,90 ,花呗", 1);
        let err = parse_export("a.csv", &gbk(&bad)).unwrap_err();
        assert_eq!(err.line, 9);
        assert!(err.message.contains("expected 13 fields"), "{err}");
        let bad = ALIPAY.replace("2026-01-15 12:00", "2026-13-15 12:00");
        let err = parse_export("a.csv", &gbk(&bad)).unwrap_err();
        assert_eq!((err.line, err.column), (12, 1));
        let err = parse_export("x.csv", b"date,amount\n2026-01-01,3\n").unwrap_err();
        assert!(err.message.contains("no header row"));
        let err = parse_export("x.csv", b"\xff\xfe\x00\x00garbage\xff").unwrap_err();
        assert!(err.message.contains("not text"), "{err}");
        let missing = ALIPAY.replace("金额                  ,", "金钱,");
        let err = parse_export("a.csv", &gbk(&missing)).unwrap_err();
        assert!(err.message.contains("no column 金额"), "{err}");
    }

    #[test]
    fn trailing_summaries_end_the_rows() {
        let with_summary = format!(
            "{ALIPAY}------------------------------------------------------------------------------------\n导出信息：\n共4笔记录\n"
        );
        assert_eq!(
            parse_export("a.csv", &gbk(&with_summary))
                .unwrap()
                .transactions
                .len(),
            4
        );
    }
}
