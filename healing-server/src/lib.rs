//! `healing-server`: the reference HTTP server for Healing.
//!
//! [`app`] builds the whole axum application from an [`AppState`] (tests
//! drive it in-process with `tower::ServiceExt::oneshot`); [`server::serve`]
//! binds it to a socket with graceful shutdown; [`commands`] holds the
//! operator subcommands. See the crate README for the design.

pub mod accounts;
pub mod alerting;
pub mod appointments;
pub mod audit;
pub mod auth;
pub mod chat;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod fhir_export;
pub mod headers;
pub mod mailer;
pub mod metrics;
pub mod notification_email;
pub mod openapi;
pub mod plugins;
pub mod policy;
pub mod questionnaires;
pub mod routes;
pub mod safety_plan;
pub mod screening;
pub mod seed;
pub mod server;
pub mod state;
pub mod tools;
pub mod web;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use policy::{Policy, RouteInfo};
pub use state::AppState;

/// Largest request body accepted (1 MiB): journal entries and questionnaires are far smaller.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Longest a request may take before the server answers 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Every route with its policy (what the access-matrix test walks).
pub fn route_table() -> Vec<RouteInfo> {
    let (_, _, mut table) = routes::api_router()
        .route(Policy::Public, utoipa_axum::routes!(openapi::openapi_json))
        .into_parts();
    table.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    table
}

/// The application: every route behind the policy layer, plus CSRF,
/// security headers, body and time limits, panic catching, metrics and
/// request tracing (route templates only, never bodies or ids in paths).
/// The errors those layers answer themselves (405, 408, 413) get the JSON
/// error envelope ([`error::envelope_bare_errors`]).
pub fn app(state: AppState) -> Router {
    // Install the metrics recorder before the first request is counted.
    let _ = metrics::handle();
    let (router, _, _) = routes::api_router()
        .route(Policy::Public, utoipa_axum::routes!(openapi::openapi_json))
        .into_parts();
    router
        .fallback(not_found)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(auth::csrf::protect))
        .layer(axum::middleware::from_fn(metrics::record_request))
        .layer(axum::middleware::from_fn(metrics::refuse_unknown_method))
        .layer(axum::Extension(state))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("unmatched", MatchedPath::as_str);
                    tracing::info_span!("request", method = %request.method(), route)
                })
                .on_request(()),
        )
        .layer(CatchPanicLayer::custom(
            |_panic: Box<dyn std::any::Any + Send>| {
                error::ApiError::internal("a handler panicked").into_response()
            },
        ))
        .layer(axum::middleware::map_response(error::envelope_bare_errors))
        .layer(axum::middleware::map_response(
            headers::add_security_headers,
        ))
}

async fn not_found() -> Response {
    error::ApiError::not_found("route").into_response()
}
