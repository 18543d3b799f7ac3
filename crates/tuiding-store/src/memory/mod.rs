//! The in-memory store: the whole ledger in plain collections behind one lock, for
//! application tests that should not pay for a database. It behaves as [`SqliteStore`]
//! does through [`Store`] (the shared suite in `tests/suite.rs` runs against both).
//!
//! Every write works on a copy of the data and swaps it in only when it succeeded, so a
//! failing write leaves everything as it was, like a rolled-back transaction. Refusals the
//! SQLite schema makes beyond [`Membership::validate`] (a CHECK or UNIQUE constraint) are
//! reported with the error SQLite gives ([`StoreError::Sqlite`]), so callers see one
//! behaviour whichever store they hold.
//!
//! [`SqliteStore`]: crate::SqliteStore

mod bills;
mod cases;
mod household;
mod memberships;

use crate::{BillStore, CaseStore, HouseholdStore, MembershipStore, PriceStore, ReminderStore};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use jiff::Timestamp;
use jiff::civil::Date;
use tuiding_core::Membership;
use tuiding_core::case::RefundTrack;
use tuiding_core::policy::Policy as PolicyTerms;
use tuiding_core::price::PriceChange;
use tuiding_core::split::SplitRule;
use tuiding_core::transaction::Transaction as BillTransaction;

use crate::memory::memberships::storable;
use crate::{
    BillImport, CaseChange, ImportCounts, Ledger, PolicyInput, ReminderKey, Split, StoreError,
    StoredCase, StoredMembership, StoredPolicy, StreamDecision, VaultHead,
};

/// The ledger in memory. Clones share one ledger, as connections share one database.
///
/// ```
/// use tuiding_core::{Billing, Currency, Membership, Money, Period};
/// use tuiding_store::MemoryStore;
/// use tuiding_store::prelude::*;
/// let mut store = MemoryStore::new();
/// let other = store.clone();
/// let m = Membership {
///     platform: "QQ音乐".into(),
///     plan: "豪华绿钻".into(),
///     billing: Billing::Periodic(Period::month()),
///     price: Money::from_minor(1800, Currency::CNY),
///     start: jiff::civil::date(2026, 3, 5),
///     paid_through: None,
///     trial_until: None,
///     auto_renew: vec![],
///     benefits: vec![],
///     category: None,
///     notes: None,
/// };
/// let id = store.add_membership(&m).unwrap();
/// assert_eq!(other.membership(id).unwrap().membership, m);
/// ```
#[derive(Clone, Default)]
pub struct MemoryStore {
    data: Arc<Mutex<Data>>,
}

impl MemoryStore {
    /// An empty ledger.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// The data, for reading. A panic in another handle never leaves the data half
    /// written (writes swap in a finished copy), so a poisoned lock is still sound.
    fn data(&self) -> MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `write` on a copy of the data and keeps the copy only when it succeeds: one
    /// transaction.
    fn write<T>(
        &self,
        write: impl FnOnce(&mut Data) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut data = self.data();
        let mut draft = data.clone();
        let out = write(&mut draft)?;
        draft.version += 1;
        *data = draft;
        Ok(out)
    }
}

/// Everything the ledger holds: one field per SQLite table.
#[derive(Clone, Default)]
struct Data {
    /// Moves on with every write that succeeded ([`MembershipStore::data_version`]).
    version: u64,
    /// The last id handed out per table whose ids are never reused (AUTOINCREMENT).
    last_id: LastIds,
    memberships: BTreeMap<i64, MembershipRow>,
    policies: BTreeMap<i64, StoredPolicy>,
    /// (id, membership id, change), in the order recorded.
    price_changes: Vec<(i64, i64, PriceChange)>,
    /// Each import's stated end, in the order imported.
    import_ends: Vec<Option<Date>>,
    /// Bill transactions; the id of each is its index + 1 (never removed).
    bills: Vec<BillTransaction>,
    decisions: BTreeMap<String, Decision>,
    cases: BTreeMap<i64, StoredCase>,
    members: BTreeMap<i64, String>,
    /// By membership id: (member id, rule), in the order given.
    splits: BTreeMap<i64, Vec<(i64, SplitRule)>>,
    reminder_days: BTreeMap<i64, Vec<u32>>,
    /// Reminders claimed: (membership, key day, lead days, channel) and when.
    reminders_sent: BTreeMap<(i64, Date, u32, String), Timestamp>,
    vault_head: Option<VaultHead>,
}

