//! Integration tests of the C API, calling the exported functions from Rust as a
//! C caller would (raw pointers, lengths, out-parameters), plus the header check.

mod consent;
#[cfg(feature = "fhir")]
mod fhir;
#[cfg(feature = "fhir")]
mod fhir_export;
mod header;
mod outcomes;
mod pet;
mod plumbing;
mod properties;
mod safety;
mod scoring;

use std::ffi::{CStr, c_char};
use std::sync::OnceLock;

use healing::{
    healing_engine, healing_engine_new, healing_last_error, healing_result, healing_string_free,
};

/// An engine pointer that tests share across threads, as the C API allows.
struct SharedEngine(*const healing_engine);

// SAFETY: the C API promises a healing_engine may be used from any number of
// threads at once (it is immutable, and Send + Sync on the Rust side).
unsafe impl Send for SharedEngine {}
// SAFETY: as above.
unsafe impl Sync for SharedEngine {}

/// One engine with the built-in rules for every test, built once: compiling
/// the rules is the slow part of a test, and sharing also exercises the
/// "one engine, many threads" promise (tests run in parallel). Never freed.
fn shared_engine() -> *const healing_engine {
    static ENGINE: OnceLock<SharedEngine> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut engine = std::ptr::null_mut();
            // SAFETY: "" is valid for 0 bytes; `engine` is a writable local.
            let code = unsafe { healing_engine_new(c"".as_ptr(), 0, &raw mut engine) };
            assert_eq!(code, healing_result::HEALING_OK);
            SharedEngine(engine)
        })
        .0
}

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
