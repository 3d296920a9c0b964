//! The learned reader: logistic heads over hashed word and character n-grams,
//! read from `classifier.txt`, that raise a level the lexicon missed and say
//! which words carried the weight.
//!
//! The weights are trained outside the library by `tools/safety-train/train.py`
//! (scikit-learn, liblinear, fixed seed) on the safety corpus
//! (`tools/safety-corpus/`). The features here must stay identical to that
//! script's `words` and `features`; `tests.rs` asserts the same fixed bucket
//! values as the script's `--self-test`.
//!
//! Features of a text, in order, for each word: the word (`w:`), the word with
//! the one before it (`b:`), and the character 3-, 4- and 5-grams of the word
//! padded with one space each side (`c:`, over its first 24 characters). Each is
//! hashed with 32-bit FNV-1a over its UTF-8 bytes into a power-of-two number of
//! buckets. A head's score is its bias plus the sum of the weights of every
//! feature occurrence divided by the square root of the number of occurrences.
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
const FORMAT: &str = "1";
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
/// Character n-grams are taken over at most this many characters of a word.
const MAX_NGRAM_WORD_CHARS: usize = 24;
/// Bucket counts the reader accepts (2^10 ..= 2^22).
const MIN_BUCKETS: usize = 1 << 10;
const MAX_BUCKETS: usize = 1 << 22;
/// An explanation quotes at most this many words.
const MAX_SPAN_WORDS: usize = 5;

/// A loaded, checked weights file: one dense row of `N_HEADS` weights per
/// bucket, so scoring a feature reads one contiguous row.
#[derive(Debug, Clone)]
pub(crate) struct Classifier {
    version: String,
    corpus: String,
    mask: u32,
    bias: [f32; N_HEADS],
    threshold: [f32; N_HEADS],
    /// `bucket * N_HEADS + head`.
    weights: Vec<f32>,
}

/// What the learned reader makes of a text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verdict {
    /// The highest level whose head fired, if any.
    pub(crate) level: Option<RiskLevel>,
    /// The categories whose heads fired, in [`Category::ALL`] order; at least
    /// the strongest one when `level` is medium or above.
    pub(crate) categories: Vec<Category>,
    /// Each head's score minus its threshold (fires at 0 and above).
    pub(crate) margins: [f32; N_HEADS],
}

