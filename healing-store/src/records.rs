//! The rows the store reads and writes, as typed records.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Error;
use super::audit::{AuditRecord, to_hex};
use super::cipher::KeyId;
use healing_core::consent::ConsentEvent;
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::{
    CourseEnding, CourseOutcome, ProblemDescriptor, SessionKind, SessionScore,
};
use healing_core::pet::PetState;
use healing_core::safety::{Category, RiskLevel};
use healing_core::scoring::{BandId, Flag, Score, ValidatedAnswers};
use healing_core::timestamp::Timestamp;

/// Declares a text-coded enum: its `snake_case` names (used both in the database and in
/// JSON) and conversions.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the database and used in JSON.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value with this stored name, if any.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum! {
    /// What a user is allowed to do; the server's policy layer decides from it.
    Role {
        /// Uses the app for their own care.
        Patient => "patient",
        /// Sees patients who accepted a link with them.
        Clinician => "clinician",
        /// Manages users and reads audit and health; no clinical notes without break-glass.
        Admin => "admin",
    }
}

text_enum! {
    /// How a stored password hash was made. Only `argon2id` is written for new
    /// passwords; the others are accepted from the old platform's import and replaced
    /// at the first successful login.
    PasswordScheme {
        /// Argon2id in PHC string format.
        Argon2id => "argon2id",
        /// bcrypt (`$2b$…`), imported.
        Bcrypt => "bcrypt",
        /// PBKDF2-HMAC-SHA256, imported.
        Pbkdf2Sha256 => "pbkdf2_sha256",
        /// A single salted SHA-256, imported.
        SaltedSha256 => "salted_sha256",
    }
}

text_enum! {
    /// Where a session is in sign-in.
    SessionStage {
        /// Password checked; the second factor is still owed. Grants nothing else.
        AwaitingSecondFactor => "awaiting_second_factor",
        /// Fully signed in.
        Authenticated => "authenticated",
    }
}

text_enum! {
    /// Whose failures a throttle counts.
    ThrottleScope {
        /// One account (the subject is the user id or the normalised username tried).
        Account => "account",
        /// One client address (the subject is the address, or a hash of it).
        ClientAddress => "client_address",
    }
}

text_enum! {
    /// Which guarded action a throttle counts.
    ThrottleAction {
        /// Password sign-in.
        Login => "login",
        /// TOTP or recovery code.
        SecondFactor => "second_factor",
        /// Password reset requests.
        PasswordReset => "password_reset",
        /// Registration attempts.
        Register => "register",
    }
}

text_enum! {
    /// The state of a clinician–patient link. Only `accepted` lets the clinician see the
    /// patient's data.
    LinkStatus {
        /// Asked for, not yet answered.
        Requested => "requested",
        /// Accepted: the clinician may see the patient's shared data.
        Accepted => "accepted",
        /// Refused.
        Declined => "declined",
        /// Ended by either side after being accepted.
        Ended => "ended",
    }
}

text_enum! {
    /// Whether the patient came to an appointment (NHS Talking Therapies counts only
    /// attended contacts).
    Attendance {
        /// Attended.
        Attended => "attended",
        /// Did not attend without notice.
        DidNotAttend => "did_not_attend",
        /// Cancelled by the patient.
        CancelledByPatient => "cancelled_by_patient",
        /// Cancelled by the service.
        CancelledByService => "cancelled_by_service",
    }
}

text_enum! {
    /// Whether a second factor protects the account.
    TwoFactorState {
        /// No TOTP secret stored.
        NotSetUp => "not_set_up",
        /// A secret is stored but not yet confirmed with a code.
        Pending => "pending",
        /// Confirmed: sign-in requires a code.
        Enabled => "enabled",
    }
}

text_enum! {
    /// Which database a store uses.
    Backend {
        /// SQLite (embedded default).
        Sqlite => "sqlite",
        /// PostgreSQL (production).
        Postgres => "postgres",
    }
}

text_enum! {
    /// Whether a recovery code was accepted.
    RecoveryCodeUse {
        /// The code was unused and is now spent.
        Accepted => "accepted",
        /// No unused code matches.
        Rejected => "rejected",
    }
}

/// The SHA-256 of a secret token (session id, reset token, recovery code). The store
/// keeps only these, so a copy of the database lets no one sign in.
///
/// Use it only for secrets with at least 128 bits of entropy made by a random
/// generator; passwords need a slow hash (Argon2id), not this.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// Hashes a secret token.
    pub fn of_secret(secret: &[u8]) -> Self {
        TokenHash(Sha256::digest(secret).into())
    }

    /// Reads a hash from 32 stored bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(TokenHash)
    }

    /// The hash as bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A prefix is enough to tell hashes apart in logs of tests.
        write!(f, "TokenHash({}…)", to_hex(&self.0[..4]))
    }
}

/// A new account. The store lower-cases and trims the email and generates the id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    /// Sign-in name, unique.
    pub username: String,
    /// Email address, unique after lower-casing.
    pub email: String,
    /// Name shown in the app (encrypted at rest).
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The password hash (PHC string or the legacy format named by `password_scheme`).
    pub password_hash: String,
    /// How `password_hash` was made.
    pub password_scheme: PasswordScheme,
    /// NHS number, if known (encrypted at rest).
    pub nhs_number: Option<String>,
    /// Year of birth, if known (kept for research age bands instead of a birth date).
    pub year_of_birth: Option<i32>,
    /// When the account was made.
    pub created_at: Timestamp,
}

/// An account, without its credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Opaque id (a UUID v4 string).
    pub id: PersonId,
    /// Sign-in name.
    pub username: String,
    /// Email address, lower-case.
    pub email: String,
    /// Name shown in the app.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Whether a second factor is set up.
    pub two_factor: TwoFactorState,
    /// NHS number, if known.
    pub nhs_number: Option<String>,
    /// Year of birth, if known.
    pub year_of_birth: Option<i32>,
    /// When the account was made.
    pub created_at: Timestamp,
    /// When the account was disabled, if it is.
    pub disabled_at: Option<Timestamp>,
}

/// A user's password hash, read only to check a sign-in. Its `Debug` hides the hash.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordCredentials {
    /// Whose.
    pub user_id: PersonId,
    /// The stored hash.
    pub password_hash: String,
    /// How it was made.
    pub scheme: PasswordScheme,
}

