//! Appointment reminders: the worker that sends the store's outbox of them.
//!
//! The store writes each reminder (in-app, and email when SMTP is configured) in
//! the transaction that books the appointment, due the reminder lead before it
//! (`HEALING_REMINDER_LEAD_HOURS`), and cancels it with the appointment. [`run_once`]
//! claims due reminders under a lease, sends each through [`send_reminder`] and
//! records the attempt: a sent reminder is never claimed again, and a worker killed
//! mid-send leaves its claim to lapse, so the reminder goes out after restart.
//! The email says only when the appointment is, never anything the patient wrote.

use std::time::Duration;

use healing_store::prelude::*;
use healing_store::{ClaimedReminder, ReminderChannel};

use crate::mailer::{MailError, OutgoingEmail};
use crate::state::AppState;

/// How often the worker looks for due reminders.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// Most reminders sent at once by one process.
const CLAIM_BATCH: u32 = 20;

/// The longest one reminder email may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a claim lasts: past the send timeout, short enough that a crashed
/// worker's reminders go out soon after restart.
const LEASE_SECONDS: i64 = 30;

/// How a reminder went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReminderOutcome {
    /// Sent (for in-app: recorded for the app to show).
    Sent,
    /// Not sent, with why (no address or message text).
    Failed(&'static str),
}

/// One pass at the state's clock: claim every due reminder, a batch at a time,
/// send it and record how it went. Returns the number of attempts.
pub async fn run_once(state: &AppState) -> Result<usize, healing_store::Error> {
    let mut attempted = 0;
    loop {
        let claimed = state
            .store()
            .claim_due_reminders(state.now(), LEASE_SECONDS, CLAIM_BATCH)
            .await?;
        let full_batch = u32::try_from(claimed.len()) == Ok(CLAIM_BATCH);
        attempted += claimed.len();
        for reminder in claimed {
            let outcome = send_reminder(state, &reminder).await;
            if let ReminderOutcome::Failed(reason) = outcome {
                tracing::warn!(
                    reminder_id = %reminder.id,
                    channel = reminder.channel.as_str(),
                    attempt = reminder.attempt,
                    reason,
                    "appointment reminder attempt failed"
                );
            }
            state
                .store()
                .record_reminder_attempt(
                    &reminder.id,
                    reminder.attempt,
                    outcome == ReminderOutcome::Sent,
                    state.now(),
                )
                .await?;
        }
        if !full_batch {
            return Ok(attempted);
        }
    }
}

/// Sends one claimed reminder: the one place a reminder is "sent". An in-app
/// reminder needs nothing more than its record, which
/// `GET /api/appointments` shows as `reminded_at` (the notifications list can
/// hook in here); an email goes to the patient's address.
pub async fn send_reminder(state: &AppState, reminder: &ClaimedReminder) -> ReminderOutcome {
    match reminder.channel {
        ReminderChannel::InApp => ReminderOutcome::Sent,
        ReminderChannel::Email => {
            let Some(to) = reminder.recipient_email.clone() else {
                return ReminderOutcome::Failed("the patient has no email address");
            };
            let Some(email) = message(reminder, to, state.public_url()) else {
                return ReminderOutcome::Failed("the time could not be written");
            };
            match tokio::time::timeout(SEND_TIMEOUT, state.mailer().send(email)).await {
                Ok(Ok(())) => ReminderOutcome::Sent,
                Ok(Err(MailError::Address { .. })) => {
                    ReminderOutcome::Failed("the address is not valid")
                }
                Ok(Err(MailError::NotConfigured)) => {
                    ReminderOutcome::Failed("smtp is not configured")
                }
                Ok(Err(MailError::Smtp { .. })) => {
                    ReminderOutcome::Failed("the smtp server refused or failed")
                }
                Err(_) => ReminderOutcome::Failed("timed out"),
            }
        }
    }
}

/// The reminder email: when, in UK time, and where to see it. Nothing else: no
/// clinician, no reason, nothing the patient wrote.
pub fn message(reminder: &ClaimedReminder, to: String, public_url: &str) -> Option<OutgoingEmail> {
    let when = healing_store::schedule::local_text(reminder.starts_at).ok()?;
    Some(OutgoingEmail {
        to,
        subject: "Healing: appointment reminder".to_owned(),
        body: format!(
            "You have an appointment at {when} (UK time).\n\n\
             Sign in to Healing to see it, or to cancel or move it:\n{public_url}/appointments\n"
        ),
    })
}

/// Runs [`run_once`] every [`POLL_INTERVAL`] for as long as the server runs.
pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(POLL_INTERVAL);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if let Err(error) = run_once(&state).await {
                // Store errors carry no free text; the reminders stay due.
                tracing::error!(%error, "the reminder worker could not finish a pass");
            }
        }
    });
}
