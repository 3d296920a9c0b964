//! Lockout and rate limits for login, two-factor, password reset and
//! registration, per account and per client address, kept in the database (so every server
//! process shares them) and answered with `Retry-After`.
//!
//! Limits (OWASP Authentication Cheat Sheet, "Account Lockout": lock after a
//! small number of failures for a period rather than forever, so an attacker
//! cannot lock a user out for good):
//! - login: 5 failures per account (keyed by the account id, so the username
//!   and the email share one budget), or 20 per client address, within 15
//!   minutes lock that account or address for 15 minutes;
//! - two-factor: 5 wrong codes per account (20 per address) in 15 minutes lock 15 minutes;
//! - password reset: 3 requests per account and 10 per address per hour;
//! - registration: 30 attempts per client address in 15 minutes, then 15
//!   minutes refused, so neither usernames nor emails can be probed in bulk.

use healing_store::prelude::*;
use healing_store::{ThrottleAction, ThrottleKey, ThrottlePolicy, ThrottleScope};

use crate::error::ApiError;
use crate::state::{AppState, store_error};

/// Registration attempts one client address may make in 15 minutes.
pub const REGISTER_ATTEMPTS: u32 = 30;

/// The limit for an action and scope.
pub fn policy_for(action: ThrottleAction, scope: ThrottleScope) -> ThrottlePolicy {
    let (max_failures, window_seconds, lockout_seconds) = match (action, scope) {
        (ThrottleAction::Login | ThrottleAction::SecondFactor, ThrottleScope::Account) => {
            (5, 900, 900)
        }
        (ThrottleAction::Login | ThrottleAction::SecondFactor, ThrottleScope::ClientAddress) => {
            (20, 900, 900)
        }
        (ThrottleAction::PasswordReset, ThrottleScope::Account) => (3, 3600, 3600),
        (ThrottleAction::PasswordReset, ThrottleScope::ClientAddress) => (10, 3600, 3600),
        // Only the address is counted: a registration has no account yet.
        (ThrottleAction::Register, _) => (REGISTER_ATTEMPTS, 900, 900),
    };
    ThrottlePolicy {
        max_failures,
        window_seconds,
        lockout_seconds,
    }
}

/// The keys counted for an attempt: the account (normalised) and the client address.
pub fn keys(action: ThrottleAction, account: &str, address: &str) -> [ThrottleKey; 2] {
    [
        ThrottleKey {
            scope: ThrottleScope::Account,
            action,
            subject: account.to_lowercase(),
        },
        ThrottleKey {
            scope: ThrottleScope::ClientAddress,
            action,
            subject: address.to_owned(),
        },
    ]
}

/// The key counted for an action by client address alone.
pub fn address_key(action: ThrottleAction, address: &str) -> ThrottleKey {
    ThrottleKey {
        scope: ThrottleScope::ClientAddress,
        action,
        subject: address.to_owned(),
    }
}

/// Refuses with 429 and `Retry-After` if any key is locked now.
pub async fn check(state: &AppState, keys: &[ThrottleKey]) -> Result<(), ApiError> {
    let now = state.now();
    let mut wait = 0;
    for key in keys {
        let throttle = state
            .store()
            .throttle_state(key, now)
            .await
            .map_err(store_error)?;
        if let Some(until) = throttle.locked_until {
            wait = wait.max(until.seconds_since(now));
        }
    }
    if wait > 0 {
        Err(ApiError::too_many_attempts(wait))
    } else {
        Ok(())
    }
}

/// Counts a failure on every key; returns the 429 to answer if this one locked a key.
pub async fn record_failure(
    state: &AppState,
    keys: &[ThrottleKey],
) -> Result<Option<ApiError>, ApiError> {
    let now = state.now();
    let mut wait = 0;
    for key in keys {
        let policy = policy_for(key.action, key.scope);
        let throttle = state
            .store()
            .record_auth_failure(key, now, policy)
            .await
            .map_err(store_error)?;
        if let Some(until) = throttle.locked_until {
            wait = wait.max(until.seconds_since(now));
        }
    }
    Ok((wait > 0).then(|| ApiError::too_many_attempts(wait)))
}

/// Forgets an account's failures after a success.
pub async fn clear(state: &AppState, key: &ThrottleKey) -> Result<(), ApiError> {
    state
        .store()
        .clear_auth_failures(key)
        .await
        .map_err(store_error)
}
