//! PCL-5: the PTSD Checklist for DSM-5.

use super::{clinical_range_from, option};
use crate::scoring::{
    AnswerOption, Instrument, InstrumentId, Prorating, RecallPeriod, ScoringRule, Subscale,
    SubscaleId, SubscaleMinimum, SymptomPatternRule,
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
