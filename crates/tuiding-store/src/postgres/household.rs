//! Household members, splits and reminders in PostgreSQL.

use tuiding_core::split::SplitRule;

use crate::postgres::memberships::require_membership;
use crate::postgres::{PgStore, Session, Wrote, day, storable};
use crate::{HouseholdStore, ReminderKey, ReminderStore, Split, StoreError};

impl HouseholdStore for PgStore {
    fn add_member(&mut self, name: &str) -> Result<i64, StoreError> {
        let name = name.trim();
        self.write(|s| {
            let inserted = s.opt(
                "INSERT INTO household_member (account_id, name) VALUES ($1, $2)
                 ON CONFLICT (account_id, name) DO NOTHING RETURNING id",
                &[&{ s.account }, &name],
            )?;
            match inserted {
                Some(row) => Ok(Wrote::Changed(row.get(0))),
                None => Err(StoreError::MemberExists(name.to_string())),
            }
        })
    }

    fn members(&self) -> Result<Vec<String>, StoreError> {
        self.read_one(|s| {
            Ok(s.query(
                "SELECT name FROM household_member WHERE account_id = $1 ORDER BY id",
                &[&{ s.account }],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
        })
    }

    fn remove_member(&mut self, name: &str) -> Result<(), StoreError> {
        self.write(|s| {
            let id = member_id(s, name)?;
            let used: i64 = s
                .one(
                    "SELECT count(*) FROM membership_split WHERE account_id = $1 AND member_id = $2",
                    &[&{ s.account }, &id],
                )?
                .get(0);
            if used > 0 {
                return Err(StoreError::MemberInUse(name.trim().to_string()));
            }
            s.exec(
                "DELETE FROM household_member WHERE account_id = $1 AND id = $2",
                &[&{ s.account }, &id],
            )?;
            Ok(Wrote::Changed(()))
        })
    }

    fn set_split(
        &mut self,
        membership_id: i64,
        split: &[(String, SplitRule)],
    ) -> Result<(), StoreError> {
        self.write(|s| {
            require_membership(s, membership_id)?;
            s.exec(
                "DELETE FROM membership_split WHERE account_id = $1 AND membership_id = $2",
                &[&{ s.account }, &membership_id],
            )?;
            for (position, (name, rule)) in (0_i32..).zip(split) {
                let member = member_id(s, name)?;
                let (shares, fixed) = match rule {
                    SplitRule::Shares(n) => (Some(i64::from(*n)), None),
                    SplitRule::Fixed(f) => (None, Some(*f)),
                };
                s.exec(
                    "INSERT INTO membership_split (account_id, membership_id, position, member_id,
                         shares, fixed_minor)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[
                        &{ s.account },
                        &membership_id,
                        &position,
                        &member,
                        &shares,
                        &fixed,
                    ],
                )?;
            }
            Ok(Wrote::Changed(()))
        })
    }

    fn splits(&self) -> Result<Vec<(i64, Split)>, StoreError> {
        self.read_one(|s| {
            let rows = s.query(
                "SELECT s.membership_id, m.name, s.shares, s.fixed_minor FROM membership_split s
                 JOIN household_member m ON m.account_id = s.account_id AND m.id = s.member_id
                 WHERE s.account_id = $1 ORDER BY s.membership_id, s.position",
                &[&{ s.account }],
            )?;
            let mut out: Vec<(i64, Split)> = Vec::new();
            for r in rows {
                crate::rows::push_split(&mut out, (r.get(0), r.get(1), r.get(2), r.get(3)))?;
            }
            Ok(out)
        })
    }
}

impl ReminderStore for PgStore {
    fn set_reminder_days(
        &mut self,
        membership_id: i64,
        days: Option<&[u32]>,
    ) -> Result<(), StoreError> {
        self.write(|s| {
            require_membership(s, membership_id)?;
            s.exec(
                "DELETE FROM reminder_lead WHERE account_id = $1 AND membership_id = $2",
                &[&{ s.account }, &membership_id],
            )?;
            if let Some(days) = days.filter(|d| !d.is_empty()) {
                let text: Vec<String> = days.iter().map(u32::to_string).collect();
                s.exec(
                    "INSERT INTO reminder_lead (account_id, membership_id, days) VALUES ($1, $2, $3)",
                    &[&{ s.account }, &membership_id, &text.join(",")],
                )?;
            }
            Ok(Wrote::Changed(()))
        })
    }

    fn reminder_days(&self) -> Result<Vec<(i64, Vec<u32>)>, StoreError> {
        self.read_one(|s| {
            let rows = s.query(
                "SELECT membership_id, days FROM reminder_lead WHERE account_id = $1
                 ORDER BY membership_id",
                &[&{ s.account }],
            )?;
            rows.iter()
                .map(|r| {
                    let (id, text): (i64, &str) = (r.get(0), r.get(1));
                    let days = text
                        .split(',')
                        .map(str::parse::<u32>)
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|_| StoreError::Corrupt {
                            id,
                            field: "reminder_lead",
                            value: text.to_string(),
                        })?;
                    Ok((id, days))
                })
                .collect()
        })
    }

    fn claim_reminder(
        &mut self,
        key: &ReminderKey,
        channel: &str,
        at: jiff::Timestamp,
    ) -> Result<bool, StoreError> {
        // What the schema refuses is no claim, as SQLite's INSERT OR IGNORE has it.
        if channel.is_empty() || !storable(key.key_day) {
            return Ok(false);
        }
        self.write(|s| {
            // The primary key makes the claim atomic between processes.
            let inserted = s.exec(
                "INSERT INTO reminder_sent (account_id, membership_id, key_day, lead_days, channel,
                     sent_at)
                 VALUES ($1, $2, $3::text::date, $4, $5, $6::text::timestamptz)
                 ON CONFLICT DO NOTHING",
                &[
                    &{ s.account },
                    &key.membership_id,
                    &day(key.key_day),
                    &i64::from(key.lead_days),
                    &channel,
                    &at.to_string(),
                ],
            )?;
            Ok(if inserted == 1 {
                Wrote::Changed(true)
            } else {
                Wrote::Nothing(false)
            })
        })
    }

    fn release_reminder(&mut self, key: &ReminderKey, channel: &str) -> Result<(), StoreError> {
        if !storable(key.key_day) {
            return Ok(());
        }
        self.write(|s| {
            let removed = s.exec(
                "DELETE FROM reminder_sent WHERE account_id = $1 AND membership_id = $2
                     AND key_day = $3::text::date AND lead_days = $4 AND channel = $5",
                &[
                    &{ s.account },
                    &key.membership_id,
                    &day(key.key_day),
                    &i64::from(key.lead_days),
                    &channel,
                ],
            )?;
            Ok(if removed > 0 {
                Wrote::Changed(())
            } else {
                Wrote::Nothing(())
            })
        })
    }
}

fn member_id(s: &mut Session<'_, '_>, name: &str) -> Result<i64, StoreError> {
    s.opt(
        "SELECT id FROM household_member WHERE account_id = $1 AND name = $2",
        &[&{ s.account }, &name.trim()],
    )?
    .map(|r| r.get(0))
    .ok_or_else(|| StoreError::MemberNotFound(name.trim().to_string()))
}
