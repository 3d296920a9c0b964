//! One patient's course of care as callers pass it in, and its validated form.

use serde::{Deserialize, Serialize};

use super::{Error, Measure, ProblemDescriptor, ScoreValue, Scoring};
use crate::ids::PersonId;
use crate::timestamp::Timestamp;

/// What an attended appointment was for, following the appointment purposes of the
/// NHS Talking Therapies (IAPT) data set.
///
/// unconfirmed: the exact list and codes of the data set's appointment purposes; the
/// purposes here are those this module needs to count treatment contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// Assessment only.
    Assessment,
    /// Treatment.
    Treatment,
    /// Assessment and treatment in the same appointment.
    AssessmentAndTreatment,
    /// Review and treatment.
    ReviewAndTreatment,
    /// Review without treatment.
    ReviewWithoutTreatment,
    /// Any other purpose.
    Other,
}

crate::wire_name::wire_names!(SessionKind {
    Assessment => "assessment",
    Treatment => "treatment",
    AssessmentAndTreatment => "assessment_and_treatment",
    ReviewAndTreatment => "review_and_treatment",
    ReviewWithoutTreatment => "review_without_treatment",
    Other => "other",
});

impl SessionKind {
    /// Whether the appointment counts as a treatment contact towards "finished a course of treatment".
    pub const fn counts_as_treatment(self) -> bool {
        matches!(
            self,
            SessionKind::Treatment
                | SessionKind::AssessmentAndTreatment
                | SessionKind::ReviewAndTreatment
        )
    }
}

/// One questionnaire score recorded at, or for, a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionScore {
    /// The questionnaire.
    pub measure: Measure,
    /// Its total (or, for the Mobility Inventory, its mean).
    pub value: ScoreValue,
}

/// One attended appointment and the scores recorded at or for it.
///
/// Pass attended appointments only: cancelled and missed appointments are not contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// When the appointment took place.
    pub at: Timestamp,
    /// What it was for.
    pub kind: SessionKind,
    /// Scores recorded at or for it, at most one per measure.
    #[serde(default)]
    pub scores: Vec<SessionScore>,
}

/// A course of care as the caller sends it, before checking. [`Course::new`] checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseRecord {
    /// The patient.
    pub person: PersonId,
    /// The patient's main problem, or `None` if the service did not record one.
    #[serde(default)]
    pub problem_descriptor: Option<ProblemDescriptor>,
    /// Attended appointments, earliest first.
    pub sessions: Vec<Session>,
}

/// A checked course of care: sessions strictly in time order, at most one score per
/// measure per session, every score inside its measure's range.
///
/// Deserialising checks the same rules as [`Course::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CourseRecord", into = "CourseRecord")]
pub struct Course {
    record: CourseRecord,
}

impl Course {
    /// Checks a course of care.
    ///
    /// Errors name the session by its position (1 for the first) and time.
    pub fn new(record: CourseRecord) -> Result<Course, Error> {
        let mut previous: Option<Timestamp> = None;
        for (index, session) in record.sessions.iter().enumerate() {
            let position = index + 1;
            if let Some(previous_at) = previous
                && session.at <= previous_at
            {
                return Err(Error::SessionOutOfOrder {
                    session: position,
                    at: session.at,
                    previous_at,
                });
            }
            previous = Some(session.at);
            check_scores(position, session)?;
        }
        Ok(Course { record })
    }

    /// The patient.
    pub fn person(&self) -> &PersonId {
        &self.record.person
    }

    /// The patient's main problem, if recorded.
    pub fn problem_descriptor(&self) -> Option<ProblemDescriptor> {
        self.record.problem_descriptor
    }

    /// The attended appointments, earliest first.
    pub fn sessions(&self) -> &[Session] {
        &self.record.sessions
    }

    /// The number of appointments that count as treatment contacts.
    pub fn treatment_sessions(&self) -> usize {
        self.record
            .sessions
            .iter()
            .filter(|session| session.kind.counts_as_treatment())
            .count()
    }
}

impl TryFrom<CourseRecord> for Course {
    type Error = Error;

    fn try_from(record: CourseRecord) -> Result<Course, Error> {
        Course::new(record)
    }
}

impl From<Course> for CourseRecord {
    fn from(course: Course) -> CourseRecord {
        course.record
    }
}

fn check_scores(position: usize, session: &Session) -> Result<(), Error> {
    // One flag per measure keeps the duplicate check linear however many scores arrive.
    let mut seen = [false; Measure::ALL.len()];
    for score in &session.scores {
        let measure = score.measure;
        let already_seen = seen
            .get_mut(measure.ordinal())
            .map(|flag| std::mem::replace(flag, true))
            .unwrap_or(false);
        if already_seen {
            return Err(Error::DuplicateScore {
                measure,
                session: position,
                at: session.at,
            });
        }
        let (lowest, highest) = (measure.lowest_score(), measure.highest_score());
        if score.value < lowest || score.value > highest {
            return Err(Error::ScoreOutOfRange {
                measure,
                session: position,
                value: score.value,
                lowest,
                highest,
            });
        }
        if measure.scoring() == Scoring::WholePoints && !score.value.is_whole() {
            return Err(Error::FractionalScore {
                measure,
                session: position,
                value: score.value,
            });
        }
    }
    Ok(())
}
