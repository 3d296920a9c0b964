//! Public-API tests of safety: the project's own invented cases, properties
//! that must hold for any input, a 1 MB input, JSON shape and crisis resources.

use healing_core::safety::{
    self, Assessment, Category, Context, CrisisDirectory, Engine, Finding, RiskLevel, Rule, Source,
};
use proptest::prelude::*;

const CASES: &str = include_str!("../data/safety/cases.tsv");
/// Generalisation batch written before lexicon 2026.11.2 and tuned on.
const TUNING_CASES: &str = include_str!("../data/safety/generalise_tuning.tsv");
/// Generalisation batch held back from tuning and measured once (see its header).
const HELD_BACK_CASES: &str = include_str!("../data/safety/generalise_heldback.tsv");
/// Second fresh batch, written after the held-back fixes and measured once.
const FRESH_CASES: &str = include_str!("../data/safety/generalise_fresh2.tsv");
/// Third batch A: written before lexicon 2026.11.3 and tuned on, by family.
const FRESH3_TUNING_CASES: &str = include_str!("../data/safety/generalise_fresh3_tuning.tsv");
/// Everyday probes of the 2026.11.3 vocabulary, all labelled none.
const FRESH3_EVERYDAY_CASES: &str = include_str!("../data/safety/generalise_fresh3_everyday.tsv");
/// Third batch B: written with batch A, held back and measured once.
const FRESH3_HELD_BACK_CASES: &str = include_str!("../data/safety/generalise_fresh3_heldback.tsv");
/// Fourth batch, tuning: the lead's misses for the fail-safe layer (2026.11.4).
const FRESH4_TUNING_CASES: &str = include_str!("../data/safety/generalise_fresh4_tuning.tsv");
/// Fourth batch C: written before the fail-safe layer, held back, measured once.
const FRESH4_HELD_BACK_CASES: &str = include_str!("../data/safety/generalise_fresh4_heldback.tsv");

/// One invented case: expected level and categories for a text.
struct Case<'a> {
    line: usize,
    /// Marked with '?' before the level: a known miss, expected to be wrong.
    known_miss: bool,
    level: RiskLevel,
    categories: Vec<Category>,
    text: &'a str,
}

fn cases() -> Vec<Case<'static>> {
    parse_cases("cases.tsv", CASES)
}

fn parse_cases(file: &str, text: &'static str) -> Vec<Case<'static>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let mut parts = l.splitn(3, '\t');
            let (Some(level), Some(categories), Some(text)) =
                (parts.next(), parts.next(), parts.next())
            else {
                panic!("{file} line {} has fewer than three columns", i + 1);
            };
            let (known_miss, level) = match level.strip_prefix('?') {
                Some(rest) => (true, rest),
                None => (false, level),
            };
            let level = RiskLevel::from_name(level)
                .unwrap_or_else(|| panic!("{file} line {}: bad level {level}", i + 1));
            let categories = if categories == "-" {
                Vec::new()
            } else {
                categories
                    .split(',')
                    .map(|c| {
                        Category::from_name(c)
                            .unwrap_or_else(|| panic!("{file} line {}: bad category {c}", i + 1))
                    })
                    .collect()
            };
            Case {
                line: i + 1,
                known_miss,
                level,
                categories,
                text,
            }
        })
        .collect()
}

