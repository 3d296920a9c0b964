//! `healing.pet`: the companion pet engine, over `healing_core::pet`.
//!
//! The pet's state travels as its stored JSON form (a dict), exactly as the
//! server keeps it, so a notebook can replay engagement from exported states.

use healing_core::pet::{self, Event, PetName, PetState, Species};
use pyo3::prelude::*;

use crate::convert::{date, from_python, timestamp, to_python};
use crate::errors::Error;

/// Adopts a pet named `name` of `species` (`"cat"`, `"dog"`, `"hedgehog"`, …) at
/// `now`, returning its state dict. Raises PetError for a blank, over-long or
/// control-character name.
#[pyfunction]
fn adopt<'py>(
    py: Python<'py>,
    name: &str,
    species: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyAny>, Error> {
    let species: Species = from_python(species, "species")?;
    let state = PetState::new(PetName::new(name)?, species, timestamp(now)?);
    to_python(py, &state)
}

/// The state brought up to `now` (stats decay with time, never below their floors).
#[pyfunction]
fn observe<'py>(
    py: Python<'py>,
    state: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyAny>, Error> {
    let state: PetState = from_python(state, "pet state")?;
    to_python(py, &pet::observe(&state, timestamp(now)?))
}

/// Applies one event dict (`{"kind": "feed", "food": "apple"}`,
/// `{"kind": "complete_activity", "activity": "mood_log"}`, …) at `now`, and
/// returns `{"state": dict, "outcomes": [dict]}`. `day` is the person's local date
/// for daily caps (defaults to the UTC date of `now`). Raises PetError when the
/// event cannot apply (not enough coins, pet away, …).
#[pyfunction]
#[pyo3(signature = (state, event, now, *, day = None))]
fn step<'py>(
    py: Python<'py>,
    state: &Bound<'py, PyAny>,
    event: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    day: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>, Error> {
    let state: PetState = from_python(state, "pet state")?;
    let event: Event = from_python(event, "pet event")?;
    let now = timestamp(now)?;
    let stepped = match day {
        None => pet::step(&state, &event, now)?,
        Some(day) => pet::step_on_day(&state, &event, now, date(day, "day")?)?,
    };
    to_python(py, &stepped)
}

/// Builds the `healing._native.pet` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(adopt, module)?)?;
    module.add_function(wrap_pyfunction!(observe, module)?)?;
    module.add_function(wrap_pyfunction!(step, module)?)?;
    Ok(())
}
