//! The built-in CBT tools: a thought record, behavioural activation, a breathing or
//! grounding session, and a gratitude log. Each checks its input (the message names
//! the field, never its text), computes a small result, and lists the free text the
//! patient wrote for screening.
//!
//! Sources:
//! - Thought record: Beck, J. S. (2011). *Cognitive Behavior Therapy: Basics and
//!   Beyond* (2nd ed.), Guilford, ch. 12 (the Dysfunctional Thought Record);
//!   Greenberger, D., & Padesky, C. A. (2015). *Mind Over Mood* (2nd ed.), Guilford
//!   (the seven-column thought record; emotions rated 0–100 before and after).
//! - Behavioural activation: Martell, C. R., Dimidjian, S., & Herman-Dunn, R. (2010).
//!   *Behavioral Activation for Depression: A Clinician's Guide*, Guilford (activity
//!   scheduling with pleasure and mastery ratings; the 0–10 scale is the common
//!   worksheet form, not fixed by the source).
//! - Breathing and grounding: paced breathing and the "5-4-3-2-1" grounding exercise
//!   are common self-help techniques in NHS Talking Therapies materials; they are
//!   offered here as self-help, not as treatment, and the evidence for them is mixed
//!   (unsure: no single trial is cited for these forms).
//! - Gratitude log: Seligman, M. E. P., Steen, T. A., Park, N., & Peterson, C. (2005).
//!   Positive psychology progress: Empirical validation of interventions. *American
//!   Psychologist*, 60(5), 410–421 ("three good things").

use std::sync::Arc;

use healing_core::pet::WellbeingActivity;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{CbtTool, ToolInputError, ToolOrigin, ToolOutput, ToolRunError};

/// Longest free-text field accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Most entries in a list field.
pub const MAX_ITEMS: usize = 20;

/// Every built-in tool.
pub fn all() -> Vec<Arc<dyn CbtTool>> {
    vec![
        Arc::new(ThoughtRecord),
        Arc::new(BehaviouralActivation),
        Arc::new(BreathingGrounding),
        Arc::new(Gratitude),
    ]
}

fn parse<T: DeserializeOwned>(input: Value) -> Result<T, ToolInputError> {
    serde_json::from_value(input)
        .map_err(|error| ToolInputError(format!("input is invalid: {error}")))
}

/// A trimmed free-text field of 1 to [`MAX_TEXT_CHARS`] characters (or empty when
/// not `required`).
fn text(field: &str, value: &str, required: bool) -> Result<String, ToolInputError> {
    let trimmed = value.trim();
    let chars = trimmed.chars().count();
    if (required && trimmed.is_empty()) || chars > MAX_TEXT_CHARS {
        return Err(ToolInputError(format!(
            "{field} has {chars} characters; use {} to {MAX_TEXT_CHARS}",
            u8::from(required)
        )));
    }
    Ok(trimmed.to_owned())
}

fn scale(field: &str, value: u8, max: u8) -> Result<u8, ToolInputError> {
    if value > max {
        return Err(ToolInputError(format!(
            "{field} is {value}; use 0 to {max}"
        )));
    }
    Ok(value)
}

fn items(field: &str, count: usize, least: usize) -> Result<(), ToolInputError> {
    if count < least || count > MAX_ITEMS {
        return Err(ToolInputError(format!(
            "{field} has {count} entries; use {least} to {MAX_ITEMS}"
        )));
    }
    Ok(())
}

/// A JSON Schema string of 1 (or 0) to [`MAX_TEXT_CHARS`] characters.
fn text_schema(title: &str, required: bool) -> Value {
    json!({ "type": "string", "title": title, "minLength": u8::from(required), "maxLength": MAX_TEXT_CHARS })
}

fn scale_schema(title: &str, max: u8) -> Value {
    json!({ "type": "integer", "title": title, "minimum": 0, "maximum": max })
}

