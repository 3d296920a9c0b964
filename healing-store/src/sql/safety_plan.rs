//! The safety plan ([`SafetyPlanStore`]): the plan as it is now in `safety_plans`,
//! every earlier version in `safety_plan_versions`, and clinicians' proposed edits in
//! `safety_plan_proposals`, all sealed. A save moves the current body into the history
//! (re-sealed under the history row's id) and writes the next version, with the
//! screening of its free text, in one transaction.
//!
//! Compiled once per back end; see [`crate::sql`].

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;

use super::common::{column, not_found};
use super::{Db, DbRow, ROW_LOCK, SqlStore};
use crate::Error;
use crate::contract::SafetyPlanStore;
use crate::convert::{instant, named, new_id, open, optional_instant, page_bounds, person, seal};
use crate::error::from_sqlx;
use crate::records::{AlertSource, Page, ProposalStatus, SafetyPlan, SafetyPlanProposal, Screened};

/// The current plan; its body is sealed with the patient's id as the row id.
const CURRENT: &str = "safety_plans";
/// Reads the current plan (the columns `current_plan_from_row` reads).
const CURRENT_SELECT: &str =
    "SELECT version, body, proposal_id, updated_at FROM safety_plans WHERE patient_id = $1";
/// Earlier versions.
const HISTORY: &str = "safety_plan_versions";
/// Clinicians' proposals.
const PROPOSALS: &str = "safety_plan_proposals";

/// The columns `proposal_from_row` reads.
macro_rules! proposal_columns {
    () => {
        "id, patient_id, clinician_id, base_version, body, status, proposed_at, decided_at"
    };
}

impl SqlStore {
    fn current_plan_from_row(
        &self,
        patient_id: &PersonId,
        row: &DbRow,
    ) -> Result<SafetyPlan, Error> {
        let body: Vec<u8> = column(row, "body")?;
        Ok(SafetyPlan {
            patient_id: patient_id.clone(),
            version: column(row, "version")?,
            body: open(&self.cipher, CURRENT, "body", patient_id.as_str(), &body)?,
            proposal_id: column(row, "proposal_id")?,
            updated_at: instant(column(row, "updated_at")?, CURRENT, "updated_at")?,
        })
    }

    fn earlier_plan_from_row(
        &self,
        patient_id: &PersonId,
        row: &DbRow,
    ) -> Result<SafetyPlan, Error> {
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        Ok(SafetyPlan {
            patient_id: patient_id.clone(),
            version: column(row, "version")?,
            body: open(&self.cipher, HISTORY, "body", &id, &body)?,
            proposal_id: column(row, "proposal_id")?,
            updated_at: instant(column(row, "saved_at")?, HISTORY, "saved_at")?,
        })
    }

    fn proposal_from_row(&self, row: &DbRow) -> Result<SafetyPlanProposal, Error> {
        let id: String = column(row, "id")?;
        let body: Vec<u8> = column(row, "body")?;
        let status: String = column(row, "status")?;
        let clinician: Option<String> = column(row, "clinician_id")?;
        Ok(SafetyPlanProposal {
            body: open(&self.cipher, PROPOSALS, "body", &id, &body)?,
            patient_id: person(column(row, "patient_id")?, PROPOSALS, "patient_id")?,
            clinician_id: clinician
                .map(|clinician| person(clinician, PROPOSALS, "clinician_id"))
                .transpose()?,
            base_version: column(row, "base_version")?,
            status: named(&status, ProposalStatus::from_name, PROPOSALS, "status")?,
            proposed_at: instant(column(row, "proposed_at")?, PROPOSALS, "proposed_at")?,
            decided_at: optional_instant(column(row, "decided_at")?, PROPOSALS, "decided_at")?,
            id,
        })
    }

