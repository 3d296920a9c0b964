-- Courses of care through the API, and clinical notes (issue 17).
--
-- Sealed with the field cipher (associated data binding table, column and row id, like
-- every other sealed column; all three are in `EncryptedColumn`, so key rotation
-- re-seals them):
--   treatment_sessions.scores  the measures taken at a session, as JSON
--                              ([{"measure": "phq9", "value": "16"}, ...]); NULL for a
--                              session recorded before this migration or without scores
--   courses.outcome            the course's NHS Talking Therapies outcome from
--                              healing-core (JSON), rewritten in the transaction of every
--                              session added and of the close, so it is always the
--                              outcome of the stored sessions
--   clinical_notes.body        a clinician's note
--
-- In clear, and why:
--   courses.ending             how a closed course ended (finished_treatment,
--                              dropped_out, ...): an administrative category, no score
--   clinical_notes.note_id, version, supersedes
--                              which versions belong together and in what order
--   clinical_notes.patient_id, author_id, session_id, written_at
--                              whose record, who wrote it, and when: reads select and
--                              order by them, as for every other record

ALTER TABLE treatment_sessions ADD COLUMN scores BYTEA NULL;

ALTER TABLE courses ADD COLUMN ending TEXT NULL;
ALTER TABLE courses ADD COLUMN outcome BYTEA NULL;
-- The service outcomes report reads courses by the time they closed.
CREATE INDEX courses_by_closed_at ON courses (closed_at);

-- A note is never edited in place: an amendment is a new row, the next version of the
-- same note_id, naming the row it supersedes. Two amendments written at once cannot
-- both become the same version.
CREATE TABLE clinical_notes (
    id          TEXT PRIMARY KEY,
    note_id     TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    patient_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id   TEXT,
    session_id  TEXT REFERENCES treatment_sessions (id) ON DELETE SET NULL,
    body        BYTEA NOT NULL,
    written_at  BIGINT NOT NULL,
    supersedes  TEXT,
    UNIQUE (note_id, version)
);
CREATE INDEX clinical_notes_by_patient ON clinical_notes (patient_id, written_at);
