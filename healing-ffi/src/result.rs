//! The `healing_result` code every C function returns, and its names.

use std::ffi::c_char;

/// What happened in a call. Every `healing_*` function that can fail returns one.
///
/// `HEALING_OK` (0) means success; every other value is an error, and
/// `healing_last_error()` then holds a message naming the parameter and value
/// at fault. Numbers are part of the ABI: a code's number never changes and is
/// never reused for another meaning. New codes may be added in a minor
/// release, so treat any value you do not recognise as a failure.
///
/// The type is a 32-bit unsigned integer in the ABI (`uint32_t`), whatever
/// size the C compiler picks for enums.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum healing_result {
    /// The call succeeded and wrote its out-parameters.
    HEALING_OK = 0,
    /// A pointer parameter that must not be NULL was NULL (including the data
    /// pointer of an empty string: pass any valid pointer, such as `""`, with
    /// length 0).
    HEALING_ERR_NULL_PARAMETER = 1,
    /// A string parameter was not valid UTF-8.
    HEALING_ERR_INVALID_UTF8 = 2,
    /// A JSON parameter was not well-formed JSON (syntax error or truncated).
    HEALING_ERR_INVALID_JSON = 3,
    /// A parameter was well-formed but not acceptable: JSON of the wrong shape
    /// (unknown or missing field, wrong type), a number out of range, an
    /// unknown enum value, or a length above the documented limit.
    HEALING_ERR_INVALID_ARGUMENT = 4,
    /// A `_free` function was given a pointer that healing did not hand out,
    /// that was already freed, or that is a different kind of object. Nothing
    /// was freed. (Detection is best effort: see "Handles" at the top of the header.)
    HEALING_ERR_UNKNOWN_POINTER = 5,
    /// A bug inside healing was caught at the API boundary (a Rust panic). No
    /// output was written. A handle used in the failing call is unusable
    /// afterwards (every later call on it returns this code) and should be
    /// freed. Please report it with the `healing_last_error()` message.
    HEALING_ERR_PANIC = 6,
    /// A time parameter (`int64_t` Unix seconds) is outside the calendar
    /// range healing supports. (Times inside JSON are checked with the rest
    /// of the JSON: `HEALING_ERR_INVALID_ARGUMENT`.)
    HEALING_ERR_INVALID_TIMESTAMP = 7,
    /// No questionnaire in the registry has the instrument id given.
    HEALING_ERR_UNKNOWN_INSTRUMENT = 8,
    /// Answers do not fit the questionnaire: wrong number of answers, a value
    /// outside an item's options, a required item left blank, or more blanks
    /// than the instrument allows. The message names the item (1-based).
    HEALING_ERR_INVALID_ANSWERS = 9,
    /// A course of care is not coherent: sessions out of time order, a
    /// measure recorded twice at one session, or a score outside its measure's
    /// range. The message names the session (1-based).
    HEALING_ERR_INVALID_COURSE = 10,
    /// A consent event contradicts the ledger (another person's event, an
    /// event earlier than the latest one, withdrawing what was never granted,
    /// granting what is already granted with the same wording, ...). The
    /// ledger is unchanged.
    HEALING_ERR_CONSENT_REJECTED = 11,
    /// A pet event cannot happen now (not enough coins, an item not owned,
    /// an adventure not yet over, ...), or a stored pet state breaks the
    /// pet's rules. The pet is unchanged. Show the message to the person.
    HEALING_ERR_PET_REJECTED = 12,
    /// Local risk-screening rules given to `healing_engine_new` could not be
    /// compiled; the message names the line at fault.
    HEALING_ERR_INVALID_RULES = 13,
    /// A FHIR resource is not one healing can read: wrong `resourceType`, a
    /// status other than completed or amended, a missing element, an item or
    /// answer the questionnaire does not have. The message names the JSON
    /// path (e.g. `item[3].answer[0]`).
    HEALING_ERR_INVALID_FHIR = 14,
    /// A plugin file or folder could not be read or written (the message names
    /// the path and what the operating system said).
    HEALING_ERR_PLUGIN_IO = 15,
    /// A plugin could not be installed or loaded: its manifest is invalid, its
    /// file's SHA-256 differs from the manifest's, its precompiled artifact is
    /// not one this host produced (reinstall it), it does not compile, it is
    /// not a Healing plugin or not of the world its manifest says, it asks for
    /// limits above the operator's ceiling, its JSON Schema is not supported,
    /// or it could not be instantiated. Other plugins are unaffected. Also
    /// `healing_engine_new_with_plugins` while a plugin
    /// `healing_plugin_load_folder` refused has not loaded since (the message
    /// names each such plugin).
    HEALING_ERR_PLUGIN_REFUSED = 16,
    /// A plugin was built for a `healing:plugin` contract version this host does
    /// not support; the message names its version and the supported ones.
    /// Refused at load, before any call.
    HEALING_ERR_PLUGIN_CONTRACT = 17,
    /// A plugin imports a capability (files, sockets, clocks, randomness, ...)
    /// that was not granted, or its manifest asks for one the operator did
    /// not allow. Refused at load, before any call.
    HEALING_ERR_PLUGIN_CAPABILITY = 18,
    /// A plugin call ran past its deadline (or, in tests, used up its fuel)
    /// and was stopped; its instance was discarded.
    HEALING_ERR_PLUGIN_TIMEOUT = 19,
    /// A plugin call tried to grow its memory past its cap and was stopped;
    /// its instance was discarded.
    HEALING_ERR_PLUGIN_MEMORY_LIMIT = 20,
    /// A plugin call trapped (a panic in the plugin, unreachable code, an
    /// out-of-bounds access); its instance was discarded and the next call
    /// starts on a fresh one.
    HEALING_ERR_PLUGIN_TRAP = 21,
    /// A plugin returned output that breaks the contract (a span outside the
    /// text, an undeclared category, JSON that does not parse) or more output
    /// than its cap.
    HEALING_ERR_PLUGIN_MALFORMED_OUTPUT = 22,
    /// A CBT tool's input does not match the JSON Schema the tool declares
    /// (fix the input), or its output does not match its output schema (the
    /// plugin's fault). The message says which and where.
    HEALING_ERR_PLUGIN_SCHEMA = 23,
    /// The plugin itself declined the call with an error of its own (for
    /// example an input it cannot handle); the message carries its kind and text.
    HEALING_ERR_PLUGIN_REPORTED = 24,
    /// The plugin was disabled after failing repeatedly and refuses calls until
    /// `healing_plugin_enable`; the message gives the reason.
    HEALING_ERR_PLUGIN_DISABLED = 25,
    /// No plugin with the id given is loaded in the host, or it is of the other
    /// world (a risk rule where a CBT tool was asked for).
    HEALING_ERR_UNKNOWN_PLUGIN = 26,
    /// The plugin host itself could not start (the WebAssembly engine could
    /// not be configured, or its deadline thread could not start), or a call
    /// found every instance slot busy for its whole deadline (too many plugin
    /// calls at once).
    HEALING_ERR_PLUGIN_HOST = 27,
}

