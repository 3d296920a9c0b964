//! The engine: scan the folded text once, read each match in its clause and
//! sentence, combine into one assessment, then merge external rules.

use std::fmt;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::Error;
use super::classifier::{self, Classifier};
use super::lexicon::{self, CueType, Form, Lexicon, Person, PersonRule, SectionKind};
use super::model::{Assessment, Category, Context, Finding, RiskLevel};
use super::normalise::{self, Folded};

/// A rule from outside the crate (a deployment's local rules, later a WASM
/// plugin host). Its findings are merged into the core's assessment: they can
/// raise the level, never lower it. A finding whose span is not a valid,
/// non-empty, character-aligned range of the text is dropped and noted.
pub trait Rule: Send + Sync {
    /// A stable id for the rule, used in notes.
    fn id(&self) -> &str;
    /// The rule's version, if it has one (a plugin's installed version). A
    /// rule with a version is named in [`Engine::rules_version`] as
    /// `+<id>@<version>`, so a stored assessment can be traced to the rules
    /// that made it.
    fn version(&self) -> Option<&str> {
        None
    }
    /// Findings for `text`; spans are byte offsets into `text`.
    fn assess(&self, text: &str, context: &Context) -> Vec<Finding>;
}

/// A compiled lexicon plus any external rules. Build once and share: assessing
/// takes `&self` and the engine is `Send + Sync`.
///
/// Cloning is cheap (the lexicon and rules are shared). There is no
/// `PartialEq`: two engines are compared by [`Engine::rules_version`].
#[derive(Clone)]
pub struct Engine {
    lexicon: Arc<Lexicon>,
    automaton: AhoCorasick,
    /// For each automaton pattern id: the section and person of the phrase.
    pattern_info: Arc<Vec<(usize, Person)>>,
    /// The learned reader, if this engine has one (the standard engine does).
    classifier: Option<Arc<Classifier>>,
    rules: Vec<Arc<dyn Rule>>,
    /// The lexicon version followed by `+<id>@<version>` for each external rule
    /// that has a version, in the order they were added.
    version: String,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("rules_version", &self.version)
            .field("sections", &self.lexicon.sections.len())
            .field("patterns", &self.pattern_info.len())
            .field(
                "external_rules",
                &self
                    .rules
                    .iter()
                    .map(|r| r.id().to_owned())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The built-in lexicon, compiled into the crate.
pub(crate) const BUILT_IN_LEXICON: &str = include_str!("lexicon.txt");

impl Engine {
    /// The engine with the built-in lexicon (`src/safety/lexicon.txt`) and the
    /// built-in learned reader (`src/safety/classifier.txt`).
    ///
    /// Fails only if a built-in file is invalid, which a unit test rules out;
    /// [`assess`](super::assess) handles even that case by failing closed.
    pub fn standard() -> Result<Self, Error> {
        Self::from_lexicon(BUILT_IN_LEXICON)?.with_classifier(classifier::BUILT_IN_CLASSIFIER)
    }

    /// An engine with only the given lexicon text (same format as the built-in
    /// one) and no learned reader, for a deployment that replaces the rules
    /// entirely.
    pub fn from_lexicon(text: &str) -> Result<Self, Error> {
        Self::build(lexicon::parse(text)?)
    }

    /// This engine without its learned reader: the lexicon (and any external
    /// rules) alone, for comparison and benchmarks.
    pub fn without_classifier(mut self) -> Self {
        self.classifier = None;
        self.compose_version();
        self
    }

    /// This engine with a learned reader read from `weights` (the format of
    /// `src/safety/classifier.txt`, written by `tools/safety-train/train.py`),
    /// replacing any it had.
    pub fn with_classifier(self, weights: &str) -> Result<Self, Error> {
        Ok(self.with_classifier_arc(Arc::new(classifier::parse(weights)?)))
    }

    fn with_classifier_arc(mut self, classifier: Arc<Classifier>) -> Self {
        self.classifier = Some(classifier);
        self.compose_version();
        self
    }

    /// The lexicon's version, the learned reader's, then each versioned rule's.
    fn compose_version(&mut self) {
        let mut version = self.lexicon.version.clone();
        if let Some(classifier) = &self.classifier {
            version = format!("{version}+model.{}", classifier.version());
        }
        for rule in &self.rules {
            if let Some(rule_version) = rule.version() {
                version = format!("{version}+{}@{rule_version}", rule.id());
            }
        }
        self.version = version;
    }

    /// This engine with more lexicon sections appended (same format; the extra
    /// text needs its own `version` line, which is appended to the version as
    /// `+extra.version`). Section ids must not repeat the existing ones.
    pub fn with_lexicon(self, extra: &str) -> Result<Self, Error> {
        let extra_lexicon = lexicon::parse(extra)?;
        let mut merged = (*self.lexicon).clone();
        let offset = merged.sections.len();
        for section in &extra_lexicon.sections {
            if let Some(previous) = merged.sections.iter().find(|s| s.id == section.id) {
                return Err(Error::DuplicateId {
                    line: section.line,
                    id: section.id.clone(),
                    first_line: previous.line,
                });
            }
        }
        merged.sections.extend(extra_lexicon.sections);
        merged
            .patterns
            .extend(extra_lexicon.patterns.into_iter().map(|mut p| {
                p.section += offset;
                p
            }));
        merged.version = format!("{}+{}", merged.version, extra_lexicon.version);
        let mut engine = Self::build(merged)?;
        for rule in self.rules {
            engine = engine.with_shared_rule(rule);
        }
        Ok(match self.classifier {
            Some(classifier) => engine.with_classifier_arc(classifier),
            None => engine,
        })
    }

    /// This engine with an external rule added; its findings are merged into
    /// every assessment.
    pub fn with_rule(self, rule: impl Rule + 'static) -> Self {
        self.with_shared_rule(Arc::new(rule))
    }

    /// This engine with a rule added that other engines (or the caller) also
    /// hold, such as a loaded plugin shared by several engines.
    pub fn with_shared_rule(mut self, rule: Arc<dyn Rule>) -> Self {
        self.rules.push(rule);
        self.compose_version();
        self
    }

    /// The rules' version: the lexicon's, e.g. `2026.12.1` (with
    /// `+extra.version` for each extra lexicon), then `+model.` and the
    /// learned reader's when the engine has one, then `+<id>@<version>` for
    /// each external rule that reports a version, e.g.
    /// `2026.12.1+model.2026.12.5+plugin/my-terms@0.1.0` with a plugin. Every
    /// assessment carries it.
    pub fn rules_version(&self) -> &str {
        &self.version
    }

    fn build(lexicon: Lexicon) -> Result<Self, Error> {
        let mut texts: Vec<String> = Vec::with_capacity(lexicon.patterns.len() * 4);
        let mut info = Vec::with_capacity(lexicon.patterns.len() * 4);
        // The same folded phrase twice in one section ("can't eat", "cant eat"),
        // or a masked variant equal to another, would report the same evidence
        // twice: keep each (text, section) once.
        let mut seen: std::collections::HashSet<(String, usize)> = std::collections::HashSet::new();
        for pattern in &lexicon.patterns {
            let masked = if pattern.masked {
                masked_variants(&pattern.text)
            } else {
                Vec::new()
            };
            let variants = std::iter::once(pattern.text.clone()).chain(masked);
            for text in variants {
                if seen.insert((text.clone(), pattern.section)) {
                    texts.push(text);
                    info.push((pattern.section, pattern.person));
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&texts)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&texts)
            })
            .map_err(|e| Error::Automaton {
                message: e.to_string(),
            })?;
        Ok(Self {
            version: lexicon.version.clone(),
            lexicon: Arc::new(lexicon),
            automaton,
            pattern_info: Arc::new(info),
            classifier: None,
            rules: Vec::new(),
        })
    }

    /// Assesses one text. Never fails and never panics; see the module docs.
    pub fn assess(&self, text: &str, context: &Context) -> Assessment {
        let (mut assessment, set_aside) = analyse(self, text);
        if let Some(classifier) = &self.classifier {
            // Where the lexicon found a figure of speech, or read risk words as
            // a joke, fiction or a denial, the learned reader may raise to
            // medium at most: those are the lexicon's strengths, and the
            // model's commonest false alarms ("dead on my feet").
            let ceiling = if set_aside {
                RiskLevel::Medium
            } else {
                RiskLevel::Critical
            };
            raise_by_classifier(&mut assessment, classifier, text, ceiling);
        }
        for rule in &self.rules {
            merge_external(&mut assessment, rule.as_ref(), text, context);
        }
        finish(&mut assessment);
        assessment
    }

    /// Assesses texts in order, each with `context`.
    pub fn assess_many(&self, texts: &[&str], context: &Context) -> Vec<Assessment> {
        texts.iter().map(|t| self.assess(t, context)).collect()
    }

    /// Runs only the bare Aho-Corasick scan of the lexicon over `text` as given
    /// (no folding, no context) and returns the number of raw matches: the
    /// physical ceiling the benchmark compares [`Engine::assess`] with.
    pub fn scan_only(&self, text: &str) -> usize {
        self.automaton
            .find_overlapping_iter(text.as_bytes())
            .count()
    }
}

/// Variants of a folded pattern with one inner vowel masked by `*`.
fn masked_variants(pattern: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word_start = 0;
    for word in pattern.split(' ') {
        if word.len() >= 4 {
            for (i, b) in word.bytes().enumerate().skip(1) {
                if matches!(b, b'a' | b'e' | b'i' | b'o' | b'u') {
                    let mut v = pattern.as_bytes().to_vec();
                    // `word_start + i` is inside `pattern` (it indexes a byte of `word`).
                    if let Some(slot) = v.get_mut(word_start + i) {
                        *slot = b'*';
                    }
                    // Replacing one ASCII byte by another keeps the text UTF-8.
                    if let Ok(s) = String::from_utf8(v) {
                        out.push(s);
                    }
                }
            }
        }
        word_start += word.len() + 1;
    }
    out
}

/// One match of a lexicon phrase in the folded text.
#[derive(Clone, Copy, Debug)]
struct Hit {
    start: usize,
    end: usize,
    section: usize,
    person: Person,
}

/// How a hit is read in context.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Reading {
    /// Counts, about the writer.
    Writer,
    /// Counts, about someone else.
    Other,
    /// Set aside: negated.
    Negated(usize),
    /// Set aside: fiction, news, study or hypothetical.
    Hypothetical(usize),
    /// In the resolved past: low.
    Past(usize),
}

