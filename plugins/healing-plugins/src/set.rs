//! The plugins a host has loaded, by id: the one table the C API, the Python
//! bindings and the server keep, so listing, finding and building an engine from
//! loaded plugins is written once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use healing_core::safety::{self, Engine};

use crate::Error;
use crate::cbt_tool::CbtToolPlugin;
use crate::contract::ContractVersion;
use crate::host::{FolderLoad, Plugin, PluginHost};
use crate::manifest::PluginId;
use crate::risk_rule::RiskRulePlugin;
use crate::sandbox::PluginStatus;

/// A loaded plugin, shared between the set and whoever uses it (an engine keeps
/// its risk rules after the set is gone).
#[derive(Debug, Clone)]
pub enum LoadedPlugin {
    /// A risk rule.
    RiskRule(Arc<RiskRulePlugin>),
    /// A CBT tool.
    CbtTool(Arc<CbtToolPlugin>),
}

impl LoadedPlugin {
    /// The plugin's id.
    pub fn id(&self) -> &PluginId {
        match self {
            LoadedPlugin::RiskRule(rule) => rule.id(),
            LoadedPlugin::CbtTool(tool) => tool.id(),
        }
    }
}

impl LoadedPlugin {
    /// Its installed version (the manifest's).
    pub fn version(&self) -> &str {
        match self {
            LoadedPlugin::RiskRule(rule) => rule.version(),
            LoadedPlugin::CbtTool(tool) => tool.version(),
        }
    }

    /// The contract version it was built for.
    pub fn contract(&self) -> ContractVersion {
        match self {
            LoadedPlugin::RiskRule(rule) => rule.contract(),
            LoadedPlugin::CbtTool(tool) => tool.contract(),
        }
    }

    /// Whether it is serving calls (see [`RiskRulePlugin::status`]).
    pub fn status(&self) -> PluginStatus {
        match self {
            LoadedPlugin::RiskRule(rule) => rule.status(),
            LoadedPlugin::CbtTool(tool) => tool.status(),
        }
    }

    /// Re-enables it if it was disabled for failing repeatedly; returns
    /// whether it was (see [`RiskRulePlugin::enable`]).
    pub fn enable(&self) -> bool {
        match self {
            LoadedPlugin::RiskRule(rule) => rule.enable(),
            LoadedPlugin::CbtTool(tool) => tool.enable(),
        }
    }
}

impl From<Plugin> for LoadedPlugin {
    fn from(plugin: Plugin) -> LoadedPlugin {
        match plugin {
            Plugin::RiskRule(rule) => LoadedPlugin::RiskRule(Arc::from(rule)),
            Plugin::CbtTool(tool) => LoadedPlugin::CbtTool(Arc::from(tool)),
        }
    }
}

/// The outcome of loading one folder into a [`PluginSet`].
#[derive(Debug)]
pub struct LoadedFolder {
    /// The plugin's folder.
    pub folder: PathBuf,
    /// The plugin as kept in the set, or why it was not loaded.
    pub plugin: Result<LoadedPlugin, Error>,
}

/// A plugin folder that was refused when a plugins folder was loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedPlugin {
    /// The plugin's folder (its name is the plugin's name in the report).
    pub folder: PathBuf,
    /// Why it was refused.
    pub error: Error,
}

/// The loaded plugins, by id; loading an id again replaces the earlier plugin.
/// Any number of threads may use one set at once.
///
/// It also remembers the folders [`PluginSet::load_folder`] refused, so that
/// [`PluginSet::engine`] never builds a safety engine that silently lacks a
/// risk rule the operator installed.
#[derive(Debug, Default)]
pub struct PluginSet {
    by_id: RwLock<BTreeMap<String, LoadedPlugin>>,
    refused: RwLock<BTreeMap<PathBuf, Error>>,
}

