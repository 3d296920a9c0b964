//! The access matrix: every route × caller (anonymous, the patient themself,
//! another patient, a linked clinician, an unlinked clinician, an admin).
//! A route without a row here fails the test, so a new route cannot ship
//! without a decision about who may call it.

use axum::http::{Method, StatusCode};
use healing_store::Role;
use healing_store::prelude::*;
use serde_json::json;

use crate::support::{Backend, Session, TestApp};

/// What the policy must answer one caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The policy lets the request through (the handler may still answer 2xx/4xx, but not 401/403).
    Allow,
    /// Exactly this status.
    Status(u16),
}

use Expect::{Allow, Status};

const DENY: Expect = Status(403);
const ANON: Expect = Status(401);

/// One row: method, path template, then the expected answer for
/// [anonymous, patient own, other patient, linked clinician, unlinked clinician, admin].
/// `ends_session` rows get a fresh session per caller.
struct Row {
    method: &'static str,
    path: &'static str,
    expect: [Expect; 6],
    ends_session: bool,
}

const fn row(method: &'static str, path: &'static str, expect: [Expect; 6]) -> Row {
    Row {
        method,
        path,
        expect,
        ends_session: false,
    }
}

const EVERYONE: [Expect; 6] = [Allow, Allow, Allow, Allow, Allow, Allow];
const SIGNED_IN: [Expect; 6] = [ANON, Allow, Allow, Allow, Allow, Allow];
const ADMIN_ONLY: [Expect; 6] = [ANON, DENY, DENY, DENY, DENY, Allow];
const CLINICIAN_ONLY: [Expect; 6] = [ANON, DENY, DENY, Allow, Allow, DENY];
const PATIENT_SELF: [Expect; 6] = [ANON, Allow, DENY, DENY, DENY, DENY];
const SELF_OR_LINKED: [Expect; 6] = [ANON, Allow, DENY, Allow, DENY, DENY];
const STAFF: [Expect; 6] = [ANON, DENY, DENY, Allow, Allow, Allow];
/// The alert's patient's linked clinician, or an admin (the duty contact's role).
const ALERT_RESPONDER: [Expect; 6] = [ANON, DENY, DENY, Allow, DENY, Allow];
/// The clinician's workspace on one patient: a linked clinician with sharing
/// consent; not the patient; an admin only reads, and only with a break-glass
/// reason (none is sent here).
const LINKED_CLINICIAN: [Expect; 6] = [ANON, DENY, DENY, Allow, DENY, DENY];
/// Patients and clinicians (their own inbox); never an admin, who takes no part
/// in conversations.
const PATIENT_OR_CLINICIAN: [Expect; 6] = [ANON, Allow, Allow, Allow, Allow, DENY];
/// A community post the patient wrote that screening held for review: its author
/// and the moderators (clinicians, admins) see it; another patient does not.
const HELD_POST_READERS: [Expect; 6] = [ANON, Allow, DENY, Allow, Allow, Allow];
/// Writing to that held post (comment, react, report): its author and clinicians
/// pass the policy (the store then refuses, as it is not published); another
/// patient cannot see it, and admins do not take part.
const HELD_POST_WRITERS: [Expect; 6] = [ANON, Allow, DENY, Allow, Allow, DENY];

/// A patient with a live link (and sharing consent) to the clinician in the path:
/// who sees that clinician's open slots and books one.
const LINKED_PATIENT: [Expect; 6] = [ANON, Allow, DENY, DENY, DENY, DENY];

