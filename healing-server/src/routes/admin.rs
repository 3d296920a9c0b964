//! `/api/admin/*`: user management for admins (no clinical data).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_store::prelude::*;
use healing_store::{Page, Role, User, UserQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, JsonBody, PathParams, QueryParams, ok, ok_with};
use crate::policy::Caller;
use crate::routes::auth::UserView;
use crate::routes::security::AccountErased;
use crate::state::{AppState, store_error};

/// `GET /api/admin/users` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    /// Only this role.
    pub role: Option<String>,
    /// Only disabled (`true`) or only enabled (`false`) accounts.
    pub disabled: Option<bool>,
    /// Only accounts whose username or display name contains this, ignoring case
    /// (at most 100 characters).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Skip this many (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub offset: Option<u32>,
    /// At most this many (default 100; values above 500 read as 500, and 0 as 1).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub limit: Option<u32>,
}

/// Longest search text accepted, in characters.
const SEARCH_MAX_CHARS: usize = 100;

/// An account as admins see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AdminUserView {
    /// Opaque id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Email.
    pub email: String,
    /// Name shown in the app.
    pub display_name: String,
    /// `patient`, `clinician` or `admin`.
    pub role: String,
    /// `not_set_up`, `pending` or `enabled`.
    pub two_factor: String,
    /// When the account was made (RFC 3339).
    pub created_at: String,
    /// When it was disabled (RFC 3339); absent while it may sign in.
    pub disabled_at: Option<String>,
}

impl From<&User> for AdminUserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.as_str().to_owned(),
            username: user.username.clone(),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            two_factor: user.two_factor.as_str().to_owned(),
            created_at: user.created_at.to_rfc3339(),
            disabled_at: user.disabled_at.map(|at| at.to_rfc3339()),
        }
    }
}

/// List accounts (admins), oldest first, filtered by role, state and name.
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", params(ListUsersQuery),
    responses((status = 200, description = "Accounts, oldest first", body = [AdminUserView])))]
pub async fn list_users(
    State(state): State<AppState>,
    QueryParams(query): QueryParams<ListUsersQuery>,
) -> Result<Response, ApiError> {
    let role = query
        .role
        .as_deref()
        .map(|role| {
            Role::from_name(role)
                .ok_or_else(|| ApiError::validation("role is not one of patient, clinician, admin"))
        })
        .transpose()?;
    if query
        .q
        .as_ref()
        .is_some_and(|text| text.chars().count() > SEARCH_MAX_CHARS)
    {
        return Err(ApiError::validation(format!(
            "q is longer than {SEARCH_MAX_CHARS} characters"
        )));
    }
    let listed = state
        .store()
        .search_users(&UserQuery {
            role,
            disabled: query.disabled,
            text: query.q,
            page: Page {
                offset: u64::from(query.offset.unwrap_or(0)),
                limit: query.limit.unwrap_or(100).clamp(1, 500),
            },
        })
        .await
        .map_err(store_error)?;
    Ok(ok(listed
        .users
        .iter()
        .map(AdminUserView::from)
        .collect::<Vec<_>>()))
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

/// Shortest reason accepted for disabling, re-enabling or erasing an account, so
/// "x" is not a reason.
pub const REASON_MIN_CHARS: usize = 10;
/// Longest reason accepted.
pub const REASON_MAX_CHARS: usize = 500;

/// `POST /api/admin/users/{user_id}/disable` and `/enable` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountActionRequest {
    /// Why (10 to 500 characters), written to the audit log.
    #[schema(min_length = 10, max_length = 500)]
    pub reason: String,
}

/// `POST /api/admin/users/{user_id}/erase` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseAccountRequest {
    /// Why, such as the person's erasure request and its date (10 to 500
    /// characters), written to the audit log.
    #[schema(min_length = 10, max_length = 500)]
    pub reason: String,
    /// The account's username, typed again, so the wrong account is not erased.
    pub confirm_username: String,
}

