//! # tuiding-store
//!
//! Persistence behind one trait. [`Store`] is what the rest of tuiding talks to;
//! [`SqliteStore`] is the embedded default (bundled SQLite, WAL, foreign keys on,
//! versioned migrations embedded in the binary). [`PgStore`] is one account's ledger in a
//! shared PostgreSQL database ([`Postgres`]), for the server case, behind the same trait;
//! callers never branch on SQL dialect. Both schemas move on from one list of migrations.
//! [`MemoryStore`] is an in-memory backend for fast application tests, with the same
//! behaviour as SQLite, checked by the shared suite (`tests/suite.rs`) that runs against
//! every backend.
//!
//! Every method that writes is one transaction: it lands completely or not at all.
//! The store never decides anything about memberships: it validates with
//! [`Membership::validate`] and stores; all derived figures live in `tuiding-core`.

mod any;
mod copy;
mod error;
mod memory;
mod migrations;
mod postgres;
mod rows;
mod sqlite;
#[doc(hidden)]
pub mod testing;

pub use error::StoreError;

/// Every part of [`Store`], to call its methods on a concrete store (`SqliteStore`,
/// `MemoryStore`): `use tuiding_store::prelude::*;`.
pub mod prelude {
    pub use crate::{
        BillStore, CaseStore, HouseholdStore, MembershipStore, PriceStore, ReminderStore, Store,
    };
}
pub use any::AnyStore;
pub use copy::CopyCounts;
pub use memory::MemoryStore;
pub use postgres::{Account, PgStore, Postgres};
pub use sqlite::SqliteStore;

use jiff::Timestamp;
use jiff::civil::Date;
use tuiding_core::case::{CaseState, RefundTrack, Transition};
use tuiding_core::transaction::Transaction;
use tuiding_core::{Channel, Membership};

/// How a membership's price is split: each member with a share of the rest or a fixed
/// amount.
pub type Split = Vec<(String, tuiding_core::split::SplitRule)>;

/// The last entry of the evidence journal: its sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultHead {
    /// The entry's `seq` (1 for the first).
    pub seq: u64,
    /// The entry's `hash`.
    pub hash: String,
}

/// The whole ledger as read: what can be computed with, and what cannot.
#[derive(Debug, Default)]
pub struct Ledger {
    /// The memberships every figure can be computed from, by id.
    pub memberships: Vec<StoredMembership>,
    /// Rows out of range (written by an older version that accepted them): listings skip
    /// them and name them; `show`, `edit` and `rm` still reach them by id.
    pub faulty: Vec<FaultyMembership>,
}

impl Ledger {
    /// Files a row read from a backend: among the memberships when it reads and validates,
    /// else among the faulty rows, named by its platform.
    pub(crate) fn file(
        &mut self,
        id: i64,
        platform: String,
        read: Result<StoredMembership, StoreError>,
    ) {
        match read.and_then(|stored| {
            stored.membership.validate()?;
            Ok(stored)
        }) {
            Ok(stored) => self.memberships.push(stored),
            Err(error) => self.faulty.push(FaultyMembership {
                id,
                platform,
                error,
            }),
        }
    }
}

/// A row the ledger holds but cannot compute with, and why.
#[derive(Debug)]
pub struct FaultyMembership {
    /// The ledger id.
    pub id: i64,
    /// The platform, to name it.
    pub platform: String,
    /// What is wrong.
    pub error: StoreError,
}

/// A membership as stored: its id and revision beside the domain value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMembership {
    /// The ledger id (never reused after removal).
    pub id: i64,
    /// Incremented by every update; used to refuse an update based on a stale read.
    pub revision: i64,
    /// When it was added (RFC 3339, UTC).
    pub created_at: String,
    /// When it was last changed (RFC 3339, UTC).
    pub updated_at: String,
    /// The membership itself.
    pub membership: Membership,
}

