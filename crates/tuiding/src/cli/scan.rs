//! `tuiding scan FILE...`: recurring charges in bill exports, without storing anything.

use super::Term;
use super::output::{self, Align, Cell, Table};
use clap::Args;
use jiff::civil::Date;
use std::path::PathBuf;
use tuiding_app::bills::scan::{self, *};
use tuiding_core::Lang;

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding scan 支付宝交易明细.csv
  tuiding scan alipay.csv wechat.csv --json
  
  tuiding scan 招行流水.csv --mapping my-bank.toml

支持 / Reads: Alipay (app 2023+ and 2021–2023, PC web; GBK), WeChat Pay (CSV, XLSX), JD 京东,
Meituan 美团, and bank statements (CMB, ICBC, CCB XLS, BOCOM, BOC, ABC, CGB, CITIC XLS, SPDB XLS,
CIB XLSX, HSBC HK; more in banks/ in the data dir or with --mapping). The layout is recognised
from the content; extra charges in one period are listed under duplicate_charges.
Nothing is stored: use `tuiding import` for that.";

/// Scan bill exports.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ScanArgs {
    /// 账单文件 / Export files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// 银行对账单的列映射 / A bank statement column mapping (TOML; see docs/bills.md)
    #[arg(long, value_name = "FILE")]
    pub mapping: Vec<PathBuf>,
}

impl ScanArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let scan::Scan {
            report,
            streams,
            as_of,
            transactions,
        } = scan::scan(ctx, &scan::named(&self.files), &self.mapping)?;
        let printed = if ctx.json {
            output::print_json(&report)
        } else {
            output::line(render(ctx, &streams, &report, as_of))
        };
        // The process ends right after this command: freeing a million rows one by one
        // would only delay the exit (the operating system reclaims the memory at once).
        std::mem::forget(transactions);
        printed
    }
}

fn render(ctx: &Term, streams: &[Stream], report: &ScanReport, as_of: Date) -> String {
    let lang = ctx.lang;
    let mut out = match lang {
        Lang::Zh => format!(
            "读取 {} 笔交易，截至 {as_of} 发现 {} 个周期扣费：\n",
            report.transactions_read,
            streams.len()
        ),
        Lang::En => format!(
            "Read {} transactions; {} recurring streams as of {as_of}:\n",
            report.transactions_read,
            streams.len()
        ),
    };
    let mut table = Table::new(
        &[
            lang.pick("商户", "merchant"),
            lang.pick("项目", "item"),
            lang.pick("周期", "every"),
            lang.pick("类型", "kind"),
            lang.pick("最近金额", "last"),
            lang.pick("次数", "charges"),
            lang.pick("最近扣费", "last date"),
            lang.pick("下次", "next"),
            lang.pick("状态", "status"),
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
        ],
    );
    for s in streams {
        let active = s.status == StreamStatus::Active;
        let dim = (!active).then_some(output::DIM);
        let kind = match s.kind {
            Kind::Subscription => lang.pick("订阅", "subscription"),
            Kind::Bill => lang.pick("账单", "bill"),
            Kind::Transfer => lang.pick("转账", "transfer"),
            Kind::Other => lang.pick("其他", "other"),
        };
        let mut row = vec![
            Cell::styled(s.merchant.clone(), dim),
            Cell::styled(s.description.clone(), dim),
            Cell::styled(frequency_label(s.frequency.as_str(), lang), dim),
            Cell::styled(kind, dim),
            Cell::styled(s.last_amount.to_string(), dim),
            Cell::styled(s.transactions.len().to_string(), dim),
            Cell::styled(s.last_date.to_string(), dim),
        ];
        row.extend(next_and_state(s.next_date, active, lang, dim));
        table.row(row);
    }
    out.push_str(table.render(ctx.color).trim_end());
    out.push_str(&duplicates_text(ctx, &report.duplicate_charges));
    out
}

/// A stream's next charge and whether it still charges, as the last cells of a row.
pub fn next_and_state(
    next: Option<jiff::civil::Date>,
    active: bool,
    lang: Lang,
    dim: Option<&'static str>,
) -> [Cell; 2] {
    [
        Cell::styled(next.map_or_else(|| "—".into(), |d| d.to_string()), dim),
        Cell::styled(
            if active {
                lang.pick("扣费中", "active")
            } else {
                lang.pick("已停止", "ended")
            },
            dim,
        ),
    ]
}

/// The extra charges, as lines to print after a listing (empty when there are none).
pub fn duplicates_text(ctx: &Term, duplicates: &[DuplicateView]) -> String {
    if duplicates.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n\n{}",
        output::paint(
            ctx.t(
                "⚠ 重复扣费（同一周期扣了两次，可以要求退回）：",
                "⚠ Charged twice in one period (ask for it back):"
            ),
            Some(output::RED),
            ctx.color
        )
    );
    for d in duplicates {
        out.push_str(&match ctx.lang {
            Lang::Zh => format!(
                "\n  {} {} {} {}，订单号 {}（周期扣费 {}）",
                d.date, d.time, d.merchant, d.display, d.order, d.stream
            ),
            Lang::En => format!(
                "\n  {} {} {} {}, order {} (stream {})",
                d.date, d.time, d.merchant, d.display, d.order, d.stream
            ),
        });
    }
    out
}
