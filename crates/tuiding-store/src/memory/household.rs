//! Household members and splits in memory.

use tuiding_core::split::SplitRule;

use crate::memory::{Data, check_failed, key_taken};
use crate::{Split, StoreError};

impl Data {
    pub(super) fn add_member(&mut self, name: &str) -> Result<i64, StoreError> {
        let name = name.trim();
        if self.members.values().any(|n| n == name) {
            return Err(StoreError::MemberExists(name.to_string()));
        }
        if name.is_empty() {
            return Err(check_failed("length(trim(name)) > 0"));
        }
        self.last_id.member += 1;
        self.members.insert(self.last_id.member, name.to_string());
        Ok(self.last_id.member)
    }

    fn member_id(&self, name: &str) -> Result<i64, StoreError> {
        let name = name.trim();
        self.members
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(&id, _)| id)
            .ok_or_else(|| StoreError::MemberNotFound(name.to_string()))
    }

    pub(super) fn remove_member(&mut self, name: &str) -> Result<(), StoreError> {
        let id = self.member_id(name)?;
        if self
            .splits
            .values()
            .any(|split| split.iter().any(|&(member, _)| member == id))
        {
            return Err(StoreError::MemberInUse(name.trim().to_string()));
        }
        self.members.remove(&id);
        Ok(())
    }

    pub(super) fn set_split(
        &mut self,
        membership_id: i64,
        split: &[(String, SplitRule)],
    ) -> Result<(), StoreError> {
        self.require_membership(membership_id)?;
        let mut rows: Vec<(i64, SplitRule)> = Vec::with_capacity(split.len());
        for (name, rule) in split {
            let member = self.member_id(name)?;
            match *rule {
                SplitRule::Shares(0) => {
                    return Err(check_failed("shares IS NULL OR shares > 0"));
                }
                SplitRule::Fixed(fixed) if fixed < 0 => {
                    return Err(check_failed("fixed_minor IS NULL OR fixed_minor >= 0"));
                }
                _ => {}
            }
            if rows.iter().any(|&(m, _)| m == member) {
                return Err(key_taken(
                    "membership_split.membership_id, membership_split.member_id",
                ));
            }
            rows.push((member, *rule));
        }
        if rows.is_empty() {
            self.splits.remove(&membership_id);
        } else {
            self.splits.insert(membership_id, rows);
        }
        Ok(())
    }

    pub(super) fn splits(&self) -> Vec<(i64, Split)> {
        self.splits
            .iter()
            .map(|(&id, rows)| {
                let split = rows
                    .iter()
                    .map(|(member, rule)| (self.members[member].clone(), *rule))
                    .collect();
                (id, split)
            })
            .collect()
    }
}
