//! Field encryption: XChaCha20-Poly1305 with a key ring, bound to table, column and row.

use std::collections::BTreeMap;
use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretBox};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Error;

/// The first byte of every sealed value: the layout described in [`FieldCipher`].
pub const FORMAT_VERSION: u8 = 1;
/// Length of the random nonce in bytes (XChaCha20's extended nonce).
pub const NONCE_LEN: usize = 24;
/// Length of the Poly1305 authentication tag in bytes.
pub const TAG_LEN: usize = 16;
/// Length of a key in bytes.
pub const KEY_LEN: usize = 32;
/// Domain-separation prefix of the associated data, so a value sealed by this
/// format can never verify under another use of the same key.
const AAD_DOMAIN: &[u8] = b"healing.store.field.v1";

/// The name of an encryption key, written in the header of every value it seals so
/// that [`rotate_keys`](super::rotate_keys) can find values under an old key.
///
/// 1 to 32 bytes of ASCII letters, digits, `-`, `_` or `.` (for example `2026-11` or `k1`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KeyId(String);

impl KeyId {
    /// Longest key id accepted, in bytes (it must fit the one-byte length of the header).
    pub const MAX_LEN: usize = 32;

    /// Checks and wraps a key id.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        if id.is_empty() || id.len() > Self::MAX_LEN {
            return Err(Error::InvalidKey {
                reason: format!(
                    "key id is {} bytes long, outside 1 to {}",
                    id.len(),
                    Self::MAX_LEN
                ),
            });
        }
        if let Some(found) = id
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            return Err(Error::InvalidKey {
                reason: format!(
                    "key id contains {found:?}; only ascii letters, digits, '-', '_' and '.' are allowed"
                ),
            });
        }
        Ok(Self(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for KeyId {
    type Error = Error;

    fn try_from(id: String) -> Result<Self, Error> {
        Self::new(id)
    }
}

impl From<KeyId> for String {
    fn from(id: KeyId) -> String {
        id.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The place a sealed value belongs to. It is authenticated with the value, so a value
/// copied to another table, column or row fails to decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aad<'a> {
    /// The table, for example `journal_entries`.
    pub table: &'a str,
    /// The column, for example `body`.
    pub column: &'a str,
    /// The primary key of the row, for example the entry's id.
    pub row_id: &'a str,
}

/// A 32-byte key, zeroed when dropped and never printed.
pub struct FieldKey(SecretBox<[u8; KEY_LEN]>);

impl FieldKey {
    /// Wraps raw key bytes (from a key file or environment variable, decoded by the caller).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(SecretBox::new(Box::new(bytes)))
    }
}

impl fmt::Debug for FieldKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FieldKey([redacted])")
    }
}

/// Fills `buffer` from the operating system's cryptographic random number generator.
pub(crate) fn fill_random(buffer: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buffer).map_err(|error| Error::RandomnessUnavailable {
        reason: error.to_string(),
    })
}

/// The keys the store may use: one current key that seals new values, and older keys
/// kept only to open values not yet re-sealed by [`rotate_keys`](super::rotate_keys).
///
/// Key material is supplied by the caller (the server reads `HEALING_ENCRYPTION_KEY` or
/// a key file); it is never written to the database, whose `encryption_keys` table
/// holds only ids and dates.
#[derive(Debug)]
pub struct KeyRing {
    current_id: KeyId,
    current_key: FieldKey,
    old_keys: BTreeMap<KeyId, FieldKey>,
}

impl KeyRing {
    /// A ring holding one key, which is current.
    pub fn new(current_id: KeyId, current_key: FieldKey) -> Self {
        Self {
            current_id,
            current_key,
            old_keys: BTreeMap::new(),
        }
    }

    /// Adds an older key, used only to decrypt. Refuses the current key's id.
    pub fn with_old_key(mut self, id: KeyId, key: FieldKey) -> Result<Self, Error> {
        if id == self.current_id || self.old_keys.contains_key(&id) {
            return Err(Error::InvalidKey {
                reason: format!("key id {id} is given twice"),
            });
        }
        self.old_keys.insert(id, key);
        Ok(self)
    }

    /// The id of the key that seals new values.
    pub fn current_key_id(&self) -> &KeyId {
        &self.current_id
    }

    /// The ids of the old keys, in order.
    pub fn old_key_ids(&self) -> impl Iterator<Item = &KeyId> {
        self.old_keys.keys()
    }

    fn key(&self, id: &KeyId) -> Option<&FieldKey> {
        if *id == self.current_id {
            Some(&self.current_key)
        } else {
            self.old_keys.get(id)
        }
    }
}

/// Seals and opens field values with the keys of a [`KeyRing`].
///
/// A sealed value is laid out as
///
/// | bytes | content |
/// |---|---|
/// | 1 | format version ([`FORMAT_VERSION`], 1) |
/// | 1 | key id length `n` (1 to 32) |
/// | `n` | key id, ASCII |
/// | 24 | random nonce |
/// | rest | XChaCha20-Poly1305 ciphertext followed by its 16-byte tag |
///
/// The associated data authenticates the place the value belongs to and the header:
/// `"healing.store.field.v1"`, then the table, column, row id and header, each
/// preceded by its length as a 4-byte big-endian number (so no two places can encode
/// the same). Each value gets a fresh random 24-byte nonce from the operating system:
/// at 192 bits, random nonces do not collide in any realistic number of values
/// (unlike the 96-bit nonce of plain ChaCha20-Poly1305).
#[derive(Debug)]
pub struct FieldCipher {
    ring: KeyRing,
}

impl FieldCipher {
    /// A cipher over the given keys.
    pub fn new(ring: KeyRing) -> Self {
        Self { ring }
    }

    /// The keys in use.
    pub fn key_ring(&self) -> &KeyRing {
        &self.ring
    }

