// Closing a gap where it is found: a building without a head → the best candidates → 任命 (appoint).
import { getJson, postJson } from './http.js';
import { el, fill } from './dom.js';
import { t } from './i18n.js';

const CANDIDATES = 5;

/**
 * Fills `card` with one building: its head status and, when it has none, the candidates with an
 * "appoint" button each. `onAppointed` runs after the appointment is stored (to redraw the map).
 */
export async function showBuilding(card, feature, { status, onAppointed }) {
  const building = feature.properties;
  card.hidden = false;
  const title = el('h3', { class: 'card-name' }, building.name || `#${building.id}`);
  if (building.hasBuildingHead) {
    fill(card, title, el('p', { class: 'building-head ok' }, t('building.hasHead')));
    return;
  }
  fill(card, title, el('p', { class: 'building-head gap' }, t('building.noHead')), el('p', {}, t('app.loading')));
  let candidates;
  try {
    candidates = await getJson(`/api/coverage/building-heads/suggestions?item=${building.id}&limit=${CANDIDATES}`);
  } catch (error) {
    fill(card, title, el('p', { class: 'error' }, t('app.loadFailed', error.message)));
    return;
  }
  const message = el('p', { class: 'error', role: 'alert' });
  const list = el('ol', { id: 'candidates', class: 'candidates' }, candidates.map((c) => el('li', { 'data-person': c.personId },
    el('span', { class: 'candidate-name' }, c.name ?? `#${c.personId}`), ' ',
    el('span', { class: 'candidate-reason' }, t(`suggest.${c.reason}`)), ' ',
    el('span', { class: 'candidate-distance' }, t('suggest.metres', Math.round(c.distanceM))), ' ',
    el('button', {
      type: 'button',
      class: 'appoint',
      onclick: async (event) => {
        event.target.disabled = true;
        try {
          await postJson('/api/assignments', { role: 'building_head', personId: c.personId, buildingId: building.id });
          fill(card, title, el('p', { class: 'building-head ok', role: 'status' },
            t('appoint.done', c.name ?? `#${c.personId}`)));
          status.say(t('appoint.done', c.name ?? `#${c.personId}`));
          await onAppointed();
        } catch (error) {
          event.target.disabled = false;
          message.textContent = error.message;
        }
      },
    }, t('appoint.button')))));
  fill(card, title, el('p', { class: 'building-head gap' }, t('building.noHead')),
    el('h4', {}, t('suggest.title')), candidates.length ? list : el('p', {}, t('suggest.none')), message);
}
