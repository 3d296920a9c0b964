//! C-SSRS screener: the Columbia Suicide Severity Rating Scale, screen version.

use super::{band, option, self_harm_item};
use crate::scoring::{
    AnswerOption, BandId, Instrument, InstrumentId, Keying, Prorating, RecallPeriod, Requirement,
    ScoringRule,
};

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
