//! `healing.mood`: mood diary summaries, over `healing_core::mood`.

use healing_core::mood::{self, DateRange, MoodEntry, Window};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{date, timestamp, to_python};
use crate::errors::Error;

/// Summarises mood entries: statistics for mood, sleep and anxiety, the trend,
/// streaks, the weekday pattern and the days that stand out, as a dict (the JSON
/// form of the core `MoodSummary`).
///
/// Each entry is a dict `{"day": date | "YYYY-MM-DD", "recorded_at": datetime | str,
/// "mood": 1..10, "sleep": 0..10 | None, "anxiety": 0..10 | None, "note": str | None}`.
/// `today` is the person's local date (for the current streak). With `first` and
/// `last` only entries for days in that inclusive range count. Raises MoodError for
/// a rating out of range, a bad note, an entry for a day after it was recorded or
/// a reversed range.
#[pyfunction]
#[pyo3(signature = (entries, today, *, first = None, last = None))]
fn summarise<'py>(
    py: Python<'py>,
    entries: &Bound<'py, PyAny>,
    today: &Bound<'py, PyAny>,
    first: Option<&Bound<'py, PyAny>>,
    last: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>, Error> {
    let mut checked = Vec::new();
    for entry in entries.try_iter()? {
        checked.push(entry_from(&entry?)?);
    }
    let window = match (first, last) {
        (None, None) => Window::All,
        (Some(first), Some(last)) => {
            Window::Dates(DateRange::new(date(first, "first")?, date(last, "last")?)?)
        }
        _ => {
            return Err(Error::InvalidInput {
                what: "window",
                reason: "give both first and last, or neither".to_owned(),
            });
        }
    };
    let summary = mood::summarise(&checked, window, date(today, "today")?);
    to_python(py, &summary)
}

/// Checks one entry dict with the core's constructors.
pub(crate) fn entry_from(entry: &Bound<'_, PyAny>) -> Result<MoodEntry, Error> {
    let Ok(fields) = entry.cast::<PyDict>() else {
        return Err(Error::InvalidInput {
            what: "mood entry",
            reason: "each entry must be a dict".to_owned(),
        });
    };
    let required = |name: &'static str| -> Result<Bound<'_, PyAny>, Error> {
        fields.get_item(name)?.ok_or(Error::InvalidInput {
            what: "mood entry",
            reason: format!("'{name}' is missing"),
        })
    };
    let optional = |name: &'static str| -> Result<Option<Bound<'_, PyAny>>, Error> {
        Ok(fields.get_item(name)?.filter(|value| !value.is_none()))
    };
    let mut checked = MoodEntry::new(
        date(&required("day")?, "day")?,
        timestamp(&required("recorded_at")?)?,
        rating(&required("mood")?, "mood")?,
    )?;
    if let Some(sleep) = optional("sleep")? {
        checked = checked.with_sleep(rating(&sleep, "sleep")?)?;
    }
    if let Some(anxiety) = optional("anxiety")? {
        checked = checked.with_anxiety(rating(&anxiety, "anxiety")?)?;
    }
    if let Some(note) = optional("note")? {
        let note: String = note.extract().map_err(|_| Error::InvalidInput {
            what: "note",
            reason: "a note must be a string".to_owned(),
        })?;
        checked = checked.with_note(note)?;
    }
    Ok(checked)
}

/// A rating as the byte the core checks; other integers are shape errors.
fn rating(value: &Bound<'_, PyAny>, what: &'static str) -> Result<u8, Error> {
    value.extract::<u8>().map_err(|_| Error::InvalidInput {
        what,
        reason: "a rating must be an integer from 0 to 255 (the scale is checked next)".to_owned(),
    })
}

/// Builds the `healing._native.mood` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(summarise, module)?)?;
    Ok(())
}
