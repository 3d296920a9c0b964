//! The one error type of the plugin host, with a classification an admin can act on.

use crate::manifest::PluginId;

/// Why a plugin could not be installed, loaded or called.
///
/// Call failures are per call: the host keeps serving, and the instance that
/// failed is discarded. [`Error::is_plugin_fault`] says which ones count
/// towards disabling a plugin that keeps failing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A file of the plugin folder could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        message: String,
    },
    /// The manifest is not valid JSON of the expected shape.
    #[error("manifest {path} is invalid: {message}")]
    InvalidManifest {
        /// The manifest file (or `<memory>` for one passed in).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The plugin file's SHA-256 is not the one the manifest records.
    #[error("plugin '{plugin}': file sha-256 is {found}, the manifest says {expected}")]
    ChecksumMismatch {
        /// The plugin.
        plugin: PluginId,
        /// Digest in the manifest (lower-case hex).
        expected: String,
        /// Digest of the file (lower-case hex).
        found: String,
    },
    /// A precompiled artifact failed its integrity check, or was produced by
    /// an incompatible build of the host; it is never deserialised.
    #[error("plugin '{plugin}': precompiled artifact refused ({reason}); reinstall the plugin")]
    ArtifactRefused {
        /// The plugin.
        plugin: PluginId,
        /// Which check failed.
        reason: String,
    },
    /// The file is not a WebAssembly component wasmtime can compile.
    #[error("plugin '{plugin}' does not compile: {message}")]
    Compile {
        /// The plugin.
        plugin: PluginId,
        /// wasmtime's message.
        message: String,
    },
    /// The component exports no `healing:plugin` interface.
    #[error("plugin '{plugin}' exports no healing:plugin interface (found exports: {exports})")]
    NotAPlugin {
        /// The plugin.
        plugin: PluginId,
        /// The export names found, comma-separated.
        exports: String,
    },
    /// The component was built for a contract version this host does not
    /// support.
    #[error(
        "plugin '{plugin}' was built for healing:plugin@{found}; this host supports healing:plugin@{supported}"
    )]
    UnsupportedContract {
        /// The plugin.
        plugin: PluginId,
        /// The version the component was built for.
        found: String,
        /// The versions this host supports, comma-separated.
        supported: String,
    },
    /// The component implements a different world from the one its manifest
    /// names.
    #[error(
        "plugin '{plugin}': the manifest says world '{expected}' but the component exports '{found}'"
    )]
    WrongWorld {
        /// The plugin.
        plugin: PluginId,
        /// World in the manifest.
        expected: String,
        /// World the component implements.
        found: String,
    },
    /// The component imports something the sandbox does not grant.
    #[error("plugin '{plugin}' imports what this host does not grant: {imports}")]
    CapabilityNotGranted {
        /// The plugin.
        plugin: PluginId,
        /// Every such import, comma-separated, e.g. `wasi:sockets/tcp@0.2.6`.
        imports: String,
    },
    /// The manifest asks for a capability the operator has not allowed.
    #[error(
        "plugin '{plugin}' asks for capability '{capability}', which the operator has not allowed"
    )]
    CapabilityRefused {
        /// The plugin.
        plugin: PluginId,
        /// The capability asked for.
        capability: String,
    },
    /// The manifest asks for a limit of zero or above the operator's ceiling.
    #[error("plugin '{plugin}' asks for {limit} of {requested}, outside 1 to {ceiling}")]
    LimitOutOfRange {
        /// The plugin.
        plugin: PluginId,
        /// Which limit.
        limit: String,
        /// The value asked for.
        requested: u64,
        /// The operator's ceiling.
        ceiling: u64,
    },
    /// wasmtime could not link or instantiate the component.
    #[error("plugin '{plugin}' could not be instantiated: {message}")]
    Instantiate {
        /// The plugin.
        plugin: PluginId,
        /// wasmtime's message.
        message: String,
    },
    /// A tool declares a JSON Schema this host cannot check.
    #[error("plugin '{plugin}': {which} schema is not supported: {message}")]
    UnsupportedSchema {
        /// The plugin.
        plugin: PluginId,
        /// `input` or `output`.
        which: String,
        /// What is not supported, with its JSON pointer.
        message: String,
    },
    /// The input is larger than the plugin's input cap.
    #[error("input to plugin '{plugin}' is {bytes} bytes, above the cap of {limit}")]
    InputTooLarge {
        /// The plugin.
        plugin: PluginId,
        /// Size of the input.
        bytes: usize,
        /// The cap.
        limit: usize,
    },
    /// The input document does not match the tool's input schema (the
    /// caller's mistake; not counted against the plugin).
    #[error("input to plugin '{plugin}' does not match its schema: {violation}")]
    InputSchema {
        /// The plugin.
        plugin: PluginId,
        /// The first violation, with its JSON pointer.
        violation: String,
    },
    /// The call ran past its wall-clock deadline and was interrupted.
    #[error("plugin '{plugin}' ran past its deadline of {deadline_ms} ms and was stopped")]
    Timeout {
        /// The plugin.
        plugin: PluginId,
        /// The deadline.
        deadline_ms: u64,
    },
    /// The call used up its fuel (only when fuel metering is on, as in tests).
    #[error("plugin '{plugin}' used up its fuel of {fuel} and was stopped")]
    OutOfFuel {
        /// The plugin.
        plugin: PluginId,
        /// The fuel given to the call.
        fuel: u64,
    },
    /// The plugin tried to grow its memory past the cap.
    #[error(
        "plugin '{plugin}' tried to grow its memory to {requested} bytes, above the cap of {limit}"
    )]
    MemoryLimit {
        /// The plugin.
        plugin: PluginId,
        /// The size it asked for.
        requested: u64,
        /// The cap.
        limit: u64,
    },
    /// The plugin trapped (a panic, `unreachable`, an out-of-bounds access).
    #[error("plugin '{plugin}' trapped: {message}")]
    Trap {
        /// The plugin.
        plugin: PluginId,
        /// wasmtime's description of the trap.
        message: String,
    },
    /// The plugin's output is larger than its output cap.
    #[error("plugin '{plugin}' returned {bytes} bytes of output, above the cap of {limit}")]
    OutputTooLarge {
        /// The plugin.
        plugin: PluginId,
        /// Size of the output.
        bytes: usize,
        /// The cap.
        limit: usize,
    },
    /// The plugin's output breaks the contract (an undeclared category, a bad
    /// rule name, `data-json` that is not JSON, an empty step).
    #[error("plugin '{plugin}' returned malformed output: {detail}")]
    MalformedOutput {
        /// The plugin.
        plugin: PluginId,
        /// What is wrong.
        detail: String,
    },
    /// The tool's output data does not match its own output schema.
    #[error("output of plugin '{plugin}' does not match its schema: {violation}")]
    OutputSchema {
        /// The plugin.
        plugin: PluginId,
        /// The first violation, with its JSON pointer.
        violation: String,
    },
    /// The plugin returned its own error.
    #[error("plugin '{plugin}' reported an error ({kind}): {message}")]
    PluginReported {
        /// The plugin.
        plugin: PluginId,
        /// `invalid-input` or `internal`.
        kind: String,
        /// The plugin's message, cut to 200 bytes.
        message: String,
    },
    /// The plugin was disabled after failing repeatedly.
    #[error("plugin '{plugin}' is disabled: {reason}")]
    Disabled {
        /// The plugin.
        plugin: PluginId,
        /// Why, for an admin.
        reason: String,
    },
    /// Every slot of the host's instance pool stayed busy for the call's
    /// whole deadline ([`HostConfig::concurrent_calls`](crate::HostConfig)
    /// calls were already running).
    #[error("plugin '{plugin}' could not start: all instance slots stayed busy for {waited_ms} ms")]
    Busy {
        /// The plugin.
        plugin: PluginId,
        /// How long the call waited, in milliseconds.
        waited_ms: u64,
    },
    /// Plugins of a plugins folder were refused when loaded, so an engine or
    /// server built from that folder would silently run without them. Call
    /// [`PluginSet::forget_refused`](crate::PluginSet::forget_refused) first
    /// to run without them on purpose.
    #[error(
        "{count} installed plugin(s) were refused, and a safety engine is not built without them: {plugins}"
    )]
    Refused {
        /// How many.
        count: usize,
        /// Each as `'<folder name>' (<folder>): <why>`, separated by `; `.
        plugins: String,
    },
    /// The artifact key file is missing, unreadable, readable by others, or
    /// not 64 hex digits.
    #[error("artifact key file {path}: {message}")]
    KeyFile {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The host could not start its deadline ticker thread.
    #[error("the deadline ticker thread could not start: {message}")]
    Ticker {
        /// What the operating system said.
        message: String,
    },
}

