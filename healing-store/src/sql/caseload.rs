//! A clinician's reads across their patients ([`CaseloadStore`]): the caseload in a
//! fixed number of queries over the clinician's accepted links, and the narrow reads
//! one patient's summary needs (mood ratings without notes, the safety plan's date).
//!
//! Compiled once per back end; see [`crate::sql`].

use std::collections::{HashMap, HashSet};

use healing_core::consent::ConsentEvent;
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::Measure;
use healing_core::timestamp::Timestamp;

use super::common::column;
use super::{DbRow, SqlStore};
use crate::Error;
use crate::caseload::{
    CaseloadPage, CaseloadPatient, CaseloadQuery, CourseState, LatestScore, OpenAlerts,
    select_caseload,
};
use crate::contract::CaseloadStore;
use crate::convert::{instant, open, optional_instant, person};
use crate::error::from_sqlx;
use crate::records::*;

/// The patients with an accepted link to the clinician bound as `$1`, the link
/// state `accepted` bound as `$2`. Every caseload query is bounded by it, so no
/// other patient's row is ever read.
macro_rules! linked_patients {
    () => {
        "(SELECT l.patient_id FROM clinician_patient_links l \
          WHERE l.clinician_id = $1 AND l.status = $2)"
    };
}

/// The linked patients with, per patient, their latest activity of each kind, their
/// alerts not yet resolved by severity, and their courses: one row each, every
/// figure a correlated subquery answered from an index on `patient_id` (the alert
/// counts from `alerts_by_patient_severity`'s entries alone, migration 0019).
const PATIENTS: &str = concat!(
    "SELECT u.id, u.display_name, u.nhs_number, \
       (SELECT MAX(m.recorded_at) FROM mood_entries m WHERE m.patient_id = u.id) AS last_mood_at, \
       (SELECT MAX(a.completed_at) FROM assessments a WHERE a.patient_id = u.id) AS last_assessment_at, \
       (SELECT MAX(j.written_at) FROM journal_entries j WHERE j.patient_id = u.id) AS last_journal_at, \
       (SELECT COUNT(*) FROM alerts al WHERE al.patient_id = u.id AND al.state <> $3 AND al.severity = $4) AS critical_alerts, \
       (SELECT COUNT(*) FROM alerts al WHERE al.patient_id = u.id AND al.state <> $3 AND al.severity = $5) AS high_alerts, \
       (SELECT COUNT(*) FROM alerts al WHERE al.patient_id = u.id AND al.state <> $3 AND al.severity = $6) AS medium_alerts, \
       (SELECT COUNT(*) FROM courses c WHERE c.patient_id = u.id AND c.closed_at IS NULL) AS open_courses, \
       (SELECT COUNT(*) FROM courses c WHERE c.patient_id = u.id) AS courses \
     FROM users u WHERE u.id IN ",
    linked_patients!()
);

/// The linked patients' consent decisions, in the order recorded.
const CONSENT: &str = concat!(
    "SELECT person_id, purpose, decision, at, wording_version, recorded_by_staff_id \
     FROM consent_events WHERE person_id IN ",
    linked_patients!(),
    " ORDER BY person_id, seq"
);

/// One pick among a linked patient's questionnaires of the instrument `i.instrument_id`:
/// the first row by `$order` (an `ORDER BY` over `completed_at, id`) that also meets
/// `$and`. Answered by walking one end of the index
/// `assessments_by_patient_instrument` (migration 0019), ids and dates only.
macro_rules! pick {
    ($and:literal, $order:literal) => {
        concat!(
            "(SELECT x.id FROM assessments x \
              WHERE x.patient_id = p.patient_id AND x.instrument_id = i.instrument_id ",
            $and,
            " ORDER BY ",
            $order,
            " LIMIT 1)"
        )
    };
}

