//! Registration tells nobody whether an email has an account, and is
//! throttled per client address. See: issue 21, finding 2.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::support::{Backend, PASSWORD, TestApp, smtp_mailer, start_smtp};

fn register_body(username: &str, email: &str) -> Value {
    json!({ "username": username, "email": email, "password": PASSWORD })
}

/// The keys of the answer's `data`, with the values that differ between two
/// accounts (their ids and the fields typed) left out.
fn shape(response: &crate::support::TestResponse) -> Value {
    let mut data = response.json["data"].clone();
    for key in ["id", "username", "email", "display_name"] {
        assert!(data[key].is_string(), "{key}: {}", response.text);
        data[key] = Value::Null;
    }
    json!({ "success": response.json["success"], "message": response.json["message"], "data": data })
}

async fn a_taken_email_answers_like_a_new_account_and_the_owner_is_emailed(backend: Backend) {
    let (sink, port) = start_smtp();
    let app = TestApp::with_mailer(backend, smtp_mailer(port)).await;
    let owner = app.register_patient("pat").await;

    let free = app
        .post(
            "/api/auth/register",
            register_body("fresh", "fresh@example.test"),
            None,
        )
        .await;
    let taken = app
        .post(
            "/api/auth/register",
            register_body("probe", "pat@example.test"),
            None,
        )
        .await;
    assert_eq!(free.status, StatusCode::CREATED, "{}", free.text);
    assert_eq!(taken.status, free.status, "{}", taken.text);
    assert_eq!(shape(&taken), shape(&free));
    assert_eq!(taken.json["data"]["username"], "probe");
    assert_ne!(taken.json["data"]["id"], owner.as_str());
    // Neither answer signs anyone in.
    for response in [&free, &taken] {
        assert!(
            response.headers.get(header::SET_COOKIE).is_none(),
            "{:?}",
            response.headers
        );
    }
    // Nothing was created for the probe: its username cannot sign in.
    let login = app
        .post(
            "/api/auth/login",
            json!({ "username": "probe", "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "{}", login.text);

    // The owner is told, without a password or a token.
    let mut message = None;
    for _ in 0..100 {
        if let Some(found) = sink.received.lock().unwrap().first().cloned() {
            message = Some(found);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let message = message.expect("the owner is emailed");
    assert!(message.contains("pat@example.test"), "{message}");
    let unfolded = message.replace("=\r\n", "").replace("\r\n", " ");
    assert!(unfolded.contains("tried to create"), "{unfolded}");
    assert!(!unfolded.contains(PASSWORD), "{unfolded}");
    assert!(!unfolded.contains("token"), "{unfolded}");
    assert_eq!(
        sink.received.lock().unwrap().len(),
        1,
        "only the owner is emailed"
    );
}

async fn a_taken_username_is_still_named(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let taken = app
        .post(
            "/api/auth/register",
            register_body("pat", "other@example.test"),
            None,
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text);
    assert_eq!(taken.json["error"], "username is already taken");
}

async fn the_thirty_first_registration_attempt_from_one_address_is_refused(backend: Backend) {
    let app = TestApp::new(backend).await;
    let limit = healing_server::auth::throttle::REGISTER_ATTEMPTS;
    assert_eq!(limit, 30);
    // Every attempt counts, refused or not (a bad username here, so no hashing).
    for attempt in 1..=limit {
        let response = app
            .post(
                "/api/auth/register",
                register_body("x", &format!("p{attempt}@example.test")),
                None,
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "attempt {attempt}: {}",
            response.text
        );
    }
    let refused = app
        .post(
            "/api/auth/register",
            register_body("late", "late@example.test"),
            None,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.text
    );
    assert_eq!(refused.json["code"], "TOO_MANY_ATTEMPTS");
    assert!(refused.headers.get(header::RETRY_AFTER).is_some());
    // After the window, registration works again.
    app.state.clock().advance(15 * 60 + 1);
    let later = app
        .post(
            "/api/auth/register",
            register_body("late", "late@example.test"),
            None,
        )
        .await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.text);
}

crate::both_backends!(
    a_taken_email_answers_like_a_new_account_and_the_owner_is_emailed,
    a_taken_username_is_still_named,
    the_thirty_first_registration_attempt_from_one_address_is_refused,
);
