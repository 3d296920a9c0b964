//! Messages between patients and their care team, through HTTP on SQLite and
//! PostgreSQL: both ways with unread counts, marking read, deleting for oneself,
//! paging, a risky message's crisis answer and alert, colleagues about a shared
//! patient, who is refused, and typed answers to malformed requests.

use axum::http::{Method, StatusCode};
use healing_store::prelude::*;
use healing_store::{AlertSource, Role};
use serde_json::{Value, json};

use crate::support::{Backend, Session, TestApp, TestResponse};

/// Words that must never be stored in clear.
const MARKER: &str = "MESSAGE-MARKER-4b1d";

/// A patient and a clinician linked to them, with sharing consent granted.
async fn linked_pair(app: &TestApp, patient: &str, clinician: &str) -> (Session, Session) {
    app.register_patient(patient).await;
    app.create_staff(clinician, Role::Clinician).await;
    let pat = app.login(patient).await;
    let doc = app.login(clinician).await;
    app.accept_link(patient, &pat, &doc).await;
    let granted = app.consent(&pat, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    (pat, doc)
}

async fn start(
    app: &TestApp,
    from: &Session,
    to: &Session,
    about: Option<&Session>,
    body: &str,
) -> TestResponse {
    app.post(
        "/api/messages",
        json!({
            "to": to.user_id.as_str(),
            "about": about.map(|session| session.user_id.as_str()),
            "body": body,
        }),
        Some(from),
    )
    .await
}

fn thread_path(thread_id: &str) -> String {
    format!("/api/messages/threads/{thread_id}")
}

fn notice(response: &TestResponse) -> &Value {
    &response.json["data"]["notice"]
}

async fn patient_and_clinician_write_both_ways_read_and_delete_for_themselves(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;

    let sent = start(
        &app,
        &pat,
        &doc,
        None,
        &format!("Could we move Tuesday? {MARKER}"),
    )
    .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
    assert_eq!(sent.json["data"]["started"], true);
    assert_eq!(sent.json["data"]["safety"]["show_crisis_resources"], false);
    // Every answer to the patient says plainly that nobody watches messages at all hours.
    assert!(
        notice(&sent)
            .as_str()
            .unwrap()
            .contains("not monitored around the clock")
    );
    let thread_id = sent.json["data"]["thread_id"].as_str().unwrap().to_owned();
    assert!(
        !app.db.holds_text(MARKER).await,
        "the message is sealed at rest"
    );

    // The clinician's inbox counts it unread; no notice or screening for staff.
    let inbox = app.get("/api/messages", Some(&doc)).await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.text);
    assert_eq!(inbox.json["data"]["total_unread"], 1);
    assert_eq!(
        inbox.json["data"]["threads"][0]["with"]["display_name"],
        "pat"
    );
    assert_eq!(inbox.json["data"]["threads"][0]["open"], true);
    assert!(notice(&inbox).is_null());

    // The clinician reads and answers twice; the patient sees 2 unread.
    let shown = app.get(&thread_path(&thread_id), Some(&doc)).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert!(
        shown.json["data"]["messages"][0]["body"]
            .as_str()
            .unwrap()
            .contains(MARKER)
    );
    assert_eq!(shown.json["data"]["messages"][0]["read"], false);
    for text in ["Thursday at ten works.", "I've moved it."] {
        let reply = app
            .post(
                &thread_path(&thread_id),
                json!({ "body": text }),
                Some(&doc),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        assert!(reply.json["data"]["safety"].is_null());
    }
    let inbox = app.get("/api/messages", Some(&pat)).await;
    assert_eq!(inbox.json["data"]["total_unread"], 2);
    assert!(notice(&inbox).as_str().is_some());

    // Paged newest first; marking read clears the count and shows as read to the writer.
    let page = app
        .get(
            &format!("{}?limit=1&offset=1", thread_path(&thread_id)),
            Some(&pat),
        )
        .await;
    assert_eq!(page.json["data"]["messages"].as_array().unwrap().len(), 1);
    assert_eq!(
        page.json["data"]["messages"][0]["body"],
        "Thursday at ten works."
    );
    assert!(notice(&page).as_str().is_some());
    let read = app
        .post(
            &format!("{}/read", thread_path(&thread_id)),
            json!({}),
            Some(&pat),
        )
        .await;
    assert_eq!(
        (read.status, read.json["data"]["read_seq"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{}",
        read.text
    );
    assert!(notice(&read).as_str().is_some());
    assert_eq!(
        app.get("/api/messages", Some(&pat)).await.json["data"]["total_unread"],
        0
    );
    let shown = app.get(&thread_path(&thread_id), Some(&doc)).await;
    assert_eq!(shown.json["data"]["messages"][0]["read"], true);

    // Deleting hides the conversation from the patient only.
    let deleted = app
        .call(Method::DELETE, &thread_path(&thread_id), None, Some(&pat))
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert!(notice(&deleted).as_str().is_some());
    assert_eq!(
        app.get("/api/messages", Some(&pat)).await.json["data"]["total_threads"],
        0
    );
    let hidden = app.get(&thread_path(&thread_id), Some(&pat)).await;
    assert_eq!(hidden.json["data"]["messages"].as_array().unwrap().len(), 0);
    let kept = app.get(&thread_path(&thread_id), Some(&doc)).await;
    assert_eq!(kept.json["data"]["messages"].as_array().unwrap().len(), 3);

    // Still in the patient's own GDPR export.
    let export = app.get("/api/security/export-data", Some(&pat)).await;
    assert_eq!(export.json["data"]["messages"].as_array().unwrap().len(), 3);
}

async fn a_risky_patient_message_answers_with_crisis_resources_and_alerts_at_once(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    let sent = start(
        &app,
        &pat,
        &doc,
        None,
        "I've saved up my pills and I'm taking them tonight",
    )
    .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
    let safety = &sent.json["data"]["safety"];
    assert_eq!(safety["show_crisis_resources"], true, "{safety}");
    assert!(!safety["resources"].as_array().unwrap().is_empty());
    assert!(notice(&sent).as_str().unwrap().contains("999"));
    let alerts = app
        .state
        .store()
        .alerts_of_patient(&pat.user_id)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].source, AlertSource::Message);
    // Not a word of it in the alert list the clinician sees.
    let listed = app.get("/api/alerts", Some(&doc)).await;
    assert_eq!(listed.json["data"].as_array().unwrap().len(), 1);
    assert!(!listed.text.contains("pills"), "{}", listed.text);
}

async fn only_the_care_team_takes_part(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    app.create_staff("col", Role::Clinician).await;
    app.create_staff("other.doc", Role::Clinician).await;
    app.create_staff("admin", Role::Admin).await;
    app.register_patient("otto").await;
    let colleague = app.login("col").await;
    let unlinked = app.login("other.doc").await;
    let admin = app.login("admin").await;
    let otto = app.login("otto").await;
    app.accept_link("pat", &pat, &colleague).await;

    // Colleagues about a patient both are linked to: yes; about an unshared one: no.
    let handover = start(
        &app,
        &doc,
        &colleague,
        Some(&pat),
        "Handover: pat prefers mornings.",
    )
    .await;
    assert_eq!(handover.status, StatusCode::CREATED, "{}", handover.text);
    let refused = start(&app, &doc, &unlinked, Some(&pat), "Can you see pat?").await;
    assert_eq!(
        (refused.status, refused.json["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("MESSAGE_REFUSED")),
        "{}",
        refused.text
    );
    for (from, to) in [
        (&pat, &unlinked),
        (&pat, &otto),
        (&pat, &admin),
        (&otto, &doc),
    ] {
        let refused = start(&app, from, to, None, "hello").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    }
    let admin_writes = start(&app, &admin, &doc, Some(&pat), "hello").await;
    assert_eq!(admin_writes.status, StatusCode::FORBIDDEN);

    // The patient's own conversation: other people cannot open it, not even the
    // patient's other clinician; an admin reads it only with break-glass.
    let sent = start(&app, &pat, &doc, None, "See you Thursday.").await;
    let thread = thread_path(sent.json["data"]["thread_id"].as_str().unwrap());
    for outsider in [&otto, &unlinked, &colleague, &admin] {
        assert_eq!(
            app.get(&thread, Some(outsider)).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let handover_thread = thread_path(handover.json["data"]["thread_id"].as_str().unwrap());
    assert_eq!(
        app.get(&handover_thread, Some(&pat)).await.status,
        StatusCode::FORBIDDEN
    );
    let request = axum::http::Request::get(&thread)
        .header("cookie", format!("healing_session={}", admin.cookie))
        .header(
            "x-break-glass-reason",
            "patient at risk, clinician unreachable overnight",
        )
        .body(axum::body::Body::empty())
        .unwrap();
    let glass = app.send(request).await;
    assert_eq!(glass.status, StatusCode::OK, "{}", glass.text);
    assert_eq!(glass.json["data"]["messages"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get(&format!("{thread}x"), Some(&doc)).await.status,
        StatusCode::NOT_FOUND
    );

    // The patient withdraws sharing: the clinician can no longer open it, and the
    // patient is told the conversation is closed instead of writing into it.
    app.consent(&pat, "clinician_sharing", "withdraw").await;
    assert_eq!(
        app.get(&thread, Some(&doc)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&handover_thread, Some(&colleague)).await.status,
        StatusCode::FORBIDDEN
    );
    let inbox = app.get("/api/messages", Some(&pat)).await;
    assert_eq!(inbox.json["data"]["threads"][0]["open"], false);
    let closed = app
        .post(&thread, json!({ "body": "are you there?" }), Some(&pat))
        .await;
    assert_eq!(
        (closed.status, closed.json["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("MESSAGE_REFUSED"))
    );
    assert_eq!(
        app.get("/api/messages", Some(&doc)).await.json["data"]["total_threads"],
        0
    );
}

async fn malformed_requests_get_typed_client_errors(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    let sent = start(&app, &pat, &doc, None, "hello").await;
    let thread = thread_path(sent.json["data"]["thread_id"].as_str().unwrap());
    let long = "a".repeat(5_001);
    let cases: [(&str, Value, u16, &str); 8] = [
        (
            "/api/messages",
            json!({ "body": "no recipient" }),
            400,
            "INVALID_BODY",
        ),
        (
            "/api/messages",
            json!({ "to": 7, "body": "hello" }),
            400,
            "INVALID_BODY",
        ),
        (
            "/api/messages",
            json!({ "to": doc.user_id.as_str(), "body": "   " }),
            400,
            "VALIDATION_FAILED",
        ),
        (
            "/api/messages",
            json!({ "to": doc.user_id.as_str(), "body": long }),
            400,
            "VALIDATION_FAILED",
        ),
        (
            "/api/messages",
            json!({ "to": "", "body": "hello" }),
            400,
            "VALIDATION_FAILED",
        ),
        ("/api/messages", json!([1, 2]), 400, "INVALID_BODY"),
        (
            &thread,
            json!({ "text": "wrong field" }),
            400,
            "INVALID_BODY",
        ),
        (
            &format!("{thread}/read"),
            json!({ "through_seq": 0 }),
            400,
            "VALIDATION_FAILED",
        ),
    ];
    for (path, body, status, code) in cases {
        let response = app.post(path, body.clone(), Some(&pat)).await;
        assert_eq!(
            (response.status.as_u16(), response.json["code"].as_str()),
            (status, Some(code)),
            "{path} {body}: {}",
            response.text
        );
    }
    let request = axum::http::Request::post(&thread)
        .header("cookie", format!("healing_session={}", pat.cookie))
        .header("x-csrf-token", &pat.csrf)
        .body(axum::body::Body::from("{\"body\":\"no content type\"}"))
        .unwrap();
    assert_eq!(
        app.send(request).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let broken = app.call(Method::POST, &thread, None, Some(&pat)).await;
    assert!(broken.status.is_client_error(), "{}", broken.text);
    let paging = app.get("/api/messages?limit=lots", Some(&pat)).await;
    assert_eq!(paging.status, StatusCode::BAD_REQUEST, "{}", paging.text);
}

crate::both_backends!(
    patient_and_clinician_write_both_ways_read_and_delete_for_themselves,
    a_risky_patient_message_answers_with_crisis_resources_and_alerts_at_once,
    only_the_care_team_takes_part,
    malformed_requests_get_typed_client_errors,
);
