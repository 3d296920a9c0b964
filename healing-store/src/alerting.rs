//! What happens to an alert after it is raised: who is told, through which
//! channels, how a failed delivery is retried, and when an alert nobody has
//! acknowledged escalates to the next contact.
//!
//! The rules here are pure; `sql/alerting.rs` applies them in the transactions
//! that raise alerts, claim deliveries and escalate. Deliveries are a
//! transactional outbox: each one is a row written in the same transaction as its
//! alert (or escalation), claimed by a worker under a lease, and retried with
//! backoff until it succeeds or runs out of attempts. Nothing in a delivery row is
//! words the patient wrote: the worker builds the message from the alert's
//! severity, categories and time.

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use crate::records::{Alert, AlertSeverity, DeliveryChannel, DeliveryEvent, DeliveryState};

/// The outside channels alerts go through, set by the server from its
/// configuration. The in-app alert list is always there; a channel that is not
/// configured gets no delivery rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlertChannels {
    /// Email to the clinicians an alert is routed to (SMTP is configured).
    pub email_to_clinicians: bool,
    /// Email to the service's duty contact (SMTP and a duty address are configured).
    pub email_to_duty_contact: bool,
    /// The service's on-call webhook.
    pub webhook: bool,
}

/// How long an alert may stay unacknowledged before it escalates, by severity.
///
/// The defaults are the service levels the issue that introduced escalation asked
/// for: critical 10 minutes, high 30 minutes, medium one working day. They are a
/// starting point for a service's own clinical safety case, not a published
/// standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationDeadlines {
    /// Seconds a critical alert may stay open.
    pub critical_seconds: i64,
    /// Seconds a high alert may stay open.
    pub high_seconds: i64,
    /// Seconds a medium alert may stay open; `None` means one working day (see
    /// [`EscalationDeadlines::due`]).
    pub medium_seconds: Option<i64>,
}

impl EscalationDeadlines {
    /// Critical 10 minutes, high 30 minutes, medium one working day.
    pub const DEFAULT: EscalationDeadlines = EscalationDeadlines {
        critical_seconds: 10 * 60,
        high_seconds: 30 * 60,
        medium_seconds: None,
    };

    /// When an alert of `severity`, open since `from`, escalates. "One working day"
    /// is 24 hours, moved past a weekend to Monday at the same time of day (UTC);
    /// bank holidays are not known here, so a medium alert may escalate on one.
    pub fn due(&self, severity: AlertSeverity, from: Timestamp) -> Timestamp {
        let seconds = match severity {
            AlertSeverity::Critical => self.critical_seconds,
            AlertSeverity::High => self.high_seconds,
            AlertSeverity::Medium => match self.medium_seconds {
                Some(seconds) => seconds,
                None => return next_working_day(from),
            },
        };
        later(from, seconds.max(1))
    }
}

impl Default for EscalationDeadlines {
    fn default() -> Self {
        Self::DEFAULT
    }
}

const DAY: i64 = 24 * 60 * 60;

/// `seconds` after `from`; past the end of the calendar (year 9999), `from` itself.
fn later(from: Timestamp, seconds: i64) -> Timestamp {
    from.checked_add_seconds(seconds).unwrap_or(from)
}

/// 24 hours after `from`, moved on to Monday if that lands on a Saturday or Sunday.
fn next_working_day(from: Timestamp) -> Timestamp {
    let candidate = from.unix_seconds().saturating_add(DAY);
    // 1 January 1970 was a Thursday: day 0 is Thursday, so (days + 3) % 7 is 0 on Monday.
    let weekday_from_monday = (candidate.div_euclid(DAY) + 3).rem_euclid(7);
    let skip = match weekday_from_monday {
        5 => 2 * DAY,
        6 => DAY,
        _ => 0,
    };
    later(from, DAY.saturating_add(skip))
}

