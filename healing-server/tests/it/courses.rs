//! Courses of care, clinical notes, discharge and service outcomes through HTTP
//! (issue 17), on SQLite and PostgreSQL: a course with known scores gives the
//! outcome healing-core's own example gives; one open course per clinician and
//! patient under concurrent opens; an amended note keeps its old version; discharge
//! ends the link and the course together; the outcomes report matches a hand count.

use std::sync::Arc;

use axum::http::StatusCode;
use healing_store::Role;
use healing_store::prelude::*;
use serde_json::{Value, json};

use crate::both_backends;
use crate::support::{Backend, Session, TestApp, TestResponse};

/// Registers `username`, links them with `doc` and grants clinician_sharing.
async fn linked_patient(app: &TestApp, username: &str, doc: &Session) -> Session {
    app.register_patient(username).await;
    let patient = app.login(username).await;
    app.accept_link(username, &patient, doc).await;
    let granted = app.consent(&patient, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    patient
}

fn base(patient: &Session) -> String {
    format!("/api/clinician/patients/{}", patient.user_id.as_str())
}

async fn open_course(app: &TestApp, doc: &Session, patient: &Session, problem: &str) -> String {
    let opened = app
        .post(
            &format!("{}/courses", base(patient)),
            json!({ "problem_descriptor": problem }),
            Some(doc),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.text);
    assert_eq!(opened.json["data"]["state"], "open");
    opened.json["data"]["id"]
        .as_str()
        .expect("course id")
        .to_owned()
}

/// A session: its day in January 2026 (0 for the 1st), its kind, and its PHQ-9 and
/// GAD-7 scores (`None` leaves the measure out).
type Spec<'a> = (u32, &'a str, Option<u16>, Option<u16>);

/// Records a session.
async fn session(
    app: &TestApp,
    doc: &Session,
    patient: &Session,
    course: &str,
    (day, kind, phq9, gad7): Spec<'_>,
) -> TestResponse {
    let mut scores = Vec::new();
    if let Some(phq9) = phq9 {
        scores.push(json!({ "measure": "phq9", "value": phq9 }));
    }
    if let Some(gad7) = gad7 {
        scores.push(json!({ "measure": "gad7", "value": gad7.to_string() }));
    }
    app.post(
        &format!("{}/courses/{course}/sessions", base(patient)),
        json!({ "at": format!("2026-01-{:02}T10:00:00Z", day + 1), "kind": kind, "scores": scores }),
        Some(doc),
    )
    .await
}

async fn close(app: &TestApp, doc: &Session, patient: &Session, course: &str) -> TestResponse {
    app.post(
        &format!("{}/courses/{course}/close", base(patient)),
        json!({ "ending": "finished_treatment" }),
        Some(doc),
    )
    .await
}

fn assert_status(response: &TestResponse, status: StatusCode) {
    assert_eq!(response.status, status, "{}", response.text);
}

