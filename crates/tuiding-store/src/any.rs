//! [`AnyStore`]: a ledger on whichever backend was chosen at run time (the same binary
//! serves a SQLite data dir or an account on PostgreSQL), forwarding every [`crate::Store`]
//! method to it.

use jiff::Timestamp;
use jiff::civil::Date;
use tuiding_core::Membership;
use tuiding_core::price::PriceChange;
use tuiding_core::split::SplitRule;
use tuiding_core::transaction::Transaction;

use crate::{
    BillImport, BillStore, CaseChange, CaseStore, HouseholdStore, ImportCounts, Ledger,
    MembershipStore, PgStore, PolicyInput, PriceStore, ReminderKey, ReminderStore, Split,
    SqliteStore, StoreError, StoredCase, StoredMembership, StoredPolicy, StreamDecision, VaultHead,
};

/// A ledger on SQLite or on PostgreSQL.
pub enum AnyStore {
    /// A SQLite data dir.
    Sqlite(SqliteStore),
    /// One account in a PostgreSQL database.
    Postgres(PgStore),
}

impl AnyStore {
    /// Writes a consistent copy of the ledger to a new SQLite file at `path` (which must
    /// not exist): `VACUUM INTO` on SQLite; on PostgreSQL the account's rows, read in one
    /// snapshot, copied into a new SQLite database. Either way a backup holds the same
    /// kind of file and restores the same way.
    pub fn snapshot_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        match self {
            AnyStore::Sqlite(s) => s.snapshot_to(path),
            AnyStore::Postgres(p) => {
                let mut target = SqliteStore::open(path)?;
                p.copy_into_sqlite(&mut target)?;
                Ok(())
            }
        }
    }
}

/// Calls the same method on whichever store it is.
macro_rules! forward {
    ($self:ident.$method:ident($($arg:expr),*)) => {
        match $self {
            AnyStore::Sqlite(s) => s.$method($($arg),*),
            AnyStore::Postgres(s) => s.$method($($arg),*),
        }
    };
}

