//! Embeddable clinical building blocks for mental-health care: score validated
//! questionnaires, measure NHS Talking Therapies outcomes, summarise mood, keep a
//! consent ledger, flag risk in free text and run the companion pet.
//!
//! This crate does no I/O. It reads no clock, file, network, environment or
//! randomness: callers pass times ([`timestamp::Timestamp`]) and ids
//! ([`ids::PersonId`]) in, and store what comes out. ARCHITECTURE.md at the
//! repository root has the map.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod consent;
/// FHIR R4 export, import and signing (cargo feature `fhir`).
#[cfg(feature = "fhir")]
pub mod fhir;
pub mod ids;
pub mod mood;
pub mod outcomes;
pub mod pet;
pub mod research;
pub mod safety;
pub mod scoring;
pub mod timestamp;
pub mod wire_name;

/// The Rust snippets of the repository README, compiled and run as doctests so they
/// cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
