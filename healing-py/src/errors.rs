//! The one exception hierarchy of the `healing` package, and the one place core
//! errors become Python exceptions.
//!
//! `healing.HealingError` is the base of everything the package raises on purpose;
//! each core module's `Error` enum has its own subclass (`healing.ScoringError`,
//! `healing.ConsentError`, …), and `healing.InvalidInputError` covers Python
//! values whose shape is wrong before any core check runs. Every exception carries
//! a `kind` attribute with the core variant's name in `snake_case`
//! (`"answer_above_maximum"`), so notebooks can branch on the kind without
//! parsing messages. No bare `RuntimeError` ever leaves the package.
//!
//! Plugin host errors become `healing.PluginError`, or one of its subclasses for
//! the kinds a caller handles differently (timeout, memory limit, trap,
//! malformed output, schema violation, contract, disabled); they also carry
//! `plugin`, the plugin's id.

use healing_core::{consent, fhir, ids, mood, outcomes, pet, scoring, timestamp};
use healing_plugins::{Error as PluginHostError, PluginId};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    healing,
    HealingError,
    PyException,
    "Base class of every error the healing package raises on purpose."
);
create_exception!(
    healing,
    InvalidInputError,
    HealingError,
    "A Python value has the wrong type or shape for what was asked (before any clinical check)."
);
create_exception!(
    healing,
    TimestampError,
    HealingError,
    "A timestamp is not an RFC 3339 date-time or is out of range."
);
create_exception!(
    healing,
    IdentifierError,
    HealingError,
    "A person id is empty, too long or holds white space."
);
create_exception!(
    healing,
    ScoringError,
    HealingError,
    "Questionnaire answers could not be validated for scoring."
);
create_exception!(
    healing,
    OutcomesError,
    HealingError,
    "A Talking Therapies course could not be checked."
);
create_exception!(
    healing,
    MoodError,
    HealingError,
    "A mood entry or date range was rejected."
);
create_exception!(
    healing,
    ConsentError,
    HealingError,
    "A consent event or wording version was rejected."
);
create_exception!(
    healing,
    PetError,
    HealingError,
    "A pet could not be created, read back or changed."
);

create_exception!(
    healing,
    StoreError,
    HealingError,
    "The database could not be opened or read (research access)."
);
create_exception!(
    healing,
    ResearchError,
    HealingError,
    "A research export was asked for something it may not give, or was set up wrongly."
);

create_exception!(
    healing,
    FhirError,
    HealingError,
    "A FHIR resource could not be built, imported or verified."
);

create_exception!(
    healing,
    PluginError,
    HealingError,
    "A plugin could not be installed, loaded or called (the host keeps serving)."
);
create_exception!(
    healing,
    PluginTimeoutError,
    PluginError,
    "A plugin call ran past its deadline (or used up its fuel) and was stopped."
);
create_exception!(
    healing,
    PluginMemoryLimitError,
    PluginError,
    "A plugin tried to grow its memory past its cap."
);
create_exception!(
    healing,
    PluginTrapError,
    PluginError,
    "A plugin trapped (a panic, unreachable code, an out-of-bounds access)."
);
create_exception!(
    healing,
    PluginMalformedOutputError,
    PluginError,
    "A plugin returned output that breaks the contract or is over its output cap."
);
create_exception!(
    healing,
    PluginSchemaError,
    PluginError,
    "A CBT tool's input or output does not match the JSON Schema the tool declares."
);
create_exception!(
    healing,
    PluginContractError,
    PluginError,
    "A component was built for another contract version or world, or is not a plugin."
);
create_exception!(
    healing,
    PluginDisabledError,
    PluginError,
    "A plugin is disabled after failing repeatedly, until it is re-enabled."
);

/// Everything the bindings can fail with, one variant per core module.
///
/// Functions in this crate return `Result<_, Error>`; PyO3 turns the error into the
/// matching Python exception through the `From<Error> for PyErr` below.
#[derive(Debug)]
pub(crate) enum Error {
    /// A Python value could not be read as the input asked for.
    InvalidInput {
        /// What was being read (`"course"`, `"answers"`).
        what: &'static str,
        /// Why not.
        reason: String,
    },
    /// A core result could not be turned into its JSON form (a bug, never expected).
    Output {
        /// Why not.
        reason: String,
    },
    /// From `healing_core::timestamp`.
    Timestamp(timestamp::Error),
    /// From `healing_core::ids`.
    Identifier(ids::Error),
    /// From `healing_core::scoring`.
    Scoring(scoring::Error),
    /// From `healing_core::outcomes`.
    Outcomes(outcomes::Error),
    /// From `healing_core::mood`.
    Mood(mood::Error),
    /// From `healing_core::consent`.
    Consent(consent::Error),
    /// From `healing_core::pet`.
    Pet(pet::Error),
    /// From `healing_store` (research access).
    Store(healing_store::Error),
    /// From `healing_core::fhir`.
    Fhir(fhir::Error),
    /// From the plugin host (`healing_plugins`).
    Plugin(PluginHostError),
    /// A research export refused or misconfigured.
    Research {
        /// The `snake_case` kind (`"free_text_not_requested"`).
        kind: &'static str,
        /// The message.
        message: String,
    },
    /// A Python exception raised while reading a value (already typed).
    Python(PyErr),
}

