//! Courses of care and clinical notes: the checked writes behind
//! [`ClinicalStore`](crate::ClinicalStore)'s course, session, note and discharge
//! methods, each one transaction in which the rules of [`crate::courses`] are
//! checked and the course's outcome is stored again.
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::ids::PersonId;
use healing_core::outcomes::{CourseEnding, CourseOutcome, SessionScore};
use healing_core::timestamp::Timestamp;

use super::common::{column, not_found};
use super::{Db, DbRow, ROW_LOCK, SqlStore};
use crate::Error;
use crate::appointments::Side;
use crate::audit::{AuditAction, AuditEntry};
use crate::convert::{
    corrupt, from_json_text, from_serde_name, instant, json_text, named, new_id, open,
    open_problem, optional_instant, optional_person, person, seal, seal_problem, serde_name,
};
use crate::courses::{CourseRefusal, check_course_opened, check_session_added, outcome_of};
use crate::error::from_sqlx;
use crate::records::*;
use crate::sql::AffectedRows;

type Tx = sqlx::Transaction<'static, Db>;

macro_rules! course_columns {
    () => {
        "id, patient_id, clinician_id, problem, opened_at, closed_at, ending, outcome"
    };
}

macro_rules! treatment_session_columns {
    () => {
        "id, course_id, patient_id, clinician_id, at, kind, attendance, scores"
    };
}

macro_rules! note_columns {
    () => {
        "id, note_id, version, patient_id, author_id, session_id, body, written_at, supersedes"
    };
}

impl SqlStore {
    pub(super) fn course_from_row(&self, row: &DbRow) -> Result<TreatmentCourse, Error> {
        let table = "courses";
        let id: String = column(row, "id")?;
        let sealed: Option<Vec<u8>> = column(row, "problem")?;
        let sealed = sealed.ok_or_else(|| corrupt(table, "problem", "missing"))?;
        let ending: Option<String> = column(row, "ending")?;
        let outcome: Option<Vec<u8>> = column(row, "outcome")?;
        let outcome = outcome
            .map(|sealed| {
                let text = open(&self.cipher, table, "outcome", &id, &sealed)?;
                from_json_text::<CourseOutcome>(&text, table, "outcome")
            })
            .transpose()?;
        Ok(TreatmentCourse {
            patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
            clinician_id: optional_person(column(row, "clinician_id")?, table, "clinician_id")?,
            problem_descriptor: open_problem(&self.cipher, &id, &sealed)?,
            opened_at: instant(column(row, "opened_at")?, table, "opened_at")?,
            closed_at: optional_instant(column(row, "closed_at")?, table, "closed_at")?,
            ending: ending
                .map(|name| from_serde_name(name, table, "ending"))
                .transpose()?,
            outcome,
            id,
        })
    }

    pub(super) fn treatment_session_from_row(
        &self,
        row: &DbRow,
    ) -> Result<TreatmentSession, Error> {
        let table = "treatment_sessions";
        let id: String = column(row, "id")?;
        let attendance: String = column(row, "attendance")?;
        let scores: Option<Vec<u8>> = column(row, "scores")?;
        let scores = match scores {
            None => Vec::new(),
            Some(sealed) => {
                let text = open(&self.cipher, table, "scores", &id, &sealed)?;
                from_json_text::<Vec<SessionScore>>(&text, table, "scores")?
            }
        };
        Ok(TreatmentSession {
            course_id: column(row, "course_id")?,
            patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
            clinician_id: optional_person(column(row, "clinician_id")?, table, "clinician_id")?,
            at: instant(column(row, "at")?, table, "at")?,
            kind: from_serde_name(column(row, "kind")?, table, "kind")?,
            attendance: named(&attendance, Attendance::from_name, table, "attendance")?,
            scores,
            id,
        })
    }

