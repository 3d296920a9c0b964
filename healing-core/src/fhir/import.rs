//! Import: score a FHIR R4 `QuestionnaireResponse` that another system sends,
//! and answer with the coded total-score `Observation`.

use fhir_sdk::r4b::resources::Observation;
use serde_json::{Map, Value};

use super::Error;
use super::codes::{
    CANONICAL_BASE, DIFFICULTY_ANSWERS, LOINC, PHQ9_DIFFICULTY_ITEM, instrument_codes,
    instrument_codes_by_panel,
};
use super::model::{derived_id, is_fhir_id};
use super::patient::PatientReference;
use super::questionnaire::{ANSWER_VALUE_SYSTEM, link_id, score_observation};
use crate::scoring::{self, Instrument, Score, ValidatedAnswers};
use crate::timestamp::Timestamp;

/// A scored response: what the registry made of it, and the `Observation` to
/// send back.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedResponse {
    /// The answers, checked against the instrument.
    pub answers: ValidatedAnswers,
    /// The score.
    pub score: Score,
    /// The total-score `Observation`, `derivedFrom` the response.
    pub observation: Observation,
}

/// LOINC's canonical for its own Questionnaires (`http://loinc.org/q/44249-1`).
const LOINC_QUESTIONNAIRE_BASE: &str = "http://loinc.org/q/";

/// Scores the FHIR R4 `QuestionnaireResponse` in `json` and returns its
/// total-score `Observation`.
///
/// The instrument is found from `questionnaire`: our canonical
/// (`https://healing.example/fhir/Questionnaire/phq9|1`, any registered
/// instrument; a version other than the registry's is refused, since items may
/// differ), LOINC's (`http://loinc.org/q/44249-1`) or a bare LOINC panel code
/// (`44249-1`). Items are matched by `linkId`: ours (`44250-9`, `item-3`), or
/// an LHC-Forms path whose last segment is the item's LOINC code
/// (`/44249-1/44250-9`); groups are searched one level deep. Answers may be a
/// `valueCoding` (LOINC answer code, or our answer-value code) or a
/// `valueInteger` (the option's value). A LOINC total-score item
/// (`44261-6`...) and the PHQ-9 difficulty question (69722-7, whose answer must
/// still be one of its four LOINC answers) are read past: they do not count
/// toward the total. `status` must be `completed` or `amended`; `subject` must
/// be a `Patient/<id>` reference; `authored` a date-time with time zone.
///
/// Every problem is a typed error naming where in the JSON it is
/// (`item[3].answer[0]`).
pub fn score_questionnaire_response(json: &str) -> Result<ImportedResponse, Error> {
    let root: Value = serde_json::from_str(json).map_err(|error| Error::ImportJson {
        message: error.to_string(),
    })?;
    let root = root
        .as_object()
        .ok_or_else(|| wrong_type("(root)", "an object"))?;
    match root.get("resourceType").and_then(Value::as_str) {
        Some("QuestionnaireResponse") => {}
        other => {
            return Err(Error::ImportWrongResource {
                resource_type: other.unwrap_or("").to_owned(),
            });
        }
    }
    let status = string_at(root, "status", "status")?;
    if status != "completed" && status != "amended" {
        return Err(Error::ImportNotCompleted {
            status: status.to_owned(),
        });
    }
    let canonical = string_at(root, "questionnaire", "questionnaire")?;
    let instrument = instrument_for(canonical)?;

    let subject_text = root
        .get("subject")
        .and_then(Value::as_object)
        .ok_or_else(|| missing("subject"))
        .and_then(|subject| string_at(subject, "reference", "subject.reference"))?;
    let subject = subject_text
        .strip_prefix("Patient/")
        .filter(|id| is_fhir_id(id))
        .map(|id| PatientReference::from_patient_id(id.to_owned()))
        .ok_or_else(|| Error::ImportInvalid {
            path: "subject.reference".to_owned(),
            problem: format!("'{subject_text}' is not a Patient/<id> reference"),
        })?;
    let authored_text = string_at(root, "authored", "authored")?;
    let authored = Timestamp::parse_rfc3339(authored_text).map_err(|_| Error::ImportInvalid {
        path: "authored".to_owned(),
        problem: format!("'{authored_text}' is not a date-time with a time zone"),
    })?;

    let mut answers: Vec<Option<u8>> = vec![None; instrument.items.len()];
    if let Some(items) = root.get("item") {
        read_items(instrument, items, "item", &mut answers, 0)?;
    }

    let validated = ValidatedAnswers::new(instrument, &answers)
        .map_err(|source| Error::ImportScoring { source })?;
    let score = scoring::score(&validated);
    let response_id = match root.get("id").and_then(Value::as_str) {
        Some(id) if is_fhir_id(id) => id.to_owned(),
        _ => derived_id(&[
            "QuestionnaireResponse",
            subject.patient_id(),
            instrument.id.as_str(),
            &authored.to_rfc3339(),
        ]),
    };
    let observation = score_observation(&score, &subject, authored, &response_id)?;
    Ok(ImportedResponse {
        answers: validated,
        score,
        observation,
    })
}

