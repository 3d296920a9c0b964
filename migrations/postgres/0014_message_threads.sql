-- Messages between patients and their care team (issue 16): conversations of two
-- members about one patient, each member with their own read and hide position.
--
-- The flat `messages` table of 0001 (sender, recipient, no conversation) was never
-- written by any route or operator command, so it is replaced, not converted.
--
-- Sealed with the field cipher (listed in `EncryptedColumn` as `messages.body`, so
-- key rotation re-seals it; the associated data binds table, column and row id):
--   messages.body      what was written
--
-- In clear, and why:
--   message_threads.patient_id            whose care the conversation is about: access
--                                         is decided by the links and consent of
--                                         that patient, and erasure follows it
--   message_threads.first_member_id,
--   message_threads.second_member_id      the two members in id order, unique with the
--                                         patient, so a pair has one conversation
--                                         about one patient even when both start it
--                                         at once
--   message_threads.last_seq,
--   message_threads.last_message_at       the inbox is ordered by the latest message
--                                         and numbers each thread's messages
--   message_thread_members.read_seq,
--   message_thread_members.hidden_seq     the last message this member has read, and
--                                         the last one they deleted for themself (the
--                                         other member still sees it)
--   messages.thread_id, seq, sender_id,
--   sent_at                               the order of a thread, unread counts (messages
--                                         after read_seq from the other member)
DROP TABLE messages;

CREATE TABLE message_threads (
    id                TEXT PRIMARY KEY,
    patient_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    first_member_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    second_member_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at        BIGINT NOT NULL,
    last_seq          BIGINT NOT NULL,
    last_message_at   BIGINT NOT NULL,
    CONSTRAINT message_threads_member_order CHECK (first_member_id < second_member_id),
    CONSTRAINT message_threads_pair_unique UNIQUE (patient_id, first_member_id, second_member_id)
);
CREATE INDEX message_threads_by_patient ON message_threads (patient_id);

CREATE TABLE message_thread_members (
    thread_id   TEXT NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_seq    BIGINT NOT NULL,
    hidden_seq  BIGINT NOT NULL,
    PRIMARY KEY (thread_id, person_id)
);
CREATE INDEX message_thread_members_by_person ON message_thread_members (person_id);

CREATE TABLE messages (
    id         TEXT PRIMARY KEY,
    thread_id  TEXT NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    sender_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       BYTEA NOT NULL,
    sent_at    BIGINT NOT NULL,
    CONSTRAINT messages_thread_seq_unique UNIQUE (thread_id, seq)
);
CREATE INDEX messages_by_sender ON messages (sender_id);
