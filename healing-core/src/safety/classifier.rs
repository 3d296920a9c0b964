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
/// The character n-gram lengths, shortest first; the window keeps the longest.
const CHAR_GRAMS: [usize; 2] = [3, 5];
const WINDOW: usize = 5;
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

impl Classifier {
    /// The model version (the file's `version` line).
    pub(crate) fn version(&self) -> &str {
        &self.version
    }

    /// The corpus version the weights were trained on.
    pub(crate) fn corpus(&self) -> &str {
        &self.corpus
    }

    /// The level `text` reads as, if any: the highest of the level heads that
    /// fire in a row from `level.low` (the heads are ordered, so a higher head
    /// firing without the ones below it is not believed). None for a text of
    /// fewer than [`MIN_WORDS`] words. Allocates nothing.
    pub(crate) fn read_level(&self, text: &str) -> Option<RiskLevel> {
        let (margins, words) = self.margins(text, &self.level_rows, 0);
        if words < MIN_WORDS {
            return None;
        }
        HEAD_LEVELS
            .iter()
            .zip(&margins)
            .take_while(|(_, m)| **m >= 0.0)
            .map(|(level, _)| *level)
            .last()
    }

    /// The categories whose heads fire for `text`, in head order; at least
    /// the strongest one.
    pub(crate) fn categories(&self, text: &str) -> Vec<Category> {
        let (margins, _) = self.margins(text, &self.category_rows, N_LEVEL_HEADS);
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

    /// Each head's score minus its threshold (it fires at 0 and above), for
    /// the `H` heads from `first` whose weights are `weights`.
    fn margins<const H: usize>(
        &self,
        text: &str,
        rows: &[Row<H>],
        first: usize,
    ) -> ([f32; H], usize) {
        let mut sums = [[0f32; H]; 2];
        let mut norms = [0f32; 2];
        let words = for_each_feature(text, self.mask, |block, _, bucket| {
            let Some(row) = rows.get(bucket as usize) else {
                return;
            };
            let idf = f32::from(row.idf);
            let i = block as usize;
            if let (Some(sum), Some(norm)) = (sums.get_mut(i), norms.get_mut(i)) {
                *norm += idf * idf;
                for (s, w) in sum.iter_mut().zip(&row.weights) {
                    *s += idf * f32::from(*w);
                }
            }
        });
        let mut margins = [0f32; H];
        for (h, margin) in margins.iter_mut().enumerate() {
            let mut total = 0.0;
            for (sum, norm) in sums.iter().zip(norms) {
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
        (margins, words)
    }

    /// The words that carried most of the positive weight of the head for
    /// `level`: the strongest word, widened to neighbours that carry at least a
    /// third as much, at most five words. Only called when the reader raises a
    /// level, so it may allocate.
    pub(crate) fn evidence(&self, text: &str, level: RiskLevel) -> Option<Evidence> {
        let head = HEAD_LEVELS.iter().position(|l| *l == level)?;
        // (span, weight per block) for each word, and each block's norm.
        let mut words: Vec<((usize, usize), [f32; 2])> = Vec::new();
        let mut norms = [0f32; 2];
        for_each_feature(text, self.mask, |block, span, bucket| {
            let Some(row) = self.level_rows.get(bucket as usize) else {
                return;
            };
            let idf = f32::from(row.idf);
            let i = block as usize;
            if let Some(norm) = norms.get_mut(i) {
                *norm += idf * idf;
            }
            let weight = idf * f32::from(row.weights.get(head).copied().unwrap_or(0));
            match words.iter_mut().rev().find(|w| w.0 == span) {
                Some(word) => {
                    if let Some(slot) = word.1.get_mut(i) {
                        *slot += weight;
                    }
                }
                None => {
                    let mut weights = [0f32; 2];
                    if let Some(slot) = weights.get_mut(i) {
                        *slot = weight;
                    }
                    words.push((span, weights));
                }
            }
        });
        words.sort_by_key(|w| w.0);
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

/// Calls `visit` with the block, the original byte span of the word it belongs
/// to and the bucket of every feature occurrence of `text` (a character n-gram
/// belongs to the word of its last character, or of the space after it).
/// The order of the calls is not `train.py`'s; the multiset is the same.
/// Streams the text once and allocates nothing; returns the number of words.
fn for_each_feature(text: &str, mask: u32, visit: impl FnMut(Block, (usize, usize), u32)) -> usize {
    let mut stream = FeatureStream::new(mask, visit);
    let mut words = 0;
    let mut word: Option<(usize, usize)> = None;
    for (offset, c) in text.char_indices() {
        match class(c) {
            Class::Skip => {}
            Class::Word => {
                let span = match word {
                    Some((start, _)) => (start, offset + c.len_utf8()),
                    None => (offset, offset + c.len_utf8()),
                };
                word = Some(span);
                stream.add_char(fold(c), span);
            }
            kind @ (Class::Space | Class::Symbol) => {
                if let Some(span) = word.take() {
                    stream.end_word(span);
                    words += 1;
                }
                if kind == Class::Symbol {
                    let span = (offset, offset + c.len_utf8());
                    stream.add_char(c, span);
                    stream.end_word(span);
                    words += 1;
                }
            }
        }
    }
    if let Some(span) = word {
        stream.end_word(span);
        words += 1;
    }
    stream.flush();
    words
}

/// The running state of [`for_each_feature`]: the last characters of the
/// joined word stream, the hash of the word being read (`w:word`) and the
/// previous word's.
struct FeatureStream<F> {
    mask: u32,
    visit: F,
    window: CharWindow,
    word_hash: u32,
    previous_word: Option<u32>,
}

impl<F: FnMut(Block, (usize, usize), u32)> FeatureStream<F> {
    fn new(mask: u32, visit: F) -> Self {
        let mut window = CharWindow::default();
        window.push(' ', (0, 0));
        Self {
            mask,
            visit,
            window,
            word_hash: fnv1a(FNV_OFFSET, b"w:"),
            previous_word: None,
        }
    }

    fn add_char(&mut self, c: char, span: (usize, usize)) {
        let mut utf8 = [0u8; 4];
        self.word_hash = fnv1a(self.word_hash, c.encode_utf8(&mut utf8).as_bytes());
        self.push_stream_char(c, span);
    }

    fn end_word(&mut self, span: (usize, usize)) {
        (self.visit)(Block::Words, span, self.word_hash & self.mask);
        if let Some(previous) = self.previous_word {
            let pair = fnv1a(fnv1a(FNV_OFFSET, b"b:"), &previous.to_le_bytes());
            let pair = fnv1a(pair, &self.word_hash.to_le_bytes());
            (self.visit)(Block::Words, span, pair & self.mask);
        }
        self.previous_word = Some(self.word_hash);
        self.word_hash = fnv1a(FNV_OFFSET, b"w:");
        self.push_stream_char(' ', span);
    }

    /// Appends `c` (of the word at `span`) to the joined stream; once the
    /// window holds the longest n-gram, emits the n-grams starting at its
    /// oldest character, which share their hash's prefix.
    fn push_stream_char(&mut self, c: char, span: (usize, usize)) {
        self.window.push(c, span);
        if self.window.len == WINDOW {
            self.emit_grams_from_oldest();
            self.window.pop_oldest();
        }
    }

    /// Emits the n-grams starting at the window's oldest character that fit.
    fn emit_grams_from_oldest(&mut self) {
        let mut h = fnv1a(FNV_OFFSET, b"c:");
        for (n, slot) in self.window.slots.iter().take(self.window.len).enumerate() {
            h = fnv1a(h, slot.bytes());
            if CHAR_GRAMS.contains(&(n + 1)) {
                (self.visit)(Block::Chars, slot.span, h & self.mask);
            }
        }
    }

    /// Emits the n-grams of the stream's last characters, at the end of the text.
    fn flush(&mut self) {
        while self.window.len >= CHAR_GRAMS[0] {
            self.emit_grams_from_oldest();
            self.window.pop_oldest();
        }
    }
}

/// One character of the joined word stream: its UTF-8 bytes and the span of
/// the word it belongs to.
#[derive(Clone, Copy, Default)]
struct StreamChar {
    utf8: [u8; 4],
    len: u8,
    span: (usize, usize),
}

impl StreamChar {
    fn bytes(&self) -> &[u8] {
        self.utf8.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

/// The last characters of the joined word stream, oldest first: at most the
/// longest n-gram.
#[derive(Default)]
struct CharWindow {
    slots: [StreamChar; WINDOW],
    len: usize,
}

impl CharWindow {
    fn push(&mut self, c: char, span: (usize, usize)) {
        if let Some(slot) = self.slots.get_mut(self.len) {
            let mut utf8 = [0u8; 4];
            // A char is at most four bytes, so `len` fits a u8.
            let len = c.encode_utf8(&mut utf8).len() as u8;
            *slot = StreamChar { utf8, len, span };
            self.len += 1;
        }
    }

    fn pop_oldest(&mut self) {
        if self.len > 0 {
            self.slots.rotate_left(1);
            self.len -= 1;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Skip,
    Space,
    Word,
    Symbol,
}

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
/// draft-eastlake-fnv).
fn fnv1a(mut state: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        state ^= u32::from(b);
        state = state.wrapping_mul(FNV_PRIME);
    }
    state
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
