//! # tuiding-fuzz
//!
//! A mutation fuzzer on stable Rust for every parser of untrusted input: bill exports
//! (CSV, XLSX, XLS), policy TOML, agreements, Wallos exports, dossier and backup archives,
//! and JSON API bodies. Seeds are the repository's own fixtures; each input is 1–8 stacked
//! mutations of a seed (bit flips, interesting bytes and tokens, deleted, repeated and
//! spliced ranges, truncation). An input passes when the parser returns, `Ok` or `Err`,
//! without panicking, within [`SLOW`]; the API must also never answer 500.
//!
//! Before each input it is written to `OUT/TARGET.current`, so an abort the process cannot
//! catch (an allocation failure) leaves the input that caused it; panics are caught and
//! saved as `OUT/TARGET-crash-N.bin`. `scripts/fuzz.sh` runs every target.
//!
//! ```text
//! tuiding-fuzz [--target NAME] [--inputs N] [--seed S] [--out DIR]
//! ```

mod targets;

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An input slower than this is reported (and saved).
const SLOW: Duration = Duration::from_secs(2);

/// The repository's root, where the seeds are.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Deterministic random numbers (xorshift64*), so a run is replayed from its seed.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that break parsers: huge and negative numbers, far dates and cells, quotes,
/// separators, line ends, a BOM, non-UTF-8 bytes.
const TOKENS: &[&[u8]] = &[
    b"9999999999999999999",
    b"92233720368547758.07",
    b"-1",
    b"4294967295",
    b"0",
    b"1e308",
    b"NaN",
    b"9999-12-31",
    b"0000-00-00",
    b"2026-02-30 25:61:61",
    b"XFE99999999",
    b"\"",
    b"\"\"",
    b",,,,,,,,",
    b"\r",
    b"\n",
    b"\r\n",
    b"\t",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xC3\x28",
    "¥".as_bytes(),
    "（已退款¥".as_bytes(),
    "共".as_bytes(),
    "合计".as_bytes(),
    b"[",
    b"]",
    b"{",
    b"}",
    b"=",
    b"'''",
    b"..",
    b"../../",
    b"%",
];

/// 1–8 stacked mutations of a seed.
pub fn mutate(seeds: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let at = rng.below(len);
                data[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                data[at] = [0, 0xFF, b'"', b',', b'\n', b'9', b'-', b'.', b' '][rng.below(9)];
            }
            2 => {
                let at = rng.below(len + 1);
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(64)).min(len);
                data.drain(at..end);
            }
            4 if len > 0 => {
                // Repeat a range (a repeated header, a line twice).
                let at = rng.below(len);
                let end = (at + 1 + rng.below(256)).min(len);
                let copy = data[at..end].to_vec();
                let to = rng.below(len + 1);
                data.splice(to..to, copy);
            }
            5 if len > 0 => {
                data.truncate(rng.below(len));
            }
            6 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let end = (from + 1 + rng.below(512)).min(other.len());
                    let at = rng.below(len + 1);
                    data.splice(at..at, other[from..end].iter().copied());
                }
            }
            7 if len > 0 => {
                // Replace a run of digits by a huge number.
                let at = rng.below(len);
                if let Some(start) = data[at..].iter().position(u8::is_ascii_digit) {
                    let start = at + start;
                    let end = start
                        + data[start..]
                            .iter()
                            .take_while(|b| b.is_ascii_digit())
                            .count();
                    data.splice(start..end, b"99999999999999999999".iter().copied());
                }
            }
            _ => {
                let at = rng.below(len + 1);
                let n = rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.below(256) as u8).collect();
                data.splice(at..at, bytes);
            }
        }
    }
    data
}

/// What a run of one target found.
struct Tally {
    inputs: usize,
    crashes: usize,
    slow: usize,
    slowest: Duration,
    elapsed: Duration,
}

