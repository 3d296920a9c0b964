//! EPDS: the Edinburgh Postnatal Depression Scale.

use super::{THREE_TO_ZERO, ZERO_TO_THREE, band, self_harm_item};
use crate::scoring::{
    BandId, Instrument, InstrumentId, Keying, Prorating, RecallPeriod, Requirement, ScoringRule,
};

/// EPDS: 10 items scored 0-3, total 0-30.
///
/// Items 3 and 5-10 are reverse keyed: their options, in the order shown,
/// score 3, 2, 1, 0. Item 10 (thoughts of harming oneself) above 0 raises
/// `self_harm_thoughts` whatever the total.
///
/// Bands: Cox, Holden & Sagovsky (1987), "Detection of postnatal depression.
/// Development of the 10-item Edinburgh Postnatal Depression Scale", Br J
/// Psychiatry 150:782-786: 12/13 threshold for probable depression and 9/10
/// to reduce missed cases, hence below 10, 10-12 possible and 13+ probable.
pub(super) const EPDS: Instrument = Instrument {
    id: InstrumentId::Epds,
    version: 1,
    title: "Edinburgh Postnatal Depression Scale (EPDS)",
    recall_period: RecallPeriod::PastWeek,
    items: &[
        item!(1, None, ZERO_TO_THREE),
        item!(2, None, ZERO_TO_THREE),
        item!(
            3,
            None,
            THREE_TO_ZERO,
            Keying::Reversed,
            Requirement::Required
        ),
        item!(4, None, ZERO_TO_THREE),
        item!(
            5,
            None,
            THREE_TO_ZERO,
            Keying::Reversed,
            Requirement::Required
        ),
        item!(
            6,
            None,
            THREE_TO_ZERO,
            Keying::Reversed,
            Requirement::Required
        ),
        item!(
            7,
            None,
            THREE_TO_ZERO,
            Keying::Reversed,
            Requirement::Required
        ),
        item!(
            8,
            None,
            THREE_TO_ZERO,
            Keying::Reversed,
            Requirement::Required
        ),
        item!(
            9,
            None,
            THREE_TO_ZERO,
            Keying::Reversed,
            Requirement::Required
        ),
        item!(
            10,
            None,
            THREE_TO_ZERO,
            Keying::Reversed,
            Requirement::Required
        ),
    ],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[
        band(BandId::BelowThreshold, "Below screening threshold", 0, 9),
        band(BandId::PossibleDepression, "Possible depression", 10, 12),
        band(BandId::ProbableDepression, "Probable depression", 13, 30),
    ],
    subscales: &[],
    thresholds: &[],
    item_flags: &[self_harm_item(10)],
    symptom_pattern: None,
    licence: "Copyright Royal College of Psychiatrists 1987. Reproduction in electronic systems is restricted, so item text is left to the deploying service.",
    source: "Cox JL, Holden JM, Sagovsky R. Br J Psychiatry 1987;150:782-786.",
};
