//! A service's plugins folder: installing a plugin into it (from a component
//! file or a plugin folder) and removing one. `healing-plugin install` and
//! `healing-server plugin install` both call this, so a plugin's id, its
//! folder and the staging of an install are decided once.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::host::{Plugin, PluginHost, sha256_hex};
use crate::manifest::{Manifest, PluginId, RequestedLimits, World};

/// What to install: a component file (`.wasm`) or a plugin folder
/// (`manifest.json` beside the component).
#[derive(Debug, Clone, Default)]
pub struct InstallRequest {
    /// The id for a component file; `None`: [`PluginId::of_file`]. Not allowed
    /// with a folder, whose manifest names its id.
    pub id: Option<PluginId>,
    /// The version to record; `None`: the manifest's, or for a component file
    /// the version the plugin describes.
    pub version: Option<String>,
}

/// A plugin installed into a plugins folder.
#[derive(Debug)]
pub struct Installed {
    /// The loaded plugin.
    pub plugin: Plugin,
    /// Its folder, `<plugins folder>/<id>`.
    pub folder: PathBuf,
}

impl PluginId {
    /// The id of a component file with no manifest: its file name without
    /// `.wasm`, lower-cased, with `_` and `.` as `-`. Cargo writes crate
    /// `my-terms` as `my_terms.wasm`, whose id is then `my-terms`, the crate's
    /// name, wherever the plugin is tried or installed.
    pub fn of_file(path: &Path) -> Result<PluginId, Error> {
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase()
            .replace(['_', '.'], "-");
        PluginId::new(&stem).map_err(|_| Error::InvalidManifest {
            path: path.display().to_string(),
            message: "the file name does not make a plugin id (a-z0-9-_, starting with a letter); give an id".to_owned(),
        })
    }
}

impl PluginHost {
    /// Installs the plugin at `source` into `plugins_dir/<id>/`: copies the
    /// component (writing a manifest for a bare component: its id, the
    /// world it exports, its digest, default limits), then installs it as
    /// [`PluginHost::install`] does. The install is staged in a hidden folder
    /// beside the final one (loading skips hidden folders) and swapped in only
    /// once it succeeded, so a refused plugin leaves nothing behind and an
    /// earlier install of the same id stays until the new one is ready.
    pub fn install_into(
        &self,
        plugins_dir: &Path,
        source: &Path,
        request: &InstallRequest,
    ) -> Result<Installed, Error> {
        let (mut manifest, wasm) = if source.is_dir() {
            if request.id.is_some() {
                return Err(Error::InvalidManifest {
                    path: source.display().to_string(),
                    message:
                        "a plugin folder's id is its manifest's; give an id only for a .wasm file"
                            .to_owned(),
                });
            }
            let manifest = crate::host::read_manifest(source)?;
            let wasm = crate::host::read(&source.join(&manifest.file))?;
            (manifest, wasm)
        } else {
            let wasm = crate::host::read(source)?;
            let id = match &request.id {
                Some(id) => id.clone(),
                None => PluginId::of_file(source)?,
            };
            // The world and the plugin's own version come from the component.
            let (world, version) = match self.load_for_trial(id.clone(), &wasm)? {
                Plugin::RiskRule(rule) => (World::RiskRule, rule.description().version.clone()),
                Plugin::CbtTool(tool) => (World::CbtTool, tool.description().version.clone()),
            };
            let file = source
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("plugin.wasm")
                .to_owned();
            let manifest = Manifest {
                id,
                version,
                world,
                file,
                sha256: sha256_hex(&wasm),
                limits: RequestedLimits::default(),
                capabilities: Vec::new(),
            };
            (manifest, wasm)
        };
        if let Some(version) = &request.version {
            manifest.version.clone_from(version);
        }
        // Checked as a manifest read from disk would be (version, file name).
        let manifest_text =
            serde_json::to_string_pretty(&manifest).map_err(|error| Error::InvalidManifest {
                path: source.display().to_string(),
                message: error.to_string(),
            })?;
        let manifest = Manifest::parse(&manifest_text, &source.display().to_string())?;
        let io = |path: &Path, error: std::io::Error| crate::host::io_error(path, &error);
        std::fs::create_dir_all(plugins_dir).map_err(|e| io(plugins_dir, e))?;
        let staging = plugins_dir.join(format!(".{}.installing", manifest.id));
        let folder = plugins_dir.join(manifest.id.as_str());
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| io(&staging, e))?;
        }
        std::fs::create_dir(&staging).map_err(|e| io(&staging, e))?;
        let staged = (|| {
            crate::host::write(&staging.join(&manifest.file), &wasm)?;
            crate::host::write(
                &staging.join("manifest.json"),
                format!("{manifest_text}\n").as_bytes(),
            )?;
            self.install(&staging)
        })();
        let plugin = match staged {
            Ok(plugin) => plugin,
            Err(error) => {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(error);
            }
        };
        if folder.exists() {
            std::fs::remove_dir_all(&folder).map_err(|e| io(&folder, e))?;
        }
        std::fs::rename(&staging, &folder).map_err(|e| io(&folder, e))?;
        Ok(Installed { plugin, folder })
    }
}

/// Removes the plugin `id` from `plugins_dir` (its whole folder); returns the
/// folder removed.
pub fn remove_plugin(plugins_dir: &Path, id: &PluginId) -> Result<PathBuf, Error> {
    let folder = plugins_dir.join(id.as_str());
    if !folder.join("manifest.json").is_file() {
        return Err(Error::Io {
            path: folder.display().to_string(),
            message: format!("no plugin '{id}' is installed here"),
        });
    }
    std::fs::remove_dir_all(&folder).map_err(|error| crate::host::io_error(&folder, &error))?;
    Ok(folder)
}