async fn a_course_with_known_scores_gives_the_outcome_core_gives(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let patient = linked_patient(&app, "pat", &doc).await;
    let course = open_course(&app, &doc, &patient, "depression").await;
    // healing-core's outcomes README example: 16/11, 12/9, 7/5.
    for (day, kind, phq9, gad7) in [
        (0, "assessment", 16, 11),
        (7, "treatment", 12, 9),
        (14, "treatment", 7, 5),
    ] {
        let recorded = session(
            &app,
            &doc,
            &patient,
            &course,
            (day, kind, Some(phq9), Some(gad7)),
        )
        .await;
        assert_status(&recorded, StatusCode::CREATED);
    }
    // What core refuses is 422, and nothing is stored.
    let out_of_range = session(
        &app,
        &doc,
        &patient,
        &course,
        (20, "treatment", Some(28), None),
    )
    .await;
    assert_status(&out_of_range, StatusCode::UNPROCESSABLE_ENTITY);
    let out_of_order = session(
        &app,
        &doc,
        &patient,
        &course,
        (3, "treatment", Some(5), None),
    )
    .await;
    assert_status(&out_of_order, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown_measure = app
        .post(
            &format!("{}/courses/{course}/sessions", base(&patient)),
            json!({ "kind": "treatment", "scores": [{ "measure": "bdi", "value": 3 }] }),
            Some(&doc),
        )
        .await;
    assert_status(&unknown_measure, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown_problem = app
        .post(
            &format!("{}/courses", base(&patient)),
            json!({ "problem_descriptor": "melancholy" }),
            Some(&doc),
        )
        .await;
    assert_status(&unknown_problem, StatusCode::UNPROCESSABLE_ENTITY);

    let closed = close(&app, &doc, &patient, &course).await;
    assert_status(&closed, StatusCode::OK);
    let data = &closed.json["data"];
    assert_eq!(data["state"], "closed");
    assert_eq!(data["ending"], "finished_treatment");
    assert_eq!(data["sessions"].as_array().map(Vec::len), Some(3));
    let outcome = &data["outcome"];
    assert_eq!(outcome["status"], "measured", "{outcome}");
    assert_eq!(outcome["treatment_sessions"], 2);
    assert_eq!(outcome["anxiety_measure"], "gad7");
    assert_eq!(outcome["recovery"]["value"], "recovered");
    assert_eq!(outcome["reliable_change"]["value"], "reliable_improvement");
    assert_eq!(outcome["reliable_recovery"]["value"], "reliably_recovered");
    assert_eq!(
        outcome["reliable_change"]["reasoning"],
        "reliable improvement: PHQ-9 fell by 9 from 16 to 7 (reliable change is 6 or more); \
         GAD-7 fell by 6 from 11 to 5 (reliable change is 4 or more), a reliable fall on at \
         least one measure and no reliable rise on the other"
    );
    assert_eq!(outcome["depression"]["change"], "-9");

    // A closed course takes no more sessions and is not closed again.
    let late = session(
        &app,
        &doc,
        &patient,
        &course,
        (21, "treatment", Some(3), Some(2)),
    )
    .await;
    assert_status(&late, StatusCode::CONFLICT);
    assert_status(
        &close(&app, &doc, &patient, &course).await,
        StatusCode::CONFLICT,
    );

    // The list carries the stored outcome.
    let listed = app
        .get(&format!("{}/courses", base(&patient)), Some(&doc))
        .await;
    assert_status(&listed, StatusCode::OK);
    assert_eq!(listed.json["data"][0]["outcome"], *outcome);

    // Another patient's path does not reach this course.
    let other = linked_patient(&app, "otto", &doc).await;
    let elsewhere = session(&app, &doc, &other, &course, (22, "treatment", None, None)).await;
    assert_status(&elsewhere, StatusCode::NOT_FOUND);

    // Scores are sealed at rest.
    let dump = app.db.raw_dump().await;
    assert!(
        !dump
            .windows(b"reliable_improvement".len())
            .any(|w| w == b"reliable_improvement"),
        "the outcome is stored in clear"
    );
}

async fn twenty_concurrent_opens_give_one_course(backend: Backend) {
    let app = Arc::new(TestApp::new(backend).await);
    app.create_staff("doc", Role::Clinician).await;
    let doc = Arc::new(app.login("doc").await);
    let patient = Arc::new(linked_patient(&app, "pat", &doc).await);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, doc, patient) = (app.clone(), doc.clone(), patient.clone());
            tokio::spawn(async move {
                app.post(
                    &format!("{}/courses", base(&patient)),
                    json!({ "problem_descriptor": "depression" }),
                    Some(&doc),
                )
                .await
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        let response = task.await.expect("open task");
        match response.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("an open answered {other}: {}", response.text),
        }
    }
    assert_eq!(created, 1, "exactly one course is opened");
    let courses = app
        .state
        .store()
        .courses(&patient.user_id)
        .await
        .expect("courses");
    assert_eq!(courses.len(), 1);
}

async fn a_note_amendment_keeps_the_old_version(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let patient = linked_patient(&app, "pat", &doc).await;
    let notes = format!("{}/notes", base(&patient));
    let written = app
        .post(
            &notes,
            json!({ "body": "Discussed sleep diary; agreed a wind-down routine." }),
            Some(&doc),
        )
        .await;
    assert_status(&written, StatusCode::CREATED);
    assert_eq!(written.json["data"]["note"]["version"], 1);
    assert_eq!(written.json["data"]["alert_raised"], false);
    let note_id = written.json["data"]["note"]["note_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first_id = written.json["data"]["note"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let amended = app
        .post(
            &format!("{notes}/{note_id}/amend"),
            json!({ "body": "Discussed sleep diary; agreed a wind-down routine from 10pm." }),
            Some(&doc),
        )
        .await;
    assert_status(&amended, StatusCode::CREATED);
    assert_eq!(amended.json["data"]["note"]["version"], 2);
    assert_eq!(amended.json["data"]["note"]["author_name"], "doc");
    assert_eq!(
        amended.json["data"]["note"]["supersedes"],
        first_id.as_str()
    );

    let history = app.get(&format!("{notes}/{note_id}"), Some(&doc)).await;
    assert_status(&history, StatusCode::OK);
    let versions = history.json["data"]["versions"]
        .as_array()
        .expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0]["body"],
        "Discussed sleep diary; agreed a wind-down routine."
    );
    assert_eq!(versions[0]["id"], first_id.as_str());
    assert_eq!(
        versions[1]["body"],
        "Discussed sleep diary; agreed a wind-down routine from 10pm."
    );
    let listed = app.get(&notes, Some(&doc)).await;
    assert_status(&listed, StatusCode::OK);
    assert_eq!(listed.json["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(listed.json["data"][0]["version_count"], 2);
    assert_eq!(listed.json["data"][0]["latest"]["version"], 2);
    assert_status(
        &app.get(&format!("{notes}/no-such-note"), Some(&doc)).await,
        StatusCode::NOT_FOUND,
    );

    // A note recording risk raises an alert only when the clinician asks.
    let risky = "Patient said: I want to kill myself.";
    let quiet = app.post(&notes, json!({ "body": risky }), Some(&doc)).await;
    assert_status(&quiet, StatusCode::CREATED);
    assert_eq!(quiet.json["data"]["alert_raised"], false);
    assert_eq!(
        app.get("/api/alerts", Some(&doc)).await.json["data"],
        json!([])
    );
    let loud = app
        .post(
            &notes,
            json!({ "body": risky, "raise_alert": true }),
            Some(&doc),
        )
        .await;
    assert_status(&loud, StatusCode::CREATED);
    assert_eq!(loud.json["data"]["alert_raised"], true);
    assert_ne!(loud.json["data"]["safety"]["level"], "none");
    let alerts = app.get("/api/alerts", Some(&doc)).await;
    assert_eq!(
        alerts.json["data"].as_array().map(Vec::len),
        Some(1),
        "{}",
        alerts.text
    );
    assert_eq!(alerts.json["data"][0]["source"], "clinical_note");

    let dump = app.db.raw_dump().await;
    assert!(
        !dump.windows(b"wind-down".len()).any(|w| w == b"wind-down"),
        "a note is stored in clear"
    );
}

async fn discharge_ends_the_link_and_the_course_together(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let patient = linked_patient(&app, "pat", &doc).await;
    let course = open_course(&app, &doc, &patient, "generalised_anxiety").await;
    let recorded = session(
        &app,
        &doc,
        &patient,
        &course,
        (0, "treatment", Some(14), Some(12)),
    )
    .await;
    assert_status(&recorded, StatusCode::CREATED);
    let discharged = app
        .post(
            &format!("{}/discharge", base(&patient)),
            json!({ "reason": "Stopped attending after the first session.", "ending": "dropped_out" }),
            Some(&doc),
        )
        .await;
    assert_status(&discharged, StatusCode::OK);
    let data = &discharged.json["data"];
    assert_eq!(data["course"]["id"], course.as_str());
    assert_eq!(data["course"]["state"], "closed");
    assert_eq!(data["course"]["ending"], "dropped_out");
    assert_eq!(
        data["course"]["outcome"]["status"],
        "not_finished_treatment"
    );
    assert_eq!(
        data["note"]["body"],
        "Stopped attending after the first session."
    );

    // Both changed, in the store: the link ended and the course closed.
    let store = app.state.store();
    let links = store.links_of_patient(&patient.user_id).await.unwrap();
    assert_eq!(links[0].status, healing_store::LinkStatus::Ended);
    let courses = store.courses(&patient.user_id).await.unwrap();
    assert_eq!(
        courses[0].ending,
        Some(healing_core::outcomes::CourseEnding::DroppedOut)
    );
    assert_eq!(courses[0].closed_at, links[0].decided_at);
    let audit = store
        .audit_entries(healing_store::AuditQuery {
            subject_patient_id: Some(patient.user_id.clone()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let entry = audit
        .iter()
        .find(|record| record.action.as_str() == "patient_discharged")
        .expect("discharge audited");
    let detail: Value = serde_json::from_str(&entry.detail).expect("detail json");
    assert_eq!(detail["ending"], "dropped_out");
    assert!(
        !entry.detail.contains("Stopped attending"),
        "the reason is not audited"
    );

    // The link is gone, so every workspace route is closed to the clinician.
    assert_status(
        &app.get(&format!("{}/courses", base(&patient)), Some(&doc))
            .await,
        StatusCode::FORBIDDEN,
    );
    assert_status(
        &app.post(
            &format!("{}/discharge", base(&patient)),
            json!({ "reason": "again" }),
            Some(&doc),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
}

/// Opens, records and closes one course for a new patient of `doc`.
async fn finished_course(
    app: &TestApp,
    doc: &Session,
    username: &str,
    sessions: &[(&str, Option<u16>, Option<u16>)],
) -> String {
    let patient = linked_patient(app, username, doc).await;
    let course = open_course(app, doc, &patient, "depression").await;
    for (day, (kind, phq9, gad7)) in sessions.iter().enumerate() {
        let day = u32::try_from(day * 7).unwrap();
        let recorded = session(app, doc, &patient, &course, (day, *kind, *phq9, *gad7)).await;
        assert_status(&recorded, StatusCode::CREATED);
    }
    assert_status(&close(app, doc, &patient, &course).await, StatusCode::OK);
    course
}

async fn the_outcomes_report_matches_a_hand_count(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    app.create_staff("other.doc", Role::Clinician).await;
    app.create_staff("admin", Role::Admin).await;
    let doc = app.login("doc").await;
    let other_doc = app.login("other.doc").await;
    let admin = app.login("admin").await;
    let (t, a) = ("treatment", "assessment");
    // Recovered and reliably improved.
    finished_course(
        &app,
        &doc,
        "pat1",
        &[
            (a, Some(16), Some(11)),
            (t, Some(12), Some(9)),
            (t, Some(7), Some(5)),
        ],
    )
    .await;
    // A case at the start, still a case, reliably worse.
    finished_course(
        &app,
        &doc,
        "pat2",
        &[(t, Some(12), Some(9)), (t, Some(19), Some(10))],
    )
    .await;
    // Not a case at the start, reliably improved: out of recovery only.
    let mild = finished_course(
        &app,
        &doc,
        "pat3",
        &[(t, Some(9), Some(7)), (t, Some(2), Some(1))],
    )
    .await;
    // One treatment session: out of every rate.
    let short = finished_course(
        &app,
        &doc,
        "pat4",
        &[(a, Some(20), Some(15)), (t, Some(5), Some(3))],
    )
    .await;
    // The GAD-7 once: no paired scores.
    let unpaired = finished_course(
        &app,
        &doc,
        "pat5",
        &[(t, Some(20), Some(15)), (t, Some(5), None)],
    )
    .await;
    // Still open: not in the report.
    let open = linked_patient(&app, "pat6", &doc).await;
    let open_course_id = open_course(&app, &doc, &open, "depression").await;
    // Another clinician's recovered course: in the service's report only.
    finished_course(
        &app,
        &other_doc,
        "pat7",
        &[(t, Some(15), Some(10)), (t, Some(4), Some(3))],
    )
    .await;

    let today = app.state.now().date();
    let range = format!("from={}&to={}", today.previous_day().unwrap(), today);
    let mine = app
        .get(&format!("/api/clinician/outcomes?{range}"), Some(&doc))
        .await;
    assert_status(&mine, StatusCode::OK);
    let report = &mine.json["data"];
    assert_eq!(report["courses_ended"], 5, "{report}");
    assert_eq!(report["finished_treatment"], 4);
    assert_eq!(report["with_paired_scores"], 3);
    assert_eq!(report["at_caseness_at_start"], 2);
    assert_eq!(
        report["recovery"],
        json!({ "count": 1, "denominator": 2, "percent": 50.0 })
    );
    assert_eq!(
        report["reliable_improvement"],
        json!({ "count": 2, "denominator": 3, "percent": 66.7 })
    );
    assert_eq!(
        report["reliable_recovery"],
        json!({ "count": 1, "denominator": 2, "percent": 50.0 })
    );
    assert_eq!(
        report["reliable_deterioration"],
        json!({ "count": 1, "denominator": 3, "percent": 33.3 })
    );
    // Courses closed in the same second come in id order: compare as sets.
    let mut excluded: Vec<(String, String)> = report["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["course_id"].as_str().unwrap().to_owned(),
                e["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    excluded.sort();
    let mut expected = vec![
        (mild, "not_at_caseness_at_start".to_owned()),
        (short, "not_finished_treatment".to_owned()),
        (unpaired, "no_paired_scores".to_owned()),
    ];
    expected.sort();
    assert_eq!(excluded, expected);
    assert!(!mine.text.contains(&open_course_id));

    let service = app
        .get(&format!("/api/admin/outcomes?{range}"), Some(&admin))
        .await;
    assert_status(&service, StatusCode::OK);
    assert_eq!(service.json["data"]["courses_ended"], 6);
    assert_eq!(service.json["data"]["recovery"]["count"], 2);
    assert_eq!(service.json["data"]["recovery"]["denominator"], 3);

    // Courses closed before the range are not counted.
    let earlier = today.previous_day().unwrap().previous_day().unwrap();
    let before = app
        .get(
            &format!("/api/clinician/outcomes?from={earlier}&to={earlier}"),
            Some(&doc),
        )
        .await;
    assert_eq!(before.json["data"]["courses_ended"], 0, "{}", before.text);

    let csv = app
        .get(
            &format!("/api/clinician/outcomes?{range}&format=csv"),
            Some(&doc),
        )
        .await;
    assert_status(&csv, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.text.contains("recovery,1,2,50.0\n"), "{}", csv.text);
    assert!(
        csv.text.contains("reliable_improvement,2,3,66.7\n"),
        "{}",
        csv.text
    );
    assert!(csv.text.contains(",no_paired_scores\n"), "{}", csv.text);

    let accepted = app
        .send(
            axum::http::Request::get(format!("/api/clinician/outcomes?{range}"))
                .header("cookie", format!("healing_session={}", doc.cookie))
                .header("accept", "text/csv")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_status(&accepted, StatusCode::OK);
    assert_eq!(accepted.text, csv.text);

    let backwards = app
        .get(
            &format!("/api/clinician/outcomes?from={today}&to={earlier}"),
            Some(&doc),
        )
        .await;
    assert_status(&backwards, StatusCode::BAD_REQUEST);
}

async fn a_linked_clinician_downloads_the_patients_fhir_record(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let patient = linked_patient(&app, "pat", &doc).await;
    let mood = app
        .post(
            &format!("/api/patients/{}/moods", patient.user_id.as_str()),
            json!({ "mood": 6 }),
            Some(&patient),
        )
        .await;
    assert_status(&mood, StatusCode::CREATED);
    let record = app
        .get(&format!("{}/fhir", base(&patient)), Some(&doc))
        .await;
    assert_status(&record, StatusCode::OK);
    assert_eq!(record.headers["content-type"], "application/fhir+json");
    assert_eq!(record.json["resourceType"], "Bundle");
    let patient_entry = record.json["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["resource"]["resourceType"] == "Patient")
        .expect("a Patient");
    assert_eq!(patient_entry["resource"]["id"], patient.user_id.as_str());
    let audit = app
        .state
        .store()
        .audit_entries(healing_store::AuditQuery {
            actor_id: Some(doc.user_id.clone()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|entry| entry.action.as_str() == "data_exported"
                && entry.subject_patient_id.as_ref() == Some(&patient.user_id))
    );
}

/// The Bundle's resources: every entry but the last, and the last as the Provenance.
fn signed_parts(
    bundle: &Value,
) -> (
    Vec<healing_core::fhir::fhir_sdk::r4b::resources::Resource>,
    healing_core::fhir::fhir_sdk::r4b::resources::Provenance,
) {
    let mut resources: Vec<Value> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["resource"].clone())
        .collect();
    let provenance = resources.pop().expect("a last entry");
    assert_eq!(provenance["resourceType"], "Provenance");
    (
        serde_json::from_value(Value::Array(resources)).expect("resources"),
        serde_json::from_value(provenance).expect("provenance"),
    )
}

async fn fhir_records_are_signed_when_a_key_is_configured(backend: Backend) {
    let key = healing_core::fhir::SigningKey::hs256(
        healing_server::config::FHIR_SIGNING_KEY_ID,
        b"a signing secret of at least 32 bytes",
    )
    .unwrap();
    let options = healing_server::state::StateOptions {
        fhir_signing_key: Some(key.clone()),
        ..crate::support::test_options()
    };
    let app =
        TestApp::with_options(backend, healing_server::mailer::Mailer::Disabled, options).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let patient = linked_patient(&app, "pat", &doc).await;
    let mood = app
        .post(
            &format!("/api/patients/{}/moods", patient.user_id.as_str()),
            json!({ "mood": 4, "note": "A long walk helped." }),
            Some(&patient),
        )
        .await;
    assert_status(&mood, StatusCode::CREATED);
    for (path, caller) in [
        (format!("{}/fhir", base(&patient)), &doc),
        ("/api/security/export-data?format=fhir".to_owned(), &patient),
    ] {
        let record = app.get(&path, Some(caller)).await;
        assert_status(&record, StatusCode::OK);
        let (mut targets, provenance) = signed_parts(&record.json);
        assert_eq!(
            healing_core::fhir::verify_provenance(&provenance, &targets, &key),
            Ok(()),
            "{path}"
        );
        // A changed resource no longer verifies.
        targets.pop();
        assert!(healing_core::fhir::verify_provenance(&provenance, &targets, &key).is_err());
    }
}

both_backends!(
    fhir_records_are_signed_when_a_key_is_configured,
    a_linked_clinician_downloads_the_patients_fhir_record,
    a_course_with_known_scores_gives_the_outcome_core_gives,
    twenty_concurrent_opens_give_one_course,
    a_note_amendment_keeps_the_old_version,
    discharge_ends_the_link_and_the_course_together,
    the_outcomes_report_matches_a_hand_count,
);
