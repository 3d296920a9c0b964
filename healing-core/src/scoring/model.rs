//! The data that defines an instrument: items, answer options, bands, subscales and rules.
//!
//! Every type here is plain data so that a web app or an EHR can render a form
//! from it (serialised as JSON) and so that adding an instrument is mostly a
//! matter of writing a new table in `instruments.rs`.
//!
//! Definitions serialise but do not deserialise: the only instruments that can
//! be scored are the reviewed ones compiled into the registry, so a caller can
//! never inject a cut-off or an answer value (clinical safety).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The most items any instrument in the registry has (the Mobility Inventory's 27).
///
/// Checked for every instrument at compile time in `instruments.rs`, so
/// [`crate::scoring::ValidatedAnswers`] can hold answers in a fixed array
/// without allocating.
pub const MAX_ITEMS: usize = 27;

/// The stable identifier of an instrument, as stored and exchanged (`"phq9"`).
///
/// These strings are part of the public data format: they never change once
/// published. A new edition of an instrument with different items gets a new id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentId {
    /// Patient Health Questionnaire, 9 items (depression).
    Phq9,
    /// Generalised Anxiety Disorder scale, 7 items.
    Gad7,
    /// The first two items of the PHQ-9, used as a depression screen.
    Phq2,
    /// The first two items of the GAD-7, used as an anxiety screen.
    Gad2,
    /// Work and Social Adjustment Scale.
    Wsas,
    /// Patient Health Questionnaire, 15 somatic symptom items.
    Phq15,
    /// Clinical Outcomes in Routine Evaluation, 10 items.
    Core10,
    /// Short Warwick-Edinburgh Mental Wellbeing Scale, 7 items.
    Swemwbs,
    /// Alcohol Use Disorders Identification Test, 10 items.
    Audit,
    /// The first three (consumption) items of the AUDIT.
    AuditC,
    /// Edinburgh Postnatal Depression Scale.
    Epds,
    /// Social Phobia Inventory.
    Spin,
    /// Panic Disorder Severity Scale (self-report).
    Pdss,
    /// Mobility Inventory for Agoraphobia, avoidance when alone.
    MobilityInventoryAlone,
    /// PTSD Checklist for DSM-5.
    Pcl5,
    /// Impact of Event Scale - Revised.
    IesR,
    /// Obsessive-Compulsive Inventory - Revised.
    OciR,
    /// Short Health Anxiety Inventory (18 items).
    Shai,
    /// Columbia Suicide Severity Rating Scale, screener version.
    CssrsScreener,
}

crate::wire_name::wire_names!(from_str only InstrumentId {
    Phq9 => "phq9",
    Gad7 => "gad7",
    Phq2 => "phq2",
    Gad2 => "gad2",
    Wsas => "wsas",
    Phq15 => "phq15",
    Core10 => "core10",
    Swemwbs => "swemwbs",
    Audit => "audit",
    AuditC => "audit_c",
    Epds => "epds",
    Spin => "spin",
    Pdss => "pdss",
    MobilityInventoryAlone => "mobility_inventory_alone",
    Pcl5 => "pcl5",
    IesR => "ies_r",
    OciR => "oci_r",
    Shai => "shai",
    CssrsScreener => "cssrs_screener",
});

impl InstrumentId {
    /// The stable identifier string, the same as its serde form (`"audit_c"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Phq9 => "phq9",
            Self::Gad7 => "gad7",
            Self::Phq2 => "phq2",
            Self::Gad2 => "gad2",
            Self::Wsas => "wsas",
            Self::Phq15 => "phq15",
            Self::Core10 => "core10",
            Self::Swemwbs => "swemwbs",
            Self::Audit => "audit",
            Self::AuditC => "audit_c",
            Self::Epds => "epds",
            Self::Spin => "spin",
            Self::Pdss => "pdss",
            Self::MobilityInventoryAlone => "mobility_inventory_alone",
            Self::Pcl5 => "pcl5",
            Self::IesR => "ies_r",
            Self::OciR => "oci_r",
            Self::Shai => "shai",
            Self::CssrsScreener => "cssrs_screener",
        }
    }
}

