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
 *   and risk rules), healing_ledger (a consent ledger), healing_pet (a
 *   companion pet) and healing_plugin_host (WebAssembly plugins). Each
 *   has exactly one healing_X_new() and one healing_X_free(). _free(NULL)
 *   does nothing and returns HEALING_OK.
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
 *   _free must not overlap another call on it. A healing_plugin_host may be
 *   used by any number of threads at once (it locks inside). Error messages
 *   are per thread. Healing's only global state is a lock-protected table
 *   of live allocations (for the _free checks) and the built-in UK crisis
 *   directory, parsed once on first use (thread-safely) and read-only after
 *   that; it starts no threads except one per healing_plugin_host, which
 *   times plugin calls.
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
 *   The one exception is the plugin host (healing_plugin_*, in a library
 *   built with the `plugins` feature): it reads and writes the plugin
 *   folders you name and times each plugin call against its deadline.
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
 * Category bit in `healing_assessment.categories`: thoughts of suicide, a
 * plan, or an attempt.
 */
#define HEALING_CATEGORY_SUICIDE (1 << 0)

/**
 * Category bit: self-harm (urges, acts, injuries).
 */
#define HEALING_CATEGORY_SELF_HARM (1 << 1)

/**
 * Category bit: a threat or intent to hurt another person.
 */
#define HEALING_CATEGORY_HARM_TO_OTHERS (1 << 2)

/**
 * Category bit: the writer, a child or a vulnerable adult is being abused,
 * neglected, exploited or is unsafe.
 */
#define HEALING_CATEGORY_SAFEGUARDING (1 << 3)

/**
 * Category bit: the concern is about someone other than the writer (always
 * with the bit of that person's risk).
 */
#define HEALING_CATEGORY_THIRD_PARTY (1 << 4)

/**
 * An answer value meaning "this item was left blank" in `healing_score_answers`.
 */
#define HEALING_ANSWER_BLANK -1

/**
 * Flag bit in `healing_score.flags`: an answer reports thoughts of
 * self-harm, suicide or death (PHQ-9 item 9, EPDS item 10, CORE-10 item 6,
 * C-SSRS items 1 and 2). Route the result to a clinician whatever the total.
 */
#define HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS (1 << 0)

/**
 * Flag bit: the C-SSRS screener triage level is low, moderate or high
 * (`healing_score.suicide_risk` says which). Route to a clinician.
 */
#define HEALING_SCORE_FLAG_SUICIDE_RISK (1 << 1)

/**
 * Flag bit: a screening questionnaire is positive (PHQ-2, GAD-2, AUDIT-C).
 */
#define HEALING_SCORE_FLAG_SCREEN_POSITIVE (1 << 2)

/**
 * Flag bit: the score is at or above the instrument's clinical cut-off.
 */
#define HEALING_SCORE_FLAG_CLINICAL_RANGE (1 << 3)

/**
 * Flag bit: the PCL-5 answers meet the DSM-5 symptom pattern for
 * provisional PTSD.
 */
#define HEALING_SCORE_FLAG_PROVISIONAL_PTSD (1 << 4)

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
     * A time parameter (`int64_t` Unix seconds) is outside the calendar
     * range healing supports. (Times inside JSON are checked with the rest
     * of the JSON: `HEALING_ERR_INVALID_ARGUMENT`.)
     */
    HEALING_ERR_INVALID_TIMESTAMP = 7,
    /**
     * No questionnaire in the registry has the instrument id given.
     */
    HEALING_ERR_UNKNOWN_INSTRUMENT = 8,
    /**
     * Answers do not fit the questionnaire: wrong number of answers, a value
     * outside an item's options, a required item left blank, or more blanks
     * than the instrument allows. The message names the item (1-based).
     */
    HEALING_ERR_INVALID_ANSWERS = 9,
    /**
     * A course of care is not coherent: sessions out of time order, a
     * measure recorded twice at one session, or a score outside its measure's
     * range. The message names the session (1-based).
     */
    HEALING_ERR_INVALID_COURSE = 10,
    /**
     * A consent event contradicts the ledger (another person's event, an
     * event earlier than the latest one, withdrawing what was never granted,
     * granting what is already granted with the same wording, ...). The
     * ledger is unchanged.
     */
    HEALING_ERR_CONSENT_REJECTED = 11,
    /**
     * A pet event cannot happen now (not enough coins, an item not owned,
     * an adventure not yet over, ...), or a stored pet state breaks the
     * pet's rules. The pet is unchanged. Show the message to the person.
     */
    HEALING_ERR_PET_REJECTED = 12,
    /**
     * Local risk-screening rules given to `healing_engine_new` could not be
     * compiled; the message names the line at fault.
     */
    HEALING_ERR_INVALID_RULES = 13,
    /**
     * A FHIR resource is not one healing can read: wrong `resourceType`, a
     * status other than completed or amended, a missing element, an item or
     * answer the questionnaire does not have. The message names the JSON
     * path (e.g. `item[3].answer[0]`).
     */
    HEALING_ERR_INVALID_FHIR = 14,
    /**
     * A plugin file or folder could not be read or written (the message names
     * the path and what the operating system said).
     */
    HEALING_ERR_PLUGIN_IO = 15,
    /**
     * A plugin could not be installed or loaded: its manifest is invalid, its
     * file's SHA-256 differs from the manifest's, its precompiled artifact is
     * not one this host produced (reinstall it), it does not compile, it is
     * not a Healing plugin or not of the world its manifest says, it asks for
     * limits above the operator's ceiling, its JSON Schema is not supported,
     * or it could not be instantiated. Other plugins are unaffected. Also
     * `healing_engine_new_with_plugins` while a plugin
     * `healing_plugin_load_folder` refused has not loaded since (the message
     * names each such plugin).
     */
    HEALING_ERR_PLUGIN_REFUSED = 16,
    /**
     * A plugin was built for a `healing:plugin` contract version this host does
     * not support; the message names its version and the supported ones.
     * Refused at load, before any call.
     */
    HEALING_ERR_PLUGIN_CONTRACT = 17,
    /**
     * A plugin imports a capability (files, sockets, clocks, randomness, ...)
     * that was not granted, or its manifest asks for one the operator did
     * not allow. Refused at load, before any call.
     */
    HEALING_ERR_PLUGIN_CAPABILITY = 18,
    /**
     * A plugin call ran past its deadline (or, in tests, used up its fuel)
     * and was stopped; its instance was discarded.
     */
    HEALING_ERR_PLUGIN_TIMEOUT = 19,
    /**
     * A plugin call tried to grow its memory past its cap and was stopped;
     * its instance was discarded.
     */
    HEALING_ERR_PLUGIN_MEMORY_LIMIT = 20,
    /**
     * A plugin call trapped (a panic in the plugin, unreachable code, an
     * out-of-bounds access); its instance was discarded and the next call
     * starts on a fresh one.
     */
    HEALING_ERR_PLUGIN_TRAP = 21,
    /**
     * A plugin returned output that breaks the contract (a span outside the
     * text, an undeclared category, JSON that does not parse) or more output
     * than its cap.
     */
    HEALING_ERR_PLUGIN_MALFORMED_OUTPUT = 22,
    /**
     * A CBT tool's input does not match the JSON Schema the tool declares
     * (fix the input), or its output does not match its output schema (the
     * plugin's fault). The message says which and where.
     */
    HEALING_ERR_PLUGIN_SCHEMA = 23,
    /**
     * The plugin itself declined the call with an error of its own (for
     * example an input it cannot handle); the message carries its kind and text.
     */
    HEALING_ERR_PLUGIN_REPORTED = 24,
    /**
     * The plugin was disabled after failing repeatedly and refuses calls until
     * `healing_plugin_enable`; the message gives the reason.
     */
    HEALING_ERR_PLUGIN_DISABLED = 25,
    /**
     * No plugin with the id given is loaded in the host, or it is of the other
     * world (a risk rule where a CBT tool was asked for).
     */
    HEALING_ERR_UNKNOWN_PLUGIN = 26,
    /**
     * The plugin host itself could not start (the WebAssembly engine could
     * not be configured, or its deadline thread could not start), or a call
     * found every instance slot busy for its whole deadline (too many plugin
     * calls at once).
     */
    HEALING_ERR_PLUGIN_HOST = 27,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum healing_result healing_result;
