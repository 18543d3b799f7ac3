//! # tuiding-ocr
//!
//! Reads the text of an evidence image on the user's machine, offline: screenshots carry
//! phone, ID and bank-card numbers, so nothing leaves the machine. Two steps:
//!
//! 1. [`prepare`] makes a phone screenshot easy to read: grayscale, a dark-mode screenshot
//!    inverted (dark text on light), scaled so that body text is about the height the
//!    recogniser reads best and fastest.
//! 2. [`Engine`] runs Tesseract (`tesseract`, with Debian's `chi_sim` and `eng` models) as
//!    a subprocess with a timeout on the prepared image (on its stdin: no copy of the
//!    screenshot and no text is written to a file), reading it as one column of text
//!    of varying sizes (a phone screen: label/value rows stay one line), and returns its
//!    lines, each with a confidence.
//!
//! Tesseract is optional: [`Engine::find`] says what is missing and how to install it.
//! What the text says (a refund promise, a cancellation confirmed) is read by
//! `tuiding-terms`; masking what is shown is the caller's business.

mod engine;
mod prepare;
#[doc(hidden)]
pub mod testing;

pub use engine::{Engine, Line, Reading};
pub use prepare::{Prepared, is_image, prepare};

/// Why an image could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    /// Tesseract (or its Chinese model) is not installed.
    #[error("{what}; {how}")]
    NotInstalled {
        /// What is missing.
        what: String,
        /// How to get it.
        how: &'static str,
    },
    /// The bytes are not an image this reader decodes (PNG or JPEG), or a broken one.
    #[error("not a readable PNG or JPEG image: {0}")]
    NotAnImage(String),
    /// Tesseract took longer than allowed and was stopped.
    #[error("reading the image took longer than {0} s and was stopped")]
    Timeout(u64),
    /// Tesseract failed.
    #[error("tesseract failed ({status}): {stderr}")]
    Failed {
        /// Its exit status.
        status: String,
        /// What it said.
        stderr: String,
    },
    /// The image is larger than this reader decodes (a capture taller than 65,535 px, or
    /// one that would take more than 1 GiB): cut it into screens.
    #[error("the image is too large to read ({0}); cut it into shorter screenshots")]
    TooLarge(String),
    /// Waiting for Tesseract failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// How to install what reading evidence text needs, for messages.
pub const INSTALL_HINT: &str = "install Tesseract and its Simplified Chinese model: `sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim` (Debian/Ubuntu), `brew install tesseract tesseract-lang` (macOS); or set TUIDING_TESSERACT to the tesseract program";
