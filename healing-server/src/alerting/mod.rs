//! Telling people about alerts: the worker that escalates alerts nobody
//! acknowledged in time and sends the store's outbox of emails and webhook calls.
//!
//! The store writes each delivery in the transaction that raises or escalates its
//! alert (see `healing_store::AlertDeliveryStore`), so nothing here can lose
//! one: [`run_once`] escalates what is due, claims due deliveries under a lease,
//! sends them, and records each attempt, which schedules a retry or, after the
//! last, raises a "delivery failed" alert to the duty contact. A worker killed
//! mid-send leaves its claim to lapse, and the delivery is sent again after
//! restart. Every server process runs the worker; the store's row locks let
//! several share one PostgreSQL with each escalation and delivery done once.

pub mod email;
pub mod webhook;

use std::time::Duration;

use healing_store::prelude::*;
use healing_store::{
    AlertChannels, AlertingPolicy, AttemptOutcome, ClaimedDelivery, DeliveryChannel,
    EscalationDeadlines,
};
use zeroize::Zeroizing;

use crate::mailer::{MailError, Mailer};
use crate::state::AppState;

/// How often the worker looks for due escalations and deliveries.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Most deliveries sent at once by one process.
const CLAIM_BATCH: u32 = 20;

/// Where alerts go beyond the in-app list, and how fast they escalate.
#[derive(Clone, Default)]
pub struct AlertingConfig {
    /// `HEALING_DUTY_EMAIL`: the service's duty contact.
    pub duty_email: Option<String>,
    /// `HEALING_ALERT_WEBHOOK_URL` and its secret.
    pub webhook: Option<WebhookTarget>,
    /// `HEALING_ESCALATE_*_SECONDS`.
    pub deadlines: EscalationDeadlines,
    /// `HEALING_ALERT_DELIVERY_TIMEOUT_SECONDS`: the longest one attempt may take.
    pub delivery_timeout: Duration,
}

impl std::fmt::Debug for AlertingConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlertingConfig")
            .field("duty_email", &self.duty_email.is_some())
            .field("webhook", &self.webhook.as_ref().map(|target| &target.url))
            .field("deadlines", &self.deadlines)
            .field("delivery_timeout", &self.delivery_timeout)
            .finish()
    }
}

/// The on-call webhook.
#[derive(Clone)]
pub struct WebhookTarget {
    /// Where to POST.
    pub url: reqwest::Url,
    /// The signing secret.
    pub secret: Zeroizing<Vec<u8>>,
}

impl AlertingConfig {
    /// Default time allowed for one delivery attempt.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

    /// What the store needs to write deliveries: which channels are configured
    /// (email needs SMTP), the deadlines, and the attempts per delivery.
    pub fn policy(&self, mailer: &Mailer) -> AlertingPolicy {
        let smtp = matches!(mailer, Mailer::Smtp { .. });
        AlertingPolicy {
            channels: AlertChannels {
                email_to_clinicians: smtp,
                email_to_duty_contact: smtp && self.duty_email.is_some(),
                webhook: self.webhook.is_some(),
            },
            deadlines: self.deadlines,
            ..AlertingPolicy::IN_APP_ONLY
        }
    }

    /// How long a claim on a delivery lasts: long enough for an attempt to time
    /// out and be recorded, short enough that a crashed worker's deliveries go
    /// out again soon after restart.
    pub fn lease_seconds(&self) -> i64 {
        i64::try_from(self.timeout().as_secs())
            .unwrap_or(i64::MAX / 4)
            .saturating_mul(3)
            .max(3)
    }

    /// The longest one attempt may take (also a notification email's).
    pub fn timeout(&self) -> Duration {
        if self.delivery_timeout.is_zero() {
            Self::DEFAULT_TIMEOUT
        } else {
            self.delivery_timeout
        }
    }
}

/// The link into the app that emails and webhooks carry.
pub fn alert_url(public_url: &str, alert_id: &str) -> String {
    format!("{public_url}/alerts?alert={alert_id}")
}

/// The HTTP client for webhook calls: the attempt's timeout, no redirects (a
/// redirect could carry the signed body somewhere else).
pub fn http_client(config: &AlertingConfig) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(config.timeout().min(Duration::from_secs(5)))
        .timeout(config.timeout())
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("healing-server/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pass {
    /// Alerts escalated.
    pub escalated: usize,
    /// Delivery attempts made.
    pub attempted: usize,
}

/// One pass of the worker at the state's clock: escalate what is due, then send
/// every due delivery, a batch at a time until none is left, and record how each
/// went.
pub async fn run_once(state: &AppState) -> Result<Pass, healing_store::Error> {
    let store = state.store();
    let mut pass = Pass {
        escalated: store
            .escalate_due_alerts(state.now())
            .await?
            .escalated
            .len(),
        attempted: 0,
    };
    loop {
        let claimed = store
            .claim_due_deliveries(state.now(), state.alerting().lease_seconds(), CLAIM_BATCH)
            .await?;
        let full_batch = u32::try_from(claimed.len()) == Ok(CLAIM_BATCH);
        pass.attempted += claimed.len();
        send_batch(state, claimed).await?;
        // A burst of alerts drains now, not one batch a second.
        if !full_batch {
            return Ok(pass);
        }
    }
}

