//! Public-API tests of outcomes: each outcome category, every threshold and reliable
//! change index at its boundary, the GAD-7 fall-back, JSON, and properties over random courses.

use healing_core::ids::PersonId;
use healing_core::outcomes::{
    AnxietyMeasureReason, Caseness, Course, CourseOutcome, CourseRecord, CourseResult, Error,
    MIN_TREATMENT_SESSIONS, Measure, OutcomeCategories, ProblemDescriptor, Recovery,
    ReliableChange, ReliableRecovery, ScoreValue, Session, SessionKind, SessionScore,
    TreatmentCompletion, course_outcome,
};
use healing_core::timestamp::Timestamp;
use proptest::prelude::*;

const DAY: i64 = 86_400;
const START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn at(day: i64) -> Timestamp {
    Timestamp::from_unix_seconds(START + day * DAY).unwrap()
}

/// Sessions a week apart, each with (measure, hundredths) scores.
fn sessions(specs: &[(SessionKind, &[(Measure, u32)])]) -> Vec<Session> {
    specs
        .iter()
        .enumerate()
        .map(|(index, (kind, scores))| Session {
            at: at(index as i64 * 7),
            kind: *kind,
            scores: scores
                .iter()
                .map(|&(measure, hundredths)| SessionScore {
                    measure,
                    value: ScoreValue::from_hundredths(hundredths),
                })
                .collect(),
        })
        .collect()
}

fn outcome_of(
    problem_descriptor: Option<ProblemDescriptor>,
    specs: &[(SessionKind, &[(Measure, u32)])],
) -> CourseOutcome {
    let course = Course::new(CourseRecord {
        person: PersonId::new("patient-7").unwrap(),
        problem_descriptor,
        sessions: sessions(specs),
    })
    .unwrap();
    course_outcome(&course)
}

/// A two-treatment-session course from `first` to `last` on the PHQ-9 and the GAD-7 (whole points).
fn phq9_gad7(first: (u32, u32), last: (u32, u32)) -> CourseOutcome {
    outcome_of(
        None,
        &[
            (
                SessionKind::Treatment,
                &[
                    (Measure::Phq9, first.0 * 100),
                    (Measure::Gad7, first.1 * 100),
                ],
            ),
            (
                SessionKind::Treatment,
                &[(Measure::Phq9, last.0 * 100), (Measure::Gad7, last.1 * 100)],
            ),
        ],
    )
}

fn categories(outcome: &CourseOutcome) -> &OutcomeCategories {
    outcome.categories().expect("the course was measured")
}

// Recovery: "a case at the start on at least one measure, below caseness on both at the
// end" (NHS Talking Therapies Manual, outcome definitions; Fingertips glossary, caseness).
#[test]
fn recovers_when_a_case_at_the_start_ends_below_caseness_on_both() {
    let outcome = phq9_gad7((12, 6), (9, 7));
    let categories = categories(&outcome);
    assert_eq!(categories.caseness_at_start, Caseness::Case);
    assert_eq!(categories.caseness_at_end, Caseness::NotCase);
    assert_eq!(categories.recovery.value, Recovery::Recovered);
    // A fall of 3 on the PHQ-9 is below its index of 6: recovered, but not reliably.
    assert_eq!(
        categories.reliable_change.value,
        ReliableChange::NoReliableChange
    );
    assert_eq!(
        categories.reliable_recovery.value,
        ReliableRecovery::NotReliablyRecovered
    );
}

#[test]
fn does_not_recover_while_either_measure_is_still_a_case() {
    let outcome = phq9_gad7((20, 15), (9, 8));
    assert_eq!(categories(&outcome).recovery.value, Recovery::NotRecovered);
}

