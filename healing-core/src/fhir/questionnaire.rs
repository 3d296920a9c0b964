//! Questionnaires: our versioned `Questionnaire` definitions, the
//! `QuestionnaireResponse` of each completed instrument, and the total-score
//! `Observation` derived from it.

use fhir_sdk::r4b::codes::{
    ObservationStatus, PublicationStatus, QuestionnaireItemOperator, QuestionnaireItemType,
    QuestionnaireResponseStatus, ResourceType as SubjectType,
};
use fhir_sdk::r4b::resources::{
    Observation, ObservationEffective, ObservationValue, Questionnaire, QuestionnaireItem,
    QuestionnaireItemAnswerOption, QuestionnaireItemAnswerOptionValue, QuestionnaireItemEnableWhen,
    QuestionnaireItemEnableWhenAnswer, QuestionnaireResponse, QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer, QuestionnaireResponseItemAnswerValue,
};
use fhir_sdk::r4b::types::{Annotation, CodeableConcept, Coding, Quantity, Reference};

use super::Error;
use super::codes::{
    CANONICAL_BASE, Code, InstrumentCodes, OBSERVATION_CATEGORY, UCUM, instrument_codes,
};
use super::model::{codeable_concept, coding, date_time, derived_id, model};
use super::patient::PatientReference;
use crate::scoring::{AnswerOption, Flag, Instrument, Item, Requirement, Score, ValidatedAnswers};
use crate::timestamp::Timestamp;

/// Code system of our answer codes for instruments LOINC does not code: the
/// code is the option's scored value (`"2"`), the display its label.
pub const ANSWER_VALUE_SYSTEM: &str = "https://healing.example/fhir/CodeSystem/answer-value";
/// Code system of our total-score codes for instruments LOINC does not code:
/// `<instrument id>-total` (`core10-total`).
pub const SCORE_CODE_SYSTEM: &str = "https://healing.example/fhir/CodeSystem/instrument-score";
/// Code system of our severity band codes: the scoring module's `BandId` in
/// snake case (`moderately_severe`), display the band's label.
pub const BAND_CODE_SYSTEM: &str = "https://healing.example/fhir/CodeSystem/score-band";

/// The canonical URL of our `Questionnaire` for `instrument`, without version:
/// `https://healing.example/fhir/Questionnaire/<instrument id>`.
pub fn questionnaire_url(instrument: &Instrument) -> String {
    format!("{CANONICAL_BASE}/Questionnaire/{}", instrument.id.as_str())
}

/// The versioned canonical a response points at: `<url>|<instrument version>`.
pub fn questionnaire_canonical(instrument: &Instrument) -> String {
    format!("{}|{}", questionnaire_url(instrument), instrument.version)
}

/// The `Questionnaire.id`: the instrument id with `_` as `-` (FHIR ids allow no
/// underscore) and the version, e.g. `audit-c-v1`.
pub(crate) fn questionnaire_id(instrument: &Instrument) -> String {
    format!(
        "{}-v{}",
        instrument.id.as_str().replace('_', "-"),
        instrument.version
    )
}

/// The `linkId` of item `item` of `instrument`: its LOINC code where LOINC
/// codes the instrument (`44250-9`), else `item-<number>`.
pub(crate) fn link_id(instrument: &Instrument, item: &Item) -> String {
    match loinc_item(instrument, item) {
        Some(code) => code.code.to_owned(),
        None => format!("item-{}", item.number),
    }
}

fn loinc_item(instrument: &Instrument, item: &Item) -> Option<Code> {
    let codes = instrument_codes(instrument.id.as_str())?;
    codes
        .items
        .get(usize::from(item.number).checked_sub(1)?)
        .copied()
}

/// The coding of answer `option` to an item of `instrument`: LOINC's answer
/// code where LOINC codes the instrument and the option value is in its
/// answer list, else [`ANSWER_VALUE_SYSTEM`] with the value as code.
pub(crate) fn answer_coding(
    instrument: &Instrument,
    option: &AnswerOption,
) -> Result<Coding, Error> {
    if let Some(code) = instrument_codes(instrument.id.as_str())
        .and_then(|codes| codes.answers.get(usize::from(option.value)))
    {
        return coding(code.system, code.code, code.display);
    }
    let value = option.value.to_string();
    coding(ANSWER_VALUE_SYSTEM, &value, option.label.unwrap_or(&value))
}

/// The text shown for `item`: its published wording where the licence lets us
/// ship it, else its neutral label.
fn item_text(item: &Item) -> &'static str {
    item.text.unwrap_or(item.label)
}

