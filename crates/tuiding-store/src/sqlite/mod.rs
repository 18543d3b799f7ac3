//! The embedded SQLite store: one file, WAL, foreign keys on, a busy timeout, and the
//! file created owner-only (the ledger is private).

mod bills;
mod cases;
pub(crate) mod household;
pub(crate) mod migrate;
pub(crate) mod prices;

use crate::MembershipStore;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use tuiding_core::{AutoRenewContract, Benefit, ContractStatus, Membership, Money};

use crate::rows::MembershipRow;

use crate::sqlite::migrate::migrate;
use crate::{Ledger, PolicyInput, StoreError, StoredMembership, StoredPolicy, VaultHead};
use tuiding_core::policy::Policy as PolicyTerms;

/// The ledger in a SQLite database.
///
/// ```
/// use tuiding_core::{Billing, Currency, Membership, Money, Period};
/// use tuiding_store::SqliteStore;
/// use tuiding_store::prelude::*;
/// let mut store = SqliteStore::open_in_memory().unwrap();
/// let m = Membership {
///     platform: "QQ音乐".into(),
///     plan: "豪华绿钻".into(),
///     billing: Billing::Periodic(Period::month()),
///     price: Money::from_minor(1800, Currency::CNY),
///     start: jiff::civil::date(2026, 3, 5),
///     paid_through: None,
///     trial_until: None,
///     auto_renew: vec![],
///     benefits: vec![],
///     category: None,
///     notes: None,
/// };
/// let id = store.add_membership(&m).unwrap();
/// assert_eq!(store.membership(id).unwrap().membership, m);
/// ```
pub struct SqliteStore {
    pub(crate) conn: Connection,
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        create_private_file(path)?;
        // Processes opening a new data dir at once race to switch it to WAL and migrate
        // it; a step SQLite answers "busy" without calling the busy handler (the journal
        // mode's switch, a WAL being recovered) is tried again, as long as a writer waits.
        let started = std::time::Instant::now();
        loop {
            match SqliteStore::setup(Connection::open(path)?) {
                Err(StoreError::Busy) if started.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                done => return done,
            }
        }
    }

    /// `PRAGMA integrity_check`: every page of the file read and checked. Empty when the
    /// database is sound, else what SQLite found.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let found: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(found.into_iter().filter(|line| line != "ok").collect())
    }

    /// Waits this long for another writer instead of [`BUSY_TIMEOUT`].
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(wait)?;
        Ok(())
    }

    /// Writes a consistent copy of the database to `path` (which must not exist), safe
    /// while other processes use it: `VACUUM INTO` reads inside one transaction.
    pub fn snapshot_to(&self, path: &Path) -> Result<(), StoreError> {
        let target = path.to_str().ok_or_else(|| StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other("the path is not valid UTF-8"),
        })?;
        self.conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }

    /// A throwaway in-memory database, for tests.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<SqliteStore, StoreError> {
        // Writers wait for each other (a long import holds the write lock for seconds)
        // rather than fail; past this, the error says the database is busy.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every write transaction takes the write lock when it begins: one that starts by
        // reading and then writes would get SQLITE_BUSY at once in WAL mode, without
        // waiting, whenever another process writes.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        Ok(SqliteStore { conn })
    }
}

/// How long a writer waits for another to finish.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Creates the database file with mode 0600 before SQLite does (SQLite would use the
/// umask); SQLite gives its -wal and -shm files the same mode as the database.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map(drop)
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })
}

