//! GAD-2: the two-item anxiety screener.

use super::gad7::{GAD_ITEM_1, GAD_ITEM_2};
use super::phq_family::PHQ_LICENCE;
use super::screen_positive_from;
use crate::scoring::{Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule};

/// GAD-2: the first two GAD-7 items.
///
/// Screen positive at 3 or more: Kroenke, Spitzer, Williams, Monahan & Löwe
/// (2007), Ann Intern Med 146:317-325.
pub(super) const GAD2: Instrument = Instrument {
    id: InstrumentId::Gad2,
    version: 1,
    title: "Generalised Anxiety Disorder Assessment (GAD-2)",
    recall_period: RecallPeriod::PastTwoWeeks,
    items: &[GAD_ITEM_1, GAD_ITEM_2],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[screen_positive_from(3)],
    item_flags: &[],
    symptom_pattern: None,
    licence: PHQ_LICENCE,
    source: "Kroenke K, Spitzer RL, Williams JBW, Monahan PO, Löwe B. Anxiety disorders in primary care. Ann Intern Med 2007;146:317-325.",
};
