//! `healing.scoring`: the questionnaire registry and scoring, over
//! `healing_core::scoring`.

use healing_core::scoring::{self, Completeness, Score as CoreScore};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::to_python;
use crate::errors::Error;

/// The result of scoring one completed questionnaire.
///
/// Attributes mirror the core `Score`; `to_dict()` gives its stable JSON form
/// (the same the server stores and the C API exchanges).
#[pyclass(module = "healing.scoring", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct Score {
    inner: CoreScore,
}

impl Score {
    /// Wraps a core score.
    pub(crate) fn from_core(inner: CoreScore) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl Score {
    /// The instrument id scored (`"phq9"`).
    #[getter]
    fn instrument(&self) -> &'static str {
        self.inner.instrument.as_str()
    }

    /// The revision of the instrument definition used.
    #[getter]
    fn version(&self) -> u16 {
        self.inner.version
    }

    /// The total (prorated when `completeness` says so), or None where the
    /// instrument has no total (Mobility Inventory mean, C-SSRS triage).
    #[getter]
    fn total(&self) -> Option<u16> {
        self.inner.total
    }

    /// A derived decimal (SWEMWBS metric score, Mobility Inventory mean) as a float,
    /// or None. The exact value is `derived_hundredths / 100`.
    #[getter]
    fn derived(&self) -> Option<f64> {
        self.inner
            .derived
            .map(|value| f64::from(value.hundredths()) / 100.0)
    }

    /// The derived decimal held exactly in hundredths, or None.
    #[getter]
    fn derived_hundredths(&self) -> Option<u16> {
        self.inner.derived.map(|value| value.hundredths())
    }

    /// The severity band id (`"moderate"`), or None where the instrument has no bands.
    #[getter]
    fn band(&self) -> Option<&'static str> {
        self.inner.band.as_ref().map(|band| band.id.as_str())
    }

    /// The severity band's label as in the instrument definition, or None.
    #[getter]
    fn band_label(&self) -> Option<String> {
        self.inner.band.as_ref().map(|band| band.label.to_string())
    }

    /// Subscale results: a list of dicts with `id`, `total`, `items_answered` and
    /// `mean_hundredths`.
    #[getter]
    fn subscales<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(to_python(py, &self.inner.subscales)?)
    }

    /// Flags raised, risk flags first: a list of dicts with a `flag` key
    /// (`"self_harm_thoughts"`, `"suicide_risk"`, `"screen_positive"`,
    /// `"clinical_range"`, `"provisional_ptsd_diagnosis"`) and its details.
    #[getter]
    fn flags<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(to_python(py, &self.inner.flags)?)
    }

    /// `"complete"`, or `"prorated"` when blank items were prorated.
    #[getter]
    fn completeness(&self) -> &'static str {
        match self.inner.completeness {
            Completeness::Complete => "complete",
            Completeness::Prorated { .. } => "prorated",
        }
    }

    /// How many items were blank and prorated (0 when complete).
    #[getter]
    fn missing(&self) -> u8 {
        match self.inner.completeness {
            Completeness::Complete => 0,
            Completeness::Prorated { missing } => missing,
        }
    }

    /// Whether a flag says a clinician must see this result whatever the total
    /// (thoughts of self-harm, or any C-SSRS risk level).
    #[getter]
    fn needs_clinician_review(&self) -> bool {
        self.inner.needs_clinician_review()
    }

    /// The stable JSON form of this score as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(to_python(py, &self.inner)?)
    }

    fn __repr__(&self) -> String {
        format!(
            "Score(instrument='{}', total={}, band={}, flags={})",
            self.inner.instrument,
            self.inner
                .total
                .map_or_else(|| "None".to_owned(), |total| total.to_string()),
            self.inner.band.as_ref().map_or_else(
                || "None".to_owned(),
                |band| format!("'{}'", band.id.as_str())
            ),
            self.inner.flags.len()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Score>()
            .is_ok_and(|other| other.get().inner == self.inner)
    }
}

/// The ids of every instrument in the registry, in a stable order.
#[pyfunction]
fn instruments() -> Vec<&'static str> {
    scoring::instruments()
        .iter()
        .map(|instrument| instrument.id.as_str())
        .collect()
}

/// The full definition of one instrument (items, answer options, bands,
/// subscales, thresholds, licence and source) as a dict.
///
/// Raises ScoringError (kind `unknown_instrument`) for an id not in the registry.
#[pyfunction]
fn definition<'py>(py: Python<'py>, instrument_id: &str) -> Result<Bound<'py, PyAny>, Error> {
    let instrument = find(instrument_id)?;
    to_python(py, instrument)
}

/// Validates `answers` (one per item, in order; None for a blank item) against the
/// instrument and scores them.
///
/// Raises ScoringError naming the instrument and the 1-based item for every
/// problem (unknown instrument, wrong number of answers, a value outside the
/// item's options, a required item left blank, too many blanks).
#[pyfunction]
fn score(instrument_id: &str, answers: Vec<Option<u8>>) -> Result<Score, Error> {
    let inner = scoring::score_answers(instrument_id, &answers)?;
    Ok(Score { inner })
}

