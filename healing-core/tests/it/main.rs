//! The one integration-test binary of healing-core: it uses only the public API.

mod consent;
#[cfg(feature = "fhir")]
mod fhir;
mod mood;
mod outcomes;
mod pet;
mod safety;
mod scoring;
mod tidy;
