//! WebAssembly plugins from C (feature `plugins`): a `healing_plugin_host`
//! handle over `healing_plugins::PluginHost` that installs and loads plugin
//! folders and remembers what it loaded, runs CBT tools, and gives its risk
//! rules to a new `healing_engine`.
//!
//! Nothing is decided here: the sandbox, limits, schema checks and the
//! fail-closed behaviour of risk rules are the host crate's; this module only
//! converts C parameters and maps host errors to `healing_result` codes
//! (`plugin_errors.rs`).

use std::ffi::c_char;
use std::path::Path;

use healing_plugins::{
    ArtifactKey, Capability, FolderLoad, HostConfig, Limits, LoadedPlugin, Plugin, PluginHost,
    PluginSet, PluginStatus, RuleDescription, ToolDescription, World,
};
use serde::{Deserialize, Serialize};

use crate::args::{Out, bytes_arg, handle_ref, json_arg, json_text, text_arg};
use crate::boundary::{Failure, Outcome};
use crate::engine::{healing_engine, safety_engine};
use crate::ownership::{Handle, free_handle, leak_handle};
use crate::plugin_errors::{plugin_code, plugin_failure};
use crate::result::healing_result;

/// A plugin host: one sandboxed WebAssembly engine and the plugins loaded into
/// it, by id.
///
/// Created by `healing_plugin_host_new`, freed by `healing_plugin_host_free`.
/// Any number of threads may use one host at the same time (it locks
/// internally); `_free` must not overlap another call on it. Engines built
/// from it with `healing_engine_new_with_plugins` keep their plugins after the
/// host is freed.
pub struct healing_plugin_host {
    host: PluginHost,
    loaded: PluginSet,
}

impl Handle for healing_plugin_host {
    const C_NAME: &'static str = "healing_plugin_host";
}

// The header promises that one host may be used from many threads at once.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<healing_plugin_host>();
};

/// The optional settings of `healing_plugin_host_new`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct HostOptions {
    allowed_capabilities: Vec<Capability>,
    failures_before_disable: Option<u32>,
    fuel_per_call: Option<u64>,
    concurrent_calls: Option<u32>,
}

/// What the C caller learns about a loaded plugin.
#[derive(Serialize)]
struct PluginInfo<'a> {
    id: &'a str,
    version: &'a str,
    world: World,
    contract: String,
    limits: &'a Limits,
    status: PluginStatus,
    description: Description<'a>,
}

/// A plugin's own description, of either world.
#[derive(Serialize)]
#[serde(untagged)]
enum Description<'a> {
    Rule(&'a RuleDescription),
    Tool(&'a ToolDescription),
}

/// What the C API reports about a loaded plugin.
fn info(loaded: &LoadedPlugin) -> PluginInfo<'_> {
    match loaded {
        LoadedPlugin::RiskRule(rule) => PluginInfo {
            id: rule.id().as_str(),
            version: rule.version(),
            world: World::RiskRule,
            contract: rule.contract().to_string(),
            limits: rule.limits(),
            status: rule.status(),
            description: Description::Rule(rule.description()),
        },
        LoadedPlugin::CbtTool(tool) => PluginInfo {
            id: tool.id().as_str(),
            version: tool.version(),
            world: World::CbtTool,
            contract: tool.contract().to_string(),
            limits: tool.limits(),
            status: tool.status(),
            description: Description::Tool(tool.description()),
        },
    }
}

/// One folder's outcome in `healing_plugin_load_folder`'s report.
#[derive(Serialize)]
struct FolderReport<'a> {
    folder: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    plugin: Option<PluginInfo<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a ErrorReport>,
}

/// A failure inside a report: the code's C name and the message.
#[derive(Serialize)]
struct ErrorReport {
    code: &'static str,
    message: String,
}

