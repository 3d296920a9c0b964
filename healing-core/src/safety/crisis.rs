//! Crisis resources chosen by an assessment's level and categories, as data a
//! deployment can replace for another country.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::Error;
use super::model::{Assessment, Category, RiskLevel};

/// One service a person can contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// Stable id, e.g. `samaritans`.
    pub id: String,
    /// Name to show, e.g. `Samaritans`.
    pub name: String,
    /// How to reach it, e.g. `call 116 123 (free, 24 hours)`.
    pub contact: String,
    /// Who it is for, in plain words.
    pub description: String,
    /// The lowest assessment level at which it is shown.
    pub min_level: RiskLevel,
    /// Shown when the assessment has one of these categories; empty means any
    /// category (and also an assessment with none).
    pub categories: Vec<Category>,
}

/// An ordered list of crisis resources for one region, most urgent first.
///
/// Fail closed: a caller that cannot get an assessment (any error on its side)
/// should show [`CrisisDirectory::resources_for_level`] at
/// [`RiskLevel::Critical`] rather than nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrisisDirectory {
    /// The region the resources serve, e.g. `United Kingdom`.
    pub region: String,
    /// The directory file's version.
    pub version: String,
    /// The resources, most urgent first.
    pub resources: Vec<Resource>,
}

const UK: &str = include_str!("crisis_uk.txt");

