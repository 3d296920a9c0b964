//! `healing.consent`: one person's consent ledger, over `healing_core::consent`.

use healing_core::consent::{self, ConsentEvent, Decision, Purpose, RecordedBy, WordingVersion};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert::{from_python, person_id, timestamp, to_python};
use crate::errors::Error;

/// An append-only record of one person's consent decisions.
///
/// Grants take effect at their own instant; withdrawals take effect at theirs and
/// from then on, so `is_allowed(purpose, at)` is true at a grant's instant and false
/// at a withdrawal's. Purposes are `"care"`, `"clinician_sharing"`, `"ai_chat"`,
/// `"research"` and `"email_notifications"`.
#[pyclass(module = "healing.consent")]
#[derive(Debug, Clone)]
pub(crate) struct Ledger {
    inner: consent::Ledger,
}

#[pymethods]
impl Ledger {
    /// An empty ledger for `person` (an opaque id, never a name or NHS number).
    #[new]
    fn new(person: &str) -> Result<Self, Error> {
        Ok(Self {
            inner: consent::Ledger::new(person_id(person)?),
        })
    }

    /// Rebuilds a ledger from event dicts in the form `events()` returns; raises
    /// ConsentError (kind `replay`) naming the first event that cannot be appended.
    #[staticmethod]
    fn replay(person: &str, events: &Bound<'_, PyAny>) -> Result<Self, Error> {
        let events: Vec<ConsentEvent> = from_python(events, "consent events")?;
        Ok(Self {
            inner: consent::Ledger::replay(person_id(person)?, events)?,
        })
    }

    /// The person the ledger is about.
    #[getter]
    fn person(&self) -> &str {
        self.inner.person().as_str()
    }

    /// Records a grant of `purpose` at `at` (aware datetime or RFC 3339 string)
    /// after the person was shown wording `wording_version`. `recorded_by` is None
    /// when the person entered it themselves, else the staff member's id.
    /// Raises ConsentError for an event that makes no sense (out of order,
    /// already granted with the same wording, …); the ledger is then unchanged.
    #[pyo3(signature = (purpose, at, wording_version, *, recorded_by = None))]
    fn grant(
        &mut self,
        purpose: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        wording_version: &str,
        recorded_by: Option<&str>,
    ) -> Result<(), Error> {
        self.append_decision(Decision::Grant, purpose, at, wording_version, recorded_by)
    }

    /// Records a withdrawal of `purpose` at `at`; arguments as for `grant`.
    /// Raises ConsentError when the purpose was never granted or is already withdrawn.
    #[pyo3(signature = (purpose, at, wording_version, *, recorded_by = None))]
    fn withdraw(
        &mut self,
        purpose: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        wording_version: &str,
        recorded_by: Option<&str>,
    ) -> Result<(), Error> {
        self.append_decision(
            Decision::Withdraw,
            purpose,
            at,
            wording_version,
            recorded_by,
        )
    }

    /// Whether `purpose` is allowed at the instant `at`.
    fn is_allowed(&self, purpose: &Bound<'_, PyAny>, at: &Bound<'_, PyAny>) -> Result<bool, Error> {
        Ok(self.inner.is_allowed(purpose_of(purpose)?, timestamp(at)?))
    }

    /// The half-open periods `[from, until)` during which `purpose` was allowed, as
    /// dicts with `from`, `until` (None while still allowed) and `wording_version`.
    fn allowed_periods<'py>(
        &self,
        py: Python<'py>,
        purpose: &Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.allowed_periods(purpose_of(purpose)?))
    }

    /// Every purpose granted at `at`, as a dict `{"at": str, "grants": [...]}`.
    fn state_at<'py>(
        &self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.state_at(timestamp(at)?))
    }

    /// The events in the order they were appended, as dicts.
    fn events<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner.events())
    }

    /// The stable JSON form of the ledger as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        to_python(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Ledger(person='{}', events={})",
            self.inner.person(),
            self.inner.events().len()
        )
    }
}

impl Ledger {
    /// The core ledger.
    pub(crate) fn core(&self) -> &consent::Ledger {
        &self.inner
    }

    /// Builds one event and appends it with the core's checks.
    fn append_decision(
        &mut self,
        decision: Decision,
        purpose: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        wording_version: &str,
        recorded_by: Option<&str>,
    ) -> Result<(), Error> {
        let event = ConsentEvent {
            person: self.inner.person().clone(),
            purpose: purpose_of(purpose)?,
            decision,
            at: timestamp(at)?,
            wording_version: WordingVersion::new(wording_version)?,
            recorded_by: match recorded_by {
                None => RecordedBy::Subject,
                Some(staff) => RecordedBy::Staff(person_id(staff)?),
            },
        };
        Ok(self.inner.append(event)?)
    }
}

/// Reads a purpose name (`"research"`).
fn purpose_of(purpose: &Bound<'_, PyAny>) -> Result<Purpose, Error> {
    if !purpose.is_instance_of::<PyString>() {
        return Err(Error::InvalidInput {
            what: "purpose",
            reason: "a purpose is a string such as 'research'".to_owned(),
        });
    }
    from_python(purpose, "purpose")
}

/// The names of every purpose, in declaration order.
#[pyfunction]
fn purposes() -> Vec<&'static str> {
    Purpose::ALL.iter().map(|purpose| purpose.name()).collect()
}

/// Builds the `healing._native.consent` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Ledger>()?;
    module.add_function(wrap_pyfunction!(purposes, module)?)?;
    Ok(())
}
