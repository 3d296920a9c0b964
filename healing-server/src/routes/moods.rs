//! `/api/patients/{patient_id}/moods`: daily mood check-ins (the note is
//! encrypted at rest by the store).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::mood::MoodEntry;
use healing_core::safety::{RiskLevel, Source};
use healing_store::StoredMoodEntry;
use healing_store::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, ok, ok_with};
use crate::policy::PatientAccess;
use crate::screening::SafetyView;
use crate::state::{AppState, store_error};

/// A stored mood entry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MoodView {
    /// Entry id.
    pub id: String,
    /// Day it describes (YYYY-MM-DD).
    pub day: String,
    /// When recorded (RFC 3339).
    pub recorded_at: String,
    /// Mood 1–10.
    pub mood: u8,
    /// Sleep quality 0–10.
    pub sleep: Option<u8>,
    /// Anxiety 0–10.
    pub anxiety: Option<u8>,
    /// The patient's note.
    pub note: Option<String>,
}

impl From<&StoredMoodEntry> for MoodView {
    fn from(stored: &StoredMoodEntry) -> Self {
        let entry = &stored.entry;
        Self {
            id: stored.id.clone(),
            day: entry.day().to_string(),
            recorded_at: entry.recorded_at().to_rfc3339(),
            mood: entry.mood(),
            sleep: entry.sleep(),
            anxiety: entry.anxiety(),
            note: entry.note().map(str::to_owned),
        }
    }
}

/// A mood entry as written, with what the app must show about its note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MoodWritten {
    /// The stored entry.
    #[serde(flatten)]
    pub entry: MoodView,
    /// The outcome of screening the note (level `none` without a note).
    pub safety: SafetyView,
}

/// `POST …/moods` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewMood {
    /// Day described (YYYY-MM-DD), from 1900-01-01 to tomorrow; default today (UTC).
    #[serde(default)]
    pub day: Option<String>,
    /// Mood 1 (worst) to 10 (best).
    pub mood: u8,
    /// Sleep quality 0–10.
    #[serde(default)]
    pub sleep: Option<u8>,
    /// Anxiety 0–10.
    #[serde(default)]
    pub anxiety: Option<u8>,
    /// Free-text note (encrypted at rest).
    #[serde(default)]
    pub note: Option<String>,
}

/// The earliest day a mood entry may describe: nobody alive recorded a mood
/// before it, so an earlier date is a typing mistake.
const EARLIEST_MOOD_DAY: time::Date = time::macros::date!(1900 - 01 - 01);

/// Parses the `day` of a new mood entry: `YYYY-MM-DD`, from
/// [`EARLIEST_MOOD_DAY`] to the day after `today` (UTC), since the patient's
/// own day may already be tomorrow in UTC. Each refusal names the field.
fn mood_day(text: &str, today: time::Date) -> Result<time::Date, ApiError> {
    let day = time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| ApiError::validation("day is not a date in the form YYYY-MM-DD"))?;
    if day < EARLIEST_MOOD_DAY {
        return Err(ApiError::validation(format!(
            "day is {day}, before the earliest allowed day {EARLIEST_MOOD_DAY}"
        )));
    }
    if today.next_day().is_some_and(|tomorrow| day > tomorrow) {
        return Err(ApiError::validation(format!(
            "day is {day}, after tomorrow"
        )));
    }
    Ok(day)
}

/// A patient's mood entries.
#[utoipa::path(get, path = "/api/patients/{patient_id}/moods", tag = "moods",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Entries by day", body = [MoodView])))]
pub async fn list_moods(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let entries = state
        .store()
        .mood_entries(&access.patient_id)
        .await
        .map_err(store_error)?;
    Ok(ok(entries.iter().map(MoodView::from).collect::<Vec<_>>()))
}

/// Record a mood entry (the patient).
#[utoipa::path(post, path = "/api/patients/{patient_id}/moods", tag = "moods", request_body = NewMood,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 201, description = "Stored and its note screened", body = MoodWritten)))]
pub async fn add_mood(
    State(state): State<AppState>,
    access: PatientAccess,
    JsonBody(request): JsonBody<NewMood>,
) -> Result<Response, ApiError> {
    let now = state.now();
    let day = match request.day.as_deref() {
        None => now.date(),
        Some(text) => mood_day(text, now.date())?,
    };
    let invalid = |error: healing_core::mood::Error| ApiError::validation(error.to_string());
    let mut entry = MoodEntry::new(day, now, request.mood).map_err(invalid)?;
    if let Some(sleep) = request.sleep {
        entry = entry.with_sleep(sleep).map_err(invalid)?;
    }
    if let Some(anxiety) = request.anxiety {
        entry = entry.with_anxiety(anxiety).map_err(invalid)?;
    }
    let mut screened = None;
    if let Some(note) = request.note.filter(|note| !note.trim().is_empty()) {
        entry = entry.with_note(note).map_err(invalid)?;
        let text = entry.note().unwrap_or_default().to_owned();
        screened = Some(state.screener().screen(text, Source::MoodNote));
    }
    let safety = match &screened {
        Some(screened) => state.screener().view(screened.outcome()),
        None => state.screener().view_for_level(RiskLevel::None),
    };
    let stored = state
        .store()
        .add_mood_entry(&access.patient_id, &entry, screened.as_ref())
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        MoodWritten {
            entry: MoodView::from(&stored),
            safety,
        },
        "mood recorded",
    ))
}
