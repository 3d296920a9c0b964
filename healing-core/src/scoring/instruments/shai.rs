//! SHAI: the Short Health Anxiety Inventory.

use super::{ZERO_TO_THREE, clinical_range_from};
use crate::scoring::{
    Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule, Subscale, SubscaleId,
};

/// Short Health Anxiety Inventory (HAI-18): 18 items, total 0-54.
///
/// Each item offers four statements (a-d) and the respondent picks one;
/// they score 0, 1, 2 and 3 in the order shown, so answers are submitted as
/// 0-3. Items 1-14 form the main section (illness likelihood) and items
/// 15-18 the negative consequences of illness: Salkovskis, Rimes, Warwick &
/// Clark (2002), Psychol Med 32:843-853. Clinical range 18 or more: NHS
/// Talking Therapies caseness (reported by secondary sources; unconfirmed
/// against the Manual). Unconfirmed: whether a respondent who marks two
/// statements of one item should be scored at the higher; Healing accepts one
/// value per item only.
pub(super) const SHAI: Instrument = Instrument {
    id: InstrumentId::Shai,
    version: 1,
    title: "Short Health Anxiety Inventory (HAI-18)",
    recall_period: RecallPeriod::PastSixMonths,
    items: &items_without_text!(ZERO_TO_THREE; 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18),
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[
        Subscale {
            id: SubscaleId::IllnessLikelihood,
            label: "Illness likelihood (main section)",
            items: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
        },
        Subscale {
            id: SubscaleId::NegativeConsequences,
            label: "Negative consequences",
            items: &[15, 16, 17, 18],
        },
    ],
    thresholds: &[clinical_range_from(18)],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright Paul M. Salkovskis and colleagues. Item statements are left to the deploying service.",
    source: "Salkovskis PM, Rimes KA, Warwick HMC, Clark DM. Psychol Med 2002;32:843-853.",
};
