//! Installing compiles once and keeps an authenticated artifact; loading
//! deserialises only artifacts this host produced.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use healing_core::safety::Context;
use healing_plugins::{ArtifactKey, Error, HostConfig, Plugin, PluginHost, World};

use super::{fixture, host, manifest};

/// A fresh folder under the system temp dir holding one plugin, not installed.
fn plugin_folder(test: &str, fixture_name: &str, id: &str, world: World) -> PathBuf {
    let root = std::env::temp_dir().join(format!("healing-plugins-{test}-{}", std::process::id()));
    let folder = root.join(id);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let wasm = fixture(fixture_name);
    let manifest = manifest(id, world, &wasm);
    std::fs::write(folder.join(&manifest.file), &wasm).unwrap();
    std::fs::write(
        folder.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    folder
}

/// A folder holding `local_terms` installed by a host with the test key. It
/// is installed (compiled) once per process and copied for each test, since
/// a debug build of Cranelift takes seconds per component.
fn installed_local_terms(test: &str) -> PathBuf {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    let source = INSTALLED.get_or_init(|| {
        let folder = plugin_folder("installed", "local_terms", "local-terms", World::RiskRule);
        host().install(&folder).unwrap();
        folder
    });
    let copy = plugin_folder(test, "local_terms", "local-terms", World::RiskRule);
    for file in ["plugin.cwasm", "install.json"] {
        std::fs::copy(source.join(file), copy.join(file)).unwrap();
    }
    copy
}

fn findings_count(plugin: &Plugin, text: &str) -> usize {
    match plugin {
        Plugin::RiskRule(rule) => rule.findings(text, &Context::default()).unwrap().len(),
        Plugin::CbtTool(tool) => panic!("{} is a tool", tool.id()),
    }
}

#[test]
fn install_then_load_runs_from_the_precompiled_artifact() {
    let folder = installed_local_terms("install");
    assert!(folder.join("plugin.cwasm").is_file());
    let plugin = host().load(&folder).unwrap();
    assert_eq!(findings_count(&plugin, "sewerslide"), 1);
}

#[test]
fn a_tampered_artifact_is_never_deserialised() {
    let folder = installed_local_terms("tamper");
    let host = host();
    let artifact_path = folder.join("plugin.cwasm");
    let mut artifact = std::fs::read(&artifact_path).unwrap();
    let middle = artifact.len() / 2;
    artifact[middle] ^= 0xff;
    std::fs::write(&artifact_path, &artifact).unwrap();
    assert_eq!(
        host.load(&folder).unwrap_err().to_string(),
        "plugin 'local-terms': precompiled artifact refused (hmac does not match: the artifact was not produced by this host); reinstall the plugin"
    );
}

#[test]
fn an_artifact_installed_under_another_key_is_refused() {
    let folder = installed_local_terms("otherkey");
    let other = PluginHost::new(HostConfig::new(ArtifactKey::from_bytes([9; 32]))).unwrap();
    assert!(matches!(
        other.load(&folder),
        Err(Error::ArtifactRefused { .. })
    ));
}

#[test]
fn a_plugin_that_was_never_installed_is_refused() {
    let folder = plugin_folder("uninstalled", "local_terms", "local-terms", World::RiskRule);
    assert!(matches!(
        host().load(&folder),
        Err(Error::ArtifactRefused { .. })
    ));
}

#[test]
fn load_folder_gives_each_plugin_its_own_result() {
    let good = installed_local_terms("folder");
    let _not_installed = plugin_folder("folder", "box_breathing", "box-breathing", World::CbtTool);
    let root: &Path = good.parent().unwrap();
    let results = host().load_folder(root).unwrap();
    let summary: Vec<(String, bool)> = results
        .iter()
        .map(|load| {
            (
                load.folder
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                load.plugin.is_ok(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("box-breathing".to_owned(), false),
            ("local-terms".to_owned(), true)
        ]
    );
}
