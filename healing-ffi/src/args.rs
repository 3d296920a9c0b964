//! Turning raw C parameters into checked Rust values, and writing
//! out-parameters, so each exported function reads as "convert, call core,
//! convert back".

use std::ffi::c_char;
use std::marker::PhantomData;
use std::ptr::NonNull;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::boundary::Failure;
use crate::ownership::leak_string;
use crate::result::healing_result;
use healing_core::timestamp::Timestamp;

/// The failure for a NULL pointer parameter.
pub(crate) fn null_parameter(parameter: &str) -> Failure {
    Failure::new(
        healing_result::HEALING_ERR_NULL_PARAMETER,
        format!("parameter `{parameter}` is NULL"),
    )
}

/// Borrows a caller's string given as pointer and byte length (no NUL needed).
///
/// # Safety
/// If `data` is not NULL it must point to `len` readable bytes that do not
/// change during the call.
pub(crate) unsafe fn text_arg<'call>(
    data: *const c_char,
    len: usize,
    parameter: &str,
) -> Result<&'call str, Failure> {
    // SAFETY: our caller's contract is exactly `bytes_arg`'s.
    let bytes = unsafe { bytes_arg(data, len, parameter) }?;
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        // `valid_up_to` is an index at which decoding failed, so it is in bounds.
        let found = bytes.get(offset).copied().unwrap_or_default();
        Failure::new(
            healing_result::HEALING_ERR_INVALID_UTF8,
            format!(
                "parameter `{parameter}` is not valid UTF-8: byte {found:#04x} at offset {offset} \
                 of {len}"
            ),
        )
    })
}

/// Borrows a caller's byte buffer given as pointer and length.
///
/// # Safety
/// As for [`text_arg`].
pub(crate) unsafe fn bytes_arg<'call>(
    data: *const c_char,
    len: usize,
    parameter: &str,
) -> Result<&'call [u8], Failure> {
    if data.is_null() {
        return Err(null_parameter(parameter));
    }
    if len > isize::MAX as usize {
        return Err(Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            format!(
                "parameter `{parameter}_len` is {len}, above the maximum of {}",
                isize::MAX
            ),
        ));
    }
    // SAFETY: `data` is not NULL and the caller promises `len` readable bytes
    // that stay unchanged for the call; `u8` has alignment 1; `len` fits in
    // `isize` as checked above.
    Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) })
}

/// Parses a caller's JSON text into a core type.
///
/// Malformed JSON is `HEALING_ERR_INVALID_JSON`; well-formed JSON that does
/// not fit the type (or that a core type rejects while being built) is
/// `HEALING_ERR_INVALID_ARGUMENT`.
pub(crate) fn json_arg<T: DeserializeOwned>(text: &str, parameter: &str) -> Result<T, Failure> {
    serde_json::from_str(text).map_err(|error| {
        let code = match error.classify() {
            serde_json::error::Category::Data => healing_result::HEALING_ERR_INVALID_ARGUMENT,
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => healing_result::HEALING_ERR_INVALID_JSON,
        };
        let problem = match code {
            healing_result::HEALING_ERR_INVALID_JSON => "is not well-formed JSON",
            _ => "is not acceptable",
        };
        Failure::new(code, format!("parameter `{parameter}` {problem}: {error}"))
    })
}

/// Serialises a core value as JSON for C.
pub(crate) fn json_text<T: Serialize>(value: &T, what: &str) -> Result<String, Failure> {
    // Core types serialise without error (no maps with non-string keys, no
    // fallible Serialize impls); a failure is a bug, reported like a panic.
    serde_json::to_string(value).map_err(|error| {
        Failure::new(
            healing_result::HEALING_ERR_PANIC,
            format!(
                "internal error in healing (please report it): cannot write {what} as JSON: {error}"
            ),
        )
    })
}

/// A value an out-parameter holds when a call fails: NULL for pointers,
/// zero for structs.
pub(crate) trait Blank {
    /// The value written before any work, so a failed call leaves it.
    fn blank() -> Self;
}

impl<T> Blank for *mut T {
    fn blank() -> Self {
        std::ptr::null_mut()
    }
}

impl Blank for u32 {
    fn blank() -> Self {
        0
    }
}

impl Blank for usize {
    fn blank() -> Self {
        0
    }
}

impl Blank for bool {
    fn blank() -> Self {
        false
    }
}

/// A checked out-parameter, already set to its blank value. It lives only for
/// the call that created it (it is neither `Send` nor `'static`).
pub(crate) struct Out<'call, T> {
    target: NonNull<T>,
    _call: PhantomData<&'call mut T>,
}