/// The words that carried most of a head's weight: a byte range of the
/// original text, with the words as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Evidence {
    pub(crate) start: usize,
    pub(crate) end: usize,
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

    /// Scores `text` on every head and reads the level and categories.
    pub(crate) fn read(&self, text: &str) -> Verdict {
        let mut sums = [0f32; N_HEADS];
        let mut count = 0usize;
        for_each_feature(text, self.mask, |_, bucket| {
            count += 1;
            if let Some(row) = self.row(bucket) {
                for (sum, w) in sums.iter_mut().zip(row) {
                    *sum += w;
                }
            }
        });
        let scale = if count == 0 {
            0.0
        } else {
            1.0 / (count as f32).sqrt()
        };
        let mut margins = [0f32; N_HEADS];
        for (head, margin) in margins.iter_mut().enumerate() {
            // `head` < N_HEADS, the length of all three arrays.
            *margin = self.bias[head] + sums[head] * scale - self.threshold[head];
        }
        let level = HEAD_LEVELS
            .iter()
            .zip(&margins)
            .filter(|(_, m)| **m >= 0.0)
            .map(|(level, _)| *level)
            .next_back();
        let category_margins = margins.get(N_LEVEL_HEADS..).unwrap_or(&[]);
        let mut categories: Vec<Category> = HEAD_CATEGORIES
            .iter()
            .zip(category_margins)
            .filter(|(_, m)| **m >= 0.0)
            .map(|(c, _)| *c)
            .collect();
        if categories.is_empty() && level >= Some(RiskLevel::Medium) {
            let strongest = HEAD_CATEGORIES
                .iter()
                .zip(category_margins)
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(c, _)| *c);
            categories.extend(strongest);
        }
        Verdict {
            level,
            categories,
            margins,
        }
    }

    /// The words that carried most of the positive weight of the head for
    /// `level`: the strongest word, widened to neighbours that carry at least a
    /// third as much, at most five words. Only called when the reader raises a
    /// level, so it may allocate.
    pub(crate) fn evidence(&self, text: &str, level: RiskLevel) -> Option<Evidence> {
        let head = HEAD_LEVELS.iter().position(|l| *l == level)?;
        let mut words: Vec<(usize, usize, f32)> = Vec::new();
        for_each_feature(text, self.mask, |span, bucket| {
            let weight = self
                .row(bucket)
                .and_then(|row| row.get(head))
                .copied()
                .unwrap_or(0.0);
            match words.last_mut() {
                Some(last) if (last.0, last.1) == (span.0, span.1) => last.2 += weight,
                _ => words.push((span.0, span.1, weight)),
            }
        });
        let (best, &(_, _, top)) = words
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.2.total_cmp(&b.1.2))?;
        if top <= 0.0 {
            return None;
        }
        let (mut first, mut last) = (best, best);
        while last - first + 1 < MAX_SPAN_WORDS {
            let left = first
                .checked_sub(1)
                .and_then(|i| words.get(i))
                .map_or(f32::MIN, |w| w.2);
            let right = words.get(last + 1).map_or(f32::MIN, |w| w.2);
            if left.max(right) < top / 3.0 {
                break;
            }
            if left >= right {
                first -= 1;
            } else {
                last += 1;
            }
        }
        let start = words.get(first)?.0;
        let end = words.get(last)?.1;
        Some(Evidence { start, end })
    }

    fn row(&self, bucket: u32) -> Option<&[f32]> {
        let start = bucket as usize * N_HEADS;
        self.weights.get(start..start + N_HEADS)
    }
}

