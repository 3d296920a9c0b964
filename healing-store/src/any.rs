//! `AnyStore`: the one store the server holds, chosen at run time from `DATABASE_URL`.

use std::collections::HashMap;

use zeroize::Zeroizing;

use super::alerting::{
    AttemptOutcome, AttemptRecorded, ClaimedDelivery, Delivery, EscalationReport,
};
use super::audit::{AuditEntry, AuditRecord, AuditVerification};
use super::caseload::{CaseloadPage, CaseloadQuery};
use super::cipher::KeyId;
use super::community::{
    ChannelChange, CommunityChannel, CommunityItem, CommunityMember, CommunityPost,
    CommunityReason, CommunityReport, ModerationAction, PostTarget, PostingLimit, ReactionKind,
    Relation, ReportView,
};
use super::contract::{
    AccountStore, AlertDeliveryStore, AppointmentStore, AuditStore, CaseloadStore, ChatStore,
    ClinicalStore, CommunityStore, MessagingStore, NotificationStore, SafetyPlanStore, Store,
    ToolRunStore,
};
use super::notifications::Preferences;
use super::records::{
    Alert, AlertScope, AuditQuery, Backend, ChatMessage, ClinicalNote, CourseScope, Discharge,
    EncryptedColumn, EncryptionKeyRecord, ErasureReport, Inbox, JournalEntry, Link, LinkStatus,
    LoginSession, MessageThread, NewAssessment, NewChatReply, NewClinicalNote, NewCourse,
    NewDischarge, NewSafetyEvent, NewSession, NewTreatmentSession, NewUser, Page,
    PasswordCredentials, PasswordScheme, PetRecord, PostedMessage, RecoveryCodeUse, ResealBatch,
    ResearchPerson, Role, RotationReport, SafetyEvent, SafetyPlan, SafetyPlanProposal, Screened,
    SessionAccount, StoredAssessment, StoredMoodEntry, ThreadMessage, ThrottleKey, ThrottlePolicy,
    ThrottleState, TokenHash, ToolRun, TreatmentCourse, TreatmentSession, User, UserExport,
};
use super::records::{Appointment, AppointmentRules, ClaimedReminder, ReminderRecorded};
use super::records::{
    ClaimedNotificationEmail, Notification, NotificationPage, UserList, UserQuery,
};
use super::schedule::{Availability, Slot};
use super::{Error, PostgresStore, SqliteStore};
use healing_core::consent::ConsentEvent;
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::CourseEnding;
use healing_core::pet::PetState;
use healing_core::timestamp::Timestamp;

/// Either back end, chosen at run time.
///
/// The [`Store`] trait uses native `async fn` (declared as `impl Future + Send` so the
/// futures can be spawned), which makes it not object-safe: there is no
/// `Box<dyn Store>`. This enum is the dispatcher instead — no boxing or allocation per
/// call, and a `match` the compiler checks for both back ends. Code that wants one
/// back end only can use [`SqliteStore`] or [`PostgresStore`] directly, or be generic
/// over `S: Store`.
#[derive(Debug, Clone)]
pub enum AnyStore {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PostgresStore),
}

impl AnyStore {
    /// Closes every pooled connection.
    pub async fn close(&self) {
        match self {
            AnyStore::Sqlite(store) => store.close().await,
            AnyStore::Postgres(store) => store.close().await,
        }
    }

    /// How many times a connection has been taken from the pool since the store was
    /// opened (see [`SqliteStore::pool_acquisitions`]).
    pub fn pool_acquisitions(&self) -> u64 {
        match self {
            AnyStore::Sqlite(store) => store.pool_acquisitions(),
            AnyStore::Postgres(store) => store.pool_acquisitions(),
        }
    }
}