impl Error {
    /// Whether this failure is the plugin's fault, so it counts towards
    /// disabling a plugin that keeps failing. Caller mistakes (input too large,
    /// input not matching the schema) and a plugin politely refusing an input
    /// (`invalid-input`) do not count.
    pub fn is_plugin_fault(&self) -> bool {
        match self {
            Error::Timeout { .. }
            | Error::OutOfFuel { .. }
            | Error::MemoryLimit { .. }
            | Error::Trap { .. }
            | Error::OutputTooLarge { .. }
            | Error::MalformedOutput { .. }
            | Error::OutputSchema { .. }
            | Error::Instantiate { .. } => true,
            Error::PluginReported { kind, .. } => kind == "internal",
            Error::Io { .. }
            | Error::InvalidManifest { .. }
            | Error::ChecksumMismatch { .. }
            | Error::ArtifactRefused { .. }
            | Error::Compile { .. }
            | Error::NotAPlugin { .. }
            | Error::UnsupportedContract { .. }
            | Error::WrongWorld { .. }
            | Error::CapabilityNotGranted { .. }
            | Error::CapabilityRefused { .. }
            | Error::LimitOutOfRange { .. }
            | Error::UnsupportedSchema { .. }
            | Error::InputTooLarge { .. }
            | Error::InputSchema { .. }
            | Error::Disabled { .. }
            | Error::Busy { .. }
            | Error::Refused { .. }
            | Error::KeyFile { .. }
            | Error::Ticker { .. } => false,
        }
    }

