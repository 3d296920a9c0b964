/*
 * healing.h - the C API of Healing, an open-source clinical library for
 * mental-health care (questionnaire scoring, NHS Talking Therapies outcomes,
 * risk screening of free text, consent ledger, companion pet).
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * Clinical safety: healing computes what the published instruments and the
 * project's documented rules say; it does not make clinical decisions. A risk
 * screen that finds nothing is not evidence of no risk. Show results to a
 * clinician, never in place of one.
 *
 * ======================================================================
 * CONVENTIONS (they hold for every function unless its comment says otherwise)
 * ======================================================================
 *
 * Linking
 *   Shared: -lhealing (libhealing.so / libhealing.dylib / healing.dll).
 *   Static: libhealing.a, plus the system libraries Rust's standard library
 *   needs; on Linux: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc.
 *   The header is C99 and C++ (every declaration is inside extern "C").
 *
 * Names
 *   Every symbol starts with healing_ and every macro with HEALING_.
 *
 * Results
 *   Every function returns a healing_result (uint32_t). HEALING_OK (0) is
 *   success; anything else is an error, and outputs hold nothing useful.
 *   The exceptions are healing_version(), healing_last_error() and
 *   healing_result_name(), which cannot fail and return a static or borrowed
 *   string. Codes are never renumbered or reused; a later minor release may
 *   add codes, so treat unknown codes as failures. Check every result.
 *
 * Error messages
 *   After any call that returns a healing_result, healing_last_error() gives
 *   a NUL-terminated message on the same thread: why the call failed, or ""
 *   after a success. The pointer is borrowed: valid until the next
 *   healing_ call on that thread that returns a healing_result; copy it to
 *   keep it; never free it. Branch on the code, never on the text.
 *
 * Out-parameters
 *   Results come back through pointer parameters named out_*. None may be
 *   NULL (HEALING_ERR_NULL_PARAMETER). Before doing anything else a function
 *   sets each out-parameter to NULL (pointers) or all zeros (structs), so
 *   after a failure they are safe to free or ignore.
 *
 * Strings in
 *   A string parameter is a pointer and a length in bytes (no NUL terminator
 *   needed; a NUL byte is ordinary data). The bytes must be UTF-8
 *   (HEALING_ERR_INVALID_UTF8 otherwise). The pointer may not be NULL, even
 *   for length 0 (pass "" and 0 for an empty string). Healing reads the
 *   bytes during the call only and never keeps the pointer.
 *
 * Strings out
 *   A char * returned through an out-parameter is NUL-terminated UTF-8,
 *   owned by the caller, and must be released with healing_string_free()
 *   (never free(): healing allocates it). JSON text is compact (no spaces).
 *
 * JSON
 *   Rich data travels as UTF-8 JSON whose shapes are documented per function
 *   and in healing-ffi/README.md. Malformed JSON is HEALING_ERR_INVALID_JSON;
 *   well-formed JSON of the wrong shape is HEALING_ERR_INVALID_ARGUMENT.
 *   Times in JSON are RFC 3339 strings (2026-03-01T09:30:00Z). Output objects
 *   may gain fields in a minor release: ignore fields you do not know.
 *
 * Handles
 *   Stateful objects are opaque handles: healing_engine (instrument registry
 *   and risk rules), healing_ledger (a consent ledger) and healing_pet (a
 *   companion pet). Each has exactly one healing_X_new() and one
 *   healing_X_free(). _free(NULL) does nothing and returns HEALING_OK.
 *   Freeing a pointer that healing did not hand out, freeing twice, or
 *   freeing a handle with the wrong _free returns
 *   HEALING_ERR_UNKNOWN_POINTER and frees nothing; this is best effort
 *   (after a free the same address may be handed out again, so a stale
 *   pointer can then name a new object). Using a handle after freeing it
 *   cannot be detected and is undefined behaviour, as in any C library.
 *
 * Threads
 *   healing_engine is immutable after healing_engine_new(): any number of
 *   threads may use one engine at the same time, with no locking. A
 *   healing_ledger or healing_pet may be used from any thread, but from one
 *   thread at a time (guard it with your own mutex if you share it); its
 *   _free must not overlap another call on it. Error messages are per
 *   thread. Healing starts no threads and keeps no global state besides a
 *   lock-protected table of live allocations (for the _free checks).
 *
 * Failure containment
 *   No function aborts or exits the process. A bug inside healing (a Rust
 *   panic) is caught at the boundary and returned as HEALING_ERR_PANIC; the
 *   Rust runtime also prints one line about it to stderr. A handle whose
 *   call panicked refuses further use (HEALING_ERR_PANIC): free it.
 *
 * No I/O
 *   Healing reads no clock, file, network, environment or randomness. Pass
 *   times in (int64_t Unix seconds or RFC 3339 text); store what comes out.
 *
 * Versions and compatibility
 *   HEALING_VERSION_MAJOR/MINOR/PATCH give this header's version and
 *   healing_version() the library's, as "MAJOR.MINOR.PATCH". A library
 *   works with code built against this header if its MAJOR is the same and
 *   its MINOR is at least HEALING_VERSION_MINOR. From 1.0.0:
 *   - a PATCH release changes no declaration and no documented behaviour
 *     other than fixing bugs;
 *   - a MINOR release may only add: new functions, new handle types, new
 *     healing_result codes, new values of output enums and new bits of
 *     output bitmasks (ignore ones you do not know), new fields in output
 *     JSON, new optional fields in input JSON. Existing functions, struct
 *     layouts, enum and code numbers and JSON field names do not change;
 *   - only a MAJOR release may remove or change any of them.
 *   Before 1.0.0 (now) the C API is a preview: the same rules hold for
 *   PATCH releases, but a 0.MINOR release may change anything, listed in the
 *   release notes. Questionnaire content (items, cut-offs) follows the cited
 *   manuals; a correction to it can come in any release and is always listed.
 */

