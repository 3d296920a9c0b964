//! `healing.fhir`: FHIR R4 export, import-and-score and signatures, over
//! `healing_core::fhir`.
//!
//! Resources cross as their FHIR JSON (dicts), built and checked by the core with
//! its fhir-sdk R4B models (whose element names match R4 4.0.1). A `subject` is
//! the person's id; with `pseudonym_key` the resource refers to the keyed
//! pseudonym instead (research exports), otherwise to the id itself.

use healing_core::fhir::fhir_sdk::r4b::resources::{Provenance, Resource};
use healing_core::fhir::{
    self, AdministrativeSex, BundleKind, FreeText, PatientDetails, PatientReference, PseudonymKey,
    SigningKey,
};
use healing_core::scoring::{self, ValidatedAnswers};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::consent::Ledger;
use crate::convert::{date, from_python, person_id, timestamp, to_python};
use crate::errors::Error;
use crate::mood::entry_from;
use crate::safety::Assessment;
use crate::scoring::Score;

/// The FHIR `Questionnaire` of an instrument (items, LOINC codes where LOINC has
/// them, answer options), dated `date` (aware datetime or RFC 3339).
#[pyfunction]
fn questionnaire<'py>(
    py: Python<'py>,
    instrument_id: &str,
    date: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyAny>, Error> {
    let instrument = find(instrument_id)?;
    to_python(py, &fhir::questionnaire(instrument, timestamp(date)?)?)
}

/// Validates and scores `answers` and returns the pair
/// `(QuestionnaireResponse, total-score Observation)` for `subject`, authored at
/// `authored`. Raises ScoringError for invalid answers, FhirError for a subject
/// that cannot be a FHIR id.
#[pyfunction]
#[pyo3(signature = (instrument_id, answers, subject, authored, *, pseudonym_key = None))]
fn completed_instrument<'py>(
    py: Python<'py>,
    instrument_id: &str,
    answers: Vec<Option<u8>>,
    subject: &str,
    authored: &Bound<'py, PyAny>,
    pseudonym_key: Option<&[u8]>,
) -> Result<(Bound<'py, PyAny>, Bound<'py, PyAny>), Error> {
    let validated = ValidatedAnswers::new(find(instrument_id)?, &answers)?;
    let score = scoring::score(&validated);
    let subject = reference(subject, pseudonym_key)?;
    let (response, observation) =
        fhir::completed_instrument(&validated, &score, &subject, timestamp(authored)?)?;
    Ok((to_python(py, &response)?, to_python(py, &observation)?))
}

/// Scores a FHIR R4 `QuestionnaireResponse` (JSON text or a dict), from our own
/// export or from LOINC-coded forms, and returns `(Score, Observation)`. Raises
/// FhirError naming where in the JSON a problem is (`item[3].answer[0]`).
#[pyfunction]
fn import_questionnaire_response<'py>(
    py: Python<'py>,
    resource: &Bound<'py, PyAny>,
) -> Result<(Score, Bound<'py, PyAny>), Error> {
    let json = json_text(resource, "questionnaire response")?;
    let imported = fhir::score_questionnaire_response(&json)?;
    let observation = to_python(py, &imported.observation)?;
    Ok((Score::from_core(imported.score), observation))
}

/// A mood diary entry (a dict as for `healing.mood.summarise`) as an
/// `Observation`; the note goes in only with `include_note=True`.
#[pyfunction]
#[pyo3(signature = (entry, subject, *, pseudonym_key = None, include_note = false))]
fn mood_observation<'py>(
    py: Python<'py>,
    entry: &Bound<'py, PyAny>,
    subject: &str,
    pseudonym_key: Option<&[u8]>,
    include_note: bool,
) -> Result<Bound<'py, PyAny>, Error> {
    let entry = entry_from(entry)?;
    let subject = reference(subject, pseudonym_key)?;
    to_python(
        py,
        &fhir::mood_observation(&entry, &subject, free_text(include_note))?,
    )
}

