//! The rules of the moderated community, pure so they are tested without a
//! database, and its records.
//!
//! Members (patients and clinicians; admins manage channels and moderate but do
//! not post) write posts in channels and comments on posts under a pseudonym they
//! chose. What screening found decides whether an item is published or held for
//! review ([`status_after_screening`]); who sees an item is [`visible_to`];
//! what a moderator may do to it is [`moderate`]; how much one member may write
//! is [`PostingLimit`]. The store applies each rule in the transaction of the
//! write it governs, and mirrors [`visible_to`] in its page queries.

use std::fmt;

use healing_core::ids::PersonId;
use healing_core::safety::RiskLevel;
use healing_core::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use crate::records::{Role, ScreeningOutcome, text_enum};

text_enum! {
    /// Who may see a community post or comment.
    PostStatus {
        /// Everyone in the community (but those who blocked or muted its author).
        Published => "published",
        /// Screening found high or critical risk: its author and moderators only,
        /// until a moderator approves, hides or removes it.
        Held => "held",
        /// A moderator took it out of view: its author and moderators only.
        Hidden => "hidden",
        /// A moderator removed it with a reason: moderators see the words, its
        /// author only that it was removed and why.
        Removed => "removed",
    }
}

text_enum! {
    /// The reactions a member may give (one of each kind per member per item).
    ReactionKind {
        /// A heart.
        Heart => "heart",
        /// A hug.
        Hug => "hug",
        /// Thanks.
        Thanks => "thanks",
    }
}

text_enum! {
    /// How a member set another member apart.
    Relation {
        /// Their items are hidden from me, and they cannot comment on my posts.
        Blocked => "blocked",
        /// Their items are hidden from me only.
        Muted => "muted",
    }
}

text_enum! {
    /// Why an item was reported or moderated (a fixed list, so a reason never
    /// carries words a member wrote).
    CommunityReason {
        /// It could harm someone who reads it (methods, encouragement of self-harm).
        Harmful => "harmful",
        /// Unkind, bullying or hateful.
        Unkind => "unkind",
        /// It shares someone's personal or identifying details.
        PersonalInformation => "personal_information",
        /// Advertising or spam.
        Spam => "spam",
        /// Not about the channel's topic.
        OffTopic => "off_topic",
        /// Anything else (a report's note may say more).
        Other => "other",
    }
}

text_enum! {
    /// What a moderator does to an item.
    ModerationAction {
        /// Publish it (a held or hidden item) or keep it published, settling its
        /// reports.
        Approve => "approve",
        /// Take it out of view (its author still sees it).
        Hide => "hide",
        /// Remove it with a reason.
        Remove => "remove",
    }
}

/// Why a community write is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CommunityRefusal {
    /// The writer has not chosen a pseudonym yet.
    #[error("choose a community name before posting")]
    NoPseudonym,
    /// Admins manage channels and moderate; they do not post, comment, react or report.
    #[error("only patients and clinicians take part in the community")]
    NotAMember,
    /// The channel is archived: it can be read but not written to.
    #[error("the channel is archived")]
    ChannelArchived,
    /// The item is not one the writer may see.
    #[error("no such post")]
    NotVisible,
    /// Comments go on published posts, not on comments or held items.
    #[error("comments go on published posts only")]
    NotCommentable,
    /// The post's author blocked the writer.
    #[error("the author of this post does not take replies from you")]
    Blocked,
    /// A member cannot block, mute or react to themself.
    #[error("this does not apply to yourself")]
    Yourself,
    /// The move is not open from the item's status (approving a removed item).
    #[error("a {from} item cannot be given {action}")]
    Moderation {
        /// The item's status.
        from: PostStatus,
        /// The action refused.
        action: ModerationAction,
    },
    /// The writer reached their posting limit; they may write again after this
    /// many seconds.
    #[error("too many posts and comments; try again in {retry_after_seconds} seconds")]
    RateLimited {
        /// Seconds until the oldest item in the window leaves it.
        retry_after_seconds: i64,
    },
}

/// The status a newly written item starts in: held for review when screening found
/// high or critical risk or failed (fail closed), published otherwise (a medium
/// item is published, and its author is shown a signpost).
pub fn status_after_screening(outcome: &ScreeningOutcome) -> PostStatus {
    match outcome {
        ScreeningOutcome::Assessed { level, .. } if *level < RiskLevel::High => {
            PostStatus::Published
        }
        _ => PostStatus::Held,
    }
}

