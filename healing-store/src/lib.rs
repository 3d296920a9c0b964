//! Storage for the Healing server and the research bindings: a [`Store`](crate::Store) trait with
//! SQLite and PostgreSQL implementations, field encryption and a hash-chained audit log.
#![doc = include_str!("README.md")]

mod alerting;
mod any;
pub mod appointments;
mod audit;
mod caseload;
mod cipher;
mod community;
mod contract;
mod convert;
mod courses;
mod error;
mod group_commit;
mod key_file;
mod links;
mod migrations;
mod notifications;
mod postgres;
mod records;
pub mod schedule;
mod sql;
mod sqlite;
#[cfg(test)]
mod tests;
mod threads;

use std::sync::Arc;

pub use alerting::{
    AlertChannels, AlertingPolicy, AttemptOutcome, AttemptRecorded, ClaimedDelivery, Contacts,
    Delivery, EscalationDeadlines, EscalationReport, contacts, retry_delay_seconds,
};
pub use any::{AnyStore, rotate_keys};
pub use audit::{
    AuditAction, AuditChainBreak, AuditChainStatus, AuditChainVerifier, AuditEntry, AuditHash,
    AuditRecord, AuditVerification, audit_entry_hash,
};
pub use caseload::{
    CaseloadPage, CaseloadPatient, CaseloadQuery, ChangeBaseline, CourseState, LatestScore,
    MAX_CASELOAD_PAGE, OpenAlerts, RiskTier, ScoreChange, risk_order, select_caseload,
};
pub use cipher::{
    Aad, FORMAT_VERSION, FieldCipher, FieldKey, KEY_LEN, KeyId, KeyRing, NONCE_LEN, TAG_LEN,
};
pub use community::{
    ChannelChange, CommunityChannel, CommunityItem, CommunityMember, CommunityPost,
    CommunityReason, CommunityRefusal, CommunityReport, ModerationAction, PostStatus, PostTarget,
    PostingLimit, ReactionCount, ReactionKind, Relation, ReportView, may_take_part, moderate,
    name_key, status_after_screening, visible_to,
};
pub use contract::{
    AccountStore, AlertDeliveryStore, AppointmentStore, AuditStore, CaseloadStore, ChatStore,
    ClinicalStore, CommunityStore, MessagingStore, NotificationStore, SafetyPlanStore, Store,
    ToolRunStore,
};
pub use convert::new_person_id;
pub use courses::{CourseRefusal, check_course_opened, check_session_added, course_of, outcome_of};
pub use error::Error;
pub use key_file::{EncryptionKey, key_file_text, key_ring, parse_key_file};
pub use links::{
    DECLINE_COOLDOWN_SECONDS, LinkRefusal, check_link_move, check_link_request, sharing_in_force,
};
pub use notifications::{
    DEFAULT_EMAIL, DEFAULT_REMINDER_LEAD_HOURS, EMAILABLE, LANGUAGES, MAX_REMINDER_LEAD_HOURS,
    MIN_REMINDER_LEAD_HOURS, PreferenceError, Preferences, email_consent_in_force,
};
pub use postgres::PostgresStore;
pub use records::{
    Alert, AlertRoute, AlertScope, AlertSeverity, AlertSource, AlertState, Attendance, AuditQuery,
    Backend, ChatAuthor, ChatMessage, ChatSource, ClaimedNotificationEmail, ClinicalNote,
    CourseScope, DeliveryChannel, DeliveryEvent, DeliveryState, Discharge, EncryptedColumn,
    EncryptionKeyRecord, ErasureReport, EvidenceSpan, Inbox, InboxThread, JournalEntry, Link,
    LinkStatus, LoginSession, MessageThread, NewAssessment, NewChatReply, NewClinicalNote,
    NewCourse, NewDischarge, NewSafetyEvent, NewSession, NewTreatmentSession, NewUser,
    Notification, NotificationEmailState, NotificationKind, NotificationPage, Page,
    PasswordCredentials, PasswordScheme, PetRecord, PostedMessage, ProposalStatus, RecoveryCodeUse,
    ResealBatch, ResearchPerson, Role, RotationReport, SafetyEvent, SafetyPlan, SafetyPlanProposal,
    Screened, ScreeningOutcome, SessionAccount, SessionStage, StoredAssessment, StoredMoodEntry,
    Theme, ThreadMember, ThreadMessage, ThrottleAction, ThrottleKey, ThrottlePolicy, ThrottleScope,
    ThrottleState, TokenHash, ToolRun, TreatmentCourse, TreatmentSession, TwoFactorState, User,
    UserExport, UserList, UserQuery, questionnaire_risk,
};
pub use records::{
    Appointment, AppointmentRules, AppointmentState, ClaimedReminder, ReminderChannel,
    ReminderRecorded,
};
pub use sqlite::SqliteStore;
pub use threads::{MessageRefusal, Party, check_members, patient_of};

