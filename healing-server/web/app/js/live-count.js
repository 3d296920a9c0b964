// A count the navigation shows on every screen (open alerts, unread messages):
// read once, shared by every component that shows it, re-read at most every
// 30 seconds unless forced, and forgotten when the session changes.
import { useState, useEffect } from '../vendor/preact-htm.module.js';
import { onSessionChange } from './session.js';

// Moving between screens re-reads a count at most this often; a screen that
// changes what is counted forces a re-read.
const MAX_AGE_MS = 30000;

/**
 * A live count read by `read()` (a promise of the value to publish).
 * Returns `{ refresh, set, use }`: `refresh({force})` re-reads, `set(value)`
 * publishes a value a screen has just read, and `use()` is the hook giving
 * the value, `{error}` when the read failed, or null before the first read.
 */
export function liveCount(read) {
  let current = null;
  let readAt = 0;
  let pending = null;
  // Bumped by each new session, so a read started before it is thrown away.
  let generation = 0;
  const listeners = new Set();

  function publish(value) {
    current = value;
    listeners.forEach((listener) => listener(current));
  }

  function set(value) {
    readAt = Date.now();
    publish(value);
  }

  // A new session (sign-in, sign-out) starts with no count, so nobody sees another person's.
  onSessionChange(() => {
    generation += 1;
    readAt = 0;
    publish(null);
  });

  async function refresh({ force = false } = {}) {
    if (!force && current && !current.error && Date.now() - readAt < MAX_AGE_MS) return current;
    if (pending) {
      // A read already under way may have started before the change being counted.
      if (!force) return pending;
      await pending;
    }
    const started = generation;
    pending = read()
      .then((value) => {
        if (started === generation) set(value);
      })
      .catch((error) => {
        if (started === generation) publish({ error });
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  function use() {
    const [count, setCount] = useState(current);
    useEffect(() => {
      setCount(current);
      listeners.add(setCount);
      return () => listeners.delete(setCount);
    }, []);
    return count;
  }

  return { refresh, set, use };
}
