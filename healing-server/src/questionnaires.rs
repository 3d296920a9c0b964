//! A completed questionnaire as the server stores it: scored by healing-core and
//! made a record by [`NewAssessment::from_score`]. The assessments route and the
//! `seed-demo` command both come here, so a demo clinic holds exactly what a
//! patient's own submission would.

use healing_core::ids::PersonId;
use healing_core::scoring::{self, Score, ValidatedAnswers};
use healing_core::timestamp::Timestamp;
use healing_store::NewAssessment;

/// Why a completed questionnaire cannot be stored; each message names the
/// instrument or the answer at fault.
#[derive(Debug, thiserror::Error)]
pub enum QuestionnaireError {
    /// The instrument id is not in healing-core's registry.
    #[error("instrument {0:?} is not in the registry")]
    UnknownInstrument(String),
    /// The answers do not fit the instrument (how many, or a value out of range).
    #[error(transparent)]
    InvalidAnswers(#[from] scoring::Error),
    /// The score cannot be kept as a record.
    #[error(transparent)]
    NotStorable(#[from] healing_store::Error),
}

/// Scores `answers` to `instrument_id` and returns the record to store with the
/// score it came from. `answers` holds one value per item in order, `None` for an
/// item the instrument's skip logic left unasked (or a blank it allows).
pub fn score_for_storage(
    patient_id: &PersonId,
    instrument_id: &str,
    answers: &[Option<u8>],
    completed_at: Timestamp,
) -> Result<(NewAssessment, Score), QuestionnaireError> {
    let instrument = scoring::instrument(instrument_id)
        .ok_or_else(|| QuestionnaireError::UnknownInstrument(instrument_id.to_owned()))?;
    let answers = ValidatedAnswers::new(instrument, answers)?;
    let score = scoring::score(&answers);
    let record = NewAssessment::from_score(patient_id.clone(), &answers, &score, completed_at)?;
    Ok((record, score))
}
