//! Appointments ([`AppointmentStore`]): clinicians' availability, bookings and
//! their changes, the outbox of reminders, and calendar feed tokens.
//!
//! Every write checks the rules of [`crate::appointments`] in its transaction,
//! with the patient's row locked (as consent decisions and link requests lock it),
//! and is audited in it. No double booking is the database's rule: the partial
//! unique index `appointments_one_live_booking` allows one scheduled appointment
//! per clinician and start, and a booking inserts with `ON CONFLICT … DO NOTHING`,
//! so of concurrent requests for one slot one inserts and the others are refused.
//! Reminders are an outbox like the alert deliveries': written with the booking,
//! due the patient's chosen lead time before it (the server's default until they
//! choose), claimed under a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL),
//! recorded once sent. A sent in-app reminder becomes the patient's
//! `appointment_reminder` notification; an email reminder is sent only while the
//! patient may be emailed about reminders (their preferences and consent, the
//! rule of `emails_in`), checked when it is claimed.
//!
//! Booking, moving, cancelling and a new video link notify the other side
//! (`appointment_changed`) in the same transaction.
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use jiff::civil::Date;

use super::common::{column, not_found};
use super::{Db, DbRow, ROW_LOCK, SKIP_LOCKED, SqlStore};
use crate::Error;
use crate::alerting::retry_delay_seconds;
use crate::appointments::{
    AppointmentRefusal, Side, check_attendance, check_bookable, check_change, other_party,
    reminder_due, side_of,
};
use crate::audit::{AuditAction, AuditEntry};
use crate::cipher::fill_random;
use crate::contract::AppointmentStore;
use crate::convert::{
    count, instant, named, new_id, open, optional_instant, page_bounds, person, seal,
};
use crate::error::from_sqlx;
use crate::records::*;
use crate::schedule::{Availability, Closure, Slot, WeeklySlot, slot_starting_at, slots_between};
use crate::sql::AffectedRows;

/// The table, as bound into the sealed video link's associated data.
const TABLE: &str = "appointments";

/// Attempts per reminder before it is given up.
const MAX_REMINDER_ATTEMPTS: u32 = 5;

/// Most reminders claimed in one transaction.
const BATCH: i64 = 50;

/// An appointment with when its in-app reminder was sent.
macro_rules! appointment_select {
    () => {
        "SELECT a.id, a.clinician_id, a.patient_id, a.starts_at, a.ends_at, a.state, \
           a.video_url, a.booked_at, a.updated_at, a.rescheduled_from, r.sent_at AS reminded_at \
         FROM appointments a LEFT JOIN appointment_reminders r \
           ON r.appointment_id = a.id AND r.channel = 'in_app' AND r.state = 'sent'"
    };
}

type Connection = <Db as sqlx::Database>::Connection;

fn refused(refusal: AppointmentRefusal) -> Error {
    Error::AppointmentRefused(refusal)
}

impl SqlStore {
    fn appointment_from_row(&self, row: &DbRow) -> Result<Appointment, Error> {
        let id: String = column(row, "id")?;
        let state: String = column(row, "state")?;
        let video_url: Option<Vec<u8>> = column(row, "video_url")?;
        Ok(Appointment {
            clinician_id: person(column(row, "clinician_id")?, TABLE, "clinician_id")?,
            patient_id: person(column(row, "patient_id")?, TABLE, "patient_id")?,
            starts_at: instant(column(row, "starts_at")?, TABLE, "starts_at")?,
            ends_at: instant(column(row, "ends_at")?, TABLE, "ends_at")?,
            state: named(&state, AppointmentState::from_name, TABLE, "state")?,
            video_url: video_url
                .map(|sealed| open(&self.cipher, TABLE, "video_url", &id, &sealed))
                .transpose()?,
            booked_at: instant(column(row, "booked_at")?, TABLE, "booked_at")?,
            updated_at: instant(column(row, "updated_at")?, TABLE, "updated_at")?,
            rescheduled_from: column(row, "rescheduled_from")?,
            reminded_at: optional_instant(column(row, "reminded_at")?, TABLE, "reminded_at")?,
            id,
        })
    }

    /// The appointment, read on `conn`.
    async fn appointment_on(
        &self,
        conn: &mut Connection,
        appointment_id: &str,
    ) -> Result<Appointment, Error> {
        let row = sqlx::query(concat!(appointment_select!(), " WHERE a.id = $1"))
            .bind(appointment_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("appointment", appointment_id))?;
        self.appointment_from_row(&row)
    }

