//! Every documented export layout (Alipay, WeChat Pay, JD, Meituan, banks), each as a
//! fixture written for these tests (`tests/layouts/`, invented rows in the documented layout)
//! with its expected transactions in `tests/layouts/expected.json`: exact row counts, lines,
//! dates, times, amounts, currencies, directions, merchants and ids. Recognised from the
//! content, never the file name.

use std::path::Path;

use serde_json::Value;
use tuiding_bills::{Export, parse_export};
use tuiding_core::transaction::Direction;

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/layouts"))
}

/// The bank layouts' names in expected.json → the shipped mappings' names.
fn mapping_name(bank: &str) -> &'static str {
    match bank {
        "CMB credit" => "招商银行信用卡",
        "CMB debit" => "招商银行借记卡",
        "ICBC credit" => "工商银行信用卡",
        "ICBC debit v1" | "ICBC debit v2" => "工商银行借记卡",
        "CCB debit" => "建设银行借记卡（网银）",
        "CCB mobile" => "建设银行借记卡（手机银行）",
        "BOCOM credit" => "交通银行信用卡",
        "BOCOM debit" => "交通银行借记卡",
        "BOC credit" => "中国银行信用卡",
        "BOC debit" => "中国银行借记卡",
        "ABC debit" => "农业银行借记卡",
        "CGB credit" => "广发银行信用卡",
        "CITIC credit" => "中信银行信用卡",
        "SPDB debit" => "浦发银行借记卡",
        "CIB debit" => "兴业银行借记卡",
        "HSBC HK credit" => "HSBC HK credit card",
        "HSBC HK account" => "HSBC HK account",
        other => panic!("unknown bank layout {other}"),
    }
}

fn check(name: &str, expected: &Value, export: &Export, problems: &mut Vec<String>) {
    let mut say = |what: String| problems.push(format!("{name}: {what}"));
    let rows = expected["rows"].as_u64().unwrap() as usize;
    if export.transactions.len() != rows {
        say(format!(
            "{} transactions, expected {rows}",
            export.transactions.len()
        ));
    }
    if let Some(bank) = expected["bank"].as_str() {
        let want = mapping_name(bank);
        if export.bank.as_deref() != Some(want) {
            say(format!("read as {:?}, expected {want}", export.bank));
        }
    }
    for (t, e) in export
        .transactions
        .iter()
        .zip(expected["transactions"].as_array().unwrap())
    {
        let line = e["line"].as_u64().unwrap() as u32;
        let direction = match t.direction {
            Direction::Out => "out",
            Direction::In => "in",
            Direction::Neutral => "neutral",
        };
        let got = (
            t.line,
            t.time.date().to_string(),
            t.time.time().to_string(),
            t.amount.amount_string(),
            t.amount.currency().code().to_string(),
            direction.to_string(),
            t.counterparty.to_string(),
        );
        let want = (
            line,
            e["date"].as_str().unwrap().to_string(),
            e["time"].as_str().unwrap().to_string(),
            e["amount"].as_str().unwrap().to_string(),
            e["currency"].as_str().unwrap().to_string(),
            e["direction"].as_str().unwrap().to_string(),
            e["merchant"].as_str().unwrap().to_string(),
        );
        if got != want {
            say(format!("line {line}: got {got:?}, expected {want:?}"));
        }
        if let Some(id) = e["id"].as_str()
            && &*t.source_id != id
        {
            say(format!(
                "line {line}: id {:?}, expected {id:?}",
                t.source_id
            ));
        }
    }
}

