//! Times the clause reader on a 200 KB agreement (the test corpus, repeated):
//! `cargo run --release -p tuiding-terms --example read_bench`.

use std::time::Instant;

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut corpus = String::new();
    for name in [
        "good-monthly.txt",
        "bad-terms.txt",
        "annual-kameng.txt",
        "traditional.txt",
        "english.txt",
        "one-time.txt",
    ] {
        corpus.push_str(&std::fs::read_to_string(format!("{dir}/{name}")).expect("corpus file"));
        corpus.push('\n');
    }
    let mut text = String::new();
    while text.len() < 200 * 1024 {
        text.push_str(&corpus);
    }
    // The first read also compiles the patterns; then the best of ten.
    let started = Instant::now();
    let _ = tuiding_terms::read(&text);
    let cold = started.elapsed();
    let best = (0..10)
        .map(|_| {
            let started = Instant::now();
            let reading = tuiding_terms::read(&text);
            std::hint::black_box(reading);
            started.elapsed()
        })
        .min()
        .expect("ten runs");
    println!(
        "{} bytes, {} characters: first read {:.1} ms (patterns compiled), then best of 10 = {:.1} ms",
        text.len(),
        text.chars().count(),
        cold.as_secs_f64() * 1000.0,
        best.as_secs_f64() * 1000.0
    );
}
