// The person's preferences, kept on their account (/api/me/preferences): the
// colours, the language, which notifications also come by email, and how long
// before an appointment its reminder comes. The colours chosen on the account
// are the ones every device uses: when someone signs in (or opens the app
// signed in) their account's choice is applied here, and a choice made on this
// device that could not be saved yet is saved then instead.
import { get, put } from './api.js';
import { onSessionChange } from './session.js';
import { storedTheme, setTheme } from './theme.js';

const PATH = '/api/me/preferences';
// The id of the person whose colour choice on this device is not on their account yet.
const UNSAVED = 'healing-theme-unsaved';

// Bumped by each new session and each choice made here, so an older read of
// the account's colours is not applied over them.
let generation = 0;
// The current session's colours, once applied.
let settled = Promise.resolve();

// Saves run one after another, each on the newest stored preferences, so a
// colour chosen while the email choices are being saved is not lost.
let queue = Promise.resolve();

/** The stored preferences with the choices the app can offer. */
export const loadPreferences = () => get(PATH);

/**
 * Saves `changes` (some of theme, language, email, reminder_lead_hours) over
 * the stored preferences; resolves to the preferences as now stored.
 */
export function updatePreferences(changes) {
  const run = queue.then(async () => {
    const now = await get(PATH);
    return put(PATH, {
      theme: now.theme,
      language: now.language,
      email: now.email,
      reminder_lead_hours: now.reminder_lead_hours,
      ...changes,
    });
  });
  queue = run.catch(() => {});
  return run;
}

function remember(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private browsing: nothing is remembered past this page.
  }
}

function recall(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Uses `theme` on this device at once and saves it to `userId`'s account; resolves when saved. */
export async function chooseTheme(theme, userId) {
  // An account's colours still on their way must not undo this choice.
  generation += 1;
  setTheme(theme);
  remember(UNSAVED, userId);
  const saved = await updatePreferences({ theme });
  // A later choice may be on its way; only the last one saved clears the mark.
  if (storedTheme() === saved.theme) remember(UNSAVED, null);
  return saved;
}

const ready = (value) => Boolean(value && value.stage === 'authenticated' && !value.two_factor_setup_required);

async function follow(value) {
  generation += 1;
  const mine = generation;
  if (!ready(value)) return;
  const unsaved = recall(UNSAVED);
  try {
    if (unsaved === value.user.id) {
      // Chosen here and not saved yet (the page closed, the connection dropped).
      const saved = await updatePreferences({ theme: storedTheme() });
      if (storedTheme() === saved.theme) remember(UNSAVED, null);
      return;
    }
    if (unsaved) remember(UNSAVED, null);
    const preferences = await get(PATH);
    if (mine === generation) setTheme(preferences.theme);
  } catch {
    // Offline or refused: this device keeps the colours it has.
  }
}

/** Applies each signed-in person's colours from their account; call once, before the session loads. */
export function followAccountTheme() {
  onSessionChange((value) => {
    settled = follow(value);
  });
}

/** Resolves, once the account's colours are applied, to the theme in use on this device. */
export async function themeInUse() {
  await settled;
  return storedTheme();
}