// Reliable improvement: a fall of at least the reliable change index on at least one
// measure and no reliable rise on the other (Manual, reliable improvement).
#[test]
fn reliably_improves_on_a_reliable_fall_without_a_reliable_rise() {
    let outcome = phq9_gad7((18, 10), (12, 13));
    let categories = categories(&outcome);
    assert_eq!(
        categories.reliable_change.value,
        ReliableChange::ReliableImprovement
    );
    assert_eq!(
        categories.reliable_change.reasoning,
        "reliable improvement: PHQ-9 fell by 6 from 18 to 12 (reliable change is 6 or more); \
         GAD-7 rose by 3 from 10 to 13 (reliable change is 4 or more), a reliable fall on at \
         least one measure and no reliable rise on the other"
    );
}

// Reliable deterioration: a rise of at least the index on at least one measure and no
// reliable fall on the other (Manual, reliable deterioration).
#[test]
fn reliably_deteriorates_on_a_reliable_rise_without_a_reliable_fall() {
    let outcome = phq9_gad7((5, 4), (7, 8));
    let categories = categories(&outcome);
    assert_eq!(categories.caseness_at_start, Caseness::NotCase);
    assert_eq!(
        categories.reliable_change.value,
        ReliableChange::ReliableDeterioration
    );
    assert_eq!(categories.recovery.value, Recovery::NotAtCasenessAtStart);
}

// No reliable change: neither reliable improvement nor reliable deterioration, which
// includes one measure reliably falling while the other reliably rises.
#[test]
fn shows_no_reliable_change_for_opposite_reliable_changes() {
    let outcome = phq9_gad7((16, 4), (10, 8));
    assert_eq!(
        categories(&outcome).reliable_change.value,
        ReliableChange::NoReliableChange
    );
}

// Reliable recovery: both recovery and reliable improvement (Manual, reliable recovery).
#[test]
fn reliably_recovers_when_recovered_and_reliably_improved() {
    let outcome = phq9_gad7((16, 12), (4, 3));
    let categories = categories(&outcome);
    assert_eq!(categories.recovery.value, Recovery::Recovered);
    assert_eq!(
        categories.reliable_recovery.value,
        ReliableRecovery::ReliablyRecovered
    );
}

// Courses not at caseness at the start are left out of recovery rates but can still
// show reliable improvement.
#[test]
fn reports_reliable_improvement_for_a_course_not_at_caseness_at_start() {
    let outcome = phq9_gad7((9, 7), (2, 1));
    let categories = categories(&outcome);
    assert_eq!(categories.recovery.value, Recovery::NotAtCasenessAtStart);
    assert_eq!(
        categories.reliable_recovery.value,
        ReliableRecovery::NotAtCasenessAtStart
    );
    assert_eq!(
        categories.reliable_change.value,
        ReliableChange::ReliableImprovement
    );
}

// Finished a course of treatment: at least two attended treatment contacts (Fingertips
// glossary, finished course of treatment).
#[test]
fn needs_two_treatment_sessions_to_finish_treatment() {
    assert_eq!(MIN_TREATMENT_SESSIONS, 2);
    let scores: &[(Measure, u32)] = &[(Measure::Phq9, 1500), (Measure::Gad7, 1200)];
    let one = outcome_of(
        None,
        &[
            (SessionKind::Assessment, scores),
            (SessionKind::Treatment, scores),
            (SessionKind::ReviewWithoutTreatment, scores),
        ],
    );
    assert_eq!(one.treatment, TreatmentCompletion::NotFinished);
    assert!(matches!(
        one.result,
        CourseResult::NotFinishedTreatment {
            treatment_sessions: 1,
            ..
        }
    ));
    let two = outcome_of(
        None,
        &[
            (SessionKind::Assessment, scores),
            (SessionKind::AssessmentAndTreatment, scores),
            (SessionKind::ReviewAndTreatment, scores),
        ],
    );
    assert_eq!(two.treatment, TreatmentCompletion::Finished);
    assert!(two.categories().is_some());
}