/// Calls `visit` with the original byte span of its word and the bucket of
/// every feature occurrence of `text`, in the order of `train.py`'s `features`.
/// Allocates two word buffers per call, nothing per feature.
fn for_each_feature(text: &str, mask: u32, mut visit: impl FnMut((usize, usize), u32)) {
    let mut word = String::with_capacity(32);
    let mut previous = String::with_capacity(32);
    let mut padded = String::with_capacity(32);
    let (mut start, mut end) = (0, 0);
    let mut emit = |word: &mut String, previous: &mut String, span: (usize, usize)| {
        visit(
            span,
            fnv1a(fnv1a(FNV_OFFSET, b"w:"), word.as_bytes()) & mask,
        );
        if !previous.is_empty() {
            let mut h = fnv1a(fnv1a(FNV_OFFSET, b"b:"), previous.as_bytes());
            h = fnv1a(fnv1a(h, b" "), word.as_bytes());
            visit(span, h & mask);
        }
        padded.clear();
        padded.push(' ');
        padded.extend(word.chars().take(MAX_NGRAM_WORD_CHARS));
        padded.push(' ');
        // Character starts of `padded` and its end: at most 26 characters + 1.
        let mut bounds = [0usize; MAX_NGRAM_WORD_CHARS + 3];
        let mut n_bounds = 0;
        for (i, _) in padded
            .char_indices()
            .chain(std::iter::once((padded.len(), ' ')))
        {
            if let Some(slot) = bounds.get_mut(n_bounds) {
                *slot = i;
                n_bounds += 1;
            }
        }
        let n_chars = n_bounds.saturating_sub(1);
        let prefix = fnv1a(FNV_OFFSET, b"c:");
        for n in 3..=5 {
            for i in 0..(n_chars + 1).saturating_sub(n) {
                let (Some(&a), Some(&b)) = (bounds.get(i), bounds.get(i + n)) else {
                    continue;
                };
                if let Some(gram) = padded.get(a..b) {
                    visit(span, fnv1a(prefix, gram.as_bytes()) & mask);
                }
            }
        }
        std::mem::swap(word, previous);
        word.clear();
    };
    for (offset, c) in text.char_indices() {
        match class(c) {
            Class::Skip => {}
            Class::Word => {
                if word.is_empty() {
                    start = offset;
                }
                word.push(fold(c));
                end = offset + c.len_utf8();
            }
            Class::Space | Class::Symbol => {
                if !word.is_empty() {
                    emit(&mut word, &mut previous, (start, end));
                }
                if class(c) == Class::Symbol {
                    word.push(c);
                    emit(&mut word, &mut previous, (offset, offset + c.len_utf8()));
                }
            }
        }
    }
    if !word.is_empty() {
        emit(&mut word, &mut previous, (start, end));
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

/// The buckets of the first `n` features of `text`, for the cross-language test.
#[cfg(test)]
pub(crate) fn first_buckets(text: &str, buckets: u32, n: usize) -> Vec<u32> {
    let mut out = Vec::new();
    for_each_feature(text, buckets - 1, |_, b| {
        if out.len() < n {
            out.push(b);
        }
    });
    out
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
    let buckets = match features.as_slice() {
        [
            "fnv1a32",
            "buckets",
            b,
            "words",
            "1-2",
            "chars",
            "3-5",
            "scale",
            "inverse_sqrt_count",
        ] => b.parse::<usize>().ok(),
        _ => None,
    }
    .filter(|b| b.is_power_of_two() && (MIN_BUCKETS..=MAX_BUCKETS).contains(b))
    .ok_or_else(|| bad(n, "features are not those this reader computes".to_owned()))?;
    header(&mut lines, "training")?;
    let mut bias = [0f32; N_HEADS];
    let mut threshold = [0f32; N_HEADS];
    let mut weights = vec![0f32; buckets * N_HEADS];
    for (head, name) in HEADS.iter().enumerate() {
        let (n, fields) = header(&mut lines, "head")?;
        let (b, t, count) = match fields.as_slice() {
            [got, "bias", b, "threshold", t, "weights", count] if got == name => {
                (number(n, b)?, number(n, t)?, count.parse::<usize>().ok())
            }
            _ => {
                return Err(bad(
                    n,
                    format!("expected 'head {name} bias … threshold … weights …'"),
                ));
            }
        };
        let count = count.ok_or_else(|| bad(n, "the weight count is not a number".to_owned()))?;
        bias[head] = b;
        threshold[head] = t;
        let mut last_bucket = None;
        for _ in 0..count {
            let (n, line) = lines
                .next()
                .ok_or_else(|| bad(0, format!("head {name} ends before its {count} weights")))?;
            let (bucket, w) = line
                .split_once(' ')
                .ok_or_else(|| bad(n, "expected 'bucket weight'".to_owned()))?;
            let bucket = bucket
                .parse::<usize>()
                .ok()
                .filter(|b| *b < buckets && last_bucket.is_none_or(|l| *b > l))
                .ok_or_else(|| {
                    bad(
                        n,
                        format!("bucket '{bucket}' is out of range or out of order"),
                    )
                })?;
            last_bucket = Some(bucket);
            let w = number(n, w)?;
            match weights.get_mut(bucket * N_HEADS + head) {
                Some(slot) => *slot = w,
                None => return Err(bad(n, "bucket out of range".to_owned())),
            }
        }
    }
    match lines.next() {
        Some((_, "end")) => {}
        Some((n, _)) => return Err(bad(n, "expected 'end' after the last head".to_owned())),
        None => return Err(bad(0, "the file has no 'end' line".to_owned())),
    }
    if let Some((n, _)) = lines.next() {
        return Err(bad(n, "text after 'end'".to_owned()));
    }
    Ok(Classifier {
        version,
        corpus,
        // `buckets` is a power of two at most 2^22, so `buckets - 1` fits a u32.
        mask: u32::try_from(buckets - 1).unwrap_or(0),
        bias,
        threshold,
        weights,
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
