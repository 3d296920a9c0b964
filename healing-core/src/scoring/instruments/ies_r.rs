//! IES-R: the Impact of Event Scale - Revised.

use super::{ZERO_TO_FOUR, clinical_range_from};
use crate::scoring::{
    Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule, Subscale, SubscaleId,
};

/// IES-R: 22 items scored 0-4, total 0-88.
///
/// Subscales intrusion (1, 2, 3, 6, 9, 14, 16, 20), avoidance (5, 7, 8, 11,
/// 12, 13, 17, 22) and hyperarousal (4, 10, 15, 18, 19, 21): Weiss & Marmar
/// (1997), "The Impact of Event Scale - Revised", in Wilson & Keane (eds),
/// Assessing Psychological Trauma and PTSD. Clinical range 33 or more:
/// Creamer, Bell & Failla (2003), Behav Res Ther 41:1489-1496, as adopted in
/// the IAPT Data Handbook v2.0.1 (subscale items and the 33 cut-off recalled,
/// unconfirmed in this session).
pub(super) const IES_R: Instrument = Instrument {
    id: InstrumentId::IesR,
    version: 1,
    title: "Impact of Event Scale - Revised (IES-R)",
    recall_period: RecallPeriod::PastWeek,
    items: &items_without_text!(ZERO_TO_FOUR;
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22),
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[
        Subscale {
            id: SubscaleId::Intrusion,
            label: "Intrusion",
            items: &[1, 2, 3, 6, 9, 14, 16, 20],
        },
        Subscale {
            id: SubscaleId::Avoidance,
            label: "Avoidance",
            items: &[5, 7, 8, 11, 12, 13, 17, 22],
        },
        Subscale {
            id: SubscaleId::Hyperarousal,
            label: "Hyperarousal",
            items: &[4, 10, 15, 18, 19, 21],
        },
    ],
    thresholds: &[clinical_range_from(33)],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright Daniel S. Weiss. Item text is left to the deploying service.",
    source: "Weiss DS, Marmar CR 1997. Creamer M, Bell R, Failla S. Behav Res Ther 2003;41:1489-1496. IAPT Data Handbook v2.0.1 appendix D.",
};
