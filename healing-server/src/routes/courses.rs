//! `/api/clinician/patients/{patient_id}/courses`: courses of NHS Talking Therapies
//! care, the treatment sessions recorded in them with the measures taken, closing a
//! course with its ending, and discharge. The store checks each write against the
//! course rules in its own transaction and keeps each course's outcome from
//! `healing_core::outcomes` in step with its sessions; these handlers only turn JSON
//! into core values and back.
//!
//! A closed course takes no more sessions (409): its outcome is final, and care that
//! continues is a new course.

use std::str::FromStr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::outcomes::{
    CourseEnding, CourseOutcome, CourseResult, Finding, Measure, MeasureChange, ProblemDescriptor,
    ScoreValue, SessionKind, SessionScore,
};
use healing_core::safety::Source;
use healing_core::timestamp::Timestamp;
use healing_store::prelude::*;
use healing_store::{
    Attendance, NewCourse, NewDischarge, NewTreatmentSession, TreatmentCourse, TreatmentSession,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, PathParams, ok, ok_with};
use crate::policy::{Caller, PatientAccess};
use crate::routes::notes::NoteView;
use crate::state::{AppState, store_error};

/// One score taken at a session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoreView {
    /// The measure's instrument id: `phq9`, `gad7`, `spin`, `pdss`,
    /// `mobility_inventory_alone`, `pcl5`, `ies_r`, `oci_r` or `shai`.
    pub measure: String,
    /// The score as an exact decimal (`"16"`, `"2.35"`).
    pub value: String,
}

/// A recorded treatment session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TreatmentSessionView {
    /// Session id.
    pub id: String,
    /// When it took place (RFC 3339).
    pub at: String,
    /// `assessment`, `treatment`, `assessment_and_treatment`, `review_and_treatment`,
    /// `review_without_treatment` or `other`.
    pub kind: String,
    /// `attended`, `did_not_attend`, `cancelled_by_patient` or `cancelled_by_service`.
    pub attendance: String,
    /// The measures taken.
    pub scores: Vec<ScoreView>,
}

impl From<&TreatmentSession> for TreatmentSessionView {
    fn from(session: &TreatmentSession) -> Self {
        Self {
            id: session.id.clone(),
            at: session.at.to_rfc3339(),
            kind: session.kind.as_str().to_owned(),
            attendance: session.attendance.as_str().to_owned(),
            scores: session.scores.iter().map(score_view).collect(),
        }
    }
}

fn score_view(score: &SessionScore) -> ScoreView {
    ScoreView {
        measure: score.measure.as_str().to_owned(),
        value: score.value.to_string(),
    }
}

/// One outcome category: its value and the sentence explaining it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FindingView {
    /// The value, e.g. `recovered`, `reliable_improvement`, `reliably_recovered`.
    pub value: String,
    /// Why, naming the scores and thresholds.
    pub reasoning: String,
}

fn finding<T>(finding: &Finding<T>, name: fn(&T) -> &'static str) -> FindingView {
    FindingView {
        value: name(&finding.value).to_owned(),
        reasoning: finding.reasoning.clone(),
    }
}

/// The first and last scores of one measure over the course.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeasureChangeView {
    /// The measure's instrument id.
    pub measure: String,
    /// First score.
    pub first: String,
    /// Last score.
    pub last: String,
    /// `last - first`, signed (`"-9"`): negative is fewer symptoms.
    pub change: String,
    /// `reliable_improvement`, `reliable_deterioration` or `no_reliable_change` on this measure.
    pub reliable_change: String,
}

fn measure_change(change: &MeasureChange) -> MeasureChangeView {
    MeasureChangeView {
        measure: change.measure.as_str().to_owned(),
        first: change.first.to_string(),
        last: change.last.to_string(),
        change: change.change.to_string(),
        reliable_change: change.reliable_change.as_str().to_owned(),
    }
}

