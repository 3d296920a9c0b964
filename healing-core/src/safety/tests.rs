//! Unit tests of safety: the lexicon file, the normaliser, clause context and
//! the crisis directory, through one `check` helper.

use expect_test::{Expect, expect};

use super::classifier::{self, BUILT_IN_CLASSIFIER};
use super::engine::{BUILT_IN_LEXICON, fail_closed};
use super::lexicon::{self, SectionKind};
use super::normalise::fold;
use super::*;

/// Renders an assessment of `text` by `engine` compactly: level, categories,
/// then one line per finding (rule, level, quoted span) and per note.
fn render(engine: &Engine, text: &str) -> String {
    let a = engine.assess(text, &Context::default());
    let categories: Vec<&str> = a.categories.iter().map(|c| c.as_str()).collect();
    let mut out = format!("{} [{}]\n", a.level, categories.join(", "));
    for f in &a.findings {
        let quoted = text.get(f.span()).unwrap_or("<bad span>");
        out.push_str(&format!(
            "  {} {} '{}': {}\n",
            f.rule, f.level, quoted, f.reason
        ));
    }
    for n in &a.notes {
        out.push_str(&format!("  note: {n}\n"));
    }
    out
}

/// The one helper: assess `text` with `engine` and compare the rendering with
/// `expected`.
fn check(engine: &Engine, text: &str, expected: Expect) {
    expected.assert_eq(&render(engine, text));
}

/// The engine with the built-in lexicon and no learned reader, built once for
/// all tests: the `check` tests below pin the lexicon reader's behaviour (they
/// are what proves the passes of `combine` unchanged). The learned reader has
/// its own tests, through [`combined`].
fn standard() -> Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| {
            Engine::standard()
                .expect("the built-in lexicon parses")
                .without_classifier()
        })
        .clone()
}

/// The standard engine: the lexicon and the learned reader.
fn combined() -> Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| Engine::standard().expect("the built-in rules parse"))
        .clone()
}

fn fold_text(text: &str) -> String {
    fold(text).text
}

// ------------------------------------------------------------ the lexicon file

#[test]
fn built_in_lexicon_parses_and_every_section_is_valid() {
    let lexicon = lexicon::parse(BUILT_IN_LEXICON).expect("the built-in lexicon parses");
    assert_eq!(lexicon.version, "2026.12.1");
    assert!(
        lexicon.sections.len() > 20,
        "only {} sections",
        lexicon.sections.len()
    );
    for (index, section) in lexicon.sections.iter().enumerate() {
        let phrases = lexicon
            .patterns
            .iter()
            .filter(|p| p.section == index)
            .count();
        assert!(phrases > 0, "section {} has no phrases", section.id);
        if !matches!(section.kind, SectionKind::Cue(_)) {
            assert!(
                !section.reason.is_empty(),
                "section {} has no reason",
                section.id
            );
        }
    }
    for pattern in &lexicon.patterns {
        assert_eq!(
            pattern.text,
            pattern.text.trim(),
            "pattern '{}' has outer spaces",
            pattern.text
        );
        assert!(
            !pattern.text.contains("  "),
            "pattern '{}' has double spaces",
            pattern.text
        );
    }
}

#[test]
fn changelog_records_the_lexicon_version() {
    let lexicon = lexicon::parse(BUILT_IN_LEXICON).expect("the built-in lexicon parses");
    let changelog = include_str!("CHANGELOG.md");
    assert!(
        changelog.contains(&format!("## {}", lexicon.version)),
        "CHANGELOG.md lacks '## {}'",
        lexicon.version
    );
}

#[test]
fn rules_version_is_reported_in_every_assessment() {
    assert_eq!(rules_version(), "2026.12.1+model.2026.12.5");
    assert_eq!(
        assess("hello", &Context::default()).rules_version,
        "2026.12.1+model.2026.12.5"
    );
    assert_eq!(standard().rules_version(), "2026.12.1");
}

// ------------------------------------------------------------ the learned reader

