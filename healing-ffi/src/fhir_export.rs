//! FHIR R4 export of one patient's record (feature `fhir`): a `Bundle`, or
//! Bulk Data NDJSON with its manifest, optionally with a signed `Provenance`;
//! and checking such a signature.
//!
//! healing-core has no single "this patient's export" function: it has one
//! exporter per resource and [`fhir::bundle`] / [`fhir::BulkExport`] to
//! package them. [`patient_resources`] calls those exporters in a fixed,
//! documented order and nothing more; it decides nothing clinical.

use std::collections::BTreeMap;
use std::ffi::c_char;
use std::io::Write;

use healing_core::consent::{ConsentEvent, Ledger};
use healing_core::fhir::fhir_sdk::r4b::resources::{Provenance, Resource};
use healing_core::fhir::{
    self, AdministrativeSex, AssessedText, BulkExport, BulkManifest, BundleKind,
    CompletedInstrument, DetachedJws, FreeText, NdjsonSinks, NhsNumber, PatientDetails,
    PatientRecord, PersonName, ResourceKind, SigningKey,
};
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::safety::Assessment;
use healing_core::scoring::{self, ValidatedAnswers};
use healing_core::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

use crate::args::{Out, bytes_arg, handle_ref, json_arg, json_text, rejected, text_arg};
use crate::boundary::Failure;
use crate::engine::healing_engine;
use crate::fhir::{fhir_failure, free_text_arg};
use crate::result::healing_result;
use crate::scoring::scoring_failure;

/// Which kind of FHIR `Bundle` `healing_fhir_export_bundle` writes.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum healing_bundle_kind {
    /// `collection`: a document to hand over as it is.
    HEALING_BUNDLE_COLLECTION = 0,
    /// `transaction`: each entry a `PUT Type/id`, to load into a FHIR server
    /// in one all-or-nothing request (loading it twice updates, not duplicates).
    HEALING_BUNDLE_TRANSACTION = 1,
}

/// The core bundle kind for a C number.
fn bundle_kind_arg(number: u32) -> Result<BundleKind, Failure> {
    const COLLECTION: u32 = healing_bundle_kind::HEALING_BUNDLE_COLLECTION as u32;
    const TRANSACTION: u32 = healing_bundle_kind::HEALING_BUNDLE_TRANSACTION as u32;
    match number {
        COLLECTION => Ok(BundleKind::Collection),
        TRANSACTION => Ok(BundleKind::Transaction),
        _ => Err(Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            format!("parameter `bundle_kind` is {number}, not a healing_bundle_kind (0 or 1)"),
        )),
    }
}

/// The name the signed `Provenance` gives the exporting software.
const EXPORTER: &str = concat!("healing ", env!("CARGO_PKG_VERSION"));

/// One completed questionnaire: what `healing_score_answers_json` takes, plus
/// when it was completed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompletedInstrumentJson {
    instrument: String,
    answers: Vec<Option<u8>>,
    authored: Timestamp,
}

/// One risk screen: an assessment as `healing_assess_json` returned it, when
/// the text was screened, and when its alert was resolved (absent or `null`
/// while it is open).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SafetyAssessmentJson {
    assessment: Assessment,
    assessed_at: Timestamp,
    #[serde(default)]
    resolved_at: Option<Timestamp>,
}

/// A calendar date written `YYYY-MM-DD`, as FHIR and the mood diary write it.
const CALENDAR_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Deserialises an optional `YYYY-MM-DD` date.
fn calendar_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<time::Date>, D::Error> {
    let text: Option<String> = Option::deserialize(deserializer)?;
    text.map(|text| {
        time::Date::parse(&text, CALENDAR_DATE).map_err(|error| {
            serde::de::Error::custom(format!(
                "birth_date '{text}' is not a YYYY-MM-DD date: {error}"
            ))
        })
    })
    .transpose()
}

/// [`PatientDetails`] field for field, except that `birth_date` is
/// `YYYY-MM-DD` text (core's serde form of a date is a `[year, ordinal]` pair,
/// which no C caller should have to write).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatientJson {
    person: PersonId,
    #[serde(default)]
    nhs_number: Option<NhsNumber>,
    #[serde(default)]
    name: Option<PersonName>,
    #[serde(default, deserialize_with = "calendar_date")]
    birth_date: Option<time::Date>,
    #[serde(default)]
    gender: Option<AdministrativeSex>,
}