impl From<timestamp::Error> for Error {
    fn from(error: timestamp::Error) -> Self {
        Self::Timestamp(error)
    }
}

impl From<ids::Error> for Error {
    fn from(error: ids::Error) -> Self {
        Self::Identifier(error)
    }
}

impl From<scoring::Error> for Error {
    fn from(error: scoring::Error) -> Self {
        Self::Scoring(error)
    }
}

impl From<outcomes::Error> for Error {
    fn from(error: outcomes::Error) -> Self {
        Self::Outcomes(error)
    }
}

impl From<mood::Error> for Error {
    fn from(error: mood::Error) -> Self {
        Self::Mood(error)
    }
}

impl From<consent::Error> for Error {
    fn from(error: consent::Error) -> Self {
        Self::Consent(error)
    }
}

impl From<pet::Error> for Error {
    fn from(error: pet::Error) -> Self {
        Self::Pet(error)
    }
}

impl From<healing_store::Error> for Error {
    fn from(error: healing_store::Error) -> Self {
        Self::Store(error)
    }
}

impl From<fhir::Error> for Error {
    fn from(error: fhir::Error) -> Self {
        Self::Fhir(error)
    }
}

impl From<PluginHostError> for Error {
    fn from(error: PluginHostError) -> Self {
        Self::Plugin(error)
    }
}

impl From<PyErr> for Error {
    fn from(error: PyErr) -> Self {
        Self::Python(error)
    }
}

impl From<Error> for PyErr {
    fn from(error: Error) -> PyErr {
        let (new_err, message, kind): (fn(String) -> PyErr, String, &'static str) = match error {
            Error::InvalidInput { what, reason } => (
                InvalidInputError::new_err,
                format!("{what}: {reason}"),
                "invalid_input",
            ),
            Error::Output { reason } => (
                HealingError::new_err,
                format!("a result could not be converted for python: {reason}"),
                "output",
            ),
            Error::Timestamp(error) => (TimestampError::new_err, error.to_string(), error.kind()),
            Error::Identifier(error) => (IdentifierError::new_err, error.to_string(), error.kind()),
            Error::Scoring(error) => (ScoringError::new_err, error.to_string(), error.kind()),
            Error::Outcomes(error) => (OutcomesError::new_err, error.to_string(), error.kind()),
            Error::Mood(error) => (MoodError::new_err, error.to_string(), error.kind()),
            Error::Consent(error) => (ConsentError::new_err, error.to_string(), error.kind()),
            Error::Pet(error) => (PetError::new_err, error.to_string(), error.kind()),
            Error::Store(error) => (StoreError::new_err, error.to_string(), store_kind(&error)),
            Error::Fhir(error) => (FhirError::new_err, error.to_string(), error.kind()),
            Error::Research { kind, message } => (ResearchError::new_err, message, kind),
            Error::Plugin(error) => return plugin_error(&error),
            Error::Python(error) => return error,
        };
        let raised = new_err(message);
        Python::attach(|py| {
            // Setting an attribute on a fresh exception instance cannot fail in
            // practice; if it ever did, the exception is still raised without `kind`.
            if let Ok(()) = raised.value(py).setattr("kind", kind) {}
        });
        raised
    }
}

/// A plugin host error as its `PluginError` subclass, with `kind` and `plugin`
/// (the plugin's id, or None for errors about a file or the host itself).
fn plugin_error(error: &PluginHostError) -> PyErr {
    let raised = plugin_exception(error)(error.to_string());
    let plugin = plugin_of(error).map(|id| id.as_str().to_owned());
    Python::attach(|py| {
        let value = raised.value(py);
        // As in `From<Error> for PyErr`: setting attributes on a fresh
        // exception cannot fail in practice.
        if let Ok(()) = value.setattr("kind", plugin_kind(error)) {}
        if let Ok(()) = value.setattr("plugin", plugin) {}
    });
    raised
}