impl MembershipStore for AnyStore {
    fn add_memberships_with_policies(
        &mut self,
        items: &[(Membership, Option<PolicyInput<'_>>)],
    ) -> Result<Vec<i64>, StoreError> {
        forward!(self.add_memberships_with_policies(items))
    }
    fn membership(&self, id: i64) -> Result<StoredMembership, StoreError> {
        forward!(self.membership(id))
    }
    fn ledger(&self) -> Result<Ledger, StoreError> {
        forward!(self.ledger())
    }
    fn data_version(&self) -> Result<u64, StoreError> {
        forward!(self.data_version())
    }
    fn update_membership_noting_price(
        &mut self,
        id: i64,
        revision: i64,
        membership: &Membership,
        price_change: Option<&PriceChange>,
    ) -> Result<i64, StoreError> {
        forward!(self.update_membership_noting_price(id, revision, membership, price_change))
    }
    fn remove_membership(&mut self, id: i64) -> Result<(), StoreError> {
        forward!(self.remove_membership(id))
    }
    fn set_policy(&mut self, id: i64, policy: PolicyInput<'_>) -> Result<(), StoreError> {
        forward!(self.set_policy(id, policy))
    }
    fn policy(&self, id: i64) -> Result<Option<StoredPolicy>, StoreError> {
        forward!(self.policy(id))
    }
    fn remove_policy(&mut self, id: i64) -> Result<bool, StoreError> {
        forward!(self.remove_policy(id))
    }
}

impl PriceStore for AnyStore {
    fn record_price_changes(
        &mut self,
        membership_id: i64,
        changes: &[PriceChange],
    ) -> Result<(), StoreError> {
        forward!(self.record_price_changes(membership_id, changes))
    }
    fn price_changes(&self) -> Result<Vec<(i64, PriceChange)>, StoreError> {
        forward!(self.price_changes())
    }
}

impl BillStore for AnyStore {
    fn import_bills(&mut self, import: &BillImport<'_>) -> Result<ImportCounts, StoreError> {
        forward!(self.import_bills(import))
    }
    fn bill_transactions(&self) -> Result<Vec<Transaction>, StoreError> {
        forward!(self.bill_transactions())
    }
    fn bills_period_end(&self) -> Result<Option<Date>, StoreError> {
        forward!(self.bills_period_end())
    }
    fn bills_fingerprint(&self) -> Result<(i64, i64), StoreError> {
        forward!(self.bills_fingerprint())
    }
    fn stream_decisions(&self) -> Result<Vec<StreamDecision>, StoreError> {
        forward!(self.stream_decisions())
    }
    fn dismiss_stream(&mut self, key: &str) -> Result<(), StoreError> {
        forward!(self.dismiss_stream(key))
    }
    fn link_stream(&mut self, key: &str, membership_id: i64) -> Result<(), StoreError> {
        forward!(self.link_stream(key, membership_id))
    }
    fn adopt_stream(
        &mut self,
        key: &str,
        membership: &Membership,
        price_changes: &[PriceChange],
    ) -> Result<i64, StoreError> {
        forward!(self.adopt_stream(key, membership, price_changes))
    }
}

impl CaseStore for AnyStore {
    fn open_case(
        &mut self,
        membership_id: i64,
        opened_on: Date,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        forward!(self.open_case(membership_id, opened_on, at))
    }
    fn case(&self, id: i64) -> Result<StoredCase, StoreError> {
        forward!(self.case(id))
    }
    fn cases(&self) -> Result<Vec<StoredCase>, StoreError> {
        forward!(self.cases())
    }
    fn change_case(
        &mut self,
        id: i64,
        revision: i64,
        change: &CaseChange,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        forward!(self.change_case(id, revision, change, at))
    }
    fn vault_head(&self) -> Result<Option<VaultHead>, StoreError> {
        forward!(self.vault_head())
    }
    fn append_to_vault<T, E: From<StoreError>>(
        &mut self,
        append: impl FnOnce(Option<&VaultHead>) -> Result<(VaultHead, T), E>,
    ) -> Result<T, E> {
        forward!(self.append_to_vault(append))
    }
    fn undo_step(&mut self, id: i64, revision: i64, step: &str) -> Result<(), StoreError> {
        forward!(self.undo_step(id, revision, step))
    }
}

impl HouseholdStore for AnyStore {
    fn add_member(&mut self, name: &str) -> Result<i64, StoreError> {
        forward!(self.add_member(name))
    }
    fn members(&self) -> Result<Vec<String>, StoreError> {
        forward!(self.members())
    }
    fn remove_member(&mut self, name: &str) -> Result<(), StoreError> {
        forward!(self.remove_member(name))
    }
    fn set_split(
        &mut self,
        membership_id: i64,
        split: &[(String, SplitRule)],
    ) -> Result<(), StoreError> {
        forward!(self.set_split(membership_id, split))
    }
    fn splits(&self) -> Result<Vec<(i64, Split)>, StoreError> {
        forward!(self.splits())
    }
}

impl ReminderStore for AnyStore {
    fn set_reminder_days(
        &mut self,
        membership_id: i64,
        days: Option<&[u32]>,
    ) -> Result<(), StoreError> {
        forward!(self.set_reminder_days(membership_id, days))
    }
    fn reminder_days(&self) -> Result<Vec<(i64, Vec<u32>)>, StoreError> {
        forward!(self.reminder_days())
    }
    fn claim_reminder(
        &mut self,
        key: &ReminderKey,
        channel: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        forward!(self.claim_reminder(key, channel, at))
    }
    fn release_reminder(&mut self, key: &ReminderKey, channel: &str) -> Result<(), StoreError> {
        forward!(self.release_reminder(key, channel))
    }
}
