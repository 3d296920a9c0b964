//! Appointments: a clinician's availability (`/api/me/availability`), a linked
//! clinician's open slots and booking one (`/api/clinicians/{clinician_id}/…`),
//! the caller's own appointments and their changes (`/api/appointments/…`), and
//! the iCalendar feed at a secret-token URL (`/api/me/calendar-feed`,
//! `/api/calendar/{token}`).
//!
//! Who may book with whom, the notice period, and attendance are the store's
//! rules (`healing_store::appointments`), checked in each write's transaction; a
//! slot two people ask for at once goes to one of them, by the database's unique
//! index, and the other is answered 409 `SLOT_TAKEN`. Nothing here is free text a
//! patient writes, so nothing needs screening.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::schedule::{self, Availability, Closure, Date, Slot, WeeklySlot};
use healing_store::{Appointment, Page, TokenHash};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, JsonBody, PathParams, QueryParams, ok, ok_with};
use crate::policy::{AppointmentAccess, Caller};
use crate::state::{AppState, store_error};

/// Longest video-call link accepted, in characters.
pub const VIDEO_URL_MAX_CHARS: usize = 500;
/// Days of slots one read returns at most.
pub const MAX_SLOT_DAYS: u32 = 31;

/// A weekly slot in local (Europe/London) time.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WeeklySlotView {
    /// ISO 8601 weekday: 1 is Monday, 7 is Sunday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: u8,
    /// Local start, `HH:MM` (24-hour).
    #[schema(example = "09:00")]
    pub start: String,
    /// Length in minutes (10 to 240; the slot must end by midnight).
    #[schema(minimum = 10, maximum = 240)]
    pub length_minutes: u16,
}

/// Local dates, both included, on which no slots are offered (leave, bank
/// holidays).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClosureView {
    /// First closed day, `YYYY-MM-DD`.
    #[schema(example = "2027-12-24")]
    pub first_day: String,
    /// Last closed day, `YYYY-MM-DD`.
    #[schema(example = "2027-12-28")]
    pub last_day: String,
}

/// A clinician's availability.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AvailabilityView {
    /// The time zone the slots are in (always `Europe/London`).
    pub zone: String,
    /// The weekly slots.
    pub weekly: Vec<WeeklySlotView>,
    /// The closures.
    pub closures: Vec<ClosureView>,
}

/// `PUT /api/me/availability` body: replaces the whole availability.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SetAvailability {
    /// The weekly slots (no two on one weekday may overlap; at most 200).
    pub weekly: Vec<WeeklySlotView>,
    /// The closures (at most 200).
    #[serde(default)]
    pub closures: Vec<ClosureView>,
}

/// One open slot.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SlotView {
    /// When it starts (RFC 3339, UTC): what to send to book it.
    pub starts_at: String,
    /// When it ends (RFC 3339, UTC).
    pub ends_at: String,
    /// When it starts in UK time, as people read it.
    pub local_start: String,
}

/// A clinician's open slots.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SlotsView {
    /// The time zone of `local_start` (always `Europe/London`).
    pub zone: String,
    /// The open slots, in time order.
    pub slots: Vec<SlotView>,
}

/// Which slots to list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// First local date, `YYYY-MM-DD` (default: today in the UK).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Days from `from` (1 to 31, default 14).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 31)]
    pub days: Option<u32>,
}

/// `POST /api/clinicians/{clinician_id}/appointments` and
/// `POST /api/appointments/{appointment_id}/reschedule` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookSlot {
    /// The slot's start, as listed (RFC 3339).
    #[schema(format = DateTime)]
    pub starts_at: String,
}

/// `POST /api/appointments/{appointment_id}/attendance` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordAttendance {
    /// Whether the patient came.
    pub attended: bool,
}

/// `PUT /api/appointments/{appointment_id}/video-link` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SetVideoLink {
    /// An `https://` link (at most 500 characters), or null to remove it.
    pub url: Option<String>,
}

/// A person on an appointment, by the name they chose.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentPerson {
    /// Id.
    pub id: String,
    /// Display name.
    pub display_name: String,
}

