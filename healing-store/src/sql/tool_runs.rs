//! Uses of CBT tools ([`ToolRunStore`]): one sealed row per use, stored with the
//! screening of its free text and the pet's reward in one transaction.
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::ids::PersonId;
use healing_core::pet::WellbeingActivity;
use healing_core::timestamp::Timestamp;

use super::common::column;
use super::{DbRow, SqlStore};
use crate::Error;
use crate::contract::ToolRunStore;
use crate::convert::{instant, new_id, open, page_bounds, person, seal};
use crate::error::from_sqlx;
use crate::records::{AlertSource, Page, Screened, ToolRun};

/// The table, as bound into each sealed body's associated data.
const TABLE: &str = "tool_runs";

/// The columns `tool_run_from_row` reads.
macro_rules! tool_run_columns {
    () => {
        "id, patient_id, tool_id, body, ran_at"
    };
}

impl SqlStore {
    fn tool_run_from_row(&self, row: &DbRow) -> Result<ToolRun, Error> {
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        Ok(ToolRun {
            body: open(&self.cipher, TABLE, "body", &id, &body)?,
            patient_id: person(column(row, "patient_id")?, TABLE, "patient_id")?,
            tool_id: column(row, "tool_id")?,
            ran_at: instant(column(row, "ran_at")?, TABLE, "ran_at")?,
            id,
        })
    }

    /// Every use of every tool by the patient, oldest first (the GDPR export).
    pub(super) async fn all_tool_runs(&self, patient_id: &PersonId) -> Result<Vec<ToolRun>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    tool_run_columns!(),
                    " FROM tool_runs WHERE patient_id = $1 ORDER BY ran_at, id"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter().map(|row| self.tool_run_from_row(row)).collect()
    }
}

impl ToolRunStore for SqlStore {
    async fn add_tool_run(
        &self,
        patient_id: &PersonId,
        tool_id: &str,
        body: &str,
        screening: &Screened,
        activity: Option<WellbeingActivity>,
        at: Timestamp,
    ) -> Result<ToolRun, Error> {
        let id = new_id()?;
        let sealed = seal(&self.cipher, TABLE, "body", &id, body)?;
        let mut tx = self.begin_write().await?;
        sqlx::query(concat!(
            "INSERT INTO tool_runs (",
            tool_run_columns!(),
            ") VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(&id)
        .bind(patient_id.as_str())
        .bind(tool_id)
        .bind(sealed)
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let alerted = Self::record_screening_in(
            &mut tx,
            &self.alerting,
            patient_id,
            AlertSource::ToolRun,
            &id,
            screening,
            at,
        )
        .await?;
        if let Some(activity) = activity {
            Self::credit_activity_in(&mut tx, patient_id, activity, at).await?;
        }
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
        Ok(ToolRun {
            id,
            patient_id: patient_id.clone(),
            tool_id: tool_id.to_owned(),
            body: body.to_owned(),
            ran_at: at,
        })
    }

    async fn tool_runs(
        &self,
        patient_id: &PersonId,
        tool_id: &str,
        page: Page,
    ) -> Result<Vec<ToolRun>, Error> {
        let (limit, offset) = page_bounds(page);
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    tool_run_columns!(),
                    " FROM tool_runs WHERE patient_id = $1 AND tool_id = $2 \
                     ORDER BY ran_at DESC, id DESC LIMIT $3 OFFSET $4"
                ))
                .bind(patient_id.as_str())
                .bind(tool_id)
                .bind(limit)
                .bind(offset),
            )
            .await?;
        rows.iter().map(|row| self.tool_run_from_row(row)).collect()
    }

    async fn tools_used_since(
        &self,
        patient_id: &PersonId,
        since: Timestamp,
    ) -> Result<Vec<String>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(
                    "SELECT DISTINCT tool_id FROM tool_runs \
                     WHERE patient_id = $1 AND ran_at >= $2 ORDER BY tool_id",
                )
                .bind(patient_id.as_str())
                .bind(since.unix_seconds()),
            )
            .await?;
        rows.iter().map(|row| column(row, "tool_id")).collect()
    }
}
