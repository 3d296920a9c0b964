//! Text normalisation for matching, keeping a byte map back to the original text.
//!
//! The engine never matches against what the person typed: it matches against a
//! folded copy in which spelling games no longer matter. Every byte of the folded
//! copy remembers which character of the original produced it, so a finding can
//! point at the words the person actually wrote.
//!
//! Folding, in order:
//! 1. per character: compatibility decomposition (the "K" of NFKC, so full-width
//!    and mathematical letters and ligatures become plain letters), combining marks
//!    dropped (so accents do not hide a word), lower case, curly quotes and
//!    apostrophes made straight, dashes made `-`, zero-width characters dropped,
//!    white space made one space (a line break is kept: it ends a sentence);
//! 2. per word: apostrophes removed (`I'm` → `im`, `can't` → `cant`, so a rule
//!    need not list both spellings); leetspeak undone in words that mix letters
//!    with digits or `@`/`$` (`unal1ve` → `unalive`, `self-h@rm` → `self-harm`),
//!    and in every word when two or more such words appear (`1 w4nt 70 d13`);
//!    other runs of digits become a single `#` so rules can say "taken # tablets";
//!    a hyphen inside a word becomes a space (`self-harm` → `self harm`);
//! 3. spaced-out letters joined: three or more one-letter words in a row
//!    (`k m s`, `d i e`) become one word;
//! 4. doubled letters squeezed to one (`sooooo` → `so`, `kill` → `kil`); the
//!    lexicon is folded the same way, so this never loses a match.
//!
//! `*` is kept as a letter so the engine can match masked spellings (`s*icide`).
//! The whole pass is linear in the length of the text.

/// A folded copy of a text with, for every byte, the byte offset in the original
/// of the character that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Folded {
    /// The folded text.
    pub(crate) text: String,
    /// `origin[i]` is the byte offset in the original text of the character that
    /// produced byte `i` of `text`. Always the start of a character.
    pub(crate) origin: Vec<usize>,
    /// `origin_end[i]` is the byte offset in the original text just after the
    /// last character byte `i` stands for (further than its own character when
    /// repeated letters were squeezed into it). Always a character boundary.
    pub(crate) origin_end: Vec<usize>,
}

impl Folded {
    /// Maps a byte range of the folded text back to a byte range of `original`
    /// that starts and ends on character boundaries and is never empty.
    ///
    /// Returns `None` only if `start..end` is empty or outside the folded text,
    /// which the engine never asks for.
    pub(crate) fn original_span(
        &self,
        original: &str,
        start: usize,
        end: usize,
    ) -> Option<(usize, usize)> {
        if start >= end {
            return None;
        }
        let first = *self.origin.get(start)?;
        let last = *self.origin_end.get(end - 1)?;
        // Both are character boundaries of `original` by construction; check anyway.
        original.get(first..last).filter(|s| !s.is_empty())?;
        Some((first, last))
    }
}

/// One character after the per-character pass, with where it came from.
#[derive(Clone, Copy)]
struct Char {
    c: char,
    origin: usize,
    end: usize,
}

/// Whether a folded character belongs to a word.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '*' || c == '@' || c == '$'
}

/// The letter a leetspeak symbol stands for, if it stands for one.
fn leet_letter(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        _ => return None,
    })
}

/// Folds one character of the original into `out`.
#[inline]
fn fold_char(c: char, origin: usize, out: &mut Vec<Char>) {
    let end = origin + c.len_utf8();
    if c.is_ascii() {
        let folded = match c {
            '\n' => '\n',
            '`' => '\'',
            '_' => '-',
            c if c.is_ascii_whitespace() || c.is_ascii_control() => ' ',
            c => c.to_ascii_lowercase(),
        };
        out.push(Char {
            c: folded,
            origin,
            end,
        });
        return;
    }
    let mapped = match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{00B4}' | '\u{2032}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => Some('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
        '\u{2028}' | '\u{2029}' | '\u{0085}' => Some('\n'),
        // Zero-width characters and the soft hyphen hide nothing: drop them so
        // "k\u{200B}ill" reads as "kill".
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => return,
        c if c.is_whitespace() || c.is_control() => Some(' '),
        _ => None,
    };
    if let Some(m) = mapped {
        out.push(Char { c: m, origin, end });
        return;
    }
    unicode_normalization::char::decompose_compatible(c, |d| {
        if unicode_normalization::char::is_combining_mark(d) {
            return;
        }
        if d.is_ascii() {
            out.push(Char {
                c: d.to_ascii_lowercase(),
                origin,
                end,
            });
        } else {
            for l in d.to_lowercase() {
                out.push(Char { c: l, origin, end });
            }
        }
    });
}

