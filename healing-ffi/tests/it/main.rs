//! Integration tests of the C API, calling the exported functions from Rust as a
//! C caller would (raw pointers, lengths, out-parameters), plus the header check.

mod consent;
mod header;
mod outcomes;
mod pet;
mod plumbing;

use std::ffi::{CStr, c_char};

use healing::{healing_last_error, healing_result, healing_string_free};

/// This thread's `healing_last_error()` text.
fn last_error() -> String {
    // SAFETY: healing_last_error never returns NULL and is NUL-terminated.
    unsafe { CStr::from_ptr(healing_last_error()) }
        .to_string_lossy()
        .into_owned()
}

/// The code's C name and the last error, as one line to compare.
fn outcome(code: healing_result) -> String {
    format!("{code:?}: {}", last_error())
}

/// Copies a string healing returned and frees it, as a careful C caller does.
fn take_string(string: *mut c_char) -> String {
    assert!(!string.is_null(), "expected a string from healing");
    // SAFETY: non-NULL strings from healing are NUL-terminated.
    let text = unsafe { CStr::from_ptr(string) }
        .to_string_lossy()
        .into_owned();
    // SAFETY: a live string from healing, freed once.
    let code = unsafe { healing_string_free(string) };
    assert_eq!(code, healing_result::HEALING_OK);
    text
}

/// `text` as the (pointer, length) pair the C API takes.
fn text(text: &str) -> (*const c_char, usize) {
    (text.as_ptr().cast(), text.len())
}
