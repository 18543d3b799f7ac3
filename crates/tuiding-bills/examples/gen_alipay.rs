//! Writes a synthetic Alipay 交易明细 export (GBK) for benchmarks:
//! `cargo run --release -p tuiding-bills --example gen_alipay -- ROWS OUT.csv`.
//!
//! About 2% of rows belong to 200 recurring streams (weekly to yearly); the rest are
//! purchases at 800 shops at random times and prices. Deterministic (fixed seed).

use std::io::{BufWriter, Write};

use encoding_rs::GB18030;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let out = args.next().unwrap_or_else(|| "alipay-bench.csv".into());
    let mut rng = Lcg(42);
    let days: u64 = 3650;
    let start = jiff::civil::date(2016, 11, 16);
    let mut lines: Vec<(u64, String)> = Vec::with_capacity(rows as usize);
    let mut id = 0_u64;
    let mut push = |lines: &mut Vec<(u64, String)>, minute: u64, cp: &str, item: &str, fen: u64| {
        id += 1;
        let day = start
            .checked_add(jiff::Span::new().days((minute / 1440) as i64))
            .unwrap();
        let time = format!(
            "{day} {:02}:{:02}:{:02}",
            minute / 60 % 24,
            minute % 60,
            id % 60
        );
        lines.push((
            minute,
            format!(
                "{time} ,日用百货                ,{cp}                    ,/                   ,{item}            ,支出                  ,{}.{:02}                  ,花呗                      ,交易成功                ,{:030}\t,\t,,",
                fen / 100,
                fen % 100,
                id
            ),
        ));
    };
    let periods = [7_u64, 14, 30, 30, 30, 91, 182, 365];
    let mut recurring = 0;
    for s in 0..200_u64 {
        let every = periods[(s % periods.len() as u64) as usize];
        let fen = 500 + rng.next(30_000);
        let mut minute = rng.next(every * 1440);
        let end = rng.next(days * 1440 / 2) + days * 1440 / 2;
        while minute < end && recurring < rows / 50 {
            push(
                &mut lines,
                minute + rng.next(120),
                &format!("会员商户{s}"),
                &format!("会员{s}连续包月"),
                fen,
            );
            minute += every * 1440;
            recurring += 1;
        }
    }
    while (lines.len() as u64) < rows {
        let shop = rng.next(800);
        push(
            &mut lines,
            rng.next(days * 1440),
            &format!("商户{shop}"),
            "商品订单",
            100 + rng.next(50_000),
        );
    }
    lines.sort_unstable_by_key(|line| std::cmp::Reverse(line.0));
    let mut text = String::with_capacity(rows as usize * 200);
    text.push_str("------------------------------------------------------------------------------------\n导出信息：\n姓名：基准测试\n");
    text.push_str(&format!(
        "起始时间：[{start} 00:00:00]    终止时间：[2026-11-15 23:59:59]\n共{rows}笔记录\n\n"
    ));
    text.push_str(
        "------------------------支付宝支付科技有限公司  电子客户回单------------------------\n",
    );
    text.push_str("交易时间            ,交易分类                ,交易对方                ,对方账号            ,商品说明                ,收/支                 ,金额                  ,收/付款方式               ,交易状态                ,交易订单号      ,商家订单号            ,备注                  ,\n");
    for (_, line) in &lines {
        text.push_str(line);
        text.push('\n');
    }
    let (bytes, _, _) = GB18030.encode(&text);
    let mut file = BufWriter::new(std::fs::File::create(&out)?);
    file.write_all(&bytes)?;
    file.flush()?;
    eprintln!("wrote {out}: {rows} rows, {} bytes", bytes.len());
    Ok(())
}