/// A membership's policy as stored: the TOML text, verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPolicy {
    /// The TOML text (checked by `tuiding_core::policy::Policy::from_toml` before storing).
    pub text: String,
    /// Where it came from: a file name, `template:NAME`, `stdin`.
    pub origin: String,
    /// When it was last set (RFC 3339, UTC).
    pub updated_at: String,
}

/// A policy to store with a membership.
#[derive(Debug, Clone, Copy)]
pub struct PolicyInput<'a> {
    /// The TOML text.
    pub text: &'a str,
    /// Where it came from.
    pub origin: &'a str,
}

/// Checks memberships and their policies before anything of a batch is written: every
/// backend refuses the whole batch for one bad item.
pub(crate) fn check_batch(
    items: &[(Membership, Option<PolicyInput<'_>>)],
) -> Result<(), StoreError> {
    for (membership, policy) in items {
        membership.validate()?;
        if let Some(p) = policy {
            tuiding_core::policy::Policy::from_toml(p.text)?;
        }
    }
    Ok(())
}

/// One export to import.
pub struct BillImport<'a> {
    /// The file name, for the record.
    pub file: &'a str,
    /// The layout recognised.
    pub format: &'a str,
    /// The rows.
    pub transactions: &'a [Transaction],
    /// 起始时间, when the export states it.
    pub period_start: Option<Date>,
    /// 终止时间, when the export states it.
    pub period_end: Option<Date>,
    /// Called once per row written (for a progress bar).
    pub progress: Option<&'a dyn Fn()>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportCounts {
    /// Rows in the export.
    pub read: usize,
    /// Rows not stored before.
    pub added: usize,
}

/// A cancellation case as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    /// The case id.
    pub id: i64,
    /// The membership (None once it was removed).
    pub membership_id: Option<i64>,
    /// Platform and plan when the case was opened.
    pub membership_label: String,
    /// The membership's currency code.
    pub currency: String,
    /// Where it stands.
    pub state: CaseState,
    /// The day it was opened.
    pub opened_on: Date,
    /// The refund as promised and received.
    pub refund: RefundTrack,
    /// Every transition, oldest first.
    pub transitions: Vec<Transition>,
    /// Steps done: id, when (RFC 3339), note.
    pub steps_done: Vec<StepDone>,
    /// For refusing an update based on a stale read.
    pub revision: i64,
}

/// A completed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDone {
    /// The step id (`close:wechat_pay` …).
    pub step_id: String,
    /// When it was marked done.
    pub done_at: Timestamp,
    /// The user's note.
    pub note: Option<String>,
}

/// A change to a case, applied in one transaction.
#[derive(Debug, Clone, Default)]
pub struct CaseChange {
    /// Move to this state (checked against the state machine).
    pub to: Option<CaseState>,
    /// Mark this step done.
    pub step: Option<String>,
    /// The user's note (on the transition and the step).
    pub note: Option<String>,
    /// Replace the refund tracking.
    pub refund: Option<RefundTrack>,
    /// Close this auto-renew channel of the membership on this day.
    pub close_channel: Option<(Channel, Date)>,
    /// The case settled the membership: its service stopped on this day (paid through it)
    /// and every contract that could still charge is closed, so it renews no more.
    pub end_service: Option<Date>,
}

impl CaseChange {
    /// Whether the change edits the membership too (a channel closed, the service ended).
    pub fn touches_membership(&self) -> bool {
        self.close_channel.is_some() || self.end_service.is_some()
    }

    /// Checks the change against the case as read — `revision` must be the case's, the
    /// move legal — and, when it edits the membership, reads it (`read`) and applies the
    /// change, validated: the membership's id, the revision read and the membership as the
    /// change leaves it. Every backend runs this before it writes anything.
    pub(crate) fn check_against(
        &self,
        current: &StoredCase,
        revision: i64,
        read: impl FnOnce(i64) -> Result<StoredMembership, StoreError>,
    ) -> Result<Option<(i64, i64, Membership)>, StoreError> {
        if current.revision != revision {
            return Err(StoreError::Conflict { id: current.id });
        }
        if let Some(to) = self.to {
            current.state.check(to)?;
        }
        match current.membership_id {
            Some(mid) if self.touches_membership() => {
                let stored = read(mid)?;
                let mut m = stored.membership;
                self.apply_to_membership(&mut m)?;
                Ok(Some((mid, stored.revision, m)))
            }
            _ => Ok(None),
        }
    }

