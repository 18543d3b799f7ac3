//! Times the two phases of `tuiding scan` separately (parse, detect) and prints peak
//! memory: `cargo run --release -p tuiding-bills --example scan_phases -- FILE`.

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: scan_phases FILE");
    let started = Instant::now();
    let file = std::fs::File::open(&path).expect("readable file");
    let rows = file.metadata().map_or(0, |m| m.len() as usize / 200);
    let export = tuiding_bills::parse_reader(&path, file, rows).expect("valid export");
    let parsed = started.elapsed().as_secs_f64();
    let as_of = export.period_end.expect("an end date");
    let streams = tuiding_bills::detect_streams(&export.transactions, as_of);
    let total = started.elapsed().as_secs_f64();
    println!(
        "rows={} parse_seconds={parsed:.3} detect_seconds={:.3} total_seconds={total:.3} streams={} peak_rss_kib={}",
        export.transactions.len(),
        total - parsed,
        streams.len(),
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(
                |s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l
                    .split_whitespace()
                    .nth(1)?
                    .parse::<u64>()
                    .ok())
            )
            .unwrap_or(0)
    );
}
