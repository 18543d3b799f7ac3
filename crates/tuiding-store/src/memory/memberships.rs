//! Memberships, their policies and price changes in memory: stored as SQLite stores
//! them, read back as SQLite reads them.

use tuiding_core::price::PriceChange;
use tuiding_core::{Billing, Membership, Money, Period};

use crate::memory::{Data, MembershipRow, check_failed, four_digit_year, key_taken, now};
use crate::{PolicyInput, StoreError, StoredMembership, StoredPolicy};

impl Data {
    pub(super) fn require_membership(&self, id: i64) -> Result<&MembershipRow, StoreError> {
        self.memberships.get(&id).ok_or(StoreError::NotFound { id })
    }

    /// A membership as a read gives it back (what SQLite cannot read back is corrupt).
    pub(super) fn stored(&self, id: i64) -> Result<StoredMembership, StoreError> {
        let row = self.require_membership(id)?;
        readable(id, &row.membership)?;
        Ok(StoredMembership {
            id,
            revision: row.revision,
            created_at: row.created_at.clone(),
            updated_at: row.updated_at.clone(),
            membership: row.membership.clone(),
        })
    }

    /// Adds a valid membership (the caller validated it) and returns its id.
    pub(super) fn insert_membership(&mut self, m: &Membership) -> Result<i64, StoreError> {
        let membership = storable(m)?;
        self.last_id.membership += 1;
        let id = self.last_id.membership;
        let at = now();
        self.memberships.insert(
            id,
            MembershipRow {
                revision: 1,
                created_at: at.clone(),
                updated_at: at,
                membership,
            },
        );
        Ok(id)
    }

    pub(super) fn write_policy(&mut self, id: i64, policy: PolicyInput<'_>) {
        self.policies.insert(
            id,
            StoredPolicy {
                text: policy.text.to_string(),
                origin: policy.origin.to_string(),
                updated_at: now(),
            },
        );
    }

    /// Records price changes of membership `id` (which exists).
    pub(super) fn insert_price_changes(
        &mut self,
        id: i64,
        changes: &[PriceChange],
    ) -> Result<(), StoreError> {
        for c in changes {
            if !four_digit_year(c.on) {
                return Err(check_failed(
                    "changed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'",
                ));
            }
            if c.old.is_negative() {
                return Err(check_failed("old_minor >= 0"));
            }
            if c.new.is_negative() {
                return Err(check_failed("new_minor >= 0"));
            }
            self.last_id.price_change += 1;
            // One currency per row: the new price's.
            let change = PriceChange {
                old: Money::from_minor(c.old.minor_units(), c.new.currency()),
                ..*c
            };
            self.price_changes
                .push((self.last_id.price_change, id, change));
        }
        Ok(())
    }
}

/// A membership as SQLite stores it: names trimmed, and refused where the schema refuses
/// what [`Membership::validate`] lets through (two benefits whose names differ only by
/// surrounding spaces).
pub(super) fn storable(m: &Membership) -> Result<Membership, StoreError> {
    let mut m = m.clone();
    m.platform = m.platform.trim().to_string();
    m.plan = m.plan.trim().to_string();
    for i in 0..m.benefits.len() {
        m.benefits[i].name = m.benefits[i].name.trim().to_string();
        if m.benefits[..i].iter().any(|b| b.name == m.benefits[i].name) {
            return Err(key_taken("benefit.membership_id, benefit.name"));
        }
    }
    Ok(m)
}

/// [`StoreError::Corrupt`] for what SQLite would store but not read back: a period whose
/// text does not parse (`0d`).
fn readable(id: i64, m: &Membership) -> Result<(), StoreError> {
    if let Billing::Periodic(period) = m.billing {
        let text = period.to_string();
        if text.parse::<Period>().ok() != Some(period) {
            return Err(StoreError::Corrupt {
                id,
                field: "period",
                value: text,
            });
        }
    }
    Ok(())
}