const MATRIX: &[Row] = &[
    row("GET", "/api/health", EVERYONE),
    // Only the scraper's bearer token opens /metrics, never a session.
    row("GET", "/metrics", [ANON, ANON, ANON, ANON, ANON, ANON]),
    row("GET", "/api/openapi.json", EVERYONE),
    row("GET", "/api/crisis-resources", EVERYONE),
    // the web app: its page and files (a screen's URL is tried as `/mood`)
    row("GET", "/", EVERYONE),
    row("GET", "/{*path}", EVERYONE),
    row("POST", "/api/auth/register", EVERYONE),
    row("POST", "/api/auth/login", EVERYONE),
    row(
        "POST",
        "/api/auth/verify-2fa",
        [
            ANON,
            Status(409),
            Status(409),
            Status(409),
            Status(409),
            Status(409),
        ],
    ),
    Row {
        method: "POST",
        path: "/api/auth/logout",
        expect: SIGNED_IN,
        ends_session: true,
    },
    Row {
        method: "POST",
        path: "/api/auth/logout-everywhere",
        expect: SIGNED_IN,
        ends_session: true,
    },
    row("GET", "/api/auth/check-session", SIGNED_IN),
    row("POST", "/api/auth/change-password", SIGNED_IN),
    row("POST", "/api/auth/2fa/setup", SIGNED_IN),
    row("POST", "/api/auth/2fa/confirm", SIGNED_IN),
    row("POST", "/api/security/password-reset", EVERYONE),
    row("POST", "/api/security/password-reset/confirm", EVERYONE),
    row("GET", "/api/security/export-data", SIGNED_IN),
    row("POST", "/api/security/delete-account", SIGNED_IN),
    row("GET", "/api/security/audit-log", ADMIN_ONLY),
    row("GET", "/api/security/audit-log/verify", ADMIN_ONLY),
    row("GET", "/api/admin/users", ADMIN_ONLY),
    row("POST", "/api/admin/users/{user_id}/role", ADMIN_ONLY),
    row(
        "GET",
        "/api/admin/plugins",
        [ANON, DENY, DENY, DENY, DENY, Status(200)],
    ),
    // No plugin is installed here: an admin gets past the policy to the 404
    // (tests/it/plugins.rs enables installed ones).
    row(
        "POST",
        "/api/admin/plugins/{plugin_id}/enable",
        [ANON, DENY, DENY, DENY, DENY, Status(404)],
    ),
    row("POST", "/api/admin/users/{user_id}/disable", ADMIN_ONLY),
    row("POST", "/api/admin/users/{user_id}/enable", ADMIN_ONLY),
    row("POST", "/api/admin/users/{user_id}/erase", ADMIN_ONLY),
    // One's own notifications and preferences; one notification only its recipient's.
    row("GET", "/api/notifications", SIGNED_IN),
    row("POST", "/api/notifications/read-all", SIGNED_IN),
    row(
        "POST",
        "/api/notifications/{notification_id}/read",
        PATIENT_SELF,
    ),
    row("GET", "/api/me/preferences", SIGNED_IN),
    row("PUT", "/api/me/preferences", SIGNED_IN),
    row("GET", "/api/links", SIGNED_IN),
    row("POST", "/api/links", CLINICIAN_ONLY),
    row(
        "POST",
        "/api/patients/{patient_id}/links/{link_id}/accept",
        PATIENT_SELF,
    ),
    row(
        "POST",
        "/api/patients/{patient_id}/links/{link_id}/decline",
        PATIENT_SELF,
    ),
    row(
        "POST",
        "/api/patients/{patient_id}/links/{link_id}/end",
        PATIENT_SELF,
    ),
    row("GET", "/api/patients/{patient_id}/moods", SELF_OR_LINKED),
    row("POST", "/api/patients/{patient_id}/moods", PATIENT_SELF),
    row("GET", "/api/instruments", SIGNED_IN),
    row(
        "GET",
        "/api/patients/{patient_id}/assessments",
        SELF_OR_LINKED,
    ),
    row(
        "POST",
        "/api/patients/{patient_id}/assessments",
        PATIENT_SELF,
    ),
    row("GET", "/api/patients/{patient_id}/consent", SELF_OR_LINKED),
    row("POST", "/api/patients/{patient_id}/consent", PATIENT_SELF),
    row("GET", "/api/consent/wordings", EVERYONE),
    row("GET", "/api/patients/{patient_id}/journal", PATIENT_SELF),
    row("POST", "/api/patients/{patient_id}/journal", PATIENT_SELF),
    // The companion chat is the patient's private space, like the journal.
    row("GET", "/api/patients/{patient_id}/chat", PATIENT_SELF),
    row("POST", "/api/patients/{patient_id}/chat", PATIENT_SELF),
    // The safety plan: the patient writes it; a linked clinician reads it and
    // proposes edits, which only the patient accepts or declines.
    row(
        "GET",
        "/api/patients/{patient_id}/safety-plan",
        SELF_OR_LINKED,
    ),
    row(
        "PUT",
        "/api/patients/{patient_id}/safety-plan",
        PATIENT_SELF,
    ),
    row(
        "GET",
        "/api/patients/{patient_id}/safety-plan/versions",
        SELF_OR_LINKED,
    ),
    row(
        "GET",
        "/api/patients/{patient_id}/safety-plan/proposals",
        SELF_OR_LINKED,
    ),
    row(
        "POST",
        "/api/patients/{patient_id}/safety-plan/proposals",
        LINKED_CLINICIAN,
    ),
    row(
        "POST",
        "/api/patients/{patient_id}/safety-plan/proposals/{proposal_id}/accept",
        PATIENT_SELF,
    ),
    row(
        "POST",
        "/api/patients/{patient_id}/safety-plan/proposals/{proposal_id}/decline",
        PATIENT_SELF,
    ),
    // CBT tools: the catalogue for anyone signed in; a patient's runs written by
    // the patient, read by them or a linked clinician.
    row("GET", "/api/tools", SIGNED_IN),
    row(
        "POST",
        "/api/patients/{patient_id}/tools/{tool_id}/runs",
        PATIENT_SELF,
    ),
    row(
        "GET",
        "/api/patients/{patient_id}/tools/{tool_id}/runs",
        SELF_OR_LINKED,
    ),
    // Messages: one's own inbox; a conversation (the patient's with their linked
    // clinician here) opens to its members while they may see the patient's
    // record, so it answers as the patient's record does.
    row("GET", "/api/messages", PATIENT_OR_CLINICIAN),
    row("POST", "/api/messages", PATIENT_OR_CLINICIAN),
    row("GET", "/api/messages/threads/{thread_id}", SELF_OR_LINKED),
    row("POST", "/api/messages/threads/{thread_id}", SELF_OR_LINKED),
    row(
        "POST",
        "/api/messages/threads/{thread_id}/read",
        SELF_OR_LINKED,
    ),
    row(
        "DELETE",
        "/api/messages/threads/{thread_id}",
        SELF_OR_LINKED,
    ),
    // The community: profiles and block/mute for members (patients and
    // clinicians), channels read by everyone signed in and managed by admins, the
    // moderation queue for clinicians and admins; `{post_id}` is a post of the
    // patient's that screening held.
    row("GET", "/api/community/me", PATIENT_OR_CLINICIAN),
    row("PUT", "/api/community/me", PATIENT_OR_CLINICIAN),
    row(
        "PUT",
        "/api/community/members/{member_id}/relation",
        PATIENT_OR_CLINICIAN,
    ),
    row("GET", "/api/community/channels", SIGNED_IN),
    row("POST", "/api/community/channels", ADMIN_ONLY),
    row("PATCH", "/api/community/channels/{channel_id}", ADMIN_ONLY),
    row(
        "GET",
        "/api/community/channels/{channel_id}/posts",
        SIGNED_IN,
    ),
    row(
        "POST",
        "/api/community/channels/{channel_id}/posts",
        PATIENT_OR_CLINICIAN,
    ),
    row("GET", "/api/community/posts/{post_id}", HELD_POST_READERS),
    row(
        "POST",
        "/api/community/posts/{post_id}/comments",
        HELD_POST_WRITERS,
    ),
    row(
        "POST",
        "/api/community/posts/{post_id}/reactions",
        HELD_POST_WRITERS,
    ),
    row(
        "POST",
        "/api/community/posts/{post_id}/reports",
        HELD_POST_WRITERS,
    ),
    row("GET", "/api/community/moderation", STAFF),
    row("POST", "/api/community/moderation/{post_id}", STAFF),
    row("GET", "/api/patients/{patient_id}/today", PATIENT_SELF),
    row("GET", "/api/patients/{patient_id}/pet", SELF_OR_LINKED),
    row("POST", "/api/patients/{patient_id}/pet", PATIENT_SELF),
    row(
        "POST",
        "/api/patients/{patient_id}/pet/events",
        PATIENT_SELF,
    ),
    row(
        "GET",
        "/api/clinician/patients/{patient_id}/courses",
        LINKED_CLINICIAN,
    ),
    row(
        "POST",
        "/api/clinician/patients/{patient_id}/courses",
        LINKED_CLINICIAN,
    ),
    row(
        "POST",
        "/api/clinician/patients/{patient_id}/courses/{course_id}/sessions",
        LINKED_CLINICIAN,
    ),
    row(
        "POST",
        "/api/clinician/patients/{patient_id}/courses/{course_id}/close",
        LINKED_CLINICIAN,
    ),
    row(
        "POST",
        "/api/clinician/patients/{patient_id}/discharge",
        LINKED_CLINICIAN,
    ),
    row(
        "GET",
        "/api/clinician/patients/{patient_id}/notes",
        LINKED_CLINICIAN,
    ),
    row(
        "POST",
        "/api/clinician/patients/{patient_id}/notes",
        LINKED_CLINICIAN,
    ),
    row(
        "GET",
        "/api/clinician/patients/{patient_id}/notes/{note_id}",
        LINKED_CLINICIAN,
    ),
    row(
        "POST",
        "/api/clinician/patients/{patient_id}/notes/{note_id}/amend",
        LINKED_CLINICIAN,
    ),
    row(
        "GET",
        "/api/clinician/patients/{patient_id}/fhir",
        LINKED_CLINICIAN,
    ),
    row("GET", "/api/clinician/outcomes", CLINICIAN_ONLY),
    row("GET", "/api/admin/outcomes", ADMIN_ONLY),
    row("GET", "/api/clinician/caseload", CLINICIAN_ONLY),
    row(
        "GET",
        "/api/clinician/patients/{patient_id}/summary",
        LINKED_CLINICIAN,
    ),
    // appointments: a clinician's own availability; a linked patient's view of the
    // clinician's slots and booking; each appointment's patient and (while linked
    // with sharing) clinician; attendance and the video link the clinician's only.
    row("GET", "/api/me/availability", CLINICIAN_ONLY),
    row("PUT", "/api/me/availability", CLINICIAN_ONLY),
    row(
        "GET",
        "/api/clinicians/{clinician_id}/slots",
        LINKED_PATIENT,
    ),
    row(
        "POST",
        "/api/clinicians/{clinician_id}/appointments",
        LINKED_PATIENT,
    ),
    row("GET", "/api/appointments", PATIENT_OR_CLINICIAN),
    row("GET", "/api/appointments/{appointment_id}", SELF_OR_LINKED),
    row(
        "POST",
        "/api/appointments/{appointment_id}/cancel",
        SELF_OR_LINKED,
    ),
    row(
        "POST",
        "/api/appointments/{appointment_id}/reschedule",
        SELF_OR_LINKED,
    ),
    row(
        "POST",
        "/api/appointments/{appointment_id}/attendance",
        LINKED_CLINICIAN,
    ),
    row(
        "PUT",
        "/api/appointments/{appointment_id}/video-link",
        LINKED_CLINICIAN,
    ),
    row("POST", "/api/me/calendar-feed", PATIENT_OR_CLINICIAN),
    row("DELETE", "/api/me/calendar-feed", PATIENT_OR_CLINICIAN),
    // The feed is public by its secret token; an unknown one is 404 for everyone.
    row("GET", "/api/calendar/{token}", [Status(404); 6]),
    row("GET", "/api/alerts", STAFF),
    row("GET", "/api/alerts/{alert_id}", ALERT_RESPONDER),
    row(
        "POST",
        "/api/alerts/{alert_id}/acknowledge",
        ALERT_RESPONDER,
    ),
    row("POST", "/api/alerts/{alert_id}/resolve", ALERT_RESPONDER),
];