/// The first sentence-wide cue of each kind in one sentence (indices into hits).
#[derive(Clone, Copy, Default)]
struct SentenceCues {
    past: Option<usize>,
    recent: Option<usize>,
    hypothetical: Option<usize>,
    joke: Option<usize>,
}

/// Per-message working state.
struct Analysis<'a> {
    engine: &'a Engine,
    text: &'a str,
    folded: Folded,
    hits: Vec<Hit>,
    sentence_starts: Vec<usize>,
    clause_starts: Vec<usize>,
    /// Indices into `hits` of negation cues.
    negations: Vec<usize>,
    /// Indices into `hits` of subject cues, ordered by start, one per start.
    subjects: Vec<usize>,
    /// Per sentence: the first cue of each sentence-wide kind.
    sentence_cues: Vec<SentenceCues>,
    findings: Vec<Finding>,
    notes: Vec<String>,
    /// Whether risk words were set aside (figure of speech, negation, fiction,
    /// joke): the lexicon's reading of them bounds the learned reader's.
    set_aside: bool,
}

const MAX_NOTES: usize = 32;
const MAX_QUOTE_CHARS: usize = 60;

/// The lexicon's assessment (level and categories not yet set), and whether it
/// set risk words aside.
fn analyse(engine: &Engine, text: &str) -> (Assessment, bool) {
    let folded = normalise::fold(text);
    let mut a = Analysis {
        engine,
        text,
        hits: Vec::new(),
        sentence_starts: Vec::new(),
        clause_starts: Vec::new(),
        negations: Vec::new(),
        subjects: Vec::new(),
        sentence_cues: Vec::new(),
        findings: Vec::new(),
        notes: Vec::new(),
        set_aside: false,
        folded,
    };
    a.scan();
    a.segment();
    a.index_cues();
    a.combine();
    let assessment = Assessment {
        level: RiskLevel::None,
        categories: Vec::new(),
        findings: a.findings,
        notes: a.notes,
        rules_version: engine.version.clone(),
    };
    (assessment, a.set_aside)
}

