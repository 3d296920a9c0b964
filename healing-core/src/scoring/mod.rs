//! Validated questionnaires: a registry of instruments (PHQ-9, GAD-7, CORE-10,
//! the NHS Talking Therapies anxiety-disorder measures, AUDIT, EPDS, C-SSRS
//! screener and more) as serialisable data, and scoring of answers into
//! totals, severity bands, subscales and safety flags.
//!
//! The flow is parse, then score:
//!
//! 1. Look an instrument up: [`instrument`] by id string, [`InstrumentId::instrument`],
//!    or list them all with [`instruments`]. Render a form from its [`Item`]s.
//! 2. Check the answers once with [`ValidatedAnswers::new`] (blanks allowed as
//!    `None`) or [`ValidatedAnswers::complete`]. Every problem is a typed
//!    [`Error`] naming the instrument and the 1-based item.
//! 3. [`score`] the validated answers. This cannot fail. The [`Score`] records
//!    the instrument id and definition version used, the total, any derived
//!    decimal (held as exact hundredths), the band, subscales and [`Flag`]s.
//!
//! Clinical safety: a [`Flag::SelfHarmThoughts`] or [`Flag::SuicideRisk`] flag
//! must be routed to a clinician whatever the total
//! ([`Score::needs_clinician_review`]). Risk items are never prorated.
//!
//! ```
//! use healing_core::scoring::{self, BandId, Flag, ValidatedAnswers};
//!
//! let phq9 = scoring::instrument("phq9").expect("phq9 is in the registry");
//! let answers = ValidatedAnswers::complete(phq9, &[2, 2, 1, 2, 1, 1, 2, 1, 1])?;
//! let result = scoring::score(&answers);
//!
//! assert_eq!(result.total, Some(13));
//! assert_eq!(result.band.as_ref().map(|band| band.id), Some(BandId::Moderate));
//! assert_eq!(result.flags[0], Flag::SelfHarmThoughts { item: 9, answer: 1 });
//! assert!(result.needs_clinician_review());
//! # Ok::<(), scoring::Error>(())
//! ```
//!
#![doc = include_str!("README.md")]

mod error;
mod instruments;
mod model;
mod score;
mod validate;

#[cfg(test)]
mod tests;

pub use error::Error;
pub use model::{
    AnswerOption, Band, BandId, CutOff, Instrument, InstrumentId, Item, ItemFlagKind, ItemFlagRule,
    Keying, MAX_ITEMS, Prorating, RecallPeriod, Requirement, ScoringRule, Subscale, SubscaleId,
    SubscaleMinimum, SymptomPatternRule, Threshold, ThresholdKind,
};
pub use score::{
    Completeness, DerivedValue, Flag, Score, ScoredBand, SubscaleScore, SuicideRiskLevel, score,
    score_answers,
};
pub use validate::ValidatedAnswers;

/// Every instrument in the registry, in a stable order.
pub fn instruments() -> &'static [&'static Instrument] {
    static REGISTRY: [&Instrument; 19] = instruments::REGISTRY;
    &REGISTRY
}

/// The instrument with this stable id (`"phq9"`, `"audit_c"`), if there is one.
pub fn instrument(id: &str) -> Option<&'static Instrument> {
    instruments()
        .iter()
        .copied()
        .find(|instrument| instrument.id.as_str() == id)
}
