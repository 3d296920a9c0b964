//! A patient's record as FHIR, made exactly as the app makes it, signed with a
//! server signing key: seeds the invented demo clinic into a temporary SQLite
//! database, then through the API saves the patient's own GDPR download
//! (`GET /api/security/export-data?format=fhir`, as a demo patient) to
//! `OUT_DIR/server-export-bundle.json`, and their clinician's download for the EHR
//! (`GET /api/clinician/patients/{id}/fhir`, as the demo clinician after two-factor
//! sign-in) to `OUT_DIR/server-clinician-bundle.json`, each checked to carry a
//! `Provenance` whose signature verifies, for `tools/fhir-validate/validate.py`
//! (the test command runs both).
//!
//! ```sh
//! cargo run -p healing-server --example fhir_export -- OUT_DIR
//! ```
#![expect(
    clippy::print_stdout,
    reason = "an example prints what it wrote for a person to read"
)]

use std::error::Error;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use healing_core::fhir::{self, SigningKey};
use healing_server::auth::session::CookieSecurity;
use healing_server::cli::SeedDemoArgs;
use healing_server::mailer::Mailer;
use healing_server::state::{AppState, StateOptions};
use healing_store::prelude::*;
use healing_store::{ConnectOptions, FieldCipher, FieldKey, KeyId, KeyRing};
use tower::ServiceExt as _;

/// The demo patient whose record is exported, and their clinician (invented by `seed-demo`).
const PATIENT: &str = "demo.patient01";
const CLINICIAN: &str = "demo.clinician1";
const PASSWORD: &str = "demo password 2026";
const SEED: u64 = 2026;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = PathBuf::from(
        std::env::args_os()
            .nth(1)
            .ok_or("usage: fhir_export OUT_DIR")?,
    );
    let data = tempfile::tempdir()?;
    // A fresh key: the database lives only as long as this run.
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)?;
    let cipher = Arc::new(FieldCipher::new(KeyRing::new(
        KeyId::new("fhir-example")?,
        FieldKey::from_bytes(key),
    )));
    let url = format!(
        "sqlite://{}?mode=rwc",
        data.path().join("healing.db").display()
    );
    let store = healing_store::connect(&url, ConnectOptions::new(cipher)).await?;
    store.migrate().await?;
    healing_server::seed::seed_store(
        &store,
        &SeedDemoArgs {
            seed: SEED,
            days: 60,
            patients: 12,
            clinicians: 2,
            password: PASSWORD.to_owned(),
        },
    )
    .await?;
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)?;
    let signing_key = SigningKey::hs256("fhir-example", &secret)?;
    let state = AppState::new(
        store,
        Mailer::Disabled,
        StateOptions {
            metrics_token: None,
            fhir_signing_key: Some(signing_key.clone()),
            cookie_security: CookieSecurity::PlainHttpLoopback,
            public_url: "http://127.0.0.1:8080".to_owned(),
            alerting: healing_server::alerting::AlertingConfig::default(),
            llm: None,
            appointments: healing_server::appointments::AppointmentConfig::default(),
        },
    );
    let app = healing_server::app(state);

    std::fs::create_dir_all(&out_dir)?;

    let patient = sign_in(&app, PATIENT, None).await?;
    let bundle = get_json(
        &app,
        "/api/security/export-data?format=fhir",
        &patient.cookie,
    )
    .await?;
    save_verified(
        &out_dir.join("server-export-bundle.json"),
        &bundle,
        &signing_key,
    )?;

    let totp_secret =
        healing_server::auth::totp::base32_decode(&healing_server::seed::demo_totp_secret(SEED))
            .ok_or("the demo TOTP secret is not base32")?;
    let clinician = sign_in(&app, CLINICIAN, Some(&totp_secret)).await?;
    let record = format!("/api/clinician/patients/{}/fhir", patient.user_id);
    let bundle = get_json(&app, &record, &clinician.cookie).await?;
    save_verified(
        &out_dir.join("server-clinician-bundle.json"),
        &bundle,
        &signing_key,
    )?;
    Ok(())
}

