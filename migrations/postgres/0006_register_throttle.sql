-- Registration attempts are throttled per client address, like sign-in, so the
-- action list of auth_throttle gains 'register'.
ALTER TABLE auth_throttle DROP CONSTRAINT auth_throttle_action_check;
ALTER TABLE auth_throttle ADD CONSTRAINT auth_throttle_action_check
    CHECK (action IN ('login', 'second_factor', 'password_reset', 'register'));
