//! Appointments through HTTP on SQLite and PostgreSQL: availability and slots
//! across the next spring clock change, 20 concurrent bookings of one slot,
//! cancelling, moving, attendance and the video link with their typed refusals,
//! the reminder email sent once across a restart (a second instance on the same
//! database after the first died holding the claim), the iCalendar feed read
//! back by a real parser (Python `icalendar`), the appointments still to come
//! cancelled when the link ends or the patient is discharged, and appointments
//! in the GDPR export.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use healing_core::timestamp::Timestamp;
use healing_store::Role;
use healing_store::prelude::*;
use healing_store::schedule::{self, Date};
use serde_json::{Value, json};

use crate::support::{Backend, Session, TestApp, TestResponse, smtp_mailer, start_smtp};

/// A patient and a clinician linked to them, with sharing consent granted.
async fn linked_pair(app: &TestApp, patient: &str, clinician: &str) -> (Session, Session) {
    app.register_patient(patient).await;
    app.create_staff(clinician, Role::Clinician).await;
    let pat = app.login(patient).await;
    let doc = app.login(clinician).await;
    link(app, patient, &pat, &doc).await;
    (pat, doc)
}

async fn link(app: &TestApp, username: &str, patient: &Session, clinician: &Session) {
    app.accept_link(username, patient, clinician).await;
    let granted = app.consent(patient, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
}

async fn put(app: &TestApp, path: &str, body: Value, session: &Session) -> TestResponse {
    app.call(Method::PUT, path, Some(body), Some(session)).await
}

/// Every day of the week at 09:00, 11:00 and 14:00, 50 minutes each.
pub(crate) async fn every_day(app: &TestApp, clinician: &Session) {
    let weekly: Vec<Value> = (1..=7)
        .flat_map(|weekday| {
            ["09:00", "11:00", "14:00"]
                .map(|start| json!({ "weekday": weekday, "start": start, "length_minutes": 50 }))
        })
        .collect();
    let set = put(
        app,
        "/api/me/availability",
        json!({ "weekly": weekly }),
        clinician,
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
}

pub(crate) async fn slots(
    app: &TestApp,
    patient: &Session,
    clinician: &Session,
    query: &str,
) -> Vec<Value> {
    let listed = app
        .get(
            &format!(
                "/api/clinicians/{}/slots{query}",
                clinician.user_id.as_str()
            ),
            Some(patient),
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    listed.json["data"]["slots"].as_array().unwrap().clone()
}

pub(crate) async fn book(
    app: &TestApp,
    patient: &Session,
    clinician: &Session,
    starts_at: &str,
) -> TestResponse {
    app.post(
        &format!(
            "/api/clinicians/{}/appointments",
            clinician.user_id.as_str()
        ),
        json!({ "starts_at": starts_at }),
        Some(patient),
    )
    .await
}

/// Gives the clinician availability every day and books the patient's first open
/// slot with them; returns the appointment's id (the access matrix's fixture).
pub(crate) async fn book_first_slot(
    app: &TestApp,
    patient: &Session,
    clinician: &Session,
) -> String {
    every_day(app, clinician).await;
    let open = slots(app, patient, clinician, "?days=7").await;
    let first = open[0]["starts_at"].as_str().unwrap();
    let booked = book(app, patient, clinician, first).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text);
    booked.json["data"]["id"].as_str().unwrap().to_owned()
}

/// The Sunday of the next spring clock change in the UK (last Sunday of March)
/// at least two weeks away, so the test holds whenever it runs.
fn next_spring_change(now: Timestamp) -> Date {
    let today = schedule::local_date(now).unwrap();
    let last_sunday = |year: i16| {
        let mut day = Date::new(year, 3, 31).unwrap();
        while day.weekday().to_monday_one_offset() != 7 {
            day = day.yesterday().unwrap();
        }
        day
    };
    let this_year = last_sunday(today.year());
    if schedule::add_days(today, 14).unwrap() < this_year {
        this_year
    } else {
        last_sunday(today.year() + 1)
    }
}

fn code(response: &TestResponse) -> (u16, Option<&str>) {
    (response.status.as_u16(), response.json["code"].as_str())
}

async fn slots_and_bookings_keep_local_time_across_the_spring_change(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    let change = next_spring_change(app.state.now());
    let saturday = change.yesterday().unwrap();
    // Saturdays and Mondays at 10:00 local, and Sundays at 01:30 (the skipped hour).
    let set = put(
        &app,
        "/api/me/availability",
        json!({
            "weekly": [
                { "weekday": 6, "start": "10:00", "length_minutes": 50 },
                { "weekday": 1, "start": "10:00", "length_minutes": 50 },
                { "weekday": 7, "start": "01:30", "length_minutes": 50 },
            ],
            "closures": [{ "first_day": saturday.to_string(), "last_day": saturday.to_string() }],
        }),
        &doc,
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(set.json["data"]["zone"], "Europe/London");
    let shown = app.get("/api/me/availability", Some(&doc)).await;
    assert_eq!(
        shown.json["data"]["weekly"][0]["start"], "10:00",
        "{}",
        shown.text
    );

    // The Saturday before is closed; the Sunday has no 01:30; Monday 10:00 BST is 09:00 UTC.
    let open = slots(&app, &pat, &doc, &format!("?from={saturday}&days=3")).await;
    let monday = schedule::add_days(change, 1).unwrap();
    assert_eq!(
        open.iter()
            .map(|slot| slot["starts_at"].as_str().unwrap())
            .collect::<Vec<_>>(),
        [format!("{monday}T09:00:00Z")],
        "{open:?}"
    );
    assert!(
        open[0]["local_start"]
            .as_str()
            .unwrap()
            .ends_with(", 10:00")
    );
    // A week earlier, in GMT, the Saturday's 10:00 is 10:00 UTC.
    let mut week_before = saturday;
    for _ in 0..7 {
        week_before = week_before.yesterday().unwrap();
    }
    let gmt = slots(&app, &pat, &doc, &format!("?from={week_before}&days=1")).await;
    assert_eq!(gmt[0]["starts_at"], format!("{week_before}T10:00:00Z"));

    // Booking: a real slot books (201); a time that is not a slot, or a garbled
    // one, is refused with a typed error; the booked slot leaves the list.
    let booked = book(&app, &pat, &doc, &format!("{monday}T09:00:00Z")).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text);
    assert_eq!(booked.json["data"]["state"], "scheduled");
    assert_eq!(booked.json["data"]["clinician"]["id"], doc.user_id.as_str());
    let not_a_slot = book(&app, &pat, &doc, &format!("{change}T01:30:00Z")).await;
    assert_eq!(
        code(&not_a_slot),
        (422, Some("NOT_AN_OPEN_SLOT")),
        "{}",
        not_a_slot.text
    );
    let garbled = book(&app, &pat, &doc, "next tuesday").await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST, "{}", garbled.text);
    assert!(
        slots(&app, &pat, &doc, &format!("?from={saturday}&days=3"))
            .await
            .is_empty()
    );

    // Bad availability and bad queries are typed client errors.
    for (body, expected) in [
        (
            json!({ "weekly": [{ "weekday": 8, "start": "10:00", "length_minutes": 50 }] }),
            422,
        ),
        (
            json!({ "weekly": [{ "weekday": 1, "start": "25:00", "length_minutes": 50 }] }),
            400,
        ),
        (
            json!({ "weekly": [{ "weekday": 1, "start": "23:30", "length_minutes": 60 }] }),
            422,
        ),
        (
            json!({ "weekly": [], "closures": [{ "first_day": "2027-13-01", "last_day": "2027-12-01" }] }),
            400,
        ),
        (
            json!({ "weekly": [{ "weekday": 1, "start": "10:00", "length_minutes": 70000 }] }),
            400,
        ),
    ] {
        let refused = put(&app, "/api/me/availability", body.clone(), &doc).await;
        assert_eq!(
            refused.status.as_u16(),
            expected,
            "{body}: {}",
            refused.text
        );
    }
    let base = format!("/api/clinicians/{}/slots", doc.user_id.as_str());
    for query in ["?days=0", "?days=32", "?from=tomorrow", "?days=-1"] {
        let refused = app.get(&format!("{base}{query}"), Some(&pat)).await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            refused.text
        );
    }
}

