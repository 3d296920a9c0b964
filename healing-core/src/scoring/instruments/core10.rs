//! CORE-10: the short measure of psychological distress.

use super::{FOUR_TO_ZERO, ZERO_TO_FOUR, band, clinical_range_from, self_harm_item};
use crate::scoring::{
    BandId, Instrument, InstrumentId, Keying, Prorating, RecallPeriod, Requirement, ScoringRule,
};

/// CORE-10: 10 items scored 0-4, total ("clinical score") 0-40.
///
/// Items 2 and 3 are positively worded ("someone to turn to", "able to cope")
/// and so reverse keyed: their options score 4 down to 0. Item 6 is the risk
/// item (plans to end one's life) and raises `self_harm_thoughts` above 0.
///
/// Clinical cut-off 11: Barkham et al. (2013), "The CORE-10: a short measure
/// of psychological distress for routine use in the psychological therapies",
/// Couns Psychother Res 13:3-13. Bands (10 or less non-clinical, 11-14 mild,
/// 15-19 moderate, 20-24 moderate-to-severe, 25+ severe) follow the CORE
/// practice guide as reproduced by secondary sources (unconfirmed against
/// Connell & Barkham, CORE-10 User Manual v1.0, 2007, figure 1). One missing
/// item may be prorated (CORE System Trust, "What's in a name (1): scoring
/// CORE measures"); Healing never prorates the risk item 6.
pub(super) const CORE10: Instrument = Instrument {
    id: InstrumentId::Core10,
    version: 1,
    title: "Clinical Outcomes in Routine Evaluation (CORE-10)",
    recall_period: RecallPeriod::PastWeek,
    items: &[
        item!(
            1,
            None,
            ZERO_TO_FOUR,
            Keying::Forward,
            Requirement::Proratable
        ),
        item!(
            2,
            None,
            FOUR_TO_ZERO,
            Keying::Reversed,
            Requirement::Proratable
        ),
        item!(
            3,
            None,
            FOUR_TO_ZERO,
            Keying::Reversed,
            Requirement::Proratable
        ),
        item!(
            4,
            None,
            ZERO_TO_FOUR,
            Keying::Forward,
            Requirement::Proratable
        ),
        item!(
            5,
            None,
            ZERO_TO_FOUR,
            Keying::Forward,
            Requirement::Proratable
        ),
        item!(
            6,
            None,
            ZERO_TO_FOUR,
            Keying::Forward,
            Requirement::Required
        ),
        item!(
            7,
            None,
            ZERO_TO_FOUR,
            Keying::Forward,
            Requirement::Proratable
        ),
        item!(
            8,
            None,
            ZERO_TO_FOUR,
            Keying::Forward,
            Requirement::Proratable
        ),
        item!(
            9,
            None,
            ZERO_TO_FOUR,
            Keying::Forward,
            Requirement::Proratable
        ),
        item!(
            10,
            None,
            ZERO_TO_FOUR,
            Keying::Forward,
            Requirement::Proratable
        ),
    ],
    scoring: ScoringRule::Sum,
    prorating: Prorating::UpTo { max_missing: 1 },
    bands: &[
        band(BandId::NonClinical, "Healthy or low-level problems", 0, 10),
        band(BandId::Mild, "Mild psychological distress", 11, 14),
        band(BandId::Moderate, "Moderate psychological distress", 15, 19),
        band(
            BandId::ModeratelySevere,
            "Moderate-to-severe psychological distress",
            20,
            24,
        ),
        band(BandId::Severe, "Severe psychological distress", 25, 40),
    ],
    subscales: &[],
    thresholds: &[clinical_range_from(11)],
    item_flags: &[self_harm_item(6)],
    symptom_pattern: None,
    licence: "Copyright CORE System Trust. Free to copy unchanged on paper; electronic reproduction needs the Trust's permission, so item text is left to the deploying service.",
    source: "Barkham M et al. The CORE-10. Couns Psychother Res 2013;13:3-13. Connell J, Barkham M. CORE-10 User Manual v1.0, 2007.",
};
