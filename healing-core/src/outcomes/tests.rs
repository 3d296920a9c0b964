//! Unit tests of outcomes: every case goes through `check`, which renders the outcome.

use std::fmt::Write as _;

use expect_test::{Expect, expect};

use super::*;
use crate::ids::PersonId;

const DAY: i64 = 86_400;
const START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

/// One session: its day in the course, its kind and its scores as (measure, decimal text).
type SessionSpec<'a> = (i64, SessionKind, &'a [(Measure, &'a str)]);

fn course(
    problem_descriptor: Option<ProblemDescriptor>,
    sessions: &[SessionSpec<'_>],
) -> Result<Course, Error> {
    let sessions = sessions
        .iter()
        .map(|(day, kind, scores)| Session {
            at: Timestamp::from_unix_seconds(START + day * DAY).unwrap(),
            kind: *kind,
            scores: scores
                .iter()
                .map(|(measure, value)| SessionScore {
                    measure: *measure,
                    value: ScoreValue::parse(value).unwrap(),
                })
                .collect(),
        })
        .collect();
    Course::new(CourseRecord {
        person: PersonId::new("patient-1").unwrap(),
        problem_descriptor,
        sessions,
    })
}

fn render(outcome: &CourseOutcome) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "treatment: {:?} (treatment sessions: {})",
        outcome.treatment, outcome.treatment_sessions
    );
    let _ = writeln!(
        out,
        "anxiety measure: {}",
        outcome.anxiety_measure.reasoning
    );
    match &outcome.result {
        CourseResult::NotFinishedTreatment { reasoning, .. }
        | CourseResult::NoPairedScores { reasoning, .. } => {
            let _ = writeln!(out, "{reasoning}");
        }
        CourseResult::Measured(categories) => {
            let _ = writeln!(
                out,
                "caseness: {:?} -> {:?}",
                categories.caseness_at_start, categories.caseness_at_end
            );
            let _ = writeln!(out, "{}", categories.recovery.reasoning);
            let _ = writeln!(out, "{}", categories.reliable_change.reasoning);
            let _ = writeln!(out, "{}", categories.reliable_recovery.reasoning);
        }
    }
    for point in &outcome.trajectory {
        let show =
            |value: Option<ScoreValue>, change: Option<ScoreDifference>| match (value, change) {
                (Some(value), Some(change)) => format!("{value} ({change})"),
                _ => "-".to_owned(),
            };
        let _ = writeln!(
            out,
            "  {} {:?}: phq9 {} anxiety {} caseness {:?}",
            point.session,
            point.kind,
            show(point.depression, point.depression_change_from_first),
            show(point.anxiety, point.anxiety_change_from_first),
            point.caseness
        );
    }
    out
}

/// Checks a course against the expected rendering of its outcome, or of its error.
fn check(
    problem_descriptor: Option<ProblemDescriptor>,
    sessions: &[SessionSpec<'_>],
    expected: Expect,
) {
    let actual = match course(problem_descriptor, sessions) {
        Ok(course) => render(&course_outcome(&course)),
        Err(error) => format!("error: {error}\n"),
    };
    expected.assert_eq(&actual);
}

use Measure::{Gad7, Iesr, MobilityInventory, Pcl5, Phq9, Spin};
use SessionKind::{Assessment, Treatment};

#[test]
fn recovers_and_reliably_improves_on_phq9_and_gad7() {
    check(
        Some(ProblemDescriptor::Depression),
        &[
            (0, Assessment, &[(Phq9, "16"), (Gad7, "11")]),
            (7, Treatment, &[(Phq9, "12"), (Gad7, "9")]),
            (14, Treatment, &[(Phq9, "7"), (Gad7, "5")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 2)
            anxiety measure: the GAD-7 is the anxiety measure for depression
            caseness: Case -> NotCase
            recovered: a case at the start (PHQ-9 16, a case at 10 or more; GAD-7 11, a case at 8 or more) and below caseness on both measures at the end (PHQ-9 7, below the caseness threshold of 10; GAD-7 5, below the caseness threshold of 8)
            reliable improvement: PHQ-9 fell by 9 from 16 to 7 (reliable change is 6 or more); GAD-7 fell by 6 from 11 to 5 (reliable change is 4 or more), a reliable fall on at least one measure and no reliable rise on the other
            reliably recovered: recovered and reliably improved
              1 Assessment: phq9 16 (0) anxiety 11 (0) caseness Some(Case)
              2 Treatment: phq9 12 (-4) anxiety 9 (-2) caseness Some(Case)
              3 Treatment: phq9 7 (-9) anxiety 5 (-6) caseness Some(NotCase)
        "#]],
    );
}

#[test]
fn counts_one_reliable_fall_with_one_reliable_rise_as_no_reliable_change() {
    check(
        None,
        &[
            (0, Treatment, &[(Phq9, "20"), (Gad7, "5")]),
            (7, Treatment, &[(Phq9, "14"), (Gad7, "9")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 2)
            anxiety measure: no problem descriptor was recorded, so the GAD-7 is the anxiety measure
            caseness: Case -> Case
            not recovered: a case at the start (PHQ-9 20, a case at 10 or more; GAD-7 5, below the caseness threshold of 8) and still a case at the end (PHQ-9 14, a case at 10 or more; GAD-7 9, a case at 8 or more)
            no reliable change: PHQ-9 fell by 6 from 20 to 14 (reliable change is 6 or more); GAD-7 rose by 4 from 5 to 9 (reliable change is 4 or more), one measure fell reliably while the other rose reliably
            not reliably recovered: neither recovered nor reliably improved
              1 Treatment: phq9 20 (0) anxiety 5 (0) caseness Some(Case)
              2 Treatment: phq9 14 (-6) anxiety 9 (+4) caseness Some(Case)
        "#]],
    );
}

#[test]
fn reports_reliable_deterioration_when_one_measure_rises_reliably() {
    check(
        None,
        &[
            (0, Treatment, &[(Phq9, "10"), (Gad7, "8")]),
            (7, Treatment, &[(Phq9, "16"), (Gad7, "9")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 2)
            anxiety measure: no problem descriptor was recorded, so the GAD-7 is the anxiety measure
            caseness: Case -> Case
            not recovered: a case at the start (PHQ-9 10, a case at 10 or more; GAD-7 8, a case at 8 or more) and still a case at the end (PHQ-9 16, a case at 10 or more; GAD-7 9, a case at 8 or more)
            reliable deterioration: PHQ-9 rose by 6 from 10 to 16 (reliable change is 6 or more); GAD-7 rose by 1 from 8 to 9 (reliable change is 4 or more), a reliable rise on at least one measure and no reliable fall on the other
            not reliably recovered: neither recovered nor reliably improved
              1 Treatment: phq9 10 (0) anxiety 8 (0) caseness Some(Case)
              2 Treatment: phq9 16 (+6) anxiety 9 (+1) caseness Some(Case)
        "#]],
    );
}

#[test]
fn leaves_courses_below_caseness_at_start_out_of_recovery_but_reports_improvement() {
    check(
        None,
        &[
            (0, Treatment, &[(Phq9, "9"), (Gad7, "7")]),
            (7, Treatment, &[(Phq9, "3"), (Gad7, "2")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 2)
            anxiety measure: no problem descriptor was recorded, so the GAD-7 is the anxiety measure
            caseness: NotCase -> NotCase
            not counted for recovery: not a case at the start (PHQ-9 9, below the caseness threshold of 10; GAD-7 7, below the caseness threshold of 8)
            reliable improvement: PHQ-9 fell by 6 from 9 to 3 (reliable change is 6 or more); GAD-7 fell by 5 from 7 to 2 (reliable change is 4 or more), a reliable fall on at least one measure and no reliable rise on the other
            not counted for reliable recovery: not a case at the start
              1 Treatment: phq9 9 (0) anxiety 7 (0) caseness Some(NotCase)
              2 Treatment: phq9 3 (-6) anxiety 2 (-5) caseness Some(NotCase)
        "#]],
    );
}

#[test]
fn uses_the_spin_for_social_anxiety_when_paired() {
    check(
        Some(ProblemDescriptor::SocialAnxiety),
        &[
            (0, Assessment, &[(Phq9, "8"), (Gad7, "6"), (Spin, "40")]),
            (7, Treatment, &[(Phq9, "6"), (Spin, "30")]),
            (14, Treatment, &[(Phq9, "5"), (Gad7, "5"), (Spin, "18")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 2)
            anxiety measure: the SPIN is the anxiety measure for social anxiety disorder and has paired scores
            caseness: Case -> NotCase
            recovered: a case at the start (PHQ-9 8, below the caseness threshold of 10; SPIN 40, a case at 19 or more) and below caseness on both measures at the end (PHQ-9 5, below the caseness threshold of 10; SPIN 18, below the caseness threshold of 19)
            reliable improvement: PHQ-9 fell by 3 from 8 to 5 (reliable change is 6 or more); SPIN fell by 22 from 40 to 18 (reliable change is 10 or more), a reliable fall on at least one measure and no reliable rise on the other
            reliably recovered: recovered and reliably improved
              1 Assessment: phq9 8 (0) anxiety 40 (0) caseness Some(Case)
              2 Treatment: phq9 6 (-2) anxiety 30 (-10) caseness Some(Case)
              3 Treatment: phq9 5 (-3) anxiety 18 (-22) caseness Some(NotCase)
        "#]],
    );
}

#[test]
fn falls_back_to_gad7_when_the_recommended_measure_is_not_paired() {
    check(
        Some(ProblemDescriptor::SocialAnxiety),
        &[
            (0, Assessment, &[(Phq9, "14"), (Gad7, "12"), (Spin, "40")]),
            (7, Treatment, &[(Phq9, "10"), (Gad7, "10")]),
            (14, Treatment, &[(Phq9, "9"), (Gad7, "7")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 2)
            anxiety measure: the SPIN, the anxiety measure for social anxiety disorder, has no paired scores, so the GAD-7 is used instead
            caseness: Case -> NotCase
            recovered: a case at the start (PHQ-9 14, a case at 10 or more; GAD-7 12, a case at 8 or more) and below caseness on both measures at the end (PHQ-9 9, below the caseness threshold of 10; GAD-7 7, below the caseness threshold of 8)
            reliable improvement: PHQ-9 fell by 5 from 14 to 9 (reliable change is 6 or more); GAD-7 fell by 5 from 12 to 7 (reliable change is 4 or more), a reliable fall on at least one measure and no reliable rise on the other
            reliably recovered: recovered and reliably improved
              1 Assessment: phq9 14 (0) anxiety 12 (0) caseness Some(Case)
              2 Treatment: phq9 10 (-4) anxiety 10 (-2) caseness Some(Case)
              3 Treatment: phq9 9 (-5) anxiety 7 (-5) caseness Some(NotCase)
        "#]],
    );
}

#[test]
fn uses_the_iesr_for_ptsd_when_only_it_is_paired() {
    check(
        Some(ProblemDescriptor::PostTraumaticStress),
        &[
            (0, Treatment, &[(Phq9, "12"), (Iesr, "50")]),
            (7, Treatment, &[(Phq9, "6"), (Iesr, "30"), (Pcl5, "20")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 2)
            anxiety measure: the PCL-5 has no paired scores for post-traumatic stress disorder, so the older IES-R is the anxiety measure
            caseness: Case -> NotCase
            recovered: a case at the start (PHQ-9 12, a case at 10 or more; IES-R 50, a case at 33 or more) and below caseness on both measures at the end (PHQ-9 6, below the caseness threshold of 10; IES-R 30, below the caseness threshold of 33)
            reliable improvement: PHQ-9 fell by 6 from 12 to 6 (reliable change is 6 or more); IES-R fell by 20 from 50 to 30 (reliable change is 9 or more), a reliable fall on at least one measure and no reliable rise on the other
            reliably recovered: recovered and reliably improved
              1 Treatment: phq9 12 (0) anxiety 50 (0) caseness Some(Case)
              2 Treatment: phq9 6 (-6) anxiety 30 (-20) caseness Some(NotCase)
        "#]],
    );
}

#[test]
fn compares_mobility_inventory_means_exactly_at_the_threshold() {
    check(
        Some(ProblemDescriptor::Agoraphobia),
        &[
            (0, Treatment, &[(Phq9, "8"), (MobilityInventory, "3.03")]),
            (7, Treatment, &[(Phq9, "8"), (MobilityInventory, "2.3")]),
            (14, Treatment, &[(Phq9, "8"), (MobilityInventory, "2.29")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 3)
            anxiety measure: the Mobility Inventory (alone) is the anxiety measure for agoraphobia and has paired scores
            caseness: Case -> NotCase
            recovered: a case at the start (PHQ-9 8, below the caseness threshold of 10; Mobility Inventory (alone) 3.03, a case at 2.3 or more) and below caseness on both measures at the end (PHQ-9 8, below the caseness threshold of 10; Mobility Inventory (alone) 2.29, below the caseness threshold of 2.3)
            reliable improvement: PHQ-9 stayed at 8 (reliable change is 6 or more); Mobility Inventory (alone) fell by 0.74 from 3.03 to 2.29 (reliable change is 0.73 or more), a reliable fall on at least one measure and no reliable rise on the other
            reliably recovered: recovered and reliably improved
              1 Treatment: phq9 8 (0) anxiety 3.03 (0) caseness Some(Case)
              2 Treatment: phq9 8 (0) anxiety 2.3 (-0.73) caseness Some(Case)
              3 Treatment: phq9 8 (0) anxiety 2.29 (-0.74) caseness Some(NotCase)
        "#]],
    );
}

#[test]
fn reports_not_finished_treatment_after_one_treatment_session() {
    check(
        None,
        &[
            (0, Assessment, &[(Phq9, "15"), (Gad7, "12")]),
            (7, Treatment, &[(Phq9, "5"), (Gad7, "4")]),
        ],
        expect![[r#"
            treatment: NotFinished (treatment sessions: 1)
            anxiety measure: no problem descriptor was recorded, so the GAD-7 is the anxiety measure
            not finished treatment: 1 treatment session, fewer than the 2 needed to count as a finished course
              1 Assessment: phq9 15 (0) anxiety 12 (0) caseness Some(Case)
              2 Treatment: phq9 5 (-10) anxiety 4 (-8) caseness Some(NotCase)
        "#]],
    );
}

#[test]
fn reports_no_paired_scores_naming_the_missing_measure() {
    check(
        None,
        &[
            (0, Treatment, &[(Phq9, "15"), (Gad7, "12")]),
            (7, Treatment, &[(Phq9, "5")]),
        ],
        expect![[r#"
            treatment: Finished (treatment sessions: 2)
            anxiety measure: no problem descriptor was recorded, so the GAD-7 is the anxiety measure
            no paired scores: GAD-7 recorded at fewer than two sessions, so there is no first and last score to compare
              1 Treatment: phq9 15 (0) anxiety 12 (0) caseness Some(Case)
              2 Treatment: phq9 5 (-10) anxiety - caseness None
        "#]],
    );
}

#[test]
fn rejects_a_phq9_score_above_27() {
    check(
        None,
        &[(0, Treatment, &[(Phq9, "28")])],
        expect![[r#"
            error: score for phq9 at session 1 is 28, outside its range of 0 to 27
        "#]],
    );
}

#[test]
fn rejects_a_mobility_inventory_mean_below_one() {
    check(
        None,
        &[(0, Treatment, &[(MobilityInventory, "0.99")])],
        expect![[r#"
            error: score for mobility_inventory_alone at session 1 is 0.99, outside its range of 1 to 5
        "#]],
    );
}

#[test]
fn rejects_a_fraction_on_a_whole_point_measure() {
    check(
        None,
        &[(0, Treatment, &[(Gad7, "7.5")])],
        expect![[r#"
            error: score for gad7 at session 1 is 7.5, but gad7 scores are whole numbers
        "#]],
    );
}

#[test]
fn rejects_the_same_measure_twice_at_one_session() {
    check(
        None,
        &[(0, Treatment, &[(Gad7, "7"), (Gad7, "8")])],
        expect![[r#"
            error: gad7 is recorded more than once at session 1 (2026-01-01T00:00:00Z)
        "#]],
    );
}

#[test]
fn rejects_sessions_out_of_time_order() {
    check(
        None,
        &[(7, Treatment, &[]), (7, Treatment, &[])],
        expect![[r#"
            error: session 2 at 2026-01-08T00:00:00Z is not after the session before it at 2026-01-08T00:00:00Z
        "#]],
    );
}

#[test]
fn parses_and_prints_scores_exactly() {
    let shown: Vec<String> = [
        "0", "15", "2.3", "2.30", "2.35", "07", "2.", ".5", "2.345", "-1", "1e2", "",
    ]
    .iter()
    .map(|text| match ScoreValue::parse(text) {
        Ok(value) => format!("{text:?} -> {value} ({} hundredths)", value.hundredths()),
        Err(error) => format!("{text:?} -> {error}"),
    })
    .collect();
    expect![[r#"
        "0" -> 0 (0 hundredths)
        "15" -> 15 (1500 hundredths)
        "2.3" -> 2.3 (230 hundredths)
        "2.30" -> 2.3 (230 hundredths)
        "2.35" -> 2.35 (235 hundredths)
        "07" -> 7 (700 hundredths)
        "2." -> '2.' is not a score (write a whole number or a decimal with up to two places, e.g. 2.35)
        ".5" -> '.5' is not a score (write a whole number or a decimal with up to two places, e.g. 2.35)
        "2.345" -> '2.345' is not a score (write a whole number or a decimal with up to two places, e.g. 2.35)
        "-1" -> '-1' is not a score (write a whole number or a decimal with up to two places, e.g. 2.35)
        "1e2" -> '1e2' is not a score (write a whole number or a decimal with up to two places, e.g. 2.35)
        "" -> '' is not a score (write a whole number or a decimal with up to two places, e.g. 2.35)"#]].assert_eq(&shown.join("\n"));
}

#[test]
fn prints_signed_differences() {
    let shown: Vec<String> = [(1500, 600), (600, 1500), (303, 230), (230, 230)]
        .iter()
        .map(|(first, last)| {
            ScoreValue::from_hundredths(*first)
                .difference_to(ScoreValue::from_hundredths(*last))
                .to_string()
        })
        .collect();
    expect!["-9 +9 -0.73 0"].assert_eq(&shown.join(" "));
}

#[test]
fn maps_every_measure_to_and_from_its_instrument_id() {
    for measure in Measure::ALL {
        assert_eq!(
            Measure::from_instrument_id(measure.as_instrument_id()),
            Some(measure)
        );
        let json = serde_json::to_string(&measure).unwrap();
        assert_eq!(json, format!("\"{}\"", measure.as_instrument_id()));
    }
    assert_eq!(Measure::from_instrument_id("wsas"), None);
    for (position, measure) in Measure::ALL.into_iter().enumerate() {
        assert_eq!(measure.ordinal(), position, "{measure}");
    }
}

#[test]
fn lists_thresholds_and_reliable_change_indices() {
    let table: Vec<String> = Measure::ALL
        .iter()
        .map(|measure| {
            format!(
                "{} {}-{} case>={} rci={}",
                measure.title(),
                measure.lowest_score(),
                measure.highest_score(),
                measure.caseness_threshold(),
                measure.reliable_change_index()
            )
        })
        .collect();
    expect![[r#"
        PHQ-9 0-27 case>=10 rci=6
        GAD-7 0-21 case>=8 rci=4
        SPIN 0-68 case>=19 rci=10
        PDSS 0-28 case>=8 rci=5
        Mobility Inventory (alone) 1-5 case>=2.3 rci=0.73
        PCL-5 0-80 case>=32 rci=10
        IES-R 0-88 case>=33 rci=9
        OCI-R 0-72 case>=14 rci=7
        HAI (short) 0-54 case>=18 rci=4"#]]
    .assert_eq(&table.join("\n"));
}

#[test]
fn counts_a_change_exactly_at_the_index_as_reliable() {
    let rci = ScoreValue::from_points(6);
    let change = |first: u16, last: u16| {
        outcome::reliable_change_of(
            ScoreValue::from_points(first).difference_to(ScoreValue::from_points(last)),
            rci,
        )
    };
    assert_eq!(change(16, 10), ReliableChange::ReliableImprovement);
    assert_eq!(change(16, 11), ReliableChange::NoReliableChange);
    assert_eq!(change(10, 16), ReliableChange::ReliableDeterioration);
    assert_eq!(change(10, 15), ReliableChange::NoReliableChange);
}

#[test]
fn a_measure_reads_reliable_change_with_its_own_index() {
    let change = |measure: Measure, first: u16, last: u16| {
        measure.reliable_change(
            ScoreValue::from_points(first).difference_to(ScoreValue::from_points(last)),
        )
    };
    // GAD-7's index is 4, PHQ-9's 6: the same rise of 4 is reliable on one only.
    assert_eq!(
        change(Measure::Gad7, 6, 10),
        ReliableChange::ReliableDeterioration
    );
    assert_eq!(
        change(Measure::Phq9, 6, 10),
        ReliableChange::NoReliableChange
    );
    assert_eq!(
        change(Measure::Phq9, 16, 10),
        ReliableChange::ReliableImprovement
    );
}

#[test]
fn error_kind_is_the_snake_case_variant_name() {
    assert_eq!(ScoreValue::parse("x").unwrap_err().kind(), "not_a_score");
}

/// Renders the service summary of courses given as (id, sessions), all for depression.
fn check_summary(courses: &[(&str, &[SessionSpec<'_>])], expected: Expect) {
    let outcomes: Vec<(&str, CourseOutcome)> = courses
        .iter()
        .map(|(id, sessions)| {
            let course = course(Some(ProblemDescriptor::Depression), sessions).unwrap();
            (*id, course_outcome(&course))
        })
        .collect();
    let summary = service_summary(
        outcomes
            .iter()
            .map(|(id, outcome)| EndedCourse { id, outcome }),
    );
    let rate = |rate: &Rate| format!("{}/{} {:?}", rate.count, rate.denominator, rate.percent);
    let mut out = format!(
        "ended {} finished {} paired {} at caseness {}\n\
         recovery {}\nreliable improvement {}\nreliable recovery {}\nreliable deterioration {}\n",
        summary.courses_ended,
        summary.finished_treatment,
        summary.with_paired_scores,
        summary.at_caseness_at_start,
        rate(&summary.recovery),
        rate(&summary.reliable_improvement),
        rate(&summary.reliable_recovery),
        rate(&summary.reliable_deterioration),
    );
    for exclusion in &summary.excluded {
        let _ = writeln!(
            out,
            "excluded {} {}",
            exclusion.course,
            exclusion.reason.as_str()
        );
    }
    expected.assert_eq(&out);
}

#[test]
fn summarises_a_service_with_every_kind_of_exclusion() {
    check_summary(
        &[
            // Recovered and reliably improved.
            (
                "recovered",
                &[
                    (0, Assessment, &[(Phq9, "16"), (Gad7, "11")]),
                    (7, Treatment, &[(Phq9, "12"), (Gad7, "9")]),
                    (14, Treatment, &[(Phq9, "7"), (Gad7, "5")]),
                ],
            ),
            // At caseness, still a case at the end, reliably worse.
            (
                "worse",
                &[
                    (0, Treatment, &[(Phq9, "12"), (Gad7, "9")]),
                    (7, Treatment, &[(Phq9, "19"), (Gad7, "10")]),
                ],
            ),
            // Below caseness at the start, reliably improved: out of recovery only.
            (
                "mild",
                &[
                    (0, Treatment, &[(Phq9, "9"), (Gad7, "7")]),
                    (7, Treatment, &[(Phq9, "2"), (Gad7, "1")]),
                ],
            ),
            // One treatment session: out of every rate.
            (
                "short",
                &[
                    (0, Assessment, &[(Phq9, "20"), (Gad7, "15")]),
                    (7, Treatment, &[(Phq9, "5"), (Gad7, "3")]),
                ],
            ),
            // Finished, but the GAD-7 was recorded once: out of every rate.
            (
                "unpaired",
                &[
                    (0, Treatment, &[(Phq9, "20"), (Gad7, "15")]),
                    (7, Treatment, &[(Phq9, "5")]),
                ],
            ),
        ],
        expect![[r#"
            ended 5 finished 4 paired 3 at caseness 2
            recovery 1/2 Some(50.0)
            reliable improvement 2/3 Some(66.7)
            reliable recovery 1/2 Some(50.0)
            reliable deterioration 1/3 Some(33.3)
            excluded mild not_at_caseness_at_start
            excluded short not_finished_treatment
            excluded unpaired no_paired_scores
        "#]],
    );
}

#[test]
fn gives_no_percentages_when_nothing_ended() {
    check_summary(
        &[],
        expect![[r#"
            ended 0 finished 0 paired 0 at caseness 0
            recovery 0/0 None
            reliable improvement 0/0 None
            reliable recovery 0/0 None
            reliable deterioration 0/0 None
        "#]],
    );
}
