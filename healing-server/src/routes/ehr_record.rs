//! `GET /api/clinician/patients/{patient_id}/fhir`: a linked patient's record as a
//! FHIR R4 Bundle for the clinician to file in the EHR, through the same workflow as
//! the patient's own GDPR export (`export-data?format=fhir`), and audited as
//! `data_exported` naming the clinician.
//!
//! With `HEALING_FHIR_SIGNING_KEY` set, the Bundle ends with a `Provenance` carrying
//! a detached HS256 JWS over the other resources (healing-core's
//! `fhir::signed_provenance`), as the patient's own export does.

use axum::extract::State;
use axum::response::Response;
use healing_store::prelude::*;

use crate::error::ApiError;
use crate::policy::{Caller, PatientAccess};
use crate::routes::security::fhir_record_response;
use crate::state::{AppState, store_error};

/// The linked patient's record as a FHIR R4 `collection` Bundle.
#[utoipa::path(get, path = "/api/clinician/patients/{patient_id}/fhir", tag = "courses",
    params(("patient_id" = String, Path, description = "The patient")),
    responses(
        (status = 200, description = "A FHIR R4 `collection` Bundle (no envelope)",
            content((serde_json::Value = "application/fhir+json"))),
        (status = 409, description = "`FHIR_EXPORT_UNAVAILABLE`: a stored record cannot be written as FHIR", body = crate::error::ErrorBody)))]
pub async fn patient_fhir_record(
    State(state): State<AppState>,
    access: PatientAccess,
    caller: Caller,
) -> Result<Response, ApiError> {
    let export = state
        .store()
        .export_user_data(&access.patient_id)
        .await
        .map_err(store_error)?;
    let response = fhir_record_response(&state, &export).await?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "data_exported",
        Some(&access.patient_id),
        serde_json::json!({ "format": "fhir", "for": "linked_clinician" }),
    )
    .await?;
    Ok(response)
}
