//! `healing.safety`: risk screening of free text, over `healing_core::safety`.
//!
//! `assess_many` and `assess_columns` spread a batch over worker threads that
//! run without the GIL, while the calling thread builds the Python results
//! (`batch.rs`); results always come back in input order. Every assessment is
//! the core's `safety::assess`, unchanged, or, through `Engine`, a core
//! `safety::Engine` with risk-rule plugins added as rules.

use std::collections::HashMap;
use std::num::NonZeroUsize;

use healing_core::safety::{self, Category, Context, RiskLevel, Source};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::batch::assess_in_order;
use crate::convert::{from_python, to_python};
use crate::errors::Error;
use crate::plugins::RiskRule;

/// The engine's answer for one text: its risk level, categories and the evidence.
#[pyclass(module = "healing.safety", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct Assessment {
    inner: safety::Assessment,
}

#[pymethods]
impl Assessment {
    /// `"none"`, `"low"`, `"medium"`, `"high"` or `"critical"`.
    #[getter]
    fn level(&self) -> &'static str {
        self.inner.level.as_str()
    }

    /// The categories at medium or above (`"suicide"`, `"self_harm"`,
    /// `"harm_to_others"`, `"safeguarding"`, `"third_party"`), in a fixed order.
    #[getter]
    fn categories(&self) -> Vec<&'static str> {
        self.inner
            .categories
            .iter()
            .map(|category| category.as_str())
            .collect()
    }

    /// The evidence: dicts with `rule`, `start`, `end` (byte offsets into the
    /// UTF-8 text), `level`, `categories` and `reason`.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(to_python(py, &self.inner.findings)?)
    }

    /// Words matched but set aside (negated, past, fiction), for reviewers.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.inner.notes.clone()
    }

    /// The lexicon version that produced this assessment.
    #[getter]
    fn rules_version(&self) -> &str {
        &self.inner.rules_version
    }

    /// The stable JSON form of this assessment as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(to_python(py, &self.inner)?)
    }

    fn __repr__(&self) -> String {
        format!(
            "Assessment(level='{}', categories={:?}, findings={})",
            self.inner.level,
            self.categories(),
            self.inner.findings.len()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Assessment>()
            .is_ok_and(|other| other.get().inner == self.inner)
    }
}

impl Assessment {
    /// The core assessment.
    pub(crate) fn core(&self) -> &safety::Assessment {
        &self.inner
    }
}

/// Assesses one text with the built-in rules. Never fails on any text.
///
/// `source` says where the text came from (`"chat"`, `"mood_note"`, `"journal"`,
/// `"message"`, `"community"`, `"clinical_note"`, `"unknown"`); `recent_levels`
/// are the levels of the writer's recent messages, oldest first.
#[pyfunction]
#[pyo3(signature = (text, *, source = None, recent_levels = None))]
fn assess(
    py: Python<'_>,
    text: &str,
    source: Option<&Bound<'_, PyAny>>,
    recent_levels: Option<&Bound<'_, PyAny>>,
) -> Result<Assessment, Error> {
    let context = context_of(source, recent_levels)?;
    let inner = py.detach(|| safety::assess(text, &context));
    Ok(Assessment { inner })
}

/// Assesses every text of a sequence, in input order, releasing the GIL and using
/// `threads` workers (default: every core) for batches of 1024 texts or more.
#[pyfunction]
#[pyo3(signature = (texts, *, source = None, threads = None))]
fn assess_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    source: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
) -> Result<Bound<'py, PyList>, Error> {
    assessments_list(py, texts, source, threads, safety::assess)
}

/// The body of every `assess_many`: each text of `texts` assessed with `assess`
/// on `threads` workers, as a list of `Assessment` objects in input order.
fn assessments_list<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    source: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
    assess: impl Fn(&str, &Context) -> safety::Assessment + Sync,
) -> Result<Bound<'py, PyList>, Error> {
    let context = context_of(source, None)?;
    let owned = strings_of(texts, false)?;
    let borrowed = borrow_all(&owned)?;
    let workers = worker_count(threads)?;
    // Every #[pyclass] object is tracked by Python's cycle collector, so making a
    // million of them would run the collector hundreds of times over the growing
    // batch (about a third of the cost). These objects hold no references and
    // cannot form cycles, so the collector is paused while they are made and
    // restored (only if it was on) when the guard drops, error or not.
    let _paused = CollectorPause::new(py)?;
    let list = PyList::empty(py);
    assess_in_order(
        py,
        &borrowed,
        workers,
        |text| assess(text, &context),
        |assessed| {
            for inner in assessed {
                list.append(Bound::new(py, Assessment { inner })?)?;
            }
            Ok(())
        },
    )?;
    Ok(list)
}