impl healing_plugin_host {
    /// Remembers a plugin loaded from `folder` under its id (replacing one of
    /// the same id; the folder is no longer counted as refused).
    fn remember(&self, folder: &Path, plugin: Plugin) -> Result<LoadedPlugin, Failure> {
        self.loaded
            .record(FolderLoad {
                folder: folder.to_path_buf(),
                plugin: Ok(plugin),
            })
            .plugin
            .map_err(|error| plugin_failure(&error))
    }

    /// Every loaded plugin, in id order.
    fn snapshot(&self) -> Vec<LoadedPlugin> {
        self.loaded.all()
    }

    /// The loaded plugin with `id`.
    fn find(&self, id: &str) -> Result<LoadedPlugin, Failure> {
        self.loaded.get(id).ok_or_else(|| {
            Failure::new(
                healing_result::HEALING_ERR_UNKNOWN_PLUGIN,
                format!("no plugin with id '{id}' is loaded in this host"),
            )
        })
    }
}

/// Starts a plugin host: a sandboxed WebAssembly engine with a deadline
/// thread, and an empty table of plugins.
///
/// `artifact_key` is 32 secret bytes (`artifact_key_len` must be 32) that
/// authenticate the precompiled artifacts `healing_plugin_install` writes:
/// the host only ever loads native code it produced itself under this key.
/// Keep it secret and the same across restarts (for example in your secret
/// store); with another key, installed plugins must be installed again.
///
/// `options_json` (UTF-8; `""` and 0 for the defaults) may set
/// `{"allowed_capabilities":["wall_clock","monotonic_clock","random"],
/// "failures_before_disable":3,"fuel_per_call":null,"concurrent_calls":16}`:
/// the capabilities a manifest may ask for (none by default: plugins get no
/// clock, randomness, files, sockets or environment), how many failed calls
/// in a row disable a plugin (at least 1; default 3), a fuel budget per call
/// for deterministic tests (default none: only the wall-clock deadline), and
/// how many plugin instances may run at once (at least 1; default 16; a call
/// beyond that waits for a free one up to its deadline).
///
/// On success `*out_host` is a new host you free with
/// `healing_plugin_host_free`; on failure it is NULL.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_ARGUMENT`
/// (key not 32 bytes, options of the wrong shape, zero failures),
/// `HEALING_ERR_INVALID_UTF8`, `HEALING_ERR_INVALID_JSON`,
/// `HEALING_ERR_PLUGIN_HOST`.
///
/// # Safety
/// `artifact_key` and `options_json` point to their lengths in readable
/// bytes; `out_host` is a writable `healing_plugin_host *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_plugin_host_new(
    artifact_key: *const u8,
    artifact_key_len: usize,
    options_json: *const c_char,
    options_json_len: usize,
    out_host: *mut *mut healing_plugin_host,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable pointer (or NULL, refused).
        let out = unsafe { Out::new(out_host, "out_host") }?;
        // SAFETY: the caller passes `artifact_key_len` readable bytes (or NULL, refused).
        let key = unsafe { bytes_arg(artifact_key.cast(), artifact_key_len, "artifact_key") }?;
        let key: [u8; 32] = key.try_into().map_err(|_| {
            Failure::new(
                healing_result::HEALING_ERR_INVALID_ARGUMENT,
                format!("parameter `artifact_key_len` is {artifact_key_len}, not 32"),
            )
        })?;
        // SAFETY: the caller passes `options_json_len` readable bytes (or NULL, refused).
        let options = unsafe { text_arg(options_json, options_json_len, "options_json") }?;
        let options: HostOptions = if options.is_empty() {
            HostOptions::default()
        } else {
            json_arg(options, "options_json")?
        };
        let mut config = HostConfig::new(ArtifactKey::from_bytes(key));
        config.allowed_capabilities = options.allowed_capabilities;
        config.fuel_per_call = options.fuel_per_call;
        for (name, value, setting) in [
            (
                "failures_before_disable",
                options.failures_before_disable,
                &mut config.failures_before_disable,
            ),
            (
                "concurrent_calls",
                options.concurrent_calls,
                &mut config.concurrent_calls,
            ),
        ] {
            match value {
                Some(0) => {
                    return Err(Failure::new(
                        healing_result::HEALING_ERR_INVALID_ARGUMENT,
                        format!("parameter `options_json`: {name} must be at least 1"),
                    ));
                }
                Some(count) => *setting = count,
                None => {}
            }
        }
        let host = PluginHost::new(config).map_err(|error| {
            Failure::new(healing_result::HEALING_ERR_PLUGIN_HOST, error.to_string())
        })?;
        out.set(leak_handle(healing_plugin_host {
            host,
            loaded: PluginSet::new(),
        }));
        Ok(())
    })
}

