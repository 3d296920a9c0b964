//! Writes a synthetic demo patient's FHIR R4 export into a folder:
//! `bundle.json` (a signed `collection` Bundle) and a Bulk Data export
//! (`<Type>.ndjson` files and `manifest.json`).
//!
//! ```sh
//! cargo run -p healing-core --features fhir --example fhir_bundle -- OUT_DIR
//! ```
//!
//! Every value is invented. The NHS number is in the 999 test range, and the
//! signing key is a fixed demo key that must never sign real data.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use healing_core::consent::{ConsentEvent, Decision, Ledger, Purpose, RecordedBy, WordingVersion};
use healing_core::fhir::fhir_sdk::r4b::resources::Resource;
use healing_core::fhir::{
    self, AdministrativeSex, BulkExport, BundleKind, FreeText, NdjsonSinks, NhsNumber,
    PatientDetails, PatientReference, PersonName, ResourceKind, SigningKey,
};
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::safety::{Context, Engine};
use healing_core::scoring::{self, ValidatedAnswers};
use healing_core::timestamp::Timestamp;

type Failure = Box<dyn std::error::Error>;

/// One buffered file per resource kind, created on first use.
struct FileSinks {
    folder: PathBuf,
    files: BTreeMap<ResourceKind, BufWriter<File>>,
}

impl NdjsonSinks for FileSinks {
    fn sink(&mut self, kind: ResourceKind) -> std::io::Result<&mut dyn Write> {
        if !self.files.contains_key(&kind) {
            let file = File::create(self.folder.join(kind.file_name()))?;
            self.files.insert(kind, BufWriter::new(file));
        }
        match self.files.get_mut(&kind) {
            Some(writer) => Ok(writer),
            None => Err(std::io::Error::other("sink vanished")),
        }
    }
}

fn at(text: &str) -> Result<Timestamp, Failure> {
    Ok(Timestamp::parse_rfc3339(text)?)
}

/// The demo patient's resources: Patient, two Questionnaires, fortnightly
/// PHQ-9 and GAD-7 responses with their scores, 28 days of mood, consents and
/// one safety screen.
fn demo_resources(person: &PersonId, subject: &PatientReference) -> Result<Vec<Resource>, Failure> {
    let details = PatientDetails {
        person: person.clone(),
        nhs_number: Some(NhsNumber::parse("999 000 0018")?),
        name: Some(PersonName {
            given: vec!["Alex".to_owned()],
            family: "Example".to_owned(),
        }),
        birth_date: Some(time::macros::date!(1990 - 04 - 12)),
        gender: Some(AdministrativeSex::Female),
    };
    let mut resources: Vec<Resource> = vec![fhir::patient(&details)?.into()];
    let published = at("2026-10-01T00:00:00Z")?;
    let phq9 = scoring::instrument("phq9").ok_or("phq9 missing")?;
    let gad7 = scoring::instrument("gad7").ok_or("gad7 missing")?;
    resources.push(fhir::questionnaire(phq9, published)?.into());
    resources.push(fhir::questionnaire(gad7, published)?.into());
    let visits: [(&str, [u8; 9], [u8; 7]); 3] = [
        (
            "2026-10-02T10:00:00Z",
            [2, 3, 2, 2, 1, 2, 2, 1, 1],
            [2, 2, 3, 2, 1, 2, 1],
        ),
        (
            "2026-10-16T10:00:00Z",
            [2, 2, 1, 2, 1, 1, 2, 1, 0],
            [2, 1, 2, 2, 1, 1, 1],
        ),
        (
            "2026-10-30T10:00:00Z",
            [1, 1, 1, 1, 0, 1, 1, 0, 0],
            [1, 1, 1, 1, 0, 1, 0],
        ),
    ];
    for (when, phq9_values, gad7_values) in visits {
        let authored = at(when)?;
        for answers in [
            ValidatedAnswers::complete(phq9, &phq9_values)?,
            ValidatedAnswers::complete(gad7, &gad7_values)?,
        ] {
            let score = scoring::score(&answers);
            let (response, observation) =
                fhir::completed_instrument(&answers, &score, subject, authored)?;
            resources.push(response.into());
            resources.push(observation.into());
        }
    }
    let first_day = time::macros::date!(2026 - 10 - 02);
    for day_index in 0..28u8 {
        let day = first_day + time::Duration::days(i64::from(day_index));
        let recorded = at(&format!("{day}T21:00:00Z"))?;
        let mood = 3 + (day_index % 5) + day_index / 7;
        let entry = MoodEntry::new(day, recorded, mood.min(10))?.with_sleep(5 + day_index % 4)?;
        resources.push(fhir::mood_observation(&entry, subject, FreeText::Include)?.into());
    }
    let mut ledger = Ledger::new(person.clone());
    for (purpose, wording) in [
        (Purpose::Care, "care-v1"),
        (Purpose::ClinicianSharing, "sharing-v1"),
    ] {
        ledger.append(ConsentEvent {
            person: person.clone(),
            purpose,
            decision: Decision::Grant,
            at: at("2026-10-01T09:00:00Z")?,
            wording_version: WordingVersion::new(wording)?,
            recorded_by: RecordedBy::Subject,
        })?;
    }
    for consent in fhir::consents(&ledger, subject)? {
        resources.push(consent.into());
    }
    let assessment =
        Engine::standard()?.assess("I wish I could sleep and not wake up", &Context::default());
    let alert = fhir::safety_alert(
        &assessment,
        subject,
        at("2026-10-20T23:10:00Z")?,
        None,
        FreeText::Include,
    )?;
    resources.push(alert.risk_assessment.into());
    resources.extend(alert.flag.map(Resource::from));
    Ok(resources)
}

fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), Failure> {
    let mut file = BufWriter::new(File::create(path)?);
    serde_json::to_writer_pretty(&mut file, value)?;
    file.write_all(b"\n")?;
    file.flush()?;
    Ok(())
}

fn main() -> Result<(), Failure> {
    let folder = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: fhir_bundle OUT_DIR")?,
    );
    std::fs::create_dir_all(&folder)?;
    let person = PersonId::new("demo-patient-1")?;
    let subject = PatientReference::identified(&person)?;
    // A fixed demo key: real deployments load theirs from a secret store.
    let key = SigningKey::hs256(
        "healing-demo-key-2026",
        b"demo key - never use for real data!!",
    )?;
    let exported_at = at("2026-11-27T09:00:00Z")?;

    let mut resources = demo_resources(&person, &subject)?;
    let provenance = fhir::signed_provenance(
        "demo-export-1",
        &resources,
        exported_at,
        "healing-core fhir_bundle example",
        &key,
    )?;
    fhir::verify_provenance(&provenance, &resources, &key)?;
    resources.push(provenance.into());

    let bundle = fhir::bundle(
        BundleKind::Collection,
        "demo-bundle-1",
        exported_at,
        resources.clone(),
    )?;
    write_json(&folder.join("bundle.json"), &bundle)?;

    let mut export = BulkExport::new(FileSinks {
        folder: folder.clone(),
        files: BTreeMap::new(),
    });
    for resource in &resources {
        export.write(resource)?;
    }
    let (_sinks, manifest) = export.finish(
        exported_at,
        "https://healing.example/fhir/Patient/demo-patient-1/$everything",
        "https://files.healing.example/exports/demo-export-1",
    )?;
    write_json(&folder.join("manifest.json"), &manifest)?;
    eprintln!(
        "wrote bundle.json ({} entries), manifest.json and {} NDJSON files to {}",
        resources.len(),
        manifest.output.len(),
        folder.display()
    );
    Ok(())
}
