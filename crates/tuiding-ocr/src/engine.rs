//! Tesseract as a subprocess. A subprocess rather than a binding to libtesseract: the
//! bindings on crates.io need libtesseract and libleptonica headers and a C++ toolchain at
//! build time on every machine, while the program is optional at run time (installed or
//! not, tuiding builds the same), a timeout can stop it for certain (kill), and a crash in
//! it cannot take the server down.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::{INSTALL_HINT, OcrError, prepare};

/// The models read with: Simplified Chinese, and English for Latin words and numbers.
const LANGUAGES: &str = "chi_sim+eng";

/// A Tesseract found on this machine with the models tuiding needs.
#[derive(Debug, Clone)]
pub struct Engine {
    program: PathBuf,
    languages: &'static str,
    version: String,
}

/// One line of text read, with the recogniser's confidence in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The text (Chinese characters joined without the spaces the recogniser puts between
    /// them; words of Latin script keep theirs).
    pub text: String,
    /// 0–100: the recogniser's mean confidence over the line's words.
    pub confidence: u8,
}

/// What was read from an image.
#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    /// The lines, top to bottom.
    pub lines: Vec<Line>,
    /// What read it (`tesseract 5.3.0 chi_sim+eng`).
    pub engine: String,
    /// Whether the image was a dark-mode one and was inverted first.
    pub inverted: bool,
    /// How long it took, in milliseconds.
    pub millis: u64,
}

impl Reading {
    /// The lines as one text, a line each.
    pub fn text(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|l| l.text.as_str()).collect();
        lines.join("\n")
    }
}

impl Engine {
    /// Finds Tesseract: `TUIDING_TESSERACT`, else `tesseract` on the `PATH`, with its
    /// Simplified Chinese model. [`OcrError::NotInstalled`] says what is missing.
    pub fn find() -> Result<Engine, OcrError> {
        let program = std::env::var_os("TUIDING_TESSERACT")
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from("tesseract"), PathBuf::from);
        let langs = run_briefly(Command::new(&program).arg("--list-langs")).map_err(|e| {
            OcrError::NotInstalled {
                what: format!("Tesseract ({}) cannot be run: {e}", program.display()),
                how: INSTALL_HINT,
            }
        })?;
        let has = |lang: &str| langs.lines().skip(1).any(|l| l.trim() == lang);
        if !has("chi_sim") {
            return Err(OcrError::NotInstalled {
                what: "Tesseract's Simplified Chinese model (chi_sim) is not installed".into(),
                how: INSTALL_HINT,
            });
        }
        let languages = if has("eng") { LANGUAGES } else { "chi_sim" };
        let version = run_briefly(Command::new(&program).arg("--version"))
            .ok()
            .and_then(|v| v.lines().next().map(str::to_string))
            .unwrap_or_else(|| "tesseract".into());
        Ok(Engine {
            program,
            languages,
            version,
        })
    }

    /// What reads (`tesseract 5.3.0 chi_sim+eng`).
    pub fn describe(&self) -> String {
        format!("{} {}", self.version, self.languages)
    }

    /// Reads a PNG or JPEG image's text, stopping Tesseract after `timeout`.
    pub fn read(&self, image: &[u8], timeout: Duration) -> Result<Reading, OcrError> {
        let started = Instant::now();
        let prepared = prepare(image)?;
        // The image goes in on stdin and the text comes out on stdout: no copy of the
        // screenshot and no unmasked text ever lands in a file, even if this process is
        // killed mid-reading.
        let mut child = Command::new(&self.program)
            .args(["stdin", "stdout"])
            // Page segmentation 4, "one column of text of variable sizes": a phone screen.
            // The automatic layout (3) split label/value rows into two columns and dropped
            // lines of dark pages; Otsu's global threshold (Tesseract's default) read
            // labels that Sauvola's adaptive one garbled (measured on the fixtures).
            .args(["-l", self.languages, "--psm", "4", "--dpi", "300"])
            .arg("tsv")
            // One thread: on a server several readings run at once, and OpenMP's threads
            // fighting over two cores made one reading slower, not faster.
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| OcrError::NotInstalled {
                what: format!("Tesseract ({}) cannot be run: {e}", self.program.display()),
                how: INSTALL_HINT,
            })?;
        // Each pipe on a thread of its own, so that none fills up and blocks Tesseract.
        let pgm = prepared.to_pgm();
        let stdin = child.stdin.take().map(|mut pipe| {
            std::thread::spawn(move || {
                use std::io::Write;
                // A Tesseract that stopped reading (killed, failed) closes the pipe: its
                // exit status says what happened.
                let _ = pipe.write_all(&pgm);
            })
        });
        let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            pipe.map(|mut pipe| {
                std::thread::spawn(move || {
                    let mut out = Vec::new();
                    let _ = pipe.read_to_end(&mut out);
                    out
                })
            })
        };
        let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
        let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
        let finished = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() <= timeout => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Ok(None) => break Err(OcrError::Timeout(timeout.as_secs())),
                Err(e) => break Err(OcrError::Io(e)),
            }
        };
        if finished.is_err() {
            // Never left running: killed and reaped whatever went wrong.
            let _ = child.kill();
            let _ = child.wait();
        }
        let joined = |handle: Option<std::thread::JoinHandle<Vec<u8>>>| {
            handle.and_then(|h| h.join().ok()).unwrap_or_default()
        };
        if let Some(handle) = stdin {
            let _ = handle.join();
        }
        let (out, err) = (joined(stdout), joined(stderr));
        let status = finished?;
        if !status.success() {
            return Err(OcrError::Failed {
                status: status.to_string(),
                stderr: String::from_utf8_lossy(&err)
                    .trim()
                    .chars()
                    .take(400)
                    .collect(),
            });
        }
        Ok(Reading {
            lines: lines_of_tsv(&String::from_utf8_lossy(&out)),
            engine: self.describe(),
            inverted: prepared.inverted,
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }
}

