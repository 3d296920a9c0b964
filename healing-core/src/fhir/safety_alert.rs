//! Safety screening results as FHIR: a `RiskAssessment` holding the evidence,
//! and a `Flag` raising the alert when a human must look.

use fhir_sdk::r4b::codes::{FlagStatus, ObservationStatus};
use fhir_sdk::r4b::resources::{
    Flag, RiskAssessment, RiskAssessmentOccurrence, RiskAssessmentPrediction,
};
use fhir_sdk::r4b::types::{Annotation, CodeableConcept, Period, Reference};
use serde::{Deserialize, Serialize};

use super::Error;
use super::codes::FLAG_CATEGORY;
use super::model::{codeable_concept, coding, date_time, derived_id, model};
use super::mood_observation::FreeText;
use super::patient::PatientReference;
use crate::safety::{Assessment, Category, RiskLevel};
use crate::timestamp::Timestamp;

/// Our code system for the safety screen: `text-safety-screen` (what was
/// done), the levels `none` ... `critical`, and the categories (`self_harm`).
///
/// The levels say how urgently a human should read a message. They are not a
/// probability and not a stratification of the person (NICE NG225, 2022,
/// section 1.5, as the safety module's documentation explains), so they are not
/// written with the risk-probability code system, whose codes (`low`, `high`,
/// ...) would read as a prediction.
pub const SAFETY_CODE_SYSTEM: &str = "https://healing.example/fhir/CodeSystem/safety-screen";

/// A safety screening result in FHIR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyAlert {
    /// The evidence: level, categories, findings.
    pub risk_assessment: RiskAssessment,
    /// The alert, for medium level and above; `None` below.
    pub flag: Option<Flag>,
}

fn level_display(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::None => "No risk content",
        RiskLevel::Low => "Distress without a risk indicator",
        RiskLevel::Medium => "Needs review by a clinician",
        RiskLevel::High => "Needs prompt review by a clinician",
        RiskLevel::Critical => "Needs immediate human response",
    }
}

fn category_display(category: Category) -> &'static str {
    match category {
        Category::Suicide => "Suicide",
        Category::SelfHarm => "Self-harm",
        Category::HarmToOthers => "Harm to others",
        Category::Safeguarding => "Safeguarding",
        Category::ThirdParty => "Concern about another person",
    }
}

fn level_concept(level: RiskLevel) -> Result<CodeableConcept, Error> {
    model(
        "CodeableConcept",
        CodeableConcept::builder()
            .coding(vec![Some(coding(
                SAFETY_CODE_SYSTEM,
                level.as_str(),
                level_display(level),
            )?)])
            .text(format!(
                "Urgency {}: {}",
                level.as_str(),
                level_display(level)
            ))
            .build(),
    )
}

/// The screening device: the rules engine at its lexicon version.
fn screening_device(rules_version: &str) -> Result<Reference, Error> {
    model(
        "Reference",
        Reference::builder()
            .r#type("Device".to_owned())
            .display(format!("healing-core safety rules {rules_version}"))
            .build(),
    )
}

