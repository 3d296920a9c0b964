//! Public-API tests of `healing_core::fhir`: exports compared with reviewed
//! golden files, signatures, NHS numbers and the Bulk Data writer.
//!
//! Golden files live in `tests/data/fhir/`. After an intended change, rerun with
//! `UPDATE_GOLDEN=1` and review the diff; `tools/fhir-validate/validate.py`
//! checks every golden against the HL7 R4 JSON schema and `fhir.resources`.

use std::io::Write;
use std::path::PathBuf;

use healing_core::fhir::fhir_sdk::r4b::resources::Resource;
use healing_core::fhir::{
    self, AdministrativeSex, BulkExport, BundleKind, NdjsonSinks, NhsNumber, PatientDetails,
    PersonName, PseudonymKey, ResourceKind, SigningKey,
};
use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use proptest::prelude::*;
use serde_json::Value;

/// Compares `resource`'s pretty JSON with `tests/data/fhir/<name>.json`, or
/// rewrites the file when `UPDATE_GOLDEN=1`.
fn assert_golden(name: &str, resource: &impl serde::Serialize) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fhir")
        .join(format!("{name}.json"));
    let actual = serde_json::to_string_pretty(resource).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|value| value == "1") {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden {}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{name} differs from its golden file {}; rerun with UPDATE_GOLDEN=1 and review the diff\n--- actual ---\n{actual}",
        path.display()
    );
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

fn demo_details() -> PatientDetails {
    PatientDetails {
        person: PersonId::new("demo-patient-1").unwrap(),
        nhs_number: Some(NhsNumber::parse("999 000 0018").unwrap()),
        name: Some(PersonName {
            given: vec!["Alex".to_owned()],
            family: "Example".to_owned(),
        }),
        birth_date: Some(time::macros::date!(1990 - 04 - 12)),
        gender: Some(AdministrativeSex::Female),
    }
}

fn signing_key() -> SigningKey {
    SigningKey::hs256("healing-test-2026", &[7u8; 32]).unwrap()
}

#[test]
fn exports_the_identified_patient_with_nhs_number_and_uk_core_profile() {
    let patient = fhir::patient(&demo_details()).unwrap();
    assert_golden("patient", &patient);
    let json = serde_json::to_value(&patient).unwrap();
    assert_eq!(json["identifier"][0]["system"], "https://fhir.nhs.uk/Id/nhs-number");
    assert_eq!(json["identifier"][0]["value"], "9990000018");
    assert_eq!(
        json["meta"]["profile"][0],
        "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"
    );
}

#[test]
fn research_patient_carries_only_the_pseudonym_and_birth_year() {
    let key = PseudonymKey::new(&[42u8; 32]).unwrap();
    let patient = fhir::research_patient(&demo_details(), &key).unwrap();
    assert_golden("patient-research", &patient);
    let text = serde_json::to_string(&patient).unwrap();
    assert!(!text.contains("9990000018"), "{text}");
    assert!(!text.contains("Example"), "{text}");
    assert!(!text.contains("demo-patient-1"), "{text}");
    let json = serde_json::to_value(&patient).unwrap();
    assert_eq!(json["birthDate"], "1990");
    assert_eq!(json["id"].as_str().unwrap().len(), 64);
}

#[test]
fn pseudonyms_depend_on_the_key_and_are_stable_under_it() {
    let person = PersonId::new("demo-patient-1").unwrap();
    let first = PseudonymKey::new(&[1u8; 32]).unwrap();
    let second = PseudonymKey::new(&[2u8; 32]).unwrap();
    assert_eq!(first.pseudonym(&person), first.pseudonym(&person));
    assert_ne!(first.pseudonym(&person), second.pseudonym(&person));
    assert!(!format!("{first:?}").contains('1'), "{first:?}");
}

#[test]
fn rejects_short_secrets() {
    assert_eq!(
        PseudonymKey::new(&[1u8; 31]).unwrap_err().to_string(),
        "secret is 31 bytes long, below the minimum of 32"
    );
    assert!(SigningKey::hs256("k", &[1u8; 16]).is_err());
    assert!(SigningKey::hs256("", &[1u8; 32]).is_err());
}

#[test]
fn refuses_a_person_id_that_is_not_a_fhir_id() {
    let mut details = demo_details();
    details.person = PersonId::new("person_with_underscore").unwrap();
    assert_eq!(
        fhir::patient(&details).unwrap_err().to_string(),
        "person id 'person_with_underscore' is not a fhir id (1 to 64 of a-z, A-Z, 0-9, '-', '.')"
    );
}

