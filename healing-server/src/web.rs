//! Serves the web app (`healing-server/web/app/`): files embedded in the binary at
//! build time, or read from `HEALING_WEB_DIR` while developing. Answers carry
//! an ETag (a conditional request gets 304) and are compressed (gzip or
//! brotli) by tower-http. A path that is not a file and asks for HTML gets
//! `index.html`, so the app's history-API routes survive a refresh; paths under
//! `/api/` keep their JSON 404.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};
use sha2::{Digest as _, Sha256};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use utoipa_axum::router::UtoipaMethodRouter;

use crate::error::ApiError;
use crate::state::AppState;

/// The web app's files, embedded at build time (`build.rs` reruns the build
/// when they change). The browser tests beside them in `web/tests/` are not.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/web/app");

/// The route templates of the web app (left out of the OpenAPI document).
pub const WEB_PATHS: &[&str] = &["/", "/{*path}"];

/// Variable naming a folder to serve the app from instead of the embedded copy.
pub const WEB_DIR_VARIABLE: &str = "HEALING_WEB_DIR";

fn web_dir() -> Option<&'static PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| std::env::var_os(WEB_DIR_VARIABLE).map(PathBuf::from))
        .as_ref()
}

/// `GET /` and `GET /{*path}` as policy-router routes: public, compressed,
/// and any other method on these paths is the JSON 404 of an unknown route.
pub fn root_route() -> UtoipaMethodRouter<AppState> {
    let (schemas, paths, method_router) = utoipa_axum::routes!(web_root);
    (
        schemas,
        paths,
        method_router.fallback(not_found).layer(compression()),
    )
}

/// See [`root_route`].
pub fn path_route() -> UtoipaMethodRouter<AppState> {
    let (schemas, paths, method_router) = utoipa_axum::routes!(web_path);
    (
        schemas,
        paths,
        method_router.fallback(not_found).layer(compression()),
    )
}

/// Brotli and gzip at level 5: close to their best ratio on these small text
/// files, at a fraction of the CPU of the maximum (brotli 11), per request.
fn compression() -> CompressionLayer {
    CompressionLayer::new().quality(CompressionLevel::Precise(5))
}

async fn not_found() -> Response {
    ApiError::not_found("route").into_response()
}

/// The web app's page.
#[utoipa::path(get, path = "/", tag = "web", responses((status = 200, description = "The web app (index.html)", content_type = "text/html"), (status = 304, description = "Not modified")))]
pub async fn web_root(request: Request) -> Response {
    serve("index.html", request.headers()).await
}

/// A file of the web app, or the app's page for a screen's URL (history-API
/// routing) when the browser asks for HTML. Paths under `/api/` are never the app.
#[utoipa::path(get, path = "/{*path}", tag = "web", responses((status = 200, description = "A web app file, or index.html for a screen's URL"), (status = 304, description = "Not modified"), (status = 404, description = "No such file or route", body = crate::error::ErrorBody)))]
pub async fn web_path(request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/').to_owned();
    if path == "api" || path.starts_with("api/") {
        return not_found().await;
    }
    if is_servable(&path)
        && let Some(response) = try_serve(&path, request.headers()).await
    {
        return response;
    }
    if wants_html(request.headers()) && !path.contains('.') {
        return serve("index.html", request.headers()).await;
    }
    not_found().await
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// A relative path of plain segments (no `..`, no root).
fn is_servable(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
}

async fn serve(path: &str, headers: &HeaderMap) -> Response {
    match try_serve(path, headers).await {
        Some(response) => response,
        None => ApiError::internal(format!("web file {path} missing")).into_response(),
    }
}

async fn try_serve(path: &str, headers: &HeaderMap) -> Option<Response> {
    let bytes: std::borrow::Cow<'static, [u8]> = match web_dir() {
        Some(dir) => {
            let file = dir.join(path);
            if !tokio::fs::metadata(&file).await.ok()?.is_file() {
                return None;
            }
            tokio::fs::read(file).await.ok()?.into()
        }
        None => EMBEDDED.get_file(path)?.contents().into(),
    };
    Some(respond(path, bytes, headers))
}

fn respond(path: &str, bytes: std::borrow::Cow<'static, [u8]>, headers: &HeaderMap) -> Response {
    let digest = Sha256::digest(&bytes);
    let hex: String = digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    // Weak: the compression layer may change the bytes on the wire.
    let etag = format!("W/\"{hex}\"");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value.split(',').any(|candidate| {
                let candidate = candidate.trim();
                candidate == "*" || candidate.trim_start_matches("W/") == &etag[2..]
            })
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, bytes.into_owned()).into_response()
    };
    let response_headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, value);
    }
    // No fingerprinted names: every use revalidates, and the ETag makes that cheap.
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if !matches {
        response_headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(path)),
        );
    }
    response
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
