//! The outcome measures NHS Talking Therapies pairs, their caseness thresholds and
//! reliable change indices, and which anxiety measure each problem descriptor uses.
//!
//! Sources, cited below as:
//! - **[Clark 2018]** Clark D.M., Canvin L., Green J., Layard R., Pilling S., Janecka M.
//!   (2018) "Transparency about the outcomes of mental health services (IAPT approach):
//!   an analysis of public data", *The Lancet* 391(10121):679–686, Table 2 (measure
//!   pairs by problem descriptor, and the GAD-7 back-up).
//! - **[TT Manual]** *NHS Talking Therapies for anxiety and depression Manual* (NHS England
//!   and the National Collaborating Centre for Mental Health; v7, 2024), appendix on
//!   outcome measures. Its tables could not be opened while writing this module; values
//!   taken from it are marked "unconfirmed".
//! - **[Fingertips glossary]** OHID Fingertips, *Common mental health disorders*,
//!   supporting information: glossary (caseness, finished course of treatment).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ReliableChange, ScoreDifference, ScoreValue};

/// A questionnaire used to measure the outcome of a course of Talking Therapies.
///
/// Serialises as the questionnaire registry's instrument id (see
/// [`Measure::as_instrument_id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Patient Health Questionnaire, 9 items (Kroenke, Spitzer & Williams 2001): depression, 0–27.
    Phq9,
    /// Generalised Anxiety Disorder scale, 7 items (Spitzer et al. 2006): 0–21.
    Gad7,
    /// Social Phobia Inventory (Connor et al. 2000): 17 items scored 0–4, total 0–68.
    Spin,
    /// Panic Disorder Severity Scale (Shear et al. 1997/2001): 7 items scored 0–4, total 0–28.
    Pdss,
    /// Mobility Inventory for Agoraphobia, avoidance when alone (Chambless et al. 1985):
    /// the mean of items rated 1–5, reported to two decimal places.
    #[serde(rename = "mobility_inventory_alone")]
    MobilityInventory,
    /// PTSD Checklist for DSM-5 (Weathers et al. 2013): 20 items scored 0–4, total 0–80.
    Pcl5,
    /// Impact of Event Scale – Revised (Weiss & Marmar 1997): 22 items scored 0–4, total 0–88.
    /// Used for PTSD before the PCL-5 replaced it; kept so older courses can be measured.
    #[serde(rename = "ies_r")]
    Iesr,
    /// Obsessive-Compulsive Inventory – Revised (Foa et al. 2002): 18 items scored 0–4, total 0–72.
    ///
    /// Its Talking Therapies caseness threshold here (14) differs from the instrument's own
    /// clinical cut-off in the questionnaire registry (21, Foa et al. 2002): both are
    /// unconfirmed, and a clinician should confirm them against the current manual.
    #[serde(rename = "oci_r")]
    Ocir,
    /// Health Anxiety Inventory, short week version (Salkovskis et al. 2002): 18 items
    /// scored 0–3, total 0–54.
    #[serde(rename = "shai")]
    Hai,
}

crate::wire_name::wire_names!(Measure {
    Phq9 => "phq9",
    Gad7 => "gad7",
    Spin => "spin",
    Pdss => "pdss",
    MobilityInventory => "mobility_inventory_alone",
    Pcl5 => "pcl5",
    Iesr => "ies_r",
    Ocir => "oci_r",
    Hai => "shai",
});

/// How a measure's score is formed, which decides whether fractions are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// The sum of item answers: always a whole number of points.
    WholePoints,
    /// The mean of item answers, recorded to two decimal places.
    MeanToHundredths,
}

crate::wire_name::wire_names!(Scoring {
    WholePoints => "whole_points",
    MeanToHundredths => "mean_to_hundredths",
});

/// Whether one score, or a pair of scores, reaches the clinical threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Caseness {
    /// At or above the measure's caseness threshold.
    Case,
    /// Below the measure's caseness threshold.
    NotCase,
}

