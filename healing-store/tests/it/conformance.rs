//! The behaviour both back ends must share. Each test runs on SQLite and on PostgreSQL.

use healing_core::consent::{ConsentEvent, Decision, Ledger, Purpose, RecordedBy, WordingVersion};
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::{ProblemDescriptor, SessionKind};
use healing_core::pet::{PetName, PetState, Species};
use healing_core::safety::{Category, RiskLevel};
use healing_core::scoring::{self, BandId, Flag};
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    AlertState, AnyStore, Attendance, AuditAction, AuditChainBreak, AuditChainStatus, AuditEntry,
    AuditQuery, CommunityReason, DECLINE_COOLDOWN_SECONDS, EncryptedColumn, Error, KeyId, Link,
    LinkRefusal, LinkStatus, ModerationAction, NewAssessment, NewCourse, NewSafetyEvent,
    NewSession, NewTreatmentSession, NewUser, Page, PasswordScheme, PostTarget, PostingLimit,
    RecoveryCodeUse, Role, Screened, SessionStage, ThrottleAction, ThrottleKey, ThrottlePolicy,
    ThrottleScope, TokenHash, TwoFactorState, User, rotate_keys,
};
use time::macros::date;

use crate::harness::{Kind, TestDb, cipher_with, conformance};

/// Fails if the raw database contents hold a questionnaire flag or band name, the
/// `answers` array as JSON text, or the problem descriptor `post_traumatic_stress`.
fn assert_no_clear_clinical_values(raw: &[u8], answers: &str) {
    assert!(raw.len() > 1000, "the raw contents were read");
    for needle in [
        "self_harm_thoughts",
        "clinical_range",
        "moderate",
        answers,
        "post_traumatic_stress",
    ] {
        assert!(
            !raw.windows(needle.len())
                .any(|window| window == needle.as_bytes()),
            "{needle} found in the raw database contents"
        );
    }
}

/// A marker that must never appear in the database in plain text.
const MARKER: &str = "PLAINTEXT-MARKER-7f3a9c";

/// `text` screened by the built-in rules, as the server screens it.
fn screened(text: &str) -> Screened {
    let assessment = healing_core::safety::assess(text, &healing_core::safety::Context::default());
    Screened::assessed(text.to_owned(), &assessment)
}

fn pet(name: &str) -> PetState {
    PetState::new(PetName::new(name).unwrap(), Species::Cat, at(0))
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix_seconds(1_780_000_000 + seconds).unwrap()
}

fn validated(instrument: &str, answers: &[Option<u8>]) -> scoring::ValidatedAnswers {
    scoring::ValidatedAnswers::new(scoring::instrument(instrument).unwrap(), answers).unwrap()
}

fn new_user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: name.to_owned(),
        email: format!("{name}@Example.NHS.uk"),
        display_name: format!("{name} display"),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        password_scheme: PasswordScheme::Argon2id,
        nhs_number: None,
        year_of_birth: Some(1990),
        created_at: at(0),
    }
}

async fn create(store: &AnyStore, name: &str, role: Role) -> User {
    store.create_user(new_user(name, role)).await.unwrap()
}

fn session_for(user: &User, secret: &[u8], stage: SessionStage) -> NewSession {
    NewSession {
        id_hash: TokenHash::of_secret(secret),
        user_id: user.id.clone(),
        csrf_token: "csrf".to_owned(),
        stage,
        created_at: at(10),
        expires_at: at(10 + 12 * 3600),
        client_address: Some("127.0.0.1".to_owned()),
    }
}

fn audit(action: &str, actor: Option<&PersonId>, subject: Option<&PersonId>, n: i64) -> AuditEntry {
    AuditEntry {
        at: at(n),
        actor_id: actor.cloned(),
        action: AuditAction::new(action).unwrap(),
        subject_patient_id: subject.cloned(),
        detail: serde_json::json!({ "n": n }),
    }
}

/// Gives a patient a row in every table that can hold their data.
async fn fill_every_table(store: &AnyStore, patient: &User, clinician: &User) {
    let id = &patient.id;
    store.set_totp_secret(id, "JBSWY3DPEHPK3PXP").await.unwrap();
    store
        .replace_recovery_codes(id, &[TokenHash::of_secret(b"code-1")], at(1))
        .await
        .unwrap();
    store
        .create_session(session_for(
            patient,
            format!("session of {id}").as_bytes(),
            SessionStage::Authenticated,
        ))
        .await
        .unwrap();
    store
        .create_password_reset_token(
            &TokenHash::of_secret(format!("reset for {id}").as_bytes()),
            id,
            at(1),
            at(3600),
        )
        .await
        .unwrap();
    let key = ThrottleKey {
        scope: ThrottleScope::Account,
        action: ThrottleAction::Login,
        subject: id.as_str().to_owned(),
    };
    store
        .record_auth_failure(
            &key,
            at(2),
            ThrottlePolicy {
                max_failures: 5,
                window_seconds: 900,
                lockout_seconds: 900,
            },
        )
        .await
        .unwrap();
    let link = store.request_link(&clinician.id, id, at(3)).await.unwrap();
    store
        .set_link_status(&link.id, LinkStatus::Accepted, at(4))
        .await
        .unwrap();
    store
        .append_consent_event(&ConsentEvent {
            person: id.clone(),
            purpose: Purpose::Research,
            decision: Decision::Grant,
            at: at(5),
            wording_version: WordingVersion::new("v1").unwrap(),
            recorded_by: RecordedBy::Subject,
        })
        .await
        .unwrap();
    let entry = MoodEntry::new(date!(2026 - 05 - 27), at(6), 7)
        .unwrap()
        .with_sleep(6)
        .unwrap()
        .with_note(format!("mood note {MARKER}"))
        .unwrap();
    store
        .add_mood_entry(id, &entry, Some(&screened(entry.note().unwrap())))
        .await
        .unwrap();
    store
        .add_assessment(NewAssessment {
            patient_id: id.clone(),
            instrument_id: "phq9".to_owned(),
            instrument_version: "1".to_owned(),
            answers: vec![
                Some(1),
                Some(2),
                Some(3),
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(0),
                Some(1),
            ],
            total: Some(13),
            band: Some(BandId::Moderate),
            flags: vec![Flag::ClinicalRange],
            completed_at: at(7),
        })
        .await
        .unwrap();
    let course = store
        .open_course(NewCourse {
            patient_id: id.clone(),
            clinician_id: Some(clinician.id.clone()),
            problem_descriptor: ProblemDescriptor::Depression,
            opened_at: at(8),
        })
        .await
        .unwrap();
    store
        .add_treatment_session(NewTreatmentSession {
            course_id: course.id,
            patient_id: id.clone(),
            clinician_id: Some(clinician.id.clone()),
            at: at(9),
            kind: SessionKind::Treatment,
            attendance: Attendance::Attended,
            scores: vec![healing_core::outcomes::SessionScore {
                measure: healing_core::outcomes::Measure::Phq9,
                value: healing_core::outcomes::ScoreValue::from_points(12),
            }],
        })
        .await
        .unwrap();
    store
        .add_clinical_note(&healing_store::NewClinicalNote {
            patient_id: id.clone(),
            author_id: clinician.id.clone(),
            session_id: None,
            body: Screened::failed_closed("Reviewed the sleep diary.".to_owned()),
            raise_alert: false,
            written_at: at(9),
        })
        .await
        .unwrap();
    store
        .add_journal_entry(id, &screened(&format!("journal {MARKER}")), at(10))
        .await
        .unwrap();
    store
        .add_chat_message(id, &screened(&format!("chat {MARKER}")), true, at(10))
        .await
        .unwrap();
    store
        .append_consent_event(&ConsentEvent {
            person: id.clone(),
            purpose: Purpose::ClinicianSharing,
            decision: Decision::Grant,
            at: at(11),
            wording_version: WordingVersion::new("v1").unwrap(),
            recorded_by: RecordedBy::Subject,
        })
        .await
        .unwrap();
    store
        .start_conversation(
            id,
            &clinician.id,
            None,
            &screened(&format!("message {MARKER}")),
            at(11),
        )
        .await
        .unwrap();
    // A channel set by an admin of its own, so the audit log of its creation
    // names neither the patient nor the clinician an erasure test removes.
    let admin = create(store, &format!("admin.{id}"), Role::Admin).await;
    let channel = store
        .create_channel(&admin.id, &format!("Walking {id}"), "", at(12))
        .await
        .unwrap();
    store
        .set_pseudonym(id, &format!("walker {id}"), at(12))
        .await
        .unwrap();
    store
        .write_community_post(
            id,
            PostTarget::Channel(&channel.id),
            &screened(&format!("post {MARKER}")),
            PostingLimit::DEFAULT,
            at(12),
        )
        .await
        .unwrap();
    // Two versions (the first kept in the history) and a clinician's proposal.
    for version in ["first", "second"] {
        let plan = format!("{{\"reasons\":\"{version} {MARKER}\"}}");
        store
            .save_safety_plan(id, &plan, &screened(&plan), at(13))
            .await
            .unwrap();
    }
    let gratitude = format!("{{\"entries\":[\"gratitude {MARKER}\"]}}");
    store
        .add_tool_run(
            id,
            "gratitude",
            &gratitude,
            &screened(&gratitude),
            None,
            at(13),
        )
        .await
        .unwrap();
    store
        .propose_safety_plan(
            id,
            &clinician.id,
            &format!("{{\"reasons\":\"proposed {MARKER}\"}}"),
            at(13),
        )
        .await
        .unwrap();
    store
        .record_safety_event(NewSafetyEvent {
            patient_id: id.clone(),
            source: "journal".to_owned(),
            level: RiskLevel::Medium,
            categories: vec![Category::SelfHarm],
            rules_version: "2026.1".to_owned(),
            at: at(14),
        })
        .await
        .unwrap();
    store.put_pet_state(id, &pet("Pip"), at(15)).await.unwrap();
    store
        .append_audit(audit("mood_entry_read", Some(&clinician.id), Some(id), 16))
        .await
        .unwrap();
}

