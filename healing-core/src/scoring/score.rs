//! Turning validated answers into a result: total, band, subscales and flags.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::scoring::{
    BandId, CutOff, Error, Instrument, InstrumentId, ItemFlagKind, ScoringRule, SubscaleId,
    ThresholdKind, ValidatedAnswers, instrument,
};

/// The result of scoring one completed questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// The instrument scored.
    pub instrument: InstrumentId,
    /// The revision of the instrument definition used ([`Instrument::version`]).
    pub version: u16,
    /// The total of the answer values, prorated (rounded half up) when
    /// `completeness` says so. `None` where the instrument has no total
    /// (Mobility Inventory mean, C-SSRS triage).
    pub total: Option<u16>,
    /// A decimal result derived from the answers (SWEMWBS metric score, Mobility Inventory mean).
    pub derived: Option<DerivedValue>,
    /// The severity band, where the instrument defines bands.
    pub band: Option<ScoredBand>,
    /// Subscale results, in the order the instrument lists its subscales.
    pub subscales: Vec<SubscaleScore>,
    /// Flags raised; risk flags come first.
    pub flags: Vec<Flag>,
    /// Whether the total was prorated over blank items.
    pub completeness: Completeness,
}

impl Score {
    /// Whether any flag says a clinician must see this result whatever the total
    /// (thoughts of self-harm, or any C-SSRS risk level).
    pub fn needs_clinician_review(&self) -> bool {
        self.flags.iter().any(|flag| {
            matches!(
                flag,
                Flag::SelfHarmThoughts { .. } | Flag::SuicideRisk { .. }
            )
        })
    }
}

/// The band a score fell in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoredBand {
    /// Stable identifier.
    pub id: BandId,
    /// Label to show, as in the instrument definition.
    pub label: Cow<'static, str>,
}

/// A decimal result, held exactly as hundredths to avoid floating-point surprises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DerivedValue {
    /// SWEMWBS metric score from the published conversion table (7.00 to 35.00).
    SwemwbsMetric {
        /// The metric score in hundredths (2321 means 23.21).
        hundredths: u16,
    },
    /// The mean answer value over answered items, rounded half up to hundredths.
    MeanItemScore {
        /// The mean in hundredths (231 means 2.31).
        hundredths: u16,
        /// How many items were answered.
        items_answered: u8,
    },
}

impl DerivedValue {
    /// The value in hundredths.
    pub fn hundredths(self) -> u16 {
        match self {
            Self::SwemwbsMetric { hundredths } | Self::MeanItemScore { hundredths, .. } => {
                hundredths
            }
        }
    }
}

impl fmt::Display for DerivedValue {
    /// Formats as a decimal with two places (`23.21`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = self.hundredths();
        write!(f, "{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

/// The result of one subscale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscaleScore {
    /// Stable identifier.
    pub id: SubscaleId,
    /// The sum of the subscale's answered items.
    pub total: u16,
    /// How many of its items were answered.
    pub items_answered: u8,
    /// The mean of its answered items in hundredths, rounded half up
    /// (IES-R subscales are usually reported as means).
    pub mean_hundredths: u16,
}

/// Something about a result that a caller must act on or show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// An answer reports thoughts of self-harm, suicide or death (PHQ-9 item 9,
    /// EPDS item 10, CORE-10 item 6, C-SSRS items 1 and 2). Route the result to a
    /// clinician whatever the total.
    SelfHarmThoughts {
        /// 1-based item number.
        item: u8,
        /// The answer value given.
        answer: u8,
    },
    /// The C-SSRS screener triage level is low, moderate or high.
    SuicideRisk {
        /// The triage level.
        level: SuicideRiskLevel,
    },
    /// A screening questionnaire is positive (PHQ-2, GAD-2, AUDIT-C).
    ScreenPositive,
    /// The score is at or above the instrument's clinical cut-off.
    ClinicalRange,
    /// The PCL-5 answers meet the DSM-5 symptom pattern for provisional PTSD.
    ProvisionalPtsdDiagnosis,
}