impl fmt::Debug for PasswordCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordCredentials")
            .field("user_id", &self.user_id)
            .field("password_hash", &"[redacted]")
            .field("scheme", &self.scheme)
            .finish()
    }
}

/// A session to create.
///
/// The CSRF token is stored as given: it is useless without the session cookie, whose
/// id is stored only hashed, and the server must be able to hand it back to a page
/// that reloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 of the 256-bit session id in the cookie.
    pub id_hash: TokenHash,
    /// Whose session.
    pub user_id: PersonId,
    /// Per-session CSRF token, compared in constant time by the server.
    pub csrf_token: String,
    /// Sign-in stage.
    pub stage: SessionStage,
    /// When it started (also its first `last_seen_at`).
    pub created_at: Timestamp,
    /// Absolute expiry, whatever the activity.
    pub expires_at: Timestamp,
    /// The client's address, for the user's list of sessions.
    pub client_address: Option<String>,
}

/// A stored login session (the server's signed-in browser session; not a
/// [`TreatmentSession`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSession {
    /// SHA-256 of the session id.
    pub id_hash: TokenHash,
    /// Whose session.
    pub user_id: PersonId,
    /// Per-session CSRF token.
    pub csrf_token: String,
    /// Sign-in stage.
    pub stage: SessionStage,
    /// When it started.
    pub created_at: Timestamp,
    /// Last request seen (for the idle expiry the server enforces).
    pub last_seen_at: Timestamp,
    /// Absolute expiry.
    pub expires_at: Timestamp,
    /// The client's address at creation.
    pub client_address: Option<String>,
}

/// A login session with what authorising a request needs of its account
/// ([`AccountStore::session_account`](crate::AccountStore::session_account)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionAccount {
    /// The session.
    pub session: LoginSession,
    /// The account's role.
    pub role: Role,
    /// The account's two-factor state.
    pub two_factor: TwoFactorState,
    /// When the account was disabled, if it is.
    pub disabled_at: Option<Timestamp>,
}

/// What a throttle counts: one action by one account or one client address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ThrottleKey {
    /// Account or client address.
    pub scope: ThrottleScope,
    /// The guarded action.
    pub action: ThrottleAction,
    /// The account id or username, or the client address (the server may hash it).
    pub subject: String,
}

/// How many failures lock a key out, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottlePolicy {
    /// Failures within the window that trigger a lockout.
    pub max_failures: u32,
    /// Length of the counting window, in seconds; older failures are forgotten.
    pub window_seconds: i64,
    /// Length of the lockout, in seconds.
    pub lockout_seconds: i64,
}

/// A throttle's count and lockout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottleState {
    /// Failures counted in the current window.
    pub failures: u32,
    /// Locked until this instant, if locked (the server sends `Retry-After` from it).
    pub locked_until: Option<Timestamp>,
}

/// A clinician–patient link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Opaque id.
    pub id: String,
    /// The clinician.
    pub clinician_id: PersonId,
    /// The patient.
    pub patient_id: PersonId,
    /// State.
    pub status: LinkStatus,
    /// When it was requested.
    pub created_at: Timestamp,
    /// When it last changed state, if it has.
    pub decided_at: Option<Timestamp>,
}

/// A stored mood entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMoodEntry {
    /// Opaque id.
    pub id: String,
    /// Whose.
    pub patient_id: PersonId,
    /// The entry (its note is encrypted at rest).
    pub entry: MoodEntry,
}

/// A completed questionnaire to store, as scored by [`healing_core::scoring`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAssessment {
    /// Whose.
    pub patient_id: PersonId,
    /// Instrument, for example `phq9`.
    pub instrument_id: String,
    /// Version of the instrument definition used.
    pub instrument_version: String,
    /// The answers, one per item in order; `None` for an item skipped by the
    /// instrument's skip logic or left blank where it allows.
    pub answers: Vec<Option<u8>>,
    /// Total score; `None` for an instrument without one (the C-SSRS screener,
    /// whose result is its triage band and flags).
    pub total: Option<i32>,
    /// Severity band, if the instrument has bands.
    pub band: Option<BandId>,
    /// Flags raised, risk flags first.
    pub flags: Vec<Flag>,
    /// When it was completed.
    pub completed_at: Timestamp,
}

impl NewAssessment {
    /// The record of a questionnaire scored by [`healing_core::scoring::score`]: the
    /// one place a score becomes what the store keeps. `answers` are the validated
    /// answers `score` was computed from; fails when they belong to another
    /// instrument than the score.
    pub fn from_score(
        patient_id: PersonId,
        answers: &ValidatedAnswers,
        score: &Score,
        completed_at: Timestamp,
    ) -> Result<Self, Error> {
        let instrument_id = score.instrument.as_str();
        if answers.instrument().id != score.instrument {
            return Err(Error::InvalidInput {
                field: "answers",
                reason: format!(
                    "answers to {} given for a score of {instrument_id}",
                    answers.instrument().id.as_str()
                ),
            });
        }
        Ok(Self {
            patient_id,
            instrument_id: instrument_id.to_owned(),
            instrument_version: score.version.to_string(),
            answers: answers.answers().to_vec(),
            total: score.total.map(i32::from),
            band: score.band.as_ref().map(|band| band.id),
            flags: score.flags.clone(),
            completed_at,
        })
    }
}

/// A stored questionnaire result (not healing-core's safety
/// [`Assessment`](healing_core::safety::Assessment)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAssessment {
    /// Opaque id.
    pub id: String,
    /// Whose.
    pub patient_id: PersonId,
    /// Instrument.
    pub instrument_id: String,
    /// Instrument version.
    pub instrument_version: String,
    /// Answers, one per item in order; `None` where skipped or blank.
    pub answers: Vec<Option<u8>>,
    /// Total score; `None` for an instrument without one (the C-SSRS screener).
    pub total: Option<i32>,
    /// Severity band, if any.
    pub band: Option<BandId>,
    /// Flags raised.
    pub flags: Vec<Flag>,
    /// When it was completed.
    pub completed_at: Timestamp,
}

