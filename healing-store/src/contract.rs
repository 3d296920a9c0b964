//! The `Store` trait and its area traits: every read and write the server and the
//! research bindings make.

use std::collections::HashMap;
use std::future::Future;

use zeroize::Zeroizing;

use super::Error;
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
use super::notifications::Preferences;
use super::records::{
    Alert, AlertScope, AuditQuery, Backend, ChatMessage, ClinicalNote, CourseScope, Discharge,
    EncryptedColumn, EncryptionKeyRecord, ErasureReport, Inbox, JournalEntry, Link, LinkStatus,
    LoginSession, MessageThread, NewAssessment, NewChatReply, NewClinicalNote, NewCourse,
    NewDischarge, NewSafetyEvent, NewSession, NewTreatmentSession, NewUser, Page,
    PasswordCredentials, PasswordScheme, PetRecord, PostedMessage, RecoveryCodeUse, ResealBatch,
    ResearchPerson, Role, SafetyEvent, SafetyPlan, SafetyPlanProposal, Screened, SessionAccount,
    StoredAssessment, StoredMoodEntry, ThreadMessage, ThrottleKey, ThrottlePolicy, ThrottleState,
    TokenHash, ToolRun, TreatmentCourse, TreatmentSession, User, UserExport,
};
use super::records::{Appointment, AppointmentRules, ClaimedReminder, ReminderRecorded};
use super::records::{
    ClaimedNotificationEmail, Notification, NotificationPage, UserList, UserQuery,
};
use super::schedule::{Availability, Slot};
use healing_core::consent::ConsentEvent;
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::CourseEnding;
use healing_core::pet::PetState;
use healing_core::timestamp::Timestamp;

/// Storage for the server and the research bindings.
///
/// Implemented by [`SqliteStore`](super::SqliteStore) and
/// [`PostgresStore`](super::PostgresStore) with the same SQL where the dialects agree,
/// and by [`AnyStore`](super::AnyStore), which holds either one chosen at run time from
/// the database URL. Methods return `Send` futures, so the server can call them from
/// any tokio task.
///
/// Every write is one transaction: it happens whole or not at all. Methods that look a
/// row up by id return [`Error::NotFound`] when it is absent; `Option` is returned where
/// absence is an ordinary answer (for example a username that is not taken). Times come
/// in as arguments: the store reads no clock.
///
/// The methods are grouped by area into the supertraits [`AccountStore`],
/// [`ClinicalStore`], [`CaseloadStore`], [`AlertDeliveryStore`], [`MessagingStore`],
/// [`CommunityStore`], [`ChatStore`], [`SafetyPlanStore`], [`ToolRunStore`], [`NotificationStore`], [`AppointmentStore`] and [`AuditStore`]; `Store` itself holds only the
/// database's own.
/// Generic code bounds on `Store`; code calling methods on a concrete store imports
/// [`prelude`](crate::prelude)`::*`, which brings all eleven into scope.
pub trait Store:
    AccountStore
    + ClinicalStore
    + CaseloadStore
    + AlertDeliveryStore
    + MessagingStore
    + CommunityStore
    + ChatStore
    + SafetyPlanStore
    + ToolRunStore
    + NotificationStore
    + AppointmentStore
    + AuditStore
    + Send
    + Sync
{
    // ---- the database ----

    /// Which database this is.
    fn backend(&self) -> Backend;

    /// Checks that the database answers (for `/api/health`).
    fn ping(&self) -> impl Future<Output = Result<(), Error>> + Send;

    /// Applies the embedded migrations that are not yet applied. Between migration 0007
    /// and 0008 it seals the questionnaire results and course problems written in clear
    /// by older builds; when 0008 has just dropped the clear columns of stored rows, it
    /// rewrites the database (SQLite `VACUUM`, PostgreSQL `VACUUM FULL` of the two
    /// tables, which locks them while it runs) so the old values leave the files too.
    fn migrate(&self) -> impl Future<Output = Result<(), Error>> + Send;
}

/// Accounts and sign-in: users, two-factor secrets and recovery codes, login sessions,
/// sign-in throttling and password-reset tokens. Part of [`Store`].
pub trait AccountStore: Send + Sync {
    // ---- users ----

    /// Creates an account and returns it. Fails with [`Error::Conflict`] naming
    /// `username` or `email` if either is taken.
    fn create_user(&self, user: NewUser) -> impl Future<Output = Result<User, Error>> + Send;

    /// The account with this id.
    fn user(&self, id: &PersonId) -> impl Future<Output = Result<User, Error>> + Send;

    /// The display names of the accounts with these ids, in one query; an id with no
    /// account is left out.
    fn display_names(
        &self,
        ids: &[PersonId],
    ) -> impl Future<Output = Result<HashMap<PersonId, String>, Error>> + Send;

