//! CBT tools through HTTP: the catalogue with its JSON Schemas, runs checked,
//! screened, sealed and rewarded, the history a linked clinician reads, and today's
//! tasks marked done from the records.

use axum::http::StatusCode;
use healing_store::prelude::*;
use healing_store::{AlertSource, Role};
use serde_json::{Value, json};

use crate::both_backends;
use crate::support::{Backend, Session, TestApp, TestResponse};

/// Text no screening flags, to find in (or not in) the database's bytes.
const MARKER: &str = "the bus was late again";

async fn run(app: &TestApp, patient: &Session, tool: &str, input: Value) -> TestResponse {
    app.post(
        &format!(
            "/api/patients/{}/tools/{tool}/runs",
            patient.user_id.as_str()
        ),
        json!({ "input": input }),
        Some(patient),
    )
    .await
}

/// An object schema's `x-order` (the order the web app asks its fields in) names
/// each of its properties once, so a field added or renamed cannot drop out of the form.
fn assert_order_names_every_field(schema: &Value) {
    if let Some(order) = schema.get("x-order") {
        let mut named: Vec<&str> = order
            .as_array()
            .unwrap()
            .iter()
            .map(|key| key.as_str().unwrap())
            .collect();
        let mut properties: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        named.sort_unstable();
        properties.sort_unstable();
        assert_eq!(named, properties, "x-order of {schema}");
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        properties.values().for_each(assert_order_names_every_field);
    }
    if let Some(items) = schema.get("items") {
        assert_order_names_every_field(items);
    }
}

async fn runs_are_checked_screened_sealed_and_read_by_the_linked_clinician(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    app.create_staff("doc", Role::Clinician).await;
    let patient = app.login("pat").await;
    let doc = app.login("doc").await;
    app.accept_link("pat", &patient, &doc).await;
    app.consent(&patient, "clinician_sharing", "grant").await;

    // The catalogue: every built-in tool with object schemas for a form.
    let tools = app.get("/api/tools", Some(&patient)).await;
    assert_eq!(tools.status, StatusCode::OK, "{}", tools.text);
    let ids: Vec<&str> = tools.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "thought_record",
            "behavioural_activation",
            "breathing_grounding",
            "gratitude"
        ]
    );
    for tool in tools.json["data"].as_array().unwrap() {
        assert_eq!(tool["input_schema"]["type"], "object");
        assert_eq!(tool["result_schema"]["type"], "object");
        assert_eq!(tool["origin"], "built_in");
        assert_order_names_every_field(&tool["input_schema"]);
    }
    // The form asks in the worksheet's order, which the JSON's sorted keys lose.
    assert_eq!(
        tools.json["data"][0]["input_schema"]["x-order"],
        json!([
            "situation",
            "automatic_thought",
            "emotions",
            "evidence_for",
            "evidence_against",
            "balanced_thought"
        ])
    );

    // Bad input is a clear 400; an unknown tool a 404.
    let record = json!({
        "situation": MARKER,
        "automatic_thought": "everyone thinks I'm useless",
        "emotions": [{ "emotion": "shame", "before": 80, "after": 45 }],
        "evidence_against": "my manager thanked me on Friday",
        "balanced_thought": "one late bus says nothing about me",
    });
    let mut too_strong = record.clone();
    too_strong["emotions"][0]["before"] = json!(101);
    let refused = run(&app, &patient, "thought_record", too_strong).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
    assert!(refused.text.contains("emotions.before"), "{}", refused.text);
    let mut unknown_field = record.clone();
    unknown_field["mood"] = json!(3);
    assert_eq!(
        run(&app, &patient, "thought_record", unknown_field)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        run(&app, &patient, "no_such_tool", json!({})).await.status,
        StatusCode::NOT_FOUND
    );

    // A run: stored with its result.
    let done = run(&app, &patient, "thought_record", record).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert_eq!(
        done.json["data"]["run"]["result"]["emotion_changes"][0]["change"],
        -35
    );
    assert_eq!(done.json["data"]["safety"]["show_crisis_resources"], false);

    // The linked clinician reads the history; the text is sealed at rest.
    let history = app
        .get(
            &format!(
                "/api/patients/{}/tools/thought_record/runs?limit=5",
                patient.user_id.as_str()
            ),
            Some(&doc),
        )
        .await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.text);
    assert_eq!(history.json["data"].as_array().unwrap().len(), 1);
    assert_eq!(history.json["data"][0]["input"]["situation"], MARKER);
    assert!(!app.db.holds_text(MARKER).await);
    // In the GDPR export.
    let export = app.get("/api/security/export-data", Some(&patient)).await;
    assert_eq!(
        export.json["data"]["tool_runs"].as_array().unwrap().len(),
        1
    );

    // Free text that shows risk: crisis resources and an alert, the run kept.
    let risky = run(
        &app,
        &patient,
        "gratitude",
        json!({ "entries": ["I've saved my tablets and I'm taking them tonight"] }),
    )
    .await;
    assert_eq!(risky.status, StatusCode::CREATED, "{}", risky.text);
    assert_eq!(risky.json["data"]["safety"]["show_crisis_resources"], true);
    let alerts = app
        .state
        .store()
        .alerts_of_patient(&patient.user_id)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].source, AlertSource::ToolRun);
}

