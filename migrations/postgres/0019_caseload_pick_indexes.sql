-- Indexes for the clinician's caseload, so its cost follows the few rows it shows
-- rather than every row its patients have.
--
-- Per linked patient and measure (PHQ-9, GAD-7) the caseload picks three
-- questionnaires: the latest, the first on record and the first since the open
-- course began. Each pick walks one end of this index, reading ids and dates only;
-- only the picked rows' sealed results are then read (`assessments_by_patient`
-- mixes every instrument in time order, so a pick through it visits every row).
CREATE INDEX assessments_by_patient_instrument ON assessments (patient_id, instrument_id, completed_at, id);

-- Per linked patient the caseload counts the alerts not yet resolved by severity;
-- this index answers each count from its own entries, without visiting the alerts.
CREATE INDEX alerts_by_patient_severity ON alerts (patient_id, severity, state);