/// A course of treatment to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCourse {
    /// Whose.
    pub patient_id: PersonId,
    /// The treating clinician, if assigned.
    pub clinician_id: Option<PersonId>,
    /// The presenting problem, which picks the paired anxiety measure.
    pub problem_descriptor: ProblemDescriptor,
    /// When the referral was opened.
    pub opened_at: Timestamp,
}

/// A stored course of treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentCourse {
    /// Opaque id.
    pub id: String,
    /// Whose.
    pub patient_id: PersonId,
    /// The treating clinician, if assigned (cleared if that account is erased).
    pub clinician_id: Option<PersonId>,
    /// The presenting problem.
    pub problem_descriptor: ProblemDescriptor,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// When it was closed, if it is.
    pub closed_at: Option<Timestamp>,
    /// How it ended, once closed.
    pub ending: Option<CourseEnding>,
    /// Its NHS Talking Therapies outcome from healing-core, over the attended sessions
    /// so far, kept in step with them (sealed at rest); `None` for a course with no
    /// session recorded since this was stored.
    pub outcome: Option<CourseOutcome>,
}

/// An appointment to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTreatmentSession {
    /// The course it belongs to.
    pub course_id: String,
    /// Whose (must be the course's patient).
    pub patient_id: PersonId,
    /// The clinician seen, if any.
    pub clinician_id: Option<PersonId>,
    /// When.
    pub at: Timestamp,
    /// Its purpose.
    pub kind: SessionKind,
    /// Whether the patient came.
    pub attendance: Attendance,
    /// The measures taken at it (attended sessions only), at most one per measure.
    pub scores: Vec<SessionScore>,
}

/// A stored appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentSession {
    /// Opaque id.
    pub id: String,
    /// The course.
    pub course_id: String,
    /// Whose.
    pub patient_id: PersonId,
    /// The clinician seen, if any.
    pub clinician_id: Option<PersonId>,
    /// When.
    pub at: Timestamp,
    /// Its purpose.
    pub kind: SessionKind,
    /// Whether the patient came.
    pub attendance: Attendance,
    /// The measures taken at it (sealed at rest).
    pub scores: Vec<SessionScore>,
}

/// Whose ended courses to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseScope {
    /// Every course in the service.
    All,
    /// The courses this clinician treats.
    OfClinician(PersonId),
}

/// A clinical note to write, or an amendment of one: its text comes screened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClinicalNote {
    /// Whose record it belongs to.
    pub patient_id: PersonId,
    /// Who wrote it.
    pub author_id: PersonId,
    /// The treatment session it is about, if any (ignored for an amendment, which
    /// keeps the note's session).
    pub session_id: Option<String>,
    /// The text, screened.
    pub body: Screened,
    /// Whether a risk the screening finds raises an alert (the clinician asks for it).
    pub raise_alert: bool,
    /// When it was written.
    pub written_at: Timestamp,
}

/// One version of a clinical note (body encrypted at rest). A note is never edited in
/// place: an amendment is a new version, and every version is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicalNote {
    /// This version's id.
    pub id: String,
    /// The note's id, the same for every version.
    pub note_id: String,
    /// 1 for the note as first written, then 2, 3, … for each amendment.
    pub version: u32,
    /// Whose record.
    pub patient_id: PersonId,
    /// Who wrote this version (cleared if that account is erased).
    pub author_id: Option<PersonId>,
    /// The treatment session it is about, if any.
    pub session_id: Option<String>,
    /// The text.
    pub body: String,
    /// When this version was written.
    pub written_at: Timestamp,
    /// The id of the version this one replaces, if it is an amendment.
    pub supersedes: Option<String>,
}

/// A discharge to record: the link between a clinician and a patient ends and the
/// clinician's open course with them closes, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDischarge {
    /// The discharging clinician.
    pub clinician_id: PersonId,
    /// The patient.
    pub patient_id: PersonId,
    /// How the open course ended, if there is one.
    pub ending: CourseEnding,
    /// Why, kept as a clinical note (screened, encrypted), never in the audit log.
    pub reason: Screened,
    /// When.
    pub at: Timestamp,
}

/// What a discharge changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discharge {
    /// The link, now ended.
    pub link: Link,
    /// The course it closed, if one was open.
    pub course: Option<TreatmentCourse>,
    /// The note holding the reason.
    pub note: ClinicalNote,
}

/// A journal entry (body encrypted at rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Opaque id.
    pub id: String,
    /// Whose.
    pub patient_id: PersonId,
    /// The text.
    pub body: String,
    /// When it was written.
    pub written_at: Timestamp,
}

text_enum! {
    /// Who wrote a message of the companion chat (its role when the conversation
    /// is sent to the model).
    ChatAuthor {
        /// The patient.
        Patient => "patient",
        /// The companion (the model, the offline companion or the crisis response).
        Companion => "companion",
    }
}

text_enum! {
    /// What wrote a companion reply.
    ChatSource {
        /// The AI model, screened before the patient saw it.
        Model => "model",
        /// The built-in offline companion (not AI).
        Offline => "offline",
        /// The crisis response with crisis resources, written by the server.
        Crisis => "crisis",
    }
}

/// One message of the companion chat (body encrypted at rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Opaque id.
    pub id: String,
    /// Whose conversation.
    pub patient_id: PersonId,
    /// Its place in the patient's conversation, from 1.
    pub seq: i64,
    /// Who wrote it.
    pub author: ChatAuthor,
    /// What wrote a reply; `None` for the patient's own messages.
    pub source: Option<ChatSource>,
    /// The text.
    pub body: String,
    /// Whether it may be sent to the model as part of the conversation: never
    /// when it was written while the patient's `ai_chat` consent was not in force.
    pub model_may_read: bool,
    /// When it was written.
    pub written_at: Timestamp,
}

/// A companion reply to store (body encrypted at rest).
#[derive(Debug, Clone, PartialEq)]
pub struct NewChatReply {
    /// The text the patient is shown: the server's own words (offline companion,
    /// crisis response, safe fallback) or a model reply that screening cleared.
    pub body: String,
    /// What wrote it.
    pub source: ChatSource,
    /// Whether it may later be sent to the model as part of the conversation.
    pub model_may_read: bool,
    /// A model reply that screening stopped, replaced by `body`: its screening is
    /// recorded (a safety event and an alert for staff to review, source
    /// [`AlertSource::ChatReplyWithheld`]) and its text is kept sealed with the
    /// reply, readable only through that alert
    /// ([`ChatStore::withheld_chat_reply`](crate::ChatStore::withheld_chat_reply)).
    pub withheld: Option<Screened>,
}