impl From<PatientJson> for PatientDetails {
    fn from(patient: PatientJson) -> Self {
        PatientDetails {
            person: patient.person,
            nhs_number: patient.nhs_number,
            name: patient.name,
            birth_date: patient.birth_date,
            gender: patient.gender,
        }
    }
}

/// The C caller's description of one patient's record to export. Each field
/// is a core type (or the arguments of one core call), so the JSON maps 1:1
/// onto healing-core.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatientExportJson {
    /// Id of the export: the `Bundle.id` and the `Provenance.id`.
    export_id: String,
    /// When the export was made: `Bundle.timestamp`, `Provenance.recorded`,
    /// Bulk Data `transactionTime`, `Questionnaire.date`.
    exported_at: Timestamp,
    #[serde(deserialize_with = "patient_details")]
    patient: PatientDetails,
    #[serde(default)]
    instruments: Vec<CompletedInstrumentJson>,
    #[serde(default)]
    mood_entries: Vec<MoodEntry>,
    #[serde(default)]
    consent_events: Vec<ConsentEvent>,
    #[serde(default)]
    safety_assessments: Vec<SafetyAssessmentJson>,
}

/// Deserialises [`PatientDetails`] through [`PatientJson`].
fn patient_details<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<PatientDetails, D::Error> {
    PatientJson::deserialize(deserializer).map(PatientDetails::from)
}

/// Whether `text` is a FHIR id (1 to 64 of `A-Z a-z 0-9 - .`, FHIR R4 §2.24.0.1
/// "id"): `export_id` becomes two resource ids.
fn is_fhir_id(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.')
}

/// Reads and checks the export description.
fn export_arg(text: &str) -> Result<PatientExportJson, Failure> {
    let export: PatientExportJson = json_arg(text, "export_json")?;
    if !is_fhir_id(&export.export_id) {
        return Err(Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            format!(
                "parameter `export_json`: export_id '{}' is not a fhir id (1 to 64 of a-z, A-Z, \
                 0-9, '-', '.')",
                export.export_id.chars().take(64).collect::<String>()
            ),
        ));
    }
    Ok(export)
}

/// The optional signing key: both lengths 0 means "do not sign"; anything
/// else must be a valid HS256 key.
///
/// # Safety
/// As for [`text_arg`] for `key_id` and [`bytes_arg`] for `secret`.
unsafe fn optional_key_arg(
    key_id: *const c_char,
    key_id_len: usize,
    secret: *const c_char,
    secret_len: usize,
) -> Result<Option<SigningKey>, Failure> {
    // SAFETY: our caller's contract is `text_arg`'s.
    let key_id = unsafe { text_arg(key_id, key_id_len, "key_id") }?;
    // SAFETY: our caller's contract is `bytes_arg`'s.
    let secret = unsafe { bytes_arg(secret, secret_len, "secret") }?;
    if key_id.is_empty() && secret.is_empty() {
        return Ok(None);
    }
    SigningKey::hs256(key_id, secret)
        .map(Some)
        .map_err(|error| rejected(healing_result::HEALING_ERR_INVALID_ARGUMENT, error))
}

/// A required signing key.
///
/// # Safety
/// As for [`optional_key_arg`].
unsafe fn key_arg(
    key_id: *const c_char,
    key_id_len: usize,
    secret: *const c_char,
    secret_len: usize,
) -> Result<SigningKey, Failure> {
    // SAFETY: our caller's contract is `optional_key_arg`'s.
    let key = unsafe { optional_key_arg(key_id, key_id_len, secret, secret_len) }?;
    key.ok_or_else(|| {
        Failure::new(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            "parameters `key_id` and `secret` are empty: a signature cannot be checked without \
             a key",
        )
    })
}

