//! The AI companion chat through HTTP, against a real chat-completions server on
//! loopback that records every request it gets: roles and data minimisation,
//! consent, crisis, timeouts and outages, retries, streaming, and the history.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use healing_server::chat::llm::LlmConfig;
use healing_server::mailer::Mailer;
use healing_store::prelude::*;
use healing_store::{AlertScope, AlertSource, Page, Role};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::both_backends;
use crate::support::{Backend, Session, TestApp, TestResponse, test_options};

/// What the model server does with one request.
#[derive(Debug, Clone)]
enum ModelReply {
    /// Answers with this text: one JSON completion, or with `stream: true` a
    /// chat-completions event stream of one chunk per word.
    Text(&'static str),
    /// This status, with this `Retry-After` if any.
    Status(u16, Option<&'static str>),
    /// Waits this long before answering with the default text.
    Slow(Duration),
}

/// The default reply once the script is used up.
const DEFAULT_REPLY: &str = "That sounds hard. What helped a little on days like this before?";

/// One request the model server got.
#[derive(Debug, Clone)]
struct ModelRequest {
    authorization: String,
    body: Value,
    raw: String,
}

impl ModelRequest {
    /// `(role, content)` of each message sent.
    fn messages(&self) -> Vec<(String, String)> {
        self.body["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .map(|message| {
                (
                    message["role"].as_str().expect("role").to_owned(),
                    message["content"].as_str().expect("content").to_owned(),
                )
            })
            .collect()
    }
}

/// A real HTTP server on loopback speaking the chat-completions protocol.
struct ModelServer {
    base_url: String,
    requests: Arc<Mutex<Vec<ModelRequest>>>,
    _server: tokio::task::JoinHandle<()>,
}

type Shared = (
    Arc<Mutex<Vec<ModelRequest>>>,
    Arc<Mutex<VecDeque<ModelReply>>>,
);

/// The chunks of a streamed answer, sent a little apart as a model writes them.
struct Chunks(tokio::sync::mpsc::UnboundedReceiver<String>);

impl futures_core::Stream for Chunks {
    type Item = Result<String, Infallible>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(Ok))
    }
}

async fn complete(
    State((requests, script)): State<Shared>,
    headers: HeaderMap,
    raw: String,
) -> Response {
    let body: Value = serde_json::from_str(&raw).expect("a JSON request");
    requests.lock().unwrap().push(ModelRequest {
        authorization: headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        body: body.clone(),
        raw,
    });
    let reply = script.lock().unwrap().pop_front();
    let text = match reply {
        Some(ModelReply::Status(code, retry_after)) => {
            let mut response =
                (StatusCode::from_u16(code).unwrap(), "{\"error\":{}}").into_response();
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, seconds.parse().unwrap());
            }
            return response;
        }
        Some(ModelReply::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            DEFAULT_REPLY
        }
        Some(ModelReply::Text(text)) => text,
        None => DEFAULT_REPLY,
    };
    if body["stream"] == json!(true) {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        let pieces: Vec<String> = text.split_inclusive(' ').map(str::to_owned).collect();
        tokio::spawn(async move {
            let role = json!({"choices": [{"index": 0, "delta": {"role": "assistant"}}]});
            let _ = sender.send(format!("data: {role}\n\n"));
            for piece in pieces {
                tokio::time::sleep(Duration::from_millis(5)).await;
                let chunk = json!({"choices": [{"index": 0, "delta": {"content": piece}}]});
                let _ = sender.send(format!("data: {chunk}\n\n"));
            }
            let _ = sender.send("data: [DONE]\n\n".to_owned());
        });
        return (
            [(header::CONTENT_TYPE, "text/event-stream")],
            Body::from_stream(Chunks(receiver)),
        )
            .into_response();
    }
    axum::Json(json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
    }))
    .into_response()
}

impl ModelServer {
    async fn start(script: Vec<ModelReply>) -> Self {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let shared: Shared = (requests.clone(), Arc::new(Mutex::new(script.into())));
        let router = Router::new()
            .route("/v1/chat/completions", axum::routing::post(complete))
            .with_state(shared);
        let (address, server) = crate::support::serve_on_loopback(router).await;
        let base_url = format!("http://{address}/v1");
        Self {
            base_url,
            requests,
            _server: server,
        }
    }

    fn requests(&self) -> Vec<ModelRequest> {
        self.requests.lock().unwrap().clone()
    }
}

