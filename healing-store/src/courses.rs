//! The rules of courses of care as the store keeps them, pure so they are tested
//! without a database: which stored appointments make up the core [`Course`] whose
//! outcome is kept, and what a write to a course may not do.
//!
//! The store checks every session it adds and every close against these rules inside
//! the transaction that writes it, with the course's row locked, so concurrent writes
//! cannot get past them, and it stores the outcome [`course_outcome`] gives in the same
//! transaction: the stored outcome is always that of the stored sessions.

use healing_core::ids::PersonId;
use healing_core::outcomes::{
    Course, CourseOutcome, CourseRecord, Session, SessionScore, course_outcome,
};

use crate::records::{Attendance, TreatmentCourse, TreatmentSession};

/// Why a write to a course is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CourseRefusal {
    /// The clinician already has an open course with this patient: close it first.
    #[error("this clinician already has an open course with this patient")]
    AlreadyOpen,
    /// The course is closed: no session is added to it and it is not closed again.
    /// A new course is opened instead, so a closed course's outcome never changes.
    #[error("the course is closed")]
    Closed,
    /// Scores were given for an appointment the patient did not attend.
    #[error("scores are recorded only at an attended session")]
    ScoresWithoutAttendance,
    /// healing-core refuses the course with this session (a score outside its
    /// measure's range, a measure twice, a session not after the one before it).
    #[error("{0}")]
    Invalid(healing_core::outcomes::Error),
}

/// The core course of `course`: those of `sessions` that belong to it and were
/// attended (others are not contacts), in the order given, which must be time order.
/// [`CourseRefusal::Invalid`] when core refuses it.
pub fn course_of(
    course: &TreatmentCourse,
    sessions: &[TreatmentSession],
) -> Result<Course, CourseRefusal> {
    let attended = sessions
        .iter()
        .filter(|session| {
            session.course_id == course.id && session.attendance == Attendance::Attended
        })
        .map(|session| Session {
            at: session.at,
            kind: session.kind,
            scores: session.scores.clone(),
        })
        .collect();
    Course::new(CourseRecord {
        person: course.patient_id.clone(),
        problem_descriptor: Some(course.problem_descriptor),
        sessions: attended,
    })
    .map_err(CourseRefusal::Invalid)
}

/// The outcome of `course` with its `sessions`, checked as [`course_of`] does.
pub fn outcome_of(
    course: &TreatmentCourse,
    sessions: &[TreatmentSession],
) -> Result<CourseOutcome, CourseRefusal> {
    course_of(course, sessions).map(|course| course_outcome(&course))
}

/// Whether a session with `scores` and `attendance` may be added to `course`:
/// the course is open, and only an attended session carries scores.
pub fn check_session_added(
    course: &TreatmentCourse,
    attendance: Attendance,
    scores: &[SessionScore],
) -> Result<(), CourseRefusal> {
    if course.closed_at.is_some() {
        return Err(CourseRefusal::Closed);
    }
    if attendance != Attendance::Attended && !scores.is_empty() {
        return Err(CourseRefusal::ScoresWithoutAttendance);
    }
    Ok(())
}

/// Whether `clinician` may open a course with a patient whose courses are
/// `existing`: not while one of theirs with that patient is open.
pub fn check_course_opened(
    existing: &[TreatmentCourse],
    clinician: Option<&PersonId>,
) -> Result<(), CourseRefusal> {
    let open_with_same_clinician = existing
        .iter()
        .any(|course| course.closed_at.is_none() && course.clinician_id.as_ref() == clinician);
    if open_with_same_clinician {
        return Err(CourseRefusal::AlreadyOpen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use healing_core::outcomes::{Measure, ProblemDescriptor, ScoreValue, SessionKind};
    use healing_core::timestamp::Timestamp;

    use super::*;

    fn at(day: i64) -> Timestamp {
        Timestamp::from_unix_seconds(1_767_225_600 + day * 86_400).unwrap()
    }

    fn course(closed: bool) -> TreatmentCourse {
        TreatmentCourse {
            id: "c1".to_owned(),
            patient_id: PersonId::new("p1").unwrap(),
            clinician_id: Some(PersonId::new("k1").unwrap()),
            problem_descriptor: ProblemDescriptor::Depression,
            opened_at: at(0),
            closed_at: closed.then(|| at(30)),
            ending: None,
            outcome: None,
        }
    }

    fn session(day: i64, attendance: Attendance, phq9: u16) -> TreatmentSession {
        TreatmentSession {
            id: format!("s{day}"),
            course_id: "c1".to_owned(),
            patient_id: PersonId::new("p1").unwrap(),
            clinician_id: None,
            at: at(day),
            kind: SessionKind::Treatment,
            attendance,
            scores: vec![SessionScore {
                measure: Measure::Phq9,
                value: ScoreValue::from_points(phq9),
            }],
        }
    }

    #[test]
    fn counts_only_attended_sessions() {
        let sessions = [
            session(1, Attendance::Attended, 15),
            session(2, Attendance::DidNotAttend, 99),
            session(3, Attendance::Attended, 8),
        ];
        let outcome = outcome_of(&course(false), &sessions).unwrap();
        assert_eq!(outcome.treatment_sessions, 2);
    }

    #[test]
    fn refuses_what_core_refuses() {
        let sessions = [session(1, Attendance::Attended, 28)];
        assert!(matches!(
            outcome_of(&course(false), &sessions),
            Err(CourseRefusal::Invalid(
                healing_core::outcomes::Error::ScoreOutOfRange { .. }
            ))
        ));
    }

    #[test]
    fn refuses_sessions_on_a_closed_course_and_scores_without_attendance() {
        let scores = [SessionScore {
            measure: Measure::Phq9,
            value: ScoreValue::from_points(3),
        }];
        assert_eq!(
            check_session_added(&course(true), Attendance::Attended, &scores),
            Err(CourseRefusal::Closed)
        );
        assert_eq!(
            check_session_added(&course(false), Attendance::DidNotAttend, &scores),
            Err(CourseRefusal::ScoresWithoutAttendance)
        );
        assert_eq!(
            check_session_added(&course(false), Attendance::DidNotAttend, &[]),
            Ok(())
        );
    }

    #[test]
    fn allows_one_open_course_per_clinician() {
        let open = [course(false)];
        let clinician = PersonId::new("k1").unwrap();
        let other = PersonId::new("k2").unwrap();
        assert_eq!(
            check_course_opened(&open, Some(&clinician)),
            Err(CourseRefusal::AlreadyOpen)
        );
        assert_eq!(check_course_opened(&open, Some(&other)), Ok(()));
        assert_eq!(
            check_course_opened(&[course(true)], Some(&clinician)),
            Ok(())
        );
    }
}