crate::wire_name::wire_names!(Caseness {
    Case => "case",
    NotCase => "not_case",
});

impl Measure {
    /// Every measure, in a fixed order.
    pub const ALL: [Measure; 9] = [
        Measure::Phq9,
        Measure::Gad7,
        Measure::Spin,
        Measure::Pdss,
        Measure::MobilityInventory,
        Measure::Pcl5,
        Measure::Iesr,
        Measure::Ocir,
        Measure::Hai,
    ];

    /// The measure's position in [`Measure::ALL`], for per-measure tables.
    pub(super) const fn ordinal(self) -> usize {
        self as usize
    }

    /// The id the questionnaire registry (`healing_core::scoring`) uses for this measure.
    pub const fn as_instrument_id(self) -> &'static str {
        match self {
            Measure::Phq9 => "phq9",
            Measure::Gad7 => "gad7",
            Measure::Spin => "spin",
            Measure::Pdss => "pdss",
            Measure::MobilityInventory => "mobility_inventory_alone",
            Measure::Pcl5 => "pcl5",
            Measure::Iesr => "ies_r",
            Measure::Ocir => "oci_r",
            Measure::Hai => "shai",
        }
    }

    /// The measure with this registry id, or `None` for an id that is not an outcome measure.
    pub fn from_instrument_id(id: &str) -> Option<Measure> {
        Measure::ALL
            .into_iter()
            .find(|measure| measure.as_instrument_id() == id)
    }

    /// The questionnaire's name as clinicians write it.
    pub const fn title(self) -> &'static str {
        match self {
            Measure::Phq9 => "PHQ-9",
            Measure::Gad7 => "GAD-7",
            Measure::Spin => "SPIN",
            Measure::Pdss => "PDSS",
            Measure::MobilityInventory => "Mobility Inventory (alone)",
            Measure::Pcl5 => "PCL-5",
            Measure::Iesr => "IES-R",
            Measure::Ocir => "OCI-R",
            Measure::Hai => "HAI (short)",
        }
    }

    /// How the score is formed.
    pub const fn scoring(self) -> Scoring {
        match self {
            Measure::MobilityInventory => Scoring::MeanToHundredths,
            _ => Scoring::WholePoints,
        }
    }

    /// The lowest possible score (item minimum times items, or the item minimum for a mean).
    pub const fn lowest_score(self) -> ScoreValue {
        match self {
            // Mobility Inventory items are rated 1 (never avoid) to 5 (always avoid).
            Measure::MobilityInventory => ScoreValue::from_points(1),
            _ => ScoreValue::from_points(0),
        }
    }

    /// The highest possible score (item maximum times items, or the item maximum for a mean).
    pub const fn highest_score(self) -> ScoreValue {
        ScoreValue::from_points(match self {
            Measure::Phq9 => 27,
            Measure::Gad7 => 21,
            Measure::Spin => 68,
            Measure::Pdss => 28,
            Measure::MobilityInventory => 5,
            Measure::Pcl5 => 80,
            Measure::Iesr => 88,
            Measure::Ocir => 72,
            Measure::Hai => 54,
        })
    }

    /// The lowest score that counts as a clinical case ("caseness"): a score at or above it is a case.
    ///
    /// - PHQ-9 10 and GAD-7 8: IAPT defines caseness as PHQ-9 above 9 and GAD-7 above 7
    ///   (confirmed in studies applying the IAPT definitions, e.g. Gyani et al. 2013,
    ///   *Behav Res Ther* 51:597–606, and the MindStep evaluation, *BMC Psychiatry*
    ///   2018, Table 1).
    /// - SPIN 19, PDSS 8, Mobility Inventory 2.3, PCL-5 32, IES-R 33, OCI-R 14, HAI 18:
    ///   [TT Manual] outcome-measure appendix. unconfirmed: these seven values could not
    ///   be checked against the manual's table. SPIN 19 matches Connor et al. 2000, HAI 18
    ///   matches the short HAI's published cut-off (Salkovskis et al. 2002) and IES-R 33
    ///   matches Creamer et al. 2003, while Foa et al. 2002 proposed 21 for the OCI-R, so
    ///   the OCI-R value in particular needs checking before clinical use.
    pub const fn caseness_threshold(self) -> ScoreValue {
        match self {
            Measure::Phq9 => ScoreValue::from_points(10),
            Measure::Gad7 => ScoreValue::from_points(8),
            Measure::Spin => ScoreValue::from_points(19),
            Measure::Pdss => ScoreValue::from_points(8),
            Measure::MobilityInventory => ScoreValue::from_hundredths(230),
            Measure::Pcl5 => ScoreValue::from_points(32),
            Measure::Iesr => ScoreValue::from_points(33),
            Measure::Ocir => ScoreValue::from_points(14),
            Measure::Hai => ScoreValue::from_points(18),
        }
    }

    /// The reliable change index: a change of at least this much, in either direction,
    /// is larger than the measure's error and counts as reliable.
    ///
    /// - PHQ-9 6 and GAD-7 4, "at least" (an improvement of ≥ 6 on PHQ-9 or ≥ 4 on
    ///   GAD-7 is reliable: MindStep evaluation, *BMC Psychiatry* 2018, Table 1, applying
    ///   the IAPT definitions). unconfirmed: some NHS summaries say the change must
    ///   "exceed" the measurement error; this module follows the published "6 or more".
    /// - SPIN 10, PDSS 5, Mobility Inventory 0.73, PCL-5 10, IES-R 9, OCI-R 7, HAI 4:
    ///   [TT Manual] outcome-measure appendix. unconfirmed: not checked against the
    ///   manual's table.
    pub const fn reliable_change_index(self) -> ScoreValue {
        match self {
            Measure::Phq9 => ScoreValue::from_points(6),
            Measure::Gad7 => ScoreValue::from_points(4),
            Measure::Spin => ScoreValue::from_points(10),
            Measure::Pdss => ScoreValue::from_points(5),
            Measure::MobilityInventory => ScoreValue::from_hundredths(73),
            Measure::Pcl5 => ScoreValue::from_points(10),
            Measure::Iesr => ScoreValue::from_points(9),
            Measure::Ocir => ScoreValue::from_points(7),
            Measure::Hai => ScoreValue::from_points(4),
        }
    }

    /// Whether `score` on this measure is a clinical case.
    pub fn caseness(self, score: ScoreValue) -> Caseness {
        if score >= self.caseness_threshold() {
            Caseness::Case
        } else {
            Caseness::NotCase
        }
    }

    /// Reliable change on this measure alone for a change of `change` (later minus
    /// earlier): reliable when its size is at least [`Measure::reliable_change_index`].
    /// The same rule [`course_outcome`](super::course_outcome) applies to each measure,
    /// for callers that compare two scores outside a course (a clinician's caseload).
    pub fn reliable_change(self, change: ScoreDifference) -> ReliableChange {
        super::outcome::reliable_change_of(change, self.reliable_change_index())
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_instrument_id())
    }
}

