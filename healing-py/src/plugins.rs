//! `healing.plugins`: the WebAssembly plugin host (`healing-plugins`) from Python,
//! so a notebook runs the same risk rules and CBT tools as the server.
//!
//! A `PluginHost` installs and loads plugin folders and remembers what it loaded;
//! `RiskRule` and `CbtTool` wrap the loaded plugins (shared, so the same plugin
//! can also sit in a `healing.safety.Engine`). Every plugin call, install and load
//! runs with the GIL released; every host error becomes a `healing.PluginError`
//! subclass (`errors.rs`). Nothing is decided here: limits, sandboxing, schema
//! checks and fail-closed behaviour are the host's.

use std::path::PathBuf;
use std::sync::Arc;

use healing_core::safety;
use healing_plugins::{
    ArtifactKey, Capability, CbtToolPlugin, FolderLoad as HostFolderLoad, HostConfig, LoadedPlugin,
    Plugin, PluginHost as Host, PluginSet, RiskRulePlugin, ToolOutput,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use serde_json::Value;

use crate::convert::{from_python, to_python};
use crate::errors::Error;
use crate::safety::context_of;

/// A loaded risk-rule plugin. Add it to a `healing.safety.Engine` to have its
/// findings merged into assessments, or call `findings` directly.
#[pyclass(module = "healing.plugins", frozen)]
pub(crate) struct RiskRule {
    inner: Arc<RiskRulePlugin>,
}

#[pymethods]
impl RiskRule {
    /// The plugin's id (from its manifest).
    #[getter]
    fn id(&self) -> &str {
        self.inner.id().as_str()
    }

    /// Its installed version (from its manifest); an engine's `rules_version`
    /// names it as `+plugin/<id>@<version>`.
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// The contract it was built for, e.g. `"healing:plugin@0.1.0"`.
    #[getter]
    fn contract(&self) -> String {
        self.inner.contract().to_string()
    }

    /// The limits it runs under: `memory_bytes`, `deadline_ms`, `input_bytes`,
    /// `output_bytes`.
    #[getter]
    fn limits<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, self.inner.limits())
    }

    /// `{"state": "enabled", "consecutive_failures": n}` or
    /// `{"state": "disabled", "reason": "..."}`.
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.status())
    }

    /// What the rule said about itself at load: `name`, `version` and the
    /// `categories` it can report.
    fn describe<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, self.inner.description())
    }

    /// Re-enables a rule disabled for failing repeatedly.
    fn enable(&self) {
        self.inner.enable();
    }

    /// Runs the rule alone on `text` in a fresh sandboxed instance and returns
    /// its findings (dicts as in `Assessment.findings`, rule ids
    /// `plugin/<id>/<rule>`). Raises a `PluginError` subclass when the call
    /// fails; inside an `Engine` the same failure is a High finding instead.
    #[pyo3(signature = (text, *, source = None, recent_levels = None))]
    fn findings<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        source: Option<&Bound<'py, PyAny>>,
        recent_levels: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let context = context_of(source, recent_levels)?;
        let plugin = &self.inner;
        let findings = py.detach(|| plugin.findings(text, &context))?;
        to_python(py, &findings)
    }

    fn __repr__(&self) -> String {
        format!("RiskRule(id='{}')", self.inner.id())
    }
}

impl RiskRule {
    /// The plugin's id.
    pub(crate) fn plugin_id(&self) -> &str {
        self.inner.id().as_str()
    }

    /// The plugin as a rule for a core safety engine, shared with this object.
    pub(crate) fn rule(&self) -> Arc<dyn safety::Rule> {
        Arc::clone(&self.inner) as Arc<dyn safety::Rule>
    }
}

/// A loaded CBT-tool plugin: JSON in, steps, a journal summary, rewards and
/// tool data out, both sides checked against the schemas the tool declares.
#[pyclass(module = "healing.plugins", frozen)]
pub(crate) struct CbtTool {
    inner: Arc<CbtToolPlugin>,
}