#[test]
fn falls_back_to_gad7_when_the_problem_descriptor_is_missing() {
    // SPIN is recorded and paired, but without a descriptor the GAD-7 is the measure.
    let spin_and_gad7 = |spin: u32, gad7: u32| -> Vec<(Measure, u32)> {
        vec![
            (Measure::Phq9, 1200),
            (Measure::Spin, spin * 100),
            (Measure::Gad7, gad7 * 100),
        ]
    };
    let (first, last) = (spin_and_gad7(50, 9), spin_and_gad7(10, 9));
    let outcome = outcome_of(
        None,
        &[
            (SessionKind::Treatment, &first),
            (SessionKind::Treatment, &last),
        ],
    );
    assert_eq!(outcome.anxiety_measure.measure, Measure::Gad7);
    assert_eq!(
        outcome.anxiety_measure.reason,
        AnxietyMeasureReason::NoProblemDescriptor
    );
    assert_eq!(categories(&outcome).recovery.value, Recovery::NotRecovered);
}

#[test]
fn falls_back_to_gad7_when_the_specific_measure_has_one_score() {
    let outcome = outcome_of(
        Some(ProblemDescriptor::PanicDisorder),
        &[
            (
                SessionKind::Treatment,
                &[
                    (Measure::Phq9, 1200),
                    (Measure::Gad7, 1000),
                    (Measure::Pdss, 1500),
                ],
            ),
            (
                SessionKind::Treatment,
                &[(Measure::Phq9, 500), (Measure::Gad7, 500)],
            ),
        ],
    );
    assert_eq!(outcome.anxiety_measure.measure, Measure::Gad7);
    assert_eq!(
        outcome.anxiety_measure.reason,
        AnxietyMeasureReason::RecommendedMeasureNotPaired {
            recommended: Measure::Pdss
        }
    );
}

#[test]
fn reports_no_paired_scores_when_gad7_is_missing_after_the_fallback() {
    let outcome = outcome_of(
        Some(ProblemDescriptor::HealthAnxiety),
        &[
            (SessionKind::Treatment, &[(Measure::Phq9, 1200)]),
            (SessionKind::Treatment, &[(Measure::Phq9, 500)]),
        ],
    );
    match outcome.result {
        CourseResult::NoPairedScores { missing, .. } => assert_eq!(missing, vec![Measure::Gad7]),
        other => panic!("expected no paired scores, got {other:?}"),
    }
}

/// A descriptor whose anxiety measure is `measure` (PHQ-9 and GAD-7 use none), and the
/// smallest step of its score.
fn descriptor_for(measure: Measure) -> Option<ProblemDescriptor> {
    match measure {
        Measure::Phq9 | Measure::Gad7 => None,
        Measure::Spin => Some(ProblemDescriptor::SocialAnxiety),
        Measure::Pdss => Some(ProblemDescriptor::PanicDisorder),
        Measure::MobilityInventory => Some(ProblemDescriptor::Agoraphobia),
        Measure::Pcl5 | Measure::Iesr => Some(ProblemDescriptor::PostTraumaticStress),
        Measure::Ocir => Some(ProblemDescriptor::ObsessiveCompulsive),
        Measure::Hai => Some(ProblemDescriptor::HealthAnxiety),
    }
}

fn step(measure: Measure) -> u32 {
    if measure == Measure::MobilityInventory {
        1
    } else {
        100
    }
}

/// Runs a two-session course from `first` to `last` (hundredths) on `measure`, with the
/// other measure of the pair held below caseness and unchanged.
fn change_on(measure: Measure, first: u32, last: u32) -> (Caseness, ReliableChange) {
    let steady = if measure == Measure::Phq9 {
        (Measure::Gad7, 0)
    } else {
        (Measure::Phq9, 0)
    };
    let outcome = outcome_of(
        descriptor_for(measure),
        &[
            (SessionKind::Treatment, &[(measure, first), steady]),
            (SessionKind::Treatment, &[(measure, last), steady]),
        ],
    );
    let change = if measure == Measure::Phq9 {
        outcome.depression.clone()
    } else {
        outcome.anxiety.clone()
    }
    .expect("paired");
    assert_eq!(change.measure, measure);
    (change.caseness_at_start, change.reliable_change)
}

