//! Example risk rule: a service's local term list.
//!
//! Some patients use words the core lexicon does not know, often coined online to
//! get past moderation ("unalive" for kill, "sewerslide" for suicide). A service
//! that hears such terms can add them without forking Healing. Matching is
//! ASCII case-insensitive on whole words, so byte offsets in the lower-cased
//! text are offsets in the original.
//!
//! The terms and levels below are an illustration of the mechanism, not a
//! validated lexicon (unconfirmed: no published source grades these terms); a
//! service writes its own list with its clinical safety officer.

use healing_plugin_sdk::risk::{
    Category, Context, Finding, PluginError, RiskLevel, RiskRule, RuleDescription, Span,
};

/// One local term: the words to find (lower-case ASCII), the level and
/// categories they support, and the rule name reported.
struct Term {
    words: &'static str,
    rule: &'static str,
    level: RiskLevel,
    category: Category,
}

/// The example list, most specific first (a longer term wins over a shorter
/// one it contains, because shorter terms inside a matched span are skipped).
const TERMS: &[Term] = &[
    Term {
        words: "unalive myself",
        rule: "local.unalive_self",
        level: RiskLevel::High,
        category: Category::Suicide,
    },
    Term {
        words: "unaliving myself",
        rule: "local.unalive_self",
        level: RiskLevel::High,
        category: Category::Suicide,
    },
    Term {
        words: "sewerslide",
        rule: "local.sewerslide",
        level: RiskLevel::Medium,
        category: Category::Suicide,
    },
    Term {
        words: "unalive",
        rule: "local.unalive",
        level: RiskLevel::Medium,
        category: Category::Suicide,
    },
    Term {
        words: "cat scratches",
        rule: "local.cat_scratches",
        level: RiskLevel::Medium,
        category: Category::SelfHarm,
    },
];

/// The rule; all its data is in [`TERMS`].
pub struct LocalTerms;

impl RiskRule for LocalTerms {
    fn describe() -> RuleDescription {
        RuleDescription {
            name: "Local terms (example)".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            categories: vec![Category::Suicide, Category::SelfHarm],
        }
    }

    fn assess(text: &str, _context: &Context) -> Result<Vec<Finding>, PluginError> {
        let lower = text.to_ascii_lowercase();
        let mut findings: Vec<Finding> = Vec::new();
        for term in TERMS {
            for (start, _) in lower.match_indices(term.words) {
                let end = start + term.words.len();
                let inside_earlier = findings
                    .iter()
                    .any(|f| f.span.start as usize <= start && end <= f.span.end as usize);
                if is_whole_word(&lower, start, end) && !inside_earlier {
                    findings.push(Finding {
                        rule: term.rule.to_owned(),
                        span: Span::from_range(start..end),
                        level: term.level,
                        categories: vec![term.category],
                        reason: format!("local term '{}'", &text[start..end]),
                    });
                }
            }
        }
        Ok(findings)
    }
}

/// Whether `start..end` is not inside a longer word.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before = start.checked_sub(1).and_then(|i| bytes.get(i));
    let after = bytes.get(end);
    !before.is_some_and(u8::is_ascii_alphanumeric) && !after.is_some_and(u8::is_ascii_alphanumeric)
}

healing_plugin_sdk::risk_rule!(LocalTerms);

#[cfg(test)]
mod tests {
    use super::*;
    use healing_plugin_sdk::risk::check_findings;

    fn rules(text: &str) -> Vec<(String, u32, u32)> {
        check_findings::<LocalTerms>(text, &Context::unknown())
            .unwrap()
            .into_iter()
            .map(|f| (f.rule, f.span.start, f.span.end))
            .collect()
    }

    #[test]
    fn flags_unalive_myself_once_as_the_longer_term() {
        assert_eq!(
            rules("I want to Unalive myself"),
            [("local.unalive_self".to_owned(), 10, 24)]
        );
    }

    #[test]
    fn ignores_terms_inside_longer_words() {
        assert!(rules("the sewerslides at the water park").is_empty());
    }

    #[test]
    fn spans_stay_on_character_boundaries_after_non_ascii_text() {
        assert_eq!(
            rules("é sewerslide"),
            [("local.sewerslide".to_owned(), 3, 13)]
        );
    }
}
