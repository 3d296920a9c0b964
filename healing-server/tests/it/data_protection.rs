//! Data protection: encryption at rest, audit tamper detection, GDPR export and erasure.

use axum::http::StatusCode;
use healing_store::prelude::*;
use healing_store::{AuditChainStatus, Role};
use serde_json::json;

use crate::support::{Backend, TestApp};

const MARKER: &str = "ZEBRA-MARKER-7731 my private words";

async fn patient_free_text_is_not_stored_in_plaintext(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    let mood = app
        .post(
            &format!("/api/patients/{}/moods", id.as_str()),
            json!({ "mood": 4, "note": MARKER }),
            Some(&session),
        )
        .await;
    assert_eq!(mood.status, StatusCode::CREATED, "{}", mood.text);
    let journal = app
        .post(
            &format!("/api/patients/{}/journal", id.as_str()),
            json!({ "body": MARKER }),
            Some(&session),
        )
        .await;
    assert_eq!(journal.status, StatusCode::CREATED, "{}", journal.text);
    let chat = app
        .post(
            &format!("/api/patients/{}/chat", id.as_str()),
            json!({ "message": MARKER }),
            Some(&session),
        )
        .await;
    assert_eq!(chat.status, StatusCode::CREATED, "{}", chat.text);
    // The GDPR export holds the conversation.
    let export = app.get("/api/security/export-data", Some(&session)).await;
    assert_eq!(export.json["data"]["chat_messages"][0]["body"], MARKER);
    assert_eq!(
        export.json["data"]["chat_messages"][1]["author"],
        "companion"
    );
    // The API gives the text back to its owner...
    let read = app
        .get(
            &format!("/api/patients/{}/journal", id.as_str()),
            Some(&session),
        )
        .await;
    assert_eq!(read.json["data"][0]["body"], MARKER);
    // ...but the database never holds it.
    if backend == Backend::Sqlite {
        app.db.raw_execute("PRAGMA wal_checkpoint(TRUNCATE)").await;
    }
    let dump = app.db.raw_dump().await;
    assert!(!dump.is_empty());
    let needle = b"ZEBRA-MARKER-7731";
    assert!(
        !dump.windows(needle.len()).any(|window| window == needle),
        "plaintext found in the raw database"
    );
}