/// Sends claimed deliveries concurrently and records each attempt.
async fn send_batch(
    state: &AppState,
    claimed: Vec<ClaimedDelivery>,
) -> Result<(), healing_store::Error> {
    let mut sends = tokio::task::JoinSet::new();
    for delivery in claimed {
        let state = state.clone();
        sends.spawn(async move { send_and_record(&state, delivery).await });
    }
    let mut first_error = None;
    while let Some(joined) = sends.join_next().await {
        match joined {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                first_error.get_or_insert(error);
            }
            // A panicking send leaves its claim to lapse: it is retried.
            Err(_) => tracing::error!("an alert delivery task panicked; it will be retried"),
        }
    }
    first_error.map_or(Ok(()), Err)
}

async fn send_and_record(
    state: &AppState,
    claimed: ClaimedDelivery,
) -> Result<(), healing_store::Error> {
    let started = state.now();
    let outcome = send(state, &claimed).await;
    if let AttemptOutcome::Failed { detail } = &outcome {
        // The delivery's id and the reason only: never an address or message text.
        tracing::warn!(
            delivery_id = %claimed.delivery.id,
            channel = claimed.delivery.channel.as_str(),
            attempt = claimed.delivery.attempts,
            reason = %detail,
            "alert delivery attempt failed"
        );
    }
    state
        .store()
        .record_delivery_attempt(
            &claimed.delivery.id,
            claimed.delivery.attempts,
            started,
            &outcome,
            state.now(),
        )
        .await?;
    Ok(())
}

async fn send(state: &AppState, claimed: &ClaimedDelivery) -> AttemptOutcome {
    let config = state.alerting();
    match claimed.delivery.channel {
        DeliveryChannel::Email => {
            let to = match (&claimed.delivery.recipient_id, &claimed.recipient_email) {
                (Some(_), Some(address)) => address.clone(),
                (Some(_), None) => return failed("the clinician no longer has an account"),
                (None, _) => match &config.duty_email {
                    Some(address) => address.clone(),
                    None => return failed("no duty email is configured"),
                },
            };
            let message = email::message(claimed, to, state.public_url());
            match tokio::time::timeout(config.timeout(), state.mailer().send(message)).await {
                Ok(Ok(())) => AttemptOutcome::Delivered,
                Ok(Err(MailError::Address { .. })) => failed("the address is not valid"),
                Ok(Err(MailError::NotConfigured)) => failed("smtp is not configured"),
                Ok(Err(MailError::Smtp { .. })) => failed("the smtp server refused or failed"),
                Err(_) => failed("timed out"),
            }
        }
        DeliveryChannel::Webhook => {
            let Some(target) = &config.webhook else {
                return failed("no webhook is configured");
            };
            let body = webhook::body(claimed, &target.secret, state.public_url());
            let Ok(bytes) = serde_json::to_vec(&body) else {
                return failed("the body could not be encoded");
            };
            let signature =
                webhook::signature_header(&target.secret, state.now().unix_seconds(), &bytes);
            let Some(client) = state.webhook_client() else {
                return failed("the http client could not be built");
            };
            let sent = client
                .post(target.url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(webhook::SIGNATURE_HEADER, signature)
                .header(webhook::IDEMPOTENCY_HEADER, &claimed.delivery.id)
                .body(bytes)
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => AttemptOutcome::Delivered,
                Ok(response) => failed(&format!("http status {}", response.status().as_u16())),
                Err(error) if error.is_timeout() => failed("timed out"),
                Err(error) if error.is_connect() => failed("could not connect"),
                Err(_) => failed("the request failed"),
            }
        }
    }
}

fn failed(detail: &str) -> AttemptOutcome {
    AttemptOutcome::Failed {
        detail: detail.to_owned(),
    }
}

/// Runs [`run_once`], then the notification emails' pass
/// ([`crate::notification_email::run_once`]), every [`POLL_INTERVAL`], and at once
/// whenever a write in this process queues a delivery, for as long as the server runs.
pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(POLL_INTERVAL);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                () = state.store().deliveries_queued() => {}
            }
            if let Err(error) = run_once(&state).await {
                // Store errors carry no free text; the work stays due and is retried.
                tracing::error!(%error, "the alert worker could not finish a pass");
            }
            // Notification emails after alerts, which never wait behind them.
            if let Err(error) = crate::notification_email::run_once(&state).await {
                tracing::error!(%error, "the notification email pass could not finish");
            }
        }
    });
}