/// Writes store methods for [`AnyStore`] that forward to the back end.
macro_rules! forward {
    ($( fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $out:ty; )+) => {
        $(
            async fn $name(&self $(, $arg: $ty)*) -> Result<$out, Error> {
                match self {
                    AnyStore::Sqlite(store) => store.$name($($arg),*).await,
                    AnyStore::Postgres(store) => store.$name($($arg),*).await,
                }
            }
        )+
    };
}

impl Store for AnyStore {
    fn backend(&self) -> Backend {
        match self {
            AnyStore::Sqlite(store) => store.backend(),
            AnyStore::Postgres(store) => store.backend(),
        }
    }

    forward! {
        fn ping(&self) -> ();
        fn migrate(&self) -> ();
    }
}

impl AccountStore for AnyStore {
    forward! {
        fn create_user(&self, user: NewUser) -> User;
        fn user(&self, id: &PersonId) -> User;
        fn display_names(&self, ids: &[PersonId]) -> HashMap<PersonId, String>;
        fn user_by_username(&self, username: &str) -> Option<User>;
        fn user_by_email(&self, email: &str) -> Option<User>;
        fn list_users(&self, role: Option<Role>, page: Page) -> Vec<User>;
        fn password_credentials(&self, id: &PersonId) -> PasswordCredentials;
        fn set_password(&self, id: &PersonId, password_hash: &str, scheme: PasswordScheme) -> ();
        fn set_role(&self, id: &PersonId, role: Role) -> ();
        fn set_display_name(&self, id: &PersonId, display_name: &str) -> ();
        fn set_disabled(&self, id: &PersonId, at: Option<Timestamp>) -> ();
        fn disable_account(&self, actor: &PersonId, id: &PersonId, reason: &str, at: Timestamp) -> User;
        fn enable_account(&self, actor: &PersonId, id: &PersonId, reason: &str, at: Timestamp) -> User;
        fn search_users(&self, query: &UserQuery) -> UserList;
        fn set_totp_secret(&self, id: &PersonId, secret: &str) -> ();
        fn enable_totp(&self, id: &PersonId) -> ();
        fn disable_totp(&self, id: &PersonId) -> ();
        fn totp_secret(&self, id: &PersonId) -> Option<Zeroizing<String>>;
        fn accept_totp_step(&self, id: &PersonId, step: i64) -> bool;
        fn replace_recovery_codes(&self, id: &PersonId, code_hashes: &[TokenHash], at: Timestamp) -> ();
        fn use_recovery_code(&self, id: &PersonId, code_hash: &TokenHash, at: Timestamp) -> RecoveryCodeUse;
        fn unused_recovery_codes(&self, id: &PersonId) -> u32;
        fn create_session(&self, session: NewSession) -> ();
        fn session(&self, id_hash: &TokenHash) -> Option<LoginSession>;
        fn session_account(&self, id_hash: &TokenHash) -> Option<SessionAccount>;
        fn touch_session(&self, id_hash: &TokenHash, at: Timestamp) -> ();
        fn replace_session(&self, old_id_hash: &TokenHash, new_session: NewSession) -> ();
        fn delete_session(&self, id_hash: &TokenHash) -> ();
        fn delete_user_sessions(&self, user_id: &PersonId, keep: Option<&TokenHash>) -> u64;
        fn delete_expired_sessions(&self, now: Timestamp, idle_seconds: i64) -> u64;
        fn record_auth_failure(&self, key: &ThrottleKey, at: Timestamp, policy: ThrottlePolicy) -> ThrottleState;
        fn throttle_state(&self, key: &ThrottleKey, at: Timestamp) -> ThrottleState;
        fn clear_auth_failures(&self, key: &ThrottleKey) -> ();
        fn create_password_reset_token(&self, token_hash: &TokenHash, user_id: &PersonId, created_at: Timestamp, expires_at: Timestamp) -> ();
        fn password_reset_token_user(&self, token_hash: &TokenHash, at: Timestamp) -> Option<PersonId>;
        fn consume_password_reset_token(&self, token_hash: &TokenHash, at: Timestamp) -> Option<PersonId>;
    }
}

