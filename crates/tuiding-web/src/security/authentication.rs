//! Who may use the server: the password (an argon2id hash in the data directory), the
//! brake on guessing it, and the gate that sends everyone without a session to the login.

use super::{SESSION_COOKIE, cookie};
use crate::error::WebError;
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file in the data directory holding the password's argon2 hash (PHC string).
pub const PASSWORD_FILE: &str = "web-password";

/// Guessing passwords is slowed down: at most two argon2 checks run at once (each takes
/// ~19 MiB and tens of milliseconds), a wrong password is answered after a second, and
/// once ten attempts in a minute have failed or are still being checked, every login is
/// refused for the next minute, a right password included.
///
/// The attempt is counted before the password is checked, under one lock, so a burst of
/// concurrent guesses cannot all pass the count before any of them is recorded; and a
/// right password is granted only if the brake did not trip while it was being checked.
///
/// On a server of accounts the brake counts per account name: guessing one account's
/// password pauses that account's sign-in, not everyone's. The two argon2 checks at a time
/// are shared by all.
pub struct LoginGuard {
    permits: tokio::sync::Semaphore,
    brakes: Mutex<HashMap<String, Brake>>,
}

/// Attempts of the last minute (failed or in flight) and when logins open again.
#[derive(Default)]
struct Brake {
    attempts: Vec<(u64, Timestamp)>,
    next_id: u64,
    closed_until: Option<Timestamp>,
}

impl Default for LoginGuard {
    fn default() -> LoginGuard {
        LoginGuard {
            permits: tokio::sync::Semaphore::new(2),
            brakes: Mutex::default(),
        }
    }
}

/// Why a login was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginRefused {
    /// No password is set: there is nothing to log in to.
    NoPassword,
    /// The password is wrong.
    Wrong,
    /// Too many wrong passwords in the last minute.
    TooMany,
}

/// Attempts (failed or being checked) allowed per minute before logins pause.
const MAX_FAILURES_PER_MINUTE: usize = 10;

/// Names whose brakes are kept at most; past this, brakes with nothing in their last
/// minute are forgotten (so made-up names cannot grow the map without end).
const MAX_BRAKES: usize = 10_000;

impl LoginGuard {
    /// Runs `f` on the brake of `who` ("" on a single-user app).
    fn with_brake<T>(&self, who: &str, f: impl FnOnce(&mut Brake) -> T) -> T {
        let mut brakes = self.brakes.lock().unwrap_or_else(|p| p.into_inner());
        if brakes.len() >= MAX_BRAKES && !brakes.contains_key(who) {
            let now = tuiding_app::clock::now();
            let cutoff = now - SignedDuration::from_secs(60);
            brakes.retain(|_, b| {
                b.closed_until.is_some_and(|until| until > now)
                    || b.attempts.iter().any(|(_, t)| *t > cutoff)
            });
        }
        f(brakes.entry(who.to_string()).or_default())
    }

    /// Counts an attempt before its password is checked; refused when the brake is on.
    fn begin(&self, who: &str) -> Result<u64, LoginRefused> {
        self.with_brake(who, Brake::begin)
    }

    /// A right password: the attempt is no failure, and it stands only if the brake did
    /// not trip meanwhile.
    fn succeeded(&self, who: &str, id: u64) -> Result<(), LoginRefused> {
        self.with_brake(who, |brake| brake.succeeded(id))
    }
}

impl Brake {
    fn begin(&mut self) -> Result<u64, LoginRefused> {
        let now = tuiding_app::clock::now();
        if self.closed_until.is_some_and(|until| until > now) {
            return Err(LoginRefused::TooMany);
        }
        let cutoff = now - SignedDuration::from_secs(60);
        self.attempts.retain(|(_, t)| *t > cutoff);
        if self.attempts.len() >= MAX_FAILURES_PER_MINUTE {
            self.closed_until = Some(now + SignedDuration::from_secs(60));
            return Err(LoginRefused::TooMany);
        }
        self.next_id += 1;
        let id = self.next_id;
        self.attempts.push((id, now));
        Ok(id)
    }

    fn succeeded(&mut self, id: u64) -> Result<(), LoginRefused> {
        self.attempts.retain(|(a, _)| *a != id);
        match self.closed_until {
            Some(until) if until > tuiding_app::clock::now() => Err(LoginRefused::TooMany),
            _ => Ok(()),
        }
    }
}

