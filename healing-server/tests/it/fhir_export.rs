//! The GDPR export as FHIR (`GET /api/security/export-data?format=fhir`):
//! the caller's own record and nothing of anyone else's, one Bundle entry per
//! stored record core can express, distinct ids, typed errors and the audit.

use std::collections::HashSet;

use axum::http::{StatusCode, header};
use healing_core::ids::PersonId;
use healing_core::safety::{Category, RiskLevel};
use healing_server::questionnaires::score_for_storage;
use healing_store::prelude::*;
use healing_store::{AuditQuery, NewAssessment, NewSafetyEvent, Role};
use serde_json::{Value, json};

use crate::support::{Backend, Session, TestApp};

const FHIR_EXPORT: &str = "/api/security/export-data?format=fhir";
const PAT_NOTE: &str = "walked by the sea with pat's sister";
const OTTO_NOTE: &str = "otto's own quiet words";

/// The resources of a Bundle, in entry order.
fn resources(bundle: &Value) -> Vec<&Value> {
    bundle["entry"]
        .as_array()
        .map(|entries| entries.iter().map(|entry| &entry["resource"]).collect())
        .unwrap_or_default()
}

fn of_type<'a>(bundle: &'a Value, resource_type: &str) -> Vec<&'a Value> {
    resources(bundle)
        .into_iter()
        .filter(|resource| resource["resourceType"] == resource_type)
        .collect()
}

/// The LOINC answer codes of a QuestionnaireResponse, in item order.
fn answer_codes(response: &Value) -> Vec<String> {
    response["item"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            item["answer"][0]["valueCoding"]["code"]
                .as_str()
                .expect("coded answer")
                .to_owned()
        })
        .collect()
}

