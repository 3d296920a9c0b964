//! `/api/patients/{patient_id}/consent`: the patient's consent ledger
//! (append-only decisions replayed by `healing_core::consent`), and
//! `/api/consent/wordings`: the registry of consent texts a decision's
//! `wording_version` must name.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use healing_core::consent::{ConsentEvent, Decision, Ledger, Purpose, RecordedBy, WordingVersion};
use healing_core::ids::PersonId;
use healing_store::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, JsonBody, ok, ok_with};
use crate::policy::PatientAccess;
use crate::state::{AppState, store_error};

/// One consent text the server shows, by purpose and version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Wording {
    /// The purpose, e.g. `clinician_sharing`.
    pub purpose: &'static str,
    /// The version a decision names, e.g. `clinician_sharing-2026-01`.
    pub version: &'static str,
    /// The text shown to the person.
    pub text: &'static str,
}

/// Every consent text the server has shown, oldest first within a purpose; the
/// last one of a purpose is its current wording. A decision must name one of its
/// purpose's versions, so each recorded decision points at text that exists
/// (UK GDPR Article 7(1): consent must be demonstrable). Texts are never edited
/// once shipped: a change is a new version appended here.
pub const WORDINGS: &[Wording] = &[
    Wording {
        purpose: "care",
        version: "care-2026-01",
        text: "I agree that Healing may store and process what I enter (moods, questionnaires, journal and notes) to provide my care in the app.",
    },
    Wording {
        purpose: "clinician_sharing",
        version: "clinician_sharing-2026-01",
        text: "I agree that clinicians I have accepted a link with may see my moods, questionnaire scores, consent choices and pet. I can withdraw this at any time, and they lose access at once.",
    },
    Wording {
        purpose: "ai_chat",
        version: "ai_chat-2026-01",
        text: "I agree that messages I write to the AI companion are sent to it for processing.",
    },
    Wording {
        purpose: "research",
        version: "research-2026-01",
        text: "I agree that my data, with my name and contact details removed, may be used in research approved by an ethics committee.",
    },
    Wording {
        purpose: "email_notifications",
        version: "email_notifications-2026-01",
        text: "I agree to receive notifications from Healing by email.",
    },
];

/// The registered wording `version` of `purpose`, if any.
pub fn registered_wording(purpose: Purpose, version: &str) -> Option<&'static Wording> {
    WORDINGS
        .iter()
        .find(|wording| wording.purpose == purpose.name() && wording.version == version)
}

/// Each purpose's current wording.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WordingsView {
    /// The current wording of each purpose, in purpose order.
    pub current: Vec<Wording>,
    /// Every wording ever shown, including superseded ones.
    pub all: Vec<Wording>,
}

/// The consent texts and their versions: each purpose's current wording, and every
/// version a recorded decision may name.
#[utoipa::path(get, path = "/api/consent/wordings", tag = "consent",
    responses((status = 200, description = "Consent texts by purpose and version", body = WordingsView)))]
pub async fn consent_wordings() -> Response {
    let current = Purpose::ALL
        .into_iter()
        .filter_map(|purpose| {
            WORDINGS
                .iter()
                .rev()
                .find(|wording| wording.purpose == purpose.name())
                .copied()
        })
        .collect();
    ok(WordingsView {
        current,
        all: WORDINGS.to_vec(),
    })
}

/// The patient's consent ledger, replayed from the store (a stored ledger that does
/// not replay is a server fault: the store refuses incoherent decisions).
pub async fn ledger_of(state: &AppState, patient_id: &PersonId) -> Result<Ledger, ApiError> {
    let events = state
        .store()
        .consent_events(patient_id)
        .await
        .map_err(store_error)?;
    Ledger::replay(patient_id.clone(), events).map_err(|error| {
        ApiError::internal(format!("stored consent ledger does not replay: {error}"))
    })
}

/// The current consent state and the decisions behind it.
#[utoipa::path(get, path = "/api/patients/{patient_id}/consent", tag = "consent",
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 200, description = "Current grants and history", body = serde_json::Value)))]
pub async fn consent_state(
    State(state): State<AppState>,
    access: PatientAccess,
) -> Result<Response, ApiError> {
    let ledger = ledger_of(&state, &access.patient_id).await?;
    let now = state.now();
    Ok(ok(serde_json::json!({
        "state": ledger.state_at(now),
        "events": ledger.events(),
    })))
}

/// `POST …/consent` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordConsent {
    /// `care`, `clinician_sharing`, `ai_chat`, `research` or `email_notifications`.
    pub purpose: String,
    /// `grant` or `withdraw`.
    pub decision: String,
    /// Version of the wording the patient saw, e.g. `research-2026-01`: one of the
    /// purpose's versions listed by `GET /api/consent/wordings`.
    pub wording_version: String,
}

/// Record a consent decision (the patient, for themself).
#[utoipa::path(post, path = "/api/patients/{patient_id}/consent", tag = "consent", request_body = RecordConsent,
    params(("patient_id" = String, Path, description = "The patient")),
    responses((status = 201, description = "Recorded", body = serde_json::Value),
        (status = 409, description = "The ledger refuses the decision as it stands (e.g. withdrawing what is not granted)", body = crate::error::ErrorBody)))]
pub async fn record_consent(
    State(state): State<AppState>,
    access: PatientAccess,
    JsonBody(request): JsonBody<RecordConsent>,
) -> Result<Response, ApiError> {
    let purpose = Purpose::ALL
        .into_iter()
        .find(|purpose| purpose.name() == request.purpose)
        .ok_or_else(|| {
            ApiError::validation(format!(
                "purpose {:?} is not a known purpose",
                request.purpose
            ))
        })?;
    let decision = match request.decision.as_str() {
        "grant" => Decision::Grant,
        "withdraw" => Decision::Withdraw,
        other => {
            return Err(ApiError::validation(format!(
                "decision {other:?} is not grant or withdraw"
            )));
        }
    };
    let wording = registered_wording(purpose, &request.wording_version).ok_or_else(|| {
        ApiError::validation(format!(
            "wording_version {:?} is not a wording of {purpose} this server shows (see GET /api/consent/wordings)",
            request.wording_version.chars().take(80).collect::<String>()
        ))
    })?;
    let wording_version = WordingVersion::new(wording.version)
        .map_err(|error| ApiError::internal(format!("registered wording version: {error}")))?;
    let event = ConsentEvent {
        person: access.patient_id.clone(),
        purpose,
        decision,
        at: state.now(),
        wording_version,
        recorded_by: RecordedBy::Subject,
    };
    // The store replays the ledger and checks the event in the write's transaction,
    // so a stored ledger always replays; a refusal is a 409.
    state
        .store()
        .append_consent_event(&event)
        .await
        .map_err(store_error)?;
    Ok(ok_with(
        StatusCode::CREATED,
        event,
        "consent decision recorded",
    ))
}
