// Fetch helpers: the session cookie, the CSRF header on writes, errors in words.
import { currentLanguage } from './i18n.js';

// the server's messages (problems, field errors) in the language the page shows, not the browser's
const language = () => ({ 'Accept-Language': currentLanguage() });

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

async function problem(response) {
  if (response.status === 401) {
    location.href = '/login';
    return new Error('not logged in');
  }
  let message = response.statusText || `HTTP ${response.status}`;
  let errors = [];
  try {
    const body = await response.json();
    message = body.detail || body.message || message;
    errors = Array.isArray(body.errors) ? body.errors : [];
  } catch (ignored) {
    // not JSON: keep the status text
  }
  // the status lets a screen tell "not ready yet" (503) from a failure; errors[] names the fields at fault
  return Object.assign(new Error(message), { status: response.status, errors });
}

export async function getJson(url) {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/geo+json', ...language() },
  });
  if (!response.ok) throw await problem(response);
  return response.json();
}

export async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() ?? '', ...language() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await problem(response);
  return response.json();
}

/**
 * Any write: method, JSON body, and for a change the version it was read at (If-Match).
 * Answers { body, etag }; a failed write throws an Error carrying the problem's errors[].
 */
export async function sendJson(method, url, body, ifMatch) {
  const headers = { Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() ?? '', ...language() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = `"${ifMatch}"`;
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await problem(response);
  const text = await response.text();
  return { body: text ? JSON.parse(text) : null, etag: response.headers.get('ETag') };
}

/** A multipart upload (FormData), e.g. an import. */
export async function postForm(url, formData) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() ?? '', ...language() },
    body: formData,
  });
  if (!response.ok) throw await problem(response);
  return response.json();
}