#[derive(Clone, Copy, Default)]
struct LastIds {
    membership: i64,
    case: i64,
    member: i64,
    price_change: i64,
}

#[derive(Clone)]
struct MembershipRow {
    revision: i64,
    created_at: String,
    updated_at: String,
    /// As SQLite stores it: platform, plan and benefit names trimmed.
    membership: Membership,
}

#[derive(Clone, Copy)]
enum Decision {
    Dismissed,
    Adopted(Option<i64>),
}

/// The current time as SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')` writes it.
///
/// The one clock reading outside `tuiding-app`'s clock, allowed for the reason SQLite's is:
/// it stamps rows (`created_at`, `updated_at`) for the record; no figure and no decision
/// depends on it, and the SQLite store reads the same clock through SQL.
#[allow(clippy::disallowed_methods)]
fn now() -> String {
    format!("{:.3}", Timestamp::now())
}

/// The error SQLite reports when a row breaks a constraint of its schema.
fn constraint(code: std::ffi::c_int, message: &str) -> StoreError {
    StoreError::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(code),
        Some(message.to_string()),
    ))
}

/// A CHECK constraint failed.
fn check_failed(expression: &str) -> StoreError {
    constraint(
        rusqlite::ffi::SQLITE_CONSTRAINT_CHECK,
        &format!("CHECK constraint failed: {expression}"),
    )
}

/// A primary key was taken.
fn key_taken(columns: &str) -> StoreError {
    constraint(
        rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY,
        &format!("UNIQUE constraint failed: {columns}"),
    )
}

/// Whether a date's text has a four-digit year (the schema's `GLOB` on date columns).
fn four_digit_year(day: Date) -> bool {
    (0..=9999).contains(&day.year())
}

