//! Unit tests of safety.
