//! The field-encryption key format, read by the server and by the research reader:
//! one parser and one key-id derivation for both.
//!
//! A key is 32 bytes written as base64 (standard or URL-safe, padded or not) or as
//! 64 hex digits. A key file holds one key per line, the current key first and older
//! keys (kept to open values not yet re-sealed) after it; blank lines and lines
//! starting with `#` are ignored. A key's id, stored beside every value it seals, is
//! the hex of the first 8 bytes of SHA-256("healing key id\0" ‖ key), so the same key
//! has the same id in every process that reads it.

use std::fmt;

use base64::Engine as _;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::Error;
use crate::cipher::{FieldKey, KEY_LEN, KeyId, KeyRing, fill_random};

/// The domain separator of a key's id.
const KEY_ID_DOMAIN: &[u8] = b"healing key id\0";

/// One field-encryption key and its id; the bytes are wiped from memory on drop and
/// never printed.
#[derive(Clone)]
pub struct EncryptionKey {
    id: KeyId,
    bytes: Zeroizing<[u8; KEY_LEN]>,
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "EncryptionKey {{ id: {:?}, bytes: .. }}",
            self.id.as_str()
        )
    }
}

impl EncryptionKey {
    /// Wraps raw key bytes and derives the id.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(KEY_ID_DOMAIN);
        hasher.update(bytes);
        let digest = hasher.finalize();
        let hex: String = digest
            .iter()
            .take(8)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        // Sixteen lower-case hex digits are always a valid key id.
        let id = KeyId::new(hex).expect("16 hex digits are a valid key id");
        Self {
            id,
            bytes: Zeroizing::new(bytes),
        }
    }

    /// Draws a new key from the operating system's random generator.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(bytes.as_mut())?;
        Ok(Self::from_bytes(*bytes))
    }

    /// Reads one key written as 64 hex digits or base64 (surrounding space ignored).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        let invalid = |reason: String| Error::InvalidKey { reason };
        let bytes: Zeroizing<Vec<u8>> =
            if text.len() == KEY_LEN * 2 && text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                Zeroizing::new(
                    text.as_bytes()
                        .chunks_exact(2)
                        .map(|pair| (hex_value(pair[0]) << 4) | hex_value(pair[1]))
                        .collect(),
                )
            } else {
                let engines = [
                    &base64::engine::general_purpose::STANDARD,
                    &base64::engine::general_purpose::STANDARD_NO_PAD,
                    &base64::engine::general_purpose::URL_SAFE,
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                ];
                Zeroizing::new(
                    engines
                        .iter()
                        .find_map(|engine| engine.decode(text).ok())
                        .ok_or_else(|| {
                            invalid("expected 32 bytes as base64 or 64 hex digits".to_owned())
                        })?,
                )
            };
        let array: [u8; KEY_LEN] = bytes.as_slice().try_into().map_err(|_| {
            invalid(format!(
                "key is {} bytes long; expected {KEY_LEN}",
                bytes.len()
            ))
        })?;
        Ok(Self::from_bytes(array))
    }

    /// The key's id.
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// The key for the field cipher.
    pub fn field_key(&self) -> FieldKey {
        FieldKey::from_bytes(*self.bytes)
    }

    /// Standard base64 of the key, as written to key files.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(*self.bytes))
    }
}

/// The keys of a key file's text, current first; an error names the line.
pub fn parse_key_file(text: &str) -> Result<Vec<EncryptionKey>, Error> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(index, line)| {
            EncryptionKey::parse(line).map_err(|error| match error {
                Error::InvalidKey { reason } => Error::InvalidKey {
                    reason: format!("line {}: {reason}", index + 1),
                },
                other => other,
            })
        })
        .collect()
}

/// A key file's text for `keys`, current first, with a header comment.
pub fn key_file_text(keys: &[EncryptionKey]) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::from(
        "# Healing field-encryption keys: current first. Keep secret; back up.\n",
    ));
    for key in keys {
        text.push_str(&key.to_base64());
        text.push('\n');
    }
    text
}

/// The key ring of `current` and `previous` keys: the current key seals, every key
/// opens. A previous key with the current key's id is skipped.
pub fn key_ring(current: &EncryptionKey, previous: &[EncryptionKey]) -> Result<KeyRing, Error> {
    let mut ring = KeyRing::new(current.id().clone(), current.field_key());
    for old in previous.iter().filter(|old| old.id() != current.id()) {
        ring = ring.with_old_key(old.id().clone(), old.field_key())?;
    }
    Ok(ring)
}

/// One hex digit's value (the caller checked it is a hex digit).
fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}