#ifndef HEALING_H
#define HEALING_H

/* Generated by cbindgen from healing-ffi/src; do not edit by hand. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* Marks functions whose healing_result must be checked (GCC and Clang warn). */
#ifndef HEALING_MUST_USE
#if defined(__GNUC__) || defined(__clang__)
#define HEALING_MUST_USE __attribute__((warn_unused_result))
#else
#define HEALING_MUST_USE
#endif
#endif

/**
 * Major version of this header. A different major version at run time means
 * the library is not compatible with code built against this header.
 */
#define HEALING_VERSION_MAJOR 0

/**
 * Minor version of this header. The library at run time must have the same
 * major and at least this minor version.
 */
#define HEALING_VERSION_MINOR 1

/**
 * Patch version of this header. Patch releases change no declaration.
 */
#define HEALING_VERSION_PATCH 0

/**
 * What happened in a call. Every `healing_*` function that can fail returns one.
 *
 * `HEALING_OK` (0) means success; every other value is an error, and
 * `healing_last_error()` then holds a message naming the parameter and value
 * at fault. Numbers are part of the ABI: a code's number never changes and is
 * never reused for another meaning. New codes may be added in a minor
 * release, so treat any value you do not recognise as a failure.
 *
 * The type is a 32-bit unsigned integer in the ABI (`uint32_t`), whatever
 * size the C compiler picks for enums.
 */
enum healing_result
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The call succeeded and wrote its out-parameters.
     */
    HEALING_OK = 0,
    /**
     * A pointer parameter that must not be NULL was NULL (including the data
     * pointer of an empty string: pass any valid pointer, such as `""`, with
     * length 0).
     */
    HEALING_ERR_NULL_PARAMETER = 1,
    /**
     * A string parameter was not valid UTF-8.
     */
    HEALING_ERR_INVALID_UTF8 = 2,
    /**
     * A JSON parameter was not well-formed JSON (syntax error or truncated).
     */
    HEALING_ERR_INVALID_JSON = 3,
    /**
     * A parameter was well-formed but not acceptable: JSON of the wrong shape
     * (unknown or missing field, wrong type), a number out of range, an
     * unknown enum value, or a length above the documented limit.
     */
    HEALING_ERR_INVALID_ARGUMENT = 4,
    /**
     * A `_free` function was given a pointer that healing did not hand out,
     * that was already freed, or that is a different kind of object. Nothing
     * was freed. (Detection is best effort: see "Handles" at the top of the header.)
     */
    HEALING_ERR_UNKNOWN_POINTER = 5,
    /**
     * A bug inside healing was caught at the API boundary (a Rust panic). No
     * output was written. A handle used in the failing call is unusable
     * afterwards (every later call on it returns this code) and should be
     * freed. Please report it with the `healing_last_error()` message.
     */
    HEALING_ERR_PANIC = 6,
    /**
     * A date-time was not RFC 3339 (e.g. `2026-03-01T09:30:00Z`) or was out
     * of the supported range.
     */
    HEALING_ERR_INVALID_TIMESTAMP = 7,
    /**
     * A person identifier was empty, longer than 128 bytes, or contained
     * white space or control characters.
     */
    HEALING_ERR_INVALID_ID = 8,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum healing_result healing_result;
#else
typedef uint32_t healing_result;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Why the most recent call on this thread failed, as a NUL-terminated UTF-8
 * message, or `""` if it succeeded.
 *
 * Never returns NULL. The pointer is borrowed: it stays valid until the next
 * `healing_*` call on the same thread that returns a `healing_result` (or
 * until the thread exits). Copy the text if you need it longer, and do not
 * free it. Messages are lower-case English naming the parameter and value at
 * fault, e.g. `answer to item 3 of phq9 is 5, above the maximum of 3`; their
 * wording may change in any release, so branch on the `healing_result` code,
 * never on the text. The message is per thread, so calls on other threads
 * never overwrite it. Calling this function does not change the message.
 */
const char *healing_last_error(void);

/**
 * Frees a string that a `healing_*` function returned through an out-parameter.
 *
 * NULL is accepted and does nothing (returns `HEALING_OK`), so you may free
 * an out-parameter unconditionally: failed calls set string out-parameters to
 * NULL. Do not free these strings with `free()`: healing allocates them
 * itself. A pointer that is not a live string from healing (already freed,
 * never returned by healing, or a handle) returns `HEALING_ERR_UNKNOWN_POINTER`
 * and frees nothing; this guard is best effort, because once freed the same
 * address may be handed out again for a new string. Changing the bytes of the
 * string before freeing it is allowed.
 *
 * # Safety
 * `string` is NULL or a pointer you received from healing and have not freed,
 * and no other thread is using it.
 */
healing_result healing_string_free(char *string);

/**
 * The C name of a result code, such as `"HEALING_ERR_INVALID_UTF8"`, for logs.
 *
 * Takes the code as a plain `uint32_t` so that any number is safe to pass:
 * a number that is not a known code gives `"HEALING_ERR_UNKNOWN_CODE"`.
 * Never returns NULL. The string is static: do not free it.
 * Does not change `healing_last_error()`.
 */
const char *healing_result_name(uint32_t code);

/**
 * The library's version as `"MAJOR.MINOR.PATCH"`, e.g. `"0.1.0"`.
 *
 * Compare it with the `HEALING_VERSION_*` macros to check, at start-up, that
 * the library loaded is the one you compiled against (see "Versions and
 * compatibility" above). Never returns NULL. The string is static: do not
 * free it. Does not change `healing_last_error()`.
 */
const char *healing_version(void);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* HEALING_H */
