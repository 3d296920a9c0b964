//! The panic boundary every exported function runs inside, and the thread-local
//! message behind `healing_last_error()`.
//!
//! Unwinding out of an `extern "C"` function aborts the host process, which in an
//! EHR means losing whatever the clinician was doing. So every exported body runs
//! inside [`ffi_boundary!`], which catches a panic and turns it into
//! `HEALING_ERR_PANIC` with a message, and records the outcome of the call for
//! `healing_last_error()`.

use std::cell::{Cell, RefCell};
use std::ffi::{CString, c_char};
use std::panic::{self, AssertUnwindSafe};

use crate::result::healing_result;

// A panic must unwind for the boundary to catch it; with `panic = "abort"` the
// promise "no function aborts" would silently not hold, so refuse to build.
#[cfg(panic = "abort")]
compile_error!(
    "healing-ffi must be built with panic = \"unwind\" (its panic boundary relies on it)"
);

/// Why a call failed: the code returned to C and the message for `healing_last_error()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The code the exported function returns.
    pub(crate) code: healing_result,
    /// Lower-case, no trailing period, naming the parameter and the value.
    pub(crate) message: String,
}

impl Failure {
    /// A failure with `code` and `message`.
    pub(crate) fn new(code: healing_result, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// What the body of an exported function returns inside the boundary.
pub(crate) type Outcome = Result<(), Failure>;

thread_local! {
    /// The message of the last failed call on this thread; meaningful only
    /// while `HAS_MESSAGE` is true.
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    /// Whether `LAST_ERROR` holds a message. A `const`, drop-free flag, so the
    /// success path (the hot one) costs one thread-local read.
    static HAS_MESSAGE: Cell<bool> = const { Cell::new(false) };
}

/// Records the outcome of a call for `healing_last_error()`: `None` after a success.
fn record(message: Option<String>) {
    match message {
        None => {
            // A success after a success touches nothing else.
            let _ = HAS_MESSAGE.try_with(|flag| flag.set(false));
        }
        Some(text) => {
            // `try_with` fails only while the thread is being torn down; the
            // message is then unobservable anyway, so dropping it is correct.
            let stored = LAST_ERROR.try_with(|cell| match cell.try_borrow_mut() {
                Ok(mut last) => {
                    *last = c_string_lossy(text);
                    true
                }
                // Only reachable if recording re-entered itself, which it does not.
                Err(_) => false,
            });
            let _ = HAS_MESSAGE.try_with(|flag| flag.set(stored.unwrap_or(false)));
        }
    }
}

/// A C string from text that might hold NUL bytes (for example quoted from
/// caller input), each shown as `\0` so the message is never cut short.
pub(crate) fn c_string_lossy(text: String) -> CString {
    match CString::new(text) {
        Ok(c_string) => c_string,
        Err(error) => {
            let escaped = String::from_utf8_lossy(&error.into_vec()).replace('\0', "\\0");
            // Every NUL was just replaced, so this cannot fail; the fallback keeps it total.
            CString::new(escaped).unwrap_or_default()
        }
    }
}

/// The message of the last call on this thread, as a pointer that stays valid
/// until the next call that records an outcome.
pub(crate) fn last_error_pointer() -> *const c_char {
    if !HAS_MESSAGE.try_with(Cell::get).unwrap_or(false) {
        return c"".as_ptr();
    }
    LAST_ERROR
        .try_with(|cell| match cell.try_borrow() {
            Ok(last) => last.as_ptr(),
            Err(_) => c"".as_ptr(),
        })
        .unwrap_or(c"".as_ptr())
}

/// A readable description of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "no message"
    }
}

/// Runs an exported function's body, catching panics, and records the outcome.
pub(crate) fn guard(body: impl FnOnce() -> Outcome) -> healing_result {
    // AssertUnwindSafe: after a panic the only state a caller can reach again is
    // a handle, and handles that mutate are poisoned before they run core code
    // (see `handle::HandleCell`), so no broken invariant is observed.
    let outcome = panic::catch_unwind(AssertUnwindSafe(body));
    match outcome {
        Ok(Ok(())) => {
            record(None);
            healing_result::HEALING_OK
        }
        Ok(Err(failure)) => {
            record(Some(failure.message));
            failure.code
        }
        Err(payload) => {
            record(Some(format!(
                "internal error in healing (please report it): {}",
                panic_message(payload.as_ref())
            )));
            healing_result::HEALING_ERR_PANIC
        }
    }
}

/// Runs the body of an exported function that cannot fail and does not touch
/// the last error (such as `healing_version`), returning `on_panic` if it panics.
pub(crate) fn guard_value<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    // AssertUnwindSafe: these bodies read only immutable or thread-local state.
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

/// Wraps the body of every exported function in the panic boundary.
///
/// `ffi_boundary!({ ...; Ok(()) })` returns a `healing_result` and records the
/// outcome for `healing_last_error()`; `ffi_boundary!(value_on_panic: v; { ... })`
/// returns the body's value, or `v` if it panics.
macro_rules! ffi_boundary {
    (value_on_panic: $on_panic:expr; $body:block) => {
        $crate::boundary::guard_value($on_panic, move || $body)
    };
    ($body:block) => {
        $crate::boundary::guard(move || -> $crate::boundary::Outcome { $body })
    };
}

/// Why the most recent call on this thread failed, as a NUL-terminated UTF-8
/// message, or `""` if it succeeded.
///
/// Never returns NULL. The pointer is borrowed: it stays valid until the next
/// `healing_*` call on the same thread that returns a `healing_result` (or
/// until the thread exits). Copy the text if you need it longer, and do not
/// free it. Messages are lower-case English naming the parameter and value at
/// fault, e.g. `answer to item 3 of phq9 is 5, above the maximum of 3`; their
/// wording may change in any release, so branch on the `healing_result` code,
/// never on the text. The message is per thread, so calls on other threads
/// never overwrite it. Calling this function does not change the message.
#[unsafe(no_mangle)]
pub extern "C" fn healing_last_error() -> *const c_char {
    ffi_boundary!(value_on_panic: c"".as_ptr(); { last_error_pointer() })
}