impl MembershipStore for SqliteStore {
    fn add_memberships_with_policies(
        &mut self,
        items: &[(Membership, Option<PolicyInput<'_>>)],
    ) -> Result<Vec<i64>, StoreError> {
        crate::check_batch(items)?;
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(items.len());
        for (membership, policy) in items {
            let id = insert_membership_tx(&tx, membership)?;
            if let Some(p) = policy {
                write_policy(&tx, id, *p)?;
            }
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    fn set_policy(&mut self, id: i64, policy: PolicyInput<'_>) -> Result<(), StoreError> {
        PolicyTerms::from_toml(policy.text)?;
        let tx = self.conn.transaction()?;
        let exists: Option<i64> = tx
            .query_row("SELECT id FROM membership WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_none() {
            return Err(StoreError::NotFound { id });
        }
        write_policy(&tx, id, policy)?;
        tx.commit()?;
        Ok(())
    }

    fn policy(&self, id: i64) -> Result<Option<StoredPolicy>, StoreError> {
        self.membership_exists(id)?;
        // Cached statements: the overview and the calendar ask for every membership's policy.
        Ok(self
            .conn
            .prepare_cached(
                "SELECT policy_toml, origin, updated_at FROM membership_policy WHERE membership_id = ?1",
            )?
            .query_row([id], |r| {
                Ok(StoredPolicy { text: r.get(0)?, origin: r.get(1)?, updated_at: r.get(2)? })
            })
            .optional()?)
    }

    fn remove_policy(&mut self, id: i64) -> Result<bool, StoreError> {
        self.membership_exists(id)?;
        let tx = self.conn.transaction()?;
        let removed = tx.execute(
            "DELETE FROM membership_policy WHERE membership_id = ?1",
            [id],
        )? > 0;
        tx.commit()?;
        Ok(removed)
    }

    fn membership(&self, id: i64) -> Result<StoredMembership, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!("{SELECT_MEMBERSHIP} WHERE id = ?1"),
                [id],
                MembershipRow::read,
            )
            .optional()?
            .ok_or(StoreError::NotFound { id })?;
        self.assemble(row)
    }

    fn ledger(&self) -> Result<Ledger, StoreError> {
        let rows: Vec<MembershipRow> = self
            .conn
            .prepare(&format!("{SELECT_MEMBERSHIP} ORDER BY id"))?
            .query_map([], MembershipRow::read)?
            .collect::<Result<_, _>>()?;
        // Three queries for the whole ledger, not two per membership: the web app lists
        // a thousand memberships per request.
        let mut contracts = self.contracts_of(None)?;
        let mut benefits = self.benefits_of(None)?;
        let mut ledger = Ledger::default();
        for row in rows {
            let (id, platform) = (row.id, row.platform.clone());
            let parts = (
                contracts.remove(&id).unwrap_or_default(),
                benefits.remove(&id).unwrap_or_default(),
            );
            ledger.file(id, platform, crate::rows::assemble(row, parts));
        }
        Ok(ledger)
    }

    fn data_version(&self) -> Result<u64, StoreError> {
        // Moved on by the triggers of migration 20261130020000 on every table.
        let n: i64 = self
            .conn
            .query_row("SELECT n FROM data_version WHERE id = 1", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    fn update_membership_noting_price(
        &mut self,
        id: i64,
        revision: i64,
        m: &Membership,
        price_change: Option<&tuiding_core::price::PriceChange>,
    ) -> Result<i64, StoreError> {
        m.validate()?;
        let tx = self.conn.transaction()?;
        let current: Option<i64> = tx
            .query_row("SELECT revision FROM membership WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match current {
            None => return Err(StoreError::NotFound { id }),
            Some(current) if current != revision => return Err(StoreError::Conflict { id }),
            Some(_) => {}
        }
        tx.execute(
            "UPDATE membership SET platform = ?2, plan = ?3, billing = ?4, period = ?5,
                 price_minor = ?6, currency = ?7, start_date = ?8, paid_through = ?9,
                 category = ?10, notes = ?11, trial_until = ?12, revision = revision + 1,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1",
            params![
                id,
                m.platform.trim(),
                m.plan.trim(),
                m.billing.kind(),
                m.billing.period().map(|p| p.to_string()),
                m.price.minor_units(),
                m.price.currency().code(),
                m.start.to_string(),
                m.paid_through.map(|d| d.to_string()),
                m.category,
                m.notes,
                m.trial_until.map(|d| d.to_string()),
            ],
        )?;
        tx.execute(
            "DELETE FROM auto_renew_contract WHERE membership_id = ?1",
            [id],
        )?;
        tx.execute("DELETE FROM benefit WHERE membership_id = ?1", [id])?;
        write_children(&tx, id, m)?;
        if let Some(change) = price_change {
            crate::sqlite::prices::insert_changes(&tx, id, std::slice::from_ref(change))?;
        }
        tx.commit()?;
        Ok(revision + 1)
    }

    fn remove_membership(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        if tx.execute("DELETE FROM membership WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NotFound { id });
        }
        tx.commit()?;
        Ok(())
    }
}

const SELECT_MEMBERSHIP: &str = "SELECT id, revision, created_at, updated_at, platform, plan,
    billing, period, price_minor, currency, start_date, paid_through, category, notes,
    trial_until
    FROM membership";

impl MembershipRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<MembershipRow> {
        Ok(MembershipRow {
            id: row.get(0)?,
            revision: row.get(1)?,
            created_at: row.get(2)?,
            updated_at: row.get(3)?,
            platform: row.get(4)?,
            plan: row.get(5)?,
            billing: row.get(6)?,
            period: row.get(7)?,
            price_minor: row.get(8)?,
            currency: row.get(9)?,
            start_date: row.get(10)?,
            paid_through: row.get(11)?,
            category: row.get(12)?,
            notes: row.get(13)?,
            trial_until: row.get(14)?,
        })
    }
}

impl SqliteStore {
    fn membership_exists(&self, id: i64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM membership WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, i64>(0))
            .optional()?
            .map(drop)
            .ok_or(StoreError::NotFound { id })
    }

    fn assemble(&self, row: MembershipRow) -> Result<StoredMembership, StoreError> {
        let id = row.id;
        let contracts = self.contracts_of(Some(id))?.remove(&id).unwrap_or_default();
        let benefits = self.benefits_of(Some(id))?.remove(&id).unwrap_or_default();
        crate::rows::assemble(row, (contracts, benefits))
    }

    /// The contracts of one membership, or of all (`None`), by membership id.
    fn contracts_of(
        &self,
        only: Option<i64>,
    ) -> Result<HashMap<i64, Vec<AutoRenewContract>>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT membership_id, channel, status, closed_on FROM auto_renew_contract
             WHERE ?1 IS NULL OR membership_id = ?1 ORDER BY membership_id, position",
        )?;
        let rows = stmt.query_map([only], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut by_membership: HashMap<i64, Vec<AutoRenewContract>> = HashMap::new();
        for row in rows {
            let (id, channel, status, closed_on) = row?;
            let contract = crate::rows::contract(id, &channel, &status, closed_on.as_deref())?;
            by_membership.entry(id).or_default().push(contract);
        }
        Ok(by_membership)
    }

    /// The benefits of one membership, or of all (`None`), by membership id.
    fn benefits_of(&self, only: Option<i64>) -> Result<HashMap<i64, Vec<Benefit>>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT membership_id, name, unit_value_minor, unit_value_currency, quantity, redeemed
             FROM benefit WHERE ?1 IS NULL OR membership_id = ?1 ORDER BY membership_id, position",
        )?;
        let rows = stmt.query_map([only], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, u32>(5)?,
            ))
        })?;
        let mut by_membership: HashMap<i64, Vec<Benefit>> = HashMap::new();
        for row in rows {
            let (id, name, minor, code, quantity, redeemed) = row?;
            let benefit = crate::rows::benefit(id, name, (minor, code), quantity, redeemed)?;
            by_membership.entry(id).or_default().push(benefit);
        }
        Ok(by_membership)
    }
}

