//! Writes a synthetic Alipay 交易明细 export (GBK) for benchmarks:
//! `cargo run --release -p tuiding-bills --example gen_alipay -- ROWS OUT.csv`.
//!
//! About 2% of rows belong to 200 recurring streams (weekly to yearly). The heaviest shapes
//! of a real history come next — one merchant with a fifth of all rows (up to 200,000: a
//! metro line, several rides a day at three fares), a coffee shop every weekday, and food
//! delivery at irregular times and prices — and the rest are purchases at 800 shops at
//! random times and prices. Deterministic (fixed seed). `HEAVY=0` leaves the heavy
//! merchants out (the earlier benchmark's shape).

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
    if std::env::var("HEAVY").map_or(true, |v| v != "0") {
        // One merchant, a fifth of the rows (at most 200,000): metro rides, 3 fares.
        let metro = (rows / 5).min(200_000);
        for n in 0..metro {
            let day = n * days / metro.max(1);
            let minute = day * 1440 + 7 * 60 + rng.next(13 * 60);
            let fen = [300, 400, 500][rng.next(3) as usize];
            push(&mut lines, minute, "北京地铁", "地铁出行", fen);
        }
        // A coffee every weekday at one shop, two sizes.
        let coffee = rows / 20;
        let mut day = 0;
        for _ in 0..coffee {
            while (day + 3) % 7 >= 5 {
                day += 1;
            }
            let fen = [2800, 3200][rng.next(2) as usize];
            push(
                &mut lines,
                (day % days) * 1440 + 8 * 60 + rng.next(90),
                "瑞幸咖啡",
                "咖啡",
                fen,
            );
            day += 1;
        }
        // Food delivery: irregular days, times and prices.
        for _ in 0..rows / 20 {
            push(
                &mut lines,
                rng.next(days * 1440),
                "美团外卖",
                "外卖订单",
                1500 + rng.next(6000),
            );
        }
    }
    let mut refunds: Vec<(u64, String)> = Vec::new();
    while (lines.len() + refunds.len()) < rows as usize {
        let shop = rng.next(800);
        let minute = rng.next(days * 1440);
        let fen = 100 + rng.next(50_000);
        push(&mut lines, minute, &format!("商户{shop}"), "商品订单", fen);
        // One purchase in a hundred is refunded later, under an order number of its own
        // (a merchant's refund), so it is linked by counterparty, item and amount.
        if rng.next(100) == 0 {
            let later = minute + 1440 + rng.next(3 * 1440);
            let day = start
                .checked_add(jiff::Span::new().days((later / 1440) as i64))
                .unwrap();
            refunds.push((
                later,
                format!(
                    "{day} {:02}:{:02}:00 ,退款 ,商户{shop} ,/ ,退款-商品订单 ,不计收支 ,{}.{:02} ,花呗 ,退款成功 ,R{:029}\t,\t,,",
                    later / 60 % 24,
                    later % 60,
                    fen / 100,
                    fen % 100,
                    refunds.len()
                ),
            ));
        }
    }
    lines.extend(refunds);
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
