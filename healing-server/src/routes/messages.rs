//! `/api/messages`: conversations between a patient and their care team.
//!
//! A conversation has two members and is about one patient: the patient and a
//! linked clinician, or two clinicians who are both linked to the patient. Who may
//! write to whom is the store's rule (`healing_store::check_members`), checked with
//! each message in its transaction; who may open a conversation is the policy's
//! (`Policy::ThreadMember`). Every message is screened; a patient's message at
//! medium risk or above raises an alert for their clinicians at once, and at high
//! or critical the answer carries the crisis resources, so a risky message never
//! waits in an inbox. Every answer to a patient carries the notice that messages
//! are not monitored around the clock.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::ids::PersonId;
use healing_core::safety::Source;
use healing_store::prelude::*;
use healing_store::{MessageThread, Page, Role, ThreadMessage};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, JsonBody, QueryParams, ok, ok_with};
use crate::policy::{AccessBasis, Caller, ThreadAccess};
use crate::routes::crisis::messages_not_monitored_notice;
use crate::screening::SafetyView;
use crate::state::{AppState, store_error};

/// Longest message accepted, in characters.
pub const MESSAGE_MAX_CHARS: usize = 5_000;

/// One message.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MessageView {
    /// Id.
    pub id: String,
    /// Its place in the conversation, from 1.
    pub seq: i64,
    /// Who wrote it.
    pub sender_id: String,
    /// Whether the caller wrote it.
    pub mine: bool,
    /// The text.
    pub body: String,
    /// When it was sent (RFC 3339).
    pub sent_at: String,
    /// Whether the member it was sent to has marked it read.
    pub read: bool,
}

impl MessageView {
    fn of(message: &ThreadMessage, thread: &MessageThread, caller: &PersonId) -> Self {
        let recipient = thread.other_member(&message.sender_id);
        Self {
            id: message.id.clone(),
            seq: message.seq,
            sender_id: message.sender_id.as_str().to_owned(),
            mine: &message.sender_id == caller,
            body: message.body.clone(),
            sent_at: message.sent_at.to_rfc3339(),
            read: recipient.read_seq >= message.seq,
        }
    }
}

/// A person in a conversation, by the name they chose.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PersonView {
    /// Id.
    pub id: String,
    /// Display name.
    pub display_name: String,
}

/// One conversation in the caller's inbox.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InboxThreadView {
    /// The conversation's id.
    pub thread_id: String,
    /// The patient it is about.
    pub patient: PersonView,
    /// The other member.
    pub with: PersonView,
    /// Messages from the other member the caller has not read.
    pub unread: i64,
    /// When its latest message was sent (RFC 3339).
    pub last_message_at: String,
    /// Whether both members may write now (false once a clinician's link has
    /// ended or the patient no longer shares their record with them).
    pub open: bool,
}

/// The caller's inbox.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InboxView {
    /// A page of conversations, latest message first.
    pub threads: Vec<InboxThreadView>,
    /// Conversations in the whole inbox.
    pub total_threads: u64,
    /// Unread messages across the whole inbox.
    pub total_unread: i64,
    /// For a patient: messages are not monitored around the clock, and where to
    /// turn now instead.
    pub notice: Option<String>,
}

/// A page of one conversation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ThreadView {
    /// The conversation's id.
    pub thread_id: String,
    /// The patient it is about.
    pub patient: PersonView,
    /// Its two members.
    pub members: Vec<PersonView>,
    /// The number of its latest message.
    pub last_seq: i64,
    /// The last message the caller has marked read (0 for none; absent for an
    /// admin's break-glass read).
    pub read_seq: Option<i64>,
    /// A page of messages, newest first (without those the caller deleted).
    pub messages: Vec<MessageView>,
    /// For a patient: messages are not monitored around the clock, and where to
    /// turn now instead.
    pub notice: Option<String>,
}

/// A message as sent, with what the app must show about it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MessageSent {
    /// The conversation it went to.
    pub thread_id: String,
    /// Whether it began the conversation.
    pub started: bool,
    /// The stored message.
    pub message: MessageView,
    /// For a patient's message, the outcome of screening it: at high or critical
    /// `show_crisis_resources` is true and `resources` lists them (an alert has
    /// been raised for their clinicians already).
    pub safety: Option<SafetyView>,
    /// For a patient: messages are not monitored around the clock, and where to
    /// turn now instead.
    pub notice: Option<String>,
}

/// The answer to marking a conversation read or deleting it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ThreadUpdated {
    /// The conversation's id.
    pub thread_id: String,
    /// The last message the caller has now marked read.
    pub read_seq: i64,
    /// For a patient: messages are not monitored around the clock, and where to
    /// turn now instead.
    pub notice: Option<String>,
}

/// `POST /api/messages` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StartConversation {
    /// Who to write to: a patient's linked clinician, the clinician's patient, or
    /// a colleague linked to the same patient.
    pub to: String,
    /// The patient the conversation is about: needed between two clinicians;
    /// otherwise it is the patient member (and, if given, must be them).
    pub about: Option<String>,
    /// The text (1 to 5 000 characters).
    pub body: String,
}

