//! The rules of appointments, pure so they are tested without a database.
//!
//! A patient books one of a linked clinician's open slots (a live link while the
//! patient shares their record, as every patient-data read decides it; the slot
//! from [`crate::schedule`]); the database allows one live booking per clinician
//! and start (a partial unique index), so two requests for one slot cannot both
//! succeed. Either side cancels or moves a scheduled appointment, a patient only up
//! to the notice period before it; the clinician records attended or did-not-attend
//! once it has started, and sets the video-call link. The store checks these in the
//! transaction of each write.

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use crate::records::{Appointment, AppointmentState};
use crate::schedule::ScheduleError;

/// How far ahead a slot may be booked.
pub const MAX_BOOKING_DAYS_AHEAD: i64 = 366;

/// Why an appointment write is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppointmentRefusal {
    /// The patient has no accepted link with the clinician while sharing their
    /// record with them.
    #[error(
        "appointments are booked only with a clinician linked to the patient while the patient \
         shares their record with them"
    )]
    NotLinked,
    /// The time is not one of the clinician's slots.
    #[error("that time is not one of the clinician's open slots")]
    NotAnOpenSlot,
    /// Someone else holds a live booking of the slot.
    #[error("that slot is already booked")]
    SlotTaken,
    /// The slot has started or passed.
    #[error("that slot has already started")]
    Started,
    /// The slot is further ahead than bookings are taken.
    #[error("slots can be booked at most {MAX_BOOKING_DAYS_AHEAD} days ahead")]
    TooFarAhead,
    /// A patient's change inside the notice period.
    #[error(
        "an appointment can be cancelled or moved in the app up to {notice_hours} hours before it \
         starts; please contact your clinician"
    )]
    InsideNotice {
        /// The notice period, in hours.
        notice_hours: i64,
    },
    /// The appointment is no longer scheduled.
    #[error("the appointment is {state}, not scheduled")]
    NotScheduled {
        /// Its state.
        state: AppointmentState,
    },
    /// Attendance recorded before the start.
    #[error("attendance is recorded once the appointment has started")]
    NotStarted,
    /// Something only the clinician does.
    #[error("only the clinician records attendance or sets the video-call link")]
    ClinicianOnly,
    /// The person is neither the patient nor the clinician of the appointment.
    #[error("only the patient and the clinician of an appointment change it")]
    NotParty,
    /// The availability or the dates asked for are not acceptable.
    #[error("{0}")]
    Schedule(ScheduleError),
}

/// Which side of an appointment someone is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The patient.
    Patient,
    /// The clinician.
    Clinician,
}

/// Which side of `appointment` `person` is.
pub fn side_of(appointment: &Appointment, person: &PersonId) -> Result<Side, AppointmentRefusal> {
    if &appointment.patient_id == person {
        Ok(Side::Patient)
    } else if &appointment.clinician_id == person {
        Ok(Side::Clinician)
    } else {
        Err(AppointmentRefusal::NotParty)
    }
}

/// The person on the other side of `appointment` from `side`: the one to tell
/// when `side` books, moves or cancels it.
pub fn other_party(appointment: &Appointment, side: Side) -> &PersonId {
    match side {
        Side::Patient => &appointment.clinician_id,
        Side::Clinician => &appointment.patient_id,
    }
}

/// Checks that a slot starting at `starts_at` may be booked at `now`: not started,
/// and not further ahead than [`MAX_BOOKING_DAYS_AHEAD`].
pub fn check_bookable(starts_at: Timestamp, now: Timestamp) -> Result<(), AppointmentRefusal> {
    if starts_at <= now {
        return Err(AppointmentRefusal::Started);
    }
    if starts_at.seconds_since(now) > MAX_BOOKING_DAYS_AHEAD * 86_400 {
        return Err(AppointmentRefusal::TooFarAhead);
    }
    Ok(())
}

/// Checks that `side` may cancel or move `appointment` at `now`, and returns the
/// state a cancellation leaves it in: a scheduled appointment only; a patient only
/// up to `notice_seconds` before the start, a clinician at any time.
pub fn check_change(
    appointment: &Appointment,
    side: Side,
    notice_seconds: i64,
    now: Timestamp,
) -> Result<AppointmentState, AppointmentRefusal> {
    if appointment.state != AppointmentState::Scheduled {
        return Err(AppointmentRefusal::NotScheduled {
            state: appointment.state,
        });
    }
    match side {
        Side::Clinician => Ok(AppointmentState::CancelledByClinician),
        Side::Patient => {
            if appointment.starts_at.seconds_since(now) < notice_seconds {
                Err(AppointmentRefusal::InsideNotice {
                    notice_hours: notice_seconds / 3600,
                })
            } else {
                Ok(AppointmentState::CancelledByPatient)
            }
        }
    }
}

