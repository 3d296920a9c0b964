//! pet (being written).
