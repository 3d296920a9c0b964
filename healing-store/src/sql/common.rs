//! What every area shares: column reads, not-found errors, and the database's own
//! [`Store`] methods.
//!
//! Compiled once per back end; see [`crate::sql`].

use sqlx::Row as _;

use super::{BACKEND, Db, DbRow, SqlStore};
use crate::Error;
use crate::contract::Store;
use crate::error::from_sqlx;
use crate::records::*;
use crate::sql::AffectedRows;

/// Reads one column, mapping decode failures to store errors.
pub(super) fn column<'r, T>(row: &'r DbRow, name: &str) -> Result<T, Error>
where
    T: sqlx::Decode<'r, Db> + sqlx::Type<Db>,
{
    row.try_get(name).map_err(from_sqlx)
}

pub(super) fn not_found(entity: &'static str, id: &str) -> Error {
    Error::NotFound {
        entity,
        id: id.to_owned(),
    }
}

/// Fails with `NotFound` unless the statement touched a row.
pub(super) fn expect_row(
    result: sqlx::Result<impl AffectedRows>,
    entity: &'static str,
    id: &str,
) -> Result<(), Error> {
    if result.map_err(from_sqlx)?.affected() == 0 {
        Err(not_found(entity, id))
    } else {
        Ok(())
    }
}

impl SqlStore {
    pub(super) async fn fetch_all<'q>(
        &self,
        query: sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>,
    ) -> Result<Vec<DbRow>, Error> {
        query.fetch_all(&self.pool).await.map_err(from_sqlx)
    }
}

impl Store for SqlStore {
    fn backend(&self) -> Backend {
        BACKEND
    }

    async fn ping(&self) -> Result<(), Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }

    /// Applies the embedded migrations in two stages around the one step SQL cannot
    /// do: through 0007 (which adds the sealed questionnaire and course columns), then
    /// seals the rows written in clear before it, then the rest (0008 drops the clear
    /// columns). Every stage can be rerun, so a start cut short resumes.
    async fn migrate(&self) -> Result<(), Error> {
        use crate::migrations::{
            CLEAR_COLUMNS_DROPPED, SEALED_COLUMNS_ADDED, migration_failed, migrator,
            migrator_through,
        };
        if self.read_only {
            return Err(Error::ReadOnly {
                operation: "migrate",
            });
        }
        migrator_through(BACKEND, SEALED_COLUMNS_ADDED)
            .await?
            .run(&self.pool)
            .await
            .map_err(migration_failed)?;
        let dropped_before = self.migration_applied(CLEAR_COLUMNS_DROPPED).await?;
        if !dropped_before
            && let Err(error) = self.seal_clear_clinical_rows().await
            // Another process may have sealed every row and dropped the clear
            // columns meanwhile; only then is the failure not one.
            && !self.migration_applied(CLEAR_COLUMNS_DROPPED).await?
        {
            return Err(error);
        }
        migrator(BACKEND)
            .await?
            .run(&self.pool)
            .await
            .map_err(migration_failed)?;
        if !dropped_before && self.has_clinical_rows().await? {
            // The clear values are gone from the tables, but not yet from the pages
            // that held them.
            self.scrub_free_space().await?;
        }
        Ok(())
    }
}

impl SqlStore {
    /// Whether the database has applied the migration with this version.
    async fn migration_applied(&self, version: i64) -> Result<bool, Error> {
        use sqlx::migrate::Migrate as _;
        let mut connection = self.pool.acquire().await.map_err(from_sqlx)?;
        let applied = connection
            .list_applied_migrations()
            .await
            .map_err(crate::migrations::migration_failed)?;
        Ok(applied.iter().any(|migration| migration.version == version))
    }

    /// Whether any questionnaire or course is stored.
    async fn has_clinical_rows(&self) -> Result<bool, Error> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM assessments) + (SELECT COUNT(*) FROM courses) AS stored",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(column::<i64>(&row, "stored")? > 0)
    }
}
