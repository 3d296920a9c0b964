//! scoring (being written).