    /// Seals `plaintext` for `aad` under the current key.
    ///
    /// Fails only if the operating system's random number generator fails.
    pub fn encrypt(&self, plaintext: &[u8], aad: &Aad<'_>) -> Result<Vec<u8>, Error> {
        let key_id = self.ring.current_id.as_str().as_bytes();
        let key = &self.ring.current_key;
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce)?;
        let header_len = 2 + key_id.len();
        let mut sealed = Vec::with_capacity(header_len + NONCE_LEN + plaintext.len() + TAG_LEN);
        sealed.push(FORMAT_VERSION);
        // KeyId::new limits ids to 32 bytes, so the length fits one byte.
        sealed.push(u8::try_from(key_id.len()).unwrap_or(u8::MAX));
        sealed.extend_from_slice(key_id);
        let associated = associated_data(aad, &sealed);
        sealed.extend_from_slice(&nonce);
        let cipher = XChaCha20Poly1305::new(&Key::from(*key.0.expose_secret()));
        let ciphertext = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: &associated,
                },
            )
            .map_err(|_| Error::InvalidInput {
                field: "plaintext",
                reason: "value is too long to encrypt".to_owned(),
            })?;
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// Seals UTF-8 text; see [`FieldCipher::encrypt`].
    pub fn encrypt_text(&self, plaintext: &str, aad: &Aad<'_>) -> Result<Vec<u8>, Error> {
        self.encrypt(plaintext.as_bytes(), aad)
    }

    /// Opens a value sealed for `aad`. Fails, never returning any plaintext, if the
    /// value was sealed for another place, under a key the ring does not hold, or was
    /// changed in any byte.
    pub fn decrypt(&self, sealed: &[u8], aad: &Aad<'_>) -> Result<Zeroizing<Vec<u8>>, Error> {
        let parts = split_sealed(sealed, aad)?;
        let key = self
            .ring
            .key(&parts.key_id)
            .ok_or_else(|| Error::UnknownKey {
                key_id: parts.key_id.as_str().to_owned(),
            })?;
        let associated = associated_data(aad, parts.header);
        let cipher = XChaCha20Poly1305::new(&Key::from(*key.0.expose_secret()));
        let plaintext = cipher
            .decrypt(
                &XNonce::from(parts.nonce),
                Payload {
                    msg: parts.ciphertext,
                    aad: &associated,
                },
            )
            .map_err(|_| {
                decryption_failed(
                    aad,
                    "authentication failed (wrong place, key or tampered value)",
                )
            })?;
        Ok(Zeroizing::new(plaintext))
    }

    /// Opens a value sealed from text; see [`FieldCipher::decrypt`].
    pub fn decrypt_text(&self, sealed: &[u8], aad: &Aad<'_>) -> Result<String, Error> {
        let bytes = self.decrypt(sealed, aad)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| decryption_failed(aad, "plaintext is not utf-8"))
    }

    /// The id of the key that sealed a value, read from its header without decrypting.
    pub fn key_id_of(&self, sealed: &[u8], aad: &Aad<'_>) -> Result<KeyId, Error> {
        split_sealed(sealed, aad).map(|parts| parts.key_id)
    }
}

struct SealedParts<'a> {
    header: &'a [u8],
    key_id: KeyId,
    nonce: [u8; NONCE_LEN],
    ciphertext: &'a [u8],
}

fn split_sealed<'a>(sealed: &'a [u8], aad: &Aad<'_>) -> Result<SealedParts<'a>, Error> {
    let (&version, rest) = sealed
        .split_first()
        .ok_or_else(|| decryption_failed(aad, "value is empty"))?;
    if version != FORMAT_VERSION {
        return Err(decryption_failed(
            aad,
            &format!("format version is {version}, expected {FORMAT_VERSION}"),
        ));
    }
    let (&id_len, rest) = rest
        .split_first()
        .ok_or_else(|| decryption_failed(aad, "value is truncated in its header"))?;
    let id_len = usize::from(id_len);
    if rest.len() < id_len + NONCE_LEN + TAG_LEN {
        return Err(decryption_failed(aad, "value is truncated"));
    }
    let (id_bytes, rest) = rest.split_at(id_len);
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let key_id = std::str::from_utf8(id_bytes)
        .ok()
        .and_then(|id| KeyId::new(id).ok())
        .ok_or_else(|| decryption_failed(aad, "key id in the header is malformed"))?;
    let mut nonce_array = [0u8; NONCE_LEN];
    nonce_array.copy_from_slice(nonce);
    Ok(SealedParts {
        // The two bytes split off above plus the id_len bytes checked to be present.
        header: &sealed[..2 + id_len],
        key_id,
        nonce: nonce_array,
        ciphertext,
    })
}

fn associated_data(aad: &Aad<'_>, header: &[u8]) -> Vec<u8> {
    let parts: [&[u8]; 4] = [
        aad.table.as_bytes(),
        aad.column.as_bytes(),
        aad.row_id.as_bytes(),
        header,
    ];
    let mut data =
        Vec::with_capacity(AAD_DOMAIN.len() + parts.iter().map(|p| p.len() + 4).sum::<usize>());
    data.extend_from_slice(AAD_DOMAIN);
    for part in parts {
        // Table, column, row id and header are all far below 4 GiB.
        let len = u32::try_from(part.len()).unwrap_or(u32::MAX);
        data.extend_from_slice(&len.to_be_bytes());
        data.extend_from_slice(part);
    }
    data
}

fn decryption_failed(aad: &Aad<'_>, reason: &str) -> Error {
    Error::DecryptionFailed {
        table: aad.table.to_owned(),
        column: aad.column.to_owned(),
        row_id: aad.row_id.to_owned(),
        reason: reason.to_owned(),
    }
}