impl MembershipStore for MemoryStore {
    fn add_memberships_with_policies(
        &mut self,
        items: &[(Membership, Option<PolicyInput<'_>>)],
    ) -> Result<Vec<i64>, StoreError> {
        crate::check_batch(items)?;
        self.write(|data| {
            let mut ids = Vec::with_capacity(items.len());
            for (membership, policy) in items {
                let id = data.insert_membership(membership)?;
                if let Some(p) = policy {
                    data.write_policy(id, *p);
                }
                ids.push(id);
            }
            Ok(ids)
        })
    }

    fn membership(&self, id: i64) -> Result<StoredMembership, StoreError> {
        self.data().stored(id)
    }

    fn ledger(&self) -> Result<Ledger, StoreError> {
        let data = self.data();
        let mut ledger = Ledger::default();
        for (&id, row) in &data.memberships {
            ledger.file(id, row.membership.platform.clone(), data.stored(id));
        }
        Ok(ledger)
    }

    fn data_version(&self) -> Result<u64, StoreError> {
        Ok(self.data().version)
    }

    fn update_membership_noting_price(
        &mut self,
        id: i64,
        revision: i64,
        membership: &Membership,
        price_change: Option<&PriceChange>,
    ) -> Result<i64, StoreError> {
        membership.validate()?;
        self.write(|data| {
            let current = data.require_membership(id)?.revision;
            if current != revision {
                return Err(StoreError::Conflict { id });
            }
            let stored = storable(membership)?;
            let row = data.memberships.get_mut(&id).expect("checked above");
            row.membership = stored;
            row.revision += 1;
            row.updated_at = now();
            if let Some(change) = price_change {
                data.insert_price_changes(id, std::slice::from_ref(change))?;
            }
            Ok(revision + 1)
        })
    }

    fn remove_membership(&mut self, id: i64) -> Result<(), StoreError> {
        self.write(|data| {
            data.memberships
                .remove(&id)
                .ok_or(StoreError::NotFound { id })?;
            // What the schema cascades or sets to NULL.
            data.policies.remove(&id);
            data.splits.remove(&id);
            data.reminder_days.remove(&id);
            data.price_changes.retain(|&(_, of, _)| of != id);
            for decision in data.decisions.values_mut() {
                if let Decision::Adopted(adopted @ Some(_)) = decision
                    && *adopted == Some(id)
                {
                    *adopted = None;
                }
            }
            for case in data.cases.values_mut() {
                if case.membership_id == Some(id) {
                    case.membership_id = None;
                }
            }
            Ok(())
        })
    }

    fn set_policy(&mut self, id: i64, policy: PolicyInput<'_>) -> Result<(), StoreError> {
        PolicyTerms::from_toml(policy.text)?;
        self.write(|data| {
            data.require_membership(id)?;
            data.write_policy(id, policy);
            Ok(())
        })
    }

    fn policy(&self, id: i64) -> Result<Option<StoredPolicy>, StoreError> {
        let data = self.data();
        data.require_membership(id)?;
        Ok(data.policies.get(&id).cloned())
    }

    fn remove_policy(&mut self, id: i64) -> Result<bool, StoreError> {
        self.write(|data| {
            data.require_membership(id)?;
            Ok(data.policies.remove(&id).is_some())
        })
    }
}

impl PriceStore for MemoryStore {
    fn record_price_changes(
        &mut self,
        membership_id: i64,
        changes: &[PriceChange],
    ) -> Result<(), StoreError> {
        self.write(|data| {
            data.require_membership(membership_id)?;
            data.insert_price_changes(membership_id, changes)
        })
    }

    fn price_changes(&self) -> Result<Vec<(i64, PriceChange)>, StoreError> {
        let data = self.data();
        let mut rows = data.price_changes.clone();
        rows.sort_by_key(|&(id, membership_id, change)| (membership_id, change.on, id));
        Ok(rows
            .into_iter()
            .map(|(_, membership_id, change)| (membership_id, change))
            .collect())
    }
}

impl BillStore for MemoryStore {
    fn import_bills(&mut self, import: &BillImport<'_>) -> Result<ImportCounts, StoreError> {
        self.write(|data| Ok(data.import_bills(import)))
    }

    fn bill_transactions(&self) -> Result<Vec<BillTransaction>, StoreError> {
        Ok(self.data().bill_transactions())
    }

    fn bills_period_end(&self) -> Result<Option<Date>, StoreError> {
        Ok(self.data().bills_period_end())
    }

    fn bills_fingerprint(&self) -> Result<(i64, i64), StoreError> {
        // Ids count up from 1 and no transaction is ever removed: the highest is the count.
        let count = i64::try_from(self.data().bills.len()).unwrap_or(i64::MAX);
        Ok((count, count))
    }

    fn stream_decisions(&self) -> Result<Vec<StreamDecision>, StoreError> {
        Ok(self.data().stream_decisions())
    }

    fn dismiss_stream(&mut self, key: &str) -> Result<(), StoreError> {
        self.write(|data| {
            data.decisions.insert(key.to_string(), Decision::Dismissed);
            Ok(())
        })
    }

    fn link_stream(&mut self, key: &str, membership_id: i64) -> Result<(), StoreError> {
        self.write(|data| {
            data.require_membership(membership_id)?;
            data.decisions
                .insert(key.to_string(), Decision::Adopted(Some(membership_id)));
            Ok(())
        })
    }

    fn adopt_stream(
        &mut self,
        key: &str,
        membership: &Membership,
        price_changes: &[PriceChange],
    ) -> Result<i64, StoreError> {
        membership.validate()?;
        self.write(|data| data.adopt_stream(key, membership, price_changes))
    }
}

impl CaseStore for MemoryStore {
    fn open_case(
        &mut self,
        membership_id: i64,
        opened_on: Date,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        self.write(|data| data.open_case(membership_id, opened_on, at))
    }

    fn case(&self, id: i64) -> Result<StoredCase, StoreError> {
        self.data().case(id)
    }

    fn cases(&self) -> Result<Vec<StoredCase>, StoreError> {
        let data = self.data();
        data.cases.keys().map(|&id| data.case(id)).collect()
    }

    fn change_case(
        &mut self,
        id: i64,
        revision: i64,
        change: &CaseChange,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write(|data| data.change_case(id, revision, change, at))
    }

    fn vault_head(&self) -> Result<Option<VaultHead>, StoreError> {
        Ok(self.data().vault_head.clone())
    }

    fn append_to_vault<T, E: From<StoreError>>(
        &mut self,
        append: impl FnOnce(Option<&VaultHead>) -> Result<(VaultHead, T), E>,
    ) -> Result<T, E> {
        // The lock is held while `append` runs: concurrent additions wait for each other.
        let mut data = self.data();
        let (new, out) = append(data.vault_head.as_ref())?;
        // Stored as SQLite's INTEGER holds it.
        let seq = new.seq.min(i64::MAX.unsigned_abs());
        if seq < 1 {
            return Err(check_failed("seq >= 1").into());
        }
        if new.hash.chars().count() != 64 {
            return Err(check_failed("length(hash) = 64").into());
        }
        data.vault_head = Some(VaultHead {
            seq,
            hash: new.hash,
        });
        data.version += 1;
        Ok(out)
    }

    fn undo_step(&mut self, id: i64, revision: i64, step: &str) -> Result<(), StoreError> {
        self.write(|data| data.undo_step(id, revision, step))
    }
}

impl HouseholdStore for MemoryStore {
    fn add_member(&mut self, name: &str) -> Result<i64, StoreError> {
        self.write(|data| data.add_member(name))
    }

    fn members(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.data().members.values().cloned().collect())
    }

    fn remove_member(&mut self, name: &str) -> Result<(), StoreError> {
        self.write(|data| data.remove_member(name))
    }

    fn set_split(
        &mut self,
        membership_id: i64,
        split: &[(String, SplitRule)],
    ) -> Result<(), StoreError> {
        self.write(|data| data.set_split(membership_id, split))
    }

    fn splits(&self) -> Result<Vec<(i64, Split)>, StoreError> {
        Ok(self.data().splits())
    }
}

impl ReminderStore for MemoryStore {
    fn set_reminder_days(
        &mut self,
        membership_id: i64,
        days: Option<&[u32]>,
    ) -> Result<(), StoreError> {
        self.write(|data| {
            data.require_membership(membership_id)?;
            data.reminder_days.remove(&membership_id);
            if let Some(days) = days.filter(|d| !d.is_empty()) {
                data.reminder_days.insert(membership_id, days.to_vec());
            }
            Ok(())
        })
    }