/// The plugin a host error is about, if it is about one.
fn plugin_of(error: &PluginHostError) -> Option<&PluginId> {
    match error {
        PluginHostError::Io { .. }
        | PluginHostError::InvalidManifest { .. }
        | PluginHostError::Refused { .. }
        | PluginHostError::KeyFile { .. }
        | PluginHostError::Ticker { .. } => None,
        PluginHostError::ChecksumMismatch { plugin, .. }
        | PluginHostError::ArtifactRefused { plugin, .. }
        | PluginHostError::Compile { plugin, .. }
        | PluginHostError::NotAPlugin { plugin, .. }
        | PluginHostError::UnsupportedContract { plugin, .. }
        | PluginHostError::WrongWorld { plugin, .. }
        | PluginHostError::CapabilityNotGranted { plugin, .. }
        | PluginHostError::CapabilityRefused { plugin, .. }
        | PluginHostError::LimitOutOfRange { plugin, .. }
        | PluginHostError::Instantiate { plugin, .. }
        | PluginHostError::UnsupportedSchema { plugin, .. }
        | PluginHostError::InputTooLarge { plugin, .. }
        | PluginHostError::InputSchema { plugin, .. }
        | PluginHostError::Timeout { plugin, .. }
        | PluginHostError::OutOfFuel { plugin, .. }
        | PluginHostError::MemoryLimit { plugin, .. }
        | PluginHostError::Trap { plugin, .. }
        | PluginHostError::OutputTooLarge { plugin, .. }
        | PluginHostError::MalformedOutput { plugin, .. }
        | PluginHostError::OutputSchema { plugin, .. }
        | PluginHostError::PluginReported { plugin, .. }
        | PluginHostError::Disabled { plugin, .. }
        | PluginHostError::Busy { plugin, .. } => Some(plugin),
    }
}

/// The exception class for a plugin host error: one subclass of `PluginError`
/// per kind a caller handles differently, `PluginError` itself for the rest
/// (files, manifests, checksums, artifacts, capabilities, limits), whose `kind`
/// still names the variant.
fn plugin_exception(error: &PluginHostError) -> fn(String) -> PyErr {
    match error {
        PluginHostError::Timeout { .. } | PluginHostError::OutOfFuel { .. } => {
            PluginTimeoutError::new_err
        }
        PluginHostError::MemoryLimit { .. } => PluginMemoryLimitError::new_err,
        PluginHostError::Trap { .. } => PluginTrapError::new_err,
        PluginHostError::MalformedOutput { .. } | PluginHostError::OutputTooLarge { .. } => {
            PluginMalformedOutputError::new_err
        }
        PluginHostError::InputSchema { .. }
        | PluginHostError::OutputSchema { .. }
        | PluginHostError::UnsupportedSchema { .. } => PluginSchemaError::new_err,
        PluginHostError::UnsupportedContract { .. }
        | PluginHostError::WrongWorld { .. }
        | PluginHostError::NotAPlugin { .. } => PluginContractError::new_err,
        PluginHostError::Disabled { .. } => PluginDisabledError::new_err,
        PluginHostError::Io { .. }
        | PluginHostError::InvalidManifest { .. }
        | PluginHostError::ChecksumMismatch { .. }
        | PluginHostError::ArtifactRefused { .. }
        | PluginHostError::Compile { .. }
        | PluginHostError::CapabilityNotGranted { .. }
        | PluginHostError::CapabilityRefused { .. }
        | PluginHostError::LimitOutOfRange { .. }
        | PluginHostError::Instantiate { .. }
        | PluginHostError::InputTooLarge { .. }
        | PluginHostError::PluginReported { .. }
        | PluginHostError::Busy { .. }
        | PluginHostError::Refused { .. }
        | PluginHostError::KeyFile { .. }
        | PluginHostError::Ticker { .. } => PluginError::new_err,
    }
}