async fn todays_tasks_are_marked_done_from_the_records(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let patient = app.login("pat").await;
    let base = format!("/api/patients/{}", patient.user_id.as_str());
    let done = |today: &TestResponse| -> Vec<(String, bool)> {
        today.json["data"]["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|task| {
                (
                    task["id"].as_str().unwrap().to_owned(),
                    task["done"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let today = app.get(&format!("{base}/today"), Some(&patient)).await;
    assert_eq!(today.status, StatusCode::OK, "{}", today.text);
    assert_eq!(
        done(&today),
        [
            ("log_mood".to_owned(), false),
            ("cbt_exercise".to_owned(), false),
            ("gratitude_entry".to_owned(), false)
        ]
    );
    assert_eq!(today.json["data"]["pet"], Value::Null);

    let adopted = app
        .post(
            &format!("{base}/pet"),
            json!({ "name": "Biscuit", "species": "cat" }),
            Some(&patient),
        )
        .await;
    assert_eq!(adopted.status, StatusCode::CREATED, "{}", adopted.text);
    let gratitude = run(
        &app,
        &patient,
        "gratitude",
        json!({ "entries": ["a sunny walk"] }),
    )
    .await;
    assert_eq!(gratitude.status, StatusCode::CREATED, "{}", gratitude.text);
    let today = app.get(&format!("{base}/today"), Some(&patient)).await;
    assert_eq!(
        done(&today),
        [
            ("log_mood".to_owned(), false),
            ("cbt_exercise".to_owned(), false),
            ("gratitude_entry".to_owned(), true)
        ]
    );
    let mood = app
        .post(
            &format!("{base}/moods"),
            json!({ "mood": 6 }),
            Some(&patient),
        )
        .await;
    assert_eq!(mood.status, StatusCode::CREATED, "{}", mood.text);
    let breathing = run(
        &app,
        &patient,
        "breathing_grounding",
        json!({ "kind": "box_breathing", "minutes": 4, "mood_before": 3, "mood_after": 5 }),
    )
    .await;
    assert_eq!(breathing.status, StatusCode::CREATED, "{}", breathing.text);
    assert_eq!(breathing.json["data"]["run"]["result"]["mood_change"], 2);
    let today = app.get(&format!("{base}/today"), Some(&patient)).await;
    assert!(done(&today).iter().all(|(_, done)| *done), "{}", today.text);
    // The pet's daily tasks (mood, breathing, a written entry) were all rewarded
    // from the stored records: the streak starts.
    assert_eq!(
        today.json["data"]["pet"]["streak_days"], 1,
        "{}",
        today.text
    );
}

both_backends!(
    runs_are_checked_screened_sealed_and_read_by_the_linked_clinician,
    todays_tasks_are_marked_done_from_the_records,
);
