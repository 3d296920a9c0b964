//! The GDPR export as FHIR R4: a caller's stored record ([`UserExport`], the
//! same data the JSON export holds) turned into one `collection` Bundle by
//! healing-core's exporters. This module decides nothing clinical: it only
//! feeds each stored record to the core exporter for its kind, in a fixed order.
//!
//! # What the Bundle holds
//!
//! In this order: `Patient` (id = the account id, with the NHS number when one
//! is stored); for each instrument used, its `Questionnaire` once, then every
//! stored assessment as a `QuestionnaireResponse` and its total-score
//! `Observation`; one `Consent` per period a purpose was allowed, from the
//! replayed consent ledger; one `Observation` per mood entry (notes included:
//! it is the person's own record); for each stored safety event a
//! `RiskAssessment` and, at medium level and above, a `Flag`.
//!
//! # What stays JSON-only, and why
//!
//! healing-core has no FHIR exporter for these, so only `format=json` carries
//! them: the account itself (username, email, display name, role, two-factor
//! state, creation and disabling times), because they describe a login, not a
//! patient; the year of birth, because core's `Patient` takes a full birth date
//! and a year alone would have to be invented into one; clinician–patient links,
//! courses of treatment and treatment sessions; journal entries, messages,
//! community posts, the safety plan and the pet; the audit entries; and a
//! safety event's `source` (where the text came from), which a `RiskAssessment`
//! has no element for. A safety event stores no text and no findings, so its
//! `RiskAssessment` has none either.
//!
//! Staff accounts hold no clinical records, so their Bundle has no `Patient`
//! unless some clinical record of theirs exists (for example from before a
//! role change): a `Patient` resource for a clinician would be untrue.

use std::collections::HashSet;

use healing_core::consent::Ledger;
use healing_core::fhir::fhir_sdk::r4b::resources::{Bundle, Resource};
use healing_core::fhir::{self, BundleKind, FreeText, NhsNumber, PatientDetails, PatientReference};
use healing_core::safety::{self, Category, RiskLevel};
use healing_core::scoring::{self, ValidatedAnswers};
use healing_core::timestamp::Timestamp;
use healing_store::{Assessment, Role, SafetyEvent, UserExport};

/// Why a stored record cannot be written as FHIR. Messages name kinds and
/// instrument ids only, never a value from the record.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FhirExportError {
    /// The account id is not a FHIR id, so it cannot be `Patient.id`.
    #[error("the account id is not a fhir id, so the record has no Patient resource")]
    AccountIdNotFhirId,
    /// The stored NHS number does not pass the Modulus 11 check.
    #[error("the stored nhs number is not a valid nhs number")]
    InvalidNhsNumber,
    /// An assessment names an instrument this server's registry does not have.
    #[error("an assessment uses instrument '{instrument}', which this server no longer defines")]
    UnknownInstrument {
        /// The stored instrument id (cut to 64 characters).
        instrument: String,
    },
    /// An assessment was scored with another version of the instrument, so
    /// the `Questionnaire` this server describes is not the one answered.
    #[error(
        "an assessment of '{instrument}' used definition version {stored}; this server defines version {current}"
    )]
    InstrumentVersion {
        /// The instrument id.
        instrument: String,
        /// The version stored with the assessment (cut to 16 characters).
        stored: String,
        /// The registry's version.
        current: u16,
    },
    /// Stored answers or total do not match what the registry scores.
    #[error("a stored assessment of '{instrument}' does not score as it was stored")]
    AssessmentInconsistent {
        /// The instrument id.
        instrument: String,
    },
    /// A safety event holds a level or category the safety engine does not know.
    #[error("a stored safety event has a level or category this server does not know")]
    UnknownSafetyCode,
    /// The stored consent ledger does not replay: the store is inconsistent.
    #[error("the stored consent ledger does not replay: {reason}")]
    ConsentLedger {
        /// The ledger's error (names the rule, not the patient).
        reason: String,
    },
    /// A core exporter failed (a bug, never caused by the data).
    #[error("fhir exporter failed: {kind}")]
    Exporter {
        /// The core error's kind.
        kind: &'static str,
    },
}

