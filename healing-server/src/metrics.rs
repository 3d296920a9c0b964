//! Prometheus metrics: request counts and latencies per route template and
//! status (never per concrete path, which would hold ids), rendered at `/metrics`.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process-wide recorder's handle, installed on first use (one per
/// process, shared by every app built in it, e.g. in tests).
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| match PrometheusBuilder::new().install_recorder() {
            Ok(handle) => Some(handle),
            Err(error) => {
                tracing::warn!(%error, "metrics recorder not installed");
                None
            }
        })
        .as_ref()
}

/// The methods the API knows; any other is refused by [`refuse_unknown_method`]
/// and would be labelled `other`, so no request can add a label value.
const KNOWN_METHODS: [Method; 7] = [
    Method::GET,
    Method::HEAD,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::OPTIONS,
];

/// The `method` label: a known method's name, else `other`.
fn method_label(method: &Method) -> String {
    if KNOWN_METHODS.contains(method) {
        method.as_str().to_owned()
    } else {
        "other".to_owned()
    }
}

/// Middleware answering 405 (JSON error body) to a method the API does not
/// know, before routing, metrics or tracing see it.
pub async fn refuse_unknown_method(request: Request, next: Next) -> Response {
    if KNOWN_METHODS.contains(request.method()) {
        next.run(request).await
    } else {
        crate::error::ApiError::new(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "unknown HTTP method",
        )
        .into_response()
    }
}

/// Middleware recording `http_requests_total` and `http_request_duration_seconds`,
/// labelled by known method (else `other`), route template (never a concrete
/// path) and status.
pub async fn record_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The `/metrics` body in Prometheus text format.
pub fn render() -> String {
    handle()
        .map(|handle| {
            handle.run_upkeep();
            handle.render()
        })
        .unwrap_or_default()
}
