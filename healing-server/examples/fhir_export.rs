//! A patient's GDPR download as FHIR, made exactly as the app makes it: seeds
//! the invented demo clinic into a temporary SQLite database, signs in as a
//! demo patient through the API and saves what
//! `GET /api/security/export-data?format=fhir` answers to
//! `OUT_DIR/server-export-bundle.json`, for `tools/fhir-validate/validate.py`
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
use healing_server::auth::session::CookieSecurity;
use healing_server::cli::SeedDemoArgs;
use healing_server::mailer::Mailer;
use healing_server::state::{AppState, StateOptions};
use healing_store::prelude::*;
use healing_store::{ConnectOptions, FieldCipher, FieldKey, KeyId, KeyRing};
use tower::ServiceExt as _;

/// The demo patient whose record is exported (invented by `seed-demo`).
const PATIENT: &str = "demo.patient01";
const PASSWORD: &str = "demo password 2026";

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
            seed: 2026,
            days: 60,
            password: PASSWORD.to_owned(),
        },
    )
    .await?;
    let state = AppState::new(
        store,
        Mailer::Disabled,
        StateOptions {
            metrics_token: None,
            fhir_signing_key: None,
            cookie_security: CookieSecurity::PlainHttpLoopback,
            public_url: "http://127.0.0.1:8080".to_owned(),
            alerting: healing_server::alerting::AlertingConfig::default(),
            llm: None,
        },
    );
    let app = healing_server::app(state);

    let login = app
        .clone()
        .oneshot(
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({ "username": PATIENT, "password": PASSWORD }).to_string(),
                ))?,
        )
        .await?;
    if login.status() != StatusCode::OK {
        return Err(format!("sign-in answered {}", login.status()).into());
    }
    let cookie = login
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("healing_session="))
        .and_then(|value| value.split(';').next())
        .ok_or("sign-in set no session cookie")?
        .to_owned();

    let export = app
        .oneshot(
            Request::get("/api/security/export-data?format=fhir")
                .header(header::COOKIE, cookie)
                .body(Body::empty())?,
        )
        .await?;
    if export.status() != StatusCode::OK {
        return Err(format!("export answered {}", export.status()).into());
    }
    let bytes = axum::body::to_bytes(export.into_body(), usize::MAX).await?;
    let bundle: serde_json::Value = serde_json::from_slice(&bytes)?;
    let entries = bundle["entry"].as_array().map_or(0, Vec::len);
    std::fs::create_dir_all(&out_dir)?;
    let path = out_dir.join("server-export-bundle.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&bundle)?)?;
    println!("wrote {} ({entries} entries)", path.display());
    Ok(())
}
