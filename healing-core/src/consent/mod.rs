//! consent (being written).
