//! The learned reader: logistic heads over hashed word and character n-grams,
//! read from `classifier.txt`, that raise a level the lexicon missed and say
//! which words carried the weight.
//!
//! The weights are trained outside the library by `tools/safety-train/train.py`
//! (scikit-learn, liblinear) on the safety corpus (`tools/safety-corpus/`). The
//! features here must stay identical to that script's `words` and `features`;
//! `tests.rs` asserts the same fixed bucket values as the script's
//! `--self-test`.
//!
//! Two blocks of features, each hashed with 32-bit FNV-1a over its UTF-8 bytes
//! into one table of a power-of-two number of buckets:
//! - words: each word (`w:`) and each pair of neighbouring words (`b:`
//!   followed by the two words' hashes, little-endian);
//! - characters: the 3- and 5-grams of the words joined by single spaces,
//!   with one space before and after (`c:`), across word boundaries, so that
//!   "kill my self", "killmyself" and "kms" share evidence.
//!
//! Each occurrence weighs its bucket's inverse document frequency; a block is
//! divided by its norm (the square root of the sum of its occurrences' squared
//! weights), so long and short texts read alike. A head's score is its bias
//! plus its scale times the sum over both blocks. Weights are eight-bit
//! integers per head, ten bytes a bucket, so the table stays in a core's cache.
//!
//! Words: ASCII letters and digits and every character below U+2000 (Latin,
//! Greek, Cyrillic …) join a word; ASCII and Latin-1 capitals are lower-cased;
//! apostrophes and invisible characters are dropped without splitting a word
//! (`Don't` → `dont`); every character from U+2000 up (emoji, symbols, CJK) is a
//! word by itself; everything else separates words.

use std::cell::Cell;

use super::Error;
use super::model::{Category, RiskLevel};

/// The built-in weights, compiled into the crate.
pub(crate) const BUILT_IN_CLASSIFIER: &str = include_str!("classifier.txt");

/// The only file format this reader knows.
const FORMAT: &str = "2";
/// The feature line this reader computes (the number of buckets aside).
const FEATURES: [&str; 8] = [
    "words",
    "1-2",
    "chars",
    "3,5",
    "weighting",
    "idf/16",
    "norm",
    "l2_per_block",
];
/// The heads, in the order the file must list them: four level thresholds
/// (at least low, medium, high; critical), then one per category.
const HEADS: [&str; N_HEADS] = [
    "level.low",
    "level.medium",
    "level.high",
    "level.critical",
    "category.suicide",
    "category.self_harm",
    "category.harm_to_others",
    "category.safeguarding",
    "category.third_party",
];
const N_HEADS: usize = 9;
const N_LEVEL_HEADS: usize = 4;
/// The levels the four level heads stand for.
const HEAD_LEVELS: [RiskLevel; N_LEVEL_HEADS] = [
    RiskLevel::Low,
    RiskLevel::Medium,
    RiskLevel::High,
    RiskLevel::Critical,
];
/// The categories of the category heads, in head order.
const HEAD_CATEGORIES: [Category; N_HEADS - N_LEVEL_HEADS] = [
    Category::Suicide,
    Category::SelfHarm,
    Category::HarmToOthers,
    Category::Safeguarding,
    Category::ThirdParty,
];
/// The character n-gram lengths: each character starts one of each that fits.
const SHORT_GRAM: usize = 3;
const LONG_GRAM: usize = 5;
/// Bucket counts the reader accepts (2^10 ..= 2^22).
const MIN_BUCKETS: usize = 1 << 10;
const MAX_BUCKETS: usize = 1 << 22;
/// The learned reader leaves texts of fewer words to the lexicon: its corpus
/// holds almost none this short (28 of the 5,200 general-brief messages have
/// fewer than six words), so its reading of them is extrapolation, and it read
/// "call my sister" and "ring my sister" as critical (CHANGELOG.md, 2026.12.2).
const MIN_WORDS: usize = 6;
/// An explanation quotes at most this many words.
const MAX_SPAN_WORDS: usize = 5;

