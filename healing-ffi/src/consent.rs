//! Consent ledgers as `healing_ledger` handles (`healing_core::consent`).

use std::ffi::c_char;

use healing_core::consent::{ConsentEvent, Ledger, Purpose};
use healing_core::ids::PersonId;
use serde::Deserialize;

use crate::args::{
    Out, Poisonable, handle_mut, handle_ref, instant_arg, json_arg, json_text, rejected, text_arg,
};
use crate::boundary::Failure;
use crate::ownership::{Handle, free_handle, leak_handle};
use crate::result::healing_result;

/// One person's consent ledger: an append-only, time-ordered record of their
/// consent decisions, asked "may this person's data be used for this purpose
/// at this time?".
///
/// Created by `healing_ledger_new`, freed by `healing_ledger_free`. One thread
/// at a time: it may move between threads, but calls on one ledger must not
/// overlap (use your own mutex to share it).
pub struct healing_ledger {
    ledger: Poisonable<Ledger>,
}

impl Handle for healing_ledger {
    const C_NAME: &'static str = "healing_ledger";
}

/// What a person's data may be used for: the `purpose` argument of
/// `healing_ledger_is_allowed`. In JSON the same purposes are the strings in
/// brackets.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum healing_purpose {
    /// Providing the person's care and treatment in the app (`"care"`).
    HEALING_PURPOSE_CARE = 0,
    /// Sharing entries and scores with their assigned clinician (`"clinician_sharing"`).
    HEALING_PURPOSE_CLINICIAN_SHARING = 1,
    /// Sending their messages to the AI chat companion (`"ai_chat"`).
    HEALING_PURPOSE_AI_CHAT = 2,
    /// Using their pseudonymised data in research (`"research"`).
    HEALING_PURPOSE_RESEARCH = 3,
    /// Sending them notifications by email (`"email_notifications"`).
    HEALING_PURPOSE_EMAIL_NOTIFICATIONS = 4,
}

/// The core purpose for a C number; the match is exhaustive both ways so a
/// new core purpose cannot go unmapped.
fn purpose_arg(number: u32) -> Result<Purpose, Failure> {
    const CARE: u32 = healing_purpose::HEALING_PURPOSE_CARE as u32;
    const CLINICIAN_SHARING: u32 = healing_purpose::HEALING_PURPOSE_CLINICIAN_SHARING as u32;
    const AI_CHAT: u32 = healing_purpose::HEALING_PURPOSE_AI_CHAT as u32;
    const RESEARCH: u32 = healing_purpose::HEALING_PURPOSE_RESEARCH as u32;
    const EMAIL: u32 = healing_purpose::HEALING_PURPOSE_EMAIL_NOTIFICATIONS as u32;
    let purpose = match number {
        CARE => Purpose::Care,
        CLINICIAN_SHARING => Purpose::ClinicianSharing,
        AI_CHAT => Purpose::AiChat,
        RESEARCH => Purpose::Research,
        EMAIL => Purpose::EmailNotifications,
        _ => {
            return Err(Failure::new(
                healing_result::HEALING_ERR_INVALID_ARGUMENT,
                format!("parameter `purpose` is {number}, not a healing_purpose (0 to {EMAIL})"),
            ));
        }
    };
    // Keeps the table above complete: adding a core purpose breaks this match.
    match purpose {
        Purpose::Care
        | Purpose::ClinicianSharing
        | Purpose::AiChat
        | Purpose::Research
        | Purpose::EmailNotifications => Ok(purpose),
    }
}

/// The stored form of a ledger, replayed through `Ledger::replay` so that a
/// stored history breaking the rules is refused with the event that breaks them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LedgerJson {
    person: PersonId,
    events: Vec<ConsentEvent>,
}

/// Creates a ledger from its stored JSON: `{"person": "<id>", "events": [...]}`
/// (what `healing_ledger_to_json` writes). For a person with no decisions yet,
/// pass `{"person": "patient-0042", "events": []}`.
///
/// The events are checked in order exactly as `healing_ledger_append` checks
/// them, so a stored history that breaks the rules is refused, naming the
/// first bad event (counting from 0). Event shape: see `healing_ledger_append`.
///
/// On success `*out_ledger` is a new ledger you free with
/// `healing_ledger_free`; on failure it is NULL.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (wrong shape,
/// unknown field, bad id or time), `HEALING_ERR_CONSENT_REJECTED`.
///
/// # Safety
/// `ledger_json` points to `ledger_json_len` readable bytes; `out_ledger` is
/// a writable `healing_ledger *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_ledger_new(
    ledger_json: *const c_char,
    ledger_json_len: usize,
    out_ledger: *mut *mut healing_ledger,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable pointer (or NULL, refused).
        let out = unsafe { Out::new(out_ledger, "out_ledger") }?;
        // SAFETY: the caller passes `ledger_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(ledger_json, ledger_json_len, "ledger_json") }?;
        let stored: LedgerJson = json_arg(text, "ledger_json")?;
        let ledger = Ledger::replay(stored.person, stored.events)
            .map_err(|error| rejected(healing_result::HEALING_ERR_CONSENT_REJECTED, error))?;
        out.set(leak_handle(healing_ledger {
            ledger: Poisonable::new(ledger),
        }));
        Ok(())
    })
}

/// Frees a ledger. NULL does nothing. A pointer that is not a live ledger
/// (already freed, or another kind of handle) returns
/// `HEALING_ERR_UNKNOWN_POINTER` and frees nothing (best effort: see
/// "Handles" at the top of this header).
///
/// # Safety
/// `ledger` is NULL or a ledger from `healing_ledger_new` that no other call
/// is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn healing_ledger_free(ledger: *mut healing_ledger) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller's contract; the registry refuses anything that is
        // not a live ledger before it is touched.
        unsafe { free_handle(ledger, "ledger") }
    })
}

