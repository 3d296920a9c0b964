//! `/api/patients/{patient_id}/chat`: the AI companion chat (see [`crate::chat`]).
//!
//! Only the patient themself may read or write their conversation
//! (`Policy::PatientSelf`), as for the journal: it is a private space the patient
//! uses to think aloud, its consent (`ai_chat`) says nothing about sharing with
//! the care team, and what matters clinically already reaches the team as an
//! alert through screening. A linked clinician's access would need its own
//! consent purpose and wording first.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use healing_store::prelude::*;
use healing_store::{ChatMessage, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::chat::{self, Finished};
use crate::error::{ApiError, ErrorBody, JsonBody, QueryParams, ok, ok_with};
use crate::policy::PatientAccess;
use crate::screening::SafetyView;
use crate::state::{AppState, store_error};

/// The media type of a streamed answer.
const EVENT_STREAM: &str = "text/event-stream";

/// One message of the conversation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChatMessageView {
    /// Id.
    pub id: String,
    /// Its place in the conversation, from 1.
    pub seq: i64,
    /// `patient` or `companion`.
    pub author: String,
    /// Of a companion reply: `model` (the AI model), `offline` (the built-in
    /// companion, not AI) or `crisis` (the crisis response); absent for the
    /// patient's own messages.
    pub source: Option<String>,
    /// The text.
    pub body: String,
    /// Whether this message may be sent to the AI model as part of the
    /// conversation (never one written without `ai_chat` consent).
    pub shared_with_model: bool,
    /// When written (RFC 3339).
    pub written_at: String,
}

impl From<&ChatMessage> for ChatMessageView {
    fn from(message: &ChatMessage) -> Self {
        Self {
            id: message.id.clone(),
            seq: message.seq,
            author: message.author.as_str().to_owned(),
            source: message.source.map(|source| source.as_str().to_owned()),
            body: message.body.clone(),
            shared_with_model: message.model_may_read,
            written_at: message.written_at.to_rfc3339(),
        }
    }
}

/// The companion's answer to one message.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChatAnswer {
    /// The reply to show.
    pub reply: String,
    /// `model` (the AI model), `offline` (the built-in companion, not AI) or
    /// `crisis` (the crisis response; nothing was sent to the model).
    pub source: String,
    /// The outcome of screening the patient's message: what the app must show now.
    pub safety: SafetyView,
    /// Why the offline companion answered: `no_consent`, `no_model`,
    /// `model_unavailable` or `reply_withheld`; absent otherwise.
    pub offline_reason: Option<String>,
    /// What to tell the patient about why the offline companion answered.
    pub notice: Option<String>,
    /// The patient's message as stored.
    pub message: ChatMessageView,
    /// The reply as stored.
    pub reply_message: ChatMessageView,
}

impl From<&Finished> for ChatAnswer {
    fn from(finished: &Finished) -> Self {
        Self {
            reply: finished.reply.body.clone(),
            source: finished.source.as_str().to_owned(),
            safety: finished.safety.clone(),
            offline_reason: finished
                .offline_reason
                .map(|reason| reason.as_str().to_owned()),
            notice: finished
                .offline_reason
                .map(|reason| reason.notice().to_owned()),
            message: ChatMessageView::from(&finished.message),
            reply_message: ChatMessageView::from(&finished.reply),
        }
    }
}

/// `POST …/chat` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewChatMessage {
    /// What the patient writes (1 to 2 000 characters).
    pub message: String,
}

/// `GET …/chat` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChatHistoryQuery {
    /// Page size (default 50, at most 200).
    pub limit: Option<u32>,
    /// Messages to skip from the newest (default 0).
    pub offset: Option<u32>,
}

/// The patient's conversation with the companion, newest first.
#[utoipa::path(get, path = "/api/patients/{patient_id}/chat", tag = "chat",
    params(("patient_id" = String, Path, description = "The patient"), ChatHistoryQuery),
    responses((status = 200, description = "Messages, newest first", body = [ChatMessageView])))]
