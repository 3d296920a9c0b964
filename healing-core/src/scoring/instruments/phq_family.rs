//! The licence and answer options shared by the PHQ and GAD family.

use super::option;
use crate::scoring::AnswerOption;

// PHQ and GAD family. Free to reproduce: "No permission required to reproduce,
// translate, display or distribute" (Pfizer, www.phqscreeners.com).

pub(super) const PHQ_LICENCE: &str = "Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.";

/// Answer options of the PHQ-9, PHQ-2, GAD-7 and GAD-2 (two-week frequency).
pub(super) const PHQ_FREQUENCY: &[AnswerOption] = &[
    option(0, "Not at all"),
    option(1, "Several days"),
    option(2, "More than half the days"),
    option(3, "Nearly every day"),
];
