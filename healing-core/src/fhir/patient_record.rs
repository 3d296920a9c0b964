//! A patient's whole record as FHIR resources, in one fixed order and with every
//! `Type/id` distinct: the one workflow behind the server's GDPR export and the C
//! API's `healing_fhir_export_bundle`, which only convert their inputs to a
//! [`PatientRecord`] and the resources to a Bundle.

use std::collections::HashSet;

use fhir_sdk::r4b::resources::Resource;

use super::{
    Error, FreeText, PatientDetails, PatientReference, consents, mood_observation, questionnaire,
    questionnaire_response, safety_alert, score_observation,
};
use crate::consent::Ledger;
use crate::ids::PersonId;
use crate::mood::MoodEntry;
use crate::safety::Assessment;
use crate::scoring::{Score, ValidatedAnswers};
use crate::timestamp::Timestamp;

/// A questionnaire the patient completed: the checked answers, their score and
/// when they were given.
#[derive(Debug, Clone)]
pub struct CompletedInstrument {
    /// The answers, checked against the instrument.
    pub answers: ValidatedAnswers,
    /// Their score ([`crate::scoring::score`] of `answers`).
    pub score: Score,
    /// When the patient gave them.
    pub authored: Timestamp,
}

/// A risk assessment of something the patient wrote, when it was made, and
/// when a clinician resolved the alert it raised, if they have.
#[derive(Debug, Clone)]
pub struct AssessedText {
    /// The safety engine's assessment.
    pub assessment: Assessment,
    /// When the text was assessed: the `Flag`'s `period.start`.
    pub assessed_at: Timestamp,
    /// When the alert was resolved: the `Flag` is then `inactive` with this
    /// `period.end` (FHIR R4 Flag, <http://hl7.org/fhir/R4/flag.html>);
    /// `None` leaves it `active`. Not before `assessed_at`
    /// ([`Error::FlagResolvedBeforeRaised`]).
    pub resolved_at: Option<Timestamp>,
}

/// Everything of one patient's record that FHIR can express.
#[derive(Debug, Clone, Copy)]
pub struct PatientRecord<'a> {
    /// Whose record it is: `Patient/<id>` in every reference.
    pub person: &'a PersonId,
    /// The `Patient` resource's details; `None` leaves the resource out (a staff
    /// account holds no clinical record, and a `Patient` for it would be untrue).
    pub details: Option<&'a PatientDetails>,
    /// Completed questionnaires, oldest first.
    pub completed: &'a [CompletedInstrument],
    /// The patient's consent ledger, replayed.
    pub consent: &'a Ledger,
    /// Mood diary entries, oldest first.
    pub mood_entries: &'a [MoodEntry],
    /// Risk assessments of what the patient wrote, oldest first.
    pub assessed: &'a [AssessedText],
}

/// The record's resources, each made by its exporter, in this order: `Patient`
/// (when `details` is given); for each distinct instrument its `Questionnaire`
/// (once, at its first use), then each completed instrument's
/// `QuestionnaireResponse` and total-score `Observation`; one `Consent` per
/// period a purpose was allowed; one `Observation` per mood entry; each risk
/// assessment's `RiskAssessment` and, at medium and above, its `Flag`
/// (`inactive` once resolved).
///
/// Exporters derive ids from the facts at one-second precision, so two records
/// of one kind in the same second (a questionnaire sent twice) would share an
/// id, which a Bundle forbids (R4 rule bdl-7); the later one becomes `<id>-2`,
/// `<id>-3`, …, and a score `Observation` follows its response's new id.
pub fn patient_resources(
    record: &PatientRecord<'_>,
    exported_at: Timestamp,
    free_text: FreeText,
) -> Result<Vec<Resource>, Error> {
    let subject = PatientReference::identified(record.person)?;
    let mut ids = UniqueIds::default();
    let mut resources: Vec<Resource> = Vec::new();
    if let Some(details) = record.details {
        resources.push(super::patient(details)?.into());
    }
    let mut questionnaires_written: Vec<&str> = Vec::new();
    for completed in record.completed {
        let instrument = completed.answers.instrument();
        if !questionnaires_written.contains(&instrument.id.as_str()) {
            questionnaires_written.push(instrument.id.as_str());
            resources.push(questionnaire(instrument, exported_at)?.into());
        }
        let mut response =
            questionnaire_response(&completed.answers, &subject, completed.authored)?;
        let response_id = ids.claim(
            "QuestionnaireResponse",
            response.id.as_deref().unwrap_or(""),
        );
        response.id = Some(response_id.clone());
        // Built from the (possibly renamed) response id, so `derivedFrom` and the
        // observation's own id follow it.
        let observation =
            score_observation(&completed.score, &subject, completed.authored, &response_id)?;
        resources.push(response.into());
        resources.push(ids.unique(observation.into()));
    }
    for consent in consents(record.consent, &subject)? {
        resources.push(ids.unique(consent.into()));
    }
    for entry in record.mood_entries {
        resources.push(ids.unique(mood_observation(entry, &subject, free_text)?.into()));
    }
    for assessed in record.assessed {
        let alert = safety_alert(
            &assessed.assessment,
            &subject,
            assessed.assessed_at,
            assessed.resolved_at,
            free_text,
        )?;
        resources.push(ids.unique(alert.risk_assessment.into()));
        if let Some(flag) = alert.flag {
            resources.push(ids.unique(flag.into()));
        }
    }
    Ok(resources)
}

/// The `Type/id` pairs already in the record.
#[derive(Debug, Default)]
struct UniqueIds {
    seen: HashSet<(&'static str, String)>,
}

impl UniqueIds {
    /// A free id for a resource of `resource_type` whose exporter's id is `base`.
    fn claim(&mut self, resource_type: &'static str, base: &str) -> String {
        let mut candidate = base.to_owned();
        let mut counter = 1u32;
        while !self.seen.insert((resource_type, candidate.clone())) {
            counter += 1;
            candidate = format!("{base}-{counter}");
        }
        candidate
    }

    /// `resource`, renamed if its id is taken (one without an id is left for the
    /// Bundle to refuse).
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
