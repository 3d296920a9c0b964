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
//! `RiskAssessment` and, at medium level and above, a `Flag`: `active` while
//! the event's alert (`alerts.safety_event_id`) is open or acknowledged, and
//! `inactive` with `period.end` at its `resolved_at` once a clinician resolved it.
//!
//! # What stays JSON-only, and why
//!
//! healing-core has no FHIR exporter for these, so only `format=json` carries
//! them: the account itself (username, email, display name, role, two-factor
//! state, creation and disabling times), because they describe a login, not a
//! patient; the year of birth, because core's `Patient` takes a full birth date
//! and a year alone would have to be invented into one; clinician–patient links,
//! courses of treatment and treatment sessions; journal entries, the companion
//! chat, messages, community posts, the safety plan (its versions and proposed edits:
//! core has no `CarePlan` exporter), CBT tool runs and the pet; the audit entries; and a
//! safety event's `source` (where the text came from), which a `RiskAssessment`
//! has no element for. A safety event stores no text and no findings, so its
//! `RiskAssessment` has none either. Of an alert the Bundle carries only when
//! it was resolved; the JSON export has its moves as audit entries, and
//! neither has the action staff wrote.
//!
//! Staff accounts hold no clinical records, so their Bundle has no `Patient`
//! unless some clinical record of theirs exists (for example from before a
//! role change): a `Patient` resource for a clinician would be untrue.

use healing_core::consent::Ledger;
use healing_core::fhir::fhir_sdk::r4b::resources::Bundle;
use healing_core::fhir::{
    self, AssessedText, BundleKind, CompletedInstrument, FreeText, NhsNumber, PatientDetails,
    PatientRecord,
};
use healing_core::mood::MoodEntry;
use healing_core::safety;
use healing_core::scoring::{self, ValidatedAnswers};
use healing_core::timestamp::Timestamp;
use healing_store::{Alert, Role, SafetyEvent, StoredAssessment, UserExport};

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
    /// A stored alert was resolved before its safety event was raised: the
    /// store is inconsistent.
    #[error("a stored alert was resolved before its safety event was raised")]
    AlertResolvedBeforeRaised,
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
        !matches!(
            self,
            Self::AlertResolvedBeforeRaised | Self::ConsentLedger { .. } | Self::Exporter { .. }
        )
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
        fhir::Error::FlagResolvedBeforeRaised { .. } => {
            return FhirExportError::AlertResolvedBeforeRaised;
        }
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
/// order, and what is JSON-only): the stored rows converted to a
/// [`PatientRecord`], core's [`fhir::patient_resources`] for the resources.
/// `alerts` are the same person's alerts (`alerts_of_patient`), read for
/// when each safety event's alert was resolved. With a `signing_key`, a
/// `Provenance` signed by core's [`fhir::signed_provenance`] over every other
/// resource comes last, so the receiver can check nothing was changed.
pub fn record_bundle(
    export: &UserExport,
    alerts: &[Alert],
    exported_at: Timestamp,
    signing_key: Option<&fhir::SigningKey>,
) -> Result<Bundle, FhirExportError> {
    let user = &export.user;
    let completed = export
        .assessments
        .iter()
        .map(rescored)
        .collect::<Result<Vec<_>, _>>()?;
    let consent = Ledger::replay(user.id.clone(), export.consent_events.iter().cloned()).map_err(
        |error| FhirExportError::ConsentLedger {
            reason: error.to_string(),
        },
    )?;
    let mood_entries: Vec<MoodEntry> = export
        .mood_entries
        .iter()
        .map(|mood| mood.entry.clone())
        .collect();
    let assessed = export
        .safety_events
        .iter()
        .map(|event| AssessedText {
            assessment: screened(event),
            assessed_at: event.at,
            resolved_at: resolved_at(event, alerts),
        })
        .collect::<Vec<_>>();
    let has_clinical_records = !(completed.is_empty()
        && consent.events().is_empty()
        && mood_entries.is_empty()
        && assessed.is_empty());
    let details = if user.role == Role::Patient || has_clinical_records {
        Some(patient(export)?)
    } else {
        None
    };
    let record = PatientRecord {
        person: &user.id,
        details: details.as_ref(),
        completed: &completed,
        consent: &consent,
        mood_entries: &mood_entries,
        assessed: &assessed,
    };
    let mut resources = fhir::patient_resources(&record, exported_at, FreeText::Include)
        .map_err(|error| exporter(&error))?;
    if let Some(key) = signing_key {
        let provenance = fhir::signed_provenance(
            &format!("{}-provenance", bundle_id(exported_at)),
            &resources,
            exported_at,
            "healing-server",
            key,
        )
        .map_err(|error| exporter(&error))?;
        resources.push(provenance.into());
    }
    fhir::bundle(
        BundleKind::Collection,
        &bundle_id(exported_at),
        exported_at,
        resources,
    )
    .map_err(|error| exporter(&error))
}

/// The `Patient`'s details: the account id and, when stored, the NHS number.
fn patient(export: &UserExport) -> Result<PatientDetails, FhirExportError> {
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
    Ok(details)
}

/// A stored assessment's answers, checked and scored again by the registry,
/// which must give back the stored instrument version and total.
fn rescored(stored: &StoredAssessment) -> Result<CompletedInstrument, FhirExportError> {
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
    let validated =
        ValidatedAnswers::new(instrument, &stored.answers).map_err(|_| inconsistent())?;
    let score = scoring::score(&validated);
    if score.total.map(i32::from) != stored.total {
        return Err(inconsistent());
    }
    Ok(CompletedInstrument {
        answers: validated,
        score,
        authored: stored.completed_at,
    })
}

/// When the alert raised by `event` was resolved; `None` while it is open or
/// acknowledged, and for an event that raised no alert.
fn resolved_at(event: &SafetyEvent, alerts: &[Alert]) -> Option<Timestamp> {
    alerts
        .iter()
        .find(|alert| alert.safety_event_id.as_deref() == Some(event.id.as_str()))
        .and_then(|alert| alert.resolved_at)
}

/// A stored safety event as the engine's assessment: its level, categories
/// and rules version. The store keeps no text, so there are no findings.
fn screened(event: &SafetyEvent) -> safety::Assessment {
    safety::Assessment {
        level: event.level,
        categories: event.categories.clone(),
        findings: Vec::new(),
        notes: Vec::new(),
        rules_version: event.rules_version.clone(),
    }
}
