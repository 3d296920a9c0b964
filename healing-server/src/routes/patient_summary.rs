//! `GET /api/clinician/patients/{patient_id}/summary`: one patient as their
//! clinician sees them — the mood summary from `healing_core::mood::summarise`, score
//! trajectories, the current course with the NHS Talking Therapies outcome the store
//! keeps for it (each finding with its reasoning, as the courses routes show it), the safety
//! plan's last change, open and recent alerts, and which consents are in force.
//! Appointments are not stored yet, so the summary has no field for them.
//! The JSON is this module's own; core types are converted at the edge.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use healing_core::consent::Purpose;
use healing_core::mood::{
    DailyMood, DateRange, MoodSummary, NotableReason, Statistics, Trend, Window, daily_moods,
    summarise,
};
use healing_store::prelude::*;
use healing_store::{Alert, AlertState, Role, StoredAssessment, TreatmentCourse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::alerts::{AlertView, names_in};
use super::courses::CourseView;
use crate::error::{ApiError, QueryParams, ok};
use crate::policy::PatientAccess;
use crate::state::{AppState, store_error};

/// Days of mood the summary covers unless the caller asks otherwise.
pub const DEFAULT_SUMMARY_DAYS: u32 = 28;

/// Most days of mood one summary covers.
pub const MAX_SUMMARY_DAYS: u32 = 365;

/// Most resolved alerts listed as recent.
pub const RECENT_ALERTS: usize = 20;

/// The window of the summary.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryParams {
    /// Days of mood to summarise, ending today (UTC), 1 to 365 (default 28). Resolved
    /// alerts raised in the same days are listed as recent.
    pub days: Option<u32>,
}

/// Descriptive statistics of one rating over the window.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RatingStatisticsView {
    /// Entries that hold the rating.
    pub entries: usize,
    /// Days that hold it.
    pub days: usize,
    /// Mean of the daily means.
    pub mean: f64,
    /// Median of the daily means.
    pub median: f64,
    /// Lowest single entry.
    pub min: u8,
    /// Highest single entry.
    pub max: u8,
    /// Standard deviation of the daily means (two days or more).
    pub standard_deviation: Option<f64>,
    /// Mean absolute change between consecutive days.
    pub mean_absolute_successive_difference: Option<f64>,
}

impl From<&Statistics> for RatingStatisticsView {
    fn from(statistics: &Statistics) -> Self {
        Self {
            entries: statistics.entries,
            days: statistics.days,
            mean: statistics.mean,
            median: statistics.median,
            min: statistics.min,
            max: statistics.max,
            standard_deviation: statistics.standard_deviation,
            mean_absolute_successive_difference: statistics.mean_absolute_successive_difference,
        }
    }
}

/// The mood trend over the window.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrendView {
    /// `estimated`, or `insufficient_data` with fewer logged days than needed.
    pub status: String,
    /// Logged days in the window.
    pub days: usize,
    /// Logged days needed for a trend (only when insufficient).
    pub days_needed: Option<usize>,
    /// `improving`, `stable` or `worsening`.
    pub direction: Option<String>,
    /// How far the data back the direction: `low`, `moderate` or `high`.
    pub certainty: Option<String>,
    /// Change in mood per week, in points.
    pub slope_per_week: Option<f64>,
    /// Standard error of the slope, per week.
    pub standard_error_per_week: Option<f64>,
}

impl From<&Trend> for TrendView {
    fn from(trend: &Trend) -> Self {
        match trend {
            Trend::InsufficientData { days, needed } => Self {
                status: "insufficient_data".to_owned(),
                days: *days,
                days_needed: Some(*needed),
                direction: None,
                certainty: None,
                slope_per_week: None,
                standard_error_per_week: None,
            },
            Trend::Estimated(estimate) => Self {
                status: "estimated".to_owned(),
                days: estimate.days,
                days_needed: None,
                direction: Some(estimate.direction.as_str().to_owned()),
                certainty: Some(estimate.certainty.as_str().to_owned()),
                slope_per_week: Some(estimate.slope_per_week),
                standard_error_per_week: Some(estimate.standard_error_per_week),
            },
        }
    }
}

