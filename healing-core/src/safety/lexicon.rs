//! The lexicon file: its line format, parser and validation.
//!
//! The format is documented in `README.md` ("The lexicon file") and at the top
//! of `lexicon.txt`. Parsing is strict: any line the parser does not understand
//! is an [`Error`] naming the line, so a typo in a clinician's edit cannot
//! silently switch a rule off.

use super::model::{Category, RiskLevel};
use super::{Error, normalise};

/// What a section of the lexicon does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SectionKind {
    /// Words that disclose risk of one category at one level.
    Disclosure {
        /// The category disclosed.
        category: Category,
        /// The level when said by the writer about now.
        level: RiskLevel,
        /// How the words relate to acting; decides what raises them.
        form: Form,
    },
    /// An attempt under way or just made: critical by itself.
    Attempt,
    /// Goodbye and finality: critical by itself from the writer.
    Finality,
    /// Context that changes how other words are read.
    Cue(CueType),
    /// A figure of speech: words inside it are not read as risk.
    Idiom,
    /// Distress or low mood without a risk indicator: low.
    Distress,
}

/// How a disclosure relates to acting on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// A state or thought ("suicidal", "want to die"): raised to critical only by
    /// means, place or preparation.
    State,
    /// Intent to act ("kill myself", "stab him"): raised to critical by any plan cue,
    /// including a time.
    Action,
    /// An act already done ("cut myself last night"): kept at its level.
    Act,
    /// An urge ("want to cut"): kept at its level, never raised.
    Urge,
    /// A bare mention of a risk word ("self harm"): kept at its level.
    Mention,
}

/// Kinds of context cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CueType {
    /// Negates a disclosure that follows closely in the same clause.
    Negation,
    /// Puts the sentence in the resolved past ("years ago", "used to").
    Past,
    /// Marks the sentence as recent or recurring ("last night", "again"); beats `Past`.
    Recent,
    /// Puts the sentence in fiction, news, study or a hypothetical.
    Hypothetical,
    /// A joke marker ("lol", "😂"): sets aside threats to others in the same
    /// sentence, never the writer's own risk.
    Joke,
    /// The writer says they would not act ("I'd never act on it").
    Disavowal,
    /// The writer as subject ("I", "I'm", "me").
    FirstPerson,
    /// Someone else as subject ("she", "my brother", "I've seen").
    ThirdPerson,
    /// A time for acting ("tonight", "on Friday").
    Time,
    /// Happening now ("right now").
    Now,
    /// A means ("pills", "rope", "knife").
    Means,
    /// A place ("the bridge", "the cliff").
    Place,
    /// Preparation already made that is risk by itself ("pills saved", "bought rope").
    Preparation,
    /// A decision or plan in general words ("I've made my mind up", "the plan
    /// is", "got everything I need"): risk only next to a risk word, a means,
    /// a place or concealment.
    Decision,
    /// Resolve to act in general words ("I'm going to do it", "I've made up my
    /// mind"): a decision; two of them with a time are critical.
    Resolve,
    /// Arranging not to be found or stopped ("so nobody finds me", "when
    /// nobody's home"), or sudden calm about it ("I feel calm about it").
    Concealment,
    /// A goodbye that is ambiguous alone ("goodbye everyone", "my last post"):
    /// medium alone, critical with a second goodbye or any other risk.
    Farewell,
    /// A weak statement of going or doing ("I'm going", "doing it"): counts only
    /// in combination.
    Intent,
    /// A bare sign-off ("bye", "bye x"): a goodbye only beside a statement of
    /// resolve, a plan or a risk disclosure ("I'm going to do it now. Bye."),
    /// never alone ("going to the station now, bye!").
    SignOff,
    /// Signs that an attempt was days ago and has been treated ("kept me in",
    /// "discharged", "on Monday"): an attempt in the same sentence is high
    /// (recent) rather than critical (under way or just made).
    Aftercare,
}

