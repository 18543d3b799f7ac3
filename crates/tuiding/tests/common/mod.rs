//! Shared by the CLI tests: a `tuiding` command on a data directory with a fixed date,
//! Chinese text, and nothing inherited from the developer's environment.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;

use assert_cmd::Command;

#[path = "dump.rs"]
mod dump_rows;
#[allow(unused_imports)] // each test binary uses its own subset
pub use dump_rows::dump;
use serde_json::Value;

/// `tuiding --data-dir DATA --today TODAY`, isolated from the environment.
pub fn tuiding_at(data: &Path, today: &str) -> Command {
    Command::from_std(process_at(data, today))
}

/// The same command as [`tuiding_at`] as a plain process, for tests that spawn it and
/// manage it themselves (close its pipe, run several at once, kill it).
pub fn process_at(data: &Path, today: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("tuiding"));
    for var in [
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "TUIDING_LANG",
        "TUIDING_TODAY",
        "TUIDING_DATA_DIR",
        "TUIDING_DATABASE_URL",
        "TUIDING_USER",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(data)
        .arg("--today")
        .arg(today);
    cmd
}

#[allow(unused_imports)] // each test binary uses its own subset
pub use tuiding_app::accounts::testing::{database_url as postgres_url, unique as unique_name};

/// Runs the command with `--json`, asserts success and parses the output.
pub fn json(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Copies the zip `from` to `to`, letting `change` rewrite each file's bytes by name.
pub fn rewrite_zip(from: &Path, to: &Path, mut change: impl FnMut(&str, &mut Vec<u8>)) {
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).unwrap();
        change(&name, &mut content);
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap();
}

/// The text of one file inside a zip (a dossier's complaint.txt, say).
pub fn zip_text(zip: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// `tuiding serve` on a free port; killed when dropped.
pub struct Server {
    child: std::process::Child,
    port: u16,
}

impl Server {
    /// Starts it on `dir` at `today`, sending reminders every `remind_every` minutes.
    pub fn start(dir: &Path, today: &str, remind_every: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = process_at(dir, today)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--remind-every", remind_every])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        Server { child, port }
    }

    /// The body of a GET that must answer 200.
    pub fn get(&self, path: &str) -> String {
        let started = std::time::Instant::now();
        loop {
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
                write!(
                    s,
                    "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: lang=zh\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut bytes = Vec::new();
                s.read_to_end(&mut bytes).unwrap();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                assert!(text.starts_with("HTTP/1.1 200"), "{path}: {text}");
                let (_, body) = text.split_once("\r\n\r\n").unwrap();
                return body.to_string();
            }
            assert!(started.elapsed().as_secs() < 20, "serve did not start");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP request received: its path (with query) and its JSON body.
pub type Received = std::sync::Arc<std::sync::Mutex<Vec<(String, Value)>>>;

/// A local HTTP server answering every POST like the robots do (`errcode` 0, `code` 0,
/// Bark's `code` 200).
pub fn http_server() -> (String, Received) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let received: Received = std::sync::Arc::default();
    let log = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let mut length = 0;
            loop {
                let mut header = String::new();
                std::io::BufRead::read_line(&mut reader, &mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            std::io::Read::read_exact(&mut reader, &mut body).unwrap();
            let answer = if path.starts_with("/push") {
                r#"{"code":200}"#
            } else {
                r#"{"errcode":0,"code":0}"#
            };
            log.lock()
                .unwrap()
                .push((path, serde_json::from_slice(&body).unwrap_or(Value::Null)));
            let mut stream = stream;
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
            std::io::Write::write_all(&mut stream, reply.as_bytes()).unwrap();
        }
    });
    (base, received)
}
