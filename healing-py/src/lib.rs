//! The native part of the `healing` Python package (PyO3): thin bindings over
//! `healing-core`, one submodule per core module.
//!
//! Nothing clinical is decided here: every rule, threshold and check runs in
//! healing-core, and this crate only converts Python values in and results out
//! (see `convert.rs`) and maps core errors onto one exception hierarchy
//! (`errors.rs`). The pure-Python package in `python/healing/` re-exports these
//! functions under `healing.scoring`, `healing.outcomes`, … and adds the optional
//! pandas/pyarrow glue. `healing.plugins` binds the WebAssembly plugin host
//! (`healing-plugins`) the same way. The README explains building and testing.
#![forbid(unsafe_code)]

mod batch;
mod consent;
mod convert;
mod errors;
mod fhir;
mod mood;
mod outcomes;
mod pet;
mod plugins;
mod research;
mod safety;
mod scoring;

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Native core of the healing package; import `healing` instead.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(module)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    add_submodule(module, "scoring", scoring::register)?;
    add_submodule(module, "outcomes", outcomes::register)?;
    add_submodule(module, "mood", mood::register)?;
    add_submodule(module, "consent", consent::register)?;
    add_submodule(module, "pet", pet::register)?;
    add_submodule(module, "safety", safety::register)?;
    add_submodule(module, "research", research::register)?;
    add_submodule(module, "fhir", fhir::register)?;
    add_submodule(module, "plugins", plugins::register)?;
    Ok(())
}

/// Creates `healing._native.<name>`, fills it with `register`, and puts it in
/// `sys.modules` so that `from healing._native.<name> import …` works (PyO3
/// submodules are attributes, not importable packages, until registered there).
fn add_submodule(
    parent: &Bound<'_, PyModule>,
    name: &str,
    register: fn(&Bound<'_, PyModule>) -> PyResult<()>,
) -> PyResult<()> {
    let py = parent.py();
    let child = PyModule::new(py, name)?;
    register(&child)?;
    parent.add_submodule(&child)?;
    let qualified = format!("healing._native.{name}");
    child.setattr("__name__", &qualified)?;
    let modules = py.import("sys")?.getattr("modules")?;
    modules.cast::<PyDict>()?.set_item(qualified, &child)?;
    Ok(())
}
