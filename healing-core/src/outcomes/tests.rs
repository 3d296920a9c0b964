//! Unit tests of outcomes.
