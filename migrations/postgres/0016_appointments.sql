-- Appointments (issue 16): clinicians' weekly availability and closures, bookings,
-- the outbox of their reminders, and calendar feed tokens.
--
-- Instants are BIGINT unix seconds (UTC) like every other instant; a weekly slot is
-- local Europe/London wall-clock time (weekday, minute of the day, length), turned
-- into instants for a given date by `healing_store::schedule`, so a 09:00 slot stays
-- at 09:00 across the clock changes. A closure is a range of local dates (TEXT
-- YYYY-MM-DD), inclusive.
--
-- Sealed with the field cipher (listed in `EncryptedColumn`, so key rotation re-seals
-- it; the associated data binds table, column and row id):
--   appointments.video_url     the video-call link, which admits whoever holds it
--
-- In clear, and why:
--   appointments.clinician_id, patient_id, starts_at, ends_at, state
--                              the diary of each side, the open-slot reads and the
--                              one-live-booking-per-start rule (a partial unique
--                              index) are all on them; no patient free text is kept
--   appointment_reminders.*    the outbox the reminder worker claims and records
--   calendar_feeds.token_hash  SHA-256 of the feed's secret token, looked up by hash
CREATE TABLE availability_slots (
    id              TEXT PRIMARY KEY,
    clinician_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute    INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    length_minutes  INTEGER NOT NULL CHECK (length_minutes BETWEEN 5 AND 480)
);
CREATE INDEX availability_slots_by_clinician ON availability_slots (clinician_id);

CREATE TABLE availability_closures (
    id            TEXT PRIMARY KEY,
    clinician_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    first_day     TEXT NOT NULL,
    last_day      TEXT NOT NULL,
    CONSTRAINT availability_closures_order CHECK (first_day <= last_day)
);
CREATE INDEX availability_closures_by_clinician ON availability_closures (clinician_id);

CREATE TABLE appointments (
    id                TEXT PRIMARY KEY,
    clinician_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    patient_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    starts_at         BIGINT NOT NULL,
    ends_at           BIGINT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('scheduled', 'attended', 'did_not_attend',
                          'cancelled_by_patient', 'cancelled_by_clinician')),
    video_url         BYTEA,
    booked_at         BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    rescheduled_from  TEXT REFERENCES appointments (id) ON DELETE SET NULL,
    CONSTRAINT appointments_times CHECK (starts_at < ends_at)
);
-- No double booking: one live booking per clinician and start, enforced here, so
-- concurrent requests for one slot cannot both succeed.
CREATE UNIQUE INDEX appointments_one_live_booking ON appointments (clinician_id, starts_at)
    WHERE state = 'scheduled';
CREATE INDEX appointments_by_patient ON appointments (patient_id, starts_at);
CREATE INDEX appointments_by_clinician ON appointments (clinician_id, starts_at);

CREATE TABLE appointment_reminders (
    id              TEXT PRIMARY KEY,
    appointment_id  TEXT NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'in_app')),
    due_at          BIGINT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'cancelled', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease_until     BIGINT,
    sent_at         BIGINT,
    CONSTRAINT appointment_reminders_one_per_channel UNIQUE (appointment_id, channel)
);
CREATE INDEX appointment_reminders_due ON appointment_reminders (state, due_at);

CREATE TABLE calendar_feeds (
    user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash  BYTEA NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);
