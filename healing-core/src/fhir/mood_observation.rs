//! Mood diary entries as `Observation`s.

use fhir_sdk::r4b::codes::ObservationStatus;
use fhir_sdk::r4b::resources::{
    Observation, ObservationComponent, ObservationComponentValue, ObservationEffective,
    ObservationValue,
};
use fhir_sdk::r4b::types::Annotation;
use fhir_sdk::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::Error;
use super::codes::OBSERVATION_CATEGORY;
use super::model::{codeable_concept, derived_id, instant, model};
use super::patient::PatientReference;
use crate::mood::MoodEntry;

/// Our code system for the mood diary's own scales. They are the app's
/// self-report scales, not a validated instrument, and LOINC has no code for
/// them, so we do not borrow one.
pub const MOOD_CODE_SYSTEM: &str = "https://healing.example/fhir/CodeSystem/mood-diary";

/// Whether the person's own words (mood notes, the quotes in safety findings)
/// go into an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeText {
    /// Copy them (care: the clinician reads them).
    Include,
    /// Leave them out (research: free text can identify a person).
    Omit,
}

crate::wire_name::wire_names!(FreeText {
    Include => "include",
    Omit => "omit",
});

/// `entry` of `subject` as an `Observation`: `valueInteger` the mood rating
/// (1 lowest to 10 best, code `mood`), components for sleep quality and anxiety
/// (0 to 10) when given, `effectiveDateTime` the diary day (a date: the person's
/// local calendar day), `issued` the instant it was recorded, category `survey`.
pub fn mood_observation(
    entry: &MoodEntry,
    subject: &PatientReference,
    note: FreeText,
) -> Result<Observation, Error> {
    let recorded = entry.recorded_at().to_rfc3339();
    let day = entry.day().to_string();
    let mut components = Vec::with_capacity(2);
    if let Some(sleep) = entry.sleep() {
        components.push(Some(component(
            "sleep-quality",
            "Self-rated sleep quality (0 worst to 10 best)",
            sleep,
        )?));
    }
    if let Some(anxiety) = entry.anxiety() {
        components.push(Some(component(
            "anxiety",
            "Self-rated anxiety (0 none to 10 worst)",
            anxiety,
        )?));
    }
    let mut builder = Observation::builder()
        .id(derived_id(&[
            "Observation",
            "mood",
            subject.patient_id(),
            &day,
            &recorded,
        ]))
        .status(ObservationStatus::Final)
        .category(vec![Some(codeable_concept(&[(
            OBSERVATION_CATEGORY,
            "survey",
            "Survey",
        )])?)])
        .code(codeable_concept(&[(
            MOOD_CODE_SYSTEM,
            "mood",
            "Self-rated mood (1 lowest to 10 best)",
        )])?)
        .subject(subject.to_reference()?)
        .effective(ObservationEffective::DateTime(DateTime::Date(Date::Date(
            entry.day(),
        ))))
        .issued(instant(entry.recorded_at()))
        .value(ObservationValue::Integer(i32::from(entry.mood())))
        .component(components);
    if let (FreeText::Include, Some(text)) = (note, entry.note()) {
        builder = builder.note(vec![Some(model(
            "Annotation",
            Annotation::builder().text(text.to_owned()).build(),
        )?)]);
    }
    model("Observation", builder.build())
}

fn component(code: &str, display: &str, value: u8) -> Result<ObservationComponent, Error> {
    model(
        "Observation.component",
        ObservationComponent::builder()
            .code(codeable_concept(&[(MOOD_CODE_SYSTEM, code, display)])?)
            .value(ObservationComponentValue::Integer(i32::from(value)))
            .build(),
    )
}
