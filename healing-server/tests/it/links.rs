//! Clinician–patient links through HTTP (issue 21 item 9: 20 identical requests
//! used to leave 21 pending entries): one waiting request per pair, even under
//! concurrent requests; a declined clinician waits 30 days; an ended link cannot be
//! accepted again without a new request.

use std::sync::Arc;

use axum::http::StatusCode;
use healing_store::prelude::*;
use healing_store::{DECLINE_COOLDOWN_SECONDS, LinkStatus, Role};
use serde_json::json;

use crate::both_backends;
use crate::support::{Backend, Session, TestApp, TestResponse};

/// A patient `pat` and a clinician `doc`, both signed in.
async fn pair(app: &TestApp) -> (Session, Session) {
    app.register_patient("pat").await;
    app.create_staff("doc", Role::Clinician).await;
    (app.login("pat").await, app.login("doc").await)
}

async fn request(app: &TestApp, doc: &Session) -> TestResponse {
    app.post(
        "/api/links",
        json!({ "patient_username": "pat" }),
        Some(doc),
    )
    .await
}

/// The patient acts on a link: `accept`, `decline` or `end`.
async fn act(app: &TestApp, patient: &Session, link_id: &str, action: &str) -> TestResponse {
    app.post(
        &format!(
            "/api/patients/{}/links/{link_id}/{action}",
            patient.user_id.as_str()
        ),
        json!({}),
        Some(patient),
    )
    .await
}

fn link_id(response: &TestResponse) -> String {
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.json["data"]["id"]
        .as_str()
        .expect("link id")
        .to_owned()
}

fn assert_conflict(response: &TestResponse, words: &str) {
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text);
    assert_eq!(response.json["code"], "CONFLICT", "{}", response.text);
    let message = response.json["error"].as_str().unwrap_or_default();
    assert!(message.contains(words), "{message:?} lacks {words:?}");
}

async fn twenty_concurrent_identical_requests_leave_one_pending_link(backend: Backend) {
    let app = Arc::new(TestApp::new(backend).await);
    let (patient, doc) = pair(&app).await;
    let doc = Arc::new(doc);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, doc) = (app.clone(), doc.clone());
            tokio::spawn(async move { request(&app, &doc).await })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        let response = task.await.expect("request task");
        match response.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert_conflict(&response, "already waiting"),
            other => panic!("a link request answered {other}: {}", response.text),
        }
    }
    assert_eq!(created, 1, "exactly one request is recorded");
    let links = app
        .state
        .store()
        .links_of_patient(&patient.user_id)
        .await
        .unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].status, LinkStatus::Requested);
    // Once accepted, asking again is refused too.
    assert_eq!(
        act(&app, &patient, &links[0].id, "accept").await.status,
        StatusCode::OK
    );
    assert_conflict(&request(&app, &doc).await, "already linked");
}

async fn a_declined_clinician_can_ask_again_only_after_the_cooldown(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (patient, doc) = pair(&app).await;
    let first = link_id(&request(&app, &doc).await);
    let declined = act(&app, &patient, &first, "decline").await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.text);
    assert_eq!(declined.json["data"]["status"], "declined");
    assert_conflict(&request(&app, &doc).await, "declined");
    // A declined request cannot be accepted or declined again.
    assert_conflict(&act(&app, &patient, &first, "accept").await, "declined");
    assert_conflict(&act(&app, &patient, &first, "decline").await, "declined");
    // Sessions expire long before the waiting period ends: sign in again near
    // its end, then step to a minute before it and to a minute after. The
    // test clock runs on with the wall clock, and a loaded machine can take
    // seconds between two requests, so the steps keep a margin.
    let declined_at = app.state.now().unix_seconds();
    app.state.clock().advance(DECLINE_COOLDOWN_SECONDS - 600);
    let (patient, doc) = (app.login("pat").await, app.login("doc").await);
    let waited = app.state.now().unix_seconds() - declined_at;
    app.state
        .clock()
        .advance(DECLINE_COOLDOWN_SECONDS - waited - 60);
    assert_conflict(&request(&app, &doc).await, "declined");
    app.state.clock().advance(120);
    let second = link_id(&request(&app, &doc).await);
    assert_eq!(
        act(&app, &patient, &second, "accept").await.status,
        StatusCode::OK
    );
}

async fn an_ended_link_is_not_accepted_again_without_a_new_request(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (patient, doc) = pair(&app).await;
    let first = link_id(&request(&app, &doc).await);
    // A waiting request is declined, not ended.
    assert_conflict(&act(&app, &patient, &first, "end").await, "requested");
    assert_eq!(
        act(&app, &patient, &first, "accept").await.status,
        StatusCode::OK
    );
    assert_conflict(&act(&app, &patient, &first, "accept").await, "accepted");
    assert_eq!(
        act(&app, &patient, &first, "end").await.status,
        StatusCode::OK
    );
    assert_conflict(&act(&app, &patient, &first, "accept").await, "ended");
    assert_conflict(&act(&app, &patient, &first, "decline").await, "ended");
    assert_conflict(&act(&app, &patient, &first, "end").await, "ended");
    let has_link = app
        .state
        .store()
        .has_accepted_link(&doc.user_id, &patient.user_id)
        .await
        .unwrap();
    assert!(!has_link, "the ended link stays ended");
    // A new request (no waiting period after an end) can be accepted.
    let second = link_id(&request(&app, &doc).await);
    assert_eq!(
        act(&app, &patient, &second, "accept").await.status,
        StatusCode::OK
    );
}

async fn another_patient_cannot_decline_a_link(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (patient, doc) = pair(&app).await;
    app.register_patient("otto").await;
    let otto = app.login("otto").await;
    let link = link_id(&request(&app, &doc).await);
    // Otto names his own id in the path, so the policy lets him through; the link is not his.
    let response = act(&app, &otto, &link, "decline").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND, "{}", response.text);
    assert_eq!(
        app.state.store().link(&link).await.unwrap().status,
        LinkStatus::Requested
    );
    assert_eq!(
        act(&app, &patient, &link, "decline").await.status,
        StatusCode::OK
    );
}

both_backends!(
    twenty_concurrent_identical_requests_leave_one_pending_link,
    a_declined_clinician_can_ask_again_only_after_the_cooldown,
    an_ended_link_is_not_accepted_again_without_a_new_request,
    another_patient_cannot_decline_a_link,
);
