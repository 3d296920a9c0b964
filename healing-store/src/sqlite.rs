//! The SQLite back end: the embedded default, in WAL mode with `synchronous = FULL`.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::alerting::AlertingPolicy;
use super::audit::{AuditEntry, AuditRecord};
use super::cipher::FieldCipher;
use super::error::from_sqlx;
use super::group_commit::GroupCommit;
use super::records::Backend;
use super::sql::AcquireCounter;
use super::{AccessMode, ConnectOptions};

/// SQLite has no row locks; `BEGIN IMMEDIATE` already holds the only write lock.
const ROW_LOCK: &str = "";

/// Picking due rows for one worker needs no lock clause either: the write lock is
/// the database's.
const SKIP_LOCKED: &str = "";

/// How long a connection waits for another writer's lock before failing with "busy".
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`Store`](super::Store) on a SQLite file.
///
/// Settings, applied to every connection:
/// - `journal_mode = WAL`: readers never block the writer or each other.
/// - `synchronous = FULL`: in WAL mode `NORMAL` syncs only at checkpoints, so the last
///   transactions acknowledged before a power loss or OS crash can be lost; `FULL`
///   syncs the WAL at every commit, so every acknowledged write survives. The cost is
///   one fsync per commit.
/// - `foreign_keys = ON`, so references are enforced (SQLite's default is off).
/// - `busy_timeout = 5 s`; and every write transaction starts with `BEGIN IMMEDIATE`,
///   which takes the write lock up front, so two writers queue instead of failing
///   when a read transaction tries to become a write one.
///
/// The pool does not ping a connection before handing it out (sqlx's default):
/// a connection to a file in this process cannot go stale the way a network one
/// can, and the ping is a round trip to the connection's thread on every statement.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) pool: sqlx::SqlitePool,
    pub(crate) cipher: Arc<FieldCipher>,
    pub(crate) read_only: bool,
    pub(crate) alerting: AlertingPolicy,
    /// Whether notifications may queue emails ([`ConnectOptions::notification_email`]).
    pub(crate) notification_email: bool,
    /// Woken after a commit that queued alert deliveries (see
    /// [`AlertDeliveryStore::deliveries_queued`](crate::AlertDeliveryStore::deliveries_queued)).
    pub(crate) deliveries_queued: Arc<tokio::sync::Notify>,
    pub(crate) acquisitions: AcquireCounter,
    /// Audit appends waiting for the next group commit ([`crate::group_commit`]).
    pub(crate) audit_appends: GroupCommit<AuditEntry, AuditRecord>,
}

impl SqliteStore {
    /// Opens (and, with `mode=rwc` in the URL, creates) the database at `url`, for
    /// example `sqlite://data/healing.db?mode=rwc`. The folder must exist. An in-memory
    /// database (`sqlite::memory:`) is held on a single connection, since each
    /// connection would otherwise see its own empty database.
    pub async fn connect(url: &str, options: ConnectOptions) -> Result<Self, super::Error> {
        let read_only = options.access == AccessMode::ReadOnly;
        let connect = SqliteConnectOptions::from_str(url)
            .map_err(|error| super::Error::InvalidUrl {
                reason: format!("not a valid sqlite url: {error}"),
            })?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT)
            .read_only(read_only);
        // Each connection to an in-memory database gets its own empty database, so an
        // in-memory store must use exactly one connection.
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let max_connections = if in_memory {
            1
        } else {
            options.max_connections.unwrap_or_else(default_pool_size)
        };
        let acquisitions = AcquireCounter::default();
        let (on_connect, on_acquire) = acquisitions.hooks::<sqlx::Sqlite>();
        let pool = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .after_connect(on_connect)
            .before_acquire(on_acquire)
            .max_connections(max_connections)
            .connect_with(connect)
            .await
            .map_err(from_sqlx)?;
        Ok(Self {
            pool,
            cipher: options.cipher,
            read_only,
            alerting: options.alerting,
            notification_email: options.notification_email,
            deliveries_queued: Arc::default(),
            acquisitions,
            audit_appends: GroupCommit::default(),
        })
    }

    /// How many times a connection has been taken from the pool since the store was
    /// opened: once per statement run outside a transaction and once per
    /// transaction. Tests read it to check that a read makes a fixed number of
    /// queries however many rows it covers.
    pub fn pool_acquisitions(&self) -> u64 {
        self.acquisitions.total()
    }

    /// The connection pool, for tests and operator tools that need raw SQL.
    pub fn pool(&self) -> &sqlx::SqlitePool {
        &self.pool
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, super::Error> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(from_sqlx)
    }

    /// `BEGIN IMMEDIATE` already holds the database's single write lock, so audit
    /// appends are serialised without anything more.
    async fn lock_audit_chain(
        _tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    ) -> Result<(), super::Error> {
        Ok(())
    }
}

impl SqliteStore {
    /// Rewrites the database file without the pages that held deleted or replaced
    /// values (`VACUUM`), then empties the WAL, which still holds copies of them. Run
    /// once, after migration 0008 drops the clear questionnaire columns.
    async fn scrub_free_space(&self) -> Result<(), super::Error> {
        sqlx::query("VACUUM")
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }
}

/// Pool size for SQLite: one writer at a time whatever the size, so the pool only
/// needs enough connections for concurrent readers — two per CPU, between 4 and 16.
fn default_pool_size() -> u32 {
    let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    u32::try_from(cpus.saturating_mul(2))
        .unwrap_or(16)
        .clamp(4, 16)
}

// The shared SQL (see `sql.rs`), compiled for this back end.
type SqlStore = SqliteStore;
type Db = sqlx::Sqlite;
type DbRow = sqlx::sqlite::SqliteRow;
const BACKEND: Backend = Backend::Sqlite;

#[path = "sql/common.rs"]
mod common;

#[path = "sql/accounts.rs"]
mod accounts;

#[macro_use]
#[path = "sql/clinical.rs"]
mod clinical;

#[path = "sql/care.rs"]
mod care;
#[path = "sql/caseload.rs"]
mod caseload;

#[path = "sql/alerting.rs"]
mod alerting;

#[path = "sql/messaging.rs"]
mod messaging;

#[path = "sql/community.rs"]
mod community;

#[path = "sql/safety_plan.rs"]
mod safety_plan;

#[path = "sql/tool_runs.rs"]
mod tool_runs;

#[path = "sql/notifications.rs"]
mod notifications;

#[path = "sql/chat.rs"]
mod chat;

#[path = "sql/appointments.rs"]
mod appointments;

#[path = "sql/audit.rs"]
mod audit;
