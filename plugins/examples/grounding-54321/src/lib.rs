//! Example CBT tool: 5-4-3-2-1 grounding.
//!
//! Naming five things you can see, four you can touch, three you can hear, two
//! you can smell and one you can taste brings attention back to the present
//! during anxiety or a flashback. Unconfirmed: the technique is widely taught
//! (for example in NHS Talking Therapies self-help material) but no single
//! original source was found.

use healing_plugin_sdk::tool::{
    CbtTool, PluginError, RewardEvent, Step, ToolDescription, ToolOutput, WellbeingActivity,
};
use serde::Deserialize;

const INPUT_SCHEMA: &str = r#"{
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "noticed": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "see": {"type": "array", "maxItems": 5, "items": {"type": "string", "minLength": 1, "maxLength": 200}},
        "touch": {"type": "array", "maxItems": 4, "items": {"type": "string", "minLength": 1, "maxLength": 200}},
        "hear": {"type": "array", "maxItems": 3, "items": {"type": "string", "minLength": 1, "maxLength": 200}},
        "smell": {"type": "array", "maxItems": 2, "items": {"type": "string", "minLength": 1, "maxLength": 200}},
        "taste": {"type": "array", "maxItems": 1, "items": {"type": "string", "minLength": 1, "maxLength": 200}}
      }
    }
  }
}"#;

const OUTPUT_SCHEMA: &str = r#"{
  "type": "object",
  "required": ["senses_completed", "items_noted"],
  "additionalProperties": false,
  "properties": {
    "senses_completed": {"type": "integer", "minimum": 0, "maximum": 5},
    "items_noted": {"type": "integer", "minimum": 0, "maximum": 15}
  }
}"#;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Noticed {
    #[serde(default)]
    see: Vec<String>,
    #[serde(default)]
    touch: Vec<String>,
    #[serde(default)]
    hear: Vec<String>,
    #[serde(default)]
    smell: Vec<String>,
    #[serde(default)]
    taste: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    #[serde(default)]
    noticed: Noticed,
}

/// The tool.
pub struct Grounding;

impl CbtTool for Grounding {
    fn describe() -> ToolDescription {
        ToolDescription {
            name: "5-4-3-2-1 grounding".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            summary: "Come back to the present by noticing what your senses tell you.".to_owned(),
            input_schema: INPUT_SCHEMA.to_owned(),
            output_schema: OUTPUT_SCHEMA.to_owned(),
        }
    }

    fn run(input_json: &str) -> Result<ToolOutput, PluginError> {
        let input: Input = serde_json::from_str(input_json)
            .map_err(|error| PluginError::InvalidInput(error.to_string()))?;
        let noticed = &input.noticed;
        let senses: [(&str, usize, &str, usize); 5] = [
            (
                "See",
                5,
                "Name five things you can see around you.",
                noticed.see.len(),
            ),
            (
                "Touch",
                4,
                "Name four things you can feel or touch.",
                noticed.touch.len(),
            ),
            (
                "Hear",
                3,
                "Name three things you can hear.",
                noticed.hear.len(),
            ),
            (
                "Smell",
                2,
                "Name two things you can smell.",
                noticed.smell.len(),
            ),
            (
                "Taste",
                1,
                "Name one thing you can taste.",
                noticed.taste.len(),
            ),
        ];
        let steps = senses
            .iter()
            .filter(|(_, wanted, _, got)| got < wanted)
            .map(|(title, _, instruction, _)| Step::untimed(title, instruction))
            .collect::<Vec<_>>();
        let senses_completed = senses
            .iter()
            .filter(|(_, wanted, _, got)| got >= wanted)
            .count();
        let items_noted: usize = senses.iter().map(|(_, _, _, got)| got).sum();
        let rewards = if senses_completed == 5 {
            vec![RewardEvent {
                activity: WellbeingActivity::CbtTool,
            }]
        } else {
            Vec::new()
        };
        Ok(ToolOutput {
            steps,
            journal_summary: format!("Grounding: {senses_completed} of 5 senses."),
            rewards,
            data_json: format!(
                r#"{{"senses_completed":{senses_completed},"items_noted":{items_noted}}}"#
            ),
        })
    }
}

healing_plugin_sdk::cbt_tool!(Grounding);

#[cfg(test)]
mod tests {
    use super::*;
    use healing_plugin_sdk::tool::check_output;

    #[test]
    fn empty_input_guides_all_five_senses() {
        let output = check_output::<Grounding>("{}").unwrap();
        assert_eq!(output.steps.len(), 5);
        assert_eq!(
            output.data_json,
            r#"{"senses_completed":0,"items_noted":0}"#
        );
    }

    #[test]
    fn full_input_asks_for_a_reward() {
        let output = check_output::<Grounding>(
            r#"{"noticed":{"see":["a","b","c","d","e"],"touch":["a","b","c","d"],"hear":["a","b","c"],"smell":["a","b"],"taste":["a"]}}"#,
        )
        .unwrap();
        assert!(output.steps.is_empty());
        assert_eq!(output.rewards.len(), 1);
    }
}
