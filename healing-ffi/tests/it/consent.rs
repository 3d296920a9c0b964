//! `healing_ledger` through the C API: create, append, ask, store, free.

use std::ffi::c_char;
use std::ptr;

use healing::{
    healing_ledger, healing_ledger_append, healing_ledger_free, healing_ledger_is_allowed,
    healing_ledger_new, healing_ledger_state_json, healing_ledger_to_json, healing_purpose,
    healing_result,
};

use crate::{outcome, take_string, text};

/// 2026-03-01T09:00:00Z and later instants, as Unix seconds.
const GRANTED_AT: i64 = 1_772_355_600;
const WITHDRAWN_AT: i64 = 1_780_315_200; // 2026-06-01T12:00:00Z

fn new_ledger(json: &str) -> (healing_result, *mut healing_ledger) {
    let (data, len) = text(json);
    let mut ledger = ptr::null_mut();
    // SAFETY: `data`/`len` describe a live str; `ledger` is a writable local.
    let code = unsafe { healing_ledger_new(data, len, &raw mut ledger) };
    (code, ledger)
}

fn append(ledger: *mut healing_ledger, event: &str) -> healing_result {
    let (data, len) = text(event);
    // SAFETY: `ledger` is live and used by this thread only.
    unsafe { healing_ledger_append(ledger, data, len) }
}

fn allowed(ledger: *const healing_ledger, purpose: u32, at: i64) -> (healing_result, bool) {
    let mut answer = true;
    // SAFETY: `ledger` is live; `answer` is a writable local.
    let code = unsafe { healing_ledger_is_allowed(ledger, purpose, at, &raw mut answer) };
    (code, answer)
}

fn free(ledger: *mut healing_ledger) -> healing_result {
    // SAFETY: the registry refuses anything that is not a live ledger.
    unsafe { healing_ledger_free(ledger) }
}

fn event(decision: &str, at: &str) -> String {
    format!(
        r#"{{"person":"patient-0042","purpose":"research","decision":"{decision}","at":"{at}",
            "wording_version":"research-v2","recorded_by":"subject"}}"#
    )
}

const RESEARCH: u32 = healing_purpose::HEALING_PURPOSE_RESEARCH as u32;

#[test]
fn grant_then_withdraw_answers_by_time() {
    let (code, ledger) = new_ledger(r#"{"person":"patient-0042","events":[]}"#);
    assert_eq!(outcome(code), "HEALING_OK: ");
    assert_eq!(
        append(ledger, &event("grant", "2026-03-01T09:00:00Z")),
        healing_result::HEALING_OK
    );
    assert_eq!(
        append(ledger, &event("withdraw", "2026-06-01T12:00:00Z")),
        healing_result::HEALING_OK
    );
    assert_eq!(
        allowed(ledger, RESEARCH, GRANTED_AT - 1),
        (healing_result::HEALING_OK, false)
    );
    assert_eq!(
        allowed(ledger, RESEARCH, GRANTED_AT),
        (healing_result::HEALING_OK, true)
    );
    assert_eq!(
        allowed(ledger, RESEARCH, WITHDRAWN_AT),
        (healing_result::HEALING_OK, false)
    );
    let care = healing_purpose::HEALING_PURPOSE_CARE as u32;
    assert_eq!(
        allowed(ledger, care, GRANTED_AT),
        (healing_result::HEALING_OK, false)
    );
    assert_eq!(free(ledger), healing_result::HEALING_OK);
}

#[test]
fn stored_ledger_round_trips_through_json() {
    let (_, ledger) = new_ledger(r#"{"person":"patient-0042","events":[]}"#);
    assert_eq!(
        append(ledger, &event("grant", "2026-03-01T09:00:00Z")),
        healing_result::HEALING_OK
    );
    let mut json: *mut c_char = ptr::null_mut();
    // SAFETY: `ledger` is live; `json` is a writable local.
    let code = unsafe { healing_ledger_to_json(ledger, &raw mut json) };
    assert_eq!(code, healing_result::HEALING_OK);
    let stored = take_string(json);
    assert_eq!(free(ledger), healing_result::HEALING_OK);

    let (code, restored) = new_ledger(&stored);
    assert_eq!(outcome(code), "HEALING_OK: ");
    assert_eq!(
        allowed(restored, RESEARCH, GRANTED_AT),
        (healing_result::HEALING_OK, true)
    );
    let mut state: *mut c_char = ptr::null_mut();
    // SAFETY: `restored` is live; `state` is a writable local.
    let code = unsafe { healing_ledger_state_json(restored, GRANTED_AT, &raw mut state) };
    assert_eq!(code, healing_result::HEALING_OK);
    assert_eq!(
        take_string(state),
        r#"{"at":"2026-03-01T09:00:00Z","grants":[{"purpose":"research","since":"2026-03-01T09:00:00Z","wording_version":"research-v2","recorded_by":"subject"}]}"#
    );
    assert_eq!(free(restored), healing_result::HEALING_OK);
}

#[test]
fn withdrawing_what_was_never_granted_is_rejected_and_changes_nothing() {
    let (_, ledger) = new_ledger(r#"{"person":"patient-0042","events":[]}"#);
    let code = append(ledger, &event("withdraw", "2026-06-01T12:00:00Z"));
    assert_eq!(
        outcome(code),
        "HEALING_ERR_CONSENT_REJECTED: withdrawal of research at 2026-06-01T12:00:00Z, but \
         research was never granted"
    );
    assert_eq!(
        append(ledger, &event("grant", "2026-03-01T09:00:00Z")),
        healing_result::HEALING_OK
    );
    assert_eq!(free(ledger), healing_result::HEALING_OK);
}

#[test]
fn stored_history_that_breaks_the_rules_is_refused() {
    let stored = format!(
        r#"{{"person":"patient-0042","events":[{}]}}"#,
        event("withdraw", "2026-06-01T12:00:00Z")
    );
    let (code, ledger) = new_ledger(&stored);
    assert!(ledger.is_null());
    assert_eq!(code, healing_result::HEALING_ERR_CONSENT_REJECTED);
}

#[test]
fn bad_person_id_purpose_and_time_have_their_codes() {
    let (code, ledger) = new_ledger(r#"{"person":"jane doe","events":[]}"#);
    assert!(ledger.is_null());
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_ARGUMENT);

    let (_, ledger) = new_ledger(r#"{"person":"patient-0042","events":[]}"#);
    assert_eq!(
        outcome(allowed(ledger, 99, GRANTED_AT).0),
        "HEALING_ERR_INVALID_ARGUMENT: parameter `purpose` is 99, not a healing_purpose (0 to 4)"
    );
    assert_eq!(
        outcome(allowed(ledger, RESEARCH, i64::MAX).0),
        "HEALING_ERR_INVALID_TIMESTAMP: parameter `at_unix_seconds`: unix time \
         9223372036854775807 is outside the supported range"
    );
    assert_eq!(free(ledger), healing_result::HEALING_OK);
}

#[test]
fn double_free_is_refused() {
    let (_, ledger) = new_ledger(r#"{"person":"patient-0042","events":[]}"#);
    assert_eq!(free(ledger), healing_result::HEALING_OK);
    assert_eq!(free(ledger), healing_result::HEALING_ERR_UNKNOWN_POINTER);
    assert_eq!(free(ptr::null_mut()), healing_result::HEALING_OK);
}
