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
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden {}; run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
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
    assert_eq!(
        json["identifier"][0]["system"],
        "https://fhir.nhs.uk/Id/nhs-number"
    );
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
    assert!(
        tampered_count > 100,
        "only {tampered_count} tamperings tried"
    );
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
    digits
        .iter()
        .map(|digit| char::from(b'0' + digit))
        .collect()
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

// ---- Questionnaires, responses and scores ----

use healing_core::consent::{ConsentEvent, Decision, Ledger, Purpose, RecordedBy, WordingVersion};
use healing_core::fhir::{FreeText, PatientReference};
use healing_core::mood::MoodEntry;
use healing_core::scoring::{self, ValidatedAnswers};

fn demo_subject() -> PatientReference {
    PatientReference::identified(&demo_details().person).unwrap()
}

fn phq9_answers() -> ValidatedAnswers {
    let phq9 = scoring::instrument("phq9").unwrap();
    ValidatedAnswers::complete(phq9, &[2, 2, 1, 2, 1, 1, 2, 1, 1]).unwrap()
}

fn gad7_answers() -> ValidatedAnswers {
    let gad7 = scoring::instrument("gad7").unwrap();
    ValidatedAnswers::complete(gad7, &[1, 0, 2, 1, 0, 3, 1]).unwrap()
}

#[test]
fn exports_a_questionnaire_for_every_registered_instrument() {
    for instrument in scoring::instruments() {
        let questionnaire = fhir::questionnaire(instrument, at("2026-11-01T00:00:00Z")).unwrap();
        assert_eq!(questionnaire.item.len(), instrument.items.len());
        assert_golden(
            &format!("questionnaire-{}", instrument.id.as_str()),
            &questionnaire,
        );
    }
}

#[test]
fn loinc_answer_codes_match_the_registry_labels() {
    // The LOINC answer list is attached by option value; check that the
    // registry's labels say the same thing, so a value never gets the wrong code.
    for id in ["phq9", "gad7", "phq2"] {
        let instrument = scoring::instrument(id).unwrap();
        let questionnaire = fhir::questionnaire(instrument, at("2026-11-01T00:00:00Z")).unwrap();
        let json = serde_json::to_value(&questionnaire).unwrap();
        for (item_json, item) in json["item"]
            .as_array()
            .unwrap()
            .iter()
            .zip(instrument.items)
        {
            for (option_json, option) in item_json["answerOption"]
                .as_array()
                .unwrap()
                .iter()
                .zip(item.options)
            {
                let display = option_json["valueCoding"]["display"].as_str().unwrap();
                let label = option.label.unwrap();
                assert_eq!(
                    display.to_lowercase(),
                    label.to_lowercase(),
                    "{id} item {}",
                    item.number
                );
            }
        }
    }
}

#[test]
fn exports_a_phq9_response_and_its_coded_score() {
    let answers = phq9_answers();
    let score = scoring::score(&answers);
    let (response, observation) = fhir::completed_instrument(
        &answers,
        &score,
        &demo_subject(),
        at("2026-11-20T10:15:00Z"),
    )
    .unwrap();
    assert_golden("questionnaire-response-phq9", &response);
    assert_golden("observation-score-phq9", &observation);
    let json = serde_json::to_value(&observation).unwrap();
    assert_eq!(json["code"]["coding"][0]["code"], "44261-6");
    assert_eq!(json["code"]["coding"][1]["code"], "720433000");
    assert_eq!(json["valueQuantity"]["value"], 13.0);
    assert_eq!(json["valueQuantity"]["code"], "{score}");
    assert_eq!(json["valueQuantity"]["system"], "http://unitsofmeasure.org");
    assert_eq!(json["category"][0]["coding"][0]["code"], "survey");
    assert_eq!(json["interpretation"][0]["text"], "Moderate depression");
    assert_eq!(
        json["derivedFrom"][0]["reference"],
        format!("QuestionnaireResponse/{}", response.id.as_deref().unwrap())
    );
    let response_json = serde_json::to_value(&response).unwrap();
    assert_eq!(
        response_json["questionnaire"],
        "https://healing.example/fhir/Questionnaire/phq9|1"
    );
    assert_eq!(response_json["item"][8]["linkId"], "44260-8");
    assert_eq!(
        response_json["item"][8]["answer"][0]["valueCoding"]["code"],
        "LA6569-3"
    );
}

