//! Example CBT tool: box breathing.
//!
//! Four equal sides: breathe in, hold, breathe out, hold, each for the same
//! count (4 seconds by default), repeated for a few cycles. Unconfirmed: no
//! single authoritative clinical source defines box breathing; the counts here
//! (3-6 seconds a side, 1-10 cycles) are conservative choices, and a person who
//! feels dizzy is told to stop.

use healing_plugin_sdk::tool::{
    CbtTool, PluginError, RewardEvent, Step, ToolDescription, ToolOutput, WellbeingActivity,
};
use serde::Deserialize;

const INPUT_SCHEMA: &str = r#"{
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "cycles": {"type": "integer", "minimum": 1, "maximum": 10},
    "seconds_per_side": {"type": "integer", "minimum": 3, "maximum": 6}
  }
}"#;

const OUTPUT_SCHEMA: &str = r#"{
  "type": "object",
  "required": ["cycles", "total_seconds"],
  "additionalProperties": false,
  "properties": {
    "cycles": {"type": "integer", "minimum": 1, "maximum": 10},
    "total_seconds": {"type": "integer", "minimum": 12, "maximum": 240}
  }
}"#;

/// Input, with defaults for what is left out.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_cycles")]
    cycles: u32,
    #[serde(default = "default_seconds")]
    seconds_per_side: u32,
}

fn default_cycles() -> u32 {
    4
}

fn default_seconds() -> u32 {
    4
}

/// The tool.
pub struct BoxBreathing;

impl CbtTool for BoxBreathing {
    fn describe() -> ToolDescription {
        ToolDescription {
            name: "Box breathing".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            summary: "Slow, even breathing in four equal steps to settle the body.".to_owned(),
            input_schema: INPUT_SCHEMA.to_owned(),
            output_schema: OUTPUT_SCHEMA.to_owned(),
        }
    }

    fn run(input_json: &str) -> Result<ToolOutput, PluginError> {
        let settings: Settings = serde_json::from_str(input_json)
            .map_err(|error| PluginError::InvalidInput(error.to_string()))?;
        let (cycles, seconds) = (settings.cycles, settings.seconds_per_side);
        if !(1..=10).contains(&cycles) || !(3..=6).contains(&seconds) {
            return Err(PluginError::InvalidInput(format!(
                "cycles {cycles} or seconds_per_side {seconds} out of range"
            )));
        }
        let mut steps = vec![Step::untimed(
            "Get comfortable",
            "Sit upright, shoulders loose. If you feel dizzy at any point, stop and breathe normally.",
        )];
        for _ in 0..cycles {
            steps.push(Step::timed(
                "Breathe in",
                "Breathe in slowly through your nose.",
                seconds,
            ));
            steps.push(Step::timed("Hold", "Hold your breath gently.", seconds));
            steps.push(Step::timed(
                "Breathe out",
                "Breathe out slowly through your mouth.",
                seconds,
            ));
            steps.push(Step::timed("Hold", "Rest before the next breath.", seconds));
        }
        let total_seconds = cycles * seconds * 4;
        Ok(ToolOutput {
            steps,
            journal_summary: format!(
                "Box breathing: {cycles} {}, {total_seconds} seconds.",
                if cycles == 1 { "cycle" } else { "cycles" }
            ),
            rewards: vec![RewardEvent {
                activity: WellbeingActivity::Breathing,
            }],
            data_json: format!(r#"{{"cycles":{cycles},"total_seconds":{total_seconds}}}"#),
        })
    }
}

healing_plugin_sdk::cbt_tool!(BoxBreathing);

#[cfg(test)]
mod tests {
    use super::*;
    use healing_plugin_sdk::tool::check_output;

    #[test]
    fn defaults_give_four_cycles_of_four_sides() {
        let output = check_output::<BoxBreathing>("{}").unwrap();
        assert_eq!(output.steps.len(), 1 + 4 * 4);
        assert_eq!(output.data_json, r#"{"cycles":4,"total_seconds":64}"#);
    }

    #[test]
    fn rejects_more_than_ten_cycles() {
        assert!(check_output::<BoxBreathing>(r#"{"cycles":11}"#).is_err());
    }
}