#[pymethods]
impl CbtTool {
    /// The plugin's id (from its manifest).
    #[getter]
    fn id(&self) -> &str {
        self.inner.id().as_str()
    }

    /// Its installed version (from its manifest).
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// The contract it was built for, e.g. `"healing:plugin@0.1.0"`.
    #[getter]
    fn contract(&self) -> String {
        self.inner.contract().to_string()
    }

    /// The limits it runs under, as for `RiskRule.limits`.
    #[getter]
    fn limits<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, self.inner.limits())
    }

    /// As `RiskRule.status`.
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.status())
    }

    /// What the tool said about itself at load: `name`, `version`, `summary`,
    /// `input_schema` and `output_schema` (JSON Schemas as dicts).
    fn describe<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, self.inner.description())
    }

    /// Re-enables a tool disabled for failing repeatedly.
    fn enable(&self) {
        self.inner.enable();
    }

    /// Runs the tool on `input` (a dict valid against its input schema) in a
    /// fresh sandboxed instance. Input that breaks the schema raises
    /// `PluginSchemaError` before the plugin runs.
    fn run(&self, py: Python<'_>, input: &Bound<'_, PyAny>) -> Result<ToolResult, Error> {
        let input: Value = from_python(input, "input")?;
        let plugin = &self.inner;
        let output = py.detach(|| plugin.run(&input))?;
        Ok(ToolResult { inner: output })
    }

    fn __repr__(&self) -> String {
        format!(
            "CbtTool(id='{}', name='{}')",
            self.inner.id(),
            self.inner.description().name
        )
    }
}

/// What one run of a CBT tool produced.
#[pyclass(module = "healing.plugins", frozen)]
pub(crate) struct ToolResult {
    inner: ToolOutput,
}

#[pymethods]
impl ToolResult {
    /// Steps to show in order: dicts with `title`, `instruction` and `seconds`
    /// (None when the step is not timed).
    #[getter]
    fn steps<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.steps)
    }

    /// One or two sentences for the person's journal (may be empty).
    #[getter]
    fn journal_summary(&self) -> &str {
        &self.inner.journal_summary
    }

    /// Activities completed, for the pet (`"cbt_tool"`, `"breathing"`, …).
    #[getter]
    fn rewards<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.rewards)
    }

    /// Tool-specific output, valid against the tool's output schema.
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.data)
    }

    /// The pet events for `healing.pet.step`, one per reward.
    fn pet_events<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.pet_events())
    }

    /// The whole result as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "ToolResult(steps={}, rewards={})",
            self.inner.steps.len(),
            self.inner.rewards.len()
        )
    }
}

/// The outcome of loading one folder of a plugins folder: the plugin, or the
/// error that kept it out (never both).
#[pyclass(module = "healing.plugins", frozen)]
pub(crate) struct FolderLoad {
    folder: String,
    plugin: Option<Py<PyAny>>,
    error: Option<Py<PyAny>>,
}

#[pymethods]
impl FolderLoad {
    /// The plugin's folder.
    #[getter]
    fn folder(&self) -> &str {
        &self.folder
    }

    /// The loaded `RiskRule` or `CbtTool`, or None.
    #[getter]
    fn plugin(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.plugin.as_ref().map(|plugin| plugin.clone_ref(py))
    }

    /// The `PluginError` (a subclass instance) that kept it out, or None.
    #[getter]
    fn error(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.error.as_ref().map(|error| error.clone_ref(py))
    }

    /// Whether the plugin loaded.
    #[getter]
    fn ok(&self) -> bool {
        self.plugin.is_some()
    }

    fn __repr__(&self) -> String {
        let outcome = if self.plugin.is_some() {
            "loaded"
        } else {
            "refused"
        };
        format!("FolderLoad(folder='{}', {outcome})", self.folder)
    }
}