fn model_config(base_url: &str, timeout: Duration) -> LlmConfig {
    LlmConfig {
        base_url: reqwest::Url::parse(base_url).expect("url"),
        api_key: Zeroizing::new("test-key".to_owned()),
        model: "test-model".to_owned(),
        connect_timeout: Duration::from_secs(1),
        timeout,
        max_retries: 1,
    }
}

/// The app asking the model at `base_url`.
async fn app_with_model(backend: Backend, base_url: &str, timeout: Duration) -> TestApp {
    let options = healing_server::state::StateOptions {
        llm: Some(model_config(base_url, timeout)),
        ..test_options()
    };
    TestApp::with_options(backend, Mailer::Disabled, options).await
}

/// A patient signed in, with a display name, and `ai_chat` granted if `consent`.
async fn chatting_patient(app: &TestApp, username: &str, consent: bool) -> Session {
    let id = app.register_patient(username).await;
    app.state
        .store()
        .set_display_name(&id, "Robin Example")
        .await
        .expect("display name");
    let session = app.login(username).await;
    if consent {
        let granted = app.consent(&session, "ai_chat", "grant").await;
        assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    }
    session
}

fn chat_path(session: &Session) -> String {
    format!("/api/patients/{}/chat", session.user_id.as_str())
}

async fn say(app: &TestApp, session: &Session, message: &str) -> TestResponse {
    app.post(
        &chat_path(session),
        json!({ "message": message }),
        Some(session),
    )
    .await
}

/// Sends a message asking for server-sent events.
async fn say_streaming(app: &TestApp, session: &Session, message: &str) -> TestResponse {
    let request = Request::builder()
        .method("POST")
        .uri(chat_path(session))
        .header(
            header::COOKIE,
            format!("healing_session={}", session.cookie),
        )
        .header("x-csrf-token", &session.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "text/event-stream")
        .body(Body::from(json!({ "message": message }).to_string()))
        .expect("request");
    app.send(request).await
}

/// `(event, data)` of each server-sent event in `text`.
fn events(text: &str) -> Vec<(String, Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let name = block
                .lines()
                .find_map(|line| line.strip_prefix("event: "))?;
            let data = block
                .lines()
                .find_map(|line| line.strip_prefix("data: "))
                .unwrap_or("null");
            Some((
                name.to_owned(),
                serde_json::from_str(data).expect("JSON data"),
            ))
        })
        .collect()
}

const CRITICAL: &str = "I've saved up my pills and I'm taking them tonight";

async fn sends_the_conversation_with_roles_and_no_identifiers(backend: Backend) {
    let model = ModelServer::start(vec![ModelReply::Text("I'm sorry work was hard today.")]).await;
    let app = app_with_model(backend, &model.base_url, Duration::from_secs(5)).await;
    let patient = chatting_patient(&app, "robin.hood", true).await;

    let first = say(
        &app,
        &patient,
        "I feel exhausted and really low after a hard day at work",
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let answer = &first.json["data"];
    assert_eq!(answer["source"], "model");
    assert_eq!(answer["reply"], "I'm sorry work was hard today.");
    // Distress without risk: low in the label guide (the lexicon reads it so).
    assert_eq!(answer["safety"]["level"], "low");
    assert!(answer["offline_reason"].is_null());
    let second = say(&app, &patient, "my manager shouted at me").await;
    assert_eq!(second.json["data"]["reply"], DEFAULT_REPLY);

    let requests = model.requests();
    assert_eq!(requests.len(), 2);
    let sent = &requests[1];
    assert_eq!(sent.authorization, "Bearer test-key");
    assert_eq!(
        (sent.body["model"].as_str(), sent.body["stream"].as_bool()),
        (Some("test-model"), Some(false))
    );
    let messages = sent.messages();
    assert_eq!(messages[0].0, "system");
    assert!(messages[0].1.contains("You are an AI language model"));
    let conversation: Vec<(&str, &str)> = messages[1..]
        .iter()
        .map(|(role, content)| (role.as_str(), content.as_str()))
        .collect();
    assert_eq!(
        conversation,
        vec![
            (
                "user",
                "I feel exhausted and really low after a hard day at work"
            ),
            ("assistant", "I'm sorry work was hard today."),
            ("user", "my manager shouted at me"),
        ]
    );
    // Data minimisation: nothing that identifies the patient leaves the server.
    let message_ids = [
        first.json["data"]["message"]["id"].as_str().unwrap(),
        first.json["data"]["reply_message"]["id"].as_str().unwrap(),
    ];
    for request in &requests {
        for identifier in [
            "robin.hood",
            "robin.hood@example.test",
            "Robin Example",
            patient.user_id.as_str(),
        ]
        .into_iter()
        .chain(message_ids)
        {
            assert!(
                !request.raw.contains(identifier),
                "{identifier} was sent to the model"
            );
        }
        let mut keys: Vec<&str> = request
            .body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["max_tokens", "messages", "model", "stream", "temperature"]
        );
    }
}