#else
typedef uint32_t healing_result;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * What a person's data may be used for: the `purpose` argument of
 * `healing_ledger_is_allowed`. In JSON the same purposes are the strings in
 * brackets.
 */
enum healing_purpose
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Providing the person's care and treatment in the app (`"care"`).
     */
    HEALING_PURPOSE_CARE = 0,
    /**
     * Sharing entries and scores with their assigned clinician (`"clinician_sharing"`).
     */
    HEALING_PURPOSE_CLINICIAN_SHARING = 1,
    /**
     * Sending their messages to the AI chat companion (`"ai_chat"`).
     */
    HEALING_PURPOSE_AI_CHAT = 2,
    /**
     * Using their pseudonymised data in research (`"research"`).
     */
    HEALING_PURPOSE_RESEARCH = 3,
    /**
     * Sending them notifications by email (`"email_notifications"`).
     */
    HEALING_PURPOSE_EMAIL_NOTIFICATIONS = 4,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum healing_purpose healing_purpose;
#else
typedef uint32_t healing_purpose;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The severity band of a score (`healing_score.band`). Which bands an
 * instrument uses, and their cut-offs with sources, are in its definition
 * (`healing_instrument_json`). New bands may be added in a minor release.
 */
enum healing_band
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * The instrument defines no bands.
     */
    HEALING_BAND_NONE = 0,
    /**
     * Minimal symptoms.
     */
    HEALING_BAND_MINIMAL = 1,
    /**
     * Mild.
     */
    HEALING_BAND_MILD = 2,
    /**
     * Moderate.
     */
    HEALING_BAND_MODERATE = 3,
    /**
     * Moderately severe.
     */
    HEALING_BAND_MODERATELY_SEVERE = 4,
    /**
     * Severe.
     */
    HEALING_BAND_SEVERE = 5,
    /**
     * Below the clinical range (CORE-10).
     */
    HEALING_BAND_NON_CLINICAL = 6,
    /**
     * Subclinical functional impairment (WSAS).
     */
    HEALING_BAND_SUBCLINICAL = 7,
    /**
     * Significant functional impairment (WSAS).
     */
    HEALING_BAND_SIGNIFICANT_IMPAIRMENT = 8,
    /**
     * Moderately severe or worse impairment (WSAS).
     */
    HEALING_BAND_MODERATELY_SEVERE_IMPAIRMENT = 9,
    /**
     * Low somatic symptom severity (PHQ-15).
     */
    HEALING_BAND_LOW = 10,
    /**
     * Medium somatic symptom severity (PHQ-15).
     */
    HEALING_BAND_MEDIUM = 11,
    /**
     * High somatic symptom severity (PHQ-15).
     */
    HEALING_BAND_HIGH = 12,
    /**
     * AUDIT zone I.
     */
    HEALING_BAND_LOWER_RISK = 13,
    /**
     * AUDIT zone II.
     */
    HEALING_BAND_INCREASING_RISK = 14,
    /**
     * AUDIT zone III.
     */
    HEALING_BAND_HIGHER_RISK = 15,
    /**
     * AUDIT zone IV.
     */
    HEALING_BAND_POSSIBLE_DEPENDENCE = 16,
    /**
     * Below the screening threshold (EPDS).
     */
    HEALING_BAND_BELOW_THRESHOLD = 17,
    /**
     * Possible depression (EPDS).
     */
    HEALING_BAND_POSSIBLE_DEPRESSION = 18,
    /**
     * Probable depression (EPDS).
     */
    HEALING_BAND_PROBABLE_DEPRESSION = 19,
    /**
     * C-SSRS screener: no suicidal ideation or behaviour reported.
     */
    HEALING_BAND_NO_RISK_IDENTIFIED = 20,
    /**
     * C-SSRS screener: low risk.
     */
    HEALING_BAND_LOW_RISK = 21,
    /**
     * C-SSRS screener: moderate risk.
     */
    HEALING_BAND_MODERATE_RISK = 22,
    /**
     * C-SSRS screener: high risk.
     */
    HEALING_BAND_HIGH_RISK = 23,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum healing_band healing_band;
#else
typedef uint32_t healing_band;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The C-SSRS screener triage level (`healing_score.suicide_risk`).
 * Ordered: a larger number is more urgent.
 */
enum healing_suicide_risk
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * No C-SSRS risk flag (every other instrument, or no risk reported).
     */
    HEALING_SUICIDE_RISK_NONE = 0,
    /**
     * Wish to be dead or non-specific active thoughts only.
     */
    HEALING_SUICIDE_RISK_LOW = 1,
    /**
     * Thoughts with a method, or suicidal behaviour more than 3 months ago.
     */
    HEALING_SUICIDE_RISK_MODERATE = 2,
    /**
     * Intent, a plan with intent, or suicidal behaviour in the past 3 months.
     */
    HEALING_SUICIDE_RISK_HIGH = 3,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum healing_suicide_risk healing_suicide_risk;
#else
typedef uint32_t healing_suicide_risk;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * How urgently a human should see a text (`healing_assessment.level`).
 * Ordered: compare with `>=`. Levels route a message to people (crisis
 * resources on screen, a clinician alert); they never predict suicide and
 * are never a reason to withhold care (NICE NG225, 2022, 1.5.12-1.5.13).
 */
enum healing_risk_level
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * No risk content about the writer (small talk, idioms, clear negation,
     * fiction or quotes about something else).
     */
    HEALING_RISK_NONE = 0,
    /**
     * Distress or low mood with no risk indicator, or clearly past risk.
     */
    HEALING_RISK_LOW = 1,
    /**
     * A passive wish to be dead, hopelessness with entrapment, resisted
     * urges to self-harm, worry about someone else, ambiguous risk talk.
     */
    HEALING_RISK_MEDIUM = 2,
    /**
     * Current suicidal thoughts without a stated plan, recent self-harm,
     * being harmed or unsafe at home, a threat to hurt someone without a plan.
     */
    HEALING_RISK_HIGH = 3,
    /**
     * Intent with a plan, means, time or place; an attempt under way;
     * goodbye messages; imminent danger to others with intent.
     */
    HEALING_RISK_CRITICAL = 4,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum healing_risk_level healing_risk_level;
#else
typedef uint32_t healing_risk_level;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Whether a FHIR export copies the person's own words (the `free_text`
 * argument of `healing_fhir_safety_alert`).
 */
enum healing_free_text
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * Copy them: for care, where the clinician reads them.
     */
    HEALING_FREE_TEXT_INCLUDE = 0,
    /**
     * Leave them out: for research, where free text can identify a person.
     */
    HEALING_FREE_TEXT_OMIT = 1,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum healing_free_text healing_free_text;
#else
typedef uint32_t healing_free_text;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * Which kind of FHIR `Bundle` `healing_fhir_export_bundle` writes.
 */
enum healing_bundle_kind
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : uint32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
    /**
     * `collection`: a document to hand over as it is.
     */
    HEALING_BUNDLE_COLLECTION = 0,
    /**
     * `transaction`: each entry a `PUT Type/id`, to load into a FHIR server
     * in one all-or-nothing request (loading it twice updates, not duplicates).
     */
    HEALING_BUNDLE_TRANSACTION = 1,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum healing_bundle_kind healing_bundle_kind;
#else
typedef uint32_t healing_bundle_kind;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

/**
 * The clinical engine: the built-in questionnaire registry (PHQ-9, GAD-7 and
 * the other instruments healing scores), the compiled risk-screening rules
 * and the crisis-resource directory (UK).
 *
 * Build one with `healing_engine_new` at start-up and share it: it never
 * changes after creation, so any number of threads may use one engine at the
 * same time without locking. Free it with `healing_engine_free` once no
 * thread uses it.
 */
typedef struct healing_engine healing_engine;

/**
 * One person's consent ledger: an append-only, time-ordered record of their
 * consent decisions, asked "may this person's data be used for this purpose
 * at this time?".
 *
 * Created by `healing_ledger_new`, freed by `healing_ledger_free`. One thread
 * at a time: it may move between threads, but calls on one ledger must not
 * overlap (use your own mutex to share it).
 */
typedef struct healing_ledger healing_ledger;

/**
 * One companion pet: its stats, coins, items and daily rewards.
 *
 * Created by `healing_pet_new` (from stored JSON; adopt a new pet with
 * `healing_pet_adopt_json`), freed by `healing_pet_free`. One thread at a
 * time: it may move between threads, but calls on one pet must not overlap.
 */
typedef struct healing_pet healing_pet;

