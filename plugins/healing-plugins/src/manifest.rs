//! The manifest beside each plugin: who it is, what it implements, its file's
//! digest, and the limits and capabilities it asks for.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A plugin's id: 1 to 64 bytes of `a-z`, `0-9`, `-` and `_`, starting with a
/// letter. It names the plugin in errors, notes and finding rule ids
/// (`plugin/<id>/<rule>`), so it is kept plain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PluginId(String);

impl PluginId {
    /// Checks and wraps an id.
    pub fn new(id: &str) -> Result<PluginId, Error> {
        let valid = (1..=64).contains(&id.len())
            && id.starts_with(|c: char| c.is_ascii_lowercase())
            && id
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_'));
        if valid {
            Ok(PluginId(id.to_owned()))
        } else {
            Err(Error::InvalidManifest {
                path: "<id>".to_owned(),
                message: format!(
                    "plugin id '{}' is not 1-64 bytes of a-z, 0-9, '-', '_' starting with a letter",
                    id.chars().take(80).collect::<String>()
                ),
            })
        }
    }

    /// The id used in errors about the host itself rather than a plugin.
    pub(crate) fn host() -> PluginId {
        PluginId("host".to_owned())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PluginId {
    type Error = String;

    fn try_from(id: String) -> Result<Self, Self::Error> {
        PluginId::new(&id).map_err(|error| error.to_string())
    }
}

impl From<PluginId> for String {
    fn from(id: PluginId) -> String {
        id.0
    }
}

/// Which world of the contract a plugin implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum World {
    /// `risk-rule`: a local risk rule for the safety engine.
    RiskRule,
    /// `cbt-tool`: a CBT tool with JSON input and output.
    CbtTool,
}

impl World {
    /// The world's name in the WIT package.
    pub fn wit_name(self) -> &'static str {
        match self {
            World::RiskRule => "risk-rule",
            World::CbtTool => "cbt-tool",
        }
    }
}

/// A WASI capability beyond the sandbox's base set that a manifest may ask
/// for; the operator must also allow it in [`HostConfig`](crate::HostConfig).
/// Files, sockets and HTTP are never granted by this version of the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// `wasi:clocks/wall-clock`: the date and time.
    WallClock,
    /// `wasi:clocks/monotonic-clock`: elapsed time.
    MonotonicClock,
    /// `wasi:random/*`: random bytes.
    Random,
}

impl Capability {
    /// The capability's manifest name.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::WallClock => "wall_clock",
            Capability::MonotonicClock => "monotonic_clock",
            Capability::Random => "random",
        }
    }
}

/// Resource limits for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Most linear memory a plugin instance may have, in bytes.
    pub memory_bytes: u64,
    /// Wall-clock deadline for one call (instantiation included), in
    /// milliseconds.
    pub deadline_ms: u64,
    /// Most input a call may carry (the text, or the input JSON), in bytes.
    pub input_bytes: u64,
    /// Most output a call may return (all strings and list items), in bytes.
    pub output_bytes: u64,
}

impl Limits {
    /// The defaults: 32 MiB of memory, 100 ms, 64 KiB in, 256 KiB out.
    pub const DEFAULT: Limits = Limits {
        memory_bytes: 32 << 20,
        deadline_ms: 100,
        input_bytes: 64 << 10,
        output_bytes: 256 << 10,
    };

    /// The highest values a manifest may ask for unless the operator sets
    /// others: 256 MiB, 2 s, 1 MiB in, 4 MiB out.
    pub const CEILING: Limits = Limits {
        memory_bytes: 256 << 20,
        deadline_ms: 2_000,
        input_bytes: 1 << 20,
        output_bytes: 4 << 20,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Limits a manifest asks for; a missing one takes the host's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestedLimits {
    /// See [`Limits::memory_bytes`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<u64>,
    /// See [`Limits::deadline_ms`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<u64>,
    /// See [`Limits::input_bytes`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_bytes: Option<u64>,
    /// See [`Limits::output_bytes`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_bytes: Option<u64>,
}

impl RequestedLimits {
    /// The limits for a plugin: each requested value, or the default, checked
    /// against the ceiling.
    pub(crate) fn resolve(
        &self,
        plugin: &PluginId,
        defaults: Limits,
        ceiling: Limits,
    ) -> Result<Limits, Error> {
        let pick = |name: &str, requested: Option<u64>, default: u64, ceiling: u64| {
            let value = requested.unwrap_or(default);
            if value > ceiling || value == 0 {
                Err(Error::LimitOutOfRange {
                    plugin: plugin.clone(),
                    limit: name.to_owned(),
                    requested: value,
                    ceiling,
                })
            } else {
                Ok(value)
            }
        };
        Ok(Limits {
            memory_bytes: pick(
                "memory_bytes",
                self.memory_bytes,
                defaults.memory_bytes,
                ceiling.memory_bytes,
            )?,
            deadline_ms: pick(
                "deadline_ms",
                self.deadline_ms,
                defaults.deadline_ms,
                ceiling.deadline_ms,
            )?,
            input_bytes: pick(
                "input_bytes",
                self.input_bytes,
                defaults.input_bytes,
                ceiling.input_bytes,
            )?,
            output_bytes: pick(
                "output_bytes",
                self.output_bytes,
                defaults.output_bytes,
                ceiling.output_bytes,
            )?,
        })
    }
}

/// The `manifest.json` in a plugin's folder.
///
/// ```json
/// {
///   "id": "local-terms",
///   "version": "0.1.0",
///   "world": "risk_rule",
///   "file": "local_terms.wasm",
///   "sha256": "<64 lower-case hex digits of the file's SHA-256>",
///   "limits": { "deadline_ms": 50 },
///   "capabilities": []
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The plugin's id, unique in a plugins folder.
    pub id: PluginId,
    /// The plugin's own version (1-32 bytes of `0-9A-Za-z.+-`).
    pub version: String,
    /// The world it implements.
    pub world: World,
    /// The component's file name, in the same folder (no directories).
    pub file: String,
    /// SHA-256 of the component file, lower-case hex.
    pub sha256: String,
    /// Limits it asks for.
    #[serde(default)]
    pub limits: RequestedLimits,
    /// Capabilities beyond the base sandbox it asks for.
    #[serde(default)]
    pub capabilities: Vec<Capability>,
}

impl Manifest {
    /// Parses and checks a manifest; `path` only names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Manifest, Error> {
        let invalid = |message: String| Error::InvalidManifest {
            path: path.to_owned(),
            message,
        };
        let manifest: Manifest =
            serde_json::from_str(text).map_err(|error| invalid(error.to_string()))?;
        let version_ok = (1..=32).contains(&manifest.version.len())
            && manifest
                .version
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
        if !version_ok {
            return Err(invalid(format!(
                "version '{}' is not 1-32 bytes of 0-9A-Za-z.+-",
                manifest.version.chars().take(40).collect::<String>()
            )));
        }
        // A bare file name keeps the component inside the plugin's folder.
        let file_ok = (1..=128).contains(&manifest.file.len())
            && manifest.file != "."
            && manifest.file != ".."
            && manifest
                .file
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !file_ok {
            return Err(invalid(format!(
                "file '{}' is not a plain file name (1-128 bytes of 0-9A-Za-z.-_)",
                manifest.file.chars().take(40).collect::<String>()
            )));
        }
        let digest_ok = manifest.sha256.len() == 64
            && manifest
                .sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !digest_ok {
            return Err(invalid(format!(
                "sha256 '{}' is not 64 lower-case hex digits",
                manifest.sha256.chars().take(80).collect::<String>()
            )));
        }
        Ok(manifest)
    }
}
