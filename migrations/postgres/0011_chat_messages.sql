-- The AI companion chat (issue 15): the patient's messages and the companion's
-- replies, one row each.
--
-- Sealed with the field cipher (associated data binding table, column and row id;
-- listed in `EncryptedColumn`, so key rotation re-seals it):
--   chat_messages.body       what the patient wrote, or the companion's reply
--
-- In clear, and why:
--   patient_id, seq          whose conversation and its order: reads select and order
--                            by them (seq counts each patient's messages from 1, so two
--                            messages written in the same second keep their order)
--   author                   `patient` or `companion`: the role each message has when
--                            the conversation is sent to the model
--   source                   of a reply: `model`, `offline` or `crisis`; NULL for the
--                            patient's own messages
--   model_may_read           whether the message may ever be sent to the model: false
--                            when it was written while the patient's `ai_chat` consent
--                            was not in force, for a crisis exchange, and for the
--                            companion's reply to such a message
--   written_at               when, as for every other record
CREATE TABLE chat_messages (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL CHECK (seq >= 1),
    author          TEXT NOT NULL CHECK (author IN ('patient', 'companion')),
    source          TEXT CHECK (source IN ('model', 'offline', 'crisis')),
    body            BYTEA NOT NULL,
    model_may_read  BOOLEAN NOT NULL,
    written_at      BIGINT NOT NULL,
    UNIQUE (patient_id, seq)
);
