//! mood (being written).
