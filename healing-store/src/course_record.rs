//! A stored course of treatment as healing-core's [`CourseRecord`], so its NHS
//! Talking Therapies outcome comes from `healing_core::outcomes::course_outcome`.

use healing_core::outcomes::{CourseRecord, Session};
use healing_core::research::{CompletedScore, scores_at_session};

use crate::records::{Attendance, StoredAssessment, TreatmentCourse, TreatmentSession};

/// The course as core measures it: its attended appointments in time order (missed
/// and cancelled ones are not contacts), each with the scores of the questionnaires
/// completed that day ([`scores_at_session`], the project's rule for matching app
/// questionnaires to appointments). `sessions` and `assessments` are the patient's;
/// sessions of other courses are left out. Check the result with
/// [`Course::new`](healing_core::outcomes::Course::new): two appointments at the
/// same instant make it refuse the record.
pub fn course_record(
    course: &TreatmentCourse,
    sessions: &[TreatmentSession],
    assessments: &[StoredAssessment],
) -> CourseRecord {
    let mut attended: Vec<&TreatmentSession> = sessions
        .iter()
        .filter(|session| {
            session.course_id == course.id && session.attendance == Attendance::Attended
        })
        .collect();
    attended.sort_by_key(|session| session.at);
    CourseRecord {
        person: course.patient_id.clone(),
        problem_descriptor: Some(course.problem_descriptor),
        sessions: attended
            .into_iter()
            .map(|session| Session {
                at: session.at,
                kind: session.kind,
                scores: scores_at_session(
                    session.at,
                    assessments.iter().map(|assessment| CompletedScore {
                        instrument_id: &assessment.instrument_id,
                        completed_at: assessment.completed_at,
                        total: assessment.total,
                    }),
                ),
            })
            .collect(),
    }
}