/// The cases whose level or categories differ from what is expected, apart
/// from known misses, and the known misses that are now right.
fn wrong_cases(cases: &[Case<'_>]) -> Vec<String> {
    let mut wrong = Vec::new();
    for case in cases {
        let a = lexicon_engine().assess(case.text, &Context::default());
        let mut expected = case.categories.clone();
        expected.sort();
        let right = a.level == case.level && a.categories == expected;
        if !right && !case.known_miss {
            wrong.push(format!(
                "line {}: expected {} {:?}, got {} {:?}: {}",
                case.line, case.level, expected, a.level, a.categories, case.text
            ));
        }
        if right && case.known_miss {
            wrong.push(format!(
                "line {}: marked as a known miss ('?') but now right; remove the '?': {}",
                case.line, case.text
            ));
        }
    }
    wrong
}

#[test]
fn own_cases_get_their_expected_level_and_categories() {
    let cases = cases();
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn generalisation_tuning_batch_gets_its_expected_levels() {
    let cases = parse_cases("generalise_tuning.tsv", TUNING_CASES);
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} tuning cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn generalisation_held_back_batch_gets_its_expected_levels() {
    let cases = parse_cases("generalise_heldback.tsv", HELD_BACK_CASES);
    assert!(cases.len() >= 80, "only {} cases", cases.len());
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} held-back cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn generalisation_second_fresh_batch_gets_its_expected_levels() {
    let cases = parse_cases("generalise_fresh2.tsv", FRESH_CASES);
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} second fresh batch cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn generalisation_third_tuning_batch_gets_its_expected_levels() {
    let cases = parse_cases("generalise_fresh3_tuning.tsv", FRESH3_TUNING_CASES);
    assert!(cases.len() >= 120, "only {} cases", cases.len());
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} third tuning batch cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn generalisation_third_held_back_batch_gets_its_expected_levels() {
    let cases = parse_cases("generalise_fresh3_heldback.tsv", FRESH3_HELD_BACK_CASES);
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} third held-back batch cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn generalisation_fourth_tuning_batch_gets_its_expected_levels() {
    let cases = parse_cases("generalise_fresh4_tuning.tsv", FRESH4_TUNING_CASES);
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} fourth tuning batch cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn generalisation_fourth_held_back_batch_gets_its_expected_levels() {
    let cases = parse_cases("generalise_fresh4_heldback.tsv", FRESH4_HELD_BACK_CASES);
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} fourth held-back batch cases wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn fail_safe_layer_flags_every_strong_signal_of_the_leads_misses() {
    // The lead's critical and high misses (first five of the fourth tuning
    // batch) must each reach at least high: a flag for a human.
    for case in parse_cases("generalise_fresh4_tuning.tsv", FRESH4_TUNING_CASES)
        .iter()
        .take(5)
    {
        let a = lexicon_engine().assess(case.text, &Context::default());
        assert!(
            a.level >= RiskLevel::High,
            "line {}: {} is only {}",
            case.line,
            case.text,
            a.level
        );
    }
}

#[test]
fn everyday_uses_of_the_third_batch_vocabulary_stay_none() {
    let cases = parse_cases("generalise_fresh3_everyday.tsv", FRESH3_EVERYDAY_CASES);
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    assert!(cases.iter().all(|c| c.level == RiskLevel::None));
    let wrong = wrong_cases(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} everyday probes wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn third_batches_raise_no_false_alarm_on_their_everyday_messages() {
    // Precision guard for the 2026.11.3 vocabulary: no message labelled none
    // in either third batch may reach medium or above, missed or not.
    for (file, text) in [
        ("generalise_fresh3_tuning.tsv", FRESH3_TUNING_CASES),
        ("generalise_fresh3_heldback.tsv", FRESH3_HELD_BACK_CASES),
    ] {
        for case in parse_cases(file, text) {
            if case.level != RiskLevel::None {
                continue;
            }
            let a = lexicon_engine().assess(case.text, &Context::default());
            assert!(
                a.level < RiskLevel::Medium,
                "{file} line {}: everyday message raised to {}: {}",
                case.line,
                a.level,
                case.text
            );
        }
    }
}

#[test]
fn combined_engine_false_alarms_on_the_case_files_everyday_messages_stay_rare() {
    // The case files' everyday messages were written to trap a reader of
    // words (a bridge club, tablets with food, goodbye at the station). The
    // learned reader raises some of them; models 2026.12.2 and 2026.12.3
    // raised 30 of 397 (7.6%) to high or above, and 2026.12.4, whose level
    // read no longer needs the low head to fire, raises 42 (10.6%): a trade
    // for recall on the corpus, recorded in CHANGELOG.md. This pins that it
    // gets no worse than that.
    let files = [
        ("cases.tsv", CASES),
        ("generalise_tuning.tsv", TUNING_CASES),
        ("generalise_heldback.tsv", HELD_BACK_CASES),
        ("generalise_fresh2.tsv", FRESH_CASES),
        ("generalise_fresh3_tuning.tsv", FRESH3_TUNING_CASES),
        ("generalise_fresh3_everyday.tsv", FRESH3_EVERYDAY_CASES),
        ("generalise_fresh3_heldback.tsv", FRESH3_HELD_BACK_CASES),
        ("generalise_fresh4_tuning.tsv", FRESH4_TUNING_CASES),
        ("generalise_fresh4_heldback.tsv", FRESH4_HELD_BACK_CASES),
    ];
    let (mut everyday, mut raised) = (0, Vec::new());
    for (file, text) in files {
        for case in parse_cases(file, text) {
            if case.level != RiskLevel::None {
                continue;
            }
            everyday += 1;
            let a = safety::assess(case.text, &Context::default());
            if a.level >= RiskLevel::High {
                raised.push(format!("{file} line {}", case.line));
            }
        }
    }
    assert!(everyday >= 350, "only {everyday} everyday cases");
    assert!(
        raised.len() * 100 <= everyday * 11,
        "{} of {everyday} everyday messages raised to high or above: {raised:?}",
        raised.len()
    );
}

#[test]
fn own_cases_cover_every_level_and_category() {
    let cases = cases();
    for level in RiskLevel::ALL {
        let n = cases.iter().filter(|c| c.level == level).count();
        assert!(n >= 10, "only {n} cases at level {level}");
    }
    for category in Category::ALL {
        let n = cases
            .iter()
            .filter(|c| c.categories.contains(&category))
            .count();
        assert!(n >= 5, "only {n} cases with category {category}");
    }
}

#[test]
fn assess_many_matches_assess_one_by_one_in_order() {
    let texts: Vec<&str> = cases().iter().map(|c| c.text).collect();
    let batch = safety::assess_many(&texts);
    assert_eq!(batch.len(), texts.len());
    for (text, a) in texts.iter().zip(&batch) {
        assert_eq!(a, &safety::assess(text, &Context::default()));
    }
}

#[test]
fn a_one_megabyte_input_is_assessed_with_valid_spans() {
    let unit =
        "Long day at work, cat fed, tea made. I want to kill myself tonight. 🙂 killing time. ";
    let mut text = String::with_capacity(1 << 20);
    while text.len() < (1 << 20) {
        text.push_str(unit);
    }
    let a = safety::assess(&text, &Context::default());
    assert_eq!(a.level, RiskLevel::Critical);
    assert!(a.findings.len() > 1000);
    assert_spans_valid(&text, &a);
}

#[test]
fn assessment_serialises_with_snake_case_names() {
    assert_eq!(safety::rules_version(), "2026.12.1+model.2026.12.5");
    let a = lexicon_engine().assess("my sister said she wants to end it", &Context::default());
    let json = serde_json::to_value(&a).expect("assessment serialises");
    assert_eq!(json["level"], "medium");
    assert_eq!(
        json["categories"],
        serde_json::json!(["suicide", "third_party"])
    );
    assert_eq!(json["rules_version"], "2026.12.1");
    let back: Assessment = serde_json::from_value(json).expect("assessment deserialises");
    assert_eq!(back, a);
    let context = serde_json::to_value(Context {
        source: Source::MoodNote,
        recent_levels: vec![RiskLevel::High],
    })
    .expect("context serialises");
    assert_eq!(
        context,
        serde_json::json!({"source": "mood_note", "recent_levels": ["high"]})
    );
}

#[test]
fn crisis_resources_come_from_the_assessment() {
    let uk = CrisisDirectory::uk();
    let a = safety::assess("I've taken 40 tablets", &Context::default());
    let names: Vec<&str> = uk
        .resources_for(&a)
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names.first(), Some(&"999 or A&E"));
    assert!(names.contains(&"Samaritans"));
    let safe = safety::assess("lovely day", &Context::default());
    assert!(uk.resources_for(&safe).is_empty());
}

/// A rule that reports a fixed, possibly invalid, span.
struct SpanRule {
    start: usize,
    end: usize,
}

impl Rule for SpanRule {
    fn id(&self) -> &str {
        "test.span"
    }
    fn assess(&self, _text: &str, _context: &Context) -> Vec<Finding> {
        vec![Finding {
            rule: String::from("test.span"),
            start: self.start,
            end: self.end,
            level: RiskLevel::High,
            categories: vec![Category::Safeguarding],
            reason: String::from("test"),
        }]
    }
}

fn assert_spans_valid(text: &str, a: &Assessment) {
    for f in &a.findings {
        assert!(
            f.start < f.end,
            "empty span {}..{} for {}",
            f.start,
            f.end,
            f.rule
        );
        assert!(
            text.get(f.span()).is_some_and(|s| !s.is_empty()),
            "span {}..{} invalid for {:?}",
            f.start,
            f.end,
            text
        );
    }
}

/// The built-in lexicon without the learned reader. The case files below were
/// written for the lexicon and pin its behaviour; the combined engine is
/// measured on the safety corpus (tools/safety-corpus, CHANGELOG.md).
fn lexicon_engine() -> Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| {
            Engine::standard()
                .expect("built-in rules parse")
                .without_classifier()
        })
        .clone()
}

