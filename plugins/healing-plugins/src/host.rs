//! The host: one wasmtime engine, installing plugins (compile once, keep an
//! authenticated precompiled artifact) and loading them.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::{Config, Engine, InstanceAllocationStrategy};

use crate::Error;
use crate::cbt_tool::CbtToolPlugin;
use crate::contract::{self, ContractVersion};
use crate::manifest::{Capability, Limits, Manifest, PluginId, RequestedLimits, World};
use crate::pool;

use crate::risk_rule::RiskRulePlugin;
use crate::sandbox::{PluginStatus, Runtime};

/// The key that authenticates precompiled artifacts. The host only ever
/// deserialises an artifact whose HMAC-SHA256 under this key matches the one
/// recorded when it compiled the plugin itself, because deserialising
/// wasmtime artifacts is only safe for trusted bytes. Keep it secret and
/// stable across restarts (e.g. in the deployment's secret store).
#[derive(Clone, PartialEq, Eq)]
pub struct ArtifactKey(pub(crate) [u8; 32]);

impl ArtifactKey {
    /// A key from 32 secret bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> ArtifactKey {
        ArtifactKey(bytes)
    }
}

impl fmt::Debug for ArtifactKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ArtifactKey(<redacted>)")
    }
}

/// How the operator configures the host.
#[derive(Debug, Clone, PartialEq)]
pub struct HostConfig {
    /// Limits for plugins whose manifest asks for none.
    pub default_limits: Limits,
    /// The most any manifest may ask for.
    pub ceiling: Limits,
    /// Capabilities the operator allows manifests to ask for.
    pub allowed_capabilities: Vec<Capability>,
    /// Plugin faults in a row after which a plugin is disabled.
    pub failures_before_disable: u32,
    /// Fuel per call, for deterministic tests; `None` (the default) meters
    /// only wall-clock time.
    pub fuel_per_call: Option<u64>,
    /// How often the deadline clock ticks; deadlines are rounded up to it.
    pub tick: Duration,
    /// Authenticates precompiled artifacts.
    pub artifact_key: ArtifactKey,
    /// How many plugin instances may exist at once (calls running, sessions
    /// open); the instance pool is sized for this many, and a call beyond it
    /// waits for a free slot up to its deadline.
    pub concurrent_calls: u32,
}

impl HostConfig {
    /// The defaults ([`Limits::DEFAULT`], [`Limits::CEILING`], no extra
    /// capabilities, disable after 3 failures in a row, no fuel, 5 ms ticks,
    /// 16 concurrent calls) with the given artifact key.
    pub fn new(artifact_key: ArtifactKey) -> HostConfig {
        HostConfig {
            default_limits: Limits::DEFAULT,
            ceiling: Limits::CEILING,
            allowed_capabilities: Vec::new(),
            failures_before_disable: 3,
            fuel_per_call: None,
            tick: Duration::from_millis(5),
            artifact_key,
            concurrent_calls: 16,
        }
    }
}

/// A loaded plugin of either world.
#[derive(Debug)]
pub enum Plugin {
    /// A risk rule.
    RiskRule(Box<RiskRulePlugin>),
    /// A CBT tool.
    CbtTool(Box<CbtToolPlugin>),
}

impl Plugin {
    /// The plugin's id.
    pub fn id(&self) -> &PluginId {
        match self {
            Plugin::RiskRule(plugin) => plugin.id(),
            Plugin::CbtTool(plugin) => plugin.id(),
        }
    }

    /// Its installed version (the manifest's).
    pub fn version(&self) -> &str {
        match self {
            Plugin::RiskRule(plugin) => plugin.version(),
            Plugin::CbtTool(plugin) => plugin.version(),
        }
    }

    /// Whether it is serving calls.
    pub fn status(&self) -> PluginStatus {
        match self {
            Plugin::RiskRule(plugin) => plugin.status(),
            Plugin::CbtTool(plugin) => plugin.status(),
        }
    }
}

