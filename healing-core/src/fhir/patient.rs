//! `Patient` resources: the identified one for care (NHS number, UK Core) and the
//! pseudonymised one for research (keyed pseudonym, year of birth only).

use std::fmt;

use fhir_sdk::Date;
use fhir_sdk::r4b::codes::{AdministrativeGender, IdentifierUse, NameUse};
use fhir_sdk::r4b::resources::Patient;
use fhir_sdk::r4b::types::{Coding, HumanName, Identifier, Meta, Reference};
use hmac::{Hmac, KeyInit as _, Mac as _};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::codes::{NHS_NUMBER_SYSTEM, UK_CORE_PATIENT_PROFILE};
use super::model::{hex, is_fhir_id, model, reference};
use super::{Error, NhsNumber};
use crate::ids::PersonId;

/// What a deploying system knows about a patient, for the `Patient` resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientDetails {
    /// The person in our system. It becomes the `Patient.id`, so it must be a
    /// FHIR id (1 to 64 of `A-Z a-z 0-9 - .`).
    pub person: PersonId,
    /// The NHS number, when known.
    pub nhs_number: Option<NhsNumber>,
    /// The official name, when known.
    pub name: Option<PersonName>,
    /// Date of birth, when known.
    pub birth_date: Option<time::Date>,
    /// Administrative gender, when known.
    pub gender: Option<AdministrativeSex>,
}

/// A person's official name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    /// Given names, in order.
    pub given: Vec<String>,
    /// Family name.
    pub family: String,
}

/// FHIR R4 administrative gender (<http://hl7.org/fhir/R4/valueset-administrative-gender.html>):
/// the gender used for administration and record keeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdministrativeSex {
    /// `female`.
    Female,
    /// `male`.
    Male,
    /// `other`.
    Other,
    /// `unknown`.
    Unknown,
}

crate::wire_name::wire_names!(AdministrativeSex {
    Female => "female",
    Male => "male",
    Other => "other",
    Unknown => "unknown",
});

impl From<AdministrativeSex> for AdministrativeGender {
    fn from(sex: AdministrativeSex) -> Self {
        match sex {
            AdministrativeSex::Female => Self::Female,
            AdministrativeSex::Male => Self::Male,
            AdministrativeSex::Other => Self::Other,
            AdministrativeSex::Unknown => Self::Unknown,
        }
    }
}

/// The key for research pseudonyms: HMAC-SHA256 with the caller's secret.
///
/// The same person gets the same pseudonym under the same key, so a researcher
/// can link one person's records across exports, while without the key nobody
/// can go from a pseudonym back to the person or test a guess. Keep the key
/// with the data controller, never with the research data; a new key gives
/// unlinkable pseudonyms. At least 32 bytes of secret are required.
/// `Debug` never shows the secret, and keys are not comparable on purpose.
#[derive(Clone)]
pub struct PseudonymKey {
    keyed_mac: Hmac<Sha256>,
}

/// Domain separation, so a pseudonym can never equal a MAC made with the same
/// secret for another purpose (such as a signature).
const PSEUDONYM_CONTEXT: &[u8] = b"healing fhir research pseudonym v1\0";

impl PseudonymKey {
    /// Smallest secret accepted, in bytes (the HMAC-SHA256 output size).
    pub const MIN_SECRET_LEN: usize = 32;

    /// A pseudonym key from the caller's secret.
    pub fn new(secret: &[u8]) -> Result<Self, Error> {
        if secret.len() < Self::MIN_SECRET_LEN {
            return Err(Error::SecretTooShort {
                len: secret.len(),
                min: Self::MIN_SECRET_LEN,
            });
        }
        let keyed_mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| {
            // HMAC takes keys of any length; keep the error typed all the same.
            Error::SecretTooShort {
                len: secret.len(),
                min: Self::MIN_SECRET_LEN,
            }
        })?;
        Ok(Self { keyed_mac })
    }

    /// The pseudonym of `person`: 64 lower-case hex digits (all 256 bits of the
    /// MAC), which is also a valid FHIR id.
    pub fn pseudonym(&self, person: &PersonId) -> String {
        let mut mac = self.keyed_mac.clone();
        mac.update(PSEUDONYM_CONTEXT);
        mac.update(person.as_str().as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(<redacted>)")
    }
}

/// The identifier system of research pseudonyms.
pub const PSEUDONYM_SYSTEM: &str = "https://healing.example/fhir/Id/research-pseudonym";

/// How exported resources point at their patient: by our person id (care), or
/// by the keyed pseudonym (research), so that no research resource carries the
/// person id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientReference {
    patient_id: String,
}