/// One message of a conversation between a patient and their care team (body
/// encrypted at rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMessage {
    /// Opaque id.
    pub id: String,
    /// The conversation.
    pub thread_id: String,
    /// Its place in the conversation, from 1.
    pub seq: i64,
    /// Who wrote it.
    pub sender_id: PersonId,
    /// The text.
    pub body: String,
    /// When it was sent.
    pub sent_at: Timestamp,
}

/// One member of a conversation and how far they have read and deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMember {
    /// The member.
    pub person_id: PersonId,
    /// The last message they have read (0 for none).
    pub read_seq: i64,
    /// The last message they deleted for themself (0 for none): they no longer see
    /// it or any before it; the other member still does.
    pub hidden_seq: i64,
}

/// A conversation between two members about one patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageThread {
    /// Opaque id.
    pub id: String,
    /// The patient it is about (one of the members, or for two clinicians a
    /// patient both are linked to).
    pub patient_id: PersonId,
    /// The two members, in id order.
    pub members: [ThreadMember; 2],
    /// When it began.
    pub started_at: Timestamp,
    /// The number of its latest message.
    pub last_seq: i64,
    /// When its latest message was sent.
    pub last_message_at: Timestamp,
}

impl MessageThread {
    /// The member who is `person`, if they are one.
    pub fn member(&self, person: &PersonId) -> Option<&ThreadMember> {
        self.members
            .iter()
            .find(|member| &member.person_id == person)
    }

    /// The member who is not `person` (the first member when `person` is neither).
    pub fn other_member(&self, person: &PersonId) -> &ThreadMember {
        if self.members[0].person_id == *person {
            &self.members[1]
        } else {
            &self.members[0]
        }
    }
}

/// A message just stored, with the conversation it went to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedMessage {
    /// The message.
    pub message: ThreadMessage,
    /// Whether this message began the conversation.
    pub started: bool,
}

/// One conversation in a member's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxThread {
    /// The conversation.
    pub thread_id: String,
    /// The patient it is about.
    pub patient_id: PersonId,
    /// The other member.
    pub other_member_id: PersonId,
    /// Messages from the other member this member has not read.
    pub unread: i64,
    /// When its latest message was sent.
    pub last_message_at: Timestamp,
    /// Whether both members may write now: each is the patient, or a clinician
    /// linked to them while the patient shares their record.
    pub open: bool,
}

/// A page of a member's inbox, newest conversation first, and what the whole inbox
/// holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    /// The page's conversations.
    pub threads: Vec<InboxThread>,
    /// Conversations in the whole inbox.
    pub total_threads: u64,
    /// Unread messages across the whole inbox.
    pub total_unread: i64,
}

/// One version of a patient's safety plan (a JSON document, encrypted at rest). The
/// plan as it is now is its highest version; every save adds one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyPlan {
    /// Whose.
    pub patient_id: PersonId,
    /// The version, from 1.
    pub version: i64,
    /// The plan as JSON text.
    pub body: String,
    /// The clinician's proposal this version came from, when the patient accepted one.
    pub proposal_id: Option<String>,
    /// When this version was saved.
    pub updated_at: Timestamp,
}

/// One use of a CBT tool by a patient (body encrypted at rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolRun {
    /// Opaque id.
    pub id: String,
    /// Whose.
    pub patient_id: PersonId,
    /// Which tool, as the server's tool catalogue names it.
    pub tool_id: String,
    /// What the patient entered and the tool's result, as JSON text.
    pub body: String,
    /// When.
    pub ran_at: Timestamp,
}

text_enum! {
    /// Where a clinician's proposed edit of a safety plan stands.
    ProposalStatus {
        /// Waiting for the patient.
        Pending => "pending",
        /// The patient accepted it: it became a version of the plan.
        Accepted => "accepted",
        /// The patient declined it.
        Declined => "declined",
    }
}

/// A linked clinician's proposed edit of a patient's safety plan: a whole plan the
/// patient may accept (it becomes the next version) or decline (body encrypted at rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyPlanProposal {
    /// Opaque id.
    pub id: String,
    /// Whose plan.
    pub patient_id: PersonId,
    /// Who proposed it (`None` once that account was erased).
    pub clinician_id: Option<PersonId>,
    /// The plan version it was written against (0: there was no plan yet).
    pub base_version: i64,
    /// The proposed plan as JSON text.
    pub body: String,
    /// Where it stands.
    pub status: ProposalStatus,
    /// When it was proposed.
    pub proposed_at: Timestamp,
    /// When the patient accepted or declined it.
    pub decided_at: Option<Timestamp>,
}

/// A risk flag raised by the safety engine, to store. Holds no text of what was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSafetyEvent {
    /// Whose.
    pub patient_id: PersonId,
    /// Where the text came from (for example `journal`, `chat`, `assessment`).
    pub source: String,
    /// The level raised.
    pub level: RiskLevel,
    /// The risk categories matched.
    pub categories: Vec<Category>,
    /// Version of the rules that matched.
    pub rules_version: String,
    /// When.
    pub at: Timestamp,
}

/// A stored safety event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyEvent {
    /// Opaque id.
    pub id: String,
    /// Whose.
    pub patient_id: PersonId,
    /// Where the text came from.
    pub source: String,
    /// The level raised.
    pub level: RiskLevel,
    /// The risk categories matched.
    pub categories: Vec<Category>,
    /// Version of the rules.
    pub rules_version: String,
    /// When.
    pub at: Timestamp,
}

/// A patient's companion pet state (stored as the pet engine's JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetRecord {
    /// Whose.
    pub patient_id: PersonId,
    /// The state.
    pub state: PetState,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// Metadata of an encryption key (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptionKeyRecord {
    /// The key's id.
    pub key_id: KeyId,
    /// When the key was first used.
    pub created_at: Timestamp,
    /// When it was retired, if it was.
    pub retired_at: Option<Timestamp>,
}

