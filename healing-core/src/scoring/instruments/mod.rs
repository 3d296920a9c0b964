//! The registry: every instrument Healing can score, as static data.
//!
//! Each instrument is a `const` table in its own file, named by the
//! instrument's id (`phq9.rs`, `audit_c.rs`); answer options and items that
//! two instruments share live with the first and the other imports them, and
//! the PHQ and GAD family's licence and options live in `phq_family.rs`.
//! Adding an instrument means adding its file, listing it in
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
    AnswerOption, Band, BandId, CutOff, Instrument, InstrumentId, ItemFlagKind, ItemFlagRule,
    MAX_ITEMS, Requirement, ScoringRule, Threshold, ThresholdKind,
};

/// Builds an item; the label is always "Item n".
macro_rules! item {
    ($number:literal, $text:expr, $options:expr) => {
        item!(
            $number,
            $text,
            $options,
            $crate::scoring::Keying::Forward,
            $crate::scoring::Requirement::Required
        )
    };
    ($number:literal, $text:expr, $options:expr, $keying:expr, $requirement:expr) => {
        $crate::scoring::Item {
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
        &[$($crate::scoring::AnswerOption { value: $value, label: None }),*]
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
mod gad2;
mod gad7;
mod phq15;
mod phq2;
mod phq9;
mod phq_family;

// ---------------------------------------------------------------------------
// Functioning and wellbeing.
// ---------------------------------------------------------------------------
mod core10;
mod swemwbs;
mod wsas;

// ---------------------------------------------------------------------------
// Alcohol. WHO: "may be reproduced without permission"; Babor et al. 2001.
// ---------------------------------------------------------------------------
mod audit;
mod audit_c;

// ---------------------------------------------------------------------------
// Perinatal.
// ---------------------------------------------------------------------------
mod epds;

// ---------------------------------------------------------------------------
// Anxiety-disorder-specific measures used with the PHQ-9 in NHS Talking
// Therapies (NHS Talking Therapies Manual; IAPT Data Handbook v2.0.1,
// appendix D). Item text is copyrighted by the authors: not shipped.
// ---------------------------------------------------------------------------
mod ies_r;
mod mobility_inventory_alone;
mod oci_r;
mod pcl5;
mod pdss;
mod shai;
mod spin;

// ---------------------------------------------------------------------------
// Suicide risk screening.
// ---------------------------------------------------------------------------
mod cssrs_screener;

use self::{
    audit::AUDIT, audit_c::AUDIT_C, core10::CORE10, cssrs_screener::CSSRS_SCREENER, epds::EPDS,
    gad2::GAD2, gad7::GAD7, ies_r::IES_R, mobility_inventory_alone::MOBILITY_INVENTORY_ALONE,
    oci_r::OCI_R, pcl5::PCL5, pdss::PDSS, phq2::PHQ2, phq9::PHQ9, phq15::PHQ15, shai::SHAI,
    spin::SPIN, swemwbs::SWEMWBS, wsas::WSAS,
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
