//! The SQL migrations in the repository's `migrations/` folder, embedded with
//! `include_str!` so the store needs no build script and no `sqlx::migrate!` macro.
//!
//! Each back end has its own list; the test in `tests.rs` fails when a file in
//! `migrations/<back end>/` is missing from its list, so a new migration cannot be
//! forgotten. Names follow sqlx's convention (`<version>_<description>.sql`) and
//! migrations applied by earlier builds keep matching: sqlx compares versions and
//! SHA-384 checksums of the SQL, which do not depend on how it was embedded.

use std::borrow::Cow;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

use crate::Error;
use crate::records::Backend;

/// One embedded migration: its version, file name and SQL.
#[derive(Debug)]
pub(crate) struct Embedded {
    pub(crate) version: i64,
    pub(crate) file_name: &'static str,
    pub(crate) sql: &'static str,
}

macro_rules! embedded {
    ($folder:literal: $($version:literal => $file:literal),* $(,)?) => {
        &[$(Embedded {
            version: $version,
            file_name: $file,
            sql: include_str!(concat!("../../migrations/", $folder, "/", $file)),
        }),*]
    };
}

/// `migrations/sqlite/`, oldest first.
pub(crate) const SQLITE: &[Embedded] = embedded!("sqlite":
    1 => "0001_initial.sql",
    2 => "0002_audit_log_append_only.sql",
    3 => "0003_totp_last_step.sql",
    4 => "0004_alerts.sql",
    5 => "0005_alert_delivery.sql",
    6 => "0006_register_throttle.sql",
);

/// `migrations/postgres/`, oldest first.
pub(crate) const POSTGRES: &[Embedded] = embedded!("postgres":
    1 => "0001_initial.sql",
    2 => "0002_audit_log_append_only.sql",
    3 => "0003_totp_last_step.sql",
    4 => "0004_alerts.sql",
    5 => "0005_alert_delivery.sql",
    6 => "0006_register_throttle.sql",
);

/// The embedded migrations of one back end.
pub(crate) fn embedded(backend: Backend) -> &'static [Embedded] {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

impl Embedded {
    /// sqlx's description: the file name after the version, underscores as spaces.
    fn description(&self) -> String {
        let stem = self.file_name.trim_end_matches(".sql");
        let after_version = stem.split_once('_').map_or(stem, |(_, rest)| rest);
        after_version.replace('_', " ")
    }
}

/// The migrations of one back end as an sqlx migration source.
#[derive(Debug)]
struct Source(&'static [Embedded]);

impl MigrationSource<'static> for Source {
    fn resolve(
        self,
    ) -> futures_core::future::BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|embedded| {
                    Migration::new(
                        embedded.version,
                        Cow::Owned(embedded.description()),
                        MigrationType::Simple,
                        Cow::Borrowed(embedded.sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// The migrator for one back end.
pub(crate) async fn migrator(backend: Backend) -> Result<Migrator, Error> {
    Migrator::new(Source(embedded(backend)))
        .await
        .map_err(|error| Error::MigrationFailed {
            reason: error.to_string(),
        })
}
