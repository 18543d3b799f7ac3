//! Small pieces of text and file handling every operation shares: the language's own
//! brackets and colon, files given by path or uploaded as bytes, and writing a file so
//! that a crash never leaves half of it.

use std::io::Write;

use tuiding_core::Lang;

/// A parenthesised remark in the language's own brackets: `（…）` or ` (…)`.
pub fn paren(lang: Lang, inner: &str) -> String {
    match lang {
        Lang::Zh => format!("（{inner}）"),
        Lang::En => format!(" ({inner})"),
    }
}

/// The language's colon: `：` or `: `.
pub fn colon(lang: Lang) -> &'static str {
    lang.pick("：", ": ")
}

/// Percent-encodes every byte but the unreserved ones (RFC 3986), for a URL's query.
///
/// ```
/// assert_eq!(tuiding_app::text::url_encode("a+b/c= 音"), "a%2Bb%2Fc%3D%20%E9%9F%B3");
/// ```
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Writes a file atomically: a temporary file beside it, flushed to disk, then renamed
/// over the target, so a crash never leaves half a file.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// A file an operation reads: one on disk (the CLI) or uploaded bytes (the web), with the
/// name people know it by. Messages name that name, never a server's temporary path.
#[derive(Debug, Clone)]
pub enum InputFile {
    /// A file on disk, named as the user gave it.
    Path {
        path: std::path::PathBuf,
        name: String,
    },
    /// Uploaded bytes with the uploader's file name.
    Bytes { name: String, bytes: Vec<u8> },
}

impl InputFile {
    /// A file on disk, named by its path.
    pub fn path(path: &std::path::Path) -> InputFile {
        InputFile::Path {
            path: path.to_path_buf(),
            name: path.display().to_string(),
        }
    }

    /// The name people know the file by.
    pub fn name(&self) -> &str {
        match self {
            InputFile::Path { name, .. } | InputFile::Bytes { name, .. } => name,
        }
    }
}
