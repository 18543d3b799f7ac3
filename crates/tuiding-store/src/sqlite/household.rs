//! Household members and how each membership's price is split among them; per-membership
//! reminder lead times.

use crate::ReminderKey;
use crate::{HouseholdStore, ReminderStore};
use rusqlite::{OptionalExtension, params};
use tuiding_core::split::SplitRule;

use crate::StoreError;
use crate::sqlite::SqliteStore;

/// A membership's split: member name and rule, in the order given.
pub use crate::Split;

impl HouseholdStore for SqliteStore {
    fn add_member(&mut self, name: &str) -> Result<i64, StoreError> {
        let name = name.trim();
        let tx = self.conn.transaction()?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT id FROM household_member WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::MemberExists(name.to_string()));
        }
        tx.execute("INSERT INTO household_member (name) VALUES (?1)", [name])?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    fn members(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM household_member ORDER BY id")?;
        let names = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(names)
    }

    fn remove_member(&mut self, name: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let id = member_id(&tx, name)?;
        let used: i64 = tx.query_row(
            "SELECT count(*) FROM membership_split WHERE member_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if used > 0 {
            return Err(StoreError::MemberInUse(name.trim().to_string()));
        }
        tx.execute("DELETE FROM household_member WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    fn set_split(
        &mut self,
        membership_id: i64,
        split: &[(String, SplitRule)],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        crate::sqlite::require_membership(&tx, membership_id)?;
        tx.execute(
            "DELETE FROM membership_split WHERE membership_id = ?1",
            [membership_id],
        )?;
        for (position, (name, rule)) in split.iter().enumerate() {
            let member = member_id(&tx, name)?;
            let (shares, fixed) = match rule {
                SplitRule::Shares(s) => (Some(i64::from(*s)), None),
                SplitRule::Fixed(f) => (None, Some(*f)),
            };
            tx.execute(
                "INSERT INTO membership_split (membership_id, position, member_id, shares, fixed_minor) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![membership_id, position as i64, member, shares, fixed],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn splits(&self) -> Result<Vec<(i64, Split)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.membership_id, m.name, s.shares, s.fixed_minor FROM membership_split s
             JOIN household_member m ON m.id = s.member_id ORDER BY s.membership_id, s.position",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        let mut out: Vec<(i64, Split)> = Vec::new();
        for row in rows {
            crate::rows::push_split(&mut out, row?)?;
        }
        Ok(out)
    }
}

impl ReminderStore for SqliteStore {
    fn set_reminder_days(
        &mut self,
        membership_id: i64,
        days: Option<&[u32]>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        crate::sqlite::require_membership(&tx, membership_id)?;
        tx.execute(
            "DELETE FROM reminder_lead WHERE membership_id = ?1",
            [membership_id],
        )?;
        if let Some(days) = days.filter(|d| !d.is_empty()) {
            let text: Vec<String> = days.iter().map(u32::to_string).collect();
            tx.execute(
                "INSERT INTO reminder_lead (membership_id, days) VALUES (?1, ?2)",
                params![membership_id, text.join(",")],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn reminder_days(&self) -> Result<Vec<(i64, Vec<u32>)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT membership_id, days FROM reminder_lead ORDER BY membership_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, text) = row?;
            let days = text
                .split(',')
                .map(|d| d.parse::<u32>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| StoreError::Corrupt {
                    id,
                    field: "reminder_lead",
                    value: text.clone(),
                })?;
            out.push((id, days));
        }
        Ok(out)
    }

    fn claim_reminder(
        &mut self,
        key: &ReminderKey,
        channel: &str,
        at: jiff::Timestamp,
    ) -> Result<bool, StoreError> {
        // One statement: the primary key makes the claim atomic between processes.
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO reminder_sent (membership_id, key_day, lead_days, channel, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key.membership_id, key.key_day.to_string(), key.lead_days, channel, at.to_string()],
        )?;
        Ok(inserted == 1)
    }

    fn release_reminder(&mut self, key: &ReminderKey, channel: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM reminder_sent WHERE membership_id = ?1 AND key_day = ?2 AND lead_days = ?3 AND channel = ?4",
            params![key.membership_id, key.key_day.to_string(), key.lead_days, channel],
        )?;
        Ok(())
    }
}

fn member_id(tx: &rusqlite::Transaction<'_>, name: &str) -> Result<i64, StoreError> {
    tx.query_row(
        "SELECT id FROM household_member WHERE name = ?1",
        [name.trim()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::MemberNotFound(name.trim().to_string()))
}
