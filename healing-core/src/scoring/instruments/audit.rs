//! AUDIT: the Alcohol Use Disorders Identification Test.

use super::{band, option};
use crate::scoring::{
    AnswerOption, BandId, Instrument, InstrumentId, Item, Prorating, RecallPeriod, ScoringRule,
};

// WHO: "may be reproduced without permission"; Babor et al. 2001.

pub(super) const AUDIT_LICENCE: &str = "World Health Organization. The AUDIT may be used and reproduced without permission (Babor et al., WHO/MSD/MSB/01.6a).";

const AUDIT_FREQUENCY: &[AnswerOption] = &[
    option(0, "Never"),
    option(1, "Monthly or less"),
    option(2, "2 to 4 times a month"),
    option(3, "2 to 3 times a week"),
    option(4, "4 or more times a week"),
];

const AUDIT_QUANTITY: &[AnswerOption] = &[
    option(0, "1 or 2"),
    option(1, "3 or 4"),
    option(2, "5 or 6"),
    option(3, "7, 8 or 9"),
    option(4, "10 or more"),
];

const AUDIT_HOW_OFTEN: &[AnswerOption] = &[
    option(0, "Never"),
    option(1, "Less than monthly"),
    option(2, "Monthly"),
    option(3, "Weekly"),
    option(4, "Daily or almost daily"),
];

const AUDIT_HARM: &[AnswerOption] = &[
    option(0, "No"),
    option(2, "Yes, but not in the last year"),
    option(4, "Yes, during the last year"),
];

pub(super) const AUDIT_ITEM_1: Item = item!(
    1,
    Some("How often do you have a drink containing alcohol?"),
    AUDIT_FREQUENCY
);

pub(super) const AUDIT_ITEM_2: Item = item!(
    2,
    Some("How many drinks containing alcohol do you have on a typical day when you are drinking?"),
    AUDIT_QUANTITY
);

pub(super) const AUDIT_ITEM_3: Item = item!(
    3,
    Some("How often do you have six or more drinks on one occasion?"),
    AUDIT_HOW_OFTEN
);

/// AUDIT: 10 items; items 1-8 score 0-4, items 9-10 score 0, 2 or 4; total 0-40.
///
/// Zones: Babor, Higgins-Biddle, Saunders & Monteiro (2001), "AUDIT: The
/// Alcohol Use Disorders Identification Test. Guidelines for use in primary
/// care", 2nd edition, WHO, table 5: zone I 0-7, zone II 8-15, zone III 16-19,
/// zone IV 20-40. Item wording is the WHO version in standard drinks; UK
/// services often use the UK (units) adaptation, which the deploying service
/// may substitute (same values).
pub(super) const AUDIT: Instrument = Instrument {
    id: InstrumentId::Audit,
    version: 1,
    title: "Alcohol Use Disorders Identification Test (AUDIT)",
    recall_period: RecallPeriod::PastYear,
    items: &[
        AUDIT_ITEM_1,
        AUDIT_ITEM_2,
        AUDIT_ITEM_3,
        item!(
            4,
            Some(
                "How often during the last year have you found that you were not able to stop drinking once you had started?"
            ),
            AUDIT_HOW_OFTEN
        ),
        item!(
            5,
            Some(
                "How often during the last year have you failed to do what was normally expected from you because of drinking?"
            ),
            AUDIT_HOW_OFTEN
        ),
        item!(
            6,
            Some(
                "How often during the last year have you needed a first drink in the morning to get yourself going after a heavy drinking session?"
            ),
            AUDIT_HOW_OFTEN
        ),
        item!(
            7,
            Some(
                "How often during the last year have you had a feeling of guilt or remorse after drinking?"
            ),
            AUDIT_HOW_OFTEN
        ),
        item!(
            8,
            Some(
                "How often during the last year have you been unable to remember what happened the night before because you had been drinking?"
            ),
            AUDIT_HOW_OFTEN
        ),
        item!(
            9,
            Some("Have you or someone else been injured as a result of your drinking?"),
            AUDIT_HARM
        ),
        item!(
            10,
            Some(
                "Has a relative or friend or a doctor or another health worker been concerned about your drinking or suggested you cut down?"
            ),
            AUDIT_HARM
        ),
    ],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[
        band(BandId::LowerRisk, "Zone I: lower risk", 0, 7),
        band(BandId::IncreasingRisk, "Zone II: increasing risk", 8, 15),
        band(BandId::HigherRisk, "Zone III: higher risk", 16, 19),
        band(
            BandId::PossibleDependence,
            "Zone IV: possible dependence",
            20,
            40,
        ),
    ],
    subscales: &[],
    thresholds: &[],
    item_flags: &[],
    symptom_pattern: None,
    licence: AUDIT_LICENCE,
    source: "Babor TF, Higgins-Biddle JC, Saunders JB, Monteiro MG. AUDIT guidelines for use in primary care, 2nd ed. WHO 2001.",
};
