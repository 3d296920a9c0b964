//! The moderated community ([`CommunityStore`]): channels, members' pseudonyms,
//! posts and comments (one sealed table, a comment naming its post), reactions,
//! block and mute, reports and moderation.
//!
//! Each write applies the rules of [`crate::community`] in its own transaction:
//! the writer's member row is locked first (`FOR UPDATE` on PostgreSQL; SQLite's
//! `BEGIN IMMEDIATE` already excludes other writers), so the posting limit counts
//! what is really there; a patient's item is stored with its screening and any
//! alert; a moderator's action with its audit entry. The page queries mirror
//! [`visible_to`](crate::community::visible_to) in SQL. A comment that its post's
//! author can see — when written, or when a moderator approves it — notifies
//! them (`post_reply`) in the same transaction.
//!
//! Compiled once per back end; see [`crate::sql`].

use std::collections::HashMap;

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use super::common::{column, not_found};
use super::{Db, DbRow, ROW_LOCK, SqlStore};
use crate::Error;
use crate::audit::{AuditAction, AuditEntry};
use crate::community::*;
use crate::contract::CommunityStore;
use crate::convert::{
    instant, named, new_id, open, optional_instant, optional_risk_level, page_bounds, person,
    risk_level_name, seal,
};
use crate::error::from_sqlx;
use crate::records::{AlertSource, NotificationKind, Page, Role, Screened, ScreeningOutcome};
use crate::sql::AffectedRows;

/// The table of posts and comments, as bound into each sealed body's associated data.
const POSTS: &str = "community_posts";

/// The columns `item_from_row` reads: the item `p` with its author's member row `m`
/// and account `u`.
macro_rules! item_columns {
    () => {
        "p.id, p.channel_id, p.parent_id, p.author_id, p.body, p.posted_at, p.status, \
         p.risk_level, p.moderation_reason, m.id AS member_id, m.pseudonym, u.role AS author_role \
         FROM community_posts p \
         JOIN community_members m ON m.person_id = p.author_id \
         JOIN users u ON u.id = p.author_id"
    };
}

/// What a member reader (`$2`) sees: their own items in any state, and others'
/// published items unless they blocked or muted the author
/// ([`visible_to`](crate::community::visible_to)).
macro_rules! visible_to_reader {
    () => {
        "(p.author_id = $2 OR (p.status = 'published' AND NOT EXISTS \
           (SELECT 1 FROM community_relations r WHERE r.person_id = $2 AND r.other_id = p.author_id)))"
    };
}

const CHANNEL_COLUMNS: &str = "id, name, description, created_at, archived_at";

/// A member with whether they are a clinician.
const MEMBER: &str = "SELECT m.id, m.person_id, m.pseudonym, m.joined_at, u.role \
     FROM community_members m JOIN users u ON u.id = m.person_id";

/// `$1, $2, …` from `first` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|position| format!("${position}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn channel_from_row(row: &DbRow) -> Result<CommunityChannel, Error> {
    let table = "community_channels";
    Ok(CommunityChannel {
        id: column(row, "id")?,
        name: column(row, "name")?,
        description: column(row, "description")?,
        created_at: instant(column(row, "created_at")?, table, "created_at")?,
        archived_at: optional_instant(column(row, "archived_at")?, table, "archived_at")?,
    })
}

fn member_from_row(row: &DbRow) -> Result<CommunityMember, Error> {
    let table = "community_members";
    let role: String = column(row, "role")?;
    Ok(CommunityMember {
        member_id: column(row, "id")?,
        person_id: person(column(row, "person_id")?, table, "person_id")?,
        pseudonym: column(row, "pseudonym")?,
        clinician: named(&role, Role::from_name, "users", "role")? == Role::Clinician,
        joined_at: instant(column(row, "joined_at")?, table, "joined_at")?,
    })
}

fn status_of(text: &str) -> Result<PostStatus, Error> {
    named(text, PostStatus::from_name, POSTS, "status")
}

