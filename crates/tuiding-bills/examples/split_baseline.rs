//! The floor for `tuiding scan`: only decode a GBK export and split it into records and
//! fields, with the same crates the parser uses (encoding_rs, csv-core), keeping nothing.
//! `cargo run --release -p tuiding-bills --example split_baseline -- FILE` prints rows,
//! seconds and peak memory.

use std::io::Read;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).expect("usage: split_baseline FILE");
    let started = Instant::now();
    let mut file = std::fs::File::open(&path)?;
    let mut decoder = encoding_rs::GB18030.new_decoder_with_bom_removal();
    let mut reader = csv_core::Reader::new();
    let mut chunk = vec![0_u8; 1 << 16];
    let mut text = String::with_capacity(1 << 18);
    let mut output = vec![0_u8; 1 << 16];
    let mut ends = vec![0_usize; 1024];
    let (mut rows, mut fields) = (0_u64, 0_u64);
    loop {
        let read = file.read(&mut chunk)?;
        let last = read == 0;
        text.clear();
        let (_, _) = decoder.decode_to_string_without_replacement(&chunk[..read], &mut text, last);
        let mut input = text.as_bytes();
        loop {
            let (result, nin, _, nend) = reader.read_record(input, &mut output, &mut ends);
            input = &input[nin..];
            fields += nend as u64;
            match result {
                csv_core::ReadRecordResult::Record => rows += 1,
                csv_core::ReadRecordResult::InputEmpty | csv_core::ReadRecordResult::End => break,
                _ => {}
            }
        }
        if last {
            break;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "rows={rows} fields={fields} seconds={seconds:.3} rows_per_second={:.0} peak_rss_kib={}",
        rows as f64 / seconds,
        peak_rss_kib()
    );
    Ok(())
}

/// VmHWM from /proc/self/status (Linux); 0 elsewhere.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
