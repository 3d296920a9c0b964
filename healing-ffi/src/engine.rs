//! The `healing_engine` handle: the questionnaire registry and the risk rules,
//! built once and shared by every thread.

use std::ffi::c_char;

use healing_core::safety;

use crate::args::{Out, handle_ref, rejected, text_arg};
use crate::boundary::Failure;
use crate::ownership::{Handle, free_handle, leak_handle};
use crate::result::healing_result;

/// The clinical engine: the built-in questionnaire registry (PHQ-9, GAD-7 and
/// the other instruments healing scores), the compiled risk-screening rules
/// and the crisis-resource directory (UK).
///
/// Build one with `healing_engine_new` at start-up and share it: it never
/// changes after creation, so any number of threads may use one engine at the
/// same time without locking. Free it with `healing_engine_free` once no
/// thread uses it.
#[derive(Debug)]
pub struct healing_engine {
    /// The compiled risk rules.
    pub(crate) safety: safety::Engine,
    /// Where to send someone at risk (the built-in UK directory).
    pub(crate) crisis: &'static safety::CrisisDirectory,
}

impl Handle for healing_engine {
    const C_NAME: &'static str = "healing_engine";
}

// The header promises that one engine may be used from many threads at once.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<healing_engine>();
};

/// Creates an engine with the built-in questionnaires and risk rules, plus
/// optional local rules.
///
/// `local_rules` (UTF-8, `local_rules_len` bytes) is extra risk-screening
/// lexicon text for this deployment, in the built-in lexicon's format (see
/// healing-core `safety` docs): sections are added to the built-in ones, and
/// the rules version becomes `<built-in>+<local>`. Pass `""` and 0 for the
/// built-in rules only. Local rules can add findings; they never remove the
/// built-in ones.
///
/// Building compiles the rules, which takes milliseconds: do it once, not per
/// call. On success `*out_engine` is a new engine you free with
/// `healing_engine_free`; on failure it is NULL.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_RULES` (the message names the line of `local_rules`
/// at fault).
///
/// # Safety
/// `local_rules` points to `local_rules_len` readable bytes; `out_engine` is
/// a writable `healing_engine *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_engine_new(
    local_rules: *const c_char,
    local_rules_len: usize,
    out_engine: *mut *mut healing_engine,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable pointer (or NULL, refused).
        let out = unsafe { Out::new(out_engine, "out_engine") }?;
        // SAFETY: the caller passes `local_rules_len` readable bytes (or NULL, refused).
        let local_rules = unsafe { text_arg(local_rules, local_rules_len, "local_rules") }?;
        out.set(leak_handle(healing_engine::new(safety_engine(
            local_rules,
        )?)));
        Ok(())
    })
}

impl healing_engine {
    /// An engine screening with `safety` and the built-in UK crisis directory.
    pub(crate) fn new(safety: safety::Engine) -> healing_engine {
        healing_engine {
            safety,
            crisis: safety::CrisisDirectory::uk(),
        }
    }
}

/// The built-in risk rules, plus `local_rules` (lexicon text) unless empty.
pub(crate) fn safety_engine(local_rules: &str) -> Result<safety::Engine, Failure> {
    let invalid_rules = |error| rejected(healing_result::HEALING_ERR_INVALID_RULES, error);
    let standard = safety::Engine::standard().map_err(invalid_rules)?;
    if local_rules.is_empty() {
        Ok(standard)
    } else {
        standard.with_lexicon(local_rules).map_err(invalid_rules)
    }
}

/// Frees an engine. NULL does nothing. A pointer that is not a live engine
/// (already freed, or another kind of handle) returns
/// `HEALING_ERR_UNKNOWN_POINTER` and frees nothing (best effort: see
/// "Handles" at the top of this header).
///
/// # Safety
/// `engine` is NULL or an engine from `healing_engine_new` that no thread is
/// using any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn healing_engine_free(engine: *mut healing_engine) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller's contract; the registry refuses anything that is
        // not a live engine before it is touched.
        unsafe { free_handle(engine, "engine") }
    })
}

/// The engine's risk-rules version, e.g. `2026.12.1+model.2026.12.5` (the
/// lexicon's, then the learned reader's; `2026.12.1+local.3+model.2026.12.5`
/// with local rules): record it with every assessment
/// you store, so each result can be traced to the rules that produced it.
///
/// On success `*out_version` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`.
///
/// # Safety
/// `engine` is a live engine; `out_version` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_engine_rules_version(
    engine: *const healing_engine,
    out_version: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_version, "out_version") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let engine = unsafe { handle_ref(engine, "engine") }?;
        out.set_string(engine.safety.rules_version());
        Ok(())
    })
}
