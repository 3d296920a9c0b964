//! The library's version, at compile time (macros) and at run time.

use std::ffi::c_char;

/// Major version of this header. A different major version at run time means
/// the library is not compatible with code built against this header.
pub const HEALING_VERSION_MAJOR: u32 = 0;

/// Minor version of this header. The library at run time must have the same
/// major and at least this minor version.
pub const HEALING_VERSION_MINOR: u32 = 1;

/// Patch version of this header. Patch releases change no declaration.
pub const HEALING_VERSION_PATCH: u32 = 0;

/// The crate version, NUL-terminated for C.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version as `"MAJOR.MINOR.PATCH"`, e.g. `"0.1.0"`.
///
/// Compare it with the `HEALING_VERSION_*` macros to check, at start-up, that
/// the library loaded is the one you compiled against (see "Versions and
/// compatibility" above). Never returns NULL. The string is static: do not
/// free it. Does not change `healing_last_error()`.
#[unsafe(no_mangle)]
pub extern "C" fn healing_version() -> *const c_char {
    ffi_boundary!(value_on_panic: c"".as_ptr(); { VERSION.as_ptr().cast::<c_char>() })
}
