//! Audit helpers: every read or change of a patient's data and every security
//! event is appended to the store's hash chain, and so is every refused request
//! (`access_denied`). Details hold ids, kinds and counts only, never free text
//! a patient wrote and never a request body.

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

/// Appends an `access_denied` entry for a request the policy layer or the CSRF
/// check refused with 403: who (when a session names them), the route template
/// (never the concrete path, which may hold ids of other people), the method
/// and why. A failed write is logged rather than answered: the request is
/// refused either way, and a broken audit must not turn a 403 into a 500.
pub async fn record_denial(
    state: &AppState,
    actor: Option<&PersonId>,
    method: &str,
    route: &str,
    reason: &str,
) {
    let detail = serde_json::json!({ "method": method, "route": route, "reason": reason });
    if let Err(error) = record(state, actor, "access_denied", None, detail).await {
        tracing::error!(
            code = error.code(),
            route,
            "could not audit a refused request"
        );
    }
}

/// The route template a request matched (`unmatched` when none did).
pub fn route_template(request: &axum::extract::Request) -> String {
    request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned())
}
