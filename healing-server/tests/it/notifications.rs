//! Notifications and preferences through HTTP on SQLite and PostgreSQL: a
//! message notifies the other member and never the sender, a new alert notifies
//! the linked clinician (or, without one, the admins), marking read, preferences
//! checked and kept, and a notification email (only with the patient's
//! `email_notifications` consent) sent once across a worker restart through a
//! real SMTP listener on loopback; appointment changes notify the other side, an
//! in-app reminder comes at the patient's chosen lead time (its email only with
//! their consent), and a reply the post's author can see notifies them, also when
//! a moderator approves a held one.

use axum::http::{Method, StatusCode};
use healing_core::timestamp::Timestamp;
use healing_server::notification_email::run_once;
use healing_store::Role;
use healing_store::prelude::*;
use serde_json::{Value, json};

use crate::appointments::{book, every_day, slots};
use crate::community::{RISKY, comment, id_of, name, post, world};
use crate::support::{Backend, Session, TestApp, TestResponse, smtp_mailer, start_smtp};

/// Words that must never reach a notification or an email.
const MARKER: &str = "NOTIFY-MARKER-7c2e";

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

async fn notifications(app: &TestApp, session: &Session) -> Value {
    let listed = app.get("/api/notifications", Some(session)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    assert!(!listed.text.contains(MARKER), "{}", listed.text);
    listed.json["data"].clone()
}

async fn write(app: &TestApp, from: &Session, thread_id: &str, body: &str) {
    let sent = app
        .post(
            &format!("/api/messages/threads/{thread_id}"),
            json!({ "body": body }),
            Some(from),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
}

async fn start(app: &TestApp, from: &Session, to: &Session, body: &str) -> String {
    let sent = app
        .post(
            "/api/messages",
            json!({ "to": to.user_id.as_str(), "body": body }),
            Some(from),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text);
    sent.json["data"]["thread_id"].as_str().unwrap().to_owned()
}

async fn a_message_notifies_the_other_member_and_not_the_sender(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    let thread_id = start(&app, &pat, &doc, &format!("Can we talk? {MARKER}")).await;

    let theirs = notifications(&app, &doc).await;
    assert_eq!(
        (theirs["unread"].as_u64(), theirs["total"].as_u64()),
        (Some(1), Some(1))
    );
    let first = &theirs["notifications"][0];
    assert_eq!(first["kind"], "message");
    assert_eq!(first["subject_id"], thread_id.as_str());
    assert_eq!(first["link"], format!("/messages/{thread_id}"));
    assert!(first["read_at"].is_null());
    let mine = notifications(&app, &pat).await;
    assert_eq!(
        (mine["unread"].as_u64(), mine["total"].as_u64()),
        (Some(0), Some(0))
    );

    // A second message joins the unread notification and moves it to now.
    app.state.clock().advance(60);
    write(&app, &pat, &thread_id, "And one more thing").await;
    let theirs = notifications(&app, &doc).await;
    assert_eq!(
        (theirs["unread"].as_u64(), theirs["total"].as_u64()),
        (Some(1), Some(1))
    );
    assert_ne!(
        theirs["notifications"][0]["created_at"],
        first["created_at"]
    );

    // Nobody else marks it read; its recipient does, and it stays read.
    let id = first["id"].as_str().unwrap().to_owned();
    let path = format!("/api/notifications/{id}/read");
    let refused = app.post(&path, json!({}), Some(&pat)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let missing = app
        .post(
            "/api/notifications/no-such-notification/read",
            json!({}),
            Some(&doc),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text);
    let read = app.post(&path, json!({}), Some(&doc)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    let read_at = read.json["data"]["read_at"].clone();
    assert!(read_at.is_string(), "{}", read.text);
    app.state.clock().advance(60);
    let again = app.post(&path, json!({}), Some(&doc)).await;
    assert_eq!(
        again.json["data"]["read_at"], read_at,
        "the first reading is kept"
    );
    assert_eq!(notifications(&app, &doc).await["unread"], 0);

    // After reading, a new message is a new notification; the other way round too.
    write(&app, &pat, &thread_id, "Thanks").await;
    write(&app, &doc, &thread_id, "You're welcome").await;
    let theirs = notifications(&app, &doc).await;
    assert_eq!(
        (theirs["unread"].as_u64(), theirs["total"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(notifications(&app, &pat).await["unread"], 1);

    // Paged newest first; mark all read clears only the caller's.
    let page = app
        .get("/api/notifications?limit=1&offset=1", Some(&doc))
        .await;
    assert_eq!(
        page.json["data"]["notifications"].as_array().unwrap().len(),
        1
    );
    assert_eq!(page.json["data"]["notifications"][0]["id"], id.as_str());
    let all = app
        .post("/api/notifications/read-all", json!({}), Some(&doc))
        .await;
    assert_eq!(all.json["data"]["marked"], 1, "{}", all.text);
    assert_eq!(notifications(&app, &doc).await["unread"], 0);
    assert_eq!(notifications(&app, &pat).await["unread"], 1);

    // Reading the conversation to its end reads its notification too.
    let read = app
        .post(
            &format!("/api/messages/threads/{thread_id}/read"),
            json!({}),
            Some(&pat),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(notifications(&app, &pat).await["unread"], 0);
    assert!(!app.db.holds_text(MARKER).await, "sealed at rest");
}

async fn risky_note(app: &TestApp, patient: &Session) {
    let note = app
        .post(
            &format!("/api/patients/{}/moods", patient.user_id.as_str()),
            json!({ "mood": 2, "note": format!("I want to kill myself {MARKER}") }),
            Some(patient),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.text);
}

async fn a_new_alert_notifies_the_linked_clinician_or_the_admins(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    risky_note(&app, &pat).await;
    let alerts = app.get("/api/alerts", Some(&doc)).await;
    let alert_id = alerts.json["data"][0]["id"].as_str().unwrap().to_owned();
    let theirs = notifications(&app, &doc).await;
    assert_eq!(theirs["total"], 1);
    assert_eq!(theirs["notifications"][0]["kind"], "alert");
    assert_eq!(theirs["notifications"][0]["subject_id"], alert_id.as_str());
    assert_eq!(
        theirs["notifications"][0]["link"],
        format!("/alerts/{alert_id}")
    );
    // The patient is not told of alerts about them; nor is the admin while a
    // clinician has it.
    assert_eq!(notifications(&app, &pat).await["total"], 0);
    assert_eq!(notifications(&app, &admin).await["total"], 0);

    // A patient with no linked clinician: the duty contact's role hears of it.
    app.register_patient("solo").await;
    let solo = app.login("solo").await;
    risky_note(&app, &solo).await;
    let admins = notifications(&app, &admin).await;
    assert_eq!(admins["total"], 1);
    assert_eq!(admins["notifications"][0]["kind"], "alert");
    let opened = app
        .get(
            &format!(
                "/api/alerts/{}",
                admins["notifications"][0]["subject_id"].as_str().unwrap()
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(
        opened.status,
        StatusCode::OK,
        "the link opens for them: {}",
        opened.text
    );
    assert_eq!(notifications(&app, &doc).await["total"], 1);
}

async fn put(app: &TestApp, session: &Session, body: Value) -> TestResponse {
    app.call(
        Method::PUT,
        "/api/me/preferences",
        Some(body),
        Some(session),
    )
    .await
}

async fn preferences_are_checked_and_kept(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let pat = app.login("pat").await;
    let defaults = app.get("/api/me/preferences", Some(&pat)).await;
    assert_eq!(defaults.status, StatusCode::OK, "{}", defaults.text);
    let data = &defaults.json["data"];
    assert_eq!(data["theme"], "system");
    assert_eq!(data["language"], "en-GB");
    assert_eq!(
        data["email"],
        json!(["appointment_changed", "appointment_reminder"])
    );
    assert_eq!(data["reminder_lead_hours"], 24);
    assert_eq!(
        data["choices"]["email"],
        json!([
            "message",
            "appointment_changed",
            "appointment_reminder",
            "post_reply"
        ])
    );

    let wanted = json!({
        "theme": "dark",
        "language": "en-GB",
        "email": ["post_reply", "message", "message"],
        "reminder_lead_hours": 2,
    });
    let saved = put(&app, &pat, wanted).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    let shown = app.get("/api/me/preferences", Some(&pat)).await;
    assert_eq!(shown.json["data"]["theme"], "dark");
    assert_eq!(
        shown.json["data"]["email"],
        json!(["message", "post_reply"])
    );
    assert_eq!(shown.json["data"]["reminder_lead_hours"], 2);

    let valid =
        json!({ "theme": "light", "language": "en-GB", "email": [], "reminder_lead_hours": 24 });
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body
    };
    for (body, code, names) in [
        (with("theme", json!("sepia")), "INVALID_PREFERENCE", "theme"),
        (
            with("language", json!("fr-FR")),
            "INVALID_PREFERENCE",
            "language",
        ),
        (
            with("email", json!(["pigeon"])),
            "INVALID_PREFERENCE",
            "email",
        ),
        (
            with("email", json!(["alert"])),
            "INVALID_PREFERENCE",
            "email",
        ),
        (
            with("email", json!(["x".repeat(5000)])),
            "INVALID_PREFERENCE",
            "email",
        ),
        (
            with("reminder_lead_hours", json!(0)),
            "INVALID_PREFERENCE",
            "reminder_lead_hours",
        ),
        (
            with("reminder_lead_hours", json!(169)),
            "INVALID_PREFERENCE",
            "reminder_lead_hours",
        ),
        (
            with("reminder_lead_hours", json!(1_i64 << 40)),
            "INVALID_PREFERENCE",
            "reminder_lead_hours",
        ),
        (
            with("reminder_lead_hours", json!("soon")),
            "INVALID_BODY",
            "reminder_lead_hours",
        ),
        (with("colour", json!("red")), "INVALID_BODY", "colour"),
        (json!({ "theme": "light" }), "INVALID_BODY", "language"),
    ] {
        let refused = put(&app, &pat, body.clone()).await;
        assert_eq!(
            (refused.status, refused.json["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{body}: {}",
            refused.text
        );
        assert!(
            refused.json["error"].as_str().unwrap().contains(names),
            "{}",
            refused.text
        );
        assert!(
            refused.text.len() < 400,
            "the answer does not echo long input"
        );
    }
    let unchanged = app.get("/api/me/preferences", Some(&pat)).await;
    assert_eq!(
        unchanged.json["data"], shown.json["data"],
        "nothing refused was stored"
    );
}

async fn a_notification_email_is_sent_once_across_a_worker_restart(backend: Backend) {
    let (sink, port) = start_smtp();
    let app = TestApp::with_mailer(backend, smtp_mailer(port)).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    let chosen = put(
        &app,
        &pat,
        json!({ "theme": "system", "language": "en-GB", "email": ["message"], "reminder_lead_hours": 24 }),
    )
    .await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text);
    // Without the patient's email_notifications consent, nothing is queued.
    let thread_id = start(&app, &doc, &pat, &format!("Your letter is ready {MARKER}")).await;
    let none = app
        .state
        .store()
        .claim_due_notification_emails(app.state.now(), 1, 10)
        .await
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
    let read = app
        .post("/api/notifications/read-all", json!({}), Some(&pat))
        .await;
    assert_eq!(read.json["data"]["marked"], 1, "{}", read.text);
    let granted = app.consent(&pat, "email_notifications", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    write(
        &app,
        &doc,
        &thread_id,
        &format!("It is in the post {MARKER}"),
    )
    .await;
    // The clinician keeps the defaults: the patient's answer is not emailed to them.
    write(&app, &pat, &thread_id, &format!("Thank you {MARKER}")).await;

    // A worker claims the email and dies before recording anything.
    let claimed = app
        .state
        .store()
        .claim_due_notification_emails(app.state.now(), app.state.alerting().lease_seconds(), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1, "one email, to the patient");
    assert_eq!(claimed[0].to, "pat@example.test");
    // While its claim lasts, no other pass sends it.
    assert_eq!(run_once(&app.state).await.unwrap(), 0);

    // After restart (another process), once the claim has lapsed, it goes once.
    let restarted = app.second_instance_with(smtp_mailer(port)).await;
    restarted.state.clock().advance(3600);
    assert_eq!(run_once(&restarted.state).await.unwrap(), 1);
    assert_eq!(run_once(&restarted.state).await.unwrap(), 0);
    restarted.state.clock().advance(3600);
    assert_eq!(run_once(&restarted.state).await.unwrap(), 0);
    assert_eq!(run_once(&app.state).await.unwrap(), 0);

    let received = sink.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "{received:?}");
    let email = &received[0];
    assert!(email.contains("To: pat@example.test"), "{email}");
    assert!(
        email.contains("You have a new message in Healing"),
        "{email}"
    );
    assert!(email.contains("/notifications"), "{email}");
    for leaked in [MARKER, "Your letter", "in the post", "Thank you"] {
        assert!(
            !email.contains(leaked),
            "the email carries {leaked:?}: {email}"
        );
    }
}

/// The caller's unread notifications as (kind, subject) pairs, newest first.
async fn unread(app: &TestApp, session: &Session) -> Vec<(String, String)> {
    let listed = notifications(app, session).await;
    listed["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|notification| notification["read_at"].is_null())
        .map(|notification| {
            (
                notification["kind"].as_str().unwrap().to_owned(),
                notification["subject_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Open slots of the clinician more than `days` ahead, earliest first.
async fn slots_after(app: &TestApp, pat: &Session, doc: &Session, days: i64) -> Vec<String> {
    slots(app, pat, doc, "?days=10")
        .await
        .iter()
        .map(|slot| slot["starts_at"].as_str().unwrap().to_owned())
        .filter(|starts| {
            Timestamp::parse_rfc3339(starts)
                .unwrap()
                .seconds_since(app.state.now())
                > days * 86_400
        })
        .collect()
}

fn pair(kind: &str, subject: &str) -> (String, String) {
    (kind.to_owned(), subject.to_owned())
}

async fn booking_moving_cancelling_and_a_video_link_notify_the_other_side(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    every_day(&app, &doc).await;
    let far = slots_after(&app, &pat, &doc, 2).await;
    let booked = book(&app, &pat, &doc, &far[0]).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text);
    let id = booked.json["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(unread(&app, &doc).await, [pair("appointment_changed", &id)]);
    assert!(
        unread(&app, &pat).await.is_empty(),
        "not the one who booked"
    );
    let listed = notifications(&app, &doc).await;
    assert_eq!(
        listed["notifications"][0]["link"],
        format!("/appointments/{id}")
    );

    let video = app
        .call(
            Method::PUT,
            &format!("/api/appointments/{id}/video-link"),
            Some(json!({ "url": "https://video.example.test/r" })),
            Some(&doc),
        )
        .await;
    assert_eq!(video.status, StatusCode::OK, "{}", video.text);
    assert_eq!(unread(&app, &pat).await, [pair("appointment_changed", &id)]);

    // A move is about the new booking.
    app.post("/api/notifications/read-all", json!({}), Some(&doc))
        .await;
    let moved = app
        .post(
            &format!("/api/appointments/{id}/reschedule"),
            json!({ "starts_at": far[1] }),
            Some(&pat),
        )
        .await;
    assert_eq!(moved.status, StatusCode::CREATED, "{}", moved.text);
    let new_id = moved.json["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        unread(&app, &doc).await,
        [pair("appointment_changed", &new_id)]
    );

    app.post("/api/notifications/read-all", json!({}), Some(&pat))
        .await;
    let cancelled = app
        .post(
            &format!("/api/appointments/{new_id}/cancel"),
            json!({}),
            Some(&doc),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);
    assert_eq!(
        unread(&app, &pat).await,
        [pair("appointment_changed", &new_id)]
    );
    assert_eq!(
        unread(&app, &doc).await.len(),
        1,
        "not the one who cancelled"
    );
}

async fn a_reminder_comes_at_the_chosen_lead_in_the_app_and_by_email_only_with_consent(
    backend: Backend,
) {
    let (sink, port) = start_smtp();
    let app = TestApp::with_mailer(backend, smtp_mailer(port)).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    let chosen = put(
        &app,
        &pat,
        json!({ "theme": "system", "language": "en-GB",
                "email": ["appointment_reminder"], "reminder_lead_hours": 48 }),
    )
    .await;
    assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.text);
    every_day(&app, &doc).await;
    let far = slots_after(&app, &pat, &doc, 4).await;
    let booked = book(&app, &pat, &doc, &far[0]).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text);
    let id = booked.json["data"]["id"].as_str().unwrap().to_owned();
    let run = healing_server::appointments::reminders::run_once;

    // Nothing a minute before the patient's 48 hours; then the in-app reminder,
    // and no email: the patient has not consented to email.
    let starts = Timestamp::parse_rfc3339(&far[0]).unwrap();
    app.state
        .clock()
        .advance(starts.seconds_since(app.state.now()) - 48 * 3600 - 60);
    assert_eq!(run(&app.state).await.unwrap(), 0);
    app.state.clock().advance(60);
    assert_eq!(run(&app.state).await.unwrap(), 1, "in-app only");
    assert_eq!(run(&app.state).await.unwrap(), 0, "never twice");
    // Days have passed on the test clock: the session has expired.
    let pat = app.login("pat").await;
    assert_eq!(
        unread(&app, &pat).await,
        [pair("appointment_reminder", &id)]
    );
    assert!(sink.received.lock().unwrap().is_empty(), "no email");
    let listed = notifications(&app, &pat).await;
    assert_eq!(
        listed["notifications"][0]["link"],
        format!("/appointments/{id}")
    );

    // With consent, the next booking's reminder is also emailed.
    let granted = app.consent(&pat, "email_notifications", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    let later = slots_after(&app, &pat, &doc, 4).await;
    let second = book(&app, &pat, &doc, &later[0]).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    let starts = Timestamp::parse_rfc3339(&later[0]).unwrap();
    app.state
        .clock()
        .advance(starts.seconds_since(app.state.now()) - 48 * 3600);
    assert_eq!(run(&app.state).await.unwrap(), 2, "in-app and email");
    assert_eq!(sink.received.lock().unwrap().len(), 1);
}

async fn a_reply_the_author_can_see_notifies_them(backend: Backend) {
    let app = TestApp::new(backend).await;
    let w = world(&app).await;
    name(&app, &w.pat, "Quiet Fox").await;
    name(&app, &w.otto, "Night Owl").await;
    let written = post(&app, &w.otto, &w.channel_id, "Anyone else up early?").await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.text);
    let post_id = id_of(&written);

    // The author's own comment notifies nobody; another member's does.
    let own = comment(&app, &w.otto, &post_id, "Me, as usual").await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.text);
    assert!(unread(&app, &w.otto).await.is_empty());
    let reply = comment(&app, &w.pat, &post_id, "Yes, with tea").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(unread(&app, &w.otto).await, [pair("post_reply", &post_id)]);
    let listed = notifications(&app, &w.otto).await;
    assert_eq!(
        listed["notifications"][0]["link"],
        format!("/community/posts/{post_id}")
    );

    // A held comment notifies nobody until a moderator approves it.
    app.post("/api/notifications/read-all", json!({}), Some(&w.otto))
        .await;
    let held = comment(&app, &w.pat, &post_id, RISKY).await;
    assert_eq!(held.json["data"]["held"], true, "{}", held.text);
    assert!(unread(&app, &w.otto).await.is_empty(), "held");
    let approved = app
        .post(
            &format!("/api/community/moderation/{}", id_of(&held)),
            json!({ "action": "approve" }),
            Some(&w.admin),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    assert_eq!(unread(&app, &w.otto).await, [pair("post_reply", &post_id)]);
    assert!(
        unread(&app, &w.doc)
            .await
            .iter()
            .all(|(kind, _)| kind != "post_reply")
    );
}

crate::both_backends!(
    a_message_notifies_the_other_member_and_not_the_sender,
    a_new_alert_notifies_the_linked_clinician_or_the_admins,
    preferences_are_checked_and_kept,
    a_notification_email_is_sent_once_across_a_worker_restart,
    booking_moving_cancelling_and_a_video_link_notify_the_other_side,
    a_reminder_comes_at_the_chosen_lead_in_the_app_and_by_email_only_with_consent,
    a_reply_the_author_can_see_notifies_them,
);
