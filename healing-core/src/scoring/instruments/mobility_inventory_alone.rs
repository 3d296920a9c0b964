//! Mobility Inventory for agoraphobia, avoidance when alone.

use super::ONE_TO_FIVE;
use crate::scoring::{
    CutOff, Instrument, InstrumentId, Prorating, RecallPeriod, Requirement, ScoringRule, Threshold,
    ThresholdKind,
};

/// Mobility Inventory, avoidance when alone: 27 situations rated 1-5.
///
/// The result is the mean rating of the situations answered; situations that
/// do not apply are left blank, and more than five blanks make the result
/// invalid. Clinical range: a mean above 2.3. Both rules: NHS Data Dictionary,
/// "Agoraphobia Mobility Inventory Questionnaire". Chambless et al. (1985),
/// Behav Res Ther 23:35-44.
pub(super) const MOBILITY_INVENTORY_ALONE: Instrument = Instrument {
    id: InstrumentId::MobilityInventoryAlone,
    version: 1,
    title: "Mobility Inventory for Agoraphobia (avoidance when alone)",
    recall_period: RecallPeriod::Current,
    items: &{
        let mut items = items_without_text!(ONE_TO_FIVE;
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
        let mut index = 0;
        while index < items.len() {
            items[index].requirement = Requirement::Optional;
            index += 1;
        }
        items
    },
    scoring: ScoringRule::MeanOfAnswered { max_blank: 5 },
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[Threshold {
        kind: ThresholdKind::ClinicalRange,
        cut_off: CutOff::MeanAbove { hundredths: 230 },
    }],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright Dianne L. Chambless; free for clinical and research use, not for publication. Item text is left to the deploying service.",
    source: "Chambless DL et al. Behav Res Ther 1985;23:35-44. NHS Data Dictionary: Agoraphobia Mobility Inventory Questionnaire.",
};
