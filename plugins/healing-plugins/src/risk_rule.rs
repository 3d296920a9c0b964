//! Risk-rule plugins and how they plug into the core safety engine.

use std::fmt;
use std::sync::Arc;

use healing_core::safety::{self, Category, Context, Finding, RiskLevel, Source};
use serde::{Deserialize, Serialize};
use wasmtime::Store;
use wasmtime::component::InstancePre;

use crate::Error;
use crate::bindings::v0_1_0::risk_rule as v0_1_0;
use crate::contract::ContractVersion;
use crate::manifest::{Limits, PluginId};
use crate::pool::CallStore;
use crate::sandbox::{CallState, Health, PluginStatus, Runtime, cut};

use v0_1_0::exports::healing::plugin::rule as wit;

/// What a risk rule says about itself at load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDescription {
    /// Human-readable name.
    pub name: String,
    /// The plugin's own version.
    pub version: String,
    /// Every category the rule can report; a finding with any other is
    /// malformed output.
    pub categories: Vec<Category>,
}

/// A loaded risk-rule plugin.
///
/// Use it as a [`safety::Rule`] (`Engine::standard()?.with_rule(plugin)`), or
/// call [`RiskRulePlugin::findings`] directly. Each call runs in a fresh
/// instance, so nothing one patient wrote is left inside the plugin for the
/// next.
///
/// As a [`safety::Rule`] it fails closed: when a call fails (or the plugin is
/// disabled) it reports one finding at [`RiskLevel::High`] over the whole
/// text, whose reason names the plugin and the error, so the caller shows
/// crisis resources and a clinician sees that the text was not fully
/// assessed. It can raise the engine's level, never lower it (the engine takes
/// the highest level of all findings).
pub struct RiskRulePlugin {
    id: PluginId,
    /// The version the operator installed (the manifest's), which
    /// `rules_version` names.
    plugin_version: String,
    rule_id: String,
    version: ContractVersion,
    limits: Limits,
    description: RuleDescription,
    pre: v0_1_0::RiskRulePre<CallState>,
    runtime: Arc<Runtime>,
    health: Health,
}

impl fmt::Debug for RiskRulePlugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RiskRulePlugin")
            .field("id", &self.id)
            .field("version", &self.plugin_version)
            .field("contract", &self.version)
            .field("limits", &self.limits)
            .field("description", &self.description)
            .field("status", &self.health.status())
            .finish_non_exhaustive()
    }
}

impl RiskRulePlugin {
    /// Pre-instantiates the component and asks it to describe itself.
    /// `plugin_version` is the installed version (the manifest's); `None`
    /// takes the version the plugin describes (a trial without a manifest).
    pub(crate) fn new(
        id: PluginId,
        plugin_version: Option<&str>,
        version: ContractVersion,
        limits: Limits,
        instance_pre: InstancePre<CallState>,
        runtime: Arc<Runtime>,
    ) -> Result<RiskRulePlugin, Error> {
        let pre = v0_1_0::RiskRulePre::new(instance_pre).map_err(|error| Error::Instantiate {
            plugin: id.clone(),
            message: error.to_string(),
        })?;
        let mut plugin = RiskRulePlugin {
            rule_id: format!("plugin/{id}"),
            plugin_version: plugin_version.unwrap_or_default().to_owned(),
            id,
            version,
            limits,
            description: RuleDescription {
                name: String::new(),
                version: String::new(),
                categories: Vec::new(),
            },
            pre,
            runtime,
            health: Health::new(),
        };
        plugin.description = plugin.describe()?;
        if plugin.plugin_version.is_empty() {
            plugin.plugin_version = plugin.description.version.clone();
        }
        Ok(plugin)
    }

    /// The plugin's id.
    pub fn id(&self) -> &PluginId {
        &self.id
    }

    /// Its installed version (the manifest's).
    pub fn version(&self) -> &str {
        &self.plugin_version
    }

    /// The contract version it was built for.
    pub fn contract(&self) -> ContractVersion {
        self.version
    }

    /// Its limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// What it said about itself at load.
    pub fn description(&self) -> &RuleDescription {
        &self.description
    }

    /// Whether it is serving calls.
    pub fn status(&self) -> PluginStatus {
        self.health.status()
    }

    /// Re-enables a plugin disabled for failing repeatedly (an operator's
    /// decision, after fixing the cause) and clears its failure count.
    /// Returns whether it was disabled; enabling an enabled plugin changes
    /// nothing else.
    pub fn enable(&self) -> bool {
        self.health.enable()
    }

    /// Runs the rule on `text` in a fresh instance. Findings carry the rule id
    /// `plugin/<id>/<rule>`. Spans are passed through as the plugin gave them;
    /// the engine drops and notes any that are not valid ranges of the text.
    pub fn findings(&self, text: &str, context: &Context) -> Result<Vec<Finding>, Error> {
        self.health.check(&self.id)?;
        let result = self.findings_in_fresh_instance(text, context);
        self.health
            .record(&result, self.runtime.failures_before_disable);
        result
    }