/// Scores many sets of answers to one instrument and returns columns: a dict of
/// equal-length lists `total`, `derived`, `band`, `completeness`,
/// `needs_clinician_review`, `flags` (flag names joined by `;`) and `error`.
///
/// With `invalid="raise"` (the default) the first invalid row raises
/// ScoringError, its message prefixed with the 0-based row. With
/// `invalid="record"` an invalid row gets None in every result column and the
/// error message in `error`. This is the engine behind
/// `healing.scoring.score_frame`.
#[pyfunction]
#[pyo3(signature = (instrument_id, rows, *, invalid = "raise"))]
fn score_rows<'py>(
    py: Python<'py>,
    instrument_id: &str,
    rows: Vec<Vec<Option<u8>>>,
    invalid: &str,
) -> Result<Bound<'py, PyDict>, Error> {
    let record_invalid = match invalid {
        "raise" => false,
        "record" => true,
        other => {
            return Err(Error::InvalidInput {
                what: "invalid",
                reason: format!("'{other}' is neither 'raise' nor 'record'"),
            });
        }
    };
    let instrument = find(instrument_id)?;
    let count = rows.len();
    let mut totals = Vec::with_capacity(count);
    let mut derived = Vec::with_capacity(count);
    let mut bands = Vec::with_capacity(count);
    let mut completeness = Vec::with_capacity(count);
    let mut review = Vec::with_capacity(count);
    let mut flags = Vec::with_capacity(count);
    let mut errors = Vec::with_capacity(count);
    for (row, answers) in rows.iter().enumerate() {
        match scoring::ValidatedAnswers::new(instrument, answers) {
            Ok(validated) => {
                let result = scoring::score(&validated);
                totals.push(result.total);
                derived.push(
                    result
                        .derived
                        .map(|value| f64::from(value.hundredths()) / 100.0),
                );
                bands.push(result.band.as_ref().map(|band| band.id.as_str()));
                completeness.push(Some(match result.completeness {
                    Completeness::Complete => "complete",
                    Completeness::Prorated { .. } => "prorated",
                }));
                review.push(Some(result.needs_clinician_review()));
                flags.push(Some(flag_names(&result.flags)));
                errors.push(None);
            }
            Err(error) if record_invalid => {
                totals.push(None);
                derived.push(None);
                bands.push(None);
                completeness.push(None);
                review.push(None);
                flags.push(None);
                errors.push(Some(error.to_string()));
            }
            Err(error) => {
                let raised: PyErr = Error::from(error).into();
                let message = format!("row {row}: {}", raised.value(py));
                let value = raised.value(py);
                value.setattr("args", (message,))?;
                return Err(Error::Python(raised));
            }
        }
    }
    let columns = PyDict::new(py);
    columns.set_item("total", PyList::new(py, totals)?)?;
    columns.set_item("derived", PyList::new(py, derived)?)?;
    columns.set_item("band", PyList::new(py, bands)?)?;
    columns.set_item("completeness", PyList::new(py, completeness)?)?;
    columns.set_item("needs_clinician_review", PyList::new(py, review)?)?;
    columns.set_item("flags", PyList::new(py, flags)?)?;
    columns.set_item("error", PyList::new(py, errors)?)?;
    Ok(columns)
}

/// The registry entry for `instrument_id`, or the core's `UnknownInstrument` error.
fn find(instrument_id: &str) -> Result<&'static scoring::Instrument, Error> {
    scoring::instrument(instrument_id).ok_or_else(|| {
        Error::Scoring(scoring::Error::UnknownInstrument {
            id: instrument_id.chars().take(64).collect(),
        })
    })
}

/// Flag names joined by `;` (`"self_harm_thoughts;clinical_range"`), empty for none.
pub(crate) fn flag_names(flags: &[scoring::Flag]) -> String {
    let mut names = String::new();
    for flag in flags {
        if !names.is_empty() {
            names.push(';');
        }
        names.push_str(match flag {
            scoring::Flag::SelfHarmThoughts { .. } => "self_harm_thoughts",
            scoring::Flag::SuicideRisk { .. } => "suicide_risk",
            scoring::Flag::ScreenPositive => "screen_positive",
            scoring::Flag::ClinicalRange => "clinical_range",
            scoring::Flag::ProvisionalPtsdDiagnosis => "provisional_ptsd_diagnosis",
        });
    }
    names
}

/// Builds the `healing._native.scoring` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Score>()?;
    module.add_function(wrap_pyfunction!(instruments, module)?)?;
    module.add_function(wrap_pyfunction!(definition, module)?)?;
    module.add_function(wrap_pyfunction!(score, module)?)?;
    module.add_function(wrap_pyfunction!(score_rows, module)?)?;
    Ok(())
}