/// Paging for list reads: skip `offset` rows, return at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Rows to skip.
    pub offset: u64,
    /// Most rows to return.
    pub limit: u32,
}

impl Page {
    /// The first `limit` rows.
    pub const fn first(limit: u32) -> Self {
        Self { offset: 0, limit }
    }
}

/// Filters for reading the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Only entries by this actor.
    pub actor_id: Option<PersonId>,
    /// Only entries about this patient.
    pub subject_patient_id: Option<PersonId>,
    /// Only entries after this sequence number.
    pub after_seq: Option<i64>,
    /// Only entries up to and including this sequence number: a reader paging
    /// through the log fixes it at the first page, so the entries its own reads
    /// append never lengthen its walk.
    pub until_seq: Option<i64>,
    /// Most entries to return (the store caps it at 1000).
    pub limit: u32,
}

/// Everything the store holds about one user, for a GDPR subject-access download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserExport {
    /// The account.
    pub user: User,
    /// Consent decisions.
    pub consent_events: Vec<ConsentEvent>,
    /// Clinician–patient links on either side.
    pub links: Vec<Link>,
    /// Mood entries.
    pub mood_entries: Vec<StoredMoodEntry>,
    /// Questionnaire results.
    pub assessments: Vec<StoredAssessment>,
    /// Courses of treatment.
    pub courses: Vec<TreatmentCourse>,
    /// Appointments.
    pub treatment_sessions: Vec<TreatmentSession>,
    /// Clinical notes about the person, every version (the right of access covers
    /// what clinicians record).
    pub clinical_notes: Vec<ClinicalNote>,
    /// Journal entries.
    pub journal_entries: Vec<JournalEntry>,
    /// The conversation with the AI companion, oldest first.
    pub chat_messages: Vec<ChatMessage>,
    /// Messages in the conversations the person is a member of, every one (also
    /// those they deleted for themself), oldest first per conversation.
    pub messages: Vec<ThreadMessage>,
    /// Community posts written.
    pub community_posts: Vec<crate::community::CommunityPost>,
    /// Safety plan, if any.
    pub safety_plan: Option<SafetyPlan>,
    /// The safety plan's earlier versions, newest first.
    pub safety_plan_versions: Vec<SafetyPlan>,
    /// Edits of the safety plan proposed by clinicians, newest first.
    pub safety_plan_proposals: Vec<SafetyPlanProposal>,
    /// Uses of CBT tools, oldest first.
    pub tool_runs: Vec<ToolRun>,
    /// Appointments on either side, newest first (the video link opened).
    pub appointments: Vec<Appointment>,
    /// Theme, language, which notifications also come by email, reminder lead.
    pub preferences: crate::notifications::Preferences,
    /// Safety events.
    pub safety_events: Vec<SafetyEvent>,
    /// Pet, if any.
    pub pet: Option<PetRecord>,
    /// Audit entries where the user acted or was the subject.
    pub audit_entries: Vec<AuditRecord>,
}

/// What an erasure removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureReport {
    /// The erased account's id (now pointing at nothing).
    pub user_id: PersonId,
    /// Rows deleted, by table.
    pub rows_deleted: BTreeMap<String, u64>,
    /// The sequence number of the `account_erased` audit tombstone.
    pub tombstone_seq: i64,
}

/// One person as seen by the read-only research API: no names, contact details or NHS
/// number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResearchPerson {
    /// Opaque id.
    pub id: PersonId,
    /// Role.
    pub role: Role,
    /// Year of birth, if known.
    pub year_of_birth: Option<i32>,
    /// When the account was made.
    pub created_at: Timestamp,
    /// The person's consent ledger, oldest first.
    pub consent_events: Vec<ConsentEvent>,
}

text_enum! {
    /// Every encrypted column in the schema, for key rotation.
    EncryptedColumn {
        /// `users.display_name`.
        UsersDisplayName => "users.display_name",
        /// `users.totp_secret`.
        UsersTotpSecret => "users.totp_secret",
        /// `users.nhs_number`.
        UsersNhsNumber => "users.nhs_number",
        /// `mood_entries.note`.
        MoodEntriesNote => "mood_entries.note",
        /// `journal_entries.body`.
        JournalEntriesBody => "journal_entries.body",
        /// `messages.body`.
        MessagesBody => "messages.body",
        /// `community_posts.body`: a community post or comment.
        CommunityPostsBody => "community_posts.body",
        /// `community_reports.note`: what a member added to a report.
        CommunityReportsNote => "community_reports.note",
        /// `safety_plans.body`.
        SafetyPlansBody => "safety_plans.body",
        /// `safety_plan_versions.body`: an earlier version of a safety plan.
        SafetyPlanVersionsBody => "safety_plan_versions.body",
        /// `safety_plan_proposals.body`: a clinician's proposed safety plan.
        SafetyPlanProposalsBody => "safety_plan_proposals.body",
        /// `tool_runs.body`: what a patient entered in a CBT tool, and its result.
        ToolRunsBody => "tool_runs.body",
        /// `alerts.resolution`.
        AlertsResolution => "alerts.resolution",
        /// `assessments.result`: a questionnaire's answers, total, band and flags.
        AssessmentsResult => "assessments.result",
        /// `courses.problem`: the problem descriptor a course treats.
        CoursesProblem => "courses.problem",
        /// `courses.outcome`: a course's Talking Therapies outcome.
        CoursesOutcome => "courses.outcome",
        /// `treatment_sessions.scores`: the measures taken at a session.
        TreatmentSessionsScores => "treatment_sessions.scores",
        /// `clinical_notes.body`: a clinical note's text.
        ClinicalNotesBody => "clinical_notes.body",
        /// `chat_messages.body`: a message to or from the AI companion.
        ChatMessagesBody => "chat_messages.body",
        /// `chat_messages.withheld_body`: a model reply screening withheld, kept
        /// for whoever reviews its alert.
        ChatMessagesWithheldBody => "chat_messages.withheld_body",
        /// `appointments.video_url`: the video-call link of an appointment.
        AppointmentsVideoUrl => "appointments.video_url",
    }
}

