//! Clinician–patient links: a clinician asks, the patient accepts or declines,
//! and ends an accepted link. Only an accepted link lets a clinician read a
//! patient's data. The store checks every request and move
//! (`healing_store::check_link_request`, `check_link_move`); a refusal is a 409.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::ids::PersonId;
use healing_store::prelude::*;
use healing_store::{Link, LinkStatus, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, PathParams, ok, ok_with};
use crate::policy::{Caller, PatientAccess};
use crate::state::{AppState, store_error};

/// A link as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LinkView {
    /// Link id.
    pub id: String,
    /// The clinician.
    pub clinician_id: String,
    /// The patient.
    pub patient_id: String,
    /// `requested`, `accepted`, `declined` or `ended`.
    pub status: String,
    /// When requested (RFC 3339).
    pub created_at: String,
    /// The display name of the other party: the patient for a clinician, the
    /// clinician for a patient (absent if that account no longer exists).
    pub other_party_name: Option<String>,
}

impl LinkView {
    /// The view of `link` as `viewer` sees it, with the other party's name from
    /// `names`.
    fn new(link: &Link, viewer: &PersonId, names: &HashMap<PersonId, String>) -> Self {
        Self {
            id: link.id.clone(),
            clinician_id: link.clinician_id.as_str().to_owned(),
            patient_id: link.patient_id.as_str().to_owned(),
            status: link.status.as_str().to_owned(),
            created_at: link.created_at.to_rfc3339(),
            other_party_name: names.get(other_party(link, viewer)).cloned(),
        }
    }
}

/// The person on the other side of `link` from `viewer`.
fn other_party<'a>(link: &'a Link, viewer: &PersonId) -> &'a PersonId {
    if &link.clinician_id == viewer {
        &link.patient_id
    } else {
        &link.clinician_id
    }
}

/// The links as `viewer` sees them, the other parties' names read in one query.
async fn views(
    state: &AppState,
    viewer: &PersonId,
    links: &[Link],
) -> Result<Vec<LinkView>, ApiError> {
    let others: Vec<PersonId> = links
        .iter()
        .map(|link| other_party(link, viewer).clone())
        .collect();
    let names = state
        .store()
        .display_names(&others)
        .await
        .map_err(store_error)?;
    Ok(links
        .iter()
        .map(|link| LinkView::new(link, viewer, &names))
        .collect())
}

/// The caller's links (as clinician or as patient), each with the other party's
/// display name.
#[utoipa::path(get, path = "/api/links", tag = "links", responses((status = 200, description = "Links, newest first", body = [LinkView])))]
pub async fn my_links(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let links = match caller.role {
        Role::Clinician => state.store().links_of_clinician(&caller.user_id).await,
        Role::Patient => state.store().links_of_patient(&caller.user_id).await,
        Role::Admin => Ok(Vec::new()),
    }
    .map_err(store_error)?;
    Ok(ok(views(&state, &caller.user_id, &links).await?))
}

/// `POST /api/links` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RequestLink {
    /// The patient's username.
    pub patient_username: String,
}

/// Ask a patient to link (clinicians). The patient must accept. One request per
/// clinician and patient waits at a time, and after a decline the clinician waits
/// `healing_store::DECLINE_COOLDOWN_SECONDS` (30 days) before asking again.
#[utoipa::path(post, path = "/api/links", tag = "links", request_body = RequestLink,
    responses((status = 201, description = "Requested", body = LinkView), (status = 404, description = "No such patient", body = crate::error::ErrorBody),
        (status = 409, description = "A request already waits, the pair is linked, or the patient declined within 30 days", body = crate::error::ErrorBody)))]
pub async fn request_link(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<RequestLink>,
) -> Result<Response, ApiError> {
    let patient = state
        .store()
        .user_by_username(&request.patient_username.trim().to_lowercase())
        .await
        .map_err(store_error)?
        .filter(|user| user.role == Role::Patient && user.disabled_at.is_none())
        .ok_or_else(|| ApiError::not_found("patient"))?;
    let link = state
        .store()
        .request_link(&caller.user_id, &patient.id, state.now())
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "link_requested",
        Some(&patient.id),
        serde_json::json!({ "link_id": link.id }),
    )
    .await?;
    let names = HashMap::from([(patient.id.clone(), patient.display_name.clone())]);
    Ok(ok_with(
        StatusCode::CREATED,
        LinkView::new(&link, &caller.user_id, &names),
        "link requested; the patient must accept it",
    ))
}

/// Path of a patient's link.
#[derive(Debug, Clone, Deserialize)]
pub struct LinkPath {
    /// The patient.
    pub patient_id: String,
    /// The link.
    pub link_id: String,
}

async fn decide(
    state: &AppState,
    access: &PatientAccess,
    link_id: &str,
    status: LinkStatus,
) -> Result<Response, ApiError> {
    let link = state.store().link(link_id).await.map_err(store_error)?;
    if link.patient_id != access.patient_id {
        return Err(ApiError::not_found("link"));
    }
    let link = state
        .store()
        .set_link_status(link_id, status, state.now())
        .await
        .map_err(store_error)?;
    let names = state
        .store()
        .display_names(std::slice::from_ref(&link.clinician_id))
        .await
        .map_err(store_error)?;
    Ok(ok(LinkView::new(&link, &access.patient_id, &names)))
}

/// Accept a clinician's link request (the patient).
#[utoipa::path(post, path = "/api/patients/{patient_id}/links/{link_id}/accept", tag = "links",
    params(("patient_id" = String, Path, description = "The patient"), ("link_id" = String, Path, description = "The link")),
    responses((status = 200, description = "Accepted", body = LinkView), (status = 404, description = "No such link", body = crate::error::ErrorBody),
        (status = 409, description = "The link is not a waiting request (an ended or declined link needs a new request)", body = crate::error::ErrorBody)))]
pub async fn accept_link(
    State(state): State<AppState>,
    access: PatientAccess,
    PathParams(path): PathParams<LinkPath>,
) -> Result<Response, ApiError> {
    decide(&state, &access, &path.link_id, LinkStatus::Accepted).await
}

/// Decline a clinician's link request (the patient). That clinician cannot ask
/// again for 30 days.
#[utoipa::path(post, path = "/api/patients/{patient_id}/links/{link_id}/decline", tag = "links",
    params(("patient_id" = String, Path, description = "The patient"), ("link_id" = String, Path, description = "The link")),
    responses((status = 200, description = "Declined", body = LinkView), (status = 404, description = "No such link", body = crate::error::ErrorBody),
        (status = 409, description = "The link is not a waiting request", body = crate::error::ErrorBody)))]
pub async fn decline_link(
    State(state): State<AppState>,
    access: PatientAccess,
    PathParams(path): PathParams<LinkPath>,
) -> Result<Response, ApiError> {
    decide(&state, &access, &path.link_id, LinkStatus::Declined).await
}

/// End an accepted link (the patient): the clinician loses access at once.
#[utoipa::path(post, path = "/api/patients/{patient_id}/links/{link_id}/end", tag = "links",
    params(("patient_id" = String, Path, description = "The patient"), ("link_id" = String, Path, description = "The link")),
    responses((status = 200, description = "Ended", body = LinkView), (status = 404, description = "No such link", body = crate::error::ErrorBody),
        (status = 409, description = "The link is not accepted (decline a waiting request instead)", body = crate::error::ErrorBody)))]
pub async fn end_link(
    State(state): State<AppState>,
    access: PatientAccess,
    PathParams(path): PathParams<LinkPath>,
) -> Result<Response, ApiError> {
    decide(&state, &access, &path.link_id, LinkStatus::Ended).await
}
