//! Session tokens and cookies.
//!
//! A session id is 256 bits from the operating system's random generator,
//! sent to the browser once in a cookie and stored in the database only as
//! its SHA-256 hash, so a database leak does not leak live sessions. Sessions
//! expire after [`IDLE_TIMEOUT_SECONDS`] without use and at most
//! [`ABSOLUTE_TIMEOUT_SECONDS`] after login (OWASP Session Management Cheat
//! Sheet: idle 15–30 min for high-value apps, absolute 4–8 h; we choose 2 h
//! idle and 12 h absolute so a clinician's working day is one login; stated
//! here so the choice is reviewable). A new id is issued at login and at every
//! privilege change (2FA completion, role change), which makes session
//! fixation impossible: an id known before login is never valid after it.

use base64::Engine as _;
use healing_store::TokenHash;
use sha2::{Digest, Sha256};

/// Idle expiry: 2 hours without a request.
pub const IDLE_TIMEOUT_SECONDS: i64 = 2 * 60 * 60;
/// Absolute expiry: 12 hours after login, however active.
pub const ABSOLUTE_TIMEOUT_SECONDS: i64 = 12 * 60 * 60;
/// Pending-2FA sessions (password checked, code not yet) live 5 minutes.
pub const TWO_FACTOR_PENDING_SECONDS: i64 = 5 * 60;
/// The cookie's name.
pub const COOKIE_NAME: &str = "healing_session";

/// A fresh session token: 32 random bytes, base64url without padding.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

impl SessionToken {
    /// Draws a new token from the OS random generator.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(Self(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        ))
    }

    /// Wraps a token read from a cookie (not validated: a wrong one simply
    /// matches no stored hash).
    pub fn from_cookie_value(value: &str) -> Self {
        Self(value.to_owned())
    }

    /// The value put in the cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database stores: SHA-256 of the token.
    pub fn storage_hash(&self) -> TokenHash {
        TokenHash::of_secret(self.0.as_bytes())
    }

    /// The per-session CSRF token: derived from the session secret, so it is
    /// unique per session, changes whenever the session id does, and cannot
    /// be computed by a page that cannot read the HttpOnly cookie.
    pub fn csrf_token(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"healing csrf v1\0");
        hasher.update(self.0.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hasher.finalize())
    }
}

/// Whether cookies carry the `Secure` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieSecurity {
    /// `Secure` set: the browser sends the cookie over HTTPS only.
    Secure,
    /// `Secure` omitted: only for plain-HTTP loopback development.
    PlainHttpLoopback,
}

/// `Set-Cookie` value carrying a new session.
pub fn session_cookie(token: &SessionToken, security: CookieSecurity) -> String {
    let secure = match security {
        CookieSecurity::Secure => "; Secure",
        CookieSecurity::PlainHttpLoopback => "",
    };
    format!(
        "{COOKIE_NAME}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={ABSOLUTE_TIMEOUT_SECONDS}{secure}",
        token.as_str()
    )
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clearing_cookie(security: CookieSecurity) -> String {
    let secure = match security {
        CookieSecurity::Secure => "; Secure",
        CookieSecurity::PlainHttpLoopback => "",
    };
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Finds our session cookie among `Cookie` header values.
pub fn token_from_cookie_header<'a>(values: impl Iterator<Item = &'a str>) -> Option<SessionToken> {
    values
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE_NAME && !value.is_empty())
        .map(|(_, value)| SessionToken::from_cookie_value(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_and_distinct() {
        let a = SessionToken::generate().unwrap();
        let b = SessionToken::generate().unwrap();
        assert_eq!(a.as_str().len(), 43);
        assert_ne!(a, b);
        assert_ne!(a.csrf_token(), b.csrf_token());
        assert_ne!(a.storage_hash(), b.storage_hash());
    }

    #[test]
    fn cookie_has_all_flags() {
        let token = SessionToken::from_cookie_value("abc");
        assert_eq!(
            session_cookie(&token, CookieSecurity::Secure),
            "healing_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure"
        );
        assert!(!session_cookie(&token, CookieSecurity::PlainHttpLoopback).contains("Secure"));
    }

    #[test]
    fn finds_token_among_other_cookies() {
        let found =
            token_from_cookie_header(["theme=dark; healing_session=xyz", "other=1"].into_iter());
        assert_eq!(found, Some(SessionToken::from_cookie_value("xyz")));
        assert_eq!(
            token_from_cookie_header(["healing_session="].into_iter()),
            None
        );
    }
}
