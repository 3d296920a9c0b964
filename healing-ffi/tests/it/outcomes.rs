//! `healing_talking_therapies_outcome` through the C API.

use std::ffi::c_char;
use std::ptr;

use healing::{healing_result, healing_talking_therapies_outcome};

use crate::{outcome, take_string, text};

/// Calls the function as C would and returns its code and JSON (if any).
fn course_outcome(course_json: &str) -> (healing_result, Option<String>) {
    let (data, len) = text(course_json);
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: `data`/`len` describe a live str; `out` is a writable local.
    let code = unsafe { healing_talking_therapies_outcome(data, len, &raw mut out) };
    let json = (!out.is_null()).then(|| take_string(out));
    (code, json)
}

const RECOVERED_COURSE: &str = r#"{"person":"patient-0042","problem_descriptor":"depression",
  "sessions":[
    {"at":"2026-01-05T10:00:00Z","kind":"assessment","scores":[{"measure":"phq9","value":18},{"measure":"gad7","value":15}]},
    {"at":"2026-01-12T10:00:00Z","kind":"treatment","scores":[{"measure":"phq9","value":14},{"measure":"gad7","value":11}]},
    {"at":"2026-01-19T10:00:00Z","kind":"treatment","scores":[{"measure":"phq9","value":6},{"measure":"gad7","value":5}]}]}"#;

#[test]
fn finished_course_returns_outcome_json() {
    let (code, json) = course_outcome(RECOVERED_COURSE);
    assert_eq!(outcome(code), "HEALING_OK: ");
    let json = json.expect("outcome JSON");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["person"], "patient-0042");
    assert_eq!(value["treatment_sessions"], 2);
    assert_eq!(value["trajectory"].as_array().map(Vec::len), Some(3));
    assert!(value["result"]["status"].is_string(), "{json}");
}

#[test]
fn sessions_out_of_order_are_an_invalid_course() {
    let course = r#"{"person":"p1","sessions":[
        {"at":"2026-01-12T10:00:00Z","kind":"treatment"},
        {"at":"2026-01-05T10:00:00Z","kind":"treatment"}]}"#;
    let (code, json) = course_outcome(course);
    assert_eq!(json, None);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_COURSE: session 2 at 2026-01-05T10:00:00Z is not after the session \
         before it at 2026-01-12T10:00:00Z"
    );
}

#[test]
fn malformed_and_misshapen_json_have_their_own_codes() {
    let (code, _) = course_outcome("{\"person\":");
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_JSON);
    let (code, _) = course_outcome("{\"person\":\"p1\"}");
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ARGUMENT: parameter `course_json` is not acceptable: missing field \
         `sessions` at line 1 column 15"
    );
}

#[test]
fn null_course_and_null_out_are_refused() {
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: NULL data is refused before it is read.
    let code = unsafe { healing_talking_therapies_outcome(ptr::null(), 0, &raw mut out) };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `course_json` is NULL"
    );
    let (data, len) = text(RECOVERED_COURSE);
    // SAFETY: a NULL out-parameter is refused before anything is written.
    let code = unsafe { healing_talking_therapies_outcome(data, len, ptr::null_mut()) };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `out_outcome_json` is NULL"
    );
}