impl CrisisDirectory {
    /// The built-in UK directory (`src/safety/crisis_uk.txt`): 999 and A&E,
    /// NHS 111's mental health option, Samaritans, Shout, Childline and the
    /// National Domestic Abuse Helpline. Parsed once and shared.
    pub fn uk() -> &'static Self {
        static UK_DIRECTORY: OnceLock<CrisisDirectory> = OnceLock::new();
        UK_DIRECTORY.get_or_init(|| Self::from_text(UK).unwrap_or_else(|_| Self::emergency_only()))
    }

    /// The last-resort directory used only if the built-in file failed to
    /// parse (a unit test rules this out): 999 and Samaritans.
    fn emergency_only() -> Self {
        let any = Vec::new();
        Self {
            region: String::from("United Kingdom"),
            version: String::from("fallback"),
            resources: vec![
                Resource {
                    id: String::from("emergency"),
                    name: String::from("999 or A&E"),
                    contact: String::from("call 999, or go to A&E"),
                    description: String::from("if you or someone else is in immediate danger"),
                    min_level: RiskLevel::Low,
                    categories: any.clone(),
                },
                Resource {
                    id: String::from("samaritans"),
                    name: String::from("Samaritans"),
                    contact: String::from("call 116 123 (free, 24 hours)"),
                    description: String::from(
                        "someone to talk to about anything that is troubling you",
                    ),
                    min_level: RiskLevel::Low,
                    categories: any,
                },
            ],
        }
    }

    /// Parses a directory file: a `region` line, a `version` line, then
    /// `[resource id]` sections with `name`, `contact`, `description`,
    /// `min_level` and `categories` (a comma list or `any`). `#` starts a comment.
    pub fn from_text(text: &str) -> Result<Self, Error> {
        let mut region = None;
        let mut version = None;
        let mut resources: Vec<(Resource, usize)> = Vec::new();
        let mut open: Option<(Resource, usize, [bool; 5])> = None;
        for (index, raw) in text.lines().enumerate() {
            let line_number = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(r) = line.strip_prefix("region ") {
                region = Some(r.trim().to_owned());
                continue;
            }
            if let Some(v) = line.strip_prefix("version ") {
                if version.is_some() {
                    return Err(Error::DuplicateVersion { line: line_number });
                }
                version = Some(v.trim().to_owned());
                continue;
            }
            if line.starts_with('[') {
                if let Some(done) = open.take() {
                    resources.push(finish_resource(done)?);
                }
                let id = line
                    .strip_prefix("[resource ")
                    .and_then(|l| l.strip_suffix(']'))
                    .map(str::trim)
                    .filter(|id| {
                        !id.is_empty()
                            && id
                                .bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    })
                    .ok_or_else(|| Error::BadHeader {
                        line: line_number,
                        text: line.chars().take(80).collect(),
                    })?;
                if let Some((_, first_line)) = resources.iter().find(|(r, _)| r.id == id) {
                    return Err(Error::DuplicateId {
                        line: line_number,
                        id: id.to_owned(),
                        first_line: *first_line,
                    });
                }
                let empty = Resource {
                    id: id.to_owned(),
                    name: String::new(),
                    contact: String::new(),
                    description: String::new(),
                    min_level: RiskLevel::Critical,
                    categories: Vec::new(),
                };
                open = Some((empty, line_number, [false; 5]));
                continue;
            }
            let Some((resource, _, seen)) = open.as_mut() else {
                return Err(Error::OutsideSection {
                    line: line_number,
                    text: line.chars().take(80).collect(),
                });
            };
            let Some((key, value)) = line.split_once('=') else {
                return Err(Error::UnknownLine {
                    line: line_number,
                    text: line.chars().take(80).collect(),
                });
            };
            let (key, value) = (key.trim(), value.trim());
            let bad = || Error::BadValue {
                line: line_number,
                key: key.to_owned(),
                value: value.chars().take(80).collect(),
            };
            if value.is_empty() {
                return Err(bad());
            }
            let slot = match key {
                "name" => {
                    resource.name = value.to_owned();
                    0
                }
                "contact" => {
                    resource.contact = value.to_owned();
                    1
                }
                "description" => {
                    resource.description = value.to_owned();
                    2
                }
                "min_level" => {
                    resource.min_level = RiskLevel::from_name(value)
                        .filter(|l| *l > RiskLevel::None)
                        .ok_or_else(bad)?;
                    3
                }
                "categories" => {
                    resource.categories = if value == "any" {
                        Vec::new()
                    } else {
                        value
                            .split(',')
                            .map(|c| Category::from_name(c.trim()))
                            .collect::<Option<Vec<_>>>()
                            .ok_or_else(bad)?
                    };
                    4
                }
                _ => {
                    return Err(Error::UnknownKey {
                        line: line_number,
                        key: key.to_owned(),
                    });
                }
            };
            if let Some(s) = seen.get_mut(slot) {
                *s = true;
            }
        }
        if let Some(done) = open.take() {
            resources.push(finish_resource(done)?);
        }
        let region = region.ok_or(Error::MissingRegion)?;
        let version = version.ok_or(Error::MissingVersion)?;
        Ok(Self {
            region,
            version,
            resources: resources.into_iter().map(|(r, _)| r).collect(),
        })
    }

    /// The resources to show with `assessment`, most urgent first: those whose
    /// `min_level` is at or below the assessment's level and whose categories
    /// (if any) meet the assessment's. Empty for [`RiskLevel::None`].
    pub fn resources_for(&self, assessment: &Assessment) -> Vec<&Resource> {
        self.resources
            .iter()
            .filter(|r| assessment.level >= r.min_level && assessment.level > RiskLevel::None)
            .filter(|r| {
                r.categories.is_empty()
                    || r.categories
                        .iter()
                        .any(|c| assessment.categories.contains(c))
            })
            .collect()
    }

    /// The resources whose `min_level` is at or below `level`, whatever their
    /// categories: what to show when no assessment is available (use
    /// [`RiskLevel::Critical`] to fail closed).
    pub fn resources_for_level(&self, level: RiskLevel) -> Vec<&Resource> {
        self.resources
            .iter()
            .filter(|r| level >= r.min_level && level > RiskLevel::None)
            .collect()
    }
}

const KEYS: [&str; 5] = ["name", "contact", "description", "min_level", "categories"];

fn finish_resource(
    (resource, line, seen): (Resource, usize, [bool; 5]),
) -> Result<(Resource, usize), Error> {
    if let Some((key, _)) = KEYS.iter().zip(seen).find(|(_, s)| !s) {
        return Err(Error::MissingKey {
            line,
            id: resource.id,
            key: (*key).to_owned(),
        });
    }
    Ok((resource, line))
}
