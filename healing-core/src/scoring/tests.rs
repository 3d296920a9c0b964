//! Unit tests of scoring: each case goes through [`check`], which validates,
//! scores and renders the outcome (the score as JSON, or the error message)
//! against an expect-test snapshot.

use expect_test::{Expect, expect};

use super::*;

/// Validates and scores `answers` for `id`, and compares the JSON result or
/// error message with `expected`.
fn check(id: &str, answers: &[Option<u8>], expected: Expect) {
    let rendered = match score_answers(id, answers) {
        Ok(score) => serde_json::to_string(&score).expect("a score always serialises"),
        Err(error) => format!("error: {error}"),
    };
    expected.assert_eq(&rendered);
}

fn all(value: u8, count: usize) -> Vec<Option<u8>> {
    vec![Some(value); count]
}

#[test]
fn phq9_moderate_with_item_nine_serialises_in_the_stable_format() {
    check(
        "phq9",
        &[
            Some(2),
            Some(2),
            Some(1),
            Some(2),
            Some(1),
            Some(1),
            Some(2),
            Some(1),
            Some(1),
        ],
        expect![[
            r#"{"instrument":"phq9","version":1,"total":13,"derived":null,"band":{"id":"moderate","label":"Moderate depression"},"subscales":[],"flags":[{"flag":"self_harm_thoughts","item":9,"answer":1},{"flag":"clinical_range"}],"completeness":{"kind":"complete"}}"#
        ]],
    );
}

#[test]
fn gad7_maximum_is_severe_and_in_the_clinical_range() {
    check(
        "gad7",
        &all(3, 7),
        expect![[
            r#"{"instrument":"gad7","version":1,"total":21,"derived":null,"band":{"id":"severe","label":"Severe anxiety"},"subscales":[],"flags":[{"flag":"clinical_range"}],"completeness":{"kind":"complete"}}"#
        ]],
    );
}

#[test]
fn swemwbs_reports_raw_total_and_metric_score() {
    check(
        "swemwbs",
        &all(3, 7),
        expect![[
            r#"{"instrument":"swemwbs","version":1,"total":21,"derived":{"kind":"swemwbs_metric","hundredths":1925},"band":null,"subscales":[],"flags":[],"completeness":{"kind":"complete"}}"#
        ]],
    );
}

#[test]
fn mobility_inventory_reports_a_mean_and_no_total() {
    let mut answers = all(2, 22);
    answers.extend([None; 5]);
    check(
        "mobility_inventory_alone",
        &answers,
        expect![[
            r#"{"instrument":"mobility_inventory_alone","version":1,"total":null,"derived":{"kind":"mean_item_score","hundredths":200,"items_answered":22},"band":null,"subscales":[],"flags":[],"completeness":{"kind":"complete"}}"#
        ]],
    );
}

#[test]
fn pcl5_reports_clusters_and_the_provisional_diagnosis() {
    check(
        "pcl5",
        &all(2, 20),
        expect![[
            r#"{"instrument":"pcl5","version":1,"total":40,"derived":null,"band":null,"subscales":[{"id":"cluster_b_intrusion","total":10,"items_answered":5,"mean_hundredths":200},{"id":"cluster_c_avoidance","total":4,"items_answered":2,"mean_hundredths":200},{"id":"cluster_d_negative_cognitions_and_mood","total":14,"items_answered":7,"mean_hundredths":200},{"id":"cluster_e_arousal_and_reactivity","total":12,"items_answered":6,"mean_hundredths":200}],"flags":[{"flag":"clinical_range"},{"flag":"provisional_ptsd_diagnosis"}],"completeness":{"kind":"complete"}}"#
        ]],
    );
}

#[test]
fn cssrs_high_risk_serialises_band_and_flags() {
    check(
        "cssrs_screener",
        &[
            Some(1),
            Some(1),
            Some(1),
            Some(1),
            Some(0),
            Some(1),
            Some(0),
        ],
        expect![[
            r#"{"instrument":"cssrs_screener","version":1,"total":null,"derived":null,"band":{"id":"high_risk","label":"High risk"},"subscales":[],"flags":[{"flag":"self_harm_thoughts","item":1,"answer":1},{"flag":"self_harm_thoughts","item":2,"answer":1},{"flag":"suicide_risk","level":"high"}],"completeness":{"kind":"complete"}}"#
        ]],
    );
}

#[test]
fn core10_prorated_result_says_so() {
    let mut answers = all(2, 10);
    answers[0] = None;
    answers[5] = Some(0);
    check(
        "core10",
        &answers,
        expect![[
            r#"{"instrument":"core10","version":1,"total":18,"derived":null,"band":{"id":"moderate","label":"Moderate psychological distress"},"subscales":[],"flags":[{"flag":"clinical_range"}],"completeness":{"kind":"prorated","missing":1}}"#
        ]],
    );
}

#[test]
fn rejects_answer_above_eight_on_wsas() {
    check(
        "wsas",
        &[Some(0), Some(9), Some(0), Some(0), Some(0)],
        expect!["error: answer to item 2 of wsas is 9, above the maximum of 8"],
    );
}

#[test]
fn rejects_too_few_answers() {
    check(
        "phq2",
        &[Some(0)],
        expect!["error: phq2 has 2 items but 1 answers were given"],
    );
}

#[test]
fn rejects_unknown_instrument_and_cuts_its_id_to_sixty_four_characters() {
    check(
        &"x".repeat(100),
        &[],
        expect![
            "error: no instrument has the id 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
        ],
    );
}

#[test]
fn core10_prorated_total_that_is_whole_is_not_rounded() {
    // Nine answered items summing to 9: 9 x 10 / 9 = 10 exactly.
    let answers = [
        None,
        Some(1),
        Some(1),
        Some(1),
        Some(1),
        Some(1),
        Some(1),
        Some(1),
        Some(1),
        Some(1),
    ];
    check(
        "core10",
        &answers,
        expect![[
            r#"{"instrument":"core10","version":1,"total":10,"derived":null,"band":{"id":"non_clinical","label":"Healthy or low-level problems"},"subscales":[],"flags":[{"flag":"self_harm_thoughts","item":6,"answer":1}],"completeness":{"kind":"prorated","missing":1}}"#
        ]],
    );
}

#[test]
fn mobility_inventory_mean_rounds_half_up_to_hundredths() {
    // 24 answered summing to 27: mean 1.125, shown as 1.13.
    let mut answers = all(1, 21);
    answers.extend([Some(2); 3]);
    answers.extend([None; 3]);
    check(
        "mobility_inventory_alone",
        &answers,
        expect![[
            r#"{"instrument":"mobility_inventory_alone","version":1,"total":null,"derived":{"kind":"mean_item_score","hundredths":113,"items_answered":24},"band":null,"subscales":[],"flags":[],"completeness":{"kind":"complete"}}"#
        ]],
    );
}

#[test]
fn error_kind_is_the_snake_case_variant_name() {
    let unknown = Error::UnknownInstrument { id: "x".into() };
    assert_eq!(unknown.kind(), "unknown_instrument");
    let phq9 = instrument("phq9").unwrap();
    let above = ValidatedAnswers::complete(phq9, &[4, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap_err();
    assert_eq!(above.kind(), "answer_above_maximum");
    let short = ValidatedAnswers::complete(phq9, &[0]).unwrap_err();
    assert_eq!(short.kind(), "wrong_number_of_answers");
}