impl fmt::Display for InstrumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A questionnaire as published: what to ask, what answers mean and how to score them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instrument {
    /// Stable identifier.
    pub id: InstrumentId,
    /// Revision of this definition in Healing. It goes up whenever items,
    /// values, bands or rules change, and every [`crate::scoring::Score`]
    /// records the revision it was computed with.
    pub version: u16,
    /// Full published title.
    pub title: &'static str,
    /// The period the respondent is asked about.
    pub recall_period: RecallPeriod,
    /// The items in the order they are asked; item `n` is at index `n - 1`.
    pub items: &'static [Item],
    /// How answers become a result.
    pub scoring: ScoringRule,
    /// What the deploying service may do when items are left blank.
    pub prorating: Prorating,
    /// Severity bands, ascending and contiguous, over the banded value (see [`Band`]).
    pub bands: &'static [Band],
    /// Subscales, each a sum over some of the items.
    pub subscales: &'static [Subscale],
    /// Cut-offs on the total that raise a [`crate::scoring::Flag`].
    pub thresholds: &'static [Threshold],
    /// Single answers that raise a flag whatever the total (risk items).
    pub item_flags: &'static [ItemFlagRule],
    /// A symptom-pattern rule (PCL-5 provisional DSM-5 PTSD), if the instrument has one.
    pub symptom_pattern: Option<SymptomPatternRule>,
    /// Who holds the rights and what that means for reproducing item text.
    pub licence: &'static str,
    /// The scoring manual or paper that items, values and cut-offs come from.
    pub source: &'static str,
}

/// The period a respondent is asked to think about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecallPeriod {
    /// The past 7 days.
    PastWeek,
    /// The past 2 weeks.
    PastTwoWeeks,
    /// The past 4 weeks.
    PastFourWeeks,
    /// The past month.
    PastMonth,
    /// The past 6 months.
    PastSixMonths,
    /// The past year.
    PastYear,
    /// The instrument asks about the present, with no fixed period.
    Current,
    /// The period differs between items and is stated in each item (C-SSRS).
    VariesByItem,
}

crate::wire_name::wire_names!(RecallPeriod {
    PastWeek => "past_week",
    PastTwoWeeks => "past_two_weeks",
    PastFourWeeks => "past_four_weeks",
    PastMonth => "past_month",
    PastSixMonths => "past_six_months",
    PastYear => "past_year",
    Current => "current",
    VariesByItem => "varies_by_item",
});

/// One question and its answer options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// 1-based position in the instrument.
    pub number: u8,
    /// Short neutral label, always present (`"Item 3"`).
    pub label: &'static str,
    /// The published wording, where its licence allows Healing to ship it.
    /// `None` means the deploying service supplies the text under its own licence.
    pub text: Option<&'static str>,
    /// The answers offered, in the order they are shown.
    pub options: &'static [AnswerOption],
    /// Whether the option values are reversed relative to their display order.
    pub keying: Keying,
    /// Whether the item must be answered.
    pub requirement: Requirement,
}

impl Item {
    /// The smallest option value.
    pub fn minimum_value(&self) -> u8 {
        self.options
            .iter()
            .map(|option| option.value)
            .min()
            .unwrap_or(0)
    }

    /// The largest option value.
    pub fn maximum_value(&self) -> u8 {
        self.options
            .iter()
            .map(|option| option.value)
            .max()
            .unwrap_or(0)
    }
}

/// One answer a respondent may choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AnswerOption {
    /// The value the answer scores; answers are submitted as this value.
    pub value: u8,
    /// The published label, where its licence allows Healing to ship it.
    pub label: Option<&'static str>,
}

/// The direction of an item's values relative to the order its options are shown in.
///
/// Answers are always submitted as option *values*, so reverse keying is
/// already applied by the option table; this field tells renderers and
/// reviewers which items are reversed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keying {
    /// Values rise down the list of options.
    Forward,
    /// Values fall down the list of options (a positively worded item).
    Reversed,
}

crate::wire_name::wire_names!(Keying {
    Forward => "forward",
    Reversed => "reversed",
});

/// Whether an item must be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Requirement {
    /// Must be answered; never prorated (used for risk items).
    Required,
    /// May be left blank within the instrument's [`Prorating`] allowance.
    Proratable,
    /// May be left blank as not applicable; a blank adds nothing to the total.
    Optional,
    /// Asked, and then required, only when an earlier item has a given answer
    /// (skip logic); otherwise it must be left blank.
    AskedWhen {
        /// 1-based number of the earlier item.
        item: u8,
        /// The answer value to that item that makes this one asked.
        answer: u8,
    },
}