impl Analysis<'_> {
    fn kind(&self, hit: &Hit) -> SectionKind {
        // `section` comes from `pattern_info`, built from the lexicon's own sections.
        self.engine
            .lexicon
            .sections
            .get(hit.section)
            .map_or(SectionKind::Idiom, |s| s.kind)
    }

    fn cue_type(&self, hit: &Hit) -> Option<CueType> {
        match self.kind(hit) {
            SectionKind::Cue(t) => Some(t),
            _ => None,
        }
    }

    /// Finds every whole-word match, then drops matches that overlap an idiom.
    fn scan(&mut self) {
        let text = self.folded.text.as_str();
        let mut hits = Vec::new();
        for m in self.engine.automaton.find_overlapping_iter(text) {
            let (start, end) = (m.start(), m.end());
            let before_ok = text
                .get(..start)
                .and_then(|s| s.chars().next_back())
                .is_none_or(|c| !normalise::is_word_char(c));
            let after_ok = text
                .get(end..)
                .and_then(|s| s.chars().next())
                .is_none_or(|c| !normalise::is_word_char(c));
            if !before_ok || !after_ok {
                continue;
            }
            let Some(&(section, person)) = self.engine.pattern_info.get(m.pattern().as_usize())
            else {
                continue;
            };
            hits.push(Hit {
                start,
                end,
                section,
                person,
            });
        }
        // Hits arrive ordered by where they end (the automaton reports matches
        // as it reaches them); each (section, span) at most once because
        // `build` drops repeated phrases within a section.
        self.drop_contained_disclosures(&mut hits);

        let has_idiom = hits.iter().any(|h| self.kind(h) == SectionKind::Idiom);
        // A figure of speech in the text bounds the learned reader too.
        self.set_aside |= has_idiom;
        if has_idiom {
            // Prefix counts of bytes covered by idioms: linear, whatever the number of hits.
            // Indexing is safe: every hit has start < end <= text.len(), and both
            // arrays have text.len() + 1 slots.
            let mut cover = vec![0i32; text.len() + 1];
            for h in hits.iter().filter(|h| self.kind(h) == SectionKind::Idiom) {
                cover[h.start] += 1;
                cover[h.end] -= 1;
            }
            let mut running = 0;
            let mut covered_before = vec![0usize; text.len() + 1];
            for i in 0..text.len() {
                running += cover[i];
                covered_before[i + 1] = covered_before[i] + usize::from(running > 0);
            }
            let mut kept = Vec::with_capacity(hits.len());
            for h in hits {
                let is_idiom = self.kind(&h) == SectionKind::Idiom;
                let inside = covered_before[h.end] - covered_before[h.start] > 0;
                if is_idiom || !inside {
                    kept.push(h);
                } else {
                    self.note(format!(
                        "'{}' set aside: part of a figure of speech",
                        self.quote(&h)
                    ));
                }
            }
            hits = kept;
        }
        self.hits = hits;
    }

    /// Drops a disclosure that lies inside a longer disclosure, attempt or
    /// finality phrase: "thinking about killing myself" is read as the thought,
    /// not also as "killing myself".
    fn drop_contained_disclosures(&self, hits: &mut Vec<Hit>) {
        let is_risk = |h: &Hit| {
            matches!(
                self.kind(h),
                SectionKind::Disclosure { .. }
                    | SectionKind::Attempt
                    | SectionKind::Finality
                    | SectionKind::Cue(CueType::Preparation)
            )
        };
        let mut order: Vec<usize> = (0..hits.len())
            .filter(|&i| hits.get(i).is_some_and(is_risk))
            .collect();
        if order.len() < 2 {
            return;
        }
        // Equal spans: the earlier section in the file first, so a phrase a
        // frame repeats is reported once, under its plain section.
        order.sort_by_key(|&i| {
            hits.get(i)
                .map_or((0, 0, 0), |h| (h.start, usize::MAX - h.end, h.section))
        });
        let mut contained = vec![false; hits.len()];
        let mut widest: Option<Hit> = None;
        for &i in &order {
            let Some(h) = hits.get(i) else { continue };
            match widest {
                Some(w) if h.end <= w.end => {
                    // A disclosure inside a wider phrase is read as the wider
                    // one; an attempt or goodbye repeated on the same words by a
                    // later section (a frame) is the same evidence.
                    let same =
                        (w.start, w.end) == (h.start, h.end) && self.kind(&w) == self.kind(h);
                    if (matches!(self.kind(h), SectionKind::Disclosure { .. }) || same)
                        && let Some(c) = contained.get_mut(i)
                    {
                        *c = true;
                    }
                }
                _ => widest = Some(*h),
            }
        }
        let mut index = 0;
        hits.retain(|_| {
            let keep = !contained.get(index).copied().unwrap_or(false);
            index += 1;
            keep
        });
    }

    /// Splits the folded text into sentences (at . ! ? ; and line breaks) and
    /// clauses (also at , : and the word "but").
    fn segment(&mut self) {
        let bytes = self.folded.text.as_bytes();
        self.sentence_starts.push(0);
        self.clause_starts.push(0);
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'.' | b'!' | b'?' | b';' | b'\n' => {
                    if self.sentence_starts.last() != Some(&(i + 1)) {
                        self.sentence_starts.push(i + 1);
                    }
                    if self.clause_starts.last() != Some(&(i + 1)) {
                        self.clause_starts.push(i + 1);
                    }
                }
                b',' | b':' | b'(' | b')' if self.clause_starts.last() != Some(&(i + 1)) => {
                    self.clause_starts.push(i + 1);
                }
                b'b' => {
                    let word_start =
                        i == 0 || bytes.get(i - 1).is_some_and(|p| !p.is_ascii_alphanumeric());
                    let is_but = bytes.get(i..i + 3) == Some(b"but".as_slice())
                        && bytes.get(i + 3).is_none_or(|n| !n.is_ascii_alphanumeric());
                    if word_start && is_but && self.clause_starts.last() != Some(&i) {
                        self.clause_starts.push(i);
                    }
                }
                _ => {}
            }
        }
    }

    fn sentence_of(&self, pos: usize) -> usize {
        self.sentence_starts
            .partition_point(|&s| s <= pos)
            .saturating_sub(1)
    }

    fn clause_of(&self, pos: usize) -> usize {
        self.clause_starts
            .partition_point(|&s| s <= pos)
            .saturating_sub(1)
    }

    /// Indexes negation and subject cues, and marks sentences as past, recent or
    /// hypothetical.
    fn index_cues(&mut self) {
        let sentences = self.sentence_starts.len();
        self.sentence_cues = vec![SentenceCues::default(); sentences];
        for (i, hit) in self.hits.iter().enumerate() {
            let Some(cue) = self.cue_type(hit) else {
                continue;
            };
            let sentence = self.sentence_of(hit.start);
            let slot = match cue {
                CueType::Negation => {
                    self.negations.push(i);
                    continue;
                }
                CueType::FirstPerson | CueType::ThirdPerson => {
                    self.subjects.push(i);
                    continue;
                }
                CueType::Past | CueType::Recent | CueType::Hypothetical | CueType::Joke => cue,
                _ => continue,
            };
            let Some(cues) = self.sentence_cues.get_mut(sentence) else {
                continue;
            };
            let field = match slot {
                CueType::Past => &mut cues.past,
                CueType::Recent => &mut cues.recent,
                CueType::Hypothetical => &mut cues.hypothetical,
                _ => &mut cues.joke,
            };
            if field.is_none() {
                *field = Some(i);
            }
        }
        let hits = &self.hits;
        // `negations` is already ordered by end, like `hits`.
        // Ordered by start, longest first among cues that start together, then
        // one per start: "ive seen" (someone else) beats "ive" (the writer).
        self.subjects.sort_unstable_by_key(|&i| {
            hits.get(i)
                .map_or((0, 0), |h| (h.start, usize::MAX - h.end))
        });
        self.subjects
            .dedup_by_key(|&mut i| hits.get(i).map_or(0, |h| h.start));
        // A cue inside a longer one ("me" in "showed me") is part of it.
        let mut reach = 0;
        self.subjects.retain(|&i| {
            let end = hits.get(i).map_or(0, |h| h.end);
            let inside = end <= reach;
            reach = reach.max(end);
            !inside
        });
    }

    /// Who a hit is about.
    fn person(&self, hit: &Hit) -> Person {
        let rule = self
            .engine
            .lexicon
            .sections
            .get(hit.section)
            .map_or(PersonRule::Auto, |s| s.person_rule);
        match rule {
            PersonRule::Writer => return Person::Writer,
            PersonRule::Auto if hit.person != Person::Open => return hit.person,
            PersonRule::Auto | PersonRule::Subject => {}
        }
        // The nearest subject starting at or before the phrase (a phrase that
        // starts with "I" is about the writer).
        let hits = &self.hits;
        let before = self
            .subjects
            .partition_point(|&i| hits.get(i).is_some_and(|h| h.start <= hit.start));
        let Some(&subject) = before.checked_sub(1).and_then(|b| self.subjects.get(b)) else {
            return Person::Writer;
        };
        let Some(subject_hit) = hits.get(subject) else {
            return Person::Writer;
        };
        if self.sentence_of(subject_hit.start) != self.sentence_of(hit.start) {
            return Person::Writer;
        }
        match self.cue_type(subject_hit) {
            Some(CueType::ThirdPerson) => Person::Other,
            _ => Person::Writer,
        }
    }

    /// The negation cue that governs a hit, if any: in the same clause, ending
    /// before the hit, at most two words before it, with no "I" between.
    fn negated_by(&self, hit: &Hit) -> Option<usize> {
        let hits = &self.hits;
        let before = self
            .negations
            .partition_point(|&i| hits.get(i).is_some_and(|h| h.end <= hit.start));
        let index = *before.checked_sub(1).and_then(|b| self.negations.get(b))?;
        let negation = hits.get(index)?;
        if self.clause_of(negation.start) != self.clause_of(hit.start) {
            return None;
        }
        let gap = self.folded.text.get(negation.end..hit.start)?;
        if gap.len() > 40 {
            return None;
        }
        let mut words = 0;
        for word in gap.split(' ').filter(|w| !w.is_empty()) {
            if matches!(word, "i" | "im" | "ive" | "id" | "il") {
                return None;
            }
            words += 1;
        }
        (words <= 2).then_some(index)
    }

    /// How a hit is read: set aside, past, or counting for the writer or another.
    fn reading(&self, hit: &Hit) -> Reading {
        let cues = self
            .sentence_cues
            .get(self.sentence_of(hit.start))
            .copied()
            .unwrap_or_default();
        if let Some(h) = cues.hypothetical {
            return Reading::Hypothetical(h);
        }
        // A joke marker sets aside only threats to others: people often mask
        // their own distress with "lol".
        let threat = matches!(
            self.kind(hit),
            SectionKind::Disclosure {
                category: Category::HarmToOthers,
                ..
            }
        );
        if threat && let Some(j) = cues.joke {
            return Reading::Hypothetical(j);
        }
        // Past before negation: "haven't had suicidal thoughts in over two years"
        // is resolved past (low), not a plain denial (none).
        if let Some(p) = cues.past
            && cues.recent.is_none()
        {
            return Reading::Past(p);
        }
        if let Some(n) = self.negated_by(hit) {
            return Reading::Negated(n);
        }
        match self.person(hit) {
            Person::Other => Reading::Other,
            _ => Reading::Writer,
        }
    }

    fn quote(&self, hit: &Hit) -> String {
        let original = self
            .folded
            .original_span(self.text, hit.start, hit.end)
            .and_then(|(s, e)| self.text.get(s..e))
            .unwrap_or("");
        let mut q: String = original.chars().take(MAX_QUOTE_CHARS).collect();
        if original.chars().nth(MAX_QUOTE_CHARS).is_some() {
            q.push('…');
        }
        q
    }

    fn quote_index(&self, index: usize) -> String {
        self.hits
            .get(index)
            .map(|h| self.quote(h))
            .unwrap_or_default()
    }

    fn note(&mut self, note: String) {
        if self.notes.len() < MAX_NOTES {
            self.notes.push(note);
        }
    }

    fn push_finding(
        &mut self,
        hit: &Hit,
        level: RiskLevel,
        categories: Vec<Category>,
        reason: String,
    ) {
        let Some((start, end)) = self.folded.original_span(self.text, hit.start, hit.end) else {
            return;
        };
        let rule = self
            .engine
            .lexicon
            .sections
            .get(hit.section)
            .map(|s| s.id.clone())
            .unwrap_or_default();
        self.findings.push(Finding {
            rule,
            start,
            end,
            level,
            categories,
            reason,
        });
    }

    fn note_set_aside(&mut self, hit: &Hit, reading: Reading) {
        let (why, by) = match reading {
            Reading::Negated(i) => ("negated by", i),
            Reading::Hypothetical(i) => ("fiction, news, study, hypothetical or joke:", i),
            _ => return,
        };
        self.set_aside = true;
        let note = format!(
            "'{}' set aside: {} '{}'",
            self.quote(hit),
            why,
            self.quote_index(by)
        );
        self.note(note);
    }

    /// Reads every hit and records findings, in passes. The order of the
    /// passes matters: the later ones look at the findings of the earlier ones
    /// (a goodbye or sign-off counts for more beside a risk already found).
    fn combine(&mut self) {
        let cues = self.gather_plan_cues();
        let other_signs = self.count_other_signs(&cues.other_farewells);
        let urge_ends = self.urge_ends();
        let writer_harm_to_others = self.read_risk_phrases(&cues, other_signs, &urge_ends);
        let planning = HARD_PLAN_TYPES.into_iter().any(|t| cues.has(t));
        self.read_farewells(
            &cues.writer_farewells,
            &cues.other_farewells,
            planning,
            cues.other_plan,
        );
        self.read_other_plan_without_risk_word(&cues);
        self.read_sign_off(&cues, writer_harm_to_others);
        self.read_plan_without_risk_word(&cues, writer_harm_to_others);
    }

    /// First pass: the plan, goodbye and context cues in force, by person.
    /// A risk phrase is read against cues anywhere in the message ("I've got
    /// the pills" after "I want to die"), so they are gathered before any
    /// phrase is read.
    fn gather_plan_cues(&self) -> PlanCues {
        let mut cues = PlanCues::default();
        for index in 0..self.hits.len() {
            let Some(hit) = self.hits.get(index).copied() else {
                continue;
            };
            let hit = &hit;
            let Some(cue) = self.cue_type(hit) else {
                continue;
            };
            if cue == CueType::Disavowal {
                if cues.disavowal.is_none() && self.reading(hit) == Reading::Writer {
                    cues.disavowal = Some(*hit);
                }
                continue;
            }
            if cue == CueType::SignOff {
                if cues.writer_sign_off.is_none() && self.reading(hit) == Reading::Writer {
                    cues.writer_sign_off = Some(*hit);
                }
                continue;
            }
            if cue == CueType::Aftercare {
                if matches!(self.reading(hit), Reading::Writer | Reading::Other) {
                    cues.aftercare.push((self.sentence_of(hit.start), *hit));
                }
                continue;
            }
            if cue == CueType::Farewell {
                match self.reading(hit) {
                    Reading::Writer => keep_plan_cue(&mut cues.writer_farewells, cue, *hit),
                    Reading::Other => keep_plan_cue(&mut cues.other_farewells, cue, *hit),
                    _ => {}
                }
                continue;
            }
            if !cue.is_plan() {
                continue;
            }
            let reading = self.reading(hit);
            let neutral = matches!(cue, CueType::Time | CueType::Now);
            match reading {
                Reading::Writer => keep_plan_cue(&mut cues.writer_plan, cue, *hit),
                Reading::Other if neutral => keep_plan_cue(&mut cues.writer_plan, cue, *hit),
                Reading::Other => {
                    cues.other_plan = true;
                    match cue {
                        CueType::Means => cues.other_means = cues.other_means.or(Some(*hit)),
                        CueType::Resolve | CueType::Preparation | CueType::Decision => {
                            cues.other_resolve = cues.other_resolve.or(Some(*hit));
                        }
                        _ => {}
                    }
                }
                _ => continue,
            }
            if cue == CueType::Now {
                cues.any_now = true;
            }
        }
        cues
    }

    /// Signs of finality about someone else: goodbyes and finality phrases,
    /// counted on disjoint spans (two phrases for the same words are one sign).
    /// Two signs make a finality phrase about someone else high on its own.
    fn count_other_signs(&self, other_farewells: &[(CueType, Hit)]) -> usize {
        let mut other_sign_hits: Vec<(CueType, Hit)> = other_farewells.to_vec();
        // At most twelve (four goodbyes and eight finality phrases): two disjoint signs are all that is asked, and the
        // cap keeps the count constant-time on long texts.
        for h in &self.hits {
            if other_sign_hits.len() >= 12 {
                break;
            }
            if self.kind(h) == SectionKind::Finality && self.reading(h) == Reading::Other {
                other_sign_hits.push((CueType::Farewell, *h));
            }
        }
        other_sign_hits.sort_by_key(|(_, h)| (h.start, h.end));
        count_disjoint(&other_sign_hits)
    }

    /// Where urges end, in order: an act phrase that directly continues an urge
    /// ("wanted to scratch my arms | till they bled") is part of the urge, not
    /// a second, graver disclosure.
    fn urge_ends(&self) -> Vec<usize> {
        let mut urge_ends: Vec<usize> = self
            .hits
            .iter()
            .filter(|h| {
                matches!(
                    self.kind(h),
                    SectionKind::Disclosure {
                        form: Form::Urge,
                        ..
                    }
                )
            })
            .map(|h| h.end)
            .collect();
        urge_ends.sort_unstable();
        urge_ends
    }

    /// Second pass: each risk phrase (disclosure, attempt, finality, distress,
    /// preparation) read in its context, one finding each unless set aside.
    /// Returns whether the writer disclosed harm to others, which the later
    /// passes read a sign-off and a bare plan against.
    fn read_risk_phrases(
        &mut self,
        cues: &PlanCues,
        other_signs: usize,
        urge_ends: &[usize],
    ) -> bool {
        let mut writer_harm_to_others = false;
        for index in 0..self.hits.len() {
            let Some(hit) = self.hits.get(index).copied() else {
                continue;
            };
            let kind = self.kind(&hit);
            let is_risk = matches!(
                kind,
                SectionKind::Disclosure { .. }
                    | SectionKind::Attempt
                    | SectionKind::Finality
                    | SectionKind::Distress
                    | SectionKind::Cue(CueType::Preparation)
            );
            if !is_risk {
                continue;
            }
            let engine = self.engine;
            let Some(section) = engine.lexicon.sections.get(hit.section) else {
                continue;
            };
            let reason = section.reason.as_str();
            let reading = self.reading(&hit);
            let quote = self.quote(&hit);
            match reading {
                Reading::Negated(_) | Reading::Hypothetical(_) => {
                    if !matches!(kind, SectionKind::Distress) {
                        self.note_set_aside(&hit, reading);
                    }
                    continue;
                }
                Reading::Past(p) => {
                    let past = self.quote_index(p);
                    self.push_finding(
                        &hit,
                        RiskLevel::Low,
                        Vec::new(),
                        format!("in the past ('{past}'): {reason}: '{quote}'"),
                    );
                    continue;
                }
                Reading::Writer | Reading::Other => {}
            }
            let phrase = Phrase {
                hit,
                reason,
                categories: section.categories.clone(),
                other_level: section.other_level,
                quote,
                other: reading == Reading::Other,
            };
            match kind {
                // Someone else's low mood is no risk to report.
                SectionKind::Distress if phrase.other => {}
                SectionKind::Distress => {
                    self.push_finding(
                        &phrase.hit,
                        RiskLevel::Low,
                        Vec::new(),
                        format!("{}: '{}'", phrase.reason, phrase.quote),
                    );
                }
                SectionKind::Disclosure {
                    category,
                    level,
                    form,
                } => {
                    let disclosure = Disclosure {
                        category,
                        level,
                        form,
                    };
                    writer_harm_to_others |=
                        self.read_disclosure(&phrase, disclosure, cues, urge_ends);
                }
                SectionKind::Attempt => self.read_attempt(phrase, cues),
                SectionKind::Finality => self.read_finality(phrase, cues, other_signs),
                SectionKind::Cue(CueType::Preparation) => {
                    writer_harm_to_others |= self.read_preparation(phrase, cues);
                }
                _ => {}
            }
        }
        writer_harm_to_others
    }

    /// A disclosure (thoughts, urges, acts): about someone else it is read with
    /// their plan or urgency; about the writer, a plan cue beside it makes it
    /// critical and a stated "would not act" lowers a high state to medium.
    /// Returns whether it is the writer's disclosure of harm to others.
    fn read_disclosure(
        &mut self,
        phrase: &Phrase<'_>,
        disclosure: Disclosure,
        cues: &PlanCues,
        urge_ends: &[usize],
    ) -> bool {
        let Disclosure {
            category,
            level,
            form,
        } = disclosure;
        let (hit, reason, quote) = (&phrase.hit, phrase.reason, phrase.quote.as_str());
        if form == Form::Act && self.continues_an_urge(hit, urge_ends) {
            let note = format!("'{quote}' read as part of the urge before it");
            self.note(note);
            return false;
        }
        if phrase.other {
            self.read_disclosure_about_other(phrase, category, form, cues);
            return false;
        }
        let harm_to_others = category == Category::HarmToOthers;
        let raise = match form {
            Form::Action => cues.plan_for(hit, &ANY_PLAN_TYPES),
            Form::State => cues.plan_for(hit, &HARD_PLAN_TYPES),
            _ => None,
        };
        if let Some((cue, cue_hit)) = raise {
            let cue_quote = self.quote(&cue_hit);
            self.push_finding(
                hit,
                RiskLevel::Critical,
                vec![category],
                format!(
                    "{reason} + plan ({}): '{cue_quote}' with '{quote}'",
                    cue.label()
                ),
            );
        } else if form == Form::State && level == RiskLevel::High && cues.disavowal.is_some() {
            let d = cues.disavowal.map(|d| self.quote(&d)).unwrap_or_default();
            self.push_finding(
                hit,
                RiskLevel::Medium,
                vec![category],
                format!("{reason}: '{quote}', with 'would not act' ('{d}')"),
            );
        } else {
            self.push_finding(hit, level, vec![category], format!("{reason}: '{quote}'"));
        }
        harm_to_others
    }

    /// A disclosure about someone else: critical if they are acting now, high
    /// with a plan or urgency, else the section's level for others (medium
    /// unless the lexicon says otherwise).
    fn read_disclosure_about_other(
        &mut self,
        phrase: &Phrase<'_>,
        category: Category,
        form: Form,
        cues: &PlanCues,
    ) {
        let acting = matches!(form, Form::Act | Form::Action)
            && matches!(category, Category::Suicide | Category::SelfHarm);
        let (lvl, why) = if acting && cues.any_now {
            (RiskLevel::Critical, "happening now, about someone else")
        } else if cues.other_plan || cues.any_now {
            (
                RiskLevel::High,
                "about someone else, with a plan or happening now",
            )
        } else if let Some(level) = phrase.other_level {
            (level, "about someone else")
        } else {
            (RiskLevel::Medium, "about someone else")
        };
        self.push_finding(
            &phrase.hit,
            lvl,
            phrase.with_third(vec![category]),
            format!("{why}: {}: '{}'", phrase.reason, phrase.quote),
        );
    }

    /// An attempt: critical, unless the same sentence says it has since been
    /// treated or was days ago (recent risk: high).
    fn read_attempt(&mut self, phrase: Phrase<'_>, cues: &PlanCues) {
        let hit = &phrase.hit;
        let (reason, quote) = (phrase.reason, phrase.quote.as_str());
        let why = if phrase.other {
            "about someone else: "
        } else {
            ""
        };
        // An attempt days ago that has since been treated is recent
        // risk (high), not one under way or just made (critical).
        let sentence = self.sentence_of(hit.start);
        let treated = cues
            .aftercare
            .iter()
            .find(|(s, h)| *s == sentence && !overlaps(h, hit))
            .map(|(_, h)| *h);
        if let Some(treated) = treated {
            let treated = self.quote(&treated);
            self.push_finding(
                hit,
                RiskLevel::High,
                phrase.with_third(phrase.categories.clone()),
                format!("{why}a recent attempt, since treated or days ago ('{treated}'): {reason}: '{quote}'"),
            );
            return;
        }
        self.push_finding(
            hit,
            RiskLevel::Critical,
            phrase.with_third(phrase.categories.clone()),
            format!("{why}{reason}: '{quote}'"),
        );
    }

    /// A finality phrase: critical from the writer. About someone else: high
    /// with a second sign, a plan or now; one sign alone takes the section's
    /// `other_level` (possessions given away: medium, worry to pass on).
    fn read_finality(&mut self, phrase: Phrase<'_>, cues: &PlanCues, other_signs: usize) {
        let level = if !phrase.other {
            RiskLevel::Critical
        } else if cues.other_plan || cues.any_now || other_signs >= 2 {
            RiskLevel::High
        } else {
            phrase.other_level.unwrap_or(RiskLevel::High)
        };
        let why = if phrase.other {
            "about someone else: "
        } else {
            ""
        };
        self.push_finding(
            &phrase.hit,
            level,
            phrase.with_third(phrase.categories.clone()),
            format!("{why}{}: '{}'", phrase.reason, phrase.quote),
        );
    }

    /// A preparation phrase: about someone else high; from the writer critical
    /// beside another plan cue (preferring one of another type), else high.
    /// Returns whether it is the writer's preparation to harm others.
    fn read_preparation(&mut self, phrase: Phrase<'_>, cues: &PlanCues) -> bool {
        let hit = &phrase.hit;
        let quote = phrase.quote.as_str();
        let categories = if phrase.categories.is_empty() {
            vec![Category::Suicide]
        } else {
            phrase.categories.clone()
        };
        if phrase.other {
            self.push_finding(
                hit,
                RiskLevel::High,
                phrase.with_third(categories),
                format!("about someone else: preparation: '{quote}'"),
            );
            return false;
        }
        let harm_to_others = categories.contains(&Category::HarmToOthers);
        let partner = cues
            .writer_plan
            .iter()
            .find(|(c, h)| *c != CueType::Preparation && !overlaps(h, hit))
            .or_else(|| {
                cues.writer_plan
                    .iter()
                    .find(|(c, h)| *c == CueType::Preparation && !overlaps(h, hit))
            });
        if let Some((cue, cue_hit)) = partner {
            let cue_quote = self.quote(cue_hit);
            self.push_finding(
                hit,
                RiskLevel::Critical,
                categories,
                format!(
                    "preparation + {}: '{cue_quote}' with '{quote}'",
                    cue.label()
                ),
            );
        } else {
            self.push_finding(
                hit,
                RiskLevel::High,
                categories,
                format!("preparation: '{quote}'"),
            );
        }
        harm_to_others
    }

    /// Someone else's plan stated without a risk word ("she's bought pills and
    /// is going to take them"): high, third party, unless a finding about
    /// someone else is already reported.
    fn read_other_plan_without_risk_word(&mut self, cues: &PlanCues) {
        if let (Some(means), Some(resolve)) = (cues.other_means, cues.other_resolve) {
            let reported = self
                .findings
                .iter()
                .any(|f| f.categories.contains(&Category::ThirdParty));
            if !reported && !overlaps(&means, &resolve) {
                let reason = format!(
                    "about someone else: a plan without a risk word: '{}' with '{}'",
                    self.quote(&means),
                    self.quote(&resolve)
                );
                self.push_finding(
                    &resolve,
                    RiskLevel::High,
                    vec![Category::Suicide, Category::ThirdParty],
                    reason,
                );
            }
        }
    }

    /// A bare sign-off ("bye") is a goodbye only beside resolve, a plan made
    /// or a risk disclosure: "I'm going to do it now. Bye."
    fn read_sign_off(&mut self, cues: &PlanCues, writer_harm_to_others: bool) {
        let Some(sign_off) = cues.writer_sign_off else {
            return;
        };
        // Firm: a preparation, resolve or concealment, or a means and a
        // place together ("drawn a bath" and "razor blades").
        let means_and_place = cues
            .plan_for(&sign_off, &[CueType::Means])
            .and(cues.plan_for(&sign_off, &[CueType::Place]));
        let firm = [CueType::Preparation, CueType::Resolve, CueType::Concealment]
            .into_iter()
            .find_map(|t| cues.plan_for(&sign_off, &[t]))
            .or(means_and_place);
        // Beside a passive wish a sign-off stays ambiguous ("I'm done. I
        // can't keep fighting."): it needs a high disclosure.
        let risk = self.findings.iter().any(|f| f.level >= RiskLevel::High);
        // A threat's "I'm done" is not a goodbye (it is read with the threat).
        if cues.writer_farewells.is_empty() && !writer_harm_to_others && (firm.is_some() || risk) {
            let with = firm.map_or_else(
                || "a risk disclosure".to_owned(),
                |(c, h)| format!("{} '{}'", c.label(), self.quote(&h)),
            );
            let reason = format!("a sign-off beside {with}: '{}'", self.quote(&sign_off));
            self.push_finding(
                &sign_off,
                RiskLevel::Critical,
                vec![Category::Suicide],
                reason,
            );
        }
    }

    /// A plan stated without any risk word, when nothing is critical yet and
    /// no preparation was seen: a decision or concealment next to a means or a
    /// place ("I know which bridge ... when it's quiet"), a decision with
    /// concealment ("made my mind up ... when nobody's home"), or resolve with
    /// a second resolve or decision and a time.
    fn read_plan_without_risk_word(&mut self, cues: &PlanCues, writer_harm_to_others: bool) {
        let already_critical = self.findings.iter().any(|f| f.level == RiskLevel::Critical);
        if already_critical || cues.has(CueType::Preparation) {
            return;
        }
        let decided = cues.first_of(&[CueType::Decision, CueType::Resolve, CueType::Concealment]);
        let any_decision = cues.has(CueType::Decision) || cues.has(CueType::Resolve);
        let method = cues.first_of(&[CueType::Means, CueType::Place]);
        let resolves: Vec<Hit> = cues
            .writer_plan
            .iter()
            .filter(|(c, _)| *c == CueType::Resolve)
            .map(|(_, h)| *h)
            .collect();
        let pair = match (decided, method) {
            (Some(d), Some(m)) => Some((d, m)),
            (Some(d), None) if any_decision && cues.has(CueType::Concealment) => {
                cues.first_of(&[CueType::Concealment]).map(|c| (d, c))
            }
            // A statement of resolve, a second resolve or decision, and a
            // time: "I'm going to do it tonight, I've made up my mind", "I have
            // a plan and I'm going to do it on Sunday".
            (Some(_), None) if cues.has(CueType::Time) || cues.has(CueType::Now) => {
                resolves.first().and_then(|first| {
                    cues.writer_plan
                        .iter()
                        .find(|(c, h)| {
                            matches!(c, CueType::Resolve | CueType::Decision) && !overlaps(h, first)
                        })
                        .map(|(c, h)| ((CueType::Resolve, *first), (*c, *h)))
                })
            }
            _ => None,
        };
        if let Some(((first_type, first_hit), (second_type, second_hit))) = pair {
            let category = if writer_harm_to_others {
                Category::HarmToOthers
            } else {
                Category::Suicide
            };
            let reason = format!(
                "plan without a risk word: {} '{}' with {} '{}'",
                first_type.label(),
                self.quote(&first_hit),
                second_type.label(),
                self.quote(&second_hit)
            );
            self.push_finding(&second_hit, RiskLevel::Critical, vec![category], reason);
        }
    }
}

