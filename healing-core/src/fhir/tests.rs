//! Unit tests of the FHIR module's private parts, through one `check` helper.

use expect_test::{Expect, expect};
use serde_json::json;

use super::jcs::canonical_json;
use super::model::{derived_id, is_fhir_id};
use super::{Error, NhsNumber};

/// Renders `result` (a value's debug form or the error's message) and compares
/// it with `expected`.
fn check<T: std::fmt::Debug>(result: Result<T, Error>, expected: Expect) {
    let rendered = match result {
        Ok(value) => format!("{value:?}"),
        Err(error) => format!("error: {error}"),
    };
    expected.assert_eq(&rendered);
}

#[test]
fn accepts_a_valid_nhs_number_in_every_printed_form() {
    check(
        NhsNumber::parse("9434765919"),
        expect![[r#"NhsNumber("9434765919")"#]],
    );
    check(
        NhsNumber::parse("943 476 5919"),
        expect![[r#"NhsNumber("9434765919")"#]],
    );
    check(
        NhsNumber::parse("943-476-5919"),
        expect![[r#"NhsNumber("9434765919")"#]],
    );
}

#[test]
fn rejects_an_nhs_number_with_a_wrong_check_digit() {
    check(
        NhsNumber::parse("9434765918"),
        expect!["error: nhs number '9434765918' has check digit 8, expected 9"],
    );
}

#[test]
fn rejects_an_nhs_number_whose_check_digit_would_be_ten() {
    // 1 0 0 0 0 0 0 0 1: 10 + 2 = 12, 12 mod 11 = 1, 11 - 1 = 10.
    check(
        NhsNumber::parse("1000000010"),
        expect![
            "error: nhs number '1000000010' is not valid: its first nine digits give a check digit of 10"
        ],
    );
}

#[test]
fn rejects_nhs_numbers_of_the_wrong_shape() {
    check(
        NhsNumber::parse("943476591"),
        expect!["error: nhs number '943476591' is not ten digits (optionally grouped 3 3 4)"],
    );
    check(
        NhsNumber::parse("943 476-5919"),
        expect!["error: nhs number '943 476-5919' is not ten digits (optionally grouped 3 3 4)"],
    );
    check(
        NhsNumber::parse("94347659l9"),
        expect!["error: nhs number '94347659l9' is not ten digits (optionally grouped 3 3 4)"],
    );
    check(
        NhsNumber::parse("９４３４７６５９１９"),
        expect![
            "error: nhs number '９４３４７６５９１９' is not ten digits (optionally grouped 3 3 4)"
        ],
    );
}

#[test]
fn prints_an_nhs_number_grouped_three_three_four() {
    check(
        NhsNumber::parse("9434765919").map(|number| number.to_string()),
        expect![[r#""943 476 5919""#]],
    );
}

#[test]
fn canonicalises_numbers_as_ecmascript_does() {
    // RFC 8785 Appendix B and §3.2.2.3 examples.
    let numbers = json!([
        0.0,
        -0.0,
        1.0,
        -1.5,
        4.50,
        2e-3,
        0.000001,
        1e-7,
        1e21,
        1e20,
        123456789012345680000.0,
        1e30,
        5e-324,
        1.7976931348623157e308,
        333333333.3333333,
        9007199254740992_u64,
        -42
    ]);
    check(
        canonical_json(&numbers),
        expect![[
            r#""[0,0,1,-1.5,4.5,0.002,0.000001,1e-7,1e+21,100000000000000000000,123456789012345680000,1e+30,5e-324,1.7976931348623157e+308,333333333.3333333,9007199254740992,-42]""#
        ]],
    );
}

#[test]
fn refuses_integers_a_double_cannot_hold() {
    check(
        canonical_json(&json!(9007199254740993_u64)),
        expect![
            "error: number 9007199254740993 is not exactly representable as an ieee 754 double, so it has no rfc 8785 form"
        ],
    );
}

#[test]
fn sorts_member_names_by_utf16_code_units() {
    // RFC 8785 §3.2.3's sorting example: U+1F600 (a surrogate pair, D83D DE00)
    // sorts before U+FB33 in UTF-16, though after it in UTF-8.
    let value: serde_json::Value = serde_json::from_str(
        r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#,
    )
    .unwrap();
    let canonical = canonical_json(&value).unwrap();
    let values: Vec<&str> = canonical
        .split("\":\"")
        .skip(1)
        .map(|part| part.split('"').next().unwrap())
        .collect();
    expect![[r#"["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"]"#]]
        .assert_eq(&format!("{values:?}"));
}

#[test]
fn escapes_strings_minimally() {
    check(
        canonical_json(&json!(
            "a\"b\\c\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}é€😀\u{2028}"
        )),
        expect![[r#""\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}é€😀\u{2028}\"""#]],
    );
}

#[test]
fn canonicalises_nested_structures_without_white_space() {
    let value: serde_json::Value =
        serde_json::from_str(r#" { "b" : [ 1 , { "d" : null , "c" : true } ] , "a" : "x" } "#)
            .unwrap();
    check(
        canonical_json(&value),
        expect![[r#""{\"a\":\"x\",\"b\":[1,{\"c\":true,\"d\":null}]}""#]],
    );
}

#[test]
fn derives_stable_distinct_fhir_ids() {
    let first = derived_id(&["ab", "c"]);
    let second = derived_id(&["a", "bc"]);
    assert_ne!(first, second);
    assert_eq!(first, derived_id(&["ab", "c"]));
    assert!(is_fhir_id(&first));
    assert_eq!(first.len(), 32);
}

#[test]
fn recognises_fhir_ids() {
    assert!(is_fhir_id("patient-1.a"));
    assert!(!is_fhir_id(""));
    assert!(!is_fhir_id("has space"));
    assert!(!is_fhir_id("under_score"));
    assert!(!is_fhir_id(&"x".repeat(65)));
    assert!(is_fhir_id(&"x".repeat(64)));
}

#[test]
fn error_kind_is_the_snake_case_variant_name() {
    assert_eq!(
        Error::SecretTooShort { len: 1, min: 32 }.kind(),
        "secret_too_short"
    );
    assert_eq!(
        NhsNumber::parse("x").unwrap_err().kind(),
        "nhs_number_format"
    );
}
