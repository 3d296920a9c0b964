//! Which contract version a component was built for, and whether its imports
//! stay inside the sandbox.
//!
//! The version is read from the name of the interface the component exports
//! (`healing:plugin/rule@0.1.0`), before anything is linked, so a plugin built
//! for an unsupported version is refused with both versions named.

use std::fmt;

use serde::{Deserialize, Serialize};
use wasmtime::Engine;
use wasmtime::component::Component;

use crate::Error;
use crate::manifest::{Capability, PluginId, World};

/// The WIT package of the contract.
pub(crate) const PACKAGE: &str = "healing:plugin";

/// A version of the contract this host keeps bindings for. When a new major
/// version ships, its bindings are added beside the previous major's (a new
/// variant and a new module in `bindings.rs`), so plugins built for either
/// keep loading; older ones are refused at load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractVersion {
    /// `healing:plugin@0.1.0`, the first version.
    V0_1_0,
}

impl ContractVersion {
    /// Every version this host supports, oldest first.
    pub const SUPPORTED: [ContractVersion; 1] = [ContractVersion::V0_1_0];

    /// The version as written in WIT, e.g. `0.1.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContractVersion::V0_1_0 => "0.1.0",
        }
    }

    /// The supported version with this text, if any.
    pub fn from_version(version: &str) -> Option<ContractVersion> {
        Self::SUPPORTED
            .into_iter()
            .find(|supported| supported.as_str() == version)
    }

    /// The supported versions, comma-separated, for messages.
    pub(crate) fn supported_list() -> String {
        Self::SUPPORTED
            .iter()
            .map(|version| version.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for ContractVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PACKAGE}@{}", self.as_str())
    }
}

/// What a component says about itself through its exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Detected {
    pub(crate) version: ContractVersion,
    pub(crate) world: World,
}

/// Reads the contract version and world from the component's exports.
pub(crate) fn detect(
    plugin: &PluginId,
    component: &Component,
    engine: &Engine,
) -> Result<Detected, Error> {
    let component_type = component.component_type();
    let mut names = Vec::new();
    for (name, _) in component_type.exports(engine) {
        names.push(name.to_owned());
        let Some(rest) = name.strip_prefix(PACKAGE).and_then(|r| r.strip_prefix('/')) else {
            continue;
        };
        let (interface, version) = rest.split_once('@').unwrap_or((rest, ""));
        let world = match interface {
            "rule" => World::RiskRule,
            "tool" => World::CbtTool,
            // An interface of a future version this host has never heard of.
            _ => {
                return Err(Error::UnsupportedContract {
                    plugin: plugin.clone(),
                    found: format!("{version} ({interface})"),
                    supported: ContractVersion::supported_list(),
                });
            }
        };
        let version =
            ContractVersion::from_version(version).ok_or_else(|| Error::UnsupportedContract {
                plugin: plugin.clone(),
                found: version.to_owned(),
                supported: ContractVersion::supported_list(),
            })?;
        return Ok(Detected { version, world });
    }
    Err(Error::NotAPlugin {
        plugin: plugin.clone(),
        exports: names.join(", "),
    })
}

/// WASI interfaces every plugin may import. Rust's `wasm32-wasip2` standard
/// library imports these even when a plugin never prints or exits; the host
/// satisfies them with an empty context: no environment variables or
/// arguments, stdin empty, stdout and stderr discarded.
const BASE_IMPORTS: &[&str] = &[
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
];

/// The capability that grants an import beyond the base set, if any does.
fn capability_for(interface: &str) -> Option<Capability> {
    match interface {
        "wasi:clocks/wall-clock" => Some(Capability::WallClock),
        "wasi:clocks/monotonic-clock" => Some(Capability::MonotonicClock),
        "wasi:random/random" | "wasi:random/insecure" | "wasi:random/insecure-seed" => {
            Some(Capability::Random)
        }
        _ => None,
    }
}

/// Checks every import of the component against the base set and the granted
/// capabilities. Files, sockets, HTTP and anything unknown are refused here,
/// before linking, with the import named.
pub(crate) fn check_imports(
    plugin: &PluginId,
    component: &Component,
    engine: &Engine,
    granted: &[Capability],
) -> Result<(), Error> {
    let component_type = component.component_type();
    let mut refused = Vec::new();
    for (name, _) in component_type.imports(engine) {
        let (interface, version) = name.split_once('@').unwrap_or((name, ""));
        // wasmtime-wasi 48 implements WASI 0.2.0 to 0.2.6; other versions
        // would fail to link anyway, and are refused here with a clear name.
        let allowed = version.starts_with("0.2.")
            && (BASE_IMPORTS.contains(&interface)
                || capability_for(interface).is_some_and(|c| granted.contains(&c)));
        if !allowed {
            refused.push(name);
        }
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Error::CapabilityNotGranted {
            plugin: plugin.clone(),
            imports: refused.join(", "),
        })
    }
}
