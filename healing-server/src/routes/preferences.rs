//! `/api/me/preferences`: the caller's theme, language, which notifications
//! also come by email, and how long before an appointment its reminder comes.
//! The rules (and the defaults before a person chooses) are
//! `healing_store::Preferences`'; this module only converts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_store::prelude::*;
use healing_store::{
    EMAILABLE, LANGUAGES, MAX_REMINDER_LEAD_HOURS, MIN_REMINDER_LEAD_HOURS, PreferenceError,
    Preferences, Theme,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, ok};
use crate::policy::Caller;
use crate::state::{AppState, store_error};

/// The longest theme, language or kind name accepted (the longest valid one is 20).
const NAME_MAX_BYTES: usize = 32;

/// The caller's preferences, with the choices the app can offer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PreferencesView {
    /// `light`, `dark` or `system`.
    pub theme: String,
    /// The app's language (`en-GB`).
    pub language: String,
    /// The notification kinds that also come by email.
    pub email: Vec<String>,
    /// Hours before an appointment its reminder comes (1 to 168).
    pub reminder_lead_hours: u16,
    /// What may be chosen.
    pub choices: PreferenceChoices,
}

/// What each preference may be.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PreferenceChoices {
    /// Themes.
    pub themes: Vec<String>,
    /// Languages the app has text for.
    pub languages: Vec<String>,
    /// Notification kinds that may come by email (alerts come by the alert emails).
    pub email: Vec<String>,
    /// The shortest reminder lead time, in hours.
    pub reminder_lead_hours_min: u16,
    /// The longest reminder lead time, in hours.
    pub reminder_lead_hours_max: u16,
}

impl From<&Preferences> for PreferencesView {
    fn from(preferences: &Preferences) -> Self {
        Self {
            theme: preferences.theme.as_str().to_owned(),
            language: preferences.language.clone(),
            email: preferences
                .email
                .iter()
                .map(|kind| kind.as_str().to_owned())
                .collect(),
            reminder_lead_hours: preferences.reminder_lead_hours,
            choices: PreferenceChoices {
                themes: Theme::ALL
                    .iter()
                    .map(|theme| theme.as_str().to_owned())
                    .collect(),
                languages: LANGUAGES
                    .iter()
                    .map(|&language| language.to_owned())
                    .collect(),
                email: EMAILABLE
                    .iter()
                    .map(|kind| kind.as_str().to_owned())
                    .collect(),
                reminder_lead_hours_min: MIN_REMINDER_LEAD_HOURS,
                reminder_lead_hours_max: MAX_REMINDER_LEAD_HOURS,
            },
        }
    }
}

/// `PUT /api/me/preferences` body: every preference, replacing the stored ones.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesUpdate {
    /// `light`, `dark` or `system`.
    #[schema(example = "system", pattern = "^(light|dark|system)$")]
    pub theme: String,
    /// `en-GB` (the only language the app has text for yet).
    #[schema(example = "en-GB", pattern = "^en-GB$")]
    pub language: String,
    /// The kinds that also come by email, of `message`, `appointment_changed`,
    /// `appointment_reminder` and `post_reply` (at most one each; repeats are kept once).
    #[schema(max_items = 16)]
    pub email: Vec<String>,
    /// Hours before an appointment its reminder comes.
    #[schema(minimum = 1, maximum = 168)]
    pub reminder_lead_hours: i64,
}

/// The caller's preferences (the defaults until they choose: system theme, en-GB,
/// appointment changes and reminders by email, reminders 24 hours before). A
/// patient is emailed only while their `email_notifications` consent is in force.
#[utoipa::path(get, path = "/api/me/preferences", tag = "preferences",
    responses((status = 200, description = "The caller's preferences", body = PreferencesView)))]
pub async fn show_preferences(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let preferences = state
        .store()
        .preferences(&caller.user_id)
        .await
        .map_err(store_error)?;
    Ok(ok(PreferencesView::from(&preferences)))
}

/// Replace the caller's preferences. Each field is checked; a refused one is a
/// 400 `INVALID_PREFERENCE` naming it, and nothing is stored.
#[utoipa::path(put, path = "/api/me/preferences", tag = "preferences", request_body = PreferencesUpdate,
    responses((status = 200, description = "Stored", body = PreferencesView)))]
pub async fn save_preferences(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(update): JsonBody<PreferencesUpdate>,
) -> Result<Response, ApiError> {
    if update.email.len() > 16 {
        return Err(invalid("email lists at most 16 kinds".to_owned()));
    }
    // Every valid name is short: refuse long text before an error message names it.
    let longest = [&update.theme, &update.language]
        .into_iter()
        .chain(&update.email)
        .map(String::len)
        .max()
        .unwrap_or(0);
    if longest > NAME_MAX_BYTES {
        return Err(invalid(format!(
            "theme, language and each email kind are at most {NAME_MAX_BYTES} bytes"
        )));
    }
    let preferences = Preferences::new(
        &update.theme,
        &update.language,
        &update.email,
        update.reminder_lead_hours,
    )
    .map_err(|error: PreferenceError| invalid(error.to_string()))?;
    let stored = state
        .store()
        .set_preferences(&caller.user_id, &preferences, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok(PreferencesView::from(&stored)))
}

fn invalid(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "INVALID_PREFERENCE", message)
}
