//! The served OpenAPI document describes the API exactly, as clients generated
//! from it need (issue 21, "OpenAPI"): parameters where the server reads them,
//! every reference defined, the success envelope around every JSON answer, and
//! the error statuses the server really answers. `scripts/test.sh` also checks
//! the document with openapi-spec-validator and the live server against it with
//! schemathesis; these tests pin the findings of the outside test.

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::support::{Backend, TestApp};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// The document as the server serves it.
async fn served_document(backend: Backend) -> Value {
    let app = TestApp::new(backend).await;
    let response = app.get("/api/openapi.json", None).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.json
}

/// Every operation as (method, path, operation).
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.push((method.to_owned(), path.clone(), operation.clone()));
            }
        }
    }
    assert!(found.len() > 30, "only {} operations", found.len());
    found
}

/// Every `$ref` string anywhere in `value`.
fn references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(reference)) => found.push(reference.clone()),
                    _ => references(inner, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|inner| references(inner, found)),
        _ => {}
    }
}

/// `/api/admin/users` reads `role`, `disabled`, `q`, `offset` and `limit` from the query string,
/// and so do the other list routes; a path parameter is always in the template.
async fn parameters_are_where_the_server_reads_them(backend: Backend) {
    let document = served_document(backend).await;
    let parameters = document["paths"]["/api/admin/users"]["get"]["parameters"]
        .as_array()
        .expect("parameters")
        .clone();
    let mut names: Vec<&str> = parameters
        .iter()
        .map(|parameter| {
            assert_eq!(parameter["in"], "query", "{parameter}");
            assert_ne!(parameter["required"], true, "{parameter}");
            parameter["name"].as_str().unwrap()
        })
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["disabled", "limit", "offset", "q", "role"]);
    for (method, path, operation) in operations(&document) {
        let declared: Vec<&str> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|parameter| parameter["in"] == "path")
            .map(|parameter| parameter["name"].as_str().unwrap())
            .collect();
        let in_template: Vec<&str> = path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        assert_eq!(declared, in_template, "{method} {path}");
    }
}

/// Every `$ref` names something the document defines (the outside test found
/// `#/components/schemas/ExportFormat` undefined).
async fn every_reference_resolves(backend: Backend) {
    let document = served_document(backend).await;
    let mut found = Vec::new();
    references(&document, &mut found);
    assert!(
        found.contains(&"#/components/schemas/ErrorBody".to_owned()),
        "{found:?}"
    );
    for reference in found {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{reference} is not local"));
        assert!(
            document.pointer(pointer).is_some(),
            "{reference} is not defined"
        );
    }
    let format = &document["paths"]["/api/security/export-data"]["get"]["parameters"][0];
    assert_eq!(format["name"], "format");
    assert_eq!(format["in"], "query");
}

/// The success envelope, as `error::ok` sends it, around `data`.
fn assert_envelope(schema: &Value, context: &str) -> Value {
    assert_eq!(schema["type"], "object", "{context}: {schema}");
    assert_eq!(
        schema["properties"]["success"]["type"], "boolean",
        "{context}"
    );
    assert_eq!(
        schema["properties"]["message"]["type"], "string",
        "{context}"
    );
    assert_eq!(
        schema["required"],
        serde_json::json!(["success", "data"]),
        "{context}"
    );
    assert_eq!(schema["additionalProperties"], false, "{context}");
    schema["properties"]["data"].clone()
}

/// Every 2xx answer documents its body, and every JSON one is in the
/// `{success, data, message}` envelope (the outside test found the bare data).
async fn success_answers_are_in_the_envelope(backend: Backend) {
    let document = served_document(backend).await;
    let check_session = &document["paths"]["/api/auth/check-session"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(
        assert_envelope(check_session, "check-session")["$ref"],
        "#/components/schemas/SessionView"
    );
    let register = &document["paths"]["/api/auth/register"]["post"]["responses"]["201"]["content"]
        ["application/json"]["schema"];
    assert_eq!(
        assert_envelope(register, "register")["$ref"],
        "#/components/schemas/UserView"
    );
    for (method, path, operation) in operations(&document) {
        for (status, response) in operation["responses"].as_object().unwrap() {
            if !status.starts_with('2') {
                continue;
            }
            let context = format!("{method} {path} {status}");
            let content = response["content"]
                .as_object()
                .unwrap_or_else(|| panic!("{context} documents no body"));
            // This document itself is served bare, as OpenAPI tools expect.
            if let Some(json) = content.get("application/json")
                && path != "/api/openapi.json"
            {
                assert_envelope(&json["schema"], &context);
            }
        }
    }
}

/// The error statuses the outside test saw undocumented: 415 on every route
/// that reads a JSON body, 409 on verify-2fa (a session that has already
/// signed in), 429 on the throttled 2fa/confirm and change-password.
async fn the_errors_the_server_answers_are_documented(backend: Backend) {
    let document = served_document(backend).await;
    let error_body = serde_json::json!({ "$ref": "#/components/schemas/ErrorBody" });
    let mut json_routes = 0;
    for (method, path, operation) in operations(&document) {
        if operation["requestBody"]["content"]["application/json"].is_object() {
            json_routes += 1;
            for status in ["400", "413", "415"] {
                assert_eq!(
                    operation["responses"][status]["content"]["application/json"]["schema"],
                    error_body,
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(json_routes > 15, "{json_routes}");
    let responses = |path: &str| document["paths"][path]["post"]["responses"].clone();
    assert!(responses("/api/patients/{patient_id}/moods")["415"].is_object());
    assert!(responses("/api/auth/verify-2fa")["409"].is_object());
    assert!(responses("/api/auth/2fa/confirm")["429"].is_object());
    assert!(responses("/api/auth/2fa/confirm")["409"].is_object());
    assert!(responses("/api/auth/change-password")["429"].is_object());
    assert!(responses("/api/alerts/{alert_id}/acknowledge")["404"].is_object());
}

/// A method a route does not declare is answered 405 with `Allow` (what the
/// document implies), not with the route policy's answer: a signed-in session
/// sending PUT to verify-2fa got the policy's 409.
async fn an_undeclared_method_is_405_whatever_the_policy(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    for (method, path) in [
        (Method::PUT, "/api/auth/verify-2fa".to_owned()),
        (Method::DELETE, "/api/admin/users".to_owned()),
        (
            Method::PATCH,
            format!("/api/patients/{}/moods", id.as_str()),
        ),
    ] {
        let signed_in = app.call(method.clone(), &path, None, Some(&session)).await;
        let anonymous = app.call(method.clone(), &path, None, None).await;
        for response in [signed_in, anonymous] {
            assert_eq!(
                (response.status, response.json["code"].as_str()),
                (StatusCode::METHOD_NOT_ALLOWED, Some("METHOD_NOT_ALLOWED")),
                "{method} {path}: {}",
                response.text
            );
            assert!(response.headers.contains_key("allow"), "{method} {path}");
        }
    }
}

crate::both_backends!(
    an_undeclared_method_is_405_whatever_the_policy,
    parameters_are_where_the_server_reads_them,
    every_reference_resolves,
    success_answers_are_in_the_envelope,
    the_errors_the_server_answers_are_documented,
);