/// A safety assessment as `{"risk_assessment": RiskAssessment, "flag": Flag | None}`
/// (a Flag for medium and above). The quoted words of findings go in only with
/// `include_text=True`. With `resolved_at` (when a clinician resolved the
/// alert) the Flag is `inactive` with `period.end` at that time, otherwise
/// `active`; a `resolved_at` before `assessed_at` raises FhirError
/// (`kind == "flag_resolved_before_raised"`).
#[pyfunction]
#[pyo3(signature = (assessment, subject, assessed_at, *, resolved_at = None, pseudonym_key = None, include_text = false))]
fn safety_alert<'py>(
    py: Python<'py>,
    assessment: &Assessment,
    subject: &str,
    assessed_at: &Bound<'py, PyAny>,
    resolved_at: Option<&Bound<'py, PyAny>>,
    pseudonym_key: Option<&[u8]>,
    include_text: bool,
) -> Result<Bound<'py, PyAny>, Error> {
    let subject = reference(subject, pseudonym_key)?;
    let alert = fhir::safety_alert(
        assessment.core(),
        &subject,
        timestamp(assessed_at)?,
        resolved_at.map(timestamp).transpose()?,
        free_text(include_text),
    )?;
    let out = pyo3::types::PyDict::new(py);
    out.set_item("risk_assessment", to_python(py, &alert.risk_assessment)?)?;
    out.set_item(
        "flag",
        match &alert.flag {
            Some(flag) => to_python(py, flag)?,
            None => py.None().into_bound(py),
        },
    )?;
    Ok(out.into_any())
}

/// The `Consent` resources of a ledger, one per allowed period of each purpose.
#[pyfunction]
#[pyo3(signature = (ledger, *, pseudonym_key = None))]
fn consents<'py>(
    py: Python<'py>,
    ledger: &Ledger,
    pseudonym_key: Option<&[u8]>,
) -> Result<Bound<'py, PyAny>, Error> {
    let core = ledger.core();
    let subject = reference(core.person().as_str(), pseudonym_key)?;
    to_python(py, &fhir::consents(core, &subject)?)
}

/// A UK Core `Patient` for direct care: the person's id, and the NHS number
/// (checked with Modulus 11), name, birth date and gender when given.
#[pyfunction]
#[pyo3(signature = (person, *, nhs_number = None, given = None, family = None, birth_date = None, gender = None))]
fn patient<'py>(
    py: Python<'py>,
    person: &str,
    nhs_number: Option<&str>,
    given: Option<Vec<String>>,
    family: Option<String>,
    birth_date: Option<&Bound<'py, PyAny>>,
    gender: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>, Error> {
    let details = details(person, nhs_number, given, family, birth_date, gender)?;
    to_python(py, &fhir::patient(&details)?)
}

/// A pseudonymised `Patient` for research: the keyed pseudonym, year of birth
/// only, no name and no NHS number.
#[pyfunction]
#[pyo3(signature = (person, pseudonym_key, *, birth_date = None, gender = None))]
fn research_patient<'py>(
    py: Python<'py>,
    person: &str,
    pseudonym_key: &[u8],
    birth_date: Option<&Bound<'py, PyAny>>,
    gender: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>, Error> {
    let details = details(person, None, None, None, birth_date, gender)?;
    let key = PseudonymKey::new(pseudonym_key)?;
    to_python(py, &fhir::research_patient(&details, &key)?)
}

/// A `Bundle` (`kind` `"collection"` or `"transaction"`) of resource dicts, in order.
#[pyfunction]
#[pyo3(signature = (resources, *, bundle_id, timestamp, kind = "collection"))]
fn bundle<'py>(
    py: Python<'py>,
    resources: &Bound<'py, PyAny>,
    bundle_id: &str,
    timestamp: &Bound<'py, PyAny>,
    kind: &str,
) -> Result<Bound<'py, PyAny>, Error> {
    let kind = match kind {
        "collection" => BundleKind::Collection,
        "transaction" => BundleKind::Transaction,
        other => {
            return Err(Error::InvalidInput {
                what: "kind",
                reason: format!("'{other}' is neither 'collection' nor 'transaction'"),
            });
        }
    };
    let resources: Vec<Resource> = from_python(resources, "resources")?;
    to_python(
        py,
        &fhir::bundle(
            kind,
            bundle_id,
            crate::convert::timestamp(timestamp)?,
            resources,
        )?,
    )
}

/// A detached HS256 JWS over the RFC 8785 canonical JSON of `payload`.
#[pyfunction]
fn sign(payload: &Bound<'_, PyAny>, key_id: &str, secret: &[u8]) -> Result<String, Error> {
    let payload: serde_json::Value = from_python(payload, "payload")?;
    let key = SigningKey::hs256(key_id, secret)?;
    Ok(fhir::sign_json(&payload, &key)?.as_str().to_owned())
}

/// Checks a detached JWS made by `sign`; raises FhirError if the payload, key or
/// signature differ. Key order and white space in `payload` do not matter.
#[pyfunction]
fn verify(
    payload: &Bound<'_, PyAny>,
    signature: &str,
    key_id: &str,
    secret: &[u8],
) -> Result<(), Error> {
    let payload: serde_json::Value = from_python(payload, "payload")?;
    let key = SigningKey::hs256(key_id, secret)?;
    let jws = fhir::DetachedJws::parse(signature)?;
    Ok(fhir::verify_json(&payload, &jws, &key)?)
}