/// A loaded plugin as the Python object of its kind.
fn into_python(py: Python<'_>, loaded: LoadedPlugin) -> PyResult<Py<PyAny>> {
    Ok(match loaded {
        LoadedPlugin::RiskRule(inner) => Py::new(py, RiskRule { inner })?.into_any(),
        LoadedPlugin::CbtTool(inner) => Py::new(py, CbtTool { inner })?.into_any(),
    })
}

/// The plugin host: one sandboxing engine; installs plugin folders (compiling
/// each once into an artifact authenticated with `artifact_key`) and loads
/// installed ones. Build one per process and reuse it.
#[pyclass(module = "healing.plugins", frozen)]
pub(crate) struct PluginHost {
    host: Host,
    /// By plugin id; loading an id again replaces the earlier plugin.
    loaded: PluginSet,
}

#[pymethods]
impl PluginHost {
    /// `artifact_key` is 32 secret bytes, stable across restarts: the host only
    /// loads precompiled artifacts it produced under the same key.
    /// `allowed_capabilities` are the extra capabilities manifests may ask for
    /// (`"wall_clock"`, `"monotonic_clock"`, `"random"`; none by default);
    /// `failures_before_disable` plugin faults in a row disable a plugin;
    /// `fuel_per_call` meters instructions as well as time (for deterministic tests);
    /// `concurrent_calls` plugin instances may run at once (more wait for a free
    /// one up to their deadline).
    #[new]
    #[pyo3(signature = (artifact_key, *, allowed_capabilities = None, failures_before_disable = 3, fuel_per_call = None, concurrent_calls = 16))]
    fn new(
        py: Python<'_>,
        artifact_key: &Bound<'_, PyBytes>,
        allowed_capabilities: Option<&Bound<'_, PyAny>>,
        failures_before_disable: u32,
        fuel_per_call: Option<u64>,
        concurrent_calls: u32,
    ) -> Result<Self, Error> {
        let key: [u8; 32] =
            artifact_key
                .as_bytes()
                .try_into()
                .map_err(|_| Error::InvalidInput {
                    what: "artifact_key",
                    reason: format!("expected 32 bytes, got {}", artifact_key.as_bytes().len()),
                })?;
        let allowed_capabilities: Vec<Capability> = match allowed_capabilities {
            Some(capabilities) => from_python(capabilities, "allowed_capabilities")?,
            None => Vec::new(),
        };
        if failures_before_disable == 0 {
            return Err(Error::InvalidInput {
                what: "failures_before_disable",
                reason: "must be at least 1".to_owned(),
            });
        }
        if concurrent_calls == 0 {
            return Err(Error::InvalidInput {
                what: "concurrent_calls",
                reason: "must be at least 1".to_owned(),
            });
        }
        let config = HostConfig {
            allowed_capabilities,
            failures_before_disable,
            fuel_per_call,
            concurrent_calls,
            ..HostConfig::new(ArtifactKey::from_bytes(key))
        };
        let host = py.detach(|| Host::new(config))?;
        Ok(PluginHost {
            host,
            loaded: PluginSet::new(),
        })
    }

    /// Installs the plugin in `folder` (its `manifest.json` and component file):
    /// checks the digest, compiles it once, checks its contract, world and
    /// imports, writes `plugin.cwasm` and `install.json` beside it, and returns
    /// the loaded `RiskRule` or `CbtTool`. A refused plugin leaves no artifact.
    fn install(&self, py: Python<'_>, folder: PathBuf) -> Result<Py<PyAny>, Error> {
        let host = &self.host;
        let plugin = py.detach(|| host.install(&folder))?;
        self.remember(py, folder, plugin)
    }

    /// Loads the installed plugin in `folder` from its precompiled artifact,
    /// after checking the artifact's HMAC; returns a `RiskRule` or `CbtTool`.
    fn load(&self, py: Python<'_>, folder: PathBuf) -> Result<Py<PyAny>, Error> {
        let host = &self.host;
        let plugin = py.detach(|| host.load(&folder))?;
        self.remember(py, folder, plugin)
    }