async fn audit_tampering_is_detected_by_endpoint_and_command(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    app.post(
        &format!("/api/patients/{}/moods", id.as_str()),
        json!({ "mood": 4 }),
        Some(&session),
    )
    .await;
    app.get(
        &format!("/api/patients/{}/moods", id.as_str()),
        Some(&session),
    )
    .await;
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    let intact = app
        .get("/api/security/audit-log/verify", Some(&admin))
        .await;
    assert_eq!(intact.json["data"]["intact"], true, "{}", intact.text);
    let log = app.get("/api/security/audit-log", Some(&admin)).await;
    let actions: Vec<&str> = log.json["data"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "user_registered",
        "login_succeeded",
        "patient_data_changed",
        "patient_data_read",
        "two_factor_succeeded",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    // Edit one entry behind the server's back.
    app.db.drop_audit_triggers().await;
    let changed = app
        .db
        .raw_execute("UPDATE audit_log SET action = 'logout' WHERE seq = 2")
        .await;
    assert_eq!(changed, 1);
    let broken = app
        .get("/api/security/audit-log/verify", Some(&admin))
        .await;
    assert_eq!(broken.json["data"]["intact"], false, "{}", broken.text);
    let verification = app.state.store().verify_audit().await.unwrap();
    assert!(matches!(
        verification.status,
        AuditChainStatus::Broken { .. }
    ));
    // The operator command reports the same (exit status 1 from main).
    let config = healing_server::config::Config {
        database_url: app.db.url.clone(),
        bind: "127.0.0.1:0".parse().unwrap(),
        cookie_security: healing_server::auth::session::CookieSecurity::PlainHttpLoopback,
        public_url: "http://127.0.0.1".to_owned(),
        metrics_token: None,
        fhir_signing_key: None,
        smtp_url: None,
        smtp_from: "x <x@test>".to_owned(),
        keys: healing_server::config::KeySet {
            current: healing_server::config::parse_key(crate::support::TEST_KEY_HEX, "test")
                .unwrap(),
            previous: Vec::new(),
            source: healing_server::config::KeySource::Environment,
        },
        alerting: healing_server::alerting::AlertingConfig::default(),
        llm: None,
        plugins: healing_server::plugins::PluginSettings {
            dir: app.db.url.clone().into(),
            key_file: "unused.key".into(),
        },
        appointments: healing_server::appointments::AppointmentConfig::default(),
    };
    let error = healing_server::commands::verify_audit(&config)
        .await
        .unwrap_err();
    assert!(
        error.to_string().starts_with("audit chain broken"),
        "{error}"
    );
}

/// Paging the audit log until the last page ends, although every page read
/// appends an `audit_log_read` entry: the first page fixes `until_seq`.
/// See: issue 21, finding 10.
async fn paging_the_audit_log_ends_at_the_first_pages_bound(backend: Backend) {
    let app = TestApp::new(backend).await;
    for name in ["ann", "bea", "cal"] {
        app.register_patient(name).await;
        app.login(name).await;
    }
    app.create_staff("admin", Role::Admin).await;
    let admin = app.login("admin").await;
    let head_before = app.state.store().audit_head_seq().await.unwrap().unwrap();

    let first = app
        .get("/api/security/audit-log?limit=2", Some(&admin))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let until_seq = first.json["data"]["until_seq"].as_i64().expect("until_seq");
    assert_eq!(until_seq, head_before, "{}", first.text);
    let mut seen: Vec<i64> = Vec::new();
    let mut page = first;
    let mut pages: i64 = 1;
    loop {
        let data = &page.json["data"];
        assert_eq!(data["until_seq"], until_seq, "{}", page.text);
        seen.extend(
            data["entries"]
                .as_array()
                .expect("entries")
                .iter()
                .map(|entry| entry["seq"].as_i64().expect("seq")),
        );
        let Some(after_seq) = data["next_after_seq"].as_i64() else {
            break;
        };
        assert!(pages < 50, "paging did not end: {seen:?}");
        page = app
            .get(
                &format!(
                    "/api/security/audit-log?limit=2&after_seq={after_seq}&until_seq={until_seq}"
                ),
                Some(&admin),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        pages += 1;
    }
    // Exactly the entries that existed at the first read, each once, although
    // every read appended one more.
    assert_eq!(seen, (1..=until_seq).collect::<Vec<_>>());
    let head_after = app.state.store().audit_head_seq().await.unwrap().unwrap();
    assert_eq!(head_after, until_seq + pages);
}

async fn deleted_audit_entry_is_detected(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    app.login("pat").await;
    app.login("pat").await;
    app.db.drop_audit_triggers().await;
    assert_eq!(
        app.db
            .raw_execute("DELETE FROM audit_log WHERE seq = 2")
            .await,
        1
    );
    let verification = app.state.store().verify_audit().await.unwrap();
    assert!(
        matches!(verification.status, AuditChainStatus::Broken { .. }),
        "{verification:?}"
    );
}

async fn patient_exports_everything_and_erases_the_account(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    app.post(
        &format!("/api/patients/{}/moods", id.as_str()),
        json!({ "mood": 7, "note": "good day" }),
        Some(&session),
    )
    .await;
    let submitted = app
        .post(
            &format!("/api/patients/{}/assessments", id.as_str()),
            json!({ "instrument_id": "phq9", "answers": [1,1,1,1,1,1,1,1,1] }),
            Some(&session),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::CREATED, "{}", submitted.text);
    assert_eq!(submitted.json["data"]["assessment"]["total"], 9);
    assert_eq!(
        submitted.json["data"]["needs_clinician_review"], true,
        "item 9 answered above zero"
    );
    let export = app.get("/api/security/export-data", Some(&session)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(
        export.json["data"]["mood_entries"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        export.json["data"]["assessments"].as_array().unwrap().len(),
        1
    );
    let wrong = app
        .post(
            "/api/security/delete-account",
            json!({ "password": "not my password" }),
            Some(&session),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let deleted = app
        .post(
            "/api/security/delete-account",
            json!({ "password": crate::support::PASSWORD }),
            Some(&session),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert!(
        app.state
            .store()
            .user_by_username("pat")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.get("/api/auth/check-session", Some(&session))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let tombstones = app
        .state
        .store()
        .audit_entries(healing_store::AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        tombstones
            .iter()
            .any(|entry| entry.action.as_str() == "account_erased")
    );
    assert!(app.state.store().verify_audit().await.unwrap().status == AuditChainStatus::Intact);
}

async fn seed_demo_builds_a_living_clinic(backend: Backend) {
    let app = TestApp::new(backend).await;
    let args = healing_server::cli::SeedDemoArgs {
        seed: 7,
        days: 30,
        patients: 12,
        clinicians: 2,
        password: "demo password 2026".to_owned(),
    };
    let report = healing_server::seed::seed_store(app.state.store(), &args)
        .await
        .unwrap();
    assert!(report.contains("12 patients"), "{report}");
    let patient = app
        .state
        .store()
        .user_by_username("demo.patient01")
        .await
        .unwrap()
        .unwrap();
    assert!(
        app.state
            .store()
            .mood_entries(&patient.id)
            .await
            .unwrap()
            .len()
            > 15
    );
    assert!(
        app.state
            .store()
            .assessments(&patient.id)
            .await
            .unwrap()
            .len()
            >= 4
    );
    // The seed records its sessions through the store's one path, with the measures
    // taken, so each course carries the outcome core gives its attended sessions.
    let courses = app.state.store().courses(&patient.id).await.unwrap();
    let sessions = app
        .state
        .store()
        .treatment_sessions(&patient.id)
        .await
        .unwrap();
    assert_eq!(
        courses[0].outcome,
        Some(healing_store::outcome_of(&courses[0], &sessions).unwrap())
    );
    assert!(sessions.iter().any(|session| !session.scores.is_empty()));
    let again = healing_server::seed::seed_store(app.state.store(), &args).await;
    assert!(again.is_err(), "seeding twice is refused");
}

/// Issue 21 item 4: the demo clinic held PHQ-9 item 9's `self_harm_thoughts`, every
/// answer and every course's problem in clear (`grep -a -c self_harm_thoughts` found 60).
async fn a_seeded_clinic_keeps_no_answers_flags_or_problems_in_clear(backend: Backend) {
    let app = TestApp::new(backend).await;
    let args = healing_server::cli::SeedDemoArgs {
        seed: 7,
        days: 30,
        patients: 12,
        clinicians: 2,
        password: "demo password 2026".to_owned(),
    };
    healing_server::seed::seed_store(app.state.store(), &args)
        .await
        .unwrap();
    // What to look for: the flag names, each answer list as JSON and each problem
    // descriptor the clinic holds, read back through the store.
    let mut needles = vec!["self_harm_thoughts".to_owned()];
    let mut self_harm_flags = 0;
    let mut courses = 0;
    let patients = app
        .state
        .store()
        .research_people(healing_store::Page::first(100))
        .await
        .unwrap();
    for person in &patients {
        for assessment in app.state.store().assessments(&person.id).await.unwrap() {
            self_harm_flags += assessment
                .flags
                .iter()
                .filter(|flag| matches!(flag, healing_core::scoring::Flag::SelfHarmThoughts { answer, .. } if *answer > 0))
                .count();
            needles.push(serde_json::to_string(&assessment.answers).unwrap());
        }
        for course in app.state.store().courses(&person.id).await.unwrap() {
            courses += 1;
            needles.push(
                serde_json::to_value(course.problem_descriptor)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    assert!(
        self_harm_flags > 0,
        "the clinic has answers to PHQ-9 item 9 above 0"
    );
    assert!(courses > 0, "the clinic has treatment courses");
    needles.sort();
    needles.dedup();
    if backend == Backend::Sqlite {
        app.db.raw_execute("PRAGMA wal_checkpoint(TRUNCATE)").await;
    }
    let dump = app.db.raw_dump().await;
    assert!(!dump.is_empty());
    let found: Vec<&String> = needles
        .iter()
        .filter(|needle| {
            dump.windows(needle.len())
                .any(|window| window == needle.as_bytes())
        })
        .collect();
    assert!(found.is_empty(), "found in the raw database: {found:?}");
}

crate::both_backends!(
    a_seeded_clinic_keeps_no_answers_flags_or_problems_in_clear,
    patient_free_text_is_not_stored_in_plaintext,
    audit_tampering_is_detected_by_endpoint_and_command,
    deleted_audit_entry_is_detected,
    paging_the_audit_log_ends_at_the_first_pages_bound,
    patient_exports_everything_and_erases_the_account,
    seed_demo_builds_a_living_clinic,
);
