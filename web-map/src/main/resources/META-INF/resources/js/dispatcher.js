// The dispatcher's screen: pending medicine-delivery requests on the map and in a list (filter by
// urgency and pharmacy), volunteers to pick, and 优化: a coloured road route per volunteer with
// numbered stops, totals, the requests left out with their reasons, and a printable sheet each. A
// delivery can be moved to another volunteer by hand; 重新优化 then plans around that choice. A published
// plan (today's can be opened again from the list) shows its live state: each stop coloured by what the
// volunteer recorded, done / total per route, read again every LIVE_SECONDS while the screen is open.
import { getJson, postJson, sendJson } from './http.js';
import { clear, el, fill } from './dom.js';
import { t, term, vocabulary } from './i18n.js';
import { buildingsLayer, facilitiesLayer, gridChoices, gridsLayer } from './layers.js';
import { calloutPanel } from './callout.js';
import { needsPanel } from './needs.js';

export const ROUTE_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

export function routeColour(index) {
  return ROUTE_COLOURS[index % ROUTE_COLOURS.length];
}

/** How often the screen asks for a published plan's state (a 304 when nothing changed). */
const LIVE_SECONDS = 10;

/** A delivery stop's colour on the map once the volunteer has been there; pending keeps its route's colour. */
const STATE_COLOURS = { delivered: '#2e7d32', failed: '#6d1b1b', not_home: '#ef6c00', withdrawn: '#9e9e9e' };

/** A numbered circle as a Leaflet icon; the number is set as text, never as HTML. */
export function numberIcon(number, colour, className, state) {
  const label = el('span', { class: className, 'data-state': state, style: `background:${colour};color:#fff;border-radius:50%;display:block;`
    + 'width:20px;height:20px;line-height:20px;text-align:center;font:bold 12px sans-serif;border:1px solid #fff' },
  String(number));
  return L.divIcon({ html: label, className: '', iconSize: [22, 22] });
}

function minutes(seconds) {
  return Math.round(seconds / 60);
}

function kilometres(metres) {
  return (metres / 1000).toFixed(1);
}

