//! `/api/community/moderation`: the community's moderation queue, for clinicians
//! and admins (`Policy::Staff`). It lists what waits for a moderator (items held
//! by screening, and items members reported) oldest first; approving, hiding or
//! removing one settles its reports, and the store audits the action in its
//! transaction. The rules of which move is open from which state are the store's
//! (`healing_store::moderate`).

use axum::extract::State;
use axum::response::Response;
use healing_store::prelude::*;
use healing_store::{CommunityItem, CommunityReason, ModerationAction};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, PathParams, QueryParams, ok};
use crate::policy::Caller;
use crate::routes::community::{ItemView, PageQuery};
use crate::state::{AppState, store_error};

/// The moderation queue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ModerationQueue {
    /// A page of items waiting for a moderator, oldest first, with their status,
    /// open reports and screening level.
    pub items: Vec<ItemView>,
}

/// `POST /api/community/moderation/{post_id}` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Moderate {
    /// `approve` (publish it, or keep it published), `hide` or `remove`.
    pub action: String,
    /// Needed to hide or remove: `harmful`, `unkind`, `personal_information`,
    /// `spam`, `off_topic` or `other` (its author is shown it).
    pub reason: Option<String>,
}

/// The items waiting for a moderator.
#[utoipa::path(get, path = "/api/community/moderation", tag = "community", params(PageQuery),
    responses((status = 200, description = "The queue, oldest first", body = ModerationQueue)))]
pub async fn moderation_queue(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, ApiError> {
    let items = state
        .store()
        .moderation_queue(&caller.user_id, query.page())
        .await
        .map_err(store_error)?;
    Ok(ok(ModerationQueue {
        items: items
            .iter()
            .map(|item| ItemView::of(item, &caller.user_id, true))
            .collect(),
    }))
}

/// Approve, hide or remove a post or comment (audited; its reports are settled).
/// A move its state does not allow (anything after removal, hiding twice) is 409.
#[utoipa::path(post, path = "/api/community/moderation/{post_id}", tag = "community",
    request_body = Moderate,
    params(("post_id" = String, Path, description = "The post or comment")),
    responses((status = 200, description = "Done", body = ItemView),
        (status = 404, description = "No such post", body = crate::error::ErrorBody),
        (status = 409, description = "`CONFLICT`: the move is not open from the item's status", body = crate::error::ErrorBody)))]
pub async fn moderate(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(post_id): PathParams<String>,
    JsonBody(request): JsonBody<Moderate>,
) -> Result<Response, ApiError> {
    let action = ModerationAction::from_name(&request.action)
        .ok_or_else(|| ApiError::validation("action must be approve, hide or remove"))?;
    let reason = request
        .reason
        .as_deref()
        .map(|reason| {
            CommunityReason::from_name(reason).ok_or_else(|| {
                ApiError::validation(
                    "reason must be harmful, unkind, personal_information, spam, off_topic or other",
                )
            })
        })
        .transpose()?;
    if action != ModerationAction::Approve && reason.is_none() {
        return Err(ApiError::validation("a reason is needed to hide or remove"));
    }
    let post = state
        .store()
        .moderate_community_post(&post_id, &caller.user_id, action, reason, state.now())
        .await
        .map_err(store_error)?;
    let item = CommunityItem {
        post,
        reactions: Vec::new(),
        comments: 0,
        open_reports: 0,
    };
    Ok(ok(ItemView::of(&item, &caller.user_id, true)))
}