/// Runs a quick command (`--version`) to its end, or fails after 10 s.
fn run_briefly(command: &mut Command) -> Result<String, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("did not answer within 10 s".into());
            }
        }
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    // Older versions print the list of languages and the version on stderr.
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    Ok(text)
}

/// A line being put together from its words.
struct LineInProgress {
    /// (page, block, paragraph, line) as Tesseract numbers them.
    key: (u32, u32, u32, u32),
    text: String,
    /// Each word's confidence and length in characters.
    words: Vec<(u32, usize)>,
}

impl LineInProgress {
    fn push(&mut self, word: &str, confidence: u32) {
        let glued =
            self.text.chars().last().is_some_and(is_cjk) && word.chars().next().is_some_and(is_cjk);
        if !self.text.is_empty() && !glued {
            self.text.push(' ');
        }
        self.text.push_str(word);
        self.words.push((confidence, word.chars().count()));
    }

    fn finish(self) -> Option<Line> {
        let text = self.text.trim().to_string();
        if text.is_empty() {
            return None;
        }
        // Each word's confidence weighs by its length.
        let weight: usize = self.words.iter().map(|(_, n)| n).sum();
        let sum: usize = self.words.iter().map(|(c, n)| *c as usize * n).sum();
        let confidence = u8::try_from(sum / weight.max(1)).unwrap_or(100).min(100);
        Some(Line { text, confidence })
    }
}

/// Tesseract's TSV (one row per page, block, paragraph, line and word; words at level 5)
/// into lines of text. Words of one line are joined without a space where both sides are
/// Chinese (the recogniser splits Chinese text into one "word" per character or two).
fn lines_of_tsv(tsv: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Option<LineInProgress> = None;
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].parse::<u32>().unwrap_or(0);
        let key = (num(1), num(2), num(3), num(4));
        let word = cols[11].trim();
        if word.is_empty() {
            continue;
        }
        let confidence = cols[10].parse::<f32>().unwrap_or(0.0).clamp(0.0, 100.0);
        // A whole number: only shown and compared, never computed with.
        let confidence = confidence.round() as u32;
        if current.as_ref().is_some_and(|c| c.key != key) {
            lines.extend(current.take().and_then(LineInProgress::finish));
        }
        current
            .get_or_insert_with(|| LineInProgress {
                key,
                text: String::new(),
                words: Vec::new(),
            })
            .push(word, confidence);
    }
    lines.extend(current.and_then(LineInProgress::finish));
    lines
}

/// Chinese characters and full-width punctuation: written without spaces between them.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t900\t1948\t-1\t
4\t1\t1\t1\t1\t0\t10\t10\t500\t40\t-1\t
5\t1\t1\t1\t1\t1\t10\t10\t100\t40\t96.5\t退订
5\t1\t1\t1\t1\t2\t110\t10\t100\t40\t90\t成功
5\t1\t1\t1\t1\t3\t210\t10\t100\t40\t80\t，
5\t1\t1\t1\t2\t1\t10\t60\t100\t40\t91\t退款
5\t1\t1\t1\t2\t2\t110\t60\t100\t40\t60\t¥24.43
5\t1\t1\t1\t2\t3\t210\t60\t100\t40\t70\tto
5\t1\t1\t1\t2\t4\t310\t60\t100\t40\t70\tyou
5\t1\t2\t1\t1\t1\t10\t200\t100\t40\t95\t   
";

    #[test]
    fn words_of_a_line_are_joined_chinese_without_spaces_latin_with() {
        let lines = lines_of_tsv(TSV);
        assert_eq!(
            lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            ["退订成功，", "退款 ¥24.43 to you"]
        );
        // (96.5→97)*2 + 90*2 + 80*1 over 5 characters.
        assert_eq!(lines[0].confidence, 90);
        assert_eq!(lines[1].confidence, 68);
    }

    #[test]
    fn an_empty_or_foreign_tsv_gives_no_lines() {
        assert!(lines_of_tsv("").is_empty());
        assert!(lines_of_tsv("level\n5\t1\n garbage").is_empty());
    }
}
