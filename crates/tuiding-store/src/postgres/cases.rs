//! Cases and the evidence journal's head in PostgreSQL.

use jiff::Timestamp;
use jiff::civil::Date;
use tuiding_core::Currency;
use tuiding_core::case::{CaseState, RefundTrack, Transition};

use crate::postgres::memberships::write_contracts;
use crate::postgres::{PgStore, Session, Wrote, day, micros};
use crate::{CaseChange, CaseStore, MembershipStore, StepDone, StoreError, StoredCase, VaultHead};

fn corrupt(id: i64, field: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        id,
        field,
        value: value.to_string(),
    }
}

fn date(id: i64, field: &'static str, text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|t| t.parse().map_err(|_| corrupt(id, field, &t)))
        .transpose()
}

fn stamp(id: i64, field: &'static str, text: &str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|_| corrupt(id, field, text))
}

fn state(id: i64, field: &'static str, text: &str) -> Result<CaseState, StoreError> {
    text.parse().map_err(|_| corrupt(id, field, text))
}

impl CaseStore for PgStore {
    fn open_case(
        &mut self,
        membership_id: i64,
        opened_on: Date,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        let m = self.membership(membership_id)?.membership;
        let label = format!("{} {}", m.platform, m.plan).trim().to_string();
        self.write(|s| {
            let id: i64 = s
                .one(
                    "UPDATE account SET last_case_id = last_case_id + 1 WHERE id = $1
                     RETURNING last_case_id",
                    &[&{ s.account }],
                )?
                .get(0);
            s.exec(
                "INSERT INTO case_file (account_id, id, membership_id, membership_label, currency,
                     state, opened_on)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::text::date)",
                &[
                    &{ s.account },
                    &id,
                    &membership_id,
                    &label,
                    &m.price.currency().code(),
                    &CaseState::Opened.as_str(),
                    &day(opened_on),
                ],
            )?;
            s.exec(
                "INSERT INTO case_transition (account_id, case_id, seq, from_state, to_state, at)
                 VALUES ($1, $2, 1, NULL, $3, $4::text::timestamptz)",
                &[
                    &{ s.account },
                    &id,
                    &CaseState::Opened.as_str(),
                    &at.to_string(),
                ],
            )?;
            Ok(Wrote::Changed(id))
        })
    }

    fn case(&self, id: i64) -> Result<StoredCase, StoreError> {
        self.read(|s| read_case(s, id))
    }

    fn cases(&self) -> Result<Vec<StoredCase>, StoreError> {
        self.read(|s| {
            let ids: Vec<i64> = s
                .query(
                    "SELECT id FROM case_file WHERE account_id = $1 ORDER BY id",
                    &[&{ s.account }],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            ids.into_iter().map(|id| read_case(s, id)).collect()
        })
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
        self.write(|s| {
            // Checked again under the account's lock: a writer that slipped in since the
            // read above makes this a conflict, never a lost update.
            bump_revision(s, id, revision)?;
            if let Some(to) = change.to {
                s.exec(
                    "INSERT INTO case_transition (account_id, case_id, seq, from_state, to_state,
                         at, note)
                     SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5::text::timestamptz, $6
                     FROM case_transition WHERE account_id = $1 AND case_id = $2",
                    &[
                        &{ s.account },
                        &id,
                        &current.state.as_str(),
                        &to.as_str(),
                        &at.to_string(),
                        &change.note,
                    ],
                )?;
                s.exec(
                    "UPDATE case_file SET state = $3 WHERE account_id = $1 AND id = $2",
                    &[&{ s.account }, &id, &to.as_str()],
                )?;
            }
            if let Some(step) = &change.step {
                s.exec(
                    "INSERT INTO case_step (account_id, case_id, step_id, done_at, note)
                     VALUES ($1, $2, $3, $4::text::timestamptz, $5)
                     ON CONFLICT (account_id, case_id, step_id)
                     DO UPDATE SET note = coalesce(excluded.note, case_step.note)",
                    &[&{ s.account }, &id, step, &at.to_string(), &change.note],
                )?;
            }
            if let Some(r) = &change.refund {
                set_refund(s, id, r)?;
            }
            if let Some((mid, m_revision, m)) = &closed_membership {
                update_contracts(s, *mid, *m_revision, m)?;
                if change.end_service.is_some() {
                    s.exec(
                        "UPDATE membership SET paid_through = $3::text::date
                         WHERE account_id = $1 AND id = $2",
                        &[&{ s.account }, mid, &m.paid_through.map(day)],
                    )?;
                }
            }
            Ok(Wrote::Changed(()))
        })
    }

    fn vault_head(&self) -> Result<Option<VaultHead>, StoreError> {
        self.read_one(read_vault_head)
    }

    fn append_to_vault<T, E: From<StoreError>>(
        &mut self,
        append: impl FnOnce(Option<&VaultHead>) -> Result<(VaultHead, T), E>,
    ) -> Result<T, E> {
        let written = self.write(|s| {
            // The account's row is locked: additions to one vault wait for each other.
            let head = read_vault_head(s)?;
            Ok(match append(head.as_ref()) {
                Ok((new, out)) => {
                    let seq = i64::try_from(new.seq).unwrap_or(i64::MAX);
                    s.exec(
                        "INSERT INTO vault_head (account_id, seq, hash) VALUES ($1, $2, $3)
                         ON CONFLICT (account_id) DO UPDATE SET seq = excluded.seq,
                             hash = excluded.hash",
                        &[&{ s.account }, &seq, &new.hash],
                    )?;
                    Wrote::Changed(Ok(out))
                }
                // What failed to append records nothing.
                Err(e) => Wrote::Nothing(Err(e)),
            })
        });
        written.map_err(E::from)?
    }

    fn undo_step(&mut self, id: i64, revision: i64, step: &str) -> Result<(), StoreError> {
        self.write(|s| {
            bump_revision(s, id, revision)?;
            s.exec(
                "DELETE FROM case_step WHERE account_id = $1 AND case_id = $2 AND step_id = $3",
                &[&{ s.account }, &id, &step],
            )?;
            Ok(Wrote::Changed(()))
        })
    }
}