    fn reminder_days(&self) -> Result<Vec<(i64, Vec<u32>)>, StoreError> {
        Ok(self
            .data()
            .reminder_days
            .iter()
            .map(|(&id, days)| (id, days.clone()))
            .collect())
    }

    fn claim_reminder(
        &mut self,
        key: &ReminderKey,
        channel: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut data = self.data();
        // SQLite's INSERT OR IGNORE also skips a row its CHECKs refuse: no claim.
        if channel.is_empty() || !four_digit_year(key.key_day) {
            return Ok(false);
        }
        let row = (
            key.membership_id,
            key.key_day,
            key.lead_days,
            channel.to_string(),
        );
        if data.reminders_sent.contains_key(&row) {
            return Ok(false);
        }
        data.reminders_sent.insert(row, at);
        data.version += 1;
        Ok(true)
    }

    fn release_reminder(&mut self, key: &ReminderKey, channel: &str) -> Result<(), StoreError> {
        let mut data = self.data();
        let row = (
            key.membership_id,
            key.key_day,
            key.lead_days,
            channel.to_string(),
        );
        if data.reminders_sent.remove(&row).is_some() {
            data.version += 1;
        }
        Ok(())
    }
}

/// A refund as the case table takes it.
fn check_refund(refund: &RefundTrack) -> Result<(), StoreError> {
    if refund.promised_minor.is_some_and(|m| m < 0) {
        return Err(check_failed(
            "promised_minor IS NULL OR promised_minor >= 0",
        ));
    }
    if refund.received_minor.is_some_and(|m| m < 0) {
        return Err(check_failed(
            "received_minor IS NULL OR received_minor >= 0",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::prelude::*;

    fn head(seq: u64) -> VaultHead {
        VaultHead {
            seq,
            hash: "a".repeat(64),
        }
    }

    #[test]
    fn clones_share_one_ledger() {
        let mut a = MemoryStore::new();
        let mut b = a.clone();
        a.add_member("我").unwrap();
        assert!(matches!(
            b.add_member("我"),
            Err(StoreError::MemberExists(_))
        ));
        b.append_to_vault(|_| -> Result<_, StoreError> { Ok((head(1), ())) })
            .unwrap();
        assert_eq!(a.vault_head().unwrap(), Some(head(1)));
        assert!(MemoryStore::new().members().unwrap().is_empty());
    }

    #[test]
    fn a_panic_while_adding_to_the_vault_leaves_the_ledger_usable() {
        let mut store = MemoryStore::new();
        store
            .append_to_vault(|_| -> Result<_, StoreError> { Ok((head(1), ())) })
            .unwrap();
        let mut other = store.clone();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            other
                .append_to_vault(|_| -> Result<(VaultHead, ()), StoreError> {
                    panic!("the journal broke")
                })
                .ok();
        }));
        assert!(panicked.is_err());
        assert_eq!(store.vault_head().unwrap(), Some(head(1)));
        store.add_member("我").unwrap();
    }
}
