//! FHIR export through the C API (feature `fhir`): one patient's Bundle or
//! Bulk Data NDJSON, and checking the signed Provenance of an export.

use std::ffi::c_char;
use std::ptr;

use healing::{
    healing_assess_json, healing_bundle_kind, healing_fhir_export_bundle,
    healing_fhir_export_ndjson, healing_fhir_verify_jws, healing_fhir_verify_provenance,
    healing_free_text, healing_result,
};
use serde_json::Value;

use crate::{outcome, shared_engine, take_string, text};

const KEY_ID: &str = "partner-key-2026";
const SECRET: [u8; 32] = [7; 32];
const COLLECTION: u32 = healing_bundle_kind::HEALING_BUNDLE_COLLECTION as u32;
const TRANSACTION: u32 = healing_bundle_kind::HEALING_BUNDLE_TRANSACTION as u32;
const INCLUDE: u32 = healing_free_text::HEALING_FREE_TEXT_INCLUDE as u32;
const OMIT: u32 = healing_free_text::HEALING_FREE_TEXT_OMIT as u32;

fn assessment_json(note: &str) -> String {
    let (data, len) = text(note);
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: live engine and str; `out` is a writable local.
    let code =
        unsafe { healing_assess_json(shared_engine(), data, len, c"".as_ptr(), 0, &raw mut out) };
    assert_eq!(code, healing_result::HEALING_OK);
    take_string(out)
}

/// A patient with a PHQ-9 and a GAD-7, two PHQ-9s sharing one Questionnaire,
/// a research consent, a mood entry with a note and a critical risk screen.
fn export_json() -> String {
    let assessment = assessment_json("I've saved up my pills and I'm taking them all tonight.");
    format!(
        r#"{{"export_id":"export-0042-1","exported_at":"2026-11-27T09:00:00Z",
          "patient":{{"person":"patient-0042","nhs_number":"943 476 5919",
            "name":{{"given":["Ada"],"family":"Lovelace"}},"birth_date":"1990-04-12",
            "gender":"female"}},
          "instruments":[
            {{"instrument":"phq9","answers":[2,2,1,2,1,1,2,1,1],"authored":"2026-11-06T10:15:00Z"}},
            {{"instrument":"gad7","answers":[1,1,1,1,1,1,1],"authored":"2026-11-06T10:20:00Z"}},
            {{"instrument":"phq9","answers":[1,1,1,1,0,1,1,0,0],"authored":"2026-11-20T10:15:00Z"}}],
          "mood_entries":[{{"day":"2026-11-19","recorded_at":"2026-11-19T21:30:00Z","mood":6,
            "note":"walked by the river"}}],
          "consent_events":[{{"person":"patient-0042","purpose":"research","decision":"grant",
            "at":"2026-11-01T09:00:00Z","wording_version":"research-v2","recorded_by":"subject"}}],
          "safety_assessments":[{{"assessment":{assessment},"assessed_at":"2026-11-20T22:05:00Z"}}]}}"#
    )
}

/// The `assessed_at` member of `export_json`'s one safety assessment.
const ASSESSED_AT: &str = r#""assessed_at":"2026-11-20T22:05:00Z""#;

fn export_bundle(
    json: &str,
    kind: u32,
    free_text: u32,
    key_id: &str,
    secret: &[u8],
) -> (healing_result, Option<String>) {
    let (data, len) = text(json);
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: live engine; str and slice pointers with their lengths; `out` is a writable local.
    let code = unsafe {
        healing_fhir_export_bundle(
            shared_engine(),
            data,
            len,
            kind,
            free_text,
            key_id.as_ptr().cast(),
            key_id.len(),
            secret.as_ptr().cast(),
            secret.len(),
            &raw mut out,
        )
    };
    (code, (!out.is_null()).then(|| take_string(out)))
}

fn signed_bundle() -> Value {
    let (code, json) = export_bundle(&export_json(), COLLECTION, INCLUDE, KEY_ID, &SECRET);
    assert_eq!(outcome(code), "HEALING_OK: ");
    serde_json::from_str(&json.expect("bundle")).expect("bundle is JSON")
}

/// The Provenance (last entry) and the array of the other entries' resources.
fn provenance_and_targets(bundle: &Value) -> (Value, Value) {
    let mut resources: Vec<Value> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["resource"].clone())
        .collect();
    let provenance = resources.pop().expect("a provenance");
    assert_eq!(provenance["resourceType"], "Provenance");
    (provenance, Value::Array(resources))
}

