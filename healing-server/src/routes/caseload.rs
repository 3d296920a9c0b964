//! `GET /api/clinician/caseload`: the signed-in clinician's linked patients who
//! share their data with them, sorted by risk, filtered, searched and paged. The
//! store reads the caseload in a fixed number of queries and applies the rules in
//! `healing_store::select_caseload`; this module checks the query and shapes JSON.

use axum::extract::State;
use axum::response::Response;
use healing_core::outcomes::Measure;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    CaseloadPage, CaseloadPatient, CaseloadQuery, CourseState, LatestScore, MAX_CASELOAD_PAGE, Page,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, QueryParams, ok};
use crate::policy::Caller;
use crate::state::{AppState, store_error};

/// Patients on one page unless the caller asks otherwise.
pub const DEFAULT_CASELOAD_PAGE: u32 = 50;

/// Longest search text accepted, in characters.
pub const SEARCH_MAX_CHARS: usize = 100;

/// A course state to filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CourseFilter {
    /// A course is open.
    Open,
    /// Every course the patient had is closed.
    Closed,
    /// The patient has never had a course.
    None,
}

impl From<CourseFilter> for CourseState {
    fn from(filter: CourseFilter) -> Self {
        match filter {
            CourseFilter::Open => CourseState::Open,
            CourseFilter::Closed => CourseState::Closed,
            CourseFilter::None => CourseState::None,
        }
    }
}

/// Paging, filters and search of the caseload.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseloadParams {
    /// Patients to skip (default 0).
    pub offset: Option<u32>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// `true`: only patients with an alert not yet resolved; `false`: only those without.
    pub has_open_alert: Option<bool>,
    /// Only patients with no mood entry, questionnaire or journal entry for at least
    /// this many days (or none ever).
    pub inactive_days: Option<u32>,
    /// Only patients whose course state is this.
    #[param(inline)]
    pub course: Option<CourseFilter>,
    /// Search within the caseload: part of a display name (any case) or of an NHS
    /// number (spaces ignored), 1 to 100 characters.
    pub query: Option<String>,
}

/// A score's change from its baseline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoreChangeView {
    /// `current_course` (the first score since the open course began) or
    /// `first_on_record` (no open course, or no score of this measure since it began).
    pub baseline: String,
    /// The baseline's total.
    pub baseline_total: i32,
    /// When the baseline was completed (RFC 3339).
    pub baseline_at: String,
    /// Latest minus baseline: positive is a rise in symptoms.
    pub change: i32,
    /// `reliable_improvement`, `reliable_deterioration` or `no_reliable_change`, read
    /// with the measure's reliable change index.
    pub reliable_change: String,
}

/// The latest score of one measure.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LatestScoreView {
    /// The questionnaire.
    pub assessment_id: String,
    /// `phq9` or `gad7`.
    pub measure: String,
    /// The total.
    pub total: i32,
    /// The severity band (e.g. `moderate`).
    pub band: Option<String>,
    /// When completed (RFC 3339).
    pub completed_at: String,
    /// The measure's reliable change index (PHQ-9 6, GAD-7 4), as a decimal string.
    pub reliable_change_index: String,
    /// The change from the baseline; absent when this is the only score.
    pub change: Option<ScoreChangeView>,
}

impl From<&LatestScore> for LatestScoreView {
    fn from(score: &LatestScore) -> Self {
        Self {
            assessment_id: score.assessment_id.clone(),
            measure: score.measure.as_instrument_id().to_owned(),
            total: score.total,
            band: score.band.map(|band| band.as_str().to_owned()),
            completed_at: score.completed_at.to_rfc3339(),
            reliable_change_index: Measure::reliable_change_index(score.measure).to_string(),
            change: score.change.as_ref().map(|change| ScoreChangeView {
                baseline: change.baseline.as_str().to_owned(),
                baseline_total: change.baseline_total,
                baseline_at: change.baseline_at.to_rfc3339(),
                change: change.change,
                reliable_change: change.reliable_change.as_str().to_owned(),
            }),
        }
    }
}

/// Alerts not yet resolved (open or acknowledged), by severity.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpenAlertsView {
    /// Critical.
    pub critical: u32,
    /// High.
    pub high: u32,
    /// Medium.
    pub medium: u32,
    /// All of them.
    pub total: u32,
}