impl FhirExportError {
    /// Whether the record holds something FHIR cannot carry (the caller can
    /// still download it as JSON), rather than a fault of this server.
    pub fn is_unrepresentable(&self) -> bool {
        !matches!(self, Self::ConsentLedger { .. } | Self::Exporter { .. })
    }
}

/// A core exporter error, reduced to its kind: some variants quote input
/// (an NHS number), which must not reach a log or a message.
fn exporter(error: &fhir::Error) -> FhirExportError {
    let kind = match error {
        fhir::Error::PersonIdNotFhirId { .. } => return FhirExportError::AccountIdNotFhirId,
        fhir::Error::NhsNumberFormat { .. }
        | fhir::Error::NhsNumberUnusable { .. }
        | fhir::Error::NhsNumberCheckDigit { .. } => return FhirExportError::InvalidNhsNumber,
        fhir::Error::UnknownInstrument { .. } => "unknown instrument",
        fhir::Error::ResourceWithoutId { .. } => "resource without id",
        fhir::Error::Json { .. } => "json serialisation",
        fhir::Error::Model { .. } => "model builder",
        _ => "other",
    };
    FhirExportError::Exporter { kind }
}

/// The id of this export: `Bundle.id`. A FHIR id whatever the account id is.
fn bundle_id(exported_at: Timestamp) -> String {
    format!("gdpr-export-{}", exported_at.unix_seconds())
}

/// Everything in `export` that core can express, as one `collection` Bundle
/// stamped `exported_at` (see the module documentation for what and in which
/// order, and what is JSON-only).
pub fn record_bundle(
    export: &UserExport,
    exported_at: Timestamp,
) -> Result<Bundle, FhirExportError> {
    let user = &export.user;
    let subject = PatientReference::identified(&user.id).map_err(|error| exporter(&error))?;
    let mut ids = UniqueIds::default();
    let mut clinical: Vec<Resource> = Vec::new();
    let mut questionnaires_written: Vec<&str> = Vec::new();
    for stored in &export.assessments {
        let (answers, score) = rescored(stored)?;
        let instrument = answers.instrument();
        if !questionnaires_written.contains(&instrument.id.as_str()) {
            questionnaires_written.push(instrument.id.as_str());
            clinical.push(
                fhir::questionnaire(instrument, exported_at)
                    .map_err(|error| exporter(&error))?
                    .into(),
            );
        }
        let mut response = fhir::questionnaire_response(&answers, &subject, stored.completed_at)
            .map_err(|error| exporter(&error))?;
        let core_id = response.id.clone().ok_or(FhirExportError::Exporter {
            kind: "resource without id",
        })?;
        let response_id = ids.claim("QuestionnaireResponse", &core_id);
        response.id = Some(response_id.clone());
        // Built from the (possibly renamed) response id, so `derivedFrom` and
        // the observation's own id follow it.
        let observation =
            fhir::score_observation(&score, &subject, stored.completed_at, &response_id)
                .map_err(|error| exporter(&error))?;
        clinical.push(response.into());
        clinical.push(ids.unique(observation.into()));
    }
    let ledger = Ledger::replay(user.id.clone(), export.consent_events.iter().cloned()).map_err(
        |error| FhirExportError::ConsentLedger {
            reason: error.to_string(),
        },
    )?;
    for consent in fhir::consents(&ledger, &subject).map_err(|error| exporter(&error))? {
        clinical.push(ids.unique(consent.into()));
    }
    for mood in &export.mood_entries {
        let observation = fhir::mood_observation(&mood.entry, &subject, FreeText::Include)
            .map_err(|error| exporter(&error))?;
        clinical.push(ids.unique(observation.into()));
    }
    for event in &export.safety_events {
        let alert = fhir::safety_alert(&screened(event)?, &subject, event.at, FreeText::Include)
            .map_err(|error| exporter(&error))?;
        clinical.push(ids.unique(alert.risk_assessment.into()));
        if let Some(flag) = alert.flag {
            clinical.push(ids.unique(flag.into()));
        }
    }
    let mut resources = Vec::with_capacity(clinical.len() + 1);
    if user.role == Role::Patient || !clinical.is_empty() {
        resources.push(patient(export)?.into());
    }
    resources.extend(clinical);
    fhir::bundle(
        BundleKind::Collection,
        &bundle_id(exported_at),
        exported_at,
        resources,
    )
    .map_err(|error| exporter(&error))
}

