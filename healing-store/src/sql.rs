//! The SQL both back ends share, written once and instantiated for each by a macro.
//!
//! SQLite and PostgreSQL agree on everything this store needs: `$N` placeholders
//! (sqlx maps them for SQLite), `ON CONFLICT … DO UPDATE`, `RETURNING`, and the
//! column types chosen in `migrations/` (BIGINT seconds, TEXT ids and JSON, BLOB or
//! BYTEA ciphertext; Rust `bool` is stored as 0/1 by sqlx's SQLite driver and as
//! BOOLEAN in PostgreSQL). The macro is the honest way to share that text: sqlx's
//! generic bounds across databases are unwieldy, and `sqlx::Any` cannot carry booleans
//! and timestamps across both. What differs — opening a write transaction and
//! serialising audit appends — lives in `sqlite.rs` and `postgres.rs` as the inherent
//! methods `begin_write` and `lock_audit_chain`.

/// Implements [`Store`](super::Store) for a back end. `$store` must have fields
/// `pool: sqlx::Pool<$db>`, `cipher: std::sync::Arc<FieldCipher>` and `read_only:
/// bool`, inherent methods `begin_write` and `lock_audit_chain`, and the module must
/// define `ROW_LOCK`, the clause that locks selected rows until commit.
macro_rules! impl_sql_store {
    ($store:ident, $db:ty, $row:ty, $backend:expr) => {
        use sqlx::Row as _;

        use healing_core::consent::{ConsentEvent, RecordedBy, WordingVersion};
        use healing_core::ids::PersonId;
        use healing_core::mood::MoodEntry;
        use $crate::audit::{
            AuditAction, AuditChainVerifier, AuditEntry, AuditHash, AuditRecord,
            AuditVerification, audit_entry_hash,
        };
        use $crate::cipher::KeyId;
        use $crate::convert::{
            corrupt, from_json_text, from_serde_name, instant, json_text, named, new_id,
            normalise_email, open, optional_instant, optional_person, page_bounds, person,
            seal, serde_name,
        };
        use $crate::error::from_sqlx;
        use $crate::sql::AffectedRows;
        use $crate::records::*;
        use $crate::{Error, Store};
        use healing_core::timestamp::Timestamp;

        macro_rules! user_columns {
            () => {
                "id, username, email, display_name, role, totp_secret, \
             totp_enabled, nhs_number, year_of_birth, created_at, disabled_at"
            };
        }
        macro_rules! session_columns {
            () => {
                "id_hash, user_id, csrf_token, stage, created_at, \
             last_seen_at, expires_at, client_address"
            };
        }
        macro_rules! link_columns {
            () => {
                "id, clinician_id, patient_id, status, created_at, decided_at"
            };
        }
        macro_rules! mood_columns {
            () => {
                "id, patient_id, day, recorded_at, mood, sleep, anxiety, note"
            };
        }
        macro_rules! assessment_columns {
            () => {
                "id, patient_id, instrument_id, instrument_version, \
             answers, total, band, flags, completed_at"
            };
        }
        macro_rules! course_columns {
            () => {
                "id, patient_id, clinician_id, problem_descriptor, opened_at, closed_at"
            };
        }
        macro_rules! treatment_session_columns {
            () => {
                "id, course_id, patient_id, clinician_id, at, kind, attendance"
            };
        }
        macro_rules! message_columns {
            () => {
                "id, sender_id, recipient_id, body, sent_at, risk_level, read_at"
            };
        }
        macro_rules! post_columns {
            () => {
                "id, author_id, body, posted_at, risk_level, hidden_at"
            };
        }
        macro_rules! safety_event_columns {
            () => {
                "id, patient_id, source, level, categories, rules_version, at"
            };
        }
        macro_rules! alert_columns {
            () => {
                "id, patient_id, safety_event_id, severity, categories, source, source_id, \
             routed_to, state, created_at, acknowledged_at, acknowledged_by, resolved_at, \
             resolved_by, resolution"
            };
        }
        macro_rules! audit_columns {
            () => {
                "seq, at, actor_id, action, subject_patient_id, detail, prev_hash, hash"
            };
        }
        macro_rules! consent_columns {
            () => {
                "person_id, purpose, decision, at, wording_version, recorded_by_staff_id"
            };
        }

        /// Reads one column, mapping decode failures to store errors.
        fn column<'r, T>(row: &'r $row, name: &str) -> Result<T, Error>
        where
            T: sqlx::Decode<'r, $db> + sqlx::Type<$db>,
        {
            row.try_get(name).map_err(from_sqlx)
        }

        fn not_found(entity: &'static str, id: &str) -> Error {
            Error::NotFound {
                entity,
                id: id.to_owned(),
            }
        }

        /// Fails with `NotFound` unless the statement touched a row.
        fn expect_row(
            result: sqlx::Result<impl AffectedRows>,
            entity: &'static str,
            id: &str,
        ) -> Result<(), Error> {
            if result.map_err(from_sqlx)?.affected() == 0 {
                Err(not_found(entity, id))
            } else {
                Ok(())
            }
        }

        impl $store {
            fn user_from_row(&self, row: &$row) -> Result<User, Error> {
                let id: String = column(row, "id")?;
                let display_name: Vec<u8> = column(row, "display_name")?;
                let nhs_number: Option<Vec<u8>> = column(row, "nhs_number")?;
                let totp_secret: Option<Vec<u8>> = column(row, "totp_secret")?;
                let totp_enabled: bool = column(row, "totp_enabled")?;
                let role: String = column(row, "role")?;
                Ok(User {
                    display_name: open(&self.cipher, "users", "display_name", &id, &display_name)?,
                    nhs_number: nhs_number
                        .map(|sealed| open(&self.cipher, "users", "nhs_number", &id, &sealed))
                        .transpose()?,
                    two_factor: match (totp_secret.is_some(), totp_enabled) {
                        (false, _) => TwoFactorState::NotSetUp,
                        (true, false) => TwoFactorState::Pending,
                        (true, true) => TwoFactorState::Enabled,
                    },
                    role: named(&role, Role::from_name, "users", "role")?,
                    username: column(row, "username")?,
                    email: column(row, "email")?,
                    year_of_birth: column(row, "year_of_birth")?,
                    created_at: instant(column(row, "created_at")?, "users", "created_at")?,
                    disabled_at: optional_instant(
                        column(row, "disabled_at")?,
                        "users",
                        "disabled_at",
                    )?,
                    id: person(id, "users", "id")?,
                })
            }

            fn session_from_row(row: &$row) -> Result<LoginSession, Error> {
                let id_hash: Vec<u8> = column(row, "id_hash")?;
                let stage: String = column(row, "stage")?;
                Ok(LoginSession {
                    id_hash: TokenHash::from_slice(&id_hash)
                        .ok_or_else(|| corrupt("sessions", "id_hash", "not 32 bytes"))?,
                    user_id: person(column(row, "user_id")?, "sessions", "user_id")?,
                    csrf_token: column(row, "csrf_token")?,
                    stage: named(&stage, SessionStage::from_name, "sessions", "stage")?,
                    created_at: instant(column(row, "created_at")?, "sessions", "created_at")?,
                    last_seen_at: instant(
                        column(row, "last_seen_at")?,
                        "sessions",
                        "last_seen_at",
                    )?,
                    expires_at: instant(column(row, "expires_at")?, "sessions", "expires_at")?,
                    client_address: column(row, "client_address")?,
                })
            }

            fn link_from_row(row: &$row) -> Result<Link, Error> {
                let table = "clinician_patient_links";
                let status: String = column(row, "status")?;
                Ok(Link {
                    id: column(row, "id")?,
                    clinician_id: person(column(row, "clinician_id")?, table, "clinician_id")?,
                    patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
                    status: named(&status, LinkStatus::from_name, table, "status")?,
                    created_at: instant(column(row, "created_at")?, table, "created_at")?,
                    decided_at: optional_instant(column(row, "decided_at")?, table, "decided_at")?,
                })
            }

            fn consent_from_row(row: &$row) -> Result<ConsentEvent, Error> {
                let table = "consent_events";
                let staff: Option<String> = column(row, "recorded_by_staff_id")?;
                let wording: String = column(row, "wording_version")?;
                Ok(ConsentEvent {
                    person: person(column(row, "person_id")?, table, "person_id")?,
                    purpose: from_serde_name(column(row, "purpose")?, table, "purpose")?,
                    decision: from_serde_name(column(row, "decision")?, table, "decision")?,
                    at: instant(column(row, "at")?, table, "at")?,
                    wording_version: WordingVersion::new(wording)
                        .map_err(|error| corrupt(table, "wording_version", error.to_string()))?,
                    recorded_by: match staff {
                        None => RecordedBy::Subject,
                        Some(staff) => {
                            RecordedBy::Staff(person(staff, table, "recorded_by_staff_id")?)
                        }
                    },
                })
            }

            fn mood_from_row(&self, row: &$row) -> Result<StoredMoodEntry, Error> {
                let table = "mood_entries";
                let id: String = column(row, "id")?;
                let day_text: String = column(row, "day")?;
                let day = time::Date::parse(
                    &day_text,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .map_err(|_| corrupt(table, "day", "not a yyyy-mm-dd date"))?;
                let recorded_at = instant(column(row, "recorded_at")?, table, "recorded_at")?;
                let rating = |name: &'static str, value: i32| {
                    u8::try_from(value).map_err(|_| corrupt(table, name, "out of range"))
                };
                let invalid = |name: &'static str| {
                    move |error: healing_core::mood::Error| corrupt(table, name, error.to_string())
                };
                let mut entry = MoodEntry::new(day, recorded_at, rating("mood", column(row, "mood")?)?)
                    .map_err(invalid("mood"))?;
                if let Some(sleep) = column::<Option<i32>>(row, "sleep")? {
                    entry = entry.with_sleep(rating("sleep", sleep)?).map_err(invalid("sleep"))?;
                }
                if let Some(anxiety) = column::<Option<i32>>(row, "anxiety")? {
                    entry = entry
                        .with_anxiety(rating("anxiety", anxiety)?)
                        .map_err(invalid("anxiety"))?;
                }
                if let Some(note) = column::<Option<Vec<u8>>>(row, "note")? {
                    let note = open(&self.cipher, table, "note", &id, &note)?;
                    entry = entry.with_note(note).map_err(invalid("note"))?;
                }
                Ok(StoredMoodEntry {
                    patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
                    id,
                    entry,
                })
            }

            fn assessment_from_row(row: &$row) -> Result<StoredAssessment, Error> {
                let table = "assessments";
                let answers: String = column(row, "answers")?;
                let flags: String = column(row, "flags")?;
                Ok(StoredAssessment {
                    id: column(row, "id")?,
                    patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
                    instrument_id: column(row, "instrument_id")?,
                    instrument_version: column(row, "instrument_version")?,
                    answers: from_json_text(&answers, table, "answers")?,
                    total: column(row, "total")?,
                    band: column(row, "band")?,
                    flags: from_json_text(&flags, table, "flags")?,
                    completed_at: instant(column(row, "completed_at")?, table, "completed_at")?,
                })
            }

            fn course_from_row(row: &$row) -> Result<TreatmentCourse, Error> {
                let table = "courses";
                Ok(TreatmentCourse {
                    id: column(row, "id")?,
                    patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
                    clinician_id: optional_person(
                        column(row, "clinician_id")?,
                        table,
                        "clinician_id",
                    )?,
                    problem_descriptor: from_serde_name(
                        column(row, "problem_descriptor")?,
                        table,
                        "problem_descriptor",
                    )?,
                    opened_at: instant(column(row, "opened_at")?, table, "opened_at")?,
                    closed_at: optional_instant(column(row, "closed_at")?, table, "closed_at")?,
                })
            }

            fn treatment_session_from_row(row: &$row) -> Result<TreatmentSession, Error> {
                let table = "treatment_sessions";
                let attendance: String = column(row, "attendance")?;
                Ok(TreatmentSession {
                    id: column(row, "id")?,
                    course_id: column(row, "course_id")?,
                    patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
                    clinician_id: optional_person(
                        column(row, "clinician_id")?,
                        table,
                        "clinician_id",
                    )?,
                    at: instant(column(row, "at")?, table, "at")?,
                    kind: from_serde_name(column(row, "kind")?, table, "kind")?,
                    attendance: named(&attendance, Attendance::from_name, table, "attendance")?,
                })
            }

            fn journal_from_row(&self, row: &$row) -> Result<JournalEntry, Error> {
                let table = "journal_entries";
                let id: String = column(row, "id")?;
                let body: Vec<u8> = column(row, "body")?;
                Ok(JournalEntry {
                    body: open(&self.cipher, table, "body", &id, &body)?,
                    patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
                    written_at: instant(column(row, "written_at")?, table, "written_at")?,
                    id,
                })
            }

            fn message_from_row(&self, row: &$row) -> Result<Message, Error> {
                let table = "messages";
                let id: String = column(row, "id")?;
                let body: Vec<u8> = column(row, "body")?;
                Ok(Message {
                    body: open(&self.cipher, table, "body", &id, &body)?,
                    sender_id: person(column(row, "sender_id")?, table, "sender_id")?,
                    recipient_id: person(column(row, "recipient_id")?, table, "recipient_id")?,
                    sent_at: instant(column(row, "sent_at")?, table, "sent_at")?,
                    risk_level: column(row, "risk_level")?,
                    read_at: optional_instant(column(row, "read_at")?, table, "read_at")?,
                    id,
                })
            }

            fn post_from_row(&self, row: &$row) -> Result<CommunityPost, Error> {
                let table = "community_posts";
                let id: String = column(row, "id")?;
                let body: Vec<u8> = column(row, "body")?;
                Ok(CommunityPost {
                    body: open(&self.cipher, table, "body", &id, &body)?,
                    author_id: person(column(row, "author_id")?, table, "author_id")?,
                    posted_at: instant(column(row, "posted_at")?, table, "posted_at")?,
                    risk_level: column(row, "risk_level")?,
                    hidden_at: optional_instant(column(row, "hidden_at")?, table, "hidden_at")?,
                    id,
                })
            }

            fn safety_event_from_row(row: &$row) -> Result<SafetyEvent, Error> {
                let table = "safety_events";
                let categories: String = column(row, "categories")?;
                Ok(SafetyEvent {
                    id: column(row, "id")?,
                    patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
                    source: column(row, "source")?,
                    level: column(row, "level")?,
                    categories: from_json_text(&categories, table, "categories")?,
                    rules_version: column(row, "rules_version")?,
                    at: instant(column(row, "at")?, table, "at")?,
                })
            }

            fn audit_from_row(row: &$row) -> Result<AuditRecord, Error> {
                let table = "audit_log";
                let action: String = column(row, "action")?;
                let prev_hash: Vec<u8> = column(row, "prev_hash")?;
                let hash: Vec<u8> = column(row, "hash")?;
                Ok(AuditRecord {
                    seq: column(row, "seq")?,
                    at: instant(column(row, "at")?, table, "at")?,
                    actor_id: optional_person(column(row, "actor_id")?, table, "actor_id")?,
                    action: AuditAction::new(action)
                        .map_err(|error| corrupt(table, "action", error.to_string()))?,
                    subject_patient_id: optional_person(
                        column(row, "subject_patient_id")?,
                        table,
                        "subject_patient_id",
                    )?,
                    detail: column(row, "detail")?,
                    prev_hash: AuditHash::from_slice(&prev_hash)
                        .ok_or_else(|| corrupt(table, "prev_hash", "not 32 bytes"))?,
                    hash: AuditHash::from_slice(&hash)
                        .ok_or_else(|| corrupt(table, "hash", "not 32 bytes"))?,
                })
            }

            /// Appends an audit entry inside an open write transaction.
            async fn append_audit_in(
                tx: &mut sqlx::Transaction<'static, $db>,
                entry: AuditEntry,
            ) -> Result<AuditRecord, Error> {
                Self::lock_audit_chain(tx).await?;
                let head = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&mut **tx)
                    .await
                    .map_err(from_sqlx)?;
                let (prev_seq, prev_hash) = match head {
                    None => (0_i64, AuditHash::GENESIS),
                    Some(row) => {
                        let hash: Vec<u8> = column(&row, "hash")?;
                        (
                            column::<i64>(&row, "seq")?,
                            AuditHash::from_slice(&hash)
                                .ok_or_else(|| corrupt("audit_log", "hash", "not 32 bytes"))?,
                        )
                    }
                };
                let seq = prev_seq + 1;
                let detail = json_text(&entry.detail, "audit detail")?;
                let hash = audit_entry_hash(
                    &prev_hash,
                    seq,
                    entry.at,
                    entry.actor_id.as_ref().map(PersonId::as_str),
                    entry.action.as_str(),
                    entry.subject_patient_id.as_ref().map(PersonId::as_str),
                    &detail,
                );
                sqlx::query(
                    "INSERT INTO audit_log \
                     (seq, at, actor_id, action, subject_patient_id, detail, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(seq)
                .bind(entry.at.unix_seconds())
                .bind(entry.actor_id.as_ref().map(PersonId::as_str))
                .bind(entry.action.as_str())
                .bind(entry.subject_patient_id.as_ref().map(PersonId::as_str))
                .bind(&detail)
                .bind(prev_hash.0.to_vec())
                .bind(hash.0.to_vec())
                .execute(&mut **tx)
                .await
                .map_err(from_sqlx)?;
                Ok(AuditRecord {
                    seq,
                    at: entry.at,
                    actor_id: entry.actor_id,
                    action: entry.action,
                    subject_patient_id: entry.subject_patient_id,
                    detail,
                    prev_hash,
                    hash,
                })
            }

            fn alert_from_row(&self, row: &$row) -> Result<Alert, Error> {
                let table = "alerts";
                let id: String = column(row, "id")?;
                let severity: String = column(row, "severity")?;
                let source: String = column(row, "source")?;
                let routed_to: String = column(row, "routed_to")?;
                let state: String = column(row, "state")?;
                let categories: String = column(row, "categories")?;
                let resolution: Option<Vec<u8>> = column(row, "resolution")?;
                Ok(Alert {
                    patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
                    safety_event_id: column(row, "safety_event_id")?,
                    severity: named(&severity, AlertSeverity::from_name, table, "severity")?,
                    categories: from_json_text(&categories, table, "categories")?,
                    source: named(&source, AlertSource::from_name, table, "source")?,
                    source_id: column(row, "source_id")?,
                    routed_to: named(&routed_to, AlertRoute::from_name, table, "routed_to")?,
                    state: named(&state, AlertState::from_name, table, "state")?,
                    created_at: instant(column(row, "created_at")?, table, "created_at")?,
                    acknowledged_at: optional_instant(column(row, "acknowledged_at")?, table, "acknowledged_at")?,
                    acknowledged_by: optional_person(column(row, "acknowledged_by")?, table, "acknowledged_by")?,
                    resolved_at: optional_instant(column(row, "resolved_at")?, table, "resolved_at")?,
                    resolved_by: optional_person(column(row, "resolved_by")?, table, "resolved_by")?,
                    resolution: resolution
                        .map(|sealed| open(&self.cipher, table, "resolution", &id, &sealed))
                        .transpose()?,
                    id,
                })
            }

            /// Stores what screening found about a record written in `tx`: at medium
            /// risk and above, or when screening failed, a safety event (level,
            /// categories, rule ids and byte spans, never the words) and an alert routed
            /// to the patient's linked clinicians or, if none, the duty contact.
            async fn record_screening_in(
                tx: &mut sqlx::Transaction<'static, $db>,
                patient_id: &PersonId,
                source: AlertSource,
                record_id: &str,
                screened: &Screened,
                at: Timestamp,
            ) -> Result<(), Error> {
                let Some(severity) = screened.outcome().alert_severity() else {
                    return Ok(());
                };
                let (level, categories, evidence, rules_version) = match screened.outcome() {
                    ScreeningOutcome::Assessed { level, categories, evidence, rules_version } => (
                        level.as_str(),
                        categories.iter().map(|category| category.as_str().to_owned()).collect::<Vec<_>>(),
                        evidence.clone(),
                        rules_version.as_str(),
                    ),
                    // As healing-core's own fail-closed assessment: high, no categories,
                    // rules `unavailable`.
                    ScreeningOutcome::FailedClosed => ("high", Vec::new(), Vec::new(), "unavailable"),
                };
                let event_id = new_id()?;
                sqlx::query(
                    "INSERT INTO safety_events \
                     (id, patient_id, source, level, categories, rules_version, at, record_id, findings) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&event_id)
                .bind(patient_id.as_str())
                .bind(source.as_str())
                .bind(level)
                .bind(json_text(&categories, "categories")?)
                .bind(rules_version)
                .bind(at.unix_seconds())
                .bind(record_id)
                .bind(json_text(&evidence, "findings")?)
                .execute(&mut **tx)
                .await
                .map_err(from_sqlx)?;
                Self::raise_alert_in(tx, patient_id, Some(&event_id), severity, &categories, source, record_id, at).await
            }

            /// Raises an alert in `tx`, routed and audited.
            #[expect(clippy::too_many_arguments, reason = "one alert row's fields, all required")]
            async fn raise_alert_in(
                tx: &mut sqlx::Transaction<'static, $db>,
                patient_id: &PersonId,
                safety_event_id: Option<&str>,
                severity: AlertSeverity,
                categories: &[String],
                source: AlertSource,
                source_id: &str,
                at: Timestamp,
            ) -> Result<(), Error> {
                let linked = sqlx::query(
                    "SELECT COUNT(*) AS linked FROM clinician_patient_links \
                     WHERE patient_id = $1 AND status = 'accepted'",
                )
                .bind(patient_id.as_str())
                .fetch_one(&mut **tx)
                .await
                .map_err(from_sqlx)?;
                // No alert goes nowhere: without a linked clinician the duty contact has it.
                let routed_to = if column::<i64>(&linked, "linked")? > 0 {
                    AlertRoute::LinkedClinicians
                } else {
                    AlertRoute::DutyContact
                };
                let alert_id = new_id()?;
                sqlx::query(
                    "INSERT INTO alerts (id, patient_id, safety_event_id, severity, severity_rank, \
                     categories, source, source_id, routed_to, state, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10)",
                )
                .bind(&alert_id)
                .bind(patient_id.as_str())
                .bind(safety_event_id)
                .bind(severity.as_str())
                .bind(severity.rank())
                .bind(json_text(&categories, "categories")?)
                .bind(source.as_str())
                .bind(source_id)
                .bind(routed_to.as_str())
                .bind(at.unix_seconds())
                .execute(&mut **tx)
                .await
                .map_err(from_sqlx)?;
                Self::append_audit_in(
                    tx,
                    AuditEntry {
                        at,
                        actor_id: None,
                        action: AuditAction::new("alert_raised")?,
                        subject_patient_id: Some(patient_id.clone()),
                        detail: serde_json::json!({
                            "alert_id": alert_id,
                            "severity": severity.as_str(),
                            "source": source.as_str(),
                            "source_id": source_id,
                            "routed_to": routed_to.as_str(),
                        }),
                    },
                )
                .await?;
                Ok(())
            }

            /// Moves an alert from one of `from` to `to` in one transaction with its
            /// audit entry; `Conflict` on `state` when it is in none of `from`.
            async fn transition_alert(
                &self,
                alert_id: &str,
                actor_id: &PersonId,
                to: AlertState,
                resolution: Option<&str>,
                at: Timestamp,
            ) -> Result<Alert, Error> {
                let mut tx = self.begin_write().await?;
                let result = match to {
                    AlertState::Acknowledged => sqlx::query(
                        "UPDATE alerts SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3 \
                         WHERE id = $1 AND state = 'open'",
                    )
                    .bind(alert_id)
                    .bind(at.unix_seconds())
                    .bind(actor_id.as_str())
                    .execute(&mut *tx)
                    .await,
                    AlertState::Resolved => {
                        let sealed = seal(&self.cipher, "alerts", "resolution", alert_id, resolution.unwrap_or_default())?;
                        sqlx::query(
                            "UPDATE alerts SET state = 'resolved', resolved_at = $2, resolved_by = $3, resolution = $4 \
                             WHERE id = $1 AND state IN ('open', 'acknowledged')",
                        )
                        .bind(alert_id)
                        .bind(at.unix_seconds())
                        .bind(actor_id.as_str())
                        .bind(sealed)
                        .execute(&mut *tx)
                        .await
                    }
                    AlertState::Open => return Err(Error::InvalidInput {
                        field: "state",
                        reason: "an alert cannot be reopened".to_owned(),
                    }),
                };
                let moved = result.map_err(from_sqlx)?.affected() > 0;
                let row = sqlx::query(concat!("SELECT ", alert_columns!(), " FROM alerts WHERE id = $1"))
                    .bind(alert_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(from_sqlx)?
                    .ok_or_else(|| not_found("alert", alert_id))?;
                if !moved {
                    return Err(Error::Conflict { table: "alerts", field: "state" });
                }
                let alert = self.alert_from_row(&row)?;
                let action = match to {
                    AlertState::Acknowledged => "alert_acknowledged",
                    _ => "alert_resolved",
                };
                Self::append_audit_in(
                    &mut tx,
                    AuditEntry {
                        at,
                        actor_id: Some(actor_id.clone()),
                        action: AuditAction::new(action)?,
                        subject_patient_id: Some(alert.patient_id.clone()),
                        // The action text stays in its encrypted column.
                        detail: serde_json::json!({ "alert_id": alert_id, "severity": alert.severity.as_str() }),
                    },
                )
                .await?;
                tx.commit().await.map_err(from_sqlx)?;
                Ok(alert)
            }

            async fn insert_session<'e, E>(executor: E, session: &NewSession) -> Result<(), Error>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query(concat!("INSERT INTO sessions (", session_columns!(), ") VALUES ($1, $2, $3, $4, $5, $5, $6, $7)"))
                .bind(session.id_hash.as_bytes().to_vec())
                .bind(session.user_id.as_str())
                .bind(&session.csrf_token)
                .bind(session.stage.as_str())
                .bind(session.created_at.unix_seconds())
                .bind(session.expires_at.unix_seconds())
                .bind(session.client_address.as_deref())
                .execute(executor)
                .await
                .map_err(from_sqlx)?;
                Ok(())
            }

            async fn fetch_all<'q>(
                &self,
                query: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>>,
            ) -> Result<Vec<$row>, Error> {
                query.fetch_all(&self.pool).await.map_err(from_sqlx)
            }
        }

        impl Store for $store {
            fn backend(&self) -> Backend {
                $backend
            }

            async fn ping(&self) -> Result<(), Error> {
                sqlx::query("SELECT 1")
                    .execute(&self.pool)
                    .await
                    .map_err(from_sqlx)?;
                Ok(())
            }

            async fn migrate(&self) -> Result<(), Error> {
                if self.read_only {
                    return Err(Error::ReadOnly {
                        operation: "migrate",
                    });
                }
                $crate::migrations::migrator($backend)
                    .await?
                    .run(&self.pool)
                    .await
                    .map_err(|error| Error::MigrationFailed {
                        reason: error.to_string(),
                    })
            }

            // ---- users ----

            async fn create_user(&self, user: NewUser) -> Result<User, Error> {
                validate_new_user(&user)?;
                let id = new_id()?;
                let email = normalise_email(&user.email);
                let display_name = seal(&self.cipher, "users", "display_name", &id, &user.display_name)?;
                let nhs_number = user
                    .nhs_number
                    .as_deref()
                    .map(|number| seal(&self.cipher, "users", "nhs_number", &id, number))
                    .transpose()?;
                sqlx::query(
                    "INSERT INTO users (id, username, email, display_name, role, password_hash, \
                     password_scheme, totp_secret, totp_enabled, nhs_number, year_of_birth, \
                     created_at, disabled_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, NULL)",
                )
                .bind(&id)
                .bind(&user.username)
                .bind(&email)
                .bind(display_name)
                .bind(user.role.as_str())
                .bind(&user.password_hash)
                .bind(user.password_scheme.as_str())
                .bind(false)
                .bind(nhs_number)
                .bind(user.year_of_birth)
                .bind(user.created_at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(User {
                    id: person(id, "users", "id")?,
                    username: user.username,
                    email,
                    display_name: user.display_name,
                    role: user.role,
                    two_factor: TwoFactorState::NotSetUp,
                    nhs_number: user.nhs_number,
                    year_of_birth: user.year_of_birth,
                    created_at: user.created_at,
                    disabled_at: None,
                })
            }

            async fn user(&self, id: &PersonId) -> Result<User, Error> {
                let row = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"))
                    .bind(id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(from_sqlx)?
                    .ok_or_else(|| not_found("user", id.as_str()))?;
                self.user_from_row(&row)
            }

            async fn user_by_username(&self, username: &str) -> Result<Option<User>, Error> {
                let row = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE username = $1"))
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(from_sqlx)?;
                row.map(|row| self.user_from_row(&row)).transpose()
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<User>, Error> {
                let row = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1"))
                    .bind(normalise_email(email))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(from_sqlx)?;
                row.map(|row| self.user_from_row(&row)).transpose()
            }

            async fn list_users(&self, role: Option<Role>, page: Page) -> Result<Vec<User>, Error> {
                let (limit, offset) = page_bounds(page);
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", user_columns!(), " FROM users \
                             WHERE ($1 IS NULL OR role = $1) \
                             ORDER BY created_at, id LIMIT $2 OFFSET $3"))
                        .bind(role.map(Role::as_str))
                        .bind(limit)
                        .bind(offset),
                    )
                    .await?;
                rows.iter().map(|row| self.user_from_row(row)).collect()
            }

            async fn password_credentials(&self, id: &PersonId) -> Result<PasswordCredentials, Error> {
                let row = sqlx::query("SELECT password_hash, password_scheme FROM users WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(from_sqlx)?
                    .ok_or_else(|| not_found("user", id.as_str()))?;
                let scheme: String = column(&row, "password_scheme")?;
                Ok(PasswordCredentials {
                    user_id: id.clone(),
                    password_hash: column(&row, "password_hash")?,
                    scheme: named(&scheme, PasswordScheme::from_name, "users", "password_scheme")?,
                })
            }

            async fn set_password(
                &self,
                id: &PersonId,
                password_hash: &str,
                scheme: PasswordScheme,
            ) -> Result<(), Error> {
                expect_row(
                    sqlx::query("UPDATE users SET password_hash = $2, password_scheme = $3 WHERE id = $1")
                        .bind(id.as_str())
                        .bind(password_hash)
                        .bind(scheme.as_str())
                        .execute(&self.pool)
                        .await,
                    "user",
                    id.as_str(),
                )
            }

            async fn set_role(&self, id: &PersonId, role: Role) -> Result<(), Error> {
                expect_row(
                    sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
                        .bind(id.as_str())
                        .bind(role.as_str())
                        .execute(&self.pool)
                        .await,
                    "user",
                    id.as_str(),
                )
            }

            async fn set_display_name(&self, id: &PersonId, display_name: &str) -> Result<(), Error> {
                if display_name.is_empty() || display_name.len() > 200 {
                    return Err(Error::InvalidInput {
                        field: "display_name",
                        reason: format!("is {} bytes long, outside 1 to 200", display_name.len()),
                    });
                }
                let sealed = seal(&self.cipher, "users", "display_name", id.as_str(), display_name)?;
                expect_row(
                    sqlx::query("UPDATE users SET display_name = $2 WHERE id = $1")
                        .bind(id.as_str())
                        .bind(sealed)
                        .execute(&self.pool)
                        .await,
                    "user",
                    id.as_str(),
                )
            }

            async fn set_disabled(&self, id: &PersonId, at: Option<Timestamp>) -> Result<(), Error> {
                expect_row(
                    sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1")
                        .bind(id.as_str())
                        .bind(at.map(Timestamp::unix_seconds))
                        .execute(&self.pool)
                        .await,
                    "user",
                    id.as_str(),
                )
            }

            // ---- two-factor ----

            async fn set_totp_secret(&self, id: &PersonId, secret: &str) -> Result<(), Error> {
                let sealed = seal(&self.cipher, "users", "totp_secret", id.as_str(), secret)?;
                expect_row(
                    sqlx::query("UPDATE users SET totp_secret = $2, totp_enabled = $3 WHERE id = $1")
                        .bind(id.as_str())
                        .bind(sealed)
                        .bind(false)
                        .execute(&self.pool)
                        .await,
                    "user",
                    id.as_str(),
                )
            }

            async fn enable_totp(&self, id: &PersonId) -> Result<(), Error> {
                expect_row(
                    sqlx::query(
                        "UPDATE users SET totp_enabled = $2 WHERE id = $1 AND totp_secret IS NOT NULL",
                    )
                    .bind(id.as_str())
                    .bind(true)
                    .execute(&self.pool)
                    .await,
                    "user with a totp secret",
                    id.as_str(),
                )
            }

            async fn disable_totp(&self, id: &PersonId) -> Result<(), Error> {
                let mut tx = self.begin_write().await?;
                let updated = sqlx::query(
                    "UPDATE users SET totp_secret = NULL, totp_enabled = $2 WHERE id = $1",
                )
                .bind(id.as_str())
                .bind(false)
                .execute(&mut *tx)
                .await;
                expect_row(updated, "user", id.as_str())?;
                sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                    .bind(id.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(from_sqlx)?;
                tx.commit().await.map_err(from_sqlx)
            }

            async fn totp_secret(&self, id: &PersonId) -> Result<Option<zeroize::Zeroizing<String>>, Error> {
                let row = sqlx::query("SELECT totp_secret FROM users WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(from_sqlx)?
                    .ok_or_else(|| not_found("user", id.as_str()))?;
                let sealed: Option<Vec<u8>> = column(&row, "totp_secret")?;
                sealed
                    .map(|sealed| {
                        open(&self.cipher, "users", "totp_secret", id.as_str(), &sealed)
                            .map(zeroize::Zeroizing::new)
                    })
                    .transpose()
            }

            async fn accept_totp_step(&self, id: &PersonId, step: i64) -> Result<bool, Error> {
                // One conditional UPDATE: of two concurrent acceptances of one step, the
                // second sees the first's value (row lock on PostgreSQL, the single
                // writer on SQLite) and matches no row.
                let result = sqlx::query(
                    "UPDATE users SET totp_last_step = $2 \
                     WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
                )
                .bind(id.as_str())
                .bind(step)
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(result.affected() == 1)
            }

            async fn replace_recovery_codes(
                &self,
                id: &PersonId,
                code_hashes: &[TokenHash],
                at: Timestamp,
            ) -> Result<(), Error> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                    .bind(id.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(from_sqlx)?;
                for code_hash in code_hashes {
                    sqlx::query(
                        "INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) \
                         VALUES ($1, $2, $3, NULL)",
                    )
                    .bind(id.as_str())
                    .bind(code_hash.as_bytes().to_vec())
                    .bind(at.unix_seconds())
                    .execute(&mut *tx)
                    .await
                    .map_err(from_sqlx)?;
                }
                tx.commit().await.map_err(from_sqlx)
            }

            async fn use_recovery_code(
                &self,
                id: &PersonId,
                code_hash: &TokenHash,
                at: Timestamp,
            ) -> Result<RecoveryCodeUse, Error> {
                // One conditional UPDATE: of two concurrent uses, only one matches `used_at IS NULL`.
                let result = sqlx::query(
                    "UPDATE recovery_codes SET used_at = $3 \
                     WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
                )
                .bind(id.as_str())
                .bind(code_hash.as_bytes().to_vec())
                .bind(at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(if result.affected() == 1 {
                    RecoveryCodeUse::Accepted
                } else {
                    RecoveryCodeUse::Rejected
                })
            }

            async fn unused_recovery_codes(&self, id: &PersonId) -> Result<u32, Error> {
                let row = sqlx::query(
                    "SELECT COUNT(*) AS unused FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
                )
                .bind(id.as_str())
                .fetch_one(&self.pool)
                .await
                .map_err(from_sqlx)?;
                let unused: i64 = column(&row, "unused")?;
                Ok(u32::try_from(unused).unwrap_or(u32::MAX))
            }

            // ---- sessions ----

            async fn create_session(&self, session: NewSession) -> Result<(), Error> {
                Self::insert_session(&self.pool, &session).await
            }

            async fn session(&self, id_hash: &TokenHash) -> Result<Option<LoginSession>, Error> {
                let row = sqlx::query(concat!("SELECT ", session_columns!(), " FROM sessions WHERE id_hash = $1"))
                .bind(id_hash.as_bytes().to_vec())
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlx)?;
                row.as_ref().map(Self::session_from_row).transpose()
            }

            async fn touch_session(&self, id_hash: &TokenHash, at: Timestamp) -> Result<(), Error> {
                expect_row(
                    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
                        .bind(id_hash.as_bytes().to_vec())
                        .bind(at.unix_seconds())
                        .execute(&self.pool)
                        .await,
                    "session",
                    "(hashed id)",
                )
            }

            async fn replace_session(
                &self,
                old_id_hash: &TokenHash,
                new_session: NewSession,
            ) -> Result<(), Error> {
                let mut tx = self.begin_write().await?;
                let deleted = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                    .bind(old_id_hash.as_bytes().to_vec())
                    .execute(&mut *tx)
                    .await;
                expect_row(deleted, "session", "(hashed id)")?;
                Self::insert_session(&mut *tx, &new_session).await?;
                tx.commit().await.map_err(from_sqlx)
            }

            async fn delete_session(&self, id_hash: &TokenHash) -> Result<(), Error> {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                    .bind(id_hash.as_bytes().to_vec())
                    .execute(&self.pool)
                    .await
                    .map_err(from_sqlx)?;
                Ok(())
            }

            async fn delete_user_sessions(
                &self,
                user_id: &PersonId,
                keep: Option<&TokenHash>,
            ) -> Result<u64, Error> {
                let result = sqlx::query(
                    "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)",
                )
                .bind(user_id.as_str())
                .bind(keep.map(|hash| hash.as_bytes().to_vec()))
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(result.affected())
            }

            async fn delete_expired_sessions(&self, now: Timestamp, idle_seconds: i64) -> Result<u64, Error> {
                let result = sqlx::query(
                    "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
                )
                .bind(now.unix_seconds())
                .bind(now.unix_seconds().saturating_sub(idle_seconds))
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(result.affected())
            }

            // ---- sign-in throttling ----

            async fn record_auth_failure(
                &self,
                key: &ThrottleKey,
                at: Timestamp,
                policy: ThrottlePolicy,
            ) -> Result<ThrottleState, Error> {
                let now = at.unix_seconds();
                let mut tx = self.begin_write().await?;
                // Make sure the row exists, then lock it (ROW_LOCK is `FOR UPDATE` on
                // PostgreSQL; SQLite's BEGIN IMMEDIATE already excludes other writers),
                // so concurrent failures are all counted.
                sqlx::query(
                    "INSERT INTO auth_throttle \
                     (scope, action, subject, failures, window_started_at, locked_until) \
                     VALUES ($1, $2, $3, 0, $4, NULL) \
                     ON CONFLICT (scope, action, subject) DO NOTHING",
                )
                .bind(key.scope.as_str())
                .bind(key.action.as_str())
                .bind(&key.subject)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                let row = sqlx::query(&format!(
                    "SELECT failures, window_started_at, locked_until FROM auth_throttle \
                     WHERE scope = $1 AND action = $2 AND subject = $3 {ROW_LOCK}"
                ))
                .bind(key.scope.as_str())
                .bind(key.action.as_str())
                .bind(&key.subject)
                .fetch_one(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                let (mut failures, mut window_started_at, mut locked_until) = (
                    column::<i32>(&row, "failures")?,
                    column::<i64>(&row, "window_started_at")?,
                    column::<Option<i64>>(&row, "locked_until")?,
                );
                if locked_until.is_some_and(|until| until <= now) {
                    // The lockout is over: start counting afresh.
                    locked_until = None;
                    failures = 0;
                    window_started_at = now;
                }
                if now.saturating_sub(window_started_at) >= policy.window_seconds {
                    failures = 0;
                    window_started_at = now;
                }
                failures = failures.saturating_add(1);
                let max_failures = i32::try_from(policy.max_failures).unwrap_or(i32::MAX);
                if failures >= max_failures && locked_until.is_none() {
                    locked_until = Some(now.saturating_add(policy.lockout_seconds));
                }
                sqlx::query(
                    "UPDATE auth_throttle SET failures = $4, window_started_at = $5, locked_until = $6 \
                     WHERE scope = $1 AND action = $2 AND subject = $3",
                )
                .bind(key.scope.as_str())
                .bind(key.action.as_str())
                .bind(&key.subject)
                .bind(failures)
                .bind(window_started_at)
                .bind(locked_until)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                tx.commit().await.map_err(from_sqlx)?;
                Ok(ThrottleState {
                    failures: u32::try_from(failures).unwrap_or(0),
                    locked_until: optional_instant(locked_until, "auth_throttle", "locked_until")?,
                })
            }

            async fn throttle_state(&self, key: &ThrottleKey, at: Timestamp) -> Result<ThrottleState, Error> {
                let row = sqlx::query(
                    "SELECT failures, window_started_at, locked_until FROM auth_throttle \
                     WHERE scope = $1 AND action = $2 AND subject = $3",
                )
                .bind(key.scope.as_str())
                .bind(key.action.as_str())
                .bind(&key.subject)
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlx)?;
                let Some(row) = row else {
                    return Ok(ThrottleState {
                        failures: 0,
                        locked_until: None,
                    });
                };
                let locked_until = column::<Option<i64>>(&row, "locked_until")?
                    .filter(|until| *until > at.unix_seconds());
                Ok(ThrottleState {
                    failures: u32::try_from(column::<i32>(&row, "failures")?).unwrap_or(0),
                    locked_until: optional_instant(locked_until, "auth_throttle", "locked_until")?,
                })
            }

            async fn clear_auth_failures(&self, key: &ThrottleKey) -> Result<(), Error> {
                sqlx::query("DELETE FROM auth_throttle WHERE scope = $1 AND action = $2 AND subject = $3")
                    .bind(key.scope.as_str())
                    .bind(key.action.as_str())
                    .bind(&key.subject)
                    .execute(&self.pool)
                    .await
                    .map_err(from_sqlx)?;
                Ok(())
            }

            // ---- password reset ----

            async fn create_password_reset_token(
                &self,
                token_hash: &TokenHash,
                user_id: &PersonId,
                created_at: Timestamp,
                expires_at: Timestamp,
            ) -> Result<(), Error> {
                sqlx::query(
                    "INSERT INTO password_reset_tokens (token_hash, user_id, created_at, expires_at, used_at) \
                     VALUES ($1, $2, $3, $4, NULL)",
                )
                .bind(token_hash.as_bytes().to_vec())
                .bind(user_id.as_str())
                .bind(created_at.unix_seconds())
                .bind(expires_at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(())
            }

            async fn password_reset_token_user(
                &self,
                token_hash: &TokenHash,
                at: Timestamp,
            ) -> Result<Option<PersonId>, Error> {
                let row = sqlx::query(
                    "SELECT user_id FROM password_reset_tokens \
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
                )
                .bind(token_hash.as_bytes().to_vec())
                .bind(at.unix_seconds())
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlx)?;
                row.map(|row| person(column(&row, "user_id")?, "password_reset_tokens", "user_id"))
                    .transpose()
            }

            async fn consume_password_reset_token(
                &self,
                token_hash: &TokenHash,
                at: Timestamp,
            ) -> Result<Option<PersonId>, Error> {
                // One conditional UPDATE: a token is spent at most once, even under races.
                let row = sqlx::query(
                    "UPDATE password_reset_tokens SET used_at = $2 \
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                     RETURNING user_id",
                )
                .bind(token_hash.as_bytes().to_vec())
                .bind(at.unix_seconds())
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlx)?;
                row.map(|row| person(column(&row, "user_id")?, "password_reset_tokens", "user_id"))
                    .transpose()
            }

            // ---- links ----

            async fn request_link(
                &self,
                clinician_id: &PersonId,
                patient_id: &PersonId,
                at: Timestamp,
            ) -> Result<Link, Error> {
                let id = new_id()?;
                sqlx::query(
                    "INSERT INTO clinician_patient_links \
                     (id, clinician_id, patient_id, status, created_at, decided_at) \
                     VALUES ($1, $2, $3, $4, $5, NULL)",
                )
                .bind(&id)
                .bind(clinician_id.as_str())
                .bind(patient_id.as_str())
                .bind(LinkStatus::Requested.as_str())
                .bind(at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(Link {
                    id,
                    clinician_id: clinician_id.clone(),
                    patient_id: patient_id.clone(),
                    status: LinkStatus::Requested,
                    created_at: at,
                    decided_at: None,
                })
            }

            async fn set_link_status(&self, link_id: &str, status: LinkStatus, at: Timestamp) -> Result<Link, Error> {
                let row = sqlx::query(concat!("UPDATE clinician_patient_links SET status = $2, decided_at = $3 \
                     WHERE id = $1 RETURNING ", link_columns!()))
                .bind(link_id)
                .bind(status.as_str())
                .bind(at.unix_seconds())
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlx)?
                .ok_or_else(|| not_found("link", link_id))?;
                Self::link_from_row(&row)
            }

            async fn link(&self, link_id: &str) -> Result<Link, Error> {
                let row = sqlx::query(concat!("SELECT ", link_columns!(), " FROM clinician_patient_links WHERE id = $1"))
                .bind(link_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlx)?
                .ok_or_else(|| not_found("link", link_id))?;
                Self::link_from_row(&row)
            }

            async fn links_of_clinician(&self, clinician_id: &PersonId) -> Result<Vec<Link>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", link_columns!(), " FROM clinician_patient_links \
                             WHERE clinician_id = $1 ORDER BY created_at DESC, id"))
                        .bind(clinician_id.as_str()),
                    )
                    .await?;
                rows.iter().map(Self::link_from_row).collect()
            }

            async fn links_of_patient(&self, patient_id: &PersonId) -> Result<Vec<Link>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", link_columns!(), " FROM clinician_patient_links \
                             WHERE patient_id = $1 ORDER BY created_at DESC, id"))
                        .bind(patient_id.as_str()),
                    )
                    .await?;
                rows.iter().map(Self::link_from_row).collect()
            }

            async fn has_accepted_link(&self, clinician_id: &PersonId, patient_id: &PersonId) -> Result<bool, Error> {
                let row = sqlx::query(
                    "SELECT COUNT(*) AS accepted FROM clinician_patient_links \
                     WHERE clinician_id = $1 AND patient_id = $2 AND status = $3",
                )
                .bind(clinician_id.as_str())
                .bind(patient_id.as_str())
                .bind(LinkStatus::Accepted.as_str())
                .fetch_one(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(column::<i64>(&row, "accepted")? > 0)
            }

            // ---- consent ----

            async fn append_consent_event(&self, event: &ConsentEvent) -> Result<(), Error> {
                let staff = match &event.recorded_by {
                    RecordedBy::Subject => None,
                    RecordedBy::Staff(staff) => Some(staff.as_str()),
                };
                // The check and the write in one transaction, with the person's row
                // locked (`FOR UPDATE` on PostgreSQL; SQLite's BEGIN IMMEDIATE already
                // excludes other writers): two concurrent decisions cannot both pass a
                // check against the same ledger, so the stored ledger always replays.
                let mut tx = self.begin_write().await?;
                let person_exists = sqlx::query(&format!("SELECT id FROM users WHERE id = $1 {ROW_LOCK}"))
                    .bind(event.person.as_str())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(from_sqlx)?
                    .is_some();
                if !person_exists {
                    return Err(Error::NotFound { entity: "user", id: event.person.as_str().to_owned() });
                }
                let rows = sqlx::query(concat!("SELECT ", consent_columns!(), " FROM consent_events WHERE person_id = $1 ORDER BY seq"))
                    .bind(event.person.as_str())
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(from_sqlx)?;
                let events = rows.iter().map(Self::consent_from_row).collect::<Result<Vec<_>, _>>()?;
                let mut ledger = healing_core::consent::Ledger::replay(event.person.clone(), events)
                    .map_err(|error| corrupt("consent_events", "seq", format!("the stored ledger does not replay: {error}")))?;
                ledger.append(event.clone()).map_err(Error::ConsentRefused)?;
                sqlx::query(
                    "INSERT INTO consent_events \
                     (person_id, purpose, decision, at, wording_version, recorded_by_staff_id) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(event.person.as_str())
                .bind(serde_name(&event.purpose)?)
                .bind(serde_name(&event.decision)?)
                .bind(event.at.unix_seconds())
                .bind(event.wording_version.as_str())
                .bind(staff)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                tx.commit().await.map_err(from_sqlx)
            }

            async fn consent_events(&self, person_id: &PersonId) -> Result<Vec<ConsentEvent>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", consent_columns!(), " FROM consent_events WHERE person_id = $1 ORDER BY seq"))
                        .bind(person_id.as_str()),
                    )
                    .await?;
                rows.iter().map(Self::consent_from_row).collect()
            }

            // ---- moods ----

            async fn add_mood_entry(
                &self,
                patient_id: &PersonId,
                entry: &MoodEntry,
                screened_note: Option<&Screened>,
            ) -> Result<StoredMoodEntry, Error> {
                if entry.note() != screened_note.map(Screened::text) {
                    return Err(Error::InvalidInput {
                        field: "note",
                        reason: "the note must be stored with its own screening".to_owned(),
                    });
                }
                let id = new_id()?;
                let note = entry
                    .note()
                    .map(|note| seal(&self.cipher, "mood_entries", "note", &id, note))
                    .transpose()?;
                let day = entry
                    .day()
                    .format(time::macros::format_description!("[year]-[month]-[day]"))
                    .map_err(|_| Error::InvalidInput {
                        field: "day",
                        reason: "cannot be written as yyyy-mm-dd".to_owned(),
                    })?;
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO mood_entries (id, patient_id, day, recorded_at, mood, sleep, anxiety, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&id)
                .bind(patient_id.as_str())
                .bind(day)
                .bind(entry.recorded_at().unix_seconds())
                .bind(i32::from(entry.mood()))
                .bind(entry.sleep().map(i32::from))
                .bind(entry.anxiety().map(i32::from))
                .bind(note)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                if let Some(screened) = screened_note {
                    Self::record_screening_in(&mut tx, patient_id, AlertSource::MoodNote, &id, screened, entry.recorded_at()).await?;
                }
                tx.commit().await.map_err(from_sqlx)?;
                Ok(StoredMoodEntry {
                    id,
                    patient_id: patient_id.clone(),
                    entry: entry.clone(),
                })
            }

            async fn mood_entries(&self, patient_id: &PersonId) -> Result<Vec<StoredMoodEntry>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", mood_columns!(), " FROM mood_entries WHERE patient_id = $1 \
                             ORDER BY day, recorded_at, id"))
                        .bind(patient_id.as_str()),
                    )
                    .await?;
                rows.iter().map(|row| self.mood_from_row(row)).collect()
            }

            async fn delete_mood_entry(&self, patient_id: &PersonId, entry_id: &str) -> Result<(), Error> {
                expect_row(
                    sqlx::query("DELETE FROM mood_entries WHERE id = $1 AND patient_id = $2")
                        .bind(entry_id)
                        .bind(patient_id.as_str())
                        .execute(&self.pool)
                        .await,
                    "mood entry",
                    entry_id,
                )
            }

            // ---- assessments and treatment ----

            async fn add_assessment(&self, assessment: NewAssessment) -> Result<StoredAssessment, Error> {
                let id = new_id()?;
                let risk = questionnaire_risk(&assessment.flags);
                let mut tx = self.begin_write().await?;
                sqlx::query(concat!("INSERT INTO assessments (", assessment_columns!(), ") \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                .bind(&id)
                .bind(assessment.patient_id.as_str())
                .bind(&assessment.instrument_id)
                .bind(&assessment.instrument_version)
                .bind(json_text(&assessment.answers, "answers")?)
                .bind(assessment.total)
                .bind(assessment.band.as_deref())
                .bind(json_text(&assessment.flags, "flags")?)
                .bind(assessment.completed_at.unix_seconds())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                if let Some(severity) = risk {
                    Self::raise_alert_in(
                        &mut tx,
                        &assessment.patient_id,
                        None,
                        severity,
                        &[String::from("suicide")],
                        AlertSource::Assessment,
                        &id,
                        assessment.completed_at,
                    )
                    .await?;
                }
                tx.commit().await.map_err(from_sqlx)?;
                Ok(StoredAssessment {
                    id,
                    patient_id: assessment.patient_id,
                    instrument_id: assessment.instrument_id,
                    instrument_version: assessment.instrument_version,
                    answers: assessment.answers,
                    total: assessment.total,
                    band: assessment.band,
                    flags: assessment.flags,
                    completed_at: assessment.completed_at,
                })
            }

            async fn assessments(&self, patient_id: &PersonId) -> Result<Vec<StoredAssessment>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", assessment_columns!(), " FROM assessments WHERE patient_id = $1 \
                             ORDER BY completed_at, id"))
                        .bind(patient_id.as_str()),
                    )
                    .await?;
                rows.iter().map(Self::assessment_from_row).collect()
            }

            async fn open_course(&self, course: NewCourse) -> Result<TreatmentCourse, Error> {
                let id = new_id()?;
                sqlx::query(concat!("INSERT INTO courses (", course_columns!(), ") VALUES ($1, $2, $3, $4, $5, NULL)"))
                .bind(&id)
                .bind(course.patient_id.as_str())
                .bind(course.clinician_id.as_ref().map(PersonId::as_str))
                .bind(serde_name(&course.problem_descriptor)?)
                .bind(course.opened_at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(TreatmentCourse {
                    id,
                    patient_id: course.patient_id,
                    clinician_id: course.clinician_id,
                    problem_descriptor: course.problem_descriptor,
                    opened_at: course.opened_at,
                    closed_at: None,
                })
            }

            async fn close_course(&self, course_id: &str, at: Timestamp) -> Result<(), Error> {
                expect_row(
                    sqlx::query("UPDATE courses SET closed_at = $2 WHERE id = $1")
                        .bind(course_id)
                        .bind(at.unix_seconds())
                        .execute(&self.pool)
                        .await,
                    "course",
                    course_id,
                )
            }

            async fn courses(&self, patient_id: &PersonId) -> Result<Vec<TreatmentCourse>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", course_columns!(), " FROM courses WHERE patient_id = $1 \
                             ORDER BY opened_at, id"))
                        .bind(patient_id.as_str()),
                    )
                    .await?;
                rows.iter().map(Self::course_from_row).collect()
            }

            async fn add_treatment_session(&self, session: NewTreatmentSession) -> Result<TreatmentSession, Error> {
                let id = new_id()?;
                let mut tx = self.begin_write().await?;
                // The appointment must belong to the course's own patient.
                let owner = sqlx::query("SELECT patient_id FROM courses WHERE id = $1")
                    .bind(&session.course_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(from_sqlx)?
                    .ok_or_else(|| not_found("course", &session.course_id))?;
                let owner: String = column(&owner, "patient_id")?;
                if owner != session.patient_id.as_str() {
                    return Err(Error::InvalidInput {
                        field: "patient_id",
                        reason: format!("is not the patient of course {}", session.course_id),
                    });
                }
                sqlx::query(concat!("INSERT INTO treatment_sessions (", treatment_session_columns!(), ") \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)"))
                .bind(&id)
                .bind(&session.course_id)
                .bind(session.patient_id.as_str())
                .bind(session.clinician_id.as_ref().map(PersonId::as_str))
                .bind(session.at.unix_seconds())
                .bind(serde_name(&session.kind)?)
                .bind(session.attendance.as_str())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                tx.commit().await.map_err(from_sqlx)?;
                Ok(TreatmentSession {
                    id,
                    course_id: session.course_id,
                    patient_id: session.patient_id,
                    clinician_id: session.clinician_id,
                    at: session.at,
                    kind: session.kind,
                    attendance: session.attendance,
                })
            }

            async fn treatment_sessions(&self, patient_id: &PersonId) -> Result<Vec<TreatmentSession>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", treatment_session_columns!(), " FROM treatment_sessions \
                             WHERE patient_id = $1 ORDER BY at, id"))
                        .bind(patient_id.as_str()),
                    )
                    .await?;
                rows.iter().map(Self::treatment_session_from_row).collect()
            }

            // ---- journal, messages, community, safety plan ----

            async fn add_journal_entry(
                &self,
                patient_id: &PersonId,
                screened: &Screened,
                written_at: Timestamp,
            ) -> Result<JournalEntry, Error> {
                let id = new_id()?;
                let sealed = seal(&self.cipher, "journal_entries", "body", &id, screened.text())?;
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO journal_entries (id, patient_id, body, written_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(&id)
                .bind(patient_id.as_str())
                .bind(sealed)
                .bind(written_at.unix_seconds())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                Self::record_screening_in(&mut tx, patient_id, AlertSource::Journal, &id, screened, written_at).await?;
                tx.commit().await.map_err(from_sqlx)?;
                Ok(JournalEntry {
                    id,
                    patient_id: patient_id.clone(),
                    body: screened.text().to_owned(),
                    written_at,
                })
            }

            async fn journal_entries(&self, patient_id: &PersonId) -> Result<Vec<JournalEntry>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(
                            "SELECT id, patient_id, body, written_at FROM journal_entries \
                             WHERE patient_id = $1 ORDER BY written_at, id",
                        )
                        .bind(patient_id.as_str()),
                    )
                    .await?;
                rows.iter().map(|row| self.journal_from_row(row)).collect()
            }

            async fn delete_journal_entry(&self, patient_id: &PersonId, entry_id: &str) -> Result<(), Error> {
                expect_row(
                    sqlx::query("DELETE FROM journal_entries WHERE id = $1 AND patient_id = $2")
                        .bind(entry_id)
                        .bind(patient_id.as_str())
                        .execute(&self.pool)
                        .await,
                    "journal entry",
                    entry_id,
                )
            }

            async fn send_message(&self, message: NewMessage) -> Result<Message, Error> {
                let id = new_id()?;
                let sealed = seal(&self.cipher, "messages", "body", &id, &message.body)?;
                sqlx::query(concat!("INSERT INTO messages (", message_columns!(), ") VALUES ($1, $2, $3, $4, $5, $6, NULL)"))
                .bind(&id)
                .bind(message.sender_id.as_str())
                .bind(message.recipient_id.as_str())
                .bind(sealed)
                .bind(message.sent_at.unix_seconds())
                .bind(message.risk_level.as_deref())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(Message {
                    id,
                    sender_id: message.sender_id,
                    recipient_id: message.recipient_id,
                    body: message.body,
                    sent_at: message.sent_at,
                    risk_level: message.risk_level,
                    read_at: None,
                })
            }

            async fn messages_between(
                &self,
                first: &PersonId,
                second: &PersonId,
                page: Page,
            ) -> Result<Vec<Message>, Error> {
                let (limit, offset) = page_bounds(page);
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", message_columns!(), " FROM messages \
                             WHERE (sender_id = $1 AND recipient_id = $2) \
                                OR (sender_id = $2 AND recipient_id = $1) \
                             ORDER BY sent_at, id LIMIT $3 OFFSET $4"))
                        .bind(first.as_str())
                        .bind(second.as_str())
                        .bind(limit)
                        .bind(offset),
                    )
                    .await?;
                rows.iter().map(|row| self.message_from_row(row)).collect()
            }

            async fn mark_message_read(
                &self,
                message_id: &str,
                recipient_id: &PersonId,
                at: Timestamp,
            ) -> Result<(), Error> {
                expect_row(
                    sqlx::query(
                        "UPDATE messages SET read_at = $3 \
                         WHERE id = $1 AND recipient_id = $2 AND read_at IS NULL",
                    )
                    .bind(message_id)
                    .bind(recipient_id.as_str())
                    .bind(at.unix_seconds())
                    .execute(&self.pool)
                    .await,
                    "unread message",
                    message_id,
                )
            }

            async fn add_community_post(&self, post: NewCommunityPost) -> Result<CommunityPost, Error> {
                let id = new_id()?;
                let sealed = seal(&self.cipher, "community_posts", "body", &id, &post.body)?;
                sqlx::query(concat!("INSERT INTO community_posts (", post_columns!(), ") VALUES ($1, $2, $3, $4, $5, NULL)"))
                .bind(&id)
                .bind(post.author_id.as_str())
                .bind(sealed)
                .bind(post.posted_at.unix_seconds())
                .bind(post.risk_level.as_deref())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(CommunityPost {
                    id,
                    author_id: post.author_id,
                    body: post.body,
                    posted_at: post.posted_at,
                    risk_level: post.risk_level,
                    hidden_at: None,
                })
            }

            async fn community_posts(&self, page: Page) -> Result<Vec<CommunityPost>, Error> {
                let (limit, offset) = page_bounds(page);
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", post_columns!(), " FROM community_posts WHERE hidden_at IS NULL \
                             ORDER BY posted_at DESC, id LIMIT $1 OFFSET $2"))
                        .bind(limit)
                        .bind(offset),
                    )
                    .await?;
                rows.iter().map(|row| self.post_from_row(row)).collect()
            }

            async fn hide_community_post(&self, post_id: &str, at: Timestamp) -> Result<(), Error> {
                expect_row(
                    sqlx::query("UPDATE community_posts SET hidden_at = $2 WHERE id = $1")
                        .bind(post_id)
                        .bind(at.unix_seconds())
                        .execute(&self.pool)
                        .await,
                    "community post",
                    post_id,
                )
            }

            async fn put_safety_plan(&self, patient_id: &PersonId, body: &str, at: Timestamp) -> Result<(), Error> {
                let sealed = seal(&self.cipher, "safety_plans", "body", patient_id.as_str(), body)?;
                sqlx::query(
                    "INSERT INTO safety_plans (patient_id, body, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (patient_id) DO UPDATE SET body = excluded.body, \
                     updated_at = excluded.updated_at",
                )
                .bind(patient_id.as_str())
                .bind(sealed)
                .bind(at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(())
            }

            async fn safety_plan(&self, patient_id: &PersonId) -> Result<Option<SafetyPlan>, Error> {
                let row = sqlx::query("SELECT body, updated_at FROM safety_plans WHERE patient_id = $1")
                    .bind(patient_id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(from_sqlx)?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let body: Vec<u8> = column(&row, "body")?;
                Ok(Some(SafetyPlan {
                    patient_id: patient_id.clone(),
                    body: open(&self.cipher, "safety_plans", "body", patient_id.as_str(), &body)?,
                    updated_at: instant(column(&row, "updated_at")?, "safety_plans", "updated_at")?,
                }))
            }

            // ---- safety events and pets ----

            async fn record_safety_event(&self, event: NewSafetyEvent) -> Result<SafetyEvent, Error> {
                let id = new_id()?;
                sqlx::query(concat!("INSERT INTO safety_events (", safety_event_columns!(), ") \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)"))
                .bind(&id)
                .bind(event.patient_id.as_str())
                .bind(&event.source)
                .bind(&event.level)
                .bind(json_text(&event.categories, "categories")?)
                .bind(&event.rules_version)
                .bind(event.at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(SafetyEvent {
                    id,
                    patient_id: event.patient_id,
                    source: event.source,
                    level: event.level,
                    categories: event.categories,
                    rules_version: event.rules_version,
                    at: event.at,
                })
            }

            async fn safety_events(&self, patient_id: &PersonId) -> Result<Vec<SafetyEvent>, Error> {
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", safety_event_columns!(), " FROM safety_events WHERE patient_id = $1 \
                             ORDER BY at, id"))
                        .bind(patient_id.as_str()),
                    )
                    .await?;
                rows.iter().map(Self::safety_event_from_row).collect()
            }

            async fn put_pet_state(&self, patient_id: &PersonId, state: &str, at: Timestamp) -> Result<(), Error> {
                sqlx::query(
                    "INSERT INTO pets (patient_id, state, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (patient_id) DO UPDATE SET state = excluded.state, \
                     updated_at = excluded.updated_at",
                )
                .bind(patient_id.as_str())
                .bind(state)
                .bind(at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(())
            }

            async fn pet_state(&self, patient_id: &PersonId) -> Result<Option<PetRecord>, Error> {
                let row = sqlx::query("SELECT state, updated_at FROM pets WHERE patient_id = $1")
                    .bind(patient_id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(from_sqlx)?;
                row.map(|row| {
                    Ok(PetRecord {
                        patient_id: patient_id.clone(),
                        state: column(&row, "state")?,
                        updated_at: instant(column(&row, "updated_at")?, "pets", "updated_at")?,
                    })
                })
                .transpose()
            }

            // ---- alerts ----

            async fn alerts(&self, scope: &AlertScope, page: Page) -> Result<Vec<Alert>, Error> {
                let (limit, offset) = page_bounds(page);
                let order = "ORDER BY CASE state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END, \
                             severity_rank DESC, created_at, id";
                let rows = match scope {
                    AlertScope::All => {
                        let sql = format!("SELECT {} FROM alerts {order} LIMIT $1 OFFSET $2", alert_columns!());
                        sqlx::query(&sql).bind(limit).bind(offset).fetch_all(&self.pool).await
                    }
                    AlertScope::LinkedTo(clinician_id) => {
                        let sql = format!(
                            "SELECT {} FROM alerts WHERE patient_id IN \
                             (SELECT patient_id FROM clinician_patient_links WHERE clinician_id = $1 AND status = 'accepted') \
                             {order} LIMIT $2 OFFSET $3",
                            alert_columns!()
                        );
                        sqlx::query(&sql).bind(clinician_id.as_str()).bind(limit).bind(offset).fetch_all(&self.pool).await
                    }
                }
                .map_err(from_sqlx)?;
                rows.iter().map(|row| self.alert_from_row(row)).collect()
            }

            async fn alert(&self, alert_id: &str) -> Result<Alert, Error> {
                let row = sqlx::query(concat!("SELECT ", alert_columns!(), " FROM alerts WHERE id = $1"))
                    .bind(alert_id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(from_sqlx)?
                    .ok_or_else(|| not_found("alert", alert_id))?;
                self.alert_from_row(&row)
            }

            async fn acknowledge_alert(&self, alert_id: &str, actor_id: &PersonId, at: Timestamp) -> Result<Alert, Error> {
                self.transition_alert(alert_id, actor_id, AlertState::Acknowledged, None, at).await
            }

            async fn resolve_alert(&self, alert_id: &str, actor_id: &PersonId, action: &str, at: Timestamp) -> Result<Alert, Error> {
                self.transition_alert(alert_id, actor_id, AlertState::Resolved, Some(action), at).await
            }

            // ---- audit ----

            async fn append_audit(&self, entry: AuditEntry) -> Result<AuditRecord, Error> {
                let mut tx = self.begin_write().await?;
                let record = Self::append_audit_in(&mut tx, entry).await?;
                tx.commit().await.map_err(from_sqlx)?;
                Ok(record)
            }

            async fn audit_entries(&self, query: AuditQuery) -> Result<Vec<AuditRecord>, Error> {
                let limit = i64::from(query.limit.min($crate::convert::MAX_PAGE));
                let rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", audit_columns!(), " FROM audit_log \
                             WHERE ($1 IS NULL OR actor_id = $1) \
                               AND ($2 IS NULL OR subject_patient_id = $2) \
                               AND seq > $3 \
                             ORDER BY seq LIMIT $4"))
                        .bind(query.actor_id.as_ref().map(PersonId::as_str))
                        .bind(query.subject_patient_id.as_ref().map(PersonId::as_str))
                        .bind(query.after_seq.unwrap_or(0))
                        .bind(limit),
                    )
                    .await?;
                rows.iter().map(Self::audit_from_row).collect()
            }

            async fn verify_audit(&self) -> Result<AuditVerification, Error> {
                // Walk in pages so a long log never sits in memory whole.
                const PAGE: i64 = 1000;
                let mut verifier = AuditChainVerifier::new();
                let mut after = 0_i64;
                loop {
                    let rows = self
                        .fetch_all(
                            sqlx::query(concat!("SELECT ", audit_columns!(), " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"))
                            .bind(after)
                            .bind(PAGE),
                        )
                        .await?;
                    let fetched = rows.len();
                    for row in &rows {
                        let record = Self::audit_from_row(row)?;
                        after = record.seq;
                        if verifier.check(&record).is_err() {
                            return Ok(verifier.finish());
                        }
                    }
                    if i64::try_from(fetched).unwrap_or(0) < PAGE {
                        return Ok(verifier.finish());
                    }
                }
            }

            // ---- encryption keys ----

            async fn record_key(&self, key_id: &KeyId, at: Timestamp) -> Result<(), Error> {
                sqlx::query(
                    "INSERT INTO encryption_keys (key_id, created_at, retired_at) VALUES ($1, $2, NULL) \
                     ON CONFLICT (key_id) DO NOTHING",
                )
                .bind(key_id.as_str())
                .bind(at.unix_seconds())
                .execute(&self.pool)
                .await
                .map_err(from_sqlx)?;
                Ok(())
            }

            async fn retire_key(&self, key_id: &KeyId, at: Timestamp) -> Result<(), Error> {
                if key_id == self.cipher.key_ring().current_key_id() {
                    return Err(Error::InvalidKey {
                        reason: format!("key {key_id} is the current key and cannot be retired"),
                    });
                }
                expect_row(
                    sqlx::query("UPDATE encryption_keys SET retired_at = $2 WHERE key_id = $1")
                        .bind(key_id.as_str())
                        .bind(at.unix_seconds())
                        .execute(&self.pool)
                        .await,
                    "encryption key",
                    key_id.as_str(),
                )
            }

            async fn encryption_keys(&self) -> Result<Vec<EncryptionKeyRecord>, Error> {
                let rows = self
                    .fetch_all(sqlx::query(
                        "SELECT key_id, created_at, retired_at FROM encryption_keys ORDER BY created_at, key_id",
                    ))
                    .await?;
                rows.iter()
                    .map(|row| {
                        let key_id: String = column(row, "key_id")?;
                        Ok(EncryptionKeyRecord {
                            key_id: KeyId::new(key_id)
                                .map_err(|error| corrupt("encryption_keys", "key_id", error.to_string()))?,
                            created_at: instant(column(row, "created_at")?, "encryption_keys", "created_at")?,
                            retired_at: optional_instant(
                                column(row, "retired_at")?,
                                "encryption_keys",
                                "retired_at",
                            )?,
                        })
                    })
                    .collect()
            }

            async fn reseal_batch(
                &self,
                encrypted: EncryptedColumn,
                after: Option<&str>,
                limit: u32,
            ) -> Result<ResealBatch, Error> {
                let (table, value_column, key_column) =
                    (encrypted.table(), encrypted.column(), encrypted.key_column());
                // Table and column names come from EncryptedColumn's constants, never
                // from input, so formatting them into the SQL is safe.
                let select = format!(
                    "SELECT {key_column} AS row_id, {value_column} AS sealed FROM {table} \
                     WHERE {value_column} IS NOT NULL AND {key_column} > $1 \
                     ORDER BY {key_column} LIMIT $2"
                );
                let update = format!(
                    "UPDATE {table} SET {value_column} = $1 WHERE {key_column} = $2 AND {value_column} = $3"
                );
                let limit = limit.clamp(1, $crate::convert::MAX_PAGE);
                let mut tx = self.begin_write().await?;
                let rows = sqlx::query(&select)
                    .bind(after.unwrap_or(""))
                    .bind(i64::from(limit))
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(from_sqlx)?;
                let current = self.cipher.key_ring().current_key_id();
                let mut batch = ResealBatch {
                    checked: 0,
                    resealed: 0,
                    next_after: None,
                };
                for row in &rows {
                    let row_id: String = column(row, "row_id")?;
                    let sealed: Vec<u8> = column(row, "sealed")?;
                    let aad = $crate::Aad {
                        table,
                        column: value_column,
                        row_id: &row_id,
                    };
                    batch.checked += 1;
                    if self.cipher.key_id_of(&sealed, &aad)? != *current {
                        let plaintext = self.cipher.decrypt(&sealed, &aad)?;
                        let resealed = self.cipher.encrypt(&plaintext, &aad)?;
                        let result = sqlx::query(&update)
                            .bind(resealed)
                            .bind(&row_id)
                            .bind(&sealed)
                            .execute(&mut *tx)
                            .await
                            .map_err(from_sqlx)?;
                        batch.resealed += result.affected();
                    }
                    batch.next_after = Some(row_id);
                }
                tx.commit().await.map_err(from_sqlx)?;
                if rows.len() < limit as usize {
                    batch.next_after = None;
                }
                Ok(batch)
            }

            // ---- GDPR ----

            async fn export_user_data(&self, user_id: &PersonId) -> Result<UserExport, Error> {
                let user = self.user(user_id).await?;
                let mut links = self.links_of_patient(user_id).await?;
                links.extend(self.links_of_clinician(user_id).await?);
                let message_rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", message_columns!(), " FROM messages \
                             WHERE sender_id = $1 OR recipient_id = $1 ORDER BY sent_at, id"))
                        .bind(user_id.as_str()),
                    )
                    .await?;
                let post_rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", post_columns!(), " FROM community_posts WHERE author_id = $1 \
                             ORDER BY posted_at, id"))
                        .bind(user_id.as_str()),
                    )
                    .await?;
                let audit_rows = self
                    .fetch_all(
                        sqlx::query(concat!("SELECT ", audit_columns!(), " FROM audit_log \
                             WHERE actor_id = $1 OR subject_patient_id = $1 ORDER BY seq"))
                        .bind(user_id.as_str()),
                    )
                    .await?;
                Ok(UserExport {
                    user,
                    consent_events: self.consent_events(user_id).await?,
                    links,
                    mood_entries: self.mood_entries(user_id).await?,
                    assessments: self.assessments(user_id).await?,
                    courses: self.courses(user_id).await?,
                    treatment_sessions: self.treatment_sessions(user_id).await?,
                    journal_entries: self.journal_entries(user_id).await?,
                    messages: message_rows
                        .iter()
                        .map(|row| self.message_from_row(row))
                        .collect::<Result<_, _>>()?,
                    community_posts: post_rows
                        .iter()
                        .map(|row| self.post_from_row(row))
                        .collect::<Result<_, _>>()?,
                    safety_plan: self.safety_plan(user_id).await?,
                    safety_events: self.safety_events(user_id).await?,
                    pet: self.pet_state(user_id).await?,
                    audit_entries: audit_rows
                        .iter()
                        .map(Self::audit_from_row)
                        .collect::<Result<_, _>>()?,
                })
            }

            async fn erase_user(
                &self,
                user_id: &PersonId,
                actor_id: Option<&PersonId>,
                at: Timestamp,
            ) -> Result<ErasureReport, Error> {
                let id = user_id.as_str();
                let mut tx = self.begin_write().await?;
                let account = sqlx::query("SELECT username, email FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(from_sqlx)?
                    .ok_or_else(|| not_found("user", id))?;
                let username: String = column(&account, "username")?;
                let email: String = column(&account, "email")?;
                // Where the user is only the staff member on someone else's record, the
                // record stays (it is the other person's) and the reference is cleared.
                for clear in [
                    "UPDATE consent_events SET recorded_by_staff_id = NULL WHERE recorded_by_staff_id = $1",
                    "UPDATE courses SET clinician_id = NULL WHERE clinician_id = $1",
                    "UPDATE treatment_sessions SET clinician_id = NULL WHERE clinician_id = $1",
                    "UPDATE alerts SET acknowledged_by = NULL WHERE acknowledged_by = $1",
                    "UPDATE alerts SET resolved_by = NULL WHERE resolved_by = $1",
                ] {
                    sqlx::query(clear)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(from_sqlx)?;
                }
                // Children before parents, so each count is what that table really lost.
                let deletions: [(&str, &str); 18] = [
                    ("sessions", "DELETE FROM sessions WHERE user_id = $1"),
                    ("recovery_codes", "DELETE FROM recovery_codes WHERE user_id = $1"),
                    ("password_reset_tokens", "DELETE FROM password_reset_tokens WHERE user_id = $1"),
                    (
                        "auth_throttle",
                        "DELETE FROM auth_throttle WHERE scope = 'account' AND subject IN ($1, $2, $3)",
                    ),
                    (
                        "clinician_patient_links",
                        "DELETE FROM clinician_patient_links WHERE clinician_id = $1 OR patient_id = $1",
                    ),
                    ("consent_events", "DELETE FROM consent_events WHERE person_id = $1"),
                    ("mood_entries", "DELETE FROM mood_entries WHERE patient_id = $1"),
                    ("assessments", "DELETE FROM assessments WHERE patient_id = $1"),
                    ("treatment_sessions", "DELETE FROM treatment_sessions WHERE patient_id = $1"),
                    ("courses", "DELETE FROM courses WHERE patient_id = $1"),
                    ("journal_entries", "DELETE FROM journal_entries WHERE patient_id = $1"),
                    ("messages", "DELETE FROM messages WHERE sender_id = $1 OR recipient_id = $1"),
                    ("community_posts", "DELETE FROM community_posts WHERE author_id = $1"),
                    ("safety_plans", "DELETE FROM safety_plans WHERE patient_id = $1"),
                    ("alerts", "DELETE FROM alerts WHERE patient_id = $1"),
                    ("safety_events", "DELETE FROM safety_events WHERE patient_id = $1"),
                    ("pets", "DELETE FROM pets WHERE patient_id = $1"),
                    ("users", "DELETE FROM users WHERE id = $1"),
                ];
                let mut rows_deleted = std::collections::BTreeMap::new();
                for (table, statement) in deletions {
                    let mut query = sqlx::query(statement).bind(id);
                    if table == "auth_throttle" {
                        query = query.bind(&username).bind(&email);
                    }
                    let result = query.execute(&mut *tx).await.map_err(from_sqlx)?;
                    rows_deleted.insert(table.to_owned(), result.affected());
                }
                let tombstone = Self::append_audit_in(
                    &mut tx,
                    AuditEntry {
                        at,
                        actor_id: actor_id.cloned(),
                        action: AuditAction::new("account_erased")?,
                        subject_patient_id: Some(user_id.clone()),
                        detail: serde_json::json!({ "rows_deleted": &rows_deleted }),
                    },
                )
                .await?;
                tx.commit().await.map_err(from_sqlx)?;
                Ok(ErasureReport {
                    user_id: user_id.clone(),
                    rows_deleted,
                    tombstone_seq: tombstone.seq,
                })
            }

            // ---- research ----

            async fn research_people(&self, page: Page) -> Result<Vec<ResearchPerson>, Error> {
                let (limit, offset) = page_bounds(page);
                let rows = self
                    .fetch_all(
                        sqlx::query(
                            "SELECT id, role, year_of_birth, created_at FROM users \
                             ORDER BY created_at, id LIMIT $1 OFFSET $2",
                        )
                        .bind(limit)
                        .bind(offset),
                    )
                    .await?;
                let mut people = Vec::with_capacity(rows.len());
                for row in &rows {
                    let role: String = column(row, "role")?;
                    let id = person(column(row, "id")?, "users", "id")?;
                    people.push(ResearchPerson {
                        consent_events: self.consent_events(&id).await?,
                        id,
                        role: named(&role, Role::from_name, "users", "role")?,
                        year_of_birth: column(row, "year_of_birth")?,
                        created_at: instant(column(row, "created_at")?, "users", "created_at")?,
                    });
                }
                Ok(people)
            }
        }
    };
}

pub(crate) use impl_sql_store;

/// The number of rows a statement changed, for both drivers' result types.
pub(crate) trait AffectedRows {
    /// Rows changed.
    fn affected(&self) -> u64;
}

impl AffectedRows for sqlx::sqlite::SqliteQueryResult {
    fn affected(&self) -> u64 {
        self.rows_affected()
    }
}

impl AffectedRows for sqlx::postgres::PgQueryResult {
    fn affected(&self) -> u64 {
        self.rows_affected()
    }
}
