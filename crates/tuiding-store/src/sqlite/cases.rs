//! Cases in SQLite.

use crate::VaultHead;
use crate::sqlite::read_vault_head;
use crate::{CaseStore, MembershipStore};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, Transaction as Tx, params};
use tuiding_core::case::{CaseState, RefundTrack, Transition};
use tuiding_core::{ContractStatus, Currency};

use crate::sqlite::SqliteStore;
use crate::{CaseChange, StepDone, StoreError, StoredCase};

fn date(id: i64, field: &'static str, text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|t| {
        t.parse().map_err(|_| StoreError::Corrupt {
            id,
            field,
            value: t.clone(),
        })
    })
    .transpose()
}

fn stamp(id: i64, field: &'static str, text: String) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt {
        id,
        field,
        value: text,
    })
}

impl CaseStore for SqliteStore {
    fn open_case(
        &mut self,
        membership_id: i64,
        opened_on: Date,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        let stored = self.membership(membership_id)?;
        let m = stored.membership;
        let label = format!("{} {}", m.platform, m.plan).trim().to_string();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO case_file (membership_id, membership_label, currency, state, opened_on) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![membership_id, label, m.price.currency().code(), CaseState::Opened.as_str(), opened_on.to_string()],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO case_transition (case_id, seq, from_state, to_state, at) VALUES (?1, 1, NULL, ?2, ?3)",
            params![id, CaseState::Opened.as_str(), at.to_string()],
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn case(&self, id: i64) -> Result<StoredCase, StoreError> {
        type Row = (
            Option<i64>,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<i64>,
            Option<String>,
            i64,
        );
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT membership_id, membership_label, currency, state, opened_on, requested_on, promised_minor,
                        promised_by, received_minor, received_on, revision FROM case_file WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?)),
            )
            .optional()?;
        let (
            membership_id,
            label,
            currency,
            state,
            opened_on,
            requested_on,
            promised_minor,
            promised_by,
            received_minor,
            received_on,
            revision,
        ) = row.ok_or(StoreError::CaseNotFound { id })?;
        if Currency::from_code(&currency).is_err() {
            return Err(StoreError::Corrupt {
                id,
                field: "currency",
                value: currency,
            });
        }
        let state = state.parse().map_err(|_| StoreError::Corrupt {
            id,
            field: "state",
            value: state.clone(),
        })?;
        let mut transitions = Vec::new();
        let mut stmt = self.conn.prepare_cached("SELECT from_state, to_state, at, note FROM case_transition WHERE case_id = ?1 ORDER BY seq")?;
        for row in stmt.query_map([id], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })? {
            let (from, to, at, note) = row?;
            let to: CaseState = to.parse().map_err(|_| StoreError::Corrupt {
                id,
                field: "to_state",
                value: to.clone(),
            })?;
            let from = match from {
                Some(f) => f.parse().map_err(|_| StoreError::Corrupt {
                    id,
                    field: "from_state",
                    value: f.clone(),
                })?,
                None => to,
            };
            transitions.push(Transition {
                from,
                to,
                at: stamp(id, "at", at)?,
                note,
            });
        }
        let mut steps_done = Vec::new();
        let mut stmt = self.conn.prepare_cached("SELECT step_id, done_at, note FROM case_step WHERE case_id = ?1 ORDER BY done_at, step_id")?;
        for row in stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })? {
            let (step_id, done_at, note) = row?;
            steps_done.push(StepDone {
                step_id,
                done_at: stamp(id, "done_at", done_at)?,
                note,
            });
        }
        Ok(StoredCase {
            id,
            membership_id,
            membership_label: label,
            currency,
            state,
            opened_on: opened_on.parse().map_err(|_| StoreError::Corrupt {
                id,
                field: "opened_on",
                value: opened_on.clone(),
            })?,
            refund: RefundTrack {
                requested_on: date(id, "requested_on", requested_on)?,
                promised_minor,
                promised_by: date(id, "promised_by", promised_by)?,
                received_minor,
                received_on: date(id, "received_on", received_on)?,
            },
            transitions,
            steps_done,
            revision,
        })
    }

    fn cases(&self) -> Result<Vec<StoredCase>, StoreError> {
        let ids: Vec<i64> = self
            .conn
            .prepare("SELECT id FROM case_file ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter().map(|id| self.case(id)).collect()
    }

    fn undo_step(&mut self, id: i64, revision: i64, step: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        bump_revision(&tx, id, revision)?;
        tx.execute(
            "DELETE FROM case_step WHERE case_id = ?1 AND step_id = ?2",
            params![id, step],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn change_case(
        &mut self,
        id: i64,
        revision: i64,
        change: &CaseChange,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let current = self.case(id)?;
        // Closing a channel or ending the service edits the membership: validated first.
        let closed_membership =
            change.check_against(&current, revision, |mid| self.membership(mid))?;
        let tx = self.conn.transaction()?;
        // The revision is checked again inside the transaction: a writer that slipped in
        // since the read above makes this a conflict, never a lost update.
        bump_revision(&tx, id, revision)?;
        if let Some(to) = change.to {
            let seq: i64 = tx.query_row(
                "SELECT coalesce(max(seq), 0) + 1 FROM case_transition WHERE case_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO case_transition (case_id, seq, from_state, to_state, at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, seq, current.state.as_str(), to.as_str(), at.to_string(), change.note],
            )?;
            tx.execute(
                "UPDATE case_file SET state = ?2 WHERE id = ?1",
                params![id, to.as_str()],
            )?;
        }
        if let Some(step) = &change.step {
            tx.execute(
                "INSERT INTO case_step (case_id, step_id, done_at, note) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (case_id, step_id) DO UPDATE SET note = coalesce(excluded.note, note)",
                params![id, step, at.to_string(), change.note],
            )?;
        }
        if let Some(r) = &change.refund {
            tx.execute(
                "UPDATE case_file SET requested_on = ?2, promised_minor = ?3, promised_by = ?4, received_minor = ?5, received_on = ?6 WHERE id = ?1",
                params![
                    id,
                    r.requested_on.map(|d| d.to_string()),
                    r.promised_minor,
                    r.promised_by.map(|d| d.to_string()),
                    r.received_minor,
                    r.received_on.map(|d| d.to_string())
                ],
            )?;
        }
        if let Some((mid, m_revision, m)) = &closed_membership {
            update_contracts(&tx, *mid, *m_revision, m)?;
            if change.end_service.is_some() {
                tx.execute(
                    "UPDATE membership SET paid_through = ?2 WHERE id = ?1",
                    params![mid, m.paid_through.map(|d| d.to_string())],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn vault_head(&self) -> Result<Option<VaultHead>, StoreError> {
        read_vault_head(&self.conn)
    }

    fn append_to_vault<T, E: From<StoreError>>(
        &mut self,
        append: impl FnOnce(Option<&VaultHead>) -> Result<(VaultHead, T), E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let head = read_vault_head(&tx)?;
        let (new, out) = append(head.as_ref())?;
        let seq = i64::try_from(new.seq).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO vault_head (id, seq, hash) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            params![seq, new.hash],
        )
        .map_err(StoreError::from)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

/// Moves a case to its next revision, provided it is still at `revision`.
fn bump_revision(tx: &Tx<'_>, id: i64, revision: i64) -> Result<(), StoreError> {
    let bumped = tx.execute(
        "UPDATE case_file SET revision = revision + 1 WHERE id = ?1 AND revision = ?2",
        params![id, revision],
    )?;
    if bumped != 1 {
        return Err(StoreError::Conflict { id });
    }
    Ok(())
}

fn update_contracts(
    tx: &Tx<'_>,
    id: i64,
    revision: i64,
    m: &tuiding_core::Membership,
) -> Result<(), StoreError> {
    let current: i64 =
        tx.query_row("SELECT revision FROM membership WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    if current != revision {
        return Err(StoreError::Conflict { id });
    }
    tx.execute(
        "DELETE FROM auto_renew_contract WHERE membership_id = ?1",
        [id],
    )?;
    for (position, contract) in m.auto_renew.iter().enumerate() {
        let closed_on = match contract.status {
            ContractStatus::Closed(on) => Some(on.to_string()),
            _ => None,
        };
        tx.execute(
            "INSERT INTO auto_renew_contract (membership_id, position, channel, status, closed_on) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, position as i64, contract.channel.as_str(), contract.status.as_str(), closed_on],
        )?;
    }
    tx.execute(
        "UPDATE membership SET revision = revision + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
        [id],
    )?;
    Ok(())
}