/// Folds `text` for matching; see the module documentation for what changes.
pub(crate) fn fold(text: &str) -> Folded {
    let mut chars = Vec::with_capacity(text.len());
    for (origin, c) in text.char_indices() {
        fold_char(c, origin, &mut chars);
    }

    // Word boundaries over the folded characters. Apostrophes and hyphens inside
    // words are handled while emitting; here a word is a run of word characters
    // possibly joined by apostrophes.
    // Indexing below is safe: every `Range` from `word_ranges` lies within
    // `chars` (start < end <= chars.len()), `cursor < chars.len()` in the loop,
    // and a spaced-letter `run` counts only existing words from `word_index`.
    let words = word_ranges(&chars);
    let leet_words = words
        .iter()
        .filter(|w| is_leet_word(&chars[w.start..w.end]))
        .count();
    let leet_everywhere = leet_words >= 2;

    let mut out = Folded {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
        origin_end: Vec::with_capacity(text.len()),
    };
    let mut previous_emitted: Option<char> = None;
    let mut cursor = 0;
    let mut word_index = 0;
    while cursor < chars.len() {
        let Some(word) = words.get(word_index).filter(|w| w.start == cursor) else {
            // A separator character.
            let ch = chars[cursor];
            cursor += 1;
            // Apostrophes outside words are quote marks: drop them.
            if ch.c == '\'' {
                continue;
            }
            // Squeeze runs of spaces; never start with a space.
            if ch.c == ' ' && matches!(previous_emitted, None | Some(' ') | Some('\n')) {
                continue;
            }
            push(&mut out, ch.c, &ch, &mut previous_emitted);
            continue;
        };
        // Spaced-out letters: three or more one-letter words in a row separated
        // by single spaces are one word ("k m s").
        let run = spaced_letter_run(&chars, &words, word_index);
        if run >= 3 {
            for w in &words[word_index..word_index + run] {
                let ch = chars[w.start];
                push_letter(&mut out, ch, leet_everywhere, &mut previous_emitted);
            }
            cursor = words[word_index + run - 1].end;
            word_index += run;
            continue;
        }
        let slice = &chars[word.start..word.end];
        let leet = leet_everywhere || is_leet_word(slice);
        // Possessive and contracted "'s" is dropped ("flatmate's" → "flatmate",
        // "she's" → "she"), and so is the final "s" of the same contractions
        // typed without the apostrophe ("shes", "whats"), so a rule need not
        // list both. The lexicon is folded the same way.
        let (slice, dropped) = match slice {
            [rest @ .., apostrophe, s]
                if apostrophe.c == '\'' && s.c == 's' && !rest.is_empty() =>
            {
                (rest, Some(*s))
            }
            [rest @ .., s] if s.c == 's' && is_bare_contraction(rest) => (rest, Some(*s)),
            _ => (slice, None),
        };
        let mut in_digits = false;
        for ch in slice {
            match ch.c {
                '\'' => continue,
                '-' => {
                    in_digits = false;
                    if previous_emitted != Some(' ') {
                        push(&mut out, ' ', ch, &mut previous_emitted);
                    }
                }
                c if c.is_ascii_digit() && !leet => {
                    // A run of digits (with '.', ',', ':' or '/' between digits,
                    // as in "7.15" or "3/10") becomes one '#'.
                    if in_digits {
                        extend_last(&mut out, *ch);
                    } else {
                        push(&mut out, '#', ch, &mut previous_emitted);
                        in_digits = true;
                    }
                }
                // Only reached for separators inside a number (see word_ranges):
                // the number has already become '#'.
                '.' | ',' | ':' | '/' => extend_last(&mut out, *ch),
                _ => {
                    in_digits = false;
                    push_letter(&mut out, *ch, leet, &mut previous_emitted);
                }
            }
        }
        if let Some(d) = dropped {
            extend_last(&mut out, d);
        }
        cursor = word.end;
        word_index += 1;
    }
    out
}

/// Appends one folded character, with its origin for each of its bytes.
#[inline]
fn push(out: &mut Folded, c: char, from: &Char, previous: &mut Option<char>) {
    out.text.push(c);
    for _ in 0..c.len_utf8() {
        out.origin.push(from.origin);
        out.origin_end.push(from.end);
    }
    *previous = Some(c);
}