impl healing_result {
    /// Every code, in number order; the tests check names and numbers against it.
    pub(crate) const ALL: [healing_result; 28] = [
        healing_result::HEALING_OK,
        healing_result::HEALING_ERR_NULL_PARAMETER,
        healing_result::HEALING_ERR_INVALID_UTF8,
        healing_result::HEALING_ERR_INVALID_JSON,
        healing_result::HEALING_ERR_INVALID_ARGUMENT,
        healing_result::HEALING_ERR_UNKNOWN_POINTER,
        healing_result::HEALING_ERR_PANIC,
        healing_result::HEALING_ERR_INVALID_TIMESTAMP,
        healing_result::HEALING_ERR_UNKNOWN_INSTRUMENT,
        healing_result::HEALING_ERR_INVALID_ANSWERS,
        healing_result::HEALING_ERR_INVALID_COURSE,
        healing_result::HEALING_ERR_CONSENT_REJECTED,
        healing_result::HEALING_ERR_PET_REJECTED,
        healing_result::HEALING_ERR_INVALID_RULES,
        healing_result::HEALING_ERR_INVALID_FHIR,
        healing_result::HEALING_ERR_PLUGIN_IO,
        healing_result::HEALING_ERR_PLUGIN_REFUSED,
        healing_result::HEALING_ERR_PLUGIN_CONTRACT,
        healing_result::HEALING_ERR_PLUGIN_CAPABILITY,
        healing_result::HEALING_ERR_PLUGIN_TIMEOUT,
        healing_result::HEALING_ERR_PLUGIN_MEMORY_LIMIT,
        healing_result::HEALING_ERR_PLUGIN_TRAP,
        healing_result::HEALING_ERR_PLUGIN_MALFORMED_OUTPUT,
        healing_result::HEALING_ERR_PLUGIN_SCHEMA,
        healing_result::HEALING_ERR_PLUGIN_REPORTED,
        healing_result::HEALING_ERR_PLUGIN_DISABLED,
        healing_result::HEALING_ERR_UNKNOWN_PLUGIN,
        healing_result::HEALING_ERR_PLUGIN_HOST,
    ];

