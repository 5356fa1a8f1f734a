// The JSON API (see /api/openapi.json): every call is same-origin with the session cookie, and
// every call that changes something carries the page's CSRF token. A 401 means the session ended.

import { t, localizeKinds, problemWords } from './i18n.js';

const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

export class APIError extends Error {
  constructor(status, message, field, details) {
    super(message);
    this.status = status;
    this.field = field ?? null;
    // The raw text behind a plain-words message (a network or TLS failure), for "Technical details".
    this.details = details ?? null;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const options = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new APIError(0, t('The server cannot be reached. Check your connection and try again.'));
  }
  if (response.status === 401) {
    location.assign('/login');
    throw new APIError(401, t('Your session ended. Please sign in again.'));
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    const message = problemWords(data) ?? data?.error ?? t('The server answered {status}.', { status: String(response.status) });
    throw new APIError(response.status, message, data?.field, data?.details);
  }
  return data;
}

// The lists whose texts for people the server writes in English: translated as they arrive.
const translated = new Set(['/api/spoke-kinds', '/api/objects']);
export const get = (path) => api('GET', path).then((data) => (translated.has(path) ? localizeKinds(data) : data));
export const post = (path, body) => api('POST', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** A query string the server reads as sent: a space as %20 (URLSearchParams writes "+", which the
 *  server's query parser keeps as a plus: "Alan+Turing" matched nobody). */
export const query = (params) => String(new URLSearchParams(params)).replace(/\+/g, '%20');

/** `/api/hubs/<hub>/…` with each part URL-encoded. */
export function hubPath(hub, ...rest) {
  return ['/api/hubs', hub, ...rest].map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
}
