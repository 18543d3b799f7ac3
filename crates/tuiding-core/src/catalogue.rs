//! The catalogue of policy templates shipped in `data/platforms/` (embedded at build
//! time). A user's own templates, read by the binary from `platforms/` in the data
//! directory, are added with [`Catalogue::insert`] and win over shipped ones of the same
//! name.

use std::collections::BTreeMap;

use crate::policy::{Policy, PolicyError};

/// Shipped templates: (name, TOML text).
const EMBEDDED: &[(&str, &str)] = &[
    (
        "annual-list-price",
        include_str!("../../../data/platforms/annual-list-price.toml"),
    ),
    (
        "app-store-subscription",
        include_str!("../../../data/platforms/app-store-subscription.toml"),
    ),
    (
        "gifted-member",
        include_str!("../../../data/platforms/gifted-member.toml"),
    ),
    (
        "kameng-annual",
        include_str!("../../../data/platforms/kameng-annual.toml"),
    ),
    (
        "one-time-buyout",
        include_str!("../../../data/platforms/one-time-buyout.toml"),
    ),
    (
        "video-monthly-vip",
        include_str!("../../../data/platforms/video-monthly-vip.toml"),
    ),
];

/// Where a template came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Shipped with tuiding.
    Embedded,
    /// From the user's data directory.
    User,
}

/// One template: its name, its text (kept verbatim, comments included) and the parsed policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The name used with `--template`.
    pub name: String,
    /// The TOML text.
    pub text: String,
    /// The parsed policy.
    pub policy: Policy,
    /// Shipped or the user's.
    pub origin: Origin,
}

/// Policy templates by name.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    templates: BTreeMap<String, Template>,
}

impl Catalogue {
    /// The shipped templates.
    ///
    /// ```
    /// let catalogue = tuiding_core::catalogue::Catalogue::embedded();
    /// assert!(catalogue.get("kameng-annual").is_some());
    /// ```
    pub fn embedded() -> Catalogue {
        let mut catalogue = Catalogue::default();
        for (name, text) in EMBEDDED {
            catalogue
                .insert(name, text, Origin::Embedded)
                .expect("shipped templates are valid (checked by a unit test)");
        }
        catalogue
    }

    /// Adds (or replaces) a template after checking it.
    pub fn insert(&mut self, name: &str, text: &str, origin: Origin) -> Result<(), PolicyError> {
        let policy = Policy::from_toml(text)?;
        self.templates.insert(
            name.to_string(),
            Template {
                name: name.to_string(),
                text: text.to_string(),
                policy,
                origin,
            },
        );
        Ok(())
    }

    /// A template by name.
    pub fn get(&self, name: &str) -> Option<&Template> {
        self.templates.get(name)
    }

    /// Every template, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Template> {
        self.templates.values()
    }

    /// The names, for error messages.
    pub fn names(&self) -> Vec<&str> {
        self.templates.keys().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::RefundMethod;

    #[test]
    fn shipped_templates_are_valid_and_cover_the_required_cases() {
        let c = Catalogue::embedded();
        let method = |n: &str| c.get(n).unwrap().policy.method();
        assert_eq!(method("kameng-annual"), Some(RefundMethod::ConsumedDaysFee));
        assert_eq!(method("video-monthly-vip"), Some(RefundMethod::None));
        assert_eq!(method("one-time-buyout"), Some(RefundMethod::None));
        assert_eq!(
            c.get("gifted-member")
                .unwrap()
                .policy
                .plan
                .as_ref()
                .unwrap()
                .billing
                .as_deref(),
            Some("gifted")
        );
        assert_eq!(
            c.get("app-store-subscription")
                .unwrap()
                .policy
                .cancel_cutoff_hours(),
            24
        );
    }

    #[test]
    fn user_templates_win() {
        let mut c = Catalogue::embedded();
        c.insert(
            "kameng-annual",
            "[refund]\nmethod = \"full\"\n",
            Origin::User,
        )
        .unwrap();
        assert_eq!(
            c.get("kameng-annual").unwrap().policy.method(),
            Some(RefundMethod::Full)
        );
        assert!(
            c.insert("bad", "[refund]\nmethod = 1\n", Origin::User)
                .is_err()
        );
    }
}
