//! Errors for users: one sentence in their language, with a kind that each front end
//! turns into an exit code, an HTTP status or a marked form field.

use std::fmt;

use tuiding_core::{Lang, Localized};

/// What kind of error a [`UserError`] is; each front end puts it into its own terms (an
/// exit code, an HTTP status, a field marked on a form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad or missing input in one field (exit 2, HTTP 400). `field` is the input's name
    /// (`price`, `paid_through`, `step`), the same in flags, forms and JSON; empty when
    /// the input as a whole is at fault.
    Invalid {
        /// The field at fault.
        field: String,
    },
    /// A record asked for does not exist (exit 1, HTTP 404).
    NotFound,
    /// The record changed since it was read (a stale revision): nothing was written.
    Conflict,
    /// The operation is not allowed in the record's state (an illegal case move, an
    /// unverified vault): nothing was written.
    Refused,
    /// A shared resource (the database) was busy; trying again later helps (HTTP 503).
    Busy,
    /// Anything else the user should read.
    Failure,
}

/// An error already worded for the user, with its [`ErrorKind`].
#[derive(Debug)]
pub struct UserError {
    kind: ErrorKind,
    /// The flag or argument as the CLI names it (`--paid-through`, `STEP`), for `Invalid`.
    flag: String,
    message: String,
}

/// The input field a CLI flag or argument names: `--paid-through` → `paid_through`,
/// `STEP` → `step`, `refund.method` stays.
pub fn field_of(flag: &str) -> String {
    flag.trim_start_matches('-')
        .replace('-', "_")
        .to_lowercase()
}

impl UserError {
    fn of_kind(kind: ErrorKind, message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(UserError {
            kind,
            flag: String::new(),
            message: message.into(),
        })
    }

    /// Bad or missing input in the field a flag names (`--price`, `STEP`, or "" for the
    /// input as a whole).
    pub fn usage(flag: &str, message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(UserError {
            kind: ErrorKind::Invalid {
                field: field_of(flag),
            },
            flag: flag.to_string(),
            message: message.into(),
        })
    }

    /// Anything else the user should read.
    pub fn failure(message: impl Into<String>) -> anyhow::Error {
        UserError::of_kind(ErrorKind::Failure, message)
    }

    /// A thing asked for that does not exist (a record id).
    pub fn not_found(message: impl Into<String>) -> anyhow::Error {
        UserError::of_kind(ErrorKind::NotFound, message)
    }

    /// The record changed since it was read.
    pub fn conflict(message: impl Into<String>) -> anyhow::Error {
        UserError::of_kind(ErrorKind::Conflict, message)
    }

    /// Not allowed in the record's present state.
    pub fn refused(message: impl Into<String>) -> anyhow::Error {
        UserError::of_kind(ErrorKind::Refused, message)
    }

    /// A shared resource (the database) was busy.
    pub fn busy(message: impl Into<String>) -> anyhow::Error {
        UserError::of_kind(ErrorKind::Busy, message)
    }

    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The field at fault, for `Invalid` errors that name one.
    pub fn field(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::Invalid { field } if !field.is_empty() => Some(field),
            _ => None,
        }
    }

    /// What is wrong, without the field's name.
    pub fn reason(&self) -> &str {
        &self.message
    }

    /// Whether trying again later would help.
    pub fn is_busy(&self) -> bool {
        self.kind == ErrorKind::Busy
    }

    /// Whether this says a thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::NotFound
    }

    /// Whether this is bad input (a usage error on the command line).
    pub fn is_usage(&self) -> bool {
        matches!(self.kind, ErrorKind::Invalid { .. })
    }
}

impl fmt::Display for UserError {
    /// `--flag: message` for bad input naming a flag, else the message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.flag.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.flag, self.message)
        }
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
            } else if e.is_conflict() {
                UserError::conflict(e.localized(lang))
            } else if e.is_refused() {
                UserError::refused(e.localized(lang))
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

/// The field at fault and what is wrong with it, for a form that shows each problem
/// beside its field: ("", the whole message) when no field is named.
pub fn field_and_reason(err: &anyhow::Error) -> (String, String) {
    match err.downcast_ref::<UserError>() {
        Some(user) => match user.field() {
            Some(field) => (field.to_string(), user.reason().to_string()),
            None => (String::new(), format!("{err:#}")),
        },
        None => (String::new(), format!("{err:#}")),
    }
}

/// The error and its causes on one line: "what: why: deeper why".
pub fn render(err: &anyhow::Error) -> String {
    format!("{err:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_carried_not_parsed_back_out_of_the_text() {
        let err = UserError::usage("--paid-through", "不是日期: a: b");
        let user = err.downcast_ref::<UserError>().unwrap();
        assert_eq!(user.field(), Some("paid_through"));
        assert_eq!(user.reason(), "不是日期: a: b");
        assert_eq!(err.to_string(), "--paid-through: 不是日期: a: b");
        assert_eq!(
            field_and_reason(&err),
            ("paid_through".into(), "不是日期: a: b".into())
        );
        let whole = UserError::usage("", "nothing given");
        assert_eq!(whole.downcast_ref::<UserError>().unwrap().field(), None);
        assert_eq!(
            field_and_reason(&whole),
            (String::new(), "nothing given".into())
        );
        let positional = UserError::usage("STEP", "unknown");
        assert_eq!(
            positional.downcast_ref::<UserError>().unwrap().field(),
            Some("step")
        );
        // A message holding ": " no longer fools the form into a field.
        let plain = UserError::failure("http://x: refused");
        assert_eq!(field_and_reason(&plain).0, "");
    }

    #[test]
    fn store_errors_keep_their_kind() {
        let stale = Err::<(), _>(tuiding_store_free_conflict()).localize(Lang::En);
        let err = stale.unwrap_err();
        assert_eq!(
            err.downcast_ref::<UserError>().unwrap().kind(),
            &ErrorKind::Conflict
        );
    }

    /// A library error that says the record changed meanwhile.
    fn tuiding_store_free_conflict() -> impl Localized {
        struct Stale;
        impl Localized for Stale {
            fn is_conflict(&self) -> bool {
                true
            }
            fn localized(&self, _: Lang) -> String {
                "changed meanwhile".into()
            }
        }
        Stale
    }
}
