//! CBT tools round-trip JSON checked against the schemas they declare.

use healing_core::pet::{Event, WellbeingActivity};
use healing_plugins::{Error, PluginStatus};
use serde_json::json;

use super::{cbt_tool, host};

#[test]
fn thought_record_round_trips_input_and_output_through_its_schemas() {
    let host = host();
    let tool = cbt_tool(&host, "thought_record");
    let output = tool
        .run(&json!({
            "situation": "Team meeting",
            "mood": "anxious",
            "mood_rating_before": 80,
            "hot_thought": "They think I'm useless",
            "evidence_for": ["I stumbled over a slide"],
            "evidence_against": ["My manager thanked me afterwards"],
            "balanced_thought": "One stumble is not the whole talk",
            "belief_in_balanced_thought": 60,
            "mood_rating_after": 45
        }))
        .unwrap();
    assert_eq!(
        output.data,
        json!({"columns_completed": 7, "mood_change": -35})
    );
    assert_eq!(output.rewards, [WellbeingActivity::CbtTool]);
    assert_eq!(
        output.pet_events(),
        [Event::CompleteActivity {
            activity: WellbeingActivity::CbtTool
        }]
    );
    assert_eq!(
        output.journal_summary,
        "Thought record: anxious rated 80 before and 45 after."
    );
    assert!(output.steps.is_empty());
}

#[test]
fn input_that_breaks_the_schema_is_refused_before_the_plugin_runs() {
    let host = host();
    let tool = cbt_tool(&host, "thought_record");
    let error = tool
        .run(&json!({"situation": "Bus", "mood": "low", "mood_rating_before": 150, "hot_thought": "x"}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "input to plugin 'thought-record' does not match its schema: /mood_rating_before: above the maximum of 100"
    );
    assert!(matches!(error, Error::InputSchema { .. }));
    // A caller's mistake does not count against the plugin.
    assert_eq!(
        tool.status(),
        PluginStatus::Enabled {
            consecutive_failures: 0
        }
    );
}

#[test]
fn box_breathing_gives_timed_steps_and_a_breathing_reward() {
    let host = host();
    let tool = cbt_tool(&host, "box_breathing");
    let output = tool
        .run(&json!({"cycles": 2, "seconds_per_side": 5}))
        .unwrap();
    assert_eq!(output.steps.len(), 1 + 2 * 4);
    assert_eq!(output.steps[1].seconds, Some(5));
    assert_eq!(output.data, json!({"cycles": 2, "total_seconds": 40}));
    assert_eq!(output.rewards, [WellbeingActivity::Breathing]);
}

#[test]
fn grounding_guides_the_senses_not_yet_noticed() {
    let host = host();
    let tool = cbt_tool(&host, "grounding_54321");
    let output = tool
        .run(&json!({"noticed": {"see": ["lamp", "door", "cup", "window", "book"]}}))
        .unwrap();
    let titles: Vec<&str> = output.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Touch", "Hear", "Smell", "Taste"]);
    assert_eq!(
        output.data,
        json!({"senses_completed": 1, "items_noted": 5})
    );
    assert!(output.rewards.is_empty());
}

#[test]
fn description_carries_the_declared_schemas() {
    let host = host();
    let tool = cbt_tool(&host, "box_breathing");
    let description = tool.description();
    assert_eq!(description.name, "Box breathing");
    assert_eq!(
        description.input_schema["properties"]["cycles"]["maximum"],
        json!(10)
    );
    assert_eq!(tool.contract().to_string(), "healing:plugin@0.1.0");
}