/// Everything the store needs to route, deliver and escalate alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertingPolicy {
    /// Which outside channels get deliveries.
    pub channels: AlertChannels,
    /// When unacknowledged alerts escalate.
    pub deadlines: EscalationDeadlines,
    /// Attempts per delivery before it is given up and a "delivery failed" alert
    /// goes to the duty contact.
    pub max_attempts: u32,
}

impl AlertingPolicy {
    /// No outside channels (alerts are in-app only), the default deadlines, and
    /// eight attempts per delivery (about two hours of retries).
    pub const IN_APP_ONLY: AlertingPolicy = AlertingPolicy {
        channels: AlertChannels {
            email_to_clinicians: false,
            email_to_duty_contact: false,
            webhook: false,
        },
        deadlines: EscalationDeadlines::DEFAULT,
        max_attempts: 8,
    };
}

impl Default for AlertingPolicy {
    fn default() -> Self {
        Self::IN_APP_ONLY
    }
}

/// Who is told about an alert at one escalation level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contacts {
    /// Clinicians to tell.
    pub clinicians: Vec<PersonId>,
    /// Whether the duty contact is told.
    pub duty_contact: bool,
}

/// Who is told at escalation `level` (0 when the alert is raised) for a patient
/// whose accepted links are `linked`, oldest first: the patient's first clinician;
/// then the other linked clinicians; then, at every later deadline, the duty
/// contact. A patient with no linked clinician goes to the duty contact at every
/// level, so no alert goes nowhere.
pub fn contacts(level: u32, linked: &[PersonId]) -> Contacts {
    let duty = Contacts {
        clinicians: Vec::new(),
        duty_contact: true,
    };
    match (level, linked) {
        (_, []) => duty,
        (0, [first, ..]) => Contacts {
            clinicians: vec![first.clone()],
            duty_contact: false,
        },
        (1, [_, others @ ..]) if !others.is_empty() => Contacts {
            clinicians: others.to_vec(),
            duty_contact: false,
        },
        _ => duty,
    }
}

/// Seconds to wait before the next attempt after `attempts` failed ones: 30 s
/// doubled per failure, at most an hour, spread by ±25% with `jitter` (any
/// `u32`, uniformly random) so that deliveries failed together do not retry together.
pub fn retry_delay_seconds(attempts: u32, jitter: u32) -> i64 {
    const BASE: i64 = 30;
    const CAP: i64 = 60 * 60;
    let exponent = attempts.saturating_sub(1).min(16);
    let delay = BASE.saturating_mul(1 << exponent).min(CAP);
    // jitter / u32::MAX in [0, 1] maps to a factor in [0.75, 1.25].
    let spread = delay / 2;
    let offset = (spread as i128 * i128::from(jitter) / i128::from(u32::MAX)) as i64;
    (delay - delay / 4 + offset).max(1)
}

/// One message to send about an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Opaque id; also the idempotency key a webhook receiver sees.
    pub id: String,
    /// The alert it is about.
    pub alert_id: String,
    /// What it announces.
    pub event: DeliveryEvent,
    /// The escalation level it was written at (0 when raised).
    pub escalation_level: u32,
    /// How it is sent.
    pub channel: DeliveryChannel,
    /// The clinician emailed; `None` for the duty contact's email and the webhook.
    pub recipient_id: Option<PersonId>,
    /// Where it is.
    pub state: DeliveryState,
    /// Attempts started so far.
    pub attempts: u32,
    /// When it was written.
    pub created_at: Timestamp,
    /// When it was delivered.
    pub delivered_at: Option<Timestamp>,
}

/// A delivery a worker has claimed: it may send it until `lease_until`, after
/// which another worker (or this one after a restart) may claim it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedDelivery {
    /// The delivery, with `attempts` counting this one.
    pub delivery: Delivery,
    /// The alert it is about.
    pub alert: Alert,
    /// The clinician's email address, for an email to a clinician.
    pub recipient_email: Option<String>,
    /// When the claim lapses.
    pub lease_until: Timestamp,
}

