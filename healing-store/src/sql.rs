//! The SQL both back ends share, written once as ordinary Rust and compiled once for each.
//!
//! SQLite and PostgreSQL agree on everything this store needs: `$N` placeholders
//! (sqlx maps them for SQLite), `ON CONFLICT … DO UPDATE`, `RETURNING`, and the
//! column types chosen in `migrations/` (BIGINT seconds, TEXT ids and JSON, BLOB or
//! BYTEA ciphertext; Rust `bool` is stored as 0/1 by sqlx's SQLite driver and as
//! BOOLEAN in PostgreSQL). sqlx's generic bounds across databases are unwieldy, and
//! `sqlx::Any` cannot carry booleans and timestamps across both, so the text is shared
//! at the module level instead.
//!
//! The files in `sql/` — `common.rs`, then one per area: `accounts.rs`, `clinical.rs`,
//! `alerting.rs`, `messaging.rs` and `audit.rs` — are written against the aliases
//! `SqlStore`, `Db`, `DbRow` and the constants `BACKEND`, `ROW_LOCK` and
//! `SKIP_LOCKED`. `sqlite.rs` and `postgres.rs` each define those for their back end
//! and include every file as a child module with `#[path = "sql/….rs"] mod …;`, so
//! each file compiles twice while rustfmt, clippy and rust-analyzer see ordinary code. What differs — opening a write transaction and
//! serialising audit appends — lives in `sqlite.rs` and `postgres.rs` as the inherent
//! methods `begin_write` and `lock_audit_chain`.

/// The number of rows a statement changed, for both drivers' result types.
pub(crate) trait AffectedRows {
    /// Rows changed.
    fn affected(&self) -> u64;
}

impl AffectedRows for sqlx::sqlite::SqliteQueryResult {
    fn affected(&self) -> u64 {
        self.rows_affected()
    }
}

impl AffectedRows for sqlx::postgres::PgQueryResult {
    fn affected(&self) -> u64 {
        self.rows_affected()
    }
}
