//! `/api/admin/*`: user management for admins (no clinical data).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_store::prelude::*;
use healing_store::{Page, Role};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, JsonBody, PathParams, QueryParams, ok, ok_with};
use crate::policy::Caller;
use crate::routes::auth::UserView;
use crate::state::{AppState, store_error};

/// `GET /api/admin/users` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    /// Only this role.
    pub role: Option<String>,
    /// Skip this many (default 0).
    pub offset: Option<u64>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<u32>,
}

/// List accounts (admins).
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", params(ListUsersQuery),
    responses((status = 200, description = "Accounts, oldest first", body = [UserView])))]
pub async fn list_users(
    State(state): State<AppState>,
    QueryParams(query): QueryParams<ListUsersQuery>,
) -> Result<Response, ApiError> {
    let role = query
        .role
        .as_deref()
        .map(|role| {
            Role::from_name(role).ok_or_else(|| {
                ApiError::validation(format!(
                    "role {role:?} is not one of patient, clinician, admin"
                ))
            })
        })
        .transpose()?;
    let page = Page {
        offset: query.offset.unwrap_or(0),
        limit: query.limit.unwrap_or(100).clamp(1, 500),
    };
    let users = state
        .store()
        .list_users(role, page)
        .await
        .map_err(store_error)?;
    Ok(ok(users.iter().map(UserView::from).collect::<Vec<_>>()))
}

/// Path of a user.
#[derive(Debug, Clone, Deserialize)]
pub struct UserPath {
    /// The user.
    pub user_id: String,
}

/// `POST /api/admin/users/{user_id}/role` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ChangeRoleRequest {
    /// The new role.
    pub role: String,
}

/// Change a user's role (admins). Ends all of that user's sessions, so the
/// new privilege only comes with a new session id.
#[utoipa::path(post, path = "/api/admin/users/{user_id}/role", tag = "admin", request_body = ChangeRoleRequest,
    params(("user_id" = String, Path, description = "The user")),
    responses((status = 200, description = "Role changed", body = UserView), (status = 404, description = "No such user", body = crate::error::ErrorBody)))]
pub async fn change_role(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(path): PathParams<UserPath>,
    JsonBody(request): JsonBody<ChangeRoleRequest>,
) -> Result<Response, ApiError> {
    let user_id = crate::routes::person_id(&path.user_id, "user_id")?;
    let role = Role::from_name(&request.role).ok_or_else(|| {
        ApiError::validation(format!(
            "role {:?} is not one of patient, clinician, admin",
            request.role
        ))
    })?;
    if user_id == caller.user_id {
        return Err(ApiError::validation("admins cannot change their own role"));
    }
    let before = state.store().user(&user_id).await.map_err(store_error)?;
    state
        .store()
        .set_role(&user_id, role)
        .await
        .map_err(store_error)?;
    let ended = state
        .store()
        .delete_user_sessions(&user_id, None)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "role_changed",
        None,
        serde_json::json!({ "user_id": user_id, "from": before.role, "to": role, "sessions_ended": ended }),
    )
    .await?;
    let user = state.store().user(&user_id).await.map_err(store_error)?;
    Ok(ok_with(
        StatusCode::OK,
        UserView::from(&user),
        "role changed; the user's sessions were ended",
    ))
}
