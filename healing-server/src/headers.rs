//! Security headers set on every response, including errors and 404s.
//!
//! CSP follows the OWASP Content Security Policy Cheat Sheet "strict" shape
//! for a same-origin app with no inline script; HSTS for one year
//! (OWASP HTTP Strict Transport Security Cheat Sheet); `nosniff`;
//! `Referrer-Policy: no-referrer` so URLs never leak to other sites;
//! `Permissions-Policy` denies powerful features the app does not use.
//! The web app (`web.rs`) runs under this same CSP unchanged: its scripts,
//! styles, manifest and service worker are same-origin files, and it uses no
//! inline script, no inline style and no eval (`default-src 'self'` covers
//! `style-src`, `manifest-src`, `worker-src`, `img-src` and `connect-src`).

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

/// The Content-Security-Policy value.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; object-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/// The Strict-Transport-Security value (one year, subdomains).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";
/// The Permissions-Policy value.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/// Sets the security headers on a response (used with
/// `axum::middleware::map_response` around the whole app, so every response,
/// including errors and 404s, carries them).
pub async fn add_security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    // API answers hold personal data: never cache them. The web app's own
    // files (`web.rs`) set `no-cache` with an ETag instead, and keep it.
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