fn to_value(value: impl serde::Serialize) -> Value {
    // Plain structs of strings and numbers always serialise.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

// ---- thought record ----

/// A thought record: situation, automatic thought, emotions rated before and after,
/// evidence for and against, and a balanced thought.
struct ThoughtRecord;

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct ThoughtRecordInput {
    situation: String,
    automatic_thought: String,
    emotions: Vec<EmotionRating>,
    #[serde(default)]
    evidence_for: String,
    #[serde(default)]
    evidence_against: String,
    #[serde(default)]
    balanced_thought: String,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct EmotionRating {
    emotion: String,
    before: u8,
    #[serde(default)]
    after: Option<u8>,
}

impl CbtTool for ThoughtRecord {
    fn id(&self) -> &str {
        "thought_record"
    }
    fn title(&self) -> &str {
        "Thought record"
    }
    fn description(&self) -> &str {
        "Catch a thought that upset you, weigh the evidence for and against it, and find a more balanced view."
    }
    fn origin(&self) -> ToolOrigin {
        ToolOrigin::BuiltIn
    }
    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["situation", "automatic_thought", "emotions"],
            "x-order": ["situation", "automatic_thought", "emotions", "evidence_for", "evidence_against", "balanced_thought"],
            "properties": {
                "situation": text_schema("What happened? Where, when, who with?", true),
                "automatic_thought": text_schema("What went through your mind?", true),
                "emotions": {
                    "type": "array", "title": "Emotions", "minItems": 1, "maxItems": MAX_ITEMS,
                    "items": {
                        "type": "object", "additionalProperties": false,
                        "required": ["emotion", "before"],
                        "properties": {
                            "emotion": { "type": "string", "title": "Emotion", "minLength": 1, "maxLength": MAX_TEXT_CHARS },
                            "before": scale_schema("How strong (0–100) at the time", 100),
                            "after": scale_schema("How strong (0–100) now", 100)
                        }
                    }
                },
                "evidence_for": text_schema("Evidence that supports the thought", false),
                "evidence_against": text_schema("Evidence that does not support it", false),
                "balanced_thought": text_schema("A more balanced thought", false)
            }
        })
    }
    fn result_schema(&self) -> Value {
        json!({
            "type": "object",
            "required": ["emotion_changes"],
            "properties": {
                "emotion_changes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["emotion", "before"],
                        "properties": {
                            "emotion": { "type": "string" },
                            "before": { "type": "integer" },
                            "after": { "type": ["integer", "null"] },
                            "change": { "type": ["integer", "null"], "description": "after minus before" }
                        }
                    }
                }
            }
        })
    }
    fn activity(&self) -> Option<WellbeingActivity> {
        Some(WellbeingActivity::CbtTool)
    }
    fn run(&self, input: Value) -> Result<ToolOutput, ToolRunError> {
        let mut record: ThoughtRecordInput = parse(input)?;
        record.situation = text("situation", &record.situation, true)?;
        record.automatic_thought = text("automatic_thought", &record.automatic_thought, true)?;
        record.evidence_for = text("evidence_for", &record.evidence_for, false)?;
        record.evidence_against = text("evidence_against", &record.evidence_against, false)?;
        record.balanced_thought = text("balanced_thought", &record.balanced_thought, false)?;
        items("emotions", record.emotions.len(), 1)?;
        let mut changes = Vec::new();
        for rating in &mut record.emotions {
            rating.emotion = text("emotions.emotion", &rating.emotion, true)?;
            scale("emotions.before", rating.before, 100)?;
            if let Some(after) = rating.after {
                scale("emotions.after", after, 100)?;
            }
            changes.push(json!({
                "emotion": rating.emotion,
                "before": rating.before,
                "after": rating.after,
                "change": rating.after.map(|after| i16::from(after) - i16::from(rating.before)),
            }));
        }
        let mut free_text = vec![
            record.situation.clone(),
            record.automatic_thought.clone(),
            record.evidence_for.clone(),
            record.evidence_against.clone(),
            record.balanced_thought.clone(),
        ];
        free_text.extend(record.emotions.iter().map(|rating| rating.emotion.clone()));
        Ok(ToolOutput {
            input: to_value(&record),
            result: json!({ "emotion_changes": changes }),
            free_text,
        })
    }
}

