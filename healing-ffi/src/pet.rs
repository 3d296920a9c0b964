//! The companion pet as `healing_pet` handles (`healing_core::pet`).

use std::ffi::c_char;

use healing_core::pet::{self, Event, PetName, PetState, Species};
use serde::Deserialize;

use crate::args::{
    Out, handle_mut, handle_ref, instant_arg, json_arg, json_text, rejected, text_arg,
};
use crate::ownership::{Handle, free_handle, leak_handle};
use crate::result::healing_result;

/// One companion pet: its stats, coins, items and daily rewards.
///
/// Created by `healing_pet_new` (from stored JSON; adopt a new pet with
/// `healing_pet_adopt_json`), freed by `healing_pet_free`. One thread at a
/// time: it may move between threads, but calls on one pet must not overlap.
pub struct healing_pet {
    state: PetState,
}

impl Handle for healing_pet {
    const C_NAME: &'static str = "healing_pet";
}

/// What adopting a pet needs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Adoption {
    name: PetName,
    species: Species,
}

/// The stored JSON of a newly adopted pet, to pass to `healing_pet_new` and
/// to store.
///
/// `adoption_json` (UTF-8, `adoption_json_len` bytes) is
/// `{"name": "Biscuit", "species": "hedgehog"}`: a name of 1 to 24
/// characters, not blank and without control characters (healing-core
/// `pet::PetName`), and one of `cat`, `dog`, `rabbit`, `hedgehog`, `owl`,
/// `fox`. `at_unix_seconds` is the moment of adoption.
///
/// On success `*out_state_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (bad name,
/// unknown species or field), `HEALING_ERR_INVALID_TIMESTAMP`.
///
/// Thread safety: no shared state; call from any thread.
///
/// # Safety
/// `adoption_json` points to `adoption_json_len` readable bytes;
/// `out_state_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_pet_adopt_json(
    adoption_json: *const c_char,
    adoption_json_len: usize,
    at_unix_seconds: i64,
    out_state_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_state_json, "out_state_json") }?;
        // SAFETY: the caller passes `adoption_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(adoption_json, adoption_json_len, "adoption_json") }?;
        let adoption: Adoption = json_arg(text, "adoption_json")?;
        let at = instant_arg(at_unix_seconds, "at_unix_seconds")?;
        let state = PetState::new(adoption.name, adoption.species, at);
        out.set_string(&json_text(&state, "the pet state")?);
        Ok(())
    })
}

/// Creates a pet handle from its stored JSON (from `healing_pet_adopt_json`,
/// `healing_pet_to_json` or `healing_pet_observe_json`).
///
/// The stored state is checked (stats within range, a worn hat is owned,
/// food within the stack limit, an adventure that returns after it starts);
/// a state that breaks these rules is `HEALING_ERR_INVALID_ARGUMENT`.
///
/// On success `*out_pet` is a new pet you free with `healing_pet_free`; on
/// failure it is NULL.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `state_json` points to `state_json_len` readable bytes; `out_pet` is a
/// writable `healing_pet *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_pet_new(
    state_json: *const c_char,
    state_json_len: usize,
    out_pet: *mut *mut healing_pet,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable pointer (or NULL, refused).
        let out = unsafe { Out::new(out_pet, "out_pet") }?;
        // SAFETY: the caller passes `state_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(state_json, state_json_len, "state_json") }?;
        let state: PetState = json_arg(text, "state_json")?;
        out.set(leak_handle(healing_pet { state }));
        Ok(())
    })
}

/// Frees a pet. NULL does nothing. A pointer that is not a live pet (already
/// freed, or another kind of handle) returns `HEALING_ERR_UNKNOWN_POINTER`
/// and frees nothing (best effort: see "Handles" at the top of this header).
///
/// # Safety
/// `pet` is NULL or a pet from `healing_pet_new` that no other call is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn healing_pet_free(pet: *mut healing_pet) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller's contract; the registry refuses anything that is
        // not a live pet before it is touched.
        unsafe { free_handle(pet, "pet") }
    })
}

