-- CBT tools (issue 15): each time a patient uses a tool (a thought record,
-- behavioural activation, a breathing or grounding session, a gratitude entry, or
-- later a plugin's tool), one row.
--
-- Sealed with the field cipher (listed in `EncryptedColumn`, so key rotation
-- re-seals it):
--   tool_runs.body     what the patient entered and the tool's result, as JSON
--
-- In clear, and why:
--   patient_id, tool_id, ran_at   whose, which tool and when: the history is read by
--                                 patient and tool, newest first, and today's tasks
--                                 ask which tools were used since midnight
CREATE TABLE tool_runs (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tool_id     TEXT NOT NULL,
    body        BYTEA NOT NULL,
    ran_at      BIGINT NOT NULL
);
CREATE INDEX tool_runs_by_patient ON tool_runs (patient_id, tool_id, ran_at);