/// Whether `viewer` may see an item with `status` written by `author`.
/// `relation` is how the viewer set the author apart, if they did; `moderator`
/// is a clinician or admin reading as a moderator (the moderation queue and an
/// item opened from it).
pub fn visible_to(
    status: PostStatus,
    author: &PersonId,
    viewer: &PersonId,
    relation: Option<Relation>,
    moderator: bool,
) -> bool {
    if moderator || author == viewer {
        return true;
    }
    status == PostStatus::Published && relation.is_none()
}

/// Whether a person in `role` may write to the community at all.
pub fn may_take_part(role: Role) -> bool {
    matches!(role, Role::Patient | Role::Clinician)
}

/// The status `action` moves an item from `from` to, or why it may not.
pub fn moderate(
    from: PostStatus,
    action: ModerationAction,
) -> Result<PostStatus, CommunityRefusal> {
    let to = match (from, action) {
        (PostStatus::Removed, _) => None,
        (_, ModerationAction::Approve) => Some(PostStatus::Published),
        (PostStatus::Hidden, ModerationAction::Hide) => None,
        (_, ModerationAction::Hide) => Some(PostStatus::Hidden),
        (_, ModerationAction::Remove) => Some(PostStatus::Removed),
    };
    to.ok_or(CommunityRefusal::Moderation { from, action })
}

/// The form of a name that must be unique (channel names, pseudonyms): trimmed,
/// inner whitespace collapsed, lower-cased, so "Sam  Smith" and "sam smith" clash.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How many posts and comments one member may write in a window of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingLimit {
    /// Items (posts and comments together) allowed within the window.
    pub max_items: u32,
    /// The window's length, in seconds.
    pub window_seconds: i64,
}

impl PostingLimit {
    /// Ten posts and comments per ten minutes: enough for a conversation, not for
    /// flooding a channel. A project convention, not a clinical figure.
    pub const DEFAULT: Self = Self {
        max_items: 10,
        window_seconds: 600,
    };

    /// The earliest instant an item written at `at` still counts against the
    /// limit (items written after it are in the window).
    pub fn window_start(self, at: Timestamp) -> i64 {
        at.unix_seconds().saturating_sub(self.window_seconds)
    }

    /// Whether one more item may be written, given the `count` of items in the
    /// window and the instant of the oldest of them: `Ok`, or the refusal with the
    /// seconds until the oldest leaves the window.
    pub fn check(
        self,
        count: u64,
        oldest: Option<i64>,
        at: Timestamp,
    ) -> Result<(), CommunityRefusal> {
        if count < u64::from(self.max_items) {
            return Ok(());
        }
        let leaves_at = oldest
            .unwrap_or(at.unix_seconds())
            .saturating_add(self.window_seconds);
        Err(CommunityRefusal::RateLimited {
            retry_after_seconds: leaves_at.saturating_sub(at.unix_seconds()).max(1),
        })
    }
}

/// A channel: a topic an admin set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityChannel {
    /// Opaque id.
    pub id: String,
    /// The topic's name (unique, ignoring case and spacing).
    pub name: String,
    /// What the channel is for.
    pub description: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was archived (read-only since), if it was.
    pub archived_at: Option<Timestamp>,
}

/// A member's community profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityMember {
    /// The handle others see (never the account id).
    pub member_id: String,
    /// The account.
    pub person_id: PersonId,
    /// The name they chose to be shown by.
    pub pseudonym: String,
    /// Whether they are a clinician (shown as such).
    pub clinician: bool,
    /// When they first chose a name.
    pub joined_at: Timestamp,
}

/// A post or a comment, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityPost {
    /// Opaque id.
    pub id: String,
    /// The channel.
    pub channel_id: String,
    /// For a comment, the post it answers.
    pub parent_id: Option<String>,
    /// The author's account.
    pub author_id: PersonId,
    /// The author's handle in the community.
    pub author_member_id: String,
    /// The author's pseudonym.
    pub author_pseudonym: String,
    /// Whether the author is a clinician.
    pub author_is_clinician: bool,
    /// The text.
    pub body: String,
    /// When it was written.
    pub posted_at: Timestamp,
    /// Who may see it.
    pub status: PostStatus,
    /// What screening found when it was written.
    pub risk_level: Option<RiskLevel>,
    /// Why a moderator hid or removed it.
    pub moderation_reason: Option<CommunityReason>,
}

/// A reaction count on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionCount {
    /// The kind.
    pub kind: ReactionKind,
    /// How many members gave it.
    pub count: u64,
    /// Whether the reader gave it.
    pub mine: bool,
}

