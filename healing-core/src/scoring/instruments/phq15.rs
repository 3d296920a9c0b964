//! PHQ-15: the somatic symptom scale.

use super::phq_family::PHQ_LICENCE;
use super::{band, option};
use crate::scoring::{
    AnswerOption, BandId, Instrument, InstrumentId, Keying, Prorating, RecallPeriod, Requirement,
    ScoringRule,
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