impl ClinicalStore for AnyStore {
    forward! {
        fn request_link(&self, clinician_id: &PersonId, patient_id: &PersonId, at: Timestamp) -> Link;
        fn set_link_status(&self, link_id: &str, status: LinkStatus, at: Timestamp) -> Link;
        fn link(&self, link_id: &str) -> Link;
        fn links_of_clinician(&self, clinician_id: &PersonId) -> Vec<Link>;
        fn links_of_patient(&self, patient_id: &PersonId) -> Vec<Link>;
        fn has_accepted_link(&self, clinician_id: &PersonId, patient_id: &PersonId) -> bool;
        fn append_consent_event(&self, event: &ConsentEvent) -> ();
        fn consent_events(&self, person_id: &PersonId) -> Vec<ConsentEvent>;
        fn add_mood_entry(&self, patient_id: &PersonId, entry: &MoodEntry, note: Option<&Screened>) -> StoredMoodEntry;
        fn mood_entries(&self, patient_id: &PersonId) -> Vec<StoredMoodEntry>;
        fn delete_mood_entry(&self, patient_id: &PersonId, entry_id: &str) -> ();
        fn add_assessment(&self, assessment: NewAssessment) -> StoredAssessment;
        fn assessments(&self, patient_id: &PersonId) -> Vec<StoredAssessment>;
        fn open_course(&self, course: NewCourse) -> TreatmentCourse;
        fn close_course(&self, course_id: &str, ending: CourseEnding, at: Timestamp) -> TreatmentCourse;
        fn course(&self, course_id: &str) -> TreatmentCourse;
        fn ended_courses(&self, scope: &CourseScope, from: Timestamp, until: Timestamp) -> Vec<TreatmentCourse>;
        fn courses(&self, patient_id: &PersonId) -> Vec<TreatmentCourse>;
        fn add_treatment_session(&self, session: NewTreatmentSession) -> TreatmentSession;
        fn treatment_sessions(&self, patient_id: &PersonId) -> Vec<TreatmentSession>;
        fn add_clinical_note(&self, note: &NewClinicalNote) -> ClinicalNote;
        fn amend_clinical_note(&self, note_id: &str, amendment: &NewClinicalNote) -> ClinicalNote;
        fn clinical_notes(&self, patient_id: &PersonId) -> Vec<ClinicalNote>;
        fn discharge(&self, discharge: &NewDischarge) -> Discharge;
        fn add_journal_entry(&self, patient_id: &PersonId, body: &Screened, written_at: Timestamp) -> JournalEntry;
        fn journal_entries(&self, patient_id: &PersonId) -> Vec<JournalEntry>;
        fn delete_journal_entry(&self, patient_id: &PersonId, entry_id: &str) -> ();
        fn record_safety_event(&self, event: NewSafetyEvent) -> SafetyEvent;
        fn safety_events(&self, patient_id: &PersonId) -> Vec<SafetyEvent>;
        fn alerts(&self, scope: &AlertScope, page: Page) -> Vec<Alert>;
        fn alert(&self, alert_id: &str) -> Alert;
        fn alerts_of_patient(&self, patient_id: &PersonId) -> Vec<Alert>;
        fn acknowledge_alert(&self, alert_id: &str, actor_id: &PersonId, at: Timestamp) -> Alert;
        fn resolve_alert(&self, alert_id: &str, actor_id: &PersonId, action: &str, at: Timestamp) -> Alert;
        fn put_pet_state(&self, patient_id: &PersonId, state: &PetState, at: Timestamp) -> ();
        fn step_pet(&self, patient_id: &PersonId, event: &healing_core::pet::Event, at: Timestamp) -> Option<healing_core::pet::Step>;
        fn pet_state(&self, patient_id: &PersonId) -> Option<PetRecord>;
    }
}