/// A loaded, checked weights file.
#[derive(Debug, Clone)]
pub(crate) struct Classifier {
    version: String,
    corpus: String,
    mask: u32,
    bias: [f32; N_HEADS],
    threshold: [f32; N_HEADS],
    scale: [f32; N_HEADS],
    /// Per bucket: the inverse document frequency and the level heads'
    /// weights. Kept apart from the category heads' so the table every
    /// message reads stays small enough for a core's cache (five bytes a
    /// bucket); categories are read only for a message the model raises.
    level_rows: Vec<Row<N_LEVEL_HEADS>>,
    /// Per bucket: the inverse document frequency and the category heads' weights.
    category_rows: Vec<Row<{ N_HEADS - N_LEVEL_HEADS }>>,
}

/// One bucket's inverse document frequency (in steps) and some heads' weights.
#[derive(Debug, Clone, Copy)]
struct Row<const H: usize> {
    idf: u8,
    weights: [i8; H],
}

/// The words that carried most of a head's weight: a byte range of the
/// original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Evidence {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Which block a feature belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Block {
    Words,
    Chars,
}

/// The blocks, in the order of their sums.
const BLOCKS: [Block; 2] = [Block::Words, Block::Chars];

/// A text's feature occurrences are kept from the level pass up to this many
/// bytes (at most about three occurrences a byte), so that explaining a raise
/// reads them again without hashing the text a second and third time; a
/// longer text is streamed again instead, so the kept buffer stays small.
const RECORD_BYTES: usize = 1024;

thread_local! {
    /// The occurrence buffers of this thread's last reading, handed from one
    /// reading to the next so a reading allocates nothing once warm.
    static OCCURRENCES: Cell<[Vec<Occurrence>; 2]> = const { Cell::new([Vec::new(), Vec::new()]) };
}

/// One feature occurrence of a block, as the level pass met it.
#[derive(Clone, Copy)]
struct Occurrence {
    owner: Owner,
    bucket: u32,
}

/// What a feature occurrence is credited to in an explanation: the original
/// byte span of its word up to the character it ends at (the whole word for
/// the word's own features and for the n-grams that end at the space after
/// it), and that span's place among the text's distinct spans. Spans only
/// grow along the stream, so equal spans are neighbours and the place is a
/// running count, which lets an explanation sum by place without searching.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Owner {
    index: usize,
    span: (usize, usize),
}

impl Classifier {
    /// The model version (the file's `version` line).
    pub(crate) fn version(&self) -> &str {
        &self.version
    }

    /// The corpus version the weights were trained on.
    pub(crate) fn corpus(&self) -> &str {
        &self.corpus
    }

    /// Reads `text` with the level heads in one pass over its features; see
    /// [`Reading::level`]. A short text's occurrences are kept for
    /// [`Reading::evidence`] and [`Reading::categories`].
    pub(crate) fn read<'a>(&'a self, text: &'a str) -> Reading<'a> {
        // `try_with`: a reading from another thread-local's destructor gets
        // fresh buffers rather than a panic.
        let mut occurrences = OCCURRENCES.try_with(Cell::take).unwrap_or_default();
        occurrences.iter_mut().for_each(Vec::clear);
        let recorded = text.len() <= RECORD_BYTES;
        let words = if recorded {
            for_each_feature(text, self.mask, |block, owner, bucket| {
                if let Some(kept) = occurrences.get_mut(block as usize) {
                    kept.push(Occurrence { owner, bucket });
                }
            })
        } else {
            0
        };
        let mut reading = Reading {
            classifier: self,
            text,
            level: None,
            occurrences,
            recorded,
            words,
        };
        let (sums, words) = reading.weigh(&self.level_rows);
        if words >= MIN_WORDS {
            reading.level = level_of(self.margins(&sums, 0));
        }
        reading
    }

