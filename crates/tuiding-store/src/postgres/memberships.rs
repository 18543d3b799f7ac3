//! Memberships, their contracts, benefits and policies, and price changes in PostgreSQL.

use std::collections::HashMap;

use postgres::Row;
use postgres::types::ToSql;
use tuiding_core::policy::Policy as PolicyTerms;
use tuiding_core::price::{PriceChange, PriceSource};
use tuiding_core::{AutoRenewContract, Benefit, ContractStatus, Membership, Money};

use crate::postgres::{PgStore, Session, Wrote, day, millis, storable};
use crate::rows::{MembershipRow, assemble, currency, date};
use crate::{
    Ledger, MembershipStore, PolicyInput, PriceStore, StoreError, StoredMembership, StoredPolicy,
};

macro_rules! select_membership {
    () => {
        concat!(
            "SELECT id, revision, ",
            millis!("created_at"),
            ", ",
            millis!("updated_at"),
            ", platform, plan, billing, period, price_minor, currency, start_date::text,
             paid_through::text, category, notes, trial_until::text
             FROM membership WHERE account_id = $1"
        )
    };
}

fn membership_row(r: &Row) -> MembershipRow {
    MembershipRow {
        id: r.get(0),
        revision: r.get(1),
        created_at: r.get(2),
        updated_at: r.get(3),
        platform: r.get(4),
        plan: r.get(5),
        billing: r.get(6),
        period: r.get(7),
        price_minor: r.get(8),
        currency: r.get(9),
        start_date: r.get(10),
        paid_through: r.get(11),
        category: r.get(12),
        notes: r.get(13),
        trial_until: r.get(14),
    }
}

