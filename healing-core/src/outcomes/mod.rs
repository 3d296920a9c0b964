//! Outcomes of a course of NHS Talking Therapies care: finished treatment, paired
//! measures, caseness, recovery, reliable improvement or deterioration, reliable
//! recovery and the session-by-session trajectory.
//!
#![doc = include_str!("README.md")]

mod course;
mod ending;
mod measure;
mod outcome;
mod score;
mod service;

#[cfg(test)]
mod tests;

pub use course::{Course, CourseRecord, Session, SessionKind, SessionScore};
pub use ending::CourseEnding;
pub use measure::{Caseness, Measure, ProblemDescriptor, Scoring};
pub use outcome::{
    AnxietyMeasureChoice, AnxietyMeasureReason, CourseOutcome, CourseResult, Finding,
    MIN_TREATMENT_SESSIONS, MeasureChange, OutcomeCategories, Recovery, ReliableChange,
    ReliableRecovery, TrajectoryPoint, TreatmentCompletion, course_outcome,
};
pub use score::{ScoreDifference, ScoreValue};
pub use service::{EndedCourse, Exclusion, ExclusionReason, Rate, ServiceSummary, service_summary};

use crate::timestamp::Timestamp;

/// Why a course of care could not be checked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A score lies outside its measure's possible range.
    #[error(
        "score for {measure} at session {session} is {value}, outside its range of {lowest} to {highest}"
    )]
    ScoreOutOfRange {
        /// The measure.
        measure: Measure,
        /// The session's position in the course, 1 for the first.
        session: usize,
        /// The score given.
        value: ScoreValue,
        /// The lowest possible score.
        lowest: ScoreValue,
        /// The highest possible score.
        highest: ScoreValue,
    },
    /// A measure scored in whole points was given a fraction.
    #[error(
        "score for {measure} at session {session} is {value}, but {measure} scores are whole numbers"
    )]
    FractionalScore {
        /// The measure.
        measure: Measure,
        /// The session's position in the course, 1 for the first.
        session: usize,
        /// The score given.
        value: ScoreValue,
    },
    /// The same measure was recorded twice at one session.
    #[error("{measure} is recorded more than once at session {session} ({at})")]
    DuplicateScore {
        /// The measure.
        measure: Measure,
        /// The session's position in the course, 1 for the first.
        session: usize,
        /// When the session took place.
        at: Timestamp,
    },
    /// A session is not strictly later than the one before it.
    #[error("session {session} at {at} is not after the session before it at {previous_at}")]
    SessionOutOfOrder {
        /// The session's position in the course, 1 for the first.
        session: usize,
        /// When it took place.
        at: Timestamp,
        /// When the session before it took place.
        previous_at: Timestamp,
    },
    /// Text that should be a score is not a number with at most two decimal places.
    #[error(
        "'{text}' is not a score (write a whole number or a decimal with up to two places, e.g. 2.35)"
    )]
    NotAScore {
        /// The text given, cut to 32 characters.
        text: String,
    },
}

impl Error {
    /// The variant's stable `snake_case` name (`"score_out_of_range"`), for callers that
    /// branch on the kind of error without parsing its message.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::ScoreOutOfRange { .. } => "score_out_of_range",
            Self::FractionalScore { .. } => "fractional_score",
            Self::DuplicateScore { .. } => "duplicate_score",
            Self::SessionOutOfOrder { .. } => "session_out_of_order",
            Self::NotAScore { .. } => "not_a_score",
        }
    }
}
