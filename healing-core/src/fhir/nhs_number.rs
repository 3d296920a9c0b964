//! NHS numbers: the ten-digit patient identifier of England, Wales and the Isle of Man.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Error;

/// A valid NHS number: ten digits whose last digit is the Modulus 11 check digit
/// of the first nine.
///
/// Source: NHS Data Dictionary, "NHS Number" (data element), which defines the
/// check: multiply the first nine digits by the weights 10 down to 2, add the
/// products, take the remainder on division by 11 and subtract it from 11; a
/// result of 11 means a check digit of 0, and a result of 10 means the number is
/// not valid. The check finds every single-digit error and every transposition
/// of two adjacent digits.
///
/// Numbers beginning `999` are the range NHS England sets aside for testing
/// ([`NhsNumber::is_test_range`]); synthetic data must use them.
/// unconfirmed: which leading-digit ranges are currently issued; this type
/// checks only the length and the check digit, as the Data Dictionary does.
///
/// Accepts ten digits, optionally grouped `3 3 4` by single spaces or hyphens
/// (`943 476 5919`, `943-476-5919`), the way the number is printed on letters.
/// Serialises as the ten digits with no separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NhsNumber(String);

/// The weights of the first nine digits in the Modulus 11 check.
const WEIGHTS: [u32; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];

impl NhsNumber {
    /// Checks and keeps `text` as an NHS number.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let digits = ten_digits(text)?;
        let weighted_sum: u32 = digits
            .iter()
            .zip(WEIGHTS)
            .map(|(digit, weight)| u32::from(*digit) * weight)
            .sum();
        let check = match 11 - weighted_sum % 11 {
            11 => 0,
            10 => {
                return Err(Error::NhsNumberUnusable {
                    text: text.to_owned(),
                });
            }
            check => check,
        };
        // `digits` is a [u8; 10], so index 9 is checked at compile time.
        let given = u32::from(digits[9]);
        if given != check {
            return Err(Error::NhsNumberCheckDigit {
                text: text.to_owned(),
                expected: check,
                found: given,
            });
        }
        Ok(Self(
            digits
                .iter()
                .map(|digit| char::from(b'0' + digit))
                .collect(),
        ))
    }

    /// The ten digits with no separators, e.g. `9434765919`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the number is in the `999` range that NHS England keeps for
    /// testing and never issues to patients.
    pub fn is_test_range(&self) -> bool {
        self.0.starts_with("999")
    }
}

/// The ten digit values of `text`, which may group them `3 3 4` with single
/// spaces or single hyphens (but not both).
fn ten_digits(text: &str) -> Result<[u8; 10], Error> {
    let bytes = text.as_bytes();
    let compact: Vec<u8> = match bytes.len() {
        10 => bytes.to_vec(),
        12 if is_grouped(bytes) => bytes
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != 3 && *index != 7)
            .map(|(_, byte)| *byte)
            .collect(),
        _ => {
            return Err(Error::NhsNumberFormat {
                text: text.to_owned(),
            });
        }
    };
    let mut digits = [0u8; 10];
    for (slot, byte) in digits.iter_mut().zip(&compact) {
        if !byte.is_ascii_digit() {
            return Err(Error::NhsNumberFormat {
                text: text.to_owned(),
            });
        }
        *slot = byte - b'0';
    }
    Ok(digits)
}

/// `ddd?ddd?dddd` where both `?` are the same separator, a space or a hyphen.
fn is_grouped(bytes: &[u8]) -> bool {
    matches!(
        (bytes.get(3), bytes.get(7)),
        (Some(b' '), Some(b' ')) | (Some(b'-'), Some(b'-'))
    )
}

impl fmt::Display for NhsNumber {
    /// The `3 3 4` grouping NHS letters use, e.g. `943 476 5919`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The value is ten ASCII digits (checked in `parse`), so these ranges exist.
        let (first, rest) = self.0.split_at(3);
        let (second, third) = rest.split_at(3);
        write!(f, "{first} {second} {third}")
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = Error;

    fn try_from(text: String) -> Result<Self, Error> {
        Self::parse(&text)
    }
}

impl Serialize for NhsNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NhsNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}