/// The store traits, for code that calls store methods on a concrete store such as
/// [`AnyStore`]: `use healing_store::prelude::*;` brings [`Store`] and its area
/// traits into scope.
pub mod prelude {
    pub use crate::contract::{
        AccountStore, AlertDeliveryStore, AppointmentStore, AuditStore, CaseloadStore, ChatStore,
        ClinicalStore, CommunityStore, MessagingStore, NotificationStore, SafetyPlanStore, Store,
        ToolRunStore,
    };
}

/// Whether the store may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// Reads and writes (the server).
    ReadWrite,
    /// Reads only, enforced by the database itself (the research bindings): SQLite
    /// opens the file read-only, PostgreSQL sets `default_transaction_read_only`.
    ReadOnly,
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// The keys that seal and open encrypted columns.
    pub cipher: Arc<FieldCipher>,
    /// Read-write or read-only.
    pub access: AccessMode,
    /// Pool size; `None` sizes it for this machine (see [`SqliteStore`] and
    /// [`PostgresStore`]).
    pub max_connections: Option<u32>,
    /// How raised alerts are delivered and escalated.
    pub alerting: AlertingPolicy,
    /// Whether notifications queue emails for the kinds people chose (the server
    /// sets it when SMTP is configured). Off, nothing is queued, so turning SMTP
    /// on later sends no stale emails.
    pub notification_email: bool,
}

impl ConnectOptions {
    /// Read-write, with the pool sized for the machine.
    pub fn new(cipher: Arc<FieldCipher>) -> Self {
        Self {
            cipher,
            access: AccessMode::ReadWrite,
            max_connections: None,
            alerting: AlertingPolicy::IN_APP_ONLY,
            notification_email: false,
        }
    }
}

/// Opens the store named by a database URL: `sqlite://path?mode=rwc` (or
/// `sqlite::memory:`) for SQLite, `postgres://…` or `postgresql://…` for PostgreSQL.
/// Does not migrate; call [`Store::migrate`].
pub async fn connect(url: &str, options: ConnectOptions) -> Result<AnyStore, Error> {
    if url.starts_with("sqlite:") {
        SqliteStore::connect(url, options)
            .await
            .map(AnyStore::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        PostgresStore::connect(url, options)
            .await
            .map(AnyStore::Postgres)
    } else {
        Err(Error::InvalidUrl {
            reason: "expected a url starting with sqlite:, postgres:// or postgresql://".to_owned(),
        })
    }
}

/// Opens a store that can only read, for research access.
pub async fn connect_read_only(url: &str, cipher: Arc<FieldCipher>) -> Result<AnyStore, Error> {
    connect(
        url,
        ConnectOptions {
            cipher,
            access: AccessMode::ReadOnly,
            max_connections: None,
            alerting: AlertingPolicy::IN_APP_ONLY,
            notification_email: false,
        },
    )
    .await
}