/// Appends one consent event, after checking it against the ledger; a
/// rejected event leaves the ledger unchanged.
///
/// `event_json` (UTF-8, `event_json_len` bytes):
///
/// ```json
/// {"person": "patient-0042", "purpose": "research", "decision": "grant",
///  "at": "2026-03-01T09:00:00Z", "wording_version": "research-v2",
///  "recorded_by": "subject"}
/// ```
///
/// `decision` is `grant` or `withdraw`; `recorded_by` is `"subject"` or
/// `{"staff": "<staff id>"}`; `wording_version` is 1 to 64 ASCII letters,
/// digits, `-`, `_` or `.` naming the consent text shown.
///
/// Refused with `HEALING_ERR_CONSENT_REJECTED`: an event for another person,
/// staff recording under the person's own id, an event earlier than the
/// latest one, two events for one purpose at the same instant, withdrawing
/// what was never granted or is already withdrawn, granting what is already
/// granted with the same wording. Other errors: `HEALING_ERR_NULL_PARAMETER`,
/// `HEALING_ERR_INVALID_UTF8`, `HEALING_ERR_INVALID_JSON`,
/// `HEALING_ERR_INVALID_ARGUMENT`, `HEALING_ERR_PANIC`.
///
/// # Safety
/// `ledger` is a live ledger used by no other call during this one;
/// `event_json` points to `event_json_len` readable bytes.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_ledger_append(
    ledger: *mut healing_ledger,
    event_json: *const c_char,
    event_json_len: usize,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a live ledger no one else uses (or NULL, refused).
        let handle = unsafe { handle_mut(ledger, "ledger") }?;
        // SAFETY: the caller passes `event_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(event_json, event_json_len, "event_json") }?;
        let event: ConsentEvent = json_arg(text, "event_json")?;
        handle
            .ledger
            .update(healing_ledger::C_NAME, |ledger| ledger.append(event))?
            .map_err(|error| rejected(healing_result::HEALING_ERR_CONSENT_REJECTED, error))
    })
}

/// Whether the ledger allows `purpose` (a `healing_purpose` value) at
/// `at_unix_seconds` (seconds since 1970-01-01T00:00:00Z).
///
/// A grant takes effect at its own instant; a withdrawal takes effect at its
/// own instant and from then on, and earlier instants keep their answer.
/// Nothing is allowed before it is granted. On success `*out_allowed` is the
/// answer; on failure it is `false`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_ARGUMENT`
/// (`purpose` is not a `healing_purpose`), `HEALING_ERR_INVALID_TIMESTAMP`,
/// `HEALING_ERR_PANIC`.
///
/// # Safety
/// `ledger` is a live ledger not being changed during this call;
/// `out_allowed` is a writable `bool`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_ledger_is_allowed(
    ledger: *const healing_ledger,
    purpose: u32,
    at_unix_seconds: i64,
    out_allowed: *mut bool,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `bool` (or NULL, refused).
        let out = unsafe { Out::new(out_allowed, "out_allowed") }?;
        // SAFETY: the caller passes a live ledger not being changed (or NULL, refused).
        let handle = unsafe { handle_ref(ledger, "ledger") }?;
        let purpose = purpose_arg(purpose)?;
        let at = instant_arg(at_unix_seconds, "at_unix_seconds")?;
        let ledger = handle.ledger.read(healing_ledger::C_NAME)?;
        out.set(ledger.is_allowed(purpose, at));
        Ok(())
    })
}

/// The consent state at `at_unix_seconds` as JSON: the grants in force then,
/// one per allowed purpose, with their wording and since when, e.g.
/// `{"at":"2026-04-01T00:00:00Z","grants":[{"purpose":"research",
/// "since":"2026-03-01T09:00:00Z","wording_version":"research-v2",
/// "recorded_by":"subject"}]}`.
///
/// On success `*out_state_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_TIMESTAMP`,
/// `HEALING_ERR_PANIC`.
///
/// # Safety
/// `ledger` is a live ledger not being changed during this call;
/// `out_state_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_ledger_state_json(
    ledger: *const healing_ledger,
    at_unix_seconds: i64,
    out_state_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_state_json, "out_state_json") }?;
        // SAFETY: the caller passes a live ledger not being changed (or NULL, refused).
        let handle = unsafe { handle_ref(ledger, "ledger") }?;
        let at = instant_arg(at_unix_seconds, "at_unix_seconds")?;
        let state = handle.ledger.read(healing_ledger::C_NAME)?.state_at(at);
        out.set_string(&json_text(&state, "the consent state")?);
        Ok(())
    })
}

/// The whole ledger as JSON, `{"person": "<id>", "events": [...]}`, to store
/// and later pass to `healing_ledger_new`.
///
/// On success `*out_ledger_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_PANIC`.
///
/// # Safety
/// `ledger` is a live ledger not being changed during this call;
/// `out_ledger_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_ledger_to_json(
    ledger: *const healing_ledger,
    out_ledger_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_ledger_json, "out_ledger_json") }?;
        // SAFETY: the caller passes a live ledger not being changed (or NULL, refused).
        let handle = unsafe { handle_ref(ledger, "ledger") }?;
        let ledger = handle.ledger.read(healing_ledger::C_NAME)?;
        out.set_string(&json_text(ledger, "the ledger")?);
        Ok(())
    })
}