/// Query variants of a route whose answer depends on the query: each must
/// hold for every caller too. The route itself (path before `?`) must exist.
const QUERY_VARIANTS: &[Row] = &[
    // Every signed-in caller downloads their own record, in either format.
    row(
        "GET",
        "/api/security/export-data?format=fhir",
        [
            ANON, OWN_EXPORT, OWN_EXPORT, OWN_EXPORT, OWN_EXPORT, OWN_EXPORT,
        ],
    ),
    row(
        "GET",
        "/api/security/export-data?format=json",
        [
            ANON, OWN_EXPORT, OWN_EXPORT, OWN_EXPORT, OWN_EXPORT, OWN_EXPORT,
        ],
    ),
    // A search reaches only the caller's own caseload (see tests/it/clinician.rs).
    row("GET", "/api/clinician/caseload?query=pat", CLINICIAN_ONLY),
];

/// A caller's own export: always 200.
const OWN_EXPORT: Expect = Status(200);

#[test]
fn every_query_variant_is_of_a_registered_route() {
    let table = healing_server::route_table();
    for variant in QUERY_VARIANTS {
        let (path, query) = variant.path.split_once('?').expect("a query");
        assert!(!query.is_empty(), "{}", variant.path);
        assert!(
            table
                .iter()
                .any(|route| route.method == variant.method && route.path == path),
            "no route for variant {} {}",
            variant.method,
            variant.path
        );
    }
}

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let table = healing_server::route_table();
    let missing: Vec<String> = table
        .iter()
        .filter(|route| {
            !MATRIX
                .iter()
                .any(|row| row.method == route.method && row.path == route.path)
        })
        .map(|route| format!("{} {} ({:?})", route.method, route.path, route.policy))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an access-matrix row: {missing:#?}"
    );
    let stale: Vec<String> = MATRIX
        .iter()
        .filter(|row| {
            !table
                .iter()
                .any(|route| row.method == route.method && row.path == route.path)
        })
        .map(|row| format!("{} {}", row.method, row.path))
        .collect();
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:#?}"
    );
}

