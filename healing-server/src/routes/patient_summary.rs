//! `GET /api/clinician/patients/{patient_id}/summary`: one patient as their
//! clinician sees them — the mood summary from `healing_core::mood::summarise`, score
//! trajectories, the current course's NHS Talking Therapies outcome from
//! `healing_core::outcomes::course_outcome` with each finding's reasoning, the safety
//! plan's last change, open and recent alerts, and which consents are in force.
//! Appointments are not stored yet, so the summary has no field for them.
//! The JSON is this module's own; core types are converted at the edge.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use healing_core::consent::{Ledger, Purpose};
use healing_core::mood::{
    DateRange, MoodSummary, NotableReason, Statistics, Trend, Window, summarise,
};
use healing_core::outcomes::{
    AnxietyMeasureReason, Course, CourseOutcome, CourseResult, Finding, MeasureChange,
    course_outcome,
};
use healing_store::prelude::*;
use healing_store::{Alert, AlertState, Role, StoredAssessment, TreatmentCourse, course_record};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::alerts::{AlertView, names_in};
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
}

impl MoodSummaryView {
    fn new(summary: &MoodSummary, range: DateRange) -> Self {
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
    /// Its total.
    pub total: i32,
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

/// One outcome category's value and the sentence explaining it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FindingView {
    /// The value, e.g. `recovered`.
    pub value: String,
    /// Why, naming the scores and thresholds.
    pub reasoning: String,
}

fn finding<T: Copy>(finding: &Finding<T>, name: fn(T) -> &'static str) -> FindingView {
    FindingView {
        value: name(finding.value).to_owned(),
        reasoning: finding.reasoning.clone(),
    }
}

/// The first and last scores of one measure over the course.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeasureChangeView {
    /// The measure, e.g. `phq9`.
    pub measure: String,
    /// First score (decimal string).
    pub first: String,
    /// When (RFC 3339).
    pub first_at: String,
    /// Last score.
    pub last: String,
    /// When (RFC 3339).
    pub last_at: String,
    /// Last minus first, signed (e.g. `-9`).
    pub change: String,
    /// A case at or above this.
    pub caseness_threshold: String,
    /// Reliable at or beyond this change.
    pub reliable_change_index: String,
    /// `case` or `not_case`.
    pub caseness_at_start: String,
    /// `case` or `not_case`.
    pub caseness_at_end: String,
    /// Reliable change on this measure alone.
    pub reliable_change: String,
}

impl From<&MeasureChange> for MeasureChangeView {
    fn from(change: &MeasureChange) -> Self {
        Self {
            measure: change.measure.as_instrument_id().to_owned(),
            first: change.first.to_string(),
            first_at: change.first_at.to_rfc3339(),
            last: change.last.to_string(),
            last_at: change.last_at.to_rfc3339(),
            change: change.change.to_string(),
            caseness_threshold: change.caseness_threshold.to_string(),
            reliable_change_index: change.reliable_change_index.to_string(),
            caseness_at_start: change.caseness_at_start.as_str().to_owned(),
            caseness_at_end: change.caseness_at_end.as_str().to_owned(),
            reliable_change: change.reliable_change.as_str().to_owned(),
        }
    }
}

/// The anxiety measure paired with the PHQ-9, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnxietyMeasureView {
    /// The measure, e.g. `gad7`.
    pub measure: String,
    /// `recommended_for_problem`, `problem_uses_gad7`, `no_problem_descriptor`,
    /// `older_measure_for_problem` or `recommended_measure_not_paired`.
    pub reason: String,
    /// The reason as a sentence.
    pub reasoning: String,
}

/// Whether the course's outcome could be measured, and if so what it is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseResultView {
    /// `not_finished_treatment`, `no_paired_scores` or `measured`.
    pub status: String,
    /// Why it could not be measured (the first two statuses).
    pub reasoning: Option<String>,
    /// The measures without paired scores (`no_paired_scores`).
    pub missing: Vec<String>,
    /// `case` or `not_case` at the start (`measured`).
    pub caseness_at_start: Option<String>,
    /// `case` or `not_case` at the end (`measured`).
    pub caseness_at_end: Option<String>,
    /// `recovered`, `not_recovered` or `not_at_caseness_at_start`, with its reasoning.
    pub recovery: Option<FindingView>,
    /// `reliable_improvement`, `reliable_deterioration` or `no_reliable_change`.
    pub reliable_change: Option<FindingView>,
    /// `reliably_recovered`, `not_reliably_recovered` or `not_at_caseness_at_start`.
    pub reliable_recovery: Option<FindingView>,
}

