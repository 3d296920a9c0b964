//! Accounts and sessions: password hashing, session tokens and cookies, CSRF,
//! TOTP two-factor, and sign-in throttling. [`resolve_caller`] turns a
//! request's session cookie into a [`Caller`] for the policy layer.

pub mod csrf;
pub mod password;
pub mod session;
pub mod throttle;
pub mod totp;

use axum::http::{HeaderMap, header};
use healing_store::prelude::*;
use healing_store::{Role, SessionStage, TwoFactorState};

use crate::error::ApiError;
use crate::policy::Caller;
use crate::state::{AppState, store_error};
use session::{IDLE_TIMEOUT_SECONDS, token_from_cookie_header};

/// Activity is written back at most once per this many seconds, so reads
/// do not each cost a write; idle expiry is thus exact to within a minute.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// The caller behind the request's session cookie, if the session exists,
/// has not expired (idle or absolute) and its account is enabled. Expired
/// sessions are deleted on sight.
pub async fn resolve_caller(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Caller>, ApiError> {
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok());
    let Some(token) = token_from_cookie_header(cookies) else {
        return Ok(None);
    };
    let hash = token.storage_hash();
    let store = state.store();
    // Session and account in one query: every authenticated request pays it.
    let Some(account) = store.session_account(&hash).await.map_err(store_error)? else {
        return Ok(None);
    };
    let session = account.session;
    let now = state.now();
    let idle = now.seconds_since(session.last_seen_at);
    if now >= session.expires_at || idle > IDLE_TIMEOUT_SECONDS {
        store.delete_session(&hash).await.map_err(store_error)?;
        return Ok(None);
    }
    if account.disabled_at.is_some() {
        return Ok(None);
    }
    if idle >= TOUCH_EVERY_SECONDS {
        store.touch_session(&hash, now).await.map_err(store_error)?;
    }
    let second_factor_outstanding = session.stage == SessionStage::Authenticated
        && account.role != Role::Patient
        && account.two_factor != TwoFactorState::Enabled;
    Ok(Some(Caller {
        user_id: session.user_id,
        role: account.role,
        stage: session.stage,
        session_hash: hash,
        second_factor_outstanding,
    }))
}

/// The client's address as seen on the socket (`"unknown"` in in-process
/// tests). Forwarded headers are not trusted: behind a proxy every client
/// shares the proxy's address, so per-address limits become per-proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string());
        Ok(Self(address))
    }
}