    /// The code's C name, NUL-terminated.
    pub(crate) const fn name(self) -> &'static std::ffi::CStr {
        match self {
            healing_result::HEALING_OK => c"HEALING_OK",
            healing_result::HEALING_ERR_NULL_PARAMETER => c"HEALING_ERR_NULL_PARAMETER",
            healing_result::HEALING_ERR_INVALID_UTF8 => c"HEALING_ERR_INVALID_UTF8",
            healing_result::HEALING_ERR_INVALID_JSON => c"HEALING_ERR_INVALID_JSON",
            healing_result::HEALING_ERR_INVALID_ARGUMENT => c"HEALING_ERR_INVALID_ARGUMENT",
            healing_result::HEALING_ERR_UNKNOWN_POINTER => c"HEALING_ERR_UNKNOWN_POINTER",
            healing_result::HEALING_ERR_PANIC => c"HEALING_ERR_PANIC",
            healing_result::HEALING_ERR_INVALID_TIMESTAMP => c"HEALING_ERR_INVALID_TIMESTAMP",
            healing_result::HEALING_ERR_UNKNOWN_INSTRUMENT => c"HEALING_ERR_UNKNOWN_INSTRUMENT",
            healing_result::HEALING_ERR_INVALID_ANSWERS => c"HEALING_ERR_INVALID_ANSWERS",
            healing_result::HEALING_ERR_INVALID_COURSE => c"HEALING_ERR_INVALID_COURSE",
            healing_result::HEALING_ERR_CONSENT_REJECTED => c"HEALING_ERR_CONSENT_REJECTED",
            healing_result::HEALING_ERR_PET_REJECTED => c"HEALING_ERR_PET_REJECTED",
            healing_result::HEALING_ERR_INVALID_RULES => c"HEALING_ERR_INVALID_RULES",
            healing_result::HEALING_ERR_INVALID_FHIR => c"HEALING_ERR_INVALID_FHIR",
            healing_result::HEALING_ERR_PLUGIN_IO => c"HEALING_ERR_PLUGIN_IO",
            healing_result::HEALING_ERR_PLUGIN_REFUSED => c"HEALING_ERR_PLUGIN_REFUSED",
            healing_result::HEALING_ERR_PLUGIN_CONTRACT => c"HEALING_ERR_PLUGIN_CONTRACT",
            healing_result::HEALING_ERR_PLUGIN_CAPABILITY => c"HEALING_ERR_PLUGIN_CAPABILITY",
            healing_result::HEALING_ERR_PLUGIN_TIMEOUT => c"HEALING_ERR_PLUGIN_TIMEOUT",
            healing_result::HEALING_ERR_PLUGIN_MEMORY_LIMIT => c"HEALING_ERR_PLUGIN_MEMORY_LIMIT",
            healing_result::HEALING_ERR_PLUGIN_TRAP => c"HEALING_ERR_PLUGIN_TRAP",
            healing_result::HEALING_ERR_PLUGIN_MALFORMED_OUTPUT => {
                c"HEALING_ERR_PLUGIN_MALFORMED_OUTPUT"
            }
            healing_result::HEALING_ERR_PLUGIN_SCHEMA => c"HEALING_ERR_PLUGIN_SCHEMA",
            healing_result::HEALING_ERR_PLUGIN_REPORTED => c"HEALING_ERR_PLUGIN_REPORTED",
            healing_result::HEALING_ERR_PLUGIN_DISABLED => c"HEALING_ERR_PLUGIN_DISABLED",
            healing_result::HEALING_ERR_UNKNOWN_PLUGIN => c"HEALING_ERR_UNKNOWN_PLUGIN",
            healing_result::HEALING_ERR_PLUGIN_HOST => c"HEALING_ERR_PLUGIN_HOST",
        }
    }
}

/// The C name of a result code, such as `"HEALING_ERR_INVALID_UTF8"`, for logs.
///
/// Takes the code as a plain `uint32_t` so that any number is safe to pass:
/// a number that is not a known code gives `"HEALING_ERR_UNKNOWN_CODE"`.
/// Never returns NULL. The string is static: do not free it.
/// Does not change `healing_last_error()`.
#[unsafe(no_mangle)]
pub extern "C" fn healing_result_name(code: u32) -> *const c_char {
    ffi_boundary!(value_on_panic: c"HEALING_ERR_UNKNOWN_CODE".as_ptr(); {
        let known = healing_result::ALL.iter().find(|known| **known as u32 == code);
        known.map_or(c"HEALING_ERR_UNKNOWN_CODE", |known| known.name()).as_ptr()
    })
}