impl From<&CourseResult> for CourseResultView {
    fn from(result: &CourseResult) -> Self {
        let empty = |status: &str, reasoning: &str| Self {
            status: status.to_owned(),
            reasoning: Some(reasoning.to_owned()),
            missing: Vec::new(),
            caseness_at_start: None,
            caseness_at_end: None,
            recovery: None,
            reliable_change: None,
            reliable_recovery: None,
        };
        match result {
            CourseResult::NotFinishedTreatment { reasoning, .. } => {
                empty("not_finished_treatment", reasoning)
            }
            CourseResult::NoPairedScores { missing, reasoning } => Self {
                missing: missing
                    .iter()
                    .map(|measure| measure.as_instrument_id().to_owned())
                    .collect(),
                ..empty("no_paired_scores", reasoning)
            },
            CourseResult::Measured(categories) => Self {
                status: "measured".to_owned(),
                reasoning: None,
                missing: Vec::new(),
                caseness_at_start: Some(categories.caseness_at_start.as_str().to_owned()),
                caseness_at_end: Some(categories.caseness_at_end.as_str().to_owned()),
                recovery: Some(finding(&categories.recovery, |value| value.as_str())),
                reliable_change: Some(finding(&categories.reliable_change, |value| value.as_str())),
                reliable_recovery: Some(finding(&categories.reliable_recovery, |value| {
                    value.as_str()
                })),
            },
        }
    }
}

/// One attended session of the course with the paired measures' scores.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseSessionView {
    /// Position in the course, 1 for the first.
    pub session: usize,
    /// When (RFC 3339).
    pub at: String,
    /// What it was for, e.g. `treatment`.
    pub kind: String,
    /// The PHQ-9 score, if recorded that day.
    pub depression: Option<String>,
    /// The anxiety measure's score, if recorded that day.
    pub anxiety: Option<String>,
    /// PHQ-9 change from its first score in the course.
    pub depression_change_from_first: Option<String>,
    /// Anxiety-measure change from its first score in the course.
    pub anxiety_change_from_first: Option<String>,
    /// `case`, `not_case`, or absent when it cannot be told.
    pub caseness: Option<String>,
}

/// A course's NHS Talking Therapies outcome, as `healing_core::outcomes` measures it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseOutcomeView {
    /// Attended treatment sessions.
    pub treatment_sessions: usize,
    /// `finished` (two treatment sessions or more) or `not_finished`.
    pub treatment: String,
    /// Always `phq9`.
    pub depression_measure: String,
    /// The anxiety measure paired with it, and why.
    pub anxiety_measure: AnxietyMeasureView,
    /// First and last PHQ-9 of the course.
    pub depression: Option<MeasureChangeView>,
    /// First and last anxiety-measure score of the course.
    pub anxiety: Option<MeasureChangeView>,
    /// The outcome categories with their reasoning, or why there are none.
    pub result: CourseResultView,
    /// Every attended session in time order.
    pub trajectory: Vec<CourseSessionView>,
}

impl From<&CourseOutcome> for CourseOutcomeView {
    fn from(outcome: &CourseOutcome) -> Self {
        let reason = match outcome.anxiety_measure.reason {
            AnxietyMeasureReason::RecommendedForProblem => "recommended_for_problem",
            AnxietyMeasureReason::ProblemUsesGad7 => "problem_uses_gad7",
            AnxietyMeasureReason::NoProblemDescriptor => "no_problem_descriptor",
            AnxietyMeasureReason::OlderMeasureForProblem { .. } => "older_measure_for_problem",
            AnxietyMeasureReason::RecommendedMeasureNotPaired { .. } => {
                "recommended_measure_not_paired"
            }
        };
        Self {
            treatment_sessions: outcome.treatment_sessions,
            treatment: outcome.treatment.as_str().to_owned(),
            depression_measure: outcome.depression_measure.as_instrument_id().to_owned(),
            anxiety_measure: AnxietyMeasureView {
                measure: outcome
                    .anxiety_measure
                    .measure
                    .as_instrument_id()
                    .to_owned(),
                reason: reason.to_owned(),
                reasoning: outcome.anxiety_measure.reasoning.clone(),
            },
            depression: outcome.depression.as_ref().map(MeasureChangeView::from),
            anxiety: outcome.anxiety.as_ref().map(MeasureChangeView::from),
            result: CourseResultView::from(&outcome.result),
            trajectory: outcome
                .trajectory
                .iter()
                .map(|point| CourseSessionView {
                    session: point.session,
                    at: point.at.to_rfc3339(),
                    kind: point.kind.as_str().to_owned(),
                    depression: point.depression.map(|score| score.to_string()),
                    anxiety: point.anxiety.map(|score| score.to_string()),
                    depression_change_from_first: point
                        .depression_change_from_first
                        .map(|change| change.to_string()),
                    anxiety_change_from_first: point
                        .anxiety_change_from_first
                        .map(|change| change.to_string()),
                    caseness: point.caseness.map(|caseness| caseness.as_str().to_owned()),
                })
                .collect(),
        }
    }
}