fn verify(provenance: &str, targets: &str, key_id: &str, secret: &[u8]) -> (healing_result, bool) {
    let (provenance, provenance_len) = text(provenance);
    let (targets, targets_len) = text(targets);
    let mut valid = true;
    // SAFETY: live engine; str and slice pointers with their lengths; `valid` is a writable local.
    let code = unsafe {
        healing_fhir_verify_provenance(
            shared_engine(),
            provenance,
            provenance_len,
            targets,
            targets_len,
            key_id.as_ptr().cast(),
            key_id.len(),
            secret.as_ptr().cast(),
            secret.len(),
            &raw mut valid,
        )
    };
    (code, valid)
}

fn verify_values(provenance: &Value, targets: &Value) -> (healing_result, bool) {
    verify(
        &provenance.to_string(),
        &targets.to_string(),
        KEY_ID,
        &SECRET,
    )
}

#[test]
fn signed_collection_has_the_patients_resources_in_order() {
    let bundle = signed_bundle();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    assert_eq!(bundle["id"], "export-0042-1");
    let types: Vec<&str> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["resource"]["resourceType"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        types,
        [
            "Patient",
            "Questionnaire",
            "QuestionnaireResponse",
            "Observation",
            "Questionnaire",
            "QuestionnaireResponse",
            "Observation",
            "QuestionnaireResponse",
            "Observation",
            "Consent",
            "Observation",
            "RiskAssessment",
            "Flag",
            "Provenance",
        ]
    );
    let patient = &bundle["entry"][0]["resource"];
    assert_eq!(patient["id"], "patient-0042");
    assert!(patient.to_string().contains("9434765919"), "{patient}");
    assert!(bundle.to_string().contains("walked by the river"));
}

#[test]
fn transaction_puts_each_resource_and_omit_leaves_notes_out() {
    let (code, json) = export_bundle(&export_json(), TRANSACTION, OMIT, "", &[]);
    assert_eq!(outcome(code), "HEALING_OK: ");
    let bundle: Value = serde_json::from_str(&json.expect("bundle")).expect("JSON");
    assert_eq!(bundle["type"], "transaction");
    let entries = bundle["entry"].as_array().expect("entries");
    assert_eq!(entries.len(), 13, "unsigned: no Provenance");
    assert_eq!(entries[0]["request"]["method"], "PUT");
    assert_eq!(entries[0]["request"]["url"], "Patient/patient-0042");
    assert!(!bundle.to_string().contains("river"));
    assert!(!bundle.to_string().contains("pills"));
}

#[test]
fn export_signature_verifies_and_survives_reformatting() {
    let bundle = signed_bundle();
    let (provenance, targets) = provenance_and_targets(&bundle);
    assert_eq!(
        verify_values(&provenance, &targets),
        (healing_result::HEALING_OK, true)
    );
    // Same content, other key order (each resource's members reversed) and
    // white space.
    let reordered: Vec<String> = targets
        .as_array()
        .expect("array")
        .iter()
        .map(|resource| {
            let members: Vec<String> = resource
                .as_object()
                .expect("object")
                .iter()
                .rev()
                .map(|(name, value)| format!("\n  {} :  {value:#}", Value::from(name.as_str())))
                .collect();
            format!("{{{}\n}}", members.join(" ,"))
        })
        .collect();
    let reordered = format!("[ {} ]", reordered.join(",\n"));
    let reparsed: Value = serde_json::from_str(&reordered).expect("still JSON");
    assert_eq!(reparsed, targets, "the reformatting kept the content");
    assert!(!reordered.contains(&targets[0].to_string()));
    assert_eq!(
        verify(&provenance.to_string(), &reordered, KEY_ID, &SECRET),
        (healing_result::HEALING_OK, true)
    );
}

