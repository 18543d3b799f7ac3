//! Parser tests on exports written here.

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
    assert_eq!(&*t[0].source_id, "2026031522001");
    assert_eq!(&*t[0].counterparty, "迅雷");
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
        (&*t[0].source_id, t[0].amount.minor_units()),
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
    let err = parse_export("x.csv", b"\x81\x30garbage\xff\xff\n").unwrap_err();
    assert!(
        err.message.contains("not GB18030 text") && err.line == 1,
        "{err}"
    );
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

#[test]
fn splitter_splits_quotes_and_records_across_lines() {
    let mut s = Splitter::default();
    assert_eq!(s.split_line("a,\"b,c\",d"), ["a", "b,c", "d"]);
    assert_eq!(s.feed(b"x,\"multi\n"), Fed::NeedMore);
    assert_eq!(s.feed(b"line\",y\n"), Fed::Record);
    assert_eq!(
        (0..s.len()).map(|i| s.field(i)).collect::<Vec<_>>(),
        ["x", "multi\nline", "y"]
    );
    s.clear();
    assert_eq!(s.feed(b"last,row"), Fed::NeedMore);
    assert_eq!(
        s.feed(b""),
        Fed::Record,
        "the end of input flushes a last record without a line break"
    );
    assert_eq!(s.field(1), "row");
}

#[test]
fn plain_amounts_parse_without_allocation_and_exactly() {
    assert_eq!(plain_fen("25"), Some(2500));
    assert_eq!(plain_fen("25.5"), Some(2550));
    assert_eq!(plain_fen("0.01"), Some(1));
    assert_eq!(plain_fen("25.001"), None);
    assert_eq!(plain_fen("¥25"), None);
    assert_eq!(
        parse_amount("¥1,299.00").map(|m| m.minor_units()),
        Some(129_900)
    );
}

#[test]
fn bank_statements_through_a_mapping() {
    let icbc = "明细查询文件下载\n卡号: 6222********1234,\"卡别名: \"\n子账户序号: 00000,子账户类别: 活期\n\n\n\n交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名\n2026-03-05 \t,消费,财付通,CHN,钞,,\"19.00\",人民币,,\"19.00\",人民币,\"1,000.00\",财付通-美团平台商户\n2026-03-10 \t,工资,,CHN,钞,\"8,000.00\",,人民币,\"8,000.00\",,人民币,\"9,000.00\",某某公司\n人民币合计,,,,,,,,,,,,\n";
    let export = parse_export("icbc.csv", &gbk(icbc)).unwrap();
    assert_eq!(
        (export.format, export.bank.as_deref()),
        (Format::BankCsv, Some("工商银行借记卡"))
    );
    let t = &export.transactions;
    assert_eq!(t.len(), 2, "the 合计 footer ends the rows");
    assert_eq!(
        (t[0].direction, t[0].amount.minor_units()),
        (Direction::Out, 1900)
    );
    assert_eq!(
        (&*t[0].method, &*t[0].counterparty),
        ("财付通", "美团平台商户")
    );
    assert_eq!(t[0].line, 8);
    assert_eq!(
        (t[1].direction, t[1].amount.minor_units()),
        (Direction::In, 800_000)
    );
    let again = parse_export("icbc.csv", &gbk(icbc)).unwrap();
    assert_eq!(
        again.transactions[0].source_id, t[0].source_id,
        "derived ids are stable"
    );
    let bad = icbc.replace(
        "\"19.00\",人民币,\"1,000.00\"",
        "\"19.0O\",人民币,\"1,000.00\"",
    );
    let err = parse_export("icbc.csv", &gbk(&bad)).unwrap_err();
    assert_eq!(err.line, 8);
    assert!(err.message.contains("记账金额(支出)"), "{err}");
}

#[test]
fn wechat_xlsx_with_numeric_amount_cells() {
    let bytes = include_bytes!("../../../tuiding/tests/data/wechat-2026.xlsx");
    let export = parse_export("w.xlsx", bytes).unwrap();
    assert_eq!(
        (export.format, export.encoding),
        (Format::WechatCsv, "XLSX")
    );
    assert_eq!(export.period_end, Some(jiff::civil::date(2026, 10, 31)));
    let t = &export.transactions;
    assert_eq!(t.len(), 10);
    assert_eq!(t[0].line, 19, "the header is on row 18 in the 2026 layout");
    let shop = t.iter().find(|t| &*t.counterparty == "便利店").unwrap();
    assert_eq!(
        shop.amount.minor_units(),
        707,
        "7.069999… in the cell is 7.07"
    );
    assert_eq!(&*t[1].source_id, "4200000008");
}

#[test]
fn roles_are_in_slot_order() {
    for (slot, role) in ROLES.iter().enumerate() {
        assert_eq!(*role as usize, slot);
    }
}
