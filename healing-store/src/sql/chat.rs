//! The AI companion chat ([`ChatStore`]): each patient's conversation as numbered,
//! sealed messages, with the screening of the patient's words (and of any model
//! reply withheld) stored in the same transaction. A withheld model reply is kept
//! sealed in its fallback's `withheld_body`, which no conversation read selects:
//! only [`ChatStore::withheld_chat_reply`] opens it, for the alert's reviewer.
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use super::common::{column, not_found};
use super::{Db, DbRow, ROW_LOCK, SqlStore};
use crate::Error;
use crate::contract::ChatStore;
use crate::convert::{instant, named, new_id, open, page_bounds, person, seal};
use crate::error::from_sqlx;
use crate::records::{
    Alert, AlertSource, ChatAuthor, ChatMessage, ChatSource, NewChatReply, Page, Screened,
};

/// The table, as bound into each sealed body's associated data.
const TABLE: &str = "chat_messages";

/// The columns `chat_message_from_row` reads.
macro_rules! chat_columns {
    () => {
        "id, patient_id, seq, author, source, body, model_may_read, written_at"
    };
}

impl SqlStore {
    fn chat_message_from_row(&self, row: &DbRow) -> Result<ChatMessage, Error> {
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        let author: String = column(row, "author")?;
        let source: Option<String> = column(row, "source")?;
        Ok(ChatMessage {
            body: open(&self.cipher, TABLE, "body", &id, &body)?,
            patient_id: person(column(row, "patient_id")?, TABLE, "patient_id")?,
            seq: column(row, "seq")?,
            author: named(&author, ChatAuthor::from_name, TABLE, "author")?,
            source: source
                .map(|source| named(&source, ChatSource::from_name, TABLE, "source"))
                .transpose()?,
            model_may_read: column(row, "model_may_read")?,
            written_at: instant(column(row, "written_at")?, TABLE, "written_at")?,
            id,
        })
    }

    /// The patient's whole conversation, oldest first (the GDPR export).
    pub(super) async fn chat_conversation(
        &self,
        patient_id: &PersonId,
    ) -> Result<Vec<ChatMessage>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    chat_columns!(),
                    " FROM chat_messages WHERE patient_id = $1 ORDER BY seq"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter()
            .map(|row| self.chat_message_from_row(row))
            .collect()
    }

    /// Inserts the next message of the patient's conversation in `tx`, with the
    /// patient's row locked so two messages written at once get distinct numbers,
    /// and `withheld` (a model reply screening stopped) sealed beside it.
    async fn insert_chat_message_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        message: ChatMessage,
        withheld: Option<&str>,
    ) -> Result<ChatMessage, Error> {
        let patient = message.patient_id.as_str();
        sqlx::query(&format!("SELECT id FROM users WHERE id = $1 {ROW_LOCK}"))
            .bind(patient)
            .fetch_optional(&mut **tx)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("user", patient))?;
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(seq) FROM chat_messages WHERE patient_id = $1")
                .bind(patient)
                .fetch_one(&mut **tx)
                .await
                .map_err(from_sqlx)?;
        let seq = last.unwrap_or(0) + 1;
        let sealed = seal(&self.cipher, TABLE, "body", &message.id, &message.body)?;
        let withheld = withheld
            .map(|text| seal(&self.cipher, TABLE, "withheld_body", &message.id, text))
            .transpose()?;
        sqlx::query(
            "INSERT INTO chat_messages \
             (id, patient_id, seq, author, source, body, model_may_read, written_at, withheld_body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&message.id)
        .bind(patient)
        .bind(seq)
        .bind(message.author.as_str())
        .bind(message.source.map(ChatSource::as_str))
        .bind(sealed)
        .bind(message.model_may_read)
        .bind(message.written_at.unix_seconds())
        .bind(withheld)
        .execute(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        Ok(ChatMessage { seq, ..message })
    }

    /// Stores a message and, when given, a screening of it with what that raises
    /// (its safety event and any alert, from `source`), in one transaction; wakes
    /// the delivery worker after commit when an alert was raised. For a withheld
    /// model reply the screening is the model's text, kept sealed with the row.
    async fn store_chat_message(
        &self,
        message: ChatMessage,
        screening: Option<(AlertSource, &Screened)>,
    ) -> Result<ChatMessage, Error> {
        let at = message.written_at;
        let patient_id = message.patient_id.clone();
        let withheld = match screening {
            Some((AlertSource::ChatReplyWithheld, withheld)) => Some(withheld.text()),
            _ => None,
        };
        let mut tx = self.begin_write().await?;
        let stored = self
            .insert_chat_message_in(&mut tx, message, withheld)
            .await?;
        let mut alerted = false;
        if let Some((source, screened)) = screening {
            alerted = Self::record_screening_in(
                &mut tx,
                &self.alerting,
                &patient_id,
                source,
                &stored.id,
                screened,
                at,
            )
            .await?;
        }
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
        Ok(stored)
    }
}

