//! The outcome of a course: which measures were paired, caseness, recovery, reliable
//! change, reliable recovery and the session-by-session trajectory.

use serde::{Deserialize, Serialize};

use super::{
    Caseness, Course, Measure, ProblemDescriptor, ScoreDifference, ScoreValue, SessionKind,
};
use crate::ids::PersonId;
use crate::timestamp::Timestamp;

/// Attended treatment contacts needed for a course to count as finished treatment.
///
/// "A referral that has finished a course of treatment is one that has ended having had
/// at least two attended treatment" appointments ([Fingertips glossary], finished course
/// of treatment; NHS Talking Therapies Manual, outcome reporting).
pub const MIN_TREATMENT_SESSIONS: usize = 2;

/// Whether a course had enough treatment to count as finished treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TreatmentCompletion {
    /// At least [`MIN_TREATMENT_SESSIONS`] treatment contacts.
    Finished,
    /// Fewer than [`MIN_TREATMENT_SESSIONS`] treatment contacts: outcomes are not reported.
    NotFinished,
}

crate::wire_name::wire_names!(TreatmentCompletion {
    Finished => "finished",
    NotFinished => "not_finished",
});

/// Why a given anxiety measure was paired with the PHQ-9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnxietyMeasureReason {
    /// The problem descriptor's anxiety-disorder-specific measure, which has paired scores.
    RecommendedForProblem,
    /// The problem descriptor's recommended anxiety measure is the GAD-7.
    ProblemUsesGad7,
    /// No problem descriptor was recorded, so the GAD-7 is used ([Clark 2018], Table 2).
    NoProblemDescriptor,
    /// The recommended measure has no paired scores but an older measure for the same
    /// problem does (IES-R for PTSD).
    OlderMeasureForProblem {
        /// The recommended measure that was not paired.
        recommended: Measure,
    },
    /// The recommended measure has no paired scores, so the GAD-7 is used instead
    /// ("when the [recommended measure] is missing, the recovery calculation is based on
    /// the combination of PHQ-9 and GAD-7": [Clark 2018], Table 2 note).
    RecommendedMeasureNotPaired {
        /// The recommended measure that was not paired.
        recommended: Measure,
    },
}

/// The anxiety measure paired with the PHQ-9 for this course, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnxietyMeasureChoice {
    /// The measure used.
    pub measure: Measure,
    /// Why it was used.
    pub reason: AnxietyMeasureReason,
    /// The reason as a sentence.
    pub reasoning: String,
}

/// Reliable change on one measure, or across the pair of measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliableChange {
    /// A fall of at least the reliable change index (on at least one measure, and no
    /// reliable rise on the other).
    ReliableImprovement,
    /// A rise of at least the reliable change index (on at least one measure, and no
    /// reliable fall on the other).
    ReliableDeterioration,
    /// Neither of the above, including one measure reliably falling while the other reliably rises.
    NoReliableChange,
}

crate::wire_name::wire_names!(ReliableChange {
    ReliableImprovement => "reliable_improvement",
    ReliableDeterioration => "reliable_deterioration",
    NoReliableChange => "no_reliable_change",
});

/// Whether a course that started at caseness ended below it on both measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recovery {
    /// A case at the start and below caseness on both measures at the end.
    Recovered,
    /// A case at the start and still a case on at least one measure at the end.
    NotRecovered,
    /// Not a case at the start: left out of recovery rates.
    NotAtCasenessAtStart,
}

crate::wire_name::wire_names!(Recovery {
    Recovered => "recovered",
    NotRecovered => "not_recovered",
    NotAtCasenessAtStart => "not_at_caseness_at_start",
});

/// Whether a course both recovered and reliably improved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliableRecovery {
    /// Recovered and reliably improved.
    ReliablyRecovered,
    /// A case at the start, but not both recovered and reliably improved.
    NotReliablyRecovered,
    /// Not a case at the start: left out of reliable recovery rates.
    NotAtCasenessAtStart,
}

crate::wire_name::wire_names!(ReliableRecovery {
    ReliablyRecovered => "reliably_recovered",
    NotReliablyRecovered => "not_reliably_recovered",
    NotAtCasenessAtStart => "not_at_caseness_at_start",
});

/// One outcome category's value and the sentence explaining it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding<T> {
    /// The category's value.
    pub value: T,
    /// A short sentence naming the scores and thresholds behind the value.
    pub reasoning: String,
}