/// The patient's resources from core's [`fhir::patient_resources`] (see there for
/// the order and the distinct ids); when `key` is given, a signed `Provenance`
/// over all of them comes last.
fn patient_resources(
    export: &PatientExportJson,
    free_text: FreeText,
    key: Option<&SigningKey>,
) -> Result<Vec<Resource>, Failure> {
    let details = &export.patient;
    let completed = export
        .instruments
        .iter()
        .map(|completed| {
            let instrument = scoring::instrument(&completed.instrument).ok_or_else(|| {
                scoring_failure(scoring::Error::UnknownInstrument {
                    id: completed.instrument.chars().take(64).collect(),
                })
            })?;
            let answers =
                ValidatedAnswers::new(instrument, &completed.answers).map_err(scoring_failure)?;
            let score = scoring::score(&answers);
            Ok(CompletedInstrument {
                answers,
                score,
                authored: completed.authored,
            })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let consent = Ledger::replay(
        details.person.clone(),
        export.consent_events.iter().cloned(),
    )
    .map_err(|error| rejected(healing_result::HEALING_ERR_CONSENT_REJECTED, error))?;
    let assessed: Vec<AssessedText> = export
        .safety_assessments
        .iter()
        .map(|screened| AssessedText {
            assessment: screened.assessment.clone(),
            assessed_at: screened.assessed_at,
            resolved_at: screened.resolved_at,
        })
        .collect();
    let record = PatientRecord {
        person: &details.person,
        details: Some(details),
        completed: &completed,
        consent: &consent,
        mood_entries: &export.mood_entries,
        assessed: &assessed,
    };
    let mut resources =
        fhir::patient_resources(&record, export.exported_at, free_text).map_err(fhir_failure)?;
    if let Some(key) = key {
        let provenance = fhir::signed_provenance(
            &export.export_id,
            &resources,
            export.exported_at,
            EXPORTER,
            key,
        )
        .map_err(fhir_failure)?;
        resources.push(provenance.into());
    }
    Ok(resources)
}

/// Exports one patient's record as a FHIR R4 `Bundle`, signed when a key is
/// given.
///
/// `export_json` (UTF-8) describes the record; every list may be omitted
/// (empty) and unknown fields are refused:
/// `{"export_id":"export-0042-1","exported_at":"2026-11-27T09:00:00Z",
/// "patient":{"person":"patient-0042","nhs_number":"943 476 5919",
/// "name":{"given":["Ada"],"family":"Lovelace"},"birth_date":"1990-04-12",
/// "gender":"female"},
/// "instruments":[{"instrument":"phq9","answers":[2,2,1,2,1,1,2,1,1],
/// "authored":"2026-11-20T10:15:00Z"}],
/// "mood_entries":[{"day":"2026-11-19","recorded_at":"2026-11-19T21:30:00Z","mood":6}],
/// "consent_events":[...],
/// "safety_assessments":[{"assessment":{...},"assessed_at":"2026-11-20T22:05:00Z",
/// "resolved_at":"2026-11-21T09:30:00Z"}]}`.
/// `export_id` is a FHIR id (1 to 64 of `a-z A-Z 0-9 - .`), the `Bundle.id`
/// and the `Provenance.id`; `patient.person` becomes `Patient/<id>` and must
/// be a FHIR id too; `nhs_number`, `name`, `birth_date` and `gender` may be
/// `null`. `answers` are as for `healing_score_answers_json`; mood entries as
/// in healing's mood diary; consent events as for `healing_ledger_append`, all
/// the patient's own and in order; an `assessment` is exactly as
/// `healing_assess_json` returned it. `resolved_at` (may be omitted or
/// `null`) is when a clinician resolved the alert the assessment raised: its
/// `Flag` is then `inactive` with `period.end` at that time (FHIR R4 Flag,
/// <http://hl7.org/fhir/R4/flag.html>); without it the `Flag` is `active`.
/// A `resolved_at` before `assessed_at` is `HEALING_ERR_INVALID_ARGUMENT`.
///
/// The Bundle's entries, in order: `Patient`; each instrument's
/// `Questionnaire` once, at its first use; each completed instrument's
/// `QuestionnaireResponse` and total-score `Observation`; one `Consent` per
/// period a purpose was allowed; one `Observation` per mood entry; each
/// assessment's `RiskAssessment` and, at level medium and above, its `Flag`;
/// last, when signed, the `Provenance`.
///
/// `bundle_kind` is a `healing_bundle_kind`. `free_text` is a
/// `healing_free_text`: whether mood notes and the quotes in safety findings
/// are copied (care) or left out (research).
///
/// Signing: pass the key id (`key_id`, UTF-8, 1 to 128 bytes) and the shared
/// secret (`secret`, at least 32 bytes) to add a `Provenance` whose HS256
/// JWS covers every other entry (check it with
/// `healing_fhir_verify_provenance`). To export unsigned, pass both with
/// length 0 (the pointers must still not be NULL, e.g. `""`). healing keeps
/// no copy of the secret.
///
/// On success `*out_bundle_json` is a new string you free with
/// `healing_string_free`.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (wrong shape,
/// an invalid NHS number, id, time or mood entry, a `resolved_at` before its
/// `assessed_at`, an unknown `bundle_kind` or `free_text`, a key id or secret
/// that is not acceptable),
/// `HEALING_ERR_UNKNOWN_INSTRUMENT`, `HEALING_ERR_INVALID_ANSWERS`,
/// `HEALING_ERR_CONSENT_REJECTED` (the consent events break the ledger's
/// rules; the message names the event), `HEALING_ERR_INVALID_FHIR`.
///
/// # Safety
/// `engine` is a live engine; `export_json`, `key_id` and `secret` point to
/// their lengths in readable bytes; `out_bundle_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_fhir_export_bundle(
    engine: *const healing_engine,
    export_json: *const c_char,
    export_json_len: usize,
    bundle_kind: u32,
    free_text: u32,
    key_id: *const c_char,
    key_id_len: usize,
    secret: *const c_char,
    secret_len: usize,
    out_bundle_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_bundle_json, "out_bundle_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `export_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(export_json, export_json_len, "export_json") }?;
        // SAFETY: the caller passes `key_id_len` and `secret_len` readable bytes (or NULL, refused).
        let key = unsafe { optional_key_arg(key_id, key_id_len, secret, secret_len) }?;
        let kind = bundle_kind_arg(bundle_kind)?;
        let free_text = free_text_arg(free_text)?;
        let export = export_arg(text)?;
        let resources = patient_resources(&export, free_text, key.as_ref())?;
        let bundle = fhir::bundle(kind, &export.export_id, export.exported_at, resources)
            .map_err(fhir_failure)?;
        out.set_string(&json_text(&bundle, "the FHIR Bundle")?);
        Ok(())
    })
}