/// The registered instrument a `questionnaire` canonical names.
fn instrument_for(canonical: &str) -> Result<&'static Instrument, Error> {
    let unknown = || Error::ImportUnknownQuestionnaire {
        questionnaire: canonical.to_owned(),
    };
    let (url, version) = match canonical.split_once('|') {
        Some((url, version)) => (url, Some(version)),
        None => (canonical, None),
    };
    let our_base = format!("{CANONICAL_BASE}/Questionnaire/");
    if let Some(instrument_id) = url.strip_prefix(&our_base) {
        let instrument = scoring::instrument(instrument_id).ok_or_else(unknown)?;
        if let Some(version) = version
            && version != instrument.version.to_string()
        {
            return Err(Error::ImportQuestionnaireVersion {
                questionnaire: canonical.to_owned(),
                supported: instrument.version,
            });
        }
        return Ok(instrument);
    }
    let panel = url.strip_prefix(LOINC_QUESTIONNAIRE_BASE).unwrap_or(url);
    instrument_codes_by_panel(panel)
        .and_then(|codes| scoring::instrument(codes.instrument_id))
        .ok_or_else(unknown)
}

/// Reads the answers in the `item` array at `path` into `answers`.
fn read_items(
    instrument: &'static Instrument,
    items: &Value,
    path: &str,
    answers: &mut [Option<u8>],
    depth: u8,
) -> Result<(), Error> {
    let items = items
        .as_array()
        .ok_or_else(|| wrong_type(path, "an array"))?;
    for (index, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{index}]");
        let item = item
            .as_object()
            .ok_or_else(|| wrong_type(&item_path, "an object"))?;
        let link = string_at(item, "linkId", &format!("{item_path}.linkId"))?;
        let last_segment = link.rsplit('/').next().unwrap_or(link);
        let position = instrument
            .items
            .iter()
            .position(|candidate| link_id(instrument, candidate) == last_segment);
        let Some(position) = position else {
            if let Some(children) = item.get("item")
                && depth == 0
                && item.get("answer").is_none()
            {
                // A group (LHC-Forms nest the panel's questions under one).
                read_items(
                    instrument,
                    children,
                    &format!("{item_path}.item"),
                    answers,
                    1,
                )?;
                continue;
            }
            if is_ignored_item(instrument, last_segment) {
                check_difficulty_answer(item, &item_path, last_segment)?;
                continue;
            }
            return Err(Error::ImportUnknownItem {
                path: format!("{item_path}.linkId"),
                link_id: link.to_owned(),
            });
        };
        // `position` came from `instrument.items`, and `answers` has one slot per item.
        let Some(slot) = answers.get_mut(position) else {
            continue;
        };
        if slot.is_some() {
            return Err(Error::ImportInvalid {
                path: format!("{item_path}.linkId"),
                problem: format!("item '{link}' is answered twice"),
            });
        }
        let answer_path = format!("{item_path}.answer");
        let Some(answer_list) = item.get("answer") else {
            // Left blank: the registry decides whether that is allowed.
            continue;
        };
        let answer_list = answer_list
            .as_array()
            .ok_or_else(|| wrong_type(&answer_path, "an array"))?;
        match answer_list.as_slice() {
            [] => {}
            [answer] => {
                let value_path = format!("{answer_path}[0]");
                *slot = Some(answer_value(instrument, answer, &value_path)?);
            }
            _ => {
                return Err(Error::ImportInvalid {
                    path: answer_path,
                    problem: format!("{} answers given, these items take one", answer_list.len()),
                });
            }
        }
    }
    Ok(())
}