#[test]
fn exports_a_gad7_response_and_its_coded_score() {
    let answers = gad7_answers();
    let score = scoring::score(&answers);
    let (response, observation) = fhir::completed_instrument(
        &answers,
        &score,
        &demo_subject(),
        at("2026-11-20T10:20:00Z"),
    )
    .unwrap();
    assert_golden("questionnaire-response-gad7", &response);
    assert_golden("observation-score-gad7", &observation);
    let json = serde_json::to_value(&observation).unwrap();
    assert_eq!(json["code"]["coding"][0]["code"], "70274-6");
    assert_eq!(json["code"]["coding"][1]["code"], "445455005");
    let response_json = serde_json::to_value(&response).unwrap();
    assert_eq!(response_json["item"][1]["linkId"], "68509-9");
}

#[test]
fn a_phq9_exported_then_imported_scores_the_same() {
    let answers = phq9_answers();
    let score = scoring::score(&answers);
    let (response, observation) = fhir::completed_instrument(
        &answers,
        &score,
        &demo_subject(),
        at("2026-11-20T10:15:00Z"),
    )
    .unwrap();
    let text = serde_json::to_string(&response).unwrap();
    let imported = fhir::score_questionnaire_response(&text).unwrap();
    assert_eq!(imported.score, score);
    assert_eq!(imported.answers, answers);
    assert_eq!(imported.observation, observation);
}

#[test]
fn every_registered_instrument_round_trips_through_fhir() {
    for instrument in scoring::instruments() {
        // The lowest option of every item that is always asked; skip-logic
        // items stay blank unless their condition holds.
        let answers: Vec<Option<u8>> = instrument
            .items
            .iter()
            .map(|item| match item.requirement {
                scoring::Requirement::AskedWhen { .. } => None,
                _ => Some(item.options[0].value),
            })
            .collect();
        let Ok(answers) = ValidatedAnswers::new(instrument, &answers) else {
            continue;
        };
        let score = scoring::score(&answers);
        let response =
            fhir::questionnaire_response(&answers, &demo_subject(), at("2026-11-20T10:15:00Z"))
                .unwrap();
        let imported =
            fhir::score_questionnaire_response(&serde_json::to_string(&response).unwrap())
                .unwrap_or_else(|error| panic!("{}: {error}", instrument.id.as_str()));
        assert_eq!(imported.score, score, "{}", instrument.id.as_str());
    }
}

