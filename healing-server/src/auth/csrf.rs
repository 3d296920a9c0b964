//! CSRF protection: one middleware in front of the whole app.
//!
//! Every state-changing request (POST, PUT, PATCH, DELETE) that carries a
//! session cookie must send the session's CSRF token in `X-CSRF-Token`
//! (returned by login and check-session), compared in constant time; anything
//! else is answered 403 `CSRF_FAILED`. A request without a session cookie
//! carries no ambient authority, so it passes here and the policy layer
//! answers 401 where a session is needed.
//!
//! The pre-session routes ([`PRE_SESSION_PATHS`]: login, register, password
//! reset) cannot have a token yet. They are protected instead by the
//! `SameSite=Lax` cookie (a cross-site POST does not carry it) and by an
//! Origin check: a request whose `Origin` is not this server's public origin,
//! or whose `Sec-Fetch-Site` says `cross-site`, is refused with 403. Their
//! worst cross-site effect (a login as the attacker, "login CSRF") is
//! stopped by the Origin check.
//!
//! Every refusal is audited as `access_denied` (the session's user when the
//! cookie names one, the route template, why), never with the request body.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use healing_store::prelude::*;
use subtle::ConstantTimeEq;

use crate::auth::session::token_from_cookie_header;
use crate::error::ApiError;
use crate::state::AppState;

/// The header carrying the token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Routes used before a session exists (see the module docs).
pub const PRE_SESSION_PATHS: &[&str] = &[
    "/api/auth/login",
    "/api/auth/register",
    "/api/security/password-reset",
    "/api/security/password-reset/confirm",
];

/// Whether requests with this method change state and so need the token.
pub fn requires_token(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH" | "DELETE")
}

/// Audits the refusal, then answers 403 `CSRF_FAILED` with `message`.
fn refuse(
    request: &Request,
    message: &'static str,
) -> impl Future<Output = Response> + Send + use<> {
    // Copied out of the request first: a borrowed body cannot cross an await.
    let state = request.extensions().get::<AppState>().cloned();
    let cookies = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok());
    let token = token_from_cookie_header(cookies);
    let method = request.method().as_str().to_owned();
    let route = crate::audit::route_template(request);
    async move {
        if let Some(state) = state {
            // Who the cookie names, read without touching the session.
            let actor = match token {
                Some(token) => state
                    .store()
                    .session(&token.storage_hash())
                    .await
                    .ok()
                    .flatten()
                    .map(|session| session.user_id),
                None => None,
            };
            crate::audit::record_denial(
                &state,
                actor.as_ref(),
                &method,
                &route,
                &format!("CSRF_FAILED: {message}"),
            )
            .await;
        }
        ApiError::new(axum::http::StatusCode::FORBIDDEN, "CSRF_FAILED", message).into_response()
    }
}

/// The middleware.
pub async fn protect(request: Request, next: Next) -> Response {
    if !requires_token(request.method().as_str()) || request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let public_url = request
        .extensions()
        .get::<AppState>()
        .map(|state| state.public_url().to_owned());
    let headers = request.headers();
    if PRE_SESSION_PATHS.contains(&request.uri().path()) {
        if !same_origin(headers, public_url.as_deref()) {
            return refuse(&request, "cross-origin request refused").await;
        }
        return next.run(request).await;
    }
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok());
    let Some(token) = token_from_cookie_header(cookies) else {
        return next.run(request).await;
    };
    let sent = headers
        .get(CSRF_HEADER)
        .map(|value| value.as_bytes())
        .unwrap_or_default();
    let expected = token.csrf_token();
    if sent.is_empty() || !bool::from(expected.as_bytes().ct_eq(sent)) {
        return refuse(&request, "missing or wrong X-CSRF-Token header").await;
    }
    next.run(request).await
}

/// True unless the browser says the request comes from another site.
fn same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Non-browser clients (curl, the Python bindings) send no Origin.
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    public_url.is_some_and(|url| origin == url)
        || origin == format!("http://{host}")
        || origin == format!("https://{host}")
}