/**
 * A plugin host: one sandboxed WebAssembly engine and the plugins loaded into
 * it, by id.
 *
 * Created by `healing_plugin_host_new`, freed by `healing_plugin_host_free`.
 * Any number of threads may use one host at the same time (it locks
 * internally); `_free` must not overlap another call on it. Engines built
 * from it with `healing_engine_new_with_plugins` keep their plugins after the
 * host is freed.
 */
typedef struct healing_plugin_host healing_plugin_host;

/**
 * The result of scoring one questionnaire, as fixed-size fields. The JSON
 * form (`healing_score_answers_json`) adds band labels, subscales and every
 * flag's details.
 */
typedef struct healing_score {
    /**
     * The revision of healing's definition of the instrument used; store it
     * with the score.
     */
    uint32_t instrument_version;
    /**
     * The total (prorated, rounded half up, when `missing_items` > 0).
     * Meaningful only when `has_total`.
     */
    uint32_t total;
    /**
     * A decimal result in hundredths (SWEMWBS metric score, Mobility
     * Inventory mean: 2321 means 23.21). Meaningful only when `has_derived`.
     */
    uint32_t derived_hundredths;
    /**
     * The severity band, a `healing_band` (`HEALING_BAND_NONE` when the
     * instrument has no bands).
     */
    uint32_t band;
    /**
     * `HEALING_SCORE_FLAG_*` bits. Unknown bits may appear in later minor
     * releases: ignore them.
     */
    uint32_t flags;
    /**
     * The 1-based item whose answer raised
     * `HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS` (the first, if several), or 0.
     */
    uint32_t self_harm_item;
    /**
     * The answer given to `self_harm_item`, or 0.
     */
    uint32_t self_harm_answer;
    /**
     * The C-SSRS triage level, a `healing_suicide_risk`.
     */
    uint32_t suicide_risk;
    /**
     * How many blank items the total was prorated over (0 when complete).
     */
    uint32_t missing_items;
    /**
     * Whether the instrument gives a total (false for the Mobility
     * Inventory mean and the C-SSRS triage).
     */
    bool has_total;
    /**
     * Whether `derived_hundredths` holds a value.
     */
    bool has_derived;
    /**
     * Whether a flag says a clinician must see this result whatever the
     * total (thoughts of self-harm, or any C-SSRS risk level).
     */
    bool needs_clinician_review;
} healing_score;

/**
 * The summary of one risk assessment, as fixed-size fields. The JSON form
 * (`healing_assess_json`) adds each finding's rule, byte span and reason,
 * notes, and the rules version.
 */
typedef struct healing_assessment {
    /**
     * The highest level any finding supports, a `healing_risk_level`.
     */
    uint32_t level;
    /**
     * `HEALING_CATEGORY_*` bits of the findings at medium or above (0 when
     * the level is below medium). Unknown bits may appear in later minor
     * releases: treat them as "some other risk".
     */
    uint32_t categories;
    /**
     * How many findings (pieces of evidence) support the assessment.
     */
    size_t finding_count;
} healing_assessment;

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
 * Creates a ledger from its stored JSON: `{"person": "<id>", "events": [...]}`
 * (what `healing_ledger_to_json` writes). For a person with no decisions yet,
 * pass `{"person": "patient-0042", "events": []}`.
 *
 * The events are checked in order exactly as `healing_ledger_append` checks
 * them, so a stored history that breaks the rules is refused, naming the
 * first bad event (counting from 0). Event shape: see `healing_ledger_append`.
 *
 * On success `*out_ledger` is a new ledger you free with
 * `healing_ledger_free`; on failure it is NULL.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (wrong shape,
 * unknown field, bad id or time), `HEALING_ERR_CONSENT_REJECTED`.
 *
 * # Safety
 * `ledger_json` points to `ledger_json_len` readable bytes; `out_ledger` is
 * a writable `healing_ledger *`.
 */
HEALING_MUST_USE
healing_result healing_ledger_new(const char *ledger_json,
                                  size_t ledger_json_len,
                                  struct healing_ledger **out_ledger);

/**
 * Frees a ledger. NULL does nothing. A pointer that is not a live ledger
 * (already freed, or another kind of handle) returns
 * `HEALING_ERR_UNKNOWN_POINTER` and frees nothing (best effort: see
 * "Handles" at the top of this header).
 *
 * # Safety
 * `ledger` is NULL or a ledger from `healing_ledger_new` that no other call
 * is using.
 */
healing_result healing_ledger_free(struct healing_ledger *ledger);

/**
 * Appends one consent event, after checking it against the ledger; a
 * rejected event leaves the ledger unchanged.
 *
 * `event_json` (UTF-8, `event_json_len` bytes):
 *
 * ```json
 * {"person": "patient-0042", "purpose": "research", "decision": "grant",
 *  "at": "2026-03-01T09:00:00Z", "wording_version": "research-v2",
 *  "recorded_by": "subject"}
 * ```
 *
 * `decision` is `grant` or `withdraw`; `recorded_by` is `"subject"` or
 * `{"staff": "<staff id>"}`; `wording_version` is 1 to 64 ASCII letters,
 * digits, `-`, `_` or `.` naming the consent text shown.
 *
 * Refused with `HEALING_ERR_CONSENT_REJECTED`: an event for another person,
 * staff recording under the person's own id, an event earlier than the
 * latest one, two events for one purpose at the same instant, withdrawing
 * what was never granted or is already withdrawn, granting what is already
 * granted with the same wording. Other errors: `HEALING_ERR_NULL_PARAMETER`,
 * `HEALING_ERR_INVALID_UTF8`, `HEALING_ERR_INVALID_JSON`,
 * `HEALING_ERR_INVALID_ARGUMENT`, `HEALING_ERR_PANIC`.
 *
 * # Safety
 * `ledger` is a live ledger used by no other call during this one;
 * `event_json` points to `event_json_len` readable bytes.
 */
HEALING_MUST_USE
healing_result healing_ledger_append(struct healing_ledger *ledger,
                                     const char *event_json,
                                     size_t event_json_len);

/**
 * Whether the ledger allows `purpose` (a `healing_purpose` value) at
 * `at_unix_seconds` (seconds since 1970-01-01T00:00:00Z).
 *
 * A grant takes effect at its own instant; a withdrawal takes effect at its
 * own instant and from then on, and earlier instants keep their answer.
 * Nothing is allowed before it is granted. On success `*out_allowed` is the
 * answer; on failure it is `false`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_ARGUMENT`
 * (`purpose` is not a `healing_purpose`), `HEALING_ERR_INVALID_TIMESTAMP`,
 * `HEALING_ERR_PANIC`.
 *
 * # Safety
 * `ledger` is a live ledger not being changed during this call;
 * `out_allowed` is a writable `bool`.
 */
HEALING_MUST_USE
healing_result healing_ledger_is_allowed(const struct healing_ledger *ledger,
                                         uint32_t purpose,
                                         int64_t at_unix_seconds,
                                         bool *out_allowed);

/**
 * The consent state at `at_unix_seconds` as JSON: the grants in force then,
 * one per allowed purpose, with their wording and since when, e.g.
 * `{"at":"2026-04-01T00:00:00Z","grants":[{"purpose":"research",
 * "since":"2026-03-01T09:00:00Z","wording_version":"research-v2",
 * "recorded_by":"subject"}]}`.
 *
 * On success `*out_state_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_TIMESTAMP`,
 * `HEALING_ERR_PANIC`.
 *
 * # Safety
 * `ledger` is a live ledger not being changed during this call;
 * `out_state_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_ledger_state_json(const struct healing_ledger *ledger,
                                         int64_t at_unix_seconds,
                                         char **out_state_json);

/**
 * The whole ledger as JSON, `{"person": "<id>", "events": [...]}`, to store
 * and later pass to `healing_ledger_new`.
 *
 * On success `*out_ledger_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_PANIC`.
 *
 * # Safety
 * `ledger` is a live ledger not being changed during this call;
 * `out_ledger_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_ledger_to_json(const struct healing_ledger *ledger,
                                      char **out_ledger_json);

/**
 * Creates an engine with the built-in questionnaires and risk rules, plus
 * optional local rules.
 *
 * `local_rules` (UTF-8, `local_rules_len` bytes) is extra risk-screening
 * lexicon text for this deployment, in the built-in lexicon's format (see
 * healing-core `safety` docs): sections are added to the built-in ones, and
 * the rules version becomes `<built-in>+<local>`. Pass `""` and 0 for the
 * built-in rules only. Local rules can add findings; they never remove the
 * built-in ones.
 *
 * Building compiles the rules, which takes milliseconds: do it once, not per
 * call. On success `*out_engine` is a new engine you free with
 * `healing_engine_free`; on failure it is NULL.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_RULES` (the message names the line of `local_rules`
 * at fault).
 *
 * # Safety
 * `local_rules` points to `local_rules_len` readable bytes; `out_engine` is
 * a writable `healing_engine *`.
 */