/// An item with what a reader sees around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityItem {
    /// The item.
    pub post: CommunityPost,
    /// Its reactions, one entry per kind given.
    pub reactions: Vec<ReactionCount>,
    /// For a post, the published comments on it.
    pub comments: u64,
    /// Reports not yet settled by a moderator (counted for moderators only).
    pub open_reports: u64,
}

/// A member's report of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityReport {
    /// Opaque id.
    pub id: String,
    /// The item.
    pub post_id: String,
    /// Why.
    pub reason: CommunityReason,
    /// When.
    pub at: Timestamp,
}

/// A report as a moderator reads it (the note opened).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// Why.
    pub reason: CommunityReason,
    /// What the reporter added, if anything.
    pub note: Option<String>,
    /// When.
    pub at: Timestamp,
}

impl fmt::Debug for ReportView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the words.
        f.debug_struct("ReportView")
            .field("reason", &self.reason)
            .field("note", &self.note.is_some())
            .field("at", &self.at)
            .finish()
    }
}

/// An admin's change to a channel; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelChange {
    /// A new name.
    pub name: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// Archive (`true`) or restore (`false`).
    pub archived: Option<bool>,
}

/// Where a member's new item goes.
#[derive(Debug, Clone, Copy)]
pub enum PostTarget<'a> {
    /// A new post in the channel.
    Channel(&'a str),
    /// A comment on the post.
    Comment(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Screened;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_unix_seconds(seconds).unwrap()
    }

    fn outcome(level: RiskLevel) -> ScreeningOutcome {
        ScreeningOutcome::Assessed {
            level,
            categories: Vec::new(),
            evidence: Vec::new(),
            rules_version: "test".to_owned(),
        }
    }

    #[test]
    fn high_critical_and_failed_screening_hold_an_item_for_review() {
        assert_eq!(
            status_after_screening(&outcome(RiskLevel::None)),
            PostStatus::Published
        );
        assert_eq!(
            status_after_screening(&outcome(RiskLevel::Medium)),
            PostStatus::Published
        );
        assert_eq!(
            status_after_screening(&outcome(RiskLevel::High)),
            PostStatus::Held
        );
        assert_eq!(
            status_after_screening(&outcome(RiskLevel::Critical)),
            PostStatus::Held
        );
        let failed = Screened::failed_closed("x".to_owned());
        assert_eq!(status_after_screening(failed.outcome()), PostStatus::Held);
    }

    #[test]
    fn others_see_only_published_items_of_authors_they_did_not_set_apart() {
        let author = PersonId::new("author").unwrap();
        let reader = PersonId::new("reader").unwrap();
        for status in PostStatus::ALL {
            assert!(visible_to(*status, &author, &author, None, false));
            assert!(visible_to(*status, &author, &reader, None, true));
            assert_eq!(
                visible_to(*status, &author, &reader, None, false),
                *status == PostStatus::Published
            );
        }
        for relation in Relation::ALL {
            assert!(!visible_to(
                PostStatus::Published,
                &author,
                &reader,
                Some(*relation),
                false
            ));
        }
    }

    #[test]
    fn moderation_moves_are_closed_after_removal() {
        use ModerationAction::*;
        assert_eq!(
            moderate(PostStatus::Held, Approve),
            Ok(PostStatus::Published)
        );
        assert_eq!(
            moderate(PostStatus::Published, Approve),
            Ok(PostStatus::Published)
        );
        assert_eq!(moderate(PostStatus::Held, Hide), Ok(PostStatus::Hidden));
        assert_eq!(
            moderate(PostStatus::Hidden, Remove),
            Ok(PostStatus::Removed)
        );
        assert!(moderate(PostStatus::Hidden, Hide).is_err());
        for action in ModerationAction::ALL {
            assert!(moderate(PostStatus::Removed, *action).is_err());
        }
    }

    #[test]
    fn the_limit_counts_the_window_and_says_when_to_retry() {
        let limit = PostingLimit {
            max_items: 2,
            window_seconds: 600,
        };
        assert_eq!(limit.check(1, Some(1_000), at(1_100)), Ok(()));
        assert_eq!(
            limit.check(2, Some(1_000), at(1_100)),
            Err(CommunityRefusal::RateLimited {
                retry_after_seconds: 500
            })
        );
        assert_eq!(limit.window_start(at(1_100)), 500);
    }

    #[test]
    fn names_clash_ignoring_case_and_spacing() {
        assert_eq!(name_key("  Sam   Smith "), name_key("sam smith"));
        assert_ne!(name_key("sam smith"), name_key("samsmith"));
    }
}
