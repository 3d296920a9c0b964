//! One mood entry: what a person logged about one day, checked once on the way in.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Error, calendar_date};
use crate::timestamp::Timestamp;

/// Longest note accepted, in characters (Unicode scalar values).
///
/// A note is a sentence or two of context for a rating ("argument with my sister",
/// "first day back at work"), and 2,000 characters is about a page of text. The cap
/// bounds storage and everything downstream that reads notes, such as risk-phrase
/// screening in [`crate::safety`]; longer writing belongs in a journal, not a rating.
pub const NOTE_MAX_CHARS: usize = 2_000;

/// The ratings a mood entry can hold, each on its own scale.
///
/// These are the app's own 11- and 10-point self-rating scales (higher is better for
/// mood and sleep, higher is worse for anxiety), not items of a validated
/// questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Overall mood: 1 (lowest) to 10 (best).
    Mood,
    /// Sleep quality the night before: 0 (none or very poor) to 10 (very good).
    Sleep,
    /// Anxiety: 0 (none) to 10 (the most severe).
    Anxiety,
}

crate::wire_name::wire_names!(Rating {
    Mood => "mood",
    Sleep => "sleep",
    Anxiety => "anxiety",
});

impl Rating {
    /// The lowest value on this rating's scale.
    pub const fn min(self) -> u8 {
        match self {
            Rating::Mood => 1,
            Rating::Sleep | Rating::Anxiety => 0,
        }
    }

    /// The highest value on this rating's scale.
    pub const fn max(self) -> u8 {
        10
    }

    fn check(self, value: u8) -> Result<u8, Error> {
        if (self.min()..=self.max()).contains(&value) {
            Ok(value)
        } else {
            Err(Error::RatingOutOfRange {
                rating: self,
                value,
                min: self.min(),
                max: self.max(),
            })
        }
    }

    /// The same as [`Rating::as_str`] (`"mood"`); kept while callers outside
    /// healing-core move to `as_str`.
    pub const fn name(self) -> &'static str {
        self.as_str()
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One validated mood entry.
///
/// Build it with [`MoodEntry::new`] and add optional parts with
/// [`with_sleep`](MoodEntry::with_sleep), [`with_anxiety`](MoodEntry::with_anxiety)
/// and [`with_note`](MoodEntry::with_note); each step checks its input. Deserialising
/// runs the same checks, and unknown fields are rejected. In JSON the day is an ISO
/// 8601 date and absent optional parts are `null`:
///
/// ```json
/// {"day":"2026-03-01","recorded_at":"2026-03-01T21:05:00Z","mood":6,
///  "sleep":7,"anxiety":null,"note":"walked by the river"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "UncheckedMoodEntry")]
pub struct MoodEntry {
    #[serde(with = "calendar_date")]
    day: Date,
    recorded_at: Timestamp,
    mood: u8,
    sleep: Option<u8>,
    anxiety: Option<u8>,
    note: Option<String>,
}

impl MoodEntry {
    /// An entry rating `mood` (1 to 10) for the person's local calendar `day`,
    /// recorded at `recorded_at`.
    ///
    /// Entries may be back-filled for earlier days. An entry for a day that had not
    /// started anywhere on Earth at `recorded_at` (more than one day after the UTC date
    /// of `recorded_at`, since local dates are at most a day ahead of UTC) is rejected
    /// as [`Error::DayAfterRecording`]: it signals a clock or time-zone bug upstream.
    pub fn new(day: Date, recorded_at: Timestamp, mood: u8) -> Result<Self, Error> {
        let mood = Rating::Mood.check(mood)?;
        // `next_day` is None only on the calendar's last day, after which no day can follow.
        if let Some(latest_local_day) = recorded_at.date().next_day()
            && day > latest_local_day
        {
            return Err(Error::DayAfterRecording { day, recorded_at });
        }
        Ok(Self {
            day,
            recorded_at,
            mood,
            sleep: None,
            anxiety: None,
            note: None,
        })
    }

    /// This entry with a sleep-quality rating from 0 to 10.
    pub fn with_sleep(mut self, sleep: u8) -> Result<Self, Error> {
        self.sleep = Some(Rating::Sleep.check(sleep)?);
        Ok(self)
    }

    /// This entry with an anxiety rating from 0 to 10.
    pub fn with_anxiety(mut self, anxiety: u8) -> Result<Self, Error> {
        self.anxiety = Some(Rating::Anxiety.check(anxiety)?);
        Ok(self)
    }

    /// This entry with a free-text note of at most [`NOTE_MAX_CHARS`] characters.
    ///
    /// The text is kept exactly as given, except that a note that is empty or only
    /// white space is stored as no note. Line feeds, carriage returns and tabs are
    /// allowed; other control characters are rejected because they have no place in
    /// a diary note and can confuse displays and logs downstream.
    pub fn with_note(mut self, note: impl Into<String>) -> Result<Self, Error> {
        self.note = checked_note(note.into())?;
        Ok(self)
    }

    /// The person's local calendar day this entry is about.
    pub fn day(&self) -> Date {
        self.day
    }

    /// When the entry was recorded.
    pub fn recorded_at(&self) -> Timestamp {
        self.recorded_at
    }

    /// Mood, 1 (lowest) to 10 (best).
    pub fn mood(&self) -> u8 {
        self.mood
    }

    /// Sleep quality, 0 to 10, if given.
    pub fn sleep(&self) -> Option<u8> {
        self.sleep
    }

    /// Anxiety, 0 to 10, if given.
    pub fn anxiety(&self) -> Option<u8> {
        self.anxiety
    }

    /// The note, if given.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The value of one rating, if present (mood is always present).
    pub fn rating(&self, rating: Rating) -> Option<u8> {
        match rating {
            Rating::Mood => Some(self.mood),
            Rating::Sleep => self.sleep,
            Rating::Anxiety => self.anxiety,
        }
    }
}

fn checked_note(note: String) -> Result<Option<String>, Error> {
    if note.trim().is_empty() {
        return Ok(None);
    }
    let mut chars = 0;
    for (position, character) in note.chars().enumerate() {
        if character.is_control() && !matches!(character, '\n' | '\r' | '\t') {
            return Err(Error::NoteControlCharacter {
                code_point: u32::from(character),
                position,
            });
        }
        chars += 1;
    }
    if chars > NOTE_MAX_CHARS {
        return Err(Error::NoteTooLong {
            chars,
            max: NOTE_MAX_CHARS,
        });
    }
    Ok(Some(note))
}

/// The wire form of [`MoodEntry`] before its checks run.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UncheckedMoodEntry {
    #[serde(with = "calendar_date")]
    day: Date,
    recorded_at: Timestamp,
    mood: u8,
    #[serde(default)]
    sleep: Option<u8>,
    #[serde(default)]
    anxiety: Option<u8>,
    #[serde(default)]
    note: Option<String>,
}

impl TryFrom<UncheckedMoodEntry> for MoodEntry {
    type Error = Error;

    fn try_from(unchecked: UncheckedMoodEntry) -> Result<Self, Error> {
        let mut entry = MoodEntry::new(unchecked.day, unchecked.recorded_at, unchecked.mood)?;
        if let Some(sleep) = unchecked.sleep {
            entry = entry.with_sleep(sleep)?;
        }
        if let Some(anxiety) = unchecked.anxiety {
            entry = entry.with_anxiety(anxiety)?;
        }
        if let Some(note) = unchecked.note {
            entry = entry.with_note(note)?;
        }
        Ok(entry)
    }
}
