//! FHIR R4 through the C API (feature `fhir`): scoring a QuestionnaireResponse
//! another system sent, and a risk screen as RiskAssessment and Flag.

use std::ffi::c_char;
use std::ptr;

use healing::{
    healing_assess_json, healing_fhir_safety_alert, healing_fhir_score_questionnaire_response,
    healing_free_text, healing_result, healing_score,
};

use crate::{outcome, shared_engine, take_string, text};

/// A PHQ-9 as an EHR form module might send it: LOINC panel and item codes,
/// option values as integers.
fn phq9_response(status: &str, item_3_answer: &str) -> String {
    let answers = [2, 2, 1, 2, 1, 1, 2, 1, 1];
    let links = [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
        "44260-8",
    ];
    let items: Vec<String> = links
        .iter()
        .zip(answers)
        .enumerate()
        .map(|(index, (link, value))| {
            let answer = if index == 2 {
                item_3_answer.to_owned()
            } else {
                format!(r#"{{"valueInteger":{value}}}"#)
            };
            format!(r#"{{"linkId":"{link}","answer":[{answer}]}}"#)
        })
        .collect();
    format!(
        r#"{{"resourceType":"QuestionnaireResponse","questionnaire":"http://loinc.org/q/44249-1",
            "status":"{status}","subject":{{"reference":"Patient/patient-0042"}},
            "authored":"2026-11-20T10:15:00Z","item":[{}]}}"#,
        items.join(",")
    )
}

fn score_response(json: &str) -> (healing_result, healing_score, Option<String>) {
    let (data, len) = text(json);
    let mut score = std::mem::MaybeUninit::<healing_score>::uninit();
    let mut observation: *mut c_char = ptr::null_mut();
    // SAFETY: live engine and str; both outputs are writable locals.
    let code = unsafe {
        healing_fhir_score_questionnaire_response(
            shared_engine(),
            data,
            len,
            score.as_mut_ptr(),
            &raw mut observation,
        )
    };
    // SAFETY: the function writes `score` first thing, on every path.
    let score = unsafe { score.assume_init() };
    (
        code,
        score,
        (!observation.is_null()).then(|| take_string(observation)),
    )
}

#[test]
fn loinc_phq9_response_is_scored_with_an_observation_to_send_back() {
    let (code, score, observation) =
        score_response(&phq9_response("completed", r#"{"valueInteger":1}"#));
    assert_eq!(outcome(code), "HEALING_OK: ");
    assert_eq!(
        (score.total, score.has_total, score.needs_clinician_review),
        (13, true, true)
    );
    let observation: serde_json::Value =
        serde_json::from_str(&observation.expect("observation")).expect("JSON");
    assert_eq!(observation["resourceType"], "Observation");
    assert_eq!(observation["valueQuantity"]["value"], 13.0);
}

#[test]
fn draft_response_is_invalid_fhir_and_outputs_stay_empty() {
    let (code, score, observation) =
        score_response(&phq9_response("in-progress", r#"{"valueInteger":1}"#));
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_FHIR: status is 'in-progress', only completed or amended responses \
         can be scored"
    );
    assert_eq!((score.total, observation), (0, None));
}

#[test]
fn out_of_range_answer_is_invalid_answers() {
    let (code, _, _) = score_response(&phq9_response("completed", r#"{"valueInteger":7}"#));
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_ANSWERS);
}

#[test]
fn not_json_is_invalid_json() {
    let (code, _, _) = score_response("<QuestionnaireResponse/>");
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_JSON);
}

fn alert(assessment_json: &str, person: &str, free_text: u32) -> (healing_result, Option<String>) {
    let (data, len) = text(assessment_json);
    let (person, person_len) = text(person);
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: live engine and strs; `out` is a writable local.
    let code = unsafe {
        healing_fhir_safety_alert(
            shared_engine(),
            data,
            len,
            person,
            person_len,
            1_795_000_000,
            free_text,
            &raw mut out,
        )
    };
    (code, (!out.is_null()).then(|| take_string(out)))
}

#[test]
fn critical_screen_becomes_risk_assessment_and_flag() {
    let note = "I've saved up my pills and I'm taking them all tonight.";
    let (data, len) = text(note);
    let mut assessment: *mut c_char = ptr::null_mut();
    // SAFETY: live engine and str; `assessment` is a writable local.
    let code = unsafe {
        healing_assess_json(
            shared_engine(),
            data,
            len,
            c"".as_ptr(),
            0,
            &raw mut assessment,
        )
    };
    assert_eq!(code, healing_result::HEALING_OK);
    let assessment = take_string(assessment);

    let omit = healing_free_text::HEALING_FREE_TEXT_OMIT as u32;
    let (code, json) = alert(&assessment, "patient-0042", omit);
    assert_eq!(outcome(code), "HEALING_OK: ");
    let json = json.expect("alert");
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["risk_assessment"]["resourceType"], "RiskAssessment");
    assert_eq!(value["flag"]["resourceType"], "Flag");
    assert!(!json.contains("pills"), "omitted free text leaked: {json}");

    let (code, _) = alert(&assessment, "patient 42", omit);
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_ARGUMENT);
    let (code, _) = alert(&assessment, "patient-0042", 7);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ARGUMENT: parameter `free_text` is 7, not a healing_free_text (0 or 1)"
    );
}
