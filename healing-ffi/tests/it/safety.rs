//! Risk screening through the C API: typed summary, JSON, batches, crisis resources.

use std::ffi::c_char;
use std::ptr;

use healing::{
    HEALING_CATEGORY_SUICIDE, healing_assess, healing_assess_json, healing_assess_many,
    healing_assess_many_json, healing_assessment, healing_crisis_resources_for_level_json,
    healing_crisis_resources_json, healing_engine, healing_result, healing_risk_level,
};

use crate::{outcome, shared_engine, take_string, text};

fn assess(engine: *const healing_engine, note: &str) -> (healing_result, healing_assessment) {
    let (data, len) = text(note);
    let mut out = healing_assessment {
        level: 9,
        categories: 9,
        finding_count: 9,
    };
    // SAFETY: live engine and str; `out` is a writable local.
    let code = unsafe { healing_assess(engine, data, len, &raw mut out) };
    (code, out)
}

fn assess_json(
    engine: *const healing_engine,
    note: &str,
    context: &str,
) -> (healing_result, Option<String>) {
    let (data, len) = text(note);
    let (context, context_len) = text(context);
    let mut json: *mut c_char = ptr::null_mut();
    // SAFETY: live engine and strs; `json` is a writable local.
    let code =
        unsafe { healing_assess_json(engine, data, len, context, context_len, &raw mut json) };
    (code, (!json.is_null()).then(|| take_string(json)))
}

const PLAN: &str = "I've saved up my pills and I'm taking them all tonight.";

#[test]
fn a_plan_is_critical_suicide_risk() {
    let engine = shared_engine();
    let (code, result) = assess(engine, PLAN);
    assert_eq!(outcome(code), "HEALING_OK: ");
    assert_eq!(
        result.level,
        healing_risk_level::HEALING_RISK_CRITICAL as u32
    );
    assert_ne!(result.categories & HEALING_CATEGORY_SUICIDE, 0);
    assert!(result.finding_count > 0);
}

#[test]
fn small_talk_and_empty_text_are_level_none() {
    let engine = shared_engine();
    for note in ["", "Lovely walk in the park with my sister today."] {
        let (code, result) = assess(engine, note);
        assert_eq!(code, healing_result::HEALING_OK);
        assert_eq!(
            result,
            healing_assessment {
                level: 0,
                categories: 0,
                finding_count: 0
            }
        );
    }
}

#[test]
fn json_assessment_has_spans_into_the_text() {
    let engine = shared_engine();
    let (code, json) = assess_json(
        engine,
        PLAN,
        r#"{"source":"clinical_note","recent_levels":[]}"#,
    );
    assert_eq!(outcome(code), "HEALING_OK: ");
    let value: serde_json::Value = serde_json::from_str(&json.expect("JSON")).expect("valid");
    assert_eq!(value["level"], "critical");
    let finding = &value["findings"][0];
    let (start, end) = (
        finding["start"].as_u64().expect("start"),
        finding["end"].as_u64().expect("end"),
    );
    assert!(start < end && end as usize <= PLAN.len());
}

#[test]
fn context_of_the_wrong_shape_is_refused() {
    let engine = shared_engine();
    let (code, json) = assess_json(engine, PLAN, r#"{"source":"pigeon","recent_levels":[]}"#);
    assert_eq!(json, None);
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_ARGUMENT);
    let (code, _) = assess_json(engine, PLAN, "{");
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_JSON);
}

#[test]
fn typed_batch_matches_single_calls() {
    let engine = shared_engine();
    let notes = [PLAN, "fine thanks", ""];
    let pointers: Vec<*const c_char> = notes.iter().map(|note| note.as_ptr().cast()).collect();
    let lens: Vec<usize> = notes.iter().map(|note| note.len()).collect();
    let mut out = [healing_assessment {
        level: 9,
        categories: 9,
        finding_count: 9,
    }; 3];
    // SAFETY: three live texts with their lengths; `out` has room for three.
    let code = unsafe {
        healing_assess_many(
            engine,
            pointers.as_ptr(),
            lens.as_ptr(),
            3,
            out.as_mut_ptr(),
        )
    };
    assert_eq!(outcome(code), "HEALING_OK: ");
    for (note, batch) in notes.iter().zip(out) {
        assert_eq!(assess(engine, note).1, batch);
    }
}

#[test]
fn typed_batch_with_a_null_text_fails_whole_and_zeroes_outputs() {
    let engine = shared_engine();
    let pointers = [PLAN.as_ptr().cast::<c_char>(), ptr::null()];
    let lens = [PLAN.len(), 3];
    let mut out = [healing_assessment {
        level: 9,
        categories: 9,
        finding_count: 9,
    }; 2];
    // SAFETY: the NULL text is refused before it is read.
    let code = unsafe {
        healing_assess_many(
            engine,
            pointers.as_ptr(),
            lens.as_ptr(),
            2,
            out.as_mut_ptr(),
        )
    };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `texts[1]` is NULL"
    );
    assert_eq!(
        out,
        [healing_assessment {
            level: 0,
            categories: 0,
            finding_count: 0
        }; 2]
    );
}

#[test]
fn json_batch_and_crisis_resources() {
    let engine = shared_engine();
    let batch = serde_json::to_string(&[PLAN, "fine thanks"]).expect("JSON");
    let (data, len) = text(&batch);
    let mut json: *mut c_char = ptr::null_mut();
    // SAFETY: live engine and strs; `json` is a writable local.
    let code =
        unsafe { healing_assess_many_json(engine, data, len, c"".as_ptr(), 0, &raw mut json) };
    assert_eq!(outcome(code), "HEALING_OK: ");
    let assessments: serde_json::Value = serde_json::from_str(&take_string(json)).expect("JSON");
    assert_eq!(assessments[0]["level"], "critical");
    assert_eq!(assessments[1]["level"], "none");

    let first = assessments[0].to_string();
    let (data, len) = text(&first);
    // SAFETY: as above.
    let code = unsafe { healing_crisis_resources_json(engine, data, len, &raw mut json) };
    assert_eq!(outcome(code), "HEALING_OK: ");
    let resources: serde_json::Value = serde_json::from_str(&take_string(json)).expect("JSON");
    assert!(!resources.as_array().expect("array").is_empty());

    let none = healing_risk_level::HEALING_RISK_NONE as u32;
    // SAFETY: live engine; `json` is a writable local.
    let code = unsafe { healing_crisis_resources_for_level_json(engine, none, &raw mut json) };
    assert_eq!(code, healing_result::HEALING_OK);
    assert_eq!(take_string(json), "[]");
    // SAFETY: as above.
    let code = unsafe { healing_crisis_resources_for_level_json(engine, 12, &raw mut json) };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ARGUMENT: parameter `level` is 12, not a healing_risk_level (0 to 4)"
    );
}