impl Analysis<'_> {
    /// Whether an urge phrase ends right before `hit`, with only spaces between.
    fn continues_an_urge(&self, hit: &Hit, urge_ends: &[usize]) -> bool {
        let before = urge_ends.partition_point(|&e| e <= hit.start);
        let Some(&end) = before.checked_sub(1).and_then(|b| urge_ends.get(b)) else {
            return false;
        };
        self.folded
            .text
            .get(end..hit.start)
            .is_some_and(|gap| gap.bytes().all(|b| b == b' '))
    }

    /// The quoted original words of some cues, joined with "and".
    fn quotes(&self, hits: &[(CueType, Hit)]) -> String {
        let mut kept: Vec<&Hit> = Vec::with_capacity(hits.len());
        for (_, h) in hits {
            if !kept.iter().any(|k| overlaps(k, h)) {
                kept.push(h);
            }
        }
        kept.iter()
            .map(|h| format!("'{}'", self.quote(h)))
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// Goodbyes: two from the writer (or one beside any other risk, or beside a
    /// decision, concealment, preparation, means or place) are critical, one
    /// alone is medium; about someone else, high with a second goodbye or a
    /// plan, else medium.
    fn read_farewells(
        &mut self,
        writer: &[(CueType, Hit)],
        other: &[(CueType, Hit)],
        planning: bool,
        other_plan: bool,
    ) {
        if let Some((_, first)) = writer.first() {
            let other_risk = self.findings.iter().any(|f| f.level >= RiskLevel::Medium) || planning;
            let (level, why) = if count_disjoint(writer) >= 2 {
                (RiskLevel::Critical, "goodbye and finality")
            } else if other_risk {
                (RiskLevel::Critical, "goodbye beside other risk")
            } else {
                (RiskLevel::Medium, "a goodbye, ambiguous alone")
            };
            let reason = format!("{why}: {}", self.quotes(writer));
            self.push_finding(first, level, vec![Category::Suicide], reason);
        }
        if let Some((_, first)) = other.first() {
            let level = if count_disjoint(other) >= 2 || other_plan {
                RiskLevel::High
            } else {
                RiskLevel::Medium
            };
            let reason = format!("about someone else: goodbye: {}", self.quotes(other));
            self.push_finding(
                first,
                level,
                vec![Category::Suicide, Category::ThirdParty],
                reason,
            );
        }
    }
}

