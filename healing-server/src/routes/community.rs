//! `/api/community`: the moderated peer community.
//!
//! Admins set the channels (topics); patients and clinicians (shown as such) take
//! part under a pseudonym they choose, which is never their username; admins
//! moderate but do not post. Every post, comment and report note is screened
//! through [`crate::screening`] and sealed by the store: at medium its author is
//! shown a gentle signpost; at high or critical (or when screening fails) it is
//! held for review, visible only to its author (marked held) and moderators, its
//! author is shown the crisis resources, and a patient's writing raises an alert
//! for their clinicians or the duty contact in the write's transaction. Who may
//! see an item is the store's rule (`healing_store::visible_to`), applied by the
//! page queries and by [`Policy::CommunityItem`](crate::policy::Policy) for the
//! routes on one item. The moderation queue is in [`super::moderation`].

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::ids::PersonId;
use healing_core::safety::{RiskLevel, Source};
use healing_store::prelude::*;
use healing_store::{
    ChannelChange, CommunityChannel, CommunityItem, CommunityMember, CommunityReason, Page,
    PostStatus, PostTarget, PostingLimit, ReactionKind, Relation, Role, Screened, ScreeningOutcome,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, JsonBody, PathParams, QueryParams, ok, ok_with};
use crate::policy::{Caller, CommunityItemAccess};
use crate::screening::SafetyView;
use crate::state::{AppState, store_error};

/// Longest post or comment accepted, in characters.
pub const POST_MAX_CHARS: usize = 5_000;
/// Longest note on a report, in characters.
pub const REPORT_NOTE_MAX_CHARS: usize = 1_000;
/// Longest channel name and description, in characters.
pub const CHANNEL_NAME_MAX_CHARS: usize = 60;
/// Longest channel description, in characters.
pub const CHANNEL_DESCRIPTION_MAX_CHARS: usize = 500;

/// What the author of a held item is told, besides the crisis resources.
const HELD_NOTICE: &str = "Your words are held for a moderator to read before others see them. \
     You are not in trouble: we want to make sure you are safe. If you are in danger now, \
     use the contacts shown.";

/// How many posts and comments one member may write per window.
pub fn posting_limit() -> PostingLimit {
    PostingLimit::DEFAULT
}

/// A member as others see them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuthorView {
    /// Their community handle (not their account id).
    pub member_id: String,
    /// The name they chose.
    pub pseudonym: String,
    /// Whether they are a clinician.
    pub clinician: bool,
}

/// One reaction kind on an item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReactionView {
    /// `heart`, `hug` or `thanks`.
    pub kind: String,
    /// How many members gave it.
    pub count: u64,
    /// Whether the caller gave it.
    pub mine: bool,
}

/// A post or comment as the caller may see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemView {
    /// Id.
    pub id: String,
    /// The channel.
    pub channel_id: String,
    /// For a comment, the post it answers.
    pub parent_id: Option<String>,
    /// Who wrote it.
    pub author: AuthorView,
    /// Whether the caller wrote it.
    pub mine: bool,
    /// The text (absent once removed, except for moderators).
    pub body: Option<String>,
    /// When it was written (RFC 3339).
    pub posted_at: String,
    /// `published`, `held` (waiting for a moderator), `hidden` or `removed`.
    pub status: String,
    /// Why a moderator hid or removed it.
    pub moderation_reason: Option<String>,
    /// Reactions given, one entry per kind.
    pub reactions: Vec<ReactionView>,
    /// For a post, its published comments.
    pub comments: u64,
    /// For moderators: unsettled reports.
    pub open_reports: Option<u64>,
    /// For moderators: what screening found when it was written.
    pub risk_level: Option<String>,
}