HEALING_MUST_USE
healing_result healing_engine_new(const char *local_rules,
                                  size_t local_rules_len,
                                  struct healing_engine **out_engine);

/**
 * Frees an engine. NULL does nothing. A pointer that is not a live engine
 * (already freed, or another kind of handle) returns
 * `HEALING_ERR_UNKNOWN_POINTER` and frees nothing (best effort: see
 * "Handles" at the top of this header).
 *
 * # Safety
 * `engine` is NULL or an engine from `healing_engine_new` that no thread is
 * using any more.
 */
healing_result healing_engine_free(struct healing_engine *engine);

/**
 * The engine's risk-rules version, e.g. `2026.12.1+model.2026.12.5` (the
 * lexicon's, then the learned reader's; `2026.12.1+local.3+model.2026.12.5`
 * with local rules): record it with every assessment
 * you store, so each result can be traced to the rules that produced it.
 *
 * On success `*out_version` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`.
 *
 * # Safety
 * `engine` is a live engine; `out_version` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_engine_rules_version(const struct healing_engine *engine,
                                            char **out_version);

/**
 * Scores a FHIR R4 `QuestionnaireResponse` that another system sent, and
 * returns the score and the total-score `Observation` to send back.
 *
 * `response_json` (UTF-8) is the resource as JSON. The questionnaire is
 * found from `questionnaire`: healing's canonical
 * (`https://healing.example/fhir/Questionnaire/phq9|1`), LOINC's
 * (`http://loinc.org/q/44249-1`) or a bare LOINC panel code (`44249-1`).
 * Items are matched by `linkId` (LOINC item codes such as `44250-9`, or
 * `item-3`); answers may be a `valueCoding` (LOINC answer code) or a
 * `valueInteger` (the option's value). `status` must be `completed` or
 * `amended`, `subject` a `Patient/<id>` reference, `authored` a date-time
 * with time zone. Which instruments LOINC codes, and every code's source,
 * are in healing-core's `fhir` module documentation.
 *
 * On success `*out_score` holds the score (as from `healing_score_answers`)
 * and `*out_observation_json` is a new FHIR `Observation` (LOINC-coded total,
 * `derivedFrom` the response) that you free with `healing_string_free`. On
 * failure both are zero / NULL.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_UNKNOWN_INSTRUMENT` (a
 * questionnaire healing does not score), `HEALING_ERR_INVALID_ANSWERS`,
 * `HEALING_ERR_INVALID_FHIR` (wrong resource type or status, a missing
 * element, an unknown item or answer: the message names the JSON path, such
 * as `item[3].answer[0]`).
 *
 * # Safety
 * `engine` is a live engine; `response_json` points to `response_json_len`
 * readable bytes; `out_score` is a writable `healing_score`;
 * `out_observation_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_fhir_score_questionnaire_response(const struct healing_engine *engine,
                                                         const char *response_json,
                                                         size_t response_json_len,
                                                         struct healing_score *out_score,
                                                         char **out_observation_json);

/**
 * Turns a risk screen into FHIR R4 resources for the patient's record:
 * a `RiskAssessment` with the evidence, and, at level medium and above, an
 * active safety `Flag` (the alert).
 *
 * `assessment_json` (UTF-8) is an assessment exactly as
 * `healing_assess_json` returned it. `person_id` (UTF-8) is the patient's
 * FHIR id (1 to 64 of `a-z A-Z 0-9 - .`), referenced as `Patient/<id>`.
 * `assessed_at_unix_seconds` is when the text was screened. `free_text` is a
 * `healing_free_text`: `HEALING_FREE_TEXT_INCLUDE` copies each finding's
 * reason, which quotes the person's words (for care);
 * `HEALING_FREE_TEXT_OMIT` writes only the rule names (for research).
 *
 * On success `*out_alert_json` is a new string you free with
 * `healing_string_free`: `{"risk_assessment":{"resourceType":
 * "RiskAssessment",...},"flag":{"resourceType":"Flag",...}}`, with
 * `"flag":null` below level medium. Levels are written with healing's own
 * safety-screen code system, never as a probability (NICE NG225).
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (an
 * assessment of the wrong shape, a person id that is not a FHIR id, an
 * unknown `free_text`), `HEALING_ERR_INVALID_TIMESTAMP`,
 * `HEALING_ERR_INVALID_FHIR`.
 *
 * # Safety
 * `engine` is a live engine; `assessment_json` and `person_id` point to
 * their lengths in readable bytes; `out_alert_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_fhir_safety_alert(const struct healing_engine *engine,
                                         const char *assessment_json,
                                         size_t assessment_json_len,
                                         const char *person_id,
                                         size_t person_id_len,
                                         int64_t assessed_at_unix_seconds,
                                         uint32_t free_text,
                                         char **out_alert_json);

/**
 * Exports one patient's record as a FHIR R4 `Bundle`, signed when a key is
 * given.
 *
 * `export_json` (UTF-8) describes the record; every list may be omitted
 * (empty) and unknown fields are refused:
 * `{"export_id":"export-0042-1","exported_at":"2026-11-27T09:00:00Z",
 * "patient":{"person":"patient-0042","nhs_number":"943 476 5919",
 * "name":{"given":["Ada"],"family":"Lovelace"},"birth_date":"1990-04-12",
 * "gender":"female"},
 * "instruments":[{"instrument":"phq9","answers":[2,2,1,2,1,1,2,1,1],
 * "authored":"2026-11-20T10:15:00Z"}],
 * "mood_entries":[{"day":"2026-11-19","recorded_at":"2026-11-19T21:30:00Z","mood":6}],
 * "consent_events":[...],
 * "safety_assessments":[{"assessment":{...},"assessed_at":"2026-11-20T22:05:00Z",
 * "resolved_at":"2026-11-21T09:30:00Z"}]}`.
 * `export_id` is a FHIR id (1 to 64 of `a-z A-Z 0-9 - .`), the `Bundle.id`
 * and the `Provenance.id`; `patient.person` becomes `Patient/<id>` and must
 * be a FHIR id too; `nhs_number`, `name`, `birth_date` and `gender` may be
 * `null`. `answers` are as for `healing_score_answers_json`; mood entries as
 * in healing's mood diary; consent events as for `healing_ledger_append`, all
 * the patient's own and in order; an `assessment` is exactly as
 * `healing_assess_json` returned it. `resolved_at` (may be omitted or
 * `null`) is when a clinician resolved the alert the assessment raised: its
 * `Flag` is then `inactive` with `period.end` at that time (FHIR R4 Flag,
 * <http://hl7.org/fhir/R4/flag.html>); without it the `Flag` is `active`.
 * A `resolved_at` before `assessed_at` is `HEALING_ERR_INVALID_ARGUMENT`.
 *
 * The Bundle's entries, in order: `Patient`; each instrument's
 * `Questionnaire` once, at its first use; each completed instrument's
 * `QuestionnaireResponse` and total-score `Observation`; one `Consent` per
 * period a purpose was allowed; one `Observation` per mood entry; each
 * assessment's `RiskAssessment` and, at level medium and above, its `Flag`;
 * last, when signed, the `Provenance`.
 *
 * `bundle_kind` is a `healing_bundle_kind`. `free_text` is a
 * `healing_free_text`: whether mood notes and the quotes in safety findings
 * are copied (care) or left out (research).
 *
 * Signing: pass the key id (`key_id`, UTF-8, 1 to 128 bytes) and the shared
 * secret (`secret`, at least 32 bytes) to add a `Provenance` whose HS256
 * JWS covers every other entry (check it with
 * `healing_fhir_verify_provenance`). To export unsigned, pass both with
 * length 0 (the pointers must still not be NULL, e.g. `""`). healing keeps
 * no copy of the secret.
 *
 * On success `*out_bundle_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (wrong shape,
 * an invalid NHS number, id, time or mood entry, a `resolved_at` before its
 * `assessed_at`, an unknown `bundle_kind` or `free_text`, a key id or secret
 * that is not acceptable),
 * `HEALING_ERR_UNKNOWN_INSTRUMENT`, `HEALING_ERR_INVALID_ANSWERS`,
 * `HEALING_ERR_CONSENT_REJECTED` (the consent events break the ledger's
 * rules; the message names the event), `HEALING_ERR_INVALID_FHIR`.
 *
 * # Safety
 * `engine` is a live engine; `export_json`, `key_id` and `secret` point to
 * their lengths in readable bytes; `out_bundle_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_fhir_export_bundle(const struct healing_engine *engine,
                                          const char *export_json,
                                          size_t export_json_len,
                                          uint32_t bundle_kind,
                                          uint32_t free_text,
                                          const char *key_id,
                                          size_t key_id_len,
                                          const char *secret,
                                          size_t secret_len,
                                          char **out_bundle_json);

/**
 * Exports one patient's record as FHIR Bulk Data output: one NDJSON text per
 * resource type and the manifest that lists them.
 *
 * `export_json`, `free_text`, `key_id` and `secret` are as for
 * `healing_fhir_export_bundle`, and the resources are the same, in the same
 * order within each type (the `Provenance`, when signed, is in
 * `Provenance.ndjson`). `request_url` (UTF-8) is the Bulk Data kick-off
 * request this export answers (the manifest's `request`);
 * `output_base_url` (UTF-8) is where you will publish the files: each
 * manifest entry's `url` is `<output_base_url>/<Type>.ndjson`.
 *
 * On success `*out_bulk_json` is a new string you free with
 * `healing_string_free`:
 * `{"manifest":{"transactionTime":"2026-11-27T09:00:00Z","request":"...",
 * "requiresAccessToken":true,"output":[{"type":"Patient","url":
 * ".../Patient.ndjson","count":1},...],"error":[]},
 * "files":{"Consent.ndjson":"{...}\n{...}\n","Patient.ndjson":"{...}\n",...}}`.
 * Each file is the text to store under that name: one resource per line,
 * each line ending in `\n`. Only non-empty files are listed.
 *
 * The C API returns the files as strings because one patient's export is
 * small and a C caller has no Rust writer to give; healing-core's
 * `BulkExport` streams many patients to caller-supplied writers in constant
 * memory, for Rust callers.
 *
 * Errors: as for `healing_fhir_export_bundle`.
 *
 * # Safety
 * `engine` is a live engine; `export_json`, `request_url`,
 * `output_base_url`, `key_id` and `secret` point to their lengths in
 * readable bytes; `out_bulk_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_fhir_export_ndjson(const struct healing_engine *engine,
                                          const char *export_json,
                                          size_t export_json_len,
                                          const char *request_url,
                                          size_t request_url_len,
                                          const char *output_base_url,
                                          size_t output_base_url_len,
                                          uint32_t free_text,
                                          const char *key_id,
                                          size_t key_id_len,
                                          const char *secret,
                                          size_t secret_len,
                                          char **out_bulk_json);

/**
 * Checks the signature of a `Provenance` (as `healing_fhir_export_bundle`
 * writes) against the resources it signs.
 *
 * `provenance_json` (UTF-8) is the `Provenance` resource. `targets_json`
 * (UTF-8) is a JSON array of the signed resources, in the order of the
 * Provenance's `target` list (for an export: every Bundle entry's
 * `resource` before the Provenance, in entry order). `key_id` and `secret`
 * are the key it was signed with.
 *
 * On success `*out_valid` is `true` when the signature matches, and `false`
 * when any value of any target differs from what was signed, a target was
 * added, removed or moved, or the signature itself was altered: treat the
 * data as tampered with. Formatting does not matter (key order, white
 * space, `1.0` for `1`): the signature covers the RFC 8785 canonical JSON.
 *
 * Errors (the signature could not be checked; `*out_valid` is `false`):
 * `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (an empty or
 * unacceptable key, or a signature made with another key id: the message
 * names both), `HEALING_ERR_INVALID_FHIR` (not a Provenance or not an
 * array of resources, no `application/jose` signature, a malformed JWS or
 * an algorithm other than HS256).
 *
 * # Safety
 * `engine` is a live engine; `provenance_json`, `targets_json`, `key_id`
 * and `secret` point to their lengths in readable bytes; `out_valid` is a
 * writable `bool`.
 */