/// Makes the last folded character also stand for `ch` (a squeezed repeat or
/// the rest of a number), so spans cover what the person wrote.
#[inline]
fn extend_last(out: &mut Folded, ch: Char) {
    let c_len = out.text.chars().next_back().map_or(0, char::len_utf8);
    let n = out.origin_end.len();
    for slot in out.origin_end.iter_mut().skip(n.saturating_sub(c_len)) {
        *slot = (*slot).max(ch.end);
    }
}

/// Appends a letter of a word, undoing leetspeak when asked and squeezing a
/// letter that repeats the one before it.
#[inline]
fn push_letter(out: &mut Folded, ch: Char, leet: bool, previous: &mut Option<char>) {
    let c = if leet {
        leet_letter(ch.c).unwrap_or(ch.c)
    } else {
        ch.c
    };
    let c = if !leet && (c == '@' || c == '$') {
        leet_letter(c).unwrap_or(c)
    } else {
        c
    };
    if c.is_alphabetic() && *previous == Some(c) {
        extend_last(out, ch);
        return;
    }
    push(out, c, &ch, previous);
}

/// Contractions of "is"/"has" typed without the apostrophe, minus their final
/// "s": "whats" is folded like "what's".
const BARE_CONTRACTIONS: [&str; 15] = [
    "what",
    "that",
    "she",
    "he",
    "it",
    "there",
    "here",
    "who",
    "where",
    "how",
    "everyone",
    "nobody",
    "someone",
    "everything",
    "tonight",
];

/// Whether `stem` + "s" is a contraction typed without its apostrophe.
fn is_bare_contraction(stem: &[Char]) -> bool {
    BARE_CONTRACTIONS
        .iter()
        .any(|c| c.len() == stem.len() && c.chars().zip(stem).all(|(a, b)| a == b.c))
}

/// Half-open range of character indices.
#[derive(Clone, Copy)]
struct Range {
    start: usize,
    end: usize,
}

/// Finds the words: runs of word characters, joined through an apostrophe or a
/// hyphen between word characters, and through '.', ',', ':' or '/' between digits.
fn word_ranges(chars: &[Char]) -> Vec<Range> {
    // Indexing is safe: `i < chars.len()` is checked by both loops, and
    // `i - 1 >= start >= 0` inside the inner loop because `i > start` there.
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i].c) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < chars.len() {
            let c = chars[i].c;
            if is_word_char(c) {
                i += 1;
                continue;
            }
            let prev = chars[i - 1].c;
            let next = chars.get(i + 1).map(|n| n.c);
            let joins = match c {
                '\'' | '-' => next.is_some_and(is_word_char) && is_word_char(prev),
                // "k!ll": an exclamation mark between letters is a letter in disguise.
                '!' => next.is_some_and(char::is_alphabetic) && prev.is_alphabetic(),
                '.' | ',' | ':' | '/' => {
                    prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit())
                }
                _ => false,
            };
            if joins {
                i += 1;
            } else {
                break;
            }
        }
        words.push(Range { start, end: i });
    }
    words
}

/// Whether a word mixes letters with leetspeak digits or symbols, with a letter
/// before the first such symbol ("w4nt", "d13", "h@rm"; not "20mg" or "@user").
fn is_leet_word(word: &[Char]) -> bool {
    let mut seen_letter = false;
    for ch in word {
        if ch.c.is_alphabetic() {
            seen_letter = true;
        } else if seen_letter && leet_letter(ch.c).is_some() {
            return true;
        }
    }
    false
}

/// How many one-letter words in a row start at `words[index]`, each separated
/// from the next by exactly one space.
fn spaced_letter_run(chars: &[Char], words: &[Range], index: usize) -> usize {
    // Indexing is safe: each `w` comes from `words`, whose ranges lie in `chars`;
    // `words[i - 1]` is read only when `run > 0`, so `i > index >= 0`; and
    // `prev.end < w.start <= chars.len()`.
    let mut run = 0;
    let mut i = index;
    while let Some(w) = words.get(i) {
        let one_letter = w.end == w.start + 1 && chars[w.start].c.is_alphabetic();
        if !one_letter {
            break;
        }
        if run > 0 {
            let prev = words[i - 1];
            let single_space = w.start == prev.end + 1 && chars[prev.end].c == ' ';
            if !single_space {
                break;
            }
        }
        run += 1;
        i += 1;
    }
    run
}