impl PatientReference {
    /// The identified patient, `Patient/<person id>`.
    pub fn identified(person: &PersonId) -> Result<Self, Error> {
        if !is_fhir_id(person.as_str()) {
            return Err(Error::PersonIdNotFhirId {
                person: person.as_str().to_owned(),
            });
        }
        Ok(Self {
            patient_id: person.as_str().to_owned(),
        })
    }

    /// The pseudonymised patient, `Patient/<pseudonym>`.
    pub fn pseudonymised(person: &PersonId, key: &PseudonymKey) -> Self {
        Self {
            patient_id: key.pseudonym(person),
        }
    }

    /// A reference to a patient id read from a FHIR document (already checked
    /// to be a FHIR id).
    pub(crate) fn from_patient_id(patient_id: String) -> Self {
        Self { patient_id }
    }

    /// The `Patient.id` this reference points at.
    pub fn patient_id(&self) -> &str {
        &self.patient_id
    }

    /// The literal FHIR reference.
    pub(crate) fn to_reference(&self) -> Result<Reference, Error> {
        reference("Patient", &self.patient_id)
    }
}

/// The identified `Patient` for care: id = person id, the NHS number as
/// identifier (system `https://fhir.nhs.uk/Id/nhs-number`), the official name,
/// gender and full birth date, and the UK Core Patient profile in `meta.profile`.
pub fn patient(details: &PatientDetails) -> Result<Patient, Error> {
    let subject = PatientReference::identified(&details.person)?;
    let mut identifiers = Vec::new();
    if let Some(nhs_number) = &details.nhs_number {
        identifiers.push(Some(model(
            "Identifier",
            Identifier::builder()
                .r#use(IdentifierUse::Official)
                .system(NHS_NUMBER_SYSTEM.to_owned())
                .value(nhs_number.as_str().to_owned())
                .build(),
        )?));
    }
    let mut names = Vec::new();
    if let Some(name) = &details.name {
        names.push(Some(model(
            "HumanName",
            HumanName::builder()
                .r#use(NameUse::Official)
                .family(name.family.clone())
                .given(name.given.iter().cloned().map(Some).collect())
                .build(),
        )?));
    }
    let meta = model(
        "Meta",
        Meta::builder()
            .profile(vec![Some(UK_CORE_PATIENT_PROFILE.to_owned())])
            .build(),
    )?;
    let mut builder = Patient::builder()
        .id(subject.patient_id)
        .meta(meta)
        .identifier(identifiers)
        .name(names);
    if let Some(gender) = details.gender {
        builder = builder.gender(gender.into());
    }
    if let Some(birth_date) = details.birth_date {
        builder = builder.birth_date(Date::Date(birth_date));
    }
    model("Patient", builder.build())
}

/// HL7 v3 ObservationValue `PSEUDED` ("pseudonymized"), an R4 security label
/// (<http://hl7.org/fhir/R4/valueset-security-labels.html>).
const V3_OBSERVATION_VALUE: &str = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

/// The pseudonymised `Patient` for research: id and only identifier are the
/// keyed pseudonym, birth date is the year alone (FHIR `date` allows `YYYY`),
/// gender is kept (researchers stratify by it), and there is no name, NHS
/// number or person id. `meta.security` carries `PSEUDED`.
pub fn research_patient(details: &PatientDetails, key: &PseudonymKey) -> Result<Patient, Error> {
    let subject = PatientReference::pseudonymised(&details.person, key);
    let identifier = model(
        "Identifier",
        Identifier::builder()
            .r#use(IdentifierUse::Secondary)
            .system(PSEUDONYM_SYSTEM.to_owned())
            .value(subject.patient_id.clone())
            .build(),
    )?;
    let pseudonymised_label = model(
        "Coding",
        Coding::builder()
            .system(V3_OBSERVATION_VALUE.to_owned())
            .code("PSEUDED".to_owned())
            .display("pseudonymized".to_owned())
            .build(),
    )?;
    let meta = model(
        "Meta",
        Meta::builder()
            .security(vec![Some(pseudonymised_label)])
            .build(),
    )?;
    let mut builder = Patient::builder()
        .id(subject.patient_id)
        .meta(meta)
        .identifier(vec![Some(identifier)]);
    if let Some(gender) = details.gender {
        builder = builder.gender(gender.into());
    }
    if let Some(birth_date) = details.birth_date {
        builder = builder.birth_date(Date::Year(birth_date.year()));
    }
    model("Patient", builder.build())
}
