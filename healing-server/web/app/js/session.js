// Who is signed in: read from check-session, changed by sign-in and sign-out.
import { get, post, setCsrfToken } from './api.js';

let current = null;
const listeners = new Set();

export function session() {
  return current;
}

export function setSession(value) {
  current = value;
  setCsrfToken(value ? value.csrf_token : null);
  listeners.forEach((listener) => listener(current));
}

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Loads the session from the server; null when signed out or offline. */
export async function loadSession() {
  try {
    setSession(await get('/api/auth/check-session'));
  } catch {
    setSession(null);
  }
  return current;
}

export async function signOut() {
  try {
    await post('/api/auth/logout', {});
  } finally {
    setSession(null);
  }
}

/** The first screen for a signed-in user. */
export function homeFor(value) {
  if (!value) return '/sign-in';
  if (value.stage === 'awaiting_second_factor') return '/two-factor';
  if (value.two_factor_setup_required) return '/two-factor/setup';
  if (value.user.role === 'clinician') return '/clinician';
  if (value.user.role === 'admin') return '/admin';
  return '/today';
}

export function patientPath(suffix) {
  return `/api/patients/${encodeURIComponent(current.user.id)}${suffix}`;
}

/** A route of the clinician's workspace about one patient. */
export function clinicianPatientPath(patientId, suffix = '') {
  return `/api/clinician/patients/${encodeURIComponent(patientId)}${suffix}`;
}