async fn twenty_concurrent_bookings_of_one_slot_give_one_201_and_nineteen_409s(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (first, doc) = linked_pair(&app, "pat0", "doc").await;
    every_day(&app, &doc).await;
    let mut patients = vec![first];
    for index in 1..4 {
        let username = format!("pat{index}");
        app.register_patient(&username).await;
        let session = app.login(&username).await;
        link(&app, &username, &session, &doc).await;
        patients.push(session);
    }
    let open = slots(&app, &patients[0], &doc, "?days=7").await;
    let slot = open[0]["starts_at"].as_str().unwrap().to_owned();

    // Four patients, five requests each, all at once.
    let app = Arc::new(app);
    let mut requests = tokio::task::JoinSet::new();
    for index in 0..20 {
        let app = Arc::clone(&app);
        let patient = patients[index % 4].clone();
        let doc = doc.clone();
        let slot = slot.clone();
        requests.spawn(async move { book(&app, &patient, &doc, &slot).await });
    }
    let mut created = 0;
    let mut taken = 0;
    while let Some(answer) = requests.join_next().await {
        let answer = answer.unwrap();
        match code(&answer) {
            (201, _) => created += 1,
            (409, Some("SLOT_TAKEN")) => taken += 1,
            other => panic!("unexpected answer {other:?}: {}", answer.text),
        }
    }
    assert_eq!((created, taken), (1, 19));
    let stored = app
        .state
        .store()
        .appointments_of(&doc.user_id, healing_store::Page::first(100))
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "one booking in the database: {stored:?}");
    assert!(
        !slots(&app, &patients[1], &doc, "?days=7")
            .await
            .iter()
            .any(|open| open["starts_at"] == slot.as_str())
    );
}