impl SqlStore {
    fn item_from_row(&self, row: &DbRow) -> Result<CommunityPost, Error> {
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        let role: String = column(row, "author_role")?;
        let status: String = column(row, "status")?;
        let reason: Option<String> = column(row, "moderation_reason")?;
        Ok(CommunityPost {
            body: open(&self.cipher, POSTS, "body", &id, &body)?,
            channel_id: column(row, "channel_id")?,
            parent_id: column(row, "parent_id")?,
            author_id: person(column(row, "author_id")?, POSTS, "author_id")?,
            author_member_id: column(row, "member_id")?,
            author_pseudonym: column(row, "pseudonym")?,
            author_is_clinician: named(&role, Role::from_name, "users", "role")? == Role::Clinician,
            posted_at: instant(column(row, "posted_at")?, POSTS, "posted_at")?,
            status: status_of(&status)?,
            risk_level: optional_risk_level(column(row, "risk_level")?, POSTS, "risk_level")?,
            moderation_reason: reason
                .map(|text| {
                    named(
                        &text,
                        CommunityReason::from_name,
                        POSTS,
                        "moderation_reason",
                    )
                })
                .transpose()?,
            id,
        })
    }

    /// The item, read in `tx`.
    async fn item_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        post_id: &str,
    ) -> Result<CommunityPost, Error> {
        let row = sqlx::query(concat!("SELECT ", item_columns!(), " WHERE p.id = $1"))
            .bind(post_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("community post", post_id))?;
        self.item_from_row(&row)
    }

    /// Tells the author of `comment`'s post of it, if they can see it: published,
    /// by someone else, whom they have not blocked or muted.
    async fn notify_reply_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        comment: &CommunityPost,
        at: Timestamp,
    ) -> Result<(), Error> {
        let Some(post_id) = comment.parent_id.as_deref() else {
            return Ok(());
        };
        let post_author = self.item_in(tx, post_id).await?.author_id;
        let relation = Self::relation_in(tx, &post_author, &comment.author_id).await?;
        if post_author == comment.author_id
            || !visible_to(
                comment.status,
                &comment.author_id,
                &post_author,
                relation,
                false,
            )
        {
            return Ok(());
        }
        Self::notify_in(
            tx,
            self.notification_email,
            &post_author,
            NotificationKind::PostReply,
            post_id,
            at,
        )
        .await
    }

    /// The writer's role, refusing admins and people without a pseudonym, with
    /// their member row locked for the rest of `tx`.
    async fn lock_member_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        person_id: &PersonId,
    ) -> Result<Role, Error> {
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
            .bind(person_id.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        let role = named(
            &role.ok_or_else(|| not_found("user", person_id.as_str()))?,
            Role::from_name,
            "users",
            "role",
        )?;
        if !may_take_part(role) {
            return Err(Error::CommunityRefused(CommunityRefusal::NotAMember));
        }
        sqlx::query(&format!(
            "SELECT person_id FROM community_members WHERE person_id = $1 {ROW_LOCK}"
        ))
        .bind(person_id.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?
        .ok_or(Error::CommunityRefused(CommunityRefusal::NoPseudonym))?;
        Ok(role)
    }

    /// How `person` set `other` apart, read in `tx`.
    async fn relation_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        person_id: &PersonId,
        other: &PersonId,
    ) -> Result<Option<Relation>, Error> {
        let kind: Option<String> = sqlx::query_scalar(
            "SELECT kind FROM community_relations WHERE person_id = $1 AND other_id = $2",
        )
        .bind(person_id.as_str())
        .bind(other.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        kind.map(|kind| named(&kind, Relation::from_name, "community_relations", "kind"))
            .transpose()
    }

    /// Refuses the write unless the channel exists and is not archived.
    async fn check_channel_open_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        channel_id: &str,
    ) -> Result<(), Error> {
        let archived: Option<Option<i64>> =
            sqlx::query_scalar("SELECT archived_at FROM community_channels WHERE id = $1")
                .bind(channel_id)
                .fetch_optional(&mut **tx)
                .await
                .map_err(from_sqlx)?;
        match archived {
            None => Err(not_found("channel", channel_id)),
            Some(Some(_)) => Err(Error::CommunityRefused(CommunityRefusal::ChannelArchived)),
            Some(None) => Ok(()),
        }
    }

    /// Applies the posting limit to `author` in `tx` (their member row is locked).
    async fn check_limit_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        author: &PersonId,
        limit: PostingLimit,
        at: Timestamp,
    ) -> Result<(), Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS items, MIN(posted_at) AS oldest FROM community_posts \
             WHERE author_id = $1 AND posted_at > $2",
        )
        .bind(author.as_str())
        .bind(limit.window_start(at))
        .fetch_one(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        let items: i64 = column(&row, "items")?;
        let oldest: Option<i64> = column(&row, "oldest")?;
        limit
            .check(u64::try_from(items).unwrap_or(0), oldest, at)
            .map_err(Error::CommunityRefused)
    }

    /// Reaction counts, published comments and open reports of `items`, and the
    /// kinds `reader` gave, in three queries.
    async fn decorate(
        &self,
        posts: Vec<CommunityPost>,
        reader: &PersonId,
    ) -> Result<Vec<CommunityItem>, Error> {
        if posts.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = posts.iter().map(|post| post.id.as_str()).collect();
        // The reactions query binds the reader first; the others only the ids.
        let reaction_sql = format!(
            "SELECT post_id, kind, COUNT(*) AS given, \
               COUNT(CASE WHEN person_id = $1 THEN 1 END) AS mine \
             FROM community_reactions WHERE post_id IN ({}) GROUP BY post_id, kind",
            placeholders(2, ids.len())
        );
        let list = placeholders(1, ids.len());
        let comment_sql = format!(
            "SELECT parent_id AS post_id, COUNT(*) AS counted FROM community_posts \
             WHERE status = 'published' AND parent_id IN ({list}) GROUP BY parent_id"
        );
        let report_sql = format!(
            "SELECT post_id, COUNT(*) AS counted FROM community_reports \
             WHERE settled_at IS NULL AND post_id IN ({list}) GROUP BY post_id"
        );
        let mut reactions: HashMap<String, Vec<ReactionCount>> = HashMap::new();
        let mut query = sqlx::query(&reaction_sql).bind(reader.as_str());
        for id in &ids {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&self.pool).await.map_err(from_sqlx)? {
            let kind: String = column(&row, "kind")?;
            let given: i64 = column(&row, "given")?;
            let mine: i64 = column(&row, "mine")?;
            reactions
                .entry(column(&row, "post_id")?)
                .or_default()
                .push(ReactionCount {
                    kind: named(
                        &kind,
                        ReactionKind::from_name,
                        "community_reactions",
                        "kind",
                    )?,
                    count: u64::try_from(given).unwrap_or(0),
                    mine: mine > 0,
                });
        }
        let mut counts: [HashMap<String, i64>; 2] = [HashMap::new(), HashMap::new()];
        for (sql, counted) in [comment_sql, report_sql].iter().zip(counts.iter_mut()) {
            let mut query = sqlx::query(sql);
            for id in &ids {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&self.pool).await.map_err(from_sqlx)? {
                counted.insert(column(&row, "post_id")?, column(&row, "counted")?);
            }
        }
        let [comments, reports] = counts;
        Ok(posts
            .into_iter()
            .map(|post| {
                let mut given = reactions.remove(&post.id).unwrap_or_default();
                given.sort_by_key(|count| count.kind.as_str());
                CommunityItem {
                    reactions: given,
                    comments: u64::try_from(comments.get(&post.id).copied().unwrap_or(0))
                        .unwrap_or(0),
                    open_reports: u64::try_from(reports.get(&post.id).copied().unwrap_or(0))
                        .unwrap_or(0),
                    post,
                }
            })
            .collect())
    }

    /// The rows as items, decorated for `reader`.
    async fn items(&self, rows: &[DbRow], reader: &PersonId) -> Result<Vec<CommunityItem>, Error> {
        let posts = rows
            .iter()
            .map(|row| self.item_from_row(row))
            .collect::<Result<Vec<_>, _>>()?;
        self.decorate(posts, reader).await
    }

    /// Every post and comment `author` wrote, oldest first (the GDPR export).
    pub(super) async fn community_posts_of(
        &self,
        author: &PersonId,
    ) -> Result<Vec<CommunityPost>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    item_columns!(),
                    " WHERE p.author_id = $1 ORDER BY p.posted_at, p.id"
                ))
                .bind(author.as_str()),
            )
            .await?;
        rows.iter().map(|row| self.item_from_row(row)).collect()
    }

    /// Appends the audit entry of a community action to `tx`.
    async fn audit_community_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        actor: &PersonId,
        action: &str,
        subject: Option<&PersonId>,
        detail: serde_json::Value,
        at: Timestamp,
    ) -> Result<(), Error> {
        Self::append_audit_in(
            tx,
            AuditEntry {
                at,
                actor_id: Some(actor.clone()),
                action: AuditAction::new(action)?,
                subject_patient_id: subject.cloned(),
                detail,
            },
        )
        .await?;
        Ok(())
    }
}

