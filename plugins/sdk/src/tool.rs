//! Types and checks for CBT-tool plugins (the `cbt-tool` world).

pub use crate::tool_bindings::exports::healing::plugin::tool::{
    PluginError, RewardEvent, Step, ToolDescription, ToolOutput, WellbeingActivity,
};

/// A CBT tool: what a plugin author implements, then exports with
/// [`cbt_tool!`](crate::cbt_tool).
pub trait CbtTool {
    /// The tool's name, version, summary and JSON Schemas. Called once when the
    /// host loads the plugin; the host refuses schemas it cannot check.
    fn describe() -> ToolDescription;

    /// Runs the tool on one input document, which the host has already checked
    /// against the input schema. `data_json` in the output must be valid
    /// against the output schema, or the host discards the output.
    fn run(input_json: &str) -> Result<ToolOutput, PluginError>;
}

impl Step {
    /// A step with no time limit.
    pub fn untimed(title: &str, instruction: &str) -> Step {
        Step {
            title: title.to_owned(),
            instruction: instruction.to_owned(),
            seconds: None,
        }
    }

    /// A step that lasts `seconds`.
    pub fn timed(title: &str, instruction: &str, seconds: u32) -> Step {
        Step {
            title: title.to_owned(),
            instruction: instruction.to_owned(),
            seconds: Some(seconds),
        }
    }
}

/// Runs `T::run` natively and applies the host's structural checks to the
/// output: `data_json` parses as JSON text (the host then checks it against the
/// output schema) and every step has a title and an instruction.
pub fn check_output<T: CbtTool>(input_json: &str) -> Result<ToolOutput, String> {
    let output = T::run(input_json).map_err(|error| format!("plugin error: {error:?}"))?;
    if !looks_like_json_document(&output.data_json) {
        return Err(format!(
            "data_json is not a JSON object or array: {:.80}",
            output.data_json
        ));
    }
    if let Some(index) = output
        .steps
        .iter()
        .position(|step| step.title.trim().is_empty() || step.instruction.trim().is_empty())
    {
        return Err(format!("step {index} has an empty title or instruction"));
    }
    Ok(output)
}

/// A cheap shape check that keeps this SDK free of a JSON parser: the text is
/// an object or array (the host does the full parse and schema check).
fn looks_like_json_document(text: &str) -> bool {
    let trimmed = text.trim();
    (trimmed.starts_with('{') && trimmed.ends_with('}'))
        || (trimmed.starts_with('[') && trimmed.ends_with(']'))
}