/// The C-SSRS screener triage level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuicideRiskLevel {
    /// Wish to be dead or non-specific active thoughts only.
    Low,
    /// Thoughts with a method, or suicidal behaviour more than 3 months ago.
    Moderate,
    /// Intent, a plan with intent, or suicidal behaviour in the past 3 months.
    High,
}

crate::wire_name::wire_names!(SuicideRiskLevel {
    Low => "low",
    Moderate => "moderate",
    High => "high",
});

/// Whether every item counted towards the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Completeness {
    /// Every item that counts was answered (blank optional items excepted).
    Complete,
    /// Some items were blank and the total was prorated.
    Prorated {
        /// How many items were blank.
        missing: u8,
    },
}

/// Scores validated answers. This cannot fail: every check happened in
/// [`ValidatedAnswers::new`].
pub fn score(answers: &ValidatedAnswers) -> Score {
    let instrument = answers.instrument();
    let values = answers.answers();

    let mut sum: u32 = 0;
    let mut answered: u32 = 0;
    for value in values.iter().flatten() {
        sum += u32::from(*value);
        answered += 1;
    }
    let missing = answers.prorated_items();
    let completeness = if missing == 0 {
        Completeness::Complete
    } else {
        Completeness::Prorated { missing }
    };

    let mut flags = Vec::new();
    for rule in instrument.item_flags {
        if let Some(answer) = answers.answer(rule.item)
            && answer >= rule.answer_at_least
        {
            match rule.kind {
                ItemFlagKind::SelfHarmThoughts => {
                    flags.push(Flag::SelfHarmThoughts {
                        item: rule.item,
                        answer,
                    });
                }
            }
        }
    }

    let (total, derived, banded_value) = match instrument.scoring {
        ScoringRule::Sum => {
            let total = prorated_total(sum, answered, u32::from(missing));
            (Some(total), None, Some(total))
        }
        ScoringRule::SumWithConversion {
            lowest_raw_total,
            metric_hundredths,
        } => {
            let total = prorated_total(sum, answered, u32::from(missing));
            let derived = total
                .checked_sub(lowest_raw_total)
                .and_then(|offset| metric_hundredths.get(usize::from(offset)))
                .map(|&hundredths| DerivedValue::SwemwbsMetric { hundredths });
            (Some(total), derived, Some(total))
        }
        ScoringRule::MeanOfAnswered { .. } => {
            let derived = DerivedValue::MeanItemScore {
                hundredths: mean_hundredths(sum, answered),
                items_answered: u8::try_from(answered).unwrap_or(u8::MAX),
            };
            (None, Some(derived), None)
        }
        ScoringRule::CssrsScreenerTriage => {
            let level = cssrs_screener_triage(answers);
            if let Some(level) = level {
                flags.push(Flag::SuicideRisk { level });
            }
            let rank = match level {
                None => 0,
                Some(SuicideRiskLevel::Low) => 1,
                Some(SuicideRiskLevel::Moderate) => 2,
                Some(SuicideRiskLevel::High) => 3,
            };
            (None, None, Some(rank))
        }
    };

    let band = banded_value.and_then(|value| {
        instrument
            .bands
            .iter()
            .find(|band| band.lowest <= value && value <= band.highest)
            .map(|band| ScoredBand {
                id: band.id,
                label: Cow::Borrowed(band.label),
            })
    });

    for threshold in instrument.thresholds {
        let crossed = match threshold.cut_off {
            CutOff::TotalAtLeast { total: cut_off } => total.is_some_and(|total| total >= cut_off),
            // mean > h / 100  <=>  sum * 100 > h * answered, exactly in integers.
            CutOff::MeanAbove { hundredths } => {
                answered > 0 && sum * 100 > u32::from(hundredths) * answered
            }
        };
        if crossed {
            flags.push(match threshold.kind {
                ThresholdKind::ScreenPositive => Flag::ScreenPositive,
                ThresholdKind::ClinicalRange => Flag::ClinicalRange,
            });
        }
    }

    let subscales = instrument
        .subscales
        .iter()
        .map(|subscale| {
            let mut total: u32 = 0;
            let mut items_answered: u32 = 0;
            for value in subscale
                .items
                .iter()
                .filter_map(|&item| answers.answer(item))
            {
                total += u32::from(value);
                items_answered += 1;
            }
            SubscaleScore {
                id: subscale.id,
                total: u16::try_from(total).unwrap_or(u16::MAX),
                items_answered: u8::try_from(items_answered).unwrap_or(u8::MAX),
                mean_hundredths: mean_hundredths(total, items_answered),
            }
        })
        .collect();

    if let Some(rule) = instrument.symptom_pattern
        && symptom_pattern_met(instrument, answers, rule)
    {
        flags.push(Flag::ProvisionalPtsdDiagnosis);
    }

    Score {
        instrument: instrument.id,
        version: instrument.version,
        total,
        derived,
        band,
        subscales,
        flags,
        completeness,
    }
}