impl PluginSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps a loaded plugin under its id and returns the shared handle.
    pub fn insert(&self, plugin: Plugin) -> LoadedPlugin {
        let loaded = LoadedPlugin::from(plugin);
        // The map is consistent between any two statements, so a lock poisoned by
        // a panic elsewhere still guards a valid map.
        self.by_id
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(loaded.id().as_str().to_owned(), loaded.clone());
        loaded
    }

    /// Loads every installed plugin under `root` with `host` (see
    /// [`PluginHost::load_folder`]): each loaded one is kept, each refused one
    /// remembered until that folder loads or [`PluginSet::forget_refused`].
    /// Returns what happened to each folder; fails only if `root` cannot be
    /// read.
    pub fn load_folder(&self, host: &PluginHost, root: &Path) -> Result<Vec<LoadedFolder>, Error> {
        Ok(host
            .load_folder(root)?
            .into_iter()
            .map(|load| self.record(load))
            .collect())
    }

    /// Keeps what loading one folder gave: a plugin is kept (and an earlier
    /// refusal of that folder forgotten), a refusal is remembered. Returns the
    /// same outcome, with the plugin as the shared handle kept here.
    pub fn record(&self, load: FolderLoad) -> LoadedFolder {
        let mut refused = self.refused.write().unwrap_or_else(PoisonError::into_inner);
        match load.plugin {
            Ok(plugin) => {
                refused.remove(&load.folder);
                drop(refused);
                LoadedFolder {
                    plugin: Ok(self.insert(plugin)),
                    folder: load.folder,
                }
            }
            Err(error) => {
                refused.insert(load.folder.clone(), error.clone());
                LoadedFolder {
                    folder: load.folder,
                    plugin: Err(error),
                }
            }
        }
    }

    /// The folders refused by loading and not loaded since, in folder order.
    pub fn refused(&self) -> Vec<RefusedPlugin> {
        self.refused
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(folder, error)| RefusedPlugin {
                folder: folder.clone(),
                error: error.clone(),
            })
            .collect()
    }

    /// Fails with [`Error::Refused`], naming each plugin, while any folder
    /// refused by [`PluginSet::load_folder`] has not loaded since and has not
    /// been forgotten: what [`PluginSet::engine`] checks, for callers that
    /// build their engine another way.
    pub fn check_refused(&self) -> Result<(), Error> {
        let refused = self.refused();
        if refused.is_empty() {
            Ok(())
        } else {
            Err(refused_error(&refused))
        }
    }

    /// Forgets the refused folders, returning them: the caller's explicit
    /// decision to build engines without those plugins.
    pub fn forget_refused(&self) -> Vec<RefusedPlugin> {
        let forgotten = self.refused();
        self.refused
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        forgotten
    }

    /// `base` (the built-in rules, or a deployment's) with every loaded risk
    /// rule added, in id order; its `rules_version` names each plugin and its
    /// version. Fails with [`Error::Refused`], naming each plugin, while any
    /// folder refused by [`PluginSet::load_folder`] has not loaded since and
    /// has not been forgotten with [`PluginSet::forget_refused`]: a risk rule
    /// the operator installed never silently goes missing.
    pub fn engine(&self, base: Engine) -> Result<Engine, Error> {
        self.check_refused()?;
        Ok(self.risk_rules().into_iter().fold(base, |engine, rule| {
            engine.with_shared_rule(rule as Arc<dyn safety::Rule>)
        }))
    }

    /// The plugin with `id`, if one is loaded.
    pub fn get(&self, id: &str) -> Option<LoadedPlugin> {
        self.by_id
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
    }

    /// Every loaded plugin, in id order.
    pub fn all(&self) -> Vec<LoadedPlugin> {
        self.by_id
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }

    /// Every loaded risk rule, in id order: what a safety engine runs.
    pub fn risk_rules(&self) -> Vec<Arc<RiskRulePlugin>> {
        self.all()
            .into_iter()
            .filter_map(|loaded| match loaded {
                LoadedPlugin::RiskRule(rule) => Some(rule),
                LoadedPlugin::CbtTool(_) => None,
            })
            .collect()
    }

    /// How many plugins are loaded.
    pub fn len(&self) -> usize {
        self.by_id
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether no plugin is loaded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The error naming every refused plugin.
fn refused_error(refused: &[RefusedPlugin]) -> Error {
    let plugins = refused
        .iter()
        .map(|plugin| {
            let name = plugin.folder.file_name().map_or_else(
                || plugin.folder.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            );
            format!("'{name}' ({}): {}", plugin.folder.display(), plugin.error)
        })
        .collect::<Vec<_>>()
        .join("; ");
    Error::Refused {
        count: refused.len(),
        plugins,
    }
}