impl ChatStore for SqlStore {
    async fn add_chat_message(
        &self,
        patient_id: &PersonId,
        message: &Screened,
        model_may_read: bool,
        at: Timestamp,
    ) -> Result<ChatMessage, Error> {
        let draft = ChatMessage {
            id: new_id()?,
            patient_id: patient_id.clone(),
            seq: 0,
            author: ChatAuthor::Patient,
            source: None,
            body: message.text().to_owned(),
            model_may_read,
            written_at: at,
        };
        self.store_chat_message(draft, Some((AlertSource::Chat, message)))
            .await
    }

    async fn add_chat_reply(
        &self,
        patient_id: &PersonId,
        reply: &NewChatReply,
        at: Timestamp,
    ) -> Result<ChatMessage, Error> {
        let draft = ChatMessage {
            id: new_id()?,
            patient_id: patient_id.clone(),
            seq: 0,
            author: ChatAuthor::Companion,
            source: Some(reply.source),
            body: reply.body.clone(),
            model_may_read: reply.model_may_read,
            written_at: at,
        };
        let screening = reply
            .withheld
            .as_ref()
            .map(|withheld| (AlertSource::ChatReplyWithheld, withheld));
        self.store_chat_message(draft, screening).await
    }

    async fn chat_messages(
        &self,
        patient_id: &PersonId,
        page: Page,
    ) -> Result<Vec<ChatMessage>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    chat_columns!(),
                    " FROM chat_messages WHERE patient_id = $1 \
                     ORDER BY seq DESC LIMIT $2 OFFSET $3"
                ))
                .bind(patient_id.as_str())
                .bind(limit)
                .bind(offset),
            )
            .await?;
        rows.iter()
            .map(|row| self.chat_message_from_row(row))
            .collect()
    }

    async fn chat_context(
        &self,
        patient_id: &PersonId,
        limit: u32,
    ) -> Result<Vec<ChatMessage>, Error> {
        let (limit, _) = page_bounds(Page::first(limit));
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    chat_columns!(),
                    " FROM chat_messages WHERE patient_id = $1 AND model_may_read = $2 \
                     ORDER BY seq DESC LIMIT $3"
                ))
                .bind(patient_id.as_str())
                .bind(true)
                .bind(limit),
            )
            .await?;
        let mut messages = rows
            .iter()
            .map(|row| self.chat_message_from_row(row))
            .collect::<Result<Vec<_>, _>>()?;
        messages.reverse();
        Ok(messages)
    }

    async fn withheld_chat_reply(&self, alert: &Alert) -> Result<Option<String>, Error> {
        let (AlertSource::ChatReplyWithheld, Some(message_id)) = (alert.source, &alert.source_id)
        else {
            return Ok(None);
        };
        let row = sqlx::query(
            "SELECT withheld_body FROM chat_messages WHERE id = $1 AND patient_id = $2",
        )
        .bind(message_id)
        .bind(alert.patient_id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let sealed: Option<Vec<u8>> = column(&row, "withheld_body")?;
        sealed
            .map(|sealed| open(&self.cipher, TABLE, "withheld_body", message_id, &sealed))
            .transpose()
    }
}
