//! How dates leave an export: shifted per person, truncated, or as recorded.
//!
//! Every date in an export is a calendar day (UTC); times of day never leave,
//! because the minute someone wrote a diary entry can identify them to anyone who
//! saw them do it.

use time::{Date, Duration};

use crate::timestamp::Timestamp;

/// What a study does to dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePolicy {
    /// Each person's dates move by their own keyed offset of 1 to `max_days`
    /// days either way; intervals within a person are kept exactly.
    Shift {
        /// The largest shift, in days.
        max_days: u16,
    },
    /// The Monday of the ISO week the day falls in.
    Week,
    /// The first day of the month.
    Month,
    /// The day as recorded (UTC).
    Day,
}

impl DatePolicy {
    /// The policy named `name` (`"shift"`, `"week"`, `"month"`, `"day"`).
    pub fn from_name(name: &str, max_shift_days: u16) -> Option<Self> {
        match name {
            "shift" => Some(Self::Shift {
                max_days: max_shift_days,
            }),
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            "day" => Some(Self::Day),
            _ => None,
        }
    }

    /// The name recorded in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Self::Shift { .. } => "shift",
            Self::Week => "week",
            Self::Month => "month",
            Self::Day => "day",
        }
    }

    /// The day of `day` as exported, given the person's offset (used only by `Shift`).
    pub fn apply_to_day(self, day: Date, offset_days: i64) -> Date {
        match self {
            Self::Shift { .. } => day.checked_add(Duration::days(offset_days)).unwrap_or(day),
            Self::Week => {
                let back = i64::from(day.weekday().number_days_from_monday());
                day.checked_sub(Duration::days(back)).unwrap_or(day)
            }
            Self::Month => day.replace_day(1).unwrap_or(day),
            Self::Day => day,
        }
    }

    /// The exported day of an instant.
    pub fn apply(self, at: Timestamp, offset_days: i64) -> Date {
        self.apply_to_day(at.date(), offset_days)
    }
}

/// `YYYY-MM-DD`.
pub fn iso_day(day: Date) -> String {
    let (year, month, number) = (day.year(), u8::from(day.month()), day.day());
    format!("{year:04}-{month:02}-{number:02}")
}