/// Validates and scores in one step, looking the instrument up by its id string.
///
/// This is the entry point for callers that hold raw data (the C API, JSON).
pub fn score_answers(instrument_id: &str, answers: &[Option<u8>]) -> Result<Score, Error> {
    let Some(found) = instrument(instrument_id) else {
        return Err(Error::UnknownInstrument {
            id: instrument_id.chars().take(64).collect(),
        });
    };
    ValidatedAnswers::new(found, answers).map(|validated| score(&validated))
}

/// The total, prorated over `missing` blank items: the mean of the answered
/// items times the number of items, rounded half up.
fn prorated_total(sum: u32, answered: u32, missing: u32) -> u16 {
    let total = if missing == 0 || answered == 0 {
        sum
    } else {
        let items = answered + missing;
        (2 * sum * items + answered) / (2 * answered)
    };
    u16::try_from(total).unwrap_or(u16::MAX)
}

/// The mean of `count` values summing to `sum`, in hundredths, rounded half up.
fn mean_hundredths(sum: u32, count: u32) -> u16 {
    if count == 0 {
        return 0;
    }
    u16::try_from((200 * sum + count) / (2 * count)).unwrap_or(u16::MAX)
}

/// Whether each subscale named in `rule` has enough endorsed items.
fn symptom_pattern_met(
    instrument: &Instrument,
    answers: &ValidatedAnswers,
    rule: crate::scoring::SymptomPatternRule,
) -> bool {
    rule.minimum_per_subscale.iter().all(|minimum| {
        let endorsed = instrument
            .subscales
            .iter()
            .filter(|subscale| subscale.id == minimum.subscale)
            .flat_map(|subscale| subscale.items.iter())
            .filter(|&&item| {
                answers
                    .answer(item)
                    .is_some_and(|value| value >= rule.endorsed_at_least)
            })
            .count();
        endorsed >= usize::from(minimum.endorsed_items)
    })
}

/// The C-SSRS screener triage rule (Columbia Lighthouse Project, "C-SSRS
/// Screener — Recent — with triage points", 2021 colour version).
///
/// Slots, all answered 1 for yes and 0 for no:
/// 1 wish to be dead (past month); 2 non-specific active suicidal thoughts
/// (past month); 3 thoughts with a method (asked if 2 is yes); 4 intent without
/// a specific plan (asked if 2 is yes); 5 specific plan with intent (asked if 2
/// is yes); 6 suicidal behaviour ever (lifetime); 7 was that behaviour within
/// the past 3 months (asked if 6 is yes).
///
/// High: yes to 4, 5 or 7. Moderate: yes to 3, or yes to 6 with 7 no.
/// Low: yes to 1 or 2 only. None: every answer no.
fn cssrs_screener_triage(answers: &ValidatedAnswers) -> Option<SuicideRiskLevel> {
    let yes = |item: u8| answers.answer(item) == Some(1);
    if yes(4) || yes(5) || yes(7) {
        Some(SuicideRiskLevel::High)
    } else if yes(3) || yes(6) {
        Some(SuicideRiskLevel::Moderate)
    } else if yes(1) || yes(2) {
        Some(SuicideRiskLevel::Low)
    } else {
        None
    }
}
