//! Research exports' privacy rules, written once for every binding: keyed
//! pseudonyms and per-person date offsets (`pseudonym.rs`), how dates leave an
//! export (`dates.rs`), redaction of UK identifiers from free text (`redact.rs`),
//! and the rule that matches completed questionnaires to treatment sessions
//! (`sessions.rs`).
//!
//! The Python research reader (`healing.research`) binds these; it decides which
//! records leave (the consent ledger as of the cut-off) and these decide what
//! each one looks like when it does. Nothing here reads a clock or randomness:
//! keys, ids and times come from the caller.

mod dates;
mod pseudonym;
mod redact;
mod sessions;
#[cfg(test)]
mod tests;

pub use dates::{DatePolicy, iso_day};
pub use pseudonym::{MIN_KEY_BYTES, StudyKey};
pub use redact::Redactor;
pub use sessions::{CompletedScore, scores_at_session};

/// Why a research tool could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The study key is shorter than [`MIN_KEY_BYTES`].
    #[error("study key is {bytes} bytes long; at least {minimum} are needed")]
    StudyKeyTooShort {
        /// The key's length.
        bytes: usize,
        /// The shortest key accepted.
        minimum: usize,
    },
    /// The redactor's patterns or name list could not be compiled.
    #[error("the redactor could not be built: {reason}")]
    Redactor {
        /// The matcher's description.
        reason: String,
    },
}

impl Error {
    /// A stable snake_case name of the kind of error.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::StudyKeyTooShort { .. } => "study_key_too_short",
            Error::Redactor { .. } => "redactor",
        }
    }
}
