//! `/api/patients/{patient_id}/safety-plan`: the patient's Stanley–Brown safety plan
//! (its content and rules in [`crate::safety_plan`]).
//!
//! The patient writes it; every save is a new version and earlier versions stay
//! readable. A linked clinician (with the patient's `clinician_sharing` consent in
//! force) reads it and its history and may propose an edit: a whole plan the patient
//! accepts, which makes it the next version, or declines. Every version's free text is
//! screened as one text when it is saved (or accepted), so a plan that shows risk
//! brings up crisis resources and raises an alert like any other writing.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::safety::Source;
use healing_store::prelude::*;
use healing_store::{Page, SafetyPlan, SafetyPlanProposal};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, JsonBody, PathParams, QueryParams, ok, ok_with};
use crate::policy::{Caller, PatientAccess};
use crate::safety_plan::SafetyPlanContent;
use crate::screening::SafetyView;
use crate::state::{AppState, store_error};

/// The screening source of a safety plan: the patient's own private writing, as a
/// journal entry is (the engine has no source of its own for a plan).
const SCREENING_SOURCE: Source = Source::Journal;

/// One version of the safety plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SafetyPlanView {
    /// The version, from 1; 0 for the blank plan of a patient who has not saved one.
    pub version: i64,
    /// The plan.
    #[serde(flatten)]
    pub plan: SafetyPlanContent,
    /// The clinician's proposal this version came from, if the patient accepted one.
    pub proposal_id: Option<String>,
    /// When this version was saved (RFC 3339); absent for the blank plan.
    pub saved_at: Option<String>,
}

impl SafetyPlanView {
    fn of(stored: &SafetyPlan) -> Result<Self, ApiError> {
        Ok(Self {
            version: stored.version,
            plan: SafetyPlanContent::from_json(&stored.body)?,
            proposal_id: stored.proposal_id.clone(),
            saved_at: Some(stored.updated_at.to_rfc3339()),
        })
    }
}

/// A saved plan, with what the app must show about it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SafetyPlanSaved {
    /// The version just saved.
    pub plan: SafetyPlanView,
    /// The outcome of screening the plan's text.
    pub safety: SafetyView,
}

/// A clinician's proposed edit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProposalView {
    /// Id.
    pub id: String,
    /// Who proposed it (absent once that account was erased).
    pub clinician_id: Option<String>,
    /// The plan version it was written against (0: there was no plan yet).
    pub base_version: i64,
    /// The proposed plan.
    pub plan: SafetyPlanContent,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    /// When proposed (RFC 3339).
    pub proposed_at: String,
    /// When accepted or declined (RFC 3339).
    pub decided_at: Option<String>,
}

impl ProposalView {
    fn of(proposal: &SafetyPlanProposal) -> Result<Self, ApiError> {
        Ok(Self {
            id: proposal.id.clone(),
            clinician_id: proposal
                .clinician_id
                .as_ref()
                .map(|id| id.as_str().to_owned()),
            base_version: proposal.base_version,
            plan: SafetyPlanContent::from_json(&proposal.body)?,
            status: proposal.status.as_str().to_owned(),
            proposed_at: proposal.proposed_at.to_rfc3339(),
            decided_at: proposal.decided_at.map(|at| at.to_rfc3339()),
        })
    }
}

/// `GET …/safety-plan/versions` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionsQuery {
    /// Page size (default 20, at most 100).
    pub limit: Option<u32>,
    /// Versions to skip from the newest (default 0).
    pub offset: Option<u32>,
}

/// The safety plan as it is now; a patient without one gets the blank plan
/// (version 0) with the crisis services already in `professionals_and_services`.
#[utoipa::path(get, path = "/api/patients/{patient_id}/safety-plan", tag = "safety plan",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "The current version, or the blank plan", body = SafetyPlanView)))]
pub async fn show_safety_plan(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let stored = state
        .store()
        .safety_plan(&access.patient_id)
        .await
        .map_err(store_error)?;
    let view = match stored {
        Some(stored) => SafetyPlanView::of(&stored)?,
        None => SafetyPlanView {
            version: 0,
            plan: SafetyPlanContent::blank(state.screener().directory()),
            proposal_id: None,
            saved_at: None,
        },
    };
    Ok(ok(view))
}

/// Save the safety plan as its next version (the patient; saving it unchanged
/// records a review). Its free text is screened as one text.
#[utoipa::path(put, path = "/api/patients/{patient_id}/safety-plan", tag = "safety plan", request_body = SafetyPlanContent,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Saved as a new version, and screened", body = SafetyPlanSaved)))]
pub async fn save_safety_plan(
    State(state): State<AppState>,
    access: PatientAccess,
    JsonBody(request): JsonBody<SafetyPlanContent>,
) -> Result<Response, ApiError> {
    let plan = request.validated()?;
    let screened = state
        .screener()
        .screen(plan.screening_text(), SCREENING_SOURCE);
    let safety = state.screener().view(screened.outcome());
    let saved = state
        .store()
        .save_safety_plan(&access.patient_id, &plan.to_json()?, &screened, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::OK,
        SafetyPlanSaved {
            plan: SafetyPlanView::of(&saved)?,
            safety,
        },
        "safety plan saved",
    ))
}