impl ItemView {
    /// The item as `caller` sees it; `moderator` adds what only moderators read.
    pub fn of(item: &CommunityItem, caller: &PersonId, moderator: bool) -> Self {
        let post = &item.post;
        let withheld = post.status == PostStatus::Removed && !moderator;
        Self {
            id: post.id.clone(),
            channel_id: post.channel_id.clone(),
            parent_id: post.parent_id.clone(),
            author: AuthorView {
                member_id: post.author_member_id.clone(),
                pseudonym: post.author_pseudonym.clone(),
                clinician: post.author_is_clinician,
            },
            mine: &post.author_id == caller,
            body: (!withheld).then(|| post.body.clone()),
            posted_at: post.posted_at.to_rfc3339(),
            status: post.status.as_str().to_owned(),
            moderation_reason: post
                .moderation_reason
                .map(|reason| reason.as_str().to_owned()),
            reactions: item
                .reactions
                .iter()
                .map(|count| ReactionView {
                    kind: count.kind.as_str().to_owned(),
                    count: count.count,
                    mine: count.mine,
                })
                .collect(),
            comments: item.comments,
            open_reports: moderator.then_some(item.open_reports),
            risk_level: if moderator {
                post.risk_level.map(|level| level.as_str().to_owned())
            } else {
                None
            },
        }
    }
}

/// A channel.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChannelView {
    /// Id.
    pub id: String,
    /// Its topic.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// Whether it is archived (read-only).
    pub archived: bool,
}

impl From<&CommunityChannel> for ChannelView {
    fn from(channel: &CommunityChannel) -> Self {
        Self {
            id: channel.id.clone(),
            name: channel.name.clone(),
            description: channel.description.clone(),
            created_at: channel.created_at.to_rfc3339(),
            archived: channel.archived_at.is_some(),
        }
    }
}

/// The channels.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChannelList {
    /// Channels by name.
    pub channels: Vec<ChannelView>,
}

/// A page of a channel.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChannelPage {
    /// The channel.
    pub channel: ChannelView,
    /// A page of its posts the caller may see, newest first.
    pub posts: Vec<ItemView>,
}

/// One post with a page of its comments.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PostPage {
    /// The post (or comment).
    pub post: ItemView,
    /// A page of its comments the caller may see, oldest first.
    pub comments: Vec<ItemView>,
    /// For moderators: the unsettled reports of this item.
    pub reports: Option<Vec<ReportNoteView>>,
}

/// A report as moderators read it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportNoteView {
    /// Why it was reported.
    pub reason: String,
    /// What the reporter added.
    pub note: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// An item as written, with what the app must show its author.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemWritten {
    /// The stored item.
    pub item: ItemView,
    /// Whether it is held for review (not visible to others yet).
    pub held: bool,
    /// For a patient, the outcome of screening it: at medium a `signpost`; at
    /// high or critical `show_crisis_resources` and the `resources` (an alert has
    /// been raised for their clinicians already).
    pub safety: Option<SafetyView>,
    /// What happens next when the item is held.
    pub notice: Option<String>,
}

/// The caller's community profile.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    /// Their handle, which others see.
    pub member_id: String,
    /// The name they chose.
    pub pseudonym: String,
    /// Whether they are shown as a clinician.
    pub clinician: bool,
    /// When they joined (RFC 3339).
    pub joined_at: String,
}

impl From<&CommunityMember> for MemberView {
    fn from(member: &CommunityMember) -> Self {
        Self {
            member_id: member.member_id.clone(),
            pseudonym: member.pseudonym.clone(),
            clinician: member.clinician,
            joined_at: member.joined_at.to_rfc3339(),
        }
    }
}

/// `GET /api/community/me`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MyProfile {
    /// The profile, once a pseudonym is chosen (needed before posting).
    pub member: Option<MemberView>,
}

/// `PUT /api/community/me` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SetPseudonym {
    /// 3 to 30 letters, digits, spaces, `.`, `_`, `-` or `'`; not your username;
    /// unique (ignoring case and spacing).
    #[schema(min_length = 3, max_length = 30)]
    pub pseudonym: String,
}

/// `PUT /api/community/members/{member_id}/relation` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SetRelation {
    /// `blocked` (their posts and comments are hidden from you and they cannot
    /// comment on your posts), `muted` (hidden from you only) or `none`.
    #[schema(pattern = "^(blocked|muted|none)$")]
    pub relation: String,
}

/// The answer to a block, mute or restore.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RelationSet {
    /// The member.
    pub member_id: String,
    /// Their pseudonym.
    pub pseudonym: String,
    /// `blocked`, `muted` or `none`.
    pub relation: String,
}

/// `POST /api/community/channels` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewChannel {
    /// 1 to 60 characters, unique ignoring case and spacing.
    pub name: String,
    /// Up to 500 characters.
    #[serde(default)]
    pub description: String,
}