/// Pauses Python's cycle collector for its lifetime, if it was running.
struct CollectorPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> CollectorPause<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import("gc")?;
        if gc.call_method0("isenabled")?.is_truthy()? {
            gc.call_method0("disable")?;
            Ok(Self { gc: Some(gc) })
        } else {
            Ok(Self { gc: None })
        }
    }
}

impl Drop for CollectorPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            // Re-enabling cannot fail in CPython; if it ever did, the error goes to
            // sys.unraisablehook (a Drop cannot raise) rather than being lost.
            if let Err(error) = gc.call_method0("enable") {
                error.write_unraisable(gc.py(), None);
            }
        }
    }
}

/// Assesses a column of texts and returns columns (a dict of equal-length lists)
/// without building one object per text: `level`, `categories` (names joined by
/// `;`), `findings` (how many), `rules` (rule ids joined by `;`) and
/// `rules_version`. A None text is not assessed and gets None in every column.
/// Threads as in `assess_many`. This is the engine behind `assess_series` and
/// `assess_arrow`.
#[pyfunction]
#[pyo3(signature = (texts, *, source = None, threads = None))]
fn assess_columns<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    source: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
) -> Result<Bound<'py, PyDict>, Error> {
    let context = context_of(source, None)?;
    let owned = strings_of(texts, true)?;
    let borrowed = borrow_all(&owned)?;
    let workers = worker_count(threads)?;

    // One Python string per level, shared by every row that has it.
    let level_names: Vec<Bound<'py, PyString>> = RiskLevel::ALL
        .iter()
        .map(|level| PyString::intern(py, level.as_str()))
        .collect();
    let mut columns = Columns::new(py);
    // Rows in input order; a None text has no assessment and gets a row of None.
    let mut rows = owned.iter();
    assess_in_order(
        py,
        &borrowed,
        workers,
        // The row is made on the worker, which frees the assessment itself.
        |text| Row::of(&safety::assess(text, &context)),
        |assessed| {
            for row in assessed {
                // Rows of None up to the text this row is for.
                while let Some(None) = rows.next() {
                    columns.push_missing(py)?;
                }
                columns.push(&row, &level_names)?;
            }
            Ok(())
        },
    )?;
    for _ in rows {
        columns.push_missing(py)?;
    }
    columns.into_dict(py)
}

/// What `assess_columns` keeps of one assessment: no heap memory unless the
/// text has findings (or the rules version is not the built-in one).
struct Row {
    level: RiskLevel,
    categories: Vec<Category>,
    findings: usize,
    /// Rule ids joined by `;`.
    rules: String,
    /// `None` when it is the built-in lexicon's version.
    rules_version: Option<String>,
}

impl Row {
    fn of(assessment: &safety::Assessment) -> Row {
        let mut rules = String::new();
        for finding in &assessment.findings {
            if !rules.is_empty() {
                rules.push(';');
            }
            rules.push_str(&finding.rule);
        }
        Row {
            level: assessment.level,
            categories: assessment.categories.clone(),
            findings: assessment.findings.len(),
            rules,
            rules_version: (assessment.rules_version != safety::rules_version())
                .then(|| assessment.rules_version.clone()),
        }
    }
}

/// The columns `assess_columns` returns, filled row by row.
struct Columns<'py> {
    levels: Bound<'py, PyList>,
    categories: Bound<'py, PyList>,
    findings: Bound<'py, PyList>,
    rules: Bound<'py, PyList>,
    versions: Bound<'py, PyList>,
    /// One Python string per distinct cell text seen so far (categories, rule
    /// lists, the rules version repeat across rows), so that building a
    /// column is mostly appending shared strings: this runs on the calling
    /// thread while the workers assess, and the less it costs, the better a
    /// batch scales.
    texts: HashMap<String, Bound<'py, PyString>>,
    /// Scratch space for joining names, reused across rows.
    joined: String,
}

/// Distinct cell texts kept for reuse; beyond this, rare texts are made afresh.
const SHARED_TEXTS_MAX: usize = 4096;

impl<'py> Columns<'py> {
    fn new(py: Python<'py>) -> Self {
        Columns {
            levels: PyList::empty(py),
            categories: PyList::empty(py),
            findings: PyList::empty(py),
            rules: PyList::empty(py),
            versions: PyList::empty(py),
            texts: HashMap::new(),
            joined: String::new(),
        }
    }

    /// A row of None, for a text that was None.
    fn push_missing(&self, py: Python<'py>) -> PyResult<()> {
        for column in [
            &self.levels,
            &self.categories,
            &self.findings,
            &self.rules,
            &self.versions,
        ] {
            column.append(py.None())?;
        }
        Ok(())
    }

