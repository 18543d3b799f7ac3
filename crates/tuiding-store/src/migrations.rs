//! One list of migrations for both backends: every version has its SQLite and its
//! PostgreSQL text, so the two schemas move on together and a database of either kind
//! records the same versions. A version this binary does not know was written by a newer
//! tuiding, and such a database is refused rather than misread.
//!
//! A PostgreSQL migration runs as the tables' owner with row-level security forced and no
//! account named, so it sees no row of an account's tables: one that changes rows must
//! lift the policy for its own transaction first (`ALTER TABLE … NO FORCE ROW LEVEL
//! SECURITY`, then `FORCE` again before it ends).

use crate::StoreError;

/// One schema version in both dialects.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    /// The version: a timestamp and a name.
    pub(crate) version: &'static str,
    /// Its SQLite text.
    pub(crate) sqlite: &'static str,
    /// Its PostgreSQL text.
    pub(crate) postgres: &'static str,
}

macro_rules! migrations {
    ($($version:literal),* $(,)?) => {
        &[$(Migration {
            version: $version,
            sqlite: include_str!(concat!("sqlite/migrations/", $version, ".sql")),
            postgres: include_str!(concat!("postgres/migrations/", $version, ".sql")),
        }),*]
    };
}

/// Every migration, oldest first. Append only.
pub(crate) const MIGRATIONS: &[Migration] = migrations!(
    "20261126000000_ledger",
    "20261126010000_policy",
    "20261126020000_bills",
    "20261126030000_cases",
    "20261126040000_trials",
    "20261126050000_household",
    "20261126060000_reminders",
    "20261126070000_price_history",
    "20261126080000_reminders_sent",
    "20261129090000_jd_meituan",
    "20261130010000_vault_head",
    "20261130020000_data_version",
    "20261130030000_data_version_bills",
    "20261201000000_row_security",
    "20261201010000_sessions",
);

/// The migrations not applied yet, given the versions a database has; an error when it
/// has one this binary does not know.
pub(crate) fn pending(applied: &[String]) -> Result<Vec<Migration>, StoreError> {
    if let Some(unknown) = applied
        .iter()
        .find(|v| !MIGRATIONS.iter().any(|m| m.version == v.as_str()))
    {
        return Err(StoreError::NewerSchema {
            version: unknown.clone(),
        });
    }
    Ok(MIGRATIONS
        .iter()
        .filter(|m| !applied.iter().any(|v| v == m.version))
        .copied()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_sorted_and_unique() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].version < w[1].version));
    }

    #[test]
    fn an_unknown_version_is_refused_and_known_ones_are_skipped() {
        assert!(matches!(
            pending(&["29991231000000_future".into()]),
            Err(StoreError::NewerSchema { .. })
        ));
        let first = vec![MIGRATIONS[0].version.to_string()];
        assert_eq!(pending(&first).unwrap().len(), MIGRATIONS.len() - 1);
    }
}