HEALING_MUST_USE
healing_result healing_fhir_verify_provenance(const struct healing_engine *engine,
                                              const char *provenance_json,
                                              size_t provenance_json_len,
                                              const char *targets_json,
                                              size_t targets_json_len,
                                              const char *key_id,
                                              size_t key_id_len,
                                              const char *secret,
                                              size_t secret_len,
                                              bool *out_valid);

/**
 * Checks a detached JWS (`header..signature`, as in a Provenance's
 * `signature.data` once base64-decoded) over any JSON value.
 *
 * `payload_json` (UTF-8) is the signed JSON; `jws` (UTF-8) the compact
 * detached JWS; `key_id` and `secret` the key. `*out_valid` is as for
 * `healing_fhir_verify_provenance`: `false` means the payload or signature
 * was changed; formatting of the payload does not matter.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (key as for
 * `healing_fhir_verify_provenance`), `HEALING_ERR_INVALID_FHIR` (a JWS not
 * of the form `header..signature`, an algorithm other than HS256, a number
 * in the payload with no RFC 8785 form).
 *
 * # Safety
 * `engine` is a live engine; `payload_json`, `jws`, `key_id` and `secret`
 * point to their lengths in readable bytes; `out_valid` is a writable `bool`.
 */
HEALING_MUST_USE
healing_result healing_fhir_verify_jws(const struct healing_engine *engine,
                                       const char *payload_json,
                                       size_t payload_json_len,
                                       const char *jws,
                                       size_t jws_len,
                                       const char *key_id,
                                       size_t key_id_len,
                                       const char *secret,
                                       size_t secret_len,
                                       bool *out_valid);

/**
 * Works out what NHS Talking Therapies reports about one course of care:
 * finished treatment, the paired depression and anxiety measures, caseness,
 * recovery, reliable improvement or deterioration, reliable recovery, and the
 * session-by-session trajectory.
 *
 * `course_json` (UTF-8, `course_json_len` bytes) is one patient's attended
 * appointments, earliest first:
 *
 * ```json
 * {"person": "patient-0042",
 *  "problem_descriptor": "depression",
 *  "sessions": [
 *    {"at": "2026-01-05T10:00:00Z", "kind": "assessment",
 *     "scores": [{"measure": "phq9", "value": 18}, {"measure": "gad7", "value": 15}]},
 *    {"at": "2026-01-12T10:00:00Z", "kind": "treatment", "scores": []}]}
 * ```
 *
 * `problem_descriptor` may be omitted or `null`. Session kinds are
 * `assessment`, `treatment`, `assessment_and_treatment`,
 * `review_and_treatment`, `review_without_treatment`, `other`. Measures and
 * the rest of both shapes are documented in healing-core's `outcomes` module
 * and in healing-ffi/README.md. Scores are numbers or decimal strings with
 * at most two places (`"2.35"`).
 *
 * On success `*out_outcome_json` is a new JSON object (free it with
 * `healing_string_free`), e.g. `{"person":"patient-0042",...,
 * "result":{"status":"measured",...},"trajectory":[...]}`; its `result`
 * carries the outcome categories with their reasoning, or why they cannot
 * be given (not finished treatment, not a case at the start, ...).
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (wrong shape,
 * bad person id or time), `HEALING_ERR_INVALID_COURSE` (sessions out of
 * order, a measure twice in a session, a score out of range).
 *
 * Thread safety: no shared state; call from any thread.
 *
 * # Safety
 * `course_json` points to `course_json_len` readable bytes;
 * `out_outcome_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_talking_therapies_outcome(const char *course_json,
                                                 size_t course_json_len,
                                                 char **out_outcome_json);

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
 * The stored JSON of a newly adopted pet, to pass to `healing_pet_new` and
 * to store.
 *
 * `adoption_json` (UTF-8, `adoption_json_len` bytes) is
 * `{"name": "Biscuit", "species": "hedgehog"}`: a name of 1 to 24
 * characters, not blank and without control characters (healing-core
 * `pet::PetName`), and one of `cat`, `dog`, `rabbit`, `hedgehog`, `owl`,
 * `fox`. `at_unix_seconds` is the moment of adoption.
 *
 * On success `*out_state_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (bad name,
 * unknown species or field), `HEALING_ERR_INVALID_TIMESTAMP`.
 *
 * Thread safety: no shared state; call from any thread.
 *
 * # Safety
 * `adoption_json` points to `adoption_json_len` readable bytes;
 * `out_state_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_pet_adopt_json(const char *adoption_json,
                                      size_t adoption_json_len,
                                      int64_t at_unix_seconds,
                                      char **out_state_json);

/**
 * Creates a pet handle from its stored JSON (from `healing_pet_adopt_json`,
 * `healing_pet_to_json` or `healing_pet_observe_json`).
 *
 * The stored state is checked (stats within range, a worn hat is owned,
 * food within the stack limit, an adventure that returns after it starts);
 * a state that breaks these rules is `HEALING_ERR_INVALID_ARGUMENT`.
 *
 * On success `*out_pet` is a new pet you free with `healing_pet_free`; on
 * failure it is NULL.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT`.
 *
 * # Safety
 * `state_json` points to `state_json_len` readable bytes; `out_pet` is a
 * writable `healing_pet *`.
 */
