//! The PostgreSQL back end, for production and for several server processes sharing one database.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::alerting::AlertingPolicy;
use super::audit::{AuditEntry, AuditRecord};
use super::cipher::FieldCipher;
use super::error::from_sqlx;
use super::group_commit::GroupCommit;
use super::records::Backend;
use super::sql::AcquireCounter;
use super::{AccessMode, ConnectOptions};

/// Locks the selected rows until commit, so read-modify-write sequences do not race.
const ROW_LOCK: &str = "FOR UPDATE";

/// Picks due rows another process has not already locked, so that each alert is
/// escalated, and each delivery claimed, by one process only.
const SKIP_LOCKED: &str = "FOR UPDATE SKIP LOCKED";

/// The advisory-lock key that serialises audit appends across every server process
/// ("healing" on a phone keypad, an arbitrary constant no other code uses).
const AUDIT_CHAIN_LOCK: i64 = 4_325_464;

/// A [`Store`](super::Store) on PostgreSQL.
///
/// Transactions run at PostgreSQL's default READ COMMITTED isolation; writes that must
/// not race are single conditional statements (`UPDATE … WHERE used_at IS NULL`) or
/// take a transaction-scoped advisory lock (audit appends).
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pub(crate) pool: sqlx::PgPool,
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

impl PostgresStore {
    /// Connects to `url`, for example `postgres://healing@db.internal/healing`.
    pub async fn connect(url: &str, options: ConnectOptions) -> Result<Self, super::Error> {
        let read_only = options.access == AccessMode::ReadOnly;
        let mut connect =
            PgConnectOptions::from_str(url).map_err(|error| super::Error::InvalidUrl {
                reason: format!("not a valid postgres url: {error}"),
            })?;
        if read_only {
            // Every transaction on these connections is read-only, enforced by the server.
            connect = connect.options([("default_transaction_read_only", "on")]);
        }
        let acquisitions = AcquireCounter::default();
        let (on_connect, on_acquire) = acquisitions.hooks::<sqlx::Postgres>();
        let pool = PgPoolOptions::new()
            .after_connect(on_connect)
            .before_acquire(on_acquire)
            .max_connections(options.max_connections.unwrap_or_else(default_pool_size))
            .acquire_timeout(Duration::from_secs(10))
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
    pub fn pool(&self) -> &sqlx::PgPool {
        &self.pool
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, super::Error> {
        self.pool.begin().await.map_err(from_sqlx)
    }

    /// Takes a transaction-scoped advisory lock, released at commit or rollback, so
    /// appends from every process line up one after another.
    async fn lock_audit_chain(
        tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    ) -> Result<(), super::Error> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_CHAIN_LOCK)
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }
}

impl PostgresStore {
    /// Rewrites the questionnaire and course tables (`VACUUM FULL`), so neither the
    /// dropped clear columns nor the row versions the sealing replaced stay on disk.
    /// Run once, after migration 0008 drops the clear columns; it locks both tables
    /// while it runs. Copies in backups and WAL archives are beyond the store's reach.
    async fn scrub_free_space(&self) -> Result<(), super::Error> {
        sqlx::raw_sql("VACUUM FULL assessments, courses")
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }
}

/// Pool size for PostgreSQL: the PostgreSQL wiki's rule of thumb ("Number Of Database
/// Connections": about twice the cores plus the disks) applied to this machine's CPUs,
/// between 4 and 32. Several server processes share the database's
/// `max_connections` (100 by default), so set `max_connections` explicitly when
/// running many.
fn default_pool_size() -> u32 {
    let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    u32::try_from(cpus.saturating_mul(2).saturating_add(1))
        .unwrap_or(32)
        .clamp(4, 32)
}

// The shared SQL (see `sql.rs`), compiled for this back end.
type SqlStore = PostgresStore;
type Db = sqlx::Postgres;
type DbRow = sqlx::postgres::PgRow;
const BACKEND: Backend = Backend::Postgres;

#[path = "sql/common.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod common;

#[path = "sql/accounts.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod accounts;

#[path = "sql/clinical.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
#[macro_use]
mod clinical;

#[path = "sql/care.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod care;

#[path = "sql/caseload.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod caseload;

#[path = "sql/alerting.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod alerting;

#[path = "sql/messaging.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod messaging;

#[path = "sql/community.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod community;

#[path = "sql/safety_plan.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod safety_plan;

#[path = "sql/tool_runs.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod tool_runs;

#[path = "sql/notifications.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod notifications;

#[path = "sql/chat.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod chat;

#[path = "sql/appointments.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod appointments;

#[path = "sql/audit.rs"]
#[expect(
    clippy::duplicate_mod,
    reason = "compiled once per back end on purpose; see sql.rs"
)]
mod audit;