impl<'call, T: Blank> Out<'call, T> {
    /// Checks `target` is not NULL and writes the blank value into it.
    ///
    /// # Safety
    /// If `target` is not NULL it must be valid for writes of a `T` and
    /// suitably aligned for the duration of the call (C's `T *out`).
    pub(crate) unsafe fn new(target: *mut T, parameter: &str) -> Result<Self, Failure> {
        let target = NonNull::new(target).ok_or_else(|| null_parameter(parameter))?;
        // SAFETY: not NULL (checked), and the caller promises it is valid and
        // aligned for writes of `T`. `write` does not read or drop the old
        // (possibly uninitialised) value.
        unsafe { target.as_ptr().write(T::blank()) };
        Ok(Self {
            target,
            _call: PhantomData,
        })
    }

    /// Stores the call's result.
    pub(crate) fn set(self, value: T) {
        // SAFETY: `new` checked the pointer and its caller promised it stays
        // writable for the call; `'call` keeps this `Out` within the call.
        unsafe { self.target.as_ptr().write(value) };
    }
}

impl Out<'_, *mut c_char> {
    /// Stores a new string that the C caller frees with `healing_string_free`.
    pub(crate) fn set_string(self, text: &str) {
        self.set(leak_string(text));
    }
}

/// Borrows a handle for reading.
///
/// # Safety
/// If `handle` is not NULL it must be a live handle of type `T` from healing,
/// not being mutated by another thread during the call.
pub(crate) unsafe fn handle_ref<'call, T>(
    handle: *const T,
    parameter: &str,
) -> Result<&'call T, Failure> {
    // SAFETY: the caller guarantees a non-NULL `handle` is a live `T` that no
    // one mutates during the call, so a shared borrow for the call is sound.
    unsafe { handle.as_ref() }.ok_or_else(|| null_parameter(parameter))
}

/// Borrows a handle for changing it.
///
/// # Safety
/// If `handle` is not NULL it must be a live handle of type `T` from healing
/// that no other thread uses during the call.
pub(crate) unsafe fn handle_mut<'call, T>(
    handle: *mut T,
    parameter: &str,
) -> Result<&'call mut T, Failure> {
    // SAFETY: the caller guarantees a non-NULL `handle` is a live `T` used by
    // no one else during the call, so an exclusive borrow for the call is sound.
    unsafe { handle.as_mut() }.ok_or_else(|| null_parameter(parameter))
}

/// A handle's state that core code changes in place. If core code panics in
/// the middle of a change the state may break its own invariants, so the cell
/// is marked poisoned before each change and cleared after; a poisoned cell
/// refuses every later use with `HEALING_ERR_PANIC`.
#[derive(Debug)]
pub(crate) struct Poisonable<T> {
    value: T,
    poisoned: bool,
}

impl<T> Poisonable<T> {
    /// A healthy cell holding `value`.
    pub(crate) fn new(value: T) -> Self {
        Self {
            value,
            poisoned: false,
        }
    }

    fn poisoned_failure(c_name: &str) -> Failure {
        Failure::new(
            healing_result::HEALING_ERR_PANIC,
            format!(
                "this {c_name} was left unusable by an earlier internal error; free it and \
                 rebuild it from your records"
            ),
        )
    }

    /// Reads the state, unless an earlier change panicked.
    pub(crate) fn read(&self, c_name: &str) -> Result<&T, Failure> {
        if self.poisoned {
            return Err(Self::poisoned_failure(c_name));
        }
        Ok(&self.value)
    }

    /// Changes the state with `change`; a panic inside leaves the cell poisoned.
    pub(crate) fn update<R>(
        &mut self,
        c_name: &str,
        change: impl FnOnce(&mut T) -> R,
    ) -> Result<R, Failure> {
        if self.poisoned {
            return Err(Self::poisoned_failure(c_name));
        }
        self.poisoned = true;
        let result = change(&mut self.value);
        self.poisoned = false;
        Ok(result)
    }
}

/// A caller's instant given as Unix seconds (`time_t`-style, UTC).
pub(crate) fn instant_arg(unix_seconds: i64, parameter: &str) -> Result<Timestamp, Failure> {
    Timestamp::from_unix_seconds(unix_seconds).map_err(|error| {
        Failure::new(
            healing_result::HEALING_ERR_INVALID_TIMESTAMP,
            format!("parameter `{parameter}`: {error}"),
        )
    })
}

/// A core error that rejects what the caller asked for, as a failure with `code`.
pub(crate) fn rejected(code: healing_result, error: impl std::fmt::Display) -> Failure {
    Failure::new(code, error.to_string())
}