/// The reason, trimmed, within its bounds.
fn checked_reason(reason: &str) -> Result<&str, ApiError> {
    let reason = reason.trim();
    let length = reason.chars().count();
    if !(REASON_MIN_CHARS..=REASON_MAX_CHARS).contains(&length) {
        return Err(ApiError::validation(format!(
            "reason must be {REASON_MIN_CHARS} to {REASON_MAX_CHARS} characters"
        )));
    }
    Ok(reason)
}

/// The account an admin acts on, refused when it is the admin's own: an admin
/// who locked or erased themself could leave the service with no admin.
fn other_account(caller: &Caller, user_id: &str) -> Result<healing_core::ids::PersonId, ApiError> {
    let user_id = crate::routes::person_id(user_id, "user_id")?;
    if user_id == caller.user_id {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "OWN_ACCOUNT",
            "admins cannot disable, re-enable or erase their own account",
        ));
    }
    Ok(user_id)
}

/// Disable an account (admins): the person is signed out at once, cannot sign
/// in, and gets no notification emails until it is re-enabled. Audited with the
/// reason in the same transaction.
#[utoipa::path(post, path = "/api/admin/users/{user_id}/disable", tag = "admin", request_body = AccountActionRequest,
    params(("user_id" = String, Path, description = "The user")),
    responses((status = 200, description = "Disabled; the account's sessions were ended", body = AdminUserView),
        (status = 404, description = "No such user", body = crate::error::ErrorBody),
        (status = 409, description = "Already disabled", body = crate::error::ErrorBody)))]
pub async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(path): PathParams<UserPath>,
    JsonBody(request): JsonBody<AccountActionRequest>,
) -> Result<Response, ApiError> {
    let user_id = other_account(&caller, &path.user_id)?;
    let reason = checked_reason(&request.reason)?;
    let user = state
        .store()
        .disable_account(&caller.user_id, &user_id, reason, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::OK,
        AdminUserView::from(&user),
        "account disabled; its sessions were ended",
    ))
}

/// Re-enable a disabled account (admins): the person may sign in again. Audited
/// with the reason in the same transaction.
#[utoipa::path(post, path = "/api/admin/users/{user_id}/enable", tag = "admin", request_body = AccountActionRequest,
    params(("user_id" = String, Path, description = "The user")),
    responses((status = 200, description = "Enabled", body = AdminUserView),
        (status = 404, description = "No such user", body = crate::error::ErrorBody),
        (status = 409, description = "Not disabled", body = crate::error::ErrorBody)))]
pub async fn enable_user(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(path): PathParams<UserPath>,
    JsonBody(request): JsonBody<AccountActionRequest>,
) -> Result<Response, ApiError> {
    let user_id = other_account(&caller, &path.user_id)?;
    let reason = checked_reason(&request.reason)?;
    let user = state
        .store()
        .enable_account(&caller.user_id, &user_id, reason, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::OK,
        AdminUserView::from(&user),
        "account enabled",
    ))
}

/// Erase an account and all its data on the person's request (admins; GDPR
/// Article 17): the same erasure as deleting one's own account, in one
/// transaction, with an `account_erased` tombstone naming the admin and the reason.
#[utoipa::path(post, path = "/api/admin/users/{user_id}/erase", tag = "admin", request_body = EraseAccountRequest,
    params(("user_id" = String, Path, description = "The user")),
    responses((status = 200, description = "Erased", body = AccountErased),
        (status = 404, description = "No such user", body = crate::error::ErrorBody)))]
pub async fn erase_user(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(path): PathParams<UserPath>,
    JsonBody(request): JsonBody<EraseAccountRequest>,
) -> Result<Response, ApiError> {
    let user_id = other_account(&caller, &path.user_id)?;
    let reason = checked_reason(&request.reason)?;
    let user = state.store().user(&user_id).await.map_err(store_error)?;
    if user.username != request.confirm_username.trim() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "CONFIRMATION_MISMATCH",
            "confirm_username is not this account's username",
        ));
    }
    let report = state
        .store()
        .erase_user(&user_id, Some(&caller.user_id), Some(reason), state.now())
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::OK,
        AccountErased {
            rows_deleted: report.rows_deleted,
        },
        "account and data erased",
    ))
}
