//! Notifications, their email outbox, and preferences ([`NotificationStore`]).
//!
//! A notification is written by [`SqlStore::notify_in`] inside the transaction of
//! the event it announces (a message, an alert, and later appointments and
//! replies), so it exists exactly when the event does. When the person has that
//! kind by email (their [`Preferences`]; a patient also needs their
//! `email_notifications` consent in force) and the server has SMTP, the same
//! transaction writes an outbox row; a worker claims it under a lease, sends a
//! fixed email that names only the kind, and records the attempt, so an email is
//! never lost to a restart and is sent again only if a worker died mid-send.
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use super::common::{column, not_found};
use super::{Db, DbRow, ROW_LOCK, SKIP_LOCKED, SqlStore};
use crate::Error;
use crate::alerting::{AttemptOutcome, AttemptRecorded, retry_delay_seconds};
use crate::cipher::fill_random;
use crate::contract::NotificationStore;
use crate::convert::{
    corrupt, count, instant, json_text, named, new_id, optional_instant, page_bounds, person,
};
use crate::error::from_sqlx;
use crate::notifications::Preferences;
use crate::records::*;
use crate::sql::AffectedRows;

macro_rules! notification_columns {
    () => {
        "id, user_id, kind, subject_id, created_at, read_at"
    };
}

/// Most outbox rows claimed in one transaction.
const BATCH: i64 = 50;

impl SqlStore {
    fn notification_from_row(row: &DbRow) -> Result<Notification, Error> {
        let table = "notifications";
        let kind: String = column(row, "kind")?;
        Ok(Notification {
            id: column(row, "id")?,
            user_id: person(column(row, "user_id")?, table, "user_id")?,
            kind: named(&kind, NotificationKind::from_name, table, "kind")?,
            subject_id: column(row, "subject_id")?,
            created_at: instant(column(row, "created_at")?, table, "created_at")?,
            read_at: optional_instant(column(row, "read_at")?, table, "read_at")?,
        })
    }

    fn preferences_from_row(row: &DbRow) -> Result<Preferences, Error> {
        let table = "user_preferences";
        let theme: String = column(row, "theme")?;
        let email_kinds: String = column(row, "email_kinds")?;
        let names: Vec<String> = serde_json::from_str(&email_kinds)
            .map_err(|error| corrupt(table, "email_kinds", error.to_string()))?;
        let email = names
            .iter()
            .map(|name| named(name, NotificationKind::from_name, table, "email_kinds"))
            .collect::<Result<Vec<_>, _>>()?;
        let lead: i32 = column(row, "reminder_lead_hours")?;
        Ok(Preferences {
            theme: named(&theme, Theme::from_name, table, "theme")?,
            language: column(row, "language")?,
            email,
            reminder_lead_hours: u16::try_from(lead)
                .map_err(|_| corrupt(table, "reminder_lead_hours", "out of range"))?,
        })
    }

