-- Healing schema, version 1. SQLite dialect.
--
-- Conventions (the same in both dialects, so both back ends agree byte for byte):
--   * ids are TEXT (UUID v4 strings made by the store);
--   * instants are BIGINT unix seconds (UTC);
--   * encrypted values are BLOB: XChaCha20-Poly1305 sealed by healing_core::store's
--     FieldCipher, bound to (table, column, row id);
--   * JSON values are TEXT;
--   * booleans are INTEGER 0/1 (sqlx maps Rust bool to them).

CREATE TABLE encryption_keys (
    key_id      TEXT PRIMARY KEY,
    created_at  BIGINT NOT NULL,
    retired_at  BIGINT
);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    username         TEXT NOT NULL CONSTRAINT users_username_unique UNIQUE,
    email            TEXT NOT NULL CONSTRAINT users_email_unique UNIQUE,
    display_name     BLOB NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('patient', 'clinician', 'admin')),
    password_hash    TEXT NOT NULL,
    password_scheme  TEXT NOT NULL
        CHECK (password_scheme IN ('argon2id', 'bcrypt', 'pbkdf2_sha256', 'salted_sha256')),
    totp_secret      BLOB,
    totp_enabled     INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    nhs_number       BLOB,
    year_of_birth    INTEGER,
    created_at       BIGINT NOT NULL,
    disabled_at      BIGINT
);

CREATE TABLE recovery_codes (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   BLOB NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    id_hash         BLOB PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token      TEXT NOT NULL,
    stage           TEXT NOT NULL CHECK (stage IN ('awaiting_second_factor', 'authenticated')),
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    client_address  TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE auth_throttle (
    scope              TEXT NOT NULL CHECK (scope IN ('account', 'client_address')),
    action             TEXT NOT NULL CHECK (action IN ('login', 'second_factor', 'password_reset')),
    subject            TEXT NOT NULL,
    failures           INTEGER NOT NULL,
    window_started_at  BIGINT NOT NULL,
    locked_until       BIGINT,
    PRIMARY KEY (scope, action, subject)
);

CREATE TABLE password_reset_tokens (
    token_hash  BLOB PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX password_reset_tokens_by_user ON password_reset_tokens (user_id);

CREATE TABLE clinician_patient_links (
    id            TEXT PRIMARY KEY,
    clinician_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    patient_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'ended')),
    created_at    BIGINT NOT NULL,
    decided_at    BIGINT
);
CREATE INDEX clinician_patient_links_by_clinician ON clinician_patient_links (clinician_id);
CREATE INDEX clinician_patient_links_by_patient ON clinician_patient_links (patient_id);

CREATE TABLE consent_events (
    seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose               TEXT NOT NULL,
    decision              TEXT NOT NULL CHECK (decision IN ('grant', 'withdraw')),
    at                    BIGINT NOT NULL,
    wording_version       TEXT NOT NULL,
    recorded_by_staff_id  TEXT
);
CREATE INDEX consent_events_by_person ON consent_events (person_id, seq);

CREATE TABLE mood_entries (
    id           TEXT PRIMARY KEY,
    patient_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    mood         INTEGER NOT NULL,
    sleep        INTEGER,
    anxiety      INTEGER,
    note         BLOB
);
CREATE INDEX mood_entries_by_patient ON mood_entries (patient_id, day);

CREATE TABLE assessments (
    id                  TEXT PRIMARY KEY,
    patient_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument_id       TEXT NOT NULL,
    instrument_version  TEXT NOT NULL,
    answers             TEXT NOT NULL,
    total               INTEGER NOT NULL,
    band                TEXT,
    flags               TEXT NOT NULL,
    completed_at        BIGINT NOT NULL
);
CREATE INDEX assessments_by_patient ON assessments (patient_id, completed_at);

CREATE TABLE courses (
    id                  TEXT PRIMARY KEY,
    patient_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    clinician_id        TEXT,
    problem_descriptor  TEXT NOT NULL,
    opened_at           BIGINT NOT NULL,
    closed_at           BIGINT
);
CREATE INDEX courses_by_patient ON courses (patient_id);

CREATE TABLE treatment_sessions (
    id            TEXT PRIMARY KEY,
    course_id     TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    patient_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    clinician_id  TEXT,
    at            BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    attendance    TEXT NOT NULL
        CHECK (attendance IN ('attended', 'did_not_attend', 'cancelled_by_patient', 'cancelled_by_service'))
);
CREATE INDEX treatment_sessions_by_patient ON treatment_sessions (patient_id, at);
CREATE INDEX treatment_sessions_by_course ON treatment_sessions (course_id, at);

CREATE TABLE journal_entries (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body        BLOB NOT NULL,
    written_at  BIGINT NOT NULL
);
CREATE INDEX journal_entries_by_patient ON journal_entries (patient_id, written_at);

CREATE TABLE messages (
    id            TEXT PRIMARY KEY,
    sender_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body          BLOB NOT NULL,
    sent_at       BIGINT NOT NULL,
    risk_level    TEXT,
    read_at       BIGINT
);
CREATE INDEX messages_by_sender ON messages (sender_id, sent_at);
CREATE INDEX messages_by_recipient ON messages (recipient_id, sent_at);

CREATE TABLE community_posts (
    id          TEXT PRIMARY KEY,
    author_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body        BLOB NOT NULL,
    posted_at   BIGINT NOT NULL,
    risk_level  TEXT,
    hidden_at   BIGINT
);
CREATE INDEX community_posts_by_time ON community_posts (posted_at);
CREATE INDEX community_posts_by_author ON community_posts (author_id);

CREATE TABLE safety_plans (
    patient_id  TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    body        BLOB NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE safety_events (
    id             TEXT PRIMARY KEY,
    patient_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source         TEXT NOT NULL,
    level          TEXT NOT NULL,
    categories     TEXT NOT NULL,
    rules_version  TEXT NOT NULL,
    at             BIGINT NOT NULL
);
CREATE INDEX safety_events_by_patient ON safety_events (patient_id, at);

CREATE TABLE pets (
    patient_id  TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    state       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Append-only, hash-chained. No foreign keys: entries outlive the accounts they name.
CREATE TABLE audit_log (
    seq                 BIGINT PRIMARY KEY,
    at                  BIGINT NOT NULL,
    actor_id            TEXT,
    action              TEXT NOT NULL,
    subject_patient_id  TEXT,
    detail              TEXT NOT NULL,
    prev_hash           BLOB NOT NULL,
    hash                BLOB NOT NULL
);
CREATE INDEX audit_log_by_subject ON audit_log (subject_patient_id, seq);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, seq);
