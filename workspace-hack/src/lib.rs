//! Empty on purpose: this crate exists for its `Cargo.toml`.
//!
//! `cargo hakari` lists there every dependency with the union of the features the
//! workspace turns on. healing-py depends on it, so when maturin builds healing-py
//! alone, cargo resolves the same features as the workspace build and reuses its
//! artefacts instead of compiling wasmtime, fhir-sdk and sqlx again. Regenerate it
//! with `cargo hakari generate` after changing any dependency.
