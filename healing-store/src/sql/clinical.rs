//! Clinical records: links, consent, moods, questionnaires, treatment, journals,
//! safety plans, safety events, pets and alerts ([`ClinicalStore`]), with the
//! helpers that turn a screened record into a safety event and a routed alert.
//!
//! Courses, sessions and clinical notes are written by `care.rs`.
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::consent::{ConsentEvent, RecordedBy, WordingVersion};
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::CourseEnding;
use healing_core::timestamp::Timestamp;

use super::common::{column, expect_row, not_found};
use super::{Db, DbRow, ROW_LOCK, SqlStore};
use crate::Error;
use crate::alerting::AlertingPolicy;
use crate::appointments::Side;
use crate::audit::{AuditAction, AuditEntry};
use crate::contract::ClinicalStore;
use crate::convert::{
    AssessmentResult, band_from_name, categories_from_text, categories_text, corrupt, count,
    flags_from_text, from_json_text, from_serde_name, instant, json_text, named, new_id, open,
    optional_instant, optional_person, page_bounds, person, pet_state_from_text, pet_state_text,
    risk_level_from_name, seal, seal_problem, serde_name,
};
use crate::error::from_sqlx;
use crate::records::*;
use crate::sql::AffectedRows;

/// Rows [`SqlStore::seal_clear_clinical_rows`] seals per transaction.
const SEAL_BATCH: i64 = 500;

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
        "id, patient_id, instrument_id, instrument_version, result, completed_at"
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
     resolved_by, resolution, escalation_level, escalate_at"
    };
}

macro_rules! consent_columns {
    () => {
        "person_id, purpose, decision, at, wording_version, recorded_by_staff_id"
    };
}