fn run_target(
    target: &dyn targets::Target,
    inputs: usize,
    seed: u64,
    out: &Path,
) -> std::io::Result<Tally> {
    let seeds = target.seeds();
    assert!(!seeds.is_empty(), "{}: no seeds", target.name());
    let mut rng = Rng(seed | 1);
    let mut current = std::fs::File::create(out.join(format!("{}.current", target.name())))?;
    let mut tally = Tally {
        inputs: 0,
        crashes: 0,
        slow: 0,
        slowest: Duration::ZERO,
        elapsed: Duration::ZERO,
    };
    let started = Instant::now();
    // The seeds themselves first: they must pass as they are.
    for i in 0..inputs {
        let input = if i < seeds.len() {
            seeds[i].clone()
        } else {
            mutate(&seeds, &mut rng)
        };
        current.set_len(0)?;
        current.seek(SeekFrom::Start(0))?;
        current.write_all(&input)?;
        let t = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.run(&input)));
        let took = t.elapsed();
        tally.inputs += 1;
        tally.slowest = tally.slowest.max(took);
        let save = |kind: &str, n: usize| {
            std::fs::write(
                out.join(format!("{}-{kind}-{n}.bin", target.name())),
                &input,
            )
        };
        match result {
            Err(_) => {
                tally.crashes += 1;
                save("crash", tally.crashes)?;
            }
            Ok(Err(problem)) => {
                tally.crashes += 1;
                eprintln!("{}: {problem}", target.name());
                save("crash", tally.crashes)?;
            }
            Ok(Ok(())) => {}
        }
        if took > SLOW {
            tally.slow += 1;
            save("slow", tally.slow)?;
        }
    }
    tally.elapsed = started.elapsed();
    Ok(tally)
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut only, mut inputs, mut seed, mut out) =
        (None, 20_000_usize, 1_u64, PathBuf::from("target/fuzz"));
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--target" => only = Some(value),
            "--inputs" => inputs = value.parse().unwrap_or(inputs),
            "--seed" => seed = value.parse().unwrap_or(seed),
            "--out" => out = PathBuf::from(value),
            _ => {
                eprintln!(
                    "usage: tuiding-fuzz [--target NAME] [--inputs N] [--seed S] [--out DIR]"
                );
                return std::process::ExitCode::from(2);
            }
        }
    }
    if std::fs::create_dir_all(&out).is_err() {
        eprintln!("cannot create {}", out.display());
        return std::process::ExitCode::from(1);
    }
    // Panics are counted and saved, not printed one by one.
    std::panic::set_hook(Box::new(|info| {
        if std::env::var_os("TUIDING_FUZZ_VERBOSE").is_some() {
            eprintln!("panic: {info}");
        }
    }));
    let mut failed = false;
    // Building the archive and API targets runs the demo, which prints: the table goes
    // to OUT/summary.txt as well.
    let targets = targets::all();
    let mut summary = String::from("target     inputs  crashes  slow  slowest_ms  seconds\n");
    for target in targets {
        if only.as_deref().is_some_and(|o| o != target.name()) {
            continue;
        }
        match run_target(target.as_ref(), inputs, seed, &out) {
            Ok(t) => {
                summary.push_str(&format!(
                    "{:<9} {:>7}  {:>7}  {:>4}  {:>10}  {:>7.1}\n",
                    target.name(),
                    t.inputs,
                    t.crashes,
                    t.slow,
                    t.slowest.as_millis(),
                    t.elapsed.as_secs_f64()
                ));
                failed |= t.crashes > 0 || t.slow > 0;
            }
            Err(e) => {
                eprintln!("{}: {e}", target.name());
                failed = true;
            }
        }
    }
    print!("{summary}");
    let _ = std::fs::write(out.join("summary.txt"), &summary);
    if failed {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A smoke run of every target (its seeds and a few hundred mutations, fixed seed):
    /// the harness works and `cargo test` keeps the found crashes fixed.
    #[test]
    fn every_target_survives_its_seeds_and_a_few_hundred_mutations() {
        let out = tempfile::tempdir().unwrap();
        for target in targets::all() {
            let tally = run_target(target.as_ref(), 400, 1, out.path()).unwrap();
            assert_eq!(
                (tally.crashes, tally.slow),
                (0, 0),
                "{}: see {}",
                target.name(),
                out.path().display()
            );
        }
    }

    #[test]
    fn mutations_are_reproducible_from_the_seed() {
        let seeds = vec![b"2026-11-30,25.00,\xe6\x94\xaf\xe4\xbb\x98\n".to_vec()];
        let run = |seed| {
            let mut rng = Rng(seed);
            (0..50)
                .map(|_| mutate(&seeds, &mut rng))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(9));
    }
}