/// The plan, goodbye and context cues of one message, gathered by
/// [`Analysis::gather_plan_cues`] before any risk phrase is read.
#[derive(Default)]
struct PlanCues {
    /// The writer's plan cues (and time and now cues about anyone), at most
    /// four of each type, in text order.
    writer_plan: Vec<(CueType, Hit)>,
    /// Whether someone else has a plan cue.
    other_plan: bool,
    /// The writer's goodbyes.
    writer_farewells: Vec<(CueType, Hit)>,
    /// Goodbyes about someone else.
    other_farewells: Vec<(CueType, Hit)>,
    /// Whether a "now" cue is in force (about anyone).
    any_now: bool,
    /// The writer's first "would not act" ("I'd never do it").
    disavowal: Option<Hit>,
    /// The writer's first bare sign-off ("bye").
    writer_sign_off: Option<Hit>,
    /// About someone else: a means ("she's bought pills") ...
    other_means: Option<Hit>,
    /// ... and a decision to use it ("and is going to take them").
    other_resolve: Option<Hit>,
    /// Sentences holding an aftercare cue ("kept me in", "on Monday"), with
    /// the cue, in text order.
    aftercare: Vec<(usize, Hit)>,
}

impl PlanCues {
    /// Whether the writer has a plan cue of type `t`.
    fn has(&self, t: CueType) -> bool {
        self.writer_plan.iter().any(|(c, _)| *c == t)
    }

