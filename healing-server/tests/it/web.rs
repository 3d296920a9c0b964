//! The web app's serving (embedded files, ETag, compression, history-API
//! fallback, JSON 404s kept under /api), the public crisis directory, and the
//! instrument registry's questions that the app renders.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::{Backend, TestApp};

fn get(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::get(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

async fn web_app_is_served_with_validators_compression_and_history_fallback(backend: Backend) {
    let app = TestApp::new(backend).await;
    let page = app.send(get("/", &[("accept", "text/html")])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("<main"), "{}", page.text);
    assert!(
        page.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-cache");
    assert!(
        page.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let etag = page.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = app.send(get("/", &[("if-none-match", &etag)])).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.text.is_empty());

    // A screen's URL is the app's page when the browser asks for HTML.
    let screen = app.send(get("/mood", &[("accept", "text/html")])).await;
    assert_eq!(screen.status, StatusCode::OK);
    assert_eq!(screen.text, page.text);
    assert_eq!(
        app.send(get("/mood", &[("accept", "application/json")]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let script = app
        .send(get("/js/app.js", &[("accept-encoding", "br")]))
        .await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(script.headers[header::CONTENT_ENCODING], "br");
    assert!(
        script.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let gzipped = app
        .send(get("/css/app.css", &[("accept-encoding", "gzip")]))
        .await;
    assert_eq!(gzipped.headers[header::CONTENT_ENCODING], "gzip");

    // /api stays JSON, whatever the method or Accept header.
    let missing = app
        .send(get("/api/no-such-route", &[("accept", "text/html")]))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json["code"], "NOT_FOUND");
    let posted = app
        .send(
            Request::post("/mood")
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND, "{}", posted.text);
    assert_eq!(posted.json["code"], "NOT_FOUND");
    // Nothing outside the app folder, and not the browser tests.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/tests/package.json",
    ] {
        let response = app.send(get(path, &[])).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
    }
}

async fn crisis_resources_are_public_with_one_tap_links(backend: Backend) {
    let app = TestApp::new(backend).await;
    let response = app.get("/api/crisis-resources", None).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    let data = &response.json["data"];
    assert_eq!(data["region"], "United Kingdom");
    let hrefs: Vec<&str> = data["resources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|resource| resource["links"].as_array().unwrap())
        .map(|link| link["href"].as_str().unwrap())
        .collect();
    for expected in ["tel:999", "tel:111", "tel:116123", "sms:85258?body=SHOUT"] {
        assert!(hrefs.contains(&expected), "{expected} in {hrefs:?}");
    }
}

async fn instruments_carry_questions_options_and_bands(backend: Backend) {
    let app = TestApp::new(backend).await;
    app.register_patient("pat").await;
    let session = app.login("pat").await;
    let response = app.get("/api/instruments", Some(&session)).await;
    assert_eq!(response.status, StatusCode::OK);
    let phq9 = response.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|instrument| instrument["id"] == "phq9")
        .expect("phq9")
        .clone();
    assert_eq!(phq9["recall_period"], "past_two_weeks");
    assert_eq!(phq9["questions"].as_array().unwrap().len(), 9);
    assert_eq!(
        phq9["questions"][1]["text"],
        "Feeling down, depressed, or hopeless"
    );
    assert_eq!(
        phq9["questions"][0]["options"][3]["label"],
        "Nearly every day"
    );
    assert_eq!(phq9["bands"][2]["id"], "moderate");
    assert_eq!(phq9["bands"][2]["lowest"], 10);
}

crate::both_backends!(
    web_app_is_served_with_validators_compression_and_history_fallback,
    crisis_resources_are_public_with_one_tap_links,
    instruments_carry_questions_options_and_bands,
);
