// The grid worker's screen (phone first): their grid, buildings by head coverage, the key persons
// due or overdue for a visit, a card per person and the visit form.
import { getJson, postJson, sendJson } from './http.js';
import { clear, el, fill } from './dom.js';
import { t, term, vocabulary } from './i18n.js';
import { buildingsLayer, facilitiesLayer, gridTilesLayer, gridsLayer } from './layers.js';
import { visitTourButton } from './visittour.js';
import { showBuilding } from './appoint.js';
import { checkedForm, field } from './forms.js';
import { keyPersonsOfBuilding } from './keyperson.js';
import { openRequests, requestForm } from './medicine.js';
import { calloutPanel } from './callout.js';
import { needsPanel } from './needs.js';

/** The need whose finding on a visit offers a medicine request. */
const MEDICINE_DELIVERY = 'medicine_delivery';
/** Persons due within this many days are listed with the overdue ones. */
const DUE_WINDOW_DAYS = 3;
const TRANSFER_COLOUR = '#c0392b';

export function maskPhone(phone) {
  if (!phone) return '';
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone.replace(/.(?=.{2})/g, '*');
}

function dueText(daysOverdue) {
  if (daysOverdue > 0) return t('gw.overdueDays', daysOverdue);
  if (daysOverdue === 0) return t('gw.dueToday');
  return t('gw.dueInDays', -daysOverdue);
}

