//! `/api/patients/{patient_id}/pet`: the companion pet, driven by
//! `healing_core::pet` (the store keeps its state).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::pet::{self, Event, PetName, PetState, Species};
use healing_store::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, ok, ok_with};
use crate::policy::PatientAccess;
use crate::state::{AppState, store_error};

async fn load(state: &AppState, access: &PatientAccess) -> Result<PetState, ApiError> {
    let record = state
        .store()
        .pet_state(&access.patient_id)
        .await
        .map_err(store_error)?
        .ok_or_else(|| ApiError::not_found("pet"))?;
    Ok(record.state)
}

/// The pet as it is now (decay applied up to now).
#[utoipa::path(get, path = "/api/patients/{patient_id}/pet", tag = "pet",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "The pet", body = serde_json::Value), (status = 404, description = "No pet yet", body = crate::error::ErrorBody)))]
pub async fn show_pet(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let current = load(&state, &access).await?;
    Ok(ok(pet::observe(&current, state.now())))
}

/// `POST …/pet` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AdoptPet {
    /// The pet's name.
    pub name: String,
    /// `cat`, `dog`, `rabbit`, `hedgehog`, `owl` or `fox`.
    pub species: String,
}

/// Adopt a pet (the patient; one per patient).
#[utoipa::path(post, path = "/api/patients/{patient_id}/pet", tag = "pet", request_body = AdoptPet,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 201, description = "Adopted", body = serde_json::Value), (status = 409, description = "Already has a pet", body = crate::error::ErrorBody)))]
pub async fn adopt_pet(
    State(state): State<AppState>,
    access: PatientAccess,
    JsonBody(request): JsonBody<AdoptPet>,
) -> Result<Response, ApiError> {
    if state
        .store()
        .pet_state(&access.patient_id)
        .await
        .map_err(store_error)?
        .is_some()
    {
        return Err(ApiError::conflict("this patient already has a pet"));
    }
    let name =
        PetName::new(&request.name).map_err(|error| ApiError::validation(error.to_string()))?;
    let species: Species = request
        .species
        .parse()
        .map_err(|_| ApiError::validation(format!("species {:?} is not known", request.species)))?;
    let adopted = PetState::new(name, species, state.now());
    state
        .store()
        .put_pet_state(&access.patient_id, &adopted, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok_with(StatusCode::CREATED, adopted, "pet adopted"))
}

/// `POST …/pet/events` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PetEventRequest {
    /// The event, as `healing_core::pet::Event` JSON (e.g. `{"kind":"play"}`):
    /// a pet-only action (feed, play, clean, rest, adventures, shop, hats, rename).
    #[schema(value_type = Object)]
    pub event: serde_json::Value,
}

/// Apply a pet-only action to the pet (feed, play, shop, …).
///
/// Wellbeing rewards cannot be claimed here (`complete_activity` is refused): the
/// server credits them itself when it stores the activity — a mood entry, a
/// questionnaire, a CBT tool run, a safety-plan save — within the daily caps.
#[utoipa::path(post, path = "/api/patients/{patient_id}/pet/events", tag = "pet", request_body = PetEventRequest,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "New state and outcomes", body = serde_json::Value), (status = 404, description = "No pet yet", body = crate::error::ErrorBody)))]
pub async fn pet_event(
    State(state): State<AppState>,
    access: PatientAccess,
    JsonBody(request): JsonBody<PetEventRequest>,
) -> Result<Response, ApiError> {
    let event: Event = serde_json::from_value(request.event)
        .map_err(|error| ApiError::validation(format!("event is invalid: {error}")))?;
    if matches!(event, Event::CompleteActivity { .. }) {
        return Err(ApiError::validation(
            "rewards for wellbeing activities are credited by the server when the activity is saved; they cannot be claimed",
        ));
    }
    let step = state
        .store()
        .step_pet(&access.patient_id, &event, state.now())
        .await
        .map_err(store_error)?
        .ok_or_else(|| ApiError::not_found("pet"))?;
    Ok(ok(step))
}