impl LoginGuard {
    /// Checks a password against the stored hash (off the async threads).
    pub async fn check(&self, hash: Option<String>, password: String) -> Result<(), LoginRefused> {
        self.check_as("", hash, password).await
    }

    /// Checks the password of account `who` (a server of accounts) against its hash.
    pub async fn check_as(
        &self,
        who: &str,
        hash: Option<String>,
        password: String,
    ) -> Result<(), LoginRefused> {
        let hash = hash.ok_or(LoginRefused::NoPassword)?;
        let attempt = self.begin(who)?;
        let ok = {
            let _permit = self
                .permits
                .acquire()
                .await
                .map_err(|_| LoginRefused::TooMany)?;
            tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .unwrap_or(false)
        };
        if ok {
            return self.succeeded(who, attempt);
        }
        // The attempt stays counted as a failure for a minute.
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        Err(LoginRefused::Wrong)
    }
}

/// When a password is set, or on a server of accounts, every page and API call but the
/// login (and `/healthz`) needs a session. On a server of accounts the whole request then
/// runs as the session's account ([`crate::state::signed_in_as`]): its operations can only
/// reach that account's ledger.
pub async fn require_login(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.login_required() {
        return next.run(request).await;
    }
    let path = request.uri().path();
    // The manifest is fetched without cookies: installing must work before signing in.
    let open = path == "/login"
        || path == "/api/v1/login"
        || path == "/healthz"
        || path == "/manifest.webmanifest"
        || path.starts_with("/lang/")
        || path.starts_with("/static/");
    let signed = match cookie(request.headers(), SESSION_COOKIE) {
        Some(token) => state.0.sessions.who(&token).await,
        None => None,
    };
    match signed {
        Some(super::Signed::As(account)) => {
            return crate::state::signed_in_as(account, next.run(request)).await;
        }
        Some(super::Signed::In) => return next.run(request).await,
        None if open => return next.run(request).await,
        None => {}
    }
    if path.starts_with("/api/") || path == "/calendar.ics" {
        return WebError::new(
            StatusCode::UNAUTHORIZED,
            "需要登录：POST /api/v1/login {\"password\": …} / log in first: POST /api/v1/login",
        )
        .json();
    }
    Redirect::to("/login").into_response()
}

/// The password file of a data directory.
pub fn password_file(data_dir: &Path) -> PathBuf {
    data_dir.join(PASSWORD_FILE)
}

/// The stored password hash, if one is set.
pub fn read_password(data_dir: &Path) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(password_file(data_dir)) {
        Ok(text) if !text.trim().is_empty() => Ok(Some(text.trim().to_string())),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!(
            "{}: {e}",
            password_file(data_dir).display()
        )),
    }
}

/// The argon2id hash (PHC string) of a password, with a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// Whether a password matches a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_right_password_is_refused_when_the_brake_trips_during_its_check() {
        let guard = LoginGuard::default();
        let right = guard.begin("").unwrap();
        for _ in 0..MAX_FAILURES_PER_MINUTE {
            let _ = guard.begin("");
        }
        assert_eq!(
            guard.begin(""),
            Err(LoginRefused::TooMany),
            "the brake is on"
        );
        assert_eq!(guard.succeeded("", right), Err(LoginRefused::TooMany));
        // Without the burst, a right password stands and is no failure.
        let calm = LoginGuard::default();
        let right = calm.begin("").unwrap();
        assert_eq!(calm.succeeded("", right), Ok(()));
        assert!(calm.with_brake("", |b| b.attempts.is_empty()));
    }

    /// On a server of accounts, guessing one account's password pauses that account only:
    /// nobody can lock everyone out by guessing.
    #[test]
    fn the_brake_counts_per_account_name() {
        let guard = LoginGuard::default();
        for _ in 0..=MAX_FAILURES_PER_MINUTE {
            let _ = guard.begin("小王");
        }
        assert_eq!(guard.begin("小王"), Err(LoginRefused::TooMany));
        let other = guard.begin("小李").unwrap();
        assert_eq!(guard.succeeded("小李", other), Ok(()));
    }

    /// Made-up names cannot grow the brakes without end: past the limit, the quiet ones go.
    #[test]
    fn brakes_of_made_up_names_are_forgotten() {
        let guard = LoginGuard::default();
        for n in 0..MAX_BRAKES {
            guard.with_brake(&format!("n{n}"), |_| ());
        }
        guard.with_brake("one more", |_| ());
        let kept = guard.brakes.lock().unwrap().len();
        assert!(kept <= 1, "{kept} brakes kept");
    }
}
