//! Service outcomes: the NHS Talking Therapies headline measures over the courses
//! that closed in a date range, for a clinician's own courses
//! (`/api/clinician/outcomes`) or the whole service (`/api/admin/outcomes`), as JSON
//! or as a CSV download. The counting is healing-core's `service_summary`; the
//! store gives the closed courses with their stored outcomes.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use healing_core::outcomes::{EndedCourse, Rate, ServiceSummary, service_summary};
use healing_core::timestamp::Timestamp;
use healing_store::CourseScope;
use healing_store::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, QueryParams, ok};
use crate::policy::Caller;
use crate::state::{AppState, store_error};

/// The days a report covers when `from` is not given: a year up to `to`.
const DEFAULT_RANGE_DAYS: i64 = 365;

/// The query of an outcomes report.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutcomesQuery {
    /// First day of the range, `YYYY-MM-DD` (UTC), inclusive; default a year before `to`.
    pub from: Option<String>,
    /// Last day of the range, `YYYY-MM-DD` (UTC), inclusive; default today.
    pub to: Option<String>,
    /// `json` (default) or `csv`; `Accept: text/csv` also asks for CSV.
    pub format: Option<String>,
}

/// A count over its denominator.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RateView {
    /// Courses with the outcome.
    pub count: usize,
    /// Courses counted among.
    pub denominator: usize,
    /// Percentage to one decimal place; absent when the denominator is 0.
    pub percent: Option<f64>,
}

impl From<&Rate> for RateView {
    fn from(rate: &Rate) -> Self {
        Self {
            count: rate.count,
            denominator: rate.denominator,
            percent: rate.percent,
        }
    }
}

/// A course left out of some or all rates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExclusionView {
    /// The course.
    pub course_id: String,
    /// `not_finished_treatment` (fewer than two treatment sessions) or
    /// `no_paired_scores` (left out of every rate); `not_at_caseness_at_start` (left
    /// out of recovery and reliable recovery only).
    pub reason: String,
    /// The course outcome's own explanation.
    pub reasoning: String,
}

/// The headline measures over the courses that closed in the range.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OutcomesReport {
    /// First day, inclusive.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// Courses closed in the range.
    pub courses_ended: usize,
    /// Of those, with at least two attended treatment sessions.
    pub finished_treatment: usize,
    /// Of those, with paired scores on both measures (the reliable-change denominator).
    pub with_paired_scores: usize,
    /// Of those, at caseness at the start (the recovery denominator).
    pub at_caseness_at_start: usize,
    /// Recovered among finished courses at caseness at the start.
    pub recovery: RateView,
    /// Reliably improved among finished courses with paired scores.
    pub reliable_improvement: RateView,
    /// Reliably recovered among finished courses at caseness at the start.
    pub reliable_recovery: RateView,
    /// Reliably deteriorated among finished courses with paired scores.
    pub reliable_deterioration: RateView,
    /// Every course left out of a rate, and why.
    pub excluded: Vec<ExclusionView>,
}

impl OutcomesReport {
    fn new(from: time::Date, to: time::Date, summary: &ServiceSummary) -> Self {
        Self {
            from: from.to_string(),
            to: to.to_string(),
            courses_ended: summary.courses_ended,
            finished_treatment: summary.finished_treatment,
            with_paired_scores: summary.with_paired_scores,
            at_caseness_at_start: summary.at_caseness_at_start,
            recovery: RateView::from(&summary.recovery),
            reliable_improvement: RateView::from(&summary.reliable_improvement),
            reliable_recovery: RateView::from(&summary.reliable_recovery),
            reliable_deterioration: RateView::from(&summary.reliable_deterioration),
            excluded: summary
                .excluded
                .iter()
                .map(|exclusion| ExclusionView {
                    course_id: exclusion.course.clone(),
                    reason: exclusion.reason.as_str().to_owned(),
                    reasoning: exclusion.reasoning.clone(),
                })
                .collect(),
        }
    }

