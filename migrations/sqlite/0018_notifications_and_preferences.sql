-- Notifications, their email outbox, and each person's preferences (issue 16).
--
-- Nothing here is sealed because nothing here is anyone's words: a notification
-- names what happened (`kind`) and what it links to (`subject_id`, an id the app
-- opens through the policy layer); an email is built by the worker from the kind
-- alone. In clear, and why:
--   notifications.user_id, kind, subject_id,
--   created_at, read_at                    the list is read newest first per person,
--                                          with the unread count; erasure follows
--                                          the person and the subject
--   notification_emails.*                  the outbox: which notification is due to
--                                          be emailed to whom, claimed under a lease
--                                          and retried like alert deliveries
--   user_preferences.*                     theme, language, which kinds also go by
--                                          email (a JSON array of kind names) and
--                                          the reminder lead time
--
-- At most one unread notification per person, kind and subject: a second message
-- in a conversation moves the unread one to the top instead of adding another
-- (and so is not emailed again).
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    subject_id  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
CREATE UNIQUE INDEX notifications_unread_once ON notifications (user_id, kind, subject_id)
    WHERE read_at IS NULL;

CREATE TABLE notification_emails (
    id               TEXT PRIMARY KEY,
    notification_id  TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    lease_until      BIGINT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT,
    CONSTRAINT notification_emails_state CHECK (state IN ('pending', 'sent', 'failed', 'cancelled'))
);
CREATE INDEX notification_emails_due ON notification_emails (state, next_attempt_at);
CREATE INDEX notification_emails_by_user ON notification_emails (user_id);

CREATE TABLE user_preferences (
    user_id              TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    theme                TEXT NOT NULL,
    language             TEXT NOT NULL,
    email_kinds          TEXT NOT NULL,
    reminder_lead_hours  INTEGER NOT NULL,
    updated_at           BIGINT NOT NULL,
    CONSTRAINT user_preferences_theme CHECK (theme IN ('light', 'dark', 'system')),
    CONSTRAINT user_preferences_lead CHECK (reminder_lead_hours BETWEEN 1 AND 168)
);
