//! Questionnaires: the instrument registry and a patient's scored results
//! (scored by `healing_core::scoring`, never here).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::safety::RiskLevel;
use healing_core::scoring::{self, Requirement};
use healing_store::StoredAssessment;
use healing_store::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, ok, ok_with};
use crate::policy::PatientAccess;
use crate::questionnaires::{self, QuestionnaireError};
use crate::state::{AppState, store_error};

/// An instrument in the registry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InstrumentView {
    /// Stable id, e.g. `phq9`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Definition version.
    pub version: u16,
    /// Number of items.
    pub items: usize,
    /// The period asked about, e.g. `past_two_weeks`.
    pub recall_period: String,
    /// The questions in order, with their answer options, for a client to render.
    pub questions: Vec<QuestionView>,
    /// Severity bands, ascending.
    pub bands: Vec<BandView>,
}

/// One question of an instrument.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuestionView {
    /// 1-based number.
    pub number: u8,
    /// The published wording; absent where its licence does not let Healing ship it.
    pub text: Option<String>,
    /// Short neutral label (`Item 3`), always present.
    pub label: String,
    /// Answers offered, in display order.
    pub options: Vec<OptionView>,
    /// Skip logic: the question is asked only when this earlier question has this
    /// answer; otherwise its answer is sent as `null`.
    pub asked_when: Option<AskedWhenView>,
    /// Whether the question may be left blank (`null`): a proratable item within
    /// the instrument's allowance, or one that may not apply.
    pub may_be_blank: bool,
}

/// The condition under which a question is asked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AskedWhenView {
    /// The earlier question's number.
    pub question: u8,
    /// The answer value to it that makes this question asked.
    pub answer: u8,
}

/// One answer option.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OptionView {
    /// The value submitted.
    pub value: u8,
    /// The published label, where shipped.
    pub label: Option<String>,
}

/// A severity band.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BandView {
    /// Band id, as stored on a result (`moderate`).
    pub id: String,
    /// Label to show.
    pub label: String,
    /// Lowest value in the band.
    pub lowest: u16,
    /// Highest value in the band.
    pub highest: u16,
}

/// The questionnaires the server can score.
#[utoipa::path(get, path = "/api/instruments", tag = "assessments", responses((status = 200, description = "Instruments", body = [InstrumentView])))]
pub async fn list_instruments() -> Response {
    let list: Vec<InstrumentView> = scoring::instruments()
        .iter()
        .map(|instrument| InstrumentView {
            id: instrument.id.as_str().to_owned(),
            title: instrument.title.to_owned(),
            version: instrument.version,
            items: instrument.items.len(),
            recall_period: instrument.recall_period.as_str().to_owned(),
            questions: instrument
                .items
                .iter()
                .map(|item| QuestionView {
                    number: item.number,
                    text: item.text.map(str::to_owned),
                    label: item.label.to_owned(),
                    options: item
                        .options
                        .iter()
                        .map(|option| OptionView {
                            value: option.value,
                            label: option.label.map(str::to_owned),
                        })
                        .collect(),
                    asked_when: match item.requirement {
                        Requirement::AskedWhen { item, answer } => Some(AskedWhenView {
                            question: item,
                            answer,
                        }),
                        Requirement::Required | Requirement::Proratable | Requirement::Optional => {
                            None
                        }
                    },
                    may_be_blank: matches!(
                        item.requirement,
                        Requirement::Proratable | Requirement::Optional
                    ),
                })
                .collect(),
            bands: instrument
                .bands
                .iter()
                .map(|band| BandView {
                    id: band.id.as_str().to_owned(),
                    label: band.label.to_owned(),
                    lowest: band.lowest,
                    highest: band.highest,
                })
                .collect(),
        })
        .collect();
    ok(list)
}

/// A stored result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssessmentView {
    /// Id.
    pub id: String,
    /// Instrument id.
    pub instrument_id: String,
    /// Instrument definition version.
    pub instrument_version: String,
    /// Answers, item order; `null` for an item the skip logic left unasked.
    pub answers: Vec<Option<u8>>,
    /// Total score; `null` for an instrument without one (the C-SSRS screener,
    /// whose result is its band).
    pub total: Option<i32>,
    /// Severity band id.
    pub band: Option<String>,
    /// Safety flags (JSON text of each flag).
    pub flags: Vec<String>,
    /// When completed (RFC 3339).
    pub completed_at: String,
}

impl From<&StoredAssessment> for AssessmentView {
    fn from(a: &StoredAssessment) -> Self {
        Self {
            id: a.id.clone(),
            instrument_id: a.instrument_id.clone(),
            instrument_version: a.instrument_version.clone(),
            answers: a.answers.clone(),
            total: a.total,
            band: a.band.map(|band| band.as_str().to_owned()),
            flags: a
                .flags
                .iter()
                .filter_map(|flag| serde_json::to_string(flag).ok())
                .collect(),
            completed_at: a.completed_at.to_rfc3339(),
        }
    }
}

/// `POST …/assessments` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SubmitAssessment {
    /// Instrument id, e.g. `phq9`.
    pub instrument_id: String,
    /// One answer per item (item order). An item asked only after a given answer
    /// to an earlier one (`asked_when`) is `null` when that answer was not given;
    /// every other item must be answered.
    pub answers: Vec<Option<u8>>,
}

/// A patient's questionnaire results.
#[utoipa::path(get, path = "/api/patients/{patient_id}/assessments", tag = "assessments",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Results, oldest first", body = [AssessmentView])))]
pub async fn list_assessments(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let results = state
        .store()
        .assessments(&access.patient_id)
        .await
        .map_err(store_error)?;
    Ok(ok(results
        .iter()
        .map(AssessmentView::from)
        .collect::<Vec<_>>()))
}

/// Submit a completed questionnaire (the patient); it is scored and stored.
/// `needs_clinician_review` is true when an item flags self-harm or suicide risk.
#[utoipa::path(post, path = "/api/patients/{patient_id}/assessments", tag = "assessments", request_body = SubmitAssessment,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 201, description = "Scored and stored", body = serde_json::Value)))]
pub async fn submit_assessment(
    State(state): State<AppState>,
    access: PatientAccess,
    JsonBody(request): JsonBody<SubmitAssessment>,
) -> Result<Response, ApiError> {
    let (record, score) = questionnaires::score_for_storage(
        &access.patient_id,
        &request.instrument_id,
        &request.answers,
        state.now(),
    )
    .map_err(|error| match error {
        QuestionnaireError::NotStorable(error) => store_error(error),
        QuestionnaireError::UnknownInstrument(_) | QuestionnaireError::InvalidAnswers(_) => {
            ApiError::validation(error.to_string())
        }
    })?;
    let stored = state
        .store()
        .add_assessment(record)
        .await
        .map_err(store_error)?;
    // The store raised any alert with the result; the patient sees support now.
    let level = healing_store::questionnaire_risk(&stored.flags)
        .map_or(RiskLevel::None, healing_store::AlertSeverity::level);
    let body = serde_json::json!({
        "assessment": AssessmentView::from(&stored),
        "score": score,
        "needs_clinician_review": score.needs_clinician_review(),
        "safety": state.screener().view_for_level(level),
    });
    Ok(ok_with(StatusCode::CREATED, body, "assessment scored"))
}