/// `PATCH /api/community/channels/{channel_id}` body; absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ChangeChannel {
    /// A new name.
    pub name: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// Archive (`true`: read-only) or restore (`false`).
    pub archived: Option<bool>,
}

/// A post or comment body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewItem {
    /// The text (1 to 5 000 characters).
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
}

/// `POST /api/community/posts/{post_id}/reactions` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct React {
    /// `heart`, `hug` or `thanks`; given again, it is taken back.
    #[schema(pattern = "^(heart|hug|thanks)$")]
    pub kind: String,
}

/// `POST /api/community/posts/{post_id}/reports` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewReport {
    /// `harmful`, `unkind`, `personal_information`, `spam`, `off_topic` or `other`.
    #[schema(pattern = "^(harmful|unkind|personal_information|spam|off_topic|other)$")]
    pub reason: String,
    /// Anything to add (up to 1 000 characters; moderators read it).
    pub note: Option<String>,
}

/// The answer to a report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportFiled {
    /// The report's id.
    pub id: String,
    /// For a patient's note, the outcome of screening it.
    pub safety: Option<SafetyView>,
}

/// `GET /api/community/channels` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChannelsQuery {
    /// Include archived channels (default false).
    pub include_archived: Option<bool>,
}

/// Paging of a channel, a post's comments and the moderation queue.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size (default 20, at most 100).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub offset: Option<u32>,
}

impl PageQuery {
    /// The page asked for, clamped to 1..=100 rows.
    pub fn page(&self) -> Page {
        Page {
            limit: self.limit.unwrap_or(20).clamp(1, 100),
            offset: u64::from(self.offset.unwrap_or(0)),
        }
    }
}

/// The caller's community profile.
#[utoipa::path(get, path = "/api/community/me", tag = "community",
    responses((status = 200, description = "The profile, if a pseudonym is chosen", body = MyProfile)))]
pub async fn my_profile(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let member = state
        .store()
        .community_member(&caller.user_id)
        .await
        .map_err(store_error)?;
    Ok(ok(MyProfile {
        member: member.as_ref().map(MemberView::from),
    }))
}

/// Choose or change the caller's pseudonym (needed before posting). The name is
/// screened: one that screening finds of concern is refused with 422
/// `PSEUDONYM_REFUSED`; one taken is 409.
#[utoipa::path(put, path = "/api/community/me", tag = "community", request_body = SetPseudonym,
    responses((status = 200, description = "The profile", body = MemberView),
        (status = 409, description = "`CONFLICT`: another member has this name", body = crate::error::ErrorBody),
        (status = 422, description = "`PSEUDONYM_REFUSED`: choose a different name", body = crate::error::ErrorBody)))]
pub async fn set_pseudonym(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<SetPseudonym>,
) -> Result<Response, ApiError> {
    let user = state
        .store()
        .user(&caller.user_id)
        .await
        .map_err(store_error)?;
    let pseudonym = crate::accounts::validate_pseudonym(&request.pseudonym, &user.username)
        .map_err(|invalid| ApiError::validation(invalid.message()))?;
    // A name is shown to everyone: one that reads as risk (or cannot be screened)
    // is refused rather than held.
    let screened = state
        .screener()
        .screen(pseudonym.clone(), Source::Community);
    if held_or_signposted(screened.outcome()) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "PSEUDONYM_REFUSED",
            "please choose a different name",
        ));
    }
    let member = state
        .store()
        .set_pseudonym(&caller.user_id, &pseudonym, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok(MemberView::from(&member)))
}

/// Block, mute or restore another member, by their handle.
#[utoipa::path(put, path = "/api/community/members/{member_id}/relation", tag = "community",
    request_body = SetRelation,
    params(("member_id" = String, Path, description = "The other member's handle")),
    responses((status = 200, description = "Set", body = RelationSet),
        (status = 404, description = "No such member", body = crate::error::ErrorBody),
        (status = 409, description = "`PSEUDONYM_REQUIRED`: choose a community name first", body = crate::error::ErrorBody),
        (status = 422, description = "Not to yourself", body = crate::error::ErrorBody)))]
