//! Consent ledger: an append-only record of each person's consent decisions, and
//! the answers folded from it, "may this person's data be used for this purpose at
//! this time?" and "from when to when was it allowed?".
//!
//! # Model
//!
//! A [`ConsentEvent`] says that a person (a [`PersonId`]) granted or withdrew
//! ([`Decision`]) consent for one [`Purpose`] at an instant, having been shown a
//! given [`WordingVersion`], and who entered it ([`RecordedBy`]). A [`Ledger`] holds
//! one person's events in time order. It never edits or deletes an event. The state
//! at any instant is a fold over the events up to that instant, so the history can
//! always be shown, and audited, as it was.
//!
//! Timing rules:
//!
//! * A grant takes effect at its own instant: [`Ledger::is_allowed`] is true *at*
//!   the grant's timestamp.
//! * A withdrawal takes effect at its own instant and from then on: `is_allowed` is
//!   false *at* the withdrawal's timestamp, and stays true for earlier instants.
//!   Withdrawal does not make earlier use unlawful (UK GDPR Article 7(3)), so
//!   questions about the past keep their answers.
//! * Allowed [`Period`]s are half-open, `[from, until)`, which follows from the two
//!   rules above.
//! * Granting again with a different wording version while already granted (for
//!   example agreeing to `research-v3` after `research-v2`) is a re-grant: the old
//!   period ends and a new one starts at that instant, with no gap.
//! * Events are ordered by their position in the ledger (a per-person sequence),
//!   not only by their time: several events for one purpose may share an instant
//!   (a person who changes their mind within the clock's resolution), and the last
//!   one appended is the one in force at that instant.
//!
//! Sequences that make no sense are typed errors, not silently accepted: see
//! [`Ledger::append`]. Appending is all-or-nothing.
//!
//! Scope: the ledger records what the person agreed to and when. It does not decide
//! the lawful basis for processing, which for NHS direct care is usually not consent
//! (UK GDPR Articles 6(1)(e) and 9(2)(h)); the deploying organisation decides how
//! each purpose's answer is used. The NHS national data opt-out is a separate
//! national record and is not held here.
//!
//! # Example
//!
//! ```
//! use healing_core::consent::{ConsentEvent, Decision, Ledger, Purpose, RecordedBy, WordingVersion};
//! use healing_core::ids::PersonId;
//! use healing_core::timestamp::Timestamp;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let person = PersonId::new("patient-0042")?;
//! let at = |text: &str| Timestamp::parse_rfc3339(text);
//! let event = |decision, when| -> Result<ConsentEvent, Box<dyn std::error::Error>> {
//!     Ok(ConsentEvent {
//!         person: person.clone(),
//!         purpose: Purpose::Research,
//!         decision,
//!         at: at(when)?,
//!         wording_version: WordingVersion::new("research-v2")?,
//!         recorded_by: RecordedBy::Subject,
//!     })
//! };
//!
//! let mut ledger = Ledger::new(person.clone());
//! ledger.append(event(Decision::Grant, "2026-03-01T09:00:00Z")?)?;
//! ledger.append(event(Decision::Withdraw, "2026-06-01T12:00:00Z")?)?;
//!
//! assert!(ledger.is_allowed(Purpose::Research, at("2026-03-01T09:00:00Z")?));
//! assert!(!ledger.is_allowed(Purpose::Research, at("2026-06-01T12:00:00Z")?));
//! assert!(!ledger.is_allowed(Purpose::AiChat, at("2026-04-01T00:00:00Z")?));
//!
//! let periods = ledger.allowed_periods(Purpose::Research);
//! assert_eq!(periods.len(), 1);
//! assert_eq!(periods[0].until, Some(at("2026-06-01T12:00:00Z")?));
//!
//! // Withdrawing twice is an error, and the ledger is unchanged.
//! assert!(ledger.append(event(Decision::Withdraw, "2026-07-01T00:00:00Z")?).is_err());
//! assert_eq!(ledger.events().len(), 2);
//! # Ok(())
//! # }
//! ```

mod event;
mod ledger;