#[test]
fn tampered_export_is_false_not_an_error() {
    let bundle = signed_bundle();
    let (provenance, mut targets) = provenance_and_targets(&bundle);
    targets[0]["birthDate"] = Value::from("1991-04-12");
    assert_eq!(
        outcome(verify_values(&provenance, &targets).0),
        "HEALING_OK: "
    );
    assert_eq!(
        verify_values(&provenance, &targets),
        (healing_result::HEALING_OK, false)
    );

    let (provenance, mut targets) = provenance_and_targets(&bundle);
    targets.as_array_mut().expect("array").swap(1, 2);
    assert_eq!(
        verify_values(&provenance, &targets),
        (healing_result::HEALING_OK, false)
    );

    let (provenance, targets) = provenance_and_targets(&bundle);
    let other_secret = [8u8; 32];
    assert_eq!(
        verify(
            &provenance.to_string(),
            &targets.to_string(),
            KEY_ID,
            &other_secret
        ),
        (healing_result::HEALING_OK, false)
    );
}

#[test]
fn verification_that_cannot_run_is_an_error() {
    let bundle = signed_bundle();
    let (provenance, targets) = provenance_and_targets(&bundle);
    let (code, valid) = verify(
        &provenance.to_string(),
        &targets.to_string(),
        "other-key",
        &SECRET,
    );
    assert!(!valid);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ARGUMENT: signature key id is 'partner-key-2026', expected 'other-key'"
    );
    let (code, valid) = verify(&provenance.to_string(), &targets.to_string(), "", &[]);
    assert!(!valid);
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_ARGUMENT);
    let (code, _) = verify(
        &provenance.to_string(),
        &targets.to_string(),
        KEY_ID,
        &[1; 8],
    );
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ARGUMENT: secret is 8 bytes long, below the minimum of 32"
    );
    let (code, _) = verify(
        r#"{"resourceType":"Patient"}"#,
        &targets.to_string(),
        KEY_ID,
        &SECRET,
    );
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_FHIR);
    let (code, _) = verify(&provenance.to_string(), "[{", KEY_ID, &SECRET);
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_JSON);
    let (code, valid) = verify(ptr_null_json(), &targets.to_string(), KEY_ID, &SECRET);
    assert_eq!(code, healing_result::HEALING_ERR_INVALID_JSON);
    assert!(!valid);
}

/// Text that is not JSON at all.
fn ptr_null_json() -> &'static str {
    "not json"
}

#[test]
fn detached_jws_from_the_provenance_verifies_against_the_targets() {
    let bundle = signed_bundle();
    let (provenance, targets) = provenance_and_targets(&bundle);
    let data = provenance["signature"][0]["data"].as_str().expect("data");
    let jws = String::from_utf8(base64_decode(data)).expect("JWS is text");
    let check = |payload: &str, jws: &str| {
        let (payload, payload_len) = text(payload);
        let (jws, jws_len) = text(jws);
        let mut valid = false;
        // SAFETY: live engine; strs with their lengths; `valid` is a writable local.
        let code = unsafe {
            healing_fhir_verify_jws(
                shared_engine(),
                payload,
                payload_len,
                jws,
                jws_len,
                KEY_ID.as_ptr().cast(),
                KEY_ID.len(),
                SECRET.as_ptr().cast(),
                SECRET.len(),
                &raw mut valid,
            )
        };
        (code, valid)
    };
    assert_eq!(
        check(&targets.to_string(), &jws),
        (healing_result::HEALING_OK, true)
    );
    assert_eq!(check("[]", &jws), (healing_result::HEALING_OK, false));
    let (code, valid) = check("[]", "not-a-jws");
    assert!(!valid);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_FHIR: signature is malformed: expected BASE64URL(header)..BASE64URL(signature) with an empty payload part"
    );
}

/// Standard base64 (FHIR `base64Binary`), enough for the test.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|byte| *byte != b'=') {
        let value = ALPHABET
            .iter()
            .position(|known| *known == byte)
            .expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