impl EncryptedColumn {
    /// The table.
    pub const fn table(self) -> &'static str {
        match self {
            Self::UsersDisplayName | Self::UsersTotpSecret | Self::UsersNhsNumber => "users",
            Self::MoodEntriesNote => "mood_entries",
            Self::JournalEntriesBody => "journal_entries",
            Self::MessagesBody => "messages",
            Self::CommunityPostsBody => "community_posts",
            Self::CommunityReportsNote => "community_reports",
            Self::SafetyPlansBody => "safety_plans",
            Self::SafetyPlanVersionsBody => "safety_plan_versions",
            Self::SafetyPlanProposalsBody => "safety_plan_proposals",
            Self::ToolRunsBody => "tool_runs",
            Self::AlertsResolution => "alerts",
            Self::AssessmentsResult => "assessments",
            Self::CoursesProblem | Self::CoursesOutcome => "courses",
            Self::TreatmentSessionsScores => "treatment_sessions",
            Self::ClinicalNotesBody => "clinical_notes",
            Self::ChatMessagesBody | Self::ChatMessagesWithheldBody => "chat_messages",
            Self::AppointmentsVideoUrl => "appointments",
        }
    }

    /// The column.
    pub const fn column(self) -> &'static str {
        match self {
            Self::UsersDisplayName => "display_name",
            Self::UsersTotpSecret => "totp_secret",
            Self::UsersNhsNumber => "nhs_number",
            Self::MoodEntriesNote => "note",
            Self::JournalEntriesBody
            | Self::MessagesBody
            | Self::CommunityPostsBody
            | Self::SafetyPlansBody
            | Self::SafetyPlanVersionsBody
            | Self::SafetyPlanProposalsBody
            | Self::ToolRunsBody
            | Self::ClinicalNotesBody
            | Self::ChatMessagesBody => "body",
            Self::AlertsResolution => "resolution",
            Self::AssessmentsResult => "result",
            Self::CoursesProblem => "problem",
            Self::CoursesOutcome => "outcome",
            Self::TreatmentSessionsScores => "scores",
            Self::ChatMessagesWithheldBody => "withheld_body",
            Self::AppointmentsVideoUrl => "video_url",
            Self::CommunityReportsNote => "note",
        }
    }

    /// The primary-key column, whose value is the row id bound into the ciphertext.
    pub const fn key_column(self) -> &'static str {
        match self {
            Self::SafetyPlansBody => "patient_id",
            _ => "id",
        }
    }
}

/// Progress of re-sealing one batch of one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResealBatch {
    /// Values read.
    pub checked: u64,
    /// Values re-sealed under the current key.
    pub resealed: u64,
    /// The last row id read; pass it back to continue, `None` when the column is done.
    pub next_after: Option<String>,
}

/// The result of [`rotate_keys`](super::rotate_keys).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RotationReport {
    /// Values read.
    pub checked: u64,
    /// Values re-sealed under the current key.
    pub resealed: u64,
}

/// Checks the parts of a new account the database cannot: non-empty, bounded fields.
pub(crate) fn validate_new_user(user: &NewUser) -> Result<(), Error> {
    let checks: [(&'static str, &str, usize); 3] = [
        ("username", user.username.as_str(), 64),
        ("email", user.email.trim(), 254),
        ("display_name", user.display_name.as_str(), 200),
    ];
    for (field, value, max) in checks {
        if value.is_empty() || value.len() > max {
            return Err(Error::InvalidInput {
                field,
                reason: format!("is {} bytes long, outside 1 to {max}", value.len()),
            });
        }
    }
    Ok(())
}

// ---- the safety pipeline ----

/// One piece of evidence kept from an assessment: the rule that fired and the byte
/// span of the evidence in the record's text (which stays encrypted in its own
/// column). The words themselves and the rule's explanation are not kept: the
/// explanation quotes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceSpan {
    /// The rule id, e.g. `suicide.plan_with_means`.
    pub rule: String,
    /// Byte offset where the evidence starts.
    pub start: usize,
    /// Byte offset just after the evidence.
    pub end: usize,
}

/// What screening found in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScreeningOutcome {
    /// The risk engine assessed the text.
    Assessed {
        /// The level.
        level: healing_core::safety::RiskLevel,
        /// The categories (only at medium and above).
        categories: Vec<healing_core::safety::Category>,
        /// The evidence, without the words.
        evidence: Vec<EvidenceSpan>,
        /// The lexicon version.
        rules_version: String,
    },
    /// Screening could not run. The text is stored, the writer is shown the critical
    /// resources, and an alert asks a human to read it.
    FailedClosed,
}

impl ScreeningOutcome {
    /// The level that decides what the writer sees: critical when screening failed.
    pub fn level(&self) -> healing_core::safety::RiskLevel {
        match self {
            Self::Assessed { level, .. } => *level,
            Self::FailedClosed => healing_core::safety::RiskLevel::Critical,
        }
    }

    /// The severity of the alert this outcome raises, if any: the level at medium and
    /// above, high when screening failed (a human must read the text; its risk is
    /// unknown).
    pub fn alert_severity(&self) -> Option<AlertSeverity> {
        match self {
            Self::Assessed { level, .. } => AlertSeverity::from_level(*level),
            Self::FailedClosed => Some(AlertSeverity::High),
        }
    }
}

/// Free text together with what the risk engine found in it. The store's free-text
/// writes take this type, so no text is stored unscreened; it is made only from an
/// engine [`Assessment`](healing_core::safety::Assessment) of that very text or as the
/// fail-closed outcome.
#[derive(Clone, PartialEq, Eq)]
pub struct Screened {
    text: String,
    outcome: ScreeningOutcome,
}

impl fmt::Debug for Screened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the words.
        f.debug_struct("Screened")
            .field("chars", &self.text.chars().count())
            .field("outcome", &self.outcome)
            .finish()
    }
}

impl Screened {
    /// `text` as the engine assessed it.
    pub fn assessed(text: String, assessment: &healing_core::safety::Assessment) -> Self {
        let evidence = assessment
            .findings
            .iter()
            .map(|finding| EvidenceSpan {
                rule: finding.rule.clone(),
                start: finding.start,
                end: finding.end,
            })
            .collect();
        Self {
            text,
            outcome: ScreeningOutcome::Assessed {
                level: assessment.level,
                categories: assessment.categories.clone(),
                evidence,
                rules_version: assessment.rules_version.clone(),
            },
        }
    }

