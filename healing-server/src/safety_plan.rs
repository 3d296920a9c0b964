//! The safety plan's content: its sections, the rules a plan must meet, the blank
//! plan a patient starts from, and the free text that is screened when it is saved.
//! The routes are in [`crate::routes::safety_plan`]; the store keeps every version.
//!
//! The sections are those of the Safety Planning Intervention: Stanley, B., & Brown,
//! G. K. (2012). *Safety Planning Intervention: A brief intervention to mitigate
//! suicide risk.* Cognitive and Behavioral Practice, 19(2), 256–264.
//! <https://doi.org/10.1016/j.cbpra.2011.01.001>. Its six steps are: warning signs;
//! internal coping strategies; people and social settings that provide distraction;
//! people whom the patient can ask for help; professionals or agencies to contact in
//! a crisis; and making the environment safe. Reasons for living is the addition the
//! authors' own template and later versions of the plan carry ("the one thing that
//! is most important to me and worth living for"); it is kept here as its own section.

use healing_core::safety::CrisisDirectory;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// Most entries in one section.
pub const MAX_ENTRIES: usize = 20;
/// Longest entry (or contact name) accepted, in characters.
pub const MAX_ENTRY_CHARS: usize = 500;
/// Longest way of reaching someone (a phone number, an address), in characters.
pub const MAX_CONTACT_CHARS: usize = 200;

/// Someone to reach: a person who can help, or a professional or service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanContact {
    /// Who (1 to 500 characters).
    pub name: String,
    /// How to reach them, for example a phone number (up to 200 characters; may be empty).
    #[serde(default)]
    pub contact: String,
}

/// The sections of a Stanley–Brown safety plan, in the plan's order. Every section
/// is a list; an empty list is a section not filled in yet.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SafetyPlanContent {
    /// Step 1: thoughts, images, moods, situations or behaviours that show a crisis
    /// may be developing.
    #[serde(default)]
    pub warning_signs: Vec<String>,
    /// Step 2: things the patient can do alone to take their mind off problems.
    #[serde(default)]
    pub internal_coping_strategies: Vec<String>,
    /// Step 3: people and social settings that provide distraction.
    #[serde(default)]
    pub distracting_people_and_places: Vec<PlanContact>,
    /// Step 4: people the patient can ask for help.
    #[serde(default)]
    pub people_to_ask_for_help: Vec<PlanContact>,
    /// Step 5: professionals and services to contact in a crisis; a new plan starts
    /// with the crisis services of the server's crisis directory.
    #[serde(default)]
    pub professionals_and_services: Vec<PlanContact>,
    /// Step 6: making the environment safe (for example, what to keep out of reach).
    #[serde(default)]
    pub making_the_environment_safe: Vec<String>,
    /// Reasons for living: what matters most and is worth living for.
    #[serde(default)]
    pub reasons_for_living: Vec<String>,
}

impl SafetyPlanContent {
    /// The plan a patient starts from: every section empty but the professionals and
    /// services, which hold the crisis directory's services (name and how to reach them).
    pub fn blank(directory: &CrisisDirectory) -> Self {
        Self {
            professionals_and_services: directory
                .resources
                .iter()
                .map(|resource| PlanContact {
                    name: resource.name.clone(),
                    contact: resource.contact.clone(),
                })
                .collect(),
            ..Self::default()
        }
    }

    /// Checks the plan and trims its entries; the error names the section and entry,
    /// never its text. A plan needs at least one entry somewhere.
    pub fn validated(mut self) -> Result<Self, ApiError> {
        if self == Self::default() {
            return Err(ApiError::validation(
                "the safety plan is empty; fill in at least one section",
            ));
        }
        for (section, entries) in [
            ("warning_signs", &mut self.warning_signs),
            (
                "internal_coping_strategies",
                &mut self.internal_coping_strategies,
            ),
            (
                "making_the_environment_safe",
                &mut self.making_the_environment_safe,
            ),
            ("reasons_for_living", &mut self.reasons_for_living),
        ] {
            check_count(section, entries.len())?;
            for (index, entry) in entries.iter_mut().enumerate() {
                *entry = checked_text(section, index, entry, MAX_ENTRY_CHARS, false)?;
            }
        }
        for (section, contacts) in [
            (
                "distracting_people_and_places",
                &mut self.distracting_people_and_places,
            ),
            ("people_to_ask_for_help", &mut self.people_to_ask_for_help),
            (
                "professionals_and_services",
                &mut self.professionals_and_services,
            ),
        ] {
            check_count(section, contacts.len())?;
            for (index, contact) in contacts.iter_mut().enumerate() {
                contact.name = checked_text(section, index, &contact.name, MAX_ENTRY_CHARS, false)?;
                contact.contact =
                    checked_text(section, index, &contact.contact, MAX_CONTACT_CHARS, true)?;
            }
        }
        Ok(self)
    }

    /// Every free-text field joined, one per line, for one screening of the plan.
    pub fn screening_text(&self) -> String {
        let contacts = |contacts: &[PlanContact]| {
            contacts
                .iter()
                .flat_map(|contact| [contact.name.clone(), contact.contact.clone()])
                .collect::<Vec<_>>()
        };
        [
            self.warning_signs.clone(),
            self.internal_coping_strategies.clone(),
            contacts(&self.distracting_people_and_places),
            contacts(&self.people_to_ask_for_help),
            contacts(&self.professionals_and_services),
            self.making_the_environment_safe.clone(),
            self.reasons_for_living.clone(),
        ]
        .concat()
        .into_iter()
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
    }

    /// The plan as the JSON text the store seals.
    pub fn to_json(&self) -> Result<String, ApiError> {
        serde_json::to_string(self).map_err(ApiError::internal)
    }

    /// A stored plan's JSON text (the store only holds plans this module wrote).
    pub fn from_json(text: &str) -> Result<Self, ApiError> {
        serde_json::from_str(text).map_err(ApiError::internal)
    }
}

fn check_count(section: &str, count: usize) -> Result<(), ApiError> {
    if count > MAX_ENTRIES {
        return Err(ApiError::validation(format!(
            "{section} has {count} entries; use at most {MAX_ENTRIES}"
        )));
    }
    Ok(())
}

fn checked_text(
    section: &str,
    index: usize,
    text: &str,
    max: usize,
    may_be_empty: bool,
) -> Result<String, ApiError> {
    let trimmed = text.trim();
    let chars = trimmed.chars().count();
    if (trimmed.is_empty() && !may_be_empty) || chars > max {
        let least = usize::from(!may_be_empty);
        return Err(ApiError::validation(format!(
            "{section} entry {index} has {chars} characters; use {least} to {max}"
        )));
    }
    Ok(trimmed.to_owned())
}