impl Caseness {
    /// Caseness of a pair of measures: a case if either measure is a case
    /// ("and/or": [Fingertips glossary], caseness).
    pub const fn either(self, other: Caseness) -> Caseness {
        match (self, other) {
            (Caseness::NotCase, Caseness::NotCase) => Caseness::NotCase,
            _ => Caseness::Case,
        }
    }
}

/// The patient's main presenting problem, as recorded by the service (the data set's
/// "problem descriptor", a provisional diagnosis). It decides which anxiety measure is
/// paired with the PHQ-9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemDescriptor {
    /// Depression.
    Depression,
    /// Generalised anxiety disorder.
    GeneralisedAnxiety,
    /// Mixed anxiety and depressive disorder.
    MixedAnxietyAndDepression,
    /// Social anxiety disorder (social phobia).
    SocialAnxiety,
    /// Panic disorder.
    PanicDisorder,
    /// Agoraphobia.
    Agoraphobia,
    /// Post-traumatic stress disorder.
    PostTraumaticStress,
    /// Obsessive-compulsive disorder.
    ObsessiveCompulsive,
    /// Health anxiety (hypochondriasis).
    HealthAnxiety,
    /// A specific phobia.
    SpecificPhobia,
    /// Any other problem the service treats.
    Other,
}

