//! `/api/patients/{patient_id}/journal`: the patient's private journal
//! (encrypted at rest; only the patient reads it).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::safety::Source;
use healing_store::JournalEntry;
use healing_store::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, ok, ok_with};
use crate::policy::PatientAccess;
use crate::screening::SafetyView;
use crate::state::{AppState, store_error};

/// Longest journal entry accepted, in characters.
pub const JOURNAL_MAX_CHARS: usize = 20_000;

/// A journal entry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JournalView {
    /// Id.
    pub id: String,
    /// Text.
    pub body: String,
    /// When written (RFC 3339).
    pub written_at: String,
}

impl From<&JournalEntry> for JournalView {
    fn from(entry: &JournalEntry) -> Self {
        Self {
            id: entry.id.clone(),
            body: entry.body.clone(),
            written_at: entry.written_at.to_rfc3339(),
        }
    }
}

/// A journal entry as written, with what the app must show about it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JournalWritten {
    /// The stored entry.
    #[serde(flatten)]
    pub entry: JournalView,
    /// The outcome of screening the text.
    pub safety: SafetyView,
}

/// `POST …/journal` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewJournalEntry {
    /// Text (1 to 20 000 characters).
    pub body: String,
}

/// The patient's journal.
#[utoipa::path(get, path = "/api/patients/{patient_id}/journal", tag = "journal",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Entries, oldest first", body = [JournalView])))]
pub async fn list_journal(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let entries = state
        .store()
        .journal_entries(&access.patient_id)
        .await
        .map_err(store_error)?;
    Ok(ok(entries
        .iter()
        .map(JournalView::from)
        .collect::<Vec<_>>()))
}

/// Write a journal entry.
#[utoipa::path(post, path = "/api/patients/{patient_id}/journal", tag = "journal", request_body = NewJournalEntry,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 201, description = "Stored and screened", body = JournalWritten)))]
pub async fn add_journal_entry(
    State(state): State<AppState>,
    access: PatientAccess,
    JsonBody(request): JsonBody<NewJournalEntry>,
) -> Result<Response, ApiError> {
    let chars = request.body.chars().count();
    if request.body.trim().is_empty() || chars > JOURNAL_MAX_CHARS {
        return Err(ApiError::validation(format!(
            "journal entry has {chars} characters; use 1 to {JOURNAL_MAX_CHARS}"
        )));
    }
    let screened = state.screener().screen(request.body, Source::Journal);
    let safety = state.screener().view(screened.outcome());
    let entry = state
        .store()
        .add_journal_entry(&access.patient_id, &screened, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        JournalWritten {
            entry: JournalView::from(&entry),
            safety,
        },
        "journal entry saved",
    ))
}