/// Of the linked patients' PHQ-9s and GAD-7s (`$3`, `$4`), only the rows the
/// caseload shows: each measure's latest (`newest_id`), its first on record
/// (`oldest_id`) and its first since the patient's open course began
/// (`course_first_id`; the latest-opened course when several are open). The ids are
/// picked first, each through the index, and only the picked rows' sealed results
/// are read; a row picked twice is read once. `MATERIALIZED` keeps the picks from
/// being folded into the join, which would run each pick again for every use.
const SCORES: &str = concat!(
    "WITH picked AS MATERIALIZED (SELECT ",
    pick!("", "x.completed_at DESC, x.id DESC"),
    " AS newest_id, ",
    pick!("", "x.completed_at, x.id"),
    " AS oldest_id, ",
    pick!(
        "AND x.completed_at >= (SELECT MAX(c.opened_at) FROM courses c \
           WHERE c.patient_id = p.patient_id AND c.closed_at IS NULL)",
        "x.completed_at, x.id"
    ),
    " AS course_first_id \
       FROM (SELECT DISTINCT l.patient_id FROM clinician_patient_links l \
             WHERE l.clinician_id = $1 AND l.status = $2) p \
       CROSS JOIN (SELECT $3 AS instrument_id UNION ALL SELECT $4) i) \
     SELECT a.id, a.patient_id, a.instrument_id, a.instrument_version, a.result, \
       a.completed_at, picked.newest_id, picked.oldest_id, picked.course_first_id \
     FROM picked \
     JOIN assessments a ON a.id IN (picked.newest_id, picked.oldest_id, picked.course_first_id)"
);

/// The rows of one patient's measure that the caseload reads.
#[derive(Default)]
struct MeasureRows {
    latest: Option<StoredAssessment>,
    first_on_record: Option<StoredAssessment>,
    first_in_course: Option<StoredAssessment>,
}

impl MeasureRows {
    fn latest_score(&self, measure: Measure) -> Option<LatestScore> {
        let latest = self.latest.as_ref()?;
        let first_on_record = self.first_on_record.as_ref()?;
        LatestScore::new(
            measure,
            latest,
            self.first_in_course.as_ref(),
            first_on_record,
        )
    }
}

impl SqlStore {
    /// Every patient the clinician may see at `at`, unordered: three queries (the
    /// patients with their figures, their consent, their selected scores), whatever
    /// the caseload's size.
    async fn caseload_patients(
        &self,
        clinician_id: &PersonId,
        at: Timestamp,
    ) -> Result<Vec<CaseloadPatient>, Error> {
        let accepted = LinkStatus::Accepted.as_str();
        let patient_rows = self
            .fetch_all(
                sqlx::query(PATIENTS)
                    .bind(clinician_id.as_str())
                    .bind(accepted)
                    .bind(AlertState::Resolved.as_str())
                    .bind(AlertSeverity::Critical.as_str())
                    .bind(AlertSeverity::High.as_str())
                    .bind(AlertSeverity::Medium.as_str()),
            )
            .await?;
        let consent_rows = self
            .fetch_all(
                sqlx::query(CONSENT)
                    .bind(clinician_id.as_str())
                    .bind(accepted),
            )
            .await?;
        let visible = Self::sharing_in_force_among(&consent_rows, at)?;
        let score_rows = self
            .fetch_all(
                sqlx::query(SCORES)
                    .bind(clinician_id.as_str())
                    .bind(accepted)
                    .bind(Measure::Phq9.as_instrument_id())
                    .bind(Measure::Gad7.as_instrument_id()),
            )
            .await?;
        let mut scores = self.scores_by_patient(&score_rows, &visible)?;
        let mut patients = Vec::with_capacity(visible.len());
        for row in &patient_rows {
            let id: String = column(row, "id")?;
            if !visible.contains(id.as_str()) {
                continue;
            }
            let measures = scores.remove(id.as_str()).unwrap_or_default();
            patients.push(self.caseload_patient(row, &id, &measures)?);
        }
        Ok(patients)
    }

    /// The ids of the patients whose `clinician_sharing` consent is in force at `at`,
    /// each ledger replayed by the policy layer's own rule.
    fn sharing_in_force_among(rows: &[DbRow], at: Timestamp) -> Result<HashSet<String>, Error> {
        let mut ledgers: HashMap<PersonId, Vec<ConsentEvent>> = HashMap::new();
        for row in rows {
            let event = Self::consent_from_row(row)?;
            ledgers.entry(event.person.clone()).or_default().push(event);
        }
        let mut visible = HashSet::new();
        for (patient_id, events) in ledgers {
            if crate::links::sharing_in_force(&patient_id, events, at)? {
                visible.insert(patient_id.as_str().to_owned());
            }
        }
        Ok(visible)
    }

