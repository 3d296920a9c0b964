//! Detached JWS signatures (RFC 7515 Appendix F) over RFC 8785 canonical JSON,
//! and the `Provenance` resource that carries one per export.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fhir_sdk::Base64Binary;
use fhir_sdk::r4b::resources::{Provenance, ProvenanceAgent, Resource};
use fhir_sdk::r4b::types::{Reference, Signature};
use hmac::{Hmac, KeyInit as _, Mac as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use super::Error;
use super::codes::{
    PROVENANCE_PARTICIPANT_TYPE, SIGNATURE_TYPE, SIGNATURE_TYPE_SOURCE, V3_DATA_OPERATION,
};
use super::jcs::canonical_json;
use super::model::{codeable_concept, coding, instant, model, reference_to, resource_json};
use crate::timestamp::Timestamp;

/// The only algorithm supported today: HMAC with SHA-256 (RFC 7518 §3.2).
pub const ALGORITHM_HS256: &str = "HS256";
/// The `sigFormat` of every signature we write (RFC 7515 JOSE).
pub const SIGNATURE_FORMAT: &str = "application/jose";
/// The `targetFormat` of every signature we write: what was canonicalised and signed.
pub const TARGET_FORMAT: &str = "application/fhir+json";

/// An HS256 key with its key id (`kid`), used to sign and verify exports.
///
/// The secret must be at least 32 bytes (RFC 7518 §3.2: an HS256 key "of the
/// same size as the hash output (256 bits) or larger MUST be used"). The
/// secret is kept only inside the keyed HMAC state and is never printed:
/// `Debug` shows the key id alone. Keys are not comparable (`PartialEq`) on
/// purpose, so that no code compares secrets in variable time.
#[derive(Clone)]
pub struct SigningKey {
    key_id: String,
    keyed_mac: Hmac<Sha256>,
}

/// Smallest HS256 secret we accept, in bytes (RFC 7518 §3.2).
pub const MIN_SECRET_LEN: usize = 32;
/// Longest key id we accept, in bytes.
pub const MAX_KEY_ID_LEN: usize = 128;

impl SigningKey {
    /// An HS256 key called `key_id` with the caller's `secret`.
    pub fn hs256(key_id: &str, secret: &[u8]) -> Result<Self, Error> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(Error::SecretTooShort {
                len: secret.len(),
                min: MIN_SECRET_LEN,
            });
        }
        if key_id.is_empty()
            || key_id.len() > MAX_KEY_ID_LEN
            || key_id.chars().any(|character| character.is_control())
        {
            return Err(Error::KeyIdInvalid {
                key_id: key_id.chars().take(MAX_KEY_ID_LEN).collect(),
            });
        }
        let keyed_mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| {
            // HMAC takes keys of any length; keep the error typed all the same.
            Error::SecretTooShort {
                len: secret.len(),
                min: MIN_SECRET_LEN,
            }
        })?;
        Ok(Self {
            key_id: key_id.to_owned(),
            keyed_mac,
        })
    }

    /// The key id written to the JWS header (`kid`).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    fn mac_of(&self, signing_input: &[u8]) -> Vec<u8> {
        let mut mac = self.keyed_mac.clone();
        mac.update(signing_input);
        mac.finalize().into_bytes().to_vec()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.key_id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A JWS in compact serialisation with a detached payload:
/// `BASE64URL(header)..BASE64URL(signature)` (RFC 7515 Appendix F). The payload
/// (the canonical JSON) is not carried; the verifier recomputes it from the
/// resources it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DetachedJws(String);

impl DetachedJws {
    /// Reads a compact detached JWS, e.g. from `Provenance.signature.data`.
    pub fn parse(compact: &str) -> Result<Self, Error> {
        split_detached(compact)?;
        Ok(Self(compact.to_owned()))
    }

    /// The compact serialisation, `header..signature`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The protected header and signature parts of `header..signature`.
fn split_detached(compact: &str) -> Result<(&str, &str), Error> {
    let mut parts = compact.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(header), Some(""), Some(signature), None)
            if !header.is_empty() && !signature.is_empty() =>
        {
            Ok((header, signature))
        }
        _ => Err(Error::SignatureMalformed {
            reason: "expected BASE64URL(header)..BASE64URL(signature) with an empty payload part",
        }),
    }
}

/// The protected header we write: `{"alg":"HS256","kid":...}` in canonical form.
fn protected_header(key: &SigningKey) -> Result<String, Error> {
    let header = serde_json::json!({ "alg": ALGORITHM_HS256, "kid": key.key_id });
    Ok(URL_SAFE_NO_PAD.encode(canonical_json(&header)?))
}

/// `ASCII(BASE64URL(header)) || '.' || BASE64URL(JCS(payload))` (RFC 7515 §5.1).
fn signing_input(encoded_header: &str, payload: &Value) -> Result<String, Error> {
    let canonical = canonical_json(payload)?;
    Ok(format!(
        "{encoded_header}.{}",
        URL_SAFE_NO_PAD.encode(canonical)
    ))
}

/// Signs the RFC 8785 canonical form of `payload`, so any JSON text with the
/// same content (whatever its key order or white space) has the same signature.
pub fn sign_json(payload: &Value, key: &SigningKey) -> Result<DetachedJws, Error> {
    let encoded_header = protected_header(key)?;
    let input = signing_input(&encoded_header, payload)?;
    let signature = URL_SAFE_NO_PAD.encode(key.mac_of(input.as_bytes()));
    Ok(DetachedJws(format!("{encoded_header}..{signature}")))
}

