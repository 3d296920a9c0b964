//! PHQ-9: the Patient Health Questionnaire depression scale.

use super::phq_family::{PHQ_FREQUENCY, PHQ_LICENCE};
use super::{band, clinical_range_from, self_harm_item};
use crate::scoring::{
    BandId, Instrument, InstrumentId, Item, Prorating, RecallPeriod, ScoringRule,
};

pub(super) const PHQ_ITEM_1: Item = item!(
    1,
    Some("Little interest or pleasure in doing things"),
    PHQ_FREQUENCY
);

pub(super) const PHQ_ITEM_2: Item = item!(
    2,
    Some("Feeling down, depressed, or hopeless"),
    PHQ_FREQUENCY
);

const PHQ9_ITEMS: [Item; 9] = [
    PHQ_ITEM_1,
    PHQ_ITEM_2,
    item!(
        3,
        Some("Trouble falling or staying asleep, or sleeping too much"),
        PHQ_FREQUENCY
    ),
    item!(
        4,
        Some("Feeling tired or having little energy"),
        PHQ_FREQUENCY
    ),
    item!(5, Some("Poor appetite or overeating"), PHQ_FREQUENCY),
    item!(
        6,
        Some(
            "Feeling bad about yourself - or that you are a failure or have let yourself or your family down"
        ),
        PHQ_FREQUENCY
    ),
    item!(
        7,
        Some(
            "Trouble concentrating on things, such as reading the newspaper or watching television"
        ),
        PHQ_FREQUENCY
    ),
    item!(
        8,
        Some(
            "Moving or speaking so slowly that other people could have noticed? Or the opposite - being so fidgety or restless that you have been moving around a lot more than usual"
        ),
        PHQ_FREQUENCY
    ),
    item!(
        9,
        Some("Thoughts that you would be better off dead or of hurting yourself in some way"),
        PHQ_FREQUENCY
    ),
];

/// PHQ-9.
///
/// Bands: Kroenke, Spitzer & Williams (2001), "The PHQ-9: validity of a brief
/// depression severity measure", J Gen Intern Med 16:606-613 (cut-points 5, 10,
/// 15, 20). Clinical range (caseness) 10 or more: NHS Talking Therapies Manual
/// (caseness thresholds for recovery). Item 9 above 0 raises
/// `self_harm_thoughts` whatever the total.
///
/// No prorating: the PHQ instruction manual's missing-item rule could not be
/// confirmed in this session (unconfirmed: whether and how many items may be
/// prorated), so every item is required, and item 9 must never be prorated.
pub(super) const PHQ9: Instrument = Instrument {
    id: InstrumentId::Phq9,
    version: 1,
    title: "Patient Health Questionnaire (PHQ-9)",
    recall_period: RecallPeriod::PastTwoWeeks,
    items: &PHQ9_ITEMS,
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[
        band(BandId::Minimal, "Minimal depression", 0, 4),
        band(BandId::Mild, "Mild depression", 5, 9),
        band(BandId::Moderate, "Moderate depression", 10, 14),
        band(
            BandId::ModeratelySevere,
            "Moderately severe depression",
            15,
            19,
        ),
        band(BandId::Severe, "Severe depression", 20, 27),
    ],
    subscales: &[],
    thresholds: &[clinical_range_from(10)],
    item_flags: &[self_harm_item(9)],
    symptom_pattern: None,
    licence: PHQ_LICENCE,
    source: "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9. J Gen Intern Med 2001;16:606-613. NHS Talking Therapies Manual (caseness 10).",
};