/// A course's NHS Talking Therapies outcome, as `healing_core::outcomes` gives it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OutcomeView {
    /// `measured`, `not_finished_treatment` or `no_paired_scores`.
    pub status: String,
    /// Why the outcome could not be measured (absent when measured).
    pub reasoning: Option<String>,
    /// Attended treatment contacts.
    pub treatment_sessions: usize,
    /// The anxiety measure paired with the PHQ-9.
    pub anxiety_measure: String,
    /// Why that measure.
    pub anxiety_measure_reasoning: String,
    /// PHQ-9 first and last, when recorded at two sessions or more.
    pub depression: Option<MeasureChangeView>,
    /// The anxiety measure's first and last, when recorded at two sessions or more.
    pub anxiety: Option<MeasureChangeView>,
    /// `case` or `not_case` at the start (measured only).
    pub caseness_at_start: Option<String>,
    /// `case` or `not_case` at the end (measured only).
    pub caseness_at_end: Option<String>,
    /// `recovered`, `not_recovered` or `not_at_caseness_at_start` (measured only).
    pub recovery: Option<FindingView>,
    /// `reliable_improvement`, `reliable_deterioration` or `no_reliable_change` (measured only).
    pub reliable_change: Option<FindingView>,
    /// `reliably_recovered`, `not_reliably_recovered` or `not_at_caseness_at_start` (measured only).
    pub reliable_recovery: Option<FindingView>,
}

impl From<&CourseOutcome> for OutcomeView {
    fn from(outcome: &CourseOutcome) -> Self {
        let (status, reasoning) = match &outcome.result {
            CourseResult::NotFinishedTreatment { reasoning, .. } => {
                ("not_finished_treatment", Some(reasoning.clone()))
            }
            CourseResult::NoPairedScores { reasoning, .. } => {
                ("no_paired_scores", Some(reasoning.clone()))
            }
            CourseResult::Measured(_) => ("measured", None),
        };
        let categories = outcome.categories();
        Self {
            status: status.to_owned(),
            reasoning,
            treatment_sessions: outcome.treatment_sessions,
            anxiety_measure: outcome.anxiety_measure.measure.as_str().to_owned(),
            anxiety_measure_reasoning: outcome.anxiety_measure.reasoning.clone(),
            depression: outcome.depression.as_ref().map(measure_change),
            anxiety: outcome.anxiety.as_ref().map(measure_change),
            caseness_at_start: categories.map(|c| c.caseness_at_start.as_str().to_owned()),
            caseness_at_end: categories.map(|c| c.caseness_at_end.as_str().to_owned()),
            recovery: categories.map(|c| finding(&c.recovery, |v| v.as_str())),
            reliable_change: categories.map(|c| finding(&c.reliable_change, |v| v.as_str())),
            reliable_recovery: categories.map(|c| finding(&c.reliable_recovery, |v| v.as_str())),
        }
    }
}

/// A course of care with its sessions and stored outcome.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseView {
    /// Course id.
    pub id: String,
    /// The patient.
    pub patient_id: String,
    /// The treating clinician (absent if that account was erased).
    pub clinician_id: Option<String>,
    /// The problem descriptor, e.g. `depression`, `social_anxiety`.
    pub problem_descriptor: String,
    /// The anxiety measure this problem pairs with the PHQ-9, e.g. `gad7`, `spin`.
    pub recommended_anxiety_measure: String,
    /// `open` or `closed`.
    pub state: String,
    /// When opened (RFC 3339).
    pub opened_at: String,
    /// When closed (RFC 3339), if closed.
    pub closed_at: Option<String>,
    /// How it ended, once closed: `finished_treatment`, `dropped_out`,
    /// `ended_by_service`, `referred_on`, `declined_treatment` or `other`.
    pub ending: Option<String>,
    /// Its sessions, in time order.
    pub sessions: Vec<TreatmentSessionView>,
    /// The outcome over its attended sessions so far (final once closed); absent
    /// before the first session.
    pub outcome: Option<OutcomeView>,
}

