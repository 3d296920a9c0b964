//! SPIN: the Social Phobia Inventory.

use super::{ZERO_TO_FOUR, clinical_range_from};
use crate::scoring::{
    Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule, Subscale, SubscaleId,
};

/// SPIN: 17 items scored 0-4, total 0-68.
///
/// Subscales fear (1, 3, 5, 10, 14, 15), avoidance (4, 6, 8, 9, 11, 12, 16)
/// and physiological arousal (2, 7, 13, 17): Connor et al. (2000),
/// "Psychometric properties of the Social Phobia Inventory (SPIN)", Br J
/// Psychiatry 176:379-386 (subscale items recalled, unconfirmed in this
/// session). Clinical range 19 or more: Connor et al. 2000 and NHS Talking
/// Therapies caseness (unconfirmed in this session).
pub(super) const SPIN: Instrument = Instrument {
    id: InstrumentId::Spin,
    version: 1,
    title: "Social Phobia Inventory (SPIN)",
    recall_period: RecallPeriod::PastWeek,
    items: &items_without_text!(ZERO_TO_FOUR; 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17),
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[
        Subscale {
            id: SubscaleId::Fear,
            label: "Fear",
            items: &[1, 3, 5, 10, 14, 15],
        },
        Subscale {
            id: SubscaleId::Avoidance,
            label: "Avoidance",
            items: &[4, 6, 8, 9, 11, 12, 16],
        },
        Subscale {
            id: SubscaleId::PhysiologicalArousal,
            label: "Physiological arousal",
            items: &[2, 7, 13, 17],
        },
    ],
    thresholds: &[clinical_range_from(19)],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright Jonathan R.T. Davidson. Item text is left to the deploying service.",
    source: "Connor KM et al. Br J Psychiatry 2000;176:379-386. NHS Talking Therapies Manual (caseness).",
};
