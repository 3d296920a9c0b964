//! Malformed input never makes a 5xx; every response carries the security
//! headers; the OpenAPI document covers every route.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::support::{Backend, TestApp};

async fn malformed_requests_get_4xx_envelopes(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    let moods = format!("/api/patients/{}/moods", id.as_str());
    let cases: Vec<(Request<Body>, StatusCode)> = vec![
        (
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("[1,2]"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(vec![b' '; healing_server::MAX_BODY_BYTES + 10]))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            Request::get("/api/patients/%00bad/moods")
                .header(
                    header::COOKIE,
                    format!("healing_session={}", session.cookie),
                )
                .body(Body::empty())
                .unwrap(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Request::get("/api/no-such-route")
                .body(Body::empty())
                .unwrap(),
            StatusCode::NOT_FOUND,
        ),
        (
            Request::post(&moods)
                .header(header::CONTENT_TYPE, "application/json")
                .header(
                    header::COOKIE,
                    format!("healing_session={}", session.cookie),
                )
                .header("x-csrf-token", &session.csrf)
                .body(Body::from(
                    json!({ "mood": 99, "day": "2026-13-45" }).to_string(),
                ))
                .unwrap(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Request::post(&moods)
                .header(header::CONTENT_TYPE, "application/json")
                .header(
                    header::COOKIE,
                    format!("healing_session={}", session.cookie),
                )
                .header("x-csrf-token", &session.csrf)
                .body(Body::from(json!({ "mood": 11 }).to_string()))
                .unwrap(),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (request, expected) in cases {
        let uri = request.uri().clone();
        let response = app.send(request).await;
        assert_eq!(response.status, expected, "{uri}: {}", response.text);
        assert_eq!(
            response.json["status"],
            expected.as_u16(),
            "{uri}: envelope {}",
            response.text
        );
        assert!(response.json["code"].is_string(), "{uri}");
        assert!(
            !response.text.to_lowercase().contains("select "),
            "{uri}: sql leaked"
        );
    }
}

async fn every_response_carries_security_headers(backend: Backend) {
    let app = TestApp::new(backend).await;
    for path in ["/api/health", "/api/no-such-route", "/api/openapi.json"] {
        let response = app.get(path, None).await;
        let csp = response
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(
            response
                .headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .is_some()
        );
        assert_eq!(
            response
                .headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .unwrap(),
            "nosniff"
        );
        assert_eq!(
            response.headers.get(header::REFERRER_POLICY).unwrap(),
            "no-referrer"
        );
    }
}

async fn health_reports_the_database(backend: Backend) {
    let app = TestApp::new(backend).await;
    let health = app.get("/api/health", None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json["data"]["database"], "ok");
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(health.json["data"]["backend"], expected);
    let metrics = app.get("/metrics", None).await;
    assert!(
        metrics.text.contains("http_requests_total"),
        "{}",
        metrics.text
    );
}

#[test]
fn openapi_document_is_3_1_and_covers_every_route_with_its_errors() {
    let document = serde_json::to_value(healing_server::openapi::document()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    // The web app's page and files are policy routes but not part of the JSON API.
    let api_routes = healing_server::route_table()
        .into_iter()
        .filter(|route| !healing_server::web::WEB_PATHS.contains(&route.path.as_str()));
    for route in api_routes {
        let operation = &document["paths"][&route.path][route.method.to_lowercase()];
        assert!(
            operation.is_object(),
            "{} {} missing from the OpenAPI document",
            route.method,
            route.path
        );
        assert!(
            operation["responses"]["500"].is_object(),
            "{} {} lacks error responses",
            route.method,
            route.path
        );
        let secured = operation["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("session_cookie").is_some()));
        assert_eq!(
            secured,
            route.policy != healing_server::Policy::Public,
            "{} {} security",
            route.method,
            route.path
        );
    }
    assert!(document["components"]["securitySchemes"]["session_cookie"].is_object());
}

crate::both_backends!(
    malformed_requests_get_4xx_envelopes,
    every_response_carries_security_headers,
    health_reports_the_database
);
