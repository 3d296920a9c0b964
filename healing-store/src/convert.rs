//! Conversions between stored column values and typed records, shared by both back ends.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Error;
use super::cipher::{Aad, FieldCipher, fill_random};
use healing_core::ids::PersonId;
use healing_core::outcomes::ProblemDescriptor;
use healing_core::pet::PetState;
use healing_core::safety::{Category, RiskLevel};
use healing_core::scoring::{BandId, Flag};
use healing_core::timestamp::Timestamp;

/// Most rows one list read returns, whatever the caller asks.
pub(crate) const MAX_PAGE: u32 = 1000;

/// A fresh random person id, in the form [`crate::AccountStore::create_user`] gives
/// a new account. The server answers a registration it refused for a taken email
/// with one, so that answer looks like a created account's.
pub fn new_person_id() -> Result<PersonId, Error> {
    PersonId::new(new_id()?).map_err(|error| Error::InvalidInput {
        field: "id",
        reason: error.to_string(),
    })
}

/// A fresh random id: a UUID version 4 in its usual text form.
pub(crate) fn new_id() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes)?;
    // RFC 9562 section 5.4: version 4 in the high nibble of byte 6, variant 10 in byte 8.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = super::audit::to_hex(&bytes);
    // `hex` is 32 ASCII digits, so these ranges are in bounds and on char boundaries.
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

pub(crate) fn corrupt(
    table: &'static str,
    column: &'static str,
    reason: impl Into<String>,
) -> Error {
    Error::CorruptRow {
        table,
        column,
        reason: reason.into(),
    }
}

pub(crate) fn person(
    text: String,
    table: &'static str,
    column: &'static str,
) -> Result<PersonId, Error> {
    PersonId::new(text).map_err(|error| corrupt(table, column, error.to_string()))
}

pub(crate) fn optional_person(
    text: Option<String>,
    table: &'static str,
    column: &'static str,
) -> Result<Option<PersonId>, Error> {
    text.map(|text| person(text, table, column)).transpose()
}

pub(crate) fn instant(
    seconds: i64,
    table: &'static str,
    column: &'static str,
) -> Result<Timestamp, Error> {
    Timestamp::from_unix_seconds(seconds).map_err(|error| corrupt(table, column, error.to_string()))
}

/// A stored count (an `INTEGER` column) that must not be negative.
pub(crate) fn count(value: i32, table: &'static str, column: &'static str) -> Result<u32, Error> {
    u32::try_from(value).map_err(|_| corrupt(table, column, "negative count"))
}

pub(crate) fn optional_instant(
    seconds: Option<i64>,
    table: &'static str,
    column: &'static str,
) -> Result<Option<Timestamp>, Error> {
    seconds
        .map(|seconds| instant(seconds, table, column))
        .transpose()
}

pub(crate) fn named<T>(
    text: &str,
    from_name: fn(&str) -> Option<T>,
    table: &'static str,
    column: &'static str,
) -> Result<T, Error> {
    from_name(text).ok_or_else(|| corrupt(table, column, "unknown name"))
}

/// The `snake_case` serde name of a unit enum value from another module (for example
/// [`healing_core::outcomes::SessionKind`]), which is what the database stores.
pub(crate) fn serde_name<T: Serialize>(value: &T) -> Result<String, Error> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Ok(name),
        _ => Err(Error::InvalidInput {
            field: "enum value",
            reason: "does not serialise to a name".to_owned(),
        }),
    }
}

pub(crate) fn from_serde_name<T: DeserializeOwned>(
    name: String,
    table: &'static str,
    column: &'static str,
) -> Result<T, Error> {
    serde_json::from_value(serde_json::Value::String(name))
        .map_err(|_| corrupt(table, column, "unknown name"))
}

pub(crate) fn json_text<T: Serialize>(value: &T, field: &'static str) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|error| Error::InvalidInput {
        field,
        reason: error.to_string(),
    })
}

pub(crate) fn from_json_text<T: DeserializeOwned>(
    text: &str,
    table: &'static str,
    column: &'static str,
) -> Result<T, Error> {
    // The serde error names a line and column, never the value.
    serde_json::from_str(text).map_err(|error| corrupt(table, column, error.to_string()))
}

pub(crate) fn seal(
    cipher: &FieldCipher,
    table: &str,
    column: &str,
    row_id: &str,
    plaintext: &str,
) -> Result<Vec<u8>, Error> {
    cipher.encrypt_text(
        plaintext,
        &Aad {
            table,
            column,
            row_id,
        },
    )
}

pub(crate) fn open(
    cipher: &FieldCipher,
    table: &str,
    column: &str,
    row_id: &str,
    sealed: &[u8],
) -> Result<String, Error> {
    cipher.decrypt_text(
        sealed,
        &Aad {
            table,
            column,
            row_id,
        },
    )
}

/// A page's limit and offset as SQL integers, the limit capped at [`MAX_PAGE`].
pub(crate) fn page_bounds(page: super::Page) -> (i64, i64) {
    let limit = i64::from(page.limit.min(MAX_PAGE));
    let offset = i64::try_from(page.offset).unwrap_or(i64::MAX);
    (limit, offset)
}

