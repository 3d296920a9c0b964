//! FHIR R4 for NHS integrations (`healing_core::fhir`, cargo feature `fhir`, on
//! by default): score a `QuestionnaireResponse` another system sent, and turn a
//! risk screen into a `RiskAssessment` and `Flag` to send on.

use std::ffi::c_char;

use healing_core::fhir::{self, FreeText, PatientReference};
use healing_core::ids::PersonId;
use healing_core::safety::Assessment;

use crate::args::{Out, handle_ref, instant_arg, json_arg, json_text, text_arg};
use crate::boundary::Failure;
use crate::engine::healing_engine;
use crate::result::healing_result;
use crate::scoring::{healing_score, scoring_code};

/// Whether a FHIR export copies the person's own words (the `free_text`
/// argument of `healing_fhir_safety_alert`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum healing_free_text {
    /// Copy them: for care, where the clinician reads them.
    HEALING_FREE_TEXT_INCLUDE = 0,
    /// Leave them out: for research, where free text can identify a person.
    HEALING_FREE_TEXT_OMIT = 1,
}

/// The core choice for a C number.
pub(crate) fn free_text_arg(number: u32) -> Result<FreeText, Failure> {
    const INCLUDE: u32 = healing_free_text::HEALING_FREE_TEXT_INCLUDE as u32;
    const OMIT: u32 = healing_free_text::HEALING_FREE_TEXT_OMIT as u32;
    match number {
        INCLUDE => Ok(FreeText::Include),
        OMIT => Ok(FreeText::Omit),
        _ => Err(Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            format!("parameter `free_text` is {number}, not a healing_free_text (0 or 1)"),
        )),
    }
}

/// A FHIR error as a C failure, with the code a caller can act on.
pub(crate) fn fhir_failure(error: fhir::Error) -> Failure {
    Failure::new(fhir_code(&error), error.to_string())
}

/// The `healing_result` code of a FHIR error. Exhaustive, so a new kind of
/// FHIR error cannot go unmapped.
fn fhir_code(error: &fhir::Error) -> healing_result {
    match error {
        fhir::Error::ImportJson { .. } => healing_result::HEALING_ERR_INVALID_JSON,
        fhir::Error::UnknownInstrument { .. } | fhir::Error::ImportUnknownQuestionnaire { .. } => {
            healing_result::HEALING_ERR_UNKNOWN_INSTRUMENT
        }
        // An unknown instrument keeps its own code; other answers are invalid.
        fhir::Error::ImportScoring { source } => scoring_code(source),
        fhir::Error::PersonIdNotFhirId { .. } | fhir::Error::FlagResolvedBeforeRaised { .. } => {
            healing_result::HEALING_ERR_INVALID_ARGUMENT
        }
        fhir::Error::NhsNumberFormat { .. }
        | fhir::Error::NhsNumberUnusable { .. }
        | fhir::Error::NhsNumberCheckDigit { .. }
        | fhir::Error::SecretTooShort { .. }
        | fhir::Error::KeyIdInvalid { .. }
        | fhir::Error::CanonicalNumber { .. }
        | fhir::Error::SignatureMalformed { .. }
        | fhir::Error::SignatureAlgorithm { .. }
        | fhir::Error::SignatureKeyId { .. }
        | fhir::Error::SignatureMismatch
        | fhir::Error::ImportWrongResource { .. }
        | fhir::Error::ImportNotCompleted { .. }
        | fhir::Error::ImportMissing { .. }
        | fhir::Error::ImportInvalid { .. }
        | fhir::Error::ImportQuestionnaireVersion { .. }
        | fhir::Error::ImportUnknownItem { .. }
        | fhir::Error::ImportUnknownAnswer { .. }
        | fhir::Error::ResourceWithoutId { .. }
        | fhir::Error::UnsupportedResourceType { .. }
        | fhir::Error::Io { .. }
        | fhir::Error::Json { .. }
        | fhir::Error::Model { .. } => healing_result::HEALING_ERR_INVALID_FHIR,
    }
}