    /// Each head's score minus its threshold (it fires at 0 and above), for
    /// the `H` heads from `first` whose sums are `sums`.
    fn margins<const H: usize>(&self, sums: &Sums<H>, first: usize) -> [f32; H] {
        let mut margins = [0f32; H];
        for (h, margin) in margins.iter_mut().enumerate() {
            let mut total = 0.0;
            for (sum, norm) in sums.heads.iter().zip(sums.norms) {
                if norm > 0.0 {
                    total += sum.get(h).copied().unwrap_or(0.0) / norm.sqrt();
                }
            }
            let head = first + h;
            let (bias, scale, threshold) = (
                self.bias.get(head).copied().unwrap_or(0.0),
                self.scale.get(head).copied().unwrap_or(0.0),
                self.threshold.get(head).copied().unwrap_or(0.0),
            );
            *margin = bias + scale * total - threshold;
        }
        margins
    }
}

/// The level the level heads' margins read as: the highest level whose head
/// fires together with the head just below it (`level.low` alone for low).
/// The heads are ordered, so a head firing alone is not believed; a plan
/// stated with no distress word, which the low head can miss, is still read
/// by the heads above. `train.py`'s `read_levels` is the same rule.
fn level_of(margins: [f32; N_LEVEL_HEADS]) -> Option<RiskLevel> {
    let fires = margins.map(|m| m >= 0.0);
    let mut level = None;
    for (k, head_level) in HEAD_LEVELS.iter().enumerate() {
        let below_fires = k == 0 || fires.get(k - 1).copied().unwrap_or(false);
        if fires.get(k).copied().unwrap_or(false) && below_fires {
            level = Some(*head_level);
        }
    }
    level
}

/// The running sums of a pass over a text's features, per block: each head's
/// weighted sum and the sum of the squared weights (the block's squared norm).
/// Each sum is added to in the order the features are streamed, so a
/// replayed pass gives the same floating-point sums, bit for bit.
struct Sums<const H: usize> {
    heads: [[f32; H]; 2],
    norms: [f32; 2],
}

impl<const H: usize> Default for Sums<H> {
    fn default() -> Self {
        Self {
            heads: [[0.0; H]; 2],
            norms: [0.0; 2],
        }
    }
}

impl<const H: usize> Sums<H> {
    /// Adds the occurrences of `buckets` in `block`, each weighed by its
    /// bucket's inverse document frequency.
    fn add(&mut self, rows: &[Row<H>], block: Block, buckets: impl IntoIterator<Item = u32>) {
        let i = block as usize;
        let (Some(heads), Some(norm)) = (self.heads.get_mut(i), self.norms.get_mut(i)) else {
            return;
        };
        // Copies, so that the loop keeps them in registers.
        let (mut sums, mut squares) = (*heads, *norm);
        for bucket in buckets {
            let Some(row) = rows.get(bucket as usize) else {
                continue;
            };
            let idf = f32::from(row.idf);
            squares += idf * idf;
            for (s, w) in sums.iter_mut().zip(&row.weights) {
                *s += idf * f32::from(*w);
            }
        }
        (*heads, *norm) = (sums, squares);
    }
}

/// A word's span and the weight it carries in each block.
type WordWeight = ((usize, usize), [f32; 2]);

/// The learned reader's reading of one text: the level it reads, and what it
/// needs to explain a raise.
pub(crate) struct Reading<'a> {
    classifier: &'a Classifier,
    text: &'a str,
    level: Option<RiskLevel>,
    /// Each block's feature occurrences in stream order when `recorded`,
    /// else empty.
    occurrences: [Vec<Occurrence>; 2],
    recorded: bool,
    /// The number of words when `recorded`.
    words: usize,
}

impl Drop for Reading<'_> {
    /// Hands the occurrence buffer back to the thread for its next reading.
    fn drop(&mut self) {
        let occurrences = std::mem::take(&mut self.occurrences);
        // Failing only while the thread is torn down: the buffer is then freed.
        let _ = OCCURRENCES.try_with(|cell| cell.set(occurrences));
    }
}