    /// The report as CSV: one table of `measure,count,denominator,percent` (the
    /// course counts have no denominator), a blank line, then one table of
    /// `excluded_course_id,reason`. Every field is an id, a fixed name or a number,
    /// so nothing needs quoting.
    fn csv(&self) -> String {
        let mut out = String::from("measure,count,denominator,percent\n");
        for (name, count) in [
            ("courses_ended", self.courses_ended),
            ("finished_treatment", self.finished_treatment),
            ("with_paired_scores", self.with_paired_scores),
            ("at_caseness_at_start", self.at_caseness_at_start),
        ] {
            out.push_str(&format!("{name},{count},,\n"));
        }
        for (name, rate) in [
            ("recovery", &self.recovery),
            ("reliable_improvement", &self.reliable_improvement),
            ("reliable_recovery", &self.reliable_recovery),
            ("reliable_deterioration", &self.reliable_deterioration),
        ] {
            let percent = rate
                .percent
                .map(|percent| format!("{percent:.1}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "{name},{},{},{percent}\n",
                rate.count, rate.denominator
            ));
        }
        out.push_str("\nexcluded_course_id,reason\n");
        for exclusion in &self.excluded {
            out.push_str(&format!("{},{}\n", exclusion.course_id, exclusion.reason));
        }
        out
    }
}

fn parse_day(text: &str, field: &str) -> Result<time::Date, ApiError> {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| ApiError::validation(format!("{field} is not a date in the form YYYY-MM-DD")))
}

fn start_of(day: time::Date) -> Result<Timestamp, ApiError> {
    let seconds = day.midnight().assume_utc().unix_timestamp();
    Timestamp::from_unix_seconds(seconds)
        .map_err(|_| ApiError::validation(format!("{day} is outside the supported range")))
}

async fn report(
    state: &AppState,
    scope: CourseScope,
    query: OutcomesQuery,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let to = match query.to.as_deref() {
        Some(text) => parse_day(text, "to")?,
        None => state.now().date(),
    };
    let from = match query.from.as_deref() {
        Some(text) => parse_day(text, "from")?,
        None => to - time::Duration::days(DEFAULT_RANGE_DAYS),
    };
    if from > to {
        return Err(ApiError::validation(format!(
            "from ({from}) is after to ({to})"
        )));
    }
    let wants_csv = match query.format.as_deref() {
        None => headers
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv")),
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            return Err(ApiError::validation(format!(
                "format {other:?} is neither json nor csv"
            )));
        }
    };
    let until = to
        .next_day()
        .ok_or_else(|| ApiError::validation("to is the last representable day"))?;
    let courses = state
        .store()
        .ended_courses(&scope, start_of(from)?, start_of(until)?)
        .await
        .map_err(store_error)?;
    // Every course closed through the store has its outcome stored at closing.
    let summary = service_summary(courses.iter().filter_map(|course| {
        course.outcome.as_ref().map(|outcome| EndedCourse {
            id: &course.id,
            outcome,
        })
    }));
    let report = OutcomesReport::new(from, to, &summary);
    if !wants_csv {
        return Ok(ok(report));
    }
    let disposition = format!("attachment; filename=\"outcomes-{from}-to-{to}.csv\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
            ),
        ],
        report.csv(),
    )
        .into_response())
}

/// The caller's own courses' Talking Therapies outcomes over a date range.
#[utoipa::path(get, path = "/api/clinician/outcomes", tag = "outcomes", params(OutcomesQuery),
    responses(
        (status = 200, description = "The report: JSON in the success envelope, or CSV with `format=csv` or `Accept: text/csv`",
            content((OutcomesReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "`VALIDATION_FAILED`: a malformed day, from after to, or an unknown format", body = crate::error::ErrorBody)))]
pub async fn clinician_outcomes(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    QueryParams(query): QueryParams<OutcomesQuery>,
) -> Result<Response, ApiError> {
    report(
        &state,
        CourseScope::OfClinician(caller.user_id),
        query,
        &headers,
    )
    .await
}

/// The whole service's Talking Therapies outcomes over a date range.
#[utoipa::path(get, path = "/api/admin/outcomes", tag = "outcomes", params(OutcomesQuery),
    responses(
        (status = 200, description = "The report: JSON in the success envelope, or CSV with `format=csv` or `Accept: text/csv`",
            content((OutcomesReport = "application/json"), (String = "text/csv"))),
        (status = 400, description = "`VALIDATION_FAILED`: a malformed day, from after to, or an unknown format", body = crate::error::ErrorBody)))]
pub async fn service_outcomes(
    State(state): State<AppState>,
    headers: HeaderMap,
    QueryParams(query): QueryParams<OutcomesQuery>,
) -> Result<Response, ApiError> {
    report(&state, CourseScope::All, query, &headers).await
}