/// The patient's current course: the open one, else the last one closed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseSummaryView {
    /// `open`, `closed` (the last course shown) or `none` (no other field is set).
    pub state: String,
    /// The course.
    pub course_id: Option<String>,
    /// Its problem descriptor, e.g. `depression`.
    pub problem_descriptor: Option<String>,
    /// When opened (RFC 3339).
    pub opened_at: Option<String>,
    /// When closed (RFC 3339).
    pub closed_at: Option<String>,
    /// Its outcome so far (an open course) or at its end.
    pub outcome: Option<CourseOutcomeView>,
    /// Why there is no outcome although there is a course (its stored sessions do
    /// not form a valid course, e.g. two at the same instant).
    pub outcome_unavailable: Option<String>,
}

impl CourseSummaryView {
    fn none() -> Self {
        Self {
            state: "none".to_owned(),
            course_id: None,
            problem_descriptor: None,
            opened_at: None,
            closed_at: None,
            outcome: None,
            outcome_unavailable: None,
        }
    }
}

/// The safety plan's last change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SafetyPlanView {
    /// When the plan was last saved (RFC 3339): the store keeps no separate review
    /// date, so each save counts as a review.
    pub updated_at: String,
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
    /// The current course and its Talking Therapies outcome.
    pub course: CourseSummaryView,
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

async fn course_summary(
    state: &AppState,
    access: &PatientAccess,
    assessments: &[StoredAssessment],
) -> Result<CourseSummaryView, ApiError> {
    let courses = state
        .store()
        .courses(&access.patient_id)
        .await
        .map_err(store_error)?;
    let Some(course) = current_course(&courses) else {
        return Ok(CourseSummaryView::none());
    };
    let sessions = state
        .store()
        .treatment_sessions(&access.patient_id)
        .await
        .map_err(store_error)?;
    let (outcome, outcome_unavailable) =
        match Course::new(course_record(course, &sessions, assessments)) {
            Ok(checked) => (
                Some(CourseOutcomeView::from(&course_outcome(&checked))),
                None,
            ),
            Err(error) => (None, Some(error.to_string())),
        };
    Ok(CourseSummaryView {
        state: if course.closed_at.is_none() {
            "open"
        } else {
            "closed"
        }
        .to_owned(),
        course_id: Some(course.id.clone()),
        problem_descriptor: Some(course.problem_descriptor.as_str().to_owned()),
        opened_at: Some(course.opened_at.to_rfc3339()),
        closed_at: course.closed_at.map(|at| at.to_rfc3339()),
        outcome,
        outcome_unavailable,
    })
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
    let events = state
        .store()
        .consent_events(&access.patient_id)
        .await
        .map_err(store_error)?;
    let ledger = Ledger::replay(access.patient_id.clone(), events).map_err(|error| {
        ApiError::internal(format!("stored consent ledger does not replay: {error}"))
    })?;
    let in_force = ledger.state_at(state.now());
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
/// last closed; scores count for a session when completed the same UTC day), the
/// safety plan's last change, open and recent alerts, and the consents in force.
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
    let assessments = state
        .store()
        .assessments(&access.patient_id)
        .await
        .map_err(store_error)?;
    let course = course_summary(&state, &access, &assessments).await?;
    let safety_plan = state
        .store()
        .safety_plan_updated_at(&access.patient_id)
        .await
        .map_err(store_error)?
        .map(|at| SafetyPlanView {
            updated_at: at.to_rfc3339(),
        });
    let alerts = alerts_summary(&state, &access, range).await?;
    let consent = consent_overview(&state, &access).await?;
    Ok(ok(PatientSummaryView {
        patient_id: access.patient_id.as_str().to_owned(),
        display_name: patient.display_name,
        mood: MoodSummaryView::new(&mood, range),
        trajectories: trajectories(&assessments),
        course,
        safety_plan,
        alerts,
        consent,
    }))
}