/// `POST /api/messages/threads/{thread_id}` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewMessage {
    /// The text (1 to 5 000 characters).
    pub body: String,
}

/// `POST /api/messages/threads/{thread_id}/read` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MarkRead {
    /// Mark read up to and including this message (default: the latest).
    #[schema(minimum = 1)]
    pub through_seq: Option<i64>,
}

/// Paging of the inbox and of a conversation.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size (default 50, at most 200).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub limit: Option<u32>,
    /// Rows to skip from the newest (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub offset: Option<u32>,
}

impl PageQuery {
    fn page(&self) -> Page {
        Page {
            limit: self.limit.unwrap_or(50).clamp(1, 200),
            offset: u64::from(self.offset.unwrap_or(0)),
        }
    }
}

/// The caller's conversations with unread counts.
#[utoipa::path(get, path = "/api/messages", tag = "messages", params(PageQuery),
    responses((status = 200, description = "The inbox, latest message first", body = InboxView)))]
pub async fn inbox(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, ApiError> {
    let inbox = state
        .store()
        .inbox(&caller.user_id, state.now(), query.page())
        .await
        .map_err(store_error)?;
    let ids: Vec<PersonId> = inbox
        .threads
        .iter()
        .flat_map(|thread| [thread.patient_id.clone(), thread.other_member_id.clone()])
        .collect();
    let names = names_of(&state, &ids).await?;
    let threads = inbox
        .threads
        .iter()
        .map(|thread| InboxThreadView {
            thread_id: thread.thread_id.clone(),
            patient: person_view(&names, &thread.patient_id),
            with: person_view(&names, &thread.other_member_id),
            unread: thread.unread,
            last_message_at: thread.last_message_at.to_rfc3339(),
            open: thread.open,
        })
        .collect();
    Ok(ok(InboxView {
        threads,
        total_threads: inbox.total_threads,
        total_unread: inbox.total_unread,
        notice: notice_for(&state, &caller),
    }))
}

/// Write to someone in the patient's care team, starting the conversation if the
/// two have none about that patient (otherwise the message joins it).
///
/// A patient's message is screened: at medium risk or above an alert is raised
/// for their clinicians at once, and at high or critical `safety` carries the
/// crisis resources to show now. Refused with 403 `MESSAGE_REFUSED` when the
/// recipient is not in the patient's care team (not linked, the link ended, the
/// patient does not share their record, another patient, an admin).
#[utoipa::path(post, path = "/api/messages", tag = "messages", request_body = StartConversation,
    responses((status = 201, description = "Sent and screened", body = MessageSent)))]
pub async fn start_conversation(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<StartConversation>,
) -> Result<Response, ApiError> {
    let to = PersonId::new(request.to).map_err(|_| ApiError::validation("to is not a valid id"))?;
    let about = request
        .about
        .map(PersonId::new)
        .transpose()
        .map_err(|_| ApiError::validation("about is not a valid id"))?;
    check_length(&request.body)?;
    let screened = state.screener().screen(request.body, Source::Message);
    let posted = state
        .store()
        .start_conversation(&caller.user_id, &to, about.as_ref(), &screened, state.now())
        .await
        .map_err(store_error)?;
    let thread = state
        .store()
        .message_thread(&posted.message.thread_id)
        .await
        .map_err(store_error)?;
    Ok(sent(
        &state,
        &caller,
        &thread,
        &posted.message,
        posted.started,
        &screened,
    ))
}

/// A page of one conversation, newest first.
#[utoipa::path(get, path = "/api/messages/threads/{thread_id}", tag = "messages",
    params(("thread_id" = String, Path, description = "The conversation"), PageQuery),
    responses((status = 200, description = "The conversation", body = ThreadView)))]
pub async fn show_thread(
    State(state): State<AppState>,
    caller: Caller,
    access: ThreadAccess,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, ApiError> {
    let thread = &access.thread;
    // An admin's break-glass read sees everything, also what members deleted.
    let reader = (access.basis != AccessBasis::BreakGlass).then_some(&caller.user_id);
    let messages = state
        .store()
        .thread_messages(&thread.id, reader, query.page())
        .await
        .map_err(store_error)?;
    let members = [&thread.members[0].person_id, &thread.members[1].person_id];
    let mut ids: Vec<PersonId> = members.iter().map(|id| (*id).clone()).collect();
    ids.push(thread.patient_id.clone());
    let names = names_of(&state, &ids).await?;
    Ok(ok(ThreadView {
        thread_id: thread.id.clone(),
        patient: person_view(&names, &thread.patient_id),
        members: members.iter().map(|id| person_view(&names, id)).collect(),
        last_seq: thread.last_seq,
        read_seq: thread.member(&caller.user_id).map(|member| member.read_seq),
        messages: messages
            .iter()
            .map(|message| MessageView::of(message, thread, &caller.user_id))
            .collect(),
        notice: notice_for(&state, &caller),
    }))
}

/// Write the next message of a conversation (screened as in `POST /api/messages`;
/// refused with 403 `MESSAGE_REFUSED` once the other member may no longer take
/// part).
#[utoipa::path(post, path = "/api/messages/threads/{thread_id}", tag = "messages", request_body = NewMessage,
    params(("thread_id" = String, Path, description = "The conversation")),
    responses((status = 201, description = "Sent and screened", body = MessageSent)))]