impl MembershipStore for PgStore {
    fn add_memberships_with_policies(
        &mut self,
        items: &[(Membership, Option<PolicyInput<'_>>)],
    ) -> Result<Vec<i64>, StoreError> {
        crate::check_batch(items)?;
        self.write(|s| {
            let mut ids = Vec::with_capacity(items.len());
            for (membership, policy) in items {
                let id = insert_membership(s, membership)?;
                if let Some(p) = policy {
                    write_policy(s, id, *p)?;
                }
                ids.push(id);
            }
            Ok(Wrote::Changed(ids))
        })
    }

    fn membership(&self, id: i64) -> Result<StoredMembership, StoreError> {
        self.read(|s| {
            let row = s
                .opt(
                    concat!(select_membership!(), " AND id = $2"),
                    &[&{ s.account }, &id],
                )?
                .ok_or(StoreError::NotFound { id })?;
            let contracts = contracts_of(s, Some(id))?.remove(&id).unwrap_or_default();
            let benefits = benefits_of(s, Some(id))?.remove(&id).unwrap_or_default();
            assemble(membership_row(&row), (contracts, benefits))
        })
    }

    fn ledger(&self) -> Result<Ledger, StoreError> {
        self.read(|s| {
            let rows = s.query(
                concat!(select_membership!(), " ORDER BY id"),
                &[&{ s.account }],
            )?;
            let mut contracts = contracts_of(s, None)?;
            let mut benefits = benefits_of(s, None)?;
            let mut ledger = Ledger::default();
            for row in &rows {
                let row = membership_row(row);
                let (id, platform) = (row.id, row.platform.clone());
                let parts = (
                    contracts.remove(&id).unwrap_or_default(),
                    benefits.remove(&id).unwrap_or_default(),
                );
                ledger.file(id, platform, assemble(row, parts));
            }
            Ok(ledger)
        })
    }

    fn data_version(&self) -> Result<u64, StoreError> {
        self.read_one(|s| {
            let row = s.opt(
                "SELECT data_version FROM account WHERE id = $1",
                &[&{ s.account }],
            )?;
            let n: i64 = row
                .ok_or_else(|| StoreError::AccountNotFound(format!("#{}", s.account)))?
                .get(0);
            Ok(n as u64)
        })
    }

    fn update_membership_noting_price(
        &mut self,
        id: i64,
        revision: i64,
        m: &Membership,
        price_change: Option<&PriceChange>,
    ) -> Result<i64, StoreError> {
        m.validate()?;
        self.write(|s| {
            let current: Option<i64> = s
                .opt(
                    "SELECT revision FROM membership WHERE account_id = $1 AND id = $2",
                    &[&{ s.account }, &id],
                )?
                .map(|r| r.get(0));
            match current {
                None => return Err(StoreError::NotFound { id }),
                Some(current) if current != revision => return Err(StoreError::Conflict { id }),
                Some(_) => {}
            }
            s.exec(
                "UPDATE membership SET platform = $3, plan = $4, billing = $5, period = $6,
                     price_minor = $7, currency = $8, start_date = $9::text::date,
                     paid_through = $10::text::date, category = $11, notes = $12,
                     trial_until = $13::text::date, revision = revision + 1, updated_at = now()
                 WHERE account_id = $1 AND id = $2",
                &Columns::of(m).params(&{ s.account }, &id),
            )?;
            s.exec(
                "DELETE FROM auto_renew_contract WHERE account_id = $1 AND membership_id = $2",
                &[&{ s.account }, &id],
            )?;
            s.exec(
                "DELETE FROM benefit WHERE account_id = $1 AND membership_id = $2",
                &[&{ s.account }, &id],
            )?;
            write_children(s, id, m)?;
            if let Some(change) = price_change {
                insert_price_changes(s, id, std::slice::from_ref(change))?;
            }
            Ok(Wrote::Changed(revision + 1))
        })
    }

    fn remove_membership(&mut self, id: i64) -> Result<(), StoreError> {
        self.write(|s| {
            let removed = s.exec(
                "DELETE FROM membership WHERE account_id = $1 AND id = $2",
                &[&{ s.account }, &id],
            )?;
            if removed == 0 {
                return Err(StoreError::NotFound { id });
            }
            Ok(Wrote::Changed(()))
        })
    }

    fn set_policy(&mut self, id: i64, policy: PolicyInput<'_>) -> Result<(), StoreError> {
        PolicyTerms::from_toml(policy.text)?;
        self.write(|s| {
            require_membership(s, id)?;
            write_policy(s, id, policy)?;
            Ok(Wrote::Changed(()))
        })
    }

    fn policy(&self, id: i64) -> Result<Option<StoredPolicy>, StoreError> {
        // One statement: the overview and the calendar ask for every membership's policy.
        self.read_one(|s| {
            let row = s
                .opt(
                    concat!(
                        "SELECT p.policy_toml, p.origin, ",
                        millis!("p.updated_at"),
                        " FROM membership m LEFT JOIN membership_policy p
                             ON p.account_id = m.account_id AND p.membership_id = m.id
                         WHERE m.account_id = $1 AND m.id = $2"
                    ),
                    &[&{ s.account }, &id],
                )?
                .ok_or(StoreError::NotFound { id })?;
            Ok(row.get::<_, Option<String>>(0).map(|text| StoredPolicy {
                text,
                origin: row.get(1),
                updated_at: row.get(2),
            }))
        })
    }

    fn remove_policy(&mut self, id: i64) -> Result<bool, StoreError> {
        self.write(|s| {
            require_membership(s, id)?;
            let removed = s.exec(
                "DELETE FROM membership_policy WHERE account_id = $1 AND membership_id = $2",
                &[&{ s.account }, &id],
            )? > 0;
            Ok(if removed {
                Wrote::Changed(true)
            } else {
                Wrote::Nothing(false)
            })
        })
    }
}

impl PriceStore for PgStore {
    fn record_price_changes(
        &mut self,
        membership_id: i64,
        changes: &[PriceChange],
    ) -> Result<(), StoreError> {
        self.write(|s| {
            require_membership(s, membership_id)?;
            insert_price_changes(s, membership_id, changes)?;
            Ok(Wrote::Changed(()))
        })
    }

    fn price_changes(&self) -> Result<Vec<(i64, PriceChange)>, StoreError> {
        self.read_one(|s| {
            let rows = s.query(
                "SELECT membership_id, changed_on::text, old_minor, new_minor, currency, source
                 FROM price_change WHERE account_id = $1 ORDER BY membership_id, changed_on, id",
                &[&{ s.account }],
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let id: i64 = r.get(0);
                let cur = currency(id, r.get(4))?;
                let source: &str = r.get(5);
                let source = PriceSource::parse(source).ok_or_else(|| StoreError::Corrupt {
                    id,
                    field: "price_change.source",
                    value: source.to_string(),
                })?;
                out.push((
                    id,
                    PriceChange {
                        on: date(id, "price_change.changed_on", r.get(1))?,
                        old: Money::from_minor(r.get(2), cur),
                        new: Money::from_minor(r.get(3), cur),
                        source,
                    },
                ));
            }
            Ok(out)
        })
    }
}

/// A membership's columns, in the order of parameters `$3`… of the insert and the update
/// (`$1` the account, `$2` the id).
struct Columns<'m> {
    platform: &'m str,
    plan: &'m str,
    billing: &'static str,
    period: Option<String>,
    price: i64,
    currency: &'static str,
    start: String,
    paid_through: Option<String>,
    category: &'m Option<String>,
    notes: &'m Option<String>,
    trial_until: Option<String>,
}

impl<'m> Columns<'m> {
    fn of(m: &'m Membership) -> Columns<'m> {
        Columns {
            platform: m.platform.trim(),
            plan: m.plan.trim(),
            billing: m.billing.kind(),
            period: m.billing.period().map(|p| p.to_string()),
            price: m.price.minor_units(),
            currency: m.price.currency().code(),
            start: day(m.start),
            paid_through: m.paid_through.map(day),
            category: &m.category,
            notes: &m.notes,
            trial_until: m.trial_until.map(day),
        }
    }

    fn params<'a>(&'a self, account: &'a i64, id: &'a i64) -> [&'a (dyn ToSql + Sync); 13] {
        [
            account,
            id,
            &self.platform,
            &self.plan,
            &self.billing,
            &self.period,
            &self.price,
            &self.currency,
            &self.start,
            &self.paid_through,
            self.category,
            self.notes,
            &self.trial_until,
        ]
    }
}

/// Inserts a membership with its contracts and benefits under the account's next id.
pub(crate) fn insert_membership(
    s: &mut Session<'_, '_>,
    m: &Membership,
) -> Result<i64, StoreError> {
    let id: i64 = s
        .one(
            "UPDATE account SET last_membership_id = last_membership_id + 1 WHERE id = $1
             RETURNING last_membership_id",
            &[&{ s.account }],
        )?
        .get(0);
    s.exec(
        "INSERT INTO membership (account_id, id, platform, plan, billing, period, price_minor,
             currency, start_date, paid_through, category, notes, trial_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::date, $10::text::date, $11, $12,
             $13::text::date)",
        &Columns::of(m).params(&{ s.account }, &id),
    )?;
    write_children(s, id, m)?;
    Ok(id)
}