    /// The plugin the error is about, when it is about one.
    pub fn plugin(&self) -> Option<&PluginId> {
        match self {
            Error::ChecksumMismatch { plugin, .. }
            | Error::ArtifactRefused { plugin, .. }
            | Error::Compile { plugin, .. }
            | Error::NotAPlugin { plugin, .. }
            | Error::UnsupportedContract { plugin, .. }
            | Error::WrongWorld { plugin, .. }
            | Error::CapabilityNotGranted { plugin, .. }
            | Error::CapabilityRefused { plugin, .. }
            | Error::LimitOutOfRange { plugin, .. }
            | Error::Instantiate { plugin, .. }
            | Error::UnsupportedSchema { plugin, .. }
            | Error::InputTooLarge { plugin, .. }
            | Error::InputSchema { plugin, .. }
            | Error::Timeout { plugin, .. }
            | Error::OutOfFuel { plugin, .. }
            | Error::MemoryLimit { plugin, .. }
            | Error::Trap { plugin, .. }
            | Error::OutputTooLarge { plugin, .. }
            | Error::MalformedOutput { plugin, .. }
            | Error::OutputSchema { plugin, .. }
            | Error::PluginReported { plugin, .. }
            | Error::Disabled { plugin, .. }
            | Error::Busy { plugin, .. } => Some(plugin),
            Error::Io { .. }
            | Error::InvalidManifest { .. }
            | Error::Refused { .. }
            | Error::KeyFile { .. }
            | Error::Ticker { .. } => None,
        }
    }

    /// The plugin and [`cause`](Self::cause) in one line ("plugin 'x': it
    /// trapped …"): what may be logged, stored or shown of a call failure.
    pub fn summary(&self) -> String {
        match self.plugin() {
            Some(plugin) => format!("plugin '{plugin}': {}", self.cause()),
            None => self.cause().to_owned(),
        }
    }

    /// What went wrong, in words fixed by the host: none of the text a plugin
    /// returned (its message, its malformed output) or was given. The full
    /// [`Display`](std::fmt::Display) of a call failure may quote either, and
    /// what a plugin is given is what a patient wrote, so a disabled plugin's
    /// reason, a fail-closed finding and the server's logs use this instead.
    pub fn cause(&self) -> &'static str {
        match self {
            Error::Io { .. } => "a file of the plugin could not be read or written",
            Error::InvalidManifest { .. } => "its manifest is invalid",
            Error::ChecksumMismatch { .. } => "its file does not match the manifest's checksum",
            Error::ArtifactRefused { .. } => "its precompiled artifact was refused",
            Error::Compile { .. } => "it does not compile",
            Error::NotAPlugin { .. } => "it exports no plugin interface",
            Error::UnsupportedContract { .. } => "it was built for another plugin contract",
            Error::WrongWorld { .. } => "it exports another world than its manifest says",
            Error::CapabilityNotGranted { .. } | Error::CapabilityRefused { .. } => {
                "it asks for a capability it is not allowed"
            }
            Error::LimitOutOfRange { .. } => "it asks for a limit out of range",
            Error::Instantiate { .. } => "it could not be instantiated",
            Error::UnsupportedSchema { .. } => "its schema is not supported",
            Error::InputTooLarge { .. } => "its input was too large",
            Error::InputSchema { .. } => "its input did not match its schema",
            Error::Timeout { .. } => "it ran past its deadline",
            Error::OutOfFuel { .. } => "it used up its fuel",
            Error::MemoryLimit { .. } => "it tried to grow its memory past the cap",
            Error::Trap { .. } => "it trapped (a WebAssembly fault)",
            Error::OutputTooLarge { .. } => "its output was too large",
            Error::MalformedOutput { .. } => "its output broke the plugin contract",
            Error::OutputSchema { .. } => "its output did not match its schema",
            Error::PluginReported { kind, .. } if kind == "invalid-input" => {
                "it declined the input"
            }
            Error::PluginReported { .. } => "it reported an internal error",
            Error::Disabled { .. } => "it is disabled",
            Error::Busy { .. } => "all its instance slots were busy",
            Error::Refused { .. } => "installed plugins were refused",
            Error::KeyFile { .. } => "the artifact key file could not be used",
            Error::Ticker { .. } => "the deadline ticker could not start",
        }
    }
}
