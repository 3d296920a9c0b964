//! Wellbeing that feeds the pet: rewards come only from stored activity, credited
//! by the server in the activity's transaction and within the daily caps; the
//! client cannot name one.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::support::{Backend, Session, TestApp};

async fn coins(app: &TestApp, patient: &Session) -> u64 {
    let pet = app
        .get(
            &format!("/api/patients/{}/pet", patient.user_id.as_str()),
            Some(patient),
        )
        .await;
    assert_eq!(pet.status, StatusCode::OK, "{}", pet.text);
    pet.json["data"]["coins"].as_u64().expect("coins")
}

async fn rewards_come_only_from_stored_activity_within_the_daily_cap(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let patient = app.login("pat").await;
    let base = format!("/api/patients/{}", patient.user_id.as_str());
    let adopted = app
        .post(
            &format!("{base}/pet"),
            json!({ "name": "Biscuit", "species": "cat" }),
            Some(&patient),
        )
        .await;
    assert_eq!(adopted.status, StatusCode::CREATED, "{}", adopted.text);
    let start = coins(&app, &patient).await;

    // The client cannot name a reward.
    let claimed = app
        .post(
            &format!("{base}/pet/events"),
            json!({ "event": { "kind": "complete_activity", "activity": "mood_log" } }),
            Some(&patient),
        )
        .await;
    assert_eq!(claimed.status, StatusCode::BAD_REQUEST, "{}", claimed.text);
    assert_eq!(coins(&app, &patient).await, start);
    // Pet-only actions still work.
    let played = app
        .post(
            &format!("{base}/pet/events"),
            json!({ "event": { "kind": "play" } }),
            Some(&patient),
        )
        .await;
    assert_eq!(played.status, StatusCode::OK, "{}", played.text);

    // Four mood logs: the first three pay (cap 3 a day), the fourth pays nothing.
    let reward = healing_core::pet::activity_reward(healing_core::pet::WellbeingActivity::MoodLog);
    let mut paid = Vec::new();
    for _ in 0..4 {
        let before = coins(&app, &patient).await;
        let logged = app
            .post(
                &format!("{base}/moods"),
                json!({ "mood": 6 }),
                Some(&patient),
            )
            .await;
        assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.text);
        paid.push(coins(&app, &patient).await - before);
    }
    let coins_each = u64::from(reward.coins);
    assert_eq!(reward.per_day, 3);
    assert_eq!(paid, vec![coins_each, coins_each, coins_each, 0]);

    // A safety-plan save is credited too (as a self-help tool used).
    let before = coins(&app, &patient).await;
    let saved = app
        .call(
            Method::PUT,
            &format!("{base}/safety-plan"),
            Some(json!({ "reasons_for_living": ["my cat"] })),
            Some(&patient),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    let tool = healing_core::pet::activity_reward(healing_core::pet::WellbeingActivity::CbtTool);
    assert_eq!(coins(&app, &patient).await - before, u64::from(tool.coins));
}

both_backends!(rewards_come_only_from_stored_activity_within_the_daily_cap);
