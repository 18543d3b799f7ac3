//! Cases in memory.

use jiff::Timestamp;
use jiff::civil::Date;
use tuiding_core::case::{CaseState, RefundTrack, Transition};

use crate::memory::{Data, check_refund, now};
use crate::{CaseChange, StepDone, StoreError, StoredCase};

impl Data {
    pub(super) fn open_case(
        &mut self,
        membership_id: i64,
        opened_on: Date,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        let m = self.stored(membership_id)?.membership;
        self.last_id.case += 1;
        let id = self.last_id.case;
        self.cases.insert(
            id,
            StoredCase {
                id,
                membership_id: Some(membership_id),
                membership_label: format!("{} {}", m.platform, m.plan).trim().to_string(),
                currency: m.price.currency().code().to_string(),
                state: CaseState::Opened,
                opened_on,
                refund: RefundTrack::default(),
                // The first transition has no state before it: read back as from = to.
                transitions: vec![Transition {
                    from: CaseState::Opened,
                    to: CaseState::Opened,
                    at,
                    note: None,
                }],
                steps_done: Vec::new(),
                revision: 1,
            },
        );
        Ok(id)
    }

    /// One case, its steps ordered as SQLite orders them (by the time's text, then id).
    pub(super) fn case(&self, id: i64) -> Result<StoredCase, StoreError> {
        let mut case = self
            .cases
            .get(&id)
            .cloned()
            .ok_or(StoreError::CaseNotFound { id })?;
        case.steps_done
            .sort_by_cached_key(|s| (s.done_at.to_string(), s.step_id.clone()));
        Ok(case)
    }

    pub(super) fn change_case(
        &mut self,
        id: i64,
        revision: i64,
        change: &CaseChange,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let current = self.case(id)?;
        // Closing a channel or ending the service edits the membership: validated first.
        let closed_membership = change
            .check_against(&current, revision, |mid| self.stored(mid))?
            .map(|(mid, _, m)| (mid, m));
        let case = self.cases.get_mut(&id).expect("read above");
        case.revision += 1;
        if let Some(to) = change.to {
            case.transitions.push(Transition {
                from: current.state,
                to,
                at,
                note: change.note.clone(),
            });
            case.state = to;
        }
        if let Some(step) = &change.step {
            match case.steps_done.iter_mut().find(|s| &s.step_id == step) {
                // Done before: keep when, take a new note if one is given.
                Some(done) => {
                    if change.note.is_some() {
                        done.note.clone_from(&change.note);
                    }
                }
                None => case.steps_done.push(StepDone {
                    step_id: step.clone(),
                    done_at: at,
                    note: change.note.clone(),
                }),
            }
        }
        if let Some(refund) = &change.refund {
            check_refund(refund)?;
            case.refund = *refund;
        }
        if let Some((mid, m)) = closed_membership {
            let row = self.memberships.get_mut(&mid).expect("read above");
            row.membership.auto_renew = m.auto_renew;
            if change.end_service.is_some() {
                row.membership.paid_through = m.paid_through;
            }
            row.revision += 1;
            row.updated_at = now();
        }
        Ok(())
    }

    pub(super) fn undo_step(
        &mut self,
        id: i64,
        revision: i64,
        step: &str,
    ) -> Result<(), StoreError> {
        // As SQLite's guarded UPDATE: a missing case is a stale revision too.
        let case = self
            .cases
            .get_mut(&id)
            .filter(|c| c.revision == revision)
            .ok_or(StoreError::Conflict { id })?;
        case.revision += 1;
        case.steps_done.retain(|s| s.step_id != step);
        Ok(())
    }
}