pub async fn set_relation(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(member_id): PathParams<String>,
    JsonBody(request): JsonBody<SetRelation>,
) -> Result<Response, ApiError> {
    let relation = match request.relation.as_str() {
        "none" => None,
        other => Some(
            Relation::from_name(other)
                .ok_or_else(|| ApiError::validation("relation must be blocked, muted or none"))?,
        ),
    };
    let member = state
        .store()
        .set_relation(&caller.user_id, &member_id, relation, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok(RelationSet {
        member_id: member.member_id,
        pseudonym: member.pseudonym,
        relation: relation.map_or("none", Relation::as_str).to_owned(),
    }))
}

/// The channels, by name.
#[utoipa::path(get, path = "/api/community/channels", tag = "community", params(ChannelsQuery),
    responses((status = 200, description = "The channels", body = ChannelList)))]
pub async fn list_channels(
    State(state): State<AppState>,
    QueryParams(query): QueryParams<ChannelsQuery>,
) -> Result<Response, ApiError> {
    let channels = state
        .store()
        .community_channels(query.include_archived.unwrap_or(false))
        .await
        .map_err(store_error)?;
    Ok(ok(ChannelList {
        channels: channels.iter().map(ChannelView::from).collect(),
    }))
}

/// Create a channel (audited).
#[utoipa::path(post, path = "/api/community/channels", tag = "community", request_body = NewChannel,
    responses((status = 201, description = "Created", body = ChannelView),
        (status = 409, description = "`CONFLICT`: a channel has this name", body = crate::error::ErrorBody)))]
pub async fn create_channel(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<NewChannel>,
) -> Result<Response, ApiError> {
    let name = channel_name(&request.name)?;
    let description = channel_description(&request.description)?;
    let channel = state
        .store()
        .create_channel(&caller.user_id, &name, &description, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        ChannelView::from(&channel),
        "channel created",
    ))
}

/// Rename, re-describe, archive or restore a channel (audited).
#[utoipa::path(patch, path = "/api/community/channels/{channel_id}", tag = "community",
    request_body = ChangeChannel,
    params(("channel_id" = String, Path, description = "The channel")),
    responses((status = 200, description = "Changed", body = ChannelView),
        (status = 404, description = "No such channel", body = crate::error::ErrorBody),
        (status = 409, description = "`CONFLICT`: a channel has this name", body = crate::error::ErrorBody)))]
pub async fn change_channel(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(channel_id): PathParams<String>,
    JsonBody(request): JsonBody<ChangeChannel>,
) -> Result<Response, ApiError> {
    let change = ChannelChange {
        name: request.name.as_deref().map(channel_name).transpose()?,
        description: request
            .description
            .as_deref()
            .map(channel_description)
            .transpose()?,
        archived: request.archived,
    };
    if change == ChannelChange::default() {
        return Err(ApiError::validation(
            "nothing to change: give a name, a description or archived",
        ));
    }
    let channel = state
        .store()
        .update_channel(&caller.user_id, &channel_id, change, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok(ChannelView::from(&channel)))
}

/// A page of a channel's posts the caller may see, newest first (their own in
/// any state, marked; others' published ones, but not of members they blocked
/// or muted).
#[utoipa::path(get, path = "/api/community/channels/{channel_id}/posts", tag = "community",
    params(("channel_id" = String, Path, description = "The channel"), PageQuery),
    responses((status = 200, description = "The page", body = ChannelPage),
        (status = 404, description = "No such channel", body = crate::error::ErrorBody)))]
pub async fn channel_page(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(channel_id): PathParams<String>,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, ApiError> {
    let channel = state
        .store()
        .community_channel(&channel_id)
        .await
        .map_err(store_error)?;
    let posts = state
        .store()
        .channel_page(&channel_id, &caller.user_id, query.page())
        .await
        .map_err(store_error)?;
    Ok(ok(ChannelPage {
        channel: ChannelView::from(&channel),
        posts: posts
            .iter()
            .map(|item| ItemView::of(item, &caller.user_id, false))
            .collect(),
    }))
}

/// Post in a channel (screened; see the module's description of holding).
/// Refused with 409 `PSEUDONYM_REQUIRED` before a pseudonym is chosen, 409 in an
/// archived channel, and 429 `RATE_LIMITED` with `Retry-After` past the posting
/// limit.
#[utoipa::path(post, path = "/api/community/channels/{channel_id}/posts", tag = "community",
    request_body = NewItem,
    params(("channel_id" = String, Path, description = "The channel")),
    responses((status = 201, description = "Written and screened", body = ItemWritten),
        (status = 404, description = "No such channel", body = crate::error::ErrorBody),
        (status = 409, description = "`PSEUDONYM_REQUIRED`: choose a community name first; or `CONFLICT`: the channel is archived", body = crate::error::ErrorBody),
        (status = 429, description = "`RATE_LIMITED`: too many posts and comments; see Retry-After", body = crate::error::ErrorBody)))]