/// The NDJSON streams of a bulk export, kept in memory: a C caller gets
/// strings, not writers.
#[derive(Default)]
struct InMemorySinks {
    files: BTreeMap<ResourceKind, Vec<u8>>,
}

impl NdjsonSinks for InMemorySinks {
    fn sink(&mut self, kind: ResourceKind) -> std::io::Result<&mut dyn Write> {
        Ok(self.files.entry(kind).or_default())
    }
}

/// What `healing_fhir_export_ndjson` returns.
#[derive(Serialize)]
struct BulkJson {
    manifest: BulkManifest,
    files: BTreeMap<&'static str, String>,
}

/// Exports one patient's record as FHIR Bulk Data output: one NDJSON text per
/// resource type and the manifest that lists them.
///
/// `export_json`, `free_text`, `key_id` and `secret` are as for
/// `healing_fhir_export_bundle`, and the resources are the same, in the same
/// order within each type (the `Provenance`, when signed, is in
/// `Provenance.ndjson`). `request_url` (UTF-8) is the Bulk Data kick-off
/// request this export answers (the manifest's `request`);
/// `output_base_url` (UTF-8) is where you will publish the files: each
/// manifest entry's `url` is `<output_base_url>/<Type>.ndjson`.
///
/// On success `*out_bulk_json` is a new string you free with
/// `healing_string_free`:
/// `{"manifest":{"transactionTime":"2026-11-27T09:00:00Z","request":"...",
/// "requiresAccessToken":true,"output":[{"type":"Patient","url":
/// ".../Patient.ndjson","count":1},...],"error":[]},
/// "files":{"Consent.ndjson":"{...}\n{...}\n","Patient.ndjson":"{...}\n",...}}`.
/// Each file is the text to store under that name: one resource per line,
/// each line ending in `\n`. Only non-empty files are listed.
///
/// The C API returns the files as strings because one patient's export is
/// small and a C caller has no Rust writer to give; healing-core's
/// `BulkExport` streams many patients to caller-supplied writers in constant
/// memory, for Rust callers.
///
/// Errors: as for `healing_fhir_export_bundle`.
///
/// # Safety
/// `engine` is a live engine; `export_json`, `request_url`,
/// `output_base_url`, `key_id` and `secret` point to their lengths in
/// readable bytes; `out_bulk_json` is a writable `char *`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_fhir_export_ndjson(
    engine: *const healing_engine,
    export_json: *const c_char,
    export_json_len: usize,
    request_url: *const c_char,
    request_url_len: usize,
    output_base_url: *const c_char,
    output_base_url_len: usize,
    free_text: u32,
    key_id: *const c_char,
    key_id_len: usize,
    secret: *const c_char,
    secret_len: usize,
    out_bulk_json: *mut *mut c_char,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `char *` (or NULL, refused).
        let out = unsafe { Out::new(out_bulk_json, "out_bulk_json") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `export_json_len` readable bytes (or NULL, refused).
        let text = unsafe { text_arg(export_json, export_json_len, "export_json") }?;
        // SAFETY: the caller passes `request_url_len` readable bytes (or NULL, refused).
        let request = unsafe { text_arg(request_url, request_url_len, "request_url") }?;
        // SAFETY: the caller passes `output_base_url_len` readable bytes (or NULL, refused).
        let base = unsafe { text_arg(output_base_url, output_base_url_len, "output_base_url") }?;
        // SAFETY: the caller passes `key_id_len` and `secret_len` readable bytes (or NULL, refused).
        let key = unsafe { optional_key_arg(key_id, key_id_len, secret, secret_len) }?;
        let free_text = free_text_arg(free_text)?;
        let export = export_arg(text)?;
        let resources = patient_resources(&export, free_text, key.as_ref())?;
        let mut bulk = BulkExport::new(InMemorySinks::default());
        for resource in &resources {
            bulk.write(resource).map_err(fhir_failure)?;
        }
        let (sinks, manifest) = bulk
            .finish(export.exported_at, request, base)
            .map_err(fhir_failure)?;
        let mut files = BTreeMap::new();
        for (kind, bytes) in sinks.files {
            // serde_json writes UTF-8, so this conversion cannot fail; the
            // lossy form keeps the binding panic-free regardless.
            files.insert(
                kind.file_name(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        }
        out.set_string(&json_text(
            &BulkJson { manifest, files },
            "the bulk export",
        )?);
        Ok(())
    })
}