/// One patient on the caseload.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseloadPatientView {
    /// The patient.
    pub patient_id: String,
    /// Their display name.
    pub display_name: String,
    /// Their NHS number, if recorded.
    pub nhs_number: Option<String>,
    /// The latest PHQ-9.
    pub phq9: Option<LatestScoreView>,
    /// The latest GAD-7.
    pub gad7: Option<LatestScoreView>,
    /// Alerts not yet resolved, by severity.
    pub open_alerts: OpenAlertsView,
    /// Whether the latest PHQ-9 reports thoughts of self-harm or suicide (item 9).
    pub self_harm_thoughts_reported: bool,
    /// Whether a risk flag is open: an alert not yet resolved, or the latest PHQ-9's item 9.
    pub risk_flag_open: bool,
    /// Why the patient sorts where they do: `urgent_alert` (an open critical or high
    /// alert), `self_harm_thoughts`, `reliable_deterioration` or `routine`.
    pub risk_tier: String,
    /// The latest mood entry, questionnaire or journal entry (RFC 3339).
    pub last_activity_at: Option<String>,
    /// Whole days since then; absent without any activity.
    pub days_since_last_activity: Option<u32>,
    /// `open`, `closed` or `none`.
    pub course: String,
}

impl CaseloadPatientView {
    fn new(patient: &CaseloadPatient, now: Timestamp) -> Self {
        Self {
            patient_id: patient.patient_id.as_str().to_owned(),
            display_name: patient.display_name.clone(),
            nhs_number: patient.nhs_number.clone(),
            phq9: patient.phq9.as_ref().map(LatestScoreView::from),
            gad7: patient.gad7.as_ref().map(LatestScoreView::from),
            open_alerts: OpenAlertsView {
                critical: patient.open_alerts.critical,
                high: patient.open_alerts.high,
                medium: patient.open_alerts.medium,
                total: patient.open_alerts.total(),
            },
            self_harm_thoughts_reported: patient.reports_self_harm_thoughts(),
            risk_flag_open: patient.risk_flag_open(),
            risk_tier: patient.risk_tier().as_str().to_owned(),
            last_activity_at: patient.last_activity_at.map(Timestamp::to_rfc3339),
            days_since_last_activity: patient.days_since_activity(now),
            course: patient.course.as_str().to_owned(),
        }
    }
}

/// One page of the caseload.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseloadView {
    /// Patients matching the filters and search, before paging.
    pub total: usize,
    /// Patients skipped.
    pub offset: u32,
    /// Page size asked for.
    pub limit: u32,
    /// The page, most at risk first.
    pub patients: Vec<CaseloadPatientView>,
}

impl CaseloadParams {
    /// The store's query, after checking the page size and the search text.
    fn to_query(&self) -> Result<CaseloadQuery, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_CASELOAD_PAGE);
        if !(1..=MAX_CASELOAD_PAGE).contains(&limit) {
            return Err(ApiError::validation(format!(
                "limit is {limit}; use 1 to {MAX_CASELOAD_PAGE}"
            )));
        }
        let search = match self.query.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) if text.chars().count() > SEARCH_MAX_CHARS => {
                return Err(ApiError::validation(format!(
                    "query has {} characters; use 1 to {SEARCH_MAX_CHARS}",
                    text.chars().count()
                )));
            }
            Some(text) => Some(text.to_owned()),
        };
        Ok(CaseloadQuery {
            search,
            has_open_alert: self.has_open_alert,
            inactive_days: self.inactive_days,
            course: self.course.map(CourseState::from),
            page: Page {
                offset: u64::from(self.offset.unwrap_or(0)),
                limit,
            },
        })
    }
}

/// The clinician's caseload: patients with an accepted link whose
/// `clinician_sharing` consent is in force, most at risk first (an open critical or
/// high alert, then a PHQ-9 item 9 answer, then reliable deterioration on the
/// PHQ-9 or GAD-7, then everyone else), each within its tier by name. Audited as
/// `caseload_read` with the ids shown.
#[utoipa::path(get, path = "/api/clinician/caseload", tag = "clinician", params(CaseloadParams),
    responses((status = 200, description = "One page of the caseload", body = CaseloadView)))]
pub async fn caseload(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(params): QueryParams<CaseloadParams>,
) -> Result<Response, ApiError> {
    let query = params.to_query()?;
    let now = state.now();
    let CaseloadPage { total, patients } = state
        .store()
        .caseload(&caller.user_id, &query, now)
        .await
        .map_err(store_error)?;
    crate::audit::record(
        &state,
        Some(&caller.user_id),
        "caseload_read",
        None,
        // Ids only: the search text may hold a name or an NHS number.
        serde_json::json!({
            "total": total,
            "patients": patients.iter().map(|patient| patient.patient_id.as_str()).collect::<Vec<_>>(),
        }),
    )
    .await?;
    Ok(ok(CaseloadView {
        total,
        offset: params.offset.unwrap_or(0),
        limit: query.page.limit,
        patients: patients
            .iter()
            .map(|patient| CaseloadPatientView::new(patient, now))
            .collect(),
    }))
}