    /// A session that keeps one instance for several calls (one request of one
    /// patient, never longer), which saves instantiation. After any failure the
    /// instance is discarded and the next call gets a fresh one.
    pub fn session(&self) -> RiskRuleSession<'_> {
        RiskRuleSession {
            plugin: self,
            instance: None,
        }
    }

    fn findings_in_fresh_instance(
        &self,
        text: &str,
        context: &Context,
    ) -> Result<Vec<Finding>, Error> {
        self.check_input(text)?;
        let mut store = self.runtime.new_store(&self.id, &self.limits)?;
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|error| self.classify(&store, &error))?;
        self.call_assess(&mut store, &instance, text, context)
    }

    fn check_input(&self, text: &str) -> Result<(), Error> {
        let limit = usize::try_from(self.limits.input_bytes).unwrap_or(usize::MAX);
        if text.len() > limit {
            return Err(Error::InputTooLarge {
                plugin: self.id.clone(),
                bytes: text.len(),
                limit,
            });
        }
        Ok(())
    }

    fn call_assess(
        &self,
        store: &mut Store<CallState>,
        instance: &v0_1_0::RiskRule,
        text: &str,
        context: &Context,
    ) -> Result<Vec<Finding>, Error> {
        let wit_context = wit::Context {
            source: source_to_wit(context.source),
            recent_levels: context
                .recent_levels
                .iter()
                .map(|level| level_to_wit(*level))
                .collect(),
        };
        let reply = instance
            .healing_plugin_rule()
            .call_assess(&mut *store, text, &wit_context)
            .map_err(|error| self.classify(store, &error))?;
        let findings = reply.map_err(|error| self.plugin_reported(error))?;
        self.convert_findings(findings)
    }

    fn describe(&self) -> Result<RuleDescription, Error> {
        let mut store = self.runtime.new_store(&self.id, &self.limits)?;
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|error| self.classify(&store, &error))?;
        let description = instance
            .healing_plugin_rule()
            .call_describe(&mut store)
            .map_err(|error| self.classify(&store, &error))?;
        let malformed = |detail: String| Error::MalformedOutput {
            plugin: self.id.clone(),
            detail,
        };
        if description.name.trim().is_empty() || description.name.len() > 200 {
            return Err(malformed(
                "describe() name is empty or over 200 bytes".to_owned(),
            ));
        }
        if description.version.is_empty() || description.version.len() > 64 {
            return Err(malformed(
                "describe() version is empty or over 64 bytes".to_owned(),
            ));
        }
        let mut categories: Vec<Category> = description
            .categories
            .iter()
            .map(|c| category_from_wit(*c))
            .collect();
        categories.sort();
        categories.dedup();
        Ok(RuleDescription {
            name: description.name,
            version: description.version,
            categories,
        })
    }

    /// Checks the plugin's findings against the contract and turns them into
    /// core findings.
    fn convert_findings(&self, findings: Vec<wit::Finding>) -> Result<Vec<Finding>, Error> {
        let output_bytes: usize = findings
            .iter()
            .map(|f| f.rule.len() + f.reason.len() + f.categories.len() + 16)
            .sum();
        let limit = usize::try_from(self.limits.output_bytes).unwrap_or(usize::MAX);
        if output_bytes > limit {
            return Err(Error::OutputTooLarge {
                plugin: self.id.clone(),
                bytes: output_bytes,
                limit,
            });
        }
        let malformed = |detail: String| Error::MalformedOutput {
            plugin: self.id.clone(),
            detail,
        };
        let mut converted = Vec::with_capacity(findings.len());
        for (index, finding) in findings.into_iter().enumerate() {
            if !is_rule_name(&finding.rule) {
                return Err(malformed(format!(
                    "finding {index} has rule name '{}', not 1-64 bytes of a-z0-9._-",
                    finding.rule.chars().take(80).collect::<String>()
                )));
            }
            let mut categories = Vec::with_capacity(finding.categories.len());
            for category in finding.categories {
                let category = category_from_wit(category);
                if !self.description.categories.contains(&category) {
                    return Err(malformed(format!(
                        "finding {index} reports category '{category}', which describe() does not declare"
                    )));
                }
                if !categories.contains(&category) {
                    categories.push(category);
                }
            }
            converted.push(Finding {
                rule: format!("{}/{}", self.rule_id, finding.rule),
                start: finding.span.start as usize,
                end: finding.span.end as usize,
                level: level_from_wit(finding.level),
                categories,
                reason: finding.reason,
            });
        }
        Ok(converted)
    }

    fn classify(&self, store: &Store<CallState>, error: &wasmtime::Error) -> Error {
        self.runtime.classify(&self.id, &self.limits, store, error)
    }

    fn plugin_reported(&self, error: wit::PluginError) -> Error {
        let (kind, message) = match error {
            wit::PluginError::InvalidInput(message) => ("invalid-input", message),
            wit::PluginError::Internal(message) => ("internal", message),
        };
        Error::PluginReported {
            plugin: self.id.clone(),
            kind: kind.to_owned(),
            message: cut(&message, 200),
        }
    }

    /// The finding reported in place of a failed call, so the engine fails
    /// closed. `None` for an empty text, which no rule can find evidence in.
    fn fail_closed(&self, text: &str, error: &Error) -> Option<Finding> {
        (!text.is_empty()).then(|| Finding {
            rule: format!("{}/failed", self.rule_id),
            start: 0,
            end: text.len(),
            level: RiskLevel::High,
            categories: Vec::new(),
            reason: format!(
                "plugin rule could not assess this text ({}); failing closed: review it by hand",
                error.summary()
            ),
        })
    }
}