/// Frees a plugin host. NULL does nothing. A pointer that is not a live host
/// returns `HEALING_ERR_UNKNOWN_POINTER` and frees nothing (best effort: see
/// "Handles" at the top of this header). Engines built from the host keep
/// working.
///
/// # Safety
/// `host` is NULL or a host from `healing_plugin_host_new` that no thread is
/// using any more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn healing_plugin_host_free(
    host: *mut healing_plugin_host,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller's contract; the registry refuses anything that is
        // not a live host before it is touched.
        unsafe { free_handle(host, "host") }
    })
}

/// Installs the plugin in `folder` (UTF-8 path of a folder holding
/// `manifest.json` and the component it names) and loads it into the host.
///
/// Installing checks the file's SHA-256 against the manifest, compiles the
/// component once, checks its contract version, world, imports and limits,
/// and only then writes `plugin.cwasm` and `install.json` into the folder (a
/// refused plugin leaves nothing behind). Later starts use
/// `healing_plugin_load` or `healing_plugin_load_folder`, which do not compile.
///
/// On success `*out_plugin_json` describes the plugin: `{"id":"local-terms",
/// "world":"risk_rule","contract":"healing:plugin@0.1.0","limits":{
/// "memory_bytes":33554432,"deadline_ms":100,"input_bytes":65536,
/// "output_bytes":262144},"status":{"state":"enabled",
/// "consecutive_failures":0},"description":{"name":"...","version":"...",
/// "categories":["self_harm"]}}` (a CBT tool's description has `summary`,
/// `input_schema` and `output_schema` instead of `categories`). Free it with
/// `healing_string_free`. A plugin with the same id already loaded is replaced.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_PLUGIN_IO`, `HEALING_ERR_PLUGIN_REFUSED`,
/// `HEALING_ERR_PLUGIN_CONTRACT`, `HEALING_ERR_PLUGIN_CAPABILITY`, and the
/// call errors of the plugin's self-description at load
/// (`HEALING_ERR_PLUGIN_TIMEOUT`, `_TRAP`, `_MALFORMED_OUTPUT`, ...).
///
/// # Safety
/// `host` is a live host; `folder` points to `folder_len` readable bytes;
/// `out_plugin_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_plugin_install(
    host: *const healing_plugin_host,
    folder: *const c_char,
    folder_len: usize,
    out_plugin_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller's contract is `add_plugin`'s.
        unsafe {
            add_plugin(
                host,
                folder,
                folder_len,
                out_plugin_json,
                PluginHost::install,
            )
        }
    })
}

/// Loads an installed plugin from `folder` (UTF-8 path) into the host, from
/// its precompiled artifact: no compiling. The artifact is loaded only if its
/// HMAC under the host's artifact key matches, the manifest still names the
/// installed component, and this build of the host produced it; otherwise
/// `HEALING_ERR_PLUGIN_REFUSED` says to install it again.
///
/// `*out_plugin_json` and the errors are as for `healing_plugin_install`.
///
/// # Safety
/// As for `healing_plugin_install`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_plugin_load(
    host: *const healing_plugin_host,
    folder: *const c_char,
    folder_len: usize,
    out_plugin_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller's contract is `add_plugin`'s.
        unsafe { add_plugin(host, folder, folder_len, out_plugin_json, PluginHost::load) }
    })
}

