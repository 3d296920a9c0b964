//! AUDIT-C: the three consumption items of the AUDIT.

use super::audit::{AUDIT_ITEM_1, AUDIT_ITEM_2, AUDIT_ITEM_3, AUDIT_LICENCE};
use super::screen_positive_from;
use crate::scoring::{Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule};

/// AUDIT-C: AUDIT items 1-3, total 0-12.
///
/// Screen positive at 5 or more: UK AUDIT-C scoring (Public Health England /
/// Office for Health Improvement and Disparities AUDIT-C form: "a score of 5+
/// ... complete the remaining AUDIT questions"). The UK form words items 2
/// and 3 in UK units; the items here carry the WHO wording (standard drinks).
/// Unconfirmed: that the UK cut-off of 5 transfers unchanged to the WHO
/// wording; services should supply the UK wording they are licensed to use.
pub(super) const AUDIT_C: Instrument = Instrument {
    id: InstrumentId::AuditC,
    version: 1,
    title: "AUDIT-C (alcohol consumption questions)",
    recall_period: RecallPeriod::PastYear,
    items: &[AUDIT_ITEM_1, AUDIT_ITEM_2, AUDIT_ITEM_3],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[screen_positive_from(5)],
    item_flags: &[],
    symptom_pattern: None,
    licence: AUDIT_LICENCE,
    source: "Bush K et al. Arch Intern Med 1998;158:1789-1795. UK AUDIT-C (PHE/OHID): positive at 5.",
};
