//! Redaction of UK identifiers from free text, for studies that ask for text.
//!
//! Replaced, each by a bracketed tag so researchers can still see that something
//! was there:
//! - names the system knows (display names, their parts, and usernames), whole
//!   words, case-insensitive → `[NAME]`;
//! - email addresses → `[EMAIL]`;
//! - UK telephone numbers (`07700 900123`, `+44 20 7946 0958`, `(0161) 496 0000`)
//!   → `[PHONE]`, following the Ofcom numbering plan's 10- or 11-digit national
//!   formats (leading 0, or +44/0044 for it);
//! - postcodes (Royal Mail PAF format, e.g. `SW1A 1AA`, `M1 1AE`) → `[POSTCODE]`;
//! - NHS numbers, any 10 digits grouped 3-3-4 or run together → `[NHS_NUMBER]`.
//!   The Modulus 11 check digit is deliberately not required: a mistyped NHS
//!   number still identifies someone to a person who knows them.
//!
//! Redaction errs towards removing too much: names unknown to the system (a
//! friend mentioned by first name) are not found, which is why free text leaves
//! only when a study asks for it and the person's consent covers it.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use super::Error;

/// Name parts shorter than this are not redacted on their own (initials would
/// erase every "I" and "a"); the full name still is.
const MIN_NAME_PART_CHARS: usize = 3;

/// A compiled redactor for one export.
#[derive(Debug, Clone)]
pub struct Redactor {
    names: Option<AhoCorasick>,
    patterns: Vec<(Regex, &'static str)>,
}

impl Redactor {
    /// A redactor that knows `names` (display names and usernames).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, Error> {
        let mut words: Vec<String> = Vec::new();
        for name in names {
            let trimmed = name.trim();
            if trimmed.chars().count() >= MIN_NAME_PART_CHARS {
                words.push(trimmed.to_owned());
            }
            for part in trimmed.split(|c: char| c.is_whitespace() || c == '-' || c == '\'') {
                if part.chars().count() >= MIN_NAME_PART_CHARS {
                    words.push(part.to_owned());
                }
            }
        }
        words.sort();
        words.dedup();
        let names = if words.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&words)
                    .map_err(|error| Error::Redactor {
                        reason: error.to_string(),
                    })?,
            )
        };
        let compile = |pattern: &str| {
            Regex::new(pattern).map_err(|error| Error::Redactor {
                reason: error.to_string(),
            })
        };
        let patterns = vec![
            (
                compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")?,
                "[EMAIL]",
            ),
            (
                compile(
                    r"(?:(?:\+|\b00)44[\s\-]?(?:\(0\)[\s\-]?)?|\(0|\b0)\d{2,4}\)?(?:[\s\-]?\d){5,8}\b",
                )?,
                "[PHONE]",
            ),
            (
                compile(r"\b\d{3}[\s\-]?\d{3}[\s\-]?\d{4}\b")?,
                "[NHS_NUMBER]",
            ),
            (
                compile(
                    r"(?i)\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPS-UW]|[A-HK-Y]\d[ABEHMNPRV-Y]) ?\d[ABD-HJLNP-UW-Z]{2})\b",
                )?,
                "[POSTCODE]",
            ),
        ];
        Ok(Self { names, patterns })
    }

    /// `text` with every identifier found replaced by its tag.
    pub fn redact(&self, text: &str) -> String {
        let mut spans: Vec<(usize, usize, &'static str)> = Vec::new();
        if let Some(names) = &self.names {
            for found in names.find_iter(text) {
                if is_whole_word(text, found.start(), found.end()) {
                    spans.push((found.start(), found.end(), "[NAME]"));
                }
            }
        }
        for (pattern, tag) in &self.patterns {
            for found in pattern.find_iter(text) {
                spans.push((found.start(), found.end(), tag));
            }
        }
        if spans.is_empty() {
            return text.to_owned();
        }
        // Earliest first, longest first at one start; overlapping spans merge
        // into the first one's tag so no fragment of an identifier survives.
        spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = String::with_capacity(text.len());
        let mut cursor = 0;
        for (start, end, tag) in spans {
            if start < cursor {
                cursor = cursor.max(end);
                continue;
            }
            out.push_str(text.get(cursor..start).unwrap_or_default());
            out.push_str(tag);
            cursor = end;
        }
        out.push_str(text.get(cursor..).unwrap_or_default());
        out
    }
}

/// Whether `text[start..end]` is bounded by non-alphanumeric characters (or the
/// ends of the text), so "Sam" is found in "Sam's" but not in "same".
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|head| head.chars().next_back());
    let after = text.get(end..).and_then(|tail| tail.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}
