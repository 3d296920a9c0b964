//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]`
//! annotations through the policy router (so it lists exactly the served
//! routes, each with its access rule, security and error responses).
//!
//! Annotations name what is particular to a route (its body, its data, the
//! errors its handler answers). What every route shares is added here, once,
//! so a new route is described right without repeating it:
//! - the success envelope around every JSON answer (`envelope_answers`);
//! - the error envelope on every error, `Retry-After` on every 429 (`error_bodies`);
//! - 413 and 415 wherever a JSON body is read (`document_body_errors`);
//! - the form of a person id in a path (`person_id_parameters`).
//!
//! The policy layer adds each route's access errors (`policy::document_policy`).

use std::sync::OnceLock;

use axum::response::Response;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, HeaderBuilder, InfoBuilder, OpenApi, Ref, RefOr,
};

/// The media type of the JSON API's bodies.
pub const JSON: &str = "application/json";

/// The name of the error envelope's schema in `components`.
pub const ERROR_BODY: &str = "ErrorBody";

/// Routes whose JSON answer is not wrapped in the success envelope: this
/// document itself, served as OpenAPI tools expect it.
const UNENVELOPED_PATHS: &[&str] = &["/api/openapi.json"];

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
        ERROR_BODY.to_owned(),
        <crate::error::ErrorBody as utoipa::PartialSchema>::schema(),
    );
    api.components = Some(components);
    for (path, item) in &mut api.paths.paths {
        let enveloped = !UNENVELOPED_PATHS.contains(&path.as_str());
        for operation in operations_mut(item) {
            if enveloped {
                envelope_answers(operation);
            }
            document_body_errors(operation);
            error_bodies(operation);
            person_id_parameters(operation);
        }
    }
}

/// Path parameters that name a person (`healing_core::ids::PersonId`).
const PERSON_ID_PARAMETERS: &[&str] = &["patient_id", "user_id"];

/// A person id in a path is checked by `PersonId::new` (1 to 128 bytes, no
/// white space or control characters; anything else is a 400), so its schema
/// says so: printable ASCII without spaces, which is every id the server
/// issues (UUIDs) and never more than 128 bytes.
fn person_id_parameters(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        let RefOr::T(parameter) = parameter else {
            continue;
        };
        if parameter.parameter_in == ParameterIn::Path
            && PERSON_ID_PARAMETERS.contains(&parameter.name.as_str())
        {
            parameter.schema = Some(RefOr::T(Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(healing_core::ids::PersonId::MAX_LEN))
                    .pattern(Some("^[!-~]+$"))
                    .build(),
            )));
        }
    }
}

/// The operations of one path, whatever their method.
fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// Wraps every JSON answer other than the error envelope in the success
/// envelope the handlers really send (`error::ok`, `error::ok_with`): the
/// annotation's body becomes `data`.
fn envelope_answers(operation: &mut Operation) {
    let error_body = Ref::from_schema_name(ERROR_BODY).ref_location;
    for response in operation.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let Some(RefOr::T(content)) = response.content.get_mut(JSON) else {
            continue;
        };
        if matches!(&content.schema, Some(RefOr::Ref(schema)) if schema.ref_location == error_body)
        {
            continue;
        }
        let data = content
            .schema
            .take()
            .unwrap_or_else(|| RefOr::T(Schema::Object(ObjectBuilder::new().build())));
        content.schema = Some(RefOr::T(success_envelope(data)));
    }
}

/// `{"success": true, "data": …, "message": …}` around `data`.
fn success_envelope(data: RefOr<Schema>) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            "success",
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .enum_values(Some([true])),
        )
        .required("success")
        .property("data", data)
        .required("data")
        .property(
            "message",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("A human-readable note, on some answers.")),
        )
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build()
        .into()
}

/// Every error leaves the server in the error envelope (`error::ApiError`), so
/// an error status an annotation lists without a body gets `ErrorBody`; and
/// every 429 carries `Retry-After` (`ApiError::too_many_attempts`).
fn error_bodies(operation: &mut Operation) {
    for (status, response) in &mut operation.responses.responses {
        let RefOr::T(response) = response else {
            continue;
        };
        if status == "429" {
            response
                .headers
                .entry("Retry-After".to_owned())
                .or_insert_with(|| {
                    RefOr::T(
                        HeaderBuilder::new()
                            .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                            .description(Some("Seconds until another attempt is counted"))
                            .build(),
                    )
                });
        }
        let is_error = status.parse::<u16>().is_ok_and(|status| status >= 400);
        if is_error && response.content.is_empty() {
            response.content.insert(
                JSON.to_owned(),
                RefOr::T(
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(ERROR_BODY)))
                        .build(),
                ),
            );
        }
    }
}

/// A route that reads a JSON body refuses one that is too large (413, also
/// from the body limit) or not sent as `application/json` (415), see
/// `error::JsonBody`.
fn document_body_errors(operation: &mut Operation) {
    let takes_json = matches!(
        &operation.request_body,
        Some(RefOr::T(body)) if body.content.contains_key(JSON)
    );
    if !takes_json {
        return;
    }
    add_error(operation, "413", "Request body too large");
    add_error(
        operation,
        "415",
        "Request body not sent with content-type application/json",
    );
}

/// Documents an error answer with the error envelope, unless the route's
/// annotation already describes that status.
pub fn add_error(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    JSON,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(ERROR_BODY)))
                        .build(),
                )
                .build()
                .into()
        });
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "health", responses((status = 200, description = "OpenAPI 3.1 document", body = serde_json::Value)))]
pub async fn openapi_json() -> Response {
    axum::response::IntoResponse::into_response(axum::Json(document()))
}