/// A signed-in session: its cookie and whose it is.
struct Session {
    cookie: String,
    user_id: String,
}

/// Signs in through the API, with the second factor when a TOTP secret is given.
async fn sign_in(
    app: &axum::Router,
    username: &str,
    totp_secret: Option<&[u8]>,
) -> Result<Session, Box<dyn Error>> {
    let login = app
        .clone()
        .oneshot(
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({ "username": username, "password": PASSWORD }).to_string(),
                ))?,
        )
        .await?;
    if login.status() != StatusCode::OK {
        return Err(format!("sign-in of {username} answered {}", login.status()).into());
    }
    let mut cookie = session_cookie(&login)?;
    let body: serde_json::Value =
        serde_json::from_slice(&axum::body::to_bytes(login.into_body(), usize::MAX).await?)?;
    let user_id = body["data"]["user"]["id"]
        .as_str()
        .ok_or("sign-in answered no user id")?
        .to_owned();
    if let Some(secret) = totp_secret {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        let code = healing_server::auth::totp::code_at(secret, i64::try_from(now)?);
        let verified = app
            .clone()
            .oneshot(
                Request::post("/api/auth/verify-2fa")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::COOKIE, &cookie)
                    .header(
                        "x-csrf-token",
                        body["data"]["csrf_token"].as_str().unwrap_or_default(),
                    )
                    .body(Body::from(serde_json::json!({ "code": code }).to_string()))?,
            )
            .await?;
        if verified.status() != StatusCode::OK {
            return Err(format!("two-factor sign-in answered {}", verified.status()).into());
        }
        cookie = session_cookie(&verified)?;
    }
    Ok(Session { cookie, user_id })
}

/// The `name=value` of the session cookie an answer sets.
fn session_cookie(response: &axum::response::Response) -> Result<String, Box<dyn Error>> {
    Ok(response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("healing_session="))
        .and_then(|value| value.split(';').next())
        .ok_or("the answer set no session cookie")?
        .to_owned())
}

/// GETs `path` with the session cookie and parses the answer as JSON.
async fn get_json(
    app: &axum::Router,
    path: &str,
    cookie: &str,
) -> Result<serde_json::Value, Box<dyn Error>> {
    let response = app
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())?,
        )
        .await?;
    if response.status() != StatusCode::OK {
        return Err(format!("{path} answered {}", response.status()).into());
    }
    Ok(serde_json::from_slice(
        &axum::body::to_bytes(response.into_body(), usize::MAX).await?,
    )?)
}

/// Checks that the bundle's `Provenance` signature verifies over its other
/// resources, then writes it for the validators.
fn save_verified(
    path: &std::path::Path,
    bundle: &serde_json::Value,
    key: &SigningKey,
) -> Result<(), Box<dyn Error>> {
    let resources: Vec<serde_json::Value> = bundle["entry"]
        .as_array()
        .ok_or("the bundle has no entries")?
        .iter()
        .map(|entry| entry["resource"].clone())
        .collect();
    let (provenance, targets): (Vec<_>, Vec<_>) = resources
        .into_iter()
        .partition(|resource| resource["resourceType"] == "Provenance");
    let provenance = provenance
        .into_iter()
        .next()
        .ok_or("the bundle is not signed")?;
    let count = targets.len() + 1;
    let provenance: fhir::fhir_sdk::r4b::resources::Provenance =
        serde_json::from_value(provenance)?;
    let targets: Vec<fhir::fhir_sdk::r4b::resources::Resource> =
        serde_json::from_value(serde_json::Value::Array(targets))?;
    fhir::verify_provenance(&provenance, &targets, key)?;
    std::fs::write(path, serde_json::to_vec_pretty(bundle)?)?;
    println!(
        "wrote {} ({count} entries, signature verified)",
        path.display()
    );
    Ok(())
}
