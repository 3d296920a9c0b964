//! Conformance tests of healing_core::store, run against SQLite and PostgreSQL.
