//! A risk-rule plugin changes `safety::assess` output through the engine's
//! extension point, end to end from a `.wasm` file.

use healing_core::safety::{Category, Context, Engine, RiskLevel};

use super::{host, risk_rule};

#[test]
fn local_term_plugin_raises_the_assessment_through_the_extension_point() {
    let host = host();
    let text = "the cat scratches are back";
    let core_only = Engine::standard()
        .unwrap()
        .assess(text, &Context::default());
    assert!(core_only.level < RiskLevel::Medium, "{core_only:?}");

    let engine = Engine::standard()
        .unwrap()
        .with_rule(risk_rule(&host, "local_terms"));
    let assessment = engine.assess(text, &Context::default());
    assert_eq!(assessment.level, RiskLevel::Medium);
    assert_eq!(assessment.categories, [Category::SelfHarm]);
    let finding = assessment
        .findings
        .iter()
        .find(|f| f.rule.starts_with("plugin/"))
        .unwrap();
    assert_eq!(finding.rule, "plugin/local-terms/local.cat_scratches");
    assert_eq!(&text[finding.span()], "cat scratches");
    assert_eq!(finding.reason, "local term 'cat scratches'");
}

#[test]
fn a_plugin_never_lowers_the_core_level() {
    let host = host();
    // The hostile fixture answers ordinary text with one low finding.
    let text = "I want to kill myself";
    let core_only = Engine::standard()
        .unwrap()
        .assess(text, &Context::default());
    let engine = Engine::standard()
        .unwrap()
        .with_rule(risk_rule(&host, "hostile_rule"));
    let assessment = engine.assess(text, &Context::default());
    assert!(
        assessment
            .findings
            .iter()
            .any(|f| f.rule == "plugin/hostile-rule/hostile")
    );
    assert_eq!(assessment.level, core_only.level);
    assert!(assessment.level >= RiskLevel::High);
}

#[test]
fn a_failing_plugin_fails_closed_in_the_assessment() {
    let host = host();
    let engine = Engine::standard()
        .unwrap()
        .with_rule(risk_rule(&host, "hostile_rule"));
    let assessment = engine.assess("trap", &Context::default());
    assert_eq!(assessment.level, RiskLevel::High);
    let finding = &assessment.findings[0];
    assert_eq!(finding.rule, "plugin/hostile-rule/failed");
    assert!(
        finding.reason.starts_with(
            "plugin rule could not assess this text (plugin 'hostile-rule': it trapped"
        ),
        "{}",
        finding.reason
    );
}

#[test]
fn findings_keep_byte_spans_of_the_original_text() {
    let host = host();
    let plugin = risk_rule(&host, "local_terms");
    let text = "Café talk: CAT SCRATCHES again";
    let findings = plugin.findings(text, &Context::default()).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(&text[findings[0].span()], "CAT SCRATCHES");
    assert_eq!(findings[0].categories, [Category::SelfHarm]);
    assert_eq!(
        plugin.description().categories,
        [Category::Suicide, Category::SelfHarm]
    );
}
