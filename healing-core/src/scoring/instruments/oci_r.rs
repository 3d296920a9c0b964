//! OCI-R: the Obsessive-Compulsive Inventory - Revised.

use super::{ZERO_TO_FOUR, clinical_range_from};
use crate::scoring::{
    Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule, Subscale, SubscaleId,
};

/// OCI-R: 18 items scored 0-4, total 0-72, six subscales of 3 items.
///
/// Subscales washing (5, 11, 17), obsessing (6, 12, 18), hoarding (1, 7, 13),
/// ordering (3, 9, 15), checking (2, 8, 14), neutralising (4, 10, 16) and the
/// clinical cut-off 21: Foa et al. (2002), "The Obsessive-Compulsive
/// Inventory: development and validation of a short version", Psychol Assess
/// 14:485-496 (recalled, unconfirmed in this session). NHS Talking Therapies
/// has used the 42-item OCI (cut-off 40); a Talking Therapies OCI-R caseness
/// threshold was not confirmed.
pub(super) const OCI_R: Instrument = Instrument {
    id: InstrumentId::OciR,
    version: 1,
    title: "Obsessive-Compulsive Inventory - Revised (OCI-R)",
    recall_period: RecallPeriod::PastMonth,
    items: &items_without_text!(ZERO_TO_FOUR; 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18),
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[
        Subscale {
            id: SubscaleId::Washing,
            label: "Washing",
            items: &[5, 11, 17],
        },
        Subscale {
            id: SubscaleId::Obsessing,
            label: "Obsessing",
            items: &[6, 12, 18],
        },
        Subscale {
            id: SubscaleId::Hoarding,
            label: "Hoarding",
            items: &[1, 7, 13],
        },
        Subscale {
            id: SubscaleId::Ordering,
            label: "Ordering",
            items: &[3, 9, 15],
        },
        Subscale {
            id: SubscaleId::Checking,
            label: "Checking",
            items: &[2, 8, 14],
        },
        Subscale {
            id: SubscaleId::Neutralising,
            label: "Neutralising",
            items: &[4, 10, 16],
        },
    ],
    thresholds: &[clinical_range_from(21)],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright Edna B. Foa. Item text is left to the deploying service.",
    source: "Foa EB et al. Psychol Assess 2002;14:485-496.",
};