/// `assessment` of a text `subject` wrote, screened at `assessed_at`, as FHIR.
///
/// The `RiskAssessment` (status `final`) names the method (our
/// `text-safety-screen` and the rules version), one `prediction` per category
/// with the level as `qualitativeRisk` (or one without outcome when there is
/// no category), and one `note` per finding with its rule and reason. The
/// reasons quote the person's words, so `free_text` decides whether they go in;
/// with [`FreeText::Omit`] only the rule names are written.
///
/// A `Flag` (flag-category `safety`, period starting at `assessed_at`) comes
/// with it for level medium and above, the levels at which the safety module
/// asks that a clinician sees the message. `resolved_at` is when a clinician
/// resolved the alert, if they have: without it the Flag is `active` with an
/// open period, with it `inactive` with `period.end` at that time (FHIR R4
/// Flag, <http://hl7.org/fhir/R4/flag.html>).
///
/// A `resolved_at` before `assessed_at` is [`Error::FlagResolvedBeforeRaised`],
/// whatever the level.
pub fn safety_alert(
    assessment: &Assessment,
    subject: &PatientReference,
    assessed_at: Timestamp,
    resolved_at: Option<Timestamp>,
    free_text: FreeText,
) -> Result<SafetyAlert, Error> {
    let (flag_status, flag_period) = flag_state(assessed_at, resolved_at)?;
    let at_text = assessed_at.to_rfc3339();
    let assessment_id = derived_id(&[
        "RiskAssessment",
        subject.patient_id(),
        &at_text,
        &assessment.rules_version,
    ]);
    let mut predictions = Vec::with_capacity(assessment.categories.len().max(1));
    if assessment.categories.is_empty() {
        predictions.push(Some(model(
            "RiskAssessment.prediction",
            RiskAssessmentPrediction::builder()
                .qualitative_risk(level_concept(assessment.level)?)
                .build(),
        )?));
    }
    for category in &assessment.categories {
        predictions.push(Some(model(
            "RiskAssessment.prediction",
            RiskAssessmentPrediction::builder()
                .outcome(codeable_concept(&[(
                    SAFETY_CODE_SYSTEM,
                    category.as_str(),
                    category_display(*category),
                )])?)
                .qualitative_risk(level_concept(assessment.level)?)
                .build(),
        )?));
    }
    let mut notes = Vec::with_capacity(assessment.findings.len());
    for finding in &assessment.findings {
        let text = match free_text {
            FreeText::Include => format!(
                "Rule {} ({}): {}",
                finding.rule,
                finding.level.as_str(),
                finding.reason
            ),
            FreeText::Omit => format!("Rule {} ({})", finding.rule, finding.level.as_str()),
        };
        notes.push(Some(model(
            "Annotation",
            Annotation::builder().text(text).build(),
        )?));
    }
    let mut builder = RiskAssessment::builder()
        .id(assessment_id.clone())
        .status(ObservationStatus::Final)
        .method(codeable_concept(&[(
            SAFETY_CODE_SYSTEM,
            "text-safety-screen",
            "Automated safety screen of free text",
        )])?)
        .code(codeable_concept(&[(
            SAFETY_CODE_SYSTEM,
            "text-safety-screen",
            "Automated safety screen of free text",
        )])?)
        .subject(subject.to_reference()?)
        .occurrence(RiskAssessmentOccurrence::DateTime(date_time(assessed_at)))
        .performer(screening_device(&assessment.rules_version)?)
        .prediction(predictions);
    if !notes.is_empty() {
        builder = builder.note(notes);
    }
    let risk_assessment = model("RiskAssessment", builder.build())?;

    let flag = if assessment.level >= RiskLevel::Medium {
        let categories: Vec<&str> = assessment
            .categories
            .iter()
            .map(|category| category_display(*category))
            .collect();
        let code = model(
            "CodeableConcept",
            CodeableConcept::builder()
                .coding(vec![Some(coding(
                    SAFETY_CODE_SYSTEM,
                    assessment.level.as_str(),
                    level_display(assessment.level),
                )?)])
                .text(format!(
                    "Safety screen: {} ({})",
                    level_display(assessment.level),
                    if categories.is_empty() {
                        "no category".to_owned()
                    } else {
                        categories.join(", ")
                    }
                ))
                .build(),
        )?;
        Some(model(
            "Flag",
            Flag::builder()
                .id(derived_id(&["Flag", &assessment_id]))
                .status(flag_status)
                .category(vec![Some(codeable_concept(&[(
                    FLAG_CATEGORY,
                    "safety",
                    "Safety",
                )])?)])
                .code(code)
                .subject(subject.to_reference()?)
                .period(flag_period)
                .author(screening_device(&assessment.rules_version)?)
                .build(),
        )?)
    } else {
        None
    };
    Ok(SafetyAlert {
        risk_assessment,
        flag,
    })
}

/// The `Flag`'s `status` and `period` (FHIR R4 Flag,
/// <http://hl7.org/fhir/R4/flag.html>). The period starts when the text was
/// assessed. Until the alert is resolved the status is `active` and the period
/// open; once resolved it is `inactive` (R4 `status` is `active | inactive |
/// entered-in-error`: the flag was true, so not `entered-in-error`) and
/// `period.end` is `resolved_at`, "the time when the flag is no longer
/// relevant" in R4's words.
fn flag_state(
    assessed_at: Timestamp,
    resolved_at: Option<Timestamp>,
) -> Result<(FlagStatus, Period), Error> {
    let period = Period::builder().start(date_time(assessed_at));
    let (status, period) = match resolved_at {
        None => (FlagStatus::Active, period.build()),
        Some(resolved_at) if resolved_at < assessed_at => {
            return Err(Error::FlagResolvedBeforeRaised {
                raised_at: assessed_at,
                resolved_at,
            });
        }
        Some(resolved_at) => (
            FlagStatus::Inactive,
            period.end(date_time(resolved_at)).build(),
        ),
    };
    Ok((status, model("Period", period)?))
}