/// The outcome of loading one folder of a plugins folder.
#[derive(Debug)]
pub struct FolderLoad {
    /// The plugin's folder.
    pub folder: PathBuf,
    /// The plugin, or why it was not loaded.
    pub plugin: Result<Plugin, Error>,
}

/// What `install` recorded beside the artifact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct InstallRecord {
    /// SHA-256 of the component the artifact was compiled from.
    wasm_sha256: String,
    /// The engine-compatibility fingerprint of the host that compiled it.
    engine: String,
    /// HMAC-SHA256 (hex) of the artifact, bound to the two fields above.
    artifact_hmac: String,
    /// HMAC-SHA256 (hex) of the plugin's id and component digest alone: it
    /// shows the operator's key installed this component, so a host of
    /// another build may compile it again instead of refusing it. Absent
    /// from records written before it existed (those are refused instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    component_hmac: Option<String>,
}

/// File names inside a plugin's folder.
const MANIFEST_FILE: &str = "manifest.json";
const ARTIFACT_FILE: &str = "plugin.cwasm";
const RECORD_FILE: &str = "install.json";

/// The plugin host. Build one per process and share it (cloning is cheap).
#[derive(Clone)]
pub struct PluginHost {
    runtime: Arc<Runtime>,
    config: Arc<HostConfig>,
}

