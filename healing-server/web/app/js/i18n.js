// The text catalogue (i18n/en-GB.json): every word the app shows comes from it.
let catalogue = {};
let loaded = false;
const missing = new Set();

export async function loadCatalogue(locale = 'en-GB') {
  const response = await fetch(`/i18n/${locale}.json`);
  catalogue = await response.json();
  loaded = true;
}

function lookup(key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), catalogue);
}

/** The text for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = lookup(key);
  if (typeof text !== 'string') {
    // Before the catalogue arrives (a failed check-session at start-up) a
    // message may be made and thrown away; only later gaps are real.
    if (loaded) {
      missing.add(key);
      globalThis.__healingMissingText = [...missing];
    }
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** A catalogue entry that is a list or object (e.g. fallback crisis numbers). */
export function tData(key) {
  return lookup(key);
}

/** Whether the catalogue has `key` (used to prefer our wording over the server's). */
export function has(key) {
  return typeof lookup(key) === 'string';
}

/** The server's lower-case phrase ("not a case at the start") as a sentence; '' when empty. */
export function sentence(text) {
  const trimmed = String(text || '').trim();
  if (!trimmed) return '';
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