    /// Loads every installed plugin under `root` (one folder each, in name
    /// order), each with its own `FolderLoad`, so one bad plugin does not stop
    /// the others. Raises only if `root` itself cannot be read. A refused
    /// folder is remembered: `engine()` then raises, naming it, until it loads
    /// or `forget_refused()` is called.
    fn load_folder<'py>(
        &self,
        py: Python<'py>,
        root: PathBuf,
    ) -> Result<Bound<'py, PyList>, Error> {
        let (host, loaded) = (&self.host, &self.loaded);
        let loads = py.detach(|| loaded.load_folder(host, &root))?;
        let list = PyList::empty(py);
        for load in loads {
            let (plugin, error) = match load.plugin {
                Ok(plugin) => (Some(into_python(py, plugin)?), None),
                Err(error) => (None, Some(python_error(py, error))),
            };
            list.append(FolderLoad {
                folder: load.folder.display().to_string(),
                plugin,
                error,
            })?;
        }
        Ok(list)
    }

    /// Forgets the folders `load_folder` refused (and that have not loaded
    /// since), returning them as `FolderLoad`s: your explicit decision that
    /// `engine()` screens without those risk rules.
    fn forget_refused<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for refused in self.loaded.forget_refused() {
            list.append(FolderLoad {
                folder: refused.folder.display().to_string(),
                plugin: None,
                error: Some(python_error(py, refused.error)),
            })?;
        }
        Ok(list)
    }

    /// Every plugin this host has loaded (the latest per id), ordered by id;
    /// each has `id` and `status`.
    fn plugins<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for plugin in self.loaded.all() {
            list.append(into_python(py, plugin)?)?;
        }
        Ok(list)
    }

    /// A `healing.safety.Engine` with the built-in rules and every risk rule
    /// this host has loaded. Raises `PluginError` (kind `"refused"`), naming
    /// each plugin, while a folder `load_folder` refused has not loaded since:
    /// a risk rule you installed never silently goes missing. Call
    /// `forget_refused()` first to screen without it on purpose.
    fn engine(&self) -> Result<crate::safety::Engine, Error> {
        self.loaded.check_refused()?;
        let rules: Vec<RiskRule> = self
            .loaded
            .risk_rules()
            .into_iter()
            .map(|inner| RiskRule { inner })
            .collect();
        crate::safety::Engine::with_plugins(rules.iter())
    }

    /// The contract versions this host accepts, e.g. `["healing:plugin@0.1.0"]`.
    fn supported_contracts(&self) -> Vec<String> {
        self.host
            .supported_contracts()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn __repr__(&self) -> String {
        format!("PluginHost(plugins={})", self.loaded.len())
    }
}

impl PluginHost {
    /// Records a plugin loaded from `folder` (the folder is no longer counted
    /// as refused) and wraps it for Python.
    fn remember(
        &self,
        py: Python<'_>,
        folder: PathBuf,
        plugin: Plugin,
    ) -> Result<Py<PyAny>, Error> {
        let loaded = self
            .loaded
            .record(HostFolderLoad {
                folder,
                plugin: Ok(plugin),
            })
            .plugin?;
        Ok(into_python(py, loaded)?)
    }
}

/// A host error as the Python exception object it raises.
fn python_error(py: Python<'_>, error: healing_plugins::Error) -> Py<PyAny> {
    PyErr::from(Error::Plugin(error)).into_value(py).into_any()
}

/// Builds the `healing._native.plugins` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PluginHost>()?;
    module.add_class::<RiskRule>()?;
    module.add_class::<CbtTool>()?;
    module.add_class::<ToolResult>()?;
    module.add_class::<FolderLoad>()?;
    Ok(())
}
