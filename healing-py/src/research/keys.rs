//! Reading the server's field-encryption keys, so the research reader can open
//! encrypted columns (mood notes, post bodies, display names for redaction).
//!
//! The format is the server's (`healing-server/src/config.rs`): a key file holds one
//! key per line, current first, each 32 bytes written as base64 (standard or
//! URL-safe, padded or not) or 64 hex digits; a key's id is the hex of the first 8
//! bytes of SHA-256("healing key id\0" ‖ key). The same text may be passed
//! directly instead of a file.

use healing_store::{FieldKey, KeyId, KeyRing};
use sha2::{Digest, Sha256};

/// The length of a key in bytes.
const KEY_BYTES: usize = 32;

/// A key ring from key-file text (one key per line, current first).
pub(crate) fn key_ring(text: &str) -> Result<KeyRing, String> {
    let mut keys = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bytes =
            parse_key(line).map_err(|reason| format!("key on line {}: {reason}", index + 1))?;
        keys.push(bytes);
    }
    let mut keys = keys.into_iter();
    let Some(current) = keys.next() else {
        return Err("no key found".to_owned());
    };
    let mut ring = KeyRing::new(key_id(&current)?, FieldKey::from_bytes(current));
    for older in keys {
        ring = ring
            .with_old_key(key_id(&older)?, FieldKey::from_bytes(older))
            .map_err(|error| error.to_string())?;
    }
    Ok(ring)
}

/// The server's id of a key.
fn key_id(key: &[u8; KEY_BYTES]) -> Result<KeyId, String> {
    let mut digest = Sha256::new();
    digest.update(b"healing key id\0");
    digest.update(key);
    let digest = digest.finalize();
    let mut id = String::with_capacity(16);
    for byte in digest.iter().take(8) {
        id.push_str(&format!("{byte:02x}"));
    }
    KeyId::new(id).map_err(|error| error.to_string())
}

/// 32 key bytes from 64 hex digits or base64.
fn parse_key(text: &str) -> Result<[u8; KEY_BYTES], String> {
    let bytes = if text.len() == KEY_BYTES * 2 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        decode_hex(text)
    } else {
        decode_base64(text).ok_or_else(|| "is neither 64 hex digits nor base64".to_owned())?
    };
    <[u8; KEY_BYTES]>::try_from(bytes.as_slice())
        .map_err(|_| format!("is {} bytes long; expected {KEY_BYTES}", bytes.len()))
}

/// Hex digits to bytes (the caller checked every byte is a hex digit).
fn decode_hex(text: &str) -> Vec<u8> {
    text.as_bytes()
        .chunks_exact(2)
        .map(|pair| (value_of_hex(pair[0]) << 4) | value_of_hex(pair[1]))
        .collect()
}

/// One hex digit's value (0 for anything else, which the caller excluded).
fn value_of_hex(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}

/// Standard or URL-safe base64 (RFC 4648 §4 and §5), padding optional.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.trim_end_matches('=').bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}
