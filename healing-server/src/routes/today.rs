//! `/api/patients/{patient_id}/today`: today's suggested tasks, each marked done from
//! the records themselves (never from a flag the app sets), with the pet's state and
//! streak. "Today" is the UTC calendar day, the day the pet's daily caps count on.
//!
//! An appointment is not among the tasks: the server has no appointments yet.

use axum::extract::State;
use axum::response::Response;
use healing_core::pet;
use healing_core::pet::WellbeingActivity;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ok};
use crate::policy::PatientAccess;
use crate::state::{AppState, store_error};

/// The gratitude tool's id (a task of its own).
const GRATITUDE_TOOL: &str = "gratitude";

/// One suggested task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskView {
    /// `log_mood`, `cbt_exercise` or `gratitude_entry`.
    pub id: String,
    /// What to show.
    pub title: String,
    /// Whether a record of it was stored today.
    pub done: bool,
}

/// The pet as the day's screen shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TodayPetView {
    /// The pet's state now (decay applied), as `GET …/pet` answers it.
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
    /// Consecutive days with all the pet's daily tasks done, as it stands today.
    pub streak_days: u32,
}

/// Today's tasks and the pet.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TodayView {
    /// The day (UTC, `yyyy-mm-dd`).
    pub day: String,
    /// The suggested tasks.
    pub tasks: Vec<TaskView>,
    /// The pet, absent before one is adopted.
    pub pet: Option<TodayPetView>,
}

/// Today's suggested tasks, each marked done from the stored records, with the pet.
#[utoipa::path(get, path = "/api/patients/{patient_id}/today", tag = "pet",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Today's tasks and the pet", body = TodayView)))]
pub async fn today(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let now = state.now();
    let day = now.date();
    let midnight =
        Timestamp::from_unix_seconds(now.unix_seconds() - now.unix_seconds().rem_euclid(86_400))
            .map_err(ApiError::internal)?;
    let store = state.store();
    let moods = store
        .mood_ratings_from(&access.patient_id, day)
        .await
        .map_err(store_error)?;
    let used = store
        .tools_used_since(&access.patient_id, midnight)
        .await
        .map_err(store_error)?;
    let cbt_done = used.iter().any(|id| {
        state.tools().get(id).is_some_and(|tool| {
            matches!(
                tool.activity(),
                Some(WellbeingActivity::CbtTool | WellbeingActivity::Breathing)
            )
        })
    });
    let tasks = vec![
        TaskView {
            id: "log_mood".to_owned(),
            title: "Log your mood".to_owned(),
            done: moods.iter().any(|entry| entry.day() == day),
        },
        TaskView {
            id: "cbt_exercise".to_owned(),
            title: "Do one exercise from the tools".to_owned(),
            done: cbt_done,
        },
        TaskView {
            id: "gratitude_entry".to_owned(),
            title: "Write down three good things".to_owned(),
            done: used.iter().any(|id| id == GRATITUDE_TOOL),
        },
    ];
    let pet = store
        .pet_state(&access.patient_id)
        .await
        .map_err(store_error)?
        .map(|record| {
            let observed = pet::observe(&record.state, now);
            Ok::<_, ApiError>(TodayPetView {
                streak_days: observed.streak().days_on(day),
                state: serde_json::to_value(&observed).map_err(ApiError::internal)?,
            })
        })
        .transpose()?;
    Ok(ok(TodayView {
        day: day.to_string(),
        tasks,
        pet,
    }))
}