    /// The clinician's weekly slots and closures, read on `conn`.
    async fn availability_on(
        conn: &mut Connection,
        clinician_id: &PersonId,
    ) -> Result<Availability, Error> {
        let slots = sqlx::query(
            "SELECT weekday, start_minute, length_minutes FROM availability_slots \
             WHERE clinician_id = $1 ORDER BY weekday, start_minute",
        )
        .bind(clinician_id.as_str())
        .fetch_all(&mut *conn)
        .await
        .map_err(from_sqlx)?;
        let closures = sqlx::query(
            "SELECT first_day, last_day FROM availability_closures \
             WHERE clinician_id = $1 ORDER BY first_day, last_day",
        )
        .bind(clinician_id.as_str())
        .fetch_all(&mut *conn)
        .await
        .map_err(from_sqlx)?;
        let small = |row: &DbRow, name: &'static str| -> Result<u16, Error> {
            let value: i32 = column(row, name)?;
            u16::try_from(value)
                .map_err(|_| crate::convert::corrupt("availability_slots", name, "out of range"))
        };
        let day = |row: &DbRow, name: &'static str| -> Result<Date, Error> {
            let text: String = column(row, name)?;
            text.parse::<Date>()
                .map_err(|_| crate::convert::corrupt("availability_closures", name, "not a date"))
        };
        Ok(Availability {
            weekly: slots
                .iter()
                .map(|row| {
                    Ok(WeeklySlot {
                        weekday: u8::try_from(small(row, "weekday")?).map_err(|_| {
                            crate::convert::corrupt("availability_slots", "weekday", "out of range")
                        })?,
                        start_minute: small(row, "start_minute")?,
                        length_minutes: small(row, "length_minutes")?,
                    })
                })
                .collect::<Result<_, Error>>()?,
            closures: closures
                .iter()
                .map(|row| {
                    Ok(Closure {
                        first_day: day(row, "first_day")?,
                        last_day: day(row, "last_day")?,
                    })
                })
                .collect::<Result<_, Error>>()?,
        })
    }

    /// Locks the patient's row for the rest of `tx` (`FOR UPDATE` on PostgreSQL;
    /// SQLite's `BEGIN IMMEDIATE` already excludes other writers), so a consent
    /// decision or a link change cannot slip between the check and the booking.
    async fn lock_person_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        person_id: &PersonId,
    ) -> Result<(), Error> {
        sqlx::query(&format!("SELECT id FROM users WHERE id = $1 {ROW_LOCK}"))
            .bind(person_id.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("user", person_id.as_str()))?;
        Ok(())
    }

    /// Whether the clinician has an accepted link to the patient while the
    /// patient's `clinician_sharing` consent is in force at `at` (the rule every
    /// patient-data read follows), read in `tx`.
    async fn linked_with_sharing_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        clinician_id: &PersonId,
        patient_id: &PersonId,
        at: Timestamp,
    ) -> Result<bool, Error> {
        let linked = sqlx::query(
            "SELECT l.id FROM clinician_patient_links l JOIN users u ON u.id = l.clinician_id \
             WHERE l.clinician_id = $1 AND l.patient_id = $2 AND l.status = $3 AND u.role = $4",
        )
        .bind(clinician_id.as_str())
        .bind(patient_id.as_str())
        .bind(LinkStatus::Accepted.as_str())
        .bind(Role::Clinician.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?
        .is_some();
        Ok(linked && Self::sharing_in_force_in(tx, patient_id, at).await?)
    }

    /// Inserts a booking of the clinician's slot at `starts_at` for the patient
    /// with its reminders, in `tx`, after every check: the live link, the slot
    /// being one of the clinician's, not started, and free (the unique index).
    #[expect(clippy::too_many_arguments, reason = "one booking's facts, all needed")]
    async fn book_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
        clinician_id: &PersonId,
        starts_at: Timestamp,
        video_url: Option<&str>,
        rescheduled_from: Option<&str>,
        rules: &AppointmentRules,
        at: Timestamp,
    ) -> Result<Appointment, Error> {
        if !Self::linked_with_sharing_in(tx, clinician_id, patient_id, at).await? {
            return Err(refused(AppointmentRefusal::NotLinked));
        }
        check_bookable(starts_at, at).map_err(refused)?;
        let availability = Self::availability_on(tx, clinician_id).await?;
        let slot = slot_starting_at(&availability, starts_at)
            .map_err(|error| refused(AppointmentRefusal::Schedule(error)))?
            .ok_or(refused(AppointmentRefusal::NotAnOpenSlot))?;
        let id = new_id()?;
        let sealed_url = video_url
            .map(|url| seal(&self.cipher, TABLE, "video_url", &id, url))
            .transpose()?;
        let inserted = sqlx::query(
            "INSERT INTO appointments (id, clinician_id, patient_id, starts_at, ends_at, state, \
               video_url, booked_at, updated_at, rescheduled_from) \
             VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7, $7, $8) \
             ON CONFLICT (clinician_id, starts_at) WHERE state = 'scheduled' DO NOTHING",
        )
        .bind(&id)
        .bind(clinician_id.as_str())
        .bind(patient_id.as_str())
        .bind(slot.starts_at.unix_seconds())
        .bind(slot.ends_at.unix_seconds())
        .bind(sealed_url)
        .bind(at.unix_seconds())
        .bind(rescheduled_from)
        .execute(&mut **tx)
        .await
        .map_err(from_sqlx)?
        .affected();
        if inserted == 0 {
            return Err(refused(AppointmentRefusal::SlotTaken));
        }
        let lead_seconds = Self::reminder_lead_in(tx, patient_id)
            .await?
            .unwrap_or(rules.reminder_lead_seconds);
        let due = reminder_due(slot.starts_at, lead_seconds, at);
        let mut channels = vec![ReminderChannel::InApp];
        if rules.email_reminders {
            channels.push(ReminderChannel::Email);
        }
        for channel in channels {
            sqlx::query(
                "INSERT INTO appointment_reminders (id, appointment_id, channel, due_at, state, attempts) \
                 VALUES ($1, $2, $3, $4, 'pending', 0)",
            )
            .bind(new_id()?)
            .bind(&id)
            .bind(channel.as_str())
            .bind(due.unix_seconds())
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        }
        self.appointment_on(tx, &id).await
    }

    /// The appointments `person` is a party to, newest first, `limit` from `offset`
    /// (the GDPR export passes `i64::MAX`).
    pub(super) async fn party_appointments(
        &self,
        person: &PersonId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Appointment>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    appointment_select!(),
                    " WHERE a.patient_id = $1 OR a.clinician_id = $1 \
                     ORDER BY a.starts_at DESC, a.id LIMIT $2 OFFSET $3"
                ))
                .bind(person.as_str())
                .bind(limit)
                .bind(offset),
            )
            .await?;
        rows.iter()
            .map(|row| self.appointment_from_row(row))
            .collect()
    }

    /// The reminder lead time the patient chose, in seconds, if they chose one.
    async fn reminder_lead_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
    ) -> Result<Option<i64>, Error> {
        // INTEGER on both back ends: an i32 (PostgreSQL will not decode it as i64).
        let hours = sqlx::query_scalar::<_, i32>(
            "SELECT reminder_lead_hours FROM user_preferences WHERE user_id = $1",
        )
        .bind(patient_id.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        Ok(hours.map(|hours| i64::from(hours) * 3600))
    }

    /// Tells the other side of `appointment` from `by` that it was booked, moved,
    /// cancelled or given a video link: in the app, and by email if they chose.
    async fn notify_other_party_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        appointment: &Appointment,
        by: Side,
        at: Timestamp,
    ) -> Result<(), Error> {
        Self::notify_in(
            tx,
            self.notification_email,
            other_party(appointment, by),
            NotificationKind::AppointmentChanged,
            &appointment.id,
            at,
        )
        .await
    }

    /// Cancels the scheduled appointments between the clinician and the patient
    /// that have not started, in `tx`, because `by` ended their link (no notice
    /// period: the care itself has ended). Each is audited and its other side told.
    pub(super) async fn cancel_on_link_end_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        clinician_id: &PersonId,
        patient_id: &PersonId,
        by: Side,
        at: Timestamp,
    ) -> Result<(), Error> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM appointments WHERE clinician_id = $1 AND patient_id = $2 \
             AND state = 'scheduled' AND starts_at > $3 ORDER BY starts_at, id",
        )
        .bind(clinician_id.as_str())
        .bind(patient_id.as_str())
        .bind(at.unix_seconds())
        .fetch_all(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        let (state, actor) = match by {
            Side::Patient => (AppointmentState::CancelledByPatient, patient_id),
            Side::Clinician => (AppointmentState::CancelledByClinician, clinician_id),
        };
        for id in &ids {
            Self::set_state_in(tx, id, state, at).await?;
            let cancelled = self.appointment_on(tx, id).await?;
            Self::audit_appointment_in(tx, "appointment_cancelled", actor, &cancelled, at).await?;
            self.notify_other_party_in(tx, &cancelled, by, at).await?;
        }
        Ok(())
    }

    /// Moves the appointment to `state` and cancels its pending reminders, in `tx`.
    async fn set_state_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        appointment_id: &str,
        state: AppointmentState,
        at: Timestamp,
    ) -> Result<(), Error> {
        sqlx::query("UPDATE appointments SET state = $2, updated_at = $3 WHERE id = $1")
            .bind(appointment_id)
            .bind(state.as_str())
            .bind(at.unix_seconds())
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        if state != AppointmentState::Scheduled {
            sqlx::query(
                "UPDATE appointment_reminders SET state = 'cancelled', lease_until = NULL \
                 WHERE appointment_id = $1 AND state = 'pending'",
            )
            .bind(appointment_id)
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        }
        Ok(())
    }

    /// Audits an appointment write in its transaction (ids and times only).
    async fn audit_appointment_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        action: &str,
        actor: &PersonId,
        appointment: &Appointment,
        at: Timestamp,
    ) -> Result<(), Error> {
        Self::append_audit_in(
            tx,
            AuditEntry {
                at,
                actor_id: Some(actor.clone()),
                action: AuditAction::new(action)?,
                subject_patient_id: Some(appointment.patient_id.clone()),
                detail: serde_json::json!({
                    "appointment_id": appointment.id,
                    "clinician_id": appointment.clinician_id.as_str(),
                    "starts_at": appointment.starts_at.to_rfc3339(),
                    "state": appointment.state.as_str(),
                }),
            },
        )
        .await?;
        Ok(())
    }

    /// The appointment and which side `by` is of it, read in `tx` with the
    /// patient's row locked.
    async fn party_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        appointment_id: &str,
        by: &PersonId,
    ) -> Result<(Appointment, Side), Error> {
        let appointment = self.appointment_on(tx, appointment_id).await?;
        let side = side_of(&appointment, by).map_err(refused)?;
        Self::lock_person_in(tx, &appointment.patient_id).await?;
        // Read again under the lock: a concurrent change has committed by now.
        let appointment = self.appointment_on(tx, appointment_id).await?;
        Ok((appointment, side))
    }
}