#[test]
fn counts_a_score_at_the_threshold_as_a_case_and_one_step_below_as_not() {
    let expected = [
        (Measure::Phq9, 1000),
        (Measure::Gad7, 800),
        (Measure::Spin, 1900),
        (Measure::Pdss, 800),
        (Measure::MobilityInventory, 230),
        (Measure::Pcl5, 3200),
        (Measure::Iesr, 3300),
        (Measure::Ocir, 1400),
        (Measure::Hai, 1800),
    ];
    for (measure, threshold) in expected {
        assert_eq!(
            measure.caseness_threshold().hundredths(),
            threshold,
            "{measure}"
        );
        let below = threshold - step(measure);
        assert_eq!(
            change_on(measure, threshold, threshold).0,
            Caseness::Case,
            "{measure}"
        );
        assert_eq!(
            change_on(measure, below, below).0,
            Caseness::NotCase,
            "{measure}"
        );
    }
}

#[test]
fn counts_a_change_of_exactly_the_index_as_reliable_and_one_step_less_as_not() {
    let expected = [
        (Measure::Phq9, 600),
        (Measure::Gad7, 400),
        (Measure::Spin, 1000),
        (Measure::Pdss, 500),
        (Measure::MobilityInventory, 73),
        (Measure::Pcl5, 1000),
        (Measure::Iesr, 900),
        (Measure::Ocir, 700),
        (Measure::Hai, 400),
    ];
    for (measure, index) in expected {
        assert_eq!(
            measure.reliable_change_index().hundredths(),
            index,
            "{measure}"
        );
        let low = measure.lowest_score().hundredths();
        let less = index - step(measure);
        let fall = |size| change_on(measure, low + size, low).1;
        let rise = |size| change_on(measure, low, low + size).1;
        assert_eq!(
            fall(index),
            ReliableChange::ReliableImprovement,
            "{measure}"
        );
        assert_eq!(fall(less), ReliableChange::NoReliableChange, "{measure}");
        assert_eq!(
            rise(index),
            ReliableChange::ReliableDeterioration,
            "{measure}"
        );
        assert_eq!(rise(less), ReliableChange::NoReliableChange, "{measure}");
    }
}

#[test]
fn reads_and_checks_a_course_from_json() {
    let json = r#"{
        "person": "patient-9",
        "problem_descriptor": "agoraphobia",
        "sessions": [
            {"at": "2026-01-05T10:00:00Z", "kind": "assessment",
             "scores": [{"measure": "phq9", "value": 11}, {"measure": "mobility_inventory_alone", "value": "3.1"}]},
            {"at": "2026-01-12T10:00:00Z", "kind": "treatment"},
            {"at": "2026-01-19T10:00:00Z", "kind": "treatment",
             "scores": [{"measure": "phq9", "value": "4"}, {"measure": "mobility_inventory_alone", "value": "2.29"}]}
        ]
    }"#;
    let course: Course = serde_json::from_str(json).unwrap();
    let outcome = course_outcome(&course);
    assert_eq!(outcome.anxiety_measure.measure, Measure::MobilityInventory);
    assert_eq!(
        categories(&outcome).reliable_recovery.value,
        ReliableRecovery::ReliablyRecovered
    );
    let written = serde_json::to_value(&outcome).unwrap();
    assert_eq!(written["result"]["status"], "measured");
    assert_eq!(written["result"]["recovery"]["value"], "recovered");
    assert_eq!(written["anxiety"]["first"], "3.1");
    assert_eq!(written["anxiety"]["change"], "-0.81");
    assert_eq!(
        written["anxiety_measure"]["reason"]["kind"],
        "recommended_for_problem"
    );
    assert_eq!(
        written["trajectory"][1]["depression"],
        serde_json::Value::Null
    );
    let back: CourseOutcome = serde_json::from_value(written).unwrap();
    assert_eq!(back, outcome);
}

