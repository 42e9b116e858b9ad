// caregrid's service worker: the volunteer's phone keeps working in a village with poor signal.
// - the app shell (page, styles, scripts, messages, Leaflet) is precached per build, cache-first;
// - today's route (GET /api/my/route) and who is logged in (/api/me, /api/vocabulary) are network-first,
//   falling back to the last answer; the route is kept only while it is active and today (PIPL: the
//   household's address is shown only then), and the whole data cache goes at log-out (here and in the
//   page, offline.js) and when the log-in page opens;
// - the map tiles drawn are kept cache-first, at most MAX_TILES of them, the least recently used going first;
// - every other API answer goes to the network and is never stored (personal data).
// Outcomes recorded offline are not this worker's business: the page keeps them in its outbox.

// replaced by the build (web-map's resource filtering), so that a new build installs a new shell
const BUILD = '@caregrid.build@';
const SHELL_CACHE = `caregrid-shell-${BUILD}`;
const DATA_CACHE = 'caregrid-data-v1';
const TILE_CACHE = 'caregrid-tiles-v1';
const MAX_TILES = 400;

const SHELL = [
  '/',
  '/manifest.json',
  '/css/caregrid.css',
  '/i18n/zh-CN.json',
  '/i18n/en.json',
  '/img/icon.svg',
  '/img/icon-192.png',
  '/webjars/leaflet/dist/leaflet.css',
  '/webjars/leaflet/dist/leaflet.js',
  '/webjars/leaflet-markercluster/MarkerCluster.css',
  '/webjars/leaflet-markercluster/MarkerCluster.Default.css',
  '/webjars/leaflet-markercluster/leaflet.markercluster.js',
  '/webjars/chart.js/dist/chart.umd.js',
  ...['admin', 'app', 'appoint', 'basemap', 'callout', 'dispatcher', 'dom', 'forms', 'gridworker', 'http', 'i18n',
    'keyperson', 'layers', 'medicine', 'mvt', 'needs', 'offline', 'planner', 'visittour', 'volunteer', 'whatif'].map((name) => `/js/${name}.js`),
];
// static files of the shell not in the list above (a module added later) are kept as they are first loaded
const SHELL_PREFIXES = ['/css/', '/js/', '/i18n/', '/img/', '/webjars/'];
const ROUTE = '/api/my/route';
// needed to open the volunteer's screen at all; the caller's own account and the domain's word lists
const START_DATA = ['/api/me', '/api/vocabulary'];

// the tile server's URL template (Leaflet's, e.g. https://{s}.tile.example/{z}/{x}/{y}.png) comes with
// the worker's own URL, so that a changed configuration installs a fresh worker
const tilePattern = (() => {
  const template = new URL(self.location.href).searchParams.get('tiles');
  if (!template) return null;
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{([a-z0-9_-]+)\}/gi, (match, name) => {
    if (['x', 'y', 'z'].includes(name)) return '-?\\d+';
    if (name === 'r') return '(?:@2x)?';
    return '[^/?&]*';
  })}$`);
})();

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await Promise.all(SHELL.map(async (path) => {
      const response = await fetch(path, { credentials: 'same-origin', cache: 'no-cache' });
      // the page needs a log-in: a session that ended answers with the log-in page, which is no shell
      if (!response.ok || response.redirected) throw new Error(`${path}: HTTP ${response.status}`);
      await cache.put(path, response);
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const current = [SHELL_CACHE, DATA_CACHE, TILE_CACHE];
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith('caregrid-') && !current.includes(name))
      .map((name) => caches.delete(name)));
    await self.clients.claim();
    // the page that installed this worker read its data before the worker was there: read it once more,
    // so that the first time without signal already finds today's route
    await warm().catch(() => null);
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET') {
    if (url.origin === self.location.origin && url.pathname === '/logout') event.waitUntil(caches.delete(DATA_CACHE));
    return;
  }
  if (url.origin !== self.location.origin) {
    if (tilePattern && tilePattern.test(request.url)) event.respondWith(tile(event));
    return;
  }
  if (request.mode === 'navigate') {
    if (url.pathname === '/' || url.pathname === '/index.html') event.respondWith(page(request));
    return;
  }
  if (url.pathname === ROUTE) {
    event.respondWith(route(request));
  } else if (START_DATA.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (SHELL_PREFIXES.some((prefix) => url.pathname.startsWith(prefix)) || url.pathname === '/manifest.json') {
    event.respondWith(shell(request));
  }
});

async function warm() {
  const [me] = await Promise.all(START_DATA.map((path) => networkFirst(new Request(path), path)));
  const roles = me.ok ? (await me.clone().json()).roles ?? [] : [];
  // only a volunteer has a route: anyone else's read would be refused, and logged as a denied attempt
  if (roles.includes('VOLUNTEER')) await route(new Request(ROUTE));
}

/** The page from the network (a log-in redirect included); without signal, the one kept. */
async function page(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    return (await caches.match('/', { cacheName: SHELL_CACHE })) ?? Response.error();
  }
}

async function shell(request) {
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && !response.redirected) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request, key) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (offline) {
    return (await cache.match(key)) ?? Response.error();
  }
}

/** The phone's calendar day, as the route's date is written (YYYY-MM-DD). */
function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** A route is kept while it is active and its day has not passed on the phone's calendar. */
function keepable(answer) {
  return answer?.state === 'active' && typeof answer.date === 'string' && answer.date >= today();
}

async function route(request) {
  const cache = await caches.open(DATA_CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (offline) {
    const kept = await cache.match(ROUTE);
    if (kept && keepable(await kept.clone().json())) return kept;
    await cache.delete(ROUTE);
    return Response.error();
  }
  if (response.ok && keepable(await response.clone().json().catch(() => null))) {
    await cache.put(ROUTE, response.clone());
  } else if (response.ok || response.status === 401 || response.status === 403) {
    // finished, not today, or no longer this caller's: the households' addresses leave the phone
    await cache.delete(ROUTE);
  }
  return response;
}

/** Cache-first; a tile used again moves to the end, and the oldest go when there are too many. */
async function tile(event) {
  const cache = await caches.open(TILE_CACHE);
  const kept = await cache.match(event.request);
  if (kept) {
    const copy = kept.clone();
    event.waitUntil(cache.delete(event.request).then(() => cache.put(event.request, copy)));
    return kept;
  }
  const response = await fetch(event.request);
  // a tile server without CORS answers opaquely: kept too, since the page could draw it
  if (response.ok || response.type === 'opaque') {
    event.waitUntil(cache.put(event.request, response.clone()).then(() => trim(cache)));
  }
  return response;
}

async function trim(cache) {
  const keys = await cache.keys();
  // keys come oldest first (in the order they were put)
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_TILES)).map((key) => cache.delete(key)));
}
