//! Mood diary: validated daily mood entries and the summaries a person and their
//! clinician look at together (averages, variability, trend, streaks, weekday
//! pattern and the days that stand out).
//!
//! # Entries
//!
//! A [`MoodEntry`] holds a mood rating from 1 (lowest) to 10 (best), and optionally
//! sleep quality and anxiety, each from 0 to 10, plus an optional free-text note of at
//! most [`NOTE_MAX_CHARS`] characters. Each entry names the **day** it is about (the
//! person's local calendar day, chosen by the caller, because only the caller knows
//! the person's time zone) and the **instant** it was recorded. The rating scales are
//! the app's own self-report visual-analogue style scales, not a validated
//! questionnaire: they are for self-monitoring and conversation, not for diagnosis or
//! for Talking Therapies outcome measurement (use PHQ-9 and GAD-7 in
//! [`crate::scoring`] for that).
//!
//! Entries are checked once, when built ([`MoodEntry::new`] and the `with_*`
//! methods) or deserialised, so every function that takes a `MoodEntry` cannot fail.
//!
//! # Summaries
//!
//! [`summarise`] looks at the entries inside a [`Window`] (all entries, or an
//! inclusive [`DateRange`]) and returns a [`MoodSummary`]. How it works:
//!
//! * **Several entries on one day** are first combined into that day's *daily mean*.
//!   Means, medians, standard deviations, the trend, the weekday pattern, streaks and
//!   stand-out days all use daily means, so a day logged five times weighs the same
//!   as a day logged once. The minimum and maximum are taken over single entries, so
//!   a low moment is never averaged away.
//! * **Variability** is the sample standard deviation of daily means, and the *mean
//!   absolute successive difference* (MASD): the average size of the change from one
//!   day to the next calendar day, skipping pairs with a missing day between them.
//!   The standard deviation says how spread out mood is; MASD says how much it jumps
//!   from day to day. Diary research measures affective instability with successive
//!   differences because, unlike the standard deviation, they respect the order of
//!   the days (Ebner-Priemer, Eid, Kleindienst, Stabenow and Trull, "Analytic
//!   strategies for understanding affective (in)stability and other dynamic
//!   processes in psychopathology", *Journal of Abnormal Psychology* 118(1), 2009,
//!   195-202, doi:10.1037/a0014868). That literature mostly reports the mean
//!   *squared* successive difference; the absolute form is used here because it is
//!   in the scale's own points ("mood moves about 1.5 points a day") and is not
//!   dominated by a single large jump. Two people can have the same standard
//!   deviation while one swings every day and the other drifts slowly; MASD tells
//!   them apart.
//! * **Trend** is the least-squares slope of daily mean mood against the calendar day,
//!   reported in points per week with its standard error and R², and read in plain
//!   words as [`Direction::Improving`], [`Direction::Stable`] or
//!   [`Direction::Worsening`] with a [`Certainty`]. The thresholds are the named
//!   constants [`TREND_MIN_DAYS`], [`TREND_STABLE_BAND_PER_WEEK`],
//!   [`TREND_MODERATE_MIN_DAYS`], [`TREND_HIGH_MIN_DAYS`],
//!   [`TREND_MODERATE_STANDARD_ERRORS`] and [`TREND_HIGH_STANDARD_ERRORS`]. They are
//!   this project's own conventions for a self-monitoring display, not published
//!   clinical cut-offs. Daily mood is autocorrelated, so the ordinary least-squares
//!   standard error is optimistic; the certainty is a guide to how much data backs
//!   the reading, not a significance test.
//! * **Streaks** are runs of consecutive calendar days with at least one entry. The
//!   current streak is the one that includes `today`, or yesterday when today has not
//!   been logged yet (the day is not over).
//! * **Stand-out days** ([`NotableDay`]) are days whose daily mean is more than
//!   [`NOTABLE_STANDARD_DEVIATIONS`] standard deviations from the window's mean (once
//!   there are [`NOTABLE_DEVIATION_MIN_DAYS`] logged days), or at least
//!   [`NOTABLE_DROP_POINTS`] points below the previous calendar day.
//!
//! Results depend only on the set of entries, never on their order: entries are
//! sorted by day once, same-day entries are combined with exact integer sums, and
//! every floating-point sum runs in date order. Work is O(n log n) in the number of
//! entries.
//!
//! # Example
//!
//! ```
//! use healing_core::mood::{summarise, Direction, MoodEntry, Trend, Window};
//! use healing_core::timestamp::Timestamp;
//! use time::macros::date;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let first = date!(2026 - 03 - 02);
//! let mut entries = Vec::new();
//! for offset in 0..28_i64 {
//!     let day = first + time::Duration::days(offset);
//!     let recorded_at = Timestamp::from_unix_seconds(day.midnight().assume_utc().unix_timestamp() + 20 * 3600)?;
//!     // Mood climbs one point every week, from 3 to 6.
//!     let mood = 3 + u8::try_from(offset / 7)?;
//!     entries.push(MoodEntry::new(day, recorded_at, mood)?.with_sleep(6)?);
//! }
//!
//! let summary = summarise(&entries, Window::All, date!(2026 - 03 - 29));
//! assert_eq!(summary.days_logged, 28);
//! assert_eq!(summary.streaks.current.map(|streak| streak.days), Some(28));
//! match summary.trend {
//!     Trend::Estimated(estimate) => {
//!         assert_eq!(estimate.direction, Direction::Improving);
//!         assert!((estimate.slope_per_week - 1.0).abs() < 0.2);
//!     }
//!     Trend::InsufficientData { .. } => unreachable!("28 days are enough"),
//! }
//! # Ok(())
//! # }
//! ```