impl CueType {
    const NAMES: [(&'static str, CueType); 20] = [
        ("negation", Self::Negation),
        ("past", Self::Past),
        ("recent", Self::Recent),
        ("hypothetical", Self::Hypothetical),
        ("joke", Self::Joke),
        ("disavowal", Self::Disavowal),
        ("first_person", Self::FirstPerson),
        ("third_person", Self::ThirdPerson),
        ("time", Self::Time),
        ("now", Self::Now),
        ("means", Self::Means),
        ("place", Self::Place),
        ("preparation", Self::Preparation),
        ("decision", Self::Decision),
        ("resolve", Self::Resolve),
        ("concealment", Self::Concealment),
        ("farewell", Self::Farewell),
        ("intent", Self::Intent),
        ("sign_off", Self::SignOff),
        ("aftercare", Self::Aftercare),
    ];

    fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
    }

    /// Whether this cue is part of a plan (used to raise to critical).
    pub(crate) fn is_plan(self) -> bool {
        matches!(
            self,
            Self::Time
                | Self::Now
                | Self::Means
                | Self::Place
                | Self::Preparation
                | Self::Decision
                | Self::Resolve
                | Self::Concealment
                | Self::Intent
        )
    }

    /// A short word for reasons ("plan + time").
    pub(crate) fn label(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("cue", |(n, _)| n)
    }
}

/// Who a phrase is about, decided from its own words where it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Person {
    /// The phrase names the writer ("kill myself", "hit me").
    Writer,
    /// The phrase names someone else ("kill himself", "hits her").
    Other,
    /// The phrase names nobody; the nearest subject before it decides.
    Open,
}

/// How a section's phrases are assigned to the writer or someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum PersonRule {
    /// From the phrase's own person words, else the nearest subject before it.
    #[default]
    Auto,
    /// Always the writer (threats: the writer acts on someone else).
    Writer,
    /// Always the nearest subject before the phrase, whatever words it holds.
    Subject,
}

/// One section of the lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// Unique id, e.g. `suicide.active_ideation`.
    pub(crate) id: String,
    /// What the section does.
    pub(crate) kind: SectionKind,
    /// Categories for attempts, finality and preparation cues.
    pub(crate) categories: Vec<Category>,
    /// Reason shown to clinicians.
    pub(crate) reason: String,
    /// How the person of its phrases is decided (`person = auto | writer | subject`).
    pub(crate) person_rule: PersonRule,
    /// Level when the phrase is about someone else and nothing else raises
    /// it (`other_level = medium | high`). Disclosures default to medium (a
    /// child being beaten in the writer's home is set to high); finality
    /// defaults to high (possessions given away are set to medium).
    pub(crate) other_level: Option<RiskLevel>,
    /// Line of the section header, for messages.
    pub(crate) line: usize,
}

/// One pattern to search for, after templates are expanded and the phrase folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    /// Folded text to search for.
    pub(crate) text: String,
    /// Index of its section in [`Lexicon::sections`].
    pub(crate) section: usize,
    /// Who it is about.
    pub(crate) person: Person,
    /// Whether the engine also searches it with one inner vowel masked
    /// (`s*icide`). Phrases built from `define` slots are not masked: they are
    /// many, and their words are the everyday ones people rarely mask.
    pub(crate) masked: bool,
}

/// A word class declared with `define {slot} = a | b | c`: a phrase that uses
/// `{slot}` stands for one phrase per choice, so one line such as
/// `- {i_want} {to_die}` covers a whole family of phrasings.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Definition {
    /// The slot as written in phrases, braces included: `{to_die}`.
    name: String,
    /// What it stands for, in file order.
    choices: Vec<String>,
}

/// At most this many `define` slots in one phrase.
const MAX_SLOTS_PER_PHRASE: usize = 3;
/// At most this many phrases from one line once its slots are expanded, so a
/// lexicon cannot build an automaton too large to hold.
const MAX_EXPANSIONS_PER_PHRASE: usize = 4096;

/// A parsed and validated lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexicon {
    /// The `version` line's value.
    pub(crate) version: String,
    /// Sections in file order.
    pub(crate) sections: Vec<Section>,
    /// Patterns in file order (templates expanded; masked variants not included).
    pub(crate) patterns: Vec<Pattern>,
}