pub(crate) fn insert_membership_tx(
    tx: &Transaction<'_>,
    m: &Membership,
) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO membership (platform, plan, billing, period, price_minor, currency,
             start_date, paid_through, category, notes, trial_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            m.platform.trim(),
            m.plan.trim(),
            m.billing.kind(),
            m.billing.period().map(|p| p.to_string()),
            m.price.minor_units(),
            m.price.currency().code(),
            m.start.to_string(),
            m.paid_through.map(|d| d.to_string()),
            m.category,
            m.notes,
            m.trial_until.map(|d| d.to_string()),
        ],
    )?;
    let id = tx.last_insert_rowid();
    write_children(tx, id, m)?;
    Ok(id)
}

fn write_policy(tx: &Transaction<'_>, id: i64, policy: PolicyInput<'_>) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO membership_policy (membership_id, policy_toml, origin) VALUES (?1, ?2, ?3)
         ON CONFLICT (membership_id) DO UPDATE SET policy_toml = excluded.policy_toml,
             origin = excluded.origin, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        params![id, policy.text, policy.origin],
    )?;
    Ok(())
}

fn write_children(tx: &Transaction<'_>, id: i64, m: &Membership) -> Result<(), StoreError> {
    for (position, contract) in m.auto_renew.iter().enumerate() {
        let closed_on = match contract.status {
            ContractStatus::Closed(on) => Some(on.to_string()),
            _ => None,
        };
        tx.execute(
            "INSERT INTO auto_renew_contract (membership_id, position, channel, status, closed_on)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                position as i64,
                contract.channel.as_str(),
                contract.status.as_str(),
                closed_on
            ],
        )?;
    }
    for (position, benefit) in m.benefits.iter().enumerate() {
        tx.execute(
            "INSERT INTO benefit (membership_id, position, name, unit_value_minor,
                 unit_value_currency, quantity, redeemed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                position as i64,
                benefit.name.trim(),
                benefit.unit_value.map(Money::minor_units),
                benefit.unit_value.map(|v| v.currency().code()),
                benefit.quantity,
                benefit.redeemed,
            ],
        )?;
    }
    Ok(())
}