    /// One assessment's row.
    fn push(&mut self, row: &Row, level_names: &[Bound<'py, PyString>]) -> PyResult<()> {
        let py = self.levels.py();
        let level_index = RiskLevel::ALL
            .iter()
            .position(|level| *level == row.level)
            .unwrap_or(0);
        match level_names.get(level_index) {
            Some(name) => self.levels.append(name)?,
            None => self.levels.append(row.level.as_str())?,
        }
        let names = row.categories.iter().map(|category| category.as_str());
        let categories = self.joined_text(py, names);
        self.categories.append(categories)?;
        self.findings.append(row.findings)?;
        let rules = self.shared_text(py, &row.rules);
        self.rules.append(rules)?;
        let version = row
            .rules_version
            .as_deref()
            .unwrap_or(safety::rules_version());
        let version = self.shared_text(py, version);
        self.versions.append(version)
    }

    /// `names` joined by `;`, as a shared Python string.
    fn joined_text<'a>(
        &mut self,
        py: Python<'py>,
        names: impl Iterator<Item = &'a str>,
    ) -> Bound<'py, PyString> {
        let mut joined = std::mem::take(&mut self.joined);
        joined.clear();
        for name in names {
            if !joined.is_empty() {
                joined.push(';');
            }
            joined.push_str(name);
        }
        let text = self.shared_text(py, &joined);
        self.joined = joined;
        text
    }

    /// `text` as a Python string, shared with earlier rows that had it.
    fn shared_text(&mut self, py: Python<'py>, text: &str) -> Bound<'py, PyString> {
        if let Some(shared) = self.texts.get(text) {
            return shared.clone();
        }
        let made = PyString::new(py, text);
        if self.texts.len() < SHARED_TEXTS_MAX {
            self.texts.insert(text.to_owned(), made.clone());
        }
        made
    }

    fn into_dict(self, py: Python<'py>) -> Result<Bound<'py, PyDict>, Error> {
        let columns = PyDict::new(py);
        columns.set_item("level", self.levels)?;
        columns.set_item("categories", self.categories)?;
        columns.set_item("findings", self.findings)?;
        columns.set_item("rules", self.rules)?;
        columns.set_item("rules_version", self.versions)?;
        Ok(columns)
    }
}

/// The version of the built-in lexicon.
#[pyfunction]
fn rules_version() -> &'static str {
    safety::rules_version()
}

/// The risk levels, lowest first.
#[pyfunction]
fn levels() -> Vec<&'static str> {
    RiskLevel::ALL.iter().map(|level| level.as_str()).collect()
}

/// Builds a context from the optional Python arguments.
pub(crate) fn context_of(
    source: Option<&Bound<'_, PyAny>>,
    recent_levels: Option<&Bound<'_, PyAny>>,
) -> Result<Context, Error> {
    let source: Source = match source {
        Some(source) => from_python(source, "source")?,
        None => Source::Unknown,
    };
    let recent_levels: Vec<RiskLevel> = match recent_levels {
        Some(levels) => from_python(levels, "recent_levels")?,
        None => Vec::new(),
    };
    Ok(Context {
        source,
        recent_levels,
    })
}

/// The texts of a Python sequence; `None` items are kept as `None` only when
/// `allow_missing`, otherwise every item must be a str.
fn strings_of<'py>(
    texts: &Bound<'py, PyAny>,
    allow_missing: bool,
) -> Result<Vec<Option<Bound<'py, PyString>>>, Error> {
    if texts.is_instance_of::<PyString>() {
        return Err(Error::InvalidInput {
            what: "texts",
            reason: "expected a sequence of strings, got one string".to_owned(),
        });
    }
    let mut strings = Vec::with_capacity(texts.len().unwrap_or(0));
    for (position, item) in texts.try_iter()?.enumerate() {
        let item = item?;
        if allow_missing && item.is_none() {
            strings.push(None);
            continue;
        }
        match item.cast_into::<PyString>() {
            Ok(text) => strings.push(Some(text)),
            Err(_) => {
                return Err(Error::InvalidInput {
                    what: "texts",
                    reason: format!("item {position} is not a string"),
                });
            }
        }
    }
    Ok(strings)
}

