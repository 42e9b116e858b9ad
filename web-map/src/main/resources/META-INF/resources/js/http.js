// Fetch helpers: same-origin session cookie, CSRF header on writes, errors in words.

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

export async function getJson(url) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json, application/geo+json' } });
  if (response.status === 401) {
    location.href = '/login';
    throw new Error('not logged in');
  }
  if (!response.ok) {
    let message = response.statusText;
    try {
      const problem = await response.json();
      message = problem.detail || problem.message || message;
    } catch (ignored) {
      // not JSON: keep the status text
    }
    throw new Error(message);
  }
  return response.json();
}