    /// The membership as this change leaves it, validated: the channel closed (one closed
    /// already keeps the day it was closed: later charges are judged by it), and when the
    /// service ended, every contract that could charge closed and paid through that day.
    /// Every backend writes this in the same transaction as the case's change.
    pub fn apply_to_membership(&self, m: &mut Membership) -> Result<(), StoreError> {
        use tuiding_core::{AutoRenewContract, ContractStatus};
        if let Some((channel, on)) = self.close_channel {
            match m.auto_renew.iter_mut().find(|c| c.channel == channel) {
                Some(c) => {
                    if !matches!(c.status, ContractStatus::Closed(_)) {
                        c.status = ContractStatus::Closed(on);
                    }
                }
                None => m.auto_renew.push(AutoRenewContract {
                    channel,
                    status: ContractStatus::Closed(on),
                }),
            }
        }
        if let Some(last) = self.end_service {
            for c in m.auto_renew.iter_mut().filter(|c| c.status.can_charge()) {
                c.status = ContractStatus::Closed(last);
            }
            if m.auto_renew.is_empty() {
                // Nothing recorded means "may renew": record that nothing can.
                m.auto_renew.push(AutoRenewContract {
                    channel: Channel::Other,
                    status: ContractStatus::Closed(last),
                });
            }
            m.paid_through = Some(last.max(m.start));
        }
        m.validate()?;
        Ok(())
    }
}

/// What the user decided about a detected stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamDecision {
    /// "Not a subscription": never show it again.
    Dismissed {
        /// The stream's key.
        key: String,
    },
    /// Made into a membership.
    Adopted {
        /// The stream's key.
        key: String,
        /// The membership (None once it was removed).
        membership_id: Option<i64>,
    },
}

impl StreamDecision {
    /// The stream's key.
    pub fn key(&self) -> &str {
        match self {
            StreamDecision::Dismissed { key } | StreamDecision::Adopted { key, .. } => key,
        }
    }
}

/// The ledger's persistence.
pub trait Store:
    MembershipStore + PriceStore + BillStore + CaseStore + HouseholdStore + ReminderStore
{
}

impl<T> Store for T where
    T: MembershipStore + PriceStore + BillStore + CaseStore + HouseholdStore + ReminderStore
{
}