fn read_case(s: &mut Session<'_, '_>, id: i64) -> Result<StoredCase, StoreError> {
    let row = s
        .opt(
            "SELECT membership_id, membership_label, currency, state, opened_on::text,
                    requested_on::text, promised_minor, promised_by::text, received_minor,
                    received_on::text, revision
             FROM case_file WHERE account_id = $1 AND id = $2",
            &[&{ s.account }, &id],
        )?
        .ok_or(StoreError::CaseNotFound { id })?;
    let currency: String = row.get(2);
    if Currency::from_code(&currency).is_err() {
        return Err(corrupt(id, "currency", &currency));
    }
    let mut transitions = Vec::new();
    for r in s.query(
        concat!(
            "SELECT from_state, to_state, ",
            micros!("at"),
            ", note FROM case_transition WHERE account_id = $1 AND case_id = $2 ORDER BY seq"
        ),
        &[&{ s.account }, &id],
    )? {
        let to = state(id, "to_state", r.get(1))?;
        let from = match r.get::<_, Option<&str>>(0) {
            Some(f) => state(id, "from_state", f)?,
            None => to,
        };
        transitions.push(Transition {
            from,
            to,
            at: stamp(id, "at", r.get(2))?,
            note: r.get(3),
        });
    }
    let mut steps_done = Vec::new();
    for r in s.query(
        concat!(
            "SELECT step_id, ",
            micros!("done_at"),
            ", note FROM case_step WHERE account_id = $1 AND case_id = $2
             ORDER BY done_at, step_id COLLATE \"C\""
        ),
        &[&{ s.account }, &id],
    )? {
        steps_done.push(StepDone {
            step_id: r.get(0),
            done_at: stamp(id, "done_at", r.get(1))?,
            note: r.get(2),
        });
    }
    let opened_on: String = row.get(4);
    Ok(StoredCase {
        id,
        membership_id: row.get(0),
        membership_label: row.get(1),
        state: state(id, "state", row.get(3))?,
        currency,
        opened_on: opened_on
            .parse()
            .map_err(|_| corrupt(id, "opened_on", &opened_on))?,
        refund: RefundTrack {
            requested_on: date(id, "requested_on", row.get(5))?,
            promised_minor: row.get(6),
            promised_by: date(id, "promised_by", row.get(7))?,
            received_minor: row.get(8),
            received_on: date(id, "received_on", row.get(9))?,
        },
        transitions,
        steps_done,
        revision: row.get(10),
    })
}

fn set_refund(s: &mut Session<'_, '_>, id: i64, r: &RefundTrack) -> Result<(), StoreError> {
    s.exec(
        "UPDATE case_file SET requested_on = $3::text::date, promised_minor = $4,
             promised_by = $5::text::date, received_minor = $6, received_on = $7::text::date
         WHERE account_id = $1 AND id = $2",
        &[
            &{ s.account },
            &id,
            &r.requested_on.map(day),
            &r.promised_minor,
            &r.promised_by.map(day),
            &r.received_minor,
            &r.received_on.map(day),
        ],
    )?;
    Ok(())
}

/// Moves a case to its next revision, provided it is still at `revision`.
fn bump_revision(s: &mut Session<'_, '_>, id: i64, revision: i64) -> Result<(), StoreError> {
    let bumped = s.exec(
        "UPDATE case_file SET revision = revision + 1
         WHERE account_id = $1 AND id = $2 AND revision = $3",
        &[&{ s.account }, &id, &revision],
    )?;
    if bumped != 1 {
        return Err(StoreError::Conflict { id });
    }
    Ok(())
}

fn update_contracts(
    s: &mut Session<'_, '_>,
    id: i64,
    revision: i64,
    m: &tuiding_core::Membership,
) -> Result<(), StoreError> {
    let bumped = s.exec(
        "UPDATE membership SET revision = revision + 1, updated_at = now()
         WHERE account_id = $1 AND id = $2 AND revision = $3",
        &[&{ s.account }, &id, &revision],
    )?;
    if bumped != 1 {
        return Err(StoreError::Conflict { id });
    }
    s.exec(
        "DELETE FROM auto_renew_contract WHERE account_id = $1 AND membership_id = $2",
        &[&{ s.account }, &id],
    )?;
    write_contracts(s, id, &m.auto_renew)
}

pub(crate) fn read_vault_head(s: &mut Session<'_, '_>) -> Result<Option<VaultHead>, StoreError> {
    Ok(s.opt(
        "SELECT seq, hash FROM vault_head WHERE account_id = $1",
        &[&{ s.account }],
    )?
    .map(|r| VaultHead {
        seq: u64::try_from(r.get::<_, i64>(0)).unwrap_or(0),
        hash: r.get(1),
    }))
}
