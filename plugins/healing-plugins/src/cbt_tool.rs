//! CBT-tool plugins: JSON in and out, checked against the schemas the tool
//! declares, with typed steps, a journal summary and rewards for the pet.

use std::fmt;
use std::sync::Arc;

use healing_core::pet::{Event, WellbeingActivity};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasmtime::component::InstancePre;

use crate::Error;
use crate::bindings::v0_1_0::cbt_tool as v0_1_0;
use crate::contract::ContractVersion;
use crate::manifest::{Limits, PluginId};
use crate::sandbox::{CallState, Health, PluginStatus, Runtime, cut};
use crate::schema::Schema;

use v0_1_0::exports::healing::plugin::tool as wit;

/// What a CBT tool says about itself at load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolDescription {
    /// Human-readable name.
    pub name: String,
    /// The plugin's own version.
    pub version: String,
    /// One sentence on what the tool is for.
    pub summary: String,
    /// JSON Schema of the input document (as declared).
    pub input_schema: Value,
    /// JSON Schema of the output data (as declared).
    pub output_schema: Value,
}

/// One step shown to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Short title.
    pub title: String,
    /// What to do, in plain language.
    pub instruction: String,
    /// How long the step lasts, if it is timed.
    pub seconds: Option<u32>,
}

/// What one run of a tool produced, checked against the contract and the
/// tool's output schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolOutput {
    /// Steps to show, in order.
    pub steps: Vec<Step>,
    /// One or two sentences for the person's journal (may be empty).
    pub journal_summary: String,
    /// Activities the tool says the person completed; pass
    /// [`ToolOutput::pet_events`] to the pet engine, which caps rewards daily.
    pub rewards: Vec<WellbeingActivity>,
    /// Tool-specific output, valid against the tool's output schema.
    pub data: Value,
}

impl ToolOutput {
    /// The rewards as pet events for `healing_core::pet::step`.
    pub fn pet_events(&self) -> Vec<Event> {
        self.rewards
            .iter()
            .map(|activity| Event::CompleteActivity {
                activity: *activity,
            })
            .collect()
    }
}

/// A loaded CBT-tool plugin. Each [`CbtToolPlugin::run`] is a fresh instance.
pub struct CbtToolPlugin {
    id: PluginId,
    /// The version the operator installed (the manifest's).
    plugin_version: String,
    version: ContractVersion,
    limits: Limits,
    description: ToolDescription,
    input_schema: Schema,
    output_schema: Schema,
    pre: v0_1_0::CbtToolPre<CallState>,
    runtime: Arc<Runtime>,
    health: Health,
}

impl fmt::Debug for CbtToolPlugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CbtToolPlugin")
            .field("id", &self.id)
            .field("version", &self.plugin_version)
            .field("contract", &self.version)
            .field("limits", &self.limits)
            .field("name", &self.description.name)
            .field("status", &self.health.status())
            .finish_non_exhaustive()
    }
}

