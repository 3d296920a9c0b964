//! Appointments beyond their routes: the settings bookings follow, the typed
//! answer to each refusal, the reminder worker (`reminders.rs`) and the
//! iCalendar feed (`ical.rs`). The rules themselves are the store's
//! (`healing_store::appointments`), checked in each write's transaction.

pub mod ical;
pub mod reminders;

use axum::http::StatusCode;
use healing_store::AppointmentRules;
use healing_store::appointments::AppointmentRefusal;

use crate::error::ApiError;
use crate::mailer::Mailer;

/// `HEALING_APPOINTMENT_NOTICE_HOURS` and `HEALING_REMINDER_LEAD_HOURS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppointmentConfig {
    /// Hours before the start after which a patient can no longer cancel or move
    /// an appointment in the app.
    pub notice_hours: u32,
    /// Hours before the start the reminders are sent.
    pub reminder_lead_hours: u32,
}

impl Default for AppointmentConfig {
    /// 24 hours' notice; reminders 24 hours before.
    fn default() -> Self {
        Self {
            notice_hours: 24,
            reminder_lead_hours: 24,
        }
    }
}

impl AppointmentConfig {
    /// What the store needs: the notice and the lead in seconds, and whether
    /// reminders are emailed too (email needs SMTP).
    pub fn rules(&self, mailer: &Mailer) -> AppointmentRules {
        AppointmentRules {
            notice_seconds: i64::from(self.notice_hours) * 3600,
            reminder_lead_seconds: i64::from(self.reminder_lead_hours) * 3600,
            email_reminders: matches!(mailer, Mailer::Smtp { .. }),
        }
    }
}

/// The answer to a refused appointment write: a status and a code a client can
/// act on, with the rule in words.
pub fn refusal_error(refusal: &AppointmentRefusal) -> ApiError {
    let (status, code) = match refusal {
        // The slot went to someone else between reading and booking: pick another.
        AppointmentRefusal::SlotTaken => (StatusCode::CONFLICT, "SLOT_TAKEN"),
        AppointmentRefusal::NotLinked | AppointmentRefusal::NotParty => {
            (StatusCode::FORBIDDEN, "APPOINTMENT_REFUSED")
        }
        AppointmentRefusal::ClinicianOnly => (StatusCode::FORBIDDEN, "CLINICIAN_ONLY"),
        AppointmentRefusal::InsideNotice { .. } => (StatusCode::CONFLICT, "INSIDE_NOTICE_PERIOD"),
        AppointmentRefusal::NotScheduled { .. } => (StatusCode::CONFLICT, "NOT_SCHEDULED"),
        AppointmentRefusal::NotStarted => (StatusCode::CONFLICT, "NOT_STARTED"),
        AppointmentRefusal::NotAnOpenSlot
        | AppointmentRefusal::Started
        | AppointmentRefusal::TooFarAhead => (StatusCode::UNPROCESSABLE_ENTITY, "NOT_AN_OPEN_SLOT"),
        AppointmentRefusal::Schedule(_) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_AVAILABILITY")
        }
    };
    ApiError::new(status, code, refusal.to_string())
}
