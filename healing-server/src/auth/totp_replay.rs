//! Replay protection for TOTP codes: the last accepted step per user.
//!
//! Kept in process memory because the store has no column for it yet (see the
//! crate README); with several processes a code could be replayed on another
//! process within its 90-second window, and only by someone who also holds
//! the password (a pending session needs it).

use std::collections::HashMap;
use std::sync::Mutex;

/// Last accepted TOTP step per user id.
#[derive(Debug, Default)]
pub struct ReplayGuard {
    last_step: Mutex<HashMap<String, i64>>,
}

impl ReplayGuard {
    /// The last step accepted for this user, if any.
    pub fn last_step(&self, user_id: &str) -> Option<i64> {
        self.last_step
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(user_id)
            .copied()
    }

    /// Records an accepted step; refuses (returns false) if it is not newer
    /// than the last one, closing the race between two concurrent requests.
    pub fn accept(&self, user_id: &str, step: i64) -> bool {
        let mut map = self
            .last_step
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match map.get(user_id) {
            Some(last) if *last >= step => false,
            _ => {
                map.insert(user_id.to_owned(), step);
                true
            }
        }
    }
}
