//! FHIR R4 export, import and signing for NHS integrations (cargo feature `fhir`).
#![doc = include_str!("README.md")]

mod bulk;
mod bundle;
mod codes;
mod consent_resource;
mod import;
mod jcs;
mod model;
mod mood_observation;
mod nhs_number;
mod patient;
mod patient_record;
mod questionnaire;
mod safety_alert;
mod signature;

#[cfg(test)]
mod tests;

use crate::timestamp::Timestamp;

pub use bulk::{BulkExport, BulkManifest, BulkOutput, NdjsonSinks, ResourceKind};
pub use bundle::{BundleKind, bundle};
pub use codes::CANONICAL_BASE;
pub use consent_resource::{CONSENT_PURPOSE_SYSTEM, consents};
pub use import::{ImportedResponse, score_questionnaire_response};
pub use jcs::canonical_json;
pub use mood_observation::{FreeText, MOOD_CODE_SYSTEM, mood_observation};
pub use nhs_number::NhsNumber;
pub use patient::{
    AdministrativeSex, PSEUDONYM_SYSTEM, PatientDetails, PatientReference, PersonName,
    PseudonymKey, patient, research_patient,
};
pub use patient_record::{AssessedText, CompletedInstrument, PatientRecord, patient_resources};
pub use questionnaire::{
    ANSWER_VALUE_SYSTEM, BAND_CODE_SYSTEM, SCORE_CODE_SYSTEM, completed_instrument, questionnaire,
    questionnaire_canonical, questionnaire_response, questionnaire_url, score_observation,
};
pub use safety_alert::{SAFETY_CODE_SYSTEM, SafetyAlert, safety_alert};
pub use signature::{
    ALGORITHM_HS256, DetachedJws, MAX_KEY_ID_LEN, MIN_SECRET_LEN, SIGNATURE_FORMAT, SigningKey,
    TARGET_FORMAT, sign_json, signed_provenance, verify_json, verify_provenance,
};

/// The fhir-sdk crate whose R4B models this module builds, re-exported so
/// callers name the same types (`healing_core::fhir::fhir_sdk::r4b::resources::Patient`)
/// without depending on a matching version themselves.
pub use fhir_sdk;