/// The body of `healing_plugin_install` and `healing_plugin_load`, run inside
/// their panic boundary: `add` (install or load) the plugin in `folder`,
/// remember it, describe it.
///
/// # Safety
/// As for `healing_plugin_install`.
unsafe fn add_plugin(
    host: *const healing_plugin_host,
    folder: *const c_char,
    folder_len: usize,
    out_plugin_json: *mut *mut c_char,
    add: fn(&PluginHost, &Path) -> Result<Plugin, healing_plugins::Error>,
) -> Outcome {
    // SAFETY: the caller passes a writable `char *` (or NULL, refused).
    let out = unsafe { Out::new(out_plugin_json, "out_plugin_json") }?;
    // SAFETY: the caller passes a live host (or NULL, refused).
    let host = unsafe { handle_ref(host, "host") }?;
    // SAFETY: the caller passes `folder_len` readable bytes (or NULL, refused).
    let folder = unsafe { text_arg(folder, folder_len, "folder") }?;
    let folder = Path::new(folder);
    let plugin = add(&host.host, folder).map_err(|error| plugin_failure(&error))?;
    let loaded = host.remember(folder, plugin)?;
    out.set_string(&json_text(&info(&loaded), "the plugin")?);
    Ok(())
}

/// Loads every installed plugin under `root` (UTF-8 path; one sub-folder per
/// plugin, each with a `manifest.json`, in name order; hidden folders are
/// skipped) into the host. One bad plugin does not stop the others: the call
/// succeeds if `root` can be read, and the report says what happened to each
/// folder.
///
/// A refused folder is remembered: `healing_engine_new_with_plugins` then
/// fails with `HEALING_ERR_PLUGIN_REFUSED` naming it, so an engine never
/// silently lacks a risk rule you installed, until the folder loads (fix it
/// and load it again) or you call `healing_plugin_forget_refused` to run
/// without it on purpose.
///
/// On success `*out_report_json` is an array, one entry per folder:
/// `[{"folder":"healing-data/plugins/grounding","plugin":{...as from
/// healing_plugin_install...}},{"folder":"healing-data/plugins/old","error":
/// {"code":"HEALING_ERR_PLUGIN_CONTRACT","message":"..."}}]`. Free it with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_PLUGIN_IO` (`root` cannot be read).
///
/// # Safety
/// `host` is a live host; `root` points to `root_len` readable bytes;
/// `out_report_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_plugin_load_folder(
    host: *const healing_plugin_host,
    root: *const c_char,
    root_len: usize,
    out_report_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_report_json, "out_report_json") }?;
        // SAFETY: the caller passes a live host (or NULL, refused).
        let host = unsafe { handle_ref(host, "host") }?;
        // SAFETY: the caller passes `root_len` readable bytes (or NULL, refused).
        let root = unsafe { text_arg(root, root_len, "root") }?;
        let loads = host
            .loaded
            .load_folder(&host.host, Path::new(root))
            .map_err(|error| plugin_failure(&error))?;
        let outcomes: Vec<(String, Result<LoadedPlugin, ErrorReport>)> = loads
            .into_iter()
            .map(|load| {
                let outcome = load.plugin.map_err(|error| error_report(&error));
                (load.folder.display().to_string(), outcome)
            })
            .collect();
        let report: Vec<FolderReport<'_>> = outcomes
            .iter()
            .map(|(folder, outcome)| FolderReport {
                folder,
                plugin: outcome.as_ref().ok().map(info),
                error: outcome.as_ref().err(),
            })
            .collect();
        out.set_string(&json_text(&report, "the load report")?);
        Ok(())
    })
}