/// A `Provenance` that signs `targets` (resource dicts, in order) as exported by
/// `exporter` at `recorded`.
#[pyfunction]
fn signed_provenance<'py>(
    py: Python<'py>,
    provenance_id: &str,
    targets: &Bound<'py, PyAny>,
    recorded: &Bound<'py, PyAny>,
    exporter: &str,
    key_id: &str,
    secret: &[u8],
) -> Result<Bound<'py, PyAny>, Error> {
    let targets: Vec<Resource> = from_python(targets, "targets")?;
    let key = SigningKey::hs256(key_id, secret)?;
    to_python(
        py,
        &fhir::signed_provenance(
            provenance_id,
            &targets,
            timestamp(recorded)?,
            exporter,
            &key,
        )?,
    )
}

/// Checks a `Provenance` from `signed_provenance` against its `targets`; raises
/// FhirError if any byte of any target's canonical JSON changed.
#[pyfunction]
fn verify_provenance(
    provenance: &Bound<'_, PyAny>,
    targets: &Bound<'_, PyAny>,
    key_id: &str,
    secret: &[u8],
) -> Result<(), Error> {
    let provenance: Provenance = from_python(provenance, "provenance")?;
    let targets: Vec<Resource> = from_python(targets, "targets")?;
    let key = SigningKey::hs256(key_id, secret)?;
    Ok(fhir::verify_provenance(&provenance, &targets, &key)?)
}

/// The registry entry for an instrument id.
fn find(instrument_id: &str) -> Result<&'static scoring::Instrument, Error> {
    scoring::instrument(instrument_id).ok_or_else(|| {
        Error::Scoring(scoring::Error::UnknownInstrument {
            id: instrument_id.chars().take(64).collect(),
        })
    })
}

/// The reference to `subject`: pseudonymised with `key`, else identified.
fn reference(subject: &str, key: Option<&[u8]>) -> Result<PatientReference, Error> {
    let person = person_id(subject)?;
    Ok(match key {
        Some(secret) => PatientReference::pseudonymised(&person, &PseudonymKey::new(secret)?),
        None => PatientReference::identified(&person)?,
    })
}

/// Include or omit free text.
fn free_text(include: bool) -> FreeText {
    if include {
        FreeText::Include
    } else {
        FreeText::Omit
    }
}

/// Patient details from keyword arguments, checked by the core.
fn details(
    person: &str,
    nhs_number: Option<&str>,
    given: Option<Vec<String>>,
    family: Option<String>,
    birth_date: Option<&Bound<'_, PyAny>>,
    gender: Option<&Bound<'_, PyAny>>,
) -> Result<PatientDetails, Error> {
    let name = match (given, family) {
        (None, None) => None,
        (given, Some(family)) => Some(fhir::PersonName {
            given: given.unwrap_or_default(),
            family,
        }),
        (Some(_), None) => {
            return Err(Error::InvalidInput {
                what: "family",
                reason: "a name needs a family name".to_owned(),
            });
        }
    };
    Ok(PatientDetails {
        person: person_id(person)?,
        nhs_number: nhs_number.map(fhir::NhsNumber::parse).transpose()?,
        name,
        birth_date: birth_date
            .map(|value| date(value, "birth_date"))
            .transpose()?,
        gender: gender
            .map(|value| from_python::<AdministrativeSex>(value, "gender"))
            .transpose()?,
    })
}

/// JSON text from a str, or a dict turned into JSON.
fn json_text(resource: &Bound<'_, PyAny>, what: &'static str) -> Result<String, Error> {
    if let Ok(text) = resource.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    let value: serde_json::Value = from_python(resource, what)?;
    Ok(value.to_string())
}

/// Builds the `healing._native.fhir` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(questionnaire, module)?)?;
    module.add_function(wrap_pyfunction!(completed_instrument, module)?)?;
    module.add_function(wrap_pyfunction!(import_questionnaire_response, module)?)?;
    module.add_function(wrap_pyfunction!(mood_observation, module)?)?;
    module.add_function(wrap_pyfunction!(safety_alert, module)?)?;
    module.add_function(wrap_pyfunction!(consents, module)?)?;
    module.add_function(wrap_pyfunction!(patient, module)?)?;
    module.add_function(wrap_pyfunction!(research_patient, module)?)?;
    module.add_function(wrap_pyfunction!(bundle, module)?)?;
    module.add_function(wrap_pyfunction!(sign, module)?)?;
    module.add_function(wrap_pyfunction!(verify, module)?)?;
    module.add_function(wrap_pyfunction!(signed_provenance, module)?)?;
    module.add_function(wrap_pyfunction!(verify_provenance, module)?)?;
    Ok(())
}