/// Items a LOINC-coded response may carry that are not scored: the total
/// score itself, and the PHQ-9 difficulty question.
fn is_ignored_item(instrument: &Instrument, link: &str) -> bool {
    let Some(codes) = instrument_codes(instrument.id.as_str()) else {
        return false;
    };
    codes.total.iter().any(|code| code.code == link)
        || (codes.instrument_id == "phq9" && link == PHQ9_DIFFICULTY_ITEM.code)
}

/// The difficulty question's answer, if any, must be one of LOINC's four
/// (answer list LL359-1); other ignored items are not checked.
fn check_difficulty_answer(
    item: &Map<String, Value>,
    item_path: &str,
    link: &str,
) -> Result<(), Error> {
    if link != PHQ9_DIFFICULTY_ITEM.code {
        return Ok(());
    }
    let Some(coding) = item
        .get("answer")
        .and_then(|answers| answers.get(0))
        .and_then(|answer| answer.get("valueCoding"))
    else {
        return Ok(());
    };
    let code = coding.get("code").and_then(Value::as_str).unwrap_or("");
    if DIFFICULTY_ANSWERS.iter().any(|answer| answer.code == code) {
        Ok(())
    } else {
        Err(Error::ImportUnknownAnswer {
            path: format!("{item_path}.answer[0].valueCoding"),
            answer: code.to_owned(),
        })
    }
}

/// The option value of one `answer` to an item of `instrument`. Whether the
/// item offers that value is the scoring registry's check.
fn answer_value(instrument: &Instrument, answer: &Value, path: &str) -> Result<u8, Error> {
    let answer = answer
        .as_object()
        .ok_or_else(|| wrong_type(path, "an object"))?;
    if let Some(integer) = answer.get("valueInteger") {
        return integer
            .as_u64()
            .and_then(|value| u8::try_from(value).ok())
            .ok_or_else(|| Error::ImportUnknownAnswer {
                path: format!("{path}.valueInteger"),
                answer: integer.to_string(),
            });
    }
    let coding_path = format!("{path}.valueCoding");
    let coding = answer
        .get("valueCoding")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::ImportInvalid {
            path: path.to_owned(),
            problem: "expected valueCoding or valueInteger".to_owned(),
        })?;
    let system = coding.get("system").and_then(Value::as_str).unwrap_or("");
    let code = coding.get("code").and_then(Value::as_str).unwrap_or("");
    let unknown = || Error::ImportUnknownAnswer {
        path: coding_path.clone(),
        answer: format!("{system}|{code}"),
    };
    if system == ANSWER_VALUE_SYSTEM {
        return code.parse::<u8>().map_err(|_| unknown());
    }
    if system == LOINC
        && let Some(codes) = instrument_codes(instrument.id.as_str())
        && let Some(value) = codes.answers.iter().position(|answer| answer.code == code)
    {
        return u8::try_from(value).map_err(|_| unknown());
    }
    Err(unknown())
}

fn string_at<'a>(object: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a str, Error> {
    match object.get(key) {
        None => Err(missing(path)),
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(wrong_type(path, "a string")),
    }
}

fn missing(path: &str) -> Error {
    Error::ImportMissing {
        path: path.to_owned(),
    }
}

fn wrong_type(path: &str, expected: &'static str) -> Error {
    Error::ImportInvalid {
        path: path.to_owned(),
        problem: format!("expected {expected}"),
    }
}