impl CommunityStore for SqlStore {
    async fn create_channel(
        &self,
        admin: &PersonId,
        name: &str,
        description: &str,
        at: Timestamp,
    ) -> Result<CommunityChannel, Error> {
        let id = new_id()?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO community_channels \
             (id, name, name_key, description, created_by, created_at, archived_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        )
        .bind(&id)
        .bind(name)
        .bind(name_key(name))
        .bind(description)
        .bind(admin.as_str())
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        Self::audit_community_in(
            &mut tx,
            admin,
            "community_channel_created",
            None,
            serde_json::json!({ "channel_id": id }),
            at,
        )
        .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(CommunityChannel {
            id,
            name: name.to_owned(),
            description: description.to_owned(),
            created_at: at,
            archived_at: None,
        })
    }

    async fn update_channel(
        &self,
        admin: &PersonId,
        channel_id: &str,
        change: ChannelChange,
        at: Timestamp,
    ) -> Result<CommunityChannel, Error> {
        let mut tx = self.begin_write().await?;
        let result = sqlx::query(
            "UPDATE community_channels SET \
               name = COALESCE($2, name), name_key = COALESCE($3, name_key), \
               description = COALESCE($4, description), \
               archived_at = CASE WHEN $5 = 1 THEN COALESCE(archived_at, $6) \
                                  WHEN $5 = 0 THEN NULL ELSE archived_at END \
             WHERE id = $1",
        )
        .bind(channel_id)
        .bind(change.name.as_deref())
        .bind(change.name.as_deref().map(name_key))
        .bind(change.description.as_deref())
        .bind(change.archived.map(i64::from))
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if result.affected() == 0 {
            return Err(not_found("channel", channel_id));
        }
        let row = sqlx::query(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM community_channels WHERE id = $1"
        ))
        .bind(channel_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let channel = channel_from_row(&row)?;
        Self::audit_community_in(
            &mut tx,
            admin,
            "community_channel_changed",
            None,
            serde_json::json!({
                "channel_id": channel_id,
                "renamed": change.name.is_some(),
                "archived": channel.archived_at.is_some(),
            }),
            at,
        )
        .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(channel)
    }