#[test]
fn same_json_in_another_key_order_and_spacing_has_the_same_signature() {
    let compact: Value = serde_json::from_str(r#"{"resourceType":"Flag","id":"f1","status":"active","code":{"text":"x"},"subject":{"reference":"Patient/p"}}"#).unwrap();
    let spaced: Value = serde_json::from_str(
        "{\n  \"subject\" : { \"reference\" : \"Patient/p\" },\n  \"code\": {\"text\": \"x\"},\n  \"status\": \"active\", \"id\": \"f1\", \"resourceType\": \"Flag\"\n}",
    )
    .unwrap();
    let key = signing_key();
    let signature = fhir::sign_json(&compact, &key).unwrap();
    assert_eq!(signature, fhir::sign_json(&spaced, &key).unwrap());
    fhir::verify_json(&spaced, &signature, &key).unwrap();
    let parts: Vec<&str> = signature.as_str().split('.').collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[1], "", "the payload part is detached");
}

#[test]
fn changing_any_value_of_a_signed_resource_fails_verification() {
    let key = signing_key();
    let patient = Resource::from(fhir::patient(&demo_details()).unwrap());
    let original = serde_json::to_value(&patient).unwrap();
    let signature = fhir::sign_json(&original, &key).unwrap();
    let text = serde_json::to_string(&original).unwrap();
    // Flip each character of every string value in turn: each change must fail.
    let mut tampered_count = 0;
    for (index, character) in text.char_indices() {
        if !character.is_ascii_alphanumeric() {
            continue;
        }
        let replacement = if character == 'x' { 'y' } else { 'x' };
        let mut tampered_text = text.clone();
        tampered_text.replace_range(index..index + 1, &replacement.to_string());
        let Ok(tampered) = serde_json::from_str::<Value>(&tampered_text) else {
            continue;
        };
        if tampered == original {
            continue;
        }
        tampered_count += 1;
        assert_eq!(
            fhir::verify_json(&tampered, &signature, &key),
            Err(fhir::Error::SignatureMismatch),
            "changed byte {index} and verification still passed"
        );
    }
    assert!(tampered_count > 100, "only {tampered_count} tamperings tried");
}

#[test]
fn a_signature_from_another_key_or_a_mangled_signature_fails() {
    let payload = serde_json::json!({"resourceType": "Flag"});
    let signature = fhir::sign_json(&payload, &signing_key()).unwrap();
    let other_secret = SigningKey::hs256("healing-test-2026", &[8u8; 32]).unwrap();
    assert_eq!(
        fhir::verify_json(&payload, &signature, &other_secret),
        Err(fhir::Error::SignatureMismatch)
    );
    let other_id = SigningKey::hs256("another-key", &[7u8; 32]).unwrap();
    assert!(matches!(
        fhir::verify_json(&payload, &signature, &other_id),
        Err(fhir::Error::SignatureKeyId { .. })
    ));
    assert!(fhir::DetachedJws::parse("a.b.c").is_err());
    assert!(fhir::DetachedJws::parse("abc").is_err());
}

#[test]
fn provenance_signs_its_targets_and_detects_tampering() {
    let key = signing_key();
    let patient = Resource::from(fhir::patient(&demo_details()).unwrap());
    let provenance = fhir::signed_provenance(
        "export-1",
        std::slice::from_ref(&patient),
        at("2026-11-27T09:00:00Z"),
        "healing-core test",
        &key,
    )
    .unwrap();
    assert_golden("provenance", &provenance);
    fhir::verify_provenance(&provenance, std::slice::from_ref(&patient), &key).unwrap();
    let mut changed = fhir::patient(&demo_details()).unwrap();
    changed.birth_date = None;
    assert_eq!(
        fhir::verify_provenance(&provenance, &[Resource::from(changed)], &key),
        Err(fhir::Error::SignatureMismatch)
    );
}

