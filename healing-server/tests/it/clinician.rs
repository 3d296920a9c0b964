//! The clinician's workspace over HTTP: the caseload (risk order, filters, search
//! within the caseload only, paging, consent), one patient's summary (mood trend,
//! trajectories, the course outcome healing-core gives for the same data, alerts,
//! safety plan, consent) and the names `GET /api/links` now carries.

use axum::http::StatusCode;
use healing_core::consent::Purpose;
use healing_core::mood::MoodEntry;
use healing_core::outcomes::{
    Course, CourseRecord, Measure, ProblemDescriptor, ScoreValue, Session, SessionKind,
    SessionScore, course_outcome,
};
use healing_core::safety::Context;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{Attendance, NewCourse, NewTreatmentSession, Role, Screened};
use serde_json::{Value, json};

use crate::support::{Backend, PASSWORD, Session as Browser, TestApp};

/// A note the safety engine reads as critical (intent with a plan).
const CRITICAL_NOTE: &str = "I've saved my tablets and I'm taking them tonight";

/// Registers a patient with a display name and signs them in.
async fn patient(app: &TestApp, username: &str, display_name: &str) -> Browser {
    let response = app
        .post(
            "/api/auth/register",
            json!({
                "username": username,
                "email": format!("{username}@example.test"),
                "password": PASSWORD,
                "display_name": display_name,
            }),
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    app.login(username).await
}

/// A patient linked to `clinician` who shares their data with them.
async fn linked(app: &TestApp, username: &str, display_name: &str, clinician: &Browser) -> Browser {
    let patient = patient(app, username, display_name).await;
    app.accept_link(username, &patient, clinician).await;
    let granted = app.consent(&patient, "clinician_sharing", "grant").await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    patient
}

async fn submit(app: &TestApp, patient: &Browser, instrument: &str, answers: &[u8]) -> Value {
    let response = app
        .post(
            &format!("/api/patients/{}/assessments", patient.user_id.as_str()),
            json!({ "instrument_id": instrument, "answers": answers }),
            Some(patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.json
}

async fn mood_note(app: &TestApp, patient: &Browser, note: &str) {
    let response = app
        .post(
            &format!("/api/patients/{}/moods", patient.user_id.as_str()),
            json!({ "mood": 3, "note": note }),
            Some(patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
}

async fn caseload(app: &TestApp, clinician: &Browser, query: &str) -> Value {
    let response = app
        .get(&format!("/api/clinician/caseload{query}"), Some(clinician))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json["data"].clone()
}

fn names(caseload: &Value) -> Vec<String> {
    caseload["patients"]
        .as_array()
        .expect("patients")
        .iter()
        .map(|patient| patient["display_name"].as_str().expect("name").to_owned())
        .collect()
}

async fn caseload_lists_consenting_linked_patients_most_at_risk_first(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    app.create_staff("stranger", Role::Clinician).await;
    let doc = app.login("doc").await;
    let stranger = app.login("stranger").await;

    let store = app.state.store();
    let now = app.state.now();
    // Rob was last active 30 days ago; Dana's PHQ-9 rose from 5 to 12 (a reliable
    // rise: the index is 6) and was last taken 20 days ago.
    let routine = linked(&app, "rob", "Rob Routine", &doc).await;
    let entry = MoodEntry::new(days_before(now, 30).date(), days_before(now, 30), 5).unwrap();
    store
        .add_mood_entry(&routine.user_id, &entry, None)
        .await
        .unwrap();
    let worse = linked(&app, "dana", "Dana Deteriorating", &doc).await;
    for (days_ago, total) in [(40, 5), (20, 12)] {
        let (record, _) = healing_server::questionnaires::score_for_storage(
            &worse.user_id,
            "phq9",
            &phq9(total),
            days_before(now, days_ago),
        )
        .unwrap();
        store.add_assessment(record).await.unwrap();
    }
    // Nia's PHQ-9 answers item 9; its alert is resolved, the answer stands.
    let nine = linked(&app, "nia", "Nia Nine", &doc).await;
    let flagged = submit(&app, &nine, "phq9", &[1, 1, 0, 0, 0, 0, 0, 0, 1]).await;
    assert_eq!(flagged["data"]["safety"]["show_crisis_resources"], true);
    let alerts = app.get("/api/alerts", Some(&doc)).await;
    let alert_id = alerts.json["data"][0]["id"]
        .as_str()
        .expect("alert")
        .to_owned();
    let resolved = app
        .post(
            &format!("/api/alerts/{alert_id}/resolve"),
            json!({ "action": "phoned, safety plan reviewed" }),
            Some(&doc),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
    // Cai's note raises a critical alert.
    let critical = linked(&app, "cai", "Cai Critical", &doc).await;
    mood_note(&app, &critical, CRITICAL_NOTE).await;

    let page = caseload(&app, &doc, "").await;
    assert_eq!(
        names(&page),
        [
            "Cai Critical",
            "Nia Nine",
            "Dana Deteriorating",
            "Rob Routine"
        ]
    );
    assert_eq!(page["total"], 4);
    let first = &page["patients"][0];
    assert_eq!(first["risk_tier"], "urgent_alert");
    assert_eq!(first["open_alerts"]["critical"], 1);
    assert_eq!(first["risk_flag_open"], true);
    assert_eq!(first["course"], "none");
    assert_eq!(first["days_since_last_activity"], 0);
    let second = &page["patients"][1];
    assert_eq!(second["risk_tier"], "self_harm_thoughts");
    assert_eq!(second["self_harm_thoughts_reported"], true);
    assert_eq!(second["open_alerts"]["total"], 0);
    let third = &page["patients"][2];
    assert_eq!(third["risk_tier"], "reliable_deterioration");
    assert_eq!(third["days_since_last_activity"], 20);
    let phq9 = &third["phq9"];
    assert_eq!(phq9["total"], 12);
    assert_eq!(phq9["band"], "moderate");
    assert_eq!(phq9["reliable_change_index"], "6");
    assert_eq!(phq9["change"]["baseline"], "first_on_record");
    assert_eq!(phq9["change"]["baseline_total"], 5);
    assert_eq!(phq9["change"]["change"], 7);
    assert_eq!(phq9["change"]["reliable_change"], "reliable_deterioration");
    assert_eq!(third["gad7"], Value::Null);
    assert_eq!(page["patients"][3]["risk_tier"], "routine");
    assert_eq!(page["patients"][3]["days_since_last_activity"], 30);

    // Filters, search and paging.
    let page = caseload(&app, &doc, "?has_open_alert=true").await;
    assert_eq!(names(&page), ["Cai Critical"]);
    let page = caseload(&app, &doc, "?inactive_days=20").await;
    assert_eq!(names(&page), ["Dana Deteriorating", "Rob Routine"]);
    let page = caseload(&app, &doc, "?course=none&limit=2&offset=1").await;
    assert_eq!(names(&page), ["Nia Nine", "Dana Deteriorating"]);
    assert_eq!(
        (page["total"].as_u64(), page["limit"].as_u64()),
        (Some(4), Some(2))
    );
    let page = caseload(&app, &doc, "?course=open").await;
    assert!(names(&page).is_empty());
    let page = caseload(&app, &doc, "?query=DETERIOR").await;
    assert_eq!(names(&page), ["Dana Deteriorating"]);

    // An unlinked clinician has an empty caseload and never finds these patients.
    assert_eq!(caseload(&app, &stranger, "").await["total"], 0);
    assert_eq!(caseload(&app, &stranger, "?query=cai").await["total"], 0);

    // Withdrawing sharing takes the patient off the caseload at once.
    let withdrawn = app
        .consent(&critical, "clinician_sharing", "withdraw")
        .await;
    assert_eq!(withdrawn.status, StatusCode::CREATED, "{}", withdrawn.text);
    let page = caseload(&app, &doc, "").await;
    assert_eq!(
        names(&page),
        ["Nia Nine", "Dana Deteriorating", "Rob Routine"]
    );
    assert_eq!(caseload(&app, &doc, "?query=cai").await["total"], 0);
    let summary = app
        .get(
            &format!(
                "/api/clinician/patients/{}/summary",
                critical.user_id.as_str()
            ),
            Some(&doc),
        )
        .await;
    assert_eq!(summary.status, StatusCode::FORBIDDEN, "{}", summary.text);

    // The read is audited with the ids shown, never the search text.
    let audited = app
        .state
        .store()
        .audit_entries(healing_store::AuditQuery {
            actor_id: Some(doc.user_id.clone()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let reads: Vec<_> = audited
        .iter()
        .filter(|entry| entry.action.as_str() == "caseload_read")
        .collect();
    assert_eq!(reads.len(), 8, "{reads:?}");
    assert!(reads.iter().all(|entry| !entry.detail.contains("DETERIOR")));
}

async fn caseload_refuses_a_bad_query_with_a_clear_error(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let long = "x".repeat(101);
    for query in [
        "?limit=0".to_owned(),
        "?limit=201".to_owned(),
        "?course=paused".to_owned(),
        "?has_open_alert=maybe".to_owned(),
        "?inactive_days=-1".to_owned(),
        format!("?query={long}"),
    ] {
        let response = app
            .get(&format!("/api/clinician/caseload{query}"), Some(&doc))
            .await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            response.text
        );
        assert_eq!(response.json["code"], "VALIDATION_FAILED", "{query}");
    }
}

/// PHQ-9 answers with this total and item 9 at 0.
fn phq9(total: u8) -> Vec<Option<u8>> {
    let mut answers = vec![Some(0u8); 9];
    let mut left = total;
    for answer in answers.iter_mut().take(8) {
        *answer = Some(left.min(3));
        left -= left.min(3);
    }
    answers
}

fn gad7(total: u8) -> Vec<Option<u8>> {
    let mut answers = vec![Some(0u8); 7];
    let mut left = total;
    for answer in &mut answers {
        *answer = Some(left.min(3));
        left -= left.min(3);
    }
    answers
}

fn days_before(now: Timestamp, days: i64) -> Timestamp {
    Timestamp::from_unix_seconds(now.unix_seconds() - days * 86_400).unwrap()
}

/// Noon (UTC) `days` days before `now`, so a session and its questionnaires share a day.
fn noon_days_before(now: Timestamp, days: i64) -> Timestamp {
    let midnight = now.unix_seconds() - now.unix_seconds().rem_euclid(86_400);
    Timestamp::from_unix_seconds(midnight - days * 86_400 + 12 * 3600).unwrap()
}

fn screened(text: &str) -> Screened {
    Screened::assessed(
        text.to_owned(),
        &healing_core::safety::assess(text, &Context::default()),
    )
}

async fn summary_shows_trend_trajectories_and_the_courses_stored_outcome(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let patient = linked(&app, "pat", "Pat Summary", &doc).await;
    let store = app.state.store();
    let now = app.state.now();

    // 28 days of mood rising a point a week, from 3 to 6.
    for days_ago in 0..28_i64 {
        let at = days_before(now, days_ago);
        let mood = 3 + u8::try_from((27 - days_ago) / 7).unwrap();
        let entry = MoodEntry::new(at.date(), at, mood).unwrap();
        store
            .add_mood_entry(&patient.user_id, &entry, None)
            .await
            .unwrap();
    }
    // A course: four attended sessions (one missed) with PHQ-9 and GAD-7 the same day.
    let course = store
        .open_course(NewCourse {
            patient_id: patient.user_id.clone(),
            clinician_id: Some(doc.user_id.clone()),
            problem_descriptor: ProblemDescriptor::Depression,
            opened_at: days_before(now, 60),
        })
        .await
        .unwrap();
    let plan = [
        (56, SessionKind::Assessment, 18, 14),
        (42, SessionKind::Treatment, 14, 11),
        (28, SessionKind::Treatment, 10, 8),
        (14, SessionKind::Treatment, 7, 6),
    ];
    let mut sessions = Vec::new();
    for (days_ago, kind, depression, anxiety) in plan {
        let at = noon_days_before(now, days_ago);
        let scores = vec![
            SessionScore {
                measure: Measure::Phq9,
                value: ScoreValue::from_points(depression.into()),
            },
            SessionScore {
                measure: Measure::Gad7,
                value: ScoreValue::from_points(anxiety.into()),
            },
        ];
        store
            .add_treatment_session(NewTreatmentSession {
                course_id: course.id.clone(),
                patient_id: patient.user_id.clone(),
                clinician_id: Some(doc.user_id.clone()),
                at,
                kind,
                attendance: Attendance::Attended,
                scores: scores.clone(),
            })
            .await
            .unwrap();
        for (instrument, answers) in [("phq9", phq9(depression)), ("gad7", gad7(anxiety))] {
            let (record, _) = healing_server::questionnaires::score_for_storage(
                &patient.user_id,
                instrument,
                &answers,
                at,
            )
            .unwrap();
            store.add_assessment(record).await.unwrap();
        }
        sessions.push(Session { at, kind, scores });
    }
    store
        .add_treatment_session(NewTreatmentSession {
            course_id: course.id.clone(),
            patient_id: patient.user_id.clone(),
            clinician_id: None,
            at: noon_days_before(now, 35),
            kind: SessionKind::Treatment,
            attendance: Attendance::DidNotAttend,
            scores: Vec::new(),
        })
        .await
        .unwrap();
    // An open alert and a resolved one; a safety plan.
    for _ in 0..2 {
        let at = days_before(now, 1);
        // Mood 6, as the day's other entry, so the notes leave the trend as it is.
        let entry = MoodEntry::new(at.date(), at, 6)
            .unwrap()
            .with_note(CRITICAL_NOTE)
            .unwrap();
        store
            .add_mood_entry(&patient.user_id, &entry, Some(&screened(CRITICAL_NOTE)))
            .await
            .unwrap();
    }
    let alerts = store.alerts_of_patient(&patient.user_id).await.unwrap();
    store
        .resolve_alert(&alerts[0].id, &doc.user_id, "phoned", now)
        .await
        .unwrap();
    store
        .save_safety_plan(
            &patient.user_id,
            "{\"steps\":[\"call my sister\"]}",
            &screened("call my sister"),
            days_before(now, 3),
        )
        .await
        .unwrap();

    let response = app
        .get(
            &format!(
                "/api/clinician/patients/{}/summary",
                patient.user_id.as_str()
            ),
            Some(&doc),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let summary = &response.json["data"];
    assert_eq!(summary["display_name"], "Pat Summary");

    let mood = &summary["mood"];
    assert_eq!(mood["first_day"], days_before(now, 27).date().to_string());
    assert_eq!(mood["last_day"], now.date().to_string());
    // The two risky notes share a day with the rising series.
    assert_eq!(mood["days_logged"], 28);
    assert_eq!(mood["trend"]["status"], "estimated");
    assert_eq!(mood["trend"]["direction"], "improving");
    assert!(mood["trend"]["certainty"].is_string(), "{mood}");
    // One point a day for the chart, in date order; yesterday's three entries (the
    // series and the two risky notes, all mood 6) are one mean.
    let daily = mood["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 28);
    assert_eq!(daily[27]["day"], now.date().to_string());
    assert_eq!(
        (&daily[26]["day"], &daily[26]["entries"], &daily[26]["mood"]),
        (
            &json!(days_before(now, 1).date().to_string()),
            &json!(3),
            &json!(6.0)
        )
    );

    let trajectories = summary["trajectories"].as_array().unwrap();
    let ids: Vec<&str> = trajectories
        .iter()
        .map(|trajectory| trajectory["instrument_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["gad7", "phq9"]);
    let totals: Vec<i64> = trajectories[1]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| point["total"].as_i64().unwrap())
        .collect();
    assert_eq!(totals, [18, 14, 10, 7]);

    // The outcome is what healing-core gives for the same course.
    let expected = course_outcome(
        &Course::new(CourseRecord {
            person: patient.user_id.clone(),
            problem_descriptor: Some(ProblemDescriptor::Depression),
            sessions,
        })
        .unwrap(),
    );
    let categories = expected.categories().expect("measured");
    let course = &summary["course"];
    assert_eq!(course["state"], "open");
    assert_eq!(course["problem_descriptor"], "depression");
    // The course's stored outcome, as the courses routes show it.
    let outcome = &course["outcome"];
    assert_eq!(outcome["treatment_sessions"], expected.treatment_sessions);
    assert_eq!(outcome["anxiety_measure"], "gad7");
    assert_eq!(
        outcome["anxiety_measure_reasoning"],
        expected.anxiety_measure.reasoning
    );
    assert_eq!(outcome["status"], "measured");
    for (field, value, reasoning) in [
        (
            "recovery",
            categories.recovery.value.as_str(),
            &categories.recovery.reasoning,
        ),
        (
            "reliable_change",
            categories.reliable_change.value.as_str(),
            &categories.reliable_change.reasoning,
        ),
        (
            "reliable_recovery",
            categories.reliable_recovery.value.as_str(),
            &categories.reliable_recovery.reasoning,
        ),
    ] {
        assert_eq!(outcome[field]["value"], value, "{field}");
        assert_eq!(outcome[field]["reasoning"], reasoning.as_str(), "{field}");
    }
    assert_eq!(outcome["reliable_recovery"]["value"], "reliably_recovered");
    // Four attended sessions and the missed one, in time order.
    assert_eq!(course["sessions"].as_array().unwrap().len(), 5);
    assert_eq!(outcome["depression"]["change"], "-11");

    assert_eq!(
        summary["safety_plan"]["updated_at"],
        days_before(now, 3).to_rfc3339()
    );
    assert_eq!(
        summary["safety_plan"]["last_reviewed_at"],
        days_before(now, 3).to_rfc3339()
    );
    assert_eq!(summary["alerts"]["open"].as_array().unwrap().len(), 1);
    assert_eq!(summary["alerts"]["open"][0]["severity"], "critical");
    assert_eq!(summary["alerts"]["recent"].as_array().unwrap().len(), 1);
    assert_eq!(summary["alerts"]["recent"][0]["resolution"], "phoned");
    let consent = summary["consent"].as_array().unwrap();
    assert_eq!(consent.len(), Purpose::ALL.len());
    let sharing = consent
        .iter()
        .find(|purpose| purpose["purpose"] == "clinician_sharing")
        .unwrap();
    assert_eq!(sharing["in_force"], true);
    let research = consent
        .iter()
        .find(|purpose| purpose["purpose"] == "research")
        .unwrap();
    assert_eq!(
        (research["in_force"].clone(), research["since"].clone()),
        (json!(false), Value::Null)
    );

    // The read is audited as a read of the patient's data.
    let audited = store
        .audit_entries(healing_store::AuditQuery {
            subject_patient_id: Some(patient.user_id.clone()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audited
            .iter()
            .any(|entry| entry.action.as_str() == "patient_data_read"
                && entry.detail.contains("/summary")),
        "{audited:?}"
    );

    // The window is bounded.
    for days in ["0", "366", "x"] {
        let response = app
            .get(
                &format!(
                    "/api/clinician/patients/{}/summary?days={days}",
                    patient.user_id.as_str()
                ),
                Some(&doc),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{days}: {}",
            response.text
        );
    }
    let week = app
        .get(
            &format!(
                "/api/clinician/patients/{}/summary?days=7",
                patient.user_id.as_str()
            ),
            Some(&doc),
        )
        .await;
    assert_eq!(week.json["data"]["mood"]["days_logged"], 7);
}

async fn summary_without_a_course_or_plan_says_so(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let patient = linked(&app, "new", "New Patient", &doc).await;
    let response = app
        .get(
            &format!(
                "/api/clinician/patients/{}/summary",
                patient.user_id.as_str()
            ),
            Some(&doc),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let summary = &response.json["data"];
    assert_eq!(summary["course"], Value::Null);
    assert_eq!(summary["safety_plan"], Value::Null);
    assert_eq!(summary["mood"]["entries"], 0);
    assert_eq!(summary["mood"]["trend"]["status"], "insufficient_data");
    assert!(summary["trajectories"].as_array().unwrap().is_empty());
    assert!(summary.get("appointments").is_none());
}

async fn summary_is_for_linked_clinicians_and_break_glass_admins_only(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    app.create_staff("stranger", Role::Clinician).await;
    app.create_staff("admin", Role::Admin).await;
    let doc = app.login("doc").await;
    let patient = linked(&app, "pat", "Pat", &doc).await;
    let path = format!(
        "/api/clinician/patients/{}/summary",
        patient.user_id.as_str()
    );
    let stranger = app.login("stranger").await;
    let admin = app.login("admin").await;
    assert_eq!(app.get(&path, Some(&doc)).await.status, StatusCode::OK);
    for (who, caller) in [
        ("patient", &patient),
        ("stranger", &stranger),
        ("admin", &admin),
    ] {
        let response = app.get(&path, Some(caller)).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{who}: {}",
            response.text
        );
    }
    let request = axum::http::Request::get(&path)
        .header("cookie", format!("healing_session={}", admin.cookie))
        .header(
            "x-break-glass-reason",
            "patient at risk, clinician unreachable",
        )
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::OK);
    // An id that is nobody: the linked-clinician check refuses it like any other.
    let nobody = healing_store::new_person_id().unwrap();
    let response = app
        .get(
            &format!("/api/clinician/patients/{}/summary", nobody.as_str()),
            Some(&doc),
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.text);
}

async fn links_carry_the_other_partys_display_name(backend: Backend) {
    let app = TestApp::new(backend).await;
    let doc_id = app.create_staff("doc", Role::Clinician).await;
    app.state
        .store()
        .set_display_name(&doc_id, "Dr Rhiannon Jones")
        .await
        .unwrap();
    let doc = app.login("doc").await;
    let patient = linked(&app, "pat", "Pat Jones", &doc).await;
    let seen_by_doc = app.get("/api/links", Some(&doc)).await;
    assert_eq!(seen_by_doc.json["data"][0]["other_party_name"], "Pat Jones");
    let seen_by_patient = app.get("/api/links", Some(&patient)).await;
    assert_eq!(
        seen_by_patient.json["data"][0]["other_party_name"],
        "Dr Rhiannon Jones"
    );
}

crate::both_backends!(
    caseload_lists_consenting_linked_patients_most_at_risk_first,
    caseload_refuses_a_bad_query_with_a_clear_error,
    summary_shows_trend_trajectories_and_the_courses_stored_outcome,
    summary_without_a_course_or_plan_says_so,
    summary_is_for_linked_clinicians_and_break_glass_admins_only,
    links_carry_the_other_partys_display_name,
);

#[test]
fn openapi_documents_the_workspace_query_parameters_and_response_schemas() {
    let document = serde_json::to_value(healing_server::openapi::document()).unwrap();
    let parameters = |path: &str| -> Vec<(String, String)> {
        document["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} has no parameters in the document"))
            .iter()
            .map(|parameter| {
                (
                    parameter["name"].as_str().unwrap().to_owned(),
                    parameter["in"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let query = |name: &str| (name.to_owned(), "query".to_owned());
    assert_eq!(
        parameters("/api/clinician/caseload"),
        [
            query("offset"),
            query("limit"),
            query("has_open_alert"),
            query("inactive_days"),
            query("course"),
            query("query"),
        ]
    );
    assert_eq!(
        parameters("/api/clinician/patients/{patient_id}/summary"),
        [("patient_id".to_owned(), "path".to_owned()), query("days")]
    );
    for (path, schema) in [
        ("/api/clinician/caseload", "CaseloadView"),
        (
            "/api/clinician/patients/{patient_id}/summary",
            "PatientSummaryView",
        ),
    ] {
        let body = &document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert!(
            body.to_string().contains(schema),
            "{path} answers {schema}: {body}"
        );
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema} is in the components"
        );
    }
    assert!(
        document["components"]["schemas"]["LinkView"]["properties"]["other_party_name"].is_object()
    );
}