/// Lower-cases and trims an email address, so uniqueness ignores case.
pub(crate) fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

// ---- core values kept as text: one conversion each way per type ----

/// A severity band from its name ([`BandId::as_str`]), as stored in clear before
/// migration 0007.
pub(crate) fn band_from_name(
    name: Option<String>,
    table: &'static str,
    column: &'static str,
) -> Result<Option<BandId>, Error> {
    name.map(|name| {
        name.parse::<BandId>()
            .map_err(|error| corrupt(table, column, error.to_string()))
    })
    .transpose()
}

/// A questionnaire's flags as stored in clear before migration 0007: a JSON array
/// holding the JSON text of each [`Flag`] (for example `["{\"flag\":\"clinical_range\"}"]`).
pub(crate) fn flags_from_text(
    text: &str,
    table: &'static str,
    column: &'static str,
) -> Result<Vec<Flag>, Error> {
    from_json_text::<Vec<String>>(text, table, column)?
        .iter()
        .map(|flag| from_json_text(flag, table, column))
        .collect()
}

pub(crate) fn risk_level_from_name(
    name: &str,
    table: &'static str,
    column: &'static str,
) -> Result<RiskLevel, Error> {
    named(name, RiskLevel::from_name, table, column)
}

pub(crate) fn optional_risk_level(
    name: Option<String>,
    table: &'static str,
    column: &'static str,
) -> Result<Option<RiskLevel>, Error> {
    name.map(|name| risk_level_from_name(&name, table, column))
        .transpose()
}

/// Risk categories as stored: a JSON array of their names ([`Category::as_str`]).
pub(crate) fn categories_text(categories: &[Category]) -> Result<String, Error> {
    json_text(
        &categories
            .iter()
            .map(|category| category.as_str())
            .collect::<Vec<_>>(),
        "categories",
    )
}

pub(crate) fn categories_from_text(
    text: &str,
    table: &'static str,
    column: &'static str,
) -> Result<Vec<Category>, Error> {
    from_json_text::<Vec<String>>(text, table, column)?
        .iter()
        .map(|name| named(name, Category::from_name, table, column))
        .collect()
}

/// A risk level's stored name ([`RiskLevel::as_str`]), if there is one.
pub(crate) fn risk_level_name(level: Option<RiskLevel>) -> Option<&'static str> {
    level.map(RiskLevel::as_str)
}

/// A companion pet's state as stored: the pet engine's JSON.
pub(crate) fn pet_state_text(state: &PetState) -> Result<String, Error> {
    json_text(state, "pet state")
}

/// Reads a stored pet state; the engine's checks run again, so a tampered state is
/// refused as a corrupt row.
pub(crate) fn pet_state_from_text(
    text: &str,
    table: &'static str,
    column: &'static str,
) -> Result<PetState, Error> {
    from_json_text(text, table, column)
}

// ---- sealed clinical values: one conversion each way ----

/// What `assessments.result` seals: a questionnaire's answers, total, band and flags
/// as one JSON object (`{"answers":[…],"total":13,"band":"moderate","flags":[…]}`),
/// so the four are always written and read together.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct AssessmentResult {
    pub(crate) answers: Vec<Option<u8>>,
    pub(crate) total: Option<i32>,
    pub(crate) band: Option<BandId>,
    pub(crate) flags: Vec<Flag>,
}

impl AssessmentResult {
    const TABLE: &'static str = "assessments";
    const COLUMN: &'static str = "result";

    /// Seals the result for row `row_id` of `assessments`.
    pub(crate) fn seal(&self, cipher: &FieldCipher, row_id: &str) -> Result<Vec<u8>, Error> {
        let text = json_text(self, "assessment result")?;
        seal(cipher, Self::TABLE, Self::COLUMN, row_id, &text)
    }

    /// Opens the sealed result of row `row_id` of `assessments`.
    pub(crate) fn open(cipher: &FieldCipher, row_id: &str, sealed: &[u8]) -> Result<Self, Error> {
        let text = open(cipher, Self::TABLE, Self::COLUMN, row_id, sealed)?;
        from_json_text(&text, Self::TABLE, Self::COLUMN)
    }
}

/// Seals a course's problem descriptor (its serde name) for row `row_id` of `courses`.
pub(crate) fn seal_problem(
    cipher: &FieldCipher,
    row_id: &str,
    problem: ProblemDescriptor,
) -> Result<Vec<u8>, Error> {
    seal(cipher, "courses", "problem", row_id, &serde_name(&problem)?)
}

/// Opens the sealed problem descriptor of row `row_id` of `courses`.
pub(crate) fn open_problem(
    cipher: &FieldCipher,
    row_id: &str,
    sealed: &[u8],
) -> Result<ProblemDescriptor, Error> {
    let name = open(cipher, "courses", "problem", row_id, sealed)?;
    from_serde_name(name, "courses", "problem")
}