#[test]
fn bundles_resources_as_collection_and_transaction() {
    let patient = Resource::from(fhir::patient(&demo_details()).unwrap());
    let collection = fhir::bundle(
        BundleKind::Collection,
        "bundle-1",
        at("2026-11-27T09:00:00Z"),
        vec![patient.clone()],
    )
    .unwrap();
    let json = serde_json::to_value(&collection).unwrap();
    assert_eq!(json["type"], "collection");
    assert_eq!(
        json["entry"][0]["fullUrl"],
        "https://healing.example/fhir/Patient/demo-patient-1"
    );
    let transaction = fhir::bundle(
        BundleKind::Transaction,
        "bundle-2",
        at("2026-11-27T09:00:00Z"),
        vec![patient],
    )
    .unwrap();
    let json = serde_json::to_value(&transaction).unwrap();
    assert_eq!(json["entry"][0]["request"]["method"], "PUT");
    assert_eq!(json["entry"][0]["request"]["url"], "Patient/demo-patient-1");
}

/// Sinks that keep each kind's NDJSON in memory.
#[derive(Default)]
struct MemorySinks {
    files: std::collections::BTreeMap<ResourceKind, Vec<u8>>,
}

impl NdjsonSinks for MemorySinks {
    fn sink(&mut self, kind: ResourceKind) -> std::io::Result<&mut dyn Write> {
        Ok(self.files.entry(kind).or_default())
    }
}

#[test]
fn bulk_export_writes_one_line_per_resource_and_a_manifest() {
    let key = PseudonymKey::new(&[42u8; 32]).unwrap();
    let mut export = BulkExport::new(MemorySinks::default());
    let identified = Resource::from(fhir::patient(&demo_details()).unwrap());
    let research = Resource::from(fhir::research_patient(&demo_details(), &key).unwrap());
    export.write(&identified).unwrap();
    export.write(&research).unwrap();
    assert_eq!(export.count(ResourceKind::Patient), 2);
    let (sinks, manifest) = export
        .finish(
            at("2026-11-27T09:00:00Z"),
            "https://healing.example/fhir/$export",
            "https://files.healing.example/export-1/",
        )
        .unwrap();
    let ndjson = String::from_utf8(sinks.files[&ResourceKind::Patient].clone()).unwrap();
    let lines: Vec<&str> = ndjson.lines().collect();
    assert_eq!(lines.len(), 2);
    for line in lines {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["resourceType"], "Patient");
    }
    let manifest = serde_json::to_value(&manifest).unwrap();
    assert_eq!(
        manifest,
        serde_json::json!({
            "transactionTime": "2026-11-27T09:00:00Z",
            "request": "https://healing.example/fhir/$export",
            "requiresAccessToken": true,
            "output": [{
                "type": "Patient",
                "url": "https://files.healing.example/export-1/Patient.ndjson",
                "count": 2
            }],
            "error": []
        })
    );
}

/// The Modulus 11 check digit of nine digits, or `None` when it would be 10.
fn check_digit(first_nine: &[u8; 9]) -> Option<u8> {
    let sum: u32 = first_nine
        .iter()
        .zip((2..=10).rev())
        .map(|(digit, weight)| u32::from(*digit) * weight)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        check => Some(check as u8),
    }
}

fn digits_text(digits: &[u8]) -> String {
    digits.iter().map(|digit| char::from(b'0' + digit)).collect()
}

proptest! {
    #[test]
    fn accepts_every_number_with_the_right_check_digit(first_nine in proptest::array::uniform9(0u8..10)) {
        prop_assume!(check_digit(&first_nine).is_some());
        let check = check_digit(&first_nine).unwrap();
        let text = format!("{}{}", digits_text(&first_nine), check);
        let number = NhsNumber::parse(&text).unwrap();
        prop_assert_eq!(number.as_str(), text.as_str());
        let grouped = format!("{} {} {}", &text[..3], &text[3..6], &text[6..]);
        prop_assert_eq!(NhsNumber::parse(&grouped).unwrap(), number);
    }

    #[test]
    fn rejects_every_other_tenth_digit(first_nine in proptest::array::uniform9(0u8..10), wrong in 0u8..10) {
        prop_assume!(check_digit(&first_nine) != Some(wrong));
        let text = format!("{}{}", digits_text(&first_nine), wrong);
        prop_assert!(NhsNumber::parse(&text).is_err());
    }

    #[test]
    fn rejects_every_single_digit_change(first_nine in proptest::array::uniform9(0u8..10), position in 0usize..10, delta in 1u8..10) {
        prop_assume!(check_digit(&first_nine).is_some());
        let mut digits = first_nine.to_vec();
        digits.push(check_digit(&first_nine).unwrap());
        digits[position] = (digits[position] + delta) % 10;
        prop_assert!(NhsNumber::parse(&digits_text(&digits)).is_err());
    }
}
