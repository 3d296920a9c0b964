//! GAD-7: the Generalized Anxiety Disorder scale.

use super::phq_family::{PHQ_FREQUENCY, PHQ_LICENCE};
use super::{band, clinical_range_from};
use crate::scoring::{
    BandId, Instrument, InstrumentId, Item, Prorating, RecallPeriod, ScoringRule,
};

pub(super) const GAD_ITEM_1: Item = item!(
    1,
    Some("Feeling nervous, anxious or on edge"),
    PHQ_FREQUENCY
);

pub(super) const GAD_ITEM_2: Item = item!(
    2,
    Some("Not being able to stop or control worrying"),
    PHQ_FREQUENCY
);

const GAD7_ITEMS: [Item; 7] = [
    GAD_ITEM_1,
    GAD_ITEM_2,
    item!(
        3,
        Some("Worrying too much about different things"),
        PHQ_FREQUENCY
    ),
    item!(4, Some("Trouble relaxing"), PHQ_FREQUENCY),
    item!(
        5,
        Some("Being so restless that it is hard to sit still"),
        PHQ_FREQUENCY
    ),
    item!(
        6,
        Some("Becoming easily annoyed or irritable"),
        PHQ_FREQUENCY
    ),
    item!(
        7,
        Some("Feeling afraid as if something awful might happen"),
        PHQ_FREQUENCY
    ),
];

/// GAD-7.
///
/// Bands: Spitzer, Kroenke, Williams & Löwe (2006), "A brief measure for
/// assessing generalized anxiety disorder: the GAD-7", Arch Intern Med
/// 166:1092-1097 (cut-points 5, 10, 15). Clinical range (caseness) 8 or more:
/// NHS Talking Therapies Manual. No prorating (unconfirmed, as for the PHQ-9).
pub(super) const GAD7: Instrument = Instrument {
    id: InstrumentId::Gad7,
    version: 1,
    title: "Generalised Anxiety Disorder Assessment (GAD-7)",
    recall_period: RecallPeriod::PastTwoWeeks,
    items: &GAD7_ITEMS,
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[
        band(BandId::Minimal, "Minimal anxiety", 0, 4),
        band(BandId::Mild, "Mild anxiety", 5, 9),
        band(BandId::Moderate, "Moderate anxiety", 10, 14),
        band(BandId::Severe, "Severe anxiety", 15, 21),
    ],
    subscales: &[],
    thresholds: &[clinical_range_from(8)],
    item_flags: &[],
    symptom_pattern: None,
    licence: PHQ_LICENCE,
    source: "Spitzer RL, Kroenke K, Williams JBW, Löwe B. The GAD-7. Arch Intern Med 2006;166:1092-1097. NHS Talking Therapies Manual (caseness 8).",
};