impl fmt::Debug for PluginHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PluginHost")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl PluginHost {
    /// Starts a host: a Cranelift engine with the component model, epoch
    /// interruption (and fuel when the config asks), and the deadline ticker.
    pub fn new(config: HostConfig) -> Result<PluginHost, Error> {
        let mut engine_config = Config::new();
        engine_config.wasm_component_model(true);
        engine_config.epoch_interruption(true);
        engine_config.consume_fuel(config.fuel_per_call.is_some());
        let concurrent_calls = config.concurrent_calls.max(1);
        // Reserve address space for the memory ceiling only, not wasmtime's
        // default 4 GiB per memory: the pool reserves every slot up front, and
        // 4 GiB slots would take hundreds of GiB of address space (more than
        // tools such as valgrind can map). The price is explicit bounds checks
        // in plugin code. Artifacts depend on it, so a host with another
        // memory ceiling refuses them until they are installed again.
        engine_config.memory_reservation(config.ceiling.memory_bytes);
        engine_config.allocation_strategy(InstanceAllocationStrategy::Pooling(
            pool::pooling_config(concurrent_calls, &config.ceiling),
        ));
        let engine = Engine::new(&engine_config).map_err(|error| Error::Instantiate {
            plugin: PluginId::host(),
            message: format!("engine: {error}"),
        })?;
        let runtime = Runtime::new(
            engine,
            config.tick,
            config.fuel_per_call,
            config.failures_before_disable.max(1),
            concurrent_calls,
        )?;
        Ok(PluginHost {
            runtime: Arc::new(runtime),
            config: Arc::new(config),
        })
    }

    /// Compiles a plugin in memory and loads it, without writing anything:
    /// for the CLI, tests and benchmarks. The manifest's digest is checked.
    pub fn load_bytes(&self, manifest: &Manifest, wasm: &[u8]) -> Result<Plugin, Error> {
        check_digest(manifest, wasm)?;
        self.check_manifest(manifest)?;
        let component = self.compile(&manifest.id, wasm)?;
        self.prepare(manifest, &component, Some(&manifest.version))
    }

    /// Compiles a component with no manifest and loads it with the default
    /// limits and no extra capabilities, detecting its world from its exports:
    /// for trying a plugin locally (`healing-plugin run`). The sandbox is the
    /// same as for installed plugins; the plugin's version is the one it
    /// describes.
    pub fn load_for_trial(&self, id: PluginId, wasm: &[u8]) -> Result<Plugin, Error> {
        let component = self.compile(&id, wasm)?;
        let detected = contract::detect(&id, &component, &self.runtime.engine)?;
        let manifest = Manifest {
            id,
            version: "0.0.0-trial".to_owned(),
            world: detected.world,
            file: "plugin.wasm".to_owned(),
            sha256: sha256_hex(wasm),
            limits: RequestedLimits::default(),
            capabilities: Vec::new(),
        };
        self.prepare(&manifest, &component, None)
    }

    /// Installs the plugin in `folder` (which holds `manifest.json` and the
    /// component file): checks the digest, compiles the component once, checks
    /// its contract version, world and imports, and writes `plugin.cwasm`
    /// with `install.json` recording its HMAC. Returns the loaded plugin.
    pub fn install(&self, folder: &Path) -> Result<Plugin, Error> {
        let manifest = read_manifest(folder)?;
        self.install_manifest(folder, &manifest)
    }

    /// [`PluginHost::install`] with the manifest already read.
    fn install_manifest(&self, folder: &Path, manifest: &Manifest) -> Result<Plugin, Error> {
        let wasm = read(&folder.join(&manifest.file))?;
        check_digest(manifest, &wasm)?;
        self.check_manifest(manifest)?;
        let component = self.compile(&manifest.id, &wasm)?;
        // Check everything before writing, so a refused plugin leaves no
        // artifact behind.
        let plugin = self.prepare(manifest, &component, Some(&manifest.version))?;
        let artifact = component.serialize().map_err(|error| Error::Compile {
            plugin: manifest.id.clone(),
            message: format!("serialising: {error}"),
        })?;
        let engine = self.engine_fingerprint();
        let record = InstallRecord {
            artifact_hmac: hex(&self.artifact_hmac(&manifest.sha256, &engine, &artifact)),
            component_hmac: Some(hex(&self.component_hmac(manifest))),
            wasm_sha256: manifest.sha256.clone(),
            engine,
        };
        write(&folder.join(ARTIFACT_FILE), &artifact)?;
        let record_json = serde_json::to_vec_pretty(&record).map_err(|error| Error::Io {
            path: folder.join(RECORD_FILE).display().to_string(),
            message: error.to_string(),
        })?;
        write(&folder.join(RECORD_FILE), &record_json)?;
        Ok(plugin)
    }

    /// Loads an installed plugin from its precompiled artifact, after checking
    /// that the manifest still names the component that was installed, that
    /// this build of the host can run the artifact, and the artifact's HMAC.
    ///
    /// An artifact another build of the host compiled (after an upgrade) is
    /// compiled again from the installed component, when the install record
    /// shows this operator's key installed that component and the component
    /// is still there with the manifest's digest; the new artifact replaces
    /// the old one. Anything else is refused with [`Error::ArtifactRefused`].
    pub fn load(&self, folder: &Path) -> Result<Plugin, Error> {
        let manifest = read_manifest(folder)?;
        let refused = |reason: &str| Error::ArtifactRefused {
            plugin: manifest.id.clone(),
            reason: reason.to_owned(),
        };
        let record_path = folder.join(RECORD_FILE);
        if !record_path.exists() {
            return Err(refused("not installed: no install.json"));
        }
        let record: InstallRecord = serde_json::from_slice(&read(&record_path)?)
            .map_err(|_| refused("install.json is not a valid install record"))?;
        if record.wasm_sha256 != manifest.sha256 {
            return Err(refused(
                "the manifest names a different component from the one installed",
            ));
        }
        let engine = self.engine_fingerprint();
        if record.engine != engine {
            return self.recompile(folder, &manifest, &record);
        }
        // Read once and check the very bytes that are deserialised, so the
        // file cannot change between the check and the use.
        let artifact = read(&folder.join(ARTIFACT_FILE))?;
        let expected = unhex(&record.artifact_hmac).ok_or_else(|| refused("malformed hmac"))?;
        let mut mac = self.mac();
        mac.update(&artifact_message(&record.wasm_sha256, &engine));
        mac.update(&artifact);
        mac.verify_slice(&expected).map_err(|_| {
            refused("hmac does not match: the artifact was not produced by this host")
        })?;
        #[expect(
            unsafe_code,
            reason = "wasmtime requires unsafe to deserialise native code"
        )]
        // SAFETY: wasmtime requires the bytes to come from `serialize` of a
        // compatible engine. The HMAC above, under the operator's secret key,
        // proves this host produced exactly these bytes in `install`, and the
        // engine fingerprint (also under the HMAC) proves it was compatible;
        // wasmtime re-checks compatibility itself.
        let component = unsafe { Component::deserialize(&self.runtime.engine, &artifact) }
            .map_err(|error| refused(&format!("wasmtime refused it: {error}")))?;
        self.prepare(&manifest, &component, Some(&manifest.version))
    }

    /// Installs again a plugin whose artifact another build of the host
    /// compiled, if this operator's key installed its component.
    fn recompile(
        &self,
        folder: &Path,
        manifest: &Manifest,
        record: &InstallRecord,
    ) -> Result<Plugin, Error> {
        let authenticated = record
            .component_hmac
            .as_deref()
            .and_then(unhex)
            .is_some_and(|expected| {
                let mut mac = self.mac();
                mac.update(&component_message(manifest));
                mac.verify_slice(&expected).is_ok()
            });
        if !authenticated {
            return Err(Error::ArtifactRefused {
                plugin: manifest.id.clone(),
                reason: "compiled by an incompatible build of the host, and the install record \
                         does not show this host's key installed the component"
                    .to_owned(),
            });
        }
        if !folder.join(&manifest.file).is_file() {
            return Err(Error::ArtifactRefused {
                plugin: manifest.id.clone(),
                reason: format!(
                    "compiled by an incompatible build of the host, and the component '{}' \
                     is not there to compile again",
                    manifest.file
                ),
            });
        }
        self.install_manifest(folder, manifest)
    }

    /// Loads every installed plugin under `root` (one folder each, in name
    /// order; hidden folders are skipped). Each folder gets its own result, so
    /// one bad plugin does not stop the others; building an engine from them
    /// with [`PluginSet::load_folder`](crate::PluginSet::load_folder) and
    /// [`PluginSet::engine`](crate::PluginSet::engine) fails while any is
    /// refused.
    pub fn load_folder(&self, root: &Path) -> Result<Vec<FolderLoad>, Error> {
        let entries = std::fs::read_dir(root).map_err(|error| io_error(root, &error))?;
        let mut folders = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|error| io_error(root, &error))?;
            // A hidden folder is an install in progress (`healing-plugin
            // install` stages there), not an installed plugin.
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.path().join(MANIFEST_FILE).is_file() {
                folders.push(entry.path());
            }
        }
        folders.sort();
        Ok(folders
            .into_iter()
            .map(|folder| FolderLoad {
                plugin: self.load(&folder),
                folder,
            })
            .collect())
    }

    /// The contract versions this host accepts.
    pub fn supported_contracts(&self) -> &'static [ContractVersion] {
        &ContractVersion::SUPPORTED
    }

    fn compile(&self, plugin: &PluginId, wasm: &[u8]) -> Result<Component, Error> {
        Component::new(&self.runtime.engine, wasm).map_err(|error| Error::Compile {
            plugin: plugin.clone(),
            message: format!("{error:#}"),
        })
    }

    /// The checks that need only the manifest (capabilities the operator
    /// allows, limits within the ceiling), done before anything is compiled.
    fn check_manifest(&self, manifest: &Manifest) -> Result<Limits, Error> {
        let id = &manifest.id;
        if let Some(capability) = manifest
            .capabilities
            .iter()
            .find(|c| !self.config.allowed_capabilities.contains(c))
        {
            return Err(Error::CapabilityRefused {
                plugin: id.clone(),
                capability: capability.as_str().to_owned(),
            });
        }
        manifest
            .limits
            .resolve(id, self.config.default_limits, self.config.ceiling)
    }

    /// Every load-time check, then pre-instantiation and `describe()`.
    /// `version` is the installed version (`None` for a trial: the plugin's own).
    fn prepare(
        &self,
        manifest: &Manifest,
        component: &Component,
        version: Option<&str>,
    ) -> Result<Plugin, Error> {
        let id = &manifest.id;
        let engine = &self.runtime.engine;
        let detected = contract::detect(id, component, engine)?;
        if detected.world != manifest.world {
            return Err(Error::WrongWorld {
                plugin: id.clone(),
                expected: manifest.world.wit_name().to_owned(),
                found: detected.world.wit_name().to_owned(),
            });
        }
        contract::check_imports(id, component, engine, &manifest.capabilities)?;
        let limits = self.check_manifest(manifest)?;
        let instance_pre = self
            .runtime
            .linker
            .instantiate_pre(component)
            .map_err(|error| Error::Instantiate {
                plugin: id.clone(),
                message: format!("{error:#}"),
            })?;
        let runtime = Arc::clone(&self.runtime);
        match manifest.world {
            World::RiskRule => Ok(Plugin::RiskRule(Box::new(RiskRulePlugin::new(
                id.clone(),
                version,
                detected.version,
                limits,
                instance_pre,
                runtime,
            )?))),
            World::CbtTool => Ok(Plugin::CbtTool(Box::new(CbtToolPlugin::new(
                id.clone(),
                version,
                detected.version,
                limits,
                instance_pre,
                runtime,
            )?))),
        }
    }

    /// A stable text fingerprint of what makes artifacts compatible.
    fn engine_fingerprint(&self) -> String {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.runtime
            .engine
            .precompile_compatibility_hash()
            .hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        <Hmac<Sha256> as KeyInit>::new_from_slice(&self.config.artifact_key.0)
            .unwrap_or_else(|_| unreachable!("hmac takes keys of any length"))
    }

    fn component_hmac(&self, manifest: &Manifest) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(&component_message(manifest));
        mac.finalize().into_bytes().to_vec()
    }

    fn artifact_hmac(&self, wasm_sha256: &str, engine: &str, artifact: &[u8]) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(&artifact_message(wasm_sha256, engine));
        mac.update(artifact);
        mac.finalize().into_bytes().to_vec()
    }
}

