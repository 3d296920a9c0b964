//! The risk rule written in C (`plugins/examples/c-local-terms`, built by
//! `plugins/build-fixtures.sh` with clang and wasi-libc) through the real sandbox:
//! what it declares, its findings and spans, its own errors, and that it behaves
//! exactly like its Rust twin `local-terms`.

use healing_core::safety::{Category, Context, Engine, RiskLevel, Source};
use healing_plugins::{Error, PluginStatus};

use super::{fixture, host, risk_rule};

/// Rule name without the `plugin/<id>/` prefix, span, level, categories, reason.
type Seen = (String, usize, usize, RiskLevel, Vec<Category>, String);

fn seen(findings: Vec<healing_core::safety::Finding>) -> Vec<Seen> {
    findings
        .into_iter()
        .map(|f| {
            let rule = f.rule.rsplit('/').next().unwrap_or_default().to_owned();
            (rule, f.start, f.end, f.level, f.categories, f.reason)
        })
        .collect()
}

#[test]
fn the_c_component_imports_nothing() {
    // The C module links wasi-libc only for malloc and string functions, so
    // unlike a Rust plugin it needs no WASI import at all.
    let engine = wasmtime::Engine::default();
    let component = wasmtime::component::Component::new(&engine, fixture("c_local_terms")).unwrap();
    let imports: Vec<String> = component
        .component_type()
        .imports(&engine)
        .map(|(name, _)| name.to_owned())
        .collect();
    assert!(imports.is_empty(), "{imports:?}");
}

#[test]
fn describe_declares_name_version_and_categories() {
    let host = host();
    let plugin = risk_rule(&host, "c_local_terms");
    let description = plugin.description();
    assert_eq!(description.name, "Local terms in C (example)");
    assert_eq!(description.version, "0.1.0");
    assert_eq!(
        description.categories,
        [Category::Suicide, Category::SelfHarm]
    );
    assert_eq!(plugin.contract().as_str(), "0.1.0");
}

#[test]
fn finds_terms_with_byte_spans_of_the_original_text() {
    let host = host();
    let plugin = risk_rule(&host, "c_local_terms");
    let text = "Café talk: CAT SCRATCHES again, and I want to Unalive myself";
    let findings = plugin.findings(text, &Context::default()).unwrap();
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert_eq!(&text[findings[0].span()], "Unalive myself");
    assert_eq!(findings[0].rule, "plugin/c-local-terms/local.unalive_self");
    assert_eq!(findings[0].level, RiskLevel::High);
    assert_eq!(findings[0].categories, [Category::Suicide]);
    assert_eq!(findings[0].reason, "local term 'Unalive myself'");
    assert_eq!(&text[findings[1].span()], "CAT SCRATCHES");
    assert_eq!(findings[1].rule, "plugin/c-local-terms/local.cat_scratches");
    assert_eq!(findings[1].categories, [Category::SelfHarm]);
    assert_eq!(findings[1].reason, "local term 'CAT SCRATCHES'");
}

#[test]
fn raises_the_engine_assessment_through_the_extension_point() {
    let host = host();
    let text = "the cat scratches are back";
    let core_only = Engine::standard()
        .unwrap()
        .assess(text, &Context::default());
    assert!(core_only.level < RiskLevel::Medium, "{core_only:?}");
    let engine = Engine::standard()
        .unwrap()
        .with_rule(risk_rule(&host, "c_local_terms"));
    let assessment = engine.assess(text, &Context::default());
    assert_eq!(assessment.level, RiskLevel::Medium);
    assert_eq!(assessment.categories, [Category::SelfHarm]);
    assert!(
        assessment
            .findings
            .iter()
            .any(|f| f.rule == "plugin/c-local-terms/local.cat_scratches"),
        "{assessment:?}"
    );
}

#[test]
fn empty_and_term_free_texts_give_no_findings() {
    let host = host();
    let plugin = risk_rule(&host, "c_local_terms");
    let context = Context {
        source: Source::Journal,
        recent_levels: vec![RiskLevel::High, RiskLevel::Low],
    };
    for text in [
        "",
        "a calm day at the allotment",
        "the sewerslides at the water park",
        "é",
    ] {
        assert_eq!(plugin.findings(text, &context).unwrap(), [], "{text:?}");
    }
}

#[test]
fn a_text_with_a_nul_byte_is_refused_as_invalid_input_and_fails_closed() {
    let host = host();
    let plugin = risk_rule(&host, "c_local_terms");
    let error = plugin
        .findings("unalive\0myself", &Context::default())
        .unwrap_err();
    match &error {
        Error::PluginReported { kind, message, .. } => {
            assert_eq!(kind, "invalid-input");
            assert_eq!(message, "text contains a NUL byte");
        }
        other => panic!("expected the plugin's own error, got {other:?}"),
    }
    // Bad input is not the plugin's fault: it is never disabled for it.
    for _ in 0..4 {
        assert!(plugin.findings("\0", &Context::default()).is_err());
    }
    assert_eq!(
        plugin.status(),
        PluginStatus::Enabled {
            consecutive_failures: 0
        }
    );

    let engine = Engine::standard().unwrap().with_rule(plugin);
    let assessment = engine.assess("fine\0", &Context::default());
    assert_eq!(assessment.level, RiskLevel::High);
    assert_eq!(assessment.findings[0].rule, "plugin/c-local-terms/failed");
}

#[test]
fn one_instance_serves_many_calls_without_running_out_of_memory() {
    // A session reuses one instance, so the findings the C code allocates must
    // be freed after each call (by the generated post-return functions) for
    // thousands of calls to fit in the sandbox's memory.
    let host = host();
    let plugin = risk_rule(&host, "c_local_terms");
    let text = "sewerslide ".repeat(2_000);
    let mut session = plugin.session();
    for _ in 0..300 {
        let findings = session.findings(&text, &Context::default()).unwrap();
        assert_eq!(findings.len(), 2_000);
    }
}

#[test]
fn behaves_exactly_like_its_rust_twin() {
    let host = host();
    let c = risk_rule(&host, "c_local_terms");
    let rust = risk_rule(&host, "local_terms");
    let texts = [
        "I want to Unalive myself",
        "unaliving myself tonight, unalive, UNALIVE",
        "é sewerslide",
        "sewerslide!sewerslide?sewerslides",
        "Café talk: CAT SCRATCHES again",
        "unaliveunalive unalive_myself 2unalive unalive2",
        "the cat  scratches (two spaces) and cat scratches",
        "日本語 unalive myself 日本語",
        "",
        "nothing here",
    ];
    for text in texts {
        let from_c = seen(c.findings(text, &Context::default()).unwrap());
        let from_rust = seen(rust.findings(text, &Context::default()).unwrap());
        assert_eq!(from_c, from_rust, "{text:?}");
    }
}