    fn note_from_row(&self, row: &DbRow) -> Result<ClinicalNote, Error> {
        let table = "clinical_notes";
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        let version: i32 = column(row, "version")?;
        Ok(ClinicalNote {
            body: open(&self.cipher, table, "body", &id, &body)?,
            note_id: column(row, "note_id")?,
            version: u32::try_from(version)
                .map_err(|_| corrupt(table, "version", "out of range"))?,
            patient_id: person(column(row, "patient_id")?, table, "patient_id")?,
            author_id: optional_person(column(row, "author_id")?, table, "author_id")?,
            session_id: column(row, "session_id")?,
            written_at: instant(column(row, "written_at")?, table, "written_at")?,
            supersedes: column(row, "supersedes")?,
            id,
        })
    }

    // ---- courses ----

    /// Opens a course after checking, with the patient's row locked, that the
    /// clinician has no open course with the patient.
    pub(super) async fn open_course_checked(
        &self,
        course: NewCourse,
    ) -> Result<TreatmentCourse, Error> {
        let id = new_id()?;
        let mut tx = self.begin_write().await?;
        sqlx::query(&format!("SELECT id FROM users WHERE id = $1 {ROW_LOCK}"))
            .bind(course.patient_id.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("user", course.patient_id.as_str()))?;
        let existing = self.courses_in(&mut tx, &course.patient_id).await?;
        check_course_opened(&existing, course.clinician_id.as_ref())
            .map_err(Error::CourseRefused)?;
        sqlx::query(
            "INSERT INTO courses (id, patient_id, clinician_id, problem, opened_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(course.patient_id.as_str())
        .bind(course.clinician_id.as_ref().map(PersonId::as_str))
        .bind(seal_problem(&self.cipher, &id, course.problem_descriptor)?)
        .bind(course.opened_at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(TreatmentCourse {
            id,
            patient_id: course.patient_id,
            clinician_id: course.clinician_id,
            problem_descriptor: course.problem_descriptor,
            opened_at: course.opened_at,
            closed_at: None,
            ending: None,
            outcome: None,
        })
    }

    async fn courses_in(
        &self,
        tx: &mut Tx,
        patient_id: &PersonId,
    ) -> Result<Vec<TreatmentCourse>, Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            course_columns!(),
            " FROM courses WHERE patient_id = $1 ORDER BY opened_at, id"
        ))
        .bind(patient_id.as_str())
        .fetch_all(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(|row| self.course_from_row(row)).collect()
    }