impl Reading<'_> {
    /// The level the text reads as, if any (see [`level_of`]); None for a
    /// text of fewer than [`MIN_WORDS`] words.
    pub(crate) fn level(&self) -> Option<RiskLevel> {
        self.level
    }

    /// Calls `visit` for every feature occurrence of the text, in the level
    /// pass's order: from the kept occurrences, or by streaming the text again.
    /// A block's occurrences are replayed apart from the other block's: no
    /// sum mixes the two, so each still sees its own in order.
    fn replay(&self, mut visit: impl FnMut(Block, Owner, u32)) {
        if self.recorded {
            for (block, occurrences) in BLOCKS.into_iter().zip(&self.occurrences) {
                for o in occurrences {
                    visit(block, o.owner, o.bucket);
                }
            }
        } else {
            for_each_feature(self.text, self.classifier.mask, visit);
        }
    }

    /// The sums of the heads whose rows are `rows`, and the number of words.
    fn weigh<const H: usize>(&self, rows: &[Row<H>]) -> (Sums<H>, usize) {
        let mut sums = Sums::default();
        if self.recorded {
            for (block, occurrences) in BLOCKS.into_iter().zip(&self.occurrences) {
                sums.add(rows, block, occurrences.iter().map(|o| o.bucket));
            }
            (sums, self.words)
        } else {
            let words = for_each_feature(self.text, self.classifier.mask, |block, _, bucket| {
                sums.add(rows, block, [bucket]);
            });
            (sums, words)
        }
    }

    /// The categories whose heads fire for the text, in head order; at least
    /// the strongest one.
    pub(crate) fn categories(&self) -> Vec<Category> {
        let (sums, _) = self.weigh(&self.classifier.category_rows);
        let margins = self.classifier.margins(&sums, N_LEVEL_HEADS);
        let mut categories: Vec<Category> = HEAD_CATEGORIES
            .iter()
            .zip(&margins)
            .filter(|(_, m)| **m >= 0.0)
            .map(|(c, _)| *c)
            .collect();
        if categories.is_empty() {
            let strongest = HEAD_CATEGORIES
                .iter()
                .zip(&margins)
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(c, _)| *c);
            categories.extend(strongest);
        }
        categories
    }

    /// The words that carried most of the positive weight of the head for
    /// `level`: the strongest word, widened to neighbours that carry at least a
    /// third as much, at most five words. Only called when the reader raises a
    /// level, so it may allocate.
    pub(crate) fn evidence(&self, level: RiskLevel) -> Option<Evidence> {
        let head = HEAD_LEVELS.iter().position(|l| *l == level)?;
        let rows = &self.classifier.level_rows;
        // (span, weight per block) for each owner by place, and each block's norm.
        let mut owners: Vec<Option<WordWeight>> = Vec::new();
        let mut norms = [0f32; 2];
        self.replay(|block, owner, bucket| {
            let Some(row) = rows.get(bucket as usize) else {
                return;
            };
            let idf = f32::from(row.idf);
            let i = block as usize;
            if let Some(norm) = norms.get_mut(i) {
                *norm += idf * idf;
            }
            let weight = idf * f32::from(row.weights.get(head).copied().unwrap_or(0));
            if owners.len() <= owner.index {
                owners.resize(owner.index + 1, None);
            }
            match owners.get_mut(owner.index) {
                Some(Some(word)) => {
                    if let Some(slot) = word.1.get_mut(i) {
                        *slot += weight;
                    }
                }
                Some(empty) => {
                    let mut weights = [0f32; 2];
                    if let Some(slot) = weights.get_mut(i) {
                        *slot = weight;
                    }
                    *empty = Some((owner.span, weights));
                }
                None => {}
            }
        });
        // In span order, as the places are; only owners that carry a feature.
        let words: Vec<WordWeight> = owners.into_iter().flatten().collect();
        debug_assert!(words.is_sorted_by_key(|w| w.0));
        let weight_of = |w: &[f32; 2]| -> f32 {
            w.iter()
                .zip(norms)
                .filter(|(_, n)| *n > 0.0)
                .map(|(s, n)| s / n.sqrt())
                .sum()
        };
        let weights: Vec<f32> = words.iter().map(|w| weight_of(&w.1)).collect();
        let (best, &top) = weights
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        if top <= 0.0 {
            return None;
        }
        let (mut first, mut last) = (best, best);
        while last - first + 1 < MAX_SPAN_WORDS {
            let left = first
                .checked_sub(1)
                .and_then(|i| weights.get(i))
                .copied()
                .unwrap_or(f32::MIN);
            let right = weights.get(last + 1).copied().unwrap_or(f32::MIN);
            if left.max(right) < top / 3.0 {
                break;
            }
            if left >= right {
                first -= 1;
            } else {
                last += 1;
            }
        }
        Some(Evidence {
            start: words.get(first)?.0.0,
            end: words.get(last)?.0.1,
        })
    }
}

