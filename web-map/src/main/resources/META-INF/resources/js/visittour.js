// "Plan my visit route" for the grid worker: the due and overdue visits of the grid as one walk from
// and back to the community office, drawn on the map with numbered stops and listed in order.
import { postJson } from './http.js';
import { el, fill } from './dom.js';
import { t } from './i18n.js';
import { numberIcon } from './dispatcher.js';

const TOUR_COLOUR = '#6a1b9a';

export function visitTourButton({ map, toLatLng, status }) {
  const layer = L.layerGroup().addTo(map);
  const list = el('ol', { id: 'tour-list', class: 'kp-list' });
  const summary = el('p', { id: 'tour-summary', class: 'summary' });
  const button = el('button', { type: 'button', id: 'plan-tour' }, t('tour.plan'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.busy();
    try {
      const tour = await postJson('/api/visits/tour', {});
      layer.clearLayers();
      if (tour.coordinates.length) {
        L.polyline(tour.coordinates.map(toLatLng), { color: TOUR_COLOUR, weight: 5, opacity: 0.8, className: 'tour-line' })
          .addTo(layer);
      }
      for (const stop of tour.stops) {
        L.marker(toLatLng([stop.lon, stop.lat]), { icon: numberIcon(stop.order, TOUR_COLOUR, 'tour-number'), title: stop.name })
          .addTo(layer);
      }
      fill(list, tour.stops.map((s) => el('li', { 'data-person': s.personId },
        el('span', { class: 'kp-name' }, s.name),
        el('span', { class: 'kp-place' }, s.address ?? ''),
        el('span', { class: 'kp-due' }, new Date(s.arrival).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })))),
      tour.unvisited.map((u) => el('li', { class: 'unvisited' }, `${u.name}: ${u.reason}`)));
      summary.textContent = t('tour.summary', tour.stops.length, (tour.distanceMeters / 1000).toFixed(1),
        Math.round(tour.durationSeconds / 60), tour.office.name);
      summary.dataset.stops = String(tour.stops.length);
      if (layer.getLayers().length) map.fitBounds(L.featureGroup(layer.getLayers()).getBounds(), { maxZoom: 17 });
      status.say(summary.textContent);
    } catch (error) {
      status.fail(error);
    } finally {
      button.disabled = false;
    }
  });
  return el('div', { id: 'visit-tour' }, button, summary, list);
}