#[test]
fn imports_a_loinc_form_response_from_another_system() {
    // As an LHC-Forms style client sends it: LOINC canonical, the questions in a
    // group, path-style linkIds, the difficulty question and the total included.
    let mut items: Vec<Value> = [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
        "44260-8",
    ]
    .iter()
    .zip([
        "LA6570-1", "LA6570-1", "LA6569-3", "LA6570-1", "LA6569-3", "LA6569-3", "LA6570-1",
        "LA6569-3", "LA6569-3",
    ])
    .map(|(item, answer)| {
        serde_json::json!({
            "linkId": format!("/44249-1/{item}"),
            "answer": [{"valueCoding": {"system": "http://loinc.org", "code": answer}}]
        })
    })
    .collect();
    items.push(serde_json::json!({"linkId": "/44249-1/69722-7", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6575-0", "display": "Very difficult"}}]}));
    items.push(serde_json::json!({"linkId": "/44249-1/44261-6", "answer": [{"valueInteger": 13}]}));
    let response = serde_json::json!({
        "resourceType": "QuestionnaireResponse",
        "id": "ehr-response-77",
        "questionnaire": "http://loinc.org/q/44249-1",
        "status": "completed",
        "subject": {"reference": "Patient/ehr-patient-9"},
        "authored": "2026-11-20T11:00:00+00:00",
        "item": [{"linkId": "/44249-1", "item": items}]
    });
    let imported = fhir::score_questionnaire_response(&response.to_string()).unwrap();
    assert_eq!(imported.score.total, Some(13));
    let json = serde_json::to_value(&imported.observation).unwrap();
    assert_eq!(json["subject"]["reference"], "Patient/ehr-patient-9");
    assert_eq!(
        json["derivedFrom"][0]["reference"],
        "QuestionnaireResponse/ehr-response-77"
    );
    assert!(
        json["note"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Item 9 answered 1")
    );
}

#[test]
fn import_errors_name_the_place_in_the_json() {
    let answers = phq9_answers();
    let response =
        fhir::questionnaire_response(&answers, &demo_subject(), at("2026-11-20T10:15:00Z"))
            .unwrap();
    let original = serde_json::to_value(&response).unwrap();
    let error_for = |edit: &dyn Fn(&mut Value)| {
        let mut json = original.clone();
        edit(&mut json);
        fhir::score_questionnaire_response(&json.to_string())
            .unwrap_err()
            .to_string()
    };
    expect_test::expect!["item[3].linkId: '99999-9' is not an item of this questionnaire"]
        .assert_eq(&error_for(&|json| {
            json["item"][3]["linkId"] = "99999-9".into()
        }));
    expect_test::expect!["item[2].answer[0].valueCoding: 'http://loinc.org|LA0000-0' is not an answer this item offers"]
        .assert_eq(&error_for(&|json| json["item"][2]["answer"][0]["valueCoding"]["code"] = "LA0000-0".into()));
    expect_test::expect!["item[4].answer[0]: expected valueCoding or valueInteger"].assert_eq(
        &error_for(&|json| {
            json["item"][4]["answer"][0] = serde_json::json!({"valueString": "often"})
        }),
    );
    expect_test::expect!["questionnaire 'https://healing.example/fhir/Questionnaire/phq9|7' is another version; this registry scores version 1"]
        .assert_eq(&error_for(&|json| json["questionnaire"] = "https://healing.example/fhir/Questionnaire/phq9|7".into()));
    expect_test::expect!["questionnaire 'http://loinc.org/q/12345-6' is not a registered instrument (our canonical or a loinc panel)"]
        .assert_eq(&error_for(&|json| json["questionnaire"] = "http://loinc.org/q/12345-6".into()));
    expect_test::expect![
        "status is 'in-progress', only completed or amended responses can be scored"
    ]
    .assert_eq(&error_for(&|json| json["status"] = "in-progress".into()));
    expect_test::expect!["subject is missing"].assert_eq(&error_for(&|json| {
        json.as_object_mut().unwrap().remove("subject");
    }));
    expect_test::expect!["authored: '2026-11-20' is not a date-time with a time zone"]
        .assert_eq(&error_for(&|json| json["authored"] = "2026-11-20".into()));
    expect_test::expect![
        "answers cannot be scored: item 5 of phq9 is required but was not answered"
    ]
    .assert_eq(&error_for(&|json| {
        json["item"].as_array_mut().unwrap().remove(4);
    }));
    expect_test::expect!["resourceType is 'Observation', expected QuestionnaireResponse"]
        .assert_eq(&error_for(&|json| {
            json["resourceType"] = "Observation".into()
        }));
    assert!(
        fhir::score_questionnaire_response("{not json")
            .unwrap_err()
            .to_string()
            .starts_with("input is not json")
    );
}

// ---- Mood and consent ----

#[test]
fn exports_a_mood_entry_as_an_observation() {
    let entry = MoodEntry::new(
        time::macros::date!(2026 - 11 - 19),
        at("2026-11-19T21:30:00Z"),
        6,
    )
    .unwrap()
    .with_sleep(4)
    .unwrap()
    .with_anxiety(7)
    .unwrap()
    .with_note("Hard day at work, walked in the evening")
    .unwrap();
    let care = fhir::mood_observation(&entry, &demo_subject(), FreeText::Include).unwrap();
    assert_golden("observation-mood", &care);
    let research_key = PseudonymKey::new(&[42u8; 32]).unwrap();
    let research_subject = PatientReference::pseudonymised(&demo_details().person, &research_key);
    let research = fhir::mood_observation(&entry, &research_subject, FreeText::Omit).unwrap();
    let text = serde_json::to_string(&research).unwrap();
    assert!(!text.contains("Hard day"), "{text}");
    assert!(!text.contains("demo-patient-1"), "{text}");
}

fn demo_ledger() -> Ledger {
    let person = demo_details().person;
    let event = |purpose, decision, when: &str, wording: &str| ConsentEvent {
        person: person.clone(),
        purpose,
        decision,
        at: at(when),
        wording_version: WordingVersion::new(wording).unwrap(),
        recorded_by: RecordedBy::Subject,
    };
    let mut ledger = Ledger::new(person.clone());
    ledger
        .append(event(
            Purpose::Care,
            Decision::Grant,
            "2026-03-01T09:00:00Z",
            "care-v1",
        ))
        .unwrap();
    ledger
        .append(event(
            Purpose::Research,
            Decision::Grant,
            "2026-03-01T09:00:00Z",
            "research-v2",
        ))
        .unwrap();
    ledger
        .append(event(
            Purpose::Research,
            Decision::Withdraw,
            "2026-06-01T12:00:00Z",
            "research-v2",
        ))
        .unwrap();
    ledger
}

#[test]
fn exports_consent_periods_as_consent_resources() {
    let consents = fhir::consents(&demo_ledger(), &demo_subject()).unwrap();
    assert_eq!(consents.len(), 2);
    assert_golden("consent-care", &consents[0]);
    assert_golden("consent-research-withdrawn", &consents[1]);
    let research = serde_json::to_value(&consents[1]).unwrap();
    assert_eq!(research["status"], "inactive");
    assert_eq!(
        research["provision"]["period"]["end"],
        "2026-06-01T12:00:00Z"
    );
    assert_eq!(research["scope"]["coding"][0]["code"], "research");
}

// ---- Whole exports ----

fn demo_resources() -> Vec<Resource> {
    let mut resources = vec![Resource::from(fhir::patient(&demo_details()).unwrap())];
    for answers in [phq9_answers(), gad7_answers()] {
        let score = scoring::score(&answers);
        resources.push(
            fhir::questionnaire(answers.instrument(), at("2026-11-01T00:00:00Z"))
                .unwrap()
                .into(),
        );
        let (response, observation) = fhir::completed_instrument(
            &answers,
            &score,
            &demo_subject(),
            at("2026-11-20T10:15:00Z"),
        )
        .unwrap();
        resources.push(response.into());
        resources.push(observation.into());
    }
    for consent in fhir::consents(&demo_ledger(), &demo_subject()).unwrap() {
        resources.push(consent.into());
    }
    let entry = MoodEntry::new(
        time::macros::date!(2026 - 11 - 19),
        at("2026-11-19T21:30:00Z"),
        6,
    )
    .unwrap();
    resources.push(
        fhir::mood_observation(&entry, &demo_subject(), FreeText::Include)
            .unwrap()
            .into(),
    );
    let assessment = fixed_high_self_harm_assessment();
    let alert = fhir::safety_alert(
        &assessment,
        &demo_subject(),
        at("2026-11-20T22:05:00Z"),
        None,
        FreeText::Include,
    )
    .unwrap();
    resources.push(alert.risk_assessment.into());
    resources.extend(alert.flag.map(Resource::from));
    resources
}

#[test]
fn every_exported_resource_has_a_resource_type() {
    for resource in demo_resources() {
        let json = serde_json::to_value(&resource).unwrap();
        assert!(json["resourceType"].is_string(), "{json}");
        assert!(json["id"].is_string(), "{json}");
    }
}

#[test]
fn exports_a_signed_collection_and_a_transaction_bundle() {
    let key = signing_key();
    let mut resources = demo_resources();
    let provenance = fhir::signed_provenance(
        "export-2026-11-27",
        &resources,
        at("2026-11-27T09:00:00Z"),
        "healing-core test",
        &key,
    )
    .unwrap();
    fhir::verify_provenance(&provenance, &resources, &key).unwrap();
    resources.push(provenance.into());
    let collection = fhir::bundle(
        BundleKind::Collection,
        "demo-collection",
        at("2026-11-27T09:00:00Z"),
        resources.clone(),
    )
    .unwrap();
    assert_golden("bundle-collection", &collection);
    let transaction = fhir::bundle(
        BundleKind::Transaction,
        "demo-transaction",
        at("2026-11-27T09:00:00Z"),
        resources,
    )
    .unwrap();
    assert_golden("bundle-transaction", &transaction);
}

// ---- Safety ----

use healing_core::safety::{Assessment, Category, Context, Engine, Finding, RiskLevel};

fn demo_assessment(text: &str) -> Assessment {
    Engine::standard()
        .unwrap()
        .assess(text, &Context::default())
}

/// A fixed critical assessment of "I've saved up my pills and I'm taking them tonight",
/// so the golden files pin the FHIR mapping, not the lexicon of the day (whose
/// reasons and version change at every clinical review).
fn fixed_critical_assessment() -> Assessment {
    Assessment {
        level: RiskLevel::Critical,
        categories: vec![Category::Suicide],
        findings: vec![Finding {
            rule: "plan.preparation".to_owned(),
            start: 5,
            end: 22,
            level: RiskLevel::Critical,
            categories: vec![Category::Suicide],
            reason: "preparation + means: 'pills' with 'saved up'".to_owned(),
        }],
        notes: Vec::new(),
        rules_version: "2026.11.1".to_owned(),
    }
}

/// A fixed high assessment of "I cut again last night", for the same reason.
fn fixed_high_self_harm_assessment() -> Assessment {
    Assessment {
        level: RiskLevel::High,
        categories: vec![Category::SelfHarm],
        findings: vec![Finding {
            rule: "self_harm.act".to_owned(),
            start: 2,
            end: 11,
            level: RiskLevel::High,
            categories: vec![Category::SelfHarm],
            reason: "self-harm now or in the last days: 'cut again'".to_owned(),
        }],
        notes: Vec::new(),
        rules_version: "2026.11.1".to_owned(),
    }
}

#[test]
fn the_engine_and_the_fixed_goldens_agree_on_what_matters() {
    for (text, fixed) in [
        (
            "I've saved up my pills and I'm taking them tonight",
            fixed_critical_assessment(),
        ),
        ("I cut again last night", fixed_high_self_harm_assessment()),
    ] {
        let live = demo_assessment(text);
        assert_eq!(live.level, fixed.level, "{text}");
        assert_eq!(live.categories, fixed.categories, "{text}");
    }
}

#[test]
fn exports_a_critical_safety_screen_as_risk_assessment_and_flag() {
    let assessment = fixed_critical_assessment();
    let alert = fhir::safety_alert(
        &assessment,
        &demo_subject(),
        at("2026-11-20T22:05:00Z"),
        None,
        FreeText::Include,
    )
    .unwrap();
    assert_golden("risk-assessment-critical", &alert.risk_assessment);
    let flag = alert.flag.expect("critical level raises a flag");
    assert_golden("flag-critical", &flag);
    let json = serde_json::to_value(&flag).unwrap();
    assert_eq!(json["status"], "active");
    assert_eq!(json["category"][0]["coding"][0]["code"], "safety");
}

#[test]
fn exports_a_resolved_alert_as_an_inactive_flag_with_its_period_ended() {
    let assessment = fixed_critical_assessment();
    let alert = fhir::safety_alert(
        &assessment,
        &demo_subject(),
        at("2026-11-20T22:05:00Z"),
        Some(at("2026-11-21T09:30:00Z")),
        FreeText::Include,
    )
    .unwrap();
    let flag = alert.flag.expect("critical level raises a flag");
    assert_golden("flag-critical-resolved", &flag);
    let json = serde_json::to_value(&flag).unwrap();
    assert_eq!(json["status"], "inactive");
    assert_eq!(json["period"]["start"], "2026-11-20T22:05:00Z");
    assert_eq!(json["period"]["end"], "2026-11-21T09:30:00Z");
    // The same flag, resolved or not: a receiving system updates it in place.
    let open = fhir::safety_alert(
        &assessment,
        &demo_subject(),
        at("2026-11-20T22:05:00Z"),
        None,
        FreeText::Include,
    )
    .unwrap();
    assert_eq!(flag.id, open.flag.unwrap().id);
    assert_eq!(alert.risk_assessment, open.risk_assessment);
}

#[test]
fn a_flag_resolved_in_the_second_it_was_raised_has_an_empty_period() {
    let alert = fhir::safety_alert(
        &fixed_critical_assessment(),
        &demo_subject(),
        at("2026-11-20T22:05:00Z"),
        Some(at("2026-11-20T22:05:00Z")),
        FreeText::Include,
    )
    .unwrap();
    let json = serde_json::to_value(alert.flag.unwrap()).unwrap();
    assert_eq!(json["status"], "inactive");
    assert_eq!(json["period"]["start"], json["period"]["end"]);
}

#[test]
fn refuses_a_flag_resolved_before_it_was_raised_at_any_level() {
    for assessment in [
        fixed_critical_assessment(),
        demo_assessment("this commute is killing me"),
    ] {
        let error = fhir::safety_alert(
            &assessment,
            &demo_subject(),
            at("2026-11-20T22:05:00Z"),
            Some(at("2026-11-20T22:04:59Z")),
            FreeText::Include,
        )
        .unwrap_err();
        assert_eq!(
            error,
            fhir::Error::FlagResolvedBeforeRaised {
                raised_at: at("2026-11-20T22:05:00Z"),
                resolved_at: at("2026-11-20T22:04:59Z"),
            }
        );
        assert_eq!(error.kind(), "flag_resolved_before_raised");
        assert_eq!(
            error.to_string(),
            "the flag was resolved at 2026-11-20T22:04:59Z, before it was raised at 2026-11-20T22:05:00Z"
        );
    }
}

#[test]
fn a_patient_record_exports_each_assessed_text_with_its_own_flag_state() {
    let person = PersonId::new("demo-patient-1").unwrap();
    let ledger = healing_core::consent::Ledger::new(person.clone());
    let assessed = [
        fhir::AssessedText {
            assessment: fixed_critical_assessment(),
            assessed_at: at("2026-11-20T22:05:00Z"),
            resolved_at: Some(at("2026-11-21T09:30:00Z")),
        },
        fhir::AssessedText {
            assessment: fixed_high_self_harm_assessment(),
            assessed_at: at("2026-11-22T08:00:00Z"),
            resolved_at: None,
        },
    ];
    let record = fhir::PatientRecord {
        person: &person,
        details: None,
        completed: &[],
        consent: &ledger,
        mood_entries: &[],
        assessed: &assessed,
    };
    let resources =
        fhir::patient_resources(&record, at("2026-11-27T09:00:00Z"), FreeText::Include).unwrap();
    let flags: Vec<(String, String)> = resources
        .iter()
        .map(|resource| serde_json::to_value(resource).unwrap())
        .filter(|json| json["resourceType"] == "Flag")
        .map(|json| {
            (
                json["status"].as_str().unwrap().to_owned(),
                json["period"]["end"].as_str().unwrap_or("open").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("inactive".to_owned(), "2026-11-21T09:30:00Z".to_owned()),
            ("active".to_owned(), "open".to_owned()),
        ]
    );

    let backwards = [fhir::AssessedText {
        resolved_at: Some(at("2026-11-20T22:00:00Z")),
        ..assessed[0].clone()
    }];
    let record = fhir::PatientRecord {
        assessed: &backwards,
        ..record
    };
    assert!(matches!(
        fhir::patient_resources(&record, at("2026-11-27T09:00:00Z"), FreeText::Include),
        Err(fhir::Error::FlagResolvedBeforeRaised { .. })
    ));
}

#[test]
fn raises_no_flag_below_medium_and_can_leave_out_the_quotes() {
    let calm = demo_assessment("this commute is killing me");
    let alert = fhir::safety_alert(
        &calm,
        &demo_subject(),
        at("2026-11-20T08:00:00Z"),
        None,
        FreeText::Include,
    )
    .unwrap();
    assert_eq!(alert.flag, None);
    let risky = demo_assessment("I cut again last night");
    let alert = fhir::safety_alert(
        &risky,
        &demo_subject(),
        at("2026-11-20T08:00:00Z"),
        None,
        FreeText::Omit,
    )
    .unwrap();
    let text = serde_json::to_string(&alert).unwrap();
    assert!(!text.contains("cut again"), "{text}");
}