    /// The writer's first plan cue of the first of `types` present.
    fn first_of(&self, types: &[CueType]) -> Option<(CueType, Hit)> {
        types.iter().find_map(|t| {
            self.writer_plan
                .iter()
                .find(|(c, _)| c == t)
                .map(|(c, h)| (*c, *h))
        })
    }

    /// The first plan cue of the given types that is not part of `hit` itself.
    fn plan_for(&self, hit: &Hit, types: &[CueType]) -> Option<(CueType, Hit)> {
        types.iter().find_map(|t| {
            self.writer_plan
                .iter()
                .find(|(c, h)| c == t && !overlaps(h, hit))
                .map(|(c, h)| (*c, *h))
        })
    }
}

/// Plan cues that raise an action disclosure ("I'm going to kill myself") to
/// critical. A weak intent ("I'm going") is too common to raise a disclosure
/// by itself; it counts only in combination
/// ([`Analysis::read_plan_without_risk_word`]).
const ANY_PLAN_TYPES: [CueType; 8] = [
    CueType::Preparation,
    CueType::Decision,
    CueType::Resolve,
    CueType::Concealment,
    CueType::Means,
    CueType::Place,
    CueType::Time,
    CueType::Now,
];

/// Plan cues that raise a state disclosure ("I want to die") to critical, and
/// that make a goodbye beside them critical: a time or "now" alone does not.
const HARD_PLAN_TYPES: [CueType; 6] = [
    CueType::Preparation,
    CueType::Decision,
    CueType::Resolve,
    CueType::Concealment,
    CueType::Means,
    CueType::Place,
];

