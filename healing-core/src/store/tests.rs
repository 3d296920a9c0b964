//! Unit tests of the store's pure parts: field encryption and the audit chain.
