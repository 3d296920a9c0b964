//! Time-based one-time passwords (RFC 6238 TOTP over RFC 4226 HOTP) as used by
//! every authenticator app: HMAC-SHA-1, 30-second steps, 6 digits, a window of
//! one step either side for clock drift, and replay protection (a step once
//! accepted is never accepted again for that user: the last accepted step is
//! stored in `users.totp_last_step`, shared by every server process).
//!
//! Also one-time recovery codes, stored only as SHA-256 hashes.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Step length in seconds (RFC 6238 §4.1 default, what authenticator apps assume).
pub const STEP_SECONDS: i64 = 30;
/// Digits per code (RFC 4226 §5.3 minimum, what authenticator apps show).
pub const DIGITS: u32 = 6;
/// Steps accepted either side of now (RFC 6238 §5.2 recommends at most one).
pub const DRIFT_STEPS: i64 = 1;
/// Secret length in bytes (RFC 4226 §4 recommends 160 bits).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes issued at once.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// HOTP value for a counter (RFC 4226 §5.3 dynamic truncation).
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // SHA-1 output is 20 bytes; offset is at most 15, so offset + 3 <= 18.
    let offset = usize::from(digest[19] & 0x0f);
    let binary = (u32::from(digest[offset] & 0x7f) << 24)
        | (u32::from(digest[offset + 1]) << 16)
        | (u32::from(digest[offset + 2]) << 8)
        | u32::from(digest[offset + 3]);
    binary % 10u32.pow(digits)
}

/// The TOTP step containing `unix_seconds`.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The 6-digit code for `unix_seconds`, zero-padded.
pub fn code_at(secret: &[u8], unix_seconds: i64) -> String {
    let step = u64::try_from(step_at(unix_seconds)).unwrap_or(0);
    format!("{:06}", hotp(secret, step, DIGITS))
}

/// Checks a submitted code. Returns the matched step; `None` if the code is
/// wrong, malformed, or its step is not after `last_used_step`. The server
/// passes `None` here and records the step with
/// [`AccountStore::accept_totp_step`](healing_store::AccountStore::accept_totp_step),
/// which refuses a step not newer than the stored one atomically in the
/// database, so replay protection holds across processes and restarts.
pub fn verify(
    secret: &[u8],
    code: &str,
    unix_seconds: i64,
    last_used_step: Option<i64>,
) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_seconds);
    let mut matched = None;
    // Check every candidate so the time taken does not depend on which matched.
    for step in (now - DRIFT_STEPS)..=(now + DRIFT_STEPS) {
        let Ok(counter) = u64::try_from(step) else {
            continue;
        };
        let expected = format!("{:06}", hotp(secret, counter, DIGITS));
        let fresh = last_used_step.is_none_or(|last| step > last);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) && fresh {
            matched = Some(step);
        }
    }
    matched
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding (the form authenticator apps accept).
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes RFC 4648 base32 (case-insensitive, padding and spaces ignored).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for ch in text.bytes().filter(|b| *b != b'=' && *b != b' ') {
        let value = BASE32.iter().position(|c| *c == ch.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The `otpauth://` URI an authenticator app scans (Google Authenticator
/// "Key Uri Format", followed by all common apps).
pub fn provisioning_uri(secret: &[u8], account: &str) -> String {
    let label: String = account
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!(
        "otpauth://totp/Healing:{label}?secret={}&issuer=Healing&algorithm=SHA1&digits=6&period=30",
        base32_encode(secret)
    )
}

/// Normalises a recovery code as typed (spaces/dashes dropped, lower-cased)
/// and hashes it for storage or lookup.
pub fn recovery_code_hash(code: &str) -> String {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    crate::auth::password::hex_lower(&Sha256::digest(normalised.as_bytes()))
}

/// Formats 10 random bytes as a recovery code `xxxx-xxxx-xxxx-xxxx` (base32, 80 bits).
pub fn recovery_code_from_bytes(bytes: &[u8; 10]) -> String {
    let text = base32_encode(bytes).to_ascii_lowercase();
    let mut out = String::with_capacity(19);
    for (index, ch) in text.chars().enumerate() {
        if index > 0 && index % 4 == 0 {
            out.push('-');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows: seed "12345678901234567890", 8 digits.
    #[test]
    fn matches_rfc6238_appendix_b_sha1_vectors() {
        let seed = b"12345678901234567890";
        let rows = [
            (59, 94_287_082),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000_i64, 65_353_130),
        ];
        for (time, expected) in rows {
            assert_eq!(hotp(seed, step_at(time) as u64, 8), expected, "time {time}");
        }
    }

    /// RFC 4226 Appendix D: HOTP values for counters 0..=9.
    #[test]
    fn matches_rfc4226_appendix_d_vectors() {
        let expected = [
            755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871,
            520_489,
        ];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(hotp(b"12345678901234567890", counter as u64, 6), *value);
        }
    }

    #[test]
    fn accepts_one_step_of_drift_and_rejects_replay() {
        let secret = b"12345678901234567890";
        let now = 1_234_567_890;
        let code = code_at(secret, now - 30);
        let step = verify(secret, &code, now, None).unwrap();
        assert_eq!(step, step_at(now) - 1);
        assert_eq!(verify(secret, &code, now, Some(step)), None);
        assert_eq!(verify(secret, &code_at(secret, now - 90), now, None), None);
        assert_eq!(verify(secret, "12a456", now, None), None);
    }

    #[test]
    fn base32_round_trips_rfc4648_vectors() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw6ytboi").unwrap(), b"foobar");
        assert_eq!(base32_decode("MZ1"), None);
    }

    #[test]
    fn recovery_codes_hash_the_same_however_typed() {
        let code = recovery_code_from_bytes(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(code.len(), 19);
        assert_eq!(
            recovery_code_hash(&code),
            recovery_code_hash(&code.to_uppercase().replace('-', " "))
        );
    }
}