/// Calls `visit` with the block, the [`Owner`] and the bucket of every
/// feature occurrence of `text` (a character n-gram belongs to the word of its
/// last character, or of the space after it).
/// The order of the calls is not `train.py`'s; the multiset is the same.
/// Streams the text once and allocates nothing; returns the number of words.
fn for_each_feature(text: &str, mask: u32, visit: impl FnMut(Block, Owner, u32)) -> usize {
    let mut stream = FeatureStream::new(mask, visit);
    let mut words = 0;
    // The byte offset where the word being read starts.
    let mut word_start: Option<usize> = None;
    for (offset, c) in text.char_indices() {
        match class(c) {
            Class::Skip => {}
            Class::Word => {
                let start = *word_start.get_or_insert(offset);
                stream.add_char(fold(c), (start, offset + c.len_utf8()));
            }
            kind @ (Class::Space | Class::Symbol) => {
                if word_start.take().is_some() {
                    stream.end_word();
                    words += 1;
                }
                if kind == Class::Symbol {
                    stream.add_char(c, (offset, offset + c.len_utf8()));
                    stream.end_word();
                    words += 1;
                }
            }
        }
    }
    if word_start.is_some() {
        stream.end_word();
        words += 1;
    }
    stream.flush();
    words
}

/// The hash states after each feature kind's prefix.
const WORD_PREFIX: u32 = fnv1a(FNV_OFFSET, b"w:");
const PAIR_PREFIX: u32 = fnv1a(FNV_OFFSET, b"b:");
const CHARS_PREFIX: u32 = fnv1a(FNV_OFFSET, b"c:");

/// The running state of [`for_each_feature`]: the character n-grams of the
/// joined word stream, the hash of the word being read (`w:word`) and the
/// previous word's.
struct FeatureStream<F> {
    mask: u32,
    visit: F,
    grams: Grams,
    /// The owner of the last character added.
    owner: Owner,
    word_hash: u32,
    previous_word: Option<u32>,
}

impl<F: FnMut(Block, Owner, u32)> FeatureStream<F> {
    fn new(mask: u32, visit: F) -> Self {
        let owner = Owner::default();
        let mut stream = Self {
            mask,
            visit,
            grams: Grams::default(),
            owner,
            word_hash: WORD_PREFIX,
            previous_word: None,
        };
        stream.push_stream_char(b" ", owner);
        stream
    }

    /// Adds a character of the word whose span so far is `span`.
    fn add_char(&mut self, c: char, span: (usize, usize)) {
        if span != self.owner.span {
            self.owner = Owner {
                index: self.owner.index + 1,
                span,
            };
        }
        let mut utf8 = [0u8; 4];
        let bytes = c.encode_utf8(&mut utf8).as_bytes();
        self.word_hash = fnv1a(self.word_hash, bytes);
        self.push_stream_char(bytes, self.owner);
    }