/// Why a day stands out.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotableReasonView {
    /// `far_below_mean`, `far_above_mean` or `drop_from_previous_day`.
    pub kind: String,
    /// Standard deviations from the window's mean (the first two kinds).
    pub standard_deviations: Option<f64>,
    /// The previous day's mean mood (a drop).
    pub previous: Option<f64>,
    /// How many points mood fell (a drop).
    pub points: Option<f64>,
}

impl From<&NotableReason> for NotableReasonView {
    fn from(reason: &NotableReason) -> Self {
        let (kind, standard_deviations, previous, points) = match reason {
            NotableReason::FarBelowMean {
                standard_deviations,
            } => ("far_below_mean", Some(*standard_deviations), None, None),
            NotableReason::FarAboveMean {
                standard_deviations,
            } => ("far_above_mean", Some(*standard_deviations), None, None),
            NotableReason::DropFromPreviousDay { previous, points } => (
                "drop_from_previous_day",
                None,
                Some(*previous),
                Some(*points),
            ),
        };
        Self {
            kind: kind.to_owned(),
            standard_deviations,
            previous,
            points,
        }
    }
}

/// A day whose mood stands out.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotableDayView {
    /// The day (YYYY-MM-DD).
    pub day: String,
    /// Its mean mood.
    pub mood: f64,
    /// Why it stands out.
    pub reasons: Vec<NotableReasonView>,
}

/// The mood summary of the window.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MoodSummaryView {
    /// First day of the window (YYYY-MM-DD).
    pub first_day: String,
    /// Last day of the window: today, UTC (YYYY-MM-DD).
    pub last_day: String,
    /// Entries in the window.
    pub entries: usize,
    /// Days with at least one entry.
    pub days_logged: usize,
    /// Mood 1–10.
    pub mood: Option<RatingStatisticsView>,
    /// Sleep 0–10.
    pub sleep: Option<RatingStatisticsView>,
    /// Anxiety 0–10.
    pub anxiety: Option<RatingStatisticsView>,
    /// The mood trend with its certainty.
    pub trend: TrendView,
    /// Days in the current logging streak.
    pub current_streak_days: Option<u32>,
    /// Days that stand out, in date order.
    pub notable_days: Vec<NotableDayView>,
    /// Each day with an entry, in date order, with its mean mood (for a chart).
    pub daily: Vec<DailyMoodView>,
}

/// One day's mean mood ([`daily_moods`]).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DailyMoodView {
    /// The day (YYYY-MM-DD).
    pub day: String,
    /// The mean of the day's moods, 1–10.
    pub mood: f64,
    /// Entries that day.
    pub entries: usize,
}

impl MoodSummaryView {
    fn new(summary: &MoodSummary, daily: &[DailyMood], range: DateRange) -> Self {
        Self {
            first_day: range.first().to_string(),
            last_day: range.last().to_string(),
            entries: summary.entries,
            days_logged: summary.days_logged,
            mood: summary.mood.as_ref().map(RatingStatisticsView::from),
            sleep: summary.sleep.as_ref().map(RatingStatisticsView::from),
            anxiety: summary.anxiety.as_ref().map(RatingStatisticsView::from),
            trend: TrendView::from(&summary.trend),
            current_streak_days: summary.streaks.current.map(|streak| streak.days),
            notable_days: summary
                .notable_days
                .iter()
                .map(|day| NotableDayView {
                    day: day.day.to_string(),
                    mood: day.mood,
                    reasons: day.reasons.iter().map(NotableReasonView::from).collect(),
                })
                .collect(),
            daily: daily
                .iter()
                .map(|day| DailyMoodView {
                    day: day.day.to_string(),
                    mood: day.mood,
                    entries: day.entries,
                })
                .collect(),
        }
    }
}

/// One completed questionnaire on a trajectory.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrajectoryPointView {
    /// The questionnaire.
    pub assessment_id: String,
    /// When completed (RFC 3339).
    pub completed_at: String,
    /// Its total; absent for an instrument without one (the C-SSRS screener,
    /// whose result is its band).
    pub total: Option<i32>,
    /// Its severity band.
    pub band: Option<String>,
}

/// Every score of one instrument, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TrajectoryView {
    /// The instrument, e.g. `phq9`.
    pub instrument_id: String,
    /// Its published title.
    pub title: Option<String>,
    /// Its scores, oldest first.
    pub points: Vec<TrajectoryPointView>,
}