    async fn community_channels(
        &self,
        include_archived: bool,
    ) -> Result<Vec<CommunityChannel>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(&format!(
                    "SELECT {CHANNEL_COLUMNS} FROM community_channels \
                     WHERE archived_at IS NULL OR $1 = 1 ORDER BY name_key"
                ))
                .bind(i64::from(include_archived)),
            )
            .await?;
        rows.iter().map(channel_from_row).collect()
    }

    async fn community_channel(&self, channel_id: &str) -> Result<CommunityChannel, Error> {
        let row = sqlx::query(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM community_channels WHERE id = $1"
        ))
        .bind(channel_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("channel", channel_id))?;
        channel_from_row(&row)
    }

    async fn community_member(
        &self,
        person_id: &PersonId,
    ) -> Result<Option<CommunityMember>, Error> {
        let row = sqlx::query(&format!("{MEMBER} WHERE m.person_id = $1"))
            .bind(person_id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(member_from_row).transpose()
    }

    async fn set_pseudonym(
        &self,
        person_id: &PersonId,
        pseudonym: &str,
        at: Timestamp,
    ) -> Result<CommunityMember, Error> {
        let mut tx = self.begin_write().await?;
        Self::lock_member_role_in(&mut tx, person_id).await?;
        sqlx::query(
            "INSERT INTO community_members \
             (person_id, id, pseudonym, pseudonym_key, joined_at, renamed_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (person_id) DO UPDATE SET pseudonym = excluded.pseudonym, \
               pseudonym_key = excluded.pseudonym_key, renamed_at = excluded.renamed_at",
        )
        .bind(person_id.as_str())
        .bind(new_id()?)
        .bind(pseudonym)
        .bind(name_key(pseudonym))
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let row = sqlx::query(&format!("{MEMBER} WHERE m.person_id = $1"))
            .bind(person_id.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        tx.commit().await.map_err(from_sqlx)?;
        member_from_row(&row)
    }

    async fn write_community_post(
        &self,
        author: &PersonId,
        target: PostTarget<'_>,
        text: &Screened,
        limit: PostingLimit,
        at: Timestamp,
    ) -> Result<CommunityPost, Error> {
        let mut tx = self.begin_write().await?;
        let role = Self::lock_member_in(&mut tx, author).await?;
        let (channel_id, parent_id) = match target {
            PostTarget::Channel(channel_id) => (channel_id.to_owned(), None),
            PostTarget::Comment(post_id) => {
                let parent = self.item_in(&mut tx, post_id).await?;
                let relation = Self::relation_in(&mut tx, author, &parent.author_id).await?;
                if !visible_to(parent.status, &parent.author_id, author, relation, false) {
                    return Err(Error::CommunityRefused(CommunityRefusal::NotVisible));
                }
                if parent.parent_id.is_some() || parent.status != PostStatus::Published {
                    return Err(Error::CommunityRefused(CommunityRefusal::NotCommentable));
                }
                if Self::relation_in(&mut tx, &parent.author_id, author).await?
                    == Some(Relation::Blocked)
                {
                    return Err(Error::CommunityRefused(CommunityRefusal::Blocked));
                }
                (parent.channel_id, Some(parent.id))
            }
        };
        Self::check_channel_open_in(&mut tx, &channel_id).await?;
        Self::check_limit_in(&mut tx, author, limit, at).await?;
        let id = new_id()?;
        let status = status_after_screening(text.outcome());
        let level = risk_level_name(match text.outcome() {
            ScreeningOutcome::Assessed { level, .. } => Some(*level),
            ScreeningOutcome::FailedClosed => None,
        });
        sqlx::query(
            "INSERT INTO community_posts \
             (id, channel_id, parent_id, author_id, body, posted_at, status, risk_level) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(&channel_id)
        .bind(parent_id.as_deref())
        .bind(author.as_str())
        .bind(seal(&self.cipher, POSTS, "body", &id, text.text())?)
        .bind(at.unix_seconds())
        .bind(status.as_str())
        .bind(level)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        // What a patient writes may be a disclosure about themself; a clinician's
        // words are not (their risky item is still held, for its readers' sake).
        let alerted = if role == Role::Patient {
            Self::record_screening_in(
                &mut tx,
                &self.alerting,
                author,
                AlertSource::Community,
                &id,
                text,
                at,
            )
            .await?
        } else {
            false
        };
        let post = self.item_in(&mut tx, &id).await?;
        self.notify_reply_in(&mut tx, &post, at).await?;
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
        Ok(post)
    }

    async fn community_post(&self, post_id: &str) -> Result<CommunityPost, Error> {
        let row = sqlx::query(concat!("SELECT ", item_columns!(), " WHERE p.id = $1"))
            .bind(post_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("community post", post_id))?;
        self.item_from_row(&row)
    }

    async fn community_relation(
        &self,
        person_id: &PersonId,
        other: &PersonId,
    ) -> Result<Option<Relation>, Error> {
        let kind: Option<String> = sqlx::query_scalar(
            "SELECT kind FROM community_relations WHERE person_id = $1 AND other_id = $2",
        )
        .bind(person_id.as_str())
        .bind(other.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        kind.map(|kind| named(&kind, Relation::from_name, "community_relations", "kind"))
            .transpose()
    }

    async fn community_item(
        &self,
        post_id: &str,
        reader: &PersonId,
    ) -> Result<CommunityItem, Error> {
        let post = self.community_post(post_id).await?;
        self.decorate(vec![post], reader)
            .await?
            .pop()
            .ok_or_else(|| not_found("community post", post_id))
    }

    async fn channel_page(
        &self,
        channel_id: &str,
        reader: &PersonId,
        page: Page,
    ) -> Result<Vec<CommunityItem>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    item_columns!(),
                    " WHERE p.channel_id = $1 AND p.parent_id IS NULL AND ",
                    visible_to_reader!(),
                    " ORDER BY p.posted_at DESC, p.id DESC LIMIT $3 OFFSET $4"
                ))
                .bind(channel_id)
                .bind(reader.as_str())
                .bind(limit)
                .bind(offset),
            )
            .await?;
        self.items(&rows, reader).await
    }

    async fn comments_page(
        &self,
        post_id: &str,
        reader: &PersonId,
        moderator: bool,
        page: Page,
    ) -> Result<Vec<CommunityItem>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    item_columns!(),
                    " WHERE p.parent_id = $1 AND ($5 = 1 OR ",
                    visible_to_reader!(),
                    ") ORDER BY p.posted_at, p.id LIMIT $3 OFFSET $4"
                ))
                .bind(post_id)
                .bind(reader.as_str())
                .bind(limit)
                .bind(offset)
                .bind(i64::from(moderator)),
            )
            .await?;
        self.items(&rows, reader).await
    }

    async fn toggle_reaction(
        &self,
        post_id: &str,
        person_id: &PersonId,
        kind: ReactionKind,
        at: Timestamp,
    ) -> Result<CommunityItem, Error> {
        let mut tx = self.begin_write().await?;
        Self::lock_member_in(&mut tx, person_id).await?;
        let post = self.item_in(&mut tx, post_id).await?;
        if post.status != PostStatus::Published {
            return Err(Error::CommunityRefused(CommunityRefusal::NotVisible));
        }
        let added = sqlx::query(
            "INSERT INTO community_reactions (post_id, person_id, kind, at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (post_id, person_id, kind) DO NOTHING",
        )
        .bind(post_id)
        .bind(person_id.as_str())
        .bind(kind.as_str())
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .affected()
            == 1;
        if !added {
            sqlx::query(
                "DELETE FROM community_reactions WHERE post_id = $1 AND person_id = $2 AND kind = $3",
            )
            .bind(post_id)
            .bind(person_id.as_str())
            .bind(kind.as_str())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        }
        tx.commit().await.map_err(from_sqlx)?;
        self.community_item(post_id, person_id).await
    }

    async fn set_relation(
        &self,
        person_id: &PersonId,
        member_id: &str,
        relation: Option<Relation>,
        at: Timestamp,
    ) -> Result<CommunityMember, Error> {
        let mut tx = self.begin_write().await?;
        Self::lock_member_in(&mut tx, person_id).await?;
        let row = sqlx::query(&format!("{MEMBER} WHERE m.id = $1"))
            .bind(member_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("community member", member_id))?;
        let other = member_from_row(&row)?;
        if &other.person_id == person_id {
            return Err(Error::CommunityRefused(CommunityRefusal::Yourself));
        }
        match relation {
            Some(relation) => sqlx::query(
                "INSERT INTO community_relations (person_id, other_id, kind, at) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (person_id, other_id) DO UPDATE SET kind = excluded.kind, at = excluded.at",
            )
            .bind(person_id.as_str())
            .bind(other.person_id.as_str())
            .bind(relation.as_str())
            .bind(at.unix_seconds()),
            None => sqlx::query(
                "DELETE FROM community_relations WHERE person_id = $1 AND other_id = $2",
            )
            .bind(person_id.as_str())
            .bind(other.person_id.as_str()),
        }
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(other)
    }

    async fn report_community_post(
        &self,
        post_id: &str,
        reporter: &PersonId,
        reason: CommunityReason,
        note: Option<&Screened>,
        at: Timestamp,
    ) -> Result<CommunityReport, Error> {
        let mut tx = self.begin_write().await?;
        let role = Self::lock_member_in(&mut tx, reporter).await?;
        let post = self.item_in(&mut tx, post_id).await?;
        if &post.author_id == reporter {
            return Err(Error::CommunityRefused(CommunityRefusal::Yourself));
        }
        let id = new_id()?;
        let sealed = note
            .map(|note| seal(&self.cipher, "community_reports", "note", &id, note.text()))
            .transpose()?;
        sqlx::query(
            "INSERT INTO community_reports (id, post_id, reporter_id, reason, note, at, settled_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        )
        .bind(&id)
        .bind(post_id)
        .bind(reporter.as_str())
        .bind(reason.as_str())
        .bind(sealed)
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let alerted = match note {
            Some(note) if role == Role::Patient => {
                Self::record_screening_in(
                    &mut tx,
                    &self.alerting,
                    reporter,
                    AlertSource::Community,
                    &id,
                    note,
                    at,
                )
                .await?
            }
            _ => false,
        };
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
        Ok(CommunityReport {
            id,
            post_id: post_id.to_owned(),
            reason,
            at,
        })
    }

    async fn report_notes(&self, post_id: &str) -> Result<Vec<ReportView>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(
                    "SELECT id, reason, note, at FROM community_reports \
                     WHERE post_id = $1 AND settled_at IS NULL ORDER BY at, id",
                )
                .bind(post_id),
            )
            .await?;
        let table = "community_reports";
        rows.iter()
            .map(|row| {
                let id: String = column(row, "id")?;
                let reason: String = column(row, "reason")?;
                let note: Option<Vec<u8>> = column(row, "note")?;
                Ok(ReportView {
                    reason: named(&reason, CommunityReason::from_name, table, "reason")?,
                    note: note
                        .map(|sealed| open(&self.cipher, table, "note", &id, &sealed))
                        .transpose()?,
                    at: instant(column(row, "at")?, table, "at")?,
                })
            })
            .collect()
    }

    async fn moderation_queue(
        &self,
        moderator: &PersonId,
        page: Page,
    ) -> Result<Vec<CommunityItem>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    item_columns!(),
                    " WHERE p.status = 'held' OR (p.status <> 'removed' AND EXISTS \
                       (SELECT 1 FROM community_reports cr \
                        WHERE cr.post_id = p.id AND cr.settled_at IS NULL)) \
                     ORDER BY p.posted_at, p.id LIMIT $1 OFFSET $2"
                ))
                .bind(limit)
                .bind(offset),
            )
            .await?;
        self.items(&rows, moderator).await
    }

    async fn moderate_community_post(
        &self,
        post_id: &str,
        moderator: &PersonId,
        action: ModerationAction,
        reason: Option<CommunityReason>,
        at: Timestamp,
    ) -> Result<CommunityPost, Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query(&format!(
            "SELECT id FROM community_posts WHERE id = $1 {ROW_LOCK}"
        ))
        .bind(post_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("community post", post_id))?;
        let before = self.item_in(&mut tx, post_id).await?;
        let to = moderate(before.status, action).map_err(Error::CommunityRefused)?;
        sqlx::query(
            "UPDATE community_posts SET status = $2, moderator_id = $3, moderation_at = $4, \
               moderation_reason = $5 WHERE id = $1",
        )
        .bind(post_id)
        .bind(to.as_str())
        .bind(moderator.as_str())
        .bind(at.unix_seconds())
        .bind(reason.map(CommunityReason::as_str))
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let settled = sqlx::query(
            "UPDATE community_reports SET settled_at = $2 WHERE post_id = $1 AND settled_at IS NULL",
        )
        .bind(post_id)
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .affected();
        // The author is the subject when they are a patient: moderation of what
        // they wrote is part of their record's history.
        let subject = (!before.author_is_clinician).then_some(&before.author_id);
        Self::audit_community_in(
            &mut tx,
            moderator,
            "community_post_moderated",
            subject,
            serde_json::json!({
                "post_id": post_id,
                "action": action.as_str(),
                "from": before.status.as_str(),
                "to": to.as_str(),
                "reason": reason.map(CommunityReason::as_str),
                "reports_settled": settled,
            }),
            at,
        )
        .await?;
        let after = self.item_in(&mut tx, post_id).await?;
        if before.status != PostStatus::Published {
            // A held comment approved: its post's author hears of it now.
            self.notify_reply_in(&mut tx, &after, at).await?;
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(after)
    }

    async fn community_posts(&self, page: Page) -> Result<Vec<CommunityPost>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    item_columns!(),
                    " WHERE p.status = 'published' ORDER BY p.posted_at DESC, p.id LIMIT $1 OFFSET $2"
                ))
                .bind(limit)
                .bind(offset),
            )
            .await?;
        rows.iter().map(|row| self.item_from_row(row)).collect()
    }
}

impl SqlStore {
    /// Refuses admins (who do not take part) before a member row is made.
    async fn lock_member_role_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        person_id: &PersonId,
    ) -> Result<(), Error> {
        let role: Option<String> =
            sqlx::query_scalar(&format!("SELECT role FROM users WHERE id = $1 {ROW_LOCK}"))
                .bind(person_id.as_str())
                .fetch_optional(&mut **tx)
                .await
                .map_err(from_sqlx)?;
        let role = named(
            &role.ok_or_else(|| not_found("user", person_id.as_str()))?,
            Role::from_name,
            "users",
            "role",
        )?;
        if may_take_part(role) {
            Ok(())
        } else {
            Err(Error::CommunityRefused(CommunityRefusal::NotAMember))
        }
    }
}