/// One appointment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentView {
    /// Id.
    pub id: String,
    /// The clinician.
    pub clinician: AppointmentPerson,
    /// The patient.
    pub patient: AppointmentPerson,
    /// When it starts (RFC 3339, UTC).
    pub starts_at: String,
    /// When it ends (RFC 3339, UTC).
    pub ends_at: String,
    /// When it starts in UK time, as people read it.
    pub local_start: String,
    /// `scheduled`, `attended`, `did_not_attend`, `cancelled_by_patient` or
    /// `cancelled_by_clinician`.
    pub state: String,
    /// The video-call link, if the clinician set one.
    pub video_url: Option<String>,
    /// When it was booked (RFC 3339).
    pub booked_at: String,
    /// The appointment this one replaced when it was moved.
    pub rescheduled_from: Option<String>,
    /// When the in-app reminder was sent (RFC 3339), if it has been.
    pub reminded_at: Option<String>,
}

/// The caller's appointments.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentList {
    /// A page of appointments, latest start first.
    pub appointments: Vec<AppointmentView>,
}

/// A new calendar feed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarFeed {
    /// The feed's URL, to add to a calendar app. Anyone holding it sees the
    /// times of the caller's appointments (and nothing else); it is shown once,
    /// and creating a new one stops the old one.
    pub url: String,
}

/// The answer to revoking the calendar feed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarFeedRevoked {
    /// Whether there was a feed to revoke.
    pub revoked: bool,
}

/// Paging of the caller's appointments.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size (default 50, at most 200).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub limit: Option<u32>,
    /// Rows to skip from the latest (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    pub offset: Option<u32>,
}

// ---- availability ----

/// The caller's own weekly slots and closures.
#[utoipa::path(get, path = "/api/me/availability", tag = "appointments",
    responses((status = 200, description = "The availability", body = AvailabilityView)))]
pub async fn my_availability(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let availability = state
        .store()
        .availability(&caller.user_id)
        .await
        .map_err(store_error)?;
    Ok(ok(availability_view(&availability)))
}

/// Replace the caller's weekly slots and closures (Europe/London time). Bookings
/// already made stay. 422 `INVALID_AVAILABILITY` names what is wrong.
#[utoipa::path(put, path = "/api/me/availability", tag = "appointments", request_body = SetAvailability,
    responses((status = 200, description = "The availability as stored", body = AvailabilityView)))]
pub async fn set_availability(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<SetAvailability>,
) -> Result<Response, ApiError> {
    let availability = Availability {
        weekly: request
            .weekly
            .iter()
            .map(|slot| {
                Ok(WeeklySlot {
                    weekday: slot.weekday,
                    start_minute: parse_start(&slot.start)?,
                    length_minutes: slot.length_minutes,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        closures: request
            .closures
            .iter()
            .map(|closure| {
                Ok(Closure {
                    first_day: parse_date(&closure.first_day, "first_day")?,
                    last_day: parse_date(&closure.last_day, "last_day")?,
                })
            })
            .collect::<Result<_, ApiError>>()?,
    };
    let stored = state
        .store()
        .set_availability(&caller.user_id, &availability, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok(availability_view(&stored)))
}

// ---- slots and booking ----

/// A linked clinician's open slots: their weekly slots on the dates asked for,
/// less closures, slots already booked and slots that have started.
#[utoipa::path(get, path = "/api/clinicians/{clinician_id}/slots", tag = "appointments",
    params(("clinician_id" = String, Path, description = "The clinician"), SlotsQuery),
    responses((status = 200, description = "The open slots", body = SlotsView)))]
pub async fn open_slots(
    State(state): State<AppState>,
    PathParams(clinician_id): PathParams<String>,
    QueryParams(query): QueryParams<SlotsQuery>,
) -> Result<Response, ApiError> {
    let clinician_id = crate::routes::person_id(&clinician_id, "clinician_id")?;
    let now = state.now();
    let first_day = match &query.from {
        Some(text) => parse_date(text, "from")?,
        None => schedule::local_date(now).map_err(ApiError::internal)?,
    };
    let days = query.days.unwrap_or(14);
    if !(1..=MAX_SLOT_DAYS).contains(&days) {
        return Err(ApiError::validation(format!(
            "days must be 1 to {MAX_SLOT_DAYS}"
        )));
    }
    let last_day = schedule::add_days(first_day, days - 1)
        .map_err(|_| ApiError::validation("from is too far in the future"))?;
    let slots = state
        .store()
        .open_slots(&clinician_id, first_day, last_day, now)
        .await
        .map_err(store_error)?;
    Ok(ok(SlotsView {
        zone: schedule::ZONE.to_owned(),
        slots: slots.iter().map(slot_view).collect::<Result<_, _>>()?,
    }))
}

/// Book one of a linked clinician's open slots. 409 `SLOT_TAKEN` when someone
/// else booked it first; 422 `NOT_AN_OPEN_SLOT` when the time is not one of the
/// clinician's slots or has started.
#[utoipa::path(post, path = "/api/clinicians/{clinician_id}/appointments", tag = "appointments",
    request_body = BookSlot,
    params(("clinician_id" = String, Path, description = "The clinician")),
    responses((status = 201, description = "Booked", body = AppointmentView)))]