/// The safety plan's last change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SafetyPlanView {
    /// When the plan was last saved (RFC 3339).
    pub updated_at: String,
    /// When the patient last reviewed the plan (RFC 3339): every review is saved as
    /// a new version (`PUT …/safety-plan`, or accepting a proposed edit), so this is
    /// the time of the latest version.
    pub last_reviewed_at: String,
}

/// The patient's alerts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryAlertsView {
    /// Not yet resolved (open or acknowledged): most severe first, then oldest.
    pub open: Vec<AlertView>,
    /// Resolved, raised within the window: newest first, at most 20.
    pub recent: Vec<AlertView>,
}

/// One consent purpose.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConsentPurposeView {
    /// The purpose, e.g. `research`.
    pub purpose: String,
    /// Whether it is in force now.
    pub in_force: bool,
    /// Since when, if in force (RFC 3339).
    pub since: Option<String>,
}

/// One patient's summary for their clinician.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PatientSummaryView {
    /// The patient.
    pub patient_id: String,
    /// Their display name.
    pub display_name: String,
    /// The mood summary over the window.
    pub mood: MoodSummaryView,
    /// Every questionnaire score on record, by instrument.
    pub trajectories: Vec<TrajectoryView>,
    /// The current course (the open one, else the last closed) with its sessions
    /// and its Talking Therapies outcome; absent without a course.
    pub course: Option<CourseView>,
    /// The safety plan's last change; absent without a plan.
    pub safety_plan: Option<SafetyPlanView>,
    /// Open and recent alerts.
    pub alerts: SummaryAlertsView,
    /// Every consent purpose and whether it is in force.
    pub consent: Vec<ConsentPurposeView>,
}

/// Scores grouped by instrument, each oldest first (as stored).
fn trajectories(assessments: &[StoredAssessment]) -> Vec<TrajectoryView> {
    let mut by_instrument: BTreeMap<&str, Vec<TrajectoryPointView>> = BTreeMap::new();
    for assessment in assessments {
        by_instrument
            .entry(assessment.instrument_id.as_str())
            .or_default()
            .push(TrajectoryPointView {
                assessment_id: assessment.id.clone(),
                completed_at: assessment.completed_at.to_rfc3339(),
                total: assessment.total,
                band: assessment.band.map(|band| band.as_str().to_owned()),
            });
    }
    by_instrument
        .into_iter()
        .map(|(instrument_id, points)| TrajectoryView {
            instrument_id: instrument_id.to_owned(),
            title: healing_core::scoring::instrument(instrument_id)
                .map(|instrument| instrument.title.to_owned()),
            points,
        })
        .collect()
}

/// The open course opened last, else the course closed last.
fn current_course(courses: &[TreatmentCourse]) -> Option<&TreatmentCourse> {
    courses
        .iter()
        .filter(|course| course.closed_at.is_none())
        .max_by_key(|course| course.opened_at)
        .or_else(|| courses.iter().max_by_key(|course| course.closed_at))
}

/// The current course (the open one, else the last closed) as the courses routes
/// show it, with the Talking Therapies outcome the store keeps for it.
async fn course_summary(
    state: &AppState,
    access: &PatientAccess,
) -> Result<Option<CourseView>, ApiError> {
    let courses = state
        .store()
        .courses(&access.patient_id)
        .await
        .map_err(store_error)?;
    let Some(course) = current_course(&courses) else {
        return Ok(None);
    };
    let sessions = state
        .store()
        .treatment_sessions(&access.patient_id)
        .await
        .map_err(store_error)?;
    Ok(Some(CourseView::new(course, &sessions)))
}

async fn alerts_summary(
    state: &AppState,
    access: &PatientAccess,
    range: DateRange,
) -> Result<SummaryAlertsView, ApiError> {
    let alerts = state
        .store()
        .alerts_of_patient(&access.patient_id)
        .await
        .map_err(store_error)?;
    let mut open: Vec<&Alert> = alerts
        .iter()
        .filter(|alert| alert.state != AlertState::Resolved)
        .collect();
    open.sort_by_key(|alert| (std::cmp::Reverse(alert.severity.rank()), alert.created_at));
    let mut recent: Vec<&Alert> = alerts
        .iter()
        .filter(|alert| {
            alert.state == AlertState::Resolved && alert.created_at.date() >= range.first()
        })
        .collect();
    recent.sort_by_key(|alert| std::cmp::Reverse(alert.created_at));
    recent.truncate(RECENT_ALERTS);
    let shown: Vec<Alert> = open
        .iter()
        .chain(&recent)
        .map(|&alert| alert.clone())
        .collect();
    let names = names_in(state, &shown).await.map_err(store_error)?;
    Ok(SummaryAlertsView {
        open: open
            .iter()
            .map(|alert| AlertView::new(alert, &names))
            .collect(),
        recent: recent
            .iter()
            .map(|alert| AlertView::new(alert, &names))
            .collect(),
    })
}

