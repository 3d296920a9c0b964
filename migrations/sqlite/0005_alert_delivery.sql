-- Alert delivery and escalation (issue 14): a transactional outbox of emails and
-- webhook calls about alerts, written in the transaction that raises (or
-- escalates) the alert, and the escalation clock of each alert.

-- How many times an alert has escalated, and when it next does; NULL once it is
-- acknowledged or resolved. Workers find due alerts by this column.
ALTER TABLE alerts ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN escalate_at BIGINT NULL;
CREATE INDEX alerts_due_to_escalate ON alerts (escalate_at);

-- One message to send about an alert. The row holds no words the patient wrote
-- and no address: the worker builds the message from the alert and looks the
-- clinician's address up when it sends. `id` is the idempotency key a webhook
-- receiver sees. A worker claims a row by setting `lease_until`; a claim that
-- lapses (the worker crashed mid-send) is claimed again.
CREATE TABLE alert_deliveries (
    id                TEXT PRIMARY KEY,
    alert_id          TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    event             TEXT NOT NULL CHECK (event IN ('raised', 'escalated')),
    escalation_level  INTEGER NOT NULL,
    channel           TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    recipient_id      TEXT,
    state             TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   BIGINT NOT NULL,
    lease_until       BIGINT,
    created_at        BIGINT NOT NULL,
    delivered_at      BIGINT
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_attempt_at);
CREATE INDEX alert_deliveries_by_alert ON alert_deliveries (alert_id);

-- Every attempt, kept: when it started and how it went, in a few words (an HTTP
-- status, "timeout"), never message text or an address.
CREATE TABLE alert_delivery_attempts (
    delivery_id  TEXT NOT NULL REFERENCES alert_deliveries (id) ON DELETE CASCADE,
    attempt      INTEGER NOT NULL,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed')),
    detail       TEXT NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
