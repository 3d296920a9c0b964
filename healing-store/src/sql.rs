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
//! `caseload.rs`, `alerting.rs`, `messaging.rs`, `community.rs`, `safety_plan.rs`, `tool_runs.rs`, `chat.rs`, `appointments.rs`, `notifications.rs` and `audit.rs` — are written against the aliases
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

/// Counts the connections a store takes from its pool: every statement run on the
/// pool takes one, and so does every transaction. It is counted where sqlx hands a
/// connection out (`after_connect` for a new one, `before_acquire` for an idle one),
/// below every store method, so a test can tell how many round trips a read makes
/// whatever code path it takes (the caseload's fixed number of queries).
#[derive(Debug, Clone, Default)]
pub(crate) struct AcquireCounter(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl AcquireCounter {
    /// Counts one connection handed out.
    pub(crate) fn count(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Connections handed out so far.
    pub(crate) fn total(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The pool hooks that count, for `PoolOptions::after_connect` and
    /// `PoolOptions::before_acquire`.
    pub(crate) fn hooks<DB: sqlx::Database>(&self) -> (ConnectHook<DB>, AcquireHook<DB>) {
        let on_connect = self.clone();
        let on_acquire = self.clone();
        (
            Box::new(move |_, _| {
                on_connect.count();
                Box::pin(async { Ok(()) })
            }),
            Box::new(move |_, _| {
                on_acquire.count();
                Box::pin(async { Ok(true) })
            }),
        )
    }
}

/// sqlx's `after_connect` callback type.
pub(crate) type ConnectHook<DB> = Box<
    dyn for<'c> Fn(
            &'c mut <DB as sqlx::Database>::Connection,
            sqlx::pool::PoolConnectionMetadata,
        ) -> futures_core::future::BoxFuture<'c, Result<(), sqlx::Error>>
        + Send
        + Sync,
>;

/// sqlx's `before_acquire` callback type.
pub(crate) type AcquireHook<DB> = Box<
    dyn for<'c> Fn(
            &'c mut <DB as sqlx::Database>::Connection,
            sqlx::pool::PoolConnectionMetadata,
        ) -> futures_core::future::BoxFuture<'c, Result<bool, sqlx::Error>>
        + Send
        + Sync,
>;