    /// The person's preferences read in `tx`, or the defaults if they never chose.
    async fn preferences_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        user_id: &PersonId,
    ) -> Result<Preferences, Error> {
        sqlx::query(
            "SELECT theme, language, email_kinds, reminder_lead_hours \
             FROM user_preferences WHERE user_id = $1",
        )
        .bind(user_id.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?
        .as_ref()
        .map_or_else(|| Ok(Preferences::default()), Self::preferences_from_row)
    }

    /// Notifies `recipient` of `kind` about `subject_id` inside the event's own
    /// transaction `tx` — the one function every event that notifies calls.
    ///
    /// An unread notification of the same kind and subject is moved to `at` instead
    /// of a second being added (a unique index on unread rows decides, so
    /// concurrent events cannot add two). A new notification also queues an email
    /// when `email_configured` (the store's [`notification_email`](crate::ConnectOptions::notification_email):
    /// pass `self.notification_email`) and the recipient has this kind by email.
    pub(super) async fn notify_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        email_configured: bool,
        recipient: &PersonId,
        kind: NotificationKind,
        subject_id: &str,
        at: Timestamp,
    ) -> Result<(), Error> {
        let id = new_id()?;
        let added = sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, subject_id, created_at, read_at) \
             VALUES ($1, $2, $3, $4, $5, NULL) \
             ON CONFLICT (user_id, kind, subject_id) WHERE read_at IS NULL DO NOTHING",
        )
        .bind(&id)
        .bind(recipient.as_str())
        .bind(kind.as_str())
        .bind(subject_id)
        .bind(at.unix_seconds())
        .execute(&mut **tx)
        .await
        .map_err(from_sqlx)?
        .affected()
            == 1;
        if !added {
            sqlx::query(
                "UPDATE notifications SET created_at = $4 \
                 WHERE user_id = $1 AND kind = $2 AND subject_id = $3 AND read_at IS NULL",
            )
            .bind(recipient.as_str())
            .bind(kind.as_str())
            .bind(subject_id)
            .bind(at.unix_seconds())
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
            return Ok(());
        }
        if email_configured && Self::emails_in(tx, recipient, kind, at).await? {
            sqlx::query(
                "INSERT INTO notification_emails (id, notification_id, user_id, kind, state, \
                 attempts, next_attempt_at, lease_until, created_at, sent_at) \
                 VALUES ($1, $2, $3, $4, 'pending', 0, $5, NULL, $5, NULL)",
            )
            .bind(new_id()?)
            .bind(&id)
            .bind(recipient.as_str())
            .bind(kind.as_str())
            .bind(at.unix_seconds())
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        }
        Ok(())
    }

    /// Whether `recipient` is emailed about `kind` at `at`, read in `tx`: an
    /// enabled account that has the kind by email and, for a patient, whose
    /// `email_notifications` consent is in force
    /// ([`email_consent_in_force`](crate::notifications::email_consent_in_force)).
    pub(super) async fn emails_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        recipient: &PersonId,
        kind: NotificationKind,
        at: Timestamp,
    ) -> Result<bool, Error> {
        let Some(account) = sqlx::query("SELECT role, disabled_at FROM users WHERE id = $1")
            .bind(recipient.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(from_sqlx)?
        else {
            return Ok(false);
        };
        if column::<Option<i64>>(&account, "disabled_at")?.is_some()
            || !Self::preferences_in(tx, recipient).await?.emails(kind)
        {
            return Ok(false);
        }
        let role: String = column(&account, "role")?;
        if named(&role, Role::from_name, "users", "role")? != Role::Patient {
            return Ok(true);
        }
        let rows = sqlx::query(
            "SELECT person_id, purpose, decision, at, wording_version, recorded_by_staff_id \
             FROM consent_events WHERE person_id = $1 ORDER BY seq",
        )
        .bind(recipient.as_str())
        .fetch_all(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        let events = rows
            .iter()
            .map(Self::consent_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        crate::notifications::email_consent_in_force(recipient, events, at)
    }

    /// Notifies in `tx` the people an alert is for: the patient's linked
    /// clinicians (`linked`), or, for an alert routed to the duty contact, every
    /// enabled admin (the duty contact's role in the app).
    pub(super) async fn notify_alert_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        alert_id: &str,
        linked: &[PersonId],
        at: Timestamp,
    ) -> Result<(), Error> {
        let recipients = if linked.is_empty() {
            let rows = sqlx::query(
                "SELECT id FROM users WHERE role = $1 AND disabled_at IS NULL ORDER BY id",
            )
            .bind(Role::Admin.as_str())
            .fetch_all(&mut **tx)
            .await
            .map_err(from_sqlx)?;
            rows.iter()
                .map(|row| person(column(row, "id")?, "users", "id"))
                .collect::<Result<Vec<_>, _>>()?
        } else {
            linked.to_vec()
        };
        for recipient in &recipients {
            // Alerts are in the app only here: their emails are the alert outbox's.
            Self::notify_in(tx, false, recipient, NotificationKind::Alert, alert_id, at).await?;
        }
        Ok(())
    }
}

impl NotificationStore for SqlStore {
    async fn notifications(
        &self,
        user_id: &PersonId,
        page: Page,
    ) -> Result<NotificationPage, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    notification_columns!(),
                    " FROM notifications WHERE user_id = $1 \
                     ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
                ))
                .bind(user_id.as_str())
                .bind(limit)
                .bind(offset),
            )
            .await?;
        let counts = sqlx::query(
            "SELECT COUNT(*) AS total, \
                    COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) AS unread \
             FROM notifications WHERE user_id = $1",
        )
        .bind(user_id.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(from_sqlx)?;
        let total: i64 = column(&counts, "total")?;
        let unread: i64 = column(&counts, "unread")?;
        Ok(NotificationPage {
            notifications: rows
                .iter()
                .map(Self::notification_from_row)
                .collect::<Result<_, _>>()?,
            unread: u64::try_from(unread).unwrap_or(0),
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn notification(&self, notification_id: &str) -> Result<Notification, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            notification_columns!(),
            " FROM notifications WHERE id = $1"
        ))
        .bind(notification_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("notification", notification_id))?;
        Self::notification_from_row(&row)
    }

    async fn mark_notification_read(
        &self,
        notification_id: &str,
        user_id: &PersonId,
        at: Timestamp,
    ) -> Result<Notification, Error> {
        let row = sqlx::query(concat!(
            "UPDATE notifications SET read_at = COALESCE(read_at, $3) \
             WHERE id = $1 AND user_id = $2 RETURNING ",
            notification_columns!()
        ))
        .bind(notification_id)
        .bind(user_id.as_str())
        .bind(at.unix_seconds())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("notification", notification_id))?;
        Self::notification_from_row(&row)
    }

    async fn mark_all_notifications_read(
        &self,
        user_id: &PersonId,
        at: Timestamp,
    ) -> Result<u64, Error> {
        Ok(sqlx::query(
            "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id.as_str())
        .bind(at.unix_seconds())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?
        .affected())
    }

    async fn preferences(&self, user_id: &PersonId) -> Result<Preferences, Error> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let preferences = Self::preferences_in(&mut tx, user_id).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(preferences)
    }

    async fn set_preferences(
        &self,
        user_id: &PersonId,
        preferences: &Preferences,
        at: Timestamp,
    ) -> Result<Preferences, Error> {
        let email: Vec<&str> = preferences.email.iter().map(|kind| kind.as_str()).collect();
        let result = sqlx::query(
            "INSERT INTO user_preferences \
             (user_id, theme, language, email_kinds, reminder_lead_hours, updated_at) \
             SELECT u.id, $2, $3, $4, $5, $6 FROM users u WHERE u.id = $1 \
             ON CONFLICT (user_id) DO UPDATE SET theme = excluded.theme, \
               language = excluded.language, email_kinds = excluded.email_kinds, \
               reminder_lead_hours = excluded.reminder_lead_hours, \
               updated_at = excluded.updated_at",
        )
        .bind(user_id.as_str())
        .bind(preferences.theme.as_str())
        .bind(&preferences.language)
        .bind(json_text(&email, "email")?)
        .bind(i32::from(preferences.reminder_lead_hours))
        .bind(at.unix_seconds())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        if result.affected() == 0 {
            return Err(not_found("user", user_id.as_str()));
        }
        Ok(preferences.clone())
    }

    async fn claim_due_notification_emails(
        &self,
        now: Timestamp,
        lease_seconds: i64,
        limit: u32,
    ) -> Result<Vec<ClaimedNotificationEmail>, Error> {
        let due_where = "state = 'pending' AND next_attempt_at <= $1 \
                         AND (lease_until IS NULL OR lease_until <= $1)";
        // Idle polling costs one indexed read, without the write lock.
        let any = sqlx::query(&format!(
            "SELECT id FROM notification_emails WHERE {due_where} LIMIT 1"
        ))
        .bind(now.unix_seconds())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let lease_until = now.checked_add_seconds(lease_seconds.max(1)).unwrap_or(now);
        let mut tx = self.begin_write().await?;
        let ids = sqlx::query(&format!(
            "SELECT id FROM notification_emails WHERE {due_where} \
             ORDER BY next_attempt_at, id LIMIT $2 {SKIP_LOCKED}"
        ))
        .bind(now.unix_seconds())
        .bind(i64::from(limit).min(BATCH))
        .fetch_all(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let mut claimed = Vec::with_capacity(ids.len());
        for row in &ids {
            let id: String = column(row, "id")?;
            let row = sqlx::query(
                "UPDATE notification_emails SET attempts = attempts + 1, lease_until = $2 \
                 WHERE id = $1 RETURNING kind, attempts, user_id",
            )
            .bind(&id)
            .bind(lease_until.unix_seconds())
            .fetch_one(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            let table = "notification_emails";
            let kind: String = column(&row, "kind")?;
            let user_id: String = column(&row, "user_id")?;
            let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                .bind(&user_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(from_sqlx)?;
            claimed.push(ClaimedNotificationEmail {
                kind: named(&kind, NotificationKind::from_name, table, "kind")?,
                attempt: count(column(&row, "attempts")?, table, "attempts")?,
                to: email.unwrap_or_default(),
                id,
            });
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(claimed)
    }

    async fn record_notification_email(
        &self,
        email_id: &str,
        attempt: u32,
        outcome: &AttemptOutcome,
        now: Timestamp,
    ) -> Result<AttemptRecorded, Error> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT state, attempts FROM notification_emails WHERE id = $1 {ROW_LOCK}"
        ))
        .bind(email_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("notification email", email_id))?;
        let table = "notification_emails";
        let state: String = column(&row, "state")?;
        let state = named(&state, NotificationEmailState::from_name, table, "state")?;
        // A lapsed claim: another worker has claimed the email since.
        if state != NotificationEmailState::Pending
            || count(column(&row, "attempts")?, table, "attempts")? != attempt
        {
            tx.commit().await.map_err(from_sqlx)?;
            return Ok(AttemptRecorded::Stale);
        }
        let (sql, recorded, retry_at) = match outcome {
            AttemptOutcome::Delivered => (
                "UPDATE notification_emails SET state = 'sent', sent_at = $2, lease_until = NULL \
                 WHERE id = $1",
                AttemptRecorded::Delivered,
                now,
            ),
            AttemptOutcome::Failed { .. } if attempt >= self.alerting.max_attempts => (
                "UPDATE notification_emails SET state = 'failed', lease_until = NULL, \
                 next_attempt_at = $2 WHERE id = $1",
                AttemptRecorded::GivenUp,
                now,
            ),
            AttemptOutcome::Failed { .. } => {
                let mut jitter = [0u8; 4];
                fill_random(&mut jitter)?;
                let delay = retry_delay_seconds(attempt, u32::from_le_bytes(jitter));
                let retry_at = now.checked_add_seconds(delay).unwrap_or(now);
                (
                    "UPDATE notification_emails SET next_attempt_at = $2, lease_until = NULL \
                     WHERE id = $1",
                    AttemptRecorded::RetryAt(retry_at),
                    retry_at,
                )
            }
        };
        sqlx::query(sql)
            .bind(email_id)
            .bind(retry_at.unix_seconds())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(recorded)
    }
}