#[cfg(test)]
mod tests;

pub use event::{ConsentEvent, Decision, Purpose, RecordedBy, WordingVersion};
pub use ledger::{ActiveGrant, ConsentState, Ledger, Period};

use crate::ids::PersonId;
use crate::timestamp::Timestamp;

/// Why a consent event or wording version was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The event is about a different person from the ledger's.
    #[error("event is for person {event}, but the ledger is for person {ledger}")]
    WrongPerson {
        /// The ledger's person.
        ledger: PersonId,
        /// The person the event names.
        event: PersonId,
    },
    /// A staff recorder carries the subject's own id.
    #[error(
        "event for person {person} is recorded by staff with the same id; use recorded_by subject"
    )]
    StaffIsSubject {
        /// The ledger's person.
        person: PersonId,
    },
    /// The event is earlier than the latest event in the ledger.
    #[error("event at {at} is earlier than the latest event in the ledger, at {latest}")]
    OutOfOrder {
        /// The event's time.
        at: Timestamp,
        /// The time of the ledger's latest event.
        latest: Timestamp,
    },
    /// A withdrawal for a purpose that was never granted.
    #[error("withdrawal of {purpose} at {at}, but {purpose} was never granted")]
    WithdrawWithoutGrant {
        /// The purpose.
        purpose: Purpose,
        /// The withdrawal's time.
        at: Timestamp,
    },
    /// A withdrawal for a purpose that is already withdrawn.
    #[error(
        "withdrawal of {purpose} at {at}, but {purpose} was already withdrawn at {withdrawn_at}"
    )]
    AlreadyWithdrawn {
        /// The purpose.
        purpose: Purpose,
        /// The new withdrawal's time.
        at: Timestamp,
        /// The time of the withdrawal in force.
        withdrawn_at: Timestamp,
    },
    /// A grant for a purpose already granted with the same wording version.
    #[error(
        "grant of {purpose} at {at}, but {purpose} is already granted with wording {wording_version} since {since}"
    )]
    AlreadyGranted {
        /// The purpose.
        purpose: Purpose,
        /// The new grant's time.
        at: Timestamp,
        /// The time of the grant in force.
        since: Timestamp,
        /// The wording version of both grants.
        wording_version: WordingVersion,
    },
    /// An event given to [`Ledger::replay`] was rejected.
    #[error("event {index} cannot be replayed: {reason}")]
    Replay {
        /// Position of the rejected event in the input, counting from 0.
        index: usize,
        /// Why it was rejected.
        reason: Box<Error>,
    },
    /// The wording version is empty.
    #[error("a wording version may not be empty")]
    EmptyWordingVersion,
    /// The wording version is longer than [`WordingVersion::MAX_LEN`] bytes.
    #[error("wording version is {len} bytes long, above the maximum of {max}")]
    WordingVersionTooLong {
        /// Its length in bytes.
        len: usize,
        /// The maximum allowed.
        max: usize,
    },
    /// The wording version holds a character other than ASCII letters, digits, `-`, `_` or `.`.
    #[error(
        "wording version may hold only ascii letters, digits, '-', '_' and '.' (found {found:?})"
    )]
    WordingVersionBadCharacter {
        /// The first offending character.
        found: char,
    },
}

impl Error {
    /// The variant's stable `snake_case` name (`"wrong_person"`), for callers that
    /// branch on the kind of error without parsing its message.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::WrongPerson { .. } => "wrong_person",
            Self::StaffIsSubject { .. } => "staff_is_subject",
            Self::OutOfOrder { .. } => "out_of_order",
            Self::WithdrawWithoutGrant { .. } => "withdraw_without_grant",
            Self::AlreadyWithdrawn { .. } => "already_withdrawn",
            Self::AlreadyGranted { .. } => "already_granted",
            Self::Replay { .. } => "replay",
            Self::EmptyWordingVersion { .. } => "empty_wording_version",
            Self::WordingVersionTooLong { .. } => "wording_version_too_long",
            Self::WordingVersionBadCharacter { .. } => "wording_version_bad_character",
        }
    }
}
