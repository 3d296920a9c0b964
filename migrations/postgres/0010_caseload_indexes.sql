-- The clinician's caseload reads each linked patient's latest mood entry by
-- `MAX(recorded_at)`; this index answers it without visiting the patient's rows
-- (`mood_entries_by_patient` is ordered by the day described, not the recording time).
CREATE INDEX mood_entries_by_patient_recorded ON mood_entries (patient_id, recorded_at);
