-- The safety plan (issue 15): every save is a new version, earlier versions are kept,
-- and a linked clinician may propose an edit the patient accepts or declines.
--
-- safety_plans stays the plan as it is now (one row per patient, sealed with its
-- patient_id as the row id, as before); it gains its version number (a plan saved
-- before this migration is version 1) and, when that version came from accepting a
-- clinician's proposal, the proposal's id. A save moves the current body into
-- safety_plan_versions (re-sealed under that table's row id) in the same transaction.
--
-- Sealed with the field cipher (listed in `EncryptedColumn`, so key rotation
-- re-seals them):
--   safety_plan_versions.body    an earlier version of the plan (JSON of its sections)
--   safety_plan_proposals.body   the plan a clinician proposes (JSON of its sections)
--
-- In clear, and why:
--   patient_id, version          whose plan and its order: reads select and order by them
--   proposal_id                  which proposal a version came from (an opaque id)
--   saved_at, proposed_at,       when, as for every other record; the clinician summary
--   decided_at                   shows when the plan was last reviewed
--   clinician_id                 who proposed: the patient is shown who suggested an edit
--   base_version                 the version a proposal was written against: accepting
--                                it is refused once the plan has moved on
--   status                       pending, accepted or declined
ALTER TABLE safety_plans ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE safety_plans ADD COLUMN proposal_id TEXT;

CREATE TABLE safety_plan_versions (
    id           TEXT PRIMARY KEY,
    patient_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version      BIGINT NOT NULL CHECK (version >= 1),
    body         BLOB NOT NULL,
    proposal_id  TEXT,
    saved_at     BIGINT NOT NULL,
    UNIQUE (patient_id, version)
);

CREATE TABLE safety_plan_proposals (
    id            TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    clinician_id  TEXT REFERENCES users (id) ON DELETE SET NULL,
    base_version  BIGINT NOT NULL CHECK (base_version >= 0),
    body          BLOB NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    proposed_at   BIGINT NOT NULL,
    decided_at    BIGINT
);
CREATE INDEX safety_plan_proposals_by_patient ON safety_plan_proposals (patient_id, proposed_at);
