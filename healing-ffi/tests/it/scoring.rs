//! Engine life cycle and questionnaire scoring through the C API.

use std::ffi::c_char;
use std::ptr;

use healing::{
    HEALING_ANSWER_BLANK, HEALING_SCORE_FLAG_CLINICAL_RANGE, HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS,
    healing_band, healing_engine, healing_engine_free, healing_engine_new,
    healing_engine_rules_version, healing_instrument_json, healing_instruments_json,
    healing_result, healing_score, healing_score_answers, healing_score_answers_json,
};

use crate::{outcome, shared_engine, take_string, text};

fn score(
    engine: *const healing_engine,
    id: &str,
    answers: &[i32],
) -> (healing_result, healing_score) {
    let (id_data, id_len) = text(id);
    let mut out = healing_score {
        instrument_version: 99,
        total: 99,
        derived_hundredths: 99,
        band: 99,
        flags: 99,
        self_harm_item: 99,
        self_harm_answer: 99,
        suicide_risk: 99,
        missing_items: 99,
        has_total: true,
        has_derived: true,
        needs_clinician_review: true,
    };
    // SAFETY: live engine; `id` and `answers` are live for the call; `out` is writable.
    let code = unsafe {
        healing_score_answers(
            engine,
            id_data,
            id_len,
            answers.as_ptr(),
            answers.len(),
            &raw mut out,
        )
    };
    (code, out)
}

#[test]
fn phq9_scores_total_band_and_self_harm_flag() {
    let engine = shared_engine();
    let (code, result) = score(engine, "phq9", &[2, 2, 1, 2, 1, 1, 2, 1, 1]);
    assert_eq!(outcome(code), "HEALING_OK: ");
    assert!(result.has_total);
    assert_eq!(result.total, 13);
    assert_eq!(result.band, healing_band::HEALING_BAND_MODERATE as u32);
    assert_ne!(result.flags & HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS, 0);
    assert_ne!(result.flags & HEALING_SCORE_FLAG_CLINICAL_RANGE, 0);
    assert_eq!((result.self_harm_item, result.self_harm_answer), (9, 1));
    assert!(result.needs_clinician_review);
    assert_eq!(result.missing_items, 0);
}

#[test]
fn bad_answers_name_the_item_and_zero_the_output() {
    let engine = shared_engine();
    let (code, result) = score(engine, "phq9", &[2, 2, 5, 2, 1, 1, 2, 1, 1]);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ANSWERS: answer to item 3 of phq9 is 5, above the maximum of 3"
    );
    assert_eq!(result.total, 0);
    assert!(!result.needs_clinician_review);
    let (code, _) = score(engine, "phq9", &[2, 2, -7, 2, 1, 1, 2, 1, 1]);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ANSWERS: answer to item 3 is -7; give the option value chosen, or -1 \
         for a blank item"
    );
    let (code, _) = score(engine, "phq9", &[1, 1]);
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_ANSWERS);
    let many = [0; 40];
    let (code, _) = score(engine, "phq9", &many);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ANSWERS: phq9 has 9 items but 40 answers were given"
    );
}

#[test]
fn blank_risk_item_is_refused() {
    let engine = shared_engine();
    let answers = [1, 1, 1, 1, 1, 1, 1, 1, HEALING_ANSWER_BLANK];
    let (code, _) = score(engine, "phq9", &answers);
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_ANSWERS);
}

#[test]
fn unknown_instrument_has_its_own_code() {
    let engine = shared_engine();
    let (code, _) = score(engine, "phq10", &[0; 10]);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_UNKNOWN_INSTRUMENT: no instrument has the id 'phq10'"
    );
    let (code, _) = score(engine, "", &[]);
    assert_eq!(code, healing_result::HEALING_ERR_UNKNOWN_INSTRUMENT);
}

