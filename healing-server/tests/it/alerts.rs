//! The safety pipeline through HTTP (issue 14): every free-text write is screened,
//! the response carries what the app must show, and risk raises an alert routed
//! to the patient's linked clinicians (or the duty contact), acknowledged and
//! resolved through the alert routes with every move audited.

use axum::http::StatusCode;
use healing_core::ids::PersonId;
use healing_core::safety::RiskLevel;
use healing_server::screening::Screener;
use healing_store::prelude::*;
use healing_store::{AuditQuery, Role};
use serde_json::{Value, json};

use crate::support::{Backend, Session, TestApp};

const RISKY: &str = "I've saved my tablets and I'm taking them tonight";

/// A patient `pat` with an accepted link to clinician `doc`, an unlinked clinician
/// `other.doc` and an admin, all signed in.
struct Clinic {
    patient: Session,
    doc: Session,
    other_doc: Session,
    admin: Session,
}

async fn clinic(app: &TestApp) -> Clinic {
    app.register_patient("pat").await;
    app.create_staff("doc", Role::Clinician).await;
    app.create_staff("other.doc", Role::Clinician).await;
    app.create_staff("admin", Role::Admin).await;
    let patient = app.login("pat").await;
    let doc = app.login("doc").await;
    app.accept_link("pat", &patient, &doc).await;
    Clinic {
        patient,
        doc,
        other_doc: app.login("other.doc").await,
        admin: app.login("admin").await,
    }
}