/// How an instrument's answers become a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ScoringRule {
    /// The total is the sum of the answer values.
    Sum,
    /// The raw total is the sum of the answer values, then a published table
    /// converts it to a metric score (SWEMWBS).
    SumWithConversion {
        /// The lowest possible raw total; the table starts at it.
        lowest_raw_total: u16,
        /// Metric score in hundredths for each raw total from `lowest_raw_total` up.
        metric_hundredths: &'static [u16],
    },
    /// The result is the mean value of the answered items (Mobility Inventory).
    MeanOfAnswered {
        /// The most items that may be left blank before the result is invalid.
        max_blank: u8,
    },
    /// The C-SSRS screener's triage rule; there is no total (see `instruments.rs`).
    CssrsScreenerTriage,
}

/// What may be done when items are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Prorating {
    /// Every [`Requirement::Proratable`] item must be answered.
    NotAllowed,
    /// Up to `max_missing` proratable items may be blank; the total is then
    /// the mean of the answered items times the number of items, rounded half up.
    UpTo {
        /// The most items that may be missing.
        max_missing: u8,
    },
}

/// The stable identifier of a severity band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BandId {
    /// Minimal symptoms.
    Minimal,
    /// Mild.
    Mild,
    /// Moderate.
    Moderate,
    /// Moderately severe.
    ModeratelySevere,
    /// Severe.
    Severe,
    /// Below the clinical range (CORE-10 healthy or low-level problems).
    NonClinical,
    /// Subclinical functional impairment (WSAS).
    Subclinical,
    /// Significant functional impairment (WSAS).
    SignificantImpairment,
    /// Moderately severe or worse impairment (WSAS).
    ModeratelySevereImpairment,
    /// Low (somatic symptom severity, PHQ-15).
    Low,
    /// Medium (somatic symptom severity, PHQ-15).
    Medium,
    /// High (somatic symptom severity, PHQ-15).
    High,
    /// AUDIT zone I.
    LowerRisk,
    /// AUDIT zone II.
    IncreasingRisk,
    /// AUDIT zone III.
    HigherRisk,
    /// AUDIT zone IV.
    PossibleDependence,
    /// Below the screening threshold (EPDS).
    BelowThreshold,
    /// Possible depression (EPDS).
    PossibleDepression,
    /// Probable depression (EPDS).
    ProbableDepression,
    /// C-SSRS screener: no suicidal ideation or behaviour reported.
    NoRiskIdentified,
    /// C-SSRS screener: low risk.
    LowRisk,
    /// C-SSRS screener: moderate risk.
    ModerateRisk,
    /// C-SSRS screener: high risk.
    HighRisk,
}

crate::wire_name::wire_names!(BandId {
    Minimal => "minimal",
    Mild => "mild",
    Moderate => "moderate",
    ModeratelySevere => "moderately_severe",
    Severe => "severe",
    NonClinical => "non_clinical",
    Subclinical => "subclinical",
    SignificantImpairment => "significant_impairment",
    ModeratelySevereImpairment => "moderately_severe_impairment",
    Low => "low",
    Medium => "medium",
    High => "high",
    LowerRisk => "lower_risk",
    IncreasingRisk => "increasing_risk",
    HigherRisk => "higher_risk",
    PossibleDependence => "possible_dependence",
    BelowThreshold => "below_threshold",
    PossibleDepression => "possible_depression",
    ProbableDepression => "probable_depression",
    NoRiskIdentified => "no_risk_identified",
    LowRisk => "low_risk",
    ModerateRisk => "moderate_risk",
    HighRisk => "high_risk",
});

/// A severity band: an inclusive range of the banded value.
///
/// The banded value is the (possibly prorated) total for summed instruments,
/// and the triage level (0 none, 1 low, 2 moderate, 3 high) for the C-SSRS screener.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    /// Stable identifier.
    pub id: BandId,
    /// Label to show.
    pub label: &'static str,
    /// Lowest value in the band.
    pub lowest: u16,
    /// Highest value in the band.
    pub highest: u16,
}

