-- Questionnaire results and treatment problems sealed with the field cipher (issue 21
-- item 4): before this, answers, totals, bands and flags (PHQ-9 item 9's
-- self_harm_thoughts among them) and each course's problem descriptor were readable in
-- the database file.
--
-- This migration adds the sealed columns beside the clear ones. SQL cannot encrypt, so
-- `Store::migrate` then seals every row written before it (healing-store's
-- `seal_clear_clinical_rows`, in batches, each in a transaction), and only after that
-- applies 0008_drop_clear_assessment_columns.sql, which drops the clear columns.
-- Sealed values are XChaCha20-Poly1305 with associated data binding table, column and
-- row id, like every other sealed column; both are in `EncryptedColumn`, so key
-- rotation re-seals them.
--
-- What stays in clear, and why:
--   assessments.id, patient_id          the row, and whose it is (every read is by patient)
--   assessments.instrument_id           which questionnaire; the forms and exports group by it
--   assessments.instrument_version      which definition scored it, not a result
--   assessments.completed_at            reads are ordered by time (and the index uses it)
--   courses.id, patient_id, clinician_id, opened_at, closed_at
--                                       ownership, the care team and the dates reads order by
-- No query filters or sorts on the total, so it is sealed with the rest of the result.

-- The answers, total, band and flags of a questionnaire, as one sealed JSON object
-- ({"answers": [...], "total": n, "band": "moderate" | null, "flags": [...]}), so
-- they are always written and read together.
ALTER TABLE assessments ADD COLUMN result BYTEA NULL;

-- The course's problem descriptor (its serde name, for example "depression"), sealed.
ALTER TABLE courses ADD COLUMN problem BYTEA NULL;
