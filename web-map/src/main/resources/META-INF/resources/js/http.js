// Fetch helpers: the session cookie, the CSRF header on writes, errors in words (in the page's language).
import { currentLanguage } from './i18n.js';

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
  try {
    const body = await response.json();
    message = body.detail || body.message || message;
  } catch (ignored) {
    // not JSON: keep the status text
  }
  // the status lets a screen tell "not ready yet" (503) from a failure
  return Object.assign(new Error(message), { status: response.status });
}

export async function getJson(url) {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/geo+json', 'Accept-Language': currentLanguage() },
  });
  if (!response.ok) throw await problem(response);
  return response.json();
}

export async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': currentLanguage(),
      'X-XSRF-TOKEN': csrfToken() ?? '',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await problem(response);
  return response.json();
}