/// Our `Questionnaire` for `instrument`: canonical URL and version as in
/// [`questionnaire_canonical`], the LOINC panel as `code` where LOINC has one,
/// one `choice` item per instrument item with LOINC question and answer codes
/// where LOINC has them, `required` for required items, and `enableWhen` for
/// items asked only after a given answer. `date` is when the caller publishes it.
pub fn questionnaire(instrument: &Instrument, date: Timestamp) -> Result<Questionnaire, Error> {
    let codes = instrument_codes(instrument.id.as_str());
    let mut items = Vec::with_capacity(instrument.items.len());
    for item in instrument.items {
        items.push(Some(questionnaire_item(instrument, item)?));
    }
    let mut builder = Questionnaire::builder()
        .id(questionnaire_id(instrument))
        .url(questionnaire_url(instrument))
        .version(instrument.version.to_string())
        .name(instrument.id.as_str().to_ascii_uppercase())
        .title(instrument.title.to_owned())
        .status(PublicationStatus::Active)
        .subject_type(vec![Some(SubjectType::Patient)])
        .date(date_time(date))
        .publisher("Healing".to_owned())
        .description(format!(
            "{} Source: {}",
            instrument.title, instrument.source
        ))
        .copyright(instrument.licence.to_owned())
        .item(items);
    if let Some(codes) = codes {
        builder = builder.code(vec![Some(coding(
            codes.panel.system,
            codes.panel.code,
            codes.panel.display,
        )?)]);
    }
    model("Questionnaire", builder.build())
}

fn questionnaire_item(instrument: &Instrument, item: &Item) -> Result<QuestionnaireItem, Error> {
    let mut options = Vec::with_capacity(item.options.len());
    for option in item.options {
        options.push(Some(model(
            "Questionnaire.item.answerOption",
            QuestionnaireItemAnswerOption::builder()
                .value(QuestionnaireItemAnswerOptionValue::Coding(answer_coding(
                    instrument, option,
                )?))
                .build(),
        )?));
    }
    let mut builder = QuestionnaireItem::builder()
        .link_id(link_id(instrument, item))
        .prefix(item.number.to_string())
        .text(item_text(item).to_owned())
        .r#type(QuestionnaireItemType::Choice)
        .required(matches!(item.requirement, Requirement::Required))
        .answer_option(options);
    if let Some(code) = loinc_item(instrument, item) {
        builder = builder.code(vec![Some(coding(code.system, code.code, code.display)?)]);
    }
    if let Requirement::AskedWhen {
        item: earlier_number,
        answer,
    } = item.requirement
    {
        let earlier = instrument
            .items
            .iter()
            .find(|candidate| candidate.number == earlier_number);
        let earlier_option = earlier
            .and_then(|earlier| earlier.options.iter().find(|option| option.value == answer));
        if let (Some(earlier), Some(option)) = (earlier, earlier_option) {
            builder = builder.enable_when(vec![Some(model(
                "Questionnaire.item.enableWhen",
                QuestionnaireItemEnableWhen::builder()
                    .question(link_id(instrument, earlier))
                    .operator(QuestionnaireItemOperator::Equal)
                    .answer(QuestionnaireItemEnableWhenAnswer::Coding(answer_coding(
                        instrument, option,
                    )?))
                    .build(),
            )?)]);
        }
    }
    model("Questionnaire.item", builder.build())
}

/// The id of the response `answers` of `subject` gave at `authored`: derived
/// from those facts, so the same completion always gets the same id.
pub(crate) fn questionnaire_response_id(
    instrument: &Instrument,
    subject: &PatientReference,
    authored: Timestamp,
) -> String {
    derived_id(&[
        "QuestionnaireResponse",
        subject.patient_id(),
        instrument.id.as_str(),
        &authored.to_rfc3339(),
    ])
}

/// The `QuestionnaireResponse` for validated `answers` that `subject` completed
/// at `authored`: status `completed`, `questionnaire` our versioned canonical,
/// one item per answered question (blank items are left out, as FHIR asks)
/// with the answer as a coding (LOINC where LOINC has codes).
pub fn questionnaire_response(
    answers: &ValidatedAnswers,
    subject: &PatientReference,
    authored: Timestamp,
) -> Result<QuestionnaireResponse, Error> {
    let instrument = answers.instrument();
    let mut items = Vec::with_capacity(instrument.items.len());
    for (item, answer) in instrument.items.iter().zip(answers.answers()) {
        let Some(value) = answer else { continue };
        // A validated answer is one of the item's option values.
        let Some(option) = item.options.iter().find(|option| option.value == *value) else {
            continue;
        };
        let answer = model(
            "QuestionnaireResponse.item.answer",
            QuestionnaireResponseItemAnswer::builder()
                .value(QuestionnaireResponseItemAnswerValue::Coding(answer_coding(
                    instrument, option,
                )?))
                .build(),
        )?;
        items.push(Some(model(
            "QuestionnaireResponse.item",
            QuestionnaireResponseItem::builder()
                .link_id(link_id(instrument, item))
                .text(item_text(item).to_owned())
                .answer(vec![Some(answer)])
                .build(),
        )?));
    }
    model(
        "QuestionnaireResponse",
        QuestionnaireResponse::builder()
            .id(questionnaire_response_id(instrument, subject, authored))
            .questionnaire(questionnaire_canonical(instrument))
            .status(QuestionnaireResponseStatus::Completed)
            .subject(subject.to_reference()?)
            .authored(date_time(authored))
            .item(items)
            .build(),
    )
}

