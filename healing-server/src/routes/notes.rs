//! `/api/clinician/patients/{patient_id}/notes`: clinical notes, encrypted at rest and
//! never edited in place. An amendment is the next version of the same note and every
//! version is kept, as a health record must (the store refuses nothing else: there is
//! no update or delete of a note).
//!
//! Every note is screened like all free text, but only a note whose writer asks
//! (`raise_alert: true`) turns what screening finds into an alert: a clinician
//! recording a patient's risk is already acting on it.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::ids::PersonId;
use healing_core::safety::Source;
use healing_store::prelude::*;
use healing_store::{ClinicalNote, NewClinicalNote};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, PathParams, ok, ok_with};
use crate::policy::{Caller, PatientAccess};
use crate::screening::SafetyView;
use crate::state::{AppState, store_error};

/// The longest note accepted, in characters: a long letter, not a document store.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// One version of a clinical note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoteView {
    /// This version's id.
    pub id: String,
    /// The note's id, the same for every version.
    pub note_id: String,
    /// 1 as first written, then one more for each amendment.
    pub version: u32,
    /// Who wrote this version (absent if that account was erased).
    pub author_id: Option<String>,
    /// The author's display name (absent if that account was erased).
    pub author_name: Option<String>,
    /// The treatment session it is about, if any.
    pub session_id: Option<String>,
    /// The text.
    pub body: String,
    /// When this version was written (RFC 3339).
    pub written_at: String,
    /// The version this one replaces, if it is an amendment.
    pub supersedes: Option<String>,
}

impl NoteView {
    /// The version as shown, its author named from `authors`.
    fn new(note: &ClinicalNote, authors: &AuthorNames) -> Self {
        Self {
            id: note.id.clone(),
            note_id: note.note_id.clone(),
            version: note.version,
            author_id: note.author_id.as_ref().map(|id| id.as_str().to_owned()),
            author_name: note
                .author_id
                .as_ref()
                .and_then(|id| authors.get(id))
                .cloned(),
            session_id: note.session_id.clone(),
            body: note.body.clone(),
            written_at: note.written_at.to_rfc3339(),
            supersedes: note.supersedes.clone(),
        }
    }
}

/// Display names of note authors by id.
type AuthorNames = HashMap<PersonId, String>;

/// The display names of these versions' authors, in one read.
async fn author_names<'a>(
    state: &AppState,
    notes: impl IntoIterator<Item = &'a ClinicalNote>,
) -> Result<AuthorNames, ApiError> {
    let mut authors: Vec<PersonId> = notes
        .into_iter()
        .filter_map(|note| note.author_id.clone())
        .collect();
    authors.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    authors.dedup();
    state
        .store()
        .display_names(&authors)
        .await
        .map_err(store_error)
}

/// One version as shown, with its author's name.
pub(crate) async fn note_view(state: &AppState, note: &ClinicalNote) -> Result<NoteView, ApiError> {
    let authors = author_names(state, [note]).await?;
    Ok(NoteView::new(note, &authors))
}

/// A note in the list: its latest version and how many versions it has.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoteSummary {
    /// The latest version.
    pub latest: NoteView,
    /// Versions kept, 1 for a note never amended.
    pub version_count: u32,
    /// When the note was first written (RFC 3339).
    pub first_written_at: String,
}

/// A note with every version, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoteHistory {
    /// The note's id.
    pub note_id: String,
    /// Every version, oldest first.
    pub versions: Vec<NoteView>,
}

/// A note as written, with what screening found.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoteWritten {
    /// The version written.
    pub note: NoteView,
    /// What screening found in it, as for every write. A clinician's screen should
    /// show it as information: the crisis view is for patients.
    pub safety: SafetyView,
    /// Whether an alert was raised (only when asked for, at medium risk and above).
    pub alert_raised: bool,
}

/// `POST …/notes` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WriteNote {
    /// The text (1 to 20 000 characters).
    pub body: String,
    /// The treatment session it is about, if any (a session of this patient).
    #[serde(default)]
    pub session_id: Option<String>,
    /// Raise an alert if screening finds risk (default false).
    #[serde(default)]
    pub raise_alert: bool,
}

/// `POST …/notes/{note_id}/amend` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AmendNote {
    /// The amended text, in full (1 to 20 000 characters).
    pub body: String,
    /// Raise an alert if screening finds risk (default false).
    #[serde(default)]
    pub raise_alert: bool,
}

/// Checks a note's text: not blank, at most [`MAX_NOTE_CHARS`] characters.
pub(crate) fn note_text(text: String, field: &str) -> Result<String, ApiError> {
    let length = text.chars().count();
    if text.trim().is_empty() {
        return Err(ApiError::validation(format!("{field} is empty")));
    }
    if length > MAX_NOTE_CHARS {
        return Err(ApiError::validation(format!(
            "{field} is {length} characters long, more than {MAX_NOTE_CHARS}"
        )));
    }
    Ok(text)
}