#[test]
fn ndjson_export_has_a_manifest_and_one_file_per_type() {
    let json = export_json();
    let (data, len) = text(&json);
    let (request, request_len) = text("https://ehr.example/fhir/Patient/patient-0042/$export");
    let (base, base_len) = text("https://files.example/export-0042-1/");
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: live engine; strs with their lengths; `out` is a writable local.
    let code = unsafe {
        healing_fhir_export_ndjson(
            shared_engine(),
            data,
            len,
            request,
            request_len,
            base,
            base_len,
            INCLUDE,
            KEY_ID.as_ptr().cast(),
            KEY_ID.len(),
            SECRET.as_ptr().cast(),
            SECRET.len(),
            &raw mut out,
        )
    };
    assert_eq!(outcome(code), "HEALING_OK: ");
    let bulk: Value = serde_json::from_str(&take_string(out)).expect("JSON");
    let manifest = &bulk["manifest"];
    assert_eq!(manifest["transactionTime"], "2026-11-27T09:00:00Z");
    assert_eq!(manifest["requiresAccessToken"], true);
    let listed: Vec<String> = manifest["output"]
        .as_array()
        .expect("output")
        .iter()
        .map(|file| {
            format!(
                "{} {} {}",
                file["type"].as_str().unwrap_or(""),
                file["count"],
                file["url"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            "Patient 1 https://files.example/export-0042-1/Patient.ndjson",
            "Questionnaire 2 https://files.example/export-0042-1/Questionnaire.ndjson",
            "QuestionnaireResponse 3 https://files.example/export-0042-1/QuestionnaireResponse.ndjson",
            "Observation 4 https://files.example/export-0042-1/Observation.ndjson",
            "Consent 1 https://files.example/export-0042-1/Consent.ndjson",
            "RiskAssessment 1 https://files.example/export-0042-1/RiskAssessment.ndjson",
            "Flag 1 https://files.example/export-0042-1/Flag.ndjson",
            "Provenance 1 https://files.example/export-0042-1/Provenance.ndjson",
        ]
    );
    let observations = bulk["files"]["Observation.ndjson"].as_str().expect("file");
    assert_eq!(observations.lines().count(), 4);
    assert!(observations.ends_with('\n'));
    for line in observations.lines() {
        let resource: Value = serde_json::from_str(line).expect("each line is JSON");
        assert_eq!(resource["resourceType"], "Observation");
    }
    assert_eq!(bulk["files"].as_object().expect("files").len(), 8);
}

#[test]
fn malformed_export_json_is_invalid_json_with_position() {
    let (code, json) = export_bundle(r#"{"export_id": "#, COLLECTION, INCLUDE, "", &[]);
    assert!(json.is_none());
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_JSON: parameter `export_json` is not well-formed JSON: EOF while parsing a value at line 1 column 14"
    );
}

#[test]
fn misshapen_export_is_refused_naming_the_problem() {
    let good = export_json();
    let cases = [
        (
            good.replace("943 476 5919", "943 476 5918"),
            "HEALING_ERR_INVALID_ARGUMENT",
            "check digit",
        ),
        (
            good.replace("export-0042-1", "export 1"),
            "HEALING_ERR_INVALID_ARGUMENT",
            "export_id 'export 1' is not a fhir id",
        ),
        (
            good.replace("\"gad7\"", "\"gad8\""),
            "HEALING_ERR_UNKNOWN_INSTRUMENT",
            "gad8",
        ),
        (
            good.replace("[1,1,1,1,1,1,1]", "[1,1,1,1,1,1,9]"),
            "HEALING_ERR_INVALID_ANSWERS",
            "item 7",
        ),
        (
            good.replace("\"grant\"", "\"withdraw\""),
            "HEALING_ERR_CONSENT_REJECTED",
            "",
        ),
        (
            good.replace("\"mood\":6", "\"mood\":11"),
            "HEALING_ERR_INVALID_ARGUMENT",
            "mood",
        ),
        (
            good.replace("\"instruments\"", "\"instrumentz\""),
            "HEALING_ERR_INVALID_ARGUMENT",
            "unknown field `instrumentz`",
        ),
        (
            good.replace(
                ASSESSED_AT,
                &format!("{ASSESSED_AT},\"resolved_at\":\"yesterday\""),
            ),
            "HEALING_ERR_INVALID_ARGUMENT",
            "yesterday",
        ),
        (
            good.replace(
                ASSESSED_AT,
                &format!("{ASSESSED_AT},\"resolved_at\":1795000000"),
            ),
            "HEALING_ERR_INVALID_ARGUMENT",
            "invalid type: integer `1795000000`",
        ),
        (
            good.replace(
                ASSESSED_AT,
                &format!("{ASSESSED_AT},\"resolved_at\":\"2026-11-20T22:04:59Z\""),
            ),
            "HEALING_ERR_INVALID_ARGUMENT",
            "the flag was resolved at 2026-11-20T22:04:59Z, before it was raised at 2026-11-20T22:05:00Z",
        ),
    ];
    for (json, code_name, message_part) in cases {
        let (code, out) = export_bundle(&json, COLLECTION, INCLUDE, "", &[]);
        assert!(out.is_none());
        let seen = outcome(code);
        assert!(
            seen.starts_with(code_name) && seen.contains(message_part),
            "{seen}"
        );
    }
    let (code, _) = export_bundle(&good, 2, INCLUDE, "", &[]);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ARGUMENT: parameter `bundle_kind` is 2, not a healing_bundle_kind (0 or 1)"
    );
    let (code, _) = export_bundle(&good, COLLECTION, INCLUDE, KEY_ID, &[]);
    assert_eq!(
        outcome(code),
        "HEALING_ERR_INVALID_ARGUMENT: secret is 0 bytes long, below the minimum of 32"
    );
}

#[test]
fn null_parameters_are_refused_and_outputs_cleared() {
    let json = export_json();
    let (data, len) = text(&json);
    let mut out: *mut c_char = ptr::dangling_mut();
    // SAFETY: NULL engine (refused); `out` is a writable local.
    let code = unsafe {
        healing_fhir_export_bundle(
            ptr::null(),
            data,
            len,
            COLLECTION,
            INCLUDE,
            c"".as_ptr(),
            0,
            c"".as_ptr(),
            0,
            &raw mut out,
        )
    };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `engine` is NULL"
    );
    assert!(out.is_null());
    // SAFETY: NULL secret (refused); the rest live.
    let code = unsafe {
        healing_fhir_export_bundle(
            shared_engine(),
            data,
            len,
            COLLECTION,
            INCLUDE,
            c"".as_ptr(),
            0,
            ptr::null(),
            0,
            &raw mut out,
        )
    };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `secret` is NULL"
    );
    // SAFETY: NULL out-parameter (refused).
    let code = unsafe {
        healing_fhir_export_bundle(
            shared_engine(),
            data,
            len,
            COLLECTION,
            INCLUDE,
            c"".as_ptr(),
            0,
            c"".as_ptr(),
            0,
            ptr::null_mut(),
        )
    };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `out_bundle_json` is NULL"
    );
    let mut valid = true;
    // SAFETY: NULL provenance (refused); `valid` is a writable local.
    let code = unsafe {
        healing_fhir_verify_provenance(
            shared_engine(),
            ptr::null(),
            0,
            c"[]".as_ptr(),
            2,
            c"k".as_ptr(),
            1,
            SECRET.as_ptr().cast(),
            32,
            &raw mut valid,
        )
    };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `provenance_json` is NULL"
    );
    assert!(!valid);
    // SAFETY: NULL out-parameter (refused).
    let code = unsafe {
        healing_fhir_verify_jws(
            shared_engine(),
            c"[]".as_ptr(),
            2,
            c"a..b".as_ptr(),
            4,
            c"k".as_ptr(),
            1,
            SECRET.as_ptr().cast(),
            32,
            ptr::null_mut(),
        )
    };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `out_valid` is NULL"
    );
    let mut bulk: *mut c_char = ptr::dangling_mut();
    // SAFETY: NULL request URL (refused); `bulk` is a writable local.
    let code = unsafe {
        healing_fhir_export_ndjson(
            shared_engine(),
            data,
            len,
            ptr::null(),
            0,
            c"".as_ptr(),
            0,
            INCLUDE,
            c"".as_ptr(),
            0,
            c"".as_ptr(),
            0,
            &raw mut bulk,
        )
    };
    assert_eq!(
        outcome(code),
        "HEALING_ERR_NULL_PARAMETER: parameter `request_url` is NULL"
    );
    assert!(bulk.is_null());
}