async fn a_critical_message_sends_nothing_and_answers_with_resources(backend: Backend) {
    let model = ModelServer::start(Vec::new()).await;
    let app = app_with_model(backend, &model.base_url, Duration::from_secs(5)).await;
    let patient = chatting_patient(&app, "pat", true).await;

    let response = say(&app, &patient, CRITICAL).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let answer = &response.json["data"];
    assert_eq!(answer["source"], "crisis");
    assert_eq!(answer["safety"]["level"], "critical");
    assert_eq!(answer["safety"]["show_crisis_resources"], true);
    assert!(!answer["safety"]["resources"].as_array().unwrap().is_empty());
    let reply = answer["reply"].as_str().unwrap();
    assert!(
        reply.contains("Samaritans") && reply.contains("999"),
        "{reply}"
    );
    assert!(
        model.requests().is_empty(),
        "a critical message reached the model"
    );
    // The alert pipeline ran.
    let alerts = every_alert(&app).await;
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        (alerts[0].source, alerts[0].severity.as_str()),
        (AlertSource::Chat, "critical")
    );
    // Nor is it sent later as history.
    say(&app, &patient, "thank you, I called them").await;
    let requests = model.requests();
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].raw.contains("saved up my pills"));
    assert!(
        !requests[0].raw.contains("support from a person right now"),
        "the crisis reply was sent as history"
    );
}

async fn without_consent_nothing_is_sent_and_the_reply_says_why(backend: Backend) {
    let model = ModelServer::start(Vec::new()).await;
    let app = app_with_model(backend, &model.base_url, Duration::from_secs(5)).await;
    let patient = chatting_patient(&app, "pat", false).await;

    let response = say(&app, &patient, "I feel anxious about my exam").await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    let answer = &response.json["data"];
    assert_eq!(
        (answer["source"].as_str(), answer["offline_reason"].as_str()),
        (Some("offline"), Some("no_consent"))
    );
    assert!(
        answer["notice"]
            .as_str()
            .unwrap()
            .contains("not agreed to AI chat")
    );
    assert!(answer["reply"].as_str().unwrap().contains("not AI"));
    assert!(answer["reply"].as_str().unwrap().contains("anxious"));
    assert_eq!(answer["message"]["shared_with_model"], false);
    assert!(model.requests().is_empty(), "sent without consent");

    // Consent granted later: only what is written from then on is sent.
    app.consent(&patient, "ai_chat", "grant").await;
    let after = say(&app, &patient, "the exam went fine").await;
    assert_eq!(after.json["data"]["source"], "model");
    let requests = model.requests();
    assert_eq!(requests.len(), 1);
    let conversation = requests[0].messages();
    assert_eq!(
        conversation[1..],
        [("user".to_owned(), "the exam went fine".to_owned())]
    );
    assert!(
        !requests[0].raw.contains("anxious"),
        "a message written without consent was sent later"
    );
}

async fn a_model_that_is_down_or_too_slow_leaves_the_offline_companion_to_answer(backend: Backend) {
    // Down: a port where nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down_url = format!("http://{}/v1", closed.local_addr().unwrap());
    drop(closed);
    let app = app_with_model(backend, &down_url, Duration::from_secs(2)).await;
    let patient = chatting_patient(&app, "pat", true).await;
    let started = Instant::now();
    let response = say(&app, &patient, "are you there?").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    let answer = &response.json["data"];
    assert_eq!(
        (answer["source"].as_str(), answer["offline_reason"].as_str()),
        (Some("offline"), Some("model_unavailable"))
    );
    assert!(answer["reply"].as_str().unwrap().contains("not AI"));

    // Slow: the model answers after the deadline.
    let model = ModelServer::start(vec![ModelReply::Slow(Duration::from_secs(10))]).await;
    let app = app_with_model(backend, &model.base_url, Duration::from_secs(1)).await;
    let patient = chatting_patient(&app, "pat", true).await;
    let started = Instant::now();
    let response = say(&app, &patient, "hello?").await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(3),
        "answered after {waited:?}"
    );
    assert_eq!(response.json["data"]["offline_reason"], "model_unavailable");
    assert_eq!(model.requests().len(), 1);
}

