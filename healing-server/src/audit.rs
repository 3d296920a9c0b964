//! Audit helpers: every read or change of a patient's data and every security
//! event is appended to the store's hash chain. Details hold ids, kinds and
//! counts only, never free text a patient wrote.

use healing_core::ids::PersonId;
use healing_store::prelude::*;
use healing_store::{AuditAction, AuditEntry};

use crate::error::ApiError;
use crate::state::{AppState, store_error};

/// Appends one audit entry.
pub async fn record(
    state: &AppState,
    actor: Option<&PersonId>,
    action: &str,
    subject_patient: Option<&PersonId>,
    detail: serde_json::Value,
) -> Result<(), ApiError> {
    let action = AuditAction::new(action).map_err(ApiError::internal)?;
    let entry = AuditEntry {
        at: state.now(),
        actor_id: actor.cloned(),
        action,
        subject_patient_id: subject_patient.cloned(),
        detail,
    };
    state
        .store()
        .append_audit(entry)
        .await
        .map_err(store_error)?;
    Ok(())
}
