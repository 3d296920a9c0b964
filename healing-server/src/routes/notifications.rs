//! `/api/notifications`: what happened that the caller should know of (a new
//! message, a new alert about a patient in their care, appointment changes and
//! reminders, replies to their posts), newest first with the unread count.
//!
//! A notification names what happened and what it is about, never words anyone
//! wrote; the app opens its `link`, whose route reads the detail through the
//! policy layer. Notifications are written by the store in the transaction of
//! the event (`healing_store`'s `notify_in`); these routes only read and mark
//! them. Every route is the caller's own: the list from the session, one
//! notification under `Policy::NotificationRecipient`.

use axum::extract::State;
use axum::response::Response;
use healing_store::prelude::*;
use healing_store::{Notification, NotificationKind, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, QueryParams, ok};
use crate::policy::{Caller, NotificationAccess};
use crate::state::{AppState, store_error};

/// One notification.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotificationView {
    /// Id.
    pub id: String,
    /// What happened: `message`, `alert`, `appointment_changed`,
    /// `appointment_reminder` or `post_reply`.
    pub kind: String,
    /// What it is about (a conversation, an alert, an appointment or a post).
    pub subject_id: String,
    /// Where the app shows it.
    pub link: String,
    /// When it happened (RFC 3339); for several messages in one conversation, the latest.
    pub created_at: String,
    /// When the caller marked it read (RFC 3339), if they have.
    pub read_at: Option<String>,
}

impl From<&Notification> for NotificationView {
    fn from(notification: &Notification) -> Self {
        Self {
            id: notification.id.clone(),
            kind: notification.kind.as_str().to_owned(),
            subject_id: notification.subject_id.clone(),
            link: link(notification.kind, &notification.subject_id),
            created_at: notification.created_at.to_rfc3339(),
            read_at: notification.read_at.map(|at| at.to_rfc3339()),
        }
    }
}

/// The web app's screen for a notification's subject (`web/app/js/routes.js`).
fn link(kind: NotificationKind, subject_id: &str) -> String {
    match kind {
        NotificationKind::Message => format!("/messages/{subject_id}"),
        NotificationKind::Alert => format!("/alerts/{subject_id}"),
        NotificationKind::AppointmentChanged | NotificationKind::AppointmentReminder => {
            format!("/appointments/{subject_id}")
        }
        NotificationKind::PostReply => format!("/community/posts/{subject_id}"),
    }
}

/// A page of the caller's notifications.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotificationList {
    /// Newest first.
    pub notifications: Vec<NotificationView>,
    /// Unread notifications in the whole list.
    pub unread: u64,
    /// Notifications in the whole list.
    pub total: u64,
}

/// The answer to marking every notification read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AllRead {
    /// How many were unread and are now read.
    pub marked: u64,
}

/// Paging of the notification list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationPageQuery {
    /// Page size (default 50; values above 200 read as 200, and 0 as 1).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub limit: Option<u32>,
    /// Notifications to skip from the newest (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub offset: Option<u32>,
}

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/notifications", tag = "notifications", params(NotificationPageQuery),
    responses((status = 200, description = "A page of the caller's notifications", body = NotificationList)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<NotificationPageQuery>,
) -> Result<Response, ApiError> {
    let page = Page {
        limit: query.limit.unwrap_or(50).clamp(1, 200),
        offset: u64::from(query.offset.unwrap_or(0)),
    };
    let listed = state
        .store()
        .notifications(&caller.user_id, page)
        .await
        .map_err(store_error)?;
    Ok(ok(NotificationList {
        notifications: listed
            .notifications
            .iter()
            .map(NotificationView::from)
            .collect(),
        unread: listed.unread,
        total: listed.total,
    }))
}

/// Mark one of the caller's notifications read (marking it again keeps the first time).
#[utoipa::path(post, path = "/api/notifications/{notification_id}/read", tag = "notifications",
    params(("notification_id" = String, Path, description = "The notification")),
    responses((status = 200, description = "Marked read", body = NotificationView)))]
pub async fn mark_notification_read(
    State(state): State<AppState>,
    caller: Caller,
    access: NotificationAccess,
) -> Result<Response, ApiError> {
    let notification = state
        .store()
        .mark_notification_read(&access.notification_id, &caller.user_id, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok(NotificationView::from(&notification)))
}

/// Mark every notification of the caller read.
#[utoipa::path(post, path = "/api/notifications/read-all", tag = "notifications",
    responses((status = 200, description = "All marked read", body = AllRead)))]
pub async fn mark_all_notifications_read(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let marked = state
        .store()
        .mark_all_notifications_read(&caller.user_id, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok(AllRead { marked }))
}
