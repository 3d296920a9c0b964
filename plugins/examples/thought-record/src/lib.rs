//! Example CBT tool: the seven-column thought record.
//!
//! The columns follow Greenberger D. and Padesky C. A., *Mind Over Mood*, 2nd
//! edition, Guilford Press, 2016 (the Thought Record worksheet; unconfirmed: the
//! worksheet number): situation; moods rated 0-100; automatic thoughts with the
//! "hot" thought; evidence that supports it; evidence that does not; an
//! alternative or balanced thought with belief rated 0-100; moods re-rated.
//! The tool reports which columns are filled, guides the next ones, and asks
//! the pet for a CBT-tool reward once all seven are done.

use healing_plugin_sdk::tool::{
    CbtTool, PluginError, RewardEvent, Step, ToolDescription, ToolOutput, WellbeingActivity,
};
use serde::Deserialize;

/// The input schema (checked by the host before `run` is called).
const INPUT_SCHEMA: &str = r#"{
  "type": "object",
  "required": ["situation", "mood", "mood_rating_before", "hot_thought"],
  "additionalProperties": false,
  "properties": {
    "situation": {"type": "string", "minLength": 1, "maxLength": 2000},
    "mood": {"type": "string", "minLength": 1, "maxLength": 100},
    "mood_rating_before": {"type": "integer", "minimum": 0, "maximum": 100},
    "hot_thought": {"type": "string", "minLength": 1, "maxLength": 2000},
    "evidence_for": {"type": "array", "maxItems": 20, "items": {"type": "string", "minLength": 1, "maxLength": 2000}},
    "evidence_against": {"type": "array", "maxItems": 20, "items": {"type": "string", "minLength": 1, "maxLength": 2000}},
    "balanced_thought": {"type": "string", "minLength": 1, "maxLength": 2000},
    "belief_in_balanced_thought": {"type": "integer", "minimum": 0, "maximum": 100},
    "mood_rating_after": {"type": "integer", "minimum": 0, "maximum": 100}
  }
}"#;

/// The output schema of `data_json`.
const OUTPUT_SCHEMA: &str = r#"{
  "type": "object",
  "required": ["columns_completed", "mood_change"],
  "additionalProperties": false,
  "properties": {
    "columns_completed": {"type": "integer", "minimum": 3, "maximum": 7},
    "mood_change": {"type": ["integer", "null"], "minimum": -100, "maximum": 100}
  }
}"#;

/// One thought record as the person has filled it so far.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    situation: String,
    mood: String,
    mood_rating_before: u8,
    hot_thought: String,
    #[serde(default)]
    evidence_for: Vec<String>,
    #[serde(default)]
    evidence_against: Vec<String>,
    balanced_thought: Option<String>,
    belief_in_balanced_thought: Option<u8>,
    mood_rating_after: Option<u8>,
}

/// The tool.
pub struct ThoughtRecord;

impl CbtTool for ThoughtRecord {
    fn describe() -> ToolDescription {
        ToolDescription {
            name: "Thought record".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            summary: "Look at a difficult thought, weigh the evidence and find a balanced one."
                .to_owned(),
            input_schema: INPUT_SCHEMA.to_owned(),
            output_schema: OUTPUT_SCHEMA.to_owned(),
        }
    }

    fn run(input_json: &str) -> Result<ToolOutput, PluginError> {
        let record: Record = serde_json::from_str(input_json)
            .map_err(|error| PluginError::InvalidInput(error.to_string()))?;
        if record.situation.trim().is_empty() || record.hot_thought.trim().is_empty() {
            return Err(PluginError::InvalidInput(
                "situation and hot_thought must not be blank".to_owned(),
            ));
        }
        // Columns 1-3 are required by the schema.
        let columns = [
            !record.evidence_for.is_empty(),
            !record.evidence_against.is_empty(),
            record.balanced_thought.is_some() && record.belief_in_balanced_thought.is_some(),
            record.mood_rating_after.is_some(),
        ];
        let columns_completed = 3 + columns.iter().filter(|done| **done).count();
        let mut steps = Vec::new();
        if !columns[0] {
            steps.push(Step::untimed(
                "Evidence for",
                "Write down facts that support the hot thought. Facts, not interpretations.",
            ));
        }
        if !columns[1] {
            steps.push(Step::untimed(
                "Evidence against",
                "Write down facts that do not fully support the hot thought. What would you tell a friend?",
            ));
        }
        if !columns[2] {
            steps.push(Step::untimed(
                "Balanced thought",
                "Write a thought that takes all the evidence into account, and rate how much you believe it (0-100).",
            ));
        }
        if !columns[3] {
            steps.push(Step::untimed(
                "Re-rate your mood",
                "How strong is the mood now (0-100)?",
            ));
        }
        let mood_change = record
            .mood_rating_after
            .map(|after| i32::from(after) - i32::from(record.mood_rating_before));
        let journal_summary = match record.mood_rating_after {
            Some(after) => format!(
                "Thought record: {} rated {} before and {} after.",
                record.mood, record.mood_rating_before, after
            ),
            None => format!(
                "Thought record started: {} rated {}.",
                record.mood, record.mood_rating_before
            ),
        };
        let rewards = if columns_completed == 7 {
            vec![RewardEvent {
                activity: WellbeingActivity::CbtTool,
            }]
        } else {
            Vec::new()
        };
        let data_json = serde_json::json!({
            "columns_completed": columns_completed,
            "mood_change": mood_change,
        })
        .to_string();
        Ok(ToolOutput {
            steps,
            journal_summary,
            rewards,
            data_json,
        })
    }
}

healing_plugin_sdk::cbt_tool!(ThoughtRecord);

#[cfg(test)]
mod tests {
    use super::*;
    use healing_plugin_sdk::tool::check_output;

    #[test]
    fn complete_record_reports_mood_change_and_asks_for_a_reward() {
        let output = check_output::<ThoughtRecord>(
            r#"{"situation":"Meeting","mood":"anxious","mood_rating_before":80,"hot_thought":"They think I'm useless",
                "evidence_for":["I stumbled"],"evidence_against":["My manager thanked me"],
                "balanced_thought":"One stumble is not the whole talk","belief_in_balanced_thought":60,"mood_rating_after":45}"#,
        )
        .unwrap();
        assert_eq!(
            output.data_json,
            r#"{"columns_completed":7,"mood_change":-35}"#
        );
        assert_eq!(output.rewards.len(), 1);
        assert!(output.steps.is_empty());
    }

    #[test]
    fn partial_record_guides_the_missing_columns() {
        let output = check_output::<ThoughtRecord>(
            r#"{"situation":"Bus","mood":"low","mood_rating_before":70,"hot_thought":"Nothing will change"}"#,
        )
        .unwrap();
        assert_eq!(output.steps.len(), 4);
        assert!(output.rewards.is_empty());
    }
}
