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
    7 => "0007_encrypt_assessments.sql",
    8 => "0008_drop_clear_assessment_columns.sql",
    9 => "0009_courses_outcomes_and_clinical_notes.sql",
    10 => "0010_caseload_indexes.sql",
    11 => "0011_chat_messages.sql",
    12 => "0012_safety_plan_versions.sql",
    13 => "0013_tool_runs.sql",
    14 => "0014_message_threads.sql",
    15 => "0015_chat_withheld_replies.sql",
    16 => "0016_appointments.sql",
    17 => "0017_community.sql",
    18 => "0018_notifications_and_preferences.sql",
    19 => "0019_caseload_pick_indexes.sql",
);

/// `migrations/postgres/`, oldest first.
pub(crate) const POSTGRES: &[Embedded] = embedded!("postgres":
    1 => "0001_initial.sql",
    2 => "0002_audit_log_append_only.sql",
    3 => "0003_totp_last_step.sql",
    4 => "0004_alerts.sql",
    5 => "0005_alert_delivery.sql",
    6 => "0006_register_throttle.sql",
    7 => "0007_encrypt_assessments.sql",
    8 => "0008_drop_clear_assessment_columns.sql",
    9 => "0009_courses_outcomes_and_clinical_notes.sql",
    10 => "0010_caseload_indexes.sql",
    11 => "0011_chat_messages.sql",
    12 => "0012_safety_plan_versions.sql",
    13 => "0013_tool_runs.sql",
    14 => "0014_message_threads.sql",
    15 => "0015_chat_withheld_replies.sql",
    16 => "0016_appointments.sql",
    17 => "0017_community.sql",
    18 => "0018_notifications_and_preferences.sql",
    19 => "0019_caseload_pick_indexes.sql",
);

/// The migration that adds the sealed questionnaire and course columns beside the
/// clear ones. [`Store::migrate`](crate::Store::migrate) stops after it, seals the rows
/// written in clear, and only then applies [`CLEAR_COLUMNS_DROPPED`].
pub(crate) const SEALED_COLUMNS_ADDED: i64 = 7;

/// The migration that drops the clear questionnaire and course columns.
pub(crate) const CLEAR_COLUMNS_DROPPED: i64 = 8;

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
        .map_err(migration_failed)
}

/// The migrator for one back end's migrations up to and including `version`. It
/// ignores later migrations a database has already applied.
pub(crate) async fn migrator_through(backend: Backend, version: i64) -> Result<Migrator, Error> {
    let all = embedded(backend);
    let count = all
        .iter()
        .take_while(|embedded| embedded.version <= version)
        .count();
    let mut migrator = Migrator::new(Source(&all[..count]))
        .await
        .map_err(migration_failed)?;
    migrator.set_ignore_missing(true);
    Ok(migrator)
}

/// A migrator's error as the store's.
pub(crate) fn migration_failed(error: impl std::fmt::Display) -> Error {
    Error::MigrationFailed {
        reason: error.to_string(),
    }
}
