//! Unit tests of the pet engine.