/// Posts `body` to the caller's own `/api/patients/{id}/{record}`; it must be stored.
async fn post_own(app: &TestApp, session: &Session, record: &str, body: Value) {
    let response = app
        .post(
            &format!("/api/patients/{}/{record}", session.user_id.as_str()),
            body,
            Some(session),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
}

async fn add_mood(app: &TestApp, session: &Session, mood: u8, note: &str) {
    post_own(app, session, "moods", json!({ "mood": mood, "note": note })).await;
}

async fn submit(app: &TestApp, session: &Session, instrument: &str, answers: &[u8]) {
    let body = json!({ "instrument_id": instrument, "answers": answers });
    post_own(app, session, "assessments", body).await;
}

async fn safety_event(
    app: &TestApp,
    patient: &PersonId,
    level: RiskLevel,
    categories: &[Category],
) {
    app.state
        .store()
        .record_safety_event(NewSafetyEvent {
            patient_id: patient.clone(),
            source: "journal".to_owned(),
            level,
            categories: categories.to_vec(),
            rules_version: "2026.12.1+model.2026.12.5".to_owned(),
            at: app.state.now(),
        })
        .await
        .expect("safety event");
}

/// Two patients with records of every kind the Bundle carries.
async fn two_patients_with_records(app: &TestApp) -> (Session, Session) {
    app.register_patient("pat").await;
    app.register_patient("otto").await;
    let pat = app.login("pat").await;
    let otto = app.login("otto").await;
    add_mood(app, &pat, 7, PAT_NOTE).await;
    submit(app, &pat, "phq9", &[2, 2, 1, 2, 1, 1, 2, 1, 0]).await;
    submit(app, &pat, "gad7", &[1, 0, 2, 1, 0, 3, 1]).await;
    let consent =
        json!({ "purpose": "care", "decision": "grant", "wording_version": "care-2026-01" });
    post_own(app, &pat, "consent", consent).await;
    safety_event(app, &pat.user_id, RiskLevel::High, &[Category::Suicide]).await;
    // Otto's records must never appear in Pat's export.
    add_mood(app, &otto, 3, OTTO_NOTE).await;
    submit(app, &otto, "phq9", &[3, 3, 3, 3, 3, 3, 3, 3, 3]).await;
    safety_event(
        app,
        &otto.user_id,
        RiskLevel::Critical,
        &[Category::Suicide],
    )
    .await;
    (pat, otto)
}

async fn patient_downloads_their_own_record_as_a_fhir_bundle(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (pat, otto) = two_patients_with_records(&app).await;
    let export = app.get(FHIR_EXPORT, Some(&pat)).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    assert_eq!(
        export.headers[header::CONTENT_TYPE],
        "application/fhir+json"
    );
    let bundle = &export.json;
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    assert!(bundle.get("success").is_none(), "no envelope around FHIR");

    let patients = of_type(bundle, "Patient");
    assert_eq!(patients.len(), 1);
    assert_eq!(patients[0]["id"], pat.user_id.as_str());
    let pat_ref = format!("Patient/{}", pat.user_id.as_str());

    let responses = of_type(bundle, "QuestionnaireResponse");
    assert_eq!(responses.len(), 2, "{bundle:#}");
    let phq9 = responses
        .iter()
        .find(|r| r["questionnaire"] == "https://healing.example/fhir/Questionnaire/phq9|1")
        .expect("phq9 response");
    // 2,2,1,2,1,1,2,1,0 as LOINC answers (LA6568-5 = 0 ... LA6571-9 = 3).
    assert_eq!(
        answer_codes(phq9),
        [
            "LA6570-1", "LA6570-1", "LA6569-3", "LA6570-1", "LA6569-3", "LA6569-3", "LA6570-1",
            "LA6569-3", "LA6568-5"
        ]
    );
    let totals: HashSet<(String, i64)> = of_type(bundle, "Observation")
        .iter()
        .filter(|o| o["derivedFrom"].is_array())
        .map(|o| {
            (
                o["code"]["coding"][0]["code"].as_str().unwrap().to_owned(),
                o["valueQuantity"]["value"].as_f64().unwrap() as i64,
            )
        })
        .collect();
    // PHQ-9 total 12 (LOINC 44261-6), GAD-7 total 8 (LOINC 70274-6).
    assert_eq!(
        totals,
        HashSet::from([("44261-6".to_owned(), 12), ("70274-6".to_owned(), 8)])
    );
    assert_eq!(of_type(bundle, "Questionnaire").len(), 2);

    let moods: Vec<&Value> = of_type(bundle, "Observation")
        .into_iter()
        .filter(|o| o["code"]["coding"][0]["code"] == "mood")
        .collect();
    assert_eq!(moods.len(), 1);
    assert_eq!(moods[0]["valueInteger"], 7);
    assert_eq!(moods[0]["note"][0]["text"], PAT_NOTE);

    let consents = of_type(bundle, "Consent");
    assert_eq!(consents.len(), 1);
    assert_eq!(consents[0]["status"], "active");
    assert_eq!(of_type(bundle, "RiskAssessment").len(), 1);
    assert_eq!(of_type(bundle, "Flag").len(), 1, "high level raises a flag");

    // Every clinical resource is Pat's, and nothing of Otto's is anywhere.
    for resource in resources(bundle) {
        let subject = &resource["subject"]["reference"];
        let patient = &resource["patient"]["reference"];
        assert!(
            subject.is_null() || *subject == pat_ref.as_str(),
            "{resource:#}"
        );
        assert!(
            patient.is_null() || *patient == pat_ref.as_str(),
            "{resource:#}"
        );
    }
    assert!(!export.text.contains(otto.user_id.as_str()));
    assert!(!export.text.contains(OTTO_NOTE));

    // The same records as the JSON export.
    let json_export = app.get("/api/security/export-data", Some(&pat)).await;
    let data = &json_export.json["data"];
    assert_eq!(
        data["assessments"].as_array().unwrap().len(),
        responses.len()
    );
    assert_eq!(data["mood_entries"].as_array().unwrap().len(), moods.len());
    assert_eq!(
        data["safety_events"].as_array().unwrap().len(),
        of_type(bundle, "RiskAssessment").len()
    );

    // Otto's own export holds Otto's records only.
    let other = app.get(FHIR_EXPORT, Some(&otto)).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text);
    assert_eq!(of_type(&other.json, "QuestionnaireResponse").len(), 1);
    assert!(!other.text.contains(pat.user_id.as_str()));
    assert!(!other.text.contains(PAT_NOTE));
}