impl CaseloadStore for AnyStore {
    forward! {
        fn caseload(&self, clinician_id: &PersonId, query: &CaseloadQuery, at: Timestamp) -> CaseloadPage;
        fn mood_ratings_from(&self, patient_id: &PersonId, first_day: time::Date) -> Vec<MoodEntry>;
        fn safety_plan_updated_at(&self, patient_id: &PersonId) -> Option<Timestamp>;
    }
}

impl AlertDeliveryStore for AnyStore {
    forward! {
        fn escalate_due_alerts(&self, now: Timestamp) -> EscalationReport;
        fn claim_due_deliveries(&self, now: Timestamp, lease_seconds: i64, limit: u32) -> Vec<ClaimedDelivery>;
        fn record_delivery_attempt(&self, delivery_id: &str, attempt: u32, started_at: Timestamp, outcome: &AttemptOutcome, now: Timestamp) -> AttemptRecorded;
        fn deliveries_of_alert(&self, alert_id: &str) -> Vec<Delivery>;
    }

    async fn deliveries_queued(&self) {
        match self {
            AnyStore::Sqlite(store) => store.deliveries_queued().await,
            AnyStore::Postgres(store) => store.deliveries_queued().await,
        }
    }
}

impl MessagingStore for AnyStore {
    forward! {
        fn start_conversation(&self, sender: &PersonId, recipient: &PersonId, about: Option<&PersonId>, message: &Screened, at: Timestamp) -> PostedMessage;
        fn post_message(&self, thread_id: &str, sender: &PersonId, message: &Screened, at: Timestamp) -> ThreadMessage;
        fn message_thread(&self, thread_id: &str) -> MessageThread;
        fn inbox(&self, member: &PersonId, at: Timestamp, page: Page) -> Inbox;
        fn thread_messages(&self, thread_id: &str, reader: Option<&PersonId>, page: Page) -> Vec<ThreadMessage>;
        fn mark_thread_read(&self, thread_id: &str, member: &PersonId, through_seq: Option<i64>, at: Timestamp) -> MessageThread;
        fn hide_thread(&self, thread_id: &str, member: &PersonId) -> ();
    }
}

