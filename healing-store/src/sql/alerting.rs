//! Alerts after they are raised ([`AlertDeliveryStore`]): routing to the first
//! contacts, the outbox of deliveries written in the raising transaction, claims
//! under a lease, attempts and retries, and escalation of alerts nobody
//! acknowledged in time. The rules themselves are in [`crate::alerting`].
//!
//! Compiled once per back end; see [`crate::sql`]. Several server processes may
//! share one PostgreSQL: due alerts and deliveries are picked with
//! `FOR UPDATE SKIP LOCKED` inside the transaction that moves them, so each is
//! escalated or claimed by one process only. SQLite has a single writer, which
//! gives the same guarantee.

use healing_core::ids::PersonId;
use healing_core::safety::Category;
use healing_core::timestamp::Timestamp;

use super::common::{column, not_found};
use super::{Db, DbRow, ROW_LOCK, SKIP_LOCKED, SqlStore};
use crate::Error;
use crate::alerting::{
    AlertingPolicy, AttemptOutcome, AttemptRecorded, ClaimedDelivery, Contacts, Delivery,
    EscalationReport, contacts, retry_delay_seconds,
};
use crate::audit::{AuditAction, AuditEntry};
use crate::cipher::fill_random;
use crate::contract::AlertDeliveryStore;
use crate::convert::{
    categories_text, count, instant, named, new_id, optional_instant, optional_person,
};
use crate::error::from_sqlx;
use crate::records::*;

macro_rules! delivery_columns {
    () => {
        "id, alert_id, event, escalation_level, channel, recipient_id, state, attempts, \
         created_at, delivered_at"
    };
}