export async function startDispatcher(context) {
  const { me, status, panel, map, geoJson } = context;
  const grids = gridsLayer(context, null).addTo(map);
  facilitiesLayer(context).addTo(map);
  await grids.ready;
  if (grids.getLayers().length > 0) map.fitBounds(grids.getBounds());
  else map.setView([30.65, 104.08], 13);
  buildingsLayer(context).addTo(map);

  const requestsLayer = geoJson(null, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      className: 'request-marker', radius: 7, weight: 2, color: '#fff',
      fillColor: feature.properties.urgency === 'urgent' ? '#c62828' : '#1565c0', fillOpacity: 0.9,
    }),
    onEachFeature: (feature, item) => item.bindTooltip(() => el('span', {},
      `#${feature.properties.id} ${feature.properties.personName ?? ''} · ${feature.properties.items}`)),
  }).addTo(map);
  const planLayer = L.layerGroup().addTo(map);
  const todaysPlans = el('select', { id: 'plans-today', 'aria-label': t('dispatcher.todaysPlans') });

  const urgency = el('select', { id: 'dr-urgency' },
    el('option', { value: '' }, t('dispatcher.allUrgency')),
    // urgent first, the order the requests are listed in
    [...vocabulary('deliveryUrgencies')].reverse().map((u) => el('option', { value: u.code }, u.label)));
  const pharmacy = el('select', { id: 'dr-pharmacy' }, el('option', { value: '' }, t('dispatcher.allPharmacies')));
  const requestList = el('ol', { id: 'dr-list', class: 'kp-list' });
  const requestSummary = el('p', { id: 'dr-summary', class: 'summary' });
  const volunteerList = el('div', { id: 'dr-volunteers' });
  const optimise = el('button', { type: 'button', id: 'optimise' }, t('dispatcher.optimise'));
  const reoptimise = el('button', { type: 'button', id: 'reoptimise', hidden: true }, t('dispatcher.reoptimise'));
  const result = el('section', { id: 'plan-result' });
  fill(panel, el('h2', {}, t('dispatcher.title')),
    calloutPanel({ place: me.areaCode ? { areaCode: me.areaCode } : null, grids: gridChoices(grids) }), needsPanel(),
    el('p', {}, el('label', {}, t('dispatcher.todaysPlans'), ' ', todaysPlans)),
    el('label', {}, t('dispatcher.urgency'), ' ', urgency), ' ',
    el('label', {}, t('dispatcher.pharmacy'), ' ', pharmacy),
    requestSummary, requestList,
    el('h3', {}, t('dispatcher.volunteers')), volunteerList,
    optimise, ' ', reoptimise, result);

  let requests = [];
  let volunteers = [];
  let current = null; // the plan on screen: { id, requestIds }
  let moves = {}; // request id → volunteer person id, chosen by hand
  // the published plan on screen, kept up to date: its stops' markers and list items by stop id
  const live = { planId: null, etag: null, timer: null, stops: new Map(), routes: new Map() };

  async function loadRequests() {
    status.busy();
    const query = new URLSearchParams({ status: 'pending' });
    if (urgency.value) query.set('urgency', urgency.value);
    if (pharmacy.value) query.set('pharmacy', pharmacy.value);
    const data = await getJson(`/api/dispatch/requests?${query}`);
    requests = data.features;
    requestsLayer.clearLayers().addData(data);
    clear(requestList);
    for (const feature of requests) {
      const p = feature.properties;
      requestList.append(el('li', { class: p.urgency === 'urgent' ? 'overdue' : 'due', 'data-request': p.id },
        el('span', { class: 'kp-name' }, `#${p.id} ${p.personName ?? ''}`),
        el('span', { class: 'kp-place' }, p.address ?? ''),
        el('span', { class: 'kp-due' }, `${p.items} ×${p.demand}${p.urgency === 'urgent' ? ` · ${term('deliveryUrgencies', 'urgent')}` : ''}`
          + (p.facilityName ? ` · ${p.facilityName}` : ''))));
    }
    requestSummary.textContent = t('dispatcher.pending', requests.length);
    requestSummary.dataset.count = String(requests.length);
    status.say(requestSummary.textContent);
  }

  async function loadChoices() {
    const [volunteerData, facilities] = await Promise.all([
      getJson('/api/dispatch/volunteers'),
      getJson('/api/facilities?type=pharmacy,clinic,village_clinic,community_health_centre')]);
    volunteers = volunteerData.features.map((v) => v.properties);
    for (const f of facilities.features) {
      pharmacy.append(el('option', { value: f.properties.id }, f.properties.name));
    }
    clear(volunteerList);
    for (const p of volunteers) {
      volunteerList.append(el('label', { class: 'check' },
        el('input', { type: 'checkbox', value: p.personId, checked: (p.teams ?? []).includes('medicine_delivery') }),
        `${p.name} · ${term('travelModes', p.travelMode)} · ${t('dispatcher.capacity', p.capacity)}`));
    }
  }

  function moveSelect(requestId, routeVolunteer) {
    const select = el('select', { class: 'move-to', 'data-request': requestId, 'aria-label': t('dispatcher.moveTo') },
      el('option', { value: '' }, t('dispatcher.moveTo')),
      volunteers.filter((v) => v.personId !== routeVolunteer)
        .map((v) => el('option', { value: v.personId, selected: moves[requestId] === v.personId }, v.name)));
    select.addEventListener('change', () => {
      if (select.value) moves[requestId] = Number(select.value);
      else delete moves[requestId];
    });
    return select;
  }

  function showPlan(plan) {
    planLayer.clearLayers();
    const routes = plan.features.filter((f) => f.properties.type === 'route');
    const stops = plan.features.filter((f) => f.properties.type === 'stop');
    for (const route of routes) {
      if (!route.geometry) continue;
      geoJson(route, { style: { color: routeColour(route.properties.colour), weight: 5, opacity: 0.8, className: 'route-line' } })
        .addTo(planLayer);
    }
    stopLive();
    for (const stop of stops) {
      const p = stop.properties;
      const latlng = context.toLatLng(stop.geometry.coordinates);
      if (p.kind === 'delivery') {
        const marker = L.marker(latlng, { icon: stopIcon(p), title: p.personName ?? '' })
          .bindTooltip(() => el('span', {}, `${p.number}. ${p.personName ?? ''} · ${p.items} · ${stateLabel(p)}`)).addTo(planLayer);
        live.stops.set(p.stopId, { properties: p, marker, item: null });
      } else if (p.kind === 'pickup') {
        L.circleMarker(latlng, { className: 'pickup-marker', radius: 5, color: routeColour(p.colour), fillColor: '#fff', fillOpacity: 1 })
          .bindTooltip(() => el('span', {}, `${t('dispatcher.pickup')} ${p.facilityName ?? ''}`)).addTo(planLayer);
      }
    }
    const totals = plan.plan;
    // a published plan is re-planned only for the requests nobody has started
    const replannable = (p) => p.kind === 'delivery' && !p.withdrawn
      && (totals.status === 'draft' || (p.requestStatus === 'assigned' && !p.outcome));
    current = { id: totals.id, requestIds: [...stops.filter((s) => replannable(s.properties)).map((s) => s.properties.requestId),
      ...plan.unassigned.map((u) => u.requestId)] };
    reoptimise.hidden = false;
    const sections = routes.map((route) => {
      const r = route.properties;
      const own = stops.filter((s) => s.properties.routeId === r.routeId);
      return el('div', { class: 'route-card', 'data-route': r.routeId, 'data-volunteer': r.volunteerPersonId },
        el('h4', {}, el('span', { style: `display:inline-block;width:1em;height:1em;background:${routeColour(r.colour)}` }), ' ',
          r.volunteerName, ' · ', term('travelModes', r.profile)),
        el('p', {}, t('dispatcher.routeTotals', r.deliveries, kilometres(r.distanceMeters), minutes(r.durationSeconds)),
          ' · ', progress(r.routeId, own.map((s) => s.properties))),
        el('ul', { class: 'route-stops' }, own.map((s) => {
          const p = s.properties;
          if (p.kind === 'delivery') {
            const item = el('li', { class: 'route-delivery', 'data-request': p.requestId, 'data-stop': p.stopId },
              `${p.number}. ${p.personName ?? ''} · ${p.address ?? ''} · ${p.items} `,
              el('span', { class: 'stop-state' }), ' ',
              replannable(p) ? moveSelect(p.requestId, r.volunteerPersonId) : null);
            const shown = live.stops.get(p.stopId);
            if (shown) shown.item = item;
            showState(item, p);
            return item;
          }
          if (p.kind === 'pickup') return el('li', { class: 'route-pickup' }, `${t('dispatcher.pickup')} ${p.facilityName ?? ''}`);
          return null;
        })),
        el('a', { href: `/api/dispatch/plans/${totals.id}/sheet/${r.volunteerPersonId}`, target: '_blank', class: 'sheet-link' },
          t('dispatcher.printSheet')));
    });
    const unassigned = plan.unassigned.map((u) => el('li', { 'data-request': u.requestId },
      `#${u.requestId} ${u.personName ?? ''} · ${u.items}: `, el('span', { class: 'reason' }, u.reason)));
    const publish = totals.status === 'draft'
      ? el('button', { type: 'button', id: 'publish-plan', onclick: () => publishPlan(totals) }, t('dispatcher.publish'))
      : el('button', { type: 'button', id: 'refresh-plan', onclick: () => refreshPlan(totals.id) }, t('dispatcher.refresh'));
    fill(result,
      el('p', { id: 'plan-status', 'data-status': totals.status }, `${t('dispatcher.status')}: ${t(`dispatcher.status.${totals.status}`)} `, publish),
      el('h3', { id: 'plan-totals', 'data-plan': totals.id, 'data-routes': totals.routes, 'data-planned': totals.planned, 'data-unassigned': totals.unassigned },
        t('dispatcher.planTotals', totals.routes, totals.planned, kilometres(totals.totalDistanceMeters),
          minutes(totals.totalDurationSeconds))),
      sections,
      unassigned.length ? el('h4', {}, t('dispatcher.unassigned', unassigned.length)) : null,
      unassigned.length ? el('ul', { id: 'plan-unassigned' }, unassigned) : null);
    const bounds = planLayer.getLayers().length ? L.featureGroup(planLayer.getLayers()).getBounds() : null;
    if (bounds && bounds.isValid()) map.fitBounds(bounds, { maxZoom: 17 });
    if (totals.status === 'published') startLive(totals.id);
  }

  /** What the volunteer recorded at a delivery stop, in words; a failure with its reason. */
  function stateLabel(p) {
    if (p.state === 'failed') return `${t('dispatcher.state.failed')}: ${t(`vol.outcome.${p.failureReason}`)}`;
    // not yet there: where the request stands (planned in a draft, assigned once published)
    if ((p.state ?? 'pending') === 'pending' && p.requestStatus) return term('deliveryStatuses', p.requestStatus);
    return t(`dispatcher.state.${p.state ?? 'pending'}`);
  }

  function stopIcon(p) {
    const state = p.state ?? 'pending';
    return numberIcon(p.number, STATE_COLOURS[state] ?? routeColour(p.colour), 'stop-number', state);
  }

  function showState(item, p) {
    item.dataset.state = p.state ?? 'pending';
    const label = item.querySelector('.stop-state');
    label.textContent = stateLabel(p);
    label.title = [p.outcomeAt ? new Date(p.outcomeAt).toLocaleTimeString() : null, p.outcomeNote].filter(Boolean).join(' · ');
  }

  /** A route's "done / total" (stops with an outcome, of those not withdrawn), kept by route id for updates. */
  function progress(routeId, stopProperties) {
    const deliveries = stopProperties.filter((p) => p.kind === 'delivery');
    const element = el('span', { class: 'route-progress' });
    live.routes.set(routeId, element);
    showProgress(element, deliveries.filter((p) => p.state !== 'pending' && p.state !== 'withdrawn').length,
      deliveries.filter((p) => p.state !== 'withdrawn').length);
    return element;
  }

  function showProgress(element, done, total) {
    element.dataset.done = String(done);
    element.dataset.total = String(total);
    element.textContent = t('dispatcher.progress', done, total);
  }

  /** Applies a state answer (GET …/state) to the markers, the list and the totals on screen. */
  function applyState(state) {
    for (const stop of state.stops) {
      const shown = live.stops.get(stop.stopId);
      if (!shown || shown.properties.state === stop.state) continue;
      Object.assign(shown.properties, { state: stop.state, failureReason: stop.failureReason, outcomeAt: stop.at,
        outcomeNote: stop.note, withdrawn: stop.state === 'withdrawn' });
      shown.marker.setIcon(stopIcon(shown.properties));
      if (shown.item) {
        showState(shown.item, shown.properties);
        // a stop the volunteer has been to cannot be moved any more
        shown.item.querySelector('select.move-to')?.remove();
      }
      if (current) current.requestIds = current.requestIds.filter((id) => id !== shown.properties.requestId);
    }
    for (const route of state.routes) {
      const element = live.routes.get(route.routeId);
      if (element) showProgress(element, route.done, route.total);
    }
    const option = todaysPlans.querySelector(`option[value="${state.planId}"]`);
    if (option) option.textContent = planLabel({ ...state, done: state.routes.reduce((n, r) => n + r.done, 0),
      total: state.routes.reduce((n, r) => n + r.total, 0) });
    const status = document.getElementById('plan-status');
    if (status && status.dataset.status !== state.status) {
      status.dataset.status = state.status;
      status.firstChild.textContent = `${t('dispatcher.status')}: ${t(`dispatcher.status.${state.status}`)} `;
    }
    if (state.status !== 'published') stopLive();
  }

  /** Reads the plan's state again every LIVE_SECONDS while it is published, on screen, and the tab is seen. */
  function startLive(planId) {
    live.planId = planId;
    live.etag = null;
    live.timer = setInterval(pollLive, LIVE_SECONDS * 1000);
    result.dataset.live = 'on';
  }

  function stopLive() {
    if (live.timer) clearInterval(live.timer);
    live.timer = null;
    live.planId = null;
    live.stops.clear();
    live.routes.clear();
    result.dataset.live = 'off';
  }

  async function pollLive() {
    const planId = live.planId;
    if (planId === null || document.hidden) return;
    try {
      const response = await fetch(`/api/dispatch/plans/${planId}/state`, {
        credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: 'application/json', ...(live.etag ? { 'If-None-Match': live.etag } : {}) },
      });
      // another plan opened meanwhile: this answer is not for the screen
      if (live.planId !== planId || response.status === 304) return;
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      live.etag = response.headers.get('ETag');
      applyState(await response.json());
    } catch (error) {
      // no signal for a while: try again at the next tick, and say so
      status.fail(error);
    }
  }

  // seen again after a while in another tab: at once, not at the next tick
  document.addEventListener('visibilitychange', () => { if (!document.hidden) pollLive(); });
  // the screen closes: no more reads
  window.addEventListener('pagehide', stopLive);

  async function loadPlans() {
    const plans = await getJson('/api/dispatch/plans');
    fill(todaysPlans, el('option', { value: '' }, t('dispatcher.openPlan')),
      plans.map((p) => el('option', { value: p.planId }, planLabel(p))));
  }

  function planLabel(p) {
    return `#${p.planId} · ${t(`dispatcher.status.${p.status}`)} · ${t('dispatcher.progress', p.done, p.total)}`;
  }

  async function refreshPlan(id) {
    try {
      showPlan(await getJson(`/api/dispatch/plans/${id}`));
    } catch (error) {
      status.fail(error);
    }
  }

  /** Sends the plan on screen to its volunteers, at the version it was read at. */
  async function publishPlan(totals) {
    status.busy();
    try {
      const { body } = await sendJson('POST', `/api/dispatch/plans/${totals.id}/publish`, {}, totals.version);
      await refreshPlan(totals.id);
      status.say(t('dispatcher.published', body.assigned, body.routes));
    } catch (error) {
      status.fail(error);
    }
  }

  async function plan(body) {
    if (!body.volunteerIds.length || !body.requestIds.length) {
      status.fail(new Error(t('dispatcher.nothingToPlan')));
      return;
    }
    optimise.disabled = true;
    reoptimise.disabled = true;
    status.busy();
    try {
      const outcome = await postJson('/api/dispatch/plans', { ...body, timeLimitSeconds: 3 });
      showPlan(await getJson(`/api/dispatch/plans/${outcome.planId}`));
      await loadRequests();
      status.say(t('dispatcher.planned', outcome.planned, outcome.unassigned));
    } catch (error) {
      status.fail(error);
    } finally {
      optimise.disabled = false;
      reoptimise.disabled = false;
    }
  }

  const checkedVolunteers = () => [...volunteerList.querySelectorAll('input:checked')].map((i) => Number(i.value));
  optimise.addEventListener('click', () => {
    moves = {};
    plan({ requestIds: requests.map((f) => f.properties.id), volunteerIds: checkedVolunteers() });
  });
  // the plan on screen again, with the moves made by hand; it replaces (cancels) that plan
  reoptimise.addEventListener('click', () => {
    const volunteerIds = checkedVolunteers();
    for (const to of Object.values(moves)) if (!volunteerIds.includes(to)) volunteerIds.push(to);
    plan({ requestIds: current.requestIds, volunteerIds, replacesPlanId: current.id, assignments: moves });
  });
  todaysPlans.addEventListener('change', () => { if (todaysPlans.value) refreshPlan(Number(todaysPlans.value)); });
  urgency.addEventListener('change', () => loadRequests().catch((error) => status.fail(error)));
  pharmacy.addEventListener('change', () => loadRequests().catch((error) => status.fail(error)));

  await loadChoices();
  await Promise.all([loadRequests(), loadPlans()]);
  status.say(`${me.scopeName ?? ''} · ${requestSummary.textContent}`);
}