impl AppointmentStore for SqlStore {
    async fn availability(&self, clinician_id: &PersonId) -> Result<Availability, Error> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        Self::availability_on(&mut conn, clinician_id).await
    }

    async fn set_availability(
        &self,
        clinician_id: &PersonId,
        availability: &Availability,
        at: Timestamp,
    ) -> Result<Availability, Error> {
        availability
            .check()
            .map_err(|error| refused(AppointmentRefusal::Schedule(error)))?;
        let mut tx = self.begin_write().await?;
        Self::lock_person_in(&mut tx, clinician_id).await?;
        for statement in [
            "DELETE FROM availability_slots WHERE clinician_id = $1",
            "DELETE FROM availability_closures WHERE clinician_id = $1",
        ] {
            sqlx::query(statement)
                .bind(clinician_id.as_str())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
        }
        for slot in &availability.weekly {
            sqlx::query(
                "INSERT INTO availability_slots (id, clinician_id, weekday, start_minute, length_minutes) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new_id()?)
            .bind(clinician_id.as_str())
            .bind(i32::from(slot.weekday))
            .bind(i32::from(slot.start_minute))
            .bind(i32::from(slot.length_minutes))
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        }
        for closure in &availability.closures {
            sqlx::query(
                "INSERT INTO availability_closures (id, clinician_id, first_day, last_day) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(new_id()?)
            .bind(clinician_id.as_str())
            .bind(closure.first_day.to_string())
            .bind(closure.last_day.to_string())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        }
        Self::append_audit_in(
            &mut tx,
            AuditEntry {
                at,
                actor_id: Some(clinician_id.clone()),
                action: AuditAction::new("availability_changed")?,
                subject_patient_id: None,
                detail: serde_json::json!({
                    "weekly_slots": availability.weekly.len(),
                    "closures": availability.closures.len(),
                }),
            },
        )
        .await?;
        let stored = Self::availability_on(&mut tx, clinician_id).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(stored)
    }

    async fn open_slots(
        &self,
        clinician_id: &PersonId,
        first_day: Date,
        last_day: Date,
        now: Timestamp,
    ) -> Result<Vec<Slot>, Error> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        let availability = Self::availability_on(&mut conn, clinician_id).await?;
        let slots = slots_between(&availability, first_day, last_day)
            .map_err(|error| refused(AppointmentRefusal::Schedule(error)))?;
        let (Some(first), Some(last)) = (slots.first(), slots.last()) else {
            return Ok(Vec::new());
        };
        let booked = sqlx::query(
            "SELECT starts_at FROM appointments \
             WHERE clinician_id = $1 AND state = 'scheduled' AND starts_at >= $2 AND starts_at <= $3",
        )
        .bind(clinician_id.as_str())
        .bind(first.starts_at.unix_seconds())
        .bind(last.starts_at.unix_seconds())
        .fetch_all(&mut *conn)
        .await
        .map_err(from_sqlx)?
        .iter()
        .map(|row| column::<i64>(row, "starts_at"))
        .collect::<Result<std::collections::HashSet<i64>, Error>>()?;
        Ok(slots
            .into_iter()
            .filter(|slot| slot.starts_at > now && !booked.contains(&slot.starts_at.unix_seconds()))
            .collect())
    }

    async fn book_appointment(
        &self,
        patient_id: &PersonId,
        clinician_id: &PersonId,
        starts_at: Timestamp,
        rules: &AppointmentRules,
        at: Timestamp,
    ) -> Result<Appointment, Error> {
        let mut tx = self.begin_write().await?;
        Self::lock_person_in(&mut tx, patient_id).await?;
        let booked = self
            .book_in(
                &mut tx,
                patient_id,
                clinician_id,
                starts_at,
                None,
                None,
                rules,
                at,
            )
            .await?;
        Self::audit_appointment_in(&mut tx, "appointment_booked", patient_id, &booked, at).await?;
        self.notify_other_party_in(&mut tx, &booked, Side::Patient, at)
            .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(booked)
    }

    async fn appointment(&self, appointment_id: &str) -> Result<Appointment, Error> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        self.appointment_on(&mut conn, appointment_id).await
    }

    async fn appointments_of(
        &self,
        person: &PersonId,
        page: Page,
    ) -> Result<Vec<Appointment>, Error> {
        let (limit, offset) = page_bounds(page);
        self.party_appointments(person, limit, offset).await
    }

    async fn cancel_appointment(
        &self,
        appointment_id: &str,
        by: &PersonId,
        rules: &AppointmentRules,
        at: Timestamp,
    ) -> Result<Appointment, Error> {
        let mut tx = self.begin_write().await?;
        let (appointment, side) = self.party_in(&mut tx, appointment_id, by).await?;
        let state = check_change(&appointment, side, rules.notice_seconds, at).map_err(refused)?;
        Self::set_state_in(&mut tx, appointment_id, state, at).await?;
        let cancelled = self.appointment_on(&mut tx, appointment_id).await?;
        Self::audit_appointment_in(&mut tx, "appointment_cancelled", by, &cancelled, at).await?;
        self.notify_other_party_in(&mut tx, &cancelled, side, at)
            .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(cancelled)
    }

    async fn reschedule_appointment(
        &self,
        appointment_id: &str,
        by: &PersonId,
        starts_at: Timestamp,
        rules: &AppointmentRules,
        at: Timestamp,
    ) -> Result<Appointment, Error> {
        let mut tx = self.begin_write().await?;
        let (appointment, side) = self.party_in(&mut tx, appointment_id, by).await?;
        let state = check_change(&appointment, side, rules.notice_seconds, at).map_err(refused)?;
        // The old booking leaves the slot first, so moving within its own start
        // (a no-op) or to a freed slot works; a refusal below rolls both back.
        Self::set_state_in(&mut tx, appointment_id, state, at).await?;
        let moved = self
            .book_in(
                &mut tx,
                &appointment.patient_id,
                &appointment.clinician_id,
                starts_at,
                appointment.video_url.as_deref(),
                Some(appointment_id),
                rules,
                at,
            )
            .await?;
        Self::audit_appointment_in(&mut tx, "appointment_rescheduled", by, &moved, at).await?;
        // About the new booking: the old one is cancelled, and the app opens the new.
        self.notify_other_party_in(&mut tx, &moved, side, at)
            .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(moved)
    }

    async fn record_attendance(
        &self,
        appointment_id: &str,
        by: &PersonId,
        attended: bool,
        at: Timestamp,
    ) -> Result<Appointment, Error> {
        let mut tx = self.begin_write().await?;
        let (appointment, side) = self.party_in(&mut tx, appointment_id, by).await?;
        check_attendance(&appointment, side, at).map_err(refused)?;
        let state = if attended {
            AppointmentState::Attended
        } else {
            AppointmentState::DidNotAttend
        };
        Self::set_state_in(&mut tx, appointment_id, state, at).await?;
        let recorded = self.appointment_on(&mut tx, appointment_id).await?;
        Self::audit_appointment_in(&mut tx, "appointment_attendance", by, &recorded, at).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(recorded)
    }

    async fn set_video_link(
        &self,
        appointment_id: &str,
        by: &PersonId,
        url: Option<&str>,
        at: Timestamp,
    ) -> Result<Appointment, Error> {
        let mut tx = self.begin_write().await?;
        let (appointment, side) = self.party_in(&mut tx, appointment_id, by).await?;
        if side != Side::Clinician {
            return Err(refused(AppointmentRefusal::ClinicianOnly));
        }
        if appointment.state != AppointmentState::Scheduled {
            return Err(refused(AppointmentRefusal::NotScheduled {
                state: appointment.state,
            }));
        }
        let sealed = url
            .map(|url| seal(&self.cipher, TABLE, "video_url", appointment_id, url))
            .transpose()?;
        sqlx::query("UPDATE appointments SET video_url = $2, updated_at = $3 WHERE id = $1")
            .bind(appointment_id)
            .bind(sealed)
            .bind(at.unix_seconds())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        let changed = self.appointment_on(&mut tx, appointment_id).await?;
        Self::audit_appointment_in(&mut tx, "appointment_video_link_set", by, &changed, at).await?;
        self.notify_other_party_in(&mut tx, &changed, side, at)
            .await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(changed)
    }

    async fn claim_due_reminders(
        &self,
        now: Timestamp,
        lease_seconds: i64,
        limit: u32,
    ) -> Result<Vec<ClaimedReminder>, Error> {
        let due_where = "state = 'pending' AND due_at <= $1 \
                         AND (lease_until IS NULL OR lease_until <= $1)";
        // Idle polling costs one indexed read, without the write lock.
        let any = sqlx::query(&format!(
            "SELECT id FROM appointment_reminders WHERE {due_where} LIMIT 1"
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
            "SELECT id FROM appointment_reminders WHERE {due_where} \
             ORDER BY due_at, id LIMIT $2 {SKIP_LOCKED}"
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
                "UPDATE appointment_reminders SET attempts = attempts + 1, lease_until = $2 \
                 WHERE id = $1 RETURNING appointment_id, channel, attempts",
            )
            .bind(&id)
            .bind(lease_until.unix_seconds())
            .fetch_one(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            let table = "appointment_reminders";
            let appointment_id: String = column(&row, "appointment_id")?;
            let channel: String = column(&row, "channel")?;
            let attempt = count(column(&row, "attempts")?, table, "attempts")?;
            let appointment = self.appointment_on(&mut tx, &appointment_id).await?;
            let channel = named(&channel, ReminderChannel::from_name, table, "channel")?;
            if channel == ReminderChannel::Email
                && !Self::emails_in(
                    &mut tx,
                    &appointment.patient_id,
                    NotificationKind::AppointmentReminder,
                    now,
                )
                .await?
            {
                // The patient turned reminder emails off, withdrew consent to
                // email, or was disabled since booking: this one is not sent.
                sqlx::query(
                    "UPDATE appointment_reminders SET state = 'cancelled', lease_until = NULL \
                     WHERE id = $1",
                )
                .bind(&id)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                continue;
            }
            let recipient_email = sqlx::query("SELECT email FROM users WHERE id = $1")
                .bind(appointment.patient_id.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(from_sqlx)?
                .map(|row| column::<String>(&row, "email"))
                .transpose()?;
            claimed.push(ClaimedReminder {
                id,
                appointment_id,
                channel,
                attempt,
                patient_id: appointment.patient_id,
                recipient_email,
                starts_at: appointment.starts_at,
            });
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(claimed)
    }

    async fn record_reminder_attempt(
        &self,
        reminder_id: &str,
        attempt: u32,
        sent: bool,
        now: Timestamp,
    ) -> Result<ReminderRecorded, Error> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT r.state, r.attempts, r.channel, a.id AS appointment_id, a.patient_id \
             FROM appointment_reminders r JOIN appointments a ON a.id = r.appointment_id \
             WHERE r.id = $1 {ROW_LOCK}"
        ))
        .bind(reminder_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("appointment reminder", reminder_id))?;
        let state: String = column(&row, "state")?;
        let attempts = count(
            column(&row, "attempts")?,
            "appointment_reminders",
            "attempts",
        )?;
        // A lapsed claim: another worker has claimed the reminder since.
        if state != "pending" || attempts != attempt {
            tx.commit().await.map_err(from_sqlx)?;
            return Ok(ReminderRecorded::Stale);
        }
        let recorded = if sent {
            sqlx::query(
                "UPDATE appointment_reminders SET state = 'sent', sent_at = $2, lease_until = NULL \
                 WHERE id = $1",
            )
            .bind(reminder_id)
            .bind(now.unix_seconds())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            let channel: String = column(&row, "channel")?;
            let channel = named(
                &channel,
                ReminderChannel::from_name,
                "appointment_reminders",
                "channel",
            )?;
            if channel == ReminderChannel::InApp {
                // The email reminder is its own outbox row: the notification
                // only shows in the app.
                let patient = person(column(&row, "patient_id")?, "appointments", "patient_id")?;
                let appointment_id: String = column(&row, "appointment_id")?;
                Self::notify_in(
                    &mut tx,
                    false,
                    &patient,
                    NotificationKind::AppointmentReminder,
                    &appointment_id,
                    now,
                )
                .await?;
            }
            ReminderRecorded::Sent
        } else if attempt >= MAX_REMINDER_ATTEMPTS {
            sqlx::query(
                "UPDATE appointment_reminders SET state = 'failed', lease_until = NULL WHERE id = $1",
            )
            .bind(reminder_id)
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            ReminderRecorded::GivenUp
        } else {
            let mut jitter = [0u8; 4];
            fill_random(&mut jitter)?;
            let delay = retry_delay_seconds(attempt, u32::from_le_bytes(jitter));
            let retry_at = now.checked_add_seconds(delay).unwrap_or(now);
            sqlx::query(
                "UPDATE appointment_reminders SET due_at = $2, lease_until = NULL WHERE id = $1",
            )
            .bind(reminder_id)
            .bind(retry_at.unix_seconds())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            ReminderRecorded::RetryAt(retry_at)
        };
        tx.commit().await.map_err(from_sqlx)?;
        Ok(recorded)
    }

    async fn set_calendar_feed(
        &self,
        user_id: &PersonId,
        token_hash: &TokenHash,
        at: Timestamp,
    ) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, \
               created_at = excluded.created_at",
        )
        .bind(user_id.as_str())
        .bind(token_hash.as_bytes().as_slice())
        .bind(at.unix_seconds())
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }

    async fn revoke_calendar_feed(&self, user_id: &PersonId) -> Result<bool, Error> {
        Ok(sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(user_id.as_str())
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?
            .affected()
            > 0)
    }

    async fn calendar_feed_owner(&self, token_hash: &TokenHash) -> Result<Option<PersonId>, Error> {
        let row =
            sqlx::query("SELECT user_id, token_hash FROM calendar_feeds WHERE token_hash = $1")
                .bind(token_hash.as_bytes().as_slice())
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlx)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let stored: Vec<u8> = column(&row, "token_hash")?;
        // The lookup is by hash; compare again in constant time all the same.
        let same =
            subtle::ConstantTimeEq::ct_eq(stored.as_slice(), token_hash.as_bytes().as_slice());
        if !bool::from(same) {
            return Ok(None);
        }
        Ok(Some(person(
            column(&row, "user_id")?,
            "calendar_feeds",
            "user_id",
        )?))
    }
}
