//! Exact score values in hundredths of a point, so thresholds never meet float rounding.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Error;

/// Most digits accepted before the decimal point when parsing: far above any
/// questionnaire total, low enough that the value fits in hundredths without overflow.
const MAX_WHOLE_DIGITS: usize = 6;

/// A questionnaire total (or, for the Mobility Inventory, an item mean), held exactly
/// as a whole number of hundredths of a point.
///
/// PHQ-9 15 is `ScoreValue::from_points(15)` (1500 hundredths); a Mobility Inventory
/// mean of 2.35 is `ScoreValue::from_hundredths(235)`. Comparing integers makes
/// "at or above 2.3" exact, which `f64` cannot promise.
///
/// Serialises as a decimal string (`"15"`, `"2.35"`); deserialises from that string or
/// from a JSON whole number (`15`). JSON fractions (`2.35` unquoted) are refused, because
/// they arrive as binary floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScoreValue(u32);

impl ScoreValue {
    /// A whole-point score, such as a PHQ-9 total.
    pub const fn from_points(points: u16) -> ScoreValue {
        // u16::MAX * 100 = 6_553_500 fits in u32.
        ScoreValue(points as u32 * 100)
    }

    /// A score given in hundredths of a point, such as a Mobility Inventory mean of
    /// 2.35 given as 235.
    pub const fn from_hundredths(hundredths: u32) -> ScoreValue {
        ScoreValue(hundredths)
    }

    /// The score in hundredths of a point.
    pub const fn hundredths(self) -> u32 {
        self.0
    }

    /// Whether the score is a whole number of points.
    pub const fn is_whole(self) -> bool {
        self.0.is_multiple_of(100)
    }

    /// Parses `"15"`, `"2.3"` or `"2.35"`: digits, then optionally a point and one or two digits.
    pub fn parse(text: &str) -> Result<ScoreValue, Error> {
        parse_unsigned_hundredths(text)
            .and_then(|hundredths| u32::try_from(hundredths).ok())
            .map(ScoreValue)
            .ok_or_else(|| Error::NotAScore {
                text: text.chars().take(32).collect(),
            })
    }

    /// `later - self`, signed, in hundredths.
    pub const fn difference_to(self, later: ScoreValue) -> ScoreDifference {
        // Both values are u32, so their difference always fits in i64.
        ScoreDifference(later.0 as i64 - self.0 as i64)
    }
}

impl fmt::Display for ScoreValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hundredths(f, i64::from(self.0), false)
    }
}

impl Serialize for ScoreValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ScoreValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScoreValueVisitor)
    }
}

struct ScoreValueVisitor;

impl Visitor<'_> for ScoreValueVisitor {
    type Value = ScoreValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number of points or a decimal string with up to two places")
    }

    fn visit_u64<E: de::Error>(self, points: u64) -> Result<ScoreValue, E> {
        u16::try_from(points)
            .map(ScoreValue::from_points)
            .map_err(|_| E::custom(format!("score {points} is too large")))
    }

    fn visit_i64<E: de::Error>(self, points: i64) -> Result<ScoreValue, E> {
        u64::try_from(points)
            .map_err(|_| E::custom(format!("score {points} is negative")))
            .and_then(|points| self.visit_u64(points))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<ScoreValue, E> {
        Err(E::custom(format!(
            "score {value} is a JSON fraction; send it as a string such as \"2.35\""
        )))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<ScoreValue, E> {
        ScoreValue::parse(text).map_err(E::custom)
    }
}

/// The signed change between two scores of one measure, in hundredths of a point
/// (negative is a fall, which for every measure here means fewer symptoms).
///
/// Serialises as a signed decimal string: `"-9"`, `"+0.75"`, `"0"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScoreDifference(i64);

impl ScoreDifference {
    /// The change in hundredths of a point.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// The size of the change, ignoring its direction.
    pub const fn magnitude(self) -> ScoreDifference {
        ScoreDifference(self.0.abs())
    }
}

impl fmt::Display for ScoreDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hundredths(f, self.0, true)
    }
}

impl Serialize for ScoreDifference {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ScoreDifference {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let (sign, digits) = if let Some(rest) = text.strip_prefix('-') {
            (-1, rest)
        } else {
            (1, text.strip_prefix('+').unwrap_or(&text))
        };
        parse_unsigned_hundredths(digits)
            .map(|hundredths| ScoreDifference(sign * hundredths))
            .ok_or_else(|| de::Error::custom(format!("'{text}' is not a score difference")))
    }
}

/// Parses unsigned decimal text with at most two decimal places into hundredths.
fn parse_unsigned_hundredths(text: &str) -> Option<i64> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if whole.is_empty()
        || whole.len() > MAX_WHOLE_DIGITS
        || !whole.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction = match fraction {
        None => 0,
        Some(digits)
            if (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            let value: i64 = digits.parse().ok()?;
            // "2.3" means 30 hundredths, "2.35" means 35.
            if digits.len() == 1 { value * 10 } else { value }
        }
        Some(_) => return None,
    };
    Some(whole * 100 + fraction)
}

/// Writes hundredths as a decimal with no trailing zeros: 1500 → "15", 230 → "2.3".
fn write_hundredths(f: &mut fmt::Formatter<'_>, hundredths: i64, signed: bool) -> fmt::Result {
    let sign = match hundredths.signum() {
        -1 => "-",
        1 if signed => "+",
        _ => "",
    };
    let magnitude = hundredths.unsigned_abs();
    let (whole, fraction) = (magnitude / 100, magnitude % 100);
    match fraction {
        0 => write!(f, "{sign}{whole}"),
        f10 if f10 % 10 == 0 => write!(f, "{sign}{whole}.{}", f10 / 10),
        _ => write!(f, "{sign}{whole}.{fraction:02}"),
    }
}