impl CommunityStore for AnyStore {
    forward! {
        fn create_channel(&self, admin: &PersonId, name: &str, description: &str, at: Timestamp) -> CommunityChannel;
        fn update_channel(&self, admin: &PersonId, channel_id: &str, change: ChannelChange, at: Timestamp) -> CommunityChannel;
        fn community_channels(&self, include_archived: bool) -> Vec<CommunityChannel>;
        fn community_channel(&self, channel_id: &str) -> CommunityChannel;
        fn community_member(&self, person_id: &PersonId) -> Option<CommunityMember>;
        fn set_pseudonym(&self, person_id: &PersonId, pseudonym: &str, at: Timestamp) -> CommunityMember;
        fn write_community_post(&self, author: &PersonId, target: PostTarget<'_>, text: &Screened, limit: PostingLimit, at: Timestamp) -> CommunityPost;
        fn community_post(&self, post_id: &str) -> CommunityPost;
        fn community_relation(&self, person_id: &PersonId, other: &PersonId) -> Option<Relation>;
        fn community_item(&self, post_id: &str, reader: &PersonId) -> CommunityItem;
        fn channel_page(&self, channel_id: &str, reader: &PersonId, page: Page) -> Vec<CommunityItem>;
        fn comments_page(&self, post_id: &str, reader: &PersonId, moderator: bool, page: Page) -> Vec<CommunityItem>;
        fn toggle_reaction(&self, post_id: &str, person_id: &PersonId, kind: ReactionKind, at: Timestamp) -> CommunityItem;
        fn set_relation(&self, person_id: &PersonId, member_id: &str, relation: Option<Relation>, at: Timestamp) -> CommunityMember;
        fn report_community_post(&self, post_id: &str, reporter: &PersonId, reason: CommunityReason, note: Option<&Screened>, at: Timestamp) -> CommunityReport;
        fn report_notes(&self, post_id: &str) -> Vec<ReportView>;
        fn moderation_queue(&self, moderator: &PersonId, page: Page) -> Vec<CommunityItem>;
        fn moderate_community_post(&self, post_id: &str, moderator: &PersonId, action: ModerationAction, reason: Option<CommunityReason>, at: Timestamp) -> CommunityPost;
        fn community_posts(&self, page: Page) -> Vec<CommunityPost>;
    }
}

impl AppointmentStore for AnyStore {
    forward! {
        fn availability(&self, clinician_id: &PersonId) -> Availability;
        fn set_availability(&self, clinician_id: &PersonId, availability: &Availability, at: Timestamp) -> Availability;
        fn open_slots(&self, clinician_id: &PersonId, first_day: jiff::civil::Date, last_day: jiff::civil::Date, now: Timestamp) -> Vec<Slot>;
        fn book_appointment(&self, patient_id: &PersonId, clinician_id: &PersonId, starts_at: Timestamp, rules: &AppointmentRules, at: Timestamp) -> Appointment;
        fn appointment(&self, appointment_id: &str) -> Appointment;
        fn appointments_of(&self, person: &PersonId, page: Page) -> Vec<Appointment>;
        fn cancel_appointment(&self, appointment_id: &str, by: &PersonId, rules: &AppointmentRules, at: Timestamp) -> Appointment;
        fn reschedule_appointment(&self, appointment_id: &str, by: &PersonId, starts_at: Timestamp, rules: &AppointmentRules, at: Timestamp) -> Appointment;
        fn record_attendance(&self, appointment_id: &str, by: &PersonId, attended: bool, at: Timestamp) -> Appointment;
        fn set_video_link(&self, appointment_id: &str, by: &PersonId, url: Option<&str>, at: Timestamp) -> Appointment;
        fn claim_due_reminders(&self, now: Timestamp, lease_seconds: i64, limit: u32) -> Vec<ClaimedReminder>;
        fn record_reminder_attempt(&self, reminder_id: &str, attempt: u32, sent: bool, now: Timestamp) -> ReminderRecorded;
        fn set_calendar_feed(&self, user_id: &PersonId, token_hash: &TokenHash, at: Timestamp) -> ();
        fn revoke_calendar_feed(&self, user_id: &PersonId) -> bool;
        fn calendar_feed_owner(&self, token_hash: &TokenHash) -> Option<PersonId>;
    }
}

impl ChatStore for AnyStore {
    forward! {
        fn add_chat_message(&self, patient_id: &PersonId, message: &Screened, model_may_read: bool, at: Timestamp) -> ChatMessage;
        fn add_chat_reply(&self, patient_id: &PersonId, reply: &NewChatReply, at: Timestamp) -> ChatMessage;
        fn chat_messages(&self, patient_id: &PersonId, page: Page) -> Vec<ChatMessage>;
        fn chat_context(&self, patient_id: &PersonId, limit: u32) -> Vec<ChatMessage>;
        fn withheld_chat_reply(&self, alert: &Alert) -> Option<String>;
    }
}

impl SafetyPlanStore for AnyStore {
    forward! {
        fn save_safety_plan(&self, patient_id: &PersonId, body: &str, screening: &Screened, at: Timestamp) -> SafetyPlan;
        fn safety_plan(&self, patient_id: &PersonId) -> Option<SafetyPlan>;
        fn safety_plan_versions(&self, patient_id: &PersonId, page: Page) -> Vec<SafetyPlan>;
        fn propose_safety_plan(&self, patient_id: &PersonId, clinician_id: &PersonId, body: &str, at: Timestamp) -> SafetyPlanProposal;
        fn safety_plan_proposals(&self, patient_id: &PersonId) -> Vec<SafetyPlanProposal>;
        fn safety_plan_proposal(&self, patient_id: &PersonId, proposal_id: &str) -> SafetyPlanProposal;
        fn accept_safety_plan_proposal(&self, patient_id: &PersonId, proposal_id: &str, screening: &Screened, at: Timestamp) -> SafetyPlan;
        fn decline_safety_plan_proposal(&self, patient_id: &PersonId, proposal_id: &str, at: Timestamp) -> SafetyPlanProposal;
    }
}

impl ToolRunStore for AnyStore {
    forward! {
        fn add_tool_run(&self, patient_id: &PersonId, tool_id: &str, body: &str, screening: &Screened, activity: Option<healing_core::pet::WellbeingActivity>, at: Timestamp) -> ToolRun;
        fn tool_runs(&self, patient_id: &PersonId, tool_id: &str, page: Page) -> Vec<ToolRun>;
        fn tools_used_since(&self, patient_id: &PersonId, since: Timestamp) -> Vec<String>;
    }
}

impl NotificationStore for AnyStore {
    forward! {
        fn notifications(&self, user_id: &PersonId, page: Page) -> NotificationPage;
        fn notification(&self, notification_id: &str) -> Notification;
        fn mark_notification_read(&self, notification_id: &str, user_id: &PersonId, at: Timestamp) -> Notification;
        fn mark_all_notifications_read(&self, user_id: &PersonId, at: Timestamp) -> u64;
        fn preferences(&self, user_id: &PersonId) -> Preferences;
        fn set_preferences(&self, user_id: &PersonId, preferences: &Preferences, at: Timestamp) -> Preferences;
        fn claim_due_notification_emails(&self, now: Timestamp, lease_seconds: i64, limit: u32) -> Vec<ClaimedNotificationEmail>;
        fn record_notification_email(&self, email_id: &str, attempt: u32, outcome: &AttemptOutcome, now: Timestamp) -> AttemptRecorded;
    }
}

impl AuditStore for AnyStore {
    forward! {
        fn append_audit(&self, entry: AuditEntry) -> AuditRecord;
        fn audit_entries(&self, query: AuditQuery) -> Vec<AuditRecord>;
        fn audit_head_seq(&self) -> Option<i64>;
        fn verify_audit(&self) -> AuditVerification;
        fn record_key(&self, key_id: &KeyId, at: Timestamp) -> ();
        fn retire_key(&self, key_id: &KeyId, at: Timestamp) -> ();
        fn encryption_keys(&self) -> Vec<EncryptionKeyRecord>;
        fn reseal_batch(&self, column: EncryptedColumn, after: Option<&str>, limit: u32) -> ResealBatch;
        fn export_user_data(&self, user_id: &PersonId) -> UserExport;
        fn erase_user(&self, user_id: &PersonId, actor_id: Option<&PersonId>, reason: Option<&str>, at: Timestamp) -> ErasureReport;
        fn research_people(&self, page: Page) -> Vec<ResearchPerson>;
    }
}

/// Re-seals every encrypted value that is not under the key ring's current key, column
/// by column in batches of 100 rows, each batch its own short transaction — so the
/// server keeps serving while it runs, and an interrupted rotation resumes where it
/// stopped when run again.
///
/// The key-rotation procedure: start the store with a [`KeyRing`](super::KeyRing)
/// whose current key is the new one and which still holds the old one
/// ([`KeyRing::with_old_key`](super::KeyRing::with_old_key)),
/// [`AuditStore::record_key`] the new id, run this, then [`AuditStore::retire_key`] the
/// old id and drop it from the ring.
pub async fn rotate_keys<S: Store>(store: &S) -> Result<RotationReport, Error> {
    const BATCH: u32 = 100;
    let mut report = RotationReport::default();
    for &column in EncryptedColumn::ALL {
        let mut after: Option<String> = None;
        loop {
            let batch = store.reseal_batch(column, after.as_deref(), BATCH).await?;
            report.checked += batch.checked;
            report.resealed += batch.resealed;
            match batch.next_after {
                Some(next) => after = Some(next),
                None => break,
            }
        }
    }
    Ok(report)
}
