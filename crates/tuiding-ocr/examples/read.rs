//! Reads images and prints their lines with the recogniser's confidence and the time taken:
//! `cargo run --release -p tuiding-ocr --example read -- shot.png …` (the OCR benchmark,
//! scripts/ocr-bench.sh, runs it on the fixtures).

use std::time::Duration;

fn main() {
    let engine = match tuiding_ocr::Engine::find() {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let quiet = std::env::args().any(|a| a == "--quiet");
    for path in std::env::args().skip(1).filter(|a| a != "--quiet") {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        match engine.read(&bytes, Duration::from_secs(60)) {
            Ok(reading) => {
                println!(
                    "{path}: {} lines in {} ms{}",
                    reading.lines.len(),
                    reading.millis,
                    if reading.inverted {
                        " (dark, inverted)"
                    } else {
                        ""
                    }
                );
                if !quiet {
                    for line in &reading.lines {
                        println!("  {:>3}  {}", line.confidence, line.text);
                    }
                }
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        }
    }
}
