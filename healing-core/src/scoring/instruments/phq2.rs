//! PHQ-2: the two-item depression screener.

use super::phq_family::PHQ_LICENCE;
use super::phq9::{PHQ_ITEM_1, PHQ_ITEM_2};
use super::screen_positive_from;
use crate::scoring::{Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule};

/// PHQ-2: the first two PHQ-9 items.
///
/// Screen positive at 3 or more: Kroenke, Spitzer & Williams (2003), "The
/// Patient Health Questionnaire-2: validity of a two-item depression
/// screener", Med Care 41:1284-1292.
pub(super) const PHQ2: Instrument = Instrument {
    id: InstrumentId::Phq2,
    version: 1,
    title: "Patient Health Questionnaire (PHQ-2)",
    recall_period: RecallPeriod::PastTwoWeeks,
    items: &[PHQ_ITEM_1, PHQ_ITEM_2],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[screen_positive_from(3)],
    item_flags: &[],
    symptom_pattern: None,
    licence: PHQ_LICENCE,
    source: "Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2. Med Care 2003;41:1284-1292.",
};