impl CbtToolPlugin {
    /// Pre-instantiates the component, asks it to describe itself and checks
    /// that both its schemas are in the subset this host validates.
    /// `plugin_version` is the installed version (the manifest's); `None`
    /// takes the version the tool describes (a trial without a manifest).
    pub(crate) fn new(
        id: PluginId,
        plugin_version: Option<&str>,
        version: ContractVersion,
        limits: Limits,
        instance_pre: InstancePre<CallState>,
        runtime: Arc<Runtime>,
    ) -> Result<CbtToolPlugin, Error> {
        let pre = v0_1_0::CbtToolPre::new(instance_pre).map_err(|error| Error::Instantiate {
            plugin: id.clone(),
            message: error.to_string(),
        })?;
        let mut store = runtime.new_store(&id, &limits)?;
        let classify = |store: &wasmtime::Store<CallState>, error: &wasmtime::Error| {
            runtime.classify(&id, &limits, store, error)
        };
        let instance = pre
            .instantiate(&mut store)
            .map_err(|error| classify(&store, &error))?;
        let declared = instance
            .healing_plugin_tool()
            .call_describe(&mut store)
            .map_err(|error| classify(&store, &error))?;
        let malformed = |detail: &str| Error::MalformedOutput {
            plugin: id.clone(),
            detail: detail.to_owned(),
        };
        if declared.name.trim().is_empty() || declared.name.len() > 200 {
            return Err(malformed("describe() name is empty or over 200 bytes"));
        }
        if declared.version.is_empty() || declared.version.len() > 64 {
            return Err(malformed("describe() version is empty or over 64 bytes"));
        }
        let unsupported = |which: &str, message: String| Error::UnsupportedSchema {
            plugin: id.clone(),
            which: which.to_owned(),
            message,
        };
        let input_schema =
            Schema::parse(&declared.input_schema).map_err(|m| unsupported("input", m))?;
        let output_schema =
            Schema::parse(&declared.output_schema).map_err(|m| unsupported("output", m))?;
        // Both parsed above, so these cannot fail; `Null` is never reached.
        let input_value = serde_json::from_str(&declared.input_schema).unwrap_or(Value::Null);
        let output_value = serde_json::from_str(&declared.output_schema).unwrap_or(Value::Null);
        Ok(CbtToolPlugin {
            plugin_version: plugin_version.unwrap_or(&declared.version).to_owned(),
            description: ToolDescription {
                name: declared.name,
                version: declared.version,
                summary: declared.summary,
                input_schema: input_value,
                output_schema: output_value,
            },
            id,
            version,
            limits,
            input_schema,
            output_schema,
            pre,
            runtime,
            health: Health::new(),
        })
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
    pub fn description(&self) -> &ToolDescription {
        &self.description
    }

    /// Whether it is serving calls.
    pub fn status(&self) -> PluginStatus {
        self.health.status()
    }

    /// Re-enables a plugin disabled for failing repeatedly and clears its
    /// failure count. Returns whether it was disabled.
    pub fn enable(&self) -> bool {
        self.health.enable()
    }

    /// Runs the tool on `input` in a fresh instance. The input is checked
    /// against the input schema first ([`Error::InputSchema`], not counted
    /// against the plugin); the output's data against the output schema.
    pub fn run(&self, input: &Value) -> Result<ToolOutput, Error> {
        self.health.check(&self.id)?;
        self.input_schema
            .validate(input)
            .map_err(|violation| Error::InputSchema {
                plugin: self.id.clone(),
                violation,
            })?;
        let input_json = input.to_string();
        let limit = usize::try_from(self.limits.input_bytes).unwrap_or(usize::MAX);
        if input_json.len() > limit {
            return Err(Error::InputTooLarge {
                plugin: self.id.clone(),
                bytes: input_json.len(),
                limit,
            });
        }
        let result = self.run_in_fresh_instance(&input_json);
        self.health
            .record(&result, self.runtime.failures_before_disable);
        result
    }

    fn run_in_fresh_instance(&self, input_json: &str) -> Result<ToolOutput, Error> {
        let mut store = self.runtime.new_store(&self.id, &self.limits)?;
        let classify = |store: &wasmtime::Store<CallState>, error: &wasmtime::Error| {
            self.runtime.classify(&self.id, &self.limits, store, error)
        };
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|error| classify(&store, &error))?;
        let reply = instance
            .healing_plugin_tool()
            .call_run(&mut store, input_json)
            .map_err(|error| classify(&store, &error))?;
        let output = reply.map_err(|error| {
            let (kind, message) = match error {
                wit::PluginError::InvalidInput(message) => ("invalid-input", message),
                wit::PluginError::Internal(message) => ("internal", message),
            };
            Error::PluginReported {
                plugin: self.id.clone(),
                kind: kind.to_owned(),
                message: cut(&message, 200),
            }
        })?;
        self.convert_output(output)
    }

    fn convert_output(&self, output: wit::ToolOutput) -> Result<ToolOutput, Error> {
        let bytes = output.data_json.len()
            + output.journal_summary.len()
            + output.rewards.len()
            + output
                .steps
                .iter()
                .map(|step| step.title.len() + step.instruction.len() + 8)
                .sum::<usize>();
        let limit = usize::try_from(self.limits.output_bytes).unwrap_or(usize::MAX);
        if bytes > limit {
            return Err(Error::OutputTooLarge {
                plugin: self.id.clone(),
                bytes,
                limit,
            });
        }
        let malformed = |detail: String| Error::MalformedOutput {
            plugin: self.id.clone(),
            detail,
        };
        if let Some(index) = output
            .steps
            .iter()
            .position(|step| step.title.trim().is_empty() || step.instruction.trim().is_empty())
        {
            return Err(malformed(format!(
                "step {index} has an empty title or instruction"
            )));
        }
        let data: Value = serde_json::from_str(&output.data_json)
            .map_err(|error| malformed(format!("data-json is not JSON: {error}")))?;
        self.output_schema
            .validate(&data)
            .map_err(|violation| Error::OutputSchema {
                plugin: self.id.clone(),
                violation,
            })?;
        Ok(ToolOutput {
            steps: output
                .steps
                .into_iter()
                .map(|step| Step {
                    title: step.title,
                    instruction: step.instruction,
                    seconds: step.seconds,
                })
                .collect(),
            journal_summary: output.journal_summary,
            rewards: output
                .rewards
                .into_iter()
                .map(|reward| activity_from_wit(reward.activity))
                .collect(),
            data,
        })
    }
}

fn activity_from_wit(activity: wit::WellbeingActivity) -> WellbeingActivity {
    match activity {
        wit::WellbeingActivity::MoodLog => WellbeingActivity::MoodLog,
        wit::WellbeingActivity::Assessment => WellbeingActivity::Assessment,
        wit::WellbeingActivity::CbtTool => WellbeingActivity::CbtTool,
        wit::WellbeingActivity::Journal => WellbeingActivity::Journal,
        wit::WellbeingActivity::Breathing => WellbeingActivity::Breathing,
        wit::WellbeingActivity::Chat => WellbeingActivity::Chat,
    }
}
