//! CSRF protection: one middleware in front of the whole app.
//!
//! Two checks, both on every state-changing request (POST, PUT, PATCH,
//! DELETE):
//!
//! - **Origin.** A browser names the page a request comes from. A request
//!   whose `Origin` header is present and is not this server's origin, or
//!   whose `Sec-Fetch-Site` header says `cross-site`, is refused with 403
//!   `CSRF_FAILED`. This server's origin is `HEALING_PUBLIC_URL`'s
//!   (scheme, host and port) or the origin of the `Host` the request came to,
//!   which is what the default public URL (`http://BIND`) cannot name when the
//!   server listens on every interface. A request without those headers (curl,
//!   the Python bindings, any non-browser client) passes this check: it carries
//!   no ambient authority from a browser, and the token below still guards it.
//! - **Token.** A request that carries a session cookie must send the
//!   session's CSRF token in `X-CSRF-Token` (returned by login and
//!   check-session), compared in constant time; anything else is answered 403
//!   `CSRF_FAILED`. A request without a session cookie passes here and the
//!   policy layer answers 401 where a session is needed. The pre-session
//!   routes ([`PRE_SESSION_PATHS`]: login, register, password reset) cannot
//!   have a token yet; the Origin check and the `SameSite=Lax` cookie guard
//!   them, and stop their worst cross-site effect (a login as the attacker,
//!   "login CSRF").
//!
//! The Origin check is defence in depth beside the token: a token that leaked
//! (into a log, a screenshot) is still useless from another site.
//!
//! Every refusal is audited as `access_denied` (the session's user when the
//! cookie names one, the route template, why), never with the request body.

use axum::extract::Request;
use axum::http::{HeaderMap, header};
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
    if !requires_token(request.method().as_str()) {
        return next.run(request).await;
    }
    let public_url = request
        .extensions()
        .get::<AppState>()
        .map(|state| state.public_url().to_owned());
    let headers = request.headers();
    if !same_origin(headers, public_url.as_deref()) {
        return refuse(&request, "cross-site request refused").await;
    }
    if PRE_SESSION_PATHS.contains(&request.uri().path()) {
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

/// False when the browser says the request comes from another site: a
/// `Sec-Fetch-Site: cross-site`, or an `Origin` that is neither the public
/// URL's origin nor the origin of the `Host` the request came to. True when
/// neither header is sent (see the module docs).
fn same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    // An Origin that is not text (or is `null`, from a sandboxed frame or a
    // redirect) names no origin of ours.
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.to_ascii_lowercase();
    if public_url.is_some_and(|url| origin == origin_of(url)) {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| !host.is_empty())
        .map(str::to_ascii_lowercase);
    host.is_some_and(|host| {
        origin == format!("http://{host}") || origin == format!("https://{host}")
    })
}

/// The origin (`scheme://host[:port]`, lower case) of a URL such as
/// `https://healing.example.org/app`: what a browser sends as `Origin` for a
/// page under it. A default port (80 for http, 443 for https) is dropped,
/// as browsers drop it.
fn origin_of(url: &str) -> String {
    let url = url.to_ascii_lowercase();
    let (scheme, rest) = url.split_once("://").unwrap_or(("", &url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = match (scheme, authority.rsplit_once(':')) {
        ("http", Some((host, "80"))) | ("https", Some((host, "443"))) => host,
        _ => authority,
    };
    format!("{scheme}://{authority}")
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn the_origin_of_a_public_url_drops_path_and_default_port() {
        assert_eq!(
            origin_of("https://Healing.example.org/app/"),
            "https://healing.example.org"
        );
        assert_eq!(
            origin_of("https://healing.example.org:443"),
            "https://healing.example.org"
        );
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(origin_of("http://[::1]:80/x"), "http://[::1]");
    }
}
