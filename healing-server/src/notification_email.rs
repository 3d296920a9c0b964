//! Emails for notifications, from the store's outbox (`NotificationStore`).
//!
//! The store writes an outbox row in the transaction of the event when the person
//! has that kind by email, so nothing here can lose one: [`run_once`] claims due
//! rows under a lease, sends each, and records the attempt (sent, a retry with
//! backoff, or given up after the alerting policy's last attempt). A worker
//! killed mid-send leaves its claim to lapse and the email goes after restart;
//! one whose attempt was recorded is never sent again. The alert worker runs it
//! on each pass ([`crate::alerting::spawn_worker`]).
//!
//! An email names only the kind of news and links to the app: no words anyone
//! wrote, no names, no clinical detail, since email leaves the service's control
//! and may be read by anyone with the inbox.

use healing_store::prelude::*;
use healing_store::{AttemptOutcome, ClaimedNotificationEmail, NotificationKind};

use crate::mailer::{MailError, OutgoingEmail};
use crate::state::AppState;

/// Most emails sent at once by one process.
const CLAIM_BATCH: u32 = 20;

/// The email for one notification kind to `to`.
pub fn message(kind: NotificationKind, to: String, public_url: &str) -> OutgoingEmail {
    let news = match kind {
        NotificationKind::Message => "You have a new message in Healing",
        NotificationKind::Alert => "There is a new safety alert in Healing",
        NotificationKind::AppointmentChanged => "An appointment in Healing has changed",
        NotificationKind::AppointmentReminder => "You have an appointment coming up in Healing",
        NotificationKind::PostReply => "Someone replied to your post in Healing",
    };
    let body = format!(
        "{news}.\n\nSign in to see it:\n{public_url}/notifications\n\n\
         This email does not contain what anyone wrote; sign in to read it.\n\
         You can choose which notifications come by email in Settings.\n\n\
         If you are in crisis or someone is in immediate danger, call 999."
    );
    OutgoingEmail {
        to,
        subject: news.to_owned(),
        body,
    }
}

/// One pass at the state's clock: claim due emails a batch at a time, send them,
/// and record each attempt. Returns how many attempts were made.
pub async fn run_once(state: &AppState) -> Result<usize, healing_store::Error> {
    let mut attempted = 0;
    loop {
        let claimed = state
            .store()
            .claim_due_notification_emails(
                state.now(),
                state.alerting().lease_seconds(),
                CLAIM_BATCH,
            )
            .await?;
        let full_batch = u32::try_from(claimed.len()) == Ok(CLAIM_BATCH);
        attempted += claimed.len();
        for email in claimed {
            send_and_record(state, email).await?;
        }
        if !full_batch {
            return Ok(attempted);
        }
    }
}

async fn send_and_record(
    state: &AppState,
    claimed: ClaimedNotificationEmail,
) -> Result<(), healing_store::Error> {
    let outcome = send(state, &claimed).await;
    if let AttemptOutcome::Failed { detail } = &outcome {
        // The outbox id and the reason only: never an address.
        tracing::warn!(
            email_id = %claimed.id,
            attempt = claimed.attempt,
            reason = %detail,
            "notification email attempt failed"
        );
    }
    state
        .store()
        .record_notification_email(&claimed.id, claimed.attempt, &outcome, state.now())
        .await?;
    Ok(())
}

async fn send(state: &AppState, claimed: &ClaimedNotificationEmail) -> AttemptOutcome {
    if claimed.to.is_empty() {
        return failed("the account has no email address");
    }
    let message = message(claimed.kind, claimed.to.clone(), state.public_url());
    let timeout = state.alerting().timeout();
    match tokio::time::timeout(timeout, state.mailer().send(message)).await {
        Ok(Ok(())) => AttemptOutcome::Delivered,
        Ok(Err(MailError::Address { .. })) => failed("the address is not valid"),
        Ok(Err(MailError::NotConfigured)) => failed("smtp is not configured"),
        Ok(Err(MailError::Smtp { .. })) => failed("the smtp server refused or failed"),
        Err(_) => failed("timed out"),
    }
}

fn failed(detail: &str) -> AttemptOutcome {
    AttemptOutcome::Failed {
        detail: detail.to_owned(),
    }
}