fn write_policy(
    s: &mut Session<'_, '_>,
    id: i64,
    policy: PolicyInput<'_>,
) -> Result<(), StoreError> {
    s.exec(
        "INSERT INTO membership_policy (account_id, membership_id, policy_toml, origin)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id, membership_id) DO UPDATE SET policy_toml = excluded.policy_toml,
             origin = excluded.origin, updated_at = now()",
        &[&{ s.account }, &id, &policy.text, &policy.origin],
    )?;
    Ok(())
}

/// Writes a membership's contracts (after deleting the old ones, when replacing).
pub(crate) fn write_contracts(
    s: &mut Session<'_, '_>,
    id: i64,
    contracts: &[AutoRenewContract],
) -> Result<(), StoreError> {
    for (position, contract) in (0_i32..).zip(contracts) {
        let closed_on = match contract.status {
            ContractStatus::Closed(on) => Some(day(on)),
            _ => None,
        };
        s.exec(
            "INSERT INTO auto_renew_contract (account_id, membership_id, position, channel,
                 status, closed_on)
             VALUES ($1, $2, $3, $4, $5, $6::text::date)",
            &[
                &{ s.account },
                &id,
                &position,
                &contract.channel.as_str(),
                &contract.status.as_str(),
                &closed_on,
            ],
        )?;
    }
    Ok(())
}

