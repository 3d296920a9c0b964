// How many safety alerts are open, for the navigation and the clinician's home.
// Read from GET /api/alerts, which lists open alerts first, most serious first.
import { useState, useEffect } from '../vendor/preact-htm.module.js';
import { get } from './api.js';
import { onSessionChange } from './session.js';

// Enough to count every open alert a team could have at once; a full page of
// open alerts is shown as "500 or more".
const COUNT_LIMIT = 500;
// Moving between screens re-reads the count at most this often; an action on
// an alert, the Alerts screen and the clinician's home always re-read it.
const MAX_AGE_MS = 30000;

// { open, more, highest } once read; { error } when the read failed; null before.
let current = null;
let readAt = 0;
let pending = null;
// Bumped by each new session, so a read started before it is thrown away.
let generation = 0;
const listeners = new Set();

export function onOpenAlertsChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function publish(value) {
  current = value;
  listeners.forEach((listener) => listener(current));
}

// A new session (sign-in, sign-out) starts with no count, so nobody sees another person's.
onSessionChange(() => {
  generation += 1;
  readAt = 0;
  publish(null);
});

/** Re-reads the count; `force` skips the 30-second reuse. */
export async function refreshOpenAlerts({ force = false } = {}) {
  if (!force && current && !current.error && Date.now() - readAt < MAX_AGE_MS) return current;
  if (pending) {
    // A read already under way may have started before the change being counted.
    if (!force) return pending;
    await pending;
  }
  const started = generation;
  pending = get(`/api/alerts?limit=${COUNT_LIMIT}`)
    .then((alerts) => {
      if (started !== generation) return;
      const open = alerts.filter((alert) => alert.state === 'open');
      readAt = Date.now();
      publish({ open: open.length, more: open.length === COUNT_LIMIT, highest: open.length ? open[0].severity : null });
    })
    .catch((error) => {
      if (started === generation) publish({ error });
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** The count for a component, kept up to date: `{open, more, highest}`, `{error}` or null. */
export function useOpenAlerts() {
  const [count, setCount] = useState(current);
  useEffect(() => {
    setCount(current);
    return onOpenAlertsChange(setCount);
  }, []);
  return count;
}