/// Memberships and their policies. Part of [`Store`].
pub trait MembershipStore {
    /// Adds memberships, each with its policy when given, in one transaction, and returns
    /// their ids in order. Nothing is written if any membership or policy is invalid.
    fn add_memberships_with_policies(
        &mut self,
        items: &[(Membership, Option<PolicyInput<'_>>)],
    ) -> Result<Vec<i64>, StoreError>;

    /// Adds memberships without policies in one transaction.
    fn add_memberships(&mut self, memberships: &[Membership]) -> Result<Vec<i64>, StoreError> {
        let items: Vec<_> = memberships.iter().map(|m| (m.clone(), None)).collect();
        self.add_memberships_with_policies(&items)
    }

    /// Adds one membership and returns its id.
    fn add_membership(&mut self, membership: &Membership) -> Result<i64, StoreError> {
        self.add_membership_with_policy(membership, None)
    }

    /// Adds a membership and, when given, its policy, in one transaction.
    fn add_membership_with_policy(
        &mut self,
        membership: &Membership,
        policy: Option<PolicyInput<'_>>,
    ) -> Result<i64, StoreError> {
        Ok(self.add_memberships_with_policies(&[(membership.clone(), policy)])?[0])
    }

    /// One membership by id.
    fn membership(&self, id: i64) -> Result<StoredMembership, StoreError>;

    /// Every membership, by id, with the rows no figure can be computed from set apart.
    fn ledger(&self) -> Result<Ledger, StoreError>;

    /// A number that moves on with every committed change to anything the store holds
    /// (memberships, bills, cases, household, reminders), whoever made it. Equal numbers
    /// mean nothing changed in between: what was computed from the store still holds.
    fn data_version(&self) -> Result<u64, StoreError>;

    /// Every membership figures can be computed from, by id; [`MembershipStore::ledger`] also names
    /// the rows left out.
    fn memberships(&self) -> Result<Vec<StoredMembership>, StoreError> {
        Ok(self.ledger()?.memberships)
    }

    /// Replaces a membership, provided nobody changed it since `revision` was read
    /// (otherwise [`StoreError::Conflict`]). Returns the new revision.
    fn update_membership(
        &mut self,
        id: i64,
        revision: i64,
        membership: &Membership,
    ) -> Result<i64, StoreError> {
        self.update_membership_noting_price(id, revision, membership, None)
    }

    /// As [`MembershipStore::update_membership`], recording a price change in the same transaction.
    fn update_membership_noting_price(
        &mut self,
        id: i64,
        revision: i64,
        membership: &Membership,
        price_change: Option<&tuiding_core::price::PriceChange>,
    ) -> Result<i64, StoreError>;

    /// Removes a membership with its contracts, benefits and policy.
    fn remove_membership(&mut self, id: i64) -> Result<(), StoreError>;

    /// Sets (or replaces) a membership's policy. The text must be a valid policy.
    fn set_policy(&mut self, id: i64, policy: PolicyInput<'_>) -> Result<(), StoreError>;

    /// A membership's policy, if one is set.
    fn policy(&self, id: i64) -> Result<Option<StoredPolicy>, StoreError>;

    /// Removes a membership's policy; `false` when it had none.
    fn remove_policy(&mut self, id: i64) -> Result<bool, StoreError>;
}

/// Price changes of memberships. Part of [`Store`].
pub trait PriceStore {
    /// Records price changes seen elsewhere (charges in bills, notices), in one transaction.
    fn record_price_changes(
        &mut self,
        membership_id: i64,
        changes: &[tuiding_core::price::PriceChange],
    ) -> Result<(), StoreError>;

    /// Every recorded price change, by membership id, oldest first.
    fn price_changes(&self) -> Result<Vec<(i64, tuiding_core::price::PriceChange)>, StoreError>;
}

/// Imported bills and the decisions about their recurring streams. Part of [`Store`].
pub trait BillStore {
    /// Stores an export's transactions in one transaction; rows already stored (the same
    /// or an overlapping export) are skipped.
    fn import_bills(&mut self, import: &BillImport<'_>) -> Result<ImportCounts, StoreError>;

    /// Every stored bill transaction, oldest first.
    fn bill_transactions(&self) -> Result<Vec<Transaction>, StoreError>;

    /// The latest end date of the imported exports (for judging stream status).
    fn bills_period_end(&self) -> Result<Option<Date>, StoreError>;

    /// (count, highest id) of the stored bill transactions: changes whenever an import
    /// adds one (transactions are never changed or removed), so it can key a cache.
    fn bills_fingerprint(&self) -> Result<(i64, i64), StoreError>;

    /// Every decision about streams.
    fn stream_decisions(&self) -> Result<Vec<StreamDecision>, StoreError>;

    /// Remembers that a stream is not a subscription.
    fn dismiss_stream(&mut self, key: &str) -> Result<(), StoreError>;

    /// Links a stream to a membership already in the ledger (its charges are that
    /// membership's: charges after a cancellation reach its case).
    fn link_stream(&mut self, key: &str, membership_id: i64) -> Result<(), StoreError>;

    /// Adds a membership for a stream with the price changes its charges show, and
    /// remembers the link, in one transaction. [`StoreError::Conflict`] when the stream was
    /// already adopted.
    fn adopt_stream(
        &mut self,
        key: &str,
        membership: &Membership,
        price_changes: &[tuiding_core::price::PriceChange],
    ) -> Result<i64, StoreError>;
}

/// Cancellation cases and the head of the evidence journal. Part of [`Store`].
pub trait CaseStore {
    /// Opens a case for a membership (state `opened`); returns its id.
    fn open_case(
        &mut self,
        membership_id: i64,
        opened_on: Date,
        at: Timestamp,
    ) -> Result<i64, StoreError>;

    /// One case.
    fn case(&self, id: i64) -> Result<StoredCase, StoreError>;

    /// Every case, by id.
    fn cases(&self) -> Result<Vec<StoredCase>, StoreError>;

    /// Applies a change in one transaction: the state move is checked against the state
    /// machine (an illegal one is [`StoreError::IllegalTransition`]), `revision` must match.
    fn change_case(
        &mut self,
        id: i64,
        revision: i64,
        change: &CaseChange,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The evidence journal's head as last acknowledged: `None` before the first addition
    /// (or in a data dir from before heads were recorded).
    fn vault_head(&self) -> Result<Option<VaultHead>, StoreError>;

    /// Adds to the evidence vault under the ledger's write lock: `append` gets the head
    /// recorded so far, appends to the journal and returns the new head, which is recorded
    /// in the same transaction. Concurrent additions wait for each other, and an `append`
    /// that fails records nothing.
    fn append_to_vault<T, E: From<StoreError>>(
        &mut self,
        append: impl FnOnce(Option<&VaultHead>) -> Result<(VaultHead, T), E>,
    ) -> Result<T, E>;

    /// Takes back a step marked done by mistake (its note goes with it), provided the case
    /// is still at `revision`. What marking it did elsewhere (a state move, a channel
    /// recorded as closed) stays: those are facts of their own, changed by their commands.
    fn undo_step(&mut self, id: i64, revision: i64, step: &str) -> Result<(), StoreError>;
}

/// Household members and how prices are split among them. Part of [`Store`].
pub trait HouseholdStore {
    /// Adds a household member; [`StoreError::MemberExists`] when the name is taken.
    fn add_member(&mut self, name: &str) -> Result<i64, StoreError>;

    /// Household members, in the order added.
    fn members(&self) -> Result<Vec<String>, StoreError>;

    /// Removes a member; refused ([`StoreError::MemberInUse`]) while a split names them.
    fn remove_member(&mut self, name: &str) -> Result<(), StoreError>;

    /// Replaces a membership's split (empty: no split), in one transaction.
    fn set_split(
        &mut self,
        membership_id: i64,
        split: &[(String, tuiding_core::split::SplitRule)],
    ) -> Result<(), StoreError>;

    /// Every membership's split, by membership id.
    fn splits(&self) -> Result<Vec<(i64, Split)>, StoreError>;
}

/// Reminder lead days and the reminders sent. Part of [`Store`].
pub trait ReminderStore {
    /// Sets a membership's reminder lead days (`None`: back to the default).
    fn set_reminder_days(
        &mut self,
        membership_id: i64,
        days: Option<&[u32]>,
    ) -> Result<(), StoreError>;

    /// Every membership's own lead days, by membership id.
    fn reminder_days(&self) -> Result<Vec<(i64, Vec<u32>)>, StoreError>;

    /// Claims a reminder for `channel` before it is sent: true when this caller may send it,
    /// false when it was sent (or is being sent by another run) already. Two runs at once
    /// (cron and the server) never both send.
    fn claim_reminder(
        &mut self,
        key: &ReminderKey,
        channel: &str,
        at: jiff::Timestamp,
    ) -> Result<bool, StoreError>;

    /// Gives a claim back after sending failed, so the next run tries again.
    fn release_reminder(&mut self, key: &ReminderKey, channel: &str) -> Result<(), StoreError>;
}

/// One reminder: a membership's key day (a last safe cancel day) and the lead it was sent at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderKey {
    /// The membership.
    pub membership_id: i64,
    /// The last safe cancel day the reminder is about.
    pub key_day: jiff::civil::Date,
    /// Days before the key day.
    pub lead_days: u32,
}
