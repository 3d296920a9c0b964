-- Registration attempts are throttled per client address, like sign-in, so the
-- action list of auth_throttle gains 'register'. SQLite cannot change a CHECK
-- constraint in place: the table is rebuilt with its rows.
CREATE TABLE auth_throttle_new (
    scope              TEXT NOT NULL CHECK (scope IN ('account', 'client_address')),
    action             TEXT NOT NULL CHECK (action IN ('login', 'second_factor', 'password_reset', 'register')),
    subject            TEXT NOT NULL,
    failures           INTEGER NOT NULL,
    window_started_at  BIGINT NOT NULL,
    locked_until       BIGINT,
    PRIMARY KEY (scope, action, subject)
);
INSERT INTO auth_throttle_new (scope, action, subject, failures, window_started_at, locked_until)
    SELECT scope, action, subject, failures, window_started_at, locked_until FROM auth_throttle;
DROP TABLE auth_throttle;
ALTER TABLE auth_throttle_new RENAME TO auth_throttle;
