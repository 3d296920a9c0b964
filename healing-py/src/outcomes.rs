//! `healing.outcomes`: NHS Talking Therapies course outcomes, over
//! `healing_core::outcomes`.

use healing_core::outcomes::{self, Course, CourseRecord, Measure};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{from_python, to_python};
use crate::errors::Error;

/// The outcome of one course of care, as a dict (the JSON form of the core
/// `CourseOutcome`: treatment completion, the anxiety measure chosen and why,
/// paired changes, recovery, reliable change, reliable recovery with the reasoning
/// behind each, and the session-by-session trajectory).
///
/// `course` is a dict `{"person": str, "problem_descriptor": str | None,
/// "sessions": [{"at": datetime | str, "kind": str, "scores": [{"measure": str,
/// "value": int | str}]}]}`; fractional scores (Mobility Inventory) are strings
/// such as `"2.35"`. Raises OutcomesError for a score out of range, a fraction on a
/// whole-point measure, a duplicate score or sessions out of order, and
/// InvalidInputError when the dict's shape is wrong.
#[pyfunction]
fn course_outcome<'py>(
    py: Python<'py>,
    course: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyAny>, Error> {
    let outcome = outcome_of(course)?;
    to_python(py, &outcome)
}

/// The outcomes of many courses (a cohort), in input order, as a list of dicts
/// shaped like `course_outcome`'s. The first invalid course raises, its message
/// naming its 0-based position.
#[pyfunction]
fn course_outcomes<'py>(
    py: Python<'py>,
    courses: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyList>, Error> {
    let results = PyList::empty(py);
    for (position, course) in courses.try_iter()?.enumerate() {
        let outcome = outcome_of(&course?).map_err(|error| in_course(py, position, error))?;
        results.append(to_python(py, &outcome)?)?;
    }
    Ok(results)
}

/// The Talking Therapies measures with their ranges and thresholds: a list of dicts
/// with `id`, `title`, `lowest`, `highest`, `caseness_threshold` and
/// `reliable_change_index` (scores as strings, exact to hundredths).
#[pyfunction]
fn measures(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for measure in Measure::ALL {
        let entry = PyDict::new(py);
        entry.set_item("id", measure.as_instrument_id())?;
        entry.set_item("title", measure.title())?;
        entry.set_item("lowest", measure.lowest_score().to_string())?;
        entry.set_item("highest", measure.highest_score().to_string())?;
        entry.set_item(
            "caseness_threshold",
            measure.caseness_threshold().to_string(),
        )?;
        entry.set_item(
            "reliable_change_index",
            measure.reliable_change_index().to_string(),
        )?;
        list.append(entry)?;
    }
    Ok(list)
}

/// Reads one course record, checks it with `Course::new` and computes its outcome.
fn outcome_of(course: &Bound<'_, PyAny>) -> Result<outcomes::CourseOutcome, Error> {
    let record: CourseRecord = from_python(course, "course")?;
    let course = Course::new(record)?;
    Ok(outcomes::course_outcome(&course))
}

/// Prefixes an error's message with the course's position in the cohort.
fn in_course(py: Python<'_>, position: usize, error: Error) -> Error {
    let raised: PyErr = error.into();
    let message = format!("course {position}: {}", raised.value(py));
    match raised.value(py).setattr("args", (message,)) {
        Ok(()) => Error::Python(raised),
        Err(setting) => Error::Python(setting),
    }
}

/// Builds the `healing._native.outcomes` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(course_outcome, module)?)?;
    module.add_function(wrap_pyfunction!(course_outcomes, module)?)?;
    module.add_function(wrap_pyfunction!(measures, module)?)?;
    Ok(())
}
