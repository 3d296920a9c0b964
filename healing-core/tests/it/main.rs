//! The one integration-test binary of healing-core: it uses only the public API.

mod consent;
mod mood;
mod outcomes;
mod pet;
mod safety;
mod scoring;
mod tidy;