HEALING_MUST_USE
healing_result healing_pet_new(const char *state_json,
                               size_t state_json_len,
                               struct healing_pet **out_pet);

/**
 * Frees a pet. NULL does nothing. A pointer that is not a live pet (already
 * freed, or another kind of handle) returns `HEALING_ERR_UNKNOWN_POINTER`
 * and frees nothing (best effort: see "Handles" at the top of this header).
 *
 * # Safety
 * `pet` is NULL or a pet from `healing_pet_new` that no other call is using.
 */
healing_result healing_pet_free(struct healing_pet *pet);

/**
 * Applies one event to the pet at `now_unix_seconds`, counting daily caps on
 * the UTC date of that instant. Decay up to `now` is applied first.
 *
 * `event_json` (UTF-8) is one of, e.g., `{"kind":"feed","food":"apple"}`,
 * `{"kind":"play"}`, `{"kind":"clean"}`, `{"kind":"rest"}`,
 * `{"kind":"start_adventure"}`, `{"kind":"collect_adventure"}`,
 * `{"kind":"buy","item":"crown"}`, `{"kind":"wear_hat","hat":"crown"}`,
 * `{"kind":"take_off_hat"}`, `{"kind":"rename","name":"Pip"}`,
 * `{"kind":"complete_activity","activity":"mood_log"}` (full list:
 * healing-core `pet::Event`). `now` must come from a clock you trust (your
 * server), not the person's device, or daily caps could be sidestepped.
 *
 * On success the pet holds its new state and `*out_outcomes_json` is a new
 * JSON array of what happened, in order, for the UI, e.g.
 * `[{"kind":"activity_rewarded",...}]`; free it with
 * `healing_string_free`. On failure the pet is unchanged.
 *
 * Errors: `HEALING_ERR_PET_REJECTED` (e.g. `crown costs 150 coins but the
 * pet has 5`: show the message), `HEALING_ERR_NULL_PARAMETER`,
 * `HEALING_ERR_INVALID_UTF8`, `HEALING_ERR_INVALID_JSON`,
 * `HEALING_ERR_INVALID_ARGUMENT` (unknown kind, food, item or activity),
 * `HEALING_ERR_INVALID_TIMESTAMP`, `HEALING_ERR_PANIC`.
 *
 * # Safety
 * `pet` is a live pet used by no other call during this one; `event_json`
 * points to `event_json_len` readable bytes; `out_outcomes_json` is a
 * writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_pet_step(struct healing_pet *pet,
                                const char *event_json,
                                size_t event_json_len,
                                int64_t now_unix_seconds,
                                char **out_outcomes_json);

/**
 * The pet's stored state as JSON, exactly as held (no decay applied), to
 * store and later pass to `healing_pet_new`.
 *
 * On success `*out_state_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_PANIC`.
 *
 * # Safety
 * `pet` is a live pet not being changed during this call; `out_state_json`
 * is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_pet_to_json(const struct healing_pet *pet,
                                   char **out_state_json);

/**
 * The pet as it is at `now_unix_seconds`, with its stats decayed for the time
 * since its last update (never below their floors), as JSON to show. The
 * handle itself is not changed.
 *
 * On success `*out_state_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_TIMESTAMP`,
 * `HEALING_ERR_PANIC`.
 *
 * # Safety
 * `pet` is a live pet not being changed during this call; `out_state_json`
 * is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_pet_observe_json(const struct healing_pet *pet,
                                        int64_t now_unix_seconds,
                                        char **out_state_json);

/**
 * Starts a plugin host: a sandboxed WebAssembly engine with a deadline
 * thread, and an empty table of plugins.
 *
 * `artifact_key` is 32 secret bytes (`artifact_key_len` must be 32) that
 * authenticate the precompiled artifacts `healing_plugin_install` writes:
 * the host only ever loads native code it produced itself under this key.
 * Keep it secret and the same across restarts (for example in your secret
 * store); with another key, installed plugins must be installed again.
 *
 * `options_json` (UTF-8; `""` and 0 for the defaults) may set
 * `{"allowed_capabilities":["wall_clock","monotonic_clock","random"],
 * "failures_before_disable":3,"fuel_per_call":null,"concurrent_calls":16}`:
 * the capabilities a manifest may ask for (none by default: plugins get no
 * clock, randomness, files, sockets or environment), how many failed calls
 * in a row disable a plugin (at least 1; default 3), a fuel budget per call
 * for deterministic tests (default none: only the wall-clock deadline), and
 * how many plugin instances may run at once (at least 1; default 16; a call
 * beyond that waits for a free one up to its deadline).
 *
 * On success `*out_host` is a new host you free with
 * `healing_plugin_host_free`; on failure it is NULL.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_ARGUMENT`
 * (key not 32 bytes, options of the wrong shape, zero failures),
 * `HEALING_ERR_INVALID_UTF8`, `HEALING_ERR_INVALID_JSON`,
 * `HEALING_ERR_PLUGIN_HOST`.
 *
 * # Safety
 * `artifact_key` and `options_json` point to their lengths in readable
 * bytes; `out_host` is a writable `healing_plugin_host *`.
 */
HEALING_MUST_USE
healing_result healing_plugin_host_new(const uint8_t *artifact_key,
                                       size_t artifact_key_len,
                                       const char *options_json,
                                       size_t options_json_len,
                                       struct healing_plugin_host **out_host);

/**
 * Frees a plugin host. NULL does nothing. A pointer that is not a live host
 * returns `HEALING_ERR_UNKNOWN_POINTER` and frees nothing (best effort: see
 * "Handles" at the top of this header). Engines built from the host keep
 * working.
 *
 * # Safety
 * `host` is NULL or a host from `healing_plugin_host_new` that no thread is
 * using any more.
 */
healing_result healing_plugin_host_free(struct healing_plugin_host *host);

/**
 * Installs the plugin in `folder` (UTF-8 path of a folder holding
 * `manifest.json` and the component it names) and loads it into the host.
 *
 * Installing checks the file's SHA-256 against the manifest, compiles the
 * component once, checks its contract version, world, imports and limits,
 * and only then writes `plugin.cwasm` and `install.json` into the folder (a
 * refused plugin leaves nothing behind). Later starts use
 * `healing_plugin_load` or `healing_plugin_load_folder`, which do not compile.
 *
 * On success `*out_plugin_json` describes the plugin: `{"id":"local-terms",
 * "world":"risk_rule","contract":"healing:plugin@0.1.0","limits":{
 * "memory_bytes":33554432,"deadline_ms":100,"input_bytes":65536,
 * "output_bytes":262144},"status":{"state":"enabled",
 * "consecutive_failures":0},"description":{"name":"...","version":"...",
 * "categories":["self_harm"]}}` (a CBT tool's description has `summary`,
 * `input_schema` and `output_schema` instead of `categories`). Free it with
 * `healing_string_free`. A plugin with the same id already loaded is replaced.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_PLUGIN_IO`, `HEALING_ERR_PLUGIN_REFUSED`,
 * `HEALING_ERR_PLUGIN_CONTRACT`, `HEALING_ERR_PLUGIN_CAPABILITY`, and the
 * call errors of the plugin's self-description at load
 * (`HEALING_ERR_PLUGIN_TIMEOUT`, `_TRAP`, `_MALFORMED_OUTPUT`, ...).
 *
 * # Safety
 * `host` is a live host; `folder` points to `folder_len` readable bytes;
 * `out_plugin_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_plugin_install(const struct healing_plugin_host *host,
                                      const char *folder,
                                      size_t folder_len,
                                      char **out_plugin_json);

/**
 * Loads an installed plugin from `folder` (UTF-8 path) into the host, from
 * its precompiled artifact: no compiling. The artifact is loaded only if its
 * HMAC under the host's artifact key matches, the manifest still names the
 * installed component, and this build of the host produced it; otherwise
 * `HEALING_ERR_PLUGIN_REFUSED` says to install it again.
 *
 * `*out_plugin_json` and the errors are as for `healing_plugin_install`.
 *
 * # Safety
 * As for `healing_plugin_install`.
 */