async fn write_mood(app: &TestApp, patient: &Session, note: &str) -> Value {
    let response = app
        .post(
            &format!("/api/patients/{}/moods", patient.user_id.as_str()),
            json!({ "mood": 2, "note": note }),
            Some(patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.json["data"].clone()
}

async fn alerts(app: &TestApp, session: &Session) -> Vec<Value> {
    let response = app.get("/api/alerts", Some(session)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json["data"].as_array().unwrap().clone()
}

async fn audit_actions(app: &TestApp, patient: &PersonId) -> Vec<String> {
    app.state
        .store()
        .audit_entries(AuditQuery {
            actor_id: None,
            subject_patient_id: Some(patient.clone()),
            after_seq: None,
            until_seq: None,
            limit: 1000,
        })
        .await
        .unwrap()
        .iter()
        .map(|entry| entry.action.as_str().to_owned())
        .collect()
}

async fn risky_mood_note_shows_resources_and_alerts_the_linked_clinician(backend: Backend) {
    let app = TestApp::new(backend).await;
    let clinic = clinic(&app).await;
    let written = write_mood(&app, &clinic.patient, RISKY).await;
    assert_eq!(written["note"], RISKY);
    let safety = &written["safety"];
    assert_eq!(safety["level"], "critical");
    assert_eq!(safety["show_crisis_resources"], true);
    let resources = safety["resources"].as_array().unwrap();
    assert!(
        resources
            .iter()
            .any(|resource| resource["id"] == "emergency"),
        "{safety}"
    );

    let seen = alerts(&app, &clinic.doc).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let alert = &seen[0];
    assert_eq!(alert["severity"], "critical");
    assert_eq!(alert["state"], "open");
    assert_eq!(alert["source"], "mood_note");
    assert_eq!(alert["source_id"], written["id"]);
    assert_eq!(alert["patient_id"], clinic.patient.user_id.as_str());
    assert_eq!(alert["routed_to"], "linked_clinicians");
    assert!(!alert.to_string().contains("tablets"), "{alert}");
    // Admins (the duty contact's role) see every alert; an unlinked clinician none.
    assert_eq!(alerts(&app, &clinic.admin).await.len(), 1);
    assert!(alerts(&app, &clinic.other_doc).await.is_empty());

    // The safety event holds level, categories, rules and spans, never the words.
    let events = app
        .state
        .store()
        .safety_events(&clinic.patient.user_id)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].level, RiskLevel::Critical);
    assert_eq!(events[0].source, "mood_note");
    let dump = app.db.raw_dump().await;
    let needle = b"taking them tonight";
    assert!(
        !dump.windows(needle.len()).any(|window| window == needle),
        "the note is stored in plain text somewhere"
    );
    assert!(
        audit_actions(&app, &clinic.patient.user_id)
            .await
            .contains(&"alert_raised".to_owned())
    );
}

async fn ordinary_note_is_screened_without_alert(backend: Backend) {
    let app = TestApp::new(backend).await;
    let clinic = clinic(&app).await;
    let written = write_mood(&app, &clinic.patient, "Nice walk by the river today").await;
    // The learned reader reads this as low (a mild over-read); below medium
    // nothing is signposted and no one is alerted.
    assert!(
        matches!(written["safety"]["level"].as_str(), Some("none" | "low")),
        "{written}"
    );
    assert_eq!(written["safety"]["show_crisis_resources"], false);
    assert!(
        written["safety"]["resources"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A mood without a note is "none" too.
    let plain = app
        .post(
            &format!("/api/patients/{}/moods", clinic.patient.user_id.as_str()),
            json!({ "mood": 7 }),
            Some(&clinic.patient),
        )
        .await;
    assert_eq!(plain.json["data"]["safety"]["level"], "none");
    assert!(alerts(&app, &clinic.doc).await.is_empty());
    assert!(
        app.state
            .store()
            .safety_events(&clinic.patient.user_id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn risky_journal_entry_alerts(backend: Backend) {
    let app = TestApp::new(backend).await;
    let clinic = clinic(&app).await;
    let response = app
        .post(
            &format!("/api/patients/{}/journal", clinic.patient.user_id.as_str()),
            json!({ "body": "I want to kill myself" }),
            Some(&clinic.patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert_eq!(
        response.json["data"]["safety"]["show_crisis_resources"],
        true
    );
    let seen = alerts(&app, &clinic.doc).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["source"], "journal");
    assert_eq!(seen[0]["source_id"], response.json["data"]["id"]);
}

async fn patient_without_a_clinician_routes_to_the_duty_contact(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    app.create_staff("admin", Role::Admin).await;
    let patient = app.login("pat").await;
    let admin = app.login("admin").await;
    write_mood(&app, &patient, RISKY).await;
    let seen = alerts(&app, &admin).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["routed_to"], "duty_contact");
}

async fn phq9_item_nine_raises_an_alert_whatever_the_total(backend: Backend) {
    let app = TestApp::new(backend).await;
    let clinic = clinic(&app).await;
    let response = app
        .post(
            &format!(
                "/api/patients/{}/assessments",
                clinic.patient.user_id.as_str()
            ),
            json!({ "instrument_id": "phq9", "answers": [1, 1, 1, 0, 0, 0, 0, 0, 1] }),
            Some(&clinic.patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    assert_eq!(response.json["data"]["assessment"]["total"], 4);
    assert_eq!(
        response.json["data"]["safety"]["show_crisis_resources"],
        true
    );
    let seen = alerts(&app, &clinic.doc).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["source"], "assessment");
    assert_eq!(seen[0]["severity"], "high");
    assert_eq!(
        seen[0]["source_id"],
        response.json["data"]["assessment"]["id"]
    );
    // Item 9 at 0 raises nothing, even with a higher total.
    let calm = app
        .post(
            &format!(
                "/api/patients/{}/assessments",
                clinic.patient.user_id.as_str()
            ),
            json!({ "instrument_id": "phq9", "answers": [2, 2, 2, 2, 0, 0, 0, 0, 0] }),
            Some(&clinic.patient),
        )
        .await;
    assert_eq!(calm.status, StatusCode::CREATED, "{}", calm.text);
    assert_eq!(calm.json["data"]["safety"]["level"], "none");
    assert_eq!(alerts(&app, &clinic.doc).await.len(), 1);
}

async fn cssrs_screener_triage_raises_an_alert_by_its_band(backend: Backend) {
    let app = TestApp::new(backend).await;
    let clinic = clinic(&app).await;
    let path = format!(
        "/api/patients/{}/assessments",
        clinic.patient.user_id.as_str()
    );
    // "No" to question 2 leaves questions 3 to 5 unasked (null); suicidal
    // behaviour within the past three months (6 and 7) is high triage.
    let response = app
        .post(
            &path,
            json!({ "instrument_id": "cssrs_screener", "answers": [1, 0, null, null, null, 1, 1] }),
            Some(&clinic.patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let assessment = &response.json["data"]["assessment"];
    assert_eq!(
        assessment["total"],
        Value::Null,
        "the screener has no total"
    );
    assert_eq!(assessment["band"], "high_risk");
    assert_eq!(assessment["answers"], json!([1, 0, null, null, null, 1, 1]));
    assert_eq!(response.json["data"]["safety"]["level"], "critical");
    let seen = alerts(&app, &clinic.doc).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["severity"], "critical");
    assert_eq!(seen[0]["source_id"], assessment["id"]);
    let listed = app.get(&path, Some(&clinic.patient)).await;
    assert_eq!(
        listed.json["data"][0]["band"], "high_risk",
        "{}",
        listed.text
    );

    // An answer to a question the skip logic left unasked is refused.
    let refused = app
        .post(
            &path,
            json!({ "instrument_id": "cssrs_screener", "answers": [1, 0, 1, null, null, 0, null] }),
            Some(&clinic.patient),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
    assert_eq!(alerts(&app, &clinic.doc).await.len(), 1);
}

async fn screening_that_cannot_run_fails_closed(backend: Backend) {
    let app = TestApp::with_screener(backend, Screener::unavailable()).await;
    let clinic = clinic(&app).await;
    let written = write_mood(&app, &clinic.patient, "an ordinary day").await;
    assert_eq!(written["safety"]["level"], "critical");
    assert_eq!(written["safety"]["show_crisis_resources"], true);
    assert!(
        written["safety"]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|resource| resource["id"] == "emergency")
    );
    let seen = alerts(&app, &clinic.doc).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["severity"], "high");
}

async fn alerts_are_acknowledged_then_resolved_and_audited(backend: Backend) {
    let app = TestApp::new(backend).await;
    let clinic = clinic(&app).await;
    write_mood(&app, &clinic.patient, RISKY).await;
    write_mood(
        &app,
        &clinic.patient,
        "I wish I could sleep and not wake up",
    )
    .await;
    let seen = alerts(&app, &clinic.doc).await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    // Open first by severity.
    assert_eq!(seen[0]["severity"], "critical");
    let id = seen[0]["id"].as_str().unwrap().to_owned();
    let ack_path = format!("/api/alerts/{id}/acknowledge");
    let resolve_path = format!("/api/alerts/{id}/resolve");

    let denied = app
        .post(&ack_path, json!({}), Some(&clinic.other_doc))
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", denied.text);
    let acknowledged = app.post(&ack_path, json!({}), Some(&clinic.doc)).await;
    assert_eq!(acknowledged.status, StatusCode::OK, "{}", acknowledged.text);
    assert_eq!(acknowledged.json["data"]["state"], "acknowledged");
    assert_eq!(
        acknowledged.json["data"]["acknowledged_by"],
        clinic.doc.user_id.as_str()
    );
    let again = app.post(&ack_path, json!({}), Some(&clinic.admin)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    // The open alert now comes first.
    let seen = alerts(&app, &clinic.doc).await;
    assert_eq!(seen[0]["state"], "open");
    assert_eq!(seen[1]["state"], "acknowledged");

    let empty = app
        .post(&resolve_path, json!({ "action": " " }), Some(&clinic.doc))
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{}", empty.text);
    let resolved = app
        .post(
            &resolve_path,
            json!({ "action": "Phoned the patient; safety plan reviewed" }),
            Some(&clinic.doc),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
    assert_eq!(resolved.json["data"]["state"], "resolved");
    assert_eq!(
        resolved.json["data"]["resolution"],
        "Phoned the patient; safety plan reviewed"
    );
    let twice = app
        .post(
            &resolve_path,
            json!({ "action": "again" }),
            Some(&clinic.doc),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text);
    let missing = app
        .post(
            "/api/alerts/no-such-alert/acknowledge",
            json!({}),
            Some(&clinic.admin),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text);

    let actions = audit_actions(&app, &clinic.patient.user_id).await;
    for action in ["alert_raised", "alert_acknowledged", "alert_resolved"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    let verified = app
        .get("/api/security/audit-log/verify", Some(&clinic.admin))
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.text);
}

/// The list and each move name the patient and whoever acted (issue 18: the app's
/// alerts screen shows names, not ids).
async fn alerts_name_the_patient_and_who_acted(backend: Backend) {
    let app = TestApp::new(backend).await;
    let clinic = clinic(&app).await;
    write_mood(&app, &clinic.patient, RISKY).await;
    let seen = alerts(&app, &clinic.doc).await;
    assert_eq!(seen[0]["patient_name"], "pat");
    assert_eq!(seen[0]["acknowledged_by_name"], Value::Null);
    let id = seen[0]["id"].as_str().unwrap().to_owned();

    let acknowledged = app
        .post(
            &format!("/api/alerts/{id}/acknowledge"),
            json!({}),
            Some(&clinic.doc),
        )
        .await;
    assert_eq!(acknowledged.status, StatusCode::OK, "{}", acknowledged.text);
    assert_eq!(acknowledged.json["data"]["patient_name"], "pat");
    assert_eq!(acknowledged.json["data"]["acknowledged_by_name"], "doc");
    let resolved = app
        .post(
            &format!("/api/alerts/{id}/resolve"),
            json!({ "action": "Called the patient" }),
            Some(&clinic.admin),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
    assert_eq!(resolved.json["data"]["resolved_by_name"], "admin");

    let seen = alerts(&app, &clinic.admin).await;
    assert_eq!(seen[0]["acknowledged_by_name"], "doc");
    assert_eq!(seen[0]["resolved_by_name"], "admin");
}

async fn concurrent_acknowledgements_have_one_winner(backend: Backend) {
    let app = TestApp::new(backend).await;
    let clinic = clinic(&app).await;
    write_mood(&app, &clinic.patient, RISKY).await;
    let id = alerts(&app, &clinic.doc).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/alerts/{id}/acknowledge");
    let (first, second) = tokio::join!(
        app.post(&path, json!({}), Some(&clinic.doc)),
        app.post(&path, json!({}), Some(&clinic.admin)),
    );
    let mut statuses = [first.status.as_u16(), second.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", first.text, second.text);
    let acknowledged = audit_actions(&app, &clinic.patient.user_id)
        .await
        .into_iter()
        .filter(|action| action == "alert_acknowledged")
        .count();
    assert_eq!(acknowledged, 1);
}

async fn store_refuses_a_note_without_its_own_screening(backend: Backend) {
    let app = TestApp::new(backend).await;
    let patient = app.register_patient("pat").await;
    let entry = healing_core::mood::MoodEntry::new(app.state.now().date(), app.state.now(), 3)
        .unwrap()
        .with_note(RISKY)
        .unwrap();
    let other = app.state.screener().screen(
        "a calm day".to_owned(),
        healing_core::safety::Source::MoodNote,
    );
    for screening in [None, Some(&other)] {
        let refused = app
            .state
            .store()
            .add_mood_entry(&patient, &entry, screening)
            .await;
        assert!(
            matches!(
                refused,
                Err(healing_store::Error::InvalidInput { field: "note", .. })
            ),
            "{refused:?}"
        );
    }
    assert!(
        app.state
            .store()
            .mood_entries(&patient)
            .await
            .unwrap()
            .is_empty()
    );
}

crate::both_backends!(
    risky_mood_note_shows_resources_and_alerts_the_linked_clinician,
    ordinary_note_is_screened_without_alert,
    risky_journal_entry_alerts,
    patient_without_a_clinician_routes_to_the_duty_contact,
    phq9_item_nine_raises_an_alert_whatever_the_total,
    cssrs_screener_triage_raises_an_alert_by_its_band,
    screening_that_cannot_run_fails_closed,
    alerts_are_acknowledged_then_resolved_and_audited,
    alerts_name_the_patient_and_who_acted,
    concurrent_acknowledgements_have_one_winner,
    store_refuses_a_note_without_its_own_screening,
);
