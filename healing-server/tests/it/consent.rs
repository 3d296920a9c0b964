//! Consent decisions through HTTP: concurrent conflicting changes from one patient
//! never break the ledger (see issue 13: before, four rounds of 20 concurrent
//! requests on PostgreSQL gave 37 × 500, and the patient's consent then answered 500
//! for good).

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::support::{Backend, TestApp};

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
                "wording_version": "2026-01",
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

both_backends!(concurrent_conflicting_changes_answer_2xx_or_409);