/// Checks that `jws` is `key`'s signature over the canonical form of `payload`.
///
/// Fails with [`Error::SignatureMismatch`] when any value in `payload` differs
/// from what was signed; the comparison runs in constant time.
pub fn verify_json(payload: &Value, jws: &DetachedJws, key: &SigningKey) -> Result<(), Error> {
    let (encoded_header, encoded_signature) = split_detached(jws.as_str())?;
    let header_bytes =
        URL_SAFE_NO_PAD
            .decode(encoded_header)
            .map_err(|_| Error::SignatureMalformed {
                reason: "the protected header is not base64url",
            })?;
    let header: Value =
        serde_json::from_slice(&header_bytes).map_err(|_| Error::SignatureMalformed {
            reason: "the protected header is not a JSON object",
        })?;
    let algorithm = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if algorithm != ALGORITHM_HS256 {
        return Err(Error::SignatureAlgorithm {
            algorithm: algorithm.to_owned(),
        });
    }
    let key_id = header.get("kid").and_then(Value::as_str).unwrap_or("");
    if key_id != key.key_id {
        return Err(Error::SignatureKeyId {
            expected: key.key_id.clone(),
            found: key_id.to_owned(),
        });
    }
    let signature =
        URL_SAFE_NO_PAD
            .decode(encoded_signature)
            .map_err(|_| Error::SignatureMalformed {
                reason: "the signature is not base64url",
            })?;
    let input = signing_input(encoded_header, payload)?;
    let mut mac = key.keyed_mac.clone();
    mac.update(input.as_bytes());
    mac.verify_slice(&signature)
        .map_err(|_| Error::SignatureMismatch)
}

/// The JSON array of `targets`, in order: what a Provenance's signature covers.
fn targets_payload(targets: &[Resource]) -> Result<Value, Error> {
    targets
        .iter()
        .map(resource_json)
        .collect::<Result<Vec<Value>, Error>>()
        .map(Value::Array)
}

/// `agent.type` of the exporting software (provenance-participant-type `author`).
const AUTHOR_TYPE: &str = "author";

/// One `Provenance` for one export: it names every exported resource in
/// `target` (in the order given), records `recorded` as the export time and
/// carries one signature.
///
/// The signature is a detached HS256 JWS over the RFC 8785 canonical JSON of
/// the array of the target resources in `target` order, base64 in
/// `signature.data` with `sigFormat` `application/jose` and `targetFormat`
/// `application/fhir+json`. `exporter` names the software that exported
/// (`agent.who.display` and `signature.who.display`). Targets without an id
/// cannot be referenced and are refused with [`Error::ResourceWithoutId`].
pub fn signed_provenance(
    provenance_id: &str,
    targets: &[Resource],
    recorded: Timestamp,
    exporter: &str,
    key: &SigningKey,
) -> Result<Provenance, Error> {
    let jws = sign_json(&targets_payload(targets)?, key)?;
    let target_references = targets
        .iter()
        .map(|target| reference_to(target).map(Some))
        .collect::<Result<Vec<_>, Error>>()?;
    let exporter_reference = || {
        model(
            "Reference",
            Reference::builder()
                .r#type("Device".to_owned())
                .display(exporter.to_owned())
                .build(),
        )
    };
    let signature = model(
        "Signature",
        Signature::builder()
            .r#type(vec![Some(coding(
                SIGNATURE_TYPE,
                SIGNATURE_TYPE_SOURCE,
                "Source Signature",
            )?)])
            .when(instant(recorded))
            .who(exporter_reference()?)
            .target_format(TARGET_FORMAT.to_owned())
            .sig_format(SIGNATURE_FORMAT.to_owned())
            .data(Base64Binary(jws.0.into_bytes()))
            .build(),
    )?;
    let agent = model(
        "Provenance.agent",
        ProvenanceAgent::builder()
            .r#type(codeable_concept(&[(
                PROVENANCE_PARTICIPANT_TYPE,
                AUTHOR_TYPE,
                "Author",
            )])?)
            .who(exporter_reference()?)
            .build(),
    )?;
    model(
        "Provenance",
        Provenance::builder()
            .id(provenance_id.to_owned())
            .target(target_references)
            .recorded(instant(recorded))
            .activity(codeable_concept(&[(
                V3_DATA_OPERATION,
                "CREATE",
                "create",
            )])?)
            .agent(vec![Some(agent)])
            .signature(vec![Some(signature)])
            .build(),
    )
}

/// Checks the signature a [`signed_provenance`] carries against `targets`, the
/// resources it names, in its `target` order.
///
/// Fails if the Provenance has no signature we can read, if the signature was
/// made with another key, or if any byte of any target's canonical JSON differs
/// from what was signed (changed value, added or removed element, other order
/// of targets). Formatting (key order, white space) does not matter.
pub fn verify_provenance(
    provenance: &Provenance,
    targets: &[Resource],
    key: &SigningKey,
) -> Result<(), Error> {
    let data = provenance
        .signature
        .iter()
        .flatten()
        .find(|signature| signature.sig_format.as_deref() == Some(SIGNATURE_FORMAT))
        .and_then(|signature| signature.data.as_ref())
        .ok_or(Error::SignatureMalformed {
            reason: "the provenance has no application/jose signature with data",
        })?;
    let compact = std::str::from_utf8(&data.0).map_err(|_| Error::SignatureMalformed {
        reason: "the signature data is not UTF-8 text",
    })?;
    let jws = DetachedJws::parse(compact)?;
    verify_json(&targets_payload(targets)?, &jws, key)
}
