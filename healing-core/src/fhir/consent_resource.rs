//! The consent ledger as `Consent` resources: one per allowed period of each purpose.

use fhir_sdk::r4b::codes::{ConsentProvisionType, ConsentState};
use fhir_sdk::r4b::resources::{Consent, ConsentPolicy, ConsentProvision};
use fhir_sdk::r4b::types::{Period, Reference};

use super::Error;
use super::codes::{CANONICAL_BASE, CONSENT_SCOPE, LOINC, LOINC_PATIENT_CONSENT, V3_ACT_REASON};
use super::model::{codeable_concept, coding, date_time, derived_id, is_fhir_id, model};
use super::patient::PatientReference;
use crate::consent::{Decision, Ledger, Purpose, RecordedBy};

/// Our code system for consent purposes: the consent module's purpose names
/// (`clinician_sharing`).
pub const CONSENT_PURPOSE_SYSTEM: &str = "https://healing.example/fhir/CodeSystem/consent-purpose";

/// The R4 consent scope (consentscope code system) of a purpose: care is
/// `treatment`, research is `research`, the rest are `patient-privacy`
/// (agreements about who may see or process the person's information).
fn scope(purpose: Purpose) -> (&'static str, &'static str) {
    match purpose {
        Purpose::Care => ("treatment", "Treatment"),
        Purpose::Research => ("research", "Research"),
        Purpose::ClinicianSharing | Purpose::AiChat | Purpose::EmailNotifications => {
            ("patient-privacy", "Privacy Consent")
        }
    }
}

/// The HL7 v3 PurposeOfUse code of a purpose, where one fits: `TREAT`
/// (treatment) and `HRESCH` (healthcare research).
fn purpose_of_use(purpose: Purpose) -> Option<(&'static str, &'static str)> {
    match purpose {
        Purpose::Care => Some(("TREAT", "treatment")),
        Purpose::Research => Some(("HRESCH", "healthcare research")),
        Purpose::ClinicianSharing | Purpose::AiChat | Purpose::EmailNotifications => None,
    }
}

/// Human-readable name of a purpose.
fn purpose_display(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Care => "Care and treatment in the app",
        Purpose::ClinicianSharing => "Sharing entries and scores with the assigned clinician",
        Purpose::AiChat => "Processing messages by the AI chat companion",
        Purpose::Research => "Use of pseudonymised data in research",
        Purpose::EmailNotifications => "Email notifications",
    }
}

/// One `Consent` per allowed period of each purpose in `ledger`, in purpose
/// order then time order.
///
/// A period still open is `active`; one ended by a withdrawal or a re-grant is
/// `inactive`, with `provision.period.end` the instant it ended. `provision` is
/// a `permit` for the purpose (our purpose code, plus HL7 v3 `TREAT` or
/// `HRESCH` where one fits); `policy.uri` names the wording the person was
/// shown (`https://healing.example/fhir/consent-wording/<version>`), which also
/// meets R4's rule that a Consent names a policy; `performer` is the patient,
/// or `Practitioner/<id>` for staff who recorded it on their behalf.
/// Category is LOINC 59284-0 (R4 consent-category value set; unconfirmed:
/// its LOINC display, written here as "Patient Consent").
pub fn consents(ledger: &Ledger, subject: &PatientReference) -> Result<Vec<Consent>, Error> {
    let mut resources = Vec::new();
    for purpose in Purpose::ALL {
        for period in ledger.allowed_periods(purpose) {
            let granting_event = ledger.events().iter().find(|event| {
                event.purpose == purpose
                    && event.decision == Decision::Grant
                    && event.at == period.from
            });
            let performer = match granting_event.map(|event| &event.recorded_by) {
                Some(RecordedBy::Staff(staff)) if is_fhir_id(staff.as_str()) => model(
                    "Reference",
                    Reference::builder()
                        .reference(format!("Practitioner/{}", staff.as_str()))
                        .build(),
                )?,
                Some(RecordedBy::Staff(_)) => model(
                    "Reference",
                    Reference::builder()
                        .r#type("Practitioner".to_owned())
                        .display("Staff member".to_owned())
                        .build(),
                )?,
                Some(RecordedBy::Subject) | None => subject.to_reference()?,
            };
            let mut fhir_period = Period::builder().start(date_time(period.from));
            if let Some(until) = period.until {
                fhir_period = fhir_period.end(date_time(until));
            }
            let mut purposes = vec![Some(coding(
                CONSENT_PURPOSE_SYSTEM,
                purpose.as_str(),
                purpose_display(purpose),
            )?)];
            if let Some((code, display)) = purpose_of_use(purpose) {
                purposes.push(Some(coding(V3_ACT_REASON, code, display)?));
            }
            let provision = model(
                "Consent.provision",
                ConsentProvision::builder()
                    .r#type(ConsentProvisionType::Permit)
                    .period(model("Period", fhir_period.build())?)
                    .purpose(purposes)
                    .build(),
            )?;
            let policy = model(
                "Consent.policy",
                ConsentPolicy::builder()
                    .uri(format!(
                        "{CANONICAL_BASE}/consent-wording/{}",
                        period.wording_version.as_str()
                    ))
                    .build(),
            )?;
            let (scope_code, scope_display) = scope(purpose);
            let status = if period.until.is_some() {
                ConsentState::Inactive
            } else {
                ConsentState::Active
            };
            resources.push(model(
                "Consent",
                Consent::builder()
                    .id(derived_id(&[
                        "Consent",
                        subject.patient_id(),
                        purpose.as_str(),
                        &period.from.to_rfc3339(),
                    ]))
                    .status(status)
                    .scope(codeable_concept(&[(
                        CONSENT_SCOPE,
                        scope_code,
                        scope_display,
                    )])?)
                    .category(vec![Some(codeable_concept(&[(
                        LOINC,
                        LOINC_PATIENT_CONSENT,
                        "Patient Consent",
                    )])?)])
                    .patient(subject.to_reference()?)
                    .date_time(date_time(period.from))
                    .performer(vec![Some(performer)])
                    .policy(vec![Some(policy)])
                    .provision(provision)
                    .build(),
            )?);
        }
    }
    Ok(resources)
}
