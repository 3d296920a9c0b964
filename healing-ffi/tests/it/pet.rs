//! `healing_pet` through the C API: adopt, step, observe, store, free.

use std::ffi::c_char;
use std::ptr;

use healing::{
    healing_pet, healing_pet_adopt_json, healing_pet_free, healing_pet_new,
    healing_pet_observe_json, healing_pet_step, healing_pet_to_json, healing_result,
};

use crate::{outcome, take_string, text};

/// 2026-03-01T09:00:00Z as Unix seconds.
const ADOPTED_AT: i64 = 1_772_355_600;

fn adopt() -> *mut healing_pet {
    let (data, len) = text(r#"{"name":"Biscuit","species":"hedgehog"}"#);
    let mut state: *mut c_char = ptr::null_mut();
    // SAFETY: `data`/`len` describe a live str; `state` is a writable local.
    let code = unsafe { healing_pet_adopt_json(data, len, ADOPTED_AT, &raw mut state) };
    assert_eq!(outcome(code), "HEALING_OK: ");
    let state = take_string(state);
    let (data, len) = text(&state);
    let mut pet = ptr::null_mut();
    // SAFETY: as above; `pet` is a writable local.
    let code = unsafe { healing_pet_new(data, len, &raw mut pet) };
    assert_eq!(outcome(code), "HEALING_OK: ");
    pet
}

fn step(pet: *mut healing_pet, event: &str, now: i64) -> (healing_result, Option<String>) {
    let (data, len) = text(event);
    let mut outcomes: *mut c_char = ptr::null_mut();
    // SAFETY: `pet` is live and used by this thread only; `outcomes` is a writable local.
    let code = unsafe { healing_pet_step(pet, data, len, now, &raw mut outcomes) };
    (code, (!outcomes.is_null()).then(|| take_string(outcomes)))
}

fn state_json(pet: *const healing_pet) -> String {
    let mut json: *mut c_char = ptr::null_mut();
    // SAFETY: `pet` is live; `json` is a writable local.
    let code = unsafe { healing_pet_to_json(pet, &raw mut json) };
    assert_eq!(code, healing_result::HEALING_OK);
    take_string(json)
}

fn free(pet: *mut healing_pet) -> healing_result {
    // SAFETY: the registry refuses anything that is not a live pet.
    unsafe { healing_pet_free(pet) }
}

#[test]
fn logging_a_mood_pays_coins_and_reports_it() {
    let pet = adopt();
    let (code, outcomes) = step(
        pet,
        r#"{"kind":"complete_activity","activity":"mood_log"}"#,
        ADOPTED_AT + 300,
    );
    assert_eq!(outcome(code), "HEALING_OK: ");
    assert!(outcomes.expect("outcomes").contains("activity_rewarded"));
    let state: serde_json::Value = serde_json::from_str(&state_json(pet)).expect("JSON");
    assert_eq!(state["coins"], 5);
    assert_eq!(free(pet), healing_result::HEALING_OK);
}

#[test]
fn buying_without_coins_is_rejected_and_leaves_the_pet_unchanged() {
    let pet = adopt();
    let before = state_json(pet);
    let (code, outcomes) = step(pet, r#"{"kind":"buy","item":"crown"}"#, ADOPTED_AT + 60);
    assert_eq!(outcomes, None);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_PET_REJECTED: crown costs 150 coins but the pet has 0"
    );
    assert_eq!(state_json(pet), before);
    assert_eq!(free(pet), healing_result::HEALING_OK);
}

#[test]
fn observing_decays_the_view_but_not_the_handle() {
    let pet = adopt();
    let before = state_json(pet);
    let mut seen: *mut c_char = ptr::null_mut();
    // SAFETY: `pet` is live; `seen` is a writable local.
    let code = unsafe { healing_pet_observe_json(pet, ADOPTED_AT + 7 * 86_400, &raw mut seen) };
    assert_eq!(code, healing_result::HEALING_OK);
    assert_ne!(take_string(seen), before);
    assert_eq!(state_json(pet), before);
    assert_eq!(free(pet), healing_result::HEALING_OK);
}

#[test]
fn unknown_event_kind_is_an_invalid_argument() {
    let pet = adopt();
    let (code, _) = step(pet, r#"{"kind":"fly"}"#, ADOPTED_AT);
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_ARGUMENT);
    assert_eq!(free(pet), healing_result::HEALING_OK);
}

#[test]
fn freeing_a_pet_with_the_wrong_free_is_refused() {
    let pet = adopt();
    // SAFETY: the registry refuses a pet given to the ledger's free.
    let code = unsafe { healing::healing_ledger_free(pet.cast()) };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_UNKNOWN_POINTER: parameter `ledger` is a healing_pet, not a healing_ledger; \
         nothing was freed"
    );
    assert_eq!(free(pet), healing_result::HEALING_OK);
}