/// The `Patient`: the account id and, when stored, the NHS number.
fn patient(
    export: &UserExport,
) -> Result<healing_core::fhir::fhir_sdk::r4b::resources::Patient, FhirExportError> {
    let nhs_number = export
        .user
        .nhs_number
        .as_deref()
        .map(NhsNumber::parse)
        .transpose()
        .map_err(|error| exporter(&error))?;
    let details = PatientDetails {
        person: export.user.id.clone(),
        nhs_number,
        name: None,
        birth_date: None,
        gender: None,
    };
    fhir::patient(&details).map_err(|error| exporter(&error))
}

/// A stored assessment's answers, checked and scored again by the registry,
/// which must give back the stored instrument version and total.
fn rescored(stored: &Assessment) -> Result<(ValidatedAnswers, scoring::Score), FhirExportError> {
    let instrument_name = || stored.instrument_id.chars().take(64).collect::<String>();
    let instrument = scoring::instrument(&stored.instrument_id).ok_or_else(|| {
        FhirExportError::UnknownInstrument {
            instrument: instrument_name(),
        }
    })?;
    if stored.instrument_version != instrument.version.to_string() {
        return Err(FhirExportError::InstrumentVersion {
            instrument: instrument_name(),
            stored: stored.instrument_version.chars().take(16).collect(),
            current: instrument.version,
        });
    }
    let inconsistent = || FhirExportError::AssessmentInconsistent {
        instrument: instrument_name(),
    };
    let answers: Vec<u8> = stored
        .answers
        .iter()
        .map(|answer| u8::try_from(*answer).map_err(|_| inconsistent()))
        .collect::<Result<_, _>>()?;
    let validated = ValidatedAnswers::complete(instrument, &answers).map_err(|_| inconsistent())?;
    let score = scoring::score(&validated);
    if score.total.map(i32::from) != Some(stored.total) {
        return Err(inconsistent());
    }
    Ok((validated, score))
}

/// A stored safety event as the engine's assessment: its level, categories
/// and rules version. The store keeps no text, so there are no findings.
fn screened(event: &SafetyEvent) -> Result<safety::Assessment, FhirExportError> {
    let level = RiskLevel::from_name(&event.level).ok_or(FhirExportError::UnknownSafetyCode)?;
    let categories = event
        .categories
        .iter()
        .map(|name| Category::from_name(name).ok_or(FhirExportError::UnknownSafetyCode))
        .collect::<Result<_, _>>()?;
    Ok(safety::Assessment {
        level,
        categories,
        findings: Vec::new(),
        notes: Vec::new(),
        rules_version: event.rules_version.clone(),
    })
}

/// Keeps every `Type/id` in the Bundle distinct. Core derives ids from the
/// facts at one-second precision, so two records of the same kind in the same
/// second (a questionnaire sent twice) would share an id, which a Bundle
/// forbids (R4 bdl-7); the later one becomes `<id>-2`, `<id>-3`, ...
#[derive(Debug, Default)]
struct UniqueIds {
    seen: HashSet<(&'static str, String)>,
}

impl UniqueIds {
    /// A free id for a resource of `resource_type` whose core id is `base`.
    fn claim(&mut self, resource_type: &'static str, base: &str) -> String {
        let mut candidate = base.to_owned();
        let mut counter = 1u32;
        while !self.seen.insert((resource_type, candidate.clone())) {
            counter += 1;
            candidate = format!("{base}-{counter}");
        }
        candidate
    }

    /// `resource`, renamed if its id is taken (one without an id is left for
    /// the Bundle to refuse).
    fn unique(&mut self, mut resource: Resource) -> Resource {
        let resource_type = resource.resource_type().as_str();
        if let Some(id) = resource.as_base_resource().id().clone() {
            let free = self.claim(resource_type, &id);
            if free != id {
                resource.as_base_resource_mut().set_id(Some(free));
            }
        }
        resource
    }
}
