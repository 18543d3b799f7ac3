//! The text layer of the CSV reader: the encoding sniffed from the first bytes, the bytes
//! decoded on a second thread into chunks that end at line breaks, numbered lines, and
//! records split by `csv-core` with their buffers reused from record to record.

use std::io::Read;

use encoding_rs::{Encoding, GB18030, UTF_8};

use crate::error::BillError;

pub(crate) fn encoding_label(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "UTF-8"
    } else if encoding == GB18030 {
        "GB18030"
    } else {
        encoding.name()
    }
}

/// A BOM wins, then UTF-8 when the first bytes are valid UTF-8, else GB18030 (the
/// superset of GBK that Alipay writes).
pub(crate) fn sniff_encoding(prefix: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(prefix) {
        return encoding;
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => UTF_8,
        // Only a character cut off at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => GB18030,
    }
}

/// Decoded lines with their numbers, from the chunks [`decode_chunks`] sends (each ends
/// at a line break, so most are taken over without a copy).
pub(crate) struct Lines {
    chunks: std::sync::mpsc::Receiver<Result<String, BillError>>,
    /// Decoded text not yet handed out, from `start`.
    text: String,
    start: usize,
    done: bool,
    /// Whether lines end with a lone `\r` (classic Mac files): decided on the first text,
    /// which then holds no `\n`. In any other file a stray `\r` stays inside its field.
    cr_only: Option<bool>,
    /// The current line's number, from 1.
    pub(crate) number: usize,
    /// The current line, with its line break.
    pub(crate) buffer: String,
}

impl Lines {
    pub(crate) fn new(chunks: std::sync::mpsc::Receiver<Result<String, BillError>>) -> Lines {
        Lines {
            chunks,
            text: String::new(),
            start: 0,
            done: false,
            cr_only: None,
            number: 0,
            buffer: String::new(),
        }
    }

    /// The length of the next line with its break (`\n`, or `\r` in a classic Mac file);
    /// `None` until a whole line is there.
    fn line_end(&self) -> Option<usize> {
        let rest = &self.text.as_bytes()[self.start..];
        let end = if self.cr_only == Some(true) {
            b'\r'
        } else {
            b'\n'
        };
        memchr::memchr(end, rest).map(|at| at + 1)
    }

    /// Reads the next line into `self.buffer` (with its line break); `false` at the end.
    pub(crate) fn advance(&mut self) -> Result<bool, BillError> {
        loop {
            if let Some(end) = self.line_end() {
                self.buffer.clear();
                self.buffer
                    .push_str(&self.text[self.start..self.start + end]);
                self.start += end;
                self.number += 1;
                return Ok(true);
            }
            if self.done {
                if self.start < self.text.len() {
                    self.buffer.clear();
                    self.buffer.push_str(&self.text[self.start..]);
                    self.start = self.text.len();
                    self.number += 1;
                    return Ok(true);
                }
                return Ok(false);
            }
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    if self.cr_only.is_none() {
                        let bytes = chunk.as_bytes();
                        self.cr_only = Some(
                            memchr::memchr(b'\n', bytes).is_none()
                                && memchr::memchr(b'\r', bytes).is_some(),
                        );
                    }
                    if self.start >= self.text.len() {
                        self.text = chunk;
                    } else {
                        self.text.drain(..self.start);
                        self.text.push_str(&chunk);
                    }
                    self.start = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => self.done = true,
            }
        }
    }
}

/// Reads and decodes `raw`, streaming, and sends the text in chunks that end at a line
/// break. Decodes with `encoding_rs` directly, without replacement, so bytes that are not
/// text in the encoding are an error with their line and column, and the decoded text needs
/// no second validation. Stops when the reader is gone (the rows ended early).
pub(crate) fn decode_chunks(
    mut raw: impl Read,
    encoding: &'static Encoding,
    file: &str,
    sender: &std::sync::mpsc::SyncSender<Result<String, BillError>>,
) {
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut chunk = vec![0_u8; 1 << 17];
    let mut carry = String::new();
    // Line breaks sent so far: the next chunk starts on line `sent + 1`.
    let mut sent = 0_usize;
    loop {
        let read = loop {
            match raw.read(&mut chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = sender.send(Err(BillError::new(
                        file,
                        sent + 1,
                        0,
                        format!("cannot read: {e}"),
                        format!("无法读取：{e}"),
                    )));
                    return;
                }
            }
        };
        let last = read == 0;
        let mut text = std::mem::take(&mut carry);
        // The carried text holds no line break: only what is decoded now is searched.
        let fresh = text.len();
        let mut input = &chunk[..read];
        loop {
            let needed = decoder
                .max_utf8_buffer_length_without_replacement(input.len())
                .unwrap_or(input.len() * 3 + 16);
            text.reserve(needed);
            let (result, consumed) =
                decoder.decode_to_string_without_replacement(input, &mut text, last);
            input = &input[consumed..];
            match result {
                encoding_rs::DecoderResult::InputEmpty => break,
                encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::Malformed(..) => {
                    let line = sent + 1 + memchr::memchr_iter(b'\n', text.as_bytes()).count();
                    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    let name = encoding_label(encoding);
                    let _ = sender.send(Err(BillError::new(
                        file,
                        line,
                        column,
                        format!(
                            "bytes that are not {name} text: expected a bill export (Alipay is GBK; WeChat Pay, JD, Meituan and most banks UTF-8; XLS and XLSX workbooks as they were downloaded)"
                        ),
                        format!(
                            "含有不是 {name} 文本的字节：需要原样下载的账单（支付宝为 GBK；微信支付、京东、美团和多数银行为 UTF-8；XLS、XLSX 工作簿不要另存）"
                        ),
                    )));
                    return;
                }
            }
        }
        let cut = if last {
            text.len()
        } else {
            // A lone `\r` ends lines too; without it a file of CR line ends would be
            // carried (and copied) whole from chunk to chunk.
            memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[fresh..]).map_or(0, |i| fresh + i + 1)
        };
        if cut == 0 && !last {
            // No line break yet: keep it all, moved rather than copied, so one very long
            // line costs linear time.
            carry = text;
            continue;
        }
        carry = text[cut..].to_string();
        text.truncate(cut);
        if !text.is_empty() {
            sent += memchr::memchr_iter(b'\n', text.as_bytes()).count();
            if sender.send(Ok(text)).is_err() {
                return;
            }
        }
        if last {
            return;
        }
    }
}

