//! Conformance tests of `healing_store`: every test in `conformance.rs` runs once
//! against SQLite (a fresh file in a temporary directory) and once against PostgreSQL
//! (a fresh database created from `HEALING_TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`, and dropped afterwards), so tests are
//! isolated and can run in parallel.

mod appointments;
mod caseload;
mod chat;
mod community;
mod conformance;
mod connect;
mod harness;
mod messages;
mod pure;
