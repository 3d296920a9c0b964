//! Throughput and memory of the FHIR Bulk Data export: a year of daily data
//! for many patients, streamed as NDJSON to `std::io::sink()`.
//!
//! ```sh
//! cargo bench -p healing-core --features fhir --bench fhir -- --patients 1000
//! /usr/bin/time -v target/release/deps/fhir-<hash> --patients 100   # peak RSS
//! ```
//!
//! Per patient: one `Patient`, 365 daily mood `Observation`s, and a PHQ-9 and a
//! GAD-7 every 14 days (27 each), each as a `QuestionnaireResponse` plus a score
//! `Observation`: 474 resources. Resources are built and written one at a
//! time, so memory should not grow with the number of patients; compare the
//! peak RSS of 100 and 1,000 patients to check.

use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

use healing_core::fhir::fhir_sdk::r4b::resources::Resource;
use healing_core::fhir::{
    self, AdministrativeSex, BulkExport, FreeText, NdjsonSinks, NhsNumber, PatientDetails,
    PatientReference, ResourceKind,
};
use healing_core::ids::PersonId;
use healing_core::mood::MoodEntry;
use healing_core::scoring::{self, ValidatedAnswers};
use healing_core::timestamp::Timestamp;

/// Every kind goes to the same sink, which counts the bytes it swallows.
struct SinkCounting {
    sink: std::io::Sink,
    bytes: u64,
}

impl Write for SinkCounting {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.bytes += buffer.len() as u64;
        self.sink.write(buffer)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl NdjsonSinks for SinkCounting {
    fn sink(&mut self, _kind: ResourceKind) -> std::io::Result<&mut dyn Write> {
        Ok(self)
    }
}

/// A valid NHS number in the 999 test range for patient `index`.
fn test_nhs_number(index: u32) -> NhsNumber {
    (0..)
        .find_map(|offset: u32| {
            let first_nine = format!("999{:06}", (index * 7 + offset) % 1_000_000);
            (0..10).find_map(|check| NhsNumber::parse(&format!("{first_nine}{check}")).ok())
        })
        .expect("some number in the range is valid")
}

fn export_patient(
    export: &mut BulkExport<SinkCounting>,
    index: u32,
    start: Timestamp,
) -> Result<(), Box<dyn std::error::Error>> {
    let person = PersonId::new(format!("bench-patient-{index}"))?;
    let subject = PatientReference::identified(&person)?;
    let details = PatientDetails {
        person,
        nhs_number: Some(test_nhs_number(index)),
        name: None,
        birth_date: Some(time::macros::date!(1980 - 01 - 01)),
        gender: Some(AdministrativeSex::Unknown),
    };
    export.write(&Resource::from(fhir::patient(&details)?))?;
    let phq9 = scoring::instrument("phq9").ok_or("phq9")?;
    let gad7 = scoring::instrument("gad7").ok_or("gad7")?;
    for day in 0..365u32 {
        let recorded = start
            .checked_add_seconds(i64::from(day) * 86_400)
            .ok_or("date out of range")?;
        let mood = 1 + ((index + day) % 10) as u8;
        let entry = MoodEntry::new(recorded.date(), recorded, mood)?;
        export.write(&Resource::from(fhir::mood_observation(
            &entry,
            &subject,
            FreeText::Omit,
        )?))?;
        if day % 14 == 0 {
            let value = ((index + day) % 4) as u8;
            for answers in [
                ValidatedAnswers::complete(phq9, &[value; 9])?,
                ValidatedAnswers::complete(gad7, &[value; 7])?,
            ] {
                let score = scoring::score(&answers);
                let (response, observation) =
                    fhir::completed_instrument(&answers, &score, &subject, recorded)?;
                export.write(&Resource::from(response))?;
                export.write(&Resource::from(observation))?;
            }
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arguments: Vec<String> = std::env::args().collect();
    let patients: u32 = arguments
        .iter()
        .position(|argument| argument == "--patients")
        .and_then(|position| arguments.get(position + 1))
        .map(|count| count.parse())
        .transpose()?
        .unwrap_or(1_000);
    let start = Timestamp::parse_rfc3339("2025-01-01T20:00:00Z")?;
    let mut export = BulkExport::new(SinkCounting {
        sink: std::io::sink(),
        bytes: 0,
    });
    let began = Instant::now();
    for index in 0..patients {
        export_patient(&mut export, index, start)?;
    }
    let resources: u64 = ResourceKind::ALL
        .iter()
        .map(|kind| export.count(*kind))
        .sum();
    let (sinks, manifest) = export.finish(
        start,
        "https://healing.example/fhir/$export",
        "https://files.example",
    )?;
    let seconds = began.elapsed().as_secs_f64();
    black_box(&manifest);
    eprintln!(
        "fhir bulk export: {patients} patients, {resources} resources, {:.1} MB NDJSON in {seconds:.2} s: {:.0} resources/s",
        sinks.bytes as f64 / 1e6,
        resources as f64 / seconds
    );
    Ok(())
}