#[test]
fn every_documented_layout_reads_exactly() {
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap();
    let files = expected.as_object().unwrap();
    assert!(files.len() >= 27, "a fixture per layout");
    let mut problems = Vec::new();
    for (name, want) in files {
        let bytes = std::fs::read(dir().join(name)).unwrap();
        // The name is only for messages: detection is by content.
        match parse_export("upload", &bytes) {
            Ok(export) => check(name, want, &export, &mut problems),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn read(name: &str) -> Export {
    parse_export(name, &std::fs::read(dir().join(name)).unwrap()).unwrap()
}

#[test]
fn double_charges_in_the_wallet_exports_are_reported_not_lost() {
    for (name, item) in [
        ("alipay-1a.csv", "百度网盘超级会员连续包月"),
        ("wechat-2a.csv", "爱奇艺黄金VIP会员连续包月"),
    ] {
        let export = read(name);
        let as_of = export.period_end.unwrap();
        let streams = tuiding_bills::detect_streams(&export.transactions, as_of);
        let stream = streams
            .iter()
            .find(|s| s.description == item)
            .unwrap_or_else(|| panic!("{name}: no stream for {item}: {streams:#?}"));
        assert_eq!(stream.frequency.as_str(), "monthly", "{name}");
        assert_eq!(stream.duplicates.len(), 1, "{name}: {stream:#?}");
        let extra = &export.transactions[stream.duplicates[0]];
        assert_eq!(extra.amount.amount_string(), "25.00", "{name}");
    }
}

const ALIPAY_HEAD: &str = "------------------------支付宝支付科技有限公司  电子客户回单------------------------\n交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,\n";

fn alipay_rows(months: u32) -> String {
    (1..=months)
        .map(|m| format!("2026-{m:02}-08 10:00:00,文化休闲,北京百度网讯科技有限公司,bai***@baidu.com,百度网盘超级会员连续包月,支出,25.00,招商银行储蓄卡(8705),交易成功,20260{m:02}0800{m},,,\n"))
        .collect()
}

#[test]
fn a_payment_seen_in_alipay_and_on_the_card_counts_once() {
    let alipay = parse_export(
        "a.csv",
        format!("{ALIPAY_HEAD}{}", alipay_rows(6)).as_bytes(),
    )
    .unwrap();
    let card: String = (1..=6)
        .map(|m| {
            format!(
                "2026-{m:02}-09,CNY,-25.00,\"1,000.00\",快捷支付,支付宝-北京百度网讯科技有限公司,\n"
            )
        })
        .collect();
    let card = parse_export(
        "c.csv",
        format!("记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n{card}").as_bytes(),
    )
    .unwrap();
    assert_eq!(card.bank.as_deref(), Some("招商银行借记卡"));
    assert_eq!(
        &*card.transactions[0].counterparty,
        "北京百度网讯科技有限公司"
    );
    let mut all = alipay.transactions.clone();
    all.extend(card.transactions.clone());
    let streams = tuiding_bills::detect_streams(&all, jiff::civil::date(2026, 6, 30));
    assert_eq!(streams.len(), 1, "{streams:#?}");
    assert_eq!(streams[0].transactions.len(), 6, "each payment once");
}

#[test]
fn garbage_cut_off_and_mixed_files_are_refused_with_the_nearest_layout() {
    // Nothing like a bill.
    let err = parse_export("x.txt", "hello\nworld\n".as_bytes()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("Alipay") && text.contains("招商银行信用卡"),
        "{text}"
    );
    assert!(
        text.contains("No line looks like a bill's header"),
        "{text}"
    );
    // A header that lost a column names the layout it resembles and what it lacks.
    let err = parse_export(
        "x.csv",
        "记账日期,货币,交易金额,联机余额,对手信息\n2026-01-08,CNY,-25.00,1.00,x\n".as_bytes(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("招商银行借记卡") && text.contains("交易摘要"),
        "{text}"
    );
    assert!(text.contains("line 1"), "{text}");
    // A row cut off in the middle is an error with its line, not a shorter file.
    let cut = format!(
        "{ALIPAY_HEAD}{}2026-07-08 10:00:00,文化休闲,北京百度",
        alipay_rows(2)
    );
    let err = parse_export("cut.csv", cut.as_bytes()).unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    // A data row without a date in the middle is an error, never the end of the file.
    let mixed = format!(
        "{ALIPAY_HEAD}{}一条说明,文化休闲,北京百度网讯科技有限公司,bai,百度网盘,支出,25.00,余额,交易成功,X1,,,\n{}",
        alipay_rows(2),
        alipay_rows(3)
    );
    let err = parse_export("mixed.csv", mixed.as_bytes()).unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    assert!(err.to_string().contains("交易时间"), "{err}");
    // An .xls that is not a workbook.
    let mut fake = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    fake.extend(b"not really");
    assert!(
        parse_export("x.xls", &fake)
            .unwrap_err()
            .to_string()
            .contains("XLS")
    );
}
