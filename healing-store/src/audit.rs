//! The hash-chained audit log: entries, their hashes and the chain verifier.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Error;
use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

/// Domain-separation prefix of every entry hash.
const AUDIT_DOMAIN: &[u8] = b"healing.store.audit.v1";

/// A SHA-256 digest in the audit chain, shown and serialised as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuditHash(pub [u8; 32]);

impl AuditHash {
    /// The `prev_hash` of the first entry: 32 zero bytes.
    pub const GENESIS: AuditHash = AuditHash([0; 32]);

    /// The digest as lower-case hex.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// Reads a digest from 32 stored bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(AuditHash)
    }
}

impl fmt::Debug for AuditHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditHash({})", self.to_hex())
    }
}

impl fmt::Display for AuditHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl From<AuditHash> for String {
    fn from(hash: AuditHash) -> String {
        hash.to_hex()
    }
}

impl TryFrom<String> for AuditHash {
    type Error = Error;

    fn try_from(text: String) -> Result<Self, Error> {
        let invalid = || Error::InvalidInput {
            field: "audit hash",
            reason: "expected 64 hexadecimal digits".to_owned(),
        };
        if text.len() != 64 || !text.is_ascii() {
            return Err(invalid());
        }
        let mut bytes = [0u8; 32];
        for (slot, pair) in bytes.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| invalid())?;
            *slot = u8::from_str_radix(pair, 16).map_err(|_| invalid())?;
        }
        Ok(AuditHash(bytes))
    }
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        // Writing to a String cannot fail.
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// What happened, in `snake_case` (for example `login_succeeded`, `mood_entry_read`,
/// `account_erased`). 1 to 64 bytes of lower-case ASCII letters, digits and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuditAction(String);

impl AuditAction {
    /// Longest action accepted, in bytes.
    pub const MAX_LEN: usize = 64;

    /// Checks and wraps an action name.
    pub fn new(action: impl Into<String>) -> Result<Self, Error> {
        let action = action.into();
        if action.is_empty() || action.len() > Self::MAX_LEN {
            return Err(Error::InvalidInput {
                field: "audit action",
                reason: format!(
                    "is {} bytes long, outside 1 to {}",
                    action.len(),
                    Self::MAX_LEN
                ),
            });
        }
        if let Some(found) = action
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
        {
            return Err(Error::InvalidInput {
                field: "audit action",
                reason: format!("contains {found:?}; only a-z, 0-9 and '_' are allowed"),
            });
        }
        Ok(Self(action))
    }

    /// The action as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AuditAction {
    type Error = Error;

    fn try_from(action: String) -> Result<Self, Error> {
        Self::new(action)
    }
}

impl From<AuditAction> for String {
    fn from(action: AuditAction) -> String {
        action.0
    }
}

/// An entry to append: who did what to whose data. The store assigns its sequence
/// number and hashes.
///
/// `detail` must hold no personal data (ids, counts, codes and outcomes only): the
/// audit log outlives account erasure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When it happened.
    pub at: Timestamp,
    /// The signed-in user who acted, or `None` for the system or an anonymous caller.
    pub actor_id: Option<PersonId>,
    /// What happened.
    pub action: AuditAction,
    /// The patient whose data was read or changed, if any.
    pub subject_patient_id: Option<PersonId>,
    /// Extra facts, as a JSON value (stored as the exact text hashed).
    pub detail: serde_json::Value,
}

/// An entry as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Position in the chain, from 1 with no gaps.
    pub seq: i64,
    /// When it happened.
    pub at: Timestamp,
    /// The signed-in user who acted, if any.
    pub actor_id: Option<PersonId>,
    /// What happened.
    pub action: AuditAction,
    /// The patient whose data was read or changed, if any.
    pub subject_patient_id: Option<PersonId>,
    /// The detail, exactly as stored and hashed (JSON text).
    pub detail: String,
    /// The hash of the previous entry ([`AuditHash::GENESIS`] for the first).
    pub prev_hash: AuditHash,
    /// `SHA-256` over the previous hash and this entry's canonical bytes.
    pub hash: AuditHash,
}

