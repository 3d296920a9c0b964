//! Consent decisions through HTTP: concurrent conflicting changes from one patient
//! never break the ledger (see issue 13: before, four rounds of 20 concurrent
//! requests on PostgreSQL gave 37 × 500, and the patient's consent then answered 500
//! for good).

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::support::{Backend, Session, TestApp};
use healing_store::Role;

async fn concurrent_conflicting_changes_answer_2xx_or_409(backend: Backend) {
    let app = Arc::new(TestApp::new(backend).await);
    let patient = app.register_patient("concurrent").await;
    let session = Arc::new(app.login("concurrent").await);
    let path = format!("/api/patients/{patient}/consent");
    let mut tasks = Vec::new();
    for n in 0..50 {
        let (app, session, path) = (app.clone(), session.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({
                "purpose": if n % 3 == 0 { "research" } else { "clinician_sharing" },
                "decision": if n % 2 == 0 { "grant" } else { "withdraw" },
                "wording_version": if n % 3 == 0 { "research-2026-01" } else { "clinician_sharing-2026-01" },
            });
            app.post(&path, body, Some(&session)).await
        }));
    }
    let mut created = 0;
    for task in tasks {
        let response = task.await.expect("request task");
        match response.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("a consent change answered {other}: {}", response.text),
        }
    }
    assert!(created >= 1, "the first grant is recorded");
    let state = app.get(&path, Some(&session)).await;
    assert_eq!(
        state.status,
        StatusCode::OK,
        "the ledger still replays: {}",
        state.text
    );
}

/// A patient linked with a clinician, who has granted clinician_sharing.
async fn linked_world(app: &TestApp) -> (Session, Session) {
    app.register_patient("pat").await;
    app.create_staff("doc", Role::Clinician).await;
    let patient = app.login("pat").await;
    let doc = app.login("doc").await;
    app.accept_link("pat", &patient, &doc).await;
    (patient, doc)
}

/// Issue 21 item 3: withdrawing clinician_sharing cuts off the linked clinician
/// at once, in every server process; granting again restores access.
async fn withdrawing_sharing_cuts_off_the_linked_clinician_at_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let other_process = app.second_instance().await;
    let (patient, doc) = linked_world(&app).await;
    // Staff sign-in moved this instance's test clock; keep the two processes' clocks together.
    let lag = app.state.now().unix_seconds() - other_process.state.now().unix_seconds();
    other_process.state.clock().advance(lag);
    let id = patient.user_id.as_str().to_owned();
    let paths = [
        format!("/api/patients/{id}/moods"),
        format!("/api/patients/{id}/assessments"),
        format!("/api/patients/{id}/pet"),
        format!("/api/patients/{id}/consent"),
    ];
    for path in &paths {
        assert_eq!(
            app.get(path, Some(&doc)).await.status,
            StatusCode::FORBIDDEN,
            "linked but sharing never granted: {path}"
        );
    }
    let granted = app.consent(&patient, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    for path in &paths {
        let status = other_process.get(path, Some(&doc)).await.status;
        assert!(
            status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
            "{path}: {status}"
        );
    }
    let withdrawn = app.consent(&patient, "clinician_sharing", "withdraw").await;
    assert_eq!(withdrawn.status, StatusCode::CREATED, "{}", withdrawn.text);
    for instance in [&app, &other_process] {
        for path in &paths {
            assert_eq!(
                instance.get(path, Some(&doc)).await.status,
                StatusCode::FORBIDDEN,
                "sharing withdrawn: {path}"
            );
        }
    }
    // The patient still reads their own record.
    assert_eq!(
        app.get(&paths[0], Some(&patient)).await.status,
        StatusCode::OK
    );
}

/// Issue 21 item 3: a grant and a withdrawal within the same second are both
/// recorded, ordered by the ledger's sequence; the last decision is in force.
async fn a_change_of_mind_within_a_second_is_recorded(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (patient, doc) = linked_world(&app).await;
    let moods = format!("/api/patients/{}/moods", patient.user_id.as_str());
    for decision in ["grant", "withdraw", "grant", "withdraw"] {
        let response = app.consent(&patient, "clinician_sharing", decision).await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{decision}: {}",
            response.text
        );
    }
    assert_eq!(
        app.get(&moods, Some(&doc)).await.status,
        StatusCode::FORBIDDEN
    );
    let state = app
        .get(
            &format!("/api/patients/{}/consent", patient.user_id.as_str()),
            Some(&patient),
        )
        .await;
    assert_eq!(state.status, StatusCode::OK, "{}", state.text);
    assert_eq!(state.json["data"]["events"].as_array().unwrap().len(), 4);
    assert_eq!(state.json["data"]["state"]["grants"], json!([]));
}

/// Issue 21 item 3: a wording_version must name a wording the server shows;
/// GET /api/consent/wordings lists each purpose's current version and text.
async fn wording_versions_come_from_the_registry(backend: Backend) {
    let app = TestApp::new(backend).await;
    let wordings = app.get("/api/consent/wordings", None).await;
    assert_eq!(wordings.status, StatusCode::OK, "{}", wordings.text);
    let current = wordings.json["data"]["current"].as_array().unwrap();
    assert_eq!(current.len(), 5, "{}", wordings.text);
    for wording in current {
        assert!(!wording["text"].as_str().unwrap().is_empty());
    }
    let sharing = current
        .iter()
        .find(|wording| wording["purpose"] == "clinician_sharing")
        .unwrap();
    app.register_patient("pat").await;
    let patient = app.login("pat").await;
    let path = format!("/api/patients/{}/consent", patient.user_id.as_str());
    for made_up in ["2026-01", "whatever-v9", "research-2026-01"] {
        let response = app
            .post(
                &path,
                json!({ "purpose": "clinician_sharing", "decision": "grant", "wording_version": made_up }),
                Some(&patient),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{made_up}: {}",
            response.text
        );
    }
    let response = app
        .post(
            &path,
            json!({ "purpose": "clinician_sharing", "decision": "grant", "wording_version": sharing["version"] }),
            Some(&patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
}

both_backends!(
    concurrent_conflicting_changes_answer_2xx_or_409,
    withdrawing_sharing_cuts_off_the_linked_clinician_at_once,
    a_change_of_mind_within_a_second_is_recorded,
    wording_versions_come_from_the_registry,
);
