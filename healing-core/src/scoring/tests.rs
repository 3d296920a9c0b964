//! Unit tests of scoring.
