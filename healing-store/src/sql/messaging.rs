//! Messaging and community: direct messages and community posts
//! ([`MessagingStore`]).
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use super::common::{column, expect_row};
use super::{DbRow, SqlStore};
use crate::Error;
use crate::contract::MessagingStore;
use crate::convert::{
    instant, new_id, open, optional_instant, optional_risk_level, page_bounds, person,
    risk_level_name, seal,
};
use crate::error::from_sqlx;
use crate::records::*;

macro_rules! message_columns {
    () => {
        "id, sender_id, recipient_id, body, sent_at, risk_level, read_at"
    };
}
pub(super) use message_columns;

macro_rules! post_columns {
    () => {
        "id, author_id, body, posted_at, risk_level, hidden_at"
    };
}
pub(super) use post_columns;

impl SqlStore {
    pub(super) fn message_from_row(&self, row: &DbRow) -> Result<Message, Error> {
        let table = "messages";
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        Ok(Message {
            body: open(&self.cipher, table, "body", &id, &body)?,
            sender_id: person(column(row, "sender_id")?, table, "sender_id")?,
            recipient_id: person(column(row, "recipient_id")?, table, "recipient_id")?,
            sent_at: instant(column(row, "sent_at")?, table, "sent_at")?,
            risk_level: optional_risk_level(column(row, "risk_level")?, table, "risk_level")?,
            read_at: optional_instant(column(row, "read_at")?, table, "read_at")?,
            id,
        })
    }

    pub(super) fn post_from_row(&self, row: &DbRow) -> Result<CommunityPost, Error> {
        let table = "community_posts";
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        Ok(CommunityPost {
            body: open(&self.cipher, table, "body", &id, &body)?,
            author_id: person(column(row, "author_id")?, table, "author_id")?,
            posted_at: instant(column(row, "posted_at")?, table, "posted_at")?,
            risk_level: optional_risk_level(column(row, "risk_level")?, table, "risk_level")?,
            hidden_at: optional_instant(column(row, "hidden_at")?, table, "hidden_at")?,
            id,
        })
    }
}

impl MessagingStore for SqlStore {
    async fn send_message(&self, message: NewMessage) -> Result<Message, Error> {
        let id = new_id()?;
        let sealed = seal(&self.cipher, "messages", "body", &id, &message.body)?;
        sqlx::query(concat!(
            "INSERT INTO messages (",
            message_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, NULL)"
        ))
        .bind(&id)
        .bind(message.sender_id.as_str())
        .bind(message.recipient_id.as_str())
        .bind(sealed)
        .bind(message.sent_at.unix_seconds())
        .bind(risk_level_name(message.risk_level))
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(Message {
            id,
            sender_id: message.sender_id,
            recipient_id: message.recipient_id,
            body: message.body,
            sent_at: message.sent_at,
            risk_level: message.risk_level,
            read_at: None,
        })
    }

    async fn messages_between(
        &self,
        first: &PersonId,
        second: &PersonId,
        page: Page,
    ) -> Result<Vec<Message>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    message_columns!(),
                    " FROM messages \
                     WHERE (sender_id = $1 AND recipient_id = $2) \
                        OR (sender_id = $2 AND recipient_id = $1) \
                     ORDER BY sent_at, id LIMIT $3 OFFSET $4"
                ))
                .bind(first.as_str())
                .bind(second.as_str())
                .bind(limit)
                .bind(offset),
            )
            .await?;
        rows.iter().map(|row| self.message_from_row(row)).collect()
    }

    async fn mark_message_read(
        &self,
        message_id: &str,
        recipient_id: &PersonId,
        at: Timestamp,
    ) -> Result<(), Error> {
        expect_row(
            sqlx::query(
                "UPDATE messages SET read_at = $3 \
                 WHERE id = $1 AND recipient_id = $2 AND read_at IS NULL",
            )
            .bind(message_id)
            .bind(recipient_id.as_str())
            .bind(at.unix_seconds())
            .execute(&self.pool)
            .await,
            "unread message",
            message_id,
        )
    }

    async fn add_community_post(&self, post: NewCommunityPost) -> Result<CommunityPost, Error> {
        let id = new_id()?;
        let sealed = seal(&self.cipher, "community_posts", "body", &id, &post.body)?;
        sqlx::query(concat!(
            "INSERT INTO community_posts (",
            post_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, NULL)"
        ))
        .bind(&id)
        .bind(post.author_id.as_str())
        .bind(sealed)
        .bind(post.posted_at.unix_seconds())
        .bind(risk_level_name(post.risk_level))
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(CommunityPost {
            id,
            author_id: post.author_id,
            body: post.body,
            posted_at: post.posted_at,
            risk_level: post.risk_level,
            hidden_at: None,
        })
    }

    async fn community_posts(&self, page: Page) -> Result<Vec<CommunityPost>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    post_columns!(),
                    " FROM community_posts WHERE hidden_at IS NULL \
                     ORDER BY posted_at DESC, id LIMIT $1 OFFSET $2"
                ))
                .bind(limit)
                .bind(offset),
            )
            .await?;
        rows.iter().map(|row| self.post_from_row(row)).collect()
    }

    async fn hide_community_post(&self, post_id: &str, at: Timestamp) -> Result<(), Error> {
        expect_row(
            sqlx::query("UPDATE community_posts SET hidden_at = $2 WHERE id = $1")
                .bind(post_id)
                .bind(at.unix_seconds())
                .execute(&self.pool)
                .await,
            "community post",
            post_id,
        )
    }
}
