//! Screens a text with the built-in rules and every risk-rule plugin
//! installed in a service's plugins folder, as a service's own code does at
//! start-up: read the operator's artifact key, start a host, load the plugins
//! folder, build the engine (which fails, naming the plugin, if one was
//! refused), assess.
//!
//! ```sh
//! cargo run -p healing-plugins --example screen_with_plugins -- "the cat scratches are back"
//! ```
//!
//! Reads `HEALING_PLUGIN_DIR` (default `healing-data/plugins`) and
//! `HEALING_PLUGIN_KEY_FILE` (default `healing-data/plugin-artifact.key`), the
//! folders `healing-plugin install` and `healing-server` use.
#![expect(
    clippy::print_stdout,
    reason = "the example's output is what it screened"
)]

use std::path::PathBuf;
use std::process::ExitCode;

use healing_core::safety::{Context, Engine, Source};
use healing_plugins::{ArtifactKey, HostConfig, PluginHost, PluginSet};

fn main() -> ExitCode {
    match screen() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("screen_with_plugins: {message}");
            ExitCode::FAILURE
        }
    }
}

fn setting(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

fn screen() -> Result<(), String> {
    let text = std::env::args()
        .nth(1)
        .ok_or("usage: screen_with_plugins TEXT")?;
    let plugin_dir = setting("HEALING_PLUGIN_DIR", "healing-data/plugins");
    let key_file = setting(
        "HEALING_PLUGIN_KEY_FILE",
        "healing-data/plugin-artifact.key",
    );

    // The key `healing-plugin install` generated: only artifacts compiled
    // under it are ever loaded.
    let key = ArtifactKey::read_file(&key_file).map_err(|e| e.to_string())?;
    let host = PluginHost::new(HostConfig::new(key)).map_err(|e| e.to_string())?;
    let plugins = PluginSet::new();
    for load in plugins
        .load_folder(&host, &plugin_dir)
        .map_err(|e| e.to_string())?
    {
        match &load.plugin {
            Ok(plugin) => println!("loaded {} {}", plugin.id(), plugin.version()),
            Err(error) => println!("refused {}: {error}", load.folder.display()),
        }
    }
    // Fails while any plugin was refused: a risk rule the operator installed
    // never silently goes missing (`plugins.forget_refused()` to run without it).
    let base = Engine::standard().map_err(|e| e.to_string())?;
    let engine = plugins.engine(base).map_err(|e| e.to_string())?;
    let context = Context {
        source: Source::Journal,
        recent_levels: Vec::new(),
    };
    let assessment = engine.assess(&text, &context);
    println!(
        "level {} (rules {})",
        assessment.level.as_str(),
        assessment.rules_version
    );
    for finding in &assessment.findings {
        println!(
            "  {} {}: {}",
            finding.rule,
            finding.level.as_str(),
            finding.reason
        );
    }
    Ok(())
}