#[test]
fn rejects_json_with_an_out_of_range_score_or_a_float() {
    let with_score = |value: &str| {
        format!(
            r#"{{"person": "p", "sessions": [{{"at": "2026-01-05T10:00:00Z", "kind": "treatment",
                "scores": [{{"measure": "gad7", "value": {value}}}]}}]}}"#
        )
    };
    let error = serde_json::from_str::<Course>(&with_score("22")).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("score for gad7 at session 1 is 22, outside its range of 0 to 21"),
        "{error}"
    );
    let error = serde_json::from_str::<Course>(&with_score("7.0")).unwrap_err();
    assert!(error.to_string().contains("JSON fraction"), "{error}");
}

#[test]
fn rejects_a_session_before_the_previous_one() {
    let mut record = CourseRecord {
        person: PersonId::new("patient-7").unwrap(),
        problem_descriptor: None,
        sessions: sessions(&[(SessionKind::Treatment, &[]), (SessionKind::Treatment, &[])]),
    };
    record.sessions.swap(0, 1);
    assert_eq!(
        Course::new(record),
        Err(Error::SessionOutOfOrder {
            session: 2,
            at: at(0),
            previous_at: at(7),
        })
    );
}

fn any_kind() -> impl Strategy<Value = SessionKind> {
    prop_oneof![
        Just(SessionKind::Assessment),
        Just(SessionKind::Treatment),
        Just(SessionKind::AssessmentAndTreatment),
        Just(SessionKind::ReviewAndTreatment),
        Just(SessionKind::ReviewWithoutTreatment),
        Just(SessionKind::Other),
    ]
}

fn any_descriptor() -> impl Strategy<Value = Option<ProblemDescriptor>> {
    prop_oneof![
        Just(None),
        Just(Some(ProblemDescriptor::Depression)),
        Just(Some(ProblemDescriptor::SocialAnxiety)),
        Just(Some(ProblemDescriptor::PanicDisorder)),
        Just(Some(ProblemDescriptor::Agoraphobia)),
        Just(Some(ProblemDescriptor::PostTraumaticStress)),
        Just(Some(ProblemDescriptor::ObsessiveCompulsive)),
        Just(Some(ProblemDescriptor::HealthAnxiety)),
        Just(Some(ProblemDescriptor::SpecificPhobia)),
    ]
}

fn any_score() -> impl Strategy<Value = SessionScore> {
    // PHQ-9 and GAD-7 most often, so that many courses have paired scores.
    let index = prop_oneof![3 => Just(0), 3 => Just(1), 2 => 0..Measure::ALL.len()];
    index.prop_flat_map(|index| {
        let measure = Measure::ALL[index];
        let low = measure.lowest_score().hundredths();
        let high = measure.highest_score().hundredths();
        let valid = if measure == Measure::MobilityInventory {
            (low..=high).boxed()
        } else {
            (low / 100..=high / 100)
                .prop_map(|points| points * 100)
                .boxed()
        };
        // Mostly valid scores; sometimes any value at all, which must be rejected or accepted, never panic.
        prop_oneof![20 => valid, 1 => any::<u32>()].prop_map(move |hundredths| SessionScore {
            measure,
            value: ScoreValue::from_hundredths(hundredths),
        })
    })
}

fn any_scores() -> impl Strategy<Value = Vec<SessionScore>> {
    let duplicate = prop::bool::weighted(0.05);
    (prop::collection::vec(any_score(), 0..4), duplicate).prop_map(|(scores, duplicate)| {
        let mut unique: Vec<SessionScore> = Vec::new();
        for score in scores {
            if duplicate || !unique.iter().any(|kept| kept.measure == score.measure) {
                unique.push(score);
            }
        }
        unique
    })
}

fn any_record() -> impl Strategy<Value = CourseRecord> {
    let gap = prop_oneof![9 => 1i64..4, 1 => Just(0i64)];
    let session = (gap, any_kind(), any_scores());
    (any_descriptor(), prop::collection::vec(session, 0..8)).prop_map(|(descriptor, specs)| {
        let mut day = 0;
        let sessions = specs
            .into_iter()
            .map(|(gap, kind, scores)| {
                // A gap of 0 repeats the previous time, which must be rejected.
                day += gap;
                Session {
                    at: at(day),
                    kind,
                    scores,
                }
            })
            .collect();
        CourseRecord {
            person: PersonId::new("patient-p").unwrap(),
            problem_descriptor: descriptor,
            sessions,
        }
    })
}