// ---- behavioural activation ----

/// Behavioural activation: activities planned, then done or not, with pleasure and
/// mastery rated 0–10.
struct BehaviouralActivation;

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct ActivationInput {
    activities: Vec<PlannedActivity>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct PlannedActivity {
    activity: String,
    #[serde(default)]
    planned_for: String,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    pleasure: Option<u8>,
    #[serde(default)]
    mastery: Option<u8>,
}

impl CbtTool for BehaviouralActivation {
    fn id(&self) -> &str {
        "behavioural_activation"
    }
    fn title(&self) -> &str {
        "Activity planning"
    }
    fn description(&self) -> &str {
        "Plan activities, then note whether you did them and how much pleasure and achievement they gave (0–10)."
    }
    fn origin(&self) -> ToolOrigin {
        ToolOrigin::BuiltIn
    }
    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["activities"],
            "properties": {
                "activities": {
                    "type": "array", "title": "Activities", "minItems": 1, "maxItems": MAX_ITEMS,
                    "items": {
                        "type": "object", "additionalProperties": false,
                        "required": ["activity"],
                        "x-order": ["activity", "planned_for", "done", "pleasure", "mastery"],
                        "properties": {
                            "activity": text_schema("Activity", true),
                            "planned_for": text_schema("When (for example \"Saturday morning\")", false),
                            "done": { "type": "boolean", "title": "Done", "default": false },
                            "pleasure": scale_schema("Pleasure (0–10)", 10),
                            "mastery": scale_schema("Achievement (0–10)", 10)
                        }
                    }
                }
            }
        })
    }
    fn result_schema(&self) -> Value {
        json!({
            "type": "object",
            "required": ["planned", "done"],
            "properties": {
                "planned": { "type": "integer" },
                "done": { "type": "integer" },
                "mean_pleasure": { "type": ["number", "null"], "description": "of activities done and rated" },
                "mean_mastery": { "type": ["number", "null"], "description": "of activities done and rated" }
            }
        })
    }
    fn activity(&self) -> Option<WellbeingActivity> {
        Some(WellbeingActivity::CbtTool)
    }
    fn run(&self, input: Value) -> Result<ToolOutput, ToolRunError> {
        let mut plan: ActivationInput = parse(input)?;
        items("activities", plan.activities.len(), 1)?;
        let mut free_text = Vec::new();
        for planned in &mut plan.activities {
            planned.activity = text("activities.activity", &planned.activity, true)?;
            planned.planned_for = text("activities.planned_for", &planned.planned_for, false)?;
            if let Some(value) = planned.pleasure {
                scale("activities.pleasure", value, 10)?;
            }
            if let Some(value) = planned.mastery {
                scale("activities.mastery", value, 10)?;
            }
            free_text.push(planned.activity.clone());
            free_text.push(planned.planned_for.clone());
        }
        let done: Vec<&PlannedActivity> = plan.activities.iter().filter(|a| a.done).collect();
        let mean = |values: Vec<u8>| {
            (!values.is_empty()).then(|| {
                let sum: u32 = values.iter().map(|&v| u32::from(v)).sum();
                f64::from(sum) / values.len() as f64
            })
        };
        let result = json!({
            "planned": plan.activities.len(),
            "done": done.len(),
            "mean_pleasure": mean(done.iter().filter_map(|a| a.pleasure).collect()),
            "mean_mastery": mean(done.iter().filter_map(|a| a.mastery).collect()),
        });
        Ok(ToolOutput {
            input: to_value(&plan),
            result,
            free_text,
        })
    }
}

// ---- breathing and grounding ----