    /// The patient's earlier versions, newest first (the GDPR export).
    pub(super) async fn earlier_safety_plans(
        &self,
        patient_id: &PersonId,
    ) -> Result<Vec<SafetyPlan>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(
                    "SELECT id, version, body, proposal_id, saved_at FROM safety_plan_versions \
                     WHERE patient_id = $1 ORDER BY version DESC",
                )
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter()
            .map(|row| self.earlier_plan_from_row(patient_id, row))
            .collect()
    }

    /// Locks the patient's row (so two saves at once get distinct versions) and reads
    /// the current plan, if any, in `tx`.
    async fn lock_current_plan_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
    ) -> Result<Option<SafetyPlan>, Error> {
        sqlx::query(&format!("SELECT id FROM users WHERE id = $1 {ROW_LOCK}"))
            .bind(patient_id.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(from_sqlx)?
            .ok_or_else(|| not_found("user", patient_id.as_str()))?;
        let row = sqlx::query(CURRENT_SELECT)
            .bind(patient_id.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        row.map(|row| self.current_plan_from_row(patient_id, &row))
            .transpose()
    }

    /// Writes `next` (its version is set here) as the patient's next version in `tx`:
    /// the current plan (if any) moves into the history, then the screening is
    /// recorded against the new version. Returns it and whether an alert was raised.
    async fn save_version_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        current: Option<SafetyPlan>,
        mut next: SafetyPlan,
        screening: &Screened,
    ) -> Result<(SafetyPlan, bool), Error> {
        let patient = next.patient_id.as_str();
        next.version = current.as_ref().map_or(1, |plan| plan.version + 1);
        if let Some(earlier) = current {
            let id = new_id()?;
            sqlx::query(
                "INSERT INTO safety_plan_versions \
                 (id, patient_id, version, body, proposal_id, saved_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(patient)
            .bind(earlier.version)
            .bind(seal(&self.cipher, HISTORY, "body", &id, &earlier.body)?)
            .bind(earlier.proposal_id.as_deref())
            .bind(earlier.updated_at.unix_seconds())
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        }
        sqlx::query(
            "INSERT INTO safety_plans (patient_id, body, updated_at, version, proposal_id) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (patient_id) DO UPDATE SET body = excluded.body, \
             updated_at = excluded.updated_at, version = excluded.version, \
             proposal_id = excluded.proposal_id",
        )
        .bind(patient)
        .bind(seal(&self.cipher, CURRENT, "body", patient, &next.body)?)
        .bind(next.updated_at.unix_seconds())
        .bind(next.version)
        .bind(next.proposal_id.as_deref())
        .execute(&mut **tx)
        .await
        .map_err(from_sqlx)?;
        let record_id = format!("{patient}:{}", next.version);
        let alerted = Self::record_screening_in(
            tx,
            &self.alerting,
            &next.patient_id,
            AlertSource::SafetyPlan,
            &record_id,
            screening,
            next.updated_at,
        )
        .await?;
        // A save, or an unchanged plan saved again, is a review of the plan: the pet
        // rewards it as a self-help tool used (healing-core has no activity of its own
        // for a safety-plan review).
        Self::credit_activity_in(
            tx,
            &next.patient_id,
            healing_core::pet::WellbeingActivity::CbtTool,
            next.updated_at,
        )
        .await?;
        Ok((next, alerted))
    }

    /// Reads one of the patient's proposals in `tx`, locked.
    async fn lock_proposal_in(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        patient_id: &PersonId,
        proposal_id: &str,
    ) -> Result<SafetyPlanProposal, Error> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM safety_plan_proposals WHERE id = $1 AND patient_id = $2 {ROW_LOCK}",
            proposal_columns!()
        ))
        .bind(proposal_id)
        .bind(patient_id.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("safety plan proposal", proposal_id))?;
        let proposal = self.proposal_from_row(&row)?;
        if proposal.status != ProposalStatus::Pending {
            return Err(Error::InvalidInput {
                field: "proposal",
                reason: format!("it was already {}", proposal.status),
            });
        }
        Ok(proposal)
    }

    /// Marks a proposal decided in `tx`.
    async fn decide_proposal_in(
        tx: &mut sqlx::Transaction<'static, Db>,
        proposal: &mut SafetyPlanProposal,
        status: ProposalStatus,
        at: Timestamp,
    ) -> Result<(), Error> {
        sqlx::query("UPDATE safety_plan_proposals SET status = $1, decided_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(at.unix_seconds())
            .bind(&proposal.id)
            .execute(&mut **tx)
            .await
            .map_err(from_sqlx)?;
        proposal.status = status;
        proposal.decided_at = Some(at);
        Ok(())
    }

    /// Commits `tx` and wakes the delivery worker when an alert was raised.
    async fn commit_saved(
        &self,
        tx: sqlx::Transaction<'static, Db>,
        alerted: bool,
    ) -> Result<(), Error> {
        tx.commit().await.map_err(from_sqlx)?;
        if alerted {
            self.wake_delivery_worker();
        }
        Ok(())
    }
}

impl SafetyPlanStore for SqlStore {
    async fn save_safety_plan(
        &self,
        patient_id: &PersonId,
        body: &str,
        screening: &Screened,
        at: Timestamp,
    ) -> Result<SafetyPlan, Error> {
        let mut tx = self.begin_write().await?;
        let current = self.lock_current_plan_in(&mut tx, patient_id).await?;
        let next = SafetyPlan {
            patient_id: patient_id.clone(),
            version: 0,
            body: body.to_owned(),
            proposal_id: None,
            updated_at: at,
        };
        let (saved, alerted) = self
            .save_version_in(&mut tx, current, next, screening)
            .await?;
        self.commit_saved(tx, alerted).await?;
        Ok(saved)
    }