proptest! {
    #[test]
    fn outcome_categories_are_always_consistent(record in any_record()) {
        let session_count = record.sessions.len();
        let Ok(course) = Course::new(record) else { return Ok(()) };
        let outcome = course_outcome(&course);
        prop_assert_eq!(outcome.trajectory.len(), session_count);
        match &outcome.result {
            CourseResult::Measured(categories) => {
                prop_assert_eq!(outcome.treatment, TreatmentCompletion::Finished);
                let depression = outcome.depression.as_ref().unwrap();
                let anxiety = outcome.anxiety.as_ref().unwrap();
                let recovered = categories.recovery.value == Recovery::Recovered;
                let improved =
                    categories.reliable_change.value == ReliableChange::ReliableImprovement;
                let reliably_recovered =
                    categories.reliable_recovery.value == ReliableRecovery::ReliablyRecovered;
                prop_assert_eq!(reliably_recovered, recovered && improved);
                if recovered {
                    prop_assert_eq!(categories.caseness_at_start, Caseness::Case);
                    prop_assert_eq!(depression.caseness_at_end, Caseness::NotCase);
                    prop_assert_eq!(anxiety.caseness_at_end, Caseness::NotCase);
                }
                prop_assert_eq!(
                    categories.recovery.value == Recovery::NotAtCasenessAtStart,
                    categories.caseness_at_start == Caseness::NotCase
                );
                // Improvement and deterioration never hold together.
                let pair = [depression.reliable_change, anxiety.reliable_change];
                if improved {
                    prop_assert!(!pair.contains(&ReliableChange::ReliableDeterioration));
                    prop_assert!(pair.contains(&ReliableChange::ReliableImprovement));
                }
                if categories.reliable_change.value == ReliableChange::ReliableDeterioration {
                    prop_assert!(!pair.contains(&ReliableChange::ReliableImprovement));
                    prop_assert!(pair.contains(&ReliableChange::ReliableDeterioration));
                }
                prop_assert!(!categories.recovery.reasoning.is_empty());
            }
            CourseResult::NotFinishedTreatment { treatment_sessions, .. } => {
                prop_assert!(*treatment_sessions < MIN_TREATMENT_SESSIONS);
            }
            CourseResult::NoPairedScores { missing, .. } => {
                prop_assert!(!missing.is_empty());
                prop_assert_eq!(outcome.treatment, TreatmentCompletion::Finished);
            }
        }
    }

    #[test]
    fn any_text_or_json_either_parses_or_errs(text in ".{0,40}") {
        let _ = ScoreValue::parse(&text);
        let _ = serde_json::from_str::<Course>(&text);
        let _ = serde_json::from_str::<ScoreValue>(&text);
    }

    #[test]
    fn score_text_round_trips(hundredths in any::<u32>()) {
        let value = ScoreValue::from_hundredths(hundredths);
        match ScoreValue::parse(&value.to_string()) {
            Ok(parsed) => prop_assert_eq!(parsed, value),
            // Only values beyond six whole digits are refused.
            Err(_) => prop_assert!(hundredths >= 100_000_000),
        }
    }
}

#[test]
fn every_outcome_measure_is_an_instrument_in_the_questionnaire_registry() {
    for measure in Measure::ALL {
        let instrument = healing_core::scoring::instrument(measure.as_instrument_id());
        assert!(
            instrument.is_some(),
            "{measure:?} names {:?}, which the registry does not have",
            measure.as_instrument_id()
        );
        let json = serde_json::to_string(&measure).unwrap();
        assert_eq!(json, format!("\"{}\"", measure.as_instrument_id()));
    }
}
