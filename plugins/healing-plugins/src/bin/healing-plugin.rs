//! `healing-plugin`: try a plugin locally with the real sandbox and limits, and
//! install, list and remove the plugins of a service's plugins folder.
//!
//! Run `healing-plugin --help` for the commands. Exit status: 0 on success, 1
//! when a plugin fails or is refused, 2 on a usage error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use healing_core::safety::{Context, Engine, RiskLevel, Source};
use healing_plugins::{
    ArtifactKey, HostConfig, InstallRequest, LoadedPlugin, Manifest, Plugin, PluginHost, PluginId,
    PluginSet, remove_plugin,
};
use serde::Deserialize;
use serde_json::{Value, json};

const HELP: &str = "\
healing-plugin: try, install, list and remove Healing plugins (WebAssembly components).

usage:
  healing-plugin check PLUGIN            load it in the sandbox, print what it declares
  healing-plugin run PLUGIN INPUT.json   run it once
      risk rule: INPUT.json is {\"text\": \"...\", \"context\": {\"source\": \"journal\"}}
                 (context optional); prints its findings and the core engine's
                 assessment with it merged in
      CBT tool:  INPUT.json is the tool's input document; prints its output
  healing-plugin install PLUGIN [--id ID] [--version VERSION]
      copies the plugin into PLUGINS_DIR/<id>/, compiles it once and keeps an
      artifact authenticated with the operator's key; replaces an earlier
      install of the same id; a refused plugin leaves nothing behind
  healing-plugin list                    load every installed plugin, print each
                                         (exit 1 if any is refused)
  healing-plugin remove ID               delete PLUGINS_DIR/<ID>/
  healing-plugin --help

PLUGIN is a component file (.wasm) or a plugin folder (manifest.json beside the
component). A .wasm file's plugin id is its file name with '_' as '-' (cargo names
crate my-terms's component my_terms.wasm, so its id is my-terms), or --id; its
version is the one the plugin describes, or --version. A folder's manifest says both.

settings (flags before or after the command, or environment variables):
  --data-dir DIR        HEALING_DATA_DIR, default ./healing-data (as healing-server)
  --plugin-dir DIR      HEALING_PLUGIN_DIR, default DATA_DIR/plugins
  --plugin-key-file F   HEALING_PLUGIN_KEY_FILE, default DATA_DIR/plugin-artifact.key:
                        the operator's artifact key, 64 hex digits, mode 0600,
                        generated on first install

healing-server reads the same settings, so `healing-server serve` loads what this
installs.";

const USAGE: &str = "usage: healing-plugin check|run|install|list|remove ... (--help for more)";

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

/// Where the installed plugins and the operator's key live.
struct Folders {
    plugin_dir: PathBuf,
    key_file: PathBuf,
}

/// A parsed command line.
struct Command {
    words: Vec<String>,
    id: Option<String>,
    version: Option<String>,
    folders: Folders,
}

fn main() -> ExitCode {
    let command = match parse(std::env::args().skip(1).collect()) {
        Ok(Some(command)) => command,
        Ok(None) => {
            // `--help` is a successful answer, on standard output.
            return match print_text(HELP) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            };
        }
        Err(message) => {
            eprintln!("healing-plugin: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let words: Vec<&str> = command.words.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        ["check", plugin] => check(Path::new(plugin)),
        ["run", plugin, input] => run(Path::new(plugin), Path::new(input)),
        ["install", plugin] => install(&command, Path::new(plugin)),
        ["list"] => list(&command.folders),
        ["remove", id] => remove(&command.folders, id),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(output) => match print_json(&output) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("healing-plugin: {message}");
                ExitCode::from(1)
            }
        },
        Err(Failure::Refused(output)) => {
            // `list` with a refused plugin: the list, and a failing status.
            let _ = print_json(&output);
            eprintln!("healing-plugin: an installed plugin was refused (see \"error\" above)");
            ExitCode::from(1)
        }
        Err(Failure::Message(message)) => {
            eprintln!("healing-plugin: {message}");
            ExitCode::from(1)
        }
    }
}

/// Why a command failed.
enum Failure {
    /// A message for standard error.
    Message(String),
    /// Output to print before failing.
    Refused(Value),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Message(message)
    }
}

impl From<healing_plugins::Error> for Failure {
    fn from(error: healing_plugins::Error) -> Self {
        Failure::Message(error.to_string())
    }
}

/// Parses the command line; `None` for `--help`.
fn parse(args: Vec<String>) -> Result<Option<Command>, String> {
    let env = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    let mut data_dir = env("HEALING_DATA_DIR").map(PathBuf::from);
    let mut plugin_dir = env("HEALING_PLUGIN_DIR").map(PathBuf::from);
    let mut key_file = env("HEALING_PLUGIN_KEY_FILE").map(PathBuf::from);
    let mut id = None;
    let mut version = None;
    let mut words = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "-h" | "--help" | "help" => return Ok(None),
            "--data-dir" => data_dir = Some(PathBuf::from(value(&arg)?)),
            "--plugin-dir" => plugin_dir = Some(PathBuf::from(value(&arg)?)),
            "--plugin-key-file" => key_file = Some(PathBuf::from(value(&arg)?)),
            "--id" => id = Some(value(&arg)?),
            "--version" => version = Some(value(&arg)?),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ => words.push(arg),
        }
    }
    let data_dir = data_dir.unwrap_or_else(|| PathBuf::from("./healing-data"));
    Ok(Some(Command {
        words,
        id,
        version,
        folders: Folders {
            plugin_dir: plugin_dir.unwrap_or_else(|| data_dir.join("plugins")),
            key_file: key_file.unwrap_or_else(|| data_dir.join("plugin-artifact.key")),
        },
    }))
}