pub async fn chat_history(
    State(state): State<AppState>,
    access: PatientAccess,
    QueryParams(query): QueryParams<ChatHistoryQuery>,
) -> Result<Response, ApiError> {
    let page = Page {
        limit: query.limit.unwrap_or(50).clamp(1, 200),
        offset: u64::from(query.offset.unwrap_or(0)),
    };
    let messages = state
        .store()
        .chat_messages(&access.patient_id, page)
        .await
        .map_err(store_error)?;
    Ok(ok(messages
        .iter()
        .map(ChatMessageView::from)
        .collect::<Vec<_>>()))
}

/// Write to the companion and get its reply.
///
/// The message is screened first. At high or critical risk the reply is the
/// crisis response with resources (`source: crisis`), nothing is sent to the AI
/// model and an alert is raised. Without `ai_chat` consent, without a
/// configured model, or when the model fails or is slow, the built-in offline
/// companion answers (`source: offline`) and `notice` says why. A model reply is
/// screened before it is shown; one that would raise a concern is replaced.
///
/// With `Accept: text/event-stream` the answer streams as server-sent events:
/// `delta` events (`{"text": …}`) carry the model's reply as it is written, a
/// sentence at a time once screened, and a final `done` event carries the
/// stored `ChatAnswer`, whose `reply` is what to show in the end (it replaces
/// the deltas, for example when the model failed midway); an `error` event
/// (`ErrorBody`) ends a stream that could not be stored. Otherwise one JSON answer.
#[utoipa::path(post, path = "/api/patients/{patient_id}/chat", tag = "chat", request_body = NewChatMessage,
    params(("patient_id" = String, Path, description = "The patient")),
    responses(
        (status = 201, description = "The reply, stored with the message (JSON)", body = ChatAnswer),
        (status = 200, description = "With `Accept: text/event-stream`: `delta` events, then a `done` event holding the `ChatAnswer`", body = String, content_type = "text/event-stream")))]
pub async fn send_chat(
    State(state): State<AppState>,
    access: PatientAccess,
    headers: HeaderMap,
    JsonBody(request): JsonBody<NewChatMessage>,
) -> Result<Response, ApiError> {
    let turn = chat::begin(&state, &access.patient_id, request.message).await?;
    if !wants_event_stream(&headers) {
        let finished = turn.answer(&state, None).await?;
        return Ok(ok_with(
            StatusCode::CREATED,
            ChatAnswer::from(&finished),
            "message sent",
        ));
    }
    // The reply is produced and stored by its own task, so a patient who closes
    // the page mid-stream still finds it in the history.
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel::<Event>();
    tokio::spawn(async move {
        let deltas = sender.clone();
        let on_text = move |text: String| {
            let _ = deltas.send(json_event("delta", &serde_json::json!({ "text": text })));
        };
        let on_text: &(dyn Fn(String) + Send + Sync) = &on_text;
        let last = match turn.answer(&state, Some(on_text)).await {
            Ok(finished) => json_event("done", &ChatAnswer::from(&finished)),
            Err(error) => json_event(
                "error",
                &ErrorBody {
                    error: error.message().to_owned(),
                    code: error.code().to_owned(),
                    status: error.status().as_u16(),
                },
            ),
        };
        let _ = sender.send(last);
    });
    Ok(Sse::new(Events(receiver))
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// Whether the client asked for server-sent events.
fn wants_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|accept| accept.contains(EVENT_STREAM))
}

/// A named event with a JSON payload.
fn json_event(name: &'static str, data: &impl Serialize) -> Event {
    Event::default()
        .event(name)
        .json_data(data)
        // Our own types always serialise; never leave the client without an end.
        .unwrap_or_else(|_| Event::default().event(name).data("{}"))
}

/// The events of one answer, as the stream axum's `Sse` sends.
struct Events(tokio::sync::mpsc::UnboundedReceiver<Event>);

impl futures_core::Stream for Events {
    type Item = Result<Event, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|event| event.map(Ok))
    }
}