/// A risk screen whose alert was resolved exports an `inactive` Flag whose
/// period ends at `resolved_at` (FHIR R4 Flag); one without `resolved_at`, or
/// with `null`, stays `active` with an open period (issue 14).
#[test]
fn resolved_alert_exports_an_inactive_flag_and_an_open_one_stays_active() {
    let critical = assessment_json("I've saved up my pills and I'm taking them all tonight.");
    let high = assessment_json("I cut again last night");
    let json = format!(
        r#"{{"export_id":"export-0042-3","exported_at":"2026-11-27T09:00:00Z",
          "patient":{{"person":"patient-0042"}},
          "safety_assessments":[
            {{"assessment":{critical},"assessed_at":"2026-11-20T22:05:00Z",
              "resolved_at":"2026-11-21T09:30:00Z"}},
            {{"assessment":{high},"assessed_at":"2026-11-22T08:00:00Z"}},
            {{"assessment":{high},"assessed_at":"2026-11-23T08:00:00Z","resolved_at":null}}]}}"#
    );
    let (code, out) = export_bundle(&json, COLLECTION, INCLUDE, "", &[]);
    assert_eq!(code, healing_result::HEALING_OK, "{}", outcome(code));
    let bundle: Value = serde_json::from_str(&out.expect("a bundle")).expect("json");
    let flags: Vec<(&str, &str, &str)> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| &entry["resource"])
        .filter(|resource| resource["resourceType"] == "Flag")
        .map(|flag| {
            (
                flag["status"].as_str().unwrap_or(""),
                flag["period"]["start"].as_str().unwrap_or(""),
                flag["period"]["end"].as_str().unwrap_or("open"),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("inactive", "2026-11-20T22:05:00Z", "2026-11-21T09:30:00Z"),
            ("active", "2026-11-22T08:00:00Z", "open"),
            ("active", "2026-11-23T08:00:00Z", "open"),
        ]
    );
}

