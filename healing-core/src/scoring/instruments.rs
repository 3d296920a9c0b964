//! The registry: every instrument Healing can score, as static data.
//!
//! Adding an instrument means adding a `const` table here, listing it in
//! [`REGISTRY`] and [`InstrumentId::instrument`], and adding its reference
//! cases to the tests. The compile-time check at the bottom of this file
//! rejects a table whose items are misnumbered, whose skip logic points
//! forwards, or whose bands do not cover every possible total exactly once.
//!
//! Licences: item text and answer labels ship only for instruments that are
//! free to reproduce (PHQ and GAD family, Pfizer; AUDIT, WHO; PCL-5, public
//! domain; the C-SSRS yes/no labels). For the others `text` and `label` are
//! `None` and the deploying service supplies the wording under its own licence.

use crate::scoring::{
    AnswerOption, Band, BandId, CutOff, Instrument, InstrumentId, Item, ItemFlagKind, ItemFlagRule,
    Keying, MAX_ITEMS, Prorating, RecallPeriod, Requirement, ScoringRule, Subscale, SubscaleId,
    SubscaleMinimum, SymptomPatternRule, Threshold, ThresholdKind,
};

/// Builds an item; the label is always "Item n".
macro_rules! item {
    ($number:literal, $text:expr, $options:expr) => {
        item!(
            $number,
            $text,
            $options,
            Keying::Forward,
            Requirement::Required
        )
    };
    ($number:literal, $text:expr, $options:expr, $keying:expr, $requirement:expr) => {
        Item {
            number: $number,
            label: concat!("Item ", $number),
            text: $text,
            options: $options,
            keying: $keying,
            requirement: $requirement,
        }
    };
}

/// Builds required, forward-keyed items whose text the deploying service supplies.
macro_rules! items_without_text {
    ($options:expr; $($number:literal),* $(,)?) => {
        [$(item!($number, None, $options)),*]
    };
}

/// Options valued `0..=n` with no shipped labels.
macro_rules! unlabelled_options {
    ($($value:literal),* $(,)?) => {
        &[$(AnswerOption { value: $value, label: None }),*]
    };
}

const fn option(value: u8, label: &'static str) -> AnswerOption {
    AnswerOption {
        value,
        label: Some(label),
    }
}

const fn band(id: BandId, label: &'static str, lowest: u16, highest: u16) -> Band {
    Band {
        id,
        label,
        lowest,
        highest,
    }
}

const fn clinical_range_from(total: u16) -> Threshold {
    Threshold {
        kind: ThresholdKind::ClinicalRange,
        cut_off: CutOff::TotalAtLeast { total },
    }
}

const fn screen_positive_from(total: u16) -> Threshold {
    Threshold {
        kind: ThresholdKind::ScreenPositive,
        cut_off: CutOff::TotalAtLeast { total },
    }
}

const fn self_harm_item(item: u8) -> ItemFlagRule {
    ItemFlagRule {
        item,
        answer_at_least: 1,
        kind: ItemFlagKind::SelfHarmThoughts,
    }
}

const ZERO_TO_FOUR: &[AnswerOption] = unlabelled_options!(0, 1, 2, 3, 4);
const ZERO_TO_THREE: &[AnswerOption] = unlabelled_options!(0, 1, 2, 3);
const FOUR_TO_ZERO: &[AnswerOption] = unlabelled_options!(4, 3, 2, 1, 0);
const THREE_TO_ZERO: &[AnswerOption] = unlabelled_options!(3, 2, 1, 0);
const ONE_TO_FIVE: &[AnswerOption] = unlabelled_options!(1, 2, 3, 4, 5);
const ZERO_TO_EIGHT: &[AnswerOption] = unlabelled_options!(0, 1, 2, 3, 4, 5, 6, 7, 8);

