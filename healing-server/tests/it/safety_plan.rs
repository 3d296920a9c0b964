//! The safety plan through HTTP: the blank plan with the crisis services, versions
//! kept and sealed, screening with crisis resources and an alert, a linked
//! clinician's proposals the patient accepts or declines, and the GDPR export.

use axum::http::{Method, StatusCode};
use healing_store::prelude::*;
use healing_store::{AlertSource, Role};
use serde_json::{Value, json};

use crate::both_backends;
use crate::support::{Backend, Session, TestApp, TestResponse};

/// Text no screening flags, to find in (or not in) the database's bytes.
const MARKER: &str = "walk the dog by the canal";

fn plan_path(patient: &Session) -> String {
    format!("/api/patients/{}/safety-plan", patient.user_id.as_str())
}

async fn put_plan(app: &TestApp, patient: &Session, plan: Value) -> TestResponse {
    app.call(Method::PUT, &plan_path(patient), Some(plan), Some(patient))
        .await
}

/// A patient `pat`, and a clinician linked to them with sharing consent.
async fn patient_and_clinician(app: &TestApp) -> (Session, Session) {
    app.register_patient("pat").await;
    app.create_staff("doc", Role::Clinician).await;
    let patient = app.login("pat").await;
    let doc = app.login("doc").await;
    app.accept_link("pat", &patient, &doc).await;
    let granted = app.consent(&patient, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    (patient, doc)
}

async fn every_save_is_a_sealed_version_the_linked_clinician_reads(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (patient, doc) = patient_and_clinician(&app).await;

    // No plan yet: the blank plan, the crisis services already in step 5.
    let blank = app.get(&plan_path(&patient), Some(&patient)).await;
    assert_eq!(blank.status, StatusCode::OK, "{}", blank.text);
    assert_eq!(blank.json["data"]["version"], 0);
    let services = blank.json["data"]["professionals_and_services"]
        .as_array()
        .unwrap();
    let directory = healing_core::safety::CrisisDirectory::uk();
    assert_eq!(services.len(), directory.resources.len());
    assert_eq!(services[0]["name"], directory.resources[0].name.as_str());
    assert_eq!(
        services[0]["contact"],
        directory.resources[0].contact.as_str()
    );
    assert!(
        blank.json["data"]["warning_signs"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // An empty plan, an unknown section and an over-long section are refused.
    assert_eq!(
        put_plan(&app, &patient, json!({})).await.status.as_u16(),
        400
    );
    assert_eq!(
        put_plan(&app, &patient, json!({ "hobbies": ["x"] }))
            .await
            .status
            .as_u16(),
        400
    );
    let too_many = vec!["a sign"; 21];
    let refused = put_plan(&app, &patient, json!({ "warning_signs": too_many })).await;
    assert_eq!(refused.status.as_u16(), 400, "{}", refused.text);
    assert!(refused.text.contains("warning_signs"), "{}", refused.text);

    // Two saves: versions 1 and 2, the first kept.
    // The blank plan's sections, without the version fields the GET adds.
    let mut first = blank.json["data"].clone();
    for field in ["version", "proposal_id", "saved_at"] {
        first.as_object_mut().unwrap().remove(field);
    }
    first["warning_signs"] = json!(["  not sleeping  ", "staying in my room"]);
    first["internal_coping_strategies"] = json!([MARKER]);
    let saved = put_plan(&app, &patient, first).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(saved.json["data"]["plan"]["version"], 1);
    assert_eq!(
        saved.json["data"]["plan"]["warning_signs"][0],
        "not sleeping"
    );
    // Warning signs read as low risk at most: no crisis screen, no alert.
    assert_eq!(saved.json["data"]["safety"]["show_crisis_resources"], false);
    let second = put_plan(
        &app,
        &patient,
        json!({
            "warning_signs": ["not sleeping"],
            "people_to_ask_for_help": [{ "name": "my sister", "contact": "07700 900123" }],
            "reasons_for_living": ["my niece"],
        }),
    )
    .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    assert_eq!(second.json["data"]["plan"]["version"], 2);

    // The linked clinician reads the plan and its history, newest first.
    let current = app.get(&plan_path(&patient), Some(&doc)).await;
    assert_eq!(current.status, StatusCode::OK, "{}", current.text);
    assert_eq!(current.json["data"]["version"], 2);
    assert_eq!(
        current.json["data"]["people_to_ask_for_help"][0]["name"],
        "my sister"
    );
    let versions = app
        .get(&format!("{}/versions", plan_path(&patient)), Some(&doc))
        .await;
    assert_eq!(versions.status, StatusCode::OK, "{}", versions.text);
    let list = versions.json["data"].as_array().unwrap();
    assert_eq!(
        list.iter()
            .map(|v| v["version"].as_i64())
            .collect::<Vec<_>>(),
        vec![Some(2), Some(1)]
    );
    assert_eq!(list[1]["internal_coping_strategies"][0], MARKER);
    // Paged: the second page holds the first version only.
    let page = app
        .get(
            &format!("{}/versions?limit=1&offset=1", plan_path(&patient)),
            Some(&patient),
        )
        .await;
    assert_eq!(page.json["data"].as_array().unwrap().len(), 1);
    assert_eq!(page.json["data"][0]["version"], 1);

    // Sealed at rest: neither version's text is in the database's bytes.
    assert!(!app.db.holds_text(MARKER).await);

    // The clinician summary shows when the plan was last reviewed.
    let summary = app
        .get(
            &format!(
                "/api/clinician/patients/{}/summary",
                patient.user_id.as_str()
            ),
            Some(&doc),
        )
        .await;
    assert_eq!(summary.status, StatusCode::OK, "{}", summary.text);
    // The last review is the latest save (not "now": the test clock follows
    // the wall clock, which can pass a second boundary in between).
    assert!(second.json["data"]["plan"]["saved_at"].is_string());
    assert_eq!(
        summary.json["data"]["safety_plan"]["last_reviewed_at"],
        second.json["data"]["plan"]["saved_at"]
    );

    // The GDPR export holds the plan, its earlier version and their text.
    let export = app.get("/api/security/export-data", Some(&patient)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.json["data"]["safety_plan"]["version"], 2);
    let earlier = export.json["data"]["safety_plan_versions"]
        .as_array()
        .unwrap();
    assert_eq!(earlier.len(), 1);
    assert!(earlier[0]["body"].as_str().unwrap().contains(MARKER));
}

async fn a_plan_that_shows_risk_brings_crisis_resources_and_an_alert(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (patient, _doc) = patient_and_clinician(&app).await;
    let saved = put_plan(
        &app,
        &patient,
        json!({
            "warning_signs": ["I've saved my tablets and I'm taking them tonight"],
            "reasons_for_living": ["my cat"],
        }),
    )
    .await;
    // Stored as a version all the same: the plan is the patient's.
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(saved.json["data"]["plan"]["version"], 1);
    let safety = &saved.json["data"]["safety"];
    assert_eq!(safety["show_crisis_resources"], true, "{safety}");
    assert!(!safety["resources"].as_array().unwrap().is_empty());
    let alerts = app
        .state
        .store()
        .alerts_of_patient(&patient.user_id)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].source, AlertSource::SafetyPlan);
    // One screening of the whole plan: one safety event.
    let events = app
        .state
        .store()
        .safety_events(&patient.user_id)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
}

async fn the_patient_accepts_or_declines_a_clinicians_proposal(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (patient, doc) = patient_and_clinician(&app).await;
    let proposals = format!("{}/proposals", plan_path(&patient));
    let saved = put_plan(&app, &patient, json!({ "warning_signs": ["not sleeping"] })).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);

    // The clinician proposes; the patient sees it pending.
    let proposed = app
        .post(
            &proposals,
            json!({ "warning_signs": ["not sleeping", "skipping meals"], "reasons_for_living": ["my garden"] }),
            Some(&doc),
        )
        .await;
    assert_eq!(proposed.status, StatusCode::CREATED, "{}", proposed.text);
    assert_eq!(proposed.json["data"]["base_version"], 1);
    assert_eq!(proposed.json["data"]["status"], "pending");
    assert_eq!(proposed.json["data"]["clinician_id"], doc.user_id.as_str());
    let id = proposed.json["data"]["id"].as_str().unwrap().to_owned();
    let listed = app.get(&proposals, Some(&patient)).await;
    assert_eq!(listed.json["data"][0]["id"], id.as_str());
    // Proposing changes nothing yet.
    let unchanged = app.get(&plan_path(&patient), Some(&patient)).await;
    assert_eq!(unchanged.json["data"]["version"], 1);

    // Accepting makes it the next version, naming the proposal.
    let accepted = app
        .post(
            &format!("{proposals}/{id}/accept"),
            json!({}),
            Some(&patient),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    assert_eq!(accepted.json["data"]["plan"]["version"], 2);
    assert_eq!(accepted.json["data"]["plan"]["proposal_id"], id.as_str());
    assert_eq!(
        accepted.json["data"]["plan"]["reasons_for_living"][0],
        "my garden"
    );
    assert_eq!(
        accepted.json["data"]["safety"]["show_crisis_resources"],
        false
    );
    // Decided once only.
    let again = app
        .post(
            &format!("{proposals}/{id}/accept"),
            json!({}),
            Some(&patient),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    let declined_late = app
        .post(
            &format!("{proposals}/{id}/decline"),
            json!({}),
            Some(&patient),
        )
        .await;
    assert_eq!(declined_late.status, StatusCode::CONFLICT);

    // A proposal the patient's own later save overtook cannot be accepted...
    let stale = app
        .post(&proposals, json!({ "warning_signs": ["x"] }), Some(&doc))
        .await;
    let stale_id = stale.json["data"]["id"].as_str().unwrap().to_owned();
    put_plan(&app, &patient, json!({ "warning_signs": ["a newer sign"] })).await;
    let refused = app
        .post(
            &format!("{proposals}/{stale_id}/accept"),
            json!({}),
            Some(&patient),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    // ...but can be declined, which leaves the plan as it is.
    let declined = app
        .post(
            &format!("{proposals}/{stale_id}/decline"),
            json!({}),
            Some(&patient),
        )
        .await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.text);
    assert_eq!(declined.json["data"]["status"], "declined");
    let plan = app.get(&plan_path(&patient), Some(&patient)).await;
    assert_eq!(plan.json["data"]["version"], 3);
    assert_eq!(plan.json["data"]["warning_signs"][0], "a newer sign");

    // An unknown proposal is a 404; the clinician's proposals are in the export.
    let unknown = app
        .post(
            &format!("{proposals}/no-such-proposal/accept"),
            json!({}),
            Some(&patient),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let export = app.get("/api/security/export-data", Some(&patient)).await;
    assert_eq!(
        export.json["data"]["safety_plan_proposals"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

both_backends!(
    every_save_is_a_sealed_version_the_linked_clinician_reads,
    a_plan_that_shows_risk_brings_crisis_resources_and_an_alert,
    the_patient_accepts_or_declines_a_clinicians_proposal,
);
