//! Every wire enum: `as_str` is its serde name and `FromStr` reads it back.

use std::str::FromStr;

use serde::{Serialize, de::DeserializeOwned};

use super::UnknownName;

/// Checks every variant of one enum: serde writes `as_str`, and both serde
/// and `FromStr` read it back; an unknown name is a typed error.
fn check<T>(variants: &[T], as_str: fn(&T) -> &'static str, type_name: &str)
where
    T: Serialize + DeserializeOwned + FromStr<Err = UnknownName> + PartialEq + std::fmt::Debug,
{
    assert!(!variants.is_empty());
    for variant in variants {
        let name = as_str(variant);
        assert_eq!(
            serde_json::to_value(variant).unwrap(),
            serde_json::Value::String(name.to_owned()),
            "{type_name}::{variant:?}"
        );
        assert_eq!(name.parse::<T>().as_ref(), Ok(variant));
        assert_eq!(&serde_json::from_value::<T>(name.into()).unwrap(), variant);
    }
    let error = "no_such_name".parse::<T>().unwrap_err();
    assert_eq!(error.type_name, type_name);
    assert_eq!(error.name, "no_such_name");
}

#[test]
fn rating_names_match_serde() {
    check(
        crate::mood::Rating::VARIANTS,
        crate::mood::Rating::as_str,
        "Rating",
    );
}

#[test]
fn direction_names_match_serde() {
    check(
        crate::mood::Direction::VARIANTS,
        crate::mood::Direction::as_str,
        "Direction",
    );
}

#[test]
fn certainty_names_match_serde() {
    check(
        crate::mood::Certainty::VARIANTS,
        crate::mood::Certainty::as_str,
        "Certainty",
    );
}

#[test]
fn weekday_names_match_serde() {
    check(
        crate::mood::Weekday::VARIANTS,
        crate::mood::Weekday::as_str,
        "Weekday",
    );
}

#[test]
fn instrument_id_names_match_serde() {
    check(
        crate::scoring::InstrumentId::VARIANTS,
        |variant| variant.as_str(),
        "InstrumentId",
    );
}

#[test]
fn recall_period_names_match_serde() {
    check(
        crate::scoring::RecallPeriod::VARIANTS,
        crate::scoring::RecallPeriod::as_str,
        "RecallPeriod",
    );
}

#[test]
fn keying_names_match_serde() {
    check(
        crate::scoring::Keying::VARIANTS,
        crate::scoring::Keying::as_str,
        "Keying",
    );
}

#[test]
fn band_id_names_match_serde() {
    check(
        crate::scoring::BandId::VARIANTS,
        crate::scoring::BandId::as_str,
        "BandId",
    );
}

#[test]
fn subscale_id_names_match_serde() {
    check(
        crate::scoring::SubscaleId::VARIANTS,
        crate::scoring::SubscaleId::as_str,
        "SubscaleId",
    );
}

#[test]
fn threshold_kind_names_match_serde() {
    check(
        crate::scoring::ThresholdKind::VARIANTS,
        crate::scoring::ThresholdKind::as_str,
        "ThresholdKind",
    );
}

#[test]
fn item_flag_kind_names_match_serde() {
    check(
        crate::scoring::ItemFlagKind::VARIANTS,
        crate::scoring::ItemFlagKind::as_str,
        "ItemFlagKind",
    );
}

#[test]
fn suicide_risk_level_names_match_serde() {
    check(
        crate::scoring::SuicideRiskLevel::VARIANTS,
        crate::scoring::SuicideRiskLevel::as_str,
        "SuicideRiskLevel",
    );
}

#[test]
fn stage_names_match_serde() {
    check(
        crate::pet::Stage::VARIANTS,
        crate::pet::Stage::as_str,
        "Stage",
    );
}

#[test]
fn species_names_match_serde() {
    check(
        crate::pet::Species::VARIANTS,
        crate::pet::Species::as_str,
        "Species",
    );
}

#[test]
fn food_names_match_serde() {
    check(
        crate::pet::Food::VARIANTS,
        |variant| variant.as_str(),
        "Food",
    );
}

#[test]
fn hat_names_match_serde() {
    check(crate::pet::Hat::VARIANTS, |variant| variant.as_str(), "Hat");
}

#[test]
fn wellbeing_activity_names_match_serde() {
    check(
        crate::pet::WellbeingActivity::VARIANTS,
        |variant| variant.as_str(),
        "WellbeingActivity",
    );
}

#[test]
fn stat_kind_names_match_serde() {
    check(
        crate::pet::StatKind::VARIANTS,
        crate::pet::StatKind::as_str,
        "StatKind",
    );
}

#[test]
fn measure_names_match_serde() {
    check(
        crate::outcomes::Measure::VARIANTS,
        crate::outcomes::Measure::as_str,
        "Measure",
    );
}

#[test]
fn scoring_names_match_serde() {
    check(
        crate::outcomes::Scoring::VARIANTS,
        crate::outcomes::Scoring::as_str,
        "Scoring",
    );
}

#[test]
fn caseness_names_match_serde() {
    check(
        crate::outcomes::Caseness::VARIANTS,
        crate::outcomes::Caseness::as_str,
        "Caseness",
    );
}

#[test]
fn problem_descriptor_names_match_serde() {
    check(
        crate::outcomes::ProblemDescriptor::VARIANTS,
        crate::outcomes::ProblemDescriptor::as_str,
        "ProblemDescriptor",
    );
}

#[test]
fn treatment_completion_names_match_serde() {
    check(
        crate::outcomes::TreatmentCompletion::VARIANTS,
        crate::outcomes::TreatmentCompletion::as_str,
        "TreatmentCompletion",
    );
}

#[test]
fn reliable_change_names_match_serde() {
    check(
        crate::outcomes::ReliableChange::VARIANTS,
        crate::outcomes::ReliableChange::as_str,
        "ReliableChange",
    );
}

#[test]
fn recovery_names_match_serde() {
    check(
        crate::outcomes::Recovery::VARIANTS,
        crate::outcomes::Recovery::as_str,
        "Recovery",
    );
}

#[test]
fn reliable_recovery_names_match_serde() {
    check(
        crate::outcomes::ReliableRecovery::VARIANTS,
        crate::outcomes::ReliableRecovery::as_str,
        "ReliableRecovery",
    );
}

#[test]
fn session_kind_names_match_serde() {
    check(
        crate::outcomes::SessionKind::VARIANTS,
        crate::outcomes::SessionKind::as_str,
        "SessionKind",
    );
}

#[test]
fn purpose_names_match_serde() {
    check(
        crate::consent::Purpose::VARIANTS,
        crate::consent::Purpose::as_str,
        "Purpose",
    );
}

#[test]
fn decision_names_match_serde() {
    check(
        crate::consent::Decision::VARIANTS,
        crate::consent::Decision::as_str,
        "Decision",
    );
}

#[cfg(feature = "fhir")]
#[test]
fn administrative_sex_names_match_serde() {
    check(
        crate::fhir::AdministrativeSex::VARIANTS,
        crate::fhir::AdministrativeSex::as_str,
        "AdministrativeSex",
    );
}

#[cfg(feature = "fhir")]
#[test]
fn free_text_names_match_serde() {
    check(
        crate::fhir::FreeText::VARIANTS,
        crate::fhir::FreeText::as_str,
        "FreeText",
    );
}

#[cfg(feature = "fhir")]
#[test]
fn bundle_kind_names_match_serde() {
    check(
        crate::fhir::BundleKind::VARIANTS,
        crate::fhir::BundleKind::as_str,
        "BundleKind",
    );
}

#[test]
fn course_ending_names_match_serde() {
    check(
        crate::outcomes::CourseEnding::VARIANTS,
        crate::outcomes::CourseEnding::as_str,
        "CourseEnding",
    );
}

#[test]
fn exclusion_reason_names_match_serde() {
    check(
        crate::outcomes::ExclusionReason::VARIANTS,
        crate::outcomes::ExclusionReason::as_str,
        "ExclusionReason",
    );
}
