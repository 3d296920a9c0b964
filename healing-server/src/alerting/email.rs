//! The email about an alert: severity, time and a link into the app. No name, no
//! words the patient wrote: email leaves the service's control, so it says only
//! that something needs looking at, and where.

use healing_store::{AlertRoute, AlertSource, ClaimedDelivery, DeliveryEvent};

use crate::mailer::OutgoingEmail;

/// The email for one claimed delivery to `to`.
pub fn message(claimed: &ClaimedDelivery, to: String, public_url: &str) -> OutgoingEmail {
    let alert = &claimed.alert;
    let severity = alert.severity.as_str();
    let raised = alert.created_at.to_rfc3339();
    let url = super::alert_url(public_url, &alert.id);
    let subject = match (alert.source, claimed.delivery.event) {
        (AlertSource::DeliveryFailed, _) => {
            format!("Healing: a {severity} alert could not be delivered")
        }
        (_, DeliveryEvent::Raised) => format!("Healing: a {severity} safety alert needs you"),
        (_, DeliveryEvent::Escalated) => {
            format!("Healing: a {severity} safety alert is still not acknowledged")
        }
    };
    let what = match alert.source {
        AlertSource::DeliveryFailed => format!(
            "Healing could not deliver a notification about a {severity} safety alert \
             after every retry, so the people it was meant for may not know about it."
        ),
        AlertSource::MoodNote
        | AlertSource::Journal
        | AlertSource::Assessment
        | AlertSource::ClinicalNote
        | AlertSource::Chat
        | AlertSource::ChatReplyWithheld
        | AlertSource::SafetyPlan
        | AlertSource::ToolRun
        | AlertSource::Message
        | AlertSource::Community => {
            let whose = match alert.routed_to {
                AlertRoute::LinkedClinicians => "a patient in your care",
                AlertRoute::DutyContact => {
                    "a patient who has no linked clinician (you are the service's duty contact)"
                }
            };
            format!("A {severity} safety alert was raised at {raised} (UTC) for {whose}.")
        }
    };
    let why = match claimed.delivery.event {
        DeliveryEvent::Raised => String::new(),
        DeliveryEvent::Escalated => format!(
            "\n\nIt has been escalated to you because nobody acknowledged it in time \
             (escalation {}).",
            claimed.delivery.escalation_level
        ),
    };
    let body = format!(
        "{what}{why}\n\nPlease sign in to Healing to see it and acknowledge it:\n{url}\n\n\
         This email does not contain what the patient wrote or their name; sign in to \
         see them.\n\nIf someone is in immediate danger, call 999."
    );
    OutgoingEmail { to, subject, body }
}