    /// Ends the word whose last character was just added.
    fn end_word(&mut self) {
        let owner = self.owner;
        (self.visit)(Block::Words, owner, self.word_hash & self.mask);
        if let Some(previous) = self.previous_word {
            let pair = fnv1a(PAIR_PREFIX, &previous.to_le_bytes());
            let pair = fnv1a(pair, &self.word_hash.to_le_bytes());
            (self.visit)(Block::Words, owner, pair & self.mask);
        }
        self.previous_word = Some(self.word_hash);
        self.word_hash = WORD_PREFIX;
        self.push_stream_char(b" ", owner);
    }

    /// Appends a character (its UTF-8 `bytes`) to the joined stream and
    /// emits the n-grams that start [`LONG_GRAM`] - 1 characters back: the
    /// short one, then the long one.
    fn push_stream_char(&mut self, bytes: &[u8], owner: Owner) {
        let (mask, visit) = (self.mask, &mut self.visit);
        if let Some([(short_owner, short), (long_owner, long)]) = self.grams.push(bytes, owner) {
            visit(Block::Chars, short_owner, short & mask);
            visit(Block::Chars, long_owner, long & mask);
        }
    }

    /// Emits the short n-grams of the stream's last characters, at the end of
    /// the text.
    fn flush(&mut self) {
        for (owner, hash) in self.grams.tail() {
            (self.visit)(Block::Chars, owner, hash & self.mask);
        }
    }
}

/// The character n-grams of the joined word stream, hashed as they grow: for
/// each of the last [`LONG_GRAM`] positions, the hash so far of the n-gram
/// starting there (every n-gram starting at a position shares its hash's
/// prefix), kept in a ring.
#[derive(Default)]
struct Grams {
    /// By position modulo [`RING`]: the hash of the n-gram starting there so
    /// far, the hash of its short n-gram once complete, and the owner of the
    /// character there.
    open: [u32; RING],
    short: [u32; RING],
    owners: [Owner; RING],
    /// The number of characters pushed.
    count: usize,
}

/// The ring's size: a power of two at least [`LONG_GRAM`], so a position
/// wraps with a mask.
const RING: usize = LONG_GRAM.next_power_of_two();

impl Grams {
    /// Adds the character `bytes` of `owner` to every n-gram still growing;
    /// once [`LONG_GRAM`] characters are in, returns the short and the long
    /// n-gram starting at the oldest of the last [`LONG_GRAM`] positions,
    /// each with the owner of its last character.
    fn push(&mut self, bytes: &[u8], owner: Owner) -> Option<[(Owner, u32); 2]> {
        let newest = self.count;
        self.count += 1;
        self.open[newest % RING] = CHARS_PREFIX;
        self.owners[newest % RING] = owner;
        let growing = LONG_GRAM.min(self.count);
        for &byte in bytes {
            for back in 0..growing {
                let at = (newest - back) % RING;
                self.open[at] = fnv1a_byte(self.open[at], byte);
            }
        }
        if let Some(start) = newest.checked_sub(SHORT_GRAM - 1) {
            self.short[start % RING] = self.open[start % RING];
        }
        let oldest = self.count.checked_sub(LONG_GRAM)?;
        Some([
            (
                self.owners[(oldest + SHORT_GRAM - 1) % RING],
                self.short[oldest % RING],
            ),
            (self.owners[newest % RING], self.open[oldest % RING]),
        ])
    }

