-- TOTP replay protection shared by every server process: the last RFC 6238 time step
-- accepted for the account (NULL until a code is first accepted). A code is accepted
-- only for a step greater than this one, by a single conditional UPDATE.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NULL;