impl SqlStore {
    pub(super) fn link_from_row(row: &DbRow) -> Result<Link, Error> {
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

    pub(super) fn consent_from_row(row: &DbRow) -> Result<ConsentEvent, Error> {
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
                Some(staff) => RecordedBy::Staff(person(staff, table, "recorded_by_staff_id")?),
            },
        })
    }

    pub(super) fn mood_from_row(&self, row: &DbRow) -> Result<StoredMoodEntry, Error> {
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
            entry = entry
                .with_sleep(rating("sleep", sleep)?)
                .map_err(invalid("sleep"))?;
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

    pub(super) fn assessment_from_row(&self, row: &DbRow) -> Result<StoredAssessment, Error> {
        let table = "assessments";
        let id: String = column(row, "id")?;
        let sealed: Option<Vec<u8>> = column(row, "result")?;
        let sealed = sealed.ok_or_else(|| corrupt(table, "result", "missing"))?;
        let result = AssessmentResult::open(&self.cipher, &id, &sealed)?;
        Ok(StoredAssessment {
            patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
            instrument_id: column(row, "instrument_id")?,
            instrument_version: column(row, "instrument_version")?,
            answers: result.answers,
            total: result.total,
            band: result.band,
            flags: result.flags,
            completed_at: instant(column(row, "completed_at")?, table, "completed_at")?,
            id,
        })
    }

    /// Seals the questionnaire results and course problems written in clear before
    /// migration 0007, [`SEAL_BATCH`] rows per transaction, so that 0007 can drop the
    /// clear columns. [`Store::migrate`](crate::Store::migrate) runs it between the two;
    /// a row already sealed (by an earlier, interrupted start or another process) is
    /// left alone.
    pub(super) async fn seal_clear_clinical_rows(&self) -> Result<(), Error> {
        loop {
            let mut tx = self.begin_write().await?;
            let rows = sqlx::query(
                "SELECT id, answers, total, band, flags FROM assessments \
                 WHERE result IS NULL ORDER BY id LIMIT $1",
            )
            .bind(SEAL_BATCH)
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            for row in &rows {
                let table = "assessments";
                let id: String = column(row, "id")?;
                let answers: String = column(row, "answers")?;
                let flags: String = column(row, "flags")?;
                let result = AssessmentResult {
                    answers: from_json_text(&answers, table, "answers")?,
                    total: Some(column(row, "total")?),
                    band: band_from_name(column(row, "band")?, table, "band")?,
                    flags: flags_from_text(&flags, table, "flags")?,
                };
                sqlx::query("UPDATE assessments SET result = $2 WHERE id = $1 AND result IS NULL")
                    .bind(&id)
                    .bind(result.seal(&self.cipher, &id)?)
                    .execute(&mut *tx)
                    .await
                    .map_err(from_sqlx)?;
            }
            tx.commit().await.map_err(from_sqlx)?;
            if rows.len() < SEAL_BATCH as usize {
                break;
            }
        }
        loop {
            let mut tx = self.begin_write().await?;
            let rows = sqlx::query(
                "SELECT id, problem_descriptor FROM courses \
                 WHERE problem IS NULL ORDER BY id LIMIT $1",
            )
            .bind(SEAL_BATCH)
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            for row in &rows {
                let id: String = column(row, "id")?;
                let problem = from_serde_name(
                    column(row, "problem_descriptor")?,
                    "courses",
                    "problem_descriptor",
                )?;
                sqlx::query("UPDATE courses SET problem = $2 WHERE id = $1 AND problem IS NULL")
                    .bind(&id)
                    .bind(seal_problem(&self.cipher, &id, problem)?)
                    .execute(&mut *tx)
                    .await
                    .map_err(from_sqlx)?;
            }
            tx.commit().await.map_err(from_sqlx)?;
            if rows.len() < SEAL_BATCH as usize {
                break;
            }
        }
        Ok(())
    }

    pub(super) fn journal_from_row(&self, row: &DbRow) -> Result<JournalEntry, Error> {
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

    pub(super) fn safety_event_from_row(row: &DbRow) -> Result<SafetyEvent, Error> {
        let table = "safety_events";
        let level: String = column(row, "level")?;
        let categories: String = column(row, "categories")?;
        Ok(SafetyEvent {
            id: column(row, "id")?,
            patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
            source: column(row, "source")?,
            level: risk_level_from_name(&level, table, "level")?,
            categories: categories_from_text(&categories, table, "categories")?,
            rules_version: column(row, "rules_version")?,
            at: instant(column(row, "at")?, table, "at")?,
        })
    }

    pub(super) fn alert_from_row(&self, row: &DbRow) -> Result<Alert, Error> {
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
            categories: categories_from_text(&categories, table, "categories")?,
            source: named(&source, AlertSource::from_name, table, "source")?,
            source_id: column(row, "source_id")?,
            routed_to: named(&routed_to, AlertRoute::from_name, table, "routed_to")?,
            state: named(&state, AlertState::from_name, table, "state")?,
            created_at: instant(column(row, "created_at")?, table, "created_at")?,
            acknowledged_at: optional_instant(
                column(row, "acknowledged_at")?,
                table,
                "acknowledged_at",
            )?,
            acknowledged_by: optional_person(
                column(row, "acknowledged_by")?,
                table,
                "acknowledged_by",
            )?,
            resolved_at: optional_instant(column(row, "resolved_at")?, table, "resolved_at")?,
            resolved_by: optional_person(column(row, "resolved_by")?, table, "resolved_by")?,
            resolution: resolution
                .map(|sealed| open(&self.cipher, table, "resolution", &id, &sealed))
                .transpose()?,
            escalation_level: count(column(row, "escalation_level")?, table, "escalation_level")?,
            escalate_at: optional_instant(column(row, "escalate_at")?, table, "escalate_at")?,
            id,
        })
    }

    /// The alert with this id, read in `tx`.
    pub(super) async fn alert_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        alert_id: &str,
    ) -> Result<Alert, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            alert_columns!(),
            " FROM alerts WHERE id = $1"
        ))
        .bind(alert_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("alert", alert_id))?;
        self.alert_from_row(&row)
    }

    /// Applies `event` to the patient's pet in `tx`, its row locked so a reward the
    /// server credits and an event the patient sends never overwrite each other.
    /// `None` when the patient has no pet; [`Error::InvalidInput`] (field `event`)
    /// when the pet engine refuses the event.
    pub(super) async fn step_pet_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
        event: &healing_core::pet::Event,
        at: Timestamp,
    ) -> Result<Option<healing_core::pet::Step>, Error> {
        let row = sqlx::query(&format!(
            "SELECT state FROM pets WHERE patient_id = $1 {ROW_LOCK}"
        ))
        .bind(patient_id.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let current = pet_state_from_text(&column::<String>(&row, "state")?, "pets", "state")?;
        let step =
            healing_core::pet::step(&current, event, at).map_err(|error| Error::InvalidInput {
                field: "event",
                reason: error.to_string(),
            })?;
        sqlx::query("UPDATE pets SET state = $1, updated_at = $2 WHERE patient_id = $3")
            .bind(pet_state_text(&step.state)?)
            .bind(at.unix_seconds())
            .bind(patient_id.as_str())
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        Ok(Some(step))
    }

    /// Credits the patient's pet for `activity`, stored at `at`, in the activity's own
    /// transaction `tx`, within the pet engine's daily caps (a capped activity pays
    /// nothing). The reward rule is healing-core's; the client never names one.
    pub(super) async fn credit_activity_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
        activity: healing_core::pet::WellbeingActivity,
        at: Timestamp,
    ) -> Result<(), Error> {
        Self::step_pet_in(
            tx,
            patient_id,
            &healing_core::pet::Event::CompleteActivity { activity },
            at,
        )
        .await
        .map(|_| ())
    }

    /// Stores what screening found about a record written in `tx`: at medium
    /// risk and above, or when screening failed, a safety event (level,
    /// categories, rule ids and byte spans, never the words) and an alert routed
    /// to the patient's linked clinicians or, if none, the duty contact. Returns
    /// whether it raised an alert (the caller wakes the delivery worker once the
    /// transaction commits).
    pub(super) async fn record_screening_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        policy: &AlertingPolicy,
        patient_id: &PersonId,
        source: AlertSource,
        record_id: &str,
        screened: &Screened,
        at: Timestamp,
    ) -> Result<bool, Error> {
        let Some(severity) = screened.outcome().alert_severity() else {
            return Ok(false);
        };
        let (level, categories, evidence, rules_version) = match screened.outcome() {
            ScreeningOutcome::Assessed {
                level,
                categories,
                evidence,
                rules_version,
            } => (
                level.as_str(),
                categories.clone(),
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
        .bind(categories_text(&categories)?)
        .bind(rules_version)
        .bind(at.unix_seconds())
        .bind(record_id)
        .bind(json_text(&evidence, "findings")?)
        .execute(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        Self::raise_alert_in(
            tx,
            policy,
            patient_id,
            Some(&event_id),
            severity,
            &categories,
            source,
            record_id,
            at,
        )
        .await?;
        Ok(true)
    }

    /// Moves an alert from one of `from` to `to` in one transaction with its
    /// audit entry; `Conflict` on `state` when it is in none of `from`.
    pub(super) async fn transition_alert(
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
                "UPDATE alerts SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, \
                 escalate_at = NULL \
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
                    "UPDATE alerts SET state = 'resolved', resolved_at = $2, resolved_by = $3, resolution = $4, \
                     escalate_at = NULL \
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
        let alert = self.alert_in(&mut tx, alert_id).await?;
        if !moved {
            return Err(Error::Conflict {
                table: "alerts",
                field: "state",
            });
        }
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
}

impl ClinicalStore for SqlStore {
    // ---- links ----

    async fn request_link(
        &self,
        clinician_id: &PersonId,
        patient_id: &PersonId,
        at: Timestamp,
    ) -> Result<Link, Error> {
        let id = new_id()?;
        // The check and the write in one transaction, with the patient's row locked
        // (`FOR UPDATE` on PostgreSQL; SQLite's BEGIN IMMEDIATE already excludes
        // other writers): of concurrent identical requests, one is written and the
        // others see it and are refused.
        let mut tx = self.begin_write().await?;
        sqlx::query(&format!("SELECT id FROM users WHERE id = $1 {ROW_LOCK}"))
            .bind(patient_id.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("user", patient_id.as_str()))?;
        let pair_links = sqlx::query(concat!(
            "SELECT ",
            link_columns!(),
            " FROM clinician_patient_links WHERE clinician_id = $1 AND patient_id = $2"
        ))
        .bind(clinician_id.as_str())
        .bind(patient_id.as_str())
        .fetch_all(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .iter()
        .map(Self::link_from_row)
        .collect::<Result<Vec<_>, _>>()?;
        crate::links::check_link_request(&pair_links, at).map_err(Error::LinkRefused)?;
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
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(Link {
            id,
            clinician_id: clinician_id.clone(),
            patient_id: patient_id.clone(),
            status: LinkStatus::Requested,
            created_at: at,
            decided_at: None,
        })
    }

    async fn set_link_status(
        &self,
        link_id: &str,
        status: LinkStatus,
        at: Timestamp,
    ) -> Result<Link, Error> {
        // The link's row is locked while its move is checked, so an accept and a
        // decline racing each other cannot both succeed.
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {} FROM clinician_patient_links WHERE id = $1 {ROW_LOCK}",
            link_columns!()
        ))
        .bind(link_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("link", link_id))?;
        let link = Self::link_from_row(&row)?;
        crate::links::check_link_move(link.status, status).map_err(Error::LinkRefused)?;
        let row = sqlx::query(concat!(
            "UPDATE clinician_patient_links SET status = $2, decided_at = $3 \
             WHERE id = $1 RETURNING ",
            link_columns!()
        ))
        .bind(link_id)
        .bind(status.as_str())
        .bind(at.unix_seconds())
        .fetch_one(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let link = Self::link_from_row(&row)?;
        if status == LinkStatus::Ended {
            self.cancel_on_link_end_in(
                &mut tx,
                &link.clinician_id,
                &link.patient_id,
                Side::Patient,
                at,
            )
            .await?;
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(link)
    }

    async fn link(&self, link_id: &str) -> Result<Link, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            link_columns!(),
            " FROM clinician_patient_links WHERE id = $1"
        ))
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
                sqlx::query(concat!(
                    "SELECT ",
                    link_columns!(),
                    " FROM clinician_patient_links \
                     WHERE clinician_id = $1 ORDER BY created_at DESC, id"
                ))
                .bind(clinician_id.as_str()),
            )
            .await?;
        rows.iter().map(Self::link_from_row).collect()
    }

    async fn links_of_patient(&self, patient_id: &PersonId) -> Result<Vec<Link>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    link_columns!(),
                    " FROM clinician_patient_links \
                     WHERE patient_id = $1 ORDER BY created_at DESC, id"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter().map(Self::link_from_row).collect()
    }

    async fn has_accepted_link(
        &self,
        clinician_id: &PersonId,
        patient_id: &PersonId,
    ) -> Result<bool, Error> {
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
            return Err(Error::NotFound {
                entity: "user",
                id: event.person.as_str().to_owned(),
            });
        }
        let rows = sqlx::query(concat!(
            "SELECT ",
            consent_columns!(),
            " FROM consent_events WHERE person_id = $1 ORDER BY seq"
        ))
        .bind(event.person.as_str())
        .fetch_all(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let events = rows
            .iter()
            .map(Self::consent_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let mut ledger = healing_core::consent::Ledger::replay(event.person.clone(), events)
            .map_err(|error| {
                corrupt(
                    "consent_events",
                    "seq",
                    format!("the stored ledger does not replay: {error}"),
                )
            })?;
        ledger
            .append(event.clone())
            .map_err(Error::ConsentRefused)?;
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
                sqlx::query(concat!(
                    "SELECT ",
                    consent_columns!(),
                    " FROM consent_events WHERE person_id = $1 ORDER BY seq"
                ))
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
        let alerted = match screened_note {
            Some(screened) => {
                Self::record_screening_in(
                    &mut tx,
                    &self.alerting,
                    patient_id,
                    AlertSource::MoodNote,
                    &id,
                    screened,
                    entry.recorded_at(),
                )
                .await?
            }
            None => false,
        };
        Self::credit_activity_in(
            &mut tx,
            patient_id,
            healing_core::pet::WellbeingActivity::MoodLog,
            entry.recorded_at(),
        )
        .await?;
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
        Ok(StoredMoodEntry {
            id,
            patient_id: patient_id.clone(),
            entry: entry.clone(),
        })
    }

    async fn mood_entries(&self, patient_id: &PersonId) -> Result<Vec<StoredMoodEntry>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    mood_columns!(),
                    " FROM mood_entries WHERE patient_id = $1 \
                     ORDER BY day, recorded_at, id"
                ))
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
        let result = AssessmentResult {
            answers: assessment.answers.clone(),
            total: assessment.total,
            band: assessment.band,
            flags: assessment.flags.clone(),
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(concat!(
            "INSERT INTO assessments (",
            assessment_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(&id)
        .bind(assessment.patient_id.as_str())
        .bind(&assessment.instrument_id)
        .bind(&assessment.instrument_version)
        .bind(result.seal(&self.cipher, &id)?)
        .bind(assessment.completed_at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if let Some(severity) = risk {
            Self::raise_alert_in(
                &mut tx,
                &self.alerting,
                &assessment.patient_id,
                None,
                severity,
                &[healing_core::safety::Category::Suicide],
                AlertSource::Assessment,
                &id,
                assessment.completed_at,
            )
            .await?;
        }
        Self::credit_activity_in(
            &mut tx,
            &assessment.patient_id,
            healing_core::pet::WellbeingActivity::Assessment,
            assessment.completed_at,
        )
        .await?;
        tx.commit().await.map_err(from_sqlx)?;
        if risk.is_some() {
            self.wake_delivery_worker();
        }
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
                sqlx::query(concat!(
                    "SELECT ",
                    assessment_columns!(),
                    " FROM assessments WHERE patient_id = $1 \
                     ORDER BY completed_at, id"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter()
            .map(|row| self.assessment_from_row(row))
            .collect()
    }

    async fn open_course(&self, course: NewCourse) -> Result<TreatmentCourse, Error> {
        self.open_course_checked(course).await
    }

    async fn close_course(
        &self,
        course_id: &str,
        ending: CourseEnding,
        at: Timestamp,
    ) -> Result<TreatmentCourse, Error> {
        self.close_course_checked(course_id, ending, at).await
    }

    async fn course(&self, course_id: &str) -> Result<TreatmentCourse, Error> {
        self.course_by_id(course_id).await
    }

    async fn ended_courses(
        &self,
        scope: &CourseScope,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<TreatmentCourse>, Error> {
        self.ended_courses_in_scope(scope, from, until).await
    }

    async fn courses(&self, patient_id: &PersonId) -> Result<Vec<TreatmentCourse>, Error> {
        self.courses_of(patient_id).await
    }

    async fn add_treatment_session(
        &self,
        session: NewTreatmentSession,
    ) -> Result<TreatmentSession, Error> {
        self.add_session_checked(session).await
    }

    async fn treatment_sessions(
        &self,
        patient_id: &PersonId,
    ) -> Result<Vec<TreatmentSession>, Error> {
        self.sessions_of(patient_id).await
    }

    // ---- clinical notes and discharge ----

    async fn add_clinical_note(&self, note: &NewClinicalNote) -> Result<ClinicalNote, Error> {
        self.add_note_checked(note).await
    }

    async fn amend_clinical_note(
        &self,
        note_id: &str,
        amendment: &NewClinicalNote,
    ) -> Result<ClinicalNote, Error> {
        self.amend_note_checked(note_id, amendment).await
    }

    async fn clinical_notes(&self, patient_id: &PersonId) -> Result<Vec<ClinicalNote>, Error> {
        self.notes_of(patient_id).await
    }

    async fn discharge(&self, discharge: &NewDischarge) -> Result<Discharge, Error> {
        self.discharge_checked(discharge).await
    }

    // ---- journal ----

    async fn add_journal_entry(
        &self,
        patient_id: &PersonId,
        screened: &Screened,
        written_at: Timestamp,
    ) -> Result<JournalEntry, Error> {
        let id = new_id()?;
        let sealed = seal(
            &self.cipher,
            "journal_entries",
            "body",
            &id,
            screened.text(),
        )?;
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
        let alerted = Self::record_screening_in(
            &mut tx,
            &self.alerting,
            patient_id,
            AlertSource::Journal,
            &id,
            screened,
            written_at,
        )
        .await?;
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
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

    async fn delete_journal_entry(
        &self,
        patient_id: &PersonId,
        entry_id: &str,
    ) -> Result<(), Error> {
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

    // ---- safety events and pets ----

    async fn record_safety_event(&self, event: NewSafetyEvent) -> Result<SafetyEvent, Error> {
        let id = new_id()?;
        sqlx::query(concat!(
            "INSERT INTO safety_events (",
            safety_event_columns!(),
            ") \
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(&id)
        .bind(event.patient_id.as_str())
        .bind(&event.source)
        .bind(event.level.as_str())
        .bind(categories_text(&event.categories)?)
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
                sqlx::query(concat!(
                    "SELECT ",
                    safety_event_columns!(),
                    " FROM safety_events WHERE patient_id = $1 \
                     ORDER BY at, id"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter().map(Self::safety_event_from_row).collect()
    }

    async fn put_pet_state(
        &self,
        patient_id: &PersonId,
        state: &healing_core::pet::PetState,
        at: Timestamp,
    ) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO pets (patient_id, state, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (patient_id) DO UPDATE SET state = excluded.state, \
             updated_at = excluded.updated_at",
        )
        .bind(patient_id.as_str())
        .bind(pet_state_text(state)?)
        .bind(at.unix_seconds())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }

    async fn step_pet(
        &self,
        patient_id: &PersonId,
        event: &healing_core::pet::Event,
        at: Timestamp,
    ) -> Result<Option<healing_core::pet::Step>, Error> {
        let mut tx = self.begin_write().await?;
        let step = Self::step_pet_in(&mut tx, patient_id, event, at).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(step)
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
                state: pet_state_from_text(&column::<String>(&row, "state")?, "pets", "state")?,
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
        let row = sqlx::query(concat!(
            "SELECT ",
            alert_columns!(),
            " FROM alerts WHERE id = $1"
        ))
        .bind(alert_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("alert", alert_id))?;
        self.alert_from_row(&row)
    }

    async fn alerts_of_patient(&self, patient_id: &PersonId) -> Result<Vec<Alert>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    alert_columns!(),
                    " FROM alerts WHERE patient_id = $1 ORDER BY created_at, id"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter().map(|row| self.alert_from_row(row)).collect()
    }

    async fn acknowledge_alert(
        &self,
        alert_id: &str,
        actor_id: &PersonId,
        at: Timestamp,
    ) -> Result<Alert, Error> {
        self.transition_alert(alert_id, actor_id, AlertState::Acknowledged, None, at)
            .await
    }

    async fn resolve_alert(
        &self,
        alert_id: &str,
        actor_id: &PersonId,
        action: &str,
        at: Timestamp,
    ) -> Result<Alert, Error> {
        self.transition_alert(alert_id, actor_id, AlertState::Resolved, Some(action), at)
            .await
    }
}