    /// The short n-grams not yet returned: those starting in the last
    /// [`LONG_GRAM`] - 1 positions that fit, oldest first.
    fn tail(&self) -> impl Iterator<Item = (Owner, u32)> + '_ {
        let first = self.count.saturating_sub(LONG_GRAM - 1);
        let end = (self.count + 1).saturating_sub(SHORT_GRAM);
        (first..end).map(|start| {
            (
                self.owners[(start + SHORT_GRAM - 1) % RING],
                self.short[start % RING],
            )
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Skip,
    Space,
    Word,
    Symbol,
}

#[inline]
fn class(c: char) -> Class {
    match c {
        '\'' | '\u{2018}' | '\u{2019}' | '`' => Class::Skip,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{fe0e}'
        | '\u{fe0f}' => Class::Skip,
        c if c.is_ascii() => {
            if c.is_ascii_alphanumeric() {
                Class::Word
            } else {
                Class::Space
            }
        }
        '\u{a0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200a}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}' => Class::Space,
        c if (c as u32) < 0x2000 => Class::Word,
        _ => Class::Symbol,
    }
}

/// ASCII and Latin-1 capitals to lower case (as `train.py` does).
fn fold(c: char) -> char {
    match c {
        'A'..='Z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}' => {
            char::from_u32(c as u32 + 0x20).unwrap_or(c)
        }
        _ => c,
    }
}

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// 32-bit FNV-1a, continued from `state` over `bytes` (Fowler, Noll and Vo,
/// draft-eastlake-fnv). A `const fn`, so the features' prefixes are hashed
/// once, at compile time.
const fn fnv1a(mut state: u32, bytes: &[u8]) -> u32 {
    let mut i = 0;
    while i < bytes.len() {
        state = fnv1a_byte(state, bytes[i]);
        i += 1;
    }
    state
}

/// One step of [`fnv1a`].
#[inline]
const fn fnv1a_byte(state: u32, byte: u8) -> u32 {
    (state ^ byte as u32).wrapping_mul(FNV_PRIME)
}

/// The sorted buckets of each block of `text`, for the cross-language test.
#[cfg(test)]
pub(crate) fn sorted_buckets(text: &str, buckets: u32) -> (Vec<u32>, Vec<u32>) {
    let (mut words, mut chars) = (Vec::new(), Vec::new());
    for_each_feature(text, buckets - 1, |block, _, b| match block {
        Block::Words => words.push(b),
        Block::Chars => chars.push(b),
    });
    words.sort_unstable();
    chars.sort_unstable();
    (words, chars)
}

/// Parses and checks a weights file.
pub(crate) fn parse(text: &str) -> Result<Classifier, Error> {
    let bad = |line: usize, why: String| Error::Classifier { line, why };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let (n, format) = header(&mut lines, "format")?;
    if format != [FORMAT] {
        return Err(bad(n, format!("format {format:?} is not {FORMAT}")));
    }
    let (n, version) = header(&mut lines, "version")?;
    let version = match version.as_slice() {
        [v] if super::lexicon::is_valid_version(v) => (*v).to_owned(),
        _ => return Err(bad(n, "the version is not like 2026.12.1".to_owned())),
    };
    let (n, corpus) = header(&mut lines, "corpus")?;
    let corpus = corpus
        .first()
        .map(|c| (*c).to_owned())
        .ok_or_else(|| bad(n, "no corpus version".to_owned()))?;
    let (n, script) = header(&mut lines, "script_sha256")?;
    if !matches!(script.as_slice(), [h] if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(bad(n, "script_sha256 is not 64 hex digits".to_owned()));
    }
    let (n, features) = header(&mut lines, "features")?;
    let n_buckets = match features.as_slice() {
        ["fnv1a32", "buckets", b, rest @ ..] if rest == FEATURES => b.parse::<usize>().ok(),
        _ => None,
    }
    .filter(|b| b.is_power_of_two() && (MIN_BUCKETS..=MAX_BUCKETS).contains(b))
    .ok_or_else(|| bad(n, "features are not those this reader computes".to_owned()))?;
    header(&mut lines, "training")?;
    let (n, default_idf) = header(&mut lines, "idf_default")?;
    let default_idf = match default_idf.as_slice() {
        [v] => v.parse::<u8>().ok().filter(|v| *v > 0),
        _ => None,
    }
    .ok_or_else(|| bad(n, "idf_default is not a number from 1 to 255".to_owned()))?;
    let mut bias = [0f32; N_HEADS];
    let mut threshold = [0f32; N_HEADS];
    let mut scale = [0f32; N_HEADS];
    for (head, name) in HEADS.iter().enumerate() {
        let (n, fields) = header(&mut lines, "head")?;
        match fields.as_slice() {
            [got, "bias", b, "threshold", t, "scale", s] if got == name => {
                bias[head] = number(n, b)?;
                threshold[head] = number(n, t)?;
                scale[head] = number(n, s)?;
            }
            _ => {
                return Err(bad(
                    n,
                    format!("expected 'head {name} bias … threshold … scale …'"),
                ));
            }
        }
    }
    let (n, count) = header(&mut lines, "buckets")?;
    let count = match count.as_slice() {
        [c] => c.parse::<usize>().ok().filter(|c| *c <= n_buckets),
        _ => None,
    }
    .ok_or_else(|| {
        bad(
            n,
            "the bucket count is not a number within the table".to_owned(),
        )
    })?;
    let mut level_rows = vec![
        Row {
            idf: default_idf,
            weights: [0; N_LEVEL_HEADS]
        };
        n_buckets
    ];
    let mut category_rows = vec![
        Row {
            idf: default_idf,
            weights: [0; N_HEADS - N_LEVEL_HEADS]
        };
        n_buckets
    ];
    let mut last_bucket = None;
    for _ in 0..count {
        let (n, line) = lines
            .next()
            .ok_or_else(|| bad(0, format!("the file ends before its {count} buckets")))?;
        let mut fields = line.split_whitespace();
        let index = fields
            .next()
            .and_then(|b| b.parse::<usize>().ok())
            .filter(|b| *b < n_buckets && last_bucket.is_none_or(|l| *b > l))
            .ok_or_else(|| bad(n, "the bucket is out of range or out of order".to_owned()))?;
        last_bucket = Some(index);
        let idf = fields
            .next()
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|v| *v > 0)
            .ok_or_else(|| bad(n, "the idf is not a number from 1 to 255".to_owned()))?;
        let mut weights = [0i8; N_HEADS];
        for slot in &mut weights {
            *slot = fields
                .next()
                .and_then(|v| v.parse::<i8>().ok())
                .filter(|v| *v > i8::MIN)
                .ok_or_else(|| bad(n, format!("expected {N_HEADS} weights from -127 to 127")))?;
        }
        if fields.next().is_some() {
            return Err(bad(n, format!("more than {N_HEADS} weights")));
        }
        let (levels, categories) = weights.split_at(N_LEVEL_HEADS);
        if let (Some(l), Some(c)) = (level_rows.get_mut(index), category_rows.get_mut(index)) {
            l.idf = idf;
            l.weights.copy_from_slice(levels);
            c.idf = idf;
            c.weights.copy_from_slice(categories);
        }
    }
    match lines.next() {
        Some((_, "end")) => {}
        Some((n, _)) => return Err(bad(n, "expected 'end' after the last bucket".to_owned())),
        None => return Err(bad(0, "the file has no 'end' line".to_owned())),
    }
    if let Some((n, _)) = lines.next() {
        return Err(bad(n, "text after 'end'".to_owned()));
    }
    Ok(Classifier {
        version,
        corpus,
        // `n_buckets` is a power of two at most 2^22, so `n_buckets - 1` fits a u32.
        mask: u32::try_from(n_buckets - 1).unwrap_or(0),
        bias,
        threshold,
        scale,
        level_rows,
        category_rows,
    })
}

/// The next line, which must start with `key`, and its other fields.
fn header<'a>(
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    key: &str,
) -> Result<(usize, Vec<&'a str>), Error> {
    let (n, line) = lines.next().ok_or_else(|| Error::Classifier {
        line: 0,
        why: format!("the file ends before its '{key}' line"),
    })?;
    let mut fields = line.split_whitespace();
    if fields.next() != Some(key) {
        return Err(Error::Classifier {
            line: n,
            why: format!("expected the '{key}' line"),
        });
    }
    Ok((n, fields.collect()))
}

fn number(line: usize, text: &str) -> Result<f32, Error> {
    text.parse::<f32>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() < 1e4)
        .ok_or_else(|| Error::Classifier {
            line,
            why: format!("'{text}' is not a finite number below 10000 in size"),
        })
}
