//! SWEMWBS: the Short Warwick-Edinburgh Mental Wellbeing Scale.

use super::ONE_TO_FIVE;
use crate::scoring::{Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule};

/// SWEMWBS raw total (7-35) to metric score, in hundredths.
///
/// Transcribed from the Warwick Medical School SWEMWBS conversion table
/// (Stewart-Brown et al. 2009, Rasch-based); cross-checked against two
/// independent public transcriptions.
const SWEMWBS_METRIC_HUNDREDTHS: [u16; 29] = [
    700, 951, 1125, 1240, 1333, 1408, 1475, 1532, 1584, 1636, 1688, 1743, 1798, 1859, 1925, 1998,
    2073, 2154, 2235, 2321, 2411, 2503, 2602, 2703, 2813, 2931, 3070, 3255, 3500,
];

/// SWEMWBS: 7 items scored 1-5, raw total 7-35, reported as the metric score.
///
/// No bands: no published banding of the metric score was confirmed
/// (unconfirmed), so Healing reports the score alone.
pub(super) const SWEMWBS: Instrument = Instrument {
    id: InstrumentId::Swemwbs,
    version: 1,
    title: "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    recall_period: RecallPeriod::PastTwoWeeks,
    items: &items_without_text!(ONE_TO_FIVE; 1, 2, 3, 4, 5, 6, 7),
    scoring: ScoringRule::SumWithConversion {
        lowest_raw_total: 7,
        metric_hundredths: &SWEMWBS_METRIC_HUNDREDTHS,
    },
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright NHS Health Scotland, University of Warwick and University of Edinburgh. Use requires registration with Warwick Medical School, so item text and labels are left to the deploying service.",
    source: "Stewart-Brown S et al. Health Qual Life Outcomes 2009;7:15. Warwick Medical School, SWEMWBS raw-to-metric conversion table.",
};