HEALING_MUST_USE
healing_result healing_plugin_load(const struct healing_plugin_host *host,
                                   const char *folder,
                                   size_t folder_len,
                                   char **out_plugin_json);

/**
 * Loads every installed plugin under `root` (UTF-8 path; one sub-folder per
 * plugin, each with a `manifest.json`, in name order; hidden folders are
 * skipped) into the host. One bad plugin does not stop the others: the call
 * succeeds if `root` can be read, and the report says what happened to each
 * folder.
 *
 * A refused folder is remembered: `healing_engine_new_with_plugins` then
 * fails with `HEALING_ERR_PLUGIN_REFUSED` naming it, so an engine never
 * silently lacks a risk rule you installed, until the folder loads (fix it
 * and load it again) or you call `healing_plugin_forget_refused` to run
 * without it on purpose.
 *
 * On success `*out_report_json` is an array, one entry per folder:
 * `[{"folder":"healing-data/plugins/grounding","plugin":{...as from
 * healing_plugin_install...}},{"folder":"healing-data/plugins/old","error":
 * {"code":"HEALING_ERR_PLUGIN_CONTRACT","message":"..."}}]`. Free it with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_PLUGIN_IO` (`root` cannot be read).
 *
 * # Safety
 * `host` is a live host; `root` points to `root_len` readable bytes;
 * `out_report_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_plugin_load_folder(const struct healing_plugin_host *host,
                                          const char *root,
                                          size_t root_len,
                                          char **out_report_json);

/**
 * Every plugin loaded in the host, in id order, as a JSON array of the
 * objects `healing_plugin_install` returns (with each one's current
 * `status`: `{"state":"disabled","reason":"..."}` for a plugin disabled
 * after failing repeatedly). Free it with `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`.
 *
 * # Safety
 * `host` is a live host; `out_plugins_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_plugin_list_json(const struct healing_plugin_host *host,
                                        char **out_plugins_json);

/**
 * Runs the CBT tool loaded under `id` on `input_json` (UTF-8 JSON, checked
 * against the tool's declared input schema), in a fresh sandboxed instance
 * that is discarded afterwards.
 *
 * On success `*out_output_json` is the tool's output, checked against the
 * contract and its output schema: `{"steps":[{"title":"...","instruction":
 * "...","seconds":4}],"journal_summary":"...","rewards":["breathing"],
 * "data":{...}}`. `rewards` are pet activities: pass each as a
 * `complete_activity` event to `healing_pet_step` (the pet caps rewards per
 * day). Free it with `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (input above
 * the tool's input cap), `HEALING_ERR_UNKNOWN_PLUGIN` (no such id, or a risk
 * rule), `HEALING_ERR_PLUGIN_SCHEMA`, `HEALING_ERR_PLUGIN_TIMEOUT`,
 * `HEALING_ERR_PLUGIN_MEMORY_LIMIT`, `HEALING_ERR_PLUGIN_TRAP`,
 * `HEALING_ERR_PLUGIN_MALFORMED_OUTPUT`, `HEALING_ERR_PLUGIN_REPORTED`,
 * `HEALING_ERR_PLUGIN_DISABLED`. The host keeps serving after any of them.
 *
 * # Safety
 * `host` is a live host; `id` and `input_json` point to their lengths in
 * readable bytes; `out_output_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_plugin_run_tool(const struct healing_plugin_host *host,
                                       const char *id,
                                       size_t id_len,
                                       const char *input_json,
                                       size_t input_json_len,
                                       char **out_output_json);

/**
 * Re-enables the plugin loaded under `id` after it was disabled for failing
 * repeatedly (an operator's decision: check the reason first). Enabling an
 * enabled plugin changes nothing.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_UNKNOWN_PLUGIN`.
 *
 * # Safety
 * `host` is a live host; `id` points to `id_len` readable bytes.
 */
HEALING_MUST_USE
healing_result healing_plugin_enable(const struct healing_plugin_host *host,
                                     const char *id,
                                     size_t id_len);

/**
 * Forgets the folders `healing_plugin_load_folder` refused (and that have not
 * loaded since), so `healing_engine_new_with_plugins` builds engines without
 * them: your explicit decision to screen without those risk rules. Check the
 * report first.
 *
 * On success `*out_report_json` lists what was forgotten, `[{"folder":
 * "healing-data/plugins/old","error":{"code":"HEALING_ERR_PLUGIN_REFUSED",
 * "message":"..."}}]` (`[]` if nothing was refused). Free it with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`.
 *
 * # Safety
 * `host` is a live host; `out_report_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_plugin_forget_refused(const struct healing_plugin_host *host,
                                             char **out_report_json);

/**
 * Creates an engine like `healing_engine_new` (built-in rules plus optional
 * `local_rules`) with every risk-rule plugin loaded in `host` added, in id
 * order. Use it with every `healing_assess*` function. Its rules version
 * (`rules_version` in every assessment) names each plugin and its installed
 * version: `2026.12.1+model.2026.12.5+plugin/local-terms@0.1.0`.
 *
 * It is not built while a folder `healing_plugin_load_folder` refused has
 * not loaded since: `HEALING_ERR_PLUGIN_REFUSED`, and `healing_last_error()`
 * names each such plugin and why. A risk rule you installed never silently
 * goes missing; to run without it on purpose, call
 * `healing_plugin_forget_refused` first.
 *
 * A plugin's findings are merged into each assessment: they can raise its
 * level, never lower what the built-in rules found. A plugin call that fails
 * (timeout, trap, memory limit, disabled, ...) does not fail the assessment:
 * it becomes a finding at `HEALING_RISK_HIGH` over the whole text, rule
 * `plugin/<id>/failed`, so crisis resources are shown and a clinician sees
 * the text was not fully screened (fail closed).
 *
 * The engine keeps the plugins it was built with: plugins loaded into the
 * host later are not added, and freeing the host does not affect it.
 *
 * Errors: as `healing_engine_new`, and `HEALING_ERR_PLUGIN_REFUSED`.
 *
 * # Safety
 * As `healing_engine_new`; `host` is a live host.
 */