mod entry;
mod summary;

#[cfg(test)]
mod tests;

pub use entry::{MoodEntry, NOTE_MAX_CHARS, Rating};
pub use summary::{
    Certainty, DailyMood, DateRange, Direction, MoodSummary, NOTABLE_DEVIATION_MIN_DAYS,
    NOTABLE_DROP_POINTS, NOTABLE_STANDARD_DEVIATIONS, NotableDay, NotableReason, Statistics,
    Streak, Streaks, TREND_HIGH_MIN_DAYS, TREND_HIGH_STANDARD_ERRORS, TREND_MIN_DAYS,
    TREND_MODERATE_MIN_DAYS, TREND_MODERATE_STANDARD_ERRORS, TREND_STABLE_BAND_PER_WEEK, Trend,
    TrendEstimate, Weekday, WeekdayMood, Window, daily_moods, summarise,
};

use time::Date;

// Dates travel as ISO 8601 calendar dates ("2026-03-01") rather than time's default
// (year, ordinal) tuple, so JSON exchanged through the C API is readable and stable.
time::serde::format_description!(calendar_date, Date, "[year]-[month]-[day]");

/// Why a mood entry or a date range was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A rating is outside its scale.
    #[error("{rating} is {value}, outside the range {min} to {max}")]
    RatingOutOfRange {
        /// Which rating.
        rating: Rating,
        /// The value given.
        value: u8,
        /// The lowest value allowed.
        min: u8,
        /// The highest value allowed.
        max: u8,
    },
    /// The note is longer than [`NOTE_MAX_CHARS`].
    #[error("note is {chars} characters long, above the maximum of {max}")]
    NoteTooLong {
        /// Its length in Unicode scalar values.
        chars: usize,
        /// The maximum allowed.
        max: usize,
    },
    /// The note holds a control character other than line feed, carriage return or tab.
    #[error("note contains the control character U+{code_point:04X} at character {position}")]
    NoteControlCharacter {
        /// The character's Unicode code point.
        code_point: u32,
        /// Its position in the note, counting characters from 0.
        position: usize,
    },
    /// The entry is for a day that had not begun anywhere on Earth when it was recorded.
    #[error("entry is for {day}, after the day it was recorded ({recorded_at}) in any time zone")]
    DayAfterRecording {
        /// The day the entry is for.
        day: Date,
        /// When it was recorded.
        recorded_at: crate::timestamp::Timestamp,
    },
    /// A date range whose first day is after its last day.
    #[error("date range starts on {first}, after its last day {last}")]
    RangeReversed {
        /// The first day given.
        first: Date,
        /// The last day given.
        last: Date,
    },
}

impl Error {
    /// The variant's stable `snake_case` name (`"rating_out_of_range"`), for callers that
    /// branch on the kind of error without parsing its message.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::RatingOutOfRange { .. } => "rating_out_of_range",
            Self::NoteTooLong { .. } => "note_too_long",
            Self::NoteControlCharacter { .. } => "note_control_character",
            Self::DayAfterRecording { .. } => "day_after_recording",
            Self::RangeReversed { .. } => "range_reversed",
        }
    }
}
