//! Telling people about alerts (issue 14), through HTTP with real listeners on
//! loopback: an SMTP server and an on-call webhook receiver. The worker is driven
//! with `run_once` at the app's test clock, so deadlines and backoff are crossed
//! by moving the clock, not by sleeping.

use std::time::Duration;

use axum::http::StatusCode;
use healing_server::alerting::{AlertingConfig, WebhookTarget, run_once};
use healing_server::mailer::Mailer;
use healing_store::prelude::*;
use healing_store::{AuditQuery, DeliveryChannel, DeliveryState, EscalationDeadlines, Role};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::support::{
    Backend, Reply, Session, SmtpSink, TestApp, WebhookReceiver, smtp_mailer, start_smtp,
    test_options,
};

const RISKY: &str = "I've saved my tablets and I'm taking them tonight";
const SECRET: &str = "whsec-test-0123456789abcdef0123456789";
/// A patient name that would stand out in any message that leaked it.
const PATIENT: &str = "rowan.ellis";

fn alerting(webhook: Option<&WebhookReceiver>, duty_email: bool) -> AlertingConfig {
    AlertingConfig {
        duty_email: duty_email.then(|| "duty@example.test".to_owned()),
        webhook: webhook.map(|receiver| WebhookTarget {
            url: receiver.url.parse().unwrap(),
            secret: Zeroizing::new(SECRET.as_bytes().to_vec()),
        }),
        deadlines: EscalationDeadlines::DEFAULT,
        delivery_timeout: Duration::from_secs(5),
    }
}

async fn app_with(backend: Backend, mailer: Mailer, alerting: AlertingConfig) -> TestApp {
    let options = healing_server::state::StateOptions {
        alerting,
        ..test_options()
    };
    TestApp::with_options(backend, mailer, options).await
}

/// The patient, linked to each of `clinicians` in turn (the first is the first
/// contact), all signed in.
async fn clinic(app: &TestApp, clinicians: &[&str]) -> (Session, Vec<Session>) {
    app.register_patient(PATIENT).await;
    let patient = app.login(PATIENT).await;
    let mut staff = Vec::new();
    for name in clinicians {
        app.create_staff(name, Role::Clinician).await;
        let session = app.login(name).await;
        app.accept_link(PATIENT, &patient, &session).await;
        staff.push(session);
    }
    (patient, staff)
}

