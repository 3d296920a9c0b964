//! `/api/health` (liveness and database) and `/metrics` (Prometheus).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use healing_store::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ok;
use crate::state::AppState;

/// Health report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: String,
    /// `ok` or `unavailable`.
    pub database: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Server version.
    pub version: String,
}

/// Liveness and database check. 200 when healthy, 503 when the database does not answer.
#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, description = "Healthy", body = Health), (status = 503, description = "Database unavailable", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Response {
    let database_ok = state.store().ping().await.is_ok();
    let health = Health {
        status: if database_ok { "ok" } else { "degraded" }.to_owned(),
        database: if database_ok { "ok" } else { "unavailable" }.to_owned(),
        backend: state.store().backend().as_str().to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let mut response = ok(health);
    if !database_ok {
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    }
    response
}

/// Prometheus metrics (request counts and latencies per route template), for
/// the scraper holding `HEALING_METRICS_TOKEN`; 404 when no token is set.
#[utoipa::path(get, path = "/metrics", tag = "health",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
        (status = 401, description = "Missing or wrong bearer token", body = crate::error::ErrorBody),
        (status = 404, description = "Metrics are disabled (no token configured)", body = crate::error::ErrorBody)))]
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    use subtle::ConstantTimeEq as _;
    let Some(token) = state.metrics_token() else {
        return crate::error::ApiError::not_found("route").into_response();
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !bool::from(sent.as_bytes().ct_eq(token.as_bytes())) {
        return crate::error::ApiError::unauthenticated().into_response();
    }
    let mut response = crate::metrics::render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}