/// A FHIR resource (or array of them) given by the caller: malformed JSON is
/// `HEALING_ERR_INVALID_JSON`, JSON that is not the resource is
/// `HEALING_ERR_INVALID_FHIR`.
fn fhir_json_arg<T: serde::de::DeserializeOwned>(
    text: &str,
    parameter: &str,
) -> Result<T, Failure> {
    json_arg(text, parameter).map_err(|failure| match failure.code {
        healing_result::HEALING_ERR_INVALID_ARGUMENT => Failure {
            code: healing_result::HEALING_ERR_INVALID_FHIR,
            ..failure
        },
        _ => failure,
    })
}

/// A signature check's outcome for C: a mismatch (tampering) is `false`,
/// not an error; a signature that cannot be checked is an error.
fn verification(result: Result<(), fhir::Error>) -> Result<bool, Failure> {
    match result {
        Ok(()) => Ok(true),
        Err(fhir::Error::SignatureMismatch) => Ok(false),
        Err(error @ fhir::Error::SignatureKeyId { .. }) => Err(rejected(
            healing_result::HEALING_ERR_INVALID_ARGUMENT,
            error,
        )),
        Err(error) => Err(fhir_failure(error)),
    }
}

/// Checks the signature of a `Provenance` (as `healing_fhir_export_bundle`
/// writes) against the resources it signs.
///
/// `provenance_json` (UTF-8) is the `Provenance` resource. `targets_json`
/// (UTF-8) is a JSON array of the signed resources, in the order of the
/// Provenance's `target` list (for an export: every Bundle entry's
/// `resource` before the Provenance, in entry order). `key_id` and `secret`
/// are the key it was signed with.
///
/// On success `*out_valid` is `true` when the signature matches, and `false`
/// when any value of any target differs from what was signed, a target was
/// added, removed or moved, or the signature itself was altered: treat the
/// data as tampered with. Formatting does not matter (key order, white
/// space, `1.0` for `1`): the signature covers the RFC 8785 canonical JSON.
///
/// Errors (the signature could not be checked; `*out_valid` is `false`):
/// `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (an empty or
/// unacceptable key, or a signature made with another key id: the message
/// names both), `HEALING_ERR_INVALID_FHIR` (not a Provenance or not an
/// array of resources, no `application/jose` signature, a malformed JWS or
/// an algorithm other than HS256).
///
/// # Safety
/// `engine` is a live engine; `provenance_json`, `targets_json`, `key_id`
/// and `secret` point to their lengths in readable bytes; `out_valid` is a
/// writable `bool`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_fhir_verify_provenance(
    engine: *const healing_engine,
    provenance_json: *const c_char,
    provenance_json_len: usize,
    targets_json: *const c_char,
    targets_json_len: usize,
    key_id: *const c_char,
    key_id_len: usize,
    secret: *const c_char,
    secret_len: usize,
    out_valid: *mut bool,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `bool` (or NULL, refused).
        let out = unsafe { Out::new(out_valid, "out_valid") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `provenance_json_len` readable bytes (or NULL, refused).
        let provenance =
            unsafe { text_arg(provenance_json, provenance_json_len, "provenance_json") }?;
        // SAFETY: the caller passes `targets_json_len` readable bytes (or NULL, refused).
        let targets = unsafe { text_arg(targets_json, targets_json_len, "targets_json") }?;
        // SAFETY: the caller passes `key_id_len` and `secret_len` readable bytes (or NULL, refused).
        let key = unsafe { key_arg(key_id, key_id_len, secret, secret_len) }?;
        let provenance: Provenance = fhir_json_arg(provenance, "provenance_json")?;
        let targets: Vec<Resource> = fhir_json_arg(targets, "targets_json")?;
        out.set(verification(fhir::verify_provenance(
            &provenance,
            &targets,
            &key,
        ))?);
        Ok(())
    })
}

