//! The pet's validated name.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::Error;

/// A pet's name: 1 to 24 characters, not blank, no control characters.
///
/// Stored in Unicode NFC so that the same name typed on different keyboards is
/// the same text and the same length. Serialises as a string and is checked
/// again when read back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PetName(String);

impl PetName {
    /// Most characters (Unicode scalar values, after NFC) a name may have.
    pub const MAX_CHARS: usize = 24;

    /// Checks and normalises a name.
    pub fn new(name: &str) -> Result<PetName, Error> {
        // NFC never turns more than a few code points into one, so input far
        // beyond the limit is refused before normalising allocates for it.
        if name.len() > PetName::MAX_CHARS * 16 {
            return Err(Error::NameTooLong {
                chars: name.chars().count(),
                max: PetName::MAX_CHARS,
            });
        }
        let normalised: String = name.nfc().collect();
        if normalised.trim().is_empty() {
            return Err(Error::NameBlank);
        }
        let chars = normalised.chars().count();
        if chars > PetName::MAX_CHARS {
            return Err(Error::NameTooLong {
                chars,
                max: PetName::MAX_CHARS,
            });
        }
        if let Some(found) = normalised.chars().find(|c| c.is_control()) {
            return Err(Error::NameHasControlCharacter { found });
        }
        Ok(PetName(normalised))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PetName {
    type Error = Error;

    fn try_from(name: String) -> Result<PetName, Error> {
        PetName::new(&name)
    }
}

impl From<PetName> for String {
    fn from(name: PetName) -> String {
        name.0
    }
}

impl fmt::Display for PetName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