/// Rows in each table that mention the user, by every column that can hold their id.
async fn rows_mentioning(db: &TestDb, store: &AnyStore, id: &PersonId) -> Vec<(&'static str, i64)> {
    let id = id.as_str();
    let checks: [(&str, String); 25] = [
        (
            "clinical_notes",
            format!(
                "SELECT COUNT(*) FROM clinical_notes \
                 WHERE patient_id = '{id}' OR author_id = '{id}'"
            ),
        ),
        (
            "users",
            format!("SELECT COUNT(*) FROM users WHERE id = '{id}'"),
        ),
        (
            "recovery_codes",
            format!("SELECT COUNT(*) FROM recovery_codes WHERE user_id = '{id}'"),
        ),
        (
            "sessions",
            format!("SELECT COUNT(*) FROM sessions WHERE user_id = '{id}'"),
        ),
        (
            "auth_throttle",
            format!("SELECT COUNT(*) FROM auth_throttle WHERE subject = '{id}'"),
        ),
        (
            "password_reset_tokens",
            format!("SELECT COUNT(*) FROM password_reset_tokens WHERE user_id = '{id}'"),
        ),
        (
            "clinician_patient_links",
            format!(
                "SELECT COUNT(*) FROM clinician_patient_links \
                 WHERE clinician_id = '{id}' OR patient_id = '{id}'"
            ),
        ),
        (
            "consent_events",
            format!(
                "SELECT COUNT(*) FROM consent_events \
                 WHERE person_id = '{id}' OR recorded_by_staff_id = '{id}'"
            ),
        ),
        (
            "mood_entries",
            format!("SELECT COUNT(*) FROM mood_entries WHERE patient_id = '{id}'"),
        ),
        (
            "assessments",
            format!("SELECT COUNT(*) FROM assessments WHERE patient_id = '{id}'"),
        ),
        (
            "courses",
            format!(
                "SELECT COUNT(*) FROM courses WHERE patient_id = '{id}' OR clinician_id = '{id}'"
            ),
        ),
        (
            "treatment_sessions",
            format!(
                "SELECT COUNT(*) FROM treatment_sessions \
                 WHERE patient_id = '{id}' OR clinician_id = '{id}'"
            ),
        ),
        (
            "journal_entries",
            format!("SELECT COUNT(*) FROM journal_entries WHERE patient_id = '{id}'"),
        ),
        (
            "chat_messages",
            format!("SELECT COUNT(*) FROM chat_messages WHERE patient_id = '{id}'"),
        ),
        (
            "messages",
            format!(
                "SELECT COUNT(*) FROM messages WHERE sender_id = '{id}' OR thread_id IN \
                 (SELECT id FROM message_threads WHERE patient_id = '{id}')"
            ),
        ),
        (
            "message_threads",
            format!(
                "SELECT COUNT(*) FROM message_threads WHERE patient_id = '{id}' \
                 OR first_member_id = '{id}' OR second_member_id = '{id}'"
            ),
        ),
        (
            "message_thread_members",
            format!("SELECT COUNT(*) FROM message_thread_members WHERE person_id = '{id}'"),
        ),
        (
            "community_posts",
            format!("SELECT COUNT(*) FROM community_posts WHERE author_id = '{id}'"),
        ),
        (
            "safety_plans",
            format!("SELECT COUNT(*) FROM safety_plans WHERE patient_id = '{id}'"),
        ),
        (
            "safety_plan_versions",
            format!("SELECT COUNT(*) FROM safety_plan_versions WHERE patient_id = '{id}'"),
        ),
        (
            "safety_plan_proposals",
            format!("SELECT COUNT(*) FROM safety_plan_proposals WHERE patient_id = '{id}'"),
        ),
        (
            "tool_runs",
            format!("SELECT COUNT(*) FROM tool_runs WHERE patient_id = '{id}'"),
        ),
        (
            "safety_events",
            format!("SELECT COUNT(*) FROM safety_events WHERE patient_id = '{id}'"),
        ),
        (
            "pets",
            format!("SELECT COUNT(*) FROM pets WHERE patient_id = '{id}'"),
        ),
        (
            "audit_log (other than the tombstone)",
            format!(
                "SELECT COUNT(*) FROM audit_log WHERE (actor_id = '{id}' OR subject_patient_id = '{id}') \
                 AND action <> 'account_erased' AND action <> 'mood_entry_read'"
            ),
        ),
    ];
    let mut counts = Vec::new();
    for (table, query) in checks {
        counts.push((table, db.raw_count(store, &query).await));
    }
    counts
}