/// Every saved version, the current one first.
#[utoipa::path(get, path = "/api/patients/{patient_id}/safety-plan/versions", tag = "safety plan",
    params(("patient_id" = String, Path, description = "The patient"), VersionsQuery),
    responses((status = 200, description = "Versions, newest first", body = [SafetyPlanView])))]
pub async fn safety_plan_versions(
    State(state): State<AppState>,
    access: PatientAccess,
    QueryParams(query): QueryParams<VersionsQuery>,
) -> Result<Response, ApiError> {
    let page = Page {
        limit: query.limit.unwrap_or(20).clamp(1, 100),
        offset: u64::from(query.offset.unwrap_or(0)),
    };
    let versions = state
        .store()
        .safety_plan_versions(&access.patient_id, page)
        .await
        .map_err(store_error)?;
    Ok(ok(versions
        .iter()
        .map(SafetyPlanView::of)
        .collect::<Result<Vec<_>, _>>()?))
}

/// Propose an edit of the patient's plan (a linked clinician): the whole plan as
/// the clinician would have it, for the patient to accept or decline.
#[utoipa::path(post, path = "/api/patients/{patient_id}/safety-plan/proposals", tag = "safety plan", request_body = SafetyPlanContent,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 201, description = "Proposed, pending the patient's decision", body = ProposalView)))]
pub async fn propose_safety_plan(
    State(state): State<AppState>,
    access: PatientAccess,
    caller: Caller,
    JsonBody(request): JsonBody<SafetyPlanContent>,
) -> Result<Response, ApiError> {
    let plan = request.validated()?;
    let proposal = state
        .store()
        .propose_safety_plan(
            &access.patient_id,
            &caller.user_id,
            &plan.to_json()?,
            state.now(),
        )
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        ProposalView::of(&proposal)?,
        "edit proposed",
    ))
}

/// The proposed edits of the patient's plan, newest first.
#[utoipa::path(get, path = "/api/patients/{patient_id}/safety-plan/proposals", tag = "safety plan",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Proposals, newest first", body = [ProposalView])))]
pub async fn list_proposals(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let proposals = state
        .store()
        .safety_plan_proposals(&access.patient_id)
        .await
        .map_err(store_error)?;
    Ok(ok(proposals
        .iter()
        .map(ProposalView::of)
        .collect::<Result<Vec<_>, _>>()?))
}

/// Accept a proposed edit (the patient): it becomes the plan's next version, and
/// its text is screened as a save's is. Refused (409) when the proposal was already
/// decided or the plan changed since it was proposed.
#[utoipa::path(post, path = "/api/patients/{patient_id}/safety-plan/proposals/{proposal_id}/accept", tag = "safety plan",
    params(("patient_id" = String, Path, description = "The patient"),
           ("proposal_id" = String, Path, description = "The proposal")),
    responses((status = 200, description = "Accepted: the new version, screened", body = SafetyPlanSaved),
              (status = 404, description = "No such proposal for this patient", body = crate::error::ErrorBody),
              (status = 409, description = "Already decided, or the plan changed since", body = crate::error::ErrorBody)))]
pub async fn accept_proposal(
    State(state): State<AppState>,
    access: PatientAccess,
    PathParams((_, proposal_id)): PathParams<(String, String)>,
) -> Result<Response, ApiError> {
    let proposal = state
        .store()
        .safety_plan_proposal(&access.patient_id, &proposal_id)
        .await
        .map_err(store_error)?;
    let plan = SafetyPlanContent::from_json(&proposal.body)?;
    let screened = state
        .screener()
        .screen(plan.screening_text(), SCREENING_SOURCE);
    let safety = state.screener().view(screened.outcome());
    let saved = state
        .store()
        .accept_safety_plan_proposal(&access.patient_id, &proposal_id, &screened, state.now())
        .await
        .map_err(decision_error)?;
    Ok(ok(SafetyPlanSaved {
        plan: SafetyPlanView::of(&saved)?,
        safety,
    }))
}

/// Decline a proposed edit (the patient); the plan stays as it is.
#[utoipa::path(post, path = "/api/patients/{patient_id}/safety-plan/proposals/{proposal_id}/decline", tag = "safety plan",
    params(("patient_id" = String, Path, description = "The patient"),
           ("proposal_id" = String, Path, description = "The proposal")),
    responses((status = 200, description = "Declined", body = ProposalView),
              (status = 404, description = "No such proposal for this patient", body = crate::error::ErrorBody),
              (status = 409, description = "Already decided", body = crate::error::ErrorBody)))]
pub async fn decline_proposal(
    State(state): State<AppState>,
    access: PatientAccess,
    PathParams((_, proposal_id)): PathParams<(String, String)>,
) -> Result<Response, ApiError> {
    let proposal = state
        .store()
        .decline_safety_plan_proposal(&access.patient_id, &proposal_id, state.now())
        .await
        .map_err(decision_error)?;
    Ok(ok(ProposalView::of(&proposal)?))
}

/// A proposal the store refuses to decide (already decided, or the plan moved on)
/// conflicts with its current state: 409, not a bad request.
fn decision_error(error: healing_store::Error) -> ApiError {
    match error {
        healing_store::Error::InvalidInput {
            field: "proposal", ..
        } => ApiError::conflict(error.to_string()),
        other => store_error(other),
    }
}
