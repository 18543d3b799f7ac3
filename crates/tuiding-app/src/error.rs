//! Errors for users: one sentence in their language, with an exit code.

use std::fmt;

use tuiding_core::{Lang, Localized};

/// An error already worded for the user. `usage` errors (a bad flag value, a missing
/// flag) exit with 2, the others with 1.
#[derive(Debug)]
pub struct UserError {
    message: String,
    usage: bool,
    not_found: bool,
    busy: bool,
}

impl UserError {
    /// A bad or missing flag value: exit code 2.
    pub fn usage(flag: &str, message: impl Into<String>) -> anyhow::Error {
        let message = message.into();
        let message = if flag.is_empty() {
            message
        } else {
            format!("{flag}: {message}")
        };
        anyhow::Error::new(UserError {
            message,
            usage: true,
            not_found: false,
            busy: false,
        })
    }

    /// Anything else the user should read: exit code 1.
    pub fn failure(message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(UserError {
            message: message.into(),
            usage: false,
            not_found: false,
            busy: false,
        })
    }

    /// A thing asked for that does not exist (a record id): exit code 1, HTTP 404.
    pub fn not_found(message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(UserError {
            message: message.into(),
            usage: false,
            not_found: true,
            busy: false,
        })
    }

    /// A shared resource (the database) was busy: exit code 1, HTTP 503 with `Retry-After`.
    pub fn busy(message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(UserError {
            message: message.into(),
            usage: false,
            not_found: false,
            busy: true,
        })
    }

    /// Whether trying again later would help.
    pub fn is_busy(&self) -> bool {
        self.busy
    }

    /// Whether this says a thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        self.not_found
    }

    /// Whether this is a usage error.
    pub fn is_usage(&self) -> bool {
        self.usage
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Words a library error in the user's language.
pub trait Localize<T> {
    /// Turns the error into a [`UserError`] failure (exit 1).
    fn localize(self, lang: Lang) -> anyhow::Result<T>;
    /// Turns the error into a [`UserError`] usage error naming `flag` (exit 2).
    fn for_flag(self, flag: &str, lang: Lang) -> anyhow::Result<T>;
}

impl<T, E: Localized> Localize<T> for Result<T, E> {
    fn localize(self, lang: Lang) -> anyhow::Result<T> {
        self.map_err(|e| {
            if e.is_busy() {
                UserError::busy(e.localized(lang))
            } else if e.is_not_found() {
                UserError::not_found(e.localized(lang))
            } else {
                UserError::failure(e.localized(lang))
            }
        })
    }

    fn for_flag(self, flag: &str, lang: Lang) -> anyhow::Result<T> {
        self.map_err(|e| UserError::usage(flag, e.localized(lang)))
    }
}

/// The error and its causes on one line: "what: why: deeper why".
pub fn render(err: &anyhow::Error) -> String {
    format!("{err:#}")
}