async fn a_429_with_retry_after_is_retried_once(backend: Backend) {
    let model = ModelServer::start(vec![ModelReply::Status(429, Some("1"))]).await;
    let app = app_with_model(backend, &model.base_url, Duration::from_secs(5)).await;
    let patient = chatting_patient(&app, "pat", true).await;
    let started = Instant::now();
    let response = say(&app, &patient, "hello").await;
    assert_eq!(
        response.json["data"]["source"], "model",
        "{}",
        response.text
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    assert_eq!(model.requests().len(), 2);

    // A second failure within the one retry allowed leaves the offline companion.
    let model = ModelServer::start(vec![
        ModelReply::Status(503, None),
        ModelReply::Status(500, None),
    ])
    .await;
    let app = app_with_model(backend, &model.base_url, Duration::from_secs(5)).await;
    let patient = chatting_patient(&app, "pat", true).await;
    let response = say(&app, &patient, "hello").await;
    assert_eq!(response.json["data"]["offline_reason"], "model_unavailable");
    assert_eq!(model.requests().len(), 2);
}

async fn streams_the_reply_as_server_sent_events(backend: Backend) {
    let reply = "That sounds like a lot. Which part weighs on you most? Take your time.";
    let model = ModelServer::start(vec![ModelReply::Text(reply)]).await;
    let app = app_with_model(backend, &model.base_url, Duration::from_secs(5)).await;
    let patient = chatting_patient(&app, "pat", true).await;

    let response = say_streaming(&app, &patient, "so much is going on").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    assert!(
        response.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let received = events(&response.text);
    let deltas: Vec<&str> = received
        .iter()
        .filter(|(name, _)| name == "delta")
        .map(|(_, data)| data["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        deltas,
        [
            "That sounds like a lot.",
            " Which part weighs on you most?",
            " Take your time."
        ]
    );
    let (last, done) = received.last().expect("events");
    assert_eq!(last, "done");
    assert_eq!(
        (done["source"].as_str(), done["reply"].as_str()),
        (Some("model"), Some(reply))
    );
    assert_eq!(model.requests()[0].body["stream"], true);
    // Stored like a plain answer.
    let history = app.get(&chat_path(&patient), Some(&patient)).await;
    assert_eq!(history.json["data"][0]["body"], reply);

    // Without the model the stream is one `done` event from the offline companion.
    let offline = chatting_patient(&app, "quiet", false).await;
    let response = say_streaming(&app, &offline, "hello").await;
    let received = events(&response.text);
    assert_eq!(received.len(), 1);
    assert_eq!(
        (received[0].0.as_str(), received[0].1["source"].as_str()),
        ("done", Some("offline"))
    );
}

async fn a_concerning_model_reply_is_withheld_and_kept_sealed_for_its_reviewer(backend: Backend) {
    let model = ModelServer::start(vec![ModelReply::Text(CRITICAL)]).await;
    let app = app_with_model(backend, &model.base_url, Duration::from_secs(5)).await;
    let patient = chatting_patient(&app, "pat", true).await;
    app.create_staff("linked.doc", Role::Clinician).await;
    app.create_staff("other.doc", Role::Clinician).await;
    let linked = app.login("linked.doc").await;
    let unlinked = app.login("other.doc").await;
    app.accept_link("pat", &patient, &linked).await;

    let response = say(&app, &patient, "what should I do tonight?").await;
    let answer = &response.json["data"];
    assert_eq!(
        (answer["source"].as_str(), answer["offline_reason"].as_str()),
        (Some("offline"), Some("reply_withheld"))
    );
    assert!(!response.text.contains("saved up my pills"));
    let alerts = every_alert(&app).await;
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].source, AlertSource::ChatReplyWithheld);
    let history = app.get(&chat_path(&patient), Some(&patient)).await;
    assert!(
        !history.text.contains("saved up my pills"),
        "the withheld reply is in the patient's history"
    );

    // The linked clinician reviews what was withheld, in the alert's view.
    let path = format!("/api/alerts/{}", alerts[0].id);
    let review = app.get(&path, Some(&linked)).await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.text);
    assert_eq!(review.json["data"]["source"], "chat_reply_withheld");
    assert_eq!(review.json["data"]["withheld_reply"], CRITICAL);
    // Nobody else who may not read the alert: the patient, another clinician.
    for other in [&patient, &unlinked] {
        let refused = app.get(&path, Some(other)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    }
    // Not in the alert list, the patient's export, or the database in clear.
    let list = app.get("/api/alerts", Some(&linked)).await;
    assert_eq!(list.json["data"][0]["id"], alerts[0].id.as_str());
    assert!(!list.text.contains("saved up my pills"), "{}", list.text);
    let export = app.get("/api/security/export-data", Some(&patient)).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    assert!(!export.text.contains("saved up my pills"));
    assert!(!app.db.holds_text("saved up my pills").await);
    // Never sent back to the model as context either.
    let next = say(&app, &patient, "thanks").await;
    assert_eq!(next.json["data"]["source"], "model", "{}", next.text);
    let requests = model.requests();
    assert!(!requests[1].raw.contains("saved up my pills"));

    // Any other alert has no withheld reply.
    let risky = say(&app, &patient, CRITICAL).await;
    assert_eq!(risky.json["data"]["source"], "crisis", "{}", risky.text);
    let crisis_alert = every_alert(&app)
        .await
        .into_iter()
        .find(|alert| alert.source == AlertSource::Chat)
        .expect("an alert for the crisis message");
    let view = app
        .get(&format!("/api/alerts/{}", crisis_alert.id), Some(&linked))
        .await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.text);
    assert!(
        view.json["data"].get("withheld_reply").is_none(),
        "{}",
        view.text
    );
}