/// How one attempt went. `detail` is a short reason chosen by the sender (an HTTP
/// status, "timeout", "smtp rejected"): never message text or an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// Sent.
    Delivered,
    /// Not sent; retried later unless it was the last attempt.
    Failed {
        /// Why, in a few words.
        detail: String,
    },
}

/// What the store did with an attempt's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptRecorded {
    /// The delivery is done.
    Delivered,
    /// Another attempt is due at this time.
    RetryAt(Timestamp),
    /// The last attempt failed: the delivery is given up and the duty contact has
    /// a "delivery failed" alert (unless this was itself about a failed delivery).
    GivenUp,
    /// The claim had lapsed and another worker holds the delivery now: the outcome
    /// is kept as an attempt but changes nothing.
    Stale,
}

/// What one escalation pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EscalationReport {
    /// Each alert escalated, with the level it reached.
    pub escalated: Vec<(String, u32)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_unix_seconds(seconds).unwrap()
    }

    fn people(names: &[&str]) -> Vec<PersonId> {
        names
            .iter()
            .map(|name| PersonId::new(*name).unwrap())
            .collect()
    }

    #[test]
    fn escalation_goes_first_clinician_then_the_others_then_the_duty_contact() {
        let linked = people(&["first", "second", "third"]);
        assert_eq!(contacts(0, &linked).clinicians, people(&["first"]));
        assert_eq!(
            contacts(1, &linked).clinicians,
            people(&["second", "third"])
        );
        for level in 2..5 {
            assert_eq!(
                contacts(level, &linked),
                Contacts {
                    clinicians: Vec::new(),
                    duty_contact: true
                }
            );
        }
    }

    #[test]
    fn a_single_clinician_escalates_straight_to_the_duty_contact() {
        let linked = people(&["only"]);
        assert!(!contacts(0, &linked).duty_contact);
        assert!(contacts(1, &linked).duty_contact);
    }

    #[test]
    fn a_patient_without_a_clinician_always_reaches_the_duty_contact() {
        for level in 0..4 {
            assert!(contacts(level, &[]).duty_contact);
        }
    }

    #[test]
    fn deadlines_follow_severity() {
        let raised = at(1_700_000_000); // a Tuesday
        let deadlines = EscalationDeadlines::DEFAULT;
        assert_eq!(
            deadlines.due(AlertSeverity::Critical, raised),
            at(1_700_000_600)
        );
        assert_eq!(
            deadlines.due(AlertSeverity::High, raised),
            at(1_700_001_800)
        );
        assert_eq!(
            deadlines.due(AlertSeverity::Medium, raised),
            at(1_700_000_000 + DAY)
        );
    }

    #[test]
    fn a_working_day_skips_the_weekend() {
        // 2026-12-04 is a Friday: 24 hours later is Saturday, so Monday 2026-12-07.
        let friday = at(1_796_378_400);
        let due = EscalationDeadlines::DEFAULT.due(AlertSeverity::Medium, friday);
        assert_eq!(due, at(1_796_378_400 + 3 * DAY));
        // Saturday: Sunday is skipped too.
        let saturday = at(1_796_378_400 + DAY);
        let due = EscalationDeadlines::DEFAULT.due(AlertSeverity::Medium, saturday);
        assert_eq!(due, at(1_796_378_400 + 3 * DAY));
    }

    #[test]
    fn retries_back_off_exponentially_within_a_quarter_either_way() {
        for (attempts, base) in [(1, 30), (2, 60), (3, 120), (4, 240), (8, 3600), (40, 3600)] {
            let low = retry_delay_seconds(attempts, 0);
            let high = retry_delay_seconds(attempts, u32::MAX);
            assert_eq!(low, base - base / 4, "attempts {attempts}");
            assert_eq!(high, base - base / 4 + base / 2, "attempts {attempts}");
            let middle = retry_delay_seconds(attempts, u32::MAX / 2);
            assert!(low < middle && middle < high);
        }
    }
}