/// Borrows the UTF-8 of every string present, in order (None items are skipped).
fn borrow_all<'a>(owned: &'a [Option<Bound<'_, PyString>>]) -> Result<Vec<&'a str>, Error> {
    let mut borrowed = Vec::with_capacity(owned.len());
    for text in owned.iter().flatten() {
        borrowed.push(text.to_str()?);
    }
    Ok(borrowed)
}

/// The number of workers: `threads` if given (at least 1), else every core.
fn worker_count(threads: Option<usize>) -> Result<usize, Error> {
    match threads {
        Some(0) => Err(Error::InvalidInput {
            what: "threads",
            reason: "threads must be at least 1".to_owned(),
        }),
        Some(count) => Ok(count),
        None => Ok(std::thread::available_parallelism().map_or(1, NonZeroUsize::get)),
    }
}

/// A risk engine with the built-in rules plus risk-rule plugins, for screening
/// text the way a deployment with those plugins does. A plugin's findings can
/// raise an assessment's level, never lower it; a plugin call that fails is a
/// High finding `plugin/<id>/failed` (fail closed), never an exception.
#[pyclass(module = "healing.safety", frozen)]
pub(crate) struct Engine {
    inner: safety::Engine,
    plugins: Vec<String>,
}

#[pymethods]
impl Engine {
    /// `plugins` is a sequence of `healing.plugins.RiskRule` (for example from
    /// `PluginHost.load`); with none, the engine is the same as `assess`.
    #[new]
    #[pyo3(signature = (*, plugins = None))]
    fn new(plugins: Option<&Bound<'_, PyAny>>) -> Result<Self, Error> {
        let mut rules = Vec::new();
        if let Some(plugins) = plugins {
            if plugins.is_instance_of::<PyString>() {
                return Err(not_a_rule(0));
            }
            for (position, item) in plugins.try_iter()?.enumerate() {
                let item = item?;
                let rule = item.cast::<RiskRule>().map_err(|_| not_a_rule(position))?;
                rules.push(rule.clone());
            }
        }
        Engine::with_plugins(rules.iter().map(Bound::get))
    }

    /// The ids of the plugins whose rules this engine runs, in order.
    #[getter]
    fn plugins(&self) -> Vec<String> {
        self.plugins.clone()
    }

    /// The version of the built-in lexicon the engine uses.
    #[getter]
    fn rules_version(&self) -> &str {
        self.inner.rules_version()
    }

    /// Assesses one text, as `healing.safety.assess` with the plugins' rules added.
    #[pyo3(signature = (text, *, source = None, recent_levels = None))]
    fn assess(
        &self,
        py: Python<'_>,
        text: &str,
        source: Option<&Bound<'_, PyAny>>,
        recent_levels: Option<&Bound<'_, PyAny>>,
    ) -> Result<Assessment, Error> {
        let context = context_of(source, recent_levels)?;
        let engine = &self.inner;
        let inner = py.detach(|| engine.assess(text, &context));
        Ok(Assessment { inner })
    }

    /// Assesses a sequence of texts in input order with the GIL released, as
    /// `healing.safety.assess_many` with the plugins' rules added.
    #[pyo3(signature = (texts, *, source = None, threads = None))]
    fn assess_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        source: Option<&Bound<'py, PyAny>>,
        threads: Option<usize>,
    ) -> Result<Bound<'py, PyList>, Error> {
        let engine = &self.inner;
        assessments_list(py, texts, source, threads, |text, context| {
            engine.assess(text, context)
        })
    }

    fn __repr__(&self) -> String {
        format!("Engine(plugins={:?})", self.plugins)
    }
}

impl Engine {
    /// The standard engine with each plugin's rule added, in order.
    pub(crate) fn with_plugins<'a>(
        plugins: impl Iterator<Item = &'a RiskRule>,
    ) -> Result<Engine, Error> {
        let mut inner = safety::Engine::standard().map_err(|error| Error::Output {
            reason: format!("the built-in risk lexicon did not load: {error}"),
        })?;
        let mut ids = Vec::new();
        for plugin in plugins {
            ids.push(plugin.plugin_id().to_owned());
            inner = inner.with_shared_rule(plugin.rule());
        }
        Ok(Engine {
            inner,
            plugins: ids,
        })
    }
}

/// The error for an item of `plugins` that is not a risk rule.
fn not_a_rule(position: usize) -> Error {
    Error::InvalidInput {
        what: "plugins",
        reason: format!(
            "item {position} is not a healing.plugins.RiskRule (CBT tools do not assess text)"
        ),
    }
}

/// Builds the `healing._native.safety` submodule.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Assessment>()?;
    module.add_class::<Engine>()?;
    module.add_function(wrap_pyfunction!(assess, module)?)?;
    module.add_function(wrap_pyfunction!(assess_many, module)?)?;
    module.add_function(wrap_pyfunction!(assess_columns, module)?)?;
    module.add_function(wrap_pyfunction!(rules_version, module)?)?;
    module.add_function(wrap_pyfunction!(levels, module)?)?;
    Ok(())
}
