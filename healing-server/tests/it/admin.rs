//! Admin account actions through HTTP on SQLite and PostgreSQL: disabling an
//! account ends its sessions at once and re-enabling lets the person sign in
//! again; erasure on request is the same erasure as deleting one's own account,
//! audited with the reason; the users list filters by role, state and name; an
//! admin never acts on their own account; every action is audited.

use axum::http::StatusCode;
use healing_store::prelude::*;
use healing_store::{AuditChainStatus, AuditQuery, AuditRecord, Role};
use serde_json::{Value, json};

use crate::support::Backend;
use crate::support::{PASSWORD, Session, TestApp};

const REASON: &str = "repeated abusive messages, ticket 4411";

async fn audit(app: &TestApp, action: &str) -> Vec<AuditRecord> {
    app.state
        .store()
        .audit_entries(AuditQuery {
            limit: 1000,
            ..AuditQuery::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action.as_str() == action)
        .collect()
}

async fn act(
    app: &TestApp,
    admin: &Session,
    user: &str,
    action: &str,
    body: Value,
) -> crate::support::TestResponse {
    app.post(
        &format!("/api/admin/users/{user}/{action}"),
        body,
        Some(admin),
    )
    .await
}

async fn a_disabled_account_is_signed_out_at_once_and_re_enabled_signs_in(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let pat = app.login("pat").await;
    let other_device = app.login("pat").await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    let user = id.as_str();

    for (body, code) in [
        (json!({}), "INVALID_BODY"),
        (json!({ "reason": "because" }), "VALIDATION_FAILED"),
        (json!({ "reason": REASON, "extra": 1 }), "INVALID_BODY"),
    ] {
        let refused = act(&app, &admin, user, "disable", body).await;
        assert_eq!(
            (refused.status, refused.json["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{}",
            refused.text
        );
    }
    assert_eq!(
        app.get("/api/auth/check-session", Some(&pat)).await.status,
        StatusCode::OK
    );

    let disabled = act(&app, &admin, user, "disable", json!({ "reason": REASON })).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.text);
    assert!(disabled.json["data"]["disabled_at"].is_string());
    for session in [&pat, &other_device] {
        assert_eq!(
            app.get("/api/auth/check-session", Some(session))
                .await
                .status,
            StatusCode::UNAUTHORIZED,
            "every session ends at once"
        );
    }
    let login = app
        .post(
            "/api/auth/login",
            json!({ "username": "pat", "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "{}", login.text);
    let again = act(&app, &admin, user, "disable", json!({ "reason": REASON })).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    let entries = audit(&app, "account_disabled").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_id.as_ref(), Some(&admin.user_id));
    let detail: Value = serde_json::from_str(&entries[0].detail).unwrap();
    assert_eq!(
        (detail["reason"].as_str(), detail["sessions_ended"].as_u64()),
        (Some(REASON), Some(2))
    );

    // An admin cannot lock themself out, nor erase themself.
    for action in ["disable", "enable", "erase"] {
        let own = act(
            &app,
            &admin,
            admin.user_id.as_str(),
            action,
            if action == "erase" {
                json!({ "reason": REASON, "confirm_username": "admin" })
            } else {
                json!({ "reason": REASON })
            },
        )
        .await;
        assert_eq!(
            (own.status, own.json["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("OWN_ACCOUNT")),
            "{}",
            own.text
        );
    }
    assert_eq!(
        app.get("/api/auth/check-session", Some(&admin))
            .await
            .status,
        StatusCode::OK
    );

    let enabled = act(
        &app,
        &admin,
        user,
        "enable",
        json!({ "reason": "appeal upheld, ticket 4412" }),
    )
    .await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.text);
    assert!(enabled.json["data"]["disabled_at"].is_null());
    let back = app.login("pat").await;
    assert_eq!(
        app.get("/api/auth/check-session", Some(&back)).await.status,
        StatusCode::OK
    );
    let twice = act(&app, &admin, user, "enable", json!({ "reason": REASON })).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text);
    assert_eq!(audit(&app, "account_enabled").await.len(), 1);
    let unknown = act(
        &app,
        &admin,
        "00000000-0000-4000-8000-000000000000",
        "disable",
        json!({ "reason": REASON }),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);
}

/// A patient with something in most tables an erasure touches: a mood note, a
/// conversation with their clinician (and so notifications), and preferences.
async fn patient_with_data(app: &TestApp, username: &str, doc: &Session) -> Session {
    app.register_patient(username).await;
    let pat = app.login(username).await;
    app.accept_link(username, &pat, doc).await;
    let granted = app.consent(&pat, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    let mood = app
        .post(
            &format!("/api/patients/{}/moods", pat.user_id.as_str()),
            json!({ "mood": 6, "note": "ok" }),
            Some(&pat),
        )
        .await;
    assert_eq!(mood.status, StatusCode::CREATED, "{}", mood.text);
    let sent = app
        .post(
            "/api/messages",
            json!({ "to": doc.user_id.as_str(), "body": "hello" }),
            Some(&pat),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
    let thread = sent.json["data"]["thread_id"].as_str().unwrap().to_owned();
    let answered = app
        .post(
            &format!("/api/messages/threads/{thread}"),
            json!({ "body": "hi" }),
            Some(doc),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.text);
    let prefs = app
        .call(
            axum::http::Method::PUT,
            "/api/me/preferences",
            Some(json!({ "theme": "dark", "language": "en-GB", "email": [], "reminder_lead_hours": 12 })),
            Some(&pat),
        )
        .await;
    assert_eq!(prefs.status, StatusCode::OK, "{}", prefs.text);
    pat
}

async fn an_admin_erases_an_account_as_self_deletion_does_audited_with_the_reason(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    let asked = patient_with_data(&app, "asked", &doc).await;
    let herself = patient_with_data(&app, "herself", &doc).await;
    assert_eq!(
        app.get("/api/notifications", Some(&doc)).await.json["data"]["total"],
        2,
        "one message notification from each patient"
    );

    let user = asked.user_id.as_str();
    let mismatch = act(
        &app,
        &admin,
        user,
        "erase",
        json!({ "reason": REASON, "confirm_username": "herself" }),
    )
    .await;
    assert_eq!(
        (mismatch.status, mismatch.json["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("CONFIRMATION_MISMATCH")),
        "{}",
        mismatch.text
    );
    assert!(
        app.state
            .store()
            .user_by_username("asked")
            .await
            .unwrap()
            .is_some(),
        "nothing erased"
    );

    let reason = "erasure request by letter dated 1 December 2026";
    let erased = act(
        &app,
        &admin,
        user,
        "erase",
        json!({ "reason": reason, "confirm_username": "asked" }),
    )
    .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    let by_admin = erased.json["data"]["rows_deleted"].clone();
    let deleted = app
        .post(
            "/api/security/delete-account",
            json!({ "password": PASSWORD }),
            Some(&herself),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    let by_self = deleted.json["data"]["rows_deleted"].clone();
    // The same erasure: the same tables, the same counts for the same data.
    assert_eq!(by_admin, by_self);
    for table in [
        "users",
        "user_preferences",
        "mood_entries",
        "message_threads",
        "sessions",
    ] {
        assert!(by_admin[table].as_u64() >= Some(1), "{table}: {by_admin}");
    }
    // The clinician's notifications about the erased conversations went too.
    assert_eq!(
        by_admin["notifications"], 2,
        "the patient's one and the clinician's one: {by_admin}"
    );
    assert_eq!(
        app.get("/api/notifications", Some(&doc)).await.json["data"]["total"],
        0
    );
    assert_eq!(
        app.get("/api/auth/check-session", Some(&asked))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        app.state
            .store()
            .user_by_username("asked")
            .await
            .unwrap()
            .is_none()
    );

    let tombstones = audit(&app, "account_erased").await;
    assert_eq!(tombstones.len(), 2);
    let by_admin_entry = tombstones
        .iter()
        .find(|entry| entry.subject_patient_id.as_ref() == Some(&asked.user_id))
        .unwrap();
    assert_eq!(by_admin_entry.actor_id.as_ref(), Some(&admin.user_id));
    let detail: Value = serde_json::from_str(&by_admin_entry.detail).unwrap();
    assert_eq!(detail["reason"], reason);
    assert!(
        !by_admin_entry.detail.contains("asked"),
        "no username in the tombstone"
    );
    assert_eq!(
        app.state.store().verify_audit().await.unwrap().status,
        AuditChainStatus::Intact
    );
    let gone = act(
        &app,
        &admin,
        user,
        "erase",
        json!({ "reason": reason, "confirm_username": "asked" }),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.text);
}

fn usernames(response: &crate::support::TestResponse) -> Vec<String> {
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["username"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_users_list_filters_by_role_state_and_name(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    // A second apart each, so "oldest first" is this order.
    for name in ["alba", "bryn", "cerys"] {
        app.state.clock().advance(1);
        app.register_patient(name).await;
    }
    app.state.clock().advance(1);
    app.create_staff("dr.morgan", Role::Clinician).await;
    // Display names are sealed: the search opens them.
    let cerys = app
        .state
        .store()
        .user_by_username("cerys")
        .await
        .unwrap()
        .unwrap();
    app.state
        .store()
        .set_display_name(&cerys.id, "Cerys Morganwg")
        .await
        .unwrap();
    let bryn = app
        .state
        .store()
        .user_by_username("bryn")
        .await
        .unwrap()
        .unwrap();
    let disabled = act(
        &app,
        &admin,
        bryn.id.as_str(),
        "disable",
        json!({ "reason": REASON }),
    )
    .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.text);

    let list = async |query: &str| {
        usernames(
            &app.get(&format!("/api/admin/users{query}"), Some(&admin))
                .await,
        )
    };
    assert_eq!(list("?role=patient").await, ["alba", "bryn", "cerys"]);
    assert_eq!(list("?disabled=true").await, ["bryn"]);
    assert_eq!(
        list("?role=patient&disabled=false").await,
        ["alba", "cerys"]
    );
    assert_eq!(list("?q=MORGAN").await, ["cerys", "dr.morgan"]);
    assert_eq!(list("?q=morgan&role=clinician").await, ["dr.morgan"]);
    assert_eq!(list("?role=patient&limit=1&offset=1").await, ["bryn"]);
    assert_eq!(list("?q=nobody").await, Vec::<String>::new());
    let listed = app
        .get("/api/admin/users?disabled=true", Some(&admin))
        .await;
    assert!(
        listed.json["data"][0]["disabled_at"].is_string(),
        "{}",
        listed.text
    );
    for query in ["?role=wizard", "?disabled=maybe", "?limit=-1"] {
        let refused = app
            .get(&format!("/api/admin/users{query}"), Some(&admin))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            refused.text
        );
    }
    let long = format!("/api/admin/users?q={}", "a".repeat(101));
    assert_eq!(
        app.get(&long, Some(&admin)).await.status,
        StatusCode::BAD_REQUEST
    );
}

crate::both_backends!(
    a_disabled_account_is_signed_out_at_once_and_re_enabled_signs_in,
    an_admin_erases_an_account_as_self_deletion_does_audited_with_the_reason,
    the_users_list_filters_by_role_state_and_name,
);
