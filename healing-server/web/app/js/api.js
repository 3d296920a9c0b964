// The one door to the JSON API: fetch, the CSRF header, the {success, data}
// envelope, and every failure turned into words the screen can show.
import { t, has, sentence } from './i18n.js';

let csrfToken = null;
const crisisListeners = new Set();

export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** Called with the `safety` object when a write answer asks for crisis resources. */
export function onCrisisResources(listener) {
  crisisListeners.add(listener);
  return () => crisisListeners.delete(listener);
}

export class ApiError extends Error {
  constructor(status, code, message, serverMessage = '') {
    super(message);
    this.status = status;
    this.code = code;
    // The server's own message (lower-case, starts with the field name when about a field).
    this.serverMessage = serverMessage;
  }
}

function plainMessage(status, body, retryAfter) {
  const code = body && body.code ? body.code : `HTTP_${status}`;
  if (code === 'TOO_MANY_ATTEMPTS') {
    const minutes = Math.max(1, Math.ceil(Number(retryAfter || 60) / 60));
    return { code, message: t('errors.TOO_MANY_ATTEMPTS', { minutes }) };
  }
  if (has(`errors.${code}`)) return { code, message: t(`errors.${code}`) };
  if (status >= 500) return { code, message: t('errors.INTERNAL_ERROR') };
  return { code, message: sentence(body && body.error) || t('errors.unknown') };
}

/** Tells the app to show the crisis view when `safety` asks for it (also for answers read outside `request`). */
export function reportSafety(safety) {
  if (safety && safety.show_crisis_resources) {
    for (const listener of crisisListeners) listener(safety);
  }
}

function checkSafety(json) {
  reportSafety((json && json.safety) || (json && json.data && json.data.safety));
}

/**
 * Sends a request; resolves to the envelope's `data`, or throws ApiError.
 * `crisis: false` is for a clinician's writes (a clinical note): what screening
 * finds there is about the patient, so the screen shows it as information and
 * the crisis view, which is for the person writing, does not take over.
 * `headers` adds request headers (an admin's break-glass reason).
 */
export async function request(method, path, body, { crisis = true, headers: extra = {} } = {}) {
  const headers = { ...extra, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('errors.NETWORK'));
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (method !== 'GET' && crisis) checkSafety(json);
  if (!response.ok) {
    const { code, message } = plainMessage(response.status, json, response.headers.get('Retry-After'));
    throw new ApiError(response.status, code, message, json && json.error ? json.error : '');
  }
  if (!json || json.success !== true) {
    throw new ApiError(response.status, 'BAD_RESPONSE', t('errors.BAD_RESPONSE'));
  }
  return json.data;
}

export const get = (path, options = {}) => request('GET', path, undefined, options);
export const post = (path, body = {}, options = {}) => request('POST', path, body, options);
export const put = (path, body = {}, options = {}) => request('PUT', path, body, options);
export const del = (path, options = {}) => request('DELETE', path, undefined, options);

/** Splits server-sent event text into `{event, data}` records; returns them and the unfinished rest. */
function parseEvents(buffer) {
  const events = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = 'message';
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * A POST whose answer streams as server-sent events (EventSource cannot POST,
 * so this reads the body with a stream reader). `onDelta(text)` gets each piece
 * as it arrives; resolves to the final `done` event's data, or throws ApiError
 * (a refusal before the stream, an `error` event, or a stream cut short). The
 * final answer's `safety` brings up the crisis view as any write's does.
 */
export async function postStream(path, body, { onDelta = () => {} } = {}) {
  const headers = { Accept: 'text/event-stream', 'Content-Type': 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', t('errors.NETWORK'));
  }
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
    let json = null;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    if (!response.ok) {
      const { code, message } = plainMessage(response.status, json, response.headers.get('Retry-After'));
      throw new ApiError(response.status, code, message, json && json.error ? json.error : '');
    }
    throw new ApiError(response.status, 'BAD_RESPONSE', t('errors.BAD_RESPONSE'));
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const parsed = parseEvents(buffer);
      buffer = parsed.rest;
      for (const { event, data } of parsed.events) {
        let json = null;
        try {
          json = JSON.parse(data);
        } catch {
          json = null;
        }
        if (event === 'delta' && json && typeof json.text === 'string') onDelta(json.text);
        else if (event === 'done' && json) {
          reader.cancel().catch(() => {});
          reportSafety(json.safety);
          return json;
        } else if (event === 'error') {
          const { code, message } = plainMessage(json && json.status ? json.status : 500, json, null);
          throw new ApiError(json && json.status ? json.status : 500, code, message, json && json.error ? json.error : '');
        }
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, 'STREAM_CUT', t('errors.STREAM_CUT'));
  }
  throw new ApiError(0, 'STREAM_CUT', t('errors.STREAM_CUT'));
}

/** A file download (a data export, a FHIR record, a CSV report): resolves to a Blob, or throws ApiError. */
export async function getBlob(path) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', t('errors.NETWORK'));
  }
  if (!response.ok) {
    let json = null;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    const { code, message } = plainMessage(response.status, json, response.headers.get('Retry-After'));
    throw new ApiError(response.status, code, message, json && json.error ? json.error : '');
  }
  return response.blob();
}

/** Saves `blob` as a file called `filename` (the browser's download). */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
