//! The data the engine returns and takes: levels, categories, findings, context.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How urgently a human should see a message, as defined by the project's label
/// guide (`../shared/safety/LABELS.md` from the repository root).
///
/// Levels describe what the writer discloses about now. They route a message to
/// a human (crisis resources on screen, clinician alert); they are not a risk
/// stratification of the person, never a prediction of suicide and never a
/// reason to withhold or end care (NICE NG225, *Self-harm: assessment,
/// management and preventing recurrence*, 2022, section 1.5: do not use risk
/// assessment tools or scales to predict suicide or repetition of self-harm, or
/// to decide who is offered treatment; unconfirmed: the exact recommendation
/// numbers. NHS England, *Staying safe from suicide*, 2025, likewise advises
/// against low/medium/high stratification of people).
///
/// Ordered: `None < Low < Medium < High < Critical`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// No risk content about the writer: small talk, idioms ("this commute is
    /// killing me"), clear negation ("I'm not suicidal, just exhausted"), fiction,
    /// news, lyrics or quotes plainly about something else.
    #[default]
    None,
    /// Distress or low mood with no risk indicator, or risk that is clearly past
    /// and resolved ("I used to self-harm at uni but I've been fine for years").
    Low,
    /// A passive wish to be dead, hopelessness with entrapment, urges to self-harm
    /// that are being resisted, worry about someone else's safety, or risk talked
    /// about ambiguously ("I wish I could sleep and not wake up").
    Medium,
    /// Current suicidal thoughts without a stated plan, self-harm now or in the
    /// last days, being harmed or unsafe at home, or a threat to hurt someone
    /// without a plan ("I want to kill myself", "I cut again last night").
    High,
    /// Intent with a plan, means, time or place; an attempt under way or just
    /// made; goodbye or finality messages; imminent danger to others with intent
    /// ("I've saved up my pills and I'm taking them tonight").
    Critical,
}

impl RiskLevel {
    /// All levels, lowest first.
    pub const ALL: [RiskLevel; 5] = [
        Self::None,
        Self::Low,
        Self::Medium,
        Self::High,
        Self::Critical,
    ];

    /// The stable lower-case name used in JSON and in the lexicon file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// The level with this name, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == name)
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of risk a message discloses. A message may have several.
///
/// Categories are only reported when the level is at least
/// [`RiskLevel::Medium`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Thoughts of suicide, a plan, or an attempt.
    Suicide,
    /// Self-harm: urges, acts, injuries.
    SelfHarm,
    /// A threat or intent to hurt another person.
    HarmToOthers,
    /// The writer, or a child or vulnerable adult, is being abused, neglected,
    /// exploited or is unsafe (including forced marriage and grooming).
    Safeguarding,
    /// The concern is about someone other than the writer; always combined with
    /// the category of that person's risk.
    ThirdParty,
}

impl Category {
    /// All categories, in reporting order.
    pub const ALL: [Category; 5] = [
        Self::Suicide,
        Self::SelfHarm,
        Self::HarmToOthers,
        Self::Safeguarding,
        Self::ThirdParty,
    ];

    /// The stable snake_case name used in JSON and in the lexicon file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suicide => "suicide",
            Self::SelfHarm => "self_harm",
            Self::HarmToOthers => "harm_to_others",
            Self::Safeguarding => "safeguarding",
            Self::ThirdParty => "third_party",
        }
    }

    /// The category with this name, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|category| category.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A live chat with the service or a peer supporter.
    Chat,
    /// The free-text note attached to a mood entry.
    MoodNote,
    /// A private journal entry.
    Journal,
    /// A message to the care team.
    Message,
    /// A post or reply in a community space.
    Community,
    /// A note written by a clinician about the patient.
    ClinicalNote,
    /// Not known.
    #[default]
    Unknown,
}

/// What the caller knows about a text besides its words. Optional: the built-in
/// rules work with [`Context::default()`] and do not read it; it is passed to
/// every [`Rule`](super::Rule) so deployment rules can.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Context {
    /// Where the text came from.
    pub source: Source,
    /// The levels of the writer's recent messages, oldest first, if the caller
    /// keeps them.
    pub recent_levels: Vec<RiskLevel>,
}

/// One piece of evidence behind an assessment: which rule fired, where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The id of the rule (a lexicon section such as `suicide.active_ideation`,
    /// or the id of an external [`Rule`](super::Rule)).
    pub rule: String,
    /// Byte offset in the original text where the evidence starts (a character
    /// boundary).
    pub start: usize,
    /// Byte offset in the original text just after the evidence (a character
    /// boundary, greater than `start`).
    pub end: usize,
    /// The level this finding supports.
    pub level: RiskLevel,
    /// The categories this finding supports; empty for distress (low) findings.
    pub categories: Vec<Category>,
    /// A short explanation a clinician can read, quoting the words matched.
    pub reason: String,
}

impl Finding {
    /// The byte range of the evidence in the original text.
    pub fn span(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// The engine's answer for one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The highest level any finding supports, [`RiskLevel::None`] when none fired.
    pub level: RiskLevel,
    /// The categories of the findings at [`RiskLevel::Medium`] or above, in
    /// [`Category::ALL`] order without repeats; empty when the level is below medium.
    pub categories: Vec<Category>,
    /// The evidence, in order of where it starts in the text.
    pub findings: Vec<Finding>,
    /// Things a reviewer should know that are not findings: words that were
    /// matched but set aside (negated, past, fiction) and external findings
    /// that were dropped.
    pub notes: Vec<String>,
    /// The versions of the lexicon and learned reader that produced this
    /// assessment, e.g. `2026.12.1+model.2026.12.5`.
    pub rules_version: String,
}
