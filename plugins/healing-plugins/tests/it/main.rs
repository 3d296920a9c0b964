//! Integration tests of the plugin host through its public API, with the
//! prebuilt plugins in `tests/fixtures/` (rebuilt by `plugins/build-fixtures.sh`).

mod c_plugin;
mod cbt_tools;
mod hostile;
mod install;
mod pool;
mod risk_rules;

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use healing_plugins::{
    ArtifactKey, CbtToolPlugin, Error, HostConfig, Manifest, Plugin, PluginHost, PluginId,
    RequestedLimits, RiskRulePlugin, World, sha256_hex,
};

/// The bytes of a committed fixture, e.g. `local_terms`.
fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn test_key() -> ArtifactKey {
    ArtifactKey::from_bytes([7; 32])
}

fn host() -> PluginHost {
    PluginHost::new(HostConfig::new(test_key())).unwrap()
}

/// A manifest for `wasm` with the default limits.
fn manifest(id: &str, world: World, wasm: &[u8]) -> Manifest {
    manifest_with_limits(id, world, wasm, RequestedLimits::default())
}

fn manifest_with_limits(id: &str, world: World, wasm: &[u8], limits: RequestedLimits) -> Manifest {
    Manifest {
        id: PluginId::new(id).unwrap(),
        version: "0.1.0".to_owned(),
        world,
        file: format!("{id}.wasm"),
        sha256: sha256_hex(wasm),
        limits,
        capabilities: Vec::new(),
    }
}

/// Loads a fixture from a precompiled artifact. A debug build of Cranelift
/// takes seconds per component, so each fixture is installed (compiled) once
/// per test process, into a folder under the system temp dir, and every test
/// then loads the artifact, which also exercises the install path.
fn load(host: &PluginHost, name: &str, world: World) -> Result<Plugin, Error> {
    load_with_limits(host, name, world, RequestedLimits::default())
}

/// [`load`] with a manifest that asks for `limits`; each set of limits is
/// installed once per test process, in its own folder.
fn load_with_limits(
    host: &PluginHost,
    name: &str,
    world: World,
    limits: RequestedLimits,
) -> Result<Plugin, Error> {
    static INSTALLED: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());
    let id = name.replace('_', "-");
    let variant = format!(
        "{id}-{world:?}-{}",
        sha256_hex(&serde_json::to_vec(&limits).unwrap())
    );
    let mut installed = INSTALLED.lock().unwrap_or_else(PoisonError::into_inner);
    let folder = match installed.iter().find(|(done, _)| *done == variant) {
        Some((_, folder)) => folder.clone(),
        None => {
            let folder = std::env::temp_dir()
                .join(format!("healing-plugins-fixtures-{}", std::process::id()))
                .join(&variant);
            std::fs::create_dir_all(&folder).unwrap();
            let wasm = fixture(name);
            let manifest = manifest_with_limits(&id, world, &wasm, limits);
            std::fs::write(folder.join(&manifest.file), &wasm).unwrap();
            std::fs::write(
                folder.join("manifest.json"),
                serde_json::to_vec(&manifest).unwrap(),
            )
            .unwrap();
            // A refused plugin leaves no artifact; report its error.
            host.install(&folder)?;
            installed.push((variant, folder.clone()));
            folder
        }
    };
    drop(installed);
    host.load(&folder)
}

fn risk_rule(host: &PluginHost, name: &str) -> RiskRulePlugin {
    match load(host, name, World::RiskRule).unwrap() {
        Plugin::RiskRule(plugin) => *plugin,
        Plugin::CbtTool(plugin) => panic!("{} is a CBT tool", plugin.id()),
    }
}

/// A risk rule whose manifest asks for `limits`.
fn risk_rule_with_limits(host: &PluginHost, name: &str, limits: RequestedLimits) -> RiskRulePlugin {
    match load_with_limits(host, name, World::RiskRule, limits).unwrap() {
        Plugin::RiskRule(plugin) => *plugin,
        Plugin::CbtTool(plugin) => panic!("{} is a CBT tool", plugin.id()),
    }
}

fn cbt_tool(host: &PluginHost, name: &str) -> CbtToolPlugin {
    match load(host, name, World::CbtTool).unwrap() {
        Plugin::CbtTool(plugin) => *plugin,
        Plugin::RiskRule(plugin) => panic!("{} is a risk rule", plugin.id()),
    }
}