/// Template words a phrase may use, with what each expands to and whether the
/// expansion is about the writer.
const TEMPLATES: [(&str, &[(&str, Person)]); 7] = [
    (
        "{myself}",
        &[
            ("myself", Person::Writer),
            ("my self", Person::Writer),
            ("himself", Person::Other),
            ("herself", Person::Other),
            ("themselves", Person::Other),
            ("themself", Person::Other),
        ],
    ),
    (
        "{my}",
        &[
            ("my", Person::Writer),
            ("his", Person::Other),
            ("her", Person::Other),
            ("their", Person::Other),
        ],
    ),
    (
        "{me}",
        &[
            ("me", Person::Writer),
            ("him", Person::Other),
            ("her", Person::Other),
            ("them", Person::Other),
        ],
    ),
    (
        "{i}",
        &[
            ("i", Person::Writer),
            ("he", Person::Other),
            ("she", Person::Other),
            ("they", Person::Other),
        ],
    ),
    (
        "{im}",
        &[
            ("im", Person::Writer),
            ("i am", Person::Writer),
            ("hes", Person::Other),
            ("shes", Person::Other),
            ("theyre", Person::Other),
        ],
    ),
    (
        "{ive}",
        &[
            ("ive", Person::Writer),
            ("i have", Person::Writer),
            ("hes", Person::Other),
            ("shes", Person::Other),
            ("theyve", Person::Other),
        ],
    ),
    (
        "{suicide}",
        &[
            ("suicide", Person::Open),
            ("sewerslide", Person::Open),
            ("sucide", Person::Open),
            ("suicde", Person::Open),
        ],
    ),
];

/// Words that make a phrase about the writer.
const WRITER_WORDS: [&str; 9] = ["i", "im", "ive", "id", "ill", "me", "my", "myself", "mine"];
/// Words that make a phrase about someone else (when no writer word is present).
const OTHER_WORDS: [&str; 18] = [
    "he",
    "she",
    "hes",
    "shes",
    "hed",
    "shed",
    "they",
    "theyre",
    "theyve",
    "theyd",
    "him",
    "her",
    "his",
    "their",
    "himself",
    "herself",
    "themselves",
    "themself",
];

/// Parses and validates lexicon text; the first problem found is returned.
pub(crate) fn parse(text: &str) -> Result<Lexicon, Error> {
    let mut version: Option<String> = None;
    let mut sections: Vec<Section> = Vec::new();
    let mut patterns: Vec<Pattern> = Vec::new();
    let mut open: Option<OpenSection> = None;
    let mut definitions: Vec<Definition> = Vec::new();

    for (index, raw) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("version ") {
            if version.is_some() {
                return Err(Error::DuplicateVersion { line: line_number });
            }
            let v = rest.trim();
            if !is_valid_version(v) {
                return Err(Error::BadVersion {
                    line: line_number,
                    version: v.to_owned(),
                });
            }
            version = Some(v.to_owned());
            continue;
        }
        if let Some(rest) = line.strip_prefix("define ") {
            definitions.push(parse_definition(rest, line, line_number, &definitions)?);
            continue;
        }
        if line.starts_with('[') {
            if let Some(done) = open.take() {
                finish_section(done, &mut sections, &mut patterns, &definitions)?;
            }
            open = Some(start_section(line, line_number, &sections)?);
            continue;
        }
        let Some(current) = open.as_mut() else {
            return Err(Error::OutsideSection {
                line: line_number,
                text: clip(line),
            });
        };
        if let Some(phrase) = line.strip_prefix("- ") {
            current
                .phrases
                .push((phrase.trim().to_owned(), line_number));
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(Error::UnknownLine {
                line: line_number,
                text: clip(line),
            });
        };
        current.set(key.trim(), value.trim(), line_number)?;
    }
    if let Some(done) = open.take() {
        finish_section(done, &mut sections, &mut patterns, &definitions)?;
    }
    let Some(version) = version else {
        return Err(Error::MissingVersion);
    };
    Ok(Lexicon {
        version,
        sections,
        patterns,
    })
}