/// Scores a FHIR R4 `QuestionnaireResponse` that another system sent, and
/// returns the score and the total-score `Observation` to send back.
///
/// `response_json` (UTF-8) is the resource as JSON. The questionnaire is
/// found from `questionnaire`: healing's canonical
/// (`https://healing.example/fhir/Questionnaire/phq9|1`), LOINC's
/// (`http://loinc.org/q/44249-1`) or a bare LOINC panel code (`44249-1`).
/// Items are matched by `linkId` (LOINC item codes such as `44250-9`, or
/// `item-3`); answers may be a `valueCoding` (LOINC answer code) or a
/// `valueInteger` (the option's value). `status` must be `completed` or
/// `amended`, `subject` a `Patient/<id>` reference, `authored` a date-time
/// with time zone. Which instruments LOINC codes, and every code's source,
/// are in healing-core's `fhir` module documentation.
///
/// On success `*out_score` holds the score (as from `healing_score_answers`)
/// and `*out_observation_json` is a new FHIR `Observation` (LOINC-coded total,
/// `derivedFrom` the response) that you free with `healing_string_free`. On
/// failure both are zero / NULL.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_UNKNOWN_INSTRUMENT` (a
/// questionnaire healing does not score), `HEALING_ERR_INVALID_ANSWERS`,
/// `HEALING_ERR_INVALID_FHIR` (wrong resource type or status, a missing
/// element, an unknown item or answer: the message names the JSON path, such
/// as `item[3].answer[0]`).
///
/// # Safety
/// `engine` is a live engine; `response_json` points to `response_json_len`
/// readable bytes; `out_score` is a writable `healing_score`;
/// `out_observation_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_fhir_score_questionnaire_response(
    engine: *const healing_engine,
    response_json: *const c_char,
    response_json_len: usize,
    out_score: *mut healing_score,
    out_observation_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `healing_score` (or NULL, refused).
        let out_score = unsafe { Out::new(out_score, "out_score") }?;
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out_observation = unsafe { Out::new(out_observation_json, "out_observation_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `response_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(response_json, response_json_len, "response_json") }?;
        let imported = fhir::score_questionnaire_response(text).map_err(fhir_failure)?;
        let observation = json_text(&imported.observation, "the FHIR Observation")?;
        out_score.set(healing_score::from(&imported.score));
        out_observation.set_string(&observation);
        Ok(())
    })
}

/// Turns a risk screen into FHIR R4 resources for the patient's record:
/// a `RiskAssessment` with the evidence, and, at level medium and above, an
/// active safety `Flag` (the alert).
///
/// `assessment_json` (UTF-8) is an assessment exactly as
/// `healing_assess_json` returned it. `person_id` (UTF-8) is the patient's
/// FHIR id (1 to 64 of `a-z A-Z 0-9 - .`), referenced as `Patient/<id>`.
/// `assessed_at_unix_seconds` is when the text was screened. `free_text` is a
/// `healing_free_text`: `HEALING_FREE_TEXT_INCLUDE` copies each finding's
/// reason, which quotes the person's words (for care);
/// `HEALING_FREE_TEXT_OMIT` writes only the rule names (for research).
///
/// On success `*out_alert_json` is a new string you free with
/// `healing_string_free`: `{"risk_assessment":{"resourceType":
/// "RiskAssessment",...},"flag":{"resourceType":"Flag",...}}`, with
/// `"flag":null` below level medium. Levels are written with healing's own
/// safety-screen code system, never as a probability (NICE NG225).
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (an
/// assessment of the wrong shape, a person id that is not a FHIR id, an
/// unknown `free_text`), `HEALING_ERR_INVALID_TIMESTAMP`,
/// `HEALING_ERR_INVALID_FHIR`.
///
/// # Safety
/// `engine` is a live engine; `assessment_json` and `person_id` point to
/// their lengths in readable bytes; `out_alert_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_fhir_safety_alert(
    engine: *const healing_engine,
    assessment_json: *const c_char,
    assessment_json_len: usize,
    person_id: *const c_char,
    person_id_len: usize,
    assessed_at_unix_seconds: i64,
    free_text: u32,
    out_alert_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_alert_json, "out_alert_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `assessment_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(assessment_json, assessment_json_len, "assessment_json") }?;
        // SAFETY: the caller passes `person_id_len` readable bytes (or NULL, refused).
        let person = unsafe { text_arg(person_id, person_id_len, "person_id") }?;
        let assessment: Assessment = json_arg(text, "assessment_json")?;
        let person = PersonId::new(person).map_err(|error| {
            Failure::new(
                healing_result::HEALING_ERR_INVALID_ARGUMENT,
                format!("parameter `person_id`: {error}"),
            )
        })?;
        let subject = PatientReference::identified(&person).map_err(fhir_failure)?;
        let at = instant_arg(assessed_at_unix_seconds, "assessed_at_unix_seconds")?;
        let free_text = free_text_arg(free_text)?;
        // An alert resolved since is exported with `healing_fhir_export_bundle`,
        // whose `safety_assessments` carry `resolved_at`.
        let alert =
            fhir::safety_alert(&assessment, &subject, at, None, free_text).map_err(fhir_failure)?;
        out.set_string(&json_text(&alert, "the FHIR safety alert")?);
        Ok(())
    })
}
