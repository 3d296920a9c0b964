//! Installing compiles once and keeps an authenticated artifact; loading
//! deserialises only artifacts this host produced.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use healing_core::safety::{Context, Engine};
use healing_plugins::{ArtifactKey, Error, HostConfig, Plugin, PluginHost, PluginSet, World};

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

/// A plugins folder holding one installed `local-terms` whose artifact `spoil`
/// has changed, for building an engine from it.
fn plugins_root_with(test: &str, spoil: impl FnOnce(&Path)) -> PathBuf {
    let folder = installed_local_terms(test);
    spoil(&folder);
    folder.parent().unwrap().to_path_buf()
}

fn corrupt_artifact(folder: &Path) {
    let path = folder.join("plugin.cwasm");
    let mut artifact = std::fs::read(&path).unwrap();
    let middle = artifact.len() / 2;
    artifact[middle] ^= 0xff;
    std::fs::write(&path, &artifact).unwrap();
}

/// Installs the folder again under another key: its artifact and record are
/// then foreign to a host with the test key.
fn install_under_another_key(folder: &Path) {
    let other = PluginHost::new(HostConfig::new(ArtifactKey::from_bytes([9; 32]))).unwrap();
    other.install(folder).unwrap();
}

/// Rewrites `install.json` as if another build of the host had compiled the
/// artifact.
fn mark_as_another_build(folder: &Path) {
    let path = folder.join("install.json");
    let mut record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    record["engine"] = serde_json::json!("0123456789abcdef");
    std::fs::write(&path, serde_json::to_vec(&record).unwrap()).unwrap();
}

#[test]
fn an_engine_is_not_built_from_a_folder_with_a_corrupted_or_foreign_key_artifact() {
    for (test, spoil) in [
        ("engine-corrupt", corrupt_artifact as fn(&Path)),
        ("engine-foreign", install_under_another_key),
    ] {
        let root = plugins_root_with(test, spoil);
        let set = PluginSet::new();
        let loads = set.load_folder(&host(), &root).unwrap();
        assert_eq!(loads.len(), 1);
        assert!(loads[0].plugin.is_err());
        let error = set.engine(Engine::standard().unwrap()).unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, Error::Refused { count: 1, .. }),
            "{test}: {message}"
        );
        assert!(
            message.contains("'local-terms'") && message.contains("hmac does not match"),
            "{test}: {message}"
        );
        // Running without it is the caller's explicit decision.
        let forgotten = set.forget_refused();
        assert_eq!(forgotten.len(), 1);
        assert_eq!(forgotten[0].folder, root.join("local-terms"));
        let engine = set.engine(Engine::standard().unwrap()).unwrap();
        assert_eq!(
            engine.rules_version(),
            Engine::standard().unwrap().rules_version()
        );
    }
}

#[test]
fn a_folder_that_loads_again_is_no_longer_refused() {
    let root = plugins_root_with("engine-reinstalled", corrupt_artifact);
    let set = PluginSet::new();
    set.load_folder(&host(), &root).unwrap();
    assert_eq!(set.refused().len(), 1);
    host().install(&root.join("local-terms")).unwrap();
    set.load_folder(&host(), &root).unwrap();
    assert!(set.refused().is_empty());
    let engine = set.engine(Engine::standard().unwrap()).unwrap();
    let base = Engine::standard().unwrap();
    assert_eq!(
        engine.rules_version(),
        format!("{}+plugin/local-terms@0.1.0", base.rules_version())
    );
    let assessment = engine.assess("sewerslide", &Context::default());
    assert_eq!(assessment.rules_version, engine.rules_version());
    assert!(
        assessment
            .findings
            .iter()
            .any(|finding| finding.rule.starts_with("plugin/local-terms/"))
    );
}

#[test]
fn an_artifact_of_another_build_is_compiled_again_from_the_installed_component() {
    let folder = installed_local_terms("otherbuild");
    mark_as_another_build(&folder);
    let plugin = host().load(&folder).unwrap();
    assert_eq!(findings_count(&plugin, "sewerslide"), 1);
    // The new artifact replaced the old: the next load deserialises it.
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("install.json")).unwrap()).unwrap();
    assert_ne!(record["engine"], "0123456789abcdef");
    assert_eq!(
        findings_count(&host().load(&folder).unwrap(), "sewerslide"),
        1
    );
}

#[test]
fn an_artifact_of_another_build_is_refused_unless_this_key_installed_it() {
    // Installed under another key: the component is not this operator's.
    let folder = installed_local_terms("otherbuild-foreign");
    install_under_another_key(&folder);
    mark_as_another_build(&folder);
    let error = host().load(&folder).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("does not show this host's key installed the component"),
        "{error}"
    );
    // Installed by this key, but the component has gone.
    let folder = installed_local_terms("otherbuild-gone");
    mark_as_another_build(&folder);
    std::fs::remove_file(folder.join("local-terms.wasm")).unwrap();
    let error = host().load(&folder).unwrap_err();
    assert!(
        error.to_string().contains("is not there to compile again"),
        "{error}"
    );
}