/// The stable identifier of a subscale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscaleId {
    /// IES-R intrusion.
    Intrusion,
    /// IES-R or SPIN avoidance.
    Avoidance,
    /// IES-R hyperarousal.
    Hyperarousal,
    /// SPIN fear.
    Fear,
    /// SPIN physiological arousal.
    PhysiologicalArousal,
    /// OCI-R washing.
    Washing,
    /// OCI-R obsessing.
    Obsessing,
    /// OCI-R hoarding.
    Hoarding,
    /// OCI-R ordering.
    Ordering,
    /// OCI-R checking.
    Checking,
    /// OCI-R neutralising.
    Neutralising,
    /// PCL-5 cluster B, intrusion.
    ClusterBIntrusion,
    /// PCL-5 cluster C, avoidance.
    ClusterCAvoidance,
    /// PCL-5 cluster D, negative alterations in cognitions and mood.
    ClusterDNegativeCognitionsAndMood,
    /// PCL-5 cluster E, alterations in arousal and reactivity.
    ClusterEArousalAndReactivity,
    /// SHAI main section (items 1-14), illness likelihood.
    IllnessLikelihood,
    /// SHAI negative consequences of illness (items 15-18).
    NegativeConsequences,
}

crate::wire_name::wire_names!(SubscaleId {
    Intrusion => "intrusion",
    Avoidance => "avoidance",
    Hyperarousal => "hyperarousal",
    Fear => "fear",
    PhysiologicalArousal => "physiological_arousal",
    Washing => "washing",
    Obsessing => "obsessing",
    Hoarding => "hoarding",
    Ordering => "ordering",
    Checking => "checking",
    Neutralising => "neutralising",
    ClusterBIntrusion => "cluster_b_intrusion",
    ClusterCAvoidance => "cluster_c_avoidance",
    ClusterDNegativeCognitionsAndMood => "cluster_d_negative_cognitions_and_mood",
    ClusterEArousalAndReactivity => "cluster_e_arousal_and_reactivity",
    IllnessLikelihood => "illness_likelihood",
    NegativeConsequences => "negative_consequences",
});

/// A subscale: the sum of some items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Subscale {
    /// Stable identifier.
    pub id: SubscaleId,
    /// Label to show.
    pub label: &'static str,
    /// 1-based numbers of the items summed.
    pub items: &'static [u8],
}

/// What crossing a threshold means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdKind {
    /// A screening questionnaire is positive: assess further.
    ScreenPositive,
    /// The score is in the clinical range (NHS Talking Therapies "caseness"
    /// or the instrument's published clinical cut-off).
    ClinicalRange,
}

crate::wire_name::wire_names!(ThresholdKind {
    ScreenPositive => "screen_positive",
    ClinicalRange => "clinical_range",
});

/// The comparison a threshold makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CutOff {
    /// The (possibly prorated) total is at least this.
    TotalAtLeast {
        /// The lowest total that crosses the threshold.
        total: u16,
    },
    /// The exact mean item score is strictly above `hundredths / 100`.
    /// Compared exactly in integers, never in floating point.
    MeanAbove {
        /// The threshold in hundredths (230 means 2.30).
        hundredths: u16,
    },
}

/// A cut-off that raises a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Threshold {
    /// What crossing it means.
    pub kind: ThresholdKind,
    /// The comparison.
    pub cut_off: CutOff,
}

/// What a flagged single answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemFlagKind {
    /// Thoughts of self-harm, suicide or death: route to a clinician whatever the total.
    SelfHarmThoughts,
}

crate::wire_name::wire_names!(ItemFlagKind {
    SelfHarmThoughts => "self_harm_thoughts",
});

/// A single answer that raises a flag whatever the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ItemFlagRule {
    /// 1-based item number.
    pub item: u8,
    /// The lowest answer value that raises the flag.
    pub answer_at_least: u8,
    /// What it means.
    pub kind: ItemFlagKind,
}

/// A rule that looks at the pattern of endorsed items across subscales
/// (the PCL-5 provisional DSM-5 PTSD diagnosis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SymptomPatternRule {
    /// An item counts as an endorsed symptom when its answer is at least this.
    pub endorsed_at_least: u8,
    /// The fewest endorsed items each listed subscale needs.
    pub minimum_per_subscale: &'static [SubscaleMinimum],
}

/// The fewest endorsed items one subscale needs in a [`SymptomPatternRule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SubscaleMinimum {
    /// The subscale.
    pub subscale: SubscaleId,
    /// The fewest endorsed items.
    pub endorsed_items: u8,
}
