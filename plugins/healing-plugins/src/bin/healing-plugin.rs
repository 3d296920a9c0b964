//! `healing-plugin`: try a plugin locally with the real sandbox and limits.
//!
//! ```text
//! healing-plugin check PLUGIN.wasm         load it, print what it declares
//! healing-plugin run PLUGIN.wasm INPUT.json
//!     risk rule: INPUT.json is {"text": "...", "context": {...}} (context optional);
//!                prints the plugin's findings and the core engine's assessment with it
//!     CBT tool:  INPUT.json is the tool's input document; prints its output
//! ```
//!
//! Exit status: 0 on success, 1 when the plugin fails or is refused, 2 on a
//! usage error.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use healing_core::safety::{Context, Engine, RiskLevel, Source};
use healing_plugins::{ArtifactKey, HostConfig, Plugin, PluginHost, PluginId};
use serde::Deserialize;
use serde_json::{Value, json};

const USAGE: &str =
    "usage: healing-plugin check PLUGIN.wasm\n       healing-plugin run PLUGIN.wasm INPUT.json";

/// The input of `run` for a risk rule.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RiskInput {
    text: String,
    #[serde(default)]
    context: ContextInput,
}

/// A context where every field may be left out.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ContextInput {
    #[serde(default)]
    source: Source,
    #[serde(default)]
    recent_levels: Vec<RiskLevel>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["check", wasm] => check(Path::new(wasm)),
        ["run", wasm, input] => run(Path::new(wasm), Path::new(input)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result.and_then(|output| print_json(&output)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("healing-plugin: {message}");
            ExitCode::from(1)
        }
    }
}

fn load(wasm_path: &Path) -> Result<Plugin, String> {
    let wasm = std::fs::read(wasm_path).map_err(|e| format!("{}: {e}", wasm_path.display()))?;
    // Trial loads write no artifacts, so the artifact key is never used.
    let host = PluginHost::new(HostConfig::new(ArtifactKey::from_bytes([0; 32])))
        .map_err(|e| e.to_string())?;
    let id = wasm_path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .map(|stem| stem.to_ascii_lowercase().replace('.', "-"))
        .and_then(|stem| PluginId::new(&stem).ok())
        .ok_or_else(|| "the file name does not make a plugin id (a-z0-9-_)".to_owned())?;
    host.load_for_trial(id, &wasm).map_err(|e| e.to_string())
}

fn check(wasm_path: &Path) -> Result<Value, String> {
    Ok(match load(wasm_path)? {
        Plugin::RiskRule(plugin) => json!({
            "id": plugin.id(),
            "world": "risk_rule",
            "contract": plugin.contract().to_string(),
            "limits": plugin.limits(),
            "description": plugin.description(),
        }),
        Plugin::CbtTool(plugin) => json!({
            "id": plugin.id(),
            "world": "cbt_tool",
            "contract": plugin.contract().to_string(),
            "limits": plugin.limits(),
            "description": plugin.description(),
        }),
    })
}

fn run(wasm_path: &Path, input_path: &Path) -> Result<Value, String> {
    let plugin = load(wasm_path)?;
    let input_text = std::fs::read_to_string(input_path)
        .map_err(|e| format!("{}: {e}", input_path.display()))?;
    match plugin {
        Plugin::RiskRule(plugin) => {
            let input: RiskInput = serde_json::from_str(&input_text)
                .map_err(|e| format!("{}: {e}", input_path.display()))?;
            let context = Context {
                source: input.context.source,
                recent_levels: input.context.recent_levels,
            };
            let findings = plugin
                .findings(&input.text, &context)
                .map_err(|e| e.to_string())?;
            let engine = Engine::standard()
                .map_err(|e| e.to_string())?
                .with_rule(*plugin);
            let assessment = engine.assess(&input.text, &context);
            Ok(json!({ "findings": findings, "assessment_with_plugin": assessment }))
        }
        Plugin::CbtTool(plugin) => {
            let input: Value = serde_json::from_str(&input_text)
                .map_err(|e| format!("{}: {e}", input_path.display()))?;
            let output = plugin.run(&input).map_err(|e| e.to_string())?;
            serde_json::to_value(&output).map_err(|e| e.to_string())
        }
    }
}

fn print_json(value: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}").map_err(|e| e.to_string())
}