/// The total-score `Observation` of `score`, derived from the response with
/// id `response_id`.
///
/// - `code`: LOINC total-score code and SNOMED CT where they exist (PHQ-9
///   44261-6 + 720433000, GAD-7 70274-6 + 445455005, PHQ-2 55758-7), else
///   ours ([`SCORE_CODE_SYSTEM`]).
/// - `category`: `survey` (observation-category).
/// - `valueQuantity`: the total in UCUM `{score}`; for instruments whose result
///   is a decimal (SWEMWBS metric, Mobility Inventory mean) that decimal; for
///   the C-SSRS screener, which has no total, no value and the band as
///   interpretation.
/// - `interpretation`: the severity band ([`BAND_CODE_SYSTEM`], label as text).
/// - `note`: one line per flag (self-harm answers first), so a receiving
///   clinician sees what needs review without reading the items.
/// - `derivedFrom`: `QuestionnaireResponse/<response_id>`.
pub fn score_observation(
    score: &Score,
    subject: &PatientReference,
    effective: Timestamp,
    response_id: &str,
) -> Result<Observation, Error> {
    let instrument =
        crate::scoring::instrument(score.instrument.as_str()).ok_or(Error::UnknownInstrument {
            instrument: score.instrument.as_str().to_owned(),
        })?;
    let code = match instrument_codes(instrument.id.as_str()) {
        Some(InstrumentCodes { total, .. }) => codeable_concept(
            &total
                .iter()
                .map(|code| (code.system, code.code, code.display))
                .collect::<Vec<_>>(),
        )?,
        None => codeable_concept(&[(
            SCORE_CODE_SYSTEM,
            &format!("{}-total", instrument.id.as_str()),
            &format!("{} total score", instrument.title),
        )])?,
    };
    let category = codeable_concept(&[(OBSERVATION_CATEGORY, "survey", "Survey")])?;
    let mut builder = Observation::builder()
        .id(derived_id(&["Observation", "score", response_id]))
        .status(ObservationStatus::Final)
        .category(vec![Some(category)])
        .code(code)
        .subject(subject.to_reference()?)
        .effective(ObservationEffective::DateTime(date_time(effective)))
        .derived_from(vec![Some(model(
            "Reference",
            Reference::builder()
                .reference(format!("QuestionnaireResponse/{response_id}"))
                .build(),
        )?)]);
    let value = match (score.total, score.derived) {
        (_, Some(derived)) => Some(f64::from(derived.hundredths()) / 100.0),
        (Some(total), None) => Some(f64::from(total)),
        (None, None) => None,
    };
    if let Some(value) = value {
        builder = builder.value(ObservationValue::Quantity(model(
            "Quantity",
            Quantity::builder()
                .value(value)
                .unit("{score}".to_owned())
                .system(UCUM.to_owned())
                .code("{score}".to_owned())
                .build(),
        )?));
    }
    if let Some(band) = &score.band {
        let band_code = band.id.as_str();
        let interpretation = model(
            "CodeableConcept",
            CodeableConcept::builder()
                .coding(vec![Some(coding(
                    BAND_CODE_SYSTEM,
                    band_code,
                    &band.label,
                )?)])
                .text(band.label.to_string())
                .build(),
        )?;
        builder = builder.interpretation(vec![Some(interpretation)]);
    }
    let mut notes = Vec::with_capacity(score.flags.len());
    for flag in &score.flags {
        notes.push(Some(model(
            "Annotation",
            Annotation::builder().text(flag_note(flag)).build(),
        )?));
    }
    if !notes.is_empty() {
        builder = builder.note(notes);
    }
    model("Observation", builder.build())
}

/// The sentence a clinician reads for `flag`.
fn flag_note(flag: &Flag) -> String {
    match flag {
        Flag::SelfHarmThoughts { item, answer } => format!(
            "Item {item} answered {answer}: thoughts of self-harm, suicide or death. Review by a clinician is needed whatever the total."
        ),
        Flag::SuicideRisk { level } => format!(
            "C-SSRS screener triage level: {}. Review by a clinician is needed.",
            match level {
                crate::scoring::SuicideRiskLevel::Low => "low",
                crate::scoring::SuicideRiskLevel::Moderate => "moderate",
                crate::scoring::SuicideRiskLevel::High => "high",
            }
        ),
        Flag::ScreenPositive => "Screen positive.".to_owned(),
        Flag::ClinicalRange => "At or above the clinical cut-off.".to_owned(),
        Flag::ProvisionalPtsdDiagnosis => {
            "Answers meet the DSM-5 symptom pattern for provisional PTSD.".to_owned()
        }
    }
}

/// The response and its score `Observation` for one completed instrument.
pub fn completed_instrument(
    answers: &ValidatedAnswers,
    score: &Score,
    subject: &PatientReference,
    authored: Timestamp,
) -> Result<(QuestionnaireResponse, Observation), Error> {
    let response = questionnaire_response(answers, subject, authored)?;
    let response_id = questionnaire_response_id(answers.instrument(), subject, authored);
    let observation = score_observation(score, subject, authored, &response_id)?;
    Ok((response, observation))
}
