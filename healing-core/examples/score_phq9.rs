//! Scores one PHQ-9 and prints the result: the library's main job until the server exists.
//!
//! Run with `cargo run -p healing-core --example score_phq9`.
#![expect(
    clippy::print_stdout,
    reason = "an example prints its result for a person to read"
)]

use healing_core::scoring::{self, Completeness, Flag, ValidatedAnswers};

fn main() -> Result<(), scoring::Error> {
    let phq9 = scoring::InstrumentId::Phq9.instrument();
    // One answer value per item, as the patient ticked them.
    let answers = [2, 2, 1, 2, 1, 1, 2, 1, 1];

    println!("{} (definition version {})", phq9.title, phq9.version);
    for (item, value) in phq9.items.iter().zip(answers) {
        let label = item
            .options
            .iter()
            .find(|option| option.value == value)
            .and_then(|option| option.label)
            .unwrap_or("?");
        println!(
            "  {:>2}. {}: {} ({label})",
            item.number,
            item.text.unwrap_or(item.label),
            value
        );
    }

    let result = scoring::score(&ValidatedAnswers::complete(phq9, &answers)?);

    println!();
    if let Some(total) = result.total {
        let maximum: u16 = phq9
            .items
            .iter()
            .map(|item| u16::from(item.maximum_value()))
            .sum();
        println!("Total: {total} of {maximum}");
    }
    if let Some(band) = &result.band {
        println!("Band: {} ({:?})", band.label, band.id);
    }
    if let Completeness::Prorated { missing } = result.completeness {
        println!("Prorated over {missing} blank item(s)");
    }
    if result.flags.is_empty() {
        println!("Flags: none");
    }
    for flag in &result.flags {
        match flag {
            Flag::SelfHarmThoughts { item, answer } => {
                println!(
                    "FLAG: item {item} answered {answer}: thoughts of self-harm; route to a clinician whatever the total"
                )
            }
            Flag::ClinicalRange => {
                println!("Flag: in the clinical range (NHS Talking Therapies caseness)")
            }
            other => println!("Flag: {other:?}"),
        }
    }
    println!();
    println!(
        "As JSON: {}",
        serde_json::to_string(&result).unwrap_or_default()
    );
    Ok(())
}