async fn the_history_is_paged_newest_first_for_the_patient_only(backend: Backend) {
    let app = TestApp::new(backend).await;
    let patient = chatting_patient(&app, "pat", false).await;
    for message in ["one", "two", "three"] {
        let response = say(&app, &patient, message).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        assert_eq!(response.json["data"]["offline_reason"], "no_model");
    }
    let path = chat_path(&patient);
    let first = app.get(&format!("{path}?limit=4"), Some(&patient)).await;
    let page: Vec<(i64, &str)> = first.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["seq"].as_i64().unwrap(), m["author"].as_str().unwrap()))
        .collect();
    assert_eq!(
        page,
        vec![
            (6, "companion"),
            (5, "patient"),
            (4, "companion"),
            (3, "patient")
        ]
    );
    assert_eq!(first.json["data"][1]["body"], "three");
    let rest = app
        .get(&format!("{path}?limit=4&offset=4"), Some(&patient))
        .await;
    assert_eq!(rest.json["data"].as_array().unwrap().len(), 2);
    assert_eq!(rest.json["data"][1]["body"], "one");
    // Neither another patient nor a linked clinician reads it.
    let other = chatting_patient(&app, "other", false).await;
    assert_eq!(
        app.get(&path, Some(&other)).await.status,
        StatusCode::FORBIDDEN
    );
    app.create_staff("doc", Role::Clinician).await;
    let doc = app.login("doc").await;
    app.accept_link("pat", &patient, &doc).await;
    app.consent(&patient, "clinician_sharing", "grant").await;
    assert_eq!(
        app.get(&path, Some(&doc)).await.status,
        StatusCode::FORBIDDEN
    );
    // A bad page or message is a 400, never stored.
    assert_eq!(
        app.get(&format!("{path}?limit=x"), Some(&patient))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        say(&app, &patient, "   ").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        say(&app, &patient, &"a".repeat(2_001)).await.status,
        StatusCode::BAD_REQUEST
    );
    let all = app.get(&format!("{path}?limit=200"), Some(&patient)).await;
    assert_eq!(all.json["data"].as_array().unwrap().len(), 6);
}

both_backends!(
    sends_the_conversation_with_roles_and_no_identifiers,
    a_critical_message_sends_nothing_and_answers_with_resources,
    without_consent_nothing_is_sent_and_the_reply_says_why,
    a_model_that_is_down_or_too_slow_leaves_the_offline_companion_to_answer,
    a_429_with_retry_after_is_retried_once,
    streams_the_reply_as_server_sent_events,
    a_concerning_model_reply_is_withheld_and_kept_sealed_for_its_reviewer,
    the_history_is_paged_newest_first_for_the_patient_only,
);

/// Every alert raised so far (a chat test raises at most a few).
async fn every_alert(app: &TestApp) -> Vec<healing_store::Alert> {
    app.state
        .store()
        .alerts(&AlertScope::All, Page::first(10))
        .await
        .unwrap()
}