#[test]
fn json_score_carries_band_label_and_flags() {
    let engine = shared_engine();
    let (id, id_len) = text("phq9");
    let (answers, answers_len) = text("[2,2,1,2,1,1,2,1,1]");
    let mut json: *mut c_char = ptr::null_mut();
    // SAFETY: live engine and strs; `json` is a writable local.
    let code = unsafe {
        healing_score_answers_json(engine, id, id_len, answers, answers_len, &raw mut json)
    };
    assert_eq!(outcome(code), "HEALING_OK: ");
    let value: serde_json::Value = serde_json::from_str(&take_string(json)).expect("JSON");
    assert_eq!(value["total"], 13);
    assert_eq!(value["band"]["id"], "moderate");
    assert_eq!(value["flags"][0]["flag"], "self_harm_thoughts");
}

#[test]
fn instrument_list_and_definition_are_json() {
    let engine = shared_engine();
    let mut json: *mut c_char = ptr::null_mut();
    // SAFETY: live engine; `json` is a writable local.
    let code = unsafe { healing_instruments_json(engine, &raw mut json) };
    assert_eq!(code, healing_result::HEALING_OK);
    let list: serde_json::Value = serde_json::from_str(&take_string(json)).expect("JSON");
    let ids: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|entry| entry["id"].as_str())
        .collect();
    assert!(ids.contains(&"phq9") && ids.contains(&"gad7"), "{ids:?}");

    let (id, id_len) = text("gad7");
    // SAFETY: live engine and str; `json` is a writable local.
    let code = unsafe { healing_instrument_json(engine, id, id_len, &raw mut json) };
    assert_eq!(code, healing_result::HEALING_OK);
    let gad7: serde_json::Value = serde_json::from_str(&take_string(json)).expect("JSON");
    assert_eq!(gad7["items"].as_array().map(Vec::len), Some(7));

    let (id, id_len) = text("nope");
    // SAFETY: as above.
    let code = unsafe { healing_instrument_json(engine, id, id_len, &raw mut json) };
    assert_eq!(code, healing_result::HEALING_ERR_UNKNOWN_INSTRUMENT);
    assert!(json.is_null());
}

#[test]
fn engine_lives_reports_its_rules_version_and_is_freed_once() {
    let mut engine = ptr::null_mut();
    // SAFETY: "" is valid for 0 bytes; `engine` is a writable local.
    let code = unsafe { healing_engine_new(c"".as_ptr(), 0, &raw mut engine) };
    assert_eq!(outcome(code), "HEALING_OK: ");
    let mut version: *mut c_char = ptr::null_mut();
    // SAFETY: live engine; `version` is a writable local.
    let code = unsafe { healing_engine_rules_version(engine, &raw mut version) };
    assert_eq!(code, healing_result::HEALING_OK);
    let version = take_string(version);
    // The lexicon's version, then the learned reader's: "2026.12.1+model.2026.12.5".
    let (lexicon, model) = version.split_once("+model.").unwrap_or(("", ""));
    assert_eq!(lexicon.split('.').count(), 3, "{version}");
    assert_eq!(model.split('.').count(), 3, "{version}");
    // SAFETY: a live engine, freed once; the second free is refused unread.
    let (first, second) = unsafe { (healing_engine_free(engine), healing_engine_free(engine)) };
    assert_eq!(first, healing_result::HEALING_OK);
    assert_eq!(second, healing_result::HEALING_ERR_UNKNOWN_POINTER);
}

#[test]
fn local_rules_that_do_not_compile_are_refused() {
    let (rules, rules_len) = text("this is not a lexicon");
    let mut engine = ptr::null_mut();
    // SAFETY: live str; `engine` is a writable local.
    let code = unsafe { healing_engine_new(rules, rules_len, &raw mut engine) };
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_RULES);
    assert!(engine.is_null());
}

#[test]
fn one_engine_scores_from_many_threads_at_once() {
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..100 {
                    let (code, result) = score(shared_engine(), "gad7", &[3, 3, 3, 3, 3, 3, 3]);
                    assert_eq!(code, healing_result::HEALING_OK);
                    assert_eq!(result.total, 21);
                }
            });
        }
    });
}
