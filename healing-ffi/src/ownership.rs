//! Who owns what crosses the boundary: strings and handles that healing hands
//! out, the registry that lets `_free` functions refuse pointers healing does
//! not own, and `healing_string_free`.
//!
//! Every string and handle given to C is recorded in one process-wide registry
//! (address → kind). A `_free` function first removes the address from the
//! registry and only then releases the memory, so freeing twice, freeing a
//! pointer healing never returned, or freeing a ledger with `healing_pet_free`
//! returns `HEALING_ERR_UNKNOWN_POINTER` instead of corrupting the heap. The
//! registry is consulted only when objects are created and freed, never on
//! ordinary calls, so it costs nothing on the hot path.

use std::collections::BTreeMap;
use std::ffi::c_char;
use std::ptr;
use std::sync::{Mutex, PoisonError};

use crate::boundary::{Failure, Outcome};
use crate::result::healing_result;

/// What lives at a registered address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A NUL-terminated string of `len` bytes (NUL included), from [`leak_string`].
    String {
        /// Allocation length in bytes, NUL included.
        len: usize,
    },
    /// A handle of the named C type, from [`leak_handle`].
    Handle(&'static str),
}

/// Live allocations handed to C. `BTreeMap::new` is `const`, so no lazy init.
static LIVE: Mutex<BTreeMap<usize, Kind>> = Mutex::new(BTreeMap::new());

fn with_registry<R>(f: impl FnOnce(&mut BTreeMap<usize, Kind>) -> R) -> R {
    // The registry's invariant holds between any two statements (a single map
    // insert or remove), so a poisoned lock still guards a consistent map.
    let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
    f(&mut live)
}

/// Takes `address` out of the registry if it holds an object of `expected` kind.
fn unregister(
    address: usize,
    parameter: &str,
    matches: impl Fn(Kind) -> bool,
    what: &str,
) -> Result<Kind, Failure> {
    with_registry(|live| match live.get(&address).copied() {
        Some(kind) if matches(kind) => {
            live.remove(&address);
            Ok(kind)
        }
        Some(Kind::Handle(other)) => Err(Failure::new(
            healing_result::HEALING_ERR_UNKNOWN_POINTER,
            format!("parameter `{parameter}` is a {other}, not a {what}; nothing was freed"),
        )),
        Some(Kind::String { .. }) => Err(Failure::new(
            healing_result::HEALING_ERR_UNKNOWN_POINTER,
            format!("parameter `{parameter}` is a string, not a {what}; nothing was freed"),
        )),
        None => Err(Failure::new(
            healing_result::HEALING_ERR_UNKNOWN_POINTER,
            format!(
                "parameter `{parameter}` ({address:#x}) is not a live {what} from healing \
                 (already freed, or never returned by healing); nothing was freed"
            ),
        )),
    })
}

/// Copies `text` into a new NUL-terminated allocation owned by the C caller
/// until `healing_string_free`. A NUL inside `text` (which JSON never holds)
/// is written as `\0` so C sees the whole text.
pub(crate) fn leak_string(text: &str) -> *mut c_char {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    if text.as_bytes().contains(&0) {
        bytes.extend_from_slice(text.replace('\0', "\\0").as_bytes());
    } else {
        bytes.extend_from_slice(text.as_bytes());
    }
    bytes.push(0);
    let bytes: Box<[u8]> = bytes.into_boxed_slice();
    let len = bytes.len();
    let pointer = Box::into_raw(bytes).cast::<u8>();
    with_registry(|live| live.insert(pointer as usize, Kind::String { len }));
    pointer.cast::<c_char>()
}

/// A Rust value turned into a handle for C, and the C name of its type.
pub(crate) trait Handle: Sized {
    /// The C type name, e.g. `"healing_engine"`, used in messages.
    const C_NAME: &'static str;
}

/// Moves `value` to the heap and registers it; C owns it until its `_free`.
pub(crate) fn leak_handle<T: Handle>(value: T) -> *mut T {
    let pointer = Box::into_raw(Box::new(value));
    with_registry(|live| live.insert(pointer as usize, Kind::Handle(T::C_NAME)));
    pointer
}

/// Frees a handle from [`leak_handle`]; NULL is a no-op.
///
/// # Safety
/// If `pointer` is registered as a `T` it must be the pointer [`leak_handle`]
/// returned, with no other reference to it alive (the C contract: no call on
/// the handle runs concurrently with its `_free`).
pub(crate) unsafe fn free_handle<T: Handle>(pointer: *mut T, parameter: &str) -> Outcome {
    if pointer.is_null() {
        return Ok(());
    }
    unregister(
        pointer as usize,
        parameter,
        |kind| kind == Kind::Handle(T::C_NAME),
        T::C_NAME,
    )?;
    // SAFETY: the registry held this address as a live `T`, so it came from
    // `Box::into_raw` in `leak_handle` and has not been freed (removing it from
    // the registry above makes this the only release); the caller guarantees
    // nothing else uses it.
    drop(unsafe { Box::from_raw(pointer) });
    Ok(())
}

/// Frees a string that a `healing_*` function returned through an out-parameter.
///
/// NULL is accepted and does nothing (returns `HEALING_OK`), so you may free
/// an out-parameter unconditionally: failed calls set string out-parameters to
/// NULL. Do not free these strings with `free()`: healing allocates them
/// itself. A pointer that is not a live string from healing (already freed,
/// never returned by healing, or a handle) returns `HEALING_ERR_UNKNOWN_POINTER`
/// and frees nothing; this guard is best effort, because once freed the same
/// address may be handed out again for a new string. Changing the bytes of the
/// string before freeing it is allowed.
///
/// # Safety
/// `string` is NULL or a pointer you received from healing and have not freed,
/// and no other thread is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn healing_string_free(string: *mut c_char) -> healing_result {
    ffi_boundary!({
        if string.is_null() {
            return Ok(());
        }
        let kind = unregister(
            string as usize,
            "string",
            |kind| matches!(kind, Kind::String { .. }),
            "string",
        )?;
        if let Kind::String { len } = kind {
            let bytes = ptr::slice_from_raw_parts_mut(string.cast::<u8>(), len);
            // SAFETY: the registry held this address as a string of `len`
            // bytes, so it is the `Box<[u8]>` of exactly that length that
            // `leak_string` leaked, not yet freed (the removal above makes
            // this the only release).
            drop(unsafe { Box::from_raw(bytes) });
        }
        Ok(())
    })
}
