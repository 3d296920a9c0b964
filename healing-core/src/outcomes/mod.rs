//! outcomes (being written).