impl CourseView {
    /// The course with its own sessions (others in `sessions` are left out).
    pub fn new(course: &TreatmentCourse, sessions: &[TreatmentSession]) -> Self {
        Self {
            id: course.id.clone(),
            patient_id: course.patient_id.as_str().to_owned(),
            clinician_id: course
                .clinician_id
                .as_ref()
                .map(|id| id.as_str().to_owned()),
            problem_descriptor: course.problem_descriptor.as_str().to_owned(),
            recommended_anxiety_measure: course
                .problem_descriptor
                .recommended_anxiety_measure()
                .as_str()
                .to_owned(),
            state: if course.closed_at.is_some() {
                "closed"
            } else {
                "open"
            }
            .to_owned(),
            opened_at: course.opened_at.to_rfc3339(),
            closed_at: course.closed_at.map(Timestamp::to_rfc3339),
            ending: course.ending.map(|ending| ending.as_str().to_owned()),
            sessions: sessions
                .iter()
                .filter(|session| session.course_id == course.id)
                .map(TreatmentSessionView::from)
                .collect(),
            outcome: course.outcome.as_ref().map(OutcomeView::from),
        }
    }
}

/// `POST …/courses` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OpenCourse {
    /// The patient's main problem: `depression`, `generalised_anxiety`,
    /// `mixed_anxiety_and_depression`, `social_anxiety`, `panic_disorder`,
    /// `agoraphobia`, `post_traumatic_stress`, `obsessive_compulsive`,
    /// `health_anxiety`, `specific_phobia` or `other`. It decides the anxiety measure.
    pub problem_descriptor: String,
}

/// One score in a session body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ScoreInput {
    /// The measure's instrument id, e.g. `phq9`.
    pub measure: String,
    /// The score: a whole number, or a decimal string with up to two places
    /// (`"2.35"`, the Mobility Inventory's mean).
    #[schema(value_type = String, example = "16")]
    pub value: serde_json::Value,
}

/// `POST …/sessions` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordSession {
    /// When it took place (RFC 3339); default now. Must be after the course's
    /// sessions already recorded.
    #[serde(default)]
    pub at: Option<String>,
    /// Its purpose (see `TreatmentSessionView.kind`).
    pub kind: String,
    /// `attended` (default), `did_not_attend`, `cancelled_by_patient` or
    /// `cancelled_by_service`.
    #[serde(default)]
    pub attendance: Option<String>,
    /// The measures taken (attended sessions only), at most one per measure.
    #[serde(default)]
    pub scores: Vec<ScoreInput>,
}

/// `POST …/close` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CloseCourse {
    /// How it ended (see `CourseView.ending`).
    pub ending: String,
}

/// `POST …/discharge` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DischargePatient {
    /// Why, in the clinician's words (1 to 20 000 characters): kept as a clinical
    /// note, screened and encrypted, never in the audit log.
    pub reason: String,
    /// How the open course ended, if one is open (default `finished_treatment`).
    #[serde(default)]
    pub ending: Option<String>,
}

/// What a discharge changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DischargeView {
    /// The link that ended.
    pub link_id: String,
    /// When (RFC 3339).
    pub discharged_at: String,
    /// The course it closed, if one was open.
    pub course: Option<CourseView>,
    /// The clinical note holding the reason.
    pub note: NoteView,
}

fn parse_name<T: FromStr>(text: &str, field: &str) -> Result<T, ApiError> {
    text.parse()
        .map_err(|_| ApiError::unprocessable(format!("{field} {text:?} is not a known value")))
}

fn parse_at(text: Option<&str>, now: Timestamp) -> Result<Timestamp, ApiError> {
    match text {
        None => Ok(now),
        Some(text) => Timestamp::parse_rfc3339(text)
            .map_err(|error| ApiError::validation(format!("at: {error}"))),
    }
}

fn parse_score(input: &ScoreInput) -> Result<SessionScore, ApiError> {
    let measure = Measure::from_instrument_id(&input.measure).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "measure {:?} is not an outcome measure",
            input.measure
        ))
    })?;
    let value = match &input.value {
        serde_json::Value::Number(number) => number
            .as_u64()
            .and_then(|points| u16::try_from(points).ok())
            .map(ScoreValue::from_points)
            .ok_or_else(|| {
                ApiError::unprocessable(format!(
                    "score for {measure} is {number}; send a whole number or a decimal string such as \"2.35\""
                ))
            })?,
        serde_json::Value::String(text) => {
            ScoreValue::parse(text).map_err(|error| ApiError::unprocessable(error.to_string()))?
        }
        _ => return Err(ApiError::validation("a score's value is a number or a string")),
    };
    Ok(SessionScore { measure, value })
}