pub async fn write_post(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(channel_id): PathParams<String>,
    JsonBody(request): JsonBody<NewItem>,
) -> Result<Response, ApiError> {
    write_item(
        &state,
        &caller,
        PostTarget::Channel(&channel_id),
        request.body,
    )
    .await
}

/// One post or comment with a page of its comments (oldest first); moderators
/// also read its unsettled reports.
#[utoipa::path(get, path = "/api/community/posts/{post_id}", tag = "community",
    params(("post_id" = String, Path, description = "The post or comment"), PageQuery),
    responses((status = 200, description = "The post", body = PostPage)))]
pub async fn show_post(
    State(state): State<AppState>,
    caller: Caller,
    access: CommunityItemAccess,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, ApiError> {
    let item = state
        .store()
        .community_item(&access.post.id, &caller.user_id)
        .await
        .map_err(store_error)?;
    let comments = state
        .store()
        .comments_page(
            &access.post.id,
            &caller.user_id,
            access.moderator,
            query.page(),
        )
        .await
        .map_err(store_error)?;
    let reports = if access.moderator {
        let notes = state
            .store()
            .report_notes(&access.post.id)
            .await
            .map_err(store_error)?;
        Some(
            notes
                .into_iter()
                .map(|report| ReportNoteView {
                    reason: report.reason.as_str().to_owned(),
                    note: report.note,
                    at: report.at.to_rfc3339(),
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(ok(PostPage {
        post: ItemView::of(&item, &caller.user_id, access.moderator),
        comments: comments
            .iter()
            .map(|comment| ItemView::of(comment, &caller.user_id, access.moderator))
            .collect(),
        reports,
    }))
}

/// Comment on a published post (screened and limited as posts are). Refused
/// with 403 `COMMUNITY_REFUSED` when the post's author blocked the caller, 409 on
/// a comment or an item that is not published.
#[utoipa::path(post, path = "/api/community/posts/{post_id}/comments", tag = "community",
    request_body = NewItem,
    params(("post_id" = String, Path, description = "The post")),
    responses((status = 201, description = "Written and screened", body = ItemWritten),
        (status = 409, description = "`PSEUDONYM_REQUIRED`: choose a community name first; or `CONFLICT`: not a published post, or its channel is archived", body = crate::error::ErrorBody),
        (status = 429, description = "`RATE_LIMITED`: too many posts and comments; see Retry-After", body = crate::error::ErrorBody)))]
pub async fn write_comment(
    State(state): State<AppState>,
    caller: Caller,
    access: CommunityItemAccess,
    JsonBody(request): JsonBody<NewItem>,
) -> Result<Response, ApiError> {
    write_item(
        &state,
        &caller,
        PostTarget::Comment(&access.post.id),
        request.body,
    )
    .await
}

/// Give a reaction, or take it back when given already (published items only).
#[utoipa::path(post, path = "/api/community/posts/{post_id}/reactions", tag = "community",
    request_body = React,
    params(("post_id" = String, Path, description = "The post or comment")),
    responses((status = 200, description = "The item with its reactions now", body = ItemView),
        (status = 409, description = "`PSEUDONYM_REQUIRED`: choose a community name first", body = crate::error::ErrorBody)))]
pub async fn react(
    State(state): State<AppState>,
    caller: Caller,
    access: CommunityItemAccess,
    JsonBody(request): JsonBody<React>,
) -> Result<Response, ApiError> {
    let kind = ReactionKind::from_name(&request.kind)
        .ok_or_else(|| ApiError::validation("kind must be heart, hug or thanks"))?;
    let item = state
        .store()
        .toggle_reaction(&access.post.id, &caller.user_id, kind, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok(ItemView::of(&item, &caller.user_id, false)))
}

/// Report an item to the moderators, with a reason from the list and an optional
/// note (screened and sealed). One report per member per item (409).
#[utoipa::path(post, path = "/api/community/posts/{post_id}/reports", tag = "community",
    request_body = NewReport,
    params(("post_id" = String, Path, description = "The post or comment")),
    responses((status = 201, description = "Reported", body = ReportFiled),
        (status = 409, description = "`CONFLICT`: reported already; or `PSEUDONYM_REQUIRED`", body = crate::error::ErrorBody),
        (status = 422, description = "Not your own post", body = crate::error::ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    access: CommunityItemAccess,
    JsonBody(request): JsonBody<NewReport>,
) -> Result<Response, ApiError> {
    let reason = CommunityReason::from_name(&request.reason).ok_or_else(|| {
        ApiError::validation(
            "reason must be harmful, unkind, personal_information, spam, off_topic or other",
        )
    })?;
    let note = match request.note {
        Some(note) if !note.trim().is_empty() => {
            let chars = note.chars().count();
            if chars > REPORT_NOTE_MAX_CHARS {
                return Err(ApiError::validation(format!(
                    "note has {chars} characters; use at most {REPORT_NOTE_MAX_CHARS}"
                )));
            }
            Some(state.screener().screen(note, Source::Community))
        }
        _ => None,
    };
    let filed = state
        .store()
        .report_community_post(
            &access.post.id,
            &caller.user_id,
            reason,
            note.as_ref(),
            state.now(),
        )
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        ReportFiled {
            id: filed.id,
            safety: note
                .as_ref()
                .filter(|_| caller.role == Role::Patient)
                .map(|note| state.screener().view(note.outcome())),
        },
        "reported",
    ))
}