/// A risk phrase read as counting, about the writer or someone else.
struct Phrase<'r> {
    hit: Hit,
    /// The section's reason, for the finding.
    reason: &'r str,
    /// The section's categories.
    categories: Vec<Category>,
    /// The section's level when about someone else, if it sets one.
    other_level: Option<RiskLevel>,
    /// The original words.
    quote: String,
    /// About someone else rather than the writer.
    other: bool,
}

impl Phrase<'_> {
    /// `categories`, plus third party when the phrase is about someone else.
    fn with_third(&self, mut categories: Vec<Category>) -> Vec<Category> {
        if self.other {
            categories.push(Category::ThirdParty);
        }
        categories
    }
}

/// What a disclosure section says: its category, level and form.
#[derive(Clone, Copy)]
struct Disclosure {
    category: Category,
    level: RiskLevel,
    form: Form,
}

/// Keeps at most four cues of each type (distinct spans): enough to find one
/// that does not overlap any given disclosure, and it keeps the later look-ups
/// constant-time however long the text (no per-finding rescans).
fn keep_plan_cue(plan: &mut Vec<(CueType, Hit)>, cue: CueType, hit: Hit) {
    let mut same = plan.iter().filter(|(c, _)| *c == cue);
    let count = same.clone().count();
    if count < 4 && !same.any(|(_, h)| (h.start, h.end) == (hit.start, hit.end)) {
        plan.push((cue, hit));
    }
}