/// Checks that `side` may record `outcome` (attended or did not attend) for
/// `appointment` at `now`: the clinician, once a scheduled appointment has started.
pub fn check_attendance(
    appointment: &Appointment,
    side: Side,
    now: Timestamp,
) -> Result<(), AppointmentRefusal> {
    if side != Side::Clinician {
        return Err(AppointmentRefusal::ClinicianOnly);
    }
    if appointment.state != AppointmentState::Scheduled {
        return Err(AppointmentRefusal::NotScheduled {
            state: appointment.state,
        });
    }
    if now < appointment.starts_at {
        return Err(AppointmentRefusal::NotStarted);
    }
    Ok(())
}

/// When the reminders of an appointment starting at `starts_at` are due: `lead`
/// seconds before, or at once when that has passed already at `now`.
pub fn reminder_due(starts_at: Timestamp, lead_seconds: i64, now: Timestamp) -> Timestamp {
    let due = starts_at.checked_add_seconds(-lead_seconds).unwrap_or(now);
    if due < now { now } else { due }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    fn appointment(state: AppointmentState) -> Appointment {
        Appointment {
            id: "a".to_owned(),
            clinician_id: PersonId::new("doc").unwrap(),
            patient_id: PersonId::new("pat").unwrap(),
            starts_at: at("2027-05-10T09:00:00Z"),
            ends_at: at("2027-05-10T09:50:00Z"),
            state,
            video_url: None,
            booked_at: at("2027-05-01T09:00:00Z"),
            updated_at: at("2027-05-01T09:00:00Z"),
            rescheduled_from: None,
            reminded_at: None,
        }
    }

    const DAY: i64 = 86_400;

    #[test]
    fn sides_are_the_patient_and_the_clinician_only() {
        let booked = appointment(AppointmentState::Scheduled);
        assert_eq!(
            side_of(&booked, &PersonId::new("pat").unwrap()),
            Ok(Side::Patient)
        );
        assert_eq!(
            side_of(&booked, &PersonId::new("doc").unwrap()),
            Ok(Side::Clinician)
        );
        assert_eq!(
            side_of(&booked, &PersonId::new("other").unwrap()),
            Err(AppointmentRefusal::NotParty)
        );
    }

    #[test]
    fn a_patient_changes_only_before_the_notice_period_a_clinician_always() {
        let booked = appointment(AppointmentState::Scheduled);
        let day_before = at("2027-05-09T09:00:00Z");
        let hour_later = at("2027-05-09T10:00:00Z");
        assert_eq!(
            check_change(&booked, Side::Patient, DAY, day_before),
            Ok(AppointmentState::CancelledByPatient)
        );
        assert_eq!(
            check_change(&booked, Side::Patient, DAY, hour_later),
            Err(AppointmentRefusal::InsideNotice { notice_hours: 24 })
        );
        assert_eq!(
            check_change(&booked, Side::Clinician, DAY, hour_later),
            Ok(AppointmentState::CancelledByClinician)
        );
        let cancelled = appointment(AppointmentState::CancelledByPatient);
        assert_eq!(
            check_change(&cancelled, Side::Clinician, DAY, day_before),
            Err(AppointmentRefusal::NotScheduled {
                state: AppointmentState::CancelledByPatient
            })
        );
    }

    #[test]
    fn attendance_is_the_clinicians_once_started() {
        let booked = appointment(AppointmentState::Scheduled);
        let before = at("2027-05-10T08:59:59Z");
        let started = at("2027-05-10T09:00:00Z");
        assert_eq!(
            check_attendance(&booked, Side::Clinician, before),
            Err(AppointmentRefusal::NotStarted)
        );
        assert_eq!(check_attendance(&booked, Side::Clinician, started), Ok(()));
        assert_eq!(
            check_attendance(&booked, Side::Patient, started),
            Err(AppointmentRefusal::ClinicianOnly)
        );
        assert_eq!(
            check_attendance(
                &appointment(AppointmentState::Attended),
                Side::Clinician,
                started
            ),
            Err(AppointmentRefusal::NotScheduled {
                state: AppointmentState::Attended
            })
        );
    }

    #[test]
    fn bookings_are_for_future_slots_within_a_year() {
        let now = at("2027-05-01T12:00:00Z");
        assert_eq!(check_bookable(now, now), Err(AppointmentRefusal::Started));
        assert_eq!(check_bookable(at("2027-05-01T12:00:01Z"), now), Ok(()));
        assert_eq!(
            check_bookable(at("2028-05-02T12:00:01Z"), now),
            Err(AppointmentRefusal::TooFarAhead)
        );
    }

    #[test]
    fn reminders_are_due_the_lead_before_or_at_once() {
        let starts = at("2027-05-10T09:00:00Z");
        assert_eq!(
            reminder_due(starts, DAY, at("2027-05-01T09:00:00Z")),
            at("2027-05-09T09:00:00Z")
        );
        let late_booking = at("2027-05-10T07:00:00Z");
        assert_eq!(reminder_due(starts, DAY, late_booking), late_booking);
    }
}