async fn either_side_cancels_and_moves_and_the_clinician_records_the_outcome(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    app.register_patient("otto").await;
    let otto = app.login("otto").await;
    every_day(&app, &doc).await;
    // Slots at least two days ahead, so the patient is outside the notice period.
    let open = slots(&app, &pat, &doc, "?days=10").await;
    let far: Vec<&str> = open
        .iter()
        .map(|slot| slot["starts_at"].as_str().unwrap())
        .filter(|starts| {
            Timestamp::parse_rfc3339(starts)
                .unwrap()
                .seconds_since(app.state.now())
                > 2 * 86_400
        })
        .collect();
    let booked = book(&app, &pat, &doc, far[0]).await;
    let id = booked.json["data"]["id"].as_str().unwrap().to_owned();
    let path = |tail: &str| format!("/api/appointments/{id}{tail}");

    // Another patient cannot book with this clinician or see the appointment.
    assert_eq!(
        book(&app, &otto, &doc, far[1]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&path(""), Some(&otto)).await.status,
        StatusCode::FORBIDDEN
    );
    let mine = app.get("/api/appointments", Some(&otto)).await;
    assert_eq!(mine.json["data"]["appointments"], json!([]));

    // The patient moves it; the old one is cancelled by the patient.
    let moved = app
        .post(
            &path("/reschedule"),
            json!({ "starts_at": far[1] }),
            Some(&pat),
        )
        .await;
    assert_eq!(moved.status, StatusCode::CREATED, "{}", moved.text);
    assert_eq!(moved.json["data"]["rescheduled_from"], id.as_str());
    let old = app.get(&path(""), Some(&doc)).await;
    assert_eq!(old.json["data"]["state"], "cancelled_by_patient");
    let new_id = moved.json["data"]["id"].as_str().unwrap().to_owned();
    let new_path = |tail: &str| format!("/api/appointments/{new_id}{tail}");
    let listed = app.get("/api/appointments", Some(&doc)).await;
    assert_eq!(
        listed.json["data"]["appointments"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The video link: https only, the clinician's only.
    let plain = put(
        &app,
        &new_path("/video-link"),
        json!({ "url": "http://video.example.test/r" }),
        &doc,
    )
    .await;
    assert_eq!(plain.status, StatusCode::BAD_REQUEST, "{}", plain.text);
    let by_patient = put(
        &app,
        &new_path("/video-link"),
        json!({ "url": "https://video.example.test/r" }),
        &pat,
    )
    .await;
    assert_eq!(by_patient.status, StatusCode::FORBIDDEN);
    let set = put(
        &app,
        &new_path("/video-link"),
        json!({ "url": "https://video.example.test/r/1" }),
        &doc,
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(
        app.get(&new_path(""), Some(&pat)).await.json["data"]["video_url"],
        "https://video.example.test/r/1"
    );

    // Attendance only after the start; inside the notice period the patient can no
    // longer cancel, the clinician can.
    let early = app
        .post(
            &new_path("/attendance"),
            json!({ "attended": true }),
            Some(&doc),
        )
        .await;
    assert_eq!(code(&early), (409, Some("NOT_STARTED")), "{}", early.text);
    let starts = Timestamp::parse_rfc3339(far[1]).unwrap();
    app.state
        .clock()
        .advance(starts.seconds_since(app.state.now()) - 3600);
    // Days have passed: sign in again.
    let (pat, doc) = (app.login("pat").await, app.login("doc").await);
    let late = app.post(&new_path("/cancel"), json!({}), Some(&pat)).await;
    assert_eq!(
        code(&late),
        (409, Some("INSIDE_NOTICE_PERIOD")),
        "{}",
        late.text
    );
    app.state.clock().advance(3600 + 60);
    let by_patient = app
        .post(
            &new_path("/attendance"),
            json!({ "attended": true }),
            Some(&pat),
        )
        .await;
    assert_eq!(by_patient.status, StatusCode::FORBIDDEN);
    let attended = app
        .post(
            &new_path("/attendance"),
            json!({ "attended": true }),
            Some(&doc),
        )
        .await;
    assert_eq!(attended.status, StatusCode::OK, "{}", attended.text);
    assert_eq!(attended.json["data"]["state"], "attended");
    let again = app.post(&new_path("/cancel"), json!({}), Some(&doc)).await;
    assert_eq!(code(&again), (409, Some("NOT_SCHEDULED")), "{}", again.text);

    // A clinician cancels a later one at any time.
    let later = slots(&app, &pat, &doc, "?days=5").await;
    let third = book(&app, &pat, &doc, later[0]["starts_at"].as_str().unwrap()).await;
    let third_id = third.json["data"]["id"].as_str().unwrap();
    let cancelled = app
        .post(
            &format!("/api/appointments/{third_id}/cancel"),
            json!({}),
            Some(&doc),
        )
        .await;
    assert_eq!(
        cancelled.json["data"]["state"], "cancelled_by_clinician",
        "{}",
        cancelled.text
    );

    // Once the patient withdraws sharing, they cannot book and the clinician no
    // longer reaches the appointment.
    let withdrawn = app.consent(&pat, "clinician_sharing", "withdraw").await;
    assert_eq!(withdrawn.status, StatusCode::CREATED);
    let refused = book(&app, &pat, &doc, later[1]["starts_at"].as_str().unwrap()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert_eq!(
        app.get(&new_path(""), Some(&doc)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&new_path(""), Some(&pat)).await.status,
        StatusCode::OK
    );
}

async fn a_reminder_email_says_only_when_and_is_sent_once_across_a_restart(backend: Backend) {
    let (sink, port) = start_smtp();
    let app = TestApp::with_mailer(backend, smtp_mailer(port)).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    // A patient is emailed only with this consent (`notifications::emails_in`).
    let granted = app.consent(&pat, "email_notifications", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    every_day(&app, &doc).await;
    let open = slots(&app, &pat, &doc, "?days=10").await;
    let far = open
        .iter()
        .map(|slot| slot["starts_at"].as_str().unwrap())
        .find(|starts| {
            Timestamp::parse_rfc3339(starts)
                .unwrap()
                .seconds_since(app.state.now())
                > 3 * 86_400
        })
        .unwrap()
        .to_owned();
    let booked = book(&app, &pat, &doc, &far).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text);
    let run = healing_server::appointments::reminders::run_once;

    // Not before 24 hours ahead (the default lead).
    assert_eq!(run(&app.state).await.unwrap(), 0);
    let starts = Timestamp::parse_rfc3339(&far).unwrap();
    let to_due = starts.seconds_since(app.state.now()) - 24 * 3600;
    app.state.clock().advance(to_due);

    // A worker claims both reminders and dies before recording anything.
    let claimed = app
        .state
        .store()
        .claim_due_reminders(app.state.now(), 30, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2, "in-app and email");
    assert_eq!(run(&app.state).await.unwrap(), 0, "not while claimed");

    // After restart (another process on the same database), once the claim has
    // lapsed, each goes once.
    let restarted = app.second_instance_with(smtp_mailer(port)).await;
    // Its clock where the first one's is (a staff sign-in moves a test clock),
    // then past the 30-second claim.
    let behind = app.state.now().seconds_since(restarted.state.now());
    restarted.state.clock().advance(behind + 31);
    assert_eq!(run(&restarted.state).await.unwrap(), 2, "in-app and email");
    assert_eq!(run(&restarted.state).await.unwrap(), 0, "never twice");
    restarted.state.clock().advance(3600);
    assert_eq!(run(&restarted.state).await.unwrap(), 0);
    app.state.clock().advance(3600);
    assert_eq!(run(&app.state).await.unwrap(), 0);

    let received = sink.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let email = received[0].replace("=\r\n", "").replace("=3D", "=");
    assert!(email.contains("To: pat@example.test"), "{email}");
    let (_, body) = email.split_once("\r\n\r\n").unwrap();
    let local = booked.json["data"]["local_start"].as_str().unwrap();
    assert!(
        body.contains(&format!("You have an appointment at {local} (UK time).")),
        "{email}"
    );
    for private in ["doc", pat.user_id.as_str(), doc.user_id.as_str()] {
        assert!(!body.contains(private), "the email carries {private:?}");
    }
    let pat = app.login("pat").await;
    let mine = app.get("/api/appointments", Some(&pat)).await;
    assert!(
        mine.json["data"]["appointments"][0]["reminded_at"].is_string(),
        "{}",
        mine.text
    );
}

/// The Python that reads the feed: `.venv` at the workspace root, or
/// `HEALING_TEST_PYTHON`.
fn python() -> String {
    std::env::var("HEALING_TEST_PYTHON")
        .unwrap_or_else(|_| format!("{}/../.venv/bin/python", env!("CARGO_MANIFEST_DIR")))
}

/// Parses the feed with Python's `icalendar` and answers one line per event:
/// uid, DTSTART and DTEND in UTC, DTSTART in Europe/London, status, summary.
fn parse_with_icalendar(feed: &str) -> Vec<Vec<String>> {
    use std::io::Write as _;
    let script = r#"
import json, sys, zoneinfo
try:
    import icalendar
except ImportError:
    sys.exit("the Python icalendar parser is absent: pip install -r healing-server/tests/requirements.txt")
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
london = zoneinfo.ZoneInfo("Europe/London")
rows = []
for event in cal.walk("VEVENT"):
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    assert start.tzinfo is not None and start.utcoffset().total_seconds() == 0
    rows.append([str(event["UID"]), start.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 start.astimezone(london).strftime("%H:%M"), str(event["STATUS"]), str(event["SUMMARY"])])
print(json.dumps(sorted(rows, key=lambda row: row[1])))
"#;
    let python = python();
    let mut child = std::process::Command::new(&python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("Python for the iCalendar check is absent ({python}: {error}); create .venv and pip install -r healing-server/tests/requirements.txt, or set HEALING_TEST_PYTHON")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(feed.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the iCalendar parser refused the feed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

async fn the_calendar_feed_parses_and_round_trips_times_across_the_clock_change(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    let change = next_spring_change(app.state.now());
    let set = put(
        &app,
        "/api/me/availability",
        json!({ "weekly": [
            { "weekday": 6, "start": "10:00", "length_minutes": 50 },
            { "weekday": 1, "start": "10:00", "length_minutes": 50 },
        ] }),
        &doc,
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    let saturday = change.yesterday().unwrap();
    let open = slots(&app, &pat, &doc, &format!("?from={saturday}&days=3")).await;
    let monday = schedule::add_days(change, 1).unwrap();
    let expected = [
        format!("{saturday}T10:00:00Z"),
        format!("{monday}T09:00:00Z"),
    ];
    assert_eq!(
        open.iter()
            .map(|slot| slot["starts_at"].as_str().unwrap())
            .collect::<Vec<_>>(),
        expected
    );
    let mut ids = Vec::new();
    for starts in &expected {
        let booked = book(&app, &pat, &doc, starts).await;
        assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.text);
        ids.push(booked.json["data"]["id"].as_str().unwrap().to_owned());
    }
    let cancelled = app
        .post(
            &format!("/api/appointments/{}/cancel", ids[1]),
            json!({}),
            Some(&doc),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);

    let created = app
        .post("/api/me/calendar-feed", json!({}), Some(&pat))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let url = created.json["data"]["url"].as_str().unwrap().to_owned();
    let path = url
        .strip_prefix("http://127.0.0.1:8080")
        .unwrap()
        .to_owned();
    let feed = app.get(&path, None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.text);
    assert!(
        feed.headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let body = feed.text.clone();
    assert!(
        body.contains("\r\n") && !body.replace("\r\n", "").contains('\n'),
        "CRLF only"
    );
    assert!(body.split("\r\n").all(|line| line.len() <= 75));
    for private in ["doc", "pat", "video"] {
        assert!(
            !body.to_lowercase().contains(private),
            "the feed carries {private:?}"
        );
    }

    // A real parser reads both events back at the same instants, both at 10:00 in
    // London although the clocks changed between them.
    let events = parse_with_icalendar(&body);
    assert_eq!(
        events,
        [
            vec![
                format!("{}@127.0.0.1:8080", ids[0]),
                expected[0].clone(),
                format!("{saturday}T10:50:00Z"),
                "10:00".to_owned(),
                "CONFIRMED".to_owned(),
                "Appointment".to_owned(),
            ],
            vec![
                format!("{}@127.0.0.1:8080", ids[1]),
                expected[1].clone(),
                format!("{monday}T09:50:00Z"),
                "10:00".to_owned(),
                "CANCELLED".to_owned(),
                "Appointment (cancelled)".to_owned(),
            ],
        ]
    );
    // The clinician's own feed is theirs; the patient's stays the patient's.
    let doctor_feed = app
        .post("/api/me/calendar-feed", json!({}), Some(&doc))
        .await;
    assert_eq!(doctor_feed.status, StatusCode::CREATED);

    // A new feed stops the old URL; revoking stops the new one; unknown is 404.
    let replaced = app
        .post("/api/me/calendar-feed", json!({}), Some(&pat))
        .await;
    let new_path = replaced.json["data"]["url"]
        .as_str()
        .unwrap()
        .strip_prefix("http://127.0.0.1:8080")
        .unwrap()
        .to_owned();
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&new_path, None).await.status, StatusCode::OK);
    let revoked = app
        .call(Method::DELETE, "/api/me/calendar-feed", None, Some(&pat))
        .await;
    assert_eq!(revoked.json["data"]["revoked"], true, "{}", revoked.text);
    assert_eq!(app.get(&new_path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/calendar/not-a-token", None).await.status,
        StatusCode::NOT_FOUND
    );
}

/// The state of the appointment as one of its parties reads it (the patient, once a discharge has ended the clinician's link).
async fn state_of(app: &TestApp, party: &Session, id: &str) -> String {
    let shown = app
        .get(&format!("/api/appointments/{id}"), Some(party))
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    shown.json["data"]["state"].as_str().unwrap().to_owned()
}

async fn ending_the_link_or_discharging_cancels_the_appointments_still_to_come(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, doc) = linked_pair(&app, "pat", "doc").await;
    let (ann, _) = linked_pair(&app, "ann", "doc2").await;
    let doc2 = app.login("doc2").await;
    app.accept_link("pat", &pat, &doc2).await;
    every_day(&app, &doc).await;
    every_day(&app, &doc2).await;
    let first = book_first_slot(&app, &pat, &doc).await;
    let open = slots(&app, &ann, &doc2, "?days=7").await;
    let with_doc2 = book(&app, &pat, &doc2, open[0]["starts_at"].as_str().unwrap()).await;
    let with_doc2 = with_doc2.json["data"]["id"].as_str().unwrap().to_owned();
    let anns = book(&app, &ann, &doc2, open[1]["starts_at"].as_str().unwrap()).await;
    let anns = anns.json["data"]["id"].as_str().unwrap().to_owned();

    // The patient ends the link with doc: only that appointment goes, as theirs.
    let links = app.get("/api/links", Some(&pat)).await;
    let link_id = links.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|link| link["clinician_id"] == doc.user_id.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ended = app
        .post(
            &format!("/api/patients/{}/links/{link_id}/end", pat.user_id.as_str()),
            json!({}),
            Some(&pat),
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);
    let mine = app.get("/api/appointments", Some(&pat)).await;
    let states: Vec<(&str, &str)> = mine.json["data"]["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["state"].as_str().unwrap()))
        .collect();
    assert!(
        states.contains(&(first.as_str(), "cancelled_by_patient")),
        "{states:?}"
    );
    assert!(
        states.contains(&(with_doc2.as_str(), "scheduled")),
        "{states:?}"
    );

    // doc2 discharges the patient: theirs goes as the clinician's, Ann's stays.
    let discharged = app
        .post(
            &format!("/api/clinician/patients/{}/discharge", pat.user_id.as_str()),
            json!({ "reason": "Finished treatment.", "ending": "finished_treatment" }),
            Some(&doc2),
        )
        .await;
    assert_eq!(discharged.status, StatusCode::OK, "{}", discharged.text);
    assert_eq!(
        state_of(&app, &pat, &with_doc2).await,
        "cancelled_by_clinician"
    );
    assert_eq!(state_of(&app, &doc2, &anns).await, "scheduled");

    // Both are in the patient's GDPR export, with their preferences.
    let export = app.get("/api/security/export-data", Some(&pat)).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    let exported: Vec<&str> = export.json["data"]["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(exported.len(), 2, "{exported:?}");
    assert!(exported.contains(&first.as_str()) && exported.contains(&with_doc2.as_str()));
    assert_eq!(
        export.json["data"]["preferences"]["reminder_lead_hours"],
        24
    );
}

crate::both_backends!(
    slots_and_bookings_keep_local_time_across_the_spring_change,
    twenty_concurrent_bookings_of_one_slot_give_one_201_and_nineteen_409s,
    either_side_cancels_and_moves_and_the_clinician_records_the_outcome,
    a_reminder_email_says_only_when_and_is_sent_once_across_a_restart,
    the_calendar_feed_parses_and_round_trips_times_across_the_clock_change,
    ending_the_link_or_discharging_cancels_the_appointments_still_to_come,
);
