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

/// A mood entry's day runs from 1900-01-01 to tomorrow; outside it the answer
/// is 400 naming the field. See: issue 21.
async fn mood_day_before_1900_or_after_tomorrow_is_refused_naming_the_field(backend: Backend) {
    let app = TestApp::new(backend).await;
    let id = app.register_patient("pat").await;
    let session = app.login("pat").await;
    let moods = format!("/api/patients/{}/moods", id.as_str());
    let today = app.state.now().date();
    let tomorrow = today.next_day().unwrap();
    let after_tomorrow = tomorrow.next_day().unwrap();
    for day in [
        "1899-12-31".to_owned(),
        "0001-01-01".to_owned(),
        after_tomorrow.to_string(),
    ] {
        let response = app
            .post(&moods, json!({ "mood": 5, "day": day }), Some(&session))
            .await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{day}: {}",
            response.text
        );
        assert_eq!(
            response.json["code"], "VALIDATION_FAILED",
            "{day}: {}",
            response.text
        );
        let message = response.json["error"].as_str().unwrap_or_default();
        assert!(message.starts_with("day "), "{day}: {message}");
    }
    for day in ["1900-01-01".to_owned(), tomorrow.to_string()] {
        let response = app
            .post(&moods, json!({ "mood": 5, "day": day }), Some(&session))
            .await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{day}: {}",
            response.text
        );
    }
}

/// The errors the layers below the handlers answer themselves carry the JSON
/// error envelope like every other: 413 for a body whose `Content-Length` is
/// over the limit, 405 for a method a route does not take. See: issue 21.
async fn limit_and_method_errors_carry_the_json_envelope(backend: Backend) {
    let app = TestApp::new(backend).await;
    let too_long = healing_server::MAX_BODY_BYTES + 10;
    let oversized = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, too_long)
        .body(Body::from(vec![b' '; too_long]))
        .unwrap();
    let wrong_method = Request::delete("/api/health").body(Body::empty()).unwrap();
    for (request, expected) in [
        (oversized, StatusCode::PAYLOAD_TOO_LARGE),
        (wrong_method, StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let uri = request.uri().clone();
        let response = app.send(request).await;
        assert_eq!(response.status, expected, "{uri}: {}", response.text);
        assert_eq!(
            response.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/json",
            "{uri}"
        );
        assert_eq!(
            response.json["status"],
            expected.as_u16(),
            "{uri}: {}",
            response.text
        );
        assert!(
            response.json["code"].is_string(),
            "{uri}: {}",
            response.text
        );
        assert!(
            response.json["error"].is_string(),
            "{uri}: {}",
            response.text
        );
    }
}

/// The time limit's bare 408 gets the envelope too (through the same function
/// the app layers; a real 30 s wait has no place in the suite).
#[tokio::test]
async fn a_bare_timeout_gets_the_json_envelope() {
    use axum::response::IntoResponse as _;
    let bare = StatusCode::REQUEST_TIMEOUT.into_response();
    let response = healing_server::error::envelope_bare_errors(bare).await;
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["code"], "REQUEST_TIMEOUT");
    assert_eq!(body["status"], 408);
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
    let metrics = scrape(&app).await;
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

async fn scrape(app: &TestApp) -> crate::support::TestResponse {
    let request = axum::http::Request::get("/metrics")
        .header(
            "authorization",
            format!("Bearer {}", crate::support::METRICS_TOKEN),
        )
        .body(axum::body::Body::empty())
        .unwrap();
    app.send(request).await
}

/// Issue 21 item 1: /metrics needs the scraper's token (404 when none is set),
/// unknown methods are refused before they reach a label, and a label never
/// holds a method string or a concrete path a caller chose.
async fn metrics_are_private_and_their_labels_bounded(backend: Backend) {
    let app = TestApp::new(backend).await;
    assert_eq!(
        app.get("/metrics", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let wrong = axum::http::Request::get("/metrics")
        .header("authorization", "Bearer not-the-token-at-all")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.send(wrong).await.status, StatusCode::UNAUTHORIZED);
    for n in 0..50 {
        let method = format!("ZZQMETHOD{n:03}{}", "X".repeat(50));
        let request = axum::http::Request::builder()
            .method(method.as_str())
            .uri("/api/health")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.send(request).await;
        assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(response.json["code"].is_string(), "{}", response.text);
    }
    app.get("/api/patients/zzqconcretepath/moods", None).await;
    let metrics = scrape(&app).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics.text.contains("http_requests_total"),
        "{}",
        metrics.text
    );
    assert!(
        !metrics.text.contains("ZZQMETHOD"),
        "a method became a label"
    );
    assert!(
        !metrics.text.contains("zzqconcretepath"),
        "a path became a label"
    );

    let mut options = crate::support::test_options();
    options.metrics_token = None;
    let closed =
        TestApp::with_options(backend, healing_server::mailer::Mailer::Disabled, options).await;
    let request = axum::http::Request::get("/metrics")
        .header(
            "authorization",
            format!("Bearer {}", crate::support::METRICS_TOKEN),
        )
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(closed.send(request).await.status, StatusCode::NOT_FOUND);
}

/// Issue 21 item 8: with `auto`, a loopback bind behind a TLS proxy (an https
/// public URL) gives a Secure session cookie.
async fn an_https_public_url_means_a_secure_cookie(backend: Backend) {
    use clap::Parser as _;
    let cli = healing_server::cli::Cli::try_parse_from([
        "healing-server",
        "--bind",
        "127.0.0.1:8080",
        "--public-url",
        "https://healing.example.test",
        "--cookie-secure",
        "auto",
        "--database-url",
        "sqlite://unused.db",
        "--encryption-key",
        &"ab".repeat(32),
    ])
    .unwrap();
    let config = healing_server::config::Config::resolve(&cli.settings).unwrap();
    let mut options = crate::support::test_options();
    options.cookie_security = config.cookie_security;
    options.public_url = config.public_url;
    let app =
        TestApp::with_options(backend, healing_server::mailer::Mailer::Disabled, options).await;
    app.register_patient("pat").await;
    let request = axum::http::Request::post("/api/auth/login")
        .header("content-type", "application/json")
        .header("origin", "https://healing.example.test")
        .body(axum::body::Body::from(
            json!({ "username": "pat", "password": crate::support::PASSWORD }).to_string(),
        ))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let cookie = response
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|value| value.starts_with("healing_session="))
        .expect("session cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

crate::both_backends!(
    metrics_are_private_and_their_labels_bounded,
    an_https_public_url_means_a_secure_cookie,
    malformed_requests_get_4xx_envelopes,
    mood_day_before_1900_or_after_tomorrow_is_refused_naming_the_field,
    limit_and_method_errors_carry_the_json_envelope,
    every_response_carries_security_headers,
    health_reports_the_database
);
