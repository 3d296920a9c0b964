//! Small constructors for fhir-sdk data types, so the exporters read as the
//! resources they build, and one place that turns builder failures into [`Error`].

use fhir_sdk::r4b::resources::Resource;
use fhir_sdk::r4b::types::{CodeableConcept, Coding, Reference};
use fhir_sdk::time::OffsetDateTime;
use fhir_sdk::{BuilderError, DateTime, Instant};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::Error;
use crate::timestamp::Timestamp;

/// The result of a fhir-sdk builder, with a failure turned into [`Error::Model`].
///
/// Builders fail only when a required element was not set, which is a bug in
/// this module (the tests build every resource kind), never bad input.
pub(crate) fn model<T>(element: &'static str, built: Result<T, BuilderError>) -> Result<T, Error> {
    built.map_err(|error| Error::Model {
        element,
        message: error.to_string(),
    })
}

/// A `Coding` with system, code and display.
pub(crate) fn coding(system: &str, code: &str, display: &str) -> Result<Coding, Error> {
    model(
        "Coding",
        Coding::builder()
            .system(system.to_owned())
            .code(code.to_owned())
            .display(display.to_owned())
            .build(),
    )
}

/// A `CodeableConcept` holding one coding per `(system, code, display)`.
pub(crate) fn codeable_concept(codings: &[(&str, &str, &str)]) -> Result<CodeableConcept, Error> {
    let codings = codings
        .iter()
        .map(|(system, code, display)| coding(system, code, display).map(Some))
        .collect::<Result<Vec<_>, Error>>()?;
    model(
        "CodeableConcept",
        CodeableConcept::builder().coding(codings).build(),
    )
}

/// `timestamp` as a FHIR `instant` (`2026-03-01T09:30:00Z`).
pub(crate) fn instant(timestamp: Timestamp) -> Instant {
    // Every Timestamp was built from a valid unix time, so this conversion
    // succeeds; the epoch fallback only keeps the function total.
    Instant(
        OffsetDateTime::from_unix_timestamp(timestamp.unix_seconds())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
    )
}

/// `timestamp` as a FHIR `dateTime` with time and zone.
pub(crate) fn date_time(timestamp: Timestamp) -> DateTime {
    DateTime::DateTime(instant(timestamp))
}

/// A literal reference `Type/id`.
pub(crate) fn reference(resource_type: &str, id: &str) -> Result<Reference, Error> {
    model(
        "Reference",
        Reference::builder()
            .reference(format!("{resource_type}/{id}"))
            .build(),
    )
}

/// A literal reference to `resource`, which must have an id.
pub(crate) fn reference_to(resource: &Resource) -> Result<Reference, Error> {
    let resource_type = resource.resource_type();
    let id = resource
        .as_base_resource()
        .id()
        .as_deref()
        .ok_or(Error::ResourceWithoutId {
            resource_type: resource_type.as_str(),
        })?;
    reference(resource_type.as_str(), id)
}

/// `resource` as a JSON value, exactly as it is exported.
pub(crate) fn resource_json(resource: &Resource) -> Result<Value, Error> {
    serde_json::to_value(resource).map_err(|error| Error::Json {
        message: error.to_string(),
    })
}

/// A FHIR id derived from `parts`: the first 32 hex digits (128 bits) of
/// SHA-256 over the parts, each followed by a 0 byte so `("ab", "c")` and
/// `("a", "bc")` differ. Exporting the same facts twice gives the same id, so
/// loading an export into a server twice (transaction `PUT`) updates rather
/// than duplicates. Not a pseudonym: anyone holding the parts can recompute it.
pub(crate) fn derived_id(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    // A SHA-256 digest is 32 bytes, so its first 16 always exist.
    hex(&hasher.finalize()[..16])
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        // Both nibbles are below 16, the length of DIGITS.
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Whether `text` is a FHIR id: 1 to 64 of `A-Z a-z 0-9 - .` (R4 datatypes §2.24.0.1).
pub(crate) fn is_fhir_id(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.')
}