/// What the HMAC binds besides the artifact bytes.
fn artifact_message(wasm_sha256: &str, engine: &str) -> Vec<u8> {
    format!("healing-plugin-artifact-v1\n{wasm_sha256}\n{engine}\n").into_bytes()
}

/// What the component HMAC binds: the plugin's id and its component's digest.
fn component_message(manifest: &Manifest) -> Vec<u8> {
    format!(
        "healing-plugin-component-v1\n{}\n{}\n",
        manifest.id, manifest.sha256
    )
    .into_bytes()
}

/// The SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn check_digest(manifest: &Manifest, wasm: &[u8]) -> Result<(), Error> {
    let found = sha256_hex(wasm);
    if found != manifest.sha256 {
        return Err(Error::ChecksumMismatch {
            plugin: manifest.id.clone(),
            expected: manifest.sha256.clone(),
            found,
        });
    }
    Ok(())
}

pub(crate) fn read_manifest(folder: &Path) -> Result<Manifest, Error> {
    let path = folder.join(MANIFEST_FILE);
    let bytes = read(&path)?;
    let text = String::from_utf8(bytes).map_err(|_| Error::InvalidManifest {
        path: path.display().to_string(),
        message: "not UTF-8".to_owned(),
    })?;
    Manifest::parse(&text, &path.display().to_string())
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|error| io_error(path, &error))
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|error| io_error(path, &error))
}

pub(crate) fn io_error(path: &Path, error: &std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}
