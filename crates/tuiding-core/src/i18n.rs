//! Languages for user-facing text. zh-CN comes first; English is always available.
//!
//! Library errors implement [`Localized`] so that the binary can report them in the
//! user's language; their `Display` stays English for logs.

use std::fmt;
use std::str::FromStr;

/// The language in which text for users is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    /// Simplified Chinese (zh-CN), the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks the text for this language.
    ///
    /// ```
    /// use tuiding_core::Lang;
    /// assert_eq!(Lang::En.pick("月", "month"), "month");
    /// assert_eq!(Lang::Zh.pick("月", "month"), "月");
    /// ```
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The language's code, as `--lang` and the `lang` cookie take it: `zh` or `en`.
    ///
    /// ```
    /// use tuiding_core::Lang;
    /// assert_eq!(Lang::from_locale(Lang::En.code()), Some(Lang::En));
    /// ```
    pub fn code(self) -> &'static str {
        self.pick("zh", "en")
    }

    /// Reads a locale string such as `en_US.UTF-8`, `zh_CN` or `en`; `None` when it names
    /// neither language (e.g. `C`, `POSIX`).
    ///
    /// ```
    /// use tuiding_core::Lang;
    /// assert_eq!(Lang::from_locale("en_GB.UTF-8"), Some(Lang::En));
    /// assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Some(Lang::Zh));
    /// assert_eq!(Lang::from_locale("C.UTF-8"), None);
    /// ```
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let lower = locale.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::Zh)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_locale(s).ok_or_else(|| format!("unknown language {s:?}: use zh or en"))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.pick("zh", "en"))
    }
}

/// A value (usually an error) that can describe itself to a user in either language.
pub trait Localized {
    /// One sentence a user can act on: what was wrong, where, and what to do.
    fn localized(&self, lang: Lang) -> String;

    /// Whether the error says a thing asked for does not exist (a web API answers 404).
    fn is_not_found(&self) -> bool {
        false
    }

    /// Whether the error says a shared resource was busy and trying again later works (a
    /// web API answers 503 with `Retry-After`).
    fn is_busy(&self) -> bool {
        false
    }

    /// Whether the error says the record changed since it was read (a stale revision).
    fn is_conflict(&self) -> bool {
        false
    }

    /// Whether the error says the operation is not allowed in the record's state.
    fn is_refused(&self) -> bool {
        false
    }
}