/// The same fixed strings and buckets as `SELF_TEST` in
/// tools/safety-train/train.py: training and inference hash alike.
#[test]
fn classifier_features_match_python() {
    // (text, word buckets, character buckets when checked), sorted.
    type Case = (&'static str, &'static [u32], Option<&'static [u32]>);
    let cases: [Case; 3] = [
        (
            "I'm ok",
            &[10702, 45166, 45696],
            Some(&[1214, 12984, 18582, 29843, 29934, 46117, 53514, 62906]),
        ),
        (
            "Take 💊 now",
            &[2177, 19175, 25299, 35916, 58140],
            Some(&[
                4379, 4466, 4929, 7211, 8363, 8687, 11648, 13575, 20636, 35046, 46252, 48775,
                50052, 53007, 55836, 58064, 60657, 64972,
            ]),
        ),
        ("ÉTÉ Don’t", &[19431, 43680, 55739], None),
    ];
    for (text, words, chars) in cases {
        let (got_words, got_chars) = classifier::sorted_buckets(text, 1 << 16);
        assert_eq!(got_words, words, "{text}");
        if let Some(chars) = chars {
            assert_eq!(got_chars, chars, "{text}");
        }
    }
}

#[test]
fn built_in_classifier_parses_and_names_its_versions() {
    let parsed = classifier::parse(BUILT_IN_CLASSIFIER).expect("the built-in weights parse");
    assert_eq!(parsed.version(), "2026.12.5");
    assert_eq!(parsed.corpus(), "2026.12.4");
    let changelog = include_str!("CHANGELOG.md");
    assert!(changelog.contains(&format!("model {}", parsed.version())));
}

#[test]
fn bad_classifier_files_are_errors_naming_the_line() {
    let good = BUILT_IN_CLASSIFIER;
    let errors = [
        good.replacen("format 2", "format 1", 1),
        good.replacen("version 2026.12.5", "version 2026", 1),
        good.replacen("buckets 65536", "buckets 1000", 1),
        good.replacen("head level.medium", "head level.middling", 1),
        good.replacen("\nend\n", "\n", 1),
        good.replacen("idf_default ", "idf_default 9", 1),
        good.replacen("\n1 ", "\n1 0 ", 1),
        format!("{good}more\n"),
        String::new(),
    ];
    let messages: Vec<String> = errors
        .iter()
        .map(|text| match classifier::parse(text) {
            Ok(_) => "parsed".to_owned(),
            Err(e) => e.to_string().split(':').next().unwrap_or("").to_owned(),
        })
        .collect();
    for message in &messages {
        assert!(
            message.starts_with("classifier weights, line"),
            "{messages:?}"
        );
    }
    let bad_weight = good.replacen("bias ", "bias NaN_", 1);
    assert!(classifier::parse(&bad_weight).is_err());
    assert!(combined().with_classifier("format 1\n").is_err());
}

#[test]
fn learned_reader_raises_with_an_explained_finding() {
    // Finality told with emoji, which the lexicon alone reads as none (a
    // training message of writer w01: this tests the mechanics, not
    // generalisation).
    let text = "🪢 it's ready. i'm sorry. 🖤";
    let lexicon_only = standard().assess(text, &Context::default());
    let combined = combined().assess(text, &Context::default());
    assert!(combined.level > lexicon_only.level, "{combined:?}");
    let learned: Vec<&Finding> = combined
        .findings
        .iter()
        .filter(|f| f.rule == "learned_reader")
        .collect();
    assert_eq!(learned.len(), 1, "{combined:?}");
    let finding = learned[0];
    assert!(finding.start < finding.end && text.get(finding.span()).is_some());
    assert!(
        finding
            .reason
            .starts_with("learned reader (model 2026.12.5")
    );
}

#[test]
fn learned_reader_leaves_texts_of_fewer_than_six_words_to_the_lexicon() {
    // Its corpus holds almost no texts this short; it read these as critical.
    for text in ["call my sister", "ring my sister", "🪢 ready. sorry. 🖤"] {
        let a = combined().assess(text, &Context::default());
        assert!(
            a.findings.iter().all(|f| f.rule != "learned_reader"),
            "{text}: {a:?}"
        );
    }
}

#[test]
fn learned_reader_never_lowers_the_lexicon() {
    for text in [
        "I want to kill myself tonight, I have the pills",
        "he hits me every night",
        "I cut again last night",
        "hello",
        "",
    ] {
        let lexicon_only = standard().assess(text, &Context::default());
        let combined = combined().assess(text, &Context::default());
        assert!(combined.level >= lexicon_only.level, "{text}");
        for finding in &lexicon_only.findings {
            assert!(combined.findings.contains(finding), "{text}");
        }
    }
}

#[test]
fn learned_reader_stays_below_high_beside_a_figure_of_speech() {
    let text = "My phone's dead and I'm dead on my feet. Night all x";
    assert!(combined().assess(text, &Context::default()).level < RiskLevel::High);
}

#[test]
fn bad_lexicon_lines_are_errors_naming_the_line() {
    let cases = [
        (
            "version 2026.11.2\n- orphan phrase\n",
            "line 2: '- orphan phrase' is outside any section",
        ),
        (
            "version 2026.11.2\n[disclosure a]\ncategory = suicide\nlevel = high\nform = state\nreason = r\nthis is wrong\n",
            "line 7: 'this is wrong' is neither 'key = value' nor '- phrase'",
        ),
        (
            "version 2026.11.2\n[disclosure a]\ncategory = suicidal\n",
            "line 3: 'suicidal' is not a valid value for 'category'",
        ),
        (
            "version 2026.11.2\n[disclosure a]\nlevel = low\n",
            "line 3: 'low' is not a valid value for 'level'",
        ),
        (
            "version 2026.11.2\n[rumour a]\n",
            "line 2: section kind 'rumour' is not known",
        ),
        (
            "version 2026.11.2\n[idiom a]\nreason = r\n- x\n[idiom a]\n",
            "line 5: section id 'a' is already used on line 2",
        ),
        (
            "version 2026.11.2\n[idiom a]\nreason = r\n- {you}\n",
            "line 4: phrase '{you}' is not usable: it uses an unknown template",
        ),
        (
            "version 2026.11.2\n[idiom a]\nreason = r\n- what?\n",
            "line 4: phrase 'what?' is not usable: after folding it holds punctuation; use letters, digits, '#', emoji and single spaces",
        ),
        (
            "version 2026.11.2\n[idiom a]\nreason = r\n",
            "line 2: section 'a' has no phrases",
        ),
        (
            "version 2026.11.2\n[disclosure a]\ncategory = suicide\nreason = r\n- x\n",
            "line 2: section 'a' has no 'level'",
        ),
        (
            "version 2026.11\n",
            "line 1: version '2026.11' is not three dot-separated numbers such as 2026.11.1",
        ),
        (
            "[idiom a]\nreason = r\n- x\n",
            "the lexicon has no version line (e.g. 'version 2026.11.1')",
        ),
        (
            "version 2026.11.2\n[idiom a]\ncolour = red\n",
            "line 3: key 'colour' is not known",
        ),
        (
            "version 2026.11.2\ndefine {x} a\n",
            "line 2: definition 'define {x} a' is not usable: it is not 'define {slot} = a | b'",
        ),
        (
            "version 2026.11.2\ndefine {my} = a\n",
            "line 2: definition 'define {my} = a' is not usable: the slot name is a built-in template",
        ),
        (
            "version 2026.11.2\ndefine {x} = a |\n",
            "line 2: definition 'define {x} = a |' is not usable: a choice is empty",
        ),
        (
            "version 2026.11.2\ndefine {x} = a\ndefine {x} = b\n",
            "line 3: definition 'define {x} = b' is not usable: the slot is already defined",
        ),
        (
            "version 2026.11.2\ndefine {x} = a\ndefine {y} = {x} b\n",
            "line 3: definition 'define {y} = {x} b' is not usable: a choice uses another defined slot",
        ),
        (
            "version 2026.11.2\ndefine {x} = a | b\n[idiom a]\nreason = r\n- {x} {x} {x} {x}\n",
            "line 5: phrase '{x} {x} {x} {x}' is not usable: it uses more than three defined slots",
        ),
    ];
    for (text, message) in cases {
        let error = Engine::from_lexicon(text).expect_err(text);
        assert_eq!(error.to_string(), message, "for {text:?}");
    }
}

#[test]
fn a_slot_stands_for_every_choice_in_a_phrase() {
    let engine = Engine::from_lexicon(
        "version 1.0.0\n\
         define {verb} = want to | wish i could\n\
         define {harm} = vanish | melt away\n\
         [disclosure test.frame]\ncategory = suicide\nlevel = medium\nform = state\nreason = frame\n\
         - {verb} {harm}\n",
    )
    .expect("the lexicon parses");
    for text in [
        "I want to vanish",
        "I want to melt away",
        "I wish I could vanish",
        "I wish I could melt away",
    ] {
        assert_eq!(
            engine.assess(text, &Context::default()).level,
            RiskLevel::Medium,
            "for {text:?}"
        );
    }
    assert_eq!(
        engine.assess("I want to melt", &Context::default()).level,
        RiskLevel::None
    );
}

// ------------------------------------------------------------ normalisation

#[test]
fn folding_undoes_spelling_games() {
    let folded: Vec<String> = [
        "I’m SO sooooo tired",
        "k m s",
        "1 w4nt 70 d13",
        "unal1ve myself",
        "self-h@rm",
        "s*icide",
        "ｉ ｗａｎｔ",
        "Café naïve",
        "my flatmate's bag, she's fine, whats up",
        "took 40 tablets at 7.15",
        "k\u{200B}ill",
    ]
    .iter()
    .map(|t| fold_text(t))
    .collect();
    expect![[r#"
        [
            "im so so tired",
            "kms",
            "i want to die",
            "unalive myself",
            "self harm",
            "s*icide",
            "i want",
            "cafe naive",
            "my flatmate bag, she fine, what up",
            "tok # tablets at #",
            "kil",
        ]
    "#]]
    .assert_debug_eq(&folded);
}

#[test]
fn folded_spans_map_back_to_what_was_written() {
    let text = "Ｉ ａｍ sooo tired";
    let folded = fold(text);
    let start = folded.text.find("so").expect("folded text has 'so'");
    let (s, e) = folded
        .original_span(text, start, start + 2)
        .expect("span maps back");
    assert_eq!(text.get(s..e), Some("sooo"));
    let (s, e) = folded.original_span(text, 0, 1).expect("span maps back");
    assert_eq!(text.get(s..e), Some("Ｉ"));
}

#[test]
fn folding_keeps_a_map_entry_for_every_byte() {
    for text in [
        "",
        "a",
        "🙂🙂 x",
        "e\u{301}\u{301}",
        "\u{FB01}ne",
        "I'm 22 y/o",
        "d i e",
    ] {
        let folded = fold(text);
        assert_eq!(folded.origin.len(), folded.text.len(), "{text:?}");
        assert_eq!(folded.origin_end.len(), folded.text.len(), "{text:?}");
        for (&s, &e) in folded.origin.iter().zip(&folded.origin_end) {
            assert!(
                text.get(s..e).is_some_and(|x| !x.is_empty()),
                "{text:?}: {s}..{e}"
            );
        }
    }
}

// ------------------------------------------------------------ matching

#[test]
fn matches_only_whole_words() {
    let engine = Engine::from_lexicon(
        "version 1.0.0\n[disclosure test.rage]\ncategory = harm_to_others\nlevel = medium\nform = state\nreason = rage\n- rage\n",
    )
    .expect("test lexicon parses");
    expected_level(&engine, "the average storage garage", RiskLevel::None);
    expected_level(&engine, "so much rage today", RiskLevel::Medium);
    expected_level(&engine, "RAGE!", RiskLevel::Medium);
}

fn expected_level(engine: &Engine, text: &str, level: RiskLevel) {
    assert_eq!(
        engine.assess(text, &Context::default()).level,
        level,
        "for {text:?}"
    );
}

#[test]
fn a_plain_disclosure_is_high() {
    check(
        &standard(),
        "I want to kill myself",
        expect![[r#"
            high [suicide]
              suicide.frame_wish_to_act high 'want to kill myself': wish or urge to end their life (raised to critical by a time, as intent is): 'want to kill myself'
        "#]],
    );
}

#[test]
fn help_never_lowers_a_disclosure_with_a_time() {
    check(
        &standard(),
        "please help, I want to kill myself tonight",
        expect![[r#"
            critical [suicide]
              suicide.frame_wish_to_act critical 'want to kill myself': wish or urge to end their life (raised to critical by a time, as intent is) + plan (time): 'tonight' with 'want to kill myself'
        "#]],
    );
}

#[test]
fn negation_sets_a_disclosure_aside() {
    check(
        &standard(),
        "I'm not suicidal, just exhausted",
        expect![[r#"
            none []
              note: 'suicidal' set aside: negated by 'not'
        "#]],
    );
}

#[test]
fn denial_then_disclosure_takes_the_disclosure() {
    check(
        &standard(),
        "I'm fine. I've written the letters.",
        expect![[r#"
            critical [suicide]
              finality.goodbye critical 'written the letters': goodbye or finality: 'written the letters'
        "#]],
    );
}

#[test]
fn past_and_resolved_is_low() {
    check(
        &standard(),
        "I used to self-harm at uni but I've been fine for years",
        expect![[r#"
            low []
              self_harm.act low 'used to self-harm': in the past ('used to'): self-harm now or in the last days: 'used to self-harm'
        "#]],
    );
}

#[test]
fn recent_beats_past_in_the_same_sentence() {
    check(
        &standard(),
        "I cut again last night after 2 years clean",
        expect![[r#"
            high [self_harm]
              self_harm.act high 'cut again': self-harm now or in the last days: 'cut again'
        "#]],
    );
}

#[test]
fn fiction_is_set_aside() {
    check(
        &standard(),
        "In the film he wants to kill himself",
        expect![[r#"
            none []
              note: 'wants to kill himself' set aside: fiction, news, study, hypothetical or joke: 'In the film'
        "#]],
    );
}

#[test]
fn idioms_are_not_risk() {
    check(
        &standard(),
        "this commute is killing me, I'd kill for a brew, dying to see it, killing time",
        expect![[r#"
            none []
        "#]],
    );
}

#[test]
fn third_party_is_at_most_high_and_names_the_category() {
    check(
        &standard(),
        "my sister said she wants to end it",
        expect![[r#"
            medium [suicide, third_party]
              suicide.intent medium 'wants to end it': about someone else: intent to end their life: 'wants to end it'
        "#]],
    );
    check(
        &standard(),
        "My brother has bought rope and says it's happening tonight",
        expect![[r#"
            high [suicide, third_party]
              plan.preparation high 'bought rope': about someone else: preparation: 'bought rope'
        "#]],
    );
}

#[test]
fn an_attempt_under_way_by_someone_else_is_critical() {
    check(
        &standard(),
        "my flatmate has taken a load of pills",
        expect![[r#"
            critical [suicide, third_party]
              attempt.overdose critical 'taken a load of pills': about someone else: overdose taken: 'taken a load of pills'
        "#]],
    );
}

#[test]
fn saying_one_would_not_act_keeps_passive_thoughts_at_medium() {
    check(
        &standard(),
        "I've been thinking about suicide a lot but I'd never act on it",
        expect![[r#"
            medium [suicide]
              suicide.active_ideation medium 'thinking about suicide': current suicidal thoughts or wish to die: 'thinking about suicide', with 'would not act' ('I'd never act on it')
        "#]],
    );
}

#[test]
fn obfuscated_spans_point_at_the_original_text() {
    check(
        &standard(),
        "1 w4nt 70 d13",
        expect![[r#"
            high [suicide]
              suicide.active_ideation high 'w4nt 70 d13': current suicidal thoughts or wish to die: 'w4nt 70 d13'
        "#]],
    );
}

#[test]
fn a_joke_marker_sets_aside_a_threat_but_not_the_writers_own_risk() {
    check(
        &standard(),
        "I'm going to kill my brother, he ate my Easter egg 😂",
        expect![[r#"
        none []
          note: 'kill my brother' set aside: fiction, news, study, hypothetical or joke: '😂'
    "#]],
    );
    check(
        &standard(),
        "haha I just want to disappear forever lol",
        expect![[r#"
            medium [suicide]
              suicide.failsafe_passive medium 'just want to disappear forever': passive wish to be dead: sleeping for ever, disappearing for ever (fail-safe layer): 'just want to disappear forever'
        "#]],
    );
}

#[test]
fn a_lone_goodbye_is_medium_and_two_are_critical() {
    check(
        &standard(),
        "Goodbye everyone, off on holiday!",
        expect![[r#"
        medium [suicide]
          farewell.goodbye medium 'Goodbye everyone': a goodbye, ambiguous alone: 'Goodbye everyone'
    "#]],
    );
    check(
        &standard(),
        "Goodbye everyone. I love you all.",
        expect![[r#"
        critical [suicide]
          farewell.goodbye critical 'Goodbye everyone': goodbye and finality: 'Goodbye everyone' and 'I love you all'
    "#]],
    );
}

#[test]
fn everyday_plans_are_not_a_suicide_plan() {
    check(
        &standard(),
        "We've saved up for a holiday and the plan is to fly on Friday",
        expect![[r#"
        none []
    "#]],
    );
    check(
        &standard(),
        "I know which bridge. I'm going on Friday when it's quiet.",
        expect![[r#"
        critical [suicide]
          plan.place critical 'which bridge': plan without a risk word: decision 'know which bridge' with place 'which bridge'
    "#]],
    );
}

#[test]
fn a_state_is_raised_by_means_but_not_by_a_time_alone() {
    check(
        &standard(),
        "suicidal af tonight",
        expect![[r#"
        high [suicide]
          suicide.active_ideation high 'suicidal': current suicidal thoughts or wish to die: 'suicidal'
    "#]],
    );
    check(
        &standard(),
        "I want to die. I've got 50 paracetamol in my drawer.",
        expect![[r#"
        critical [suicide]
          suicide.active_ideation critical 'want to die': current suicidal thoughts or wish to die + plan (means): 'paracetamol' with 'want to die'
    "#]],
    );
}

// ------------------------------------------------------------ external rules

struct FixedRule(Vec<Finding>);

impl Rule for FixedRule {
    fn id(&self) -> &str {
        "local.fixed"
    }
    fn assess(&self, _text: &str, _context: &Context) -> Vec<Finding> {
        self.0.clone()
    }
}

fn external(start: usize, end: usize, level: RiskLevel) -> Finding {
    Finding {
        rule: String::from("local.fixed"),
        start,
        end,
        level,
        categories: vec![Category::Safeguarding],
        reason: String::from("local rule"),
    }
}

#[test]
fn external_findings_can_raise_but_never_lower() {
    let engine = standard();
    let raising = engine
        .clone()
        .with_rule(FixedRule(vec![external(0, 5, RiskLevel::High)]));
    let a = raising.assess("hello there", &Context::default());
    assert_eq!(
        (a.level, a.categories.clone()),
        (RiskLevel::High, vec![Category::Safeguarding])
    );

    let lowering = engine.with_rule(FixedRule(vec![external(0, 1, RiskLevel::None)]));
    let a = lowering.assess("I want to kill myself", &Context::default());
    assert_eq!(a.level, RiskLevel::High);
}

#[test]
fn external_findings_with_invalid_spans_are_dropped_and_noted() {
    let engine = standard().with_rule(FixedRule(vec![
        external(0, 99, RiskLevel::Critical),
        external(3, 3, RiskLevel::Critical),
        external(1, 2, RiskLevel::Critical),
    ]));
    check(
        &engine,
        "é ok",
        expect![[r#"
            none []
              note: finding from rule 'local.fixed' dropped: span 0..99 is not a valid range of a 5-byte text
              note: finding from rule 'local.fixed' dropped: span 3..3 is not a valid range of a 5-byte text
              note: finding from rule 'local.fixed' dropped: span 1..2 is not a valid range of a 5-byte text
        "#]],
    );
}

#[test]
fn extra_lexicon_sections_extend_the_engine() {
    let extra = "version 1.0.0\n[disclosure local.word]\ncategory = safeguarding\nlevel = high\nform = act\nreason = local word\n- frobnicated me\n";
    let engine = combined()
        .with_lexicon(extra)
        .expect("extra lexicon merges");
    assert_eq!(engine.rules_version(), "2026.12.1+1.0.0+model.2026.12.5");
    expected_level(&engine, "he frobnicated me", RiskLevel::High);
    expected_level(&engine, "I want to kill myself", RiskLevel::High);
}

/// A rule with a version, as a plugin is.
struct VersionedRule;

impl Rule for VersionedRule {
    fn id(&self) -> &str {
        "plugin/my-terms"
    }
    fn version(&self) -> Option<&str> {
        Some("0.2.0")
    }
    fn assess(&self, _text: &str, _context: &Context) -> Vec<Finding> {
        Vec::new()
    }
}

#[test]
fn rules_version_names_each_versioned_rule_and_survives_an_extra_lexicon() {
    let extra = "version 1.0.0\n[disclosure local.word]\ncategory = safeguarding\nlevel = high\nform = act\nreason = local word\n- frobnicated me\n";
    // A rule without a version (FixedRule) leaves the version as it was.
    let engine = standard()
        .with_rule(FixedRule(Vec::new()))
        .with_rule(VersionedRule);
    assert_eq!(engine.rules_version(), "2026.12.1+plugin/my-terms@0.2.0");
    assert_eq!(
        engine.assess("hello", &Context::default()).rules_version,
        "2026.12.1+plugin/my-terms@0.2.0"
    );
    let engine = engine.with_lexicon(extra).expect("extra lexicon merges");
    assert_eq!(
        engine.rules_version(),
        "2026.12.1+1.0.0+plugin/my-terms@0.2.0"
    );
}

#[test]
fn failing_closed_reports_high_with_a_note() {
    let a = fail_closed(&Error::MissingVersion);
    assert_eq!(a.level, RiskLevel::High);
    assert_eq!(a.notes.len(), 1);
}

// ------------------------------------------------------------ crisis directory

#[test]
fn uk_directory_parses_from_its_file() {
    let parsed =
        CrisisDirectory::from_text(include_str!("crisis_uk.txt")).expect("crisis_uk.txt parses");
    assert_eq!(&parsed, CrisisDirectory::uk());
    let ids: Vec<&str> = parsed.resources.iter().map(|r| r.id.as_str()).collect();
    expect![[r#"
        [
            "emergency",
            "nhs_111_mental_health",
            "samaritans",
            "shout",
            "childline",
            "domestic_abuse_helpline",
        ]
    "#]]
    .assert_debug_eq(&ids);
}

#[test]
fn resources_follow_level_and_category() {
    let uk = CrisisDirectory::uk();
    let ids = |text: &str| -> Vec<String> {
        uk.resources_for(&assess(text, &Context::default()))
            .iter()
            .map(|r| r.id.clone())
            .collect()
    };
    assert!(ids("lovely walk today").is_empty());
    assert_eq!(ids("feeling really low"), ["samaritans"]);
    assert_eq!(
        ids("I want to kill myself"),
        ["nhs_111_mental_health", "samaritans", "shout", "childline"]
    );
    assert_eq!(
        ids("he hits me and I'm scared to go home"),
        [
            "nhs_111_mental_health",
            "samaritans",
            "shout",
            "childline",
            "domestic_abuse_helpline"
        ]
    );
    assert_eq!(ids("I've just taken 30 tablets")[0], "emergency");
    assert_eq!(
        uk.resources_for_level(RiskLevel::Critical).len(),
        uk.resources.len()
    );
}

#[test]
fn bad_directory_lines_are_errors_naming_the_line() {
    let cases = [
        (
            "region X\nversion 1\n[resource a]\nname = A\nmin_level = severe\n",
            "line 5: 'severe' is not a valid value for 'min_level'",
        ),
        (
            "region X\nversion 1\n[resource a]\nname = A\n",
            "line 3: section 'a' has no 'contact'",
        ),
        (
            "version 1\n",
            "the crisis directory has no region line (e.g. 'region United Kingdom')",
        ),
        (
            "region X\nversion 1\nname = A\n",
            "line 3: 'name = A' is outside any section",
        ),
        (
            "region X\nversion 1\n[helpline a]\n",
            "line 3: header '[helpline a]' is not '[kind id]' with a lower-case id",
        ),
    ];
    for (text, message) in cases {
        let error = CrisisDirectory::from_text(text).expect_err(text);
        assert_eq!(error.to_string(), message, "for {text:?}");
    }
}

// ------------------------------------------------------------ compositional families (2026.11.2)

#[test]
fn a_bare_sign_off_after_resolve_and_now_is_critical() {
    check(
        &standard(),
        "I'm going to do it now. Bye.",
        expect![[r#"
            critical [suicide]
              sign_off.bye critical 'Bye': a sign-off beside resolve 'going to do it': 'Bye'
        "#]],
    );
}

#[test]
fn a_bare_sign_off_alone_is_nothing() {
    check(
        &standard(),
        "going to the station now, bye!",
        expect![[r#"
            none []
        "#]],
    );
}

#[test]
fn an_attempt_days_ago_and_treated_is_high_not_critical() {
    check(
        &standard(),
        "I overdosed on Monday, they kept me in overnight",
        expect![[r#"
            high [suicide]
              attempt.frame_overdose high 'I overdosed': a recent attempt, since treated or days ago ('on Monday'): overdose taken (a whole supply swallowed): 'I overdosed'
        "#]],
    );
}

#[test]
fn preparation_with_concealment_is_critical_without_a_risk_word() {
    check(
        &standard(),
        "I've got the tablets lined up on the table, doing it after everyone's asleep",
        expect![[r#"
            critical [suicide]
              plan.preparation_more critical 'tablets lined up': preparation + intent: 'doing it' with 'tablets lined up'
        "#]],
    );
}

#[test]
fn an_ambiguous_do_it_without_a_risk_word_stays_none() {
    check(
        &standard(),
        "can't wait for tonight, doing it after everyone's asleep - wrapping the presents",
        expect![[r#"
            none []
        "#]],
    );
}

#[test]
fn violence_to_a_child_at_home_is_high_about_someone_else() {
    check(
        &standard(),
        "my dad gets drunk and beats my little brother",
        expect![[r#"
            high [safeguarding, third_party]
              safeguarding.frame_violence_at_home high 'gets drunk and beats my little brother': about someone else: violence at home towards the writer or a child or parent in the household: 'gets drunk and beats my little brother'
        "#]],
    );
}

#[test]
fn one_sign_of_finality_about_someone_else_is_worry_not_high() {
    check(
        &standard(),
        "I'm worried my flatmate might do something stupid, she's been giving her stuff away",
        expect![[r#"
            medium [suicide, third_party]
              finality.frame_given_away medium 'been giving her stuff away': about someone else: possessions given away: 'been giving her stuff away'
              finality.frame_given_away medium 'giving her stuff away': about someone else: possessions given away: 'giving her stuff away'
        "#]],
    );
}

#[test]
fn bleeding_after_an_urge_is_part_of_the_urge() {
    check(
        &standard(),
        "wanted to scratch my arms till they bled after the meeting. didnt",
        expect![[r#"
            medium [self_harm]
              self_harm.frame_urge medium 'wanted to scratch my arms': urge or thought of self-harm (not acted on): 'wanted to scratch my arms'
              note: 'till they bled' read as part of the urge before it
        "#]],
    );
}

#[test]
fn a_thought_frame_covers_unlisted_phrasings() {
    check(
        &standard(),
        "had thoughts of jumping off the balcony all day",
        expect![[r#"
            high [suicide]
              suicide.frame_ideation high 'had thoughts of jumping off the balcony': current suicidal thoughts (wish, urge or thought of ending their life): 'had thoughts of jumping off the balcony'
        "#]],
    );
}