pub async fn book(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(clinician_id): PathParams<String>,
    JsonBody(request): JsonBody<BookSlot>,
) -> Result<Response, ApiError> {
    let clinician_id = crate::routes::person_id(&clinician_id, "clinician_id")?;
    let starts_at = parse_instant(&request.starts_at)?;
    let booked = state
        .store()
        .book_appointment(
            &caller.user_id,
            &clinician_id,
            starts_at,
            &state.appointment_rules(),
            state.now(),
        )
        .await
        .map_err(store_error)?;
    let view = views(&state, &[booked]).await?.remove(0);
    Ok(ok_with(StatusCode::CREATED, view, "appointment booked"))
}

// ---- the caller's appointments ----

/// The caller's appointments as patient or clinician, latest start first.
#[utoipa::path(get, path = "/api/appointments", tag = "appointments", params(PageQuery),
    responses((status = 200, description = "The appointments", body = AppointmentList)))]
pub async fn my_appointments(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, ApiError> {
    let page = Page {
        limit: query.limit.unwrap_or(50).clamp(1, 200),
        offset: u64::from(query.offset.unwrap_or(0)),
    };
    let appointments = state
        .store()
        .appointments_of(&caller.user_id, page)
        .await
        .map_err(store_error)?;
    Ok(ok(AppointmentList {
        appointments: views(&state, &appointments).await?,
    }))
}

/// One appointment.
#[utoipa::path(get, path = "/api/appointments/{appointment_id}", tag = "appointments",
    params(("appointment_id" = String, Path, description = "The appointment")),
    responses((status = 200, description = "The appointment", body = AppointmentView)))]
pub async fn show(
    State(state): State<AppState>,
    access: AppointmentAccess,
) -> Result<Response, ApiError> {
    Ok(ok(views(&state, &[access.appointment]).await?.remove(0)))
}

/// Cancel an appointment: its clinician at any time, its patient up to the
/// notice period before it (409 `INSIDE_NOTICE_PERIOD` after that).
#[utoipa::path(post, path = "/api/appointments/{appointment_id}/cancel", tag = "appointments",
    params(("appointment_id" = String, Path, description = "The appointment")),
    responses((status = 200, description = "Cancelled", body = AppointmentView)))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    access: AppointmentAccess,
) -> Result<Response, ApiError> {
    let cancelled = state
        .store()
        .cancel_appointment(
            &access.appointment.id,
            &caller.user_id,
            &state.appointment_rules(),
            state.now(),
        )
        .await
        .map_err(store_error)?;
    Ok(ok(views(&state, &[cancelled]).await?.remove(0)))
}

/// Move an appointment to another open slot of its clinician: the old one is
/// cancelled by the caller's side and a new one booked, together or not at all
/// (the same rules as cancelling and booking).
#[utoipa::path(post, path = "/api/appointments/{appointment_id}/reschedule", tag = "appointments",
    request_body = BookSlot,
    params(("appointment_id" = String, Path, description = "The appointment")),
    responses((status = 201, description = "The new appointment", body = AppointmentView)))]
pub async fn reschedule(
    State(state): State<AppState>,
    caller: Caller,
    access: AppointmentAccess,
    JsonBody(request): JsonBody<BookSlot>,
) -> Result<Response, ApiError> {
    let starts_at = parse_instant(&request.starts_at)?;
    let moved = state
        .store()
        .reschedule_appointment(
            &access.appointment.id,
            &caller.user_id,
            starts_at,
            &state.appointment_rules(),
            state.now(),
        )
        .await
        .map_err(store_error)?;
    let view = views(&state, &[moved]).await?.remove(0);
    Ok(ok_with(StatusCode::CREATED, view, "appointment moved"))
}