/// Why a FHIR export, import or signature check failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The text is not ten digits, optionally grouped `3 3 4`.
    #[error("nhs number '{text}' is not ten digits (optionally grouped 3 3 4)")]
    NhsNumberFormat {
        /// The text given.
        text: String,
    },
    /// The first nine digits give a Modulus 11 check digit of 10, which no
    /// NHS number has.
    #[error("nhs number '{text}' is not valid: its first nine digits give a check digit of 10")]
    NhsNumberUnusable {
        /// The text given.
        text: String,
    },
    /// The tenth digit is not the Modulus 11 check digit of the first nine.
    #[error("nhs number '{text}' has check digit {found}, expected {expected}")]
    NhsNumberCheckDigit {
        /// The text given.
        text: String,
        /// The check digit the first nine digits give.
        expected: u32,
        /// The tenth digit given.
        found: u32,
    },
    /// A person id cannot be a FHIR resource id.
    #[error("person id '{person}' is not a fhir id (1 to 64 of a-z, A-Z, 0-9, '-', '.')")]
    PersonIdNotFhirId {
        /// The person id.
        person: String,
    },
    /// A secret is shorter than the minimum for its use.
    #[error("secret is {len} bytes long, below the minimum of {min}")]
    SecretTooShort {
        /// Its length in bytes.
        len: usize,
        /// The minimum.
        min: usize,
    },
    /// A key id is empty, too long or holds control characters.
    #[error("key id '{key_id}' must be 1 to 128 bytes without control characters")]
    KeyIdInvalid {
        /// The key id given (cut to 128 characters).
        key_id: String,
    },
    /// A JSON number cannot be written in RFC 8785 form without changing it.
    #[error(
        "number {number} is not exactly representable as an ieee 754 double, so it has no rfc 8785 form"
    )]
    CanonicalNumber {
        /// The number as it appeared.
        number: String,
    },
    /// A JWS is not in the detached compact form we write and read.
    #[error("signature is malformed: {reason}")]
    SignatureMalformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// A JWS names an algorithm we do not accept.
    #[error("signature algorithm '{algorithm}' is not supported (only HS256)")]
    SignatureAlgorithm {
        /// The `alg` header value (empty when missing).
        algorithm: String,
    },
    /// A JWS was made with another key.
    #[error("signature key id is '{found}', expected '{expected}'")]
    SignatureKeyId {
        /// The key id of the verifying key.
        expected: String,
        /// The `kid` header value (empty when missing).
        found: String,
    },
    /// The signature does not match the content: something was changed.
    #[error("signature does not match the signed content")]
    SignatureMismatch,
    /// A score names an instrument the registry does not have.
    #[error("instrument '{instrument}' is not in the scoring registry")]
    UnknownInstrument {
        /// The instrument id.
        instrument: String,
    },
    /// The text to import is not JSON.
    #[error("input is not json: {message}")]
    ImportJson {
        /// serde_json's message.
        message: String,
    },
    /// The JSON to import is not a QuestionnaireResponse.
    #[error("resourceType is '{resource_type}', expected QuestionnaireResponse")]
    ImportWrongResource {
        /// The `resourceType` found (empty when missing).
        resource_type: String,
    },
    /// The response is not finished.
    #[error("status is '{status}', only completed or amended responses can be scored")]
    ImportNotCompleted {
        /// The `status` found.
        status: String,
    },
    /// A required element is missing.
    #[error("{path} is missing")]
    ImportMissing {
        /// Where in the JSON.
        path: String,
    },
    /// An element has the wrong type or an unusable value.
    #[error("{path}: {problem}")]
    ImportInvalid {
        /// Where in the JSON.
        path: String,
        /// What is wrong.
        problem: String,
    },
    /// The `questionnaire` names no registered instrument.
    #[error(
        "questionnaire '{questionnaire}' is not a registered instrument (our canonical or a loinc panel)"
    )]
    ImportUnknownQuestionnaire {
        /// The canonical found.
        questionnaire: String,
    },
    /// The `questionnaire` names another version of our definition.
    #[error(
        "questionnaire '{questionnaire}' is another version; this registry scores version {supported}"
    )]
    ImportQuestionnaireVersion {
        /// The canonical found.
        questionnaire: String,
        /// The version the registry has.
        supported: u16,
    },
    /// An item's `linkId` is not one of the instrument's items.
    #[error("{path}: '{link_id}' is not an item of this questionnaire")]
    ImportUnknownItem {
        /// Where in the JSON.
        path: String,
        /// The `linkId` found.
        link_id: String,
    },
    /// An answer is not one of the item's codes.
    #[error("{path}: '{answer}' is not an answer this item offers")]
    ImportUnknownAnswer {
        /// Where in the JSON.
        path: String,
        /// The answer found (`system|code`, or the integer).
        answer: String,
    },
    /// The answers do not pass the scoring registry's checks.
    #[error("answers cannot be scored: {source}")]
    ImportScoring {
        /// The registry's error, naming the instrument and item.
        source: crate::scoring::Error,
    },
    /// A safety alert's resolution time is before the assessment that raised
    /// it, so its `Flag.period` would end before it starts (FHIR R4 `Period`
    /// rule per-1: start <= end).
    #[error("the flag was resolved at {resolved_at}, before it was raised at {raised_at}")]
    FlagResolvedBeforeRaised {
        /// When the text was assessed and the flag raised (`period.start`).
        raised_at: Timestamp,
        /// The resolution time given (`period.end`).
        resolved_at: Timestamp,
    },
    /// A resource that must be referenced has no id.
    #[error("{resource_type} resource has no id, so it cannot be referenced")]
    ResourceWithoutId {
        /// The resource type.
        resource_type: &'static str,
    },
    /// A resource type this crate does not export was given to the bulk writer.
    #[error("resource type {resource_type} is not one this crate exports")]
    UnsupportedResourceType {
        /// The resource type.
        resource_type: &'static str,
    },
    /// Writing to a caller's sink failed.
    #[error("writing {resource_type} ndjson failed: {message}")]
    Io {
        /// The resource type being written.
        resource_type: &'static str,
        /// The I/O error's message.
        message: String,
    },
    /// serde_json could not serialise a resource.
    #[error("resource could not be serialised as json: {message}")]
    Json {
        /// serde_json's message.
        message: String,
    },
    /// fhir-sdk refused to build an element because a required part was
    /// missing: a bug in this module, never caused by input.
    #[error("fhir model refused to build {element}: {message}")]
    Model {
        /// The element being built.
        element: &'static str,
        /// fhir-sdk's message.
        message: String,
    },
}

impl Error {
    /// The variant's stable `snake_case` name (`"nhs_number_format"`), for callers that
    /// branch on the kind of error without parsing its message.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::NhsNumberFormat { .. } => "nhs_number_format",
            Self::NhsNumberUnusable { .. } => "nhs_number_unusable",
            Self::NhsNumberCheckDigit { .. } => "nhs_number_check_digit",
            Self::PersonIdNotFhirId { .. } => "person_id_not_fhir_id",
            Self::SecretTooShort { .. } => "secret_too_short",
            Self::KeyIdInvalid { .. } => "key_id_invalid",
            Self::CanonicalNumber { .. } => "canonical_number",
            Self::SignatureMalformed { .. } => "signature_malformed",
            Self::SignatureAlgorithm { .. } => "signature_algorithm",
            Self::SignatureKeyId { .. } => "signature_key_id",
            Self::SignatureMismatch { .. } => "signature_mismatch",
            Self::UnknownInstrument { .. } => "unknown_instrument",
            Self::ImportJson { .. } => "import_json",
            Self::ImportWrongResource { .. } => "import_wrong_resource",
            Self::ImportNotCompleted { .. } => "import_not_completed",
            Self::ImportMissing { .. } => "import_missing",
            Self::ImportInvalid { .. } => "import_invalid",
            Self::ImportUnknownQuestionnaire { .. } => "import_unknown_questionnaire",
            Self::ImportQuestionnaireVersion { .. } => "import_questionnaire_version",
            Self::ImportUnknownItem { .. } => "import_unknown_item",
            Self::ImportUnknownAnswer { .. } => "import_unknown_answer",
            Self::ImportScoring { .. } => "import_scoring",
            Self::FlagResolvedBeforeRaised { .. } => "flag_resolved_before_raised",
            Self::ResourceWithoutId { .. } => "resource_without_id",
            Self::UnsupportedResourceType { .. } => "unsupported_resource_type",
            Self::Io { .. } => "io",
            Self::Json { .. } => "json",
            Self::Model { .. } => "model",
        }
    }
}
