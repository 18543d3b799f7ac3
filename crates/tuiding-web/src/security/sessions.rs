//! Logged-in sessions: random tokens in an HttpOnly, SameSite=Strict cookie. The
//! single-user app keeps them in memory (a restart logs everyone out); a server of
//! accounts keeps them in PostgreSQL, shared by every process, surviving restarts, and
//! revocable (removed with the account or when its password changes). Only a token's
//! SHA-256 is stored there.

use super::random_token;
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use tuiding_app::accounts::Postgres;

/// The session cookie.
pub const SESSION_COOKIE: &str = "tuiding_session";

/// How long a login lasts.
pub const SESSION_DAYS: i64 = 30;

/// Where sessions are kept.
pub enum Sessions {
    /// Token → expiry, in this process.
    Memory(Mutex<HashMap<String, Timestamp>>),
    /// In the accounts' database.
    Stored(Postgres),
}

impl Default for Sessions {
    fn default() -> Sessions {
        Sessions::Memory(Mutex::default())
    }
}

/// Whom a session token signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// The one user of a single-user app.
    In,
    /// An account of the database.
    As(i64),
}

fn expiry() -> Timestamp {
    tuiding_app::clock::now() + SignedDuration::from_hours(24 * SESSION_DAYS)
}

/// A token's SHA-256, hex: what the database keeps.
pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Sessions {
    /// Starts a session (for `account` on a server of accounts); returns its token.
    pub async fn start(&self, account: Option<i64>) -> anyhow::Result<String> {
        let token = random_token();
        match (self, account) {
            (Sessions::Memory(map), _) => {
                let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
                let now = tuiding_app::clock::now();
                map.retain(|_, until| *until > now);
                map.insert(token.clone(), expiry());
            }
            (Sessions::Stored(db), Some(account)) => {
                let (db, hash) = (db.clone(), digest(&token));
                tokio::task::spawn_blocking(move || db.start_session(account, &hash, expiry()))
                    .await??;
            }
            (Sessions::Stored(_), None) => {
                anyhow::bail!("a session on a server of accounts needs an account")
            }
        }
        Ok(token)
    }

    /// Whom a token signs in, if it is a live session.
    pub async fn who(&self, token: &str) -> Option<Signed> {
        match self {
            Sessions::Memory(map) => {
                let map = map.lock().unwrap_or_else(|p| p.into_inner());
                map.get(token)
                    .is_some_and(|until| *until > tuiding_app::clock::now())
                    .then_some(Signed::In)
            }
            Sessions::Stored(db) => {
                // Not a token we could have made: no need to ask the database.
                if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let (db, hash) = (db.clone(), digest(token));
                match tokio::task::spawn_blocking(move || db.session_account(&hash)).await {
                    Ok(Ok(found)) => found.map(Signed::As),
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "session lookup failed");
                        None
                    }
                    Err(_) => None,
                }
            }
        }
    }

    /// Ends a session.
    pub async fn end(&self, token: &str) {
        match self {
            Sessions::Memory(map) => {
                map.lock().unwrap_or_else(|p| p.into_inner()).remove(token);
            }
            Sessions::Stored(db) => {
                let (db, hash) = (db.clone(), digest(token));
                if let Ok(Err(e)) = tokio::task::spawn_blocking(move || db.end_session(&hash)).await
                {
                    tracing::warn!(error = %e, "ending a session failed");
                }
            }
        }
    }
}