fn engine() -> Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| Engine::standard().expect("built-in lexicon parses"))
        .clone()
}

const CRITICAL_DISCLOSURES: [&str; 8] = [
    "I'm going to kill myself tonight.",
    "I've taken 30 tablets.",
    "This is my last message.",
    "I've saved up my pills and I'm taking them on Friday.",
    "I've written the letters.",
    "I'm standing on the bridge now.",
    "Got a knife in my bag and I'm going round to his house now.",
    "im gonna kms tonight. got the pills ready",
];

const DENIALS: [&str; 6] = [
    "I'm fine.",
    "I'm not suicidal.",
    "Honestly I'm okay, don't worry.",
    "I would never hurt anyone.",
    "Please help.",
    "Not planning anything.",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_spans_are_valid(text in any::<String>()) {
        let a = safety::assess(&text, &Context::default());
        assert_spans_valid(&text, &a);
        if a.level < RiskLevel::Medium {
            prop_assert!(a.categories.is_empty());
        }
    }

    #[test]
    fn never_panics_on_control_characters_and_risk_words(
        parts in prop::collection::vec(
            prop_oneof![
                Just("kill myself".to_owned()),
                Just("tonight".to_owned()),
                Just("not".to_owned()),
                Just("k m s".to_owned()),
                Just("my sister".to_owned()),
                Just("'s".to_owned()),
                Just("1 w4nt 70 d13".to_owned()),
                "[\\x00-\\x1f\\u{200b}\\u{301}\\u{fb01}]{0,3}",
                "\\PC{0,6}",
            ],
            0..24,
        )
    ) {
        let text = parts.concat();
        let a = safety::assess(&text, &Context::default());
        assert_spans_valid(&text, &a);
    }

    #[test]
    fn assessment_is_deterministic(text in "\\PC{0,200}") {
        let first = safety::assess(&text, &Context::default());
        let second = engine().assess(&text, &Context::default());
        prop_assert_eq!(first, second);
    }

    #[test]
    fn a_denial_before_a_critical_disclosure_never_lowers_it(
        denial in prop::sample::select(DENIALS.to_vec()),
        disclosure in prop::sample::select(CRITICAL_DISCLOSURES.to_vec()),
    ) {
        let alone = safety::assess(disclosure, &Context::default());
        prop_assert_eq!(alone.level, RiskLevel::Critical, "{}", disclosure);
        let text = format!("{denial} {disclosure}");
        let with_denial = safety::assess(&text, &Context::default());
        prop_assert!(with_denial.level >= alone.level, "{} became {}", text, with_denial.level);
    }

    #[test]
    fn external_findings_with_any_span_never_panic(text in "\\PC{0,40}", start in 0usize..60, end in 0usize..60) {
        let engine = engine().with_rule(SpanRule { start, end });
        let a = engine.assess(&text, &Context::default());
        assert_spans_valid(&text, &a);
        let valid = start < end && text.get(start..end).is_some();
        prop_assert_eq!(a.findings.iter().any(|f| f.rule == "test.span"), valid);
        if valid {
            prop_assert!(a.level >= RiskLevel::High);
        }
    }
}