export async function startGridWorker(context) {
  const { me, status, panel, map, toLatLng } = context;
  const grids = gridsLayer(context, me.scopeType === 'grid' ? me.areaCode : null).addTo(map);
  // zoomed out: every grid of the view from vector tiles, however many the worker's area holds
  const gridTiles = gridTilesLayer(context).addTo(map);
  const buildingCard = el('section', { id: 'building-card', hidden: true });
  let lastSelected = null;
  const headGaps = el('p', { id: 'head-gaps', class: 'summary' });
  const buildings = buildingsLayer(context, {
    onSelect: async (feature) => {
      const selected = feature;
      lastSelected = selected;
      await showBuilding(buildingCard, feature, {
        status,
        onAppointed: async () => {
          await buildings.refresh();
          await loadHeadGaps();
        },
      });
      const keyPersons = await keyPersonsOfBuilding(feature.properties, { status, onRegistered: () => loadPersons() });
      // another building clicked meanwhile: its card is the one shown
      if (lastSelected === selected) buildingCard.append(keyPersons);
    },
  });
  const facilities = facilitiesLayer(context).addTo(map);
  const persons = L.markerClusterGroup({ maxClusterRadius: 40 });
  await grids.ready;
  if (grids.getLayers().length > 0) {
    map.fitBounds(grids.getBounds(), { maxZoom: 17 });
  } else {
    map.setView([30.65, 104.08], 13);
  }
  buildings.addTo(map);
  persons.addTo(map);
  L.control.layers(null, {
    [t('layer.grids')]: grids, [t('layer.gridTiles')]: gridTiles, [t('layer.buildings')]: buildings,
    [t('layer.facilities')]: facilities, [t('layer.keyPersons')]: persons, [t('layer.roads')]: context.roads,
  }, { collapsed: true }).addTo(map);

  const summary = el('p', { id: 'kp-summary', class: 'summary' });
  const card = el('section', { id: 'kp-card', hidden: true });
  const list = el('ol', { id: 'kp-list', class: 'kp-list' });
  const place = me.scopeType === 'grid' ? { gridId: me.gridId } : { areaCode: me.areaCode };
  fill(panel, el('h2', {}, t('gw.title')), summary, headGaps, me.scopeType === 'grid' ? visitTourButton(context) : null,
    calloutPanel({ place }), needsPanel(), buildingCard, card, list);

  let position = null;
  let shown = [];
  let transferLine = null;
  const scopeQuery = me.scopeType === 'grid' ? `grid=${me.gridId}` : `area=${me.areaCode}`;

  function distanceText(person) {
    if (!position || !person.latlng) return null;
    return t('gw.distance', Math.round(map.distance(position, person.latlng)));
  }

  function renderList() {
    clear(list);
    for (const person of shown) {
      const distance = distanceText(person);
      list.append(el('li', { class: person.value > 0 ? 'overdue' : 'due', 'data-person': person.id },
        el('button', { type: 'button', class: 'link', onclick: () => openCard(person) },
          el('span', { class: 'kp-name' }, person.name ?? `#${person.id}`)),
        el('span', { class: 'kp-place' }, person.place ?? ''),
        el('span', { class: 'kp-due' }, dueText(person.value)),
        distance ? el('span', { class: 'kp-distance' }, distance) : null));
    }
  }

  /** How many buildings of the grid have no head today: the figure an appointment lowers. */
  async function loadHeadGaps() {
    const coverage = await getJson(`/api/coverage/summary?${scopeQuery}`);
    const heads = coverage.metrics.find((m) => m.id === 'building-heads');
    headGaps.textContent = t('gw.buildingsWithoutHead', heads.area.gaps);
    headGaps.dataset.gaps = String(heads.area.gaps);
  }

  async function loadPersons() {
    status.busy();
    const page = await getJson(`/api/coverage/visits?${scopeQuery}&status=all&size=2000`);
    shown = page.items
      .filter((p) => p.value !== null && p.value >= -DUE_WINDOW_DAYS)
      .map((p) => ({ ...p, latlng: p.geometry ? toLatLng(JSON.parse(p.geometry).coordinates) : null }));
    persons.clearLayers();
    for (const person of shown) {
      if (!person.latlng) continue;
      const marker = L.marker(person.latlng, {
        icon: L.divIcon({ className: `kp-marker ${person.value > 0 ? 'overdue' : 'due'}`, iconSize: [18, 18] }),
        keyboard: true,
        title: person.name ?? '',
      });
      marker.on('click', () => openCard(person));
      persons.addLayer(marker);
    }
    const overdue = shown.filter((p) => p.value > 0).length;
    summary.textContent = t('gw.keyPersons', shown.length, overdue);
    summary.dataset.shown = String(shown.length);
    summary.dataset.overdue = String(overdue);
    renderList();
    status.say(summary.textContent);
  }

  async function openCard(person) {
    card.hidden = false;
    fill(card, el('p', {}, t('app.loading')));
    try {
      const [details, visits, needs] = await Promise.all([
        getJson(`/api/persons/${person.id}`), getJson(`/api/persons/${person.id}/visits`),
        getJson(`/api/needs?person=${person.id}&size=100`)]);
      // the needs list's unresolved needs of this person: what is waiting, for whom, since how long
      const unresolved = needs.items.filter((n) => n.status !== 'done');
      const phone = el('span', { class: 'phone' }, maskPhone(details.phone));
      const transfer = el('p', { id: 'transfer-result', 'aria-live': 'polite' });
      const last = visits[0];
      const requests = await openRequests(person);
      fill(card, 
        el('h3', { class: 'card-name' }, details.name),
        el('p', {}, [details.buildingName, details.unit, details.room].filter(Boolean).join(' ')),
        el('p', {}, `${t('card.risk')}: ${term('riskLevels', details.keyPerson?.riskLevel)} · ${dueText(person.value)}`),
        el('p', {}, `${t('card.needs')}: `, (details.keyPerson?.needs ?? []).map((n) => term('needs', n)).join('、') || '—'),
        el('p', { id: 'kp-open-needs' }, `${t('card.openNeeds')}: `, unresolved.map((n) =>
          t('card.openNeed', term('needs', n.kind), term('needStatuses', n.status), n.daysOpen)).join('、') || '—'),
        el('p', {}, `${t('card.lastVisit')}: `, last
          ? `${new Date(last.visitedAt).toLocaleDateString()} ${term('visitMethods', last.method)} ${last.findings ?? ''}`
          : t('card.never')),
        el('p', {}, `${t('card.phone')}: `, phone, ' ',
          details.phone ? el('button', { type: 'button', class: 'link', onclick: () => { phone.textContent = details.phone; } },
            t('card.showPhone')) : null),
        el('button', { type: 'button', id: 'record-visit', onclick: () => showVisitForm(person) }, t('card.record')),
        el('button', { type: 'button', id: 'request-medicine', onclick: () => showRequestForm(person, details) },
          t('med.title')),
        el('button', { type: 'button', id: 'emergency-transfer', class: 'urgent', onclick: () => showTransfer(person, transfer) },
          t('transfer.button')),
        transfer,
        el('button', { type: 'button', id: 'close-person', class: 'link', onclick: () => showCloseForm(person, details) },
          t('close.open')),
        requests);
    } catch (error) {
      fill(card, el('p', { class: 'error' }, t('app.loadFailed', error.message)));
    }
  }

  /** 急诊转运: the quickest suitable hospital by car (it may be outside the grid), drawn on the map. */
  async function showTransfer(person, out) {
    out.textContent = t('app.loading');
    out.classList.remove('error');
    try {
      const found = await getJson(`/api/emergency/hospital?personId=${person.id}`);
      if (transferLine) transferLine.remove();
      transferLine = L.polyline(found.route.coordinates.map(toLatLng),
        { color: TRANSFER_COLOUR, weight: 6, opacity: 0.85, className: 'transfer-line' }).addTo(map);
      map.fitBounds(transferLine.getBounds(), { maxZoom: 17 });
      out.textContent = t('transfer.result', found.hospital.name, Math.ceil(found.durationSeconds / 60),
        (found.distanceMeters / 1000).toFixed(1));
      out.dataset.hospital = String(found.hospital.id);
    } catch (error) {
      out.textContent = error.message;
      out.classList.add('error');
    }
  }

  function showVisitForm(person) {
    const method = el('select', { name: 'method' }, vocabulary('visitMethods').map((m) => el('option', { value: m.code }, m.label)));
    const findings = el('textarea', { name: 'findings', rows: 3 });
    const needs = vocabulary('needs').map((n) => el('label', { class: 'check' }, el('input', { type: 'checkbox', value: n.code }), n.label));
    const followUp = el('input', { name: 'followUp' });
    const escalate = el('input', { type: 'checkbox', name: 'escalate' });
    const note = el('input', { name: 'escalationNote' });
    const message = el('p', { class: 'error', role: 'alert' });
    const form = el('form', { id: 'visit-form', class: 'visit-form' },
      el('label', {}, t('visit.method'), method),
      el('label', {}, t('visit.findings'), findings),
      el('fieldset', {}, el('legend', {}, t('visit.needs')), needs),
      el('label', {}, t('visit.followUp'), followUp),
      el('label', { class: 'check' }, escalate, t('visit.escalate')),
      el('label', {}, t('visit.escalationNote'), note),
      message,
      el('button', { type: 'submit' }, t('visit.save')),
      el('button', { type: 'button', onclick: () => openCard(person) }, t('visit.cancel')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const found = needs.map((label) => label.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
        await postJson('/api/visits', {
          keyPersonId: Number(person.id),
          method: method.value,
          findings: findings.value || null,
          needsFound: found,
          followUp: followUp.value || null,
          escalate: escalate.checked,
          escalationNote: note.value || null,
        });
        card.hidden = true;
        await loadPersons();
        status.say(`${t('visit.saved')} · ${summary.textContent}`);
        if (found.includes(MEDICINE_DELIVERY)) offerRequest(person, findings.value.trim());
      } catch (error) {
        message.textContent = error.message;
      }
    });
    fill(card, el('h3', {}, person.name ?? `#${person.id}`), form);
  }

  /** 送药申请 for the person whose card is open; back to the card once stored. */
  async function showRequestForm(person, details, prefill) {
    const form = await requestForm(person, {
      prefill,
      done: async (stored) => {
        await openCard(person);
        status.say(t('med.saved', stored.items));
      },
      cancel: () => openCard(person),
    });
    fill(card, el('h3', {}, details?.name ?? person.name ?? `#${person.id}`), form);
  }

  /** After a visit that found 送药到户: one click opens the request form filled in; nothing is stored until sent. */
  function offerRequest(person, findings) {
    card.hidden = false;
    fill(card, el('h3', {}, person.name ?? `#${person.id}`),
      el('p', { role: 'status' }, t('med.offer')),
      el('button', { type: 'button', id: 'offer-delivery', onclick: () => showRequestForm(person, null, { items: findings }) },
        t('med.title')),
      el('button', { type: 'button', class: 'link', onclick: () => openCard(person) }, t('med.notNow')));
  }

  /** 销户: a deceased or moved-away person leaves the figures from the day after the day given. */
  function showCloseForm(person, details) {
    const today = new Date().toLocaleDateString('sv');
    const reason = el('select', { name: 'reason' }, vocabulary('closingReasons').map((r) => el('option', { value: r.code }, r.label)));
    const on = el('input', { name: 'on', type: 'date', max: today, value: today });
    const note = el('input', { name: 'note', maxlength: 500 });
    const form = el('form', { id: 'close-form', class: 'visit-form', novalidate: true },
      el('p', {}, t('close.explain')),
      field(t('close.reason'), reason, 'reason'),
      field(t('close.on'), on, 'on'),
      field(t('close.note'), note, 'note'),
      el('p', { class: 'form-error error', 'aria-live': 'polite' }),
      el('button', { type: 'submit' }, t('close.save')),
      el('button', { type: 'button', onclick: () => openCard(person) }, t('visit.cancel')));
    checkedForm(form, () => ({ reason: reason.value, on: on.value, note: note.value.trim() }), {
      reason: (v) => (v.reason ? null : t('form.required')),
      on: (v) => (!v.on ? t('form.required') : v.on > today ? t('close.notFuture') : null),
      note: (v) => (v.note.length > 500 ? t('form.tooLong', 500) : null),
    }, async (v) => {
      await sendJson('POST', `/api/persons/${person.id}/close`, { reason: v.reason, on: v.on, note: v.note || null },
        details.version);
      card.hidden = true;
      await Promise.all([loadPersons(), loadHeadGaps(), buildings.refresh()]);
      status.say(`${t('close.saved', details.name)} · ${summary.textContent}`);
    });
    fill(card, el('h3', {}, details.name), form);
  }

  if (navigator.geolocation) {
    navigator.geolocation.watchPosition((fix) => {
      position = L.latLng(fix.coords.latitude, fix.coords.longitude);
      renderList();
    }, () => { /* no position: no distances */ }, { enableHighAccuracy: true, maximumAge: 30000 });
  }
  await Promise.all([loadPersons(), loadHeadGaps()]);
}