fn write_children(s: &mut Session<'_, '_>, id: i64, m: &Membership) -> Result<(), StoreError> {
    write_contracts(s, id, &m.auto_renew)?;
    for (position, benefit) in (0_i32..).zip(&m.benefits) {
        s.exec(
            "INSERT INTO benefit (account_id, membership_id, position, name, unit_value_minor,
                 unit_value_currency, quantity, redeemed)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &{ s.account },
                &id,
                &position,
                &benefit.name.trim(),
                &benefit.unit_value.map(Money::minor_units),
                &benefit.unit_value.map(|v| v.currency().code()),
                &i64::from(benefit.quantity),
                &i64::from(benefit.redeemed),
            ],
        )?;
    }
    Ok(())
}

/// Writes price changes inside the caller's transaction. A day PostgreSQL cannot hold is
/// refused, as SQLite's CHECK refuses it.
pub(crate) fn insert_price_changes(
    s: &mut Session<'_, '_>,
    membership_id: i64,
    changes: &[PriceChange],
) -> Result<(), StoreError> {
    for c in changes {
        if !storable(c.on) {
            return Err(StoreError::Corrupt {
                id: membership_id,
                field: "price_change.changed_on",
                value: c.on.to_string(),
            });
        }
        s.exec(
            "INSERT INTO price_change (account_id, membership_id, changed_on, old_minor,
                 new_minor, currency, source)
             VALUES ($1, $2, $3::text::date, $4, $5, $6, $7)",
            &[
                &{ s.account },
                &membership_id,
                &day(c.on),
                &c.old.minor_units(),
                &c.new.minor_units(),
                &c.new.currency().code(),
                &c.source.as_str(),
            ],
        )?;
    }
    Ok(())
}

/// [`StoreError::NotFound`] unless the account has membership `id`, checked inside the
/// transaction about to write about it.
pub(crate) fn require_membership(s: &mut Session<'_, '_>, id: i64) -> Result<(), StoreError> {
    s.opt(
        "SELECT 1 FROM membership WHERE account_id = $1 AND id = $2",
        &[&{ s.account }, &id],
    )?
    .map(drop)
    .ok_or(StoreError::NotFound { id })
}

/// The contracts of one membership, or of all (`None`), by membership id.
fn contracts_of(
    s: &mut Session<'_, '_>,
    only: Option<i64>,
) -> Result<HashMap<i64, Vec<AutoRenewContract>>, StoreError> {
    let rows = s.query(
        "SELECT membership_id, channel, status, closed_on::text FROM auto_renew_contract
         WHERE account_id = $1 AND ($2::bigint IS NULL OR membership_id = $2)
         ORDER BY membership_id, position",
        &[&{ s.account }, &only],
    )?;
    let mut by_membership: HashMap<i64, Vec<AutoRenewContract>> = HashMap::new();
    for r in rows {
        let id: i64 = r.get(0);
        let contract = crate::rows::contract(id, r.get(1), r.get(2), r.get(3))?;
        by_membership.entry(id).or_default().push(contract);
    }
    Ok(by_membership)
}

/// The benefits of one membership, or of all (`None`), by membership id.
fn benefits_of(
    s: &mut Session<'_, '_>,
    only: Option<i64>,
) -> Result<HashMap<i64, Vec<Benefit>>, StoreError> {
    let rows = s.query(
        "SELECT membership_id, name, unit_value_minor, unit_value_currency, quantity, redeemed
         FROM benefit WHERE account_id = $1 AND ($2::bigint IS NULL OR membership_id = $2)
         ORDER BY membership_id, position",
        &[&{ s.account }, &only],
    )?;
    let mut by_membership: HashMap<i64, Vec<Benefit>> = HashMap::new();
    for r in rows {
        let id: i64 = r.get(0);
        let count = |i: usize, field: &'static str| {
            let n: i64 = r.get(i);
            u32::try_from(n).map_err(|_| StoreError::Corrupt {
                id,
                field,
                value: n.to_string(),
            })
        };
        let (quantity, redeemed) = (count(4, "quantity")?, count(5, "redeemed")?);
        let benefit = crate::rows::benefit(id, r.get(1), (r.get(2), r.get(3)), quantity, redeemed)?;
        by_membership.entry(id).or_default().push(benefit);
    }
    Ok(by_membership)
}