async fn records_in_the_same_second_keep_distinct_ids(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let pat = app.login("pat").await;
    // Core derives ids from the facts to the second: the same questionnaire
    // stored twice in one second would collide without renaming.
    let at = app.state.now();
    for answers in [[Some(0u8); 9], [Some(1u8); 9]] {
        let (record, _) = score_for_storage(&id, "phq9", &answers, at).unwrap();
        app.state.store().add_assessment(record).await.unwrap();
    }
    let export = app.get(FHIR_EXPORT, Some(&pat)).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    let bundle = &export.json;
    let full_urls: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["fullUrl"].as_str().unwrap())
        .collect();
    let distinct: HashSet<&&str> = full_urls.iter().collect();
    assert_eq!(distinct.len(), full_urls.len(), "{full_urls:#?}");
    let responses = of_type(bundle, "QuestionnaireResponse");
    assert_eq!(responses.len(), 2);
    // Each score Observation points at its own response: totals 0 and 9, each
    // matching the answers of the response it is derived from.
    let mut totals = Vec::new();
    for response in responses {
        let reference = format!("QuestionnaireResponse/{}", response["id"].as_str().unwrap());
        let score = of_type(bundle, "Observation")
            .into_iter()
            .find(|o| o["derivedFrom"][0]["reference"] == reference.as_str())
            .expect("score observation of this response");
        let all_zero = answer_codes(response).iter().all(|code| code == "LA6568-5");
        let total = score["valueQuantity"]["value"].as_f64().unwrap();
        assert_eq!(total == 0.0, all_zero, "{response:#} {score:#}");
        totals.push(total);
    }
    totals.sort_by(f64::total_cmp);
    assert_eq!(totals, [0.0, 9.0]);
}