/// The course named in the path: the patient's, and the caller's own.
async fn own_course(
    state: &AppState,
    access: &PatientAccess,
    caller: &Caller,
    course_id: &str,
) -> Result<TreatmentCourse, ApiError> {
    let course = state.store().course(course_id).await.map_err(store_error)?;
    if course.patient_id != access.patient_id {
        return Err(ApiError::not_found("course"));
    }
    if course.clinician_id.as_ref() != Some(&caller.user_id) {
        return Err(ApiError::forbidden());
    }
    Ok(course)
}

async fn course_view(state: &AppState, course: &TreatmentCourse) -> Result<CourseView, ApiError> {
    let sessions = state
        .store()
        .treatment_sessions(&course.patient_id)
        .await
        .map_err(store_error)?;
    Ok(CourseView::new(course, &sessions))
}

/// Open a course of care with the patient (at most one open per clinician and patient).
#[utoipa::path(post, path = "/api/clinician/patients/{patient_id}/courses", tag = "courses",
    request_body = OpenCourse,
    params(("patient_id" = String, Path, description = "The patient")),
    responses(
        (status = 201, description = "Opened", body = CourseView),
        (status = 409, description = "`CONFLICT`: the caller already has an open course with the patient", body = crate::error::ErrorBody),
        (status = 422, description = "`UNPROCESSABLE`: unknown problem descriptor", body = crate::error::ErrorBody)))]
pub async fn open_course(
    State(state): State<AppState>,
    access: PatientAccess,
    caller: Caller,
    JsonBody(request): JsonBody<OpenCourse>,
) -> Result<Response, ApiError> {
    let problem: ProblemDescriptor = parse_name(&request.problem_descriptor, "problem_descriptor")?;
    let course = state
        .store()
        .open_course(NewCourse {
            patient_id: access.patient_id.clone(),
            clinician_id: Some(caller.user_id.clone()),
            problem_descriptor: problem,
            opened_at: state.now(),
        })
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        CourseView::new(&course, &[]),
        "course opened",
    ))
}

/// The patient's courses of care, oldest first, each with its sessions and stored outcome.
#[utoipa::path(get, path = "/api/clinician/patients/{patient_id}/courses", tag = "courses",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Courses, oldest first", body = [CourseView])))]
pub async fn list_courses(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let store = state.store();
    let courses = store
        .courses(&access.patient_id)
        .await
        .map_err(store_error)?;
    let sessions = store
        .treatment_sessions(&access.patient_id)
        .await
        .map_err(store_error)?;
    Ok(ok(courses
        .iter()
        .map(|course| CourseView::new(course, &sessions))
        .collect::<Vec<_>>()))
}

/// Record a treatment session and the measures taken; the course's outcome is recomputed.
#[utoipa::path(post, path = "/api/clinician/patients/{patient_id}/courses/{course_id}/sessions", tag = "courses",
    request_body = RecordSession,
    params(("patient_id" = String, Path, description = "The patient"),
           ("course_id" = String, Path, description = "The course")),
    responses(
        (status = 201, description = "Recorded; the course with its new outcome", body = CourseView),
        (status = 404, description = "No such course of this patient", body = crate::error::ErrorBody),
        (status = 409, description = "`CONFLICT`: the course is closed", body = crate::error::ErrorBody),
        (status = 422, description = "`UNPROCESSABLE`: unknown kind, attendance or measure; a score out of range; a session not after the last; scores at a session not attended", body = crate::error::ErrorBody)))]
