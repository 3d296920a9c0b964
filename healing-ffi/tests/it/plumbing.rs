//! Result codes, last error, strings and version, as a C caller sees them.

use std::ffi::CStr;

use healing::{
    HEALING_VERSION_MAJOR, HEALING_VERSION_MINOR, HEALING_VERSION_PATCH, healing_last_error,
    healing_result, healing_result_name, healing_string_free, healing_version,
};

fn text(pointer: *const std::ffi::c_char) -> String {
    assert!(
        !pointer.is_null(),
        "healing returned NULL where it promises a string"
    );
    // SAFETY: checked non-NULL; healing returns NUL-terminated strings.
    unsafe { CStr::from_ptr(pointer) }
        .to_string_lossy()
        .into_owned()
}

#[test]
fn result_codes_keep_their_numbers_and_names() {
    use healing_result as R;
    // These numbers are ABI: this table may only ever grow.
    let table = [
        (R::HEALING_OK, 0, "HEALING_OK"),
        (
            R::HEALING_ERR_NULL_PARAMETER,
            1,
            "HEALING_ERR_NULL_PARAMETER",
        ),
        (R::HEALING_ERR_INVALID_UTF8, 2, "HEALING_ERR_INVALID_UTF8"),
        (R::HEALING_ERR_INVALID_JSON, 3, "HEALING_ERR_INVALID_JSON"),
        (
            R::HEALING_ERR_INVALID_ARGUMENT,
            4,
            "HEALING_ERR_INVALID_ARGUMENT",
        ),
        (
            R::HEALING_ERR_UNKNOWN_POINTER,
            5,
            "HEALING_ERR_UNKNOWN_POINTER",
        ),
        (R::HEALING_ERR_PANIC, 6, "HEALING_ERR_PANIC"),
        (
            R::HEALING_ERR_INVALID_TIMESTAMP,
            7,
            "HEALING_ERR_INVALID_TIMESTAMP",
        ),
        (
            R::HEALING_ERR_UNKNOWN_INSTRUMENT,
            8,
            "HEALING_ERR_UNKNOWN_INSTRUMENT",
        ),
        (
            R::HEALING_ERR_INVALID_ANSWERS,
            9,
            "HEALING_ERR_INVALID_ANSWERS",
        ),
        (
            R::HEALING_ERR_INVALID_COURSE,
            10,
            "HEALING_ERR_INVALID_COURSE",
        ),
        (
            R::HEALING_ERR_CONSENT_REJECTED,
            11,
            "HEALING_ERR_CONSENT_REJECTED",
        ),
        (R::HEALING_ERR_PET_REJECTED, 12, "HEALING_ERR_PET_REJECTED"),
        (
            R::HEALING_ERR_INVALID_RULES,
            13,
            "HEALING_ERR_INVALID_RULES",
        ),
        (R::HEALING_ERR_INVALID_FHIR, 14, "HEALING_ERR_INVALID_FHIR"),
    ];
    for (code, number, name) in table {
        assert_eq!(code as u32, number, "{name}");
        assert_eq!(text(healing_result_name(number)), name);
    }
}

#[test]
fn unknown_code_has_a_name_too() {
    assert_eq!(
        text(healing_result_name(u32::MAX)),
        "HEALING_ERR_UNKNOWN_CODE"
    );
}

#[test]
fn version_string_matches_the_header_macros() {
    let expected =
        format!("{HEALING_VERSION_MAJOR}.{HEALING_VERSION_MINOR}.{HEALING_VERSION_PATCH}");
    assert_eq!(text(healing_version()), expected);
    assert_eq!(expected, env!("CARGO_PKG_VERSION"));
}

#[test]
fn freeing_a_null_string_succeeds_and_clears_the_message() {
    // SAFETY: NULL is allowed.
    let code = unsafe { healing_string_free(std::ptr::null_mut()) };
    assert_eq!(code, healing_result::HEALING_OK);
    assert_eq!(text(healing_last_error()), "");
}