/// The hash of an entry: `SHA-256(prev_hash || "healing.store.audit.v1" || seq || at ||
/// actor || action || subject || detail)`, where `seq` and `at` are 8-byte big-endian
/// numbers and each text field is a presence byte (0 absent, 1 present) followed by its
/// length as a 4-byte big-endian number and its UTF-8 bytes. Including `seq` makes a
/// reordered entry fail to verify even if its bytes are unchanged.
pub fn audit_entry_hash(
    prev_hash: &AuditHash,
    seq: i64,
    at: Timestamp,
    actor_id: Option<&str>,
    action: &str,
    subject_patient_id: Option<&str>,
    detail: &str,
) -> AuditHash {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.0);
    hasher.update(AUDIT_DOMAIN);
    hasher.update(seq.to_be_bytes());
    hasher.update(at.unix_seconds().to_be_bytes());
    for field in [actor_id, Some(action), subject_patient_id, Some(detail)] {
        match field {
            None => hasher.update([0u8]),
            Some(text) => {
                hasher.update([1u8]);
                // Audit fields are far below 4 GiB.
                let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
                hasher.update(len.to_be_bytes());
                hasher.update(text.as_bytes());
            }
        }
    }
    AuditHash(hasher.finalize().into())
}

impl AuditRecord {
    /// Recomputes this record's hash from its stored fields.
    pub fn recomputed_hash(&self) -> AuditHash {
        audit_entry_hash(
            &self.prev_hash,
            self.seq,
            self.at,
            self.actor_id.as_ref().map(PersonId::as_str),
            self.action.as_str(),
            self.subject_patient_id.as_ref().map(PersonId::as_str),
            &self.detail,
        )
    }
}

/// The first place where the audit chain is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AuditChainBreak {
    /// The entry's contents no longer match its hash: it was edited (or moved).
    EntryEdited {
        /// The entry's sequence number.
        seq: i64,
    },
    /// The entry does not point at the hash of the entry before it: an entry was
    /// removed, inserted or swapped before it.
    LinkBroken {
        /// The entry's sequence number.
        seq: i64,
    },
    /// A sequence number is missing: entries were deleted.
    SequenceGap {
        /// The sequence number expected next.
        expected_seq: i64,
        /// The sequence number found instead.
        found_seq: i64,
    },
}

/// Whether the chain verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum AuditChainStatus {
    /// Every entry matches its hash and links to the one before.
    Intact,
    /// The first break found.
    Broken {
        /// Where and how.
        #[serde(rename = "break")]
        found: AuditChainBreak,
    },
}

/// The result of walking the whole chain.
///
/// A chain cannot show that entries were cut off its end; compare `head_seq` and
/// `head_hash` with a copy kept elsewhere (for example in the operator's monitoring)
/// to detect that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditVerification {
    /// Entries checked before the walk ended.
    pub entries_checked: u64,
    /// The sequence number of the last entry checked (0 for an empty log).
    pub head_seq: i64,
    /// The hash of the last entry checked ([`AuditHash::GENESIS`] for an empty log).
    pub head_hash: AuditHash,
    /// Whether the chain is intact.
    pub status: AuditChainStatus,
}

/// Walks audit records in sequence order and stops at the first break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditChainVerifier {
    entries_checked: u64,
    head_seq: i64,
    head_hash: AuditHash,
    broken: Option<AuditChainBreak>,
}

impl Default for AuditChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl AuditChainVerifier {
    /// A verifier expecting the chain to start at sequence number 1.
    pub fn new() -> Self {
        Self {
            entries_checked: 0,
            head_seq: 0,
            head_hash: AuditHash::GENESIS,
            broken: None,
        }
    }

    /// Checks the next record. Returns the break if this record (or an earlier one)
    /// broke the chain; later records are then ignored.
    pub fn check(&mut self, record: &AuditRecord) -> Result<(), AuditChainBreak> {
        if let Some(found) = self.broken {
            return Err(found);
        }
        let expected_seq = self.head_seq + 1;
        let found = if record.seq != expected_seq {
            Some(AuditChainBreak::SequenceGap {
                expected_seq,
                found_seq: record.seq,
            })
        } else if record.recomputed_hash() != record.hash {
            Some(AuditChainBreak::EntryEdited { seq: record.seq })
        } else if record.prev_hash != self.head_hash {
            Some(AuditChainBreak::LinkBroken { seq: record.seq })
        } else {
            None
        };
        match found {
            Some(found) => {
                self.broken = Some(found);
                Err(found)
            }
            None => {
                self.entries_checked += 1;
                self.head_seq = record.seq;
                self.head_hash = record.hash;
                Ok(())
            }
        }
    }

    /// Whether a break has been found (checking can stop).
    pub fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    /// The result so far.
    pub fn finish(&self) -> AuditVerification {
        AuditVerification {
            entries_checked: self.entries_checked,
            head_seq: self.head_seq,
            head_hash: self.head_hash,
            status: match self.broken {
                None => AuditChainStatus::Intact,
                Some(found) => AuditChainStatus::Broken { found },
            },
        }
    }
}
