//! Plugin host errors (`healing_plugins::Error`) as `healing_result` codes: one
//! code per kind of failure a C caller handles differently, the host's own
//! message (which names the plugin and the limit or version at fault) for
//! `healing_last_error()`.

use healing_plugins::Error;

use crate::boundary::Failure;
use crate::result::healing_result;

/// The code and message for a plugin host error.
pub(crate) fn plugin_failure(error: &Error) -> Failure {
    Failure::new(plugin_code(error), error.to_string())
}

/// The `healing_result` code of a plugin host error. Exhaustive, so a new
/// kind of host error cannot go unmapped.
pub(crate) fn plugin_code(error: &Error) -> healing_result {
    match error {
        Error::Io { .. } | Error::KeyFile { .. } => healing_result::HEALING_ERR_PLUGIN_IO,
        Error::UnsupportedContract { .. } => healing_result::HEALING_ERR_PLUGIN_CONTRACT,
        Error::CapabilityNotGranted { .. } | Error::CapabilityRefused { .. } => {
            healing_result::HEALING_ERR_PLUGIN_CAPABILITY
        }
        Error::InvalidManifest { .. }
        | Error::ChecksumMismatch { .. }
        | Error::ArtifactRefused { .. }
        | Error::Compile { .. }
        | Error::NotAPlugin { .. }
        | Error::WrongWorld { .. }
        | Error::LimitOutOfRange { .. }
        | Error::UnsupportedSchema { .. }
        | Error::Instantiate { .. }
        | Error::Refused { .. } => healing_result::HEALING_ERR_PLUGIN_REFUSED,
        Error::Timeout { .. } | Error::OutOfFuel { .. } => {
            healing_result::HEALING_ERR_PLUGIN_TIMEOUT
        }
        Error::MemoryLimit { .. } => healing_result::HEALING_ERR_PLUGIN_MEMORY_LIMIT,
        Error::Trap { .. } => healing_result::HEALING_ERR_PLUGIN_TRAP,
        Error::MalformedOutput { .. } | Error::OutputTooLarge { .. } => {
            healing_result::HEALING_ERR_PLUGIN_MALFORMED_OUTPUT
        }
        Error::InputSchema { .. } | Error::OutputSchema { .. } => {
            healing_result::HEALING_ERR_PLUGIN_SCHEMA
        }
        // The caller's input is over the plugin's documented input cap.
        Error::InputTooLarge { .. } => healing_result::HEALING_ERR_INVALID_ARGUMENT,
        Error::PluginReported { .. } => healing_result::HEALING_ERR_PLUGIN_REPORTED,
        Error::Disabled { .. } => healing_result::HEALING_ERR_PLUGIN_DISABLED,
        Error::Busy { .. } | Error::Ticker { .. } => healing_result::HEALING_ERR_PLUGIN_HOST,
    }
}