    /// A patient's courses, oldest first.
    pub(super) async fn courses_of(
        &self,
        patient_id: &PersonId,
    ) -> Result<Vec<TreatmentCourse>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    course_columns!(),
                    " FROM courses WHERE patient_id = $1 ORDER BY opened_at, id"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter().map(|row| self.course_from_row(row)).collect()
    }

    /// The course with this id.
    pub(super) async fn course_by_id(&self, course_id: &str) -> Result<TreatmentCourse, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            course_columns!(),
            " FROM courses WHERE id = $1"
        ))
        .bind(course_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("course", course_id))?;
        self.course_from_row(&row)
    }

    /// Courses closed in `[from, until)`, in scope.
    pub(super) async fn ended_courses_in_scope(
        &self,
        scope: &CourseScope,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<TreatmentCourse>, Error> {
        let query = match scope {
            CourseScope::All => sqlx::query(concat!(
                "SELECT ",
                course_columns!(),
                " FROM courses WHERE closed_at >= $1 AND closed_at < $2 ORDER BY closed_at, id"
            ))
            .bind(from.unix_seconds())
            .bind(until.unix_seconds()),
            CourseScope::OfClinician(clinician) => sqlx::query(concat!(
                "SELECT ",
                course_columns!(),
                " FROM courses WHERE closed_at >= $1 AND closed_at < $2 \
                 AND clinician_id = $3 ORDER BY closed_at, id"
            ))
            .bind(from.unix_seconds())
            .bind(until.unix_seconds())
            .bind(clinician.as_str()),
        };
        let rows = self.fetch_all(query).await?;
        rows.iter().map(|row| self.course_from_row(row)).collect()
    }

    /// The course with this id, its row locked for the rest of `tx`.
    async fn course_for_update(
        &self,
        tx: &mut Tx,
        course_id: &str,
    ) -> Result<TreatmentCourse, Error> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM courses WHERE id = $1 {ROW_LOCK}",
            course_columns!()
        ))
        .bind(course_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("course", course_id))?;
        self.course_from_row(&row)
    }

    /// A course's sessions in time order, read in `tx`.
    async fn course_sessions_in(
        &self,
        tx: &mut Tx,
        course_id: &str,
    ) -> Result<Vec<TreatmentSession>, Error> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            treatment_session_columns!(),
            " FROM treatment_sessions WHERE course_id = $1 ORDER BY at, id"
        ))
        .bind(course_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| self.treatment_session_from_row(row))
            .collect()
    }

    /// Seals and stores a course's outcome in `tx`.
    async fn store_outcome_in(
        &self,
        tx: &mut Tx,
        course_id: &str,
        outcome: &CourseOutcome,
    ) -> Result<(), Error> {
        let sealed = seal(
            &self.cipher,
            "courses",
            "outcome",
            course_id,
            &json_text(outcome, "outcome")?,
        )?;
        sqlx::query("UPDATE courses SET outcome = $2 WHERE id = $1")
            .bind(course_id)
            .bind(sealed)
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }

    /// Closes an open course locked in `tx` with its ending and its outcome.
    async fn close_course_in(
        &self,
        tx: &mut Tx,
        mut course: TreatmentCourse,
        ending: CourseEnding,
        at: Timestamp,
    ) -> Result<TreatmentCourse, Error> {
        if course.closed_at.is_some() {
            return Err(Error::CourseRefused(CourseRefusal::Closed));
        }
        let sessions = self.course_sessions_in(tx, &course.id).await?;
        let outcome = outcome_of(&course, &sessions).map_err(Error::CourseRefused)?;
        sqlx::query("UPDATE courses SET closed_at = $2, ending = $3 WHERE id = $1")
            .bind(&course.id)
            .bind(at.unix_seconds())
            .bind(ending.as_str())
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        self.store_outcome_in(tx, &course.id, &outcome).await?;
        course.closed_at = Some(at);
        course.ending = Some(ending);
        course.outcome = Some(outcome);
        Ok(course)
    }

    /// Closes a course with its ending and outcome, in one transaction.
    pub(super) async fn close_course_checked(
        &self,
        course_id: &str,
        ending: CourseEnding,
        at: Timestamp,
    ) -> Result<TreatmentCourse, Error> {
        let mut tx = self.begin_write().await?;
        let course = self.course_for_update(&mut tx, course_id).await?;
        let course = self.close_course_in(&mut tx, course, ending, at).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(course)
    }

    /// Adds a session to an open course and stores the course's new outcome, in one
    /// transaction with the course's row locked.
    pub(super) async fn add_session_checked(
        &self,
        session: NewTreatmentSession,
    ) -> Result<TreatmentSession, Error> {
        let id = new_id()?;
        let mut tx = self.begin_write().await?;
        let course = self.course_for_update(&mut tx, &session.course_id).await?;
        // The appointment must belong to the course's own patient.
        if course.patient_id != session.patient_id {
            return Err(Error::InvalidInput {
                field: "patient_id",
                reason: format!("is not the patient of course {}", session.course_id),
            });
        }
        check_session_added(&course, session.attendance, &session.scores)
            .map_err(Error::CourseRefused)?;
        let stored = TreatmentSession {
            id,
            course_id: session.course_id,
            patient_id: session.patient_id,
            clinician_id: session.clinician_id,
            at: session.at,
            kind: session.kind,
            attendance: session.attendance,
            scores: session.scores,
        };
        // The new session goes last, so core refuses one that is not after the
        // sessions already recorded.
        let mut sessions = self.course_sessions_in(&mut tx, &course.id).await?;
        sessions.push(stored.clone());
        let outcome = outcome_of(&course, &sessions).map_err(Error::CourseRefused)?;
        let scores = if stored.scores.is_empty() {
            None
        } else {
            Some(seal(
                &self.cipher,
                "treatment_sessions",
                "scores",
                &stored.id,
                &json_text(&stored.scores, "scores")?,
            )?)
        };
        sqlx::query(concat!(
            "INSERT INTO treatment_sessions (",
            treatment_session_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&stored.id)
        .bind(&stored.course_id)
        .bind(stored.patient_id.as_str())
        .bind(stored.clinician_id.as_ref().map(PersonId::as_str))
        .bind(stored.at.unix_seconds())
        .bind(serde_name(&stored.kind)?)
        .bind(stored.attendance.as_str())
        .bind(scores)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        self.store_outcome_in(&mut tx, &course.id, &outcome).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(stored)
    }

    /// A patient's appointments, oldest first.
    pub(super) async fn sessions_of(
        &self,
        patient_id: &PersonId,
    ) -> Result<Vec<TreatmentSession>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    treatment_session_columns!(),
                    " FROM treatment_sessions WHERE patient_id = $1 ORDER BY at, id"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter()
            .map(|row| self.treatment_session_from_row(row))
            .collect()
    }

    // ---- clinical notes ----

    /// Writes one version of a note in `tx`, and, if the note asks for it, what its
    /// screening finds as a safety event and an alert.
    async fn insert_note_in(
        &self,
        tx: &mut Tx,
        note: &NewClinicalNote,
        note_id: &str,
        version: u32,
        session_id: Option<String>,
        supersedes: Option<String>,
    ) -> Result<ClinicalNote, Error> {
        let id = new_id()?;
        let sealed = seal(
            &self.cipher,
            "clinical_notes",
            "body",
            &id,
            note.body.text(),
        )?;
        sqlx::query(concat!(
            "INSERT INTO clinical_notes (",
            note_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(&id)
        .bind(note_id)
        .bind(i32::try_from(version).map_err(|_| Error::InvalidInput {
            field: "version",
            reason: "too many versions".to_owned(),
        })?)
        .bind(note.patient_id.as_str())
        .bind(note.author_id.as_str())
        .bind(session_id.as_deref())
        .bind(sealed)
        .bind(note.written_at.unix_seconds())
        .bind(supersedes.as_deref())
        .execute(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        if note.raise_alert {
            Self::record_screening_in(
                tx,
                &self.alerting,
                &note.patient_id,
                AlertSource::ClinicalNote,
                &id,
                &note.body,
                note.written_at,
            )
            .await?;
        }
        Ok(ClinicalNote {
            id,
            note_id: note_id.to_owned(),
            version,
            patient_id: note.patient_id.clone(),
            author_id: Some(note.author_id.clone()),
            session_id,
            body: note.body.text().to_owned(),
            written_at: note.written_at,
            supersedes,
        })
    }

    /// Writes version 1 of a new note.
    pub(super) async fn add_note_checked(
        &self,
        note: &NewClinicalNote,
    ) -> Result<ClinicalNote, Error> {
        let mut tx = self.begin_write().await?;
        if let Some(session_id) = &note.session_id {
            // A note is attached only to a session of its own patient.
            let owner = sqlx::query("SELECT patient_id FROM treatment_sessions WHERE id = $1")
                .bind(session_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(from_sqlx)?;
            let owner: Option<String> = owner.map(|row| column(&row, "patient_id")).transpose()?;
            if owner.as_deref() != Some(note.patient_id.as_str()) {
                return Err(not_found("treatment session", session_id));
            }
        }
        let note_id = new_id()?;
        let stored = self
            .insert_note_in(&mut tx, note, &note_id, 1, note.session_id.clone(), None)
            .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(stored)
    }

    /// Writes the next version of a note, superseding the latest.
    pub(super) async fn amend_note_checked(
        &self,
        note_id: &str,
        amendment: &NewClinicalNote,
    ) -> Result<ClinicalNote, Error> {
        let mut tx = self.begin_write().await?;
        let latest = sqlx::query(&format!(
            "SELECT {} FROM clinical_notes WHERE note_id = $1 AND patient_id = $2 \
             ORDER BY version DESC LIMIT 1 {ROW_LOCK}",
            note_columns!()
        ))
        .bind(note_id)
        .bind(amendment.patient_id.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("clinical note", note_id))?;
        let latest = self.note_from_row(&latest)?;
        let stored = self
            .insert_note_in(
                &mut tx,
                amendment,
                note_id,
                latest.version + 1,
                latest.session_id,
                Some(latest.id),
            )
            .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(stored)
    }

    /// Every version of every note about a patient.
    pub(super) async fn notes_of(&self, patient_id: &PersonId) -> Result<Vec<ClinicalNote>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    note_columns!(),
                    " FROM clinical_notes WHERE patient_id = $1 \
                     ORDER BY written_at, note_id, version"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter().map(|row| self.note_from_row(row)).collect()
    }

    // ---- discharge ----

    /// Ends the link, closes the open course, writes the reason and audits it, in
    /// one transaction.
    pub(super) async fn discharge_checked(
        &self,
        discharge: &NewDischarge,
    ) -> Result<Discharge, Error> {
        let mut tx = self.begin_write().await?;
        let link_row = sqlx::query(&format!(
            "SELECT {} FROM clinician_patient_links \
             WHERE clinician_id = $1 AND patient_id = $2 AND status = $3 {ROW_LOCK}",
            link_columns!()
        ))
        .bind(discharge.clinician_id.as_str())
        .bind(discharge.patient_id.as_str())
        .bind(LinkStatus::Accepted.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("link", discharge.patient_id.as_str()))?;
        let link = Self::link_from_row(&link_row)?;
        crate::links::check_link_move(link.status, LinkStatus::Ended)
            .map_err(Error::LinkRefused)?;
        let ended = sqlx::query(
            "UPDATE clinician_patient_links SET status = $2, decided_at = $3 \
             WHERE id = $1 AND status = $4",
        )
        .bind(&link.id)
        .bind(LinkStatus::Ended.as_str())
        .bind(discharge.at.unix_seconds())
        .bind(LinkStatus::Accepted.as_str())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if ended.affected() == 0 {
            return Err(not_found("link", &link.id));
        }
        let open_course = sqlx::query(&format!(
            "SELECT {} FROM courses WHERE patient_id = $1 AND clinician_id = $2 \
             AND closed_at IS NULL ORDER BY opened_at, id {ROW_LOCK}",
            course_columns!()
        ))
        .bind(discharge.patient_id.as_str())
        .bind(discharge.clinician_id.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let course = match open_course {
            Some(row) => {
                let course = self.course_from_row(&row)?;
                Some(
                    self.close_course_in(&mut tx, course, discharge.ending, discharge.at)
                        .await?,
                )
            }
            None => None,
        };
        self.cancel_on_link_end_in(
            &mut tx,
            &discharge.clinician_id,
            &discharge.patient_id,
            Side::Clinician,
            discharge.at,
        )
        .await?;
        let reason = NewClinicalNote {
            patient_id: discharge.patient_id.clone(),
            author_id: discharge.clinician_id.clone(),
            session_id: None,
            body: discharge.reason.clone(),
            raise_alert: false,
            written_at: discharge.at,
        };
        let note_id = new_id()?;
        let note = self
            .insert_note_in(&mut tx, &reason, &note_id, 1, None, None)
            .await?;
        Self::append_audit_in(
            &mut tx,
            AuditEntry {
                at: discharge.at,
                actor_id: Some(discharge.clinician_id.clone()),
                action: AuditAction::new("patient_discharged")?,
                subject_patient_id: Some(discharge.patient_id.clone()),
                // The reason stays in its encrypted note.
                detail: serde_json::json!({
                    "link_id": link.id,
                    "course_id": course.as_ref().map(|course| course.id.as_str()),
                    "ending": discharge.ending.as_str(),
                    "note_id": note.note_id,
                }),
            },
        )
        .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(Discharge {
            link: Link {
                status: LinkStatus::Ended,
                decided_at: Some(discharge.at),
                ..link
            },
            course,
            note,
        })
    }
}
