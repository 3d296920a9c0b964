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

    async fn migrate(&self) -> Result<(), Error> {
        if self.read_only {
            return Err(Error::ReadOnly {
                operation: "migrate",
            });
        }
        crate::migrations::migrator(BACKEND)
            .await?
            .run(&self.pool)
            .await
            .map_err(|error| Error::MigrationFailed {
                reason: error.to_string(),
            })
    }
}
