//! The on-call webhook: what it carries, how it is signed, and how a receiver
//! checks the signature.
//!
//! The body names no patient and carries no words the patient wrote: the alert's
//! id, severity, categories, source kind and time, a pseudonymous patient
//! reference (stable per patient, meaningless without the webhook secret) and a
//! link into the app. The request is signed in the style of Stripe's webhooks:
//!
//! ```text
//! Healing-Signature: t=<Unix seconds>,v1=<64 hex digits>
//! Idempotency-Key: <the delivery's id, the same on every retry>
//! ```
//!
//! where `v1` is the lowercase hex HMAC-SHA256, under `HEALING_ALERT_WEBHOOK_SECRET`,
//! of `t`, a full stop, and the raw request body. A receiver recomputes it over the
//! bytes it received, compares in constant time, refuses a `t` more than five
//! minutes from its own clock (so a captured request cannot be replayed later),
//! and drops a request whose `Idempotency-Key` it has already handled (a delivery
//! is retried until it is answered 2xx, so the same key may arrive twice).
//! `healing-server/README.md` ("Alert delivery") shows the check in Python for
//! receivers; [`verify_signature`] is the same check in Rust.

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;

use healing_store::{ClaimedDelivery, DeliveryEvent};

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Healing-Signature";

/// The header that carries the delivery's id, the same on every retry.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// How far a signature's time may be from the receiver's clock, in seconds, in
/// [`verify_signature`] and the documented receiver.
pub const REPLAY_WINDOW_SECONDS: i64 = 300;

/// The JSON body of a webhook call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookBody {
    /// The delivery's id: the idempotency key.
    pub id: String,
    /// `alert.raised` or `alert.escalated`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The alert.
    pub alert: WebhookAlert,
}

/// The alert as the webhook describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookAlert {
    /// Alert id.
    pub id: String,
    /// `medium`, `high` or `critical`.
    pub severity: &'static str,
    /// Risk categories, e.g. `suicide`.
    pub categories: Vec<&'static str>,
    /// The kind of record it came from: `mood_note`, `journal`, `assessment`,
    /// `clinical_note`, `chat`, `chat_reply_withheld` or `delivery_failed`.
    pub source: &'static str,
    /// When raised (RFC 3339).
    pub created_at: String,
    /// How many times it has escalated.
    pub escalation_level: u32,
    /// `linked_clinicians` or `duty_contact`.
    pub routed_to: &'static str,
    /// A pseudonymous reference to the patient: the same for every alert about
    /// one patient, and not the patient's id.
    pub patient_ref: String,
    /// Where staff open the alert.
    pub url: String,
}

/// The body for one claimed delivery.
pub fn body(claimed: &ClaimedDelivery, secret: &[u8], public_url: &str) -> WebhookBody {
    let alert = &claimed.alert;
    WebhookBody {
        id: claimed.delivery.id.clone(),
        kind: match claimed.delivery.event {
            DeliveryEvent::Raised => "alert.raised",
            DeliveryEvent::Escalated => "alert.escalated",
        },
        alert: WebhookAlert {
            id: alert.id.clone(),
            severity: alert.severity.as_str(),
            categories: alert
                .categories
                .iter()
                .map(|category| category.as_str())
                .collect(),
            source: alert.source.as_str(),
            created_at: alert.created_at.to_rfc3339(),
            escalation_level: claimed.delivery.escalation_level,
            routed_to: alert.routed_to.as_str(),
            patient_ref: patient_ref(secret, alert.patient_id.as_str()),
            url: super::alert_url(public_url, &alert.id),
        },
    }
}

/// A stable pseudonym for a patient: the first 16 bytes of an HMAC of the id under
/// the webhook secret, in hex, prefixed `p_`.
pub fn patient_ref(secret: &[u8], patient_id: &str) -> String {
    let digest = hmac_sha256(secret, &[b"patient-ref:", patient_id.as_bytes()]);
    format!("p_{}", hex(&digest[..16]))
}

/// The `Healing-Signature` header value for `body` sent at `timestamp`.
pub fn signature_header(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let stamp = timestamp.to_string();
    let digest = hmac_sha256(secret, &[stamp.as_bytes(), b".", body]);
    format!("t={stamp},v1={}", hex(&digest))
}

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is not `t=…,v1=…`.
    #[error("the signature header is malformed")]
    Malformed,
    /// `t` is outside the replay window.
    #[error("the signature's time is outside the replay window")]
    Stale,
    /// The HMAC does not match.
    #[error("the signature does not match the body")]
    Mismatch,
}

/// Checks a `Healing-Signature` header against the raw `body`, at `now` (Unix
/// seconds), with a replay window of `tolerance_seconds` either side.
pub fn verify_signature(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now: i64,
    tolerance_seconds: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = Some(value),
            Some(("v1", value)) => signature = Some(value),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(SignatureError::Malformed);
    };
    let seconds: i64 = timestamp.parse().map_err(|_| SignatureError::Malformed)?;
    if now.abs_diff(seconds) > tolerance_seconds.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let Some(given) = unhex(signature) else {
        return Err(SignatureError::Malformed);
    };
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret) else {
        return Err(SignatureError::Mismatch);
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&given)
        .map_err(|_| SignatureError::Mismatch)
}

fn hmac_sha256(secret: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable_any_key());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

#[expect(clippy::panic, reason = "HMAC accepts keys of every length")]
fn unreachable_any_key() -> Hmac<Sha256> {
    panic!("HMAC refused a key")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(text.get(index..index + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test_0123456789abcdef0123456789";

    #[test]
    fn a_signature_verifies_over_the_exact_body_and_time() {
        let body = br#"{"id":"d1"}"#;
        let header = signature_header(SECRET, 1_796_378_400, body);
        assert!(header.starts_with("t=1796378400,v1="));
        assert_eq!(
            verify_signature(SECRET, &header, body, 1_796_378_460, 300),
            Ok(())
        );
        assert_eq!(
            verify_signature(SECRET, &header, br#"{"id":"d2"}"#, 1_796_378_460, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(b"another secret", &header, body, 1_796_378_460, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(SECRET, &header, body, 1_796_378_400 + 301, 300),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify_signature(SECRET, "v1=00", body, 1_796_378_400, 300),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn the_signature_matches_an_hmac_computed_independently() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        // Split as t="what do ya want for nothing?" is not an integer, so check the
        // HMAC through the helper the signature uses.
        let digest = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex(&digest),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_patient_reference_is_stable_and_not_the_id() {
        let first = patient_ref(SECRET, "patient-1");
        assert_eq!(first, patient_ref(SECRET, "patient-1"));
        assert_ne!(first, patient_ref(SECRET, "patient-2"));
        assert_ne!(first, patient_ref(b"another secret", "patient-1"));
        assert!(!first.contains("patient-1"));
        assert_eq!(first.len(), 2 + 32);
    }
}