/// A count as its `INTEGER` column holds it (counts here stay far below `i32::MAX`).
fn stored_count(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Most alerts escalated, or deliveries claimed, in one transaction.
const BATCH: i64 = 50;

impl SqlStore {
    /// Tells this process's delivery worker that a committed write queued
    /// deliveries. `notify_one` keeps the wake-up if the worker is mid-pass.
    pub(super) fn wake_delivery_worker(&self) {
        self.deliveries_queued.notify_one();
    }

    fn delivery_from_row(row: &DbRow) -> Result<Delivery, Error> {
        let table = "alert_deliveries";
        let event: String = column(row, "event")?;
        let channel: String = column(row, "channel")?;
        let state: String = column(row, "state")?;
        Ok(Delivery {
            id: column(row, "id")?,
            alert_id: column(row, "alert_id")?,
            event: named(&event, DeliveryEvent::from_name, table, "event")?,
            escalation_level: count(column(row, "escalation_level")?, table, "escalation_level")?,
            channel: named(&channel, DeliveryChannel::from_name, table, "channel")?,
            recipient_id: optional_person(column(row, "recipient_id")?, table, "recipient_id")?,
            state: named(&state, DeliveryState::from_name, table, "state")?,
            attempts: count(column(row, "attempts")?, table, "attempts")?,
            created_at: instant(column(row, "created_at")?, table, "created_at")?,
            delivered_at: optional_instant(column(row, "delivered_at")?, table, "delivered_at")?,
        })
    }

    /// The patient's clinicians with an accepted link, the longest-standing first.
    async fn linked_clinicians_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
    ) -> Result<Vec<PersonId>, Error> {
        let rows = sqlx::query(
            "SELECT clinician_id FROM clinician_patient_links \
             WHERE patient_id = $1 AND status = 'accepted' \
             ORDER BY COALESCE(decided_at, created_at), id",
        )
        .bind(patient_id.as_str())
        .fetch_all(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| {
                crate::convert::person(
                    column(row, "clinician_id")?,
                    "clinician_patient_links",
                    "clinician_id",
                )
            })
            .collect()
    }

    /// Writes the deliveries that tell `contacts` about an alert through the
    /// configured channels: an email per clinician, one to the duty contact, and
    /// one webhook call.
    async fn write_deliveries_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        policy: &AlertingPolicy,
        alert_id: &str,
        event: DeliveryEvent,
        level: u32,
        contacts: &Contacts,
        at: Timestamp,
    ) -> Result<(), Error> {
        let channels = policy.channels;
        let mut wanted: Vec<(DeliveryChannel, Option<&PersonId>)> = Vec::new();
        if channels.email_to_clinicians {
            wanted.extend(
                contacts
                    .clinicians
                    .iter()
                    .map(|clinician| (DeliveryChannel::Email, Some(clinician))),
            );
        }
        if contacts.duty_contact && channels.email_to_duty_contact {
            wanted.push((DeliveryChannel::Email, None));
        }
        if channels.webhook {
            wanted.push((DeliveryChannel::Webhook, None));
        }
        for (channel, recipient) in wanted {
            sqlx::query(
                "INSERT INTO alert_deliveries (id, alert_id, event, escalation_level, channel, \
                 recipient_id, state, attempts, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)",
            )
            .bind(new_id()?)
            .bind(alert_id)
            .bind(event.as_str())
            .bind(stored_count(level))
            .bind(channel.as_str())
            .bind(recipient.map(PersonId::as_str))
            .bind(at.unix_seconds())
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        }
        Ok(())
    }

    /// Raises an alert in `tx`: routed to the patient's first linked clinician
    /// (or the duty contact when there is none, and always for a failed
    /// delivery), audited, with its escalation deadline set and its deliveries
    /// written. Returns the alert's id.
    #[expect(
        clippy::too_many_arguments,
        reason = "one alert row's fields, all required"
    )]
    pub(super) async fn raise_alert_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        policy: &AlertingPolicy,
        patient_id: &PersonId,
        safety_event_id: Option<&str>,
        severity: AlertSeverity,
        categories: &[Category],
        source: AlertSource,
        source_id: &str,
        at: Timestamp,
    ) -> Result<String, Error> {
        let linked = match source {
            AlertSource::DeliveryFailed => Vec::new(),
            AlertSource::MoodNote
            | AlertSource::Journal
            | AlertSource::Assessment
            | AlertSource::ClinicalNote
            | AlertSource::Chat
            | AlertSource::ChatReplyWithheld
            | AlertSource::SafetyPlan
            | AlertSource::ToolRun
            | AlertSource::Message
            | AlertSource::Community => Self::linked_clinicians_in(tx, patient_id).await?,
        };
        // No alert goes nowhere: without a linked clinician the duty contact has it.
        let routed_to = if linked.is_empty() {
            AlertRoute::DutyContact
        } else {
            AlertRoute::LinkedClinicians
        };
        let alert_id = new_id()?;
        sqlx::query(
            "INSERT INTO alerts (id, patient_id, safety_event_id, severity, severity_rank, \
             categories, source, source_id, routed_to, state, created_at, escalation_level, \
             escalate_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, 0, $11)",
        )
        .bind(&alert_id)
        .bind(patient_id.as_str())
        .bind(safety_event_id)
        .bind(severity.as_str())
        .bind(severity.rank())
        .bind(categories_text(categories)?)
        .bind(source.as_str())
        .bind(source_id)
        .bind(routed_to.as_str())
        .bind(at.unix_seconds())
        .bind(policy.deadlines.due(severity, at).unix_seconds())
        .execute(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        Self::append_audit_in(
            tx,
            AuditEntry {
                at,
                actor_id: None,
                action: AuditAction::new("alert_raised")?,
                subject_patient_id: Some(patient_id.clone()),
                detail: serde_json::json!({
                    "alert_id": alert_id,
                    "severity": severity.as_str(),
                    "source": source.as_str(),
                    "source_id": source_id,
                    "routed_to": routed_to.as_str(),
                }),
            },
        )
        .await?;
        Self::write_deliveries_in(
            tx,
            policy,
            &alert_id,
            DeliveryEvent::Raised,
            0,
            &contacts(0, &linked),
            at,
        )
        .await?;
        Self::notify_alert_in(tx, &alert_id, &linked, at).await?;
        Ok(alert_id)
    }

    /// Whether anything is due, read without taking the write lock, so that idle
    /// polling costs one indexed read.
    async fn any_due(&self, sql: &str, now: Timestamp) -> Result<bool, Error> {
        let row = sqlx::query(sql)
            .bind(now.unix_seconds())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(row.is_some())
    }
}