/// Checks a detached JWS (`header..signature`, as in a Provenance's
/// `signature.data` once base64-decoded) over any JSON value.
///
/// `payload_json` (UTF-8) is the signed JSON; `jws` (UTF-8) the compact
/// detached JWS; `key_id` and `secret` the key. `*out_valid` is as for
/// `healing_fhir_verify_provenance`: `false` means the payload or signature
/// was changed; formatting of the payload does not matter.
///
/// Errors: `HEALING_ERR_NULL_PARAMETER`, `HEALING_ERR_INVALID_UTF8`,
/// `HEALING_ERR_INVALID_JSON`, `HEALING_ERR_INVALID_ARGUMENT` (key as for
/// `healing_fhir_verify_provenance`), `HEALING_ERR_INVALID_FHIR` (a JWS not
/// of the form `header..signature`, an algorithm other than HS256, a number
/// in the payload with no RFC 8785 form).
///
/// # Safety
/// `engine` is a live engine; `payload_json`, `jws`, `key_id` and `secret`
/// point to their lengths in readable bytes; `out_valid` is a writable `bool`.
#[unsafe(no_mangle)]
#[must_use]
pub unsafe extern "C" fn healing_fhir_verify_jws(
    engine: *const healing_engine,
    payload_json: *const c_char,
    payload_json_len: usize,
    jws: *const c_char,
    jws_len: usize,
    key_id: *const c_char,
    key_id_len: usize,
    secret: *const c_char,
    secret_len: usize,
    out_valid: *mut bool,
) -> healing_result {
    ffi_boundary!({
        // SAFETY: the caller passes a writable `bool` (or NULL, refused).
        let out = unsafe { Out::new(out_valid, "out_valid") }?;
        // SAFETY: the caller passes a live engine (or NULL, refused).
        let _engine = unsafe { handle_ref(engine, "engine") }?;
        // SAFETY: the caller passes `payload_json_len` readable bytes (or NULL, refused).
        let payload = unsafe { text_arg(payload_json, payload_json_len, "payload_json") }?;
        // SAFETY: the caller passes `jws_len` readable bytes (or NULL, refused).
        let jws = unsafe { text_arg(jws, jws_len, "jws") }?;
        // SAFETY: the caller passes `key_id_len` and `secret_len` readable bytes (or NULL, refused).
        let key = unsafe { key_arg(key_id, key_id_len, secret, secret_len) }?;
        let payload: serde_json::Value = json_arg(payload, "payload_json")?;
        let jws = DetachedJws::parse(jws).map_err(fhir_failure)?;
        out.set(verification(fhir::verify_json(&payload, &jws, &key))?);
        Ok(())
    })
}