/// The `snake_case` kind of a store error (`"not_found"`). healing-store has no
/// `kind()` of its own; the match names every variant, so a new one is a
/// compile error here rather than a silently missing kind.
fn store_kind(error: &healing_store::Error) -> &'static str {
    use healing_store::Error as E;
    match error {
        E::InvalidUrl { .. } => "invalid_url",
        E::Unavailable { .. } => "unavailable",
        E::MigrationFailed { .. } => "migration_failed",
        E::NotFound { .. } => "not_found",
        E::Conflict { .. } => "conflict",
        E::MissingReference { .. } => "missing_reference",
        E::DecryptionFailed { .. } => "decryption_failed",
        E::UnknownKey { .. } => "unknown_key",
        E::InvalidKey { .. } => "invalid_key",
        E::RandomnessUnavailable { .. } => "randomness_unavailable",
        E::CorruptRow { .. } => "corrupt_row",
        E::ConsentRefused(_) => "consent_refused",
        E::LinkRefused(_) => "link_refused",
        E::CourseRefused(_) => "course_refused",
        E::AppointmentRefused(_) => "appointment_refused",
        E::MessageRefused(_) => "message_refused",
        E::AccountState { .. } => "account_state",
        E::CommunityRefused(_) => "community_refused",
        E::InvalidInput { .. } => "invalid_input",
        E::ReadOnly { .. } => "read_only",
        E::Database { .. } => "database",
    }
}

/// The `snake_case` kind of a plugin host error (`"out_of_fuel"`). The plugin
/// host has no `kind()` of its own; as with [`store_kind`], every variant is
/// named, so a new one is a compile error.
fn plugin_kind(error: &PluginHostError) -> &'static str {
    match error {
        PluginHostError::Io { .. } => "io",
        PluginHostError::InvalidManifest { .. } => "invalid_manifest",
        PluginHostError::Ticker { .. } => "ticker",
        PluginHostError::ChecksumMismatch { .. } => "checksum_mismatch",
        PluginHostError::ArtifactRefused { .. } => "artifact_refused",
        PluginHostError::Compile { .. } => "compile",
        PluginHostError::NotAPlugin { .. } => "not_a_plugin",
        PluginHostError::UnsupportedContract { .. } => "unsupported_contract",
        PluginHostError::WrongWorld { .. } => "wrong_world",
        PluginHostError::CapabilityNotGranted { .. } => "capability_not_granted",
        PluginHostError::CapabilityRefused { .. } => "capability_refused",
        PluginHostError::LimitOutOfRange { .. } => "limit_out_of_range",
        PluginHostError::Instantiate { .. } => "instantiate",
        PluginHostError::UnsupportedSchema { .. } => "unsupported_schema",
        PluginHostError::InputTooLarge { .. } => "input_too_large",
        PluginHostError::InputSchema { .. } => "input_schema",
        PluginHostError::Timeout { .. } => "timeout",
        PluginHostError::OutOfFuel { .. } => "out_of_fuel",
        PluginHostError::MemoryLimit { .. } => "memory_limit",
        PluginHostError::Trap { .. } => "trap",
        PluginHostError::OutputTooLarge { .. } => "output_too_large",
        PluginHostError::MalformedOutput { .. } => "malformed_output",
        PluginHostError::OutputSchema { .. } => "output_schema",
        PluginHostError::PluginReported { .. } => "plugin_reported",
        PluginHostError::Disabled { .. } => "disabled",
        PluginHostError::Busy { .. } => "busy",
        PluginHostError::Refused { .. } => "refused",
        PluginHostError::KeyFile { .. } => "key_file",
    }
}

/// Adds the exception classes to the top-level module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("HealingError", py.get_type::<HealingError>())?;
    module.add("InvalidInputError", py.get_type::<InvalidInputError>())?;
    module.add("TimestampError", py.get_type::<TimestampError>())?;
    module.add("IdentifierError", py.get_type::<IdentifierError>())?;
    module.add("ScoringError", py.get_type::<ScoringError>())?;
    module.add("OutcomesError", py.get_type::<OutcomesError>())?;
    module.add("MoodError", py.get_type::<MoodError>())?;
    module.add("ConsentError", py.get_type::<ConsentError>())?;
    module.add("PetError", py.get_type::<PetError>())?;
    module.add("StoreError", py.get_type::<StoreError>())?;
    module.add("ResearchError", py.get_type::<ResearchError>())?;
    module.add("FhirError", py.get_type::<FhirError>())?;
    module.add("PluginError", py.get_type::<PluginError>())?;
    module.add("PluginTimeoutError", py.get_type::<PluginTimeoutError>())?;
    module.add(
        "PluginMemoryLimitError",
        py.get_type::<PluginMemoryLimitError>(),
    )?;
    module.add("PluginTrapError", py.get_type::<PluginTrapError>())?;
    module.add(
        "PluginMalformedOutputError",
        py.get_type::<PluginMalformedOutputError>(),
    )?;
    module.add("PluginSchemaError", py.get_type::<PluginSchemaError>())?;
    module.add("PluginContractError", py.get_type::<PluginContractError>())?;
    module.add("PluginDisabledError", py.get_type::<PluginDisabledError>())?;
    Ok(())
}
