//! The C API of healing: `libhealing.so` / `libhealing.a` and `include/healing.h`.
//!
//! Every exported function converts its C parameters into core types, calls one
//! `healing-core` function, and converts the result back; no clinical logic lives
//! here. The conventions C callers rely on (result codes, `healing_last_error()`,
//! who frees what, NULL and UTF-8 handling, thread safety, the ABI promise) are
//! written once, at the top of the header (from `cbindgen.toml`) and in
//! `healing-ffi/README.md`; each function's doc comment, copied into the header
//! by cbindgen, says what it needs and returns.
//!
//! Layout: `boundary.rs` (the panic boundary and the last error), `args.rs`
//! (checked parameters and out-parameters), `ownership.rs` (strings and handles
//! given to C, and the registry that guards their `_free`), `result.rs` (the
//! `healing_result` codes), `version.rs`. With the `plugins` feature,
//! `plugins.rs` and `plugin_errors.rs` expose the WebAssembly plugin host.
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]
#![expect(
    non_camel_case_types,
    reason = "C API types keep their C names (healing_result, healing_engine) so the \
              header and the source read the same"
)]
#[macro_use]
mod boundary;
mod args;
mod consent;
mod engine;
#[cfg(feature = "fhir")]
mod fhir;
#[cfg(feature = "fhir")]
mod fhir_export;
mod outcomes;
mod ownership;
mod pet;
#[cfg(feature = "plugins")]
mod plugin_errors;
#[cfg(feature = "plugins")]
mod plugins;
mod result;
mod safety;
mod scoring;
mod version;

pub use boundary::healing_last_error;
pub use consent::{
    healing_ledger, healing_ledger_append, healing_ledger_free, healing_ledger_is_allowed,
    healing_ledger_new, healing_ledger_state_json, healing_ledger_to_json, healing_purpose,
};
pub use engine::{
    healing_engine, healing_engine_free, healing_engine_new, healing_engine_rules_version,
};
#[cfg(feature = "fhir")]
pub use fhir::{
    healing_fhir_safety_alert, healing_fhir_score_questionnaire_response, healing_free_text,
};
#[cfg(feature = "fhir")]
pub use fhir_export::{
    healing_bundle_kind, healing_fhir_export_bundle, healing_fhir_export_ndjson,
    healing_fhir_verify_jws, healing_fhir_verify_provenance,
};
pub use outcomes::healing_talking_therapies_outcome;
pub use ownership::healing_string_free;
pub use pet::{
    healing_pet, healing_pet_adopt_json, healing_pet_free, healing_pet_new,
    healing_pet_observe_json, healing_pet_step, healing_pet_to_json,
};
#[cfg(feature = "plugins")]
pub use plugins::{
    healing_engine_new_with_plugins, healing_plugin_enable, healing_plugin_forget_refused,
    healing_plugin_host, healing_plugin_host_free, healing_plugin_host_new, healing_plugin_install,
    healing_plugin_list_json, healing_plugin_load, healing_plugin_load_folder,
    healing_plugin_run_tool,
};
pub use result::{healing_result, healing_result_name};
pub use safety::{
    HEALING_CATEGORY_HARM_TO_OTHERS, HEALING_CATEGORY_SAFEGUARDING, HEALING_CATEGORY_SELF_HARM,
    HEALING_CATEGORY_SUICIDE, HEALING_CATEGORY_THIRD_PARTY, healing_assess, healing_assess_json,
    healing_assess_many, healing_assess_many_json, healing_assessment,
    healing_crisis_resources_for_level_json, healing_crisis_resources_json, healing_risk_level,
};
pub use scoring::{
    HEALING_ANSWER_BLANK, HEALING_SCORE_FLAG_CLINICAL_RANGE, HEALING_SCORE_FLAG_PROVISIONAL_PTSD,
    HEALING_SCORE_FLAG_SCREEN_POSITIVE, HEALING_SCORE_FLAG_SELF_HARM_THOUGHTS,
    HEALING_SCORE_FLAG_SUICIDE_RISK, healing_band, healing_instrument_json,
    healing_instruments_json, healing_score, healing_score_answers, healing_score_answers_json,
    healing_suicide_risk,
};
pub use version::{
    HEALING_VERSION_MAJOR, HEALING_VERSION_MINOR, HEALING_VERSION_PATCH, healing_version,
};

#[cfg(test)]
mod tests;