/// Record whether the patient came, once the appointment has started (409
/// `NOT_STARTED` before).
#[utoipa::path(post, path = "/api/appointments/{appointment_id}/attendance", tag = "appointments",
    request_body = RecordAttendance,
    params(("appointment_id" = String, Path, description = "The appointment")),
    responses((status = 200, description = "Recorded", body = AppointmentView)))]
pub async fn record_attendance(
    State(state): State<AppState>,
    caller: Caller,
    access: AppointmentAccess,
    JsonBody(request): JsonBody<RecordAttendance>,
) -> Result<Response, ApiError> {
    let recorded = state
        .store()
        .record_attendance(
            &access.appointment.id,
            &caller.user_id,
            request.attended,
            state.now(),
        )
        .await
        .map_err(store_error)?;
    Ok(ok(views(&state, &[recorded]).await?.remove(0)))
}

/// Set or remove the appointment's video-call link (`https://` only).
#[utoipa::path(put, path = "/api/appointments/{appointment_id}/video-link", tag = "appointments",
    request_body = SetVideoLink,
    params(("appointment_id" = String, Path, description = "The appointment")),
    responses((status = 200, description = "Set", body = AppointmentView)))]
pub async fn set_video_link(
    State(state): State<AppState>,
    caller: Caller,
    access: AppointmentAccess,
    JsonBody(request): JsonBody<SetVideoLink>,
) -> Result<Response, ApiError> {
    let url = request.url.as_deref().map(check_video_url).transpose()?;
    let changed = state
        .store()
        .set_video_link(
            &access.appointment.id,
            &caller.user_id,
            url.as_deref(),
            state.now(),
        )
        .await
        .map_err(store_error)?;
    Ok(ok(views(&state, &[changed]).await?.remove(0)))
}

// ---- the calendar feed ----

/// Create (or replace) the caller's calendar feed and answer its secret URL,
/// shown this once. The old URL, if any, stops working.
#[utoipa::path(post, path = "/api/me/calendar-feed", tag = "appointments",
    responses((status = 201, description = "The feed's URL", body = CalendarFeed)))]
pub async fn create_calendar_feed(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let mut secret = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(secret.as_mut()).map_err(ApiError::internal)?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret.as_ref());
    state
        .store()
        .set_calendar_feed(
            &caller.user_id,
            &TokenHash::of_secret(token.as_bytes()),
            state.now(),
        )
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "calendar_feed_created",
        None,
        serde_json::json!({}),
    )
    .await?;
    Ok(ok_with(
        StatusCode::CREATED,
        CalendarFeed {
            url: format!("{}/api/calendar/{token}", state.public_url()),
        },
        "calendar feed created",
    ))
}

/// Revoke the caller's calendar feed: its URL stops working at once.
#[utoipa::path(delete, path = "/api/me/calendar-feed", tag = "appointments",
    responses((status = 200, description = "Revoked", body = CalendarFeedRevoked)))]
pub async fn revoke_calendar_feed(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let revoked = state
        .store()
        .revoke_calendar_feed(&caller.user_id)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "calendar_feed_revoked",
        None,
        serde_json::json!({ "revoked": revoked }),
    )
    .await?;
    Ok(ok(CalendarFeedRevoked { revoked }))
}

/// The iCalendar feed (RFC 5545) of the token's owner: each appointment's times
/// and state, nothing else. 404 for an unknown or revoked token.
#[utoipa::path(get, path = "/api/calendar/{token}", tag = "appointments",
    params(("token" = String, Path, description = "The feed's secret token")),
    responses((status = 200, description = "The calendar", content((String = "text/calendar"))),
        (status = 404, description = "No such feed: the token is unknown or was revoked", body = crate::error::ErrorBody)))]
