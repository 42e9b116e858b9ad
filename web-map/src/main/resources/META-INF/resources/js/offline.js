// The installable, offline-capable page (issue 13): the service worker (/sw.js) and what must not
// outlive a session on a shared phone.

/** Installs /sw.js; the tile server's URL template goes with it, so that its tiles are kept too. */
export function registerWorker(tileUrl) {
  // service workers need a secure context (https, or localhost): elsewhere the page just stays online-only
  if (!navigator.serviceWorker) return;
  const url = tileUrl ? `/sw.js?tiles=${encodeURIComponent(tileUrl)}` : '/sw.js';
  if (tileUrl && !navigator.serviceWorker.controller) {
    // the tiles drawn before the worker took the page over are read once more, through it, to be kept
    navigator.serviceWorker.addEventListener('controllerchange', keepDrawnTiles, { once: true });
  }
  navigator.serviceWorker.register(url, { scope: '/' }).catch((error) => console.warn('service worker', error));
}

function keepDrawnTiles() {
  for (const tile of document.querySelectorAll('img.leaflet-tile-loaded')) {
    fetch(tile.src, { mode: 'no-cors', credentials: 'omit' }).catch(() => {});
  }
}

/**
 * The route (households' names, addresses, phones) and the account kept for offline use leave the phone:
 * at log-out and when the log-in page opens. Outcomes still waiting to be sent are kept.
 */
export async function forgetPersonalData() {
  Object.keys(localStorage).filter((key) => key.startsWith('caregrid.route.')).forEach((key) => localStorage.removeItem(key));
  if (!globalThis.caches) return;
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith('caregrid-data')).map((name) => caches.delete(name)));
}