/// A breathing or grounding session: its type, length, and mood before and after.
struct BreathingGrounding;

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct SessionInput {
    kind: SessionKind,
    minutes: u8,
    mood_before: u8,
    mood_after: u8,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum SessionKind {
    PacedBreathing,
    BoxBreathing,
    #[serde(rename = "grounding_54321")]
    Grounding54321,
}

impl CbtTool for BreathingGrounding {
    fn id(&self) -> &str {
        "breathing_grounding"
    }
    fn title(&self) -> &str {
        "Breathing and grounding"
    }
    fn description(&self) -> &str {
        "A few minutes of slow breathing or the 5-4-3-2-1 grounding exercise, with your mood before and after (0–10)."
    }
    fn origin(&self) -> ToolOrigin {
        ToolOrigin::BuiltIn
    }
    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["kind", "minutes", "mood_before", "mood_after"],
            "properties": {
                "kind": { "type": "string", "title": "Exercise", "enum": ["paced_breathing", "box_breathing", "grounding_54321"] },
                "minutes": { "type": "integer", "title": "Minutes", "minimum": 1, "maximum": 60 },
                "mood_before": scale_schema("Mood before (0–10)", 10),
                "mood_after": scale_schema("Mood after (0–10)", 10),
                "note": text_schema("Anything you noticed", false)
            }
        })
    }
    fn result_schema(&self) -> Value {
        json!({
            "type": "object",
            "required": ["mood_change"],
            "properties": { "mood_change": { "type": "integer", "description": "mood after minus before" } }
        })
    }
    fn activity(&self) -> Option<WellbeingActivity> {
        Some(WellbeingActivity::Breathing)
    }
    fn run(&self, input: Value) -> Result<ToolOutput, ToolRunError> {
        let mut session: SessionInput = parse(input)?;
        if !(1..=60).contains(&session.minutes) {
            return Err(
                ToolInputError(format!("minutes is {}; use 1 to 60", session.minutes)).into(),
            );
        }
        scale("mood_before", session.mood_before, 10)?;
        scale("mood_after", session.mood_after, 10)?;
        session.note = text("note", &session.note, false)?;
        let change = i16::from(session.mood_after) - i16::from(session.mood_before);
        Ok(ToolOutput {
            free_text: vec![session.note.clone()],
            input: to_value(&session),
            result: json!({ "mood_change": change }),
        })
    }
}

// ---- gratitude ----

/// A gratitude log entry: up to three good things and why they happened.
struct Gratitude;

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct GratitudeInput {
    entries: Vec<String>,
}

/// Most good things in one entry ("three good things").
const GOOD_THINGS: usize = 3;

impl CbtTool for Gratitude {
    fn id(&self) -> &str {
        "gratitude"
    }
    fn title(&self) -> &str {
        "Three good things"
    }
    fn description(&self) -> &str {
        "Write down up to three things that went well today, and why."
    }
    fn origin(&self) -> ToolOrigin {
        ToolOrigin::BuiltIn
    }
    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["entries"],
            "properties": {
                "entries": {
                    "type": "array", "title": "Good things", "minItems": 1, "maxItems": GOOD_THINGS,
                    "items": text_schema("Something that went well, and why", true)
                }
            }
        })
    }
    fn result_schema(&self) -> Value {
        json!({
            "type": "object",
            "required": ["count"],
            "properties": { "count": { "type": "integer" } }
        })
    }
    fn activity(&self) -> Option<WellbeingActivity> {
        // healing-core has no gratitude activity: a gratitude entry is written
        // reflection, so the pet rewards it as a journal entry.
        Some(WellbeingActivity::Journal)
    }
    fn run(&self, input: Value) -> Result<ToolOutput, ToolRunError> {
        let mut log: GratitudeInput = parse(input)?;
        if log.entries.is_empty() || log.entries.len() > GOOD_THINGS {
            return Err(ToolInputError(format!(
                "entries has {} entries; use 1 to {GOOD_THINGS}",
                log.entries.len()
            ))
            .into());
        }
        for entry in &mut log.entries {
            *entry = text("entries", entry, true)?;
        }
        Ok(ToolOutput {
            free_text: log.entries.clone(),
            result: json!({ "count": log.entries.len() }),
            input: to_value(&log),
        })
    }
}