// ---------------------------------------------------------------------------
// PHQ and GAD family. Free to reproduce: "No permission required to reproduce,
// translate, display or distribute" (Pfizer, www.phqscreeners.com).
// ---------------------------------------------------------------------------

const PHQ_LICENCE: &str = "Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.";

/// Answer options of the PHQ-9, PHQ-2, GAD-7 and GAD-2 (two-week frequency).
const PHQ_FREQUENCY: &[AnswerOption] = &[
    option(0, "Not at all"),
    option(1, "Several days"),
    option(2, "More than half the days"),
    option(3, "Nearly every day"),
];

const PHQ_ITEM_1: Item = item!(
    1,
    Some("Little interest or pleasure in doing things"),
    PHQ_FREQUENCY
);
const PHQ_ITEM_2: Item = item!(
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

/// PHQ-2: the first two PHQ-9 items.
///
/// Screen positive at 3 or more: Kroenke, Spitzer & Williams (2003), "The
/// Patient Health Questionnaire-2: validity of a two-item depression
/// screener", Med Care 41:1284-1292.
pub(super) const PHQ2: Instrument = Instrument {
    id: InstrumentId::Phq2,
    version: 1,
    title: "Patient Health Questionnaire (PHQ-2)",
    recall_period: RecallPeriod::PastTwoWeeks,
    items: &[PHQ_ITEM_1, PHQ_ITEM_2],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[screen_positive_from(3)],
    item_flags: &[],
    symptom_pattern: None,
    licence: PHQ_LICENCE,
    source: "Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2. Med Care 2003;41:1284-1292.",
};

const GAD_ITEM_1: Item = item!(
    1,
    Some("Feeling nervous, anxious or on edge"),
    PHQ_FREQUENCY
);
const GAD_ITEM_2: Item = item!(
    2,
    Some("Not being able to stop or control worrying"),
    PHQ_FREQUENCY
);

const GAD7_ITEMS: [Item; 7] = [
    GAD_ITEM_1,
    GAD_ITEM_2,
    item!(
        3,
        Some("Worrying too much about different things"),
        PHQ_FREQUENCY
    ),
    item!(4, Some("Trouble relaxing"), PHQ_FREQUENCY),
    item!(
        5,
        Some("Being so restless that it is hard to sit still"),
        PHQ_FREQUENCY
    ),
    item!(
        6,
        Some("Becoming easily annoyed or irritable"),
        PHQ_FREQUENCY
    ),
    item!(
        7,
        Some("Feeling afraid as if something awful might happen"),
        PHQ_FREQUENCY
    ),
];

/// GAD-7.
///
/// Bands: Spitzer, Kroenke, Williams & Löwe (2006), "A brief measure for
/// assessing generalized anxiety disorder: the GAD-7", Arch Intern Med
/// 166:1092-1097 (cut-points 5, 10, 15). Clinical range (caseness) 8 or more:
/// NHS Talking Therapies Manual. No prorating (unconfirmed, as for the PHQ-9).
pub(super) const GAD7: Instrument = Instrument {
    id: InstrumentId::Gad7,
    version: 1,
    title: "Generalised Anxiety Disorder Assessment (GAD-7)",
    recall_period: RecallPeriod::PastTwoWeeks,
    items: &GAD7_ITEMS,
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[
        band(BandId::Minimal, "Minimal anxiety", 0, 4),
        band(BandId::Mild, "Mild anxiety", 5, 9),
        band(BandId::Moderate, "Moderate anxiety", 10, 14),
        band(BandId::Severe, "Severe anxiety", 15, 21),
    ],
    subscales: &[],
    thresholds: &[clinical_range_from(8)],
    item_flags: &[],
    symptom_pattern: None,
    licence: PHQ_LICENCE,
    source: "Spitzer RL, Kroenke K, Williams JBW, Löwe B. The GAD-7. Arch Intern Med 2006;166:1092-1097. NHS Talking Therapies Manual (caseness 8).",
};

/// GAD-2: the first two GAD-7 items.
///
/// Screen positive at 3 or more: Kroenke, Spitzer, Williams, Monahan & Löwe
/// (2007), Ann Intern Med 146:317-325.
pub(super) const GAD2: Instrument = Instrument {
    id: InstrumentId::Gad2,
    version: 1,
    title: "Generalised Anxiety Disorder Assessment (GAD-2)",
    recall_period: RecallPeriod::PastTwoWeeks,
    items: &[GAD_ITEM_1, GAD_ITEM_2],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[screen_positive_from(3)],
    item_flags: &[],
    symptom_pattern: None,
    licence: PHQ_LICENCE,
    source: "Kroenke K, Spitzer RL, Williams JBW, Monahan PO, Löwe B. Anxiety disorders in primary care. Ann Intern Med 2007;146:317-325.",
};

const PHQ15_OPTIONS: &[AnswerOption] = &[
    option(0, "Not bothered at all"),
    option(1, "Bothered a little"),
    option(2, "Bothered a lot"),
];

/// PHQ-15.
///
/// Bands: Kroenke, Spitzer & Williams (2002), "The PHQ-15: validity of a new
/// measure for evaluating the severity of somatic symptoms", Psychosom Med
/// 64:258-266 (minimal 0-4, low 5-9, medium 10-14, high 15-30). Item 4
/// (menstrual problems) is asked of women only, so it may be left blank and
/// then adds nothing; this is not prorating.
pub(super) const PHQ15: Instrument = Instrument {
    id: InstrumentId::Phq15,
    version: 1,
    title: "Patient Health Questionnaire (PHQ-15)",
    recall_period: RecallPeriod::PastFourWeeks,
    items: &[
        item!(1, Some("Stomach pain"), PHQ15_OPTIONS),
        item!(2, Some("Back pain"), PHQ15_OPTIONS),
        item!(
            3,
            Some("Pain in your arms, legs, or joints (knees, hips, etc.)"),
            PHQ15_OPTIONS
        ),
        item!(
            4,
            Some("Menstrual cramps or other problems with your periods (women only)"),
            PHQ15_OPTIONS,
            Keying::Forward,
            Requirement::Optional
        ),
        item!(5, Some("Headaches"), PHQ15_OPTIONS),
        item!(6, Some("Chest pain"), PHQ15_OPTIONS),
        item!(7, Some("Dizziness"), PHQ15_OPTIONS),
        item!(8, Some("Fainting spells"), PHQ15_OPTIONS),
        item!(9, Some("Feeling your heart pound or race"), PHQ15_OPTIONS),
        item!(10, Some("Shortness of breath"), PHQ15_OPTIONS),
        item!(
            11,
            Some("Pain or problems during sexual intercourse"),
            PHQ15_OPTIONS
        ),
        item!(
            12,
            Some("Constipation, loose bowels, or diarrhea"),
            PHQ15_OPTIONS
        ),
        item!(13, Some("Nausea, gas, or indigestion"), PHQ15_OPTIONS),
        item!(
            14,
            Some("Feeling tired or having low energy"),
            PHQ15_OPTIONS
        ),
        item!(15, Some("Trouble sleeping"), PHQ15_OPTIONS),
    ],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[
        band(BandId::Minimal, "Minimal somatic symptom severity", 0, 4),
        band(BandId::Low, "Low somatic symptom severity", 5, 9),
        band(BandId::Medium, "Medium somatic symptom severity", 10, 14),
        band(BandId::High, "High somatic symptom severity", 15, 30),
    ],
    subscales: &[],
    thresholds: &[],
    item_flags: &[],
    symptom_pattern: None,
    licence: PHQ_LICENCE,
    source: "Kroenke K, Spitzer RL, Williams JBW. The PHQ-15. Psychosom Med 2002;64:258-266.",
};

// ---------------------------------------------------------------------------
// Functioning and wellbeing.
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Alcohol. WHO: "may be reproduced without permission"; Babor et al. 2001.
// ---------------------------------------------------------------------------

const AUDIT_LICENCE: &str = "World Health Organization. The AUDIT may be used and reproduced without permission (Babor et al., WHO/MSD/MSB/01.6a).";

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

const AUDIT_ITEM_1: Item = item!(
    1,
    Some("How often do you have a drink containing alcohol?"),
    AUDIT_FREQUENCY
);
const AUDIT_ITEM_2: Item = item!(
    2,
    Some("How many drinks containing alcohol do you have on a typical day when you are drinking?"),
    AUDIT_QUANTITY
);
const AUDIT_ITEM_3: Item = item!(
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

// ---------------------------------------------------------------------------
// Perinatal.
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Anxiety-disorder-specific measures used with the PHQ-9 in NHS Talking
// Therapies (NHS Talking Therapies Manual; IAPT Data Handbook v2.0.1,
// appendix D). Item text is copyrighted by the authors: not shipped.
// ---------------------------------------------------------------------------

/// SPIN: 17 items scored 0-4, total 0-68.
///
/// Subscales fear (1, 3, 5, 10, 14, 15), avoidance (4, 6, 8, 9, 11, 12, 16)
/// and physiological arousal (2, 7, 13, 17): Connor et al. (2000),
/// "Psychometric properties of the Social Phobia Inventory (SPIN)", Br J
/// Psychiatry 176:379-386 (subscale items recalled, unconfirmed in this
/// session). Clinical range 19 or more: Connor et al. 2000 and NHS Talking
/// Therapies caseness (unconfirmed in this session).
pub(super) const SPIN: Instrument = Instrument {
    id: InstrumentId::Spin,
    version: 1,
    title: "Social Phobia Inventory (SPIN)",
    recall_period: RecallPeriod::PastWeek,
    items: &items_without_text!(ZERO_TO_FOUR; 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17),
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[
        Subscale {
            id: SubscaleId::Fear,
            label: "Fear",
            items: &[1, 3, 5, 10, 14, 15],
        },
        Subscale {
            id: SubscaleId::Avoidance,
            label: "Avoidance",
            items: &[4, 6, 8, 9, 11, 12, 16],
        },
        Subscale {
            id: SubscaleId::PhysiologicalArousal,
            label: "Physiological arousal",
            items: &[2, 7, 13, 17],
        },
    ],
    thresholds: &[clinical_range_from(19)],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright Jonathan R.T. Davidson. Item text is left to the deploying service.",
    source: "Connor KM et al. Br J Psychiatry 2000;176:379-386. NHS Talking Therapies Manual (caseness).",
};

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

/// Mobility Inventory, avoidance when alone: 27 situations rated 1-5.
///
/// The result is the mean rating of the situations answered; situations that
/// do not apply are left blank, and more than five blanks make the result
/// invalid. Clinical range: a mean above 2.3. Both rules: NHS Data Dictionary,
/// "Agoraphobia Mobility Inventory Questionnaire". Chambless et al. (1985),
/// Behav Res Ther 23:35-44.
pub(super) const MOBILITY_INVENTORY_ALONE: Instrument = Instrument {
    id: InstrumentId::MobilityInventoryAlone,
    version: 1,
    title: "Mobility Inventory for Agoraphobia (avoidance when alone)",
    recall_period: RecallPeriod::Current,
    items: &{
        let mut items = items_without_text!(ONE_TO_FIVE;
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
        let mut index = 0;
        while index < items.len() {
            items[index].requirement = Requirement::Optional;
            index += 1;
        }
        items
    },
    scoring: ScoringRule::MeanOfAnswered { max_blank: 5 },
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[],
    thresholds: &[Threshold {
        kind: ThresholdKind::ClinicalRange,
        cut_off: CutOff::MeanAbove { hundredths: 230 },
    }],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright Dianne L. Chambless; free for clinical and research use, not for publication. Item text is left to the deploying service.",
    source: "Chambless DL et al. Behav Res Ther 1985;23:35-44. NHS Data Dictionary: Agoraphobia Mobility Inventory Questionnaire.",
};

const PCL5_OPTIONS: &[AnswerOption] = &[
    option(0, "Not at all"),
    option(1, "A little bit"),
    option(2, "Moderately"),
    option(3, "Quite a bit"),
    option(4, "Extremely"),
];

/// PCL-5: 20 items scored 0-4, total 0-80, public domain.
///
/// Clusters B (1-5), C (6-7), D (8-14), E (15-20) and the provisional DSM-5
/// PTSD rule (an item rated 2 or more counts as a symptom; at least 1 B, 1 C,
/// 2 D and 2 E): Weathers et al. (2013), PCL-5, National Center for PTSD
/// scoring guidance. Clinical range 32 or more: the National Center for PTSD
/// gives 31-33 as a reasonable cut-point; 32 as the NHS Talking Therapies
/// threshold is unconfirmed.
pub(super) const PCL5: Instrument = Instrument {
    id: InstrumentId::Pcl5,
    version: 1,
    title: "PTSD Checklist for DSM-5 (PCL-5)",
    recall_period: RecallPeriod::PastMonth,
    items: &[
        item!(
            1,
            Some("Repeated, disturbing, and unwanted memories of the stressful experience?"),
            PCL5_OPTIONS
        ),
        item!(
            2,
            Some("Repeated, disturbing dreams of the stressful experience?"),
            PCL5_OPTIONS
        ),
        item!(
            3,
            Some(
                "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?"
            ),
            PCL5_OPTIONS
        ),
        item!(
            4,
            Some("Feeling very upset when something reminded you of the stressful experience?"),
            PCL5_OPTIONS
        ),
        item!(
            5,
            Some(
                "Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?"
            ),
            PCL5_OPTIONS
        ),
        item!(
            6,
            Some("Avoiding memories, thoughts, or feelings related to the stressful experience?"),
            PCL5_OPTIONS
        ),
        item!(
            7,
            Some(
                "Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?"
            ),
            PCL5_OPTIONS
        ),
        item!(
            8,
            Some("Trouble remembering important parts of the stressful experience?"),
            PCL5_OPTIONS
        ),
        item!(
            9,
            Some(
                "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?"
            ),
            PCL5_OPTIONS
        ),
        item!(
            10,
            Some(
                "Blaming yourself or someone else for the stressful experience or what happened after it?"
            ),
            PCL5_OPTIONS
        ),
        item!(
            11,
            Some("Having strong negative feelings such as fear, horror, anger, guilt, or shame?"),
            PCL5_OPTIONS
        ),
        item!(
            12,
            Some("Loss of interest in activities that you used to enjoy?"),
            PCL5_OPTIONS
        ),
        item!(
            13,
            Some("Feeling distant or cut off from other people?"),
            PCL5_OPTIONS
        ),
        item!(
            14,
            Some(
                "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?"
            ),
            PCL5_OPTIONS
        ),
        item!(
            15,
            Some("Irritable behavior, angry outbursts, or acting aggressively?"),
            PCL5_OPTIONS
        ),
        item!(
            16,
            Some("Taking too many risks or doing things that could cause you harm?"),
            PCL5_OPTIONS
        ),
        item!(
            17,
            Some("Being \"superalert\" or watchful or on guard?"),
            PCL5_OPTIONS
        ),
        item!(18, Some("Feeling jumpy or easily startled?"), PCL5_OPTIONS),
        item!(19, Some("Having difficulty concentrating?"), PCL5_OPTIONS),
        item!(20, Some("Trouble falling or staying asleep?"), PCL5_OPTIONS),
    ],
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[
        Subscale {
            id: SubscaleId::ClusterBIntrusion,
            label: "Cluster B: intrusion",
            items: &[1, 2, 3, 4, 5],
        },
        Subscale {
            id: SubscaleId::ClusterCAvoidance,
            label: "Cluster C: avoidance",
            items: &[6, 7],
        },
        Subscale {
            id: SubscaleId::ClusterDNegativeCognitionsAndMood,
            label: "Cluster D: negative alterations in cognitions and mood",
            items: &[8, 9, 10, 11, 12, 13, 14],
        },
        Subscale {
            id: SubscaleId::ClusterEArousalAndReactivity,
            label: "Cluster E: alterations in arousal and reactivity",
            items: &[15, 16, 17, 18, 19, 20],
        },
    ],
    thresholds: &[clinical_range_from(32)],
    item_flags: &[],
    symptom_pattern: Some(SymptomPatternRule {
        endorsed_at_least: 2,
        minimum_per_subscale: &[
            SubscaleMinimum {
                subscale: SubscaleId::ClusterBIntrusion,
                endorsed_items: 1,
            },
            SubscaleMinimum {
                subscale: SubscaleId::ClusterCAvoidance,
                endorsed_items: 1,
            },
            SubscaleMinimum {
                subscale: SubscaleId::ClusterDNegativeCognitionsAndMood,
                endorsed_items: 2,
            },
            SubscaleMinimum {
                subscale: SubscaleId::ClusterEArousalAndReactivity,
                endorsed_items: 2,
            },
        ],
    }),
    licence: "Public domain (US Department of Veterans Affairs, National Center for PTSD).",
    source: "Weathers FW et al. The PTSD Checklist for DSM-5 (PCL-5), 2013. National Center for PTSD, PCL-5 scoring guidance.",
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

/// Short Health Anxiety Inventory (HAI-18): 18 items, total 0-54.
///
/// Each item offers four statements (a-d) and the respondent picks one;
/// they score 0, 1, 2 and 3 in the order shown, so answers are submitted as
/// 0-3. Items 1-14 form the main section (illness likelihood) and items
/// 15-18 the negative consequences of illness: Salkovskis, Rimes, Warwick &
/// Clark (2002), Psychol Med 32:843-853. Clinical range 18 or more: NHS
/// Talking Therapies caseness (reported by secondary sources; unconfirmed
/// against the Manual). Unconfirmed: whether a respondent who marks two
/// statements of one item should be scored at the higher; Healing accepts one
/// value per item only.
pub(super) const SHAI: Instrument = Instrument {
    id: InstrumentId::Shai,
    version: 1,
    title: "Short Health Anxiety Inventory (HAI-18)",
    recall_period: RecallPeriod::PastSixMonths,
    items: &items_without_text!(ZERO_TO_THREE; 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18),
    scoring: ScoringRule::Sum,
    prorating: Prorating::NotAllowed,
    bands: &[],
    subscales: &[
        Subscale {
            id: SubscaleId::IllnessLikelihood,
            label: "Illness likelihood (main section)",
            items: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
        },
        Subscale {
            id: SubscaleId::NegativeConsequences,
            label: "Negative consequences",
            items: &[15, 16, 17, 18],
        },
    ],
    thresholds: &[clinical_range_from(18)],
    item_flags: &[],
    symptom_pattern: None,
    licence: "Copyright Paul M. Salkovskis and colleagues. Item statements are left to the deploying service.",
    source: "Salkovskis PM, Rimes KA, Warwick HMC, Clark DM. Psychol Med 2002;32:843-853.",
};

// ---------------------------------------------------------------------------
// Suicide risk screening.
// ---------------------------------------------------------------------------

const YES_NO: &[AnswerOption] = &[option(0, "No"), option(1, "Yes")];

const ASKED_IF_ACTIVE_THOUGHTS: Requirement = Requirement::AskedWhen { item: 2, answer: 1 };

/// C-SSRS screener ("Screen Version - Recent", with triage points).
///
/// Seven yes/no slots: questions 1-5 about the past month, question 6
/// (suicidal behaviour, lifetime) and its follow-up "was this within the past
/// 3 months?" as slot 7. Skip logic: questions 3-5 are asked only if question
/// 2 is yes; slot 7 only if question 6 is yes. There is no total: the result
/// is the triage band (none, low, moderate, high) and, unless none, a
/// `suicide_risk` flag; yes to 1 or 2 also raises `self_harm_thoughts`.
/// Triage: yes to 1 or 2 low; yes to 3, or to 6 more than 3 months ago,
/// moderate; yes to 4 or 5, or to 6 within 3 months, high (Columbia
/// Lighthouse Project triage colours; Posner et al. 2011, Am J Psychiatry
/// 168:1266-1277).
pub(super) const CSSRS_SCREENER: Instrument = Instrument {
    id: InstrumentId::CssrsScreener,
    version: 1,
    title: "Columbia Suicide Severity Rating Scale (C-SSRS), screener version",
    recall_period: RecallPeriod::VariesByItem,
    items: &[
        item!(1, None, YES_NO),
        item!(2, None, YES_NO),
        item!(3, None, YES_NO, Keying::Forward, ASKED_IF_ACTIVE_THOUGHTS),
        item!(4, None, YES_NO, Keying::Forward, ASKED_IF_ACTIVE_THOUGHTS),
        item!(5, None, YES_NO, Keying::Forward, ASKED_IF_ACTIVE_THOUGHTS),
        item!(6, None, YES_NO),
        item!(
            7,
            None,
            YES_NO,
            Keying::Forward,
            Requirement::AskedWhen { item: 6, answer: 1 }
        ),
    ],
    scoring: ScoringRule::CssrsScreenerTriage,
    prorating: Prorating::NotAllowed,
    bands: &[
        band(
            BandId::NoRiskIdentified,
            "No suicidal ideation or behaviour reported",
            0,
            0,
        ),
        band(BandId::LowRisk, "Low risk", 1, 1),
        band(BandId::ModerateRisk, "Moderate risk", 2, 2),
        band(BandId::HighRisk, "High risk", 3, 3),
    ],
    subscales: &[],
    thresholds: &[],
    item_flags: &[self_harm_item(1), self_harm_item(2)],
    symptom_pattern: None,
    licence: "Copyright The Research Foundation for Mental Hygiene, Inc. Use in electronic systems needs permission from the Columbia Lighthouse Project, so question text is left to the deploying service.",
    source: "Posner K et al. Am J Psychiatry 2011;168:1266-1277. Columbia Lighthouse Project, C-SSRS Screener - Recent, with triage points.",
};

/// Every instrument, in a stable order.
pub(super) const REGISTRY: [&Instrument; 19] = [
    &PHQ9,
    &GAD7,
    &PHQ2,
    &GAD2,
    &WSAS,
    &PHQ15,
    &CORE10,
    &SWEMWBS,
    &AUDIT,
    &AUDIT_C,
    &EPDS,
    &SPIN,
    &PDSS,
    &MOBILITY_INVENTORY_ALONE,
    &PCL5,
    &IES_R,
    &OCI_R,
    &SHAI,
    &CSSRS_SCREENER,
];

impl InstrumentId {
    /// The registry definition of this instrument.
    pub fn instrument(self) -> &'static Instrument {
        match self {
            Self::Phq9 => &PHQ9,
            Self::Gad7 => &GAD7,
            Self::Phq2 => &PHQ2,
            Self::Gad2 => &GAD2,
            Self::Wsas => &WSAS,
            Self::Phq15 => &PHQ15,
            Self::Core10 => &CORE10,
            Self::Swemwbs => &SWEMWBS,
            Self::Audit => &AUDIT,
            Self::AuditC => &AUDIT_C,
            Self::Epds => &EPDS,
            Self::Spin => &SPIN,
            Self::Pdss => &PDSS,
            Self::MobilityInventoryAlone => &MOBILITY_INVENTORY_ALONE,
            Self::Pcl5 => &PCL5,
            Self::IesR => &IES_R,
            Self::OciR => &OCI_R,
            Self::Shai => &SHAI,
            Self::CssrsScreener => &CSSRS_SCREENER,
        }
    }
}

/// Checks one definition at compile time; a failed `assert!` here is a build error.
///
/// Indexing below is safe: it is bounded by `while` conditions, and this
/// function only runs in the `const` block at the end of the file, where any
/// failure is a compile error, never a runtime panic.
const fn check_definition(instrument: &Instrument) {
    let items = instrument.items;
    assert!(
        !items.is_empty() && items.len() <= MAX_ITEMS,
        "item count out of range"
    );
    let mut lowest_total: u16 = 0;
    let mut highest_total: u16 = 0;
    let mut index = 0;
    while index < items.len() {
        let item = &items[index];
        assert!(
            item.number as usize == index + 1,
            "items must be numbered 1, 2, 3, ... in order"
        );
        assert!(!item.options.is_empty(), "every item needs options");
        if let Requirement::AskedWhen { item: earlier, .. } = item.requirement {
            assert!(
                earlier >= 1 && (earlier as usize) <= index,
                "skip logic must refer to an earlier item"
            );
        }
        let mut minimum = u8::MAX;
        let mut maximum = 0;
        let mut option_index = 0;
        while option_index < item.options.len() {
            let value = item.options[option_index].value;
            if value < minimum {
                minimum = value;
            }
            if value > maximum {
                maximum = value;
            }
            option_index += 1;
        }
        if matches!(
            item.requirement,
            Requirement::Required | Requirement::Proratable
        ) {
            lowest_total += minimum as u16;
        }
        highest_total += maximum as u16;
        index += 1;
    }

    let bands = instrument.bands;
    let mut band_index = 0;
    while band_index < bands.len() {
        assert!(
            bands[band_index].lowest <= bands[band_index].highest,
            "band bounds reversed"
        );
        if band_index > 0 {
            assert!(
                bands[band_index].lowest == bands[band_index - 1].highest + 1,
                "bands must be contiguous"
            );
        }
        band_index += 1;
    }
    // Summed instruments with bands must band every possible total.
    if !bands.is_empty()
        && matches!(
            instrument.scoring,
            ScoringRule::Sum | ScoringRule::SumWithConversion { .. }
        )
    {
        assert!(
            bands[0].lowest == lowest_total,
            "bands must start at the lowest total"
        );
        assert!(
            bands[bands.len() - 1].highest == highest_total,
            "bands must end at the highest total"
        );
    }
    if let ScoringRule::SumWithConversion {
        lowest_raw_total,
        metric_hundredths,
    } = instrument.scoring
    {
        assert!(
            lowest_raw_total == lowest_total,
            "conversion table must start at the lowest total"
        );
        assert!(
            metric_hundredths.len() == (highest_total - lowest_total) as usize + 1,
            "conversion table must cover every raw total"
        );
    }

    let mut flag_index = 0;
    while flag_index < instrument.item_flags.len() {
        let item = instrument.item_flags[flag_index].item;
        assert!(
            item >= 1 && (item as usize) <= items.len(),
            "flag refers to a missing item"
        );
        flag_index += 1;
    }
    let mut subscale_index = 0;
    while subscale_index < instrument.subscales.len() {
        let members = instrument.subscales[subscale_index].items;
        let mut member = 0;
        while member < members.len() {
            assert!(
                members[member] >= 1 && (members[member] as usize) <= items.len(),
                "subscale refers to a missing item"
            );
            member += 1;
        }
        subscale_index += 1;
    }
}

const _: () = {
    let mut index = 0;
    while index < REGISTRY.len() {
        check_definition(REGISTRY[index]);
        index += 1;
    }
};