/// Every plugin loaded in the host, in id order, as a JSON array of the
/// objects `healing_plugin_install` returns (with each one's current
/// `status`: `{"state":"disabled","reason":"..."}` for a plugin disabled
/// after failing repeatedly). Free it with `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`.
///
/// # Safety
/// `host` is a live host; `out_plugins_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_plugin_list_json(
    host: *const healing_plugin_host,
    out_plugins_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_plugins_json, "out_plugins_json") }?;
        // SAFETY: the caller passes a live host (or NULL, refused).
        let host = unsafe { handle_ref(host, "host") }?;
        let loaded = host.snapshot();
        let infos: Vec<PluginInfo<'_>> = loaded.iter().map(info).collect();
        out.set_string(&json_text(&infos, "the plugin list")?);
        Ok(())
    })
}

/// Runs the CBT tool loaded under `id` on `input_json` (UTF-8 JSON, checked
/// against the tool's declared input schema), in a fresh sandboxed instance
/// that is discarded afterwards.
///
/// On success `*out_output_json` is the tool's output, checked against the
/// contract and its output schema: `{"steps":[{"title":"...","instruction":
/// "...","seconds":4}],"journal_summary":"...","rewards":["breathing"],
/// "data":{...}}`. `rewards` are pet activities: pass each as a
/// `complete_activity` event to `healing_pet_step` (the pet caps rewards per
/// day). Free it with `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (input above
/// the tool's input cap), `HEALING_ERR_UNKNOWN_PLUGIN` (no such id, or a risk
/// rule), `HEALING_ERR_PLUGIN_SCHEMA`, `HEALING_ERR_PLUGIN_TIMEOUT`,
/// `HEALING_ERR_PLUGIN_MEMORY_LIMIT`, `HEALING_ERR_PLUGIN_TRAP`,
/// `HEALING_ERR_PLUGIN_MALFORMED_OUTPUT`, `HEALING_ERR_PLUGIN_REPORTED`,
/// `HEALING_ERR_PLUGIN_DISABLED`. The host keeps serving after any of them.
///
/// # Safety
/// `host` is a live host; `id` and `input_json` point to their lengths in
/// readable bytes; `out_output_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_plugin_run_tool(
    host: *const healing_plugin_host,
    id: *const c_char,
    id_len: usize,
    input_json: *const c_char,
    input_json_len: usize,
    out_output_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_output_json, "out_output_json") }?;
        // SAFETY: the caller passes a live host (or NULL, refused).
        let host = unsafe { handle_ref(host, "host") }?;
        // SAFETY: the caller passes `id_len` readable bytes (or NULL, refused).
        let id = unsafe { text_arg(id, id_len, "id") }?;
        // SAFETY: the caller passes `input_json_len` readable bytes (or NULL, refused).
        let input = unsafe { text_arg(input_json, input_json_len, "input_json") }?;
        let LoadedPlugin::CbtTool(tool) = host.find(id)? else {
            return Err(Failure::new(
                healing_result::HEALING_ERR_UNKNOWN_PLUGIN,
                format!("plugin '{id}' is a risk rule, not a CBT tool"),
            ));
        };
        let input: serde_json::Value = json_arg(input, "input_json")?;
        let output = tool.run(&input).map_err(|error| plugin_failure(&error))?;
        out.set_string(&json_text(&output, "the tool output")?);
        Ok(())
    })
}

/// Re-enables the plugin loaded under `id` after it was disabled for failing
/// repeatedly (an operator's decision: check the reason first). Enabling an
/// enabled plugin changes nothing.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_UNKNOWN_PLUGIN`.
///
/// # Safety
/// `host` is a live host; `id` points to `id_len` readable bytes.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_plugin_enable(
    host: *const healing_plugin_host,
    id: *const c_char,
    id_len: usize,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a live host (or NULL, refused).
        let host = unsafe { handle_ref(host, "host") }?;
        // SAFETY: the caller passes `id_len` readable bytes (or NULL, refused).
        let id = unsafe { text_arg(id, id_len, "id") }?;
        host.find(id)?.enable();
        Ok(())
    })
}