HEALING_MUST_USE
healing_result healing_engine_new_with_plugins(const char *local_rules,
                                               size_t local_rules_len,
                                               const struct healing_plugin_host *host,
                                               struct healing_engine **out_engine);

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
 * Screens one free text (a note, a message, a journal entry) for risk, and
 * summarises the result in a fixed-size struct.
 *
 * `text` is UTF-8, `text_len` bytes, of any length (empty is fine: level
 * none). On success `*out_assessment` holds the summary; on failure it is
 * all zeros (`HEALING_RISK_NONE`): on any failure, fail safe (show crisis
 * resources, `healing_crisis_resources_for_level_json` at
 * `HEALING_RISK_CRITICAL`) rather than treat the text as risk-free.
 *
 * Clinical safety: a level of none is not evidence of no risk. Show results
 * to a clinician, never in place of one.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`.
 *
 * # Safety
 * `engine` is a live engine; `text` points to `text_len` readable bytes;
 * `out_assessment` is a writable `healing_assessment`.
 */
HEALING_MUST_USE
healing_result healing_assess(const struct healing_engine *engine,
                              const char *text,
                              size_t text_len,
                              struct healing_assessment *out_assessment);

/**
 * Screens one free text for risk and returns the full assessment as JSON.
 *
 * `context_json` (UTF-8) says where the text came from, e.g.
 * `{"source":"clinical_note","recent_levels":[]}`; pass `""` and 0 for
 * none. Sources: `chat`, `mood_note`, `journal`, `message`, `community`,
 * `clinical_note`, `unknown`. The built-in rules do not read it; local rules
 * may.
 *
 * The result: `{"level":"high","categories":["suicide"],"findings":[{"rule":
 * "suicide.active_ideation","start":12,"end":27,"level":"high",
 * "categories":["suicide"],"reason":"..."}],"notes":[...],
 * "rules_version":"2026.11.1"}`. `start` and `end` are byte offsets into
 * `text` (character boundaries) of the evidence.
 *
 * On success `*out_assessment_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (context of
 * the wrong shape).
 *
 * # Safety
 * `engine` is a live engine; `text` and `context_json` point to their
 * lengths in readable bytes; `out_assessment_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_assess_json(const struct healing_engine *engine,
                                   const char *text,
                                   size_t text_len,
                                   const char *context_json,
                                   size_t context_json_len,
                                   char **out_assessment_json);

/**
 * Screens a batch of texts, in order, into an array of summaries.
 *
 * `texts[i]` points to `text_lens[i]` bytes of UTF-8, for `i` from 0 to
 * `count - 1`; `out_assessments` points to an array of `count`
 * `healing_assessment`s that receives one summary per text, in the same
 * order. A NULL or invalid text fails the whole call (the message names its
 * index) and every output is zeroed. `count` may be 0 (then the arrays are
 * not read, but must still not be NULL).
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_ARGUMENT` (`count` too large).
 *
 * # Safety
 * `engine` is a live engine; `texts` and `text_lens` point to `count`
 * readable elements; each `texts[i]` points to `text_lens[i]` readable
 * bytes; `out_assessments` points to `count` writable `healing_assessment`s.
 */
HEALING_MUST_USE
healing_result healing_assess_many(const struct healing_engine *engine,
                                   const char *const *texts,
                                   const size_t *text_lens,
                                   size_t count,
                                   struct healing_assessment *out_assessments);

/**
 * Screens a batch of texts, in order, and returns the full assessments as
 * a JSON array.
 *
 * `texts_json` (UTF-8) is a JSON array of strings, e.g.
 * `["first note","second note"]`; `context_json` applies to every text
 * (`""` and 0 for none; see `healing_assess_json`). The result is an array
 * of assessments in the same order, each shaped as `healing_assess_json`
 * describes.
 *
 * On success `*out_assessments_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (not an array
 * of strings, or a context of the wrong shape).
 *
 * # Safety
 * `engine` is a live engine; `texts_json` and `context_json` point to
 * their lengths in readable bytes; `out_assessments_json` is a writable
 * `char *`.
 */
HEALING_MUST_USE
healing_result healing_assess_many_json(const struct healing_engine *engine,
                                        const char *texts_json,
                                        size_t texts_json_len,
                                        const char *context_json,
                                        size_t context_json_len,
                                        char **out_assessments_json);

/**
 * The crisis resources to show with an assessment, most urgent first, as a
 * JSON array: `[{"id":"samaritans","name":"Samaritans","contact":"call 116
 * 123 (free, 24 hours)","description":"...","min_level":"medium",
 * "categories":[]}, ...]`. Empty for level none. The directory is the
 * built-in UK one.
 *
 * `assessment_json` (UTF-8) is an assessment exactly as
 * `healing_assess_json` returned it (or one element of
 * `healing_assess_many_json`).
 *
 * On success `*out_resources_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT`.
 *
 * # Safety
 * `engine` is a live engine; `assessment_json` points to
 * `assessment_json_len` readable bytes; `out_resources_json` is a writable
 * `char *`.
 */
HEALING_MUST_USE
healing_result healing_crisis_resources_json(const struct healing_engine *engine,
                                             const char *assessment_json,
                                             size_t assessment_json_len,
                                             char **out_resources_json);

/**
 * The crisis resources for a level, whatever the categories, most urgent
 * first, as a JSON array shaped as in `healing_crisis_resources_json`.
 *
 * Use it to fail safe: when you cannot get an assessment for a text (any
 * error), show the resources for `HEALING_RISK_CRITICAL` rather than none.
 *
 * On success `*out_resources_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_ARGUMENT`
 * (`level` is not a `healing_risk_level`).
 *
 * # Safety
 * `engine` is a live engine; `out_resources_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_crisis_resources_for_level_json(const struct healing_engine *engine,
                                                       uint32_t level,
                                                       char **out_resources_json);

/**
 * The questionnaires the engine can score, as a JSON array in a stable
 * order: `[{"id":"phq9","version":1,"title":"Patient Health Questionnaire
 * (PHQ-9)","items":9}, ...]`. Pass an `id` to `healing_instrument_json` for
 * the full definition.
 *
 * On success `*out_instruments_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`.
 *
 * # Safety
 * `engine` is a live engine; `out_instruments_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_instruments_json(const struct healing_engine *engine,
                                        char **out_instruments_json);

/**
 * One questionnaire's full definition as JSON, to render a form and to
 * show where its scoring comes from: items with their answer options and
 * values, recall period, scoring and prorating rules, bands with cut-offs,
 * subscales, thresholds, risk items, licence and source.
 *
 * `instrument_id` (UTF-8) is a stable id such as `phq9`, `gad7`, `audit_c`
 * (`healing_instruments_json` lists them). Where an instrument's licence
 * restricts reproducing its wording, the definition carries structure and
 * scoring only, and the licence says so.
 *
 * On success `*out_instrument_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_UNKNOWN_INSTRUMENT`.
 *
 * # Safety
 * `engine` is a live engine; `instrument_id` points to `instrument_id_len`
 * readable bytes; `out_instrument_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_instrument_json(const struct healing_engine *engine,
                                       const char *instrument_id,
                                       size_t instrument_id_len,
                                       char **out_instrument_json);

/**
 * Scores one completed questionnaire into a fixed-size struct.
 *
 * `instrument_id` (UTF-8) is a stable id such as `phq9`. `answers` holds
 * `answers_len` values, one per item in order (item 1 first): each is the
 * value of the option chosen (e.g. 0 to 3 for the PHQ-9), or
 * `HEALING_ANSWER_BLANK` (-1) for an item left blank. Blanks are allowed
 * only where the instrument's prorating rule allows them; risk items are
 * never prorated.
 *
 * On success `*out_score` holds the result; on failure it is all zeros.
 *
 * Clinical safety: when `needs_clinician_review` is true (thoughts of
 * self-harm, or any C-SSRS risk), route the result to a clinician whatever
 * the total.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_UNKNOWN_INSTRUMENT`, `HEALING_ERR_INVALID_ANSWERS` (wrong
 * number of answers, a value that is not one of the item's options or not
 * -1, a required item blank, too many blanks; the message names the item).
 *
 * # Safety
 * `engine` is a live engine; `instrument_id` points to `instrument_id_len`
 * readable bytes; `answers` points to `answers_len` readable `int32_t`s;
 * `out_score` is a writable `healing_score`.
 */
HEALING_MUST_USE
healing_result healing_score_answers(const struct healing_engine *engine,
                                     const char *instrument_id,
                                     size_t instrument_id_len,
                                     const int32_t *answers,
                                     size_t answers_len,
                                     struct healing_score *out_score);

/**
 * Scores one questionnaire and returns the full result as JSON.
 *
 * `answers_json` (UTF-8) is an array with one entry per item, in order: the
 * option value chosen, or `null` for a blank item, e.g.
 * `[2,2,1,2,1,1,2,1,1]`. The result is the full score:
 * `{"instrument":"phq9","version":1,"total":13,"derived":null,
 * "band":{"id":"moderate","label":"Moderate"},"subscales":[],
 * "flags":[{"flag":"self_harm_thoughts","item":9,"answer":1}],
 * "completeness":{"kind":"complete"}}`.
 *
 * On success `*out_score_json` is a new string you free with
 * `healing_string_free`.
 *
 * Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
 * `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (not an array
 * of numbers 0 to 255 and nulls), `HEALING_ERR_UNKNOWN_INSTRUMENT`,
 * `HEALING_ERR_INVALID_ANSWERS`.
 *
 * # Safety
 * `engine` is a live engine; `instrument_id` and `answers_json` point to
 * their lengths in readable bytes; `out_score_json` is a writable `char *`.
 */
HEALING_MUST_USE
healing_result healing_score_answers_json(const struct healing_engine *engine,
                                          const char *instrument_id,
                                          size_t instrument_id_len,
                                          const char *answers_json,
                                          size_t answers_json_len,
                                          char **out_score_json);

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
