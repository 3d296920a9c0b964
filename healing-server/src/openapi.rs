//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]`
//! annotations through the policy router (so it lists exactly the served
//! routes, each with its access rule, security and error responses).

use std::sync::OnceLock;

use axum::response::Response;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi};

/// The document (built once per process).
pub fn document() -> &'static OpenApi {
    static DOCUMENT: OnceLock<OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (_, mut api, _) = crate::routes::api_router()
            .route(
                crate::policy::Policy::Public,
                utoipa_axum::routes!(openapi_json),
            )
            .into_parts();
        describe(&mut api);
        api
    })
}

fn describe(api: &mut OpenApi) {
    // The web app's page and files go through the policy router like every
    // route, but they are not part of the JSON API this document describes.
    api.paths
        .paths
        .retain(|path, _| !crate::web::WEB_PATHS.contains(&path.as_str()));
    api.info = InfoBuilder::new()
        .title("Healing API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "JSON API of the Healing reference server. Successful answers are \
             `{\"success\": true, \"data\": …, \"message\": …}`; errors are \
             `{\"error\": …, \"code\": \"MACHINE_CODE\", \"status\": N}`. Sign in with \
             /api/auth/login (cookie `healing_session`), then send the returned \
             `csrf_token` in `X-CSRF-Token` on every POST/PUT/PATCH/DELETE.",
        ))
        .build();
    let mut components = api
        .components
        .take()
        .unwrap_or_else(|| ComponentsBuilder::new().build());
    components.add_security_scheme(
        "session_cookie",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::auth::session::COOKIE_NAME,
            "Session id set by login (HttpOnly, SameSite=Lax).",
        ))),
    );
    components.add_security_scheme(
        "csrf_header",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-CSRF-Token",
            "The session's CSRF token, from login or check-session.",
        ))),
    );
    components.schemas.insert(
        <crate::error::ErrorBody as utoipa::ToSchema>::name().into_owned(),
        <crate::error::ErrorBody as utoipa::PartialSchema>::schema(),
    );
    api.components = Some(components);
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "health", responses((status = 200, description = "OpenAPI 3.1 document", body = serde_json::Value)))]
pub async fn openapi_json() -> Response {
    axum::response::IntoResponse::into_response(axum::Json(document()))
}