impl safety::Rule for RiskRulePlugin {
    fn id(&self) -> &str {
        &self.rule_id
    }

    fn version(&self) -> Option<&str> {
        Some(&self.plugin_version)
    }

    fn assess(&self, text: &str, context: &Context) -> Vec<Finding> {
        if text.is_empty() {
            return Vec::new();
        }
        match self.findings(text, context) {
            Ok(findings) => findings,
            Err(error) => self.fail_closed(text, &error).into_iter().collect(),
        }
    }
}

/// One instance of a risk rule kept for several calls; see
/// [`RiskRulePlugin::session`].
pub struct RiskRuleSession<'plugin> {
    plugin: &'plugin RiskRulePlugin,
    instance: Option<(CallStore, v0_1_0::RiskRule)>,
}

impl fmt::Debug for RiskRuleSession<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RiskRuleSession")
            .field("plugin", &self.plugin.id)
            .field("instantiated", &self.instance.is_some())
            .finish()
    }
}

impl RiskRuleSession<'_> {
    /// Like [`RiskRulePlugin::findings`], reusing this session's instance.
    pub fn findings(&mut self, text: &str, context: &Context) -> Result<Vec<Finding>, Error> {
        let plugin = self.plugin;
        plugin.health.check(&plugin.id)?;
        let result = self.findings_in_instance(text, context);
        if result.is_err() {
            // Whatever state a failed call left behind is not reused.
            self.instance = None;
        }
        plugin
            .health
            .record(&result, plugin.runtime.failures_before_disable);
        result
    }

    fn findings_in_instance(
        &mut self,
        text: &str,
        context: &Context,
    ) -> Result<Vec<Finding>, Error> {
        let plugin = self.plugin;
        plugin.check_input(text)?;
        let (store, instance) = match &mut self.instance {
            Some((store, instance)) => {
                plugin.runtime.arm(store, &plugin.limits);
                (store, instance)
            }
            slot @ None => {
                let mut store = plugin.runtime.new_store(&plugin.id, &plugin.limits)?;
                let instance = plugin
                    .pre
                    .instantiate(&mut store)
                    .map_err(|error| plugin.classify(&store, &error))?;
                let (store, instance) = slot.insert((store, instance));
                (store, instance)
            }
        };
        plugin.call_assess(store, instance, text, context)
    }
}

/// Whether `name` is a valid rule name: 1 to 64 bytes of `a-z0-9._-`.
fn is_rule_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

fn level_to_wit(level: RiskLevel) -> wit::RiskLevel {
    match level {
        RiskLevel::None => wit::RiskLevel::None,
        RiskLevel::Low => wit::RiskLevel::Low,
        RiskLevel::Medium => wit::RiskLevel::Medium,
        RiskLevel::High => wit::RiskLevel::High,
        RiskLevel::Critical => wit::RiskLevel::Critical,
    }
}

fn level_from_wit(level: wit::RiskLevel) -> RiskLevel {
    match level {
        wit::RiskLevel::None => RiskLevel::None,
        wit::RiskLevel::Low => RiskLevel::Low,
        wit::RiskLevel::Medium => RiskLevel::Medium,
        wit::RiskLevel::High => RiskLevel::High,
        wit::RiskLevel::Critical => RiskLevel::Critical,
    }
}

fn category_from_wit(category: wit::Category) -> Category {
    match category {
        wit::Category::Suicide => Category::Suicide,
        wit::Category::SelfHarm => Category::SelfHarm,
        wit::Category::HarmToOthers => Category::HarmToOthers,
        wit::Category::Safeguarding => Category::Safeguarding,
        wit::Category::ThirdParty => Category::ThirdParty,
    }
}

fn source_to_wit(source: Source) -> wit::Source {
    match source {
        Source::Chat => wit::Source::Chat,
        Source::MoodNote => wit::Source::MoodNote,
        Source::Journal => wit::Source::Journal,
        Source::Message => wit::Source::Message,
        Source::Community => wit::Source::Community,
        Source::ClinicalNote => wit::Source::ClinicalNote,
        Source::Unknown => wit::Source::Unknown,
    }
}
