//! WSAS: the Work and Social Adjustment Scale.

use super::{ZERO_TO_EIGHT, band};
use crate::scoring::{BandId, Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule};

/// Work and Social Adjustment Scale: 5 items scored 0-8, total 0-40.
///
/// Bands: Mundt, Marks, Shear & Greist (2002), "The Work and Social Adjustment
/// Scale: a simple measure of impairment in functioning", Br J Psychiatry
/// 180:461-464: above 20 moderately severe or worse, 10-20 significant
/// functional impairment, below 10 subclinical. No prorating: the handling of
/// item 1 (work) for retired respondents could not be confirmed, so every item
/// is required (unconfirmed).
pub(super) const WSAS: Instrument = Instrument {
    id: InstrumentId::Wsas,
    version: 1,
    title: "Work and Social Adjustment Scale (WSAS)",
    recall_period: RecallPeriod::Current,
    items: &items_without_text!(ZERO_TO_EIGHT; 1, 2, 3, 4, 5),
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[
        band(BandId::Subclinical, "Subclinical", 0, 9),
        band(
            BandId::SignificantImpairment,
            "Significant functional impairment",
            10,
            20,
        ),
        band(
            BandId::ModeratelySevereImpairment,
            "Moderately severe impairment or worse",
            21,
            40,
        ),
    ],
    subscales: &[],
    thresholds: &[],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Marks IM (1986). Reproduction terms for electronic use unconfirmed: item text and anchor labels are left to the deploying service.",
    source: "Mundt JC, Marks IM, Shear MK, Greist JM. The Work and Social Adjustment Scale. Br J Psychiatry 2002;180:461-464.",
};