    /// `text` that could not be screened.
    pub fn failed_closed(text: String) -> Self {
        Self {
            text,
            outcome: ScreeningOutcome::FailedClosed,
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What screening found.
    pub fn outcome(&self) -> &ScreeningOutcome {
        &self.outcome
    }
}

text_enum! {
    /// How urgent an alert is (the risk level it came from, medium and above).
    AlertSeverity {
        /// Medium risk.
        Medium => "medium",
        /// High risk.
        High => "high",
        /// Critical risk.
        Critical => "critical",
    }
}

impl AlertSeverity {
    /// The severity for a risk level; `None` below medium.
    pub fn from_level(level: healing_core::safety::RiskLevel) -> Option<Self> {
        match level {
            RiskLevel::None | RiskLevel::Low => None,
            RiskLevel::Medium => Some(Self::Medium),
            RiskLevel::High => Some(Self::High),
            RiskLevel::Critical => Some(Self::Critical),
        }
    }

    /// The risk level it stands for.
    pub const fn level(self) -> healing_core::safety::RiskLevel {
        match self {
            Self::Medium => RiskLevel::Medium,
            Self::High => RiskLevel::High,
            Self::Critical => RiskLevel::Critical,
        }
    }

    /// Higher is more urgent (for ordering in SQL).
    pub const fn rank(self) -> i32 {
        match self {
            Self::Medium => 2,
            Self::High => 3,
            Self::Critical => 4,
        }
    }
}

text_enum! {
    /// Where an alert is in its life.
    AlertState {
        /// Nobody has taken it yet.
        Open => "open",
        /// A clinician or the duty contact has taken it.
        Acknowledged => "acknowledged",
        /// Dealt with; the action is recorded.
        Resolved => "resolved",
    }
}

text_enum! {
    /// Who an alert was routed to when it was raised.
    AlertRoute {
        /// The patient's linked clinicians.
        LinkedClinicians => "linked_clinicians",
        /// The service's duty contact: the patient has no linked clinician.
        DutyContact => "duty_contact",
    }
}

text_enum! {
    /// The kind of record an alert came from.
    AlertSource {
        /// A mood entry's note.
        MoodNote => "mood_note",
        /// A journal entry.
        Journal => "journal",
        /// A questionnaire's risk item.
        Assessment => "assessment",
        /// A clinician's note, when the clinician asked for an alert.
        ClinicalNote => "clinical_note",
        /// A patient's message to the AI companion.
        Chat => "chat",
        /// A patient's message to their care team.
        Message => "message",
        /// A patient's community post, comment or report note.
        Community => "community",
        /// A reply of the AI model that screening stopped before the patient saw it
        /// (the companion answered with a safe fallback); the alert asks staff to
        /// review it.
        ChatReplyWithheld => "chat_reply_withheld",
        /// A saved version of the patient's safety plan.
        SafetyPlan => "safety_plan",
        /// What a patient entered in a CBT tool.
        ToolRun => "tool_run",
        /// A delivery about another alert that was given up after its last attempt
        /// (routed to the duty contact).
        DeliveryFailed => "delivery_failed",
    }
}

text_enum! {
    /// How a delivery reaches someone outside the app.
    DeliveryChannel {
        /// An email (no free text, no name: a link into the app).
        Email => "email",
        /// The service's on-call webhook, signed.
        Webhook => "webhook",
    }
}

text_enum! {
    /// What a delivery announces.
    DeliveryEvent {
        /// An alert was raised.
        Raised => "raised",
        /// An alert was not acknowledged in time and went to the next contact.
        Escalated => "escalated",
    }
}

text_enum! {
    /// Where a delivery is.
    DeliveryState {
        /// Waiting for (another) attempt.
        Pending => "pending",
        /// Accepted by the SMTP server or answered 2xx by the webhook.
        Delivered => "delivered",
        /// Given up after the last attempt; a "delivery failed" alert went to the
        /// duty contact.
        Failed => "failed",
    }
}

/// An alert for a human to act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// Opaque id.
    pub id: String,
    /// Whose.
    pub patient_id: PersonId,
    /// The safety event behind it (none for a questionnaire flag).
    pub safety_event_id: Option<String>,
    /// How urgent.
    pub severity: AlertSeverity,
    /// Risk categories, possibly empty.
    pub categories: Vec<Category>,
    /// The kind of record.
    pub source: AlertSource,
    /// The record's id.
    pub source_id: Option<String>,
    /// Who it was routed to.
    pub routed_to: AlertRoute,
    /// Where it is.
    pub state: AlertState,
    /// When raised.
    pub created_at: Timestamp,
    /// When acknowledged.
    pub acknowledged_at: Option<Timestamp>,
    /// By whom.
    pub acknowledged_by: Option<PersonId>,
    /// When resolved.
    pub resolved_at: Option<Timestamp>,
    /// By whom.
    pub resolved_by: Option<PersonId>,
    /// What was done (written by staff; encrypted at rest).
    pub resolution: Option<String>,
    /// How many times it has escalated to the next contact.
    pub escalation_level: u32,
    /// When it next escalates if still open; `None` once acknowledged or resolved.
    pub escalate_at: Option<Timestamp>,
}

/// Which alerts to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertScope {
    /// Every alert (admins, the duty contact).
    All,
    /// Alerts of patients with an accepted link to this clinician.
    LinkedTo(PersonId),
}

/// The alert a questionnaire's stored flags call for, whatever the total: thoughts of
/// self-harm (PHQ-9 item 9, EPDS item 10, CORE-10 item 6, C-SSRS items 1–2) are high;
/// a C-SSRS triage maps low, moderate and high to medium, high and critical. Other
/// flags are not risk flags.
pub fn questionnaire_risk(flags: &[Flag]) -> Option<AlertSeverity> {
    use healing_core::scoring::SuicideRiskLevel;
    flags
        .iter()
        .filter_map(|flag| match *flag {
            Flag::SelfHarmThoughts { answer, .. } if answer > 0 => Some(AlertSeverity::High),
            Flag::SuicideRisk { level } => Some(match level {
                SuicideRiskLevel::Low => AlertSeverity::Medium,
                SuicideRiskLevel::Moderate => AlertSeverity::High,
                SuicideRiskLevel::High => AlertSeverity::Critical,
            }),
            Flag::SelfHarmThoughts { .. }
            | Flag::ScreenPositive
            | Flag::ClinicalRange
            | Flag::ProvisionalPtsdDiagnosis => None,
        })
        .max_by_key(|severity| severity.rank())
}

