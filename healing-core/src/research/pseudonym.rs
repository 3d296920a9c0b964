//! Keyed pseudonyms and per-person date offsets.
//!
//! Both come from HMAC-SHA256 keyed with the study key (RFC 2104; SHA-256 from
//! FIPS 180-4), over a domain label and the person's id, so that:
//! - the same person gets the same pseudonym in every export of one study;
//! - two studies (two keys) get unrelated pseudonyms for the same person, so their
//!   exports cannot be joined on the pseudonym;
//! - without the key, a pseudonym cannot be turned back into an id, even by trying
//!   every id the service has (which an unkeyed hash would allow).
//!
//! The study key never leaves this module's caller: the manifest records only its
//! [`StudyKey::key_id`], a one-way fingerprint under a different domain label.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::Error;

/// Domain label of pseudonyms; a new scheme gets a new label.
const PSEUDONYM_LABEL: &[u8] = b"healing research pseudonym v1\0";
/// Domain label of date offsets.
const DATE_OFFSET_LABEL: &[u8] = b"healing research date offset v1\0";
/// Domain label of the key fingerprint.
const KEY_ID_LABEL: &[u8] = b"healing research study key id v1\0";
/// The fewest bytes a study key may have (128 bits).
pub const MIN_KEY_BYTES: usize = 16;

/// A study's secret key, never printed.
#[derive(Clone)]
pub struct StudyKey {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for StudyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        write!(f, "StudyKey({})", self.key_id())
    }
}

impl StudyKey {
    /// A key of at least [`MIN_KEY_BYTES`] bytes.
    pub fn new(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() < MIN_KEY_BYTES {
            return Err(Error::StudyKeyTooShort {
                bytes: bytes.len(),
                minimum: MIN_KEY_BYTES,
            });
        }
        Ok(Self {
            bytes: bytes.to_vec(),
        })
    }

    /// A one-way fingerprint of the key for manifests: 16 hex digits of
    /// SHA-256(label ‖ key). Tells two keys apart without revealing either.
    pub fn key_id(&self) -> String {
        let mut digest = Sha256::new();
        digest.update(KEY_ID_LABEL);
        digest.update(&self.bytes);
        hex(&digest.finalize()[..8])
    }

    /// HMAC-SHA256(key, label ‖ person id).
    fn mac(&self, label: &[u8], person: &str) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail; the fallback
        // (never taken) would still be a keyed digest of nothing secret-free.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.bytes) else {
            return [0; 32];
        };
        mac.update(label);
        mac.update(person.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The person's pseudonym in this study: `"p"` and 32 hex digits (128 bits
    /// of the HMAC, far beyond collision range for any service's population).
    pub fn pseudonym(&self, person: &str) -> String {
        let mac = self.mac(PSEUDONYM_LABEL, person);
        let mut text = String::with_capacity(33);
        text.push('p');
        text.push_str(&hex(&mac[..16]));
        text
    }

    /// The person's date offset in this study: a whole number of days in
    /// `-max_days..=max_days`, never 0 when `max_days > 0` (a zero shift would
    /// leave that person's dates exact).
    pub fn date_offset_days(&self, person: &str, max_days: u16) -> i64 {
        if max_days == 0 {
            return 0;
        }
        let mac = self.mac(DATE_OFFSET_LABEL, person);
        let mut first = [0_u8; 8];
        first.copy_from_slice(&mac[..8]);
        let draw = u64::from_be_bytes(first);
        let span = u64::from(max_days) * 2;
        // 0..span maps to -max..=-1 and 1..=max; the modulo bias is below 2^-48.
        let index = i64::try_from(draw % span).unwrap_or(0);
        let max = i64::from(max_days);
        if index < max {
            index - max
        } else {
            index - max + 1
        }
    }
}

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}