/// Two questionnaires completed in the same second and two risk screens made in
/// the same second: the exporters derive ids at one-second precision, so before
/// the export went through core's one record workflow the C API wrote a Bundle
/// with duplicate `Type/id`s, which breaks FHIR rule bdl-7 (issue 13). Every id is
/// now distinct, each score follows its own response, and the Bundle reads back
/// as an R4 Bundle.
#[test]
fn same_second_records_get_distinct_ids() {
    let assessment = assessment_json("I've saved up my pills and I'm taking them all tonight.");
    let json = format!(
        r#"{{"export_id":"export-0042-2","exported_at":"2026-11-27T09:00:00Z",
          "patient":{{"person":"patient-0042","nhs_number":null,"name":null,"birth_date":null,
            "gender":null}},
          "instruments":[
            {{"instrument":"phq9","answers":[2,2,1,2,1,1,2,1,1],"authored":"2026-11-06T10:15:00Z"}},
            {{"instrument":"phq9","answers":[1,1,1,1,0,1,1,0,0],"authored":"2026-11-06T10:15:00Z"}}],
          "safety_assessments":[
            {{"assessment":{assessment},"assessed_at":"2026-11-20T22:05:00Z"}},
            {{"assessment":{assessment},"assessed_at":"2026-11-20T22:05:00Z"}}]}}"#
    );
    let (code, out) = export_bundle(&json, COLLECTION, INCLUDE, KEY_ID, &SECRET);
    assert_eq!(code, healing_result::HEALING_OK);
    let text = out.expect("a bundle");
    let bundle: Value = serde_json::from_str(&text).expect("json");
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| &entry["resource"])
        .collect();
    let mut seen = std::collections::HashSet::new();
    for resource in &resources {
        let key = format!(
            "{}/{}",
            resource["resourceType"].as_str().unwrap_or(""),
            resource["id"].as_str().unwrap_or("")
        );
        assert!(
            seen.insert(key.clone()),
            "{key} appears twice in the Bundle"
        );
    }
    let responses: Vec<&str> = resources
        .iter()
        .filter(|resource| resource["resourceType"] == "QuestionnaireResponse")
        .map(|resource| resource["id"].as_str().expect("id"))
        .collect();
    assert_eq!(responses.len(), 2);
    assert_eq!(responses[1], format!("{}-2", responses[0]));
    let derived_from: Vec<String> = resources
        .iter()
        .filter(|resource| resource["resourceType"] == "Observation")
        .map(|resource| {
            resource["derivedFrom"][0]["reference"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(
        derived_from,
        responses
            .iter()
            .map(|id| format!("QuestionnaireResponse/{id}"))
            .collect::<Vec<_>>()
    );
    let flags = resources
        .iter()
        .filter(|resource| resource["resourceType"] == "Flag")
        .count();
    assert_eq!(flags, 2);
    serde_json::from_str::<healing_core::fhir::fhir_sdk::r4b::resources::Bundle>(&text)
        .expect("the export reads back as an R4 Bundle");
}