text_enum! {
    /// What a notification announces; each kind names what its `subject_id` is, so
    /// the app can open it through the policy layer. A notification never carries
    /// words anyone wrote.
    NotificationKind {
        /// A new message in a conversation the person belongs to; the subject is
        /// the conversation (`message_threads.id`).
        Message => "message",
        /// A new safety alert about a patient in the clinician's care (or, for an
        /// admin, one routed to the duty contact); the subject is the alert
        /// (`alerts.id`). In the app only: alert emails have their own outbox.
        Alert => "alert",
        /// An appointment was booked, moved or cancelled; the subject is the
        /// appointment.
        AppointmentChanged => "appointment_changed",
        /// An appointment is coming up (sent the person's reminder lead time
        /// before it); the subject is the appointment.
        AppointmentReminder => "appointment_reminder",
        /// Someone replied to the person's community post; the subject is the post.
        PostReply => "post_reply",
    }
}

text_enum! {
    /// Where an appointment is: booked, then attended or missed (recorded by the
    /// clinician once it has started), or cancelled by one side.
    AppointmentState {
        /// Booked and still to happen (or to be recorded).
        Scheduled => "scheduled",
        /// The patient came.
        Attended => "attended",
        /// The patient did not come.
        DidNotAttend => "did_not_attend",
        /// The patient cancelled (or moved it: see `rescheduled_from`).
        CancelledByPatient => "cancelled_by_patient",
        /// The clinician cancelled (or moved it).
        CancelledByClinician => "cancelled_by_clinician",
    }
}

impl AppointmentState {
    /// Whether the appointment was cancelled by either side.
    pub const fn is_cancelled(self) -> bool {
        matches!(self, Self::CancelledByPatient | Self::CancelledByClinician)
    }
}

text_enum! {
    /// Where a notification email is in its outbox.
    NotificationEmailState {
        /// Waiting for (another) attempt.
        Pending => "pending",
        /// Accepted by the SMTP server.
        Sent => "sent",
        /// Given up after the last attempt.
        Failed => "failed",
        /// Not sent: the account was disabled first.
        Cancelled => "cancelled",
    }
}

text_enum! {
    /// The app's colour theme.
    Theme {
        /// Light.
        Light => "light",
        /// Dark.
        Dark => "dark",
        /// Whatever the device is set to.
        System => "system",
    }
}

/// One notification for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Id.
    pub id: String,
    /// Who it is for.
    pub user_id: PersonId,
    /// What happened.
    pub kind: NotificationKind,
    /// What it links to (see [`NotificationKind`]).
    pub subject_id: String,
    /// When it happened (for a notification that gathered several events, the latest).
    pub created_at: Timestamp,
    /// When the person marked it read.
    pub read_at: Option<Timestamp>,
}

/// A page of a person's notifications with their counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPage {
    /// Newest first.
    pub notifications: Vec<Notification>,
    /// Unread notifications in the whole list.
    pub unread: u64,
    /// Notifications in the whole list.
    pub total: u64,
}

/// A notification email claimed by a worker, with what it needs to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedNotificationEmail {
    /// The outbox row's id.
    pub id: String,
    /// What the notification announces (the email says only this).
    pub kind: NotificationKind,
    /// The address, read when claimed.
    pub to: String,
    /// This attempt's number, from 1.
    pub attempt: u32,
}

/// Which accounts the admin's list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only disabled (`true`) or only enabled (`false`) accounts.
    pub disabled: Option<bool>,
    /// Only accounts whose username or display name contains this, ignoring case.
    pub text: Option<String>,
    /// The page.
    pub page: Page,
}

/// A page of accounts with how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserList {
    /// Oldest first.
    pub users: Vec<User>,
    /// Accounts matching the query, on every page.
    pub total: u64,
}

text_enum! {
    /// How an appointment reminder reaches the patient.
    ReminderChannel {
        /// An email saying only when the appointment is.
        Email => "email",
        /// A reminder in the app (shown with the appointment).
        InApp => "in_app",
    }
}

/// One appointment between a patient and a clinician.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// Id.
    pub id: String,
    /// The clinician.
    pub clinician_id: PersonId,
    /// The patient.
    pub patient_id: PersonId,
    /// When it starts.
    pub starts_at: Timestamp,
    /// When it ends.
    pub ends_at: Timestamp,
    /// Where it is.
    pub state: AppointmentState,
    /// The video-call link the clinician set (https only), opened from its seal.
    pub video_url: Option<String>,
    /// When it was booked.
    pub booked_at: Timestamp,
    /// When it last changed (the calendar feed's DTSTAMP).
    pub updated_at: Timestamp,
    /// The appointment this one replaced when it was moved.
    pub rescheduled_from: Option<String>,
    /// When the in-app reminder was sent, if it has been.
    pub reminded_at: Option<Timestamp>,
}

/// How bookings and changes are handled, from the server's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppointmentRules {
    /// How long before the start a patient may still cancel or move an appointment
    /// (a clinician always may).
    pub notice_seconds: i64,
    /// How long before the start the reminders are due.
    pub reminder_lead_seconds: i64,
    /// Whether reminders are also emailed (email is configured).
    pub email_reminders: bool,
}

/// A reminder claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedReminder {
    /// The reminder's id.
    pub id: String,
    /// Its appointment.
    pub appointment_id: String,
    /// Email or in-app.
    pub channel: ReminderChannel,
    /// This attempt's number, from 1 (pass it back to record the attempt).
    pub attempt: u32,
    /// The patient reminded.
    pub patient_id: PersonId,
    /// Their email address (for the email channel).
    pub recipient_email: Option<String>,
    /// When the appointment starts.
    pub starts_at: Timestamp,
}

/// What recording a reminder attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderRecorded {
    /// Sent; it will not be sent again.
    Sent,
    /// Due again at this time.
    RetryAt(Timestamp),
    /// The last attempt failed; given up.
    GivenUp,
    /// Another worker claimed it since (this claim lapsed): nothing recorded.
    Stale,
}