/// Reads the rest of a `define {slot} = a | b | c` line.
fn parse_definition(
    rest: &str,
    line: &str,
    line_number: usize,
    earlier: &[Definition],
) -> Result<Definition, Error> {
    let bad = |why: &str| Error::BadDefinition {
        line: line_number,
        text: clip(line),
        why: why.to_owned(),
    };
    let Some((name, choices)) = rest.split_once('=') else {
        return Err(bad("it is not 'define {slot} = a | b'"));
    };
    let name = name.trim();
    let inner = name
        .strip_prefix('{')
        .and_then(|n| n.strip_suffix('}'))
        .ok_or_else(|| bad("the slot name is not in braces"))?;
    if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return Err(bad("the slot name is not lower-case letters and '_'"));
    }
    if TEMPLATES.iter().any(|(t, _)| *t == name) {
        return Err(bad("the slot name is a built-in template"));
    }
    if earlier.iter().any(|d| d.name == name) {
        return Err(bad("the slot is already defined"));
    }
    let choices: Vec<String> = choices.split('|').map(|c| c.trim().to_owned()).collect();
    if choices.iter().any(String::is_empty) {
        return Err(bad("a choice is empty"));
    }
    // Slots inside choices would hide how large a phrase grows: keep them flat.
    if choices
        .iter()
        .any(|c| earlier.iter().any(|d| c.contains(d.name.as_str())))
    {
        return Err(bad("a choice uses another defined slot"));
    }
    Ok(Definition {
        name: name.to_owned(),
        choices,
    })
}