conformance! {
    async fn migrations_apply_twice_without_change(db: TestDb) {
        let store = db.open().await;
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
    }

    async fn creates_a_user_and_reads_it_back_by_id_username_and_any_case_email(db: TestDb) {
        let store = db.open().await;
        let mut new = new_user("ada", Role::Clinician);
        new.nhs_number = Some("9434765919".to_owned());
        let created = store.create_user(new).await.unwrap();
        assert_eq!(created.email, "ada@example.nhs.uk");
        assert_eq!(created.two_factor, TwoFactorState::NotSetUp);
        assert_eq!(store.user(&created.id).await.unwrap(), created);
        assert_eq!(store.user_by_username("ada").await.unwrap(), Some(created.clone()));
        assert_eq!(store.user_by_email(" ADA@example.NHS.UK ").await.unwrap(), Some(created.clone()));
        assert_eq!(store.user_by_username("nobody").await.unwrap(), None);
        let listed = store.list_users(Some(Role::Clinician), Page::first(10)).await.unwrap();
        assert_eq!(listed, vec![created.clone()]);
        assert!(store.list_users(Some(Role::Patient), Page::first(10)).await.unwrap().is_empty());
        store.set_display_name(&created.id, "Ada L.").await.unwrap();
        store.set_role(&created.id, Role::Admin).await.unwrap();
        store.set_disabled(&created.id, Some(at(5))).await.unwrap();
        let changed = store.user(&created.id).await.unwrap();
        assert_eq!(
            (changed.display_name.as_str(), changed.role, changed.disabled_at),
            ("Ada L.", Role::Admin, Some(at(5)))
        );
    }

    async fn rejects_a_taken_username_or_email_with_a_typed_conflict(db: TestDb) {
        let store = db.open().await;
        create(&store, "ada", Role::Patient).await;
        let mut same_name = new_user("ada", Role::Patient);
        same_name.email = "other@example.org".to_owned();
        assert_eq!(
            store.create_user(same_name).await,
            Err(Error::Conflict { table: "users", field: "username" })
        );
        let mut same_email = new_user("grace", Role::Patient);
        same_email.email = "ADA@example.nhs.uk".to_owned();
        assert_eq!(
            store.create_user(same_email).await,
            Err(Error::Conflict { table: "users", field: "email" })
        );
    }

    async fn reports_an_unknown_user_as_not_found(db: TestDb) {
        let store = db.open().await;
        let ghost = PersonId::new("00000000-0000-4000-8000-000000000000").unwrap();
        assert_eq!(
            store.user(&ghost).await,
            Err(Error::NotFound { entity: "user", id: ghost.as_str().to_owned() })
        );
        assert_eq!(
            store.set_role(&ghost, Role::Admin).await,
            Err(Error::NotFound { entity: "user", id: ghost.as_str().to_owned() })
        );
    }

    async fn replaces_a_legacy_password_hash_with_argon2id(db: TestDb) {
        let store = db.open().await;
        let mut legacy = new_user("imported", Role::Patient);
        legacy.password_hash = "$2b$12$abcdefghijklmnopqrstuv".to_owned();
        legacy.password_scheme = PasswordScheme::Bcrypt;
        let user = store.create_user(legacy).await.unwrap();
        assert_eq!(store.password_credentials(&user.id).await.unwrap().scheme, PasswordScheme::Bcrypt);
        store.set_password(&user.id, "$argon2id$new", PasswordScheme::Argon2id).await.unwrap();
        let credentials = store.password_credentials(&user.id).await.unwrap();
        assert_eq!(
            (credentials.password_hash.as_str(), credentials.scheme),
            ("$argon2id$new", PasswordScheme::Argon2id)
        );
        assert!(!format!("{credentials:?}").contains("argon2id$new"));
    }

    async fn keeps_totp_pending_until_enabled_and_spends_each_recovery_code_once(db: TestDb) {
        let store = db.open().await;
        let user = create(&store, "ada", Role::Clinician).await;
        assert_eq!(store.totp_secret(&user.id).await.unwrap(), None);
        store.set_totp_secret(&user.id, "JBSWY3DPEHPK3PXP").await.unwrap();
        assert_eq!(store.user(&user.id).await.unwrap().two_factor, TwoFactorState::Pending);
        store.enable_totp(&user.id).await.unwrap();
        assert_eq!(store.user(&user.id).await.unwrap().two_factor, TwoFactorState::Enabled);
        assert_eq!(
            store.totp_secret(&user.id).await.unwrap().as_deref().map(String::as_str),
            Some("JBSWY3DPEHPK3PXP")
        );
        let codes = [TokenHash::of_secret(b"one"), TokenHash::of_secret(b"two")];
        store.replace_recovery_codes(&user.id, &codes, at(1)).await.unwrap();
        assert_eq!(store.unused_recovery_codes(&user.id).await.unwrap(), 2);
        assert_eq!(store.use_recovery_code(&user.id, &codes[0], at(2)).await.unwrap(), RecoveryCodeUse::Accepted);
        assert_eq!(store.use_recovery_code(&user.id, &codes[0], at(3)).await.unwrap(), RecoveryCodeUse::Rejected);
        assert_eq!(
            store.use_recovery_code(&user.id, &TokenHash::of_secret(b"guess"), at(3)).await.unwrap(),
            RecoveryCodeUse::Rejected
        );
        assert_eq!(store.unused_recovery_codes(&user.id).await.unwrap(), 1);
        store.disable_totp(&user.id).await.unwrap();
        assert_eq!(store.user(&user.id).await.unwrap().two_factor, TwoFactorState::NotSetUp);
        assert_eq!(store.unused_recovery_codes(&user.id).await.unwrap(), 0);
    }

    async fn accepts_each_totp_step_once_and_never_an_older_one(db: TestDb) {
        let store = db.open().await;
        let user = create(&store, "ada", Role::Clinician).await;
        assert!(store.accept_totp_step(&user.id, 100).await.unwrap());
        assert!(!store.accept_totp_step(&user.id, 100).await.unwrap());
        assert!(!store.accept_totp_step(&user.id, 99).await.unwrap());
        assert!(store.accept_totp_step(&user.id, 101).await.unwrap());
        // A second pool on the same database stands for another server process.
        let other_process = db.open().await;
        assert!(!other_process.accept_totp_step(&user.id, 101).await.unwrap());
        assert!(other_process.accept_totp_step(&user.id, 102).await.unwrap());
        let unknown = PersonId::new("no-such-user").unwrap();
        assert!(!store.accept_totp_step(&unknown, 1).await.unwrap());
    }

    async fn accepts_one_of_many_concurrent_uses_of_the_same_totp_step(db: TestDb) {
        let stores = [db.open().await, db.open().await];
        let user = create(&stores[0], "ada", Role::Clinician).await;
        let mut tasks = Vec::new();
        for attempt in 0..20 {
            let store = stores[attempt % 2].clone();
            let id = user.id.clone();
            tasks.push(tokio::spawn(async move { store.accept_totp_step(&id, 57_000_000).await.unwrap() }));
        }
        let mut accepted = 0;
        for task in tasks {
            if task.await.unwrap() {
                accepted += 1;
            }
        }
        assert_eq!(accepted, 1);
    }

    async fn stores_sessions_by_hash_and_replaces_them_on_privilege_change(db: TestDb) {
        let store = db.open().await;
        let user = create(&store, "ada", Role::Clinician).await;
        let pending = session_for(&user, b"first", SessionStage::AwaitingSecondFactor);
        store.create_session(pending.clone()).await.unwrap();
        let read = store.session(&pending.id_hash).await.unwrap().unwrap();
        assert_eq!((read.stage, read.last_seen_at), (SessionStage::AwaitingSecondFactor, at(10)));
        // The session with its account's role, two-factor state and disabling, in one read.
        let account = store.session_account(&pending.id_hash).await.unwrap().unwrap();
        assert_eq!(
            (&account.session, account.role, account.two_factor, account.disabled_at),
            (&read, Role::Clinician, TwoFactorState::NotSetUp, None)
        );
        store.set_totp_secret(&user.id, "JBSWY3DPEHPK3PXP").await.unwrap();
        store.set_disabled(&user.id, Some(at(15))).await.unwrap();
        let account = store.session_account(&pending.id_hash).await.unwrap().unwrap();
        assert_eq!((account.two_factor, account.disabled_at), (TwoFactorState::Pending, Some(at(15))));
        store.set_disabled(&user.id, None).await.unwrap();
        assert_eq!(store.session_account(&session_for(&user, b"unknown", SessionStage::Authenticated).id_hash).await.unwrap(), None);
        store.touch_session(&pending.id_hash, at(20)).await.unwrap();
        assert_eq!(store.session(&pending.id_hash).await.unwrap().unwrap().last_seen_at, at(20));
        let full = session_for(&user, b"second", SessionStage::Authenticated);
        store.replace_session(&pending.id_hash, full.clone()).await.unwrap();
        assert_eq!(store.session(&pending.id_hash).await.unwrap(), None);
        assert_eq!(
            store.session(&full.id_hash).await.unwrap().unwrap().stage,
            SessionStage::Authenticated
        );
        // The old id cannot be replaced twice: fixation through a stale id fails.
        assert!(matches!(
            store.replace_session(&pending.id_hash, session_for(&user, b"third", SessionStage::Authenticated)).await,
            Err(Error::NotFound { .. })
        ));
        assert_eq!(
            store.create_session(full.clone()).await,
            Err(Error::Conflict { table: "sessions", field: "id_hash" })
        );
        let other = session_for(&user, b"other-device", SessionStage::Authenticated);
        store.create_session(other.clone()).await.unwrap();
        assert_eq!(store.delete_user_sessions(&user.id, Some(&full.id_hash)).await.unwrap(), 1);
        assert!(store.session(&full.id_hash).await.unwrap().is_some());
        assert_eq!(store.delete_expired_sessions(at(20 + 7200), 7200).await.unwrap(), 1);
        assert_eq!(store.session(&full.id_hash).await.unwrap(), None);
        store.create_session(other.clone()).await.unwrap();
        store.create_session(full.clone()).await.unwrap();
        assert_eq!(store.delete_user_sessions(&user.id, None).await.unwrap(), 2);
        assert_eq!(store.list_users(None, Page::first(10)).await.unwrap().len(), 1);
    }

    async fn locks_out_after_the_policy_limit_and_unlocks_when_it_expires(db: TestDb) {
        let store = db.open().await;
        let key = ThrottleKey {
            scope: ThrottleScope::ClientAddress,
            action: ThrottleAction::Login,
            subject: "203.0.113.9".to_owned(),
        };
        let policy = ThrottlePolicy { max_failures: 3, window_seconds: 600, lockout_seconds: 900 };
        for second in 0..2 {
            let state = store.record_auth_failure(&key, at(second), policy).await.unwrap();
            assert_eq!(state.locked_until, None);
        }
        let locked = store.record_auth_failure(&key, at(2), policy).await.unwrap();
        assert_eq!((locked.failures, locked.locked_until), (3, Some(at(902))));
        assert_eq!(store.throttle_state(&key, at(901)).await.unwrap().locked_until, Some(at(902)));
        assert_eq!(store.throttle_state(&key, at(902)).await.unwrap().locked_until, None);
        let after = store.record_auth_failure(&key, at(903), policy).await.unwrap();
        assert_eq!((after.failures, after.locked_until), (1, None));
        store.clear_auth_failures(&key).await.unwrap();
        assert_eq!(store.throttle_state(&key, at(904)).await.unwrap().failures, 0);
    }

    async fn counts_every_one_of_many_concurrent_failures(db: TestDb) {
        let store = db.open().await;
        let key = ThrottleKey {
            scope: ThrottleScope::Account,
            action: ThrottleAction::SecondFactor,
            subject: "user-1".to_owned(),
        };
        let policy = ThrottlePolicy { max_failures: 1000, window_seconds: 600, lockout_seconds: 900 };
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let store = store.clone();
            let key = key.clone();
            tasks.push(tokio::spawn(async move {
                store.record_auth_failure(&key, at(1), policy).await.unwrap();
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(store.throttle_state(&key, at(2)).await.unwrap().failures, 20);
    }

    async fn spends_a_password_reset_token_once_and_never_after_expiry(db: TestDb) {
        let store = db.open().await;
        let user = create(&store, "ada", Role::Patient).await;
        let token = TokenHash::of_secret(b"reset-token");
        store.create_password_reset_token(&token, &user.id, at(0), at(3600)).await.unwrap();
        assert_eq!(store.consume_password_reset_token(&token, at(10)).await.unwrap(), Some(user.id.clone()));
        assert_eq!(store.consume_password_reset_token(&token, at(11)).await.unwrap(), None);
        let late = TokenHash::of_secret(b"late-token");
        store.create_password_reset_token(&late, &user.id, at(0), at(3600)).await.unwrap();
        assert_eq!(store.consume_password_reset_token(&late, at(3600)).await.unwrap(), None);
        assert_eq!(store.consume_password_reset_token(&TokenHash::of_secret(b"unknown"), at(1)).await.unwrap(), None);
    }

    async fn grants_clinician_access_only_through_an_accepted_link(db: TestDb) {
        let store = db.open().await;
        let clinician = create(&store, "doc", Role::Clinician).await;
        let patient = create(&store, "pat", Role::Patient).await;
        let link = store.request_link(&clinician.id, &patient.id, at(1)).await.unwrap();
        assert!(!store.has_accepted_link(&clinician.id, &patient.id).await.unwrap());
        let accepted = store.set_link_status(&link.id, LinkStatus::Accepted, at(2)).await.unwrap();
        assert_eq!((accepted.status, accepted.decided_at), (LinkStatus::Accepted, Some(at(2))));
        assert!(store.has_accepted_link(&clinician.id, &patient.id).await.unwrap());
        assert!(!store.has_accepted_link(&patient.id, &clinician.id).await.unwrap());
        store.set_link_status(&link.id, LinkStatus::Ended, at(3)).await.unwrap();
        assert!(!store.has_accepted_link(&clinician.id, &patient.id).await.unwrap());
        assert_eq!(store.links_of_patient(&patient.id).await.unwrap(), store.links_of_clinician(&clinician.id).await.unwrap());
        assert_eq!(store.link(&link.id).await.unwrap().status, LinkStatus::Ended);
    }

    async fn refuses_link_requests_and_moves_the_links_rules_forbid(db: TestDb) {
        let store = db.open().await;
        let clinician = create(&store, "doc", Role::Clinician).await;
        let patient = create(&store, "pat", Role::Patient).await;
        let refused = |result: Result<Link, Error>| match result {
            Err(Error::LinkRefused(refusal)) => refusal,
            other => panic!("expected a refusal, got {other:?}"),
        };
        let first = store.request_link(&clinician.id, &patient.id, at(1)).await.unwrap();
        assert_eq!(refused(store.request_link(&clinician.id, &patient.id, at(2)).await), LinkRefusal::AlreadyRequested);
        assert_eq!(
            refused(store.set_link_status(&first.id, LinkStatus::Ended, at(3)).await),
            LinkRefusal::InvalidMove { from: LinkStatus::Requested, to: LinkStatus::Ended }
        );
        store.set_link_status(&first.id, LinkStatus::Declined, at(10)).await.unwrap();
        let until = at(10 + DECLINE_COOLDOWN_SECONDS);
        assert_eq!(
            refused(store.request_link(&clinician.id, &patient.id, at(9 + DECLINE_COOLDOWN_SECONDS)).await),
            LinkRefusal::RecentlyDeclined { until }
        );
        let second = store.request_link(&clinician.id, &patient.id, until).await.unwrap();
        store.set_link_status(&second.id, LinkStatus::Accepted, until).await.unwrap();
        assert_eq!(refused(store.request_link(&clinician.id, &patient.id, until).await), LinkRefusal::AlreadyLinked);
        store.set_link_status(&second.id, LinkStatus::Ended, until).await.unwrap();
        assert_eq!(
            refused(store.set_link_status(&second.id, LinkStatus::Accepted, until).await),
            LinkRefusal::InvalidMove { from: LinkStatus::Ended, to: LinkStatus::Accepted }
        );
        // Refused writes change nothing; after an end the clinician may ask again.
        assert_eq!(store.links_of_patient(&patient.id).await.unwrap().len(), 2);
        store.request_link(&clinician.id, &patient.id, until).await.unwrap();
    }

    async fn round_trips_consent_events_into_a_ledger(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let staff = create(&store, "doc", Role::Clinician).await;
        let events = vec![
            ConsentEvent {
                person: patient.id.clone(),
                purpose: Purpose::Research,
                decision: Decision::Grant,
                at: at(1),
                wording_version: WordingVersion::new("2026-01").unwrap(),
                recorded_by: RecordedBy::Subject,
            },
            ConsentEvent {
                person: patient.id.clone(),
                purpose: Purpose::Research,
                decision: Decision::Withdraw,
                at: at(2),
                wording_version: WordingVersion::new("2026-01").unwrap(),
                recorded_by: RecordedBy::Staff(staff.id.clone()),
            },
        ];
        for event in &events {
            store.append_consent_event(event).await.unwrap();
        }
        let stored = store.consent_events(&patient.id).await.unwrap();
        assert_eq!(stored, events);
        let ledger = Ledger::replay(patient.id.clone(), stored).unwrap();
        assert!(ledger.is_allowed(Purpose::Research, at(1)));
        assert!(!ledger.is_allowed(Purpose::Research, at(2)));
    }

    async fn round_trips_clinical_records(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let clinician = create(&store, "doc", Role::Clinician).await;
        let entry = MoodEntry::new(date!(2026 - 05 - 28), at(1), 4).unwrap().with_anxiety(8).unwrap().with_note("a hard day").unwrap();
        let stored = store.add_mood_entry(&patient.id, &entry, Some(&screened("a hard day"))).await.unwrap();
        assert_eq!(store.mood_entries(&patient.id).await.unwrap(), vec![stored.clone()]);
        store.delete_mood_entry(&patient.id, &stored.id).await.unwrap();
        assert!(store.mood_entries(&patient.id).await.unwrap().is_empty());

        let assessment = store.add_assessment(NewAssessment {
            patient_id: patient.id.clone(),
            instrument_id: "gad7".to_owned(),
            instrument_version: "1".to_owned(),
            answers: vec![Some(3), Some(3), Some(2), Some(2), Some(1), Some(1), Some(0)],
            total: Some(12),
            band: None,
            flags: vec![],
            completed_at: at(2),
        }).await.unwrap();
        assert_eq!(store.assessments(&patient.id).await.unwrap(), vec![assessment]);

        let course = store.open_course(NewCourse {
            patient_id: patient.id.clone(),
            clinician_id: Some(clinician.id.clone()),
            problem_descriptor: ProblemDescriptor::SocialAnxiety,
            opened_at: at(3),
        }).await.unwrap();
        let appointment = store.add_treatment_session(NewTreatmentSession {
            course_id: course.id.clone(),
            patient_id: patient.id.clone(),
            clinician_id: None,
            at: at(4),
            kind: SessionKind::AssessmentAndTreatment,
            attendance: Attendance::DidNotAttend,
            scores: Vec::new(),
        }).await.unwrap();
        assert_eq!(store.treatment_sessions(&patient.id).await.unwrap(), vec![appointment]);
        let wrong_patient = store.add_treatment_session(NewTreatmentSession {
            course_id: course.id.clone(),
            patient_id: clinician.id.clone(),
            clinician_id: None,
            at: at(5),
            kind: SessionKind::Treatment,
            attendance: Attendance::Attended,
            scores: Vec::new(),
        }).await;
        assert!(matches!(wrong_patient, Err(Error::InvalidInput { field: "patient_id", .. })));
        let closed = store
            .close_course(&course.id, healing_core::outcomes::CourseEnding::DroppedOut, at(6))
            .await
            .unwrap();
        assert_eq!(closed.ending, Some(healing_core::outcomes::CourseEnding::DroppedOut));
        assert_eq!(store.courses(&patient.id).await.unwrap()[0].closed_at, Some(at(6)));

        let event = store.record_safety_event(NewSafetyEvent {
            patient_id: patient.id.clone(),
            source: "chat".to_owned(),
            level: RiskLevel::High,
            categories: vec![Category::SelfHarm, Category::Suicide],
            rules_version: "r7".to_owned(),
            at: at(7),
        }).await.unwrap();
        assert_eq!(store.safety_events(&patient.id).await.unwrap(), vec![event]);
        store.put_pet_state(&patient.id, &pet("Pip"), at(8)).await.unwrap();
        store.put_pet_state(&patient.id, &pet("Moss"), at(9)).await.unwrap();
        assert_eq!(store.pet_state(&patient.id).await.unwrap().unwrap().state, pet("Moss"));
        // A stored state the pet engine refuses is a corrupt row, not a pet.
        db.raw_execute(&store, "UPDATE pets SET state = '{\"hunger\":2}'").await;
        assert!(matches!(store.pet_state(&patient.id).await, Err(Error::CorruptRow { table: "pets", .. })));
    }

    async fn stores_a_scored_questionnaire_with_its_band_and_flags(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let answers = validated("phq9", &[2, 2, 2, 1, 1, 1, 1, 1, 2].map(Some));
        let score = scoring::score(&answers);
        let record = NewAssessment::from_score(patient.id.clone(), &answers, &score, at(1)).unwrap();
        assert_eq!(record.band, Some(BandId::Moderate));
        assert_eq!(record.flags, score.flags);
        assert!(record.flags.contains(&Flag::SelfHarmThoughts { item: 9, answer: 2 }));
        let stored = store.add_assessment(record).await.unwrap();
        assert_eq!(store.assessments(&patient.id).await.unwrap(), vec![stored.clone()]);
        assert_eq!((stored.total, stored.band, stored.flags), (Some(13), Some(BandId::Moderate), score.flags.clone()));
        // The answers, total, band and flags are one sealed value.
        assert_eq!(db.raw_count(&store, "SELECT COUNT(*) FROM assessments WHERE result IS NOT NULL").await, 1);
        // Thoughts of self-harm raise an alert whatever the total.
        assert_eq!(db.raw_count(&store, "SELECT COUNT(*) FROM alerts WHERE source = 'assessment' AND severity = 'high'").await, 1);

        // Answers to one instrument never make a record of another's score.
        let gad7 = scoring::score(&validated("gad7", &[1; 7].map(Some)));
        let mismatched = NewAssessment::from_score(patient.id.clone(), &answers, &gad7, at(2));
        assert!(matches!(mismatched, Err(Error::InvalidInput { field: "answers", .. })));

        // The C-SSRS screener has no total: its result is the triage band and flags,
        // and questions 3 to 5 are unasked after "no" to question 2.
        let triage_answers = validated("cssrs_screener", &[Some(1), Some(0), None, None, None, Some(1), Some(1)]);
        let triage = scoring::score(&triage_answers);
        let record = NewAssessment::from_score(patient.id.clone(), &triage_answers, &triage, at(3)).unwrap();
        let stored = store.add_assessment(record).await.unwrap();
        assert_eq!((stored.total, stored.band), (None, Some(BandId::HighRisk)));
        assert_eq!(stored.answers, vec![Some(1), Some(0), None, None, None, Some(1), Some(1)]);
        assert_eq!(store.assessments(&patient.id).await.unwrap().last(), Some(&stored));
        // Behaviour within three months is high triage: a critical alert.
        assert_eq!(db.raw_count(&store, "SELECT COUNT(*) FROM alerts WHERE source = 'assessment' AND severity = 'critical'").await, 1);
    }

    async fn lists_a_patients_alerts_in_every_state_oldest_first(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let other = create(&store, "otto", Role::Patient).await;
        let clinician = create(&store, "doc", Role::Clinician).await;
        store.add_journal_entry(&patient.id, &screened("I cut again last night"), at(1)).await.unwrap();
        store.add_journal_entry(&other.id, &screened("I cut again last night"), at(2)).await.unwrap();
        store.add_journal_entry(&patient.id, &screened("I've saved up my pills and I'm taking them tonight"), at(3)).await.unwrap();
        store.add_journal_entry(&patient.id, &screened("a calm walk by the sea"), at(4)).await.unwrap();

        // Oldest first, not the staff list's most-severe-first; only the patient's own.
        let alerts = store.alerts_of_patient(&patient.id).await.unwrap();
        let created: Vec<Timestamp> = alerts.iter().map(|alert| alert.created_at).collect();
        assert_eq!(created, [at(1), at(3)]);
        assert!(alerts.iter().all(|alert| alert.patient_id == patient.id && alert.state == AlertState::Open && alert.resolved_at.is_none()));
        // Each alert names the safety event behind it.
        let event_ids: Vec<Option<String>> = store.safety_events(&patient.id).await.unwrap().into_iter().map(|event| Some(event.id)).collect();
        let alert_event_ids: Vec<Option<String>> = alerts.iter().map(|alert| alert.safety_event_id.clone()).collect();
        assert_eq!(alert_event_ids, event_ids);

        // A resolved alert is still listed, with when it was resolved.
        store.acknowledge_alert(&alerts[0].id, &clinician.id, at(5)).await.unwrap();
        let resolved = store.resolve_alert(&alerts[0].id, &clinician.id, "called, safe tonight", at(6)).await.unwrap();
        let after = store.alerts_of_patient(&patient.id).await.unwrap();
        assert_eq!(after, vec![resolved, alerts[1].clone()]);
        assert_eq!((after[0].state, after[0].resolved_at), (AlertState::Resolved, Some(at(6))));
        assert_eq!(store.alerts_of_patient(&other.id).await.unwrap().len(), 1);
        assert!(store.alerts_of_patient(&clinician.id).await.unwrap().is_empty());
    }

    async fn wakes_the_delivery_worker_only_after_a_write_that_raised_an_alert(db: TestDb) {
        use std::time::Duration;
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        async fn quiet(store: &AnyStore) -> bool {
            tokio::time::timeout(Duration::from_millis(200), store.deliveries_queued()).await.is_err()
        }
        store.add_journal_entry(&patient.id, &screened("a calm walk by the sea"), at(1)).await.unwrap();
        assert!(quiet(&store).await, "an ordinary entry queues nothing");
        store.add_journal_entry(&patient.id, &screened("I've saved up my pills and I'm taking them tonight"), at(2)).await.unwrap();
        // The wake-up is kept for a worker that was not yet waiting.
        tokio::time::timeout(Duration::from_secs(5), store.deliveries_queued()).await.expect("a risky entry wakes the worker");
        assert!(quiet(&store).await, "one wake-up per write");
        let answers = validated("phq9", &[0, 0, 0, 0, 0, 0, 0, 0, 1].map(Some));
        store.add_assessment(NewAssessment::from_score(patient.id.clone(), &answers, &scoring::score(&answers), at(3)).unwrap()).await.unwrap();
        tokio::time::timeout(Duration::from_secs(5), store.deliveries_queued()).await.expect("item 9 wakes the worker");
    }

    async fn round_trips_encrypted_free_text(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let journal = store.add_journal_entry(&patient.id, &screened("dear diary ✨"), at(1)).await.unwrap();
        assert_eq!(store.journal_entries(&patient.id).await.unwrap(), vec![journal.clone()]);
        store.delete_journal_entry(&patient.id, &journal.id).await.unwrap();
        assert!(matches!(store.delete_journal_entry(&patient.id, &journal.id).await, Err(Error::NotFound { .. })));

        let channel = store.create_channel(&patient.id, "Walking", "", at(4)).await.unwrap();
        store.set_pseudonym(&patient.id, "walker", at(4)).await.unwrap();
        let post = store
            .write_community_post(&patient.id, PostTarget::Channel(&channel.id), &screened("walking helps"), PostingLimit::DEFAULT, at(4))
            .await
            .unwrap();
        assert_eq!(post.body, "walking helps");
        assert_eq!(store.community_posts(Page::first(10)).await.unwrap(), vec![post.clone()]);
        store.moderate_community_post(&post.id, &patient.id, ModerationAction::Hide, Some(CommunityReason::OffTopic), at(5)).await.unwrap();
        assert!(store.community_posts(Page::first(10)).await.unwrap().is_empty());

        store.save_safety_plan(&patient.id, "{\"contacts\":[\"sam\"]}", &screened("sam"), at(6)).await.unwrap();
        assert_eq!(store.safety_plan(&patient.id).await.unwrap().unwrap().body, "{\"contacts\":[\"sam\"]}");
    }

    async fn keeps_no_plaintext_of_encrypted_fields_in_the_database(db: TestDb) {
        let store = db.open().await;
        let mut new = new_user("pat", Role::Patient);
        new.display_name = format!("name {MARKER}");
        new.nhs_number = Some(format!("nhs {MARKER}"));
        let patient = store.create_user(new).await.unwrap();
        let clinician = create(&store, "doc", Role::Clinician).await;
        fill_every_table(&store, &patient, &clinician).await;
        store.set_totp_secret(&patient.id, MARKER).await.unwrap();
        // Every value is readable through the store...
        let export = store.export_user_data(&patient.id).await.unwrap();
        assert!(export.user.display_name.contains(MARKER));
        assert!(export.journal_entries[0].body.contains(MARKER));
        assert!(export.chat_messages[0].body.contains(MARKER));
        // ...and absent from the raw bytes (SQLite: after closing, so the WAL is checkpointed
        // into the file; both files are read).
        if db.kind == Kind::Sqlite {
            store.close().await;
        }
        let raw = db.raw_contents(&store).await;
        assert!(raw.len() > 1000, "the raw contents were read");
        assert!(
            !raw.windows(MARKER.len()).any(|window| window == MARKER.as_bytes()),
            "marker found in raw database contents"
        );
    }

    async fn keeps_no_questionnaire_answers_flags_or_problems_in_clear(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        // PHQ-9 item 9 answered 2: thoughts of self-harm.
        let answers = validated("phq9", &[2, 2, 2, 1, 1, 1, 1, 1, 2].map(Some));
        let score = scoring::score(&answers);
        let record = NewAssessment::from_score(patient.id.clone(), &answers, &score, at(1)).unwrap();
        assert!(record.flags.contains(&Flag::SelfHarmThoughts { item: 9, answer: 2 }));
        let stored = store.add_assessment(record).await.unwrap();
        let course = store.open_course(NewCourse {
            patient_id: patient.id.clone(),
            clinician_id: None,
            problem_descriptor: ProblemDescriptor::PostTraumaticStress,
            opened_at: at(2),
        }).await.unwrap();
        assert_eq!(store.assessments(&patient.id).await.unwrap(), vec![stored]);
        assert_eq!(store.courses(&patient.id).await.unwrap(), vec![course]);
        if db.kind == Kind::Sqlite {
            store.close().await;
        }
        assert_no_clear_clinical_values(&db.raw_contents(&store).await, "[2,2,2,1,1,1,1,1,2]");
    }

    async fn seals_questionnaires_and_courses_stored_in_clear_before_migration_7(db: TestDb) {
        let store = healing_store::connect(&db.url, healing_store::ConnectOptions::new(crate::harness::test_cipher())).await.unwrap();
        db.migrate_through(&store, 6).await;
        let patient = store.create_user(new_user("pat", Role::Patient)).await.unwrap();
        let id = patient.id.as_str();
        // As the store wrote them before: 501 results with a band and flags (more than
        // one sealing batch), one without a band, and a course's problem, all in clear.
        let flags_text = r#"["{\"flag\":\"self_harm_thoughts\",\"item\":9,\"answer\":2}","{\"flag\":\"clinical_range\"}"]"#;
        db.raw_execute(&store, &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 501) \
             INSERT INTO assessments \
             (id, patient_id, instrument_id, instrument_version, answers, total, band, flags, completed_at) \
             SELECT 'a' || (1000 + i), '{id}', 'phq9', '1', '[2,2,2,1,1,1,1,1,2]', 13, 'moderate', '{flags_text}', {} + i FROM n",
            at(0).unix_seconds()
        )).await;
        db.raw_execute(&store, &format!(
            "INSERT INTO assessments \
             (id, patient_id, instrument_id, instrument_version, answers, total, band, flags, completed_at) \
             VALUES ('b1', '{id}', 'who5', '1', '[5,4,3,2,1]', 15, NULL, '[]', {})",
            at(600).unix_seconds()
        )).await;
        db.raw_execute(&store, &format!(
            "INSERT INTO courses (id, patient_id, clinician_id, problem_descriptor, opened_at, closed_at) \
             VALUES ('c1', '{id}', NULL, 'post_traumatic_stress', {}, NULL)",
            at(700).unix_seconds()
        )).await;

        store.migrate().await.unwrap();
        store.migrate().await.unwrap();
        let stored = store.assessments(&patient.id).await.unwrap();
        assert_eq!(stored.len(), 502);
        let flags = vec![Flag::SelfHarmThoughts { item: 9, answer: 2 }, Flag::ClinicalRange];
        for (n, assessment) in stored[..501].iter().enumerate() {
            assert_eq!(assessment.id, format!("a{}", 1001 + n));
            assert_eq!(
                (&assessment.answers, assessment.total, assessment.band, &assessment.flags, assessment.completed_at),
                (&vec![Some(2), Some(2), Some(2), Some(1), Some(1), Some(1), Some(1), Some(1), Some(2)], Some(13), Some(BandId::Moderate), &flags, at(1 + n as i64))
            );
        }
        assert_eq!(
            (stored[501].answers.clone(), stored[501].total, stored[501].band, stored[501].flags.clone()),
            (vec![Some(5), Some(4), Some(3), Some(2), Some(1)], Some(15), None, vec![])
        );
        let courses = store.courses(&patient.id).await.unwrap();
        assert_eq!((courses[0].id.as_str(), courses[0].problem_descriptor), ("c1", ProblemDescriptor::PostTraumaticStress));
        // The clear columns are gone, and so are their values.
        assert!(db.raw_execute_error(&store, "SELECT answers FROM assessments").await.is_some());
        assert!(db.raw_execute_error(&store, "SELECT problem_descriptor FROM courses").await.is_some());
        if db.kind == Kind::Sqlite {
            store.close().await;
        }
        assert_no_clear_clinical_values(&db.raw_contents(&store).await, "[2,2,2,1,1,1,1,1,2]");
    }

    async fn refuses_a_sealed_value_copied_to_another_row(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let first = store.add_journal_entry(&patient.id, &screened("first"), at(1)).await.unwrap();
        let second = store.add_journal_entry(&patient.id, &screened("second"), at(2)).await.unwrap();
        db.raw_execute(&store, &format!(
            "UPDATE journal_entries SET body = (SELECT body FROM journal_entries WHERE id = '{}') WHERE id = '{}'",
            first.id, second.id
        )).await;
        match store.journal_entries(&patient.id).await {
            Err(Error::DecryptionFailed { table, column, row_id, .. }) => {
                assert_eq!((table.as_str(), column.as_str(), row_id), ("journal_entries", "body", second.id));
            }
            other => panic!("expected a decryption failure, got {other:?}"),
        }
    }

    async fn verifies_an_untouched_audit_chain(db: TestDb) {
        let store = db.open().await;
        let empty = store.verify_audit().await.unwrap();
        assert_eq!((empty.entries_checked, empty.head_seq, empty.status), (0, 0, AuditChainStatus::Intact));
        let actor = PersonId::new("actor-1").unwrap();
        let mut last = None;
        for n in 1..=5 {
            let record = store.append_audit(audit("login_succeeded", Some(&actor), None, n)).await.unwrap();
            assert_eq!(record.seq, n);
            if let Some(previous) = &last {
                assert_eq!(record.prev_hash, *previous);
            }
            last = Some(record.hash);
        }
        let report = store.verify_audit().await.unwrap();
        assert_eq!((report.entries_checked, report.head_seq, report.status), (5, 5, AuditChainStatus::Intact));
        assert_eq!(Some(report.head_hash), last);
        let mine = store.audit_entries(AuditQuery { actor_id: Some(actor), after_seq: Some(2), limit: 2, ..AuditQuery::default() }).await.unwrap();
        assert_eq!(mine.iter().map(|record| record.seq).collect::<Vec<_>>(), vec![3, 4]);
    }

    async fn refuses_to_update_delete_or_truncate_audit_rows(db: TestDb) {
        let store = db.open().await;
        store.append_audit(audit("record_read", None, None, 1)).await.unwrap();
        let mut statements = vec![
            "UPDATE audit_log SET detail = '{}' WHERE seq = 1",
            "DELETE FROM audit_log WHERE seq = 1",
        ];
        if db.kind == Kind::Postgres {
            statements.push("TRUNCATE audit_log");
        }
        for statement in statements {
            let error = db.raw_execute_error(&store, statement).await;
            assert!(
                error.as_deref().is_some_and(|message| message.contains("append-only")),
                "{statement} was not refused: {error:?}"
            );
        }
        assert_eq!(store.verify_audit().await.unwrap().entries_checked, 1);
    }

    async fn detects_an_edited_audit_entry(db: TestDb) {
        let store = db.open().await;
        for n in 1..=4 {
            store.append_audit(audit("record_read", None, None, n)).await.unwrap();
        }
        db.drop_audit_guard(&store).await;
        db.raw_execute(&store, "UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = 3").await;
        assert_eq!(
            store.verify_audit().await.unwrap().status,
            AuditChainStatus::Broken { found: AuditChainBreak::EntryEdited { seq: 3 } }
        );
    }

    async fn detects_a_deleted_audit_entry(db: TestDb) {
        let store = db.open().await;
        for n in 1..=4 {
            store.append_audit(audit("record_read", None, None, n)).await.unwrap();
        }
        db.drop_audit_guard(&store).await;
        db.raw_execute(&store, "DELETE FROM audit_log WHERE seq = 2").await;
        assert_eq!(
            store.verify_audit().await.unwrap().status,
            AuditChainStatus::Broken { found: AuditChainBreak::SequenceGap { expected_seq: 2, found_seq: 3 } }
        );
    }

    async fn detects_a_deleted_and_renumbered_audit_entry(db: TestDb) {
        let store = db.open().await;
        for n in 1..=4 {
            store.append_audit(audit("record_read", None, None, n)).await.unwrap();
        }
        db.drop_audit_guard(&store).await;
        db.raw_execute(&store, "DELETE FROM audit_log WHERE seq = 2").await;
        db.raw_execute(&store, "UPDATE audit_log SET seq = seq - 1 WHERE seq = 3").await;
        db.raw_execute(&store, "UPDATE audit_log SET seq = seq - 1 WHERE seq = 4").await;
        assert_eq!(
            store.verify_audit().await.unwrap().status,
            AuditChainStatus::Broken { found: AuditChainBreak::EntryEdited { seq: 2 } }
        );
    }

    async fn detects_swapped_audit_entries(db: TestDb) {
        let store = db.open().await;
        for n in 1..=4 {
            store.append_audit(audit("record_read", None, None, n)).await.unwrap();
        }
        // Swap entries 2 and 3 by exchanging their sequence numbers.
        db.drop_audit_guard(&store).await;
        db.raw_execute(&store, "UPDATE audit_log SET seq = 100 WHERE seq = 2").await;
        db.raw_execute(&store, "UPDATE audit_log SET seq = 2 WHERE seq = 3").await;
        db.raw_execute(&store, "UPDATE audit_log SET seq = 3 WHERE seq = 100").await;
        assert_eq!(
            store.verify_audit().await.unwrap().status,
            AuditChainStatus::Broken { found: AuditChainBreak::EntryEdited { seq: 2 } }
        );
    }

    // Concurrent conflicting decisions for one person: each is checked against the
    // ledger in its own write transaction, so some are refused but the stored ledger
    // always replays (before, two requests could pass the same check and leave a
    // ledger that no longer replayed).
    async fn concurrent_consent_decisions_leave_a_ledger_that_replays(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let mut tasks = Vec::new();
        for n in 0..50_i64 {
            let store = store.clone();
            let person = patient.id.clone();
            tasks.push(tokio::spawn(async move {
                let event = ConsentEvent {
                    person,
                    purpose: if n % 3 == 0 { Purpose::Research } else { Purpose::ClinicianSharing },
                    decision: if n % 2 == 0 { Decision::Grant } else { Decision::Withdraw },
                    // Several decisions share a second, and they finish in any order.
                    at: at(n / 5),
                    wording_version: WordingVersion::new("v1").unwrap(),
                    recorded_by: RecordedBy::Subject,
                };
                store.append_consent_event(&event).await
            }));
        }
        let mut accepted = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => accepted += 1,
                Err(Error::ConsentRefused(_)) => {}
                Err(other) => panic!("a decision failed other than by refusal: {other}"),
            }
        }
        assert!(accepted >= 1, "at least the first grant is accepted");
        let events = store.consent_events(&patient.id).await.unwrap();
        assert_eq!(events.len(), accepted);
        Ledger::replay(patient.id.clone(), events).expect("the stored ledger replays");
    }

    async fn serialises_concurrent_audit_appends_into_one_chain(db: TestDb) {
        let store = db.open().await;
        let mut tasks = Vec::new();
        for task in 0..8_i64 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut seqs = Vec::new();
                for n in 0..10_i64 {
                    seqs.push(store.append_audit(audit("record_read", None, None, task * 100 + n)).await.unwrap().seq);
                }
                seqs
            }));
        }
        // Appends are group-committed: each caller still gets its own entry's place
        // in the chain, and one caller's entries keep the order it wrote them in.
        let mut all = Vec::new();
        for task in tasks {
            let seqs = task.await.unwrap();
            assert!(seqs.windows(2).all(|pair| pair[0] < pair[1]), "{seqs:?}");
            all.extend(seqs);
        }
        all.sort_unstable();
        assert_eq!(all, (1..=80).collect::<Vec<i64>>());
        let report = store.verify_audit().await.unwrap();
        assert_eq!((report.entries_checked, report.status), (80, AuditChainStatus::Intact));
    }

    async fn exports_everything_held_about_a_patient(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let clinician = create(&store, "doc", Role::Clinician).await;
        fill_every_table(&store, &patient, &clinician).await;
        let export = store.export_user_data(&patient.id).await.unwrap();
        let counts = [
            export.consent_events.len(),
            export.links.len(),
            export.mood_entries.len(),
            export.assessments.len(),
            export.courses.len(),
            export.treatment_sessions.len(),
            export.journal_entries.len(),
            export.chat_messages.len(),
            export.messages.len(),
            export.community_posts.len(),
            export.safety_events.len(),
            export.audit_entries.len(),
        ];
        // Two consent decisions: research, and the clinician_sharing a message needs.
        assert_eq!(counts, [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        assert!(export.safety_plan.is_some() && export.pet.is_some());
        assert_eq!(export.user.two_factor, TwoFactorState::Pending);
        serde_json::to_string(&export).unwrap();
    }

    async fn erases_a_patient_from_every_table_and_leaves_a_tombstone(db: TestDb) {
        let store = db.open().await;
        let mut new = new_user("pat", Role::Patient);
        new.display_name = format!("name {MARKER}");
        let patient = store.create_user(new).await.unwrap();
        let clinician = create(&store, "doc", Role::Clinician).await;
        fill_every_table(&store, &patient, &clinician).await;
        let other = create(&store, "other", Role::Patient).await;
        fill_every_table(&store, &other, &clinician).await;

        let report = store.erase_user(&patient.id, Some(&clinician.id), None, at(100)).await.unwrap();
        for (table, count) in rows_mentioning(&db, &store, &patient.id).await {
            assert_eq!(count, 0, "{table} still mentions the erased patient");
        }
        assert_eq!(report.rows_deleted.get("users"), Some(&1));
        assert_eq!(report.rows_deleted.get("journal_entries"), Some(&1));
        assert_eq!(report.rows_deleted.get("chat_messages"), Some(&1));
        // The other patient keeps everything.
        assert_eq!(store.journal_entries(&other.id).await.unwrap().len(), 1);
        assert!(store.has_accepted_link(&clinician.id, &other.id).await.unwrap());
        // The tombstone holds the opaque id and counts only, and the chain still verifies.
        let tombstone = store.audit_entries(AuditQuery { after_seq: Some(report.tombstone_seq - 1), limit: 1, ..AuditQuery::default() }).await.unwrap();
        assert_eq!(tombstone[0].action.as_str(), "account_erased");
        for personal in [MARKER, "pat@example.nhs.uk", "\"pat\""] {
            assert!(!tombstone[0].detail.contains(personal), "tombstone holds {personal}");
        }
        assert_eq!(store.verify_audit().await.unwrap().status, AuditChainStatus::Intact);
        assert!(matches!(store.user(&patient.id).await, Err(Error::NotFound { .. })));
    }

    async fn erasing_a_clinician_keeps_their_patients_records(db: TestDb) {
        let store = db.open().await;
        let patient = create(&store, "pat", Role::Patient).await;
        let clinician = create(&store, "doc", Role::Clinician).await;
        fill_every_table(&store, &patient, &clinician).await;
        store.erase_user(&clinician.id, None, None, at(100)).await.unwrap();
        for (table, count) in rows_mentioning(&db, &store, &clinician.id).await {
            assert_eq!(count, 0, "{table} still mentions the erased clinician");
        }
        let courses = store.courses(&patient.id).await.unwrap();
        assert_eq!((courses.len(), courses[0].clinician_id.clone()), (1, None));
        assert_eq!(store.treatment_sessions(&patient.id).await.unwrap().len(), 1);
    }

    async fn rotates_every_encrypted_value_to_the_new_key(db: TestDb) {
        let old = db.open_with(cipher_with(&[("k1", 1)])).await;
        let mut new = new_user("pat", Role::Patient);
        new.nhs_number = Some("9434765919".to_owned());
        let patient = old.create_user(new).await.unwrap();
        let clinician = old.create_user(new_user("doc", Role::Clinician)).await.unwrap();
        fill_every_table(&old, &patient, &clinician).await;
        old.record_key(&KeyId::new("k1").unwrap(), at(0)).await.unwrap();
        let before = old.export_user_data(&patient.id).await.unwrap();
        old.close().await;

        let rotating = db.open_with(cipher_with(&[("k2", 2), ("k1", 1)])).await;
        rotating.record_key(&KeyId::new("k2").unwrap(), at(1)).await.unwrap();
        let report = rotate_keys(&rotating).await.unwrap();
        // Three users' display names (the patient, the clinician and the admin who
        // set the community channel), one nhs number, one totp secret, and one each of
        // mood note, journal, chat message, message, post, safety plan (and its earlier
        // version and a clinician's proposal), CBT tool run, questionnaire result,
        // course problem, course outcome, session scores and clinical note.
        assert_eq!((report.checked, report.resealed), (19, 19));
        assert_eq!(rotate_keys(&rotating).await.unwrap().resealed, 0);
        assert!(matches!(rotating.retire_key(&KeyId::new("k2").unwrap(), at(2)).await, Err(Error::InvalidKey { .. })));
        rotating.retire_key(&KeyId::new("k1").unwrap(), at(2)).await.unwrap();
        let keys = rotating.encryption_keys().await.unwrap();
        assert_eq!(keys.iter().map(|key| (key.key_id.as_str(), key.retired_at)).collect::<Vec<_>>(), vec![("k1", Some(at(2))), ("k2", None)]);
        rotating.close().await;

        let only_new = db.open_with(cipher_with(&[("k2", 2)])).await;
        let after = only_new.export_user_data(&patient.id).await.unwrap();
        assert_eq!(after.user, before.user);
        assert_eq!(after.journal_entries, before.journal_entries);
        assert_eq!(after.chat_messages, before.chat_messages);
        assert_eq!(after.safety_plan, before.safety_plan);
        assert_eq!(after.assessments, before.assessments);
        assert_eq!(after.courses, before.courses);
        only_new.close().await;

        let only_old = db.open_with(cipher_with(&[("k1", 1)])).await;
        assert_eq!(only_old.user(&patient.id).await, Err(Error::UnknownKey { key_id: "k2".to_owned() }));
        only_old.close().await;
    }

    async fn reseals_in_batches_that_resume_after_the_last_row(db: TestDb) {
        let old = db.open_with(cipher_with(&[("k1", 1)])).await;
        let patient = create(&old, "pat", Role::Patient).await;
        for n in 0..5 {
            old.add_journal_entry(&patient.id, &screened(&format!("entry {n}")), at(n)).await.unwrap();
        }
        old.close().await;
        let store = db.open_with(cipher_with(&[("k2", 2), ("k1", 1)])).await;
        let first = store.reseal_batch(EncryptedColumn::JournalEntriesBody, None, 2).await.unwrap();
        assert_eq!((first.checked, first.resealed), (2, 2));
        let second = store.reseal_batch(EncryptedColumn::JournalEntriesBody, first.next_after.as_deref(), 10).await.unwrap();
        assert_eq!((second.checked, second.resealed, second.next_after), (3, 3, None));
        assert_eq!(store.journal_entries(&patient.id).await.unwrap().len(), 5);
    }

    async fn a_read_only_store_reads_but_refuses_writes(db: TestDb) {
        let writer = db.open().await;
        let patient = create(&writer, "pat", Role::Patient).await;
        writer.add_journal_entry(&patient.id, &screened("private"), at(1)).await.unwrap();
        let reader = db.open_read_only().await;
        let people = reader.research_people(Page::first(10)).await.unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].id, patient.id);
        assert!(matches!(reader.create_user(new_user("intruder", Role::Admin)).await, Err(Error::ReadOnly { .. })));
        assert!(matches!(reader.migrate().await, Err(Error::ReadOnly { .. })));
        assert_eq!(reader.journal_entries(&patient.id).await.unwrap().len(), 1);
    }
}