/// The first and last scores of one measure over the course, and what their change means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureChange {
    /// The measure.
    pub measure: Measure,
    /// The first score recorded in the course.
    pub first: ScoreValue,
    /// When the first score was recorded.
    pub first_at: Timestamp,
    /// The last score recorded in the course.
    pub last: ScoreValue,
    /// When the last score was recorded.
    pub last_at: Timestamp,
    /// `last - first`: negative is a fall in symptoms.
    pub change: ScoreDifference,
    /// The measure's caseness threshold (a case at or above).
    pub caseness_threshold: ScoreValue,
    /// The measure's reliable change index (reliable at or beyond).
    pub reliable_change_index: ScoreValue,
    /// Caseness of the first score.
    pub caseness_at_start: Caseness,
    /// Caseness of the last score.
    pub caseness_at_end: Caseness,
    /// Reliable change on this measure alone.
    pub reliable_change: ReliableChange,
}

/// The outcome categories of a finished course with paired scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCategories {
    /// Caseness of the pair at the start: a case if either measure is.
    pub caseness_at_start: Caseness,
    /// Caseness of the pair at the end: a case if either measure is.
    pub caseness_at_end: Caseness,
    /// Recovery.
    pub recovery: Finding<Recovery>,
    /// Reliable improvement, reliable deterioration or no reliable change.
    pub reliable_change: Finding<ReliableChange>,
    /// Reliable recovery.
    pub reliable_recovery: Finding<ReliableRecovery>,
}

/// Whether outcomes could be measured, and if so what they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CourseResult {
    /// Fewer than [`MIN_TREATMENT_SESSIONS`] treatment contacts.
    NotFinishedTreatment {
        /// Treatment contacts attended.
        treatment_sessions: usize,
        /// The reason as a sentence.
        reasoning: String,
    },
    /// Finished treatment, but the PHQ-9 or the anxiety measure lacks a first and a last score.
    NoPairedScores {
        /// The measures without paired scores.
        missing: Vec<Measure>,
        /// The reason as a sentence.
        reasoning: String,
    },
    /// Finished treatment with paired scores on both measures.
    Measured(OutcomeCategories),
}

/// One session of the course with the paired measures' scores recorded at or for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrajectoryPoint {
    /// Position in the course: 1 for the first session.
    pub session: usize,
    /// When it took place.
    pub at: Timestamp,
    /// What it was for.
    pub kind: SessionKind,
    /// The PHQ-9 score, if recorded.
    pub depression: Option<ScoreValue>,
    /// The chosen anxiety measure's score, if recorded.
    pub anxiety: Option<ScoreValue>,
    /// PHQ-9 change from its first score in the course, if recorded.
    pub depression_change_from_first: Option<ScoreDifference>,
    /// Anxiety-measure change from its first score in the course, if recorded.
    pub anxiety_change_from_first: Option<ScoreDifference>,
    /// Caseness at this session: a case if either recorded score is; not a case only
    /// when both are recorded and below threshold; `None` when that cannot be told.
    pub caseness: Option<Caseness>,
}

/// Everything NHS Talking Therapies reports about one course of care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseOutcome {
    /// The patient.
    pub person: PersonId,
    /// The patient's main problem, if recorded.
    pub problem_descriptor: Option<ProblemDescriptor>,
    /// Attended treatment contacts.
    pub treatment_sessions: usize,
    /// Whether the course counts as finished treatment.
    pub treatment: TreatmentCompletion,
    /// The depression measure: always the PHQ-9.
    pub depression_measure: Measure,
    /// The anxiety measure paired with it, and why.
    pub anxiety_measure: AnxietyMeasureChoice,
    /// First and last PHQ-9 scores, if it was recorded at two sessions or more.
    pub depression: Option<MeasureChange>,
    /// First and last anxiety-measure scores, if it was recorded at two sessions or more.
    pub anxiety: Option<MeasureChange>,
    /// The outcome categories, or why they cannot be given.
    pub result: CourseResult,
    /// Every session in time order with its scores.
    pub trajectory: Vec<TrajectoryPoint>,
}

impl CourseOutcome {
    /// The outcome categories, when the course was measured.
    pub fn categories(&self) -> Option<&OutcomeCategories> {
        match &self.result {
            CourseResult::Measured(categories) => Some(categories),
            _ => None,
        }
    }
}