async fn written(
    state: &AppState,
    note: &NewClinicalNote,
    stored: &ClinicalNote,
) -> Result<NoteWritten, ApiError> {
    Ok(NoteWritten {
        note: note_view(state, stored).await?,
        safety: state.screener().view(note.body.outcome()),
        alert_raised: note.raise_alert && note.body.outcome().alert_severity().is_some(),
    })
}

/// Write a clinical note about the patient (encrypted; screened; an alert only if asked).
#[utoipa::path(post, path = "/api/clinician/patients/{patient_id}/notes", tag = "notes",
    request_body = WriteNote,
    params(("patient_id" = String, Path, description = "The patient")),
    responses(
        (status = 201, description = "Written as version 1", body = NoteWritten),
        (status = 404, description = "`NOT_FOUND`: the session is not this patient's", body = crate::error::ErrorBody)))]
pub async fn write_note(
    State(state): State<AppState>,
    access: PatientAccess,
    caller: Caller,
    JsonBody(request): JsonBody<WriteNote>,
) -> Result<Response, ApiError> {
    let text = note_text(request.body, "body")?;
    let note = NewClinicalNote {
        patient_id: access.patient_id.clone(),
        author_id: caller.user_id.clone(),
        session_id: request.session_id,
        body: state.screener().screen(text, Source::ClinicalNote),
        raise_alert: request.raise_alert,
        written_at: state.now(),
    };
    let stored = state
        .store()
        .add_clinical_note(&note)
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        written(&state, &note, &stored).await?,
        "note written",
    ))
}

/// Amend a note: the amendment is its next version; every earlier version is kept.
#[utoipa::path(post, path = "/api/clinician/patients/{patient_id}/notes/{note_id}/amend", tag = "notes",
    request_body = AmendNote,
    params(("patient_id" = String, Path, description = "The patient"),
           ("note_id" = String, Path, description = "The note")),
    responses(
        (status = 201, description = "Written as the next version", body = NoteWritten),
        (status = 404, description = "No such note of this patient", body = crate::error::ErrorBody),
        (status = 409, description = "`CONFLICT`: another amendment was written at the same moment; read the note again", body = crate::error::ErrorBody)))]
pub async fn amend_note(
    State(state): State<AppState>,
    access: PatientAccess,
    caller: Caller,
    PathParams((_, note_id)): PathParams<(String, String)>,
    JsonBody(request): JsonBody<AmendNote>,
) -> Result<Response, ApiError> {
    let text = note_text(request.body, "body")?;
    let amendment = NewClinicalNote {
        patient_id: access.patient_id.clone(),
        author_id: caller.user_id.clone(),
        session_id: None,
        body: state.screener().screen(text, Source::ClinicalNote),
        raise_alert: request.raise_alert,
        written_at: state.now(),
    };
    let stored = state
        .store()
        .amend_clinical_note(&note_id, &amendment)
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        written(&state, &amendment, &stored).await?,
        "note amended",
    ))
}

/// The patient's clinical notes: each note's latest version and its version count,
/// in the order first written.
#[utoipa::path(get, path = "/api/clinician/patients/{patient_id}/notes", tag = "notes",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Notes in the order first written", body = [NoteSummary])))]
pub async fn list_notes(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let versions = state
        .store()
        .clinical_notes(&access.patient_id)
        .await
        .map_err(store_error)?;
    let authors = author_names(&state, &versions).await?;
    let mut notes: Vec<NoteSummary> = Vec::new();
    for version in &versions {
        match notes
            .iter_mut()
            .find(|summary| summary.latest.note_id == version.note_id)
        {
            Some(summary) => {
                summary.version_count += 1;
                if version.version > summary.latest.version {
                    summary.latest = NoteView::new(version, &authors);
                }
            }
            None => notes.push(NoteSummary {
                latest: NoteView::new(version, &authors),
                version_count: 1,
                first_written_at: version.written_at.to_rfc3339(),
            }),
        }
    }
    Ok(ok(notes))
}

/// One note with every version, oldest first.
#[utoipa::path(get, path = "/api/clinician/patients/{patient_id}/notes/{note_id}", tag = "notes",
    params(("patient_id" = String, Path, description = "The patient"),
           ("note_id" = String, Path, description = "The note")),
    responses(
        (status = 200, description = "Every version", body = NoteHistory),
        (status = 404, description = "No such note of this patient", body = crate::error::ErrorBody)))]
pub async fn note_history(
    State(state): State<AppState>,
    access: PatientAccess,
    PathParams((_, note_id)): PathParams<(String, String)>,
) -> Result<Response, ApiError> {
    let stored: Vec<ClinicalNote> = state
        .store()
        .clinical_notes(&access.patient_id)
        .await
        .map_err(store_error)?
        .into_iter()
        .filter(|version| version.note_id == note_id)
        .collect();
    let authors = author_names(&state, &stored).await?;
    let mut versions: Vec<NoteView> = stored
        .iter()
        .map(|version| NoteView::new(version, &authors))
        .collect();
    if versions.is_empty() {
        return Err(ApiError::not_found("clinical note"));
    }
    versions.sort_by_key(|version| version.version);
    Ok(ok(NoteHistory { note_id, versions }))
}
