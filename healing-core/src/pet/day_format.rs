//! Serde for calendar days as `YYYY-MM-DD` text, so stored JSON reads like a date
//! rather than the `time` crate's default `[year, ordinal]` pair.

use serde::{Deserialize, Deserializer, Serializer, de, ser};
use time::Date;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

const DAY: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");

pub(crate) fn serialize<S: Serializer>(day: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    let text = day.format(DAY).map_err(ser::Error::custom)?;
    serializer.serialize_str(&text)
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
    let text = String::deserialize(deserializer)?;
    Date::parse(&text, DAY).map_err(de::Error::custom)
}

/// The same for `Option<Date>`, as text or `null`.
pub(crate) mod option {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub(crate) fn serialize<S: Serializer>(
        day: &Option<Date>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match day {
            Some(day) => super::serialize(day, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        #[derive(Deserialize)]
        struct Day(#[serde(with = "super")] Date);
        Ok(Option::<Day>::deserialize(deserializer)?.map(|Day(day)| day))
    }
}
