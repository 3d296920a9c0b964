//! Identifiers that callers pass in: healing-core never invents ids.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a string could not become an identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The identifier is empty.
    #[error("an identifier may not be empty")]
    Empty,
    /// The identifier is longer than [`PersonId::MAX_LEN`] bytes.
    #[error("identifier is {len} bytes long, above the maximum of {max}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The maximum allowed.
        max: usize,
    },
    /// The identifier holds white space or a control character.
    #[error("identifier may not contain white space or control characters (found {found:?})")]
    BadCharacter {
        /// The first offending character.
        found: char,
    },
}

impl Error {
    /// The variant's stable `snake_case` name (`"empty"`), for callers that
    /// branch on the kind of error without parsing its message.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Empty { .. } => "empty",
            Self::TooLong { .. } => "too_long",
            Self::BadCharacter { .. } => "bad_character",
        }
    }
}

/// An opaque reference to a person (patient, clinician or administrator) in the
/// deploying system, such as a database key or a pseudonym.
///
/// It is never a name, email or NHS number: identifiers travel into logs and
/// research exports, so they must not identify anyone by themselves.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonId(String);

impl PersonId {
    /// Longest identifier accepted, in bytes.
    pub const MAX_LEN: usize = 128;

    /// Checks and wraps an identifier: 1 to 128 bytes, no white space or control characters.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        if id.is_empty() {
            return Err(Error::Empty);
        }
        if id.len() > Self::MAX_LEN {
            return Err(Error::TooLong {
                len: id.len(),
                max: Self::MAX_LEN,
            });
        }
        if let Some(found) = id.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::BadCharacter { found });
        }
        Ok(Self(id))
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonId {
    type Error = Error;

    fn try_from(id: String) -> Result<Self, Error> {
        Self::new(id)
    }
}

impl From<PersonId> for String {
    fn from(id: PersonId) -> String {
        id.0
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_kind_is_the_snake_case_variant_name() {
        assert_eq!(PersonId::new("").unwrap_err().kind(), "empty");
        assert_eq!(Error::BadCharacter { found: ' ' }.kind(), "bad_character");
    }

    #[test]
    fn accepts_an_opaque_key() {
        assert_eq!(
            PersonId::new("patient-0042").unwrap().as_str(),
            "patient-0042"
        );
    }

    #[test]
    fn rejects_empty_long_and_spaced_ids() {
        assert_eq!(PersonId::new(""), Err(Error::Empty));
        assert_eq!(
            PersonId::new("x".repeat(129)),
            Err(Error::TooLong { len: 129, max: 128 })
        );
        assert_eq!(
            PersonId::new("jane doe"),
            Err(Error::BadCharacter { found: ' ' })
        );
    }

    #[test]
    fn deserialising_checks_the_id() {
        assert!(serde_json::from_str::<PersonId>("\"\"").is_err());
        assert!(serde_json::from_str::<PersonId>("\"p1\"").is_ok());
    }
}