    /// The selected score rows of the visible patients, decrypted and sorted into
    /// each patient's PHQ-9 and GAD-7 rows.
    fn scores_by_patient(
        &self,
        rows: &[DbRow],
        visible: &HashSet<String>,
    ) -> Result<HashMap<String, [MeasureRows; 2]>, Error> {
        let mut scores: HashMap<String, [MeasureRows; 2]> = HashMap::new();
        for row in rows {
            let patient_id: String = column(row, "patient_id")?;
            if !visible.contains(&patient_id) {
                // Never decrypted: the clinician may not see this patient.
                continue;
            }
            let instrument: String = column(row, "instrument_id")?;
            let slot = usize::from(instrument == Measure::Gad7.as_instrument_id());
            let id: String = column(row, "id")?;
            let newest: Option<String> = column(row, "newest_id")?;
            let oldest: Option<String> = column(row, "oldest_id")?;
            let course_first: Option<String> = column(row, "course_first_id")?;
            let assessment = self.assessment_from_row(row)?;
            let measure = &mut scores.entry(patient_id).or_default()[slot];
            if newest.as_ref() == Some(&id) {
                measure.latest = Some(assessment.clone());
            }
            if oldest.as_ref() == Some(&id) {
                measure.first_on_record = Some(assessment.clone());
            }
            if course_first.as_ref() == Some(&id) {
                measure.first_in_course = Some(assessment);
            }
        }
        Ok(scores)
    }

    fn caseload_patient(
        &self,
        row: &DbRow,
        id: &str,
        measures: &[MeasureRows; 2],
    ) -> Result<CaseloadPatient, Error> {
        let table = "users";
        let display_name: Vec<u8> = column(row, "display_name")?;
        let nhs_number: Option<Vec<u8>> = column(row, "nhs_number")?;
        let mut open_alerts = OpenAlerts::default();
        for (severity, name) in [
            (AlertSeverity::Critical, "critical_alerts"),
            (AlertSeverity::High, "high_alerts"),
            (AlertSeverity::Medium, "medium_alerts"),
        ] {
            let count: i64 = column(row, name)?;
            open_alerts.add(severity, u32::try_from(count).unwrap_or(u32::MAX));
        }
        let last_activity_at = [
            optional_instant(column(row, "last_mood_at")?, "mood_entries", "recorded_at")?,
            optional_instant(
                column(row, "last_assessment_at")?,
                "assessments",
                "completed_at",
            )?,
            optional_instant(
                column(row, "last_journal_at")?,
                "journal_entries",
                "written_at",
            )?,
        ]
        .into_iter()
        .flatten()
        .max();
        let open_courses: i64 = column(row, "open_courses")?;
        let courses: i64 = column(row, "courses")?;
        let course = match (open_courses, courses) {
            (0, 0) => CourseState::None,
            (0, _) => CourseState::Closed,
            _ => CourseState::Open,
        };
        let [phq9, gad7] = measures;
        Ok(CaseloadPatient {
            patient_id: person(id.to_owned(), table, "id")?,
            display_name: open(&self.cipher, table, "display_name", id, &display_name)?,
            nhs_number: nhs_number
                .map(|sealed| open(&self.cipher, table, "nhs_number", id, &sealed))
                .transpose()?,
            phq9: phq9.latest_score(Measure::Phq9),
            gad7: gad7.latest_score(Measure::Gad7),
            open_alerts,
            last_activity_at,
            course,
        })
    }
}

impl CaseloadStore for SqlStore {
    async fn caseload(
        &self,
        clinician_id: &PersonId,
        query: &CaseloadQuery,
        at: Timestamp,
    ) -> Result<CaseloadPage, Error> {
        let patients = self.caseload_patients(clinician_id, at).await?;
        Ok(select_caseload(patients, query, at))
    }

    async fn mood_ratings_from(
        &self,
        patient_id: &PersonId,
        first_day: time::Date,
    ) -> Result<Vec<MoodEntry>, Error> {
        let first_day = first_day
            .format(time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|_| Error::InvalidInput {
                field: "first_day",
                reason: "cannot be written as yyyy-mm-dd".to_owned(),
            })?;
        // `NULL AS note`: the notes stay sealed; the row reads as an entry without one.
        let rows = self
            .fetch_all(
                sqlx::query(
                    "SELECT id, patient_id, day, recorded_at, mood, sleep, anxiety, NULL AS note \
                     FROM mood_entries WHERE patient_id = $1 AND day >= $2 \
                     ORDER BY day, recorded_at, id",
                )
                .bind(patient_id.as_str())
                .bind(first_day),
            )
            .await?;
        rows.iter()
            .map(|row| self.mood_from_row(row).map(|stored| stored.entry))
            .collect()
    }

    async fn safety_plan_updated_at(
        &self,
        patient_id: &PersonId,
    ) -> Result<Option<Timestamp>, Error> {
        let row = sqlx::query("SELECT updated_at FROM safety_plans WHERE patient_id = $1")
            .bind(patient_id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.map(|row| instant(column(&row, "updated_at")?, "safety_plans", "updated_at"))
            .transpose()
    }
}
