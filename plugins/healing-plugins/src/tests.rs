//! Unit tests of the pure parts: the schema subset, manifests and ids.

use expect_test::{Expect, expect};
use proptest::prelude::*;
use serde_json::json;

use crate::manifest::{Limits, Manifest, PluginId, RequestedLimits};
use crate::schema::Schema;

/// Validates `document` against `schema` and prints the outcome: `ok`, the
/// violation, or why the schema was refused.
#[track_caller]
fn check(schema: &str, document: serde_json::Value, expected: Expect) {
    let actual = match Schema::parse(schema) {
        Ok(schema) => match schema.validate(&document) {
            Ok(()) => "ok".to_owned(),
            Err(violation) => format!("violation: {violation}"),
        },
        Err(refusal) => format!("schema refused: {refusal}"),
    };
    expected.assert_eq(&actual);
}

const RECORD: &str = r#"{
  "type": "object",
  "required": ["mood", "rating"],
  "additionalProperties": false,
  "properties": {
    "mood": {"type": "string", "minLength": 1, "maxLength": 5},
    "rating": {"type": "integer", "minimum": 0, "maximum": 100},
    "tags": {"type": "array", "maxItems": 2, "items": {"enum": ["work", "home"]}},
    "note": {"type": ["string", "null"]}
  }
}"#;

#[test]
fn accepts_a_document_that_matches() {
    check(
        RECORD,
        json!({"mood": "low", "rating": 40, "tags": ["work"], "note": null}),
        expect![["ok"]],
    );
}

#[test]
fn rejects_a_missing_required_property() {
    check(
        RECORD,
        json!({"mood": "low"}),
        expect![["violation: /: missing required property 'rating'"]],
    );
}

#[test]
fn rejects_a_property_not_declared_when_additional_properties_is_false() {
    check(
        RECORD,
        json!({"mood": "low", "rating": 1, "name": "Sam"}),
        expect![["violation: /name: property is not allowed"]],
    );
}

#[test]
fn rejects_a_number_above_the_maximum() {
    check(
        RECORD,
        json!({"mood": "low", "rating": 101}),
        expect![["violation: /rating: above the maximum of 100"]],
    );
}

#[test]
fn rejects_a_fraction_where_an_integer_is_required() {
    check(
        RECORD,
        json!({"mood": "low", "rating": 1.5}),
        expect![["violation: /rating: expected integer"]],
    );
}

#[test]
fn counts_string_length_in_characters_not_bytes() {
    check(
        RECORD,
        json!({"mood": "ééééé", "rating": 1}),
        expect![["ok"]],
    );
    check(
        RECORD,
        json!({"mood": "éééééé", "rating": 1}),
        expect![["violation: /mood: longer than 5 characters"]],
    );
}

#[test]
fn points_into_arrays_by_index() {
    check(
        RECORD,
        json!({"mood": "low", "rating": 1, "tags": ["work", "gym"]}),
        expect![["violation: /tags/1: value is not one of the allowed values"]],
    );
    check(
        RECORD,
        json!({"mood": "low", "rating": 1, "tags": ["work", "home", "work"]}),
        expect![["violation: /tags: more than 2 items"]],
    );
}

#[test]
fn refuses_a_schema_with_an_unsupported_keyword() {
    check(
        r#"{"type": "object", "properties": {"name": {"type": "string", "pattern": "^[a-z]+$"}}}"#,
        json!({}),
        expect![["schema refused: /properties/name/pattern: keyword 'pattern' is not supported"]],
    );
}

#[test]
fn refuses_additional_properties_given_as_a_schema() {
    check(
        r#"{"additionalProperties": {"type": "string"}}"#,
        json!({}),
        expect![[
            "schema refused: /additionalProperties: only true or false is supported, not a schema"
        ]],
    );
}

#[test]
fn refuses_a_schema_nested_too_deeply() {
    let schema = format!("{}{{}}{}", r#"{"items": "#.repeat(20), "}".repeat(20));
    check(
        &schema,
        json!([]),
        expect![[
            "schema refused: /items/items/items/items/items/items/items/items/items/items/items/items/items/items/items/items/items: nested deeper than 16 levels"
        ]],
    );
}

#[test]
fn parses_a_manifest_with_limits_and_defaults() {
    let manifest = Manifest::parse(
        &json!({
            "id": "local-terms",
            "version": "1.0.0",
            "world": "risk_rule",
            "file": "local_terms.wasm",
            "sha256": "a".repeat(64),
            "limits": {"deadline_ms": 50}
        })
        .to_string(),
        "manifest.json",
    )
    .unwrap();
    let limits = manifest
        .limits
        .resolve(&manifest.id, Limits::DEFAULT, Limits::CEILING)
        .unwrap();
    assert_eq!(
        limits,
        Limits {
            deadline_ms: 50,
            ..Limits::DEFAULT
        }
    );
}

#[test]
fn refuses_a_manifest_file_outside_the_plugin_folder() {
    let error = Manifest::parse(
        &json!({"id": "x", "version": "1", "world": "cbt_tool", "file": "../x.wasm", "sha256": "a".repeat(64)}).to_string(),
        "manifest.json",
    )
    .unwrap_err();
    expect![["manifest manifest.json is invalid: file '../x.wasm' is not a plain file name (1-128 bytes of 0-9A-Za-z.-_)"]]
        .assert_eq(&error.to_string());
}

#[test]
fn refuses_a_zero_limit() {
    let id = PluginId::new("x").unwrap();
    let requested = RequestedLimits {
        deadline_ms: Some(0),
        ..RequestedLimits::default()
    };
    let error = requested
        .resolve(&id, Limits::DEFAULT, Limits::CEILING)
        .unwrap_err();
    expect![["plugin 'x' asks for deadline_ms of 0, outside 1 to 2000"]]
        .assert_eq(&error.to_string());
}

#[test]
fn refuses_plugin_ids_that_are_not_plain() {
    for id in ["", "Local", "9lives", "a/b", "a b", &"a".repeat(65)] {
        assert!(PluginId::new(id).is_err(), "{id:?}");
    }
}

proptest! {
    /// Validation never panics, whatever the document, and a document that
    /// is not an object never passes an object schema.
    #[test]
    fn validation_never_panics(text in "\\PC{0,200}", number in any::<f64>(), flag in any::<bool>()) {
        let schema = Schema::parse(RECORD).unwrap();
        prop_assert!(schema.validate(&json!(text)).is_err());
        let documents = [
            json!(text),
            json!({"mood": text, "rating": number, "tags": [text], "note": flag}),
            json!([number, text, null]),
        ];
        for document in documents {
            let _ = schema.validate(&document);
        }
    }
}