/// A host for trying plugins: trial loads write no artifacts, so the artifact
/// key is never used.
fn trial_host() -> Result<PluginHost, String> {
    PluginHost::new(HostConfig::new(ArtifactKey::from_bytes([0; 32]))).map_err(|e| e.to_string())
}

/// Loads a component file (id from its name) or a plugin folder (its
/// manifest) in memory.
fn load(path: &Path) -> Result<Plugin, String> {
    let host = trial_host()?;
    if path.is_dir() {
        let (manifest, wasm) = read_folder(path)?;
        return host.load_bytes(&manifest, &wasm).map_err(|e| e.to_string());
    }
    let wasm = read(path)?;
    let id = PluginId::of_file(path).map_err(|e| e.to_string())?;
    host.load_for_trial(id, &wasm).map_err(|e| e.to_string())
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A plugin folder's manifest and component.
fn read_folder(folder: &Path) -> Result<(Manifest, Vec<u8>), String> {
    let manifest_path = folder.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let manifest =
        Manifest::parse(&text, &manifest_path.display().to_string()).map_err(|e| e.to_string())?;
    let wasm = read(&folder.join(&manifest.file))?;
    Ok((manifest, wasm))
}

/// What `check`, `install` and `list` print about a plugin.
fn describe(plugin: &LoadedPlugin) -> Value {
    match plugin {
        LoadedPlugin::RiskRule(plugin) => json!({
            "id": plugin.id(),
            "version": plugin.version(),
            "world": "risk_rule",
            "contract": plugin.contract().to_string(),
            "limits": plugin.limits(),
            "status": plugin.status(),
            "description": plugin.description(),
        }),
        LoadedPlugin::CbtTool(plugin) => json!({
            "id": plugin.id(),
            "version": plugin.version(),
            "world": "cbt_tool",
            "contract": plugin.contract().to_string(),
            "limits": plugin.limits(),
            "status": plugin.status(),
            "description": plugin.description(),
        }),
    }
}

fn check(path: &Path) -> Result<Value, Failure> {
    Ok(describe(&LoadedPlugin::from(load(path)?)))
}

fn run(path: &Path, input_path: &Path) -> Result<Value, Failure> {
    let plugin = load(path)?;
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
            let findings = plugin.findings(&input.text, &context)?;
            let engine = Engine::standard()
                .map_err(|e| e.to_string())?
                .with_rule(*plugin);
            let assessment = engine.assess(&input.text, &context);
            Ok(json!({ "findings": findings, "assessment_with_plugin": assessment }))
        }
        Plugin::CbtTool(plugin) => {
            let input: Value = serde_json::from_str(&input_text)
                .map_err(|e| format!("{}: {e}", input_path.display()))?;
            let output = plugin.run(&input)?;
            serde_json::to_value(&output).map_err(|e| Failure::Message(e.to_string()))
        }
    }
}

/// The host of the service's plugins folder, with the operator's key
/// (generated on first use when `create_key`).
fn operator_host(folders: &Folders, create_key: bool) -> Result<PluginHost, Failure> {
    let key = if create_key {
        let (key, created) = ArtifactKey::read_or_create_file(&folders.key_file)?;
        if created {
            eprintln!(
                "healing-plugin: generated the artifact key {} (mode 0600); keep it with the service's secrets",
                folders.key_file.display()
            );
        }
        key
    } else {
        ArtifactKey::read_file(&folders.key_file)?
    };
    Ok(PluginHost::new(HostConfig::new(key))?)
}

fn install(command: &Command, source: &Path) -> Result<Value, Failure> {
    let request = InstallRequest {
        id: command.id.as_deref().map(PluginId::new).transpose()?,
        version: command.version.clone(),
    };
    let host = operator_host(&command.folders, true)?;
    let installed = host.install_into(&command.folders.plugin_dir, source, &request)?;
    let mut report = describe(&LoadedPlugin::from(installed.plugin));
    report["folder"] = json!(installed.folder.display().to_string());
    Ok(report)
}

fn list(folders: &Folders) -> Result<Value, Failure> {
    if !folders.plugin_dir.exists() {
        return Ok(json!([]));
    }
    let host = operator_host(folders, false)?;
    let set = PluginSet::new();
    let loads = set.load_folder(&host, &folders.plugin_dir)?;
    let mut refused = false;
    let report: Vec<Value> = loads
        .iter()
        .map(|load| {
            let folder = load.folder.display().to_string();
            match &load.plugin {
                Ok(plugin) => {
                    let mut entry = describe(plugin);
                    entry["folder"] = json!(folder);
                    entry
                }
                Err(error) => {
                    refused = true;
                    json!({ "folder": folder, "error": error.to_string() })
                }
            }
        })
        .collect();
    if refused {
        return Err(Failure::Refused(Value::Array(report)));
    }
    Ok(Value::Array(report))
}

fn remove(folders: &Folders, id: &str) -> Result<Value, Failure> {
    let id = PluginId::new(id)?;
    let folder = remove_plugin(&folders.plugin_dir, &id)?;
    Ok(json!({ "removed": id, "folder": folder.display().to_string() }))
}

fn print_json(value: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    print_text(&text)
}

fn print_text(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}").map_err(|e| e.to_string())
}
