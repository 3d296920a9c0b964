// A moment shown both ways: "5 minutes ago" to read at a glance, and the
// date and time in full to write in notes ("Sunday, 6 December 2026 at 21:40").
import { html } from '../../vendor/preact-htm.module.js';

const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", "now". */
export function relativeTime(iso, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}

/** "Sunday, 6 December 2026 at 21:40" in the reader's time zone. */
export function dateTime(iso) {
  return new Date(iso).toLocaleString('en-GB', {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

/** "16 Nov 2026, 10:00" in the reader's time zone: short enough for a table column. */
export function shortDateTime(iso) {
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function When({ iso }) {
  return html`<time datetime=${iso}>${relativeTime(iso)}</time> (${dateTime(iso)})`;
}
