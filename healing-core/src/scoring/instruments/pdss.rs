//! PDSS: the Panic Disorder Severity Scale (self-report).

use super::{ZERO_TO_FOUR, clinical_range_from};
use crate::scoring::{Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule};

/// PDSS (self-report): 7 items scored 0-4, total 0-28.
///
/// Clinical range 8 or more: NHS Talking Therapies caseness (unconfirmed in
/// this session). Shear et al. (1997), Am J Psychiatry 154:1571-1575.
pub(super) const PDSS: Instrument = Instrument {
    id: InstrumentId::Pdss,
    version: 1,
    title: "Panic Disorder Severity Scale (PDSS)",
    recall_period: RecallPeriod::PastWeek,
    items: &items_without_text!(ZERO_TO_FOUR; 1, 2, 3, 4, 5, 6, 7),
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[clinical_range_from(8)],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright M. Katherine Shear. Item text is left to the deploying service.",
    source: "Shear MK et al. Am J Psychiatry 1997;154:1571-1575. NHS Talking Therapies Manual (caseness).",
};
