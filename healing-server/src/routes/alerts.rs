//! `/api/alerts`: the safety alerts raised by risky writes and questionnaire risk
//! items, for the patient's linked clinicians and the duty contact (admins).
//! State moves open → acknowledged → resolved; the store audits every move in the
//! move's own transaction.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use healing_core::ids::PersonId;
use healing_store::prelude::*;
use healing_store::{Alert, AlertScope, Page, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, JsonBody, QueryParams, ok, ok_with};
use crate::policy::{AlertAccess, Caller};
use crate::state::{AppState, store_error};

/// Longest resolution action accepted, in characters.
pub const ACTION_MAX_CHARS: usize = 2_000;

/// An alert as the app shows it: no words the patient wrote.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AlertView {
    /// Id.
    pub id: String,
    /// The patient.
    pub patient_id: String,
    /// The patient's display name, so whoever responds knows who it is
    /// (absent if the account no longer exists).
    pub patient_name: Option<String>,
    /// `medium`, `high` or `critical`.
    pub severity: String,
    /// Risk categories, e.g. `suicide`.
    pub categories: Vec<String>,
    /// The kind of record: `mood_note`, `journal`, `assessment`, `clinical_note`,
    /// `chat` (a message to the AI companion), `chat_reply_withheld` (a model reply
    /// screening stopped, for review), or `delivery_failed` (a notification about
    /// another alert could not be made).
    pub source: String,
    /// The record's id.
    pub source_id: Option<String>,
    /// `linked_clinicians`, or `duty_contact` when the patient has no linked clinician.
    pub routed_to: String,
    /// `open`, `acknowledged` or `resolved`.
    pub state: String,
    /// When raised (RFC 3339).
    pub created_at: String,
    /// When acknowledged (RFC 3339).
    pub acknowledged_at: Option<String>,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// Their display name.
    pub acknowledged_by_name: Option<String>,
    /// When resolved (RFC 3339).
    pub resolved_at: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// Their display name.
    pub resolved_by_name: Option<String>,
    /// What was done.
    pub resolution: Option<String>,
    /// How many times it has escalated to the next contact because nobody
    /// acknowledged it in time (0: still with the first contact).
    pub escalation_level: u32,
    /// When it next escalates if nobody acknowledges it (RFC 3339); absent once
    /// acknowledged or resolved.
    pub escalate_at: Option<String>,
}

impl AlertView {
    /// The view of `alert`, with the names `names` holds of the people it names.
    pub(crate) fn new(alert: &Alert, names: &Names) -> Self {
        let name_of = |id: &PersonId| names.get(id).cloned();
        Self {
            id: alert.id.clone(),
            patient_id: alert.patient_id.as_str().to_owned(),
            patient_name: name_of(&alert.patient_id),
            severity: alert.severity.as_str().to_owned(),
            categories: alert
                .categories
                .iter()
                .map(|category| category.as_str().to_owned())
                .collect(),
            source: alert.source.as_str().to_owned(),
            source_id: alert.source_id.clone(),
            routed_to: alert.routed_to.as_str().to_owned(),
            state: alert.state.as_str().to_owned(),
            created_at: alert.created_at.to_rfc3339(),
            acknowledged_at: alert.acknowledged_at.map(|at| at.to_rfc3339()),
            acknowledged_by: alert
                .acknowledged_by
                .as_ref()
                .map(|id| id.as_str().to_owned()),
            acknowledged_by_name: alert.acknowledged_by.as_ref().and_then(name_of),
            resolved_at: alert.resolved_at.map(|at| at.to_rfc3339()),
            resolved_by: alert.resolved_by.as_ref().map(|id| id.as_str().to_owned()),
            resolved_by_name: alert.resolved_by.as_ref().and_then(name_of),
            resolution: alert.resolution.clone(),
            escalation_level: alert.escalation_level,
            escalate_at: alert.escalate_at.map(|at| at.to_rfc3339()),
        }
    }
}

/// Display names of the people the alerts name (patient, acknowledger, resolver).
pub(crate) type Names = HashMap<PersonId, String>;

/// Reads the display names of everyone the alerts name, in one query; a person
/// whose account is gone has none.
pub(crate) async fn names_in(
    state: &AppState,
    alerts: &[Alert],
) -> Result<Names, healing_store::Error> {
    let mut people: Vec<PersonId> = Vec::new();
    for alert in alerts {
        people.push(alert.patient_id.clone());
        people.extend(alert.acknowledged_by.clone());
        people.extend(alert.resolved_by.clone());
    }
    people.sort_unstable_by(|first, second| first.as_str().cmp(second.as_str()));
    people.dedup();
    state.store().display_names(&people).await
}

/// An alert as the app shows it after a move. The move is already committed, so a
/// failed name lookup leaves the names out rather than report the move as failed.
async fn moved(state: &AppState, alert: &Alert) -> AlertView {
    let names = names_in(state, std::slice::from_ref(alert))
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "alert names could not be read; answering without them");
            Names::new()
        });
    AlertView::new(alert, &names)
}

