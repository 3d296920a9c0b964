//! Start-up and serving: connect and migrate the store, build the app, bind,
//! and shut down gracefully on SIGTERM or Ctrl-C (in-flight requests finish).

use std::net::SocketAddr;
use std::sync::Arc;

use healing_store::prelude::*;
use healing_store::{AlertingPolicy, ConnectOptions, FieldCipher, KeyRing};

use crate::config::{Config, ConfigError};
use crate::mailer::Mailer;
use crate::state::{AppState, StateOptions};

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The store failed.
    #[error("database: {0}")]
    Store(#[from] healing_store::Error),
    /// An I/O error (binding the socket, reading stdin).
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// Anything else, described.
    #[error("{0}")]
    Failed(String),
}

/// Builds the key ring from the configured keys.
pub fn key_ring(keys: &crate::config::KeySet) -> Result<KeyRing, CommandError> {
    Ok(healing_store::key_ring(&keys.current, &keys.previous)?)
}

/// Connects to the configured database, applies migrations and records the
/// current key id. Alerts raised and notifications written through this store
/// stay in the app: operator commands (`seed-demo` among them) never email or
/// call the on-call webhook.
pub async fn open_store(config: &Config) -> Result<healing_store::AnyStore, CommandError> {
    open_store_with(config, AlertingPolicy::IN_APP_ONLY, false).await
}

async fn open_store_with(
    config: &Config,
    alerting: AlertingPolicy,
    notification_email: bool,
) -> Result<healing_store::AnyStore, CommandError> {
    let cipher = Arc::new(FieldCipher::new(key_ring(&config.keys)?));
    let options = ConnectOptions {
        alerting,
        notification_email,
        ..ConnectOptions::new(cipher)
    };
    let store = healing_store::connect(&config.database_url, options).await?;
    store.migrate().await?;
    let now = crate::state::Clock::default().now();
    store.record_key(config.keys.current.id(), now).await?;
    Ok(store)
}

/// Builds the application state from configuration (store opened and
/// migrated, installed plugins loaded: a refused plugin stops it here).
pub async fn build_state(config: &Config) -> Result<AppState, CommandError> {
    let plugins = crate::plugins::ServerPlugins::load(&config.plugins)?;
    let mailer = Mailer::from_settings(config.smtp_url.as_deref(), &config.smtp_from)?;
    let notification_email = matches!(mailer, Mailer::Smtp { .. });
    let store =
        open_store_with(config, config.alerting.policy(&mailer), notification_email).await?;
    if matches!(mailer, Mailer::Disabled) {
        tracing::warn!("HEALING_SMTP_URL is not set: password reset emails will not be sent");
    }
    Ok(AppState::with_plugins(
        store,
        mailer,
        StateOptions {
            cookie_security: config.cookie_security,
            public_url: config.public_url.clone(),
            metrics_token: config.metrics_token.clone(),
            fhir_signing_key: config.fhir_signing_key.clone(),
            alerting: config.alerting.clone(),
            llm: config.llm.clone(),
            appointments: config.appointments,
        },
        plugins,
    ))
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting connections and
/// lets in-flight requests finish.
pub async fn serve(config: &Config) -> Result<(), CommandError> {
    let state = build_state(config).await?;
    let _ = crate::metrics::handle();
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| CommandError::Io {
            context: "binding HEALING_BIND",
            source,
        })?;
    let local = listener.local_addr().map_err(|source| CommandError::Io {
        context: "reading the bound address",
        source,
    })?;
    tracing::info!(address = %local, backend = %state_backend(&state), "healing-server listening");
    // A line on stdout that scripts (tests, benchmarks) wait for.
    println_listening(local);
    spawn_session_sweeper(state.clone());
    crate::alerting::spawn_worker(state.clone());
    crate::appointments::reminders::spawn_worker(state.clone());
    axum::serve(
        listener,
        crate::app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|source| CommandError::Io {
        context: "serving",
        source,
    })?;
    tracing::info!("healing-server stopped");
    Ok(())
}

fn state_backend(state: &AppState) -> &'static str {
    state.store().backend().as_str()
}

#[expect(
    clippy::print_stdout,
    reason = "the listening line is the server's start-up contract with scripts"
)]
fn println_listening(address: SocketAddr) {
    println!("listening on http://{address}");
}

/// Deletes expired sessions every ten minutes.
fn spawn_session_sweeper(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            interval.tick().await;
            let now = state.now();
            match state
                .store()
                .delete_expired_sessions(now, crate::auth::session::IDLE_TIMEOUT_SECONDS)
                .await
            {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "expired sessions deleted"),
                Err(error) => tracing::warn!(%error, "expired session sweep failed"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
