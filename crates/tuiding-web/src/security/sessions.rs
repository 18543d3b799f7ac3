//! Logged-in sessions: random tokens in an HttpOnly, SameSite=Strict cookie, kept in
//! memory (a restart logs everyone out).

use super::random_token;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::sync::Mutex;

/// The session cookie.
pub const SESSION_COOKIE: &str = "tuiding_session";

/// How long a login lasts.
const SESSION_DAYS: i64 = 30;

/// Logged-in sessions: token → expiry. Kept in memory: a restart logs everyone out.
#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, Timestamp>>);

impl Sessions {
    /// Starts a session; returns its token.
    pub fn start(&self) -> String {
        let token = random_token();
        let expires = tuiding_app::clock::now() + SignedDuration::from_hours(24 * SESSION_DAYS);
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = tuiding_app::clock::now();
        map.retain(|_, until| *until > now);
        map.insert(token.clone(), expires);
        token
    }

    /// Whether a token is a live session.
    pub fn is_valid(&self, token: &str) -> bool {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(token)
            .is_some_and(|until| *until > tuiding_app::clock::now())
    }

    /// Ends a session.
    pub fn end(&self, token: &str) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(token);
    }
}