pub async fn calendar_feed(
    State(state): State<AppState>,
    PathParams(token): PathParams<String>,
) -> Result<Response, ApiError> {
    // A token is 43 base64url characters; anything else matches nothing.
    let well_formed = token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let owner = if well_formed {
        state
            .store()
            .calendar_feed_owner(&TokenHash::of_secret(token.as_bytes()))
            .await
            .map_err(store_error)?
    } else {
        None
    };
    let Some(owner) = owner else {
        return Err(ApiError::not_found("calendar feed"));
    };
    let appointments = state
        .store()
        .appointments_of(&owner, Page::first(1000))
        .await
        .map_err(store_error)?;
    let host = state
        .public_url()
        .split_once("://")
        .map_or(state.public_url(), |(_, host)| host);
    let body = crate::appointments::ical::calendar(&appointments, host);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

// ---- conversions ----

fn availability_view(availability: &Availability) -> AvailabilityView {
    AvailabilityView {
        zone: schedule::ZONE.to_owned(),
        weekly: availability
            .weekly
            .iter()
            .map(|slot| WeeklySlotView {
                weekday: slot.weekday,
                start: format!(
                    "{:02}:{:02}",
                    slot.start_minute / 60,
                    slot.start_minute % 60
                ),
                length_minutes: slot.length_minutes,
            })
            .collect(),
        closures: availability
            .closures
            .iter()
            .map(|closure| ClosureView {
                first_day: closure.first_day.to_string(),
                last_day: closure.last_day.to_string(),
            })
            .collect(),
    }
}

fn slot_view(slot: &Slot) -> Result<SlotView, ApiError> {
    Ok(SlotView {
        starts_at: slot.starts_at.to_rfc3339(),
        ends_at: slot.ends_at.to_rfc3339(),
        local_start: schedule::local_text(slot.starts_at).map_err(ApiError::internal)?,
    })
}

/// The appointments as answered, with both sides' display names (one query).
async fn views(
    state: &AppState,
    appointments: &[Appointment],
) -> Result<Vec<AppointmentView>, ApiError> {
    let mut ids: Vec<PersonId> = appointments
        .iter()
        .flat_map(|a| [a.clinician_id.clone(), a.patient_id.clone()])
        .collect();
    ids.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    ids.dedup();
    let names: HashMap<PersonId, String> = state
        .store()
        .display_names(&ids)
        .await
        .map_err(store_error)?;
    let person = |id: &PersonId| AppointmentPerson {
        id: id.as_str().to_owned(),
        display_name: names.get(id).cloned().unwrap_or_default(),
    };
    appointments
        .iter()
        .map(|appointment| {
            Ok(AppointmentView {
                id: appointment.id.clone(),
                clinician: person(&appointment.clinician_id),
                patient: person(&appointment.patient_id),
                starts_at: appointment.starts_at.to_rfc3339(),
                ends_at: appointment.ends_at.to_rfc3339(),
                local_start: schedule::local_text(appointment.starts_at)
                    .map_err(ApiError::internal)?,
                state: appointment.state.as_str().to_owned(),
                video_url: appointment.video_url.clone(),
                booked_at: appointment.booked_at.to_rfc3339(),
                rescheduled_from: appointment.rescheduled_from.clone(),
                reminded_at: appointment.reminded_at.map(Timestamp::to_rfc3339),
            })
        })
        .collect()
}

/// `HH:MM` as minutes after midnight.
fn parse_start(text: &str) -> Result<u16, ApiError> {
    let invalid = || ApiError::validation(format!("start {text:?} is not HH:MM (00:00 to 23:59)"));
    let (hours, minutes) = text.split_once(':').ok_or_else(invalid)?;
    if hours.len() != 2 || minutes.len() != 2 {
        return Err(invalid());
    }
    let hours: u16 = hours.parse().map_err(|_| invalid())?;
    let minutes: u16 = minutes.parse().map_err(|_| invalid())?;
    if hours > 23 || minutes > 59 {
        return Err(invalid());
    }
    Ok(hours * 60 + minutes)
}

fn parse_date(text: &str, field: &str) -> Result<Date, ApiError> {
    let well_formed = text.len() == 10;
    text.parse::<Date>()
        .ok()
        .filter(|_| well_formed)
        .ok_or_else(|| ApiError::validation(format!("{field} is not a date YYYY-MM-DD")))
}

fn parse_instant(text: &str) -> Result<Timestamp, ApiError> {
    Timestamp::parse_rfc3339(text)
        .map_err(|_| ApiError::validation("starts_at is not an RFC 3339 time"))
}

/// A video-call link: `https://` with a host, no credentials, at most
/// [`VIDEO_URL_MAX_CHARS`].
fn check_video_url(text: &str) -> Result<String, ApiError> {
    let refuse = || {
        ApiError::validation(format!(
            "url must be an https:// link of at most {VIDEO_URL_MAX_CHARS} characters"
        ))
    };
    if text.chars().count() > VIDEO_URL_MAX_CHARS {
        return Err(refuse());
    }
    let url = reqwest::Url::parse(text).map_err(|_| refuse())?;
    if url.scheme() != "https"
        || !url.has_host()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(refuse());
    }
    Ok(url.to_string())
}