async fn risky_note(app: &TestApp, patient: &Session) -> Value {
    let response = app
        .post(
            &format!("/api/patients/{}/moods", patient.user_id.as_str()),
            json!({ "mood": 2, "note": RISKY }),
            Some(patient),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.json["data"].clone()
}

async fn only_alert(app: &TestApp, clinician: &Session) -> Value {
    let listed = app.get("/api/alerts", Some(clinician)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    let alerts = listed.json["data"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{}", listed.text);
    alerts[0].clone()
}

/// The id of an alert raised by the patient's risky note and acknowledged by
/// their clinician, so that moving the clock does not escalate it as well.
async fn acknowledged_alert(app: &TestApp) -> String {
    let (patient, staff) = clinic(app, &["doc"]).await;
    risky_note(app, &patient).await;
    let alert_id = only_alert(app, &staff[0]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    acknowledge(app, &alert_id, &staff[0]).await;
    alert_id
}

async fn acknowledge(app: &TestApp, alert_id: &str, session: &Session) {
    let response = app
        .post(
            &format!("/api/alerts/{alert_id}/acknowledge"),
            json!({}),
            Some(session),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
}

/// The recipients of every email received, in order.
fn recipients(sink: &SmtpSink) -> Vec<String> {
    sink.received
        .lock()
        .unwrap()
        .iter()
        .map(|message| {
            message
                .lines()
                .find_map(|line| line.strip_prefix("To: "))
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .collect()
}

/// A pass of the worker with the clock moved `seconds` on.
async fn pass_after(app: &TestApp, seconds: i64) -> healing_server::alerting::Pass {
    app.state.clock().advance(seconds);
    run_once(&app.state).await.expect("worker pass")
}

/// The documented check, written out here rather than through the server's own
/// helper: hex HMAC-SHA256 of `t`, a full stop and the raw body.
fn signature_verifies(header: &str, body: &[u8]) -> bool {
    let Some((t, v1)) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    expected == v1
}

async fn a_risky_note_reaches_the_clinician_by_email_and_the_on_call_webhook(backend: Backend) {
    let (sink, port) = start_smtp();
    let receiver = WebhookReceiver::start(Vec::new()).await;
    let app = app_with(backend, smtp_mailer(port), alerting(Some(&receiver), true)).await;
    let (patient, staff) = clinic(&app, &["doc"]).await;
    let written = risky_note(&app, &patient).await;
    assert_eq!(written["safety"]["show_crisis_resources"], true);
    let alert = only_alert(&app, &staff[0]).await;

    let pass = run_once(&app.state).await.unwrap();
    assert_eq!(pass.attempted, 2, "one email to the clinician, one webhook");
    assert_eq!(recipients(&sink), ["doc@example.test"]);
    let email = sink.received.lock().unwrap()[0].clone();
    let unfolded = email.replace("=\r\n", "").replace("=3D", "=");
    assert!(unfolded.contains(&format!("/alerts?alert={}", alert["id"].as_str().unwrap())));
    for private in ["tablets", "tonight", PATIENT, patient.user_id.as_str()] {
        assert!(!unfolded.contains(private), "the email carries {private:?}");
    }

    let calls = receiver.calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert!(
        signature_verifies(&call.signature, &call.body),
        "{}",
        call.signature
    );
    let now = app.state.now().unix_seconds();
    assert_eq!(
        healing_server::alerting::webhook::verify_signature(
            SECRET.as_bytes(),
            &call.signature,
            &call.body,
            now,
            300
        ),
        Ok(())
    );
    let body = call.json();
    assert_eq!(body["type"], "alert.raised");
    assert_eq!(body["id"], call.idempotency_key.as_str());
    assert_eq!(body["alert"]["id"], alert["id"]);
    assert_eq!(body["alert"]["severity"], alert["severity"]);
    assert!(
        body["alert"]["patient_ref"]
            .as_str()
            .unwrap()
            .starts_with("p_")
    );
    let text = String::from_utf8(call.body.clone()).unwrap();
    for private in ["tablets", "tonight", PATIENT, patient.user_id.as_str()] {
        assert!(!text.contains(private), "the webhook carries {private:?}");
    }

    let deliveries = app
        .state
        .store()
        .deliveries_of_alert(alert["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 2);
    assert!(
        deliveries
            .iter()
            .all(|delivery| delivery.state == DeliveryState::Delivered && delivery.attempts == 1)
    );
    assert_eq!(
        run_once(&app.state).await.unwrap().attempted,
        0,
        "delivered once"
    );
}

async fn an_unacknowledged_critical_alert_escalates_until_someone_acknowledges_it(
    backend: Backend,
) {
    let (sink, port) = start_smtp();
    let app = app_with(backend, smtp_mailer(port), alerting(None, true)).await;
    let (patient, staff) = clinic(&app, &["doc", "second.doc"]).await;
    risky_note(&app, &patient).await;
    let alert = only_alert(&app, &staff[0]).await;
    assert_eq!(alert["severity"], "critical", "{alert}");
    let alert_id = alert["id"].as_str().unwrap().to_owned();

    assert_eq!(pass_after(&app, 0).await.escalated, 0);
    assert_eq!(recipients(&sink), ["doc@example.test"]);
    // Not yet: ten minutes less half a minute (the clock also runs in real time,
    // so the margin leaves room for a slow machine).
    assert_eq!(pass_after(&app, 570).await.escalated, 0);
    // Past the deadline: the other linked clinician.
    assert_eq!(pass_after(&app, 31).await.escalated, 1);
    assert_eq!(
        recipients(&sink),
        ["doc@example.test", "second.doc@example.test"]
    );
    // Ten more minutes: the duty contact.
    assert_eq!(pass_after(&app, 601).await.escalated, 1);
    assert_eq!(
        recipients(&sink),
        [
            "doc@example.test",
            "second.doc@example.test",
            "duty@example.test"
        ]
    );
    let escalated = only_alert(&app, &staff[0]).await;
    assert_eq!(escalated["escalation_level"], 2, "{escalated}");
    assert!(escalated["escalate_at"].is_string());

    acknowledge(&app, &alert_id, &staff[1]).await;
    assert_eq!(pass_after(&app, 3_600).await.escalated, 0);
    assert_eq!(recipients(&sink).len(), 3, "no email after acknowledgement");
    let escalations = app
        .state
        .store()
        .audit_entries(AuditQuery {
            actor_id: None,
            subject_patient_id: Some(patient.user_id.clone()),
            after_seq: None,
            until_seq: None,
            limit: 1000,
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action.as_str() == "alert_escalated")
        .count();
    assert_eq!(escalations, 2);
}

async fn a_webhook_failing_three_times_is_delivered_once_more_with_the_same_key(backend: Backend) {
    let receiver = WebhookReceiver::start(vec![Reply::Status(500); 3]).await;
    let app = app_with(backend, Mailer::Disabled, alerting(Some(&receiver), false)).await;
    let alert_id = acknowledged_alert(&app).await;

    assert_eq!(pass_after(&app, 0).await.attempted, 1);
    // Due again only after the backoff (30 s less a quarter at the least; the
    // margin is for the real time that passes too).
    assert_eq!(pass_after(&app, 5).await.attempted, 0);
    for _ in 0..3 {
        assert_eq!(pass_after(&app, 400).await.attempted, 1);
    }
    assert_eq!(pass_after(&app, 4_000).await.attempted, 0);

    let calls = receiver.calls();
    assert_eq!(calls.len(), 4);
    assert!(
        calls
            .iter()
            .all(|call| call.idempotency_key == calls[0].idempotency_key)
    );
    let deliveries = app
        .state
        .store()
        .deliveries_of_alert(&alert_id)
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].channel, DeliveryChannel::Webhook);
    assert_eq!(deliveries[0].state, DeliveryState::Delivered);
    assert_eq!(deliveries[0].attempts, 4);
    assert_eq!(deliveries[0].id, calls[0].idempotency_key);
}

async fn a_delivery_that_never_succeeds_alerts_the_duty_contact(backend: Backend) {
    let receiver = WebhookReceiver::start(vec![Reply::Status(503); 100]).await;
    let app = app_with(backend, Mailer::Disabled, alerting(Some(&receiver), false)).await;
    app.create_staff("admin", Role::Admin).await;
    let alert_id = acknowledged_alert(&app).await;
    for _ in 0..8 {
        pass_after(&app, 5_000).await;
    }
    let deliveries = app
        .state
        .store()
        .deliveries_of_alert(&alert_id)
        .await
        .unwrap();
    assert_eq!(deliveries[0].state, DeliveryState::Failed);
    assert_eq!(deliveries[0].attempts, 8);

    // Signed in now: the clock has moved past the earlier sessions' expiry.
    let admin = app.login("admin").await;
    let listed = app.get("/api/alerts", Some(&admin)).await;
    let failed: Vec<&Value> = listed.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|alert| alert["source"] == "delivery_failed")
        .collect();
    assert_eq!(failed.len(), 1, "{}", listed.text);
    assert_eq!(failed[0]["routed_to"], "duty_contact");
    assert_eq!(failed[0]["source_id"], deliveries[0].id.as_str());
    // Its own webhook fails too and is given up without raising another.
    let failed_id = failed[0]["id"].as_str().unwrap().to_owned();
    acknowledge(&app, &failed_id, &admin).await;
    for _ in 0..10 {
        pass_after(&app, 5_000).await;
    }
    let admin = app.login("admin").await;
    let listed = app.get("/api/alerts", Some(&admin)).await;
    assert_eq!(listed.json["data"].as_array().unwrap().len(), 2);
}

crate::both_backends!(
    a_risky_note_reaches_the_clinician_by_email_and_the_on_call_webhook,
    an_unacknowledged_critical_alert_escalates_until_someone_acknowledges_it,
    a_webhook_failing_three_times_is_delivered_once_more_with_the_same_key,
    a_delivery_that_never_succeeds_alerts_the_duty_contact,
);

// ---- real server processes ----

mod processes {
    use std::collections::{HashMap, HashSet};
    use std::time::Duration;

    use serde_json::json;

    use super::{RISKY, SECRET};
    use crate::processes::{HttpSession, Server, client, register_and_login};
    use crate::support::{Backend, Reply, TEST_KEY_HEX, TestDb, WebhookReceiver};

    async fn write_risky_note(server: &Server, session: &HttpSession) {
        let response = client()
            .post(format!(
                "{}/api/patients/{}/moods",
                server.base, session.user_id
            ))
            .header("cookie", format!("healing_session={}", session.cookie))
            .header("x-csrf-token", &session.csrf)
            .json(&json!({ "mood": 2, "note": RISKY }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }

    async fn delivery_states(db: &TestDb) -> Vec<(String, String)> {
        use sqlx::Connection as _;
        let mut connection = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query_as("SELECT id, state FROM alert_deliveries ORDER BY id")
            .fetch_all(&mut connection)
            .await
            .unwrap()
    }

    /// A webhook call in flight when the server is killed is made again after
    /// restart, with the same idempotency key.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_delivery_cut_off_by_kill_9_is_made_after_restart() {
        let db = TestDb::new(Backend::Postgres).await;
        // The first call never gets an answer: the server is killed while it waits.
        let receiver = WebhookReceiver::start(vec![Reply::Hang]).await;
        let env = [
            ("DATABASE_URL", db.url.as_str()),
            ("HEALING_ENCRYPTION_KEY", TEST_KEY_HEX),
            ("HEALING_ALERT_WEBHOOK_URL", receiver.url.as_str()),
            ("HEALING_ALERT_WEBHOOK_SECRET", SECRET),
            // A claim lasts three times this: 6 s.
            ("HEALING_ALERT_DELIVERY_TIMEOUT_SECONDS", "2"),
        ];
        let mut server = Server::start(db.dir.path(), &env).await;
        let session = register_and_login(&server.base, "pat").await;
        write_risky_note(&server, &session).await;
        let first = receiver.wait_for(1, 20).await;
        assert_eq!(first.len(), 1, "the webhook call started");
        server.child.start_kill().unwrap(); // SIGKILL: the attempt is never recorded.
        server.child.wait().await.unwrap();
        let states = delivery_states(&db).await;
        assert_eq!(states.len(), 1);
        assert_eq!(
            states[0].1, "pending",
            "killed before delivery was recorded"
        );

        let _restarted = Server::start(db.dir.path(), &env).await;
        let calls = receiver.wait_for(2, 30).await;
        assert_eq!(calls.len(), 2, "delivered after restart");
        assert_eq!(calls[1].idempotency_key, calls[0].idempotency_key);
        for _ in 0..40 {
            if delivery_states(&db).await[0].1 == "delivered" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert_eq!(delivery_states(&db).await[0].1, "delivered");
        assert_eq!(receiver.calls().len(), 2, "and not again");
    }

    /// Two server processes on one PostgreSQL: every delivery reaches the
    /// receiver once, and every escalation of an alert happens once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_processes_on_one_postgres_deliver_and_escalate_once() {
        let db = TestDb::new(Backend::Postgres).await;
        let receiver = WebhookReceiver::start(Vec::new()).await;
        let env = [
            ("DATABASE_URL", db.url.as_str()),
            ("HEALING_ENCRYPTION_KEY", TEST_KEY_HEX),
            ("HEALING_ALERT_WEBHOOK_URL", receiver.url.as_str()),
            ("HEALING_ALERT_WEBHOOK_SECRET", SECRET),
            ("HEALING_ESCALATE_CRITICAL_SECONDS", "2"),
        ];
        let first = Server::start(db.dir.path(), &env).await;
        let second = Server::start(db.dir.path(), &env).await;
        for (index, server) in [&first, &second, &first, &second].into_iter().enumerate() {
            let session = register_and_login(&server.base, &format!("pat{index}")).await;
            write_risky_note(server, &session).await;
        }
        // Four raised, then an escalation of each every two seconds.
        tokio::time::sleep(Duration::from_secs(9)).await;
        drop((first, second));
        let calls = receiver.calls();
        let mut keys = HashSet::new();
        for call in &calls {
            assert!(
                keys.insert(call.idempotency_key.clone()),
                "delivery {} arrived twice",
                call.idempotency_key
            );
        }
        let mut levels: HashMap<String, Vec<u64>> = HashMap::new();
        for call in &calls {
            let body = call.json();
            levels
                .entry(body["alert"]["id"].as_str().unwrap().to_owned())
                .or_default()
                .push(body["alert"]["escalation_level"].as_u64().unwrap());
        }
        assert_eq!(levels.len(), 4, "{levels:?}");
        for (alert, mut seen) in levels {
            seen.sort_unstable();
            let count = seen.len();
            seen.dedup();
            assert_eq!(
                seen.len(),
                count,
                "alert {alert} escalated twice to one level"
            );
            assert!(count >= 3, "alert {alert} raised and escalated: {seen:?}");
        }
    }
}
