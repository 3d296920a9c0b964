//! Property tests: whatever bytes or numbers a caller passes, every function
//! returns a documented code (never `HEALING_ERR_PANIC`), a failed call leaves
//! its out-parameter NULL, and a successful one returns a string that frees.

use std::ffi::c_char;
use std::ptr;

use healing::{
    healing_assess, healing_assess_json, healing_assessment, healing_ledger_free,
    healing_ledger_new, healing_pet_adopt_json, healing_result, healing_score,
    healing_score_answers, healing_score_answers_json, healing_talking_therapies_outcome,
};
use proptest::prelude::*;

use crate::{shared_engine, take_string};

/// Checks one call that writes a string: no panic, NULL on failure.
fn check_string_call(code: healing_result, out: *mut c_char) -> Result<(), TestCaseError> {
    prop_assert_ne!(code, healing_result::HEALING_ERR_PANIC);
    if code == healing_result::HEALING_OK {
        take_string(out);
    } else {
        prop_assert!(out.is_null());
    }
    Ok(())
}

/// Bytes that are often almost-JSON, sometimes not UTF-8.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        "[\\[\\]{}\":,0-9a-z_ -]{0,120}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn json_functions_never_panic_on_any_bytes(bytes in hostile_bytes()) {
        let (data, len) = (bytes.as_ptr().cast::<c_char>(), bytes.len());
        let engine = shared_engine();
        let mut out: *mut c_char = ptr::null_mut();

        // SAFETY (every call below): live engine, `bytes` is readable for
        // `len`, `out` is a writable local.
        let code = unsafe { healing_talking_therapies_outcome(data, len, &raw mut out) };
        check_string_call(code, out)?;
        let code = unsafe { healing_score_answers_json(engine, c"phq9".as_ptr(), 4, data, len, &raw mut out) };
        check_string_call(code, out)?;
        let code = unsafe { healing_assess_json(engine, data, len, data, len, &raw mut out) };
        check_string_call(code, out)?;
        let code = unsafe { healing_pet_adopt_json(data, len, 0, &raw mut out) };
        check_string_call(code, out)?;

        let mut ledger = ptr::null_mut();
        let code = unsafe { healing_ledger_new(data, len, &raw mut ledger) };
        prop_assert_ne!(code, healing_result::HEALING_ERR_PANIC);
        prop_assert_eq!(ledger.is_null(), code != healing_result::HEALING_OK);
        prop_assert_eq!(unsafe { healing_ledger_free(ledger) }, healing_result::HEALING_OK);
    }

    #[test]
    fn risk_screen_accepts_any_valid_text(text in any::<String>()) {
        let mut out = healing_assessment { level: 9, categories: 9, finding_count: 9 };
        // SAFETY: live engine and str; `out` is a writable local.
        let code = unsafe {
            healing_assess(shared_engine(), text.as_ptr().cast(), text.len(), &raw mut out)
        };
        prop_assert_eq!(code, healing_result::HEALING_OK);
        prop_assert!(out.level <= 4);
    }

    #[test]
    fn scoring_never_panics_on_any_numbers(
        answers in proptest::collection::vec(-3i32..300, 0..30),
        id in prop::sample::select(vec!["phq9", "gad7", "audit", "cssrs_screener", "pcl5", "x"]),
    ) {
        let mut out = std::mem::MaybeUninit::<healing_score>::uninit();
        // SAFETY: live engine, str and array; `out` is writable.
        let code = unsafe {
            healing_score_answers(
                shared_engine(),
                id.as_ptr().cast(),
                id.len(),
                answers.as_ptr(),
                answers.len(),
                out.as_mut_ptr(),
            )
        };
        prop_assert_ne!(code, healing_result::HEALING_ERR_PANIC);
        // SAFETY: the call wrote the struct on every path (blank first).
        let out = unsafe { out.assume_init() };
        if code != healing_result::HEALING_OK {
            prop_assert!(!out.has_total && out.total == 0 && out.flags == 0);
        }
    }
}