/// [`StoreError::NotFound`] unless membership `id` exists (checked inside the transaction
/// that is about to write about it).
pub(crate) fn require_membership(tx: &Transaction<'_>, id: i64) -> Result<(), StoreError> {
    let exists: Option<i64> = tx
        .query_row("SELECT id FROM membership WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    exists.map(|_| ()).ok_or(StoreError::NotFound { id })
}

pub(crate) use crate::rows::{currency, date};

pub(crate) fn read_vault_head(conn: &Connection) -> Result<Option<VaultHead>, StoreError> {
    Ok(conn
        .query_row("SELECT seq, hash FROM vault_head WHERE id = 1", [], |r| {
            Ok(VaultHead {
                seq: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                hash: r.get(1)?,
            })
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::ReminderKey;
    #[allow(unused_imports)]
    use crate::prelude::*;
    use jiff::civil::date as d;
    use tuiding_core::{Billing, Channel, Currency, Period};

    #[test]
    fn a_reminder_is_claimed_once_per_channel_and_can_be_given_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = SqliteStore::open(&dir.path().join("t.db")).unwrap();
        // A second connection: cron and the server at the same time.
        let mut b = SqliteStore::open(&dir.path().join("t.db")).unwrap();
        let key = ReminderKey {
            membership_id: 1,
            key_day: d(2026, 11, 30),
            lead_days: 7,
        };
        let at = jiff::Timestamp::UNIX_EPOCH;
        assert!(a.claim_reminder(&key, "ntfy", at).unwrap());
        assert!(
            !b.claim_reminder(&key, "ntfy", at).unwrap(),
            "claimed by the other run"
        );
        assert!(
            b.claim_reminder(&key, "mail", at).unwrap(),
            "each channel on its own"
        );
        let next_lead = ReminderKey {
            lead_days: 1,
            ..key
        };
        assert!(b.claim_reminder(&next_lead, "ntfy", at).unwrap());
        a.release_reminder(&key, "ntfy").unwrap();
        assert!(
            b.claim_reminder(&key, "ntfy", at).unwrap(),
            "given back after a failure"
        );
    }

    fn sample() -> Membership {
        Membership {
            platform: "爱奇艺".into(),
            plan: "黄金VIP连续包月".into(),
            billing: Billing::Periodic(Period::month()),
            price: Money::from_minor(2500, Currency::CNY),
            start: d(2026, 1, 31),
            paid_through: Some(d(2026, 2, 27)),
            trial_until: None,
            auto_renew: vec![
                AutoRenewContract {
                    channel: Channel::WechatPay,
                    status: ContractStatus::Active,
                },
                AutoRenewContract {
                    channel: Channel::InApp,
                    status: ContractStatus::Closed(d(2026, 3, 1)),
                },
                AutoRenewContract {
                    channel: Channel::Alipay,
                    status: ContractStatus::Unknown,
                },
            ],
            benefits: vec![Benefit {
                name: "观影券".into(),
                unit_value: Some(Money::from_minor(1500, Currency::CNY)),
                quantity: 4,
                redeemed: 1,
            }],
            category: Some("视频".into()),
            notes: Some("family account".into()),
        }
    }

    #[test]
    fn removal_cascades_and_ids_are_never_reused() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let id = store.add_membership(&sample()).unwrap();
        store.remove_membership(id).unwrap();
        assert!(matches!(
            store.membership(id),
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.remove_membership(id),
            Err(StoreError::NotFound { .. })
        ));
        let orphans: i64 = store
            .conn
            .query_row("SELECT (SELECT count(*) FROM benefit) + (SELECT count(*) FROM auto_renew_contract)", [], |r| r.get(0))
            .unwrap();
        assert_eq!(orphans, 0);
        assert!(store.add_membership(&sample()).unwrap() > id);
    }

    #[test]
    fn policies_are_checked_stored_verbatim_and_removed_with_the_membership() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let text = "# my notes\n[refund]\nmethod = \"none\"\n";
        let id = store
            .add_membership_with_policy(
                &sample(),
                Some(PolicyInput {
                    text,
                    origin: "p.toml",
                }),
            )
            .unwrap();
        assert_eq!(store.policy(id).unwrap().unwrap().text, text);
        let bad = PolicyInput {
            text: "[refund]\nmethod = \"nope\"\n",
            origin: "x",
        };
        assert!(matches!(
            store.set_policy(id, bad),
            Err(StoreError::InvalidPolicy(_))
        ));
        assert!(matches!(
            store.add_membership_with_policy(&sample(), Some(bad)),
            Err(StoreError::InvalidPolicy(_))
        ));
        assert_eq!(store.memberships().unwrap().len(), 1);
        store
            .set_policy(
                id,
                PolicyInput {
                    text: "[refund]\nmethod = \"full\"\n",
                    origin: "template:x",
                },
            )
            .unwrap();
        assert_eq!(store.policy(id).unwrap().unwrap().origin, "template:x");
        assert!(matches!(
            store.set_policy(
                99,
                PolicyInput {
                    text: "",
                    origin: ""
                }
            ),
            Err(StoreError::NotFound { id: 99 })
        ));
        assert!(store.remove_policy(id).unwrap());
        assert!(!store.remove_policy(id).unwrap());
        store
            .set_policy(
                id,
                PolicyInput {
                    text: "",
                    origin: "",
                },
            )
            .unwrap();
        store.remove_membership(id).unwrap();
        let left: i64 = store
            .conn
            .query_row("SELECT count(*) FROM membership_policy", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn hand_edited_values_are_reported_not_misread() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let id = store.add_membership(&sample()).unwrap();
        store
            .conn
            .execute(
                "UPDATE membership SET start_date = '2026-02-30', paid_through = NULL",
                [],
            )
            .unwrap();
        assert!(matches!(
            store.membership(id),
            Err(StoreError::Corrupt {
                field: "start_date",
                ..
            })
        ));
    }

    #[test]
    fn file_database_is_private_and_uses_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tuiding.db");
        let store = SqliteStore::open(&path).unwrap();
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