struct World {
    patient: Session,
    other_patient: Session,
    linked: Session,
    unlinked: Session,
    admin: Session,
    link_id: String,
    alert_id: String,
    thread_id: String,
    notification_id: String,
    appointment_id: String,
    channel_id: String,
    post_id: String,
    member_id: String,
}

async fn world(app: &TestApp) -> World {
    app.register_patient("pat").await;
    app.register_patient("otto").await;
    app.create_staff("linked.doc", Role::Clinician).await;
    app.create_staff("other.doc", Role::Clinician).await;
    app.create_staff("third.doc", Role::Clinician).await;
    app.create_staff("admin", Role::Admin).await;
    let patient = app.login("pat").await;
    let linked = app.login("linked.doc").await;
    let third = app.login("third.doc").await;
    // The linked clinician's link is accepted; a third clinician's request
    // stays pending and is the one the link routes act on.
    app.accept_link("pat", &patient, &linked).await;
    let granted = app.consent(&patient, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    let pending = app
        .post(
            "/api/links",
            json!({ "patient_username": "pat" }),
            Some(&third),
        )
        .await;
    // A risky note raises the alert the alert routes act on.
    let note = app
        .post(
            &format!("/api/patients/{}/moods", patient.user_id.as_str()),
            json!({ "mood": 2, "note": "I want to kill myself" }),
            Some(&patient),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.text);
    let alerts = app.get("/api/alerts", Some(&linked)).await;
    let alert_id = alerts.json["data"][0]["id"]
        .as_str()
        .expect("an alert")
        .to_owned();
    // The patient's conversation with their linked clinician.
    let sent = app
        .post(
            "/api/messages",
            json!({ "to": linked.user_id.as_str(), "body": "see you on Thursday" }),
            Some(&patient),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
    let thread_id = sent.json["data"]["thread_id"].as_str().unwrap().to_owned();
    // The clinician's answer notifies the patient: the notification routes act on it.
    let answered = app
        .post(
            &format!("/api/messages/threads/{thread_id}"),
            json!({ "body": "Thursday it is" }),
            Some(&linked),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.text);
    let notifications = app.get("/api/notifications", Some(&patient)).await;
    let notification_id = notifications.json["data"]["notifications"][0]["id"]
        .as_str()
        .expect("a notification")
        .to_owned();
    // An appointment of the patient with their linked clinician.
    let appointment_id = crate::appointments::book_first_slot(app, &patient, &linked).await;
    // A community channel, and a post of the patient's that screening holds.
    let admin = app.login("admin").await;
    let channel = app
        .post(
            "/api/community/channels",
            json!({ "name": "Sleep" }),
            Some(&admin),
        )
        .await;
    assert_eq!(channel.status, StatusCode::CREATED, "{}", channel.text);
    let channel_id = channel.json["data"]["id"].as_str().unwrap().to_owned();
    let member = app
        .call(
            Method::PUT,
            "/api/community/me",
            Some(json!({ "pseudonym": "Quiet Fox" })),
            Some(&patient),
        )
        .await;
    assert_eq!(member.status, StatusCode::OK, "{}", member.text);
    let held = app
        .post(
            &format!("/api/community/channels/{channel_id}/posts"),
            json!({ "body": "I've saved up my pills and I'm taking them tonight" }),
            Some(&patient),
        )
        .await;
    assert_eq!(held.json["data"]["held"], true, "{}", held.text);
    World {
        appointment_id,
        channel_id,
        post_id: held.json["data"]["item"]["id"].as_str().unwrap().to_owned(),
        member_id: member.json["data"]["member_id"]
            .as_str()
            .unwrap()
            .to_owned(),
        alert_id,
        thread_id,
        notification_id,
        other_patient: app.login("otto").await,
        unlinked: app.login("other.doc").await,
        admin,
        link_id: pending.json["data"]["id"].as_str().unwrap().to_owned(),
        patient,
        linked,
    }
}

async fn access_matrix_holds_for_every_route_and_caller(backend: Backend) {
    let app = TestApp::new(backend).await;
    let world = world(&app).await;
    let other_user = world.other_patient.user_id.as_str().to_owned();
    let usernames = [
        None,
        Some("pat"),
        Some("otto"),
        Some("linked.doc"),
        Some("other.doc"),
        Some("admin"),
    ];
    let mut sessions = [
        None,
        Some(world.patient.clone()),
        Some(world.other_patient.clone()),
        Some(world.linked.clone()),
        Some(world.unlinked.clone()),
        Some(world.admin.clone()),
    ];
    let mut failures = Vec::new();
    let table = healing_server::route_table();
    let rows = table
        .iter()
        .map(|route| {
            MATRIX
                .iter()
                .find(|row| row.method == route.method && row.path == route.path)
                .expect("row (see other test)")
        })
        .chain(QUERY_VARIANTS);
    for row in rows {
        let path = row
            .path
            .replace("{patient_id}", world.patient.user_id.as_str())
            .replace("{link_id}", &world.link_id)
            .replace("{user_id}", &other_user)
            .replace("{*path}", "mood")
            .replace("{alert_id}", &world.alert_id)
            .replace("{thread_id}", &world.thread_id)
            .replace("{notification_id}", &world.notification_id)
            .replace("{appointment_id}", &world.appointment_id)
            .replace("{clinician_id}", world.linked.user_id.as_str())
            .replace("{token}", "no-such-token")
            .replace("{course_id}", "no-such-course")
            .replace("{note_id}", "no-such-note")
            .replace("{proposal_id}", "no-such-proposal")
            .replace("{tool_id}", "gratitude")
            .replace("{plugin_id}", "no-such-plugin")
            .replace("{channel_id}", &world.channel_id)
            .replace("{post_id}", &world.post_id)
            .replace("{member_id}", &world.member_id);
        for index in 0..sessions.len() {
            let caller = sessions[index].clone();
            let method = Method::from_bytes(row.method.as_bytes()).unwrap();
            // An empty object: enough to pass the policy, never enough to change data.
            let body = (method != Method::GET).then(|| json!({}));
            let response = app.call(method, &path, body, caller.as_ref()).await;
            // Logout-everywhere also ends the caller's other sessions: sign in again.
            if row.ends_session
                && let Some(username) = usernames[index]
            {
                sessions[index] = Some(app.login(username).await);
            }
            let status = response.status.as_u16();
            let ok = match row.expect[index] {
                Allow => status != 401 && status != 403 && status < 500,
                Status(expected) => status == expected,
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {:?}: expected {:?}, got {status} {}",
                    row.method, row.path, usernames[index], row.expect[index], response.text
                ));
            }
        }
    }
    // The same linked clinician once the patient has withdrawn clinician_sharing:
    // every patient-data read they had is refused; everything else is unchanged.
    let patient = sessions[1].clone().expect("the patient's current session");
    let withdrawn = app.consent(&patient, "clinician_sharing", "withdraw").await;
    assert_eq!(withdrawn.status, StatusCode::CREATED, "{}", withdrawn.text);
    let mut caller = app.login("linked.doc").await;
    let rows = table
        .iter()
        .map(|route| {
            MATRIX
                .iter()
                .find(|row| row.method == route.method && row.path == route.path)
                .expect("row (see other test)")
        })
        .chain(QUERY_VARIANTS);
    for row in rows {
        let path = row
            .path
            .replace("{patient_id}", world.patient.user_id.as_str())
            .replace("{link_id}", &world.link_id)
            .replace("{user_id}", &other_user)
            .replace("{thread_id}", &world.thread_id)
            .replace("{notification_id}", &world.notification_id)
            .replace("{appointment_id}", &world.appointment_id)
            .replace("{clinician_id}", world.linked.user_id.as_str())
            .replace("{token}", "no-such-token")
            .replace("{course_id}", "no-such-course")
            .replace("{note_id}", "no-such-note")
            .replace("{proposal_id}", "no-such-proposal")
            .replace("{tool_id}", "gratitude")
            .replace("{plugin_id}", "no-such-plugin")
            .replace("{channel_id}", &world.channel_id)
            .replace("{post_id}", &world.post_id)
            .replace("{member_id}", &world.member_id);
        let expected = linked_with_consent_withdrawn(row);
        let method = Method::from_bytes(row.method.as_bytes()).unwrap();
        let body = (method != Method::GET).then(|| json!({}));
        let status = app
            .call(method, &path, body, Some(&caller))
            .await
            .status
            .as_u16();
        if row.ends_session {
            caller = app.login("linked.doc").await;
        }
        let ok = match expected {
            Allow => status != 401 && status != 403 && status < 500,
            Status(expected) => status == expected,
        };
        if !ok {
            failures.push(format!(
                "{} {} as linked.doc after consent withdrawn: expected {expected:?}, got {status}",
                row.method, row.path
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix violations:\n{}",
        failures.join("\n")
    );
}

/// The rows for "linked clinician, consent withdrawn": the linked clinician's
/// answer, except that the patient-data reads a link opens are refused.
fn linked_with_consent_withdrawn(row: &Row) -> Expect {
    if row.expect == SELF_OR_LINKED || row.expect == LINKED_CLINICIAN {
        DENY
    } else {
        row.expect[3]
    }
}

async fn admin_reads_patient_data_only_with_an_audited_break_glass_reason(backend: Backend) {
    let app = TestApp::new(backend).await;
    let patient = app.register_patient("pat").await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    let path = format!("/api/patients/{}/moods", patient.as_str());
    assert_eq!(
        app.get(&path, Some(&admin)).await.status,
        StatusCode::FORBIDDEN
    );
    let request = axum::http::Request::get(&path)
        .header("cookie", format!("healing_session={}", admin.cookie))
        .header(
            "x-break-glass-reason",
            "patient at risk, clinician unreachable overnight",
        )
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::OK);
    let entries = app
        .state
        .store()
        .audit_entries(healing_store::AuditQuery {
            subject_patient_id: Some(patient),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        entries
            .iter()
            .any(|entry| entry.action.as_str() == "break_glass"),
        "{entries:?}"
    );
}

async fn clinician_loses_access_when_the_patient_ends_the_link(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    app.create_staff("doc", Role::Clinician).await;
    let patient = app.login("pat").await;
    let doc = app.login("doc").await;
    let link = app
        .post(
            "/api/links",
            json!({ "patient_username": "pat" }),
            Some(&doc),
        )
        .await;
    let link_id = link.json["data"]["id"].as_str().unwrap().to_owned();
    let moods = format!("/api/patients/{}/moods", patient.user_id.as_str());
    assert_eq!(
        app.get(&moods, Some(&doc)).await.status,
        StatusCode::FORBIDDEN,
        "requested is not accepted"
    );
    app.post(
        &format!(
            "/api/patients/{}/links/{link_id}/accept",
            patient.user_id.as_str()
        ),
        json!({}),
        Some(&patient),
    )
    .await;
    app.consent(&patient, "clinician_sharing", "grant").await;
    assert_eq!(app.get(&moods, Some(&doc)).await.status, StatusCode::OK);
    app.post(
        &format!(
            "/api/patients/{}/links/{link_id}/end",
            patient.user_id.as_str()
        ),
        json!({}),
        Some(&patient),
    )
    .await;
    assert_eq!(
        app.get(&moods, Some(&doc)).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn staff_without_two_factor_can_only_enrol(backend: Backend) {
    let app = TestApp::new(backend).await;
    let hash = healing_server::auth::password::hash_password(crate::support::PASSWORD).unwrap();
    app.create_user_with_hash(
        "newdoc",
        Role::Clinician,
        &hash,
        healing_store::PasswordScheme::Argon2id,
    )
    .await;
    let response = app
        .post(
            "/api/auth/login",
            json!({ "username": "newdoc", "password": crate::support::PASSWORD }),
            None,
        )
        .await;
    assert_eq!(response.json["data"]["two_factor_setup_required"], true);
    let session = crate::support::session_from(&response);
    let links = app.get("/api/links", Some(&session)).await;
    assert_eq!(
        (links.status, links.json["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("TWO_FACTOR_REQUIRED"))
    );
    let setup = app
        .post("/api/auth/2fa/setup", json!({}), Some(&session))
        .await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.text);
    let secret =
        healing_server::auth::totp::base32_decode(setup.json["data"]["secret"].as_str().unwrap())
            .unwrap();
    let code = healing_server::auth::totp::code_at(&secret, app.state.now().unix_seconds());
    let confirm = app
        .post(
            "/api/auth/2fa/confirm",
            json!({ "code": code }),
            Some(&session),
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.text);
    assert_eq!(
        confirm.json["data"]["recovery_codes"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    let rotated = confirm
        .session_cookie()
        .expect("new session id after enrolment");
    assert_ne!(rotated, session.cookie);
    let session = crate::support::Session {
        cookie: rotated,
        csrf: confirm.json["data"]["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned(),
        user_id: session.user_id,
    };
    assert_eq!(
        app.get("/api/links", Some(&session)).await.status,
        StatusCode::OK
    );
}

/// The `access_denied` entries of the audit log, as (actor, detail).
async fn denials(app: &TestApp) -> Vec<(Option<String>, serde_json::Value)> {
    app.state
        .store()
        .audit_entries(healing_store::AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action.as_str() == "access_denied")
        .map(|entry| {
            (
                entry.actor_id.map(|id| id.as_str().to_owned()),
                serde_json::from_str(&entry.detail).unwrap(),
            )
        })
        .collect()
}

/// A patient probing another patient's record is refused and leaves an
/// audit entry naming them, the route template and why; so does a request
/// refused by the CSRF check. Neither entry holds the request body.
/// See: issue 21.
async fn refused_requests_are_audited_with_who_which_route_and_why(backend: Backend) {
    let app = TestApp::new(backend).await;
    let ann = app.register_patient("ann").await;
    let bea = app.register_patient("bea").await;
    let session = app.login("ann").await;
    assert!(denials(&app).await.is_empty());

    let probe = app
        .get(
            &format!("/api/patients/{}/moods", bea.as_str()),
            Some(&session),
        )
        .await;
    assert_eq!(probe.status, StatusCode::FORBIDDEN, "{}", probe.text);
    let found = denials(&app).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0.as_deref(), Some(ann.as_str()));
    assert_eq!(
        found[0].1,
        json!({
            "method": "GET",
            "route": "/api/patients/{patient_id}/moods",
            "reason": "FORBIDDEN under policy patient_self_or_linked_clinician",
        })
    );

    let mut forged = session.clone();
    forged.csrf = "not-the-token".to_owned();
    let secret_note = "a note that must never reach the audit log";
    let refused = app
        .post(
            &format!("/api/patients/{}/moods", ann.as_str()),
            json!({ "mood": 5, "note": secret_note }),
            Some(&forged),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let found = denials(&app).await;
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].0.as_deref(), Some(ann.as_str()));
    assert_eq!(found[1].1["route"], "/api/patients/{patient_id}/moods");
    assert_eq!(found[1].1["method"], "POST");
    assert!(
        found[1].1["reason"]
            .as_str()
            .unwrap()
            .starts_with("CSRF_FAILED"),
        "{found:?}"
    );
    assert!(!found[1].1.to_string().contains("never reach"), "{found:?}");
}

crate::both_backends!(
    refused_requests_are_audited_with_who_which_route_and_why,
    access_matrix_holds_for_every_route_and_caller,
    admin_reads_patient_data_only_with_an_audited_break_glass_reason,
    clinician_loses_access_when_the_patient_ends_the_link,
    staff_without_two_factor_can_only_enrol,
);
