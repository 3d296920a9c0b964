// An admin's break-glass reason: asked for on the users screen, sent as a
// header with every request of the one patient page it was given for, and
// held nowhere but in memory. The page takes it once, so leaving the page
// (or reloading it) means stating a reason again.
import { t } from './i18n.js';

/** The header the server reads (BREAK_GLASS_HEADER in healing-server/src/policy.rs). */
export const BREAK_GLASS_HEADER = 'X-Break-Glass-Reason';
/** The shortest reason the server accepts (BREAK_GLASS_MIN_CHARS there). */
export const BREAK_GLASS_MIN_CHARS = 15;
/** The audit log keeps the first 300 characters. */
export const BREAK_GLASS_MAX_CHARS = 300;

let pending = null;

/** The reason as it will be sent: one line, spaces collapsed. */
export function cleanReason(text) {
  return String(text || '').replace(/\s+/g, ' ').trim();
}

/** What is wrong with `reason` in plain words, or null. */
export function reasonProblem(reason) {
  if (!reason) return t('breakglass.reason_missing');
  if ([...reason].length < BREAK_GLASS_MIN_CHARS) return t('breakglass.reason_short', { min: BREAK_GLASS_MIN_CHARS });
  // A request header carries printable ASCII only.
  if (!/^[\x20-\x7e]+$/.test(reason)) return t('breakglass.reason_characters');
  return null;
}

export function holdReason(patientId, reason) {
  pending = { patientId, reason };
}

/** The reason held for `patientId`, once; null if there is none. */
export function takeReason(patientId) {
  const reason = pending && pending.patientId === patientId ? pending.reason : null;
  pending = null;
  return reason;
}

/** Request options that send `reason`. */
export function withReason(reason) {
  return { headers: { [BREAK_GLASS_HEADER]: reason } };
}
