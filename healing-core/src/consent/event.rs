//! The parts of a consent event: purpose, decision, wording version and recorder.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Error;
use crate::ids::PersonId;
use crate::timestamp::Timestamp;

/// What a person's data may be used for.
///
/// New purposes will be added as the product grows; each addition is a deliberate,
/// breaking change so that every `match` on `Purpose` in every consumer is revisited
/// (hence no `#[non_exhaustive]`). Serialised in `snake_case`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Processing needed to provide the person's care and treatment in the app.
    Care,
    /// Sharing the person's entries and scores with their assigned clinician.
    ClinicianSharing,
    /// Sending the person's messages to the AI chat companion for processing.
    AiChat,
    /// Use of the person's pseudonymised data in research.
    Research,
    /// Sending the person notifications by email.
    EmailNotifications,
}

crate::wire_name::wire_names!(Purpose {
    Care => "care",
    ClinicianSharing => "clinician_sharing",
    AiChat => "ai_chat",
    Research => "research",
    EmailNotifications => "email_notifications",
});

impl Purpose {
    /// Every purpose, in declaration order.
    pub const ALL: [Purpose; 5] = [
        Purpose::Care,
        Purpose::ClinicianSharing,
        Purpose::AiChat,
        Purpose::Research,
        Purpose::EmailNotifications,
    ];

    /// The same as [`Purpose::as_str`] (`"clinician_sharing"`); kept while callers outside
    /// healing-core move to `as_str`.
    pub const fn name(self) -> &'static str {
        self.as_str()
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the person decided. Serialised as `grant` or `withdraw`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Consent given, from the event's time on.
    Grant,
    /// Consent withdrawn, from the event's time on.
    Withdraw,
}

crate::wire_name::wire_names!(Decision {
    Grant => "grant",
    Withdraw => "withdraw",
});

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Grant => "grant",
            Decision::Withdraw => "withdraw",
        })
    }
}

/// Who entered a consent event into the system.
///
/// Serialised as `"subject"` or `{"staff": "<person id>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordedBy {
    /// The person the consent is about, themselves (for example in the app).
    Subject,
    /// A member of staff, on the person's behalf (for example consent given in clinic
    /// or withdrawn by phone). Must not be the subject's own id.
    Staff(PersonId),
}

/// The version of the consent wording the person was shown, such as `research-v2`.
///
/// Keeping the exact version makes each decision demonstrable later: which text, in
/// force when, was agreed to (UK GDPR Article 7(1) requires a controller to be able
/// to demonstrate consent). The version is an identifier of text held elsewhere,
/// never the text itself: 1 to [`WordingVersion::MAX_LEN`] ASCII letters, digits,
/// `-`, `_` or `.`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WordingVersion(String);

impl WordingVersion {
    /// Longest version accepted, in bytes.
    pub const MAX_LEN: usize = 64;

    /// Checks and wraps a wording version.
    pub fn new(version: impl Into<String>) -> Result<Self, Error> {
        let version = version.into();
        if version.is_empty() {
            return Err(Error::EmptyWordingVersion);
        }
        if version.len() > Self::MAX_LEN {
            return Err(Error::WordingVersionTooLong {
                len: version.len(),
                max: Self::MAX_LEN,
            });
        }
        if let Some(found) = version
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            return Err(Error::WordingVersionBadCharacter { found });
        }
        Ok(Self(version))
    }

    /// The version as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WordingVersion {
    type Error = Error;

    fn try_from(version: String) -> Result<Self, Error> {
        Self::new(version)
    }
}

impl From<WordingVersion> for String {
    fn from(version: WordingVersion) -> String {
        version.0
    }
}

impl fmt::Display for WordingVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One decision about one purpose, as recorded. Events are facts: a ledger never
/// edits or deletes them, and a change of mind is a new event.
///
/// For a withdrawal, `wording_version` names the text shown when withdrawing (for
/// example the withdrawal confirmation), which may differ from the version granted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConsentEvent {
    /// The person the consent is about.
    pub person: PersonId,
    /// What the decision is about.
    pub purpose: Purpose,
    /// Grant or withdraw.
    pub decision: Decision,
    /// When the decision takes effect, which is when it was made.
    pub at: Timestamp,
    /// The wording shown to the person.
    pub wording_version: WordingVersion,
    /// Who entered the event.
    pub recorded_by: RecordedBy,
}
