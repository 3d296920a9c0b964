//! Points in time as callers pass them in: healing-core never reads a clock.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Why a value could not become a [`Timestamp`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The number of seconds is outside the range the calendar supports.
    #[error("unix time {seconds} is outside the supported range")]
    OutOfRange {
        /// Seconds since 1970-01-01T00:00:00Z, as given.
        seconds: i64,
    },
    /// The text is not an RFC 3339 date-time with an offset.
    #[error("'{text}' is not an RFC 3339 date-time (e.g. 2026-03-01T09:30:00Z)")]
    NotRfc3339 {
        /// The text given, cut to 64 characters.
        text: String,
    },
}

impl Error {
    /// The variant's stable `snake_case` name (`"out_of_range"`), for callers that
    /// branch on the kind of error without parsing its message.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::OutOfRange { .. } => "out_of_range",
            Self::NotRfc3339 { .. } => "not_rfc3339",
        }
    }
}

/// An instant in UTC, to the second.
///
/// Every function in healing-core that needs "now" takes a `Timestamp` argument,
/// so results are reproducible and tests need no clock.
/// Serialises as an RFC 3339 string in UTC (`2026-03-01T09:30:00Z`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// The instant `seconds` after 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(seconds: i64) -> Result<Self, Error> {
        OffsetDateTime::from_unix_timestamp(seconds)
            .map(Self)
            .map_err(|_| Error::OutOfRange { seconds })
    }

    /// Parses an RFC 3339 date-time such as `2026-03-01T09:30:00+01:00`; the offset is
    /// kept only to find the instant, and sub-second digits are dropped.
    pub fn parse_rfc3339(text: &str) -> Result<Self, Error> {
        let parsed = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| Error::NotRfc3339 {
            text: text.chars().take(64).collect(),
        })?;
        Self::from_unix_seconds(parsed.unix_timestamp())
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The calendar date of this instant in UTC.
    pub fn date(self) -> time::Date {
        self.0.date()
    }

    /// Whole seconds from `earlier` to `self` (negative when `earlier` is later).
    pub fn seconds_since(self, earlier: Timestamp) -> i64 {
        self.unix_seconds() - earlier.unix_seconds()
    }

    /// This instant moved by `seconds` (negative moves back), or `None` past the calendar's range.
    pub fn checked_add_seconds(self, seconds: i64) -> Option<Timestamp> {
        let moved = self.unix_seconds().checked_add(seconds)?;
        Self::from_unix_seconds(moved).ok()
    }

    /// The instant as RFC 3339 in UTC, e.g. `2026-03-01T09:30:00Z`.
    pub fn to_rfc3339(self) -> String {
        // Formatting a UTC OffsetDateTime with a four-digit year cannot fail; the
        // fallback keeps this function total for years the calendar allows but RFC 3339 does not.
        self.0
            .format(&Rfc3339)
            .unwrap_or_else(|_| format!("@{}", self.unix_seconds()))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_kind_is_the_snake_case_variant_name() {
        let error = Timestamp::parse_rfc3339("yesterday").unwrap_err();
        assert_eq!(error.kind(), "not_rfc3339");
        assert_eq!(Error::OutOfRange { seconds: 0 }.kind(), "out_of_range");
    }

    #[test]
    fn parses_offsets_to_the_same_instant() {
        let london = Timestamp::parse_rfc3339("2026-06-01T10:00:00+01:00").unwrap();
        let utc = Timestamp::parse_rfc3339("2026-06-01T09:00:00Z").unwrap();
        assert_eq!(london, utc);
        assert_eq!(utc.to_rfc3339(), "2026-06-01T09:00:00Z");
    }

    #[test]
    fn rejects_text_that_is_not_rfc3339() {
        let err = Timestamp::parse_rfc3339("01/06/2026").unwrap_err();
        assert_eq!(
            err.to_string(),
            "'01/06/2026' is not an RFC 3339 date-time (e.g. 2026-03-01T09:30:00Z)"
        );
    }

    #[test]
    fn rejects_seconds_beyond_the_calendar() {
        assert_eq!(
            Timestamp::from_unix_seconds(i64::MAX),
            Err(Error::OutOfRange { seconds: i64::MAX })
        );
    }

    #[test]
    fn serde_round_trips_as_rfc3339() {
        let at = Timestamp::from_unix_seconds(1_780_000_000).unwrap();
        let json = serde_json::to_string(&at).unwrap();
        assert_eq!(json, "\"2026-05-28T20:26:40Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), at);
    }
}