/// What feeding a line to the splitter gave.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fed {
    /// A complete record: read its fields with [`Splitter::field`].
    Record,
    /// The record continues on the next line (a quoted field holds a line break).
    NeedMore,
}

/// Splits CSV records with `csv-core`, reusing its buffers from record to record.
pub(crate) struct Splitter {
    reader: csv_core::Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    ends_len: usize,
}

impl Default for Splitter {
    fn default() -> Splitter {
        // `csv_core::Reader::new()` builds the parser's state machine; a derived default
        // would not.
        Splitter {
            reader: csv_core::Reader::new(),
            output: Vec::new(),
            ends: Vec::new(),
            out_len: 0,
            ends_len: 0,
        }
    }
}

impl Splitter {
    /// Splits one self-contained line (the preamble and header).
    pub(crate) fn split_line(&mut self, line: &str) -> Vec<String> {
        self.reader.reset();
        self.clear();
        let mut fed = self.feed(line.as_bytes());
        if fed == Fed::NeedMore {
            fed = self.feed(&[]);
        }
        let mut bounds = Vec::new();
        self.bounds(&mut bounds);
        let record = self.record(&bounds);
        let fields = match fed {
            Fed::Record => (0..record.len())
                .map(|i| record.get(i).to_string())
                .collect(),
            Fed::NeedMore => Vec::new(),
        };
        self.reader.reset();
        self.clear();
        fields
    }

    /// How many fields the current record has.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ends_len
    }

    /// Field `i` of the current record (empty when there is no such field).
    #[cfg(test)]
    pub(crate) fn field(&self, i: usize) -> String {
        let mut bounds = Vec::new();
        self.bounds(&mut bounds);
        self.record(&bounds).get(i).to_string()
    }

    /// Where each field of the current record lies in its output.
    pub(crate) fn bounds(&self, bounds: &mut Vec<(usize, usize)>) {
        bounds.clear();
        let mut start = 0;
        for &end in &self.ends[..self.ends_len] {
            bounds.push((start, end));
            start = end;
        }
    }

    /// The current record, its text checked once (fields end on ASCII commas and quotes,
    /// so each field of valid text is valid text too).
    pub(crate) fn record<'a>(&'a self, bounds: &'a [(usize, usize)]) -> Record<'a> {
        let text = std::str::from_utf8(&self.output[..self.out_len]).unwrap_or("");
        Record { text, bounds }
    }

    /// Forgets the current record.
    pub(crate) fn clear(&mut self) {
        self.out_len = 0;
        self.ends_len = 0;
    }

    /// Feeds a line (with its line break); an empty input means the end of the file and
    /// flushes a last record that had no line break.
    pub(crate) fn feed(&mut self, input: &[u8]) -> Fed {
        let mut consumed = 0;
        loop {
            let room = self.out_len + (input.len() - consumed) + 64;
            if self.output.len() < room {
                self.output.resize(room + 1024, 0);
            }
            if self.ends.len() < self.ends_len + 64 {
                self.ends.resize(self.ends_len + 256, 0);
            }
            let (result, nin, nout, nend) = self.reader.read_record(
                &input[consumed..],
                &mut self.output[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            // csv-core counts field ends from the start of the record, across calls.
            consumed += nin;
            self.out_len += nout;
            self.ends_len += nend;
            match result {
                csv_core::ReadRecordResult::Record => return Fed::Record,
                csv_core::ReadRecordResult::End => return Fed::NeedMore,
                csv_core::ReadRecordResult::InputEmpty if consumed >= input.len() => {
                    return Fed::NeedMore;
                }
                _ => {}
            }
        }
    }
}

/// The fields of one record.
pub(crate) struct Record<'a> {
    pub(crate) text: &'a str,
    pub(crate) bounds: &'a [(usize, usize)],
}

impl<'a> Record<'a> {
    pub(crate) fn len(&self) -> usize {
        self.bounds.len()
    }

    /// Field `i` as written (empty when there is no such field).
    fn get(&self, i: usize) -> &'a str {
        let Some(&(start, end)) = self.bounds.get(i) else {
            return "";
        };
        self.text.get(start..end).unwrap_or("")
    }

    /// Field `i` without the spaces and tabs exports pad cells with.
    pub(crate) fn cell(&self, i: usize) -> &'a str {
        trim_padding(self.get(i))
    }

    /// The whole record's text.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }
}

/// Trims ASCII spaces and tabs. Alipay pads every cell with up to ~20 trailing spaces, so
/// runs of eight spaces are dropped a word at a time before the byte-wise trim.
fn trim_padding(cell: &str) -> &str {
    const SPACES: &[u8; 8] = b"        ";
    let mut end = cell.len();
    let bytes = cell.as_bytes();
    while end >= 8 && &bytes[end - 8..end] == SPACES {
        end -= 8;
    }
    // Only ASCII bytes were removed, so `end` is a character boundary.
    cell[..end].trim_ascii()
}