/// One alert as its reviewer reads it: the alert, and for a `chat_reply_withheld`
/// alert the model reply screening withheld (the model's words, not the
/// patient's), so the reviewer can see what the patient was not shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AlertDetail {
    /// The alert.
    #[serde(flatten)]
    pub alert: AlertView,
    /// The withheld model reply, for a `chat_reply_withheld` alert; absent for
    /// every other alert. Shown here only: never in the alert list, an email, a
    /// webhook or a log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld_reply: Option<String>,
}

/// Paging for the alert list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertListQuery {
    /// Page size (default 100, at most 500).
    pub limit: Option<u32>,
    /// Alerts to skip.
    pub offset: Option<u32>,
}

/// `POST …/resolve` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ResolveAlert {
    /// What was done (1 to 2 000 characters).
    pub action: String,
}

/// Alerts: a clinician's patients' alerts, or every alert for an admin; open first,
/// then by severity, then oldest first.
#[utoipa::path(get, path = "/api/alerts", tag = "alerts", params(AlertListQuery),
    responses((status = 200, description = "Alerts", body = [AlertView])))]
pub async fn list_alerts(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<AlertListQuery>,
) -> Result<Response, ApiError> {
    let scope = match caller.role {
        Role::Admin => AlertScope::All,
        Role::Clinician => AlertScope::LinkedTo(caller.user_id.clone()),
        Role::Patient => return Err(ApiError::forbidden()),
    };
    let page = Page {
        limit: query.limit.unwrap_or(100).clamp(1, 500),
        offset: u64::from(query.offset.unwrap_or(0)),
    };
    let alerts = state
        .store()
        .alerts(&scope, page)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "alerts_listed",
        None,
        serde_json::json!({ "count": alerts.len() }),
    )
    .await?;
    let names = names_in(&state, &alerts).await.map_err(store_error)?;
    Ok(ok(alerts
        .iter()
        .map(|alert| AlertView::new(alert, &names))
        .collect::<Vec<_>>()))
}

/// One alert, with the model reply it withheld if it is a `chat_reply_withheld`
/// alert. Every read is audited (`alert_read`).
#[utoipa::path(get, path = "/api/alerts/{alert_id}", tag = "alerts",
    params(("alert_id" = String, Path, description = "The alert")),
    responses((status = 200, description = "The alert", body = AlertDetail),
        (status = 404, description = "No such alert")))]
pub async fn get_alert(
    State(state): State<AppState>,
    caller: Caller,
    access: AlertAccess,
) -> Result<Response, ApiError> {
    let store = state.store();
    let alert = store.alert(&access.alert_id).await.map_err(store_error)?;
    let withheld_reply = store
        .withheld_chat_reply(&alert)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "alert_read",
        Some(&alert.patient_id),
        serde_json::json!({
            "alert_id": alert.id,
            "withheld_reply_shown": withheld_reply.is_some(),
        }),
    )
    .await?;
    let names = names_in(&state, std::slice::from_ref(&alert))
        .await
        .map_err(store_error)?;
    Ok(ok(AlertDetail {
        alert: AlertView::new(&alert, &names),
        withheld_reply,
    }))
}

/// Acknowledge an open alert: the caller has taken it (stops its escalation).
#[utoipa::path(post, path = "/api/alerts/{alert_id}/acknowledge", tag = "alerts",
    params(("alert_id" = String, Path, description = "The alert")),
    responses((status = 200, description = "Acknowledged", body = AlertView),
        (status = 404, description = "No such alert"),
        (status = 409, description = "Not open")))]
pub async fn acknowledge_alert(
    State(state): State<AppState>,
    caller: Caller,
    access: AlertAccess,
) -> Result<Response, ApiError> {
    let alert = state
        .store()
        .acknowledge_alert(&access.alert_id, &caller.user_id, state.now())
        .await
        .map_err(transition_error)?;
    Ok(ok_with(
        axum::http::StatusCode::OK,
        moved(&state, &alert).await,
        "alert acknowledged",
    ))
}

/// Resolve an alert with the action taken.
#[utoipa::path(post, path = "/api/alerts/{alert_id}/resolve", tag = "alerts", request_body = ResolveAlert,
    params(("alert_id" = String, Path, description = "The alert")),
    responses((status = 200, description = "Resolved", body = AlertView),
        (status = 404, description = "No such alert"),
        (status = 409, description = "Already resolved")))]
pub async fn resolve_alert(
    State(state): State<AppState>,
    caller: Caller,
    access: AlertAccess,
    JsonBody(request): JsonBody<ResolveAlert>,
) -> Result<Response, ApiError> {
    let chars = request.action.chars().count();
    if request.action.trim().is_empty() || chars > ACTION_MAX_CHARS {
        return Err(ApiError::validation(format!(
            "action has {chars} characters; use 1 to {ACTION_MAX_CHARS}"
        )));
    }
    let alert = state
        .store()
        .resolve_alert(
            &access.alert_id,
            &caller.user_id,
            &request.action,
            state.now(),
        )
        .await
        .map_err(transition_error)?;
    Ok(ok_with(
        axum::http::StatusCode::OK,
        moved(&state, &alert).await,
        "alert resolved",
    ))
}

fn transition_error(error: healing_store::Error) -> ApiError {
    match error {
        healing_store::Error::Conflict { .. } => {
            ApiError::conflict("the alert is not in a state that allows this")
        }
        other => store_error(other),
    }
}