pub async fn post_message(
    State(state): State<AppState>,
    caller: Caller,
    access: ThreadAccess,
    JsonBody(request): JsonBody<NewMessage>,
) -> Result<Response, ApiError> {
    check_length(&request.body)?;
    let screened = state.screener().screen(request.body, Source::Message);
    let message = state
        .store()
        .post_message(&access.thread.id, &caller.user_id, &screened, state.now())
        .await
        .map_err(store_error)?;
    Ok(sent(
        &state,
        &caller,
        &access.thread,
        &message,
        false,
        &screened,
    ))
}

/// Mark a conversation read, up to `through_seq` or its latest message.
#[utoipa::path(post, path = "/api/messages/threads/{thread_id}/read", tag = "messages", request_body = MarkRead,
    params(("thread_id" = String, Path, description = "The conversation")),
    responses((status = 200, description = "Marked read", body = ThreadUpdated)))]
pub async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    access: ThreadAccess,
    JsonBody(request): JsonBody<MarkRead>,
) -> Result<Response, ApiError> {
    if request.through_seq.is_some_and(|seq| seq < 1) {
        return Err(ApiError::validation("through_seq must be 1 or more"));
    }
    let thread = state
        .store()
        .mark_thread_read(
            &access.thread.id,
            &caller.user_id,
            request.through_seq,
            state.now(),
        )
        .await
        .map_err(store_error)?;
    Ok(ok(updated(&state, &caller, &thread)))
}

/// Delete a conversation for the caller only: its messages so far are hidden from
/// them (it comes back with the next new message); the other member still sees
/// every one.
#[utoipa::path(delete, path = "/api/messages/threads/{thread_id}", tag = "messages",
    params(("thread_id" = String, Path, description = "The conversation")),
    responses((status = 200, description = "Deleted for the caller", body = ThreadUpdated)))]
pub async fn delete_thread(
    State(state): State<AppState>,
    caller: Caller,
    access: ThreadAccess,
) -> Result<Response, ApiError> {
    state
        .store()
        .hide_thread(&access.thread.id, &caller.user_id)
        .await
        .map_err(store_error)?;
    let thread = state
        .store()
        .message_thread(&access.thread.id)
        .await
        .map_err(store_error)?;
    Ok(ok(updated(&state, &caller, &thread)))
}

fn check_length(body: &str) -> Result<(), ApiError> {
    let chars = body.chars().count();
    if body.trim().is_empty() || chars > MESSAGE_MAX_CHARS {
        return Err(ApiError::validation(format!(
            "message has {chars} characters; use 1 to {MESSAGE_MAX_CHARS}"
        )));
    }
    Ok(())
}

/// The notice every answer to a patient carries; none for clinicians.
fn notice_for(state: &AppState, caller: &Caller) -> Option<String> {
    (caller.role == Role::Patient)
        .then(|| messages_not_monitored_notice(state.screener().directory()))
}

/// The 201 answer to a sent message: the screening outcome and the notice for a
/// patient. (A clinician's message is screened too, as every stored text is, but
/// raises nothing: their words are not a disclosure about themself.)
fn sent(
    state: &AppState,
    caller: &Caller,
    thread: &MessageThread,
    message: &ThreadMessage,
    started: bool,
    screened: &healing_store::Screened,
) -> Response {
    let is_patient = caller.role == Role::Patient;
    ok_with(
        StatusCode::CREATED,
        MessageSent {
            thread_id: message.thread_id.clone(),
            started,
            message: MessageView::of(message, thread, &caller.user_id),
            safety: is_patient.then(|| state.screener().view(screened.outcome())),
            notice: notice_for(state, caller),
        },
        "message sent",
    )
}

fn updated(state: &AppState, caller: &Caller, thread: &MessageThread) -> ThreadUpdated {
    ThreadUpdated {
        thread_id: thread.id.clone(),
        read_seq: thread
            .member(&caller.user_id)
            .map_or(0, |member| member.read_seq),
        notice: notice_for(state, caller),
    }
}

async fn names_of(
    state: &AppState,
    ids: &[PersonId],
) -> Result<HashMap<PersonId, String>, ApiError> {
    let mut unique = ids.to_vec();
    unique.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    unique.dedup();
    state
        .store()
        .display_names(&unique)
        .await
        .map_err(store_error)
}

fn person_view(names: &HashMap<PersonId, String>, id: &PersonId) -> PersonView {
    PersonView {
        id: id.as_str().to_owned(),
        display_name: names.get(id).cloned().unwrap_or_default(),
    }
}
