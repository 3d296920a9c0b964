//! Types and checks for risk-rule plugins (the `risk-rule` world).

pub use crate::risk_bindings::exports::healing::plugin::rule::{
    Category, Context, Finding, PluginError, RiskLevel, RuleDescription, Source, Span,
};

/// A local risk rule: what a plugin author implements, then exports with
/// [`risk_rule!`](crate::risk_rule).
pub trait RiskRule {
    /// The rule's name, version and every category it can report. Called once
    /// when the host loads the plugin.
    fn describe() -> RuleDescription;

    /// Findings for `text`. Spans are byte offsets into `text`; the host drops
    /// any finding whose span is not a non-empty range on character boundaries.
    fn assess(text: &str, context: &Context) -> Result<Vec<Finding>, PluginError>;
}

impl Span {
    /// The span of a byte range. Texts longer than 4 GiB never reach a plugin
    /// (the host caps input far below that), so the offsets fit in `u32`;
    /// larger values saturate and the host then drops the finding.
    pub fn from_range(range: std::ops::Range<usize>) -> Span {
        Span {
            start: u32::try_from(range.start).unwrap_or(u32::MAX),
            end: u32::try_from(range.end).unwrap_or(u32::MAX),
        }
    }
}

impl Context {
    /// A context with an unknown source and no history, for tests.
    pub fn unknown() -> Context {
        Context {
            source: Source::Unknown,
            recent_levels: Vec::new(),
        }
    }
}

/// Runs `R::assess` natively and applies the checks the host applies to a
/// plugin's findings: each span is a non-empty range of `text` on character
/// boundaries, each category was declared by `R::describe`, and each rule name
/// is lower-case `a-z0-9._-`. Returns the findings, or the first problem in the
/// words the host would use.
pub fn check_findings<R: RiskRule>(text: &str, context: &Context) -> Result<Vec<Finding>, String> {
    let description = R::describe();
    let findings = R::assess(text, context).map_err(|error| format!("plugin error: {error:?}"))?;
    for (index, finding) in findings.iter().enumerate() {
        let (start, end) = (finding.span.start as usize, finding.span.end as usize);
        let span_is_valid = start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !span_is_valid {
            return Err(format!(
                "finding {index} has span {start}..{end}, not a valid range of a {}-byte text",
                text.len()
            ));
        }
        if let Some(category) = finding
            .categories
            .iter()
            .find(|category| !description.categories.contains(category))
        {
            return Err(format!(
                "finding {index} reports category {category:?}, which describe() does not declare"
            ));
        }
        if !is_rule_name(&finding.rule) {
            return Err(format!(
                "finding {index} has rule name '{}', not lower-case a-z0-9._- (1 to 64 bytes)",
                finding.rule
            ));
        }
    }
    Ok(findings)
}

/// Whether `name` is a valid rule name: 1 to 64 bytes of `a-z0-9._-`.
pub fn is_rule_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}