pub async fn record_session(
    State(state): State<AppState>,
    access: PatientAccess,
    caller: Caller,
    PathParams((_, course_id)): PathParams<(String, String)>,
    JsonBody(request): JsonBody<RecordSession>,
) -> Result<Response, ApiError> {
    let course = own_course(&state, &access, &caller, &course_id).await?;
    let kind: SessionKind = parse_name(&request.kind, "kind")?;
    let attendance = match request.attendance.as_deref() {
        None => Attendance::Attended,
        Some(name) => Attendance::from_name(name).ok_or_else(|| {
            ApiError::unprocessable(format!("attendance {name:?} is not a known value"))
        })?,
    };
    let scores = request
        .scores
        .iter()
        .map(parse_score)
        .collect::<Result<Vec<_>, _>>()?;
    state
        .store()
        .add_treatment_session(NewTreatmentSession {
            course_id: course.id.clone(),
            patient_id: access.patient_id.clone(),
            clinician_id: Some(caller.user_id.clone()),
            at: parse_at(request.at.as_deref(), state.now())?,
            kind,
            attendance,
            scores,
        })
        .await
        .map_err(store_error)?;
    let course = state
        .store()
        .course(&course.id)
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        course_view(&state, &course).await?,
        "session recorded",
    ))
}

/// Close a course with its ending; its outcome is stored final.
#[utoipa::path(post, path = "/api/clinician/patients/{patient_id}/courses/{course_id}/close", tag = "courses",
    request_body = CloseCourse,
    params(("patient_id" = String, Path, description = "The patient"),
           ("course_id" = String, Path, description = "The course")),
    responses(
        (status = 200, description = "Closed, with its outcome", body = CourseView),
        (status = 404, description = "No such course of this patient", body = crate::error::ErrorBody),
        (status = 409, description = "`CONFLICT`: already closed", body = crate::error::ErrorBody),
        (status = 422, description = "`UNPROCESSABLE`: unknown ending", body = crate::error::ErrorBody)))]
pub async fn close_course(
    State(state): State<AppState>,
    access: PatientAccess,
    caller: Caller,
    PathParams((_, course_id)): PathParams<(String, String)>,
    JsonBody(request): JsonBody<CloseCourse>,
) -> Result<Response, ApiError> {
    let course = own_course(&state, &access, &caller, &course_id).await?;
    let ending: CourseEnding = parse_name(&request.ending, "ending")?;
    let closed = state
        .store()
        .close_course(&course.id, ending, state.now())
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::OK,
        course_view(&state, &closed).await?,
        "course closed",
    ))
}

/// Discharge the patient: close the caller's open course with them (if any) and end
/// the link, in one transaction; the reason is kept as a clinical note.
#[utoipa::path(post, path = "/api/clinician/patients/{patient_id}/discharge", tag = "courses",
    request_body = DischargePatient,
    params(("patient_id" = String, Path, description = "The patient")),
    responses(
        (status = 200, description = "Discharged", body = DischargeView),
        (status = 400, description = "`VALIDATION_FAILED`: empty or over-long reason", body = crate::error::ErrorBody),
        (status = 422, description = "`UNPROCESSABLE`: unknown ending", body = crate::error::ErrorBody)))]
pub async fn discharge(
    State(state): State<AppState>,
    access: PatientAccess,
    caller: Caller,
    JsonBody(request): JsonBody<DischargePatient>,
) -> Result<Response, ApiError> {
    let ending: CourseEnding = match request.ending.as_deref() {
        None => CourseEnding::FinishedTreatment,
        Some(name) => parse_name(name, "ending")?,
    };
    let reason = crate::routes::notes::note_text(request.reason, "reason")?;
    let screened = state.screener().screen(reason, Source::ClinicalNote);
    let discharged = state
        .store()
        .discharge(&NewDischarge {
            clinician_id: caller.user_id.clone(),
            patient_id: access.patient_id.clone(),
            ending,
            reason: screened,
            at: state.now(),
        })
        .await
        .map_err(store_error)?;
    let course = match &discharged.course {
        Some(course) => Some(course_view(&state, course).await?),
        None => None,
    };
    Ok(ok(DischargeView {
        link_id: discharged.link.id.clone(),
        discharged_at: discharged
            .link
            .decided_at
            .unwrap_or_else(|| state.now())
            .to_rfc3339(),
        course,
        note: crate::routes::notes::note_view(&state, &discharged.note).await?,
    }))
}
