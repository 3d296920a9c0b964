//! The Healing plugin host: runs WebAssembly components (risk rules and CBT
//! tools) with `wasmtime`, giving them nothing but what the
//! `healing:plugin` contract declares.
//!
#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

mod bindings;
mod cbt_tool;
mod contract;
mod error;
mod host;
mod key_file;
mod manifest;
mod plugins_dir;
mod pool;
mod risk_rule;
mod sandbox;
mod schema;
mod set;

#[cfg(test)]
mod tests;

pub use cbt_tool::{CbtToolPlugin, Step, ToolDescription, ToolOutput};
pub use contract::ContractVersion;
pub use error::Error;
pub use host::{ArtifactKey, FolderLoad, HostConfig, Plugin, PluginHost, sha256_hex};
pub use manifest::{Capability, Limits, Manifest, PluginId, RequestedLimits, World};
pub use plugins_dir::{InstallRequest, Installed, remove_plugin};
pub use risk_rule::{RiskRulePlugin, RiskRuleSession, RuleDescription};

pub use sandbox::PluginStatus;
pub use schema::Schema;
pub use set::{LoadedFolder, LoadedPlugin, PluginSet, RefusedPlugin};
