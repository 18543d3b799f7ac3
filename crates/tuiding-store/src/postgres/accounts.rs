//! Accounts: who may sign in, with their language and time zone. Passwords arrive hashed
//! (argon2id PHC strings, made by the application); the store never sees one in clear.

use crate::StoreError;
use crate::postgres::Postgres;

/// An account as stored. Its `Debug` leaves the password hash out.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The account's id (its rows carry it).
    pub id: i64,
    /// The sign-in name.
    pub name: String,
    /// The argon2id PHC string; `None`: no password set, cannot sign in.
    pub password: Option<String>,
    /// `zh` or `en`.
    pub lang: String,
    /// An IANA time zone (`Asia/Shanghai`).
    pub time_zone: String,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("lang", &self.lang)
            .field("time_zone", &self.time_zone)
            .finish()
    }
}

const SELECT_ACCOUNT: &str = "SELECT id, name, password, lang, time_zone FROM account";

fn account(r: &postgres::Row) -> Account {
    Account {
        id: r.get(0),
        name: r.get(1),
        password: r.get(2),
        lang: r.get(3),
        time_zone: r.get(4),
    }
}

impl Postgres {
    /// Adds an account ([`StoreError::AccountExists`] when the name is taken).
    pub fn add_account(&self, name: &str, password: Option<&str>) -> Result<Account, StoreError> {
        let name = name.trim();
        let row = self.get()?.query_opt(
            "INSERT INTO account (name, password) VALUES ($1, $2)
             ON CONFLICT (name) DO NOTHING
             RETURNING id, name, password, lang, time_zone",
            &[&name, &password],
        )?;
        row.as_ref()
            .map(account)
            .ok_or_else(|| StoreError::AccountExists(name.to_string()))
    }

    /// The account with this name, if any.
    pub fn account(&self, name: &str) -> Result<Option<Account>, StoreError> {
        let row = self.get()?.query_opt(
            &format!("{SELECT_ACCOUNT} WHERE name = $1"),
            &[&name.trim()],
        )?;
        Ok(row.as_ref().map(account))
    }

    /// Every account, by id.
    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = self
            .get()?
            .query(&format!("{SELECT_ACCOUNT} ORDER BY id"), &[])?;
        Ok(rows.iter().map(account).collect())
    }

    /// Replaces an account's password hash and ends all its sessions, in one transaction
    /// (whoever knew the old password is signed out).
    pub fn set_password(&self, name: &str, password: &str) -> Result<(), StoreError> {
        let mut client = self.get()?;
        let mut tx = client.transaction()?;
        let row = tx.query_opt(
            "UPDATE account SET password = $2 WHERE name = $1 RETURNING id",
            &[&name.trim(), &password],
        )?;
        let Some(row) = row else {
            return Err(StoreError::AccountNotFound(name.trim().to_string()));
        };
        let id: i64 = row.get(0);
        tx.execute("DELETE FROM session WHERE account_id = $1", &[&id])?;
        tx.commit()?;
        Ok(())
    }

    /// Records a web session of an account until `expires` (RFC 3339); the token's
    /// SHA-256 (hex) is all that is kept.
    pub fn start_session(
        &self,
        account: i64,
        token_sha256: &str,
        expires: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        let mut client = self.get()?;
        let mut tx = client.transaction()?;
        // Expired sessions go now and then: here, with each new one.
        tx.execute("DELETE FROM session WHERE expires_at < now()", &[])?;
        tx.execute(
            "INSERT INTO session (token_sha256, account_id, expires_at)
             VALUES ($1, $2, $3::text::timestamptz)",
            &[&token_sha256, &account, &expires.to_string()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The account a live session belongs to.
    pub fn session_account(&self, token_sha256: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .get()?
            .query_opt(
                "SELECT account_id FROM session WHERE token_sha256 = $1 AND expires_at > now()",
                &[&token_sha256],
            )?
            .map(|r| r.get(0)))
    }

    /// Ends a session.
    pub fn end_session(&self, token_sha256: &str) -> Result<(), StoreError> {
        self.get()?.execute(
            "DELETE FROM session WHERE token_sha256 = $1",
            &[&token_sha256],
        )?;
        Ok(())
    }

    /// The account with this id, if any.
    pub fn account_by_id(&self, id: i64) -> Result<Option<Account>, StoreError> {
        let row = self
            .get()?
            .query_opt(&format!("{SELECT_ACCOUNT} WHERE id = $1"), &[&id])?;
        Ok(row.as_ref().map(account))
    }

    /// Whether the database answers (`/healthz`).
    pub fn ping(&self) -> Result<(), StoreError> {
        self.get()?.batch_execute("SELECT 1")?;
        Ok(())
    }

    /// Sets an account's language and time zone.
    pub fn set_preferences(
        &self,
        name: &str,
        lang: &str,
        time_zone: &str,
    ) -> Result<(), StoreError> {
        let changed = self.get()?.execute(
            "UPDATE account SET lang = $2, time_zone = $3 WHERE name = $1",
            &[&name.trim(), &lang, &time_zone],
        )?;
        if changed == 0 {
            return Err(StoreError::AccountNotFound(name.trim().to_string()));
        }
        Ok(())
    }

    /// Removes an account and every row it owns, in one transaction.
    pub fn remove_account(&self, name: &str) -> Result<(), StoreError> {
        let removed = self
            .get()?
            .execute("DELETE FROM account WHERE name = $1", &[&name.trim()])?;
        if removed == 0 {
            return Err(StoreError::AccountNotFound(name.trim().to_string()));
        }
        Ok(())
    }
}
