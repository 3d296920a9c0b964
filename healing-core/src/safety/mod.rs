//! Risk detection in free text: decides whether a message written by a patient
//! should bring crisis resources on screen and alert a clinician, and explains why.
//!
#![doc = include_str!("README.md")]

mod classifier;
mod crisis;
mod engine;
mod lexicon;
mod model;
mod normalise;

#[cfg(test)]
mod tests;

use std::sync::OnceLock;

pub use crisis::{CrisisDirectory, Resource};
pub use engine::{Engine, Rule};
pub use model::{Assessment, Category, Context, Finding, RiskLevel, Source};

/// Why lexicon or crisis-directory text could not be loaded. Line numbers count
/// from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The file has no `version` line.
    #[error("the lexicon has no version line (e.g. 'version 2026.11.1')")]
    MissingVersion,
    /// The file has two `version` lines.
    #[error("line {line}: a second version line")]
    DuplicateVersion {
        /// Line of the second `version`.
        line: usize,
    },
    /// The version is not three dot-separated numbers.
    #[error(
        "line {line}: version '{version}' is not three dot-separated numbers such as 2026.11.1"
    )]
    BadVersion {
        /// Line of the `version`.
        line: usize,
        /// The version as written.
        version: String,
    },
    /// A crisis directory has no `region` line.
    #[error("the crisis directory has no region line (e.g. 'region United Kingdom')")]
    MissingRegion,
    /// A line that is not a comment, header or version appears before any section.
    #[error("line {line}: '{text}' is outside any section")]
    OutsideSection {
        /// The line.
        line: usize,
        /// The line's text, cut to 80 characters.
        text: String,
    },
    /// A line that is neither `key = value` nor `- phrase`.
    #[error("line {line}: '{text}' is neither 'key = value' nor '- phrase'")]
    UnknownLine {
        /// The line.
        line: usize,
        /// The line's text, cut to 80 characters.
        text: String,
    },
    /// A section header that is not `[kind id]`.
    #[error("line {line}: header '{text}' is not '[kind id]' with a lower-case id")]
    BadHeader {
        /// The line.
        line: usize,
        /// The header as written, cut to 80 characters.
        text: String,
    },
    /// A section kind this file type does not know.
    #[error("line {line}: section kind '{kind}' is not known")]
    UnknownKind {
        /// The line.
        line: usize,
        /// The kind as written.
        kind: String,
    },
    /// Two sections share an id.
    #[error("line {line}: section id '{id}' is already used on line {first_line}")]
    DuplicateId {
        /// The line of the second use.
        line: usize,
        /// The id.
        id: String,
        /// The line of the first use.
        first_line: usize,
    },
    /// A key this section kind does not take.
    #[error("line {line}: key '{key}' is not known")]
    UnknownKey {
        /// The line.
        line: usize,
        /// The key as written.
        key: String,
    },
    /// A value the key does not accept.
    #[error("line {line}: '{value}' is not a valid value for '{key}'")]
    BadValue {
        /// The line.
        line: usize,
        /// The key.
        key: String,
        /// The value as written, cut to 80 characters.
        value: String,
    },
    /// A section lacks a key it needs.
    #[error("line {line}: section '{id}' has no '{key}'")]
    MissingKey {
        /// The line of the section header.
        line: usize,
        /// The section id.
        id: String,
        /// The missing key.
        key: String,
    },
    /// A section with no phrases.
    #[error("line {line}: section '{id}' has no phrases")]
    EmptySection {
        /// The line of the section header.
        line: usize,
        /// The section id.
        id: String,
    },
    /// A phrase that cannot be matched.
    #[error("line {line}: phrase '{phrase}' is not usable: {why}")]
    BadPhrase {
        /// The line.
        line: usize,
        /// The phrase, cut to 80 characters.
        phrase: String,
        /// What is wrong with it.
        why: String,
    },
    /// A `define {slot} = a | b` line that cannot be used.
    #[error("line {line}: definition '{text}' is not usable: {why}")]
    BadDefinition {
        /// The line.
        line: usize,
        /// The line's text, cut to 80 characters.
        text: String,
        /// What is wrong with it.
        why: String,
    },
    /// The learned reader's weights file is not valid (line 0: the file as a whole).
    #[error("classifier weights, line {line}: {why}")]
    Classifier {
        /// The line.
        line: usize,
        /// What is wrong with it.
        why: String,
    },
    /// The matching automaton could not be built (too many or too long phrases).
    #[error("the phrase automaton could not be built: {message}")]
    Automaton {
        /// The automaton library's message.
        message: String,
    },
}

/// The engine with the built-in lexicon, built on first use and shared.
fn default_engine() -> &'static Result<Engine, Error> {
    static ENGINE: OnceLock<Result<Engine, Error>> = OnceLock::new();
    ENGINE.get_or_init(Engine::standard)
}

/// Assesses one text with the built-in rules.
///
/// Never fails and never panics, for any input (empty, megabytes, any Unicode,
/// control characters). Should the built-in rules ever fail to load, it fails
/// closed: the assessment is [`RiskLevel::High`] with a note, so crisis
/// resources are shown.
pub fn assess(text: &str, context: &Context) -> Assessment {
    match default_engine() {
        Ok(engine) => engine.assess(text, context),
        Err(error) => engine::fail_closed(error),
    }
}

/// Assesses texts in order with the built-in rules and [`Context::default()`];
/// one assessment per text, deterministic.
pub fn assess_many(texts: &[&str]) -> Vec<Assessment> {
    let context = Context::default();
    texts.iter().map(|text| assess(text, &context)).collect()
}

/// The version of the built-in rules: the lexicon's (`version` line of
/// `lexicon.txt`) and the learned reader's (`classifier.txt`), as
/// `2026.12.1+model.2026.12.5`, or `unavailable` if they failed to load.
pub fn rules_version() -> &'static str {
    match default_engine() {
        Ok(engine) => engine.rules_version(),
        Err(_) => "unavailable",
    }
}
