//! `/api/patients/{patient_id}/consent`: the patient's consent ledger
//! (append-only decisions replayed by `healing_core::consent`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::consent::{ConsentEvent, Decision, Ledger, Purpose, RecordedBy, WordingVersion};
use healing_store::Store as _;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, ok, ok_with};
use crate::policy::PatientAccess;
use crate::state::{AppState, store_error};

/// The current consent state and the decisions behind it.
#[utoipa::path(get, path = "/api/patients/{patient_id}/consent", tag = "consent",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Current grants and history", body = serde_json::Value)))]
pub async fn consent_state(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let events = state
        .store()
        .consent_events(&access.patient_id)
        .await
        .map_err(store_error)?;
    let ledger = Ledger::replay(access.patient_id.clone(), events).map_err(|error| {
        ApiError::internal(format!("stored consent ledger does not replay: {error}"))
    })?;
    let now = state.now();
    Ok(ok(serde_json::json!({
        "state": ledger.state_at(now),
        "events": ledger.events(),
    })))
}

/// `POST …/consent` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordConsent {
    /// `care`, `clinician_sharing`, `ai_chat`, `research` or `email_notifications`.
    pub purpose: String,
    /// `grant` or `withdraw`.
    pub decision: String,
    /// Version of the wording the patient saw, e.g. `research-2026-01`.
    pub wording_version: String,
}

/// Record a consent decision (the patient, for themself).
#[utoipa::path(post, path = "/api/patients/{patient_id}/consent", tag = "consent", request_body = RecordConsent,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 201, description = "Recorded", body = serde_json::Value)))]
pub async fn record_consent(
    State(state): State<AppState>,
    access: PatientAccess,
    JsonBody(request): JsonBody<RecordConsent>,
) -> Result<Response, ApiError> {
    let purpose = Purpose::ALL
        .into_iter()
        .find(|purpose| purpose.name() == request.purpose)
        .ok_or_else(|| {
            ApiError::validation(format!(
                "purpose {:?} is not a known purpose",
                request.purpose
            ))
        })?;
    let decision = match request.decision.as_str() {
        "grant" => Decision::Grant,
        "withdraw" => Decision::Withdraw,
        other => {
            return Err(ApiError::validation(format!(
                "decision {other:?} is not grant or withdraw"
            )));
        }
    };
    let wording_version = WordingVersion::new(request.wording_version)
        .map_err(|error| ApiError::validation(error.to_string()))?;
    let event = ConsentEvent {
        person: access.patient_id.clone(),
        purpose,
        decision,
        at: state.now(),
        wording_version,
        recorded_by: RecordedBy::Subject,
    };
    // The store replays the ledger and checks the event in the write's transaction,
    // so a stored ledger always replays; a refusal is a 409.
    state
        .store()
        .append_consent_event(&event)
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        event,
        "consent decision recorded",
    ))
}