/// How many of `cues` do not overlap an earlier one ("I love you all" holds
/// "love you all": one goodbye, not two).
fn count_disjoint(cues: &[(CueType, Hit)]) -> usize {
    let mut kept: Vec<&Hit> = Vec::with_capacity(cues.len());
    for (_, h) in cues {
        if !kept.iter().any(|k| overlaps(k, h)) {
            kept.push(h);
        }
    }
    kept.len()
}

fn overlaps(a: &Hit, b: &Hit) -> bool {
    a.start < b.end && b.start < a.end
}

/// The learned reader's pass: when it reads a higher level than every lexicon
/// finding, adds one finding at that level (at most `ceiling`), spanning the
/// words that carried most of the weight. It never lowers a level and adds
/// nothing otherwise.
fn raise_by_classifier(
    assessment: &mut Assessment,
    classifier: &Classifier,
    text: &str,
    ceiling: RiskLevel,
) {
    let found = assessment
        .findings
        .iter()
        .map(|f| f.level)
        .max()
        .unwrap_or(RiskLevel::None);
    if found >= ceiling {
        return;
    }
    let reading = classifier.read(text);
    let Some(level) = reading.level().map(|l| l.min(ceiling)) else {
        return;
    };
    if level <= found {
        return;
    }
    let Some(evidence) = reading.evidence(level) else {
        return;
    };
    let categories = if level >= RiskLevel::Medium {
        reading.categories()
    } else {
        Vec::new()
    };
    let quote: String = text
        .get(evidence.start..evidence.end)
        .unwrap_or("")
        .chars()
        .take(MAX_QUOTE_CHARS)
        .collect();
    let names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
    let reason = format!(
        "learned reader (model {}, corpus {}): reads as {level}{}; the words that weighed most: '{quote}'",
        classifier.version(),
        classifier.corpus(),
        if names.is_empty() {
            String::new()
        } else {
            format!(" ({})", names.join(", "))
        },
    );
    assessment.findings.push(Finding {
        rule: LEARNED_READER_RULE.to_owned(),
        start: evidence.start,
        end: evidence.end,
        level,
        categories,
        reason,
    });
}

/// The rule id of the learned reader's findings.
pub(crate) const LEARNED_READER_RULE: &str = "learned_reader";

/// Adds an external rule's findings, dropping (with a note) any whose span is
/// not valid for `text`.
fn merge_external(assessment: &mut Assessment, rule: &dyn Rule, text: &str, context: &Context) {
    for finding in rule.assess(text, context) {
        let valid = finding.start < finding.end
            && finding.end <= text.len()
            && text.is_char_boundary(finding.start)
            && text.is_char_boundary(finding.end);
        if valid {
            assessment.findings.push(finding);
        } else {
            assessment.notes.push(format!(
                "finding from rule '{}' dropped: span {}..{} is not a valid range of a {}-byte text",
                rule.id(),
                finding.start,
                finding.end,
                text.len()
            ));
        }
    }
}

/// Sets the level and categories from the findings, and orders the findings.
fn finish(assessment: &mut Assessment) {
    assessment
        .findings
        .sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
    assessment.level = assessment
        .findings
        .iter()
        .map(|f| f.level)
        .max()
        .unwrap_or(RiskLevel::None);
    let mut present = [false; Category::ALL.len()];
    for finding in assessment
        .findings
        .iter()
        .filter(|f| f.level >= RiskLevel::Medium)
    {
        for category in &finding.categories {
            if let Some(i) = Category::ALL.iter().position(|c| c == category) {
                // `i` is a position in Category::ALL, the length of `present`.
                present[i] = true;
            }
        }
    }
    assessment.categories = Category::ALL
        .into_iter()
        .zip(present)
        .filter_map(|(c, p)| p.then_some(c))
        .collect();
}

/// The assessment returned when the engine itself could not be built: fail
/// closed, so the caller shows crisis resources.
pub(crate) fn fail_closed(error: &Error) -> Assessment {
    Assessment {
        level: RiskLevel::High,
        categories: Vec::new(),
        findings: Vec::new(),
        notes: vec![format!(
            "the safety rules failed to load ({error}); failing closed"
        )],
        rules_version: String::from("unavailable"),
    }
}