/// Measures the outcome of a checked course of care.
///
/// Pairs the PHQ-9 with the anxiety measure for the problem descriptor, falling back to
/// the GAD-7 as described on [`AnxietyMeasureReason`]; takes each measure's first and
/// last scores in the course; and, for a finished course with both pairs, gives caseness,
/// recovery, reliable change and reliable recovery with their reasoning.
///
/// Services report outcomes for courses that have ended; for a course still in progress
/// the result describes the course so far (useful for session-by-session review).
pub fn course_outcome(course: &Course) -> CourseOutcome {
    let treatment_sessions = course.treatment_sessions();
    let treatment = if treatment_sessions >= MIN_TREATMENT_SESSIONS {
        TreatmentCompletion::Finished
    } else {
        TreatmentCompletion::NotFinished
    };
    let anxiety_measure = choose_anxiety_measure(course);
    let depression = measure_change(course, Measure::Phq9);
    let anxiety = measure_change(course, anxiety_measure.measure);

    let result = if treatment == TreatmentCompletion::NotFinished {
        CourseResult::NotFinishedTreatment {
            treatment_sessions,
            reasoning: format!(
                "not finished treatment: {treatment_sessions} treatment session{}, fewer than \
                 the {MIN_TREATMENT_SESSIONS} needed to count as a finished course",
                plural(treatment_sessions)
            ),
        }
    } else if let (Some(depression), Some(anxiety)) = (&depression, &anxiety) {
        CourseResult::Measured(outcome_categories(depression, anxiety))
    } else {
        let missing: Vec<Measure> = [
            (Measure::Phq9, depression.is_none()),
            (anxiety_measure.measure, anxiety.is_none()),
        ]
        .into_iter()
        .filter_map(|(measure, is_missing)| is_missing.then_some(measure))
        .collect();
        let names: Vec<&str> = missing.iter().map(|measure| measure.title()).collect();
        CourseResult::NoPairedScores {
            reasoning: format!(
                "no paired scores: {} recorded at fewer than two sessions, so there is no \
                 first and last score to compare",
                names.join(" and ")
            ),
            missing,
        }
    };

    CourseOutcome {
        person: course.person().clone(),
        problem_descriptor: course.problem_descriptor(),
        treatment_sessions,
        treatment,
        depression_measure: Measure::Phq9,
        trajectory: trajectory(course, &depression, &anxiety, anxiety_measure.measure),
        anxiety_measure,
        depression,
        anxiety,
        result,
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Whether `measure` was recorded at two sessions or more.
fn is_paired(course: &Course, measure: Measure) -> bool {
    course
        .sessions()
        .iter()
        .filter(|session| score_of(session.scores.as_slice(), measure).is_some())
        .nth(1)
        .is_some()
}

fn score_of(scores: &[super::SessionScore], measure: Measure) -> Option<ScoreValue> {
    scores
        .iter()
        .find(|score| score.measure == measure)
        .map(|score| score.value)
}

fn choose_anxiety_measure(course: &Course) -> AnxietyMeasureChoice {
    let Some(problem) = course.problem_descriptor() else {
        return AnxietyMeasureChoice {
            measure: Measure::Gad7,
            reason: AnxietyMeasureReason::NoProblemDescriptor,
            reasoning: "no problem descriptor was recorded, so the GAD-7 is the anxiety measure"
                .to_owned(),
        };
    };
    let recommended = problem.recommended_anxiety_measure();
    if recommended == Measure::Gad7 {
        return AnxietyMeasureChoice {
            measure: Measure::Gad7,
            reason: AnxietyMeasureReason::ProblemUsesGad7,
            reasoning: format!(
                "the GAD-7 is the anxiety measure for {}",
                problem.description()
            ),
        };
    }
    if is_paired(course, recommended) {
        return AnxietyMeasureChoice {
            measure: recommended,
            reason: AnxietyMeasureReason::RecommendedForProblem,
            reasoning: format!(
                "the {} is the anxiety measure for {} and has paired scores",
                recommended.title(),
                problem.description()
            ),
        };
    }
    if let Some(older) = problem.older_anxiety_measure()
        && is_paired(course, older)
    {
        return AnxietyMeasureChoice {
            measure: older,
            reason: AnxietyMeasureReason::OlderMeasureForProblem { recommended },
            reasoning: format!(
                "the {} has no paired scores for {}, so the older {} is the anxiety measure",
                recommended.title(),
                problem.description(),
                older.title()
            ),
        };
    }
    AnxietyMeasureChoice {
        measure: Measure::Gad7,
        reason: AnxietyMeasureReason::RecommendedMeasureNotPaired { recommended },
        reasoning: format!(
            "the {}, the anxiety measure for {}, has no paired scores, so the GAD-7 is used instead",
            recommended.title(),
            problem.description()
        ),
    }
}

fn measure_change(course: &Course, measure: Measure) -> Option<MeasureChange> {
    let mut recorded = course.sessions().iter().filter_map(|session| {
        score_of(session.scores.as_slice(), measure).map(|value| (session.at, value))
    });
    let (first_at, first) = recorded.next()?;
    let (last_at, last) = recorded.next_back()?;
    let change = first.difference_to(last);
    Some(MeasureChange {
        measure,
        first,
        first_at,
        last,
        last_at,
        change,
        caseness_threshold: measure.caseness_threshold(),
        reliable_change_index: measure.reliable_change_index(),
        caseness_at_start: measure.caseness(first),
        caseness_at_end: measure.caseness(last),
        reliable_change: reliable_change_of(change, measure.reliable_change_index()),
    })
}

/// A change is reliable when its size is at least the index ("≥ 6 on PHQ-9": see
/// [`Measure::reliable_change_index`]).
pub(super) fn reliable_change_of(change: ScoreDifference, index: ScoreValue) -> ReliableChange {
    let index = i64::from(index.hundredths());
    if change.hundredths() <= -index {
        ReliableChange::ReliableImprovement
    } else if change.hundredths() >= index {
        ReliableChange::ReliableDeterioration
    } else {
        ReliableChange::NoReliableChange
    }
}

/// Combines the two measures' reliable change (NHS Talking Therapies Manual, outcome
/// definitions; NHS Digital, *NHS Talking Therapies annual report*, definitions):
/// reliable improvement is a reliable fall on at least one measure and no reliable rise
/// on the other; reliable deterioration is a reliable rise on at least one and no
/// reliable fall on the other; anything else, including one reliable fall with one
/// reliable rise, is no reliable change. unconfirmed: the manual's exact wording for the
/// mixed case, which this module counts as no reliable change.
fn combined_reliable_change(first: ReliableChange, second: ReliableChange) -> ReliableChange {
    use ReliableChange::{NoReliableChange, ReliableDeterioration, ReliableImprovement};
    match (first, second) {
        (ReliableImprovement, ReliableImprovement | NoReliableChange)
        | (NoReliableChange, ReliableImprovement) => ReliableImprovement,
        (ReliableDeterioration, ReliableDeterioration | NoReliableChange)
        | (NoReliableChange, ReliableDeterioration) => ReliableDeterioration,
        _ => NoReliableChange,
    }
}

fn outcome_categories(depression: &MeasureChange, anxiety: &MeasureChange) -> OutcomeCategories {
    let caseness_at_start = depression
        .caseness_at_start
        .either(anxiety.caseness_at_start);
    let caseness_at_end = depression.caseness_at_end.either(anxiety.caseness_at_end);
    let start = format!(
        "{}; {}",
        caseness_phrase(depression.measure, depression.first),
        caseness_phrase(anxiety.measure, anxiety.first)
    );
    let end = format!(
        "{}; {}",
        caseness_phrase(depression.measure, depression.last),
        caseness_phrase(anxiety.measure, anxiety.last)
    );

    // Recovery: a case at the start on at least one measure, and below caseness on both
    // at the end ([TT Manual], recovery; [Fingertips glossary], caseness).
    let recovery = match (caseness_at_start, caseness_at_end) {
        (Caseness::NotCase, _) => Finding {
            value: Recovery::NotAtCasenessAtStart,
            reasoning: format!("not counted for recovery: not a case at the start ({start})"),
        },
        (Caseness::Case, Caseness::NotCase) => Finding {
            value: Recovery::Recovered,
            reasoning: format!(
                "recovered: a case at the start ({start}) and below caseness on both measures at the end ({end})"
            ),
        },
        (Caseness::Case, Caseness::Case) => Finding {
            value: Recovery::NotRecovered,
            reasoning: format!(
                "not recovered: a case at the start ({start}) and still a case at the end ({end})"
            ),
        },
    };

    let change = combined_reliable_change(depression.reliable_change, anxiety.reliable_change);
    let changes = format!("{}; {}", change_phrase(depression), change_phrase(anxiety));
    let reliable_change = Finding {
        value: change,
        reasoning: match change {
            ReliableChange::ReliableImprovement => format!(
                "reliable improvement: {changes}, a reliable fall on at least one measure and no reliable rise on the other"
            ),
            ReliableChange::ReliableDeterioration => format!(
                "reliable deterioration: {changes}, a reliable rise on at least one measure and no reliable fall on the other"
            ),
            ReliableChange::NoReliableChange
                if depression.reliable_change != ReliableChange::NoReliableChange =>
            {
                format!(
                    "no reliable change: {changes}, one measure fell reliably while the other rose reliably"
                )
            }
            ReliableChange::NoReliableChange => format!(
                "no reliable change: {changes}, neither measure changed by its reliable change index"
            ),
        },
    };

    // Reliable recovery: recovered and reliably improved ([TT Manual], reliable recovery).
    let improved = change == ReliableChange::ReliableImprovement;
    let reliable_recovery = match (recovery.value, improved) {
        (Recovery::NotAtCasenessAtStart, _) => Finding {
            value: ReliableRecovery::NotAtCasenessAtStart,
            reasoning: "not counted for reliable recovery: not a case at the start".to_owned(),
        },
        (Recovery::Recovered, true) => Finding {
            value: ReliableRecovery::ReliablyRecovered,
            reasoning: "reliably recovered: recovered and reliably improved".to_owned(),
        },
        (Recovery::Recovered, false) => Finding {
            value: ReliableRecovery::NotReliablyRecovered,
            reasoning: "not reliably recovered: recovered but without reliable improvement"
                .to_owned(),
        },
        (Recovery::NotRecovered, true) => Finding {
            value: ReliableRecovery::NotReliablyRecovered,
            reasoning: "not reliably recovered: reliably improved but not recovered".to_owned(),
        },
        (Recovery::NotRecovered, false) => Finding {
            value: ReliableRecovery::NotReliablyRecovered,
            reasoning: "not reliably recovered: neither recovered nor reliably improved".to_owned(),
        },
    };

    OutcomeCategories {
        caseness_at_start,
        caseness_at_end,
        recovery,
        reliable_change,
        reliable_recovery,
    }
}

/// "PHQ-9 15, a case at 10 or more" or "PHQ-9 6, below the caseness threshold of 10".
fn caseness_phrase(measure: Measure, score: ScoreValue) -> String {
    let threshold = measure.caseness_threshold();
    match measure.caseness(score) {
        Caseness::Case => format!("{} {score}, a case at {threshold} or more", measure.title()),
        Caseness::NotCase => format!(
            "{} {score}, below the caseness threshold of {threshold}",
            measure.title()
        ),
    }
}

/// "PHQ-9 fell by 9 from 15 to 6 (reliable at 6 or more)".
fn change_phrase(change: &MeasureChange) -> String {
    let direction = match change.change.hundredths() {
        0 => {
            return format!(
                "{} stayed at {} (reliable change is {} or more)",
                change.measure.title(),
                change.first,
                change.reliable_change_index
            );
        }
        fall if fall < 0 => "fell",
        _ => "rose",
    };
    let size = ScoreValue::from_hundredths(
        // Scores are at most 88 points (8800 hundredths), so the size fits in u32.
        u32::try_from(change.change.magnitude().hundredths()).unwrap_or(u32::MAX),
    );
    format!(
        "{} {direction} by {size} from {} to {} (reliable change is {} or more)",
        change.measure.title(),
        change.first,
        change.last,
        change.reliable_change_index
    )
}

fn trajectory(
    course: &Course,
    depression: &Option<MeasureChange>,
    anxiety: &Option<MeasureChange>,
    anxiety_measure: Measure,
) -> Vec<TrajectoryPoint> {
    // The first score of each measure, for "change from first"; a measure recorded once
    // has no pair but still has a first score.
    let first_of = |change: &Option<MeasureChange>, measure: Measure| {
        change.as_ref().map(|change| change.first).or_else(|| {
            course
                .sessions()
                .iter()
                .find_map(|session| score_of(&session.scores, measure))
        })
    };
    let depression_first = first_of(depression, Measure::Phq9);
    let anxiety_first = first_of(anxiety, anxiety_measure);

    course
        .sessions()
        .iter()
        .enumerate()
        .map(|(index, session)| {
            let depression_score = score_of(&session.scores, Measure::Phq9);
            let anxiety_score = score_of(&session.scores, anxiety_measure);
            let caseness = match (
                depression_score.map(|score| Measure::Phq9.caseness(score)),
                anxiety_score.map(|score| anxiety_measure.caseness(score)),
            ) {
                (Some(Caseness::Case), _) | (_, Some(Caseness::Case)) => Some(Caseness::Case),
                (Some(Caseness::NotCase), Some(Caseness::NotCase)) => Some(Caseness::NotCase),
                _ => None,
            };
            TrajectoryPoint {
                session: index + 1,
                at: session.at,
                kind: session.kind,
                depression: depression_score,
                anxiety: anxiety_score,
                depression_change_from_first: depression_score
                    .zip(depression_first)
                    .map(|(score, first)| first.difference_to(score)),
                anxiety_change_from_first: anxiety_score
                    .zip(anxiety_first)
                    .map(|(score, first)| first.difference_to(score)),
                caseness,
            }
        })
        .collect()
}