/// Applies one event to the pet at `now_unix_seconds`, counting daily caps on
/// the UTC date of that instant. Decay up to `now` is applied first.
///
/// `event_json` (UTF-8) is one of, e.g., `{"kind":"feed","food":"apple"}`,
/// `{"kind":"play"}`, `{"kind":"clean"}`, `{"kind":"rest"}`,
/// `{"kind":"start_adventure"}`, `{"kind":"collect_adventure"}`,
/// `{"kind":"buy","item":"crown"}`, `{"kind":"wear_hat","hat":"crown"}`,
/// `{"kind":"take_off_hat"}`, `{"kind":"rename","name":"Pip"}`,
/// `{"kind":"complete_activity","activity":"mood_log"}` (full list:
/// healing-core `pet::Event`). `now` must come from a clock you trust (your
/// server), not the person's device, or daily caps could be sidestepped.
///
/// On success the pet holds its new state and `*out_outcomes_json` is a new
/// JSON array of what happened, in order, for the UI, e.g.
/// `[{"kind":"activity_rewarded",...}]`; free it with
/// `healing_string_free`. On failure the pet is unchanged.
///
/// Errors: `HEALING_ERR_PET_REJECTED` (e.g. `crown costs 150 coins but the
/// pet has 5`: show the message), `HEALING_ERR_NULL_PARAMETER`,
/// `HEALING_ERR_INVALID_UTF8`, `HEALING_ERR_INVALID_JSON`,
/// `HEALING_ERR_INVALID_ARGUMENT` (unknown kind, food, item or activity),
/// `HEALING_ERR_INVALID_TIMESTAMP`, `HEALING_ERR_PANIC`.
///
/// # Safety
/// `pet` is a live pet used by no other call during this one; `event_json`
/// points to `event_json_len` readable bytes; `out_outcomes_json` is a
/// writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_pet_step(
    pet: *mut healing_pet,
    event_json: *const c_char,
    event_json_len: usize,
    now_unix_seconds: i64,
    out_outcomes_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_outcomes_json, "out_outcomes_json") }?;
        // SAFETY: the caller passes a live pet no one else uses (or NULL, refused).
        let handle = unsafe { handle_mut(pet, "pet") }?;
        // SAFETY: the caller passes `event_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(event_json, event_json_len, "event_json") }?;
        let event: Event = json_arg(text, "event_json")?;
        let now = instant_arg(now_unix_seconds, "now_unix_seconds")?;
        let step = pet::step(&handle.state, &event, now)
            .map_err(|error| rejected(healing_result::HEALING_ERR_PET_REJECTED, error))?;
        let outcomes = json_text(&step.outcomes, "the pet outcomes")?;
        // The state changes only once nothing else can fail: all or nothing.
        handle.state = step.state;
        out.set_string(&outcomes);
        Ok(())
    })
}

/// The pet's stored state as JSON, exactly as held (no decay applied), to
/// store and later pass to `healing_pet_new`.
///
/// On success `*out_state_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_PANIC`.
///
/// # Safety
/// `pet` is a live pet not being changed during this call; `out_state_json`
/// is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_pet_to_json(
    pet: *const healing_pet,
    out_state_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_state_json, "out_state_json") }?;
        // SAFETY: the caller passes a live pet not being changed (or NULL, refused).
        let handle = unsafe { handle_ref(pet, "pet") }?;
        out.set_string(&json_text(&handle.state, "the pet state")?);
        Ok(())
    })
}

/// The pet as it is at `now_unix_seconds`, with its stats decayed for the time
/// since its last update (never below their floors), as JSON to show. The
/// handle itself is not changed.
///
/// On success `*out_state_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_TIMESTAMP`,
/// `HEALING_ERR_PANIC`.
///
/// # Safety
/// `pet` is a live pet not being changed during this call; `out_state_json`
/// is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_pet_observe_json(
    pet: *const healing_pet,
    now_unix_seconds: i64,
    out_state_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_state_json, "out_state_json") }?;
        // SAFETY: the caller passes a live pet not being changed (or NULL, refused).
        let handle = unsafe { handle_ref(pet, "pet") }?;
        let now = instant_arg(now_unix_seconds, "now_unix_seconds")?;
        let seen = pet::observe(&handle.state, now);
        out.set_string(&json_text(&seen, "the pet state")?);
        Ok(())
    })
}