async fn export_format_is_checked_and_audited_without_patient_data(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let pat = app.login("pat").await;
    add_mood(&app, &pat, 5, PAT_NOTE).await;

    let unknown = app
        .get("/api/security/export-data?format=xml", Some(&pat))
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json["code"], "UNSUPPORTED_EXPORT_FORMAT");
    assert_eq!(unknown.json["status"], 400);
    assert_eq!(
        app.get(FHIR_EXPORT, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let json_export = app
        .get("/api/security/export-data?format=json", Some(&pat))
        .await;
    assert_eq!(json_export.status, StatusCode::OK);
    assert_eq!(json_export.json["success"], true);
    assert_eq!(
        json_export.json["data"]["mood_entries"][0]["entry"]["note"],
        PAT_NOTE
    );
    assert_eq!(
        app.get(FHIR_EXPORT, Some(&pat)).await.status,
        StatusCode::OK
    );

    let entries = app
        .state
        .store()
        .audit_entries(AuditQuery {
            subject_patient_id: Some(pat.user_id.clone()),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let exported: Vec<&str> = entries
        .iter()
        .filter(|entry| entry.action.as_str() == "data_exported")
        .map(|entry| entry.detail.as_str())
        .collect();
    // Only the two successful exports, in order, each naming its format only.
    assert_eq!(exported.len(), 2, "{exported:?}");
    let formats: Vec<Value> = exported
        .iter()
        .map(|detail| serde_json::from_str(detail).unwrap())
        .collect();
    assert_eq!(
        formats,
        [json!({ "format": "json" }), json!({ "format": "fhir" })]
    );
}

async fn unrepresentable_record_is_a_typed_conflict_and_json_still_has_it(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let pat = app.login("pat").await;
    // Scored under a definition version this server no longer has.
    app.state
        .store()
        .add_assessment(NewAssessment {
            patient_id: id.clone(),
            instrument_id: "phq9".to_owned(),
            instrument_version: "0".to_owned(),
            answers: vec![Some(1); 9],
            total: Some(9),
            band: None,
            flags: Vec::new(),
            completed_at: app.state.now(),
        })
        .await
        .unwrap();
    let export = app.get(FHIR_EXPORT, Some(&pat)).await;
    assert_eq!(export.status, StatusCode::CONFLICT, "{}", export.text);
    assert_eq!(export.json["code"], "FHIR_EXPORT_UNAVAILABLE");
    let json_export = app.get("/api/security/export-data", Some(&pat)).await;
    assert_eq!(json_export.status, StatusCode::OK);
    assert_eq!(
        json_export.json["data"]["assessments"][0]["instrument_version"],
        "0"
    );
}

/// The export's `Flag` follows the alert's state (issue 14): a resolved alert's
/// `Flag` is `inactive` with `period.end` at the resolution, an open one stays
/// `active` with an open period.
async fn a_resolved_alert_exports_as_an_inactive_flag_and_an_open_one_stays_active(
    backend: Backend,
) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    app.create_staff("admin", Role::Admin).await;
    let pat = app.login("pat").await;
    let admin = app.login("admin").await;
    add_mood(
        &app,
        &pat,
        2,
        "I've saved my tablets and I'm taking them tonight",
    )
    .await;
    app.state.clock().advance(60);
    add_mood(&app, &pat, 2, "I wish I could sleep and not wake up").await;
    let listed = app.get("/api/alerts", Some(&admin)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    let alerts = listed.json["data"].as_array().expect("alerts").clone();
    assert_eq!(alerts.len(), 2, "{alerts:#?}");
    let critical = alerts
        .iter()
        .find(|alert| alert["severity"] == "critical")
        .expect("the tablets note raises a critical alert");
    assert!(alerts.iter().all(|alert| alert["state"] == "open"));

    app.state.clock().advance(3600);
    let resolved = app
        .post(
            &format!("/api/alerts/{}/resolve", critical["id"].as_str().unwrap()),
            json!({ "action": "Phoned the patient; safety plan reviewed" }),
            Some(&admin),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
    let resolved_at = resolved.json["data"]["resolved_at"].clone();
    assert!(resolved_at.is_string(), "{}", resolved.text);

    let export = app.get(FHIR_EXPORT, Some(&pat)).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    let flags = of_type(&export.json, "Flag");
    assert_eq!(flags.len(), 2, "{:#}", export.json);
    let (ended, open): (Vec<&Value>, Vec<&Value>) = flags
        .into_iter()
        .partition(|flag| flag["code"]["coding"][0]["code"] == "critical");
    let (ended, open) = (ended[0], open[0]);
    assert_eq!(ended["status"], "inactive", "{ended:#}");
    assert_eq!(ended["period"]["end"], resolved_at, "{ended:#}");
    assert_eq!(
        ended["period"]["start"], critical["created_at"],
        "{ended:#}"
    );
    assert_ne!(ended["period"]["start"], ended["period"]["end"]);
    assert_eq!(open["status"], "active", "{open:#}");
    assert!(open["period"]["start"].is_string(), "{open:#}");
    assert!(open["period"].get("end").is_none(), "{open:#}");
    // Only the resolution time: the action staff wrote is not in the Bundle.
    assert!(!export.text.contains("safety plan reviewed"));
}

async fn staff_export_has_no_patient_resource(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    let export = app.get(FHIR_EXPORT, Some(&doc)).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    assert_eq!(export.json["resourceType"], "Bundle");
    assert!(resources(&export.json).is_empty(), "{}", export.text);
}

crate::both_backends!(
    patient_downloads_their_own_record_as_a_fhir_bundle,
    records_in_the_same_second_keep_distinct_ids,
    export_format_is_checked_and_audited_without_patient_data,
    unrepresentable_record_is_a_typed_conflict_and_json_still_has_it,
    a_resolved_alert_exports_as_an_inactive_flag_and_an_open_one_stays_active,
    staff_export_has_no_patient_resource,
);
