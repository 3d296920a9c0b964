//! The plugins a host has loaded, by id: the one table the C API, the Python
//! bindings and the server keep, so listing, finding and building an engine from
//! loaded plugins is written once.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

use crate::cbt_tool::CbtToolPlugin;
use crate::host::Plugin;
use crate::manifest::PluginId;
use crate::risk_rule::RiskRulePlugin;

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

impl From<Plugin> for LoadedPlugin {
    fn from(plugin: Plugin) -> LoadedPlugin {
        match plugin {
            Plugin::RiskRule(rule) => LoadedPlugin::RiskRule(Arc::from(rule)),
            Plugin::CbtTool(tool) => LoadedPlugin::CbtTool(Arc::from(tool)),
        }
    }
}

/// The loaded plugins, by id; loading an id again replaces the earlier plugin.
/// Any number of threads may use one set at once.
#[derive(Debug, Default)]
pub struct PluginSet {
    by_id: RwLock<BTreeMap<String, LoadedPlugin>>,
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