async fn consent_overview(
    state: &AppState,
    access: &PatientAccess,
) -> Result<Vec<ConsentPurposeView>, ApiError> {
    let in_force = super::consent::ledger_of(state, &access.patient_id)
        .await?
        .state_at(state.now());
    Ok(Purpose::ALL
        .into_iter()
        .map(|purpose| {
            let grant = in_force.grant(purpose);
            ConsentPurposeView {
                purpose: purpose.as_str().to_owned(),
                in_force: grant.is_some(),
                since: grant.map(|grant| grant.since.to_rfc3339()),
            }
        })
        .collect())
}

/// The window ending today (UTC) that is `days` long.
fn window(days: Option<u32>, today: time::Date) -> Result<DateRange, ApiError> {
    let days = days.unwrap_or(DEFAULT_SUMMARY_DAYS);
    if !(1..=MAX_SUMMARY_DAYS).contains(&days) {
        return Err(ApiError::validation(format!(
            "days is {days}; use 1 to {MAX_SUMMARY_DAYS}"
        )));
    }
    let first = today
        .checked_sub(time::Duration::days(i64::from(days) - 1))
        .ok_or_else(|| ApiError::validation("days reaches before the calendar's start"))?;
    DateRange::new(first, today).map_err(|error| ApiError::validation(error.to_string()))
}

/// One patient's summary for their clinician: mood over the window (trend with its
/// certainty, stand-out days), every score by instrument, the current course's NHS
/// Talking Therapies outcome with each finding's reasoning (the open course, else the
/// last closed; its outcome is the one stored from the measures taken at its
/// sessions), the safety plan's last change, open and recent alerts, and the consents in force.
/// Audited as a read of the patient's data.
#[utoipa::path(get, path = "/api/clinician/patients/{patient_id}/summary", tag = "clinician",
    params(("patient_id" = String, Path, description = "The patient"), SummaryParams),
    responses((status = 200, description = "The patient's summary", body = PatientSummaryView),
        (status = 404, description = "No such patient", body = crate::error::ErrorBody)))]
pub async fn patient_summary(
    State(state): State<AppState>,
    access: PatientAccess,
    QueryParams(params): QueryParams<SummaryParams>,
) -> Result<Response, ApiError> {
    let today = state.now().date();
    let range = window(params.days, today)?;
    let patient = state
        .store()
        .user(&access.patient_id)
        .await
        .map_err(store_error)?;
    if patient.role != Role::Patient {
        return Err(ApiError::not_found("patient"));
    }
    let moods = state
        .store()
        .mood_ratings_from(&access.patient_id, range.first())
        .await
        .map_err(store_error)?;
    let mood = summarise(&moods, Window::Dates(range), today);
    let daily = daily_moods(&moods, Window::Dates(range));
    let assessments = state
        .store()
        .assessments(&access.patient_id)
        .await
        .map_err(store_error)?;
    let course = course_summary(&state, &access).await?;
    let safety_plan = state
        .store()
        .safety_plan_updated_at(&access.patient_id)
        .await
        .map_err(store_error)?
        .map(|at| SafetyPlanView {
            updated_at: at.to_rfc3339(),
            last_reviewed_at: at.to_rfc3339(),
        });
    let alerts = alerts_summary(&state, &access, range).await?;
    let consent = consent_overview(&state, &access).await?;
    Ok(ok(PatientSummaryView {
        patient_id: access.patient_id.as_str().to_owned(),
        display_name: patient.display_name,
        mood: MoodSummaryView::new(&mood, &daily, range),
        trajectories: trajectories(&assessments),
        course,
        safety_plan,
        alerts,
        consent,
    }))
}