/// Screens, limits and stores a post or comment, answering with what its author
/// must be shown.
async fn write_item(
    state: &AppState,
    caller: &Caller,
    target: PostTarget<'_>,
    body: String,
) -> Result<Response, ApiError> {
    let chars = body.chars().count();
    if body.trim().is_empty() || chars > POST_MAX_CHARS {
        return Err(ApiError::validation(format!(
            "body has {chars} characters; use 1 to {POST_MAX_CHARS}"
        )));
    }
    let screened = state.screener().screen(body, Source::Community);
    let post = state
        .store()
        .write_community_post(
            &caller.user_id,
            target,
            &screened,
            posting_limit(),
            state.now(),
        )
        .await
        .map_err(store_error)?;
    let held = post.status == PostStatus::Held;
    let item = CommunityItem {
        post,
        reactions: Vec::new(),
        comments: 0,
        open_reports: 0,
    };
    Ok(ok_with(
        StatusCode::CREATED,
        ItemWritten {
            item: ItemView::of(&item, &caller.user_id, false),
            held,
            safety: (caller.role == Role::Patient).then(|| safety_of(state, &screened)),
            notice: held.then(|| HELD_NOTICE.to_owned()),
        },
        if held { "held for review" } else { "published" },
    ))
}

/// What the author is shown about their screened words.
fn safety_of(state: &AppState, screened: &Screened) -> SafetyView {
    state.screener().view(screened.outcome())
}

/// Whether screening found anything of concern (medium and above, or failed).
fn held_or_signposted(outcome: &ScreeningOutcome) -> bool {
    match outcome {
        ScreeningOutcome::Assessed { level, .. } => *level >= RiskLevel::Medium,
        ScreeningOutcome::FailedClosed => true,
    }
}

fn channel_name(name: &str) -> Result<String, ApiError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = name.chars().count();
    if !(1..=CHANNEL_NAME_MAX_CHARS).contains(&chars) || name.chars().any(char::is_control) {
        return Err(ApiError::validation(format!(
            "name must be 1 to {CHANNEL_NAME_MAX_CHARS} printable characters"
        )));
    }
    Ok(name)
}

fn channel_description(description: &str) -> Result<String, ApiError> {
    let description = description.trim();
    let chars = description.chars().count();
    if chars > CHANNEL_DESCRIPTION_MAX_CHARS
        || description.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(ApiError::validation(format!(
            "description must be at most {CHANNEL_DESCRIPTION_MAX_CHARS} printable characters"
        )));
    }
    Ok(description.to_owned())
}
