//! A service's headline outcomes over the courses that ended in a period: recovery,
//! reliable improvement, reliable recovery and reliable deterioration, each a count
//! over its denominator, with every course left out listed and why.
//!
//! Definitions, cited below as:
//! - **[TT Manual]** *NHS Talking Therapies for anxiety and depression Manual* (v7, 2024),
//!   "Outcome measurement": recovery is counted among referrals that finished a course
//!   of treatment and were at caseness at the start; reliable improvement and reliable
//!   deterioration among all referrals that finished a course of treatment.
//! - **[Data handbook]** NHS Digital, *Psychological Therapies: reports on the use of
//!   IAPT services*, data quality and metadata notes (the `Recovery`, `Reliable
//!   improvement` and `Reliable recovery` measures): the same denominators, and outcomes
//!   are computed only for referrals with paired scores.
//!
//! unconfirmed: whether the data handbook keeps finished courses without paired scores
//! in the reliable-change denominators; here they are left out of every rate (there is
//! nothing to compare) and listed as [`ExclusionReason::NoPairedScores`].

use serde::{Deserialize, Serialize};

use super::{CourseOutcome, CourseResult, Recovery, ReliableChange, ReliableRecovery};

/// One ended course as the summary reads it: an id of the caller's choosing, used only
/// to list the course among the exclusions, and its outcome.
#[derive(Debug, Clone, Copy)]
pub struct EndedCourse<'a> {
    /// The caller's id for the course.
    pub id: &'a str,
    /// Its outcome from [`course_outcome`](super::course_outcome).
    pub outcome: &'a CourseOutcome,
}

/// A count over its denominator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// Courses with the outcome.
    pub count: usize,
    /// Courses the rate is counted among.
    pub denominator: usize,
    /// `count / denominator` as a percentage rounded half up to one decimal place,
    /// computed in integers; `None` when the denominator is 0.
    pub percent: Option<f64>,
}

impl Rate {
    fn new(count: usize, denominator: usize) -> Rate {
        let percent = (denominator > 0).then(|| {
            // Tenths of a percent, rounded half up, in integers.
            let tenths = (count * 1000 + denominator / 2) / denominator;
            tenths as f64 / 10.0
        });
        Rate {
            count,
            denominator,
            percent,
        }
    }
}

/// Why a course is left out of some or all of the rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// Fewer than two attended treatment contacts: left out of every rate.
    NotFinishedTreatment,
    /// Finished treatment without a first and last score on both measures: left out of
    /// every rate.
    NoPairedScores,
    /// Not at caseness at the start: left out of recovery and reliable recovery only,
    /// still counted for reliable improvement and deterioration.
    NotAtCasenessAtStart,
}

crate::wire_name::wire_names!(ExclusionReason {
    NotFinishedTreatment => "not_finished_treatment",
    NoPairedScores => "no_paired_scores",
    NotAtCasenessAtStart => "not_at_caseness_at_start",
});

/// One course left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// The caller's id for the course.
    pub course: String,
    /// Why.
    pub reason: ExclusionReason,
    /// The course outcome's own sentence explaining it.
    pub reasoning: String,
}

/// The headline measures of a set of ended courses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    /// Courses given.
    pub courses_ended: usize,
    /// Of those, courses with at least two attended treatment contacts.
    pub finished_treatment: usize,
    /// Of those, courses with paired scores on both measures: the reliable-change denominator.
    pub with_paired_scores: usize,
    /// Of those, courses at caseness at the start: the recovery denominator.
    pub at_caseness_at_start: usize,
    /// Recovered among finished courses at caseness at the start ([TT Manual]).
    pub recovery: Rate,
    /// Reliably improved among finished courses with paired scores ([TT Manual]).
    pub reliable_improvement: Rate,
    /// Reliably recovered among finished courses at caseness at the start ([TT Manual]).
    pub reliable_recovery: Rate,
    /// Reliably deteriorated among finished courses with paired scores ([TT Manual]).
    pub reliable_deterioration: Rate,
    /// Every course left out of a rate, in the order given.
    pub excluded: Vec<Exclusion>,
}

/// Counts the headline measures over `courses`, the courses that ended in the period
/// reported (the caller chooses which: by the date they closed).
///
/// A course not finished or without paired scores is left out of every rate; one not
/// at caseness at the start is left out of recovery and reliable recovery only. Each
/// is listed in [`ServiceSummary::excluded`] with its own outcome's reasoning.
pub fn service_summary<'a>(courses: impl IntoIterator<Item = EndedCourse<'a>>) -> ServiceSummary {
    let mut courses_ended = 0;
    let mut finished_treatment = 0;
    let mut with_paired_scores = 0;
    let mut at_caseness_at_start = 0;
    let (mut recovered, mut improved, mut reliably_recovered, mut deteriorated) = (0, 0, 0, 0);
    let mut excluded = Vec::new();
    let mut exclude = |course: &EndedCourse<'_>, reason, reasoning: &str| {
        excluded.push(Exclusion {
            course: course.id.to_owned(),
            reason,
            reasoning: reasoning.to_owned(),
        });
    };
    for course in courses {
        courses_ended += 1;
        let categories = match &course.outcome.result {
            CourseResult::NotFinishedTreatment { reasoning, .. } => {
                exclude(&course, ExclusionReason::NotFinishedTreatment, reasoning);
                continue;
            }
            CourseResult::NoPairedScores { reasoning, .. } => {
                finished_treatment += 1;
                exclude(&course, ExclusionReason::NoPairedScores, reasoning);
                continue;
            }
            CourseResult::Measured(categories) => categories,
        };
        finished_treatment += 1;
        with_paired_scores += 1;
        match categories.reliable_change.value {
            ReliableChange::ReliableImprovement => improved += 1,
            ReliableChange::ReliableDeterioration => deteriorated += 1,
            ReliableChange::NoReliableChange => {}
        }
        match categories.recovery.value {
            Recovery::NotAtCasenessAtStart => {
                exclude(
                    &course,
                    ExclusionReason::NotAtCasenessAtStart,
                    &categories.recovery.reasoning,
                );
                continue;
            }
            Recovery::Recovered => recovered += 1,
            Recovery::NotRecovered => {}
        }
        at_caseness_at_start += 1;
        if categories.reliable_recovery.value == ReliableRecovery::ReliablyRecovered {
            reliably_recovered += 1;
        }
    }
    ServiceSummary {
        courses_ended,
        finished_treatment,
        with_paired_scores,
        at_caseness_at_start,
        recovery: Rate::new(recovered, at_caseness_at_start),
        reliable_improvement: Rate::new(improved, with_paired_scores),
        reliable_recovery: Rate::new(reliably_recovered, at_caseness_at_start),
        reliable_deterioration: Rate::new(deteriorated, with_paired_scores),
        excluded,
    }
}