impl AlertDeliveryStore for SqlStore {
    async fn escalate_due_alerts(&self, now: Timestamp) -> Result<EscalationReport, Error> {
        let mut report = EscalationReport::default();
        if !self
            .any_due(
                "SELECT id FROM alerts WHERE state = 'open' AND escalate_at <= $1 LIMIT 1",
                now,
            )
            .await?
        {
            return Ok(report);
        }
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT id, patient_id, severity, escalation_level FROM alerts \
             WHERE state = 'open' AND escalate_at <= $1 ORDER BY escalate_at, id LIMIT $2 \
             {SKIP_LOCKED}"
        );
        let due = sqlx::query(&sql)
            .bind(now.unix_seconds())
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        for row in &due {
            let table = "alerts";
            let alert_id: String = column(row, "id")?;
            let patient_id =
                crate::convert::person(column(row, "patient_id")?, table, "patient_id")?;
            let severity: String = column(row, "severity")?;
            let severity = named(&severity, AlertSeverity::from_name, table, "severity")?;
            let level = count(column(row, "escalation_level")?, table, "escalation_level")?
                .saturating_add(1);
            let linked = Self::linked_clinicians_in(&mut tx, &patient_id).await?;
            let told = contacts(level, &linked);
            sqlx::query("UPDATE alerts SET escalation_level = $2, escalate_at = $3 WHERE id = $1")
                .bind(&alert_id)
                .bind(stored_count(level))
                .bind(self.alerting.deadlines.due(severity, now).unix_seconds())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
            Self::write_deliveries_in(
                &mut tx,
                &self.alerting,
                &alert_id,
                DeliveryEvent::Escalated,
                level,
                &told,
                now,
            )
            .await?;
            Self::append_audit_in(
                &mut tx,
                AuditEntry {
                    at: now,
                    actor_id: None,
                    action: AuditAction::new("alert_escalated")?,
                    subject_patient_id: Some(patient_id),
                    detail: serde_json::json!({
                        "alert_id": alert_id,
                        "escalation_level": level,
                        "clinicians": told.clinicians.iter().map(PersonId::as_str).collect::<Vec<_>>(),
                        "duty_contact": told.duty_contact,
                    }),
                },
            )
            .await?;
            report.escalated.push((alert_id, level));
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(report)
    }