crate::wire_name::wire_names!(ProblemDescriptor {
    Depression => "depression",
    GeneralisedAnxiety => "generalised_anxiety",
    MixedAnxietyAndDepression => "mixed_anxiety_and_depression",
    SocialAnxiety => "social_anxiety",
    PanicDisorder => "panic_disorder",
    Agoraphobia => "agoraphobia",
    PostTraumaticStress => "post_traumatic_stress",
    ObsessiveCompulsive => "obsessive_compulsive",
    HealthAnxiety => "health_anxiety",
    SpecificPhobia => "specific_phobia",
    Other => "other",
});

impl ProblemDescriptor {
    /// The anxiety measure recommended for this problem ([Clark 2018], Table 2).
    ///
    /// Depression, generalised anxiety and mixed anxiety and depression use the GAD-7;
    /// social anxiety the SPIN; panic the PDSS; agoraphobia the Mobility Inventory; OCD the
    /// OCI(-R); health anxiety the HAI. PTSD uses the PCL-5 in the current [TT Manual]
    /// (Clark 2018 lists the IES-R, which it replaced; unconfirmed: the date of the
    /// change). unconfirmed: specific phobia and other problems are not in Clark 2018's
    /// table and are mapped to the GAD-7 here, as for a missing descriptor.
    pub const fn recommended_anxiety_measure(self) -> Measure {
        match self {
            ProblemDescriptor::SocialAnxiety => Measure::Spin,
            ProblemDescriptor::PanicDisorder => Measure::Pdss,
            ProblemDescriptor::Agoraphobia => Measure::MobilityInventory,
            ProblemDescriptor::PostTraumaticStress => Measure::Pcl5,
            ProblemDescriptor::ObsessiveCompulsive => Measure::Ocir,
            ProblemDescriptor::HealthAnxiety => Measure::Hai,
            ProblemDescriptor::Depression
            | ProblemDescriptor::GeneralisedAnxiety
            | ProblemDescriptor::MixedAnxietyAndDepression
            | ProblemDescriptor::SpecificPhobia
            | ProblemDescriptor::Other => Measure::Gad7,
        }
    }

    /// An older measure accepted for this problem when the recommended one was not
    /// paired: the IES-R for PTSD, so courses recorded before the PCL-5 can still be measured.
    pub const fn older_anxiety_measure(self) -> Option<Measure> {
        match self {
            ProblemDescriptor::PostTraumaticStress => Some(Measure::Iesr),
            _ => None,
        }
    }

    /// The descriptor in words, for reasoning sentences.
    pub const fn description(self) -> &'static str {
        match self {
            ProblemDescriptor::Depression => "depression",
            ProblemDescriptor::GeneralisedAnxiety => "generalised anxiety disorder",
            ProblemDescriptor::MixedAnxietyAndDepression => "mixed anxiety and depression",
            ProblemDescriptor::SocialAnxiety => "social anxiety disorder",
            ProblemDescriptor::PanicDisorder => "panic disorder",
            ProblemDescriptor::Agoraphobia => "agoraphobia",
            ProblemDescriptor::PostTraumaticStress => "post-traumatic stress disorder",
            ProblemDescriptor::ObsessiveCompulsive => "obsessive-compulsive disorder",
            ProblemDescriptor::HealthAnxiety => "health anxiety",
            ProblemDescriptor::SpecificPhobia => "specific phobia",
            ProblemDescriptor::Other => "another problem",
        }
    }
}