/// `YYYY.M.N`: three dot-separated numbers.
pub(crate) fn is_valid_version(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A line cut to 80 characters for an error message.
fn clip(line: &str) -> String {
    line.chars().take(80).collect()
}

/// A section being read.
struct OpenSection {
    kind_name: String,
    id: String,
    line: usize,
    category: Option<Category>,
    categories: Vec<Category>,
    level: Option<RiskLevel>,
    form: Option<Form>,
    cue_type: Option<CueType>,
    reason: Option<String>,
    person_rule: PersonRule,
    other_level: Option<RiskLevel>,
    phrases: Vec<(String, usize)>,
}

const KINDS: [&str; 6] = [
    "disclosure",
    "attempt",
    "finality",
    "cue",
    "idiom",
    "distress",
];

fn start_section(
    line: &str,
    line_number: usize,
    sections: &[Section],
) -> Result<OpenSection, Error> {
    let inner = line
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .ok_or_else(|| Error::BadHeader {
            line: line_number,
            text: clip(line),
        })?;
    let mut words = inner.split_whitespace();
    let (Some(kind), Some(id), None) = (words.next(), words.next(), words.next()) else {
        return Err(Error::BadHeader {
            line: line_number,
            text: clip(line),
        });
    };
    if !KINDS.contains(&kind) {
        return Err(Error::UnknownKind {
            line: line_number,
            kind: kind.to_owned(),
        });
    }
    let id_ok = id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
    if !id_ok {
        return Err(Error::BadHeader {
            line: line_number,
            text: clip(line),
        });
    }
    if let Some(previous) = sections.iter().find(|s| s.id == id) {
        return Err(Error::DuplicateId {
            line: line_number,
            id: id.to_owned(),
            first_line: previous.line,
        });
    }
    Ok(OpenSection {
        kind_name: kind.to_owned(),
        id: id.to_owned(),
        line: line_number,
        category: None,
        categories: Vec::new(),
        level: None,
        form: None,
        cue_type: None,
        reason: None,
        person_rule: PersonRule::Auto,
        other_level: None,
        phrases: Vec::new(),
    })
}

impl OpenSection {
    fn set(&mut self, key: &str, value: &str, line: usize) -> Result<(), Error> {
        let bad = || Error::BadValue {
            line,
            key: key.to_owned(),
            value: clip(value),
        };
        match key {
            "category" => self.category = Some(Category::from_name(value).ok_or_else(bad)?),
            "categories" => {
                self.categories = value
                    .split(',')
                    .map(|c| Category::from_name(c.trim()))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(bad)?;
            }
            "level" => {
                let level = RiskLevel::from_name(value).ok_or_else(bad)?;
                if level < RiskLevel::Medium {
                    return Err(bad());
                }
                self.level = Some(level);
            }
            "form" => {
                self.form = Some(match value {
                    "state" => Form::State,
                    "action" => Form::Action,
                    "act" => Form::Act,
                    "urge" => Form::Urge,
                    "mention" => Form::Mention,
                    _ => return Err(bad()),
                });
            }
            "type" => self.cue_type = Some(CueType::from_name(value).ok_or_else(bad)?),
            "reason" => {
                if value.is_empty() {
                    return Err(bad());
                }
                self.reason = Some(value.to_owned());
            }
            "other_level" => {
                let level = RiskLevel::from_name(value).ok_or_else(bad)?;
                if level < RiskLevel::Medium || level > RiskLevel::High {
                    return Err(bad());
                }
                self.other_level = Some(level);
            }
            "person" => {
                self.person_rule = match value {
                    "auto" => PersonRule::Auto,
                    "writer" => PersonRule::Writer,
                    "subject" => PersonRule::Subject,
                    _ => return Err(bad()),
                };
            }
            _ => {
                return Err(Error::UnknownKey {
                    line,
                    key: key.to_owned(),
                });
            }
        }
        Ok(())
    }
}

fn finish_section(
    open: OpenSection,
    sections: &mut Vec<Section>,
    patterns: &mut Vec<Pattern>,
    definitions: &[Definition],
) -> Result<(), Error> {
    let missing = |key: &str| Error::MissingKey {
        line: open.line,
        id: open.id.clone(),
        key: key.to_owned(),
    };
    let kind = match open.kind_name.as_str() {
        "disclosure" => SectionKind::Disclosure {
            category: open.category.ok_or_else(|| missing("category"))?,
            level: open.level.ok_or_else(|| missing("level"))?,
            form: open.form.ok_or_else(|| missing("form"))?,
        },
        "attempt" => SectionKind::Attempt,
        "finality" => SectionKind::Finality,
        "cue" => SectionKind::Cue(open.cue_type.ok_or_else(|| missing("type"))?),
        "idiom" => SectionKind::Idiom,
        _ => SectionKind::Distress,
    };
    if matches!(kind, SectionKind::Attempt) && open.categories.is_empty() {
        return Err(missing("categories"));
    }
    let needs_reason = !matches!(kind, SectionKind::Cue(_));
    if needs_reason && open.reason.is_none() {
        return Err(missing("reason"));
    }
    if open.phrases.is_empty() {
        return Err(Error::EmptySection {
            line: open.line,
            id: open.id.clone(),
        });
    }
    let section_index = sections.len();
    for (phrase, line) in &open.phrases {
        expand_definitions(phrase, *line, section_index, patterns, definitions)?;
    }
    let categories = if open.categories.is_empty() && matches!(kind, SectionKind::Finality) {
        vec![Category::Suicide]
    } else {
        open.categories
    };
    sections.push(Section {
        id: open.id,
        kind,
        categories,
        reason: open.reason.unwrap_or_default(),
        person_rule: open.person_rule,
        other_level: open.other_level,
        line: open.line,
    });
    Ok(())
}

/// Expands the `define` slots in one phrase, then its templates, and adds
/// the folded patterns.
fn expand_definitions(
    phrase: &str,
    line: usize,
    section: usize,
    patterns: &mut Vec<Pattern>,
    definitions: &[Definition],
) -> Result<(), Error> {
    let bad = |why: &str| Error::BadPhrase {
        line,
        phrase: clip(phrase),
        why: why.to_owned(),
    };
    let used: Vec<&Definition> = definitions
        .iter()
        .filter(|d| phrase.contains(d.name.as_str()))
        .collect();
    if used.is_empty() {
        return expand_phrase(phrase, line, section, patterns, true);
    }
    let slots: usize = used
        .iter()
        .map(|d| phrase.matches(d.name.as_str()).count())
        .sum();
    if slots > MAX_SLOTS_PER_PHRASE {
        return Err(bad("it uses more than three defined slots"));
    }
    let mut expanded: Vec<String> = vec![phrase.to_owned()];
    for definition in used {
        while expanded
            .first()
            .is_some_and(|t| t.contains(definition.name.as_str()))
        {
            if expanded.len().saturating_mul(definition.choices.len()) > MAX_EXPANSIONS_PER_PHRASE {
                return Err(bad("its slots expand to more than 4096 phrases"));
            }
            expanded = expanded
                .iter()
                .flat_map(|text| {
                    definition
                        .choices
                        .iter()
                        .map(move |choice| text.replacen(definition.name.as_str(), choice, 1))
                })
                .collect();
        }
    }
    for text in &expanded {
        expand_phrase(text, line, section, patterns, false)?;
    }
    Ok(())
}

/// Expands the templates in one phrase and adds the folded patterns.
fn expand_phrase(
    phrase: &str,
    line: usize,
    section: usize,
    patterns: &mut Vec<Pattern>,
    masked: bool,
) -> Result<(), Error> {
    let bad = |why: &str| Error::BadPhrase {
        line,
        phrase: clip(phrase),
        why: why.to_owned(),
    };
    if phrase.is_empty() {
        return Err(bad("it is empty"));
    }
    // Check every {template} is known before expanding.
    // Slicing is safe: `open` and `close` are byte offsets of the ASCII
    // characters '{' and '}' found in `rest`, so they are character boundaries.
    let mut rest = phrase;
    let mut used = 0;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Err(bad("a '{' has no matching '}'"));
        };
        let name = &rest[open..open + close + 1];
        if !TEMPLATES.iter().any(|(t, _)| *t == name) {
            return Err(bad("it uses an unknown template"));
        }
        used += 1;
        rest = &rest[open + close + 1..];
    }
    if used > 2 {
        return Err(bad("it uses more than two templates"));
    }
    let mut expanded: Vec<(String, Person)> = vec![(phrase.to_owned(), Person::Open)];
    for (template, choices) in TEMPLATES {
        if !phrase.contains(template) {
            continue;
        }
        let mut next = Vec::with_capacity(expanded.len() * choices.len());
        for (text, person) in &expanded {
            for (choice, choice_person) in choices {
                let merged = match (person, choice_person) {
                    (Person::Open, p) | (p, Person::Open) => *p,
                    (a, b) if a == b => *a,
                    // Mixed persons ("{i} ... {my}" as "he ... my") are not sensible: skip.
                    _ => continue,
                };
                next.push((text.replacen(template, choice, 1), merged));
            }
        }
        expanded = next;
    }
    for (text, templated_person) in expanded {
        let folded = normalise::fold(&text).text;
        let folded = folded.trim();
        let valid = !folded.is_empty()
            && folded.chars().all(|c| {
                c == ' '
                    || c == '#'
                    || (normalise::is_word_char(c) && c != '@' && c != '$')
                    || !c.is_ascii()
            });
        if !valid || folded.contains("  ") {
            return Err(bad(
                "after folding it holds punctuation; use letters, digits, '#', emoji and single spaces",
            ));
        }
        let person = match templated_person {
            Person::Open => person_of(folded),
            fixed => fixed,
        };
        patterns.push(Pattern {
            text: folded.to_owned(),
            section,
            person,
            masked,
        });
    }
    Ok(())
}

/// Who a folded phrase is about, from its own words.
fn person_of(folded: &str) -> Person {
    let words = || folded.split(' ');
    if words().any(|w| WRITER_WORDS.contains(&w)) {
        Person::Writer
    } else if words().any(|w| OTHER_WORDS.contains(&w)) {
        Person::Other
    } else {
        Person::Open
    }
}