    /// The account with this username, if any.
    fn user_by_username(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<Option<User>, Error>> + Send;

    /// The account with this email (compared lower-cased), if any.
    fn user_by_email(
        &self,
        email: &str,
    ) -> impl Future<Output = Result<Option<User>, Error>> + Send;

    /// Accounts, oldest first, optionally only of one role.
    fn list_users(
        &self,
        role: Option<Role>,
        page: Page,
    ) -> impl Future<Output = Result<Vec<User>, Error>> + Send;

    /// The password hash of an account, to check a sign-in.
    fn password_credentials(
        &self,
        id: &PersonId,
    ) -> impl Future<Output = Result<PasswordCredentials, Error>> + Send;

    /// Replaces an account's password hash (a change, a reset, or the upgrade of a
    /// legacy hash to Argon2id).
    fn set_password(
        &self,
        id: &PersonId,
        password_hash: &str,
        scheme: PasswordScheme,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Changes an account's role.
    fn set_role(&self, id: &PersonId, role: Role)
    -> impl Future<Output = Result<(), Error>> + Send;

    /// Changes an account's display name.
    fn set_display_name(
        &self,
        id: &PersonId,
        display_name: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Disables an account from `at`, or re-enables it with `None`.
    fn set_disabled(
        &self,
        id: &PersonId,
        at: Option<Timestamp>,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// An admin disables an account, in one transaction: marks it disabled, deletes
    /// every session of it (so it is signed out at once), cancels its pending
    /// notification emails, and audits `account_disabled` with `actor`, `reason`
    /// and the sessions ended. [`Error::AccountState`] if it is disabled already.
    fn disable_account(
        &self,
        actor: &PersonId,
        id: &PersonId,
        reason: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<User, Error>> + Send;

    /// An admin re-enables a disabled account (the person signs in again), audited
    /// as `account_enabled` with `actor` and `reason` in the same transaction.
    /// [`Error::AccountState`] if it is not disabled.
    fn enable_account(
        &self,
        actor: &PersonId,
        id: &PersonId,
        reason: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<User, Error>> + Send;

    /// Accounts matching `query`, oldest first, with how many match. Display names
    /// are sealed, so the text filter opens them: the role and disabled filters
    /// run in SQL first.
    fn search_users(
        &self,
        query: &UserQuery,
    ) -> impl Future<Output = Result<UserList, Error>> + Send;

    // ---- two-factor ----

    /// Stores a new TOTP secret (base32 text, encrypted at rest), not yet enabled.
    fn set_totp_secret(
        &self,
        id: &PersonId,
        secret: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Marks the stored TOTP secret as confirmed; sign-in then requires a code.
    fn enable_totp(&self, id: &PersonId) -> impl Future<Output = Result<(), Error>> + Send;

    /// Removes the TOTP secret and every recovery code.
    fn disable_totp(&self, id: &PersonId) -> impl Future<Output = Result<(), Error>> + Send;

    /// The stored TOTP secret, if any.
    fn totp_secret(
        &self,
        id: &PersonId,
    ) -> impl Future<Output = Result<Option<Zeroizing<String>>, Error>> + Send;

    /// Records `step` (an RFC 6238 time step) as the last TOTP step accepted for the
    /// account, atomically and only if it is greater than the one stored: `true` if
    /// it was recorded (the code may be accepted), `false` if this or a later step
    /// was already accepted (a replay). One conditional `UPDATE`, so of concurrent
    /// attempts with the same step, in any number of processes sharing the
    /// database, exactly one gets `true`. An unknown user gets `false`.
    fn accept_totp_step(
        &self,
        id: &PersonId,
        step: i64,
    ) -> impl Future<Output = Result<bool, Error>> + Send;

    /// Replaces every recovery code of an account with these (hashed) codes.
    fn replace_recovery_codes(
        &self,
        id: &PersonId,
        code_hashes: &[TokenHash],
        at: Timestamp,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Spends an unused recovery code, atomically: a code is accepted at most once
    /// even under concurrent attempts.
    fn use_recovery_code(
        &self,
        id: &PersonId,
        code_hash: &TokenHash,
        at: Timestamp,
    ) -> impl Future<Output = Result<RecoveryCodeUse, Error>> + Send;

    /// How many unused recovery codes an account has.
    fn unused_recovery_codes(
        &self,
        id: &PersonId,
    ) -> impl Future<Output = Result<u32, Error>> + Send;

    // ---- sessions ----

    /// Stores a new session.
    fn create_session(&self, session: NewSession)
    -> impl Future<Output = Result<(), Error>> + Send;

    /// The session with this id hash, if any (expiry is the server's check).
    fn session(
        &self,
        id_hash: &TokenHash,
    ) -> impl Future<Output = Result<Option<LoginSession>, Error>> + Send;

    /// The session with this id hash and what a request's authorisation needs of its
    /// account (role, two-factor state, whether disabled), in one query: every
    /// authenticated request starts here, so it is one round trip, and no sealed
    /// column is opened.
    fn session_account(
        &self,
        id_hash: &TokenHash,
    ) -> impl Future<Output = Result<Option<SessionAccount>, Error>> + Send;

    /// Records activity on a session (for idle expiry).
    fn touch_session(
        &self,
        id_hash: &TokenHash,
        at: Timestamp,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Replaces a session with a new one in one transaction (a new id at privilege
    /// change, for example after the second factor).
    fn replace_session(
        &self,
        old_id_hash: &TokenHash,
        new_session: NewSession,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Deletes one session (logout).
    fn delete_session(&self, id_hash: &TokenHash)
    -> impl Future<Output = Result<(), Error>> + Send;

    /// Deletes every session of a user except `keep` (logout everywhere, or after a
    /// password change); returns how many were deleted.
    fn delete_user_sessions(
        &self,
        user_id: &PersonId,
        keep: Option<&TokenHash>,
    ) -> impl Future<Output = Result<u64, Error>> + Send;

    /// Deletes sessions past their absolute expiry or idle for more than
    /// `idle_seconds` at `now`; returns how many.
    fn delete_expired_sessions(
        &self,
        now: Timestamp,
        idle_seconds: i64,
    ) -> impl Future<Output = Result<u64, Error>> + Send;

    // ---- sign-in throttling ----

    /// Counts one failure and returns the new state, locking the key out when the
    /// policy's limit is reached within its window. One transaction.
    fn record_auth_failure(
        &self,
        key: &ThrottleKey,
        at: Timestamp,
        policy: ThrottlePolicy,
    ) -> impl Future<Output = Result<ThrottleState, Error>> + Send;

    /// The current state of a key at `at` (an expired lockout reads as unlocked).
    fn throttle_state(
        &self,
        key: &ThrottleKey,
        at: Timestamp,
    ) -> impl Future<Output = Result<ThrottleState, Error>> + Send;

    /// Forgets a key's failures (after a successful sign-in).
    fn clear_auth_failures(
        &self,
        key: &ThrottleKey,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    // ---- password reset ----

    /// Stores a single-use reset token's hash.
    fn create_password_reset_token(
        &self,
        token_hash: &TokenHash,
        user_id: &PersonId,
        created_at: Timestamp,
        expires_at: Timestamp,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// The user of a reset token that is unused and unexpired at `at`, without
    /// spending it (to check a new password against the account before the
    /// token is spent by [`AccountStore::consume_password_reset_token`]).
    fn password_reset_token_user(
        &self,
        token_hash: &TokenHash,
        at: Timestamp,
    ) -> impl Future<Output = Result<Option<PersonId>, Error>> + Send;

    /// Spends a reset token, atomically: returns its user if the token exists, is
    /// unused and unexpired at `at`, and marks it used; otherwise `None`.
    fn consume_password_reset_token(
        &self,
        token_hash: &TokenHash,
        at: Timestamp,
    ) -> impl Future<Output = Result<Option<PersonId>, Error>> + Send;
}

/// Clinical records: clinician–patient links, consent, moods, questionnaires, treatment
/// courses and sessions, journals, safety plans, safety events, pets and alerts. Part
/// of [`Store`].
pub trait ClinicalStore: Send + Sync {
    // ---- clinician–patient links ----

    /// Records a link request, after checking it against every link of the pair in
    /// the same transaction ([`check_link_request`](crate::check_link_request)):
    /// [`Error::LinkRefused`] while a request waits or the pair is linked, and for
    /// [`DECLINE_COOLDOWN_SECONDS`](crate::DECLINE_COOLDOWN_SECONDS) after a decline.
    fn request_link(
        &self,
        clinician_id: &PersonId,
        patient_id: &PersonId,
        at: Timestamp,
    ) -> impl Future<Output = Result<Link, Error>> + Send;

    /// Moves a link to a new state and returns it; [`Error::LinkRefused`] when the
    /// move is not allowed ([`check_link_move`](crate::check_link_move): a request
    /// is accepted or declined, an accepted link is ended, nothing else), checked in
    /// the same transaction with the link's row locked. Ending is the patient's
    /// move (a clinician ends a link by discharge): it cancels their appointments
    /// with the clinician that have not started, as cancelled by the patient.
    fn set_link_status(
        &self,
        link_id: &str,
        status: LinkStatus,
        at: Timestamp,
    ) -> impl Future<Output = Result<Link, Error>> + Send;

    /// The link with this id.
    fn link(&self, link_id: &str) -> impl Future<Output = Result<Link, Error>> + Send;

    /// Every link of a clinician, newest first.
    fn links_of_clinician(
        &self,
        clinician_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<Link>, Error>> + Send;

    /// Every link of a patient, newest first.
    fn links_of_patient(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<Link>, Error>> + Send;

    /// Whether an accepted link joins this clinician and patient (the policy layer's
    /// question).
    fn has_accepted_link(
        &self,
        clinician_id: &PersonId,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<bool, Error>> + Send;

    // ---- consent ----

    /// Appends a consent decision to the person's ledger, after replaying the ledger
    /// and checking the decision against it in the same transaction:
    /// [`Error::ConsentRefused`] when the ledger refuses it, so concurrent decisions
    /// can never leave a ledger that does not replay.
    fn append_consent_event(
        &self,
        event: &ConsentEvent,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// A person's consent decisions in the order recorded (feed them to
    /// [`healing_core::consent::Ledger::replay`]).
    fn consent_events(
        &self,
        person_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<ConsentEvent>, Error>> + Send;

    // ---- moods ----

    /// Stores a mood entry (its note encrypted). A note must come screened: `note` is
    /// the entry's note with its screening ([`Error::InvalidInput`] naming `note`
    /// when they differ). In the same transaction the screening's safety event is
    /// stored and, at medium risk and above or when screening failed, an alert is
    /// raised and routed (see [`ClinicalStore::alerts`]).
    fn add_mood_entry(
        &self,
        patient_id: &PersonId,
        entry: &MoodEntry,
        note: Option<&Screened>,
    ) -> impl Future<Output = Result<StoredMoodEntry, Error>> + Send;

    /// A patient's mood entries by day, then recording time.
    fn mood_entries(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<StoredMoodEntry>, Error>> + Send;

    /// Deletes one of the patient's mood entries.
    fn delete_mood_entry(
        &self,
        patient_id: &PersonId,
        entry_id: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    // ---- assessments and treatment ----

    /// Stores a questionnaire result. A risk flag (self-harm thoughts or a C-SSRS
    /// triage level) raises an alert in the same transaction, whatever the total.
    fn add_assessment(
        &self,
        assessment: NewAssessment,
    ) -> impl Future<Output = Result<StoredAssessment, Error>> + Send;

    /// A patient's questionnaire results, oldest first.
    fn assessments(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<StoredAssessment>, Error>> + Send;

    /// Opens a course of treatment, after checking in the same transaction, with the
    /// patient's row locked, that the clinician has no open course with the patient
    /// ([`check_course_opened`](crate::check_course_opened)):
    /// [`Error::CourseRefused`] otherwise, so of concurrent opens exactly one succeeds.
    fn open_course(
        &self,
        course: NewCourse,
    ) -> impl Future<Output = Result<TreatmentCourse, Error>> + Send;

    /// Closes an open course with its ending, and stores the outcome of its attended
    /// sessions, in one transaction with the course's row locked;
    /// [`Error::CourseRefused`] when it is already closed.
    fn close_course(
        &self,
        course_id: &str,
        ending: CourseEnding,
        at: Timestamp,
    ) -> impl Future<Output = Result<TreatmentCourse, Error>> + Send;

    /// The course with this id.
    fn course(
        &self,
        course_id: &str,
    ) -> impl Future<Output = Result<TreatmentCourse, Error>> + Send;

    /// Courses closed from `from` up to, not including, `until`, in scope, oldest
    /// closing first (the service outcomes report).
    fn ended_courses(
        &self,
        scope: &CourseScope,
        from: Timestamp,
        until: Timestamp,
    ) -> impl Future<Output = Result<Vec<TreatmentCourse>, Error>> + Send;

    /// A patient's courses, oldest first.
    fn courses(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<TreatmentCourse>, Error>> + Send;

    /// Records an appointment and the measures taken at it (sealed), and stores the
    /// course's new outcome, in one transaction with the course's row locked.
    /// [`Error::CourseRefused`] when the course is closed, when scores come with an
    /// appointment not attended, or when healing-core refuses the course with it (a
    /// score out of range, a session not after the one before): see
    /// [`check_session_added`](crate::check_session_added) and
    /// [`course_of`](crate::course_of).
    fn add_treatment_session(
        &self,
        session: NewTreatmentSession,
    ) -> impl Future<Output = Result<TreatmentSession, Error>> + Send;

    /// A patient's appointments, oldest first.
    fn treatment_sessions(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<TreatmentSession>, Error>> + Send;

    // ---- clinical notes (encrypted, versioned) ----

    /// Writes a clinical note as version 1 of a new note (body encrypted). If the
    /// note asks for it, what its screening finds raises an alert in the same
    /// transaction, as [`ClinicalStore::add_mood_entry`] does for a note; otherwise
    /// nothing but the note is stored. A `session_id` must be a session of the patient.
    fn add_clinical_note(
        &self,
        note: &NewClinicalNote,
    ) -> impl Future<Output = Result<ClinicalNote, Error>> + Send;

    /// Amends a note: writes the next version, which supersedes the latest and keeps
    /// the note's session; every earlier version stays. [`Error::NotFound`] when the
    /// patient has no such note; [`Error::Conflict`] on `version` when another
    /// amendment was written at the same moment.
    fn amend_clinical_note(
        &self,
        note_id: &str,
        amendment: &NewClinicalNote,
    ) -> impl Future<Output = Result<ClinicalNote, Error>> + Send;

    /// Every version of every clinical note about a patient, notes in the order first
    /// written, versions in order.
    fn clinical_notes(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<ClinicalNote>, Error>> + Send;

    /// Discharges a patient from a clinician in one transaction: ends their accepted
    /// link ([`Error::LinkRefused`] or [`Error::NotFound`] when there is none), closes
    /// the clinician's open course with them (if any) with its ending and outcome,
    /// writes the reason as a clinical note, and audits `patient_discharged`.
    fn discharge(
        &self,
        discharge: &NewDischarge,
    ) -> impl Future<Output = Result<Discharge, Error>> + Send;

    // ---- journal and safety plan (encrypted) ----

    /// Stores a screened journal entry (body encrypted), its safety event and any
    /// alert in one transaction, as [`ClinicalStore::add_mood_entry`] does for a note.
    fn add_journal_entry(
        &self,
        patient_id: &PersonId,
        body: &Screened,
        written_at: Timestamp,
    ) -> impl Future<Output = Result<JournalEntry, Error>> + Send;

    /// A patient's journal, oldest first.
    fn journal_entries(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<JournalEntry>, Error>> + Send;

    /// Deletes one of the patient's journal entries.
    fn delete_journal_entry(
        &self,
        patient_id: &PersonId,
        entry_id: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    // ---- safety events and pets ----

    /// Records a risk flag (no text).
    fn record_safety_event(
        &self,
        event: NewSafetyEvent,
    ) -> impl Future<Output = Result<SafetyEvent, Error>> + Send;

    /// A patient's safety events, oldest first.
    fn safety_events(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<SafetyEvent>, Error>> + Send;

    /// Stores or replaces a patient's pet state.
    fn put_pet_state(
        &self,
        patient_id: &PersonId,
        state: &PetState,
        at: Timestamp,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Applies a pet event (feed, play, shop, …) to the patient's pet in one
    /// transaction with its row locked; `None` when the patient has no pet, and
    /// [`Error::InvalidInput`] (field `event`) when the pet engine refuses it.
    /// Wellbeing rewards are not sent this way: the store credits them in the
    /// transaction that stores the activity (a mood entry, a questionnaire, a
    /// safety-plan version), within the pet engine's daily caps.
    fn step_pet(
        &self,
        patient_id: &PersonId,
        event: &healing_core::pet::Event,
        at: Timestamp,
    ) -> impl Future<Output = Result<Option<healing_core::pet::Step>, Error>> + Send;

    /// A patient's pet state, if any.
    fn pet_state(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Option<PetRecord>, Error>> + Send;

    // ---- alerts ----

    /// Alerts in scope, open first, then acknowledged, then resolved; within each
    /// state most severe first, then oldest first.
    fn alerts(
        &self,
        scope: &AlertScope,
        page: Page,
    ) -> impl Future<Output = Result<Vec<Alert>, Error>> + Send;

    /// The alert with this id.
    fn alert(&self, alert_id: &str) -> impl Future<Output = Result<Alert, Error>> + Send;

    /// Every alert about a patient, whatever its state, oldest first (the GDPR
    /// export reads which of the patient's safety events were resolved).
    fn alerts_of_patient(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<Alert>, Error>> + Send;

    /// Moves an open alert to acknowledged and audits it, in one transaction;
    /// [`Error::Conflict`] naming `state` when it is not open (so of concurrent
    /// acknowledgements exactly one wins).
    fn acknowledge_alert(
        &self,
        alert_id: &str,
        actor_id: &PersonId,
        at: Timestamp,
    ) -> impl Future<Output = Result<Alert, Error>> + Send;

    /// Moves an open or acknowledged alert to resolved with the action taken
    /// (encrypted) and audits it, in one transaction; [`Error::Conflict`] naming
    /// `state` when it is already resolved.
    fn resolve_alert(
        &self,
        alert_id: &str,
        actor_id: &PersonId,
        action: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<Alert, Error>> + Send;
}

/// A clinician's reads across their patients: the caseload, and what one patient's
/// summary needs beyond [`ClinicalStore`]'s lists. Part of [`Store`].
pub trait CaseloadStore: Send + Sync {
    /// The clinician's caseload at `at`: every patient with an accepted link to them
    /// whose `clinician_sharing` consent is in force
    /// ([`sharing_in_force`](crate::sharing_in_force), the policy layer's rule), each
    /// with their latest PHQ-9 and GAD-7 and change, open alerts, last activity and
    /// course state; filtered, searched, ordered by risk and paged by
    /// [`select_caseload`](crate::select_caseload). A fixed number of queries
    /// whatever the caseload's size; names and NHS numbers are decrypted in the
    /// store and searched after decryption, only for patients the clinician may see.
    fn caseload(
        &self,
        clinician_id: &PersonId,
        query: &CaseloadQuery,
        at: Timestamp,
    ) -> impl Future<Output = Result<CaseloadPage, Error>> + Send;

    /// A patient's mood ratings for `first_day` and later, by day then recording
    /// time, without their notes (which stay sealed): what a mood summary reads.
    fn mood_ratings_from(
        &self,
        patient_id: &PersonId,
        first_day: time::Date,
    ) -> impl Future<Output = Result<Vec<MoodEntry>, Error>> + Send;

    /// When the patient's safety plan last changed, if they have one (its body
    /// stays sealed).
    fn safety_plan_updated_at(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Option<Timestamp>, Error>> + Send;
}

/// What happens to alerts after they are raised: escalation of those nobody
/// acknowledged in time, and the outbox of emails and webhook calls about them
/// (see [`crate::AlertingPolicy`] for who is told through which channel). Part of
/// [`Store`]. Safe to call from several processes on one database: each alert is
/// escalated, and each delivery claimed, by one of them.
pub trait AlertDeliveryStore: Send + Sync {
    /// Escalates every open alert whose deadline has passed by `now`: one level
    /// up, its next contacts' deliveries written, its next deadline set and the
    /// escalation audited, all in one transaction.
    fn escalate_due_alerts(
        &self,
        now: Timestamp,
    ) -> impl Future<Output = Result<EscalationReport, Error>> + Send;

    /// Claims up to `limit` deliveries that are due and not held by another
    /// worker, for `lease_seconds`: each claim counts as an attempt. A claim that
    /// lapses without [`AlertDeliveryStore::record_delivery_attempt`] (the worker
    /// crashed) is claimed again after the lease.
    fn claim_due_deliveries(
        &self,
        now: Timestamp,
        lease_seconds: i64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<ClaimedDelivery>, Error>> + Send;

    /// Records how attempt number `attempt` went and moves the delivery on:
    /// delivered; due again after a backoff with jitter; or, after the last
    /// attempt, given up with a "delivery failed" alert raised to the duty contact
    /// in the same transaction.
    fn record_delivery_attempt(
        &self,
        delivery_id: &str,
        attempt: u32,
        started_at: Timestamp,
        outcome: &AttemptOutcome,
        now: Timestamp,
    ) -> impl Future<Output = Result<AttemptRecorded, Error>> + Send;

    /// The deliveries about one alert, oldest first.
    fn deliveries_of_alert(
        &self,
        alert_id: &str,
    ) -> impl Future<Output = Result<Vec<Delivery>, Error>> + Send;

    /// Resolves once a write through this store has committed an alert with its
    /// deliveries since the last wait (at once if one did while nobody waited), so
    /// the worker sends it now rather than at its next poll. Only a wake-up: the
    /// outbox rows are the record, and deliveries queued by another process are
    /// found by the worker's poll.
    fn deliveries_queued(&self) -> impl Future<Output = ()> + Send;
}

/// Messaging: conversations between patients and their care team. Part of [`Store`].
pub trait MessagingStore: Send + Sync {
    // ---- conversations between patients and their care team (encrypted) ----

    /// Stores `message` from `sender` to `recipient` in their conversation about
    /// `about` (for two clinicians; between a patient and a clinician it is the
    /// patient, and `about`, if given, must be them), starting the conversation if
    /// the pair has none about that patient. The members are checked by
    /// [`check_members`](crate::check_members) against the links and consent in
    /// force at `at`, in the write's transaction ([`Error::MessageRefused`]). A
    /// patient's message is stored with its safety event and any alert (source
    /// [`AlertSource::Message`](crate::AlertSource::Message)) in the same
    /// transaction, as [`ClinicalStore::add_journal_entry`] does; a clinician's
    /// raises nothing.
    fn start_conversation(
        &self,
        sender: &PersonId,
        recipient: &PersonId,
        about: Option<&PersonId>,
        message: &Screened,
        at: Timestamp,
    ) -> impl Future<Output = Result<PostedMessage, Error>> + Send;

    /// Stores `message` as the next message of the conversation, checked and
    /// screened as in [`start_conversation`](Self::start_conversation); a sender who
    /// is not a member is [`Error::MessageRefused`].
    fn post_message(
        &self,
        thread_id: &str,
        sender: &PersonId,
        message: &Screened,
        at: Timestamp,
    ) -> impl Future<Output = Result<ThreadMessage, Error>> + Send;

    /// The conversation with its members' read and delete positions.
    fn message_thread(
        &self,
        thread_id: &str,
    ) -> impl Future<Output = Result<MessageThread, Error>> + Send;

    /// A page of `member`'s conversations, latest message first, with unread counts,
    /// leaving out those they deleted (until a new message comes) and, for a
    /// clinician, those about a patient they may not see at `at`. Three queries
    /// whatever the number of conversations.
    fn inbox(
        &self,
        member: &PersonId,
        at: Timestamp,
        page: Page,
    ) -> impl Future<Output = Result<Inbox, Error>> + Send;

    /// A page of the conversation, newest first: as `reader` sees it (without what
    /// they deleted), or every message when `reader` is `None` (an admin's
    /// break-glass read).
    fn thread_messages(
        &self,
        thread_id: &str,
        reader: Option<&PersonId>,
        page: Page,
    ) -> impl Future<Output = Result<Vec<ThreadMessage>, Error>> + Send;

    /// Marks the conversation read by `member` up to `through_seq` (its latest
    /// message when `None`) at `at`; never moves their position back. Once they
    /// have read it all, their unread notification of it is read too. Returns the
    /// conversation as it now stands.
    fn mark_thread_read(
        &self,
        thread_id: &str,
        member: &PersonId,
        through_seq: Option<i64>,
        at: Timestamp,
    ) -> impl Future<Output = Result<MessageThread, Error>> + Send;

    /// Deletes the conversation for `member` only: they no longer see its messages
    /// so far (it comes back with the next new message); the other member still
    /// sees all of them.
    fn hide_thread(
        &self,
        thread_id: &str,
        member: &PersonId,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

/// The AI companion chat: the patient's messages and the companion's replies, each
/// sealed, in one numbered conversation per patient. Part of [`Store`].
pub trait ChatStore: Send + Sync {
    /// Stores the patient's screened message (body encrypted) as the next message of
    /// their conversation, with its safety event and any alert (source
    /// [`AlertSource::Chat`](crate::AlertSource::Chat)) in one transaction, as
    /// [`ClinicalStore::add_journal_entry`] does. `model_may_read` says whether it may
    /// ever be sent to the model (the caller's consent and safety decision at the
    /// time of writing; it is never changed later).
    fn add_chat_message(
        &self,
        patient_id: &PersonId,
        message: &Screened,
        model_may_read: bool,
        at: Timestamp,
    ) -> impl Future<Output = Result<ChatMessage, Error>> + Send;

    /// Stores a companion reply as the next message of the patient's conversation
    /// (body encrypted). When it replaces a withheld model reply, that reply's
    /// screening (a safety event and an alert for review) and its text (sealed,
    /// read only through the alert) are stored in the same transaction.
    fn add_chat_reply(
        &self,
        patient_id: &PersonId,
        reply: &NewChatReply,
        at: Timestamp,
    ) -> impl Future<Output = Result<ChatMessage, Error>> + Send;

    /// A page of the patient's conversation, newest first.
    fn chat_messages(
        &self,
        patient_id: &PersonId,
        page: Page,
    ) -> impl Future<Output = Result<Vec<ChatMessage>, Error>> + Send;

    /// The latest `limit` messages of the patient's conversation that may be sent to
    /// the model, oldest first (what the model is shown as context). A message
    /// written without `ai_chat` consent is never among them.
    fn chat_context(
        &self,
        patient_id: &PersonId,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<ChatMessage>, Error>> + Send;

    /// The model reply withheld by screening that `alert` was raised for, for
    /// its reviewer; `None` for any other alert (or once the conversation was
    /// erased). The caller decides who may read the alert.
    fn withheld_chat_reply(
        &self,
        alert: &Alert,
    ) -> impl Future<Output = Result<Option<String>, Error>> + Send;
}

/// Audit, keys and data protection: the hash-chained audit log, encryption-key records
/// and re-sealing, GDPR export and erasure, and the research bindings' read. Part of
/// [`Store`].
pub trait AuditStore: Send + Sync {
    // ---- audit ----

    /// Appends an entry to the hash chain and returns it with its sequence number and
    /// hashes. Appends are serialised (SQLite `BEGIN IMMEDIATE`, PostgreSQL a
    /// transaction-scoped advisory lock), so concurrent appends cannot fork the chain.
    fn append_audit(
        &self,
        entry: AuditEntry,
    ) -> impl Future<Output = Result<AuditRecord, Error>> + Send;

    /// Audit entries in sequence order, filtered.
    fn audit_entries(
        &self,
        query: AuditQuery,
    ) -> impl Future<Output = Result<Vec<AuditRecord>, Error>> + Send;

    /// The sequence number of the newest entry, or `None` while the log is empty.
    fn audit_head_seq(&self) -> impl Future<Output = Result<Option<i64>, Error>> + Send;

    /// Walks the whole chain and reports the first edited, deleted or reordered entry.
    fn verify_audit(&self) -> impl Future<Output = Result<AuditVerification, Error>> + Send;

    // ---- encryption keys ----

    /// Records that a key id is in use (idempotent; the server calls it at start).
    fn record_key(
        &self,
        key_id: &KeyId,
        at: Timestamp,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Marks a key retired (after [`rotate_keys`](super::rotate_keys) moved every
    /// value off it).
    fn retire_key(
        &self,
        key_id: &KeyId,
        at: Timestamp,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Every key id recorded.
    fn encryption_keys(
        &self,
    ) -> impl Future<Output = Result<Vec<EncryptionKeyRecord>, Error>> + Send;

    /// Re-seals under the current key up to `limit` values of one column, in row-id
    /// order after `after`, in one short transaction. Values changed concurrently are
    /// left for the next pass rather than overwritten.
    fn reseal_batch(
        &self,
        column: EncryptedColumn,
        after: Option<&str>,
        limit: u32,
    ) -> impl Future<Output = Result<ResealBatch, Error>> + Send;

    // ---- GDPR ----

    /// Everything held about one user, for download.
    fn export_user_data(
        &self,
        user_id: &PersonId,
    ) -> impl Future<Output = Result<UserExport, Error>> + Send;

    /// Deletes a user from every table in one transaction and appends an
    /// `account_erased` audit tombstone holding only the opaque id, row counts and
    /// `reason` (an admin's, when they erase an account on the person's request;
    /// `None` for self-deletion). Where the user appears only as staff on someone
    /// else's record (a course's clinician, a consent recorded on a patient's
    /// behalf), the reference is cleared; notifications about the person's
    /// conversations and alerts go with them.
    fn erase_user(
        &self,
        user_id: &PersonId,
        actor_id: Option<&PersonId>,
        reason: Option<&str>,
        at: Timestamp,
    ) -> impl Future<Output = Result<ErasureReport, Error>> + Send;

    // ---- research (read-only) ----

    /// People with their consent ledgers, oldest account first, without names,
    /// contact details or NHS numbers. Combine with
    /// [`ClinicalStore::mood_entries`], [`ClinicalStore::assessments`],
    /// [`ClinicalStore::treatment_sessions`], [`ClinicalStore::safety_events`] and
    /// [`ClinicalStore::pet_state`] per person.
    fn research_people(
        &self,
        page: Page,
    ) -> impl Future<Output = Result<Vec<ResearchPerson>, Error>> + Send;
}

/// The patient's safety plan: every save a new version (earlier ones kept, sealed),
/// and edits a linked clinician proposes for the patient to accept or decline.
pub trait SafetyPlanStore: Send + Sync {
    /// Saves `body` (the plan as JSON text) as the patient's next version, with the
    /// screening of its free text (its safety event and any alert, as
    /// [`AlertSource::SafetyPlan`](crate::AlertSource::SafetyPlan)) in one
    /// transaction; the version it replaces is kept.
    fn save_safety_plan(
        &self,
        patient_id: &PersonId,
        body: &str,
        screening: &Screened,
        at: Timestamp,
    ) -> impl Future<Output = Result<SafetyPlan, Error>> + Send;

    /// The patient's safety plan as it is now, if any.
    fn safety_plan(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Option<SafetyPlan>, Error>> + Send;

    /// Every version of the patient's plan, the current one first.
    fn safety_plan_versions(
        &self,
        patient_id: &PersonId,
        page: Page,
    ) -> impl Future<Output = Result<Vec<SafetyPlan>, Error>> + Send;

    /// Stores a clinician's proposed plan (JSON text, encrypted), written against
    /// the plan's current version, as pending.
    fn propose_safety_plan(
        &self,
        patient_id: &PersonId,
        clinician_id: &PersonId,
        body: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<SafetyPlanProposal, Error>> + Send;

    /// The proposals for the patient's plan, newest first.
    fn safety_plan_proposals(
        &self,
        patient_id: &PersonId,
    ) -> impl Future<Output = Result<Vec<SafetyPlanProposal>, Error>> + Send;

    /// One proposal for the patient's plan ([`Error::NotFound`] if it is not theirs).
    fn safety_plan_proposal(
        &self,
        patient_id: &PersonId,
        proposal_id: &str,
    ) -> impl Future<Output = Result<SafetyPlanProposal, Error>> + Send;

    /// Accepts a pending proposal: its plan becomes the next version, with
    /// `screening` (of its free text) as for [`SafetyPlanStore::save_safety_plan`],
    /// in one transaction. Refused ([`Error::InvalidInput`]) when the proposal is no
    /// longer pending or the plan changed since it was written.
    fn accept_safety_plan_proposal(
        &self,
        patient_id: &PersonId,
        proposal_id: &str,
        screening: &Screened,
        at: Timestamp,
    ) -> impl Future<Output = Result<SafetyPlan, Error>> + Send;

    /// Declines a pending proposal (refused as above when it is not pending).
    fn decline_safety_plan_proposal(
        &self,
        patient_id: &PersonId,
        proposal_id: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<SafetyPlanProposal, Error>> + Send;
}

/// Notifications, their email outbox and each person's preferences. Notifications
/// are written inside the transactions of the events they announce (see
/// `sql/notifications.rs`, `notify_in`); these methods read and mark them.
pub trait NotificationStore: Send + Sync {
    /// A page of the person's notifications, newest first, with the unread and
    /// total counts of the whole list.
    fn notifications(
        &self,
        user_id: &PersonId,
        page: Page,
    ) -> impl Future<Output = Result<NotificationPage, Error>> + Send;

    /// One notification, whoever it is for (the policy layer checks that).
    fn notification(
        &self,
        notification_id: &str,
    ) -> impl Future<Output = Result<Notification, Error>> + Send;

    /// Marks one of the person's notifications read (kept as first read if it was);
    /// `NotFound` if it is not theirs.
    fn mark_notification_read(
        &self,
        notification_id: &str,
        user_id: &PersonId,
        at: Timestamp,
    ) -> impl Future<Output = Result<Notification, Error>> + Send;

    /// Marks every unread notification of the person read; returns how many.
    fn mark_all_notifications_read(
        &self,
        user_id: &PersonId,
        at: Timestamp,
    ) -> impl Future<Output = Result<u64, Error>> + Send;

    /// The person's preferences, or [`Preferences::default`] if they never chose.
    fn preferences(
        &self,
        user_id: &PersonId,
    ) -> impl Future<Output = Result<Preferences, Error>> + Send;

    /// Replaces the person's preferences (checked by [`Preferences::new`]).
    fn set_preferences(
        &self,
        user_id: &PersonId,
        preferences: &Preferences,
        at: Timestamp,
    ) -> impl Future<Output = Result<Preferences, Error>> + Send;

    /// Claims due notification emails under a lease until `now + lease_seconds`,
    /// counting the attempt; a claim that lapses (a worker died) is claimed again.
    fn claim_due_notification_emails(
        &self,
        now: Timestamp,
        lease_seconds: i64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<ClaimedNotificationEmail>, Error>> + Send;

    /// Records how attempt `attempt` went: sent, a retry with backoff, or given up
    /// after the alerting policy's last attempt. [`AttemptRecorded::Stale`] when the
    /// claim lapsed and another worker claimed it since.
    fn record_notification_email(
        &self,
        email_id: &str,
        attempt: u32,
        outcome: &AttemptOutcome,
        now: Timestamp,
    ) -> impl Future<Output = Result<AttemptRecorded, Error>> + Send;
}

/// Uses of CBT tools: each one's input and result sealed, with the screening of its
/// free text and the pet's reward stored in the same transaction.
pub trait ToolRunStore: Send + Sync {
    /// Stores one use of `tool_id` (`body` the JSON of input and result, sealed) with
    /// the screening of its free text (its safety event and any alert, as
    /// [`AlertSource::ToolRun`](crate::AlertSource::ToolRun)) and, when `activity`
    /// is given, the pet's reward for it within the daily caps, in one transaction.
    fn add_tool_run(
        &self,
        patient_id: &PersonId,
        tool_id: &str,
        body: &str,
        screening: &Screened,
        activity: Option<healing_core::pet::WellbeingActivity>,
        at: Timestamp,
    ) -> impl Future<Output = Result<ToolRun, Error>> + Send;

    /// The patient's uses of one tool, newest first.
    fn tool_runs(
        &self,
        patient_id: &PersonId,
        tool_id: &str,
        page: Page,
    ) -> impl Future<Output = Result<Vec<ToolRun>, Error>> + Send;

    /// The tools the patient used at or after `since` (each once, no contents).
    fn tools_used_since(
        &self,
        patient_id: &PersonId,
        since: Timestamp,
    ) -> impl Future<Output = Result<Vec<String>, Error>> + Send;
}

/// Appointments: clinicians' availability, bookings and their changes, the
/// outbox of reminders, and calendar feed tokens. Part of [`Store`]. Every write
/// is checked by the rules of [`crate::appointments`] in its transaction and
/// audited in it.
pub trait AppointmentStore: Send + Sync {
    /// The clinician's weekly slots and closures (empty when none were set).
    fn availability(
        &self,
        clinician_id: &PersonId,
    ) -> impl Future<Output = Result<Availability, Error>> + Send;

    /// Replaces the clinician's weekly slots and closures, checked by
    /// [`Availability::check`] ([`Error::AppointmentRefused`]). Bookings already
    /// made stay.
    fn set_availability(
        &self,
        clinician_id: &PersonId,
        availability: &Availability,
        at: Timestamp,
    ) -> impl Future<Output = Result<Availability, Error>> + Send;

    /// The clinician's slots on the local dates `first_day` to `last_day` that
    /// start after `now` and have no live booking, in time order.
    fn open_slots(
        &self,
        clinician_id: &PersonId,
        first_day: jiff::civil::Date,
        last_day: jiff::civil::Date,
        now: Timestamp,
    ) -> impl Future<Output = Result<Vec<Slot>, Error>> + Send;

    /// Books the clinician's slot starting at `starts_at` for the patient, with its
    /// reminders, in one transaction: refused ([`Error::AppointmentRefused`]) when
    /// the patient has no live link with sharing consent to the clinician, the time
    /// is not one of the clinician's slots, it has started, or it is already
    /// booked (decided by the database's unique index, so of concurrent bookings
    /// of one slot exactly one succeeds).
    fn book_appointment(
        &self,
        patient_id: &PersonId,
        clinician_id: &PersonId,
        starts_at: Timestamp,
        rules: &AppointmentRules,
        at: Timestamp,
    ) -> impl Future<Output = Result<Appointment, Error>> + Send;

    /// The appointment.
    fn appointment(
        &self,
        appointment_id: &str,
    ) -> impl Future<Output = Result<Appointment, Error>> + Send;

    /// A page of the appointments `person` is the patient or the clinician of,
    /// latest start first.
    fn appointments_of(
        &self,
        person: &PersonId,
        page: Page,
    ) -> impl Future<Output = Result<Vec<Appointment>, Error>> + Send;

    /// Cancels the appointment for `by` (its patient, up to the notice period
    /// before it, or its clinician), with its pending reminders.
    fn cancel_appointment(
        &self,
        appointment_id: &str,
        by: &PersonId,
        rules: &AppointmentRules,
        at: Timestamp,
    ) -> impl Future<Output = Result<Appointment, Error>> + Send;

    /// Moves the appointment to the clinician's slot starting at `starts_at`: the
    /// old one cancelled by `by`'s side and a new one booked as
    /// [`book_appointment`](Self::book_appointment) books, in one transaction.
    /// Returns the new appointment.
    fn reschedule_appointment(
        &self,
        appointment_id: &str,
        by: &PersonId,
        starts_at: Timestamp,
        rules: &AppointmentRules,
        at: Timestamp,
    ) -> impl Future<Output = Result<Appointment, Error>> + Send;

    /// Records whether the patient came, by the clinician, once it has started.
    fn record_attendance(
        &self,
        appointment_id: &str,
        by: &PersonId,
        attended: bool,
        at: Timestamp,
    ) -> impl Future<Output = Result<Appointment, Error>> + Send;

    /// Sets or clears the video-call link (sealed), by the clinician, while the
    /// appointment is scheduled. The caller checks the URL.
    fn set_video_link(
        &self,
        appointment_id: &str,
        by: &PersonId,
        url: Option<&str>,
        at: Timestamp,
    ) -> impl Future<Output = Result<Appointment, Error>> + Send;

    /// Claims up to `limit` due reminders of scheduled appointments not held by
    /// another worker, for `lease_seconds`; each claim counts as an attempt. A
    /// claim that lapses (the worker crashed) is claimed again after the lease.
    fn claim_due_reminders(
        &self,
        now: Timestamp,
        lease_seconds: i64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<ClaimedReminder>, Error>> + Send;

    /// Records how attempt `attempt` of a reminder went: sent (never sent again),
    /// due again after a backoff, or given up after the last attempt.
    fn record_reminder_attempt(
        &self,
        reminder_id: &str,
        attempt: u32,
        sent: bool,
        now: Timestamp,
    ) -> impl Future<Output = Result<ReminderRecorded, Error>> + Send;

    /// Sets the user's calendar feed token (its SHA-256), replacing any earlier
    /// one, which stops working.
    fn set_calendar_feed(
        &self,
        user_id: &PersonId,
        token_hash: &TokenHash,
        at: Timestamp,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Revokes the user's calendar feed; whether there was one.
    fn revoke_calendar_feed(
        &self,
        user_id: &PersonId,
    ) -> impl Future<Output = Result<bool, Error>> + Send;

    /// The user whose calendar feed token hashes to `token_hash`, if any.
    fn calendar_feed_owner(
        &self,
        token_hash: &TokenHash,
    ) -> impl Future<Output = Result<Option<PersonId>, Error>> + Send;
}

/// The moderated community: channels, pseudonyms, posts and comments, reactions,
/// block and mute, reports and moderation, each write checked in its transaction
/// by the community's rules ([`status_after_screening`](crate::status_after_screening),
/// [`visible_to`](crate::visible_to), [`moderate`](crate::moderate),
/// [`PostingLimit`](crate::PostingLimit)). Part of [`Store`].
pub trait CommunityStore: Send + Sync {
    /// Creates a channel (an admin's topic), audited in the same transaction; a
    /// name already taken (ignoring case and spacing) is [`Error::Conflict`].
    fn create_channel(
        &self,
        admin: &PersonId,
        name: &str,
        description: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<CommunityChannel, Error>> + Send;

    /// Renames, re-describes, archives or restores a channel, audited in the same
    /// transaction.
    fn update_channel(
        &self,
        admin: &PersonId,
        channel_id: &str,
        change: ChannelChange,
        at: Timestamp,
    ) -> impl Future<Output = Result<CommunityChannel, Error>> + Send;

    /// The channels by name, with the archived ones when asked.
    fn community_channels(
        &self,
        include_archived: bool,
    ) -> impl Future<Output = Result<Vec<CommunityChannel>, Error>> + Send;

    /// One channel.
    fn community_channel(
        &self,
        channel_id: &str,
    ) -> impl Future<Output = Result<CommunityChannel, Error>> + Send;

    /// The person's community profile, if they chose a pseudonym.
    fn community_member(
        &self,
        person_id: &PersonId,
    ) -> impl Future<Output = Result<Option<CommunityMember>, Error>> + Send;

    /// Sets the person's pseudonym (joining the community the first time); one
    /// taken by someone else (ignoring case and spacing) is [`Error::Conflict`], an
    /// admin is [`Error::CommunityRefused`]. The caller checks the name itself.
    fn set_pseudonym(
        &self,
        person_id: &PersonId,
        pseudonym: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<CommunityMember, Error>> + Send;

    /// Stores a post in a channel or a comment on a published post, sealed, in the
    /// status its screening gives it (held at high or critical), with a patient's
    /// safety event and any alert (source
    /// [`AlertSource::Community`](crate::AlertSource::Community)) in the same
    /// transaction. Refused ([`Error::CommunityRefused`]) without a pseudonym, in
    /// an archived channel, on a post the writer may not see or that is not
    /// published, when the post's author blocked the writer, and past `limit`.
    fn write_community_post(
        &self,
        author: &PersonId,
        target: PostTarget<'_>,
        text: &Screened,
        limit: PostingLimit,
        at: Timestamp,
    ) -> impl Future<Output = Result<CommunityPost, Error>> + Send;

    /// One post or comment, in any status (the policy decides who sees it).
    fn community_post(
        &self,
        post_id: &str,
    ) -> impl Future<Output = Result<CommunityPost, Error>> + Send;

    /// How `person_id` set `other` apart, if they did.
    fn community_relation(
        &self,
        person_id: &PersonId,
        other: &PersonId,
    ) -> impl Future<Output = Result<Option<Relation>, Error>> + Send;

    /// One item with its reactions and counts, as `reader` sees them.
    fn community_item(
        &self,
        post_id: &str,
        reader: &PersonId,
    ) -> impl Future<Output = Result<CommunityItem, Error>> + Send;

    /// A page of the channel's posts that `reader` may see, newest first.
    fn channel_page(
        &self,
        channel_id: &str,
        reader: &PersonId,
        page: Page,
    ) -> impl Future<Output = Result<Vec<CommunityItem>, Error>> + Send;

    /// A page of the comments on a post that `reader` may see (every one for a
    /// moderator), oldest first.
    fn comments_page(
        &self,
        post_id: &str,
        reader: &PersonId,
        moderator: bool,
        page: Page,
    ) -> impl Future<Output = Result<Vec<CommunityItem>, Error>> + Send;

    /// Gives the reaction, or takes it back if given; only on published items.
    fn toggle_reaction(
        &self,
        post_id: &str,
        person_id: &PersonId,
        kind: ReactionKind,
        at: Timestamp,
    ) -> impl Future<Output = Result<CommunityItem, Error>> + Send;

    /// Blocks, mutes or (with `None`) restores the member `member_id` for
    /// `person_id`; returns that member.
    fn set_relation(
        &self,
        person_id: &PersonId,
        member_id: &str,
        relation: Option<Relation>,
        at: Timestamp,
    ) -> impl Future<Output = Result<CommunityMember, Error>> + Send;

    /// Reports an item for moderation, with an optional screened note (sealed; a
    /// patient's note is stored with its screening and any alert). One report per
    /// member per item ([`Error::Conflict`]).
    fn report_community_post(
        &self,
        post_id: &str,
        reporter: &PersonId,
        reason: CommunityReason,
        note: Option<&Screened>,
        at: Timestamp,
    ) -> impl Future<Output = Result<CommunityReport, Error>> + Send;

    /// The unsettled reports of an item with their notes, for moderators.
    fn report_notes(
        &self,
        post_id: &str,
    ) -> impl Future<Output = Result<Vec<ReportView>, Error>> + Send;

    /// A page of the items waiting for a moderator (held, or with unsettled
    /// reports), oldest first.
    fn moderation_queue(
        &self,
        moderator: &PersonId,
        page: Page,
    ) -> impl Future<Output = Result<Vec<CommunityItem>, Error>> + Send;

    /// Approves, hides or removes an item, settling its reports, with its audit
    /// entry in the same transaction; a move the item's status does not allow is
    /// [`Error::CommunityRefused`].
    fn moderate_community_post(
        &self,
        post_id: &str,
        moderator: &PersonId,
        action: ModerationAction,
        reason: Option<CommunityReason>,
        at: Timestamp,
    ) -> impl Future<Output = Result<CommunityPost, Error>> + Send;

    /// Published posts and comments, newest first (research exports).
    fn community_posts(
        &self,
        page: Page,
    ) -> impl Future<Output = Result<Vec<CommunityPost>, Error>> + Send;
}
