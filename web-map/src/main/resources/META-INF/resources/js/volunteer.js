// The volunteer's phone screen (390×844 first): today's delivery route on the map with numbered stops
// (the pickup first), the next stop's address, phone and a "navigate" link, and one tap per outcome with
// an optional note. Outcomes go into an outbox in localStorage first and are sent from there, each with
// its own idempotency key, so that an outcome recorded without signal is sent when the phone is online
// again, and exactly once even if an answer is lost ("n waiting to send").
import { getJson, postJson } from './http.js';
import { el, fill } from './dom.js';
import { t } from './i18n.js';
import { facilitiesLayer } from './layers.js';
import { numberIcon } from './dispatcher.js';
import { startGridWorker } from './gridworker.js';

const ROUTE_COLOUR = '#1565c0';
const DONE_COLOUR = '#9e9e9e';
const NEXT_COLOUR = '#ef6c00';
const DELIVERY_OUTCOMES = ['delivered', 'not_home', 'refused', 'unreachable'];
const RETRY_MS = 30000;

/** A fresh idempotency key for one outcome. */
function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

/** The outbox and the last route seen, kept per user in localStorage. */
function storage(username) {
  const outboxKey = `caregrid.outbox.${username}`;
  const routeKey = `caregrid.route.${username}`;
  const read = (key, fallback) => {
    try {
      return JSON.parse(localStorage.getItem(key)) ?? fallback;
    } catch (ignored) {
      return fallback;
    }
  };
  return {
    outbox: () => read(outboxKey, []),
    saveOutbox: (items) => localStorage.setItem(outboxKey, JSON.stringify(items)),
    route: () => read(routeKey, null),
    // households' names and phones stay on the phone only while the route is active (PIPL)
    saveRoute: (route) => (route && route.state === 'active'
      ? localStorage.setItem(routeKey, JSON.stringify(route)) : localStorage.removeItem(routeKey)),
  };
}

/** A network failure (no signal) rather than an answer from the server. */
function offline(error) {
  return error instanceof TypeError || error?.status === undefined || error?.status === 0 || error?.status === 503;
}