    async fn safety_plan(&self, patient_id: &PersonId) -> Result<Option<SafetyPlan>, Error> {
        let row = sqlx::query(CURRENT_SELECT)
            .bind(patient_id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.map(|row| self.current_plan_from_row(patient_id, &row))
            .transpose()
    }

    async fn safety_plan_versions(
        &self,
        patient_id: &PersonId,
        page: Page,
    ) -> Result<Vec<SafetyPlan>, Error> {
        let (limit, offset) = page_bounds(page);
        let mut versions = Vec::new();
        // The current plan is the first row of the first page.
        let mut offset = offset;
        let mut limit = limit;
        if let Some(current) = self.safety_plan(patient_id).await? {
            if offset == 0 {
                versions.push(current);
                limit -= 1;
            } else {
                offset -= 1;
            }
        }
        if limit > 0 {
            let rows = self
                .fetch_all(
                    sqlx::query(
                        "SELECT id, version, body, proposal_id, saved_at FROM safety_plan_versions \
                         WHERE patient_id = $1 ORDER BY version DESC LIMIT $2 OFFSET $3",
                    )
                    .bind(patient_id.as_str())
                    .bind(limit)
                    .bind(offset),
                )
                .await?;
            for row in &rows {
                versions.push(self.earlier_plan_from_row(patient_id, row)?);
            }
        }
        Ok(versions)
    }

    async fn propose_safety_plan(
        &self,
        patient_id: &PersonId,
        clinician_id: &PersonId,
        body: &str,
        at: Timestamp,
    ) -> Result<SafetyPlanProposal, Error> {
        let id = new_id()?;
        let mut tx = self.begin_write().await?;
        let base_version = self
            .lock_current_plan_in(&mut tx, patient_id)
            .await?
            .map_or(0, |plan| plan.version);
        sqlx::query(concat!(
            "INSERT INTO safety_plan_proposals (",
            proposal_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)"
        ))
        .bind(&id)
        .bind(patient_id.as_str())
        .bind(clinician_id.as_str())
        .bind(base_version)
        .bind(seal(&self.cipher, PROPOSALS, "body", &id, body)?)
        .bind(ProposalStatus::Pending.as_str())
        .bind(at.unix_seconds())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(SafetyPlanProposal {
            id,
            patient_id: patient_id.clone(),
            clinician_id: Some(clinician_id.clone()),
            base_version,
            body: body.to_owned(),
            status: ProposalStatus::Pending,
            proposed_at: at,
            decided_at: None,
        })
    }

    async fn safety_plan_proposals(
        &self,
        patient_id: &PersonId,
    ) -> Result<Vec<SafetyPlanProposal>, Error> {
        let rows = self
            .fetch_all(
                sqlx::query(concat!(
                    "SELECT ",
                    proposal_columns!(),
                    " FROM safety_plan_proposals WHERE patient_id = $1 \
                     ORDER BY proposed_at DESC, id DESC"
                ))
                .bind(patient_id.as_str()),
            )
            .await?;
        rows.iter().map(|row| self.proposal_from_row(row)).collect()
    }

    async fn safety_plan_proposal(
        &self,
        patient_id: &PersonId,
        proposal_id: &str,
    ) -> Result<SafetyPlanProposal, Error> {
        let row = sqlx::query(concat!(
            "SELECT ",
            proposal_columns!(),
            " FROM safety_plan_proposals WHERE id = $1 AND patient_id = $2"
        ))
        .bind(proposal_id)
        .bind(patient_id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(from_sqlx)?
        .ok_or_else(|| not_found("safety plan proposal", proposal_id))?;
        self.proposal_from_row(&row)
    }

    async fn accept_safety_plan_proposal(
        &self,
        patient_id: &PersonId,
        proposal_id: &str,
        screening: &Screened,
        at: Timestamp,
    ) -> Result<SafetyPlan, Error> {
        let mut tx = self.begin_write().await?;
        let current = self.lock_current_plan_in(&mut tx, patient_id).await?;
        let mut proposal = self
            .lock_proposal_in(&mut tx, patient_id, proposal_id)
            .await?;
        let version = current.as_ref().map_or(0, |plan| plan.version);
        if version != proposal.base_version {
            return Err(Error::InvalidInput {
                field: "proposal",
                reason: format!(
                    "the plan changed since it was written (it was for version {}, the plan is at version {version})",
                    proposal.base_version
                ),
            });
        }
        Self::decide_proposal_in(&mut tx, &mut proposal, ProposalStatus::Accepted, at).await?;
        let next = SafetyPlan {
            patient_id: patient_id.clone(),
            version: 0,
            body: proposal.body.clone(),
            proposal_id: Some(proposal.id.clone()),
            updated_at: at,
        };
        let (saved, alerted) = self
            .save_version_in(&mut tx, current, next, screening)
            .await?;
        self.commit_saved(tx, alerted).await?;
        Ok(saved)
    }

    async fn decline_safety_plan_proposal(
        &self,
        patient_id: &PersonId,
        proposal_id: &str,
        at: Timestamp,
    ) -> Result<SafetyPlanProposal, Error> {
        let mut tx = self.begin_write().await?;
        let mut proposal = self
            .lock_proposal_in(&mut tx, patient_id, proposal_id)
            .await?;
        Self::decide_proposal_in(&mut tx, &mut proposal, ProposalStatus::Declined, at).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(proposal)
    }
}
