//! safety (being written).