/// Forgets the folders `healing_plugin_load_folder` refused (and that have not
/// loaded since), so `healing_engine_new_with_plugins` builds engines without
/// them: your explicit decision to screen without those risk rules. Check the
/// report first.
///
/// On success `*out_report_json` lists what was forgotten, `[{"folder":
/// "healing-data/plugins/old","error":{"code":"HEALING_ERR_PLUGIN_REFUSED",
/// "message":"..."}}]` (`[]` if nothing was refused). Free it with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`.
///
/// # Safety
/// `host` is a live host; `out_report_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_plugin_forget_refused(
    host: *const healing_plugin_host,
    out_report_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_report_json, "out_report_json") }?;
        // SAFETY: the caller passes a live host (or NULL, refused).
        let host = unsafe { handle_ref(host, "host") }?;
        let forgotten: Vec<(String, ErrorReport)> = host
            .loaded
            .forget_refused()
            .into_iter()
            .map(|refused| {
                (
                    refused.folder.display().to_string(),
                    error_report(&refused.error),
                )
            })
            .collect();
        let report: Vec<FolderReport<'_>> = forgotten
            .iter()
            .map(|(folder, error)| FolderReport {
                folder,
                plugin: None,
                error: Some(error),
            })
            .collect();
        out.set_string(&json_text(&report, "the forgotten plugins")?);
        Ok(())
    })
}

/// Creates an engine like `healing_engine_new` (built-in rules plus optional
/// `local_rules`) with every risk-rule plugin loaded in `host` added, in id
/// order. Use it with every `healing_assess*` function. Its rules version
/// (`rules_version` in every assessment) names each plugin and its installed
/// version: `2026.12.1+model.2026.12.5+plugin/local-terms@0.1.0`.
///
/// It is not built while a folder `healing_plugin_load_folder` refused has
/// not loaded since: `HEALING_ERR_PLUGIN_REFUSED`, and `healing_last_error()`
/// names each such plugin and why. A risk rule you installed never silently
/// goes missing; to run without it on purpose, call
/// `healing_plugin_forget_refused` first.
///
/// A plugin's findings are merged into each assessment: they can raise its
/// level, never lower what the built-in rules found. A plugin call that fails
/// (timeout, trap, memory limit, disabled, ...) does not fail the assessment:
/// it becomes a finding at `HEALING_RISK_HIGH` over the whole text, rule
/// `plugin/<id>/failed`, so crisis resources are shown and a clinician sees
/// the text was not fully screened (fail closed).
///
/// The engine keeps the plugins it was built with: plugins loaded into the
/// host later are not added, and freeing the host does not affect it.
///
/// Errors: as `healing_engine_new`, and `HEALING_ERR_PLUGIN_REFUSED`.
///
/// # Safety
/// As `healing_engine_new`; `host` is a live host.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_engine_new_with_plugins(
    local_rules: *const c_char,
    local_rules_len: usize,
    host: *const healing_plugin_host,
    out_engine: *mut *mut healing_engine,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable pointer (or NULL, refused).
        let out = unsafe { Out::new(out_engine, "out_engine") }?;
        // SAFETY: the caller passes a live host (or NULL, refused).
        let host = unsafe { handle_ref(host, "host") }?;
        // SAFETY: the caller passes `local_rules_len` readable bytes (or NULL, refused).
        let local_rules = unsafe { text_arg(local_rules, local_rules_len, "local_rules") }?;
        let engine = host
            .loaded
            .engine(safety_engine(local_rules)?)
            .map_err(|error| plugin_failure(&error))?;
        out.set(leak_handle(healing_engine::new(engine)));
        Ok(())
    })
}

/// A host error as it appears in a JSON report.
fn error_report(error: &healing_plugins::Error) -> ErrorReport {
    ErrorReport {
        code: code_name(plugin_code(error)),
        message: error.to_string(),
    }
}

/// The C name of a result code, as text for JSON reports.
fn code_name(code: healing_result) -> &'static str {
    code.name().to_str().unwrap_or("HEALING_ERR_UNKNOWN_CODE")
}