export async function startVolunteer(context) {
  const { me, status, panel, map, toLatLng } = context;
  const store = storage(me.username);
  facilitiesLayer(context).addTo(map);
  const layer = L.layerGroup().addTo(map);

  const summary = el('p', { id: 'route-summary', class: 'summary' });
  const outboxLine = el('p', { id: 'outbox', class: 'info', hidden: true });
  const next = el('section', { id: 'next-stop', class: 'next-stop' });
  const list = el('ol', { id: 'route-stops', class: 'kp-list route-stops' });
  const keyPersons = el('button', { type: 'button', id: 'my-key-persons', class: 'link' }, t('vol.keyPersons'));
  keyPersons.addEventListener('click', () => {
    layer.clearLayers();
    startGridWorker(context);
  });
  fill(panel, el('h2', {}, t('vol.title')), summary, outboxLine, next, list, keyPersons);

  let route = store.route();
  let sending = false;
  let fitted = false;

  /** The route as shown: the server's, with the outcomes still in the outbox laid over it. */
  function shown() {
    if (!route) return null;
    const waiting = new Map(store.outbox().map((item) => [item.stopId, item]));
    const stops = route.stops.map((s) => (waiting.has(s.stopId) && !s.outcome
      ? { ...s, outcome: waiting.get(s.stopId).body.outcome, waiting: true } : s));
    const nextStop = route.state === 'active' ? stops.find((s) => !s.outcome) ?? null : null;
    return { ...route, stops, nextStop };
  }

  function outcomeButtons(stop) {
    const note = el('input', { id: 'outcome-note', name: 'note', maxlength: 1000, placeholder: t('vol.note') });
    const codes = stop.kind === 'pickup' ? ['picked_up'] : DELIVERY_OUTCOMES;
    return el('div', { class: 'outcomes' },
      el('label', {}, t('vol.noteLabel'), note),
      el('div', { class: 'outcome-buttons' }, codes.map((code) => el('button', {
        type: 'button', class: `outcome ${code}`, 'data-outcome': code,
        onclick: () => record(stop, code, note.value.trim()),
      }, t(`vol.outcome.${code}`)))));
  }

  function stopTitle(stop) {
    if (stop.kind === 'pickup') return `${t('vol.pickupAt')} ${stop.facilityName ?? ''}`;
    return stop.personName ?? stop.buildingName ?? `#${stop.stopId}`;
  }

  function renderNext(view) {
    const stop = view.nextStop;
    // the card of the same stop is kept as it is: a reload in the background must not wipe a note being typed
    const shownStop = stop ? String(stop.stopId) : '';
    if (stop && next.dataset.stop === shownStop) return;
    next.dataset.stop = shownStop;
    if (!stop) {
      fill(next, el('p', { class: 'done' }, view.state === 'finished' || view.stops.length
        ? t('vol.allDone') : t('vol.noRoute')));
      return;
    }
    const navigate = `geo:${stop.lat},${stop.lon}?q=${stop.lat},${stop.lon}`;
    fill(next,
      el('h3', {}, t('vol.next', stop.number), ' ', el('span', { class: 'stop-title' }, stopTitle(stop)),
        stop.kind === 'pickup' && pickedTogether(stop).length > 1 ? ` ${t('vol.pickups', pickedTogether(stop).length)}` : null),
      el('p', { id: 'next-address', class: 'address' }, stop.kind === 'pickup'
        ? stop.facilityName ?? '' : stop.address ?? stop.buildingName ?? ''),
      stop.items ? el('p', {}, `${t('vol.items')}: ${stop.items}`) : null,
      el('p', {},
        el('a', { id: 'navigate', class: 'button-link', href: navigate }, t('vol.navigate')), ' ',
        stop.phone ? el('a', { class: 'button-link', href: `tel:${stop.phone}` }, `${t('vol.call')} ${stop.phone}`) : null),
      outcomeButtons(stop));
  }

  function renderList(view) {
    fill(list, view.stops.map((s) => el('li', {
      'data-stop': s.stopId, 'data-outcome': s.outcome ?? '', class: s.outcome ? 'stop-done' : 'stop-open',
    },
    el('span', { class: 'stop-number' }, String(s.number)),
    el('span', { class: 'kp-name' }, stopTitle(s)),
    el('span', { class: 'kp-place' }, s.kind === 'pickup' ? '' : s.address ?? s.buildingName ?? ''),
    el('span', { class: 'kp-due' }, s.outcome ? t(`vol.outcome.${s.outcome}`) + (s.waiting ? ` (${t('vol.waiting')})` : '') : ''))));
  }

  function renderMap(view) {
    layer.clearLayers();
    if (view.coordinates?.length) {
      L.polyline(view.coordinates.map(toLatLng), { color: ROUTE_COLOUR, weight: 5, opacity: 0.8, className: 'my-route-line' })
        .addTo(layer);
    }
    for (const s of view.stops) {
      const colour = s.outcome ? DONE_COLOUR : view.nextStop?.stopId === s.stopId ? NEXT_COLOUR : ROUTE_COLOUR;
      L.marker(toLatLng([s.lon, s.lat]), { icon: numberIcon(s.number, colour, 'stop-number-icon'), title: stopTitle(s) })
        .addTo(layer);
    }
    if (!fitted && layer.getLayers().length) {
      map.fitBounds(L.featureGroup(layer.getLayers()).getBounds(), { maxZoom: 17, padding: [20, 20] });
      fitted = true;
    }
  }

  function render() {
    const view = shown();
    const waiting = store.outbox().length;
    outboxLine.hidden = waiting === 0;
    outboxLine.textContent = t('vol.waitingToSend', waiting);
    outboxLine.dataset.waiting = String(waiting);
    if (!view || view.state === 'none') {
      summary.textContent = t('vol.noRoute');
      summary.dataset.state = 'none';
      next.dataset.stop = '';
      fill(next);
      fill(list);
      layer.clearLayers();
      return;
    }
    const deliveries = view.stops.filter((s) => s.kind === 'delivery');
    const left = deliveries.filter((s) => !s.outcome).length;
    summary.textContent = t('vol.summary', deliveries.length, left, (view.distanceMeters / 1000).toFixed(1))
      + (view.state === 'finished' ? ` · ${t('vol.finished')}` : '');
    summary.dataset.state = view.state;
    summary.dataset.left = String(left);
    renderNext(view);
    renderList(view);
    renderMap(view);
  }

  async function load() {
    try {
      route = await getJson('/api/my/route');
      store.saveRoute(route);
      status.say(summary.textContent || t('vol.title'));
    } catch (error) {
      if (!offline(error)) throw error;
      status.say(t('vol.offline'));
    }
    render();
  }

  /** Sends what waits in the outbox, oldest first; stops at the first network failure. */
  async function flush() {
    if (sending) return;
    sending = true;
    let sent = 0;
    try {
      for (const item of store.outbox()) {
        try {
          const stored = await postJson(`/api/my/route/stops/${item.stopId}`, item.body);
          sent++;
          // the route on screen keeps the outcome until the server's route is read again
          if (route) {
            route = { ...route, stops: route.stops.map((s) => (s.stopId === item.stopId ? { ...s, outcome: stored.outcome } : s)) };
            store.saveRoute(route);
          }
        } catch (error) {
          if (offline(error)) {
            status.say(t('vol.offline'));
            return;
          }
          if (![400, 404, 409, 422].includes(error.status)) {
            // the server or a proxy in trouble (5xx, 429, an expired session's 401/403): keep it for the next try
            status.fail(error);
            return;
          }
          // refused for good (the stop was moved, the route is over): say so and drop it
          status.fail(error);
        }
        store.saveOutbox(store.outbox().filter((other) => other.body.key !== item.body.key));
        render();
      }
    } finally {
      sending = false;
    }
    if (sent > 0) await load();
  }

  /** The stop, or for a pickup every open pickup at the same pharmacy that follows it: one tap picks up all. */
  function pickedTogether(stop) {
    const stops = shown()?.stops ?? [];
    const from = stops.findIndex((s) => s.stopId === stop.stopId);
    if (stop.kind !== 'pickup' || from < 0) return [stop];
    const together = [];
    for (const s of stops.slice(from)) {
      if (s.kind !== 'pickup' || s.facilityName !== stop.facilityName) break;
      if (!s.outcome) together.push(s);
    }
    return together;
  }

  async function record(stop, outcome, note) {
    const at = new Date().toISOString();
    const items = pickedTogether(stop).map((s) => {
      const body = { outcome, key: newKey(), at };
      if (note) body.note = note;
      return { stopId: s.stopId, body };
    });
    store.saveOutbox([...store.outbox(), ...items]);
    render();
    status.say(`${stopTitle(stop)}: ${t(`vol.outcome.${outcome}`)}`);
    await flush();
  }

  window.addEventListener('online', () => { flush(); });
  setInterval(() => { if (store.outbox().length) flush(); }, RETRY_MS);
  render();
  await load();
  await flush();
}
