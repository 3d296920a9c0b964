-- The safety pipeline (issue 14): every screened free-text write leaves a safety event
-- with the evidence's rule ids and byte spans into the encrypted text (never the words),
-- and risk at medium or above raises an alert in the same transaction.

-- Which record the screened text belongs to, and the evidence: a JSON array of
-- {"rule": id, "start": byte, "end": byte} into that record's decrypted text.
ALTER TABLE safety_events ADD COLUMN record_id TEXT NULL;
ALTER TABLE safety_events ADD COLUMN findings TEXT NOT NULL DEFAULT '[]';

-- One alert per risky write or questionnaire risk flag. State moves open ->
-- acknowledged -> resolved (or open -> resolved); each move is audited in the same
-- transaction. Staff references carry no foreign key: erasing a clinician clears them.
CREATE TABLE alerts (
    id                 TEXT PRIMARY KEY,
    patient_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    safety_event_id    TEXT REFERENCES safety_events (id) ON DELETE CASCADE,
    severity           TEXT NOT NULL CHECK (severity IN ('medium', 'high', 'critical')),
    severity_rank      INTEGER NOT NULL,
    categories         TEXT NOT NULL,
    source             TEXT NOT NULL,
    source_id          TEXT,
    routed_to          TEXT NOT NULL CHECK (routed_to IN ('linked_clinicians', 'duty_contact')),
    state              TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    created_at         BIGINT NOT NULL,
    acknowledged_at    BIGINT,
    acknowledged_by    TEXT,
    resolved_at        BIGINT,
    resolved_by        TEXT,
    resolution         BYTEA
);
CREATE INDEX alerts_by_patient ON alerts (patient_id, created_at);
CREATE INDEX alerts_by_state ON alerts (state, created_at);