    async fn claim_due_deliveries(
        &self,
        now: Timestamp,
        lease_seconds: i64,
        limit: u32,
    ) -> Result<Vec<ClaimedDelivery>, Error> {
        let due_where = "state = 'pending' AND next_attempt_at <= $1 \
                         AND (lease_until IS NULL OR lease_until <= $1)";
        if !self
            .any_due(
                &format!("SELECT id FROM alert_deliveries WHERE {due_where} LIMIT 1"),
                now,
            )
            .await?
        {
            return Ok(Vec::new());
        }
        let lease_until = now.checked_add_seconds(lease_seconds.max(1)).unwrap_or(now);
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT id FROM alert_deliveries WHERE {due_where} \
             ORDER BY next_attempt_at, id LIMIT $2 {SKIP_LOCKED}"
        );
        let ids = sqlx::query(&sql)
            .bind(now.unix_seconds())
            .bind(i64::from(limit).min(BATCH))
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        let mut claimed = Vec::with_capacity(ids.len());
        for row in &ids {
            let id: String = column(row, "id")?;
            let row = sqlx::query(concat!(
                "UPDATE alert_deliveries SET attempts = attempts + 1, lease_until = $2 \
                 WHERE id = $1 RETURNING ",
                delivery_columns!()
            ))
            .bind(&id)
            .bind(lease_until.unix_seconds())
            .fetch_one(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            let delivery = Self::delivery_from_row(&row)?;
            let alert = self.alert_in(&mut tx, &delivery.alert_id).await?;
            let recipient_email = match &delivery.recipient_id {
                Some(recipient) => sqlx::query("SELECT email FROM users WHERE id = $1")
                    .bind(recipient.as_str())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(from_sqlx)?
                    .map(|row| column::<String>(&row, "email"))
                    .transpose()?,
                None => None,
            };
            claimed.push(ClaimedDelivery {
                delivery,
                alert,
                recipient_email,
                lease_until,
            });
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(claimed)
    }

    async fn record_delivery_attempt(
        &self,
        delivery_id: &str,
        attempt: u32,
        started_at: Timestamp,
        outcome: &AttemptOutcome,
        now: Timestamp,
    ) -> Result<AttemptRecorded, Error> {
        let (outcome_name, detail) = match outcome {
            AttemptOutcome::Delivered => ("delivered", "delivered"),
            AttemptOutcome::Failed { detail } => ("failed", detail.as_str()),
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO alert_delivery_attempts \
             (delivery_id, attempt, started_at, finished_at, outcome, detail) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (delivery_id, attempt) DO NOTHING",
        )
        .bind(delivery_id)
        .bind(stored_count(attempt))
        .bind(started_at.unix_seconds())
        .bind(now.unix_seconds())
        .bind(outcome_name)
        .bind(detail)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let sql = format!(
            "SELECT {} FROM alert_deliveries WHERE id = $1 {ROW_LOCK}",
            delivery_columns!()
        );
        let row = sqlx::query(&sql)
            .bind(delivery_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("alert delivery", delivery_id))?;
        let delivery = Self::delivery_from_row(&row)?;
        // A lapsed claim: another worker has claimed the delivery since.
        if delivery.state != DeliveryState::Pending || delivery.attempts != attempt {
            tx.commit().await.map_err(from_sqlx)?;
            return Ok(AttemptRecorded::Stale);
        }
        let alert = self.alert_in(&mut tx, &delivery.alert_id).await?;
        let audit = |action: &str| -> Result<AuditEntry, Error> {
            Ok(AuditEntry {
                at: now,
                actor_id: None,
                action: AuditAction::new(action)?,
                subject_patient_id: Some(alert.patient_id.clone()),
                detail: serde_json::json!({
                    "alert_id": alert.id,
                    "delivery_id": delivery.id,
                    "channel": delivery.channel.as_str(),
                    "event": delivery.event.as_str(),
                    "attempts": attempt,
                }),
            })
        };
        let recorded = match outcome {
            AttemptOutcome::Delivered => {
                sqlx::query(
                    "UPDATE alert_deliveries SET state = 'delivered', delivered_at = $2, \
                     lease_until = NULL WHERE id = $1",
                )
                .bind(delivery_id)
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                Self::append_audit_in(&mut tx, audit("alert_delivered")?).await?;
                AttemptRecorded::Delivered
            }
            AttemptOutcome::Failed { .. } if attempt >= self.alerting.max_attempts => {
                sqlx::query(
                    "UPDATE alert_deliveries SET state = 'failed', lease_until = NULL \
                     WHERE id = $1",
                )
                .bind(delivery_id)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                Self::append_audit_in(&mut tx, audit("alert_delivery_failed")?).await?;
                // A person must hear that nobody was told; but a failure to deliver
                // that news raises nothing more, or one broken channel would loop.
                if alert.source != AlertSource::DeliveryFailed {
                    Self::raise_alert_in(
                        &mut tx,
                        &self.alerting,
                        &alert.patient_id,
                        None,
                        alert.severity,
                        &alert.categories,
                        AlertSource::DeliveryFailed,
                        &delivery.id,
                        now,
                    )
                    .await?;
                }
                AttemptRecorded::GivenUp
            }
            AttemptOutcome::Failed { .. } => {
                let mut jitter = [0u8; 4];
                fill_random(&mut jitter)?;
                let delay = retry_delay_seconds(attempt, u32::from_le_bytes(jitter));
                let retry_at = now.checked_add_seconds(delay).unwrap_or(now);
                sqlx::query(
                    "UPDATE alert_deliveries SET next_attempt_at = $2, lease_until = NULL \
                     WHERE id = $1",
                )
                .bind(delivery_id)
                .bind(retry_at.unix_seconds())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                AttemptRecorded::RetryAt(retry_at)
            }
        };
        tx.commit().await.map_err(from_sqlx)?;
        Ok(recorded)
    }

    async fn deliveries_of_alert(&self, alert_id: &str) -> Result<Vec<Delivery>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    delivery_columns!(),
                    " FROM alert_deliveries WHERE alert_id = $1 ORDER BY created_at, id"
                ))
                .bind(alert_id),
            )
            .await?;
        rows.iter().map(Self::delivery_from_row).collect()
    }

    async fn deliveries_queued(&self) {
        self.deliveries_queued.notified().await;
    }
}
